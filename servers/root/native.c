/* SPDX-License-Identifier: BSD-2-Clause */
/* Native components of the demo and test images: written straight against
 * libl4 and the console/timer clients, beside the guests. */
#include <stdio.h>
#include <string.h>
#include "../console/console.h"
#include "../vtimer/vtimer.h"
#include "channel.h"
#include "system.h"

static void report_done(l4_word_t status)
{
    l4_msg_t m = {.info = l4_msginfo(ROOT_GUEST_DONE, 0, 1), .mr = {status}};
    l4_call(NATIVE_CAP_ROOT, &m);
}

/* Answers every request on its channels: "pong N" for "ping N". */
void native_pingpong_main(l4_word_t arg)
{
    const native_env_t *env = (const native_env_t *)arg;
    console_printf(NATIVE_CAP_CONSOLE, "native component '%s' up, %lu channel(s)\n", env->name,
                   (unsigned long)env->nchannels);
    for (;;) {
        l4_word_t bits = 0;
        l4_wait(NATIVE_CAP_NTFN, &bits);
        for (l4_word_t i = 0; i < env->nchannels; i++) {
            if (!(bits & (1u << GUEST_IRQ_CHAN(i))))
                continue;
            chan_msg_t *c = (chan_msg_t *)(NATIVE_CHAN_VADDR + 4096 * i);
            if (c->resp_seq == c->req_seq)
                continue;
            char req[sizeof c->req];
            memcpy(req, c->req, sizeof req);
            req[sizeof req - 1] = 0;
            console_printf(NATIVE_CAP_CONSOLE, "channel %lu: got '%s' from guest %lu\n",
                           (unsigned long)i, req, (unsigned long)env->chan_peer[i]);
            snprintf(c->resp, sizeof c->resp, "pong %lu from %s", (unsigned long)c->req_seq,
                     env->name);
            c->resp_seq = c->req_seq;
            l4_signal(NATIVE_CAP_CHAN + i);
        }
    }
}

/* Counts 50 ticks of a 1 ms periodic timer, printing every 10: progress
 * that a misbehaving guest must not stop. Reports status 0 when done. */
void native_progress_main(l4_word_t arg)
{
    const native_env_t *env = (const native_env_t *)arg;
    vtimer_set(NATIVE_CAP_TIMER, 1000, 1);
    for (unsigned ticks = 1; ticks <= 50; ticks++) {
        l4_word_t bits = 0;
        do
            l4_wait(NATIVE_CAP_NTFN, &bits);
        while (!(bits & (1u << GUEST_IRQ_TIMER)));
        if (ticks % 10 == 0)
            console_printf(NATIVE_CAP_CONSOLE, "%s: progress %u\n", env->name, ticks);
    }
    vtimer_set(NATIVE_CAP_TIMER, 0, 0);
    console_printf(NATIVE_CAP_CONSOLE, "[test] PASS native_progress\n");
    report_done(0);
    for (;;)
        l4_wait(NATIVE_CAP_NTFN, 0);
}
