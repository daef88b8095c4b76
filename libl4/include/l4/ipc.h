/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC and notification system calls, message helpers and the generic
 * invocation call used by the generated stubs (l4/invocations.h).
 *
 * A message is a message-info word (label, number of capabilities, length),
 * MR0-MR3 carried in registers, MR4-MR63 in the IPC buffer, and up to three
 * capability addresses in the IPC buffer. See docs/api.md. */
#pragma once
#include <stdint.h>
#include <l4/abi.h>

#ifndef L4_WORD_T_DEFINED
#define L4_WORD_T_DEFINED
typedef uint32_t l4_word_t;
#endif
typedef uint32_t l4_cptr_t; /* capability address in the caller's CSpace */

typedef struct l4_msg {
    l4_word_t info; /* l4_msginfo(label, caps, length) */
    l4_word_t mr[L4_MSG_REG_WORDS];
    l4_word_t badge; /* out: badge of the sender / notification bits */
} l4_msg_t;

static inline l4_word_t l4_msginfo(l4_word_t label, l4_word_t caps, l4_word_t length)
{
    return (label << L4_MSG_LABEL_SHIFT) | (caps << L4_MSG_CAPS_SHIFT) | length;
}
static inline l4_word_t l4_msginfo_label(l4_word_t info)
{
    return info >> L4_MSG_LABEL_SHIFT;
}
static inline l4_word_t l4_msginfo_caps(l4_word_t info)
{
    return (info >> L4_MSG_CAPS_SHIFT) & 3u;
}
static inline l4_word_t l4_msginfo_length(l4_word_t info)
{
    return info & ((1u << L4_MSG_LENGTH_BITS) - 1u);
}
/* True for a message the kernel originated: a bound-notification signal
 * (label L4_LABEL_NOTIFICATION), a fault message, an invocation's result.
 * No sender can set this bit (the kernel refuses it), so test it, not the
 * label alone: any client may send label L4_LABEL_NOTIFICATION. */
static inline int l4_msginfo_from_kernel(l4_word_t info)
{
    return (info & L4_MSG_FROM_KERNEL) != 0;
}
/* True for a bound notification's signal (the bits are in the badge). */
static inline int l4_msginfo_is_signal(l4_word_t info)
{
    return l4_msginfo_from_kernel(info) && l4_msginfo_label(info) == L4_LABEL_NOTIFICATION;
}

/* This thread's IPC buffer (the kernel keeps its address in TPIDRURO). */
static inline l4_word_t *l4_ipc_buffer(void)
{
    l4_word_t *p;
    __asm__("mrc p15, 0, %0, c13, c0, 3" : "=r"(p));
    return p;
}

/* Message words beyond the registers live in the IPC buffer. */
static inline void l4_set_mr(unsigned i, l4_word_t v)
{
    l4_ipc_buffer()[L4_IPCBUF_MSG + i] = v;
}
static inline l4_word_t l4_get_mr(unsigned i)
{
    return l4_ipc_buffer()[L4_IPCBUF_MSG + i];
}

/* Capabilities to send with the next message / badges of received ones. */
static inline void l4_set_cap(unsigned i, l4_cptr_t c)
{
    l4_ipc_buffer()[L4_IPCBUF_CAPS + i] = c;
}
static inline l4_word_t l4_get_cap_badge(unsigned i)
{
    return l4_ipc_buffer()[L4_IPCBUF_CAPS + i];
}

/* Where received capabilities go: slot `index` (resolved to `depth` bits) of
 * the CNode `root`; further capabilities go to index+1, index+2. */
static inline void l4_set_receive_slot(l4_cptr_t root, l4_word_t index, l4_word_t depth)
{
    l4_word_t *b = l4_ipc_buffer();
    b[L4_IPCBUF_RECV_ROOT] = root;
    b[L4_IPCBUF_RECV_INDEX] = index;
    b[L4_IPCBUF_RECV_DEPTH] = depth;
}

/* The raw system call: r7 = sysno, r0 = cptr, r1 = info, r2-r5 = MR0-MR3;
 * returns r0 (error), and updates m with r1 (info), r2-r5 and r6 (badge). */
