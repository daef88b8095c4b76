#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check what `scons trace` writes for a system with a paravirtual guest
(suite `trace`, docs/observability.md): boot the trace image, export its
ring (tools/trace/trace.py), json.load the result and find, in order and
with increasing timestamps:

  1. a call: a `send` on some thread T inside its `syscall call` slice;
  2. its reply: a `reply` to T by the thread T sent to, later;
  3. an interrupt: an `irq` instant on the kernel's track, later;
  4. the interrupt reaching a guest: the signal it sends wakes a vCPU
     thread G, or a thread (the timer server, a driver) that next signals
     G;
  5. G's upcall for it (`upcall virq`), later;
  6. G's resume (`resume ...`), later.

and besides: the guest's tick as vCPU timer expiries (`vtimer` instants
on G's track, each followed by the delivery of its line), every thread
track named, the guest's tasks on tracks of
their own inside its process, a VMM operation, every flow started and
finished, the summary's sections. Ends with `N passed, N failed`.

    check_trace.py IMAGE OUTDIR
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_paths  # noqa: E402
import trace as tracepy  # noqa: E402  (tools/trace/trace.py)
import tracefmt  # noqa: E402


def find(events, start, pred):
    for i in range(start, len(events)):
        if pred(events[i]):
            return i
    return None


def inside(ev, slices):
    """The slice of `slices` (same track) that contains instant ev."""
    for s in slices:
        if s['pid'] == ev['pid'] and s['tid'] == ev['tid'] and \
                s['ts'] <= ev['ts'] <= s['ts'] + s['dur']:
            return s
    return None


def scenario(data):
    """[(test name, why or None)] for the ordered scenario and the rest."""
    ev = data['traceEvents']
    names = {(e['pid'], e['tid']): e['args']['name'] for e in ev
             if e['ph'] == 'M' and e['name'] == 'thread_name'}
    procs = {e['pid']: e['args']['name'] for e in ev if e['ph'] == 'M' and e['name'] == 'process_name'}
    timed = sorted((e for e in ev if e['ph'] in ('i', 'X')), key=lambda e: e['ts'])
    inst = [e for e in timed if e['ph'] == 'i']
    calls = [e for e in timed if e['ph'] == 'X' and e['name'] == 'syscall call']
    results = []

    def track(e):
        return names.get((e['pid'], e['tid']), '?')
    # 1-2: a call and its reply.
    pos, chain = 0, []
    for i, e in enumerate(inst):
        if e['name'] == 'send' and e['args'].get('to') not in (None, '(blocks)') and inside(e, calls):
            caller, server = track(e), e['args']['to']
            j = find(inst, i + 1, lambda r: r['name'] == 'reply' and r['args'].get('to') == caller
                     and track(r) == server)
            if j is not None:
                chain = [('call from %s to %s' % (caller, server), e), ('reply', inst[j])]
                pos = j + 1
                break
    results.append(('trace_has_a_call_and_its_reply',
                    None if chain else 'no send inside a `syscall call` slice answered by a reply'))
    # 3-6: an interrupt, its signal to a vCPU thread, the upcall, the resume.
    flows = {}
    for e in ev:
        if e['ph'] in ('s', 'f'):
            flows.setdefault(e['id'], {})[e['ph']] = e
    found = None
    for i in range(pos, len(inst)):
        irq = inst[i]
        if irq['cat'] != 'irq':
            continue
        # the signal the interrupt itself sends (the next instant that is one)
        j = find(inst, i + 1, lambda s: s['cat'] in ('signal', 'irq'))
        if j is None or inst[j]['cat'] != 'signal' or inst[j]['args'].get('woken') in (None, '-'):
            continue
        sig = inst[j]
        if not sig['args'].get('vcpu'):
            # to a driver or the timer server, which signals the guest in turn
            driver = sig['args']['woken']
            j = find(inst, j + 1, lambda s: s['name'] == 'signal' and track(s) == driver)
            if j is None or not inst[j]['args'].get('vcpu'):
                continue
            sig = inst[j]
        guest = sig['args']['woken']
        k = find(inst, j + 1, lambda u: u['name'] == 'upcall virq' and track(u) == guest)
        if k is None:
            continue
        m = find(inst, k + 1, lambda r: r['name'].startswith('resume') and track(r) == guest)
        if m is None:
            continue
        found = [('interrupt %s' % irq['name'], irq), ('signal to vCPU %s by %s' % (guest, track(sig)), sig),
                 ('upcall virq', inst[k]), ('resume', inst[m])]
        break
    results.append(('trace_has_an_interrupt_reaching_a_guest_upcall_and_resume',
                    None if found else 'no irq followed by a signal to a vCPU thread, its '
                                       'upcall virq and its resume'))
    # the guest's tick: its vCPU's timer expiring in the kernel, then its upcall
    tick = None
    for i, e in enumerate(inst):
        if e['name'].startswith('vtimer '):
            k = find(inst, i + 1, lambda u: u['name'] == 'upcall virq' and track(u) == track(e))
            if k is not None:
                tick = (e, inst[k])
                break
    results.append(('trace_shows_the_guest_tick_as_vcpu_timer_expiries',
                    None if tick else 'no vtimer instant on a vCPU track followed by its '
                                      'upcall virq'))
    steps = chain + (found or [])
    times = [e['ts'] for _, e in steps]
    why = None
    if len(steps) < 6:
        why = 'scenario incomplete'
    elif any(b <= a for a, b in zip(times, times[1:])):
        why = 'timestamps not increasing: %s' % times
    results.append(('trace_scenario_in_order_with_increasing_timestamps', why))
    for name, e in steps:
        print('  %12.3f us  %-24s %s' % (e['ts'], track(e)[:24], name))
    # the interrupt's flow: some flow starts on the kernel track at an irq
    irq_flows = [f for f in flows.values() if 's' in f and f['s']['cat'] == 'irq']
    results.append(('trace_flows_join_interrupts_to_the_threads_they_wake',
                    None if irq_flows and all('f' in f for f in irq_flows)
                    else 'no interrupt flow, or one without an end'))
    results.append(('trace_every_flow_has_both_ends',
                    None if flows and all(len(f) == 2 for f in flows.values())
                    else '%d flows, %d unfinished' % (len(flows),
                                                      sum(len(f) != 2 for f in flows.values()))))
    unnamed = [k for k in {(e['pid'], e['tid']) for e in timed} if k not in names]
    results.append(('trace_every_track_is_named', None if not unnamed else 'unnamed %s' % unnamed))
    guest_pids = [p for p, n in procs.items() if n.startswith('guest ')]
    task_tracks = [k for k, n in names.items() if k[0] in guest_pids and n.startswith('task ')]
    results.append(('trace_guest_tasks_have_tracks_in_the_guest_process',
                    None if task_tracks else 'no task track in a guest process'))
    results.append(('trace_has_a_vmm_operation',
                    None if any(e['name'] == 'vdev' for e in inst) else 'no vdev instant'))
    return results


