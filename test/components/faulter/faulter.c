/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults, one kind per start: the root task reports each with the decoded
 * cause and restarts the component (`restarts = 6`), until the seventh
 * start ends with status 0. The suite checks the reports (test/components/
 * SConscript); this program checks what a restart must give it: fresh
 * data and bss, its regions' contents kept, the boot count advanced. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <component.h>
#include <system/comp.h>
#include <system/vtimer.h>

/* Set by the root task (systems/components.sys). */
volatile uint32_t *ro_region;     /* read-only to it */
volatile uint32_t *cached_region; /* read/write, cached, execute-never */
volatile uint32_t *dma_region;    /* read/write, uncached */

static int starts = 0;     /* .bss: 0 at every start */
static int data_word = 42; /* .data: 42 at every start */

static int failures;

static void check(const char *name, int ok)
{
    printf("[test] %s faulter_%s\n", ok ? "PASS" : "FAIL", name);
    failures += !ok;
}

static uint32_t load_unaligned(volatile uint32_t *region)
{
    uint32_t v;
    __asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"((uintptr_t)region + 1) : "memory");
    return v;
}

/* Whether its timer stays silent for `us` microseconds of timer time. */
static int no_timer_signal_for(l4_word_t us)
{
    uint64_t start, now;
    l4_word_t hz;
    if (vtimer_now(COMP_CAP_TIMER, &start, &hz) != 0)
        return 0;
    do
        vtimer_now(COMP_CAP_TIMER, &now, &hz);
    while (now - start < (uint64_t)hz * us / 1000000u);
    l4_word_t bits = 0;
    l4_poll(COMP_CAP_NTFN, &bits);
    return !(bits & (1u << COMP_LINE_TIMER));
}

/* What the environment says of the region at va. */
static int uncached(volatile uint32_t *va)
{
    const comp_env_t *env = (const comp_env_t *)l4_start_arg;
    for (l4_word_t i = 0; i < env->nregions; i++)
        if (env->regions[i].vaddr == (uintptr_t)va)
            return (env->regions[i].flags & COMP_REGION_UNCACHED) != 0;
    return 0;
}

void init(void)
{
    l4_word_t boot = comp_boot_count();
    starts++;
    data_word++;
    if (starts != 1 || data_word != 43)
        check("data_and_bss_fresh_at_each_start", 0);
    if (boot > 0 && cached_region[0] != boot - 1)
        check("region_kept_over_a_restart", 0);
    cached_region[0] = boot;
    /* Its heap (1 MiB: one 1 MiB frame) is zero at every start. */
    volatile uint32_t *heap = (volatile uint32_t *)COMP_HEAP_VADDR;
    const l4_word_t words = ((const comp_env_t *)l4_start_arg)->heap_size / 4;
    if (words == 0 || heap[0] != 0 || heap[words - 1] != 0)
        check("heap_zero_at_each_start", 0);
    heap[0] = heap[words - 1] = 0xdead;
    printf("start %lu\n", (unsigned long)boot);
    switch (boot) {
    case 0:
        comp_timer_set(500, 1);        /* a restart must stop it */
        (void)*(volatile uint32_t *)0; /* nothing is mapped at 0 */
        break;
    case 1:
        ro_region[1] = 1; /* mapped read-only */
        break;
    case 2:
        ((void (*)(void))(uintptr_t)cached_region)(); /* mapped execute-never */
        break;
    case 3:
        __asm__ volatile(".word 0xe7f000f0"); /* udf #0 */
        break;
    case 4: {
        register l4_word_t r7 __asm__("r7") = 200; /* no such system call */
        __asm__ volatile("svc #0" : : "r"(r7) : "memory");
        break;
    }
    case 5:
        /* QEMU models no caches; what an uncached mapping changes that it
         * does model: it is never executable (the kernel maps uncached
         * memory execute-never), and unaligned loads, fine in cached memory,
         * are its own business (QEMU 7.2 does not fault them). */
        (void)load_unaligned(cached_region);
        check("dma_region_is_listed_uncached", uncached(dma_region) && !uncached(cached_region));
        ((void (*)(void))(uintptr_t)dma_region)();
        break;
    default:
        check("no_timer_of_an_earlier_instance", no_timer_signal_for(3000));
        check("data_and_bss_fresh_at_each_start", failures == 0);
        check("region_kept_over_a_restart", failures == 0);
        check("heap_zero_at_each_start", failures == 0);
        check("started_seven_times", boot == 6);
        exit(failures ? 1 : 0);
    }
    check("did_not_fault", 0);
    exit(1);
}
