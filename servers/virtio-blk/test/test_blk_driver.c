/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-blk driver logic (servers/virtio-blk/blk_driver.c) against a
 * fake virtio-mmio block device: registers are a word array the driver
 * reads and writes; the "device" runs when the test says so, walking the
 * available ring, moving bytes between a RAM disk and the buffers named by
 * physical addresses (a table maps them to host memory), and filling the
 * used ring. Checked: set-up and every reason it fails, the request check
 * and its order, descriptors as the device sees them, requests waiting for
 * free chains and for response room, rejected requests never reaching the
 * device, corrupt client rings, stray completions, read-only disks and
 * fairness between clients. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "blk_driver.h"

#define DISK_BLOCKS 64u
#define VQ_PADDR 0x10000000u
#define DATA_PADDR(i) (0x20000000u + 0x100000u * (i))
#define DATA_SIZE 0x10000u

static uint32_t regs[VIRTIO_MMIO_TRANSPORT_SIZE / 4];
static blk_vq_page_t vq __attribute__((aligned(4096)));
static uint8_t disk[DISK_BLOCKS * BLK_SIZE];
static uint8_t data[2][DATA_SIZE];
static blk_queue_t queues[2];
static blk_drv_t drv;
static uint16_t dev_avail_seen; /* available-ring entries the fake consumed */
static unsigned dev_requests;   /* requests it performed */

#define REG(off) regs[(off) / 4]

/* The fake answers the same features word whatever the selection: bit 0
 * is VIRTIO_F_VERSION_1 when read as word 1, bit 5 VIRTIO_BLK_F_RO as
 * word 0, which is all the driver looks at. */
static void fake_device_reset(uint32_t features)
{
    memset(regs, 0, sizeof regs);
    REG(VIRTIO_MMIO_MAGIC) = VIRTIO_MMIO_MAGIC_VALUE;
    REG(VIRTIO_MMIO_VERSION) = 2;
    REG(VIRTIO_MMIO_DEVICE_ID) = VIRTIO_DEVICE_ID_BLOCK;
    REG(VIRTIO_MMIO_QUEUE_NUM_MAX) = 256;
    REG(VIRTIO_MMIO_CONFIG + VIRTIO_BLK_CFG_CAPACITY_LOW) = DISK_BLOCKS;
    REG(VIRTIO_MMIO_DEVICE_FEATURES) = features;
    dev_avail_seen = 0;
    dev_requests = 0;
}

/* Host memory for a physical address the driver handed the device. */
static void *dma(uint32_t pa, uint32_t len)
{
    if (pa >= VQ_PADDR && pa - VQ_PADDR + len <= sizeof vq)
        return (uint8_t *)&vq + (pa - VQ_PADDR);
    for (unsigned i = 0; i < 2; i++)
        if (pa >= DATA_PADDR(i) && pa - DATA_PADDR(i) + len <= DATA_SIZE)
            return data[i] + (pa - DATA_PADDR(i));
    fail_msg("DMA to unknown physical address 0x%08x (+%u)", pa, len);
    return NULL;
}

