/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC fastpath for call and reply-receive of up to L4_MSG_MAX_WORDS message
 * words (four in registers, the rest between IPC buffers, which both
 * threads must have), no capabilities, single-level capability lookups and
 * a partner that may run at once and has no virtual interrupt to take. Anything else falls through to the full
 * path in core/syscall.c, which handles every case; the fastpath only
 * short-cuts the common one, so it may be longer than one screen: it is
 * written straight through to keep the instruction count low (design.md,
 * Measurement; docs/benchmarks.md has the figures).
 *
 * Scheduling: the running thread is not in a ready queue (sched.h), and
 * the partner has the same priority, so handing it the CPU touches no
 * queue: no higher-priority thread can be runnable while one runs. A
 * thread of that priority that is queued waits, as on the slow path (the
 * IPC hand-over, sched_hand_over, docs/design.md 5.3). */
#include <arch.h>
#include <fastpath_asm.h>
#include <assert.h>
#include <invoke.h>
#include <ipc.h>
#include <object/objects.h>
#include <object/vcpu.h>
#include <object/vspace.h>
#include <sched.h>
#include <trace.h>

#define ALWAYS_INLINE inline __attribute__((always_inline))

/* The assembly fastpath's view of the objects (fastpath_asm.h). */
#define FP_OFF(type, field, v) STATIC_ASSERT(__builtin_offsetof(type, field) == (v), #field)
FP_OFF(tcb_t, ctx, 0);
STATIC_ASSERT(sizeof(((tcb_t *)0)->ctx) == 4 * FP_TCB_CTX_WORDS, "ctx");
FP_OFF(tcb_t, arch.tpidrurw, FP_TCB_TLS);
FP_OFF(tcb_t, state, FP_TCB_STATE);
FP_OFF(tcb_t, priority, FP_TCB_PRIO);
STATIC_ASSERT(sizeof(((tcb_t *)0)->state) == 1 && sizeof(((tcb_t *)0)->priority) == 1, "bytes");
FP_OFF(tcb_t, vspace_pd, FP_TCB_PD);
FP_OFF(tcb_t, asid, FP_TCB_ASID);
FP_OFF(tcb_t, ipc_buffer, FP_TCB_IPCBUF);
FP_OFF(tcb_t, blocked_on, FP_TCB_BLOCKED_ON);
FP_OFF(tcb_t, ipc_next, FP_TCB_IPC_NEXT);
FP_OFF(tcb_t, ipc_prev, FP_TCB_IPC_PREV);
FP_OFF(tcb_t, reply_holder, FP_TCB_REPLY_HOLDER);
FP_OFF(tcb_t, bound_ntfn, FP_TCB_BOUND);
FP_OFF(tcb_t, vcpu, FP_TCB_VCPU);
FP_OFF(tcb_t, slots[TCB_SLOT_CSPACE].cap, FP_TCB_CSPACE);
FP_OFF(tcb_t, slots[TCB_SLOT_CALLER].cap, FP_TCB_CALLER);
FP_OFF(cap_t, type, FP_CAP_TYPE);
FP_OFF(cap_t, rights, FP_CAP_RIGHTS);
FP_OFF(cap_t, bits, FP_CAP_BITS);
FP_OFF(cap_t, guard_bits, FP_CAP_GUARD);
FP_OFF(cap_t, obj, FP_CAP_OBJ);
FP_OFF(cap_t, data, FP_CAP_DATA);
STATIC_ASSERT(sizeof(((cap_t *)0)->type) == 1 && sizeof(((cap_t *)0)->rights) == 1, "bytes");
FP_OFF(cte_t, cap, 0);
STATIC_ASSERT(sizeof(cte_t) == BIT(FP_CTE_BITS), "cte_t");
FP_OFF(endpoint_t, head, FP_EP_HEAD);
FP_OFF(endpoint_t, tail, FP_EP_TAIL);
FP_OFF(endpoint_t, state, FP_EP_STATE);
STATIC_ASSERT(sizeof(((endpoint_t *)0)->state) == 4, "a word");
STATIC_ASSERT(EP_IDLE == FP_EP_IDLE && EP_SENDING == FP_EP_SENDING &&
                  EP_RECEIVING == FP_EP_RECEIVING,
              "endpoint states");
