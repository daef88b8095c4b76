/* SPDX-License-Identifier: BSD-2-Clause */
/* Invariant checks of threads and what they wait on (invariants.h): thread
 * state, queued iff runnable and not running, the ready queues and their
 * bitmap, endpoint and notification queues (one direction, links, each
 * member blocked on the object), reply cap <-> blocked caller, bound
 * notifications and vCPUs, a TCB's cached address space and IPC buffer, and
 * the IRQ line table. Every thread met is reached for its own checks. */
#include <invariants.h>
#include <irq.h>
#include <object/objects.h>
#include <object/vcpu.h>
#include <object/vspace.h>
#include <platform.h>
#include <sched.h>

#define TCB_BYTES BIT(L4_OBJ_TCB_BITS)

static bool tcb_ok(const tcb_t *t)
{
    return inv_ptr_ok(t, TCB_BYTES, TCB_BYTES);
}

static bool is_queued(const tcb_t *t)
{
    return t->sched_prev || sched_queue_head(t->priority) == t;
}

/* t is in the queue whose head is `head`: walk back from t. */
static bool in_queue(const tcb_t *t, const tcb_t *head)
{
    const tcb_t *x = t;
    for (word_t n = 0; x->ipc_prev; n++) {
        if (n >= INV_MAX_LIST || !inv_step() || !tcb_ok(x->ipc_prev))
            return false;
        if (x->ipc_prev->ipc_next != x)
            return false;
        x = x->ipc_prev;
    }
    return x == head;
}

/* The caps a TCB keeps for its address space, IPC buffer and vCPU match
 * what it caches from them. A slot being emptied by a preempted configure
 * or delete walk may hold a zombie (its object is still whole). */
static void check_tcb_slots(const tcb_t *t)
{
    const cte_t *vs = &t->slots[TCB_SLOT_VSPACE], *vu = &t->slots[TCB_SLOT_VCPU_USER];
    for (unsigned i = 0; i < TCB_SLOTS; i++) {
        const cap_t *c = &t->slots[i].cap;
        if (i != TCB_SLOT_CALLER && !cap_is_null(c) && !(c->rights & (CAP_IN_TCB | CAP_ZOMBIE))) {
            INV_FAIL(INV_IN_TCB, &t->slots[i], t); /* a slot the TCB caches from, unmarked */
            return;
        }
    }
    if (!cap_is_null(&t->slots[TCB_SLOT_CALLER].cap) &&
        t->slots[TCB_SLOT_CALLER].cap.type != L4_OBJ_REPLY) {
        INV_FAIL(INV_THREAD_STATE, &t->slots[TCB_SLOT_CALLER], t);
        return;
    }
    if (t->vspace_pd) {
        /* The guest-kernel space, or a guest-user one (also after its vCPU
         * died while the thread was in it). */
        const cte_t *in = vs->cap.type == L4_OBJ_PAGE_DIRECTORY &&
                                  vspace_pd_paddr((const pd_t *)vs->cap.obj) == t->vspace_pd
                              ? vs
                              : vu;
        if (in->cap.type != L4_OBJ_PAGE_DIRECTORY ||
            vspace_pd_paddr((const pd_t *)in->cap.obj) != t->vspace_pd || in->cap.data != t->asid) {
            INV_FAIL(INV_TCB_CACHE, t, in);
            return;
        }
    }
    const cte_t *buf = &t->slots[TCB_SLOT_IPC_BUFFER];
    if (!t->ipc_buffer != !t->ipc_buffer_kptr) {
        INV_FAIL(INV_TCB_CACHE, t, buf);
        return;
    }
    if (t->ipc_buffer_kptr) {
        uintptr_t k = (uintptr_t)t->ipc_buffer_kptr;
        word_t bytes = buf->cap.type == L4_OBJ_FRAME_4K    ? BIT(L4_OBJ_FRAME_4K_BITS)
                       : buf->cap.type == L4_OBJ_FRAME_64K ? BIT(L4_OBJ_FRAME_64K_BITS)
                                                           : BIT(L4_OBJ_FRAME_1M_BITS);
        if (!cap_is_frame(&buf->cap) || cap_is_device(&buf->cap) || k < buf->cap.obj ||
            k - buf->cap.obj > bytes - L4_IPCBUF_WORDS * 4u ||
            (k & MASK(9)) != (t->ipc_buffer & MASK(9))) {
            INV_FAIL(INV_TCB_CACHE, t, buf);
            return;
        }
    }
}

/* The vCPU binding from the thread's side: the state page is the frame it
 * keeps; in virtual user mode the CSpace root is parked, otherwise not. */
