/* SPDX-License-Identifier: BSD-2-Clause */
/* The supervisor: the fuzzer image's root task (fuzz.h). It runs campaigns
 * of fz_param_calls calls in all, each from its own seed: build the world,
 * start the actors, then wait on its endpoint for its timer and for the
 * actors' faults. An actor that stops making progress (it suspended
 * itself, lost its CSpace, blocked for good, lowered its priority) or that
 * faults where no handler of its own is, is restarted; an unknown system
 * call is skipped. When the fuzzers are done (or the campaign's time is
 * up) it stops the actors, checks the kernel, destroys the world, checks
 * again and retypes everything (check.c). Output: one test line per
 * campaign and a few over all of them (docs/testing.md, "Fuzzing"). */
#include <stdio.h>
#include "check.h"

#define CAMPAIGN_CALLS 10000u /* calls of one campaign, all fuzzer threads */
#define CAMPAIGN_TICKS 16000u /* 4 s: the campaign ends even if a fuzzer cannot */
/* Ticks without progress before a fuzzer is restarted (fuzzers yield to
 * each other often: neither waits a whole round-robin quantum). */
#define STALL_FUZZER 4u
#define STALL_ACTOR 200u /* ... another actor (they may wait for work that long) */
#define REPAIR_TICKS 8u  /* the sandbox's fixed slots put back this often */
/* The kernel is checked this often while the campaign runs: the tick
 * preempts the fuzzers wherever they are, in the middle of a long
 * operation too (a delete or revoke stopped at a preemption point, its
 * zombies and rings half walked), which the check then meets. */
#define CHECK_TICKS 16u

static fz_world_t world;

static fz_shared_t total; /* the shared page's counters, summed over campaigns */
static unsigned passed, failed;

void fz_fatal(const char *what, l4_word_t err)
{
    printf("[test] FAIL fuzz_setup: %s -> error %lu\n[test] DONE\n", what, (unsigned long)err);
    l4_machine_shutdown(L4_CAP_MACHINE, 1);
    for (;;)
        ;
}

/* One test line: `name` says what held (or did not), figures in brackets. */
static void result(int ok, const char *name)
{
    printf("[test] %s %s\n", ok ? "PASS" : "FAIL", name);
    if (ok)
        passed++;
    else
        failed++;
}

static int is_fuzzer(const fz_world_t *w, unsigned k)
{
    return k == A_FUZZ0 || k == A_FUZZ1 || (k == A_GUEST && w->kind == FZ_KIND_GUEST);
}

/* A fault message from actor k (the badge of its fault endpoint): the
 * badge can be borrowed (a fuzzer may give another thread that endpoint),
 * so it counts as k's only if k's saved pc is the fault's. */
static void fault_from(fz_world_t *w, unsigned k, const l4_msg_t *m)
{
    l4_msg_t reply = {0};
    l4_word_t regs[16];
    if (k >= A_COUNT || !(world_actors(w) & (1u << k)) ||
        l4_tcb_read_registers(w->tcb[k], 0, 16, regs) != L4_ERR_OK || regs[15] != m->mr[0]) {
        reply.info = l4_msginfo(1, 0, 0); /* not an actor's: it stays stopped */
        l4_reply(&reply);
        return;
    }
    if (l4_msginfo_label(m->info) == L4_FAULT_UNKNOWN_SYSCALL) {
        regs[15] += (regs[15] & 1) || (m->mr[3] & 0x20u) ? 2 : 4; /* past the svc */
        l4_tcb_write_registers(w->tcb[k], 0, 16, regs);
        l4_reply(&reply);
        return;
    }
    world_restart(w, k); /* a wild pc, a broken space: start it afresh */
}

/* Run the started actors until the fuzzers are done. Returns the ticks;
 * *ok becomes 0 if a check on a tick failed. */
