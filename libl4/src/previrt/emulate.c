/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One rewritten instruction, from its descriptor (the op and the operand
 * fields of its A32 encoding, tools/previrt/contract.py) applied to the
 * guest context and the virtual CPU. The rewriter has already refused the
 * forms that would need the original pc, so a register operand here is
 * never pc except as the stored value of STM (PCStoreValue, A2.3.2).
 *
 * Operand semantics follow the ARM ARM pseudocode of each instruction:
 * CPS (B9.3.2), MRS/MSR (B9.3.8-12), SRS/RFE (B9.3.13, B9.3.16), SUBS PC,
 * LR and related (B9.3.20), LDM/STM user registers and exception return
 * (B9.3.5-7), MCR/MRC/MCRR/MRRC (A8.8.98ff), SVC (A8.8.228).
 */
#include "cpu.h"

#define BIT(x, n) (((x) >> (n)) & 1u)
#define FIELD(x, hi, lo) (((x) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1u))
#define PSR_C (1u << 29)

static int cpu_thumb_site(const previrt_cpu_t *cpu)
{
    return cpu->stub[PREVIRT_STUB_RET_OFFSET / 4 - PREVIRT_STUB_DESC_OFFSET / 4] & 1u;
}

/* R[n] as the original instruction read it: pc is its address + 8 (ARM)
 * or + 4 (Thumb); the site's branch sits where it was, 4 bytes before ret. */
static uint32_t cpu_reg(const previrt_cpu_t *cpu, unsigned n)
{
    uint32_t ret = cpu->stub[PREVIRT_STUB_RET_OFFSET / 4 - PREVIRT_STUB_DESC_OFFSET / 4];

    if (n != 15)
        return cpu->ctx[n];
    return (ret & ~1u) + (cpu_thumb_site(cpu) ? 0 : 4);
}

/* --- CPS, MRS, MSR -------------------------------------------------------- */

static void emulate_cps(previrt_cpu_t *cpu, uint32_t f)
{
    uint32_t imod = FIELD(f, 19, 18), bits = f & (PSR_A | PSR_I | PSR_F);

    if (imod == 2)
        cpu->vcpsr &= ~bits;
    else if (imod == 3)
        cpu->vcpsr |= bits;
    if (BIT(f, 17))
        previrt_set_mode(cpu, f & PSR_M_MASK);
}

/* The banked register SYSm = M:M1 names (B9.2.3), as a pointer into the
 * live context or the banks, given the current mode. */
static uint32_t *cpu_banked(previrt_cpu_t *cpu, uint32_t r, uint32_t m, uint32_t m1)
{
    uint32_t mode = cpu->vcpsr & PSR_M_MASK;
    int cur = previrt_bank(mode), b;
    static const int spsr_bank[16] = {
        [0] = BANK_IRQ, [2] = BANK_SVC, [4] = BANK_ABT, [6] = BANK_UND};

    if (r) {
        if (m == 0 && m1 == 14)
            return &cpu->spsr[BANK_FIQ];
        if (m == 1 && (m1 & 1) == 0 && m1 <= 6)
            return &cpu->spsr[spsr_bank[m1]];
        return 0;
    }
    if (m == 0 && m1 <= 4) /* r8_usr-r12_usr */
        return mode == MODE_FIQ ? &cpu->r8_12_other[m1] : &cpu->ctx[8 + m1];
    if (m == 0 && m1 >= 8 && m1 <= 12) /* r8_fiq-r12_fiq */
        return mode == MODE_FIQ ? &cpu->ctx[m1] : &cpu->r8_12_other[m1 - 8];
    if (m == 0 && (m1 == 5 || m1 == 6 || m1 == 13 || m1 == 14)) {
        b = m1 < 8 ? BANK_USR : BANK_FIQ;
        if ((m1 & 7) == 5)
            return b == cur ? &cpu->ctx[13] : &cpu->bank_sp[b];
        return b == cur ? &cpu->ctx[14] : &cpu->bank_lr[b];
    }
    if (m == 1 && m1 <= 7) {
        b = BANK_IRQ + (int)(m1 >> 1);
        if (m1 & 1)
            return b == cur ? &cpu->ctx[13] : &cpu->bank_sp[b];
        return b == cur ? &cpu->ctx[14] : &cpu->bank_lr[b];
    }
    return 0;
}

