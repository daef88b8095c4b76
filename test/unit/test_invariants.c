/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug invariant checker (kernel/core/invariants*.c) on a world built
 * by hand: every invariant holds in it, and each corruption of one thing
 * is reported as that violation, at that object. The real derivation tree
 * (core/cdt.c) and ready queues (core/sched.c) underneath; the address-space,
 * ASID and IRQ tables are this file's (the stubs at the end). */
#include "unit.h"
#include <invariants.h>
#include <irq.h>
#include <object/objects.h>
#include <object/vcpu.h>
#include <object/vcpu_timer.h>
#include <object/vspace.h>
#include <platform.h>
#include <registry.h>
#include <sched.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h> /* the kernel's: memset */

#define ARENA_BITS 23 /* 8 MiB: the untyped every object comes from */
#define ROOT_RADIX 6
#define ASID 5

static uint8_t *arena;
static uintptr_t used;

/* --- the stubs: what core/invariants*.c asks of vspace.c, irq.c, gic.c ------------- */
static pd_t *asids[NUM_ASIDS];
static bool asid_free_bit[NUM_ASIDS];
static word_t asids_in_use;
static pt_t *tables[8];
static bool claimed[PLAT_IRQ_MAX];
static notification_t *delivers[PLAT_IRQ_MAX];
static char printed[256];

pd_t *vspace_pd_of_asid(word_t a)
{
    return a < NUM_ASIDS ? asids[a] : NULL;
}
bool vspace_asid_free(word_t a)
{
    return asid_free_bit[a];
}
word_t vspace_asids_used(void)
{
    return asids_in_use;
}
/* A table entry holds the index of a table of `tables` (host pointers do
 * not fit an entry). */
pt_t *vspace_pde_table(uint32_t pde)
{
    return tables[(pde >> 10) & 7];
}
paddr_t vspace_pd_paddr(const pd_t *pd)
{
    return (paddr_t)((const uint8_t *)pd - arena) + 0x40000000u;
}
/* The vCPU timer heap (object/vcpu_timer.c): empty in these worlds. */
const vcpu_timer_t *vcpu_timer_heap_root(void)
{
    return NULL;
}
word_t vcpu_timer_heap_count(void)
{
    return 0;
}
bool irq_is_claimed(word_t irq)
{
    return claimed[irq];
}
const notification_t *irq_notification(word_t irq)
{
    return delivers[irq];
}
const struct vcpu *irq_vcpu(word_t irq, word_t *bit)
{
    (void)irq;
    *bit = 0;
    return NULL; /* these tests route no line to a vCPU */
}
word_t irq_delivering_count(void)
{
    word_t n = 0;
    for (unsigned i = 0; i < PLAT_IRQ_MAX; i++)
        n += delivers[i] != NULL;
    return n;
}
bool plat_irq_user_ok(uint32_t irq)
{
    return irq >= 32 && irq < PLAT_IRQ_MAX;
}
/* The checker prints one line whose first argument is the violation's
 * name: keep the name. */
void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *name = va_arg(ap, const char *);
    va_end(ap);
    unsigned i = 0;
    for (; name[i] && i < sizeof printed - 1; i++)
        printed[i] = name[i];
    printed[i] = 0;
    (void)fmt;
}

/* --- the world ------------------------------------------------------------------------ */

static void *carve(uintptr_t bytes)
{
    used = (used + bytes - 1) & ~(bytes - 1); /* naturally aligned, as retype places them */
    void *p = arena + used;
    used += bytes;
    return p;
}

static struct {
    cte_t *root;  /* a CNode of 2^ROOT_RADIX slots */
    cte_t *cnode; /* a CNode of 8 slots */
    tcb_t *me, *receiver, *runnable, *caller;
    endpoint_t *ep;
    notification_t *ntfn;
    pd_t *pd;
    pt_t *pt;
    void *section, *page;
} w;

