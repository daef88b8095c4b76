# SPDX-License-Identifier: BSD-2-Clause
"""Benchmark records: reading build/bench/results.json, the CSV form, the
seL4 reference figures, and the groupings the tables and charts share.

A record is {name, unit, value, iterations, image} as tools/qemurun writes
it (docs/benchmarks.md). Every unit is a cost: lower is better."""
import csv
import io
import json
import math
import os
import re

FIELDS = ('name', 'unit', 'value', 'iterations', 'image')
UNIT_LABELS = {
    'kernel_instructions': 'kernel instructions',
    'user_instructions': 'user instructions',
    'instructions': 'instructions',
    'virtual/native': 'virtual/native',
    'previrt/native': 'previrt/native',
    'previrt_gic/native': 'previrt+GIC/native',
}
# rtos_<test>_<mode>: the same RTOS program natively, as a guest of the VMM,
# pre-virtualised, and pre-virtualised with the first hand step of
# docs/porting.md (its GIC accesses as runtime calls).
RTOS_MODES = ('native', 'virtual', 'previrt', 'previrt_gic')
MODE_LABELS = {'native': 'native', 'virtual': 'virtual', 'previrt': 'pre-virtualised',
               'previrt_gic': 'pre-virtualised, GIC by hand'}
RTOS_RE = re.compile(r'^rtos_(?P<test>.+)_(?P<mode>%s)$' % '|'.join(RTOS_MODES))

HERE = os.path.dirname(os.path.abspath(__file__))
REFERENCE = os.path.join(HERE, 'reference.json')


class RecordError(Exception):
    """A results or reference file that cannot be used; the message says why."""


def _check_record(r, where):
    if not isinstance(r, dict):
        raise RecordError('%s: a record is not an object: %r' % (where, r))
    missing = [f for f in FIELDS if f not in r]
    if missing:
        raise RecordError('%s: record %r lacks %s' % (where, r.get('name'), ', '.join(missing)))
    if not isinstance(r['name'], str) or not re.match(r'^[A-Za-z0-9_.-]+$', r['name']):
        raise RecordError('%s: bad record name %r' % (where, r['name']))
    v = r['value']
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise RecordError('%s: record %s has a non-numeric value %r' % (where, r['name'], v))
    if isinstance(r['iterations'], bool) or not isinstance(r['iterations'], int):
        raise RecordError('%s: record %s has non-integer iterations %r'
                          % (where, r['name'], r['iterations']))
    for f in ('unit', 'image'):
        if not isinstance(r[f], str) or not r[f]:
            raise RecordError('%s: record %s has a bad %s %r' % (where, r['name'], f, r[f]))


def check(records, where):
    """Validate a list of records (names unique); return it."""
    if not isinstance(records, list):
        raise RecordError('%s: not a list of records' % where)
    seen = set()
    for r in records:
        _check_record(r, where)
        if r['name'] in seen:
            raise RecordError('%s: record %s appears twice' % (where, r['name']))
        seen.add(r['name'])
    return records


def load(path):
    """The records of a results.json, validated."""
    try:
        with open(path) as f:
            data = json.load(f)
    except OSError as e:
        raise RecordError('%s: cannot read: %s (run `scons bench`)' % (path, e.strerror))
    except ValueError as e:
        raise RecordError('%s: not JSON: %s' % (path, e))
    return check(data, path)


def by_name(records):
    return {r['name']: r for r in records}


def fmt_value(v):
    """A value as results.json holds it: integers plain, fractions as stored."""
    return str(v) if isinstance(v, int) else repr(v)


def unit_label(unit):
    return UNIT_LABELS.get(unit, unit.replace('_', ' '))


# --- CSV: one row per record; non-text fields JSON-encoded so a read gives
# back exactly the records written (int stays int, float keeps its digits).
TEXT_FIELDS = ('name', 'unit', 'image')


def to_csv(records):
    extra = sorted({k for r in records for k in r} - set(FIELDS))
    out = io.StringIO()
    w = csv.writer(out, lineterminator='\n')
    w.writerow(list(FIELDS) + extra)
    for r in records:
        w.writerow([r[f] if f in TEXT_FIELDS else json.dumps(r[f]) if f in r else ''
                    for f in list(FIELDS) + extra])
    return out.getvalue()


def from_csv(text):
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or tuple(rows[0][:len(FIELDS)]) != FIELDS:
        raise RecordError('CSV: header is not %s' % ','.join(FIELDS))
    head, records = rows[0], []
    for n, row in enumerate(rows[1:], 2):
        if len(row) != len(head):
            raise RecordError('CSV line %d: %d cells, header has %d' % (n, len(row), len(head)))
        r = {}
        for k, cell in zip(head, row):
            if k in TEXT_FIELDS:
                r[k] = cell
            elif cell != '':
                r[k] = json.loads(cell)
        records.append(r)
    return check(records, 'CSV')


# --- Groupings -------------------------------------------------------------
def rtos_workloads(records, unit='instructions'):
    """[(test, {mode: record})] for every rtos_<test>_<mode> record of `unit`,
    in the order the tests first appear in the results."""
    order, groups = [], {}
    for r in records:
        m = RTOS_RE.match(r['name'])
        if not m or r['unit'] != unit:
            continue
        test = m.group('test')
        if test not in groups:
            order.append(test)
            groups[test] = {}
        groups[test][m.group('mode')] = r
    return [(t, groups[t]) for t in order]


def rtos_ratio(names, test, mode):
    """mode/native for one workload: the ratio record where the benchmark
    run wrote one (ratio_rtos_<test> for virtual), else computed the same
    way (rounded to 4 places, as tools/qemurun does); None without both."""
    stored = names.get('ratio_rtos_%s' % test if mode == 'virtual'
                       else 'ratio_rtos_%s_%s' % (test, mode))
    if stored:
        return stored['value']
    nat, other = names.get('rtos_%s_native' % test), names.get('rtos_%s_%s' % (test, mode))
    if not nat or not other or not nat['value']:
        return None
    return round(other['value'] / nat['value'], 4)


# --- seL4 reference figures (reference.json) ------------------------------
def load_reference(path=REFERENCE):
    """{source, kernel, figures: [{record, operation, unit, value, condition,
    others: [{value, condition}]}]}, validated."""
    try:
        with open(path) as f:
            ref = json.load(f)
    except (OSError, ValueError) as e:
        raise RecordError('%s: %s' % (path, e))
    for key in ('source', 'kernel', 'method', 'figures'):
        if key not in ref:
            raise RecordError('%s: lacks "%s"' % (path, key))
    seen = set()
    for f in ref['figures']:
        for key in ('record', 'operation', 'unit', 'value'):
            if key not in f:
                raise RecordError('%s: a figure lacks "%s": %r' % (path, key, f))
        if f['record'] in seen:
            raise RecordError('%s: two figures for %s' % (path, f['record']))
        seen.add(f['record'])
        for v in [f['value']] + [o['value'] for o in f.get('others', [])]:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                raise RecordError('%s: %s: bad value %r' % (path, f['record'], v))
    return ref


def reference_rows(records, ref):
    """[(figure, our record or None)] for every reference figure; a record
    counted in another unit than its figure is an error (the benchmark or
    the reference changed meaning)."""
    names = by_name(records)
    rows = []
    for f in ref['figures']:
        r = names.get(f['record'])
        if r is not None and r['unit'] != f['unit']:
            raise RecordError('record %s is in %s, its reference figure in %s'
                              % (f['record'], r['unit'], f['unit']))
        rows.append((f, r))
    return rows
