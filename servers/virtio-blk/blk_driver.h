/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-blk driver's logic, apart from how it is started and wired
 * (servers/virtio-blk/main.c): device set-up, taking client requests from
 * their queues (system/blk.h) onto the virtqueue, and turning completions
 * into responses. Single-threaded; every function returns at once (the
 * caller waits for notifications). */
#pragma once
#include <stdint.h>
#include <system/blk.h>
#include "virtio.h"

#define BLK_VQ_SIZE 16u /* descriptors in the one request virtqueue */
#define BLK_CHAINS 5u   /* requests in flight: 3 descriptors each */
#define BLK_MAX_CLIENTS 8u

/* The driver's DMA page (4 KiB, physically contiguous, mapped uncached):
 * the split virtqueue and the request headers and status bytes the device
 * reads and writes. Offsets are fixed (static asserts in blk_driver.c). */
typedef struct {
    virtq_desc_t desc[BLK_VQ_SIZE]; /* 0: 16-byte aligned */
    struct {
        uint16_t flags, idx, ring[BLK_VQ_SIZE], used_event;
    } avail; /* 256 */
    uint8_t pad0[512 - 256 - 38];
    struct {
        uint16_t flags, idx;
        virtq_used_elem_t ring[BLK_VQ_SIZE];
        uint16_t avail_event;
    } used; /* 512: 4-byte aligned */
    uint8_t pad1[1024 - 512 - 136];
    virtio_blk_hdr_t hdr[BLK_CHAINS]; /* 1024 */
    uint8_t status[BLK_CHAINS];       /* 1104 */
} blk_vq_page_t;

typedef struct {
    blk_queue_t *q;      /* the driver's mapping of the client's queue page */
    uint32_t data_paddr; /* its data region: physical address and size */
    uint32_t data_size;
    uint32_t inflight; /* requests taken and not yet answered */
} blk_client_t;

typedef struct {
    uintptr_t regs; /* the transport's registers */
    blk_vq_page_t *vq;
    uint32_t vq_paddr;
    uint32_t blocks, read_only;
    uint16_t last_used; /* used-ring entries consumed */
    uint8_t chain_busy[BLK_CHAINS];
    uint8_t chain_client[BLK_CHAINS];
    uint32_t chain_id[BLK_CHAINS]; /* the request's id */
    uint32_t nclients;
    blk_client_t clients[BLK_MAX_CLIENTS];
    uint32_t next_client;                    /* where the next round of requests starts */
    uint32_t submitted, completed, rejected; /* statistics */
} blk_drv_t;

/* Reset and set up the device at regs (a virtio-mmio transport) with the
 * DMA page vq (physical address vq_paddr). Returns NULL, or what is wrong
 * (no such device, not a block device, no virtio 1.x, no queue). */
const char *blk_drv_init(blk_drv_t *d, uintptr_t regs, blk_vq_page_t *vq, uint32_t vq_paddr);

/* Client i (i = d->nclients before the call): its queue page, and its data
 * region's physical address and size. Publishes the disk size in the
 * queue. Returns the client's index, or -1 if there are too many. */
int blk_drv_add_client(blk_drv_t *d, blk_queue_t *q, uint32_t data_paddr, uint32_t data_size);

/* Take what requests can be taken from every client: invalid ones are
 * answered at once, valid ones go to the device. Returns the set of
 * clients (bit i) that got responses and must be notified. */
uint32_t blk_drv_take_requests(blk_drv_t *d);

/* After the device's interrupt: acknowledge it and answer the completed
 * requests. Returns the clients to notify. Call blk_drv_take_requests()
 * afterwards: completed chains are free again. */
uint32_t blk_drv_complete(blk_drv_t *d);

/* The check a request must pass before it reaches the device (BLK_OK or
 * the error to answer). Pure: the request is a private copy. */
uint32_t blk_request_check(const blk_req_t *r, uint32_t disk_blocks, uint32_t read_only,
                           uint32_t data_size);