/* The device: perform every newly available request, in order. */
static unsigned fake_device_run(void)
{
    unsigned n = 0;
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_READY), 1);
    while (dev_avail_seen != vq.avail.idx) {
        uint16_t head = vq.avail.ring[dev_avail_seen % BLK_VQ_SIZE];
        dev_avail_seen++;
        virtq_desc_t *h = &vq.desc[head], *dd = &vq.desc[h->next], *sd = &vq.desc[dd->next];
        assert_true(h->flags & VIRTQ_DESC_F_NEXT);
        assert_true(dd->flags & VIRTQ_DESC_F_NEXT);
        assert_int_equal(h->len, sizeof(virtio_blk_hdr_t));
        assert_int_equal(sd->len, 1);
        assert_true(sd->flags & VIRTQ_DESC_F_WRITE);
        virtio_blk_hdr_t *hdr = dma(h->addr_low, h->len);
        uint8_t *buf = dma(dd->addr_low, dd->len), *st = dma(sd->addr_low, 1);
        assert_int_equal(dd->addr_high, 0);
        uint32_t off = hdr->sector_low * BLK_SIZE;
        assert_true(hdr->sector_high == 0 && off + dd->len <= sizeof disk);
        if (hdr->type == VIRTIO_BLK_T_IN) {
            assert_true(dd->flags & VIRTQ_DESC_F_WRITE);
            memcpy(buf, disk + off, dd->len);
        } else {
            assert_int_equal(hdr->type, VIRTIO_BLK_T_OUT);
            assert_false(dd->flags & VIRTQ_DESC_F_WRITE);
            memcpy(disk + off, buf, dd->len);
        }
        *st = VIRTIO_BLK_S_OK;
        vq.used.ring[vq.used.idx % BLK_VQ_SIZE] = (virtq_used_elem_t){.id = head, .len = 1};
        vq.used.idx++;
        n++;
        dev_requests++;
    }
    if (n)
        REG(VIRTIO_MMIO_INTERRUPT_STATUS) |= VIRTIO_INT_USED_BUFFER;
    return n;
}

static int setup(void **state)
{
    (void)state;
    fake_device_reset(1u << VIRTIO_F_VERSION_1);
    memset(&vq, 0xee, sizeof vq); /* the driver must clear it */
    memset(queues, 0, sizeof queues);
    for (unsigned i = 0; i < sizeof disk; i++)
        disk[i] = (uint8_t)(i * 7 + 3);
    memset(data, 0, sizeof data);
    assert_null(blk_drv_init(&drv, (uintptr_t)regs, &vq, VQ_PADDR));
    assert_int_equal(blk_drv_add_client(&drv, &queues[0], DATA_PADDR(0), DATA_SIZE), 0);
    assert_int_equal(blk_drv_add_client(&drv, &queues[1], DATA_PADDR(1), DATA_SIZE), 1);
    return 0;
}

static blk_req_t req(uint32_t id, uint32_t op, uint32_t block, uint32_t len, uint32_t off)
{
    return (blk_req_t){.id = id, .op = op, .block = block, .length = len, .offset = off};
}

static void push(unsigned c, blk_req_t r)
{
    assert_true(blk_push_request(&queues[c], &r));
}

static blk_resp_t pop(unsigned c)
{
    blk_resp_t r = {0xffffffffu, 0xffffffffu};
    assert_true(blk_pop_response(&queues[c], &r));
    return r;
}

static void assert_no_response(unsigned c)
{
    blk_resp_t r;
    assert_false(blk_pop_response(&queues[c], &r));
}

/* --- set-up ----------------------------------------------------------------------- */

static void init_publishes_the_queue_and_the_disk_size(void **state)
{
    (void)state;
    uint32_t want = VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK |
                    VIRTIO_STATUS_DRIVER_OK;
    assert_int_equal(REG(VIRTIO_MMIO_STATUS), want);
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_NUM), BLK_VQ_SIZE);
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_DESC_LOW), VQ_PADDR + offsetof(blk_vq_page_t, desc));
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_DRIVER_LOW), VQ_PADDR + offsetof(blk_vq_page_t, avail));
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_DEVICE_LOW), VQ_PADDR + offsetof(blk_vq_page_t, used));
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_DESC_HIGH) | REG(VIRTIO_MMIO_QUEUE_DRIVER_HIGH) |
                         REG(VIRTIO_MMIO_QUEUE_DEVICE_HIGH),
                     0);
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_READY), 1);
    assert_int_equal(vq.avail.idx, 0);
    assert_int_equal(vq.used.idx, 0);
    assert_int_equal(queues[0].blocks, DISK_BLOCKS);
    assert_int_equal(queues[1].read_only, 0);
    assert_int_equal(drv.blocks, DISK_BLOCKS);
}

