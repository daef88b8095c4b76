# SPDX-License-Identifier: BSD-2-Clause
"""GNU as source text for ARM: statements, their source locations, and the
assembler state around them (instruction set, syntax, architecture, macro
bodies, IT blocks).

Only what the rewriter needs is understood; everything else passes through
unchanged. A physical line holds statements separated by `;`; `@` starts a
comment (not after a backslash: `\\@` in a macro body is the invocation
counter); `/* */` comments may span lines; a line starting with `#` is a
comment or a line marker `# N "file"` (cpp output). Strings and character
constants are skipped, so `;` and `@` inside them separate nothing.
"""
import re

LABEL = re.compile(r'\s*(?:[A-Za-z_.$][\w.$]*(?:\\@|\\\(\)|\\\w+)*[\w.$]*|\d+)\s*:(?!:)')
MNEMONIC = re.compile(r'\s*([A-Za-z_.][\w.$]*)')
LINE_MARKER = re.compile(r'^#\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"')
ASM_BEGIN = re.compile(r'^@\s*(\d+)\s+"((?:[^"\\]|\\.)*)"\s+1\s*$')  # gcc: inline asm starts
ASM_END = re.compile(r'^@\s*0\s+""\s+2\s*$')
FILE_DIR = re.compile(r'^\s*(\d+)\s+"((?:[^"\\]|\\.)*)"')
LOC_DIR = re.compile(r'^\s*(\d+)\s+(\d+)')


class Statement:
    """One statement: text[start:end] of physical line `lineno` (1-based)."""

    def __init__(self, lineno, start, end, text):
        self.lineno, self.start, self.end, self.text = lineno, start, end, text
        self.labels_end = start  # the statement proper starts after its labels
        pos = 0
        while True:
            m = LABEL.match(text, pos)
            if not m:
                break
            pos = m.end()
        body = text[pos:]
        self.labels_end = start + pos + (len(body) - len(body.lstrip()))
        m = MNEMONIC.match(body)
        self.mnemonic = m.group(1).lower() if m else ''
        self.operands = body[m.end():].strip() if m else body.strip()
        self.body = body.strip()
        self.has_labels = pos > 0
        # Filled in by the scanner:
        self.src = ('?', 0)
        self.isa = 'arm'
        self.syntax = 'divided'
        self.arch = ()
        self.in_macro = False
        self.it = None  # ItBlock this instruction belongs to


class ItBlock:
    """A Thumb IT instruction and the instructions it makes conditional."""

    def __init__(self, stmt, conds):
        self.stmt, self.conds, self.members, self.opaque = stmt, conds, [], False

    def full(self):
        return len(self.members) == len(self.conds)


COND_CODES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le',
              'al']
COND_ALIASES = {'hs': 'cs', 'lo': 'cc'}


def cond_invert(c):
    i = COND_CODES.index(c)
    return COND_CODES[i ^ 1]


def it_conditions(mnemonic, operands):
    """`itte eq` -> ['eq', 'eq', 'ne'], or None if it is not an IT instruction."""
    m = re.fullmatch(r'it([te]{0,3})', mnemonic)
    if not m:
        return None
    first = COND_ALIASES.get(operands.strip().lower(), operands.strip().lower())
    if first not in COND_CODES:
        return None
    return [first] + [first if x == 't' else cond_invert(first) for x in m.group(1)]


def split_line(line, in_comment):
    """Statements of one physical line and the comments in it.
    Returns ([(start, end)], [comment text], in_comment after the line)."""
    spans, comments = [], []
    i, n, start = 0, len(line), 0
    if not in_comment and line.startswith('#'):
        return [], [line], False
    while i < n:
        c = line[i]
        if in_comment:
            j = line.find('*/', i)
            if j < 0:
                return spans, comments, True
            i = j + 2
            in_comment = False
            continue
        if c == '/' and line.startswith('/*', i):
            in_comment = True
            i += 2
        elif c == '"':
            i += 1
            while i < n and line[i] != '"':
                i += 2 if line[i] == '\\' else 1
            i += 1
        elif c == "'":
            i += 3 if i + 1 < n and line[i + 1] == '\\' else 2
        elif c == '@' and not (i > 0 and line[i - 1] == '\\'):
            comments.append(line[i:])
            spans.append((start, i))
            return [s for s in spans if line[s[0]:s[1]].strip()], comments, False
        elif c == ';':
            spans.append((start, i))
            i += 1
            start = i
        else:
            i += 1
    spans.append((start, n))
    return [s for s in spans if line[s[0]:s[1]].strip()], comments, in_comment


