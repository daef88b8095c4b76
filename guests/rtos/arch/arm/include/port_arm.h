/* SPDX-License-Identifier: BSD-2-Clause */
/* The system-call ABI of protected tasks on the ARM ports (native and pv;
 * arch/arm/usys_user.S): r0 = number, r1..r3 = arguments, result in r0.
 * Included by their port_arch.h after port_ctx_t (r[13], sp, lr, pc, cpsr). */
#ifndef PORT_ARM_H
#define PORT_ARM_H

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
    return ctx->pc;
}

/* First instruction of every protected task (arch/arm/usys_user.S). */
extern char arm_user_start[];

#endif
