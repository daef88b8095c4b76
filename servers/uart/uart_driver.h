/* SPDX-License-Identifier: BSD-2-Clause */
/* The PL011 driver's logic (uart_driver.c), apart from how it is started
 * and wired (uart_server.c): the UART's set-up, moving bytes between the
 * serial queue (system/serial.h) and the FIFOs, and its interrupt. Every
 * function returns at once; the caller waits for notifications. */
#pragma once
#include <stdint.h>
#include <system/serial.h>

typedef struct {
    uintptr_t regs;
    serial_queue_t *q;
    uint32_t imsc;    /* the interrupts enabled now */
    uint32_t cr_sent; /* the '\r' of the "\r\n" for the next '\n' is out */
    uint32_t rx_held; /* the rx ring was full: receiving waits for the client */
    uint32_t tx_bytes, rx_bytes, rx_errors, breaks; /* statistics */
} uart_drv_t;

/* Take over the UART at regs, serving queue q (both zeroed rings). Waits
 * for the transmitter to be idle first: the kernel console may have left
 * a line in the FIFO. */
void uart_drv_init(uart_drv_t *u, uintptr_t regs, serial_queue_t *q);

/* The driver's own words, polled straight into the FIFO ahead of the
 * queue ("\n" as "\r\n"): for its start line, never while a line of the
 * queue is half sent. */
void uart_drv_puts(uart_drv_t *u, const char *s);

/* What the driver asks its caller to do after an event. */
#define UART_SIGNAL_CLIENT 1u /* signal the client's notification */
#define UART_SIGNAL_BREAK 2u  /* a break came in: forward it to the kernel debugger */

/* The client signalled: send what it queued (as much as the FIFO takes;
 * the rest on the transmit interrupt) and receive again if the client
 * made room. Returns UART_SIGNAL_* bits. */
uint32_t uart_drv_client(uart_drv_t *u);

/* The UART's interrupt: receive everything the FIFO holds (while the rx
 * ring has room), send more, clear the interrupt. Returns UART_SIGNAL_*
 * bits; the caller then acks the IRQ handler. */
uint32_t uart_drv_irq(uart_drv_t *u);
