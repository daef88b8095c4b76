/* SPDX-License-Identifier: BSD-2-Clause */
#include <arch.h>
#include <kdb.h>
#include <panic.h>
#include <printk.h>
#include <trace.h>

#define PANIC_EXIT_STATUS 3 /* distinct from test failures (1) */

NORETURN void panic(const char *fmt, ...)
{
    va_list ap;
    printk("\n*** KERNEL PANIC: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    kdb_panic();
    trace_at_shutdown();
    arch_shutdown(PANIC_EXIT_STATUS);
}
