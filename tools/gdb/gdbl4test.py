#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The kernel-aware gdb commands (tools/gdb/l4gdb.py) against a booted
system (suite `gdb-l4`): boot IMAGE (a debug kernel) halted under QEMU's
gdb stub, load SYMBOLS (the generated build/images/<name>-debug.gdb, which
loads l4gdb), break at LOCATION, and run `l4 threads`, `l4 caps THREAD`,
`l4 vcpu GUEST`, `l4 trace N` and `l4 guest`, checking each one's output.
One test per check; ends with `N passed, N failed`. Time-limited: a hung
QEMU or gdb is a failure.

    gdbl4test.py IMAGE SYMBOLS LOCATION --thread NAME:STATE ... --caps THREAD:REGEX ...
                 --vcpu GUEST --trace N
    gdbl4test.py IMAGE SYMBOLS --follow-guests N
        (a system with guests of two images) break at the guests' shared
        entry address N times: at each stop the symbols loaded are those of
        the image of the guest whose vCPU runs, and both images were loaded
    gdbl4test.py IMAGE SYMBOLS --least-privilege SYSTEM.sys --program NAME=ELF ...
        least privilege in every component's address space, exhaustively:
        stopped where the root task has built and started every component
        (monitor_run), `l4 vspace` of each must map exactly the pages its
        description grants (its program's segments with their own rights,
        stack, IPC buffer, environment page, heap, regions, channel pages,
        device regions at their physical address), each with exactly the
        rights and memory type the grant says, and nothing else of the
        2 GiB; a region shared by several is the same memory in each
"""
import argparse
import os
import re
import struct
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'qemurun'))
import gdbtest  # noqa: E402
import qemurun  # noqa: E402


def run(image, symbols, loc, commands, timeout):
    port = gdbtest.free_port()
    qemu = subprocess.Popen(qemurun.QEMU + qemurun.ICOUNT + ['-S', '-gdb', 'tcp:127.0.0.1:%d' % port,
                                                             '-kernel', image],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    cmds = ['source %s' % symbols, 'target remote 127.0.0.1:%d' % port, 'break %s' % loc,
            'continue']
    for c in commands:
        cmds += ['echo === %s\\n' % c, c]
    cmds += ['echo === end\\n', 'kill']
    try:
        p = subprocess.run(['gdb-multiarch', '-nx', '-batch'] + sum((['-ex', c] for c in cmds), []),
                           capture_output=True, text=True, timeout=timeout)
        return p.stdout + p.stderr
    except subprocess.TimeoutExpired:
        return 'gdbl4test: gdb did not finish within %ss' % timeout
    finally:
        qemu.kill()
        qemu.wait()


def sections(out):
    """command -> its output lines."""
    res, cur = {}, None
    for line in out.splitlines():
        if line.startswith('=== '):
            cur = line[4:]
            res[cur] = []
        elif cur is not None:
            res[cur].append(line)
    return res


def follow_guests(a):
    """Stops in different guests load their own images' symbols."""
    guests = {}
    for line in open(a.symbols):
        if line.startswith('l4 guests '):
            guests = dict(w.split('=', 1) for w in line.split()[2:])
    cmds = []
    for i in range(a.follow_guests):
        cmds += ['l4 threads', 'l4 guest', 'info symbol $pc', 'continue']
    out = run(a.image, a.symbols, '*0x%x' % GUEST_ENTRY, cmds, a.timeout)
    stops, images, problems = 0, set(), []
    chunks = out.split('=== l4 threads')[1:]
    for chunk in chunks:
        running = re.search(r'^0x[0-9a-f]{8} (\S+) +running ', chunk, re.M)
        loaded = re.search(r'^\* (\S+) +(\S+)$', chunk, re.M)
        if not running or not loaded:
            continue
        stops += 1
        want = guests.get(running.group(1))
        if want != loaded.group(2):
            problems.append('stop %d: %s runs (%s), symbols of %s loaded' % (
                stops, running.group(1), want, loaded.group(2)))
        images.add(loaded.group(2))
    if stops < 2 or len(images) < 2:
        problems.append('%d stops, images loaded: %s' % (stops, sorted(images)))
    why = '; '.join(problems) or None
    print('[test] %s gdb_l4_guest_symbols_follow_the_running_guest%s' % (
        'FAIL' if why else 'PASS', ': ' + why if why else ''))
    if why:
        print(out[-4000:])
    print('%d passed, %d failed' % (0 if why else 1, 1 if why else 0))
    return 1 if why else 0


GUEST_ENTRY = 0x40000000  # where every guest image starts (docs/vmm.md)
PAGE = 4096


