/* SPDX-License-Identifier: BSD-2-Clause */
/* Deleting capabilities and revoking subtrees (kernel/core/delete.c), with
 * the real derivation tree (core/cdt.c) and recording stubs for the object
 * hooks (stubs_delete.c): finalisation must happen exactly once per
 * destroyed object and never for a cap that is not the last one, CNodes and
 * TCBs are emptied when destroyed, cycles end, and a preempted walk resumes
 * where it stopped. */
#include <registry.h>
#include "unit.h"
#include "stubs_delete.h"
#include <string.h>

#define NCNODES 8
#define CNODE_RADIX 4
#define DEEP 200

static cte_t ut;              /* the untyped every object is retyped from */
static cte_t loose[16];       /* slots outside any object (a stand-in CSpace) */
static cte_t chain[DEEP + 1]; /* slots for long derivation chains */
static cte_t cn[NCNODES][1u << CNODE_RADIX];
static cte_t deep[DEEP][2]; /* CNodes of radix 1, nested DEEP levels */
static endpoint_t eps[DEEP + 1];
static notification_t ntfns[2];
static tcb_t tcbs[2];

static int setup(void **state)
{
    (void)state;
    stubs_reset();
    tcb_registry = tcb_registry_tail = NULL; /* (a test's TCBs are gone after it) */
    tcb_registry_count = 0;
    memset(&ut, 0, sizeof(ut));
    memset(loose, 0, sizeof(loose));
    memset(chain, 0, sizeof(chain));
    memset(cn, 0, sizeof(cn));
    memset(deep, 0, sizeof(deep));
    memset(tcbs, 0, sizeof(tcbs));
    cap_t u = {.type = L4_OBJ_UNTYPED,
               .rights = L4_RIGHTS_ALL,
               .bits = 28,
               .obj = 0x10000000,
               .data = 0x4000};
    cdt_insert_child(NULL, &ut, &u);
    return 0;
}

static cap_t obj_cap(uint8_t type, const void *obj)
{
    return (cap_t){.type = type, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)obj};
}
static cap_t ep_cap(unsigned i)
{
    return obj_cap(L4_OBJ_ENDPOINT, &eps[i]);
}
static cap_t cnode_cap(cte_t *slots, uint8_t radix)
{
    cap_t c = obj_cap(L4_OBJ_CNODE, slots);
    c.bits = radix;
    return c;
}

/* A new object's cap in `dst`, as retype makes it: a child of the untyped. */
static void retype(cte_t *dst, cap_t c)
{
    cdt_insert_child(&ut, dst, &c);
}
/* A copy, as CNode copy makes it: a child of its source. */
static void copy(cte_t *src, cte_t *dst)
{
    cap_insert_copy(src, dst, &src->cap);
}

static unsigned ep_finalised(unsigned i)
{
    return stub_calls(STUB_ENDPOINT_FINALISE, (uintptr_t)&eps[i]);
}

static bool cnode_empty(const cte_t *slots, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (!cap_is_null(&slots[i].cap))
            return false;
    return true;
}

/* --- single caps -------------------------------------------------------------- */

static void delete_empty_slot_does_nothing(void **state)
{
    (void)state;
    assert_true(cap_delete(&loose[0]));
    assert_int_equal(stub_preempt_calls, 0);
}

static void delete_copy_does_not_finalise(void **state)
{
    (void)state;
    retype(&loose[0], ep_cap(0));
    copy(&loose[0], &loose[1]);
    assert_true(cap_delete(&loose[1]));
    assert_true(cap_is_null(&loose[1].cap));
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 0);
    assert_true(cap_delete(&loose[0]));
    assert_true(cap_is_null(&loose[0].cap));
    assert_int_equal(ep_finalised(0), 1);
}

static void delete_original_keeps_copy_alive(void **state)
{
    (void)state;
    retype(&loose[0], ep_cap(0));
    copy(&loose[0], &loose[1]);
    copy(&loose[0], &loose[2]);
    assert_true(cap_delete(&loose[0]));
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 0);
    assert_ptr_equal(CDT_PARENT_OF(&loose[1]), &ut);
    assert_true(cap_delete(&loose[2]));
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 0);
    assert_true(cdt_is_final(&loose[1]));
    assert_true(cap_delete(&loose[1]));
    assert_int_equal(ep_finalised(0), 1);
}

