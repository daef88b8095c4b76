/* SPDX-License-Identifier: BSD-2-Clause */
/* A typed fuzzer thread (two run at once, at the same priority as each
 * other and as their partners): make the calls gen_typed() generates,
 * count their results in the shared page, and keep the sandbox picture
 * (fz_model) up to date from them. */
#include "gen.h"

/* The system call itself: message words 4.. and cap addresses in the IPC
 * buffer, the receive slot for capabilities, r0-r5 and r7. */
static l4_word_t issue(fz_call_t *c, l4_msg_t *m)
{
    l4_word_t *buf = l4_ipc_buffer();
    l4_word_t len = c->length & 0x7fu;
    for (l4_word_t i = L4_MSG_REG_WORDS; i < len && i < L4_MSG_MAX_WORDS; i++)
        buf[L4_IPCBUF_MSG + i] = c->mr[i];
    for (l4_word_t i = 0; i < L4_MSG_MAX_CAPS; i++)
        buf[L4_IPCBUF_CAPS + i] = c->caps[i];
    if (c->recv_slot)
        l4_set_receive_slot(S_SELF, c->recv_slot, 32);
    m->info = l4_msginfo(c->label & 0xfffffu, c->ncaps & 3u, len) | c->kernel_bits;
    for (unsigned i = 0; i < L4_MSG_REG_WORDS; i++)
        m->mr[i] = c->mr[i];
    return l4_syscall_ipc(c->sysno, c->cptr, m);
}

/* Which of slots k[0..n) (believed occupied) are empty? A copy onto itself
 * says so without changing anything: FAILED_LOOKUP for an empty source,
 * DELETE_FIRST otherwise. The same copy of the sandbox's own slot first:
 * without a sandbox (a fuzzer deleted its cap, or gave this thread another
 * CSpace) every probe would fail and the picture be emptied for nothing.
 * Calls like any other: they count. Returns the calls made. */
static l4_word_t probe(const l4_word_t *k, unsigned n)
{
    fz_shared_t *sh = FZ_SHARED;
    l4_word_t self = l4_cnode_copy(S_SELF, S_SELF, 32, S_SELF, 32, L4_RIGHTS_ALL, S_SELF);
    sh->probes++;
    if (self != L4_ERR_DELETE_FIRST)
        return 1;
    for (unsigned i = 0; i < n; i++) {
        l4_word_t err = l4_cnode_copy(S_SELF, k[i], 32, k[i], 32, L4_RIGHTS_ALL, S_SELF);
        sh->probes++;
        if (err == L4_ERR_FAILED_LOOKUP) {
            sh->probes_empty++;
            model_delete(k[i]);
        }
    }
    return 1 + n;
}

/* The fixed slots the picture says are empty, which the supervisor may
 * have put back since. Returns the calls made. */
static l4_word_t relearn(void)
{
    l4_word_t calls = 0;
    for (l4_word_t s = 1; s < FZ_FREE_FIRST; s++) {
        if (!fz_repaired[s] || fz_model[s] != L4_OBJ_NULL)
            continue;
        l4_word_t err = l4_cnode_copy(S_SELF, s, 32, s, 32, L4_RIGHTS_ALL, S_SELF);
        FZ_SHARED->probes++;
        calls++;
        if (err == L4_ERR_DELETE_FIRST)
            model_set(s, fz_repaired[s]);
    }
    return calls;
}

/* The sandbox slots a call that failed a lookup named (its own cap, a
 * copy's source) that the picture believes occupied: one of them may not
 * be. (Cap arguments are checked when they are invoked or copied in turn.)
 * Returns how many (at most 2). */
static unsigned suspects(const fz_call_t *c, l4_word_t *k)
{
    unsigned n = 0;
    l4_word_t cand[2] = {c->cptr, c->effect == FX_COPY || c->effect == FX_MOVE ? c->src : 0};
    for (unsigned i = 0; i < 2; i++) {
        int dup = 0;
        for (unsigned j = 0; j < n; j++)
            dup |= k[j] == cand[i];
        if (cand[i] && cand[i] < FZ_SLOTS && fz_model[cand[i]] != L4_OBJ_NULL && !dup)
            k[n++] = cand[i];
    }
    return n;
}

/* What the result says about the sandbox. Returns the slots to probe (a
 * lookup failed where the picture says there is a cap) in k[]. */
