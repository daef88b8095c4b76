/* SPDX-License-Identifier: BSD-2-Clause */
/* A32 decoding of the sensitive-instruction classes (ARM ARM A5, B9:
 * "system level instructions"; B1.9 exception return). Masks are checked in
 * an order where the more specific encodings come first. */
#include "decode.h"

#define INFO(c, m, w) ((insn_info_t){(c), (m), (w)})

static insn_info_t decode_coproc(uint32_t insn)
{
    uint32_t cp = (insn >> 8) & 0xf, load = (insn >> 20) & 1;
    int is_mcr = (insn & 0x0f000010) == 0x0e000010;
    int is_mcrr = (insn & 0x0fe00000) == 0x0c400000;
    if ((insn & 0x0fe00fff) == 0x0ee00a10 || (insn & 0x0ff00fff) == 0x0ef00a10) {
        return load ? INFO(INSN_VFP_SYSREG, "vmrs", "floating-point system register read")
                    : INFO(INSN_VFP_SYSREG, "vmsr", "floating-point system register write");
    }
    if (cp == 15 && is_mcr)
        return load ? INFO(INSN_CP15, "mrc p15", "cp15 system register access")
                    : INFO(INSN_CP15, "mcr p15", "cp15 system register access");
    if (cp == 15 && is_mcrr)
        return load ? INFO(INSN_CP15, "mrrc p15", "cp15 64-bit system register access")
                    : INFO(INSN_CP15, "mcrr p15", "cp15 64-bit system register access");
    if (cp == 14)
        return is_mcr ? INFO(INSN_CP14, load ? "mrc p14" : "mcr p14",
                             "cp14 debug/trace register access")
                      : INFO(INSN_CP14, "ldc/stc p14", "cp14 debug register transfer");
    if (cp == 10 || cp == 11)
        return INFO(INSN_NOT_SENSITIVE, "vfp/neon", "floating-point instruction (FPU disabled)");
    return INFO(INSN_COPROC, "coprocessor", "coprocessor access");
}

insn_info_t insn_decode_arm(uint32_t insn)
{
    uint32_t cond = insn >> 28;
    if (cond == 0xf) { /* unconditional space */
        if ((insn & 0xfff1fe20) == 0xf1000000)
            return INFO(INSN_CPS, "cps", "processor state change (cpsie/cpsid/cps)");
        if ((insn & 0xfe5fffe0) == 0xf84d0500)
            return INFO(INSN_SRS_RFE, "srs", "store return state");
        if ((insn & 0xfe50ffff) == 0xf8100a00)
            return INFO(INSN_SRS_RFE, "rfe", "return from exception");
        if ((insn & 0x0e000000) == 0x0c000000 || (insn & 0x0f000000) == 0x0e000000)
            return decode_coproc(insn); /* mcr2/mrc2/ldc2/stc2 */
        return INFO(INSN_NOT_SENSITIVE, "undefined", "undefined or unsupported instruction");
    }
    if ((insn & 0x0ff000f0) == 0x01600070)
        return INFO(INSN_SMC_HVC, "smc", "secure monitor call");
    if ((insn & 0x0ff000f0) == 0x01400070)
        return INFO(INSN_SMC_HVC, "hvc", "hypervisor call");
    if (insn == 0xe160006e || (insn & 0x0fffffff) == 0x0160006e)
        return INFO(INSN_EXC_RETURN, "eret", "exception return");
    if ((insn & 0xfff000f0) == 0xe7f000f0)
        return INFO(INSN_UDF, "udf", "permanently undefined instruction");
    if ((insn & 0x0fbf0fff) == 0x010f0000)
        return (insn & (1u << 22))
                   ? INFO(INSN_MRS, "mrs spsr", "read of the saved program status register")
                   : INFO(INSN_MRS, "mrs cpsr", "read of the program status register");
    if ((insn & 0x0fb00eff) == 0x01000200)
        return INFO(INSN_MRS, "mrs (banked)", "banked register read");
    if ((insn & 0x0fb0fe00) == 0x0120f200 || (insn & 0x0fb0fef0) == 0x0120f200)
        return INFO(INSN_MSR, "msr (banked)", "banked register write");
    if ((insn & 0x0fffff00) == 0x0320f000) { /* hints */
        uint32_t h = insn & 0xff;
        if (h == 3)
            return INFO(INSN_WFI_WFE, "wfi", "wait for interrupt");
        if (h == 2)
            return INFO(INSN_WFI_WFE, "wfe", "wait for event");
        return INFO(INSN_NOT_SENSITIVE, "hint", "hint instruction");
    }
    if ((insn & 0x0fb0fff0) == 0x0120f000 || (insn & 0x0fb0f000) == 0x0320f000)
        return (insn & (1u << 22))
                   ? INFO(INSN_MSR, "msr spsr", "write of the saved program status register")
                   : INFO(INSN_MSR, "msr cpsr", "write of the program status register");
    /* Data processing with S and Rd = pc (not tst/teq/cmp/cmn): exception return. */
    if ((insn & 0x0c10f000) == 0x0010f000 && ((insn >> 23) & 3) != 2 &&
        !((insn & 0x02000000) == 0 && (insn & 0x90) == 0x90))
        return INFO(INSN_EXC_RETURN, "subs pc/movs pc",
                    "exception return (data processing to pc with S)");
    if ((insn & 0x0e400000) == 0x08400000) {
        if ((insn & (1u << 20)) && (insn & (1u << 15)))
            return INFO(INSN_EXC_RETURN, "ldm ^ with pc", "exception return (ldm with pc and ^)");
        return INFO(INSN_LDM_STM_USER, (insn & (1u << 20)) ? "ldm ^" : "stm ^",
                    "user-bank register transfer (ldm/stm ^)");
    }
    if ((insn & 0x0d200000) == 0x04200000 && !((insn & 0x02000010) == 0x02000010))
        return INFO(INSN_LDRT, (insn & (1u << 20)) ? "ldrt" : "strt",
                    "unprivileged load/store (ldrt family)");
    if ((insn & 0x0f200090) == 0x00200090 && (insn & 0x60))
        return INFO(INSN_LDRT, (insn & (1u << 20)) ? "ldrht/ldrsbt/ldrsht" : "strht",
                    "unprivileged load/store (ldrt family)");
    if ((insn & 0x0e000000) == 0x0c000000 || (insn & 0x0f000000) == 0x0e000000)
        return decode_coproc(insn);
    return INFO(INSN_NOT_SENSITIVE, "undefined", "undefined or unsupported instruction");
}

