/* SPDX-License-Identifier: BSD-2-Clause */
/* A small decoder of ARM (A32) encodings: names the sensitive-instruction
 * class of a faulting instruction word for the VMM's stop report. The full
 * auditor (Capstone, every sensitive instruction of an ELF) is tools/sensaudit;
 * this only needs to explain a trap. Pure code: host-tested. */
#pragma once
#include <stdint.h>

typedef enum {
    INSN_NOT_SENSITIVE = 0,
    INSN_CP15,         /* mcr/mrc/mcrr/mrrc p15 */
    INSN_CP14,         /* mcr/mrc/ldc/stc p14: debug and trace registers */
    INSN_VFP_SYSREG,   /* vmrs/vmsr: floating-point system registers */
    INSN_COPROC,       /* another coprocessor */
    INSN_MRS,          /* mrs cpsr/spsr, banked mrs */
    INSN_MSR,          /* msr cpsr/spsr, banked msr */
    INSN_CPS,          /* cpsie/cpsid/cps */
    INSN_SRS_RFE,      /* srs, rfe */
    INSN_EXC_RETURN,   /* subs pc, lr / movs pc, ... / eret */
    INSN_LDM_STM_USER, /* ldm/stm with ^ */
    INSN_WFI_WFE,      /* wfi, wfe */
    INSN_LDRT,         /* ldrt/strt/ldrbt/strbt/ldrht/strht/ldrsbt/ldrsht */
    INSN_SMC_HVC,      /* smc, hvc */
    INSN_UDF,          /* permanently undefined */
    INSN_THUMB,        /* a Thumb instruction (classes decoded: see decode.c) */
} insn_class_t;

typedef struct {
    insn_class_t cls;
    const char *mnemonic; /* e.g. "mcr p15" */
    const char *what;     /* e.g. "cp15 system register access" */
} insn_info_t;

/* Classify an A32 instruction word. */
insn_info_t insn_decode_arm(uint32_t insn);
/* Classify a T32 instruction: hw1 first halfword, hw2 second (if 32-bit). */
insn_info_t insn_decode_thumb(uint16_t hw1, uint16_t hw2);
/* 1 if a Thumb instruction starting with hw1 is 32 bits long. */
static inline int insn_thumb_is_32(uint16_t hw1)
{
    return (hw1 >> 11) >= 0x1d;
}
