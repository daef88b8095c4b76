/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Upcalls (docs/vcpu.md) as the ARM exception model: a virtual interrupt
 * becomes an IRQ exception through the guest's own vector table, and every
 * exception of virtual user mode (svc, a page fault the guest's own tables
 * do not allow, an undefined instruction) the exception it is natively.
 * And the boot: the runtime's set-up before the guest's reset code.
 *
 * An upcall from virtual kernel mode can interrupt a runtime call only in
 * its two windows (enter.S): the interrupted context is first made the
 * guest's own again, rolled back to the start of the call stub or rolled
 * forward to where the call was going (docs/previrt.md, "Masking").
 */
#include <l4/l4.h>

#include <previrt/rollback.h>

#include "l4glue.h"

/* Linker-provided bounds of the call stubs (an image may have none). */
extern const char __start_previrt_stubs[] __attribute__((weak));
extern const char __stop_previrt_stubs[] __attribute__((weak));
extern const char __start_previrt_istubs[] __attribute__((weak));
extern const char __stop_previrt_istubs[] __attribute__((weak));
extern const char __previrt_enter[], __previrt_masked[];
extern const char __previrt_exit_unmasked[], __previrt_exit_end[];
extern char _start[]; /* the guest's own reset entry */

/* The state page, for start.S's system-call upcall. */
const uint32_t previrt_upcall_state = (uint32_t)(uintptr_t)PREVIRT_STATE;

/* previrt/rollback.h: upcalls rolled back from inside an inline stub. */
PREVIRT_DATA volatile uint32_t previrt_istub_rollbacks;

static int in_range(uint32_t pc, const char *lo, const char *hi)
{
    /* lo <= pc < hi as one unsigned compare (an absent section: lo = hi) */
    return pc - (uint32_t)(uintptr_t)lo < (uint32_t)(uintptr_t)hi - (uint32_t)(uintptr_t)lo;
}

/* kregs, made the guest's context (ctx: r0-r15 with pc bit 0 = Thumb).
 * Only the words that come from kregs are copied, in one block move. */
static void upcall_kernel_context(previrt_cpu_t *cpu)
{
    volatile uint32_t *k = previrt_state_regs(0);
    uint32_t pc = k[15], cpsr = k[16], thumb = (cpsr >> 5) & 1u;

    if (in_range(pc, __start_previrt_stubs, __stop_previrt_stubs)) {
        /* In a stub, before its call: only r0 has moved (to TPIDRURW). */
        uint32_t start = pc & ~(uint32_t)(PREVIRT_STUB_BYTES - 1);

        previrt_state_copy_r0_r14(cpu->ctx, k);
        if (pc != start)
            cpu->ctx[0] = previrt_hw_scratch();
        pc = start;
    } else if (in_range(pc, __start_previrt_istubs, __stop_previrt_istubs)) {
        /* In an inline stub (contract.py): it has changed nothing the guest
         * can see but ip, the flags (both dead there) and r0, which is in
         * TPIDRURW if the stub parked it; it simply runs again. */
        uint32_t start = pc & ~(uint32_t)(PREVIRT_ISTUB_BYTES - 1);

        previrt_state_copy_r0_r14(cpu->ctx, k);
        if (pc != start) {
            previrt_istub_rollbacks++;
            if (*(const uint32_t *)(uintptr_t)start == PREVIRT_ISTUB_PARK_R0)
                cpu->ctx[0] = previrt_hw_scratch();
        }
        pc = start;
    } else if (in_range(pc, __previrt_enter, __previrt_masked)) {
        /* In the entry, before masking: lr is the stub's descriptor, the
         * guest's lr is in the context already, and so are r1-r13 unless
         * the entry's first instruction (their save) has not run. */
        uint32_t desc = k[14];

        if (pc == (uint32_t)(uintptr_t)__previrt_enter)
            for (unsigned i = 1; i <= 13; i++)
                cpu->ctx[i] = k[i];
        cpu->ctx[0] = previrt_hw_scratch();
        thumb = desc & 1u;
        pc = (desc & ~1u) - PREVIRT_STUB_DESC_OFFSET;
    } else if (in_range(pc, __previrt_exit_unmasked, __previrt_exit_end)) {
        /* In the exit, after unmasking: the context is final. */
        cpsr = cpu->ctx[PREVIRT_CTX_CPSR];
        thumb = cpu->ctx[PREVIRT_CTX_PC] & 1u;
        pc = cpu->ctx[PREVIRT_CTX_PC] & ~1u;
    } else {
        previrt_state_copy_r0_r14(cpu->ctx, k);
    }
    if (cpsr & PSR_IT_J)
        previrt_glue_fatal(cpu, "interrupt inside an IT block of virtual kernel code");
    cpu->ctx[PREVIRT_CTX_PC] = pc | thumb;
    cpu->ctx[PREVIRT_CTX_CPSR] = cpsr & PSR_FLAGS;
}

