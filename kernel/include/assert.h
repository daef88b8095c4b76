/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel assertions: checked in every build (the kernel is small enough that the
 * cost is negligible, and a violated invariant must stop the machine, never
 * corrupt it). Conditions must have no side effects. */
#pragma once
#include <panic.h>

#define assert(c)                                                                                  \
    do {                                                                                           \
        if (unlikely(!(c)))                                                                        \
            panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__);                         \
    } while (0)
