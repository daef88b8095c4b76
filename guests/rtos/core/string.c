/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The freestanding C library subset the core and the compiler need (gcc
 * emits memcpy/memset calls for structure copies even with -fno-builtin).
 * The optimize attribute stops gcc turning these loops back into calls to
 * themselves.
 */
#include <rtos/rtos.h>

#define NO_LOOP_CALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))

NO_LOOP_CALLS void *memcpy(void *dst, const void *src, size_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    if ((((uintptr_t)d | (uintptr_t)s | n) & 3) == 0) {
        for (; n; n -= 4, d += 4, s += 4)
            *(uint32_t *)d = *(const uint32_t *)s;
        return dst;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

NO_LOOP_CALLS void *memset(void *dst, int c, size_t n)
{
    uint8_t *d = dst;

    while (n--)
        *d++ = (uint8_t)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x - *y;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}