static inline l4_word_t l4_syscall_ipc(l4_word_t sysno, l4_cptr_t cptr, l4_msg_t *m)
{
    register l4_word_t r0 __asm__("r0") = cptr;
    register l4_word_t r1 __asm__("r1") = m->info;
    register l4_word_t r2 __asm__("r2") = m->mr[0];
    register l4_word_t r3 __asm__("r3") = m->mr[1];
    register l4_word_t r4 __asm__("r4") = m->mr[2];
    register l4_word_t r5 __asm__("r5") = m->mr[3];
    register l4_word_t r6 __asm__("r6") = 0;
    register l4_word_t r7 __asm__("r7") = sysno;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5), "+r"(r6)
                     : "r"(r7)
                     : "memory");
    m->info = r1;
    m->mr[0] = r2;
    m->mr[1] = r3;
    m->mr[2] = r4;
    m->mr[3] = r5;
    m->badge = r6;
    return r0;
}

/* Each returns L4_ERR_OK or an error code (docs/api.md lists which). */
static inline l4_word_t l4_send(l4_cptr_t ep, l4_msg_t *m)
{
    return l4_syscall_ipc(L4_SYS_SEND, ep, m);
}
static inline l4_word_t l4_nbsend(l4_cptr_t ep, l4_msg_t *m)
{
    return l4_syscall_ipc(L4_SYS_NBSEND, ep, m);
}
static inline l4_word_t l4_call(l4_cptr_t ep, l4_msg_t *m)
{
    return l4_syscall_ipc(L4_SYS_CALL, ep, m);
}
static inline l4_word_t l4_recv(l4_cptr_t ep, l4_msg_t *m)
{
    return l4_syscall_ipc(L4_SYS_RECV, ep, m);
}
static inline l4_word_t l4_nbrecv(l4_cptr_t ep, l4_msg_t *m)
{
    return l4_syscall_ipc(L4_SYS_NBRECV, ep, m);
}
static inline l4_word_t l4_reply(l4_msg_t *m)
{
    return l4_syscall_ipc(L4_SYS_REPLY, 0, m);
}
static inline l4_word_t l4_reply_recv(l4_cptr_t ep, l4_msg_t *m)
{
    return l4_syscall_ipc(L4_SYS_REPLY_RECV, ep, m);
}

/* A pager's or fault handler's reply that restarts the faulted thread
 * (label L4_FAULT_REPLY_RESTART, no words) and its wait for the next
 * message on ep, in one system call: *m receives that message. */
static inline l4_word_t l4_fault_reply_recv(l4_cptr_t ep, l4_msg_t *m)
{
    m->info = l4_msginfo(L4_FAULT_REPLY_RESTART, 0, 0);
    return l4_reply_recv(ep, m);
}

/* Notifications: signal ORs the capability's badge into the word; wait
 * blocks until the word is non-zero, returns it in *bits and clears it; poll
 * does not block (L4_ERR_WOULD_BLOCK when the word is zero). */
static inline l4_word_t l4_signal(l4_cptr_t ntfn)
{
    l4_msg_t m = {0};
    return l4_syscall_ipc(L4_SYS_SEND, ntfn, &m);
}
static inline l4_word_t l4_wait(l4_cptr_t ntfn, l4_word_t *bits)
{
    l4_msg_t m = {0};
    l4_word_t e = l4_syscall_ipc(L4_SYS_RECV, ntfn, &m);
    if (bits)
        *bits = m.badge;
    return e;
}
static inline l4_word_t l4_poll(l4_cptr_t ntfn, l4_word_t *bits)
{
    l4_msg_t m = {0};
    l4_word_t e = l4_syscall_ipc(L4_SYS_NBRECV, ntfn, &m);
    if (bits)
        *bits = m.badge;
    return e;
}

/* Invoke a kernel object: label, `n` argument words, `ncaps` capability
 * arguments; copies up to `nout` result words to `out`. Returns the error. */
l4_word_t l4_invoke(l4_cptr_t obj, l4_word_t label, const l4_word_t *mr, l4_word_t n,
                    const l4_cptr_t *caps, l4_word_t ncaps, l4_word_t *out, l4_word_t nout);
