/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The FPU per task (core/fpu.c): tasks at different priorities hold
 * distinct values in all of d0-d31 and FPSCR (arch/arm/fpu_hold.S) or run
 * compiled floating-point work (fpu_work.c) while ticks, delays, yields,
 * software interrupts and a non-FPU task preempt them; every register and
 * FPSCR must survive. A task that never enables the FPU costs no switch,
 * and a protected task that never did faults on its first VFP instruction,
 * whatever the task before it left enabled. This file itself, like the
 * core and the interrupt handlers, is built without VFP registers.
 */
#include "fpu.h"
#include "test.h"

#define LINE (PORT_IRQ_SOFT_FIRST + 2)
#define HIGH_PRIO 30u /* the master while it spawns, so that all start together */

typedef struct fpu_job {
    fpu_hold_t h;
    int result;        /* 0 intact, i + 1 for d<i>, 33 FPSCR, -1 no FPU */
    uint32_t loads[2]; /* rtos_fpu_loads() before and after the hold */
} fpu_job_t;

static fpu_job_t job[4];
static rtos_sem_t wake_hi;
static volatile uint32_t irq_runs, nofpu_count;
static volatile bool lo_done;
static volatile int irq_enable_result;

/* Distinct values per seed and register: d0-d15 normal doubles (vneg.f64),
 * d16-d31 any bits (vmvn); FPSCR's NZCV, QC, RMode and cumulative flags. */
static void hold_init(fpu_job_t *j, uint32_t seed, uint32_t rounds, uint32_t spins,
                      void (*poke)(void *), void *arg)
{
    for (uint32_t i = 0; i < 32; i++) {
        uint32_t a = seed * 0x9e3779b9u + (i + 1) * 0x85ebca6bu;
        uint32_t b = (a ^ (a >> 13)) * 0xc2b2ae35u + seed;
        uint64_t v = ((uint64_t)a << 32) | b;

        if (i < 16)
            v = (v & 0x800fffffffffffffull) | ((uint64_t)(0x3f0u + i + (seed & 7)) << 52);
        j->h.d[i] = v;
        j->h.out[i] = 0;
    }
    j->h.fpscr = ((seed & 0xfu) << 28) | (((seed >> 4) & 1u) << 27) | (((seed >> 5) & 3u) << 22) |
                 ((seed >> 7) & 0x9fu);
    j->h.out_fpscr = 0;
    j->h.rounds = rounds;
    j->h.spins = spins;
    j->h.poke = poke;
    j->h.arg = arg;
    j->result = -1;
}

static int hold_check(const fpu_hold_t *h)
{
    for (unsigned i = 0; i < 32; i++) {
        if (h->out[i] != h->d[i])
            return (int)i + 1;
    }
    return h->out_fpscr == h->fpscr ? 0 : 33;
}

/* An FPU task: enable, hold, check. */
static void fpu_holder(void *arg)
{
    fpu_job_t *j = arg;

    if (rtos_task_fpu_enable() != RTOS_OK)
        return;
    j->loads[0] = rtos_fpu_loads();
    arm_fpu_hold(&j->h);
    j->loads[1] = rtos_fpu_loads();
    j->result = hold_check(&j->h);
}

static void poke_take(void *arg)
{
    rtos_sem_take(&wake_hi, 1000);
}

static void poke_delay(void *arg)
{
    rtos_task_delay(1);
}

static void poke_trigger(void *arg)
{
    rtos_irq_trigger(LINE);
}

static void poke_yield_irqs_on(void *arg)
{
    rtos_task_yield_irqs_on();
}

static void give_handler(unsigned line, void *arg)
{
    static uint32_t scratch[64];

    irq_runs++;
    memset(scratch, (int)irq_runs, sizeof(scratch)); /* ordinary handler work */
    rtos_sem_give(&wake_hi);
}

/* The low FPU task ends, then this one, which never uses the FPU, does. */
static void lo_holder(void *arg)
{
    fpu_holder(arg);
    lo_done = true;
}

static void nofpu_spinner(void *arg)
{
    while (!lo_done)
        nofpu_count++;
}

/* H waits for the interrupt L raises, M delays a tick per round, L spins
 * for several ticks and shares its priority (round robin) with a task
 * that never uses the FPU. */
