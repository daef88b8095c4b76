# SPDX-License-Identifier: BSD-2-Clause
"""The call contract between rewritten code and the guest runtime, described once.

The rewriter (previrt.py) emits call stubs from these numbers, and
`contract.py --header OUT.h` generates the C/assembly header the runtime
(libl4/previrt/) includes, so the two cannot disagree. docs/previrt.md
explains the contract; this file is its machine-readable half.

A rewritten site is one branch to a 32-byte stub in section `previrt_stubs`:

    site:   b<cond>  stub            @ not taken if the condition fails
    ret:    ...                      @ the instruction after the site
    stub+0  mcr   p15, 0, r0, c13, c0, 2    @ TPIDRURW := r0
    stub+4  movw  r0, #:lower16:__previrt_cpu
    stub+8  movt  r0, #:upper16:__previrt_cpu
    stub+12 str   lr, [r0, #CTX_LR*4]       @ the guest's lr into the context
    stub+16 bl    __previrt_enter            @ blx from a Thumb stub
    stub+20 .word DESC                       @ op << 26 | A32 operand fields
    stub+24 .word RET                        @ ret (| 1 in Thumb)
    stub+28 .word IMM                        @ op-specific 32-bit value

Every stub instruction is 32 bits in both instruction sets, so the offsets
are the same in ARM and Thumb stubs.

An *inline stub* (section `previrt_istubs`, ISTUB_BYTES each, ARM only) does
the commonest critical-section operations (`cpsie i`; `mrs Rd, cpsr` then
`cpsid i`) without a call, at a site the rewriter has seen return at once
(`bx lr`, `pop {..., pc}`), so that ip and the flags are dead (AAPCS): it
works on the area's words at AREA_IRQ_ENABLE, AREA_IRQ_PENDING,
AREA_IRQ_POKE and AREA_VCPSR and falls back to an ordinary stub. An upcall
inside it rolls back to its start (r0 = TPIDRURW if its first word is
ISTUB_PARK_R0, the `mcr` that parks r0).
"""
import sys

AREA_SYMBOL = '__previrt_cpu'      # the per-vCPU area; it starts with the context
ENTRY_SYMBOL = '__previrt_enter'   # the one runtime entry point
STUB_SECTION = 'previrt_stubs'     # a C identifier: ld provides __start_/__stop_
FALLBACK_SECTION = 'previrt_fallback'  # MEM sites' original instructions (ordinary code)
STUB_BYTES = 32
ISTUB_SECTION = 'previrt_istubs'  # inline stubs (no call); the image audit allows it
ISTUB_BYTES = 128
ISTUB_PARK_R0 = 0xee0d0f50         # mcr p15, 0, r0, c13, c0, 2 (TPIDRURW := r0)
# The area words an inline stub uses (cpu.h checks them against the struct).
AREA_IRQ_ENABLE = 68               # uint32_t *: the virtual interrupt-enable word (1 = on)
AREA_IRQ_PENDING = 88              # uint32_t *: non-zero = a virtual interrupt is pending
AREA_IRQ_POKE = 96                 # uint32_t *: non-zero = the glue has something to look at
AREA_VCPSR = 100                   # the virtual CPSR's M, A, F, E bits (I, T stale)
STUB_DESC_OFFSET = 20              # lr after the bl points here
STUB_RET_OFFSET = 24
STUB_IMM_OFFSET = 28

# The context at the start of the area: words 0..15 = r0..r15, 16 = cpsr.
CTX_LR = 14
CTX_PC = 15
CTX_CPSR = 16
CTX_WORDS = 17

OP_SHIFT = 26
FIELDS_MASK = (1 << OP_SHIFT) - 1

