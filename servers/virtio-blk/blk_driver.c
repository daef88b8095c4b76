/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-blk driver's logic (blk_driver.h). Clients' queue pages are
 * shared with them, so everything read from one is read once into a
 * private copy before it is checked, and their ring counters are trusted
 * only as far as they bound what the driver reads: a client that corrupts
 * its own queue gets wrong answers, never another client's data, and
 * cannot make the driver loop. */
#include <stddef.h>
#include <dma.h>
#include "blk_driver.h"

_Static_assert(offsetof(blk_vq_page_t, avail) == 256, "avail ring offset");
_Static_assert(offsetof(blk_vq_page_t, used) == 512, "used ring offset");
_Static_assert(offsetof(blk_vq_page_t, hdr) == 1024, "request headers offset");
_Static_assert(sizeof(blk_vq_page_t) <= 4096, "one page");
_Static_assert(BLK_CHAINS * 3 <= BLK_VQ_SIZE, "three descriptors per request");
_Static_assert(BLK_MAX_CLIENTS <= 32, "a notification bit per client");

static uint32_t rd(const blk_drv_t *d, uint32_t off)
{
    return *(volatile uint32_t *)(d->regs + off);
}

static void wr(const blk_drv_t *d, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(d->regs + off) = v;
}

static uint32_t vq_paddr_of(const blk_drv_t *d, const void *p)
{
    return d->vq_paddr + (uint32_t)((const uint8_t *)p - (const uint8_t *)d->vq);
}

static const char *fail(blk_drv_t *d, const char *why)
{
    wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | VIRTIO_STATUS_FAILED);
    return why;
}

