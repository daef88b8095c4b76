/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark root task. Prints `[bench] name unit value iterations` lines
 * (docs/benchmarks.md): `value` is the mode of single operations, and a
 * second record `<name>_avg` is the mean over a loop of 10,000 (timer ticks
 * included). Counts are kernel-only instructions from PMU counter 1. */
#include <stdio.h>
#include <string.h>
#include <l4/l4.h>

#define SINGLES 1000
#define LOOP 10000
#define WARMUP 100

static uint32_t samples[SINGLES];

static uint32_t mode_of(uint32_t *v, unsigned n)
{
    uint32_t best = 0, best_count = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t c = 0;
        for (unsigned j = 0; j < n; j++)
            c += v[j] == v[i];
        if (c > best_count || (c == best_count && v[i] < best)) {
            best = v[i];
            best_count = c;
        }
    }
    return best;
}

static void report(const char *name, const char *unit, uint32_t value, unsigned iters)
{
    printf("[bench] %s %s %lu %u\n", name, unit, (unsigned long)value, iters);
}

static void bench_null_syscall(void)
{
    for (int i = 0; i < WARMUP; i++)
        l4_debug_null();
    for (int i = 0; i < SINGLES; i++) {
        uint32_t k0 = l4_pmu_read(L4_PMU_KERNEL);
        l4_debug_null();
        samples[i] = l4_pmu_read(L4_PMU_KERNEL) - k0;
    }
    report("null_syscall", "kernel_instructions", mode_of(samples, SINGLES), SINGLES);
    uint32_t k0 = l4_pmu_read(L4_PMU_KERNEL);
    for (int i = 0; i < LOOP; i++)
        l4_debug_null();
    uint32_t k1 = l4_pmu_read(L4_PMU_KERNEL);
    report("null_syscall_avg", "kernel_instructions", (k1 - k0) / LOOP, LOOP);
}

int main(void)
{
    bench_null_syscall();
    return 0;
}
