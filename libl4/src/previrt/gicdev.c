/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The devices the runtime emulates for hand-ported code (previrt/dev.h) and
 * the MEM rewrite (memop.c), cpu.h's previrt_glue_device_*: the GIC's
 * distributor and CPU interface, on the virtual GIC the runtime shares with
 * the VMM. The same registers (vgic.c) as the VMM's emulation of a trapped
 * load or store (pvdev.c), with the same effects and the same sizes (the
 * distributor any, the CPU interface words only; what the runtime does not
 * take goes to the VMM, which stops the guest as it would natively have
 * been an error): an EOI of a physical line acknowledges it (here in the
 * state page, taken by a vcpu_sync at once: the line is routed straight to
 * the vCPU, docs/vcpu.md), and a change that may make an interrupt
 * deliverable marks the GIC poked, so that the exit of this very call
 * takes it (previrt_glue_exit).
 *
 * The short path: the registers of every interrupt and of a software
 * one, GICC_IAR, GICC_EOIR and GICD_SGIR, 32-bit, are taken in assembly
 * from the entry (gicshort.S) in their common cases; what it leaves to C
 * (an answer not known, an EOI out of order or of a physical line, a
 * general decoder's access) goes here straight to their vgic.c
 * functions, found by their address alone, and pokes only when
 * something can have become deliverable (an EOI with nothing pending, or
 * an SGI the kept answer says is not signalled, makes nothing
 * deliverable). Every other access takes the page decode (gicdev_which,
 * vgic_cpu_read/_write, vgic_dist_read/_write) and pokes after any write.
 * emulguest's twin test makes the same accesses as the MEM rewrite's
 * commonest form, through the general decoder, trapped to the VMM
 * (pvdev.c, the same vgic.c through the page decode) and as device calls,
 * and compares.
 */
#include <l4/l4.h>

#include <stddef.h>

#include "gicdev.h"
#include "l4glue.h"

#define GICC_IAR (PREVIRT_GICC_BASE + 0x0cu)
#define GICC_EOIR (PREVIRT_GICC_BASE + 0x10u)
#define GICD_SGIR (PREVIRT_GICD_BASE + 0xf00u)

/* gicshort.S's view of the structures (gicdev.h). */
_Static_assert(offsetof(previrt_l4_t, shared) == 0, "gicdev.h");
_Static_assert(offsetof(previrt_shared_t, sctlr) == PREVIRT_L4_SCTLR, "gicdev.h");
_Static_assert(offsetof(previrt_l4_t, nphys) == PREVIRT_L4_NPHYS, "gicdev.h");
_Static_assert(offsetof(previrt_l4_t, phys_intid) == PREVIRT_L4_PHYS_INTID, "gicdev.h");
_Static_assert(offsetof(previrt_shared_t, poke) == PREVIRT_L4_POKE, "gicdev.h");
_Static_assert(offsetof(previrt_cpu_t, sys.vbar) == PREVIRT_AREA_VBAR, "gicdev.h");
_Static_assert(PREVIRT_SCTLR_V == 1u << 13 && PSR_IT_J == 0x0700fc00u && PSR_FLAGS == 0xf80f0000u,
               "irqentry.S's constants");
_Static_assert(offsetof(previrt_shared_t, vgic) == PREVIRT_L4_VGIC, "gicdev.h");
_Static_assert(offsetof(previrt_shared_t, user_pd) == PREVIRT_L4_USER_PD &&
                   offsetof(previrt_l4_t, resumed_pd) == PREVIRT_L4_RESUMED_PD &&
                   GUEST_CAP_VCPU == PREVIRT_L4_CAP_VCPU,
               "gicdev.h: start.S's resume");
_Static_assert(offsetof(vgic_t, dist_enable) == VGIC_OFF_DIST_ENABLE, "gicdev.h");
_Static_assert(offsetof(vgic_t, cpu_enable) == VGIC_OFF_CPU_ENABLE, "gicdev.h");
_Static_assert(offsetof(vgic_t, pmr) == VGIC_OFF_PMR, "gicdev.h");
_Static_assert(offsetof(vgic_t, enabled) == VGIC_OFF_ENABLED, "gicdev.h");
_Static_assert(offsetof(vgic_t, pending) == VGIC_OFF_PENDING, "gicdev.h");
_Static_assert(offsetof(vgic_t, active) == VGIC_OFF_ACTIVE, "gicdev.h");
_Static_assert(offsetof(vgic_t, priority) == VGIC_OFF_PRIORITY, "gicdev.h");
_Static_assert(offsetof(vgic_t, active_stack) == VGIC_OFF_ACTIVE_STACK, "gicdev.h");
_Static_assert(offsetof(vgic_t, active_depth) == VGIC_OFF_ACTIVE_DEPTH, "gicdev.h");
_Static_assert(offsetof(vgic_t, cache) == VGIC_OFF_CACHE, "gicdev.h");
_Static_assert(GICC_IAR == PREVIRT_GICC_IAR_ADDR && GICC_EOIR == PREVIRT_GICC_EOIR_ADDR &&
                   GICD_SGIR == PREVIRT_GICD_SGIR_ADDR && VGIC_LINES == 128 &&
                   VGIC_SPURIOUS == 1023 && VGIC_CACHE_VALID == VGIC_CACHE_VALID_BIT &&
                   VGIC_CACHE_READY == VGIC_CACHE_READY_BIT && GUEST_STATE_VADDR == 0x7ff00000u &&
                   GUEST_HOME_PHYS == 16 && PREVIRT_LINE_PHYS(0) == GUEST_HOME_PHYS,
               "gicshort.S's constants");

/* The INTIDs of the physical lines routed to this vCPU (previrt_l4's
 * phys_intid, fixed at boot), as a bitmap: whether an EOI acknowledges a
 * line is one test, not a search. Built at the first EOI (gicshort.S
 * leaves an EOI to C until it is). */
PREVIRT_DATA uint32_t previrt_gicdev_phys[VGIC_WORDS];
PREVIRT_DATA uint32_t previrt_gicdev_phys_built;

static __attribute__((noinline)) void gicdev_phys_build(void)
{
    previrt_l4_t *g = &previrt_l4;

    for (uint32_t k = 0; k < g->nphys; k++)
        if (g->phys_intid[k] < VGIC_LINES)
            previrt_gicdev_phys[g->phys_intid[k] / 32] |= 1u << (g->phys_intid[k] % 32);
    previrt_gicdev_phys_built = 1;
}

/* A physical line's acknowledgement, in the state page, taken at once. */
static __attribute__((noinline)) void gicdev_ack_phys(uint32_t intid)
{
    previrt_l4_t *g = &previrt_l4;

    for (uint32_t k = 0; k < g->nphys; k++) {
        /* (an EOI of a line that awaits no acknowledgement: the sync
         * refuses it, changing nothing; the word is cleared again) */
        if (g->phys_intid[k] == intid &&
            l4_vcpu_ack_now(PREVIRT_STATE, 1u << PREVIRT_LINE_PHYS(k), GUEST_CAP_VCPU) ==
                L4_ERR_NOT_ACTIVE)
            l4_vcpu_set(PREVIRT_STATE, L4_VCPU_STATE_VIRQ_ACK, 0);
    }
}

/* The end of interrupt `done` (what an EOIR write completed, or
 * VGIC_SPURIOUS): if it is a physical line's, its acknowledgement. */
static inline void gicdev_ended(uint32_t done)
{
    if (done >= VGIC_LINES)
        return;
    if (!previrt_gicdev_phys_built)
        gicdev_phys_build();
    if ((previrt_gicdev_phys[done / 32] >> (done % 32)) & 1u)
        gicdev_ack_phys(done);
}

/* Which of the GIC's two pages takes an access of size at addr: 1
 * distributor, 2 CPU interface, 0 none. */
static int gicdev_which(uint32_t addr, unsigned size)
{
    if (addr & (size - 1))
        return 0; /* unaligned: the VMM decides (it stops the guest) */
    if (addr - PREVIRT_GICD_BASE <= PREVIRT_GIC_SIZE - size)
        return 1;
    if (addr - PREVIRT_GICC_BASE <= PREVIRT_GIC_SIZE - size && size == 4)
        return 2;
    return 0;
}

int previrt_glue_device_has(previrt_cpu_t *cpu, uint32_t addr, unsigned bytes)
{
    unsigned size = bytes > 4 ? 4 : bytes;

    for (unsigned k = 0; k < bytes; k += size)
        if (!gicdev_which(addr + k, size))
            return 0;
    return 1;
}

/* The short path's registers, each what the page decode does for it
 * (vgic_cpu_read/_write and vgic_dist_write call the same vgic.c
 * functions); only the poke is decided here, from the result. */
static inline int gicdev_iar(uint32_t *value)
{
    *value = vgic_acknowledge(&previrt_l4.shared.vgic); /* raises the running priority */
    return 0;
}

static inline int gicdev_eoir(uint32_t value)
{
    previrt_l4_t *g = &previrt_l4;

    gicdev_ended(vgic_end(&g->shared.vgic, value));
    if (vgic_any_pending(&g->shared.vgic))
        g->shared.poke = 1; /* a lower running priority may let one in */
    return 0;
}

static inline int gicdev_sgir(uint32_t value)
{
    previrt_l4_t *g = &previrt_l4;
    uint32_t c;

    vgic_sgi(&g->shared.vgic, value);
    c = g->shared.vgic.cache & (VGIC_CACHE_VALID | VGIC_CACHE_READY);
    if (c != VGIC_CACHE_VALID)
        g->shared.poke = 1; /* signalled now, or not known */
    return 0;
}

int previrt_glue_device_read(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t *value)
{
    vgic_t *gic = &previrt_l4.shared.vgic;

    if (addr == GICC_IAR && size == 4)
        return gicdev_iar(value); /* short: the handler's acknowledge */
    switch (gicdev_which(addr, size)) {
    case 1:
        *value = vgic_dist_read(gic, addr - PREVIRT_GICD_BASE, size);
        return 0; /* a read makes nothing deliverable */
    case 2:
        *value = vgic_cpu_read(gic, addr - PREVIRT_GICC_BASE);
        return 0;
    default:
        return -1;
    }
}

int previrt_glue_device_write(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t value)
{
    previrt_l4_t *g = &previrt_l4;
    vgic_t *gic = &g->shared.vgic;

    if (size == 4 && addr == GICC_EOIR)
        return gicdev_eoir(value); /* short: the handler's end */
    if (size == 4 && addr == GICD_SGIR)
        return gicdev_sgir(value); /* short: a software interrupt */
    switch (gicdev_which(addr, size)) {
    case 1:
        vgic_dist_write(gic, addr - PREVIRT_GICD_BASE, size, value);
        break;
    case 2:
        gicdev_ended(vgic_cpu_write(gic, addr - PREVIRT_GICC_BASE, value));
        break;
    default:
        return -1;
    }
    g->shared.poke = 1;
    return 0;
}
