# SPDX-License-Identifier: BSD-2-Clause
"""Line counts of source trees, for the table kind `lines` of docs/*.md
(docfigs.py): figures about the code that are generated from the tree, not
typed, like the benchmark figures.

For each path (a directory, counted with everything under it, or a file):
  files          every regular file;
  lines          every line of every file;
  code           lines of C (.c, .h) and assembly (.S, .s) that hold more
                 than blanks and comments (/* */, //, and in assembly @ to
                 the end of the line); linker scripts, READMEs and other
                 files count in `lines` only;
  asm            the code lines of the assembly files alone."""
import os
import re

C_EXT = ('.c', '.h')
ASM_EXT = ('.S', '.s')
_TOKEN = re.compile(r'/\*|\*/|//|@|"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'')


class CountError(Exception):
    pass


def code_lines(text, asm):
    """Lines of text with something outside comments and blanks."""
    n, in_block = 0, False
    for line in text.split('\n'):
        rest, pos, code = line, 0, False
        while pos < len(rest):
            if in_block:
                end = rest.find('*/', pos)
                if end < 0:
                    pos = len(rest)
                    break
                in_block, pos = False, end + 2
                continue
            m = _TOKEN.search(rest, pos)
            stop = m.start() if m else len(rest)
            if rest[pos:stop].strip():
                code = True
            if not m:
                break
            tok = m.group()
            if tok == '/*':
                in_block, pos = True, m.end()
            elif tok == '//' or (tok == '@' and asm):
                break
            else:               # a string, a character, a lone */ or a C @
                code, pos = True, m.end()
        n += code
    return n


def _files(top, path):
    full = os.path.join(top, path)
    if os.path.isfile(full):
        return [full]
    if not os.path.isdir(full):
        raise CountError('%s: no such file or directory under %s' % (path, top))
    out = []
    for dirpath, dirs, files in os.walk(full):
        dirs.sort()
        out += [os.path.join(dirpath, f) for f in sorted(files)]
    if not out:
        raise CountError('%s: an empty directory' % path)
    return out


def count(top, path):
    """{'files', 'lines', 'code', 'asm'} for path relative to top."""
    c = {'files': 0, 'lines': 0, 'code': 0, 'asm': 0}
    for f in _files(top, path):
        with open(f, encoding='utf-8') as fh:
            text = fh.read()
        c['files'] += 1
        c['lines'] += text.count('\n') + (1 if text and not text.endswith('\n') else 0)
        asm = f.endswith(ASM_EXT)
        if asm or f.endswith(C_EXT):
            n = code_lines(text, asm)
            c['code'] += n
            c['asm'] += n if asm else 0
    return c
