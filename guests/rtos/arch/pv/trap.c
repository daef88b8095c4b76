/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * C halves of the upcall entry (entry.S) and resuming a context. Each
 * pv_upcall_* handler is called on the kernel stack with virtual interrupts
 * off and the interrupted context saved in *ctx; it brackets its upcalls
 * with rtos_kernel_enter()/rtos_kernel_leave() as the port contract
 * requires and returns the context to resume.
 *
 * Interrupts: the pending set is drained at the end of every kernel entry
 * (not only on a VIRQ upcall), so an interrupt that arrived during a system
 * call or a yield costs no second upcall.
 */
#include <stddef.h>

#include "pv.h"

_Static_assert(offsetof(port_ctx_t, r[4]) == PV_CTX_R4, "entry.S layout");
_Static_assert(offsetof(port_ctx_t, sp) == PV_CTX_SP, "entry.S layout");
_Static_assert(offsetof(port_ctx_t, lr) == PV_CTX_LR, "entry.S layout");
_Static_assert(offsetof(port_ctx_t, pc) == PV_CTX_PC, "entry.S layout");
_Static_assert(offsetof(port_ctx_t, cpsr) == PV_CTX_CPSR, "entry.S layout");
_Static_assert(offsetof(port_ctx_t, kind) == PV_CTX_KIND, "entry.S layout");
_Static_assert(PV_CTX_CPSR / 4 + 1 == L4_VCPU_REGS, "ctx mirrors regs/kregs");
_Static_assert(PV_STATE_VADDR == GUEST_STATE_VADDR, "entry.S state page");
_Static_assert(PV_CAP_VCPU == GUEST_CAP_VCPU, "entry.S VCPU cap");
_Static_assert(PV_IRQ_TIMER == GUEST_IRQ_TIMER, "entry.S lines");

/* The guest's task switches on the kernel's trace (docs/observability.md):
 * when the VMM says the kernel records events (GUEST_INFO_TRACE), each
 * resume of another task than the last logs it with machine_trace on
 * GUEST_CAP_TRACE (its address and the first 12 bytes of its name). The
 * benchmark image is built with PV_TRACE 0 (pv.h): not even the test of
 * the word. */

static const rtos_task_t *pv_traced_task;

static void pv_trace_task(void)
{
    const rtos_task_t *t = rtos_task_self();
    uint32_t w[3] = {0, 0, 0};

    if (t == pv_traced_task)
        return;
    pv_traced_task = t;
    for (unsigned i = 0; t && t->name && i < sizeof w && t->name[i]; i++)
        w[i / 4] |= (uint32_t)(uint8_t)t->name[i] << (8 * (i % 4));
    l4_machine_trace(GUEST_CAP_TRACE, L4_TRACE_EV_TASK, (uint32_t)(uintptr_t)t, w[0], w[1], w[2],
                     NULL);
}

static port_ctx_t pv_boot_ctx; /* sink for an upcall before the first task */
port_ctx_t *pv_ctx_cur = &pv_boot_ctx;
port_ctx_t *pv_held_ctx[2];
/* pv_user_pd and the page directory of the last vcpu_resume(USER): the
 * kernel keeps a copy of that one, which L4_CAP_NULL names (docs/vcpu.md);
 * 0: none yet, or its space was destroyed (port_as_destroy). */
uint32_t pv_user_pds[2];

/* Lines the core allowed (port_irq_unmask) and lines that fired while
 * masked: those stay pending until unmasked, as on a GIC; then the
 * physical lines (pv.h). One array, so that pv_irq_dispatch (entry.S)
 * finds all three at one address. */
uint32_t pv_irq_masks[4] = {[3] = L4_VCPU_PRIO_NONE};
#define pv_irq_allowed (pv_irq_masks[0])
#define pv_irq_deferred (pv_irq_masks[1])
uint32_t pv_irq_nest_depth;

void port_irq_unmask(unsigned line)
{
    uint32_t bit = 1u << line;

    pv_irq_allowed |= bit;
    if (pv_irq_deferred & bit) {
        pv_irq_deferred &= ~bit;
        l4_vcpu_add_pending(pv_state, bit); /* taken at irq_restore */
    }
}

