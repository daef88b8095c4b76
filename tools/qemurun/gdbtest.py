#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Check a system's debugger set-up: boot IMAGE halted under QEMU's gdb
stub (on a free local port), load the system's symbols (build/images/
<name>.gdb, what `scons debug` sources) into a batch gdb-multiarch, and at
each breakpoint check the backtrace: it names the expected functions in
order, ends at the program's outermost frame (_start, which crt0 marks) and
stays well inside the backtrace limit.

    gdbtest.py IMAGE SYMBOLS --break LOCATION:FUNC,FUNC,... [--break ...]

One test per breakpoint, each in a boot of its own; ends with
`N passed, N failed`. Everything has a
time limit: a hung QEMU or gdb is a failure, never a hung run.
"""
import argparse
import os
import re
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemurun  # noqa: E402

LIMIT = 64  # `set backtrace limit` of the generated symbols file
FRAME = re.compile(r'^#(\d+)\s+(?:0x[0-9a-f]+ in )?(\S+) \(')


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def backtraces(output):
    """The frame lists of each `bt` (split at the marker lines)."""
    traces, cur = [], None
    for line in output.splitlines():
        if line.startswith('=== bt'):
            cur = []
            traces.append((cur, []))
        elif line.startswith('=== end'):
            cur = None
        elif cur is not None:
            m = FRAME.match(line)
            if m:
                cur.append(m.group(2))
            else:
                traces[-1][1].append(line)
    return traces


def check(frames, extra, want):
    """None or why the backtrace is wrong."""
    if not frames:
        return 'no frames'
    if len(frames) >= LIMIT or any('Backtrace stopped' in l or 'previous frame' in l
                                   for l in extra):
        return 'does not end cleanly (%d frames): %s' % (len(frames), extra)
    if frames[-1] != '_start':
        return 'ends at %s, not _start' % frames[-1]
    pos = 0
    for fn in want:
        if fn not in frames[pos:]:
            return 'no frame %s after %s in %s' % (fn, frames[pos - 1] if pos else 'the top',
                                                   frames)
        pos = frames.index(fn, pos) + 1
    return None


def run_to(image, symbols, loc, timeout):
    """gdb's output: boot halted, break at loc, continue, bt."""
    port = free_port()
    qemu = subprocess.Popen(qemurun.QEMU + ['-S', '-gdb', 'tcp:127.0.0.1:%d' % port, '-kernel',
                                            image], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cmds = ['source %s' % symbols, 'target remote 127.0.0.1:%d' % port, 'break %s' % loc,
            'continue', 'echo === bt\\n', 'bt', 'echo === end\\n', 'kill']
    try:
        return subprocess.run(['gdb-multiarch', '-nx', '-batch'] +
                              sum((['-ex', c] for c in cmds), []),
                              capture_output=True, text=True, timeout=timeout).stdout
    except subprocess.TimeoutExpired:
        return 'gdbtest: gdb did not finish within %ss' % timeout
    finally:
        qemu.kill()
        qemu.wait()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('image')
    ap.add_argument('symbols')
    ap.add_argument('--break', dest='breaks', action='append', required=True,
                    metavar='LOCATION:FUNC,...')
    ap.add_argument('--timeout', type=float, default=60)
    a = ap.parse_args()
    passed = failed = 0
    for b in a.breaks:
        loc, _, fns = b.rpartition(':')
        out = run_to(a.image, a.symbols, loc, a.timeout)
        traces = backtraces(out)
        frames, extra = traces[0] if traces else ([], [])
        why = check(frames, extra, [f for f in fns.split(',') if f])
        name = 'gdb_bt_from_%s' % re.sub(r'[^A-Za-z0-9]+', '_', loc).strip('_')
        print('[test] %s %s%s  (%s)' % ('FAIL' if why else 'PASS', name, ': ' + why if why else '',
                                         ' <- '.join(frames)))
        if why:
            print(out[-3000:])
        passed += not why
        failed += bool(why)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
