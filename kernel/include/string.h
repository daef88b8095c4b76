/* SPDX-License-Identifier: BSD-2-Clause */
#pragma once
#include <types.h>

void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