const char *blk_drv_init(blk_drv_t *d, uintptr_t regs, blk_vq_page_t *vq, uint32_t vq_paddr)
{
    *d = (blk_drv_t){.regs = regs, .vq = vq, .vq_paddr = vq_paddr};
    if (rd(d, VIRTIO_MMIO_MAGIC) != VIRTIO_MMIO_MAGIC_VALUE)
        return "no virtio-mmio transport";
    if (rd(d, VIRTIO_MMIO_DEVICE_ID) != VIRTIO_DEVICE_ID_BLOCK)
        return "the transport holds no block device";
    if (rd(d, VIRTIO_MMIO_VERSION) != 2)
        return "legacy virtio-mmio transport (version 1); virtio 1.x is needed";
    wr(d, VIRTIO_MMIO_STATUS, 0); /* reset */
    wr(d, VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);

    wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
    if (!(rd(d, VIRTIO_MMIO_DEVICE_FEATURES) & (1u << VIRTIO_F_VERSION_1)))
        return fail(d, "the device does not offer VIRTIO_F_VERSION_1");
    wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
    uint32_t ro = rd(d, VIRTIO_MMIO_DEVICE_FEATURES) & (1u << VIRTIO_BLK_F_RO);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES, ro);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
    wr(d, VIRTIO_MMIO_DRIVER_FEATURES, 1u << VIRTIO_F_VERSION_1);
    wr(d, VIRTIO_MMIO_STATUS,
       VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
    if (!(rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK))
        return fail(d, "the device refused the features");

    wr(d, VIRTIO_MMIO_QUEUE_SEL, 0);
    if (rd(d, VIRTIO_MMIO_QUEUE_READY) != 0 || rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX) < BLK_VQ_SIZE)
        return fail(d, "request queue 0 is unusable");
    uint8_t *p = (uint8_t *)vq;
    for (uint32_t i = 0; i < sizeof *vq; i++)
        p[i] = 0;
    /* Request k is the chain 3k -> 3k+1 -> 3k+2: header, data, status. */
    for (uint32_t k = 0; k < BLK_CHAINS; k++) {
        vq->desc[3 * k] = (virtq_desc_t){.addr_low = vq_paddr_of(d, &vq->hdr[k]),
                                         .len = sizeof(virtio_blk_hdr_t),
                                         .flags = VIRTQ_DESC_F_NEXT,
                                         .next = (uint16_t)(3 * k + 1)};
        vq->desc[3 * k + 1].next = (uint16_t)(3 * k + 2);
        vq->desc[3 * k + 2] = (virtq_desc_t){
            .addr_low = vq_paddr_of(d, &vq->status[k]), .len = 1, .flags = VIRTQ_DESC_F_WRITE};
    }
    wr(d, VIRTIO_MMIO_QUEUE_NUM, BLK_VQ_SIZE);
    wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, vq_paddr_of(d, vq->desc));
    wr(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
    wr(d, VIRTIO_MMIO_QUEUE_DRIVER_LOW, vq_paddr_of(d, &vq->avail));
    wr(d, VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
    wr(d, VIRTIO_MMIO_QUEUE_DEVICE_LOW, vq_paddr_of(d, &vq->used));
    wr(d, VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
    dma_barrier();
    wr(d, VIRTIO_MMIO_QUEUE_READY, 1);

    /* Capacity in 512-byte sectors; a disk beyond 2^32 blocks is used up
     * to there (block numbers are 32 bits). */
    uint32_t cap_hi = rd(d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY_HIGH);
    uint32_t cap_lo = rd(d, VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY_LOW);
    d->blocks = cap_hi ? 0xffffffffu : cap_lo;
    d->read_only = ro != 0;
    wr(d, VIRTIO_MMIO_STATUS,
       VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
           VIRTIO_STATUS_DRIVER_OK);
    return 0;
}

int blk_drv_add_client(blk_drv_t *d, blk_queue_t *q, uint32_t data_paddr, uint32_t data_size)
{
    if (d->nclients == BLK_MAX_CLIENTS)
        return -1;
    d->clients[d->nclients] =
        (blk_client_t){.q = q, .data_paddr = data_paddr, .data_size = data_size};
    q->blocks = d->blocks;
    q->read_only = d->read_only;
    return (int)d->nclients++;
}

uint32_t blk_request_check(const blk_req_t *r, uint32_t disk_blocks, uint32_t read_only,
                           uint32_t data_size)
{
    if (r->op != BLK_OP_READ && r->op != BLK_OP_WRITE)
        return BLK_ERR_OP;
    if (r->length == 0 || r->length % BLK_SIZE != 0 || r->length > BLK_MAX_TRANSFER)
        return BLK_ERR_LENGTH;
    uint32_t n = r->length / BLK_SIZE;
    if (r->block >= disk_blocks || n > disk_blocks - r->block)
        return BLK_ERR_RANGE;
    if (r->offset % BLK_SIZE != 0)
        return BLK_ERR_ALIGN;
    if (r->offset >= data_size || r->length > data_size - r->offset)
        return BLK_ERR_BUFFER;
    if (r->op == BLK_OP_WRITE && read_only)
        return BLK_ERR_READ_ONLY;
    return BLK_OK;
}

/* Responses the client's ring can still take, counting the answers owed
 * to requests in flight. A corrupt ring reads as full. */
static uint32_t resp_room(const blk_client_t *c)
{
    uint32_t room = ring_room(&c->q->resp.ctl, BLK_RING_ENTRIES);
    return room > c->inflight ? room - c->inflight : 0;
}

static void respond(blk_client_t *c, uint32_t id, uint32_t status)
{
    blk_resp_t r = {.id = id, .status = status};
    ring_put(RING_ARGS(&c->q->resp), &r, 1); /* resp_room() made sure it fits */
}

static int free_chain(const blk_drv_t *d)
{
    for (uint32_t k = 0; k < BLK_CHAINS; k++)
        if (!d->chain_busy[k])
            return (int)k;
    return -1;
}

static void submit(blk_drv_t *d, uint32_t k, uint32_t client, const blk_req_t *r)
{
    blk_vq_page_t *vq = d->vq;
    blk_client_t *c = &d->clients[client];
    vq->hdr[k] = (virtio_blk_hdr_t){
        .type = r->op == BLK_OP_READ ? VIRTIO_BLK_T_IN : VIRTIO_BLK_T_OUT, .sector_low = r->block};
    vq->status[k] = 0xff;
    virtq_desc_t *data = &vq->desc[3 * k + 1];
    data->addr_low = c->data_paddr + r->offset;
    data->addr_high = 0;
    data->len = r->length;
    data->flags = (uint16_t)(VIRTQ_DESC_F_NEXT | (r->op == BLK_OP_READ ? VIRTQ_DESC_F_WRITE : 0));
    d->chain_busy[k] = 1;
    d->chain_client[k] = (uint8_t)client;
    d->chain_id[k] = r->id;
    c->inflight++;
    uint16_t idx = vq->avail.idx;
    vq->avail.ring[idx % BLK_VQ_SIZE] = (uint16_t)(3 * k);
    dma_barrier(); /* the chain before the index that publishes it */
    vq->avail.idx = (uint16_t)(idx + 1);
    d->submitted++;
}

/* Take requests of client i while a chain is free and the answer fits;
 * at most one ring's worth. Returns 1 if it answered any at once. */
static int take_from(blk_drv_t *d, uint32_t i, int *submitted)
{
    blk_client_t *c = &d->clients[i];
    blk_queue_t *q = c->q;
    int answered = 0;
    for (uint32_t n = 0; n < BLK_RING_ENTRIES; n++) {
        blk_req_t r; /* one read: the client may change the slot */
        if (resp_room(c) == 0 || !ring_peek(RING_ARGS(&q->req), &r))
            break;
        uint32_t status = blk_request_check(&r, d->blocks, d->read_only, c->data_size);
        int k = status == BLK_OK ? free_chain(d) : -1;
        if (status == BLK_OK && k < 0)
            break; /* the device is busy: the request waits in the ring */
        ring_drop(&q->req.ctl, 1);
        if (status != BLK_OK) {
            respond(c, r.id, status);
            d->rejected++;
            answered = 1;
            continue;
        }
        submit(d, (uint32_t)k, i, &r);
        *submitted = 1;
    }
    return answered;
}

uint32_t blk_drv_take_requests(blk_drv_t *d)
{
    uint32_t notify = 0;
    int submitted = 0;
    for (uint32_t n = 0; n < d->nclients; n++) {
        uint32_t i = (d->next_client + n) % d->nclients;
        if (take_from(d, i, &submitted))
            notify |= 1u << i;
    }
    if (d->nclients)
        d->next_client = (d->next_client + 1) % d->nclients;
    if (submitted) {
        dma_barrier();
        wr(d, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
    }
    return notify;
}

uint32_t blk_drv_complete(blk_drv_t *d)
{
    wr(d, VIRTIO_MMIO_INTERRUPT_ACK, rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
    dma_barrier();
    uint32_t notify = 0;
    volatile uint16_t *used_idx = &d->vq->used.idx;
    while (d->last_used != *used_idx) {
        dma_barrier(); /* the entry after the index that covers it */
        uint32_t head = d->vq->used.ring[d->last_used % BLK_VQ_SIZE].id;
        d->last_used++;
        uint32_t k = head / 3;
        if (head % 3 != 0 || k >= BLK_CHAINS || !d->chain_busy[k])
            continue; /* not a chain the driver submitted: ignore it */
        uint8_t st = ((volatile uint8_t *)d->vq->status)[k];
        blk_client_t *c = &d->clients[d->chain_client[k]];
        d->chain_busy[k] = 0;
        c->inflight--;
        respond(c, d->chain_id[k], st == VIRTIO_BLK_S_OK ? BLK_OK : BLK_ERR_IO);
        d->completed++;
        notify |= 1u << d->chain_client[k];
    }
    return notify;
}
