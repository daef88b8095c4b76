/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-blk end-to-end test (test/virtio-blk/run.py boots
 * systems/virtio-blk.sys twice on one disk image): what the clients
 * (blk_client.c) and the host agree on. */
#pragma once
#include <stdint.h>

/* The pattern: blocks [PAT_FIRST, PAT_FIRST + PAT_BLOCKS) hold
 * blk_pattern(seed, block, word), seed being the disk's first word (the
 * host writes random bytes everywhere). run.py computes the same. */
#define PAT_FIRST 8u
#define PAT_BLOCKS 40u

static inline uint32_t blk_pattern(uint32_t seed, uint32_t block, uint32_t word)
{
    uint32_t x = seed ^ (block * 0x9e3779b1u) ^ (word * 0x85ebca6bu);
    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    return x ^ (x >> 12);
}
