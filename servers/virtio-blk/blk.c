/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio-blk driver component (docs/drivers.md): the driver logic of
 * blk_driver.c behind the component runtime. What it is given, by the
 * system description (an example: systems/virtio-blk.sys):
 *
 *   irqs = LINE:0                  the transport's interrupt, id 0
 *   a [device] region              NAME = rw blk_regs      (the transport)
 *   a 4 KiB uncached [region]      NAME = rw blk_vq paddr blk_vq_paddr
 *   per client i < BLK_MAX_CLIENTS:
 *     a [channel] whose end here has id 1 + i: its page is the client's
 *     queue (system/blk.h), its notifications the two signals;
 *     an uncached [region], the client's data, not mapped here:
 *       NAME = - paddr blk_data_paddr[i] size blk_data_size[i]
 *
 * Every client is notified once when the driver is ready (the disk's size
 * is then in its queue page, 0 if the device could not be set up). */
#include <stdio.h>
#include <component.h>
#include <system/comp.h>
#include "blk_driver.h"

#define BLK_IRQ_ID 0u
#define BLK_CLIENT_ID(i) (1u + (i))

/* Set by the root task before init() (the description's variables). */
uintptr_t blk_regs;
blk_vq_page_t *blk_vq;
l4_word_t blk_vq_paddr;
l4_word_t blk_data_paddr[BLK_MAX_CLIENTS];
l4_word_t blk_data_size[BLK_MAX_CLIENTS];

static blk_drv_t drv;
static const char *failed;
static comp_id_t id_of_client[BLK_MAX_CLIENTS];

static void notify_clients(uint32_t set)
{
    for (uint32_t i = 0; i < drv.nclients; i++)
        if (set & (1u << i))
            comp_notify(id_of_client[i]);
}

void init(void)
{
    if (!blk_regs || !blk_vq || !comp_id_is(BLK_IRQ_ID, COMP_ID_IRQ))
        failed = "not given its device, its DMA page and its interrupt (id 0)";
    else
        failed = blk_drv_init(&drv, blk_regs, blk_vq, blk_vq_paddr);
    uint32_t all = 0;
    for (uint32_t i = 0; i < BLK_MAX_CLIENTS; i++) {
        comp_id_t id = BLK_CLIENT_ID(i);
        blk_queue_t *q = comp_channel_page(id);
        if (!q)
            continue;
        if (failed || !blk_data_paddr[i]) { /* told: no disk */
            q->blocks = 0;
            comp_notify(id);
            continue;
        }
        int k = blk_drv_add_client(&drv, q, blk_data_paddr[i], blk_data_size[i]);
        id_of_client[k] = id;
        all |= 1u << k;
    }
    if (failed) {
        printf("virtio-blk: %s\n", failed);
        return;
    }
    printf("virtio-blk: %lu blocks of %u bytes%s, %lu client(s)\n", (unsigned long)drv.blocks,
           BLK_SIZE, drv.read_only ? " (read-only)" : "", (unsigned long)drv.nclients);
    notify_clients(all);
}

void notified(comp_id_t id)
{
    if (failed)
        return;
    uint32_t set = 0;
    if (id == BLK_IRQ_ID) {
        set |= blk_drv_complete(&drv);
        comp_irq_ack(BLK_IRQ_ID);
    }
    set |= blk_drv_take_requests(&drv);
    notify_clients(set);
}
