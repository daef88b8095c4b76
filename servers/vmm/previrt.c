/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A pre-virtualised guest's traps (docs/previrt.md, "What traps"): the
 * cp15/cp14/VFP system registers the rewriter leaves to trap, emulated
 * against the virtual register file here; loads and stores on the emulated
 * devices, decoded and applied with their write-back (mmio.c, pvdev.c);
 * and the runtime's two requests, attaching its shared area and filling
 * the shadow space of virtual user mode (pvshadow.c).
 *
 * Every emulated fault is the same round trip: the kernel's fault message,
 * the registers read, the result and the next pc written back, the fault
 * replied to with RESTART. The guest is stopped throughout, which is what
 * makes the shared area safe to touch (system/previrt.h).
 */
#include <string.h>

#include <previrt/mmio.h>
#include "previrt.h"
#include "ptwalk.h"

pv_vm_t pv_vm;

#define REG(opc1, crn, crm, opc2) (((opc1) << 12) | ((crn) << 8) | ((crm) << 4) | (opc2))
#define PSR_T (1u << 5)

/* Values of a Cortex-A15 r2p1 as QEMU's -cpu cortex-a15 reports them. */
#define A15_MIDR 0x412fc0f1u
#define A15_CTR 0x8444c004u
#define A15_MPIDR 0x80000000u
#define A15_CLIDR 0x0a200023u
#define A15_SCTLR_RESET 0x00c50078u
#define A15_FPSID 0x410430f0u
#define A15_MVFR0 0x10110222u
#define A15_MVFR1 0x11111111u

static int pv_guest_read32(vmm_guest_t *g, uint32_t pa, uint32_t *w)
{
    if (pa < GUEST_RAM_BASE || pa - GUEST_RAM_BASE > g->cfg->ram_size - 4)
        return 0;
    memcpy(w, (const void *)(VMM_WINDOW + (pa - GUEST_RAM_BASE)), 4);
    return 1;
}

l4_word_t previrt_attach(vmm_guest_t *g, l4_word_t addr)
{
    pv_vm_t *v = &pv_vm;
    uint32_t magic;

    if (!g->cfg->previrt || (addr & 3) || addr < GUEST_RAM_BASE ||
        addr - GUEST_RAM_BASE > g->cfg->ram_size - sizeof(previrt_shared_t) ||
        !pv_guest_read32(g, addr, &magic) || magic != PREVIRT_SHARED_MAGIC)
        return L4_ERR_INVALID_ARGUMENT;
    v->shared = (previrt_shared_t *)(VMM_WINDOW + (addr - GUEST_RAM_BASE));
    v->attached = 1;
    v->sctlr = A15_SCTLR_RESET;
    v->shared->sctlr = v->sctlr;
    pv_shadow_select(g);
    return L4_ERR_OK;
}

l4_word_t previrt_user_fault(vmm_guest_t *g, l4_word_t addr, l4_word_t fsr, l4_word_t fetch)
{
    if (!pv_vm.attached)
        return PTW_FS_TRANS_SECTION;
    return pv_shadow_fault(g, addr, fsr, fetch != 0);
}

/* --- the virtual system registers ----------------------------------------- */

/* ConditionPassed() (A8.3.1) on the faulting context's flags. */
static int pv_cond_passed(uint32_t cond, uint32_t cpsr)
{
    unsigned n = (cpsr >> 31) & 1, z = (cpsr >> 30) & 1, c = (cpsr >> 29) & 1, v = (cpsr >> 28) & 1;
    int r;

    switch (cond >> 1) {
    case 0:
        r = z;
        break;
    case 1:
        r = c;
        break;
    case 2:
        r = n;
        break;
    case 3:
        r = v;
        break;
    case 4:
        r = c && !z;
        break;
    case 5:
        r = n == v;
        break;
    case 6:
        r = !z && n == v;
        break;
    default:
        return 1; /* AL, and 0b1111 (unconditional) */
    }
    return (cond & 1) ? !r : r;
}

