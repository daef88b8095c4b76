/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Benchmark driver: the master task measures each workload (bench.h) and
 * prints its records, one line each:
 *   [bench] rtos_<name>_<port> instructions <mean> <iters>
 *   [bench] rtos_<name>_<port>_mode instructions <mode> <singles>
 * or, where the machine counts them (port_perf_kstats: a stats build or
 * configuration, whose instruction figures are not reported),
 *   [bench] rtos_<name>_<port>_kentries entries <mode> <singles>
 *   [bench] rtos_<name>_<port>_asswitches switches <mode> <singles>
 * and, after them, the cost of one timer tick (bench_tick):
 *   [bench] vtimer_tick instructions <mean> <ticks>
 *   [bench] vtimer_tick_worst instructions <max> <ticks>
 * on the paravirtual port only (the native image also runs pre-virtualised,
 * under names it cannot know; its tick is its own CNTV interrupt).
 * A workload whose checks fail stops the run with status 1.
 */
#include "bench.h"

#define HELPER_STACK 2048

static const bench_t *const benches[] = {
    &bench_coop, &bench_coop_irqon, &bench_preempt, &bench_irq,   &bench_irq_preempt, &bench_msg,
    &bench_sync, &bench_mem,     &bench_basic, &bench_utask_syscall, &bench_device_irq,
};

static rtos_task_t master, helper[BENCH_HELPERS];
static uint64_t master_stack[4096 / 8];
static uint64_t helper_stack[BENCH_HELPERS][HELPER_STACK / 8];
static unsigned helpers_live;
static uint32_t samples[3][BENCH_SINGLES];

rtos_task_t *bench_spawn(unsigned prio, void (*fn)(void *), void *arg)
{
    rtos_task_t *t;

    if (helpers_live == BENCH_HELPERS)
        return NULL;
    t = &helper[helpers_live++];
    if (rtos_task_create(t, "helper", prio, fn, arg, helper_stack[t - helper], HELPER_STACK))
        return NULL;
    return t;
}

int bench_join(void)
{
    int r = 0, code;

    for (unsigned i = 0; i < helpers_live; i++) {
        if (rtos_task_join(&helper[i], RTOS_WAIT_FOREVER, &code) || code)
            r = -1;
    }
    helpers_live = 0;
    return r;
}

/* Shell sort, then the longest run (the smallest value on a tie). */
uint32_t bench_mode(uint32_t *s, unsigned n)
{
    uint32_t best = 0;
    unsigned best_run = 0;

    for (unsigned gap = n / 2; gap > 0; gap /= 2) {
        for (unsigned i = gap; i < n; i++) {
            uint32_t v = s[i];
            unsigned j = i;

            for (; j >= gap && s[j - gap] > v; j -= gap)
                s[j] = s[j - gap];
            s[j] = v;
        }
    }
    for (unsigned i = 0, run; i < n; i += run) {
        for (run = 1; i + run < n && s[i + run] == s[i]; run++)
            ;
        if (run > best_run) {
            best_run = run;
            best = s[i];
        }
    }
    return best;
}

static void bench_empty_op(void) {}

static void (*volatile bench_empty)(void) = bench_empty_op;

/* What two counter reads around an empty operation count: the reads' own
 * share and the call. Subtracted from every mode, so that a mode counts
 * the operation alone, like the mean. */
uint32_t bench_empty_mode(void)
{
    uint32_t t0;

    for (uint32_t i = 0; i < BENCH_SINGLES; i++) {
        t0 = port_perf_read();
        bench_empty();
        samples[0][i] = port_perf_read() - t0;
    }
    return bench_mode(samples[0], BENCH_SINGLES);
}

/* Measure b->op_fn from this task (bench.h). */
static void bench_measure(const bench_t *b, bench_figures_t *f)
{
    uint32_t e0, w0, e1, w1, t0;

    for (uint32_t i = 0; i < BENCH_WARMUP; i++)
        b->op_fn();
    f->kstats = port_perf_kstats(&e0, &w0);
    if (f->kstats) {
        for (uint32_t i = 0; i < BENCH_SINGLES; i++) {
            port_perf_kstats(&e0, &w0);
            b->op_fn();
            port_perf_kstats(&e1, &w1);
            samples[1][i] = e1 - e0;
            samples[2][i] = w1 - w0;
        }
        f->entries = bench_mode(samples[1], BENCH_SINGLES);
        f->switches = bench_mode(samples[2], BENCH_SINGLES);
        return;
    }
    for (uint32_t i = 0; i < BENCH_SINGLES; i++) {
        t0 = port_perf_read();
        b->op_fn();
        samples[0][i] = port_perf_read() - t0;
    }
    f->mode = bench_mode(samples[0], BENCH_SINGLES) - bench_empty_mode();
    t0 = port_perf_read();
    for (uint32_t i = 0; i < b->iters; i++)
        b->op_fn();
    f->total = port_perf_read() - t0;
}

