/* SPDX-License-Identifier: BSD-2-Clause */
/* IRQ control and IRQ handlers, with the test line (util.h: the PL061's
 * level-triggered interrupt, INTID 39, raised by the test or, after a
 * delay, by a thread its kernel timer wakes) as the source. User level
 * may not program the generic timer (CNTKCTL.PL0VTEN clear): its line,
 * PPI 27, is no one's, and CNTV_* are undefined instructions at PL0. */
#include "util.h"

#define C L4_CAP_INIT_CNODE
#define TEST_IRQ UTIL_TEST_IRQ
#define VTIMER_IRQ 27
#define KERNEL_TIMER_IRQ 30
#define TICKS 10000u /* 160 us at QEMU's 62.5 MHz */

/* The root runs below the raiser (priority 255) and the tests' threads. */
static void require_line(void)
{
    util_root_lower();
}

static l4_cptr_t line_handler(l4_cptr_t ntfn)
{
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, ntfn), L4_ERR_OK);
    return h;
}

TEST(irq_line_interrupt_signals_the_notification_and_ack_rearms_it)
{
    require_line();
    l4_cptr_t n = util_notification();
    l4_cptr_t h = line_handler(util_mint(n, L4_RIGHT_WRITE, 0x8));
    util_line_set(TICKS, 1);
    l4_word_t bits = 0;
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK); /* the root blocks; the line is raised */
    CHECK_EQ(bits, 0x8);
    CHECK(util_line_asserted());
    /* second round: new deadline, then ack */
    util_line_set(TICKS, 1);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 0x8);
    util_line_set(0, 0);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
}

TEST(irq_line_stays_masked_until_ack)
{
    require_line();
    l4_cptr_t n = util_notification();
    l4_cptr_t h = line_handler(n);
    util_line_set(TICKS, 1);
    l4_word_t bits = 0;
    CHECK_EQ(l4_wait(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1); /* unbadged notification cap: bit 1 */
    /* the device still asserts it (level), but the line is masked */
    util_spin(200000);
    CHECK(util_line_asserted());
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    /* ack unmasks: the still-asserted line is delivered again */
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    util_spin(20000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
    util_line_set(0, 0);
}

static void wait_once(util_thread_t *t)
{
    l4_word_t bits = 0;
    t->r[0] = l4_wait(t->arg[0], &bits);
    t->r[1] = bits;
    t->r[2] = util_trace_len;
}

TEST(irq_wakes_a_higher_priority_waiter_which_preempts_the_running_thread)
{
    require_line();
    l4_cptr_t n = util_notification();
    line_handler(n);
    util_thread_t *t = util_thread_create(wait_once, UTIL_PRIO_HIGH, 0);
    t->arg[0] = n;
    util_thread_start(t);
    CHECK_EQ(t->done, 0);
    util_line_set(TICKS, 1);
    /* spin well past the deadline (about 1.6 M instructions); the waiter
     * runs as soon as the interrupt arrives, in the middle of the spin */
    for (l4_word_t i = 0; i < 400 && !t->done; i++)
        util_spin(1000);
    util_line_set(0, 0);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_OK);
    CHECK_EQ(t->r[1], 1);
}

/* A claimed line has no destination until set_notification (or
 * route_vcpu): it stays masked, and an ack does not unmask it, so a raised
 * line reaches nobody, and no spurious interrupt is taken. Given a
 * notification, it is unmasked and the still-asserted line arrives at once,
 * then stays masked until the ack. (core/irq.c's "spurious irq" branch, an
 * interrupt taken on a line without a destination, is so unreachable: see
 * docs/testing.md, "What stays uncovered".) */
TEST(irq_claimed_line_without_a_destination_stays_masked_until_set_notification)
{
    require_line();
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK); /* no destination: stays masked */
    util_line_set(0, 1);
    util_spin(20000);
    CHECK(util_line_asserted());
    l4_cptr_t n = util_notification();
    l4_word_t bits = 0;
    CHECK_EQ(l4_irq_handler_set_notification(h, n), L4_ERR_OK); /* unmasked */
    util_spin(20000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
    util_spin(20000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK); /* masked until the ack */
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    util_spin(20000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    util_line_set(0, 0);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    util_spin(20000);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK); /* lowered: quiet */
}

TEST(irq_clear_stops_delivery)
{
    require_line();
    l4_cptr_t n = util_notification();
    l4_cptr_t h = line_handler(n);
    CHECK_EQ(l4_irq_handler_clear(h), L4_ERR_OK);
    util_line_set(100, 1);
    util_spin(200000);
    CHECK(util_line_asserted());
    l4_word_t bits;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    util_line_set(0, 0);
}

TEST(irq_control_get_errors)
{
    l4_cptr_t h = util_slot(), occupied = util_notification();
    /* the kernel's own timer; lines beyond the GIC's; spurious IDs */
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, KERNEL_TIMER_IRQ, h, 32, C),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 1020, h, 32, C), L4_ERR_RANGE_ERROR);
    /* SGIs and PPIs, the virtual timer's 27 among them, are never user level's */
    for (l4_word_t irq = 0; irq < 32; irq++)
        CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, irq, h, 32, C), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 1023, h, 32, C), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 5000, h, 32, C), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 0xffffffffu, h, 32, C), L4_ERR_RANGE_ERROR);
    /* slot errors on a free line */
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, occupied, 32, C),
             L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, 0x1000, 32, C),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 33, C), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, occupied),
             L4_ERR_INVALID_CAPABILITY);
    l4_word_t mr[3] = {TEST_IRQ, h, 32};
    CHECK_EQ(l4_invoke(L4_CAP_IRQ_CONTROL, L4_IRQ_CONTROL_GET, mr, 3, 0, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK(util_slot_is_empty(h));
    /* one handler per line until it is deleted */
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_OK);
    l4_cptr_t h2 = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h2, 32, C), L4_ERR_REVOKE_FIRST);
    util_delete(h);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h2, 32, C), L4_ERR_OK);
}

