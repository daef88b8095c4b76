/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark root task. Prints `[bench] name unit value iterations` lines
 * (docs/benchmarks.md). `value` is the mode of single operations measured
 * with the kernel-only PMU counter (L4_PMU_KERNEL); records ending `_avg`
 * are means over a loop of 10,000 (timer ticks included).
 *
 * Built a second time with BENCH_TRACED (image bench-trace, kernel
 * configuration trace-bench): then it measures only what tracing costs,
 * the null system call with the event trace on and the number of trace
 * records one makes; qemurun derives trace_event_cost from those and the
 * bench image's null_syscall (docs/observability.md). */
#include <stdio.h>
#include <string.h>
#include <l4/l4.h>
#include <l4/bootalloc.h>
#include "spawn.h"

#include "bench.h"

#define KERNEL_INSNS "kernel_instructions"
#ifndef BENCH_TRACED
#define BENCH_TRACED 0
#endif

static uint32_t samples[SINGLES], samples2[SINGLES];

static uint32_t kcount(void)
{
    return l4_pmu_read(L4_PMU_KERNEL);
}

uint32_t mode_of(uint32_t *v, unsigned n)
{
    uint32_t best = 0, best_count = 0;
    for (unsigned i = 0; i < n; i++) {
        uint32_t c = 0;
        for (unsigned j = 0; j < n; j++)
            c += v[j] == v[i];
        if (c > best_count || (c == best_count && v[i] < best)) {
            best = v[i];
            best_count = c;
        }
    }
    return best;
}

void report_unit(const char *name, const char *unit, uint32_t value, unsigned iters)
{
    printf("[bench] %s %s %lu %u\n", name, unit, (unsigned long)value, iters);
}

void report(const char *name, uint32_t value, unsigned iters)
{
    report_unit(name, KERNEL_INSNS, value, iters);
}

/* --- null system call ------------------------------------------------------------ */
static void bench_null_syscall(void)
{
    for (int i = 0; i < WARMUP; i++)
        l4_debug_null();
    for (int i = 0; i < SINGLES; i++) {
        uint32_t k0 = kcount();
        l4_debug_null();
        samples[i] = kcount() - k0;
    }
    report("null_syscall", mode_of(samples, SINGLES), SINGLES);
    /* The user side (PL1-excluded counter): the stub and svc, plus the
     * counter read's own three instructions. */
    for (int i = 0; i < SINGLES; i++) {
        uint32_t u0 = l4_pmu_read(L4_PMU_USER);
        l4_debug_null();
        samples[i] = l4_pmu_read(L4_PMU_USER) - u0;
    }
    report_unit("null_syscall_user", "user_instructions", mode_of(samples, SINGLES), SINGLES);
    uint32_t k0 = kcount();
    for (int i = 0; i < LOOP; i++)
        l4_debug_null();
    report("null_syscall_avg", (kcount() - k0) / LOOP, LOOP);
}

/* --- call / reply-receive between two address spaces ------------------------------ */
static l4_cptr_t ep;
static int ipc_fpu; /* both threads use the FPU between calls (the _fpu records) */

/* Server in its own address space: replies with its counter readings:
 * MR0 = when the call arrived, MR1 = just before the reply. */
static void server(l4_word_t len)
{
    l4_msg_t m = {0};
    l4_recv(ep, &m);
    for (;;) {
        uint32_t k1 = kcount();
        if (ipc_fpu)
            bench_fpu_touch(k1); /* its first-use trap falls outside both windows */
        m.info = l4_msginfo(0, 0, len);
        m.mr[0] = k1;
        m.mr[1] = kcount();
        l4_reply_recv(ep, &m);
    }
}

static void bench_call(const char *call_name, const char *rr_name, l4_word_t len)
{
    ep = bench_new(L4_OBJ_ENDPOINT, 0);
    bench_spawn(server, len, 255, 0);
    l4_msg_t m;
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        m = (l4_msg_t){.info = l4_msginfo(1, 0, len)};
        uint32_t k0 = kcount();
        l4_call(ep, &m);
        uint32_t k3 = kcount();
        if (ipc_fpu)
            bench_fpu_touch(k3);
        if (i >= WARMUP) {
            samples[i - WARMUP] = m.mr[0] - k0;
            samples2[i - WARMUP] = k3 - m.mr[1];
        }
    }
    report(call_name, mode_of(samples, SINGLES), SINGLES);
    if (rr_name)
        report(rr_name, mode_of(samples2, SINGLES), SINGLES);
    /* User instructions of a whole round trip (client stub, server loop and
     * stub, counter reads): what the two programs themselves execute. */
    for (int i = 0; i < SINGLES; i++) {
        m = (l4_msg_t){.info = l4_msginfo(1, 0, len)};
        uint32_t u0 = l4_pmu_read(L4_PMU_USER);
        l4_call(ep, &m);
        samples[i] = l4_pmu_read(L4_PMU_USER) - u0;
    }
    char name[48];
    snprintf(name, sizeof name, "%s_roundtrip_user", call_name);
    report_unit(name, "user_instructions", mode_of(samples, SINGLES), SINGLES);
}

