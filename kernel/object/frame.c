/* SPDX-License-Identifier: BSD-2-Clause */
/* Frames: 4 KiB small pages, 64 KiB large pages (16 identical entries) and
 * 1 MiB sections. Each frame cap holds at most one mapping. A device frame
 * (CAP_MEM_DEVICE) is named by its physical address, has no kernel alias,
 * and is always mapped as device memory (uncached) and execute-never,
 * whatever the attributes ask. */
#include <arch.h>
#include <arch/cpu.h>
#include <arch/mmu.h>
#include <invoke.h>
#include <object/frame.h>
#include <object/lifecycle.h>
#include <object/vspace.h>

static unsigned frame_bits(word_t type)
{
    return type == L4_OBJ_FRAME_4K ? 12 : type == L4_OBJ_FRAME_64K ? 16 : 20;
}

/* Only frame caps reach this file, so the device flag alone decides. */
static bool frame_is_device(const cap_t *c)
{
    return (c->mem_flags & CAP_MEM_DEVICE) != 0;
}

static paddr_t frame_paddr(const cap_t *c)
{
    return frame_is_device(c) ? (paddr_t)c->obj : kptr_to_paddr((void *)c->obj);
}

void frame_unmap(cte_t *slot)
{
    word_t m = slot->cap.data, asid = m & MASK(8);
    vaddr_t va = m & ~MASK(PAGE_BITS);
    pd_t *pd = vspace_pd_of_asid(asid);
    slot->cap.data = 0;
    if (!pd)
        return;
    unsigned i = mmu_pd_index(va);
    if (slot->cap.type == L4_OBJ_FRAME_1M) {
        if (pd->shadow[i] == slot) {
            pd->pde[i] = 0;
            pd->shadow[i] = NULL;
        }
    } else if ((pd->pde[i] & PDE_TYPE_MASK) == PDE_TYPE_TABLE) {
        pt_t *pt = paddr_to_kptr(pd->pde[i] & PDE_TABLE_BASE_MASK);
        unsigned n = slot->cap.type == L4_OBJ_FRAME_64K ? 16 : 1;
        for (unsigned j = mmu_pt_index(va); j < mmu_pt_index(va) + n; j++) {
            if (pt->shadow[j] == slot) {
                pt->pte[j] = 0;
                pt->shadow[j] = NULL;
            }
        }
    }
    vspace_tlb_flush_range(asid, va, BIT(frame_bits(slot->cap.type)));
}

/* Cache maintenance a frame needs when it is mapped uncached (its kernel
 * alias must hold no line) or executable (the I-cache must see its data):
 * a line at a time, 1,024 lines per operation for 64 KiB, 16,384 for 1 MiB,
 * too many for one step. Frames larger than a chunk are maintained in
 * chunks of 32 KiB (at most 512 lines per operation, two operations) with
 * a preemption point between them, before anything changes (the map is
 * restarted and continues); the progress is kept in the frame cap's data2
 * (offset | the attributes it was done for, so a restart with other
 * attributes starts over). A 4 KiB frame is one chunk, maintained after
 * mapping. */
#define MAINT_CHUNK_BITS 15
STATIC_ASSERT((L4_ATTR_EXECUTE_NEVER | L4_ATTR_UNCACHED) < BIT(MAINT_CHUNK_BITS),
              "the attributes fit below a chunk offset in data2");

static void maintain(uintptr_t kva, word_t size, uint32_t vm)
{
    if (vm & VM_UNCACHED)
        arch_clean_invalidate_range(kva, size);
    if (vm & VM_EXEC)
        arch_sync_icache_range(kva, size);
}

static bool frame_maintain_chunked(cte_t *slot, unsigned bits, word_t attr, uint32_t vm)
{
    cap_t *c = &slot->cap;
    word_t done = (c->data2 & MASK(MAINT_CHUNK_BITS)) == attr ? c->data2 & ~MASK(MAINT_CHUNK_BITS) : 0;
    while (done < BIT(bits)) {
        maintain(c->obj + done, BIT(MAINT_CHUNK_BITS), vm);
        done += BIT(MAINT_CHUNK_BITS);
        c->data2 = done | attr;
        if (done < BIT(bits) && preemption_point())
            return false;
    }
    c->data2 = 0;
    return true;
}

