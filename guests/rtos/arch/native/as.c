/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User address spaces for protected tasks: one L1 table per space (a copy
 * of the kernel's global sections plus not-global 4 KiB user pages through
 * L2 tables), tagged with a private ASID so switching needs no TLB flush.
 *
 * Pools are static: AS_MAX spaces (ASID = slot + 1; ASID 0 is the
 * kernel-only space) and L2_MAX second-level tables. l2_owner[i] is the
 * ASID using table i, 0 when free. Interrupts are off in every function
 * (the core calls them inside its critical section).
 */
#include <rtos/rtos.h>

#include "cpu.h"
#include "mmu.h"

#define AS_MAX 8
#define L2_MAX 32

static uint32_t l1_pool[AS_MAX][L1_ENTRIES] __attribute__((aligned(16384)));
static uint32_t l2_pool[L2_MAX][L2_ENTRIES] __attribute__((aligned(1024)));
static uint8_t l2_owner[L2_MAX];
static bool l1_used[AS_MAX];
static uint32_t *active_l1 = native_kernel_l1;

int port_as_create(port_as_t *as)
{
    for (unsigned i = 0; i < AS_MAX; i++) {
        if (l1_used[i])
            continue;
        l1_used[i] = true;
        memcpy(l1_pool[i], native_kernel_l1, sizeof(l1_pool[i]));
        as->l1 = l1_pool[i];
        as->asid = i + 1;
        return RTOS_OK;
    }
    return RTOS_ENOMEM;
}

static uint32_t *l2_alloc(uint32_t asid)
{
    for (unsigned i = 0; i < L2_MAX; i++) {
        if (!l2_owner[i]) {
            l2_owner[i] = (uint8_t)asid;
            memset(l2_pool[i], 0, sizeof(l2_pool[i]));
            return l2_pool[i];
        }
    }
    return NULL;
}

static uint32_t page_attr(unsigned prot)
{
    uint32_t a = L2_TYPE_SMALL | L2_NORMAL | L2_NG;

    a |= (prot & PORT_PROT_W) ? L2_AP_URW : L2_AP_URO;
    if (!(prot & PORT_PROT_X))
        a |= L2_XN;
    return a;
}

int port_as_map(port_as_t *as, uintptr_t va, uintptr_t kva, size_t size, unsigned prot)
{
    const uint32_t mask = (1u << L2_PAGE_SHIFT) - 1;

    if (!as->l1 || ((va | kva | size) & mask) || va < PORT_USER_BASE || size > PORT_USER_END - va)
        return RTOS_EINVAL;
    for (size_t off = 0; off < size; off += 1u << L2_PAGE_SHIFT) {
        uint32_t *l1e = &as->l1[(va + off) >> L1_SECTION_SHIFT];
        uint32_t *l2;

        if (*l1e == 0) {
            l2 = l2_alloc(as->asid);
            if (!l2)
                return RTOS_ENOMEM;
            *l1e = (uint32_t)(uintptr_t)l2 | L1_TYPE_TABLE;
        } else if ((*l1e & L1_TYPE_MASK) != L1_TYPE_TABLE) {
            return RTOS_EINVAL;
        }
        l2 = (uint32_t *)(uintptr_t)(*l1e & L1_TABLE_ADDR_MASK);
        l2[((va + off) >> L2_PAGE_SHIFT) & (L2_ENTRIES - 1)] =
            (uint32_t)(kva + off) | page_attr(prot);
    }
    /* Table walks are cacheable (TTBR_WALK_WBWA): a dsb makes the new
     * entries visible to them; no clean to memory is needed. New entries
     * replace invalid ones, so no TLB maintenance either. */
    cpu_dsb();
    return RTOS_OK;
}

/*
 * Switch TTBR0 and ASID without a window in which walks of one table get
 * tagged with another's ASID (ARM ARM B3.10.4): go through the kernel
 * table, which has only global entries, while the ASID changes.
 */
static void as_load(uint32_t *l1, uint32_t asid)
{
    native_kstat_count(NATIVE_KSTAT_SWITCH);
    CP15_WRITE(0, c2, c0, 0, (uint32_t)(uintptr_t)native_kernel_l1 | TTBR_WALK_WBWA);
    cpu_isb();
    CP15_WRITE(0, c13, c0, 1, asid); /* CONTEXTIDR */
    cpu_isb();
    CP15_WRITE(0, c2, c0, 0, (uint32_t)(uintptr_t)l1 | TTBR_WALK_WBWA);
    cpu_isb();
    active_l1 = l1;
}

void port_as_switch(port_as_t *as)
{
    if (as->l1 != active_l1)
        as_load(as->l1, as->asid);
}

void native_as_switch_kernel(void)
{
    if (active_l1 != native_kernel_l1)
        as_load(native_kernel_l1, 0);
}

void port_as_destroy(port_as_t *as)
{
    if (!as->l1)
        return;
    if (active_l1 == as->l1)
        native_as_switch_kernel();
    for (unsigned i = 0; i < L2_MAX; i++) {
        if (l2_owner[i] == as->asid)
            l2_owner[i] = 0;
    }
    CP15_WRITE(0, c8, c7, 2, as->asid); /* TLBIASID: drop its pages */
    cpu_dsb();
    cpu_isb();
    l1_used[as->asid - 1] = false;
    as->l1 = NULL;
}

extern char __utext_va[], __utext_kva[], __utext_size[]; /* rtos.ld */

void port_user_image(uintptr_t *va, uintptr_t *kva, size_t *size)
{
    *va = (uintptr_t)__utext_va;
    *kva = (uintptr_t)__utext_kva;
    *size = (size_t)(uintptr_t)__utext_size;
}
