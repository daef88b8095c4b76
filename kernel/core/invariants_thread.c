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
#include <object/vcpu_timer.h>
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
        bool linked =
            n < INV_MAX_LIST && inv_step() && tcb_ok(x->ipc_prev) && x->ipc_prev->ipc_next == x;
        if (!linked)
            return false;
        x = x->ipc_prev;
    }
    return x == head;
}

/* The PD cap in `s` is what the thread caches as its address space. */
static bool space_of(const tcb_t *t, const cte_t *s)
{
    return s->cap.type == L4_OBJ_PAGE_DIRECTORY &&
           vspace_pd_paddr((const pd_t *)s->cap.obj) == t->vspace_pd && s->cap.data == t->asid;
}

/* The IPC buffer cache points into the frame the TCB keeps for it. */
static bool buffer_ok(const tcb_t *t)
{
    const cap_t *f = &t->slots[TCB_SLOT_IPC_BUFFER].cap;
    if (!t->ipc_buffer_kptr)
        return !t->ipc_buffer;
    uintptr_t k = (uintptr_t)t->ipc_buffer_kptr;
    word_t bytes = f->type == L4_OBJ_FRAME_4K    ? BIT(L4_OBJ_FRAME_4K_BITS)
                   : f->type == L4_OBJ_FRAME_64K ? BIT(L4_OBJ_FRAME_64K_BITS)
                                                 : BIT(L4_OBJ_FRAME_1M_BITS);
    return t->ipc_buffer && cap_is_frame(f) && !cap_is_device(f) && k >= f->obj &&
           k - f->obj <= bytes - L4_IPCBUF_WORDS * 4u;
}

/* The caps a TCB keeps for its address space, IPC buffer and vCPU match
 * what it caches from them. A slot being emptied by a preempted configure
 * or delete walk may hold a zombie (its object is still whole). */
static void check_tcb_slots(const tcb_t *t)
{
    for (unsigned i = 0; i < TCB_SLOTS; i++) {
        const cap_t *c = &t->slots[i].cap;
        bool marked =
            i == TCB_SLOT_CALLER || cap_is_null(c) || (c->rights & (CAP_IN_TCB | CAP_ZOMBIE));
        INV_EXPECT(marked, INV_IN_TCB, &t->slots[i], t); /* a slot the TCB caches from */
    }
    const cap_t *caller = &t->slots[TCB_SLOT_CALLER].cap;
    INV_EXPECT(cap_is_null(caller) || caller->type == L4_OBJ_REPLY, INV_THREAD_STATE, caller, t);
    /* The guest-kernel space, or a guest-user one (also after its vCPU died
     * while the thread was in it). */
    bool space = !t->vspace_pd || space_of(t, &t->slots[TCB_SLOT_VSPACE]) ||
                 space_of(t, &t->slots[TCB_SLOT_VCPU_USER]);
    INV_EXPECT(space, INV_TCB_CACHE, t, &t->slots[TCB_SLOT_VSPACE]);
    INV_EXPECT(buffer_ok(t), INV_TCB_CACHE, t, &t->slots[TCB_SLOT_IPC_BUFFER]);
}

/* The vCPU binding from the thread's side: the state page is the frame it
 * keeps; in virtual user mode (only there) the CSpace root resolves
 * nothing (CAP_GUEST_USER). */
static void check_tcb_vcpu(const tcb_t *t)
{
    const vcpu_t *v = t->vcpu;
    INV_NEED(inv_ptr_ok(v, sizeof(*v), 16));
    INV_EXPECT(v->tcb == t, INV_BINDING, t, v);
    const cap_t *st = &t->slots[TCB_SLOT_VCPU_STATE].cap;
    bool state = st->type == L4_OBJ_FRAME_4K && st->obj == (uintptr_t)v->state;
    INV_EXPECT(state, INV_BINDING, t, &t->slots[TCB_SLOT_VCPU_STATE]);
    const cap_t *root = &t->slots[TCB_SLOT_CSPACE].cap;
    bool marked = (root->rights & CAP_GUEST_USER) != 0;
    bool mode = v->user_mode == 1 ? marked || cap_is_null(root) : v->user_mode == 0 && !marked;
    INV_EXPECT(mode, INV_BINDING, t, &t->slots[TCB_SLOT_CSPACE]);
    inv_reach(L4_OBJ_VCPU, v, 0);
}

