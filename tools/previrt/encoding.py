# SPDX-License-Identifier: BSD-2-Clause
"""Decode one assembled instruction into what the rewriter does with it.

The rewriter never interprets operand text itself: it lets the assembler
encode each candidate statement and reads the operands from the encoding
(ARM ARM DDI 0406C, chapters A5/A6 and B9), with the same masks as the
auditor's classifier (tools/sensaudit/classify.c), so `ip`, `APSR_nzcv`,
`ldmfd`, divided syntax and constant expressions all mean what the
assembler says they mean.

decode(data, thumb) returns a Decoded:
  action  'none'    not sensitive: leave it alone
          'rewrite' replace it by a runtime call: op, fields, imm, cond
          'trap'    sensitive but left to trap to the VMM (policy.py)
          'refuse'  cannot be rewritten safely: reason
  cls     the auditor's class name ('psr', 'cps', ...; '' when none)
  what    a short description of the decoded instruction
"""
import policy

COND = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le',
        '', '']
REG = ['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp',
       'lr', 'pc']
DP_NAMES = ['and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn',
            'orr', 'mov', 'bic', 'mvn']
SHIFT = ['lsl', 'lsr', 'asr', 'ror']
# Modes a rewritten cps/srs may name: PL1 modes of a system without the
# Security and Virtualization Extensions, plus User (cps only).
MODE_NAMES = {0x10: 'usr', 0x11: 'fiq', 0x12: 'irq', 0x13: 'svc', 0x17: 'abt', 0x1b: 'und',
              0x1f: 'sys'}


def bit(x, n):
    return (x >> n) & 1


def field(x, hi, lo):
    return (x >> lo) & ((1 << (hi - lo + 1)) - 1)


def expand_imm(imm12):
    """ARMExpandImm (A5.2.4): an 8-bit value rotated right by twice imm12[11:8]."""
    rot = 2 * field(imm12, 11, 8)
    v = imm12 & 0xff
    return ((v >> rot) | (v << (32 - rot))) & 0xffffffff if rot else v


class Decoded:
    def __init__(self, action, cls='', op=None, fields=0, imm=0, cond=14, what='', reason=''):
        self.action, self.cls, self.op, self.fields = action, cls, op, fields
        self.imm, self.cond, self.what, self.reason = imm, cond, what, reason

    def __repr__(self):
        return 'Decoded(%s %s %s 0x%x 0x%x %s)' % (self.action, self.cls, self.op, self.fields,
                                                  self.imm, self.what or self.reason)


def none():
    return Decoded('none')


def refuse(cls, reason):
    return Decoded('refuse', cls=cls, reason=reason)


def trap(cls, what):
    return Decoded('trap', cls=cls, what=what)


def rewrite(cls, op, fields, what, imm=0):
    return Decoded('rewrite', cls=cls, op=op, fields=fields, imm=imm, what=what)


def reglist(mask):
    return '{' + ', '.join(REG[i] for i in range(16) if bit(mask, i)) + '}'


def psr_mask_name(mask):
    return ''.join(c for (b, c) in ((3, 'f'), (2, 's'), (1, 'x'), (0, 'c')) if bit(mask, b))


def banked_name(r, sysm):
    """B9.2.3, "Banked register transfer": SYSm = M:M1. None for Hyp/Monitor/unused."""
    m, m1 = sysm >> 4, sysm & 15
    if r:
        return {(0, 14): 'spsr_fiq', (1, 0): 'spsr_irq', (1, 2): 'spsr_svc', (1, 4): 'spsr_abt',
                (1, 6): 'spsr_und'}.get((m, m1))
    if m == 0 and m1 <= 6:
        return 'r%d_usr' % (8 + m1) if m1 < 5 else ('sp_usr', 'lr_usr')[m1 - 5]
    if m == 0 and 8 <= m1 <= 14:
        return 'r%d_fiq' % m1 if m1 < 13 else ('sp_fiq', 'lr_fiq')[m1 - 13]
    if m == 1 and m1 < 8:
        return ('lr', 'sp')[m1 & 1] + '_' + ('irq', 'svc', 'abt', 'und')[m1 >> 1]
    return None


