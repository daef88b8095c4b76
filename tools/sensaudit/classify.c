/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Encoding-level classification of sensitive instructions.
 *
 * Section references are to the ARM Architecture Reference Manual ARMv7-A/R
 * (DDI 0406C.d). Masks deliberately ignore "should be" bits, written (0)/(1)
 * in the manual: an encoding that breaks them is UNPREDICTABLE, and a CPU may
 * well execute it as the instruction it resembles, so it is classified as
 * that instruction.
 */
#include "classify.h"

#include <stddef.h>

#define BIT(x, n) (((x) >> (n)) & 1u)
#define FIELD(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1u))

static const char *const classify_names[SENS_CLASS_COUNT] = {
    [SENS_NONE] = "none",
    [SENS_COPROC] = "coproc",
    [SENS_PSR] = "psr",
    [SENS_CPS] = "cps",
    [SENS_SRS] = "srs",
    [SENS_RFE] = "rfe",
    [SENS_EXCEPTION_RETURN] = "exception-return",
    [SENS_LDM_STM_USER] = "ldm-stm-user",
    [SENS_ERET] = "eret",
    [SENS_SMC] = "smc",
    [SENS_HVC] = "hvc",
    [SENS_WFI_WFE] = "wfi-wfe",
    [SENS_VFP_SYSTEM] = "vfp-system",
    [SENS_UNPRIVILEGED_LDST] = "unprivileged-ldst",
    [SENS_UNDECODABLE] = "undecodable",
};

const char *classify_name(sens_class_t cls)
{
    return (unsigned)cls < SENS_CLASS_COUNT ? classify_names[cls] : "?";
}

/*
 * MSR field mask (B9.3, "MSR (immediate)" and "MSR (register)"):
 * bit 3 = f (N Z C V Q), bit 2 = s (GE[3:0]; the rest of bits 23:16 is
 * reserved in ARMv7), bit 1 = x, bit 0 = c (E A I F T M). Only f and s into
 * CPSR are allowed: those are exactly the APSR_nzcvq and APSR_g forms, legal
 * and faithful at PL0. Any SPSR or banked-register form is sensitive.
 */
static sens_class_t classify_msr(int spsr, unsigned mask)
{
    return (spsr || (mask & 0x3u)) ? SENS_PSR : SENS_NONE;
}

/* Hint space, A32 A5.2.11 / T32 A6.3.4 and A6.2.5: 2 is WFE, 3 is WFI. */
static sens_class_t classify_hint(unsigned op)
{
    return (op == 2 || op == 3) ? SENS_WFI_WFE : SENS_NONE;
}

/*
 * cp15 operations that are legal at PL0 and behave the same there (B4.1
 * lists every cp15 encoding with its PL0 access):
 * TPIDRURW read/write, TPIDRURO read, and the deprecated CP15 barriers.
 */
static int classify_cp15_allowed(uint32_t insn)
{
    unsigned opc1 = FIELD(insn, 23, 21), read = BIT(insn, 20);
    unsigned crn = FIELD(insn, 19, 16), opc2 = FIELD(insn, 7, 5), crm = FIELD(insn, 3, 0);

    if (opc1 != 0)
        return 0;
    if (crn == 13 && crm == 0)
        return opc2 == 2 || (opc2 == 3 && read);
    if (crn == 7 && !read)
        return (crm == 10 && (opc2 == 4 || opc2 == 5)) || (crm == 5 && opc2 == 4);
    return 0;
}

sens_class_t classify_coproc(uint32_t insn, int unconditional)
{
    unsigned coproc = FIELD(insn, 11, 8);
    int ldc_mcrr = FIELD(insn, 27, 25) == 0x6; /* LDC, STC, MCRR, MRRC */
    int cdp_mcr = FIELD(insn, 27, 24) == 0xe;  /* CDP, MCR, MRC */

    if (!ldc_mcrr && !cdp_mcr)
        return SENS_NONE;
    if (coproc == 10 || coproc == 11) {
        /* VFP/Advanced SIMD (A7.8). VMRS/VMSR: 1110 111L reg Rt 1010 (0)00 1. */
        if (!unconditional && (insn & 0x0fe00f70u) == 0x0ee00a10u)
            return FIELD(insn, 19, 16) == 1 ? SENS_NONE : SENS_VFP_SYSTEM;
        return SENS_NONE;
    }
    /* MCR/MRC: 1110 opc1 L CRn Rt coproc opc2 1 CRm (A8.8, "MCR, MCR2"). */
    if (coproc == 15 && !unconditional && cdp_mcr && BIT(insn, 4) && classify_cp15_allowed(insn))
        return SENS_NONE;
    return SENS_COPROC;
}

/* A32 cond == 0b1111 space (A5.7). */
static sens_class_t classify_arm_unconditional(uint32_t insn)
{
    if ((insn & 0x0e500000u) == 0x08400000u) /* 100P U1W0: SRS */
        return SENS_SRS;
    if ((insn & 0x0e500000u) == 0x08100000u) /* 100P U0W1: RFE */
        return SENS_RFE;
    if ((insn & 0x0ff10020u) == 0x01000000u) /* 0001 0000 imod M 0: CPS */
        return SENS_CPS;
    return classify_coproc(insn, 1);
}

