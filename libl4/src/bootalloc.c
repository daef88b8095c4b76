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

/* One retype of `count` (<= RETYPE_MAX) objects into slots first.. . */
static l4_word_t boot_retype(l4_word_t type, l4_word_t bits, l4_word_t count, l4_cptr_t first)
{
    l4_word_t err = l4_untyped_retype(largest, type, bits, 0, 0, first, count, L4_CAP_INIT_CNODE);
    for (l4_word_t i = 0;
         err == L4_ERR_NOT_ENOUGH_MEMORY && i < l4_bootinfo[L4_BOOTINFO_UNTYPED_COUNT]; i++)
        err = l4_untyped_retype(l4_bootinfo[L4_BOOTINFO_UNTYPED_FIRST] + i, type, bits, 0, 0, first,
                                count, L4_CAP_INIT_CNODE);
    return err;
}

l4_word_t l4_boot_new_n(l4_word_t type, l4_word_t bits, l4_word_t count, l4_cptr_t *first)
{
    boot_init();
    if (count == 0 || count > l4_bootinfo[L4_BOOTINFO_EMPTY_LAST] - next_slot)
        return L4_ERR_NOT_ENOUGH_MEMORY;
    *first = next_slot;
    next_slot += count;
    /* untyped_retype makes at most RETYPE_MAX objects per call (docs/api.md). */
    l4_word_t err = L4_ERR_OK;
    for (l4_word_t done = 0; err == L4_ERR_OK && done < count; done += RETYPE_MAX) {
        l4_word_t n = count - done < RETYPE_MAX ? count - done : RETYPE_MAX;
        err = boot_retype(type, bits, n, *first + done);
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
