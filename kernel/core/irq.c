/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt entry and the line table: each claimed line is delivered to a
 * notification (a signal), or routed straight to a vCPU as one of its
 * virtual lines (docs/vcpu.md, "Interrupts routed to a vCPU"), or nowhere. */
#include <arch.h>
#include <assert.h>
#include <fastpath_asm.h>
#include <ipc.h>
#include <ipc_queue.h>
#include <kdb.h>
#include <object/vcpu.h>
#include <object/vcpu_timer.h>
#include <irq.h>
#include <platform.h>
#include <printk.h>
#include <sched.h>
#include <trace.h>

/* At most one of ntfn and vcpu is set. A routed line's vcpu is bound, has
 * the line's bit (badge) in virq_routed and the line in virq_line[]; the
 * line is masked while that bit is in the vCPU's virq_active. */
typedef struct {
    notification_t *ntfn; /* where the line is signalled, or NULL */
    vcpu_t *vcpu;         /* the vCPU it is routed to, or NULL */
    word_t badge;         /* ntfn: the signal's badge; vcpu: the virtual line's bit */
    bool claimed;         /* an IRQ handler cap exists */
} irq_line_t;
/* Not static: arch/arm/vcpu_entry.S's vcpu_irq_asm reads a line's ntfn,
 * vcpu and badge (fastpath_asm.h, checked below); nothing else outside
 * this file uses it. */
irq_line_t irq_lines[PLAT_IRQ_MAX];
#define FP_OFF(type, field, v) STATIC_ASSERT(__builtin_offsetof(type, field) == (v), #field)
FP_OFF(irq_line_t, ntfn, FP_IRQ_LINE_NTFN);
FP_OFF(irq_line_t, vcpu, FP_IRQ_LINE_VCPU);
FP_OFF(irq_line_t, badge, FP_IRQ_LINE_BADGE);
STATIC_ASSERT(sizeof(void *) != 4 || sizeof(irq_line_t) == (1u << FP_IRQ_LINE_BITS), "irq_line_t");
STATIC_ASSERT(PLAT_IRQ_NONE == FP_IRQ_NONE, "vcpu_irq_asm's PLAT_IRQ_NONE");
static word_t irq_delivering; /* lines with a notification or a vCPU */

bool irq_is_claimed(word_t irq)
{
    return irq_lines[irq].claimed;
}
void irq_claim(word_t irq)
{
    irq_lines[irq].claimed = true;
}

bool irq_is_routed(word_t irq)
{
    return irq_lines[irq].vcpu != NULL;
}

bool irq_has_destination(word_t irq)
{
    return irq_lines[irq].ntfn || irq_lines[irq].vcpu;
}

/* The line's routing to a vCPU ends: masked, the vCPU forgets it. */
static void irq_unroute(word_t irq)
{
    vcpu_t *v = irq_lines[irq].vcpu;
    word_t bit = irq_lines[irq].badge;
    v->virq_routed &= ~bit;
    v->virq_active &= ~bit;
    irq_lines[irq].vcpu = NULL;
    irq_lines[irq].badge = 0;
    irq_delivering--;
    plat_irq_mask(irq);
}

