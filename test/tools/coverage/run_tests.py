#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Tests of tools/coverage on tiny fixed inputs.

fixture.elf (fixture.S) with fixture.log, a fixed in_asm log: the mapping,
the boot-code rule, predicated instructions, partly run lines, the figures,
the reports and the merge of two images. boot.elf (boot.S) is booted for
real through qemurun with its trace on, so a change in QEMU's log format
shows here. The expected lines are the `@ L:`/`@ N:` marks in the sources.
Ends with `N passed, N failed`.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'tools', 'coverage'))
import coverage  # noqa: E402
import kcov  # noqa: E402

HERE = os.path.relpath(os.path.dirname(os.path.abspath(__file__)), ROOT) + os.sep
results = []


def check(name, cond, detail=''):
    results.append(bool(cond))
    print('[test] %s %s%s' % ('PASS' if cond else 'FAIL', name, '' if cond else ': ' + detail))


def marks(src, kind='L'):
    """name -> (file, line) of every `@ kind:name` comment in fixture source src."""
    out = {}
    for n, line in enumerate(open(os.path.join(ROOT, HERE, src)), 1):
        m = re.search(r'@ %s:(\w+)' % kind, line)
        if m:
            out[m.group(1)] = (HERE + src, n)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True, help='where SCons built fixture.elf and boot.elf')
    a = ap.parse_args()
    fixture, boot = os.path.join(a.dir, 'fixture.elf'), os.path.join(a.dir, 'boot.elf')
    L = marks('fixture.S')

    elf = kcov.KernelElf(fixture, ROOT, prefix=HERE)
    syms = {l.split()[2]: int(l.split()[0], 16) for l in subprocess.run(
        ['arm-none-eabi-nm', fixture], capture_output=True, text=True).stdout.splitlines()}
    check('fixture_is_laid_out_as_its_log_expects',
          syms.get('kernel_main') == 0xc0000010 and syms.get('partial_fn') == 0xc0000038
          and elf.phys_offset == 0x80000000 and elf.is_kernel, str(syms))
    check('literal_pool_is_data_not_an_instruction',
          0xc000000c not in elf.insns and len(elf.insns) == 16, sorted(elf.insns))

    cov = kcov.Coverage()
    cov.add_elf(elf)
    cov.add_run(elf, kcov.covered_addrs(elf, kcov.log_blocks(os.path.join(ROOT, HERE, 'fixture.log'))))
    state = {name: cov.line_state(key) for name, key in L.items()}
    want = dict.fromkeys(L, '+')
    want.update(km_movne='?', unc_pair='-', unc_bx='-')
    check('each_line_is_covered_uncertain_or_not_as_the_log_says', state == want,
          'got %s' % state)
    check('boot_blocks_count_at_the_link_address_only_before_the_mmu_is_on',
          state['start_mov'] == '+' and state['unc_pair'] == '-')
    check('a_block_starting_inside_a_line_covers_part_of_it',
          cov.covered[L['part_pair']] == {1} and len(cov.total[L['part_pair']]) == 2)
    fig = cov.figures()
    check('figures_count_lines_and_instructions',
          (fig['lines'], fig['lines_covered'], fig['lines_uncertain'], fig['instructions'],
           fig['instructions_covered']) == (13, 11, 1, 16, 12), str(fig))
    check('summary_line_is_the_documented_one',
          kcov.summary_line(fig) == 'kernel coverage: 84.6% lines, 75.0% instructions',
          kcov.summary_line(fig))
    check('conservative_figure_counts_uncertain_lines_out', fig['line_pct_conservative'] == 76.9,
          str(fig['line_pct_conservative']))

    with tempfile.TemporaryDirectory() as out:
        coverage.write_reports(out, cov, {'fixture': cov}, ['fixture'])
        text = open(os.path.join(out, 'kernel.txt')).read()
        unc = re.findall(r'^(\S+):(\d+): ', text.split('Uncovered lines')[1].split('Lines covered only')[0], re.M)
        check('report_lists_exactly_the_uncovered_lines',
              sorted((f, int(n)) for f, n in unc) == sorted([L['unc_pair'], L['unc_bx']]), str(unc))
        ann = open(os.path.join(out, 'annotated', HERE + 'fixture.S.txt')).read().splitlines()
        part = ann[L['part_pair'][1]]   # line 1 is the legend
        check('annotated_view_marks_lines_and_counts_instructions',
              re.match(r'\s*%d \+ +1/2 +\|' % L['part_pair'][1], part) and
              re.match(r'\s*%d \?' % L['km_movne'][1], ann[L['km_movne'][1]]) and
              re.match(r'\s*%d -' % L['unc_bx'][1], ann[L['unc_bx'][1]]), part)

        doc = os.path.join(out, 'doc.md')
        open(doc, 'w').write('before\n%s\nold\n%s\nafter: <!-- coverage of fixture -->1%% of lines, '
                             '2%% of instructions<!-- end --> alone\n' % (coverage.BEGIN, coverage.END))
        coverage.write_docs(doc, fig, {'fixture': cov}, ['fixture'])
        text = open(doc).read()
        check('docs_figures_replace_the_marked_section_only',
              text.startswith('before\n') and 'old' not in text
              and '| all 1 in-QEMU suites | 84.6% (11/13) | 75.0% | 76.9% |' in text
              and '| `fixture` alone | 84.6% (11/13) |' in text, text)
        check('docs_quote_a_suites_figure_where_it_is_marked',
              text.endswith('after: <!-- coverage of fixture -->84.6% of lines, 75.0% of '
                            'instructions<!-- end --> alone\n'), text)
        open(doc, 'w').write('%s\n%s\n<!-- coverage of nosuch -->x<!-- end -->\n'
                             % (coverage.BEGIN, coverage.END))
        try:
            coverage.write_docs(doc, fig, {'fixture': cov}, ['fixture'])
            refused = False
        except SystemExit as e:
            refused = 'nosuch' in str(e)
        check('docs_quoting_a_suite_that_did_not_run_is_an_error', refused)

    # A second image of the same kernel whose run reached uncovered_fn: the
    # merge is per source line, and a line counts its instructions once.
    other = kcov.Coverage()
    other.add_elf(elf)
    other.add_run(elf, kcov.covered_addrs(elf, [[0xc000002c, 0xc0000030, 0xc0000034]]))
    cov.merge(other)
    fig = cov.figures()
    check('images_merge_per_source_line',
          (fig['lines'], fig['lines_covered'], fig['instructions'], fig['instructions_covered'])
          == (13, 13, 16, 15), str(fig))

    # A real boot through qemurun with its trace on.
    with tempfile.TemporaryDirectory() as logs:
        env = dict(os.environ, QEMURUN_TRACE_DIR=logs,
                   QEMURUN_TRACE_FILTER=coverage.trace_filter([boot]))
        r = subprocess.run([sys.executable, os.path.join(ROOT, 'tools/qemurun/qemurun.py'),
                            '--timeout', '20', boot], env=env, capture_output=True, text=True)
        check('traced_boot_exits_cleanly', r.returncode == 0, r.stdout + r.stderr)
        belf = kcov.KernelElf(boot, ROOT, prefix=HERE)
        real = kcov.Coverage()
        real.add_elf(belf)
        logfiles = [f for f in os.listdir(logs) if f.endswith('.log')]
        for f in logfiles:
            real.add_run(belf, kcov.covered_addrs(belf, kcov.log_blocks(os.path.join(logs, f))))
        ran, never = marks('boot.S', 'L'), marks('boot.S', 'N')
        check('qemu_log_of_a_real_boot_maps_to_the_lines_that_ran',
              len(logfiles) == 1 and all(real.line_state(k) == '+' for k in ran.values())
              and all(real.line_state(k) == '-' for k in never.values()),
              '%s %s' % (logfiles, {n: real.line_state(k) for n, k in {**ran, **never}.items()}))

    # A build directory copied from another checkout: its DWARF names that
    # checkout's files, which are this one's through the ELF's compilation
    # directory; what is not in this tree (libgcc's sources) stays out.
    src, elsewhere = HERE + 'fixture.S', '/elsewhere/checkout'
    elf.comp_dirs = [elsewhere, '/build/gcc/libgcc']
    got = [elf.source('%s/%s:24' % (elsewhere, src)),
           elf.source('%s/%s:24' % (elsewhere, HERE + 'no-such-file.S')),
           elf.source('/build/gcc/libgcc/lib1funcs.S:7'),
           elf.source('%s/../x/%s:3' % (elsewhere, src))]
    check('lines_compiled_in_another_checkout_are_this_checkouts',
          got == [(src, 24)] + [(None, None)] * 3, str(got))

    # Nothing measured is no figure, never 100%: a suite whose only image
    # has no line the tree's sources give (here: its line table stripped)
    # fails the report.
    with tempfile.TemporaryDirectory() as out:
        os.makedirs(os.path.join(out, 'logs', 'only'))
        bare = os.path.join(out, 'bare.elf')
        subprocess.run(['arm-none-eabi-objcopy', '--strip-debug', boot, bare], check=True)
        open(os.path.join(out, 'logs', 'only', '1-boot.elf.image'), 'w').write(bare)
        open(os.path.join(out, 'logs', 'only', '1-boot.elf.log'), 'w').write('')
        tests = os.path.join(out, 'tests.json')
        open(tests, 'w').write('[{"name": "only", "command": "tools/qemurun/qemurun.py x.elf"}]')
        r = subprocess.run([sys.executable, os.path.join(ROOT, 'tools/coverage/coverage.py'),
                            'report', '--tests', tests, '--out', out],
                           capture_output=True, text=True)
        check('a_report_of_no_kernel_line_fails_instead_of_claiming_100_percent',
              r.returncode == 1 and 'nothing measured' in r.stdout
              and 'kernel coverage:' not in r.stdout, r.stdout + r.stderr)

    print('%d passed, %d failed' % (results.count(True), results.count(False)))
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
