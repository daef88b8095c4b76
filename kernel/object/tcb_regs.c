/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB register access. Order: r0-r12, sp, lr, pc, cpsr (L4_TCB_MAX_REGS). */
#include <arch.h>
#include <invoke.h>
#include <ipc.h>

static word_t *ctx_reg(arch_context_t *ctx, unsigned i)
{
    if (i < CTX_NREGS)
        return &ctx->r[i];
    return i == CTX_NREGS ? &ctx->pc : &ctx->cpsr;
}

word_t decode_tcb_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t flag = inv_arg(inv, 0), count = inv_arg(inv, 1);
    if (count == 0 || count > L4_TCB_MAX_REGS)
        return L4_ERR_RANGE_ERROR;
    if (t == inv->caller)
        return L4_ERR_ILLEGAL_OPERATION;

    if (inv->label == L4_TCB_READ_REGISTERS) {
        if (flag)
            tcb_suspend(t);
        for (unsigned i = 0; i < count; i++)
            inv->out[i] = *ctx_reg(&t->ctx, i);
        inv->nout = count;
        return L4_ERR_OK;
    }
    if (inv->length < 2 + count)
        return L4_ERR_TRUNCATED_MESSAGE;
    for (unsigned i = 0; i < count; i++) {
        word_t v = inv_arg(inv, 2 + i);
        if (i == CTX_NREGS + 1)
            v = arch_psr_sanitise(v);
        *ctx_reg(&t->ctx, i) = v;
    }
    /* RFE to a misaligned pc is UNPREDICTABLE (ARM ARM B9.3.13). */
    t->ctx.pc &= (t->ctx.cpsr & BIT(5)) ? ~1u : ~3u;
    if (flag && t->state == THREAD_INACTIVE && t->vspace_pd)
        tcb_resume(t);
    return L4_ERR_OK;
}
