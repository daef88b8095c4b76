/* SPDX-License-Identifier: BSD-2-Clause */
/* What differs between kernel configurations, seen from user level
 * (docs/build.md): built with EXPECT_BENCH / EXPECT_DEBUG / EXPECT_KSTATS
 * for the configuration its kernel was built in. */
#include "util.h"

/* Probes, each one instruction followed by `bx lr` (ARM). */
l4_word_t probe_pmccntr(void), probe_pmxevcntr(void), probe_pmcr_write(void);
l4_word_t probe_debug_putc(void);
__asm__(".text\n .arm\n"
        ".global probe_pmccntr\n probe_pmccntr: mrc p15, 0, r0, c9, c13, 0\n bx lr\n"
        ".global probe_pmxevcntr\n probe_pmxevcntr: mrc p15, 0, r0, c9, c13, 2\n bx lr\n"
        /* PMCR.C|P: reset every counter, for everyone */
        ".global probe_pmcr_write\n probe_pmcr_write: mov r0, #7\n"
        "probe_pmcr_insn: mcr p15, 0, r0, c9, c12, 0\n bx lr\n"
        ".global probe_debug_putc\n probe_debug_putc: push {r7}\n mov r7, #1\n mov r0, #10\n"
        "probe_svc_insn: svc #0\n pop {r7}\n bx lr\n");
extern const char probe_pmcr_insn[], probe_svc_insn[];

/* Exceptions from user mode, each one instruction (ARM): an undefined
 * instruction, a fetch from an address nothing is mapped at (a prefetch
 * abort), a load from one (a data abort), an unknown system call. */
void probe_undef(void), probe_pabt(void), probe_dabt(void), probe_bad_svc(void);
__asm__(".text\n .arm\n"
        ".global probe_undef\n probe_undef: udf #0\n"
        ".global probe_pabt\n probe_pabt: mov r0, #0x1000\n bx r0\n"
        ".global probe_dabt\n probe_dabt: mov r0, #0x1000\n ldr r0, [r0]\n"
        ".global probe_bad_svc\n probe_bad_svc: mov r7, #200\n svc #0\n");

static void probe_body(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[1] = ((l4_word_t(*)(void))t->arg[0])();
    t->r[0] = 1; /* the probe completed */
}

/* Run `probe` in a thread with a fault endpoint. Returns 1 if it completed
 * (its result in *value), else 0 with the fault's label and pc. */
static int probe(l4_word_t (*fn)(void), l4_word_t *value, l4_word_t *label, l4_word_t *pc)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = util_thread_create(probe_body, UTIL_PRIO_HIGH, ep);
    t->arg[0] = (l4_word_t)fn;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    if (t->r[0]) {
        *value = t->r[1];
        return 1;
    }
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    *label = l4_msginfo_label(m.info);
    *pc = m.mr[0];
    CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
    return 0;
}

TEST(config_user_reads_of_the_pmu_counters_need_the_bench_configuration)
{
    l4_word_t (*const reads[])(void) = {probe_pmccntr, probe_pmxevcntr};
    for (unsigned i = 0; i < 2; i++) {
        l4_word_t v = 0, label = 0, pc = 0;
        int ran = probe(reads[i], &v, &label, &pc);
        CHECK_EQ(ran, EXPECT_BENCH);
        if (!ran) {
            CHECK_EQ(label, L4_FAULT_UNDEFINED);
            CHECK_EQ(pc, (l4_word_t)reads[i]);
        }
    }
    if (EXPECT_BENCH) { /* and they count */
        uint32_t a = l4_pmu_read(L4_PMU_ALL);
        util_spin(1000);
        CHECK(l4_pmu_read(L4_PMU_ALL) - a >= 1000);
    }
}

TEST(config_user_cannot_reset_the_pmu_outside_the_bench_configuration)
{
    l4_word_t v = 0, label = 0, pc = 0;
    int ran = probe(probe_pmcr_write, &v, &label, &pc);
    CHECK_EQ(ran, EXPECT_BENCH);
    if (!ran) {
        CHECK_EQ(label, L4_FAULT_UNDEFINED);
        CHECK_EQ(pc, (l4_word_t)probe_pmcr_insn);
    }
}

