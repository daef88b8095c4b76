/* SPDX-License-Identifier: BSD-2-Clause */
/* A channel's page (docs/system.md, "[channel NAME]"; docs/vmm.md,
 * "Channels"): two rings of records (system/ring.h, the system's one ring
 * kind), one each way. ring[e] is produced by end e of the description
 * (0: `a`, 1: `b`) and consumed by the other end; a party learns its end
 * from its guest-info page (GUEST_INFO_CHAN_END + i, port_chan_end(i)) or
 * its environment (comp_channel_end(id)).
 *
 * Each end signals the peer's line after it put records (there is data)
 * and after it took records from a ring whose producer waits for room
 * (chan_wake_producer); on a signal a party looks at both rings. A
 * producer finding its ring full calls chan_prepare_wait and, if that
 * still says full, waits for the peer's signal: nothing is dropped. The
 * counters live in the page, which outlives a restart of either party
 * (the root owns it): a restarted party goes on from them, so nothing
 * published is lost or taken twice. A party must look at its rings when
 * it starts, before it waits for a signal: one sent to its previous
 * instance is gone.
 *
 * Used by the demo and test programs: components (servers/pingpong/), the
 * VMM test guest and the RTOS demo (guests/rtos/apps/demo); freestanding. */
#pragma once
#include <stdint.h>
#include <system/ring.h>

#define CHAN_REC_DATA 60u   /* payload bytes per record */
#define CHAN_RING_COUNT 16u /* records per direction */
RING_ASSERT_COUNT(CHAN_RING_COUNT);

typedef struct {
    uint32_t len; /* payload bytes used (a consumer clamps it to CHAN_REC_DATA) */
    uint8_t data[CHAN_REC_DATA];
} chan_rec_t;

typedef RING_OF(chan_rec_t, CHAN_RING_COUNT) chan_ring_t;

typedef struct {
    chan_ring_t ring[2]; /* ring[e]: produced by end e */
} chan_page_t;

_Static_assert(sizeof(chan_page_t) <= 4096, "a channel is one page");

/* The ring end `end` (0: a, 1: b) of the channel page produces into. */
static inline chan_ring_t *chan_tx(void *page, uint32_t end)
{
    return &((chan_page_t *)page)->ring[end & 1u];
}

/* The ring it consumes. */
static inline chan_ring_t *chan_rx(void *page, uint32_t end)
{
    return &((chan_page_t *)page)->ring[(end & 1u) ^ 1u];
}

/* Producer: append one record of n bytes (n <= CHAN_REC_DATA, more is
 * cut); 1 if it was put, 0 if the ring is full. */
static inline int chan_put(chan_ring_t *r, const void *p, uint32_t n)
{
    chan_rec_t rec;
    if (n > CHAN_REC_DATA)
        n = CHAN_REC_DATA;
    rec.len = n;
    __builtin_memcpy(rec.data, p, n);
    if (n < CHAN_REC_DATA)
        __builtin_memset(rec.data + n, 0, CHAN_REC_DATA - n);
    return (int)ring_put(RING_ARGS(r), &rec, 1);
}

/* Consumer: copy the oldest record to *rec without taking it (1), or 0
 * if there is none; its len is clamped, whatever the peer wrote. Act on
 * the copy, then chan_drop: a restart in between finds it again. */
static inline int chan_peek(const chan_ring_t *r, chan_rec_t *rec)
{
    if (!ring_peek(&r->ctl, r->slot, sizeof r->slot[0], CHAN_RING_COUNT, rec))
        return 0;
    if (rec->len > CHAN_REC_DATA)
        rec->len = CHAN_REC_DATA;
    return 1;
}

/* Consumer: take the record peeked. */
static inline void chan_drop(chan_ring_t *r)
{
    ring_drop(&r->ctl, 1);
}

/* Consumer: take the oldest record into *rec (1), or 0 if there is none. */
static inline int chan_get(chan_ring_t *r, chan_rec_t *rec)
{
    if (!chan_peek(r, rec))
        return 0;
    chan_drop(r);
    return 1;
}

/* Records ready to be taken (0 for a corrupt ring). */
static inline uint32_t chan_ready(const chan_ring_t *r)
{
    return ring_ready(&r->ctl, CHAN_RING_COUNT);
}

/* Free records for the producer (0 for a corrupt ring). */
static inline uint32_t chan_room(const chan_ring_t *r)
{
    return ring_room(&r->ctl, CHAN_RING_COUNT);
}

/* Producer, on a full ring: ring_prepare_wait (0: wait for the peer's
 * signal, which comes once it took a record). */
static inline uint32_t chan_prepare_wait(chan_ring_t *r)
{
    return ring_prepare_wait(&r->ctl, CHAN_RING_COUNT);
}

/* Consumer, after taking: whether the producer waits (signal the peer). */
static inline int chan_wake_producer(chan_ring_t *r)
{
    return ring_wake_producer(&r->ctl);
}
