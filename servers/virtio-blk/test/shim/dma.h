/* SPDX-License-Identifier: BSD-2-Clause */
/* Host unit tests: the fake device runs between the driver's calls, so a
 * compiler barrier orders enough. */
#pragma once

static inline void dma_barrier(void)
{
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
}
