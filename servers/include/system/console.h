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
/* System only (badge 0): name the client with `badge`. */
l4_word_t console_register(l4_cptr_t ep, l4_word_t badge, const char *name);
