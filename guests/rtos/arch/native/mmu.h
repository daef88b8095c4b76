/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Short-descriptor translation table formats (ARM ARM B3.5), as explicit
 * shifts and masks. TEX remap and the access flag are off (SCTLR.TRE =
 * SCTLR.AFE = 0), so AP[2:0] and TEX/C/B are used directly; every mapping
 * is in domain 0, a client domain.
 */
#ifndef NATIVE_MMU_H
#define NATIVE_MMU_H

#include <stdint.h>

/* First level. */
#define L1_ENTRIES 4096u
#define L1_SECTION_SHIFT 20
#define L1_TYPE_TABLE 0x1u   /* -> second-level table */
#define L1_TYPE_SECTION 0x2u /* 1 MiB section */
#define L1_TYPE_MASK 0x3u
#define L1_TABLE_ADDR_MASK 0xfffffc00u
#define L1_SECT_B (1u << 2)
#define L1_SECT_C (1u << 3)
#define L1_SECT_XN (1u << 4)
#define L1_SECT_AP_KRW (1u << 10) /* AP[2:0] = 001: PL1 RW, PL0 none */
#define L1_SECT_TEX(x) ((uint32_t)(x) << 12)
#define L1_SECT_NORMAL (L1_SECT_TEX(1) | L1_SECT_C | L1_SECT_B) /* WBWA */
#define L1_SECT_DEVICE L1_SECT_B                                /* shareable device */

/* Second level (small 4 KiB pages). */
#define L2_ENTRIES 256u
#define L2_PAGE_SHIFT 12
#define L2_TYPE_SMALL 0x2u
#define L2_XN (1u << 0)
#define L2_B (1u << 2)
#define L2_C (1u << 3)
#define L2_AP_URW (3u << 4)               /* AP[2:0] = 011: PL1 RW, PL0 RW */
#define L2_AP_URO ((1u << 9) | (3u << 4)) /* AP[2:0] = 111: RO, RO */
#define L2_TEX(x) ((uint32_t)(x) << 6)
#define L2_NORMAL (L2_TEX(1) | L2_C | L2_B) /* WBWA */
#define L2_NG (1u << 11)                    /* not global: tagged with the ASID */

/* TTBR0 walk attributes with the Multiprocessing Extensions: inner WBWA
 * (IRGN = 01: bit 6 set, bit 0 clear), outer WBWA (RGN = 01). */
#define TTBR_WALK_WBWA ((1u << 6) | (1u << 3))

extern uint32_t native_kernel_l1[L1_ENTRIES];

#endif
