/* SPDX-License-Identifier: BSD-2-Clause */
/* ARM PrimeCell UART (PL011) registers, as far as the driver uses them
 * (PL011 Technical Reference Manual r1p5, section 3). */
#pragma once

#define PL011_DR 0x000u    /* data; reading also gives the receive error bits 8-11 */
#define PL011_FR 0x018u    /* flags */
#define PL011_IBRD 0x024u  /* integer baud-rate divisor */
#define PL011_FBRD 0x028u  /* fractional baud-rate divisor */
#define PL011_LCR_H 0x02cu /* line control */
#define PL011_CR 0x030u    /* control */
#define PL011_IFLS 0x034u  /* FIFO interrupt levels */
#define PL011_IMSC 0x038u  /* interrupt mask: 1 = enabled */
#define PL011_MIS 0x040u   /* masked interrupt status */
#define PL011_ICR 0x044u   /* interrupt clear */

#define PL011_DR_ERRORS 0xf00u /* overrun, break, parity, framing */
#define PL011_DR_BE (1u << 10) /* break error: the line was held low */
#define PL011_FR_BUSY (1u << 3)
#define PL011_FR_RXFE (1u << 4) /* receive FIFO empty */
#define PL011_FR_TXFF (1u << 5) /* transmit FIFO full */
#define PL011_LCR_H_FEN (1u << 4)
#define PL011_LCR_H_WLEN_8 (3u << 5)
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE (1u << 8)
#define PL011_CR_RXE (1u << 9)
#define PL011_INT_RX (1u << 4)
#define PL011_INT_TX (1u << 5)
#define PL011_INT_RT (1u << 6) /* receive timeout */
#define PL011_INT_ALL 0x7ffu
/* 115200 baud from QEMU virt's 24 MHz UART clock: 24e6 / (16 * 115200) = 13.02 */
#define PL011_IBRD_115200 13u
#define PL011_FBRD_115200 1u
