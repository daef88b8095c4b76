/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoint IPC (the slow path; core/fastpath.c short-cuts the common call
 * and reply-receive). A blocked sender's message stays in its saved
 * registers and IPC buffer until a receiver arrives. */
#include <arch.h>
#include <assert.h>
#include <invoke.h>
#include <ipc.h>
#include <ipc_queue.h>
#include <object/lifecycle.h>
#include <printk.h>
#include <sched.h>
#include <trace.h>

#define INFO_LENGTH_MASK MASK(L4_MSG_LENGTH_BITS)

void thread_block(tcb_t *t, uint8_t state, void *on)
{
    if (t != ks_cur) /* the running thread is in no queue (sched.h) */
        sched_dequeue(t);
    t->state = state;
    t->blocked_on = on;
}

void thread_wake(tcb_t *t)
{
    t->blocked_on = NULL;
    t->state = THREAD_RUNNABLE;
    sched_wake(t);
}

/* The system call of t restarts when it next runs: step back over the svc. */
static void thread_restart_syscall(tcb_t *t)
{
    t->ctx.pc -= (t->ctx.cpsr & BIT(5)) ? 2 : 4;
}

/* --- message transfer -------------------------------------------------------- */
/* Transfer up to L4_MSG_MAX_CAPS caps from sender to receiver; returns the
 * number placed. The sender's caps were validated when it sent (a lookup
 * failure is reported to it before anything is transferred). */
static word_t transfer_caps(tcb_t *s, tcb_t *r, word_t ncaps)
{
    if (!ncaps || !s->ipc_buffer_kptr || !r->ipc_buffer_kptr)
        return 0;
    const word_t *rb = r->ipc_buffer_kptr;
    const cap_t *rroot_cap;
    cte_t *rroot = cspace_lookup_cap(tcb_cspace(r), rb[L4_IPCBUF_RECV_ROOT]);
    if (!rroot || rroot->cap.type != L4_OBJ_CNODE)
        return 0;
    rroot_cap = &rroot->cap;
    word_t placed = 0;
    for (word_t i = 0; i < ncaps; i++) {
        cte_t *src = cspace_lookup_cap(tcb_cspace(s), s->ipc_buffer_kptr[L4_IPCBUF_CAPS + i]);
        cte_t *dst;
        if (!src || cap_is_null(&src->cap) || src->cap.type == L4_OBJ_UNTYPED ||
            src->cap.type == L4_OBJ_REPLY || src->cap.type == L4_OBJ_IRQ_CONTROL ||
            src->cap.type == L4_OBJ_PAGE_TABLE || (src->cap.rights & CAP_ZOMBIE))
            break;
        if (cspace_lookup_slot(rroot_cap, rb[L4_IPCBUF_RECV_INDEX] + i, rb[L4_IPCBUF_RECV_DEPTH],
                               &dst) != L4_ERR_OK ||
            !cap_is_null(&dst->cap))
            break;
        cap_t c = cap_derive(&src->cap);
        cap_insert_copy(src, dst, &c);
        /* The badge, for the types that have one; any other type's `data`
         * is the kernel's own (a page directory's ASID, a CNode's guard). */
        bool badged = c.type == L4_OBJ_ENDPOINT || c.type == L4_OBJ_NOTIFICATION;
        r->ipc_buffer_kptr[L4_IPCBUF_CAPS + i] = badged ? c.data : 0;
        placed++;
    }
    return placed;
}

/* Copy the message of s (its registers and buffer, or its fault) to r and
 * set r's receive results. */
