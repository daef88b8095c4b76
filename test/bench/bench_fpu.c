/* SPDX-License-Identifier: BSD-2-Clause */
/* The lazy FPU switch (design.md, "FPU state"): what the first VFP
 * instruction after a switch costs in the kernel. The benchmark image is
 * soft-float, so these threads use the FPU only through the instructions
 * below, which makes every use explicit. */
#include <l4/l4.h>
#include "bench.h"
#include "spawn.h"

static uint32_t samples[SINGLES];

void bench_fpu_touch(uint32_t v)
{
    __asm__ volatile(".fpu neon-vfpv4\n vmov d0, %0, %0" ::"r"(v));
}

static uint32_t kcount(void)
{
    return l4_pmu_read(L4_PMU_KERNEL);
}

/* A thread at the root's priority that takes the FPU (if fpu) and yields. */
static void fpu_peer(l4_word_t fpu)
{
    for (;;) {
        if (fpu)
            bench_fpu_touch(fpu);
        l4_yield();
    }
}

/* The root yields to the peer and back, then times its own first VFP
 * instruction: kernel instructions of the trap. */
static uint32_t first_use_after_yield(l4_cptr_t peer)
{
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        l4_yield();
        uint32_t k0 = kcount();
        bench_fpu_touch(k0);
        uint32_t k1 = kcount();
        if (i >= WARMUP)
            samples[i - WARMUP] = k1 - k0;
    }
    l4_tcb_suspend(peer);
    return mode_of(samples, SINGLES);
}

void bench_fpu(void)
{
    /* The peer (another address space) used the FPU since our last use:
     * the trap saves its registers, loads ours and enables the FPU. */
    l4_cptr_t peer = bench_spawn(fpu_peer, 1, 150, 0);
    report("fpu_switch_lazy", first_use_after_yield(peer), SINGLES);
    /* The peer never uses the FPU: our registers are still in it, the trap
     * only enables it again. */
    peer = bench_spawn(fpu_peer, 0, 150, 0);
    report("fpu_trap_owner", first_use_after_yield(peer), SINGLES);
}
