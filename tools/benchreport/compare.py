# SPDX-License-Identifier: BSD-2-Clause
"""`scons bench-compare BASE=<rev>`: the benchmark records of another
revision beside this tree's, so a change is reviewed by its numbers.

The base revision is exported with `git archive` into build/compare/<commit>/
and built there by its own `scons -Q bench`: nothing of this tree's build/
is used or touched, and any revision whose `scons bench` writes
build/bench/results.json can be compared (also ones from before this tool).

Every unit is a cost and the counts are exact (-icount), so any increase is
a regression: no noise threshold."""
import os
import shutil
import subprocess

import records as rec

WORSE, BETTER, SAME = 'worse', 'better', 'same'
ONLY_BASE, ONLY_NOW, UNIT = 'only in base', 'only now', 'unit changed'


class CompareError(Exception):
    """The comparison could not be made; the message says why."""


def compare(base, now):
    """[(name, base record or None, now record or None, ratio or None, mark)],
    the records of `now` in its order, then those only in `base`."""
    b, n = rec.by_name(base), rec.by_name(now)
    rows = []
    for r in now:
        old = b.get(r['name'])
        if old is None:
            rows.append((r['name'], None, r, None, ONLY_NOW))
        elif old['unit'] != r['unit']:
            rows.append((r['name'], old, r, None, UNIT))
        else:
            ratio = r['value'] / old['value'] if old['value'] else None
            mark = (WORSE if r['value'] > old['value'] else
                    BETTER if r['value'] < old['value'] else SAME)
            rows.append((r['name'], old, r, ratio, mark))
    rows += [(r['name'], r, None, None, ONLY_BASE) for r in base if r['name'] not in n]
    return rows


def summary(rows):
    counts = {}
    for row in rows:
        counts[row[4]] = counts.get(row[4], 0) + 1
    order = (WORSE, BETTER, SAME, UNIT, ONLY_NOW, ONLY_BASE)
    return '%d records: %s' % (len(rows), ', '.join(
        '%d %s' % (counts.get(k, 0), k) for k in order))


def table(rows, base_label='base', now_label='now'):
    """The comparison as text lines: record, base, now, now/base, mark
    (regressions in capitals, so they stand out)."""
    w = max([len(r[0]) for r in rows] + [6])
    v = lambda r: '-' if r is None else rec.fmt_value(r['value'])
    lines = ['%-*s %12s %12s %9s' % (w, 'record', base_label[:12], now_label[:12], 'now/base')]
    for name, old, new, ratio, mark in rows:
        note = {WORSE: 'WORSE', SAME: ''}.get(mark, mark)
        if mark == UNIT:
            note = 'unit changed: %s -> %s' % (old['unit'], new['unit'])
        lines.append(('%-*s %12s %12s %9s  %s' % (
            w, name, v(old), v(new), '-' if ratio is None else '%.4f' % ratio, note)).rstrip())
    lines.append(summary(rows))
    return lines


def regressions(rows):
    return [r for r in rows if r[4] == WORSE]


# --- The base revision ----------------------------------------------------
def _git(top, *args):
    p = subprocess.run(['git', '-C', top] + list(args), capture_output=True, text=True)
    if p.returncode != 0:
        raise CompareError('git %s: %s' % (' '.join(args), p.stderr.strip()))
    return p.stdout.strip()


def base_results(top, rev, jobs, log=print):
    """Build revision `rev` in build/compare/<commit>/ and run its benchmarks;
    return (commit, path of its results.json)."""
    try:
        commit = _git(top, 'rev-parse', '--verify', '--quiet', rev + '^{commit}')
    except CompareError:
        raise CompareError('BASE=%s is not a commit of %s' % (rev, top))
    tree = os.path.join(top, 'build', 'compare', commit[:12])
    stamp = os.path.join(tree, '.benchreport-commit')
    if not (os.path.exists(stamp) and open(stamp).read().strip() == commit):
        # A fresh export: a half-written tree from an interrupted run has no stamp.
        shutil.rmtree(tree, ignore_errors=True)
        os.makedirs(tree)
        log('bench-compare: exporting %s into %s' % (commit[:12], os.path.relpath(tree, top)))
        archive = subprocess.Popen(['git', '-C', top, 'archive', '--format=tar', commit],
                                   stdout=subprocess.PIPE)
        untar = subprocess.run(['tar', '-x', '-C', tree], stdin=archive.stdout)
        archive.stdout.close()
        if archive.wait() != 0 or untar.returncode != 0:
            raise CompareError('could not export %s into %s' % (commit, tree))
        with open(stamp, 'w') as f:
            f.write(commit + '\n')
    log('bench-compare: building and benchmarking %s (its own scons, output in %s)'
        % (commit[:12], os.path.relpath(os.path.join(tree, 'bench.log'), top)))
    with open(os.path.join(tree, 'bench.log'), 'w') as out:
        status = subprocess.call(['scons', '-Q', '-j%d' % jobs, 'bench'], cwd=tree,
                                 stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
    results = os.path.join(tree, 'build', 'bench', 'results.json')
    if status != 0:
        with open(os.path.join(tree, 'bench.log')) as f:
            tail = f.read().splitlines()[-30:]
        raise CompareError('`scons bench` of %s failed (status %d); the end of its log:\n%s'
                           % (commit[:12], status, '\n'.join(tail)))
    if not os.path.exists(results):
        raise CompareError('`scons bench` of %s wrote no build/bench/results.json' % commit[:12])
    return commit, results


def run(top, rev, now_path, jobs, fail_on_regression):
    """The whole `scons bench-compare`: 0, or 1 on regressions when
    fail_on_regression; a CompareError or RecordError on any error."""
    now = rec.load(now_path)
    commit, base_path = base_results(top, rev, jobs)
    rows = compare(rec.load(base_path), now)
    print('\n'.join(table(rows, 'base ' + commit[:7], 'now')))
    bad = regressions(rows)
    if bad and fail_on_regression:
        print('bench-compare: %d regressions, FAIL_ON_REGRESSION is set' % len(bad))
        return 1
    return 0
