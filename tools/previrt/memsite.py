# SPDX-License-Identifier: BSD-2-Clause
"""The MEM rewrite: loads and stores whose base register holds a device's address.

A native port reaches its interrupt controller with plain loads and stores,
which in a guest fault and make a round trip through the kernel and the VMM
(docs/previrt.md, "What traps"). Where the rewriter can see that the base
register of a load or store holds the address of a device the runtime
emulates (the GIC), it makes the instruction a runtime call instead (ops
MEM and MEM_EXTRA of contract.py), which runs the same virtual GIC in the
guest.

Which base registers hold a device address is found by following the
registers through straight-line code (`Tracker`): a register holds a
constant after `mov`/`mvn`/`movw`/`movt`/`ldr =` of a number and `add`/
`sub`/`orr`/`eor`/`bic` of a number to a constant, and an address *derived*
from a constant after `add` of any register to it (the base of an indexed
register: `gicd + (line / 32) * 4`). Anything the tracker does not know
forgets what it knew: a label (a join), a directive, a branch or call, a
conditional or multi-register write, a macro body. The analysis decides only
which instructions become calls; it is not what makes the rewrite correct:
the runtime computes the address from the registers as the instruction
would and, if it has no device there, continues at the instruction's
*fallback*, the original instruction in section previrt_fallback followed
by a branch back, so a wrong guess costs a runtime call, never a result.
"""
import re

import asmtext
import encoding

REGS = {'r%d' % i: i for i in range(16)}
REGS.update(sb=9, sl=10, fp=11, ip=12, sp=13, lr=14, pc=15)
C = r'(?:eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?'
# Unified (ldrbne) and divided (ldrneb) spellings of the single transfers.
LDST = re.compile(r'(ldr|str)(?:(b|h|sb|sh|d)(' + C[3:-2] + r')?|(' + C[3:-2] + r')(b|h|sb|sh|d)?)'
                  r'?(?:\.w)?$')
SIMPLE = re.compile(r'(mov|mvn|movw|movt|add|sub|orr|eor|bic)(s?)(' + C[3:-2] + r')?(s?)$')
NO_WRITE = re.compile(r'(?:cmp|cmn|tst|teq|nop|dsb|dmb|isb|pld|pli|sev|yield)(?:' + C[3:-2] +
                      r')?(?:\.[wn])?$')
# gcc's labels for debug information (location lists, blocks, functions,
# views, frame information): never the target of a branch, so no join.
DEBUG_LABEL = re.compile(r'\.L(?:VL|BB|BE|BI|FB|FE|VU|CFI)\d+$')
NUMBER = re.compile(r'#?\s*(-?(?:0x[0-9a-f]+|0b[01]+|\d+))$', re.I)


def ldst_parts(mn):
    """(size suffix, condition) of a single-transfer mnemonic."""
    m = LDST.match(mn)
    return (m.group(2) or m.group(5) or ''), (m.group(3) or m.group(4) or '')


def number(text):
    m = NUMBER.match(text.strip())
    if not m:
        return None
    return int(m.group(1), 0) & 0xffffffff


def operands(text):
    """Split at top-level commas ([...] and {...} kept whole)."""
    out, depth, cur = [], 0, ''
    for ch in text:
        if ch in '[{':
            depth += 1
        elif ch in ']}':
            depth -= 1
        if ch == ',' and depth == 0:
            out.append(cur.strip())
            cur = ''
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


class Value:
    """A register's content: `base` exactly (derived False), or base plus a
    register the tracker does not know (derived True)."""

    def __init__(self, base, derived=False):
        self.base, self.derived = base & 0xffffffff, derived


def is_join(st):
    """Whether st has a label other code may branch to."""
    if not st.has_labels:
        return False
    pos, names = 0, []
    while True:
        m = asmtext.LABEL.match(st.text, pos)
        if not m:
            break
        names.append(m.group(0).strip().rstrip(':').strip())
        pos = m.end()
    return not all(DEBUG_LABEL.match(n) for n in names)


