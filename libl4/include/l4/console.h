/* SPDX-License-Identifier: BSD-2-Clause */
/* Where a program's console output goes: printf and the rest of stdio
 * (newlib's _write), and l4_console_write; and where its input comes
 * from (stdin). By default the kernel console through the machine
 * capability at L4_CAP_MACHINE (machine_console_write), which the root task
 * holds; a program that prints elsewhere sets its own hook (the component
 * runtime, servers/lib/comp.c, sends its output to the console server), or
 * none. */
#pragma once
#include <l4/ipc.h>

/* Write n bytes; returns L4_ERR_OK or the error of the last write. */
typedef l4_word_t (*l4_console_fn)(const char *buf, l4_word_t n);

/* Send console output to fn from now on; NULL discards it. Returns the
 * previous hook. */
l4_console_fn l4_console_set_hook(l4_console_fn fn);
/* The default hook: machine_console_write on L4_CAP_MACHINE, in chunks of
 * L4_MACHINE_CONSOLE_MAX bytes. */
l4_word_t l4_console_machine(const char *buf, l4_word_t n);
/* The raw kernel console of debug kernels only (L4_SYS_DEBUG_PUTC; in every
 * other kernel configuration each character is an unknown-syscall fault). */
l4_word_t l4_console_debug(const char *buf, l4_word_t n);

l4_word_t l4_console_write(const char *buf, l4_word_t n);
l4_word_t l4_console_puts(const char *s);

/* Where console input comes from: stdin (newlib's _read) and
 * l4_console_read. fn reads up to n bytes of a line typed at the console,
 * blocking until there is one, and returns how many (0: end of file). By
 * default there is none: end of file. The component runtime reads through
 * the console server (docs/drivers.md). */
typedef l4_word_t (*l4_console_read_fn)(char *buf, l4_word_t n);
l4_console_read_fn l4_console_set_read_hook(l4_console_read_fn fn);
l4_word_t l4_console_read(char *buf, l4_word_t n);
