/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo over channels (port.h, port_chan_*): the channel page holds a
 * ring of records each way (servers/include/system/channel.h). On each
 * channel the party with the lower id asks ("ping N") and the other
 * answers ("pong N ..."), DEMO_ROUNDS times. The peer's signal arrives as
 * an interrupt line whose handler gives the channel's semaphore; the
 * channel's task does the rest. A signal means "look at both rings": a
 * record to take, or room in a ring this side waits on.
 */
#include <system/channel.h>

#include "demo.h"

#define DEMO_MAX_CHANNELS 8

typedef struct {
    unsigned index;
    chan_ring_t *tx, *rx; /* the ring this machine produces into, and the peer's */
    rtos_sem_t signalled;
    rtos_task_t task;
    uint64_t stack[1024 / 8];
} demo_chan_t;

static demo_chan_t chans[DEMO_MAX_CHANNELS];
static unsigned nchans;

/* Interrupt context: the peer put a record or took one. */
static void chan_irq(unsigned line, void *arg)
{
    demo_chan_t *c = arg;

    if (rtos_sem_count(&c->signalled) == 0)
        rtos_sem_give(&c->signalled);
}

/* Append text and then num (decimal) to the string in dst (n bytes). */
static void str_put(char *dst, size_t n, const char *text, unsigned num)
{
    size_t i = strlen(dst);
    char digits[12];
    int d = 0;

    for (; *text && i + 1 < n; text++)
        dst[i++] = *text;
    do
        digits[d++] = (char)('0' + num % 10);
    while ((num /= 10) != 0);
    while (d && i + 1 < n)
        dst[i++] = digits[--d];
    dst[i] = 0;
}

/* Wait for the peer's signal; 0 after DEMO_TIMEOUT ticks without one. */
static int chan_wait(demo_chan_t *c, const char *what)
{
    if (rtos_sem_take(&c->signalled, DEMO_TIMEOUT) == RTOS_OK)
        return 1;
    rtos_printf("channel %u: no %s from %u\n", c->index, what, (unsigned)port_chan_peer(c->index));
    return 0;
}

/* Put text as one record, waiting while the ring is full; 0 on a timeout. */
static int chan_send(demo_chan_t *c, const char *text)
{
    while (!chan_put(c->tx, text, (uint32_t)strlen(text) + 1))
        if (chan_prepare_wait(c->tx) == 0 && !chan_wait(c, "room"))
            return 0;
    port_chan_signal(c->index);
    return 1;
}

/* The next record as a terminated string in text (CHAN_REC_DATA + 1
 * bytes), taken; 0 on a timeout. The producer is told if it waits. */
static int chan_receive(demo_chan_t *c, char *text, const char *what)
{
    chan_rec_t rec;

    while (!chan_get(c->rx, &rec))
        if (!chan_wait(c, what))
            return 0;
    memcpy(text, rec.data, rec.len);
    text[rec.len] = 0;
    if (chan_wake_producer(c->rx))
        port_chan_signal(c->index);
    return 1;
}

static int ask(demo_chan_t *c)
{
    char text[CHAN_REC_DATA + 1];

    for (uint32_t k = 1; k <= DEMO_ROUNDS; k++) {
        char req[CHAN_REC_DATA] = "";

        str_put(req, sizeof(req), "ping ", k);
        if (!chan_send(c, req) || !chan_receive(c, text, "answer"))
            return 1;
        rtos_printf("channel %u: sent 'ping %u', reply '%s'\n", c->index, (unsigned)k, text);
    }
    return 0;
}

static int answer(demo_chan_t *c)
{
    char text[CHAN_REC_DATA + 1];

    for (uint32_t k = 1; k <= DEMO_ROUNDS; k++) {
        char resp[CHAN_REC_DATA] = "";

        if (!chan_receive(c, text, "request"))
            return 1;
        rtos_printf("channel %u: got '%s' from %u\n", c->index, text,
                    (unsigned)port_chan_peer(c->index));
        str_put(resp, sizeof(resp), "pong ", k);
        str_put(resp, sizeof(resp), " from machine ", (unsigned)port_chan_self());
        if (!chan_send(c, resp))
            return 1;
    }
    return 0;
}

static void chan_main(void *arg)
{
    demo_chan_t *c = arg;
    int asker = port_chan_self() < port_chan_peer(c->index);

    rtos_task_exit(asker ? ask(c) : answer(c));
}

unsigned demo_channels_start(void)
{
    nchans = port_chan_count();
    if (nchans > DEMO_MAX_CHANNELS)
        nchans = DEMO_MAX_CHANNELS;
    for (unsigned i = 0; i < nchans; i++) {
        demo_chan_t *c = &chans[i];

        c->index = i;
        c->tx = chan_tx(port_chan_page(i), port_chan_end(i));
        c->rx = chan_rx(port_chan_page(i), port_chan_end(i));
        rtos_sem_init(&c->signalled, 0, 1);
        rtos_irq_attach(port_chan_line(i), chan_irq, c);
        rtos_task_create(&c->task, "chan", 11, chan_main, c, c->stack, sizeof(c->stack));
    }
    return nchans;
}

int demo_channels_join(void)
{
    int failed = 0;

    for (unsigned i = 0; i < nchans; i++) {
        int code = 1;

        rtos_task_join(&chans[i].task, RTOS_WAIT_FOREVER, &code);
        rtos_irq_detach(port_chan_line(i));
        failed |= code;
    }
    return failed;
}