def elf_segments(path):
    """[(vaddr, memsz, flags)] of the ELF's PT_LOAD program headers."""
    data = open(path, 'rb').read()
    phoff, = struct.unpack_from('<I', data, 28)
    phentsize, phnum = struct.unpack_from('<HH', data, 42)
    out = []
    for i in range(phnum):
        ptype, _, vaddr, _, _, memsz, flags, _ = struct.unpack_from('<8I', data,
                                                                    phoff + i * phentsize)
        if ptype == 1 and memsz:
            out.append((vaddr, memsz, flags))
    return out


def granted_pages(comp, elf, layout):
    """page address -> (rights, memory type, physical address or None): what
    the description grants the component, and so all it may map."""
    pages = {}

    def grant(va, size, rights, mtype='cached', pa=None):
        for off in range(0, size, PAGE):
            pages[va + off] = (rights, mtype, pa + off if pa is not None else None)
    for vaddr, memsz, flags in elf_segments(elf):  # PF_X 1, PF_W 2, PF_R 4
        va = vaddr & ~(PAGE - 1)
        grant(va, vaddr + memsz - va + PAGE - 1 & ~(PAGE - 1),
              'r' + ('w' if flags & 2 else '-') + ('x' if flags & 1 else '-'))
    grant(layout['COMP_STACK_TOP'] - comp['stack'], comp['stack'], 'rw-')
    grant(layout['COMP_IPCBUF_VADDR'], PAGE, 'rw-')
    grant(layout['COMP_ENV_VADDR'], PAGE, 'r--')
    grant(layout['COMP_HEAP_VADDR'], comp['heap'], 'rw-')
    for m in comp['maps']:
        r = m['region']
        if not m['mapped']:
            continue
        rights = {'r': 'r--', 'rw': 'rw-', 'rx': 'r-x'}[m['perms']]
        if r['kind'] == 'device':
            grant(r['vaddr'], r['size'], rights, 'device', r['paddr'])
        else:
            grant(r['vaddr'], r['size'], rights, 'cached' if r['cached'] else 'uncached')
    for x in comp['ids']:
        if x['kind'] == 'channel':
            grant(layout['COMP_CHAN_VADDR'] + PAGE * x['id'], PAGE, 'rw-')
    return pages


VSPACE_RUN = re.compile(r'^0x([0-9a-f]{8})-0x([0-9a-f]{8}) +\d+K (\S{3}) (\S+) +pa 0x([0-9a-f]{8})$')


def mapped_pages(lines):
    """page address -> (rights, memory type, physical address) from the
    output of `l4 vspace`."""
    pages = {}
    for line in lines:
        m = VSPACE_RUN.match(line)
        if m:
            lo, hi, pa = int(m.group(1), 16), int(m.group(2), 16), int(m.group(5), 16)
            for off in range(0, hi + 1 - lo, PAGE):
                pages[lo + off] = (m.group(3), m.group(4), pa + off)
    return pages


def least_privilege(a):
    sys.path.insert(0, os.path.join(ROOT, 'tools', 'sysgen'))
    sys.path.insert(0, os.path.join(ROOT, 'tools', 'trace'))
    import sysgen
    import tracefmt
    programs = dict(p.split('=', 1) for p in a.program)
    system = sysgen.load(a.least_privilege, platform=os.path.join(ROOT, sysgen.PLATFORM_DEVICES))
    layout = dict(tracefmt.header_constants('servers/include/system/comp.h', 'COMP_'),
                  **tracefmt.header_constants('servers/include/system/proto.h', 'COMP_'))
    comps = system['components']
    out = run(a.image, a.symbols, 'monitor_run',
              ['l4 vspace %s' % c['name'] for c in comps] + ['l4 vspace nobody'], a.timeout)
    sec = sections(out)
    results, memory = [], {}
    for c in comps:
        lines = sec.get('l4 vspace %s' % c['name'], [])
        want = granted_pages(c, programs[c['program']], layout)
        got = mapped_pages(lines)
        problems = []
        if not lines or not lines[0].startswith("address space of '%s'" % c['name']):
            problems.append('no address space shown: %s' % ' / '.join(lines[:2]))
        for va in sorted(set(got) - set(want))[:4]:
            problems.append('0x%08x mapped %s %s, not granted' % ((va,) + got[va][:2]))
        for va in sorted(set(want) - set(got))[:4]:
            problems.append('0x%08x granted %s %s, not mapped' % ((va,) + want[va][:2]))
        for va in sorted(set(want) & set(got)):
            (wr, wt, wpa), (gr, gt, gpa) = want[va], got[va]
            if (wr, wt) != (gr, gt) or (wpa is not None and wpa != gpa):
                problems.append('0x%08x mapped %s %s pa 0x%08x, granted %s %s%s' % (
                    va, gr, gt, gpa, wr, wt, ' pa 0x%08x' % wpa if wpa is not None else ''))
        for m in c['maps']:
            if m['mapped']:
                memory.setdefault(m['region']['name'], set()).add(got.get(m['region']['vaddr'],
                                                                          (0, 0, None))[2])
        results.append(('least_privilege_address_space_of_%s' % c['name'].replace('-', '_'),
                        '; '.join(problems[:8]) or None))
    split = sorted(n for n, pas in memory.items() if len(pas) != 1 or None in pas)
    results.append(('least_privilege_shared_regions_are_one_memory',
                    'regions at different memory in different components: %s' % split
                    if split else None))
    results.append(('least_privilege_vspace_of_an_unknown_thread_is_an_error',
                    None if "no thread 'nobody' on the registry" in out else 'no error'))
    return report(results, out)


