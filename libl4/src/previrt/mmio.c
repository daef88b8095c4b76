/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Load/store decoding for MMIO emulation (mmio.h). Sections cite the ARM
 * ARM (DDI 0406C): A5.3 "Load/store word and unsigned byte", A5.2.8 "Extra
 * load/store instructions", A6.3.7-10 (T32 loads and stores), A6.2.4
 * (16-bit T32 loads and stores), A8.8 for each instruction's pseudocode.
 */
#include <previrt/mmio.h>

#define BIT(x, n) (((x) >> (n)) & 1u)
#define FIELD(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1u))

static uint32_t mmio_shift(uint32_t v, unsigned type, unsigned amount, uint32_t carry)
{
    switch (type) {
    case 0:
        return amount >= 32 ? 0 : v << amount;
    case 1:
        return amount == 0 || amount >= 32 ? 0 : v >> amount; /* LSR #0 means #32 */
    case 2:
        return (uint32_t)((int32_t)v >> (amount == 0 || amount >= 32 ? 31 : amount));
    default:
        if (amount == 0) /* RRX */
            return (carry << 31) | (v >> 1);
        return (v >> amount) | (v << (32 - amount));
    }
}

/* Address and write-back of a P/U/W transfer at base with offset off. */
static void mmio_index(mmio_access_t *a, unsigned rn, uint32_t base, uint32_t off, unsigned p,
                       unsigned u, unsigned w)
{
    uint32_t moved = u ? base + off : base - off;

    a->rn = rn;
    a->addr = p ? moved : base;
    a->wb = !p || w;
    a->wb_value = moved;
}

static const char *mmio_check(const mmio_access_t *a)
{
    if (a->rt == 15 || (a->size == 8 && (a->rt2 == 15 || (a->rt & 1))))
        return "a transfer of pc (or LDRD/STRD of an odd register)";
    if (a->wb && (a->rn == 15 || a->rn == a->rt || (a->size == 8 && a->rn == a->rt2)))
        return "write-back to pc or to a transferred register (UNPREDICTABLE)";
    return 0;
}

const char *mmio_decode_arm(uint32_t insn, const uint32_t regs[17], mmio_access_t *a)
{
    unsigned p = BIT(insn, 24), u = BIT(insn, 23), w = BIT(insn, 21), l = BIT(insn, 20);
    unsigned rn = FIELD(insn, 19, 16), rt = FIELD(insn, 15, 12), rm = insn & 15;
    uint32_t base = rn == 15 ? regs[15] + 8 : regs[rn], off;

    *a = (mmio_access_t){.load = (int)l, .rt = rt, .length = 4};
    if (FIELD(insn, 31, 28) == 0xf)
        return "an unconditional-space instruction (no load/store of data)";
    if (FIELD(insn, 27, 26) == 1) { /* LDR/STR/LDRB/STRB */
        if (BIT(insn, 25) && BIT(insn, 4))
            return "a media instruction, not a load/store";
        if (!p && w)
            return "an unprivileged load/store (LDRT family)";
        off = BIT(insn, 25)
                  ? mmio_shift(regs[rm], FIELD(insn, 6, 5), FIELD(insn, 11, 7), BIT(regs[16], 29))
                  : insn & 0xfffu;
        if (BIT(insn, 25) && rm == 15)
            return "pc as offset register";
        a->size = BIT(insn, 22) ? 1 : 4;
        mmio_index(a, rn, base, off, p, u, w);
        return mmio_check(a);
    }
    if (FIELD(insn, 27, 25) == 0 && BIT(insn, 7) && BIT(insn, 4) && FIELD(insn, 6, 5) != 0) {
        unsigned op2 = FIELD(insn, 6, 5);

        if (!p && w)
            return "an unprivileged load/store (LDRHT family)";
        if (!BIT(insn, 22) && rm == 15)
            return "pc as offset register";
        off = BIT(insn, 22) ? (FIELD(insn, 11, 8) << 4) | (insn & 15) : regs[rm];
        if (op2 == 1) {
            a->size = 2; /* STRH / LDRH */
        } else if (!l) {
            a->size = 8; /* LDRD (op2 2) / STRD (op2 3) */
            a->load = op2 == 2;
            a->rt2 = rt + 1;
        } else {
            a->size = op2 == 2 ? 1 : 2; /* LDRSB / LDRSH */
            a->sign = 1;
        }
        mmio_index(a, rn, base, off, p, u, w);
        return mmio_check(a);
    }
    return "not a single load/store (LDM/STM, exclusive or swap transfers are not emulated)";
}

