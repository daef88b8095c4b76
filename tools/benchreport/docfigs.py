# SPDX-License-Identifier: BSD-2-Clause
"""Benchmark figures in docs/*.md, generated from results.json.

A doc never types a measured figure; it marks where one goes and
`scons docs` fills it in (the `bench-docs` test fails when a committed
figure differs from a fresh benchmark run):

  inline   <!-- bench:RECORD -->97<!-- /bench -->
           <!-- bench:RECORD fmt=.0f -->146<!-- /bench -->   (a Python format spec)
           <!-- bench:RECORD field=iterations -->100<!-- /bench -->
  block    <!-- bench:table records [GLOB | !GLOB]... -->    (own line, column 0)
           ...generated Markdown table...
           <!-- /bench -->
           kinds: records (default every record), rtos [unit=U] [TEST]...,
           reference (this kernel against reference.json),
           lines PATH... (line counts of the tree, linecount.py: a column
           per directory or file, relative to the top of the tree)
  charts   ![text](figures/NAME.svg): NAME must be a generated chart.

An inline figure never starts a line (Markdown would end the paragraph
there). Markers inside code spans and fenced code blocks are left alone, so
the syntax can be shown. A marker naming a record the results lack is an error
at its file and line, naming the record."""
import difflib
import os
import re

import linecount
import records as rec
import tables

INLINE = re.compile(r'<!-- bench:(?P<spec>[^>]*?) -->(?P<text>.*?)<!-- /bench -->')
BLOCK = re.compile(r'^<!-- bench:table (?P<spec>[^>]*?) -->$')
CLOSE = '<!-- /bench -->'
ANY = re.compile(r'<!-- */?bench')
CODE_SPAN = re.compile(r'(`+)(?!`).*?(?<!`)\1(?!`)')
FENCE = re.compile(r'^\s*(```|~~~)')
FIGURE = re.compile(r'\]\((?:\./)?figures/([^)\s]+)\)')
FIELDS = ('value', 'iterations', 'unit')


class Context:
    """What markers are filled from: the records, the reference figures and
    the names of the generated charts."""

    def __init__(self, records, reference, charts, results_name='results.json', top=None):
        self.records = records
        self.top = top   # the tree the `lines` tables count (None: no such table)
        self.names = rec.by_name(records)
        self.reference = reference
        self.charts = set(charts)
        self.results_name = results_name

    def missing(self, name):
        close = difflib.get_close_matches(name, self.names, 3, 0.6)
        return ('%s has no record named %s (%d records%s); the benchmark that '
                'printed it did not run, or it was renamed'
                % (self.results_name, name, len(self.records),
                   '; similar: ' + ', '.join(close) if close else ''))


def _code_ranges(line):
    return [m.span() for m in CODE_SPAN.finditer(line)]


def _in(ranges, pos):
    return any(a <= pos < b for a, b in ranges)


def _options(words, allowed, what):
    opts = {}
    for w in words:
        k, eq, v = w.partition('=')
        if not eq or k not in allowed:
            raise tables.TableError('bad option %r of %s (options: %s)'
                                    % (w, what, ', '.join('%s=' % a for a in allowed)))
        opts[k] = v
    return opts


def inline_value(spec, ctx):
    """The text for an inline marker `bench:SPEC`."""
    words = spec.split()
    if not words:
        raise tables.TableError('empty marker: want <!-- bench:RECORD -->')
    name = words[0]
    if name == 'table':
        raise tables.TableError('a table marker must stand alone on its line, at column 0')
    opts = _options(words[1:], ('fmt', 'field'), 'an inline figure')
    field = opts.get('field', 'value')
    if field not in FIELDS:
        raise tables.TableError('field=%s: want one of %s' % (field, ', '.join(FIELDS)))
    r = ctx.names.get(name)
    if r is None:
        raise tables.TableError(ctx.missing(name))
    v = r[field]
    if 'fmt' not in opts:
        return rec.fmt_value(v) if field != 'unit' else rec.unit_label(v)
    try:
        return format(v, opts['fmt'])
    except (ValueError, TypeError) as e:
        raise tables.TableError('fmt=%s for %s: %s' % (opts['fmt'], name, e))


