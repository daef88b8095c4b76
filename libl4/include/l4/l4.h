/* SPDX-License-Identifier: BSD-2-Clause */
/* The user-level API: include this one header. */
#pragma once
#include <l4/abi.h>
#include <l4/syscall.h>
#include <l4/ipc.h>
#include <l4/invocations.h>
#include <l4/pmu.h>

/* The boot-info page the kernel passed to the root task (NULL elsewhere). */
extern const l4_word_t *l4_bootinfo;
