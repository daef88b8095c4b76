#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check that the committed ABI tables equal the generated ones.
usage: check_docs.py GENERATED COMMITTED"""
import sys

gen, committed = sys.argv[1], sys.argv[2]
try:
    same = open(gen).read() == open(committed).read()
except OSError as e:
    print('check_docs: %s' % e)
    same = False
if not same:
    print('check_docs: %s differs from %s: run `scons docs` and commit' % (committed, gen))
print('[test] %s abi_reference_tables_current' % ('PASS' if same else 'FAIL'))
print('%d passed, %d failed' % (1 if same else 0, 0 if same else 1))
sys.exit(0 if same else 1)