static uint32_t *cpu_spsr(previrt_cpu_t *cpu)
{
    int b = previrt_bank(cpu->vcpsr & PSR_M_MASK);

    if (b == BANK_USR) /* User and System mode have no SPSR: UNPREDICTABLE */
        previrt_glue_fatal(cpu, "SPSR access in User or System mode");
    return &cpu->spsr[b];
}

/* CPSRWriteByInstr(value, mask, FALSE) at PL1 (B1.3.3): f = N Z C V Q,
 * s = GE, x = E and A, c = M, I, F (MSR writes no execution state bit: T
 * and IT keep their values). */
static void cpu_write_cpsr(previrt_cpu_t *cpu, uint32_t v, uint32_t mask)
{
    uint32_t *flags = &cpu->ctx[PREVIRT_CTX_CPSR];

    if (mask & 8)
        *flags = (*flags & ~0xf8000000u) | (v & 0xf8000000u);
    if (mask & 4)
        *flags = (*flags & ~0x000f0000u) | (v & 0x000f0000u);
    if (mask & 2) {
        if (v & PSR_E)
            previrt_glue_fatal(cpu, "big-endian data (CPSR.E) is not supported");
        cpu->vcpsr = (cpu->vcpsr & ~PSR_A) | (v & PSR_A);
    }
    if (mask & 1) {
        cpu->vcpsr = (cpu->vcpsr & ~(PSR_I | PSR_F)) | (v & (PSR_I | PSR_F));
        if ((v & PSR_M_MASK) != (cpu->vcpsr & PSR_M_MASK))
            previrt_set_mode(cpu, v & PSR_M_MASK);
    }
}

static void cpu_write_spsr(previrt_cpu_t *cpu, uint32_t v, uint32_t mask)
{
    uint32_t *spsr = cpu_spsr(cpu), bytes = 0;

    for (unsigned i = 0; i < 4; i++)
        if (BIT(mask, i))
            bytes |= 0xffu << (8 * i);
    bytes &= ~PSR_RESERVED;
    *spsr = (*spsr & ~bytes) | (v & bytes);
}

static void emulate_msr(previrt_cpu_t *cpu, uint32_t f, uint32_t v)
{
    if (BIT(f, 22))
        cpu_write_spsr(cpu, v, FIELD(f, 19, 16));
    else
        cpu_write_cpsr(cpu, v, FIELD(f, 19, 16));
}

static void emulate_banked(previrt_cpu_t *cpu, uint32_t f, int write)
{
    uint32_t *reg = cpu_banked(cpu, BIT(f, 22), BIT(f, 8), FIELD(f, 19, 16));

    if (!reg)
        previrt_glue_fatal(cpu, "banked register the runtime does not model");
    if (write)
        *reg = cpu->ctx[f & 15];
    else
        cpu->ctx[FIELD(f, 15, 12)] = *reg;
}

/* --- SRS, RFE, exception returns, LDM/STM ^ --------------------------------- */

/* Start address of a P/U block transfer of `words` words based at `base`. */
static uint32_t block_start(uint32_t f, uint32_t base, unsigned words)
{
    uint32_t p = BIT(f, 24), u = BIT(f, 23);

    if (u)
        return base + (p ? 4 : 0);
    return base - 4 * words + (p ? 0 : 4);
}

static uint32_t block_end(uint32_t f, uint32_t base, unsigned words)
{
    return BIT(f, 23) ? base + 4 * words : base - 4 * words;
}

static void emulate_srs(previrt_cpu_t *cpu, uint32_t f)
{
    int b = previrt_bank(f & PSR_M_MASK), cur = previrt_bank(cpu->vcpsr & PSR_M_MASK);
    uint32_t *sp, *addr;

    if (b < 0 || b == BANK_USR)
        previrt_glue_fatal(cpu, "srs to a mode without an SPSR");
    sp = b == cur ? &cpu->ctx[13] : &cpu->bank_sp[b];
    addr = (uint32_t *)block_start(f, *sp, 2);
    addr[0] = cpu->ctx[14];
    addr[1] = *cpu_spsr(cpu);
    if (BIT(f, 21))
        *sp = block_end(f, *sp, 2);
}

static void emulate_rfe(previrt_cpu_t *cpu, uint32_t f)
{
    uint32_t rn = FIELD(f, 19, 16), base = cpu->ctx[rn];
    const uint32_t *addr = (const uint32_t *)block_start(f, base, 2);
    uint32_t pc = addr[0], psr = addr[1];

    if (BIT(f, 21))
        cpu->ctx[rn] = block_end(f, base, 2);
    previrt_exception_return(cpu, psr, pc);
}

