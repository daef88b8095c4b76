# SPDX-License-Identifier: BSD-2-Clause
"""Rewrite the silent sensitive instructions of one assembler source.

rewrite(text, name, options) -> Result(text, notes, errors)

Each rewritten instruction becomes, on its own physical line (so every line
number the assembler and the debug information see stays the same), one
branch to a 32-byte call stub that the same line pushes into section
`previrt_stubs` (contract.py). Numeric local labels join the two, so the
scheme works unchanged inside .macro, .rept and .irp bodies and in .if
arms. Thumb sites inside an IT block are taken out of it: the block is
split into one IT per remaining instruction, which keeps every condition
(each instruction of an IT block tests the flags as they are when it runs).
"""
import os
import re

import asmtext
import batch
import contract
import encoding
import memsite
import policy

C = r'(?:eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?'
AM = r'(?:da|db|ia|ib|fa|fd|ea|ed)'
CANDIDATE = re.compile(r'(?:' + '|'.join([
    r'cps(?:id|ie)?', r'mrs' + C, r'msr' + C,
    r'srs' + AM + '?' + C, r'rfe' + AM + '?' + C,
    r'wf[ie]' + C, r'eret' + C, r'smc' + C, r'smi' + C, r'hvc',
    r'(?:mcrr|mrrc|mcr|mrc)(?:2|' + C + ')', r'cdp(?:2|' + C + ')',
    r'(?:ldc|stc)(?:2l?|l?' + C + '|' + C + 'l)',
    r'(?:vmrs|vmsr|fmrx|fmxr)' + C, r'(?:svc|swi)' + C,
    r'(?:ldr|str)(?:b|h|sb|sh)?t' + C, r'(?:ldr|str)' + C + r'(?:b|h|sb|sh)?t',
]) + r')(?:\.[wn])?')
LDM_STM = re.compile(r'(?:ldm|stm)(?:' + AM + '?' + C + '|' + C + AM + r')(?:\.[wn])?')
DP_S = re.compile(r'(?:and|eor|sub|rsb|add|adc|sbc|rsc|orr|mov|bic|mvn|lsl|lsr|asr|ror|rrx)'
                  r'(?:s' + C + '|' + C + r's)(?:\.[wn])?')
INST = re.compile(r'\.inst(?:\.[wn])?')
PC = re.compile(r'\s*(?:pc|r15)\s*(?:,|$)', re.I)
NUMERIC_LABEL = re.compile(r'(?<![\w.$])(\d+)(?:[fb]\b|\s*:)')


class Options:
    def __init__(self, assembler='arm-none-eabi-as', flags=(), include_dirs=(), svc=True,
                 isa='arm', devices=None, inline=True):
        self.assembler, self.flags = assembler, list(flags)
        # Inline stubs (contract.py) where a site returns at once; False:
        # every site calls the runtime (--previrt-no-inline).
        self.inline = inline
        self.include_dirs, self.svc, self.isa = list(include_dirs), svc, isa
        # [(base, size, name)]: the devices whose loads and stores become
        # runtime calls (memsite.py); [] turns the MEM rewrite off.
        self.devices = list(policy.DEVICES if devices is None else devices)


class Note:
    """One line of the report: kind 'rewrote', 'trap' or 'error'."""

    def __init__(self, src, kind, original, detail):
        self.src, self.kind, self.original, self.detail = src, kind, original, detail

    def __str__(self):
        where = '%s:%s' % self.src
        original = ' '.join(self.original.split())
        if self.kind == 'error':
            return '%s: error: previrt: cannot rewrite \'%s\': %s' % (where, original,
                                                                      self.detail)
        if self.kind == 'trap':
            return '%s: previrt: left to trap \'%s\': %s' % (where, original, self.detail)
        return '%s: previrt: rewrote \'%s\' -> %s' % (where, original, self.detail)


class Result:
    def __init__(self, text, notes):
        self.text, self.notes = text, notes

    @property
    def errors(self):
        return [n for n in self.notes if n.kind == 'error']


