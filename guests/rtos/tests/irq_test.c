/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interrupt handlers, exercised with the port's software-triggerable lines
 * (SGIs natively): run count, arguments, critical sections holding an
 * interrupt off, a handler waking a higher-priority task, detach, the
 * priority mask; and a
 * device line (port_devirq_*: the PL031 RTC, passed through to a guest),
 * which the port must end after each handler (natively at the GIC, as a
 * guest in the state page's virq_ack) whichever way it resumes a task;
 * and the stack headroom an interrupted task needs below its sp.
 */
#include "test.h"

#define LINE (PORT_IRQ_SOFT_FIRST + 3)

static volatile uint32_t handled;
static volatile unsigned seen_line;
static void *volatile seen_arg;
static rtos_sem_t isem;

static void count_handler(unsigned line, void *arg)
{
    handled++;
    seen_line = line;
    seen_arg = arg;
}

static void handler_runs_once_per_interrupt(void)
{
    uint32_t before = rtos_irq_count(LINE);

    handled = 0;
    CHECK_EQ(rtos_irq_attach(LINE, count_handler, &isem), RTOS_OK);
    for (int i = 0; i < 100; i++)
        rtos_irq_trigger(LINE);
    CHECK_EQ(handled, 100);
    CHECK_EQ(rtos_irq_count(LINE) - before, 100);
    CHECK_EQ(seen_line, LINE);
    CHECK(seen_arg == &isem);
    rtos_irq_detach(LINE);
}

static void critical_section_defers_interrupt(void)
{
    port_irqflags_t flags;

    handled = 0;
    rtos_irq_attach(LINE, count_handler, NULL);
    flags = port_irq_save();
    rtos_irq_trigger(LINE);
    for (volatile int i = 0; i < 1000; i++)
        ;
    uint32_t inside = handled;
    port_irq_restore(flags);
    CHECK_EQ(inside, 0);
    CHECK_EQ(handled, 1);
    rtos_irq_detach(LINE);
}

static void give_handler(unsigned line, void *arg)
{
    rtos_sem_give(&isem);
}

static void irq_waiter(void *arg)
{
    if (rtos_sem_take(&isem, 1000) == RTOS_OK)
        log_char('H');
}

static void handler_wakes_higher_task_before_return(void)
{
    rtos_sem_init(&isem, 0, 1);
    rtos_irq_attach(LINE, give_handler, NULL);
    spawn("w", TEST_PRIO + 2, irq_waiter, NULL);
    log_char('T');
    rtos_irq_trigger(LINE);
    log_char('A');
    join_all();
    CHECK_LOG("THA");
    rtos_irq_detach(LINE);
}

static void detached_handler_is_not_called(void)
{
    handled = 0;
    rtos_irq_attach(LINE, count_handler, NULL);
    rtos_irq_trigger(LINE);
    CHECK_EQ(handled, 1);
    CHECK_EQ(rtos_irq_detach(LINE), RTOS_OK);
    rtos_irq_trigger(LINE);
    rtos_task_delay(1);
    CHECK_EQ(handled, 1);
    CHECK_EQ(rtos_irq_attach(PORT_IRQ_LINES, count_handler, NULL), RTOS_EINVAL);
    CHECK_EQ(rtos_irq_trigger(PORT_IRQ_SOFT_FIRST + PORT_IRQ_SOFT_COUNT), RTOS_EINVAL);
}

/*
 * The priority mask (rtos_irq_mask_priority, port.h "Interrupt
 * priorities"): natively GICC_PMR, as a guest the vCPU's virq_pmr, under
 * pre-virtualisation the runtime's GIC model. A line at or below the mask
 * waits; one above it is taken at once, even while the lower one waits;
 * the lower one comes when the mask drops.
 */
static volatile uint32_t hi_count, lo_count, lo_at_hi;

static void hi_handler(unsigned line, void *arg)
{
    hi_count++;
    lo_at_hi = lo_count;
}

static void lo_handler(unsigned line, void *arg)
{
    lo_count++;
}

static void settle(void)
{
    for (volatile int i = 0; i < 1000; i++)
        ;
}

static void priority_mask_holds_off_only_lower_lines(void)
{
    unsigned hi = PORT_IRQ_SOFT_FIRST, lo = PORT_IRQ_SOFT_FIRST + 1, old;

    hi_count = lo_count = 0;
    lo_at_hi = ~0u;
    CHECK_EQ(rtos_irq_set_priority(hi, 2), RTOS_OK);
    CHECK_EQ(rtos_irq_set_priority(lo, 12), RTOS_OK);
    CHECK_EQ(rtos_irq_set_priority(PORT_IRQ_LINES, 2), RTOS_EINVAL);
    CHECK_EQ(rtos_irq_set_priority(hi, RTOS_IRQ_PRIO_LEVELS), RTOS_EINVAL);
    rtos_irq_attach(hi, hi_handler, NULL);
    rtos_irq_attach(lo, lo_handler, NULL);
    old = rtos_irq_mask_priority(8);
    CHECK_EQ(old, RTOS_IRQ_PRIO_NONE);
    rtos_irq_trigger(lo);
    settle();
    CHECK_EQ(lo_count, 0); /* level 12: held off */
    rtos_irq_trigger(hi);
    settle();
    CHECK_EQ(hi_count, 1); /* level 2: taken at once */
    CHECK_EQ(lo_at_hi, 0); /* while 12 still waited */
    CHECK_EQ(rtos_irq_mask_priority(12), 8); /* lower, but still holds 12 */
    settle();
    CHECK_EQ(lo_count, 0);
    CHECK_EQ(rtos_irq_mask_priority(old), 12);
    settle();
    CHECK_EQ(lo_count, 1); /* taken as the mask dropped */
    /* The line's own priority decides: lo raised above the mask. */
    old = rtos_irq_mask_priority(8);
    CHECK_EQ(rtos_irq_set_priority(lo, 3), RTOS_OK);
    rtos_irq_trigger(lo);
    settle();
    CHECK_EQ(lo_count, 2);
    CHECK_EQ(rtos_irq_mask_priority(RTOS_IRQ_PRIO_NONE + 7), 8); /* above NONE: NONE */
    CHECK_EQ(rtos_irq_mask_priority(old), RTOS_IRQ_PRIO_NONE);
    rtos_irq_detach(hi);
    rtos_irq_detach(lo);
    rtos_irq_set_priority(hi, RTOS_IRQ_PRIO_DEFAULT);
    rtos_irq_set_priority(lo, RTOS_IRQ_PRIO_DEFAULT);
}

/*
 * Every software line (16 natively, the SGIs; 16 as a guest, the system
 * description's soft_irqs): each raised alone is handled once, on its
 * line; all raised with interrupts off are handled once each when they
 * come back on, in line order (one priority: the GIC takes the lowest
 * INTID first, the guest port the lowest line).
 */
#define SOFT_MAX 32
static volatile unsigned soft_order[SOFT_MAX], soft_seen;

static void soft_handler(unsigned line, void *arg)
{
    if (soft_seen < SOFT_MAX)
        soft_order[soft_seen] = line;
    soft_seen++;
}

static void every_software_line_is_delivered(void)
{
    unsigned n = PORT_IRQ_SOFT_COUNT, each = 0, ordered = 1;
    port_irqflags_t flags;

    CHECK(n >= 16);
    CHECK(n <= SOFT_MAX);
    if (n > SOFT_MAX)
        n = SOFT_MAX;
    for (unsigned k = 0; k < n; k++)
        CHECK_EQ(rtos_irq_attach(PORT_IRQ_SOFT_FIRST + k, soft_handler, NULL), RTOS_OK);
    for (unsigned k = 0; k < n; k++) {
        soft_seen = 0;
        CHECK_EQ(rtos_irq_trigger(PORT_IRQ_SOFT_FIRST + k), RTOS_OK);
        each += soft_seen == 1 && soft_order[0] == PORT_IRQ_SOFT_FIRST + k;
    }
    CHECK_EQ(each, n);
    soft_seen = 0;
    flags = port_irq_save();
    for (unsigned k = n; k-- > 0;)
        rtos_irq_trigger(PORT_IRQ_SOFT_FIRST + k);
    settle();
    CHECK_EQ(soft_seen, 0);
    port_irq_restore(flags);
    settle();
    CHECK_EQ(soft_seen, n);
    for (unsigned k = 0; k < n && k < soft_seen; k++)
        ordered &= soft_order[k] == PORT_IRQ_SOFT_FIRST + k;
    CHECK(ordered);
    for (unsigned k = 0; k < n; k++)
        rtos_irq_detach(PORT_IRQ_SOFT_FIRST + k);
}

/*
 * Nested delivery (port.h "Interrupt priorities"): while a handler runs, a
 * line of higher priority raised inside it runs at once, before the
 * handler returns (ports with PORT_IRQ_NESTS); one of the same or a lower
 * priority waits until it has returned (every port). The outer handler
 * raises the other line and spins, bounded, until that handler has run;
 * the log is the order of entries and exits.
 */
#ifndef PORT_IRQ_NESTS
#define PORT_IRQ_NESTS 0
#endif
#define NEST_SPIN 100000 /* far more than a delivery, far less than a tick */
#define NEST_OUTER_K 4 /* software lines PORT_IRQ_SOFT_FIRST + k */
#define NEST_INNER_K 5
#define NEST_LOWER_K 6
#define NEST_OUTER (PORT_IRQ_SOFT_FIRST + NEST_OUTER_K)
#define NEST_INNER (PORT_IRQ_SOFT_FIRST + NEST_INNER_K)
#define NEST_LOWER (PORT_IRQ_SOFT_FIRST + NEST_LOWER_K)
static volatile uint32_t inner_runs;
static volatile int nest_spun;

static void inner_handler(unsigned line, void *arg)
{
    log_char(line == NEST_INNER ? 'i' : 'w');
    inner_runs++;
}

/* arg: the software lines to raise (k), ~0u-terminated. */
static void outer_handler(unsigned line, void *arg)
{
    const unsigned *raise = arg;
    uint32_t want = inner_runs;
    int i;

    log_char('O');
    for (; *raise != ~0u; raise++, want++)
        rtos_irq_trigger(PORT_IRQ_SOFT_FIRST + *raise);
    for (i = 0; i < NEST_SPIN && inner_runs != want; i++)
        ;
    nest_spun = i;
    log_char('o');
}

static void nest_setup(unsigned outer, unsigned inner, unsigned lower)
{
    inner_runs = 0;
    log_reset();
    rtos_irq_set_priority(NEST_OUTER, outer);
    rtos_irq_set_priority(NEST_INNER, inner);
    rtos_irq_set_priority(NEST_LOWER, lower);
    rtos_irq_attach(NEST_INNER, inner_handler, NULL);
    rtos_irq_attach(NEST_LOWER, inner_handler, NULL);
}

static void nest_teardown(void)
{
    for (unsigned l = NEST_OUTER; l <= NEST_LOWER; l++) {
        rtos_irq_detach(l);
        rtos_irq_set_priority(l, RTOS_IRQ_PRIO_DEFAULT);
    }
}

/*
 * Levels: software lines PORT_IRQ_SOFT_FIRST + LEVEL_K + i, each with its
 * handler's entry and exit characters, the level it raises inside (or
 * none), and how often it has returned.
 */
#define LEVEL_K 7
#define LEVELS 3
struct nest_level {
    char in, out;
    struct nest_level *raise;
    volatile uint32_t done;
    int spun;
};
static struct nest_level levels[LEVELS];

static unsigned level_line(const struct nest_level *l)
{
    return PORT_IRQ_SOFT_FIRST + LEVEL_K + (unsigned)(l - levels);
}

/* Spin, bounded, until *v is want; the iterations (NEST_SPIN: it never was). */
static int spin_until(volatile uint32_t *v, uint32_t want)
{
    int i = 0;

    for (; i < NEST_SPIN && *v != want; i++)
        ;
    return i;
}

static void level_handler(unsigned line, void *arg)
{
    struct nest_level *l = arg;

    log_char(l->in);
    if (l->raise) {
        uint32_t want = l->raise->done + 1;
        rtos_irq_trigger(level_line(l->raise));
        l->spun = spin_until(&l->raise->done, want);
    }
    log_char(l->out);
    l->done++;
}

/* Level i at priority prio[i], entered as in[i], left as out[i]. */
static void levels_setup(const unsigned *prio, const char *in, const char *out)
{
    log_reset();
    for (unsigned i = 0; i < LEVELS; i++) {
        levels[i] = (struct nest_level){in[i], out[i], NULL, 0, 0};
        rtos_irq_set_priority(level_line(&levels[i]), prio[i]);
        rtos_irq_attach(level_line(&levels[i]), level_handler, &levels[i]);
    }
}

static void levels_teardown(void)
{
    for (unsigned i = 0; i < LEVELS; i++) {
        rtos_irq_detach(level_line(&levels[i]));
        rtos_irq_set_priority(level_line(&levels[i]), RTOS_IRQ_PRIO_DEFAULT);
    }
}

/* Raised together with interrupts off, lines run highest priority first
 * (the GIC's rule; as a guest the port's, pv_irq_run_ordered), whatever
 * their line order; none of them nests, as none is raised inside another. */
static void pending_lines_run_highest_priority_first(void)
{
    static const unsigned prio[LEVELS] = {12, 4, 8};
    port_irqflags_t flags;

    levels_setup(prio, "ABC", "abc");
    flags = port_irq_save();
    for (unsigned i = 0; i < LEVELS; i++)
        rtos_irq_trigger(level_line(&levels[i]));
    port_irq_restore(flags);
    settle();
    levels_teardown();
    CHECK_LOG("BbCcAa");
}

#if PORT_IRQ_NESTS
static void higher_line_preempts_a_running_handler(void)
{
    static const unsigned raise[] = {NEST_INNER_K, ~0u};

    nest_setup(12, 2, 12);
    rtos_irq_attach(NEST_OUTER, outer_handler, (void *)raise);
    rtos_irq_trigger(NEST_OUTER);
    settle();
    nest_teardown();
    CHECK_LOG("Oio");
    CHECK(nest_spun < NEST_SPIN);
}

/* Three priorities, each handler raising the next higher one: each
 * preempts the one below, three handlers deep, and each returns before
 * the one it preempted goes on. */
static void three_levels_each_preempt_the_one_below(void)
{
    static const unsigned prio[LEVELS] = {12, 8, 4};

    levels_setup(prio, "ABC", "abc");
    levels[0].raise = &levels[1];
    levels[1].raise = &levels[2];
    rtos_irq_trigger(level_line(&levels[0]));
    settle();
    levels_teardown();
    CHECK_LOG("ABCcba");
    CHECK(levels[0].spun < NEST_SPIN);
    CHECK(levels[1].spun < NEST_SPIN);
    CHECK_EQ(levels[2].done, 1);
}

/*
 * The priority mask inside a nesting handler (line A at 12): with the mask
 * at 6, line B (8: above A, but at or below the mask) waits while line C
 * (4: above both) preempts at once; B preempts A as the mask drops, before
 * the drop returns, and A's end comes last.
 */
static void mask_handler(unsigned line, void *arg)
{
    int *held = arg;
    unsigned old;

    log_char('A');
    old = rtos_irq_mask_priority(6);
    log_char('m');
    rtos_irq_trigger(level_line(&levels[1])); /* B: held off by the mask */
    *held = spin_until(&levels[1].done, 1);
    rtos_irq_trigger(level_line(&levels[2])); /* C: at once */
    (void)spin_until(&levels[2].done, 1);
    log_char('M');
    rtos_irq_mask_priority(old); /* B: before this returns */
    (void)spin_until(&levels[1].done, 1);
    log_char('a');
}

static void mask_holds_off_a_higher_line_inside_a_handler(void)
{
    static const unsigned prio[LEVELS] = {12, 8, 4};
    int held = -1;

    levels_setup(prio, "-BC", "-bc");
    rtos_irq_attach(level_line(&levels[0]), mask_handler, &held); /* A: its own */
    rtos_irq_trigger(level_line(&levels[0]));
    settle();
    levels_teardown();
    CHECK_LOG("AmCcMBba");
    CHECK_EQ(held, NEST_SPIN);
    CHECK_EQ(rtos_irq_mask_priority(RTOS_IRQ_PRIO_NONE), RTOS_IRQ_PRIO_NONE);
}
/*
 * The deepest chain the priorities allow (rtos/port.h, "such a port's
 * kernel stack"): RTOS_IRQ_PRIO_LEVELS handlers on software lines 0..14 at
 * priorities 14..0, each raising the next higher one and using half its
 * stack budget (RTOS_IRQ_HANDLER_STACK) in a frame of its own; the top one
 * runs masked (no line is above it). The port's kernel stack is painted
 * first (with interrupts off nothing is on it); its high-water mark after
 * the chain is at least the handlers' frames and leaves a level's budget
 * of margin (the port's nested-entry check would have stopped the machine
 * before less than that was left).
 */
#define DEEP RTOS_IRQ_PRIO_LEVELS
#define DEEP_FRAME (RTOS_IRQ_HANDLER_STACK / 2)
#define DEEP_PAINT 0xdeadbea7u
static volatile uint32_t deep_done[DEEP];
static volatile int deep_spun[DEEP];

static void deep_handler(unsigned line, void *arg)
{
    unsigned k = (unsigned)(uintptr_t)arg;
    volatile uint8_t frame[DEEP_FRAME];

    for (unsigned i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)k;
    log_char((char)('A' + k));
    if (k + 1 < DEEP) {
        uint32_t want = deep_done[k + 1] + 1;
        rtos_irq_trigger(PORT_IRQ_SOFT_FIRST + k + 1);
        deep_spun[k] = spin_until(&deep_done[k + 1], want);
    }
    log_char((char)('a' + k));
    deep_done[k]++;
}

/* The bytes of the port's kernel stack ever written since it was painted. */
static uint32_t kstack_used(void)
{
    const uint32_t *w = (const uint32_t *)(void *)PORT_IRQ_STACK_LO;

    while ((const char *)w < PORT_IRQ_STACK_HI && *w == DEEP_PAINT)
        w++;
    return (uint32_t)(PORT_IRQ_STACK_HI - (const char *)w);
}

static void deepest_chain_fits_the_kernel_stack(void)
{
    uint32_t size = (uint32_t)(PORT_IRQ_STACK_HI - PORT_IRQ_STACK_LO), used, spun = 0;
    char want[2 * DEEP + 1];
    port_irqflags_t flags;

    CHECK(PORT_IRQ_SOFT_COUNT >= DEEP);
    log_reset();
    for (unsigned k = 0; k < DEEP; k++) {
        deep_done[k] = 0;
        want[k] = (char)('A' + k);
        want[2 * DEEP - 1 - k] = (char)('a' + k);
        rtos_irq_set_priority(PORT_IRQ_SOFT_FIRST + k, DEEP - 1 - k);
        rtos_irq_attach(PORT_IRQ_SOFT_FIRST + k, deep_handler, (void *)(uintptr_t)k);
    }
    want[2 * DEEP] = 0;
    flags = port_irq_save();
    for (uint32_t *w = (uint32_t *)(void *)PORT_IRQ_STACK_LO; (char *)w < PORT_IRQ_STACK_HI; w++)
        *w = DEEP_PAINT;
    port_irq_restore(flags);
    rtos_irq_trigger(PORT_IRQ_SOFT_FIRST);
    settle();
    used = kstack_used();
    for (unsigned k = 0; k < DEEP; k++) {
        rtos_irq_detach(PORT_IRQ_SOFT_FIRST + k);
        rtos_irq_set_priority(PORT_IRQ_SOFT_FIRST + k, RTOS_IRQ_PRIO_DEFAULT);
        spun += k + 1 < DEEP && deep_spun[k] < NEST_SPIN;
    }
    CHECK_LOG(want);
    CHECK_EQ(spun, DEEP - 1); /* each preempted the one below */
    CHECK(used >= DEEP * DEEP_FRAME);
    CHECK(used + RTOS_IRQ_HANDLER_STACK <= size);
}
#define NEST_CASES                                                                                 \
    , TEST_CASE(higher_line_preempts_a_running_handler),                                           \
        TEST_CASE(deepest_chain_fits_the_kernel_stack),                                            \
        TEST_CASE(three_levels_each_preempt_the_one_below),                                        \
        TEST_CASE(mask_holds_off_a_higher_line_inside_a_handler),                                  \
        TEST_CASE(device_line_preempts_a_handler_and_comes_again)
#else
#define NEST_CASES /* handlers never nest: the case is not registered */
#endif

static void same_or_lower_line_waits_for_the_handler(void)
{
    static const unsigned raise[] = {NEST_INNER_K, NEST_LOWER_K, ~0u};

    nest_setup(8, 8, 12); /* inner: the same priority; lower: below it */
    /* A line above them all (unattached): where the port nests, the outer
     * handler runs with interrupts on, and still neither comes inside it. */
    rtos_irq_set_priority(level_line(&levels[0]), 2);
    rtos_irq_attach(NEST_OUTER, outer_handler, (void *)raise);
    rtos_irq_trigger(NEST_OUTER);
    settle();
    nest_teardown();
    rtos_irq_set_priority(level_line(&levels[0]), RTOS_IRQ_PRIO_DEFAULT);
    CHECK_LOG("Ooiw"); /* both after it, in priority order */
    CHECK_EQ(nest_spun, NEST_SPIN);
}

/* A device interrupt raised now is handled within a bounded spin (far
 * shorter than a tick, whose resume would take a late acknowledgement). */
#define DEV_SPIN 20000
static volatile uint32_t dev_handled;
static int dev_line;

static void dev_handler(unsigned line, void *arg)
{
    port_devirq_clear();
    dev_handled++;
    if (arg)
        rtos_sem_give(arg);
}

static bool dev_raise_and_wait(void)
{
    uint32_t before = dev_handled;

    port_devirq_raise();
    for (int i = 0; i < DEV_SPIN; i++)
        if (dev_handled != before)
            return true;
    return false;
}

/* A task the handler woke (it blocked: resumed as yielded) raises the
 * line again at once: it must be ended already. */
static void dev_waiter(void *arg)
{
    int again = 0;

    for (int i = 0; i < 10; i++)
        if (rtos_sem_take(&isem, 1000) == RTOS_OK && dev_raise_and_wait())
            again++;
    if (again == 10)
        log_char('W');
}

static void device_line_comes_again_after_every_resume(void)
{
    int ok = 0;

    dev_line = port_devirq_line();
    CHECK(dev_line >= 0);
    if (dev_line < 0)
        return;
    /* The handler returns to the task it interrupted. */
    dev_handled = 0;
    CHECK_EQ(rtos_irq_attach((unsigned)dev_line, dev_handler, NULL), RTOS_OK);
    for (int i = 0; i < 20; i++)
        ok += dev_raise_and_wait();
    CHECK_EQ(ok, 20);
    rtos_irq_detach((unsigned)dev_line);
    /* The handler wakes a more urgent task, which runs first. */
    rtos_sem_init(&isem, 0, 1);
    CHECK_EQ(rtos_irq_attach((unsigned)dev_line, dev_handler, &isem), RTOS_OK);
    spawn("dw", TEST_PRIO + 2, dev_waiter, NULL);
    for (int i = 0; i < 10; i++)
        dev_raise_and_wait();
    join_all();
    CHECK_LOG("W");
    rtos_irq_detach((unsigned)dev_line);
}

#if PORT_IRQ_NESTS
/* The device line at a higher priority than a software line preempts that
 * line's handler, which raises it (natively ended at the GIC inside it; as
 * a guest acknowledged in virq_ack by the nested level, which the
 * preempted handler's vcpu_resume takes), and comes again at once after. */
static void dev_outer_handler(unsigned line, void *arg)
{
    log_char('O');
    *(volatile int *)arg = dev_raise_and_wait();
    log_char('o');
}

static void device_line_preempts_a_handler_and_comes_again(void)
{
    unsigned outer = level_line(&levels[0]);
    volatile int inside = 0;
    int ok = 0;

    dev_line = port_devirq_line();
    CHECK(dev_line >= 0);
    if (dev_line < 0)
        return;
    dev_handled = 0;
    log_reset();
    rtos_irq_set_priority(outer, 12);
    rtos_irq_set_priority((unsigned)dev_line, 4);
    CHECK_EQ(rtos_irq_attach((unsigned)dev_line, dev_handler, NULL), RTOS_OK);
    rtos_irq_attach(outer, dev_outer_handler, (void *)&inside);
    rtos_irq_trigger(outer);
    settle();
    for (int i = 0; i < 5; i++)
        ok += dev_raise_and_wait();
    rtos_irq_detach(outer);
    rtos_irq_detach((unsigned)dev_line);
    rtos_irq_set_priority(outer, RTOS_IRQ_PRIO_DEFAULT);
    rtos_irq_set_priority((unsigned)dev_line, RTOS_IRQ_PRIO_DEFAULT);
    CHECK_LOG("Oo");
    CHECK(inside);
    CHECK_EQ(ok, 5);
    CHECK_EQ(dev_handled, 6);
}
#endif

/*
 * A task interrupted with interrupts on may find the HEADROOM bytes right
 * below its sp written when it runs again, never anything further down:
 * the paravirtual port resumes it by a jump through a 15-word frame there
 * (arch/pv/entry.S, pv_resume_interrupted; docs/vcpu.md, "Resuming without
 * the kernel"), the native port writes nothing below sp. So a task's stack
 * needs that much headroom below its deepest sp, and no more. The task
 * fills GUARD words below the headroom with a pattern, spins in registers
 * only (nothing of its own below sp) until the tick has interrupted it
 * HEADROOM_TICKS times (each resumes it: nothing else is ready), and counts
 * the guard words that changed (none of its other registers holds the
 * pattern, so a frame written one word too low is seen).
 */
#define HEADROOM 60
#define GUARD 64
#define HEADROOM_TICKS 3
#define HEADROOM_SPIN 10000000u /* 3 ticks are ~3 M instructions */
static volatile uint32_t ticks_seen;

static void tick_counter(rtos_timer_t *t, void *arg)
{
    ticks_seen++;
}

static void interrupt_writes_nothing_below_the_headroom(void)
{
    rtos_timer_t tm;
    uint32_t left = HEADROOM_SPIN, changed, want;

    CHECK_EQ(rtos_timer_init(&tm, tick_counter, NULL), RTOS_OK);
    CHECK_EQ(rtos_timer_start(&tm, 1, 1), RTOS_OK);
    want = ticks_seen + HEADROOM_TICKS + 1; /* after the first (partial) tick */
    __asm__ volatile("sub   r2, sp, %[hr]\n"          /* the guard: GUARD words */
                     "sub   r3, r2, %[g]\n"           /* below sp - HEADROOM */
                     "1:    str   %[pat], [r2, #-4]!\n"
                     "cmp   r2, r3\n"
                     "bne   1b\n"
                     "mvn   r0, %[pat]\n"             /* no register holds the */
                     "mvn   r1, %[pat]\n"             /* pattern but its own */
                     "2:    ldr   r2, [%[cnt]]\n"     /* spin until the ticks came */
                     "cmp   r2, %[want]\n"
                     "beq   3f\n"
                     "subs  %[left], %[left], #1\n"
                     "bne   2b\n"
                     "3:    sub   r2, sp, %[hr]\n"    /* r3: the guard's bottom */
                     "mov   %[chg], #0\n"
                     "4:    ldr   ip, [r3], #4\n"
                     "cmp   ip, %[pat]\n"
                     "addne %[chg], %[chg], #1\n"
                     "cmp   r3, r2\n"
                     "bne   4b\n"
                     : [left] "+&r"(left), [chg] "=&r"(changed)
                     : [pat] "r"(0x5afe5afeu), [cnt] "r"(&ticks_seen), [want] "r"(want),
                       [hr] "I"(HEADROOM), [g] "I"(GUARD * 4)
                     : "r0", "r1", "r2", "r3", "ip", "cc", "memory");
    rtos_timer_stop(&tm);
    CHECK(left != 0); /* the ticks interrupted the spin */
    CHECK_EQ(changed, 0);
}

TEST_SUITE(irq_suite, TEST_CASE(handler_runs_once_per_interrupt),
           TEST_CASE(critical_section_defers_interrupt),
           TEST_CASE(handler_wakes_higher_task_before_return),
           TEST_CASE(detached_handler_is_not_called),
           TEST_CASE(device_line_comes_again_after_every_resume),
           TEST_CASE(interrupt_writes_nothing_below_the_headroom),
           TEST_CASE(priority_mask_holds_off_only_lower_lines),
           TEST_CASE(every_software_line_is_delivered),
           TEST_CASE(same_or_lower_line_waits_for_the_handler),
           TEST_CASE(pending_lines_run_highest_priority_first) NEST_CASES);
