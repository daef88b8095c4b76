#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Every kernel path leaves the same trace, fast paths included (suite
trace-paths, docs/observability.md). Two checks on the raw records of a
trace dump:

1. the grammar every path must keep (`grammar`): each kernel entry from
   user mode (SYSCALL, or ENTRY of an interrupt, undefined instruction or
   abort) is made by the thread that runs, and ends with exactly one EXIT
   before the next entry; the kernel changes threads only after a SWITCH
   from the one it entered with to the one it leaves to, and that is the
   EXIT's thread. A path that forgets its entry, its exit or its switch
   record (a fast path written beside the slow one, say) breaks it, and
   so does one that changes a vCPU's guest mode without its UPCALL or
   RESUME record (an upcall from user mode needs a resume to user mode
   before it, a resume an upcall or a resume to kernel mode). Run on
   the scenario here and, by check_trace.py, on the RTOS guest system,
   whose vCPU paths (upcalls, resumes, virtual interrupts) it covers;

2. on systems/trace-paths.sys, where a client calls a server of its own
   priority with messages of 2 and 4 words (the IPC fastpath's register
   form) and of 5 and 6 (its long form, through the IPC buffers): every
   call and every reply_recv of the pair makes exactly the records of the
   slow path, in order:

     call         SYSCALL call (client), IPC_SEND ep badge 7 to the server,
                  SWITCH client -> server, EXIT server
     reply_recv   SYSCALL reply_recv (server), IPC_REPLY to the client,
                  IPC_RECV ep (blocks), SWITCH server -> client, EXIT client

   marked TRACE_SYSCALL_FASTPATH; most short calls and every long one
   must be fast (else the scenario does not test the fastpath). A second
   client, tslow, makes the same calls from below the server's priority:
   the slow path, none marked fast, the same records (its role and badge 8);

3. receives that return notification bits at once (IPC_RECV, detail
   RECV_SIGNAL, no partner and no block): tclient's last call makes the
   server signal tsig (its priority) twice, so tsig's next wait finds the
   second signal pending (`recv` on its notification: SYSCALL, IPC_RECV
   signal with the bits, EXIT tsig), and tsig's answers reach the server
   while it is not receiving, so the server's next receive returns them
   (`recv` on its endpoint: the same three records); tsig's first wait,
   at start, blocks (IPC_RECV on the notification, no partner).

    check_paths.py IMAGE OUTDIR     boot the trace image, check, export
    check_paths.py --log LOG        the same checks on a saved console log
    check_paths.py --grammar IMAGE...   check 1 alone on each trace image
Ends with `N passed, N failed`.
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import trace as tracepy  # noqa: E402
import tracefmt  # noqa: E402

ROUNDS = 8  # test/components/trace-client: rounds of 2, 6, 4 and 5 words
BADGE, SLOW_BADGE = 7, 8
LABEL, PING = 0x2a, 0x2c  # the rounds' calls; the call after which the server signals tsig
ENTRIES = ('syscall', 'entry')


def grammar(records, names, limit=12):
    """Problems of the entry/switch/exit structure, and of each vCPU's
    upcalls and resumes (an upcall from guest user mode follows a resume
    to user mode, a resume an upcall or a resume to kernel mode), at most
    `limit`."""
    problems = []
    resume_user = tracefmt.Format().abi.get('VCPU_RESUME_USER')

    def who(t):
        return names.get(t, '%08x' % t) if t else 'idle'

    def bad(r, why):
        if len(problems) < limit:
            problems.append('#%d %s (%s): %s' % (r.seq, r.kind, who(r.thread), why))
    vmode = {}         # vCPU thread -> 'user' or 'kernel': its guest's mode, from the records
    in_kernel = None   # unknown until the first exit (the ring may have wrapped)
    running = None     # the thread in user mode (the last exit's)
    cur = None         # the thread the kernel runs for (entry, then switches)
    for r in records:
        k = r.kind
        if k in ENTRIES:
            if in_kernel:
                bad(r, 'a kernel entry before the exit of the previous one (#%d): a path left '
                       'the kernel without its EXIT record' % entry_seq)
            elif in_kernel is False and r.thread != running:
                bad(r, 'entry by %s while %s runs: a switch without its records'
                    % (who(r.thread), who(running)))
            in_kernel, cur, entry_seq = True, r.thread, r.seq
        elif k == 'switch':
            if in_kernel is False:
                bad(r, 'a switch outside the kernel: its entry record is missing')
            if in_kernel is not None and r.thread not in (cur, 0):
                bad(r, 'a switch from %s while the kernel runs for %s' % (who(r.thread), who(cur)))
            if r.a:
                cur = r.a
        elif k == 'exit':
            if in_kernel is False:
                bad(r, 'an exit without an entry: a path entered the kernel without its '
                       'SYSCALL or ENTRY record')
            elif in_kernel and r.thread != cur:
                bad(r, 'exit to %s, but the kernel runs for %s: a switch without its SWITCH '
                       'record' % (who(r.thread), who(cur)))
            in_kernel, running, cur = False, r.thread, r.thread
        elif k == 'upcall':
            was = vmode.get(r.thread)
            if was and (was == 'user') != bool(r.c):
                bad(r, 'an upcall from guest %s mode, but the records have the guest in %s '
                       'mode: a RESUME or UPCALL record is missing'
                    % ('user' if r.c else 'kernel', was))
            vmode[r.thread] = 'kernel'
            if in_kernel is False:
                bad(r, 'recorded outside the kernel: an entry record is missing')
        elif k == 'resume':
            if vmode.get(r.thread) == 'user':
                bad(r, 'a resume while the records have the guest in user mode: an UPCALL '
                       'record is missing')
            vmode[r.thread] = 'user' if r.a == resume_user else 'kernel'
            if in_kernel is False:
                bad(r, 'recorded outside the kernel: an entry record is missing')
        elif in_kernel is False:
            # everything else happens inside the kernel (a user trace point is a system call)
            bad(r, 'recorded outside the kernel: an entry record is missing')
    if in_kernel is None:
        problems.append('no exit at all in %d records' % len(records))
    return problems


