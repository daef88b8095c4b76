/* SPDX-License-Identifier: BSD-2-Clause */
/* Property test of the vCPU timers (kernel/object/vcpu_timer.c) against a
 * model: per vCPU and timer, armed or not, deadline, period, line. Random
 * set_timer requests (deadlines past and future, one-shot and periodic,
 * replacing what was armed), cancels, unbinds and rebinds, and timer
 * interrupts after the counter moved; after each, the full invariant: the
 * heap's links, order and shape (complete: positions 1..count), armed
 * flags equal to the model's, and the physical timer programmed for the
 * model's earliest deadline. Every interrupt fires exactly the model's due
 * timers, in deadline order, at most VCPU_TIMER_BATCH per interrupt; a
 * timer fired is one the kernel disarmed (one-shot) or moved on (periodic),
 * and its line must be exactly what became pending in its vCPU's state page
 * (straight, or through the bound notification's waiter: a third of the
 * vCPUs have a bound notification, a third one with a waiter).
 * vcpu_timer.c is included so that its heap can be checked directly. */
#include "prop.h"
#include "../../kernel/object/vcpu_timer.c"

#define VCPUS 12
#define MIN_PERIOD 10u /* plat_timer_us_to_ticks(L4_VCPU_TIMER_MIN_PERIOD_US) here */

uint64_t unit_timer_now;
static uint64_t programmed;
static tcb_t th[VCPUS];
static vcpu_t vc[VCPUS];
static word_t pages[VCPUS][64];
static word_t args[8];
static notification_t nt[VCPUS];
static tcb_t waiter;
static word_t woken[VCPUS]; /* the bits the waiter of nt[v] woke with */
/* The shapes the generator must reach (checked at the end). */
static unsigned seen_alone, seen_batch_full, seen_waiter, seen_missed;

/* the model */
static struct { bool armed; uint64_t deadline; word_t period, line; } m[VCPUS][L4_VCPU_TIMERS];

/* What vcpu_timer.c calls. */
bool plat_timer_tick_due(uint64_t now)
{
    (void)now;
    return false;
}
void plat_timer_program(uint64_t deadline)
{
    programmed = deadline;
}
word_t plat_timer_us_to_ticks(word_t us)
{
    return us / 10;
}
word_t plat_timer_freq(void)
{
    return 1000000;
}
word_t inv_arg(const invocation_t *inv, unsigned i)
{
    (void)inv;
    return args[i];
}
/* Only for a bound notification with a waiter: the waiter wakes with the
 * bits. */
void notification_signal(notification_t *n, word_t badge)
{
    unsigned v = (unsigned)(n - nt);
    assert_true(v < VCPUS && th[v].bound_ntfn == n);
    PROP_CHECK(n->head != NULL, "notification_signal without a waiter\n");
    woken[v] |= badge;
    seen_waiter++;
}

/* What was delivered to v since the last look: to its waiter if its bound
 * notification has one, else pending in its state page (never both). */
static word_t take_pending(unsigned v)
{
    word_t *mine = nt[v].head ? &woken[v] : &pages[v][L4_VCPU_STATE_VIRQ_PENDING];
    word_t *other = nt[v].head ? &pages[v][L4_VCPU_STATE_VIRQ_PENDING] : &woken[v];
    PROP_CHECK(*other == 0, "vcpu %u: delivered the wrong way\n", v);
    word_t bits = *mine;
    *mine = 0;
    return bits;
}

/* Walk the heap by position; check links, order, shape, and that it holds
 * exactly the model's armed timers. */
static void check_heap(const vcpu_timer_t *x, word_t k, word_t *n)
{
    if (!x)
        return;
    PROP_CHECK(k <= vcpu_timer_count, "position %lu of %lu\n", (unsigned long)k,
               (unsigned long)vcpu_timer_count);
    PROP_CHECK(x->armed == 1, "a node not armed\n");
    unsigned v = (unsigned)(x->vcpu - vc);
    PROP_CHECK(v < VCPUS && &vc[v].timer[x->index] == x, "a node not a timer\n");
    PROP_CHECK(m[v][x->index].armed && m[v][x->index].deadline == x->deadline &&
                   m[v][x->index].period == x->period && m[v][x->index].line == x->line,
               "vcpu %u timer %lu differs from the model\n", v, (unsigned long)x->index);
    (*n)++;
    for (int side = 0; side < 2; side++) {
        const vcpu_timer_t *c = side ? x->right : x->left;
        if (!c)
            continue;
        PROP_CHECK(c->parent == x, "child's parent link\n");
        PROP_CHECK(c->deadline >= x->deadline, "heap order\n");
        check_heap(c, 2 * k + (word_t)side, n);
    }
}

