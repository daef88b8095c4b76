/* SPDX-License-Identifier: BSD-2-Clause */
/* Device untypeds for the root task: every range of the board's device table
 * (plat_devices) cut into naturally aligned power-of-two blocks, each an
 * untyped cap flagged CAP_MEM_DEVICE whose `obj` is the physical address,
 * listed in the boot-info page (L4_BOOTINFO_DEVICE_UNTYPED_*). */
#include <boot.h>
#include <cap.h>
#include <panic.h>
#include <platform.h>

#define DEVICE_UNTYPED_MIN_BITS 12u /* a frame is the smallest thing they become */
#define DEVICE_UNTYPED_MAX_BITS 28u /* as for RAM untypeds (object/untyped.c) */

/* The largest block that starts at `base` (aligned) and fits in `size`. */
static unsigned block_bits(paddr_t base, word_t size)
{
    unsigned bits = DEVICE_UNTYPED_MAX_BITS;
    while (bits > DEVICE_UNTYPED_MIN_BITS && (!IS_ALIGNED(base, bits) || BIT(bits) > size))
        bits--;
    return bits;
}

word_t boot_create_device_untyped(cte_t *cnode, word_t *bi, word_t first_slot)
{
    word_t n = 0;
    for (unsigned d = 0; d < plat_device_count; d++) {
        paddr_t base = plat_devices[d].base;
        word_t left = plat_devices[d].size;
        if (!IS_ALIGNED(base, DEVICE_UNTYPED_MIN_BITS) ||
            !IS_ALIGNED(left, DEVICE_UNTYPED_MIN_BITS))
            panic("device range %s is not page-aligned", plat_devices[d].name);
        while (left) {
            if (n == L4_DEVICE_UNTYPED_MAX)
                panic("more than %u device untypeds", L4_DEVICE_UNTYPED_MAX);
            unsigned bits = block_bits(base, left);
            cap_t c = {.type = L4_OBJ_UNTYPED,
                       .rights = L4_RIGHTS_ALL,
                       .bits = (uint8_t)bits,
                       .mem_flags = CAP_MEM_DEVICE,
                       .obj = base};
            cdt_insert_child(NULL, &cnode[first_slot + n], &c);
            bi[L4_BOOTINFO_DEVICE_UNTYPED_LIST + n] = base | bits;
            base += BIT(bits);
            left -= BIT(bits);
            n++;
        }
    }
    bi[L4_BOOTINFO_DEVICE_UNTYPED_FIRST] = first_slot;
    bi[L4_BOOTINFO_DEVICE_UNTYPED_COUNT] = n;
    return n;
}
