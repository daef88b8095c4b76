/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB register access. Order: r0-r12, sp, lr, pc, cpsr, tpidrurw
 * (L4_TCB_MAX_REGS); FPU state: d0-d31 as word pairs, then FPSCR
 * (L4_FPU_WORDS). */
#include <arch.h>
#include <invoke.h>
#include <ipc.h>

/* Registers 0..16 (r0-r14, pc, cpsr) are the saved context word for word
 * (context.h), so they are copied as an array; 17 is TPIDRURW, in the TCB
 * (the caller is the running thread and may not name itself, so the target's
 * TPIDRURW is always the saved one). */
#define CTX_WORDS (sizeof(arch_context_t) / sizeof(word_t))
STATIC_ASSERT(CTX_WORDS == CTX_NREGS + 2 && offsetof(arch_context_t, cpsr) == 4 * (CTX_NREGS + 1),
              "the context is r0-r14, pc, cpsr");
STATIC_ASSERT(L4_TCB_REG_TPIDRURW == CTX_WORDS && L4_TCB_MAX_REGS == L4_TCB_REG_TPIDRURW + 1,
              "register order of docs/api.md");

word_t decode_tcb_registers(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 2)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t flag = inv_arg(inv, 0), count = inv_arg(inv, 1);
    if (count == 0 || count > L4_TCB_MAX_REGS)
        return L4_ERR_RANGE_ERROR;
    if (t == inv->caller)
        return L4_ERR_ILLEGAL_OPERATION;

    word_t *ctx = (word_t *)&t->ctx;
    word_t n = count < CTX_WORDS ? count : CTX_WORDS;
    if (inv->label == L4_TCB_READ_REGISTERS) {
        if (flag)
            tcb_suspend(t);
        for (word_t i = 0; i < n; i++)
            inv->out[i] = ctx[i];
        if (count > L4_TCB_REG_TPIDRURW)
            inv->out[L4_TCB_REG_TPIDRURW] = t->arch.tpidrurw;
        inv->nout = count;
        return L4_ERR_OK;
    }
    if (inv->length < 2 + count)
        return L4_ERR_TRUNCATED_MESSAGE;
    /* inv_arg(inv, 2 + i) without its tests per word (every word is within
     * the message, checked above): message words below L4_MSG_REG_WORDS
     * are the caller's r2.., the rest in its IPC buffer (present: the entry
     * lets no longer message through without one, syscall_invoke). */
    word_t i = 0;
    for (; i < n && 2 + i < L4_MSG_REG_WORDS; i++)
        ctx[i] = inv->caller->ctx.r[2 + 2 + i];
    for (; i < n; i++)
        ctx[i] = inv->caller->ipc_buffer_kptr[L4_IPCBUF_MSG + 2 + i];
    if (count > L4_TCB_REG_TPIDRURW)
        t->arch.tpidrurw = inv_arg(inv, 2 + L4_TCB_REG_TPIDRURW);
    tcb_regs_sanitise(t); /* (the old values if not written: a no-op) */
    if (flag && t->state == THREAD_INACTIVE && t->vspace_pd)
        tcb_resume(t);
    return L4_ERR_OK;
}

void tcb_regs_sanitise(tcb_t *t)
{
    t->ctx.cpsr = arch_psr_sanitise(t->ctx.cpsr);
    /* RFE to a misaligned pc is UNPREDICTABLE (ARM ARM B9.3.13). */
    t->ctx.pc &= (t->ctx.cpsr & BIT(5)) ? ~1u : ~3u;
}

STATIC_ASSERT(L4_FAULT_REGS_WORDS == CTX_WORDS, "a fault message's registers are the context");

void tcb_fault_regs_save(const tcb_t *t, word_t *to)
{
    arch_copy_words(to, (const word_t *)&t->ctx, L4_FAULT_REGS_WORDS);
}

void tcb_fault_regs_install(tcb_t *t, const word_t *from)
{
    arch_copy_words((word_t *)&t->ctx, from, L4_FAULT_REGS_WORDS);
    tcb_regs_sanitise(t);
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
