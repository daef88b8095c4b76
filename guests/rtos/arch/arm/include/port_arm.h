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

/*
 * A task's floating-point registers (port_fpu_t, include/rtos/port.h): the
 * Cortex-A15's VFPv4-D32 with NEON, d0-d31 and FPSCR. Layout fixed by
 * arch/arm/fpu_regs.S: d0-d31 at 0..255, FPSCR at 256.
 */
typedef struct port_fpu {
    uint64_t d[32];
    uint32_t fpscr;
    uint32_t pad;
} __attribute__((aligned(8))) port_fpu_t;

/* Save d0-d31 and FPSCR to f / load them from f (arch/arm/fpu_regs.S).
 * The FPU must be usable (natively FPEXC.EN set; in virtual kernel mode
 * it always is). Kernel context or interrupts off. */
void arm_fpu_save(port_fpu_t *f);
void arm_fpu_load(const port_fpu_t *f);

#endif
