/* SPDX-License-Identifier: BSD-2-Clause */
/* vCPU timers (docs/vcpu.md, "The virtual timer"): each vCPU has
 * L4_VCPU_TIMERS independent timers, each a deadline on the generic timer's
 * counter, an optional period and a virtual interrupt line. At expiry the
 * line is delivered exactly as a signal of the vCPU thread's bound
 * notification with badge 1 << line (notification_signal: it wakes the
 * thread waiting on it, else it is a virtual interrupt, vcpu_signal), or,
 * without a bound notification, made pending in the state page
 * (vcpu_signal). No server is on the way: the guest's tick costs one
 * interrupt, its upcall and its resume.
 *
 * A thread has one timer of the same kind (tcb_set_timer, docs/api.md):
 * at expiry it signals the thread's bound notification with the badge
 * given, as an IRQ handler would. It is what user level has instead of the
 * generic virtual timer (CNTV_*), which is one register set for the whole
 * machine and so, if user level could program it, a channel between
 * partitions (docs/design.md 5.4): the kernel keeps CNTKCTL.PL0VTEN clear
 * and owns every timer interrupt; one heap serves vCPUs and threads.
 *
 * Every armed timer is a node of one binary min-heap on the deadline,
 * linked through the timers themselves (no kernel heap, no array: the
 * number of timers is bounded only by the memory retyped into vCPUs).
 * Position k (1-based, breadth-first) is reached from the root by the bits
 * of k below its top bit, so insert, removal of any node and the re-arming
 * of a periodic one are O(log n) worst case, at most 32 levels: every
 * operation here is bounded, and no walk over vCPUs exists. Ties keep no
 * order (equal deadlines fire in the same interrupt anyway).
 *
 * Invariants (checked by core/invariants_thread.c): a timer is armed iff
 * it is in the heap; its vCPU is bound (a thread timer: its thread has a
 * bound notification); parent/child links agree; a
 * parent's deadline is <= its children's; vcpu_timer_count is the number
 * of nodes; the physical timer is programmed for the root's deadline (or
 * the kernel's tick, if earlier). */
#include <arch.h>
#include <assert.h>
#include <invoke.h>
#include <ipc.h>
#include <object/vcpu_timer.h>
#include <object/objects.h>
#include <platform.h>
#include <sched.h>
#include <trace.h>

static vcpu_timer_t *vt_root;
word_t vcpu_timer_count; /* nodes in the heap */

static inline bool vt_before(const vcpu_timer_t *a, const vcpu_timer_t *b)
{
    return a->deadline < b->deadline;
}

/* The pointer that points at x: its parent's child link or the root. */
static vcpu_timer_t **vt_link(const vcpu_timer_t *x)
{
    vcpu_timer_t *p = x->parent;
    return !p ? &vt_root : p->left == x ? &p->left : &p->right;
}

/* c takes the place of its parent p, p the place of c. */
static void vt_swap_up(vcpu_timer_t *c)
{
    vcpu_timer_t *p = c->parent, *cl = c->left, *cr = c->right;
    *vt_link(p) = c;
    if (p->left == c) {
        c->left = p;
        c->right = p->right;
        if (c->right)
            c->right->parent = c;
    } else {
        c->right = p;
        c->left = p->left;
        if (c->left)
            c->left->parent = c;
    }
    c->parent = p->parent;
    p->parent = c;
    p->left = cl;
    p->right = cr;
    if (cl)
        cl->parent = p;
    if (cr)
        cr->parent = p;
}

static void vt_sift_up(vcpu_timer_t *x)
{
    while (x->parent && vt_before(x, x->parent))
        vt_swap_up(x);
}

static void vt_sift_down(vcpu_timer_t *x)
{
    for (;;) {
        vcpu_timer_t *m = x->left;
        if (!m)
            return;
        if (x->right && vt_before(x->right, m))
            m = x->right;
        if (!vt_before(m, x))
            return;
        vt_swap_up(m);
    }
}

/* The node at position k (1 <= k <= vcpu_timer_count). */
static vcpu_timer_t *vt_at(word_t k)
{
    vcpu_timer_t *x = vt_root;
    for (int b = 30 - __builtin_clz(k); b >= 0; b--)
        x = ((k >> b) & 1u) ? x->right : x->left;
    return x;
}

static void vt_insert(vcpu_timer_t *x)
{
    assert_debug(!x->armed);
    word_t k = ++vcpu_timer_count;
    x->left = x->right = NULL;
    x->parent = NULL;
    if (k == 1) {
        vt_root = x;
    } else {
        vcpu_timer_t *p = vt_at(k >> 1);
        x->parent = p;
        if (k & 1u)
            p->right = x;
        else
            p->left = x;
    }
    x->armed = 1;
    vt_sift_up(x);
}

static void vt_remove(vcpu_timer_t *x)
{
    assert_debug(x->armed && vcpu_timer_count);
    vcpu_timer_t *last = vt_at(vcpu_timer_count--);
    *vt_link(last) = NULL; /* the last position empties */
    if (last != x) {
        /* last takes x's place, then moves to where its deadline belongs */
        *vt_link(x) = last;
        last->parent = x->parent;
        last->left = x->left;
        last->right = x->right;
        if (last->left)
            last->left->parent = last;
        if (last->right)
            last->right->parent = last;
        vt_sift_up(last);
        vt_sift_down(last);
    }
    x->parent = x->left = x->right = NULL;
    x->armed = 0;
}

