/* SPDX-License-Identifier: BSD-2-Clause */
/* Device register access. Device memory is mapped Device-nGnRE (TEX=0 C=0 B=1),
 * so accesses are not merged or reordered among themselves. */
#pragma once
#include <types.h>

static inline uint32_t io_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void io_write32(uintptr_t addr, uint32_t v)
{
    *(volatile uint32_t *)addr = v;
}
