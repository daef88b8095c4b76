# SPDX-License-Identifier: BSD-2-Clause
"""gdb commands that know the kernel (docs/observability.md), loaded by the
symbols file the build writes for each system (build/images/<name>.gdb):

  l4 threads          every thread on the registry: TCB, name, state,
                      priority, address space, what it waits on
  l4 caps THREAD      the thread's CSpace: every capability in its root CNode
  l4 vcpu THREAD      the thread's vCPU state page, field by field
  l4 vspace THREAD    the thread's address space as the MMU sees it: every
                      mapped run of user pages with its rights, memory type
                      and physical address, read from its page directory
  l4 trace [N]        the last N records of the kernel's event trace
  l4 guest [NAME]     load the symbols of guest NAME's image (guests are all
                      linked at 0x40000000, each in its own address space);
                      without NAME, list them and say which is loaded
  l4 guests N=ELF...  (the symbols file) the system's guests and images

THREAD is a thread's name or its TCB address. Everything is read from the
kernel's memory through the kernel ELF's DWARF types (tcb_t, cap_t, cte_t,
trace_event_t and their fields); what DWARF does not carry (the values of
#define constants) is read from the headers that define them and from
libl4/abi.def, the one description of the ABI, so nothing here repeats a
layout or a number. The thread registry exists in the debug and trace
kernels (`scons debug` boots the debug one).
"""
import os
import sys

import gdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'trace'))
import tracefmt  # noqa: E402

GUEST_BASE = 0x40000000
MAX_THREADS = 4096
header_constants = tracefmt.header_constants


class Kernel:
    """The constants and types the commands need, read once."""

    def __init__(self):
        self.fmt = tracefmt.Format()
        tcb_h = 'kernel/include/object/tcb.h'
        self.states = {v: k[len('THREAD_'):].lower()
                       for k, v in header_constants(tcb_h, 'THREAD_').items()}
        self.slots = header_constants(tcb_h, 'TCB_SLOT_')
        self.cap_flags = header_constants('kernel/include/cap.h', 'CAP_')
        items = tracefmt.abigen.parse(tracefmt.ABI_DEF)
        self.rights = {int(b): n.lower() for b, n, _ in items['right']}
        self.vcpu_fields = sorted((int(i), n) for s, i, n, _ in items['field'] if s == 'vcpu_state')
        self.vcpu_words = self.fmt.abi['VCPU_STATE_WORDS']
        self.phys_base = header_constants('kernel/plat/qemu-virt/include/plat/plat.h',
                                          'PLAT_PHYS_BASE')['PLAT_PHYS_BASE']
        mmu = 'kernel/arch/arm/include/arch/mmu.h'
        self.mmu = dict(header_constants(mmu, 'PD'), **header_constants(mmu, 'PT'))
        for prefix in ('SECTION_', 'PAGE_', 'LARGE_PAGE_'):
            self.mmu.update(header_constants(mmu, prefix))


_kernel = None


def kernel():
    global _kernel
    if _kernel is None:
        _kernel = Kernel()
    return _kernel


def ptr(v):
    return int(v.cast(gdb.lookup_type('unsigned long')))


def cstring(arr):
    raw = bytes(int(arr[i]) & 0xff for i in range(arr.type.sizeof))
    return raw.split(b'\0', 1)[0].decode('ascii', 'replace')


