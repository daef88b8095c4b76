/* SPDX-License-Identifier: BSD-2-Clause */
/* Virtual interrupt priorities (docs/vcpu.md, "Interrupt priorities"):
 * vcpu_set_priority and each of its errors, what bind sets, delivery only
 * of a line whose priority is below both the priority mask (virq_pmr) and
 * the running priority (virq_rpr) on every delivering path (a signal's
 * kernel exit, the fast sync, the resume), the kernel's own copy of the
 * priorities against a scribbled state page, and nested delivery: a
 * higher line preempts a handler that re-enabled interrupts, an equal one
 * waits for it. The "guest kernel" is a thread in the root's address
 * space, in virtual kernel mode; its upcall entry handles lines the way a
 * nesting guest does (libl4's helpers: the highest deliverable line first,
 * its priority as the running priority, kregs saved and a stack of its own
 * for the next level before it re-enables interrupts). Built into the
 * system-test image (the fast paths), its vcpu-slow twin (suite vcpu-twin)
 * and the debug image, where each test ends with the invariant checker. */
#include <stdbool.h>
#include <stddef.h>
#include <l4/vcpu.h>
#include "util.h"

#define VP_STATE_VA (UTIL_VADDR_TEST + 14 * UTIL_MB)
#define VP_LEVELS 4 /* upcall nesting depth the guest allows */
#define VP_STACK_WORDS 512
#define VP_LOG 32
#define VP_BEGIN 0x100u /* log: handler of line k begins (| k) */
#define VP_END 0x200u   /* ... ends */

#define st ((l4_vcpu_state_t *)VP_STATE_VA)
#define ST(f) (st[L4_VCPU_STATE_##f])

static l4_word_t vp_stacks[VP_LEVELS][VP_STACK_WORDS] __attribute__((aligned(8)));
static volatile l4_word_t vp_log[VP_LOG], vp_log_len, vp_level, vp_upcalls, vp_max_level;
static l4_cptr_t vp_vcpu, vp_line[32]; /* vp_line[k]: the bound notification badged 1 << k */
static void (*volatile vp_script)(void);
/* What handler k does (0: nothing): signal line vp_then[k][0], then [1]. */
static volatile l4_word_t vp_then[32][2];

static void vp_note(l4_word_t what)
{
    if (vp_log_len < VP_LOG)
        vp_log[vp_log_len++] = what;
}

static void vp_handle(unsigned line)
{
    for (unsigned i = 0; i < 2; i++)
        if (vp_then[line][i])
            l4_signal(vp_line[vp_then[line][i] & 31]); /* a kernel exit: it may deliver */
}

/* The upcall entry (virtual interrupts off): every line the masks allow,
 * the highest first, each handled with interrupts on at its own running
 * priority; then back to the interrupted context. */