static void transfer_message(tcb_t *s, tcb_t *r, word_t badge, bool grant)
{
    word_t info, len;
    if (s->fault_kind) {
        len = L4_MSG_REG_WORDS;
        /* With its registers (tcb_set_fault_regs), if r has a buffer for them. */
        if (s->fault_regs && r->ipc_buffer_kptr) {
            tcb_fault_regs_save(s, &r->ipc_buffer_kptr[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS]);
            len = L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS;
        }
        info = ((word_t)s->fault_kind << L4_MSG_LABEL_SHIFT) | L4_MSG_FROM_KERNEL | len;
        for (unsigned i = 0; i < 4; i++)
            r->ctx.r[2 + i] = s->fault_msg[i];
    } else {
        info = s->ctx.r[1];
        len = info & INFO_LENGTH_MASK;
        /* Checked when it was sent, but a blocked sender's registers can be
         * rewritten since (tcb_write_registers): clamp, never trust. */
        if (len > L4_MSG_MAX_WORDS)
            len = L4_MSG_MAX_WORDS;
        for (unsigned i = 0; i < L4_MSG_REG_WORDS; i++)
            r->ctx.r[2 + i] = s->ctx.r[2 + i];
        if (len > L4_MSG_REG_WORDS) {
            /* The rest as one block between the buffers; truncated without
             * the receiver's, zeros without the sender's. */
            word_t *to = r->ipc_buffer_kptr;
            if (!to)
                len = L4_MSG_REG_WORDS;
            else if (s->ipc_buffer_kptr)
                arch_copy_words(&to[L4_IPCBUF_MSG + L4_MSG_REG_WORDS],
                                &s->ipc_buffer_kptr[L4_IPCBUF_MSG + L4_MSG_REG_WORDS],
                                len - L4_MSG_REG_WORDS);
            else
                for (unsigned i = L4_MSG_REG_WORDS; i < len; i++)
                    to[L4_IPCBUF_MSG + i] = 0;
        }
        word_t ncaps = grant ? (info >> L4_MSG_CAPS_SHIFT) & 3u : 0;
        ncaps = transfer_caps(s, r, ncaps);
        /* The kernel-only bits were refused at the send, but may have been
         * written into a blocked sender's r1 since: a sender never sets them. */
        info = (info & ~(INFO_LENGTH_MASK | (3u << L4_MSG_CAPS_SHIFT) | L4_MSG_KERNEL_BITS)) |
               len | (ncaps << L4_MSG_CAPS_SHIFT);
    }
    r->ctx.r[0] = L4_ERR_OK;
    r->ctx.r[1] = info;
    r->ctx.r[6] = badge;
}

/* r receives a call from s: r gets the reply cap, s waits for it. */
static void setup_reply(tcb_t *s, tcb_t *r)
{
    cte_t *slot = &r->slots[TCB_SLOT_CALLER];
    if (!cap_is_null(&slot->cap))
        cap_delete(slot); /* an unused older reply right lapses: its caller gets REPLY_LOST */
    cap_t c = {.type = L4_OBJ_REPLY, .rights = L4_RIGHT_WRITE, .obj = (uintptr_t)s};
    cdt_insert_child(NULL, slot, &c);
    thread_block(s, s->fault_kind ? THREAD_BLOCKED_FAULT : THREAD_BLOCKED_REPLY, NULL);
    s->reply_holder = slot;
}

/* Deliver s's message to the waiting receiver r. */
static void ipc_deliver(tcb_t *s, tcb_t *r, word_t badge, bool grant, bool call)
{
    transfer_message(s, r, badge, grant);
    if (r->state != THREAD_RUNNABLE) /* the receiver may be the caller itself */
        thread_wake(r);
    if (call || s->fault_kind) {
        setup_reply(s, r);
        if (s == ks_cur && r != s)
            sched_hand_over(r); /* the caller blocked: its receiver runs in its place */
    } else if (s->state != THREAD_RUNNABLE) {
        s->ctx.r[0] = L4_ERR_OK;
        thread_wake(s);
    } else {
        s->ctx.r[0] = L4_ERR_OK;
    }
}

/* Validate the caps a sender lists before it sends or blocks. */
static word_t check_send_caps(tcb_t *t, word_t info)
{
    word_t ncaps = (info >> L4_MSG_CAPS_SHIFT) & 3u;
    if (ipc_info_invalid(info))
        return L4_ERR_INVALID_ARGUMENT;
    for (word_t i = 0; i < ncaps; i++) {
        if (!t->ipc_buffer_kptr)
            return L4_ERR_FAILED_LOOKUP;
        cte_t *c = cspace_lookup_cap(tcb_cspace(t), t->ipc_buffer_kptr[L4_IPCBUF_CAPS + i]);
        if (!c || cap_is_null(&c->cap))
            return L4_ERR_FAILED_LOOKUP;
    }
    return L4_ERR_OK;
}

