/* SPDX-License-Identifier: BSD-2-Clause */
/* Property tests: seeded random operation sequences with a full invariant
 * check after each. A program runs `--steps N` operations (default 2000)
 * from `--seed S` (default 1); SCons passes PROP_STEPS and PROP_SEED
 * (docs/testing.md). A failure names the seed and the step, so
 * `prog --seed S --steps N` replays it exactly (PROP_TRACE=1 in the
 * environment makes a program print its steps, where it offers that). */
#pragma once
#include "unit.h"
#include <stdlib.h>
#include <string.h> /* the kernel's: memset, memcpy (kernel/include is first) */

static uint64_t prop_state;
static unsigned long prop_steps = 2000, prop_seed = 1, prop_step;

/* splitmix64: a full-period generator that any seed starts well. */
static inline uint64_t prop_next(void)
{
    uint64_t z = (prop_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n), n > 0. */
static inline uint32_t prop_below(uint32_t n)
{
    return (uint32_t)(prop_next() % n);
}

static inline uint32_t prop_word(void)
{
    return (uint32_t)prop_next();
}

static inline bool prop_is(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static inline void prop_args(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (prop_is(argv[i], "--steps"))
            prop_steps = strtoul(argv[i + 1], NULL, 0);
        else if (prop_is(argv[i], "--seed"))
            prop_seed = strtoul(argv[i + 1], NULL, 0);
    }
    prop_state = prop_seed;
    print_message("property test: %lu steps from seed %lu\n", prop_steps, prop_seed);
}

/* Fail the current test, naming where the sequence broke. */
#define PROP_CHECK(c, ...)                                                                         \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            print_error("seed %lu step %lu: %s: ", prop_seed, prop_step, #c);                      \
            print_error(__VA_ARGS__);                                                              \
            print_error("\n");                                                                     \
            fail();                                                                                \
        }                                                                                          \
    } while (0)
