#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Static analysis of the kernel's C sources, as the build compiles them.

  static.py analyzer DB.json... [--write-docs]   gcc -fanalyzer on every source
  static.py cppcheck DB.json... [--write-docs]   cppcheck on every source

Each DB (build/analysis/kernel-CONFIG.json, written by l4build.analyse_kernel)
names one kernel configuration's compiler, flags, include path, defines and
sources. Every source of every configuration is one test: it passes with no
finding at all. A finding is printed as FILE:LINE: and fails the source it is
reported in. One more test per configuration analyses PLANTED, a file of
deliberate defects, and passes only if exactly its marked findings are
reported: an analyser that stopped finding anything fails. And one test
that docs/testing.md quotes the count of findings (docfigures.py;
--write-docs writes it there). Ends with
`N passed, N failed` (docs/testing.md).
"""
import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docfigures  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
PLANTED = 'test/tools/analysis/planted.c'
GCC_WARN = re.compile(r'^(\S+?):(\d+):(?:\d+:)? (warning|error): (.*)$')
# cppcheck's checks: everything but `information` (missing system headers of
# a freestanding build, checker statistics) and `unusedFunction` (whole-program).
CPPCHECK = ['cppcheck', '-q', '--enable=warning,style,performance,portability',
            '--std=c11', '--platform=unix32', '--inline-suppr', '-D__arm__', '-D__GNUC__',
            '--template={file}:{line}: {severity}: {message} [{id}]']


def analyzer(db, src):
    cmd = ([db['cc']] + db['flags'] + ['-fanalyzer', '-fdiagnostics-plain-output']
           + ['-I' + i for i in db['includes']] + ['-D' + d for d in db['defines']]
           + ['-c', src, '-o', os.devnull])
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    found = [l for l in r.stderr.splitlines() if GCC_WARN.match(l)]
    if r.returncode != 0 and not found:
        found = ['%s: compiler exit status %d: %s' % (src, r.returncode, r.stderr.strip())]
    return found


def cppcheck(db, src):
    cmd = (CPPCHECK + ['-I' + i for i in db['includes']] + ['-D' + d for d in db['defines']]
           + [src])
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    found = [l for l in (r.stdout + r.stderr).splitlines() if re.match(r'^\S+:\d+: ', l)]
    if r.returncode != 0 and not found:
        found = ['%s: cppcheck exit status %d: %s' % (src, r.returncode, r.stderr.strip())]
    return found


def finding_id(line):
    """(file, line, id) of a finding: gcc's [-Wname] or cppcheck's [id]."""
    m = re.match(r'^(\S+?):(\d+):.*\[([-\w]+)\]$', line)
    return (m.group(1), int(m.group(2)), m.group(3)) if m else (None, 0, line)


def planted_expectations(kind):
    """{(line, id)} marked `expect: KIND ID...;` in PLANTED (a mark may
    continue on the next lines of its comment)."""
    want, text = set(), open(os.path.join(ROOT, PLANTED)).read()
    for m in re.finditer(r'expect:(.*?)\*/', text, re.S):
        line = text.count('\n', 0, m.start()) + 1
        for clause in m.group(1).split(';'):
            words = clause.split()
            if words and words[0] == kind:
                want |= {(line, w) for w in words[1:]}
    return want


def canary(kind, check, db):
    got = {(l, i) for (f, l, i) in map(finding_id, check(db, PLANTED))}
    want = planted_expectations(kind)
    ok = got == want and want
    print('[test] %s %s %s:finds_exactly_the_planted_defects%s' % (
        'PASS' if ok else 'FAIL', kind, db['config'],
        '' if ok else ': expected %s, got %s' % (sorted(want), sorted(got))))
    return bool(ok)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ('analyzer', 'cppcheck'):
        sys.exit(__doc__)
    kind, check = sys.argv[1], {'analyzer': analyzer, 'cppcheck': cppcheck}[sys.argv[1]]
    write_docs = '--write-docs' in sys.argv
    dbs = [a for a in sys.argv[2:] if a != '--write-docs']
    jobs = []
    for path in dbs:
        db = json.load(open(path))
        jobs += [(db, s) for s in db['sources']]
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda j: check(*j), jobs))
    passed = failed = 0
    for path in dbs:
        if canary(kind, check, json.load(open(path))):
            passed += 1
        else:
            failed += 1
    for (db, src), found in zip(jobs, results):
        name = '%s:%s' % (db['config'], src)
        for line in found:
            print(line)
        if found:
            failed += 1
            print('[test] FAIL %s %s: %d finding(s)' % (kind, name, len(found)))
        else:
            passed += 1
            print('[test] PASS %s %s' % (kind, name))
    findings = sum(len(f) for f in results)
    print('%s: %d sources, %d findings' % (kind, len(jobs), findings))
    if write_docs:
        docfigures.write({kind: findings})
    if docfigures.check(kind, findings):
        passed += 1
    else:
        failed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed or not jobs else 0


if __name__ == '__main__':
    sys.exit(main())
