/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <types.h>

/* Print the message and stop the machine with a non-zero exit status. */
NORETURN void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