enum {
    R_UT,
    R_ROOT,
    R_EP,
    R_NTFN,
    R_CNODE,
    R_ME,
    R_RECEIVER,
    R_RUNNABLE,
    R_CALLER,
    R_PD,
    R_SECTION,
    R_PT,
    R_PAGE,
    R_EP_COPY,
    R_IRQ_CONTROL,
    R_IRQ
};

static cap_t obj_cap(uint8_t type, const void *obj)
{
    return (cap_t){.type = type, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)obj};
}

static cte_t *rslot(unsigned i)
{
    return &w.root[i];
}

/* A new object's cap in root slot i, a child of the untyped. */
static void retyped(unsigned i, cap_t c)
{
    cdt_insert_child(rslot(R_UT), rslot(i), &c);
    rslot(R_UT)->cap.data = used;
}

/* A TCB's own slot, as configure fills it. */
static void tcb_slot(tcb_t *t, unsigned i, cte_t *parent)
{
    cap_t c = parent->cap;
    c.rights |= CAP_IN_TCB;
    cdt_insert_child(parent, &t->slots[i], &c);
}

static void tcb_init(tcb_t *t, uint8_t state, uint8_t prio)
{
    registry_insert(t); /* as retype does */
    t->state = state;
    t->priority = t->mcp = prio;
    t->time_slice = TIME_SLICE_TICKS;
}

