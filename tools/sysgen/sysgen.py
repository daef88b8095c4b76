#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""sysgen: turn a system description (systems/<name>.sys) into the table the
root task builds the system from (docs/system.md, docs/components.md).

    sysgen.py SYSTEM.sys [--image NAME=ELF]... [--program NAME=KIND:ELF]...
              [--platform DEVICES.def] [-o TABLE.c]
    sysgen.py --check SYSTEM.sys ...      validate only

The description is validated completely before anything is written; every
error is reported as `FILE:LINE: message` and the exit status is 1. Guest
images (--image) and programs (--program, KIND component or server) are
those the build registered; with their ELF files, the programs' symbols are
checked too (entry functions, the variables the description sets). With -o
the C table is written (a generated file: do not edit it).

Python 3 standard library only. The format, in short (docs/system.md):

    [system]          test_report, timer_server
    [guest NAME]      image, ram, priority, console, awaited, restarts, irqs, previrt,
                      console_input, soft_irqs
    [component NAME]  program, priority, console, awaited, restarts, stack, heap,
                      irqs = LINE[:ID]..., vmm_control, machine
    [channel NAME]    a = PARTY[:INDEX], b = PARTY[:INDEX]   (page + notifications;
                      the party `console`, the console server, writes through the serial
                      driver component at the other end)
    [endpoint NAME]   server = COMPONENT[:ID]
                      client = COMPONENT[:ID] badge N         (one line per client)
    [region NAME]     size, cached; COMPONENT = r|rw|rx|- [VARIABLE] [paddr VARIABLE]
                      [size VARIABLE]   (- maps nothing: a driver told a DMA buffer's place)
    [device NAME]     device = BOARD_DEVICE; COMPONENT = r|rw [VARIABLE];
                      GUEST = r|rw (passed through at its physical address)
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import elfsym  # noqa: E402
from sysparse import (IDENT_RE, NAME_RE, REQUIRED, Errors, SysError, decode_text,  # noqa: E402,F401
                      did_you_mean, parse, parse_bool, parse_int, parse_mem, parse_size,
                      read_irq_lines, read_platform)

# Limits; the generated table checks them against servers/root/system.h and
# servers/include/system/{comp,guest,proto}.h with static asserts.
MAX_GUESTS = 12          # SYS_MAX_GUESTS
MAX_COMPONENTS = 64      # COMP_MAX_COMPONENTS
MAX_CHANNELS = 256       # SYS_MAX_CHANNELS
MAX_REGIONS = 128        # SYS_MAX_REGIONS
MAX_GUEST_CHANNELS = 8   # GUEST_MAX_CHANNELS (docs/vmm.md: slots 10..17, lines 8..15)
MAX_GUEST_IRQS = 8       # GUEST_MAX_IRQS (guest lines 16..23)
# A guest's virtual lines (docs/vmm.md, "Virtual interrupt lines"): GUEST_LINES,
# GUEST_LINE_FIRST_FREE, the homes GUEST_HOME_{CHAN,PHYS,SOFT}, GUEST_MAX_SOFT and
# GUEST_DEFAULT_SOFT of servers/include/system/guest.h.
GUEST_LINES, GUEST_LINE_FIRST_FREE = 32, 2
GUEST_HOME_CHAN, GUEST_HOME_PHYS, GUEST_HOME_SOFT = 8, 16, 24
MAX_GUEST_SOFT, DEFAULT_GUEST_SOFT = 30, 4
MAX_GUEST_DEVICES = 8    # GUEST_MAX_DEVICES (info page words 32..47)
MAX_GUEST_DEVICE_PAGES = 24  # GUEST_MAX_DEVICE_PAGES (VMM_CAP_DEVICE 40..63)
GUEST_DEVICE_LIMIT = 0x40000000  # GUEST_RAM_BASE: devices sit below it
MAX_IDS = 64             # COMP_MAX_IDS: ids 0..63 per component
MAX_COMP_IRQS = 16       # COMP_MAX_IRQS
MAX_COMP_REGIONS = 16    # COMP_MAX_REGIONS
MAX_BADGE = 0xffffff     # COMP_MAX_BADGE
PRIO_MIN, PRIO_MAX = 1, 149   # below the VMMs (150), console (200), timer (210)
RAM_SIZES = {1 << 20: '1M', 2 << 20: '2M', 4 << 20: '4M', 8 << 20: '8M'}
# Which interrupt lines user level may have: devices.def's `irqs` lines,
# the table the kernel's plat_irq_user_ok is generated from (platgen.py).
KERNEL_TIMER_IRQ = 30   # PLAT_IRQ_TIMER: never grantable
# Notification lines of a component (system/comp.h): 0 the timer, 1..29
# direct, then 32 per extra notification.
LINE_DIRECT_FIRST, LINE_DIRECT_LAST = 1, 29
LINE_EXTRA = [(32, 63), (64, 95)]
# Address space of a component (system/comp.h).
REGION_BASE, REGION_LIMIT = 0x50000000, 0x60000000
DEVICE_BASE, DEVICE_LIMIT = 0x48000000, 0x50000000
REGION_MAX = 64 << 20
STACK_MIN, STACK_MAX = 4 << 10, 1 << 20
HEAP_MAX = 64 << 20
PLATFORM_DEVICES = 'kernel/plat/qemu-virt/devices.def'
CONSOLE_PARTY = 'console'  # the console server, as a channel party (SYS_CONSOLE_PARTY)
CONSOLE_LINE = 0           # its line for that channel: bit 0 of CONSOLE_CAP_NTFN
SERVER_PROGRAMS = ('console', 'vmm', 'vtimer')
PERMS = {'r': 0, 'rw': 1, 'rx': 2}  # COMP_REGION_WRITE, COMP_REGION_EXEC


def irq_line_refused(irq_lines, irq):
    """Why user level may not have line irq (the board's `irqs` table), or None."""
    for first, last, owner, what in irq_lines:
        if first <= irq <= last:
            return None if owner == 'user' else what
    return "past the interrupt controller's last line %d" % irq_lines[-1][1]


def user_lines_text(irq_lines):
    return ', '.join(str(a) if a == b else '%d..%d' % (a, b)
                     for a, b, owner, _ in irq_lines if owner == 'user')


def party_irqs(sec, system, irq_owner, errs, with_ids):
    """The interrupt lines of a guest or component (`irqs`), checked
    against the reserved lines and every other party's claims. Components'
    lines may carry an id: LINE:ID."""
    irqs, ln = [], sec.line_of('irqs')
    reserved = {KERNEL_TIMER_IRQ: 'the kernel (its timer, PLAT_IRQ_TIMER)'}
    for word in (sec.get('irqs') or '').replace(',', ' ').split():
        m = re.match(r'^([0-9]+)(?::([0-9]+))?$', word) if with_ids else \
            re.match(r'^([0-9]+)()$', word)
        if not m:
            errs.add(ln, 'IRQ %r of %s is not a number%s' % (word, sec.name,
                                                             ' (or LINE:ID)' if with_ids else ''))
            continue
        irq, ident = int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
        why = irq_line_refused(system['_irq_lines'], irq)
        if irq in reserved:
            errs.add(ln, 'IRQ %d of %s is reserved by %s' % (irq, sec.name, reserved[irq]))
        elif why:
            errs.add(ln, 'IRQ %d of %s is %s; user level may have lines %s (%s)'
                     % (irq, sec.name, why, user_lines_text(system['_irq_lines']),
                        PLATFORM_DEVICES))
        elif irq in irq_owner:
            errs.add(ln, 'IRQ %d of %s is already claimed by %s' % (irq, sec.name, irq_owner[irq]))
        else:
            irq_owner[irq] = sec.name
            irqs.append((irq, ident))
    limit = MAX_GUEST_IRQS if sec.kind == 'guest' else MAX_COMP_IRQS
    if len(irqs) > limit:
        errs.add(ln, '%s claims %d IRQs; at most %d per %s'
                 % (sec.name, len(irqs), limit,
                    'guest (info page words 24..31)' if sec.kind == 'guest' else 'component'))
    return irqs


def check_registered(s, key, name, known, what, errs):
    """Whether `name` is one of `known` (None: not checked); else an error
    with the closest one."""
    if known is None or name in known:
        return True
    errs.add(s.line_of(key), 'unknown %s %r of %s %s (%sknown: %s)'
             % (what, name, s.kind, s.name, did_you_mean(name, known),
                ', '.join(sorted(known)) or 'none'))
    return False


def validate_party(s, system, names, consoles, irq_owner, errs, images, programs):
    party = {'name': s.name, 'line': s.line, 'kind': s.kind,
             'priority': parse_int(s, 'priority', 100, PRIO_MIN, PRIO_MAX, errs,
                                   ' (below the VMMs at 150)'),
             'console': s.get('console', s.name), 'channels': {},
             'irqs': party_irqs(s, system, irq_owner, errs, s.kind == 'component')}
    if not NAME_RE.match(party['console']):
        errs.add(s.line_of('console'), 'bad console name %r: 1..15 letters, digits, `_.-`'
                 % party['console'])
    elif party['console'] in consoles:
        errs.add(s.line_of('console'), 'console name %r of %s is already used by %s'
                 % (party['console'], s.name, consoles[party['console']]))
    else:
        consoles[party['console']] = s.name
    party['restarts'] = parse_int(s, 'restarts', 0, 0, 8 if s.kind == 'guest' else 255, errs)
    if s.kind == 'guest':
        party['awaited'] = parse_bool(s, 'awaited', True, errs)
        party['previrt'] = parse_bool(s, 'previrt', False, errs)
        party['console_input'] = parse_bool(s, 'console_input', False, errs)
        party['console_input_line'] = s.line_of('console_input')
        party['soft_irqs'] = parse_int(s, 'soft_irqs', DEFAULT_GUEST_SOFT, 0, MAX_GUEST_SOFT, errs,
                                       ' (lines 2..31 less the channels and physical lines)')
        party['soft_irqs_line'] = s.line_of('soft_irqs') or s.line
        party['image'] = s.get('image', '')
        if party['image'] and not IDENT_RE.match(party['image'].replace('-', '_')):
            errs.add(s.line_of('image'), 'bad image name %r' % party['image'])
        elif party['image']:
            check_registered(s, 'image', party['image'], images, 'image', errs)
        ram = s.get('ram', '4M')
        size = parse_size(ram)
        if size not in RAM_SIZES:
            errs.add(s.line_of('ram'), 'RAM size %r of guest %s is not supported (supported: %s)'
                     % (ram, s.name, ', '.join(RAM_SIZES[k] for k in sorted(RAM_SIZES))))
            size = 4 << 20
        party['ram'] = size
        party['maps'] = []  # device regions passed through (docs/vmm.md)
        party['index'] = len(system['guests'])
        system['guests'].append(party)
        return
    party['awaited'] = parse_bool(s, 'awaited', False, errs)
    party['program'] = s.get('program', '')
    party['program_line'] = s.line_of('program')
    if party['program'] and programs is not None:
        comps = {n for n, k in programs.items() if k == 'component'}
        if party['program'] in programs and party['program'] not in comps:
            errs.add(s.line_of('program'), 'program %r of component %s is a system server, '
                     'not a component (components: %s)'
                     % (party['program'], s.name, ', '.join(sorted(comps)) or 'none'))
        else:
            check_registered(s, 'program', party['program'], comps, 'program', errs)
    party['stack'] = parse_mem(s, 'stack', 16 << 10, STACK_MIN, STACK_MAX, errs)
    party['heap'] = parse_mem(s, 'heap', 0, 0, HEAP_MAX, errs)
    party['vmm_control'] = parse_bool(s, 'vmm_control', False, errs)
    party['machine'] = parse_bool(s, 'machine', False, errs)
    party['ids'] = []      # entries: {'kind', 'id', 'line', ...}; ids assigned later
    party['maps'] = []
    party['index'] = len(system['components'])
    for irq, ident in party['irqs']:
        party['ids'].append({'kind': 'irq', 'id': ident, 'line': s.line_of('irqs'), 'irq': irq,
                             'what': 'IRQ %d' % irq})
    system['components'].append(party)


def default_platform():
    top = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
    return os.path.join(top, PLATFORM_DEVICES)


def validate(sections, errs, images=None, programs=None, platform=None, irq_lines=None):
    """The checked system as a dict; errors are recorded in errs. irq_lines:
    the board's interrupt lines (read_irq_lines; default: this board's)."""
    system = {'test_report': False, 'timer_server': True, 'guests': [], 'components': [],
              'channels': [], 'endpoints': [], 'regions': [],
              '_irq_lines': irq_lines or read_irq_lines(default_platform())}
    names, consoles, irq_owner = {}, {'root': 'the root task', 'vmm': 'the VMMs'}, {}
    # [system] first, wherever it is: the parties' checks depend on it.
    for s in (s for s in sections if s.kind == 'system'):
        if system.get('_system_line'):
            errs.add(s.line, '[system] given twice (first on line %d)' % system['_system_line'])
            continue
        system['_system_line'] = s.line
        system['test_report'] = parse_bool(s, 'test_report', False, errs)
        system['timer_server'] = parse_bool(s, 'timer_server', True, errs)
    links = []
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
        if s.kind in ('channel', 'endpoint', 'region', 'device'):
            links.append(s)
        else:
            validate_party(s, system, names, consoles, irq_owner, errs, images, programs)
    if len(system['guests']) > MAX_GUESTS:
        errs.add(system['guests'][MAX_GUESTS]['line'], 'too many guests: %d, at most %d'
                 % (len(system['guests']), MAX_GUESTS))
    if len(system['components']) > MAX_COMPONENTS:
        errs.add(system['components'][MAX_COMPONENTS]['line'],
                 'too many components: %d, at most %d'
                 % (len(system['components']), MAX_COMPONENTS))
    parties = {p['name']: p for p in system['guests'] + system['components']}
    comps = {p['name']: p for p in system['components']}
    # The console server is a channel party too: its one channel goes to a
    # serial driver component (docs/drivers.md), which it writes through.
    if CONSOLE_PARTY in parties:
        errs.add(parties[CONSOLE_PARTY]['line'], '%s %s: the name %r is the console server\'s '
                 '(a channel party)' % (parties[CONSOLE_PARTY]['kind'], CONSOLE_PARTY,
                                        CONSOLE_PARTY))
    else:
        parties[CONSOLE_PARTY] = {'name': CONSOLE_PARTY, 'kind': 'console', 'ids': [],
                                  'awaited': False}
    for s in links:
        if s.kind == 'channel':
            resolve_channel(s, parties, system, errs)
        elif s.kind == 'endpoint':
            resolve_endpoint(s, parties, comps, system, errs)
        else:
            resolve_region(s, parties, comps, system, errs, platform)
    for limit, key, what in ((MAX_CHANNELS, 'channels', 'channels'),
                             (MAX_REGIONS, 'regions', 'regions and device regions')):
        if len(system[key]) > limit:
            errs.add(system[key][limit]['line'], 'too many %s: %d, at most %d'
                     % (what, len(system[key]), limit))
    assign_guest_channels(system, errs)
    check_console_input(system, errs)
    for c in system['components']:
        assign_ids(c, errs)
        assign_lines(c, parties, errs)
        mapped = [m for m in c['maps'] if m['mapped']]
        if len(mapped) > MAX_COMP_REGIONS:
            errs.add(mapped[MAX_COMP_REGIONS]['line'], '%s maps %d regions; at most %d per '
                     'component' % (c['name'], len(mapped), MAX_COMP_REGIONS))
    place_regions(system, errs)
    if not system['guests'] and not system['components']:
        errs.add(1, 'the system has no guest and no component')
    elif not any(p['awaited'] for p in parties.values()):
        errs.add(1, 'no party is awaited: the system would never end (set awaited = yes)')
    system.pop('_system_line', None)
    return system


def party_ref(s, key, value, parties, errs, what, want_component=False):
    """(party dict, index or None) of `PARTY[:INDEX]`, or None after an error."""
    m = re.match(r'^([^:\s]+)(?::(\d+))?$', value)
    if not m:
        errs.add(s.line_of(key) if isinstance(key, str) else key,
                 '%s %s: %s = %r: want PARTY or PARTY:INDEX' % (s.kind, s.name, what, value))
        return None
    who, idx = m.group(1), m.group(2)
    line = s.line_of(key) if isinstance(key, str) else key
    if who not in parties:
        errs.add(line, '%s %s names unknown %s %r (%sparties: %s)'
                 % (s.kind, s.name, what, who, did_you_mean(who, parties),
                    ', '.join(sorted(parties)) or 'none'))
        return None
    if want_component and parties[who]['kind'] != 'component':
        errs.add(line, '%s %s: %s %s is a guest; only components have endpoints'
                 % (s.kind, s.name, what, who))
        return None
    return parties[who], (None if idx is None else int(idx)), line


def resolve_channel(s, parties, system, errs):
    ends = []
    for key in ('a', 'b'):
        v = s.get(key)
        if v is None:
            continue
        r = party_ref(s, key, v, parties, errs, '%s end' % key)
        if r:
            ends.append(r)
    if len(ends) != 2:
        return
    if ends[0][0] is ends[1][0]:
        errs.add(s.line, 'channel %s connects %s to itself' % (s.name, ends[0][0]['name']))
        return
    kinds = {e[0]['kind'] for e in ends}
    if 'console' in kinds:
        other = [e for e in ends if e[0]['kind'] != 'console'][0]
        con = [e for e in ends if e[0]['kind'] == 'console'][0]
        if other[0]['kind'] != 'component':
            errs.add(other[2], 'channel %s: the console\'s peer %s is a guest; the console '
                     'writes through a serial driver component' % (s.name, other[0]['name']))
            return
        if con[1] is not None:
            errs.add(con[2], 'channel %s: the console end takes no index' % s.name)
            return
        if system.get('console_channel'):
            errs.add(s.line, 'channel %s: the console has a channel already (%s, line %d)'
                     % (s.name, system['console_channel']['name'],
                        system['console_channel']['line']))
            return
    ch = {'name': s.name, 'line': s.line, 'index': len(system['channels']), 'ends': []}
    for (p, idx, line), (peer, _, _) in ((ends[0], ends[1]), (ends[1], ends[0])):
        e = {'party': p['name'], 'index': idx, 'line': line, 'peer': peer['name']}
        ch['ends'].append(e)
        if p['kind'] == 'component':
            p['ids'].append({'kind': 'channel', 'id': idx, 'line': line, 'channel': ch, 'end': e,
                             'what': 'channel %s' % s.name})
        elif p['kind'] == 'console':
            e['index'], e['line_bit'] = 0, CONSOLE_LINE
            system['console_channel'] = ch
    system['channels'].append(ch)


def resolve_endpoint(s, parties, comps, system, errs):
    r = party_ref(s, 'server', s.get('server', ''), parties, errs, 'server', True) \
        if s.get('server') else None
    ep = {'name': s.name, 'line': s.line, 'clients': []}
    badges, clients = {}, {}
    for value, line in s.all('client'):
        m = re.match(r'^(\S+)\s+badge\s+(\S+)$', value)
        if not m:
            errs.add(line, 'endpoint %s: client = %r: want COMPONENT[:ID] badge N' % (s.name, value))
            continue
        c = party_ref(s, line, m.group(1), parties, errs, 'client', True)
        if not re.match(r'^\d+$', m.group(2)) or not 1 <= int(m.group(2)) <= MAX_BADGE:
            errs.add(line, 'endpoint %s: badge %r of a client: want 1..%d' % (s.name, m.group(2),
                                                                              MAX_BADGE))
            continue
        if not c:
            continue
        badge, who = int(m.group(2)), c[0]['name']
        if who in clients:
            errs.add(line, 'endpoint %s: %s is a client twice (first on line %d)'
                     % (s.name, who, clients[who]))
            continue
        if badge in badges:
            errs.add(line, 'endpoint %s: badge %d of %s is already the badge of %s (line %d): '
                     'each client needs its own' % (s.name, badge, who, badges[badge][0],
                                                    badges[badge][1]))
            continue
        if r and c[0] is r[0]:
            errs.add(line, 'endpoint %s: %s is its server and a client' % (s.name, who))
            continue
        clients[who], badges[badge] = line, (who, line)
        ep['clients'].append({'comp': c[0], 'id': c[1], 'line': line, 'badge': badge})
    if not r:
        return
    server = {'kind': 'server', 'id': r[1], 'line': r[2], 'endpoint': ep,
              'what': 'endpoint %s (server)' % s.name}
    r[0]['ids'].append(server)
    ep['server'] = r[0]
    ep['server_entry'] = server
    for c in ep['clients']:
        c['entry'] = {'kind': 'client', 'id': c['id'], 'line': c['line'], 'endpoint': ep,
                      'badge': c['badge'], 'what': 'endpoint %s (client)' % s.name}
        c['comp']['ids'].append(c['entry'])
    system['endpoints'].append(ep)


def resolve_region(s, parties, comps, system, errs, platform):
    device = s.kind == 'device'
    reg = {'name': s.name, 'line': s.line, 'kind': s.kind, 'maps': [], 'cached': True}
    if device:
        dev = s.get('device')
        if dev is None:
            return
        if platform is not None and dev not in platform:
            errs.add(s.line_of('device'), 'device region %s names unknown board device %r '
                     '(%sdevices: %s)' % (s.name, dev, did_you_mean(dev, platform),
                                         ', '.join(sorted(platform))))
            return
        reg['device'] = dev
        info = (platform or {}).get(dev, {'paddr': 0, 'size': 4096})
        reg['paddr'] = info['paddr']
        page = info['paddr'] & ~0xfff
        reg['size'] = ((info['paddr'] + info['size'] + 0xfff) & ~0xfff) - page
        reg['cached'] = False
    else:
        reg['size'] = parse_mem(s, 'size', 4096, 4096, REGION_MAX, errs)
        reg['cached'] = parse_bool(s, 'cached', True, errs)
    for who, value, line in sorted(s.party_keys(), key=lambda t: t[2]):
        if device and who in parties and parties[who]['kind'] == 'guest':
            pass_through(s, reg, parties[who], value, line, errs)
            continue
        if who not in comps:
            if who in parties:
                errs.add(line, '%s %s: %s is a guest; only components map memory regions (a '
                         'guest may be given a [device])' % (s.kind, s.name, who))
            else:
                from sysparse import KEYS
                errs.add(line, 'unknown key or component %r in [%s %s] (%skeys: %s; components: '
                         '%s)' % (who, s.kind, s.name,
                                  did_you_mean(who, set(KEYS[s.kind]) | set(comps)),
                                  ', '.join(sorted(KEYS[s.kind])), ', '.join(sorted(comps))
                                  or 'none'))
            continue
        words = value.split()
        perms = words[0] if words else value
        var, extra, bad = None, {}, None
        rest = words[1:]
        if rest and rest[0] not in ('paddr', 'size'):
            var = rest.pop(0)
        while rest and not bad:
            if rest[0] not in ('paddr', 'size') or len(rest) < 2 or rest[0] in extra:
                bad = 'want `%s = PERMS [VARIABLE] [paddr VARIABLE] [size VARIABLE]`' % who
            else:
                extra[rest[0]] = rest[1]
                rest = rest[2:]
        if bad:
            errs.add(line, '%s %s: %s = %r: %s' % (s.kind, s.name, who, value, bad))
            continue
        if device and extra:
            errs.add(line, 'device %s: %s = %r: a device region\'s variable is its address; '
                     'paddr and size are for memory regions (DMA buffers)' % (s.name, who, value))
            continue
        if perms == '-' and var is not None:
            errs.add(line, 'region %s: %s = - maps nothing, so it has no address for %s '
                     '(`paddr VARIABLE`, `size VARIABLE` only)' % (s.name, who, var))
            continue
        if perms == '-' and not extra:
            errs.add(line, 'region %s: %s = - neither maps it nor learns anything of it'
                     % (s.name, who))
            continue
        allowed = ('r', 'rw') if device else tuple(PERMS) + ('-',)
        if perms not in allowed:
            why = ('device regions are never executable' if device and 'x' in perms else
                   'a region is never writable and executable at once' if perms in ('rwx', 'wx')
                   else 'want %s' % ' or '.join(allowed))
            errs.add(line, '%s %s: %s = %r: %s' % (s.kind, s.name, who, perms, why))
            continue
        if perms == 'rx' and not reg['cached']:
            errs.add(line, 'region %s: %s = rx: an uncached region is never executable '
                     '(the kernel maps uncached memory execute-never)' % (s.name, who))
            continue
        names = [v for v in [var, extra.get('paddr'), extra.get('size')] if v is not None]
        badvar = [v for v in names if not re.match(r'^([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?$', v)]
        if badvar:
            errs.add(line, '%s %s: variable %r of %s is not a C identifier or NAME[INDEX]'
                     % (s.kind, s.name, badvar[0], who))
            continue
        # Each variable the root writes: (what, name) with what one of
        # vaddr (where it is mapped), paddr (its physical address), size.
        vars_ = ([('vaddr', var)] if var else []) + \
            [(k, extra[k]) for k in ('paddr', 'size') if k in extra]
        mp = {'region': reg, 'comp': comps[who], 'perms': perms, 'var': var, 'vars': vars_,
              'line': line, 'mapped': perms != '-'}
        reg['maps'].append(mp)
        comps[who]['maps'].append(mp)
    if not any(m['mapped'] for m in reg['maps']):
        errs.add(s.line, '%s %s is mapped by no component (add `COMPONENT = r|rw ...`)'
                 % (s.kind, s.name))
    system['regions'].append(reg)


# What the VMM of a pre-virtualised guest emulates at the board's addresses
# (servers/vmm/pvdev.c): the GIC is never a board device, the PL011 is.
PREVIRT_EMULATED = [('GIC distributor', 0x08000000), ('GIC CPU interface', 0x08010000),
                    ('PL011', 0x09000000)]


def pass_through(s, reg, guest, value, line, errs):
    """A device region given to a guest: the VMM maps it into the guest's
    space at its physical address, uncached and never executable."""
    if value not in ('r', 'rw'):
        errs.add(line, 'device %s: %s = %r: want r or rw (a guest sees the device at its '
                 'physical address: no variable)' % (s.name, guest['name'], value))
        return
    page = reg['paddr'] & ~0xfff
    emulated = [(n, a) for n, a in PREVIRT_EMULATED
                if page < a + 0x1000 and a < page + reg['size']]
    if guest.get('previrt') and emulated:
        errs.add(line, 'device %s: %s is pre-virtualised, and its VMM emulates the %s at 0x%08x '
                 '(docs/previrt.md): it cannot also be passed through'
                 % (s.name, guest['name'], emulated[0][0], emulated[0][1]))
        return
    if page + reg['size'] > GUEST_DEVICE_LIMIT:
        errs.add(line, 'device %s at 0x%08x: a guest sees devices at their physical address, '
                 'which must lie below its RAM (0x%08x)' % (s.name, page, GUEST_DEVICE_LIMIT))
        return
    mp = {'region': reg, 'comp': guest, 'perms': value, 'var': None, 'vars': [], 'line': line,
          'mapped': True, 'guest': True}
    reg['maps'].append(mp)
    guest['maps'].append(mp)
    if len(guest['maps']) > MAX_GUEST_DEVICES:
        errs.add(line, '%s is given %d device regions; at most %d per guest'
                 % (guest['name'], len(guest['maps']), MAX_GUEST_DEVICES))
    pages = sum(m['region']['size'] // 4096 for m in guest['maps'])
    if pages > MAX_GUEST_DEVICE_PAGES:
        errs.add(line, '%s is given %d device pages; at most %d per guest'
                 % (guest['name'], pages, MAX_GUEST_DEVICE_PAGES))


def check_console_input(system, errs):
    """At most one guest takes the console's input, and only from a serial
    driver (docs/vmm.md, "Console input")."""
    takers = [g for g in system['guests'] if g['console_input']]
    for g in takers[1:]:
        errs.add(g['console_input_line'], 'guest %s: console_input is %s\'s already; what is '
                 'typed goes to one guest' % (g['name'], takers[0]['name']))
    if takers and not system.get('console_channel'):
        errs.add(takers[0]['console_input_line'], 'guest %s: console_input needs a serial driver '
                 '(a channel to the party `console`)' % takers[0]['name'])


def assign_guest_channels(system, errs):
    """Guests' channel numbers: explicit first, then the lowest free one."""
    guests = {g['name'] for g in system['guests']}
    used = {}
    ends = [(c, e) for c in system['channels'] for e in c['ends'] if e['party'] in guests]
    for c, e in ends:
        if e['index'] is None:
            continue
        if e['index'] >= MAX_GUEST_CHANNELS:
            errs.add(e['line'], 'channel index %d at %s is out of range 0..%d'
                     % (e['index'], e['party'], MAX_GUEST_CHANNELS - 1))
            e['index'] = MAX_GUEST_CHANNELS
            continue
        key = (e['party'], e['index'])
        if key in used:
            errs.add(e['line'], 'channel %s: index %d at %s is already used by channel %s'
                     % (c['name'], e['index'], e['party'], used[key]))
        used[key] = c['name']
    for c in system['channels']:
        for e in c['ends']:
            if e['party'] in guests and e['index'] is None:
                i = 0
                while (e['party'], i) in used:
                    i += 1
                e['index'] = i
                used[(e['party'], i)] = c['name']
    count = {}
    for c in system['channels']:
        for e in c['ends']:
            if e['party'] in guests:
                count.setdefault(e['party'], []).append(c)
    for who, cs in sorted(count.items()):
        if len(cs) > MAX_GUEST_CHANNELS:
            errs.add(cs[MAX_GUEST_CHANNELS]['line'],
                     '%s has %d channels; docs/vmm.md allows at most %d per guest'
                     % (who, len(cs), MAX_GUEST_CHANNELS))
    by_name = {g['name']: g for g in system['guests']}
    for g in system['guests']:
        nchan = max((e['index'] + 1 for c in count.get(g['name'], ()) for e in c['ends']
                     if e['party'] == g['name']), default=0)
        g['lines'] = guest_lines(g, min(nchan, MAX_GUEST_CHANNELS), errs)
    for c in system['channels']:
        for e in c['ends']:
            if e['party'] in guests:
                e['line_bit'] = by_name[e['party']]['lines']['chan'] + \
                    min(e['index'], MAX_GUEST_CHANNELS - 1)


def guest_lines(g, nchan, errs):
    """The guest's virtual lines (docs/vmm.md, "Virtual interrupt lines"):
    lines 0 and 1 are timer and console; the channels, physical lines and
    software lines are each a contiguous block, at its home line (8, 16,
    24) unless the block above needs the room, then just below it. The
    VMM gives the caps and the info page from what is computed here."""
    nphys, nsoft = len(g['irqs']), g['soft_irqs']
    soft = GUEST_HOME_SOFT if GUEST_HOME_SOFT + nsoft <= GUEST_LINES else GUEST_LINES - nsoft
    phys = GUEST_HOME_PHYS if GUEST_HOME_PHYS + nphys <= soft else soft - nphys
    chan = GUEST_HOME_CHAN if GUEST_HOME_CHAN + nchan <= phys else phys - nchan
    if chan < GUEST_LINE_FIRST_FREE:
        errs.add(g['soft_irqs_line'], 'guest %s: %d channels + %d physical lines + %d software '
                 'lines need %d virtual lines; a guest has %d (lines %d..%d: 0 and 1 are the '
                 'timer\'s and the console\'s)'
                 % (g['name'], nchan, nphys, nsoft, nchan + nphys + nsoft,
                    GUEST_LINES - GUEST_LINE_FIRST_FREE, GUEST_LINE_FIRST_FREE, GUEST_LINES - 1))
    elif g['previrt'] and (chan, phys, soft) != (GUEST_HOME_CHAN, GUEST_HOME_PHYS,
                                                 GUEST_HOME_SOFT):
        errs.add(g['soft_irqs_line'], 'guest %s: a pre-virtualised guest keeps the home lines '
                 '(at most %d software lines); its runtime takes physical lines at %d'
                 % (g['name'], GUEST_LINES - GUEST_HOME_SOFT, GUEST_HOME_PHYS))
    return {'chan': chan, 'phys': phys, 'soft': soft, 'nsoft': nsoft}


def assign_ids(c, errs):
    """A component's ids: explicit ones first, then each other entry takes
    the lowest free id, in file order."""
    used = {}
    for e in c['ids']:
        if e['id'] is None:
            continue
        if e['id'] >= MAX_IDS:
            errs.add(e['line'], 'id %d of %s at %s is out of range 0..%d'
                     % (e['id'], e['what'], c['name'], MAX_IDS - 1))
            e['id'] = None
            e['bad'] = True
            continue
        if e['id'] in used:
            errs.add(e['line'], 'id %d at %s is already that of %s (line %d)'
                     % (e['id'], c['name'], used[e['id']]['what'], used[e['id']]['line']))
            e['bad'] = True
            continue
        used[e['id']] = e
    for e in sorted(c['ids'], key=lambda e: e['line']):
        if e['id'] is not None or e.get('bad'):
            continue
        i = 0
        while i in used:
            i += 1
        e['id'] = i
        used[i] = e
    if len(c['ids']) > MAX_IDS:
        e = sorted(c['ids'], key=lambda e: e['line'])[MAX_IDS]
        errs.add(e['line'], '%s has %d ids (channels, endpoint ends, interrupts); at most %d '
                 'per component' % (c['name'], len(c['ids']), MAX_IDS))
    c['ids'] = [e for e in c['ids'] if e['id'] is not None and e['id'] < MAX_IDS]
    c['serves'] = any(e['kind'] == 'server' for e in c['ids'])
    for e in c['ids']:
        if e['kind'] == 'channel':
            e['end']['index'] = e['id']


def assign_lines(c, parties, errs):
    """Notification lines of a component's channels and interrupts: those
    signalled with a single capability (interrupts, guests' channel ends)
    need a direct line of N0 (1..29); the others take what is left, then
    lines of the extra notifications."""
    def needs_direct(e):
        return e['kind'] == 'irq' or parties[e['end']['peer']]['kind'] == 'guest'
    lined = sorted((e for e in c['ids'] if e['kind'] in ('irq', 'channel')),
                   key=lambda e: (not needs_direct(e), e['id']))
    direct = list(range(LINE_DIRECT_FIRST, LINE_DIRECT_LAST + 1))
    extra = [l for lo, hi in LINE_EXTRA for l in range(lo, hi + 1)]
    must = [e for e in lined if needs_direct(e)]
    if len(must) > len(direct):
        errs.add(must[len(direct)]['line'], '%s needs %d direct notification lines (interrupts '
                 'and channels to guests); it has %d' % (c['name'], len(must), len(direct)))
    free = direct + extra
    for e in lined:
        e['line_bit'] = free.pop(0) if free else LINE_DIRECT_FIRST
        if e['kind'] == 'channel':
            e['end']['line_bit'] = e['line_bit']


def place_regions(system, errs):
    """Every region at one address for all its parties: memory regions from
    REGION_BASE (aligned to their largest frame size), device regions from
    DEVICE_BASE, each followed by an unmapped guard page; no two device
    regions may share a page."""
    nxt = {'region': REGION_BASE, 'device': DEVICE_BASE}
    limit = {'region': REGION_LIMIT, 'device': DEVICE_LIMIT}
    pages = {}
    for r in system['regions']:
        if r['kind'] == 'device':
            first = r['paddr'] & ~0xfff
            for p in range(first, first + r['size'], 4096):
                if p in pages:
                    o = pages[p]
                    errs.add(r['line'], 'device region %s (%s) shares the page 0x%08x with device '
                             'region %s (%s, line %d): a page is mapped whole'
                             % (r['name'], r['device'], p, o['name'], o['device'], o['line']))
                    break
                pages[p] = r
        base = nxt[r['kind']]
        if r['kind'] == 'region':
            # Aligned to the largest frame size that divides the size, so the
            # root maps it with 1 MiB or 64 KiB frames (one capability each).
            align = next(a for a in (1 << 20, 1 << 16, 1 << 12) if r['size'] % a == 0)
            base = (base + align - 1) & ~(align - 1)
        if base + r['size'] > limit[r['kind']]:
            errs.add(r['line'], '%s %s does not fit: the %s window 0x%08x..0x%08x is full'
                     % (r['kind'], r['name'], r['kind'], REGION_BASE if r['kind'] == 'region'
                        else DEVICE_BASE, limit[r['kind']]))
            r['vaddr'] = base
            continue
        r['vaddr'] = base
        nxt[r['kind']] = base + r['size'] + 4096
        r['var_value'] = base + (r['paddr'] & 0xfff if r['kind'] == 'device' else 0)


def check_programs(system, path, errs, elfs):
    """With the programs' ELF files: each component's program defines init(),
    protected() if it serves an endpoint, notified() if a channel or an
    interrupt can notify it, and every variable a region sets is a global
    4-byte object in a writable section."""
    cache = {}
    for c in system['components']:
        elf = elfs.get(c['program'])
        if not elf:
            continue
        if elf not in cache:
            try:
                cache[elf] = elfsym.read_symbols(elf)
            except (OSError, ValueError) as e:
                cache[elf] = e
        syms = cache[elf]
        if isinstance(syms, Exception):
            errs.add(c['program_line'], 'program %s of %s: %s cannot be read: %s'
                     % (c['program'], c['name'], elf, syms))
            continue
        need = [('init', c['program_line'], 'every component has one')]
        srv = [e for e in c['ids'] if e['kind'] == 'server']
        if srv:
            need.append(('protected', srv[0]['line'], 'it serves %s' % srv[0]['what'][:-9]))
        ntf = [e for e in c['ids'] if e['kind'] in ('channel', 'irq')]
        if ntf:
            need.append(('notified', ntf[0]['line'], 'it can be notified (%s)' % ntf[0]['what']))
        for fn, line, why in need:
            if not any(s.is_function() and s.is_global for s in syms.get(fn, [])):
                errs.add(line, 'program %s (%s) of component %s defines no function `%s`, but '
                         '%s' % (c['program'], elf, c['name'], fn, why))
        seen = {}
        for mp, what, var in [(mp, w, v) for mp in c['maps'] for w, v in mp['vars']]:
            if var in seen:
                errs.add(mp['line'], 'variable %s of %s is already set by region %s (line %d)'
                         % (var, c['name'], seen[var]['region']['name'], seen[var]['line']))
                continue
            seen[var] = mp
            m = re.match(r'^(\w+)(?:\[(\d+)\])?$', var)
            name, index = m.group(1), int(m.group(2) or 0)
            cand = [s for s in syms.get(name, []) if s.is_object()]
            glob = [s for s in cand if s.is_global]
            if not cand:
                objects = {n for n, v in syms.items() if any(s.is_object() for s in v)}
                errs.add(mp['line'], 'program %s (%s) has no variable `%s` (%sthe region\'s '
                         'address is written there)' % (c['program'], elf, name,
                                                        did_you_mean(name, objects)))
            elif not glob:
                errs.add(mp['line'], 'variable `%s` of program %s is static: make it global, or '
                         'the compiler may assume its value' % (name, c['program']))
            elif (glob[0].size != 4 and m.group(2) is None) or glob[0].value & 3 or \
                    glob[0].size % 4 or not glob[0].writable:
                errs.add(mp['line'], 'variable `%s` of program %s must be a writable, aligned '
                         '4-byte word (a pointer or uintptr_t) or an array of them; it is %d bytes '
                         'at 0x%08x%s' % (name, c['program'], glob[0].size, glob[0].value,
                                          '' if glob[0].writable else ' in a read-only section'))
            elif 4 * index >= glob[0].size:
                errs.add(mp['line'], 'variable %s of program %s is outside its %d bytes (%d words)'
                         % (var, c['program'], glob[0].size, glob[0].size // 4))
            else:
                mp.setdefault('var_addrs', {})[what] = glob[0].value + 4 * index
                if what == 'vaddr':
                    mp['var_addr'] = glob[0].value + 4 * index


def load(path, images=None, programs=None, platform=None, elfs=None):
    """Parse and validate; returns the system or raises SysError (all
    errors). images: the registered guest images; programs: name -> kind
    ('component' or 'server'); platform: the board's devices file; elfs:
    program name -> ELF path, for the symbol checks."""
    errs = Errors(path)
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except OSError as e:
        raise SysError('%s: cannot read: %s' % (path, e.strerror))
    devices = read_platform(platform) if platform else None
    irq_lines = read_irq_lines(platform or default_platform())
    system = validate(parse(decode_text(path, data), errs), errs, images, programs, devices,
                      irq_lines)
    if not errs.list and elfs:
        check_programs(system, path, errs, elfs)
    if errs.list:
        raise SysError('\n'.join(errs.list))
    return system


def image_symbol(image):
    return 'sysimg_' + re.sub(r'[^A-Za-z0-9_]', '_', image)


def program_symbol(program):
    return 'sysprog_' + re.sub(r'[^A-Za-z0-9_]', '_', program)


def system_programs(system):
    """The programs the system's image embeds: the servers it runs and the
    components' programs."""
    progs = {'console'} | {c['program'] for c in system['components']}
    if system['guests']:
        progs.add('vmm')
    if system['timer_server']:
        progs.add('vtimer')
    return sorted(progs)


from sysgen_c import generate_c  # noqa: E402,F401


def main(argv=None):
    ap = argparse.ArgumentParser(description='system description -> root task table')
    ap.add_argument('system')
    ap.add_argument('--image', action='append', default=[], metavar='NAME=ELF',
                    help='a guest image the build can embed (repeatable)')
    ap.add_argument('--program', action='append', default=[], metavar='NAME=KIND:ELF',
                    help='a program the build registered, KIND component or server (repeatable)')
    ap.add_argument('--platform', help='the board\'s devices (default: %s)' % PLATFORM_DEVICES)
    ap.add_argument('--check', action='store_true', help='validate only')
    ap.add_argument('-o', dest='table', help='write the C table here')
    ap.add_argument('--source-name', help='the description\'s name in the generated header')
    args = ap.parse_args(argv)
    images = programs = None
    elfs = {}
    if args.image:
        if any('=' not in i for i in args.image):
            ap.error('--image takes NAME=ELF')
        images = dict(i.split('=', 1) for i in args.image)
    if args.program:
        programs = {}
        for p in args.program:
            m = re.match(r'^([^=]+)=(component|server):(.+)$', p)
            if not m:
                ap.error('--program takes NAME=component:ELF or NAME=server:ELF')
            programs[m.group(1)] = m.group(2)
            elfs[m.group(1)] = m.group(3)
    platform = args.platform
    if platform is None:
        platform = default_platform()
    try:
        system = load(args.system, images, programs, platform, elfs)
        if args.table:
            text = generate_c(system, args.source_name or args.system)
    except SysError as e:
        sys.stderr.write('sysgen: error:\n%s\n' % e)
        return 1
    if args.check:
        return 0
    if args.table:
        with open(args.table, 'w') as f:
            f.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