def episodes(records, kind_filter):
    """[(index of the entry, [records up to and including its exit])]."""
    out, i = [], 0
    while i < len(records):
        r = records[i]
        if r.kind in ENTRIES and kind_filter(r):
            j = i
            while j < len(records) and records[j].kind != 'exit':
                j += 1
            out.append((i, records[i:j + 1]))
            i = j
        i += 1
    return out


def shape(fmt, ep_records, roles):
    """An episode in role terms: (kind, detail-free fields...) per record."""
    def role(t):
        return roles.get(t, 'other %08x' % t) if t else '-'

    def obj(a):
        if ('ntfn', a) in roles:
            return 'ntfn ' + roles[('ntfn', a)]
        return 'ep %s' % roles.get(('ep', a), '%08x' % a)
    out = []
    for r in ep_records:
        if r.kind == 'syscall':
            out.append(('syscall', fmt.syscall_name(r.a), role(r.thread)))
        elif r.kind == 'ipc_send':
            out.append(('ipc_send', role(r.thread), 'ep %s' % roles.get(('ep', r.a), r.a),
                        'badge %d' % r.b, 'to ' + role(r.d)))
        elif r.kind == 'ipc_recv' and r.detail == fmt.consts['TRACE_RECV_SIGNAL']:
            out.append(('ipc_recv_signal', role(r.thread), obj(r.a),
                        'bits set' if r.b else 'no bits', 'from ' + role(r.d)))
        elif r.kind == 'ipc_recv':
            out.append(('ipc_recv', role(r.thread), obj(r.a), 'badge %d' % r.b,
                        'from ' + role(r.d)))
        elif r.kind == 'ipc_reply':
            out.append(('ipc_reply', role(r.thread), 'to ' + role(r.a)))
        elif r.kind == 'switch':
            out.append(('switch', role(r.thread), 'to ' + role(r.a)))
        elif r.kind == 'exit':
            out.append(('exit', role(r.thread)))
        else:
            out.append((r.kind, role(r.thread)))
    return out


def call_shape(client, badge):
    return [('syscall', 'call', client),
            ('ipc_send', client, 'ep EP', 'badge %d' % badge, 'to server'),
            ('switch', client, 'to server'), ('exit', 'server')]


def reply_recv_shape(client):
    return [('syscall', 'reply_recv', 'server'), ('ipc_reply', 'server', 'to ' + client),
            ('ipc_recv', 'server', 'ep EP', 'badge 0', 'from -'),
            ('switch', 'server', 'to ' + client), ('exit', client)]


def recv_signal_shape(who, obj):
    return [('syscall', 'recv', who), ('ipc_recv_signal', who, obj, 'bits set', 'from -'),
            ('exit', who)]


def label_of(r):
    return r.c >> 12


