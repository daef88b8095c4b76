/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Message queues: a ring of capacity fixed-size messages, copied in and out.
 *
 * Invariants (interrupts off):
 *  - receivers wait only while count == 0, senders only while
 *    count == capacity;
 *  - hand-off is direct: a send to an empty queue with a waiting receiver
 *    copies into the receiver's buffer; a receive from a full queue with a
 *    waiting sender refills the freed slot from that sender's message.
 *    Woken tasks therefore never retry, and FIFO order is preserved.
 */
#include "kernel.h"

int rtos_queue_init(rtos_queue_t *q, void *buf, uint32_t msg_size, uint32_t capacity)
{
    if (!q || !buf || msg_size == 0 || capacity == 0)
        return RTOS_EINVAL;
    wq_init(&q->senders);
    wq_init(&q->receivers);
    q->buf = buf;
    q->msg_size = msg_size;
    q->capacity = capacity;
    q->count = 0;
    q->head = 0;
    return RTOS_OK;
}

static uint8_t *queue_slot(rtos_queue_t *q, uint32_t i)
{
    return q->buf + ((q->head + i) % q->capacity) * q->msg_size;
}

int rtos_queue_send(rtos_queue_t *q, const void *msg, rtos_tick_t timeout)
{
    port_irqflags_t flags;
    rtos_task_t *rx;
    int r = RTOS_OK;

    if (!q || !msg)
        return RTOS_EINVAL;
    flags = port_irq_save();
    rx = wq_first(&q->receivers);
    if (rx) {
        memcpy(rx->wait_buf, msg, q->msg_size);
        sched_wake(rx, RTOS_OK);
        sched_preempt();
    } else if (q->count < q->capacity) {
        memcpy(queue_slot(q, q->count), msg, q->msg_size);
        q->count++;
    } else if (timeout == RTOS_NO_WAIT || !sched_can_block()) {
        r = RTOS_EAGAIN;
    } else {
        sched.cur->wait_buf = (void *)msg;
        r = sched_block(&q->senders, timeout);
    }
    port_irq_restore(flags);
    return r;
}

int rtos_queue_recv(rtos_queue_t *q, void *msg, rtos_tick_t timeout)
{
    port_irqflags_t flags;
    rtos_task_t *tx;
    int r = RTOS_OK;

    if (!q || !msg)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (q->count > 0) {
        memcpy(msg, queue_slot(q, 0), q->msg_size);
        q->head = (q->head + 1) % q->capacity;
        q->count--;
        tx = wq_first(&q->senders);
        if (tx) {
            memcpy(queue_slot(q, q->count), tx->wait_buf, q->msg_size);
            q->count++;
            sched_wake(tx, RTOS_OK);
            sched_preempt();
        }
    } else if (timeout == RTOS_NO_WAIT || !sched_can_block()) {
        r = RTOS_EAGAIN;
    } else {
        sched.cur->wait_buf = msg;
        r = sched_block(&q->receivers, timeout);
    }
    port_irq_restore(flags);
    return r;
}
