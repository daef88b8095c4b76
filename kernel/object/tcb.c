/* SPDX-License-Identifier: BSD-2-Clause */
/* TCB invocations: configure, priorities, resume/suspend, notification
 * binding, naming. Register access is in tcb_regs.c. */
#include <arch.h>
#include <invoke.h>
#include <ipc.h>
#include <object/lifecycle.h>
#include <object/vcpu.h>
#include <object/vcpu_timer.h>
#include <sched.h>
#include <string.h>
#include <trace.h>

#define IPC_BUFFER_ALIGN_BITS 9

void tcb_slot_set(tcb_t *t, unsigned i, cte_t *parent, cap_t cap)
{
    cap.rights |= CAP_IN_TCB;
    cdt_insert_child(parent, &t->slots[i], &cap);
}

bool tcb_slot_clear(tcb_t *t, unsigned i)
{
    t->slots[i].cap.rights &= (uint8_t)~CAP_IN_TCB;
    return cap_delete(&t->slots[i]);
}

/* Empty the TCB's configuration slots, and what a vCPU that died while the
 * thread was in virtual user mode left (its CSpace root, still marked
 * CAP_GUEST_USER, and the guest-user page directory it ran in): the new
 * spaces replace all of them.
 * Returns false if preempted (the configure call is restarted and
 * continues). */
static bool tcb_clear_config_slots(tcb_t *t)
{
    static const unsigned slots[] = {TCB_SLOT_CSPACE, TCB_SLOT_VSPACE, TCB_SLOT_IPC_BUFFER,
                                     TCB_SLOT_VCPU_USER};
    for (unsigned i = 0; i < ARRAY_SIZE(slots); i++)
        if (!tcb_slot_clear(t, slots[i]))
            return false;
    return true;
}

/* The thread's address space disappeared: it cannot run until configured
 * again, and the hardware must not keep walking the dead table. */
static void tcb_lose_vspace(tcb_t *t)
{
    tcb_suspend(t);
    t->vspace_pd = 0;
    t->asid = 0;
    if (t == ks_cur)
        arch_vspace_deactivate();
}

void tcb_slot_lost(cte_t *slot)
{
    /* TCB objects are aligned to their size, and only TCB slots carry
     * CAP_IN_TCB, so the TCB is found by rounding the slot address down. */
    tcb_t *t = (tcb_t *)((uintptr_t)slot & ~(uintptr_t)MASK(L4_OBJ_TCB_BITS));
    switch (slot - t->slots) {
    case TCB_SLOT_VSPACE:
        tcb_lose_vspace(t);
        break;
    case TCB_SLOT_VCPU_USER:
        /* Kept between resumes; fatal only while the thread runs in it: in
         * virtual user mode, or left there by a vCPU that died meanwhile
         * (the thread has no vCPU then, but still this address space). */
        if (t->vspace_pd == kptr_to_paddr((void *)slot->cap.obj) &&
            !(t->slots[TCB_SLOT_VSPACE].cap.type == L4_OBJ_PAGE_DIRECTORY &&
              t->slots[TCB_SLOT_VSPACE].cap.obj == slot->cap.obj))
            tcb_lose_vspace(t);
        break;
    case TCB_SLOT_IPC_BUFFER:
        t->ipc_buffer = 0;
        t->ipc_buffer_kptr = NULL;
        break;
    case TCB_SLOT_VCPU_STATE:
        vcpu_tcb_finalise(t); /* no state page, no vCPU */
        break;
    default: /* a lost CSpace root only makes lookups fail */
        break;
    }
}

static word_t frame_size_bits(const cap_t *c)
{
    return c->type == L4_OBJ_FRAME_4K ? 12 : c->type == L4_OBJ_FRAME_64K ? 16 : 20;
}

