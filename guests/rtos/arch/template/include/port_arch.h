/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Template port, types and constants. Copy arch/template/ to
 * arch/<yourport>/ and fill in every TODO; include/rtos/port.h is the
 * contract and docs/rtos.md explains each item.
 */
#ifndef PORT_ARCH_H
#define PORT_ARCH_H

#include <stdint.h>

/* Suffix of benchmark names: rtos_<bench>_<PORT_NAME>. */
#define PORT_NAME "template"

/* Whatever port_irq_save() needs to undo itself (a PSR, a flag value). */
typedef uint32_t port_irqflags_t;

/* TODO: the registers your entry code saves when a task is interrupted.
 * The core only uses the accessors below; the layout is yours. */
typedef struct port_ctx {
    uint32_t r[16];
    uint32_t psr;
} port_ctx_t;

/* TODO: your handle for a protected task's address space (page-table
 * root, ASID, or a capability naming one). */
typedef struct port_as {
    uintptr_t root;
} port_as_t;

/* TODO: a task's floating-point registers, as your port_fpu_switch()
 * saves and loads them (ARM: d0-d31 and FPSCR, arch/arm/include/port_arm.h).
 * A machine without an FPU still defines the type (one word will do). */
typedef struct port_fpu {
    uint64_t d[32];
    uint32_t fpscr;
} port_fpu_t;

/* Interrupt lines the core dispatches, and the ones software can raise. */
#define PORT_IRQ_LINES 32
#define PORT_IRQ_SOFT_FIRST 0
#define PORT_IRQ_SOFT_COUNT 1

/* The user virtual-address window of protected tasks. It must hold the
 * user text (port_user_image), a stack at PORT_USER_BASE + 8 MiB and data
 * pages from PORT_USER_BASE + 16 MiB (core/utask.c). */
#define PORT_USER_BASE 0x10000000u
#define PORT_USER_END 0x20000000u

/* System-call ABI: argument i (0 = call number), result, resume address. */
static inline uint32_t port_ctx_arg(const port_ctx_t *ctx, unsigned i)
{
    return ctx->r[i];
}

static inline void port_ctx_set_ret(port_ctx_t *ctx, uint32_t v)
{
    ctx->r[0] = v;
}

static inline uint32_t port_ctx_pc(const port_ctx_t *ctx)
{
    return ctx->r[15];
}

#endif
