#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Boot images on QEMU virt (Cortex-A15, GICv2) with a time limit.

Modes:
  qemurun.py [--timeout S] IMAGE          boot, echo the console, exit with QEMU's status;
                                          typing (stdin a terminal) reaches the console
  qemurun.py --tests [--timeout S] [--expect REGEX]... IMAGE
                                          also count `[test] PASS|FAIL` lines; a missing
                                          `[test] DONE`, a timeout or a non-zero exit is a
                                          failure; each --expect is one more test (the
                                          output must match it); ends with `N passed, N failed`
  qemurun.py --bench OUT.json IMAGE[@MODE]...
                                          run under -icount shift=0,sleep=off, collect
                                          `[bench] name unit value iterations` lines into
                                          OUT.json and print a table; @MODE renames the
                                          image's rtos_<x>_native records rtos_<x>_MODE
                                          (the native program run another way, e.g.
                                          pre-virtualised: it cannot know)
  qemurun.py --expect-status N [--expect REGEX]... IMAGE
                                          one test: exit status N and every REGEX printed
  qemurun.py --compare IMAGE_A IMAGE_B   one test: both report the same test names
                                          and results, all passing, and finish
  --same-lines PREFIX                     (with --compare) and print the same lines that
                                          start with PREFIX, in the same order (at least one)
  qemurun.py --gdb IMAGE                  wait for gdb on tcp::1234 (no time limit)
  --icount                                run deterministically (-icount shift=0,sleep=off):
                                          the PMU instruction counters work only so
  --expect-sequence N:REGEX               (with --tests) the lines matching REGEX (one group:
                                          a number) number 0..N-1 in order, none lost
  --input TEXT                            type TEXT at the console (QEMU's stdin, the PL011's
                                          receive side) when the next `[input] ready` line
                                          appears; repeatable, one TEXT per such line, in
                                          order; backslash escapes (\\n, \\r) are decoded
  --send-on REGEX TEXT                    type TEXT once the output since the previous
                                          --send-on matches REGEX, a prompt without its
                                          newline included (`kdb> `); repeatable, in order;
                                          escapes decoded as for --input (a debugger session:
                                          docs/observability.md)
  --serial-mux                            the console through QEMU's multiplexer, so that
                                          `\x01b` (Ctrl-A b) in --input/--send-on TEXT sends
                                          a break on the serial line
  --disk FILE                             attach FILE (raw) as a virtio-blk disk on QEMU's
                                          virtio-mmio transport 31 (the first one QEMU
                                          fills; INTID 79), as a virtio 1.x (modern) device

