/* SPDX-License-Identifier: BSD-2-Clause */
/* The serial protocol between a UART driver (servers/uart) and its one
 * client (the console server): a page shared by the two with two byte
 * rings, and a notification each way (docs/drivers.md, "The UART").
 *
 *  tx: the client produces the bytes to send, the driver consumes them;
 *  rx: the driver produces the bytes received, the client consumes them.
 *
 * Counters are free-running 32-bit: head is written only by the producer,
 * tail only by the consumer, each published with release order after the
 * bytes it covers. Nothing is dropped: a producer that finds its ring full
 * sets `waiting` and sleeps on its notification; the consumer, after taking
 * bytes from a ring whose `waiting` is set, clears it and signals. (The
 * producer sets `waiting` before it looks at the ring a last time, so the
 * signal cannot be missed.) A byte the driver cannot put into a full rx
 * ring stays in the UART, whose receive FIFO then holds the line back.
 * Freestanding. */
#pragma once
#include <stdint.h>

#define SERIAL_RING_SIZE 1024u /* bytes per ring, a power of two */

typedef struct {
    volatile uint32_t head, tail;
    volatile uint32_t waiting; /* 1: the producer sleeps until the consumer takes */
    uint32_t pad;
    uint8_t data[SERIAL_RING_SIZE];
} serial_ring_t;

typedef struct {
    serial_ring_t tx, rx;
} serial_queue_t;

_Static_assert(sizeof(serial_queue_t) <= 4096, "a serial queue is one page");

static inline uint32_t serial_load_acquire(const volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void serial_store_release(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Bytes ready to be taken (0 for a corrupt ring: more than it can hold). */
static inline uint32_t serial_ring_used(const serial_ring_t *r)
{
    uint32_t n = serial_load_acquire(&r->head) - r->tail;
    return n > SERIAL_RING_SIZE ? 0 : n;
}

/* Producer: append up to n bytes; returns how many fit. */
static inline uint32_t serial_ring_put(serial_ring_t *r, const uint8_t *p, uint32_t n)
{
    uint32_t head = r->head, room = SERIAL_RING_SIZE - (head - serial_load_acquire(&r->tail));
    if (room > SERIAL_RING_SIZE)
        room = 0; /* corrupt: the consumer ran ahead */
    if (n > room)
        n = room;
    for (uint32_t i = 0; i < n; i++)
        r->data[(head + i) % SERIAL_RING_SIZE] = p[i];
    serial_store_release(&r->head, head + n);
    return n;
}

/* Consumer: take up to n bytes; returns how many were taken. */
static inline uint32_t serial_ring_get(serial_ring_t *r, uint8_t *p, uint32_t n)
{
    uint32_t tail = r->tail, used = serial_ring_used(r);
    if (n > used)
        n = used;
    for (uint32_t i = 0; i < n; i++)
        p[i] = r->data[(tail + i) % SERIAL_RING_SIZE];
    serial_store_release(&r->tail, tail + n);
    return n;
}

/* Producer, on a full ring: announce the sleep, then look again. Returns
 * the room there is now; 0: sleep on the notification (the consumer will
 * signal), else go on (a spurious signal may follow: harmless). */
static inline uint32_t serial_ring_prepare_wait(serial_ring_t *r)
{
    r->waiting = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the flag before the last look */
    uint32_t room = SERIAL_RING_SIZE - (r->head - serial_load_acquire(&r->tail));
    return room > SERIAL_RING_SIZE ? 0 : room;
}

/* Consumer, after taking: whether the producer must be signalled. */
static inline int serial_ring_wake_producer(serial_ring_t *r)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the new tail before the look at the flag */
    if (!r->waiting)
        return 0;
    r->waiting = 0;
    return 1;
}