/* regs, as ctx; returns the user CPSR (what the exception saves as SPSR). */
static uint32_t upcall_user_context(previrt_cpu_t *cpu)
{
    volatile uint32_t *u = previrt_state_regs(1);
    uint32_t cpsr = u[16];

    previrt_state_copy_r0_r14(cpu->ctx, u);
    cpu->ctx[PREVIRT_CTX_PC] = u[15] | ((cpsr >> 5) & 1u);
    cpu->ctx[PREVIRT_CTX_CPSR] = cpsr & PSR_FLAGS;
    return (cpsr & ~PSR_M_MASK) | MODE_USR;
}

/* A virtual interrupt: taken if the vGIC has one to deliver, else the
 * interrupted context continues (with virtual interrupts enabled). */
static void upcall_irq(previrt_cpu_t *cpu, int user, uint32_t spsr)
{
    uint32_t lr = (cpu->ctx[PREVIRT_CTX_PC] & ~1u) + 4; /* IRQ: the next instruction + 4 */

    previrt_irq_collect(cpu);
    previrt_l4.shared.poke = 0;
    if (!vgic_ready(&previrt_l4.shared.vgic)) {
        if (user)
            previrt_resume_user();
        return;
    }
    if (user)
        previrt_take_exception_spsr(cpu, MODE_IRQ, VEC_IRQ, lr, spsr);
    else
        previrt_take_exception(cpu, MODE_IRQ, VEC_IRQ, lr);
}

/* A page fault of virtual user mode: the VMM fills the shadow space if the
 * guest's own tables allow the access; else the guest takes the abort. */
static void upcall_page_fault(previrt_cpu_t *cpu, uint32_t spsr)
{
    uint32_t addr = previrt_state_fault_addr(), pc = cpu->ctx[PREVIRT_CTX_PC] & ~1u;
    uint32_t fetch = addr - pc < 4; /* the state page does not say: the fetch at pc */
    l4_msg_t m = {.info = l4_msginfo(VMM_PREVIRT_FAULT, 0, 3),
                  .mr = {addr, previrt_state_fault_status(), fetch}};

    if (l4_call(GUEST_CAP_VMM, &m) != L4_ERR_OK)
        previrt_glue_fatal(cpu, "the VMM does not serve pre-virtualised faults");
    if (m.mr[0] == 0)
        previrt_resume_user();
    if (fetch) {
        cpu->sys.ifsr = m.mr[0];
        cpu->sys.ifar = addr;
        previrt_take_exception_spsr(cpu, MODE_ABT, VEC_PABT, pc + 4, spsr);
    } else {
        cpu->sys.dfsr = m.mr[0];
        cpu->sys.dfar = addr;
        previrt_take_exception_spsr(cpu, MODE_ABT, VEC_DABT, pc + 8, spsr);
    }
}

