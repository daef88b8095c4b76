/* SPDX-License-Identifier: BSD-2-Clause */
/* Native components of the demo and test images: written straight against
 * libl4 and the console/timer clients, beside the guests. */
#include <stdio.h>
#include <string.h>
#include "../console/console.h"
#include "../vtimer/vtimer.h"
#include <system/channel.h>
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

/* Whether slot s of the component's own CSpace holds a capability: copying
 * from an empty slot fails the lookup (the scratch copy is deleted again). */
static int slot_used(l4_word_t s)
{
    const l4_word_t scratch = 4095;
    l4_word_t err =
        l4_cnode_copy(COMP_CAP_CNODE, scratch, 32, s, 32, L4_RIGHTS_ALL, COMP_CAP_CNODE);
    l4_cnode_delete(COMP_CAP_CNODE, scratch, 32);
    return err != L4_ERR_FAILED_LOOKUP;
}

static int capcheck(const char *name, int ok)
{
    console_printf(NATIVE_CAP_CONSOLE, "[test] %s %s\n", ok ? "PASS" : "FAIL", name);
    return ok;
}

/* Checks that its CSpace holds exactly what its description granted: an
 * IRQ handler per granted line (and it can ack it), nothing for other
 * lines, no VMM endpoints unless vmm_control, channel caps only for its
 * channels, and a zeroed, writable heap region of the size given. */
void native_capcheck_main(l4_word_t arg)
{
    const native_env_t *env = (const native_env_t *)arg;
    int ok = 1;
    for (l4_word_t k = 0; k < env->nirqs; k++) {
        char what[64];
        snprintf(what, sizeof what, "native_irq_%lu_granted_and_acked", (unsigned long)env->irq[k]);
        ok &= capcheck(what, l4_irq_handler_ack(NATIVE_CAP_IRQ + k) == L4_ERR_OK);
    }
    int none = 1;
    for (l4_word_t k = env->nirqs; k < NATIVE_MAX_IRQS; k++)
        none &= !slot_used(NATIVE_CAP_IRQ + k);
    ok &= capcheck("native_no_irq_beyond_its_grants", none);
    none = 1;
    for (l4_word_t k = env->nvmm; k < NATIVE_CAP_CHAN - NATIVE_CAP_VMM; k++)
        none &= !slot_used(NATIVE_CAP_VMM + k);
    ok &= capcheck("native_no_vmm_caps_unless_granted", none);
    none = 1;
    for (l4_word_t i = 0; i < GUEST_MAX_CHANNELS; i++)
        none &= slot_used(NATIVE_CAP_CHAN + i) == (i < env->nchannels);
    ok &= capcheck("native_channel_caps_match_description", none);
    int heap_ok = 1;
    volatile uint32_t *heap = (volatile uint32_t *)COMP_HEAP_VADDR;
    for (l4_word_t w = 0; w < env->heap_size / 4; w += 1024) {
        heap_ok &= heap[w] == 0;
        heap[w] = (uint32_t)w;
        heap_ok &= heap[w] == w;
    }
    ok &= capcheck("native_heap_mapped_zeroed_writable", heap_ok && env->heap_size > 0);
    report_done(ok ? 0 : 1);
    for (;;)
        l4_wait(NATIVE_CAP_NTFN, 0);
}
