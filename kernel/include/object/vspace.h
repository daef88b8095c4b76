/* SPDX-License-Identifier: BSD-2-Clause */
/* Page directory and page table objects: hardware table + shadow of the
 * slots whose caps mapped each entry (object/vspace.c). */
#pragma once
#include <arch/mmu.h>
#include <cap.h>

#define NUM_ASIDS 256u /* 8-bit hardware ASIDs; 0 is reserved for switching */
#define PD_SCAN_CHUNK 256u /* directory entries a destruction step looks at */

typedef struct pd {
    uint32_t pde[PD_USER_ENTRIES]; /* TTBR0 table: 8 KiB, 8 KiB aligned */
    cte_t *shadow[PD_USER_ENTRIES];
} pd_t;

typedef struct pt {
    uint32_t pte[PT_ENTRIES]; /* 1 KiB, 1 KiB aligned */
    cte_t *shadow[PT_ENTRIES];
} pt_t;

/* (Host unit tests have 64-bit pointers and larger shadows.) */
STATIC_ASSERT(sizeof(void *) != 4 || sizeof(pd_t) == (1u << L4_OBJ_PAGE_DIRECTORY_BITS),
              "PD object size");
STATIC_ASSERT(sizeof(void *) != 4 || sizeof(pt_t) == (1u << L4_OBJ_PAGE_TABLE_BITS),
              "PT object size");

pd_t *vspace_pd_of_asid(word_t asid);
/* Invalidate the TLB entries of [va, va + size) in `asid`, page by page,
 * with one pair of barriers. */
void vspace_tlb_flush_range(word_t asid, vaddr_t va, word_t size);
/* Read-only views for the debug invariant checker (core/invariants_vspace.c). */
bool vspace_asid_free(word_t asid);      /* the free bitmap's bit */
word_t vspace_asids_used(void);          /* the count kept beside it */
pt_t *vspace_pde_table(uint32_t pde);    /* the table a table entry points at */
paddr_t vspace_pd_paddr(const pd_t *pd); /* what a TCB caches as vspace_pd */
void frame_unmap(cte_t *slot);
/* Map the 4 KiB frame in slot at vaddr of the directory pdc, if the
 * frame map invocation with these arguments is the common case (core/
 * fastpath.c); false, with nothing changed, if decode_frame() must
 * answer (object/frame.c). */
bool frame_map_small_fast(cte_t *slot, const cap_t *pdc, word_t vaddr, word_t rights, word_t attr);
