/* SPDX-License-Identifier: BSD-2-Clause */
/* The checker's client (check.c). */
#pragma once
#include "world.h"

typedef struct {
    l4_word_t code; /* 0: every invariant holds */
    l4_word_t slots, objects, threads;
} fz_check_t;

/* machine_debug_check over what the supervisor reaches; prints the
 * violation (the kernel names it on its console) and returns 0 if any. */
int fz_check_kernel(const char *when, fz_check_t *out);
/* After world_destroy(): the pool is retypeable whole and every ASID can be
 * given out (254 page directories, not 255). Returns 0 and prints if not. */
int fz_retype_all(fz_world_t *w);
