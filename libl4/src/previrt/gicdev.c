/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The devices the runtime emulates for hand-ported code (previrt/dev.h,
 * cpu.h's previrt_glue_device_*): the GIC's distributor and CPU interface,
 * on the virtual GIC the runtime shares with the VMM. The same registers
 * (vgic.c) as the VMM's emulation of a trapped load or store (pvdev.c),
 * with the same effects: an EOI of a physical line acks its handler (here
 * by VMM_IRQ_ACK, since the VMM holds the handlers), and any change marks
 * the GIC poked, so that the exit of this very call takes an interrupt
 * that became deliverable (previrt_glue_exit).
 */
#include <l4/l4.h>

#include "l4glue.h"

int previrt_glue_device_read(previrt_cpu_t *cpu, uint32_t addr, uint32_t *value)
{
    vgic_t *gic = &previrt_l4.shared.vgic;

    if (addr - PREVIRT_GICD_BASE < PREVIRT_GIC_SIZE)
        *value = vgic_dist_read(gic, addr - PREVIRT_GICD_BASE, 4);
    else if (addr - PREVIRT_GICC_BASE < PREVIRT_GIC_SIZE)
        *value = vgic_cpu_read(gic, addr - PREVIRT_GICC_BASE); /* IAR acknowledges */
    else
        return -1;
    return 0; /* a read makes nothing deliverable */
}

int previrt_glue_device_write(previrt_cpu_t *cpu, uint32_t addr, uint32_t value)
{
    previrt_l4_t *g = &previrt_l4;
    uint32_t done;

    if (addr - PREVIRT_GICD_BASE < PREVIRT_GIC_SIZE) {
        vgic_dist_write(&g->shared.vgic, addr - PREVIRT_GICD_BASE, 4, value);
    } else if (addr - PREVIRT_GICC_BASE < PREVIRT_GIC_SIZE) {
        done = vgic_cpu_write(&g->shared.vgic, addr - PREVIRT_GICC_BASE, value);
        for (uint32_t k = 0; done != VGIC_SPURIOUS && k < g->nphys; k++) {
            if (g->phys_intid[k] == done) {
                l4_msg_t m = {.info = l4_msginfo(VMM_IRQ_ACK, 0, 1), .mr = {GUEST_IRQ_PHYS(k)}};

                l4_call(GUEST_CAP_VMM, &m);
            }
        }
    } else {
        return -1;
    }
    g->shared.poke = 1;
    return 0;
}
