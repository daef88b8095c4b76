/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The devices a pre-virtualised guest finds at the QEMU virt addresses
 * (docs/previrt.md, "Devices"): the GICv2 distributor and CPU interface,
 * on the vgic_t the guest's runtime shares (vgic.c gives the registers'
 * meaning), and a PL011 whose output goes to the console server, a line at
 * a time. Any other address stops the guest (vmm.c reports it).
 */
#include <system/console.h>
#include "previrt.h"

#define GICD_BASE PREVIRT_GICD_BASE
#define GICC_BASE PREVIRT_GICC_BASE
#define UART_BASE 0x09000000u
#define DEV_SIZE 0x1000u
#define UART_DR 0x000u
#define UART_FR 0x018u
#define UART_FR_TXFE (1u << 7)
#define UART_FR_RXFE (1u << 4)

static void pv_uart_putc(vmm_guest_t *g, char c)
{
    pv_vm_t *v = &pv_vm;

    if (c == '\r')
        return;
    v->uart[v->uart_len++] = c; /* the console server prints whole lines, at '\n' */
    if (c == '\n' || v->uart_len == sizeof(v->uart)) {
        console_write(VMM_CAP_G_CONSOLE, v->uart, v->uart_len);
        v->uart_len = 0;
    }
}

/* After any change the vGIC may deliver: tell the runtime, and if the
 * guest has virtual interrupts on, raise its GIC line so that the upcall
 * happens right after the access, as the IRQ would natively. */
static void pv_gic_changed(vmm_guest_t *g)
{
    pv_vm_t *v = &pv_vm;

    v->shared->poke = 1;
    if (v->state[L4_VCPU_STATE_VIRQ_ENABLED] && vgic_ready(&v->shared->vgic))
        l4_signal(v->gic_line);
}

const char *pv_device_read(vmm_guest_t *g, uint32_t addr, unsigned size, uint32_t *value)
{
    vgic_t *gic = &pv_vm.shared->vgic;
    const char *why;

    if (addr - GICD_BASE < DEV_SIZE || addr - GICC_BASE < DEV_SIZE)
        if ((why = vgic_check(gic)))
            return why;
    if (addr - GICD_BASE < DEV_SIZE) {
        *value = vgic_dist_read(gic, addr - GICD_BASE, size);
        return 0;
    }
    if (addr - GICC_BASE < DEV_SIZE) {
        if (size != 4)
            return "a GIC CPU interface access that is not 32 bits";
        *value = vgic_cpu_read(gic, addr - GICC_BASE);
        return 0;
    }
    if (addr - UART_BASE < DEV_SIZE) {
        *value = addr - UART_BASE == UART_FR ? UART_FR_TXFE | UART_FR_RXFE : 0;
        return 0;
    }
    return "a load from an address that is neither guest RAM nor an emulated device";
}

const char *pv_device_write(vmm_guest_t *g, uint32_t addr, unsigned size, uint32_t value)
{
    vgic_t *gic = &pv_vm.shared->vgic;
    const char *why;
    uint32_t done;

    if (addr - GICD_BASE < DEV_SIZE || addr - GICC_BASE < DEV_SIZE)
        if ((why = vgic_check(gic)))
            return why;
    if (addr - GICD_BASE < DEV_SIZE) {
        vgic_dist_write(gic, addr - GICD_BASE, size, value);
        pv_gic_changed(g);
        return 0;
    }
    if (addr - GICC_BASE < DEV_SIZE) {
        if (size != 4)
            return "a GIC CPU interface access that is not 32 bits";
        done = vgic_cpu_write(gic, addr - GICC_BASE, value);
        /* The end of a physical line's interrupt: the line may fire again. */
        for (l4_word_t k = 0; done != VGIC_SPURIOUS && k < g->cfg->nirqs; k++)
            if (g->cfg->irq[k] == done)
                l4_irq_handler_ack(VMM_CAP_IRQ + k);
        pv_gic_changed(g);
        return 0;
    }
    if (addr - UART_BASE < DEV_SIZE) {
        if (addr - UART_BASE == UART_DR)
            pv_uart_putc(g, (char)value);
        return 0; /* control registers: a console needs no set-up */
    }
    return "a store to an address that is neither guest RAM nor an emulated device";
}
