/* SPDX-License-Identifier: BSD-2-Clause */
/* Processes the root task creates (system servers and components): each has
 * its own CSpace (a CNode whose cptrs are slot numbers), its own address
 * space holding its program (loaded from an ELF embedded in the root image
 * with the shared reader, l4/elf.h) and what the root maps for it, and one
 * thread. The root keeps every frame it maps as a range, so it can read a
 * faulting instruction and restore a process's memory for a restart.
 * Objects and slots come from the root's boot resources (l4/bootalloc.h). */
#pragma once
#include <l4/l4.h>
#include <system/proto.h>

/* Segments, stack, IPC buffer, environment, heap, 16 regions and 64 channel
 * pages: what a component may have. */
#define PROC_MAX_RANGES 96

/* What a range's frames hold at (re)start. */
#define RANGE_ZERO 0  /* zeroed: stack, heap, bss-only pages, private regions */
#define RANGE_IMAGE 1 /* the program's bytes from the ELF, then zeros */
#define RANGE_KEEP 2  /* written once, kept over restarts: read-only text, shared regions */

typedef struct {
    l4_word_t vaddr, frames, bits; /* `frames` frames of 2^bits bytes (12, 16 or 20) */
    l4_cptr_t first;    /* root slots first .. first + frames - 1: the mapped frame caps */
    l4_word_t kind;     /* RANGE_* */
    const uint8_t *src; /* RANGE_IMAGE: the bytes from vaddr on */
    l4_word_t src_len;
} proc_range_t;

typedef struct {
    l4_cptr_t cnode, pd, tcb; /* root slots */
    l4_word_t radix;
    l4_word_t entry;
    proc_range_t range[PROC_MAX_RANGES];
    unsigned nranges;
} proc_t;

l4_cptr_t sys_slot(void);                          /* a free root slot */
l4_cptr_t sys_new(l4_word_t type, l4_word_t bits); /* retype one object */
__attribute__((noreturn)) void sys_panic(const char *what, l4_word_t err);
void sys_check(l4_word_t err, const char *what);

/* A CNode of 2^radix slots, an empty address space and a thread. With
 * self_caps, the process gets COMP_CAP_CNODE, _VSPACE and _TCB (servers). */
void proc_create(proc_t *p, l4_word_t radix, int self_caps);
/* Load a program: validate the ELF for [lo, hi) (segments must not share
 * a page), map each segment's pages (read-only text shared by nothing,
 * writable data private) and remember the entry point. Returns NULL or why
 * the image was refused. */
const char *proc_load(proc_t *p, const uint8_t *elf, l4_word_t size, l4_word_t lo, l4_word_t hi);
/* The frame size (log2) for `bytes` at va: the largest of 1 MiB, 64 KiB and
 * 4 KiB that both are multiples of. */
l4_word_t proc_frame_bits(l4_word_t va, l4_word_t bytes);
/* Map `pages` (4 KiB) of fresh zeroed memory at va, in frames as large as
 * va and the size allow (RANGE_ZERO, zeroed again by a reset). */
void proc_map_zero(proc_t *p, l4_word_t va, l4_word_t pages, l4_word_t rights, l4_word_t attr);
/* Map `bytes` of src read-only at va, in fresh frames; kind RANGE_KEEP (as
 * it is now) or RANGE_IMAGE (copied from src again by every reset). */
void proc_map_copy(proc_t *p, l4_word_t va, const uint8_t *src, l4_word_t bytes, l4_word_t kind);
/* Map copies of the root's frame caps first .. first + frames - 1 (of
 * 2^bits bytes each) at va. */
void proc_map_frames(proc_t *p, l4_word_t va, l4_cptr_t first, l4_word_t frames, l4_word_t bits,
                     l4_word_t rights, l4_word_t attr);
/* Write the word at va of the process's memory (a mapped RANGE_IMAGE or
 * RANGE_ZERO page); 0 if va is not in such a range. */
int proc_poke(proc_t *p, l4_word_t va, l4_word_t value);
/* Read the word at va (any mapped range; 0 if unmapped). */
int proc_peek(proc_t *p, l4_word_t va, l4_word_t *value);
/* The frame cap mapped at va, or 0. */
l4_cptr_t proc_frame_at(proc_t *p, l4_word_t va);
/* Restore every RANGE_IMAGE and RANGE_ZERO range to its start contents. */
void proc_reset(proc_t *p);

/* Copy (badge 0) or mint a root capability into the process's slot. */
void proc_give(proc_t *p, l4_word_t dest, l4_cptr_t src, l4_word_t rights, l4_word_t badge);
/* Move a root capability (e.g. an untyped) into the process's slot. */
void proc_move(proc_t *p, l4_word_t dest, l4_cptr_t src);
/* Empty every slot of its CSpace from `first` on. */
void proc_clear_cspace(proc_t *p, l4_word_t first);
/* Configure the thread (IPC buffer at COMP_IPCBUF_VADDR, mapped here on the
 * first call, fault endpoint fault_ep in its own CSpace), name it, and start
 * it at its entry with r0 = arg and sp = COMP_STACK_TOP. */
void proc_start(proc_t *p, const char *name, l4_word_t fault_ep, l4_word_t arg, l4_word_t prio);
