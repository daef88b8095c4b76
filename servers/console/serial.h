/* SPDX-License-Identifier: BSD-2-Clause */
/* The console server's serial side (serial.c): output through a serial
 * driver and line input for CONSOLE_READ, when the system has a driver. */
#pragma once
#include <l4/l4.h>

/* Finds out whether the root gave the console a serial driver. */
void serial_init(void);
int serial_present(void);
/* Write n bytes; returns once all are in the driver's ring. */
void serial_write(const char *buf, l4_word_t n);
/* Returns once the driver has taken every byte of the ring. */
void serial_flush(void);
/* CONSOLE_READ (system/proto.h): fills *reply, or keeps the caller's reply
 * capability and answers later (serial_poll), the *reply then going
 * nowhere. */
void serial_handle_read(const l4_msg_t *m, l4_msg_t *reply);
/* CONSOLE_SET_INPUT (system/proto.h): from the system (badge 0) only. */
void serial_handle_set_input(const l4_msg_t *m, l4_msg_t *reply);
/* Take what the driver received; answer the waiting reader if its line is
 * complete. Call after every message and signal. */
void serial_poll(void);