static word_t decode_map(invocation_t *inv)
{
    cte_t *slot = inv->slot;
    if (inv->length < 3 || inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t vaddr = inv_arg(inv, 0), rights = inv_arg(inv, 1), attr = inv_arg(inv, 2);
    const cap_t *pdc = &inv->caps[0]->cap;
    unsigned bits = frame_bits(slot->cap.type);
    if (pdc->type != L4_OBJ_PAGE_DIRECTORY || (pdc->rights & CAP_ZOMBIE))
        return inv_wrong_cap(pdc);
    if (slot->cap.data)
        return L4_ERR_ALREADY_MAPPED;
    if (!IS_ALIGNED(vaddr, bits))
        return L4_ERR_ALIGNMENT_ERROR;
    if (vaddr >= L4_USER_TOP || BIT(bits) > L4_USER_TOP - vaddr)
        return L4_ERR_RANGE_ERROR;
    if (attr & ~(word_t)(L4_ATTR_EXECUTE_NEVER | L4_ATTR_UNCACHED))
        return L4_ERR_INVALID_ARGUMENT;
    word_t eff = rights & slot->cap.rights;
    if (!(eff & L4_RIGHT_READ))
        return L4_ERR_INSUFFICIENT_RIGHTS;

    pd_t *pd = (pd_t *)pdc->obj;
    unsigned i = mmu_pd_index(vaddr);
    pt_t *pt = NULL;
    unsigned first = mmu_pt_index(vaddr), n = bits == 16 ? 16 : 1;
    if (bits == 20) {
        if (pd->pde[i])
            return L4_ERR_ALREADY_MAPPED;
    } else {
        if ((pd->pde[i] & PDE_TYPE_MASK) == PDE_TYPE_SECTION)
            return L4_ERR_ALREADY_MAPPED;
        if ((pd->pde[i] & PDE_TYPE_MASK) != PDE_TYPE_TABLE)
            return L4_ERR_NOT_MAPPED;
        pt = paddr_to_kptr(pd->pde[i] & PDE_TABLE_BASE_MASK);
        for (unsigned j = first; j < first + n; j++)
            if (pt->pte[j])
                return L4_ERR_ALREADY_MAPPED;
    }

    bool device = frame_is_device(&slot->cap);
    uint32_t vm = frame_vm_attributes(device, eff, attr);
    /* (device memory: neither uncached RAM nor executable, no maintenance) */
    bool chunked = bits > MAINT_CHUNK_BITS && (vm & (VM_UNCACHED | VM_EXEC));
    if (chunked && !frame_maintain_chunked(slot, bits, attr, vm)) {
        inv->restart = true; /* preempted: nothing mapped yet; resumes the maintenance */
        return L4_ERR_OK;
    }
    paddr_t pa = device ? (paddr_t)slot->cap.obj : kptr_to_paddr((void *)slot->cap.obj);
    if (bits == 20) {
        pd->pde[i] = mmu_pde_section(pa, vm);
        pd->shadow[i] = slot;
    } else {
        uint32_t e = bits == 16 ? mmu_pte_large(pa, vm) : mmu_pte_small(pa, vm);
        for (unsigned j = first; j < first + n; j++) {
            pt->pte[j] = e;
            pt->shadow[j] = slot;
        }
    }
    slot->cap.data = vaddr | pdc->data;
    arch_dsb();
    /* The kernel window maps a RAM frame cacheable (retype zeroed it through
     * it): no dirty line may later overwrite what an uncached user writes,
     * nor a stale one hide what a device wrote. Device memory has no kernel
     * alias, hence no lines. (Larger frames were maintained before mapping.) */
    if (!chunked)
        maintain(slot->cap.obj, BIT(bits), vm);
    return L4_ERR_OK;
}

/* The common map as a fast path (core/fastpath.c, docs/benchmarks.md): a
 * 4 KiB RAM frame, not mapped, at an empty entry of a page table that the
 * directory pdc has, with valid arguments. Every check of decode_map() that
 * this case meets is made, and the mapping is the same; false, with
 * nothing changed, if any fails or the case is another one (a device
 * frame, a larger one): decode_map() then answers with its precise error. */
bool frame_map_small_fast(cte_t *slot, const cap_t *pdc, word_t vaddr, word_t rights, word_t attr)
{
    const cap_t *c = &slot->cap;
    word_t eff = rights & c->rights;
    if (c->type != L4_OBJ_FRAME_4K || c->data || frame_is_device(c) ||
        pdc->type != L4_OBJ_PAGE_DIRECTORY || (pdc->rights & CAP_ZOMBIE) ||
        !IS_ALIGNED(vaddr, PAGE_BITS) || vaddr >= L4_USER_TOP ||
        (attr & ~(word_t)(L4_ATTR_EXECUTE_NEVER | L4_ATTR_UNCACHED)) || !(eff & L4_RIGHT_READ))
        return false;
    STATIC_ASSERT(IS_ALIGNED(L4_USER_TOP, PAGE_BITS), "an aligned page below the top fits");
    uint32_t pde = ((const pd_t *)pdc->obj)->pde[mmu_pd_index(vaddr)];
    if ((pde & PDE_TYPE_MASK) != PDE_TYPE_TABLE)
        return false;
    pt_t *pt = paddr_to_kptr(pde & PDE_TABLE_BASE_MASK);
    unsigned j = mmu_pt_index(vaddr);
    if (pt->pte[j])
        return false;
    uint32_t vm = frame_vm_attributes(false, eff, attr);
    pt->pte[j] = mmu_pte_small(kptr_to_paddr((void *)c->obj), vm);
    pt->shadow[j] = slot;
    slot->cap.data = vaddr | pdc->data;
    arch_dsb();
    maintain(c->obj, BIT(PAGE_BITS), vm);
    return true;
}

word_t decode_frame(invocation_t *inv)
{
    switch (inv->label) {
    case L4_FRAME_MAP:
        return decode_map(inv);
    case L4_FRAME_UNMAP:
        if (inv->slot->cap.data)
            frame_unmap(inv->slot);
        return L4_ERR_OK;
    case L4_FRAME_GET_ADDRESS:
        inv->out[0] = frame_paddr(&inv->slot->cap);
        inv->nout = 1;
        return L4_ERR_OK;
    default:
        return L4_ERR_ILLEGAL_OPERATION;
    }
}