# op number, name, operand fields (A32 bit positions, DDI 0406C), meaning.
OPS = [
    (1, 'CPS', 'imod[19:18] M[17] A[8] I[7] F[6] mode[4:0]', 'cps, cpsid, cpsie'),
    (2, 'MRS', 'R[22] Rd[15:12]', 'mrs Rd, cpsr (R=0) or spsr (R=1)'),
    (3, 'MRS_BANKED', 'R[22] M1[19:16] Rd[15:12] M[8]', 'mrs Rd, <banked register>'),
    (4, 'MSR', 'R[22] mask[19:16] Rn[3:0]', 'msr cpsr_<mask>/spsr_<mask>, Rn'),
    (5, 'MSR_IMM', 'R[22] mask[19:16]; IMM = the value', 'msr cpsr_<mask>/spsr_<mask>, #imm'),
    (6, 'MSR_BANKED', 'R[22] M1[19:16] M[8] Rn[3:0]', 'msr <banked register>, Rn'),
    (7, 'SRS', 'P[24] U[23] W[21] mode[4:0]', 'srs{da,db,ia,ib} sp{!}, #mode'),
    (8, 'RFE', 'P[24] U[23] W[21] Rn[19:16]', 'rfe{da,db,ia,ib} Rn{!}'),
    (9, 'DP_RET', 'I[25] opcode[24:21] Rn[19:16] operand2[11:0]; IMM = the immediate if I',
     '<op>s pc, Rn, <operand2> and movs/mvns pc, <operand2>: exception return'),
    (10, 'LDM_RET', 'P[24] U[23] W[21] Rn[19:16] list[15:0] (pc in list)',
     'ldm{mode} Rn{!}, {..., pc}^: exception return'),
    (11, 'LDM_USR', 'P[24] U[23] Rn[19:16] list[15:0]', 'ldm{mode} Rn, {...}^: user registers'),
    (12, 'STM_USR', 'P[24] U[23] Rn[19:16] list[15:0]', 'stm{mode} Rn, {...}^: user registers'),
    (13, 'WFI', '-', 'wfi'),
    (14, 'WFE', '-', 'wfe'),
    (15, 'MCR', 'opc1[23:21] CRn[19:16] Rt[15:12] coproc[11:8] opc2[7:5] CRm[3:0]', 'mcr'),
    (16, 'MRC', 'opc1[23:21] CRn[19:16] Rt[15:12] coproc[11:8] opc2[7:5] CRm[3:0]',
     'mrc (Rt = 15: APSR_nzcv)'),
    (17, 'MCRR', 'Rt2[19:16] Rt[15:12] coproc[11:8] opc1[7:4] CRm[3:0]', 'mcrr'),
    (18, 'MRRC', 'Rt2[19:16] Rt[15:12] coproc[11:8] opc1[7:4] CRm[3:0]', 'mrrc'),
    (19, 'SVC', 'imm24[23:0]', 'svc #imm from virtual kernel code'),
    # Not emitted by the rewriter: the stubs of hand-ported code's device
    # accesses (libl4/include/previrt/dev.h, a porting step of docs/porting.md).
    (20, 'DEV_LOAD', 'Rn[19:16] Rt[15:12]', 'Rt := the device word at address Rn'),
    (21, 'DEV_STORE', 'Rn[19:16] Rt[15:12]', 'the device word at address Rn := Rt'),
    # The MEM rewrite (memsite.py): a load or store whose base register the
    # rewriter found to hold an emulated device's address. The fields are
    # bits 25:0 of the A32 encoding, whose bits 27:26 the op gives; IMM is
    # the fallback: the original instruction, in FALLBACK_SECTION, then a
    # branch to RET, where the runtime sends the guest when it has no
    # device at the address the instruction computes.
    (22, 'MEM', 'the A32 LDR/STR/LDRB/STRB fields [25:0]; IMM = the fallback',
     'ldr/str{b} of a device (bits 27:26 = 01)'),
    (24, 'MRS_CPSID', 'Rd[15:12]',
     'mrs Rd, cpsr followed by cpsid i (the rewriter fuses the pair of every critical '
     'section\'s entry: the cpsid\'s place becomes a nop the call steps over)'),
    (25, 'LDM_USR_RFE', 'P[24] U[23] Rn[19:16] list[15:0] (as LDM_USR); IMM = the add\'s '
     'immediate [11:0] | the rfe\'s P[24] U[23] W[21]',
     'ldm{mode} Rn, {...}^, then add Rn, Rn, #imm, then rfe{mode} Rn{!} (the rewriter fuses '
     'the tail of a native context switch: the add stays and the rfe becomes udf #0, never reached)'),
    (26, 'STM_USR_MRS', 'P[24] U[23] Rn[19:16] list[15:0] (as STM_USR); IMM = the mrs\'s Rd [3:0]',
     'stm{mode} Rn, {...}^, loads and stores that name neither Rd nor pc, then mrs Rd, spsr '
     '(the rewriter fuses the save of a native exception entry: the mrs is done with the '
     'stm, its place becomes a nop, the loads and stores run as they are)'),
    (23, 'MEM_EXTRA', 'the A32 LDRH/STRH/LDRSB/LDRSH/LDRD/STRD fields [25:0]; IMM = the fallback',
     'ldr/str{h,sb,sh,d} of a device (bits 27:25 = 000)'),
]
OP = {name: num for (num, name, _, _) in OPS}