def strip_comments(text):
    """A statement's text without /* */ comments (they may sit between operands)."""
    return re.sub(r'/\*.*?\*/', ' ', text)


class Scanner:
    """Walk a file's lines, yielding each statement with its context.

    name: the file name to report when nothing better is known (the input
    as the assembler was given it)."""

    def __init__(self, lines, name, isa='arm', syntax='divided'):
        self.lines, self.name = lines, name
        self.isa, self.syntax = isa, syntax
        self.arch = []
        self.macro_depth = 0
        self.macros = set()
        self.files = {}
        self.loc = None         # (file, line) from .loc
        self.marker = None      # (file, line, physical line of the marker)
        self.inline = None      # (file, line, physical line of the marker)
        self.it = None
        self.statements = []
        self.definitions = []   # .equ/.set/.req/= lines, for the assembler batch
        self.includes = []      # (statement, file name)

    def location(self, lineno):
        if self.inline:
            f, l, at = self.inline
            return f, l + (lineno - at - 1)
        if self.loc:
            return self.loc
        if self.marker:
            f, l, at = self.marker
            return f, l + (lineno - at - 1)
        return self.name, lineno

    def scan(self):
        in_comment = False
        for lineno, line in enumerate(self.lines, 1):
            spans, comments, in_comment_after = split_line(line, in_comment)
            if not in_comment:
                m = LINE_MARKER.match(line)
                if m:
                    self.marker = (m.group(2), int(m.group(1)), lineno)
                    self.inline = None
            for c in comments:
                if ASM_BEGIN.match(c):
                    m = ASM_BEGIN.match(c)
                    self.inline = (m.group(2), int(m.group(1)), lineno)
                elif ASM_END.match(c):
                    self.inline = None
            for (s, e) in spans:
                self.statement(Statement(lineno, s, e, strip_comments(line[s:e])))
            in_comment = in_comment_after
        return self.statements

    def statement(self, st):
        st.src = self.location(st.lineno)
        st.isa, st.syntax, st.arch = self.isa, self.syntax, tuple(self.arch)
        st.in_macro = self.macro_depth > 0
        self.statements.append(st)
        mn, ops = st.mnemonic, st.operands
        if mn.startswith('.'):
            self.directive(st, mn, ops)
            self.it_interrupt(st)
            return
        if ops.startswith('.req') or re.match(r'=(?!=)', ops):
            self.definitions.append(st.body)
            return
        if not mn:
            if st.has_labels:
                self.it_interrupt(st)
            return
        if st.has_labels:
            self.it_interrupt(st)
        if self.it is not None:
            if mn in self.macros:
                self.it.opaque = True
            st.it = self.it
            self.it.members.append(st)
            if self.it.full():
                self.it = None
        if self.isa == 'thumb':
            conds = it_conditions(mn, ops)
            if conds:
                self.it = ItBlock(st, conds)

    def it_interrupt(self, st):
        """A directive or label inside an IT block: the block's members can no
        longer be told apart from the text."""
        if self.it is not None:
            self.it.opaque = True

    def directive(self, st, mn, ops):
        low = ops.lower()
        if mn == '.syntax':
            self.syntax = 'unified' if low.startswith('unified') else 'divided'
        elif mn in ('.arm',) or (mn == '.code' and low.startswith('32')):
            self.isa = 'arm'
        elif mn in ('.thumb', '.force_thumb', '.thumb_func') or (mn == '.code' and
                                                                 low.startswith('16')):
            self.isa = 'thumb'
        elif mn in ('.cpu', '.arch', '.arch_extension', '.fpu', '.object_arch'):
            self.arch.append(st.body)
        elif mn == '.macro':
            self.macro_depth += 1
            name = re.match(r'[\w.$]+', ops)
            if name:
                self.macros.add(name.group(0).lower())
        elif mn in ('.rept', '.irp', '.irpc'):
            self.macro_depth += 1
        elif mn in ('.endm', '.endr'):
            self.macro_depth = max(0, self.macro_depth - 1)
        elif mn in ('.equ', '.set', '.eqv', '.equiv'):
            self.definitions.append(st.body)
        elif mn == '.file':
            m = FILE_DIR.match(ops)
            if m:
                self.files[int(m.group(1))] = m.group(2)
        elif mn == '.loc':
            m = LOC_DIR.match(ops)
            if m and int(m.group(1)) in self.files:
                self.loc = (self.files[int(m.group(1))], int(m.group(2)))
        elif mn == '.include':
            self.includes.append(st)