class KernelMemory:
    """Reads of kernel memory whatever mode the CPU stopped in. Stopped in
    user mode, QEMU's stub translates with the user's rights and cannot
    read the kernel window, so reads then go to the physical alias of the
    window (QEMU's Qqemu.PhyMemMode; the window maps RAM linearly from
    L4_KERNEL_BASE, abi.def). Values are built from the bytes read
    (gdb.Value(buffer, type)): following a pointer is another read."""

    def __init__(self):
        k = kernel()
        self.kbase, self.pbase = k.fmt.abi['KERNEL_BASE'], k.phys_base
        self.phys = False

    def __enter__(self):
        probe = int(gdb.parse_and_eval('(unsigned long)&ks_cur'))
        try:
            gdb.selected_inferior().read_memory(probe, 4)
        except gdb.MemoryError:
            gdb.execute('maintenance packet Qqemu.PhyMemMode:1', to_string=True)
            self.phys = True
        return self

    def __exit__(self, *exc):
        if self.phys:
            gdb.execute('maintenance packet Qqemu.PhyMemMode:0', to_string=True)
            self.phys = False

    def read(self, va, n):
        if self.phys:
            if not self.kbase <= va < self.kbase + 0x40000000:
                raise gdb.GdbError('0x%08x is not in the kernel window' % va)
            va = va - self.kbase + self.pbase
        return bytes(gdb.selected_inferior().read_memory(va, n))

    def value(self, va, typename):
        t = gdb.lookup_type(typename)
        return gdb.Value(self.read(va, t.sizeof), t)

    def word(self, va):
        return int.from_bytes(self.read(va, 4), 'little')

    def symbol(self, name):
        """The address of a kernel variable (no memory read)."""
        return int(gdb.parse_and_eval('(unsigned long)&%s' % name))


def threads(mem):
    """(address, tcb value) of every TCB on the registry, bounded by its count."""
    try:
        head = mem.word(mem.symbol('tcb_registry'))
        count = mem.word(mem.symbol('tcb_registry_count'))
    except gdb.error:
        raise gdb.GdbError('no thread registry in this kernel: it is in the debug and trace '
                           'configurations (scons debug boots the debug kernel)')
    out, seen, a = [], set(), head
    while a and len(out) < min(count, MAX_THREADS) and a not in seen:
        seen.add(a)
        t = mem.value(a, 'tcb_t')
        out.append((a, t))
        a = ptr(t['reg_next'])
    return out


def names(mem):
    return {a: cstring(t['name']) for a, t in threads(mem)}


def find_thread(mem, arg):
    arg = arg.strip()
    if not arg:
        raise gdb.GdbError('which thread? (a name or a TCB address; `l4 threads` lists them)')
    try:
        addr = int(arg, 16)
    except ValueError:
        addr = None
    for a, t in threads(mem):
        if a == addr or cstring(t['name']) == arg:
            return a, t
    raise gdb.GdbError("no thread '%s' on the registry" % arg)


class L4(gdb.Command):
    """Kernel-aware commands: l4 threads | caps THREAD | vcpu THREAD | vspace THREAD | trace [N] |
    guest [NAME]."""

    def __init__(self):
        super().__init__('l4', gdb.COMMAND_USER, gdb.COMPLETE_NONE, True)


