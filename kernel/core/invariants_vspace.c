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
    word_t m = s->cap.data, asid = MAPPING_ASID(m);
    const pd_t *pd = vspace_pd_of_asid(asid);
    word_t type = s->cap.type;
    word_t low = type == L4_OBJ_PAGE_TABLE || type == L4_OBJ_FRAME_1M ? SECTION_BITS
                 : type == L4_OBJ_FRAME_64K                           ? LARGE_PAGE_BITS
                                                                      : PAGE_BITS;
    if (!asid || !pd || (m & MASK(low) & ~MASK(8)) || m >= L4_USER_TOP) {
        INV_FAIL(INV_MAPPING, s, pd);
        return;
    }
    if (!inv_ptr_ok(pd, sizeof(*pd), BIT(L4_OBJ_PAGE_DIRECTORY_BITS)))
        return;
    unsigned i = mmu_pd_index(m);
    uint32_t pde = pd->pde[i];
    if (type == L4_OBJ_PAGE_TABLE || type == L4_OBJ_FRAME_1M) {
        uint32_t want = type == L4_OBJ_PAGE_TABLE ? PDE_TYPE_TABLE : PDE_TYPE_SECTION;
        if (pd->shadow[i] != s || (pde & PDE_TYPE_MASK) != want ||
            (type == L4_OBJ_PAGE_TABLE && vspace_pde_table(pde) != (const pt_t *)s->cap.obj))
            INV_FAIL(INV_MAPPING, s, &pd->shadow[i]);
        return;
    }
    if ((pde & PDE_TYPE_MASK) != PDE_TYPE_TABLE) {
        INV_FAIL(INV_MAPPING, s, &pd->pde[i]);
        return;
    }
    const pt_t *pt = vspace_pde_table(pde);
    if (!inv_ptr_ok(pt, sizeof(*pt), BIT(L4_OBJ_PAGE_TABLE_BITS)))
        return;
    unsigned first = mmu_pt_index(m), n = type == L4_OBJ_FRAME_64K ? 16 : 1;
    for (unsigned j = first; j < first + n; j++)
        if (pt->shadow[j] != s || !pt->pte[j]) {
            INV_FAIL(INV_MAPPING, s, &pt->shadow[j]);
            return;
        }
}

/* Entry j of the table under directory entry i: its shadow names a small or
 * large frame cap mapped exactly there; a table that is an object has no
 * entry without a shadow. */
static void check_table(const pt_t *pt, unsigned i, word_t asid, bool object)
{
    for (unsigned j = 0; j < PT_ENTRIES && inv_step(); j++) {
        const cte_t *f = pt->shadow[j];
        if (!f) {
            if (object && pt->pte[j])
                INV_FAIL(INV_SHADOW, pt, &pt->pte[j]);
            if (!inv_ok())
                return;
            continue;
        }
        if (!inv_ptr_ok(f, sizeof(*f), sizeof(void *)))
            return;
        word_t t = f->cap.type;
        unsigned page = t == L4_OBJ_FRAME_64K ? j & ~15u : j;
        if ((t != L4_OBJ_FRAME_4K && t != L4_OBJ_FRAME_64K) || !pt->pte[j] ||
            f->cap.data != ((i << SECTION_BITS) | (page << PAGE_BITS) | asid)) {
            INV_FAIL(INV_SHADOW, pt, f);
            return;
        }
    }
}

void inv_check_page_directory(const void *obj, word_t asid)
{
    const pd_t *pd = obj;
    if (vspace_pd_of_asid(asid) != pd) {
        INV_FAIL(INV_ASID, pd, (const void *)(uintptr_t)asid);
        return;
    }
    for (unsigned i = 0; i < PD_USER_ENTRIES && inv_ok(); i++) {
        const cte_t *s = pd->shadow[i];
        uint32_t pde = pd->pde[i], type = pde & PDE_TYPE_MASK;
        if (!s) {
            if (type == PDE_TYPE_TABLE) /* a boot table of the root task */
                check_table(vspace_pde_table(pde), i, asid, false);
            else if (pde)
                INV_FAIL(INV_SHADOW, pd, &pd->pde[i]);
            continue;
        }
        if (!inv_ptr_ok(s, sizeof(*s), sizeof(void *)))
            return;
        word_t t = s->cap.type;
        if ((t != L4_OBJ_PAGE_TABLE && t != L4_OBJ_FRAME_1M) ||
            s->cap.data != ((i << SECTION_BITS) | asid) ||
            type != (t == L4_OBJ_PAGE_TABLE ? PDE_TYPE_TABLE : PDE_TYPE_SECTION)) {
            INV_FAIL(INV_SHADOW, pd, s);
            return;
        }
        if (t == L4_OBJ_PAGE_TABLE) {
            const pt_t *pt = (const pt_t *)s->cap.obj;
            if (vspace_pde_table(pde) != pt) {
                INV_FAIL(INV_SHADOW, pd, s);
                return;
            }
            check_table(pt, i, asid, true);
        }
    }
}

/* ASID 0 is never given out; any other is in the table iff not free, and
 * the count of used ones is kept. */
void inv_check_asids(void)
{
    word_t used = 0;
    for (word_t a = 0; a < NUM_ASIDS; a++) {
        bool live = vspace_pd_of_asid(a) != NULL;
        if (a == 0 ? live || vspace_asid_free(0) : live == vspace_asid_free(a)) {
            INV_FAIL(INV_ASID, (const void *)(uintptr_t)a, vspace_pd_of_asid(a));
            return;
        }
        used += live;
    }
    if (used != vspace_asids_used())
        INV_FAIL(INV_ASID, NULL, NULL);
}
