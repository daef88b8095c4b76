/* SPDX-License-Identifier: BSD-2-Clause */
/* Nondeterministic inputs for the Eva drivers (Frama-C's builtins). */
#pragma once
#include <types.h>

/*@ assigns \result \from min, max;
    ensures min <= \result <= max; */
int Frama_C_interval(int min, int max);
/*@ assigns \result \from min, max;
    ensures min <= \result <= max; */
unsigned int Frama_C_unsigned_int_interval(unsigned int min, unsigned int max);

static inline unsigned eva_range(unsigned lo, unsigned hi)
{
    return Frama_C_unsigned_int_interval(lo, hi);
}
static inline word_t eva_word(void)
{
    return Frama_C_unsigned_int_interval(0, 0xffffffffu);
}
/* Keep a value alive (a read the analysis must prove valid). */
volatile word_t eva_sink;
static inline void eva_use(word_t v)
{
    eva_sink = v;
}

/* Called at the end of every driver's main: eva.py requires its
 * precondition proven there (not Dead), so a driver whose states all died
 * on the way (and is then free of alarms vacuously) fails. */
/*@ requires driver_end_reached: \true;
    assigns \nothing; */
void eva_end(void);

/* A reachable panic is a failed kernel assertion: its precondition makes
 * every call that Eva cannot rule out an alarm. */
/*@ requires \false;
    assigns \nothing; */
void panic(const char *fmt, ...);

/* gcc's count-leading-zeros, as code: Eva's own specification of the
 * builtin bounds the result by the word size only; this computes it (a
 * binary search, no loop, so an exact argument gives an exact result). */
/*@ requires x != 0;
    ensures 0 <= \result <= 31; */
int __builtin_clz(unsigned int x)
{
    int n = 0;
    if (!(x & 0xffff0000u)) {
        n += 16;
        x <<= 16;
    }
    if (!(x & 0xff000000u)) {
        n += 8;
        x <<= 8;
    }
    if (!(x & 0xf0000000u)) {
        n += 4;
        x <<= 4;
    }
    if (!(x & 0xc0000000u)) {
        n += 2;
        x <<= 2;
    }
    if (!(x & 0x80000000u))
        n += 1;
    return n;
}

/* The kernel's memset (core/string.c) as its contract: the whole range
 * must be valid, which is what the analysis checks at every call. A driver
 * that defines EVA_MEMSET_CODE gives it as code instead (test/eva/cdt.c). */
#ifndef EVA_MEMSET_CODE
/*@ requires \valid((char *)s + (0 .. n - 1));
    assigns ((char *)s)[0 .. n - 1] \from c;
    ensures \result == s; */
void *memset(void *s, int c, size_t n);
#endif