# --- the classes, from encoding fields to actions ----------------------------------

def cps_action(imod, m, aif, mode, cond):
    """aif: A, I, F as bits 2, 1, 0."""
    if imod == 1 or (imod == 0 and not m) or (imod != 0 and aif == 0):
        return refuse('cps', 'this cps form is UNPREDICTABLE')
    if m and mode not in MODE_NAMES:
        return refuse('cps', 'mode 0x%x is not a mode the runtime models' % mode)
    fields = (imod << 18) | (m << 17) | (aif << 6) | (mode if m else 0)
    flags = ''.join(c for (b, c) in ((2, 'a'), (1, 'i'), (0, 'f')) if bit(aif, b))
    what = 'cps' + {0: '', 2: 'ie ' + flags, 3: 'id ' + flags}[imod]
    if m:
        what += ('' if imod == 0 else ',') + ' #%s' % MODE_NAMES[mode]
    return rewrite('cps', 'CPS', fields, what)


def mrs_action(r, banked, sysm, rd, thumb):
    if rd == 15 or (thumb and rd == 13):
        return refuse('psr', 'mrs to %s is UNPREDICTABLE' % REG[rd])
    if banked:
        name = banked_name(r, sysm)
        if name is None:
            return refuse('psr', 'banked register SYSm=0x%x is not one the runtime models' % sysm)
        fields = (r << 22) | ((sysm & 15) << 16) | (rd << 12) | ((sysm >> 4) << 8)
        return rewrite('psr', 'MRS_BANKED', fields, 'mrs %s, %s' % (REG[rd], name))
    return rewrite('psr', 'MRS', (r << 22) | (rd << 12),
                   'mrs %s, %s' % (REG[rd], 'spsr' if r else 'cpsr'))


def msr_action(r, banked, sysm, mask, rn, imm, is_imm, thumb):
    if banked:
        name = banked_name(r, sysm)
        if name is None:
            return refuse('psr', 'banked register SYSm=0x%x is not one the runtime models' % sysm)
        if rn == 15 or (thumb and rn == 13):
            return refuse('psr', 'msr from %s is UNPREDICTABLE' % REG[rn])
        fields = (r << 22) | ((sysm & 15) << 16) | ((sysm >> 4) << 8) | rn
        return rewrite('psr', 'MSR_BANKED', fields, 'msr %s, %s' % (name, REG[rn]))
    if not r and not (mask & 3):
        return none()  # APSR_nzcvq / APSR_g: flags only, faithful at PL0
    if mask == 0:
        return refuse('psr', 'msr with an empty field mask is UNPREDICTABLE')
    name = '%s_%s' % ('spsr' if r else 'cpsr', psr_mask_name(mask))
    if is_imm:
        return rewrite('psr', 'MSR_IMM', (r << 22) | (mask << 16),
                       'msr %s, #0x%x' % (name, imm), imm=imm)
    if rn == 15 or (thumb and rn == 13):
        return refuse('psr', 'msr from %s is UNPREDICTABLE' % REG[rn])
    return rewrite('psr', 'MSR', (r << 22) | (mask << 16) | rn, 'msr %s, %s' % (name, REG[rn]))


def srs_action(p, u, w, mode):
    if mode not in MODE_NAMES or mode == 0x10:
        return refuse('srs', 'srs to mode 0x%x is UNPREDICTABLE or not modelled' % mode)
    am = {(0, 0): 'da', (1, 0): 'db', (0, 1): 'ia', (1, 1): 'ib'}[(p, u)]
    return rewrite('srs', 'SRS', (p << 24) | (u << 23) | (w << 21) | mode,
                   'srs%s sp%s, #%s' % (am, '!' if w else '', MODE_NAMES[mode]))