/* qemu-virt: SPIs 32..159 (the lines the kernel accepts) are user level's
 * (plat_irq_user_ok); no SGI or PPI (not the virtual timer's 27: CNTV_* are
 * not PL0's), and not the first line past them. */
TEST(irq_control_hands_out_spis_only)
{
    static const l4_word_t ok[] = {32, 33, 39, 79, 159};
    for (unsigned i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        l4_cptr_t h = util_slot();
        CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, ok[i], h, 32, C), L4_ERR_OK);
        util_delete(h);
    }
    static const l4_word_t bad[] = {0, 15, 16, 25, 26, VTIMER_IRQ, 28, 29, 30, 31, 160};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++)
        CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, bad[i], util_slot(), 32, C),
                 L4_ERR_RANGE_ERROR);
}

TEST(irq_handler_cap_copies_keep_the_line_until_the_last_is_deleted)
{
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_OK);
    l4_cptr_t copy = util_copy(h, L4_RIGHTS_ALL);
    util_delete(h);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_REVOKE_FIRST);
    util_delete(copy);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_OK);
}

TEST(irq_handler_set_notification_errors)
{
    l4_cptr_t h = util_slot(), ep = util_endpoint();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_set_notification(h, ep), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_slot()), L4_ERR_FAILED_LOOKUP);
    l4_word_t mr[1];
    CHECK_EQ(l4_invoke(h, L4_IRQ_HANDLER_SET_NOTIFICATION, mr, 0, 0, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_irq_handler_set_notification(h, util_notification()), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_clear(h), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_clear(h), L4_ERR_OK);
    CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
}

TEST(irq_unknown_labels_are_illegal_operation)
{
    l4_cptr_t h = util_slot();
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TEST_IRQ, h, 32, C), L4_ERR_OK);
    l4_word_t mr[4] = {TEST_IRQ, 0, 32, 0};
    l4_cptr_t root = C;
    CHECK_EQ(l4_invoke(h, L4_IRQ_CONTROL_GET, mr, 3, &root, 1, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_invoke(L4_CAP_IRQ_CONTROL, L4_IRQ_HANDLER_ACK, mr, 0, 0, 0, 0, 0),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_irq_handler_ack(L4_CAP_IRQ_CONTROL), L4_ERR_ILLEGAL_OPERATION);
}