static int setup(void **state)
{
    (void)state;
    if (!arena)
        arena = aligned_alloc(BIT(ARENA_BITS), BIT(ARENA_BITS));
    memset(arena, 0, BIT(ARENA_BITS));
    used = 0;
    memset(asids, 0, sizeof asids);
    memset(claimed, 0, sizeof claimed);
    memset(delivers, 0, sizeof delivers);
    memset(tables, 0, sizeof tables);
    printed[0] = 0;
    sched_init();
    tcb_registry = tcb_registry_tail = NULL;
    tcb_registry_count = 0;
    for (unsigned a = 1; a < NUM_ASIDS; a++)
        asid_free_bit[a] = true;
    asid_free_bit[0] = false;
    asids_in_use = 0;

    /* The root CNode and the untyped, boot caps (roots of the tree). */
    w.root = carve(BIT(ROOT_RADIX) * sizeof(cte_t));
    cap_t ut = {.type = L4_OBJ_UNTYPED,
                .rights = L4_RIGHTS_ALL,
                .bits = ARENA_BITS,
                .obj = (uintptr_t)arena};
    cdt_insert_child(NULL, rslot(R_UT), &ut);
    cap_t root = obj_cap(L4_OBJ_CNODE, w.root);
    root.bits = ROOT_RADIX;
    cdt_insert_child(NULL, rslot(R_ROOT), &root);

    w.ep = carve(16);
    w.ntfn = carve(16);
    w.cnode = carve(8 * sizeof(cte_t) * 2);
    w.me = carve(BIT(L4_OBJ_TCB_BITS));
    w.receiver = carve(BIT(L4_OBJ_TCB_BITS));
    w.runnable = carve(BIT(L4_OBJ_TCB_BITS));
    w.caller = carve(BIT(L4_OBJ_TCB_BITS));
    w.pd = carve(BIT(15));
    w.pt = carve(BIT(12));
    w.section = carve(BIT(20));
    w.page = carve(BIT(12));
    retyped(R_EP, obj_cap(L4_OBJ_ENDPOINT, w.ep));
    retyped(R_NTFN, obj_cap(L4_OBJ_NOTIFICATION, w.ntfn));
    cap_t cn = obj_cap(L4_OBJ_CNODE, w.cnode);
    cn.bits = 3;
    retyped(R_CNODE, cn);
    retyped(R_ME, obj_cap(L4_OBJ_TCB, w.me));
    retyped(R_RECEIVER, obj_cap(L4_OBJ_TCB, w.receiver));
    retyped(R_RUNNABLE, obj_cap(L4_OBJ_TCB, w.runnable));
    retyped(R_CALLER, obj_cap(L4_OBJ_TCB, w.caller));
    cap_t pd = obj_cap(L4_OBJ_PAGE_DIRECTORY, w.pd);
    pd.data = ASID;
    retyped(R_PD, pd);
    asids[ASID] = w.pd;
    asid_free_bit[ASID] = false;
    asids_in_use = 1;
    retyped(R_SECTION, obj_cap(L4_OBJ_FRAME_1M, w.section));
    retyped(R_PT, obj_cap(L4_OBJ_PAGE_TABLE, w.pt));
    retyped(R_PAGE, obj_cap(L4_OBJ_FRAME_4K, w.page));
    cap_t badged = rslot(R_EP)->cap;
    badged.data = 7;
    cdt_insert_child(rslot(R_EP), rslot(R_EP_COPY), &badged); /* a copy: a child */

    /* Mappings: the section at 1 MiB, the table at 2 MiB with the page in it. */
    rslot(R_SECTION)->cap.data = (1u << 20) | ASID;
    w.pd->pde[1] = PDE_TYPE_SECTION;
    w.pd->shadow[1] = rslot(R_SECTION);
    tables[1] = w.pt;
    rslot(R_PT)->cap.data = (2u << 20) | ASID;
    w.pd->pde[2] = (1u << 10) | PDE_TYPE_TABLE;
    w.pd->shadow[2] = rslot(R_PT);
    rslot(R_PAGE)->cap.data = (2u << 20) | ASID;
    w.pt->pte[0] = PTE_TYPE_SMALL;
    w.pt->shadow[0] = rslot(R_PAGE);

    /* Threads: the checking one running (its CSpace the root CNode, its
     * space the page directory), one receiving on the endpoint, one
     * runnable, one waiting for the receiver's reply. */
    tcb_init(w.me, THREAD_RUNNABLE, 100);
    tcb_slot(w.me, TCB_SLOT_CSPACE, rslot(R_ROOT));
    tcb_slot(w.me, TCB_SLOT_VSPACE, rslot(R_PD));
    w.me->vspace_pd = vspace_pd_paddr(w.pd);
    w.me->asid = ASID;
    ks_cur = w.me;
    tcb_init(w.receiver, THREAD_BLOCKED_RECV, 100);
    w.receiver->blocked_on = w.ep;
    w.ep->head = w.ep->tail = w.receiver;
    w.ep->state = EP_RECEIVING;
    tcb_init(w.runnable, THREAD_RUNNABLE, 100);
    sched_enqueue(w.runnable);
    tcb_init(w.caller, THREAD_BLOCKED_REPLY, 100);
    cap_t reply = {.type = L4_OBJ_REPLY, .rights = L4_RIGHT_WRITE, .obj = (uintptr_t)w.caller};
    cdt_insert_child(NULL, &w.receiver->slots[TCB_SLOT_CALLER], &reply);
    w.caller->reply_holder = &w.receiver->slots[TCB_SLOT_CALLER];
    /* The notification bound to the runnable thread. */
    w.ntfn->bound = w.runnable;
    w.runnable->bound_ntfn = w.ntfn;
    return 0;
}

static word_t check(void)
{
    inv_result_t r;
    return invariants_check(w.me, (uintptr_t)arena, (uintptr_t)arena + BIT(ARENA_BITS), &r);
}

static inv_result_t result(void)
{
    inv_result_t r;
    invariants_check(w.me, (uintptr_t)arena, (uintptr_t)arena + BIT(ARENA_BITS), &r);
    return r;
}

/* --- the world is sound ---------------------------------------------------------------- */

static void world_holds_every_invariant(void **state)
{
    (void)state;
    inv_result_t r = result();
    assert_int_equal(r.code, INV_OK);
    assert_int_equal(r.threads, 4); /* reached by its CSpace, queues, the reply cap */
    assert_true(r.objects >= 10);   /* TCBs, endpoint, notification, CNodes, PD, untyped */
    assert_true(r.slots >= BIT(ROOT_RADIX) + 8 + 4 * TCB_SLOTS);
    assert_string_equal(printed, ""); /* nothing printed */
}

/* --- one violation each ------------------------------------------------------------- */

