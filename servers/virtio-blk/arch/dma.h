/* SPDX-License-Identifier: BSD-2-Clause */
/* Ordering between the CPU's accesses and a DMA device's (ARMv7): a full
 * data synchronisation barrier, so that uncached memory the device reads
 * is written before a register write tells it to look, and what it wrote
 * is read only after the register that says so. (The host unit tests put
 * their own dma.h first on the include path.) */
#pragma once

static inline void dma_barrier(void)
{
    __asm__ volatile("dsb" ::: "memory");
}