static void vt_program(void)
{
    plat_timer_program(vt_root ? vt_root->deadline : VCPU_TIMER_NEVER);
}

/* The expiry: the line, through the one virtual-interrupt delivery, as a
 * signal of the thread's bound notification with the line's bit. The case
 * of every tick, a bound vCPU nobody waits for, is notification_signal's
 * own branch for it taken here (as irq_to_running_vcpu does), without the
 * call, straight into the timer's own vCPU's state page (x->vcpu is
 * t->vcpu: armed only while bound); a waiter (the guest's idle l4_wait) is
 * woken by notification_signal itself. */
/* A thread's timer (tcb_set_timer): its badge to the thread's bound
 * notification, as an IRQ handler signals. Out of line, so that the vCPU
 * tick's inlined path below keeps its registers. */
static __attribute__((noinline, cold)) void vt_fire_thread(vcpu_timer_t *x)
{
    assert_debug(x->thread && x->thread->bound_ntfn);
    notification_signal(x->thread->bound_ntfn, x->line);
}

static inline void vt_fire(vcpu_timer_t *x)
{
    vcpu_t *v = x->vcpu;
    if (unlikely(!v)) {
        vt_fire_thread(x);
        return;
    }
    tcb_t *t = v->tcb;
    notification_t *n = t->bound_ntfn;
    word_t bit = BIT(x->line);
    assert_debug(t->vcpu == v);
    trace_vtimer(t, x->index, x->line, (word_t)x->deadline, (word_t)(x->deadline >> 32));
    if (unlikely(n && n->head)) {
        notification_signal(n, bit);
        return;
    }
    if (n)
        trace_signal(ks_cur, n, bit, t, 1);
    v->state[L4_VCPU_STATE_VIRQ_PENDING] |= bit; /* vcpu_signal(t, bit) */
}

/* A periodic timer's next deadline: the last one plus the period, or, if
 * that has passed too (missed periods), now plus the period: missed
 * periods are not caught up, one expiry stands for them. */
static inline void vt_advance(vcpu_timer_t *x, uint64_t now)
{
    x->deadline += x->period;
    if (x->deadline <= now)
        x->deadline = now + x->period;
}

/* What is due at `now`, up to VCPU_TIMER_BATCH expiries: the general case. */
static __attribute__((noinline)) void vt_expire(uint64_t now)
{
    for (unsigned n = 0; n < VCPU_TIMER_BATCH && vt_root && vt_root->deadline <= now; n++) {
        vcpu_timer_t *x = vt_root;
        if (x->period) {
            vt_advance(x, now);
            vt_sift_down(x);
        } else {
            vt_remove(x);
        }
        vt_fire(x);
    }
    vt_program();
}

bool vcpu_timer_irq(void)
{
    uint64_t now = plat_timer_now();
    bool tick = plat_timer_tick_due(now);
    vcpu_timer_t *x = vt_root;
    if (likely(x && x->period && !x->left && x->deadline <= now)) {
        /* A periodic timer alone in the heap and due (a guest's tick, the
         * common case): vt_expire's one expiry of it, after which it is
         * still the root, due after now, so nothing else is. */
        vt_advance(x, now);
        uint64_t next = x->deadline;
        vt_fire(x);
        plat_timer_program(next);
    } else if (x && x->deadline <= now) {
        vt_expire(now);
    } else {
        vt_program(); /* the kernel's tick alone: its next one */
    }
    return tick;
}

/* Arm x (not armed, its owner set): fire at once if already due. */
static void vt_arm(vcpu_timer_t *x, uint64_t deadline, word_t period, word_t line, uint64_t now)
{
    x->deadline = deadline;
    x->period = period;
    x->line = line;
    if (deadline <= now) {
        vt_fire(x); /* already due: at once */
        if (period)
            vt_advance(x, now);
    }
    if (deadline > now || period)
        vt_insert(x);
    vt_program();
}

/* set_timer's act (cannot fail): replaces what the timer had armed. */
static void vcpu_timer_set(vcpu_t *v, word_t i, uint64_t deadline, word_t period, word_t line,
                           uint64_t now)
{
    vcpu_timer_t *x = &v->timer[i];
    if (x->armed)
        vt_remove(x);
    x->vcpu = v;
    x->thread = NULL;
    x->index = i;
    vt_arm(x, deadline, period, line, now);
}

void vcpu_timer_disarm_all(vcpu_t *v)
{
    bool any = false;
    for (unsigned i = 0; i < L4_VCPU_TIMERS; i++) {
        if (v->timer[i].armed) {
            vt_remove(&v->timer[i]);
            any = true;
        }
    }
    if (any)
        vt_program();
}

