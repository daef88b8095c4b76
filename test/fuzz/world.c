/* SPDX-License-Identifier: BSD-2-Clause */
/* Building, repairing and tearing down a campaign's world (world.h).
 *
 * Who holds what decides what the fuzzers can break. The supervisor keeps
 * the original capability of everything the campaign needs to go on (the
 * actors' TCBs but one, their endpoints, the fuzz space, the vCPU and its
 * state page) and gives the sandbox copies, which the fuzzers may delete,
 * move or revoke below them, never destroying the object. The rest is the
 * sandbox's own (one fuzzer's TCB, the victims, untypeds, spare objects,
 * a CNode): the fuzzers may destroy those, the running ones included. */
#include <string.h>
#include "world.h"

#define PAGE 4096u
#define MB 0x100000u
#define STACK_BYTES 4096u
#define STAGING_VA 0x3f000000u /* the supervisor's window for filling frames */
_Static_assert(FZ_SUP_STATE_VA == STAGING_VA + 4096u, "the state page: in the staging table");
#define SUP_UT_BITS 20
#define IRQ_LINE0 150u /* SPIs no device of the board raises */
#define CPSR_USER 0x10u

#define W(expr)                                                                                    \
    do {                                                                                           \
        l4_word_t _e = (expr);                                                                     \
        if (_e != L4_ERR_OK)                                                                       \
            fz_fatal(#expr, _e);                                                                   \
    } while (0)

fz_actor_t fz_actors[A_COUNT];
static uint8_t fz_stacks[A_COUNT][STACK_BYTES] __attribute__((aligned(8)));
extern char __image_start[], end[];

/* --- slots and objects ----------------------------------------------------------- */

static l4_cptr_t rslot(fz_world_t *w)
{
    if (w->next >= w->end)
        fz_fatal("out of supervisor slots", w->next);
    return w->next++;
}

static l4_cptr_t rnew(fz_world_t *w, l4_word_t type, l4_word_t bits)
{
    l4_cptr_t s = rslot(w);
    W(l4_untyped_retype(w->pool, type, bits, 0, 0, s, 1, L4_CAP_INIT_CNODE));
    return s;
}

static void snew(fz_world_t *w, l4_word_t slot, l4_word_t type, l4_word_t bits)
{
    W(l4_untyped_retype(w->pool, type, bits, w->sandbox, 32, slot, 1, L4_CAP_INIT_CNODE));
    model_set(slot, type);
}

/* The sandbox gets a copy (mint with `badge`) of the supervisor's cap. */
static void give(fz_world_t *w, l4_word_t slot, l4_cptr_t from, l4_word_t rights, l4_word_t badge,
                 l4_word_t type)
{
    W(l4_cnode_mint(w->sandbox, slot, FZ_SANDBOX_BITS, from, 32, rights, badge, L4_CAP_INIT_CNODE));
    w->fixed[slot].cap = from;
    w->fixed[slot].rights = rights;
    w->fixed[slot].badge = badge;
    model_set(slot, type);
    fz_repaired[slot] = (uint8_t)type;
}

/* The sandbox gets the original: the supervisor keeps nothing. */
static void hand_over(fz_world_t *w, l4_word_t slot, l4_cptr_t from, l4_word_t type)
{
    W(l4_cnode_move(w->sandbox, slot, FZ_SANDBOX_BITS, from, 32, L4_CAP_INIT_CNODE));
    model_set(slot, type);
}

static l4_cptr_t rcopy(fz_world_t *w, l4_cptr_t from)
{
    l4_cptr_t s = rslot(w);
    W(l4_cnode_copy(L4_CAP_INIT_CNODE, s, 32, from, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    return s;
}

static void map_table(fz_world_t *w, l4_cptr_t pd, l4_word_t va)
{
    W(l4_page_table_map(rnew(w, L4_OBJ_PAGE_TABLE, 0), va, 0, pd));
}

/* A new frame holding n words from src (the rest zero), mapped at va in pd. */
static l4_cptr_t frame_with(fz_world_t *w, l4_cptr_t pd, l4_word_t va, const l4_word_t *src,
                            unsigned n, l4_word_t rights)
{
    l4_cptr_t f = rnew(w, L4_OBJ_FRAME_4K, 0);
    if (n) {
        W(l4_frame_map(f, STAGING_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
        volatile l4_word_t *dst = (volatile l4_word_t *)STAGING_VA;
        for (unsigned i = 0; i < PAGE / 4; i++)
            dst[i] = i < n ? src[i] : 0;
        W(l4_frame_unmap(f));
    }
    W(l4_frame_map(f, va, rights, 0, pd));
    return f;
}

/* A copy of a root slot onto itself: DELETE_FIRST if it holds a cap. */
static int root_occupied(l4_cptr_t s)
{
    return l4_cnode_copy(L4_CAP_INIT_CNODE, s, 32, s, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE) ==
           L4_ERR_DELETE_FIRST;
}

/* The sandbox's own objects the victims wait on: made anew when destroyed,
 * so that destroying them, waiters and all, happens more than once. */
static const struct {
    uint8_t slot, type;
} renewed[] = {
    {S_EP_SPARE, L4_OBJ_ENDPOINT},
    {S_NTFN, L4_OBJ_NOTIFICATION},
    {S_NTFN + 1, L4_OBJ_NOTIFICATION},
};

/* --- start-up --------------------------------------------------------------------- */

/* Pin 0 an input interrupting on the other level than its own: the line
 * quiet (every register set again: the actors program the same GPIO). */
void fz_line_lower(volatile l4_word_t *gpio, l4_word_t level)
{
    gpio[FZ_GPIO_IE / 4] = 0;
    gpio[FZ_GPIO_DIR / 4] = 0;
    gpio[FZ_GPIO_IS / 4] = 1; /* level-sensitive */
    gpio[FZ_GPIO_IEV / 4] = level ^ 1u;
    gpio[FZ_GPIO_IC / 4] = 1; /* (QEMU latches what setting IS raised) */
    gpio[FZ_GPIO_IE / 4] = 1;
}

/* The GPIO's frame, from its device untyped, mapped for the supervisor;
 * and its line's handler, kept by the supervisor for every campaign (so
 * a campaign that loses IRQ control keeps the line). */
static void line_init(fz_world_t *w)
{
    const l4_word_t *bi = l4_bootinfo;
    const l4_word_t gpio_paddr = 0x09030000u; /* qemu-virt's PL061 */
    l4_word_t found = 0;
    for (l4_word_t i = 0; i < bi[L4_BOOTINFO_DEVICE_UNTYPED_COUNT] && !found; i++) {
        l4_word_t d = bi[L4_BOOTINFO_DEVICE_UNTYPED_LIST + i];
        if ((d & ~L4_BOOTINFO_SIZE_MASK) == gpio_paddr && (d & L4_BOOTINFO_SIZE_MASK) == 12) {
            W(l4_untyped_retype(bi[L4_BOOTINFO_DEVICE_UNTYPED_FIRST] + i, L4_OBJ_FRAME_4K, 0, 0,
                                0, w->gpio, 1, L4_CAP_INIT_CNODE));
            found = 1;
        }
    }
    if (!found)
        fz_fatal("no device untyped for the GPIO", gpio_paddr);
    W(l4_frame_map(w->gpio, FZ_SUP_GPIO_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0,
                   L4_CAP_INIT_VSPACE));
    W(l4_irq_control_get(L4_CAP_IRQ_CONTROL, FZ_LINE_IRQ, w->line_irq, 32, L4_CAP_INIT_CNODE));
    volatile l4_word_t *gpio = (volatile l4_word_t *)FZ_SUP_GPIO_VA;
    gpio[FZ_GPIO_IE / 4] = 0;
    gpio[FZ_GPIO_DIR / 4] = 0;
    w->line_level = gpio[FZ_GPIO_DATA_PIN0 / 4] & 1u;
    fz_line_lower(gpio, w->line_level);
}

void world_tick_arm(fz_world_t *w)
{
    (void)w;
    l4_word_t freq;
    __asm__ volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(freq)); /* CNTFRQ */
    /* the supervisor's own kernel timer: a signal of its bound notification */
    l4_tcb_set_timer(L4_CAP_INIT_TCB, L4_VCPU_TIMER_RELATIVE, 1, freq / FZ_TICKS_PER_S, 0, 0);
}

void world_init(fz_world_t *w)
{
    const l4_word_t *bi = l4_bootinfo;
    l4_word_t first = bi[L4_BOOTINFO_EMPTY_FIRST], best = 0, best_bits = 0;
    for (l4_word_t i = 0; i < bi[L4_BOOTINFO_UNTYPED_COUNT]; i++) {
        l4_word_t bits = bi[L4_BOOTINFO_UNTYPED_LIST + i] & L4_BOOTINFO_SIZE_MASK;
        if (bits > best_bits) {
            best_bits = bits;
            best = i;
        }
    }
    *w = (fz_world_t){0};
    /* The largest boot untyped: half for the campaigns, a MiB for the supervisor. */
    w->pool_bits = best_bits - 1 > 25 ? 25 : best_bits - 1;
    l4_cptr_t boot = bi[L4_BOOTINFO_UNTYPED_FIRST] + best;
    w->pool = first;
    w->sup_ut = first + 1;
    W(l4_untyped_retype(boot, L4_OBJ_UNTYPED, w->pool_bits, 0, 0, w->pool, 1, L4_CAP_INIT_CNODE));
    W(l4_untyped_retype(boot, L4_OBJ_UNTYPED, SUP_UT_BITS, 0, 0, w->sup_ut, 1, L4_CAP_INIT_CNODE));
    l4_cptr_t s = first + 2;
    w->se = s++;
    w->timer_ntfn = s++;
    s++; /* (was the virtual timer's IRQ handler: user level has kernel timers now) */
    w->shared = s++;
    l4_cptr_t pt_shared = s++, pt_staging = s++;
    w->gpio = s++;
    w->line_irq = s++;
    W(l4_untyped_retype(w->sup_ut, L4_OBJ_ENDPOINT, 0, 0, 0, w->se, 1, L4_CAP_INIT_CNODE));
    W(l4_untyped_retype(w->sup_ut, L4_OBJ_NOTIFICATION, 0, 0, 0, w->timer_ntfn, 1,
                        L4_CAP_INIT_CNODE));
    W(l4_untyped_retype(w->sup_ut, L4_OBJ_FRAME_4K, 0, 0, 0, w->shared, 1, L4_CAP_INIT_CNODE));
    W(l4_untyped_retype(w->sup_ut, L4_OBJ_PAGE_TABLE, 0, 0, 0, pt_shared, 2, L4_CAP_INIT_CNODE));
    W(l4_page_table_map(pt_shared, FZ_SHARED_VA, 0, L4_CAP_INIT_VSPACE));
    W(l4_page_table_map(pt_staging, STAGING_VA, 0, L4_CAP_INIT_VSPACE));
    W(l4_frame_map(w->shared, FZ_SHARED_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    W(l4_tcb_bind_notification(L4_CAP_INIT_TCB, w->timer_ntfn));
    line_init(w);
    w->scratch_first = first + 16;
    w->first = w->next = first + 16 + 256;
    w->end = bi[L4_BOOTINFO_EMPTY_LAST];
    W(l4_tcb_set_priority(L4_CAP_INIT_TCB, FZ_PRIO_SUPERVISOR, L4_CAP_INIT_TCB));
}

/* --- a campaign --------------------------------------------------------------------- */

l4_word_t world_actors(const fz_world_t *w)
{
    if (w->kind == FZ_KIND_GUEST)
        return (1u << A_GUEST) | (1u << A_VIRQ) | (1u << A_LINE);
    return (1u << A_COUNT) - 1 - (1u << A_VIRQ);
}

/* The fuzz space: its tables, the shared page; the actors' IPC buffers and
 * the guest's state page come with them (build_threads, build_vcpu). */
static void build_fuzz_space(fz_world_t *w)
{
    w->fuzz_pd = rnew(w, L4_OBJ_PAGE_DIRECTORY, 0);
    w->fuzz1_pd = rslot(w);
    if ((l4_word_t)end > MB)
        fz_fatal("the image must fit its first MiB", (l4_word_t)end);
    static const l4_word_t tables[] = {0, FZ_SHARED_VA, FZ_IPCBUF_VA, FZ_STATE_VA, FZ_SCRATCH_VA};
    for (unsigned i = 0; i < sizeof tables / sizeof tables[0]; i++)
        map_table(w, w->fuzz_pd, tables[i]);
    W(l4_frame_map(rcopy(w, w->shared), FZ_SHARED_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0,
                   w->fuzz_pd));
    W(l4_frame_map(rcopy(w, w->gpio), FZ_GPIO_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, w->fuzz_pd));
}

/* ... and a private copy of every page of this image, as it is now. */
static void build_fuzz_image(fz_world_t *w)
{
    for (l4_word_t va = (l4_word_t)__image_start & ~(PAGE - 1); va < (l4_word_t)end; va += PAGE)
        frame_with(w, w->fuzz_pd, va, (const l4_word_t *)va, PAGE / 4,
                   L4_RIGHT_READ | L4_RIGHT_WRITE);
}

static void build_spaces(fz_world_t *w)
{
    /* guest user: its programs, read-only, and a data page */
    w->guest_pd = rnew(w, L4_OBJ_PAGE_DIRECTORY, 0);
    map_table(w, w->guest_pd, FZ_GUEST_CODE_VA);
    map_table(w, w->guest_pd, FZ_GUEST_DATA_VA);
    frame_with(w, w->guest_pd, FZ_GUEST_CODE_VA, fz_guest_code, fz_guest_code_words, L4_RIGHT_READ);
    frame_with(w, w->guest_pd, FZ_GUEST_DATA_VA, NULL, 0, L4_RIGHT_READ | L4_RIGHT_WRITE);
    /* victims: a loop of yields */
    w->victim_pd = rnew(w, L4_OBJ_PAGE_DIRECTORY, 0);
    map_table(w, w->victim_pd, FZ_VICTIM_CODE_VA);
    frame_with(w, w->victim_pd, FZ_VICTIM_CODE_VA, fz_victim_code, fz_victim_code_words,
               L4_RIGHT_READ);
}

static void build_cnodes(fz_world_t *w)
{
    w->sandbox = rnew(w, L4_OBJ_CNODE, FZ_SANDBOX_BITS);
    w->sandbox_view = rslot(w);
    W(l4_cnode_mint(L4_CAP_INIT_CNODE, w->sandbox_view, 32, w->sandbox, 32, L4_RIGHTS_ALL,
                    32 - FZ_SANDBOX_BITS, L4_CAP_INIT_CNODE));
    give(w, S_SELF, w->sandbox_view, L4_RIGHTS_ALL, 32 - FZ_SANDBOX_BITS, L4_OBJ_CNODE);
    /* N1 (guard 4, radix 4) holding N2 (guard 18, radix 6) in its slot 1 */
    l4_cptr_t n1 = rnew(w, L4_OBJ_CNODE, FZ_N1_RADIX), n2 = rnew(w, L4_OBJ_CNODE, FZ_N2_RADIX);
    W(l4_cnode_mint(n1, 1, FZ_N1_RADIX, n2, 32, L4_RIGHTS_ALL, FZ_N2_GUARD_BITS,
                    L4_CAP_INIT_CNODE));
    give(w, S_CNODE_N1, n1, L4_RIGHTS_ALL, FZ_N1_GUARD_BITS, L4_OBJ_CNODE);
    /* N3 (guard 27, radix 5): the sandbox's alone, so it can be destroyed */
    l4_cptr_t n3 = rnew(w, L4_OBJ_CNODE, FZ_N3_RADIX);
    W(l4_cnode_mint(w->sandbox, S_CNODE_N3, FZ_SANDBOX_BITS, n3, 32, L4_RIGHTS_ALL,
                    32 - FZ_N3_RADIX, L4_CAP_INIT_CNODE));
    model_set(S_CNODE_N3, L4_OBJ_CNODE);
    W(l4_cnode_delete(L4_CAP_INIT_CNODE, n3, 32));
}

static void build_ipc(fz_world_t *w)
{
    w->ep_partner = rnew(w, L4_OBJ_ENDPOINT, 0);
    w->ep_client = rnew(w, L4_OBJ_ENDPOINT, 0);
    w->ep_fault = rnew(w, L4_OBJ_ENDPOINT, 0);
    w->ntfn_virq = rnew(w, L4_OBJ_NOTIFICATION, 0);
    w->ntfn_bound = rnew(w, L4_OBJ_NOTIFICATION, 0);
    w->park = rnew(w, L4_OBJ_NOTIFICATION, 0);
    w->pace = rnew(w, L4_OBJ_NOTIFICATION, 0);
    give(w, S_EP_PARTNER, w->ep_partner, L4_RIGHTS_ALL, 0, L4_OBJ_ENDPOINT);
    give(w, S_EP_CLIENT, w->ep_client, L4_RIGHTS_ALL, 0, L4_OBJ_ENDPOINT);
    give(w, S_EP_FAULT, w->ep_fault, L4_RIGHTS_ALL, 0, L4_OBJ_ENDPOINT);
    give(w, S_NTFN_VIRQ, w->ntfn_virq, L4_RIGHTS_ALL, 0, L4_OBJ_NOTIFICATION);
    give(w, S_NTFN_BOUND, w->ntfn_bound, L4_RIGHTS_ALL, 0, L4_OBJ_NOTIFICATION);
    give(w, S_PARK, w->park, L4_RIGHT_READ, 0, L4_OBJ_NOTIFICATION);
    give(w, S_PACE, w->pace, L4_RIGHT_READ, 0, L4_OBJ_NOTIFICATION);
    for (unsigned i = 0; i < sizeof renewed / sizeof renewed[0]; i++) {
        snew(w, renewed[i].slot, renewed[i].type, 0);
        fz_repaired[renewed[i].slot] = renewed[i].type; /* relearn() looks again */
    }
    for (unsigned k = 0; k < A_COUNT; k++)
        give(w, S_SUPERVISOR + k, w->se, L4_RIGHT_WRITE, k + 1, L4_OBJ_ENDPOINT);
    give(w, S_MACHINE, L4_CAP_MACHINE, 0, 0, L4_OBJ_MACHINE);
    give(w, S_MACHINE + 1, L4_CAP_MACHINE, L4_RIGHT_WRITE, 0, L4_OBJ_MACHINE);
    for (unsigned i = 0; i < 2; i++) {
        w->irq[i] = rslot(w);
        if (!w->irq_control_lost) {
            W(l4_irq_control_get(L4_CAP_IRQ_CONTROL, IRQ_LINE0 + i, w->irq[i], 32,
                                 L4_CAP_INIT_CNODE));
            give(w, S_IRQ + i, w->irq[i], L4_RIGHTS_ALL, 0, L4_OBJ_IRQ_HANDLER);
        }
    }
    /* IRQ control itself (irq_control_get: free lines, the two above,
     * SGIs and PPIs): it cannot be copied, so the sandbox has the original
     * for the campaign and world_destroy takes it back. The generator
     * spares its slot (gen.c); a random call that still moves it away
     * moves it within the sandbox, where world_destroy finds it; if it
     * leaves the sandbox and is lost with it, later campaigns go on
     * without lines (and the supervisor's leak check expects one object
     * fewer). */
    if (!w->irq_control_lost)
        hand_over(w, S_IRQ_CONTROL, L4_CAP_IRQ_CONTROL, L4_OBJ_IRQ_CONTROL);
    /* The device line: its handler, and A_LINE's notification (the sandbox's
     * copy badged FZ_LINE_BADGE: the line's signals; the supervisor ticks
     * it through the original, badge 1, so A_LINE never waits for good). */
    w->ntfn_line = rnew(w, L4_OBJ_NOTIFICATION, 0);
    give(w, S_NTFN_LINE, w->ntfn_line, L4_RIGHTS_ALL, FZ_LINE_BADGE, L4_OBJ_NOTIFICATION);
    if (root_occupied(w->line_irq))
        give(w, S_IRQ_LINE, w->line_irq, L4_RIGHTS_ALL, 0, L4_OBJ_IRQ_HANDLER);
}

static void build_memory(fz_world_t *w)
{
    static const l4_word_t ut_bits[3] = {16, 14, 12};
    for (unsigned i = 0; i < 3; i++)
        snew(w, S_UT + i, L4_OBJ_UNTYPED, ut_bits[i]);
    give(w, S_PD_FUZZ, w->fuzz_pd, L4_RIGHTS_ALL, 0, L4_OBJ_PAGE_DIRECTORY);
    give(w, S_PD_GUEST, w->guest_pd, L4_RIGHTS_ALL, 0, L4_OBJ_PAGE_DIRECTORY);
    /* PD_A with a table at 16 MiB and a frame mapped in it; the rest loose */
    l4_cptr_t pda = rnew(w, L4_OBJ_PAGE_DIRECTORY, 0), pt = rnew(w, L4_OBJ_PAGE_TABLE, 0);
    l4_cptr_t f = rnew(w, L4_OBJ_FRAME_4K, 0);
    W(l4_page_table_map(pt, 16 * MB, 0, pda));
    W(l4_frame_map(f, 16 * MB, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, pda));
    hand_over(w, S_PD_A, pda, L4_OBJ_PAGE_DIRECTORY);
    hand_over(w, S_PT + 1, pt, L4_OBJ_PAGE_TABLE);
    hand_over(w, S_FRAME, f, L4_OBJ_FRAME_4K);
    snew(w, S_PD_B, L4_OBJ_PAGE_DIRECTORY, 0);
    snew(w, S_PT, L4_OBJ_PAGE_TABLE, 0);
    snew(w, S_FRAME + 1, L4_OBJ_FRAME_4K, 0);
    snew(w, S_FRAME + 2, L4_OBJ_FRAME_4K, 0);
    snew(w, S_FRAME + 3, L4_OBJ_FRAME_64K, 0);
    snew(w, S_FRAME + 4, L4_OBJ_FRAME_1M, 0);
    w->frame_h = rnew(w, L4_OBJ_FRAME_4K, 0);
    give(w, S_FRAME_H, w->frame_h, L4_RIGHTS_ALL, 0, L4_OBJ_FRAME_4K);
}

static void build_vcpu(fz_world_t *w)
{
    l4_cptr_t state = rnew(w, L4_OBJ_FRAME_4K, 0);
    w->state_map = rcopy(w, state);
    w->state_bind = rcopy(w, state);
    W(l4_frame_map(w->state_map, FZ_STATE_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, w->fuzz_pd));
    w->state_sup = rcopy(w, state);
    W(l4_frame_map(w->state_sup, FZ_SUP_STATE_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0,
                   L4_CAP_INIT_VSPACE));
    give(w, S_FRAME_STATE, state, L4_RIGHTS_ALL, 0, L4_OBJ_FRAME_4K);
    w->vcpu = rnew(w, L4_OBJ_VCPU, 0);
    give(w, S_VCPU, w->vcpu, L4_RIGHTS_ALL, 0, L4_OBJ_VCPU);
    snew(w, S_VCPU_SPARE, L4_OBJ_VCPU, 0);
}

static void build_threads(fz_world_t *w, l4_word_t seed, l4_word_t quota)
{
    for (unsigned k = 0; k < A_COUNT; k++) {
        fz_actor_t *a = &fz_actors[k];
        *a = (fz_actor_t){.role = k,
                          .stack_top = (l4_word_t)(fz_stacks[k] + STACK_BYTES),
                          .quota = k == A_FUZZ0 || k == A_FUZZ1 ||
                                           (k == A_GUEST && w->kind == FZ_KIND_GUEST)
                                       ? quota
                                       : 0,
                          .self = S_TCB + k};
        rng_seed(a->rng, fz_seed_mix(seed, k + 1));
        w->ipc_frame[k] = frame_with(w, w->fuzz_pd, FZ_IPCBUF_VA + k * PAGE, NULL, 0,
                                     L4_RIGHT_READ | L4_RIGHT_WRITE);
        l4_cptr_t t = rnew(w, L4_OBJ_TCB, 0);
        if (k == A_FUZZ1) { /* the original in the sandbox: it may destroy itself */
            w->tcb[k] = rcopy(w, t);
            hand_over(w, S_TCB + k, t, L4_OBJ_TCB);
        } else {
            w->tcb[k] = t;
            give(w, S_TCB + k, t, L4_RIGHTS_ALL, 0, L4_OBJ_TCB);
        }
    }
    for (unsigned i = 0; i < 2; i++) {
        l4_cptr_t v = rnew(w, L4_OBJ_TCB, 0);
        l4_word_t regs[L4_TCB_MAX_REGS] = {0};
        regs[15] = FZ_VICTIM_CODE_VA + i * FZ_VICTIM_ENTRY2;
        regs[16] = CPSR_USER;
        W(l4_tcb_configure(v, S_EP_SPARE, 0, 0, w->sandbox_view, w->victim_pd, L4_CAP_NULL));
        W(l4_tcb_set_priority(v, FZ_PRIO_VICTIMS + i, L4_CAP_INIT_TCB));
        W(l4_tcb_write_registers(v, 1, L4_TCB_MAX_REGS, regs));
        hand_over(w, S_VICTIM + i, v, L4_OBJ_TCB);
    }
}

void world_build(fz_world_t *w, l4_word_t seed, l4_word_t kind, l4_word_t quota)
{
    w->kind = kind;
    w->next = w->first;
    w->retired = 0;
    for (unsigned i = 0; i < FZ_FREE_FIRST; i++)
        w->fixed[i].cap = 0;
    model_reset();
    for (unsigned k = 0; k < A_COUNT; k++)
        w->restarts[k] = 0;
    memset((void *)FZ_SHARED, 0, sizeof(fz_shared_t));
    build_cnodes(w);
    build_fuzz_space(w);
    build_spaces(w);
    build_ipc(w);
    build_memory(w);
    build_vcpu(w);
    build_threads(w, seed, quota);
    build_fuzz_image(w); /* last: the actors' copy of fz_actors and fz_model */
}

/* --- restarts ------------------------------------------------------------------------ */

static int tcb_alive(l4_cptr_t t)
{
    l4_word_t r;
    return l4_tcb_read_registers(t, 0, 1, &r) == L4_ERR_OK;
}

/* Put back the fixed sandbox slots the fuzzers emptied (an occupied one,
 * whatever it holds now, stays: DELETE_FIRST). */
void world_repair(fz_world_t *w)
{
    for (unsigned s = 1; s < FZ_FREE_FIRST; s++)
        if (w->fixed[s].cap)
            l4_cnode_mint(w->sandbox, s, FZ_SANDBOX_BITS, w->fixed[s].cap, 32, w->fixed[s].rights,
                          w->fixed[s].badge, L4_CAP_INIT_CNODE);
    for (unsigned i = 0; i < sizeof renewed / sizeof renewed[0]; i++) /* DELETE_FIRST if there */
        l4_untyped_retype(w->pool, renewed[i].type, 0, w->sandbox, 32, renewed[i].slot, 1,
                          L4_CAP_INIT_CNODE);
}

int world_restart(fz_world_t *w, unsigned k)
{
    if (w->retired & (1u << k))
        return 0;
    FZ_SHARED->restarts[k] = w->restarts[k] + 1;
    if (++w->restarts[k] > 1000) { /* it cannot run any more: leave it stopped */
        w->retired |= 1u << k;
        l4_tcb_suspend(w->tcb[k]);
        return 0;
    }
    l4_cptr_t t = w->tcb[k];
    if (!tcb_alive(t)) { /* it destroyed itself: a new thread takes its place */
        l4_cnode_delete(L4_CAP_INIT_CNODE, t, 32);
        if (l4_untyped_retype(w->pool, L4_OBJ_TCB, 0, 0, 0, t, 1, L4_CAP_INIT_CNODE) != L4_ERR_OK) {
            w->retired |= 1u << k;
            return 0;
        }
        l4_cnode_copy(w->sandbox, S_TCB + k, FZ_SANDBOX_BITS, t, 32, L4_RIGHTS_ALL,
                      L4_CAP_INIT_CNODE);
    }
    world_repair(w);
    l4_tcb_suspend(t);
    if (k == A_GUEST) {
        /* The guest starts afresh in virtual kernel mode with virtual
         * interrupts off, as a guest kernel boots: its last life (or the
         * wild code a wild resume made it run) may have left them on, with
         * an interrupt pending and any entry point in the state page, and
         * the kernel would then upcall the new life at its first
         * instruction into that entry point, before it sets its own. */
        FZ_SUP_STATE[L4_VCPU_STATE_VIRQ_ENABLED] = 0;
    }
    l4_word_t fault_ep = k == A_FAULTER ? S_EP_FAULT : S_SUPERVISOR + k;
    l4_cptr_t vspace = w->fuzz_pd;
    if (k == A_FUZZ1) {
        /* Its address space through the sandbox's cap: when a fuzzer revokes
         * that, FUZZ1 loses the space it runs in, perhaps while it runs. */
        l4_cnode_delete(L4_CAP_INIT_CNODE, w->fuzz1_pd, 32);
        if (l4_cnode_copy(L4_CAP_INIT_CNODE, w->fuzz1_pd, 32, S_PD_FUZZ, FZ_SANDBOX_BITS,
                          L4_RIGHTS_ALL, w->sandbox) == L4_ERR_OK)
            vspace = w->fuzz1_pd;
    }
    l4_word_t e = l4_tcb_configure(t, fault_ep, 0, FZ_IPCBUF_VA + k * PAGE, w->sandbox_view, vspace,
                                   w->ipc_frame[k]);
    if (e == L4_ERR_ILLEGAL_OPERATION && k == A_GUEST) {
        /* In virtual user mode its spaces are the guest's: only its own
         * vCPU can take it back, so the vCPU goes (the thread stays in
         * guest user as a plain thread) and a new one takes its place. */
        l4_cnode_revoke(L4_CAP_INIT_CNODE, w->vcpu, 32);
        l4_cnode_delete(L4_CAP_INIT_CNODE, w->vcpu, 32);
        l4_untyped_retype(w->pool, L4_OBJ_VCPU, 0, 0, 0, w->vcpu, 1, L4_CAP_INIT_CNODE);
        e = l4_tcb_configure(t, fault_ep, 0, FZ_IPCBUF_VA + k * PAGE, w->sandbox_view, vspace,
                             w->ipc_frame[k]);
    }
    if (e != L4_ERR_OK) { /* its buffer or space went: nothing to run it in */
        w->retired |= 1u << k;
        return 0;
    }
    l4_word_t prio = k == A_VIRQ || k == A_LINE ? FZ_PRIO_PACED : FZ_PRIO_ACTORS;
    l4_tcb_set_mcp(t, prio, L4_CAP_INIT_TCB);
    l4_tcb_set_priority(t, prio, L4_CAP_INIT_TCB);
    if (k == A_PARTNER || k == A_GUEST) {
        l4_tcb_unbind_notification(t);
        l4_tcb_bind_notification(t, k == A_PARTNER ? w->ntfn_bound : w->ntfn_virq);
    }
    if (k == A_GUEST) /* ILLEGAL_OPERATION if still bound: fine */
        l4_vcpu_bind(w->vcpu, t, w->state_bind);
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    l4_word_t pc = (l4_word_t)fz_actor_main;
    regs[0] = (l4_word_t)&fz_actors[k];
    regs[13] = fz_actors[k].stack_top;
    regs[15] = pc & ~1u;
    regs[16] = CPSR_USER | ((pc & 1u) ? 0x20u : 0);
    return l4_tcb_write_registers(t, 1, L4_TCB_MAX_REGS, regs) == L4_ERR_OK;
}

void world_stop(fz_world_t *w)
{
    for (unsigned k = 0; k < A_COUNT; k++)
        l4_tcb_suspend(w->tcb[k]);
}

/* Everything per campaign came from the pool or is a copy of a persistent
 * cap: revoking those (and the IRQ lines) leaves nothing behind. */
/* Whether root slot s holds IRQ control. An endpoint there would block an
 * invocation for good, so a non-blocking send asks first: only a kernel
 * object other than an endpoint, notification or reply refuses it as
 * INVALID_CAPABILITY; of those, only IRQ control answers irq_control_get
 * for line 0 (an SGI) with RANGE_ERROR. */
static int is_irq_control(fz_world_t *w, l4_cptr_t s)
{
    l4_msg_t probe = {0};
    return l4_syscall_ipc(L4_SYS_NBSEND, s, &probe) == L4_ERR_INVALID_CAPABILITY &&
           l4_irq_control_get(s, 0, w->first, 32, L4_CAP_INIT_CNODE) == L4_ERR_RANGE_ERROR;
}

/* IRQ control back into its root slot: from the sandbox's slot for it, or
 * from wherever in the sandbox a fuzzer moved it (each cap tried is moved
 * back where it was). Lost only if it left the sandbox itself. */
static void take_back_irq_control(fz_world_t *w)
{
    if (w->irq_control_lost)
        return;
    for (unsigned k = 0; k < FZ_SLOTS; k++) {
        unsigned slot = (S_IRQ_CONTROL + k) % FZ_SLOTS; /* its own slot first */
        if (l4_cnode_move(L4_CAP_INIT_CNODE, L4_CAP_IRQ_CONTROL, 32, slot, FZ_SANDBOX_BITS,
                          w->sandbox) != L4_ERR_OK)
            continue;
        if (is_irq_control(w, L4_CAP_IRQ_CONTROL))
            return;
        if (l4_cnode_move(w->sandbox, slot, FZ_SANDBOX_BITS, L4_CAP_IRQ_CONTROL, 32,
                          L4_CAP_INIT_CNODE) != L4_ERR_OK)
            l4_cnode_delete(L4_CAP_INIT_CNODE, L4_CAP_IRQ_CONTROL, 32); /* (a reply used up) */
    }
    w->irq_control_lost = 1;
}

void world_destroy(fz_world_t *w)
{
    take_back_irq_control(w);

    for (unsigned i = 0; i < 2; i++) {
        l4_cnode_revoke(L4_CAP_INIT_CNODE, w->irq[i], 32);
        l4_cnode_delete(L4_CAP_INIT_CNODE, w->irq[i], 32);
    }
    l4_cnode_revoke(L4_CAP_INIT_CNODE, w->line_irq, 32); /* the handler stays, quiet */
    l4_irq_handler_clear(w->line_irq);
    /* A fuzzer's revoke of IRQ control takes the supervisor's handler
     * too: a new one for the next campaign (none once IRQ control is lost). */
    if (!w->irq_control_lost && !root_occupied(w->line_irq))
        l4_irq_control_get(L4_CAP_IRQ_CONTROL, FZ_LINE_IRQ, w->line_irq, 32, L4_CAP_INIT_CNODE);
    fz_line_lower((volatile l4_word_t *)FZ_SUP_GPIO_VA, w->line_level);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, w->se, 32);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, w->shared, 32);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, L4_CAP_MACHINE, 32);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, w->pool, 32);
    for (l4_cptr_t s = w->first; s < w->next; s++)
        l4_cnode_delete(L4_CAP_INIT_CNODE, s, 32);
    w->next = w->first;
}
