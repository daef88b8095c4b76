/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Facts about the QEMU virt board (-M virt -cpu cortex-a15 -m 256M), in one
 * place: another board is another copy of this file.
 */
#ifndef NATIVE_BOARD_H
#define NATIVE_BOARD_H

#define BOARD_RAM_BASE 0x40000000u
#define BOARD_RAM_SIZE 0x10000000u /* 256 MiB */
#define BOARD_DEV_BASE 0x08000000u /* GIC, UART, RTC, ... */
#define BOARD_DEV_SIZE 0x02000000u
#define BOARD_GICD_BASE 0x08000000u
#define BOARD_GICC_BASE 0x08010000u
#define BOARD_UART_BASE 0x09000000u
#define BOARD_UART_CLK 24000000u   /* PL011 reference clock */
#define BOARD_UART_SPI 33u         /* its interrupt (SPI 1), level */
#define BOARD_TIMER_PPI 27u        /* generic timer, virtual (CNTV) */
#define BOARD_RTC_BASE 0x09010000u /* PL031 real-time clock */
#define BOARD_RTC_SPI 34u          /* its alarm line (SPI 2), level */

#endif
