/* SPDX-License-Identifier: BSD-2-Clause */
/* Answers every request on its channels: "pong N from NAME" for "ping N"
 * (records in the channel's rings, system/channel.h), then signals the
 * peer. A request is taken only once its answer is in the ring: with the
 * answer ring full it stays, the component marks the ring waited on and
 * goes on at the peer's next signal (it took an answer). It serves
 * forever: the systems that run it do not await it. */
#include <stdio.h>
#include <string.h>
#include <component.h>
#include <system/channel.h>
#include <system/comp.h>

/* Answer what channel id holds; returns after the last request or when
 * the answer ring is full (the peer's signal brings it back). */
static void serve(comp_id_t id)
{
    void *page = comp_channel_page(id);
    chan_ring_t *rx = chan_rx(page, comp_channel_end(id)),
                *tx = chan_tx(page, comp_channel_end(id));
    chan_rec_t req;
    int took = 0;
    while (chan_peek(rx, &req)) {
        char text[CHAN_REC_DATA + 1], resp[CHAN_REC_DATA];
        memcpy(text, req.data, req.len);
        text[req.len] = 0;
        const char *num = strncmp(text, "ping ", 5) == 0 ? text + 5 : "?";
        int n = snprintf(resp, sizeof resp, "pong %s from %s", num, comp_name());
        if (!chan_put(tx, resp, (uint32_t)(n < (int)sizeof resp ? n + 1 : (int)sizeof resp))) {
            if (chan_prepare_wait(tx) != 0)
                continue; /* room came meanwhile */
            break;
        }
        printf("channel %lu: got '%s'\n", (unsigned long)id, text);
        chan_drop(rx);
        took = 1;
    }
    if (took) { /* answers to take, and room if the peer waits for it */
        chan_wake_producer(rx);
        comp_notify(id);
    }
}

void init(void)
{
    unsigned n = 0;
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++)
        n += comp_id_is(id, COMP_ID_CHANNEL);
    printf("component '%s' up, %u channel(s)\n", comp_name(), n);
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++)
        if (comp_id_is(id, COMP_ID_CHANNEL))
            serve(id); /* what came before this start */
}

void notified(comp_id_t id)
{
    if (comp_channel_page(id))
        serve(id);
}