static const char *pv_cp15_read(vmm_guest_t *g, uint32_t key, uint32_t *value)
{
    pv_vm_t *v = &pv_vm;

    switch (key) {
    case REG(0, 0, 0, 0):
        *value = A15_MIDR;
        return 0;
    case REG(0, 0, 0, 1):
        *value = A15_CTR;
        return 0;
    case REG(0, 0, 0, 5):
        *value = A15_MPIDR;
        return 0;
    case REG(1, 0, 0, 1):
        *value = A15_CLIDR;
        return 0;
    case REG(2, 0, 0, 0):
        *value = v->csselr;
        return 0;
    case REG(0, 1, 0, 0):
        *value = v->sctlr;
        return 0;
    case REG(0, 1, 0, 1):
        *value = v->actlr;
        return 0;
    case REG(0, 1, 0, 2):
        *value = v->cpacr;
        return 0;
    case REG(0, 2, 0, 0):
        *value = v->ttbr0;
        return 0;
    case REG(0, 2, 0, 1):
        *value = v->ttbr1;
        return 0;
    case REG(0, 2, 0, 2):
        *value = v->ttbcr;
        return 0;
    case REG(0, 3, 0, 0):
        *value = v->dacr;
        return 0;
    case REG(0, 7, 4, 0):
        *value = v->par;
        return 0;
    case REG(0, 10, 2, 0):
        *value = v->prrr;
        return 0;
    case REG(0, 10, 2, 1):
        *value = v->nmrr;
        return 0;
    case REG(0, 13, 0, 0):
        *value = 0;
        return 0; /* FCSEIDR: RAZ/WI */
    case REG(0, 13, 0, 1):
        *value = v->contextidr;
        return 0;
    default:
        break;
    }
    if ((key >> 8 & 0xf) == 0 || (key >> 8 & 0xf) == 15) {
        *value = 0; /* other ID registers and implementation-defined ones: RAZ */
        return 0;
    }
    return "a cp15 register the VMM does not emulate (the runtime owns VBAR, the fault "
           "registers, the thread ID, timer and PMU registers: build the code through "
           "the rewriter)";
}

/* TLB maintenance (B4.2.2): the shadow spaces are TLBs. */
static int pv_tlb_op(vmm_guest_t *g, uint32_t key, uint32_t value)
{
    unsigned crm = key >> 4 & 0xf, op = key & 0xf;

    if ((key >> 8 & 0xf) != 8 || key >> 12 != 0 || (crm != 3 && crm != 5 && crm != 6 && crm != 7))
        return 0;
    if (op == 0)
        pv_shadow_drop_all(g); /* TLBIALL */
    else if (op == 2)
        pv_shadow_drop_asid(g, value & 0xffu); /* TLBIASID */
    else
        pv_shadow_drop_va(g, value & ~0xfffu); /* TLBIMVA, TLBIMVAA: every shadow */
    return 1;
}

static const char *pv_cp15_write(vmm_guest_t *g, uint32_t key, uint32_t value)
{
    pv_vm_t *v = &pv_vm;
    unsigned crn = key >> 8 & 0xf;

    if (pv_tlb_op(g, key, value))
        return 0;
    switch (key) {
    case REG(2, 0, 0, 0):
        v->csselr = value & 0xfu;
        return 0;
    case REG(0, 1, 0, 0):
        v->sctlr = value;
        v->shared->sctlr = value;
        pv_shadow_select(g);
        return 0;
    case REG(0, 1, 0, 1):
        v->actlr = value;
        return 0;
    case REG(0, 1, 0, 2):
        v->cpacr = value;
        return 0; /* the kernel owns the FPU */
    case REG(0, 2, 0, 0):
        v->ttbr0 = value;
        pv_shadow_select(g);
        return 0;
    case REG(0, 2, 0, 1):
        v->ttbr1 = value;
        pv_shadow_drop_all(g);
        return 0;
    case REG(0, 2, 0, 2):
        v->ttbcr = value;
        pv_shadow_drop_all(g);
        return 0;
    case REG(0, 3, 0, 0):
        v->dacr = value;
        pv_shadow_drop_all(g);
        return 0; /* checked per access */
    case REG(0, 7, 4, 0):
        v->par = value;
        return 0;
    case REG(0, 10, 2, 0):
        v->prrr = value;
        return 0;
    case REG(0, 10, 2, 1):
        v->nmrr = value;
        return 0;
    case REG(0, 13, 0, 0):
        return 0;
    case REG(0, 13, 0, 1):
        v->contextidr = value;
        pv_shadow_select(g);
        return 0;
    default:
        break;
    }
    /* Cache maintenance by set/way or address (c7, c1/c5/c6/c10/c11/c14):
     * the kernel keeps guest memory coherent, so these have nothing to do
     * (B2.2.6). Address translation operations (c7, c8) are not emulated. */
    if (crn == 7 && key >> 12 == 0) {
        unsigned crm = key >> 4 & 0xf;

        if (crm == 1 || crm == 5 || crm == 6 || crm == 10 || crm == 11 || crm == 14)
            return 0;
        return "a c7 operation (address translation) the VMM does not emulate";
    }
    if (crn == 15 || crn == 9 || crn == 10 || crn == 11)
        return 0; /* implementation defined, lockdown, DMA: WI */
    return "a cp15 register the VMM does not emulate";
}

