/* SPDX-License-Identifier: BSD-2-Clause */
/* VFP/NEON state, switched lazily (design.md, "FPU state").
 *
 * One thread at a time owns the FPU: its registers are in the FPU, and its
 * TCB copy (tcb_t.fpu) is stale. Every other thread's registers are in its
 * TCB. Invariants:
 *  - FPEXC.EN set  =>  ks_cur == fpu_owner (the switch paths call
 *    arch_fpu_disable(), which turns EN off whenever it is set);
 *  - fpu_owner is NULL or a live TCB: tcb_finalise releases it first.
 * So a thread that never executes a VFP instruction never pays for one: the
 * only cost is arch_fpu_disable()'s test on a thread switch. The first VFP
 * instruction a thread executes after a switch traps as undefined
 * (EN clear); arch_fpu_trap() then moves ownership, enables the FPU and
 * restarts the instruction. Only fpu_switch.S touches the data registers.
 *
 * CPACR grants PL0 and PL1 access to cp10/cp11 once at boot: FPEXC.EN alone
 * gates the FPU. The kernel never sets FPEXC.EX or DEX and clears them if
 * found set (a Cortex-A15 has no trapped floating-point exceptions, so they
 * cannot be set by user code: FPSCR's trap-enable bits are RAZ/WI). */
#include <arch.h>
#include <arch/cpu.h>
#include <arch/fpu_insn.h>
#include <object/tcb.h>

#define CPACR_CP10_CP11_FULL (0xfu << 20) /* B4.1.40: cp10 and cp11, PL0 and PL1 */
#define PAR_FAULT BIT(0)
#define PAR_SUPERSECTION BIT(1)

void arm_fpu_switch(arch_fpu_state_t *save, const arch_fpu_state_t *load); /* fpu_switch.S */

static tcb_t *fpu_owner;

static word_t fpexc_read(void)
{
    word_t v;
    __asm__ volatile("mrc p10, 7, %0, c8, c0, 0" : "=r"(v)); /* VMRS FPEXC */
    return v;
}

static void fpexc_write(word_t v)
{
    __asm__ volatile("mcr p10, 7, %0, c8, c0, 0" ::"r"(v)); /* VMSR FPEXC */
}

void arch_fpu_init(void)
{
    cp15_write_cpacr(cp15_read_cpacr() | CPACR_CP10_CP11_FULL);
    arch_isb();
    fpexc_write(0);
    fpu_owner = NULL;
}

/* The aligned user word containing va, as user mode could read it: the
 * translation is checked for PL0 read permission by the MMU (ATS1CUR,
 * B4.2.6), so no kernel access can fault. False if user mode could not read
 * it or it is not RAM (device frames are never executable). */
static bool user_read_word(vaddr_t va, word_t *out)
{
    __asm__ volatile("mcr p15, 0, %0, c7, c8, 2\n isb" ::"r"(va) : "memory"); /* ATS1CUR */
    word_t par = cp15_read_par();
    if (par & (PAR_FAULT | PAR_SUPERSECTION))
        return false;
    paddr_t pa = (par & ~MASK(12)) | (va & MASK(12) & ~3u);
    if (pa < PLAT_PHYS_BASE || pa - PLAT_PHYS_BASE >= PLAT_PHYS_SIZE)
        return false;
    *out = *(const volatile word_t *)paddr_to_kptr(pa);
    return true;
}

static bool user_read_halfword(vaddr_t va, uint16_t *out)
{
    word_t w;
    if (!user_read_word(va, &w))
        return false;
    *out = (uint16_t)((va & 2u) ? w >> 16 : w);
    return true;
}

/* Is the instruction at t's pc one that FPEXC.EN gates? */
static bool user_insn_is_fpu(const tcb_t *t)
{
    vaddr_t pc = t->ctx.pc;
    if (!(t->ctx.cpsr & PSR_T)) {
        word_t insn;
        return user_read_word(pc, &insn) && fpu_insn_is_arm(insn);
    }
    uint16_t hw1, hw2;
    if (!user_read_halfword(pc, &hw1) || !fpu_thumb_is_32bit(hw1))
        return false;
    return user_read_halfword(pc + 2, &hw2) && fpu_insn_is_thumb(hw1, hw2);
}

bool arch_fpu_trap(tcb_t *t)
{
    word_t fpexc = fpexc_read();
    if (unlikely(fpexc & ~ARCH_FPEXC_EN)) {
        /* An exception state (EX/DEX): cannot arise here (above); if it
         * ever did, clear it and let the thread's fault handler see an
         * undefined instruction rather than trapping forever. */
        fpexc_write(fpexc & ARCH_FPEXC_EN);
        return false;
    }
    if (fpexc & ARCH_FPEXC_EN)
        return false; /* the FPU was usable: the instruction is undefined */
    if (fpu_owner == t) {
        /* Back to the owner: nothing to move, and no need to decode: an
         * instruction that is not the FPU's traps again, with EN set. */
        fpexc_write(ARCH_FPEXC_EN);
        return true;
    }
    if (!user_insn_is_fpu(t))
        return false;
    arm_fpu_switch(fpu_owner ? &fpu_owner->fpu : NULL, &t->fpu);
    fpu_owner = t;
    return true;
}

void arch_fpu_release(tcb_t *t, bool save)
{
    if (fpu_owner != t)
        return;
    if (save)
        arm_fpu_switch(&t->fpu, NULL); /* leaves the FPU disabled */
    else
        fpexc_write(0); /* its registers stay in the FPU, unreachable: the
                           next owner loads all of its own over them */
    fpu_owner = NULL;
}