static uint32_t shift_value(uint32_t v, unsigned type, unsigned amount, uint32_t carry)
{
    switch (type) {
    case 0: /* LSL */
        return amount >= 32 ? 0 : v << amount;
    case 1: /* LSR */
        return amount >= 32 ? 0 : v >> amount;
    case 2: /* ASR */
        return amount >= 32 ? (uint32_t)((int32_t)v >> 31) : (uint32_t)((int32_t)v >> amount);
    default: /* ROR; amount 0 here means RRX */
        if (amount == 0)
            return (carry << 31) | (v >> 1);
        amount &= 31;
        return amount ? (v >> amount) | (v << (32 - amount)) : v;
    }
}

/* The shifter operand of a data-processing instruction (A5.2.1-3). */
static uint32_t dp_operand2(const previrt_cpu_t *cpu, uint32_t f, uint32_t imm, uint32_t carry)
{
    uint32_t op2 = f & 0xfff, rm = cpu_reg(cpu, op2 & 15), type = FIELD(op2, 6, 5), amount;

    if (BIT(f, 25))
        return imm;
    if (BIT(op2, 4)) { /* register-shifted register */
        amount = cpu_reg(cpu, FIELD(op2, 11, 8)) & 0xff;
        if (amount == 0)
            return rm;
        if (type == 3)
            return shift_value(rm, 3, amount & 31 ? amount & 31 : 32, carry);
        return shift_value(rm, type, amount, carry);
    }
    amount = FIELD(op2, 11, 7);
    if (amount == 0 && (type == 1 || type == 2))
        amount = 32; /* LSR #32, ASR #32 */
    return shift_value(rm, type, amount, carry);
}

static void emulate_dp_ret(previrt_cpu_t *cpu, uint32_t f, uint32_t imm)
{
    uint32_t c = BIT(cpu->ctx[PREVIRT_CTX_CPSR], 29);
    uint32_t a = cpu_reg(cpu, FIELD(f, 19, 16)), b = dp_operand2(cpu, f, imm, c), r;

    switch (FIELD(f, 24, 21)) {
    case 0:
        r = a & b;
        break;
    case 1:
        r = a ^ b;
        break;
    case 2:
        r = a - b;
        break;
    case 3:
        r = b - a;
        break;
    case 4:
        r = a + b;
        break;
    case 5:
        r = a + b + c;
        break;
    case 6:
        r = a + ~b + c;
        break;
    case 7:
        r = b + ~a + c;
        break;
    case 12:
        r = a | b;
        break;
    case 13:
        r = b;
        break;
    case 14:
        r = a & ~b;
        break;
    case 15:
        r = ~b;
        break;
    default:
        previrt_glue_fatal(cpu, "bad data-processing descriptor");
    }
    previrt_exception_return(cpu, *cpu_spsr(cpu), r);
}

static unsigned popcount16(uint32_t list)
{
    return (unsigned)__builtin_popcount(list);
}

static void emulate_ldm_ret(previrt_cpu_t *cpu, uint32_t f)
{
    uint32_t rn = FIELD(f, 19, 16), list = f & 0xffff, base = cpu->ctx[rn];
    unsigned words = popcount16(list);
    const uint32_t *addr = (const uint32_t *)block_start(f, base, words);
    uint32_t pc;

    for (unsigned i = 0; i < 15; i++)
        if (BIT(list, i))
            cpu->ctx[i] = *addr++;
    pc = *addr;
    if (BIT(f, 21) && !BIT(list, rn))
        cpu->ctx[rn] = block_end(f, base, words);
    previrt_exception_return(cpu, *cpu_spsr(cpu), pc);
}

/* User-bank transfers: r8-r12 are the User ones unless in FIQ mode, sp
 * and lr unless in User or System mode (B9.3.6-7). */
static void emulate_ldm_stm_usr(previrt_cpu_t *cpu, uint32_t f, int load)
{
    uint32_t list = f & 0xffff, mode = cpu->vcpsr & PSR_M_MASK;
    uint32_t *addr = (uint32_t *)block_start(f, cpu->ctx[FIELD(f, 19, 16)], popcount16(list));
    int fiq = mode == MODE_FIQ, banked = mode != MODE_USR && mode != MODE_SYS;

    for (; list; list &= list - 1) {
        unsigned i = (unsigned)__builtin_ctz(list);
        uint32_t *r = &cpu->ctx[i];

        if (fiq && i >= 8 && i <= 12)
            r = &cpu->r8_12_other[i - 8];
        else if (banked && i == 13)
            r = &cpu->bank_sp[BANK_USR];
        else if (banked && i == 14)
            r = &cpu->bank_lr[BANK_USR];
        if (load)
            *r = *addr++;
        else
            *addr++ = i == 15 ? cpu_reg(cpu, 15) : *r;
    }
}

