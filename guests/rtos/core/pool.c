/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Fixed-block memory pools. A free with a waiter hands the block directly
 * to the most urgent waiter (like a semaphore's unit), so a woken task
 * never retries and a late-coming task cannot steal it.
 *
 * Layout: count strides of RTOS_POOL_STRIDE(size) bytes; each stride is a
 * header word and the block. The header holds the pool while the block is
 * allocated and links the free list while it is free: a free is accepted
 * only for a stride boundary of this pool whose header names the pool.
 * Invariants: used == count - length(free list); used < count implies no
 * waiters.
 */
#include "kernel.h"

int rtos_pool_init(rtos_pool_t *p, void *buf, uint32_t block_size, uint32_t count)
{
    uint32_t stride = RTOS_POOL_STRIDE(block_size);

    if (!p || !buf || ((uintptr_t)buf & 3) || block_size == 0 || count == 0 ||
        block_size > 0x10000u || count > 0x10000u)
        return RTOS_EINVAL;
    wq_init(&p->wq);
    p->base = buf;
    p->stride = stride;
    p->count = count;
    p->used = 0;
    p->free = NULL;
    for (uint32_t i = count; i-- > 0;) { /* free list in address order */
        uint32_t *h = (uint32_t *)(p->base + i * stride);

        *h = (uint32_t)(uintptr_t)p->free;
        p->free = h;
    }
    return RTOS_OK;
}

/* Pop the first free block and mark it allocated. used < count. */
static void *pool_take(rtos_pool_t *p)
{
    uint32_t *h = p->free;

    p->free = (uint32_t *)(uintptr_t)*h;
    *h = (uint32_t)(uintptr_t)p;
    p->used++;
    return h + 1;
}

int rtos_pool_alloc(rtos_pool_t *p, void **block, rtos_tick_t timeout)
{
    port_irqflags_t flags;
    int r = RTOS_OK;

    if (!p || !block)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (p->used < p->count) {
        *block = pool_take(p);
    } else if (timeout == RTOS_NO_WAIT || !sched_can_block()) {
        r = RTOS_EAGAIN;
    } else {
        sched.cur->wait_buf = NULL;
        r = sched_block(&p->wq, timeout);
        if (r == RTOS_OK)
            *block = sched.cur->wait_buf;
    }
    port_irq_restore(flags);
    return r;
}

/* Is block an allocated block of p? Changes nothing. */
static bool pool_owns(const rtos_pool_t *p, const void *block)
{
    uintptr_t off = (uintptr_t)block - (uintptr_t)p->base;

    return (uintptr_t)block >= (uintptr_t)p->base + 4 && off < p->count * p->stride &&
           off % p->stride == 4 && ((const uint32_t *)block)[-1] == (uint32_t)(uintptr_t)p;
}

int rtos_pool_free(rtos_pool_t *p, void *block)
{
    port_irqflags_t flags;
    rtos_task_t *t;
    int r = RTOS_OK;

    if (!p)
        return RTOS_EINVAL;
    flags = port_irq_save();
    if (!pool_owns(p, block)) {
        r = RTOS_EINVAL;
    } else if ((t = wq_first(&p->wq)) != NULL) {
        t->wait_buf = block; /* stays allocated: handed over */
        sched_wake(t, RTOS_OK);
        sched_preempt();
    } else {
        uint32_t *h = (uint32_t *)block - 1;

        *h = (uint32_t)(uintptr_t)p->free;
        p->free = h;
        p->used--;
    }
    port_irq_restore(flags);
    return r;
}

uint32_t rtos_pool_available(const rtos_pool_t *p)
{
    return p->count - p->used;
}