STATIC_ASSERT(THREAD_RUNNABLE == FP_THREAD_RUNNABLE && THREAD_BLOCKED_RECV == FP_THREAD_BLOCKED_RECV &&
                  THREAD_BLOCKED_REPLY == FP_THREAD_BLOCKED_REPLY,
              "thread states");
STATIC_ASSERT(L4_OBJ_NULL == FP_OBJ_NULL && L4_OBJ_ENDPOINT == FP_OBJ_ENDPOINT &&
                  L4_OBJ_REPLY == FP_OBJ_REPLY,
              "object types");
STATIC_ASSERT(L4_RIGHT_WRITE == FP_RIGHT_WRITE && L4_RIGHT_READ == FP_RIGHT_READ &&
                  CAP_UNRESOLVABLE == FP_CAP_UNRESOLVABLE,
              "rights");
STATIC_ASSERT(MASK(L4_MSG_LABEL_SHIFT) == MASK(FP_MSG_INFO_LOW_MASK_BITS) &&
                  L4_MSG_REG_WORDS == FP_MSG_REG_WORDS,
              "message info");
STATIC_ASSERT(ARCH_TTBR_WALK_ATTR == FP_TTBR_WALK_ATTR && ARCH_FPEXC_EN == FP_FPEXC_EN, "arch");
FP_OFF(kernel_sched_t, cur, FP_KS_CUR);

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
    cte_t *slot = &((cte_t *)root->obj)[cptr & MASK(root->bits)];
    if (!slot) /* a CNode is never at 0: lets the caller's NULL test fold away */
        __builtin_unreachable();
    return slot;
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
    arch_fastpath_restore(&next->ctx);
}

/* Length, capabilities and the kernel-only bits (ipc_info_invalid: the slow
 * path refuses those) are bits 0-11: one comparison of them checks that
 * the message has at most `max` words, no capabilities and no kernel-only
 * bit, for any max below the length field's top bit. */
STATIC_ASSERT((MASK(L4_MSG_LENGTH_BITS) | (3u << L4_MSG_CAPS_SHIFT) | L4_MSG_KERNEL_BITS) ==
                  MASK(L4_MSG_LABEL_SHIFT),
              "bits 0-11 are length, caps and kernel-only flags");
STATIC_ASSERT(L4_MSG_MAX_WORDS <= BIT(L4_MSG_LENGTH_BITS - 1), "one comparison");
static ALWAYS_INLINE bool fast_info_ok(word_t info, word_t max)
{
    return (info & MASK(L4_MSG_LABEL_SHIFT)) <= max;
}

/* Words beyond the registers (`longmsg`) need both IPC buffers: without
 * the receiver's the slow path truncates the message, without the
 * sender's it sends zeros (core/ipc.c, transfer_message). */
static ALWAYS_INLINE bool fast_buffers_ok(bool longmsg, const tcb_t *s, const tcb_t *r)
{
    return !longmsg || (s->ipc_buffer_kptr && r->ipc_buffer_kptr);
}

/* The partner is about to run: if it is a vCPU with a virtual interrupt
 * that it must take first, the slow path's exit delivers it (kernel_exit:
 * vcpu_check_pending). */
static ALWAYS_INLINE bool fast_virq_pending(const tcb_t *r)
{
    return unlikely(r->vcpu != NULL) && vcpu_virq_deliverable(r->vcpu);
}

/* MR0-MR3 and the words in the IPC buffers (fast_buffers_ok checked). */
static ALWAYS_INLINE void fast_copy_message(tcb_t *r, const tcb_t *s, word_t info, bool longmsg)
{
    *(mr4_t *)&r->ctx.r[2] = *(const mr4_t *)&s->ctx.r[2];
    word_t len = info & MASK(L4_MSG_LENGTH_BITS);
    if (longmsg)
        arch_copy_words(&r->ipc_buffer_kptr[L4_IPCBUF_MSG + L4_MSG_REG_WORDS],
                        &s->ipc_buffer_kptr[L4_IPCBUF_MSG + L4_MSG_REG_WORDS],
                        len - L4_MSG_REG_WORDS);
}

