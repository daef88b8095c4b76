/* SPDX-License-Identifier: BSD-2-Clause */
#include <boot.h>
#include <panic.h>
#include <string.h>

static uintptr_t bootmem_next, bootmem_end;

void bootmem_init(uintptr_t start, uintptr_t end)
{
    bootmem_next = start;
    bootmem_end = end;
}

void *bootmem_alloc(unsigned bits)
{
    uintptr_t p = ROUND_UP(bootmem_next, bits);
    if (p < bootmem_next || p + BIT(bits) > bootmem_end)
        panic("boot memory exhausted allocating 2^%u bytes", bits);
    bootmem_next = p + BIT(bits);
    memset((void *)p, 0, BIT(bits));
    return (void *)p;
}

uintptr_t bootmem_free_start(void)
{
    return bootmem_next;
}