/* What a blocked thread waits on has it in its queue. */
static void check_blocked(const tcb_t *t)
{
    if (t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV) {
        const endpoint_t *ep = t->blocked_on;
        INV_NEED(inv_ptr_ok(ep, sizeof(*ep), 16));
        INV_EXPECT(in_queue(t, ep->head) || !inv_ok(), INV_BLOCKED_ON, t, ep);
        inv_reach(L4_OBJ_ENDPOINT, ep, 0);
    } else if (t->state == THREAD_BLOCKED_NTFN) {
        const notification_t *n = t->blocked_on;
        INV_NEED(inv_ptr_ok(n, sizeof(*n), 16));
        INV_EXPECT(in_queue(t, n->head) || !inv_ok(), INV_BLOCKED_ON, t, n);
        inv_reach(L4_OBJ_NOTIFICATION, n, 0);
    } else if (t->state == THREAD_BLOCKED_REPLY || t->state == THREAD_BLOCKED_FAULT) {
        const cte_t *h = t->reply_holder;
        INV_EXPECT(h, INV_REPLY_HOLDER, t, NULL);
        INV_NEED(inv_ptr_ok(h, sizeof(*h), sizeof(void *)));
        bool holds = h->cap.type == L4_OBJ_REPLY && h->cap.obj == (uintptr_t)t;
        INV_EXPECT(holds, INV_REPLY_HOLDER, t, h);
    }
}

static bool timer_in_heap(const vcpu_timer_t *x);

void inv_check_tcb(const tcb_t *t, bool zombie)
{
    INV_NEED(tcb_ok(t));
    inv_res->threads++;
    bool state = t->state <= THREAD_BLOCKED_FAULT && t->time_slice <= TIME_SLICE_TICKS;
    INV_EXPECT(state, INV_THREAD_STATE, t, NULL);
    bool queued = is_queued(t);
    INV_EXPECT(queued == (t->state == THREAD_RUNNABLE && t != ks_cur && t != ks_direct), INV_QUEUED,
               t, NULL);
    INV_EXPECT(queued || !t->sched_next, INV_READY_QUEUE, t, t->sched_next);
    /* A fault is recorded only while it is being delivered. */
    bool delivering = t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_FAULT;
    INV_EXPECT(!t->fault_kind || delivering, INV_THREAD_STATE, t, NULL);
    INV_EXPECT(t->fault_kind || t->state != THREAD_BLOCKED_FAULT, INV_THREAD_STATE, t, NULL);
    /* Its kernel timer (tcb_set_timer): armed only while it has a bound
     * notification to signal, and then a node of the heap that is its own. */
    INV_EXPECT(t->timer.armed <= 1, INV_VCPU_TIMER, t, &t->timer);
    INV_EXPECT(!t->timer.armed || (t->bound_ntfn && t->timer.thread == t && !t->timer.vcpu &&
                                   timer_in_heap(&t->timer)),
               INV_VCPU_TIMER, t, &t->timer);
    /* A TCB being destroyed (its cap a zombie) was stopped and detached
     * first; its slots then hold whatever the delete walk parks there. */
    bool stopped = t->state == THREAD_INACTIVE && !t->bound_ntfn && !t->vcpu;
    INV_EXPECT(!zombie || stopped, INV_THREAD_STATE, t, NULL);
    check_blocked(t);
    INV_NEED(inv_ok());
    if (t->bound_ntfn) {
        INV_NEED(inv_ptr_ok(t->bound_ntfn, sizeof(notification_t), 16));
        INV_EXPECT(t->bound_ntfn->bound == t, INV_BINDING, t, t->bound_ntfn);
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
        INV_EXPECT(n++ < INV_MAX_LIST, INV_LIMIT, obj, t);
        INV_NEED(inv_step() && tcb_ok(t));
        bool member = t->ipc_prev == prev && t->state == state && t->blocked_on == obj;
        INV_EXPECT(member, code, obj, t);
        inv_reach(L4_OBJ_TCB, t, 0);
        prev = t;
    }
    INV_EXPECT(prev == tail, code, obj, tail);
}