TEST(irq_control_cannot_be_retyped_or_used_for_ipc)
{
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbsend(L4_CAP_IRQ_CONTROL, &m), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_nbrecv(L4_CAP_IRQ_CONTROL, &m), L4_ERR_INVALID_CAPABILITY);
}

/* A 64 KiB or 1 MiB frame mapped uncached and executable needs cache
 * maintenance of up to 16,384 lines per operation: the kernel does it in
 * bounded chunks before mapping, with a preemption point between them. An
 * interrupt that arrives in the middle is taken at once (the thread it wakes
 * runs long before the map returns) and the map continues where it stopped
 * (the progress is in the frame cap): it costs about as much as a map that
 * ran through (plus the interrupt and the restart), not the maintenance
 * twice, and the frame is mapped and usable. Instructions from PMCCNTR
 * (the bench configuration). */
static inline uint32_t cycles(void)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c9, c13, 0" : "=r"(v)::"memory"); /* PMCCNTR */
    return v;
}

static void wait_and_stamp(util_thread_t *t)
{
    l4_word_t bits;
    t->r[1] = l4_wait(t->arg[0], &bits);
    t->r[0] = cycles();
}

static uint32_t kernel_instructions_of_map(l4_cptr_t f, l4_word_t va, uint32_t *returned_at)
{
    uint32_t k0 = l4_pmu_read(L4_PMU_KERNEL);
    CHECK_EQ(l4_frame_map(f, va, L4_RIGHT_READ | L4_RIGHT_WRITE, L4_ATTR_UNCACHED,
                          L4_CAP_INIT_VSPACE),
             L4_ERR_OK);
    *returned_at = cycles();
    uint32_t k = l4_pmu_read(L4_PMU_KERNEL) - k0;
    volatile l4_word_t *p = (volatile l4_word_t *)va;
    p[1] = 0x5a5a;
    CHECK_EQ(p[1], 0x5a5a);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    return k;
}

TEST(irq_during_a_large_frame_map_preempts_it_and_the_maintenance_resumes)
{
    require_line();
    l4_cptr_t n = util_notification(), h = line_handler(n);
    const l4_word_t va64 = UTIL_VADDR_TEST + 40 * UTIL_MB, va1m = UTIL_VADDR_TEST + 41 * UTIL_MB;
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, va64, 0, L4_CAP_INIT_VSPACE), L4_ERR_OK);
    l4_cptr_t f64 = util_new(L4_OBJ_FRAME_64K, 0), f1m = util_new(L4_OBJ_FRAME_1M, 0);
    /* timer ticks of 16 instructions: it fires once the first chunk has
     * started, long before the last one */
    const struct {
        l4_cptr_t frame;
        l4_word_t va, ticks;
    } cases[] = {{f64, va64, 100}, {f1m, va1m, 2000}};
    for (unsigned i = 0; i < 2; i++) {
        uint32_t end;
        uint32_t plain = kernel_instructions_of_map(cases[i].frame, cases[i].va, &end);
        util_thread_t *t = util_thread_create(wait_and_stamp, UTIL_PRIO_HIGH, 0);
        t->arg[0] = n;
        util_thread_start(t); /* it waits for the interrupt */
        util_line_set(cases[i].ticks, 1);
        uint32_t start = cycles();
        uint32_t preempted = kernel_instructions_of_map(cases[i].frame, cases[i].va, &end);
        util_line_set(0, 0); /* (level-triggered: lowered before the ack) */
        CHECK_EQ(t->done, 1);
        CHECK_EQ(t->r[1], L4_ERR_OK);
        /* woken in the middle: more than a quarter of the map was still to do */
        CHECK((uint32_t)(t->r[0] - start) < (uint32_t)(end - start) - plain / 4);
        CHECK(preempted > plain);
        CHECK(preempted < plain + 3000);
        CHECK_EQ(l4_irq_handler_ack(h), L4_ERR_OK);
    }
    util_delete(f1m);
    util_delete(f64);
    util_delete(pt);
    util_delete(h);
}
