/* SPDX-License-Identifier: BSD-2-Clause */
/* Invariant checks of address spaces (invariants.h): a frame or page-table
 * cap has data != 0 iff the shadow entry (or entries) at that mapping name
 * its slot, in both directions (design.md 8.1); the ASID table, its free
 * bitmap and its count agree, and a page directory's cap names its own
 * ASID (8.2). The boot page tables of the root task are no objects: their
 * entries need no shadow, but a shadow there still names its cap. */
#include <invariants.h>
#include <object/vspace.h>

#define MAPPING_ASID(m) ((m)&MASK(8))

/* The cap in `s`, mapped (data = vaddr | asid), is named by its entries. */
void inv_check_mapping(const cte_t *s)
{
    word_t m = s->cap.data, asid = MAPPING_ASID(m), type = s->cap.type;
    const pd_t *pd = vspace_pd_of_asid(asid);
    bool by_pd = type == L4_OBJ_PAGE_TABLE || type == L4_OBJ_FRAME_1M;
    word_t low = by_pd ? SECTION_BITS : type == L4_OBJ_FRAME_64K ? LARGE_PAGE_BITS : PAGE_BITS;
    bool aligned = !(m & MASK(low) & ~MASK(8)) && m < L4_USER_TOP;
    INV_EXPECT(asid && pd && aligned, INV_MAPPING, s, pd);
    INV_NEED(inv_ptr_ok(pd, sizeof(*pd), BIT(L4_OBJ_PAGE_DIRECTORY_BITS)));
    unsigned i = mmu_pd_index(m);
    uint32_t pde = pd->pde[i], pde_type = pde & PDE_TYPE_MASK;
    if (by_pd) {
        bool table = type == L4_OBJ_PAGE_TABLE;
        bool entry = pde_type == (table ? PDE_TYPE_TABLE : PDE_TYPE_SECTION) &&
                     (!table || vspace_pde_table(pde) == (const pt_t *)s->cap.obj);
        INV_EXPECT(pd->shadow[i] == s && entry, INV_MAPPING, s, &pd->shadow[i]);
        return;
    }
    INV_EXPECT(pde_type == PDE_TYPE_TABLE, INV_MAPPING, s, &pd->pde[i]);
    const pt_t *pt = vspace_pde_table(pde);
    INV_NEED(inv_ptr_ok(pt, sizeof(*pt), BIT(L4_OBJ_PAGE_TABLE_BITS)));
    unsigned first = mmu_pt_index(m), n = type == L4_OBJ_FRAME_64K ? 16 : 1;
    for (unsigned j = first; j < first + n; j++)
        INV_EXPECT(pt->shadow[j] == s && pt->pte[j], INV_MAPPING, s, &pt->shadow[j]);
}

/* Entry j of the table under directory entry i: its shadow names a small or
 * large frame cap mapped exactly there; a table that is an object has no
 * entry without a shadow. */
static void check_table(const pt_t *pt, unsigned i, word_t asid, bool object)
{
    for (unsigned j = 0; j < PT_ENTRIES; j++) {
        INV_NEED(inv_step());
        const cte_t *f = pt->shadow[j];
        INV_EXPECT(f || !object || !pt->pte[j], INV_SHADOW, pt, &pt->pte[j]);
        if (!f)
            continue;
        INV_NEED(inv_ptr_ok(f, sizeof(*f), sizeof(void *)));
        word_t t = f->cap.type;
        unsigned page = t == L4_OBJ_FRAME_64K ? j & ~15u : j;
        bool frame = t == L4_OBJ_FRAME_4K || t == L4_OBJ_FRAME_64K;
        bool there = f->cap.data == ((i << SECTION_BITS) | (page << PAGE_BITS) | asid);
        INV_EXPECT(frame && pt->pte[j] && there, INV_SHADOW, pt, f);
    }
}

void inv_check_page_directory(const void *obj, word_t asid)
{
    const pd_t *pd = obj;
    INV_EXPECT(vspace_pd_of_asid(asid) == pd, INV_ASID, pd, (const void *)(uintptr_t)asid);
    for (unsigned i = 0; i < PD_USER_ENTRIES && inv_ok(); i++) {
        const cte_t *s = pd->shadow[i];
        uint32_t pde = pd->pde[i], type = pde & PDE_TYPE_MASK;
        if (!s && type == PDE_TYPE_TABLE) { /* a boot table of the root task */
            check_table(vspace_pde_table(pde), i, asid, false);
            continue;
        }
        INV_EXPECT(s || !pde, INV_SHADOW, pd, &pd->pde[i]);
        if (!s)
            continue;
        INV_NEED(inv_ptr_ok(s, sizeof(*s), sizeof(void *)));
        word_t t = s->cap.type;
        bool entry = (t == L4_OBJ_PAGE_TABLE && type == PDE_TYPE_TABLE &&
                      vspace_pde_table(pde) == (const pt_t *)s->cap.obj) ||
                     (t == L4_OBJ_FRAME_1M && type == PDE_TYPE_SECTION);
        INV_EXPECT(entry && s->cap.data == ((i << SECTION_BITS) | asid), INV_SHADOW, pd, s);
        if (t == L4_OBJ_PAGE_TABLE)
            check_table((const pt_t *)s->cap.obj, i, asid, true);
    }
}

/* ASID 0 is never given out; any other is in the table iff not free, and
 * the count of used ones is kept. */
void inv_check_asids(void)
{
    word_t used = 0;
    for (word_t a = 0; a < NUM_ASIDS; a++) {
        bool live = vspace_pd_of_asid(a) != NULL, free = vspace_asid_free(a);
        bool ok = a == 0 ? !live && !free : live != free;
        INV_EXPECT(ok, INV_ASID, (const void *)(uintptr_t)a, vspace_pd_of_asid(a));
        used += live;
    }
    INV_EXPECT(used == vspace_asids_used(), INV_ASID, NULL, NULL);
}