void inv_check_endpoint(const void *obj)
{
    const endpoint_t *ep = obj;
    bool state = ep->state <= EP_RECEIVING && (ep->state == EP_IDLE) == (ep->head == NULL) &&
                 !ep->head == !ep->tail;
    INV_EXPECT(state, INV_EP_QUEUE, ep, NULL);
    uint8_t waiting = ep->state == EP_SENDING ? THREAD_BLOCKED_SEND : THREAD_BLOCKED_RECV;
    check_wait_queue(ep, ep->head, ep->tail, waiting, INV_EP_QUEUE);
}

void inv_check_notification(const void *obj)
{
    const notification_t *n = obj;
    INV_EXPECT(!n->word || !n->head, INV_NTFN, n, n->head); /* a word only without waiters */
    INV_EXPECT(!n->head == !n->tail, INV_NTFN, n, n->tail);
    check_wait_queue(n, n->head, n->tail, THREAD_BLOCKED_NTFN, INV_NTFN);
    if (!inv_ok() || !n->bound)
        return;
    INV_NEED(tcb_ok(n->bound));
    INV_EXPECT(n->bound->bound_ntfn == n, INV_BINDING, n, n->bound);
    inv_reach(L4_OBJ_TCB, n->bound, 0);
}

/* An armed timer is a node of the heap: its parent chain ends at the root. */
static bool timer_in_heap(const vcpu_timer_t *x)
{
    for (unsigned depth = 0; depth <= 32; depth++) {
        if (!x->parent)
            return x == vcpu_timer_heap_root();
        INV_NEED_B(inv_ptr_ok(x->parent, sizeof(*x), 8));
        x = x->parent;
    }
    return false;
}

void inv_check_vcpu(const void *obj)
{
    const vcpu_t *v = obj;
    for (unsigned i = 0; i < L4_VCPU_TIMERS; i++) {
        const vcpu_timer_t *x = &v->timer[i];
        INV_EXPECT(x->armed <= 1, INV_VCPU_TIMER, v, x);
        INV_EXPECT(!x->armed || (v->tcb && x->vcpu == v && timer_in_heap(x)), INV_VCPU_TIMER, v,
                   x);
    }
    /* Its routed interrupts: each in the line table as routed here, the
     * active ones among them; none without a bound thread. */
    INV_EXPECT(!(v->virq_active & ~v->virq_routed) && (v->tcb || !v->virq_routed), INV_BINDING, v,
               NULL);
    for (word_t bits = v->virq_routed; bits && inv_ok(); bits &= bits - 1) {
        word_t k = (word_t)__builtin_ctz(bits), bit;
        word_t irq = v->virq_line[k];
        INV_EXPECT(irq < PLAT_IRQ_MAX && irq_vcpu(irq, &bit) == v && bit == BIT(k), INV_IRQ, v,
                   (const void *)(uintptr_t)irq);
    }
    if (!v->tcb)
        return;
    INV_NEED(tcb_ok(v->tcb));
    INV_EXPECT(v->tcb->vcpu == v, INV_BINDING, v, v->tcb);
    /* Its line priorities, set up by bind (object/vcpu_prio.c): each a
     * level, and each virq_below[p] exactly the lines below p, which the
     * deliverability rule reads instead of the priorities. */
    for (word_t p = 0; p <= L4_VCPU_PRIO_NONE && inv_ok(); p++) {
        word_t below = 0;
        for (word_t k = 0; k < VCPU_VIRQ_LINES; k++)
            if (v->virq_prio[k] < p)
                below |= BIT(k);
        INV_EXPECT(v->virq_below[p] == below, INV_VCPU_PRIO, v, (const void *)(uintptr_t)p);
    }
    for (word_t k = 0; k < VCPU_VIRQ_LINES && inv_ok(); k++)
        INV_EXPECT(v->virq_prio[k] < L4_VCPU_PRIO_LEVELS, INV_VCPU_PRIO, v,
                   (const void *)(uintptr_t)k);
    INV_NEED(inv_ptr_ok(v->state, BIT(L4_OBJ_FRAME_4K_BITS), BIT(L4_OBJ_FRAME_4K_BITS)));
    inv_reach(L4_OBJ_TCB, v->tcb, 0);
}