/* Each object type's finaliser runs once, on its last cap only. */
static void last_cap_finalises_each_type_once(void **state)
{
    (void)state;
    struct {
        cap_t cap;
        enum stub_hook hook;
        uintptr_t key;
    } cases[] = {
        {ep_cap(1), STUB_ENDPOINT_FINALISE, (uintptr_t)&eps[1]},
        {obj_cap(L4_OBJ_NOTIFICATION, &ntfns[0]), STUB_NOTIFICATION_FINALISE, (uintptr_t)&ntfns[0]},
        {obj_cap(L4_OBJ_PAGE_DIRECTORY, (void *)0x20000000), STUB_PD_FINALISE, 0x20000000},
        {{.type = L4_OBJ_IRQ_HANDLER, .obj = 37}, STUB_IRQ_FINALISE, 37},
    };
    for (unsigned i = 0; i < ARRAY_SIZE(cases); i++) {
        retype(&loose[0], cases[i].cap);
        copy(&loose[0], &loose[1]);
        copy(&loose[1], &loose[2]);
        assert_true(cap_delete(&loose[1]));
        assert_true(cap_delete(&loose[0]));
        assert_int_equal(stub_calls(cases[i].hook, cases[i].key), 0);
        assert_true(cap_delete(&loose[2]));
        assert_int_equal(stub_calls(cases[i].hook, cases[i].key), 1);
        assert_int_equal(stub_total(cases[i].hook), 1);
    }
}

/* Frames and page tables unmap per cap, final or not, and have no finaliser. */
static void frame_caps_unmap_each_cap(void **state)
{
    (void)state;
    retype(&loose[0], obj_cap(L4_OBJ_FRAME_4K, (void *)0x30000000));
    copy(&loose[0], &loose[1]);
    retype(&loose[2], obj_cap(L4_OBJ_PAGE_TABLE, (void *)0x30100000));
    assert_true(cap_delete(&loose[1]));
    assert_int_equal(stub_calls(STUB_CAP_UNMAP, (uintptr_t)&loose[1]), 1);
    assert_true(cap_delete(&loose[0]));
    assert_int_equal(stub_calls(STUB_CAP_UNMAP, (uintptr_t)&loose[0]), 1);
    assert_true(cap_delete(&loose[2]));
    assert_int_equal(stub_calls(STUB_CAP_UNMAP, (uintptr_t)&loose[2]), 1);
    assert_int_equal(stub_total(STUB_CAP_UNMAP), 3);
}

static void reply_cap_is_released(void **state)
{
    (void)state;
    cap_t r = obj_cap(L4_OBJ_REPLY, &tcbs[0]);
    cdt_insert_child(NULL, &loose[3], &r);
    assert_true(cap_delete(&loose[3]));
    assert_int_equal(stub_calls(STUB_REPLY_RELEASE, (uintptr_t)&loose[3]), 1);
    assert_int_equal(stub_total(STUB_TCB_FINALISE), 0);
}

/* Untyped and empty CNodes have nothing to finalise. */
static void untyped_and_empty_cnode_call_no_hooks(void **state)
{
    (void)state;
    cap_t child = {.type = L4_OBJ_UNTYPED, .bits = 12, .obj = 0x10000000};
    retype(&loose[0], child);
    retype(&loose[1], cnode_cap(cn[0], CNODE_RADIX));
    assert_true(cap_delete(&loose[0]));
    assert_true(cap_delete(&loose[1]));
    for (unsigned h = 0; h < STUB_HOOKS; h++)
        assert_int_equal(stub_total(h), 0);
    assert_null(ut.first_child);
}

/* --- objects holding slots ---------------------------------------------------- */

/* cn[0] holds: the only cap to eps[0], a copy of eps[1] (original outside),
 * a frame, and a copy of a CNode cap (cn[1], original outside). */
static void fill_cnode0(void)
{
    retype(&cn[0][0], ep_cap(0));
    retype(&loose[1], ep_cap(1));
    copy(&loose[1], &cn[0][3]);
    retype(&cn[0][7], obj_cap(L4_OBJ_FRAME_4K, (void *)0x30000000));
    retype(&loose[2], cnode_cap(cn[1], CNODE_RADIX));
    retype(&cn[1][0], ep_cap(2));
    copy(&loose[2], &cn[0][15]);
}

static void delete_copy_of_cnode_keeps_contents(void **state)
{
    (void)state;
    retype(&loose[0], cnode_cap(cn[0], CNODE_RADIX));
    copy(&loose[0], &loose[3]);
    fill_cnode0();
    assert_true(cap_delete(&loose[3]));
    assert_false(cap_is_null(&cn[0][0].cap));
    assert_false(cap_is_null(&cn[0][3].cap));
    assert_false(cap_is_null(&cn[0][7].cap));
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 0);
    assert_int_equal(stub_total(STUB_CAP_UNMAP), 0);
    assert_int_equal(loose[0].cap.rights & CAP_ZOMBIE, 0);
}

