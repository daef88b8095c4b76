/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control block: one object of 2^L4_OBJ_TCB_BITS bytes. The kernel is
 * single-core and runs with interrupts masked, so no field needs a lock;
 * the comments say which module owns each group. */
#pragma once
#include <types.h>
#include <arch/context.h>
#include <cap.h>

#define THREAD_INACTIVE 0      /* not scheduled: new, suspended or faulted */
#define THREAD_RUNNABLE 1      /* running, or in the ready queue of its priority */
#define THREAD_BLOCKED_SEND 2  /* in an endpoint's send queue (blocked_on) */
#define THREAD_BLOCKED_RECV 3  /* in an endpoint's receive queue (blocked_on) */
#define THREAD_BLOCKED_REPLY 4 /* called; waiting for the reply cap to be used */
#define THREAD_BLOCKED_NTFN 5  /* in a notification's wait queue (blocked_on) */
#define THREAD_BLOCKED_FAULT 6 /* sent a fault message; waiting for the reply */

#define NUM_PRIORITIES 256
#define TIME_SLICE_TICKS 5 /* round-robin quantum, in kernel ticks */

/* Slots inside the TCB, holding copies of the caps given to configure and
 * the reply cap of the last call received. */
#define TCB_SLOT_CSPACE 0
#define TCB_SLOT_VSPACE 1
#define TCB_SLOT_IPC_BUFFER 2
#define TCB_SLOT_CALLER 3
#define TCB_SLOT_VCPU_STATE 4  /* vCPU threads: the state page frame */
#define TCB_SLOT_VCPU_USER 5  /* ... the guest-user page directory of the last resume */
#define TCB_SLOTS 6
/* In virtual user mode the cap in TCB_SLOT_CSPACE carries CAP_GUEST_USER
 * (cap.h): it stays in place and resolves nothing (object/vcpu.c). */

struct endpoint;
struct notification;
struct vcpu;
struct tcb;

/* A kernel timer (object/vcpu_timer.c): one of a vCPU's (docs/vcpu.md "The
 * virtual timer"), which raises a virtual line, or a thread's
 * (tcb_set_timer, docs/api.md), which signals the thread's bound
 * notification with a badge. While armed it is a node of the kernel's one
 * timer heap: the links and the deadline are the heap's (vcpu_timer.c owns
 * them). Exactly one of vcpu and thread is set while armed. */
typedef struct vcpu_timer {
    struct vcpu_timer *parent, *left, *right; /* heap links, valid while armed */
    struct vcpu *vcpu;                        /* a vCPU timer: its vCPU, else NULL */
    uint64_t deadline;                        /* counter ticks */
    word_t period;                            /* ticks; 0: one-shot */
    word_t line;   /* vCPU: virtual interrupt line, < L4_VCPU_TIMER_LINES; thread: the badge */
    word_t armed;  /* 1: in the heap */
    word_t index;  /* vCPU: 0 .. L4_VCPU_TIMERS - 1; thread: 0 */
    struct tcb *thread; /* a thread timer: its thread, else NULL */
} vcpu_timer_t;

typedef struct tcb {
    /* Must stay first: while the thread runs in user mode, SP_svc points at
     * the end of ctx and the entry code saves registers into it. */
    arch_context_t ctx;
    arch_tcb_t arch; /* the rest of the user-visible CPU state (TPIDRURW) */

    /* core/sched.c: linked into ready[priority] iff state == RUNNABLE and
     * the thread is not ks_cur (sched.h). */
    struct tcb *sched_next, *sched_prev;
    uint8_t state;
    uint8_t priority;
    uint8_t mcp;         /* maximum controlled priority */
    uint8_t fault_kind;  /* L4_FAULT_* being delivered, 0 if none */
    uint32_t time_slice; /* ticks left in the current quantum */

    /* Address space, cached from slots[TCB_SLOT_VSPACE] for the switch path. */
    paddr_t vspace_pd; /* physical address of the first-level table */
    uint32_t asid;
    vaddr_t ipc_buffer;      /* user address, published in TPIDRURO */
    word_t *ipc_buffer_kptr; /* kernel address of the same, NULL if none */

    /* core/ipc.c: queue links while blocked on an endpoint or notification */
    void *blocked_on;
    struct tcb *ipc_next, *ipc_prev;
    word_t ipc_badge;  /* badge of the cap used for the blocked send */
    uint8_t ipc_grant; /* that cap had GRANT */
    uint8_t ipc_call;  /* the blocked send is a call */
    uint8_t fault_regs; /* tcb_set_fault_regs: fault messages carry the registers */
    uint8_t pad;
    cte_t *reply_holder; /* while BLOCKED_REPLY or _FAULT: the slot of our reply cap */
    struct notification *bound_ntfn;
    word_t fault_ep;     /* cptr of the fault endpoint in our CSpace, 0: none */
    struct vcpu *vcpu;   /* object/vcpu.c: the bound vCPU, or NULL */
    word_t fault_msg[4]; /* MR0..MR3 of the pending fault message */

    cte_t slots[TCB_SLOTS];
    char name[16]; /* for fault reports */

    /* arch/arm/fpu.c: the thread's VFP/NEON registers while another thread
     * (or nobody) owns the FPU; stale while this thread owns it. Zero in a
     * new TCB (retype clears the object): the architectural reset state. */
    arch_fpu_state_t fpu;

    /* object/vcpu_timer.c: the thread's kernel timer (tcb_set_timer).
     * Armed only while the thread has a bound notification: unbinding
     * (either side's deletion) disarms it. */
    vcpu_timer_t timer;

    /* registry.h (debug and trace configurations): every TCB on one list,
     * for the kernel debugger, gdb and the trace; unused in release. */
    struct tcb *reg_next, *reg_prev;
} tcb_t;

STATIC_ASSERT(sizeof(tcb_t) <= (1u << L4_OBJ_TCB_BITS), "TCB fits its object size");

static inline tcb_t *tcb_of_cap(const cap_t *c)
{
    return (tcb_t *)c->obj;
}

struct invocation;
void tcb_suspend(tcb_t *t);
/* Fill / empty TCB slot i (the cap is marked CAP_IN_TCB while there).
 * tcb_slot_clear returns false if preempted (restart the system call). */
void tcb_slot_set(tcb_t *t, unsigned i, cte_t *parent, cap_t cap);
bool tcb_slot_clear(tcb_t *t, unsigned i);
/* A CAP_IN_TCB cap was removed behind the TCB's back (object/tcb.c). */
void tcb_slot_lost(cte_t *slot);
void tcb_resume(tcb_t *t);
word_t decode_tcb_registers(struct invocation *inv, tcb_t *t);
word_t decode_tcb_fpu(struct invocation *inv, tcb_t *t);
/* The sanitising of every register write from user level (write_registers,
 * a FAULT_REPLY_REGS reply): cpsr forced to user mode, pc aligned. */
void tcb_regs_sanitise(tcb_t *t);
/* t's fault message words FAULT_MSG_REGS.. (r0-r15, cpsr) into to[0..16]. */
void tcb_fault_regs_save(const tcb_t *t, word_t *to);
/* A FAULT_REPLY_REGS reply's registers from[0..16] into t, sanitised. */
void tcb_fault_regs_install(tcb_t *t, const word_t *from);
