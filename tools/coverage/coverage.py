#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Kernel line and instruction coverage of the in-QEMU test suites.

  coverage.py run [--suites PATTERN,...] [--out DIR]
      runs every suite of build/tests.json that boots QEMU through
      tools/qemurun (or those matching the patterns, fnmatch style) with
      QEMU's translated-block log on, then reports as below
  coverage.py report [--suites PATTERN,...] [--out DIR]
      reports from the logs of an earlier run (DIR/logs/<suite>/)
  --docs FILE   also write the figures into FILE between the lines
                `<!-- coverage figures -->` and `<!-- end of coverage figures -->`,
                and one suite's alone between `<!-- coverage of SUITE -->` and
                `<!-- end -->` (`scons coverage DOCS=1`: docs/testing.md)

Writes DIR/kernel.txt (per-file figures, every uncovered line with its
source), DIR/annotated/<file>.txt (each source line marked + covered,
- uncovered, ? covered by predicated instructions only), DIR/coverage.json
(all figures, also per suite), and ends with
`kernel coverage: L% lines, I% instructions`. The method: kcov.py and
docs/testing.md.
"""
import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import kcov  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'testrun'))
import testrun  # noqa: E402


def qemu_suites(manifest, patterns):
    # Booted through qemurun's command line, or its module (`boots`:
    # l4build.add_suite); not under gdb (qemurun.QEMU alone: no trace).
    suites = [s for s in manifest if ('tools/qemurun/qemurun.py' in s['command'] or s.get('boots'))
              and '--gdb' not in s['command']]
    if not patterns:
        return suites
    chosen = [s for s in suites if any(fnmatch.fnmatchcase(s['name'], p) for p in patterns)]
    for p in patterns:
        if not any(fnmatch.fnmatchcase(s['name'], p) for s in suites):
            sys.exit('coverage: no in-QEMU suite matches %r (in-QEMU suites: %s)'
                     % (p, ', '.join(s['name'] for s in suites)))
    return chosen


_elves = {}


def kernel_elf(path):
    """KernelElf of an image, mapped once per run."""
    path = os.path.abspath(path)
    if path not in _elves:
        _elves[path] = kcov.KernelElf(path, ROOT)
    return _elves[path]


def trace_filter(images):
    """-dfilter ranges: the kernel text of every image, at its link address
    and at its load address (boot code runs there with the MMU off)."""
    ranges = set()
    for path in images:
        elf = kernel_elf(path)
        if elf.is_kernel and elf.insns:
            ranges.add((elf.lo, elf.hi - 1))
            ranges.add((elf.lo - elf.phys_offset, elf.hi - 1 - elf.phys_offset))
    return ','.join('0x%x..0x%x' % r for r in sorted(ranges))


def run_suite(suite, logdir, tfilter):
    shutil.rmtree(logdir, ignore_errors=True)
    os.makedirs(logdir)
    env = dict(os.environ, QEMURUN_TRACE_DIR=logdir, QEMURUN_TRACE_FILTER=tfilter)
    t0 = time.time()
    r = subprocess.run(suite['command'], shell=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = r.stdout.decode('utf-8', 'replace')
    with open(os.path.join(logdir, 'console.txt'), 'w') as f:
        f.write(out)
    p, fails = testrun.counts(suite['kind'], out)
    ok = r.returncode == 0 and p is not None and not fails
    return suite['name'], ok, time.time() - t0


def suite_coverage(logdir):
    """Coverage of one suite's logs."""
    cov = kcov.Coverage()
    for name in sorted(os.listdir(logdir)):
        if not name.endswith('.image'):
            continue
        elf = kernel_elf(open(os.path.join(logdir, name)).read().strip())
        log = os.path.join(logdir, name[:-len('.image')] + '.log')
        if not elf.is_kernel:
            continue            # a bare-metal guest booted natively
        cov.add_elf(elf)
        if os.path.exists(log):
            cov.add_run(elf, kcov.covered_addrs(elf, kcov.log_blocks(log)))
    return cov


def source_lines(path):
    try:
        with open(os.path.join(ROOT, path), errors='replace') as f:
            return f.read().splitlines()
    except OSError:
        return []


