/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Decoding a load or store of an emulated device, shared by the VMM's MMIO
 * emulation of a trapped access (docs/previrt.md, "What traps") and the
 * guest runtime's of a rewritten one (the MEM rewrite): every single-register
 * addressing mode of A32 and T32 (immediate, register, scaled register;
 * offset, pre-indexed, post-indexed with write-back) and the doubleword
 * forms. Pure code: host-tested.
 */
#pragma once
#include <stdint.h>

typedef struct {
    int load;         /* 1 load, 0 store */
    unsigned size;    /* 1, 2, 4 or 8 (LDRD/STRD: rt and rt2) */
    int sign;         /* sign-extending load */
    unsigned rt, rt2; /* rt2 only for size 8 */
    uint32_t addr;    /* the address accessed (first word) */
    int wb;           /* write-back: rn := wb_value */
    unsigned rn;
    uint32_t wb_value;
    unsigned length; /* of the instruction in bytes: pc advances by it */
} mmio_access_t;

/*
 * regs: r0-r15 and cpsr of the faulting context (17 words), r15 = the
 * instruction's address.
 * Returns 0 and fills *a, or a static string saying why the instruction is
 * not a load/store the emulation handles (pc as a register, exclusive and
 * multiple transfers, an unallocated encoding).
 */
const char *mmio_decode_arm(uint32_t insn, const uint32_t regs[17], mmio_access_t *a);
const char *mmio_decode_thumb(uint16_t hw1, uint16_t hw2, const uint32_t regs[17],
                              mmio_access_t *a);
