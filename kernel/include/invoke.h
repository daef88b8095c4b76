/* SPDX-License-Identifier: BSD-2-Clause */
/* Invocations: CALL on a capability to a kernel object. Each object file
 * (kernel/object/<type>.c) has a decode_<type>() that validates every
 * argument and changes nothing, then calls its invoke half, which cannot
 * fail. The result is the error code; result words go in inv->out. */
#pragma once
#include <cap.h>
#include <object/tcb.h>

#define INV_MAX_OUT L4_MSG_MAX_WORDS

typedef struct invocation {
    tcb_t *caller;
    cte_t *slot; /* the invoked capability */
    word_t label, length, ncaps;
    cte_t *caps[L4_MSG_MAX_CAPS]; /* resolved cap arguments, in order */
    word_t out[INV_MAX_OUT];
    word_t nout;
    bool restart;  /* preempted: re-execute the system call */
    bool no_reply; /* the caller's registers were replaced (vcpu_resume) */
} invocation_t;

/* Message word i of the caller (registers or IPC buffer); 0 for a word the
 * message does not carry (i >= length, or no IPC buffer). Decoders check
 * the length themselves (TRUNCATED_MESSAGE) before they read arguments. */
word_t inv_arg(const invocation_t *inv, unsigned i);

/* Decode and perform the invocation; returns L4_ERR_*. */
word_t invoke_object(invocation_t *inv);

word_t decode_untyped(invocation_t *inv);
word_t decode_cnode(invocation_t *inv);
word_t decode_tcb(invocation_t *inv);
word_t decode_page_table(invocation_t *inv);
word_t decode_frame(invocation_t *inv);
word_t decode_irq_control(invocation_t *inv);
word_t decode_irq_handler(invocation_t *inv);
word_t decode_vcpu(invocation_t *inv);
word_t decode_machine(invocation_t *inv);

/* The error for a cap argument of the wrong type: an empty one (L4_CAP_NULL
 * where a capability is required) did not resolve to anything. */
static inline word_t inv_wrong_cap(const cap_t *c)
{
    return cap_is_null(c) ? L4_ERR_FAILED_LOOKUP : L4_ERR_INVALID_CAPABILITY;
}

/* The CSpace root of a thread. */
static inline const cap_t *tcb_cspace(const tcb_t *t)
{
    return &t->slots[TCB_SLOT_CSPACE].cap;
}

/* A pending interrupt asks a long operation to stop and restart later. */
bool preemption_point(void);
