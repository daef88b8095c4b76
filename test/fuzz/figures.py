#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""docs/testing.md's fuzz figures, written from a run and checked against one.

  figures.py write [--run] [--dir DIR]
      fill the figures into docs/testing.md from the coverage run in DIR
      (default build/coverage: `scons coverage`, all suites or
      SUITES=fuzz-typed,fuzz-guest); --run makes that run first
      (`scons docs` does: DIR build/test/fuzz-docs)
  figures.py check [--run] [--dir DIR]
      the same figures from the run, compared with the doc: one test per
      figure, then `N passed, N failed` (suite fuzz-docs: --run, so a fresh
      run of the fuzz suites under the coverage log, some 15 s of QEMU)

Figures are markers in the doc, never typed by hand:
  <!-- coverage of SUITE -->L% of lines, I% of instructions<!-- end -->
      the suite's kernel coverage alone (coverage.json; the same markers
      `scons coverage DOCS=1` fills from a run of every suite);
  <!-- fuzz:NAME -->text<!-- /fuzz -->
      a figure of the fuzzers' own output (FIGURES below: the suite's
      console in DIR/logs/SUITE/console.txt).
The figures are those of the default build parameters (FUZZ_SEED=1 and
FUZZ_CALLS' defaults): a run built with others is no evidence for or
against the doc, and `check` skips it.
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DOC = os.path.join(ROOT, 'docs', 'testing.md')
SUITES = ['fuzz-typed', 'fuzz-guest']
sys.path.insert(0, os.path.join(ROOT, 'tools', 'coverage'))
import coverage  # noqa: E402


def num(s):
    return '{:,}'.format(int(s))


def pct(a, b):
    return '%.0f%%' % (100.0 * int(a) / int(b)) if int(b) else '-'


def pct1(a, b):
    return '%.1f%%' % (100.0 * int(a) / int(b)) if int(b) else '-'


# NAME: (suite, regex over its console, the text from the match's groups).
FIGURES = {
    'typed-calls': ('fuzz-typed', r'\[fuzz\] typed fuzzer: seed (0x[0-9a-f]+), (\d+) calls',
                    lambda s, n: '%s typed' % num(n)),
    'guest-calls': ('fuzz-guest', r'\[fuzz\] guest fuzzer: seed (0x[0-9a-f]+), (\d+) calls',
                    lambda s, n: '%s guest' % num(n)),
    'typed-results': ('fuzz-typed',
                      r'fuzz_typed_failed_lookups_below_10_percent \((\d+) of (\d+)\)'
                      r'[\s\S]*fuzz_typed_succeeded_above_a_third \((\d+) of (\d+)\)',
                      lambda lf, n, ok, _n: '%s of the calls succeed (%s of %s typed calls), '
                      '%s fail a capability lookup (%s)'
                      % (pct(ok, n), num(ok), num(n), pct1(lf, n), num(lf))),
    'typed-irq': ('fuzz-typed', r'fuzz_typed_irq_control_get_made_refused_and_found_claimed_'
                  r'lines \((\d+) (\d+) (\d+)\)',
                  lambda made, refused, claimed: '%s handlers made, %s lines refused, %s found '
                  'claimed' % (num(made), num(refused), num(claimed))),
    'typed-ipc': ('fuzz-typed', r'fuzz_typed_faults_handled_replies_lost_upcalls '
                  r'\((\d+) (\d+) (\d+)\)',
                  lambda f, r, u: '%s faults handled, %s replies lost, %s upcalls of the '
                  "typed world's guest" % (num(f), num(r), num(u))),
    'guest-upcalls': ('fuzz-guest', r'fuzz_guest_upcalls_of_every_cause '
                      r'\((\d+) (\d+) (\d+) (\d+)\)',
                      lambda sc, pf, ud, vi: 'upcalls: %s system calls, %s page faults, %s '
                      'undefined instructions, %s virtual interrupts'
                      % (num(sc), num(pf), num(ud), num(vi))),
}
FUZZ_MARK = re.compile(r'(<!-- fuzz:([\w.-]+) -->)(.*?)(<!-- /fuzz -->)', re.S)
# The build parameters the doc's figures are of (test/fuzz/SConscript's defaults).
DEFAULTS = {'fuzz-typed': ('0x00000001', '100000'), 'fuzz-guest': ('0x00000001', '30000')}


def run(out):
    """The fuzz suites afresh under the coverage log (their images as built)."""
    cmd = [sys.executable, os.path.join(ROOT, 'tools', 'coverage', 'coverage.py'), 'run',
           '--suites', ','.join(SUITES), '--out', out]
    r = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if r.returncode:
        sys.stdout.write(r.stdout)
        sys.exit('figures: the coverage run of %s failed' % ', '.join(SUITES))


def measure(out):
    """{suite: coverage figures} and {NAME: text} from the run in out, and
    whether it ran with the default parameters (None) or a reason why not."""
    cov = json.load(open(os.path.join(out, 'coverage.json')))['per_suite']
    consoles, why = {}, None
    for s in SUITES:
        if s not in cov:
            sys.exit('figures: %s has no figures of suite %s: run it (--run)'
                     % (os.path.join(out, 'coverage.json'), s))
        consoles[s] = open(os.path.join(out, 'logs', s, 'console.txt'), errors='replace').read()
        m = re.search(FIGURES['typed-calls' if s == 'fuzz-typed' else 'guest-calls'][1],
                      consoles[s])
        if not m:
            sys.exit('figures: %s printed no parameters' % s)
        if m.groups() != DEFAULTS[s]:
            why = '%s ran with seed %s and %s calls, not the defaults the doc quotes (%s, %s)' % (
                (s,) + m.groups() + DEFAULTS[s])
    texts = {}
    for name, (suite, rx, fmt) in FIGURES.items():
        m = re.search(rx, consoles[suite])
        if not m:
            sys.exit('figures: %s printed nothing for figure %s (%s)' % (suite, name, rx))
        texts[name] = fmt(*m.groups())
    return cov, texts, why


def coverage_text(f):
    # as coverage.py's fill_suite_markers writes it (`scons coverage DOCS=1`)
    return '%.1f%% of lines, %.1f%% of instructions' % (f['line_pct'], f['insn_pct'])


def expected(text, cov, texts):
    """The doc as the run says it should read; and each figure's (name, old, new)."""
    figs = []

    def fuzz(m):
        if m.group(2) not in texts:
            sys.exit('figures: %s quotes an unknown fuzz figure %s (known: %s)'
                     % (DOC, m.group(2), ', '.join(sorted(texts))))
        figs.append(('fuzz:' + m.group(2), m.group(3), texts[m.group(2)]))
        return m.group(1) + texts[m.group(2)] + m.group(4)

    def suite(m):
        if m.group(2) not in SUITES:
            return m.group(0)  # another suite's: `scons coverage DOCS=1` keeps it
        new = coverage_text(cov[m.group(2)])
        figs.append(('coverage of ' + m.group(2), m.group(3), new))
        return m.group(1) + new + m.group(4)

    text = coverage.SUITE_MARK.sub(suite, FUZZ_MARK.sub(fuzz, text))
    return text, figs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('mode', choices=['write', 'check'])
    ap.add_argument('--run', action='store_true', help='run the fuzz suites under coverage first')
    ap.add_argument('--dir', help='the coverage run (default: build/coverage; with --run '
                    'build/test/fuzz-docs)')
    a = ap.parse_args()
    out = a.dir or os.path.join(ROOT, 'build', *(['test', 'fuzz-docs'] if a.run else ['coverage']))
    if a.run:
        run(out)
    cov, texts, why = measure(out)
    old = open(DOC).read()
    new, figs = expected(old, cov, texts)
    if a.mode == 'write':
        if why:
            sys.exit('figures: not written: %s' % why)
        if new != old:
            open(DOC, 'w').write(new)
        print('figures: %d figures in %s (%s)' % (len(figs), os.path.relpath(DOC, ROOT),
                                                 'rewritten' if new != old else 'unchanged'))
        return 0
    if why:
        print('[test] SKIP fuzz_figures_in_docs: %s' % why)
        print('0 passed, 0 failed, 1 skipped')
        return 0
    passed = failed = 0
    for name, was, want in figs:
        test = 'docs_testing_md_%s' % re.sub(r'\W+', '_', name)
        if was == want:
            passed += 1
            print('[test] PASS %s' % test)
        else:
            failed += 1
            print('[test] FAIL %s: the doc says %r, the run %r: run `scons docs` and commit'
                  % (test, was, want))
    if not figs:
        failed += 1
        print('[test] FAIL docs_testing_md_quotes_fuzz_figures: no marker found')
    # The check itself: a doc with one figure changed (each kind of marker)
    # must disagree with the run, so a check that quietly compares nothing
    # cannot pass.
    for mark, rx in (('fuzz', FUZZ_MARK), ('coverage', coverage.SUITE_MARK)):
        planted = rx.sub(lambda m: m.group(1) + 'planted' + m.group(4), new, count=1)
        caught = any(was != want for _, was, want in expected(planted, cov, texts)[1])
        passed, failed = passed + caught, failed + (not caught)
        print('[test] %s fuzz_docs_check_catches_a_changed_%s_figure'
              % ('PASS' if caught else 'FAIL', mark))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