def rfe_action(p, u, w, rn):
    if rn == 15:
        return refuse('rfe', 'rfe based on pc: the runtime cannot see the original pc')
    am = {(0, 0): 'da', (1, 0): 'db', (0, 1): 'ia', (1, 1): 'ib'}[(p, u)]
    return rewrite('rfe', 'RFE', (p << 24) | (u << 23) | (w << 21) | (rn << 16),
                   'rfe%s %s%s' % (am, REG[rn], '!' if w else ''))


def dp_ret_action(i, opcode, rn, op2, cls='exception-return'):
    """<op>S pc, Rn, <operand2> (B9.3.20, "SUBS PC, LR and related")."""
    uses_rn = opcode not in (13, 15)  # MOV, MVN ignore Rn
    if uses_rn and rn == 15:
        return refuse(cls, 'exception return computed from pc: the runtime cannot see the '
                      'original pc')
    fields = (i << 25) | (opcode << 21) | ((rn if uses_rn else 0) << 16) | op2
    src = [REG[rn]] if uses_rn else []
    if i:
        imm = expand_imm(op2)
        src.append('#%d' % imm if imm < 256 else '#0x%x' % imm)
        return rewrite(cls, 'DP_RET', fields, '%ss pc, %s' % (DP_NAMES[opcode], ', '.join(src)),
                       imm=imm)
    rm, shtype = op2 & 15, field(op2, 6, 5)
    if rm == 15:
        return refuse(cls, 'exception return computed from pc: the runtime cannot see the '
                      'original pc')
    if bit(op2, 4):
        return refuse(cls, 'a register-shifted register operand with pc as destination is '
                      'UNPREDICTABLE')
    else:
        amount = field(op2, 11, 7)
        if amount == 0 and shtype == 3:
            src.append('%s, rrx' % REG[rm])
        elif amount == 0 and shtype == 0:
            src.append(REG[rm])
        else:
            src.append('%s, %s #%d' % (REG[rm], SHIFT[shtype], amount or 32))
    return rewrite(cls, 'DP_RET', fields, '%ss pc, %s' % (DP_NAMES[opcode], ', '.join(src)))


def ldm_stm_action(w):
    p, u, wb, load = bit(w, 24), bit(w, 23), bit(w, 21), bit(w, 20)
    rn, regs = field(w, 19, 16), w & 0xffff
    am = {(0, 0): 'da', (1, 0): 'db', (0, 1): 'ia', (1, 1): 'ib'}[(p, u)]
    if rn == 15:
        return refuse('ldm-stm-user', 'ldm/stm ^ based on pc is UNPREDICTABLE')
    if regs == 0:
        return refuse('ldm-stm-user', 'an empty register list is UNPREDICTABLE')
    text = '%s%s %s%s, %s^' % ('ldm' if load else 'stm', am, REG[rn], '!' if wb else '',
                               reglist(regs))
    fields = (p << 24) | (u << 23) | (wb << 21) | (rn << 16) | regs
    if load and bit(regs, 15):
        if wb and bit(regs, rn):
            return refuse('exception-return', 'writeback to a loaded base is UNPREDICTABLE')
        return rewrite('exception-return', 'LDM_RET', fields, text)
    if wb:
        return refuse('ldm-stm-user', 'ldm/stm ^ of user registers with writeback is '
                      'UNPREDICTABLE')
    return rewrite('ldm-stm-user', 'LDM_USR' if load else 'STM_USR', fields, text)


