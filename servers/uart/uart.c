/* SPDX-License-Identifier: BSD-2-Clause */
/* The PL011 UART driver component (docs/drivers.md, "The UART"): the
 * driver logic of uart_driver.c behind the component runtime, serving the
 * console server, which writes every line of the system through it and
 * collects what is typed. What it is given by the system description (an
 * example: systems/uart.sys):
 *
 *   irqs = 33:0                   the UART's interrupt, id 0
 *   a [device] region uart0       NAME = rw uart_regs
 *   [channel] a = NAME:1, b = console   the serial queue (system/serial.h)
 *
 * It never prints through the console: the console server waits for this
 * driver when its ring is full, so a driver calling it could wait for
 * itself. Its one line at start goes straight to the UART; a driver that
 * is not given what it needs says so straight to the UART if it has the
 * registers (it holds no machine capability: no kernel console) and ends
 * with status 2, which the root task reports. */
#include <stdlib.h>
#include <component.h>
#include <system/comp.h>
#include "uart_driver.h"

#define UART_IRQ_ID 0u
#define UART_CONSOLE_ID 1u

/* Set by the root task before init(). */
uintptr_t uart_regs;

static uart_drv_t drv;
static int running;

void init(void)
{
    serial_queue_t *q = comp_channel_page(UART_CONSOLE_ID);
    if (!uart_regs || !q || !comp_id_is(UART_IRQ_ID, COMP_ID_IRQ)) {
        if (uart_regs) {
            uart_drv_init(&drv, uart_regs, q);
            uart_drv_puts(&drv, "[uart] not given the UART, its interrupt (id 0) and the "
                                "console (channel 1)\n");
        }
        exit(2);
    }
    uart_drv_init(&drv, uart_regs, q);
    running = 1;
    uart_drv_puts(&drv, "[uart] the PL011 driver serves the console\n");
    if (uart_drv_client(&drv) & UART_SIGNAL_CLIENT) /* what the console queued before */
        comp_notify(UART_CONSOLE_ID);
}

void notified(comp_id_t id)
{
    if (!running)
        return;
    uint32_t sig = id == UART_IRQ_ID ? uart_drv_irq(&drv) : uart_drv_client(&drv);
    /* A break on the line enters the kernel debugger of a debug kernel
     * (docs/observability.md); any other kernel refuses it: ignored. */
    if (sig & UART_SIGNAL_BREAK)
        comp_irq_debug_break(UART_IRQ_ID);
    if (id == UART_IRQ_ID)
        comp_irq_ack(UART_IRQ_ID);
    if (sig & UART_SIGNAL_CLIENT)
        comp_notify(UART_CONSOLE_ID);
}
