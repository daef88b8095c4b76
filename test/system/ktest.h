/* SPDX-License-Identifier: BSD-2-Clause */
/* The in-QEMU test framework. Each TEST(name) registers a function in the
 * `ktests` section; the runner (ktest.c) calls them in link order and prints
 * `[test] PASS name` or `[test] FAIL name: reason`, then `[test] DONE`, the
 * protocol tools/qemurun counts (docs/testing.md). A failed CHECK ends the
 * test at once. */
#pragma once
#include <stdint.h>
#include <l4/l4.h>

typedef struct {
    const char *name;
    void (*fn)(void);
} ktest_t;

#define TEST(name)                                                                                 \
    static void name(void);                                                                        \
    static const ktest_t ktest_##name __attribute__((section("ktests"), used)) = {#name, name};    \
    static void name(void)

__attribute__((noreturn)) void ktest_fail(const char *file, int line, const char *expr,
                                          unsigned long a, unsigned long b);

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            ktest_fail(__FILE__, __LINE__, #c, 0, 0);                                              \
    } while (0)

/* Compare two word-sized values, printing both on failure. */
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        unsigned long _a = (unsigned long)(a), _b = (unsigned long)(b);                            \
        if (_a != _b)                                                                              \
            ktest_fail(__FILE__, __LINE__, #a " == " #b, _a, _b);                                  \
    } while (0)
