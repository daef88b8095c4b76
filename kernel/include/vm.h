/* SPDX-License-Identifier: BSD-2-Clause */
/* Mapping attributes as generic code expresses them; arch code turns them
 * into descriptor bits. */
#pragma once

#define VM_READ 0x01u
#define VM_WRITE 0x02u
#define VM_EXEC 0x04u
#define VM_USER 0x08u
#define VM_DEVICE 0x10u   /* uncached device memory, never executable */
#define VM_GLOBAL 0x20u   /* not tagged with an ASID (kernel window only) */
#define VM_UNCACHED 0x40u /* normal memory, not cached (DMA buffers); ignored with VM_DEVICE */
