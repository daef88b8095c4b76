/* SPDX-License-Identifier: BSD-2-Clause */
/* vCPU benchmarks: null hypercall, guest-user trap and resume, virtual
 * interrupt latency (virq_latency: from the interrupt of a device line,
 * bench.h's GPIO line, raised by guest user, whose handler signals the
 * vCPU thread's bound notification, to the first instruction of the guest
 * kernel's handler), and the whole cycle of a physical line routed
 * straight to the vCPU (virq_cycle: from the interrupt, raised by the
 * guest-user loop, to the interrupted guest-user context running again,
 * the ack in the resume). The same two with a kernel timer as the source
 * (user level cannot program the generic timer, CNTV_*):
 * thread_timer_virq_latency (the vCPU thread's tcb_set_timer signalling
 * its bound notification) and vcpu_timer_virq_cycle (the vCPU's own
 * periodic vcpu_set_timer). The guest kernel is a thread of this task bound to a
 * VCPU; its guest-user context runs guest_user.S in an address space of its
 * own. All figures are kernel instructions (PMU counter 1). */
#include <stdio.h>
#include <string.h>
#include <l4/l4.h>
#include <l4/vcpu.h>
#include "bench.h"
#include "spawn.h"

#define STATE_VA 0x42000000u
#define SHARED_VA 0x42001000u    /* the shared page, in the root's space */
#define USER_CODE_VA 0x00010000u /* in the guest-user space */
#define USER_SHARED_VA 0x00020000u
#define USER_GPIO_VA 0x00030000u /* the device line's GPIO, in the guest-user space */
#define ENTRY_WORDS 512

extern char guest_user_spin[], guest_user_trap[], guest_user_count[], guest_user_raise[],
    guest_user_count_raise[], guest_user_end[];
#define USER_CODE(sym) (USER_CODE_VA + (l4_word_t)(sym - guest_user_spin))
#define ROUTED_LINE 16 /* the virtual line of the routed GPIO line or the vCPU timer */
/* Counter ticks (62.5 MHz) between two interrupts: room for a whole cycle
 * and the guest-user loop's counts, and short, since QEMU runs the loop's
 * counter reads slowly and a benchmark run has a time limit: the shortest
 * period a vCPU timer may have (100 us). */
#define ROUTED_PERIOD 6250

static l4_word_t entry_stack[ENTRY_WORDS] __attribute__((aligned(8)));
static l4_cptr_t vcpu, upd, line;
static l4_word_t line_level;
static volatile l4_word_t *state = (volatile l4_word_t *)STATE_VA;
static volatile l4_word_t *shared = (volatile l4_word_t *)SHARED_VA;
static volatile l4_word_t mode, rounds;
static uint32_t lat[SINGLES];

enum {
    MODE_TRAP,
    MODE_IRQ, /* virq_latency: the device line */
    MODE_NULL,
    MODE_IRQ_FLAG,
    MODE_IRQ_ROUTED,   /* virq_cycle: the device line routed to the vCPU */
    MODE_TIMER,        /* thread_timer_virq_latency */
    MODE_TIMER_ROUTED, /* vcpu_timer_virq_cycle */
};

static void user_regs(l4_word_t pc)
{
    for (int i = 0; i < 17; i++)
        state[L4_VCPU_STATE_REGS + i] = 0;
    state[L4_VCPU_STATE_REGS + 4] = USER_SHARED_VA;
    state[L4_VCPU_STATE_REGS + 7] = USER_GPIO_VA + BENCH_GPIO_IEV; /* the _raise programs */
    state[L4_VCPU_STATE_REGS + 8] = line_level;
    state[L4_VCPU_STATE_REGS + 15] = pc;
}

static l4_cptr_t guest_tcb;

/* MODE_TIMER: the guest thread's kernel timer, `ticks` from now (0: off). */
static void thread_timer(uint32_t ticks)
{
    if (ticks)
        l4_tcb_set_timer(guest_tcb, L4_VCPU_TIMER_RELATIVE, 1, ticks, 0, 0);
    else
        l4_tcb_cancel_timer(guest_tcb);
}

static l4_cptr_t done_ntfn, park_ntfn;
static volatile l4_word_t prev_before, prev_last;

static void park(void)
{
    l4_signal(done_ntfn);
    for (;;)
        l4_wait(park_ntfn, NULL); /* never signalled */
}

