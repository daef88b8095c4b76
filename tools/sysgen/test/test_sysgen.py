#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Host tests of tools/sysgen (suite `sysgen`): good descriptions produce
the expected table, each bad one fails with its precise message at the
right line, and every description in systems/ is valid. Prints one
`PASS|FAIL name` line per test, then `N passed, N failed`."""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, os.path.join(TOP, 'tools', 'sysgen'))
import sysgen  # noqa: E402

IMAGES = {'testguest', 'rtos-demo', 'rtos-pv-tests', 'rtos-pv-bench'}
G = '[guest g]\nimage = testguest\n'   # a valid awaited guest, lines 1-2

# (test name, description, expected line, regex the message must match)
BAD = [
    ('unknown_key', G + 'colour = red\n', 3, r"unknown key 'colour' in \[guest g\]"),
    ('unknown_section', G + '[server x]\n', 3, r"unknown section kind 'server'"),
    ('malformed_header', G + '[guest\n', 3, r'malformed section header'),
    ('section_without_name', G + '[native]\n', 3, r'\[native\] needs a name'),
    ('key_outside_section', 'image = x\n' + G, 1, r"key 'image' outside a section"),
    ('not_key_value', G + 'priority\n', 3, r'expected `key = value`'),
    ('key_given_twice', G + 'image = testguest\n', 3, r"key 'image' given twice .*line 2"),
    ('system_twice', '[system]\n[system]\n' + G, 2, r'\[system\] given twice'),
    ('missing_required_key', G + '[guest h]\nram = 4M\n', 3, r"lacks the required key 'image'"),
    ('missing_entry', G + '[native n]\n', 3, r"lacks the required key 'entry'"),
    ('duplicate_name', G + '[guest g]\nimage = testguest\n', 3,
     r"duplicate name 'g' \(first defined on line 1\)"),
    ('duplicate_name_across_kinds', G + '[native g]\nentry = f\n', 3, r"duplicate name 'g'"),
    ('bad_name', '[guest 9lives]\nimage = testguest\n', 1, r"bad name '9lives'"),
    ('name_too_long', '[guest abcdefghijklmnop]\nimage = testguest\n', 1, r'bad name'),
    ('unknown_image', '[guest g]\nimage = linux\n', 2, r"unknown image 'linux' of guest g \(known: "),
    ('priority_too_high', G + 'priority = 150\n', 3, r'priority 150 of g is out of range 1\.\.149'),
    ('priority_zero', G + 'priority = 0\n', 3, r'priority 0 of g is out of range'),
    ('priority_not_number', G + 'priority = high\n', 3, r"priority = 'high': not a number"),
    ('ram_unsupported', G + 'ram = 3M\n', 3,
     r"RAM size '3M' of guest g is not supported \(supported: 1M, 2M, 4M, 8M\)"),
    ('ram_too_big', G + 'ram = 16M\n', 3, r"RAM size '16M' of guest g is not supported"),
    ('ram_garbage', G + 'ram = lots\n', 3, r"RAM size 'lots' of guest g is not supported"),
    ('restarts_out_of_range', G + 'restarts = 9\n', 3, r'restarts 9 of g is out of range 0\.\.8'),
    ('bad_bool', G + 'awaited = maybe\n', 3, r"awaited = 'maybe': want yes or no"),
    ('stack_not_page_multiple', G + '[native n]\nentry = f\nstack = 5K\n', 5,
     r'stack 5K of n: want a multiple of 4K in 4K\.\.256K'),
    ('heap_too_big', G + '[native n]\nentry = f\nheap = 8M\n', 5, r'heap 8M of n'),
    ('entry_not_c_name', G + '[native n]\nentry = 1abc\n', 4, r"entry '1abc' is not a C function name"),
    ('irq_kernel_reserved', G + '[native n]\nentry = f\nirqs = 30\n', 5,
     r'IRQ 30 of n is reserved by the kernel'),
    ('irq_timer_reserved', G + '[native n]\nentry = f\nirqs = 27\n', 5,
     r'IRQ 27 of n is reserved by the timer server'),
    ('irq_claimed_twice', G + '[native n]\nentry = f\nirqs = 40\n[native m]\nentry = f\nirqs = 41 40\n',
     8, r'IRQ 40 of m is already claimed by n'),
    ('irq_claimed_twice_same', G + '[native n]\nentry = f\nirqs = 40 40\n', 5,
     r'IRQ 40 of n is already claimed by n'),
    ('irq_out_of_range', G + '[native n]\nentry = f\nirqs = 160\n', 5,
     r'IRQ 160 of n is out of range 16\.\.159'),
    ('irq_sgi', G + '[native n]\nentry = f\nirqs = 3\n', 5, r'IRQ 3 of n is out of range'),
    ('irq_not_number', G + '[native n]\nentry = f\nirqs = uart\n', 5, r"IRQ 'uart' of n is not a number"),
    ('too_many_irqs', G + '[native n]\nentry = f\nirqs = 40 41 42 43 44 45 46 47 48\n', 5,
     r'n claims 9 IRQs; at most 8'),
    ('guest_irq_kernel_reserved', G + 'irqs = 30\n', 3, r'IRQ 30 of g is reserved by the kernel'),
    ('guest_irq_timer_reserved', G + 'irqs = 27\n', 3,
     r'IRQ 27 of g is reserved by the timer server .*`timer_server = no`'),
    ('guest_irq_out_of_range', G + 'irqs = 15\n', 3, r'IRQ 15 of g is out of range 16\.\.159'),
    ('guest_irq_not_number', G + 'irqs = 0x21\n', 3, r"IRQ '0x21' of g is not a number"),
    ('guest_irq_claimed_by_native', G + 'irqs = 40\n[native n]\nentry = f\nirqs = 40\n', 6,
     r'IRQ 40 of n is already claimed by g'),
    ('native_irq_claimed_by_guest', '[native n]\nentry = f\nirqs = 40\n' + G + 'irqs = 41, 40\n', 6,
     r'IRQ 40 of g is already claimed by n'),
    ('guest_irq_claimed_by_guest', G + 'irqs = 40\n[guest h]\nimage = testguest\nirqs = 40\n', 6,
     r'IRQ 40 of h is already claimed by g'),
    ('guest_too_many_irqs', G + 'irqs = 40 41 42 43 44 45 46 47 48\n', 3,
     r'g claims 9 IRQs; at most 8 per guest \(virtual lines 16\.\.23\)'),
    ('irq_30_reserved_without_timer_server', '[system]\ntimer_server = no\n' + G + 'irqs = 27 30\n',
     5, r'IRQ 30 of g is reserved by the kernel'),
    ('irq_27_once_without_timer_server',  # [system] applies wherever it is in the file
     G + 'irqs = 27\n[native n]\nentry = f\nirqs = 27\n[system]\ntimer_server = no\n', 6,
     r'IRQ 27 of n is already claimed by g'),
    ('timer_server_bad_bool', '[system]\ntimer_server = maybe\n' + G, 2,
     r"timer_server = 'maybe': want yes or no"),
    ('channel_unknown_end', G + '[channel c]\na = g\nb = nobody\n', 5,
     r"channel c names unknown b end 'nobody'"),
    ('channel_missing_end', G + '[channel c]\na = g\n', 3, r"lacks the required key 'b'"),
    ('channel_to_itself', G + '[channel c]\na = g\nb = g\n', 3, r'channel c connects g to itself'),
    ('channel_bad_end', G + '[guest h]\nimage = testguest\n[channel c]\na = g:x\nb = h\n', 6,
     r"want PARTY or PARTY:INDEX"),
    ('channel_index_out_of_range', G + '[guest h]\nimage = testguest\n[channel c]\na = g:8\nb = h\n',
     6, r'index 8 at g is out of range 0\.\.7'),
    ('channel_index_twice', G + '[guest h]\nimage = testguest\n[channel c]\na = g:1\nb = h\n'
     '[channel d]\na = g:1\nb = h\n', 9, r'channel d: index 1 at g is already used by channel c'),
    ('too_many_channels_per_guest',
     G + ''.join('[guest h%d]\nimage = testguest\n[channel c%d]\na = g\nb = h%d\n' % (i, i, i)
                 for i in range(9)),
     3 + 5 * 8 + 2, r'g has 9 channels; docs/vmm\.md allows at most 8 per guest'),
    ('too_many_guests', ''.join('[guest g%d]\nimage = testguest\n' % i for i in range(13)), 25,
     r'too many guests: 13, at most 12'),
    ('too_many_natives', G + ''.join('[native n%d]\nentry = f\n' % i for i in range(5)), 11,
     r'too many native components: 5, at most 4'),
    ('console_name_taken', G + '[guest h]\nimage = testguest\nconsole = g\n', 5,
     r"console name 'g' of h is already used by g"),
    ('console_name_reserved', G + 'console = vmm\n', 3, r"console name 'vmm' of g is already used by the VMMs"),
    ('console_name_bad', G + 'console = a b\n', 3, r"bad console name 'a b'"),
    ('vmm_control_too_many_guests',
     ''.join('[guest g%d]\nimage = testguest\n' % i for i in range(9)) +
     '[native n]\nentry = f\nvmm_control = yes\n', 21, r'vmm_control of n: 9 guests'),
    ('nothing_awaited', '[guest g]\nimage = testguest\nawaited = no\n', 1, r'no party is awaited'),
    ('empty_system', '# nothing\n', 1, r'no guest and no native component'),
    ('system_takes_no_name', '[system demo]\n' + G, 1, r'\[system\] takes no name'),
]


def check_bad(name, text, line, regex):
    with tempfile.NamedTemporaryFile('w', suffix='.sys', delete=False) as f:
        f.write(text)
    try:
        sysgen.load(f.name, IMAGES)
        return 'accepted, expected %s:%d: %s' % (f.name, line, regex)
    except sysgen.SysError as e:
        msgs = str(e).splitlines()
        want = re.compile(r'^%s:%d: .*%s' % (re.escape(f.name), line, regex))
        if any(want.match(m) for m in msgs):
            return None
        return 'messages %r do not include line %d matching %r' % (msgs, line, regex)
    finally:
        os.unlink(f.name)


FULL = '''# a comment
[system]
test_report = yes

[guest alpha]
image = rtos-demo
ram = 2M
priority = 120
restarts = 2
console = a
irqs = 35

[guest beta]
image = testguest
awaited = no

[native drv]
entry = native_pingpong_main
priority = 110
stack = 16K
heap = 64K
irqs = 33, 34
vmm_control = yes

[channel ab]
a = alpha
b = beta:3

[channel ad]
a = alpha
b = drv

[channel bd]
a = beta
b = drv:5
'''


def write(text):
    f = tempfile.NamedTemporaryFile('w', suffix='.sys', delete=False)
    f.write(text)
    f.close()
    return f.name


def test_full_description_generates_table():
    path = write(FULL)
    try:
        c = sysgen.generate_c(sysgen.load(path, IMAGES), 'systems/full.sys')
    finally:
        os.unlink(path)
    want = [
        'Generated by tools/sysgen/sysgen.py from systems/full.sys: do not edit.',
        'SYS_IMAGE_DECL(sysimg_rtos_demo);', 'SYS_IMAGE_DECL(sysimg_testguest);',
        'void native_pingpong_main(l4_word_t arg);',
        '{.name = "alpha", .console = "a", .priority = 120, SYS_IMAGE(sysimg_rtos_demo), '
        '.ram_size = 0x200000, .auto_restarts = 2, .awaited = 1, .irqs = {35}, .nirqs = 1}',
        '{.name = "beta", .console = "beta", .priority = 100, SYS_IMAGE(sysimg_testguest), '
        '.ram_size = 0x400000, .auto_restarts = 0, .awaited = 0, .irqs = {}, .nirqs = 0}',
        '.stack_size = 0x4000, .heap_size = 0x10000, .irqs = {33, 34}, .nirqs = 2, '
        '.awaited = 0, .system_vmm_caps = 1}',
        # explicit indexes are kept, the others take the lowest free one
        '{.a = 0, .a_index = 0, .b = 1, .b_index = 3}, /* ab */',
        '{.a = 0, .a_index = 1, .b = SYS_NATIVE(0), .b_index = 0}, /* ad */',
        '{.a = 1, .a_index = 0, .b = SYS_NATIVE(0), .b_index = 5}, /* bd */',
        '.test_done_line = 1,', '.timer_server = 1,',
    ]
    missing = [w for w in want if w not in c]
    return 'missing from the table: %r' % missing if missing else None


def test_minimal_guest_gets_defaults():
    path = write(G)
    try:
        s = sysgen.load(path, IMAGES)
    finally:
        os.unlink(path)
    g = s['guests'][0]
    got = (g['ram'], g['priority'], g['console'], g['awaited'], g['restarts'], s['test_report'])
    want = (4 << 20, 100, 'g', True, 0, False)
    return None if got == want else 'defaults %r, want %r' % (got, want)


def test_all_errors_reported_at_once():
    path = write(G + 'colour = red\npriority = 999\n[channel c]\na = g\nb = x\n')
    try:
        sysgen.load(path, IMAGES)
        return 'accepted'
    except sysgen.SysError as e:
        n = len(str(e).splitlines())
        return None if n == 3 else 'got %d messages, want 3: %s' % (n, e)
    finally:
        os.unlink(path)


def test_cli_exit_status_and_outputs():
    good, bad = write(FULL), write(G + 'ram = 3M\n')
    out = tempfile.mkdtemp()
    try:
        tool = os.path.join(TOP, 'tools', 'sysgen', 'sysgen.py')
        imgs = sum((['--image', '%s=build/%s.elf' % (i, i)] for i in sorted(IMAGES)), [])
        r = subprocess.run([sys.executable, tool, good, '-o', out + '/t.c', '--images-out',
                            out + '/i'] + imgs, capture_output=True, text=True)
        if r.returncode != 0:
            return 'good description: status %d: %s' % (r.returncode, r.stderr)
        if open(out + '/i').read() != 'rtos-demo build/rtos-demo.elf\ntestguest build/testguest.elf\n':
            return 'image list: %r' % open(out + '/i').read()
        r = subprocess.run([sys.executable, tool, '--check', bad] + imgs,
                           capture_output=True, text=True)
        if r.returncode != 1 or ':3: RAM size' not in r.stderr:
            return 'bad description: status %d, stderr %r' % (r.returncode, r.stderr)
        return None
    finally:
        os.unlink(good)
        os.unlink(bad)


def test_timer_server_no_frees_irq_27():
    path = write(G + 'irqs = 27\n[system]\ntimer_server = no\n')
    try:
        c = sysgen.generate_c(sysgen.load(path, IMAGES), 'systems/t.sys')
    finally:
        os.unlink(path)
    want = ['.irqs = {27}, .nirqs = 1}', '.timer_server = 0,']
    missing = [w for w in want if w not in c]
    return 'missing from the table: %r' % missing if missing else None


def write_bytes(data):
    f = tempfile.NamedTemporaryFile('wb', suffix='.sys', delete=False)
    f.write(data)
    f.close()
    return f.name


# Descriptions that are not UTF-8 text: one `FILE: ...` error, no traceback.
NOT_TEXT = [
    ('binary', b'\x7fELF\x01\x01\x01\x00\x00\x00\xff\xfe\n[guest g]\n',
     r'not a text file: NUL byte at offset 7, line 1 '),
    ('latin1', (G + 'console = caf\xe9\n').encode('latin-1'),
     r'not a text file: byte 0xe9 at offset %d, line 3 is not UTF-8' % (len(G) + 13)),
    ('truncated_utf8', G.encode() + b'# \xe2\x9c\n', r'not a text file: byte 0xe2 at offset %d, line 3' % (len(G) + 2)),
]


def test_not_text_descriptions_give_file_errors():
    tool = os.path.join(TOP, 'tools', 'sysgen', 'sysgen.py')
    for what, data, regex in NOT_TEXT:
        path = write_bytes(data)
        try:
            try:
                sysgen.load(path, IMAGES)
                return '%s: accepted' % what
            except sysgen.SysError as e:
                if not re.match(r'^%s: %s' % (re.escape(path), regex), str(e)):
                    return '%s: message %r does not match %r' % (what, str(e), regex)
            r = subprocess.run([sys.executable, tool, '--check', path], capture_output=True)
            err = r.stderr.decode('utf-8', 'replace')
            if r.returncode != 1 or 'Traceback' in err or ('%s: not a text file' % path) not in err:
                return '%s: status %d, stderr %r' % (what, r.returncode, err)
        finally:
            os.unlink(path)
    return None


def test_utf8_text_with_bom_and_non_ascii_comments_is_accepted():
    path = write_bytes(b'\xef\xbb\xbf# caf\xc3\xa9 \xe2\x9c\x93\n' + G.encode())
    try:
        s = sysgen.load(path, IMAGES)
    finally:
        os.unlink(path)
    return None if [g['name'] for g in s['guests']] == ['g'] else 'guests %r' % s['guests']


def test_systems_directory_is_valid():
    bad = []
    sysdir = os.path.join(TOP, 'systems')
    for f in sorted(os.listdir(sysdir)):
        if f.endswith('.sys'):
            try:
                sysgen.load(os.path.join(sysdir, f), IMAGES)
            except sysgen.SysError as e:
                bad.append(str(e))
    return '; '.join(bad) or None


def main():
    passed = failed = 0
    tests = [('rejects_' + n, lambda a=a: check_bad(*a)) for a in BAD for n in [a[0]]]
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