def report(results, out):
    failed = 0
    for name, why in results:
        print('[test] %s %s%s' % ('FAIL' if why else 'PASS', name, ': ' + why if why else ''))
        failed += bool(why)
    if failed:
        print(out[-4000:])
    print('%d passed, %d failed' % (len(results) - failed, failed))
    return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('image')
    ap.add_argument('symbols')
    ap.add_argument('location', nargs='?')
    ap.add_argument('--follow-guests', type=int, metavar='N')
    ap.add_argument('--least-privilege', metavar='SYSTEM')
    ap.add_argument('--program', action='append', default=[], metavar='NAME=ELF')
    ap.add_argument('--thread', action='append', default=[], metavar='NAME:STATE')
    ap.add_argument('--caps', action='append', default=[], metavar='THREAD:REGEX')
    ap.add_argument('--vcpu', metavar='GUEST')
    ap.add_argument('--trace', type=int, default=20)
    ap.add_argument('--timeout', type=float, default=90)
    a = ap.parse_args()
    if a.follow_guests:
        return follow_guests(a)
    if a.least_privilege:
        return least_privilege(a)
    caps = [c.split(':', 1) for c in a.caps]
    commands = ['l4 threads'] + ['l4 caps %s' % t for t in sorted({t for t, _ in caps})]
    commands += ['l4 vcpu %s' % a.vcpu, 'l4 trace %d' % a.trace, 'l4 guest', 'l4 caps nobody']
    out = run(a.image, a.symbols, a.location, commands, a.timeout)
    sec = sections(out)
    results = []

    threads = sec.get('l4 threads', [])
    for spec in a.thread:
        name, state = spec.split(':')
        ok = any(re.match(r'^0x[0-9a-f]{8} %s +%s ' % (re.escape(name), state), l) for l in threads)
        results.append(('gdb_l4_threads_lists_%s_%s' % (name, state), None if ok else
                        'no line for %s in state %s' % (name, state)))
    ok = threads and re.match(r'^\d+ threads$', threads[-1]) and \
        int(threads[-1].split()[0]) == len(threads) - 2
    results.append(('gdb_l4_threads_counts_what_it_lists', None if ok else 'count line wrong'))
    for thread, regex in caps:
        lines = sec.get('l4 caps %s' % thread, [])
        ok = lines and lines[0].startswith("CSpace of '%s'" % thread) and \
            any(re.search(regex, l) for l in lines)
        results.append(('gdb_l4_caps_of_%s_shows_%s' % (thread, re.sub(r'\W+', '_', regex).strip('_')),
                        None if ok else 'no line /%s/' % regex))
    v = sec.get('l4 vcpu %s' % a.vcpu, [])
    want = [r"^vCPU 0x[0-9a-f]{8} of '%s', state page 0x[0-9a-f]{8}, guest (kernel|user) mode$"
            % re.escape(a.vcpu or ''), r'^regs +([0-9a-f]{8} ){16}[0-9a-f]{8}$',
            r'^entry_pc +4[0-9a-f]{7}$', r'^cause +[0-9a-f]{8} \(']
    missing = [w for w in want if not any(re.match(w, l) for l in v)]
    results.append(('gdb_l4_vcpu_shows_the_state_page_of_%s' % a.vcpu,
                    '; '.join('no /%s/' % m for m in missing) or None))
    tr = [l for l in sec.get('l4 trace %d' % a.trace, []) if l.startswith('#')]
    seqs = [int(l.split()[0][1:]) for l in tr]
    times = [int(l.split()[1]) for l in tr]
    ok = len(tr) == a.trace and seqs == list(range(seqs[0], seqs[0] + len(seqs))) and \
        times == sorted(times)
    results.append(('gdb_l4_trace_prints_records_in_order', None if ok else
                    '%d records, seqs %s' % (len(tr), seqs[:5])))
    g = sec.get('l4 guest', [])
    results.append(('gdb_l4_guest_lists_the_loaded_guest',
                    None if any(l.startswith('* ') for l in g) else 'no loaded guest marked'))
    results.append(('gdb_l4_caps_of_an_unknown_thread_is_an_error',
                    None if "no thread 'nobody' on the registry" in out else 'no error'))
    return report(results, out)


if __name__ == '__main__':
    sys.exit(main())
