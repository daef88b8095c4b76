/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The guest's own translation tables, walked as the MMU would for a PL0
 * access (ARM ARM B3.5-B3.7, short-descriptor format, no LPAE): what a
 * shadow page table may map. Pure code: host-tested.
 */
#pragma once
#include <stdint.h>

typedef struct {
    uint32_t sctlr, ttbcr, ttbr0, ttbr1, dacr;
} ptw_regs_t;

typedef struct {
    uint32_t pa;    /* of the byte at va */
    int writable;   /* at PL0 */
    int executable; /* at PL0 */
} ptw_result_t;

/* Read the word at guest physical address pa; 0 if it is not guest RAM. */
typedef int (*ptw_read_fn)(void *arg, uint32_t pa, uint32_t *word);

/* Fault status codes, FSR[10] | FSR[3:0] (B3.13.3, Table B3-23). */
#define PTW_FS_ALIGN 0x01u
#define PTW_FS_AF_SECTION 0x03u
#define PTW_FS_TRANS_SECTION 0x05u
#define PTW_FS_AF_PAGE 0x06u
#define PTW_FS_TRANS_PAGE 0x07u
#define PTW_FS_DOMAIN_SECTION 0x09u
#define PTW_FS_DOMAIN_PAGE 0x0bu
#define PTW_FS_EXT_WALK_L1 0x0cu
#define PTW_FS_PERM_SECTION 0x0du
#define PTW_FS_EXT_WALK_L2 0x0eu
#define PTW_FS_PERM_PAGE 0x0fu
#define PTW_FSR_WNR (1u << 11)

/*
 * Translate va for a PL0 read, write or instruction fetch. Returns 0 and
 * fills *out, or the FSR of the fault the access takes (status, domain,
 * WnR for a write). With the MMU off every address translates flat.
 */
uint32_t ptw_translate(const ptw_regs_t *r, ptw_read_fn read, void *arg, uint32_t va, int write,
                       int fetch, ptw_result_t *out);
