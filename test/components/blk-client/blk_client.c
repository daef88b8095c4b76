/* SPDX-License-Identifier: BSD-2-Clause */
/* Block clients of the virtio-blk test (systems/virtio-blk.sys). The
 * component `disk-main` finds out which boot this is from the disk: if the
 * pattern is there, it was written by the previous boot and is checked
 * (second boot); otherwise it writes the pattern, reads it back and sends
 * every kind of malformed request (first boot). `disk-other` runs beside
 * it: reads of its own, and out-of-region buffers. Each prints `[test]
 * PASS|FAIL name` and ends with its failure count as its status.
 *
 * Given: channel 0 to the driver (its page is the block queue) and the data
 * region, uncached, at blk_data (its size blk_data_size). A client is a
 * straight-line program: it waits on its notification itself (the runtime's
 * event loop never starts: init() does not return before exit()). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>
#include <system/blk.h>
#include <system/comp.h>
#include <system/console.h>
#include "blktest.h"

#define DRIVER 0u /* its id for the channel to the driver */

/* Set by the root task before init(). */
uint8_t *blk_data;
l4_word_t blk_data_size;

static blk_queue_t *q;
static uint8_t *data;
static uint32_t failures, next_id = 100;

static void wait_driver(void)
{
    l4_wait(COMP_CAP_NTFN, 0); /* the only thing that signals it is the driver */
}

static void result(const char *name, int ok)
{
    printf("[test] %s %s\n", ok ? "PASS" : "FAIL", name);
    failures += !ok;
}

/* Push n requests, then collect their n responses (in any order): status[k]
 * is the answer to reqs[k]. */
static void run(blk_req_t *reqs, uint32_t *status, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        reqs[k].id = next_id++;
        while (!blk_push_request(q, &reqs[k])) {
            comp_notify(DRIVER);
            wait_driver();
        }
    }
    comp_notify(DRIVER);
    int popped = 0;
    for (uint32_t got = 0; got < n;) {
        blk_resp_t r;
        if (!blk_pop_response(q, &r)) {
            if (popped) /* room for answers again: the driver may be waiting for it */
                comp_notify(DRIVER);
            popped = 0;
            wait_driver();
            continue;
        }
        popped = 1;
        for (uint32_t k = 0; k < n; k++)
            if (reqs[k].id == r.id)
                status[k] = r.status;
        got++;
    }
}

static uint32_t one(uint32_t op, uint32_t block, uint32_t length, uint32_t offset)
{
    blk_req_t r = {.op = op, .block = block, .length = length, .offset = offset};
    uint32_t st = 0xdead;
    run(&r, &st, 1);
    return st;
}

static void fill_pattern(uint32_t seed, uint32_t offset, uint32_t block, uint32_t blocks)
{
    uint32_t *w = (uint32_t *)(data + offset);
    for (uint32_t b = 0; b < blocks; b++)
        for (uint32_t i = 0; i < BLK_SIZE / 4; i++)
            w[b * BLK_SIZE / 4 + i] = blk_pattern(seed, block + b, i);
}

static int is_pattern(uint32_t seed, uint32_t offset, uint32_t block, uint32_t blocks)
{
    const uint32_t *w = (const uint32_t *)(data + offset);
    for (uint32_t b = 0; b < blocks; b++)
        for (uint32_t i = 0; i < BLK_SIZE / 4; i++)
            if (w[b * BLK_SIZE / 4 + i] != blk_pattern(seed, block + b, i))
                return 0;
    return 1;
}

/* Write the pattern in requests of 1, 3, 8, 12 and 16 blocks, all pushed
 * at once (more than the device has in flight: the rest wait in the ring),
 * from different places of the data region. */
