/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel console output: a small printf over the platform console.
 * Supports %s %d %u %x %% with an optional width, 0 padding, '-' (left
 * alignment) and 'l' (ignored: every argument is a word). */
#pragma once
#include <types.h>
#include <stdarg.h>

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