/* The one-shot reply cap to t in the receiver's (empty) caller slot, as a
 * CDT root; t waits for it in `state`. */
static ALWAYS_INLINE void fast_install_reply(cte_t *reply, tcb_t *t, uint8_t state)
{
    reply->cap.type = L4_OBJ_REPLY;
    reply->cap.rights = L4_RIGHT_WRITE;
    reply->cap.obj = (uintptr_t)t;
    t->reply_holder = reply;
    t->state = state;
}

/* t waits on ep (not EP_SENDING) at the tail of its receive queue. */
static ALWAYS_INLINE void fast_block_recv(tcb_t *t, endpoint_t *ep)
{
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
}

/* The head w of a queue of waiters leaves it (queue_remove for the head);
 * returns the new head. w's links and blocked_on are left stale, as the
 * call fastpath leaves them: they are only read while it is queued. */
static ALWAYS_INLINE tcb_t *fast_dequeue_head(tcb_t **head, tcb_t **tail, const tcb_t *w)
{
    tcb_t *n = w->ipc_next;
    *head = n;
    if (n)
        n->ipc_prev = NULL;
    else
        *tail = NULL;
    return n;
}

/* Each path is one body, instantiated twice: for messages in registers
 * (the entry from the vector) and, entered from that, for longer ones, so
 * the words in the IPC buffers cost the register case nothing. */
#define SYSNO L4_SYS_CALL
static ALWAYS_INLINE NORETURN void fast_call(word_t cptr, word_t info, tcb_t *t, bool longmsg)
{
    /* t is running: THREAD_RUNNABLE and in no ready queue (sched.h). */
    cte_t *slot = fast_lookup(t, cptr);
    if (unlikely(!slot || slot->cap.type != L4_OBJ_ENDPOINT ||
                 !(slot->cap.rights & L4_RIGHT_WRITE)))
        c_handle_syscall(cptr, info, t, SYSNO);
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    tcb_t *r = ep->head;
    if (unlikely(ep->state != EP_RECEIVING || r->priority != t->priority))
        c_handle_syscall(cptr, info, t, SYSNO);
    cte_t *reply = &r->slots[TCB_SLOT_CALLER];
    if (unlikely(!cap_is_null(&reply->cap) || !fast_buffers_ok(longmsg, t, r) ||
                 fast_virq_pending(r)))
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

    /* Message and receive results. */
    r->ctx.r[0] = L4_ERR_OK;
    r->ctx.r[1] = info;
    fast_copy_message(r, t, info, longmsg);
    r->ctx.r[6] = slot->cap.data;

    /* One-shot reply cap in the receiver's caller slot (a CDT root). */
    fast_install_reply(reply, t, THREAD_BLOCKED_REPLY);
    r->state = THREAD_RUNNABLE;
    fast_switch(t, r);
}

/* --- frame map ------------------------------------------------------------------ */
/* A call of L4_FRAME_MAP on a frame cap with the page directory as its one
 * cap argument, both resolved in one level (so never in virtual user
 * mode: CAP_GUEST_USER), in the case frame_map_small_fast() takes: the
 * frame mapped, the caller answered as syscall_invoke() answers it (no
 * result words) and continuing through kernel_exit(). Anything else, and
 * every error, is the slow path's (syscall_invoke, decode_frame). */