/* --- one-way send to a waiting higher-priority receiver ---------------------------- */
static volatile uint32_t shared_k;

static void receiver(l4_word_t unused)
{
    (void)unused;
    l4_msg_t m = {0};
    for (;;) {
        l4_recv(ep, &m);
        shared_k = kcount();
    }
}

static void bench_send(void)
{
    /* The receiver (200) is above the sender: the send hands it the CPU. */
    l4_tcb_set_priority(L4_CAP_INIT_TCB, 150, L4_CAP_INIT_TCB);
    ep = bench_new(L4_OBJ_ENDPOINT, 0);
    bench_spawn(receiver, 0, 200, 1);
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        l4_msg_t m = {.info = l4_msginfo(1, 0, 2)};
        uint32_t k0 = kcount();
        l4_send(ep, &m);
        if (i >= WARMUP)
            samples[i - WARMUP] = shared_k - k0;
    }
    report("ipc_send", mode_of(samples, SINGLES), SINGLES);
}

/* --- notifications -------------------------------------------------------------------- */
static l4_cptr_t ntfn;

static void waiter(l4_word_t unused)
{
    (void)unused;
    for (;;) {
        l4_wait(ntfn, NULL);
        shared_k = kcount();
    }
}

static void bench_signal(void)
{
    ntfn = bench_new(L4_OBJ_NOTIFICATION, 0);
    bench_spawn(waiter, 0, 200, 1); /* higher than the root after lowering */
    l4_tcb_set_priority(L4_CAP_INIT_TCB, 150, L4_CAP_INIT_TCB);
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        uint32_t k0 = kcount();
        l4_signal(ntfn);
        if (i >= WARMUP)
            samples[i - WARMUP] = shared_k - k0;
    }
    report("signal_higher_prio", mode_of(samples, SINGLES), SINGLES);

    l4_cptr_t low = bench_new(L4_OBJ_NOTIFICATION, 0);
    ntfn = low;
    bench_spawn(waiter, 0, 100, 1); /* lower: runs only when the root blocks */
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        uint32_t k0 = kcount();
        l4_signal(low);
        uint32_t k1 = kcount();
        if (i >= WARMUP)
            samples[i - WARMUP] = k1 - k0;
        l4_yield(); /* nothing else at our priority: returns at once */
    }
    report("signal_lower_prio", mode_of(samples, SINGLES), SINGLES);
}

/* --- yield to another thread of the same priority -------------------------------------- */
static volatile uint32_t yield_k;

static void yielder(l4_word_t unused)
{
    (void)unused;
    for (;;) {
        shared_k = kcount();
        l4_yield();
        yield_k = kcount();
    }
}

static void bench_yield(void)
{
    l4_cptr_t y = bench_spawn(yielder, 0, 150, 1); /* the root is at 150 now */
    l4_yield();
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        l4_yield(); /* the yielder runs, records, yields back */
        uint32_t k1 = kcount();
        if (i >= WARMUP)
            samples[i - WARMUP] = k1 - shared_k; /* its yield, until we run */
    }
    report("yield", mode_of(samples, SINGLES), SINGLES);
    l4_tcb_suspend(y);
}

/* --- page fault handled by a user-level pager ---------------------------------- */
#define PF_BASE 0x60000000u
static volatile uint32_t pf_k0, pf_k3;
static l4_cptr_t pf_ep;

static void faulter(l4_word_t n)
{
    for (l4_word_t i = 0; i < n; i++) {
        volatile uint32_t *p = (volatile uint32_t *)(PF_BASE + i * 4096);
        pf_k0 = kcount();
        *p = i; /* faults: the pager maps a frame and restarts us */
        pf_k3 = kcount();
        l4_debug_null(); /* marks the end of this sample for the pager */
        samples2[i] = pf_k3 - pf_k0;
    }
    l4_msg_t m = {0};
    l4_send(pf_ep, &m); /* done (a plain message, label 0) */
    for (;;)
        l4_yield();
}

