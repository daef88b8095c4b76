/* SPDX-License-Identifier: BSD-2-Clause */
/* ARMv7-A system register access (cp15) and PSR values. Register names and
 * encodings follow the ARM ARM (DDI 0406C) B4.1. Only arch/ and plat/ include
 * this file. */
#pragma once
#include <types.h>

/* CPSR/SPSR (ARM ARM B1.3.3) */
#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_USR 0x10u
#define PSR_MODE_FIQ 0x11u
#define PSR_MODE_IRQ 0x12u
#define PSR_MODE_SVC 0x13u
#define PSR_MODE_ABT 0x17u
#define PSR_MODE_UND 0x1bu
#define PSR_MODE_SYS 0x1fu
#define PSR_T BIT(5) /* Thumb */
#define PSR_F BIT(6) /* FIQ masked */
#define PSR_I BIT(7) /* IRQ masked */
#define PSR_A BIT(8) /* asynchronous abort masked */
#define PSR_E BIT(9) /* big-endian data */
/* Bits user level may choose in a thread's saved PSR: flags N Z C V Q, GE,
 * IT state and Thumb. Mode, mask and endianness bits are the kernel's. */
#define PSR_USER_MASK 0xfe0ffc20u

#ifndef __ASSEMBLY__
#define CP15_RW(name, op1, crn, crm, op2)                                                          \
    static inline uint32_t cp15_read_##name(void)                                                  \
    {                                                                                              \
        uint32_t v;                                                                                \
        __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v));            \
        return v;                                                                                  \
    }                                                                                              \
    static inline void cp15_write_##name(uint32_t v)                                               \
    {                                                                                              \
        __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"(v) : "memory");  \
    }

CP15_RW(sctlr, 0, c1, c0, 0)       /* system control */
CP15_RW(cpacr, 0, c1, c0, 2)       /* coprocessor access control */
CP15_RW(par, 0, c7, c4, 0)         /* physical address (address translation result) */
CP15_RW(ttbr0, 0, c2, c0, 0)       /* user translation table base */
CP15_RW(ttbr1, 0, c2, c0, 1)       /* kernel translation table base */
CP15_RW(ttbcr, 0, c2, c0, 2)       /* translation table base control */
CP15_RW(dacr, 0, c3, c0, 0)        /* domain access control */
CP15_RW(dfsr, 0, c5, c0, 0)        /* data fault status */
CP15_RW(ifsr, 0, c5, c0, 1)        /* instruction fault status */
CP15_RW(dfar, 0, c6, c0, 0)        /* data fault address */
CP15_RW(ifar, 0, c6, c0, 2)        /* instruction fault address */
CP15_RW(contextidr, 0, c13, c0, 1) /* ASID in bits 7:0 */
CP15_RW(tpidruro, 0, c13, c0, 3)   /* user read-only thread ID */
CP15_RW(tpidrurw, 0, c13, c0, 2)   /* user read-write thread ID */
CP15_RW(vbar, 0, c12, c0, 0)       /* vector base */
CP15_RW(cntfrq, 0, c14, c0, 0)     /* generic timer frequency */
CP15_RW(cntp_tval, 0, c14, c2, 0)  /* physical timer value */
CP15_RW(cntp_ctl, 0, c14, c2, 1)   /* physical timer control */
CP15_RW(cntkctl, 0, c14, c1, 0)    /* PL0 access to the generic timer */
CP15_RW(pmcr, 0, c9, c12, 0)       /* PMU control */
CP15_RW(pmcntenset, 0, c9, c12, 1)
CP15_RW(pmselr, 0, c9, c12, 5)
CP15_RW(pmxevtyper, 0, c9, c13, 1)
CP15_RW(pmuserenr, 0, c9, c14, 0)

static inline uint64_t cp15_read_cntpct(void)
{
    uint32_t lo, hi;
    __asm__ volatile("isb; mrrc p15, 0, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((uint64_t)hi << 32) | lo;
}

static inline void arch_dsb(void)
{
    __asm__ volatile("dsb" ::: "memory");
}
static inline void arch_isb(void)
{
    __asm__ volatile("isb" ::: "memory");
}

/* TLB maintenance (ARM ARM B4.2.3); each is followed by DSB+ISB by the caller
 * when the effect must be visible before the next access. */
static inline void tlb_invalidate_all(void)
{
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 0" ::"r"(0) : "memory"); /* TLBIALL */
}
static inline void tlb_invalidate_asid(uint32_t asid)
{
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 2" ::"r"(asid) : "memory"); /* TLBIASID */
}
static inline void tlb_invalidate_va(uint32_t va_asid)
{
    __asm__ volatile("mcr p15, 0, %0, c8, c7, 1" ::"r"(va_asid) : "memory"); /* TLBIMVA */
}
/* Cache maintenance by MVA is in cache.c, behind arch.h's
 * arch_clean_invalidate_range and arch_sync_icache_range. */
#endif