#define FRAME_MAP_INFO (((word_t)L4_FRAME_MAP << L4_MSG_LABEL_SHIFT) | (1u << L4_MSG_CAPS_SHIFT) | 3u)
static NORETURN __attribute__((noinline)) void fastpath_frame_map(word_t cptr, word_t info, tcb_t *t)
{
    const word_t *buf = t->ipc_buffer_kptr; /* the cap argument's cptr */
    cte_t *slot = fast_lookup(t, cptr);
    if (unlikely(!buf || !slot || buf[L4_IPCBUF_CAPS] == L4_CAP_NULL))
        c_handle_syscall(cptr, info, t, SYSNO);
    cte_t *pd = fast_lookup(t, buf[L4_IPCBUF_CAPS]);
    if (unlikely(!pd || !frame_map_small_fast(slot, &pd->cap, t->ctx.r[2], t->ctx.r[3], t->ctx.r[4])))
        c_handle_syscall(cptr, info, t, SYSNO);
    trace_syscall_fast(t, SYSNO, cptr, info); /* (no other record: after the map) */
    t->ctx.r[0] = L4_ERR_OK;
    t->ctx.r[1] = L4_MSG_FROM_KERNEL; /* no result words */
    kernel_exit();
}

NORETURN __attribute__((noinline)) void fastpath_call_long(word_t cptr, word_t info, tcb_t *t)
{
    if (unlikely(!fast_info_ok(info, L4_MSG_MAX_WORDS))) {
        if (!CONFIG_SLOWPATH && info == FRAME_MAP_INFO)
            fastpath_frame_map(cptr, info, t);
        c_handle_syscall(cptr, info, t, SYSNO);
    }
    fast_call(cptr, info, t, true);
}

NORETURN void fastpath_call(word_t cptr, word_t info, tcb_t *t)
{
    if (unlikely(!fast_info_ok(info, L4_MSG_REG_WORDS)))
        fastpath_call_long(cptr, info, t);
    fast_call(cptr, info, t, false);
}

#undef SYSNO
#define SYSNO L4_SYS_REPLY_RECV
/* The receive half of a reply-receive of t on cptr, both halves checked
 * (the slow path's syscall_recv and ipc_recv: the cap, its rights, no
 * sender waiting, no bound signal pending). */
static ALWAYS_INLINE endpoint_t *fast_recv_endpoint(const tcb_t *t, word_t cptr)
{
    cte_t *slot = fast_lookup(t, cptr);
    if (unlikely(!slot || slot->cap.type != L4_OBJ_ENDPOINT || !(slot->cap.rights & L4_RIGHT_READ)))
        return NULL;
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    if (unlikely(ep->state == EP_SENDING || (t->bound_ntfn && t->bound_ntfn->word)))
        return NULL;
    return ep;
}

/* Reply-receive whose reply goes to a faulted thread c (a pager's
 * l4_fault_reply_recv): label L4_FAULT_REPLY_RESTART restarts c, and no
 * message word is transferred (core/ipc.c, ipc_reply), so the buffers do
 * not matter; L4_FAULT_REPLY_REGS installs the reply's registers first.
 * The slow path makes c runnable, blocks t and hands c the CPU unless a
 * queued thread outranks c (sched_hand_over: ahead of the queued threads
 * of its priority); this takes the case in which nothing of c's priority
 * or above is queued, and falls back otherwise, and for any other label (c
 * stays stopped), a vCPU thread with a virtual interrupt to take first
 * (as fast_reply_recv), or a receive the fastpath does not take. */
/* The records of a fast reply-receive, the slow path's (core/syscall.c). */
static ALWAYS_INLINE void fast_trace_reply_recv(tcb_t *t, tcb_t *c, endpoint_t *ep, word_t cptr,
                                                word_t info)
{
    trace_syscall_fast(t, SYSNO, cptr, info);
    trace_ipc_reply(t, c, info);
    trace_ipc_recv(t, ep, 0, 0, 0);
}

/* The end of a fast reply-receive once c's side is committed: the reply
 * cap is used up, the server waits on ep, c runs. */
static ALWAYS_INLINE NORETURN void fast_reply_recv_finish(tcb_t *t, tcb_t *c, cte_t *reply,
                                                          endpoint_t *ep)
{
    reply->cap.type = L4_OBJ_NULL;
    fast_block_recv(t, ep); /* at the tail of the endpoint's queue */
    c->state = THREAD_RUNNABLE;
    fast_switch(t, c);
}

