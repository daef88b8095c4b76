#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""sysgen: turn a system description (systems/<name>.sys) into the table the
root task builds the system from (docs/system.md).

    sysgen.py SYSTEM.sys [--image NAME=ELF]... [-o TABLE.c] [--images-out LIST]
    sysgen.py --check SYSTEM.sys ...      validate only

The description is validated completely before anything is written; every
error is reported as `FILE:LINE: message` and the exit status is 1. With -o
the C table is written (a generated file: do not edit it); with
--images-out the guest images to embed, one `NAME PATH` per line.

Python 3 standard library only. The format, in short:

    # comment                      (whole lines only)
    [system]                       at most once
    test_report = yes              print `[test] PASS <party>_ended_with_status_0`
                                   per awaited party and `[test] DONE`
    timer_server = yes             no: no timer server; IRQ 27 may then be granted
    [guest NAME]                   a guest OS under its own VMM
    image = IMAGE                  a guest image registered with the build
    ram = 4M                       guest RAM: 1M, 2M, 4M or 8M
    priority = 100                 of its vCPU thread, 1..149
    console = NAME                 its console tag (default: NAME)
    awaited = yes                  the system ends when every awaited party ended
    restarts = 0                   automatic restarts after a fault, 0..8
    irqs = 33 34                   physical lines (16..159) it receives as virtual
                                   lines 16 + k, acked with VMM_IRQ_ACK (docs/vmm.md)
    [native NAME]                  a native component (a function of the root image)
    entry = C_FUNCTION             void f(l4_word_t env)
    priority, console, awaited     as above (awaited defaults to no)
    stack = 32K                    4K..256K, a multiple of 4K
    heap = 0                       0..4M, a multiple of 4K, mapped at COMP_HEAP_VADDR
    irqs = 33 34                   interrupt lines it may claim (16..159)
    vmm_control = no               it gets the system's VMM endpoints (restarts)
    [channel NAME]                 a shared page + a notification line each way
    a = PARTY[:INDEX]              one end; INDEX = the channel's number at that
    b = PARTY[:INDEX]              party (default: the next free one)