class Tracker:
    """Registers holding constants, through straight-line ARM code."""

    def __init__(self):
        self.known = {}

    def forget(self):
        self.known = {}

    def kill(self, reg):
        self.known.pop(reg, None)

    def value(self, name):
        reg = REGS.get(name.strip().lower())
        return None if reg is None else self.known.get(reg)

    def step(self, st):
        """Account for statement st (after the caller has looked at it)."""
        mn, ops = st.mnemonic, operands(st.operands)
        if is_join(st) or st.in_macro or st.isa != 'arm':
            self.forget()
        if not mn:
            return
        if mn.startswith('.'):
            if not (mn in ('.loc', '.file') or mn.startswith('.cfi_')):
                self.forget()
            return
        if NO_WRITE.match(mn):
            return
        if LDST.match(mn) and len(ops) >= 2:
            self.step_ldst(mn, ops)
            return
        m = SIMPLE.match(mn)
        rd = REGS.get(ops[0].lower()) if ops else None
        if m and rd is not None and not m.group(3) and rd != 15:
            self.known_write(m.group(1), rd, ops[1:])
            return
        if rd is None or rd == 15 or re.match(r'(?:b|bl|bx|blx|ldm|stm|pop|push|svc|swi|mrc|mrrc|'
                                              r'umull|smull|umlal|smlal|vmov|ldrex|strex)', mn):
            self.forget()  # branches, calls, several or unknown destinations
            return
        self.kill(rd)

    def step_ldst(self, mn, ops):
        rt = REGS.get(ops[0].lower())
        k = address_operand(ops)
        addr = ops[k] if k is not None else ops[1]
        writeback = addr.endswith('!') or (k is not None and len(ops) > k + 1)
        size, cond = ldst_parts(mn)
        if mn.startswith('ldr') and addr.startswith('='):  # ldr rd, =value
            v = number(addr[1:])
            if rt is None:
                self.forget()
            elif v is None or cond or size:
                self.kill(rt)
            else:
                self.known[rt] = Value(v)
            return
        if mn.startswith('ldr'):
            if rt is None or size == 'd':
                self.forget()  # ldrd: two destinations
                return
            self.kill(rt)
        if writeback:
            base = re.match(r'\[\s*(\w+)', addr)
            if base and base.group(1).lower() in REGS:
                self.kill(REGS[base.group(1).lower()])
            else:
                self.forget()

    def known_write(self, op, rd, src):
        """rd := op(src) for the unconditional data-processing forms we follow."""
        vals = [self.value(s) for s in src]
        nums = [number(s) for s in src]
        new = None
        if op in ('mov', 'mvn', 'movw') and len(src) == 1:
            if nums[0] is not None:
                new = Value(~nums[0] if op == 'mvn' else nums[0])
            elif op == 'mov' and vals[0] is not None:
                new = vals[0]
        elif op == 'movt' and len(src) == 1 and nums[0] is not None:
            old = self.known.get(rd)
            if old is not None and not old.derived:
                new = Value((old.base & 0xffff) | (nums[0] << 16))
        elif len(src) == 2:
            a, b, n = vals[0], vals[1], nums[1]
            if a is not None and n is not None and (not a.derived or op in ('add', 'sub')):
                fn = {'add': lambda x: x + n, 'sub': lambda x: x - n, 'orr': lambda x: x | n,
                      'eor': lambda x: x ^ n, 'bic': lambda x: x & ~n}[op]
                new = Value(fn(a.base), a.derived)
            elif op == 'add' and a is not None and b is not None and not a.derived and \
                    not b.derived:
                new = Value(a.base + b.base)
            elif op == 'add' and (a is None) != (b is None) and n is None:
                k = a if a is not None else b
                new = Value(k.base, True)
            elif op == 'add' and a is None and n is not None:
                new = Value(n, True)  # a register plus a constant address
        elif len(src) == 3 and op == 'add':
            # add rd, rn, rm, <shift>: a constant plus a shifted register
            a = vals[0]
            if a is not None and not a.derived:
                new = Value(a.base, True)
        if new is None:
            self.kill(rd)
        else:
            self.known[rd] = new


