/* SPDX-License-Identifier: BSD-2-Clause */
/* PL011 console, polled. QEMU needs no baud-rate set-up. The kernel
 * transmits; it reads only in the debug configuration: in the kernel
 * debugger, while everything else is stopped, and, while no driver owns
 * the console's input, at each tick to see a break (docs/observability.md). */
#include <config.h>
#include <platform.h>
#include <plat/io.h>

#define UART_DR 0x00
#define UART_FR 0x18
#define UART_FR_TXFF BIT(5) /* transmit FIFO full */
#define UART_FR_RXFE BIT(4) /* receive FIFO empty */
#define UART_DR_ERRORS 0xf00u /* overrun, break, parity, framing */
#define UART_DR_BE BIT(10)    /* break error: the line was held low */
#define UART_CR 0x30
#define UART_CR_UARTEN BIT(0)
#define UART_CR_TXE BIT(8)
#define UART_CR_RXE BIT(9)
#define UART_RX_DRAIN 32 /* more than the FIFO holds (16) */

void plat_console_init(void)
{
    uint32_t cr = UART_CR_UARTEN | UART_CR_TXE;
    if (CONFIG_DEBUG)
        cr |= UART_CR_RXE; /* the kernel reads too: the debugger, a break */
    io_write32(PLAT_UART_VADDR + UART_CR, cr);
}

bool plat_console_break(void)
{
    bool brk = false;
    for (unsigned i = 0; i < UART_RX_DRAIN; i++) {
        if (io_read32(PLAT_UART_VADDR + UART_FR) & UART_FR_RXFE)
            break;
        brk |= (io_read32(PLAT_UART_VADDR + UART_DR) & UART_DR_BE) != 0;
    }
    return brk;
}

void plat_console_putc(char c)
{
    if (c == '\n')
        plat_console_putc('\r');
    while (io_read32(PLAT_UART_VADDR + UART_FR) & UART_FR_TXFF)
        ;
    io_write32(PLAT_UART_VADDR + UART_DR, (uint8_t)c);
}

int plat_console_getc(void)
{
    for (;;) {
        if (io_read32(PLAT_UART_VADDR + UART_FR) & UART_FR_RXFE)
            return -1;
        uint32_t d = io_read32(PLAT_UART_VADDR + UART_DR);
        if (!(d & UART_DR_ERRORS)) /* a break or a damaged byte is no character */
            return (int)(d & 0xff);
    }
}
