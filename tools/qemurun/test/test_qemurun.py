#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Host tests of tools/qemurun's derived benchmark records (suite
`qemurun`): ratios of virtual/native pairs, the ratio alias, rtos_geomean
and rtos_worst_ratio, the same per @MODE (renamed records, their ratios,
rtos_MODE_geomean and rtos_MODE_worst_ratio), and what stays out of them. Prints one `PASS|FAIL
name` line per test, then `N passed, N failed`."""
import io
import math
import os
import sys
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import qemurun  # noqa: E402


def rec(name, value, unit='instructions', iterations=10000, image='x.elf'):
    return {'name': name, 'unit': unit, 'value': value, 'iterations': iterations,
            'image': image}


def derive(records, modes=()):
    out = io.StringIO()
    with redirect_stdout(out):
        d = qemurun.derived_records(records, modes)
    return {r['name']: r for r in d}, out.getvalue()


def test_ratio_of_each_pair():
    d, _ = derive([rec('rtos_a_native', 100), rec('rtos_a_virtual', 150, image='v.elf'),
                   rec('rtos_b_native', 200), rec('rtos_b_virtual', 100)])
    assert d['ratio_rtos_a']['value'] == 1.5 and d['ratio_rtos_a']['unit'] == 'virtual/native'
    assert d['ratio_rtos_a']['image'] == 'v.elf'
    assert d['ratio_rtos_b']['value'] == 0.5


def test_geomean_and_worst():
    recs = []
    for name, nat, virt in [('a', 100, 400), ('b', 100, 100), ('c', 10, 25)]:
        recs += [rec('rtos_%s_native' % name, nat), rec('rtos_%s_virtual' % name, virt)]
    d, log = derive(recs)
    want = math.exp((math.log(4) + math.log(1) + math.log(2.5)) / 3)
    assert d['rtos_geomean']['value'] == round(want, 4), d['rtos_geomean']
    assert d['rtos_geomean']['iterations'] == 3
    assert d['rtos_worst_ratio']['value'] == 4.0
    assert 'worst rtos_a' in log


def test_alias_reported_but_counted_once():
    d, _ = derive([rec('rtos_basic_native', 100), rec('rtos_basic_virtual', 101),
                   rec('rtos_x_native', 100), rec('rtos_x_virtual', 400)])
    assert d['ratio_rtos_cpu_crc']['value'] == d['ratio_rtos_basic']['value'] == 1.01
    assert d['rtos_geomean']['iterations'] == 2
    assert d['rtos_geomean']['value'] == round(math.sqrt(1.01 * 4), 4)


def test_missing_twin_is_reported_and_left_out():
    d, log = derive([rec('rtos_a_native', 100), rec('rtos_a_virtual', 200),
                     rec('rtos_dev_native', 100)])
    assert 'ratio_rtos_dev' not in d
    assert d['rtos_geomean']['iterations'] == 1 and d['rtos_geomean']['value'] == 2.0
    assert 'rtos_dev_native has no virtual twin' in log


def test_other_records_are_not_ratios():
    d, _ = derive([rec('rtos_a_native', 100), rec('rtos_a_virtual', 200),
                   rec('rtos_a_native_mode', 90), rec('rtos_a_virtual_mode', 180),
                   rec('rtos_a_native_kentries', 1, 'entries'),
                   rec('rtos_a_virtual_kentries', 2, 'entries'),
                   rec('vm_native', 1), rec('vm_virtual', 3)])
    assert set(d) == {'ratio_rtos_a', 'ratio_vm', 'rtos_geomean', 'rtos_worst_ratio'}, d
    assert d['rtos_geomean']['iterations'] == 1  # vm_* is not an RTOS workload


def test_zero_native_gives_no_ratio():
    d, _ = derive([rec('rtos_a_native', 0), rec('rtos_a_virtual', 5)])
    assert d == {}


def test_nothing_measured_nothing_derived():
    d, _ = derive([rec('null_syscall', 57, 'kernel_instructions')])
    assert d == {}


def test_mode_renames_only_native_rtos_records():
    lines = ['[bench] rtos_a_native instructions 400 10', '[bench] emul_x instructions 46 1000',
             '[bench] rtos_b_native instructions 50.5 10', 'noise',
             '[bench] rtos_a_native_kentries entries 3 10']
    r = {x['name']: x for x in qemurun.bench_run_records('p.elf', 'previrt', lines)}
    assert set(r) == {'rtos_a_previrt', 'emul_x', 'rtos_b_previrt', 'rtos_a_previrt_kentries'}, r
    assert r['rtos_a_previrt']['value'] == 400 and isinstance(r['rtos_a_previrt']['value'], int)
    assert r['rtos_b_previrt']['value'] == 50.5 and r['rtos_a_previrt']['image'] == 'p.elf'
    plain = {x['name'] for x in qemurun.bench_run_records('n.elf', '', lines)}
    assert 'rtos_a_native' in plain and 'rtos_a_previrt' not in plain
    # A workload whose name has underscores; its mode (most frequent single).
    r = qemurun.bench_run_records('p.elf', 'previrt_gic',
                                  ['[bench] rtos_irq_preempt_native_mode instructions 7 1000'])
    assert r[0]['name'] == 'rtos_irq_preempt_previrt_gic_mode', r
    d, _ = derive(r + [rec('rtos_irq_preempt_native_mode', 5)], ['previrt_gic'])
    assert d == {}, d  # companions are not workloads: no ratio


def test_ratios_geomean_and_worst_per_mode():
    recs = [rec('rtos_a_native', 100), rec('rtos_b_native', 50),
            rec('rtos_a_virtual', 150), rec('rtos_b_virtual', 100),
            rec('rtos_a_previrt', 400, image='p.elf'), rec('rtos_b_previrt', 100, image='p.elf'),
            rec('rtos_a_previrt_gic', 200, image='g.elf'), rec('rtos_b_previrt_gic', 50, image='g.elf')]
    d, _ = derive(recs, ['previrt', 'previrt_gic'])
    want = {'ratio_rtos_a_previrt': (4.0, 'previrt/native'),
            'ratio_rtos_b_previrt': (2.0, 'previrt/native'),
            'rtos_previrt_geomean': (round(math.sqrt(8.0), 4), 'previrt/native'),
            'rtos_previrt_worst_ratio': (4.0, 'previrt/native'),
            'ratio_rtos_a_previrt_gic': (2.0, 'previrt_gic/native'),
            'ratio_rtos_b_previrt_gic': (1.0, 'previrt_gic/native'),
            'rtos_previrt_gic_geomean': (round(math.sqrt(2.0), 4), 'previrt_gic/native'),
            'rtos_geomean': (round(math.sqrt(3.0), 4), 'virtual/native')}
    for k, v in want.items():
        assert k in d and (d[k]['value'], d[k]['unit']) == v, (k, d.get(k))
    assert d['rtos_previrt_gic_geomean']['iterations'] == 2
    assert d['rtos_previrt_gic_geomean']['image'] == 'g.elf'
    assert 'ratio_rtos_a_previrt_gic_previrt' not in d  # the longest mode wins


def test_mode_without_native_or_with_another_unit_gives_nothing():
    d, _ = derive([rec('rtos_a_native', 100, 'cycles'), rec('rtos_a_previrt', 3),
                   rec('rtos_c_previrt', 1), rec('rtos_z_native', 0), rec('rtos_z_previrt', 2)],
                  ['previrt'])
    assert not [k for k in d if 'previrt' in k], d


def main():
    tests = [(n, f) for n, f in sorted(globals().items()) if n.startswith('test_')]
    passed = failed = 0
    for name, fn in tests:
        try:
            fn()
            print('PASS %s' % name)
            passed += 1
        except AssertionError as e:
            print('FAIL %s: %s' % (name, e))
            failed += 1
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