/* The fused tail of a context switch (the rewriter's LDM_USR_RFE): ldm
 * Rn, {...}^; add Rn, Rn, #imm; rfe Rn{!}, in that order. IMM: the add's
 * immediate [11:0] and the rfe's P, U, W bits (contract.py). */
static void emulate_ldm_usr_rfe(previrt_cpu_t *cpu, uint32_t f, uint32_t imm)
{
    emulate_ldm_stm_usr(cpu, f, 1);
    cpu->ctx[FIELD(f, 19, 16)] += imm & 0xfffu;
    emulate_rfe(cpu, (imm & (1u << 24 | 1u << 23 | 1u << 21)) | (f & (15u << 16)));
}

/* --- coprocessors, svc ---------------------------------------------------- */

static void emulate_cp(previrt_cpu_t *cpu, uint32_t f, int read)
{
    uint32_t opc1 = FIELD(f, 23, 21), crn = FIELD(f, 19, 16), rt = FIELD(f, 15, 12);
    uint32_t cp = FIELD(f, 11, 8), opc2 = FIELD(f, 7, 5), crm = f & 15, v = 0;
    uint32_t *flags = &cpu->ctx[PREVIRT_CTX_CPSR];

    if (!read) {
        v = cpu_reg(cpu, rt);
        if (previrt_sysreg_write(cpu, cp, opc1, crn, crm, opc2, v) != 0 &&
            previrt_glue_sysreg_write(cpu, cp, opc1, crn, crm, opc2, v) != 0)
            previrt_glue_fatal(cpu, "write of a coprocessor register the runtime does not have");
        return;
    }
    if (previrt_sysreg_read(cpu, cp, opc1, crn, crm, opc2, &v) != 0 &&
        previrt_glue_sysreg_read(cpu, cp, opc1, crn, crm, opc2, &v) != 0)
        previrt_glue_fatal(cpu, "read of a coprocessor register the runtime does not have");
    if (rt == 15) /* APSR_nzcv */
        *flags = (*flags & ~0xf0000000u) | (v & 0xf0000000u);
    else
        cpu->ctx[rt] = v;
}

static void emulate_cp64(previrt_cpu_t *cpu, uint32_t f, int read)
{
    uint32_t rt2 = FIELD(f, 19, 16), rt = FIELD(f, 15, 12), opc1 = FIELD(f, 7, 4), crm = f & 15;
    uint64_t v = 0;

    if (FIELD(f, 11, 8) != 15)
        previrt_glue_fatal(cpu, "64-bit access to a coprocessor the runtime does not have");
    if (!read) {
        v = ((uint64_t)cpu->ctx[rt2] << 32) | cpu->ctx[rt];
        if (previrt_glue_sysreg_write64(cpu, opc1, crm, v) != 0)
            previrt_glue_fatal(cpu, "write of a 64-bit register the runtime does not have");
        return;
    }
    if (previrt_glue_sysreg_read64(cpu, opc1, crm, &v) != 0)
        previrt_glue_fatal(cpu, "read of a 64-bit register the runtime does not have");
    cpu->ctx[rt] = (uint32_t)v;
    cpu->ctx[rt2] = (uint32_t)(v >> 32);
}

/* Hand-ported code's device accesses (previrt/dev.h): Rn the address. */
static void emulate_dev(previrt_cpu_t *cpu, uint32_t f, int load)
{
    uint32_t addr = cpu->ctx[FIELD(f, 19, 16)], rt = FIELD(f, 15, 12);

    if (load ? previrt_glue_device_read(cpu, addr, 4, &cpu->ctx[rt])
             : previrt_glue_device_write(cpu, addr, 4, cpu->ctx[rt]))
        previrt_glue_fatal(cpu,
                           "a device call for an address where the runtime emulates no device");
}

static void emulate_svc(previrt_cpu_t *cpu, uint32_t imm24)
{
    int thumb = cpu_thumb_site(cpu);
    uint32_t ret = cpu->ctx[PREVIRT_CTX_PC];

    /* Semihosting (ARM DUI 0471): svc 0x123456 in ARM state, 0xab in Thumb. */
    if (imm24 == (thumb ? 0xabu : 0x123456u) && previrt_glue_semihost(cpu, imm24))
        return;
    previrt_take_exception(cpu, MODE_SVC, VEC_SVC, ret & ~1u);
}