def coproc_action(w, unconditional, thumb):
    """MCR/MRC/MCRR/MRRC/CDP/LDC/STC, laid out as A32 bits 27:0 (a Thumb-2
    instruction hw1:hw2 matches them)."""
    cp = field(w, 11, 8)
    mcr_mrc = (w & 0x0f000010) == 0x0e000010
    mcrr = (w & 0x0fe00000) == 0x0c400000
    cdp = (w & 0x0f000010) == 0x0e000000
    ldc = (w & 0x0e000000) == 0x0c000000 and not mcrr
    if not (mcr_mrc or mcrr or cdp or ldc):
        return none()
    if cp in (10, 11):
        # VFP/Advanced SIMD; VMRS/VMSR of a system register other than FPSCR
        # (A7.8) traps at PL0: FPEXC, FPSID, MVFR0/1, FPINST are PL1 state.
        if not unconditional and (w & 0x0fe00f70) == 0x0ee00a10 and field(w, 19, 16) != 1:
            return trap('vfp-system', 'a VFP system register (UNDEFINED at PL0): the VMM')
        return none()
    name = ('mcr', 'mrc')[bit(w, 20)] if mcr_mrc else ('mcrr', 'mrrc')[bit(w, 20)] if mcrr \
        else 'cdp' if cdp else ('stc', 'ldc')[bit(w, 20)]
    if unconditional:
        name += '2'
    if cp not in (14, 15):
        return trap('coproc', 'no coprocessor %d (UNDEFINED): the VMM' % cp)
    if unconditional or cdp or ldc:
        if ldc and cp == 14 and field(w, 15, 12) == 5 and not unconditional:
            return refuse('coproc', '%s p14, c5 (the debug DTR) has no runtime emulation' % name)
        return trap('coproc', '%s is UNDEFINED for cp%d: the VMM' % (name, cp))
    if mcr_mrc:
        opc1, read, crn, rt = field(w, 23, 21), bit(w, 20), field(w, 19, 16), field(w, 15, 12)
        opc2, crm = field(w, 7, 5), w & 15
        reg = policy.cp_register(cp, opc1, crn, crm, opc2, read)
        what = '%s p%d, %d, %s, c%d, c%d, %d' % (name, cp, opc1,
                                                 'APSR_nzcv' if rt == 15 else REG[rt],
                                                 crn, crm, opc2)
        action = policy.cp_action(cp, opc1, crn, crm, opc2, read)
        if action == 'none':
            return none()
        if action == 'trap':
            return trap('coproc', '%s: the VMM' % reg)
        if rt == 15 and not read:
            return refuse('coproc', 'mcr from pc is UNPREDICTABLE')
        if thumb and rt == 13:
            return refuse('coproc', '%s with sp is UNPREDICTABLE in Thumb' % name)
        fields = (opc1 << 21) | (crn << 16) | (rt << 12) | (cp << 8) | (opc2 << 5) | crm
        return rewrite('coproc', 'MRC' if read else 'MCR', fields, '%s (%s)' % (what, reg))
    read, rt2, rt = bit(w, 20), field(w, 19, 16), field(w, 15, 12)
    opc1, crm = field(w, 7, 4), w & 15
    what = '%s p%d, %d, %s, %s, c%d' % (name, cp, opc1, REG[rt], REG[rt2], crm)
    reg = policy.cp64_register(cp, opc1, crm)
    action = policy.cp64_action(cp, opc1, crm, read)
    if action == 'trap':
        return trap('coproc', '%s: the VMM' % reg)
    if 15 in (rt, rt2) or (thumb and 13 in (rt, rt2)) or (read and rt == rt2):
        return refuse('coproc', '%s with these registers is UNPREDICTABLE' % name)
    fields = (rt2 << 16) | (rt << 12) | (cp << 8) | (opc1 << 4) | crm
    return rewrite('coproc', 'MRRC' if read else 'MCRR', fields, '%s (%s)' % (what, reg))


def svc_action(imm):
    return rewrite('svc', 'SVC', imm, 'svc #0x%x' % imm)


# --- A32 ------------------------------------------------------------------------------