class Threads(gdb.Command):
    """l4 threads: every thread (the kernel's registry)."""

    def __init__(self):
        super().__init__('l4 threads', gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        k = kernel()
        with KernelMemory() as mem:
            cur = mem.word(mem.symbol('ks_cur'))
            ts = threads(mem)
        gdb.write('%-10s %-15s %-8s %4s %4s %-10s %s\n' % ('tcb', 'name', 'state', 'prio', 'asid',
                                                         'on', ''))
        for a, t in ts:
            state = int(t['state'])
            on = ptr(t['blocked_on'])
            if k.states.get(state) in ('blocked_reply', 'blocked_fault'):
                on = ptr(t['reply_holder'])
            vcpu = ptr(t['vcpu'])
            gdb.write('0x%08x %-15s %-8s %4d %4d 0x%08x%s\n' % (
                a, cstring(t['name']) or '(unnamed)',
                'running' if a == cur else k.states.get(state, str(state)).replace('blocked_', ''),
                int(t['priority']), int(t['asid']), on, ' vcpu' if vcpu else ''))
        gdb.write('%d threads\n' % len(ts))


class Caps(gdb.Command):
    """l4 caps THREAD: the capabilities in the thread's CSpace root CNode."""

    def __init__(self):
        super().__init__('l4 caps', gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        k = kernel()
        with KernelMemory() as mem:
            self.show(k, mem, *find_thread(mem, arg))

    def show(self, k, mem, a, t):
        root = t['slots'][k.slots['TCB_SLOT_CSPACE']]['cap']
        if int(root['type']) != [n for n, v in k.fmt.objects.items() if v == 'cnode'][0]:
            raise gdb.GdbError("'%s' has no CSpace" % cstring(t['name']))
        if int(root['rights']) & 0x10:  # CAP_GUEST_USER (kernel/include/cap.h)
            gdb.write('(guest user mode: this CSpace resolves nothing until the next upcall)\n')
        cte = gdb.lookup_type('cte_t')
        bits = int(root['bits'])
        base = ptr(root['obj'])
        gdb.write("CSpace of '%s': CNode 0x%08x, radix %d, guard %d bits = 0x%x\n" % (
            cstring(t['name']), base, bits, int(root['guard_bits']), ptr(root['data'])))
        raw = mem.read(base, cte.sizeof << bits)
        n = 0
        for i in range(1 << bits):
            c = gdb.Value(raw[i * cte.sizeof:(i + 1) * cte.sizeof], cte)['cap']
            ty = int(c['type'])
            if not ty:
                continue
            rights = int(c['rights'])
            r = ''.join(name[0] if rights & (1 << bit) else '-' for bit, name in
                        sorted(k.rights.items(), key=lambda kv: 'rwg'.index(kv[1][0])))
            zombie = ' zombie' if rights & k.cap_flags['CAP_ZOMBIE'] else ''
            gdb.write('%6d %-14s %s%s obj 0x%08x data 0x%08x\n' % (
                i, k.fmt.objects.get(ty, str(ty)), r, zombie, ptr(c['obj']), ptr(c['data'])))
            n += 1
        gdb.write('%d capabilities\n' % n)


class Vcpu(gdb.Command):
    """l4 vcpu THREAD: the thread's vCPU and its state page."""

    def __init__(self):
        super().__init__('l4 vcpu', gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        k = kernel()
        with KernelMemory() as mem:
            a, t = find_thread(mem, arg)
            if not ptr(t['vcpu']):
                raise gdb.GdbError("'%s' is not a vCPU thread" % cstring(t['name']))
            v = mem.value(ptr(t['vcpu']), 'vcpu_t')
            state = ptr(v['state'])
            if not state:
                raise gdb.GdbError("'%s' has a vCPU without a state page" % cstring(t['name']))
            words = mem.read(state, 4 * k.vcpu_words)
        w = [int.from_bytes(words[4 * i:4 * i + 4], 'little') for i in range(k.vcpu_words)]
        gdb.write("vCPU 0x%08x of '%s', state page 0x%08x, %s mode\n" % (
            ptr(t['vcpu']), cstring(t['name']), state,
            'guest user' if int(v['user_mode']) else 'guest kernel'))
        bounds = [i for i, _ in k.vcpu_fields] + [k.vcpu_words]
        for (i, name), end in zip(k.vcpu_fields, bounds[1:]):
            vals = ' '.join('%08x' % x for x in w[i:end])
            extra = ''
            if name == 'cause':
                extra = ' (%s)' % k.fmt.vcpu_causes.get(w[i], 'none')
            gdb.write('%-13s %s%s\n' % (name, vals, extra))


AP_USER = {3: 'rw', 2: 'r', 7: 'r', 6: 'r'}  # AP[2:0] -> user access (ARM ARM B3.7.1); else none


def memory_type(tex, c, b):
    """The memory type of TEX, C and B (TEX remap off, ARM ARM B3.8.2)."""
    return {(0, 0, 1): 'device', (1, 0, 0): 'uncached', (1, 1, 1): 'cached'}.get(
        (tex, c, b), 'tex%d-c%d-b%d' % (tex, c, b))


def vspace_pages(k, mem, pd_phys):
    """[(va, size, rights 'rwx'/'r-x'/..., memory type, pa)] of every user
    mapping in the page directory at physical address pd_phys, in address
    order: its sections and its page tables' small and large pages."""
    m = k.mmu
    kva = lambda pa: pa - k.phys_base + k.fmt.abi['KERNEL_BASE']
    flag = lambda d, name: bool(d & m[name])

    def ap(d, shift, ap2):
        return ((d >> m[shift]) & 3) | (flag(d, ap2) << 2)

    def mtype(d, tex, c, b):
        return memory_type((d >> m[tex]) & 7, flag(d, c), flag(d, b))
    out = []
    n = m['PD_USER_ENTRIES']
    raw = mem.read(kva(pd_phys), 4 * n)
    for i in range(n):
        d = int.from_bytes(raw[4 * i:4 * i + 4], 'little')
        kind = d & m['PDE_TYPE_MASK']
        va = i << m['SECTION_BITS']
        if kind == m['PDE_TYPE_SECTION']:
            out.append((va, 1 << m['SECTION_BITS'], ap(d, 'PDE_AP_SHIFT', 'PDE_AP2'),
                        not flag(d, 'PDE_XN'), mtype(d, 'PDE_TEX_SHIFT', 'PDE_C', 'PDE_B'),
                        d & m['PDE_SECTION_BASE_MASK']))
        elif kind == m['PDE_TYPE_TABLE']:
            pt = mem.read(kva(d & m['PDE_TABLE_BASE_MASK']), 4 * m['PT_ENTRIES'])
            j = 0
            while j < m['PT_ENTRIES']:
                e = int.from_bytes(pt[4 * j:4 * j + 4], 'little')
                pva = va + (j << m['PAGE_BITS'])
                if e & m['PTE_TYPE_SMALL']:  # (bit 0 of a small page is its XN)
                    out.append((pva, 1 << m['PAGE_BITS'], ap(e, 'PTE_AP_SHIFT', 'PTE_AP2'),
                                not flag(e, 'PTE_SMALL_XN'),
                                mtype(e, 'PTE_SMALL_TEX_SHIFT', 'PTE_C', 'PTE_B'),
                                e & m['PTE_SMALL_BASE_MASK']))
                elif e & m['PTE_TYPE_MASK'] == m['PTE_TYPE_LARGE']:  # 16 entries of one page
                    out.append((pva, 1 << m['LARGE_PAGE_BITS'], ap(e, 'PTE_AP_SHIFT', 'PTE_AP2'),
                                not flag(e, 'PTE_LARGE_XN'),
                                mtype(e, 'PTE_LARGE_TEX_SHIFT', 'PTE_C', 'PTE_B'),
                                e & m['PTE_LARGE_BASE_MASK']))
                    j += (1 << (m['LARGE_PAGE_BITS'] - m['PAGE_BITS'])) - 1
                j += 1
    return [(va, size, AP_USER.get(ap, '--').ljust(2, '-') + ('x' if x else '-'), ty, pa)
            for va, size, ap, x, ty, pa in out]


def runs(pages):
    """Consecutive mappings with the same rights and type, physically
    contiguous, as one run: [(va, size, rights, type, pa)]."""
    out = []
    for va, size, rights, ty, pa in pages:
        if out:
            lva, lsize, lr, lty, lpa = out[-1]
            if lva + lsize == va and lr == rights and lty == ty and lpa + lsize == pa:
                out[-1] = (lva, lsize + size, lr, lty, lpa)
                continue
        out.append((va, size, rights, ty, pa))
    return out


class Vspace(gdb.Command):
    """l4 vspace THREAD: the user mappings of the thread's address space."""

    def __init__(self):
        super().__init__('l4 vspace', gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        k = kernel()
        with KernelMemory() as mem:
            a, t = find_thread(mem, arg)
            pd = int(t['vspace_pd'])
            if not pd:
                raise gdb.GdbError("'%s' has no address space" % cstring(t['name']))
            pages = vspace_pages(k, mem, pd)
        gdb.write("address space of '%s': page directory 0x%08x (physical), asid %d\n" % (
            cstring(t['name']), pd, int(t['asid'])))
        total = 0
        for va, size, rights, ty, pa in runs(pages):
            gdb.write('0x%08x-0x%08x %8dK %s %-8s pa 0x%08x\n' % (va, va + size - 1, size >> 10,
                                                                    rights, ty, pa))
            total += size
        gdb.write('%d KiB mapped in %d pages\n' % (total >> 10, len(pages)))


class Trace(gdb.Command):
    """l4 trace [N]: the last N (20) records of the kernel's event trace."""

    def __init__(self):
        super().__init__('l4 trace', gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        k = kernel()
        want = int(arg) if arg.strip() else 20
        try:
            ring_type = gdb.lookup_symbol('trace_ring')[0].type
        except (gdb.error, AttributeError):
            raise gdb.GdbError('no event trace in this kernel (the trace and debug configurations)')
        size = ring_type.range()[1] + 1
        words = k.fmt.words
        with KernelMemory() as mem:
            total = mem.word(mem.symbol('trace_count'))
            n = min(want, total, size)
            who = names(mem)
            base = mem.symbol('trace_ring')
            recs = []
            for s in range(total - n, total):
                raw = mem.read(base + (s % size) * 4 * words, 4 * words)
                recs.append(tracefmt.Record(k.fmt, [int.from_bytes(raw[4 * i:4 * i + 4], 'little')
                                                    for i in range(words)]))
        gdb.write('last %d of %d records (seq, time, thread, kind, details):\n' % (n, total))
        for r in tracefmt.unwrap(recs):
            gdb.write(tracefmt.describe(k.fmt, r, who) + '\n')


_guests = {}      # name -> ELF path
_loaded = [None]  # the guest whose symbols are loaded


def load_guest(name):
    if _loaded[0] == name:
        return
    if _loaded[0] is not None:  # (by address: gdb keeps the file's absolute name)
        gdb.execute('remove-symbol-file -a 0x%x' % GUEST_BASE, to_string=True)
    gdb.execute('add-symbol-file %s' % _guests[name], to_string=True)
    _loaded[0] = name


class Guests(gdb.Command):
    """l4 guests NAME=ELF ...: the system's guests (the symbols file says this)."""

    def __init__(self):
        super().__init__('l4 guests', gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        for word in arg.split():
            name, _, elf = word.partition('=')
            _guests[name] = elf
        if _guests and _loaded[0] is None:
            load_guest(sorted(_guests)[0])


class Guest(gdb.Command):
    """l4 guest [NAME]: load guest NAME's symbols (all guests are linked at 0x40000000)."""

    def __init__(self):
        super().__init__('l4 guest', gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        name = arg.strip()
        if not name:
            for g in sorted(_guests):
                gdb.write('%s %-15s %s\n' % ('*' if g == _loaded[0] else ' ', g, _guests[g]))
            return
        if name not in _guests:
            raise gdb.GdbError("no guest '%s' (%s)" % (name, ', '.join(sorted(_guests)) or 'none'))
        load_guest(name)
        gdb.write("symbols of guest '%s' (%s)\n" % (name, _guests[name]))


def on_stop(event):
    """Stopped inside a guest's address range: load the symbols of the guest
    whose vCPU thread runs (the VMM names the thread after its guest)."""
    if len(set(_guests.values())) < 2:
        return  # one image (or none): nothing to choose
    try:
        pc = int(gdb.parse_and_eval('$pc'))
        if not GUEST_BASE <= pc < 0x80000000:
            return
        with KernelMemory() as mem:
            cur = mem.word(mem.symbol('ks_cur'))
            if not cur:
                return
            name = cstring(mem.value(cur, 'tcb_t')['name'])
    except gdb.error:
        return
    if name in _guests and _guests.get(_loaded[0]) != _guests[name]:
        load_guest(name)
        gdb.write("[l4] symbols of guest '%s' loaded (its vCPU runs)\n" % name)


L4()
Threads()
Caps()
Vcpu()
Vspace()
Trace()
Guests()
Guest()
gdb.events.stop.connect(on_stop)