def is_candidate(st):
    mn = st.mnemonic
    if INST.fullmatch(mn):
        return True
    if mn.startswith('.'):
        return False
    if CANDIDATE.fullmatch(mn):
        return True
    if LDM_STM.fullmatch(mn) and st.operands.rstrip().endswith('^'):
        return True
    return bool(DP_S.fullmatch(mn) and PC.match(st.operands))


# --- .include: expanded in place, between line markers -----------------------------
INCLUDE = re.compile(r'^\s*\.include\s+"([^"]+)"\s*(?:@.*)?$')


def find_include(name, dirs):
    for d in ['.'] + list(dirs):
        path = os.path.normpath(os.path.join(d, name))
        if os.path.isfile(path):
            return path
    return None


def expand_includes(lines, name, dirs, depth=0):
    """Included files are rewritten like the includer (a macro that an
    include defines is then already rewritten where the includer uses it)."""
    out, marker = [], None
    for i, line in enumerate(lines, 1):
        m = asmtext.LINE_MARKER.match(line)
        if m:
            marker = (m.group(2), int(m.group(1)), i)
        inc = INCLUDE.match(line)
        path = find_include(inc.group(1), dirs) if inc and depth < 16 else None
        if not path:
            out.append(line)
            continue
        body = open(path, errors='surrogateescape').read().split('\n')
        if body and body[-1] == '':
            body.pop()
        out.append('# 1 "%s"' % path)
        out.extend(expand_includes(body, path, dirs, depth + 1))
        f, l = (marker[0], marker[1] + (i - marker[2])) if marker else (name, i + 1)
        out.append('# %d "%s"' % (l, f))
    return out


# --- emission ---------------------------------------------------------------------

def free_labels(text):
    """Four numeric local labels the file does not use: stub, return,
    fallback, and an inline stub's ordinary stub."""
    used = {int(m.group(1)) for m in NUMERIC_LABEL.finditer(text)}
    n = 91910
    while any(n + k in used for k in range(4)):
        n += 3
    return n, n + 1, n + 2, n + 3


def fuse_critical_entries(statements, sites):
    """`mrs Rd, cpsr` then `cpsid i` (the entry of every critical section):
    one call (op MRS_CPSID) instead of two, when the cpsid is the very next
    statement, unlabelled, both unconditional ARM code. Nothing can tell
    the difference: no code can branch between them, and an interrupt the
    pair no longer lets in between is taken before the mrs instead, with
    the same state. Returns (sites, {id(mrs statement): cpsid statement})."""
    by_id = {id(st): d for (st, d) in sites}
    nxt = {id(a): b for (a, b) in zip(statements, statements[1:])}
    out, fused, dropped = [], {}, set()
    for st, d in sites:
        if id(st) in dropped:
            continue
        after = nxt.get(id(st))
        da = by_id.get(id(after)) if after is not None else None
        if (d.op == 'MRS' and not (d.fields >> 22) & 1 and d.cond == 14 and st.isa == 'arm'
                and da is not None and da.op == 'CPS' and da.cond == 14 and
                da.fields == ((3 << 18) | (1 << 7)) and not after.has_labels and
                after.lineno != st.lineno):
            d = encoding.rewrite('psr', 'MRS_CPSID', d.fields & (15 << 12),
                                 d.what + ', then cpsid i (one call)')
            fused[id(st)] = after
            dropped.add(id(after))
        out.append((st, d))
    return out, fused


ADD_IMM = re.compile(r'(r\d+|sp|lr|ip)\s*,\s*(r\d+|sp|lr|ip)\s*,\s*#\s*(0x[0-9a-f]+|\d+)$', re.I)
REG_NUM = {'sp': 13, 'lr': 14, 'ip': 12}


def reg_number(name):
    name = name.lower()
    return REG_NUM[name] if name in REG_NUM else int(name[1:])


