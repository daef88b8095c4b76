/* SPDX-License-Identifier: BSD-2-Clause */
/* The system root task: composes the system of sys_config (system.h,
 * generated from systems/<image>.sys by tools/sysgen; docs/system.md) out of
 * the console server, the timer server (unless the description leaves it
 * out), one VMM per guest and the components, each a program of its own in
 * its own address space and CSpace holding only what the description grants.
 * It then monitors them (monitor.c) until every awaited guest and component
 * has ended, and shuts the machine down with status 0 if all of them ended
 * with status 0, else 1. */
#include <stdio.h>
#include <l4/bootalloc.h>
#include "root.h"

l4_cptr_t root_ep, console_ep, timer_ep, console_ntfn;
l4_cptr_t guest_ntfn[SYS_MAX_GUESTS], vmm_ntfn[SYS_MAX_GUESTS], vmm_ep[SYS_MAX_GUESTS];
l4_cptr_t chan_page[SYS_MAX_CHANNELS];
l4_cptr_t region_frames[SYS_MAX_REGIONS];

/* Memory regions: zeroed frames in consecutive root slots, as large as the
 * region's address and size allow (sysgen aligns regions for it), retyped
 * from one untyped, so physically contiguous (a DMA buffer's driver is told
 * the first one's address); device regions: 4 KiB frames of the device's
 * pages from the boot device untypeds. Every party maps copies of their
 * caps. */
static void create_regions(const sys_config_t *s)
{
    for (int r = 0; r < s->nregions; r++) {
        const sys_region_t *g = &s->regions[r];
        l4_word_t bits = region_frame_bits(g);
        l4_word_t type = bits == 20   ? L4_OBJ_FRAME_1M
                         : bits == 16 ? L4_OBJ_FRAME_64K
                                      : L4_OBJ_FRAME_4K;
        if (g->flags & COMP_REGION_DEVICE)
            sys_check(l4_boot_device_frames(g->paddr, g->size >> bits, &region_frames[r]),
                      "device frames");
        else
            sys_check(l4_boot_new_n(type, 0, g->size >> bits, &region_frames[r]), "region frames");
    }
}

int main(void)
{
    const sys_config_t *s = &sys_config;
    printf("root: starting %d guest(s), %d component(s), %d channel(s), %d region(s)\n", s->nguests,
           s->ncomps, s->nchannels, s->nregions);
    fflush(stdout); /* before the console server prints too */
    root_ep = sys_new(L4_OBJ_ENDPOINT, 0);
    for (int k = 0; k < s->nguests; k++) {
        guest_ntfn[k] = sys_new(L4_OBJ_NOTIFICATION, 0);
        vmm_ntfn[k] = sys_new(L4_OBJ_NOTIFICATION, 0);
        vmm_ep[k] = sys_new(L4_OBJ_ENDPOINT, 0);
    }
    comps_create_objects(s);
    for (int c = 0; c < s->nchannels; c++)
        chan_page[c] = sys_new(L4_OBJ_FRAME_4K, 0);
    create_regions(s);
    servers_start_console(s);
    if (s->timer_server)
        servers_start_timer(s);
    /* The console's serial driver before anything that prints: until it
     * runs, what the console writes waits in the channel's ring
     * (docs/drivers.md). */
    int serial = servers_console_channel(s), driver = -1;
    if (serial >= 0) {
        const sys_channel_t *ch = &s->channels[serial];
        driver = (ch->a == SYS_CONSOLE_PARTY ? ch->b : ch->a) - SYS_COMPONENT(0);
        comps_start(s, driver);
    }
    for (int k = 0; k < s->nguests; k++)
        servers_start_vmm(s, k);
    for (int j = 0; j < s->ncomps; j++)
        if (j != driver)
            comps_start(s, j);
    return monitor_run(s);
}
