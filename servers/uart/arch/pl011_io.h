/* SPDX-License-Identifier: BSD-2-Clause */
/* Register access for the PL011 driver: its registers are a device frame
 * (device memory: accesses are neither merged nor reordered). The host
 * unit tests put a fake first on the include path. */
#pragma once
#include <stdint.h>

static inline uint32_t pl011_read(uintptr_t regs, uint32_t off)
{
    return *(volatile uint32_t *)(regs + off);
}

static inline void pl011_write(uintptr_t regs, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(regs + off) = v;
}
