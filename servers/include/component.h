/* SPDX-License-Identifier: BSD-2-Clause */
/* Writing a component (docs/components.md). A component is a program of
 * its own (servers/<name>/, l4build.component) that the root task starts as
 * a system description says; the runtime (servers/lib/comp.c) owns main(),
 * the event loop and the IPC buffer, and calls the component's code:
 *
 *   void init(void);                    once, first (required)
 *   void notified(comp_id_t id);        a channel's peer signalled, an
 *                                       interrupt arrived, or the timer
 *                                       fired (id COMP_TIMER)
 *   comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info);
 *                                       a client called an endpoint this
 *                                       component serves; the return value
 *                                       is the reply
 *
 * Ids are the small integers the description gives the component's channel
 * ends, endpoint ends and interrupt lines. sysgen checks that the program
 * defines `protected` if it serves an endpoint and `notified` if anything
 * can notify it. When init() returns, the event loop starts if the
 * component has anything to wait for (an endpoint it serves, a channel, an
 * interrupt, the timer); otherwise the component ends with status 0.
 * exit(status) (or returning from init with nothing to wait for) ends this
 * component only: the root task reports it and, if the component is
 * awaited, counts its status. printf goes to the console server as lines
 * tagged with the component's console name; malloc draws from the `heap`
 * the description gives (none by default: malloc returns NULL). */
#pragma once
#include <stdint.h>
#include <l4/l4.h>

typedef l4_word_t comp_id_t;
typedef l4_word_t comp_msginfo_t; /* label and length: comp_msginfo() */

#define COMP_TIMER ((comp_id_t)64) /* notified(COMP_TIMER): the timer server's signal */

void init(void);
void notified(comp_id_t id);
comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info);

/* Messages: a label (20 bits) and up to 64 words, MR0..MR63. The runtime
 * holds one message at a time: in protected(), the request's words until
 * the reply is set; around comp_call(), the call's and then the reply's. */
static inline comp_msginfo_t comp_msginfo(l4_word_t label, l4_word_t length)
{
    return l4_msginfo(label, 0, length);
}
static inline l4_word_t comp_msginfo_label(comp_msginfo_t info)
{
    return l4_msginfo_label(info);
}
static inline l4_word_t comp_msginfo_length(comp_msginfo_t info)
{
    return l4_msginfo_length(info);
}
void comp_mr_set(unsigned i, l4_word_t value);
l4_word_t comp_mr_get(unsigned i);

/* Call the server of endpoint id (a client end): sends *info and MR0.. as
 * set, waits for the reply and stores its message info in *info. Returns
 * the kernel's error (L4_ERR_OK, or L4_ERR_FAILED_LOOKUP for an id that is
 * not a client end of this component). */
l4_word_t comp_call(comp_id_t id, comp_msginfo_t *info);
/* Signal the peer of channel id. */
void comp_notify(comp_id_t id);
/* The shared page of channel id (4 KiB), or NULL if id is not a channel. */
void *comp_channel_page(comp_id_t id);
/* This component's end of channel id: 0 = a, 1 = b (the ring it produces
 * into, system/channel.h); 0 if id is not a channel. */
unsigned comp_channel_end(comp_id_t id);
/* Unmask interrupt id after handling it (it stays masked from delivery to
 * ack). Returns the kernel's error. */
l4_word_t comp_irq_ack(comp_id_t id);
/* The driver of the kernel console's line saw a break: enter the kernel
 * debugger (debug kernels; returns when it continues). L4_ERR_ILLEGAL_OPERATION
 * for another line or kernel configuration. */
l4_word_t comp_irq_debug_break(comp_id_t id);

/* Arm its timer (the timer server's): notified(COMP_TIMER) after
 * period_us microseconds, and every period_us if periodic; 0 stops it.
 * Returns the server's status (L4_ERR_FAILED_LOOKUP in a system without
 * a timer server). */
l4_word_t comp_timer_set(l4_word_t period_us, int periodic);

/* This component's name (the description's), and how often it was
 * restarted after a fault (0 at the first start). */
const char *comp_name(void);
l4_word_t comp_boot_count(void);

/* Stop the machine with `status` (QEMU's exit status): only a component
 * the description gives `machine = yes` holds machine control; for any
 * other this returns L4_ERR_FAILED_LOOKUP and nothing happens. */
l4_word_t comp_machine_shutdown(l4_word_t status);
/* Whether the id is one of this component's ids of that kind
 * (COMP_ID_CHANNEL ... in system/comp.h), for code serving several. */
int comp_id_is(comp_id_t id, l4_word_t kind);
