#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Host tests of tools/sysgen (suite `sysgen`): good descriptions produce
the expected table, each bad one fails with its precise message at the
right line (every key, every limit, did-you-mean, the programs' symbols),
every description in systems/ is valid, and the build keeps a broken
description to its own target. The guest images and programs a description
may name are the build's (build/gen/registry.json, the first argument), not
a list kept here. Prints one `PASS|FAIL name` line per test, then
`N passed, N failed`."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
sys.path.insert(0, os.path.join(TOP, 'tools', 'sysgen'))
import elfsym  # noqa: E402
import sysgen  # noqa: E402

REGISTRY = os.path.join(TOP, 'build', 'gen', 'registry.json')
PLATFORM = os.path.join(TOP, sysgen.PLATFORM_DEVICES)


def read_registry(path):
    with open(path) as f:
        r = json.load(f)
    return set(r['images']), dict(r['programs']), list(r['systems'])


# What the descriptions below may name: the build's registry plus the test
# programs P, S (a server of endpoints) and C (a client).
BUILD_IMAGES, BUILD_PROGRAMS, BUILD_SYSTEMS = set(), {}, []
IMAGES = {'testguest'}
PROGRAMS = {'P': 'component', 'S': 'component', 'C': 'component', 'console': 'server'}
G = '[guest g]\nimage = testguest\n'   # a valid awaited guest, lines 1-2
K = '[component k]\nprogram = P\nawaited = yes\n'  # a valid awaited component, lines 1-3
# (test name, description, expected line, regex the message must match)
BAD = [
    ('unknown_key', G + 'colour = red\n', 3, r"unknown key 'colour' in \[guest g\]"),
    ('unknown_section', G + '[server x]\n', 3, r"unknown section kind 'server'"),
    ('malformed_header', G + '[guest\n', 3, r'malformed section header'),
    ('section_without_name', G + '[component]\n', 3, r'\[component\] needs a name'),
    ('key_outside_section', 'image = x\n' + G, 1, r"key 'image' outside a section"),
    ('not_key_value', G + 'priority\n', 3, r'expected `key = value`'),
    ('key_given_twice', G + 'image = testguest\n', 3, r"key 'image' given twice .*line 2"),
    ('system_twice', '[system]\n[system]\n' + G, 2, r'\[system\] given twice'),
    ('missing_required_key', G + '[guest h]\nram = 4M\n', 3, r"lacks the required key 'image'"),
    ('missing_program', G + '[component n]\n', 3, r"lacks the required key 'program'"),
    ('duplicate_name', G + '[guest g]\nimage = testguest\n', 3,
     r"duplicate name 'g' \(first defined on line 1\)"),
    ('duplicate_name_across_kinds', G + '[component g]\nprogram = P\n', 3, r"duplicate name 'g'"),
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
    ('previrt_bad_bool', G + 'previrt = sometimes\n', 3, r"previrt = 'sometimes': want yes or no"),
    ('stack_not_page_multiple', G + '[component n]\nprogram = P\nstack = 5K\n', 5,
     r'stack 5K of n: want a multiple of 4K in 4K\.\.1024K'),
    ('stack_too_big', G + '[component n]\nprogram = P\nstack = 2M\n', 5, r'stack 2M of n'),
    ('heap_too_big', G + '[component n]\nprogram = P\nheap = 65M\n', 5,
     r'heap 65M of n: want a multiple of 4K in 0K\.\.65536K'),
    ('heap_not_page_multiple', G + '[component n]\nprogram = P\nheap = 100\n', 5, r'heap 100 of n'),
    ('irq_kernel_reserved', G + '[component n]\nprogram = P\nirqs = 30\n', 5,
     r'IRQ 30 of n is reserved by the kernel'),
    ('irq_timer_reserved', G + '[component n]\nprogram = P\nirqs = 27\n', 5,
     r'IRQ 27 of n is PPI 27, the virtual timer: its registers are one set for the machine'),
    ('irq_claimed_twice', G + '[component n]\nprogram = P\nirqs = 40\n[component m]\nprogram = P\nirqs = 41 40\n',
     8, r'IRQ 40 of m is already claimed by n'),
    ('irq_claimed_twice_same', G + '[component n]\nprogram = P\nirqs = 40 40\n', 5,
     r'IRQ 40 of n is already claimed by n'),
    # The board's `irqs` table (devices.def): the kernel's plat_irq_user_ok too.
    ('irq_past_the_gic', G + '[component n]\nprogram = P\nirqs = 160\n', 5,
     r"IRQ 160 of n is past the interrupt controller's last line 159; user level may have "
     r'lines 32\.\.159 \(kernel/plat/qemu-virt/devices\.def\)$'),
    ('irq_far_past_the_gic', G + '[component n]\nprogram = P\nirqs = 1023\n', 5,
     r"IRQ 1023 of n is past the interrupt controller's last line 159;"),
    ('irq_sgi', G + '[component n]\nprogram = P\nirqs = 3\n', 5,
     r"IRQ 3 of n is an SGI \(software-generated, the kernel's\), not a device line; "
     r'user level may have lines 32\.\.159'),
    ('irq_sgi_0', G + '[component n]\nprogram = P\nirqs = 0\n', 5, r'IRQ 0 of n is an SGI'),
    ('irq_sgi_15', G + '[component n]\nprogram = P\nirqs = 15\n', 5, r'IRQ 15 of n is an SGI'),
    ('irq_ppi_16', G + '[component n]\nprogram = P\nirqs = 16\n', 5,
     r'IRQ 16 of n is a PPI the kernel keeps \(PMU 23, GIC maintenance 25, hypervisor timer '
     r'26\); user level may have lines 32\.\.159'),
    ('irq_ppi_26', G + '[component n]\nprogram = P\nirqs = 26\n', 5,
     r'IRQ 26 of n is a PPI the kernel keeps \(PMU'),
    ('irq_ppi_28', G + '[component n]\nprogram = P\nirqs = 28\n', 5,
     r"IRQ 28 of n is a PPI the kernel keeps \(the physical timers: 30 is the kernel's tick\)"),
    ('irq_ppi_29_without_timer_server', '[system]\ntimer_server = no\n' + G + 'irqs = 29\n', 5,
     r'IRQ 29 of g is a PPI the kernel keeps \(the physical timers'),
    ('irq_ppi_31', G + '[component n]\nprogram = P\nirqs = 31\n', 5,
     r'IRQ 31 of n is a PPI the kernel keeps'),
    ('irq_not_number', G + '[component n]\nprogram = P\nirqs = uart\n', 5, r"IRQ 'uart' of n is not a number"),
    ('too_many_irqs', G + '[component n]\nprogram = P\nirqs = ' + ' '.join(str(40 + i) for i in range(17)) + '\n', 5,
     r'n claims 17 IRQs; at most 16 per component'),
    ('guest_irq_kernel_reserved', G + 'irqs = 30\n', 3, r'IRQ 30 of g is reserved by the kernel'),
    ('guest_irq_timer_reserved', G + 'irqs = 27\n', 3,
     r'IRQ 27 of g is PPI 27, the virtual timer'),
    ('guest_irq_sgi', G + 'irqs = 15\n', 3, r'IRQ 15 of g is an SGI .*lines 32\.\.159'),
    ('guest_irq_ppi', G + 'irqs = 23\n', 3, r'IRQ 23 of g is a PPI the kernel keeps'),
    ('guest_irq_past_the_gic', G + 'irqs = 200\n', 3, r"IRQ 200 of g is past the interrupt"),
    ('guest_irq_not_number', G + 'irqs = 0x21\n', 3, r"IRQ '0x21' of g is not a number"),
    ('guest_irq_claimed_by_component', G + 'irqs = 40\n[component n]\nprogram = P\nirqs = 40\n', 6,
     r'IRQ 40 of n is already claimed by g'),
    ('component_irq_claimed_by_guest', '[component n]\nprogram = P\nirqs = 40\n' + G + 'irqs = 41, 40\n', 6,
     r'IRQ 40 of g is already claimed by n'),
    ('guest_irq_claimed_by_guest', G + 'irqs = 40\n[guest h]\nimage = testguest\nirqs = 40\n', 6,
     r'IRQ 40 of h is already claimed by g'),
    ('guest_too_many_irqs', G + 'irqs = 40 41 42 43 44 45 46 47 48\n', 3,
     r'g claims 9 IRQs; at most 8 per guest \(info page words 24\.\.31\)'),
    # Virtual lines (docs/vmm.md): channels + physical + software lines in 2..31.
    ('guest_soft_irqs_over_the_lines', G + 'soft_irqs = 23\nirqs = 40 41 42 43 44 45 46 47\n', 3,
     r'guest g: 0 channels \+ 8 physical lines \+ 23 software lines need 31 virtual lines; '
     r'a guest has 30 \(lines 2\.\.31'),
    ('guest_soft_irqs_over_with_channels', G + 'soft_irqs = 15\nirqs = 40 41 42 43 44 45 46 47\n' +
     ''.join('[guest h%d]\nimage = testguest\n[channel c%d]\na = g\nb = h%d\n' % (i, i, i)
             for i in range(8)), 3,
     r'guest g: 8 channels \+ 8 physical lines \+ 15 software lines need 31 virtual lines'),
    ('guest_soft_irqs_explicit_channel_index_counts', G + 'soft_irqs = 23\n[guest h]\n'
     'image = testguest\n[channel c]\na = g:7\nb = h\n', 3,
     r'guest g: 8 channels \+ 0 physical lines \+ 23 software lines need 31'),
    ('guest_soft_irqs_out_of_range', G + 'soft_irqs = 31\n', 3,
     r'soft_irqs 31 of g is out of range 0\.\.30'),
    ('guest_soft_irqs_not_a_number', G + 'soft_irqs = many\n', 3, r"soft_irqs = 'many': not a number"),
    ('previrt_guest_keeps_home_lines', G + 'previrt = yes\nsoft_irqs = 9\n', 4,
     r'guest g: a pre-virtualised guest keeps the home lines \(at most 8 software lines\)'),
    ('irq_30_reserved_without_timer_server', '[system]\ntimer_server = no\n' + G + 'irqs = 27 30\n',
     5, r'IRQ 30 of g is reserved by the kernel'),
    ('irq_27_refused_without_timer_server',  # no timer server frees nothing: 27 is no one's
     G + 'irqs = 27\n[component n]\nprogram = P\nirqs = 27\n[system]\ntimer_server = no\n', 6,
     r'IRQ 27 of n is PPI 27, the virtual timer'),
    ('timer_server_bad_bool', '[system]\ntimer_server = maybe\n' + G, 2,
     r"timer_server = 'maybe': want yes or no"),
    ('channel_unknown_end', G + '[channel c]\na = g\nb = nobody\n', 5,
     r"channel c names unknown b end 'nobody'"),
    ('channel_missing_end', G + '[channel c]\na = g\n', 3, r"lacks the required key 'b'"),
    ('channel_to_itself', G + '[channel c]\na = g\nb = g\n', 3, r'channel c connects g to itself'),
    ('channel_bad_end', G + '[guest h]\nimage = testguest\n[channel c]\na = g:x\nb = h\n', 6,
     r"want PARTY or PARTY:INDEX"),
    ('channel_index_out_of_range', G + '[guest h]\nimage = testguest\n[channel c]\na = g:8\nb = h\n',
     6, r'channel index 8 at g is out of range 0\.\.7'),
    ('channel_index_twice', G + '[guest h]\nimage = testguest\n[channel c]\na = g:1\nb = h\n'
     '[channel d]\na = g:1\nb = h\n', 9, r'channel d: index 1 at g is already used by channel c'),
    ('too_many_channels_per_guest',
     G + ''.join('[guest h%d]\nimage = testguest\n[channel c%d]\na = g\nb = h%d\n' % (i, i, i)
                 for i in range(9)),
     3 + 5 * 8 + 2, r'g has 9 channels; docs/vmm\.md allows at most 8 per guest'),
    ('too_many_guests', ''.join('[guest g%d]\nimage = testguest\n' % i for i in range(13)), 25,
     r'too many guests: 13, at most 12'),
    ('too_many_components', G + ''.join('[component n%d]\nprogram = P\n' % i for i in range(65)), 3 + 2 * 64,
     r'too many components: 65, at most 64'),
    ('console_name_taken', G + '[guest h]\nimage = testguest\nconsole = g\n', 5,
     r"console name 'g' of h is already used by g"),
    ('console_name_reserved', G + 'console = vmm\n', 3, r"console name 'vmm' of g is already used by the VMMs"),
    ('console_name_bad', G + 'console = a b\n', 3, r"bad console name 'a b'"),
    ('nothing_awaited', '[guest g]\nimage = testguest\nawaited = no\n', 1, r'no party is awaited'),
    ('empty_system', '# nothing\n', 1, r'no guest and no component'),
    ('system_takes_no_name', '[system demo]\n' + G, 1, r'\[system\] takes no name'),
]



# Components, endpoints, regions, devices, limits and did-you-mean.
SC = '[component s]\nprogram = S\n[component c]\nprogram = C\nawaited = yes\n'  # lines 1-5
BAD += [
    ('native_was_renamed', '[native n]\nentry = f\n' + G, 1,
     r"unknown section kind 'native' \(\[native\] is now \[component NAME\] with `program = PROGRAM`"),
    ('section_kind_did_you_mean', G + '[compnent n]\n', 3,
     r"unknown section kind 'compnent' \(did you mean 'component'\?; known: "),
    ('key_did_you_mean', G + 'prority = 3\n', 3,
     r"unknown key 'prority' in \[guest g\] \(did you mean 'priority'\? known: "),
    ('restart_did_you_mean_restarts', K + 'restart = 2\n', 4,
     r"unknown key 'restart' in \[component k\] \(did you mean 'restarts'\? known: "),
    ('component_key_did_you_mean', K + 'stak = 4K\n', 4,
     r"unknown key 'stak' in \[component k\] \(did you mean 'stack'\? known: "),
    ('unknown_program', G + '[component n]\nprogram = Q\n', 4,
     r"unknown program 'Q' of component n \(known: C, P, S, "),
    ('unknown_program_did_you_mean', G + '[component n]\nprogram = SS\n', 4,
     r"unknown program 'SS' of component n \(did you mean 'S'\? known: "),
    ('program_is_a_server', G + '[component n]\nprogram = console\n', 4,
     r"program 'console' of component n is a system server, not a component"),
    ('image_did_you_mean', '[guest g]\nimage = testgest\n', 2,
     r"unknown image 'testgest' of guest g \(did you mean 'testguest'\?"),
    ('component_restarts_out_of_range', K + 'restarts = 256\n', 4,
     r'restarts 256 of k is out of range 0\.\.255'),
    ('channel_end_did_you_mean', G + K + '[channel c]\na = g\nb = kk\n', 8,
     r"channel c names unknown b end 'kk' \(did you mean 'k'\?"),
    ('component_irq_id_not_a_number', K + 'irqs = 40:x\n', 4, r"IRQ '40:x' of k is not a number \(or LINE:ID\)"),
    ('guest_irq_has_no_id', G + 'irqs = 40:1\n', 3, r"IRQ '40:1' of g is not a number$"),
    ('irq_id_out_of_range', K + 'irqs = 40:64\n', 4, r'id 64 of IRQ 40 at k is out of range 0\.\.63'),
    ('id_used_twice', K + 'irqs = 40:2\n' + G + '[channel c]\na = g\nb = k:2\n', 9,
     r'id 2 at k is already that of IRQ 40 \(line 4\)'),
    ('endpoint_without_server', SC + '[endpoint e]\nclient = c badge 1\n', 6,
     r"lacks the required key 'server'"),
    ('endpoint_without_client', SC + '[endpoint e]\nserver = s\n', 6,
     r"lacks the required key 'client'"),
    ('endpoint_unknown_server', SC + '[endpoint e]\nserver = ss\nclient = c badge 1\n', 7,
     r"endpoint e names unknown server 'ss' \(did you mean 's'\?"),
    ('endpoint_unknown_client', SC + '[endpoint e]\nserver = s\nclient = cc badge 1\n', 8,
     r"endpoint e names unknown client 'cc' \(did you mean 'c'\?"),
    ('endpoint_client_syntax', SC + '[endpoint e]\nserver = s\nclient = c 1\n', 8,
     r"endpoint e: client = 'c 1': want COMPONENT\[:ID\] badge N"),
    ('endpoint_badge_zero', SC + '[endpoint e]\nserver = s\nclient = c badge 0\n', 8,
     r"badge '0' of a client: want 1\.\.16777215"),
    ('endpoint_badge_too_big', SC + '[endpoint e]\nserver = s\nclient = c badge 16777216\n', 8,
     r"badge '16777216' of a client: want 1\.\.16777215"),
    ('endpoint_badge_not_a_number', SC + '[endpoint e]\nserver = s\nclient = c badge one\n', 8,
     r"badge 'one' of a client"),
    ('endpoint_badges_must_differ', SC + '[component d]\nprogram = C\n[endpoint e]\nserver = s\n'
     'client = c badge 7\nclient = d badge 7\n', 11,
     r'endpoint e: badge 7 of d is already the badge of c \(line 10\): each client needs its own'),
    ('endpoint_client_twice', SC + '[endpoint e]\nserver = s\nclient = c badge 1\n'
     'client = c badge 2\n', 9, r'endpoint e: c is a client twice \(first on line 8\)'),
    ('endpoint_server_is_client', SC + '[endpoint e]\nserver = s\nclient = s badge 1\n'
     'client = c badge 2\n', 8, r'endpoint e: s is its server and a client'),
    ('endpoint_guest_server', G + SC + '[endpoint e]\nserver = g\nclient = c badge 1\n', 9,
     r'endpoint e: server g is a guest; only components have endpoints'),
    ('endpoint_guest_client', G + SC + '[endpoint e]\nserver = s\nclient = g badge 1\n', 10,
     r'endpoint e: client g is a guest; only components have endpoints'),
    ('endpoint_server_id_out_of_range', SC + '[endpoint e]\nserver = s:64\nclient = c badge 1\n', 7,
     r'id 64 of endpoint e \(server\) at s is out of range 0\.\.63'),
    ('too_many_ids', SC + ''.join('[endpoint e%d]\nserver = s\nclient = c badge 1\n' % i
                                  for i in range(65)), 6 + 3 * 64 + 1,
     r's has 65 ids \(channels, endpoint ends, interrupts\); at most 64 per component'),
    ('too_many_direct_lines',
     ''.join('[guest g%d]\nimage = testguest\n' % i for i in range(4)) + K +
     ''.join('[channel c%d]\na = g%d\nb = k\n' % (i, i % 4) for i in range(30)), 14 + 3 * 29,
     r'k needs 30 direct notification lines \(interrupts and channels to guests\); it has 29'),
    ('region_without_size', K + '[region r]\nk = rw\n', 4, r"\[region r\] lacks the required key 'size'"),
    ('region_size_not_pages', K + '[region r]\nsize = 5000\nk = rw\n', 5,
     r'size 5000 of r: want a multiple of 4K in 4K\.\.65536K'),
    ('region_too_big', K + '[region r]\nsize = 65M\nk = rw\n', 5, r'size 65M of r'),
    ('region_cached_bad_bool', K + '[region r]\nsize = 4K\ncached = maybe\nk = rw\n', 6,
     r"cached = 'maybe': want yes or no"),
    ('region_bad_perms', K + '[region r]\nsize = 4K\nk = w\n', 6,
     r"region r: k = 'w': want r or rw or rx or -"),
    ('region_unmapped_party_with_a_vaddr', K + '[region r]\nsize = 4K\nk = rw\n[component d]\n'
     'program = P\n[region r2]\nsize = 4K\nk = rw\nd = - buf\n', 12,
     r"region r2: d = - maps nothing, so it has no address for buf"),
    ('region_unmapped_party_told_nothing', K + '[region r]\nsize = 4K\nk = rw\nk2 = -\n'
     '[component k2]\nprogram = P\n', 7, r"region r: k2 = - neither maps it nor learns anything"),
    ('region_paddr_without_variable', K + '[region r]\nsize = 4K\nk = rw buf paddr\n', 6,
     r"region r: k = 'rw buf paddr': want `k = PERMS \[VARIABLE\] \[paddr VARIABLE\] "
     r"\[size VARIABLE\]`"),
    ('region_paddr_twice', K + '[region r]\nsize = 4K\nk = rw buf paddr a paddr b\n', 6,
     r"region r: k = 'rw buf paddr a paddr b': want"),
    ('region_paddr_variable_not_identifier', K + '[region r]\nsize = 4K\nk = rw paddr 1x\n', 6,
     r"region r: variable '1x' of k is not a C identifier"),
    ('region_only_told_is_mapped_by_no_one', K + '[region r]\nsize = 4K\nk = - paddr p\n', 4,
     r'region r is mapped by no component'),
    ('device_region_paddr', K + '[device d]\ndevice = uart0\nk = rw regs paddr p\n', 6,
     r"device d: k = 'rw regs paddr p': a device region's variable is its address; paddr and "
     r"size are for memory regions"),
    ('region_write_and_execute', K + '[region r]\nsize = 4K\nk = rwx\n', 6,
     r"k = 'rwx': a region is never writable and executable at once"),
    ('region_uncached_executable', K + '[region r]\nsize = 4K\ncached = no\nk = rx\n', 7,
     r'region r: k = rx: an uncached region is never executable'),
    ('region_unknown_party', K + '[region r]\nsize = 4K\nkk = rw\n', 6,
     r"unknown key or component 'kk' in \[region r\] \(did you mean 'k'\? keys: cached, size; "
     r"components: k\)"),
    ('region_misspelt_key', K + '[region r]\nsize = 4K\nchached = no\nk = rw\n', 6,
     r"unknown key or component 'chached' in \[region r\] \(did you mean 'cached'\?"),
    ('region_guest_party', G + K + '[region r]\nsize = 4K\ng = rw\nk = r\n', 8,
     r'region r: g is a guest; only components map memory regions'),
    ('region_variable_not_identifier', K + '[region r]\nsize = 4K\nk = rw 9lives\n', 6,
     r"region r: variable '9lives' of k is not a C identifier or NAME\[INDEX\]"),
    ('region_variable_bad_index', K + '[region r]\nsize = 4K\nk = rw buf[x]\n', 6,
     r"region r: variable 'buf\[x\]' of k is not a C identifier or NAME\[INDEX\]"),
    ('region_mapped_by_no_one', K + '[region r]\nsize = 4K\n', 4,
     r'region r is mapped by no component'),
    ('too_many_regions_per_component', K + ''.join('[region r%d]\nsize = 4K\nk = r\n' % i
                                                   for i in range(17)), 4 + 3 * 16 + 2,
     r'k maps 17 regions; at most 16 per component'),
    ('too_many_regions', ''.join('[component k%d]\nprogram = P\nawaited = yes\n' % i
                                 for i in range(9)) +
     ''.join('[region r%d]\nsize = 4K\nk%d = r\n' % (i, i % 9) for i in range(129)),
     28 + 3 * 128, r'too many regions and device regions: 129, at most 128'),
    ('region_window_full', K + ''.join('[region r%d]\nsize = 64M\nk = r\n' % i for i in range(4)),
     4 + 3 * 3, r'region r3 does not fit: the region window 0x50000000\.\.0x60000000 is full'),
    ('device_unknown', K + '[device d]\ndevice = uart1\nk = rw\n', 5,
     r"device region d names unknown board device 'uart1' \(did you mean 'uart0'\?"),
    ('device_executable', K + '[device d]\ndevice = uart0\nk = rx\n', 6,
     r"device d: k = 'rx': device regions are never executable"),
    ('device_cached_is_no_key', K + '[device d]\ndevice = uart0\ncached = yes\nk = rw\n', 6,
     r"unknown key or component 'cached' in \[device d\]"),
    ('device_shares_a_page', K + '[device a]\ndevice = virtio0\nk = rw\n[device b]\n'
     'device = virtio1\nk = rw\n', 7,
     r'device region b \(virtio1\) shares the page 0x0a000000 with device region a \(virtio0, line 4\)'),
    ('device_without_device', K + '[device d]\nk = rw\n', 4, r"\[device d\] lacks the required key 'device'"),
    # Devices passed through to guests, memory regions they cannot have.
    ('guest_device_with_variable', G + '[device d]\ndevice = gpio\ng = rw regs\n', 5,
     r"device d: g = 'rw regs': want r or rw \(a guest sees the device at its physical "
     r"address: no variable\)"),
    ('guest_device_executable', G + '[device d]\ndevice = gpio\ng = rx\n', 5,
     r"device d: g = 'rx': want r or rw"),
    ('previrt_guest_given_emulated_uart', G + 'previrt = yes\n[device d]\ndevice = uart0\ng = rw\n',
     6, r'device d: g is pre-virtualised, and its VMM emulates the PL011 at 0x09000000 '
     r'\(docs/previrt\.md\): it cannot also be passed through'),
    ('guest_memory_region', G + K + '[region r]\nsize = 4K\ng = rw\nk = r\n', 8,
     r'region r: g is a guest; only components map memory regions \(a guest may be given a '
     r'\[device\]\)'),
    ('guest_too_many_devices', G + ''.join('[device d%d]\ndevice = virtio%d\ng = rw\n'
                                            % (i, 8 * i) for i in range(4)) +
     ''.join('[device e%d]\ndevice = %s\ng = r\n' % (i, d)
             for i, d in enumerate(['uart0', 'rtc', 'gpio', 'fw_cfg', 'virtio1'])), 2 + 3 * 8 + 3,
     r'g is given 9 device regions; at most 8 per guest'),
    # The console as a channel party: only to a component, once, no index.
    ('console_channel_to_a_guest', G + '[channel c]\na = g\nb = console\n', 4,
     r"channel c: the console's peer g is a guest; the console writes through a serial driver "
     r"component"),
    ('console_channel_with_an_index', K + '[channel c]\na = k:1\nb = console:2\n', 6,
     r'channel c: the console end takes no index'),
    ('console_channel_twice', K + '[component k2]\nprogram = P\n[channel c]\na = k:1\n'
     'b = console\n[channel d]\na = k2:1\nb = console\n', 9,
     r'channel d: the console has a channel already \(c, line 6\)'),
    # Console input to a guest: one guest, and only with a serial driver.
    ('console_input_without_a_serial_driver', G + 'console_input = yes\n', 3,
     r'guest g: console_input needs a serial driver \(a channel to the party `console`\)'),
    ('console_input_twice', G + 'console_input = yes\n[guest h]\nimage = testguest\n'
     'console_input = yes\n' + K + '[channel c]\na = k:1\nb = console\n', 6,
     r"guest h: console_input is g's already; what is typed goes to one guest"),
    ('console_input_not_a_boolean', G + 'console_input = maybe\n', 3,
     r"console_input = 'maybe': want yes or no"),
    ('component_named_console', '[component console]\nprogram = P\nawaited = yes\n', 1,
     r"component console: the name 'console' is the console server's \(a channel party\)"),
    ('console_misspelt_party', K + '[channel c]\na = k:1\nb = consol\n', 6,
     r"channel c names unknown b end 'consol' \(did you mean 'console'\?"),
]


def write(text, suffix='.sys'):
    f = tempfile.NamedTemporaryFile('w', suffix=suffix, delete=False)
    f.write(text)
    f.close()
    return f.name


def load(text, elfs=None, images=None, programs=None):
    path = write(text)
    try:
        return sysgen.load(path, IMAGES if images is None else images,
                           PROGRAMS if programs is None else programs, PLATFORM, elfs)
    finally:
        os.unlink(path)


def check_bad(name, text, line, regex, elfs=None):
    path = write(text)
    try:
        sysgen.load(path, IMAGES, PROGRAMS, PLATFORM, elfs)
        return 'accepted, expected %s:%d: %s' % (path, line, regex)
    except sysgen.SysError as e:
        msgs = str(e).splitlines()
        want = re.compile(r'^%s:%d: .*%s' % (re.escape(path), line, regex))
        if any(want.match(m) for m in msgs):
            return None
        return 'messages %r do not include line %d matching %r' % (msgs, line, regex)
    finally:
        os.unlink(path)


# --- programs' ELF files (fake ones: only their symbols matter) ----------------
ELFDIR = tempfile.mkdtemp(prefix='sysgen-test-')


def elf(name, funcs=('init',), objs=(), extra=()):
    """A fake program: global functions `funcs`, global writable 4-byte
    objects `objs`, and `extra` symbols as elfsym.write_test_elf takes them."""
    path = os.path.join(ELFDIR, name + '.elf')
    syms = [(f, 0x20000100 + 16 * i, 8, 'func', True, False) for i, f in enumerate(funcs)]
    syms += [(o, 0x20001000 + 4 * i, 4, 'object', True, True) for i, o in enumerate(objs)]
    elfsym.write_test_elf(path, syms + list(extra))
    return path


def good_elfs():
    return {'P': elf('P', ('init', 'notified'), ('uart_regs',)),
            'S': elf('S', ('init', 'protected'), ('kv_data',)),
            'C': elf('C', ('init', 'notified'), ('kv_view',))}


FULL = '''# a comment
[system]
test_report = yes

[guest alpha]
image = testguest
ram = 2M
priority = 120
restarts = 2
console = a
irqs = 35
previrt = yes

[guest beta]
image = testguest
awaited = no

[component drv]
program = P
priority = 110
stack = 16K
heap = 64K
irqs = 33, 34:5
vmm_control = yes
machine = yes
restarts = 3

[component store]
program = S

[component cli]
program = C
awaited = yes

[channel ab]
a = alpha
b = beta:3

[channel ad]
a = alpha
b = drv

[channel bd]
a = beta
b = drv:7

[channel dc]
a = drv
b = cli

[endpoint kv]
server = store:2
client = cli badge 11
client = drv:9 badge 12

[region shared]
size = 8K
store = rw kv_data
cli = r kv_view

[region dma]
size = 4K
cached = no
drv = rw

[device uart]
device = uart0
drv = rw uart_regs
'''


def test_full_description_generates_table():
    c = sysgen.generate_c(load(FULL, good_elfs()), 'systems/full.sys')
    want = [
        'Generated by tools/sysgen/sysgen.py from systems/full.sys: do not edit.',
        'SYS_IMAGE_DECL(sysimg_testguest);', 'SYS_IMAGE_DECL(sysprog_P);',
        'SYS_IMAGE_DECL(sysprog_console);', 'SYS_IMAGE_DECL(sysprog_vmm);',
        'SYS_IMAGE_DECL(sysprog_vtimer);',
        '{.name = "alpha", .console = "a", .priority = 120, SYS_IMAGE(sysimg_testguest), '
        '.ram_size = 0x200000, .auto_restarts = 2, .awaited = 1, .irqs = {35}, .nirqs = 1, '
        '.previrt = 1, .console_input = 0, .line_chan = 8, .line_phys = 16, .line_soft = 24, '
        '.nsoft = 4}',
        '{.name = "beta", .console = "beta", .priority = 100, SYS_IMAGE(sysimg_testguest), '
        '.ram_size = 0x400000, .auto_restarts = 0, .awaited = 0, .irqs = {}, .nirqs = 0, '
        '.previrt = 0, .console_input = 0, .line_chan = 8, .line_phys = 16, .line_soft = 24, '
        '.nsoft = 4}',
        # drv: explicit ids kept (irq 34 -> 5, bd -> 7, kv -> 9); the others take the lowest
        # free one in file order (irq 33 -> 0, ad -> 1, dc -> 2). Direct lines first for
        # interrupts and channels to guests, by id; then the rest.
        '{.id = 0, .kind = COMP_ID_IRQ, .line = 1, .irq = 33} /* IRQ 33 */',
        '{.id = 1, .kind = COMP_ID_CHANNEL, .line = 2, .channel = 1} /* channel ad */',
        '{.id = 2, .kind = COMP_ID_CHANNEL, .line = 5, .channel = 3} /* channel dc */',
        '{.id = 5, .kind = COMP_ID_IRQ, .line = 3, .irq = 34} /* IRQ 34 */',
        '{.id = 7, .kind = COMP_ID_CHANNEL, .line = 4, .channel = 2} /* channel bd */',
        '{.id = 9, .kind = COMP_ID_CLIENT, .server = 1, .server_id = 2, .badge = 12}',
        '{.id = 2, .kind = COMP_ID_SERVER} /* endpoint kv (server) */',
        '{.id = 0, .kind = COMP_ID_CHANNEL, .line = 1, .channel = 3} /* channel dc */',
        '{.id = 1, .kind = COMP_ID_CLIENT, .server = 1, .server_id = 2, .badge = 11}',
        '{.name = "drv", .console = "drv", .program = "P", SYS_ELF(sysprog_P), .priority = 110, '
        '.stack_size = 0x4000, .heap_size = 0x10000, .restarts = 3, .awaited = 0, '
        '.vmm_control = 1, .machine = 1, .serves = 0, .ids = ids_0, .nids = 6, .setvars = setvars_0, '
        '.nsetvars = 1}',
        '.awaited = 0, .vmm_control = 0, .machine = 0, .serves = 1, .ids = ids_1, .nids = 1',
        # explicit guest channel indexes are kept, the others take the lowest free one
        '{.a = 0, .a_index = 0, .a_line = 8, .b = 1, .b_index = 3, .b_line = 11} /* ab */',
        '{.a = 0, .a_index = 1, .a_line = 9, .b = SYS_COMPONENT(0), .b_index = 1, .b_line = 2} /* ad */',
        '{.a = 1, .a_index = 0, .a_line = 8, .b = SYS_COMPONENT(0), .b_index = 7, .b_line = 4} /* bd */',
        '{.a = SYS_COMPONENT(0), .a_index = 2, .a_line = 5, .b = SYS_COMPONENT(2), .b_index = 0, '
        '.b_line = 1} /* dc */',
        # regions at one address for every party, a guard page between them
        '{.name = "shared", .vaddr = 0x50000000, .size = 0x2000, .flags = 0}',
        '{.name = "dma", .vaddr = 0x50003000, .size = 0x1000, .flags = COMP_REGION_UNCACHED}',
        '{.name = "uart", .vaddr = 0x48000000, .size = 0x1000, .flags = COMP_REGION_UNCACHED | '
        'COMP_REGION_DEVICE, .paddr = 0x09000000, .device = "uart0"}',
        '{.region = 0, .comp = 1, .flags = COMP_REGION_WRITE} /* shared: store rw */',
        '{.region = 0, .comp = 2, .flags = 0} /* shared: cli r */',
        '{.region = 1, .comp = 0, .flags = COMP_REGION_WRITE} /* dma: drv rw */',
        # the variables: each program's symbol, the region's address
        '{.vaddr = 0x20001000, .value = 0x48000000} /* uart_regs = &uart */',
        '{.vaddr = 0x20001000, .value = 0x50000000} /* kv_data = &shared */',
        '{.vaddr = 0x20001000, .value = 0x50000000} /* kv_view = &shared */',
        '.test_done_line = 1,', '.timer_server = 1,', '.vmm = {SYS_ELF(sysprog_vmm)},',
    ]
    missing = [w for w in want if w not in c]
    return 'missing from the table: %r\n%s' % (missing, c) if missing else None


def test_badge_is_encoded_with_the_server_id_in_the_root():
    # The root mints COMP_BADGE(server_id, badge); the table carries both.
    s = load(FULL, good_elfs())
    ep = s['endpoints'][0]
    got = [(c['comp']['name'], c['badge'], c['entry']['id']) for c in ep['clients']]
    return None if got == [('cli', 11, 1), ('drv', 12, 9)] else 'clients %r' % got


def test_regions_are_aligned_to_their_frame_size():
    # 4K at the base, then 1M (aligned to 1 MiB after the guard page), then 64K.
    s = load(K + '[region a]\nsize = 4K\nk = r\n[region b]\nsize = 2M\nk = r\n'
             '[region c]\nsize = 64K\nk = r\n')
    got = [r['vaddr'] for r in s['regions']]
    want = [0x50000000, 0x50100000, 0x50310000]
    return None if got == want else 'addresses %s' % [hex(v) for v in got]


def test_device_variable_points_into_the_page():
    # A device that does not start a page: the variable gets the register address.
    s = load(K + '[device v]\ndevice = virtio3\nk = rw regs\n')
    r = s['regions'][0]
    want = (0x48000000, 0x1000, 0x48000600)
    got = (r['vaddr'], r['size'], r['var_value'])
    return None if got == want else 'region %r, want %r' % (got, want)


def test_lines_beyond_the_direct_ones_use_the_extra_notifications():
    text = K + ''.join('[component p%d]\nprogram = P\n[channel c%d]\na = k\nb = p%d\n' % (i, i, i)
                       for i in range(40))
    s = load(text)
    lines = sorted(e['line_bit'] for e in s['components'][0]['ids'])
    want = list(range(1, 30)) + list(range(32, 43))
    return None if lines == want else 'lines %r' % lines


def test_guest_lines_are_laid_out_from_the_description():
    # (description, (channel, physical, software first line, software lines))
    cases = [
        (G, (8, 16, 24, 4)),                                   # the homes
        (G + 'soft_irqs = 8\n', (8, 16, 24, 8)),
        (G + 'soft_irqs = 16\nirqs = 40\n[guest h]\nimage = testguest\n'
         '[channel c]\na = g\nb = h\n', (8, 15, 16, 16)),   # physical below its home
        (G + 'soft_irqs = 22\nirqs = 40 41 42 43 44 45 46 47\n', (2, 2, 10, 22)),  # exactly 30
        (G + 'soft_irqs = 14\nirqs = 40 41 42 43 44 45 46 47\n' +
         ''.join('[guest h%d]\nimage = testguest\n[channel c%d]\na = g\nb = h%d\n' % (i, i, i)
                 for i in range(8)), (2, 10, 18, 14)),
        (G + 'soft_irqs = 0\n', (8, 16, 24, 0)),
    ]
    for text, want in cases:
        s = load(text)
        g = s['guests'][0]['lines']
        got = (g['chan'], g['phys'], g['soft'], g['nsoft'])
        if got != want:
            return 'lines %r, want %r for %r' % (got, want, text)
        ends = [e for c in s['channels'] for e in c['ends'] if e['party'] == 'g']
        if any(e['line_bit'] != g['chan'] + e['index'] for e in ends):
            return 'channel lines %r, first %d' % ([e['line_bit'] for e in ends], g['chan'])
        table = sysgen.generate_c(s, 'x.sys')
        if '.line_chan = %d, .line_phys = %d, .line_soft = %d, .nsoft = %d}' % want not in table:
            return 'table lacks the lines %r' % (want,)
    return None


def test_limits_are_reached_exactly():
    # 64 components; 64 ids at one component (endpoints); 16 IRQs; 16 regions.
    text = ''.join('[component k%d]\nprogram = P\nawaited = yes\n' % i for i in range(64))
    s = load(text)
    if len(s['components']) != 64:
        return '64 components: %d' % len(s['components'])
    text = SC + ''.join('[endpoint e%d]\nserver = s\nclient = c badge 1\n' % i for i in range(64))
    s = load(text)
    ids = sorted(e['id'] for e in s['components'][0]['ids'])
    if ids != list(range(64)):
        return '64 ids: %r' % ids
    s = load(K + 'irqs = ' + ' '.join(str(40 + i) for i in range(16)) + '\n' +
             ''.join('[region r%d]\nsize = 4K\nk = r\n' % i for i in range(16)))
    return None if len(s['components'][0]['maps']) == 16 else 'regions %r' % s['regions']


def test_minimal_guest_gets_defaults():
    s = load(G)
    g = s['guests'][0]
    got = (g['ram'], g['priority'], g['console'], g['awaited'], g['restarts'], s['test_report'])
    want = (4 << 20, 100, 'g', True, 0, False)
    return None if got == want else 'defaults %r, want %r' % (got, want)


def test_minimal_component_gets_defaults():
    c = load(K)['components'][0]
    got = (c['priority'], c['console'], c['stack'], c['heap'], c['restarts'], c['vmm_control'],
           c['machine'], c['ids'], c['serves'])
    want = (100, 'k', 16 << 10, 0, 0, False, False, [], False)
    return None if got == want else 'defaults %r, want %r' % (got, want)


def test_all_errors_reported_at_once():
    path = write(G + 'colour = red\npriority = 999\n[channel c]\na = g\nb = x\n')
    try:
        sysgen.load(path, IMAGES, PROGRAMS, PLATFORM)
        return 'accepted'
    except sysgen.SysError as e:
        n = len(str(e).splitlines())
        return None if n == 3 else 'got %d messages, want 3: %s' % (n, e)
    finally:
        os.unlink(path)


# Checks that need the programs' ELF files (the build passes them when it
# generates a table): (name, description, elfs, line, regex).
ELF_BAD = [
    ('program_without_init', K, lambda: {'P': elf('P0', ('main',))}, 2,
     r'program P \(.*P0\.elf\) of component k defines no function `init`, but every component '
     r'has one'),
    ('server_without_protected', SC + '[endpoint e]\nserver = s\nclient = c badge 1\n',
     lambda: dict(good_elfs(), S=elf('S0', ('init',))), 7,
     r'program S \(.*\) of component s defines no function `protected`, but it serves endpoint e'),
    ('notified_component_without_notified', K + 'irqs = 40\n',
     lambda: {'P': elf('P1', ('init',))}, 4,
     r'defines no function `notified`, but it can be notified \(IRQ 40\)'),
    ('init_must_be_a_global_function', K,
     lambda: {'P': elf('P2', (), (), [('init', 0x20000100, 8, 'func', False, False)])}, 2,
     r'defines no function `init`'),
    ('setvar_missing_variable', K + '[region r]\nsize = 4K\nk = rw kv_dat\n',
     lambda: {'P': elf('P3', ('init',), ('kv_data',))}, 6,
     r"program P \(.*\) has no variable `kv_dat` \(did you mean 'kv_data'\?"),
    ('setvar_static_variable', K + '[region r]\nsize = 4K\nk = rw buf\n',
     lambda: {'P': elf('P4', ('init',), (), [('buf', 0x20001000, 4, 'object', False, True)])}, 6,
     r'variable `buf` of program P is static: make it global'),
    ('setvar_wrong_size', K + '[region r]\nsize = 4K\nk = rw buf\n',
     lambda: {'P': elf('P5', ('init',), (), [('buf', 0x20001000, 8, 'object', True, True)])}, 6,
     r'variable `buf` of program P must be a writable, aligned 4-byte word .* it is 8 bytes'),
    ('setvar_read_only', K + '[region r]\nsize = 4K\nk = rw buf\n',
     lambda: {'P': elf('P6', ('init',), (), [('buf', 0x20000200, 4, 'object', True, False)])}, 6,
     r'it is 4 bytes at 0x20000200 in a read-only section'),
    ('setvar_unaligned', K + '[region r]\nsize = 4K\nk = rw buf\n',
     lambda: {'P': elf('P7', ('init',), (), [('buf', 0x20001002, 4, 'object', True, True)])}, 6,
     r'must be a writable, aligned 4-byte word'),
    ('setvar_array_index_outside', K + '[region r]\nsize = 4K\nk = rw bufs[4]\n',
     lambda: {'P': elf('P9', ('init',), (), [('bufs', 0x20001000, 16, 'object', True, True)])}, 6,
     r'variable bufs\[4\] of program P is outside its 16 bytes \(4 words\)'),
    ('setvar_array_of_odd_size', K + '[region r]\nsize = 4K\nk = rw bufs[0]\n',
     lambda: {'P': elf('P10', ('init',), (), [('bufs', 0x20001000, 6, 'object', True, True)])},
     6, r'or an array of them; it is 6 bytes'),
    ('setvar_set_twice', K + '[region r]\nsize = 4K\nk = rw buf\n[region q]\nsize = 4K\nk = r buf\n',
     lambda: {'P': elf('P8', ('init',), ('buf',))}, 9,
     r'variable buf of k is already set by region r \(line 6\)'),
    ('program_elf_unreadable', K, lambda: {'P': write('not an elf', '.elf')}, 2,
     r'program P of k: .* cannot be read: not an ELF file'),
]


def test_elf_checks():
    bad = []
    for name, text, elfs, line, regex in ELF_BAD:
        why = check_bad(name, text, line, regex, elfs())
        if why:
            bad.append('%s: %s' % (name, why))
    return '; '.join(bad) or None


def test_elf_checks_pass_for_good_programs():
    load(FULL, good_elfs())
    return None


def test_setvar_array_element():
    s = load(K + '[region r]\nsize = 4K\nk = rw bufs[3]\n',
             {'P': elf('P11', ('init',), (), [('bufs', 0x20001010, 16, 'object', True, True)])})
    mp = s['components'][0]['maps'][0]
    return None if mp['var_addr'] == 0x2000101c else 'address 0x%x' % mp['var_addr']


def test_paddr_and_size_variables_of_a_dma_region():
    # A driver told where a client's buffer is without mapping it: its
    # physical address (written by the root, which made the region) and size.
    text = K + '[component c]\nprogram = P\n[region buf]\nsize = 64K\ncached = no\n' \
        'c = rw data size data_size\nk = - paddr bufs[1] size sizes[1]\n'
    elfs = {'P': elf('P12', ('init',), ('data', 'data_size'),
                     [('bufs', 0x20002000, 8, 'object', True, True),
                      ('sizes', 0x20002010, 8, 'object', True, True)])}
    s = load(text, elfs)
    table = sysgen.generate_c(s, 'x.sys')
    want = ['{.vaddr = 0x20001000, .value = 0x50000000} /* data = &buf */',
            '{.vaddr = 0x20001004, .value = 0x00010000} /* data_size = size of buf */',
            '{.vaddr = 0x20002004, .paddr_of = 1} /* bufs[1] = paddr of buf */',
            '{.vaddr = 0x20002014, .value = 0x00010000} /* sizes[1] = size of buf */']
    missing = [w for w in want if w not in table]
    maps = re.findall(r'\{\.region = 0, \.comp = (\d+),', table)
    if missing:
        return 'missing %r' % missing
    # Only the client maps it; the driver is only told.
    return None if maps == ['1'] else 'maps of the region for components %r' % maps


def test_paddr_variable_must_exist_in_the_program():
    text = K + '[region buf]\nsize = 4K\nk = rw data paddr nowhere\n'
    try:
        load(text, {'P': elf('P13', ('init',), ('data',))})
        return 'accepted'
    except sysgen.SysError as e:
        return None if "has no variable `nowhere`" in str(e) else str(e)


def test_guest_device_is_passed_through_at_its_physical_address():
    s = load(G + '[device d]\ndevice = gpio\ng = rw\n')
    table = sysgen.generate_c(s, 'x.sys')
    want = '{.region = 0, .comp = 0, .flags = COMP_REGION_WRITE, .guest = 1} /* d: g rw */'
    return None if want in table else 'no guest map in the table:\n' + table


def test_previrt_guest_may_be_given_other_devices():
    # Only what its VMM emulates is refused; uart0 is fine for a paravirtual guest.
    s = load(G + 'previrt = yes\n[device d]\ndevice = gpio\ng = rw\n')
    t = load(G + '[device d]\ndevice = uart0\ng = rw\n')
    return None if s['guests'][0]['maps'] and t['guests'][0]['maps'] else 'maps missing'


def test_console_channel_gives_the_console_line_0():
    s = load(K + '[channel serial]\na = k:1\nb = console\n')
    ends = {e['party']: e for e in s['channels'][0]['ends']}
    table = sysgen.generate_c(s, 'x.sys')
    if ends['console']['line_bit'] != 0 or '.b = SYS_CONSOLE_PARTY' not in table:
        return 'console end %r' % ends['console']
    ids = [e for e in s['components'][0]['ids'] if e['kind'] == 'channel']
    return None if ids and ids[0]['id'] == 1 else 'driver ids %r' % ids


def test_console_input_goes_to_the_table():
    s = load(G + 'console_input = yes\n' + K + '[channel serial]\na = k:1\nb = console\n')
    table = sysgen.generate_c(s, 'x.sys')
    return None if '.console_input = 1' in table else 'no console_input in the table'


def test_platgen_rounds_to_pages_and_merges_what_touches():
    import platgen
    devs = {'a': {'paddr': 0x09020000, 'size': 0x18}, 'b': {'paddr': 0x0a000200, 'size': 0x200},
            'c': {'paddr': 0x0a000000, 'size': 0x200}, 'd': {'paddr': 0x0a001000, 'size': 0x1000},
            'e': {'paddr': 0x10000000, 'size': 0x2eff0000}}
    got = platgen.ranges(devs)
    want = [('a', 'a', 0x09020000, 0x1000), ('c', 'd', 0x0a000000, 0x2000),
            ('e', 'e', 0x10000000, 0x2eff0000)]
    return None if got == want else 'ranges %r' % got


def test_platgen_covers_every_board_device():
    import platgen
    devs = sysgen.read_platform(PLATFORM)
    rs = platgen.ranges(devs)
    bad = [n for n, d in devs.items()
           if not any(b <= d['paddr'] and d['paddr'] + d['size'] <= b + z for _, _, b, z in rs)]
    c = platgen.generate(devs, 'devices.def', sysgen.read_irq_lines(PLATFORM))
    return ('not covered: %r' % bad if bad else
            None if '{"virtio0..virtio31", 0x0a000000u, 0x00004000u},' in c else c)


def irq_accepted(n, platform=PLATFORM):
    """Whether sysgen lets a component have line n (the timer server off)."""
    path = write('[system]\ntimer_server = no\n' + K + 'irqs = %d\n' % n)
    try:
        sysgen.load(path, IMAGES, PROGRAMS, platform)
        return True
    except sysgen.SysError:
        return False
    finally:
        os.unlink(path)


def test_irq_lines_sysgen_and_kernel_agree():
    # One table: sysgen accepts exactly the lines whose bit is set in the
    # kernel's generated plat_irq_user_lines (and 30, the tick, is not one).
    import platgen
    lines = sysgen.read_irq_lines(PLATFORM)
    count, words = platgen.user_words(lines)
    kernel = {n for n in range(count) if words[n // 32] >> (n % 32) & 1}
    got = {n for n in range(count + 64) if irq_accepted(n)}
    c = platgen.generate(sysgen.read_platform(PLATFORM), 'devices.def', lines)
    if got != kernel:
        return 'sysgen accepts %s, the kernel %s' % (sorted(got ^ kernel), sorted(kernel ^ got))
    if kernel != set(range(32, 160)) or 30 in kernel or 27 in kernel:
        return 'the board\'s user lines are %r' % sorted(kernel)
    want = '#define USER_WORD(w) ((w) == 0 ? 0x00000000u : (w) == 1 ? 0xffffffffu'
    return None if want in c and 'STATIC_ASSERT(PLAT_IRQ_MAX == 160u' in c else c


def test_irq_line_made_the_kernels_by_one_word():
    # One word of devices.def decides a line for both sides: the virtual
    # timer PPI, the kernel's, turned `user` in a copy is accepted by sysgen
    # and set in the kernel's table (what a board whose PL0 may program its
    # timer would do); the real table refuses it on both sides.
    import platgen
    text = open(PLATFORM).read()
    new = re.sub(r'^(irqs\s+27\s+27\s+)kernel', r'\1user', text, flags=re.M)
    if new == text:
        return 'no `irqs 27 27 kernel` line in %s' % PLATFORM
    path = write(new, '.def')
    try:
        words = platgen.user_words(sysgen.read_irq_lines(path))[1]
        if not irq_accepted(27, path) or not irq_accepted(32, path) or words[0] != 1 << 27:
            return '27 not user level\'s in the copy: words %r' % words
        if irq_accepted(27) or platgen.user_words(sysgen.read_irq_lines(PLATFORM))[1][0] != 0:
            return '27 user level\'s in the real table'
        return None
    finally:
        os.unlink(path)


def test_irq_table_malformed_is_refused():
    base = 'device a 0x1000 0x1000 - "a"\n'
    cases = [('irqs 0 15 kernel "x"\nirqs 17 20 user "y"\n', r':3: lines 17\.\.20: .*next: 16'),
             ('irqs 0 15 kernel "x"\nirqs 10 20 user "y"\n', r':3: lines 10\.\.20'),
             ('irqs 1 15 kernel "x"\n', r':2: lines 1\.\.15: .*next: 0'),
             ('irqs 0 15 nobody "x"\n', r':2: want `irqs FIRST LAST kernel\|user'),
             ('irqs 0 x kernel "x"\n', r':2: want `irqs'),
             ('', r'no `irqs` line')]
    for text, regex in cases:
        path = write(base + text, '.def')
        try:
            sysgen.read_irq_lines(path)
            return 'accepted %r' % text
        except sysgen.SysError as e:
            if not re.search(regex, str(e)):
                return '%r: %s' % (text, e)
        finally:
            os.unlink(path)
    return None


def test_table_needs_the_elf_for_variables():
    try:
        sysgen.generate_c(load(FULL), 'x.sys')
        return 'generated without ELF files'
    except sysgen.SysError as e:
        return None if 'needs the ELF of program' in str(e) else str(e)


def test_cli_exit_status_and_outputs():
    elfs = good_elfs()
    good, bad = write(FULL), write(G + 'ram = 3M\n')
    out = tempfile.mkdtemp()
    try:
        tool = os.path.join(TOP, 'tools', 'sysgen', 'sysgen.py')
        args = sum((['--image', '%s=build/%s.elf' % (i, i)] for i in sorted(IMAGES)), [])
        args += sum((['--program', '%s=%s:%s' % (n, k, elfs.get(n, '/none'))]
                     for n, k in sorted(PROGRAMS.items())), [])
        r = subprocess.run([sys.executable, tool, good, '-o', out + '/t.c'] + args,
                           capture_output=True, text=True)
        if r.returncode != 0:
            return 'good description: status %d: %s' % (r.returncode, r.stderr)
        if 'kv_view = &shared' not in open(out + '/t.c').read():
            return 'table lacks the variables'
        r = subprocess.run([sys.executable, tool, '--check', bad] + args,
                           capture_output=True, text=True)
        if r.returncode != 1 or ':3: RAM size' not in r.stderr:
            return 'bad description: status %d, stderr %r' % (r.returncode, r.stderr)
        r = subprocess.run([sys.executable, tool, '--check', good, '--program', 'P=driver:x'],
                           capture_output=True, text=True)
        if r.returncode != 2 or 'NAME=component:ELF' not in r.stderr:
            return 'bad --program: status %d, stderr %r' % (r.returncode, r.stderr)
        return None
    finally:
        os.unlink(good)
        os.unlink(bad)
        shutil.rmtree(out)


def test_timer_server_no_frees_no_line():
    # Without the timer server nothing changes for the lines (it holds none:
    # it runs on its thread's kernel timer); only the timer slots are empty.
    c = sysgen.generate_c(load(G + 'irqs = 40\n[system]\ntimer_server = no\n'), 'systems/t.sys')
    want = ['.irqs = {40}, .nirqs = 1, .previrt = 0, .console_input = 0, .line_chan = 8', '.timer_server = 0,', '.timer = {0},']
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
                sysgen.load(path, IMAGES, PROGRAMS, PLATFORM)
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
        s = sysgen.load(path, IMAGES, PROGRAMS, PLATFORM)
    finally:
        os.unlink(path)
    return None if [g['name'] for g in s['guests']] == ['g'] else 'guests %r' % s['guests']


# --- the descriptions of systems/ and the build ---------------------------------
def validate_directory(sysdir, registry):
    """Every .sys of sysdir against what the build registered."""
    images, programs, _ = read_registry(registry)
    bad = []
    for f in sorted(os.listdir(sysdir)):
        if f.endswith('.sys'):
            try:
                sysgen.load(os.path.join(sysdir, f), images, programs, PLATFORM)
            except sysgen.SysError as e:
                bad.append(str(e))
    return '; '.join(bad) or None


def test_systems_directory_is_valid():
    return validate_directory(os.path.join(TOP, 'systems'), REGISTRY)


def test_build_registers_every_system_of_the_directory():
    files = sorted(f[:-4] for f in os.listdir(os.path.join(TOP, 'systems')) if f.endswith('.sys'))
    return None if files == sorted(BUILD_SYSTEMS) else 'systems/ %r, build %r' % (files,
                                                                                   BUILD_SYSTEMS)


def tree_copy():
    """A copy of the source tree (no build/, no .git) to run SCons in."""
    dst = tempfile.mkdtemp(prefix='sysgen-tree-')
    for d in os.listdir(TOP):
        if d in ('build', '.git'):
            continue
        src = os.path.join(TOP, d)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dst, d),
                            ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
        else:
            shutil.copy2(src, dst)
    return dst


def scons(tree, *args):
    return subprocess.run(['scons', '-Q'] + list(args), cwd=tree, capture_output=True, text=True,
                          timeout=300)


def test_broken_description_fails_only_its_own_target():
    tree = tree_copy()
    try:
        with open(os.path.join(tree, 'systems', 'zz-broken.sys'), 'w') as f:
            f.write('[guest g]\nimage = testguest\ncolour = red\n')
        r = scons(tree, '-n', 'build/images/demo.elf')
        if r.returncode != 0:
            return 'an unrelated target failed: %s' % r.stderr[-2000:]
        r = scons(tree, 'build/images/zz-broken.elf')
        if r.returncode == 0 or "zz-broken.sys:3: unknown key 'colour'" not in r.stderr:
            return 'the broken target: status %d, stderr %r' % (r.returncode, r.stderr[-2000:])
        return None
    finally:
        shutil.rmtree(tree)


def test_system_added_the_documented_way_is_built_and_checked():
    # docs/system.md: a guest image is registered where it is built
    # (l4build.guest_image), a system is a new .sys file in systems/.
    tree = tree_copy()
    try:
        with open(os.path.join(tree, 'servers', 'vmm', 'testguest', 'SConscript'), 'a') as f:
            f.write("l4build.guest_image('zz-guest', elf[0])\n")
        with open(os.path.join(tree, 'systems', 'zz-new.sys'), 'w') as f:
            f.write('[guest g]\nimage = zz-guest\n[component k]\nprogram = pingpong\n')
        r = scons(tree, 'build/gen/registry.json')
        if r.returncode != 0:
            return 'registry: %s' % r.stderr[-2000:]
        registry = os.path.join(tree, 'build', 'gen', 'registry.json')
        images, _, systems = read_registry(registry)
        if 'zz-guest' not in images or 'zz-new' not in systems:
            return 'registry lacks the new image or system: %r %r' % (images, systems)
        why = validate_directory(os.path.join(tree, 'systems'), registry)
        if why:
            return why
        r = scons(tree, '-n', 'build/images/zz-new.elf')
        if r.returncode != 0 or 'build/gen/systems/zz-new.c' not in r.stdout:
            return 'new system: status %d: %s' % (r.returncode, (r.stdout + r.stderr)[-2000:])
        return None
    finally:
        shutil.rmtree(tree)


def main():
    global BUILD_IMAGES, BUILD_PROGRAMS, BUILD_SYSTEMS, REGISTRY
    if len(sys.argv) > 1:
        REGISTRY = sys.argv[1]
    BUILD_IMAGES, BUILD_PROGRAMS, BUILD_SYSTEMS = read_registry(REGISTRY)
    IMAGES.update(BUILD_IMAGES)
    for n, k in BUILD_PROGRAMS.items():
        PROGRAMS.setdefault(n, k)
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
    shutil.rmtree(ELFDIR, ignore_errors=True)
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