/* A32 miscellaneous instructions, op == 10xx0 and bit 7 == 0 (A5.2.12). */
static sens_class_t classify_arm_misc(uint32_t insn)
{
    unsigned op2 = FIELD(insn, 6, 4), op = FIELD(insn, 22, 21);

    if (op2 == 0) {
        if (!BIT(op, 0))
            return SENS_PSR; /* MRS, MRS banked */
        if (BIT(insn, 9))
            return SENS_PSR; /* MSR banked */
        return classify_msr(BIT(insn, 22), FIELD(insn, 19, 16));
    }
    if (op2 == 6 && op == 3)
        return SENS_ERET;
    if (op2 == 7 && op == 2)
        return SENS_HVC;
    if (op2 == 7 && op == 3)
        return SENS_SMC;
    return SENS_NONE;
}

/*
 * Data-processing with S set and Rd == PC copies SPSR to CPSR (B9.3,
 * "SUBS PC, LR and related instructions (ARM)"). TST/TEQ/CMP/CMN (opcode
 * 10xx) have no Rd; multiplies and extra load/stores (bits 7 and 4 both set,
 * register forms only) live in the same space but are other instructions.
 */
static int classify_arm_is_dp_to_pc(uint32_t insn)
{
    unsigned opcode = FIELD(insn, 24, 21);

    if (FIELD(insn, 27, 26) != 0 || !BIT(insn, 20) || FIELD(insn, 15, 12) != 15)
        return 0;
    if (opcode >= 8 && opcode <= 11)
        return 0;
    return BIT(insn, 25) || !(BIT(insn, 7) && BIT(insn, 4));
}

/* LDRT/STRT/LDRBT/STRBT (A5.3: op1 0x010 / 0x110 with P == 0, W == 1). */
static int classify_arm_is_unpriv_word(uint32_t insn)
{
    if ((insn & 0x0d200000u) != 0x04200000u)
        return 0;
    return !BIT(insn, 25) || !BIT(insn, 4); /* bit25 && bit4 is media */
}

/* LDRHT/STRHT/LDRSBT/LDRSHT (A5.2.8: extra load/store, P == 0, W == 1). */
static int classify_arm_is_unpriv_half(uint32_t insn)
{
    uint32_t key = insn & 0x0f3000f0u;

    return key == 0x002000b0u || key == 0x003000b0u || key == 0x003000d0u || key == 0x003000f0u;
}

sens_class_t classify_arm(uint32_t insn)
{
    if (FIELD(insn, 31, 28) == 0xf)
        return classify_arm_unconditional(insn);
    if ((insn & 0x0f900080u) == 0x01000000u)
        return classify_arm_misc(insn);
    if ((insn & 0x0fb00000u) == 0x03200000u) { /* MSR (immediate), hints */
        if (!BIT(insn, 22) && FIELD(insn, 19, 16) == 0)
            return classify_hint(FIELD(insn, 7, 0));
        return classify_msr(BIT(insn, 22), FIELD(insn, 19, 16));
    }
    if ((insn & 0x0e400000u) == 0x08400000u) { /* LDM/STM ^ (B9.3: LDM/STM user) */
        if (BIT(insn, 20) && BIT(insn, 15))
            return SENS_EXCEPTION_RETURN;
        return SENS_LDM_STM_USER;
    }
    if (classify_arm_is_dp_to_pc(insn))
        return SENS_EXCEPTION_RETURN;
    if (classify_arm_is_unpriv_word(insn) || classify_arm_is_unpriv_half(insn))
        return SENS_UNPRIVILEGED_LDST;
    return classify_coproc(insn, 0);
}

sens_class_t classify_thumb16(uint16_t hw)
{
    if ((hw & 0xffe8u) == 0xb660u) /* 1011 0110 011 im 0 AIF: CPS */
        return SENS_CPS;
    if ((hw & 0xff0fu) == 0xbf00u) /* IT with mask 0: hints */
        return classify_hint(FIELD(hw, 7, 4));
    return SENS_NONE;
}

int classify_thumb_is_wide(uint16_t hw1)
{
    unsigned top = FIELD(hw1, 15, 11);

    return top == 0x1d || top == 0x1e || top == 0x1f;
}

