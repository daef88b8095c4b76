/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot-time memory: a bump allocator over the RAM after the kernel image,
 * used only to build the root task; what is left becomes untyped memory. */
#pragma once
#include <types.h>

void bootmem_init(uintptr_t start, uintptr_t end);
/* Zeroed, naturally aligned block of 2^bits bytes (kernel pointer); panics
 * when memory runs out (boot cannot continue without its root task). */
void *bootmem_alloc(unsigned bits);
/* The first free kernel address after all boot allocations. */
uintptr_t bootmem_free_start(void);

struct tcb *boot_create_root_task(const uint8_t *image, size_t len);

/* Put the device untypeds (core/boot_devices.c) into the root CNode from
 * slot first_slot on and describe them in the boot-info page bi; returns
 * how many there are. */
struct cte;
word_t boot_create_device_untyped(struct cte *cnode, word_t *bi, word_t first_slot);