def fuse_context_resumes(statements, sites):
    """`ldm Rn, {...}^`, any `nop`s, `add Rn, Rn, #imm`, `rfe Rn{!}` (the
    tail of a native context switch, arch/native's native_resume): one call
    (op LDM_USR_RFE) instead of two. Only when every statement is
    unlabelled, unconditional ARM code outside a macro, the add's
    immediate is a plain number up to 0xfff and both name the same base:
    then nothing can branch in between, and the call does the three in
    order. The add stays where it is and the rfe becomes `udf #0`, with
    no stub: neither is ever reached, the call leaves through pc.
    Returns {id(ldm statement): (add statement, rfe statement)}."""
    by_id = {id(st): d for (st, d) in sites}
    pos = {id(st): i for (i, st) in enumerate(statements)}
    fused = {}
    out = []
    for st, d in sites:
        tail = resume_tail(statements, pos[id(st)], st, d, by_id)
        if tail:
            add, rfe, imm = tail
            dr = by_id[id(rfe)]
            d = encoding.rewrite('ldm-stm-user', 'LDM_USR_RFE', d.fields,
                                 d.what + ', then ' + ' '.join(add.body.split()) + ', then ' +
                                 dr.what + ' (one call)',
                                 imm=imm | (dr.fields & ((1 << 24) | (1 << 23) | (1 << 21))))
            fused[id(st)] = (add, rfe)
        out.append((st, d))
    return out, fused


def resume_tail(statements, i, st, d, by_id):
    """(add statement, rfe statement, imm) if statements[i] (the ldm ^
    site d) starts a fusable context resume (fuse_context_resumes)."""
    def plain(s):
        return s.isa == 'arm' and not s.in_macro and s.it is None

    if d.op != 'LDM_USR' or d.cond != 14 or not plain(st):
        return None
    rn = (d.fields >> 16) & 15
    j = i + 1
    while j < len(statements) and statements[j].mnemonic == 'nop' and \
            not statements[j].has_labels and plain(statements[j]) and \
            not statements[j].operands:
        j += 1
    if j + 1 >= len(statements):
        return None
    add, rfe = statements[j], statements[j + 1]
    m = ADD_IMM.match(' '.join(add.operands.split()))
    if add.mnemonic != 'add' or not m or add.has_labels or not plain(add):
        return None
    if reg_number(m.group(1)) != rn or reg_number(m.group(2)) != rn:
        return None
    imm = int(m.group(3), 0)
    dr = by_id.get(id(rfe))
    if imm > 0xfff or dr is None or dr.op != 'RFE' or dr.cond != 14 or rfe.has_labels or \
            not plain(rfe) or (dr.fields >> 16) & 15 != rn:
        return None
    return add, rfe, imm


# The plain instructions an exception entry's `mrs Rd, spsr` may be moved
# over (fuse_exception_entries): ldr/str (word or byte) with an immediate
# offset, any indexing, unconditional; the encoding the assembler gave.
ENTRY_PLAIN = ('ldr', 'str', 'ldrb', 'strb')
ENTRY_SCAN = 8  # plain instructions looked at after an `stm ^`


def entry_plain_regs(word):
    """(Rn, Rt) of an unconditional A32 LDR/STR{B} (immediate) encoding
    (A8.8.63, 204, 68, 205), or None for anything else (a register
    offset, a literal load, a condition)."""
    if word is None or (word >> 28) != 14 or ((word >> 25) & 7) != 2:
        return None
    return (word >> 16) & 15, (word >> 12) & 15


def entry_candidates(statements):
    """The ldr/str statements fuse_exception_entries may look at (the few
    after each `stm ...^`): the assembler encodes them with the sites."""
    out, left = [], 0
    for st in statements:
        if LDM_STM.fullmatch(st.mnemonic) and st.mnemonic.startswith('stm') and \
                '^' in st.operands:
            left = ENTRY_SCAN
            continue
        if left and st.mnemonic in ENTRY_PLAIN and '\\' not in st.operands:
            out.append(st)
        left = left - 1 if left else 0
    return out


