/* SPDX-License-Identifier: BSD-2-Clause */
/* The instruction counters of design.md "Measurement" and the kernel tick. */
#include "ktest.h"

TEST(pmu_kernel_counter_counts_only_kernel)
{
    uint32_t k0 = l4_pmu_read(L4_PMU_KERNEL);
    for (volatile int i = 0; i < 1000; i++)
        ;
    uint32_t k1 = l4_pmu_read(L4_PMU_KERNEL);
    l4_debug_null();
    uint32_t k2 = l4_pmu_read(L4_PMU_KERNEL);
    /* The loop ran in user mode (a timer tick is possible but rare: allow it
     * only if the loop's kernel share stays below one syscall's worth x 100). */
    CHECK(k2 - k1 > 0);
    CHECK(k2 - k1 < 200);
    CHECK(k1 - k0 < 20000);
}

TEST(pmu_user_counter_excludes_kernel)
{
    uint32_t u0 = l4_pmu_read(L4_PMU_USER);
    l4_debug_null();
    uint32_t u1 = l4_pmu_read(L4_PMU_USER);
    /* svc and the counter read sequence only: a handful of user instructions */
    CHECK(u1 - u0 > 0);
    CHECK(u1 - u0 < 20);
}

TEST(timer_tick_preempts_user_spin)
{
    /* Spin for several kernel ticks' worth of instructions (1 ms = 1,000,000
     * instructions under -icount shift=0; QEMU's timer otherwise runs in real
     * time, which a 20M-instruction spin also exceeds). */
    uint32_t k0 = l4_pmu_read(L4_PMU_KERNEL);
    for (volatile uint32_t i = 0; i < 4000000; i++)
        ;
    uint32_t k1 = l4_pmu_read(L4_PMU_KERNEL);
    CHECK(k1 - k0 > 50); /* at least one interrupt entry and exit */
}