static void delete_last_cnode_cap_deletes_contents(void **state)
{
    (void)state;
    retype(&loose[0], cnode_cap(cn[0], CNODE_RADIX));
    fill_cnode0();
    assert_true(cap_delete(&loose[0]));
    assert_true(cap_is_null(&loose[0].cap));
    assert_true(cnode_empty(cn[0], 16));
    assert_int_equal(ep_finalised(0), 1);
    assert_int_equal(ep_finalised(1), 0);
    assert_int_equal(stub_calls(STUB_CAP_UNMAP, (uintptr_t)&cn[0][7]), 1);
    /* caps outside stay, and are now the last ones */
    assert_true(cdt_is_final(&loose[1]));
    assert_true(cdt_is_final(&loose[2]));
    assert_false(cap_is_null(&cn[1][0].cap)); /* cn[1] was not destroyed */
    assert_int_equal(ep_finalised(2), 0);
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 1);
}

/* A CNode whose only cap is in one of its own slots. */
static void cnode_holding_only_cap_to_itself(void **state)
{
    (void)state;
    retype(&cn[0][3], cnode_cap(cn[0], CNODE_RADIX));
    retype(&cn[0][0], ep_cap(0));
    retype(&cn[0][9], ep_cap(1));
    assert_true(cap_delete(&cn[0][3]));
    assert_true(cnode_empty(cn[0], 16));
    assert_int_equal(ep_finalised(0), 1);
    assert_int_equal(ep_finalised(1), 1);
    assert_null(ut.first_child);
}

static void cnode_holding_only_cap_to_itself_via_revoke(void **state)
{
    (void)state;
    retype(&cn[0][0], ep_cap(0));
    retype(&cn[0][3], cnode_cap(cn[0], CNODE_RADIX));
    retype(&cn[0][9], ep_cap(1));
    assert_true(cap_revoke(&ut));
    assert_true(cnode_empty(cn[0], 16));
    assert_int_equal(ep_finalised(0), 1);
    assert_int_equal(ep_finalised(1), 1);
    assert_int_equal(ut.cap.data, 0);
}

/* Two CNodes each holding the only cap to the other, and a third inside
 * one of them, all reached through revoking the untyped they came from. */
static void build_cycle(void)
{
    retype(&cn[0][0], ep_cap(0));
    retype(&cn[0][5], cnode_cap(cn[1], CNODE_RADIX)); /* A holds B */
    retype(&cn[1][1], ep_cap(1));
    retype(&cn[1][2], cnode_cap(cn[2], CNODE_RADIX)); /* B holds C */
    retype(&cn[2][15], ep_cap(2));
    retype(&cn[1][6], cnode_cap(cn[0], CNODE_RADIX)); /* B holds A */
    copy(&cn[1][1], &cn[0][8]);                       /* a copy of eps[1] in A */
}

static void check_cycle_destroyed(void)
{
    for (unsigned i = 0; i < 3; i++)
        assert_true(cnode_empty(cn[i], 16));
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(ep_finalised(i), 1);
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 3);
    assert_null(ut.first_child);
    assert_int_equal(ut.cap.data, 0);
}

static void cnode_cycle_destroyed_by_revoke(void **state)
{
    (void)state;
    build_cycle();
    assert_true(cap_revoke(&ut));
    check_cycle_destroyed();
}

/* Nested CNodes, DEEP levels: deep[k][0] holds the only cap to deep[k+1]
 * and deep[k][1] an endpoint; the innermost holds an endpoint in slot 0.
 * Deleting the outer cap empties them all. */
/* The delete walk's zombies (core/delete.c): a parked zombie lies in a slot
 * of its own object; rings are consistent and have at most one member that
 * is not parked. Checked over every slot the tests use. */
static bool slot_in(const cte_t *x, const cte_t *base, size_t n)
{
    return x >= base && x < base + n;
}