TEST(config_raw_debug_console_exists_only_in_the_debug_configuration)
{
    l4_word_t v = 0, label = 0, pc = 0;
    int ran = probe(probe_debug_putc, &v, &label, &pc);
    CHECK_EQ(ran, EXPECT_DEBUG);
    if (!ran) {
        CHECK_EQ(label, L4_FAULT_UNKNOWN_SYSCALL);
        CHECK_EQ(pc, (l4_word_t)probe_svc_insn);
    }
}

TEST(config_machine_capability_console_works_in_every_configuration)
{
    CHECK_EQ(l4_console_puts("(config: console through L4_CAP_MACHINE)\n"), L4_ERR_OK);
}

/* machine_debug_check: the invariant checker of debug kernels; a plain
 * ILLEGAL_OPERATION in the others (their kernels do not contain it). With
 * threads blocked in every way a test leaves them, every invariant holds. */
TEST(config_invariant_check_exists_only_in_the_debug_configuration)
{
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), n = util_notification();
    util_thread_t *t = util_thread_create(probe_body, UTIL_PRIO_HIGH, ep);
    t->arg[0] = (l4_word_t)probe_debug_putc;
    util_thread_start(t); /* a fault (or not): blocked on ep, or done */
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    l4_word_t e = l4_machine_debug_check(L4_CAP_MACHINE, report);
    if (!EXPECT_DEBUG) {
        CHECK_EQ(e, L4_ERR_ILLEGAL_OPERATION);
        return;
    }
    CHECK_EQ(e, L4_ERR_OK);
    CHECK_EQ(report[L4_DEBUG_CHECK_CODE], 0);
    CHECK(report[L4_DEBUG_CHECK_THREADS] >= 3); /* the root, the watchdog, t */
    CHECK(report[L4_DEBUG_CHECK_SLOTS] >= 4096);
    CHECK(report[L4_DEBUG_CHECK_OBJECTS] >= 6);
}

/* The stats configuration (kstats) counts every exception entry from user
 * mode on PMU counter 1 (arch/kstats.h), whichever vector it comes in
 * through. A thread reads the counter, then takes the exception; its fault
 * reaches us (blocked in nothing: we were preempted by it), we receive it:
 * two entries, its exception and our receive. The smallest of three tries,
 * so that a timer tick in between cannot count. In bench the counter
 * counts the kernel's instructions instead: far more than two. */
static volatile uint32_t kstat_before;

static void kstat_fault(util_thread_t *t)
{
    kstat_before = l4_pmu_read(1);
    ((void (*)(void))t->arg[0])();
}

TEST(config_kstats_counts_one_entry_per_exception_from_user_mode)
{
    if (!EXPECT_BENCH)
        return; /* no user access to the counters (config_user_reads_of_...) */
    util_root_lower();
    void (*const probes[])(void) = {probe_undef, probe_pabt, probe_dabt, probe_bad_svc};
    const l4_word_t labels[] = {L4_FAULT_UNDEFINED, L4_FAULT_PAGE, L4_FAULT_PAGE,
                                L4_FAULT_UNKNOWN_SYSCALL};
    for (unsigned i = 0; i < 4; i++) {
        uint32_t least = ~0u;
        for (unsigned k = 0; k < 3; k++) {
            l4_cptr_t ep = util_endpoint();
            util_thread_t *t = util_thread_create(kstat_fault, UTIL_PRIO_HIGH, ep);
            t->arg[0] = (l4_word_t)probes[i];
            util_thread_start(t); /* it runs at once, and faults */
            l4_msg_t m = {0};
            CHECK_EQ(l4_recv(ep, &m), L4_ERR_OK);
            uint32_t delta = l4_pmu_read(1) - kstat_before;
            CHECK_EQ(l4_msginfo_label(m.info), labels[i]);
            CHECK_EQ(l4_tcb_suspend(t->tcb), L4_ERR_OK);
            if (delta < least)
                least = delta;
        }
        if (EXPECT_KSTATS)
            CHECK_EQ(least, 2);
        else
            CHECK(least > 100);
    }
}
