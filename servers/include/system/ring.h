/* SPDX-License-Identifier: BSD-2-Clause */
/* The one shared-memory ring of the system (docs/drivers.md, "Rings"):
 * a single-producer single-consumer queue of fixed-size entries in a page
 * both parties map, with a notification each way. The serial protocol
 * (system/serial.h: bytes), the block protocol (system/blk.h: requests
 * and responses) and the guest console (a serial_queue_t at
 * GUEST_CONSOLE_VADDR, system/guest.h) are rings of this kind; only the
 * entry type and count differ. It is the virtio split queue cut down to what one
 * producer and one consumer need: no descriptors, the data is in the ring.
 *
 * A ring is a ring_t (the control words) followed by `count` entries of
 * `size` bytes, count a power of two; RING_OF declares one:
 *
 *     typedef RING_OF(blk_req_t, 32) blk_req_ring_t;
 *
 * Counters are free-running 32-bit: head is written only by the producer,
 * tail only by the consumer, each published with release order after the
 * entries it covers and read with acquire order by the other side. An
 * entry is copied exactly once each way, so a party that changes a slot it
 * does not own cannot make the other see two values.
 *
 * Neither party trusts the other: a head more than `count` ahead of tail
 * (or behind it) is a corrupt ring, which reads as empty to the consumer
 * and as full to the producer, so a misbehaving peer can stop the transfer
 * but never make the other read or write outside the ring.
 *
 * Flow control: nothing is dropped. A producer that finds the ring full
 * calls ring_prepare_wait(): it sets `waiting`, then looks again; if there
 * is still no room it sleeps until signalled. The consumer, after taking
 * entries, calls ring_wake_producer(), which says whether `waiting` was set
 * (and clears it): then it signals. The flag is set before the last look
 * and the consumer looks at the flag after it published its tail (both
 * with a full fence), so the wake-up cannot be missed; a spurious one is
 * harmless. A ring restarted by either party keeps its counters (they are
 * in the shared page): nothing published is taken twice, nothing is lost.
 * Freestanding (no header but stdint.h; copies are __builtin_memcpy, which
 * the compiler inlines for a constant entry size): guests include it. */
#pragma once
#include <stdint.h>

typedef struct {
    volatile uint32_t head;    /* entries produced (producer writes) */
    volatile uint32_t tail;    /* entries consumed (consumer writes) */
    volatile uint32_t waiting; /* 1: the producer sleeps until the consumer takes */
    uint32_t pad;
} ring_t;

/* A ring of n entries of type T (n a power of two). */
#define RING_OF(T, n)                                                                              \
    struct {                                                                                       \
        ring_t ctl;                                                                                \
        T slot[n];                                                                                 \
    }
/* Arguments for the functions below from a RING_OF ring rp. */
#define RING_ARGS(rp) &(rp)->ctl, (rp)->slot, sizeof((rp)->slot[0]), RING_COUNT(rp)
#define RING_COUNT(rp) ((uint32_t)(sizeof((rp)->slot) / sizeof((rp)->slot[0])))
#define RING_ASSERT_COUNT(n) _Static_assert(((n) & ((n)-1)) == 0, "a ring holds 2^k entries")

static inline uint32_t ring_load_acquire(const volatile uint32_t *p)
{
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static inline void ring_store_release(volatile uint32_t *p, uint32_t v)
{
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* Consumer: entries ready to be taken (0 for a corrupt ring). */
static inline uint32_t ring_ready(const ring_t *r, uint32_t count)
{
    uint32_t n = ring_load_acquire(&r->head) - r->tail;
    return n > count ? 0 : n;
}

/* Producer: free entries (0 for a corrupt ring). */
static inline uint32_t ring_room(const ring_t *r, uint32_t count)
{
    uint32_t used = r->head - ring_load_acquire(&r->tail);
    return used > count ? 0 : count - used;
}

/* Producer: the entries published and not yet taken (count for a corrupt
 * ring: it never drains). */
static inline uint32_t ring_pending(const ring_t *r, uint32_t count)
{
    return count - ring_room(r, count);
}

/* Producer: append up to n entries from src; returns how many fit. */
static inline uint32_t ring_put(ring_t *r, void *slots, uint32_t size, uint32_t count,
                                const void *src, uint32_t n)
{
    uint32_t head = r->head, room = ring_room(r, count);
    if (n > room)
        n = room;
    for (uint32_t i = 0; i < n; i++)
        __builtin_memcpy((uint8_t *)slots + ((head + i) & (count - 1)) * size,
                         (const uint8_t *)src + i * size, size);
    ring_store_release(&r->head, head + n);
    return n;
}

/* Consumer: copy the oldest entry to dst without taking it (1), or 0 if
 * there is none. The copy is the one the consumer acts on: the producer
 * may no longer change what it means. */
static inline int ring_peek(const ring_t *r, const void *slots, uint32_t size, uint32_t count,
                            void *dst)
{
    if (!ring_ready(r, count))
        return 0;
    __builtin_memcpy(dst, (const uint8_t *)slots + (r->tail & (count - 1)) * size, size);
    return 1;
}

/* Consumer: take n entries already peeked or otherwise known ready. */
static inline void ring_drop(ring_t *r, uint32_t n)
{
    ring_store_release(&r->tail, r->tail + n);
}

/* Consumer: take up to n entries into dst; returns how many were taken. */
static inline uint32_t ring_get(ring_t *r, const void *slots, uint32_t size, uint32_t count,
                                void *dst, uint32_t n)
{
    uint32_t tail = r->tail, ready = ring_ready(r, count);
    if (n > ready)
        n = ready;
    for (uint32_t i = 0; i < n; i++)
        __builtin_memcpy((uint8_t *)dst + i * size,
                         (const uint8_t *)slots + ((tail + i) & (count - 1)) * size, size);
    ring_drop(r, n);
    return n;
}

/* Producer, on a full ring: announce the sleep, then look again. Returns
 * the room there is now; 0: sleep until signalled (the consumer will
 * signal), else go on (a spurious signal may follow: harmless). */
static inline uint32_t ring_prepare_wait(ring_t *r, uint32_t count)
{
    r->waiting = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the flag before the last look */
    return ring_room(r, count);
}

/* Producer, waiting for the ring to drain (a flush): the same handshake,
 * returning the entries still pending (0: drained, do not sleep). */
static inline uint32_t ring_prepare_drain(ring_t *r, uint32_t count)
{
    r->waiting = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the flag before the last look */
    return ring_pending(r, count);
}

/* Consumer, after taking: whether the producer must be signalled. */
static inline int ring_wake_producer(ring_t *r)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST); /* the new tail before the look at the flag */
    if (!r->waiting)
        return 0;
    r->waiting = 0;
    return 1;
}