static void bench_pagefault(void)
{
    enum { N = 200 };
    pf_ep = bench_new(L4_OBJ_ENDPOINT, 0);
    bench_map_frame(PF_BASE + 0xff000u); /* a page table for the MiB (N < 255 pages) */
    l4_cptr_t t = bench_spawn(faulter, N, 100, 1);
    /* the fault endpoint is a cptr in the faulter's CSpace (ours) */
    l4_tcb_suspend(t);
    l4_word_t regs[17];
    l4_tcb_read_registers(t, 0, 17, regs);
    static l4_word_t ipcva = 0x40f00000u;
    l4_cptr_t fr = bench_map_frame(ipcva);
    l4_tcb_configure(t, pf_ep, 0, ipcva, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, fr);
    l4_tcb_write_registers(t, 1, 17, regs);
    unsigned n = 0;
    uint32_t handler_k[N][2];
    /* A pager's loop: the reply restarts the faulter and waits for the
     * next fault in one system call (l4_fault_reply_recv). */
    l4_msg_t m = {0};
    l4_recv(pf_ep, &m);
    for (;;) {
        uint32_t k1 = kcount();
        if (l4_msginfo_label(m.info) != L4_FAULT_PAGE || n == N)
            break;
        l4_cptr_t f = bench_new(L4_OBJ_FRAME_4K, 0);
        l4_frame_map(f, m.mr[1] & ~0xfffu, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE);
        handler_k[n][0] = k1;
        handler_k[n][1] = kcount();
        n++;
        l4_fault_reply_recv(pf_ep, &m);
    }
    /* Round trip = (fault -> pager has the message) + (reply -> faulter runs):
     * the faulter's window minus the pager's work between k1 and k2. */
    for (unsigned i = 0; i < n; i++)
        samples[i] = samples2[i] - (handler_k[i][1] - handler_k[i][0]);
    report("pagefault_roundtrip", mode_of(samples + 20, n - 20), n - 20);
}

/* --- map and unmap a 4 KiB frame ---------------------------------------------------- */
static void bench_map_frame_op(void)
{
    l4_cptr_t f = bench_new(L4_OBJ_FRAME_4K, 0);
    bench_map_frame(0x61000000u); /* page table for the region */
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        uint32_t k0 = kcount();
        l4_frame_map(f, 0x61001000u, L4_RIGHT_READ | L4_RIGHT_WRITE, L4_ATTR_EXECUTE_NEVER,
                     L4_CAP_INIT_VSPACE);
        uint32_t k1 = kcount();
        l4_frame_unmap(f);
        if (i >= WARMUP)
            samples[i - WARMUP] = k1 - k0;
    }
    report("map_frame", mode_of(samples, SINGLES), SINGLES);
}

/* --- the device line (PL061 GPIO pin 0, INTID 39) ------------------------------------- */
#define GPIO_PADDR 0x09030000u
#define GPIO_REG(off) (((volatile l4_word_t *)BENCH_GPIO_VA)[(off) / 4])
#define GPIO_DATA_PIN0 0x004u
#define GPIO_DIR 0x400u
#define GPIO_IS 0x404u
#define GPIO_IE 0x410u
static l4_cptr_t line_handler, line_frame;
static l4_word_t line_level; /* pin 0's undriven level: GPIOIEV = it raises the line */

uint32_t bench_line(uint32_t *frame, uint32_t *level)
{
    static int tried;
    if (!tried) {
        tried = 1;
        l4_cptr_t f, h = bench_slot();
        if (l4_boot_device_frame(GPIO_PADDR, &f) ||
            l4_boot_map(L4_CAP_INIT_VSPACE, f, BENCH_GPIO_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0) ||
            l4_irq_control_get(L4_CAP_IRQ_CONTROL, BENCH_LINE_INTID, h, 32, L4_CAP_INIT_CNODE))
            return 0;
        GPIO_REG(GPIO_IE) = 0;
        GPIO_REG(GPIO_DIR) = 0; /* pin 0 an input */
        GPIO_REG(GPIO_IS) = 1;  /* level-sensitive */
        line_level = GPIO_REG(GPIO_DATA_PIN0) & 1u;
        bench_line_lower();
        GPIO_REG(GPIO_IE) = 1;
        line_frame = f;
        line_handler = h;
    }
    if (frame)
        *frame = line_frame;
    if (level)
        *level = line_level;
    return line_handler;
}

void bench_line_raise(void)
{
    GPIO_REG(BENCH_GPIO_IEV) = line_level;
}

