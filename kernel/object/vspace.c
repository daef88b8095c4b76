/* SPDX-License-Identifier: BSD-2-Clause */
/* Page directories and page tables (ARM short-descriptor format, arch/mmu.h).
 *
 * Each table object is the hardware table followed by a shadow of the same
 * number of entries holding, per valid entry, the slot of the capability
 * that mapped it. The shadow lets an address space or page table that is
 * destroyed mark every cap mapped through it unmapped, so that no cap ever
 * names a stale mapping, and lets ASIDs be reused safely.
 *
 * A mapped frame or page-table cap has data = vaddr | asid (asid >= 1). */
#include <arch.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <assert.h>
#include <invoke.h>
#include <object/lifecycle.h>
#include <object/vspace.h>
#include <string.h>

static pd_t *asid_table[NUM_ASIDS]; /* ASID -> page directory; 0 is reserved */
static word_t asids_used;
/* Bit a set: ASID a is free (a bitmap, so that finding one is 8 words at
 * most: retype makes up to 256 page directories in one step). */
static word_t asid_free[NUM_ASIDS / 32] = {
    ~1u, ~0u, ~0u, ~0u, ~0u, ~0u, ~0u, ~0u, /* all but the reserved ASID 0 */
};
STATIC_ASSERT(NUM_ASIDS == 256, "asid_free's initialiser");

bool vspace_asids_available(word_t count)
{
    return count <= NUM_ASIDS - 1 - asids_used;
}

void vspace_pd_init(cap_t *pd)
{
    word_t w = 0;
    while (w < ARRAY_SIZE(asid_free) && !asid_free[w])
        w++;
    assert(w < ARRAY_SIZE(asid_free)); /* checked by vspace_asids_available first */
    word_t asid = w * 32 + (word_t)__builtin_ctz(asid_free[w]);
    asid_free[w] &= ~BIT(asid % 32);
    asid_table[asid] = (pd_t *)pd->obj;
    asids_used++;
    pd->data = asid;
}

pd_t *vspace_pd_of_asid(word_t asid)
{
    return asid < NUM_ASIDS ? asid_table[asid] : NULL;
}

bool vspace_asid_free(word_t asid)
{
    return (asid_free[asid / 32] >> (asid % 32)) & 1u;
}

word_t vspace_asids_used(void)
{
    return asids_used;
}

pt_t *vspace_pde_table(uint32_t pde)
{
    return paddr_to_kptr(pde & PDE_TABLE_BASE_MASK);
}

paddr_t vspace_pd_paddr(const pd_t *pd)
{
    return kptr_to_paddr(pd);
}

void vspace_tlb_flush_range(word_t asid, vaddr_t va, word_t size)
{
    arch_dsb(); /* the table writes are visible to the walker first */
    for (vaddr_t a = va & ~MASK(PAGE_BITS); a < va + size; a += BIT(PAGE_BITS))
        tlb_invalidate_va(a | asid);
    arch_dsb(); /* one barrier for the whole range: 256 pages of a section */
    arch_isb();
}

static void tlb_flush_asid(word_t asid)
{
    arch_dsb();
    tlb_invalidate_asid(asid);
    arch_dsb();
    arch_isb();
}

/* Clear every entry of a page table, marking the caps mapped through it
 * unmapped. No TLB maintenance: the caller flushes the ASID. */
static void pt_clear(pt_t *pt)
{
    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (pt->shadow[i])
            pt->shadow[i]->cap.data = 0;
        pt->shadow[i] = NULL;
        pt->pte[i] = 0;
    }
}

/* Remove a page table from its page directory. */
static void pt_unmap(cte_t *slot)
{
    word_t m = slot->cap.data, asid = m & MASK(8);
    pd_t *pd = vspace_pd_of_asid(asid);
    pt_t *pt = (pt_t *)slot->cap.obj;
    if (pd) {
        unsigned i = mmu_pd_index(m);
        if (pd->shadow[i] == slot) {
            pd->pde[i] = 0;
            pd->shadow[i] = NULL;
        }
    }
    pt_clear(pt);
    slot->cap.data = 0;
    tlb_flush_asid(asid);
}

