/* SPDX-License-Identifier: BSD-2-Clause */
/* Inline versions of the arch operations on the IPC fastpath (include/arch.h
 * declares the interface; these are its ARMv7 bodies, inlined because a
 * call costs as much as the operation). */
#pragma once
#include <types.h>

#include <arch/kstats.h>

#define ARCH_TTBR_WALK_ATTR 0x4au /* IRGN=01 RGN=01 (write-back walks), S */

/* ARM ARM B3.10.4: switch through the reserved ASID 0, which never tags a
 * user mapping, so no table walk can pair the new table with the old ASID
 * or the old table with the new ASID. */
static inline void arch_vspace_activate(paddr_t pd, uint32_t asid)
{
    arch_kstat_count(ARCH_KSTAT_SWITCH);
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 1\n" /* CONTEXTIDR = 0 (reserved) */
                     "isb\n"
                     "mcr p15, 0, %1, c2, c0, 0\n" /* TTBR0 = new table */
                     "isb\n"
                     "mcr p15, 0, %2, c13, c0, 1\n" /* CONTEXTIDR = new ASID */
                     "isb" ::"r"(0),
                     "r"(pd | ARCH_TTBR_WALK_ATTR), "r"(asid)
                     : "memory");
}

/* TPIDRURO: user-readable, kernel-written thread word (the IPC buffer). */
static inline void arch_set_thread_word(word_t w)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 3" ::"r"(w));
}

/* FPEXC.EN (ARM ARM B6.1.38): VFP/Advanced SIMD instructions execute. */
#define ARCH_FPEXC_EN BIT(30)

/* Thread switch (include/arch.h): the FPU is enabled only while its owner
 * runs, so an enabled FPU at a switch means the thread leaving owns it.
 * Reads and writes FPEXC (a VFP system register, as MRC/MCR p10 so that the
 * -mgeneral-regs-only kernel needs no FPU directive); never a data register.
 * No ISB: the exception return to user mode synchronises the write. */
static inline void arch_fpu_disable(void)
{
    word_t fpexc;
    __asm__ volatile("mrc p10, 7, %0, c8, c0, 0" : "=r"(fpexc)); /* VMRS FPEXC */
    if (__builtin_expect(fpexc & ARCH_FPEXC_EN, 0))
        __asm__ volatile("mcr p10, 7, %0, c8, c0, 0" ::"r"(0)); /* VMSR FPEXC */
}

/* TPIDRURW, the user's own read/write thread word (arch_tcb_t): the thread
 * switch saves the outgoing thread's value and loads the incoming one's. */
static inline word_t arch_get_user_tls(void)
{
    word_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 2" : "=r"(v));
    return v;
}
static inline void arch_set_user_tls(word_t v)
{
    __asm__ volatile("mcr p15, 0, %0, c13, c0, 2" ::"r"(v));
}

/* The IPC fastpath's exit (core/fastpath.c): the exception return into
 * ctx (arch_restore_user_context, vectors.S) as a branch, since it never
 * returns: a call would stack a return address on every fastpath IPC. */
static inline __attribute__((always_inline)) NORETURN void arch_fastpath_restore(void *ctx)
{
    register void *r0 __asm__("r0") = ctx;
    __asm__ volatile("b arch_restore_user_context" ::"r"(r0) : "memory");
    __builtin_unreachable();
}

/* PMCCNTR (ARM ARM B4.1.113): the cycle counter, one per instruction under
 * QEMU's -icount shift=0; the trace's timestamp (trace.h). */
static inline uint32_t arch_cycle_count(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v));
    return v;
}
