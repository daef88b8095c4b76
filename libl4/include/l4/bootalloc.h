/* SPDX-License-Identifier: BSD-2-Clause */
/* Allocation from the root task's boot resources (the boot-info page):
 * slots are taken from the root CNode's empty range in order, objects are
 * retyped from the largest boot untyped (any other one with room once it is
 * full). Nothing is ever given back. For root tasks only: l4_bootinfo must
 * be set. Each returns an L4_ERR_* code. */
#pragma once
#include <l4/ipc.h>

/* The next free slot of the root CNode (L4_ERR_NOT_ENOUGH_MEMORY at the end). */
l4_word_t l4_boot_slot(l4_cptr_t *slot);
/* One object of `type` (size `bits` where the type takes one) in a new slot. */
l4_word_t l4_boot_new(l4_word_t type, l4_word_t bits, l4_cptr_t *slot);
/* `count` objects of `type` in `count` consecutive new slots from *first
 * (several retypes if count is above the 256 one retype makes), all from
 * one untyped: frames of one call are physically contiguous. */
l4_word_t l4_boot_new_n(l4_word_t type, l4_word_t bits, l4_word_t count, l4_cptr_t *first);
/* Map `frame` at `va` in the page directory `pd`, first making and mapping a
 * page table with l4_boot_new when none covers `va`. */
l4_word_t l4_boot_map(l4_cptr_t pd, l4_cptr_t frame, l4_word_t va, l4_word_t rights,
                      l4_word_t attr);
/* A 4 KiB frame capability for the device page at physical address paddr,
 * from the boot device untypeds (docs/api.md section 4). A device untyped
 * of up to 64 KiB is cut into 4 KiB frames on first use and each call
 * returns a new copy of one of them, so a page can be asked for again (to
 * map it in several places). Pages of larger device untypeds are made on
 * demand behind the watermark, so within one of those only ascending
 * addresses work, once each. Errors: ALIGNMENT_ERROR (paddr not page
 * aligned), RANGE_ERROR (no device untyped covers it), NOT_ENOUGH_MEMORY
 * (a large untyped's page below one already made). */
l4_word_t l4_boot_device_frame(l4_word_t paddr, l4_cptr_t *slot);
/* The same for `pages` consecutive pages from paddr, in consecutive slots
 * from *first (RANGE_ERROR also for 0 pages or a range past 4 GiB). */
l4_word_t l4_boot_device_frames(l4_word_t paddr, l4_word_t pages, l4_cptr_t *first);
