/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB register access. Order: r0-r12, sp, lr, pc, cpsr, tpidrurw
 * (L4_TCB_MAX_REGS); FPU state: d0-d31 as word pairs, then FPSCR
 * (L4_FPU_WORDS). */
#include <arch.h>
#include <invoke.h>
#include <ipc.h>

#define REG_PC CTX_NREGS
#define REG_CPSR (CTX_NREGS + 1)
STATIC_ASSERT(L4_TCB_REG_TPIDRURW == CTX_NREGS + 2 && L4_TCB_MAX_REGS == L4_TCB_REG_TPIDRURW + 1,
              "register order of docs/api.md");

/* The saved register i of a thread that is not running (the caller is the
 * running thread and may not name itself), so TPIDRURW is in its TCB. */
static word_t *thread_reg(tcb_t *t, unsigned i)
{
    if (i < CTX_NREGS)
        return &t->ctx.r[i];
    if (i == REG_PC)
        return &t->ctx.pc;
    if (i == REG_CPSR)
        return &t->ctx.cpsr;
    return &t->arch.tpidrurw;
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
            inv->out[i] = *thread_reg(t, i);
        inv->nout = count;
        return L4_ERR_OK;
    }
    if (inv->length < 2 + count)
        return L4_ERR_TRUNCATED_MESSAGE;
    for (unsigned i = 0; i < count; i++) {
        word_t v = inv_arg(inv, 2 + i);
        if (i == REG_CPSR)
            v = arch_psr_sanitise(v);
        *thread_reg(t, i) = v;
    }
    /* RFE to a misaligned pc is UNPREDICTABLE (ARM ARM B9.3.13). */
    t->ctx.pc &= (t->ctx.cpsr & BIT(5)) ? ~1u : ~3u;
    if (flag && t->state == THREAD_INACTIVE && t->vspace_pd)
        tcb_resume(t);
    return L4_ERR_OK;
}

/* Word i (< L4_FPU_WORDS) of a thread's FPU state as read/write_fpu see it. */
static word_t *fpu_word(arch_fpu_state_t *f, unsigned i)
{
    STATIC_ASSERT(L4_FPU_FPSCR == 2 * FPU_DREGS && L4_FPU_WORDS == L4_FPU_FPSCR + 1, "layout");
    if (i == L4_FPU_FPSCR)
        return &f->fpscr;
    return (word_t *)&f->d[i / 2] + (i % 2); /* little-endian: low word first */
}

word_t decode_tcb_fpu(invocation_t *inv, tcb_t *t)
{
    bool read = inv->label == L4_TCB_READ_FPU;
    const word_t nargs = 3;
    if (inv->length < nargs)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t flag = inv_arg(inv, 0), first = inv_arg(inv, 1), count = inv_arg(inv, 2);
    word_t max = read ? L4_MSG_MAX_WORDS : L4_MSG_MAX_WORDS - nargs;
    if (count == 0 || count > max || first >= L4_FPU_WORDS || count > L4_FPU_WORDS - first)
        return L4_ERR_RANGE_ERROR;
    if (t == inv->caller)
        return L4_ERR_ILLEGAL_OPERATION;
    if (!read && inv->length < nargs + count)
        return L4_ERR_TRUNCATED_MESSAGE;

    /* t is not running (it is not the caller), so its registers may only
     * be in the FPU if it owns it: bring them into its TCB. */
    if (read && flag)
        tcb_suspend(t); /* saves them too */
    arch_fpu_release(t, true);
    for (unsigned i = 0; i < count; i++) {
        word_t *w = fpu_word(&t->fpu, first + i);
        if (read)
            inv->out[i] = *w;
        else
            *w = inv_arg(inv, nargs + i);
    }
    if (read)
        inv->nout = count;
    else if (flag && t->state == THREAD_INACTIVE && t->vspace_pd)
        tcb_resume(t);
    return L4_ERR_OK;
}
