# SPDX-License-Identifier: BSD-2-Clause
"""build/bench/report.html: the charts (inline SVG), the RTOS and reference
tables and every record; beside it results.csv and figures/*.svg."""
import base64
import html
import os

import charts as ch
import records as rec
import tables

STYLE = '''body { font-family: sans-serif; max-width: 72em; margin: 1em auto; padding: 0 1em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.6em; text-align: left; }
td:nth-child(n+2) { font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; }'''


def _figure(svg, alt):
    """An SVG chart as an <img> with a data: URI: the report stays one file,
    and the charts' element ids (equal for equal shapes) cannot collide."""
    return '<figure><img alt="%s" src="data:image/svg+xml;base64,%s"></figure>' % (
        html.escape(alt), base64.b64encode(svg).decode('ascii'))


def _section(title, body):
    return '<h2>%s</h2>\n%s\n' % (html.escape(title), body)


def html_report(records, reference, made, source):
    """The report as a string. made: {chart file name: SVG bytes}."""
    parts = ['<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">',
             '<title>Benchmark report</title><style>%s</style></head><body>' % STYLE,
             '<h1>Benchmark report</h1>',
             '<p>%d records from <code>%s</code>, instruction counts under QEMU '
             '<code>-icount shift=0</code> (method: docs/benchmarks.md). Every figure is a '
             'cost: lower is better. All records as CSV: <a href="results.csv">results.csv</a>.</p>'
             % (len(records), html.escape(source))]
    if 'rtos.svg' in made:
        body = _figure(made['rtos.svg'], 'RTOS workloads: instructions per operation '
                       'natively and virtualised, and their ratio')
        body += tables.html(tables.rtos_table(records))
        parts.append(_section('RTOS workloads: native and virtualised', body))
    if 'kernel.svg' in made:
        body = _figure(made['kernel.svg'], 'Kernel paths: kernel instructions per '
                       'operation, with the reference kernel where measured')
        ref = tables.reference_table(records, reference, strict=False)
        if ref[1]:
            body += '<p>Reference figures: %s.</p>' % html.escape(reference['source'])
            body += tables.html(ref)
        parts.append(_section('Kernel paths', body))
    parts.append(_section('Every record', tables.html(tables.records_table(records))))
    parts.append('</body></html>\n')
    return '\n'.join(parts)


def write(results_path, out_dir, reference_path=rec.REFERENCE):
    """Write report.html, results.csv and figures/*.svg under out_dir; return
    the paths written."""
    records = rec.load(results_path)
    reference = rec.load_reference(reference_path)
    made = ch.charts(records, reference)
    fig_dir = os.path.join(out_dir, 'figures')
    os.makedirs(fig_dir, exist_ok=True)
    written = []
    for name in ch.CHARTS:   # a chart without data leaves no stale file behind
        path = os.path.join(fig_dir, name)
        if name in made:
            with open(path, 'wb') as f:
                f.write(made[name])
            written.append(path)
        elif os.path.exists(path):
            os.remove(path)
    for name, text in (('results.csv', rec.to_csv(records)),
                       ('report.html', html_report(records, reference, made, results_path))):
        path = os.path.join(out_dir, name)
        with open(path, 'w') as f:
            f.write(text)
        written.append(path)
    return written
