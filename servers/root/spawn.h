/* SPDX-License-Identifier: BSD-2-Clause */
/* Creating components from the root task: each gets its own CSpace (a CNode
 * whose cptrs are slot numbers, with COMP_CAP_* at the bottom), its own
 * address space holding a private copy of the root task's image, a stack and
 * an IPC buffer, and a thread started at a function of that image. The
 * component's configuration is whatever the root wrote into its memory
 * before the clone: the copy sees it at the same address. */
#pragma once
#include <l4/l4.h>
#include <system/proto.h>

typedef struct {
    l4_cptr_t cnode, pd, tcb; /* root slots */
    l4_word_t radix;
} comp_t;

l4_cptr_t sys_slot(void);                          /* a free root slot */
l4_cptr_t sys_new(l4_word_t type, l4_word_t bits); /* retype one object */
__attribute__((noreturn)) void sys_panic(const char *what, l4_word_t err);
void sys_check(l4_word_t err, const char *what);

/* A CNode of 2^radix slots, an address space with the image and a stack of
 * stack_pages pages below COMP_STACK_TOP. */
void comp_create(comp_t *c, l4_word_t radix, l4_word_t stack_pages);
/* Map `pages` fresh (zeroed) frames at va in the component's space. */
void comp_map_new(comp_t *c, l4_word_t va, l4_word_t pages);
/* Copy (badge 0) or mint a root capability into the component's slot. */
void comp_give(comp_t *c, l4_word_t dest, l4_cptr_t src, l4_word_t rights, l4_word_t badge);
/* Move a root capability (e.g. an untyped) into the component's slot. */
void comp_move(comp_t *c, l4_word_t dest, l4_cptr_t src);
/* Map a copy of the root's frame capability into the component's space. */
void comp_map(comp_t *c, l4_cptr_t frame, l4_word_t va);
void comp_start(comp_t *c, void (*entry)(l4_word_t), l4_word_t arg, l4_word_t prio);
