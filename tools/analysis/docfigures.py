# SPDX-License-Identifier: BSD-2-Clause
"""The analysers' counts that docs/testing.md quotes, checked by the suites
that count them (static.py: analyzer, cppcheck; eva.py: each Eva driver).

A count in the doc stands between markers, `<!-- findings:KEY -->N<!-- /findings -->`
(KEY: analyzer, cppcheck, eva-DRIVER). The suite that counts KEY's
findings reports one test that the doc quotes exactly its count (so a hand
edit cannot drift from the analysers' result), and writes it with
--write-docs (static.py / eva.py). A passing suite has counted 0: the
figure is the suite's result, never typed.
"""
import os
import re

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
DOC = os.path.join(ROOT, 'docs', 'testing.md')
MARK = r'(<!-- findings:%s -->)(.*?)(<!-- /findings -->)'


def quoted(key, path=DOC):
    """The figures the doc quotes for KEY (a list: it may quote one twice)."""
    return [m.group(2) for m in re.finditer(MARK % re.escape(key), open(path).read(), re.S)]


def write(counts, path=DOC):
    """Fill the doc's markers of each KEY in counts with its count."""
    text = open(path).read()
    for key, n in counts.items():
        text = re.sub(MARK % re.escape(key), lambda m: m.group(1) + str(n) + m.group(3), text,
                      flags=re.S)
    open(path, 'w').write(text)


def agrees(key, count, path=DOC):
    got = quoted(key, path)
    return got, bool(got) and all(g == str(count) for g in got)


def check(key, count, path=DOC):
    """One test line: the doc quotes KEY's count, and exactly it (and the
    comparison would catch another count). Returns ok."""
    got, ok = agrees(key, count, path)
    ok = ok and not agrees(key, count + 1, path)[1]
    name = 'docs_testing_md_quotes_%s_findings' % re.sub(r'\W+', '_', key)
    why = ('' if ok else ': the doc says %s, the analysis found %d (%s --write-docs, or '
           'correct the doc)' % (', '.join(got) or 'nothing', count, key))
    print('[test] %s %s%s' % ('PASS' if ok else 'FAIL', name, why))
    return ok