static void check_zombie(const cte_t *x)
{
    const cap_t *c = &x->cap;
    if (!(c->rights & CAP_ZOMBIE) || (c->type != L4_OBJ_CNODE && c->type != L4_OBJ_TCB))
        return;
    const cte_t *obj =
        c->type == L4_OBJ_CNODE ? (const cte_t *)c->obj : ((const tcb_t *)c->obj)->slots;
    size_t n = c->type == L4_OBJ_CNODE ? (size_t)1 << c->bits : TCB_SLOTS;
    if (c->rights & CAP_PARKED)
        assert_true(slot_in(x, obj, n));
    const cte_t *next = (const cte_t *)c->data, *prev = (const cte_t *)c->data2;
    assert_true((next == NULL) == (prev == NULL));
    if (!next)
        return;
    assert_ptr_equal((const cte_t *)next->cap.data2, x);
    assert_ptr_equal((const cte_t *)prev->cap.data, x);
    unsigned active = 0, members = 0;
    const cte_t *r = x;
    do {
        assert_true(r->cap.rights & CAP_ZOMBIE);
        active += !(r->cap.rights & CAP_PARKED);
        assert_true(++members <= 4 * DEEP);
        r = (const cte_t *)r->cap.data;
    } while (r != x);
    assert_true(active <= 1);
}

static void check_zombies(void)
{
    for (unsigned i = 0; i < 16; i++)
        check_zombie(&loose[i]);
    for (unsigned i = 0; i < NCNODES; i++)
        for (unsigned j = 0; j < (1u << CNODE_RADIX); j++)
            check_zombie(&cn[i][j]);
    for (unsigned i = 0; i < DEEP; i++)
        for (unsigned j = 0; j < 2; j++)
            check_zombie(&deep[i][j]);
    for (unsigned i = 0; i < 2; i++)
        for (unsigned j = 0; j < TCB_SLOTS; j++)
            check_zombie(&tcbs[i].slots[j]);
}

static void build_deep_nesting(void)
{
    retype(&loose[0], cnode_cap(deep[0], 1));
    for (unsigned k = 0; k + 1 < DEEP; k++) {
        retype(&deep[k][0], cnode_cap(deep[k + 1], 1));
        retype(&deep[k][1], ep_cap(k));
    }
    retype(&deep[DEEP - 1][0], ep_cap(DEEP - 1));
}

static void check_deep_nesting_destroyed(void)
{
    assert_true(cap_is_null(&loose[0].cap));
    assert_true(cnode_empty(&deep[0][0], 2 * DEEP));
    for (unsigned k = 0; k < DEEP; k++)
        assert_int_equal(ep_finalised(k), 1);
    assert_null(ut.first_child);
}

static void delete_deeply_nested_cnodes(void **state)
{
    (void)state;
    build_deep_nesting();
    assert_true(cap_delete(&loose[0]));
    check_deep_nesting_destroyed();
}

/* --- TCBs ----------------------------------------------------------------------- */

/* tcbs[0]'s slots: a copy of a CNode cap, a copy of a PD cap, a frame and a
 * reply cap. */
/* Fills the first four TCB slots (the vCPU slots stay empty). */
#define TCB0_FILLED 4
static void fill_tcb0(void)
{
    tcb_t *t = &tcbs[0];
    retype(&loose[1], cnode_cap(cn[0], CNODE_RADIX));
    copy(&loose[1], &t->slots[TCB_SLOT_CSPACE]);
    retype(&loose[2], obj_cap(L4_OBJ_PAGE_DIRECTORY, (void *)0x20000000));
    copy(&loose[2], &t->slots[TCB_SLOT_VSPACE]);
    retype(&t->slots[TCB_SLOT_IPC_BUFFER], obj_cap(L4_OBJ_FRAME_4K, (void *)0x30000000));
    cap_t r = obj_cap(L4_OBJ_REPLY, &tcbs[1]);
    cdt_insert_child(NULL, &t->slots[TCB_SLOT_CALLER], &r);
}

static void delete_last_tcb_cap_stops_thread_then_empties_slots(void **state)
{
    (void)state;
    retype(&loose[0], obj_cap(L4_OBJ_TCB, &tcbs[0]));
    copy(&loose[0], &loose[3]);
    fill_tcb0();
    assert_true(cap_delete(&loose[3])); /* not the last */
    assert_int_equal(stub_total(STUB_TCB_FINALISE), 0);
    assert_true(cap_delete(&loose[0]));
    assert_true(cnode_empty(tcbs[0].slots, TCB_SLOTS));
    assert_true(stub_calls(STUB_TCB_FINALISE, (uintptr_t)&tcbs[0]) >= 1);
    assert_int_equal(stub_tcb_slots_at_first_finalise, TCB0_FILLED);
    assert_int_equal(stub_calls(STUB_REPLY_RELEASE, (uintptr_t)&tcbs[0].slots[TCB_SLOT_CALLER]), 1);
    assert_int_equal(stub_calls(STUB_CAP_UNMAP, (uintptr_t)&tcbs[0].slots[TCB_SLOT_IPC_BUFFER]), 1);
    assert_int_equal(stub_total(STUB_PD_FINALISE), 0); /* the PD has another cap */
    assert_true(cdt_is_final(&loose[1]));
    assert_true(cdt_is_final(&loose[2]));
}

