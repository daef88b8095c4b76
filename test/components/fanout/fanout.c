/* SPDX-License-Identifier: BSD-2-Clause */
/* Components joined by channels: the one named `fan-a` signals every
 * channel it has, each other one signals its channels back once it has
 * seen them all, and each checks that notified() came for every one of
 * its channel ids and no other. systems/components.sys joins two by 35
 * channels, more than a notification has direct lines, so some land on
 * the extra notifications (system/comp.h); systems/components-64.sys
 * joins 64 components in a star, the hub with 64 channels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>
#include <system/comp.h>

static unsigned char seen[COMP_MAX_IDS];
static unsigned nchannels, nseen, strays;

static void notify_all(void)
{
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++)
        if (comp_id_is(id, COMP_ID_CHANNEL))
            comp_notify(id);
}

void init(void)
{
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++)
        nchannels += comp_id_is(id, COMP_ID_CHANNEL);
    printf("%u channels\n", nchannels);
    if (strcmp(comp_name(), "fan-a") == 0)
        notify_all();
}

void notified(comp_id_t id)
{
    if (!comp_id_is(id, COMP_ID_CHANNEL)) {
        strays++;
        return;
    }
    if (!seen[id]++)
        nseen++;
    if (nseen < nchannels)
        return;
    int ok = strays == 0;
    printf("[test] %s fanout_%s_notified_on_all_%u_channels\n", ok ? "PASS" : "FAIL", comp_name(),
           nchannels);
    if (strcmp(comp_name(), "fan-a") != 0)
        notify_all();
    exit(ok ? 0 : 1);
}