static word_t decode_configure(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 3 || inv->ncaps < 3)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t fault_ep = inv_arg(inv, 0), cspace_data = inv_arg(inv, 1);
    word_t buf = inv_arg(inv, 2);
    cte_t *cs = inv->caps[0], *vs = inv->caps[1], *fr = inv->caps[2];
    if (cs->cap.type != L4_OBJ_CNODE || (cs->cap.rights & CAP_ZOMBIE))
        return inv_wrong_cap(&cs->cap);
    if (vs->cap.type != L4_OBJ_PAGE_DIRECTORY || (vs->cap.rights & CAP_ZOMBIE))
        return inv_wrong_cap(&vs->cap);
    if (buf && !IS_ALIGNED(buf, IPC_BUFFER_ALIGN_BITS))
        return L4_ERR_ALIGNMENT_ERROR;
    if (buf && !cap_is_frame(&fr->cap))
        return inv_wrong_cap(&fr->cap);
    if (buf && cap_is_device(&fr->cap))
        return L4_ERR_INVALID_CAPABILITY; /* the kernel has no mapping of it */
    /* The kernel reads sent words from the buffer and writes received ones. */
    if (buf && !frame_cap_allows(&fr->cap, L4_RIGHT_READ | L4_RIGHT_WRITE))
        return L4_ERR_INSUFFICIENT_RIGHTS;
    if (!buf && !cap_is_null(&fr->cap) && !cap_is_frame(&fr->cap))
        return L4_ERR_INVALID_CAPABILITY;
    cap_t cscap = cs->cap;
    if (cspace_data) {
        word_t gbits = cspace_data & 0x1fu, guard = cspace_data >> 5;
        if (gbits + cscap.bits > 32 || (gbits < 27 && (guard >> gbits) != 0))
            return L4_ERR_INVALID_ARGUMENT;
        cscap.guard_bits = (uint8_t)gbits;
        cscap.data = guard;
    }
    /* A thread cannot replace its own spaces while running on them; a vCPU
     * thread in virtual user mode has its spaces swapped out. */
    if (t == inv->caller || (t->vcpu && t->vcpu->user_mode))
        return L4_ERR_ILLEGAL_OPERATION;

    if (!tcb_clear_config_slots(t)) {
        inv->restart = true;
        return L4_ERR_OK;
    }
    tcb_slot_set(t, TCB_SLOT_CSPACE, cs, cscap);
    tcb_slot_set(t, TCB_SLOT_VSPACE, vs, vs->cap);
    t->ipc_buffer = 0;
    t->ipc_buffer_kptr = NULL;
    if (buf) {
        cap_t fc = cap_derive(&fr->cap);
        tcb_slot_set(t, TCB_SLOT_IPC_BUFFER, fr, fc);
        t->ipc_buffer = buf;
        t->ipc_buffer_kptr = (word_t *)(fc.obj + (buf & MASK(frame_size_bits(&fc))));
    }
    t->vspace_pd = kptr_to_paddr((void *)vs->cap.obj);
    if (t == ks_cur)
        arch_set_thread_word(t->ipc_buffer);
    t->asid = vs->cap.data;
    t->fault_ep = fault_ep;
    return L4_ERR_OK;
}

static word_t decode_priority(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 1 || inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t prio = inv_arg(inv, 0);
    if (inv->caps[0]->cap.type != L4_OBJ_TCB)
        return inv_wrong_cap(&inv->caps[0]->cap);
    tcb_t *auth = tcb_of_cap(&inv->caps[0]->cap);
    if (prio >= NUM_PRIORITIES || prio > auth->mcp)
        return L4_ERR_RANGE_ERROR;
    if (inv->label == L4_TCB_SET_MCP)
        t->mcp = (uint8_t)prio;
    else
        sched_set_priority(t, (uint8_t)prio);
    return L4_ERR_OK;
}

void tcb_suspend(tcb_t *t)
{
    arch_fpu_release(t, true); /* a stopped thread's FPU state is in its TCB */
    ipc_cancel(t);
    sched_dequeue(t);
    t->state = THREAD_INACTIVE;
    t->fault_kind = 0;
}

