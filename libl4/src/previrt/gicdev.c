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
 * the vCPU, docs/vcpu.md), and any change marks the GIC poked, so that the exit of this very call takes an interrupt that
 * became deliverable (previrt_glue_exit).
 */
#include <l4/l4.h>

#include "l4glue.h"

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

int previrt_glue_device_read(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t *value)
{
    vgic_t *gic = &previrt_l4.shared.vgic;

    switch (gicdev_which(addr, size)) {
    case 1:
        *value = vgic_dist_read(gic, addr - PREVIRT_GICD_BASE, size);
        return 0; /* a read makes nothing deliverable */
    case 2:
        *value = vgic_cpu_read(gic, addr - PREVIRT_GICC_BASE); /* IAR acknowledges */
        return 0;
    default:
        return -1;
    }
}

int previrt_glue_device_write(previrt_cpu_t *cpu, uint32_t addr, unsigned size, uint32_t value)
{
    previrt_l4_t *g = &previrt_l4;
    uint32_t done;

    switch (gicdev_which(addr, size)) {
    case 1:
        vgic_dist_write(&g->shared.vgic, addr - PREVIRT_GICD_BASE, size, value);
        break;
    case 2:
        done = vgic_cpu_write(&g->shared.vgic, addr - PREVIRT_GICC_BASE, value);
        for (uint32_t k = 0; done != VGIC_SPURIOUS && k < g->nphys; k++) {
            /* (an EOI of a line that awaits no acknowledgement: the sync
             * refuses it, changing nothing; the word is cleared again) */
            if (g->phys_intid[k] == done &&
                l4_vcpu_ack_now(PREVIRT_STATE, 1u << PREVIRT_LINE_PHYS(k), GUEST_CAP_VCPU) ==
                    L4_ERR_NOT_ACTIVE)
                l4_vcpu_set(PREVIRT_STATE, L4_VCPU_STATE_VIRQ_ACK, 0);
        }
        break;
    default:
        return -1;
    }
    g->shared.poke = 1;
    return 0;
}
