/* SPDX-License-Identifier: BSD-2-Clause */
/* Which undefined instructions are the FPU's first-use trap
 * (kernel/arch/arm/include/arch/fpu_insn.h). Encodings from the GNU
 * assembler (-mfpu=neon-vfpv4). */
#include "unit.h"
#include <arch/fpu_insn.h>

static const uint32_t arm_fpu[] = {
    0xec410b10u, /* vmov d0, r0, r1 */
    0xeef10a10u, /* vmrs r0, fpscr */
    0xeee80a10u, /* vmsr fpexc, r0 */
    0xecb00b20u, /* vldmia r0!, {d0-d15} */
    0xed813b02u, /* vstr d3, [r1, #8] */
    0xee310b02u, /* vadd.f64 d0, d1, d2 */
    0xee200a81u, /* vmul.f32 s0, s1, s2 */
    0xeeb80bc0u, /* vcvt.f64.s32 d0, s0 */
    0x1e003a10u, /* vmovne s0, r3 (conditional) */
    0xf3000150u, /* veor q0, q0, q0 */
    0xf2220844u, /* vadd.i32 q0, q1, q2 */
    0xf420078fu, /* vld1.32 {d0}, [r0] */
    0xf401020du, /* vst1.8 {d0-d3}, [r1]! */
    0xeea00b10u, /* vdup.32 q0, r0 */
    0xee300b10u, /* vmov.32 r0, d0[1] */
};

static const uint32_t arm_other[] = {
    0xe2800001u, /* add r0, r0, #1 */
    0xef000000u, /* svc #0 */
    0xee110f10u, /* mrc p15, 0, r0, c1, c0, 0 */
    0xee000e15u, /* mcr p14 */
    0xed901500u, /* ldc p5 */
    0xfe100a10u, /* mrc2 p10: UNDEFINED whatever FPEXC says */
    0xee010902u, /* cdp p9 (ARMv8.2 half precision; not ARMv7 VFP) */
    0xe7f000f0u, /* udf */
    0xf5d0f000u, /* pld [r0] */
    0xf4100000u, /* 1111 0100 xxx1: not an Advanced SIMD load/store */
};

static const uint16_t thumb_fpu[][2] = {
    {0xec41, 0x0b10}, /* vmov d0, r0, r1 */
    {0xeef1, 0x0a10}, /* vmrs r0, fpscr */
    {0xecf0, 0x0b20}, /* vldmia r0!, {d16-d31} */
    {0xee31, 0x0b02}, /* vadd.f64 d0, d1, d2 */
    {0xff00, 0x0150}, /* veor q0, q0, q0 */
    {0xf920, 0x078f}, /* vld1.32 {d0}, [r0] */
    {0xf901, 0x004f}, /* vst4.16 {d0-d3}, [r1] */
    {0xee30, 0x0b10}, /* vmov.32 r0, d0[1] */
};

static const uint16_t thumb_other[][2] = {
    {0xee11, 0x0f10}, /* mrc p15 */
    {0xfe10, 0x0a10}, /* mrc2 p10 */
    {0xfd90, 0x0b00}, /* ldc2 p11 */
    {0xf8d1, 0x0004}, /* ldr.w r0, [r1, #4] */
    {0xf910, 0x0000}, /* 1111 1001 xxx1: a load hint, not Advanced SIMD */
};

static void arm_encodings(void **state)
{
    (void)state;
    for (unsigned i = 0; i < ARRAY_SIZE(arm_fpu); i++)
        assert_true(fpu_insn_is_arm(arm_fpu[i]));
    for (unsigned i = 0; i < ARRAY_SIZE(arm_other); i++)
        assert_false(fpu_insn_is_arm(arm_other[i]));
}

static void arm_every_condition_but_1111(void **state)
{
    (void)state;
    for (uint32_t cond = 0; cond < 15; cond++)
        assert_true(fpu_insn_is_arm((cond << 28) | 0x0e310b02u)); /* vadd.f64 */
}

static void thumb_encodings(void **state)
{
    (void)state;
    for (unsigned i = 0; i < ARRAY_SIZE(thumb_fpu); i++) {
        assert_true(fpu_thumb_is_32bit(thumb_fpu[i][0]));
        assert_true(fpu_insn_is_thumb(thumb_fpu[i][0], thumb_fpu[i][1]));
    }
    for (unsigned i = 0; i < ARRAY_SIZE(thumb_other); i++)
        assert_false(fpu_insn_is_thumb(thumb_other[i][0], thumb_other[i][1]));
}

static void thumb_16bit_instructions_are_never_fpu(void **state)
{
    (void)state;
    /* Halfwords below 0xe800 are complete 16-bit instructions. */
    assert_false(fpu_thumb_is_32bit(0xe7fe)); /* b . */
    assert_false(fpu_thumb_is_32bit(0xdf00)); /* svc #0 */
    assert_true(fpu_thumb_is_32bit(0xe800));
    assert_true(fpu_thumb_is_32bit(0xf000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arm_encodings),
        cmocka_unit_test(arm_every_condition_but_1111),
        cmocka_unit_test(thumb_encodings),
        cmocka_unit_test(thumb_16bit_instructions_are_never_fpu),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
