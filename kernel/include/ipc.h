/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC: endpoints, notifications, reply caps, fault messages. */
#pragma once
#include <object/objects.h>

/* System call halves, acting on ks_cur. `cap` is the resolved capability. */
void ipc_send(tcb_t *t, const cap_t *ep, bool blocking, bool call);
void ipc_recv(tcb_t *t, const cap_t *ep, bool blocking);
/* Use the reply cap in `slot` (the caller slot or a saved one) with the
 * message in t's registers. Returns false if the slot holds no live reply. */
bool ipc_reply(tcb_t *t, cte_t *slot, tcb_t **woken); /* *woken: the caller made RUNNABLE, or NULL */

void notification_signal(notification_t *n, word_t badge);
void notification_wait(tcb_t *t, const cap_t *ntfn, bool blocking);

/* Block t (state, object waited on) / make it runnable again. */
void thread_block(tcb_t *t, uint8_t state, void *on);
void thread_wake(tcb_t *t);

/* Take a blocked thread out of whatever it waits on; its system call will
 * be restarted when it runs again. */
void ipc_cancel(tcb_t *t);

/* Deliver the fault recorded in t->fault_kind/fault_msg to t's handler, or
 * report it and stop the thread if it has none. */
void fault_deliver(tcb_t *t);

/* The info word of a message a thread sends (send, call, reply,
 * reply_recv, invocations) is refused with INVALID_ARGUMENT before anything
 * moves if it is longer than L4_MSG_MAX_WORDS or sets any of the bits only
 * the kernel sets (L4_MSG_KERNEL_BITS: L4_MSG_FROM_KERNEL marks the messages
 * the kernel originates, so no sender can forge one). The fastpath's
 * fast_info_ok() covers the same bits. */
static inline bool ipc_info_invalid(word_t info)
{
    return (info & MASK(L4_MSG_LENGTH_BITS)) > L4_MSG_MAX_WORDS || (info & L4_MSG_KERNEL_BITS);
}

/* A FAULT_REPLY_REGS reply of t with info carries the registers: long
 * enough, and t has the IPC buffer its words past MR3 are in. Else it
 * installs nothing and the faulted thread stays stopped (docs/api.md 7). */
static inline bool ipc_fault_reply_regs_ok(const tcb_t *t, word_t info)
{
    return (info & MASK(L4_MSG_LENGTH_BITS)) >= L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS &&
           t->ipc_buffer_kptr != NULL;
}

/* Set t's result register r0 (the error code). */
static inline void ipc_set_result(tcb_t *t, word_t err)
{
    t->ctx.r[0] = err;
}

/* System call entry (vectors.S branches to the fastpath for yield, send, call
 * and reply-receive, which falls back to c_handle_syscall). */
NORETURN void c_handle_syscall(word_t cptr, word_t info, tcb_t *t, word_t sysno);
NORETURN void fastpath_call(word_t cptr, word_t info, tcb_t *t);
NORETURN void fastpath_reply_recv(word_t cptr, word_t info, tcb_t *t);
/* ... for info beyond the register form (more words, capabilities or
 * kernel-only bits): the assembly fastpath's way in for those. */
NORETURN void fastpath_call_long(word_t cptr, word_t info, tcb_t *t);
NORETURN void fastpath_reply_recv_long(word_t cptr, word_t info, tcb_t *t);
NORETURN void fastpath_send(word_t cptr, word_t info, tcb_t *t);
NORETURN void fastpath_yield(word_t cptr, word_t info, tcb_t *t);
/* A recorded fault of t to a waiting handler (core/fastpath.c); returns,
 * having changed nothing, if the slow path (fault_deliver) must take it. */
void fastpath_fault(tcb_t *t);
/* The running thread t (RUNNABLE, not a vCPU) is preempted by next, just
 * woken (RUNNABLE, in no queue, priority above t's): t back into its ready
 * queue as kernel_exit() would put it, next runs (core/fastpath.c). */
NORETURN void fastpath_preempt(tcb_t *t, tcb_t *next);
