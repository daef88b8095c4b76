/* SPDX-License-Identifier: BSD-2-Clause */
/* FIFO queues of blocked threads, shared by endpoints (core/ipc.c,
 * object/endpoint.c) and notifications (object/notification.c). A thread is
 * in at most one queue, through tcb.ipc_next/ipc_prev. */
#pragma once
#include <ipc.h>
#include <object/objects.h>

typedef struct {
    tcb_t **head, **tail;
} queue_t;

static inline void queue_append(queue_t q, tcb_t *t)
{
    t->ipc_next = NULL;
    t->ipc_prev = *q.tail;
    if (*q.tail)
        (*q.tail)->ipc_next = t;
    else
        *q.head = t;
    *q.tail = t;
}

static inline void queue_remove(queue_t q, tcb_t *t)
{
    if (t->ipc_prev)
        t->ipc_prev->ipc_next = t->ipc_next;
    else
        *q.head = t->ipc_next;
    if (t->ipc_next)
        t->ipc_next->ipc_prev = t->ipc_prev;
    else
        *q.tail = t->ipc_prev;
    t->ipc_next = t->ipc_prev = NULL;
}

static inline queue_t ep_queue(endpoint_t *ep)
{
    return (queue_t){&ep->head, &ep->tail};
}
static inline queue_t ntfn_queue(notification_t *n)
{
    return (queue_t){&n->head, &n->tail};
}

/* t, waiting on n, wakes with `bits` and every bit n had (n's word is
 * consumed): a signal's delivery to a waiter (object/notification.c, and a
 * routed line's to a vCPU thread idle on its bound one, core/irq.c). */
static inline void ntfn_wake_waiter(notification_t *n, tcb_t *t, word_t bits)
{
    queue_remove(ntfn_queue(n), t);
    t->ctx.r[0] = L4_ERR_OK;
    t->ctx.r[6] = bits | n->word;
    n->word = 0;
    thread_wake(t);
}
