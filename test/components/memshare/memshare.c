/* SPDX-License-Identifier: BSD-2-Clause */
/* One program, two components (systems/components.sys): `writer` maps the
 * region `shared` read/write and a private region of its own; it fills
 * both with a pattern and notifies `reader` over channel 0; `reader` maps
 * `shared` read-only, checks the pattern and notifies back (the whole of
 * each region, whose size it finds in its environment). Each ends with
 * status 0 if its checks passed. (That the reader cannot write the region
 * and nobody else sees the private one is faulter's and probe's test.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>
#include <system/comp.h>

#define PEER 0 /* its id for the channel */

volatile uint32_t *shared;  /* set by the root: the shared region */
volatile uint32_t *private; /* the writer's own region */

static int is_writer(void)
{
    return strcmp(comp_name(), "writer") == 0;
}

/* The size of its region at va, from its environment. */
static unsigned words_of(volatile uint32_t *va)
{
    const comp_env_t *env = (const comp_env_t *)l4_start_arg;
    for (l4_word_t i = 0; i < env->nregions; i++)
        if (env->regions[i].vaddr == (uintptr_t)va)
            return env->regions[i].size / 4;
    return 0;
}

static uint32_t pattern(unsigned i)
{
    return 0x9e3779b9u * (i + 1);
}

void init(void)
{
    if (!is_writer())
        return; /* it waits for the writer's notification */
    for (unsigned i = 0; i < words_of(shared); i++)
        shared[i] = pattern(i);
    for (unsigned i = 0; i < words_of(private); i++)
        private[i] = ~pattern(i);
    comp_notify(PEER);
}

void notified(comp_id_t id)
{
    if (id != PEER)
        return;
    int ok = words_of(shared) > 0;
    for (unsigned i = 0; i < words_of(shared); i++)
        ok &= shared[i] == pattern(i);
    for (unsigned i = 0; is_writer() && i < words_of(private); i++)
        ok &= private[i] == ~pattern(i);
    printf("[test] %s memshare_%s_sees_the_pattern\n", ok ? "PASS" : "FAIL", comp_name());
    if (!is_writer())
        comp_notify(PEER);
    exit(ok ? 0 : 1);
}
