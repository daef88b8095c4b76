/* SPDX-License-Identifier: BSD-2-Clause */
/* Host unit tests: the driver's register accesses go to a fake PL011
 * (test_uart_driver.c), which models the FIFOs and interrupt status. */
#pragma once
#include <stdint.h>

uint32_t pl011_read(uintptr_t regs, uint32_t off);
void pl011_write(uintptr_t regs, uint32_t off, uint32_t v);
