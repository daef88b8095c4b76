/* SPDX-License-Identifier: BSD-2-Clause */
/* Timer server. Each client (badge b < TIMER_MAX_CLIENTS) has at most one
 * timer; armed timers are kept in a list sorted by deadline (counter ticks)
 * and the hardware is always programmed for the head. At expiry the client's
 * notification (slot TIMER_CAP_CLIENT + b, badged with its line) is
 * signalled; a periodic timer advances by whole periods, never drifting and
 * never firing twice for one missed period. A program of its own, started by
 * the root task (servers/root/servers.c) unless the system has no timer
 * server. */
#include <stddef.h>
#include <l4/l4.h>
#include <system/proto.h>
#include "hw.h"

#define TIMER_IRQ_BIT 1u /* badge of the IRQ handler's notification */

typedef struct vtimer {
    struct vtimer *next; /* sorted by deadline; valid while armed */
    uint64_t deadline;   /* counter ticks */
    uint64_t period;     /* ticks; 0: one-shot */
    int armed;
} vtimer_t;

static vtimer_t timers[TIMER_MAX_CLIENTS];
static vtimer_t *armed_head;
static uint32_t freq;

static void vtimer_unlink(vtimer_t *t)
{
    for (vtimer_t **p = &armed_head; *p; p = &(*p)->next)
        if (*p == t) {
            *p = t->next;
            break;
        }
    t->armed = 0;
}

static void vtimer_insert(vtimer_t *t)
{
    vtimer_t **p = &armed_head;
    while (*p && (*p)->deadline <= t->deadline)
        p = &(*p)->next;
    t->next = *p;
    *p = t;
    t->armed = 1;
}

static void vtimer_program(void)
{
    if (!armed_head) {
        vtimer_hw_stop();
        return;
    }
    uint64_t now = vtimer_hw_count();
    uint64_t d = armed_head->deadline > now ? armed_head->deadline - now : 0;
    vtimer_hw_arm(d > 0x7fffffffu ? 0x7fffffff : (int32_t)d);
}

/* Signal every client whose deadline has passed; re-arm periodic ones. */
static void vtimer_expire(void)
{
    uint64_t now = vtimer_hw_count();
    while (armed_head && armed_head->deadline <= now) {
        vtimer_t *t = armed_head;
        armed_head = t->next;
        t->armed = 0;
        l4_signal(TIMER_CAP_CLIENT + (l4_word_t)(t - timers));
        if (t->period) {
            t->deadline += t->period;
            if (t->deadline <= now) /* missed periods: skip them, fire once */
                t->deadline = now + t->period - (now - t->deadline) % t->period;
            vtimer_insert(t);
        }
    }
}

static uint64_t us_to_ticks(l4_word_t us)
{
    return (uint64_t)us * freq / 1000000u;
}

static l4_word_t vtimer_handle_set(l4_word_t badge, const l4_msg_t *m)
{
    if (badge >= TIMER_MAX_CLIENTS)
        return L4_ERR_INVALID_ARGUMENT;
    vtimer_t *t = &timers[badge];
    if (t->armed)
        vtimer_unlink(t);
    if (m->mr[0] == 0)
        return 0;
    uint64_t ticks = us_to_ticks(m->mr[0]);
    if (ticks == 0)
        ticks = 1;
    t->period = m->mr[1] ? ticks : 0;
    t->deadline = vtimer_hw_count() + ticks;
    vtimer_insert(t);
    return 0;
}

/* The timer server program: serves TIMER_CAP_EP (its CSpace: system/proto.h). */
int main(void)
{
    freq = vtimer_hw_freq();
    vtimer_hw_stop();
    l4_irq_handler_set_notification(TIMER_CAP_IRQ, TIMER_CAP_IRQ_NTFN);
    l4_irq_handler_ack(TIMER_CAP_IRQ);
    l4_msg_t m = {0};
    l4_word_t err = l4_recv(TIMER_CAP_EP, &m);
    for (;;) {
        int reply = 0;
        l4_word_t label = l4_msginfo_label(m.info);
        /* A signal is what the kernel says it is: a client may send the
         * same label (it gets INVALID_ARGUMENT below). */
        if (err == L4_ERR_OK && l4_msginfo_is_signal(m.info)) {
            if (m.badge & TIMER_IRQ_BIT) {
                vtimer_hw_stop(); /* quiet the level-triggered line, then ack */
                vtimer_expire();
                l4_irq_handler_ack(TIMER_CAP_IRQ);
            }
        } else if (err == L4_ERR_OK) {
            reply = 1;
            l4_word_t status = L4_ERR_INVALID_ARGUMENT;
            uint64_t now = 0;
            if (label == TIMER_SET) {
                status = vtimer_handle_set(m.badge, &m);
            } else if (label == TIMER_NOW) {
                now = vtimer_hw_count();
                status = 0;
            }
            m = (l4_msg_t){.info = l4_msginfo(0, 0, 4),
                           .mr = {status, (l4_word_t)now, (l4_word_t)(now >> 32), freq}};
        }
        vtimer_expire();
        vtimer_program();
        err = reply ? l4_reply_recv(TIMER_CAP_EP, &m) : l4_recv(TIMER_CAP_EP, &m);
    }
}