/* The guest kernel's upcall entry. */
static void guest_entry(void)
{
    uint32_t k = l4_pmu_read(L4_PMU_KERNEL); /* the handler's first action */
    if (mode == MODE_IRQ_ROUTED || mode == MODE_TIMER_ROUTED) {
        /* The guest-user loop's last count before this interrupt: the
         * kernel instructions since the last one before the previous
         * interrupt are that interrupt's (to this entry) and the resume's
         * below, which acks the line (the loop enters no kernel). */
        l4_word_t last = shared[0];
        if (rounds > WARMUP && rounds <= WARMUP + SINGLES)
            lat[rounds - WARMUP - 1] = last - prev_last;
        prev_last = last;
        rounds++;
        if (mode == MODE_IRQ_ROUTED)
            bench_line_lower(); /* the loop raises it again after the resume */
        l4_vcpu_take_pending((l4_vcpu_state_t *)state);
        if (rounds > WARMUP + SINGLES) {
            if (mode == MODE_TIMER_ROUTED)
                l4_vcpu_cancel_timer(vcpu, 0);
            park();
        }
        if (mode == MODE_IRQ_ROUTED)
            l4_vcpu_ack((l4_vcpu_state_t *)state, 1u << ROUTED_LINE);
        l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd); /* the interrupted context */
    }
    if (mode == MODE_IRQ || mode == MODE_TIMER) {
        if (mode == MODE_IRQ)
            bench_line_lower();
        l4_vcpu_take_pending((l4_vcpu_state_t *)state);
        if (rounds >= WARMUP && rounds < WARMUP + SINGLES)
            lat[rounds - WARMUP] = k - shared[0];
        rounds++;
        if (mode == MODE_IRQ)
            l4_irq_handler_ack(line);
        if (rounds >= WARMUP + SINGLES)
            park();
        if (mode == MODE_IRQ) {
            user_regs(USER_CODE(guest_user_raise)); /* a fresh count, the line raised again */
        } else {
            user_regs(USER_CODE_VA); /* spin again, recording a fresh count */
            thread_timer(20000);     /* one-shot: fired, so nothing to quiet */
        }
    } else {
        /* trap: word 1 holds the count after the previous resume */
        l4_word_t n = shared[2];
        if (n > WARMUP && n <= WARMUP + SINGLES)
            lat[n - WARMUP - 1] = shared[1] - prev_before;
        prev_before = shared[0];
        if (n >= WARMUP + SINGLES)
            park();
    }
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

static void guest_kernel(l4_word_t arg)
{
    state[L4_VCPU_STATE_ENTRY_PC] = (l4_word_t)guest_entry;
    state[L4_VCPU_STATE_ENTRY_SP] = (l4_word_t)&entry_stack[ENTRY_WORDS];
    if (arg == MODE_IRQ_FLAG) {
        /* disable + enable with nothing pending: two stores and a load */
        for (int i = 0; i < WARMUP + SINGLES; i++) {
            uint32_t a0 = l4_pmu_read(L4_PMU_ALL);
            l4_word_t was = l4_vcpu_irq_disable((l4_vcpu_state_t *)state);
            l4_vcpu_irq_restore((l4_vcpu_state_t *)state, was, vcpu);
            uint32_t a1 = l4_pmu_read(L4_PMU_ALL);
            if (i >= WARMUP)
                lat[i - WARMUP] = a1 - a0;
        }
        park();
    }
    if (arg == MODE_NULL) {
        for (int i = 0; i < WARMUP + SINGLES; i++) {
            uint32_t k0 = l4_pmu_read(L4_PMU_KERNEL);
            l4_vcpu_sync(vcpu);
            uint32_t k1 = l4_pmu_read(L4_PMU_KERNEL);
            if (i >= WARMUP)
                lat[i - WARMUP] = k1 - k0;
        }
        park();
    }
    user_regs(arg == MODE_TRAP           ? USER_CODE(guest_user_trap)
              : arg == MODE_IRQ_ROUTED   ? USER_CODE(guest_user_count_raise)
              : arg == MODE_TIMER_ROUTED ? USER_CODE(guest_user_count)
              : arg == MODE_IRQ          ? USER_CODE(guest_user_raise)
                                         : USER_CODE_VA);
    if (arg == MODE_TIMER)
        thread_timer(20000);
    if (arg == MODE_TIMER_ROUTED)
        l4_vcpu_set_timer(vcpu, 0, L4_VCPU_TIMER_RELATIVE, ROUTED_LINE, ROUTED_PERIOD, 0,
                          ROUTED_PERIOD);
    l4_vcpu_resume(vcpu, L4_VCPU_RESUME_USER, upd);
}