"""
import argparse
import os
import re
import sys

# Limits; the generated table checks them against servers/root/system.h and
# servers/include/system/{guest,proto}.h with static asserts.
MAX_GUESTS = 12          # SYS_MAX_GUESTS
MAX_NATIVES = 4          # SYS_MAX_NATIVES
MAX_CHANNELS = 16        # SYS_MAX_CHANNELS
MAX_PARTY_CHANNELS = 8   # GUEST_MAX_CHANNELS (docs/vmm.md: slots 10..17, lines 8..15)
MAX_IRQS = 8             # NATIVE_MAX_IRQS and GUEST_MAX_IRQS (guest lines 16..23)
MAX_VMM_CONTROL = 8      # NATIVE_CAP_VMM + k, below NATIVE_CAP_CHAN
PRIO_MIN, PRIO_MAX = 1, 149   # below the VMMs (150), console (200), timer (210)
RAM_SIZES = {1 << 20: '1M', 2 << 20: '2M', 4 << 20: '4M', 8 << 20: '8M'}
IRQ_FIRST, IRQ_LAST = 16, 159  # PPIs and SPIs of the QEMU virt GIC (SGIs are not lines)
KERNEL_TIMER_IRQ = 30   # PLAT_IRQ_TIMER: never grantable
TIMER_SERVER_IRQ = 27   # TIMER_IRQ: the timer server's, unless `timer_server = no`
NAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_.-]{0,14}$')  # 15 chars: console names are 16 bytes
IDENT_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
SIZE_RE = re.compile(r'^(\d+)\s*([KM]?)$')

KEYS = {
    'system': {'test_report', 'timer_server'},
    'guest': {'image', 'ram', 'priority', 'console', 'awaited', 'restarts', 'irqs'},
    'native': {'entry', 'priority', 'console', 'awaited', 'stack', 'heap', 'irqs',
               'vmm_control'},
    'channel': {'a', 'b'},
}
REQUIRED = {'system': set(), 'guest': {'image'}, 'native': {'entry'}, 'channel': {'a', 'b'}}


class SysError(Exception):
    pass


class Section:
    def __init__(self, kind, name, line):
        self.kind, self.name, self.line = kind, name, line
        self.values = {}   # key -> (value, line)

    def get(self, key, default=None):
        v = self.values.get(key)
        return v[0] if v else default

    def line_of(self, key):
        v = self.values.get(key)
        return v[1] if v else self.line


class Errors:
    def __init__(self, path):
        self.path, self.list = path, []

    def add(self, line, msg):
        self.list.append('%s:%d: %s' % (self.path, line, msg))


def parse(text, errs):
    """Sections in file order. Syntax errors are recorded in errs."""
    sections, cur = [], None
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('['):
            m = re.match(r'^\[\s*(\w+)(?:\s+(\S+))?\s*\]$', line)
            if not m:
                errs.add(n, 'malformed section header %r (want [kind] or [kind name])' % line)
                cur = None
                continue
            kind, name = m.group(1), m.group(2)
            if kind not in KEYS:
                errs.add(n, 'unknown section kind %r (known: %s)' % (kind, ', '.join(sorted(KEYS))))
                cur = None
                continue
            if kind == 'system' and name:
                errs.add(n, '[system] takes no name')
            if kind != 'system' and not name:
                errs.add(n, '[%s] needs a name: [%s NAME]' % (kind, kind))
                cur = None
                continue
            cur = Section(kind, name or 'system', n)
            sections.append(cur)
            continue
        if '=' not in line:
            errs.add(n, 'expected `key = value`, got %r' % line)
            continue
        key, value = (s.strip() for s in line.split('=', 1))
        if cur is None:
            errs.add(n, 'key %r outside a section' % key)
            continue
        if key not in KEYS[cur.kind]:
            errs.add(n, 'unknown key %r in [%s %s] (known: %s)'
                     % (key, cur.kind, cur.name, ', '.join(sorted(KEYS[cur.kind]))))
            continue
        if key in cur.values:
            errs.add(n, 'key %r given twice in [%s %s] (first on line %d)'
                     % (key, cur.kind, cur.name, cur.values[key][1]))
            continue
        cur.values[key] = (value, n)
    return sections


def parse_size(text):
    m = SIZE_RE.match(text)
    if not m:
        return None
    return int(m.group(1)) * {'': 1, 'K': 1 << 10, 'M': 1 << 20}[m.group(2)]


def parse_bool(sec, key, default, errs):
    v = sec.get(key)
    if v is None:
        return default
    if v in ('yes', 'true', '1'):
        return True
    if v in ('no', 'false', '0'):
        return False
    errs.add(sec.line_of(key), '%s = %r: want yes or no' % (key, v))
    return default


def parse_int(sec, key, default, lo, hi, errs, what=None):
    v = sec.get(key)
    if v is None:
        return default
    if not re.match(r'^\d+$', v):
        errs.add(sec.line_of(key), '%s = %r: not a number' % (key, v))
        return default
    i = int(v)
    if not lo <= i <= hi:
        errs.add(sec.line_of(key), '%s %d of %s is out of range %d..%d%s'
                 % (key, i, sec.name, lo, hi, what or ''))
        return default
    return i


def parse_mem(sec, key, default, lo, hi, errs):
    v = sec.get(key)
    if v is None:
        return default
    size = parse_size(v)
    if size is None:
        errs.add(sec.line_of(key), '%s = %r: want a size like 64K or 4M' % (key, v))
        return default
    if size % 4096 or not lo <= size <= hi:
        errs.add(sec.line_of(key), '%s %s of %s: want a multiple of 4K in %dK..%dK'
                 % (key, v, sec.name, lo >> 10, hi >> 10))
        return default
    return size


def parse_irqs(sec, system, irq_owner, errs):
    """The interrupt lines of a guest or native component (`irqs`), checked
    against the reserved lines and every other party's claims."""
    irqs, ln = [], sec.line_of('irqs')
    reserved = {KERNEL_TIMER_IRQ: 'the kernel (its timer, PLAT_IRQ_TIMER)'}
    if system['timer_server']:
        reserved[TIMER_SERVER_IRQ] = ('the timer server (virtual timer, TIMER_IRQ; '
                                      '`timer_server = no` in [system] frees it)')
    for word in (sec.get('irqs') or '').replace(',', ' ').split():
        if not re.match(r'^[0-9]+$', word):
            errs.add(ln, 'IRQ %r of %s is not a number' % (word, sec.name))
            continue
        irq = int(word)
        if irq in reserved:
            errs.add(ln, 'IRQ %d of %s is reserved by %s' % (irq, sec.name, reserved[irq]))
        elif not IRQ_FIRST <= irq <= IRQ_LAST:
            errs.add(ln, 'IRQ %d of %s is out of range %d..%d'
                     % (irq, sec.name, IRQ_FIRST, IRQ_LAST))
        elif irq in irq_owner:
            errs.add(ln, 'IRQ %d of %s is already claimed by %s' % (irq, sec.name, irq_owner[irq]))
        else:
            irq_owner[irq] = sec.name
            irqs.append(irq)
    if len(irqs) > MAX_IRQS:
        errs.add(ln, '%s claims %d IRQs; at most %d per %s'
                 % (sec.name, len(irqs), MAX_IRQS,
                    'guest (virtual lines 16..23)' if sec.kind == 'guest' else 'component'))
    return irqs