def fuse_exception_entries(statements, sites, plain):
    """`stm Rn, {...}^`, loads and stores, `mrs Rd, spsr` (the save at a
    native exception entry, arch/native's save_ctx): one call (op
    STM_USR_MRS) instead of two, the mrs moved up to the stm. Only when
    every statement is unlabelled, unconditional ARM code, the ones
    between are ldr/str{b} with an immediate offset (plain: id -> their
    encoding) none of which names Rd or pc, and the mrs is no inline-stub
    case: then nothing can branch in between, the loads and stores (which
    run as they are, after the call) neither read nor write Rd, and none
    of them can change the mode or an SPSR, so reading the SPSR before them
    gives what it gives after them. The mrs's place becomes a nop. Returns
    (sites, {id(stm statement): (mrs statement, the statements between)})."""
    by_id = {id(st): d for (st, d) in sites}
    pos = {id(st): i for (i, st) in enumerate(statements)}
    fused, dropped, out = {}, set(), []

    def plain_ok(s):
        return s.isa == 'arm' and s.it is None and not s.has_labels

    for st, d in sites:
        if id(st) in dropped:
            continue
        if d.op == 'STM_USR' and d.cond == 14 and st.isa == 'arm' and st.it is None:
            between, j = [], pos[id(st)] + 1
            while j < len(statements) and len(between) <= ENTRY_SCAN:
                s = statements[j]
                dm = by_id.get(id(s))
                if dm is not None:
                    rd = (dm.fields >> 12) & 15
                    if (dm.op == 'MRS' and (dm.fields >> 22) & 1 and dm.cond == 14 and
                            plain_ok(s) and s.lineno != st.lineno and rd != 15 and
                            all(rd not in entry_plain_regs(plain[id(b)]) for b in between)):
                        d = encoding.rewrite('ldm-stm-user', 'STM_USR_MRS', d.fields,
                                             d.what + ', then ' + dm.what + ' (one call)',
                                             imm=rd)
                        fused[id(st)] = (s, between)
                        dropped.add(id(s))
                    break
                regs = entry_plain_regs(plain.get(id(s)))
                if regs is None or not plain_ok(s) or 15 in regs:
                    break
                between.append(s)
                j += 1
        out.append((st, d))
    return out, fused


# --- inline stubs (contract.py): no call, where ip and the flags are dead ----------

RETURN_POP = re.compile(r'(?:pop|ldm(?:fd|ia)?)$')
RETURN_LIST = re.compile(r'(?:sp!\s*,\s*)?\{[^}]*\b(?:pc|r15)\s*\}$', re.I)


def returns_at_once(statements, start):
    """True if the first instruction from statements[start] on is an
    unconditional ARM return: `bx lr`, or `pop`/`ldm sp!` of a list with
    pc. Labels and the directives that emit nothing (`.loc`, `.cfi_*`,
    `.syntax`, `.arm`: what gcc puts after inline assembly) may come
    between; anything else (another instruction, any other directive, a
    macro body) is no proof. At such a return
    ip and the flags are dead (AAPCS: neither is preserved across a call nor
    carries a result), so an inline stub may use them."""
    for st in statements[start:]:
        mn = st.mnemonic
        if not mn or mn in ('.loc', '.syntax', '.arm') or mn.startswith('.cfi_'):
            continue
        if st.in_macro or st.isa != 'arm':
            return False
        ops = ' '.join(st.operands.split()).lower()
        if mn == 'bx':
            return ops in ('lr', 'r14')
        if RETURN_POP.match(mn):
            return bool(RETURN_LIST.match(ops)) and (mn == 'pop' or ops.startswith('sp!'))
        return False
    return False


CPSIE_I_FIELDS = (2 << 18) | (1 << 7)


def inline_kind(statements, index, st, d, fused_with=None):
    """'cpsie' or 'mrs_cpsid' if the site may be an inline stub, else None:
    unconditional ARM code outside macro bodies, returning at once after it
    (after its fused cpsid), mrs into a register other than ip, sp and pc."""
    if st.isa != 'arm' or d.cond != 14 or st.in_macro:
        return None
    after = index + 1
    if fused_with is not None:
        after = next(i for i in range(index, len(statements))
                     if statements[i] is fused_with) + 1
    if not returns_at_once(statements, after):
        return None
    if d.op == 'CPS' and d.fields == CPSIE_I_FIELDS:
        return 'cpsie'
    if d.op == 'MRS_CPSID' and ((d.fields >> 12) & 15) not in (12, 13, 15):
        return 'mrs_cpsid'
    return None


