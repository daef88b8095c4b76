/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What an interrupt hands back to the task it interrupted: its condition
 * flags (N Z C V Q GE) and r0-r12, lr, on every port. The task spins in
 * tests/flags_spin.S, which never writes a flag in its loop and checks
 * them and every register each round, while a periodic timer (in the tick)
 * raises a software interrupt whose handler writes other flags, and a
 * higher-priority task woken by every tick preempts it and spins with
 * other flags and registers of its own. The spin ends after SPIN_EVENTS
 * handler runs (or a bound of rounds), and the counts show that the tick,
 * the handler and the preemption all came during it, so neither test
 * passes without interrupts.
 */
#include "test.h"

#define LINE (PORT_IRQ_SOFT_FIRST + 2)
#define SPIN_EVENTS 8
#define SPIN_ROUNDS 1000000 /* ~90 instructions a round: ~90 ticks */
#define PREEMPT_ROUNDS 200
#define APSR_FLAGS 0xf80f0000u /* N Z C V Q, GE[3:0] */
#define APSR_Q (1u << 27)

typedef struct spin {
    uint32_t apsr;                  /* in: the flags to hold (APSR positions) */
    uint32_t nzcv;                  /* in: N Z C V as bits 3-0 */
    uint32_t ge;                    /* in: byte i 0xff iff GE[i] */
    const volatile uint32_t *count; /* in: the events' counter */
    uint32_t events;                /* in: how many to wait for */
    int32_t left;                   /* in: rounds allowed; out: left (< 0: ran out) */
    uint32_t seed;                  /* in: r0-r12, lr = seed ^ (i << 24) */
    uint32_t err_flags;             /* out: N Z C V or GE found changed */
    uint32_t err_regs;              /* out: register bits found changed */
    uint32_t want_m1;               /* (the routine's) */
    uint32_t apsr_end;              /* out: the APSR after the loop */
} spin_t;

void flags_spin(spin_t *s);

static volatile uint32_t ticks, handled, preempts, never;
static volatile uint32_t handler_apsr; /* what the handler writes */
static volatile bool preempt_stop;
static spin_t preempt_spin;

static void spin_init(spin_t *s, uint32_t apsr, uint32_t seed, const volatile uint32_t *count,
                      uint32_t events, int32_t rounds)
{
    s->apsr = apsr & APSR_FLAGS;
    s->nzcv = apsr >> 28;
    s->ge = 0;
    for (unsigned i = 0; i < 4; i++)
        if (apsr & (1u << (16 + i)))
            s->ge |= 0xffu << (8 * i);
    s->count = count;
    s->events = events;
    s->left = rounds;
    s->seed = seed;
}

/* In the tick: count it, raise the line. */
static void tick_raise(rtos_timer_t *t, void *arg)
{
    ticks++;
    rtos_irq_trigger(LINE);
}

/* The line's handler: count it, leave other flags behind. */
static void flags_handler(unsigned line, void *arg)
{
    handled++;
    __asm__ volatile("msr APSR_nzcvqg, %0" : : "r"(handler_apsr) : "cc");
}

/* Woken by every tick, so it preempts the spinner: spins a while with
 * other flags and registers (its own checks count too), then sleeps. */
static void preempter(void *arg)
{
    while (!preempt_stop) {
        rtos_task_delay(1);
        preempts++;
        preempt_spin.left = PREEMPT_ROUNDS;
        flags_spin(&preempt_spin);
        if (preempt_spin.err_flags || preempt_spin.err_regs)
            log_char('P');
    }
}

/* Spin with flags `apsr` and registers from `seed` through ticks, handler
 * runs and preemptions that use their complements; s holds the result. */
static void spin_through_interrupts(spin_t *s, uint32_t apsr, uint32_t seed, uint32_t *got_ticks,
                                    uint32_t *got_handled, uint32_t *got_preempts)
{
    rtos_timer_t tm;
    uint32_t t0, h0, p0;

    handler_apsr = ~apsr & APSR_FLAGS;
    spin_init(&preempt_spin, ~apsr, ~seed, &never, 1, PREEMPT_ROUNDS);
    spin_init(s, apsr, seed, &handled, SPIN_EVENTS, SPIN_ROUNDS);
    preempt_stop = false;
    rtos_irq_attach(LINE, flags_handler, NULL);
    spawn("preempt", TEST_PRIO + 1, preempter, NULL);
    rtos_timer_init(&tm, tick_raise, NULL);
    rtos_timer_start(&tm, 1, 1);
    t0 = ticks, h0 = handled, p0 = preempts;
    flags_spin(s);
    *got_ticks = ticks - t0, *got_handled = handled - h0, *got_preempts = preempts - p0;
    rtos_timer_stop(&tm);
    preempt_stop = true;
    join_all();
    rtos_irq_detach(LINE);
}

/* All set, all clear, and two mixed patterns (one the other's complement). */
static const uint32_t patterns[] = {APSR_FLAGS, 0, 0xa8050000u, 0x500a0000u};

static void interrupted_task_keeps_its_flags(void)
{
    for (unsigned i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
        spin_t s;
        uint32_t t, h, p;

        spin_through_interrupts(&s, patterns[i], 0x00c3a55au + i, &t, &h, &p);
        CHECK(s.left >= 0);                             /* the events came within the bound */
        CHECK(h >= SPIN_EVENTS);                        /* the handler, */
        CHECK(t >= SPIN_EVENTS - 1);                    /* the tick */
        CHECK(p >= SPIN_EVENTS - 1);                    /* and the preemption, during the spin */
        CHECK_EQ(s.err_flags, 0);                       /* N Z C V, GE: each round */
        CHECK_EQ(s.apsr_end & APSR_FLAGS, patterns[i]); /* and Q */
        CHECK_LOG("");                                  /* the preempter's too */
    }
}

static void interrupted_task_keeps_r0_to_r12_and_lr(void)
{
    static const uint32_t seeds[] = {0x00c3a55au, 0x003c5aa5u, 0x00ffffffu, 0};

    for (unsigned i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        spin_t s;
        uint32_t t, h, p;

        spin_through_interrupts(&s, patterns[i], seeds[i], &t, &h, &p);
        CHECK(s.left >= 0);
        CHECK(h >= SPIN_EVENTS);
        CHECK(t >= SPIN_EVENTS - 1);
        CHECK(p >= SPIN_EVENTS - 1);
        CHECK_EQ(s.err_regs, 0);
        CHECK_LOG("");
    }
}

TEST_SUITE(flags_suite, TEST_CASE(interrupted_task_keeps_its_flags),
           TEST_CASE(interrupted_task_keeps_r0_to_r12_and_lr));