static void write_pattern(uint32_t seed)
{
    static const uint32_t sizes[] = {1, 3, 8, 12, 16};
    blk_req_t reqs[5];
    uint32_t status[5], block = PAT_FIRST, offset = 0;
    for (uint32_t k = 0; k < 5; k++) {
        fill_pattern(seed, offset, block, sizes[k]);
        reqs[k] = (blk_req_t){
            .op = BLK_OP_WRITE, .block = block, .length = sizes[k] * BLK_SIZE, .offset = offset};
        block += sizes[k];
        offset += sizes[k] * BLK_SIZE + 2 * BLK_SIZE; /* gaps: offsets vary */
        status[k] = 0xdead;
    }
    run(reqs, status, 5);
    int ok = block == PAT_FIRST + PAT_BLOCKS;
    for (uint32_t k = 0; k < 5; k++)
        ok &= status[k] == BLK_OK;
    result("blk_write_pattern_in_five_requests_at_once", ok);
}

static int read_back(uint32_t seed, uint32_t offset)
{
    memset(data + offset, 0x5a, PAT_BLOCKS * BLK_SIZE);
    return one(BLK_OP_READ, PAT_FIRST, PAT_BLOCKS * BLK_SIZE, offset) == BLK_OK &&
           is_pattern(seed, offset, PAT_FIRST, PAT_BLOCKS);
}

/* Every malformed request is answered with its error, in order of the
 * checks, and never reaches the disk (run.py compares the whole image). */
static void malformed(uint32_t blocks)
{
    const struct {
        const char *name;
        blk_req_t r;
        uint32_t want;
    } cases[] = {
        {"blk_unknown_op_is_refused", {.op = 0, .block = 0, .length = 512}, BLK_ERR_OP},
        {"blk_unknown_op_3_is_refused", {.op = 3, .block = 0, .length = 512}, BLK_ERR_OP},
        {"blk_zero_length_is_refused",
         {.op = BLK_OP_WRITE, .block = 1, .length = 0},
         BLK_ERR_LENGTH},
        {"blk_length_not_a_block_multiple_is_refused",
         {.op = BLK_OP_WRITE, .block = 1, .length = 511},
         BLK_ERR_LENGTH},
        {"blk_length_above_the_maximum_is_refused",
         {.op = BLK_OP_READ, .block = 1, .length = BLK_MAX_TRANSFER + BLK_SIZE},
         BLK_ERR_LENGTH},
        {"blk_unaligned_buffer_is_refused",
         {.op = BLK_OP_WRITE, .block = 2, .length = 512, .offset = 4},
         BLK_ERR_ALIGN},
        {"blk_buffer_offset_outside_the_region_is_refused",
         {.op = BLK_OP_WRITE, .block = 2, .length = 512, .offset = blk_data_size},
         BLK_ERR_BUFFER},
        {"blk_buffer_running_past_the_region_is_refused",
         {.op = BLK_OP_WRITE, .block = 2, .length = 1024, .offset = blk_data_size - 512},
         BLK_ERR_BUFFER},
        {"blk_buffer_offset_wrapping_around_is_refused",
         {.op = BLK_OP_WRITE, .block = 2, .length = 1024, .offset = 0xfffffe00u},
         BLK_ERR_BUFFER},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        blk_req_t r = cases[i].r;
        result(cases[i].name, one(r.op, r.block, r.length, r.offset) == cases[i].want);
    }
    /* Out of range, right at the end of the disk: the last block itself is
     * fine, one past it or a run over the end is not. */
    result("blk_block_past_the_end_is_refused", one(BLK_OP_WRITE, blocks, 512, 0) == BLK_ERR_RANGE);
    result("blk_run_over_the_end_is_refused",
           one(BLK_OP_WRITE, blocks - 1, 1024, 0) == BLK_ERR_RANGE);
    result("blk_huge_block_number_is_refused",
           one(BLK_OP_WRITE, 0xffffffffu, 512, 0) == BLK_ERR_RANGE);
    result("blk_block_number_wrapping_around_is_refused",
           one(BLK_OP_WRITE, 0xfffffff0u, 0x4000, 0) == BLK_ERR_RANGE);
    result("blk_last_block_reads", one(BLK_OP_READ, blocks - 1, 512, 0) == BLK_OK);
    /* Many bad requests at once: each answered, the ring never overflows. */
    blk_req_t bad[BLK_RING_ENTRIES + 8];
    uint32_t st[BLK_RING_ENTRIES + 8];
    for (uint32_t k = 0; k < BLK_RING_ENTRIES + 8; k++) {
        bad[k] = (blk_req_t){.op = BLK_OP_WRITE, .block = blocks + k, .length = 512};
        st[k] = 0xdead;
    }
    run(bad, st, BLK_RING_ENTRIES + 8);
    int ok = 1;
    for (uint32_t k = 0; k < BLK_RING_ENTRIES + 8; k++)
        ok &= st[k] == BLK_ERR_RANGE;
    result("blk_a_ring_and_more_of_bad_requests_are_all_answered", ok);
}

