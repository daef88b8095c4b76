/* SPDX-License-Identifier: BSD-2-Clause */
/* Random numbers for the fuzzer: xoshiro128** (Blackman and Vigna), seeded
 * through splitmix32, and values biased to the boundaries where kernels
 * break: 0, 1, all ones, powers of two and their neighbours. Deterministic:
 * a campaign is its seed. */
#include "fuzz.h"

static l4_word_t rotl(l4_word_t x, int k)
{
    return (x << k) | (x >> (32 - k));
}

static l4_word_t splitmix32(l4_word_t *x)
{
    l4_word_t z = (*x += 0x9e3779b9u);
    z = (z ^ (z >> 16)) * 0x85ebca6bu;
    z = (z ^ (z >> 13)) * 0xc2b2ae35u;
    return z ^ (z >> 16);
}

void rng_seed(l4_word_t *st, l4_word_t seed)
{
    for (int i = 0; i < 4; i++)
        st[i] = splitmix32(&seed);
    if (!(st[0] | st[1] | st[2] | st[3]))
        st[0] = 1; /* the one state xoshiro cannot leave */
}

l4_word_t rng_next(l4_word_t *st)
{
    l4_word_t r = rotl(st[1] * 5, 7) * 9, t = st[1] << 9;
    st[2] ^= st[0];
    st[3] ^= st[1];
    st[1] ^= st[2];
    st[0] ^= st[3];
    st[2] ^= t;
    st[3] = rotl(st[3], 11);
    return r;
}

l4_word_t rng_below(l4_word_t *st, l4_word_t n)
{
    return (l4_word_t)(((uint64_t)rng_next(st) * n) >> 32);
}

int rng_chance(l4_word_t *st, l4_word_t percent)
{
    return rng_below(st, 100) < percent;
}

l4_word_t rng_boundary(l4_word_t *st)
{
    l4_word_t k = rng_below(st, 32), p = 1u << k;
    switch (rng_below(st, 8)) {
    case 0:
        return 0;
    case 1:
        return 1;
    case 2:
        return ~0u;
    case 3:
        return p;
    case 4:
        return p - 1;
    case 5:
        return p + 1;
    case 6:
        return 0x80000000u - rng_below(st, 3); /* the top of user space */
    default:
        return rng_next(st);
    }
}

l4_word_t rng_small_or_boundary(l4_word_t *st, l4_word_t small)
{
    return rng_chance(st, 85) ? rng_below(st, small) : rng_boundary(st);
}

int fz_in_fuzz_space(l4_word_t va)
{
    extern char __image_start[], end[];
    const l4_word_t mb = 0x100000u, page = 0x1000u;
    l4_word_t lo = (l4_word_t)__image_start & ~(page - 1);
    l4_word_t hi = ((l4_word_t)end + page - 1) & ~(page - 1);
    return va - lo < hi - lo || va - FZ_SHARED_VA < FZ_STATE_VA + mb - FZ_SHARED_VA ||
           va - FZ_SCRATCH_VA < FZ_SCRATCH_MB * mb;
}

l4_word_t fz_out_of_fuzz_space(l4_word_t va)
{
    return fz_in_fuzz_space(va) ? va | 0x40000000u : va;
}

l4_word_t rng_wild_va(l4_word_t *st)
{
    return fz_out_of_fuzz_space(rng_boundary(st));
}

l4_word_t fz_seed_mix(l4_word_t seed, l4_word_t k)
{
    l4_word_t x = seed ^ (k * 0x632be5abu);
    return splitmix32(&x);
}