static l4_word_t supervise(fz_world_t *w, int *ok)
{
    fz_shared_t *sh = FZ_SHARED;
    l4_word_t last[A_COUNT] = {0}, stall[A_COUNT] = {0}, ticks = 0, actors = world_actors(w);
    world_tick_arm(w);
    for (;;) {
        l4_msg_t m = {0};
        if (l4_recv(w->se, &m) != L4_ERR_OK)
            continue;
        if (l4_msginfo_is_signal(m.info)) {
            world_tick_arm(w);
            l4_signal(w->pace);
            if (actors & (1u << A_LINE))
                l4_signal(w->ntfn_line); /* A_LINE's tick */
            int busy = 0;
            for (unsigned k = 0; k < A_COUNT; k++) {
                if (!(actors & (1u << k)) || (w->retired & (1u << k)))
                    continue;
                if (is_fuzzer(w, k) && sh->done[k])
                    continue;
                busy |= is_fuzzer(w, k);
                if (sh->progress[k] != last[k]) {
                    last[k] = sh->progress[k];
                    stall[k] = 0;
                } else if (++stall[k] >= (is_fuzzer(w, k) ? STALL_FUZZER : STALL_ACTOR)) {
                    world_restart(w, k);
                    stall[k] = 0;
                    /* a stuck fuzzer most likely waits for its partners */
                    for (unsigned p = A_PARTNER; is_fuzzer(w, k) && p <= A_CLIENT; p++)
                        if ((actors & (1u << p)) && !(w->retired & (1u << p)))
                            world_restart(w, p);
                }
            }
            if (!busy || ++ticks >= CAMPAIGN_TICKS)
                return ticks;
            if (ticks % REPAIR_TICKS == 0)
                world_repair(w);
            fz_check_t now;
            if (ticks % CHECK_TICKS == 0 && *ok) {
                if (!fz_check_kernel("on a tick", &now))
                    *ok = 0; /* (the first violation is reported; the campaign goes on) */
                world_tick_arm(w); /* the actors' next tick is a whole one */
            }
        } else if (l4_msginfo_from_kernel(m.info)) {
            fault_from(w, m.badge - 1, &m);
        } else { /* a fuzzer's message: answer a call so that it does not wait */
            l4_msg_t reply = {0};
            l4_reply(&reply);
        }
    }
}

/* --- the harness's own regression tests ------------------------------------------ */

/* Wild addresses miss everything the fuzz space maps (fz_in_fuzz_space,
 * itself checked at points it must and must not hold) and are still the
 * boundary values (0 and all ones among them). */
static void test_wild_addresses(void)
{
    l4_word_t st[4], inside = 0, zero = 0, ones = 0;
    int where = fz_in_fuzz_space((l4_word_t)fz_fatal) && fz_in_fuzz_space(FZ_SHARED_VA) &&
                fz_in_fuzz_space(FZ_STATE_VA) && fz_in_fuzz_space(FZ_SCRATCH_VA + 4096u) &&
                !fz_in_fuzz_space(0) && !fz_in_fuzz_space(0x40000000u) &&
                !fz_in_fuzz_space(FZ_GUEST_CODE_VA);
    rng_seed(st, fz_param_seed);
    for (unsigned i = 0; i < 100000; i++) {
        l4_word_t va = rng_wild_va(st);
        inside += fz_in_fuzz_space(va);
        zero += va == 0;
        ones += va == ~0u;
    }
    char name[100];
    snprintf(name, sizeof name, "fuzz_wild_addresses_miss_the_fuzz_space (%lu of 100000 inside)",
             (unsigned long)inside);
    result(where && !inside && zero && ones, name);
}

/* The guest's state page as a life of it may leave it: virtual interrupts
 * on, one pending, an entry point nothing maps. Restarted, the guest must
 * not take that upcall before it has set its own entry point: it starts
 * with virtual interrupts off (world_restart). The failure this guards
 * against: campaign 22 of seed 0xb74a2838 (docs/testing.md, "Fuzzing"). */
