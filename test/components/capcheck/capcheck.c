/* SPDX-License-Identifier: BSD-2-Clause */
/* Least privilege, from inside: every slot of its CSpace holds exactly what
 * its description grants (system/comp.h lays the grants out), with exactly
 * the rights it needs; every granted interrupt can be acked; its heap is
 * mapped, zeroed and writable, and malloc draws from it and no further.
 * Each slot is probed with a call that cannot disturb anyone: a non-
 * blocking receive on what must be a write-only capability or an empty
 * slot, a non-blocking send on what must be read-only. Ends with status 0
 * if every check passed. */
#include <stdio.h>
#include <stdlib.h>
#include <component.h>
#include <system/comp.h>

#define EMPTY 0
#define WRITE_ONLY 1 /* an endpoint or notification it may only send to */
#define READ_ONLY 2  /* one it may only receive from */
#define HANDLER 3    /* an IRQ handler */

static int failures;

static void check(const char *name, int ok)
{
    printf("[test] %s %s\n", ok ? "PASS" : "FAIL", name);
    failures += !ok;
}

/* What slot s must hold, from the environment the root wrote (the timer's
 * slot is decided by the caller). */
static int expected(const comp_env_t *env, l4_word_t s)
{
    if (s == COMP_CAP_CONSOLE || s == COMP_CAP_ROOT || s == COMP_CAP_FAULT)
        return WRITE_ONLY;
    if (s == COMP_CAP_NTFN || (s >= COMP_CAP_NTFN_X && s < COMP_CAP_NTFN_X + COMP_NTFN_EXTRA))
        return READ_ONLY;
    if (s == COMP_CAP_EP) {
        for (comp_id_t i = 0; i < COMP_MAX_IDS; i++)
            if (env->ids[i].kind == COMP_ID_SERVER)
                return READ_ONLY;
        return EMPTY;
    }
    if (s >= COMP_CAP_VMM && s < COMP_CAP_VMM + env->nvmm)
        return WRITE_ONLY;
    if (s >= COMP_CAP_ID && s < COMP_CAP_ID + COMP_MAX_IDS) {
        const comp_env_id_t *d = &env->ids[s - COMP_CAP_ID];
        return d->kind == COMP_ID_CHANNEL || d->kind == COMP_ID_CLIENT ? WRITE_ONLY
               : d->kind == COMP_ID_IRQ                                ? HANDLER
                                                                       : EMPTY;
    }
    if (s >= COMP_CAP_ID_SUM && s < COMP_CAP_ID_SUM + COMP_MAX_IDS) {
        const comp_env_id_t *d = &env->ids[s - COMP_CAP_ID_SUM];
        return d->kind == COMP_ID_CHANNEL && d->info ? WRITE_ONLY : EMPTY;
    }
    return EMPTY;
}

/* What slot s holds, probed without side effects for what it should hold. */
static int probe(l4_word_t s, int want)
{
    l4_msg_t m = {0};
    if (want == READ_ONLY)
        return l4_nbsend(s, &m) == L4_ERR_INSUFFICIENT_RIGHTS ? READ_ONLY : -1;
    l4_word_t err = l4_nbrecv(s, &m);
    return err == L4_ERR_FAILED_LOOKUP         ? EMPTY
           : err == L4_ERR_INSUFFICIENT_RIGHTS ? WRITE_ONLY
           : err == L4_ERR_INVALID_CAPABILITY  ? HANDLER
                                               : -1;
}

static void check_slots(const comp_env_t *env, int has_timer)
{
    int bad = 0;
    for (l4_word_t s = 0; s < (1u << COMP_CNODE_BITS); s++) {
        int want = s == COMP_CAP_TIMER ? (has_timer ? WRITE_ONLY : EMPTY) : expected(env, s);
        int got = probe(s, want);
        if (got != want) {
            printf("slot %lu: holds kind %d, the description grants kind %d\n", (unsigned long)s,
                   got, want);
            bad++;
        }
    }
    /* Beyond the CNode: the guard of its CSpace root rejects the address. */
    const l4_word_t outside[] = {1u << COMP_CNODE_BITS, 4095, 0x10000, 0xffffffffu};
    for (unsigned i = 0; i < sizeof outside / sizeof outside[0]; i++)
        bad += probe(outside[i], EMPTY) != EMPTY;
    check("capcheck_every_slot_holds_exactly_its_grant", bad == 0);
}

/* Serving an endpoint gives it COMP_CAP_EP; nobody calls it. */
comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info)
{
    (void)id, (void)badge, (void)info;
    return comp_msginfo(0, 0);
}

/* Its channels and interrupts can notify it; it only checks them. */
void notified(comp_id_t id)
{
    (void)id;
}

void init(void)
{
    const comp_env_t *env = (const comp_env_t *)l4_start_arg;
    /* A timer server exists iff the timer cap answers TIMER_NOW. */
    l4_msg_t m = {.info = l4_msginfo(2 /* TIMER_NOW */, 0, 0)};
    int has_timer = l4_call(COMP_CAP_TIMER, &m) == L4_ERR_OK;
    check_slots(env, has_timer);
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++) {
        if (!comp_id_is(id, COMP_ID_IRQ))
            continue;
        char what[64];
        snprintf(what, sizeof what, "capcheck_irq_%lu_granted_and_acked",
                 (unsigned long)env->ids[id].info);
        check(what, comp_irq_ack(id) == L4_ERR_OK);
    }
    check("capcheck_irq_ack_of_a_non_irq_id_fails", comp_irq_ack(COMP_MAX_IDS) != L4_ERR_OK);
    /* Each client end reaches its server with the badge the description
     * states, at the server's id for the endpoint (an echo server answers
     * with both; systems/components.sys). */
    for (comp_id_t id = 0; id < COMP_MAX_IDS; id++) {
        if (!comp_id_is(id, COMP_ID_CLIENT))
            continue;
        comp_mr_set(0, 41);
        comp_mr_set(9, 7);
        comp_msginfo_t info = comp_msginfo(5, 10);
        l4_word_t err = comp_call(id, &info);
        char what[80];
        snprintf(what, sizeof what, "capcheck_call_of_id_%lu_arrives_with_badge_%lu_at_id_%lu",
                 (unsigned long)id, (unsigned long)env->ids[id].info,
                 (unsigned long)env->ids[id].peer);
        check(what, err == L4_ERR_OK && comp_msginfo_length(info) == 10 &&
                        comp_mr_get(0) == env->ids[id].peer &&
                        comp_mr_get(1) == env->ids[id].info && comp_mr_get(2) == 5 &&
                        comp_mr_get(3) == 42 && comp_mr_get(9) == 8);
    }
    int heap_ok = env->heap_size > 0;
    volatile uint32_t *heap = (volatile uint32_t *)COMP_HEAP_VADDR;
    for (l4_word_t w = 0; heap_ok && w < env->heap_size / 4; w += 1024) {
        heap_ok &= heap[w] == 0;
        heap[w] = (uint32_t)w;
        heap_ok &= heap[w] == w;
    }
    check("capcheck_heap_mapped_zeroed_writable", heap_ok);
    void *p = malloc(env->heap_size / 2);
    check("capcheck_malloc_draws_from_the_described_heap",
          p && (l4_word_t)p >= COMP_HEAP_VADDR && (l4_word_t)p < COMP_HEAP_VADDR + env->heap_size);
    check("capcheck_malloc_beyond_the_heap_fails", malloc(env->heap_size) == NULL);
    free(p);
    exit(failures ? 1 : 0);
}