static word_t decode_bind(invocation_t *inv, tcb_t *t)
{
    if (inv->label == L4_TCB_UNBIND_NOTIFICATION) {
        if (!t->bound_ntfn)
            return L4_ERR_ILLEGAL_OPERATION;
        tcb_timer_disarm(t); /* it signals the bound notification only */
        t->bound_ntfn->bound = NULL;
        t->bound_ntfn = NULL;
        return L4_ERR_OK;
    }
    if (inv->ncaps < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    const cap_t *nc = &inv->caps[0]->cap;
    if (nc->type != L4_OBJ_NOTIFICATION || (nc->rights & CAP_ZOMBIE)) /* not one being destroyed */
        return inv_wrong_cap(nc);
    /* Binding lets the thread receive the signals: a wait, which needs READ. */
    if (!(nc->rights & L4_RIGHT_READ))
        return L4_ERR_INSUFFICIENT_RIGHTS;
    notification_t *n = (notification_t *)nc->obj;
    if (t->bound_ntfn || n->bound)
        return L4_ERR_ILLEGAL_OPERATION;
    t->bound_ntfn = n;
    n->bound = t;
    return L4_ERR_OK;
}

/* set_name: the name the kernel prints in its reports about the thread. It
 * reaches the console verbatim, so it is restricted to printable ASCII: a
 * thread cannot forge console lines or terminal control sequences. */
static word_t decode_set_name(invocation_t *inv, tcb_t *t)
{
    char name[sizeof t->name];
    if (inv->length < 4)
        return L4_ERR_TRUNCATED_MESSAGE;
    for (unsigned i = 0; i < sizeof name; i++)
        name[i] = (char)(inv_arg(inv, i / 4) >> (8 * (i % 4)));
    unsigned n = 0;
    while (n < sizeof name && name[n])
        n++;
    if (n == sizeof name)
        return L4_ERR_INVALID_ARGUMENT; /* 16 characters: no room for the NUL */
    for (unsigned i = 0; i < sizeof name; i++)
        if (i < n ? (name[i] < 0x20 || name[i] > 0x7e) : name[i] != 0)
            return L4_ERR_INVALID_ARGUMENT;
    memcpy(t->name, name, sizeof name);
    if (CONFIG_TRACE) { /* the name travels with the trace (a ring may lose the dump's) */
        word_t w[4];
        memcpy(w, name, sizeof w);
        trace_name(t, w);
    }
    return L4_ERR_OK;
}

/* tcb_set_fault_regs: READ and WRITE, since the thread's fault handler
 * then reads and writes its registers through the fault messages. */
static word_t decode_fault_regs(invocation_t *inv, tcb_t *t)
{
    const word_t rw = L4_RIGHT_READ | L4_RIGHT_WRITE;
    if ((inv->slot->cap.rights & rw) != rw)
        return L4_ERR_INSUFFICIENT_RIGHTS;
    if (inv->length < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t on = inv_arg(inv, 0);
    if (on > 1)
        return L4_ERR_INVALID_ARGUMENT;
    t->fault_regs = (uint8_t)on;
    return L4_ERR_OK;
}

word_t decode_tcb(invocation_t *inv)
{
    tcb_t *t = tcb_of_cap(&inv->slot->cap);
    if (inv->slot->cap.rights & CAP_ZOMBIE)
        return L4_ERR_INVALID_CAPABILITY;
    switch (inv->label) {
    case L4_TCB_CONFIGURE:
        return decode_configure(inv, t);
    case L4_TCB_SET_PRIORITY:
    case L4_TCB_SET_MCP:
        return decode_priority(inv, t);
    case L4_TCB_READ_REGISTERS:
    case L4_TCB_WRITE_REGISTERS:
        return decode_tcb_registers(inv, t);
    case L4_TCB_READ_FPU:
    case L4_TCB_WRITE_FPU:
        return decode_tcb_fpu(inv, t);
    case L4_TCB_RESUME:
        if (!t->vspace_pd)
            return L4_ERR_ILLEGAL_OPERATION;
        if (t->state == THREAD_INACTIVE)
            tcb_resume(t);
        return L4_ERR_OK;
    case L4_TCB_SUSPEND:
        tcb_suspend(t);
        return L4_ERR_OK;
    case L4_TCB_BIND_NOTIFICATION:
    case L4_TCB_UNBIND_NOTIFICATION:
        return decode_bind(inv, t);
    case L4_TCB_SET_NAME:
        return decode_set_name(inv, t);
    case L4_TCB_SET_TIMER:
    case L4_TCB_CANCEL_TIMER:
        return decode_tcb_timer(inv, t);
    case L4_TCB_SET_FAULT_REGS:
        return decode_fault_regs(inv, t);
    default:
        return L4_ERR_ILLEGAL_OPERATION;
    }
}

void tcb_resume(tcb_t *t)
{
    t->state = THREAD_RUNNABLE;
    t->time_slice = TIME_SLICE_TICKS;
    sched_enqueue(t);
}

void tcb_finalise(tcb_t *t)
{
    arch_fpu_release(t, false); /* never save into a TCB being destroyed */
    tcb_suspend(t);
    /* A dying server's pending caller is told at once (REPLY_LOST), not
     * when the delete walk reaches the slot. A reply cap is a leaf: one
     * step, never preempted. */
    cap_delete(&t->slots[TCB_SLOT_CALLER]);
    tcb_timer_disarm(t); /* its node lives in this TCB */
    if (t->bound_ntfn) {
        t->bound_ntfn->bound = NULL;
        t->bound_ntfn = NULL;
    }
    vcpu_tcb_finalise(t);
    if (ks_cur == t)
        ks_cur = NULL;
}