#define STALE_ENTRY 0x40000ff0u /* nothing maps it, and no wild address is it */
static void test_guest_restart(fz_world_t *w)
{
    fz_shared_t *sh = FZ_SHARED;
    world_build(w, fz_param_seed, FZ_KIND_GUEST, 200);
    FZ_SUP_STATE[L4_VCPU_STATE_ENTRY_PC] = STALE_ENTRY;
    FZ_SUP_STATE[L4_VCPU_STATE_ENTRY_SP] = STALE_ENTRY + 4096u;
    FZ_SUP_STATE[L4_VCPU_STATE_VIRQ_PENDING] = 1;
    FZ_SUP_STATE[L4_VCPU_STATE_VIRQ_ENABLED] = 1;
    world_restart(w, A_GUEST);
    l4_word_t stale = 0, ticks = 0;
    world_tick_arm(w);
    while (!stale && ticks < 40 && !sh->done[A_GUEST]) { /* (it may wait for good) */
        l4_msg_t m = {0};
        if (l4_recv(w->se, &m) != L4_ERR_OK)
            continue;
        if (l4_msginfo_is_signal(m.info)) {
            world_tick_arm(w);
            ticks++;
        } else if (l4_msginfo_from_kernel(m.info)) {
            stale = m.badge == A_GUEST + 1 && m.mr[0] == STALE_ENTRY; /* it ran there */
            if (!stale)
                fault_from(w, m.badge - 1, &m);
        } else {
            l4_msg_t reply = {0};
            l4_reply(&reply);
        }
    }
    /* It ran, far enough to set its own entry point (a fuzzer poking a
     * wild one would not choose this one). */
    int entry = FZ_SUP_STATE[L4_VCPU_STATE_ENTRY_PC] != STALE_ENTRY;
    l4_word_t virqs = sh->upcalls[L4_VCPU_CAUSE_VIRQ], calls = sh->progress[A_GUEST];
    int ok = !stale && entry && !sh->guest_bad;
    world_stop(w);
    world_destroy(w);
    ok &= fz_retype_all(w);
    char name[120];
    snprintf(name, sizeof name,
             "fuzz_guest_restarted_takes_no_upcall_before_its_entry (%s; %lu calls, %lu virq "
             "upcalls)",
             stale ? "upcalled at the stale entry" : entry ? "its own entry" : "no entry set",
             (unsigned long)calls,
             (unsigned long)virqs);
    result(ok, name);
}

static void add_totals(const fz_shared_t *sh)
{
    volatile l4_word_t *from = (volatile l4_word_t *)sh, *to = (volatile l4_word_t *)&total;
    for (unsigned i = 0; i < sizeof total / sizeof(l4_word_t); i++)
        to[i] += from[i];
}

/* One campaign: returns the calls made, 0 if the kernel failed a check. */
static l4_word_t campaign(fz_world_t *w, unsigned n, l4_word_t seed, l4_word_t kind,
                          fz_check_t *base)
{
    fz_shared_t *sh = FZ_SHARED;
    l4_word_t fuzzers = kind == FZ_KIND_GUEST ? 1 : 2;
    world_build(w, seed, kind, CAMPAIGN_CALLS / fuzzers);
    for (unsigned k = 0; k < A_COUNT; k++)
        if (world_actors(w) & (1u << k))
            world_restart(w, k);
    int ticking = 1;
    l4_word_t ticks = supervise(w, &ticking);
    world_stop(w);
    l4_word_t calls = kind == FZ_KIND_GUEST ? sh->progress[A_GUEST]
                                            : sh->progress[A_FUZZ0] + sh->progress[A_FUZZ1];
    fz_check_t busy, clean;
    int ok = fz_check_kernel("with the world standing", &busy) && ticking;
    if (sh->check_bad[0]) {
        printf("[fuzz] a fuzzer's own check: invariant %lu at 0x%08lx / 0x%08lx (line %lu)\n",
               (unsigned long)sh->check_bad[0], (unsigned long)sh->check_bad[1],
               (unsigned long)sh->check_bad[2], (unsigned long)sh->check_bad[3]);
        ok = 0;
    }
    if (sh->guest_bad) {
        printf("[fuzz] the guest saw %lu upcalls the ABI does not allow; first: check %lu "
               "(0x%lx 0x%lx 0x%lx 0x%lx)\n",
               (unsigned long)sh->guest_bad, (unsigned long)sh->guest_bad_what,
               (unsigned long)sh->guest_bad_info[0], (unsigned long)sh->guest_bad_info[1],
               (unsigned long)sh->guest_bad_info[2], (unsigned long)sh->guest_bad_info[3]);
        ok = 0;
    }
    add_totals(sh);
    int had_irq_control = !w->irq_control_lost;
    world_destroy(w);
    if (had_irq_control && w->irq_control_lost) {
        /* A fuzzer moved IRQ control out of its slot and it went with the
         * sandbox (world.c): one object fewer from now on, by right. */
        printf("[fuzz] IRQ control lost with the sandbox: later campaigns go on without it\n");
        base->objects--;
    }
    ok &= fz_check_kernel("after the world's revoke", &clean);
    /* IRQ control is one of the persistent objects, but the fuzzers may
     * delete it (it cannot be copied back: world.c, irq_control_lost):
     * then the world holds one object fewer, for good. */
    l4_word_t expect = base->objects - (w->irq_control_lost ? 1 : 0);
    if (ok && (clean.objects != expect || clean.threads != base->threads)) {
        printf("[fuzz] left behind: %lu objects and %lu threads reachable, %lu and %lu expected\n",
               (unsigned long)clean.objects, (unsigned long)clean.threads,
               (unsigned long)expect, (unsigned long)base->threads);
        ok = 0;
    }
    ok &= fz_retype_all(w);
    unsigned restarts = 0;
    for (unsigned k = 0; k < A_COUNT; k++)
        restarts += w->restarts[k];
    printf("[fuzz] campaign %u: seed 0x%08lx, %lu calls in %lu ms, %u restarts, %lu objects "
           "checked\n",
           n, (unsigned long)seed, (unsigned long)calls,
           (unsigned long)(ticks * 1000 / FZ_TICKS_PER_S), restarts, (unsigned long)busy.objects);
    char name[80];
    snprintf(name, sizeof name, "fuzz_%s_campaign_%u_kernel_intact (seed 0x%08lx)",
             kind == FZ_KIND_GUEST ? "guest" : "typed", n, (unsigned long)seed);
    result(ok, name);
    return ok ? (calls ? calls : 1) : 0;
}