def decode_arm(w):
    cond = w >> 28
    if cond == 0xf:
        if (w & 0x0e500000) == 0x08400000:
            return srs_action(bit(w, 24), bit(w, 23), bit(w, 21), w & 0x1f)
        if (w & 0x0e500000) == 0x08100000:
            return rfe_action(bit(w, 24), bit(w, 23), bit(w, 21), field(w, 19, 16))
        if (w & 0x0ff10020) == 0x01000000:
            return cps_action(field(w, 19, 18), bit(w, 17), field(w, 8, 6), w & 0x1f, 14)
        return coproc_action(w, True, False)
    d = decode_arm_conditional(w)
    d.cond = cond
    return d


def unpriv_arm(w):
    if (w & 0x0d200000) == 0x04200000 and (not bit(w, 25) or not bit(w, 4)):
        return True
    key = w & 0x0f3000f0
    return key in (0x002000b0, 0x003000b0, 0x003000d0, 0x003000f0)


def decode_arm_conditional(w):
    if (w & 0x0f900080) == 0x01000000:  # miscellaneous (A5.2.12)
        op2, op = field(w, 6, 4), field(w, 22, 21)
        if op2 == 0:
            if not bit(op, 0):
                return mrs_action(bit(w, 22), bit(w, 9), (bit(w, 8) << 4) | field(w, 19, 16),
                                  field(w, 15, 12), False)
            return msr_action(bit(w, 22), bit(w, 9), (bit(w, 8) << 4) | field(w, 19, 16),
                              field(w, 19, 16), w & 15, 0, False, False)
        if op2 == 6 and op == 3:  # ERET: at PL1 outside Hyp mode, SUBS PC, LR, #0
            return dp_ret_action(1, 2, 14, 0, cls='eret')
        if op2 == 7 and op in (2, 3):
            return refuse('hvc' if op == 2 else 'smc', '%s: this system has no hypervisor or '
                          'secure monitor for a guest to call' % ('hvc' if op == 2 else 'smc'))
        return none()
    if (w & 0x0fb00000) == 0x03200000:  # MSR (immediate) and hints
        r, mask = bit(w, 22), field(w, 19, 16)
        if not r and mask == 0:
            hint = w & 0xff
            if hint == 3:
                return rewrite('wfi-wfe', 'WFI', 0, 'wfi')
            if hint == 2:
                return rewrite('wfi-wfe', 'WFE', 0, 'wfe')
            return none()
        return msr_action(r, False, 0, mask, 0, expand_imm(w & 0xfff), True, False)
    if (w & 0x0e400000) == 0x08400000:  # LDM/STM with S (B9.3.5-7)
        return ldm_stm_action(w)
    opcode = field(w, 24, 21)
    if field(w, 27, 26) == 0 and bit(w, 20) and field(w, 15, 12) == 15 and not 8 <= opcode <= 11 \
            and (bit(w, 25) or not (bit(w, 7) and bit(w, 4))):
        return dp_ret_action(bit(w, 25), opcode, field(w, 19, 16), w & 0xfff)
    if unpriv_arm(w):
        return refuse('unprivileged-ldst', 'an unprivileged load/store (ldrt family) checks user '
                      'permissions the runtime cannot check; translate the user address instead')
    if (w & 0x0f000000) == 0x0f000000:
        return svc_action(w & 0xffffff)
    return coproc_action(w, False, False)


# --- T32 ------------------------------------------------------------------------------

def decode_thumb16(hw):
    if (hw & 0xffe8) == 0xb660:  # CPS T1
        return cps_action(2 | bit(hw, 4), 0, hw & 7, 0, 14)
    if (hw & 0xff0f) == 0xbf00:  # hints
        op = field(hw, 7, 4)
        if op == 3:
            return rewrite('wfi-wfe', 'WFI', 0, 'wfi')
        if op == 2:
            return rewrite('wfi-wfe', 'WFE', 0, 'wfe')
        return none()
    if (hw & 0xff00) == 0xdf00:
        return svc_action(hw & 0xff)
    return none()