def write_reports(out, cov, per_suite, suites):
    total = cov.figures()
    files = {f: cov.figures({f}) for f in cov.files()}
    with open(os.path.join(out, 'coverage.json'), 'w') as f:
        json.dump({'suites': suites, 'total': total, 'files': files,
                   'per_suite': {n: c.figures() for n, c in per_suite.items()}}, f, indent=1)
        f.write('\n')
    ann = os.path.join(out, 'annotated')
    shutil.rmtree(ann, ignore_errors=True)
    rep = ['Kernel coverage of suites: %s' % ', '.join(suites), '',
           '%-44s %15s %7s %15s %7s' % ('file', 'lines', '%', 'instructions', '%')]
    for name, fig in files.items():
        rep.append('%-44s %7d/%-7d %6.1f%% %7d/%-7d %6.1f%%' % (
            name, fig['lines_covered'], fig['lines'], fig['line_pct'],
            fig['instructions_covered'], fig['instructions'], fig['insn_pct']))
    rep.append('%-44s %7d/%-7d %6.1f%% %7d/%-7d %6.1f%%' % (
        'total', total['lines_covered'], total['lines'], total['line_pct'],
        total['instructions_covered'], total['instructions'], total['insn_pct']))
    uncovered, uncertain = [], []
    for name in files:
        src = source_lines(name)
        marks = {}
        for (f, line) in cov.total:
            if f == name:
                marks[line] = cov.line_state((f, line))
        for line in sorted(marks):
            text = src[line - 1].strip() if line <= len(src) else ''
            if marks[line] == '-':
                uncovered.append('%s:%d: %s' % (name, line, text))
            elif marks[line] == '?':
                uncertain.append('%s:%d: %s' % (name, line, text))
        path = os.path.join(ann, name + '.txt')
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write('# %s: + covered, - not covered, ? covered only by predicated '
                    'instructions; covered/total instructions\n' % name)
            for n, text in enumerate(src, 1):
                key = (name, n)
                if key in cov.total:
                    f.write('%5d %s %3d/%-3d| %s\n' % (n, marks[n], len(cov.covered.get(key, ())),
                                                        len(cov.total[key]), text))
                else:
                    f.write('%5d %9s| %s\n' % (n, '', text))
    rep += ['', 'Uncovered lines (%d):' % len(uncovered)] + uncovered
    rep += ['', 'Lines covered only by predicated instructions, which may not have '
            'done anything (%d):' % len(uncertain)] + uncertain
    with open(os.path.join(out, 'kernel.txt'), 'w') as f:
        f.write('\n'.join(rep) + '\n')
    return total, files


BEGIN, END = '<!-- coverage figures -->', '<!-- end of coverage figures -->'


def write_docs(path, total, per_suite, suites):
    """The figures table in the docs, generated (never typed by hand)."""
    import datetime
    rows = ['| suites | lines | instructions | lines without uncertain ones |',
            '|---|---|---|---|']
    fig = lambda f: '%.1f%% (%d/%d)' % (f['line_pct'], f['lines_covered'], f['lines'])
    rows.append('| all %d in-QEMU suites | %s | %.1f%% | %.1f%% |' % (
        len(suites), fig(total), total['insn_pct'], total['line_pct_conservative']))
    # A family of three or more suites named alike (user-fault-1, ...: the
    # pattern user-*) is one row, merged; every other suite is a row of its own.
    family = lambda n: n.split('-', 1)[0] + '-*' if '-' in n else n
    count = {}
    for name in suites:
        count[family(name)] = count.get(family(name), 0) + 1
    done = set()
    for name in suites:
        key = family(name) if count[family(name)] >= 3 else name
        if key in done:
            continue
        done.add(key)
        members = [n for n in suites if (family(n) if count[family(n)] >= 3 else n) == key]
        cov = kcov.Coverage()
        for n in members:
            cov.merge(per_suite[n])
        f = cov.figures()
        if f['lines']:
            label = ('`%s` (%d suites)' % (key, len(members)) if len(members) > 1
                     else '`%s` alone' % key)
            rows.append('| %s | %s | %.1f%% | %.1f%% |' % (
                label, fig(f), f['insn_pct'], f['line_pct_conservative']))
    text = open(path).read()
    if BEGIN not in text or END not in text:
        sys.exit('coverage: %s has no %s ... %s section' % (path, BEGIN, END))
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    body = '\n'.join(['', 'Measured %s with `scons coverage DOCS=1` (which writes this table):'
                       % datetime.date.today().isoformat(), ''] + rows + [''])
    text = fill_suite_markers(head + BEGIN + body + END + tail, per_suite, path)
    open(path, 'w').write(text)
    print('coverage: wrote the figures into %s' % os.path.relpath(path, ROOT))