static void summary_typed(l4_word_t calls)
{
    const fz_shared_t *t = &total;
    static const struct {
        l4_word_t type;
        const char *name;
    } types[] = {
        {L4_OBJ_UNTYPED, "untyped"}, {L4_OBJ_CNODE, "cnode"},
        {L4_OBJ_TCB, "tcb"},         {L4_OBJ_PAGE_TABLE, "page_table"},
        {L4_OBJ_FRAME_4K, "frame"},  {L4_OBJ_IRQ_HANDLER, "irq_handler"},
        {L4_OBJ_VCPU, "vcpu"},       {L4_OBJ_MACHINE, "machine"},
        {L4_OBJ_IRQ_CONTROL, "irq_control"},
    };
    char name[120];
    for (unsigned i = 0; i < sizeof types / sizeof types[0]; i++) {
        snprintf(name, sizeof name, "fuzz_typed_invoked_%s_successfully (%lu times)", types[i].name,
                 (unsigned long)t->ok_by_type[types[i].type]);
        result(t->ok_by_type[types[i].type] > 0, name);
    }
    snprintf(name, sizeof name,
             "fuzz_typed_irq_control_get_made_refused_and_found_claimed_lines (%lu %lu %lu)",
             (unsigned long)t->irq_get_ok, (unsigned long)t->irq_get_refused,
             (unsigned long)t->irq_get_claimed);
    result(t->irq_get_ok && t->irq_get_refused && t->irq_get_claimed, name);
    unsigned long lookup = t->results[L4_ERR_FAILED_LOOKUP], ok = t->results[L4_ERR_OK];
    unsigned long probes = t->probes;
    calls -= probes; /* the shares are of the generated calls */
    printf("[fuzz] %lu calls and %lu probes of the sandbox (%lu found a slot empty): %lu%% "
           "succeeded, %lu%% failed lookup (%lu%% of invocations failed to look up the invoked "
           "capability itself)\n",
           (unsigned long)calls, probes, (unsigned long)t->probes_empty, ok * 100 / calls,
           lookup * 100 / calls,
           (unsigned long)t->lookup_failed_invoked * 100 / (t->ops[OP_INVOKE] + 1));
    printf("[fuzz] failed lookups by kind of call: invocations %lu of %lu, IPC %lu of %lu, raw %lu "
           "of %lu, self-harm %lu of %lu\n",
           (unsigned long)t->lookup_failed_by_op[OP_INVOKE], (unsigned long)t->ops[OP_INVOKE],
           (unsigned long)t->lookup_failed_by_op[OP_IPC], (unsigned long)t->ops[OP_IPC],
           (unsigned long)t->lookup_failed_by_op[OP_RAW], (unsigned long)t->ops[OP_RAW],
           (unsigned long)t->lookup_failed_by_op[OP_HARM], (unsigned long)t->ops[OP_HARM]);
    snprintf(name, sizeof name, "fuzz_typed_failed_lookups_below_10_percent (%lu of %lu)", lookup,
             (unsigned long)calls);
    result(lookup * 10 < calls, name);
    snprintf(name, sizeof name, "fuzz_typed_succeeded_above_a_third (%lu of %lu)", ok,
             (unsigned long)calls);
    result(ok * 3 > calls, name);
    snprintf(name, sizeof name, "fuzz_typed_made_received_and_replied_calls (%lu %lu %lu %lu)",
             (unsigned long)t->ipc_ok[L4_SYS_CALL], (unsigned long)t->ipc_ok[L4_SYS_NBRECV],
             (unsigned long)t->ipc_ok[L4_SYS_REPLY], (unsigned long)t->ipc_ok[L4_SYS_REPLY_RECV]);
    result(t->ipc_ok[L4_SYS_CALL] && t->ipc_ok[L4_SYS_NBRECV] && t->ipc_ok[L4_SYS_REPLY] &&
               t->ipc_ok[L4_SYS_REPLY_RECV],
           name);
    snprintf(name, sizeof name, "fuzz_typed_faults_handled_replies_lost_upcalls (%lu %lu %lu)",
             (unsigned long)t->faults_handled, (unsigned long)t->reply_lost,
             (unsigned long)t->upcalls[L4_VCPU_CAUSE_SYSCALL]);
    result(t->faults_handled && t->reply_lost && t->upcalls[L4_VCPU_CAUSE_SYSCALL], name);
    snprintf(name, sizeof name, "fuzz_typed_checked_invariants_from_inside (%lu times)",
             (unsigned long)t->check_calls);
    result(t->check_calls > 0, name);
}