/* The TCB is the only object destroyed here; its finaliser must run once
 * (delete.c calls tcb_finalise when it marks the cap, and object_finalise
 * calls it again when the emptied TCB's cap is removed). */
static void tcb_finalised_exactly_once(void **state)
{
    (void)state;
    retype(&loose[0], obj_cap(L4_OBJ_TCB, &tcbs[0]));
    assert_true(cap_delete(&loose[0]));
    assert_int_equal(stub_calls(STUB_TCB_FINALISE, (uintptr_t)&tcbs[0]), 1);
}

/* A TCB holding the only cap to its CSpace CNode, which holds the only cap
 * to the TCB: a cycle through a thread. */
static void tcb_cnode_cycle_destroyed_by_revoke(void **state)
{
    (void)state;
    retype(&tcbs[0].slots[TCB_SLOT_CSPACE], cnode_cap(cn[0], CNODE_RADIX));
    retype(&cn[0][1], obj_cap(L4_OBJ_TCB, &tcbs[0]));
    retype(&cn[0][2], ep_cap(0));
    assert_true(cap_revoke(&ut));
    assert_true(cnode_empty(cn[0], 16));
    assert_true(cnode_empty(tcbs[0].slots, TCB_SLOTS));
    assert_int_equal(ep_finalised(0), 1);
    assert_true(stub_calls(STUB_TCB_FINALISE, (uintptr_t)&tcbs[0]) >= 1);
    assert_null(ut.first_child);
}

/* --- revoke ----------------------------------------------------------------------- */

static void revoke_without_children_is_noop(void **state)
{
    (void)state;
    retype(&loose[0], ep_cap(0));
    assert_true(cap_revoke(&loose[0]));
    assert_false(cap_is_null(&loose[0].cap));
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 0);
}

/* A chain of DEEP copies, each derived from the one before. */
static void revoke_deep_chain_of_copies(void **state)
{
    (void)state;
    retype(&chain[0], ep_cap(0));
    for (unsigned i = 1; i <= DEEP; i++)
        copy(&chain[i - 1], &chain[i]);
    assert_true(cap_revoke(&chain[0]));
    assert_null(chain[0].first_child);
    assert_true(cnode_empty(&chain[1], DEEP));
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 0);
    assert_true(cdt_is_final(&chain[0]));
    assert_true(cap_delete(&chain[0]));
    assert_int_equal(ep_finalised(0), 1);
}

/* Revoking the middle of a chain removes only what lies below it. */
static void revoke_middle_of_chain(void **state)
{
    (void)state;
    retype(&chain[0], ep_cap(0));
    for (unsigned i = 1; i <= DEEP; i++)
        copy(&chain[i - 1], &chain[i]);
    assert_true(cap_revoke(&chain[100]));
    assert_true(cnode_empty(&chain[101], DEEP - 100));
    for (unsigned i = 0; i <= 100; i++)
        assert_false(cap_is_null(&chain[i].cap));
    assert_int_equal(stub_total(STUB_ENDPOINT_FINALISE), 0);
}

/* DEEP objects retyped from the untyped, each with copies. */
static void revoke_wide_tree(void **state)
{
    (void)state;
    static cte_t wide[DEEP][3];
    memset(wide, 0, sizeof(wide));
    for (unsigned i = 0; i < DEEP; i++) {
        retype(&wide[i][0], ep_cap(i));
        copy(&wide[i][0], &wide[i][1]);
        copy(&wide[i][1], &wide[i][2]);
    }
    assert_true(cap_revoke(&ut));
    assert_true(cnode_empty(&wide[0][0], 3 * DEEP));
    for (unsigned i = 0; i < DEEP; i++)
        assert_int_equal(ep_finalised(i), 1);
    assert_null(ut.first_child);
    assert_int_equal(ut.cap.data, 0); /* the watermark is reset */
    assert_false(cap_is_null(&ut.cap));
}

/* --- preemption and restart -------------------------------------------------------- */

/* Interrupted at every preemption point: each call makes progress, the
 * slot being deleted stays a zombie in between, and the result is the same
 * as without interruption. */