/* A reply of t with info restarts its faulted caller (ipc_reply):
 * FAULT_REPLY_RESTART, or a FAULT_REPLY_REGS carrying the registers. */
static ALWAYS_INLINE bool fast_fault_reply_restarts(const tcb_t *t, word_t info)
{
    word_t label = info >> L4_MSG_LABEL_SHIFT;
    return label == L4_FAULT_REPLY_RESTART ||
           (label == L4_FAULT_REPLY_REGS && ipc_fault_reply_regs_ok(t, info));
}

static NORETURN __attribute__((noinline)) void fast_reply_fault(word_t cptr, word_t info, tcb_t *t,
                                                               cte_t *reply, tcb_t *c)
{
    if (unlikely(c->state != THREAD_BLOCKED_FAULT || c->reply_holder != reply ||
                 !fast_info_ok(info, L4_MSG_MAX_WORDS) ||
                 !fast_fault_reply_restarts(t, info) || fast_virq_pending(c) ||
                 sched_ready_at_least(c->priority)))
        c_handle_syscall(cptr, info, t, SYSNO);
    endpoint_t *ep = fast_recv_endpoint(t, cptr);
    if (unlikely(!ep))
        c_handle_syscall(cptr, info, t, SYSNO);

    fast_trace_reply_recv(t, c, ep, cptr, info);
    /* Commit: the reply restarts c (its registers as it faulted, or the
     * reply's: ipc_reply's installation). */
    if ((info >> L4_MSG_LABEL_SHIFT) == L4_FAULT_REPLY_REGS)
        tcb_fault_regs_install(c, &t->ipc_buffer_kptr[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS]);
    c->reply_holder = NULL;
    c->fault_kind = 0;
    fast_reply_recv_finish(t, c, reply, ep);
}

static ALWAYS_INLINE NORETURN void fast_reply_recv(word_t cptr, word_t info, tcb_t *t,
                                                   bool longmsg)
{
    cte_t *reply = &t->slots[TCB_SLOT_CALLER];
    if (unlikely(reply->cap.type != L4_OBJ_REPLY))
        c_handle_syscall(cptr, info, t, SYSNO);
    tcb_t *c = tcb_of_cap(&reply->cap);
    /* Invariant: a reply cap to c exists only while c waits for it, and
     * c->reply_holder is its slot; faulted callers wait in
     * THREAD_BLOCKED_FAULT (fast_reply_fault). */
    if (unlikely(c->state != THREAD_BLOCKED_REPLY))
        fast_reply_fault(cptr, info, t, reply, c);
    if (unlikely(c->priority != t->priority || !fast_buffers_ok(longmsg, t, c) ||
                 fast_virq_pending(c)))
        c_handle_syscall(cptr, info, t, SYSNO);
    endpoint_t *ep = fast_recv_endpoint(t, cptr);
    if (unlikely(!ep))
        c_handle_syscall(cptr, info, t, SYSNO);

    fast_trace_reply_recv(t, c, ep, cptr, info);
    /* Commit: the reply (c->reply_holder goes stale: unused until c calls again). */
    c->ctx.r[0] = L4_ERR_OK;
    c->ctx.r[1] = info;
    fast_copy_message(c, t, info, longmsg);
    c->ctx.r[6] = 0;
    fast_reply_recv_finish(t, c, reply, ep);
}

NORETURN __attribute__((noinline)) void fastpath_reply_recv_long(word_t cptr, word_t info, tcb_t *t)
{
    if (unlikely(!fast_info_ok(info, L4_MSG_MAX_WORDS)))
        c_handle_syscall(cptr, info, t, SYSNO);
    fast_reply_recv(cptr, info, t, true);
}

NORETURN void fastpath_reply_recv(word_t cptr, word_t info, tcb_t *t)
{
    if (unlikely(!fast_info_ok(info, L4_MSG_REG_WORDS)))
        fastpath_reply_recv_long(cptr, info, t);
    fast_reply_recv(cptr, info, t, false);
}