void previrt_emulate(previrt_cpu_t *cpu, uint32_t desc, uint32_t imm)
{
    uint32_t f = desc & PREVIRT_FIELDS_MASK;

    cpu->vcpsr = (cpu->vcpsr & ~PSR_I) | (cpu->irq_was ? 0 : PSR_I);
    switch (desc >> PREVIRT_OP_SHIFT) {
    case PREVIRT_OP_CPS:
        emulate_cps(cpu, f);
        break;
    case PREVIRT_OP_MRS:
        cpu->ctx[FIELD(f, 15, 12)] = BIT(f, 22) ? *cpu_spsr(cpu) : previrt_cpsr(cpu);
        break;
    case PREVIRT_OP_MRS_CPSID: /* the fused pair: mrs Rd, cpsr; cpsid i */
        cpu->ctx[FIELD(f, 15, 12)] = previrt_cpsr(cpu);
        cpu->vcpsr |= PSR_I;
        break;
    case PREVIRT_OP_MRS_BANKED:
        emulate_banked(cpu, f, 0);
        break;
    case PREVIRT_OP_MSR:
        emulate_msr(cpu, f, cpu->ctx[f & 15]);
        break;
    case PREVIRT_OP_MSR_IMM:
        emulate_msr(cpu, f, imm);
        break;
    case PREVIRT_OP_MSR_BANKED:
        emulate_banked(cpu, f, 1);
        break;
    case PREVIRT_OP_SRS:
        emulate_srs(cpu, f);
        break;
    case PREVIRT_OP_RFE:
        emulate_rfe(cpu, f);
        break;
    case PREVIRT_OP_DP_RET:
        emulate_dp_ret(cpu, f, imm);
        break;
    case PREVIRT_OP_LDM_RET:
        emulate_ldm_ret(cpu, f);
        break;
    case PREVIRT_OP_LDM_USR:
        emulate_ldm_stm_usr(cpu, f, 1);
        break;
    case PREVIRT_OP_STM_USR:
        emulate_ldm_stm_usr(cpu, f, 0);
        break;
    case PREVIRT_OP_LDM_USR_RFE:
        emulate_ldm_usr_rfe(cpu, f, imm);
        break;
    case PREVIRT_OP_STM_USR_MRS: /* the fused entry save: stm Rn, {...}^; mrs Rd, spsr */
        emulate_ldm_stm_usr(cpu, f, 0);
        cpu->ctx[imm & 15u] = *cpu_spsr(cpu);
        break;
    case PREVIRT_OP_WFI:
        previrt_glue_idle(cpu);
        break;
    case PREVIRT_OP_WFE:
        break; /* an event may end WFE at any time (B1.8.13): so may nothing */
    case PREVIRT_OP_MCR:
        emulate_cp(cpu, f, 0);
        break;
    case PREVIRT_OP_MRC:
        emulate_cp(cpu, f, 1);
        break;
    case PREVIRT_OP_MCRR:
        emulate_cp64(cpu, f, 0);
        break;
    case PREVIRT_OP_MRRC:
        emulate_cp64(cpu, f, 1);
        break;
    case PREVIRT_OP_SVC:
        emulate_svc(cpu, f & 0xffffff);
        break;
    case PREVIRT_OP_DEV_LOAD:
        emulate_dev(cpu, f, 1);
        break;
    case PREVIRT_OP_DEV_STORE:
        emulate_dev(cpu, f, 0);
        break;
    case PREVIRT_OP_MEM:
    case PREVIRT_OP_MEM_EXTRA:
        previrt_emulate_mem(cpu, desc, imm);
        break;
    default:
        previrt_glue_fatal(cpu, "unknown runtime operation (descriptor)");
    }
    previrt_glue_exit(cpu);
    cpu->irq_final = (cpu->vcpsr & PSR_I) ? 0 : 1;
}

/* enter.S, after a fast exception return that enables virtual interrupts:
 * the same glue look as every other emulated instruction gets. */
void previrt_fast_exit_glue(previrt_cpu_t *cpu);
void previrt_fast_exit_glue(previrt_cpu_t *cpu)
{
    previrt_glue_exit(cpu);
    cpu->irq_final = (cpu->vcpsr & PSR_I) ? 0 : 1;
}