def istub_text(kind, d, labels):
    """The inline stub (after the site's branch): see contract.py. cpsie:
    r0 parked in TPIDRURW, the enable word set, then pending and poke
    looked at: if either is non-zero the ordinary stub (labels[3]) runs
    the call as before (it parks r0 again). mrs_cpsid: Rd and ip only; the
    old enable word is kept in TPIDRURW while the virtual CPSR is built as
    previrt_fast_mrs does (enter.S), after the masking store."""
    stub_label, ret_label = labels[0], labels[1]
    a = contract.AREA_SYMBOL
    area = lambda r: ['ldr %s, =%s' % (r, a)]  # from the stub's own literal pool
    parts = ['.pushsection %s, "ax", %%progbits' % contract.ISTUB_SECTION, '.syntax unified',
             '.arm', '.balign %d' % contract.ISTUB_BYTES]
    if kind == 'cpsie':
        body = (['mcr p15, 0, r0, c13, c0, 2'] + area('r0') +
                ['ldr ip, [r0, #%d]' % contract.AREA_IRQ_ENABLE, 'mov r0, #1', 'str r0, [ip]'] +
                area('r0') +
                ['ldr ip, [r0, #%d]' % contract.AREA_IRQ_PENDING, 'ldr ip, [ip]',
                 'ldr r0, [r0, #%d]' % contract.AREA_IRQ_POKE, 'ldr r0, [r0]',
                 'orrs ip, ip, r0', 'mrc p15, 0, r0, c13, c0, 2',
                 'beq %db' % ret_label, 'b %df' % labels[3]])
    else:
        rd = 'r%d' % ((d.fields >> 12) & 15)
        body = (area('ip') +
                ['ldr %s, [ip, #%d]' % (rd, contract.AREA_IRQ_ENABLE), 'ldr ip, [%s]' % rd,
                 'mcr p15, 0, ip, c13, c0, 2', 'mov ip, #0', 'str ip, [%s]' % rd,
                 'mrs %s, apsr' % rd, 'and ip, %s, #0x000f0000' % rd,
                 'and %s, %s, #0xf8000000' % (rd, rd), 'orr %s, %s, ip' % (rd, rd)] +
                area('ip') +
                ['ldr ip, [ip, #%d]' % contract.AREA_VCPSR, 'bic ip, ip, #0xa0',
                 'orr %s, %s, ip' % (rd, rd), 'mrc p15, 0, ip, c13, c0, 2', 'eor ip, ip, #1',
                 'orr %s, %s, ip, lsl #7' % (rd, rd), 'b %df' % ret_label])
    assert (len(body) + 1) * 4 <= contract.ISTUB_BYTES
    body[0] = '%d: %s' % (stub_label, body[0])
    return parts + body + ['.ltorg', '.popsection']


