/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC fastpath for call and reply-receive with up to four message words in
 * registers, no capabilities, single-level capability lookups and a
 * partner that may run at once. Anything else falls through to the full
 * path in core/syscall.c, which handles every case; the fastpath only
 * short-cuts the common one, so it may be longer than one screen: it is
 * written straight through to keep the instruction count low (design.md,
 * Measurement; docs/benchmarks.md has the figures).
 *
 * Scheduling: the running thread is not in a ready queue (sched.h), and
 * the partner has the same priority, so handing it the CPU touches no
 * queue: no higher-priority thread can be runnable while one runs. */
#include <arch.h>
#include <invoke.h>
#include <ipc.h>
#include <object/objects.h>
#include <sched.h>
#include <trace.h>

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* MR0-MR3 copied as one block (LDM/STM). */
typedef struct {
    word_t w[L4_MSG_REG_WORDS];
} mr4_t;

/* The slot addressed by cptr if the CSpace root resolves it in one level
 * (never for a thread in virtual user mode: CAP_GUEST_USER). */
static ALWAYS_INLINE cte_t *fast_lookup(const tcb_t *t, word_t cptr)
{
    const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
    if (unlikely(root->guard_bits + root->bits != 32 || (root->rights & CAP_UNRESOLVABLE)))
        return NULL;
    if (unlikely((cptr >> root->bits) != root->data))
        return NULL;
    return &((cte_t *)root->obj)[cptr & MASK(root->bits)];
}

static ALWAYS_INLINE NORETURN void fast_switch(tcb_t *cur, tcb_t *next)
{
    trace_switch(cur, next);
    if (next->asid != cur->asid)
        arch_vspace_activate(next->vspace_pd, next->asid);
    /* TPIDRURW is per thread: save the caller's, load the partner's (one
     * cp15 read and one write, and a load and a store). */
    cur->arch.tpidrurw = arch_get_user_tls();
    arch_set_user_tls(next->arch.tpidrurw);
    arch_set_thread_word(next->ipc_buffer);
    arch_fpu_disable(); /* 3 instructions while the FPU is off (docs/benchmarks.md) */
    ks_cur = next;
    trace_exit(next);
    arch_restore_user_context(&next->ctx);
}

static ALWAYS_INLINE bool fast_info_ok(word_t info)
{
    /* Length <= 4 words, no capabilities, none of the kernel-only bits
     * (ipc_info_invalid: the slow path refuses those): bits 0-11 in one test. */
    STATIC_ASSERT((MASK(L4_MSG_LENGTH_BITS) | (3u << L4_MSG_CAPS_SHIFT) | L4_MSG_KERNEL_BITS) ==
                      MASK(L4_MSG_LABEL_SHIFT),
                  "bits 0-11 are length, caps and kernel-only flags");
    return (info & MASK(L4_MSG_LABEL_SHIFT)) <= L4_MSG_REG_WORDS;
}

#define SYSNO L4_SYS_CALL
NORETURN void fastpath_call(word_t cptr, word_t info, tcb_t *t)
{
    /* t is running: THREAD_RUNNABLE and in no ready queue (sched.h). */
    if (unlikely(!fast_info_ok(info)))
        c_handle_syscall(cptr, info, t, SYSNO);
    cte_t *slot = fast_lookup(t, cptr);
    if (unlikely(!slot || slot->cap.type != L4_OBJ_ENDPOINT ||
                 !(slot->cap.rights & L4_RIGHT_WRITE)))
        c_handle_syscall(cptr, info, t, SYSNO);
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    tcb_t *r = ep->head;
    if (unlikely(ep->state != EP_RECEIVING || r->priority != t->priority))
        c_handle_syscall(cptr, info, t, SYSNO);
    cte_t *reply = &r->slots[TCB_SLOT_CALLER];
    if (unlikely(!cap_is_null(&reply->cap)))
        c_handle_syscall(cptr, info, t, SYSNO);

    trace_syscall_fast(t, SYSNO, cptr, info);
    trace_ipc_send(t, ep, slot->cap.data, info, r);
    /* Commit: dequeue the receiver (it is the head). Its ipc links and
     * blocked_on are left stale: they are only read while it is queued. */
    ep->head = r->ipc_next;
    if (ep->head)
        ep->head->ipc_prev = NULL;
    else {
        ep->tail = NULL;
        ep->state = EP_IDLE;
    }

    /* Message: info and MR0-MR3; receive results. */
    r->ctx.r[0] = L4_ERR_OK;
    r->ctx.r[1] = info;
    *(mr4_t *)&r->ctx.r[2] = *(const mr4_t *)&t->ctx.r[2];
    r->ctx.r[6] = slot->cap.data;

    /* One-shot reply cap in the receiver's caller slot (a CDT root). */
    reply->cap.type = L4_OBJ_REPLY;
    reply->cap.rights = L4_RIGHT_WRITE;
    reply->cap.obj = (uintptr_t)t;
    t->reply_holder = reply;
    t->state = THREAD_BLOCKED_REPLY;
    r->state = THREAD_RUNNABLE;
    fast_switch(t, r);
}

#undef SYSNO
#define SYSNO L4_SYS_REPLY_RECV
NORETURN void fastpath_reply_recv(word_t cptr, word_t info, tcb_t *t)
{
    if (unlikely(!fast_info_ok(info)))
        c_handle_syscall(cptr, info, t, SYSNO);
    cte_t *reply = &t->slots[TCB_SLOT_CALLER];
    if (unlikely(reply->cap.type != L4_OBJ_REPLY))
        c_handle_syscall(cptr, info, t, SYSNO);
    tcb_t *c = tcb_of_cap(&reply->cap);
    /* Invariant: a reply cap to c exists only while c waits for it, and
     * c->reply_holder is its slot; faulted callers wait in
     * THREAD_BLOCKED_FAULT and take the slow path. */
    if (unlikely(c->state != THREAD_BLOCKED_REPLY || c->priority != t->priority))
        c_handle_syscall(cptr, info, t, SYSNO);
    cte_t *slot = fast_lookup(t, cptr);
    if (unlikely(!slot || slot->cap.type != L4_OBJ_ENDPOINT || !(slot->cap.rights & L4_RIGHT_READ)))
        c_handle_syscall(cptr, info, t, SYSNO);
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    if (unlikely(ep->state == EP_SENDING || (t->bound_ntfn && t->bound_ntfn->word)))
        c_handle_syscall(cptr, info, t, SYSNO);

    trace_syscall_fast(t, SYSNO, cptr, info);
    trace_ipc_reply(t, c, info);
    trace_ipc_recv(t, ep, 0, 0, 0);
    /* Commit: the reply. */
    c->ctx.r[0] = L4_ERR_OK;
    c->ctx.r[1] = info;
    *(mr4_t *)&c->ctx.r[2] = *(const mr4_t *)&t->ctx.r[2];
    c->ctx.r[6] = 0;
    reply->cap.type = L4_OBJ_NULL; /* c->reply_holder goes stale: unused until c calls again */

    /* Block the server on the endpoint (at the tail). */
    t->state = THREAD_BLOCKED_RECV;
    t->blocked_on = ep;
    t->ipc_next = NULL;
    t->ipc_prev = ep->tail;
    if (ep->tail)
        ep->tail->ipc_next = t;
    else
        ep->head = t;
    ep->tail = t;
    ep->state = EP_RECEIVING;

    c->state = THREAD_RUNNABLE;
    fast_switch(t, c);
}
