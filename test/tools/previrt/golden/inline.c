/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sensitive instructions as compiler output carries them: inline assembly
 * (between gcc's `@ LINE "FILE" 1` markers, in divided syntax) and an ACLE
 * builtin (no marker: its line comes from .loc). Compiled -marm and
 * -mthumb; the reports are inline.c.arm.report and inline.c.thumb.report.
 */
unsigned irq_save(void)
{
    unsigned flags;

    __asm__ volatile("mrs %0, cpsr\n\t"
                     "cpsid i"
                     : "=r"(flags)
                     :
                     : "memory");
    return flags;
}

void irq_restore(unsigned flags)
{
    if (!(flags & 0x80))
        __asm__ volatile("cpsie i" ::: "memory");
}

unsigned vbar_read(void)
{
    unsigned v;

    __asm__ volatile("mrc p15, 0, %0, c12, c0, 0" : "=r"(v));
    return v;
}

void idle(void)
{
    __asm__ volatile("dsb\n\twfi" ::: "memory");
}

unsigned long long counter(void)
{
    unsigned lo, hi;

    __asm__ volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
    return ((unsigned long long)hi << 32) | lo;
}

void ttbr0_write(unsigned v)
{
    __asm__ volatile("mcr p15, 0, %0, c2, c0, 0" ::"r"(v) : "memory");
}

void spsr_write(unsigned v)
{
    __asm__ volatile("msr spsr_cxsf, %0" ::"r"(v));
}

unsigned tpidrprw_read(void)
{
    return __builtin_arm_mrc(15, 0, 13, 0, 4);
}

/* Semihosting: svc 0x123456 in ARM state, 0xab in Thumb. */
#ifdef __thumb__
#define SEMIHOSTING_SVC "svc 0xab"
#else
#define SEMIHOSTING_SVC "svc 0x123456"
#endif

int exit_semihosted(int status)
{
    register int r0 __asm__("r0") = 0x18;
    register int r1 __asm__("r1") = status;

    __asm__ volatile(SEMIHOSTING_SVC : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
