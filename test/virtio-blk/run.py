#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The virtio-blk suite, end to end: boot the test image twice on one disk
image and check the image's bytes from the host.

  run.py IMAGE DISK

1. DISK is created: 1 MiB of random bytes (its first word is the seed of
   the pattern, test/virtio-blk/blktest.h).
2. First boot: the client finds no pattern, writes it, reads it back, sends
   malformed requests (all refused). The image must then hold the pattern in
   its blocks and be unchanged everywhere else, byte for byte: the malformed
   requests left no trace.
3. Second boot: the client finds the pattern and checks it. The image must
   be unchanged by that boot.
Prints `[test] PASS|FAIL name` for every check (the guests' own and the
host's) and ends with `N passed, N failed`.
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..',
                                'tools', 'qemurun'))
import qemurun  # noqa: E402

BLOCK = 512
BLOCKS = 2048
PAT_FIRST, PAT_BLOCKS = 8, 40  # test/components/blk-client/blktest.h
M32 = 0xffffffff


def pattern_word(seed, block, word):
    """blk_pattern() of blktest.h."""
    x = seed ^ ((block * 0x9e3779b1) & M32) ^ ((word * 0x85ebca6b) & M32)
    x ^= x >> 15
    x = (x * 0x2c1b3c6d) & M32
    return x ^ (x >> 12)


def pattern(seed):
    words = [pattern_word(seed, PAT_FIRST + b, w)
             for b in range(PAT_BLOCKS) for w in range(BLOCK // 4)]
    return struct.pack('<%dI' % len(words), *words)


class Results:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, ok, why=''):
        print('[test] %s %s%s' % ('PASS' if ok else 'FAIL', name, '' if ok else ': ' + why),
              flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def boot(res, image, disk, label, must_print):
    """One boot; counts the image's own [test] lines. Returns its output."""
    status, lines = qemurun.boot(image, 60, qemurun.ICOUNT + qemurun.disk_args(disk),
                                 prefix='%s| ' % label)
    results, done = qemurun.test_results(lines)
    for line in lines:
        m = qemurun.TEST_RE.match(line)
        if m:
            if m.group(1) == 'PASS':
                res.passed += 1
            else:
                res.failed += 1
    res.check('%s_ends_with_status_0_after_test_done' % label, status == 0 and done,
              'status %s, done %s' % (status, done))
    for name in must_print:
        res.check('%s_reports_%s' % (label, name), results.get(name) == 'PASS',
                  'missing or failed')
    return lines


def first_differences(a, b, limit=4):
    out = []
    for i in range(0, len(a), BLOCK):
        if a[i:i + BLOCK] != b[i:i + BLOCK]:
            out.append(i // BLOCK)
            if len(out) == limit:
                break
    return out


def main():
    image, disk = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.dirname(os.path.abspath(disk)), exist_ok=True)
    rng = random.Random()
    original = bytes(rng.getrandbits(8) for _ in range(BLOCK * BLOCKS))
    # A pattern already there would make the first boot verify, not write.
    with open(disk, 'wb') as f:
        f.write(original)
    seed = struct.unpack_from('<I', original, 0)[0]
    print('run.py: disk %s, seed 0x%08x' % (disk, seed))
    res = Results()

    boot(res, image, disk, 'boot1', ['blk_write_pattern_in_five_requests_at_once',
                                     'blk_pattern_reads_back',
                                     'blk_pattern_intact_after_malformed_requests'])
    with open(disk, 'rb') as f:
        after1 = f.read()
    lo, hi = PAT_FIRST * BLOCK, (PAT_FIRST + PAT_BLOCKS) * BLOCK
    expected = original[:lo] + pattern(seed) + original[hi:]
    res.check('host_image_holds_the_pattern_after_boot1', after1[lo:hi] == pattern(seed),
              'blocks %s differ' % first_differences(after1[lo:hi], pattern(seed)))
    res.check('host_image_unchanged_outside_the_pattern_after_boot1', after1 == expected
              and len(after1) == len(original),
              'blocks %s differ' % first_differences(after1, expected))

    boot(res, image, disk, 'boot2', ['blk_pattern_persisted_across_boots',
                                     'blk_pattern_reads_back_into_another_buffer'])
    with open(disk, 'rb') as f:
        after2 = f.read()
    res.check('host_image_unchanged_by_boot2', after2 == after1,
              'blocks %s differ' % first_differences(after2, after1))
    print('%d passed, %d failed' % (res.passed, res.failed))
    return 0 if res.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