static word_t vt_min_period(void)
{
    static word_t ticks; /* of L4_VCPU_TIMER_MIN_PERIOD_US, once known */
    if (!ticks)
        ticks = plat_timer_us_to_ticks(L4_VCPU_TIMER_MIN_PERIOD_US);
    return ticks;
}

/* The checks vcpu_set_timer and tcb_set_timer share, after their own: the
 * period's minimum, then a relative deadline made absolute (*now: the
 * counter it was read at). */
static word_t decode_deadline(word_t flags, uint64_t *deadline, word_t period, uint64_t *now)
{
    if (period && period < vt_min_period())
        return L4_ERR_PERIOD_TOO_SHORT;
    *now = plat_timer_now();
    if (flags & L4_VCPU_TIMER_RELATIVE) {
        if (*deadline > VCPU_TIMER_NEVER - *now)
            return L4_ERR_INVALID_ARGUMENT; /* past the counter's range */
        *deadline += *now;
    }
    return L4_ERR_OK;
}

static word_t decode_set_timer(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 6)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t i = inv_arg(inv, 0), flags = inv_arg(inv, 1), line = inv_arg(inv, 2);
    uint64_t deadline = inv_arg(inv, 3) | (uint64_t)inv_arg(inv, 4) << 32;
    word_t period = inv_arg(inv, 5);
    if (!v->tcb)
        return L4_ERR_ILLEGAL_OPERATION;
    if (i >= L4_VCPU_TIMERS)
        return L4_ERR_RANGE_ERROR;
    if (flags & ~(word_t)L4_VCPU_TIMER_RELATIVE)
        return L4_ERR_INVALID_ARGUMENT;
    if (line >= L4_VCPU_TIMER_LINES)
        return L4_ERR_INVALID_LINE;
    uint64_t now;
    word_t err = decode_deadline(flags, &deadline, period, &now);
    if (err)
        return err;
    vcpu_timer_set(v, i, deadline, period, line, now);
    return L4_ERR_OK;
}

/* cancel_timer's act (cannot fail). */
static void vcpu_timer_cancel(vcpu_t *v, word_t i)
{
    if (v->timer[i].armed) {
        vt_remove(&v->timer[i]);
        vt_program();
    }
}

static word_t decode_cancel_timer(invocation_t *inv, vcpu_t *v)
{
    if (inv->length < 1)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t i = inv_arg(inv, 0);
    if (!v->tcb)
        return L4_ERR_ILLEGAL_OPERATION;
    if (i >= L4_VCPU_TIMERS)
        return L4_ERR_RANGE_ERROR;
    vcpu_timer_cancel(v, i);
    return L4_ERR_OK;
}

word_t decode_vcpu_timer(invocation_t *inv, vcpu_t *v)
{
    switch (inv->label) {
    case L4_VCPU_SET_TIMER:
        return decode_set_timer(inv, v);
    case L4_VCPU_CANCEL_TIMER:
        return decode_cancel_timer(inv, v);
    default: { /* L4_VCPU_READ_TIME */
        uint64_t now = plat_timer_now();
        inv->out[0] = (word_t)now;
        inv->out[1] = (word_t)(now >> 32);
        inv->out[2] = plat_timer_freq();
        inv->nout = 3;
        return L4_ERR_OK;
    }
    }
}

/* A thread's timer (tcb_set_timer, tcb_cancel_timer). */

void tcb_timer_disarm(tcb_t *t)
{
    if (t->timer.armed) {
        vt_remove(&t->timer);
        vt_program();
    }
}

static word_t decode_tcb_set_timer(invocation_t *inv, tcb_t *t)
{
    if (inv->length < 5)
        return L4_ERR_TRUNCATED_MESSAGE;
    word_t flags = inv_arg(inv, 0), badge = inv_arg(inv, 1);
    uint64_t deadline = inv_arg(inv, 2) | (uint64_t)inv_arg(inv, 3) << 32;
    word_t period = inv_arg(inv, 4);
    if (!t->bound_ntfn)
        return L4_ERR_ILLEGAL_OPERATION; /* nothing to signal */
    if (flags & ~(word_t)L4_VCPU_TIMER_RELATIVE)
        return L4_ERR_INVALID_ARGUMENT;
    if (!badge)
        return L4_ERR_INVALID_ARGUMENT; /* a signal of no bits */
    uint64_t now;
    word_t err = decode_deadline(flags, &deadline, period, &now);
    if (err)
        return err;
    vcpu_timer_t *x = &t->timer;
    if (x->armed)
        vt_remove(x);
    x->vcpu = NULL;
    x->thread = t;
    x->index = 0;
    vt_arm(x, deadline, period, badge, now);
    return L4_ERR_OK;
}

word_t decode_tcb_timer(invocation_t *inv, tcb_t *t)
{
    if (inv->label == L4_TCB_SET_TIMER)
        return decode_tcb_set_timer(inv, t);
    tcb_timer_disarm(t); /* L4_TCB_CANCEL_TIMER: nothing happens if not armed */
    return L4_ERR_OK;
}

const vcpu_timer_t *vcpu_timer_heap_root(void)
{
    return vt_root;
}

word_t vcpu_timer_heap_count(void)
{
    return vcpu_timer_count;
}
