/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FPU natively: access granted once at boot (CPACR), then FPEXC.EN
 * alone says whether VFP/NEON instructions execute (ARM ARM B1.11.3,
 * B6.1.38). The core decides which task owns the registers (core/fpu.c);
 * these are its two port functions and the only FPEXC accesses.
 */
#include <rtos/rtos.h>

#include "cpu.h"

#define CPACR_CP10_CP11_FULL (0xfu << 20) /* B4.1.40: cp10, cp11 at PL0 and PL1 */
#define FPEXC_EN (1u << 30)

static inline void fpexc_write(uint32_t v)
{
    __asm__ volatile("vmsr fpexc, %0\n\t" /* sensitive: UNDEFINED at PL0 */
                     "isb"                /* the change applies from here */
                     :
                     : "r"(v)
                     : "memory");
}

/* Boot: grant access, FPU off (no task owns it yet). */
void native_fpu_init(void)
{
    CP15_WRITE(0, c1, c0, 2, CP15_READ(0, c1, c0, 2) | CPACR_CP10_CP11_FULL); /* CPACR */
    cpu_isb();
    fpexc_write(0);
}

/* Kernel context (SVC mode): the save and load need EN, which then stays
 * on for the task being resumed. */
void port_fpu_switch(port_fpu_t *save, const port_fpu_t *load)
{
    fpexc_write(FPEXC_EN);
    if (save)
        arm_fpu_save(save);
    arm_fpu_load(load);
}

void port_fpu_enable(bool on)
{
    fpexc_write(on ? FPEXC_EN : 0);
}