void port_irq_mask(unsigned line)
{
    pv_irq_allowed &= ~(1u << line);
}

/* A vcpu_sync of a resume by jump (entry.S, pv_resume_sync and
 * pv_resume_interrupted) failed: virq_ack named a line that awaits no
 * acknowledgement, a port bug. */
void pv_sync_failed(l4_word_t err)
{
    pv_fatal("vcpu_sync refused the acknowledgement", err, 0);
}

/*
 * Delivering the pending lines (pv_irq_dispatch, entry.S): kernel context.
 * One take of the pending set: a line that arrives while the handlers run
 * stays pending, and the way out takes it (pv_resume: vcpu_resume upcalls
 * again at once; every jump that turns interrupts on checks virq_pending
 * and syncs; a jump that leaves them off leaves it for the task's
 * port_irq_restore). Lines the core masked (port_irq_mask) are deferred
 * until it unmasks them; the tick's line is rtos_kernel_tick, every other
 * rtos_kernel_irq; a physical line is routed straight to this vCPU and
 * stays masked after its delivery until the guest acknowledges it
 * (docs/vmm.md, "Physical interrupt lines"), so each one serviced is ORed
 * into virq_ack, which the kernel takes in the next resume or sync
 * (pv_resume), as a native EOI.
 *
 * Only the lines the priority masks let through (l4_vcpu_deliverable_lines)
 * are taken: a kernel entry for another reason (a yield, a system call, a
 * self-upcall) finds held lines pending too, and they must stay pending
 * for the kernel to deliver when the mask drops. With no mask held (the
 * state page's virq_pmr and virq_rpr both at or above L4_VCPU_PRIO_NONE,
 * tested in entry.S) that is every pending line, one atomic exchange; with
 * one held, this takes them.
 */
uint32_t pv_take_held(void)
{
    return l4_vcpu_take_lines(
        pv_state, l4_vcpu_deliverable_lines(pv_state, l4_vcpu_get(pv_state, L4_VCPU_STATE_VIRQ_PENDING)));
}

/*
 * Nesting (docs/vcpu.md, "Interrupt priorities"). When the lines'
 * priorities differ (pv_irq_nest_above, pv.h) pv_irq_dispatch hands its
 * lines here: they run highest priority first (ties: the lowest line), and
 * what becomes pending meanwhile joins them in that order. A handler whose
 * line is below the highest priority of any line runs with interrupts on
 * at its priority: virq_rpr is its priority, so only a line above it is
 * delivered (the kernel's rule), and the upcall of that line enters at
 * pv_upcall_nested (entry.S), which runs it on this handler's stack and
 * resumes the handler. A line of the same or a lower priority, or the
 * highest, never nests: its handler runs with interrupts off, as every
 * handler does when the priorities are all the same (the common case,
 * which pv_irq_dispatch keeps in assembly). The tick always runs with
 * interrupts off (sched_tick has no critical section of its own), as
 * natively (arch/native/trap.c).
 */
static void pv_irq_run_nested(unsigned line, l4_word_t prio)
{
    l4_word_t rpr = l4_vcpu_get(pv_state, L4_VCPU_STATE_VIRQ_RPR);

    l4_vcpu_set(pv_state, L4_VCPU_STATE_VIRQ_RPR, prio);
    if (pv_irq_nest_depth++ == 0)
        l4_vcpu_set(pv_state, L4_VCPU_STATE_ENTRY_PC, (l4_word_t)(uintptr_t)pv_upcall_nested);
    l4_vcpu_irq_enable(pv_state, GUEST_CAP_VCPU); /* a line above it pending: now */
    rtos_kernel_irq(line);
    l4_vcpu_irq_disable(pv_state);
    if (--pv_irq_nest_depth == 0)
        l4_vcpu_set(pv_state, L4_VCPU_STATE_ENTRY_PC, (l4_word_t)(uintptr_t)pv_upcall_entry);
    l4_vcpu_set(pv_state, L4_VCPU_STATE_VIRQ_RPR, rpr); /* off: no sync (the way out's) */
}