#define EXPECT(code_, a_)                                                                          \
    do {                                                                                           \
        inv_result_t _r = result();                                                                \
        assert_int_equal(_r.code, (code_));                                                        \
        if ((uintptr_t)(a_))                                                                       \
            assert_ptr_equal((const void *)_r.a, (const void *)(a_));                              \
        assert_string_equal(printed, invariants_name(code_)); /* and it says so */                 \
    } while (0)

static void sibling_link_broken(void **state)
{
    (void)state;
    cte_t *first = rslot(R_UT)->first_child, *second = first->next;
    second->prev = second; /* points at itself, not back at first */
    assert_int_not_equal(check(), INV_OK);
    EXPECT(INV_SIBLINGS, NULL);
}

static void parent_on_a_child_not_first(void **state)
{
    (void)state;
    cte_t *second = rslot(R_UT)->first_child->next;
    second->parent = rslot(R_UT);
    EXPECT(INV_NOT_FIRST, second);
}

static void first_child_names_another_parent(void **state)
{
    (void)state;
    rslot(R_EP_COPY)->parent = rslot(R_NTFN);
    EXPECT(INV_FIRST_CHILD, rslot(R_EP));
}

static void child_of_another_object(void **state)
{
    (void)state;
    rslot(R_EP_COPY)->cap.obj = (uintptr_t)w.ntfn; /* a "copy" of the endpoint naming another */
    EXPECT(INV_CHILD_OBJECT, rslot(R_EP));
}

static void same_object_runs_split(void **state)
{
    (void)state;
    /* A second cap to the endpoint among the untyped's children, apart from
     * the first: the final-cap test would miss one of them. */
    cap_t again = obj_cap(L4_OBJ_ENDPOINT, w.ep);
    cdt_insert_child(rslot(R_UT), rslot(R_IRQ), &again);
    EXPECT(INV_SAME_OBJECT, rslot(R_UT));
}

static void untyped_child_beyond_the_watermark(void **state)
{
    (void)state;
    rslot(R_UT)->cap.data = (uintptr_t)((uint8_t *)w.ep - arena); /* below most objects */
    EXPECT(INV_UNTYPED_CHILD, rslot(R_UT));
}

static void empty_slot_with_links(void **state)
{
    (void)state;
    w.cnode[2].next = &w.cnode[3];
    EXPECT(INV_EMPTY_LINKED, &w.cnode[2]);
}

static void zombie_with_a_copy(void **state)
{
    (void)state;
    rslot(R_EP)->cap.rights = CAP_ZOMBIE; /* but R_EP_COPY still refers to it */
    EXPECT(INV_ZOMBIE, rslot(R_EP));
}

static void zombie_ring_half_linked(void **state)
{
    (void)state;
    cte_t *z = rslot(R_CNODE);
    cdt_remove(&z[0]);
    cap_t c = obj_cap(L4_OBJ_CNODE, w.cnode);
    c.bits = 3;
    c.rights = L4_RIGHTS_ALL | CAP_ZOMBIE;
    c.data = (uintptr_t)&w.cnode[1]; /* next, but no previous */
    cdt_insert_child(rslot(R_UT), z, &c);
    EXPECT(INV_ZOMBIE_RING, z);
}

static void in_tcb_flag_in_a_cnode(void **state)
{
    (void)state;
    rslot(R_NTFN)->cap.rights |= CAP_IN_TCB;
    EXPECT(INV_IN_TCB, rslot(R_NTFN));
}

static void reply_cap_of_a_caller_not_waiting(void **state)
{
    (void)state;
    w.caller->state = THREAD_INACTIVE;
    EXPECT(INV_REPLY, &w.receiver->slots[TCB_SLOT_CALLER]);
}

static void waiting_caller_without_reply_cap(void **state)
{
    (void)state;
    w.caller->reply_holder = &w.receiver->slots[TCB_SLOT_VCPU_USER]; /* an empty slot */
    EXPECT(INV_REPLY, &w.receiver->slots[TCB_SLOT_CALLER]);          /* the cap: its holder moved */
    w.caller->reply_holder = NULL;
    cdt_remove(&w.receiver->slots[TCB_SLOT_CALLER]);
    EXPECT(INV_REPLY_HOLDER, w.caller);
}

