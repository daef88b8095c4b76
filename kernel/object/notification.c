/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: a word of signal bits and a queue of waiters; signalling
 * a notification bound to a thread (or a vCPU) is delivered to it. No
 * invocation methods: signal is send, wait is recv, poll is nbrecv. */
#include <assert.h>
#include <ipc.h>
#include <ipc_queue.h>
#include <irq.h>
#include <object/vcpu.h>
#include <object/vcpu_timer.h>
#include <sched.h>
#include <trace.h>

void notification_signal(notification_t *n, word_t badge)
{
    if (n->head) {
        tcb_t *t = n->head;
        trace_signal(ks_cur, n, badge, t, 0);
        ntfn_wake_waiter(n, t, badge);
        return;
    }
    tcb_t *b = n->bound;
    if (b && b->vcpu) {
        trace_signal(ks_cur, n, badge, b, 1);
        vcpu_signal(b, badge); /* a virtual interrupt (docs/vcpu.md) */
        return;
    }
    if (b && b->state == THREAD_BLOCKED_RECV) {
        trace_signal(ks_cur, n, badge, b, 0);
        ipc_cancel(b);
        b->ctx.pc += (b->ctx.cpsr & BIT(5)) ? 2 : 4; /* it completes, no restart */
        b->ctx.r[0] = L4_ERR_OK;
        b->ctx.r[1] = ((word_t)L4_LABEL_NOTIFICATION << L4_MSG_LABEL_SHIFT) | L4_MSG_FROM_KERNEL;
        b->ctx.r[6] = badge | n->word;
        n->word = 0;
        thread_wake(b);
        return;
    }
    trace_signal(ks_cur, n, badge, 0, 0);
    n->word |= badge;
}

/* A vCPU's thread waiting on (or polling) its bound notification: what
 * was signalled there while it did not wait is in virq_pending
 * (notification_signal, irq_deliver_vcpu), not in the word. The wait takes
 * those lines and returns at once, with exactly the result it would have
 * had if they had come while it waited (docs/vcpu.md, "Virtual
 * interrupts"): a guest that waits with virtual interrupts off (an idle
 * loop, a full console ring) never sleeps on a line it already has. 0 for
 * any other wait. */
static inline word_t ntfn_take_vcpu_lines(const tcb_t *t, const notification_t *n)
{
    if (n != t->bound_ntfn || !t->vcpu)
        return 0;
    word_t bits = t->vcpu->state[L4_VCPU_STATE_VIRQ_PENDING];
    t->vcpu->state[L4_VCPU_STATE_VIRQ_PENDING] = 0;
    return bits;
}

void notification_wait(tcb_t *t, const cap_t *cap, bool blocking)
{
    notification_t *n = (notification_t *)cap->obj;
    word_t bits = n->word | ntfn_take_vcpu_lines(t, n);
    if (bits) {
        t->ctx.r[0] = L4_ERR_OK;
        t->ctx.r[6] = bits;
        n->word = 0;
        trace_recv_signal(t, n, t->ctx.r[6], 0);
        return;
    }
    if (!blocking) {
        t->ctx.r[0] = L4_ERR_WOULD_BLOCK;
        t->ctx.r[6] = 0;
        return;
    }
    trace_ipc_recv(t, n, 0, 0, 0);
    thread_block(t, THREAD_BLOCKED_NTFN, n);
    queue_append(ntfn_queue(n), t);
}

/* The first step of destroying a notification (its last cap is now a
 * zombie): nothing signals it any more, no thread is bound to it. Bounded:
 * the IRQ table has PLAT_IRQ_MAX lines. */
void notification_detach(notification_t *n)
{
    irq_forget_notification(n);
    if (n->bound) {
        tcb_timer_disarm(n->bound); /* it signals n only */
        n->bound->bound_ntfn = NULL;
        n->bound = NULL;
    }
}

/* Wake up to `batch` waiters with OBJECT_DELETED; true once none is left. */
bool notification_drain(notification_t *n, word_t batch)
{
    for (word_t k = 0; n->head && k < batch; k++) {
        tcb_t *t = n->head;
        queue_remove(ntfn_queue(n), t);
        t->ctx.r[0] = L4_ERR_OBJECT_DELETED;
        thread_wake(t);
    }
    return n->head == NULL;
}

void notification_finalise(notification_t *n)
{
    /* Drained step by step by the delete walk (core/delete.c) if it had
     * waiters; detaching again costs the same constant. */
    assert(!n->head);
    notification_detach(n);
}