insn_info_t insn_decode_thumb(uint16_t hw1, uint16_t hw2)
{
    if (!insn_thumb_is_32(hw1)) {
        if ((hw1 & 0xffe8) == 0xb660)
            return INFO(INSN_CPS, "cps", "processor state change (cpsie/cpsid)");
        if (hw1 == 0xbf30)
            return INFO(INSN_WFI_WFE, "wfi", "wait for interrupt");
        if (hw1 == 0xbf20)
            return INFO(INSN_WFI_WFE, "wfe", "wait for event");
        if ((hw1 & 0xff00) == 0xde00)
            return INFO(INSN_UDF, "udf", "permanently undefined instruction");
        return INFO(INSN_THUMB, "thumb", "undefined 16-bit Thumb instruction");
    }
    /* 32-bit: coprocessor space shares the A32 layout in hw1:hw2. */
    uint32_t w = ((uint32_t)hw1 << 16) | hw2;
    if ((hw1 & 0xef00) == 0xee00 && (hw2 & 0x10))
        return decode_coproc(0xe0000000u | (w & 0x0fffffff));
    if ((hw1 & 0xffe0) == 0xf3e0 && (hw2 & 0xd000) == 0x8000)
        return INFO(INSN_MRS, "mrs", "read of a program status register");
    if ((hw1 & 0xffe0) == 0xf380 && (hw2 & 0xd000) == 0x8000)
        return INFO(INSN_MSR, "msr", "write of a program status register");
    if (hw1 == 0xf3af && (hw2 & 0xff00) == 0x8000 && (hw2 & 0xff) == 3)
        return INFO(INSN_WFI_WFE, "wfi.w", "wait for interrupt");
    if ((hw1 & 0xfff0) == 0xf7f0 && (hw2 & 0xf000) == 0x8000)
        return INFO(INSN_SMC_HVC, "smc", "secure monitor call");
    if ((hw1 & 0xfff0) == 0xf7e0 && (hw2 & 0xf000) == 0x8000)
        return INFO(INSN_SMC_HVC, "hvc", "hypervisor call");
    if (hw1 == 0xf3de && (hw2 & 0xff00) == 0x8f00)
        return INFO(INSN_EXC_RETURN, "subs pc, lr", "exception return");
    return INFO(INSN_THUMB, "thumb", "undefined 32-bit Thumb instruction");
}