/* VMRS/VMSR of the VFP system registers (A7.8): FPEXC is virtual (the
 * kernel switches the FPU), its EN bit copied to the state page's fpexc,
 * which decides whether VFP instructions run in virtual user mode (a
 * protected task that enabled the FPU: docs/porting.md), the ID registers
 * read as a Cortex-A15's. */
static const char *pv_vfp(uint32_t reg, int read, uint32_t *value)
{
    switch (reg) {
    case 0x0: /* FPSID */
        if (read)
            *value = A15_FPSID;
        return 0;
    case 0x7: /* MVFR0 */
    case 0x6: /* MVFR1 */
        if (!read)
            return "a write to MVFR0/1";
        *value = reg == 7 ? A15_MVFR0 : A15_MVFR1;
        return 0;
    case 0x8: /* FPEXC */
        if (read)
            *value = pv_vm.fpexc;
        else {
            pv_vm.fpexc = *value;
            pv_vm.state[L4_VCPU_STATE_FPEXC] = *value & L4_VCPU_FPEXC_EN;
        }
        return 0;
    case 0x9: /* FPINST */
    case 0xa: /* FPINST2 */
        if (read)
            *value = 0;
        return 0;
    default:
        return "a VFP system register the VMM does not emulate";
    }
}

/* The trapping coprocessor instruction `insn` (A32 layout; Thumb hw1:hw2). */
static const char *pv_sysreg(vmm_guest_t *g, uint32_t insn, uint32_t regs[17])
{
    uint32_t cp = (insn >> 8) & 0xf, rt = (insn >> 12) & 0xf, read = (insn >> 20) & 1, v = 0;
    const char *why;

    if ((insn & 0x0fe00f70u) == 0x0ee00a10u) { /* VMRS/VMSR */
        if (rt == 15 && !read)
            return "vmsr from pc";
        v = regs[rt];
        if ((why = pv_vfp((insn >> 16) & 0xf, (int)read, &v)))
            return why;
        if (read && rt == 15)
            regs[16] = (regs[16] & 0x0fffffffu) | (v & 0xf0000000u);
        else if (read)
            regs[rt] = v;
        return 0;
    }
    if ((insn & 0x0f000010u) == 0x0e000010u && (cp == 14 || cp == 15)) { /* MCR/MRC */
        uint32_t key = REG(insn >> 21 & 7, insn >> 16 & 0xf, insn & 0xf, insn >> 5 & 7);

        if (cp == 14) { /* debug and trace: no debugger here, RAZ/WI */
            v = 0;
        } else if (read) {
            if ((why = pv_cp15_read(g, key, &v)))
                return why;
        } else if ((why = pv_cp15_write(g, key, rt == 15 ? 0 : regs[rt]))) {
            return why;
        }
        if (read && rt == 15)
            regs[16] = (regs[16] & 0x0fffffffu) | (v & 0xf0000000u);
        else if (read)
            regs[rt] = v;
        return 0;
    }
    if ((insn & 0x0fe00000u) == 0x0c400000u && cp == 15) { /* MCRR/MRRC */
        uint32_t opc1 = insn >> 4 & 0xf, crm = insn & 0xf, rt2 = insn >> 16 & 0xf;

        if (crm != 2 || opc1 > 1)
            return "a 64-bit cp15 register the VMM does not emulate";
        if (read) { /* TTBR0/1 as 64 bits: the short-descriptor format keeps the high word 0 */
            regs[rt] = opc1 ? pv_vm.ttbr1 : pv_vm.ttbr0;
            regs[rt2] = 0;
            return 0;
        }
        return pv_cp15_write(g, REG(0, 2, 0, opc1), regs[rt]);
    }
    return "a coprocessor instruction the VMM does not emulate";
}

/* --- the guest kernel's faults -------------------------------------------- */