static l4_cptr_t state_frame;

/* A guest-user space with the code page, the shared page and the device
 * line's GPIO registers. */
static void make_user_space(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    upd = bench_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t code = bench_map_frame(0x42002000u);
    memcpy((void *)0x42002000u, guest_user_spin, (size_t)(guest_user_end - guest_user_spin));
    bench_map_into(upd, bench_copy(code), USER_CODE_VA, 0);
    l4_cptr_t sh = bench_map_frame(SHARED_VA);
    bench_map_into(upd, bench_copy(sh), USER_SHARED_VA, L4_ATTR_EXECUTE_NEVER);
    l4_word_t gpio = 0;
    line = bench_line(&gpio, &line_level);
    if (line)
        bench_map_into(upd, bench_copy(gpio), USER_GPIO_VA, L4_ATTR_EXECUTE_NEVER);
    state_frame = bench_map_frame(STATE_VA);
    done_ntfn = bench_new(L4_OBJ_NOTIFICATION, 0);
    park_ntfn = bench_new(L4_OBJ_NOTIFICATION, 0);
}

/* Run the guest kernel (above the root) in mode m until it parks: 0 if
 * it could not be set up (nothing measured). */
static int run_guest(l4_word_t m)
{
    make_user_space();
    mode = m;
    rounds = 0;
    shared[0] = shared[1] = shared[2] = 0;
    vcpu = bench_new(L4_OBJ_VCPU, 0);
    l4_cptr_t t = bench_spawn_ex(guest_kernel, m, 200, 1, 0);
    if (l4_vcpu_bind(vcpu, t, state_frame) != L4_ERR_OK) {
        printf("bench: vcpu_bind failed\n");
        return 0;
    }
    guest_tcb = t;
    if (m == MODE_IRQ || m == MODE_TIMER) { /* a notification bound to the vCPU's thread */
        l4_cptr_t n = bench_new(L4_OBJ_NOTIFICATION, 0);
        if (l4_tcb_bind_notification(t, n) ||
            (m == MODE_IRQ && (!line || l4_irq_handler_set_notification(line, n)))) {
            printf("bench: no notification for the vCPU's thread\n");
            return 0;
        }
    }
    if (m == MODE_IRQ_ROUTED) { /* straight to the vCPU, no notification */
        if (!line || l4_irq_handler_clear(line) ||
            l4_irq_handler_route_vcpu(line, ROUTED_LINE, vcpu)) {
            printf("bench: the device line cannot be routed to the vCPU\n");
            return 0;
        }
    }
    l4_tcb_resume(t);
    l4_wait(done_ntfn, NULL);
    l4_tcb_suspend(t);
    return 1;
}

void bench_vcpu(void)
{
    run_guest(MODE_NULL);
    report("hypercall_null", mode_of(lat, SINGLES), SINGLES);
    /* all instructions (user + kernel) of a disable/enable pair, including
     * the two counter reads' own few instructions: no kernel entry at all */
    run_guest(MODE_IRQ_FLAG);
    report_unit("virq_disable_enable", "instructions", mode_of(lat, SINGLES), SINGLES);
    run_guest(MODE_TRAP);
    report("vcpu_trap_resume", mode_of(lat, SINGLES), SINGLES);
    if (run_guest(MODE_IRQ))
        report("virq_latency", mode_of(lat, SINGLES), SINGLES);
    if (run_guest(MODE_TIMER))
        report("thread_timer_virq_latency", mode_of(lat, SINGLES), SINGLES);
    if (run_guest(MODE_IRQ_ROUTED))
        report("virq_cycle", mode_of(lat, SINGLES), SINGLES);
    l4_irq_handler_clear(line); /* the line back to nobody */
    if (run_guest(MODE_TIMER_ROUTED))
        report("vcpu_timer_virq_cycle", mode_of(lat, SINGLES), SINGLES);
}
