#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Suite `components-doc`: docs/components.md shows the example files as
they are in the tree (each indented four spaces, without its SPDX line),
so the skeleton a newcomer copies is one that builds and runs (suite
`hello`). Prints `N passed, N failed`."""
import os
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
FILES = ['servers/hello/SConscript', 'servers/hello/hello.c', 'servers/hello-client/SConscript',
         'servers/hello-client/client.c', 'systems/hello.sys']


def block(path):
    lines = open(os.path.join(TOP, path)).read().splitlines()
    if lines and 'SPDX' in lines[0]:
        lines = lines[1:]
    return '\n'.join(('    ' + l) if l else '' for l in lines) + '\n'


def main():
    doc = open(os.path.join(TOP, 'docs', 'components.md')).read()
    passed = failed = 0
    for f in FILES:
        ok = block(f) in doc
        print('%s docs_components_md_shows_%s' % ('PASS' if ok else 'FAIL', f))
        passed += ok
        failed += not ok
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
