/* SPDX-License-Identifier: BSD-2-Clause */
/* What differs between kernel configurations, seen from user level
 * (docs/build.md): built with EXPECT_BENCH / EXPECT_DEBUG for the
 * configuration its kernel was built in. */
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
