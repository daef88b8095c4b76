/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the differential test's C files (main.c, glue_bare.c). */
#pragma once
#include <stdint.h>

void test_putc(char c);
void test_puts(const char *s);
void test_puthex(uint32_t v);
void run_all(void);
__attribute__((noreturn)) void test_exit(int status); /* cases.S: semihosting exit */
/* boot_previrt.S: a semihosting call made in real SVC mode. */
uint32_t real_semihost(uint32_t op, uint32_t arg);
