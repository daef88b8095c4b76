/* SPDX-License-Identifier: BSD-2-Clause */
/* The PL011 driver's logic (uart_driver.h). Transmit: bytes go from the tx
 * ring into the FIFO while it has room, '\n' as "\r\n"; when the FIFO is
 * full with bytes left, the transmit interrupt is enabled and the rest
 * goes when it fires. Receive: on the receive (or receive-timeout)
 * interrupt every byte in the FIFO goes to the rx ring; bytes with a
 * framing, parity or overrun error are counted and dropped; a break (the
 * serial line held low: a terminal's Break key, QEMU's Ctrl-A b) is
 * reported to the caller (UART_SIGNAL_BREAK), which hands it to the kernel
 * debugger. If the
 * rx ring is full the receive interrupts are masked and the bytes stay in
 * the FIFO until the client makes room (and signals). The kernel console
 * writes the data register too, between the driver's writes, never in the
 * middle of one (docs/design.md, section 8.5). */
#include <pl011_io.h>
#include "pl011.h"
#include "uart_driver.h"

#define BUSY_WAIT_LIMIT 1000000u /* polls of the busy flag at set-up */

static uint32_t rd(const uart_drv_t *u, uint32_t off)
{
    return pl011_read(u->regs, off);
}

static void wr(const uart_drv_t *u, uint32_t off, uint32_t v)
{
    pl011_write(u->regs, off, v);
}

static void set_imsc(uart_drv_t *u, uint32_t imsc)
{
    if (imsc != u->imsc)
        wr(u, PL011_IMSC, imsc);
    u->imsc = imsc;
}

void uart_drv_init(uart_drv_t *u, uintptr_t regs, serial_queue_t *q)
{
    *u = (uart_drv_t){.regs = regs, .q = q};
    for (uint32_t i = 0; i < BUSY_WAIT_LIMIT && (rd(u, PL011_FR) & PL011_FR_BUSY); i++)
        ;
    wr(u, PL011_CR, 0);
    wr(u, PL011_IMSC, 0);
    wr(u, PL011_ICR, PL011_INT_ALL);
    wr(u, PL011_IBRD, PL011_IBRD_115200);
    wr(u, PL011_FBRD, PL011_FBRD_115200);
    wr(u, PL011_LCR_H, PL011_LCR_H_FEN | PL011_LCR_H_WLEN_8); /* latches the divisors too */
    wr(u, PL011_IFLS, 0);                                     /* interrupt at 1/8 full/empty */
    u->imsc = ~0u;
    set_imsc(u, PL011_INT_RX | PL011_INT_RT);
    wr(u, PL011_CR, PL011_CR_UARTEN | PL011_CR_TXE | PL011_CR_RXE);
}

static void put_polled(uart_drv_t *u, char c)
{
    while (rd(u, PL011_FR) & PL011_FR_TXFF)
        ;
    wr(u, PL011_DR, (uint8_t)c);
}

void uart_drv_puts(uart_drv_t *u, const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            put_polled(u, '\r');
        put_polled(u, *s);
    }
}

/* Send from the tx ring while the FIFO has room. */
static uint32_t tx_pump(uart_drv_t *u)
{
    serial_ring_t *r = &u->q->tx;
    uint32_t took = 0, left;
    while ((left = serial_ring_used(r)) != 0 && !(rd(u, PL011_FR) & PL011_FR_TXFF)) {
        uint8_t c = 0;
        ring_peek(RING_ARGS(r), &c); /* there is one: used > 0 */
        if (c == '\n' && !u->cr_sent) {
            wr(u, PL011_DR, '\r');
            u->cr_sent = 1;
            continue;
        }
        wr(u, PL011_DR, c);
        u->cr_sent = 0;
        ring_drop(&r->ctl, 1);
        took++;
    }
    u->tx_bytes += took;
    uint32_t imsc = left ? u->imsc | PL011_INT_TX : u->imsc & ~PL011_INT_TX;
    set_imsc(u, imsc);
    return took && serial_ring_wake_producer(r) ? UART_SIGNAL_CLIENT : 0;
}

/* Receive into the rx ring while the FIFO has bytes and the ring room. */
static uint32_t rx_pump(uart_drv_t *u)
{
    serial_ring_t *r = &u->q->rx;
    uint32_t got = 0, brk = 0;
    while (!(rd(u, PL011_FR) & PL011_FR_RXFE)) {
        if (ring_room(&r->ctl, SERIAL_RING_SIZE) == 0 && serial_ring_prepare_wait(r) == 0) {
            u->rx_held = 1; /* the client signals when it took some */
            set_imsc(u, u->imsc & ~(PL011_INT_RX | PL011_INT_RT));
            break;
        }
        uint32_t d = rd(u, PL011_DR);
        if (d & PL011_DR_BE) { /* a break: for the kernel debugger (uart.c) */
            u->breaks++;
            brk = UART_SIGNAL_BREAK;
            continue;
        }
        if (d & PL011_DR_ERRORS) {
            u->rx_errors++;
            continue;
        }
        uint8_t c = (uint8_t)d;
        serial_ring_put(r, &c, 1);
        got++;
    }
    u->rx_bytes += got;
    return (got ? UART_SIGNAL_CLIENT : 0) | brk;
}

uint32_t uart_drv_client(uart_drv_t *u)
{
    uint32_t sig = 0;
    if (u->rx_held) {
        u->rx_held = 0;
        set_imsc(u, u->imsc | PL011_INT_RX | PL011_INT_RT);
        sig |= rx_pump(u);
    }
    return sig | tx_pump(u);
}

uint32_t uart_drv_irq(uart_drv_t *u)
{
    /* Clear first: a byte that arrives while the FIFO drains raises the
     * interrupt again instead of being left behind. */
    wr(u, PL011_ICR, rd(u, PL011_MIS) & (PL011_INT_RX | PL011_INT_RT | PL011_INT_TX));
    return rx_pump(u) | tx_pump(u);
}