def scenario(fmt, dump):
    results = []
    names = {t: d['name'] for t, d in dump.threads.items()}
    by_name = {n: t for t, n in names.items()}
    recs = dump.records
    client, slow, sig, server = (by_name.get(n) for n in ('tclient', 'tslow', 'tsig', 'tserver'))
    if not (client and slow and sig and server):
        return [('paths_threads_named', 'no tclient, tslow, tsig or tserver among %r'
                 % sorted(by_name))]
    # The endpoint: the one the server blocks on in its reply_recv.
    eps = {r.a for r in recs if r.kind == 'ipc_recv' and r.thread == server}
    if len(eps) != 1:
        return [('paths_one_endpoint', 'the server receives on %d endpoints' % len(eps))]
    ep = eps.pop()
    # tsig's notification: the one the server signals.
    ntfns = {r.a for r in recs if r.kind == 'signal' and r.thread == server}
    if len(ntfns) != 1:
        return [('paths_server_signals_tsig', 'the server signals %d notifications' % len(ntfns))]
    ntfn = ntfns.pop()
    roles = {client: 'client', slow: 'slow', sig: 'sig', server: 'server', ('ep', ep): 'EP',
             ('ntfn', ntfn): 'SIG'}
    length_mask = (1 << fmt.abi['MSG_LENGTH_BITS']) - 1
    fast_detail = fmt.consts['TRACE_SYSCALL_FASTPATH']

    def calls_of(who):
        """who's calls of the rounds to the server (by the cptr of its long ones)."""
        calls = episodes(recs, lambda r: r.kind == 'syscall' and r.thread == who and
                         fmt.syscall_name(r.a) == 'call' and label_of(r) == LABEL)
        cptrs = {e[0].b for _, e in calls if (e[0].c & length_mask) > 4 and
                 any(x.kind == 'ipc_send' and x.a == ep for x in e)}
        return [e for _, e in calls if e[0].b in cptrs], cptrs

    def replies_to(who):
        return [e for _, e in episodes(recs, lambda r: r.kind == 'syscall' and r.thread == server
                                       and fmt.syscall_name(r.a) == 'reply_recv'
                                       and label_of(r) == LABEL + 1)
                if any(x.kind == 'ipc_reply' and x.a == who for x in e)]

    def same_records(name, group, want):
        wrong = [(e[0].seq, shape(fmt, e, roles)) for e in group if shape(fmt, e, roles) != want]
        results.append((name, None if group and not wrong else 'none' if not group else
                        '%d of %d differ; #%d: %s\n    expected %s'
                        % (len(wrong), len(group), wrong[0][0], wrong[0][1], want)))

    def timestamps_increase(name, group):
        bad = [e[0].seq for e in group if any(b.time <= a.time for a, b in zip(e, e[1:]))]
        results.append((name, 'not increasing in #%s' % bad[:4] if bad else None))

    client_calls, cptrs = calls_of(client)
    if len(cptrs) != 1:
        return [('paths_client_calls_the_server', 'cptrs of the long calls: %r' % cptrs)]
    for what, eps_, want in (('call', client_calls, call_shape('client', BADGE)),
                             ('reply_recv', replies_to(client), reply_recv_shape('client'))):
        short = [e for e in eps_ if (e[0].c & length_mask) <= 4]
        long_ = [e for e in eps_ if (e[0].c & length_mask) > 4]
        fast = [e for e in short if e[0].detail == fast_detail]
        results.append(('paths_%s_count' % what,
                        None if len(short) == len(long_) == 2 * ROUNDS else
                        '%d short and %d long, expected %d each' % (len(short), len(long_),
                                                                     2 * ROUNDS)))
        results.append(('paths_%s_short_ones_take_the_fastpath' % what,
                        None if len(fast) >= 2 * ROUNDS - 1 else
                        'the fastpath carried %d of %d' % (len(fast), len(short))))
        # Messages past the registers (5 and 6 words) take the fastpath's
        # long form too (up to L4_MSG_MAX_WORDS, the IPC buffers copied as
        # one block): every one marked so, with the same records.
        not_fast = [e[0].seq for e in long_ if e[0].detail != fast_detail]
        results.append(('paths_%s_long_ones_take_the_long_fastpath' % what,
                        'not marked fast: #%s' % not_fast if not_fast else None))
        for label, group in (('fast', fast), ('long', long_)):
            same_records('paths_%s_%s_records_in_order' % (what, label), group, want)
            timestamps_increase('paths_%s_%s_timestamps_increase' % (what, label), group)

    # The same calls from below the server's priority: the slow path's own
    # records, which the fast ones above must equal.
    slow_calls, _ = calls_of(slow)
    for what, group, want in (('call', slow_calls, call_shape('slow', SLOW_BADGE)),
                              ('reply_recv', replies_to(slow), reply_recv_shape('slow'))):
        marked = [e[0].seq for e in group if e[0].detail == fast_detail]
        results.append(('paths_slow_%s_count' % what, None if len(group) == 4 * ROUNDS else
                        '%d, expected %d' % (len(group), 4 * ROUNDS)))
        results.append(('paths_slow_%s_none_marked_fast' % what,
                        'marked fast: #%s' % marked[:4] if marked else None))
        same_records('paths_slow_%s_records_in_order' % what, group, want)
        timestamps_increase('paths_slow_%s_timestamps_increase' % what, group)

    # Receives that find notification bits pending: no partner, no block.
    recv_detail = fmt.consts['TRACE_RECV_SIGNAL']
    for who, role, obj in ((server, 'server', 'ep EP'), (sig, 'sig', 'ntfn SIG')):
        group = [e for _, e in episodes(recs, lambda r: r.kind == 'syscall' and r.thread == who
                                        and fmt.syscall_name(r.a) == 'recv')
                 if any(x.kind == 'ipc_recv' and x.detail == recv_detail for x in e)]
        results.append(('paths_%s_recv_returns_pending_bits' % role,
                        None if len(group) == 1 else
                        '%d such receives, expected 1' % len(group)))
        same_records('paths_%s_recv_signal_records' % role, group, recv_signal_shape(role, obj))
    waits = [shape(fmt, e, roles)[:2] for _, e in
             episodes(recs, lambda r: r.kind == 'syscall' and r.thread == sig)]
    want = [('syscall', 'recv', 'sig'), ('ipc_recv', 'sig', 'ntfn SIG', 'badge 0', 'from -')]
    results.append(('paths_sig_first_wait_blocks', None if waits and waits[0] == want else
                    'first system call of tsig: %s, expected %s' % (waits[:1], want)))
    return results