static void runnable_thread_not_queued(void **state)
{
    (void)state;
    sched_dequeue(w.runnable);
    EXPECT(INV_QUEUED, w.runnable);
}

static void queued_thread_of_another_priority(void **state)
{
    (void)state;
    w.runnable->priority = 3; /* still in the queue of 100 */
    EXPECT(INV_READY_QUEUE, w.runnable);
}

static void running_thread_queued(void **state)
{
    (void)state;
    ks_cur = w.runnable; /* queued while it runs */
    inv_result_t r;
    invariants_check(w.runnable, (uintptr_t)arena, (uintptr_t)arena + BIT(ARENA_BITS), &r);
    assert_int_equal(r.code, INV_READY_QUEUE);
}

static void receiver_missing_from_its_queue(void **state)
{
    (void)state;
    w.ep->head = w.ep->tail = NULL;
    w.ep->state = EP_IDLE;
    EXPECT(INV_BLOCKED_ON, w.receiver);
}

static void endpoint_idle_with_a_queue(void **state)
{
    (void)state;
    w.ep->state = EP_IDLE;
    EXPECT(INV_EP_QUEUE, w.ep);
}

static void endpoint_queue_of_the_wrong_direction(void **state)
{
    (void)state;
    w.ep->state = EP_SENDING; /* its member receives */
    EXPECT(INV_EP_QUEUE, w.ep);
}

static void notification_word_with_waiters(void **state)
{
    (void)state;
    tcb_t *waiter = carve(BIT(L4_OBJ_TCB_BITS));
    tcb_init(waiter, THREAD_BLOCKED_NTFN, 10);
    waiter->blocked_on = w.ntfn;
    w.ntfn->head = w.ntfn->tail = waiter;
    w.ntfn->word = 1;
    rslot(R_UT)->cap.data = used;
    EXPECT(INV_NTFN, w.ntfn);
}

static void bound_notification_one_sided(void **state)
{
    (void)state;
    w.runnable->bound_ntfn = NULL;
    EXPECT(INV_BINDING, w.ntfn);
}

static void cached_space_without_its_cap(void **state)
{
    (void)state;
    w.runnable->vspace_pd = vspace_pd_paddr(w.pd); /* no VSPACE slot */
    EXPECT(INV_TCB_CACHE, w.runnable);
}

static void ipc_buffer_cache_without_its_frame(void **state)
{
    (void)state;
    w.runnable->ipc_buffer = 0x1000;
    w.runnable->ipc_buffer_kptr = (word_t *)w.page;
    EXPECT(INV_TCB_CACHE, w.runnable);
}

static void mapped_cap_without_its_shadow(void **state)
{
    (void)state;
    w.pd->shadow[1] = NULL;
    w.pd->pde[1] = 0;
    EXPECT(INV_MAPPING, rslot(R_SECTION));
}

static void page_mapped_elsewhere_than_it_says(void **state)
{
    (void)state;
    rslot(R_PAGE)->cap.data = (2u << 20) | (1u << 12) | ASID; /* its entry is index 0 */
    EXPECT(INV_MAPPING, rslot(R_PAGE));
}

static void shadow_naming_a_cap_mapped_elsewhere(void **state)
{
    (void)state;
    w.pt->shadow[5] = rslot(R_PAGE); /* the page is mapped at index 0 only */
    w.pt->pte[5] = PTE_TYPE_SMALL;
    EXPECT(INV_SHADOW, w.pt);
}

static void table_entry_without_shadow(void **state)
{
    (void)state;
    w.pt->pte[9] = PTE_TYPE_SMALL; /* a page table object: every entry is a cap's */
    EXPECT(INV_SHADOW, w.pt);
}

static void asid_table_and_bitmap_disagree(void **state)
{
    (void)state;
    asid_free_bit[ASID] = true;
    EXPECT(INV_ASID, (const void *)(uintptr_t)ASID);
}