Coverage (tools/coverage, docs/testing.md): with QEMURUN_TRACE_DIR set, every
boot also logs each translated block (`-d in_asm`) to
QEMURUN_TRACE_DIR/<n>-<image>.log, limited to the address ranges in
QEMURUN_TRACE_FILTER (QEMU's -dfilter syntax), and names the booted image in
<n>-<image>.image beside it.

The console protocol is documented in docs/testing.md.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import threading

# -rtc clock=vm,base=...: the PL031 RTC counts the machine's own (virtual)
# seconds from a fixed date, not the host's, so a program that drives it (the
# RTOS benchmarks' device interrupt) is as deterministic as the rest.
QEMU = ['qemu-system-arm', '-M', 'virt', '-cpu', 'cortex-a15', '-m', '256M',
        '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
        '-semihosting-config', 'enable=on,target=native',
        '-rtc', 'clock=vm,base=2024-01-01T00:00:00']
ICOUNT = ['-icount', 'shift=0,sleep=off']


def decode_input(text):
    """--input TEXT: backslash escapes decoded, as bytes for QEMU's stdin."""
    return text.encode('latin-1', 'backslashreplace').decode('unicode_escape').encode('latin-1')


def disk_args(path):
    """QEMU options that attach the raw image `path` as a virtio-blk disk."""
    return ['-global', 'virtio-mmio.force-legacy=false',
            '-drive', 'file=%s,if=none,format=raw,id=d0' % path,
            '-device', 'virtio-blk-device,drive=d0']

# A console server may tag lines with their writer: `[name] [test] ...`.
TAG = r'^(?:\[[\w.-]+\] )?'
TEST_RE = re.compile(TAG + r'\[test\] (PASS|FAIL) (\S+)(.*)$')
DONE_RE = re.compile(TAG + r'\[test\] DONE\s*$')
BENCH_RE = re.compile(TAG + r'\[bench\] (\S+) (\S+) (\d+(?:\.\d+)?) (\d+)\s*$')
INPUT_RE = re.compile(TAG + r'\[input\] ready\b')


def trace_args(image):
    """QEMU arguments that log translated blocks for tools/coverage, or []."""
    tdir = os.environ.get('QEMURUN_TRACE_DIR')
    if not tdir:
        return []
    os.makedirs(tdir, exist_ok=True)
    n = len([f for f in os.listdir(tdir) if f.endswith('.image')])
    base = os.path.join(tdir, '%d-%d-%s' % (os.getpid(), n, os.path.basename(image)))
    with open(base + '.image', 'w') as f:
        f.write(os.path.abspath(image) + '\n')
    args = ['-d', 'in_asm', '-D', base + '.log']
    if os.environ.get('QEMURUN_TRACE_FILTER'):
        args += ['-dfilter', os.environ['QEMURUN_TRACE_FILTER']]
    return args


# The console through QEMU's multiplexer: Ctrl-A b sends a break.
SERIAL_MUX = ['-chardev', 'stdio,id=con0,mux=on,signal=off', '-serial', 'chardev:con0']


def boot(image, timeout, extra=(), echo=True, prefix='', inputs=(), interactive=False,
         send_on=(), mux=False):
    """Run one image; return (exit status or None on timeout, console lines).
    Each of `inputs` (bytes) is written to QEMU's stdin, the serial line's
    receive side, when the next `[input] ready` line appears; each of
    `send_on` ((regex, bytes)) when the output since the previous one sent
    matches the regex, a line not yet ended included (a prompt);
    interactive: QEMU reads this process's stdin (what is typed reaches
    the console). mux: the console through QEMU's multiplexer (Ctrl-A b is
    a break)."""
    cmd = list(QEMU)
    if mux:
        cmd[cmd.index('-serial'):cmd.index('-serial') + 2] = SERIAL_MUX
    cmd += list(extra) + trace_args(image) + ['-kernel', image]
    pending = list(inputs)
    on = [(re.compile(r, re.M), text) for r, text in send_on]
    stdin = subprocess.PIPE if pending or on else None if interactive else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []

    def send(data):
        try:
            proc.stdin.write(data)
            proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass

    def reader():
        partial, since = b'', ''
        fd = proc.stdout.fileno()
        while True:
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            partial += chunk
            *done, partial = partial.split(b'\n')
            for raw in done:
                line = raw.decode('utf-8', 'replace').rstrip('\r\n')
                lines.append(line)
                if echo:
                    print(prefix + line, flush=True)
                if pending and INPUT_RE.match(line):
                    send(pending.pop(0))
            since += chunk.decode('utf-8', 'replace')
            while on and on[0][0].search(since):
                send(on.pop(0)[1])
                since = ''
        if partial:
            lines.append(partial.decode('utf-8', 'replace').rstrip('\r'))
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    try:
        status = proc.wait(timeout=timeout if timeout > 0 else None)
    except subprocess.TimeoutExpired:
        proc.terminate()  # QEMU puts a terminal it had in raw mode back
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        status = None
    t.join(5)
    return status, lines


def sequence_problem(lines, count, pattern):
    """--expect-sequence: the lines matching `pattern` (one group, a
    decimal number) must number 0, 1, ... count-1, in order; None if they
    do, else what is wrong."""
    seen = [int(m.group(1)) for m in (re.search(pattern, l) for l in lines) if m]
    for i, n in enumerate(seen):
        if n != i:
            return 'line %d of /%s/ is number %d (%s)' % (i, pattern, n,
                                                        'a line lost' if n > i else 'out of order')
    if len(seen) != count:
        return '%d lines of /%s/, expected %d' % (len(seen), pattern, count)
    return None


def run_tests(image, timeout, extra=(), patterns=(), inputs=(), sequences=(), send_on=(),
              mux=False):
    status, lines = boot(image, timeout, extra, inputs=inputs, send_on=send_on, mux=mux)
    passed = failed = 0
    text = '\n'.join(lines)
    for p in patterns:
        if re.search(p, text, re.M):
            passed += 1
        else:
            print('qemurun: %s: missing output /%s/' % (os.path.basename(image), p))
            failed += 1
    for count, p in sequences:
        why = sequence_problem(lines, count, p)
        print('[test] %s sequence_of_%d_lines%s' % ('FAIL' if why else 'PASS', count,
                                                   ': ' + why if why else ''))
        passed, failed = passed + (why is None), failed + (why is not None)
    done = False
    for line in lines:
        m = TEST_RE.match(line)
        if m:
            if m.group(1) == 'PASS':
                passed += 1
            else:
                failed += 1
        elif DONE_RE.match(line.strip()):
            done = True
    name = os.path.basename(image)
    if status is None:
        print('qemurun: %s: TIMEOUT after %ss' % (name, timeout))
        failed += 1
    elif not done:
        print('qemurun: %s: ended (status %d) before [test] DONE' % (name, status))
        failed += 1
    elif status != 0 and failed == 0:
        print('qemurun: %s: exit status %d with no failed test' % (name, status))
        failed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


def test_results(lines):
    """name -> PASS/FAIL for every `[test]` line, and whether DONE was seen."""
    results, done = {}, False
    for line in lines:
        m = TEST_RE.match(line)
        if m:
            results[m.group(2)] = m.group(1)
        elif DONE_RE.match(line.strip()):
            done = True
    return results, done


def same_lines(la, lb, prefixes):
    """The problems if the lines starting with one of prefixes differ."""
    problems = []
    for p in prefixes:
        a = [l.strip() for l in la if l.startswith(p)]
        b = [l.strip() for l in lb if l.startswith(p)]
        if not a:
            problems.append('no %r lines' % p)
        for i in range(max(len(a), len(b))):
            x, y = (a[i] if i < len(a) else 'missing'), (b[i] if i < len(b) else 'missing')
            if x != y:
                problems.append('%r line %d: %s vs %s' % (p, i, x, y))
    return problems


def run_compare(images, timeout, extra=(), prefixes=()):
    """One test: two images (the same test program, e.g. native and as a
    guest, or on two kernel configurations) report the same tests with the
    same results, all passing, and the same lines starting with each of
    prefixes."""
    (sa, la), (sb, lb) = (boot(i, timeout, extra, echo=False) for i in images)
    (ra, da), (rb, db) = test_results(la), test_results(lb)
    problems = same_lines(la, lb, prefixes)
    for img, status, done in ((images[0], sa, da), (images[1], sb, db)):
        if status != 0 or not done:
            problems.append('%s: status %s, done %s' % (os.path.basename(img), status, done))
    for name in sorted(set(ra) | set(rb)):
        if ra.get(name) != rb.get(name):
            problems.append('%s: %s vs %s' % (name, ra.get(name, 'missing'), rb.get(name, 'missing')))
    if not ra:
        problems.append('no test results')
    for p in problems:
        print('qemurun: compare: %s' % p)
    print('qemurun: compare: %d tests, %d differences' % (len(ra), len(problems)))
    print('[test] %s identical_results' % ('FAIL' if problems else 'PASS'))
    print('%d passed, %d failed' % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


def run_expect(image, timeout, status_want, patterns, extra=(), inputs=(), send_on=(), mux=False):
    """One test: the image must exit with status_want and print every pattern."""
    status, lines = boot(image, timeout, extra, inputs=inputs, send_on=send_on, mux=mux)
    text = '\n'.join(lines)
    name = os.path.basename(image)
    problems = []
    if status is None:
        problems.append('TIMEOUT after %ss' % timeout)
    elif status != status_want:
        problems.append('exit status %d, expected %d' % (status, status_want))
    problems += ['missing output /%s/' % p for p in patterns if not re.search(p, text, re.M)]
    for p in problems:
        print('qemurun: %s: %s' % (name, p))
    print('[test] %s %s' % ('FAIL' if problems else 'PASS', name))
    print('%d passed, %d failed' % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


# The issue 8 name of basic processing's ratio, reported beside ratio_rtos_basic.
RATIO_ALIASES = {'ratio_rtos_basic': 'ratio_rtos_cpu_crc'}


def derived_records(records, modes=()):
    """Records computed from the measured ones (docs/benchmarks.md):
    ratio_<x> = <x>_virtual / <x>_native for every measured pair (identical
    code virtualised over native; the rtos_ prefix stays), their aliases,
    and over the rtos_ ratios rtos_geomean (geometric mean; `iterations` is
    the number of workloads it combines) and rtos_worst_ratio (the largest).
    A native workload without a virtual twin is reported, not hidden. For
    each of `modes` (images run @MODE: the native program another way),
    ratio_rtos_<x>_MODE = rtos_<x>_MODE / rtos_<x>_native, and over them
    rtos_MODE_geomean and rtos_MODE_worst_ratio."""
    by_name = {r['name']: r for r in records}
    out, rtos_ratios = [], []
    for r in records:
        if not r['name'].endswith('_virtual'):
            continue
        base = r['name'][:-len('_virtual')]
        nat = by_name.get(base + '_native')
        if not nat or not nat['value']:
            continue
        ratio = {'name': 'ratio_' + base, 'unit': 'virtual/native',
                 'value': round(r['value'] / nat['value'], 4),
                 'iterations': r['iterations'], 'image': r['image']}
        out.append(ratio)
        if ratio['name'] in RATIO_ALIASES:
            out.append(dict(ratio, name=RATIO_ALIASES[ratio['name']]))
        if base.startswith('rtos_'):
            rtos_ratios.append((r['value'] / nat['value'], base, r['image']))
    for r in records:
        n = r['name']
        if n.startswith('rtos_') and n.endswith('_native') and \
                n[:-len('_native')] + '_virtual' not in by_name:
            print('qemurun: %s has no virtual twin: not in rtos_geomean' % n)
    if rtos_ratios:
        geo = math.exp(sum(math.log(v) for v, _, _ in rtos_ratios) / len(rtos_ratios))
        worst = max(rtos_ratios)
        image = rtos_ratios[0][2]
        out.append({'name': 'rtos_geomean', 'unit': 'virtual/native', 'value': round(geo, 4),
                    'iterations': len(rtos_ratios), 'image': image})
        out.append({'name': 'rtos_worst_ratio', 'unit': 'virtual/native',
                    'value': round(worst[0], 4), 'iterations': len(rtos_ratios),
                    'image': worst[2]})
        print('qemurun: rtos_geomean over %d workloads; worst %s' % (len(rtos_ratios), worst[1]))
    # What one trace record costs (docs/observability.md): the null system
    # call on the trace-bench kernel over the bench kernel's, per record.
    traced, plain = by_name.get('null_syscall_traced'), by_name.get('null_syscall')
    per = by_name.get('trace_records_null_syscall')
    if traced and plain and per and per['value'] > 0:
        out.append({'name': 'trace_event_cost', 'unit': 'kernel_instructions_per_record',
                    'value': round((traced['value'] - plain['value']) / per['value'], 1),
                    'iterations': traced['iterations'], 'image': traced['image']})
    for mode in modes:
        out += mode_records(records, by_name, mode, modes)
    return out


def record_mode(name, modes):
    """The mode of rtos_<x>_MODE among `modes` (the longest that fits), or None."""
    fits = [m for m in modes if name.startswith('rtos_') and name.endswith('_' + m)]
    return max(fits, key=len) if fits else None


def mode_records(records, by_name, mode, modes):
    ratios, out = [], []
    for r in records:
        if record_mode(r['name'], modes) != mode:
            continue
        nat = by_name.get(r['name'][:-len(mode)] + 'native')
        if not nat or not nat['value'] or nat['unit'] != r['unit']:
            continue
        q = r['value'] / nat['value']
        out.append({'name': 'ratio_' + r['name'], 'unit': mode + '/native', 'value': round(q, 4),
                    'iterations': r['iterations'], 'image': r['image']})
        ratios.append((q, r['name'], r['image']))
    if ratios:
        geo = math.exp(sum(math.log(v) for v, _, _ in ratios) / len(ratios))
        worst = max(ratios)
        out.append({'name': 'rtos_%s_geomean' % mode, 'unit': mode + '/native',
                    'value': round(geo, 4), 'iterations': len(ratios), 'image': ratios[0][2]})
        out.append({'name': 'rtos_%s_worst_ratio' % mode, 'unit': mode + '/native',
                    'value': round(worst[0], 4), 'iterations': len(ratios), 'image': worst[2]})
    return out


# rtos_<x>_native and its companions rtos_<x>_native_<what> (_mode, the
# stats builds' _kentries, _asswitches): the port's name is the last _native.
NATIVE_RECORD_RE = re.compile(r'^(rtos_.+)_native(_[a-z]+)?$')


def bench_run_records(image, mode, lines):
    """The records an image printed; run @MODE, its rtos_<x>_native records
    (and their rtos_<x>_native_<what> companions) are named rtos_<x>_MODE
    (rtos_<x>_MODE_<what>): the native program run another way, e.g.
    pre-virtualised, cannot know."""
    records = []
    for line in lines:
        m = BENCH_RE.match(line)
        if not m:
            continue
        value, name = float(m.group(3)), m.group(1)
        n = NATIVE_RECORD_RE.match(name) if mode else None
        if n:
            name = '%s_%s%s' % (n.group(1), mode, n.group(2) or '')
        records.append({'name': name, 'unit': m.group(2),
                        'value': int(value) if value.is_integer() else value,
                        'iterations': int(m.group(4)), 'image': image})
    return records


def run_bench(out, images, timeout):
    records, modes, bad = [], [], 0
    for arg in images:
        image, _, mode = arg.partition('@')
        status, lines = boot(image, timeout, ICOUNT, echo=False)
        found = bench_run_records(os.path.basename(image), mode, lines)
        records += found
        if mode and mode not in modes:
            modes.append(mode)
        if status != 0 or not found:
            print('\n'.join(lines[-40:]))
            print('qemurun: %s: status %s, %d records' % (image, status, len(found)))
            bad += 1
    records += derived_records(records, modes)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, 'w') as f:
        json.dump(records, f, indent=1)
        f.write('\n')
    w = max([len(r['name']) for r in records] + [9])
    print('%-*s %14s  %-14s %10s' % (w, 'benchmark', 'value', 'unit', 'iterations'))
    for r in records:
        print('%-*s %14s  %-14s %10d' % (w, r['name'], r['value'], r['unit'], r['iterations']))
    print('wrote %s (%d records)' % (out, len(records)))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--timeout', type=float, default=None,
                    help='seconds of host time per boot (default 60; --bench: 300 per image)')
    ap.add_argument('--tests', action='store_true')
    ap.add_argument('--bench', metavar='OUT.json')
    ap.add_argument('--gdb', action='store_true')
    ap.add_argument('--expect-status', type=int, metavar='N',
                    help='one test: pass if QEMU exits with N and every --expect matches')
    ap.add_argument('--expect', action='append', default=[], metavar='REGEX')
    ap.add_argument('--compare', action='store_true',
                    help='one test: two images report identical test results')
    ap.add_argument('--same-lines', action='append', default=[], metavar='PREFIX',
                    help='(--compare) the lines starting with PREFIX must be identical')
    ap.add_argument('--icount', action='store_true',
                    help='deterministic: one instruction per ns, PMU instruction counts')
    ap.add_argument('--disk', metavar='FILE', help='attach FILE as a virtio-blk disk')
    ap.add_argument('--input', action='append', default=[], metavar='TEXT',
                    help='type TEXT at the console after the next `[input] ready` line')
    ap.add_argument('--send-on', action='append', nargs=2, default=[], metavar=('REGEX', 'TEXT'),
                    help='type TEXT once the output since the previous one matches REGEX')
    ap.add_argument('--serial-mux', action='store_true',
                    help="the console through QEMU's multiplexer: Ctrl-A b sends a break")
    ap.add_argument('--expect-sequence', action='append', default=[], metavar='N:REGEX',
                    help='(--tests) the lines matching REGEX, whose group is a number, '
                         'number 0..N-1 in order: none lost, none reordered')
    ap.add_argument('images', nargs='+')
    a = ap.parse_args()
    if a.timeout is None:  # a benchmark image runs far longer than a test under icount
        a.timeout = 300 if a.bench else 60
    disk = disk_args(a.disk) if a.disk else []
    inputs = [decode_input(t) for t in a.input]
    send_on = [(r, decode_input(t)) for r, t in a.send_on]
    sequences = []
    for spec in a.expect_sequence:
        count, _, pattern = spec.partition(':')
        if not count.isdigit() or not pattern:
            ap.error('--expect-sequence wants N:REGEX, not %r' % spec)
        sequences.append((int(count), pattern))
    if a.bench:
        return run_bench(a.bench, a.images, a.timeout)
    if a.compare:
        if len(a.images) != 2:
            ap.error('--compare needs two images')
        return run_compare(a.images, a.timeout, ICOUNT if a.icount else (), a.same_lines)
    if len(a.images) != 1:
        ap.error('exactly one image')
    if a.expect_status is not None:
        return run_expect(a.images[0], a.timeout, a.expect_status, a.expect,
                          (ICOUNT if a.icount else []) + disk, inputs, send_on, a.serial_mux)
    if a.tests:
        return run_tests(a.images[0], a.timeout, (ICOUNT if a.icount else []) + disk, a.expect,
                         inputs, sequences, send_on, a.serial_mux)
    extra = ['-S', '-gdb', 'tcp::1234'] if a.gdb else []
    extra += disk
    extra += ICOUNT if a.icount else []
    if a.gdb:
        print('qemurun: waiting for gdb on tcp::1234 (gdb-multiarch -x build/.gdbinit)')
    status, _ = boot(a.images[0], 0 if a.gdb else a.timeout, extra, inputs=inputs,
                     interactive=sys.stdin.isatty(), send_on=send_on, mux=a.serial_mux)
    if status is None:
        print('qemurun: TIMEOUT after %ss' % a.timeout)
        return 124
    return status


if __name__ == '__main__':
    sys.exit(main())
