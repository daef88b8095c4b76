#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Suite previrt-rewrite: the rewriting assembler and its runtime contract.

  golden     every .s in golden/ rewrites to exactly <name>.rewritten with the
             report <name>.report, assembles, and audits clean (--silent);
             inline.c (ARM and Thumb) and cpp.S give their reports
  refuse     every `REFUSE: reason` line of refuse/*.s is refused at its
             FILE:LINE with that reason, nothing else is, and no object is made
  policy     over every MCR/MRC/MCRR/MRRC of cp14 and cp15: what the rewriter
             leaves to trap, the auditor says traps (--silent finds none of
             it); every silent one is rewritten (or refused)
  exec       the differential cases (exec/cases.S) natively and rewritten
             against the runtime give the same dumps; the runtime-only
             checks pass; previrt.elf audits clean outside the runtime

Run from the repository root by `scons test`:
    run_tests.py --build build/test/tools/previrt --sensaudit build/tools/sensaudit
--update rewrites the golden files from the current output (review the diff).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
WRAPPER = os.path.join(ROOT, 'tools', 'previrt', 'bin', 'as')
BINDIR = os.path.join(ROOT, 'tools', 'previrt', 'bin') + '/'
AS_FLAGS = ['-march=armv7ve', '-mfloat-abi=soft', '-meabi=5']
QEMU = ['qemu-system-arm', '-M', 'virt,virtualization=on', '-cpu', 'cortex-a15', '-m', '256M',
        '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
        '-semihosting-config', 'enable=on,target=native']
sys.path.insert(0, os.path.join(ROOT, 'tools', 'previrt'))
import encoding  # noqa: E402


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


def run(cmd, cwd=None, timeout=120):
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def read(path):
    return open(path).read() if os.path.exists(path) else None


ISTUB_FINDING = re.compile(r'^\S+: 0x[0-9a-f]+ <previrt_istubs\+')


def audit_silent(tool, path):
    """(status, [last line]) of sensaudit --silent, the inline stubs' `mrs Rd,
    apsr` not counted (the image audit allows section previrt_istubs,
    l4build.PREVIRT_ALLOWED): (0, ['0 findings']) if nothing else is found."""
    rc, out, err = run([tool, '--silent', path])
    lines = out.strip().splitlines() if out else []
    istubs = [l for l in lines if ISTUB_FINDING.match(l)]
    if istubs and len(istubs) == len(lines) - 1 and lines[-1] == '%d findings' % len(istubs):
        return 0, ['0 findings']
    return rc, lines[-1:] if out else [err.strip()]


# --- golden ------------------------------------------------------------------

def test_golden_s(s, tool, tmp, name, update):
    gdir = os.path.join(HERE, 'golden')
    save, log, obj = (os.path.join(tmp, name + x) for x in ('.rw', '.log', '.o'))
    rc, _, err = run([WRAPPER, '--previrt-check', '--previrt-save=' + save,
                      '--previrt-log=' + log] + AS_FLAGS + ['-o', obj, name], cwd=gdir)
    s.check('golden %s: rewrites without refusals' % name, rc == 0 and not err, err[-500:])
    for suffix, got in (('.rewritten', read(save)), ('.report', read(log))):
        path = os.path.join(gdir, name + suffix)
        if update and got is not None:
            open(path, 'w').write(got)
        s.check('golden %s: output is %s%s' % (name, name, suffix), got == read(path),
                'differs from %s (run with --update and review)' % path)
    rc, _, err = run([WRAPPER, '--previrt-log=' + log] + AS_FLAGS + ['-o', obj, name], cwd=gdir)
    s.check('golden %s: the rewritten source assembles' % name, rc == 0, err[-500:])
    rc, last = audit_silent(tool, obj)
    s.check('golden %s: no silent sensitive instruction is left' % name,
            rc == 0 and last == ['0 findings'], last)


def test_no_inline_option(s, tmp):
    """--previrt-no-inline: the same sites as istubs.s's report, every one a call."""
    gdir = os.path.join(HERE, 'golden')
    log, obj = os.path.join(tmp, 'noinline.log'), os.path.join(tmp, 'noinline.o')
    rc, _, err = run([WRAPPER, '--previrt-check', '--previrt-no-inline', '--previrt-log=' + log]
                     + AS_FLAGS + ['-o', obj, 'istubs.s'], cwd=gdir)
    got, want = (read(log) or '').splitlines(), (read(os.path.join(gdir, 'istubs.s.report'))
                                                 or '').splitlines()
    s.check('no-inline istubs.s: the same sites, none an inline stub',
            rc == 0 and len(got) == len(want) and want and any('-> b istub:' in l for l in want) and
            not any('-> b istub:' in l for l in got), err[-300:] or '\n'.join(got[:3]))


def test_devices_option(s, tmp):
    """--previrt-devices: another list, none, and each malformed form refused."""
    gdir = os.path.join(HERE, 'golden')
    log, obj = os.path.join(tmp, 'devices.log'), os.path.join(tmp, 'devices.o')
    for arg, want in (('none', 0), ('0x40000000:0x1000', 1), ('0x08000000:0x1000', 15)):
        rc, _, err = run([WRAPPER, '--previrt-check', '--previrt-log=' + log,
                          '--previrt-devices=' + arg] + AS_FLAGS + ['-o', obj, 'mem_forms.s'],
                         cwd=gdir)
        got = sum(' MEM' in line for line in (read(log) or '').splitlines())
        s.check('devices %s: %d MEM sites' % (arg, want), rc == 0 and got == want,
                'rc %d, %d sites: %s' % (rc, got, err[-300:]))
    for arg, why in (('0x08000000', 'not BASE:SIZE'), ('gic:0x1000', 'not BASE:SIZE'),
                     ('0x08000000:0', 'an empty or too large range'),
                     ('0xffffff00:0x1000', 'an empty or too large range')):
        rc, _, err = run([WRAPPER, '--previrt-check', '--previrt-devices=' + arg] + AS_FLAGS +
                         ['-o', obj, 'mem_forms.s'], cwd=gdir)
        s.check('devices %s: refused (%s)' % (arg, why), rc != 0 and why in err, err[-300:])


def test_golden_compiled(s, tool, tmp, source, flags, report, update):
    gdir = os.path.join(HERE, 'golden')
    log, obj = os.path.join(tmp, report + '.log'), os.path.join(tmp, report + '.o')
    rc, _, err = run(['arm-none-eabi-gcc', '-B' + BINDIR, '-mcpu=cortex-a15', '-mfloat-abi=soft',
                      '-O2', '-g', '-Wa,--previrt-log=' + log] + flags + ['-c', source, '-o', obj],
                     cwd=gdir)
    s.check('golden %s %s: compiles through the rewriter' % (source, ' '.join(flags)), rc == 0,
            err[-500:])
    path = os.path.join(gdir, report)
    if update and read(log) is not None:
        open(path, 'w').write(read(log))
    s.check('golden %s %s: report is %s' % (source, ' '.join(flags), report),
            read(log) == read(path), 'differs from %s' % path)
    rc, last = audit_silent(tool, obj)
    s.check('golden %s %s: no silent sensitive instruction is left' % (source, ' '.join(flags)),
            rc == 0 and last == ['0 findings'], last)


# --- refusals ------------------------------------------------------------------

ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: previrt: cannot rewrite '.*': "
                   r"(?P<reason>.*)$")


def test_refuse(s, tmp, name):
    rdir = os.path.join(HERE, 'refuse')
    want = {}
    for n, line in enumerate(open(os.path.join(rdir, name)), 1):
        m = re.search(r'@ REFUSE: (.*)$', line) if not line.startswith('@') else None
        if m:
            want[n] = m.group(1).strip()
    obj = os.path.join(tmp, name + '.o')
    rc, out, err = run([WRAPPER, '--previrt-log=/dev/null'] + AS_FLAGS + ['-o', obj, name],
                       cwd=rdir)
    s.check('refuse %s: exit status 1, no object' % name, rc == 1 and not os.path.exists(obj),
            'rc %d' % rc)
    got, stray = {}, []
    for line in err.splitlines():
        m = ERROR.match(line)
        if m and m.group('file') == name:
            got[int(m.group('line'))] = m.group('reason')
        else:
            stray.append(line)
    s.check('refuse %s: only FILE:LINE errors on stderr' % name, not stray, stray[:3])
    s.check('refuse %s: refused at exactly the %d REFUSE lines' % (name, len(want)),
            set(got) == set(want), 'missing %s; unexpected %s' % (
                sorted(set(want) - set(got)), sorted(set(got) - set(want))))
    wrong = ['%d: %r not in %r' % (n, want[n], got[n]) for n in sorted(want)
             if n in got and want[n] not in got[n]]
    s.check('refuse %s: each with its reason' % name, not wrong, wrong[:3])


# --- the cp15/cp14 policy against the auditor ------------------------------------

def coproc_encodings():
    """(word, text) for every MCR/MRC (Rt = r1) and MCRR/MRRC (r1, r2) of cp14/cp15."""
    for cp in (14, 15):
        for read_bit in (0, 1):
            for opc1 in range(8):
                for crn in range(16):
                    for crm in range(16):
                        for opc2 in range(8):
                            yield (0xee000010 | (opc1 << 21) | (read_bit << 20) | (crn << 16) |
                                   (1 << 12) | (cp << 8) | (opc2 << 5) | crm)
            for opc1 in range(16):
                for crm in range(16):
                    yield (0xec400000 | (read_bit << 20) | (2 << 16) | (1 << 12) | (cp << 8) |
                           (opc1 << 4) | crm)


def test_policy(s, tool, tmp):
    import json
    words = list(coproc_encodings())
    src, obj = os.path.join(tmp, 'sweep.s'), os.path.join(tmp, 'sweep.o')
    with open(src, 'w') as f:
        f.write('\t.arm\n\t.text\n')
        f.writelines('\t.inst 0x%08x\n' % w for w in words)
    rc, _, err = run(['arm-none-eabi-as'] + AS_FLAGS + ['-o', obj, src])
    s.check('policy: %d coprocessor encodings assemble' % len(words), rc == 0, err[-300:])
    rc, out, err = run([tool, '--silent', '--json', obj], timeout=300)
    silent = {f['address'] // 4 for f in json.loads(out)} if rc in (0, 1) else set()
    trapped_but_silent, silent_not_rewritten = [], []
    counts = {}
    for i, w in enumerate(words):
        d = encoding.decode(w.to_bytes(4, 'little'), False)
        counts[d.action] = counts.get(d.action, 0) + 1
        if d.action in ('trap', 'none') and i in silent:
            trapped_but_silent.append('0x%08x' % w)
        if i in silent and d.action not in ('rewrite', 'refuse'):
            silent_not_rewritten.append('0x%08x' % w)
    s.check('policy: every encoding left to trap traps at PL0 (%d left, %d rewritten)' % (
        counts.get('trap', 0), counts.get('rewrite', 0)), not trapped_but_silent,
        trapped_but_silent[:5])
    s.check('policy: every silent encoding (%d) is rewritten or refused' % len(silent),
            silent and not silent_not_rewritten, silent_not_rewritten[:5])


# --- the differential execution test ---------------------------------------------

def boot(image, timeout=30):
    try:
        p = subprocess.run(QEMU + ['-kernel', image], capture_output=True, text=True,
                           timeout=timeout, stdin=subprocess.DEVNULL)
        return p.returncode, p.stdout.splitlines()
    except subprocess.TimeoutExpired as e:
        out = e.stdout or b''
        return None, (out.decode('utf-8', 'replace') if isinstance(out, bytes) else out).splitlines()


def symbol(image, name):
    rc, out, _ = run(['arm-none-eabi-nm', image])
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == name:
            return int(parts[0], 16)
    return None


def normalizer(image):
    """Code addresses of the cases become source lines (cases.S:N), so the two
    images compare where a 16-bit Thumb site grew to a 32-bit branch."""
    lo, hi = symbol(image, 'cases_text_start'), symbol(image, 'cases_text_end')
    cache = {}

    def lines(values):
        todo = sorted({v & ~1 for v in values if lo <= v < hi} - set(cache))
        if todo:
            _, out, _ = run(['arm-none-eabi-addr2line', '-e', image] + ['0x%x' % v for v in todo])
            for v, l in zip(todo, out.splitlines()):
                cache[v] = 'L' + l.rsplit(':', 1)[-1].split()[0]

    def norm(line):
        vals = [int(x, 16) for x in re.findall(r'\b[0-9a-f]{8}\b', line)]
        lines(vals)
        return re.sub(r'\b[0-9a-f]{8}\b', lambda m: (
            cache[int(m.group(0), 16) & ~1] + ('t' if int(m.group(0), 16) & 1 else '')
            if lo <= int(m.group(0), 16) < hi else m.group(0)), line)
    return norm


def test_exec(s, tool, build):
    native, previrt = os.path.join(build, 'exec', 'native.elf'), os.path.join(build, 'exec',
                                                                              'previrt.elf')
    rc_n, out_n = boot(native)
    rc_p, out_p = boot(previrt)
    s.check('exec: native.elf runs to the end, status 0', rc_n == 0 and '[dump] end' in out_n,
            'status %s, last %s' % (rc_n, out_n[-1:]))
    s.check('exec: previrt.elf runs to the end, status 0', rc_p == 0 and '[dump] end' in out_p,
            'status %s, last %s' % (rc_p, out_p[-1:]))
    nn, np_ = normalizer(native), normalizer(previrt)
    dn = [nn(l) for l in out_n if l.startswith('[dump] ') and l != '[dump] end']
    dp = [np_(l) for l in out_p if l.startswith('[dump] ') and l != '[dump] end']
    s.check('exec: same number of dumps (%d)' % len(dn), len(dn) == len(dp) and dn,
            '%d native, %d previrt' % (len(dn), len(dp)))
    for a, b in zip(dn, dp):
        name = a.split(' ')[1]
        diff = ['%s: native %s, previrt %s' % (x.split('=')[0], x, y)
                for x, y in zip(a.split(' ')[2:], b.split(' ')[2:]) if x != y]
        s.check('exec: %s: every register, bank, SPSR and system register agrees' % name,
                a == b, '; '.join(diff)[:600])
    checks = [l for l in out_p if l.startswith('[check] ')]
    bad = [l for l in checks if not l.endswith(' ok')]
    s.check('exec: the runtime-only checks pass (%d)' % len(checks), checks and not bad, bad[:3])
    s.check('exec: native.elf runs none of the runtime-only cases',
            not any(l.startswith('[check] ') for l in out_n))
    rc, out, _ = run([tool, '--silent', previrt])
    allowed = ('__previrt_enter', 'previrt_istubs', '_start', 'real_semihost')
    found = [l for l in out.splitlines()[:-1] if not re.search(r'<(%s)\+' % '|'.join(allowed), l)]
    s.check('exec: previrt.elf has no silent sensitive instruction outside the runtime and '
            'the test boot code', rc in (0, 1) and not found, found[:3])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', required=True)
    ap.add_argument('--sensaudit', required=True)
    ap.add_argument('--update', action='store_true')
    a = ap.parse_args()
    s = Suite()
    with tempfile.TemporaryDirectory(prefix='previrt-test.') as tmp:
        for name in ('arm_forms.s', 'thumb_forms.s', 'macros.s', 'mem_forms.s', 'istubs.s',
                     'resume.s', 'entries.s'):
            test_golden_s(s, a.sensaudit, tmp, name, a.update)
        test_devices_option(s, tmp)
        test_no_inline_option(s, tmp)
        test_golden_compiled(s, a.sensaudit, tmp, 'inline.c', ['-marm'], 'inline.c.arm.report',
                             a.update)
        test_golden_compiled(s, a.sensaudit, tmp, 'inline.c', ['-mthumb'],
                             'inline.c.thumb.report', a.update)
        test_golden_compiled(s, a.sensaudit, tmp, 'cpp.S', ['-marm'], 'cpp.S.report', a.update)
        for name in sorted(os.listdir(os.path.join(HERE, 'refuse'))):
            if name.endswith('.s'):
                test_refuse(s, tmp, name)
        test_policy(s, a.sensaudit, tmp)
    test_exec(s, a.sensaudit, a.build)
    print('%d passed, %d failed' % (s.passed, s.failed))
    return 0 if s.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
