/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The contract between a pre-virtualised guest's runtime (libl4/src/previrt)
 * and its VMM (servers/vmm/previrt*.c), docs/previrt.md: service labels,
 * notification lines, and the area the runtime shares with the VMM in
 * guest RAM. Freestanding: included by the VMM and by guests.
 *
 * Ownership of the shared area: the runtime writes it while its vCPU runs;
 * the VMM reads and writes it only while the vCPU is stopped in a fault or
 * in a call to the VMM (it is the guest's fault handler), so the two never
 * run on it at once and no word needs an atomic access.
 */
#pragma once
#include <stdint.h>
#include <system/guest.h>

/* VMM services for pre-virtualised guests (l4_call on GUEST_CAP_VMM). */
#define VMM_PREVIRT_ATTACH 4u /* MR0 = guest address of previrt_shared_t: -> MR0 status */
#define VMM_PREVIRT_FAULT                                                                          \
    5u /* MR0 = address, MR1 = FSR, MR2 = 1 for a fetch: a virtual-user-mode page fault.           \
          -> MR0 = 0 (the shadow now maps it: retry), else the FSR of the fault the                \
          guest takes (its own tables do not allow the access) */

/* Virtual interrupt lines (notification bits) of a pre-virtualised guest. */
#define PREVIRT_LINE_TIMER GUEST_IRQ_TIMER /* vCPU timer 0: the virtual generic timer */
#define PREVIRT_LINE_GIC 1u                /* the VMM: the virtual GIC has something to deliver */
/* Physical lines: PREVIRT_LINE_PHYS(k), INTID in the info page, as for every
 * guest; sysgen keeps a pre-virtualised guest's lines at their homes
 * (docs/vmm.md, "Virtual interrupt lines"), so this equals info word
 * GUEST_INFO_LINE_PHYS + k. */
#define PREVIRT_LINE_PHYS(k) (GUEST_HOME_PHYS + (k))

/* The virtual GIC (GICv2, one CPU; ARM IHI 0048B), the part both sides see,
 * at the QEMU virt addresses: the VMM emulates loads and stores there, the
 * runtime the calls of hand-ported code (previrt/dev.h). */
#define PREVIRT_GICD_BASE 0x08000000u
#define PREVIRT_GICC_BASE 0x08010000u
#define PREVIRT_GIC_SIZE 0x1000u /* of each: the CPU interface's first page */
#define VGIC_LINES 128u          /* INTIDs 0..127: what the board routes (port_arch.h) */
#define VGIC_WORDS (VGIC_LINES / 32u)
#define VGIC_SPURIOUS 1023u
#define VGIC_IDLE_PRIORITY 0x100u /* running priority with nothing active */

typedef struct {
    uint32_t dist_enable;              /* GICD_CTLR bit 0 */
    uint32_t cpu_enable;               /* GICC_CTLR bit 0 */
    uint32_t pmr;                      /* GICC_PMR: only priorities below it are signalled */
    uint32_t bpr;                      /* GICC_BPR (stored: one CPU, no preemption groups) */
    uint32_t enabled[VGIC_WORDS];      /* GICD_I[SC]ENABLER; SGIs always enabled */
    uint32_t pending[VGIC_WORDS];      /* GICD_I[SC]PENDR */
    uint32_t active[VGIC_WORDS];       /* GICD_I[SC]ACTIVER */
    uint32_t config[VGIC_LINES / 16u]; /* GICD_ICFGR, stored */
    uint8_t priority[VGIC_LINES];      /* GICD_IPRIORITYR */
    uint8_t target[VGIC_LINES];        /* GICD_ITARGETSR, stored */
    uint16_t active_stack[VGIC_LINES]; /* INTIDs acknowledged, innermost last */
    uint32_t active_depth;
    /* vgic_ready's answer since the last change (vgic.c): VGIC_CACHE_VALID,
     * VGIC_CACHE_READY if an IRQ is signalled, and in bits 9:0 the INTID
     * GICC_IAR would return. 0 = not known; every change of the fields
     * above, on either side, clears it (all of them go through vgic.c). */
    uint32_t cache;
} vgic_t;

#define VGIC_CACHE_VALID (1u << 31)
#define VGIC_CACHE_READY (1u << 30)
#define VGIC_CACHE_INTID 0x3ffu

/* The shared area: in the runtime's .data, attached by VMM_PREVIRT_ATTACH. */
#define PREVIRT_SHARED_MAGIC 0x50565254u /* "PVRT" */
typedef struct {
    uint32_t magic;
    uint32_t user_pd; /* VMM: guest cptr of the shadow page directory for virtual user mode */
    uint32_t sctlr;   /* VMM: the virtual SCTLR (V: high vectors; M: MMU on) */
    /* Set by whoever changes the vGIC in a way that may make an interrupt
     * deliverable; the runtime clears it when it looks (so a look is only
     * needed after a change). */
    uint32_t poke;
    vgic_t vgic;
} previrt_shared_t;

#define PREVIRT_SCTLR_M (1u << 0)
#define PREVIRT_SCTLR_V (1u << 13)

/* vgic.c: the register semantics, used by the VMM's MMIO emulation and the
 * runtime's delivery decisions. Offsets are within the distributor (4 KiB)
 * or the CPU interface (the first 4 KiB); accesses are 32-bit or 8-bit. */
void vgic_reset(vgic_t *g);
/* Null if the fields that index arrays are in range, else why not: what
 * the VMM asks before it emulates an access on a vgic_t the guest can
 * write. */
const char *vgic_check(const vgic_t *g);
uint32_t vgic_dist_read(vgic_t *g, uint32_t off, unsigned size);
void vgic_dist_write(vgic_t *g, uint32_t off, unsigned size, uint32_t v);
uint32_t vgic_cpu_read(vgic_t *g, uint32_t off);
/* An EOIR write returns the INTID it completed (else VGIC_SPURIOUS). */
uint32_t vgic_cpu_write(vgic_t *g, uint32_t off, uint32_t v);
void vgic_set_pending(vgic_t *g, unsigned intid);
void vgic_clear_pending(vgic_t *g, unsigned intid);
/* True when the CPU interface would signal an IRQ now (kept in g->cache
 * until the next change: asking twice costs one scan). */
int vgic_ready(vgic_t *g);
/* The hot registers on their own (what the offsets above do for them):
 * GICC_IAR's read, GICC_EOIR's write (as vgic_cpu_write), GICD_SGIR's
 * write; and whether any INTID is pending (with none, nothing can become
 * deliverable). */
uint32_t vgic_acknowledge(vgic_t *g);
uint32_t vgic_end(vgic_t *g, uint32_t v);
void vgic_sgi(vgic_t *g, uint32_t v);

static inline int vgic_any_pending(const vgic_t *g)
{
    _Static_assert(VGIC_WORDS == 4, "vgic_any_pending tests the four pending words");
    return (g->pending[0] | g->pending[1] | g->pending[2] | g->pending[3]) != 0;
}