/* The lines of `taken` the core allows; the others deferred (as in
 * pv_irq_dispatch). */
static uint32_t pv_irq_allow(uint32_t taken)
{
    pv_irq_deferred |= taken & ~pv_irq_allowed;
    return taken & pv_irq_allowed;
}

void pv_irq_run_ordered(uint32_t lines)
{
    while (lines) {
        unsigned line = (unsigned)l4_vcpu_highest_line(pv_state, lines);
        uint32_t bit = 1u << line;
        l4_word_t prio = l4_vcpu_prio_of(pv_state, line);

        lines &= ~bit;
        if (line == PV_IRQ_TIMER)
            rtos_kernel_tick();
        else if (prio > pv_irq_nest_above)
            pv_irq_run_nested(line, prio);
        else
            rtos_kernel_irq(line);
        if (pv_irq_phys_lines & bit)
            l4_vcpu_ack(pv_state, bit); /* as a native EOI (pv_irq_dispatch) */
        lines |= pv_irq_allow(pv_take_held());
    }
}

/* A level's room: the port's frames and a handler's budget (pv.h). */
_Static_assert(PV_NEST_ROOM >= 512 + RTOS_IRQ_HANDLER_STACK, "a level's room");
_Static_assert(PV_KSTACK_SIZE >= (RTOS_IRQ_PRIO_LEVELS + 2) * PV_NEST_ROOM,
               "the kernel stack holds the deepest chain and the check's room");

/* pv_upcall_nested's vcpu_resume(KERNEL) of the preempted handler failed:
 * a port bug (its acknowledgement, or the words it put back). */
void pv_nested_resume_failed(l4_word_t err, uint32_t sp)
{
    pv_fatal("vcpu_resume of a preempted handler failed", err, sp);
}

/* pv_upcall_nested entered by something that is no interrupt preempting a
 * nesting handler: a broken contract, or a jump in the guest. */
void pv_upcall_nested_bad(uint32_t cause, uint32_t from_user, uint32_t depth, uint32_t sp)
{
    if (cause != L4_VCPU_CAUSE_VIRQ || from_user)
        pv_fatal("nested upcall not an interrupt in kernel mode", cause, from_user);
    if (!depth)
        pv_fatal("nested upcall without a nesting handler", cause, sp);
    if (sp >= (uint32_t)(uintptr_t)pv_kstack && sp < (uint32_t)(uintptr_t)pv_kstack + PV_NEST_ROOM)
        pv_fatal("nested upcall: kernel stack exhausted", sp, (uint32_t)(uintptr_t)pv_kstack);
    pv_fatal("nested upcall with its sp outside the kernel stack", sp,
             (uint32_t)(uintptr_t)pv_kstack);
}

static inline void pv_irq_drain(void)
{
    if (l4_vcpu_get(pv_state, L4_VCPU_STATE_VIRQ_PENDING))
        pv_irq_dispatch();
}

/* The upcalls of an interrupt and of a protected task's system call are
 * dispatched in entry.S (pv_upcall_entry), which calls the core directly;
 * these are the rare ones. Each comes only from virtual user mode (the
 * kernel upcalls virtual kernel mode only for an interrupt: docs/vcpu.md,
 * "Upcalls"; the entry reports any other cause there, pv_upcall_bad). */
/*
 * A protected task's page fault. The state page gives the address and the
 * FSR but not whether it was an instruction fetch (docs/vcpu.md); a fetch
 * fault is the one whose address is the faulting pc itself.
 */
port_ctx_t *pv_upcall_fault(port_ctx_t *ctx, uint32_t addr, uint32_t status)
{
    rtos_kernel_enter();
    rtos_kernel_fault(ctx, addr == ctx->pc ? PORT_FAULT_PREFETCH : PORT_FAULT_DATA, addr);
    pv_irq_drain();
    return rtos_kernel_leave();
}