def site_text(d, st, labels, ret_after=False, inline=None):
    """ret_after: the return label is not placed after the branch (the
    caller places it further on, after a fused partner). inline: the
    inline stub's kind (inline_kind), whose ordinary stub is labels[3]."""
    stub_label, ret_label, fallback_label = labels[:3]
    cond = encoding.COND[d.cond]
    desc = contract.desc(d.op, d.fields)
    area, entry = contract.AREA_SYMBOL, contract.ENTRY_SYMBOL
    lr_off = contract.CTX_LR * 4
    if st.isa == 'arm':
        branch = 'b%s %df' % (cond, stub_label)
        save_lr, call = 'str lr, [r0, #%d]' % lr_off, 'bl %s' % entry
        ret = '%d%s' % (ret_label, 'f' if ret_after else 'b')
    else:
        branch = 'b%s.w %df' % (cond, stub_label)
        save_lr, call = 'str.w lr, [r0, #%d]' % lr_off, 'blx %s' % entry
        ret = '%db + 1' % ret_label
    parts = [branch] + ([] if ret_after else ['%d:' % ret_label])
    if inline == 'mrs_cpsid':
        return ' ; '.join(parts + istub_text(inline, d, labels) + ['.syntax %s' % st.syntax])
    if inline == 'cpsie':
        parts += istub_text(inline, d, labels)
        stub_label = labels[3]
    parts += ['.pushsection %s, "ax", %%progbits' % contract.STUB_SECTION,
              '.syntax unified', '.balign %d' % contract.STUB_BYTES,
              '%d: mcr p15, 0, r0, c13, c0, 2' % stub_label,
              'movw r0, #:lower16:%s' % area, 'movt r0, #:upper16:%s' % area,
              save_lr, call]
    if d.op in ('MEM', 'MEM_EXTRA'):
        # IMM: the fallback, the original instruction as ordinary code (its
        # condition holds there: the site's branch was taken), then back.
        parts += ['.word 0x%08x, %s, %df' % (desc, ret, fallback_label), '.popsection',
                  '.pushsection %s, "ax", %%progbits' % contract.FALLBACK_SECTION,
                  '.syntax %s' % st.syntax, '.balign 4',
                  '%d: %s' % (fallback_label, st.body), 'b %db' % ret_label]
    else:
        parts.append('.word 0x%08x, %s, 0x%x' % (desc, ret, d.imm))
    parts += ['.popsection', '.syntax %s' % st.syntax]
    return ' ; '.join(parts)


def describe(d, inline=None):
    cond = encoding.COND[d.cond]
    if inline:
        return 'b%s istub: inline %s (%s; ip and the flags dead at the return)' % (
            cond, d.op, d.what)
    return 'b%s stub: %s %s (%s)' % (cond, contract.ENTRY_SYMBOL, d.op, d.what)


# --- the pass ---------------------------------------------------------------------