/* Branches and miscellaneous control, hw1 11110, hw2 bit 15 set (A6.3.4). */
static sens_class_t classify_thumb_misc(uint16_t hw1, uint16_t hw2)
{
    unsigned op = FIELD(hw1, 10, 4), op1 = FIELD(hw2, 14, 12);

    if (op1 == 0 && op == 0x7e)
        return SENS_HVC;
    if (op1 == 0 && op == 0x7f)
        return SENS_SMC;
    if ((op1 & 0x5) != 0) /* op1 != 0x0: branches */
        return SENS_NONE;
    if ((op & 0x7e) == 0x38) { /* MSR (register), banked */
        if (BIT(hw2, 5))
            return SENS_PSR;
        return classify_msr(BIT(hw1, 4), FIELD(hw2, 11, 8));
    }
    if (op == 0x3a) { /* CPS (imod or M set), hints */
        if (FIELD(hw2, 10, 8) != 0)
            return SENS_CPS;
        return classify_hint(FIELD(hw2, 7, 0));
    }
    if (op == 0x3d) /* SUBS PC, LR, #imm8 */
        return FIELD(hw2, 7, 0) == 0 ? SENS_ERET : SENS_EXCEPTION_RETURN;
    if ((op & 0x7e) == 0x3e) /* MRS, MRS banked */
        return SENS_PSR;
    return SENS_NONE;
}

/* LDRT & co: 1111 100S size L Rn | Rt 1110 imm8, Rn != PC (A6.3.7-10). */
static int classify_thumb_is_unpriv(uint16_t hw1, uint16_t hw2)
{
    static const uint16_t forms[] = {0xf800, 0xf810, 0xf820, 0xf830,
                                     0xf840, 0xf850, 0xf910, 0xf930};

    if (FIELD(hw1, 3, 0) == 15 || FIELD(hw2, 11, 8) != 0xe)
        return 0;
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
        if ((hw1 & 0xfff0u) == forms[i])
            return 1;
    return 0;
}

sens_class_t classify_thumb32(uint16_t hw1, uint16_t hw2)
{
    unsigned srs_rfe = hw1 & 0xffd0u; /* 1110 100 op 0 W L Rn (A6.3.5) */

    if ((hw1 & 0xf800u) == 0xf000u && BIT(hw2, 15))
        return classify_thumb_misc(hw1, hw2);
    if (srs_rfe == 0xe800u || srs_rfe == 0xe980u)
        return SENS_SRS;
    if (srs_rfe == 0xe810u || srs_rfe == 0xe990u)
        return SENS_RFE;
    if (classify_thumb_is_unpriv(hw1, hw2))
        return SENS_UNPRIVILEGED_LDST;
    /* Coprocessor space 111T 11xx, except 111x 1111 (Advanced SIMD), A6.3.18. */
    if ((hw1 & 0xec00u) == 0xec00u && (hw1 & 0x0300u) != 0x0300u)
        return classify_coproc(((uint32_t)hw1 << 16) | hw2, BIT(hw1, 12));
    return SENS_NONE;
}

/*
 * cp15/cp14 encodings PL0 may reach (B4.1, B8.1, C6.4, C12.7, A2.10): the
 * generic timer (c14, except CNTKCTL), the PMU (c9, c12-c14), the debug
 * communication channel (DBGDSCRint, DBGDTRRXint/TXint) and JIDR. Every
 * other cp14/cp15 MCR/MRC/MCRR/MRRC is UNDEFINED at PL0.
 */
static int classify_coproc_silent(uint32_t insn, int thumb)
{
    unsigned cp = FIELD(insn, 11, 8);
    int unconditional = thumb ? BIT(insn, 28) : FIELD(insn, 31, 28) == 0xf;
    int mcr_mrc = FIELD(insn, 27, 24) == 0xe && BIT(insn, 4);
    int mcrr = (insn & 0x0fe00000u) == 0x0c400000u;
    int ldc = FIELD(insn, 27, 25) == 0x6 && !mcrr;
    unsigned opc1 = FIELD(insn, 23, 21), crn = FIELD(insn, 19, 16);
    unsigned opc2 = FIELD(insn, 7, 5), crm = FIELD(insn, 3, 0);

    if (unconditional || (cp != 14 && cp != 15))
        return 0;
    if (cp == 14 && ldc)
        return FIELD(insn, 15, 12) == 5; /* LDC/STC of DBGDTRTXint/RXint */
    if (cp == 14 && mcr_mrc)
        return (opc1 == 0 && crn == 0 && opc2 == 0 && (crm == 1 || crm == 5)) ||
               (opc1 == 7 && crn == 0 && crm == 0 && opc2 == 0);
    if (cp == 15 && mcrr)
        return crm == 14 && FIELD(insn, 7, 4) <= 3; /* CNTPCT, CNTVCT, CNTP/V_CVAL */
    if (cp == 15 && mcr_mrc && opc1 == 0) {
        if (crn == 14)
            return !(crm == 1 && opc2 == 0); /* all of the timer but CNTKCTL */
        if (crn == 9)
            return crm >= 12 && crm <= 14; /* the PMU */
    }
    return 0;
}

int classify_is_silent(sens_class_t cls, uint32_t insn, int thumb)
{
    switch (cls) {
    case SENS_NONE:
    case SENS_SMC:
    case SENS_HVC:
    case SENS_VFP_SYSTEM:
        return 0; /* UNDEFINED at PL0 */
    case SENS_ERET:
        return thumb; /* ARM ERET is UNDEFINED at PL0; Thumb's is SUBS PC, LR, #0 */
    case SENS_COPROC:
        return classify_coproc_silent(insn, thumb);
    default:
        return 1;
    }
}
