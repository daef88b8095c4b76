/* SPDX-License-Identifier: BSD-2-Clause */
/* The serial protocol between a UART driver (servers/uart) and its one
 * client (the console server): a page shared by the two with two byte
 * rings (system/ring.h), and a notification each way (docs/drivers.md,
 * "The UART").
 *
 *  tx: the client produces the bytes to send, the driver consumes them;
 *  rx: the driver produces the bytes received, the client consumes them.
 *
 * Nothing is dropped: a producer that finds its ring full sleeps on its
 * notification after ring_prepare_wait(); the consumer signals when
 * ring_wake_producer() says so. A byte the driver cannot put into a full
 * rx ring stays in the UART, whose receive FIFO then holds the line back.
 * The same pair of byte rings is the guest console's page (system/guest.h)
 * and a ring channel's (system/channel.h). Freestanding. */
#pragma once
#include <stdint.h>
#include <system/ring.h>

#define SERIAL_RING_SIZE 1024u /* bytes per ring, a power of two */
RING_ASSERT_COUNT(SERIAL_RING_SIZE);

typedef RING_OF(uint8_t, SERIAL_RING_SIZE) serial_ring_t;

typedef struct {
    serial_ring_t tx, rx;
} serial_queue_t;

_Static_assert(sizeof(serial_queue_t) <= 4096, "a serial queue is one page");

/* Bytes ready to be taken (0 for a corrupt ring: more than it can hold). */
static inline uint32_t serial_ring_used(const serial_ring_t *r)
{
    return ring_ready(&r->ctl, SERIAL_RING_SIZE);
}

/* Producer: append up to n bytes; returns how many fit. */
static inline uint32_t serial_ring_put(serial_ring_t *r, const uint8_t *p, uint32_t n)
{
    return ring_put(RING_ARGS(r), p, n);
}

/* Consumer: take up to n bytes; returns how many were taken. */
static inline uint32_t serial_ring_get(serial_ring_t *r, uint8_t *p, uint32_t n)
{
    return ring_get(RING_ARGS(r), p, n);
}

/* Producer, on a full ring: ring_prepare_wait (0: sleep). */
static inline uint32_t serial_ring_prepare_wait(serial_ring_t *r)
{
    return ring_prepare_wait(&r->ctl, SERIAL_RING_SIZE);
}

/* Producer, for a flush: ring_prepare_drain (0: drained). */
static inline uint32_t serial_ring_prepare_drain(serial_ring_t *r)
{
    return ring_prepare_drain(&r->ctl, SERIAL_RING_SIZE);
}

/* Consumer, after taking: whether the producer must be signalled. */
static inline int serial_ring_wake_producer(serial_ring_t *r)
{
    return ring_wake_producer(&r->ctl);
}