void ipc_send(tcb_t *t, const cap_t *cap, bool blocking, bool call)
{
    endpoint_t *ep = (endpoint_t *)cap->obj;
    word_t err = t->fault_kind ? L4_ERR_OK : check_send_caps(t, t->ctx.r[1]);
    if (err != L4_ERR_OK) {
        ipc_set_result(t, err);
        return;
    }
    bool grant = (cap->rights & L4_RIGHT_GRANT) != 0;
    if (ep->state == EP_RECEIVING) {
        tcb_t *r = ep->head;
        queue_remove(ep_queue(ep), r);
        if (!ep->head)
            ep->state = EP_IDLE;
        trace_ipc_send(t, ep, cap->data, t->ctx.r[1], r);
        ipc_deliver(t, r, cap->data, grant, call);
        return;
    }
    if (!blocking) {
        ipc_set_result(t, L4_ERR_WOULD_BLOCK);
        return;
    }
    trace_ipc_send(t, ep, cap->data, t->ctx.r[1], 0);
    thread_block(t, THREAD_BLOCKED_SEND, ep);
    t->ipc_badge = cap->data;
    t->ipc_grant = grant;
    t->ipc_call = call;
    queue_append(ep_queue(ep), t);
    ep->state = EP_SENDING;
}

/* A signal pending on t's bound notification is received instead. */
static bool recv_bound_signal(tcb_t *t, const endpoint_t *ep)
{
    notification_t *n = t->bound_ntfn;
    if (!n || !n->word)
        return false;
    t->ctx.r[0] = L4_ERR_OK;
    t->ctx.r[1] = ((word_t)L4_LABEL_NOTIFICATION << L4_MSG_LABEL_SHIFT) | L4_MSG_FROM_KERNEL;
    t->ctx.r[6] = n->word;
    n->word = 0;
    trace_recv_signal(t, ep, t->ctx.r[6], t->ctx.r[1]);
    return true;
}

void ipc_recv(tcb_t *t, const cap_t *cap, bool blocking)
{
    endpoint_t *ep = (endpoint_t *)cap->obj;
    if (recv_bound_signal(t, ep))
        return;
    if (ep->state == EP_SENDING) {
        tcb_t *s = ep->head;
        queue_remove(ep_queue(ep), s);
        if (!ep->head)
            ep->state = EP_IDLE;
        trace_ipc_recv(t, ep, s->ipc_badge, s->ctx.r[1], s);
        ipc_deliver(s, t, s->ipc_badge, s->ipc_grant, s->ipc_call);
        return;
    }
    if (!blocking) {
        ipc_set_result(t, L4_ERR_WOULD_BLOCK);
        return;
    }
    trace_ipc_recv(t, ep, 0, 0, 0);
    thread_block(t, THREAD_BLOCKED_RECV, ep);
    queue_append(ep_queue(ep), t);
    ep->state = EP_RECEIVING;
}

