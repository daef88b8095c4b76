/* SPDX-License-Identifier: BSD-2-Clause */
/* The system's one shared-memory ring (servers/include/system/ring.h), as
 * the serial, block, guest-console and channel protocols use it: a full
 * ring, a slow consumer (two real threads, the producer sleeping on a full
 * ring and woken through the flag handshake), either party restarting in
 * the middle of a transfer (nothing lost, nothing taken twice), counters
 * wrapping at 2^32, and corrupt rings from a hostile peer. */
#include "unit.h"
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <system/blk.h>
#include <system/serial.h>

typedef struct {
    uint32_t seq, check;
} rec_t;
typedef RING_OF(rec_t, 8) rec_ring_t;

static rec_ring_t rr;

static int setup(void **state)
{
    (void)state;
    memset(&rr, 0, sizeof rr);
    return 0;
}

static rec_t rec(uint32_t seq)
{
    return (rec_t){seq, ~seq * 2654435761u};
}

static void a_full_ring_takes_nothing_more_and_loses_nothing(void **state)
{
    (void)state;
    for (uint32_t k = 0; k < 8; k++) {
        rec_t r = rec(k);
        assert_int_equal(ring_put(RING_ARGS(&rr), &r, 1), 1);
    }
    rec_t extra = rec(99);
    assert_int_equal(ring_room(&rr.ctl, 8), 0);
    assert_int_equal(ring_put(RING_ARGS(&rr), &extra, 1), 0);
    assert_int_equal(ring_pending(&rr.ctl, 8), 8);
    /* The producer announces its sleep: still no room, so it sleeps. */
    assert_int_equal(ring_prepare_wait(&rr.ctl, 8), 0);
    rec_t got[8];
    assert_int_equal(ring_get(RING_ARGS(&rr), got, 3), 3);
    assert_true(ring_wake_producer(&rr.ctl)); /* the consumer signals once */
    assert_false(ring_wake_producer(&rr.ctl));
    assert_int_equal(ring_put(RING_ARGS(&rr), &extra, 1), 1);
    assert_int_equal(ring_get(RING_ARGS(&rr), got + 3, 5), 5); /* 99 stays: behind them */
    for (uint32_t k = 0; k < 8; k++)
        assert_int_equal(got[k].seq, k);
    assert_int_equal(ring_get(RING_ARGS(&rr), got, 1), 1);
    assert_int_equal(got[0].seq, 99);
    assert_int_equal(ring_ready(&rr.ctl, 8), 0);
}

static void a_partial_put_stores_what_fits_in_order(void **state)
{
    (void)state;
    rec_t in[12], out[12];
    for (uint32_t k = 0; k < 12; k++)
        in[k] = rec(k);
    assert_int_equal(ring_put(RING_ARGS(&rr), in, 12), 8);
    assert_int_equal(ring_get(RING_ARGS(&rr), out, 5), 5);
    assert_int_equal(ring_put(RING_ARGS(&rr), in + 8, 4), 4); /* wraps the slots */
    assert_int_equal(ring_get(RING_ARGS(&rr), out + 5, 12), 7);
    assert_memory_equal(in, out, sizeof in);
}

static void peek_does_not_take_and_drop_does(void **state)
{
    (void)state;
    rec_t r = rec(5), p;
    assert_false(ring_peek(RING_ARGS(&rr), &p));
    ring_put(RING_ARGS(&rr), &r, 1);
    assert_true(ring_peek(RING_ARGS(&rr), &p));
    assert_true(ring_peek(RING_ARGS(&rr), &p));
    assert_int_equal(p.seq, 5);
    assert_int_equal(ring_ready(&rr.ctl, 8), 1);
    ring_drop(&rr.ctl, 1);
    assert_int_equal(ring_ready(&rr.ctl, 8), 0);
}

static void counters_wrap_at_2_to_the_32(void **state)
{
    (void)state;
    rr.ctl.head = rr.ctl.tail = 0xfffffffdu;
    rec_t in[6], out[6];
    for (uint32_t k = 0; k < 6; k++)
        in[k] = rec(k);
    assert_int_equal(ring_put(RING_ARGS(&rr), in, 6), 6);
    assert_int_equal(rr.ctl.head, 3u);
    assert_int_equal(ring_ready(&rr.ctl, 8), 6);
    assert_int_equal(ring_room(&rr.ctl, 8), 2);
    assert_int_equal(ring_get(RING_ARGS(&rr), out, 6), 6);
    assert_memory_equal(in, out, sizeof in);
}

static void a_corrupt_ring_is_empty_to_its_consumer_and_full_to_its_producer(void **state)
{
    (void)state;
    rec_t r = rec(1);
    rr.ctl.head = 9; /* the producer claims more than the ring holds */
    assert_int_equal(ring_ready(&rr.ctl, 8), 0);
    assert_int_equal(ring_get(RING_ARGS(&rr), &r, 1), 0);
    assert_int_equal(rr.ctl.tail, 0);
    rr.ctl.head = 0;
    rr.ctl.tail = 3; /* the consumer ran ahead */
    assert_int_equal(ring_room(&rr.ctl, 8), 0);
    assert_int_equal(ring_put(RING_ARGS(&rr), &r, 1), 0);
    assert_int_equal(rr.ctl.head, 0);
    assert_int_equal(ring_pending(&rr.ctl, 8), 8); /* a flush would wait: never drained */
    assert_int_equal(ring_prepare_wait(&rr.ctl, 8), 0);
}