static void preempted_delete_resumes(void **state)
{
    (void)state;
    build_deep_nesting();
    stub_preempt_every = 1;
    assert_false(cap_delete(&loose[0]));
    /* one step: the top became a zombie, nothing below was looked at */
    assert_true(loose[0].cap.rights & CAP_ZOMBIE);
    assert_false(deep[0][0].cap.rights & CAP_ZOMBIE);
    unsigned interrupted = 1;
    while (!cap_delete(&loose[0])) {
        assert_true(loose[0].cap.rights & CAP_ZOMBIE);
        check_zombies();
        assert_true(++interrupted < 10 * DEEP);
    }
    /* linear in the nesting: a few steps per CNode (it becomes a zombie and
     * is pulled from on the way down; on the way up it comes back from the
     * ring, its endpoint is pulled up and removed, and it is removed) */
    assert_true(interrupted <= 8 * DEEP);
    check_deep_nesting_destroyed();
}

/* Walk steps of constant cost: however deep the nesting, each step scans at
 * most two chunks of slots (the top's zombie, and the one it pulls from),
 * and the number of steps grows linearly with the number of objects. */
static void walk_steps_are_constant_and_linear_in_the_nesting(void **state)
{
    unsigned steps[2] = {0};
    const unsigned depth[2] = {DEEP / 4, DEEP};
    for (unsigned r = 0; r < 2; r++) {
        setup(state);
        retype(&loose[0], cnode_cap(deep[0], 1));
        for (unsigned k = 0; k + 1 < depth[r]; k++) {
            retype(&deep[k][0], cnode_cap(deep[k + 1], 1));
            retype(&deep[k][1], ep_cap(k));
        }
        retype(&deep[depth[r] - 1][0], ep_cap(depth[r] - 1));
        stub_preempt_every = 1;
        word_t most = 0;
        for (steps[r] = 1; !cap_delete(&loose[0]); steps[r]++)
            if (delete_debug_step_slots > most)
                most = delete_debug_step_slots;
        assert_true(most <= 2 * 2); /* two radix-1 CNodes */
        for (unsigned k = 0; k < depth[r]; k++)
            assert_int_equal(ep_finalised(k), 1);
        assert_true(cnode_empty(&deep[0][0], 2 * depth[r]));
    }
    /* four times the depth, at most 10% more than four times the steps
     * (a quadratic walk would take sixteen times) */
    assert_true(10 * steps[1] <= 44 * steps[0]);
}

/* A CNode of 4096 slots with three caps far apart: each step scans one
 * chunk of 256 slots at most, and the scan resumes where it stopped. */
static void zombie_scan_is_bounded_per_step(void **state)
{
    (void)state;
    static cte_t big[4096];
    memset(big, 0, sizeof big);
    retype(&loose[0], cnode_cap(big, 12));
    retype(&big[5], ep_cap(0));
    retype(&big[2047], ep_cap(1));
    retype(&big[4095], ep_cap(2));
    stub_preempt_every = 1;
    unsigned calls = 1;
    while (!cap_delete(&loose[0])) {
        assert_true(delete_debug_step_slots <= 256);
        assert_true(++calls < 100);
    }
    /* zombie, 16 chunks, 3 removals, the CNode */
    assert_true(calls <= 1 + 16 + 3 + 1);
    for (unsigned i = 0; i < 3; i++)
        assert_int_equal(ep_finalised(i), 1);
}

/* An endpoint with waiters dies a batch of waiters per step, as a zombie
 * with no rights; one without waiters goes in one step. */
static void endpoint_with_waiters_is_drained_in_batches(void **state)
{
    (void)state;
    retype(&loose[0], ep_cap(0));
    stub_set_waiters(&eps[0], 100);
    stub_preempt_every = 1;
    unsigned calls = 1;
    while (!cap_delete(&loose[0])) {
        assert_int_equal(loose[0].cap.rights, CAP_ZOMBIE); /* unusable meanwhile */
        assert_int_equal(ep_finalised(0), 0);
        assert_true(++calls < 100);
    }
    assert_int_equal(calls, 1 + (100 + 15) / 16);
    assert_int_equal(ep_finalised(0), 1);
    /* the same inside a CNode being destroyed */
    setup(state);
    retype(&loose[0], cnode_cap(cn[0], CNODE_RADIX));
    retype(&cn[0][3], ep_cap(1));
    retype(&cn[0][9], obj_cap(L4_OBJ_NOTIFICATION, &ntfns[0]));
    stub_set_waiters(&eps[1], 40);
    stub_set_waiters(&ntfns[0], 17);
    assert_true(cap_delete(&loose[0]));
    assert_int_equal(ep_finalised(1), 1);
    assert_int_equal(stub_calls(STUB_NOTIFICATION_FINALISE, (uintptr_t)&ntfns[0]), 1);
    assert_int_equal(stub_calls(STUB_NTFN_DETACH, (uintptr_t)&ntfns[0]), 1);
    assert_true(cnode_empty(cn[0], 16));
}