static void registers_survive_preemption_at_three_priorities(void)
{
    uint32_t loads = rtos_fpu_loads();

    irq_runs = nofpu_count = 0;
    lo_done = false;
    rtos_sem_init(&wake_hi, 0, 100);
    CHECK_EQ(rtos_irq_attach(LINE, give_handler, NULL), RTOS_OK);
    hold_init(&job[0], 0x11, 8, 1000, poke_take, NULL);
    hold_init(&job[1], 0x2c5, 10, 5000, poke_delay, NULL);
    hold_init(&job[2], 0x3a7, 16, 500000, poke_trigger, NULL);
    rtos_task_set_priority(rtos_task_self(), HIGH_PRIO);
    spawn("fh", TEST_PRIO + 4, fpu_holder, &job[0]);
    spawn("fm", TEST_PRIO + 3, fpu_holder, &job[1]);
    spawn("fl", TEST_PRIO + 2, lo_holder, &job[2]);
    spawn("nofpu", TEST_PRIO + 2, nofpu_spinner, NULL);
    rtos_task_set_priority(rtos_task_self(), TEST_PRIO);
    join_all();
    rtos_irq_detach(LINE);
    CHECK_EQ(job[0].result, 0);
    CHECK_EQ(job[1].result, 0);
    CHECK_EQ(job[2].result, 0);
    CHECK_EQ(irq_runs, 16);
    CHECK(nofpu_count > 0);                   /* it ran while L held its values */
    CHECK(rtos_fpu_loads() - loads >= 2 * 8); /* H in, and back out, per wake-up */
}

/* A kernel task that never enables the FPU: switching to it and back
 * saves and loads nothing. */
static void nofpu_yielder(void *arg)
{
    for (unsigned i = 0; i < 20; i++)
        rtos_task_yield();
}

static void task_without_fpu_costs_no_switch(void)
{
    hold_init(&job[0], 0x5e, 20, 100, poke_yield_irqs_on, NULL);
    rtos_task_set_priority(rtos_task_self(), HIGH_PRIO);
    spawn("fpu", TEST_PRIO + 1, fpu_holder, &job[0]);
    spawn("nofpu", TEST_PRIO + 1, nofpu_yielder, NULL);
    rtos_task_set_priority(rtos_task_self(), TEST_PRIO);
    join_all();
    CHECK_EQ(job[0].result, 0);
    CHECK_EQ(job[0].loads[1] - job[0].loads[0], 0);
}

/* An interrupt handler runs on the interrupted FPU task's registers and
 * must leave them (and FPSCR) as they were. */
static void handler_leaves_interrupted_fpu_state_intact(void)
{
    irq_runs = 0;
    rtos_sem_init(&wake_hi, 0, 100);
    CHECK_EQ(rtos_irq_attach(LINE, give_handler, NULL), RTOS_OK);
    hold_init(&job[0], 0x1f3, 32, 2000, poke_trigger, NULL);
    spawn("fpu", TEST_PRIO + 1, fpu_holder, &job[0]);
    join_all();
    rtos_irq_detach(LINE);
    CHECK_EQ(job[0].result, 0);
    CHECK_EQ(irq_runs, 32);
}

/* Compiled work: each seed's result alone, then three at once under
 * delays, yields and interrupts, each under its own rounding mode. */
#define WORK_STEPS 4096u

typedef struct work_job {
    uint32_t seed, fpscr;
    void (*poke)(void *);
    uint64_t got;
} work_job_t;

static work_job_t work[3];

static void work_task(void *arg)
{
    work_job_t *w = arg;

    if (rtos_task_fpu_enable() == RTOS_OK)
        w->got = fpu_work(w->seed, w->fpscr, WORK_STEPS, w->poke, NULL);
}

static void poke_trigger_yield(void *arg)
{
    rtos_irq_trigger(LINE);
    rtos_task_yield();
}

static void compiled_work_matches_its_unpreempted_result(void)
{
    static void (*const pokes[3])(void *) = {poke_trigger_yield, poke_delay, poke_delay};
    uint64_t ref[3];

    rtos_sem_init(&wake_hi, 0, 1000);
    CHECK_EQ(rtos_irq_attach(LINE, give_handler, NULL), RTOS_OK);
    for (unsigned i = 0; i < 3; i++) {
        work[i] = (work_job_t){.seed = 3 + i, .fpscr = (1u + i) << 22, .poke = NULL, .got = 0};
        spawn("ref", TEST_PRIO + 1, work_task, &work[i]);
        join_all();
        ref[i] = work[i].got;
        work[i].poke = pokes[i];
        work[i].got = 0;
    }
    CHECK(ref[0] != ref[1] && ref[1] != ref[2] && ref[0] != 0);
    rtos_task_set_priority(rtos_task_self(), HIGH_PRIO);
    for (unsigned i = 0; i < 3; i++)
        spawn("work", TEST_PRIO + 1 + i, work_task, &work[i]);
    rtos_task_set_priority(rtos_task_self(), TEST_PRIO);
    join_all();
    rtos_irq_detach(LINE);
    for (unsigned i = 0; i < 3; i++)
        CHECK(work[i].got == ref[i]);
}

/* A protected task that never enabled the FPU faults on a VFP instruction
 * even right after an FPU task (the FPU is turned off for it). */
