/* SPDX-License-Identifier: BSD-2-Clause */
/* ARMv7-A implementation of the arch interface (include/arch.h). */
#include <arch.h>
#include <config.h>
#include <arch/cpu.h>
#include <arch/mmu.h>

/* The kernel's first-level table: entries above 2 GiB are the kernel window
 * (TTBR1). head.S fills it with the MMU off. 16 KiB aligned (B4.1.154). */
uint32_t kernel_pd[PD_ENTRIES] ALIGNED(16384);
/* TTBR0 while no user address space is active: every user access faults. */
static uint32_t null_user_pd[PD_USER_ENTRIES] ALIGNED(8192);

#define TTBR_WALK_ATTR ARCH_TTBR_WALK_ATTR
#define TTBCR_N1 0x1u /* TTBR0 below 2 GiB, TTBR1 above */

void arch_context_init(arch_context_t *ctx, word_t pc, word_t sp)
{
    for (unsigned i = 0; i < CTX_NREGS; i++)
        ctx->r[i] = 0;
    ctx->r[CTX_SP] = sp;
    ctx->pc = pc & ~1u;
    ctx->cpsr = PSR_MODE_USR | ((pc & 1u) ? PSR_T : 0);
}

void arch_context_init_zeroed(arch_context_t *ctx)
{
    ctx->cpsr = PSR_MODE_USR; /* everything else is already 0 */
}

word_t arch_psr_sanitise(word_t psr)
{
    return (psr & PSR_USER_MASK) | PSR_MODE_USR;
}

void arch_mmu_init(void)
{
    cp15_write_ttbr0(kptr_to_paddr(null_user_pd) | TTBR_WALK_ATTR);
    arch_isb();
    cp15_write_ttbcr(TTBCR_N1); /* clears PD0 set by head.S */
    arch_isb();
    tlb_invalidate_all();
    arch_dsb();
    arch_isb();
    /* Let user level read the virtual counter (CNTVCT, CNTFRQ: read-only and
     * the same for every thread, time rather than a channel), and nothing
     * else of the generic timer (ARM ARM B4.1.26): PL0VTEN and PL0PTEN stay
     * clear, so CNTV_* and CNTP_* are undefined instructions at PL0. The
     * virtual timer is one register set for the machine: a thread that
     * could program it could reset another partition's timer or signal
     * through it. User level has kernel timers instead (tcb_set_timer,
     * vcpu_set_timer: object/vcpu_timer.c), on the kernel's CNTP. */
    cp15_write_cntkctl(BIT(1)); /* PL0VCTEN only */
}

void arch_vspace_deactivate(void)
{
    arch_vspace_activate(kptr_to_paddr(null_user_pd), 0);
    tlb_invalidate_asid(0); /* nothing is ever tagged 0; keep it that way */
    arch_dsb();
    arch_isb();
}

void arch_pmu_init(void)
{
    /* Counters 0,1,2 count event 0x08 (instructions architecturally
     * executed): all levels; PL0 excluded (U, bit 30: kernel only); PL1
     * excluded (P, bit 31: user only). PMCCNTR counts cycles (= instructions
     * under -icount). PMUSERENR.EN lets user code read them, and also
     * reset, stop and reprogram them for everyone: only the bench and kstats
     * configurations set it; elsewhere a user access is an undefined
     * instruction (docs/build.md, configurations). */
    static const uint32_t counting[3] = {0x08u, BIT(30) | 0x08u, BIT(31) | 0x08u};
    /* The stats configuration: 1 and 2 count software increments instead
     * (arch/kstats.h): kernel entries and address-space switches. */
    static const uint32_t kstats[3] = {0x08u, 0x00u, 0x00u};
    const uint32_t *type = CONFIG_KSTATS ? kstats : counting;
    for (uint32_t i = 0; i < 3; i++) {
        cp15_write_pmselr(i);
        arch_isb();
        cp15_write_pmxevtyper(type[i]);
    }
    cp15_write_pmcntenset(BIT(31) | 0x7u);
    cp15_write_pmcr(cp15_read_pmcr() | 0x7u); /* E, reset event and cycle counters */
    cp15_write_pmuserenr(CONFIG_BENCH ? 1u : 0u);
    arch_isb();
}

void arch_wait_for_interrupt(void)
{
    __asm__ volatile("dsb; wfi" ::: "memory");
}

NORETURN void arch_shutdown(int status)
{
    /* Semihosting SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit:
     * QEMU exits with `status` (QEMU runs with -semihosting-config). */
    volatile uint32_t block[2] = {0x20026u, (uint32_t)status};
    register uint32_t r0 __asm__("r0") = 0x20;
    register uint32_t r1 __asm__("r1") = (uint32_t)(uintptr_t)block;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory");
    /* Without semihosting: PSCI SYSTEM_OFF through QEMU's HVC conduit. */
    register uint32_t p0 __asm__("r0") = 0x84000008u;
    __asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(p0)::"memory");
    for (;;)
        arch_wait_for_interrupt();
}

word_t arch_fault_data_address(void)
{
    return cp15_read_dfar();
}
word_t arch_fault_data_status(void)
{
    return cp15_read_dfsr();
}
word_t arch_fault_instr_address(void)
{
    return cp15_read_ifar();
}
word_t arch_fault_instr_status(void)
{
    return cp15_read_ifsr();
}
