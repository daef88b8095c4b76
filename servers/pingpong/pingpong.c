/* SPDX-License-Identifier: BSD-2-Clause */
/* Answers every request on its channels: "pong N from NAME" for "ping N"
 * (the format of system/channel.h), then signals the peer. It serves
 * forever: the systems that run it do not await it. */
#include <stdio.h>
#include <string.h>
#include <component.h>
#include <system/channel.h>
#include <system/comp.h>

void init(void)
{
    unsigned n = 0;
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++)
        n += comp_id_is(id, COMP_ID_CHANNEL);
    printf("component '%s' up, %u channel(s)\n", comp_name(), n);
}

void notified(comp_id_t id)
{
    chan_msg_t *c = comp_channel_page(id);
    if (!c || c->resp_seq == c->req_seq)
        return;
    char req[sizeof c->req];
    memcpy(req, c->req, sizeof req);
    req[sizeof req - 1] = 0;
    printf("channel %lu: got '%s'\n", (unsigned long)id, req);
    snprintf(c->resp, sizeof c->resp, "pong %lu from %s", (unsigned long)c->req_seq, comp_name());
    c->resp_seq = c->req_seq;
    comp_notify(id);
}
