/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The VMM's half of pre-virtualisation (docs/previrt.md, "What traps"):
 * the virtual system registers the guest's runtime leaves to trap, shadow
 * page tables for virtual user mode, and the emulated devices (the GIC,
 * whose state the runtime shares, and the PL011).
 */
#pragma once
#include <system/previrt.h>

#include "vmm.h"

#define PV_MAPS 128u /* shadow mappings per shadow space (drops evict when full) */

typedef struct {
    uint32_t va;
    l4_cptr_t copy; /* VMM slot of the frame-cap copy mapped there */
} pv_map_t;

/* A shadow page directory: a TLB for one (TTBR0, ASID) of the guest. */
typedef struct {
    int used;
    uint32_t ttbr0, asid, mmu; /* the key */
    uint32_t lru;
    l4_cptr_t pd;   /* VMM slot */
    l4_cptr_t cptr; /* the same directory in the guest's CSpace (vcpu_resume) */
    uint32_t nmaps;
    pv_map_t maps[PV_MAPS];
} pv_shadow_t;

typedef struct {
    int attached;
    previrt_shared_t *shared;  /* the runtime's, through the VMM's window */
    volatile l4_word_t *state; /* the vCPU state page, through the VMM's window */
    l4_cptr_t ram0;            /* VMM slot of guest RAM page 0's frame (page n: ram0 + n) */
    l4_cptr_t gic_line;        /* the guest's notification, badged PREVIRT_LINE_GIC */
    /* The virtual system registers the VMM owns (tools/previrt/policy.py: trap). */
    uint32_t sctlr, actlr, cpacr, ttbr0, ttbr1, ttbcr, dacr, contextidr;
    uint32_t prrr, nmrr, par, csselr, fpexc;
    pv_shadow_t shadow[GUEST_NUM_USER_PD];
    uint32_t current, clock;
    l4_cptr_t pool[GUEST_NUM_USER_PD * PV_MAPS]; /* free frame-copy slots */
    uint32_t npool;
    uint32_t uart_len;
    char uart[CONSOLE_WRITE_MAX];
} pv_vm_t;

extern pv_vm_t pv_vm;

/* guest.c, for a pre-virtualised guest: objects and slots it needs. */
l4_word_t previrt_build(vmm_guest_t *g, l4_cptr_t guest_cnode, l4_cptr_t state, l4_cptr_t ram0);

/* previrt.c: the guest's requests and the guest kernel's faults. */
l4_word_t previrt_attach(vmm_guest_t *g, l4_word_t addr);
l4_word_t previrt_user_fault(vmm_guest_t *g, l4_word_t addr, l4_word_t fsr, l4_word_t fetch);
/* NULL if the fault was emulated (*m is then the reply that restarts the
 * thread), else why not. */
const char *previrt_kernel_fault(vmm_guest_t *g, l4_msg_t *m);

/* pvshadow.c */
void pv_shadow_select(vmm_guest_t *g);
void pv_shadow_drop_all(vmm_guest_t *g);
void pv_shadow_drop_asid(vmm_guest_t *g, uint32_t asid);
void pv_shadow_drop_va(vmm_guest_t *g, uint32_t va);
l4_word_t pv_shadow_fault(vmm_guest_t *g, uint32_t va, uint32_t fsr, int fetch);

/* pvdev.c: an emulated device access; NULL or why it is not emulated. */
const char *pv_device_read(vmm_guest_t *g, uint32_t addr, unsigned size, uint32_t *value);
const char *pv_device_write(vmm_guest_t *g, uint32_t addr, unsigned size, uint32_t value);
