/* SPDX-License-Identifier: BSD-2-Clause */
/* The virtio 1.x MMIO transport (version 2) and split virtqueues, as far as
 * a block driver needs them: register offsets, status and feature bits,
 * and the ring layouts (Virtual I/O Device Specification 1.1, sections
 * 2.1-2.6 and 4.2.2; the block device is section 5.2). Little-endian
 * throughout, like the CPU. */
#pragma once
#include <stdint.h>

/* Transport registers (offsets in the 0x200-byte transport window). */
#define VIRTIO_MMIO_MAGIC 0x000u /* "virt" */
#define VIRTIO_MMIO_VERSION 0x004u
#define VIRTIO_MMIO_DEVICE_ID 0x008u
#define VIRTIO_MMIO_DEVICE_FEATURES 0x010u
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014u
#define VIRTIO_MMIO_DRIVER_FEATURES 0x020u
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024u
#define VIRTIO_MMIO_QUEUE_SEL 0x030u
#define VIRTIO_MMIO_QUEUE_NUM_MAX 0x034u
#define VIRTIO_MMIO_QUEUE_NUM 0x038u
#define VIRTIO_MMIO_QUEUE_READY 0x044u
#define VIRTIO_MMIO_QUEUE_NOTIFY 0x050u
#define VIRTIO_MMIO_INTERRUPT_STATUS 0x060u
#define VIRTIO_MMIO_INTERRUPT_ACK 0x064u
#define VIRTIO_MMIO_STATUS 0x070u
#define VIRTIO_MMIO_QUEUE_DESC_LOW 0x080u
#define VIRTIO_MMIO_QUEUE_DESC_HIGH 0x084u
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW 0x090u /* the available ring */
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH 0x094u
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW 0x0a0u /* the used ring */
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH 0x0a4u
#define VIRTIO_MMIO_CONFIG 0x100u /* device-specific configuration */

#define VIRTIO_MMIO_MAGIC_VALUE 0x74726976u
#define VIRTIO_MMIO_TRANSPORT_SIZE 0x200u
#define VIRTIO_DEVICE_ID_BLOCK 2u

/* Device status bits. */
#define VIRTIO_STATUS_ACKNOWLEDGE 1u
#define VIRTIO_STATUS_DRIVER 2u
#define VIRTIO_STATUS_DRIVER_OK 4u
#define VIRTIO_STATUS_FEATURES_OK 8u
#define VIRTIO_STATUS_FAILED 128u

/* Feature bits: word 0 is bits 0-31, word 1 bits 32-63. */
#define VIRTIO_BLK_F_RO 5u        /* word 0: the disk is read-only */
#define VIRTIO_F_VERSION_1 0u     /* word 1 (bit 32): virtio 1.x semantics */
#define VIRTIO_INT_USED_BUFFER 1u /* interrupt status: the used ring moved */

/* Block device configuration (at VIRTIO_MMIO_CONFIG). */
#define VIRTIO_BLK_CFG_CAPACITY_LOW 0x00u /* in 512-byte sectors */
#define VIRTIO_BLK_CFG_CAPACITY_HIGH 0x04u

/* Block requests: header (device-readable), data, status (device-writable). */
#define VIRTIO_BLK_T_IN 0u  /* read */
#define VIRTIO_BLK_T_OUT 1u /* write */
#define VIRTIO_BLK_S_OK 0u
#define VIRTIO_BLK_S_IOERR 1u
#define VIRTIO_BLK_S_UNSUPP 2u

typedef struct {
    uint32_t type, reserved;
    uint32_t sector_low, sector_high;
} virtio_blk_hdr_t;

/* Split virtqueue. */
#define VIRTQ_DESC_F_NEXT 1u
#define VIRTQ_DESC_F_WRITE 2u /* device writes the buffer */

typedef struct {
    uint32_t addr_low, addr_high;
    uint32_t len;
    uint16_t flags, next;
} virtq_desc_t;

typedef struct {
    uint32_t id, len;
} virtq_used_elem_t;

_Static_assert(sizeof(virtio_blk_hdr_t) == 16, "virtio_blk_req header");
_Static_assert(sizeof(virtq_desc_t) == 16, "virtq_desc");