def check(lines):
    fmt = tracefmt.Format()
    dump = tracepy.parse(lines, fmt)
    if dump is None:
        return [('paths_dump_found', 'no [trace] dump in the console output')]
    names = {t: d['name'] for t, d in dump.threads.items()}
    problems = grammar(dump.records, names)
    results = [('paths_dump_whole', '; '.join(dump.problems) if dump.problems or
                not dump.complete else None),
               ('paths_grammar_entries_switches_exits', '\n    '.join(problems) or None)]
    return results + scenario(fmt, dump)


def report(results):
    failed = 0
    for name, why in results:
        print('[test] %s %s%s' % ('FAIL' if why else 'PASS', name, ': ' + why if why else ''))
        failed += bool(why)
    print('%d passed, %d failed' % (len(results) - failed, failed))
    return 1 if failed else 0


def grammar_of_images(images, timeout=120):
    """The structure check alone on each trace image's whole ring."""
    sys.path.insert(0, os.path.join(tracefmt.ROOT, 'tools', 'qemurun'))
    import qemurun
    fmt, results = tracefmt.Format(), []
    for image in images:
        name = os.path.basename(image).rsplit('.', 1)[0]
        status, lines = qemurun.boot(image, timeout, qemurun.ICOUNT, echo=False)
        dump = tracepy.parse(lines, fmt)
        if dump is None:
            results.append(('grammar_%s' % name, 'no [trace] dump (status %s)' % status))
            continue
        problems = grammar(dump.records, {t: d['name'] for t, d in dump.threads.items()})
        kinds = sorted({r.kind for r in dump.records})
        print('%s: %d records of %s' % (name, len(dump.records), ', '.join(kinds)))
        results.append(('grammar_%s' % name, '\n    '.join(problems) or None))
    return results


def main():
    if len(sys.argv) > 2 and sys.argv[1] == '--grammar':
        return report(grammar_of_images(sys.argv[2:]))
    if len(sys.argv) == 3 and sys.argv[1] == '--log':
        return report(check(open(sys.argv[2], errors='replace').read().splitlines()))
    if len(sys.argv) != 3:
        sys.exit(__doc__.splitlines()[-3].strip())
    image, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    log = os.path.join(outdir, 'paths.log')
    sys.path.insert(0, os.path.join(tracefmt.ROOT, 'tools', 'qemurun'))
    import qemurun
    status, lines = qemurun.boot(image, 120, qemurun.ICOUNT, echo=False)
    with open(log, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    results = [('paths_system_ends_with_status_0',
                None if status == 0 else 'status %s (log: %s)' % (status, log))]
    results += check(lines)
    # the exporter reads the same dump
    p = subprocess.run([sys.executable, os.path.join(HERE, 'trace.py'), 'convert', log, '--json',
                        os.path.join(outdir, 'paths.json'), '--summary',
                        os.path.join(outdir, 'paths.txt')], capture_output=True, text=True)
    summary = p.stdout
    results.append(('paths_summary_counts_the_fastpath',
                    None if p.returncode == 0 and 'of them carried by the IPC fastpath:' in summary
                    and '  call ' in summary.split('carried by the IPC fastpath:')[1]
                    else 'trace.py convert: %d\n%s' % (p.returncode, summary[-1500:])))
    return report(results)


if __name__ == '__main__':
    sys.exit(main())
