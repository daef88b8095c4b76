/* SPDX-License-Identifier: BSD-2-Clause */
#include <l4/l4.h>
#include <l4/bootalloc.h>

#define RETYPE_MAX 256u

static l4_cptr_t next_slot, largest;

static void boot_init(void)
{
    if (next_slot)
        return;
    next_slot = l4_bootinfo[L4_BOOTINFO_EMPTY_FIRST];
    l4_word_t best = 0;
    for (l4_word_t i = 0; i < l4_bootinfo[L4_BOOTINFO_UNTYPED_COUNT]; i++) {
        l4_word_t bits = l4_bootinfo[L4_BOOTINFO_UNTYPED_LIST + i] & 31u;
        if (bits > best) {
            best = bits;
            largest = l4_bootinfo[L4_BOOTINFO_UNTYPED_FIRST] + i;
        }
    }
}

l4_word_t l4_boot_slot(l4_cptr_t *slot)
{
    boot_init();
    if (next_slot >= l4_bootinfo[L4_BOOTINFO_EMPTY_LAST])
        return L4_ERR_NOT_ENOUGH_MEMORY;
    *slot = next_slot++;
    return L4_ERR_OK;
}

/* One retype of `count` (<= RETYPE_MAX) objects into slots first.. from
 * the largest boot untyped, else the first with room; *from is the one. */
static l4_word_t boot_retype(l4_word_t type, l4_word_t bits, l4_word_t count, l4_cptr_t first,
                             l4_cptr_t *from)
{
    *from = largest;
    l4_word_t err = l4_untyped_retype(largest, type, bits, 0, 0, first, count, L4_CAP_INIT_CNODE);
    for (l4_word_t i = 0;
         err == L4_ERR_NOT_ENOUGH_MEMORY && i < l4_bootinfo[L4_BOOTINFO_UNTYPED_COUNT]; i++) {
        *from = l4_bootinfo[L4_BOOTINFO_UNTYPED_FIRST] + i;
        err = l4_untyped_retype(*from, type, bits, 0, 0, first, count, L4_CAP_INIT_CNODE);
    }
    return err;
}

l4_word_t l4_boot_new_n(l4_word_t type, l4_word_t bits, l4_word_t count, l4_cptr_t *first)
{
    boot_init();
    if (count == 0 || count > l4_bootinfo[L4_BOOTINFO_EMPTY_LAST] - next_slot)
        return L4_ERR_NOT_ENOUGH_MEMORY;
    *first = next_slot;
    next_slot += count;
    /* untyped_retype makes at most RETYPE_MAX objects per call (docs/api.md);
     * the later calls use the first one's untyped, so the objects lie one
     * after the other: frames of one call are physically contiguous (a
     * region a DMA device uses, docs/drivers.md). */
    l4_cptr_t from = 0;
    l4_word_t err = L4_ERR_OK;
    for (l4_word_t done = 0; err == L4_ERR_OK && done < count; done += RETYPE_MAX) {
        l4_word_t n = count - done < RETYPE_MAX ? count - done : RETYPE_MAX;
        if (done == 0)
            err = boot_retype(type, bits, n, *first, &from);
        else
            err = l4_untyped_retype(from, type, bits, 0, 0, *first + done, n, L4_CAP_INIT_CNODE);
    }
    return err;
}

l4_word_t l4_boot_new(l4_word_t type, l4_word_t bits, l4_cptr_t *slot)
{
    return l4_boot_new_n(type, bits, 1, slot);
}

l4_word_t l4_boot_map(l4_cptr_t pd, l4_cptr_t frame, l4_word_t va, l4_word_t rights, l4_word_t attr)
{
    l4_word_t err = l4_frame_map(frame, va, rights, attr, pd);
    if (err != L4_ERR_NOT_MAPPED)
        return err;
    l4_cptr_t pt;
    if ((err = l4_boot_new(L4_OBJ_PAGE_TABLE, 0, &pt)) || (err = l4_page_table_map(pt, va, 0, pd)))
        return err;
    return l4_frame_map(frame, va, rights, attr, pd);
}

/* Device frames. Small device untypeds (up to 64 KiB) are cut into 4 KiB
 * frames once, in consecutive slots from dev_pages[i]; large ones advance
 * dev_mark[i] (bytes made so far) with filler frames that are deleted. */
#define DEV_SMALL_BITS 16u
#define PAGE_BITS 12u
static l4_cptr_t dev_pages[L4_DEVICE_UNTYPED_MAX];
static l4_word_t dev_mark[L4_DEVICE_UNTYPED_MAX];

static l4_word_t dev_retype(l4_cptr_t ut, l4_word_t type, l4_cptr_t slot, l4_word_t count)
{
    return l4_untyped_retype(ut, type, 0, 0, 0, slot, count, L4_CAP_INIT_CNODE);
}

static l4_word_t dev_cut_small(l4_word_t i, l4_cptr_t ut, l4_word_t bits)
{
    l4_word_t n = 1u << (bits - PAGE_BITS), err;
    l4_cptr_t first = 0, s;
    for (l4_word_t k = 0; k < n; k++) {
        if ((err = l4_boot_slot(&s)))
            return err;
        if (k == 0)
            first = s;
    }
    if ((err = dev_retype(ut, L4_OBJ_FRAME_4K, first, n)))
        return err;
    dev_pages[i] = first;
    return L4_ERR_OK;
}

