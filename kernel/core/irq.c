/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt entry and the line -> notification table. */
#include <arch.h>
#include <ipc.h>
#include <kdb.h>
#include <object/vcpu.h>
#include <object/vcpu_timer.h>
#include <irq.h>
#include <platform.h>
#include <printk.h>
#include <sched.h>
#include <trace.h>

static struct {
    notification_t *ntfn; /* where the line is delivered, or NULL */
    word_t badge;
    bool claimed; /* an IRQ handler cap exists */
} irq_lines[PLAT_IRQ_MAX];
static word_t irq_delivering; /* lines with a notification */

bool irq_is_claimed(word_t irq)
{
    return irq_lines[irq].claimed;
}
void irq_claim(word_t irq)
{
    irq_lines[irq].claimed = true;
}

void irq_set_notification(word_t irq, notification_t *n, word_t badge)
{
    if (irq_lines[irq].ntfn)
        irq_delivering--;
    irq_lines[irq].ntfn = n;
    irq_lines[irq].badge = badge;
    if (n) {
        irq_delivering++;
        plat_irq_unmask(irq);
    } else {
        plat_irq_mask(irq);
    }
}

void irq_release(word_t irq)
{
    irq_set_notification(irq, NULL, 0);
    irq_lines[irq].claimed = false;
}

void irq_ack(word_t irq)
{
    if (irq_lines[irq].ntfn)
        plat_irq_unmask(irq);
}

void irq_forget_notification(const notification_t *n)
{
    for (word_t i = 0; i < PLAT_IRQ_MAX; i++)
        if (irq_lines[i].ntfn == n)
            irq_set_notification(i, NULL, 0);
}

void irq_line_get(word_t irq, struct notification **n, word_t *badge, bool *claimed)
{
    *n = irq_lines[irq].ntfn;
    *badge = irq_lines[irq].badge;
    *claimed = irq_lines[irq].claimed;
}

const notification_t *irq_notification(word_t irq)
{
    return irq_lines[irq].ntfn;
}

word_t irq_delivering_count(void)
{
    return irq_delivering;
}

bool irq_can_wake_threads(void)
{
    return irq_delivering != 0 || vcpu_timer_any_armed();
}

/* One claimed line: the kernel tick, or a line delivered to its
 * notification (masked until its handler acks it). */
static inline void irq_handle(uint32_t irq)
{
    trace_irq(ks_cur, irq, irq < PLAT_IRQ_MAX ? irq_lines[irq].ntfn : NULL,
              irq < PLAT_IRQ_MAX ? irq_lines[irq].badge : 0);
    if (irq == PLAT_IRQ_TIMER) {
        /* vCPU timers that are due fire (object/vcpu_timer.c); the
         * kernel's tick may or may not be what this interrupt is for. */
        if (vcpu_timer_irq())
            sched_tick();
        /* Debug configuration: while no driver owns the console's input
         * (no handler of its line), the kernel looks for a break there
         * once a tick: the kernel debugger (docs/observability.md). */
        if (CONFIG_DEBUG && !irq_lines[PLAT_IRQ_CONSOLE].claimed && plat_console_break())
            kdb_break(ks_cur);
    } else {
        /* Masked until the handler acks: a level-triggered line cannot
         * storm while its thread runs. */
        plat_irq_mask(irq);
        if (irq_lines[irq].ntfn)
            notification_signal(irq_lines[irq].ntfn, irq_lines[irq].badge);
        else
            printk("[kernel] spurious irq %u masked\n", irq);
    }
    plat_irq_eoi(irq);
}

void irq_handle_pending(void)
{
    for (unsigned n = 0; n < IRQ_BATCH; n++) {
        uint32_t irq = plat_irq_claim();
        if (irq == PLAT_IRQ_NONE)
            return;
        irq_handle(irq);
    }
}

void irq_handle_one(uint32_t irq)
{
    irq_handle(irq);
}

bool irq_to_running_vcpu(uint32_t irq, struct tcb *t)
{
    if (irq >= PLAT_IRQ_MAX || irq == PLAT_IRQ_TIMER)
        return false;
    notification_t *n = irq_lines[irq].ntfn;
    if (!n || n->head || n->bound != t)
        return false;
    /* irq_handle's own steps for this line, with notification_signal's
     * branch for a bound vCPU that does not wait (object/notification.c). */
    word_t badge = irq_lines[irq].badge;
    trace_irq(t, irq, n, badge);
    plat_irq_mask(irq);
    trace_signal(t, n, badge, t, 1);
    vcpu_signal(t, badge);
    plat_irq_eoi(irq);
    return true;
}

NORETURN void c_handle_irq(void)
{
    trace_entry(ks_cur, TRACE_ENTRY_IRQ);
    irq_handle_pending();
    kernel_exit();
}
