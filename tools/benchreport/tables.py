# SPDX-License-Identifier: BSD-2-Clause
"""The tables of benchmark figures, as a model (header, rows of cells) that
docs (Markdown) and the HTML report both render. A cell is a string, or
Code(text) for a record or workload name."""
import fnmatch

import records as rec

DASH = '—'


class Code(str):
    """A cell shown as code: a record or workload name."""


class TableError(rec.RecordError):
    """A table or figure that cannot be made; the message says why."""


class MissingRecord(TableError):
    """A table or figure names a record the results lack."""

    def __init__(self, name, why=''):
        TableError.__init__(self, 'no record named %s%s' % (name, why))
        self.name, self.why = name, why


def select(records, patterns):
    """Records whose name matches a pattern (shell globs; `!glob` excludes),
    in results order. A pattern that selects nothing is an error naming it:
    a doc that quotes a record the benchmarks no longer write is stale."""
    include = [p for p in patterns if not p.startswith('!')]
    exclude = [p[1:] for p in patterns if p.startswith('!')]
    if not include:
        include = ['*']
    chosen = [r for r in records
              if any(fnmatch.fnmatchcase(r['name'], p) for p in include)
              and not any(fnmatch.fnmatchcase(r['name'], p) for p in exclude)]
    for p in include:
        if not any(fnmatch.fnmatchcase(r['name'], p) for r in chosen):
            if not any(c in p for c in '*?['):
                raise MissingRecord(p)
            raise TableError('no record matches %s' % p)
    return chosen


def records_table(records, patterns=(), order=None):
    """The records `patterns` select, in results order, or with order='cost'
    the costliest first (every unit is a cost; a worklist)."""
    chosen = select(records, patterns)
    if order == 'cost':
        chosen = sorted(chosen, key=lambda r: -r['value'])
    elif order is not None:
        raise TableError('order=%s: the orders are cost (costliest first) and none' % order)
    rows = [[Code(r['name']), rec.fmt_value(r['value']), rec.unit_label(r['unit']),
             str(r['iterations'])] for r in chosen]
    return ['record', 'value', 'unit', 'iterations'], rows


def rtos_table(records, unit='instructions', tests=(), modes=None):
    """One row per RTOS workload: native, then per operation each other mode
    any workload has (or those of `modes`, in that order), each with its
    ratio to native."""
    work = rtos_select(records, unit, tests)
    names = rec.by_name(records)
    if modes is None:
        modes = [m for m in rec.RTOS_MODES[1:] if any(m in g for _, g in work)]
    bad = [m for m in modes if m not in rec.RTOS_MODES[1:]]
    if bad:
        raise TableError('unknown RTOS mode %s (modes: %s)' % (bad[0], ', '.join(rec.RTOS_MODES[1:])))
    missing = [m for m in modes if not any(m in g for _, g in work)]
    if missing:
        raise TableError('no RTOS workload record of mode %s (rtos_<test>_%s)'
                         % (missing[0], missing[0]))
    head = ['workload', 'native (%s)' % rec.unit_label(unit)]
    for m in modes:
        head += [rec.MODE_LABELS[m], '%s/native' % rec.MODE_LABELS[m]]
    rows = []
    for test, g in work:
        row = [Code(test), cell(g.get('native'))]
        for m in modes:
            ratio = rec.rtos_ratio(names, test, m)
            row += [cell(g.get(m)), DASH if ratio is None else rec.fmt_value(ratio)]
        rows.append(row)
    return head, rows


def rtos_select(records, unit, tests):
    work = rec.rtos_workloads(records, unit)
    if not work:
        raise TableError('no RTOS workload records (rtos_<test>_native/_virtual in %s)' % unit)
    if tests:
        known = dict(work)
        missing = [t for t in tests if t not in known]
        if missing:
            raise TableError('no RTOS workload %s (records rtos_%s_native/_virtual)'
                             % (', '.join(missing), missing[0]))
        work = [(t, known[t]) for t in tests]
    return work


def cell(r):
    return DASH if r is None else rec.fmt_value(r['value'])


def reference_table(records, ref, strict=True):
    """This kernel against the reference kernel, per path they both measure.
    strict: a reference record missing from the results is an error."""
    rows = []
    for f, r in rec.reference_rows(records, ref):
        if r is None:
            if strict:
                raise MissingRecord(f['record'], ' (reference figure "%s")' % f['operation'])
            continue
        others = '; '.join('%s %s' % (rec.fmt_value(o['value']), o['condition'])
                           for o in f.get('others', []))
        rows.append([f['operation'], Code(f['record']), rec.fmt_value(r['value']),
                     rec.fmt_value(f['value']) + (' (%s)' % f['condition'] if f.get('condition') else ''),
                     '%.2f' % (r['value'] / f['value']), others or DASH])
    head = ['operation', 'record', 'this kernel (%s)' % rec.unit_label(ref['figures'][0]['unit']),
            ref['kernel'], 'this kernel/%s' % ref['kernel'], '%s, other configurations' % ref['kernel']]
    return head, rows


def markdown(table):
    head, rows = table
    md = lambda c: '`%s`' % c if isinstance(c, Code) else c.replace('|', '\\|')
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    lines += ['| ' + ' | '.join(md(c) for c in row) + ' |' for row in rows]
    return lines


def html(table):
    import html as h
    head, rows = table
    cellhtml = lambda c: '<code>%s</code>' % h.escape(c) if isinstance(c, Code) else h.escape(c)
    out = ['<table>', '<tr>' + ''.join('<th>%s</th>' % h.escape(c) for c in head) + '</tr>']
    out += ['<tr>' + ''.join('<td>%s</td>' % cellhtml(c) for c in row) + '</tr>' for row in rows]
    out.append('</table>')
    return '\n'.join(out)