def main():
    image, outdir = sys.argv[1], sys.argv[2]
    js, txt = os.path.join(outdir, 'scenario.json'), os.path.join(outdir, 'scenario.txt')
    log = os.path.join(outdir, 'scenario.log')
    os.makedirs(outdir, exist_ok=True)
    p = subprocess.run([sys.executable, os.path.join(HERE, 'trace.py'), 'run', image, '--json', js,
                        '--summary', txt, '--timeout', '120', '--log', log],
                       capture_output=True, text=True)
    results = [('trace_run_exports_the_ring',
                None if p.returncode == 0 else 'trace.py exited %d:\n%s' % (p.returncode,
                                                                           p.stdout[-2000:]))]
    # Every path (the vCPU ones: upcalls, resumes, virtual interrupts) keeps
    # the entry/switch/exit structure (check_paths.py).
    try:
        fmt = tracefmt.Format()
        dump = tracepy.parse(open(log, errors='replace').read().splitlines(), fmt)
        problems = check_paths.grammar(dump.records, {t: d['name'] for t, d in dump.threads.items()})
        results.append(('trace_grammar_entries_switches_exits', '\n    '.join(problems) or None))
    except (OSError, AttributeError) as e:
        results.append(('trace_grammar_entries_switches_exits', 'no dump: %s' % e))
    try:
        with open(js) as f:
            data = json.load(f)
        results.append(('trace_json_parses', None))
        results += scenario(data)
        summary = open(txt).read()
        missing = [s for s in ('system calls by number:', 'interrupts by line:',
                               'upcalls by cause:', 'vCPU timer expiries:',
                               'user trace points:') if s not in summary]
        results.append(('trace_summary_has_every_section', '; '.join(missing) or None))
    except (OSError, ValueError) as e:
        results.append(('trace_json_parses', str(e)))
    failed = 0
    for name, why in results:
        print('[test] %s %s%s' % ('FAIL' if why else 'PASS', name, ': ' + why if why else ''))
        failed += bool(why)
    print('%d passed, %d failed' % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
