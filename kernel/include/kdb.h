/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel debugger (debug configuration; core/kdb.c, docs/observability.md):
 * a command loop on the kernel console, entered on a panic and on a break
 * on the serial line: forwarded by the console's driver
 * (irq_handler_debug_break), or seen by the kernel itself at a tick while
 * no driver owns the console's input (core/irq.c). Everything else is stopped while it runs:
 * the kernel runs with interrupts masked, and the debugger only reads
 * kernel state. In the other configurations these calls fold away. */
#pragma once
#include <config.h>

struct tcb;

#define KDB_WHY_BREAK 1
#define KDB_WHY_PANIC 2

/* core/kdb.c: the command loop; returns on `continue` (or when no input
 * came for KDB_IDLE_POLLS polls, so an unattended machine goes on). */
void kdb_enter(int why, const struct tcb *t);

static inline void kdb_break(const struct tcb *t)
{
    if (CONFIG_DEBUG)
        kdb_enter(KDB_WHY_BREAK, t);
}
/* After a panic message: the debugger, then the machine stops. */
static inline void kdb_panic(void)
{
    if (CONFIG_DEBUG)
        kdb_enter(KDB_WHY_PANIC, NULL);
}
