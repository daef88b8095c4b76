/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel console output: a small printf over the platform console.
 * Supports %s %c %d %u %x %p %% with optional 0-padding width and 'l'. */
#pragma once
#include <types.h>
#include <stdarg.h>

void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