/* --- fault delivery to a waiting handler ------------------------------------------ */
/* t took a fault (page fault or undefined instruction; core/fault.c has
 * recorded it in t->fault_kind and t->fault_msg, and a vCPU thread's fault
 * in virtual user mode became its upcall there: one in virtual kernel mode
 * blocks here as fast_call's caller may). If its fault endpoint resolves in one level to
 * an endpoint cap with write right and a handler that outranks t waits on
 * it with an empty caller slot and no vCPU, the fault message goes to the
 * handler, t waits for the reply in THREAD_BLOCKED_FAULT and the handler
 * runs, as fault_deliver() -> ipc_send() and kernel_exit() do (the woken
 * handler outranks every queued thread: t ran). Otherwise this returns
 * having changed nothing, and the caller takes the slow path. */
#undef SYSNO
void fastpath_fault(tcb_t *t)
{
    if (CONFIG_SLOWPATH || unlikely(t->fault_ep == 0))
        return;
    cte_t *slot = fast_lookup(t, t->fault_ep);
    if (unlikely(!slot || slot->cap.type != L4_OBJ_ENDPOINT || !(slot->cap.rights & L4_RIGHT_WRITE)))
        return;
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    tcb_t *r = ep->head;
    if (unlikely(ep->state != EP_RECEIVING || r->priority <= t->priority || r->vcpu != NULL))
        return;
    cte_t *reply = &r->slots[TCB_SLOT_CALLER];
    if (unlikely(!cap_is_null(&reply->cap) || (t->fault_regs && !r->ipc_buffer_kptr)))
        return;

    trace_fault(t, t->fault_kind, t->fault_msg[0], t->fault_msg[1], t->fault_msg[2], true);
    trace_ipc_send(t, ep, slot->cap.data, t->ctx.r[1], r);
    /* Commit: the handler leaves the queue with the fault message. */
    if (!fast_dequeue_head(&ep->head, &ep->tail, r))
        ep->state = EP_IDLE;
    r->ctx.r[0] = L4_ERR_OK;
    word_t len = L4_MSG_REG_WORDS;
    if (t->fault_regs) { /* transfer_message's registers (tcb_set_fault_regs) */
        tcb_fault_regs_save(t, &r->ipc_buffer_kptr[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS]);
        len = L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS;
    }
    r->ctx.r[1] = ((word_t)t->fault_kind << L4_MSG_LABEL_SHIFT) | L4_MSG_FROM_KERNEL | len;
    *(mr4_t *)&r->ctx.r[2] = *(const mr4_t *)t->fault_msg;
    r->ctx.r[6] = slot->cap.data;
    r->state = THREAD_RUNNABLE;
    fast_install_reply(reply, t, THREAD_BLOCKED_FAULT);
    t->blocked_on = NULL;
    fast_switch(t, r);
}

/* --- send and signal to a waiting thread of higher priority --------------------- */
/* A blocking send on an endpoint to a waiting receiver, or a signal of a
 * notification with a waiter, where the woken thread outranks the sender:
 * the slow path would wake it, put the sender back at the head of its
 * ready queue (it is preempted) and switch (kernel_exit); this does the
 * same in one pass. And a signal nobody waits for and no thread is bound
 * to: the bit is ORed in and the sender continues. Neither side may be a
 * vCPU thread (the slow path's upcall and virtual-interrupt checks). */
#define SYSNO L4_SYS_SEND

/* The running thread t is preempted by next (priority above t's, and so
 * above every queued thread's): t goes back into its ready queue as
 * kernel_exit() would put it, and next runs. */
static ALWAYS_INLINE NORETURN void fast_preempt(tcb_t *t, tcb_t *next)
{
    /* ks_rotate is clear at every entry from user mode (every exit clears
     * it) and no fast path sets it, so t is preempted, not rotated: it
     * goes to the head of its queue. */
    assert_debug(!ks_rotate);
    sched_enqueue_head(t);
    ks_resched = false; /* next outranks everything queued */
    fast_switch(t, next);
}