def validate(sections, errs, images=None):
    """The checked system as a dict; errors are recorded in errs."""
    system = {'test_report': False, 'timer_server': True, 'guests': [], 'natives': [],
              'channels': []}
    names, consoles, irq_owner = {}, {'root': 'the root task', 'vmm': 'the VMMs'}, {}
    # [system] first, wherever it is: the parties' checks depend on it.
    for s in (s for s in sections if s.kind == 'system'):
        if system.get('_system_line'):
            errs.add(s.line, '[system] given twice (first on line %d)' % system['_system_line'])
            continue
        system['_system_line'] = s.line
        system['test_report'] = parse_bool(s, 'test_report', False, errs)
        system['timer_server'] = parse_bool(s, 'timer_server', True, errs)
    for s in sections:
        for key in sorted(REQUIRED[s.kind] - set(s.values)):
            errs.add(s.line, '[%s %s] lacks the required key %r' % (s.kind, s.name, key))
        if s.kind == 'system':
            continue
        if not NAME_RE.match(s.name):
            errs.add(s.line, 'bad name %r: 1..15 letters, digits, `_.-`, starting with a letter'
                     % s.name)
        if s.name in names:
            errs.add(s.line, 'duplicate name %r (first defined on line %d)'
                     % (s.name, names[s.name].line))
            continue
        names[s.name] = s
        if s.kind == 'channel':
            system['channels'].append(s)
            continue
        party = {'name': s.name, 'line': s.line, 'kind': s.kind,
                 'priority': parse_int(s, 'priority', 100, PRIO_MIN, PRIO_MAX, errs,
                                       ' (below the VMMs at 150)'),
                 'console': s.get('console', s.name), 'channels': {},
                 'irqs': parse_irqs(s, system, irq_owner, errs)}
        if not NAME_RE.match(party['console']):
            errs.add(s.line_of('console'), 'bad console name %r: 1..15 letters, digits, `_.-`'
                     % party['console'])
        elif party['console'] in consoles:
            errs.add(s.line_of('console'), 'console name %r of %s is already used by %s'
                     % (party['console'], s.name, consoles[party['console']]))
        else:
            consoles[party['console']] = s.name
        if s.kind == 'guest':
            party['awaited'] = parse_bool(s, 'awaited', True, errs)
            party['restarts'] = parse_int(s, 'restarts', 0, 0, 8, errs)
            party['image'] = s.get('image', '')
            if party['image'] and not IDENT_RE.match(party['image'].replace('-', '_')):
                errs.add(s.line_of('image'), 'bad image name %r' % party['image'])
            elif party['image'] and images is not None and party['image'] not in images:
                errs.add(s.line_of('image'), 'unknown image %r of guest %s (known: %s)'
                         % (party['image'], s.name, ', '.join(sorted(images)) or 'none'))
            ram = s.get('ram', '4M')
            size = parse_size(ram)
            if size not in RAM_SIZES:
                errs.add(s.line_of('ram'), 'RAM size %r of guest %s is not supported (supported: %s)'
                         % (ram, s.name, ', '.join(RAM_SIZES[k] for k in sorted(RAM_SIZES))))
                size = 4 << 20
            party['ram'] = size
            system['guests'].append(party)
        else:
            party['awaited'] = parse_bool(s, 'awaited', False, errs)
            party['entry'] = s.get('entry', '')
            if party['entry'] and not IDENT_RE.match(party['entry']):
                errs.add(s.line_of('entry'), 'entry %r is not a C function name' % party['entry'])
            party['stack'] = parse_mem(s, 'stack', 32 << 10, 4 << 10, 256 << 10, errs)
            party['heap'] = parse_mem(s, 'heap', 0, 0, 4 << 20, errs)
            party['vmm_control'] = parse_bool(s, 'vmm_control', False, errs)
            system['natives'].append(party)
    parties = {p['name']: p for p in system['guests'] + system['natives']}
    if len(system['guests']) > MAX_GUESTS:
        errs.add(system['guests'][MAX_GUESTS]['line'], 'too many guests: %d, at most %d'
                 % (len(system['guests']), MAX_GUESTS))
    if len(system['natives']) > MAX_NATIVES:
        errs.add(system['natives'][MAX_NATIVES]['line'], 'too many native components: %d, at most %d'
                 % (len(system['natives']), MAX_NATIVES))
    if len(system['channels']) > MAX_CHANNELS:
        errs.add(system['channels'][MAX_CHANNELS].line, 'too many channels: %d, at most %d'
                 % (len(system['channels']), MAX_CHANNELS))
    for n in system['natives']:
        if n['vmm_control'] and len(system['guests']) > MAX_VMM_CONTROL:
            errs.add(names[n['name']].line_of('vmm_control'),
                     'vmm_control of %s: %d guests, but NATIVE_CAP_VMM has room for %d'
                     % (n['name'], len(system['guests']), MAX_VMM_CONTROL))
    system['channels'] = resolve_channels(system['channels'], parties, errs)
    if not parties:
        errs.add(1, 'the system has no guest and no native component')
    elif not any(p['awaited'] for p in parties.values()):
        errs.add(1, 'no party is awaited: the system would never end (set awaited = yes)')
    system.pop('_system_line', None)
    return system