static void check_all(void)
{
    word_t n = 0;
    uint64_t earliest = VCPU_TIMER_NEVER;
    unsigned armed = 0;
    PROP_CHECK(!vt_root || !vt_root->parent, "root's parent\n");
    check_heap(vt_root, 1, &n);
    for (unsigned v = 0; v < VCPUS; v++)
        for (unsigned i = 0; i < L4_VCPU_TIMERS; i++) {
            PROP_CHECK(vc[v].timer[i].armed == m[v][i].armed, "vcpu %u timer %u armed %lu\n", v,
                       i, (unsigned long)vc[v].timer[i].armed);
            if (m[v][i].armed) {
                armed++;
                if (m[v][i].deadline < earliest)
                    earliest = m[v][i].deadline;
            }
        }
    PROP_CHECK(n == vcpu_timer_count && n == armed, "%lu nodes, count %lu, model %u\n",
               (unsigned long)n, (unsigned long)vcpu_timer_count, armed);
    PROP_CHECK(programmed == earliest, "programmed %llu, earliest %llu\n",
               (unsigned long long)programmed, (unsigned long long)earliest);
}

static void model_advance(unsigned v, unsigned i, uint64_t now)
{
    m[v][i].deadline += m[v][i].period;
    if (m[v][i].deadline <= now) {
        m[v][i].deadline = now + m[v][i].period;
        seen_missed++;
    }
}

/* The timers the interrupt just taken fired: of the model's due ones,
 * those the kernel disarmed (one-shot) or moved on (periodic). At most
 * `bound`, in deadline order (none left due is earlier than one fired),
 * their lines exactly what became pending for each vCPU; each is consumed
 * in the model (advanced or disarmed). Returns how many fired. */
static unsigned match_fired(uint64_t now, unsigned bound)
{
    uint64_t latest_fired = 0, earliest_left = VCPU_TIMER_NEVER;
    unsigned count = 0;
    for (unsigned v = 0; v < VCPUS; v++) {
        word_t bits = 0;
        for (unsigned i = 0; i < L4_VCPU_TIMERS; i++) {
            const vcpu_timer_t *x = &vc[v].timer[i];
            if (!m[v][i].armed || m[v][i].deadline > now)
                continue;
            bool fired = m[v][i].period ? x->deadline != m[v][i].deadline : !x->armed;
            if (!fired) {
                if (m[v][i].deadline < earliest_left)
                    earliest_left = m[v][i].deadline;
                continue;
            }
            count++;
            bits |= BIT(m[v][i].line);
            if (m[v][i].deadline > latest_fired)
                latest_fired = m[v][i].deadline;
            if (m[v][i].period)
                model_advance(v, i, now);
            else
                m[v][i].armed = false;
        }
        word_t got = take_pending(v);
        PROP_CHECK(got == bits, "vcpu %u: lines %lx pending, %lx fired\n", v,
                   (unsigned long)got, (unsigned long)bits);
    }
    PROP_CHECK(count <= bound, "%u fired: batch bound\n", count);
    seen_batch_full += count == bound;
    PROP_CHECK(latest_fired <= earliest_left, "fired out of deadline order\n");
    return count;
}

static void op_set(void)
{
    unsigned v = prop_below(VCPUS), i = prop_below(L4_VCPU_TIMERS);
    uint64_t now = unit_timer_now;
    uint64_t deadline = prop_below(8) == 0 ? now - prop_below(2000) : now + prop_below(5000);
    word_t period = prop_below(3) ? 0 : MIN_PERIOD + prop_below(3000);
    word_t line = prop_below(L4_VCPU_TIMER_LINES);
    bool rel = prop_below(2);
    args[0] = i;
    args[1] = rel ? L4_VCPU_TIMER_RELATIVE : 0;
    args[2] = line;
    uint64_t given = rel ? deadline - now : deadline;
    if (rel && deadline < now)
        given = 0, deadline = now;
    args[3] = (word_t)given;
    args[4] = (word_t)(given >> 32);
    args[5] = period;
    invocation_t inv = {.label = L4_VCPU_SET_TIMER, .length = 6};
    word_t want = vc[v].tcb ? L4_ERR_OK : L4_ERR_ILLEGAL_OPERATION;
    PROP_CHECK(decode_vcpu_timer(&inv, &vc[v]) == want, "set_timer\n");
    word_t got = take_pending(v);
    if (want != L4_ERR_OK) {
        PROP_CHECK(got == 0, "a refused set_timer fired\n");
        return;
    }
    m[v][i].armed = true;
    m[v][i].deadline = deadline;
    m[v][i].period = period;
    m[v][i].line = line;
    if (deadline <= now) { /* at once */
        PROP_CHECK(got == BIT(line), "a passed deadline fires at once\n");
        if (period)
            model_advance(v, i, now);
        else
            m[v][i].armed = false;
    } else {
        PROP_CHECK(got == 0, "a future deadline fired at once\n");
    }
}