int user_fpu_touch(uintptr_t arg, uintptr_t data_va);
static rtos_utask_t fpu_ut;
static int ut_code[2];
static unsigned ut_runs;

static void poke_run_utask(void *arg)
{
    int *code = &ut_code[ut_runs++ & 1];

    if (rtos_utask_create(&fpu_ut, "ufpu", TEST_PRIO + 1, user_fpu_touch, 0) == RTOS_OK)
        rtos_task_join(&fpu_ut.task, 1000, code);
}

static void protected_task_without_fpu_faults_on_vfp(void)
{
    ut_runs = 0;
    ut_code[0] = ut_code[1] = 0;
    hold_init(&job[0], 0x77, 2, 100, poke_run_utask, NULL);
    spawn("fpu", TEST_PRIO + 1, fpu_holder, &job[0]);
    join_all();
    CHECK_EQ(job[0].result, 0);
    CHECK_EQ(ut_runs, 2);
    CHECK_EQ(ut_code[0], RTOS_EFAULT);
    CHECK_EQ(ut_code[1], RTOS_EFAULT);
}

/* A protected task enables the FPU with its system call (USYS_FPU_ENABLE)
 * and gets registers of its own: two of them and a kernel FPU task, at one
 * priority, each hold their own d0-d31 and FPSCR while they take turns
 * (the protected ones yield by system call, the kernel one after every
 * round), and all find them intact. A protected task that did not enable
 * it still faults after them. */
int user_fpu_own(uintptr_t arg, uintptr_t data_va);
static rtos_utask_t own_ut[2];

static void poke_yield(void *arg)
{
    rtos_task_yield();
}

static void protected_tasks_enable_fpu_registers_of_their_own(void)
{
    int code[2] = {-1, -1}, touch = 0;
    uint32_t loads = rtos_fpu_loads();

    hold_init(&job[0], 0x1d3, 16, 200, poke_yield, NULL);
    rtos_task_set_priority(rtos_task_self(), HIGH_PRIO);
    spawn("fpu", TEST_PRIO + 1, fpu_holder, &job[0]);
    CHECK_EQ(rtos_utask_create(&own_ut[0], "ufpu1", TEST_PRIO + 1, user_fpu_own, 0x35), RTOS_OK);
    CHECK_EQ(rtos_utask_create(&own_ut[1], "ufpu2", TEST_PRIO + 1, user_fpu_own, 0x2a), RTOS_OK);
    rtos_task_set_priority(rtos_task_self(), TEST_PRIO);
    join_all();
    CHECK_EQ(rtos_task_join(&own_ut[0].task, 1000, &code[0]), RTOS_OK);
    CHECK_EQ(rtos_task_join(&own_ut[1].task, 1000, &code[1]), RTOS_OK);
    CHECK_EQ(job[0].result, 0);
    CHECK_EQ(code[0], 0);
    CHECK_EQ(code[1], 0);
    CHECK(rtos_fpu_loads() - loads >= 6); /* they did take turns with the FPU */
    CHECK_EQ(rtos_utask_create(&fpu_ut, "ufpu", TEST_PRIO + 1, user_fpu_touch, 0), RTOS_OK);
    CHECK_EQ(rtos_task_join(&fpu_ut.task, 1000, &touch), RTOS_OK);
    CHECK_EQ(touch, RTOS_EFAULT);
}

/* The same under preemption: the protected FPU tasks spin between their
 * yields for several ticks each round, with all 32 registers live, and
 * share their priority (time slicing) with a kernel FPU task that spins
 * too and a kernel task that never uses the FPU; so ticks switch between
 * every pair of them, in user mode and in virtual kernel mode, and every
 * register and FPSCR must survive. */
static void fpu_state_never_leaks_under_preemption(void)
{
    int code[2] = {-1, -1};
    uint32_t loads = rtos_fpu_loads(), ticks = rtos_tick_count();

    nofpu_count = 0;
    lo_done = false;
    hold_init(&job[0], 0x1e9, 12, 200000, poke_yield, NULL);
    rtos_task_set_priority(rtos_task_self(), HIGH_PRIO);
    spawn("fl", TEST_PRIO + 1, lo_holder, &job[0]);
    spawn("nofpu", TEST_PRIO + 1, nofpu_spinner, NULL);
    CHECK_EQ(rtos_utask_create(&own_ut[0], "ufpu1", TEST_PRIO + 1, user_fpu_own, (200u << 8) | 0x35),
             RTOS_OK);
    CHECK_EQ(rtos_utask_create(&own_ut[1], "ufpu2", TEST_PRIO + 1, user_fpu_own, (300u << 8) | 0x2a),
             RTOS_OK);
    rtos_task_set_priority(rtos_task_self(), TEST_PRIO);
    CHECK_EQ(rtos_task_join(&own_ut[0].task, 100000, &code[0]), RTOS_OK);
    CHECK_EQ(rtos_task_join(&own_ut[1].task, 100000, &code[1]), RTOS_OK);
    join_all();
    CHECK_EQ(job[0].result, 0);
    CHECK_EQ(code[0], 0);
    CHECK_EQ(code[1], 0);
    CHECK(nofpu_count > 0);
    CHECK(rtos_tick_count() - ticks >= 24); /* long enough for slices to end in the spins */
    CHECK(rtos_fpu_loads() - loads >= 24);
}

