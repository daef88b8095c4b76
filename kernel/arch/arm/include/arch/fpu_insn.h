/* SPDX-License-Identifier: BSD-2-Clause */
/* Which instructions the FPU's enable bit gates: VFP (coprocessors 10 and
 * 11) and Advanced SIMD (NEON), in ARM and Thumb state. Pure functions, also
 * compiled for the host unit tests (test/unit/test_fpu_insn.c).
 *
 * Encodings, ARM ARM (DDI 0406C):
 *  ARM, A5.6 / A7.5 / A7.4 / A7.7:
 *    cond != 1111, bits 27:25 = 110 (LDC/STC/MCRR/MRRC form) or bits 27:24 =
 *    1110 (CDP/MCR/MRC form), bits 11:9 = 101 (coprocessor 10 or 11): VFP
 *    load/store, register transfers (VMOV, VMRS, VMSR), data processing;
 *    1111 001x: Advanced SIMD data processing;
 *    1111 0100 xxx0: Advanced SIMD element or structure load/store.
 *  Thumb (32-bit, first halfword hw1, second hw2), A6.3.18 / A7.x:
 *    hw1 = 1110 110x or 1110 1110 and hw2 bits 11:9 = 101: the VFP forms
 *    above (the 1111 11xx coprocessor-2 forms on cp10/11 are UNDEFINED);
 *    hw1 = 111x 1111: Advanced SIMD data processing;
 *    hw1 = 1111 1001 xxx0: Advanced SIMD element or structure load/store.
 * Coprocessor-10/11 encodings with cond = 1111 (MCR2, LDC2...) are
 * UNDEFINED whatever FPEXC says, so they are not FPU instructions here. */
#pragma once
#include <types.h>

static inline bool fpu_insn_is_arm(uint32_t insn)
{
    if ((insn >> 28) == 0xfu)
        return (insn & 0xfe000000u) == 0xf2000000u || (insn & 0xff100000u) == 0xf4000000u;
    return ((insn & 0x0e000e00u) == 0x0c000a00u) || ((insn & 0x0f000e00u) == 0x0e000a00u);
}

/* A Thumb halfword that starts a 32-bit instruction (A6.1). */
static inline bool fpu_thumb_is_32bit(uint16_t hw1)
{
    return (hw1 >> 11) >= 0x1du;
}

static inline bool fpu_insn_is_thumb(uint16_t hw1, uint16_t hw2)
{
    if ((hw1 & 0xfe00u) == 0xec00u || (hw1 & 0xff00u) == 0xee00u)
        return (hw2 & 0x0e00u) == 0x0a00u;
    return (hw1 & 0xef00u) == 0xef00u || (hw1 & 0xff10u) == 0xf900u;
}