static void main_client(void)
{
    uint32_t blocks = q->blocks;
    result("blk_driver_reports_the_disk_size", blocks == 2048);
    if (blocks < PAT_FIRST + PAT_BLOCKS)
        return;
    if (one(BLK_OP_READ, 0, BLK_SIZE, 0) != BLK_OK) {
        result("blk_read_block_0", 0);
        return;
    }
    uint32_t seed = *(uint32_t *)data;
    printf("blk: seed 0x%08lx\n", (unsigned long)seed);
    memset(data + 0x8000, 0, PAT_BLOCKS * BLK_SIZE);
    if (one(BLK_OP_READ, PAT_FIRST, PAT_BLOCKS * BLK_SIZE, 0x8000) == BLK_OK &&
        is_pattern(seed, 0x8000, PAT_FIRST, PAT_BLOCKS)) {
        printf("blk: the pattern is on the disk: second boot\n");
        result("blk_pattern_persisted_across_boots", 1);
        result("blk_pattern_reads_back_into_another_buffer", read_back(seed, 0x1000));
        return;
    }
    printf("blk: no pattern on the disk: first boot\n");
    write_pattern(seed);
    result("blk_pattern_reads_back", read_back(seed, 0x2000));
    malformed(blocks);
    result("blk_pattern_intact_after_malformed_requests", read_back(seed, 0x4000));
    printf("blk: pattern written\n");
}

/* Reads beside client 0 (block 0 into its own region, several times), and
 * out-of-region buffers of its own. */
static void second_client(void)
{
    uint32_t blocks = q->blocks, seed = 0;
    int ok = blocks == 2048;
    for (int i = 0; i < 8 && ok; i++) {
        memset(data, 0, BLK_SIZE);
        ok &= one(BLK_OP_READ, 0, BLK_SIZE, 0) == BLK_OK;
        if (i == 0)
            seed = *(uint32_t *)data;
        ok &= *(uint32_t *)data == seed;
    }
    result("blk_second_client_reads_beside_the_first", ok);
    result("blk_second_client_buffer_outside_its_region_is_refused",
           one(BLK_OP_READ, 0, 512, blk_data_size) == BLK_ERR_BUFFER &&
               one(BLK_OP_READ, 0, 0x9000, 0x8000) == BLK_ERR_BUFFER);
}

void init(void)
{
    q = comp_channel_page(DRIVER);
    data = blk_data;
    if (!q || !data || blk_data_size < 0x10000) {
        printf(
            "[test] FAIL blk_client_is_given_its_queue_and_data: queue %p, data %p (%lu bytes)\n",
            (void *)q, (void *)data, (unsigned long)blk_data_size);
        exit(1);
    }
    wait_driver(); /* the driver is ready */
    /* This system has no serial driver: the console refuses reads, and
     * stdin is at its end. */
    char line[8];
    l4_word_t n = 0;
    result("blk_console_read_refused_without_a_serial_driver",
           console_read(COMP_CAP_CONSOLE, line, sizeof line, &n) == L4_ERR_ILLEGAL_OPERATION &&
               fgets(line, sizeof line, stdin) == NULL);
    if (strcmp(comp_name(), "disk-main") == 0)
        main_client();
    else
        second_client();
    exit((int)failures);
}