def rewrite(text, name, options):
    lines = text.split('\n')
    if any(INCLUDE.match(l) for l in lines):
        lines = expand_includes(lines, name, options.include_dirs)
    scanner = asmtext.Scanner(lines, name, isa=options.isa)
    statements = scanner.scan()
    notes, edits = [], {}

    def edit(st, new):
        edits.setdefault(st.lineno, []).append((st.labels_end, st.end, new))

    cands = [st for st in statements if is_candidate(st) and st.mnemonic not in scanner.macros]
    todo = []
    for st in cands:
        if st.in_macro and '\\' in st.operands:
            notes.append(Note(st.src, 'error', st.body, 'its operands name macro arguments, '
                              'which the rewriter cannot resolve; give the macro concrete '
                              'operands or expand it by hand'))
        else:
            todo.append(st)
    mem = {id(st): (v, dev) for (st, v, dev) in memsite.find_sites(statements, options.devices)}
    todo += [st for st in statements if id(st) in mem]
    entry_plain = [st for st in entry_candidates(statements) if id(st) not in mem]
    plain_ids = {id(st) for st in entry_plain}
    todo += entry_plain
    encoded = batch.assemble(options.assembler, options.flags, scanner.definitions,
                             [(st.isa, st.syntax, st.arch, st.body) for st in todo]) if todo else []
    sites, split_blocks, plain = [], set(), {}
    for st, (data, err) in zip(todo, encoded):
        if id(st) in plain_ids:
            plain[id(st)] = int.from_bytes(data, 'little') if data and len(data) == 4 else None
            continue
        if data is None and id(st) in mem:
            continue  # not ours to judge: the real assembler reports it in place
        if data is None:
            notes.append(Note(st.src, 'error', st.body, 'the assembler cannot encode it on its '
                              'own (%s)' % err))
            continue
        if INST.fullmatch(st.mnemonic):
            d = decode_inst(data, st.isa == 'thumb')
            if d.action != 'none':
                notes.append(Note(st.src, 'error', st.body, 'a sensitive instruction (%s) '
                                  'spelt as .inst; write it as an instruction' % d.cls))
            continue
        if id(st) in mem:
            d = memsite.decode(int.from_bytes(data, 'little'), *mem[id(st)]) \
                if len(data) == 4 else encoding.none()
        else:
            d = encoding.decode(data, st.isa == 'thumb')
        if d.action == 'rewrite' and d.op == 'SVC' and not options.svc:
            continue
        if d.action == 'refuse':
            notes.append(Note(st.src, 'error', st.body, d.reason))
        elif d.action == 'trap':
            notes.append(Note(st.src, 'trap', st.body, d.what))
        elif d.action == 'rewrite':
            problem = thumb_site_problem(st, d)
            if problem:
                notes.append(Note(st.src, 'error', st.body, problem))
                continue
            if st.it is not None:
                split_blocks.add(st.it)
            sites.append((st, d))
    if any(n.kind == 'error' for n in notes):
        return Result(None, sorted(notes, key=note_order))
    sites, fused = fuse_critical_entries(statements, sites)
    sites, resumes = fuse_context_resumes(statements, sites)
    sites, entries = fuse_exception_entries(statements, sites, plain)
    labels = free_labels(text)
    site_set = {id(st) for (st, _) in sites}
    for block in split_blocks:
        edit(block.stmt, '')
        for member, cond in zip(block.members, block.conds):
            if id(member) not in site_set:
                edit(member, 'it %s ; %s' % (cond, member.body))
    index = {id(st): i for (i, st) in enumerate(statements)}
    # The rfe of a fused resume is never reached (the call leaves through
    # pc, and nothing can branch to it): no stub, an undefined instruction
    # in its place, which faults loudly if the rewriter were ever wrong.
    dead_rfes = {id(rfe) for (_, rfe) in resumes.values()}
    for st, d in sites:
        if id(st) in dead_rfes:
            edit(st, 'udf #0')
            continue
        inline = inline_kind(statements, index[id(st)], st, d, fused.get(id(st))) \
            if options.inline else None
        if id(st) in fused:
            nop = fused[id(st)]
            edit(st, site_text(d, st, labels, ret_after=True, inline=inline))
            edit(nop, 'nop ; %d:' % labels[1])
            notes.append(Note(st.src, 'rewrote', st.body + ' ; ' + nop.body,
                              describe(d, inline)))
            continue
        edit(st, site_text(d, st, labels, inline=inline))
        body = st.body
        if id(st) in resumes:
            body += ' ; ' + ' ; '.join(s.body for s in resumes[id(st)])
        if id(st) in entries:
            mrs, between = entries[id(st)]
            edit(mrs, 'nop')
            body += ''.join(' ; ' + s.body for s in between + [mrs])
        notes.append(Note(st.src, 'rewrote', body, describe(d, inline)))
    out = list(lines)
    for lineno, changes in edits.items():
        line = out[lineno - 1]
        for (s, e, new) in sorted(changes, reverse=True):
            before = ' ' if s and not line[s - 1].isspace() else ''
            after = ' ' if e < len(line) and not line[e].isspace() and new else ''
            line = line[:s] + before + new + after + line[e:]
        out[lineno - 1] = line
    return Result('\n'.join(out), sorted(notes, key=note_order))


def note_order(n):
    return (str(n.src[0]), n.src[1] if isinstance(n.src[1], int) else 0)


def thumb_site_problem(st, d):
    if st.isa != 'thumb' or st.it is None:
        return None
    block = st.it
    if block.opaque or not block.full():
        return 'it is in an IT block the rewriter cannot follow (labels, directives or macro ' \
               'invocations inside it)'
    slot = block.conds[block.members.index(st)]
    if encoding.COND[d.cond] != slot and not (slot == 'al' and d.cond == 14):
        return 'its condition does not match its slot in the IT block'
    return None


def decode_inst(data, thumb):
    """Decode every instruction of a .inst directive; the first sensitive one wins."""
    i = 0
    while i < len(data):
        if thumb:
            n = 4 if encoding.is_thumb_wide(int.from_bytes(data[i:i + 2], 'little')) else 2
        else:
            n = 4
        d = encoding.decode(data[i:i + n], thumb)
        if d.action != 'none':
            return d
        i += n
    return encoding.none()
