/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt entry: the kernel timer drives preemption; other lines will be
 * delivered to user level as notification signals. */
#include <arch.h>
#include <irq.h>
#include <platform.h>
#include <printk.h>
#include <sched.h>

void irq_handle_pending(void)
{
    for (unsigned n = 0; n < IRQ_BATCH; n++) {
        uint32_t irq = plat_irq_claim();
        if (irq == PLAT_IRQ_NONE)
            return;
        if (irq == PLAT_IRQ_TIMER) {
            plat_timer_ack();
            sched_tick();
        } else {
            /* No user handler yet: keep a stray line from storming. */
            plat_irq_mask(irq);
            printk("[kernel] spurious irq %u masked\n", irq);
        }
        plat_irq_eoi(irq);
    }
}

NORETURN void c_handle_irq(void)
{
    irq_handle_pending();
    kernel_exit();
}

bool irq_can_wake_threads(void)
{
    return false; /* no user-level interrupt handlers exist yet */
}
