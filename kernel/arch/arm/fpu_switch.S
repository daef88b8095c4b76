/* SPDX-License-Identifier: BSD-2-Clause */
/* The only kernel code that touches VFP/NEON data registers (the kernel is
 * otherwise built -mgeneral-regs-only). Called by fpu.c with IRQs masked.
 *
 * arm_fpu_switch(save, load)
 *   in:  r0 = arch_fpu_state_t to store the FPU's registers into, or NULL;
 *        r1 = arch_fpu_state_t to load, or NULL.
 *   out: d0-d31 and FPSCR stored to *r0 (if r0), then loaded from *r1 (if
 *        r1); FPEXC = EN if r1, else 0 (disabled). Any other FPEXC bit
 *        (EX, DEX, ...) is cleared either way.
 *   clobbers r0-r2 and the flags (AAPCS caller-saved only); no stack.
 * Layout: arch/context.h (32 doublewords, then FPSCR at byte 256). */
#include <arch/cpu.h>

    .fpu    neon-vfpv4                  @ Cortex-A15: VFPv4-D32 and NEON
    .text
    .arm
    .global arm_fpu_switch
arm_fpu_switch:
    mov     r2, #(1 << 30)
    vmsr    fpexc, r2                   @ EN: the VSTM/VLDM below may execute
    isb                                 @ (B6.1.38: FPEXC writes need it)
    cmp     r0, #0
    beq     1f
    vstmia  r0!, {d0-d15}
    vstmia  r0!, {d16-d31}
    vmrs    r2, fpscr
    str     r2, [r0]                    @ FPSCR at byte 256
1:  cmp     r1, #0
    beq     2f
    vldmia  r1!, {d0-d15}
    vldmia  r1!, {d16-d31}
    ldr     r2, [r1]
    vmsr    fpscr, r2                   @ any value: user mode can write it too
    bx      lr
2:  mov     r2, #0
    vmsr    fpexc, r2                   @ nothing loaded: leave the FPU disabled
    bx      lr
