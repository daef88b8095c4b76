#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The kernel-aware gdb commands (tools/gdb/l4gdb.py) against a booted
system (suite `gdb-l4`): boot IMAGE (a debug kernel) halted under QEMU's
gdb stub, load SYMBOLS (the generated build/images/<name>-debug.gdb, which
loads l4gdb), break at LOCATION, and run `l4 threads`, `l4 caps THREAD`,
`l4 vcpu GUEST`, `l4 trace N` and `l4 guest`, checking each one's output.
One test per check; ends with `N passed, N failed`. Time-limited: a hung
QEMU or gdb is a failure.

    gdbl4test.py IMAGE SYMBOLS LOCATION --thread NAME:STATE ... --caps THREAD:REGEX ...
                 --vcpu GUEST --trace N
    gdbl4test.py IMAGE SYMBOLS --follow-guests N
        (a system with guests of two images) break at the guests' shared
        entry address N times: at each stop the symbols loaded are those of
        the image of the guest whose vCPU runs, and both images were loaded
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                'qemurun'))
import gdbtest  # noqa: E402
import qemurun  # noqa: E402


def run(image, symbols, loc, commands, timeout):
    port = gdbtest.free_port()
    qemu = subprocess.Popen(qemurun.QEMU + qemurun.ICOUNT + ['-S', '-gdb', 'tcp:127.0.0.1:%d' % port,
                                                             '-kernel', image],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    cmds = ['source %s' % symbols, 'target remote 127.0.0.1:%d' % port, 'break %s' % loc,
            'continue']
    for c in commands:
        cmds += ['echo === %s\\n' % c, c]
    cmds += ['echo === end\\n', 'kill']
    try:
        p = subprocess.run(['gdb-multiarch', '-nx', '-batch'] + sum((['-ex', c] for c in cmds), []),
                           capture_output=True, text=True, timeout=timeout)
        return p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 'gdbl4test: gdb did not finish within %ss' % timeout
    finally:
        qemu.kill()
        qemu.wait()


def sections(out):
    """command -> its output lines."""
    res, cur = {}, None
    for line in out.splitlines():
        if line.startswith('=== '):
            cur = line[4:]
            res[cur] = []
        elif cur is not None:
            res[cur].append(line)
    return res


def follow_guests(a):
    """Stops in different guests load their own images' symbols."""
    guests = {}
    for line in open(a.symbols):
        if line.startswith('l4 guests '):
            guests = dict(w.split('=', 1) for w in line.split()[2:])
    cmds = []
    for i in range(a.follow_guests):
        cmds += ['l4 threads', 'l4 guest', 'info symbol $pc', 'continue']
    out = run(a.image, a.symbols, '*0x%x' % GUEST_ENTRY, cmds, a.timeout)
    stops, images, problems = 0, set(), []
    chunks = out.split('=== l4 threads')[1:]
    for chunk in chunks:
        running = re.search(r'^0x[0-9a-f]{8} (\S+) +running ', chunk, re.M)
        loaded = re.search(r'^\* (\S+) +(\S+)$', chunk, re.M)
        if not running or not loaded:
            continue
        stops += 1
        want = guests.get(running.group(1))
        if want != loaded.group(2):
            problems.append('stop %d: %s runs (%s), symbols of %s loaded' % (
                stops, running.group(1), want, loaded.group(2)))
        images.add(loaded.group(2))
    if stops < 2 or len(images) < 2:
        problems.append('%d stops, images loaded: %s' % (stops, sorted(images)))
    why = '; '.join(problems) or None
    print('[test] %s gdb_l4_guest_symbols_follow_the_running_guest%s' % (
        'FAIL' if why else 'PASS', ': ' + why if why else ''))
    if why:
        print(out[-4000:])
    print('%d passed, %d failed' % (0 if why else 1, 1 if why else 0))
    return 1 if why else 0


GUEST_ENTRY = 0x40000000  # where every guest image starts (docs/vmm.md)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('image')
    ap.add_argument('symbols')
    ap.add_argument('location', nargs='?')
    ap.add_argument('--follow-guests', type=int, metavar='N')
    ap.add_argument('--thread', action='append', default=[], metavar='NAME:STATE')
    ap.add_argument('--caps', action='append', default=[], metavar='THREAD:REGEX')
    ap.add_argument('--vcpu', metavar='GUEST')
    ap.add_argument('--trace', type=int, default=20)
    ap.add_argument('--timeout', type=float, default=90)
    a = ap.parse_args()
    if a.follow_guests:
        return follow_guests(a)
    caps = [c.split(':', 1) for c in a.caps]
    commands = ['l4 threads'] + ['l4 caps %s' % t for t in sorted({t for t, _ in caps})]
    commands += ['l4 vcpu %s' % a.vcpu, 'l4 trace %d' % a.trace, 'l4 guest', 'l4 caps nobody']
    out = run(a.image, a.symbols, a.location, commands, a.timeout)
    sec = sections(out)
    results = []

    threads = sec.get('l4 threads', [])
    for spec in a.thread:
        name, state = spec.split(':')
        ok = any(re.match(r'^0x[0-9a-f]{8} %s +%s ' % (re.escape(name), state), l) for l in threads)
        results.append(('gdb_l4_threads_lists_%s_%s' % (name, state), None if ok else
                        'no line for %s in state %s' % (name, state)))
    ok = threads and re.match(r'^\d+ threads$', threads[-1]) and \
        int(threads[-1].split()[0]) == len(threads) - 2
    results.append(('gdb_l4_threads_counts_what_it_lists', None if ok else 'count line wrong'))
    for thread, regex in caps:
        lines = sec.get('l4 caps %s' % thread, [])
        ok = lines and lines[0].startswith("CSpace of '%s'" % thread) and \
            any(re.search(regex, l) for l in lines)
        results.append(('gdb_l4_caps_of_%s_shows_%s' % (thread, re.sub(r'\W+', '_', regex).strip('_')),
                        None if ok else 'no line /%s/' % regex))
    v = sec.get('l4 vcpu %s' % a.vcpu, [])
    want = [r"^vCPU 0x[0-9a-f]{8} of '%s', state page 0x[0-9a-f]{8}, guest (kernel|user) mode$"
            % re.escape(a.vcpu or ''), r'^regs +([0-9a-f]{8} ){16}[0-9a-f]{8}$',
            r'^entry_pc +4[0-9a-f]{7}$', r'^cause +[0-9a-f]{8} \(']
    missing = [w for w in want if not any(re.match(w, l) for l in v)]
    results.append(('gdb_l4_vcpu_shows_the_state_page_of_%s' % a.vcpu,
                    '; '.join('no /%s/' % m for m in missing) or None))
    tr = [l for l in sec.get('l4 trace %d' % a.trace, []) if l.startswith('#')]
    seqs = [int(l.split()[0][1:]) for l in tr]
    times = [int(l.split()[1]) for l in tr]
    ok = len(tr) == a.trace and seqs == list(range(seqs[0], seqs[0] + len(seqs))) and \
        times == sorted(times)
    results.append(('gdb_l4_trace_prints_records_in_order', None if ok else
                    '%d records, seqs %s' % (len(tr), seqs[:5])))
    g = sec.get('l4 guest', [])
    results.append(('gdb_l4_guest_lists_the_loaded_guest',
                    None if any(l.startswith('* ') for l in g) else 'no loaded guest marked'))
    results.append(('gdb_l4_caps_of_an_unknown_thread_is_an_error',
                    None if "no thread 'nobody' on the registry" in out else 'no error'))
    failed = 0
    for name, why in results:
        print('[test] %s %s%s' % ('FAIL' if why else 'PASS', name, ': ' + why if why else ''))
        failed += bool(why)
    if failed:
        print(out[-4000:])
    print('%d passed, %d failed' % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
