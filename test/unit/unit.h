/* SPDX-License-Identifier: BSD-2-Clause */
/* Common includes for host unit tests, in the order CMocka needs. */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
