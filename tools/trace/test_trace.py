#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""tools/trace on made-up console logs (suite `trace-tools`): a ring that
wrapped, a timestamp that wrapped, a dump cut short, no dump, malformed and
interleaved lines, and the names and flows a small scenario must give.
Ends with `N passed, N failed`."""
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_paths  # noqa: E402
import trace  # noqa: E402
import tracefmt  # noqa: E402

F = tracefmt.Format()
K = F.kind_number
A, B, G = 0xc0100000, 0xc0100400, 0xc0100800  # TCBs: client, server, guest vCPU
EP, NTFN = 0xc0200000, 0xc0200010
CALL = [n for n, s in F.syscalls.items() if s == 'call'][0]


def rec(seq, time, thread, kind, detail=0, a=0, b=0, c=0, d=0):
    words = [time & 0xffffffff, thread, K[kind] | detail << F.kind_bits, a, b, c, d, seq]
    return '[trace] e ' + ' '.join('%08x' % w for w in words)


def name_words(s):
    raw = s.encode().ljust(16, b'\0')
    return [int.from_bytes(raw[i:i + 4], 'little') for i in range(0, 16, 4)]


def scenario(first_seq=0, t0=1000):
    """A call from A to B and its reply, then an interrupt to the guest G."""
    user = F.abi['TRACE_EV_TASK']
    n = name_words('worker')
    body = [
        ('name', A, 0, name_words('client')), ('name', B, 0, name_words('server')),
        ('syscall', A, 0, [CALL, 1, 0x1002, 0]), ('ipc_send', A, 0, [EP, 5, 0x1002, B]),
        ('switch', A, 0, [B, 0, 0, 0]), ('exit', B, 0, [0, 0x20001000, 0, 0]),
        ('syscall', B, 0, [F.kind_number and [k for k, v in F.syscalls.items() if v == 'reply_recv'][0], 1, 2, 0]),
        ('ipc_reply', B, 0, [A, 0, 0, 0]), ('ipc_recv', B, 0, [EP, 0, 0, 0]),
        ('switch', B, 0, [A, 0, 0, 0]), ('exit', A, 0, [0, 0x20002000, 0, 0]),
        ('entry', A, F.consts['TRACE_ENTRY_IRQ'], [0x20002004, 0, 0, 0]),
        ('irq', A, 0, [27, NTFN, 1, 0]), ('signal', A, 0, [NTFN, 1, G, 1]),
        ('switch', A, 0, [G, 0, 0, 0]),
        ('upcall', G, 0, [F.abi['VCPU_CAUSE_VIRQ'], 0, 0, 0x40001000]),
        ('exit', G, 0, [0, 0x40000100, 0, 0]),
        ('syscall', G, 0, [CALL, 1, 0, 0]), ('user', G, user, [0x4000a000] + n[:3]),
        ('exit', G, 0, [0, 0x40000104, 0, 0]),
        ('syscall', G, 0, [CALL, 1, 0, 0]), ('resume', G, 0, [F.abi['VCPU_RESUME_KERNEL'], 0x40002000, 0, 0]),
        ('exit', G, 0, [0, 0x40002000, 0, 0]),
    ]
    return [rec(first_seq + i, t0 + 100 * i, th, kind, det, *args)
            for i, (kind, th, det, args) in enumerate(body)]


def log(records, total=None, threads=True, end=True, ring=8192):
    total = len(records) if total is None else total
    out = ['[kernel] booting', 'noise [trace] nonsense line',
           '[trace] begin %d %d %d %d' % (len(records), total, ring, F.words)]
    if threads:
        out += ['[trace] thread %08x 100 0 1 client' % A, '[trace] thread %08x 100 0 1 server' % B,
                '[trace] thread %08x 90 1 5 rtos' % G]
    out += records
    if end:
        out.append('[trace] end %d' % total)
    return out


def export(lines):
    with tempfile.TemporaryDirectory() as tmp:
        js = os.path.join(tmp, 't.json')
        r = trace.export(lines, 'test', js, os.path.join(tmp, 't.txt'))
        data = json.load(open(js)) if r[0] is not None else None
        return r, data


def t_complete_scenario():
    (dump, problems, text), data = export(log(scenario()))
    assert not problems, problems
    ev = data['traceEvents']
    names = {e['args']['name'] for e in ev if e['ph'] == 'M' and e['name'] == 'thread_name'}
    assert {'client', 'server', 'rtos', 'task worker'} <= names, names
    flows = [e for e in ev if e['ph'] in ('s', 'f')]
    assert sorted(e['cat'] for e in flows if e['ph'] == 's') == ['ipc', 'ipc', 'irq'], flows
    assert 'call' in text and '27' in text and 'virq' in text and 'task' in text, text
    returns = [e for e in ev if e['ph'] == 'i' and e['name'] == 'return from call']
    assert returns and all('result' in e['args'] for e in returns), returns


def t_ring_wrapped():
    recs = scenario(first_seq=50000)
    (dump, problems, text), data = export(log(recs, total=50000 + len(recs)))
    assert not problems, problems
    assert data['otherData']['lost_to_the_ring'] == 50000
    assert '(50000 before them lost' in text


def t_timestamp_wrapped():
    recs = scenario(t0=0xffffff00)  # PMCCNTR passes 2^32 in the middle
    (dump, problems, text), data = export(log(recs))
    times = [r.time for r in dump.records]
    assert times == sorted(times) and times[-1] > 1 << 32, times


def t_cut_short():
    recs = scenario()
    (dump, problems, text), data = export(log(recs[:10], total=len(recs), end=False))
    assert any('cut short' in p for p in problems), problems
    assert data['traceEvents'], 'what was there is still exported'


def t_missing_records():
    recs = scenario()
    del recs[5]
    (dump, problems, text), data = export(log(recs, total=len(recs) + 1))
    assert any('in order' in p for p in problems), problems


def t_malformed_line():
    recs = scenario()
    recs[3] = recs[3][:-9]  # a word short
    (dump, problems, text), data = export(log(recs))
    assert any('bad line' in p for p in problems), problems


def t_no_dump():
    r, data = export(['[kernel] booting', '[root] all done'])
    assert r[0] is None and 'no [trace] dump' in r[1][0], r


def t_names_from_records_alone():
    (dump, problems, text), data = export(log(scenario(), threads=False))
    names = {e['args']['name'] for e in data['traceEvents']
             if e['ph'] == 'M' and e['name'] == 'thread_name'}
    assert {'client', 'server'} <= names, names


def records_of(lines):
    return trace.parse(lines, F).records


def t_grammar_holds_for_the_scenario():
    got = check_paths.grammar(records_of(log(scenario())), {A: 'client', B: 'server', G: 'rtos'})
    return None if got == [] else 'problems: %s' % got


def t_grammar_catches_a_path_that_forgets_a_record():
    # Each record a path might forget, removed from the scenario, and what
    # the check says then (check_paths.py, suite trace-paths).
    names = {A: 'client', B: 'server', G: 'rtos'}
    base = records_of(log(scenario()))
    user = F.abi['VCPU_RESUME_USER']
    cases = [(5, 'exit', 'a kernel entry before the exit of the previous one'),
             (4, 'switch', 'exit to server, but the kernel runs for client'),
             (2, 'syscall', 'recorded outside the kernel'),
             (6, 'syscall', 'recorded outside the kernel'),
             (11, 'entry', 'recorded outside the kernel')]
    for index, kind, want in cases:
        recs = base[:index] + base[index + 1:]
        if base[index].kind != kind:
            return 'record %d is %s, not %s' % (index, base[index].kind, kind)
        got = check_paths.grammar(recs, names)
        if not any(want in p for p in got):
            return 'without record %d (%s): %s' % (index, kind, got or 'no problem found')
    # A resume to user mode, then an upcall that says it came from kernel
    # mode (a resume to kernel mode left unrecorded), or a second resume (the
    # upcall between them unrecorded).
    extra = records_of(log(scenario() + [
        rec(23, 5000, G, 'syscall', 0, CALL), rec(24, 5100, G, 'resume', 0, user, 0x8000),
        rec(25, 5200, G, 'exit', 0, 0, 0x8000), rec(26, 5300, G, 'entry', 1, 0x8000),
        rec(27, 5400, G, 'upcall', 0, F.abi['VCPU_CAUSE_VIRQ'], 0, 1, 0x8000),
        rec(28, 5500, G, 'exit', 0, 0, 0x40001000)]))
    if check_paths.grammar(extra, names):
        return 'resume to user, then an upcall from user: %s' % check_paths.grammar(extra, names)
    for drop, want in ((27, 'a resume while the records have the guest in user mode'),
                       (24, 'an upcall from guest user mode, but the records have the guest in '
                            'kernel mode')):
        recs = [r for r in extra if r.seq != drop]
        if drop == 27:  # the guest kernel resumes again without the upcall
            recs += records_of(log(scenario() + [
                rec(29, 5600, G, 'syscall', 0, CALL), rec(30, 5700, G, 'resume', 0, user, 0x8000),
                rec(31, 5800, G, 'exit', 0, 0, 0x8000)]))[-3:]
        got = check_paths.grammar(recs, names)
        if not any(want in p for p in got):
            return 'without #%d: %s' % (drop, got or 'no problem found')
    return None


def main():
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith('t_')]
    failed = 0
    for n, f in tests:
        try:
            f()
            print('[test] PASS trace_tool_%s' % n[2:])
        except AssertionError as e:
            print('[test] FAIL trace_tool_%s: %s' % (n[2:], e))
            failed += 1
    print('%d passed, %d failed' % (len(tests) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
