#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Frama-C Eva on the generic kernel core, through the drivers in test/eva/.

  eva.py EVA.json KERNEL-DB.json [--write-docs]

EVA.json (written by l4build.eva_drivers) lists each driver with the kernel
sources it analyses and its Eva options; KERNEL-DB.json (l4build.analyse_kernel)
gives the kernel's include path and defines. Every driver is one test: it
passes when Eva reports 0 alarms and every logical property it reaches (the
ACSL preconditions in the kernel sources and in the drivers' models) is
valid. One more test analyses the planted driver and passes only if Eva
finds its one defect. Without frama-c the suite reports one skip, with the
reason, and fails nothing: ./build.sh installs frama-c-base, so CI runs it.
Ends with `N passed, N failed` (docs/testing.md).
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import docfigures  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
# Eva's value analysis on a 32-bit little-endian machine model (Frama-C 25 has
# no ARM one; the kernel's types have the same sizes and alignments under
# gcc_x86_32, and `cap.h`/`tcb.h` assert the sizes that matter), with no C
# library: the kernel is freestanding and the drivers model what they need.
BASE = ['frama-c', '-c11', '-machdep', 'gcc_x86_32', '-no-frama-c-stdlib',
        '-cpp-extra-args=-nostdinc', '-eva', '-eva-no-print', '-eva-msg-key=-summary']


def run(sources, options, db):
    cmd = (BASE + ['-cpp-extra-args=-I%s' % i for i in db['includes']]
           + ['-cpp-extra-args=-D%s' % d for d in db['defines']]
           + ['-cpp-extra-args=-Itest/eva'] + options + sources + ['-then', '-report'])
    t0 = time.time()
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    out = r.stdout + r.stderr
    alarms = [l.strip() for l in out.splitlines() if l.startswith('[eva:alarm]')]
    # -report: one line per property status; anything but Valid is a failure.
    statuses = re.findall(r'^\[\s*(Valid|Unknown|Invalid|Partial|Dead|-)[^\]]*\] (.*)$', out, re.M)
    unproven = ['%s: %s' % (s, p) for (s, p) in statuses if s not in ('Valid', 'Dead')]
    # Every driver ends by calling eva_end() (test/eva/eva.h): unless that
    # call is reached, some state died on the way and what follows was never
    # analysed (0 alarms there would mean nothing).
    if not any(s == 'Valid' and "'driver_end_reached'" in p for (s, p) in statuses):
        unproven.append('the end of the driver is not reached (eva_end)')
    return r.returncode, alarms, unproven, len(statuses), time.time() - t0, out


def main():
    spec, db = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
    write_docs = '--write-docs' in sys.argv[3:]
    if not shutil.which('frama-c'):
        print('[test] SKIP eva: frama-c is not installed (Debian package frama-c-base; '
              './build.sh installs it)')
        print('0 passed, 0 failed, 1 skipped')
        return 0
    jobs = [('planted', [spec['planted']], [])] + [
        (d['name'], d['sources'], d['options']) for d in spec['drivers']]
    with ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda j: run(j[1], j[2], db), jobs))
    passed = failed = 0
    for (name, sources, _), (rc, alarms, unproven, nprops, secs, out) in zip(jobs, results):
        if name == 'planted':
            ok = rc == 0 and len(alarms) == 1
            what = 'finds_the_planted_defect'
            detail = '%d alarm(s), expected 1' % len(alarms)
        else:
            ok = rc == 0 and not alarms and not unproven and nprops > 0
            what = name
            detail = '%d alarms, %d unproven of %d properties, %.0f s' % (
                len(alarms), len(unproven), nprops, secs)
            for line in alarms + unproven:
                print('eva: %s: %s' % (name, line))
            if rc != 0:
                print(out[-3000:])
        print('[test] %s eva %s: %s' % ('PASS' if ok else 'FAIL', what, detail))
        passed, failed = passed + ok, failed + (not ok)
        if name != 'planted':  # the count docs/testing.md quotes (docfigures.py)
            if write_docs:
                docfigures.write({'eva-' + name: len(alarms)})
            doc_ok = docfigures.check('eva-' + name, len(alarms))
            passed, failed = passed + doc_ok, failed + (not doc_ok)
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