/* Enabling is for the calling task: again is harmless (no second load);
 * a handler has no task and is refused. */
static void enable_handler(unsigned line, void *arg)
{
    irq_enable_result = rtos_task_fpu_enable();
}

static void enable_twice(void *arg)
{
    fpu_job_t *j = arg;

    j->result = rtos_task_fpu_enable();
    j->loads[0] = rtos_fpu_loads();
    if (j->result == RTOS_OK)
        j->result = rtos_task_fpu_enable();
    j->loads[1] = rtos_fpu_loads();
}

static void enable_is_per_task_and_refused_in_a_handler(void)
{
    irq_enable_result = 1;
    CHECK_EQ(rtos_irq_attach(LINE, enable_handler, NULL), RTOS_OK);
    rtos_irq_trigger(LINE);
    rtos_irq_detach(LINE);
    CHECK_EQ(irq_enable_result, RTOS_EPERM);
    job[0].result = 1;
    spawn("twice", TEST_PRIO + 1, enable_twice, &job[0]);
    join_all();
    CHECK_EQ(job[0].result, RTOS_OK);
    CHECK_EQ(job[0].loads[1] - job[0].loads[0], 0);
}

/*
 * 64-bit division in kernel code (arch/arm/divmod64.S, the guest kernels'
 * own __aeabi_uldivmod / __aeabi_ldivmod, core registers only; libgcc's
 * used d16): the compiler's `/` and `%` on volatile operands of every
 * width against a bit-at-a-time long division, and the signs of C's
 * truncating division.
 */
static uint64_t ref_udivmod(uint64_t n, uint64_t d, uint64_t *rem)
{
    uint64_t q = 0, r = 0;

    for (int i = 63; i >= 0; i--) {
        r = (r << 1) | ((n >> i) & 1);
        if (r >= d) {
            r -= d;
            q |= 1ull << i;
        }
    }
    *rem = r;
    return q;
}

static void kernel_division_in_core_registers(void)
{
    static const uint64_t edge[] = {0, 1, 2, 3, 0x7fffffffull, 0x80000000ull, 0xffffffffull,
                                    0x100000000ull, 0x123456789abcdefull, 0x8000000000000000ull,
                                    0xffffffffffffffffull, 0xfffffffffffffffeull};
    uint64_t x = 0x9e3779b97f4a7c15ull;
    uint32_t bad = 0, n_cases = 0;

    for (unsigned i = 0; i < 12; i++) {
        for (unsigned j = 0; j < 12 + 40; j++) {
            volatile uint64_t n = edge[i], d;
            uint64_t r, q;

            if (j < 12) {
                d = edge[j];
            } else { /* random widths: 1..64 bits */
                x = x * 6364136223846793005ull + 1442695040888963407ull;
                d = x >> (x & 63);
                n = (j & 1) ? x ^ (x >> 17) : edge[i] ^ (x >> 3);
            }
            if (d == 0)
                continue;
            q = ref_udivmod(n, d, &r);
            bad += n / d != q || n % d != r;
            n_cases++;
        }
    }
    CHECK_EQ(bad, 0);
    CHECK(n_cases > 500);
    volatile int64_t a = -7, b = 2, m = (int64_t)0x8000000000000000ull, c = -1000000000000ll;
    CHECK(a / b == -3 && a % b == -1);
    CHECK(-a / b == 3 && -a % b == 1);
    CHECK(a / -b == 3 && a % -b == -1);
    CHECK(m / 2 == (int64_t)0xc000000000000000ull && m % 3 == -2);
    CHECK(c / 7 == -142857142857ll && c % 7 == -1);
}

TEST_SUITE(fpu_suite, TEST_CASE(registers_survive_preemption_at_three_priorities),
           TEST_CASE(task_without_fpu_costs_no_switch),
           TEST_CASE(handler_leaves_interrupted_fpu_state_intact),
           TEST_CASE(compiled_work_matches_its_unpreempted_result),
           TEST_CASE(protected_task_without_fpu_faults_on_vfp),
           TEST_CASE(protected_tasks_enable_fpu_registers_of_their_own),
           TEST_CASE(fpu_state_never_leaks_under_preemption),
           TEST_CASE(enable_is_per_task_and_refused_in_a_handler),
           TEST_CASE(kernel_division_in_core_registers));