static void op_cancel(void)
{
    unsigned v = prop_below(VCPUS), i = prop_below(L4_VCPU_TIMERS);
    args[0] = i;
    invocation_t inv = {.label = L4_VCPU_CANCEL_TIMER, .length = 1};
    word_t want = vc[v].tcb ? L4_ERR_OK : L4_ERR_ILLEGAL_OPERATION;
    PROP_CHECK(decode_vcpu_timer(&inv, &vc[v]) == want, "cancel_timer\n");
    if (want == L4_ERR_OK)
        m[v][i].armed = false;
}

static void op_unbind_or_rebind(void)
{
    unsigned v = prop_below(VCPUS);
    if (vc[v].tcb) {
        vcpu_timer_disarm_all(&vc[v]);
        vc[v].tcb = NULL;
        for (unsigned i = 0; i < L4_VCPU_TIMERS; i++)
            m[v][i].armed = false;
    } else {
        vc[v].tcb = &th[v];
    }
}

static void op_interrupt(void)
{
    unit_timer_now += prop_below(4) ? prop_below(1500) : prop_below(20000);
    uint64_t now = unit_timer_now;
    for (unsigned round = 0;; round++) {
        PROP_CHECK(round < VCPUS * L4_VCPU_TIMERS, "interrupts without end\n");
        PROP_CHECK(!vcpu_timer_irq(), "kernel tick\n");
        match_fired(now, VCPU_TIMER_BATCH);
        bool left = false;
        for (unsigned v = 0; v < VCPUS; v++)
            for (unsigned i = 0; i < L4_VCPU_TIMERS; i++)
                left |= m[v][i].armed && m[v][i].deadline <= now;
        /* Due timers left: the compare value passed, the next interrupt
         * at once; none: none until the earliest deadline. */
        PROP_CHECK(left == (programmed <= now), "programmed %llu at %llu, due left %d\n",
                   (unsigned long long)programmed, (unsigned long long)now, left);
        if (!left)
            break;
    }
    for (unsigned v = 0; v < VCPUS; v++)
        for (unsigned i = 0; i < L4_VCPU_TIMERS; i++)
            PROP_CHECK(!m[v][i].armed || m[v][i].deadline > now, "a due timer did not fire\n");
}

/* Every timer of every bound vCPU due at once: an interrupt fires
 * VCPU_TIMER_BATCH of them, the earliest, and leaves the rest due (the
 * compare value passed: the next interrupt is pending at once). */
static void op_storm(void)
{
    unsigned due = 0;
    for (unsigned v = 0; v < VCPUS; v++)
        for (unsigned i = 0; i < L4_VCPU_TIMERS && vc[v].tcb; i++) {
            uint64_t d = unit_timer_now + 1 + prop_below(50);
            args[0] = i, args[1] = 0, args[2] = prop_below(L4_VCPU_TIMER_LINES);
            args[3] = (word_t)d, args[4] = (word_t)(d >> 32), args[5] = 0;
            invocation_t inv = {.label = L4_VCPU_SET_TIMER, .length = 6};
            PROP_CHECK(decode_vcpu_timer(&inv, &vc[v]) == L4_ERR_OK, "storm set\n");
            m[v][i] = (typeof(m[v][i])){true, d, 0, args[2]};
            due++;
        }
    unit_timer_now += 100;
    PROP_CHECK(!vcpu_timer_irq(), "kernel tick\n");
    unsigned want = due < VCPU_TIMER_BATCH ? due : VCPU_TIMER_BATCH;
    unsigned n = match_fired(unit_timer_now, VCPU_TIMER_BATCH);
    PROP_CHECK(n == want, "%u fired of %u due\n", n, due);
    PROP_CHECK((due > VCPU_TIMER_BATCH) == (programmed <= unit_timer_now), "rest due\n");
    /* op_interrupt moves on from here and fires the rest */
    op_interrupt();
}

/* One periodic timer alone in the heap (a guest's tick, the kernel's fast
 * expiry): every other timer cancelled, then interrupts on time, late and
 * after missed periods. */
