# SPDX-License-Identifier: BSD-2-Clause
"""Reading a system description (docs/system.md): text, sections, keys,
values. Every error is recorded as `FILE:LINE: message`; validation of the
whole is in sysgen.py."""
import difflib
import re

KEYS = {
    'system': {'test_report', 'timer_server'},
    'guest': {'image', 'ram', 'priority', 'console', 'awaited', 'restarts', 'irqs', 'previrt',
              'console_input', 'soft_irqs'},
    'component': {'program', 'priority', 'console', 'awaited', 'restarts', 'stack', 'heap', 'irqs',
                  'vmm_control', 'machine'},
    'channel': {'a', 'b'},
    'endpoint': {'server', 'client'},
    'region': {'size', 'cached'},
    'device': {'device'},
}
REQUIRED = {'system': set(), 'guest': {'image'}, 'component': {'program'},
            'channel': {'a', 'b'}, 'endpoint': {'server', 'client'}, 'region': {'size'},
            'device': {'device'}}
REPEATABLE = {('endpoint', 'client')}
# In these sections, any other key names a component that maps the region.
PARTY_KEYS = {'region', 'device'}
# Kinds an earlier format had, with what replaced them.
RENAMED = {'native': "[native] is now [component NAME] with `program = PROGRAM` "
                     "(docs/components.md)"}

NAME_RE = re.compile(r'^[A-Za-z][A-Za-z0-9_.-]{0,14}$')  # 15 chars: console names are 16 bytes
IDENT_RE = re.compile(r'^[A-Za-z_][A-Za-z0-9_]*$')
SIZE_RE = re.compile(r'^(\d+)\s*([KM]?)$')


class SysError(Exception):
    pass


def did_you_mean(word, choices):
    """' did you mean 'x'?' for the closest of choices, or ''."""
    m = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return "did you mean '%s'? " % m[0] if m else ''


class Section:
    def __init__(self, kind, name, line):
        self.kind, self.name, self.line = kind, name, line
        self.values = {}   # key -> (value, line); repeatable keys: key -> [(value, line)]

    def get(self, key, default=None):
        v = self.values.get(key)
        return v[0] if v else default

    def line_of(self, key):
        v = self.values.get(key)
        return v[1] if v else self.line

    def all(self, key):
        """[(value, line)] of a repeatable key."""
        return self.values.get(key, [])

    def party_keys(self):
        """(party, value, line) of the keys that name components."""
        return [(k, v, n) for k, (v, n) in self.values.items() if k not in KEYS[self.kind]]


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
                hint = RENAMED.get(kind) or did_you_mean(kind, KEYS).rstrip()
                errs.add(n, 'unknown section kind %r (%sknown: %s)'
                         % (kind, hint + '; ' if hint else '', ', '.join(sorted(KEYS))))
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
        if key not in KEYS[cur.kind] and cur.kind not in PARTY_KEYS:
            errs.add(n, 'unknown key %r in [%s %s] (%sknown: %s)'
                     % (key, cur.kind, cur.name, did_you_mean(key, KEYS[cur.kind]),
                        ', '.join(sorted(KEYS[cur.kind]))))
            continue
        if (cur.kind, key) in REPEATABLE:
            cur.values.setdefault(key, []).append((value, n))
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


def read_platform(path):
    """The board's devices (kernel/plat/<board>/devices.def): name ->
    {'paddr', 'size', 'irqs', 'what'}."""
    import shlex
    devices = {}
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith('#'):
                continue
            w = shlex.split(line)
            if w[0] == 'irqs':
                continue  # read_irq_lines
            if len(w) != 6 or w[0] != 'device':
                raise SysError('%s:%d: want `device NAME PADDR SIZE IRQS "what"`' % (path, n))
            irqs = [] if w[4] == '-' else [int(i) for i in w[4].split(',')]
            devices[w[1]] = {'paddr': int(w[2], 0), 'size': int(w[3], 0), 'irqs': irqs,
                             'what': w[5]}
    return devices


IRQ_OWNERS = ('kernel', 'user')


def read_irq_lines(path):
    """The board's interrupt lines (the `irqs FIRST LAST OWNER "what"` lines
    of kernel/plat/<board>/devices.def): [(first, last, owner, what)] in
    order, covering 0..the last line without gap or overlap; owner `user`
    (a description may give the line to a component or guest) or `kernel`.
    The kernel's plat_irq_user_ok and sysgen's `irqs` check both come from
    it (tools/sysgen/platgen.py)."""
    import shlex
    lines = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            w = shlex.split(line.strip()) if line.strip() and not line.strip().startswith('#') else []
            if not w or w[0] != 'irqs':
                continue
            if len(w) != 5 or not w[1].isdigit() or not w[2].isdigit() or w[3] not in IRQ_OWNERS:
                raise SysError('%s:%d: want `irqs FIRST LAST kernel|user "what"`' % (path, n))
            first, last = int(w[1]), int(w[2])
            want = lines[-1][1] + 1 if lines else 0
            if first != want or last < first:
                raise SysError('%s:%d: lines %d..%d: the ranges must follow each other from 0 '
                               '(next: %d)' % (path, n, first, last, want))
            lines.append((first, last, w[3], w[4]))
    if not lines:
        raise SysError('%s: no `irqs` line (the board\'s interrupt lines)' % path)
    return lines
