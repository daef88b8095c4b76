/* SPDX-License-Identifier: BSD-2-Clause */
/* Client of the console server (servers/console/console.c), in libsys
 * (servers/lib/console_client.c): everything written through one endpoint
 * capability appears as complete lines `[name] text`, name chosen by the
 * system for the badge. */
#pragma once
#include <stdarg.h>
#include <l4/l4.h>

/* Send n bytes (any length; split into CONSOLE_WRITE calls). 0 = ok. */
l4_word_t console_write(l4_cptr_t ep, const char *buf, l4_word_t n);
l4_word_t console_puts(l4_cptr_t ep, const char *s);
/* printf to the console; at most 256 characters per call. */
l4_word_t console_printf(l4_cptr_t ep, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
l4_word_t console_vprintf(l4_cptr_t ep, const char *fmt, va_list ap);
/* Read what was typed at the console: blocks until a line is complete,
 * then stores at most max (at most CONSOLE_READ_MAX) bytes of it in buf,
 * the line end as '\n', and their number in *n; the rest of a longer line
 * comes with the next reads. Only with a serial driver (docs/drivers.md);
 * returns 0 or the server's error. */
l4_word_t console_read(l4_cptr_t ep, char *buf, l4_word_t max, l4_word_t *n);
/* Wait until what was written reached the device (before a shutdown). */
l4_word_t console_flush(l4_cptr_t ep);
/* System only (badge 0): name the client with `badge`. */
l4_word_t console_register(l4_cptr_t ep, l4_word_t badge, const char *name);
/* System only (badge 0): from now on only `badge` reads the console, and
 * it is signalled when a line is ready (CONSOLE_SET_INPUT, system/proto.h). */
l4_word_t console_set_input(l4_cptr_t ep, l4_word_t badge);
/* console_read without waiting: *n = 0 if no line is ready. */
l4_word_t console_read_nowait(l4_cptr_t ep, char *buf, l4_word_t max, l4_word_t *n);
