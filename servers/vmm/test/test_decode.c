/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the VMM's instruction decoder (one encoding per class, and
 * neighbours that must not match). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "decode.h"

static void expect_arm(uint32_t insn, insn_class_t cls)
{
    insn_info_t d = insn_decode_arm(insn);
    if (d.cls != cls)
        fail_msg("0x%08x: class %d (%s), expected %d", insn, d.cls, d.mnemonic, cls);
}

static void decode_names_every_sensitive_class(void **state)
{
    (void)state;
    expect_arm(0xee010f10, INSN_CP15);         /* mcr p15, 0, r0, c1, c0, 0 */
    expect_arm(0xee110f10, INSN_CP15);         /* mrc p15, 0, r0, c1, c0, 0 */
    expect_arm(0xec510f1e, INSN_CP15);         /* mrrc p15, 1, r0, r1, c14 */
    expect_arm(0xee000e52, INSN_CP14);         /* mcr p14, 0, r0, c0, c2, 2 */
    expect_arm(0xeef10a10, INSN_VFP_SYSREG);   /* vmrs r0, fpscr */
    expect_arm(0xeee10a10, INSN_VFP_SYSREG);   /* vmsr fpscr, r0 */
    expect_arm(0xe10f0000, INSN_MRS);          /* mrs r0, cpsr */
    expect_arm(0xe14f0000, INSN_MRS);          /* mrs r0, spsr */
    expect_arm(0xe121f000, INSN_MSR);          /* msr cpsr_c, r0 */
    expect_arm(0xe169f000, INSN_MSR);          /* msr spsr_fc, r0 */
    expect_arm(0xe321f0d3, INSN_MSR);          /* msr cpsr_c, #0xd3 */
    expect_arm(0xf10c0080, INSN_CPS);          /* cpsid i */
    expect_arm(0xf1080080, INSN_CPS);          /* cpsie i */
    expect_arm(0xf96d0513, INSN_SRS_RFE);      /* srsdb sp!, #19 */
    expect_arm(0xf8bd0a00, INSN_SRS_RFE);      /* rfeia sp! */
    expect_arm(0xe1b0f00e, INSN_EXC_RETURN);   /* movs pc, lr */
    expect_arm(0xe25ef004, INSN_EXC_RETURN);   /* subs pc, lr, #4 */
    expect_arm(0xe160006e, INSN_EXC_RETURN);   /* eret */
    expect_arm(0xe8fd8000, INSN_EXC_RETURN);   /* ldmia sp!, {pc}^ */
    expect_arm(0xe8cd0003, INSN_LDM_STM_USER); /* stmia sp, {r0, r1}^ */
    expect_arm(0xe320f003, INSN_WFI_WFE);      /* wfi */
    expect_arm(0xe320f002, INSN_WFI_WFE);      /* wfe */
    expect_arm(0xe4b01004, INSN_LDRT);         /* ldrt r1, [r0], #4 */
    expect_arm(0xe4a01004, INSN_LDRT);         /* strt r1, [r0], #4 */
    expect_arm(0xe0f010b2, INSN_LDRT);         /* ldrht r1, [r0], #2 */
    expect_arm(0xe1600070, INSN_SMC_HVC);      /* smc #0 */
    expect_arm(0xe1400070, INSN_SMC_HVC);      /* hvc #0 */
    expect_arm(0xe7f000f0, INSN_UDF);          /* udf #0 */
}

static void decode_leaves_ordinary_instructions_alone(void **state)
{
    (void)state;
    expect_arm(0xe1a0f00e, INSN_NOT_SENSITIVE); /* mov pc, lr (no S) */
    expect_arm(0xe3500000, INSN_NOT_SENSITIVE); /* cmp r0, #0 */
    expect_arm(0xe5901004, INSN_NOT_SENSITIVE); /* ldr r1, [r0, #4] */
    expect_arm(0xe4901004, INSN_NOT_SENSITIVE); /* ldr r1, [r0], #4 */
    expect_arm(0xe8bd8000, INSN_NOT_SENSITIVE); /* pop {pc} */
    expect_arm(0xe320f000, INSN_NOT_SENSITIVE); /* nop */
    expect_arm(0xe0100291, INSN_NOT_SENSITIVE); /* muls r0, r1, r2 */
}

static void decode_thumb_classes(void **state)
{
    (void)state;
    assert_int_equal(insn_decode_thumb(0xb672, 0).cls, INSN_CPS); /* cpsid i */
    assert_int_equal(insn_decode_thumb(0xbf30, 0).cls, INSN_WFI_WFE);
    assert_int_equal(insn_decode_thumb(0xee01, 0x0f10).cls, INSN_CP15); /* mcr p15 */
    assert_int_equal(insn_decode_thumb(0xf3ef, 0x8000).cls, INSN_MRS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_names_every_sensitive_class),
        cmocka_unit_test(decode_leaves_ordinary_instructions_alone),
        cmocka_unit_test(decode_thumb_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
