/* SPDX-License-Identifier: BSD-2-Clause */
/* Least privilege in the address space, from inside: at each start the
 * component reads one address outside its grants, and must fault (the root
 * task reports the fault and restarts it, `restarts` allowing one per
 * probe): the root task's image, every other program's image slot, the
 * regions and channel pages of others, the VMM's windows, the kernel, the
 * guard below its stack. The list is computed from the documented layout
 * (system/comp.h, system/proto.h) and its own grants (its environment),
 * the same at every start; a probe that does not fault fails the test.
 * After the last probe it checks that every grant is readable and ends. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <component.h>
#include <system/comp.h>

#define MAX_PROBES 96

static l4_word_t probes[MAX_PROBES];
static unsigned nprobes;

static int granted(const comp_env_t *env, l4_word_t va)
{
    if (va >= env->image_base && va < env->image_end)
        return 1;
    if (va >= COMP_STACK_TOP - env->stack_size && va < COMP_STACK_TOP)
        return 1;
    if (va == COMP_IPCBUF_VADDR || va == COMP_ENV_VADDR)
        return 1;
    if (va >= COMP_HEAP_VADDR && va < COMP_HEAP_VADDR + env->heap_size)
        return 1;
    for (l4_word_t i = 0; i < env->nregions; i++)
        if (va >= env->regions[i].vaddr && va < env->regions[i].vaddr + env->regions[i].size)
            return 1;
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++)
        if (comp_id_is(id, COMP_ID_CHANNEL) && va == COMP_CHAN_VADDR + 4096 * id)
            return 1;
    return 0;
}

static void add(const comp_env_t *env, l4_word_t va)
{
    if (!granted(env, va) && nprobes < MAX_PROBES)
        probes[nprobes++] = va;
}

static void make_list(const comp_env_t *env)
{
    add(env, 0);
    add(env, ROOT_IMAGE_BASE);
    add(env, ROOT_IMAGE_BASE + 0x10000);
    for (l4_word_t k = 0; k < (COMP_IMAGE_LIMIT - COMP_IMAGE_BASE) / COMP_IMAGE_SLOT && k < 24; k++)
        add(env, COMP_IMAGE_BASE + k * COMP_IMAGE_SLOT);
    for (l4_word_t k = 0; k < 16; k++)
        add(env, COMP_REGION_BASE + 4096 * k);
    for (l4_word_t k = 0; k < 8; k++)
        add(env, COMP_CHAN_VADDR + 4096 * k);
    add(env, COMP_DEVICE_BASE);
    add(env, COMP_HEAP_VADDR + env->heap_size);
    add(env, VMM_WINDOW);
    add(env, VMM_IMAGE_VADDR);
    add(env, COMP_STACK_TOP - env->stack_size - 4096);
    add(env, COMP_ENV_VADDR - 4096);
    add(env, 0x7ffff000u - 0x1000u * 2);
    add(env, L4_KERNEL_BASE);
    add(env, 0xfffff000u);
}

void init(void)
{
    const comp_env_t *env = (const comp_env_t *)l4_start_arg;
    make_list(env);
    l4_word_t boot = comp_boot_count();
    if (boot == 0)
        printf("%u addresses outside my grants to probe, one per start\n", nprobes);
    if (env->restarts < nprobes) {
        printf("[test] FAIL probe_addresses: %u probes, but only %lu restarts\n", nprobes,
               (unsigned long)env->restarts);
        exit(1);
    }
    if (boot < nprobes) {
        printf("probe %lu: 0x%08lx\n", (unsigned long)boot, (unsigned long)probes[boot]);
        (void)*(volatile uint32_t *)probes[boot];
        printf("[test] FAIL probe_address_0x%08lx_is_readable\n", (unsigned long)probes[boot]);
        exit(1);
    }
    /* Every grant is there: reading the first word of each region and
     * channel page must not fault (a fault now would stop it: awaited, the
     * system would end with status 1). */
    for (l4_word_t i = 0; i < env->nregions; i++)
        (void)*(volatile uint32_t *)env->regions[i].vaddr;
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++)
        if (comp_channel_page(id))
            (void)*(volatile uint32_t *)comp_channel_page(id);
    printf("[test] PASS probe_every_address_outside_the_grants_faulted (%u probes)\n", nprobes);
    exit(0);
}
