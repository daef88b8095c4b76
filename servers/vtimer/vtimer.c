/* SPDX-License-Identifier: BSD-2-Clause */
/* Timer server. Each client (badge b < TIMER_MAX_CLIENTS) has at most one
 * timer; armed timers are kept in a list sorted by deadline (counter ticks)
 * and the hardware is always programmed for the head. At expiry the client's
 * notification (slot TIMER_CAP_CLIENT + b, badged with its line) is
 * signalled; a periodic timer advances by whole periods, never drifting and
 * never firing twice for one missed period. The one hardware-facing part
 * is the server thread's own kernel timer (tcb_set_timer on TIMER_CAP_TCB),
 * armed for the head's deadline on the generic counter: at expiry the
 * kernel signals the server's bound notification with TIMER_WAKE_BIT. User
 * level cannot program the generic timer itself (docs/api.md, "Timers").
 * A program of its own, started by the root task (servers/root/servers.c)
 * unless the system has no timer server. */
#include <stddef.h>
#include <l4/l4.h>
#include <system/proto.h>
#include "hw.h"

#define TIMER_WAKE_BIT 1u /* the badge the kernel timer signals with */

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

/* The kernel timer for the head's deadline (absolute: a passed one fires at
 * once), or off. Only when the head changes: a deadline programmed is
 * remembered, so an unchanged head costs no invocation. */
static uint64_t programmed; /* the kernel timer's deadline, 0: off */

static void vtimer_program(void)
{
    uint64_t want = armed_head ? armed_head->deadline : 0;
    if (want == programmed)
        return;
    programmed = want;
    if (!want) {
        l4_tcb_cancel_timer(TIMER_CAP_TCB);
        return;
    }
    l4_tcb_set_timer(TIMER_CAP_TCB, 0, TIMER_WAKE_BIT, (l4_word_t)want, (l4_word_t)(want >> 32), 0);
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
    l4_msg_t m = {0};
    l4_word_t err = l4_recv(TIMER_CAP_EP, &m);
    for (;;) {
        int reply = 0;
        l4_word_t label = l4_msginfo_label(m.info);
        /* A signal is what the kernel says it is: a client may send the
         * same label (it gets INVALID_ARGUMENT below). */
        if (err == L4_ERR_OK && l4_msginfo_is_signal(m.info)) {
            if (m.badge & TIMER_WAKE_BIT)
                programmed = 0; /* the one-shot kernel timer fired */
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