/* A walk preempted and never resumed leaves zombies (some parked in their
 * own CNodes, in its ring) below its top. Destroying the CNode that holds
 * that top finishes all of it: the abandoned ring joins the new walk's. */
static void abandoned_walk_is_finished_by_the_walk_that_reaches_its_top(void **state)
{
    (void)state;
    retype(&loose[0], cnode_cap(cn[0], CNODE_RADIX));
    /* cn[0][7] holds the last cap to the deep nesting */
    retype(&cn[0][7], cnode_cap(deep[0], 1));
    for (unsigned k = 0; k + 1 < DEEP; k++) {
        retype(&deep[k][0], cnode_cap(deep[k + 1], 1));
        retype(&deep[k][1], ep_cap(k));
    }
    retype(&deep[DEEP - 1][0], ep_cap(DEEP - 1));
    stub_preempt_every = 1;
    for (unsigned i = 0; i < 40; i++) {
        assert_false(cap_delete(&cn[0][7])); /* then its thread goes away */
        check_zombies();
    }
    assert_true(cn[0][7].cap.rights & CAP_ZOMBIE);
    stub_preempt_every = 3;
    unsigned calls = 1;
    while (!cap_delete(&loose[0])) {
        check_zombies();
        assert_true(++calls < 10 * DEEP);
    }
    for (unsigned k = 0; k < DEEP; k++)
        assert_int_equal(ep_finalised(k), 1);
    assert_true(cnode_empty(&deep[0][0], 2 * DEEP));
    assert_true(cnode_empty(cn[0], 16));
    assert_null(ut.first_child);
}

/* The same, but the abandoned zombies are reached through the derivation
 * tree: revoking the untyped they came from finishes them, parked or not. */
static void abandoned_walk_is_finished_by_revoking_its_untyped(void **state)
{
    for (unsigned stop = 3; stop <= 60; stop += 19) {
        setup(state);
        build_deep_nesting();
        stub_preempt_every = 1;
        for (unsigned i = 0; i < stop; i++)
            assert_false(cap_delete(&loose[0]));
        check_zombies();
        stub_preempt_every = 2;
        unsigned calls = 1;
        while (!cap_revoke(&ut)) {
            check_zombies();
            assert_true(++calls < 20 * DEEP);
        }
        check_deep_nesting_destroyed();
    }
}

static void preempted_delete_resumes_every_n(void **state)
{
    (void)state;
    for (unsigned n = 2; n <= 7; n++) {
        setup(state);
        build_deep_nesting();
        stub_preempt_every = n;
        unsigned calls = 1;
        while (!cap_delete(&loose[0]))
            assert_true(++calls < 10 * DEEP);
        assert_true(calls > 1);
        check_deep_nesting_destroyed();
    }
}

/* A TCB's thread is stopped once when its cap becomes a zombie, and not again
 * at each restart. */
static void preempted_tcb_delete_stops_thread_once(void **state)
{
    (void)state;
    retype(&loose[0], obj_cap(L4_OBJ_TCB, &tcbs[0]));
    fill_tcb0();
    stub_preempt_every = 1;
    unsigned calls = 1;
    while (!cap_delete(&loose[0])) {
        assert_true(loose[0].cap.rights & CAP_ZOMBIE);
        assert_int_equal(stub_calls(STUB_TCB_FINALISE, (uintptr_t)&tcbs[0]), 1);
        assert_true(++calls < 100);
    }
    /* one step per call: the zombie, a removal per slot, the TCB itself */
    assert_int_equal(calls, 1 + TCB0_FILLED + 1);
    assert_true(cnode_empty(tcbs[0].slots, TCB_SLOTS));
}

static void preempted_revoke_of_cycle_resumes(void **state)
{
    (void)state;
    for (unsigned n = 1; n <= 5; n++) {
        setup(state);
        build_cycle();
        stub_preempt_every = n;
        unsigned calls = 1;
        bool zombie_seen = false;
        while (!cap_revoke(&ut)) {
            assert_true(++calls < 100);
            for (unsigned i = 0; i < 3; i++)
                for (unsigned j = 0; j < 16; j++)
                    zombie_seen |= (cn[i][j].cap.rights & CAP_ZOMBIE) != 0;
        }
        assert_true(calls > 1);
        if (n == 1)
            assert_true(zombie_seen);
        check_cycle_destroyed();
    }
}

