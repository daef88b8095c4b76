/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4's boot allocator as a root task uses it (l4/bootalloc.h), in
 * particular the device frames: pages of a small device untyped can be
 * had again (copies), those of a large one (the 128 MiB flash) in
 * ascending order once, runs of pages come in consecutive slots, and
 * addresses outside the device table or unaligned are refused. */
#include <stdio.h>
#include <l4/bootalloc.h>
#include <l4/l4.h>

static int failures;

static void result(const char *name, int ok)
{
    printf("[test] %s %s\n", ok ? "PASS" : "FAIL", name);
    failures += !ok;
}

static l4_word_t paddr_of(l4_cptr_t frame)
{
    l4_word_t pa = 0xffffffffu;
    if (l4_frame_get_address(frame, &pa) != L4_ERR_OK)
        return 0xffffffffu;
    return pa;
}

int main(void)
{
    l4_cptr_t a = 0, b = 0;
    const l4_word_t uart = 0x09000000u, virtio = 0x0a000000u;
    result("bootalloc_small_device_page_twice_gives_two_caps_to_it",
           l4_boot_device_frame(uart, &a) == L4_ERR_OK && l4_boot_device_frame(uart, &b) == 0 &&
               a != b && paddr_of(a) == uart && paddr_of(b) == uart);
    int ok = l4_boot_device_frames(virtio + 0x1000, 3, &a) == L4_ERR_OK;
    for (l4_word_t k = 0; ok && k < 3; k++)
        ok &= paddr_of(a + k) == virtio + 0x1000 * (k + 1);
    result("bootalloc_device_pages_come_in_consecutive_slots", ok);
    result("bootalloc_large_device_pages_in_ascending_order",
           l4_boot_device_frame(0x00200000u, &a) == L4_ERR_OK && paddr_of(a) == 0x00200000u &&
               l4_boot_device_frames(0x00201000u, 2, &b) == L4_ERR_OK &&
               paddr_of(b) == 0x00201000u && paddr_of(b + 1) == 0x00202000u &&
               l4_boot_device_frame(0x02345000u, &b) == L4_ERR_OK && paddr_of(b) == 0x02345000u);
    result("bootalloc_large_device_page_below_the_last_is_refused",
           l4_boot_device_frame(0x00100000u, &a) == L4_ERR_NOT_ENOUGH_MEMORY &&
               l4_boot_device_frame(0x02345000u, &a) == L4_ERR_NOT_ENOUGH_MEMORY);
    result("bootalloc_device_page_outside_the_device_table_is_refused",
           l4_boot_device_frame(0x40000000u, &a) == L4_ERR_RANGE_ERROR &&
               l4_boot_device_frame(0x08000000u, &a) == L4_ERR_RANGE_ERROR &&
               l4_boot_device_frame(0x0a004000u, &a) == L4_ERR_RANGE_ERROR &&
               l4_boot_device_frames(virtio + 0x3000, 2, &a) == L4_ERR_RANGE_ERROR &&
               l4_boot_device_frames(virtio, 0, &a) == L4_ERR_RANGE_ERROR &&
               l4_boot_device_frames(0xfffff000u, 2, &a) == L4_ERR_RANGE_ERROR);
    result("bootalloc_unaligned_device_address_is_refused",
           l4_boot_device_frame(0x09000004u, &a) == L4_ERR_ALIGNMENT_ERROR);
    /* Frames of RAM from one call are physically contiguous (regions),
     * also across the several retypes of more than 256 of them. */
    ok = l4_boot_new_n(L4_OBJ_FRAME_4K, 0, 8, &a) == L4_ERR_OK;
    for (l4_word_t k = 1; ok && k < 8; k++)
        ok &= paddr_of(a + k) == paddr_of(a) + 0x1000 * k;
    ok &= l4_boot_new_n(L4_OBJ_FRAME_4K, 0, 600, &b) == L4_ERR_OK;
    for (l4_word_t k = 1; ok && k < 600; k++)
        ok &= paddr_of(b + k) == paddr_of(b) + 0x1000 * k;
    result("bootalloc_frames_of_one_call_are_physically_contiguous", ok);
    printf("[test] DONE\n");
    return failures ? 1 : 0;
}