static void bench_report(const bench_t *b, const bench_figures_t *f)
{
    uint64_t centi;

    if (f->kstats) {
        rtos_printf("[bench] rtos_%s_%s_kentries entries %u %u\n", b->name, PORT_NAME,
                    (unsigned)f->entries, BENCH_SINGLES);
        rtos_printf("[bench] rtos_%s_%s_asswitches switches %u %u\n", b->name, PORT_NAME,
                    (unsigned)f->switches, BENCH_SINGLES);
        return;
    }
    centi = (f->total * 100 + b->iters / 2) / b->iters;
    rtos_printf("[bench] rtos_%s_%s instructions %u.%02u %u\n", b->name, PORT_NAME,
                (unsigned)(centi / 100), (unsigned)(centi % 100), (unsigned)b->iters);
    rtos_printf("[bench] rtos_%s_%s_mode instructions %u %u\n", b->name, PORT_NAME,
                (unsigned)f->mode, BENCH_SINGLES);
}

/*
 * One timer tick, all instructions (kernel and user) from the interrupt to
 * this task running again. A loop reads the counter once per round and
 * stores the window since the last read in a ring; every round is the same
 * instructions, so the mode of the ring is the loop's own cost, and every
 * interrupt falls into exactly one window, which is then longer. A window
 * longer than TICK_LONG is looked at (in the round after it, so that the
 * look is outside it): if the RTOS's tick count moved, it held a tick, and
 * its length less the loop's own is a sample; if not, it was the
 * microkernel's own tick (under the VMM), not one of ours. Nothing else is
 * ready, so each tick returns to this task, and no tick is missed: the
 * samples are TICK_ROUNDS consecutive ticks.
 *
 * Ticks are of two kinds (traced): every RTOS_TIMESLICE_TICKS-th one also ends
 * this task's time slice, which the core's sched_tick then renews and
 * rotates it in its priority's ready queue (alone there), the same
 * 16 instructions natively. So the record is the mean over the
 * TICK_ROUNDS ticks, a whole number of time slices (any slice of a power
 * of two ticks up to 128), and vtimer_tick_worst is the costliest one.
 */
#define TICK_ROUNDS 128u /* consecutive ticks */
#define TICK_LONG 100u   /* a longer window held an interrupt */
_Static_assert(TICK_ROUNDS % RTOS_TIMESLICE_TICKS == 0, "the mean covers whole time slices");

static void bench_tick(void)
{
    uint32_t prev, now, d = 0, base, n = 0, m = 0, worst = 0;
    uint64_t sum = 0, centi;
    rtos_tick_t ticks, c;
    bool look = false;

    if (PORT_NAME[0] != 'v' || port_perf_kstats(&prev, &now))
        return; /* not the pv port, or a counting machine: no instruction figures */
    for (uint32_t i = 0; i < BENCH_SINGLES; i++)
        samples[0][i] = TICK_LONG;
    ticks = rtos_tick_count();
    prev = port_perf_read();
    while (n < TICK_ROUNDS) {
        now = port_perf_read();
        if (look) { /* the window before the last held an interrupt */
            look = false;
            c = rtos_tick_count();
            if (c != ticks) {
                ticks = c;
                samples[1][n++] = d;
            }
        }
        d = now - prev;
        prev = now;
        samples[0][m] = d;
        m = m + 1 == BENCH_SINGLES ? 0 : m + 1;
        if (d > TICK_LONG)
            look = true;
    }
    base = bench_mode(samples[0], BENCH_SINGLES);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t = samples[1][i] - base;

        sum += t;
        worst = t > worst ? t : worst;
    }
    centi = (sum * 100 + n / 2) / n;
    rtos_printf("[bench] vtimer_tick instructions %u.%02u %u\n", (unsigned)(centi / 100),
                (unsigned)(centi % 100), (unsigned)n);
    rtos_printf("[bench] vtimer_tick_worst instructions %u %u\n", (unsigned)worst, (unsigned)n);
}

static void bench_master(void *arg)
{
    int status = 0;

    for (unsigned i = 0; i < sizeof(benches) / sizeof(benches[0]); i++) {
        const bench_t *b = benches[i];
        bench_figures_t f = {0};
        int r = b->setup ? b->setup() : 0;

        if (r == RTOS_ENOSYS) { /* the machine lacks what it needs */
            rtos_printf("[rtos] bench %s: not available on this machine\n", b->name);
            continue;
        }
        if (r == 0) {
            if (b->self)
                r = b->self(&f);
            else
                bench_measure(b, &f);
        }
        if (b->teardown && b->teardown())
            r = -1;
        if (r) {
            rtos_printf("[rtos] bench %s FAILED (%d)\n", b->name, r);
            status = 1;
            continue;
        }
        bench_report(b, &f);
    }
    bench_tick();
    rtos_printf("[bench] DONE\n");
    port_exit(status);
}

void app_init(void)
{
    rtos_task_create(&master, "bench", BENCH_PRIO, bench_master, NULL, master_stack,
                     sizeof(master_stack));
}
