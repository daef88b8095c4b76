/* SPDX-License-Identifier: BSD-2-Clause */
/* The block protocol between a block driver (servers/virtio-blk) and each of
 * its clients (docs/components.md, "Drivers"). Nothing goes through the
 * kernel but notifications:
 *
 *  - a queue page per client (blk_queue_t), shared read/write by the two:
 *    a request ring the client produces and the driver consumes, and a
 *    response ring the driver produces and the client consumes;
 *  - a data region per client: physically contiguous RAM, mapped uncached
 *    in the client, whose physical address the driver knows. A request
 *    names a buffer by its offset in that region; the device transfers
 *    straight between the disk and the buffer (DMA), the driver never maps
 *    or copies the data;
 *  - a notification each way: the client signals after pushing requests,
 *    and after taking responses while requests of its are still pending
 *    (the driver holds a request back until its answer has room in the
 *    response ring); the driver signals after pushing responses.
 *
 * Every request gets exactly one response, in completion order (match them
 * by id). A request the driver rejects never reaches the device. A client
 * never has more than BLK_RING_ENTRIES requests outstanding (pushed and not
 * yet answered): the driver takes a request only when its answer is sure to
 * fit. The rings are the system's one ring (system/ring.h: free-running
 * counters, entries copied once each way, a corrupt ring reads as empty to
 * its consumer and full to its producer). Freestanding (guests may include
 * it). */
#pragma once
#include <stdint.h>
#include <system/ring.h>

#define BLK_SIZE 512u           /* bytes per block (one virtio sector) */
#define BLK_MAX_TRANSFER 65536u /* bytes per request */
#define BLK_RING_ENTRIES 32u    /* a power of two */

/* Operations. */
#define BLK_OP_READ 1u  /* disk -> buffer */
#define BLK_OP_WRITE 2u /* buffer -> disk */

/* Response status. Errors other than BLK_ERR_IO are found before the
 * request reaches the device: the disk is untouched. */
#define BLK_OK 0u
#define BLK_ERR_OP 1u        /* unknown operation */
#define BLK_ERR_LENGTH 2u    /* length 0, not a multiple of BLK_SIZE, or above BLK_MAX_TRANSFER */
#define BLK_ERR_RANGE 3u     /* a block beyond the end of the disk */
#define BLK_ERR_ALIGN 4u     /* buffer offset not a multiple of BLK_SIZE */
#define BLK_ERR_BUFFER 5u    /* buffer not inside the client's data region */
#define BLK_ERR_READ_ONLY 6u /* a write to a read-only disk */
#define BLK_ERR_IO 7u        /* the device reported an error */

typedef struct {
    uint32_t id;     /* the client's tag, echoed in the response */
    uint32_t op;     /* BLK_OP_* */
    uint32_t block;  /* first block */
    uint32_t length; /* bytes, a multiple of BLK_SIZE */
    uint32_t offset; /* of the buffer in the client's data region */
} blk_req_t;

typedef struct {
    uint32_t id;     /* the request's */
    uint32_t status; /* BLK_OK or BLK_ERR_* */
} blk_resp_t;

/* The queue page. `info` is written by the driver before the client starts:
 * the disk's size, so clients need no extra call. The two rings are
 * system/ring.h rings of BLK_RING_ENTRIES records each. */
RING_ASSERT_COUNT(BLK_RING_ENTRIES);
typedef RING_OF(blk_req_t, BLK_RING_ENTRIES) blk_req_ring_t;
typedef RING_OF(blk_resp_t, BLK_RING_ENTRIES) blk_resp_ring_t;

typedef struct {
    volatile uint32_t blocks;    /* disk size in blocks (0: no disk) */
    volatile uint32_t read_only; /* 1: writes fail with BLK_ERR_READ_ONLY */
    uint32_t pad[2];
    blk_req_ring_t req;
    blk_resp_ring_t resp;
} blk_queue_t;

_Static_assert(sizeof(blk_queue_t) <= 4096, "a queue is one page");

/* Client side: push a request; 0 if the ring is full. */
static inline int blk_push_request(blk_queue_t *q, const blk_req_t *r)
{
    return (int)ring_put(RING_ARGS(&q->req), r, 1);
}

/* Client side: take a response; 0 if there is none. */
static inline int blk_pop_response(blk_queue_t *q, blk_resp_t *r)
{
    return (int)ring_get(RING_ARGS(&q->resp), r, 1);
}
