/* SPDX-License-Identifier: BSD-2-Clause */
/* Basic types. The kernel is built with -nostdinc, so nothing comes from libc;
 * the same header also compiles on the host for the unit tests. */
#pragma once

#ifndef __ASSEMBLY__
typedef __UINT8_TYPE__ uint8_t;
typedef __UINT16_TYPE__ uint16_t;
typedef unsigned int uint32_t; /* int is 32 bits on every target we build for */
typedef __UINT64_TYPE__ uint64_t;
typedef int int32_t;
typedef __INT64_TYPE__ int64_t;
typedef __UINTPTR_TYPE__ uintptr_t;
typedef __SIZE_TYPE__ size_t;
typedef uint32_t word_t;  /* a machine word of the target ABI */
typedef uint32_t paddr_t; /* physical address */
typedef uint32_t vaddr_t; /* virtual address in a user address space */
typedef _Bool bool;
#define true 1
#define false 0
#ifndef NULL
#define NULL ((void *)0)
#endif

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1u << (n))
#define MASK(n) (BIT(n) - 1u)
#define IS_ALIGNED(x, bits) (((x)&MASK(bits)) == 0)
#define ROUND_UP(x, bits) (((x) + MASK(bits)) & ~MASK(bits))
#define STATIC_ASSERT(c, msg) _Static_assert(c, msg)
#define NORETURN __attribute__((noreturn))
#define UNUSED __attribute__((unused))
#define ALIGNED(n) __attribute__((aligned(n)))
#define SECTION(s) __attribute__((section(s)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#ifndef offsetof
#define offsetof(t, f) __builtin_offsetof(t, f)
#endif
#endif
