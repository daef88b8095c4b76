/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual CPU objects (object/vcpu.c, docs/vcpu.md). */
#pragma once
#include <config.h>
#include <object/tcb.h>
#include <platform.h>

/* Virtual lines a vCPU has: one bit each of virq_pending and virq_ack. */
#define VCPU_VIRQ_LINES 32u

struct vcpu;

/* vcpu_timer_t, the kernel timer (a vCPU's or a thread's): object/tcb.h. */

typedef struct vcpu {
    tcb_t *tcb;       /* bound thread, or NULL */
    word_t *state;    /* kernel address of the shared state page */
    word_t user_mode; /* 1: the thread runs a guest-user context */
    /* Armed only while bound: unbinding (either side's deletion) disarms. */
    vcpu_timer_t timer[L4_VCPU_TIMERS];
    /* Interrupts routed to this vCPU (irq_handler_route_vcpu, core/irq.c,
     * docs/vcpu.md): virtual line k has physical line virq_line[k] iff bit
     * k of virq_routed is set, and awaits the guest's acknowledgement
     * (the line masked) iff bit k of virq_active is set too. Routes exist
     * only while the vCPU is bound (vcpu_finalise and vcpu_tcb_finalise end
     * them all); core/irq.c's line table is the other side of each one. */
    word_t virq_routed;
    word_t virq_active; /* a subset of virq_routed */
    uint8_t virq_line[VCPU_VIRQ_LINES];
    /* Line priorities (vcpu_set_priority, object/vcpu_prio.c, docs/vcpu.md
     * "Interrupt priorities"): virq_prio[k] is line k's, 0 the highest;
     * virq_below[p] is the set of lines whose priority is below p, for p
     * = 0 .. L4_VCPU_PRIO_NONE, so that the deliverability rule is one
     * load. Bind resets them (every line 0); the state page's virq_prio
     * is a copy for the guest, never read by the kernel. */
    uint8_t virq_prio[VCPU_VIRQ_LINES];
    word_t virq_below[L4_VCPU_PRIO_NONE + 1];
} vcpu_t;

STATIC_ASSERT(sizeof(void *) != 4 || sizeof(vcpu_t) <= (1u << L4_OBJ_VCPU_BITS), "vcpu size");
STATIC_ASSERT(PLAT_IRQ_MAX <= 256, "virq_line holds an INTID in a byte");

/* Save the thread's current context into the state page and start the
 * guest kernel's upcall entry (docs/vcpu.md, "Upcalls"). */
void vcpu_upcall(tcb_t *t, word_t cause, word_t addr, word_t status);
/* The upcall for an exception of the running thread t (ks_cur) in virtual
 * user mode that changed nothing else, and straight back to user mode in
 * the guest-kernel space (core/vcpu_fast.c). */
NORETURN void vcpu_fast_upcall(tcb_t *t, word_t cause, word_t addr, word_t status);
/* kernel_exit() keeping the vCPU thread t (ks_cur) on the CPU with a
 * deliverable virtual interrupt: the upcall, and out (core/vcpu_fast.c). */
NORETURN void vcpu_fast_exit_deliver(tcb_t *t);
/* A guest-user svc through arch/arm/vcpu_entry.S's vector table. */
NORETURN void vcpu_fast_user_svc(tcb_t *t);
/* An interrupt through that table. */
NORETURN void vcpu_fast_irq(tcb_t *t);
/* Exception from the thread's current context: upcall the guest kernel if
 * the thread is a vCPU in virtual user mode (returns true, or does not
 * return at all with the fast paths on), else false. The check is inline:
 * it is on every slow-path system call. */
static inline bool vcpu_user_exception(tcb_t *t, word_t cause, word_t addr, word_t status)
{
    if (likely(!t->vcpu) || !t->vcpu->user_mode)
        return false;
    if (!CONFIG_VCPU_SLOW)
        vcpu_fast_upcall(t, cause, addr, status); /* and what kernel_exit() would do */
    vcpu_upcall(t, cause, addr, status);
    return true;
}
/* May t's current context use the real FPU? Not a guest-user context whose
 * guest kernel has its virtual FPU off (state page fpexc): there a VFP
 * instruction is the guest kernel's own undefined-instruction trap. */