def address_operand(ops):
    """The index of the [address] operand of a load/store, or None."""
    for k, op in enumerate(ops[1:3], 1):
        if op.startswith('['):
            return k
    return None


def base_register(st):
    """The base register name of a load/store statement, or None."""
    ops = operands(st.operands)
    k = address_operand(ops)
    if k is None:
        return None
    m = re.match(r'\[\s*(\w+)\s*(?:[],])', ops[k])
    return m.group(1).lower() if m else None


def is_ldst(st):
    return st.isa == 'arm' and bool(LDST.match(st.mnemonic)) and base_register(st) is not None


def find_sites(statements, devices):
    """[(statement, Value of its base, device name)] for every ARM load/store
    whose base the tracker finds in one of devices [(base, size, name)]."""
    t, out = Tracker(), []
    for st in statements:
        if is_join(st) or st.in_macro:
            t.forget()
        if is_ldst(st) and not st.in_macro:
            v = t.value(base_register(st))
            if v is not None:
                for (base, size, name) in devices:
                    if base <= v.base < base + size:
                        out.append((st, v, name))
                        break
        t.step(st)
    return out


def decode(w, rn_value, device):
    """Decoded for the A32 word w of a MEM site (encoding.Decoded: rewrite or
    refuse). The runtime's decoder (libl4/src/previrt/mmio.c) takes exactly
    what this accepts."""
    cond, p, u, wbit, l = w >> 28, (w >> 24) & 1, (w >> 23) & 1, (w >> 21) & 1, (w >> 20) & 1
    rn, rt, rm = (w >> 16) & 15, (w >> 12) & 15, w & 15
    where = ('its base is 0x%08x, %s' % (rn_value.base, device) if not rn_value.derived else
             'its base is 0x%08x plus a register, %s if it stays in it' % (rn_value.base, device))
    if cond == 0xf:
        return encoding.none()
    if (w & 0x0c000000) == 0x04000000 and not ((w >> 25) & 1 and (w >> 4) & 1):
        op, size = 'MEM', 1 if (w >> 22) & 1 else 4
        reg_off = (w >> 25) & 1
    elif (w & 0x0e000090) == 0x00000090 and (w >> 5) & 3:
        op2 = (w >> 5) & 3
        op = 'MEM_EXTRA'
        size = 2 if op2 == 1 else (8 if not l else (1 if op2 == 2 else 2))
        reg_off = not (w >> 22) & 1
    else:
        return encoding.none()  # not a single transfer (the decoder's classes)
    if not p and wbit:
        return encoding.none()  # ldrt & co: the unprivileged-ldst class decides
    wb = (not p) or wbit
    load = l if size != 8 else (w >> 5) & 3 == 2
    sign = op == 'MEM_EXTRA' and l and (w >> 5) & 3 != 1
    name = '%s%s%s' % ('ldr' if load else 'str', 's' if sign else '',
                       {1: 'b', 2: 'h', 4: '', 8: 'd'}[size])
    if rn == 15 or rt == 15 or (reg_off and rm == 15):
        return encoding.refuse('mem', 'a device access (%s) with pc as a register: the runtime '
                               'and the VMM emulate no such access' % where)
    if wb and (rn == rt or (size == 8 and rn == rt + 1) or (reg_off and rm == rn)):
        return encoding.refuse('mem', 'a device access (%s) with write-back into a transferred '
                               'register is UNPREDICTABLE' % where)
    if size == 8 and (rt & 1 or rt == 14):
        return encoding.refuse('mem', 'a device doubleword access (%s) of an odd register pair '
                               'is UNPREDICTABLE' % where)
    d = encoding.rewrite('mem', op, w & 0x03ffffff, '%s of a device: %s' % (name, where))
    d.cond = cond
    return d