static void a_drain_waits_until_the_consumer_took_everything(void **state)
{
    (void)state;
    rec_t r = rec(1);
    assert_int_equal(ring_prepare_drain(&rr.ctl, 8), 0); /* empty: no sleep */
    ring_put(RING_ARGS(&rr), &r, 1);
    ring_put(RING_ARGS(&rr), &r, 1);
    assert_int_equal(ring_prepare_drain(&rr.ctl, 8), 2);
    ring_get(RING_ARGS(&rr), &r, 1);
    assert_true(ring_wake_producer(&rr.ctl));
    assert_int_equal(ring_prepare_drain(&rr.ctl, 8), 1);
    ring_get(RING_ARGS(&rr), &r, 1);
    assert_true(ring_wake_producer(&rr.ctl));
    assert_int_equal(ring_prepare_drain(&rr.ctl, 8), 0);
}

/* Either party restarts: the new instance knows only the shared page.
 * What was published before is taken exactly once. */
static void a_restarted_party_resumes_from_the_shared_counters(void **state)
{
    (void)state;
    uint32_t next_put = 0, next_get = 0;
    for (int round = 0; round < 40; round++) {
        /* Producer instance: starts knowing only what it sent (its own
         * sequence, kept by the system across its restart) and the ring. */
        for (uint32_t k = 0; k < (uint32_t)(round % 5) + 1; k++) {
            rec_t r = rec(next_put);
            if (!ring_put(RING_ARGS(&rr), &r, 1))
                break;
            next_put++;
        }
        /* Consumer instance: a fresh one every third round. */
        rec_t got;
        for (uint32_t k = 0; k < (uint32_t)(round % 3) + 1 && ring_get(RING_ARGS(&rr), &got, 1);
             k++) {
            assert_int_equal(got.seq, next_get);
            assert_int_equal(got.check, rec(next_get).check);
            next_get++;
        }
    }
    rec_t got;
    while (ring_get(RING_ARGS(&rr), &got, 1))
        assert_int_equal(got.seq, next_get++);
    assert_int_equal(next_get, next_put);
    assert_true(next_put > 60);
}

/* Two threads: a fast producer of N records and a consumer that takes one
 * at a time and dawdles; notifications are semaphores (a binary signal in
 * the system: extra posts are the harmless spurious wake-ups). */
#define N 20000u
static sem_t producer_ntfn, consumer_ntfn;
static uint32_t producer_sleeps;

static void *producer(void *arg)
{
    (void)arg;
    for (uint32_t k = 0; k < N;) {
        rec_t r = rec(k);
        if (ring_put(RING_ARGS(&rr), &r, 1)) {
            k++;
            sem_post(&consumer_ntfn);
            continue;
        }
        if (ring_prepare_wait(&rr.ctl, 8) == 0) {
            producer_sleeps++;
            sem_wait(&producer_ntfn);
        }
    }
    return NULL;
}

static void a_slow_consumer_gets_everything_once_in_order(void **state)
{
    (void)state;
    pthread_t t;
    sem_init(&producer_ntfn, 0, 0);
    sem_init(&consumer_ntfn, 0, 0);
    producer_sleeps = 0;
    assert_int_equal(pthread_create(&t, NULL, producer, NULL), 0);
    for (uint32_t k = 0; k < N;) {
        rec_t got;
        if (!ring_get(RING_ARGS(&rr), &got, 1)) {
            sem_wait(&consumer_ntfn);
            continue;
        }
        assert_int_equal(got.seq, k);
        assert_int_equal(got.check, rec(k).check);
        k++;
        if (ring_wake_producer(&rr.ctl))
            sem_post(&producer_ntfn);
        for (volatile int d = 0; d < (k % 64 == 0 ? 20000 : 10); d++)
            ; /* slow */
    }
    pthread_join(t, NULL);
    assert_int_equal(ring_ready(&rr.ctl, 8), 0);
    assert_true(producer_sleeps > 0); /* the ring did fill */
}

/* The protocols' rings are this one: same layout, same behaviour. */
static void serial_and_block_rings_are_rings(void **state)
{
    (void)state;
    static serial_queue_t sq;
    static blk_queue_t bq;
    uint8_t big[SERIAL_RING_SIZE + 1] = {0};
    assert_int_equal(serial_ring_put(&sq.tx, big, sizeof big), SERIAL_RING_SIZE);
    assert_int_equal(ring_room(&sq.tx.ctl, SERIAL_RING_SIZE), 0);
    assert_int_equal(serial_ring_prepare_wait(&sq.tx), 0);
    assert_int_equal(sq.tx.ctl.waiting, 1);
    blk_req_t req = {.id = 7};
    for (uint32_t k = 0; k < BLK_RING_ENTRIES; k++)
        assert_true(blk_push_request(&bq, &req));
    assert_false(blk_push_request(&bq, &req));
    blk_resp_t resp = {.id = 3}, got;
    assert_false(blk_pop_response(&bq, &got));
    ring_put(RING_ARGS(&bq.resp), &resp, 1);
    assert_true(blk_pop_response(&bq, &got));
    assert_int_equal(got.id, 3);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(a_full_ring_takes_nothing_more_and_loses_nothing),
        T(a_partial_put_stores_what_fits_in_order),
        T(peek_does_not_take_and_drop_does),
        T(counters_wrap_at_2_to_the_32),
        T(a_corrupt_ring_is_empty_to_its_consumer_and_full_to_its_producer),
        T(a_drain_waits_until_the_consumer_took_everything),
        T(a_restarted_party_resumes_from_the_shared_counters),
        T(a_slow_consumer_gets_everything_once_in_order),
        T(serial_and_block_rings_are_rings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
