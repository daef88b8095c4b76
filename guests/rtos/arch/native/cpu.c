/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Processor-level port functions: critical sections, idle, exit, context
 * set-up and the instruction counter. Kept out of line (not in port_arch.h)
 * so that every sensitive instruction of the native build lies in a port_*
 * or native_* function: the sensitive-instruction auditor then lists
 * exactly the port, never core code.
 */
#include <rtos/rtos.h>

#include "cpu.h"

/* Mask IRQs; return the CPSR from before (its I bit is the state). */
port_irqflags_t port_irq_save(void)
{
    uint32_t cpsr;

    __asm__ volatile("mrs %0, cpsr\n\t" /* read the current state */
                     "cpsid i"          /* then mask IRQs */
                     : "=r"(cpsr)
                     :
                     : "memory");
    return cpsr;
}

/* Unmask IRQs only if they were unmasked at the matching save. */
void port_irq_restore(port_irqflags_t flags)
{
    if (!(flags & PSR_I))
        __asm__ volatile("cpsie i" ::: "memory");
}

/* Called by the idle task, IRQs enabled: sleep until an interrupt. The
 * interrupt is taken right after wfi and may switch to another task. */
void port_idle(void)
{
    __asm__ volatile("dsb\n\twfi" ::: "memory");
}

/*
 * Semihosting SYS_EXIT_EXTENDED (0x20): r1 points at {reason, code};
 * reason ADP_Stopped_ApplicationExit (0x20026). QEMU intercepts
 * `svc 0x123456` in ARM state from any privileged mode (tasks run in SYS).
 */
void port_exit(int status)
{
    static uint32_t block[2];
    register uint32_t r0 __asm__("r0") = 0x20;
    register uint32_t *r1 __asm__("r1") = block;

    block[0] = 0x20026;
    block[1] = (uint32_t)status;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    for (;;) /* semihosting disabled: stop here */
        __asm__ volatile("cpsid if\n\twfi" ::: "memory");
}

void port_context_init(port_ctx_t *ctx, void (*entry)(void *), void *arg, void *stack_top)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->r[0] = (uint32_t)(uintptr_t)arg;
    ctx->sp = (uint32_t)(uintptr_t)stack_top;
    ctx->pc = (uint32_t)(uintptr_t)entry;
    ctx->cpsr = PSR_MODE_SYS | PSR_F; /* ARM state, IRQs on */
}

void port_user_context_init(port_ctx_t *ctx, uintptr_t entry, uintptr_t sp, uintptr_t arg0,
                            uintptr_t arg1)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->r[0] = entry;
    ctx->r[1] = arg0;
    ctx->r[2] = arg1;
    ctx->sp = sp;
    ctx->pc = (uint32_t)(uintptr_t)arm_user_start;
    ctx->cpsr = PSR_MODE_USR | PSR_F;
}

/*
 * PMU (ARM ARM C12): counters 0..2 count event 0x08 (instructions
 * architecturally executed): 0 at all levels, 1 at PL1 only (PMXEVTYPER.U
 * excludes PL0), 2 at PL0 only (PMXEVTYPER.P excludes PL1). PMUSERENR.EN
 * lets user code read them. Invariant: PMSELR is 0 whenever interrupts
 * are enabled, so port_perf_read() is a single PMXEVCNTR read (readers of
 * other counters select them with interrupts off, or from user mode
 * restore it, arch/arm/perf_user.S). The stats build reprograms counters 1
 * and 2 (cpu.h, NATIVE_KSTATS).
 */
#define PMCR_E 1u
#define PMCR_P 2u
#define PMCR_C 4u
#define PMEVT_INST_RETIRED 0x08u
#define PMEVT_EXCL_PL0 (1u << 30)
#define PMEVT_EXCL_PL1 (1u << 31)

#define PMEVT_SW_INCR 0x00u

void native_pmu_init(void)
{
    static const uint32_t counting[3] = {PMEVT_INST_RETIRED, PMEVT_INST_RETIRED | PMEVT_EXCL_PL0,
                                         PMEVT_INST_RETIRED | PMEVT_EXCL_PL1};
    static const uint32_t kstats[3] = {PMEVT_INST_RETIRED, PMEVT_SW_INCR, PMEVT_SW_INCR};
    const uint32_t *type = NATIVE_KSTATS ? kstats : counting;

    CP15_WRITE(0, c9, c12, 0, PMCR_E | PMCR_P | PMCR_C); /* PMCR */
    for (unsigned i = 0; i < 3; i++) {
        CP15_WRITE(0, c9, c12, 5, i); /* PMSELR */
        CP15_WRITE(0, c9, c13, 1, type[i]);
    }
    CP15_WRITE(0, c9, c12, 5, 0);
    CP15_WRITE(0, c9, c12, 1, 0x80000007u); /* PMCNTENSET: 0-2, cycles */
    CP15_WRITE(0, c9, c14, 0, 1);           /* PMUSERENR.EN */
}

uint32_t port_perf_read(void)
{
    return CP15_READ(0, c9, c13, 2); /* PMXEVCNTR of counter 0 */
}

/* PMEVCNTR1/2 through PMSELR, which is 0 again before interrupts are. */
bool port_perf_kstats(uint32_t *entries, uint32_t *switches)
{
    port_irqflags_t flags;

    if (!NATIVE_KSTATS)
        return false;
    flags = port_irq_save();
    CP15_WRITE(0, c9, c12, 5, NATIVE_KSTAT_ENTRY);
    cpu_isb();
    *entries = CP15_READ(0, c9, c13, 2);
    CP15_WRITE(0, c9, c12, 5, NATIVE_KSTAT_SWITCH);
    cpu_isb();
    *switches = CP15_READ(0, c9, c13, 2);
    CP15_WRITE(0, c9, c12, 5, 0);
    cpu_isb();
    port_irq_restore(flags);
    return true;
}