def unpriv_thumb(hw1, hw2):
    forms = (0xf800, 0xf810, 0xf820, 0xf830, 0xf840, 0xf850, 0xf910, 0xf930)
    return (hw1 & 15) != 15 and field(hw2, 11, 8) == 0xe and (hw1 & 0xfff0) in forms


def decode_thumb32(hw1, hw2):
    if (hw1 & 0xf800) == 0xf000 and bit(hw2, 15):
        op, op1 = field(hw1, 10, 4), field(hw2, 14, 12)
        if op1 == 0 and op in (0x7e, 0x7f):
            name = 'hvc' if op == 0x7e else 'smc'
            return refuse(name, '%s: this system has no hypervisor or secure monitor for a '
                          'guest to call' % name)
        if op1 & 5:
            return none()
        if (op & 0x7e) == 0x38:
            return msr_action(bit(hw1, 4), bit(hw2, 5), (bit(hw2, 4) << 4) | field(hw2, 11, 8),
                              field(hw2, 11, 8), hw1 & 15, 0, False, True)
        if op == 0x3a:
            if field(hw2, 10, 8):
                return cps_action(field(hw2, 10, 9), bit(hw2, 8), field(hw2, 7, 5), hw2 & 0x1f, 14)
            hint = hw2 & 0xff
            if hint == 3:
                return rewrite('wfi-wfe', 'WFI', 0, 'wfi')
            if hint == 2:
                return rewrite('wfi-wfe', 'WFE', 0, 'wfe')
            return none()
        if op == 0x3d:  # SUBS PC, LR, #imm8; imm8 == 0 is ERET
            imm8 = hw2 & 0xff
            return dp_ret_action(1, 2, 14, imm8, cls='eret' if imm8 == 0 else 'exception-return')
        if (op & 0x7e) == 0x3e:
            return mrs_action(bit(hw1, 4), bit(hw2, 5), (bit(hw2, 4) << 4) | (hw1 & 15),
                              field(hw2, 11, 8), True)
        return none()
    srs_rfe = hw1 & 0xffd0
    if srs_rfe in (0xe800, 0xe980):
        return srs_action(int(srs_rfe == 0xe800), int(srs_rfe == 0xe980), bit(hw1, 5), hw2 & 0x1f)
    if srs_rfe in (0xe810, 0xe990):
        return rfe_action(int(srs_rfe == 0xe810), int(srs_rfe == 0xe990), bit(hw1, 5), hw1 & 15)
    if unpriv_thumb(hw1, hw2):
        return refuse('unprivileged-ldst', 'an unprivileged load/store (ldrt family) checks user '
                      'permissions the runtime cannot check; translate the user address instead')
    if (hw1 & 0xec00) == 0xec00 and (hw1 & 0x0300) != 0x0300:
        return coproc_action((hw1 << 16) | hw2, bool(bit(hw1, 12)), True)
    return none()


def is_thumb_wide(hw1):
    return field(hw1, 15, 11) in (0x1d, 0x1e, 0x1f)


def decode(data, thumb):
    """data: the bytes the assembler produced for one statement. Returns a
    Decoded, or a 'refuse' if the bytes are not exactly one instruction."""
    if not thumb:
        if len(data) != 4:
            return refuse('', 'the statement did not assemble to one ARM instruction')
        return decode_arm(int.from_bytes(data, 'little'))
    cond = 14
    if len(data) >= 2:
        hw = int.from_bytes(data[0:2], 'little')
        if (hw & 0xff00) == 0xbf00 and (hw & 0xf) != 0:  # an IT the assembler added
            cond = field(hw, 7, 4)
            data = data[2:]
    if len(data) == 2:
        d = decode_thumb16(int.from_bytes(data, 'little'))
    elif len(data) == 4 and is_thumb_wide(int.from_bytes(data[0:2], 'little')):
        d = decode_thumb32(int.from_bytes(data[0:2], 'little'), int.from_bytes(data[2:4], 'little'))
    else:
        return refuse('', 'the statement did not assemble to one Thumb instruction')
    d.cond = cond
    return d
