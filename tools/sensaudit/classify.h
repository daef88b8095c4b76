/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sensitive-instruction classes and the classifiers that map one raw
 * instruction encoding to a class.
 *
 * The classifiers look only at encoding bits (ARM ARM DDI 0406C, chapters
 * A5 "ARM instruction set encoding" and A6 "Thumb instruction set encoding"),
 * never at Capstone's text or instruction ids: Capstone prints `mrs r0, apsr`
 * for the CPSR read and does not say which MSR fields are written, and an
 * auditor must not depend on a disassembler's naming. Capstone decides only
 * whether the word is a valid instruction at all (see scan.c).
 */
#ifndef SENSAUDIT_CLASSIFY_H
#define SENSAUDIT_CLASSIFY_H

#include <stdint.h>

typedef enum {
    SENS_NONE = 0, /* not sensitive: legal and faithful at PL0 */
    SENS_COPROC,
    SENS_PSR,
    SENS_CPS,
    SENS_SRS,
    SENS_RFE,
    SENS_EXCEPTION_RETURN,
    SENS_LDM_STM_USER,
    SENS_ERET,
    SENS_SMC,
    SENS_HVC,
    SENS_WFI_WFE,
    SENS_VFP_SYSTEM,
    SENS_UNPRIVILEGED_LDST,
    SENS_UNDECODABLE,
    SENS_CLASS_COUNT
} sens_class_t;

/* The class name printed in reports ("coproc", "exception-return", ...). */
const char *classify_name(sens_class_t cls);

/* A 32-bit ARM (A32) instruction word. */
sens_class_t classify_arm(uint32_t insn);

/* A 16-bit Thumb instruction. */
sens_class_t classify_thumb16(uint16_t hw);

/* A 32-bit Thumb-2 instruction: hw1 is the first halfword in memory. */
sens_class_t classify_thumb32(uint16_t hw1, uint16_t hw2);

/* True when hw1 is the first halfword of a 32-bit Thumb-2 instruction (A6.1). */
int classify_thumb_is_wide(uint16_t hw1);

/*
 * Coprocessor space, shared by both instruction sets: `insn` is laid out as
 * an A32 word (a Thumb-2 instruction is hw1:hw2, whose bits 27:0 match the
 * A32 coprocessor encodings). `unconditional` selects the MCR2/LDC2/... forms
 * (A32 cond == 0b1111, Thumb-2 hw1 bit 12 set).
 */
sens_class_t classify_coproc(uint32_t insn, int unconditional);

/*
 * Whether a sensitive instruction can execute at PL0 without trapping, so
 * that a guest kernel running unprivileged would silently get different
 * behaviour (1), or is certain to trap to the kernel and so to the VMM (0).
 * `insn` is the raw encoding as classified (A32 word; Thumb: hw1:hw2 or
 * the 16-bit halfword). UNPREDICTABLE at PL0 counts as silent: nothing
 * guarantees a trap. Coprocessor registers count as silent when the ARM
 * ARM lets PL0 reach them under some PL1 configuration (generic timer,
 * PMU, the debug channel, JIDR), whatever this kernel's configuration is.
 */
int classify_is_silent(sens_class_t cls, uint32_t insn, int thumb);

#endif