static void init_refuses_what_is_not_a_usable_block_device(void **state)
{
    (void)state;
    blk_drv_t d;
    fake_device_reset(1u << VIRTIO_F_VERSION_1);
    REG(VIRTIO_MMIO_MAGIC) = 0;
    assert_non_null(blk_drv_init(&d, (uintptr_t)regs, &vq, VQ_PADDR));
    fake_device_reset(1u << VIRTIO_F_VERSION_1);
    REG(VIRTIO_MMIO_DEVICE_ID) = 1; /* a network card */
    assert_non_null(blk_drv_init(&d, (uintptr_t)regs, &vq, VQ_PADDR));
    fake_device_reset(1u << VIRTIO_F_VERSION_1);
    REG(VIRTIO_MMIO_DEVICE_ID) = 0; /* an empty transport */
    assert_non_null(blk_drv_init(&d, (uintptr_t)regs, &vq, VQ_PADDR));
    fake_device_reset(1u << VIRTIO_F_VERSION_1);
    REG(VIRTIO_MMIO_VERSION) = 1; /* legacy */
    assert_non_null(blk_drv_init(&d, (uintptr_t)regs, &vq, VQ_PADDR));
    assert_int_equal(REG(VIRTIO_MMIO_STATUS), 0); /* not even touched */
    fake_device_reset(1u << VIRTIO_BLK_F_RO);     /* no VERSION_1 */
    assert_non_null(blk_drv_init(&d, (uintptr_t)regs, &vq, VQ_PADDR));
    assert_true(REG(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FAILED);
    fake_device_reset(1u << VIRTIO_F_VERSION_1);
    REG(VIRTIO_MMIO_QUEUE_NUM_MAX) = BLK_VQ_SIZE - 1;
    assert_non_null(blk_drv_init(&d, (uintptr_t)regs, &vq, VQ_PADDR));
    assert_true(REG(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FAILED);
}

static void read_only_disk_refuses_writes_before_the_device(void **state)
{
    (void)state;
    blk_drv_t d;
    blk_queue_t q = {0};
    fake_device_reset(1u << VIRTIO_F_VERSION_1 | 1u << VIRTIO_BLK_F_RO);
    assert_null(blk_drv_init(&d, (uintptr_t)regs, &vq, VQ_PADDR));
    assert_int_equal(d.read_only, 1);
    blk_drv_add_client(&d, &q, DATA_PADDR(0), DATA_SIZE);
    assert_int_equal(q.read_only, 1);
    blk_req_t w = req(5, BLK_OP_WRITE, 0, 512, 0), r = req(6, BLK_OP_READ, 0, 512, 0);
    assert_true(blk_push_request(&q, &w));
    assert_true(blk_push_request(&q, &r));
    assert_int_equal(blk_drv_take_requests(&d), 1u);
    blk_resp_t resp;
    assert_true(blk_pop_response(&q, &resp));
    assert_int_equal(resp.id, 5);
    assert_int_equal(resp.status, BLK_ERR_READ_ONLY);
    assert_int_equal(vq.avail.idx, 1); /* only the read went to the device */
}

/* --- the request check ----------------------------------------------------------- */

static void request_check_answers_each_error_in_order(void **state)
{
    (void)state;
    enum { CHECK_BLOCKS = 4096 }; /* room for a maximal transfer */
    static const struct {
        blk_req_t r;
        uint32_t ro, want;
    } cases[] = {
        {{.op = 0, .length = 0, .offset = 3}, 0, BLK_ERR_OP},
        {{.op = 3, .length = 512}, 0, BLK_ERR_OP},
        {{.op = BLK_OP_READ, .length = 0, .block = 999}, 0, BLK_ERR_LENGTH},
        {{.op = BLK_OP_READ, .length = 513}, 0, BLK_ERR_LENGTH},
        {{.op = BLK_OP_READ, .length = BLK_MAX_TRANSFER + 512}, 0, BLK_ERR_LENGTH},
        {{.op = BLK_OP_READ, .length = 512, .block = CHECK_BLOCKS, .offset = 1}, 0, BLK_ERR_RANGE},
        {{.op = BLK_OP_READ, .length = 1024, .block = CHECK_BLOCKS - 1}, 0, BLK_ERR_RANGE},
        {{.op = BLK_OP_READ, .length = 1024, .block = 0xffffffffu}, 0, BLK_ERR_RANGE},
        {{.op = BLK_OP_WRITE, .length = 512, .offset = 256}, 1, BLK_ERR_ALIGN},
        {{.op = BLK_OP_WRITE, .length = 512, .offset = DATA_SIZE}, 1, BLK_ERR_BUFFER},
        {{.op = BLK_OP_WRITE, .length = 1024, .offset = DATA_SIZE - 512}, 1, BLK_ERR_BUFFER},
        {{.op = BLK_OP_WRITE, .length = 1024, .offset = 0xfffffe00u}, 1, BLK_ERR_BUFFER},
        {{.op = BLK_OP_WRITE, .length = 512}, 1, BLK_ERR_READ_ONLY},
        {{.op = BLK_OP_READ, .length = 512}, 1, BLK_OK},
        {{.op = BLK_OP_WRITE, .length = 512, .block = CHECK_BLOCKS - 1, .offset = DATA_SIZE - 512},
         0,
         BLK_OK},
        {{.op = BLK_OP_READ, .length = BLK_MAX_TRANSFER}, 0, BLK_OK},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(blk_request_check(&cases[i].r, CHECK_BLOCKS, cases[i].ro, DATA_SIZE),
                         cases[i].want);
}

/* --- requests and responses ------------------------------------------------------ */

static void a_write_then_a_read_move_the_bytes_by_dma(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 1024; i++)
        data[0][0x200 + i] = (uint8_t)(0xa0 ^ i);
    push(0, req(1, BLK_OP_WRITE, 3, 1024, 0x200));
    REG(VIRTIO_MMIO_QUEUE_NOTIFY) = 0xffffffffu;
    assert_int_equal(blk_drv_take_requests(&drv), 0);   /* sent on, not answered yet */
    assert_int_equal(REG(VIRTIO_MMIO_QUEUE_NOTIFY), 0); /* queue 0 notified */
    virtq_desc_t *dd = &vq.desc[vq.desc[vq.avail.ring[0]].next];
    assert_int_equal(dd->addr_low, DATA_PADDR(0) + 0x200);
    assert_int_equal(dd->len, 1024);
    assert_int_equal(fake_device_run(), 1);
    assert_int_equal(blk_drv_complete(&drv), 1u);
    blk_resp_t r = pop(0);
    assert_int_equal(r.id, 1);
    assert_int_equal(r.status, BLK_OK);
    assert_memory_equal(disk + 3 * 512, &data[0][0x200], 1024);
    push(0, req(2, BLK_OP_READ, 3, 1024, 0x8000));
    blk_drv_take_requests(&drv);
    fake_device_run();
    assert_int_equal(blk_drv_complete(&drv), 1u);
    assert_int_equal(pop(0).status, BLK_OK);
    assert_memory_equal(&data[0][0x8000], &data[0][0x200], 1024);
    assert_int_equal(REG(VIRTIO_MMIO_INTERRUPT_ACK), VIRTIO_INT_USED_BUFFER);
}

static void rejected_requests_never_reach_the_device(void **state)
{
    (void)state;
    uint8_t before[sizeof disk];
    memcpy(before, disk, sizeof disk);
    push(0, req(1, BLK_OP_WRITE, DISK_BLOCKS, 512, 0));
    push(0, req(2, BLK_OP_WRITE, 0, 100, 0));
    push(0, req(3, BLK_OP_WRITE, 0, 512, 2));
    push(0, req(4, BLK_OP_WRITE, 0, 512, DATA_SIZE));
    push(0, req(5, 9, 0, 512, 0));
    assert_int_equal(blk_drv_take_requests(&drv), 1u);
    static const uint32_t want[] = {BLK_ERR_RANGE, BLK_ERR_LENGTH, BLK_ERR_ALIGN, BLK_ERR_BUFFER,
                                    BLK_ERR_OP};
    for (unsigned k = 0; k < 5; k++) {
        blk_resp_t r = pop(0);
        assert_int_equal(r.id, k + 1);
        assert_int_equal(r.status, want[k]);
    }
    assert_int_equal(vq.avail.idx, 0);
    assert_int_equal(fake_device_run(), 0);
    assert_memory_equal(disk, before, sizeof disk);
    assert_int_equal(drv.rejected, 5);
}

static void requests_beyond_the_free_chains_wait_in_the_ring(void **state)
{
    (void)state;
    for (uint32_t k = 0; k < BLK_CHAINS + 3; k++)
        push(0, req(k, BLK_OP_READ, k, 512, 512 * k));
    blk_drv_take_requests(&drv);
    assert_int_equal(vq.avail.idx, BLK_CHAINS);
    assert_int_equal(queues[0].req.ctl.tail, BLK_CHAINS); /* the rest not taken */
    assert_int_equal(fake_device_run(), BLK_CHAINS);
    assert_int_equal(blk_drv_complete(&drv), 1u);
    blk_drv_take_requests(&drv);
    assert_int_equal(vq.avail.idx, BLK_CHAINS + 3);
    fake_device_run();
    blk_drv_complete(&drv);
    for (uint32_t k = 0; k < BLK_CHAINS + 3; k++) {
        blk_resp_t r = pop(0);
        assert_int_equal(r.id, k);
        assert_int_equal(r.status, BLK_OK);
        assert_memory_equal(&data[0][512 * k], disk + 512 * k, 512);
    }
    assert_no_response(0);
}

static void requests_wait_until_their_answer_fits(void **state)
{
    (void)state;
    /* The client leaves BLK_RING_ENTRIES - 1 responses unread. */
    for (uint32_t k = 0; k < BLK_RING_ENTRIES - 1; k++)
        push(0, req(k, 7, 0, 512, 0));
    blk_drv_take_requests(&drv);
    assert_int_equal(queues[0].resp.ctl.head, BLK_RING_ENTRIES - 1);
    push(0, req(100, BLK_OP_READ, 0, 512, 0));
    push(0, req(101, BLK_OP_READ, 0, 512, 0));
    blk_drv_take_requests(&drv);
    assert_int_equal(vq.avail.idx, 1); /* room for one answer: one taken */
    blk_drv_take_requests(&drv);
    assert_int_equal(vq.avail.idx, 1);
    fake_device_run();
    blk_drv_complete(&drv);
    assert_int_equal(queues[0].resp.ctl.head, BLK_RING_ENTRIES); /* full, nothing lost */
    blk_drv_take_requests(&drv);
    assert_int_equal(vq.avail.idx, 1);
    for (uint32_t k = 0; k < BLK_RING_ENTRIES; k++)
        pop(0);
    blk_drv_take_requests(&drv);
    assert_int_equal(vq.avail.idx, 2);
}

static void a_corrupt_client_ring_is_bounded(void **state)
{
    (void)state;
    /* req_head far ahead: at most one ring's worth is read per call. */
    queues[0].req.ctl.head = 0x80000000u;
    blk_drv_take_requests(&drv);
    assert_true(queues[0].req.ctl.tail == 0);
    queues[0].req.ctl.head = BLK_RING_ENTRIES + 1; /* more pending than a ring: ignored */
    blk_drv_take_requests(&drv);
    assert_int_equal(queues[0].req.ctl.tail, 0);
    /* resp_tail ahead of resp_head reads as a full ring: nothing taken. */
    queues[0].req.ctl.head = 0;
    push(0, req(1, BLK_OP_READ, 0, 512, 0));
    queues[0].resp.ctl.tail = 5;
    blk_drv_take_requests(&drv);
    assert_int_equal(queues[0].req.ctl.tail, 0);
    assert_int_equal(vq.avail.idx, 0);
    /* The other client is served all the while. */
    push(1, req(2, BLK_OP_READ, 1, 512, 0));
    blk_drv_take_requests(&drv);
    fake_device_run();
    assert_int_equal(blk_drv_complete(&drv), 2u);
    assert_int_equal(pop(1).id, 2);
}

static void the_request_is_read_once_from_shared_memory(void **state)
{
    (void)state;
    push(0, req(1, BLK_OP_READ, 2, 512, 0));
    blk_drv_take_requests(&drv);
    /* The client rewrites the entry after handing it over: no effect. */
    queues[0].req.slot[0] = req(1, BLK_OP_READ, 2, 512, DATA_SIZE * 4);
    fake_device_run();
    blk_drv_complete(&drv);
    assert_int_equal(pop(0).status, BLK_OK);
    assert_memory_equal(data[0], disk + 1024, 512);
}

static void stray_completions_are_ignored(void **state)
{
    (void)state;
    vq.used.ring[0] = (virtq_used_elem_t){.id = 4}; /* not a chain head */
    vq.used.ring[1] = (virtq_used_elem_t){.id = 3}; /* a chain, but not in flight */
    vq.used.ring[2] = (virtq_used_elem_t){.id = 600};
    vq.used.idx = 3;
    assert_int_equal(blk_drv_complete(&drv), 0);
    assert_no_response(0);
    assert_no_response(1);
    assert_int_equal(drv.completed, 0);
    push(0, req(9, BLK_OP_READ, 0, 512, 0));
    blk_drv_take_requests(&drv);
    vq.used.ring[vq.used.idx % BLK_VQ_SIZE] = (virtq_used_elem_t){.id = vq.avail.ring[0]};
    vq.status[0] = VIRTIO_BLK_S_IOERR; /* the device failed it */
    vq.used.idx++;
    assert_int_equal(blk_drv_complete(&drv), 1u);
    blk_resp_t r = pop(0);
    assert_int_equal(r.id, 9);
    assert_int_equal(r.status, BLK_ERR_IO);
}

static void clients_take_turns_for_the_chains(void **state)
{
    (void)state;
    for (uint32_t k = 0; k < BLK_CHAINS; k++) {
        push(0, req(k, BLK_OP_READ, k, 512, 0));
        push(1, req(100 + k, BLK_OP_READ, k, 512, 0));
    }
    blk_drv_take_requests(&drv); /* client 0 first this time */
    assert_int_equal(queues[0].req.ctl.tail, BLK_CHAINS);
    fake_device_run();
    blk_drv_complete(&drv);
    blk_drv_take_requests(&drv); /* then client 1 */
    assert_int_equal(queues[1].req.ctl.tail, BLK_CHAINS);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, setup)
    const struct CMUnitTest tests[] = {
        T(init_publishes_the_queue_and_the_disk_size),
        T(init_refuses_what_is_not_a_usable_block_device),
        T(read_only_disk_refuses_writes_before_the_device),
        T(request_check_answers_each_error_in_order),
        T(a_write_then_a_read_move_the_bytes_by_dma),
        T(rejected_requests_never_reach_the_device),
        T(requests_beyond_the_free_chains_wait_in_the_ring),
        T(requests_wait_until_their_answer_fits),
        T(a_corrupt_client_ring_is_bounded),
        T(the_request_is_read_once_from_shared_memory),
        T(stray_completions_are_ignored),
        T(clients_take_turns_for_the_chains),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
