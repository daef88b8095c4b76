/* SPDX-License-Identifier: BSD-2-Clause */
/* The few libc routines the kernel needs (GCC may also emit calls to them). */
#include <string.h>

/* Objects are cleared a word (and a 16-byte block) at a time: retype zeroes
 * whole frames, so this loop bounds the cost of creating memory. */
void *memset(void *d, int c, size_t n)
{
    uint8_t *p = d;
    while (n && ((uintptr_t)p & 3u)) {
        *p++ = (uint8_t)c;
        n--;
    }
    word_t w = (uint8_t)c * 0x01010101u;
    word_t *q = (word_t *)p;
    for (; n >= 16; n -= 16, q += 4) {
        q[0] = w;
        q[1] = w;
        q[2] = w;
        q[3] = w;
    }
    for (; n >= 4; n -= 4)
        *q++ = w;
    p = (uint8_t *)q;
    while (n--)
        *p++ = (uint8_t)c;
    return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *p = d;
    const uint8_t *q = s;
    while (n--)
        *p++ = *q++;
    return d;
}
