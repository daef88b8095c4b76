#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Host tests of tools/benchreport (suite `benchreport`) on the fixed results
files in fixtures/: the report (HTML with every record, a CSV that reads
back to the same records, charts that parse as SVG and are byte-identical
between runs), the figure markers of docs/ (every form, every error), and
the comparison of two results files. Prints one `PASS|FAIL name` line per
test, then `N passed, N failed`."""
import html.parser
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.dirname(HERE)
FIX = os.path.join(HERE, 'fixtures')
sys.path.insert(0, TOOL)
import benchreport  # noqa: E402
import charts  # noqa: E402
import compare  # noqa: E402
import docfigs  # noqa: E402
import records as rec  # noqa: E402
import report  # noqa: E402
import tables  # noqa: E402

# Charts take ~0.4 s each: every test but the one that compares separate
# processes shares one rendering per set of records (the tool's modules
# call charts.charts through the module, so the cache serves them all).
_render, _cache = charts.charts, {}


def _cached_charts(records, reference):
    key = json.dumps([records, reference], sort_keys=True)
    if key not in _cache:
        _cache[key] = _render(records, reference)
    return dict(_cache[key])


charts.charts = _cached_charts

TODAY = os.path.join(FIX, 'results.json')              # the records of today's benchmarks
TM = os.path.join(FIX, 'results-thread-metric.json')   # Thread-Metric names, pre-virtualised
SVG = '{http://www.w3.org/2000/svg}'


def load(path=TODAY):
    return rec.load(path)


def ctx(records=None, chart_names=('rtos.svg', 'kernel.svg')):
    records = load() if records is None else records
    return docfigs.Context(records, rec.load_reference(), chart_names, 'results.json')


def expect_error(fn, pattern):
    """'' if fn raises a RecordError whose message contains pattern."""
    try:
        fn()
    except rec.RecordError as e:
        return '' if pattern in str(e) else 'message %r lacks %r' % (str(e), pattern)
    return 'no error raised'


class Tags(html.parser.HTMLParser):
    """Collects table rows as lists of cell texts; checks tags nest."""
    VOID = {'meta', 'img', 'br', 'link'}

    def __init__(self):
        super().__init__()
        self.stack, self.rows, self.row, self.cell, self.bad = [], [], None, None, []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == 'tr':
            self.row = []
        elif tag in ('td', 'th'):
            self.cell = ''

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(tag)
        if tag in ('td', 'th'):
            self.row.append(self.cell)
            self.cell = None
        elif tag == 'tr':
            self.rows.append(self.row)

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def write_report(results=TODAY):
    out = tempfile.mkdtemp(prefix='benchreport-')
    report.write(results, out)
    return out


# --- The report -------------------------------------------------------------
def test_report_html_holds_every_record_with_its_value():
    for results in (TODAY, TM):
        out = write_report(results)
        p = Tags()
        p.feed(open(os.path.join(out, 'report.html')).read())
        if p.bad or p.stack:
            return 'tags do not nest: closed %s, open %s' % (p.bad, p.stack)
        rows = {r[0]: r for r in p.rows if len(r) == 4}   # the every-record table
        for r in load(results):
            row = rows.get(r['name'])
            if row != [r['name'], rec.fmt_value(r['value']), rec.unit_label(r['unit']),
                       str(r['iterations'])]:
                return '%s: record %s shown as %r' % (results, r['name'], row)
        shutil.rmtree(out)
    return ''


def test_report_embeds_both_charts_and_links_the_csv():
    out = write_report()
    text = open(os.path.join(out, 'report.html')).read()
    if text.count('src="data:image/svg+xml;base64,') != 2 or 'href="results.csv"' not in text:
        return 'charts or CSV link missing'
    files = sorted(os.listdir(os.path.join(out, 'figures')))
    return '' if files == ['kernel.svg', 'rtos.svg'] else 'figures: %s' % files


def test_csv_round_trips_to_the_same_records():
    for results in (TODAY, TM):
        out = write_report(results)
        back = rec.from_csv(open(os.path.join(out, 'results.csv')).read())
        if back != load(results):
            return '%s: CSV reads back differently' % results
        if [type(r['value']) for r in back] != [type(r['value']) for r in load(results)]:
            return 'value types changed'
    odd = [{'name': 'x', 'unit': 'u,with "comma"', 'value': 0.1 + 0.2, 'iterations': 3,
            'image': 'a.elf', 'extra': [1, 2]}]
    return '' if rec.from_csv(rec.to_csv(odd)) == odd else 'quoting, precision or extra field lost'


def test_csv_rejects_a_bad_header_and_short_rows():
    return (expect_error(lambda: rec.from_csv('a,b\n1,2\n'), 'header')
            or expect_error(lambda: rec.from_csv('name,unit,value,iterations,image\nx,u,1\n'),
                            'line 2: 3 cells'))


def test_svgs_parse_as_xml_and_name_every_row():
    for results in (TODAY, TM):
        made = charts.charts(load(results), rec.load_reference())
        for name, svg in made.items():
            root = ET.fromstring(svg)
            if root.tag != SVG + 'svg':
                return '%s: root is %s' % (name, root.tag)
            texts = {''.join(t.itertext()).strip() for t in root.iter(SVG + 'text')}
            want = ([t for t, _ in rec.rtos_workloads(load(results))] if name == 'rtos.svg' else
                    [r['name'] for r in load(results) if r['unit'] == 'kernel_instructions'])
            missing = [w for w in want if w not in texts]
            if missing:
                return '%s of %s lacks labels %s' % (name, results, missing)
    return ''


def test_svgs_are_byte_identical_between_processes_and_undated():
    script = ('import sys; sys.path.insert(0, %r); import charts, records as r; '
              'sys.stdout.buffer.write(b"".join(v for k, v in sorted(charts.charts('
              'r.load(%r), r.load_reference()).items())))' % (TOOL, TM))
    runs = [subprocess.run([sys.executable, '-c', script], capture_output=True).stdout
            for _ in range(2)]
    if not runs[0] or runs[0] != runs[1]:
        return 'two runs differ (or are empty)'
    return 'a date in the SVG metadata' if b'<dc:date>' in runs[0] else ''


def test_rtos_chart_shows_previrtualised_only_where_measured():
    with_pre = charts.charts(load(TM), rec.load_reference())['rtos.svg']
    without = charts.charts(load(), rec.load_reference())['rtos.svg']
    if b'pre-virtualised' not in with_pre or b'pre-virtualised' in without:
        return 'pre-virtualised legend wrong'
    head, rows = tables.rtos_table(load(TM))
    if head[-2:] != ['pre-virtualised', 'pre-virtualised/native']:
        return 'previrt columns missing: %s' % head
    row = dict((r[0], r) for r in rows)['interrupt_processing']   # no previrt record
    if row[-2:] != [tables.DASH, tables.DASH]:
        return 'absent previrt figure shown as %s' % row[-2:]
    if len(tables.rtos_table(load())[0]) != 4:
        return 'previrt columns without previrt records'
    return ''


def test_records_table_in_order_of_cost():
    rows = tables.records_table(load(), ['ipc_*', 'yield'], 'cost')[1]
    values = [float(r[1].replace(',', '')) for r in rows]
    if len(values) < 3 or values != sorted(values, reverse=True):
        return 'values %s' % values
    plain = tables.records_table(load(), ['ipc_*', 'yield'])[1]
    return '' if sorted(map(str, plain)) == sorted(map(str, rows)) else 'other records chosen'


def test_rtos_table_modes_in_the_order_asked():
    head, rows = tables.rtos_table(load(TM), modes=['previrt', 'virtual'])
    want = ['workload', 'native (instructions)', 'pre-virtualised', 'pre-virtualised/native',
            'virtual', 'virtual/native']
    if head != want:
        return 'head %s' % head
    if any(len(r) != len(want) for r in rows):
        return 'rows of the wrong width'
    only = tables.rtos_table(load(TM), modes=['previrt'])[0]
    return '' if only == want[:4] else 'one mode: %s' % only


def test_log_scale_only_where_ranges_differ_wildly():
    made = charts.charts(load(), rec.load_reference())
    # RTOS: 115 to 46095 instructions; kernel paths: 57 to 889 (< LOG_RANGE).
    if b'log scale' not in made['rtos.svg'] or b'log scale' in made['kernel.svg']:
        return 'scale choice wrong'
    return '' if b'log scale' in charts.charts(load(TM), rec.load_reference())['kernel.svg'] \
        else 'kernel paths of 45..2150 not on a log scale'


def test_charts_without_data_are_left_out():
    kernel_only = [r for r in load() if not r['name'].startswith(('rtos_', 'ratio_'))]
    made = charts.charts(kernel_only, rec.load_reference())
    if sorted(made) != ['kernel.svg']:
        return 'charts made: %s' % sorted(made)
    tmp = tempfile.mkdtemp()
    path = os.path.join(tmp, 'r.json')
    json.dump(kernel_only, open(path, 'w'))
    out = write_report(TODAY)
    report.write(path, out)   # a previous report's rtos.svg must not stay behind
    return '' if os.listdir(os.path.join(out, 'figures')) == ['kernel.svg'] else 'stale chart kept'


def test_results_files_are_validated():
    good = {'name': 'a', 'unit': 'u', 'value': 1, 'iterations': 1, 'image': 'i'}
    bad = [([dict(good, value='7')], 'non-numeric'), ([dict(good, value=True)], 'non-numeric'),
           ([dict(good, value=float('nan'))], 'non-numeric'),
           ([good, dict(good)], 'appears twice'), ([{'name': 'a'}], 'lacks unit'),
           ([dict(good, iterations=1.5)], 'non-integer'), ({'a': 1}, 'not a list'),
           ([dict(good, name='a b')], 'bad record name'), ([dict(good, unit='')], 'bad unit')]
    for data, pattern in bad:
        why = expect_error(lambda: rec.check(data, 'x'), pattern)
        if why:
            return '%r: %s' % (data, why)
    return expect_error(lambda: rec.load('/nonexistent/results.json'), 'run `scons bench`')


def test_reference_figures_are_checked_against_the_records():
    ref = rec.load_reference()
    recs = [dict(r, unit='instructions') if r['name'] == 'yield' else r for r in load()]
    why = expect_error(lambda: rec.reference_rows(recs, ref), 'record yield is in instructions')
    lacking = [r for r in load() if r['name'] != 'yield']
    rows = tables.reference_table(lacking, ref, strict=False)[1]
    return why or expect_error(lambda: tables.reference_table(lacking, ref), 'no record named yield') \
        or ('' if len(rows) == len(ref['figures']) - 1 else 'non-strict table has %d rows' % len(rows))


# --- Figures in docs -----------------------------------------------------------
DOC = '''# T
Call: <!-- bench:ipc_call_fastpath -->1<!-- /bench --> and <!-- bench:yield -->x<!-- /bench -->.
Rounded <!-- bench:rtos_ctxsw_virtual fmt=.0f -->0<!-- /bench -->,
runs <!-- bench:rtos_cpu_crc_native field=iterations -->0<!-- /bench -->,
unit <!-- bench:yield field=unit -->?<!-- /bench -->.
Shown as syntax: `<!-- bench:no_such_record -->` stays.

```
<!-- bench:table records nothing_here -->
<!-- bench:also_not_a_record -->5<!-- /bench -->
```

<!-- bench:table records ipc_call_* !*_user -->
stale line
<!-- /bench -->

<!-- bench:table rtos ctxsw irq -->
<!-- /bench -->
![chart](figures/rtos.svg)
'''


def test_markers_are_filled_from_the_records():
    new, errors = docfigs.render(DOC, 'd.md', ctx())
    if errors:
        return 'errors: %s' % errors
    want = ['<!-- bench:ipc_call_fastpath -->97<!-- /bench -->', '<!-- bench:yield -->169<!-- /bench -->',
            '<!-- bench:rtos_ctxsw_virtual fmt=.0f -->146<!-- /bench -->',
            '<!-- bench:rtos_cpu_crc_native field=iterations -->100<!-- /bench -->',
            '<!-- bench:yield field=unit -->kernel instructions<!-- /bench -->',
            '`<!-- bench:no_such_record -->` stays',
            '<!-- bench:also_not_a_record -->5<!-- /bench -->',
            '| `ipc_call_fastpath` | 97 | kernel instructions | 1000 |\n'
            '| `ipc_call_fastpath_fpu` | 103 | kernel instructions | 1000 |\n'
            '| `ipc_call_10words` | 512 | kernel instructions | 1000 |\n\n<!-- /bench -->',
            '| `ctxsw` | 124.02 | 146.21 | 1.1789 |\n| `irq` | 115.01 | 1090.77 | 9.4841 |\n\n<!-- /bench -->']
    missing = [w for w in want if w not in new]
    if missing or 'stale line' in new:
        return 'not in output: %s' % missing
    again, errors = docfigs.render(new, 'd.md', ctx())
    return '' if again == new and not errors else 'rendering twice changes the doc'


def test_a_missing_record_is_named_with_file_and_line():
    doc = 'a\nb <!-- bench:virq_cycle -->300<!-- /bench -->\n'
    new, errors = docfigs.render(doc, 'docs/x.md', ctx())
    want = 'docs/x.md:2: results.json has no record named virq_cycle'
    if len(errors) != 1 or not errors[0].startswith(want) or 'similar: virq_latency' not in errors[0]:
        return 'errors: %s' % errors
    return '' if new == doc else 'the doc was changed despite the error'


# (what, doc, expected message part, line)
BAD_DOCS = [
    ('table_missing_record', '<!-- bench:table records rtos_geomean -->\n<!-- /bench -->\n',
     'no record named rtos_geomean', 1),
    ('table_glob_matches_nothing', 'x\n<!-- bench:table records vtimer_* -->\n<!-- /bench -->\n',
     'no record matches vtimer_*', 2),
    ('rtos_test_missing', '<!-- bench:table rtos ctxsw interrupt_processing -->\n<!-- /bench -->\n',
     'no RTOS workload interrupt_processing', 1),
    ('records_bad_order', '<!-- bench:table records order=name -->\n<!-- /bench -->\n',
     'order=name: the orders are cost', 1),
    ('rtos_mode_unknown', '<!-- bench:table rtos modes=virtual,hybrid -->\n<!-- /bench -->\n',
     'unknown RTOS mode hybrid', 1),
    ('rtos_mode_unmeasured', '<!-- bench:table rtos modes=previrt -->\n<!-- /bench -->\n',
     'no RTOS workload record of mode previrt', 1),
    ('rtos_bad_option', '<!-- bench:table rtos mode=previrt -->\n<!-- /bench -->\n',
     "bad option 'mode=previrt' of table rtos", 1),
    ('reference_record_missing', '<!-- bench:table reference -->\n<!-- /bench -->\n',
     'no record named yield (42 records); the benchmark that printed it did not run, '
     'or it was renamed (reference figure "yield to a thread', 1),
    ('table_unterminated', '<!-- bench:table records -->\n| a |\n', 'without its closing', 1),
    ('stray_close', 'text\n<!-- /bench -->\n', 'without a table marker', 2),
    ('unknown_kind', '<!-- bench:table pie -->\n<!-- /bench -->\n', "unknown table kind 'pie'", 1),
    ('bad_option', 'v <!-- bench:yield colour=red -->1<!-- /bench -->\n', "bad option 'colour=red'", 1),
    ('bad_field', 'v <!-- bench:yield field=image -->1<!-- /bench -->\n', 'field=image', 1),
    ('bad_format', 'v <!-- bench:yield fmt=.2q -->1<!-- /bench -->\n', 'fmt=.2q for yield', 1),
    ('unclosed_inline', 'v <!-- bench:yield -->169\n', 'malformed or unclosed', 1),
    ('empty_marker', 'v <!-- bench: -->1<!-- /bench -->\n', 'empty marker', 1),
    ('table_inline', 'v <!-- bench:table records --><!-- /bench -->\n', 'must stand alone', 1),
    ('indented_table', '  <!-- bench:table records -->\n<!-- /bench -->\n', 'malformed', 1),
    ('unknown_chart', '![x](figures/pie.svg)\n', 'figures/pie.svg is not a generated chart', 1),
    ('inline_starts_line', 'a\n<!-- bench:yield -->169<!-- /bench --> b\n', 'must not start a line', 2),
    ('inline_starts_indented_line', 'a\n  <!-- bench:yield -->169<!-- /bench -->\n',
     'must not start a line', 2),
]


def check_bad_doc(what, doc, message, line):
    records = [r for r in load() if r['name'] != 'yield'] if what == 'reference_record_missing' \
        else load()
    new, errors = docfigs.render(doc, 'd.md', ctx(records))
    prefix = 'd.md:%d: ' % line
    if not any(e.startswith(prefix) and message in e for e in errors):
        return 'want %r%r, got %s' % (prefix, message, errors)
    return ''


def make_docs(text):
    d = tempfile.mkdtemp(prefix='benchdocs-')
    with open(os.path.join(d, 'a.md'), 'w') as f:
        f.write(text)
    return d


def run_cli(*args):
    """(status, output) of benchreport.py with args, in-process."""
    import contextlib
    import io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = benchreport.main(list(args))
    return status, out.getvalue()


def test_scons_docs_writes_figures_and_charts_and_nothing_on_error():
    d = make_docs('x <!-- bench:yield -->1<!-- /bench -->\n![c](figures/rtos.svg)\n')
    os.makedirs(os.path.join(d, 'figures'))
    open(os.path.join(d, 'figures', 'old.svg'), 'w').write('stale')
    status, out = run_cli('docs', TODAY, d)
    if status or open(os.path.join(d, 'a.md')).read() != \
            'x <!-- bench:yield -->169<!-- /bench -->\n![c](figures/rtos.svg)\n':
        return 'docs not filled (%d): %s' % (status, out)
    if sorted(os.listdir(os.path.join(d, 'figures'))) != ['kernel.svg', 'rtos.svg']:
        return 'figures: %s' % os.listdir(os.path.join(d, 'figures'))
    status, out = run_cli('check-docs', '--results', TODAY, d)
    if status or '3 passed, 0 failed' not in out:
        return 'check after docs: %s' % out
    bad = 'x <!-- bench:yield -->1<!-- /bench -->\ny <!-- bench:gone -->2<!-- /bench -->\n'
    d2 = make_docs(bad)
    status, out = run_cli('docs', TODAY, d2)
    if status != 2 or 'no record named gone' not in out or open(os.path.join(d2, 'a.md')).read() != bad:
        return 'an error still changed the doc (%d): %s' % (status, out)
    return ''


def _stale_doc(d):
    open(os.path.join(d, 'a.md'), 'w').write('x <!-- bench:yield -->168<!-- /bench -->\n')


STALENESS = [   # (what, how to make the committed docs stale, expected message)
    ('stale_figure', _stale_doc, 'a.md:1: figure differs from'),
    ('stale_chart', lambda d: open(os.path.join(d, 'figures', 'rtos.svg'), 'ab').write(b' '),
     'rtos.svg differs from the chart of'),
    ('missing_chart', lambda d: os.remove(os.path.join(d, 'figures', 'kernel.svg')),
     'kernel.svg is missing'),
    ('foreign_file', lambda d: open(os.path.join(d, 'figures', 'extra.svg'), 'w').write('x'),
     'extra.svg is not a generated chart'),
]


def test_check_docs_fails_on_every_kind_of_staleness():
    for what, spoil, message in STALENESS:
        d = make_docs('x <!-- bench:yield -->1<!-- /bench -->\n')
        run_cli('docs', TODAY, d)
        if run_cli('check-docs', '--results', TODAY, d)[0] != 0:
            return 'fresh docs fail the check'
        spoil(d)
        status, out = run_cli('check-docs', '--results', TODAY, d)
        if status != 1 or message not in out or ' 1 failed' not in out:
            return '%s: status %d, %s' % (what, status, out)
    status, out = run_cli('check-docs', '--results', '/nonexistent.json', d)
    return '' if status == 2 and '0 passed, 1 failed' in out else 'unreadable results: %s' % out


# --- Comparison ----------------------------------------------------------------
def test_compare_marks_each_kind_of_change():
    rows = compare.compare(load(os.path.join(FIX, 'base.json')), load(os.path.join(FIX, 'now.json')))
    got = [(n, mark, None if ratio is None else round(ratio, 4)) for n, b, w, ratio, mark in rows]
    want = [('null_syscall', 'better', 0.7895), ('ipc_call_fastpath', 'worse', 1.0206),
            ('yield', 'same', 1.0), ('virq_cycle', 'only now', None),
            ('map_frame', 'better', 0.5924), ('virq_disable_enable', 'unit changed', None),
            ('zero_cost', 'worse', None), ('rtos_ctxsw_virtual', 'worse', 1.0001),
            ('retired_benchmark', 'only in base', None)]
    return '' if got == want else 'rows %s' % got


def test_compare_table_text():
    rows = compare.compare(load(os.path.join(FIX, 'base.json')), load(os.path.join(FIX, 'now.json')))
    lines = compare.table(rows)
    want = [
        'record                      base          now  now/base',
        'null_syscall                  57           45    0.7895  better',
        'ipc_call_fastpath             97           99    1.0206  WORSE',
        'yield                        169          169    1.0000',
        'virq_cycle                     -          290         -  only now',
        'map_frame                    422          250    0.5924  better',
        'virq_disable_enable            8            8         -  unit changed: '
        'kernel_instructions -> instructions',
        'zero_cost                      0            3         -  WORSE',
        'rtos_ctxsw_virtual        146.21       146.22    1.0001  WORSE',
        'retired_benchmark            300            -         -  only in base',
        '9 records: 3 worse, 2 better, 1 same, 1 unit changed, 1 only now, 1 only in base']
    diff = [(g, w) for g, w in zip(lines, want) if g != w]
    return '' if not diff and len(lines) == len(want) else 'differs: %s' % (diff or lines)


def test_compare_exit_status_only_on_request():
    base, now = os.path.join(FIX, 'base.json'), os.path.join(FIX, 'now.json')
    if run_cli('compare', base, now)[0] != 0:
        return 'regressions failed without --fail-on-regression'
    if run_cli('compare', base, now, '--fail-on-regression')[0] != 1:
        return 'regressions passed with --fail-on-regression'
    if run_cli('compare', now, now, '--fail-on-regression')[0] != 0:
        return 'no regression but failed'
    status, out = run_cli('compare', base, '/nonexistent.json')
    return '' if status == 2 and 'cannot read' in out else 'missing file: %d %s' % (status, out)


def test_without_matplotlib_compare_works_and_charts_say_what_is_missing():
    block = ('import sys; sys.modules["matplotlib"] = None; sys.argv = ["benchreport"] + %r; '
             'sys.path.insert(0, %r); import benchreport; sys.exit(benchreport.main(sys.argv[1:]))')
    run = lambda args: subprocess.run([sys.executable, '-c', block % (args, TOOL)],
                                      capture_output=True, text=True)
    p = run(['compare', os.path.join(FIX, 'base.json'), os.path.join(FIX, 'now.json')])
    if p.returncode != 0 or '9 records' not in p.stdout:
        return 'compare without matplotlib: %d %s' % (p.returncode, p.stdout + p.stderr)
    p = run(['report', TODAY, tempfile.mkdtemp()])
    return '' if p.returncode == 2 and 'need python3-matplotlib' in p.stdout else \
        'report without matplotlib: %d %s' % (p.returncode, p.stdout + p.stderr)


# A tree with every kind of line linecount.py tells apart: blank, comment
# (block, spanning lines, //, @ in assembly), code after or before a
# comment, a comment opener inside a string, @ in C; files it counts in
# `lines` only.
TREE = {
    'port/a.c': '/* head\n * more\n */\n\nint x; /* c */\n// only\n'
                'const char *s = "/* no";\n  /* a */ int y;\nint at = \'@\';\n',
    'port/sub/b.h': '#define B 1\n\n',
    'port/e.S': '@ comment\n\tmov r0, #1 @ code\n/* c */\n\tbx lr\n',
    'port/rtos.ld': 'SECTIONS { }\n',
    'port/README.md': 'text\nmore',
}


def make_tree():
    d = tempfile.mkdtemp(prefix='benchlines-')
    for rel, text in TREE.items():
        os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
        with open(os.path.join(d, rel), 'w') as f:
            f.write(text)
    return d


def test_lines_table_counts_the_tree():
    top = make_tree()
    try:
        c = docfigs.Context(load(), rec.load_reference(), (), 'results.json', top)
        doc = 'x\n<!-- bench:table lines port port/e.S -->\nstale\n<!-- /bench -->\n'
        new, errors = docfigs.render(doc, 'd.md', c)
        if errors:
            return 'errors: %s' % errors
        # a.c: 9 lines, 4 of code (x, s, y, at: none of the comments);
        # b.h 2, 1; e.S 4, 2; rtos.ld 1; README 2 (no final newline).
        want = ('|  | `port/` | `port/e.S` |\n|---|---|---|\n| files | 5 | 1 |\n'
                '| lines, all | 18 | 4 |\n'
                '| lines of C and assembly code (no blank or comment lines) | 7 | 2 |\n'
                '| of them assembly | 2 | 2 |\n')
        if want not in new or 'stale' in new:
            return 'got %r' % new
        with open(os.path.join(top, 'port', 'e.S'), 'a') as f:
            f.write('\tnop\n')
        again, errors = docfigs.render(new, 'd.md', c)
        return '' if again != new and '| of them assembly | 3 | 3 |' in again else \
            'a changed tree gives the same table'
    finally:
        shutil.rmtree(top)


def test_lines_table_rejects_what_it_cannot_count():
    top = make_tree()
    os.makedirs(os.path.join(top, 'empty'))
    try:
        for args, message, t in [('port nowhere', 'nowhere: no such file or directory', top),
                                 ('empty', 'empty: an empty directory', top),
                                 ('', 'table lines takes one or more paths', top),
                                 ('port', 'no source tree to count', None)]:
            c = docfigs.Context(load(), rec.load_reference(), (), 'results.json', t)
            doc = 'x\n<!-- bench:table lines %s -->\nold\n<!-- /bench -->\n' % args
            new, errors = docfigs.render(doc.replace('lines  ', 'lines '), 'd.md', c)
            if not any(e.startswith('d.md:2: ') and message in e for e in errors):
                return '%r: want %r, got %s' % (args, message, errors)
            if 'old' not in new:
                return '%r: the table was replaced despite the error' % args
        return ''
    finally:
        shutil.rmtree(top)


def test_compare_rejects_a_base_that_is_no_commit():
    top = os.path.abspath(os.path.join(TOOL, '..', '..'))
    try:
        compare.base_results(top, 'no-such-rev-xyz', 1, log=lambda m: None)
    except compare.CompareError as e:
        return '' if 'BASE=no-such-rev-xyz is not a commit' in str(e) else str(e)
    return 'no error'


def main():
    passed = failed = 0
    tests = [('rejects_' + a[0], lambda a=a: check_bad_doc(*a)) for a in BAD_DOCS]
    tests += [(n[5:], f) for n, f in sorted(globals().items()) if n.startswith('test_')]
    for name, fn in tests:
        try:
            why = fn()
        except Exception as e:  # a crash of the tool is a failure, not an error of the runner
            why = 'exception %s: %s' % (type(e).__name__, e)
        if why:
            failed += 1
            print('FAIL %s: %s' % (name, why))
        else:
            passed += 1
            print('PASS %s' % name)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