void irq_set_notification(word_t irq, notification_t *n, word_t badge)
{
    if (irq_lines[irq].vcpu)
        irq_unroute(irq);
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

void irq_route_vcpu(word_t irq, vcpu_t *v, word_t vline)
{
    assert_debug(!irq_has_destination(irq) && v->tcb && vline < VCPU_VIRQ_LINES &&
                 !(v->virq_routed & BIT(vline)));
    irq_lines[irq].vcpu = v;
    irq_lines[irq].badge = BIT(vline);
    irq_delivering++;
    v->virq_routed |= BIT(vline);
    v->virq_line[vline] = (uint8_t)irq;
    plat_irq_unmask(irq);
}

void irq_unroute_vcpu(vcpu_t *v)
{
    for (word_t bits = v->virq_routed; bits; bits &= bits - 1)
        irq_unroute(v->virq_line[__builtin_ctz(bits)]);
}

void irq_release(word_t irq)
{
    irq_set_notification(irq, NULL, 0);
    irq_lines[irq].claimed = false;
}

void irq_ack(word_t irq)
{
    vcpu_t *v = irq_lines[irq].vcpu;
    if (v) {
        if (v->virq_active & irq_lines[irq].badge) {
            v->virq_active &= ~irq_lines[irq].badge; /* as the guest's acknowledgement */
            plat_irq_unmask(irq);
        }
    } else if (irq_lines[irq].ntfn) {
        plat_irq_unmask(irq);
    }
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

const vcpu_t *irq_vcpu(word_t irq, word_t *bit)
{
    *bit = irq_lines[irq].badge;
    return irq_lines[irq].vcpu;
}

word_t irq_delivering_count(void)
{
    return irq_delivering;
}

bool irq_can_wake_threads(void)
{
    return irq_delivering != 0 || vcpu_timer_any_armed();
}

/* A routed line fired (masked by the caller): it is active until the
 * guest acknowledges it, and its bit pending for the vCPU, or, if the
 * vCPU's thread waits on its bound notification (its idle loop), the
 * thread wakes with the bit as if signalled there. */
static inline void irq_deliver_vcpu(vcpu_t *v, word_t bit)
{
    tcb_t *t = v->tcb;
    notification_t *n = t->bound_ntfn;
    v->virq_active |= bit;
    if (n && t->state == THREAD_BLOCKED_NTFN && t->blocked_on == n) {
        trace_signal(ks_cur, NULL, bit, t, 1);
        ntfn_wake_waiter(n, t, bit);
        return;
    }
    trace_signal(ks_cur, NULL, bit, t, 1);
    vcpu_signal(t, bit);
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
        else if (irq_lines[irq].vcpu)
            irq_deliver_vcpu(irq_lines[irq].vcpu, irq_lines[irq].badge);
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

/* irq_to_running_vcpu's body, inline in c_handle_irq. */
static inline __attribute__((always_inline)) bool irq_for_running_vcpu(uint32_t irq, tcb_t *t)
{
    assert_debug(t->vcpu);
    if (irq >= PLAT_IRQ_MAX || irq == PLAT_IRQ_TIMER)
        return false;
    notification_t *n = irq_lines[irq].ntfn;
    word_t badge = irq_lines[irq].badge;
    if (n) {
        if (n->head || n->bound != t)
            return false;
        /* irq_handle's own steps for this line, with notification_signal's
         * branch for a bound vCPU that does not wait (object/notification.c). */
        trace_irq(t, irq, n, badge);
        plat_irq_mask(irq);
        trace_signal(t, n, badge, t, 1);
    } else {
        vcpu_t *v = irq_lines[irq].vcpu;
        if (v != t->vcpu) /* (never NULL) */
            return false;
        /* Routed to it: irq_handle's steps, with irq_deliver_vcpu's branch
         * for a thread that does not wait. */
        trace_irq(t, irq, NULL, badge);
        plat_irq_mask(irq);
        v->virq_active |= badge;
        trace_signal(t, NULL, badge, t, 1);
    }
    vcpu_signal(t, badge);
    plat_irq_eoi(irq);
    return true;
}

bool irq_to_running_vcpu(uint32_t irq, struct tcb *t)
{
    return irq_for_running_vcpu(irq, t);
}

/* The common case of a device interrupt, short-cut: the line's signal
 * wakes a thread waiting on its notification that outranks the
 * interrupted thread cur, neither a vCPU. irq_handle and kernel_exit
 * would mask, wake it (ks_direct: it outranks every queued thread, since
 * none outranks cur at user level), end the interrupt and switch, putting
 * cur back at the head of its queue; this does the same in one pass, the
 * same records in the trace. Returns if the case does not apply. */
static inline __attribute__((always_inline)) void irq_fast_wake(uint32_t irq, tcb_t *cur)
{
    if (irq >= PLAT_IRQ_MAX)
        return;
    notification_t *n = irq_lines[irq].ntfn; /* never set for the kernel's timer */
    tcb_t *w = n ? n->head : NULL;
    if (!w || !cur || w->priority <= cur->priority || w->vcpu || cur->vcpu)
        return;
    word_t badge = irq_lines[irq].badge;
    trace_irq(cur, irq, n, badge);
    plat_irq_mask(irq);
    trace_signal(cur, n, badge, w, 0);
    tcb_t *second = w->ipc_next; /* w leaves the head of the queue */
    n->head = second;
    if (second)
        second->ipc_prev = NULL;
    else
        n->tail = NULL;
    w->ipc_next = NULL;
    w->ctx.r[0] = L4_ERR_OK;
    w->ctx.r[6] = badge | n->word;
    n->word = 0;
    w->blocked_on = NULL;
    w->state = THREAD_RUNNABLE;
    plat_irq_eoi(irq);
    fastpath_preempt(cur, w);
}

/* An interrupt from user mode: one line per entry (one read of the
 * controller's acknowledge register); another pending line is taken as
 * soon as the exit unmasks interrupts again. irq is the line claimed. */
static inline __attribute__((always_inline)) NORETURN void irq_entry(tcb_t *cur, uint32_t irq)
{
    if (irq == PLAT_IRQ_TIMER) {
        /* The kernel's tick first: neither short cut below applies to it
         * (no notification is ever bound to its line, and it is no
         * vCPU's), so it skips their tests. */
        irq_handle(irq);
    } else if (irq != PLAT_IRQ_NONE) {
        if (!CONFIG_SLOWPATH)
            irq_fast_wake(irq, cur);
        /* A line for the running vCPU (routed to it, or its bound
         * notification's) wakes nobody: with virtual interrupts on, its
         * upcall at once (core/vcpu_fast.c), as kernel_exit would make it
         * after irq_handle. Virtual user mode comes here only when resumed
         * on the slow path; the fast resume's vectors take vcpu_fast_irq.
         * In the release and bench kernels arch/arm/vcpu_entry.S's
         * vcpu_irq_asm has taken a routed line's upcall from virtual
         * kernel mode already (docs/vcpu.md, "Fast paths"). */
        if (!CONFIG_VCPU_SLOW && cur && cur->vcpu && irq_for_running_vcpu(irq, cur)) {
            if (vcpu_virq_deliverable(cur->vcpu))
                vcpu_fast_upcall(cur, L4_VCPU_CAUSE_VIRQ, 0, 0);
            kernel_exit();
        }
        irq_handle(irq);
    }
    kernel_exit();
}

NORETURN void c_handle_irq(void)
{
    tcb_t *cur = ks_cur;
    trace_entry(cur, TRACE_ENTRY_IRQ);
    irq_entry(cur, plat_irq_claim());
}

/* vcpu_irq_asm's fallback: the line it claimed (PLAT_IRQ_NONE for none),
 * nothing else changed; only in the configurations without trace records. */
NORETURN void c_handle_irq_claimed(uint32_t irq)
{
    irq_entry(ks_cur, irq);
}