def resolve_channels(sections, parties, errs):
    """Channels as dicts with both ends' (party, index); explicit indexes first,
    then each unnumbered end takes its party's lowest free index."""
    chans = []
    for s in sections:
        ends = []
        for key in ('a', 'b'):
            v = s.get(key)
            if v is None:
                continue
            m = re.match(r'^([^:\s]+)(?::(\d+))?$', v)
            if not m:
                errs.add(s.line_of(key), 'channel %s: %s = %r: want PARTY or PARTY:INDEX'
                         % (s.name, key, v))
                continue
            who, idx = m.group(1), m.group(2)
            if who not in parties:
                errs.add(s.line_of(key), 'channel %s names unknown %s end %r (parties: %s)'
                         % (s.name, key, who, ', '.join(sorted(parties)) or 'none'))
                continue
            if idx is not None and int(idx) >= MAX_PARTY_CHANNELS:
                errs.add(s.line_of(key), 'channel %s: index %s at %s is out of range 0..%d'
                         % (s.name, idx, who, MAX_PARTY_CHANNELS - 1))
                continue
            ends.append({'party': who, 'index': None if idx is None else int(idx),
                         'line': s.line_of(key)})
        if len(ends) == 2 and ends[0]['party'] == ends[1]['party']:
            errs.add(s.line, 'channel %s connects %s to itself' % (s.name, ends[0]['party']))
            continue
        if len(ends) == 2:
            chans.append({'name': s.name, 'line': s.line, 'ends': ends})
    used = {}
    for c in chans:
        for e in c['ends']:
            if e['index'] is None:
                continue
            key = (e['party'], e['index'])
            if key in used:
                errs.add(e['line'], 'channel %s: index %d at %s is already used by channel %s'
                         % (c['name'], e['index'], e['party'], used[key]))
            used[key] = c['name']
    for c in chans:
        for e in c['ends']:
            if e['index'] is not None:
                continue
            i = 0
            while (e['party'], i) in used:
                i += 1
            e['index'] = i
            used[(e['party'], i)] = c['name']
    count = {}
    for c in chans:
        for e in c['ends']:
            count.setdefault(e['party'], []).append(c)
    for who, cs in sorted(count.items()):
        if len(cs) > MAX_PARTY_CHANNELS:
            errs.add(cs[MAX_PARTY_CHANNELS]['line'],
                     '%s has %d channels; docs/vmm.md allows at most %d per guest or component'
                     % (who, len(cs), MAX_PARTY_CHANNELS))
    for c in chans:
        for e in c['ends']:
            if e['index'] >= MAX_PARTY_CHANNELS and len(count[e['party']]) <= MAX_PARTY_CHANNELS:
                errs.add(e['line'], 'channel %s: no free index left at %s' % (c['name'], e['party']))
            parties[e['party']]['channels'][e['index']] = c['name']
    return chans