static void op_alone(void)
{
    unsigned v = prop_below(VCPUS), i = prop_below(L4_VCPU_TIMERS);
    if (!vc[v].tcb)
        return;
    for (unsigned w = 0; w < VCPUS; w++)
        for (unsigned j = 0; j < L4_VCPU_TIMERS && vc[w].tcb; j++) {
            args[0] = j;
            invocation_t inv = {.label = L4_VCPU_CANCEL_TIMER, .length = 1};
            PROP_CHECK(decode_vcpu_timer(&inv, &vc[w]) == L4_ERR_OK, "cancel_timer\n");
            m[w][j].armed = false;
        }
    word_t period = MIN_PERIOD + prop_below(3000);
    uint64_t d = unit_timer_now + 1 + prop_below(period);
    args[0] = i, args[1] = 0, args[2] = prop_below(L4_VCPU_TIMER_LINES);
    args[3] = (word_t)d, args[4] = (word_t)(d >> 32), args[5] = period;
    invocation_t inv = {.label = L4_VCPU_SET_TIMER, .length = 6};
    PROP_CHECK(decode_vcpu_timer(&inv, &vc[v]) == L4_ERR_OK, "alone set\n");
    m[v][i] = (typeof(m[v][i])){true, d, period, args[2]};
    for (unsigned k = prop_below(6); k; k--) {
        op_interrupt();
        check_all();
        seen_alone += m[v][i].deadline != d; /* it fired, alone */
        d = m[v][i].deadline;
    }
}

static void vtimer_random_operations_match_the_model(void **state)
{
    (void)state;
    unit_timer_now = 1000000;
    programmed = VCPU_TIMER_NEVER;
    for (unsigned v = 0; v < VCPUS; v++) {
        vc[v].tcb = &th[v];
        vc[v].state = pages[v];
        th[v].vcpu = &vc[v];
        if (v % 3) { /* a bound notification; with a waiter (the idle guest) */
            th[v].bound_ntfn = &nt[v];
            nt[v].bound = &th[v];
            nt[v].head = v % 3 == 2 ? &waiter : NULL;
        }
    }
    for (prop_step = 0; prop_step < prop_steps; prop_step++) {
        switch (prop_below(10)) {
        case 0: case 1: case 2: case 3: op_set(); break;
        case 4: case 5: op_interrupt(); break;
        case 6: op_cancel(); break;
        case 7: op_unbind_or_rebind(); break;
        case 8: {
            unsigned r = prop_below(8);
            if (r == 0) {
                op_storm();
                break;
            }
            if (r == 1) {
                op_alone();
                break;
            }
        }
            /* fall through */
        default: /* a burst of requests, then one interrupt */
            for (unsigned k = 0; k < 6; k++)
                op_set();
            op_interrupt();
            break;
        }
        check_all();
    }
    /* The generator reached what matters: a tick alone (the fast expiry),
     * a full batch, a waiter woken, missed periods. */
    if (prop_steps >= 2000)
        PROP_CHECK(seen_alone && seen_batch_full && seen_waiter && seen_missed,
                   "shapes not reached: alone %u, full batch %u, waiter %u, missed %u\n",
                   seen_alone, seen_batch_full, seen_waiter, seen_missed);
}

/* Errors change nothing (docs/vcpu.md, "The virtual timer"). */
static void vtimer_errors_in_order_and_nothing_changes(void **state)
{
    (void)state;
    vcpu_t v = {0};
    tcb_t t = {0};
    invocation_t inv = {.label = L4_VCPU_SET_TIMER, .length = 5};
    unit_timer_now = 1000;
    assert_int_equal(decode_vcpu_timer(&inv, &v), L4_ERR_TRUNCATED_MESSAGE);
    inv.length = 6;
    word_t a[][6] = {
        {0, 0, 1, 5, 0, 0},                    /* unbound */
        {L4_VCPU_TIMERS, 0, 1, 5, 0, 0},       /* bad index */
        {0, 2, 1, 5, 0, 0},                    /* bad flag */
        {0, 0, 32, 5, 0, 0},                   /* bad line */
        {0, 0, 1, 5, 0, MIN_PERIOD - 1},       /* period too short */
        {0, 1, 1, 0xffffffffu, 0xffffffffu, 0}, /* relative: past the counter */
    };
    word_t want[] = {L4_ERR_ILLEGAL_OPERATION, L4_ERR_RANGE_ERROR, L4_ERR_INVALID_ARGUMENT,
                     L4_ERR_INVALID_LINE, L4_ERR_PERIOD_TOO_SHORT, L4_ERR_INVALID_ARGUMENT};
    for (unsigned k = 0; k < ARRAY_SIZE(a); k++) {
        memcpy(args, a[k], sizeof a[k]);
        if (k == 1)
            v.tcb = &t; /* bound from here on */
        assert_int_equal(decode_vcpu_timer(&inv, &v), want[k]);
        assert_int_equal(v.timer[0].armed, 0);
    }
    assert_int_equal(vcpu_timer_count, 0);
}

int main(int argc, char **argv)
{
    prop_args(argc, argv);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(vtimer_errors_in_order_and_nothing_changes),
        cmocka_unit_test(vtimer_random_operations_match_the_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