def desc(op, fields):
    assert 0 <= fields <= FIELDS_MASK, fields
    return (OP[op] << OP_SHIFT) | fields


def header():
    out = ['/* Generated by tools/previrt/contract.py: do not edit. */',
           '/* The call contract of rewritten code (docs/previrt.md). */',
           '#pragma once', '',
           '#define PREVIRT_AREA_SYMBOL %s' % AREA_SYMBOL,
           '#define PREVIRT_ENTRY_SYMBOL %s' % ENTRY_SYMBOL,
           '#define PREVIRT_STUB_BYTES %d' % STUB_BYTES,
           '#define PREVIRT_STUB_DESC_OFFSET %d /* lr after the stub\'s bl */' % STUB_DESC_OFFSET,
           '#define PREVIRT_STUB_RET_OFFSET %d' % STUB_RET_OFFSET,
           '#define PREVIRT_STUB_IMM_OFFSET %d' % STUB_IMM_OFFSET,
           '#define PREVIRT_ISTUB_BYTES %d' % ISTUB_BYTES,
           '#define PREVIRT_ISTUB_PARK_R0 0x%08xu' % ISTUB_PARK_R0,
           '#define PREVIRT_CONTRACT_IRQ_ENABLE %d' % AREA_IRQ_ENABLE,
           '#define PREVIRT_CONTRACT_IRQ_PENDING %d' % AREA_IRQ_PENDING,
           '#define PREVIRT_CONTRACT_IRQ_POKE %d' % AREA_IRQ_POKE,
           '#define PREVIRT_CONTRACT_VCPSR %d' % AREA_VCPSR,
           '#define PREVIRT_CTX_LR %d' % CTX_LR,
           '#define PREVIRT_CTX_PC %d' % CTX_PC,
           '#define PREVIRT_CTX_CPSR %d' % CTX_CPSR,
           '#define PREVIRT_CTX_WORDS %d' % CTX_WORDS,
           '#define PREVIRT_OP_SHIFT %d' % OP_SHIFT,
           '#define PREVIRT_FIELDS_MASK 0x%xu' % FIELDS_MASK, '']
    for num, name, fields, what in OPS:
        out.append('#define PREVIRT_OP_%-12s %2d /* %s: %s */' % (name, num, what, fields))
    out.append('#define PREVIRT_OP_COUNT %d' % (max(n for (n, _, _, _) in OPS) + 1))
    return '\n'.join(out) + '\n'


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] != '--header':
        sys.exit('usage: contract.py --header OUT.h')
    with open(sys.argv[2], 'w') as f:
        f.write(header())