port_ctx_t *pv_upcall_undef(port_ctx_t *ctx)
{
    rtos_kernel_enter();
    rtos_kernel_fault(ctx, PORT_FAULT_UNDEF, ctx->pc);
    pv_irq_drain();
    return rtos_kernel_leave();
}

/* A cause the kernel does not give (or, in virtual kernel mode, anything
 * but an interrupt): a broken contract. */
void pv_upcall_bad(port_ctx_t *ctx, uint32_t cause)
{
    pv_fatal(ctx->kind == PV_CTX_USER ? "unknown upcall cause" : "upcall from kernel mode", cause,
             ctx->pc);
}

/*
 * Resume ctx; it becomes the current context. Kernel context only (virtual
 * interrupts off). Which resume a context takes (docs/vcpu.md, "Resuming
 * without the kernel"; docs/porting.md, "Which resume a task switch takes,
 * and when"):
 *  - a jump, without the kernel (entry.S), for a yielded context
 *    (interrupts stay off), a called one (a yield with interrupts on, a
 *    software interrupt for ourselves) and an interrupted kernel task
 *    unless the kernel must load what PL0 cannot (the IT bits of a Thumb
 *    IT block) or it was interrupted in that jump itself (its frame, below
 *    its sp, is in use: a second one would overwrite it), which
 *    pv_resume_interrupted checks first;
 *  - vcpu_resume for the rest: a protected task (its address space:
 *    pv_resume_user, entry.S) and those kernel tasks (pv_resume_kernel).
 * pv_switch (entry.S) picks the resume for the kind with one indexed load.
 * vcpu_resume loads the registers, takes the acknowledgement of the
 * physical lines the handlers serviced (virq_ack), enables virtual
 * interrupts and delivers one already pending (a new upcall), in one call.
 * Every jump does the same at PL0 and falls back to a vcpu_sync, which
 * takes virq_ack and delivers what is pending, whenever either word is
 * non-zero: one test per jump, in the same place (entry.S), so a line the
 * guest serviced is never left masked and an interrupt never waits.
 *
 * pv_resume_kernel: an interrupted kernel task through kregs and vcpu_resume(KERNEL), where
 * the jump cannot (pv_resume_interrupted) or in the twin image. Where
 * kregs still hold ctx as saved (pv_kregs_ctx: pv.h), only its r0 is
 * written. The pd argument matters only for USER; KERNEL ignores it, so it
 * gets L4_CAP_NULL (docs/vcpu.md: any other value must still name a cap).
 */
void pv_resume_kernel(port_ctx_t *ctx)
{
    l4_vcpu_state_t *dst = &pv_state[L4_VCPU_STATE_KREGS];
    l4_word_t err;

    if (pv_kregs_ctx == ctx) {
        dst[0] = ctx->r[0]; /* the one word the core changes (pv.h) */
    } else {
        pv_kregs_ctx = ctx;
        pv_ctx_to_state(dst, ctx);
    }
    err = l4_vcpu_resume(GUEST_CAP_VCPU, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
    pv_fatal("vcpu_resume failed", err, ctx->pc);
}

void pv_resume_failed(l4_word_t err)
{
    pv_fatal("vcpu_resume failed", err, pv_ctx_cur->pc);
}

/* Resume ctx (pv_switch, entry.S, by its kind), logging the switch first
 * where the image traces them. */
void pv_resume(port_ctx_t *ctx)
{
    if (PV_TRACE && ((const volatile uint32_t *)GUEST_INFO_VADDR)[GUEST_INFO_TRACE])
        pv_trace_task();
    pv_switch(ctx);
}

void port_start_first(port_ctx_t *ctx)
{
    pv_resume(ctx);
}

/* A port bug or a broken contract: report and stop the guest. */
void pv_fatal(const char *what, uint32_t a, uint32_t b)
{
    l4_vcpu_irq_disable(pv_state);
    rtos_printf("[pv] FATAL %s (%p, %p)\n", what, (void *)a, (void *)b);
    port_exit(3);
}