static void check_ready_queue(unsigned p)
{
    const tcb_t *prev = NULL;
    word_t n = 0;
    for (const tcb_t *t = sched_queue_head(p); t; t = t->sched_next) {
        INV_EXPECT(n++ < INV_MAX_LIST, INV_LIMIT, t, NULL);
        INV_NEED(inv_step() && tcb_ok(t));
        bool member =
            t->sched_prev == prev && t->state == THREAD_RUNNABLE && t->priority == p && t != ks_cur &&
            t != ks_direct;
        INV_EXPECT(member, INV_READY_QUEUE, t, prev);
        inv_reach(L4_OBJ_TCB, t, 0);
        prev = t;
    }
    INV_EXPECT(prev == sched_queue_tail(p), INV_READY_QUEUE, prev, sched_queue_tail(p));
    INV_EXPECT(sched_bitmap_bit(p) == (prev != NULL), INV_READY_BITMAP, prev, NULL);
}

void inv_check_ready_queues(void)
{
    for (unsigned p = 0; p < NUM_PRIORITIES && inv_ok(); p++)
        check_ready_queue(p);
    for (unsigned w = 0; w < NUM_PRIORITIES / 32 && inv_ok(); w++) {
        bool summary = (sched_bitmap_summary() >> w) & 1u;
        INV_EXPECT(summary == (sched_bitmap_word(w) != 0), INV_READY_BITMAP, NULL, NULL);
    }
}

/* A node's children: their links back and the heap order. */
static void check_heap_children(const vcpu_timer_t *x)
{
    const vcpu_timer_t *kids[2] = {x->left, x->right};
    for (unsigned i = 0; i < 2; i++) {
        if (!kids[i])
            continue;
        INV_NEED(inv_ptr_ok(kids[i], sizeof(*x), 8));
        INV_EXPECT(kids[i]->parent == x, INV_VCPU_TIMER, x, kids[i]);
        INV_EXPECT(kids[i]->deadline >= x->deadline, INV_VCPU_TIMER, x, kids[i]); /* order */
    }
}

/* One node of the heap at position k: its owner (a vCPU's timer or a
 * thread's), its children's links and order. */
static void check_vcpu_timer(const vcpu_timer_t *x, word_t k)
{
    INV_EXPECT(k <= vcpu_timer_heap_count(), INV_VCPU_TIMER, x, NULL); /* not complete */
    INV_EXPECT(x->armed == 1, INV_VCPU_TIMER, x, NULL);
    if (!x->vcpu) { /* a thread's timer: a badge, its thread with a bound notification */
        const tcb_t *t = x->thread;
        INV_NEED(inv_ptr_ok(t, sizeof(*t), 8) && tcb_ok(t));
        INV_EXPECT(&t->timer == x && x->index == 0 && x->line != 0 && t->bound_ntfn,
                   INV_VCPU_TIMER, x, t);
        check_heap_children(x);
        inv_reach(L4_OBJ_TCB, t, 0);
        return;
    }
    INV_EXPECT(!x->thread && x->index < L4_VCPU_TIMERS && x->line < L4_VCPU_TIMER_LINES,
               INV_VCPU_TIMER, x, NULL);
    const vcpu_t *v = x->vcpu;
    INV_NEED(inv_ptr_ok(v, sizeof(*v), 16));
    INV_EXPECT(&v->timer[x->index] == x, INV_VCPU_TIMER, x, v);
    INV_EXPECT(v->tcb && tcb_ok(v->tcb) && v->tcb->vcpu == v, INV_VCPU_TIMER, x, v); /* bound */
    check_heap_children(x);
    inv_reach(L4_OBJ_VCPU, v, 0);
}