static const char *pv_undefined(vmm_guest_t *g, uint32_t pc, uint32_t regs[17])
{
    uint32_t w, insn;
    const char *why;

    if (!pv_guest_read32(g, pc & ~1u, &w))
        return "an undefined instruction outside guest RAM";
    if (regs[16] & PSR_T) {
        uint16_t hw1 = (uint16_t)w, hw2 = (uint16_t)(w >> 16);

        if ((hw1 >> 11) < 0x1d || (hw1 & 0xec00) != 0xec00)
            return "an undefined Thumb instruction that is no coprocessor access";
        insn = ((uint32_t)hw1 << 16) | hw2;
        if (hw1 & 0x1000)
            return "an MCR2/MRC2-class instruction";
        insn = (insn & 0x0fffffffu) | 0xe0000000u;
    } else {
        insn = w;
        if (insn >> 28 == 0xf)
            return "an undefined instruction of the unconditional space";
        if (!pv_cond_passed(insn >> 28, regs[16])) {
            regs[15] = pc + 4;
            return 0;
        }
    }
    if ((why = pv_sysreg(g, insn, regs)))
        return why;
    regs[15] = pc + 4;
    return 0;
}

static uint32_t pv_extend(uint32_t v, unsigned size, int sign)
{
    if (size == 1)
        return sign ? (uint32_t)(int32_t)(int8_t)v : (v & 0xffu);
    if (size == 2)
        return sign ? (uint32_t)(int32_t)(int16_t)v : (v & 0xffffu);
    return v;
}

static const char *pv_mmio(vmm_guest_t *g, uint32_t pc, uint32_t addr, uint32_t regs[17])
{
    mmio_access_t a;
    uint32_t w, v;
    const char *why;

    if (!pv_guest_read32(g, pc & ~1u, &w))
        return "a device access from outside guest RAM";
    regs[15] = pc & ~1u;
    why = (regs[16] & PSR_T) ? mmio_decode_thumb((uint16_t)w, (uint16_t)(w >> 16), regs, &a)
                             : mmio_decode_arm(w, regs, &a);
    if (why)
        return why;
    if ((a.addr & ~0xfffu) != (addr & ~0xfffu))
        return "the decoded address is not the faulting one";
    for (unsigned k = 0; k < (a.size == 8 ? 2u : 1u); k++) {
        unsigned size = a.size == 8 ? 4 : a.size, reg = k ? a.rt2 : a.rt;

        if (a.load) {
            if ((why = pv_device_read(g, a.addr + 4 * k, size, &v)))
                return why;
            regs[reg] = pv_extend(v, size, a.sign);
        } else if ((why = pv_device_write(g, a.addr + 4 * k, size, regs[reg]))) {
            return why;
        }
    }
    if (a.wb)
        regs[a.rn] = a.wb_value;
    regs[15] = (pc & ~1u) + a.length;
    return 0;
}

const char *previrt_kernel_fault(vmm_guest_t *g, l4_msg_t *m)
{
    /* The fault message carries r0-r15 and cpsr (vmm_guest_build sets the
     * guest's tcb_set_fault_regs), the registers an emulated instruction
     * reads and writes, in our IPC buffer from word L4_FAULT_MSG_REGS, and
     * the FAULT_REPLY_REGS reply takes them back from the same words: no
     * register invocation. They are emulated in a copy, since a device
     * model may send long messages meanwhile (the UART's output goes to
     * the console by machine_console_write, through the buffer). */
    enum { NREGS = L4_FAULT_REGS_WORDS, LEN = L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS };
    l4_word_t *buf = &l4_ipc_buffer()[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS];
    uint32_t regs[NREGS], pc = m->mr[0];
    l4_word_t label = l4_msginfo_label(m->info);
    const char *why;

    if (!pv_vm.attached)
        return "the guest's runtime has not attached";
    if (label == L4_FAULT_PAGE && m->mr[3])
        return "an instruction fetch outside guest RAM";
    if (label != L4_FAULT_UNDEFINED && label != L4_FAULT_PAGE)
        return "not a fault the VMM emulates";
    if (l4_msginfo_length(m->info) < LEN)
        return "the fault message carries no registers";
    memcpy(regs, buf, sizeof regs);
    why = label == L4_FAULT_UNDEFINED ? pv_undefined(g, pc, regs) : pv_mmio(g, pc, m->mr[1], regs);
    if (why)
        return why;
    memcpy(buf, regs, sizeof regs);
    m->info = l4_msginfo(L4_FAULT_REPLY_REGS, 0, LEN);
    return 0;
}
