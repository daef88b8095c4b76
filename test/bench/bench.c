/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark root task. Prints `[bench] name unit value iterations` lines
 * (docs/benchmarks.md). `value` is the mode of single operations measured
 * with the kernel-only PMU counter (L4_PMU_KERNEL); records ending `_avg`
 * are means over a loop of 10,000 (timer ticks included). */
#include <stdio.h>
#include <string.h>
#include <l4/l4.h>
#include "spawn.h"

#define SINGLES 1000
#define LOOP 10000
#define WARMUP 100
#define KERNEL_INSNS "kernel_instructions"

static uint32_t samples[SINGLES], samples2[SINGLES];

static uint32_t kcount(void) { return l4_pmu_read(L4_PMU_KERNEL); }

static uint32_t mode_of(uint32_t *v, unsigned n)
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

static void report(const char *name, uint32_t value, unsigned iters)
{
    printf("[bench] %s %s %lu %u\n", name, KERNEL_INSNS, (unsigned long)value, iters);
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
    uint32_t k0 = kcount();
    for (int i = 0; i < LOOP; i++)
        l4_debug_null();
    report("null_syscall_avg", (kcount() - k0) / LOOP, LOOP);
}

/* --- call / reply-receive between two address spaces ------------------------------ */
static l4_cptr_t ep;

/* Server in its own address space: replies with its counter readings:
 * MR0 = when the call arrived, MR1 = just before the reply. */
static void server(l4_word_t len)
{
    l4_msg_t m = {0};
    l4_recv(ep, &m);
    for (;;) {
        uint32_t k1 = kcount();
        m.info = l4_msginfo(0, 0, len);
        m.mr[0] = k1;
        m.mr[1] = kcount();
        l4_reply_recv(ep, &m);
    }
}

static void bench_call(const char *call_name, const char *rr_name, l4_word_t len)
{
    ep = bench_new(L4_OBJ_ENDPOINT, 0);
    bench_spawn(server, len, 200, 0);
    l4_msg_t m;
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        m = (l4_msg_t){.info = l4_msginfo(1, 0, len)};
        uint32_t k0 = kcount();
        l4_call(ep, &m);
        uint32_t k3 = kcount();
        if (i >= WARMUP) {
            samples[i - WARMUP] = m.mr[0] - k0;
            samples2[i - WARMUP] = k3 - m.mr[1];
        }
    }
    report(call_name, mode_of(samples, SINGLES), SINGLES);
    if (rr_name)
        report(rr_name, mode_of(samples2, SINGLES), SINGLES);
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
    bench_spawn(yielder, 0, 150, 1); /* the root is at 150 now */
    l4_yield();
    for (int i = 0; i < WARMUP + SINGLES; i++) {
        l4_yield();                       /* the yielder runs, records, yields back */
        uint32_t k1 = kcount();
        if (i >= WARMUP)
            samples[i - WARMUP] = k1 - shared_k; /* its yield, until we run */
    }
    report("yield", mode_of(samples, SINGLES), SINGLES);
}

int main(void)
{
    bench_null_syscall();
    bench_call("ipc_call_fastpath", "ipc_replyrecv_fastpath", 2);
    bench_call("ipc_call_10words", "ipc_replyrecv_10words", 10);
    bench_send();
    bench_signal();
    bench_yield();
    return 0;
}