def block_lines(spec, ctx):
    """The generated lines for a block marker `bench:table SPEC`."""
    words = spec.split()
    kind, args = (words[0], words[1:]) if words else ('', [])
    try:
        if kind == 'records':
            opts = _options([a for a in args if '=' in a], ('order',), 'table records')
            t = tables.records_table(ctx.records, [a for a in args if '=' not in a],
                                     opts.get('order'))
        elif kind == 'rtos':
            opts = _options([a for a in args if '=' in a], ('unit', 'modes'), 'table rtos')
            modes = opts['modes'].split(',') if 'modes' in opts else None
            t = tables.rtos_table(ctx.records, opts.get('unit', 'instructions'),
                                  [a for a in args if '=' not in a], modes)
        elif kind == 'reference':
            if args:
                raise tables.TableError('table reference takes no arguments')
            t = tables.reference_table(ctx.records, ctx.reference)
        elif kind == 'lines':
            t = lines_table(args, ctx)
        else:
            raise tables.TableError('unknown table kind %r (kinds: records, rtos, reference, '
                                    'lines)' % kind)
    except tables.MissingRecord as e:
        raise tables.TableError(ctx.missing(e.name) + e.why)
    # Blank lines around the table: Markdown then ends the comment blocks
    # before it and the table before the closing marker, in every renderer.
    return [''] + tables.markdown(t) + ['']


LINE_ROWS = (('files', 'files'), ('lines, all', 'lines'),
             ('lines of C and assembly code (no blank or comment lines)', 'code'),
             ('of them assembly', 'asm'))


def lines_table(paths, ctx):
    """The table of a `bench:table lines PATH...` marker."""
    if not paths:
        raise tables.TableError('table lines takes one or more paths')
    if ctx.top is None:
        raise tables.TableError('table lines: no source tree to count')
    try:
        counts = [linecount.count(ctx.top, p) for p in paths]
    except (linecount.CountError, OSError, UnicodeDecodeError) as e:
        raise tables.TableError('table lines: %s' % e)
    head = [''] + ['`%s%s`' % (p, '/' if os.path.isdir(os.path.join(ctx.top, p)) else '')
                   for p in paths]
    return head, [[label] + ['%d' % c[key] for c in counts] for label, key in LINE_ROWS]


def _inline_line(line, ctx, err):
    """Fill the inline markers of one line outside code spans; report any
    other `<!-- bench` text there as malformed."""
    code = _code_ranges(line)
    out, pos, used = [], 0, []
    for m in INLINE.finditer(line):
        if _in(code, m.start()):
            continue
        if not line[:m.start()].strip():
            err('an inline figure must not start a line: Markdown takes a line that '
                'starts with <!-- for an HTML block and breaks the paragraph there; '
                'move a word before it')
        try:
            text = inline_value(m.group('spec'), ctx)
        except tables.TableError as e:
            err(str(e))
            text = m.group('text')
        out += [line[pos:m.start()], '<!-- bench:%s -->%s%s' % (m.group('spec'), text, CLOSE)]
        pos = m.end()
        used.append(m.span())
    out.append(line[pos:])
    for m in ANY.finditer(line):
        if not _in(code, m.start()) and not _in(used, m.start()):
            err('malformed or unclosed benchmark marker at column %d (want '
                '<!-- bench:RECORD -->VALUE<!-- /bench --> on one line)' % (m.start() + 1))
    for m in FIGURE.finditer(line):
        if not _in(code, m.start()) and m.group(1) not in ctx.charts:
            err('figures/%s is not a generated chart (charts: %s)'
                % (m.group(1), ', '.join(sorted(ctx.charts))))
    return ''.join(out)


def render(text, path, ctx):
    """(text with every marker filled in, ['path:line: error', ...])."""
    lines = text.split('\n')
    out, errors, fenced, i = [], [], False, 0
    while i < len(lines):
        line, n = lines[i], i + 1
        err = lambda msg, n=n: errors.append('%s:%d: %s' % (path, n, msg))
        if FENCE.match(line):
            fenced = not fenced
        if fenced or FENCE.match(line):
            out.append(line)
            i += 1
            continue
        m = BLOCK.match(line)
        if m:
            end = next((j for j in range(i + 1, len(lines)) if lines[j] == CLOSE), None)
            if end is None:
                err('table marker without its closing %s line' % CLOSE)
                out.append(line)
                i += 1
                continue
            out.append(line)
            try:
                out += block_lines(m.group('spec'), ctx)
            except tables.TableError as e:
                err(str(e))
                out += lines[i + 1:end]
            out.append(CLOSE)
            i = end + 1
            continue
        if line == CLOSE:
            err('%s without a table marker before it' % CLOSE)
        out.append(_inline_line(line, ctx, err) if line != CLOSE else line)
        i += 1
    return '\n'.join(out), errors


def doc_files(docs_dir):
    """Every Markdown file under docs/, sorted."""
    found = []
    for dirpath, dirs, files in os.walk(docs_dir):
        dirs.sort()
        found += [os.path.join(dirpath, f) for f in sorted(files) if f.endswith('.md')]
    return found


def render_docs(docs_dir, ctx):
    """{path: (old text, new text)} for every doc, and all errors."""
    result, errors = {}, []
    for path in doc_files(docs_dir):
        with open(path) as f:
            old = f.read()
        new, errs = render(old, os.path.relpath(path), ctx)
        result[path] = (old, new)
        errors += errs
    return result, errors
