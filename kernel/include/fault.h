/* SPDX-License-Identifier: BSD-2-Clause */
/* User faults. Until a thread has a fault handler, a fault is reported on the
 * console and the thread is stopped; the rest of the system runs on. */
#pragma once
#include <object/tcb.h>

#define FAULT_UNKNOWN_SYSCALL 1
#define FAULT_UNDEFINED 2
#define FAULT_PREFETCH_ABORT 3
#define FAULT_DATA_ABORT 4

void fault_unknown_syscall(tcb_t *t, word_t sysno);
void fault_raise(tcb_t *t, unsigned kind, word_t addr, word_t status);