bool ipc_reply(tcb_t *t, cte_t *slot, tcb_t **woken)
{
    *woken = NULL;
    if (slot->cap.type != L4_OBJ_REPLY)
        return false;
    tcb_t *caller = tcb_of_cap(&slot->cap);
    bool live = (caller->state == THREAD_BLOCKED_REPLY || caller->state == THREAD_BLOCKED_FAULT) &&
                caller->reply_holder == slot;
    if (live) {
        trace_ipc_reply(t, caller, t->ctx.r[1]);
        caller->reply_holder = NULL;
        if (caller->fault_kind) {
            /* Reply to a fault: label 0 restarts the thread, a complete
             * FAULT_REPLY_REGS installs its registers and restarts it, any
             * other (a short FAULT_REPLY_REGS too) leaves it stopped. */
            word_t label = t->ctx.r[1] >> L4_MSG_LABEL_SHIFT;
            caller->fault_kind = 0;
            caller->state = THREAD_INACTIVE;
            if (label == L4_FAULT_REPLY_REGS && ipc_fault_reply_regs_ok(t, t->ctx.r[1])) {
                tcb_fault_regs_install(caller, &t->ipc_buffer_kptr[L4_IPCBUF_MSG + L4_FAULT_MSG_REGS]);
                label = L4_FAULT_REPLY_RESTART;
            }
            if (label == L4_FAULT_REPLY_RESTART) {
                thread_wake(caller);
                *woken = caller;
            }
        } else {
            transfer_message(t, caller, 0, (slot->cap.rights & L4_RIGHT_GRANT) != 0);
            thread_wake(caller);
            *woken = caller;
        }
    }
    cdt_remove(slot); /* one-shot */
    return live;
}

void ipc_cancel(tcb_t *t)
{
    switch (t->state) {
    case THREAD_BLOCKED_SEND:
    case THREAD_BLOCKED_RECV: {
        endpoint_t *ep = t->blocked_on;
        queue_remove(ep_queue(ep), t);
        if (!ep->head)
            ep->state = EP_IDLE;
        break;
    }
    case THREAD_BLOCKED_NTFN:
        queue_remove(ntfn_queue(t->blocked_on), t);
        break;
    case THREAD_BLOCKED_REPLY:
    case THREAD_BLOCKED_FAULT:
        if (t->reply_holder)
            cdt_remove(t->reply_holder);
        t->reply_holder = NULL;
        break;
    default:
        return;
    }
    t->blocked_on = NULL;
    t->state = THREAD_INACTIVE;
    if (!t->fault_kind)
        thread_restart_syscall(t);
}

/* A reply capability is destroyed unused: deleted, its holder (a server's
 * TCB or a CNode) destroyed, or displaced by a newer call into the same
 * caller slot. Nobody can reply any more, so the caller must not wait: a
 * call returns L4_ERR_REPLY_LOST (a kernel error, never a server's reply);
 * a faulted thread runs its faulting instruction again, so the fault is
 * taken afresh (delivered to its fault endpoint if that still resolves,
 * otherwise reported and the thread stopped). O(1). */
void reply_cap_release(cte_t *slot)
{
    tcb_t *caller = tcb_of_cap(&slot->cap);
    if (caller->reply_holder != slot)
        return;
    caller->reply_holder = NULL;
    if (caller->state == THREAD_BLOCKED_REPLY) {
        caller->ctx.r[0] = L4_ERR_REPLY_LOST;
        caller->ctx.r[1] = L4_MSG_FROM_KERNEL;
        thread_wake(caller);
    } else if (caller->state == THREAD_BLOCKED_FAULT) {
        caller->fault_kind = 0;
        thread_wake(caller);
    }
}

/* --- faults --------------------------------------------------------------------- */
static const char *const fault_names[] = {
    "?",
    "unknown system call",
    "undefined instruction",
    "page fault",
};

void fault_deliver(tcb_t *t)
{
    cte_t *ep = t->fault_ep ? cspace_lookup_cap(tcb_cspace(t), t->fault_ep) : NULL;
    bool handled = ep && ep->cap.type == L4_OBJ_ENDPOINT && (ep->cap.rights & L4_RIGHT_WRITE);
    trace_fault(t, t->fault_kind, t->fault_msg[0], t->fault_msg[1], t->fault_msg[2], handled);
    if (handled) {
        ipc_send(t, &ep->cap, true, true);
        return;
    }
    printk("[kernel] thread '%s' stopped: %s at pc 0x%08x (addr 0x%08x, status 0x%x)\n", t->name,
           fault_names[t->fault_kind < ARRAY_SIZE(fault_names) ? t->fault_kind : 0],
           t->fault_msg[0], t->fault_msg[1], t->fault_msg[2]);
    sched_dequeue(t);
    t->state = THREAD_INACTIVE;
    t->fault_kind = 0;
}
