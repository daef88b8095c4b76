#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The kernel event trace as a Chrome trace-event file (Perfetto,
chrome://tracing) and a text summary (docs/observability.md).

  trace.py run IMAGE --json OUT.json [--summary OUT.txt] [--timeout S] [--log LOG]
              [--disk FILE]
      boot IMAGE (a trace-configuration kernel) under -icount, collect the
      ring the kernel writes to the console at shutdown, write both files;
      the exit status is the system's (a missing or cut dump is status 1)
  trace.py convert LOG --json OUT.json [--summary OUT.txt]
      the same from a saved console log

Timestamps are instructions (PMCCNTR under -icount shift=0, one per
instruction, idle time in virtual nanoseconds): the JSON's microseconds
are thousands of instructions, so Perfetto's "ns" read as instructions.
"""
import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tracefmt  # noqa: E402

LINE = re.compile(r'\[trace\] (begin|thread|e|end)\b ?(.*)$')
KERNEL_PID, KERNEL_TID = 1, 1
EXITED_PID = 2


class Dump:
    """What one `[trace] begin` .. `[trace] end` dump holds."""

    def __init__(self):
        self.threads = {}  # tcb -> dict(prio, vcpu, asid, name)
        self.records = []
        self.stored = self.total = self.ring = 0
        self.complete = False
        self.problems = []


def parse(lines, fmt):
    """The last dump in `lines` (a console log), or None. Malformed lines
    are skipped and reported; the records must number consecutively."""
    dump = None
    for line in lines:
        m = LINE.search(line)
        if not m:
            continue
        what, rest = m.group(1), m.group(2).split()
        try:
            if what == 'begin':
                dump = Dump()
                dump.stored, dump.total, dump.ring, words = (int(x) for x in rest[:4])
                if words != fmt.words:
                    dump.problems.append('records of %d words, expected %d' % (words, fmt.words))
            elif dump is None:
                continue
            elif what == 'thread':
                tcb = int(rest[0], 16)
                name = m.group(2).split(None, 4)[4] if len(rest) > 4 else ''
                dump.threads[tcb] = dict(prio=int(rest[1]), vcpu=rest[2] == '1',
                                         asid=int(rest[3]), name=name.strip())
            elif what == 'e':
                words = [int(x, 16) for x in rest]
                if len(words) != fmt.words:
                    raise ValueError('record of %d words' % len(words))
                dump.records.append(tracefmt.Record(fmt, words))
            elif what == 'end':
                dump.complete = int(rest[0]) == dump.total
        except (ValueError, IndexError) as e:
            if dump is not None:
                dump.problems.append('bad line %r: %s' % (line[:80], e))
    if dump is None:
        return None
    seqs = [r.seq for r in dump.records]
    if seqs != list(range(dump.total - len(seqs), dump.total)):
        dump.problems.append('records do not number %d..%d in order'
                             % (dump.total - len(seqs), dump.total - 1))
    if len(dump.records) != dump.stored:
        dump.problems.append('%d records of %d announced' % (len(dump.records), dump.stored))
    tracefmt.unwrap(dump.records)
    return dump


class Exporter:
    """Chrome trace events from a dump: one track per thread (grouped in a
    process per address space, each vCPU thread a process of its own with
    its guest's tasks beside it), kernel and user slices, instants for
    every record, flows for IPC and interrupts."""

    def __init__(self, fmt, dump, title):
        self.fmt, self.dump, self.title = fmt, dump, title
        self.events = []
        self.gen = {}        # tcb -> generation (bumped when the TCB is destroyed)
        self.tids = {}       # (tcb, gen) -> tid
        self.names = {}      # (tcb, gen) -> last name known
        self.pids = {}       # tid -> pid
        self.vcpus = set()   # (tcb, gen) of vCPU threads
        self.next_tid = 16
        self.flow_id = 0
        self.open_user = {}  # key -> start
        self.kernel = None   # (key or None, start, name): the kernel's current activity
        self.idle = None
        self.flows_to = {}   # key -> [flow id] ending at its next return to user
        self.blocked_send = {}  # (sender key, ep) -> time
        self.irq_flow = None    # the interrupt whose signals follow
        self.tasks = {}      # vcpu key -> (task tid, start, name)
        self.pending_call = {}  # key -> the system call it entered last, until it returns
        self.task_tids = {}
        self.stats = dict(user={}, kernel={}, syscalls={}, thread_syscalls={}, irqs={},
                          upcalls={}, user_events={}, faults={}, idle=0, vtimers={},
                          fastpath={})

    # --- identities ---------------------------------------------------------------
    def key(self, tcb):
        return (tcb, self.gen.get(tcb, 0)) if tcb else None

    def tid(self, key):
        if key is None:
            return KERNEL_TID
        if key not in self.tids:
            self.tids[key] = self.next_tid
            self.next_tid += 1
        return self.tids[key]

    def label(self, key):
        if key is None:
            return 'kernel'
        return self.names.get(key) or 'tcb %08x' % key[0]

    def track(self, key):
        t = self.tid(key)
        return {'pid': self.pids.get(t, EXITED_PID if key else KERNEL_PID), 'tid': t}

    @staticmethod
    def us(time):
        return time / 1000.0

    # --- output ---------------------------------------------------------------------
    def slice(self, key, name, start, end, cat='thread', args=None, track=None):
        if end < start:
            return
        e = dict(track or self.track(key), ph='X', name=name, cat=cat, ts=self.us(start),
                 dur=self.us(end - start))
        if args:
            e['args'] = args
        self.events.append(e)

    def instant(self, key, name, time, args, cat='event'):
        self.events.append(dict(self.track(key), ph='i', s='t', name=name, cat=cat,
                                ts=self.us(time), args=args))

    def flow_start(self, key, name, time, cat):
        self.flow_id += 1
        self.events.append(dict(self.track(key), ph='s', id=self.flow_id, name=name, cat=cat,
                                ts=self.us(time)))
        return (self.flow_id, name, cat)

    def flow_end(self, key, flow, time):
        fid, name, cat = flow
        self.events.append(dict(self.track(key), ph='f', bp='e', id=fid, name=name, cat=cat,
                                ts=self.us(time)))

    def add(self, table, key, amount=1):
        table[key] = table.get(key, 0) + amount

    # --- the passes -----------------------------------------------------------------
    def names_and_generations(self):
        """First pass: thread generations, names, vCPU threads."""
        tcb_type = [n for n, v in self.fmt.objects.items() if v == 'tcb'][0]
        gen = {}
        for r in self.dump.records:
            if r.kind == 'name':
                self.names[(r.thread, gen.get(r.thread, 0))] = tracefmt.name_words([r.a, r.b, r.c, r.d])
            elif r.kind == 'delete' and r.a == tcb_type:
                gen[r.b] = gen.get(r.b, 0) + 1
            elif r.kind in ('upcall', 'resume') and r.thread:
                self.vcpus.add((r.thread, gen.get(r.thread, 0)))
        for tcb, info in self.dump.threads.items():
            key = (tcb, gen.get(tcb, 0))
            if info['name']:
                self.names[key] = info['name']
            if info['vcpu']:
                self.vcpus.add(key)
        self.final_gen = gen

    def processes(self):
        """pids: one per address space of the live threads, one per vCPU
        thread (its guest), the kernel, and one for threads gone before the
        dump."""
        meta = [dict(ph='M', name='process_name', pid=KERNEL_PID, tid=0, args={'name': 'kernel'}),
                dict(ph='M', name='thread_name', pid=KERNEL_PID, tid=KERNEL_TID,
                     args={'name': 'kernel: idle and interrupts'}),
                dict(ph='M', name='process_name', pid=EXITED_PID, tid=0,
                     args={'name': 'threads gone before the dump'})]
        by_asid, next_pid = {}, 10
        for tcb, info in sorted(self.dump.threads.items()):
            key = (tcb, self.final_gen.get(tcb, 0))
            tid = self.tid(key)
            if key in self.vcpus:
                pid, pname = next_pid, 'guest %s (vCPU)' % self.label(key)
                next_pid += 1
            else:
                if info['asid'] not in by_asid:
                    by_asid[info['asid']] = (next_pid, self.label(key))
                    next_pid += 1
                pid, first = by_asid[info['asid']]
                pname = '%s (asid %d)' % (first, info['asid'])
            self.pids[tid] = pid
            meta.append(dict(ph='M', name='process_name', pid=pid, tid=0, args={'name': pname}))
        self.meta = meta

    def close_kernel(self, time):
        if self.kernel:
            key, start, name = self.kernel
            self.slice(key, name, start, time, cat='kernel')
            self.add(self.stats['kernel'], key, time - start)
            self.kernel = None

    def close_user(self, key, time):
        start = self.open_user.pop(key, None)
        if start is not None:
            self.slice(key, 'user', start, time, cat='user')
            self.add(self.stats['user'], key, time - start)

    def record(self, r):
        f, t = self.fmt, r.time
        key = self.key(r.thread)
        k = r.kind
        args = {'seq': r.seq}
        if k in ('syscall', 'entry'):
            self.close_user(key, t)
            self.close_kernel(t)
            if self.idle is not None:  # (an entry ends no idle: exits do; be safe)
                self.slice(None, 'idle', self.idle, t, cat='idle')
                self.stats['idle'] += t - self.idle
                self.idle = None
            if k == 'syscall':
                name = f.syscall_name(r.a)
                self.add(self.stats['syscalls'], name)
                self.add(self.stats['thread_syscalls'], key)
                if r.detail:
                    self.add(self.stats['fastpath'], name)
                self.kernel = (key, t, 'syscall ' + name)
                self.pending_call[key] = name
            else:
                self.kernel = (key, t, f.entry_reasons.get(r.detail, 'entry'))
            self.irq_flow = None
        elif k == 'exit':
            self.close_kernel(t)
            if self.idle is not None:
                self.slice(None, 'idle', self.idle, t, cat='idle')
                self.stats['idle'] += t - self.idle
                self.idle = None
            self.close_user(key, t)
            self.open_user[key] = t
            call = self.pending_call.pop(key, None)
            if call:  # its system call returns now (it may have blocked meanwhile)
                self.instant(key, 'return from ' + call, t, dict(args, result=r.a), 'syscall')
            for flow in self.flows_to.pop(key, []):
                self.flow_end(key, flow, t)
            self.irq_flow = None
        elif k == 'switch':
            if not r.a:
                self.close_kernel(t)
                if self.idle is None:
                    self.idle = t
        elif k == 'ipc_send':
            to = self.key(r.d)
            self.instant(key, 'send', t, dict(args, ep='%08x' % r.a, badge=r.b, label=r.c >> 12,
                                               to=self.label(to) if to else '(blocks)'), 'ipc')
            if to:
                self.flows_to.setdefault(to, []).append(self.flow_start(key, 'ipc', t, 'ipc'))
            else:
                self.blocked_send[(key, r.a)] = t
        elif k == 'ipc_recv' and r.detail:
            self.instant(key, 'receive signal', t, dict(args, obj='%08x' % r.a, bits=r.b), 'ipc')
        elif k == 'ipc_recv':
            frm = self.key(r.d)
            self.instant(key, 'receive', t, dict(args, ep='%08x' % r.a, badge=r.b,
                                                  frm=self.label(frm) if frm else '(blocks)'), 'ipc')
            if frm:
                start = self.blocked_send.pop((frm, r.a), t)
                self.flows_to.setdefault(key, []).append(self.flow_start(frm, 'ipc', start, 'ipc'))
        elif k == 'ipc_reply':
            to = self.key(r.a)
            self.instant(key, 'reply', t, dict(args, to=self.label(to), label=r.b >> 12), 'ipc')
            self.flows_to.setdefault(to, []).append(self.flow_start(key, 'reply', t, 'ipc'))
        elif k == 'irq':
            self.add(self.stats['irqs'], r.a)
            self.instant(None, 'irq %d' % r.a, t, dict(args, intid=r.a, ntfn='%08x' % r.b,
                                                       badge=r.c), 'irq')
            self.irq_flow = (t, r.a)
        elif k == 'vtimer':
            # a vCPU timer expired (in a timer interrupt, or at once when set):
            # on the vCPU thread's track; its signal, if any, follows
            self.add(self.stats['vtimers'], 'timer %d line %d' % (r.a, r.b))
            self.instant(key, 'vtimer %d' % r.a, t,
                         dict(args, timer=r.a, line=r.b, deadline=r.c | (r.d << 32)), 'irq')
        elif k == 'signal':
            woken = self.key(r.c)
            self.instant(key, 'signal', t, dict(args, ntfn='%08x' % r.a, bits=r.b,
                                                 woken=self.label(woken) if woken else '-',
                                                 vcpu=bool(r.d)), 'signal')
            if woken:
                if self.irq_flow:
                    flow = self.flow_start(None, 'irq %d' % self.irq_flow[1], t, 'irq')
                else:
                    flow = self.flow_start(key, 'signal', t, 'signal')
                self.flows_to.setdefault(woken, []).append(flow)
        elif k == 'upcall':
            cause = f.vcpu_causes.get(r.a, str(r.a))
            if cause == 'syscall' and self.kernel and self.kernel[0] == key and \
                    key in self.pending_call:
                # a guest user's svc: the guest kernel's business, not the microkernel's
                name = self.pending_call.pop(key)
                self.add(self.stats['syscalls'], name, -1)
                self.add(self.stats['syscalls'], 'guest syscall (upcall)')
                self.kernel = (key, self.kernel[1], 'guest syscall (upcall)')
            elif key in self.pending_call:
                self.pending_call.pop(key)  # the upcall replaces the interrupted context
            self.add(self.stats['upcalls'], cause)
            self.instant(key, 'upcall ' + cause, t, dict(args, addr='%08x' % r.b,
                                                         from_user=bool(r.c), pc='%08x' % r.d),
                         'vcpu')
        elif k == 'resume':
            mode = 'user' if r.a == f.abi.get('VCPU_RESUME_USER') else 'kernel'
            self.instant(key, 'resume ' + mode, t, dict(args, pc='%08x' % r.b), 'vcpu')
        elif k == 'fault':
            kind = f.faults.get(r.detail, str(r.detail))
            self.add(self.stats['faults'], kind)
            self.instant(key, 'fault ' + kind, t, dict(args, pc='%08x' % r.a, addr='%08x' % r.b,
                                                      status=r.c, handled=bool(r.d)), 'fault')
        elif k in ('create', 'delete'):
            obj = f.objects.get(r.a, str(r.a))
            a = dict(args, object='%08x' % r.b)
            if k == 'create':
                a['count'] = r.c
            self.instant(key, '%s %s' % (k, obj), t, a, 'object')
            if k == 'delete' and obj == 'tcb':
                self.gen[r.b] = self.gen.get(r.b, 0) + 1
        elif k == 'user':
            ev = f.user_events.get(r.detail, 'event_%d' % r.detail)
            self.add(self.stats['user_events'], ev)
            if ev == 'task':
                self.guest_task(key, r, t)
            else:
                self.instant(key, ev, t, dict(args, a=r.a, b=r.b, c=r.c, d=r.d), 'user')

    def guest_task(self, vcpu, r, t):
        """A guest switched tasks (its port's trace point): the task's slice
        on its own track inside the guest's process."""
        name = tracefmt.name_words([r.b, r.c, r.d]) or 'task %x' % r.a
        prev = self.tasks.pop(vcpu, None)
        if prev:
            ttid, start, pname = prev
            self.slice(None, pname, start, t, cat='guest-task',
                       track={'pid': self.track(vcpu)['pid'], 'tid': ttid})
        tk = (vcpu, r.a)
        if tk not in self.task_tids:
            self.task_tids[tk] = self.next_tid
            self.next_tid += 1
            self.meta.append(dict(ph='M', name='thread_name', pid=self.track(vcpu)['pid'],
                                  tid=self.task_tids[tk], args={'name': 'task ' + name}))
        self.tasks[vcpu] = (self.task_tids[tk], t, name)

    def run(self):
        self.names_and_generations()
        self.processes()
        recs = self.dump.records
        for r in recs:
            self.record(r)
        end = recs[-1].time if recs else 0
        self.close_kernel(end)
        for key in list(self.open_user):
            self.close_user(key, end)
        for vcpu, (ttid, start, name) in self.tasks.items():
            self.slice(None, name, start, end, cat='guest-task',
                       track={'pid': self.track(vcpu)['pid'], 'tid': ttid})
        names = [dict(ph='M', name='thread_name', tid=tid, pid=self.pids.get(tid, EXITED_PID),
                      args={'name': self.label(key)}) for key, tid in self.tids.items()]
        return {'traceEvents': self.meta + names + self.events, 'displayTimeUnit': 'ns',
                'otherData': {'system': self.title, 'records': len(recs),
                              'records_total': self.dump.total,
                              'lost_to_the_ring': self.dump.total - len(recs),
                              'time_unit': 'instructions (1 us = 1000 instructions)'}}

    def summary(self):
        st, recs = self.stats, self.dump.records
        out = ['trace of %s: %d records (%d before them lost to the ring of %d)'
               % (self.title, len(recs), self.dump.total - len(recs), self.dump.ring)]
        if recs:
            out.append('instructions %d .. %d (%d)' % (recs[0].time, recs[-1].time,
                                                      recs[-1].time - recs[0].time))
        out.append('')
        out.append('%-24s %12s %12s %9s' % ('thread', 'user', 'kernel', 'syscalls'))
        keys = sorted(set(st['user']) | set(st['kernel']) | set(st['thread_syscalls']),
                      key=lambda k: (-(st['user'].get(k, 0) + st['kernel'].get(k, 0)), str(k)))
        for k in keys:
            out.append('%-24s %12d %12d %9d' % (self.label(k)[:24], st['user'].get(k, 0),
                                                st['kernel'].get(k, 0),
                                                st['thread_syscalls'].get(k, 0)))
        out.append('%-24s %12s %12d' % ('(idle)', '', st['idle']))
        for title, table in (('system calls by number', st['syscalls']),
                             ('of them carried by the IPC fastpath', st['fastpath']),
                             ('interrupts by line', st['irqs']),
                             ('upcalls by cause', st['upcalls']),
                             ('vCPU timer expiries', st['vtimers']),
                             ('faults by kind', st['faults']),
                             ('user trace points', st['user_events'])):
            out.append('')
            out.append(title + ':')
            if not table:
                out.append('  (none)')
            for name, n in sorted(table.items(), key=lambda kv: (-kv[1], str(kv[0]))):
                if n:
                    out.append('  %-22s %9d' % (name, n))
        if self.dump.problems:
            out.append('')
            out += ['problem: ' + p for p in self.dump.problems]
        return '\n'.join(out) + '\n'


def export(lines, title, json_out, summary_out):
    """Write the JSON and summary from a console log; returns (dump, problems)."""
    fmt = tracefmt.Format()
    dump = parse(lines, fmt)
    if dump is None:
        return None, ['no [trace] dump in the console output (a trace-configuration kernel?)']
    problems = list(dump.problems)
    if not dump.complete:
        problems.append('the dump is cut short (no matching [trace] end)')
    ex = Exporter(fmt, dump, title)
    data = ex.run()
    os.makedirs(os.path.dirname(os.path.abspath(json_out)), exist_ok=True)
    with open(json_out, 'w') as f:
        json.dump(data, f)
        f.write('\n')
    text = ex.summary()
    if summary_out:
        with open(summary_out, 'w') as f:
            f.write(text)
    return dump, problems, text


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('mode', choices=('run', 'convert'))
    ap.add_argument('input', help='run: the image; convert: a console log')
    ap.add_argument('--json', required=True)
    ap.add_argument('--summary')
    ap.add_argument('--timeout', type=float, default=120)
    ap.add_argument('--title')
    ap.add_argument('--log', help='run: also save the console output here')
    ap.add_argument('--disk', help='run: attach FILE as a virtio-blk disk (qemurun --disk)')
    a = ap.parse_args()
    title = a.title or os.path.basename(a.input).rsplit('.', 1)[0]
    status = 0
    if a.mode == 'run':
        sys.path.insert(0, os.path.join(tracefmt.ROOT, 'tools', 'qemurun'))
        import qemurun
        extra = qemurun.ICOUNT + (qemurun.disk_args(a.disk) if a.disk else [])
        status, lines = qemurun.boot(a.input, a.timeout, extra, echo=False)
        if a.log:
            with open(a.log, 'w') as f:
                f.write('\n'.join(lines) + '\n')
        shown = [l for l in lines if '[trace]' not in l]
        print('\n'.join(shown[-60:]))
        if status is None:
            print('trace: %s: TIMEOUT after %ss' % (a.input, a.timeout))
            status = 124
    else:
        lines = open(a.input, errors='replace').read().splitlines()
    result = export(lines, title, a.json, a.summary)
    dump, problems = result[0], result[1]
    for p in problems:
        print('trace: %s' % p)
    if dump is None:
        return 1
    print(result[2], end='')
    print('trace: wrote %s%s' % (a.json, ' and ' + a.summary if a.summary else ''))
    return status or (1 if problems else 0)


if __name__ == '__main__':
    sys.exit(main())