static void asid_count_off(void **state)
{
    (void)state;
    asids_in_use = 2;
    EXPECT(INV_ASID, NULL);
}

static void irq_line_claimed_without_handler(void **state)
{
    (void)state;
    cap_t control = {.type = L4_OBJ_IRQ_CONTROL, .rights = L4_RIGHTS_ALL};
    cdt_insert_child(NULL, rslot(R_IRQ_CONTROL), &control);
    cap_t handler = {.type = L4_OBJ_IRQ_HANDLER, .rights = L4_RIGHTS_ALL, .obj = 40};
    cdt_insert_child(rslot(R_IRQ_CONTROL), rslot(R_IRQ), &handler);
    claimed[40] = true;
    assert_int_equal(check(), INV_OK);
    claimed[41] = true; /* no handler cap for 41 */
    EXPECT(INV_IRQ, (const void *)(uintptr_t)41);
}

static void pointer_out_of_kernel_memory(void **state)
{
    (void)state;
    static cte_t outside;
    rslot(R_EP_COPY)->first_child = &outside;
    EXPECT(INV_BAD_POINTER, &outside);
}

static void capability_of_no_type(void **state)
{
    (void)state;
    rslot(R_NTFN)->cap.type = 99;
    EXPECT(INV_BAD_TYPE, rslot(R_NTFN));
}

static void cnode_guard_too_long(void **state)
{
    (void)state;
    rslot(R_CNODE)->cap.guard_bits = 30; /* + radix 3 > 32 */
    EXPECT(INV_CAP_FIELDS, rslot(R_CNODE));
}

static void thread_state_out_of_range(void **state)
{
    (void)state;
    w.runnable->time_slice = TIME_SLICE_TICKS + 1;
    EXPECT(INV_THREAD_STATE, w.runnable);
}

static void fault_kept_by_a_running_thread(void **state)
{
    (void)state;
    w.runnable->fault_kind = L4_FAULT_PAGE;
    EXPECT(INV_THREAD_STATE, w.runnable);
}

static void vcpu_binding_one_sided(void **state)
{
    (void)state;
    vcpu_t *v = carve(16);
    rslot(R_UT)->cap.data = used;
    v->tcb = w.runnable; /* the thread does not know it */
    v->state = (word_t *)w.page;
    cdt_insert_child(rslot(R_UT), rslot(R_IRQ),
                     &(cap_t){.type = L4_OBJ_VCPU, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)v});
    EXPECT(INV_BINDING, v);
}

/* A bound vCPU whose virq_below table disagrees with its priorities: the
 * deliverability rule would deliver a line its priority masks. */
static void vcpu_priority_table_disagrees(void **state)
{
    (void)state;
    vcpu_t *v = carve(16);
    rslot(R_UT)->cap.data = used;
    v->tcb = w.runnable;
    v->state = (word_t *)w.page;
    w.runnable->vcpu = v;
    tcb_slot(w.runnable, TCB_SLOT_VCPU_STATE, rslot(R_PAGE));
    w.runnable->slots[TCB_SLOT_VCPU_STATE].cap.data = 0; /* a copy, not mapped (cap_derive) */
    for (unsigned p = 1; p <= L4_VCPU_PRIO_NONE; p++)
        v->virq_below[p] = ~0u; /* every line at priority 0: consistent */
    v->virq_prio[3] = 5;        /* but line 3 is at 5: below[1..5] must lack it */
    cdt_insert_child(rslot(R_UT), rslot(R_IRQ),
                     &(cap_t){.type = L4_OBJ_VCPU, .rights = L4_RIGHTS_ALL, .obj = (uintptr_t)v});
    EXPECT(INV_VCPU_PRIO, v);
}

static void registry_list_broken(void **state)
{
    (void)state;
    w.runnable->reg_prev = NULL; /* it is not the first */
    EXPECT(INV_REGISTRY, NULL);
}

