/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * PL011 console, polled transmit only (ARM DDI 0183). 115200 8N1.
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

/* The PL011's receive FIFO (UARTFR.RXFE: empty; PL011 TRM 3.3.3): polled,
 * the receive interrupt stays masked (UARTIMSC 0), so the core looks a
 * tick at a time. */
#define UART_FR_RXFE (1u << 4)

int port_console_getc(void)
{
    if (mmio_read32(BOARD_UART_BASE + UART_FR) & UART_FR_RXFE)
        return -1;
    return (int)(mmio_read32(BOARD_UART_BASE + UART_DR) & 0xffu);
}

int port_console_input_line(void)
{
    return -1;
}

void port_console_putc(char c)
{
    while (mmio_read32(BOARD_UART_BASE + UART_FR) & UART_FR_TXFF)
        ;
    mmio_write32(BOARD_UART_BASE + UART_DR, (uint8_t)c);
}
