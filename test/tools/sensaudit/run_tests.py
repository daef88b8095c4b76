#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Test suite for sensaudit: runs the tool on the crafted images and on bad
input, prints one line per test and ends with `N passed, N failed`.

Expected findings come from the images themselves: every X_<class>_<n> label
(see expect.inc) marks one instruction that must be reported with that class,
and nothing else may be reported. Run from the repository root by `scons test`:

    run_tests.py --tool build/tools/sensaudit --dir build/test/tools/sensaudit
"""
import argparse
import json
import os
import random
import re
import struct
import subprocess
import sys
import tempfile

CLASSES = {'coproc', 'psr', 'cps', 'srs', 'rfe', 'exception-return', 'ldm-stm-user',
           'eret', 'smc', 'hvc', 'wfi-wfe', 'vfp-system', 'unprivileged-ldst',
           'undecodable'}
LABELLED = ['arm_sensitive.elf', 'thumb_sensitive.elf', 'allowed.elf', 'undecodable.elf',
            'nomap.elf', 'arm_sensitive.o', 'thumb_sensitive.o', 'allowed.o']
PLAIN_LINE = re.compile(r'^(?P<file>.+): 0x(?P<addr>[0-9a-f]{8}) <(?P<func>[^>]*)\+0x[0-9a-f]+> '
                        r'\[(?P<isa>arm|thumb)\] (?P<cls>[a-z-]+): (?P<text>.+)$')
FUZZ_CASES = 300

# Sanitizer reports must not look like "findings" (exit 1): make them distinct.
ENV = dict(os.environ, ASAN_OPTIONS='exitcode=99:detect_leaks=1',
           UBSAN_OPTIONS='exitcode=98:print_stacktrace=1')


class Suite:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, why=''):
        if ok:
            self.passed += 1
            print('PASS %s' % name)
        else:
            self.failed += 1
            print('FAIL %s: %s' % (name, why))
        sys.stdout.flush()


def run(tool, *args):
    p = subprocess.run([tool] + list(args), capture_output=True, text=True, env=ENV,
                       timeout=60)
    return p.returncode, p.stdout, p.stderr


def sanitizer_clean(err):
    return 'Sanitizer' not in err and 'runtime error' not in err


def expected_findings(nm, path, silent=None):
    """{(address, class)} from the X_ and XT_ labels, via nm; with silent
    True/False only those that do not / do trap at PL0 (X_ / XT_)."""
    out = subprocess.run([nm, path], capture_output=True, text=True, check=True).stdout
    want = set()
    for line in out.splitlines():
        m = re.match(r'^([0-9a-f]+) \w X(T?)_([a-z_]+)_\d+$', line)
        if m and (silent is None or silent == (m.group(2) == '')):
            want.add((int(m.group(1), 16) & ~1, m.group(3).replace('_', '-')))
    return want


def test_labelled(s, tool, nm, d, name):
    path = os.path.join(d, name)
    want = expected_findings(nm, path)
    rc, out, err = run(tool, '--json', path)
    try:
        found = json.loads(out)
    except ValueError as e:
        s.check('%s: json parses' % name, False, '%s; stderr: %s' % (e, err))
        return
    s.check('%s: json parses' % name, isinstance(found, list) and sanitizer_clean(err), err)
    got = {(f['address'], f['class']) for f in found}
    s.check('%s: findings are exactly the labelled ones (%d)' % (name, len(want)),
            got == want, 'missing %s; unexpected %s' % (
                sorted((hex(a), c) for a, c in want - got),
                sorted((hex(a), c) for a, c in got - want)))
    s.check('%s: exit status %d' % (name, 1 if want else 0), rc == (1 if want else 0),
            'got %d' % rc)
    keys_ok = all(set(f) == {'file', 'address', 'function', 'isa', 'class', 'silent', 'text'}
                  and f['file'] == path and f['class'] in CLASSES and f['text'] for f in found)
    s.check('%s: json fields' % name, keys_ok, json.dumps(found[:2]))
    silent = expected_findings(nm, path, silent=True)
    got_silent = {(f['address'], f['class']) for f in found if f['silent']}
    s.check('%s: "silent" is set exactly on the X_ (not XT_) findings' % name,
            got_silent == silent, 'missing %s; unexpected %s' % (
                sorted((hex(a), c) for a, c in silent - got_silent),
                sorted((hex(a), c) for a, c in got_silent - silent)))
    rc3, out3, _ = run(tool, '--silent', '--json', path)
    only = {(f['address'], f['class']) for f in json.loads(out3)} if rc3 in (0, 1) else None
    s.check('%s: --silent reports exactly the silent findings (%d)' % (name, len(silent)),
            only == silent and rc3 == (1 if silent else 0), 'rc %d' % rc3)
    # Functions are named <isa>_*: the reported instruction set must match.
    isa_ok = all(f['function'].split('_')[0] == f['isa'] for f in found)
    s.check('%s: instruction set per finding' % name, isa_ok,
            [f for f in found if f['function'].split('_')[0] != f['isa']][:2])
    rc2, out2, err2 = run(tool, path)
    lines = out2.splitlines()
    parsed = [PLAIN_LINE.match(l) for l in lines[:-1]]
    plain = {(int(m.group('addr'), 16), m.group('cls')) for m in parsed if m}
    s.check('%s: plain output agrees with json' % name,
            rc2 == rc and all(parsed) and plain == got and lines and
            lines[-1] == '%d findings' % len(found), out2[-300:])


def test_golden(s, tool, d):
    path = os.path.join(d, 'nomap.elf')
    here = os.path.dirname(os.path.abspath(__file__))
    want = open(os.path.join(here, 'nomap.expected')).read().replace('{file}', path)
    rc, out, err = run(tool, path)
    s.check('nomap.elf: plain output matches nomap.expected', out == want and rc == 1,
            'got:\n' + out)


def test_multi(s, tool, d):
    a, t = os.path.join(d, 'arm_sensitive.elf'), os.path.join(d, 'allowed.elf')
    n = len(json.loads(run(tool, '--json', a)[1]))
    rc, out, _ = run(tool, a, t)
    s.check('two files: one total count line', rc == 1 and out.splitlines()[-1] ==
            '%d findings' % n, out.splitlines()[-1:])
    rc, out, _ = run(tool, '--json', t)
    s.check('clean file: json is an empty array, exit 0', rc == 0 and json.loads(out) == [],
            '%d %r' % (rc, out))
    rc, out, _ = run(tool, t)
    s.check('clean file: plain says 0 findings', rc == 0 and out == '0 findings\n', repr(out))


def elf_layout(data):
    """Section headers of a little-endian ELF32 as dicts, plus shoff."""
    shoff, = struct.unpack_from('<I', data, 32)
    shnum, shstrndx = struct.unpack_from('<HH', data, 48)
    secs = []
    for i in range(shnum):
        f = struct.unpack_from('<10I', data, shoff + 40 * i)
        secs.append(dict(zip(['name', 'type', 'flags', 'addr', 'offset', 'size', 'link',
                              'info', 'align', 'entsize'], f), hdr=shoff + 40 * i))
    return shoff, secs


def patched(data, offset, fmt, value):
    b = bytearray(data)
    struct.pack_into(fmt, b, offset, value)
    return bytes(b)


def bad_inputs(good, tool):
    """(name, bytes or None for 'use path as is', stderr fragment)."""
    shoff, secs = elf_layout(good)
    text = next(s for s in secs if s['flags'] & 4)
    symtab = next(s for s in secs if s['type'] == 2)
    return [
        ('empty file', b'', 'empty file'),
        ('not ELF (text)', b'this is not an ELF file\n' * 4, 'not an ELF file'),
        ('truncated header', good[:30], 'truncated ELF header'),
        ('truncated before section headers', good[:shoff + 20], 'beyond end of file'),
        ('truncated section data', good[:text['offset'] + 8], 'beyond end of file'),
        ('host x86-64 ELF', open(tool, 'rb').read(), 'not ELF32'),
        ('wrong machine (i386)', patched(good, 18, '<H', 3), 'not an ARM file'),
        ('big-endian', patched(good, 5, 'B', 2), 'not little-endian'),
        ('bad e_shentsize', patched(good, 46, '<H', 32), 'e_shentsize'),
        ('e_shoff beyond file', patched(good, 32, '<I', 0xfffffff0), 'beyond end of file'),
        ('no section headers', patched(good, 32, '<I', 0), 'no section header table'),
        ('code section offset beyond file', patched(good, text['hdr'] + 16, '<I', 0xffffff00),
         'beyond end of file'),
        ('code section size wraps', patched(good, text['hdr'] + 20, '<I', 0xffffffff),
         'beyond end of file'),
        ('bad e_shstrndx', patched(good, 50, '<H', 0x7fff), 'section name table'),
        ('bad symtab string link', patched(good, symtab['hdr'] + 24, '<I', 9999),
         'string table link'),
        ('symbol name out of bounds',
         patched(good, symtab['offset'] + 16, '<I', 0x7fffffff), 'name out of bounds'),
        ('bad symtab entsize', patched(good, symtab['hdr'] + 36, '<I', 12), 'entry size'),
    ]


def test_bad_inputs(s, tool, d, tmp):
    good_path = os.path.join(d, 'arm_sensitive.elf')
    good = open(good_path, 'rb').read()
    for name, data, fragment in bad_inputs(good, tool):
        path = os.path.join(tmp, re.sub(r'\W+', '_', name))
        with open(path, 'wb') as f:
            f.write(data)
        rc, out, err = run(tool, path)
        s.check('bad input: %s -> exit 2, message' % name,
                rc == 2 and path in err and fragment in err and sanitizer_clean(err) and
                out == '0 findings\n', 'rc %d, stderr %r' % (rc, err))
    missing = os.path.join(tmp, 'does-not-exist.elf')
    rc, out, err = run(tool, missing)
    s.check('bad input: missing file -> exit 2', rc == 2 and missing in err and
            'cannot open' in err, 'rc %d %r' % (rc, err))
    rc, out, err = run(tool, tmp)
    s.check('bad input: directory -> exit 2', rc == 2 and 'not a regular file' in err,
            'rc %d %r' % (rc, err))
    rc, out, err = run(tool, missing, good_path)
    s.check('bad and good file: exit 2, good file still reported',
            rc == 2 and 'findings' in out and not out.startswith('0 findings'),
            'rc %d' % rc)
    rc, out, err = run(tool, '--bogus', good_path)
    s.check('unknown option -> exit 2', rc == 2 and 'unknown option' in err, err)
    rc, out, err = run(tool)
    s.check('no files -> exit 2 with usage', rc == 2 and 'usage' in err, err)


def mutate(rng, good, hot):
    b = bytearray(good)
    for _ in range(rng.randint(1, 8)):
        if rng.random() < 0.7:
            lo, hi = rng.choice(hot)
            pos = rng.randrange(lo, hi)
        else:
            pos = rng.randrange(len(b))
        b[pos] = rng.choice([0, 0xff, 0x7f, 0x80, rng.randrange(256)])
    if rng.random() < 0.1:
        b = b[:rng.randrange(len(b))]
    return bytes(b)


def test_fuzz(s, tool, d, tmp):
    """Mutants of valid images: any of exit 0/1/2, never a sanitizer report."""
    rng = random.Random(20240601)
    bad = []
    for name in ('thumb_sensitive.elf', 'allowed.elf', 'allowed.o'):
        good = open(os.path.join(d, name), 'rb').read()
        shoff, secs = elf_layout(good)
        hot = [(0, 52), (shoff, shoff + 40 * len(secs))]
        hot += [(x['offset'], x['offset'] + x['size']) for x in secs
                if x['type'] in (2, 3) and x['size']]
        for i in range(FUZZ_CASES // 3):
            path = os.path.join(tmp, 'fuzz.elf')
            with open(path, 'wb') as f:
                f.write(mutate(rng, good, hot))
            rc, out, err = run(tool, '--json', path)
            ok = rc in (0, 1, 2) and sanitizer_clean(err)
            try:
                json.loads(out)
            except ValueError:
                ok = False
            if not ok:
                bad.append('%s #%d rc %d: %s' % (name, i, rc, err[:300]))
    s.check('fuzz: %d mutated images, no crash or sanitizer report' % FUZZ_CASES, not bad,
            '; '.join(bad[:3]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--tool', required=True)
    ap.add_argument('--dir', required=True, help='directory of the built test images')
    ap.add_argument('--nm', default='arm-none-eabi-nm')
    a = ap.parse_args()
    s = Suite()
    for name in LABELLED:
        test_labelled(s, a.tool, a.nm, a.dir, name)
    test_golden(s, a.tool, a.dir)
    test_multi(s, a.tool, a.dir)
    with tempfile.TemporaryDirectory() as tmp:
        test_bad_inputs(s, a.tool, a.dir, tmp)
        test_fuzz(s, a.tool, a.dir, tmp)
    print('%d passed, %d failed' % (s.passed, s.failed))
    return 1 if s.failed else 0


if __name__ == '__main__':
    sys.exit(main())