static ALWAYS_INLINE NORETURN void fast_signal(word_t cptr, word_t info, tcb_t *t, cte_t *slot)
{
    notification_t *n = (notification_t *)slot->cap.obj;
    word_t badge = slot->cap.data ? slot->cap.data : 1u;
    tcb_t *w = n->head;
    if (w) {
        if (unlikely(w->priority <= t->priority || w->vcpu))
            c_handle_syscall(cptr, info, t, SYSNO);
        trace_syscall(t, SYSNO, cptr, info);
        trace_signal(t, n, badge, w, 0);
        fast_dequeue_head(&n->head, &n->tail, w);
        w->ctx.r[0] = L4_ERR_OK;
        w->ctx.r[6] = badge | n->word;
        n->word = 0;
        w->state = THREAD_RUNNABLE;
        t->ctx.r[0] = L4_ERR_OK;
        fast_preempt(t, w);
    }
    if (unlikely(n->bound != NULL))
        c_handle_syscall(cptr, info, t, SYSNO);
    trace_syscall(t, SYSNO, cptr, info);
    trace_signal(t, n, badge, 0, 0);
    n->word |= badge;
    t->ctx.r[0] = L4_ERR_OK;
    kernel_exit(); /* t continues unless a decision is pending (its fast return) */
}

NORETURN void fastpath_send(word_t cptr, word_t info, tcb_t *t)
{
    cte_t *slot = fast_lookup(t, cptr);
    if (unlikely(!slot || !(slot->cap.rights & L4_RIGHT_WRITE) || t->vcpu))
        c_handle_syscall(cptr, info, t, SYSNO);
    if (slot->cap.type == L4_OBJ_NOTIFICATION)
        fast_signal(cptr, info, t, slot);
    if (unlikely(slot->cap.type != L4_OBJ_ENDPOINT || !fast_info_ok(info, L4_MSG_REG_WORDS)))
        c_handle_syscall(cptr, info, t, SYSNO);
    endpoint_t *ep = (endpoint_t *)slot->cap.obj;
    tcb_t *r = ep->head;
    if (unlikely(ep->state != EP_RECEIVING || r->priority <= t->priority || r->vcpu))
        c_handle_syscall(cptr, info, t, SYSNO);

    trace_syscall(t, SYSNO, cptr, info);
    trace_ipc_send(t, ep, slot->cap.data, info, r);
    if (!fast_dequeue_head(&ep->head, &ep->tail, r))
        ep->state = EP_IDLE;
    r->ctx.r[0] = L4_ERR_OK;
    r->ctx.r[1] = info;
    fast_copy_message(r, t, info, false);
    r->ctx.r[6] = slot->cap.data;
    r->state = THREAD_RUNNABLE;
    t->ctx.r[0] = L4_ERR_OK;
    fast_preempt(t, r);
}

/* --- yield ------------------------------------------------------------------------ */
/* The running thread t gives way to the next thread of its priority (none
 * above it is queued: it runs), which runs at once; with none, t continues
 * with a fresh quantum. The slow path (sched_yield, then kernel_exit)
 * does the same through ks_rotate. A vCPU on either side takes it (the
 * slow path's upcall and virtual-interrupt checks). */
#undef SYSNO
#define SYSNO L4_SYS_YIELD
NORETURN void fastpath_yield(word_t cptr, word_t info, tcb_t *t)
{
    tcb_t *next = sched_queue_head(t->priority);
    if (unlikely(t->vcpu || (next && next->vcpu)))
        c_handle_syscall(cptr, info, t, SYSNO);
    trace_syscall(t, SYSNO, cptr, info);
    t->time_slice = TIME_SLICE_TICKS;
    if (!next) {
        ks_rotate = false; /* (a tick may have asked for the rotation this does) */
        kernel_exit();
    }
    sched_rotate(t);
    ks_rotate = false;
    ks_resched = false; /* next has the highest priority queued */
    fast_switch(t, next);
}

/* The interrupt path's short-cut (core/irq.c): a line's signal woke `next`,
 * which outranks the interrupted thread t; the same hand-over as a
 * signal's above. */
NORETURN void fastpath_preempt(tcb_t *t, tcb_t *next)
{
    fast_preempt(t, next);
}