void previrt_upcall(void)
{
    previrt_cpu_t *cpu = &__previrt_cpu;
    uint32_t cause = previrt_state_cause(), spsr, pc;

    if (!previrt_state_from_user()) {
        if (cause != PREVIRT_CAUSE_VIRQ)
            previrt_glue_fatal(cpu, "upcall from virtual kernel mode that is no interrupt");
        upcall_kernel_context(cpu);
        cpu->vcpsr &= ~PSR_I; /* the kernel upcalls only with virtual interrupts on */
        upcall_irq(cpu, 0, 0);
    } else {
        if ((cpu->vcpsr & PSR_M_MASK) != MODE_USR)
            previrt_glue_fatal(cpu, "upcall from virtual user mode in a privileged mode");
        spsr = upcall_user_context(cpu);
        cpu->vcpsr = (cpu->vcpsr & ~PSR_I) | (spsr & PSR_I);
        pc = cpu->ctx[PREVIRT_CTX_PC] & ~1u;
        switch (cause) {
        case PREVIRT_CAUSE_VIRQ:
            upcall_irq(cpu, 1, spsr);
            break;
        case PREVIRT_CAUSE_SYSCALL: /* regs.pc is after the svc */
            previrt_take_exception_spsr(cpu, MODE_SVC, VEC_SVC, pc, spsr);
            break;
        case PREVIRT_CAUSE_PAGE_FAULT:
            upcall_page_fault(cpu, spsr);
            break;
        case PREVIRT_CAUSE_UNDEFINED: /* lr: the next instruction (ARM: + 4, Thumb: + 2) */
            previrt_take_exception_spsr(cpu, MODE_UND, VEC_UND, pc + ((spsr & PSR_T) ? 2 : 4),
                                        spsr);
            break;
        default:
            previrt_glue_fatal(cpu, "upcall with an unknown cause");
        }
    }
    cpu->irq_final = (cpu->vcpsr & PSR_I) ? 0 : 1;
    previrt_exit(cpu);
}

/*
 * The reset of the virtual CPU (B1.9.2: SVC mode, A, I and F set, ARM
 * state, VBAR 0), the upcall entry, the shared area attached to the VMM,
 * then the guest's own reset code with every register zero.
 */
void previrt_boot(uint32_t info_page)
{
    previrt_cpu_t *cpu = &__previrt_cpu;
    previrt_l4_t *g = &previrt_l4;
    const volatile uint32_t *info = (const volatile uint32_t *)info_page;
    l4_msg_t m = {.info = l4_msginfo(VMM_PREVIRT_ATTACH, 0, 1),
                  .mr = {(l4_word_t)(uintptr_t)&g->shared}};

    previrt_init(cpu, previrt_state_irq_enable(), previrt_state_pending_word(), GUEST_CAP_VCPU,
                 &g->shared.poke);
    cpu->sctlr = &g->shared.sctlr; /* the VMM's virtual SCTLR: V, the high vectors */
    previrt_state_set_entry((uint32_t)(uintptr_t)__previrt_upcall,
                            (uint32_t)(uintptr_t)cpu->stack_top);
    if (info[GUEST_INFO_MAGIC] != GUEST_INFO_MAGIC_VALUE)
        previrt_glue_fatal(cpu, "no guest-info page");
    g->nphys = info[GUEST_INFO_NIRQS] < GUEST_MAX_IRQS ? info[GUEST_INFO_NIRQS] : GUEST_MAX_IRQS;
    for (uint32_t k = 0; k < g->nphys; k++)
        g->phys_intid[k] = info[GUEST_INFO_IRQ + k];
    g->shared.magic = PREVIRT_SHARED_MAGIC;
    vgic_reset(&g->shared.vgic);
    if (l4_call(GUEST_CAP_VMM, &m) != L4_ERR_OK || m.mr[0] != 0)
        previrt_glue_fatal(cpu, "the VMM does not take a pre-virtualised guest");
    for (unsigned i = 0; i < 15; i++)
        cpu->ctx[i] = 0;
    cpu->ctx[PREVIRT_CTX_PC] = (uint32_t)(uintptr_t)_start;
    cpu->ctx[PREVIRT_CTX_CPSR] = 0;
    cpu->irq_final = 0;
    previrt_exit(cpu);
}