static void check_tcb_vcpu(const tcb_t *t)
{
    const vcpu_t *v = t->vcpu;
    if (!inv_ptr_ok(v, sizeof(*v), 16))
        return;
    if (v->tcb != t) {
        INV_FAIL(INV_BINDING, t, v);
        return;
    }
    const cap_t *st = &t->slots[TCB_SLOT_VCPU_STATE].cap;
    if (st->type != L4_OBJ_FRAME_4K || st->obj != (uintptr_t)v->state) {
        INV_FAIL(INV_BINDING, t, &t->slots[TCB_SLOT_VCPU_STATE]);
        return;
    }
    bool parked = !cap_is_null(&t->slots[TCB_SLOT_VCPU_CSPACE].cap);
    if ((v->user_mode && !cap_is_null(&t->slots[TCB_SLOT_CSPACE].cap)) ||
        (!v->user_mode && parked) || v->user_mode > 1) {
        INV_FAIL(INV_BINDING, t, &t->slots[TCB_SLOT_VCPU_CSPACE]);
        return;
    }
    inv_reach(L4_OBJ_VCPU, v, 0);
}

void inv_check_tcb(const tcb_t *t, bool zombie)
{
    if (!tcb_ok(t))
        return;
    inv_res->threads++;
    if (t->state > THREAD_BLOCKED_FAULT || t->time_slice > TIME_SLICE_TICKS) {
        INV_FAIL(INV_THREAD_STATE, t, NULL);
        return;
    }
    bool queued = is_queued(t);
    if (queued != (t->state == THREAD_RUNNABLE && t != ks_cur)) {
        INV_FAIL(INV_QUEUED, t, NULL);
        return;
    }
    if (!queued && t->sched_next) {
        INV_FAIL(INV_READY_QUEUE, t, t->sched_next);
        return;
    }
    /* A fault is recorded only while it is being delivered. */
    if ((t->fault_kind && t->state != THREAD_BLOCKED_SEND && t->state != THREAD_BLOCKED_FAULT) ||
        (!t->fault_kind && t->state == THREAD_BLOCKED_FAULT)) {
        INV_FAIL(INV_THREAD_STATE, t, NULL);
        return;
    }
    /* A TCB being destroyed (its cap a zombie) was stopped and detached
     * first; its slots then hold whatever the delete walk parks there. */
    if (zombie && (t->state != THREAD_INACTIVE || t->bound_ntfn || t->vcpu)) {
        INV_FAIL(INV_THREAD_STATE, t, NULL);
        return;
    }
    switch (t->state) {
    case THREAD_BLOCKED_SEND:
    case THREAD_BLOCKED_RECV: {
        const endpoint_t *ep = t->blocked_on;
        if (!inv_ptr_ok(ep, sizeof(*ep), 16))
            return;
        if (!in_queue(t, ep->head)) {
            if (inv_ok())
                INV_FAIL(INV_BLOCKED_ON, t, ep);
            return;
        }
        inv_reach(L4_OBJ_ENDPOINT, ep, 0);
        break;
    }
    case THREAD_BLOCKED_NTFN: {
        const notification_t *n = t->blocked_on;
        if (!inv_ptr_ok(n, sizeof(*n), 16))
            return;
        if (!in_queue(t, n->head)) {
            if (inv_ok())
                INV_FAIL(INV_BLOCKED_ON, t, n);
            return;
        }
        inv_reach(L4_OBJ_NOTIFICATION, n, 0);
        break;
    }
    case THREAD_BLOCKED_REPLY:
    case THREAD_BLOCKED_FAULT: {
        const cte_t *h = t->reply_holder;
        if (!h || !inv_ptr_ok(h, sizeof(*h), sizeof(void *)) || h->cap.type != L4_OBJ_REPLY ||
            h->cap.obj != (uintptr_t)t) {
            if (inv_ok())
                INV_FAIL(INV_REPLY_HOLDER, t, h);
            return;
        }
        break;
    }
    default:
        break;
    }
    if (t->bound_ntfn) {
        if (!inv_ptr_ok(t->bound_ntfn, sizeof(notification_t), 16))
            return;
        if (t->bound_ntfn->bound != t) {
            INV_FAIL(INV_BINDING, t, t->bound_ntfn);
            return;
        }
        inv_reach(L4_OBJ_NOTIFICATION, t->bound_ntfn, 0);
    }
    if (t->vcpu)
        check_tcb_vcpu(t);
    if (inv_ok() && !zombie)
        check_tcb_slots(t);
    for (unsigned i = 0; i < TCB_SLOTS && inv_ok(); i++)
        inv_check_slot(&t->slots[i], INV_SLOT_TCB, t);
}

/* One wait queue: doubly linked from head to tail, every member blocked in
 * `state` on `obj`; each is reached. */
static void check_wait_queue(const void *obj, const tcb_t *head, const tcb_t *tail, uint8_t state,
                             word_t code)
{
    const tcb_t *prev = NULL;
    word_t n = 0;
    for (const tcb_t *t = head; t; t = t->ipc_next) {
        if (n++ >= INV_MAX_LIST) {
            INV_FAIL(INV_LIMIT, obj, t);
            return;
        }
        if (!inv_step() || !tcb_ok(t))
            return;
        if (t->ipc_prev != prev || t->state != state || t->blocked_on != obj) {
            INV_FAIL(code, obj, t);
            return;
        }
        inv_reach(L4_OBJ_TCB, t, 0);
        prev = t;
    }
    if (prev != tail)
        INV_FAIL(code, obj, tail);
}