static unsigned update_model(const fz_call_t *c, l4_word_t err, const l4_msg_t *m, l4_word_t *k)
{
    if (c->effect == FX_USE_REPLY) /* used up even when its caller is gone */
        model_delete(c->dest);
    if (err == L4_ERR_OK) {
        switch (c->effect) {
        case FX_NEW:
            model_new(c->dest, c->count, c->dest_type, c->cptr, c->view);
            break;
        case FX_COPY:
            model_copy(c->dest, c->src, c->view);
            break;
        case FX_MOVE:
            model_move(c->dest, c->src, c->view);
            break;
        case FX_DELETE:
            model_delete(c->dest);
            break;
        case FX_REVOKE:
            model_revoke(c->dest);
            break;
        case FX_SAVE_CALLER:
            model_set(c->dest, L4_OBJ_REPLY);
            break;
        default:
            break;
        }
        l4_word_t got = c->op == OP_IPC && c->recv_slot ? l4_msginfo_caps(m->info) : 0;
        for (l4_word_t i = 0; i < got; i++)
            model_set(c->recv_slot + i, FZ_UNKNOWN);
        return 0;
    }
    if (c->op == OP_RAW)
        return 0;
    if (err == L4_ERR_INVALID_CAPABILITY && c->ncaps == 0 && c->op == OP_INVOKE &&
        c->cptr < FZ_SLOTS)
        model_set(c->cptr, FZ_UNKNOWN);
    if (err == L4_ERR_DELETE_FIRST && (c->effect == FX_NEW || c->effect == FX_COPY ||
                                       c->effect == FX_MOVE || c->effect == FX_SAVE_CALLER))
        model_set(c->dest, FZ_UNKNOWN);
    return err == L4_ERR_FAILED_LOOKUP && c->op != OP_CHECK ? suspects(c, k) : 0;
}

static void account(unsigned me, const fz_call_t *c, l4_word_t err)
{
    fz_shared_t *sh = FZ_SHARED;
    sh->results[err < FZ_ERRORS ? err : FZ_ERRORS - 1]++;
    sh->ops[c->op]++;
    if (err == L4_ERR_FAILED_LOOKUP) {
        sh->lookup_failed_by_op[c->op]++;
        if (c->ncaps == 0 && c->op == OP_INVOKE) {
            sh->lookup_failed_invoked++;
        }
    }
    if (err == L4_ERR_REPLY_LOST)
        sh->reply_lost++;
    if (c->op == OP_INVOKE && c->type == L4_OBJ_IRQ_CONTROL && c->label == L4_IRQ_CONTROL_GET) {
        sh->irq_get_ok += err == L4_ERR_OK;
        sh->irq_get_refused += err == L4_ERR_RANGE_ERROR && c->mr[2] <= 32;
        sh->irq_get_claimed += err == L4_ERR_REVOKE_FIRST;
    }
    if (err != L4_ERR_OK)
        return;
    if (c->op == OP_INVOKE || c->op == OP_HARM) {
        sh->ok_by_type[c->type & 15u]++;
        if (c->label < 100)
            sh->ok_by_label[c->label]++;
    } else if (c->op == OP_IPC && c->sysno < 12) {
        sh->ipc_ok[c->sysno]++;
    }
    (void)me;
}

/* A check from inside: the first violation it reports is kept for the
 * supervisor (a failed campaign), with the kernel's own report. */
static void check_result(const fz_call_t *c, l4_word_t err, const l4_msg_t *m)
{
    fz_shared_t *sh = FZ_SHARED;
    sh->check_calls++;
    if (err != L4_ERR_OK || m->mr[0] == 0 || sh->check_bad[0])
        return;
    l4_word_t *buf = l4_ipc_buffer();
    for (unsigned i = 0; i < L4_DEBUG_CHECK_WORDS; i++)
        sh->check_bad[i] = i < L4_MSG_REG_WORDS ? m->mr[i] : buf[L4_IPCBUF_MSG + i];
    (void)c;
}

void fz_typed_fuzzer(fz_actor_t *a)
{
    unsigned me = a->role;
    fz_shared_t *sh = FZ_SHARED;
    l4_word_t lost = 0; /* consecutive failed lookups: its CSpace may be gone */
    while (sh->progress[me] < a->quota) {
        fz_call_t c;
        l4_msg_t m;
        gen_typed(a->rng, me, &c);
        if (rng_chance(a->rng, 4)) /* the FPU's lazy switch between the actors */
            fz_fpu_touch(a->rng);
        l4_word_t err = issue(&c, &m);
        sh->progress[me]++;
        account(me, &c, err);
        if (c.op == OP_IPC || c.op == OP_RAW) {
            if (c.sysno == L4_SYS_REPLY || c.sysno == L4_SYS_REPLY_RECV)
                holds_reply[me] = 0;
            if (err == L4_ERR_OK && c.cptr == S_EP_CLIENT &&
                (c.sysno == L4_SYS_RECV || c.sysno == L4_SYS_NBRECV ||
                 c.sysno == L4_SYS_REPLY_RECV))
                holds_reply[me] = 1;
        } else if (err == L4_ERR_OK && c.effect == FX_SAVE_CALLER) {
            holds_reply[me] = 0;
        }
        if (c.op == OP_CHECK)
            check_result(&c, err, &m);
        if ((sh->progress[me] & 31) == 0) { /* the other fuzzer's turn now and then */
            l4_yield();
            sh->progress[me]++;
        }
        l4_word_t k[2];
        unsigned n = update_model(&c, err, &m, k);
        if (n)
            sh->progress[me] += probe(k, n);
        if ((sh->progress[me] & 2047) == 0)
            sh->progress[me] += relearn();
        lost = err == L4_ERR_FAILED_LOOKUP ? lost + 1 : 0;
        if (lost == 64) /* no CSpace: ask the supervisor for a restart */
            for (;;)
                l4_yield();
    }
    sh->done[me] = 1;
    for (;;) { /* parked; the supervisor stops it */
        l4_wait(S_PARK, NULL);
        l4_tcb_suspend(a->self);
        l4_yield();
    }
}