/* Preempted between two children: the revoke resumes with the next child. */
static void preempted_revoke_of_wide_tree_resumes(void **state)
{
    (void)state;
    for (unsigned i = 0; i < 10; i++)
        retype(&chain[i], ep_cap(i));
    stub_preempt_every = 3;
    unsigned calls = 1;
    while (!cap_revoke(&ut))
        assert_true(++calls < 100);
    assert_int_equal(calls, 4);
    for (unsigned i = 0; i < 10; i++)
        assert_int_equal(ep_finalised(i), 1);
    assert_null(ut.first_child);
}

/* --- moves ----------------------------------------------------------------------- */

static void move_tells_vspace_and_keeps_tree(void **state)
{
    (void)state;
    retype(&loose[0], obj_cap(L4_OBJ_FRAME_4K, (void *)0x30000000));
    copy(&loose[0], &loose[1]);
    cap_move(&loose[0], &loose[5]);
    assert_true(cap_is_null(&loose[0].cap));
    assert_int_equal(stub_calls(STUB_CAP_MOVED, (uintptr_t)&loose[5]), 1);
    assert_ptr_equal(CDT_PARENT_OF(&loose[1]), &loose[5]);
    assert_true(cap_revoke(&loose[5]));
    assert_true(cap_is_null(&loose[1].cap));
}

static void move_reply_cap_updates_holder(void **state)
{
    (void)state;
    cap_t r = obj_cap(L4_OBJ_REPLY, &tcbs[1]);
    cte_t *caller = &tcbs[0].slots[TCB_SLOT_CALLER];
    cdt_insert_child(NULL, caller, &r);
    tcbs[1].reply_holder = caller;
    cap_move(caller, &loose[4]);
    assert_ptr_equal(tcbs[1].reply_holder, &loose[4]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(delete_empty_slot_does_nothing, setup),
        cmocka_unit_test_setup(delete_copy_does_not_finalise, setup),
        cmocka_unit_test_setup(delete_original_keeps_copy_alive, setup),
        cmocka_unit_test_setup(last_cap_finalises_each_type_once, setup),
        cmocka_unit_test_setup(frame_caps_unmap_each_cap, setup),
        cmocka_unit_test_setup(reply_cap_is_released, setup),
        cmocka_unit_test_setup(untyped_and_empty_cnode_call_no_hooks, setup),
        cmocka_unit_test_setup(delete_copy_of_cnode_keeps_contents, setup),
        cmocka_unit_test_setup(delete_last_cnode_cap_deletes_contents, setup),
        cmocka_unit_test_setup(cnode_holding_only_cap_to_itself, setup),
        cmocka_unit_test_setup(cnode_holding_only_cap_to_itself_via_revoke, setup),
        cmocka_unit_test_setup(cnode_cycle_destroyed_by_revoke, setup),
        cmocka_unit_test_setup(delete_deeply_nested_cnodes, setup),
        cmocka_unit_test_setup(delete_last_tcb_cap_stops_thread_then_empties_slots, setup),
        cmocka_unit_test_setup(tcb_finalised_exactly_once, setup),
        cmocka_unit_test_setup(tcb_cnode_cycle_destroyed_by_revoke, setup),
        cmocka_unit_test_setup(revoke_without_children_is_noop, setup),
        cmocka_unit_test_setup(revoke_deep_chain_of_copies, setup),
        cmocka_unit_test_setup(revoke_middle_of_chain, setup),
        cmocka_unit_test_setup(revoke_wide_tree, setup),
        cmocka_unit_test_setup(preempted_delete_resumes, setup),
        cmocka_unit_test_setup(preempted_delete_resumes_every_n, setup),
        cmocka_unit_test_setup(preempted_tcb_delete_stops_thread_once, setup),
        cmocka_unit_test_setup(preempted_revoke_of_cycle_resumes, setup),
        cmocka_unit_test_setup(preempted_revoke_of_wide_tree_resumes, setup),
        cmocka_unit_test_setup(walk_steps_are_constant_and_linear_in_the_nesting, setup),
        cmocka_unit_test_setup(zombie_scan_is_bounded_per_step, setup),
        cmocka_unit_test_setup(endpoint_with_waiters_is_drained_in_batches, setup),
        cmocka_unit_test_setup(abandoned_walk_is_finished_by_the_walk_that_reaches_its_top, setup),
        cmocka_unit_test_setup(abandoned_walk_is_finished_by_revoking_its_untyped, setup),
        cmocka_unit_test_setup(move_tells_vspace_and_keeps_tree, setup),
        cmocka_unit_test_setup(move_reply_cap_updates_holder, setup),
    };
    return cmocka_run_group_tests_name("delete", tests, NULL, NULL);
}