bool vspace_pd_clear_next(cap_t *c)
{
    pd_t *pd = (pd_t *)c->obj;
    word_t end = c->data2 + PD_SCAN_CHUNK < PD_USER_ENTRIES ? c->data2 + PD_SCAN_CHUNK
                                                            : PD_USER_ENTRIES;
    for (word_t i = c->data2; i < end; i++) {
        if (!pd->pde[i])
            continue;
        cte_t *s = pd->shadow[i];
        if (s) {
            if (s->cap.type == L4_OBJ_PAGE_TABLE)
                pt_clear((pt_t *)s->cap.obj);
            s->cap.data = 0;
        }
        pd->shadow[i] = NULL;
        pd->pde[i] = 0;
        c->data2 = i + 1;
        return true;
    }
    c->data2 = end;
    return end < PD_USER_ENTRIES; /* empty entries only: the next call goes on */
}

/* The directory is already empty: core/delete.c clears it entry by entry
 * with vspace_pd_clear_next() before the last cap goes. */
void vspace_pd_finalise(const cap_t *c)
{
    pd_t *pd = (pd_t *)c->obj;
    word_t asid = c->data;
    if (asid_table[asid] == pd) {
        asid_table[asid] = NULL;
        asid_free[asid / 32] |= BIT(asid % 32);
        asids_used--;
    }
    tlb_flush_asid(asid);
}

void vspace_cap_unmap(cte_t *slot)
{
    if (!slot->cap.data)
        return;
    if (slot->cap.type == L4_OBJ_PAGE_TABLE)
        pt_unmap(slot);
    else
        frame_unmap(slot);
}

void vspace_cap_moved(cte_t *slot)
{
    word_t m = slot->cap.data;
    if (!m || !cap_maps_memory(&slot->cap)) /* a badge is no mapping */
        return;
    pd_t *pd = vspace_pd_of_asid(m & MASK(8));
    if (!pd)
        return;
    unsigned i = mmu_pd_index(m);
    if (slot->cap.type == L4_OBJ_PAGE_TABLE || slot->cap.type == L4_OBJ_FRAME_1M) {
        pd->shadow[i] = slot;
        return;
    }
    pt_t *pt = paddr_to_kptr(pd->pde[i] & PDE_TABLE_BASE_MASK);
    unsigned n = slot->cap.type == L4_OBJ_FRAME_64K ? 16 : 1;
    for (unsigned j = 0; j < n; j++)
        pt->shadow[mmu_pt_index(m & ~MASK(PAGE_BITS)) + j] = slot;
}

word_t decode_page_table(invocation_t *inv)
{
    cte_t *slot = inv->slot;
    if (inv->label == L4_PAGE_TABLE_UNMAP) {
        if (slot->cap.data)
            pt_unmap(slot);
        return L4_ERR_OK;
    }
    if (inv->label != L4_PAGE_TABLE_MAP)
        return L4_ERR_ILLEGAL_OPERATION;
    if (inv->length < 2 || inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t vaddr = inv_arg(inv, 0) & ~MASK(SECTION_BITS);
    const cap_t *pdc = &inv->caps[0]->cap;
    if (pdc->type != L4_OBJ_PAGE_DIRECTORY || (pdc->rights & CAP_ZOMBIE))
        return inv_wrong_cap(pdc);
    if (inv_arg(inv, 0) >= L4_USER_TOP)
        return L4_ERR_RANGE_ERROR;
    pd_t *pd = (pd_t *)pdc->obj;
    unsigned i = mmu_pd_index(vaddr);
    if (slot->cap.data || pd->pde[i])
        return L4_ERR_ALREADY_MAPPED;

    pd->pde[i] = mmu_pde_table(kptr_to_paddr((void *)slot->cap.obj));
    pd->shadow[i] = slot;
    slot->cap.data = vaddr | pdc->data;
    arch_dsb();
    return L4_ERR_OK;
}