def decode_text(path, data):
    """The description as text: UTF-8 (a byte-order mark is skipped), no NUL
    bytes. Anything else is not a description (a binary, another encoding):
    one error naming the first offending byte, not a crash."""
    def where(off):
        return 'offset %d, line %d' % (off, data.count(b'\n', 0, off) + 1)
    skip = 3 if data.startswith(b'\xef\xbb\xbf') else 0
    text, bad = None, None
    try:
        text = data[skip:].decode('utf-8')
    except UnicodeDecodeError as e:
        bad = skip + e.start
    nul = data.find(b'\0')
    if nul >= 0 and (bad is None or nul < bad):
        raise SysError('%s: not a text file: NUL byte at %s (a system description is UTF-8 text)'
                       % (path, where(nul)))
    if bad is not None:
        raise SysError('%s: not a text file: byte 0x%02x at %s is not UTF-8 '
                       '(a system description is UTF-8 text)' % (path, data[bad], where(bad)))
    return text


def load(path, images=None):
    """Parse and validate; returns the system or raises SysError (all errors)."""
    errs = Errors(path)
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as e:
        raise SysError('%s: cannot read: %s' % (path, e.strerror))
    system = validate(parse(decode_text(path, data), errs), errs, images)
    if errs.list:
        raise SysError('\n'.join(errs.list))
    return system


def image_symbol(image):
    return 'sysimg_' + re.sub(r'[^A-Za-z0-9_]', '_', image)


def c_str(s):
    return '"%s"' % s.replace('\\', '\\\\').replace('"', '\\"')


def party_ref(system, name):
    for k, g in enumerate(system['guests']):
        if g['name'] == name:
            return str(k)
    for j, n in enumerate(system['natives']):
        if n['name'] == name:
            return 'SYS_NATIVE(%d)' % j
    raise KeyError(name)