# One suite's figure quoted in running text (the fuzzer's, docs/testing.md):
# `<!-- coverage of NAME -->L% of lines, I% of instructions<!-- end -->`.
SUITE_MARK = re.compile(r'(<!-- coverage of ([\w.-]+) -->)(.*?)(<!-- end -->)', re.S)


def fill_suite_markers(text, per_suite, path):
    def fill(m):
        if m.group(2) not in per_suite:
            sys.exit('coverage: %s quotes the coverage of suite %s, which did not run'
                     % (path, m.group(2)))
        f = per_suite[m.group(2)].figures()
        return '%s%.1f%% of lines, %.1f%% of instructions%s' % (
            m.group(1), f['line_pct'], f['insn_pct'], m.group(4))
    return SUITE_MARK.sub(fill, text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('mode', choices=['run', 'report'])
    ap.add_argument('--suites', default='', help='comma-separated suite names or patterns')
    ap.add_argument('--tests', default=os.path.join(ROOT, 'build', 'tests.json'))
    ap.add_argument('--out', default=os.path.join(ROOT, 'build', 'coverage'))
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--docs', help='write the figures into this file (docs/testing.md)')
    a = ap.parse_args()
    patterns = [p for p in a.suites.split(',') if p]
    if a.docs and patterns:
        sys.exit('coverage: the figures in the docs are of all suites: no SUITES with DOCS=1')
    suites = qemu_suites(json.load(open(a.tests)), patterns)
    logs = os.path.join(a.out, 'logs')
    failed = []
    if a.mode == 'run':
        images = sorted({os.path.join(ROOT, w) for s in suites for w in s['command'].split()
                         if w.endswith('.elf') and os.path.exists(os.path.join(ROOT, w))})
        tfilter = trace_filter(images)
        t0 = time.time()
        with ThreadPoolExecutor(max(1, a.jobs)) as pool:
            results = list(pool.map(lambda s: run_suite(s, os.path.join(logs, s['name']), tfilter),
                                    suites))
        for name, ok, secs in results:
            print('coverage: suite %-16s %s in %5.1f s' % (name, 'passed' if ok else 'FAILED', secs))
            if not ok:
                failed.append(name)
        print('coverage: %d suites ran in %.1f s' % (len(results), time.time() - t0))
    per_suite, total = {}, kcov.Coverage()
    for s in suites:
        d = os.path.join(logs, s['name'])
        if not os.path.isdir(d):
            sys.exit('coverage: no logs for suite %s in %s: use `run` first' % (s['name'], d))
        per_suite[s['name']] = suite_coverage(d)
        total.merge(per_suite[s['name']])
    fig, files = write_reports(a.out, total, per_suite, [s['name'] for s in suites])
    for name, c in per_suite.items():
        f = c.figures()
        if not f['lines']:
            print('coverage: %-16s boots no kernel image' % name)
            continue
        print('coverage: %-16s alone: %5.1f%% lines, %5.1f%% instructions'
              % (name, f['line_pct'], f['insn_pct']))
    print('coverage: per file and every uncovered line: %s' % os.path.relpath(
        os.path.join(a.out, 'kernel.txt'), ROOT))
    print('coverage: %d of %d lines covered (%d only by predicated instructions: '
          '%.1f%% without them), %d of %d instructions'
          % (fig['lines_covered'], fig['lines'], fig['lines_uncertain'],
             fig['line_pct_conservative'], fig['instructions_covered'], fig['instructions']))
    if a.docs and not failed and fig['lines']:
        write_docs(a.docs, fig, per_suite, [s['name'] for s in suites])
    for name in failed:
        print('coverage: suite %s FAILED: its console is in %s' % (
            name, os.path.relpath(os.path.join(logs, name, 'console.txt'), ROOT)))
    if not fig['lines']:
        # No line at all is no figure (an image whose sources could not be
        # found, say), never 100%.
        print('coverage: no kernel source line found in any image: nothing measured')
        return 1
    print(kcov.summary_line(fig))
    return 1 if failed or not suites else 0


if __name__ == '__main__':
    sys.exit(main())