static inline bool vcpu_fpu_enabled(const tcb_t *t)
{
    return likely(!t->vcpu) || !t->vcpu->user_mode ||
           (t->vcpu->state[L4_VCPU_STATE_FPEXC] & L4_VCPU_FPEXC_EN);
}
/* Is a virtual interrupt pending that the guest has enabled, whose
 * priority beats both its priority mask and its running priority, so that
 * the next return to the vCPU's thread must be an upcall? The threshold is
 * the lower (stricter) of virq_pmr and virq_rpr, plain stores of the
 * guest: any value is valid, L4_VCPU_PRIO_NONE or above masks nothing.
 * The one definition every path that delivers asks (the slow exit, the
 * fast resume and sync, every fast exit that checks pending interrupts),
 * always inlined (docs/vcpu.md, "Interrupt priorities"). With nothing pending it costs what the flag alone did: the
 * pending word is tested first; with a line pending and neither word
 * masking anything (every guest that does not use priorities) it adds two
 * loads, a minimum and a branch; only a mask below L4_VCPU_PRIO_NONE reads
 * the table. */
static inline __attribute__((always_inline)) bool vcpu_virq_deliverable(const vcpu_t *v)
{
    const word_t *st = v->state;
    word_t pending = st[L4_VCPU_STATE_VIRQ_PENDING];
    if (likely(!pending) || !st[L4_VCPU_STATE_VIRQ_ENABLED])
        return false;
    word_t pmr = st[L4_VCPU_STATE_VIRQ_PMR], rpr = st[L4_VCPU_STATE_VIRQ_RPR];
    word_t t = pmr < rpr ? pmr : rpr;
    if (likely(t >= L4_VCPU_PRIO_NONE))
        return true; /* nothing masked by priority: every line is below it */
    return (pending & v->virq_below[t]) != 0;
}
/* Before a vCPU thread returns to user mode: deliver pending virtual
 * interrupts if enabled. */
void vcpu_check_pending(tcb_t *t);
/* A signal for the vCPU bound to t (t not waiting on the notification):
 * the bits pending, delivered by vcpu_check_pending or a fast exit. */
static inline void vcpu_signal(tcb_t *t, word_t bits)
{
    t->vcpu->state[L4_VCPU_STATE_VIRQ_PENDING] |= bits;
}
/* The system calls L4_SYS_VCPU_RESUME and L4_SYS_VCPU_SYNC on the slow
 * path (c_handle_syscall): the reference the fast paths (core/vcpu_fast.c)
 * short-cut, and all that a kernel with CONFIG_VCPU_SLOW has. */
void vcpu_syscall(tcb_t *t, word_t sysno);
/* vcpu_resume's decode, shared by the invocation and the system call:
 * checks everything, then acts (cannot fail). `pd` is the page-directory
 * argument's slot, NULL if none was given. Returns an error, L4_ERR_OK, or
 * VCPU_RESTART (preempted before anything changed: restart the call). */
#define VCPU_RESTART (~0u)
word_t vcpu_decode_resume(tcb_t *t, vcpu_t *v, word_t mode, cte_t *pd);
/* Line priorities (object/vcpu_prio.c): every line at priority 0, mask
 * and running priority at L4_VCPU_PRIO_NONE (at bind); and
 * vcpu_set_priority's decode. */
void vcpu_prio_reset(vcpu_t *v);
struct invocation;
word_t decode_vcpu_set_priority(struct invocation *inv, vcpu_t *v);
void vcpu_finalise(vcpu_t *v);
void vcpu_tcb_finalise(tcb_t *t);

/* The running thread's address space changed under it (kernel_exit must
 * reload it even though the thread stays the same). */
extern bool ks_vspace_dirty;