def generate_c(system, source):
    b = lambda v: '1' if v else '0'
    out = ['/* Generated by tools/sysgen/sysgen.py from %s: do not edit. */' % source,
           '#include "system.h"', '']
    for img in sorted({g['image'] for g in system['guests']}):
        out.append('SYS_IMAGE_DECL(%s);' % image_symbol(img))
    for e in sorted({n['entry'] for n in system['natives']}):
        out.append('void %s(l4_word_t arg);' % e)
    out += ['',
            '_Static_assert(%d <= SYS_MAX_GUESTS, "guests");' % len(system['guests']),
            '_Static_assert(%d <= SYS_MAX_NATIVES, "native components");' % len(system['natives']),
            '_Static_assert(%d <= SYS_MAX_CHANNELS, "channels");' % len(system['channels']),
            '_Static_assert(%d == GUEST_MAX_CHANNELS && %d == NATIVE_MAX_IRQS && '
            '%d == GUEST_MAX_IRQS, "sysgen limits");' % (MAX_PARTY_CHANNELS, MAX_IRQS, MAX_IRQS),
            '_Static_assert(%d == TIMER_IRQ, "the timer server\'s line");' % TIMER_SERVER_IRQ, '',
            'const sys_config_t sys_config = {', '    .guests = {']
    for g in system['guests']:
        out.append('        {.name = %s, .console = %s, .priority = %d, SYS_IMAGE(%s), '
                   '.ram_size = 0x%x, .auto_restarts = %d, .awaited = %s, .irqs = {%s}, '
                   '.nirqs = %d},'
                   % (c_str(g['name']), c_str(g['console']), g['priority'],
                      image_symbol(g['image']), g['ram'], g['restarts'], b(g['awaited']),
                      ', '.join(str(i) for i in g['irqs']), len(g['irqs'])))
    out += ['    },', '    .nguests = %d,' % len(system['guests']), '    .natives = {']
    for n in system['natives']:
        irqs = ', '.join(str(i) for i in n['irqs'])
        out.append('        {.name = %s, .console = %s, .entry = %s, .priority = %d, '
                   '.stack_size = 0x%x, .heap_size = 0x%x, .irqs = {%s}, .nirqs = %d, '
                   '.awaited = %s, .system_vmm_caps = %s},'
                   % (c_str(n['name']), c_str(n['console']), n['entry'], n['priority'],
                      n['stack'], n['heap'], irqs, len(n['irqs']), b(n['awaited']),
                      b(n['vmm_control'])))
    out += ['    },', '    .nnatives = %d,' % len(system['natives']), '    .channels = {']
    for c in system['channels']:
        a, z = c['ends']
        out.append('        {.a = %s, .a_index = %d, .b = %s, .b_index = %d}, /* %s */'
                   % (party_ref(system, a['party']), a['index'],
                      party_ref(system, z['party']), z['index'], c['name']))
    out += ['    },', '    .nchannels = %d,' % len(system['channels']),
            '    .test_done_line = %s,' % b(system['test_report']),
            '    .timer_server = %s,' % b(system['timer_server']), '};', '']
    return '\n'.join(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description='system description -> root task table')
    ap.add_argument('system')
    ap.add_argument('--image', action='append', default=[], metavar='NAME=ELF',
                    help='a guest image the build can embed (repeatable)')
    ap.add_argument('--check', action='store_true', help='validate only')
    ap.add_argument('-o', dest='table', help='write the C table here')
    ap.add_argument('--images-out', help='write `NAME PATH` per embedded image')
    ap.add_argument('--source-name', help='the description\'s name in the generated header')
    args = ap.parse_args(argv)
    images = None
    if args.image:
        if any('=' not in i for i in args.image):
            ap.error('--image takes NAME=ELF')
        images = dict(i.split('=', 1) for i in args.image)
    try:
        system = load(args.system, images)
    except SysError as e:
        sys.stderr.write('sysgen: error:\n%s\n' % e)
        return 1
    if args.check:
        return 0
    if args.table:
        with open(args.table, 'w') as f:
            f.write(generate_c(system, args.source_name or args.system))
    if args.images_out:
        with open(args.images_out, 'w') as f:
            for img in sorted({g['image'] for g in system['guests']}):
                f.write('%s %s\n' % (img, (images or {}).get(img, '?')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
