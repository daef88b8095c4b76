/* SPDX-License-Identifier: BSD-2-Clause */
/* PL011 console, transmit only, polled. QEMU needs no baud-rate set-up. */
#include <platform.h>
#include <plat/io.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF BIT(5) /* transmit FIFO full */
#define UART_CR 0x30
#define UART_CR_UARTEN BIT(0)
#define UART_CR_TXE BIT(8)

void plat_console_init(void)
{
    io_write32(PLAT_UART_VADDR + UART_CR, UART_CR_UARTEN | UART_CR_TXE);
}

void plat_console_putc(char c)
{
    if (c == '\n')
        plat_console_putc('\r');
    while (io_read32(PLAT_UART_VADDR + UART_FR) & UART_FR_TXFF)
        ;
    io_write32(PLAT_UART_VADDR + UART_DR, (uint8_t)c);
}
