#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Benchmark reports, figures in docs/ and comparisons (docs/benchmarks.md).

  benchreport.py table RESULTS                 print the records (scons bench)
  benchreport.py report RESULTS OUTDIR         OUTDIR/report.html, results.csv, figures/*.svg
  benchreport.py docs RESULTS DOCS             fill every figure marker in DOCS/*.md and
                                               write DOCS/figures/*.svg (scons docs)
  benchreport.py check-docs --results RESULTS DOCS
  benchreport.py check-docs --bench WORKDIR DOCS IMAGE...
                                               one test per doc and chart: the committed
                                               figures equal RESULTS, or a fresh benchmark
                                               run of IMAGE... (suite bench-docs)
  benchreport.py compare BASE.json NOW.json    print the comparison table
  benchreport.py compare-rev REV NOW.json      build REV in build/compare/, compare
                                               (scons bench-compare)
Exit status: 0; 1 on failed checks (or regressions with --fail-on-regression);
2 on an error, with its reason."""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, HERE)

import compare  # noqa: E402
import docfigs  # noqa: E402
import records as rec  # noqa: E402


def _charts():
    """The chart module; matplotlib is needed only for charts (and so for
    reports and docs), not for tables and comparisons."""
    try:
        import charts
    except ImportError as e:   # Debian's python3-matplotlib, in build.sh's PKGS
        raise rec.RecordError('%s: the charts need python3-matplotlib (`./build.sh` installs '
                              'it; this Python is %s)' % (e, sys.executable))
    return charts

QEMURUN = os.path.join(TOP, 'tools', 'qemurun', 'qemurun.py')


def cmd_table(a):
    records = rec.load(a.results)
    w = max([len(r['name']) for r in records] + [9])
    print('%-*s %14s  %-19s %10s' % (w, 'benchmark', 'value', 'unit', 'iterations'))
    for r in records:
        print('%-*s %14s  %-19s %10d' % (w, r['name'], rec.fmt_value(r['value']), r['unit'],
                                          r['iterations']))
    print('%s: %d records; report in %s' % (a.results, len(records),
                                             os.path.join(os.path.dirname(a.results), 'report.html')))
    return 0


def cmd_report(a):
    _charts()
    import report
    for path in report.write(a.results, a.outdir):
        print('  wrote %s' % path)
    return 0


def _generate(results_path, docs_dir):
    """(rendered docs {path: (old, new)}, charts {name: svg}, errors)."""
    records = rec.load(results_path)
    reference = rec.load_reference()
    made = _charts().charts(records, reference)
    ctx = docfigs.Context(records, reference, made, os.path.relpath(results_path),
                          os.path.dirname(os.path.abspath(docs_dir)))
    docs, errors = docfigs.render_docs(docs_dir, ctx)
    return docs, made, errors


def _figure_files(docs_dir):
    d = os.path.join(docs_dir, 'figures')
    return sorted(os.listdir(d)) if os.path.isdir(d) else []


def cmd_docs(a):
    docs, made, errors = _generate(a.results, a.docs)
    if errors:   # write nothing: a half-updated doc is worse than a stale one
        print('\n'.join(errors))
        print('benchreport: docs not updated: fix the markers above or the benchmarks')
        return 2
    for path, (old, new) in docs.items():
        if old != new:
            with open(path, 'w') as f:
                f.write(new)
            print('  updated %s' % path)
    fig_dir = os.path.join(a.docs, 'figures')
    os.makedirs(fig_dir, exist_ok=True)
    for name in _figure_files(a.docs):   # docs/figures/ holds generated charts only
        if name not in made:
            os.remove(os.path.join(fig_dir, name))
            print('  removed %s' % os.path.join(fig_dir, name))
    for name, svg in sorted(made.items()):
        path = os.path.join(fig_dir, name)
        if not os.path.exists(path) or open(path, 'rb').read() != svg:
            with open(path, 'wb') as f:
                f.write(svg)
            print('  updated %s' % path)
    return 0


def _run_bench(workdir, images):
    """A fresh benchmark run, as `scons bench` does it; the results path."""
    os.makedirs(workdir, exist_ok=True)
    out = os.path.join(workdir, 'results.json')
    p = subprocess.run([sys.executable, QEMURUN, '--bench', out] + images,
                       capture_output=True, text=True)
    if p.returncode != 0:
        print(p.stdout + p.stderr)
        raise rec.RecordError('the benchmark run failed (status %d)' % p.returncode)
    return out


def _first_difference(old, new):
    a, b = old.split('\n'), new.split('\n')
    return next((n + 1 for n, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))


def cmd_check_docs(a):
    results = _run_bench(a.bench, a.images) if a.bench else a.results
    docs, made, errors = _generate(results, a.docs)
    passed = failed = 0

    def result(ok, name, why=()):
        nonlocal passed, failed
        for w in why:
            print('bench-docs: %s' % w)
        print('[test] %s %s' % ('PASS' if ok else 'FAIL', name))
        passed, failed = passed + ok, failed + (not ok)

    for path, (old, new) in sorted(docs.items()):
        rel = os.path.relpath(path)
        mine = [e for e in errors if e.startswith(rel + ':')]
        if old == new and not mine and not docfigs.ANY.search(old):
            continue   # no figure in this doc
        why = mine + (['%s:%d: figure differs from %s: run `scons docs` and commit'
                       % (rel, _first_difference(old, new), os.path.relpath(results))]
                      if old != new else [])
        result(not why, 'figures_current:%s' % rel, why)
    fig_dir = os.path.join(a.docs, 'figures')
    for name in sorted(set(made) | set(_figure_files(a.docs))):
        path = os.path.join(fig_dir, name)
        if name not in made:
            why = ['%s is not a generated chart: `scons docs` removes it' % path]
        elif not os.path.exists(path):
            why = ['%s is missing: run `scons docs` and commit' % path]
        elif open(path, 'rb').read() != made[name]:
            why = ['%s differs from the chart of %s: run `scons docs` and commit'
                   % (path, os.path.relpath(results))]
        else:
            why = []
        result(not why, 'chart_current:%s' % os.path.relpath(path), why)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


def cmd_compare(a):
    rows = compare.compare(rec.load(a.base), rec.load(a.now))
    print('\n'.join(compare.table(rows)))
    return 1 if a.fail_on_regression and compare.regressions(rows) else 0


def cmd_compare_rev(a):
    return compare.run(TOP, a.rev, a.now, a.jobs, a.fail_on_regression)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('table')
    p.add_argument('results')
    p.set_defaults(fn=cmd_table)
    p = sub.add_parser('report')
    p.add_argument('results')
    p.add_argument('outdir')
    p.set_defaults(fn=cmd_report)
    p = sub.add_parser('docs')
    p.add_argument('results')
    p.add_argument('docs')
    p.set_defaults(fn=cmd_docs)
    p = sub.add_parser('check-docs')
    p.add_argument('docs')
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument('--results')
    g.add_argument('--bench', metavar='WORKDIR')
    p.add_argument('images', nargs='*')
    p.set_defaults(fn=cmd_check_docs)
    for name, fn in (('compare', cmd_compare), ('compare-rev', cmd_compare_rev)):
        p = sub.add_parser(name)
        if name == 'compare':
            p.add_argument('base')
        else:
            p.add_argument('rev')
            p.add_argument('--jobs', type=int, default=2)
        p.add_argument('now')
        p.add_argument('--fail-on-regression', action='store_true')
        p.set_defaults(fn=fn)
    a = ap.parse_args(argv)
    if a.cmd == 'check-docs' and bool(a.bench) != bool(a.images):
        ap.error('check-docs: --bench WORKDIR needs the benchmark images, --results none')
    try:
        return a.fn(a)
    except (rec.RecordError, compare.CompareError) as e:
        print('benchreport: %s' % e)
        if a.cmd == 'check-docs':   # a test: the error is its failure
            print('[test] FAIL bench_docs\n0 passed, 1 failed')
        return 2


if __name__ == '__main__':
    sys.exit(main())
