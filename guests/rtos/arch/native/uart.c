/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PL011 console (ARM DDI 0183), 115200 8N1: polled transmit; receive from
 * the FIFO, with its interrupt as the core's input line.
 */
#include <rtos/rtos.h>

#include "board.h"
#include "cpu.h"

#define UART_DR 0x00u
#define UART_FR 0x18u
#define UART_FR_TXFF (1u << 5)
#define UART_IBRD 0x24u
#define UART_FBRD 0x28u
#define UART_LCRH 0x2cu
#define UART_LCRH_8N1_FIFO 0x70u
#define UART_CR 0x30u
#define UART_CR_EN 0x301u /* UARTEN | TXE | RXE */
#define UART_IMSC 0x38u
#define UART_IMSC_RX (1u << 4 | 1u << 6) /* RXIM, RTIM: data, receive timeout */

void native_uart_init(void)
{
    /* divisor = clk / (16 * baud) = 13.02: IBRD 13, FBRD round(.02*64) */
    mmio_write32(BOARD_UART_BASE + UART_CR, 0);
    mmio_write32(BOARD_UART_BASE + UART_IBRD, 13);
    mmio_write32(BOARD_UART_BASE + UART_FBRD, 1);
    mmio_write32(BOARD_UART_BASE + UART_LCRH, UART_LCRH_8N1_FIFO);
    mmio_write32(BOARD_UART_BASE + UART_IMSC, 0);
    mmio_write32(BOARD_UART_BASE + UART_CR, UART_CR_EN);
}

/* The PL011's receive FIFO (UARTFR.RXFE: empty; PL011 TRM 3.3.3). */
#define UART_FR_RXFE (1u << 4)

int port_console_getc(void)
{
    if (mmio_read32(BOARD_UART_BASE + UART_FR) & UART_FR_RXFE)
        return -1;
    return (int)(mmio_read32(BOARD_UART_BASE + UART_DR) & 0xffu);
}

/*
 * The input line: the PL011's receive interrupts (RXIM, RTIM; TRM 3.4.3)
 * unmasked at the first read, which asks for it (rtos_console_getc). The
 * UART holds its interrupt high while its FIFO has data, and the core's
 * handler only wakes the reader, which empties the FIFO later, in a task:
 * taken level-triggered the line would interrupt again at once after every
 * handler, for as long as the FIFO was not read. So the GIC takes it
 * edge-triggered: pending once as data arrives in an empty FIFO. None is
 * lost: the reader waits only after a getc found the FIFO empty (the line
 * low), so the next byte raises it again, and one that came between that
 * getc and the wait made the handler's give, which the wait then takes.
 */
int port_console_input_line(void)
{
    native_gic_set_edge(BOARD_UART_SPI);
    mmio_write32(BOARD_UART_BASE + UART_IMSC, UART_IMSC_RX);
    return BOARD_UART_SPI;
}

void port_console_putc(char c)
{
    while (mmio_read32(BOARD_UART_BASE + UART_FR) & UART_FR_TXFF)
        ;
    mmio_write32(BOARD_UART_BASE + UART_DR, (uint8_t)c);
}
