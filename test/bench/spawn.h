/* SPDX-License-Identifier: BSD-2-Clause */
/* Minimal object and thread set-up for the benchmark root task: everything
 * comes from the boot untyped caps, nothing is ever freed. */
#pragma once
#include <l4/l4.h>

l4_cptr_t bench_slot(void);
l4_cptr_t bench_new(l4_word_t type, l4_word_t size_bits);
/* Map a fresh read/write frame at vaddr in the root address space. */
l4_cptr_t bench_map_frame(l4_word_t vaddr);

/* Start fn(arg) in a new thread at priority prio. same_space: in the root's
 * address space; otherwise in a new one holding a copy of this program's
 * image (so fn and its globals exist at the same addresses, privately). */
l4_cptr_t bench_spawn(void (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, int same_space);
/* The same, started only if `start` (else resume it with l4_tcb_resume). */
l4_cptr_t bench_spawn_ex(void (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, int same_space,
                         int start);
/* A copy of a capability (all rights) in a fresh slot. */
l4_cptr_t bench_copy(l4_cptr_t cap);
/* Map `frame` read/write at vaddr in pd, with a page table on demand. */
void bench_map_into(l4_cptr_t pd, l4_cptr_t frame, l4_word_t vaddr, l4_word_t attr);