static void summary_guest(void)
{
    const volatile l4_word_t *u = total.upcalls;
    char name[120];
    snprintf(name, sizeof name, "fuzz_guest_upcalls_of_every_cause (%lu %lu %lu %lu)",
             (unsigned long)u[L4_VCPU_CAUSE_SYSCALL], (unsigned long)u[L4_VCPU_CAUSE_PAGE_FAULT],
             (unsigned long)u[L4_VCPU_CAUSE_UNDEFINED], (unsigned long)u[L4_VCPU_CAUSE_VIRQ]);
    result(u[L4_VCPU_CAUSE_SYSCALL] && u[L4_VCPU_CAUSE_PAGE_FAULT] && u[L4_VCPU_CAUSE_UNDEFINED] &&
               u[L4_VCPU_CAUSE_VIRQ],
           name);
}

int main(void)
{
    fz_world_t *w = &world;
    world_init(w);
    l4_word_t kind = fz_param_kind, done = 0;
    printf("[fuzz] %s fuzzer: seed 0x%08lx, %lu calls\n", kind == FZ_KIND_GUEST ? "guest" : "typed",
           (unsigned long)fz_param_seed, (unsigned long)fz_param_calls);
    fz_check_t base;
    result(fz_check_kernel("at start", &base), "fuzz_kernel_invariants_hold_at_start");
    if (kind == FZ_KIND_GUEST) {
        test_wild_addresses();
        test_guest_restart(w);
    }
    for (unsigned n = 0; done < fz_param_calls && !failed; n++) {
        l4_word_t calls = campaign(w, n, fz_seed_mix(fz_param_seed, n), kind, &base);
        if (!calls)
            break;
        done += calls;
    }
    if (!failed) {
        char name[80];
        snprintf(name, sizeof name, "fuzz_made_all_its_calls (%lu of %lu)", (unsigned long)done,
                 (unsigned long)fz_param_calls);
        result(done >= fz_param_calls, name);
        if (kind == FZ_KIND_GUEST)
            summary_guest();
        else
            summary_typed(done);
    }
    printf("[test] %u passed, %u failed\n[test] DONE\n", passed, failed);
    return failed ? 1 : 0;
}

/* A small heap (printf's buffers): the whole image is copied into each
 * campaign's fuzz space, so it is kept small (libl4's default is 256 KiB). */
void l4_heap_region(void **base, l4_word_t *size)
{
    static uint8_t heap[16384] __attribute__((aligned(8)));
    *base = heap;
    *size = sizeof heap;
}
