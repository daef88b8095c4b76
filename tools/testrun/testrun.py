#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Run every registered test suite and print one closing `N passed, N failed`.

The manifest (build/tests.json, written by SConstruct) lists suites as
{name, kind, command}. kind `plain`: the suite's last `N passed, N failed` line
gives its counts (a `, N skipped` after it is shown in the summary: a suite
whose tool is absent skips and says why); kind `cmocka`: the CMocka
`[  PASSED  ]`/`[  FAILED  ]` summary does. A suite that crashes, or exits non-zero without reporting a failure, counts
one failure, so nothing can pass by dying quietly.
"""
import fnmatch
import json
import os
import re
import subprocess
import sys

PLAIN = re.compile(r'^(?:\w+: )?(\d+) passed, (\d+) failed')
SKIPPED = re.compile(r'^(?:(?:\w+: )?\d+ passed, \d+ failed, (\d+) skipped|'
                     r'\[  SKIPPED \] (\d+) test)')
CM_PASS = re.compile(r'^\[  PASSED  \] (\d+) test')
CM_FAIL = re.compile(r'^\[  FAILED  \] (\d+) test')


def counts(kind, out):
    p = f = None
    for line in out.splitlines():
        line = line.strip()
        if kind == 'plain':
            m = PLAIN.match(line)
            if m:
                p, f = int(m.group(1)), int(m.group(2))
        else:
            m = CM_PASS.match(line)
            if m:
                p = (p or 0) + int(m.group(1))
            m = CM_FAIL.match(line)
            if m:
                f = (f or 0) + int(m.group(1))
    return p, f


def main():
    suites = json.load(open(sys.argv[1]))
    # SUITES=name,pattern,...: those suites alone (a quick check while working;
    # CI runs them all).
    only = [p for p in os.environ.get('SUITES', '').split(',') if p]
    if only:
        suites = [s for s in suites if any(fnmatch.fnmatchcase(s['name'], p) for p in only)]
    total_p = total_f = 0
    summary = []
    for s in suites:
        print('=== suite %s: %s' % (s['name'], s['command']), flush=True)
        r = subprocess.run(s['command'], shell=True, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        out = r.stdout.decode('utf-8', 'replace')
        sys.stdout.write(out)
        p, f = counts(s['kind'], out)
        if p is None and f is None:
            p, f = 0, 1
            print('testrun: suite %s reported no counts (exit %d)' % (s['name'], r.returncode))
        p, f = p or 0, f or 0
        if r.returncode != 0 and f == 0:
            f = 1
            print('testrun: suite %s exited %d with no failure counted' % (s['name'], r.returncode))
        skips = [int(m.group(1) or m.group(2)) for m in map(SKIPPED.match, out.splitlines()) if m]
        summary.append((s['name'], p, f, skips[-1] if skips else 0))
        total_p += p
        total_f += f
    print('=== summary')
    for name, p, f, skipped in summary:
        print('  %-20s %4d passed, %d failed%s' % (
            name, p, f, ', %d skipped' % skipped if skipped else ''))
    print('%d passed, %d failed' % (total_p, total_f))
    return 0 if total_f == 0 and suites else 1


if __name__ == '__main__':
    sys.exit(main())