/* A walk over the heap by its parent links (no stack), numbering each node
 * by its position (root 1, children 2k and 2k + 1): complete exactly when
 * every position is at most the count and there are count nodes. */
void inv_check_vcpu_timers(void)
{
    const vcpu_timer_t *x = vcpu_timer_heap_root();
    word_t k = 1, n = 0;
    if (x) {
        INV_NEED(inv_ptr_ok(x, sizeof(*x), 8));
        INV_EXPECT(!x->parent, INV_VCPU_TIMER, x, x->parent);
    }
    while (x && inv_ok()) {
        INV_NEED(inv_step());
        check_vcpu_timer(x, k);
        INV_NEED(inv_ok());
        n++;
        if (x->left) {
            x = x->left;
            k = 2 * k;
            continue;
        }
        INV_EXPECT(!x->right, INV_VCPU_TIMER, x, x->right); /* a right child without a left */
        for (;;) {
            const vcpu_timer_t *p = x->parent;
            if (!p) {
                x = NULL;
                break;
            }
            if (p->left == x && p->right) {
                x = p->right;
                k++;
                break;
            }
            x = p;
            k >>= 1;
        }
    }
    INV_EXPECT(n == vcpu_timer_heap_count(), INV_VCPU_TIMER, vcpu_timer_heap_root(), NULL);
}

void inv_check_irq_handler(const cap_t *c)
{
    bool line = c->obj < PLAT_IRQ_MAX && plat_irq_user_ok(c->obj) && irq_is_claimed(c->obj);
    INV_EXPECT(line, INV_IRQ, (const void *)c->obj, NULL);
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
        bool handler = c->cap.type == L4_OBJ_IRQ_HANDLER && c->cap.obj < PLAT_IRQ_MAX;
        INV_EXPECT(handler, INV_IRQ, control, c);
        lines[c->cap.obj / 32] |= BIT(c->cap.obj % 32);
    }
    word_t delivering = 0;
    for (word_t i = 0; i < PLAT_IRQ_MAX; i++) {
        bool handler = (lines[i / 32] >> (i % 32)) & 1u;
        const notification_t *n = irq_notification(i);
        word_t bit;
        const vcpu_t *v = irq_vcpu(i, &bit);
        bool line = handler == irq_is_claimed(i) && (!(n || v) || handler) && !(n && v);
        INV_EXPECT(line, INV_IRQ, (const void *)(uintptr_t)i, n);
        if (v) {
            /* Routed: to a bound vCPU that has the line as one virtual line. */
            INV_NEED(inv_ptr_ok(v, sizeof(*v), 16));
            bool route = v->tcb && bit && !(bit & (bit - 1)) && (v->virq_routed & bit) &&
                         v->virq_line[__builtin_ctz(bit)] == i;
            INV_EXPECT(route, INV_IRQ, (const void *)(uintptr_t)i, v);
            inv_reach(L4_OBJ_VCPU, v, 0);
            delivering++;
        }
        if (!n)
            continue;
        INV_NEED(inv_ptr_ok(n, sizeof(*n), 16));
        inv_reach(L4_OBJ_NOTIFICATION, n, 0);
        delivering++;
    }
    INV_EXPECT(delivering == irq_delivering_count(), INV_IRQ, NULL, NULL);
}