static const char *mmio_thumb16(uint16_t hw, const uint32_t regs[17], mmio_access_t *a)
{
    unsigned rt = hw & 7, rn = FIELD(hw, 5, 3), rm = FIELD(hw, 8, 6), imm5 = FIELD(hw, 10, 6);
    static const struct {
        uint8_t load, size, sign;
    } reg_forms[8] = {{0, 4, 0}, {0, 2, 0}, {0, 1, 0}, {1, 1, 1},
                      {1, 4, 0}, {1, 2, 0}, {1, 1, 0}, {1, 2, 1}};

    *a = (mmio_access_t){.rt = rt, .rn = rn, .length = 2};
    switch (hw >> 12) {
    case 0x5: /* LDR/STR (register) family: 0101 opB Rm Rn Rt */
        a->load = reg_forms[FIELD(hw, 11, 9)].load;
        a->size = reg_forms[FIELD(hw, 11, 9)].size;
        a->sign = reg_forms[FIELD(hw, 11, 9)].sign;
        a->addr = regs[rn] + regs[rm];
        return 0;
    case 0x6: /* LDR/STR (immediate), word */
        a->load = BIT(hw, 11);
        a->size = 4;
        a->addr = regs[rn] + imm5 * 4;
        return 0;
    case 0x7: /* LDRB/STRB (immediate) */
        a->load = BIT(hw, 11);
        a->size = 1;
        a->addr = regs[rn] + imm5;
        return 0;
    case 0x8: /* LDRH/STRH (immediate) */
        a->load = BIT(hw, 11);
        a->size = 2;
        a->addr = regs[rn] + imm5 * 2;
        return 0;
    default:
        return "not a 16-bit Thumb load/store of a device register";
    }
}

const char *mmio_decode_thumb(uint16_t hw1, uint16_t hw2, const uint32_t regs[17], mmio_access_t *a)
{
    unsigned rn = hw1 & 15, rt = FIELD(hw2, 15, 12), size = FIELD(hw1, 6, 5);
    uint32_t base;

    if ((hw1 >> 11) < 0x1d)
        return mmio_thumb16(hw1, regs, a);
    base = rn == 15 ? (regs[15] + 4) & ~3u : regs[rn];
    *a = (mmio_access_t){.rt = rt, .length = 4};
    if ((hw1 & 0xfe50) == 0xe840 || (hw1 & 0xfe50) == 0xe850) { /* LDRD/STRD (immediate) */
        unsigned p = BIT(hw1, 8), u = BIT(hw1, 7), w = BIT(hw1, 5);

        if (!p && !w)
            return "not a doubleword load/store";
        a->load = BIT(hw1, 4);
        a->size = 8;
        a->rt2 = FIELD(hw2, 11, 8);
        mmio_index(a, rn, base, (hw2 & 0xffu) * 4, p, u, w);
        return a->rt == 15 || a->rt2 == 15 || (a->wb && (rn == a->rt || rn == a->rt2))
                   ? "UNPREDICTABLE registers"
                   : 0;
    }
    if ((hw1 & 0xfe00) != 0xf800 || size == 3)
        return "not a 32-bit Thumb load/store of a device register";
    a->load = BIT(hw1, 4);
    a->size = 1u << size;
    a->sign = BIT(hw1, 8);
    if (a->sign && !a->load)
        return "not a load/store (a store cannot sign-extend)";
    if (BIT(hw1, 7)) { /* imm12 */
        mmio_index(a, rn, base, hw2 & 0xfffu, 1, 1, 0);
    } else if (BIT(hw2, 11)) { /* imm8, P U W */
        unsigned p = BIT(hw2, 10), u = BIT(hw2, 9), w = BIT(hw2, 8);

        if (p && u && !w)
            return "an unprivileged load/store (LDRT family)";
        mmio_index(a, rn, base, hw2 & 0xffu, p, u, w);
    } else if (FIELD(hw2, 11, 6) == 0) { /* register, LSL #imm2 */
        unsigned rm = hw2 & 15;

        if (rm == 13 || rm == 15)
            return "sp or pc as offset register";
        mmio_index(a, rn, base, regs[rm] << FIELD(hw2, 5, 4), 1, 1, 0);
    } else {
        return "an unallocated Thumb load/store encoding";
    }
    return mmio_check(a);
}
