/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The first step of a hand port after pre-virtualisation (docs/porting.md,
 * "Moving the hot operations by hand"): arch/native/gic.c with its register
 * accesses as calls of the pre-virtualisation runtime (previrt/dev.h)
 * instead of loads and stores that trap to the VMM. Everything else of the
 * native port is unchanged and still goes through the rewriter; this file
 * replaces native/gic.c in the previrt-gic images (guests/rtos/SConscript).
 * The registers and their use are native/gic.c's.
 */
#include <previrt/dev.h>
#include <rtos/rtos.h>

#include "../native/board.h"
#include "../native/cpu.h"

#define GICD_CTLR 0x000u
#define GICD_TYPER 0x004u
#define GICD_ISENABLER 0x100u
#define GICD_ICENABLER 0x180u
#define GICD_ICPENDR 0x280u
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u
#define GICD_ICFGR 0xc00u
#define GICD_SGIR 0xf00u
#define GICD_SGIR_SELF (2u << 24) /* TargetListFilter: this CPU */

#define GICC_CTLR 0x00u
#define GICC_PMR 0x04u
#define GICC_BPR 0x08u
#define GICC_IAR 0x0cu
#define GICC_EOIR 0x10u

#define GIC_PRIO_DEFAULT (RTOS_IRQ_PRIO_DEFAULT << 4) /* all lines at boot */
#define GIC_PMR_ALL (RTOS_IRQ_PRIO_NONE << 4)         /* masks no level in use */

static uint32_t gicd_read(uint32_t off)
{
    return previrt_dev_read32(BOARD_GICD_BASE + off);
}

static void gicd_write(uint32_t off, uint32_t v)
{
    previrt_dev_write32(BOARD_GICD_BASE + off, v);
}

static void gicc_write(uint32_t off, uint32_t v)
{
    previrt_dev_write32(BOARD_GICC_BASE + off, v);
}

void native_gic_init(void)
{
    unsigned lines = 32 * ((gicd_read(GICD_TYPER) & 0x1f) + 1);

    gicd_write(GICD_CTLR, 0);
    for (unsigned i = 0; i < lines; i += 32) {
        gicd_write(GICD_ICENABLER + i / 8, ~0u);
        gicd_write(GICD_ICPENDR + i / 8, ~0u);
    }
    for (unsigned i = 0; i < lines; i += 4) {
        gicd_write(GICD_IPRIORITYR + i, GIC_PRIO_DEFAULT * 0x01010101u);
        if (i >= 32) /* SPIs: deliver to CPU 0 */
            gicd_write(GICD_ITARGETSR + i, 0x01010101u);
    }
    gicd_write(GICD_CTLR, 1);
    gicc_write(GICC_PMR, GIC_PMR_ALL);
    gicc_write(GICC_BPR, 0);
    gicc_write(GICC_CTLR, 1);
}

uint32_t native_gic_ack(void)
{
    return previrt_dev_read32(BOARD_GICC_BASE + GICC_IAR);
}

void native_gic_eoi(uint32_t iar)
{
    gicc_write(GICC_EOIR, iar);
}

void native_gic_set_edge(unsigned line)
{
    uint32_t off = GICD_ICFGR + (line / 16) * 4;

    gicd_write(off, gicd_read(off) | (2u << (2 * (line % 16))));
}

void port_irq_unmask(unsigned line)
{
    gicd_write(GICD_ISENABLER + (line / 32) * 4, 1u << (line % 32));
}

void port_irq_mask(unsigned line)
{
    gicd_write(GICD_ICENABLER + (line / 32) * 4, 1u << (line % 32));
}

void port_irq_set_priority(unsigned line, unsigned prio)
{
    uint32_t off = GICD_IPRIORITYR + (line & ~3u);
    unsigned shift = 8 * (line % 4);

    gicd_write(off, (gicd_read(off) & ~(0xffu << shift)) | ((prio << 4) << shift));
    native_irq_prio_set(line, prio);
}

static unsigned gic_mask = RTOS_IRQ_PRIO_NONE;

unsigned port_irq_set_mask(unsigned prio)
{
    unsigned old = gic_mask;

    gic_mask = prio;
    cpu_dsb();
    gicc_write(GICC_PMR, prio << 4);
    cpu_dsb();
    cpu_isb();
    return old;
}

void port_irq_trigger(unsigned line)
{
    cpu_dsb(); /* the handler must see our earlier stores */
    gicd_write(GICD_SGIR, GICD_SGIR_SELF | (line & 0xf));
}
