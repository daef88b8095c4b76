/* SPDX-License-Identifier: BSD-2-Clause */
/* VFP and NEON from the actors (fuzz.h: fz_fpu_touch): each form's first
 * instruction is a different kind, so the kernel's lazy switch meets every
 * decode it makes (arch/arm/fpu.c): an ARM VFP and an ARM NEON instruction
 * (cond 1111), a Thumb VFP and a Thumb NEON one. The actors are soft-float
 * C: only these touch the FPU, so every touch after a switch traps. The
 * faulter's undefined Thumb instructions (actors.c) are the decode's
 * refusals. FPSCR changes in its flags only (NZCV): QEMU keys translated
 * code on its vector length and stride, and random ones made every touch
 * retranslate everything the thread ran next, the fuzz suite five times
 * slower (the fpu suite writes every FPSCR value). */
#include "fuzz.h"

l4_word_t fz_fpu_arm_vfp(l4_word_t a, l4_word_t b), fz_fpu_arm_neon(l4_word_t a, l4_word_t b);
l4_word_t fz_fpu_thumb_vfp(l4_word_t a, l4_word_t b), fz_fpu_thumb_neon(l4_word_t a, l4_word_t b);
__asm__(".text\n .fpu neon-vfpv4\n"
        ".arm\n .global fz_fpu_arm_vfp\n fz_fpu_arm_vfp:\n"
        " vmov d0, r0, r1\n vmov d31, r1, r0\n vmrs r2, fpscr\n and r3, r0, #0xf0000000\n"
        " eor r2, r2, r3\n vmsr fpscr, r2\n vmov r0, r1, d31\n bx lr\n"
        ".global fz_fpu_arm_neon\n fz_fpu_arm_neon:\n"
        " vadd.i32 d1, d0, d31\n vmov d16, r0, r1\n veor d1, d1, d16\n vmov r0, r1, d1\n bx lr\n"
        ".thumb\n .syntax unified\n"
        ".global fz_fpu_thumb_vfp\n .thumb_func\n fz_fpu_thumb_vfp:\n"
        " vmov d2, r0, r1\n vmov d20, r1, r0\n vmov r0, r1, d2\n bx lr\n"
        ".global fz_fpu_thumb_neon\n .thumb_func\n fz_fpu_thumb_neon:\n"
        " vadd.i32 d3, d2, d20\n vmov d21, r0, r1\n vmov r0, r1, d3\n bx lr\n"
        ".arm\n .fpu softvfp\n");

l4_word_t fz_fpu_touch(l4_word_t *rng)
{
    l4_word_t a = rng_next(rng), b = rng_next(rng);
    switch (rng_below(rng, 4)) {
    case 0:
        return fz_fpu_arm_vfp(a, b);
    case 1:
        return fz_fpu_arm_neon(a, b);
    case 2:
        return fz_fpu_thumb_vfp(a, b);
    default:
        return fz_fpu_thumb_neon(a, b);
    }
}
