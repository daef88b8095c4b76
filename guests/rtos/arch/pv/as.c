/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Address spaces of protected tasks, from the capabilities the VMM gave us
 * (docs/vmm.md): GUEST_NUM_USER_PD page directories, GUEST_NUM_PT page
 * tables and one frame capability per page of guest RAM. The port only
 * bookkeeps which it lent to whom; the kernel builds the tables.
 *
 * A frame capability holds one mapping, and the guest has no CNode
 * capability to copy one, so a RAM page can be in at most one user space.
 * Pages that two spaces share (the user text) are therefore mapped from
 * private copies (pv_copy_pool), which is sound only because they are
 * read-only; sharing a writable page is refused.
 *
 * Owners are a page directory's index + 1 (0: free). Interrupts are off in
 * every function: the core calls them inside its critical section, and
 * they use the IPC buffer.
 */
#include "pv.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1u << PAGE_SHIFT)
#define PT_SHIFT 20   /* a page table covers 1 MiB */
#define COPY_PAGES 16 /* read-only pages mapped by a second space */

static bool pd_used[GUEST_NUM_USER_PD];
static uint8_t pt_owner[GUEST_NUM_PT];
static uint16_t pt_mib[GUEST_NUM_PT];      /* va >> PT_SHIFT it covers */
static uint8_t ram_owner[GUEST_RAM_PAGES]; /* the space page n is mapped in */
static uint8_t pv_copy_pool[COPY_PAGES][PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static unsigned as_owner(const port_as_t *as)
{
    return as->pd - GUEST_CAP_USER_PD + 1;
}

static unsigned ram_page(uintptr_t kva)
{
    return (unsigned)((kva - GUEST_RAM_BASE) >> PAGE_SHIFT);
}

int port_as_create(port_as_t *as)
{
    for (unsigned i = 0; i < GUEST_NUM_USER_PD; i++) {
        if (!pd_used[i]) {
            pd_used[i] = true;
            as->pd = GUEST_CAP_USER_PD + i;
            return RTOS_OK;
        }
    }
    return RTOS_ENOMEM;
}

/* The page table covering va in the space, mapping a free one if needed. */
static int pt_ensure(const port_as_t *as, uintptr_t va)
{
    unsigned owner = as_owner(as), j, free = GUEST_NUM_PT;

    for (j = 0; j < GUEST_NUM_PT; j++) {
        if (pt_owner[j] == owner && pt_mib[j] == va >> PT_SHIFT)
            return RTOS_OK;
        if (!pt_owner[j] && free == GUEST_NUM_PT)
            free = j;
    }
    if (free == GUEST_NUM_PT)
        return RTOS_ENOMEM;
    if (l4_page_table_map(GUEST_CAP_PT + free, va & ~((1u << PT_SHIFT) - 1), 0, as->pd))
        return RTOS_EINVAL;
    pt_owner[free] = (uint8_t)owner;
    pt_mib[free] = (uint16_t)(va >> PT_SHIFT);
    return RTOS_OK;
}

/* A free copy page holding the contents of the page at kva. */
static int copy_page(uintptr_t kva, unsigned *page)
{
    for (unsigned c = 0; c < COPY_PAGES; c++) {
        unsigned n = ram_page((uintptr_t)pv_copy_pool[c]);

        if (!ram_owner[n]) {
            memcpy(pv_copy_pool[c], (const void *)kva, PAGE_SIZE);
            *page = n;
            return RTOS_OK;
        }
    }
    return RTOS_ENOMEM;
}

static int map_page(port_as_t *as, uintptr_t va, uintptr_t kva, unsigned prot)
{
    unsigned n = ram_page(kva);
    l4_word_t rights = L4_RIGHT_READ, attr = 0;
    int r;

    if (ram_owner[n]) {
        if (prot & PORT_PROT_W)
            return RTOS_EINVAL; /* cannot share writable pages */
        r = copy_page(kva, &n);
        if (r)
            return r;
    }
    r = pt_ensure(as, va);
    if (r)
        return r;
    if (prot & PORT_PROT_W)
        rights |= L4_RIGHT_WRITE;
    if (!(prot & PORT_PROT_X))
        attr |= L4_ATTR_EXECUTE_NEVER;
    if (l4_frame_map(GUEST_CAP_RAM + n, va, rights, attr, as->pd))
        return RTOS_EINVAL;
    ram_owner[n] = (uint8_t)as_owner(as);
    return RTOS_OK;
}

int port_as_map(port_as_t *as, uintptr_t va, uintptr_t kva, size_t size, unsigned prot)
{
    if (!as->pd || ((va | kva | size) & (PAGE_SIZE - 1)) || va < PORT_USER_BASE ||
        size > PORT_USER_END - va || kva < GUEST_RAM_BASE ||
        size > GUEST_RAM_BASE + GUEST_RAM_SIZE - kva)
        return RTOS_EINVAL;
    for (size_t off = 0; off < size; off += PAGE_SIZE) {
        int r = map_page(as, va + off, kva + off, prot);

        if (r)
            return r;
    }
    return RTOS_OK;
}

/* Unmap every page and table lent to the space and give the PD back. */
void port_as_destroy(port_as_t *as)
{
    unsigned owner;

    if (!as->pd)
        return;
    owner = as_owner(as);
    for (unsigned n = 0; n < GUEST_RAM_PAGES; n++) {
        if (ram_owner[n] == owner) {
            l4_frame_unmap(GUEST_CAP_RAM + n);
            ram_owner[n] = 0;
        }
    }
    for (unsigned j = 0; j < GUEST_NUM_PT; j++) {
        if (pt_owner[j] == owner) {
            l4_page_table_unmap(GUEST_CAP_PT + j);
            pt_owner[j] = 0;
        }
    }
    if (pv_user_pd == as->pd)
        pv_user_pd = 0;
    if (pv_user_pds[1] == as->pd)
        pv_user_pds[1] = 0; /* L4_CAP_NULL only for a space that lived
                             * since that resume: its successor, which may
                             * get the same cap, is named again once */
    pd_used[owner - 1] = false;
    as->pd = 0;
}

/* Nothing to load: the next vcpu_resume(USER) names the space. */
void port_as_switch(port_as_t *as)
{
    pv_user_pd = as->pd;
}

extern char __utext_start[], __utext_end[]; /* rtos.ld */

/* The user text is linked where it is loaded: its user VA is its address. */
void port_user_image(uintptr_t *va, uintptr_t *kva, size_t *size)
{
    *va = (uintptr_t)__utext_start;
    *kva = (uintptr_t)__utext_start;
    *size = (size_t)(__utext_end - __utext_start);
}