void inv_check_endpoint(const void *obj)
{
    const endpoint_t *ep = obj;
    if (ep->state > EP_RECEIVING || (ep->state == EP_IDLE) != (ep->head == NULL) ||
        !ep->head != !ep->tail) {
        INV_FAIL(INV_EP_QUEUE, ep, NULL);
        return;
    }
    if (ep->head)
        check_wait_queue(ep, ep->head, ep->tail,
                         ep->state == EP_SENDING ? THREAD_BLOCKED_SEND : THREAD_BLOCKED_RECV,
                         INV_EP_QUEUE);
}

void inv_check_notification(const void *obj)
{
    const notification_t *n = obj;
    if ((n->word && n->head) || !n->head != !n->tail) {
        INV_FAIL(INV_NTFN, n, n->head);
        return;
    }
    check_wait_queue(n, n->head, n->tail, THREAD_BLOCKED_NTFN, INV_NTFN);
    if (!inv_ok() || !n->bound)
        return;
    if (!tcb_ok(n->bound))
        return;
    if (n->bound->bound_ntfn != n) {
        INV_FAIL(INV_BINDING, n, n->bound);
        return;
    }
    inv_reach(L4_OBJ_TCB, n->bound, 0);
}

void inv_check_vcpu(const void *obj)
{
    const vcpu_t *v = obj;
    if (!v->tcb)
        return;
    if (!tcb_ok(v->tcb))
        return;
    if (v->tcb->vcpu != v ||
        !inv_ptr_ok(v->state, BIT(L4_OBJ_FRAME_4K_BITS), BIT(L4_OBJ_FRAME_4K_BITS))) {
        if (inv_ok())
            INV_FAIL(INV_BINDING, v, v->tcb);
        return;
    }
    inv_reach(L4_OBJ_TCB, v->tcb, 0);
}

void inv_check_ready_queues(void)
{
    for (unsigned p = 0; p < NUM_PRIORITIES && inv_ok(); p++) {
        const tcb_t *prev = NULL;
        word_t n = 0;
        for (const tcb_t *t = sched_queue_head(p); t; t = t->sched_next) {
            if (n++ >= INV_MAX_LIST) {
                INV_FAIL(INV_LIMIT, t, NULL);
                return;
            }
            if (!inv_step() || !tcb_ok(t))
                return;
            if (t->sched_prev != prev || t->state != THREAD_RUNNABLE || t->priority != p ||
                t == ks_cur) {
                INV_FAIL(INV_READY_QUEUE, t, prev);
                return;
            }
            inv_reach(L4_OBJ_TCB, t, 0);
            prev = t;
        }
        if (prev != sched_queue_tail(p)) {
            INV_FAIL(INV_READY_QUEUE, prev, sched_queue_tail(p));
            return;
        }
        if (sched_bitmap_bit(p) != (prev != NULL)) {
            INV_FAIL(INV_READY_BITMAP, prev, NULL);
            return;
        }
    }
    for (unsigned w = 0; w < NUM_PRIORITIES / 32; w++)
        if (((sched_bitmap_summary() >> w) & 1u) != (sched_bitmap_word(w) != 0)) {
            INV_FAIL(INV_READY_BITMAP, NULL, NULL);
            return;
        }
}

void inv_check_irq_handler(const cap_t *c)
{
    if (c->obj >= PLAT_IRQ_MAX || !plat_irq_user_ok(c->obj) || !irq_is_claimed(c->obj))
        INV_FAIL(INV_IRQ, (const void *)c->obj, NULL);
}

/* IRQ control's children are one run of handler caps per claimed line
 * (SAME-OBJECT-RUNS holds them apart); a line delivers only while claimed,
 * to a notification that exists, and the count of delivering lines is
 * kept. */
void inv_check_irq_lines(const cte_t *control)
{
    static uint32_t lines[(PLAT_IRQ_MAX + 31) / 32];
    for (unsigned i = 0; i < ARRAY_SIZE(lines); i++)
        lines[i] = 0;
    const cte_t *head = control->first_child;
    for (const cte_t *c = head; c && inv_step(); c = c->next == head ? NULL : c->next) {
        if (c->cap.type != L4_OBJ_IRQ_HANDLER || c->cap.obj >= PLAT_IRQ_MAX) {
            INV_FAIL(INV_IRQ, control, c);
            return;
        }
        lines[c->cap.obj / 32] |= BIT(c->cap.obj % 32);
    }
    word_t delivering = 0;
    for (word_t i = 0; i < PLAT_IRQ_MAX; i++) {
        bool handler = (lines[i / 32] >> (i % 32)) & 1u;
        const notification_t *n = irq_notification(i);
        if (handler != irq_is_claimed(i) || (n && !handler)) {
            INV_FAIL(INV_IRQ, (const void *)(uintptr_t)i, n);
            return;
        }
        if (n) {
            if (!inv_ptr_ok(n, sizeof(*n), 16))
                return;
            inv_reach(L4_OBJ_NOTIFICATION, n, 0);
            delivering++;
        }
    }
    if (delivering != irq_delivering_count())
        INV_FAIL(INV_IRQ, NULL, NULL);
}
