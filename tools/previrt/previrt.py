#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""previrt: the rewriting assembler (docs/previrt.md).

Used as `as`: tools/previrt/bin/as runs this script with the assembler's
own arguments, so `arm-none-eabi-gcc -B tools/previrt/bin/` sends compiler
output, preprocessed .S files and inline assembly through it. Every input
is rewritten (rewriter.py), then the real assembler runs on the result with
the same arguments.

Options of its own (gcc passes them with -Wa,...):
  --previrt-as=PATH     the real assembler (default $PREVIRT_AS, else arm-none-eabi-as)
  --previrt-log=FILE    write the report (what was rewritten or left to trap) to FILE
                        instead of stderr
  --previrt-save=FILE   also write the rewritten source to FILE
  --previrt-keep-svc    leave svc alone (code that runs in virtual user mode)
  --previrt-check       rewrite and report, but do not assemble
  --previrt-no-inline   no inline stubs: every site calls the runtime
  --previrt-devices=BASE:SIZE[,BASE:SIZE...] | none
                        the devices whose loads and stores become runtime calls
                        (the MEM rewrite; default policy.DEVICES, the GIC of virt)

Exit status: that of the real assembler; 1 if the rewriter refused
something (each refusal is printed to stderr as FILE:LINE: error: ...).
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rewriter  # noqa: E402

ARG_OPTIONS = {'-o', '-I', '--defsym', '--MD', '--debug-prefix-map'}


def parse_devices(text):
    """BASE:SIZE[,BASE:SIZE...] (numbers as in C) or 'none'."""
    if text == 'none':
        return []
    out = []
    for part in text.split(','):
        base, _, size = part.partition(':')
        try:
            out.append((int(base, 0), int(size, 0), 'device 0x%x' % int(base, 0)))
        except ValueError:
            sys.exit('previrt: --previrt-devices: not BASE:SIZE: %s' % part)
        if out[-1][1] <= 0 or out[-1][0] + out[-1][1] > 1 << 32:
            sys.exit('previrt: --previrt-devices: an empty or too large range: %s' % part)
    return out


def parse(argv):
    own = {'as': os.environ.get('PREVIRT_AS', 'arm-none-eabi-as'), 'log': None, 'save': None,
           'svc': True, 'check': False, 'devices': None, 'inline': True}
    rest, inputs, flags, include_dirs = [], [], [], []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a.startswith('--previrt-'):
            key, _, val = a[len('--previrt-'):].partition('=')
            if key == 'keep-svc':
                own['svc'] = False
            elif key == 'check':
                own['check'] = True
            elif key == 'no-inline' and not val:
                own['inline'] = False
            elif key in ('as', 'log', 'save') and val:
                own[key] = val
            elif key == 'devices' and val:
                own['devices'] = parse_devices(val)
            else:
                sys.exit('previrt: unknown option %s' % a)
        elif a in ARG_OPTIONS and i + 1 < len(argv):
            rest += [a, argv[i + 1]]
            if a == '-I':
                include_dirs.append(argv[i + 1])
            if a in ('-I', '--defsym'):
                flags += [a, argv[i + 1]]
            i += 1
        elif a.startswith('-I') and len(a) > 2:
            include_dirs.append(a[2:])
            rest.append(a)
            flags.append(a)
        elif a == '-' or not a.startswith('-'):
            inputs.append(len(rest))
            rest.append(a)
        else:
            rest.append(a)
            if a.startswith('-m') or a in ('-EL', '-EB') or a.startswith('--defsym='):
                flags.append(a)
        i += 1
    return own, rest, inputs, flags, include_dirs


def main(argv):
    own, rest, inputs, flags, include_dirs = parse(argv)
    isa = 'thumb' if '-mthumb' in flags else 'arm'
    opts = rewriter.Options(own['as'], flags, include_dirs, own['svc'], isa, own['devices'],
                            own['inline'])
    if not inputs:  # gcc -pipe: the source comes on stdin
        inputs = [len(rest)]
        rest.append('-')
    log = open(own['log'], 'w') if own['log'] else sys.stderr
    tmp = tempfile.mkdtemp(prefix='previrt.')
    failed = False
    try:
        for k, idx in enumerate(inputs):
            name = rest[idx]
            text = sys.stdin.read() if name == '-' else open(name, errors='surrogateescape').read()
            result = rewriter.rewrite(text, '<stdin>' if name == '-' else name, opts)
            for note in result.notes:
                print(note, file=sys.stderr if note.kind == 'error' else log)
            if result.errors:
                failed = True
                continue
            out = os.path.join(tmp, '%d-%s' % (k, os.path.basename(name) if name != '-'
                                               else 'stdin.s'))
            with open(out, 'w', errors='surrogateescape') as f:
                f.write(result.text)
            if own['save']:
                with open(own['save'], 'w', errors='surrogateescape') as f:
                    f.write(result.text)
            rest[idx] = out
        if failed:
            return 1
        if own['check']:
            return 0
        return subprocess.call([own['as']] + rest)
    finally:
        if log is not sys.stderr:
            log.close()
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
