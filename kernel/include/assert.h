/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel assertions: checked in every build (the kernel is small enough that the
 * cost is negligible, and a violated invariant must stop the machine, never
 * corrupt it). Conditions must have no side effects. assert_debug() is for
 * checks too costly for the release kernel, compiled in the debug
 * configuration only (docs/build.md). */
#pragma once
#include <config.h>
#include <panic.h>

#define assert(c)                                                                                  \
    do {                                                                                           \
        if (unlikely(!(c)))                                                                        \
            panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__);                         \
    } while (0)
#define assert_debug(c)                                                                            \
    do {                                                                                           \
        if (CONFIG_DEBUG)                                                                          \
            assert(c);                                                                             \
    } while (0)