static void thread_reachable_only_on_the_registry(void **state)
{
    (void)state;
    /* No cap, queue or reply names it: the registry does. */
    tcb_t *lost = carve(BIT(L4_OBJ_TCB_BITS));
    tcb_init(lost, THREAD_RUNNABLE, 9); /* runnable, yet in no ready queue */
    rslot(R_UT)->cap.data = used;
    EXPECT(INV_QUEUED, lost);
}

static void too_much_to_check(void **state)
{
    (void)state;
    /* More objects than the checker follows: it says so, never "ok". */
    cte_t *big = carve(BIT(13) * sizeof(cte_t));
    cap_t cn = obj_cap(L4_OBJ_CNODE, big);
    cn.bits = 13;
    retyped(R_IRQ, cn);
    for (unsigned i = 0; i < BIT(13); i++) {
        cap_t ep = obj_cap(L4_OBJ_ENDPOINT, carve(16));
        cdt_insert_child(rslot(R_UT), &big[i], &ep);
    }
    rslot(R_UT)->cap.data = used;
    EXPECT(INV_LIMIT, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(world_holds_every_invariant, setup),
        cmocka_unit_test_setup(sibling_link_broken, setup),
        cmocka_unit_test_setup(parent_on_a_child_not_first, setup),
        cmocka_unit_test_setup(first_child_names_another_parent, setup),
        cmocka_unit_test_setup(child_of_another_object, setup),
        cmocka_unit_test_setup(same_object_runs_split, setup),
        cmocka_unit_test_setup(untyped_child_beyond_the_watermark, setup),
        cmocka_unit_test_setup(empty_slot_with_links, setup),
        cmocka_unit_test_setup(zombie_with_a_copy, setup),
        cmocka_unit_test_setup(zombie_ring_half_linked, setup),
        cmocka_unit_test_setup(in_tcb_flag_in_a_cnode, setup),
        cmocka_unit_test_setup(reply_cap_of_a_caller_not_waiting, setup),
        cmocka_unit_test_setup(waiting_caller_without_reply_cap, setup),
        cmocka_unit_test_setup(runnable_thread_not_queued, setup),
        cmocka_unit_test_setup(queued_thread_of_another_priority, setup),
        cmocka_unit_test_setup(running_thread_queued, setup),
        cmocka_unit_test_setup(receiver_missing_from_its_queue, setup),
        cmocka_unit_test_setup(endpoint_idle_with_a_queue, setup),
        cmocka_unit_test_setup(endpoint_queue_of_the_wrong_direction, setup),
        cmocka_unit_test_setup(notification_word_with_waiters, setup),
        cmocka_unit_test_setup(bound_notification_one_sided, setup),
        cmocka_unit_test_setup(cached_space_without_its_cap, setup),
        cmocka_unit_test_setup(ipc_buffer_cache_without_its_frame, setup),
        cmocka_unit_test_setup(mapped_cap_without_its_shadow, setup),
        cmocka_unit_test_setup(page_mapped_elsewhere_than_it_says, setup),
        cmocka_unit_test_setup(shadow_naming_a_cap_mapped_elsewhere, setup),
        cmocka_unit_test_setup(table_entry_without_shadow, setup),
        cmocka_unit_test_setup(asid_table_and_bitmap_disagree, setup),
        cmocka_unit_test_setup(asid_count_off, setup),
        cmocka_unit_test_setup(irq_line_claimed_without_handler, setup),
        cmocka_unit_test_setup(pointer_out_of_kernel_memory, setup),
        cmocka_unit_test_setup(capability_of_no_type, setup),
        cmocka_unit_test_setup(cnode_guard_too_long, setup),
        cmocka_unit_test_setup(thread_state_out_of_range, setup),
        cmocka_unit_test_setup(fault_kept_by_a_running_thread, setup),
        cmocka_unit_test_setup(vcpu_binding_one_sided, setup),
        cmocka_unit_test_setup(vcpu_priority_table_disagrees, setup),
        cmocka_unit_test_setup(registry_list_broken, setup),
        cmocka_unit_test_setup(thread_reachable_only_on_the_registry, setup),
        cmocka_unit_test_setup(too_much_to_check, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
