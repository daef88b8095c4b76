/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processor-level port functions, paravirtualised: the interrupt flag is a
 * word in the vCPU state page, idling is a wait on the vCPU's notification,
 * a software interrupt for ourselves is a bit made pending in the state page
 * (and, with interrupts on, our own interrupt entry at once). None of this
 * traps except where the comment says so.
 */
#include "pv.h"

/* The guest's lines, from its info page (pv_boot): the system description
 * lays them out (docs/vmm.md, "Virtual interrupt lines"); the physical
 * ones are trap.c's pv_irq_masks[2] (pv.h). */
struct pv_irq_soft pv_irq_soft __attribute__((aligned(8)));
uint32_t pv_irq_chan_first;

/* port_irq_save (cpsid i: a store) and port_irq_restore (cpsie i if the
 * matching save found interrupts on; traps, vcpu_sync, only when an
 * interrupt is already pending) are l4/vcpu.h's l4_vcpu_irq_disable and
 * l4_vcpu_irq_restore written in entry.S: one literal load of the flag's
 * address instead of the compiler's movw/movt pair. */

/*
 * wfi: block on the bound notification (idle task, interrupts on). A
 * signal that arrives while we wait wakes us with its bits instead of
 * setting virq_pending, so they are made pending here and taken with
 * vcpu_sync, exactly like an interrupt after wfi.
 */
void port_idle(void)
{
    l4_word_t bits = 0;

    if (!l4_vcpu_get(pv_state, L4_VCPU_STATE_VIRQ_PENDING))
        l4_wait(GUEST_CAP_NTFN, &bits);
    if (bits)
        l4_vcpu_add_pending(pv_state, bits);
    if (l4_vcpu_get(pv_state, L4_VCPU_STATE_VIRQ_PENDING))
        l4_vcpu_sync(GUEST_CAP_VCPU);
}

/* A software interrupt for ourselves, without a trap (port_irq_trigger,
 * entry.S): pending in the state page; if interrupts are on it is taken
 * before this returns, as an SGI is natively, by the upcall the kernel
 * would make, made here (pv_self_upcall); if off, it stays pending until
 * port_irq_restore(). (l4_vcpu_raise_self takes it through vcpu_sync, a
 * signal to GUEST_CAP_SELF_IRQ + k through the kernel's signal.) Its end
 * when interrupts were on and a priority mask is held: taken now if the
 * line's priority beats it, else it stays pending and interrupts are on
 * again at once. */
void pv_irq_trigger_held(uint32_t bit)
{
    if (l4_vcpu_deliverable_lines(pv_state, bit) && !pv_irq_nest_depth)
        pv_self_upcall(); /* returns with interrupts on */
    else
        l4_vcpu_irq_enable(pv_state, GUEST_CAP_VCPU); /* held off: stays pending */
}

/* A line's priority is the vCPU's (vcpu_set_priority: the kernel keeps it
 * and mirrors it into the state page); the RTOS's levels are the vCPU's.
 * Then whether handlers can nest, and from which level (pv_irq_nest_above,
 * pv.h), from the state page's copy. */
void port_irq_set_priority(unsigned line, unsigned prio)
{
    l4_word_t err = l4_vcpu_set_priority(GUEST_CAP_VCPU, line, prio);
    l4_word_t top = L4_VCPU_PRIO_NONE, bottom = 0;

    if (err != L4_ERR_OK)
        pv_fatal("vcpu_set_priority refused", err, line);
    for (unsigned k = 0; k < PORT_IRQ_LINES; k++) {
        l4_word_t p = l4_vcpu_prio_of(pv_state, k);
        top = p < top ? p : top;
        bottom = p > bottom ? p : bottom;
    }
    pv_irq_nest_above = top < bottom ? top : L4_VCPU_PRIO_NONE; /* pv.h */
}

/* GICC_PMR: the state page's virq_pmr, a store; lowering it traps only if
 * a line it unmasks is pending (l4_vcpu_set_pmr). RTOS_IRQ_PRIO_NONE (15,
 * the GIC's 0xf0, which holds off only level 15, unused) is stored as
 * L4_VCPU_PRIO_NONE (16): the same lines, and the kernel's and the
 * library's rule then skip the priority table. */
unsigned port_irq_set_mask(unsigned prio)
{
    l4_word_t pmr = prio >= RTOS_IRQ_PRIO_NONE ? L4_VCPU_PRIO_NONE : prio;
    l4_word_t old = l4_vcpu_set_pmr(pv_state, pmr, GUEST_CAP_VCPU);

    return old >= RTOS_IRQ_PRIO_NONE ? RTOS_IRQ_PRIO_NONE : (unsigned)old;
}

/*
 * The FPU (the core switches it, core/fpu.c). The guest kernel's own VFP
 * instructions always run (virtual kernel mode: docs/vcpu.md, "Floating
 * point"), so the save and load need nothing first. The native vmsr fpexc
 * is a store to the state page's fpexc: the kernel reads it at every
 * vcpu_resume(USER), so a protected task runs with the FPU off (its VFP
 * instruction an UNDEFINED upcall) unless EN is set; kernel tasks run in
 * virtual kernel mode, where it is not consulted.
 */
void port_fpu_switch(port_fpu_t *save, const port_fpu_t *load)
{
    if (save)
        arm_fpu_save(save);
    arm_fpu_load(load);
    l4_vcpu_set(pv_state, L4_VCPU_STATE_FPEXC, L4_VCPU_FPEXC_EN);
}

void port_fpu_enable(bool on)
{
    l4_vcpu_set(pv_state, L4_VCPU_STATE_FPEXC, on ? L4_VCPU_FPEXC_EN : 0);
}

/* A kernel task: user mode in the guest-kernel space, interrupts on. */
void port_context_init(port_ctx_t *ctx, void (*entry)(void *), void *arg, void *stack_top)
{
    if (pv_kregs_ctx == ctx)
        pv_kregs_ctx = NULL; /* kregs hold the context's last task */
    memset(ctx, 0, sizeof(*ctx));
    ctx->r[0] = (uint32_t)(uintptr_t)arg;
    ctx->sp = (uint32_t)(uintptr_t)stack_top;
    ctx->pc = (uint32_t)(uintptr_t)entry;
    ctx->cpsr = PV_PSR_USR;
    ctx->kind = PV_CTX_KERNEL;
}


/* A protected task: virtual user mode, starting in the user stub. */
void port_user_context_init(port_ctx_t *ctx, uintptr_t entry, uintptr_t sp, uintptr_t arg0,
                            uintptr_t arg1)
{
    if (pv_regs_ctx == ctx)
        pv_regs_ctx = NULL; /* regs hold the context's last task */
    memset(ctx, 0, sizeof(*ctx));
    ctx->r[0] = entry;
    ctx->r[1] = arg0;
    ctx->r[2] = arg1;
    ctx->sp = sp;
    ctx->pc = (uint32_t)(uintptr_t)arm_user_start;
    ctx->cpsr = PV_PSR_USR;
    ctx->kind = PV_CTX_USER;
}