static void vp_entry(void)
{
    l4_word_t kregs[L4_VCPU_REGS];
    unsigned level = vp_level++;

    vp_upcalls++;
    if (vp_level > vp_max_level)
        vp_max_level = vp_level;
    for (unsigned i = 0; i < L4_VCPU_REGS; i++)
        kregs[i] = st[L4_VCPU_STATE_KREGS + i]; /* the next upcall overwrites it */
    l4_word_t rpr = ST(VIRQ_RPR), sp = ST(ENTRY_SP);
    for (;;) {
        l4_word_t lines = l4_vcpu_deliverable_lines(st, ST(VIRQ_PENDING));
        if (!lines)
            break;
        unsigned k = (unsigned)l4_vcpu_highest_line(st, lines);
        l4_vcpu_take_lines(st, 1u << k);
        vp_note(VP_BEGIN | k);
        ST(VIRQ_RPR) = l4_vcpu_prio_of(st, k);
        /* The deepest level runs its handler with interrupts off: a rule
         * that nested too much fails the test's log, not its stacks. */
        bool nest = level + 1 < VP_LEVELS;
        if (nest) {
            ST(ENTRY_SP) = (l4_word_t)&vp_stacks[level + 1][VP_STACK_WORDS];
            l4_vcpu_irq_enable(st, vp_vcpu); /* nested upcalls from here */
        }
        vp_handle(k);
        l4_vcpu_irq_disable(st);
        ST(ENTRY_SP) = sp;
        ST(VIRQ_RPR) = rpr;
        vp_note(VP_END | k);
    }
    for (unsigned i = 0; i < L4_VCPU_REGS; i++)
        st[L4_VCPU_STATE_KREGS + i] = kregs[i];
    vp_level--;
    l4_vcpu_resume(vp_vcpu, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
}

static l4_cptr_t vp_done, vp_park;

static void vp_guest(util_thread_t *t)
{
    (void)t;
    ST(ENTRY_PC) = (l4_word_t)vp_entry;
    ST(ENTRY_SP) = (l4_word_t)&vp_stacks[0][VP_STACK_WORDS];
    ST(VIRQ_ENABLED) = 1;
    vp_script();
    l4_vcpu_irq_disable(st);
    l4_signal(vp_done);
    for (;;)
        l4_wait(vp_park, NULL); /* never signalled: parks the thread */
}

/* A vCPU guest running `script` to its end (at once: it is above the root). */
static util_thread_t *vp_run(void (*script)(void))
{
    util_root_lower();
    vp_log_len = vp_level = vp_upcalls = vp_max_level = 0;
    for (unsigned k = 0; k < 32; k++)
        vp_then[k][0] = vp_then[k][1] = 0;
    vp_script = script;
    vp_done = util_notification();
    vp_park = util_notification();
    vp_vcpu = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(VP_STATE_VA);
    util_thread_t *t = util_thread_create(vp_guest, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_vcpu_bind(vp_vcpu, t->tcb, util_copy(state, L4_RIGHTS_ALL)), L4_ERR_OK);
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    for (unsigned k = 0; k < 32; k++)
        vp_line[k] = util_mint(n, L4_RIGHTS_ALL, 1u << k);
    return t;
}

static void vp_finish(util_thread_t *t)
{
    util_thread_start(t);
    CHECK_EQ(l4_poll(vp_done, NULL), L4_ERR_OK); /* the script ran to its end */
    CHECK_EQ(vp_level, 0);
    util_check_invariants();
}

static void vp_expect(const l4_word_t *want, unsigned n)
{
    CHECK_EQ(vp_log_len, n);
    for (unsigned i = 0; i < n && i < vp_log_len; i++)
        CHECK_EQ(vp_log[i], want[i]);
}

static void vp_script_none(void)
{
}

TEST(vcpu_prio_set_priority_errors_change_nothing)
{
    util_root_lower();
    l4_cptr_t unbound = util_new(L4_OBJ_VCPU, 0);
    CHECK_EQ(l4_vcpu_set_priority(unbound, 0, 1), L4_ERR_ILLEGAL_OPERATION);
    util_thread_t *t = vp_run(vp_script_none);
    CHECK_EQ(l4_vcpu_set_priority(vp_vcpu, 9, 7), L4_ERR_OK);
    l4_word_t w1 = ST(VIRQ_PRIO + 1);
    CHECK_EQ(w1, 7u << 4);
    CHECK_EQ(l4_vcpu_set_priority(vp_vcpu, 32, 1), L4_ERR_INVALID_LINE);
    CHECK_EQ(l4_vcpu_set_priority(vp_vcpu, ~0u, 1), L4_ERR_INVALID_LINE);
    CHECK_EQ(l4_vcpu_set_priority(vp_vcpu, 9, L4_VCPU_PRIO_LEVELS), L4_ERR_INVALID_PRIORITY);
    CHECK_EQ(l4_vcpu_set_priority(vp_vcpu, 9, ~0u), L4_ERR_INVALID_PRIORITY);
    /* the line is checked first */
    CHECK_EQ(l4_vcpu_set_priority(vp_vcpu, 40, 40), L4_ERR_INVALID_LINE);
    l4_word_t mr[2] = {9, 1};
    CHECK_EQ(l4_invoke(vp_vcpu, L4_VCPU_SET_PRIORITY, mr, 1, NULL, 0, NULL, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_invoke(vp_vcpu, L4_VCPU_SET_PRIORITY, mr, 0, NULL, 0, NULL, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(l4_vcpu_set_priority(vp_line[0], 9, 1), L4_ERR_INVALID_CAPABILITY); /* not a vCPU */
    CHECK_EQ(ST(VIRQ_PRIO + 1), w1); /* nothing changed */
    CHECK_EQ(l4_vcpu_prio_of(st, 9), 7);
    vp_finish(t);
}

TEST(vcpu_prio_bind_masks_nothing_and_resets_every_priority)
{
    util_root_lower();
    l4_cptr_t v = util_new(L4_OBJ_VCPU, 0);
    l4_cptr_t state = util_map_new_frame(VP_STATE_VA);
    for (unsigned i = 0; i < L4_VCPU_PRIO_WORDS; i++)
        ST(VIRQ_PRIO + i) = 0x12345678u; /* what the page held is forgotten */
    ST(VIRQ_PMR) = 0;
    ST(VIRQ_RPR) = 3;
    util_thread_t *a = util_thread_create(vp_guest, UTIL_PRIO_LOW, 0);
    CHECK_EQ(l4_vcpu_bind(v, a->tcb, util_copy(state, L4_RIGHTS_ALL)), L4_ERR_OK);
    CHECK_EQ(ST(VIRQ_PMR), L4_VCPU_PRIO_NONE);
    CHECK_EQ(ST(VIRQ_RPR), L4_VCPU_PRIO_NONE);
    for (unsigned i = 0; i < L4_VCPU_PRIO_WORDS; i++)
        CHECK_EQ(ST(VIRQ_PRIO + i), 0);
    /* A priority, then the thread goes and the vCPU is bound again: all 0. */
    CHECK_EQ(l4_vcpu_set_priority(v, 31, 15), L4_ERR_OK);
    CHECK_EQ(ST(VIRQ_PRIO + 3), 15u << 28);
    util_delete(a->tcb); /* unbinds */
    CHECK_EQ(l4_vcpu_set_priority(v, 31, 1), L4_ERR_ILLEGAL_OPERATION); /* unbound */
    util_thread_t *b = util_thread_create(vp_guest, UTIL_PRIO_LOW, 0);
    CHECK_EQ(l4_vcpu_bind(v, b->tcb, util_copy(state, L4_RIGHTS_ALL)), L4_ERR_OK);
    CHECK_EQ(ST(VIRQ_PRIO + 3), 0);
}

/* Line 3 at priority 8, pending under each mask in turn; log what the
 * guest sees after each step (upcalls so far). */
static volatile l4_word_t vp_seen[12];

static void vp_script_masks(void)
{
    l4_vcpu_set_priority(vp_vcpu, 3, 8);
    ST(VIRQ_PMR) = 8;                 /* masks priorities 8..15 */
    l4_signal(vp_line[3]);            /* slow path: its kernel exit asks the rule */
    vp_seen[0] = vp_upcalls;          /* 0: masked */
    l4_vcpu_sync(vp_vcpu);            /* the fast sync asks it too */
    vp_seen[1] = vp_upcalls;          /* 0 */
    l4_yield();                       /* any kernel entry */
    vp_seen[2] = vp_upcalls;          /* 0 */
    ST(VIRQ_PMR) = 9;                 /* 8 < 9: deliverable ... */
    ST(VIRQ_RPR) = 8;                 /* ... but the running priority masks it */
    l4_vcpu_sync(vp_vcpu);
    vp_seen[3] = vp_upcalls;          /* 0 */
    l4_vcpu_set_rpr(st, 9, vp_vcpu);  /* lowering it unmasks: taken before it returns */
    vp_seen[4] = vp_upcalls;          /* 1 */
    ST(VIRQ_PMR) = 0;                 /* masks even priority 0 */
    l4_vcpu_set_priority(vp_vcpu, 4, 0);
    l4_signal(vp_line[4]);
    vp_seen[5] = vp_upcalls;          /* 1 */
    ST(VIRQ_PMR) = ~0u;               /* above PRIO_NONE: counts as it */
    l4_vcpu_sync(vp_vcpu);
    vp_seen[6] = vp_upcalls;          /* 2 */
    ST(VIRQ_RPR) = 0x80000000u;       /* likewise */
    l4_signal(vp_line[3]);
    vp_seen[7] = vp_upcalls;          /* 3 */
    /* A raised priority masks a pending line; set_priority back unmasks
     * it at that invocation's own exit. */
    ST(VIRQ_PMR) = 5;
    l4_vcpu_irq_disable(st);
    l4_signal(vp_line[3]);
    l4_vcpu_irq_enable(st, vp_vcpu);  /* 8 >= 5: no trap, no upcall */
    vp_seen[8] = vp_upcalls;          /* 3 */
    l4_vcpu_set_priority(vp_vcpu, 3, 4);
    vp_seen[9] = vp_upcalls;          /* 4 */
}

TEST(vcpu_prio_a_line_is_delivered_only_below_the_mask_and_the_running_priority)
{
    util_thread_t *t = vp_run(vp_script_masks);
    vp_finish(t);
    static const l4_word_t want[10] = {0, 0, 0, 0, 1, 1, 2, 3, 3, 4};
    for (unsigned i = 0; i < 10; i++)
        CHECK_EQ(vp_seen[i], want[i]);
    static const l4_word_t log[] = {VP_BEGIN | 3, VP_END | 3, VP_BEGIN | 4, VP_END | 4,
                                    VP_BEGIN | 3, VP_END | 3, VP_BEGIN | 3, VP_END | 3};
    vp_expect(log, 8);
}

/* The state page's virq_prio is the guest's copy: storing to it changes
 * no delivery. Line 2 at 12 (the kernel's), the page made to say 0. */
static void vp_script_scribble(void)
{
    l4_vcpu_set_priority(vp_vcpu, 2, 12);
    ST(VIRQ_PRIO) = 0;
    ST(VIRQ_PMR) = 6;
    l4_signal(vp_line[2]);
    vp_seen[0] = vp_upcalls; /* 0: the kernel still has 12 */
    l4_vcpu_set_priority(vp_vcpu, 5, 1);
    vp_seen[1] = ST(VIRQ_PRIO); /* the kernel rewrote the word: 12 << 8 | 1 << 20 */
    ST(VIRQ_PMR) = 13;
    l4_vcpu_sync(vp_vcpu);
    vp_seen[2] = vp_upcalls; /* 1 */
}

TEST(vcpu_prio_the_kernel_delivers_by_its_own_copy_of_the_priorities)
{
    util_thread_t *t = vp_run(vp_script_scribble);
    vp_finish(t);
    CHECK_EQ(vp_seen[0], 0);
    CHECK_EQ(vp_seen[1], (12u << 8) | (1u << 20));
    CHECK_EQ(vp_seen[2], 1);
}

/* Nesting: line 5 (priority 10) runs; its handler signals 7 (priority 10:
 * equal, it waits) and then 6 (priority 2: it preempts at once, nested). */
static void vp_script_nest(void)
{
    l4_vcpu_set_priority(vp_vcpu, 5, 10);
    l4_vcpu_set_priority(vp_vcpu, 6, 2);
    l4_vcpu_set_priority(vp_vcpu, 7, 10);
    vp_then[5][0] = 7;
    vp_then[5][1] = 6;
    l4_signal(vp_line[5]);
}

TEST(vcpu_prio_a_higher_line_preempts_a_handler_an_equal_one_waits)
{
    util_thread_t *t = vp_run(vp_script_nest);
    vp_finish(t);
    static const l4_word_t log[] = {VP_BEGIN | 5, VP_BEGIN | 6, VP_END | 6,
                                    VP_END | 5,   VP_BEGIN | 7, VP_END | 7};
    vp_expect(log, 6);
    CHECK_EQ(vp_max_level, 2); /* 6 in an upcall of its own, inside 5's */
    CHECK_EQ(vp_upcalls, 2);   /* 7 taken by 5's loop, no upcall of its own */
}

/* Three levels: 8 (priority 9) signals 9 (priority 4), whose handler
 * signals 10 (priority 0) and 11 (priority 4, its own: waits for it). */
static void vp_script_deep(void)
{
    l4_vcpu_set_priority(vp_vcpu, 8, 9);
    l4_vcpu_set_priority(vp_vcpu, 9, 4);
    l4_vcpu_set_priority(vp_vcpu, 10, 0);
    l4_vcpu_set_priority(vp_vcpu, 11, 4);
    vp_then[8][0] = 9;
    vp_then[9][0] = 11;
    vp_then[9][1] = 10;
    l4_signal(vp_line[8]);
}

TEST(vcpu_prio_nesting_goes_as_deep_as_the_priorities)
{
    util_thread_t *t = vp_run(vp_script_deep);
    vp_finish(t);
    static const l4_word_t log[] = {VP_BEGIN | 8,  VP_BEGIN | 9,  VP_BEGIN | 10, VP_END | 10,
                                    VP_END | 9,    VP_BEGIN | 11, VP_END | 11,  VP_END | 8};
    vp_expect(log, 8);
    CHECK_EQ(vp_max_level, 3);
}
