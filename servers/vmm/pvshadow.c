/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shadow page tables for a pre-virtualised guest's virtual user mode
 * (docs/previrt.md, "Shadow page tables"). Each shadow page directory is a
 * TLB for one (TTBR0, ASID) of the guest: filled lazily, a page at a time,
 * when virtual user mode faults on it and the guest's own tables (ptwalk.c)
 * allow the access, with the rights those tables give at PL0; emptied by
 * the TLB maintenance that would invalidate it and by changes to what every
 * walk depends on (TTBCR, TTBR1, DACR). TTBR0 and CONTEXTIDR writes select
 * the shadow of the new pair (the old one stays, as a TLB's tagged entries
 * do), evicting the least recently selected if all are in use.
 *
 * A mapping is a copy of the guest RAM page's frame capability in a slot
 * of the pool (a frame capability maps once).
 */
#include "previrt.h"
#include "ptwalk.h"

#define SCTLR_M 1u

static void pv_unmap(pv_vm_t *v, pv_map_t *m)
{
    l4_frame_unmap(m->copy);
    l4_cnode_delete(COMP_CAP_CNODE, m->copy, 32);
    v->pool[v->npool++] = m->copy;
}

static void pv_shadow_empty(pv_vm_t *v, pv_shadow_t *s)
{
    for (uint32_t i = 0; i < s->nmaps; i++)
        pv_unmap(v, &s->maps[i]);
    s->nmaps = 0;
}

void pv_shadow_drop_all(vmm_guest_t *g)
{
    for (unsigned k = 0; k < GUEST_NUM_USER_PD; k++)
        pv_shadow_empty(&pv_vm, &pv_vm.shadow[k]);
}

void pv_shadow_drop_asid(vmm_guest_t *g, uint32_t asid)
{
    for (unsigned k = 0; k < GUEST_NUM_USER_PD; k++)
        if (pv_vm.shadow[k].used && pv_vm.shadow[k].asid == asid)
            pv_shadow_empty(&pv_vm, &pv_vm.shadow[k]);
}

void pv_shadow_drop_va(vmm_guest_t *g, uint32_t va)
{
    for (unsigned k = 0; k < GUEST_NUM_USER_PD; k++) {
        pv_shadow_t *s = &pv_vm.shadow[k];

        for (uint32_t i = 0; i < s->nmaps; i++) {
            if (s->maps[i].va == va) {
                pv_unmap(&pv_vm, &s->maps[i]);
                s->maps[i] = s->maps[--s->nmaps];
                break;
            }
        }
    }
}

void pv_shadow_select(vmm_guest_t *g)
{
    pv_vm_t *v = &pv_vm;
    uint32_t mmu = v->sctlr & SCTLR_M, ttbr0 = mmu ? v->ttbr0 & ~0x3fffu : 0;
    uint32_t asid = mmu ? v->contextidr & 0xffu : 0;
    unsigned pick = 0;

    for (unsigned k = 0; k < GUEST_NUM_USER_PD; k++) {
        pv_shadow_t *s = &v->shadow[k];

        if (s->used && s->mmu == mmu && s->ttbr0 == ttbr0 && s->asid == asid) {
            pick = k;
            goto found;
        }
        if (!s->used || (v->shadow[pick].used && s->lru < v->shadow[pick].lru))
            pick = k;
    }
    pv_shadow_empty(v, &v->shadow[pick]);
    v->shadow[pick].used = 1;
    v->shadow[pick].mmu = mmu;
    v->shadow[pick].ttbr0 = ttbr0;
    v->shadow[pick].asid = asid;
found:
    v->shadow[pick].lru = ++v->clock;
    v->current = pick;
    v->shared->user_pd = v->shadow[pick].cptr;
}

static int pv_read_phys(void *arg, uint32_t pa, uint32_t *word)
{
    vmm_guest_t *g = arg;

    if ((pa & 3) || pa < GUEST_RAM_BASE || pa - GUEST_RAM_BASE > g->cfg->ram_size - 4)
        return 0;
    *word = *(const volatile uint32_t *)(VMM_WINDOW + (pa - GUEST_RAM_BASE));
    return 1;
}

/*
 * A fault of virtual user mode at va (in the current shadow). Returns 0
 * once the page is mapped as the guest's tables allow, else the FSR of the
 * fault the guest takes.
 */
l4_word_t pv_shadow_fault(vmm_guest_t *g, uint32_t va, uint32_t fsr, int fetch)
{
    pv_vm_t *v = &pv_vm;
    pv_shadow_t *s = &v->shadow[v->current];
    int write = !fetch && (fsr & PTW_FSR_WNR);
    ptw_regs_t r = {v->sctlr, v->ttbcr, v->ttbr0, v->ttbr1, v->dacr};
    ptw_result_t t;
    uint32_t page = va & ~0xfffu, status, n;
    l4_cptr_t copy;
    l4_word_t err;

    status = ptw_translate(&r, pv_read_phys, g, va, write, fetch, &t);
    if (status)
        return status;
    if (t.pa < GUEST_RAM_BASE || t.pa - GUEST_RAM_BASE >= g->cfg->ram_size)
        return PTW_FS_EXT_WALK_L1 | (write ? PTW_FSR_WNR : 0); /* not guest RAM: no device maps */
    for (uint32_t i = 0; i < s->nmaps; i++) {
        if (s->maps[i].va == page) { /* mapped with older rights: map afresh */
            pv_unmap(v, &s->maps[i]);
            s->maps[i] = s->maps[--s->nmaps];
            break;
        }
    }
    if (s->nmaps == PV_MAPS)
        pv_shadow_empty(v, s); /* full: start again (refaults refill it) */
    if (!v->npool)
        pv_shadow_drop_all(g);
    copy = v->pool[--v->npool];
    n = (t.pa - GUEST_RAM_BASE) >> 12;
    err = l4_cnode_copy(COMP_CAP_CNODE, copy, 32, v->ram0 + n, 32, L4_RIGHTS_ALL, COMP_CAP_CNODE);
    if (!err)
        err = vmm_map_page(g, s->pd, copy, page, L4_RIGHT_READ | (t.writable ? L4_RIGHT_WRITE : 0),
                           t.executable ? 0 : L4_ATTR_EXECUTE_NEVER);
    if (err) {
        l4_cnode_delete(COMP_CAP_CNODE, copy, 32);
        v->pool[v->npool++] = copy;
        vmm_printf("guest %s: shadow mapping of 0x%08lx failed (error %lu)", g->cfg->name,
                   (unsigned long)page, (unsigned long)err);
        return PTW_FS_EXT_WALK_L2 | (write ? PTW_FSR_WNR : 0);
    }
    s->maps[s->nmaps++] = (pv_map_t){page, copy};
    return 0;
}
