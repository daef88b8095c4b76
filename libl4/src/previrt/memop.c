/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The MEM rewrite's runtime half (docs/previrt.md, "Device loads and
 * stores"): a load or store the rewriter found to address a device
 * (tools/previrt/memsite.py) arrives here with bits 25:0 of its A32 encoding
 * (ops MEM and MEM_EXTRA give bits 27:26) and the address of its fallback.
 * The address is computed from the guest's registers by the decoder the VMM
 * uses for a trapped access (mmio.c), so the two emulations agree by
 * construction; where the glue has a device the access is its register
 * access, with the result, the sign or zero extension and the write-back
 * the instruction defines (ARM ARM A8.8); where it has none (the rewriter's
 * guess was wrong, or the device is not the runtime's) nothing is changed
 * and the guest continues at the fallback, which runs the original
 * instruction and branches back after the site.
 */
#include <previrt/mmio.h>

#include "cpu.h"

static uint32_t memop_extend(uint32_t v, unsigned size, int sign)
{
    if (size == 1)
        return sign ? (uint32_t)(int32_t)(int8_t)v : (v & 0xffu);
    if (size == 2)
        return sign ? (uint32_t)(int32_t)(int16_t)v : (v & 0xffffu);
    return v;
}

void previrt_emulate_mem(previrt_cpu_t *cpu, uint32_t desc, uint32_t fallback)
{
    uint32_t insn = 0xe0000000u | (desc & PREVIRT_FIELDS_MASK) |
                    ((desc >> PREVIRT_OP_SHIFT) == PREVIRT_OP_MEM ? 1u << 26 : 0);
    uint32_t value[2] = {0, 0};
    unsigned words, size;
    mmio_access_t a;

    /* The rewriter emits only what the decoder takes, never pc as base. */
    if (((insn >> 16) & 15) == 15 || mmio_decode_arm(insn, cpu->ctx, &a))
        previrt_glue_fatal(cpu, "a MEM descriptor the load/store decoder refuses");
    words = a.size == 8 ? 2 : 1;
    size = a.size == 8 ? 4 : a.size;
    if (!previrt_glue_device_has(cpu, a.addr, words * size)) {
        cpu->ctx[PREVIRT_CTX_PC] = fallback; /* not a device of ours: as it was */
        return;
    }
    for (unsigned k = 0; k < words; k++) {
        if (a.load)
            previrt_glue_device_read(cpu, a.addr + 4 * k, size, &value[k]);
        else
            previrt_glue_device_write(cpu, a.addr + 4 * k, size, cpu->ctx[k ? a.rt2 : a.rt]);
    }
    if (a.load) {
        cpu->ctx[a.rt] = memop_extend(value[0], size, a.sign);
        if (words == 2)
            cpu->ctx[a.rt2] = value[1];
    }
    if (a.wb)
        cpu->ctx[a.rn] = a.wb_value;
}

/* The commonest form, ldr/str{b} Rt, [Rn, #+-imm12] (offset, no
 * write-back: what compilers emit for device registers), and the device
 * calls, decoded by the entry (enter.S's previrt_fast_mem, previrt_fast_dev)
 * and not taken by the glue's short path: how = Rt | L << 4 | B << 5. A
 * device call has no fallback (0): an address without a device stops the
 * guest. The glue's look at what became deliverable follows in enter.S
 * (previrt_access_exit). */
void previrt_mem_access(previrt_cpu_t *cpu, uint32_t addr, uint32_t how, uint32_t fallback)
{
    uint32_t rt = how & 15u, size = (how >> 5) & 1u ? 1 : 4, v;
    int bad;

    if ((how >> 4) & 1u) {
        bad = previrt_glue_device_read(cpu, addr, size, &v);
        if (!bad)
            cpu->ctx[rt] = size == 1 ? (v & 0xffu) : v;
    } else {
        bad = previrt_glue_device_write(cpu, addr, size, cpu->ctx[rt]);
    }
    if (bad) {
        if (!fallback)
            previrt_glue_fatal(cpu,
                               "a device call for an address where the runtime emulates no device");
        cpu->ctx[PREVIRT_CTX_PC] = fallback; /* not a device of ours: as it was */
    }
}