/* Fill [dev_mark[i], off) of a large untyped with the largest frames that
 * fit, deleting each: the watermark ends at off. */
static l4_word_t dev_skip_to(l4_word_t i, l4_cptr_t ut, l4_word_t off, l4_cptr_t scratch)
{
    while (dev_mark[i] < off) {
        l4_word_t m = dev_mark[i], type = L4_OBJ_FRAME_4K, size = 1u << PAGE_BITS;
        if ((m & 0xfffffu) == 0 && off - m >= 0x100000u) {
            type = L4_OBJ_FRAME_1M;
            size = 0x100000u;
        } else if ((m & 0xffffu) == 0 && off - m >= 0x10000u) {
            type = L4_OBJ_FRAME_64K;
            size = 0x10000u;
        }
        l4_word_t err = dev_retype(ut, type, scratch, 1);
        if (err)
            return err;
        l4_cnode_delete(L4_CAP_INIT_CNODE, scratch, 32);
        dev_mark[i] = m + size;
    }
    return L4_ERR_OK;
}

/* The device untyped covering paddr (its index), or -1. */
static int dev_find(l4_word_t paddr, l4_word_t *base, l4_word_t *bits)
{
    for (l4_word_t i = 0; i < l4_bootinfo[L4_BOOTINFO_DEVICE_UNTYPED_COUNT]; i++) {
        l4_word_t d = l4_bootinfo[L4_BOOTINFO_DEVICE_UNTYPED_LIST + i];
        *base = d & ~L4_BOOTINFO_SIZE_MASK;
        *bits = d & L4_BOOTINFO_SIZE_MASK;
        if (paddr >= *base && paddr - *base < (1u << *bits))
            return (int)i;
    }
    return -1;
}

/* Checks the page at paddr can be had, cutting its small untyped into
 * frames if that has not happened (which takes slots). */
static l4_word_t dev_prepare(l4_word_t paddr)
{
    l4_word_t base = 0, bits = 0;
    if (paddr & ((1u << PAGE_BITS) - 1))
        return L4_ERR_ALIGNMENT_ERROR;
    int i = dev_find(paddr, &base, &bits);
    if (i < 0)
        return L4_ERR_RANGE_ERROR;
    l4_cptr_t ut = l4_bootinfo[L4_BOOTINFO_DEVICE_UNTYPED_FIRST] + (l4_word_t)i;
    if (bits <= DEV_SMALL_BITS)
        return dev_pages[i] ? L4_ERR_OK : dev_cut_small((l4_word_t)i, ut, bits);
    return paddr - base < dev_mark[i] ? L4_ERR_NOT_ENOUGH_MEMORY : L4_ERR_OK;
}

/* The frame of the prepared page at paddr into the empty slot `slot`. */
static l4_word_t dev_frame_into(l4_word_t paddr, l4_cptr_t slot)
{
    l4_word_t base = 0, bits = 0, err;
    int i = dev_find(paddr, &base, &bits);
    if (i < 0) /* dev_prepare() checked, but keep the function safe alone */
        return L4_ERR_RANGE_ERROR;
    l4_cptr_t ut = l4_bootinfo[L4_BOOTINFO_DEVICE_UNTYPED_FIRST] + (l4_word_t)i;
    l4_word_t off = paddr - base;
    if (bits <= DEV_SMALL_BITS)
        return l4_cnode_copy(L4_CAP_INIT_CNODE, slot, 32, dev_pages[i] + (off >> PAGE_BITS), 32,
                             L4_RIGHTS_ALL, L4_CAP_INIT_CNODE);
    if (off < dev_mark[i])
        return L4_ERR_NOT_ENOUGH_MEMORY;
    if ((err = dev_skip_to((l4_word_t)i, ut, off, slot)) ||
        (err = dev_retype(ut, L4_OBJ_FRAME_4K, slot, 1)))
        return err;
    dev_mark[i] = off + (1u << PAGE_BITS);
    return L4_ERR_OK;
}

l4_word_t l4_boot_device_frames(l4_word_t paddr, l4_word_t pages, l4_cptr_t *first)
{
    boot_init();
    l4_word_t err;
    if (pages == 0 || pages - 1 > (0xffffffffu - paddr) >> PAGE_BITS)
        return L4_ERR_RANGE_ERROR;
    for (l4_word_t k = 0; k < pages; k++)
        if ((err = dev_prepare(paddr + (k << PAGE_BITS))))
            return err;
    if (pages > l4_bootinfo[L4_BOOTINFO_EMPTY_LAST] - next_slot)
        return L4_ERR_NOT_ENOUGH_MEMORY;
    *first = next_slot;
    next_slot += pages;
    for (l4_word_t k = 0; k < pages; k++)
        if ((err = dev_frame_into(paddr + (k << PAGE_BITS), *first + k)))
            return err;
    return L4_ERR_OK;
}

l4_word_t l4_boot_device_frame(l4_word_t paddr, l4_cptr_t *slot)
{
    return l4_boot_device_frames(paddr, 1, slot);
}