void bench_line_lower(void)
{
    GPIO_REG(BENCH_GPIO_IEV) = line_level ^ 1u;
    GPIO_REG(BENCH_GPIO_IC) = 1; /* (QEMU latches a level interrupt) */
}

/* --- interrupt to a user thread ------------------------------------------------------ */
static volatile uint32_t spin_k, spin_raise;
static l4_cptr_t irq_ntfn;

static void spinner(l4_word_t unused)
{
    (void)unused;
    for (;;) {
        if (spin_raise) { /* irq_to_user: the interrupt lands in this thread */
            spin_raise = 0;
            bench_line_raise();
        }
        spin_k = kcount(); /* the last value before the interrupt is k0 */
    }
}

static void bench_irq(void)
{
    enum { N = 200 };
    irq_ntfn = bench_new(L4_OBJ_NOTIFICATION, 0);
    l4_cptr_t spin = bench_spawn(spinner, 0, 140, 1); /* below the root (150) */
    /* irq_to_user: the device line's interrupt, raised by the spinner,
     * signals the notification the root waits on */
    l4_cptr_t line = bench_line(NULL, NULL);
    if (!line || l4_irq_handler_set_notification(line, irq_ntfn)) {
        printf("bench: no device line\n");
    } else {
        for (int i = 0; i < N; i++) {
            spin_raise = 1;
            l4_word_t bits;
            l4_wait(irq_ntfn, &bits); /* the spinner runs until the interrupt */
            uint32_t k1 = kcount();
            samples[i] = k1 - spin_k;
            bench_line_lower();
            l4_irq_handler_ack(line);
        }
        report("irq_to_user", mode_of(samples + 20, N - 20), N - 20);
    }
    /* thread_timer_to_user: the root's kernel timer (tcb_set_timer) instead,
     * its interrupt signalling the root's bound notification, as a timer
     * server's does */
    l4_cptr_t tn = bench_new(L4_OBJ_NOTIFICATION, 0);
    if (l4_tcb_bind_notification(L4_CAP_INIT_TCB, tn)) {
        printf("bench: no notification for the root's timer\n");
    } else {
        for (int i = 0; i < N; i++) {
            l4_tcb_set_timer(L4_CAP_INIT_TCB, L4_VCPU_TIMER_RELATIVE, 1, 2000, 0, 0);
            l4_word_t bits;
            l4_wait(tn, &bits); /* the spinner runs until the interrupt */
            uint32_t k1 = kcount();
            samples[i] = k1 - spin_k;
        }
        report("thread_timer_to_user", mode_of(samples + 20, N - 20), N - 20);
        l4_tcb_unbind_notification(L4_CAP_INIT_TCB);
    }
    l4_tcb_suspend(spin);
}

/* The trace records one null system call makes: the record numbers that
 * two user trace points around it return, less the first one's exit record
 * and the second one's entry record and its own (trace.h). */
static uint32_t trace_records_of_null_syscall(void)
{
    l4_word_t s1 = 0, s2 = 0;
    l4_machine_trace(L4_CAP_MACHINE, L4_TRACE_EV_MARK, 0, 0, 0, 0, &s1);
    l4_debug_null();
    l4_machine_trace(L4_CAP_MACHINE, L4_TRACE_EV_MARK, 0, 0, 0, 0, &s2);
    return s2 - s1 - 3;
}

static void bench_traced(void)
{
    for (int i = 0; i < WARMUP; i++)
        l4_debug_null();
    for (int i = 0; i < SINGLES; i++) {
        uint32_t k0 = kcount();
        l4_debug_null();
        samples[i] = kcount() - k0;
    }
    report("null_syscall_traced", mode_of(samples, SINGLES), SINGLES);
    report_unit("trace_records_null_syscall", "records", trace_records_of_null_syscall(), 1);
}

int main(void)
{
    if (BENCH_TRACED) {
        bench_traced();
        return 0;
    }
    bench_null_syscall();
    bench_call("ipc_call_fastpath", "ipc_replyrecv_fastpath", 2);
    bench_call("ipc_call_10words", "ipc_replyrecv_10words", 10);
    ipc_fpu = 1; /* both FPU-dirty: every switch finds the FPU enabled */
    bench_call("ipc_call_fastpath_fpu", "ipc_replyrecv_fastpath_fpu", 2);
    ipc_fpu = 0;
    bench_send();
    bench_signal();
    bench_yield();
    bench_fpu();
    l4_tcb_set_priority(L4_CAP_INIT_TCB, 150, L4_CAP_INIT_TCB);
    bench_map_frame_op();
    bench_irq();
    bench_pagefault();
    bench_vcpu();
    return 0;
}
