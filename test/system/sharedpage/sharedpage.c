/* SPDX-License-Identifier: BSD-2-Clause */
/* A root task whose read-only and writable segments share a page
 * (shared.ld). The kernel's loader maps that page once, with the contents of
 * both segments and the union of their permissions: the code runs, the
 * read-only data reads back, the initialised data reads and writes, and the
 * zeroed data is zero. Speaks the test protocol (docs/testing.md). */
#include <stdint.h>
#include <stdio.h>

extern const char __ro_end[], __rw_start[];
static const char tail[] = "the last read-only bytes";
static volatile int counter = 41;
static volatile int zeroed[64];
static int failed;

static void check(int ok, const char *name)
{
    printf("[test] %s %s\n", ok ? "PASS" : "FAIL", name);
    failed |= !ok;
}

int main(void)
{
    uintptr_t ro_last = (uintptr_t)__ro_end - 1, rw_first = (uintptr_t)__rw_start;
    check(ro_last >> 12 == rw_first >> 12, "shared_page_layout_puts_both_segments_in_one_page");
    check(tail[0] == 't' && tail[sizeof tail - 2] == 's', "shared_page_read_only_data_reads_back");
    int before = counter;
    counter = before + 1;
    check(before == 41 && counter == 42, "shared_page_initialised_data_reads_and_writes");
    int sum = 0;
    for (unsigned i = 0; i < 64; i++)
        sum |= zeroed[i];
    check(sum == 0, "shared_page_zeroed_data_is_zero");
    printf("[test] DONE\n");
    return failed;
}
