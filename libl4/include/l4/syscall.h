/* SPDX-License-Identifier: BSD-2-Clause */
/* System call stubs. Register contract (libl4/abi.def, docs/reference/abi.md):
 * r7 = number, r0 = capability / first argument, r1 = message info,
 * r2-r5 = message registers; results come back in the same registers. */
#pragma once
#include <stdint.h>
#include <l4/abi.h>

#ifndef L4_WORD_T_DEFINED
#define L4_WORD_T_DEFINED
typedef uint32_t l4_word_t;
#endif

/* The raw kernel console of debug kernels (configuration debug, for
 * debugging the kernel itself). In every other configuration this is an
 * unknown system call, a fault: programs print through the machine
 * capability instead (l4_console_write, printf). */
static inline void l4_debug_putc(char c)
{
    register l4_word_t r0 __asm__("r0") = (unsigned char)c;
    register l4_word_t r7 __asm__("r7") = L4_SYS_DEBUG_PUTC;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r7) : "memory");
}

static inline void l4_debug_null(void)
{
    register l4_word_t r7 __asm__("r7") = L4_SYS_DEBUG_NULL;
    __asm__ volatile("svc #0" : : "r"(r7) : "memory");
}

static inline void l4_yield(void)
{
    register l4_word_t r7 __asm__("r7") = L4_SYS_YIELD;
    __asm__ volatile("svc #0" : : "r"(r7) : "memory");
}
