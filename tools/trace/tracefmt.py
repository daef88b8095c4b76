# SPDX-License-Identifier: BSD-2-Clause
"""The kernel trace's record format and names, read from their one
description each: the record kinds and layout from kernel/include/trace.h,
system call numbers, object types, vCPU causes and user event ids from
libl4/abi.def (through tools/abigen's parser). Shared by tools/trace/trace.py
(console dumps to Chrome trace JSON) and tools/gdb/l4gdb.py (`l4 trace`),
so no table here can drift from the kernel.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TRACE_H = os.path.join(ROOT, 'kernel', 'include', 'trace.h')
ABI_DEF = os.path.join(ROOT, 'libl4', 'abi.def')

sys.path.insert(0, os.path.join(ROOT, 'tools', 'abigen'))
import abigen  # noqa: E402

DEFINE = re.compile(r'^#define (TRACE_[A-Z0-9_]+) (\d+)\s*(?:/\*\s*(.*?)\s*(?:\*/)?)?$')
HEADER_DEFINE = re.compile(r'^#define ([A-Z][A-Z0-9_]*) (\d+|0x[0-9a-fA-F]+|BIT\(\d+\))u?(?:\s|$)')


def header_constants(path, prefix):
    """name -> value of the `#define PREFIX...` number constants (decimal,
    hex or BIT(n)) in the header at path (relative to the tree's root)."""
    out = {}
    for line in open(os.path.join(ROOT, path)):
        m = HEADER_DEFINE.match(line.strip())
        if m and m.group(1).startswith(prefix):
            v = m.group(2)
            out[m.group(1)] = 1 << int(v[4:-1]) if v.startswith('BIT(') else int(v, 0)
    return out


class Format:
    """Names and numbers of the trace format."""

    def __init__(self, trace_h=TRACE_H, abi_def=ABI_DEF):
        self.kinds, self.entry_reasons, self.consts, self.kind_doc = {}, {}, {}, {}
        self.syscall_details, self.recv_details = {}, {}
        for line in open(trace_h):
            m = DEFINE.match(line.strip())
            if not m:
                continue
            name, value, doc = m.group(1), int(m.group(2)), m.group(3) or ''
            self.consts[name] = value
            if name.startswith('TRACE_ENTRY_'):
                self.entry_reasons[value] = name[len('TRACE_ENTRY_'):].lower()
            elif name.startswith('TRACE_SYSCALL_'):
                self.syscall_details[value] = name[len('TRACE_SYSCALL_'):].lower()
            elif name.startswith('TRACE_RECV_'):
                self.recv_details[value] = name[len('TRACE_RECV_'):].lower()
            elif name in ('TRACE_KIND_BITS', 'TRACE_RING_BITS', 'TRACE_EVENT_WORDS'):
                pass
            else:
                kind = name[len('TRACE_'):].lower()
                self.kinds[value] = kind
                self.kind_doc[kind] = doc
        self.kind_bits = self.consts['TRACE_KIND_BITS']
        self.words = self.consts['TRACE_EVENT_WORDS']
        self.kind_number = {v: k for k, v in self.kinds.items()}
        items = abigen.parse(abi_def)
        self.syscalls = {int(n): name.lower() for n, name, _ in items['syscall']}
        self.objects = {int(n): name.lower() for n, name, _, _ in items['object']}
        abi = {name: int(v, 0) for name, v, _ in items['const']}
        self.abi = abi
        self.vcpu_causes = {v: n[len('VCPU_CAUSE_'):].lower() for n, v in abi.items()
                            if n.startswith('VCPU_CAUSE_')}
        self.user_events = {v: n[len('TRACE_EV_'):].lower() for n, v in abi.items()
                            if n.startswith('TRACE_EV_')}
        self.faults = {v: n[len('FAULT_'):].lower() for n, v in abi.items()
                       if n.startswith('FAULT_') and not n.startswith('FAULT_REPLY')}

    def kind_of(self, word):
        """(kind name, detail) of a record's kind word."""
        return (self.kinds.get(word & ((1 << self.kind_bits) - 1), 'unknown'),
                word >> self.kind_bits)

    def syscall_name(self, n):
        return self.syscalls.get(n, 'syscall_%d' % n)


class Record:
    __slots__ = ('time', 'thread', 'kind', 'detail', 'a', 'b', 'c', 'd', 'seq', 'raw_time')

    def __init__(self, fmt, words):
        (self.raw_time, self.thread, kind, self.a, self.b, self.c, self.d, self.seq) = words
        self.kind, self.detail = fmt.kind_of(kind)
        self.time = self.raw_time

    def __repr__(self):
        return 'Record(%d %s/%d thread=%08x %08x %08x %08x %08x #%d)' % (
            self.time, self.kind, self.detail, self.thread, self.a, self.b, self.c, self.d, self.seq)


def unwrap(records):
    """Make the 32-bit timestamps monotonic (PMCCNTR wraps at 2^32;
    consecutive records are never that far apart, trace.h)."""
    base, prev = 0, None
    for r in records:
        if prev is not None and r.raw_time < prev:
            base += 1 << 32
        prev = r.raw_time
        r.time = base + r.raw_time
    return records


def name_words(words):
    """The name a TRACE_NAME or TRACE_EV_TASK record carries in its words."""
    raw = b''.join(w.to_bytes(4, 'little') for w in words)
    return raw.split(b'\0', 1)[0].decode('ascii', 'replace')


def describe(fmt, r, names=None):
    """One line for a record (the debugger's and gdb's form)."""
    names = names or {}

    def who(addr):
        if not addr:
            return '-'
        return names.get(addr) or '%08x' % addr
    k = r.kind
    if k == 'syscall':
        s = '%s cptr=%x info=%x%s' % (fmt.syscall_name(r.a), r.b, r.c,
                                      ' (%s)' % fmt.syscall_details.get(r.detail, r.detail)
                                      if r.detail else '')
    elif k == 'entry':
        s = '%s pc=%08x' % (fmt.entry_reasons.get(r.detail, str(r.detail)), r.a)
    elif k == 'exit':
        s = 'r0=%x pc=%08x' % (r.a, r.b)
    elif k == 'switch':
        s = 'to %s' % (who(r.a) if r.a else 'idle')
    elif k == 'ipc_recv' and r.detail:
        s = '%s=%08x bits=%x (%s)' % ('ep' if r.c else 'ntfn', r.a, r.b,
                                      fmt.recv_details.get(r.detail, r.detail))
    elif k in ('ipc_send', 'ipc_recv'):
        s = 'ep=%08x badge=%x label=%x %s %s' % (r.a, r.b, r.c >> 12,
                                                  'to' if k == 'ipc_send' else 'from',
                                                  who(r.d) if r.d else '(blocks)')
    elif k == 'ipc_reply':
        s = 'to %s label=%x' % (who(r.a), r.b >> 12)
    elif k == 'signal':
        s = 'ntfn=%08x bits=%x %s%s' % (r.a, r.b, 'wakes ' + who(r.c) if r.c else 'pending',
                                        ' (vcpu)' if r.d else '')
    elif k == 'irq':
        s = 'intid %d ntfn=%08x badge=%x' % (r.a, r.b, r.c)
    elif k == 'upcall':
        s = '%s addr=%08x from_%s pc=%08x' % (fmt.vcpu_causes.get(r.a, str(r.a)), r.b,
                                              'user' if r.c else 'kernel', r.d)
    elif k == 'resume':
        s = '%s pc=%08x' % ('user' if r.a == fmt.abi.get('VCPU_RESUME_USER') else 'kernel', r.b)
    elif k == 'fault':
        s = '%s pc=%08x addr=%08x status=%x %s' % (fmt.faults.get(r.detail, str(r.detail)), r.a,
                                                   r.b, r.c, 'to handler' if r.d else 'stopped')
    elif k == 'create':
        s = '%d x %s at %08x' % (r.c, fmt.objects.get(r.a, str(r.a)), r.b)
    elif k == 'delete':
        s = '%s at %08x' % (fmt.objects.get(r.a, str(r.a)), r.b)
    elif k == 'name':
        s = "'%s'" % name_words([r.a, r.b, r.c, r.d])
    elif k == 'user':
        ev = fmt.user_events.get(r.detail, 'event_%d' % r.detail)
        if ev == 'task':
            s = "task %x '%s'" % (r.a, name_words([r.b, r.c, r.d]))
        else:
            s = '%s %x %x %x %x' % (ev, r.a, r.b, r.c, r.d)
    else:
        s = '%x %x %x %x' % (r.a, r.b, r.c, r.d)
    return '#%-7d %12d %-16s %-10s %s' % (r.seq, r.time, who(r.thread)[:16], k, s)
