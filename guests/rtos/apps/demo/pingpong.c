/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The demo over channels (port.h, port_chan_*), in the message format of
 * servers/include/system/channel.h: on each channel the party with the
 * lower id asks ("ping N") and the other answers ("pong N ..."), DEMO_ROUNDS
 * times. The peer's signal arrives as an interrupt line whose handler gives
 * the channel's semaphore; the channel's task does the rest.
 */
#include <system/channel.h>

#include "demo.h"

#define DEMO_MAX_CHANNELS 8

typedef struct {
    unsigned index;
    chan_msg_t *msg;
    rtos_sem_t signalled;
    rtos_task_t task;
    uint64_t stack[1024 / 8];
} demo_chan_t;

static demo_chan_t chans[DEMO_MAX_CHANNELS];
static unsigned nchans;

/* Interrupt context: the peer wrote to the page. */
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

/* Copy the peer's text out of the shared page, always terminated. */
static void str_get(char *dst, const char *src, size_t n)
{
    memcpy(dst, src, n - 1);
    dst[n - 1] = 0;
}

static int ask(demo_chan_t *c)
{
    chan_msg_t *m = c->msg;
    char text[sizeof(m->req)];

    for (uint32_t k = 1; k <= DEMO_ROUNDS; k++) {
        m->req[0] = 0;
        str_put(m->req, sizeof(m->req), "ping ", k);
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* text before seq */
        m->req_seq = k;
        port_chan_signal(c->index);
        while (m->resp_seq != k)
            if (rtos_sem_take(&c->signalled, DEMO_TIMEOUT) != RTOS_OK) {
                rtos_printf("channel %u: no answer from %u\n", c->index,
                            (unsigned)port_chan_peer(c->index));
                return 1;
            }
        str_get(text, m->resp, sizeof(text));
        rtos_printf("channel %u: sent 'ping %u', reply '%s'\n", c->index, (unsigned)k, text);
    }
    return 0;
}

static int answer(demo_chan_t *c)
{
    chan_msg_t *m = c->msg;
    char text[sizeof(m->req)];

    for (uint32_t k = 1; k <= DEMO_ROUNDS; k++) {
        while (m->req_seq != k)
            if (rtos_sem_take(&c->signalled, DEMO_TIMEOUT) != RTOS_OK) {
                rtos_printf("channel %u: no request from %u\n", c->index,
                            (unsigned)port_chan_peer(c->index));
                return 1;
            }
        str_get(text, m->req, sizeof(text));
        rtos_printf("channel %u: got '%s' from %u\n", c->index, text,
                    (unsigned)port_chan_peer(c->index));
        m->resp[0] = 0;
        str_put(m->resp, sizeof(m->resp), "pong ", k);
        str_put(m->resp, sizeof(m->resp), " from machine ", (unsigned)port_chan_self());
        __atomic_thread_fence(__ATOMIC_SEQ_CST); /* text before seq */
        m->resp_seq = k;
        port_chan_signal(c->index);
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
        c->msg = port_chan_page(i);
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
