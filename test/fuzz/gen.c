/* SPDX-License-Identifier: BSD-2-Clause */
/* The typed fuzzer's generators (gen.h). Each method of each object type
 * has a generator of well-formed arguments (right types of capabilities,
 * paths that resolve, values in range), and every argument is, now and
 * then, replaced by a boundary value or a malformed one: that is where the
 * error paths are. The weights are chosen so that most calls reach the
 * method they aim at (docs/testing.md gives the measured shares). */
#include "gen.h"

#define R rng
#define CHANCE(p) rng_chance(R, (p))
#define BELOW(n) rng_below(R, (n))
#define PAGE 4096u
#define MB 0x100000u

/* The fuzzer holds its client's reply cap (its caller slot). */
uint8_t holds_reply[A_COUNT];

/* --- capabilities and paths ------------------------------------------------------- */

l4_word_t gen_slot_of(l4_word_t *rng, l4_word_t type)
{
    if (CHANCE(2))
        return BELOW(FZ_SLOTS + 4); /* anything, a little beyond the end too */
    l4_word_t start = BELOW(FZ_SLOTS);
    for (l4_word_t i = 0; i < FZ_SLOTS; i++) {
        l4_word_t s = (start + i) % FZ_SLOTS;
        l4_word_t t = fz_model[s];
        if (t == type || (type == FZ_UNKNOWN && t != L4_OBJ_NULL))
            return s;
    }
    return FZ_SLOTS;
}

l4_word_t gen_free_slot(l4_word_t *rng)
{
    /* Now and then any slot (mostly an occupied one: DELETE_FIRST), but
     * never a fixed slot the world has lost for the moment: filled by a
     * fuzzer, it would stay what the fuzzer put there (world_repair only
     * fills empty slots), and every call the generators aim at that slot
     * (a signal to a notification that is now an endpoint, a call to a
     * partner that is not there) would fail or block for the rest of the
     * campaign. */
    l4_word_t any = BELOW(FZ_SLOTS);
    if (CHANCE(4) && (any >= FZ_FREE_FIRST || fz_model[any] != L4_OBJ_NULL))
        return any;
    l4_word_t start = FZ_FREE_FIRST + BELOW(FZ_SLOTS - FZ_FREE_FIRST);
    for (l4_word_t i = 0; i < FZ_SLOTS - FZ_FREE_FIRST; i++) {
        l4_word_t s = FZ_FREE_FIRST + (start - FZ_FREE_FIRST + i) % (FZ_SLOTS - FZ_FREE_FIRST);
        if (fz_model[s] == L4_OBJ_NULL)
            return s;
    }
    return start;
}

/* A frame of any size, as believed. */
static l4_word_t gen_frame(l4_word_t *rng)
{
    static const uint8_t types[] = {L4_OBJ_FRAME_4K, L4_OBJ_FRAME_4K, L4_OBJ_FRAME_64K,
                                    L4_OBJ_FRAME_1M};
    l4_word_t s = gen_slot_of(R, types[BELOW(4)]);
    return s == FZ_SLOTS ? gen_slot_of(R, L4_OBJ_FRAME_4K) : s;
}

/* A path (index, depth) in the CNode at sandbox slot `cn` to its slot `k`;
 * malformed now and then (depth 0, over 32, guard bits set, ...). */
static void gen_path(l4_word_t *rng, l4_word_t cn, l4_word_t k, l4_word_t *index, l4_word_t *depth)
{
    if (CHANCE(3)) {
        static const l4_word_t depths[] = {0, 1, 7, 8, 31, 33, 64, ~0u};
        *depth = CHANCE(50) ? depths[BELOW(8)] : 32;
        *index = CHANCE(50) ? k | (1u << (24 + BELOW(8))) : rng_boundary(R);
        return;
    }
    if (cn >= FZ_SLOTS || !fz_view[cn].radix) { /* not known: the sandbox's form */
        *index = k;
        *depth = 32;
        return;
    }
    if (fz_view[cn].nested && CHANCE(50)) { /* through N1's slot 1 into N2 (guard 18 + radix 6) */
        *index = (1u << (32 - FZ_N1_GUARD_BITS - FZ_N1_RADIX)) | (k % (1u << FZ_N2_RADIX));
        *depth = 32;
        return;
    }
    *index = k % (1u << fz_view[cn].radix); /* guard value 0: the upper bits are 0 */
    *depth = fz_view[cn].guard + fz_view[cn].radix;
}

/* Fixed slot s if the picture says it holds `type` (the fuzzers may have
 * deleted or replaced what the world put there), else one that does; if
 * none does, s itself, or the sandbox for a CNode (the picture may have
 * lost track: world_repair puts the fixed caps back, and relearn() sees
 * them only now and then, but some stay gone for the campaign). */
static l4_word_t fixed_or(l4_word_t *rng, l4_word_t s, l4_word_t type)
{
    if (fz_model[s] == type)
        return s;
    l4_word_t t = gen_slot_of(R, type);
    return t < FZ_SLOTS ? t : type == L4_OBJ_CNODE ? S_SELF : s;
}

/* The CNode a path argument is taken in: mostly the sandbox itself. */
static l4_word_t gen_cnode(l4_word_t *rng)
{
    if (CHANCE(70))
        return S_SELF;
    if (CHANCE(40))
        return fixed_or(R, CHANCE(50) ? S_CNODE_N1 : S_CNODE_N3, L4_OBJ_CNODE);
    l4_word_t s = gen_slot_of(R, L4_OBJ_CNODE);
    return s < FZ_SLOTS ? s : S_SELF;
}

static l4_word_t gen_tcb(l4_word_t *rng, unsigned me, int harmful)
{
    /* Harmful methods hit victims and the fuzzers' own threads (the victims
     * may be gone: they are the sandbox's to destroy); an actor now and then
     * (the supervisor restarts it, but a broken partner makes its fuzzers
     * wait for the restart). */
    if (harmful) {
        l4_word_t x = BELOW(100), v = S_VICTIM + BELOW(2);
        if (x < 60 && fz_model[v] == L4_OBJ_TCB)
            return v;
        if (x < 92) {
            l4_word_t s = gen_slot_of(R, L4_OBJ_TCB);
            if (s >= FZ_FREE_FIRST && s < FZ_SLOTS)
                return s;
            if (fz_model[v] == L4_OBJ_TCB)
                return v;
        }
        if (x < 96 || fz_model[S_TCB + me] == L4_OBJ_TCB)
            return S_TCB + me;
    }
    if (CHANCE(10) && fz_model[S_TCB + me] == L4_OBJ_TCB)
        return S_TCB + me;
    return gen_slot_of(R, L4_OBJ_TCB);
}

static l4_word_t gen_vaddr(l4_word_t *rng, l4_word_t bits)
{
    if (CHANCE(80))
        return (FZ_SCRATCH_VA + BELOW(FZ_SCRATCH_MB) * MB + BELOW(MB >> bits) * (1u << bits)) &
               ~((1u << bits) - 1);
    static const l4_word_t odd[] = {0,          0x10000,     0x7ff00000,   0x7fff0000,
                                    0x7ffff000, 0x80000000u, FZ_SHARED_VA, FZ_SCRATCH_VA + 0x800};
    return CHANCE(60) ? odd[BELOW(8)] : rng_boundary(R);
}

static l4_word_t gen_pd(l4_word_t *rng)
{
    static const uint8_t pds[] = {S_PD_A, S_PD_B, S_PD_FUZZ, S_PD_GUEST};
    l4_word_t s = gen_slot_of(R, L4_OBJ_PAGE_DIRECTORY);
    return CHANCE(85) && s < FZ_SLOTS ? s : pds[BELOW(4)];
}

/* --- methods ------------------------------------------------------------------------- */

static void gen_retype(l4_word_t *rng, fz_call_t *c)
{
    static const uint8_t types[] = {L4_OBJ_ENDPOINT,     L4_OBJ_ENDPOINT,   L4_OBJ_NOTIFICATION,
                                    L4_OBJ_NOTIFICATION, L4_OBJ_CNODE,      L4_OBJ_CNODE,
                                    L4_OBJ_TCB,          L4_OBJ_TCB,        L4_OBJ_FRAME_4K,
                                    L4_OBJ_FRAME_4K,     L4_OBJ_PAGE_TABLE, L4_OBJ_UNTYPED,
                                    L4_OBJ_UNTYPED,      L4_OBJ_VCPU,       L4_OBJ_PAGE_DIRECTORY,
                                    L4_OBJ_FRAME_64K};
    l4_word_t type = CHANCE(92) ? types[BELOW(sizeof types)] : rng_small_or_boundary(R, 20);
    /* (CNodes mostly small; now and then over 256 slots: more than one chunk
     * of the delete walk's scan) */
    l4_word_t bits = type == L4_OBJ_UNTYPED ? 4 + BELOW(9)
                     : type == L4_OBJ_CNODE ? (CHANCE(90) ? 1 + BELOW(5) : 9 + BELOW(2))
                                            : 0;
    if (CHANCE(6))
        bits = rng_small_or_boundary(R, 33);
    l4_word_t root = CHANCE(85) ? S_SELF : gen_cnode(R);
    l4_word_t depth = 0, index = 0;
    if (CHANCE(10)) /* the CNode in slot N1 or N3, by a path in root */
        gen_path(R, root, CHANCE(50) ? S_CNODE_N1 : S_CNODE_N3, &index, &depth);
    l4_word_t offset = root == S_SELF && depth == 0 ? gen_free_slot(R) : BELOW(40);
    l4_word_t count = CHANCE(75) ? 1 : CHANCE(80) ? 2 + BELOW(3) : rng_boundary(R);
    if (offset >= FZ_FREE_FIRST && count > 1 && offset + count <= FZ_SLOTS)
        for (l4_word_t i = 1; i < count; i++)
            if (fz_model[offset + i] != L4_OBJ_NULL)
                count = i; /* keep to the empty run, mostly */
    c->mr[0] = type;
    c->mr[1] = bits;
    c->mr[2] = index;
    c->mr[3] = depth;
    c->mr[4] = offset;
    c->mr[5] = count;
    c->caps[0] = root;
    if (root == S_SELF && depth == 0 && offset < FZ_SLOTS && count <= FZ_SLOTS - offset) {
        c->effect = FX_NEW;
        c->dest = offset;
        c->count = count;
        c->dest_type = type;
        c->view.radix = type == L4_OBJ_CNODE ? (uint8_t)bits : 0; /* (applied if it succeeds) */
    }
}

static void gen_cnode_method(l4_word_t *rng, fz_call_t *c, l4_word_t cn)
{
    l4_word_t label = c->label;
    l4_word_t target, index, depth;
    int takes_free = label <= L4_CNODE_MUTATE || label == L4_CNODE_SAVE_CALLER;
    if (takes_free)
        target = cn == S_SELF ? gen_free_slot(R) : BELOW(64);
    else /* delete / revoke: mostly what the fuzzers made */
        target = cn != S_SELF ? BELOW(64)
                 : CHANCE(85) ? gen_slot_of(R, FZ_UNKNOWN)
                              : BELOW(FZ_SLOTS);
    for (unsigned i = 0;
         label >= L4_CNODE_DELETE && cn == S_SELF && target < FZ_FREE_FIRST && i < 4 && CHANCE(90);
         i++)
        target = gen_slot_of(R, FZ_UNKNOWN); /* spare the world, mostly */
    /* IRQ control cannot be copied back: spare it (world.c), in the sandbox
     * and in any CNode, which may be a copy of the sandbox's cap */
    if (target == S_IRQ_CONTROL && label != L4_CNODE_REVOKE)
        target = S_IRQ;
    gen_path(R, cn, target, &index, &depth);
    c->mr[0] = index;
    c->mr[1] = depth;
    if (label >= L4_CNODE_DELETE) {
        if (cn == S_SELF && depth == 32 && index < FZ_SLOTS) {
            c->effect = label == L4_CNODE_SAVE_CALLER ? FX_SAVE_CALLER
                        : label == L4_CNODE_REVOKE    ? FX_REVOKE
                                                      : FX_DELETE;
            c->dest = index;
        }
        return;
    }
    l4_word_t src_root = CHANCE(95) ? S_SELF : gen_cnode(R);
    l4_word_t src = src_root == S_SELF ? gen_slot_of(R, FZ_UNKNOWN) : BELOW(64);
    if (src == S_IRQ_CONTROL && (label == L4_CNODE_MOVE || label == L4_CNODE_MUTATE))
        src = S_IRQ; /* spared (above), whatever the root */
    /* A CNode made to hold a cap to itself (or to the CNode that holds it):
     * cycles only the delete walk's zombies can take apart. */
    if (cn != S_SELF && cn < FZ_SLOTS && src_root == S_SELF && CHANCE(30))
        src = CHANCE(60) ? cn : gen_slot_of(R, L4_OBJ_CNODE);
    l4_word_t sindex, sdepth;
    gen_path(R, src_root, src, &sindex, &sdepth);
    c->mr[2] = sindex;
    c->mr[3] = sdepth;
    l4_word_t w = 4;
    if (label == L4_CNODE_COPY || label == L4_CNODE_MINT)
        c->mr[w++] = CHANCE(70) ? L4_RIGHTS_ALL : rng_small_or_boundary(R, 8);
    if (label == L4_CNODE_MINT || label == L4_CNODE_MUTATE) {
        l4_word_t t = src < FZ_SLOTS ? fz_model[src] : 0;
        l4_word_t badge = 0;
        if (t == L4_OBJ_ENDPOINT || t == L4_OBJ_NOTIFICATION)
            badge = CHANCE(60) ? 1 + BELOW(1000) : rng_boundary(R);
        else if (t == L4_OBJ_CNODE) /* mostly the guard it has: its paths still work */
            badge = CHANCE(60) ? fz_view[src].guard : CHANCE(50) ? BELOW(8) : rng_boundary(R);
        else if (CHANCE(10))
            badge = rng_boundary(R);
        c->mr[w++] = badge;
    }
    c->caps[0] = src_root;
    if (cn == S_SELF && src_root == S_SELF && depth == 32 && sdepth == 32 && index < FZ_SLOTS &&
        sindex < FZ_SLOTS) {
        c->effect = label == L4_CNODE_MOVE || label == L4_CNODE_MUTATE ? FX_MOVE : FX_COPY;
        c->dest = index;
        c->src = sindex;
        c->view = fz_view[sindex]; /* (the picture takes it if the call succeeds) */
        if (label == L4_CNODE_MINT || label == L4_CNODE_MUTATE) { /* the badge word is the guard */
            l4_word_t b = c->mr[label == L4_CNODE_MINT ? 5 : 4];
            c->view.guard = b & 0x1fu;
            if ((b >> 5) || c->view.guard + c->view.radix > 32)
                c->view.radix = 0; /* a guard value or size the paths do not use */
        }
    }
}

/* The supervisor's tick in counter ticks (qemu-virt's 62.5 MHz counter):
 * the scale of the timers the fuzzers arm. */
#define FZ_TIMER_TICK (62500000u / FZ_TICKS_PER_S)

/* Register values for a thread: an actor's own entry most of the time
 * (anything else would only get it restarted), a victim's loop, or wild. */
static void gen_regs(l4_word_t *rng, l4_word_t tcb, l4_word_t *regs, l4_word_t n)
{
    for (l4_word_t i = 0; i < n; i++)
        regs[i] = rng_small_or_boundary(R, 256);
    if (n <= 15)
        return;
    if (tcb >= S_TCB && tcb < S_TCB + A_COUNT && CHANCE(80)) {
        fz_actor_t *a = &fz_actors[tcb - S_TCB];
        regs[0] = (l4_word_t)a;
        regs[13] = a->stack_top;
        regs[15] = (l4_word_t)fz_actor_main & ~1u;
        if (n > 16)
            regs[16] = 0x10 | (((l4_word_t)fz_actor_main & 1) << 5);
        return;
    }
    regs[15] = CHANCE(70) ? FZ_VICTIM_CODE_VA + BELOW(2) * FZ_VICTIM_ENTRY2 : rng_boundary(R);
    if (n > 16)
        regs[16] = CHANCE(70) ? 0x10 : rng_next(R);
}

static void gen_tcb_method(l4_word_t *rng, unsigned me, fz_call_t *c)
{
    l4_word_t l = c->label, *m = c->mr;
    switch (l) {
    case L4_TCB_CONFIGURE: {
        l4_word_t k = c->cptr >= S_TCB && c->cptr < S_TCB + A_COUNT ? c->cptr - S_TCB : me;
        m[0] = CHANCE(70) ? S_SUPERVISOR + k : rng_small_or_boundary(R, FZ_SLOTS);
        m[1] = CHANCE(80) ? 0 : CHANCE(50) ? 32 - FZ_SANDBOX_BITS : rng_boundary(R);
        m[2] = CHANCE(30)   ? 0
               : CHANCE(60) ? FZ_IPCBUF_VA + k * PAGE
               : CHANCE(50) ? gen_vaddr(R, 9)
                            : rng_boundary(R);
        c->caps[0] = CHANCE(80) ? S_SELF : gen_slot_of(R, L4_OBJ_CNODE);
        c->caps[1] = CHANCE(70) ? S_PD_FUZZ : gen_pd(R);
        c->caps[2] = !m[2] && CHANCE(50) ? L4_CAP_NULL
                     : CHANCE(90)        ? gen_slot_of(R, L4_OBJ_FRAME_4K)
                                         : BELOW(FZ_SLOTS);
        break;
    }
    case L4_TCB_SET_PRIORITY:
    case L4_TCB_SET_MCP:
        m[0] = CHANCE(60) ? FZ_PRIO_ACTORS - BELOW(3) : rng_small_or_boundary(R, 256);
        c->caps[0] = CHANCE(70) && fz_model[S_TCB + me] == L4_OBJ_TCB ? S_TCB + me
                                                                      : gen_slot_of(R, L4_OBJ_TCB);
        break;
    case L4_TCB_READ_REGISTERS:
        m[0] = CHANCE(90) ? 0 : rng_small_or_boundary(R, 2);
        m[1] = CHANCE(85) ? 1 + BELOW(L4_TCB_MAX_REGS) : rng_boundary(R);
        break;
    case L4_TCB_WRITE_REGISTERS:
        m[0] = CHANCE(80) ? 1 : rng_small_or_boundary(R, 2);
        m[1] = CHANCE(85) ? 16 + BELOW(3) : rng_small_or_boundary(R, 20);
        gen_regs(R, c->cptr, &m[2], m[1] <= L4_TCB_MAX_REGS ? m[1] : L4_TCB_MAX_REGS);
        c->length = 2 + (m[1] <= L4_TCB_MAX_REGS ? m[1] : 0);
        return;
    case L4_TCB_BIND_NOTIFICATION:
        c->caps[0] = gen_slot_of(R, L4_OBJ_NOTIFICATION);
        break;
    case L4_TCB_SET_NAME:
        for (unsigned i = 0; i < 4; i++)
            m[i] = CHANCE(80) ? (i < 3 ? 0x7a7a7a7au : 0x007a7a7au) : rng_boundary(R);
        break;
    case L4_TCB_READ_FPU:
    case L4_TCB_WRITE_FPU:
        m[0] = CHANCE(90) ? 0 : 1;
        m[1] = rng_small_or_boundary(R, L4_FPU_WORDS);
        m[2] = CHANCE(85) ? 1 + BELOW(8) : rng_boundary(R);
        if (l == L4_TCB_WRITE_FPU) {
            l4_word_t n = m[2] < 61 ? m[2] : 0;
            for (l4_word_t i = 0; i < n; i++)
                m[3 + i] = rng_next(R);
            c->length = 3 + n;
            return;
        }
        break;
    case L4_TCB_SET_FAULT_REGS: /* fault messages with the registers, mostly on or off */
        m[0] = CHANCE(90) ? BELOW(2) : rng_boundary(R);
        break;
    case L4_TCB_SET_TIMER: /* a signal of its bound notification, mostly soon and once */
        m[0] = CHANCE(90) ? L4_VCPU_TIMER_RELATIVE : rng_boundary(R);
        m[1] = CHANCE(90) ? 1u << BELOW(32) : rng_boundary(R);
        m[2] = CHANCE(85) ? BELOW(4 * FZ_TIMER_TICK) : rng_boundary(R);
        m[3] = CHANCE(90) ? 0 : rng_boundary(R);
        m[4] = CHANCE(80) ? 0 : CHANCE(60) ? FZ_TIMER_TICK * (1 + BELOW(8)) : rng_boundary(R);
        break;
    default: /* resume, suspend, unbind, cancel_timer: no arguments */
        break;
    }
}

static void gen_vm_method(l4_word_t *rng, fz_call_t *c)
{
    l4_word_t *m = c->mr;
    switch (c->label) {
    case L4_PAGE_TABLE_MAP:
        m[0] = gen_vaddr(R, 20);
        m[1] = CHANCE(90) ? 0 : rng_boundary(R);
        c->caps[0] = gen_pd(R);
        break;
    case L4_FRAME_MAP: {
        l4_word_t bits = c->type == L4_OBJ_FRAME_64K ? 16 : c->type == L4_OBJ_FRAME_1M ? 20 : 12;
        m[0] = gen_vaddr(R, bits);
        m[1] = CHANCE(70) ? (L4_RIGHT_READ | L4_RIGHT_WRITE) : rng_small_or_boundary(R, 8);
        m[2] = CHANCE(80) ? BELOW(4) : rng_boundary(R);
        c->caps[0] = gen_pd(R);
        break;
    }
    default: /* unmap, get_address */
        break;
    }
}

static void gen_other_method(l4_word_t *rng, unsigned me, fz_call_t *c)
{
    l4_word_t *m = c->mr;
    switch (c->label) {
    case L4_IRQ_HANDLER_SET_NOTIFICATION:
        c->caps[0] = gen_slot_of(R, L4_OBJ_NOTIFICATION);
        break;
    case L4_IRQ_HANDLER_ROUTE_VCPU: /* a virtual line, mostly a valid one, of a vCPU */
        m[0] = CHANCE(80) ? BELOW(32) : rng_boundary(R);
        c->caps[0] = gen_slot_of(R, CHANCE(85) ? L4_OBJ_VCPU : L4_OBJ_NOTIFICATION);
        break;
    case L4_VCPU_BIND:
        c->caps[0] = gen_tcb(R, me, 1);
        c->caps[1] = CHANCE(80) ? gen_slot_of(R, L4_OBJ_FRAME_4K) : gen_frame(R);
        break;
    case L4_VCPU_RESUME:
        m[0] = CHANCE(80) ? BELOW(2) : rng_boundary(R);
        c->caps[0] = gen_pd(R);
        break;
    case L4_VCPU_SET_TIMER: /* mostly soon (counter ticks: 62.5 MHz), once or periodic */
        m[0] = CHANCE(90) ? BELOW(L4_VCPU_TIMERS) : rng_boundary(R);
        m[1] = CHANCE(70) ? L4_VCPU_TIMER_RELATIVE : CHANCE(70) ? 0 : rng_boundary(R);
        m[2] = CHANCE(90) ? BELOW(L4_VCPU_TIMER_LINES) : rng_boundary(R);
        m[3] = CHANCE(80) ? BELOW(200000) : rng_next(R);
        m[4] = CHANCE(85) ? 0 : rng_boundary(R);
        m[5] = CHANCE(50) ? 0 : CHANCE(80) ? 6250 + BELOW(100000) : rng_small_or_boundary(R, 7000);
        break;
    case L4_VCPU_CANCEL_TIMER:
        m[0] = CHANCE(90) ? BELOW(L4_VCPU_TIMERS) : rng_boundary(R);
        break;
    case L4_VCPU_SET_PRIORITY: /* mostly a valid line and level (the table the exits read) */
        m[0] = CHANCE(90) ? BELOW(32) : rng_boundary(R);
        m[1] = CHANCE(90) ? BELOW(L4_VCPU_PRIO_LEVELS) : rng_boundary(R);
        break;
    case L4_IRQ_CONTROL_GET: { /* a line: free, claimed by the world, or never user level's */
        l4_word_t x = BELOW(100);
        m[0] = x < 35   ? 152 + BELOW(8)                 /* SPIs nothing raises: free */
               : x < 50 ? 150 + BELOW(2)                 /* the world's: REVOKE_FIRST */
               : x < 60 ? 40 + BELOW(8)                  /* more free SPIs */
               : x < 85 ? BELOW(32)                      /* SGIs and PPIs (27, 30 too): refused */
               : x < 92 ? 160 + BELOW(900)               /* past the controller */
                        : rng_boundary(R);
        l4_word_t root = CHANCE(85) ? S_SELF : CHANCE(70) ? gen_cnode(R) : BELOW(FZ_SLOTS);
        l4_word_t target = root == S_SELF ? gen_free_slot(R) : BELOW(64), index, depth;
        gen_path(R, root, target, &index, &depth);
        if (CHANCE(5))
            depth = rng_small_or_boundary(R, 40);
        m[1] = index;
        m[2] = depth;
        c->caps[0] = root;
        if (root == S_SELF && depth == 32 && index < FZ_SLOTS) {
            c->effect = FX_NEW;
            c->dest = index;
            c->count = 1;
            c->dest_type = L4_OBJ_IRQ_HANDLER;
        }
        break;
    }
    case L4_MACHINE_CONSOLE_WRITE: /* mostly nothing, a dot now and then */
        m[0] = CHANCE(70) ? 0 : CHANCE(60) ? 1 : rng_boundary(R);
        m[1] = '.';
        break;
    case L4_MACHINE_TRACE: /* a user trace point (debug kernels keep the event ring) */
        m[0] = CHANCE(85) ? BELOW(L4_TRACE_USER_EVENTS) : rng_boundary(R);
        for (unsigned i = 1; i < 5; i++)
            m[i] = rng_next(R);
        break;
    case L4_MACHINE_SHUTDOWN: /* never with the rights it needs: the sandbox has none */
        m[0] = rng_boundary(R);
        break;
    default:
        break;
    }
}

/* --- which method ------------------------------------------------------------------------ */

typedef struct {
    uint8_t type, label, words, caps, weight;
} method_t;

/* Every method of every type the sandbox holds, with its argument counts.
 * Weights: how often, among the methods of that type. */
static const method_t methods[] = {
    {L4_OBJ_UNTYPED, L4_UNTYPED_RETYPE, 6, 1, 10},
    {L4_OBJ_CNODE, L4_CNODE_COPY, 5, 1, 8},
    {L4_OBJ_CNODE, L4_CNODE_MINT, 6, 1, 6},
    {L4_OBJ_CNODE, L4_CNODE_MOVE, 4, 1, 4},
    {L4_OBJ_CNODE, L4_CNODE_MUTATE, 5, 1, 3},
    {L4_OBJ_CNODE, L4_CNODE_DELETE, 2, 0, 6},
    {L4_OBJ_CNODE, L4_CNODE_REVOKE, 2, 0, 2},
    {L4_OBJ_CNODE, L4_CNODE_SAVE_CALLER, 2, 0, 2},
    {L4_OBJ_TCB, L4_TCB_CONFIGURE, 3, 3, 3},
    {L4_OBJ_TCB, L4_TCB_SET_PRIORITY, 1, 1, 3},
    {L4_OBJ_TCB, L4_TCB_SET_MCP, 1, 1, 1},
    {L4_OBJ_TCB, L4_TCB_READ_REGISTERS, 2, 0, 4},
    {L4_OBJ_TCB, L4_TCB_WRITE_REGISTERS, 2, 0, 3},
    {L4_OBJ_TCB, L4_TCB_RESUME, 0, 0, 3},
    {L4_OBJ_TCB, L4_TCB_SUSPEND, 0, 0, 2},
    {L4_OBJ_TCB, L4_TCB_BIND_NOTIFICATION, 0, 1, 2},
    {L4_OBJ_TCB, L4_TCB_UNBIND_NOTIFICATION, 0, 0, 2},
    {L4_OBJ_TCB, L4_TCB_SET_NAME, 4, 0, 1},
    {L4_OBJ_TCB, L4_TCB_READ_FPU, 3, 0, 1},
    {L4_OBJ_TCB, L4_TCB_WRITE_FPU, 3, 0, 1},
    {L4_OBJ_TCB, L4_TCB_SET_TIMER, 5, 0, 1},
    {L4_OBJ_TCB, L4_TCB_SET_FAULT_REGS, 1, 0, 1},
    {L4_OBJ_TCB, L4_TCB_CANCEL_TIMER, 0, 0, 1},
    {L4_OBJ_PAGE_TABLE, L4_PAGE_TABLE_MAP, 2, 1, 3},
    {L4_OBJ_PAGE_TABLE, L4_PAGE_TABLE_UNMAP, 0, 0, 1},
    {L4_OBJ_FRAME_4K, L4_FRAME_MAP, 3, 1, 4},
    {L4_OBJ_FRAME_4K, L4_FRAME_UNMAP, 0, 0, 2},
    {L4_OBJ_FRAME_4K, L4_FRAME_GET_ADDRESS, 0, 0, 1},
    {L4_OBJ_IRQ_HANDLER, L4_IRQ_HANDLER_ACK, 0, 0, 1},
    {L4_OBJ_IRQ_HANDLER, L4_IRQ_HANDLER_SET_NOTIFICATION, 0, 1, 2},
    {L4_OBJ_IRQ_HANDLER, L4_IRQ_HANDLER_CLEAR, 0, 0, 1},
    {L4_OBJ_IRQ_HANDLER, L4_IRQ_HANDLER_ROUTE_VCPU, 1, 1, 2},
    {L4_OBJ_IRQ_HANDLER, L4_IRQ_HANDLER_DEBUG_BREAK, 0, 0, 1}, /* not the console's line: refused */
    {L4_OBJ_IRQ_CONTROL, L4_IRQ_CONTROL_GET, 3, 1, 1},
    {L4_OBJ_VCPU, L4_VCPU_BIND, 0, 2, 3},
    {L4_OBJ_VCPU, L4_VCPU_RESUME, 1, 1, 1},
    {L4_OBJ_VCPU, L4_VCPU_SYNC, 0, 0, 1},
    {L4_OBJ_VCPU, L4_VCPU_SET_PRIORITY, 2, 0, 2},
    {L4_OBJ_VCPU, L4_VCPU_SET_TIMER, 6, 0, 2},
    {L4_OBJ_VCPU, L4_VCPU_CANCEL_TIMER, 1, 0, 1},
    {L4_OBJ_VCPU, L4_VCPU_READ_TIME, 0, 0, 1},
    {L4_OBJ_MACHINE, L4_MACHINE_CONSOLE_WRITE, 2, 0, 3},
    {L4_OBJ_MACHINE, L4_MACHINE_SHUTDOWN, 1, 0, 1},
    {L4_OBJ_MACHINE, L4_MACHINE_TRACE, 5, 0, 2},
};
#define NMETHODS (sizeof methods / sizeof methods[0])

/* Types to invoke and how often (endpoints and notifications are IPC). */
static const uint8_t invoke_types[] = {
    L4_OBJ_UNTYPED,    L4_OBJ_UNTYPED,     L4_OBJ_UNTYPED,   L4_OBJ_CNODE,    L4_OBJ_CNODE,
    L4_OBJ_CNODE,      L4_OBJ_CNODE,       L4_OBJ_TCB,       L4_OBJ_TCB,      L4_OBJ_TCB,
    L4_OBJ_FRAME_4K,   L4_OBJ_FRAME_4K,    L4_OBJ_FRAME_64K, L4_OBJ_FRAME_1M, L4_OBJ_PAGE_TABLE,
    L4_OBJ_PAGE_TABLE, L4_OBJ_IRQ_HANDLER, L4_OBJ_VCPU,      L4_OBJ_MACHINE,  L4_OBJ_PAGE_DIRECTORY,
    L4_OBJ_IRQ_CONTROL,
};

/* Frames of every size share the frame methods. */
static l4_word_t cap_class(l4_word_t type)
{
    return type == L4_OBJ_FRAME_64K || type == L4_OBJ_FRAME_1M ? L4_OBJ_FRAME_4K : type;
}

static const method_t *pick_method(l4_word_t *rng, l4_word_t type)
{
    l4_word_t as = cap_class(type), total = 0;
    for (unsigned i = 0; i < NMETHODS; i++)
        if (methods[i].type == as)
            total += methods[i].weight;
    if (!total)
        return NULL;
    l4_word_t x = BELOW(total);
    for (unsigned i = 0; i < NMETHODS; i++)
        if (methods[i].type == as) {
            if (x < methods[i].weight)
                return &methods[i];
            x -= methods[i].weight;
        }
    return NULL;
}

static void gen_invoke(l4_word_t *rng, unsigned me, fz_call_t *c)
{
    /* A type the sandbox still holds (a call on a cap of unknown type may
     * be an IPC call that nobody answers). */
    l4_word_t type = 0, slot = FZ_SLOTS;
    for (unsigned tries = 0; tries < 4 && slot == FZ_SLOTS; tries++) {
        type = invoke_types[BELOW(sizeof invoke_types)];
        slot = gen_slot_of(R, type);
    }
    if (slot == FZ_SLOTS) { /* the sandbox itself is always there (the supervisor sees to it) */
        type = L4_OBJ_CNODE;
        slot = S_SELF;
    }
    const method_t *mt = pick_method(R, type);
    if (type == L4_OBJ_TCB && mt) /* some methods only on the threads that may suffer them */
        if (mt->label == L4_TCB_SUSPEND || mt->label == L4_TCB_CONFIGURE ||
            mt->label == L4_TCB_WRITE_REGISTERS || mt->label == L4_TCB_SET_PRIORITY ||
            mt->label == L4_TCB_BIND_NOTIFICATION)
            slot = gen_tcb(R, me, 1);
    if (type == L4_OBJ_CNODE && CHANCE(35))
        slot = CHANCE(50) ? S_SELF : fixed_or(R, CHANCE(50) ? S_CNODE_N1 : S_CNODE_N3, type);
    c->op = OP_INVOKE;
    c->sysno = L4_SYS_CALL;
    c->cptr = slot;
    c->type = type;
    c->label = mt && CHANCE(93) ? mt->label : rng_small_or_boundary(R, 100);
    c->length = mt ? mt->words : 0;
    c->ncaps = mt ? mt->caps : 0;
    switch (cap_class(type)) {
    case L4_OBJ_UNTYPED:
        if (c->label == L4_UNTYPED_RETYPE)
            gen_retype(R, c);
        break;
    case L4_OBJ_CNODE:
        if (c->label >= L4_CNODE_COPY && c->label <= L4_CNODE_SAVE_CALLER)
            gen_cnode_method(R, c, slot);
        break;
    case L4_OBJ_TCB:
        gen_tcb_method(R, me, c);
        break;
    case L4_OBJ_PAGE_TABLE:
    case L4_OBJ_FRAME_4K:
        gen_vm_method(R, c);
        break;
    default:
        gen_other_method(R, me, c);
        break;
    }
    if (CHANCE(5)) /* a message too short or too long for the method */
        c->length = CHANCE(50) && c->length ? c->length - 1 : rng_small_or_boundary(R, 12);
    if (CHANCE(4))
        c->ncaps = BELOW(4);
}

/* Messages: short ones (the fastpath's), sometimes long, with capabilities. */
static void gen_message(l4_word_t *rng, fz_call_t *c, int caps_ok)
{
    c->label = CHANCE(80) ? BELOW(16) : rng_boundary(R) & 0xfffff;
    c->length = CHANCE(75)   ? BELOW(5)
                : CHANCE(80) ? BELOW(L4_MSG_MAX_WORDS + 1)
                             : rng_boundary(R) & 0x7f;
    for (l4_word_t i = 0; i < L4_MSG_MAX_WORDS; i++)
        c->mr[i] = i < 8 ? rng_small_or_boundary(R, 1000) : i;
    if (caps_ok && CHANCE(12)) {
        c->ncaps = 1 + BELOW(3);
        for (unsigned i = 0; i < c->ncaps; i++)
            c->caps[i] = gen_slot_of(R, FZ_UNKNOWN);
    }
}

static void gen_ipc(l4_word_t *rng, unsigned me, fz_call_t *c)
{
    c->op = OP_IPC;
    gen_message(R, c, 1);
    l4_word_t x = BELOW(100);
    if (x < 32) { /* call the partner: the fastpath when short, same priority */
        c->sysno = L4_SYS_CALL;
        c->cptr = S_EP_PARTNER;
    } else if (x < 42) { /* blocking only where someone receives */
        c->cptr = CHANCE(80) ? S_EP_PARTNER : fixed_or(R, S_EP_SPARE, L4_OBJ_ENDPOINT);
        c->sysno = CHANCE(50) && c->cptr == S_EP_PARTNER ? L4_SYS_SEND : L4_SYS_NBSEND;
    } else if (x < 58) { /* take the client's call: a reply cap of our own */
        c->sysno = CHANCE(85) ? L4_SYS_NBRECV : L4_SYS_RECV;
        if (c->sysno == L4_SYS_RECV && holds_reply[me])
            c->sysno = L4_SYS_REPLY_RECV; /* else it waits for the caller it keeps waiting */
        c->cptr = S_EP_CLIENT;
        c->recv_slot = gen_free_slot(R);
    } else if (x < 66) {
        c->sysno = L4_SYS_REPLY;
        c->cptr = 0;
    } else if (x < 70) { /* the fastpath's other half (as the client's server) */
        c->sysno = L4_SYS_REPLY_RECV;
        c->cptr = S_EP_CLIENT;
        c->recv_slot = gen_free_slot(R);
    } else if (x < 76 && gen_slot_of(R, L4_OBJ_REPLY) < FZ_SLOTS) { /* a saved reply cap */
        c->sysno = L4_SYS_SEND;
        c->cptr = gen_slot_of(R, L4_OBJ_REPLY);
        if (c->cptr < FZ_SLOTS && fz_model[c->cptr] == L4_OBJ_REPLY) {
            c->effect = FX_USE_REPLY; /* one-shot: gone whatever happens */
            c->dest = c->cptr;
        }
    } else if (x < 86) { /* (also when there was no reply cap to use) */
        static const uint8_t ntfns[] = {S_NTFN, S_NTFN + 1, S_NTFN_VIRQ, S_NTFN_BOUND};
        c->cptr = CHANCE(70) ? fixed_or(R, ntfns[BELOW(4)], L4_OBJ_NOTIFICATION)
                             : gen_slot_of(R, L4_OBJ_NOTIFICATION);
        /* signal; a send to anything else (an endpoint nobody serves) must
         * not block */
        c->sysno = c->cptr < FZ_SLOTS && fz_model[c->cptr] == L4_OBJ_NOTIFICATION ? L4_SYS_SEND
                                                                                  : L4_SYS_NBSEND;
        c->length = 0;
        c->ncaps = 0;
    } else if (x < 93) {
        c->sysno = CHANCE(95) ? L4_SYS_NBRECV : L4_SYS_RECV; /* poll, rarely wait */
        c->cptr = CHANCE(60) ? fixed_or(R, S_NTFN + BELOW(2), L4_OBJ_NOTIFICATION)
                             : gen_slot_of(R, L4_OBJ_NOTIFICATION);
    } else {
        static const uint8_t plain[] = {L4_SYS_YIELD, L4_SYS_DEBUG_NULL};
        c->sysno = plain[BELOW(2)];
    }
}

static void gen_raw(l4_word_t *rng, fz_call_t *c)
{
    c->op = OP_RAW;
    gen_message(R, c, 1);
    c->sysno = CHANCE(80) ? BELOW(16) : rng_boundary(R);
    if (c->sysno == L4_SYS_DEBUG_PUTC)
        c->sysno = L4_SYS_DEBUG_NULL; /* no raw output on the console */
    c->cptr = CHANCE(70) ? gen_slot_of(R, FZ_UNKNOWN) : rng_boundary(R);
    /* Blocking on an endpoint or notification nobody serves only waits for
     * the supervisor: make it non-blocking (the served ones stay). */
    l4_word_t t = c->cptr < FZ_SLOTS ? fz_model[c->cptr] : L4_OBJ_NULL;
    int served = c->cptr == S_EP_PARTNER || c->cptr == S_EP_CLIENT;
    if (!served && (t == L4_OBJ_ENDPOINT || t == L4_OBJ_NOTIFICATION || t == FZ_UNKNOWN)) {
        if (c->sysno == L4_SYS_SEND || c->sysno == L4_SYS_CALL)
            c->sysno = L4_SYS_NBSEND;
        else if (c->sysno == L4_SYS_RECV || c->sysno == L4_SYS_REPLY_RECV)
            c->sysno = L4_SYS_NBRECV;
    }
    c->kernel_bits = CHANCE(20) ? BELOW(8) << L4_MSG_KERNEL_SHIFT : 0;
    if (CHANCE(30))
        c->recv_slot = gen_free_slot(R);
}

/* Self-harm: the supervisor must cope. */
static void gen_harm(l4_word_t *rng, unsigned me, fz_call_t *c)
{
    c->op = OP_HARM;
    c->sysno = L4_SYS_CALL;
    c->cptr = S_TCB + me;
    c->type = L4_OBJ_TCB;
    switch (BELOW(10)) {
    case 0:
        c->label = L4_TCB_SUSPEND;
        break;
    case 8: { /* one of the sandbox's own objects, waiters and running threads and all:
               * mostly those the supervisor makes anew (world_repair), now and
               * then one that stays gone for the campaign */
        static const uint8_t renewed[] = {S_EP_SPARE, S_NTFN, S_NTFN + 1};
        static const uint8_t own[] = {S_VICTIM, S_VICTIM + 1, S_UT,    S_CNODE_N3,  S_PD_A,
                                      S_PD_B,   S_PT + 1,     S_FRAME, S_VCPU_SPARE};
        c->cptr = S_SELF;
        c->type = L4_OBJ_CNODE;
        c->label = L4_CNODE_DELETE;
        c->length = 2;
        c->mr[0] = CHANCE(80) ? renewed[BELOW(sizeof renewed)] : own[BELOW(sizeof own)];
        c->mr[1] = 32;
        c->effect = FX_DELETE;
        c->dest = c->mr[0];
        break;
    }
    case 1:
        c->label = L4_TCB_SET_PRIORITY;
        c->length = c->ncaps = 1;
        c->mr[0] = BELOW(FZ_PRIO_ACTORS);
        c->caps[0] = S_TCB + me;
        break;
    case 2: /* the other fuzzer's spaces */
        c->cptr = S_TCB + (me == A_FUZZ0 ? A_FUZZ1 : A_FUZZ0);
        c->label = L4_TCB_CONFIGURE;
        c->length = c->ncaps = 3;
        gen_tcb_method(R, me, c);
        break;
    case 3: /* give up the cap to itself; for the fuzzer whose cap is the
             * original, revoke the supervisor's copy first: then it is final */
        c->cptr = S_SELF;
        c->label = me == A_FUZZ1 && CHANCE(50) ? L4_CNODE_REVOKE : L4_CNODE_DELETE;
        c->length = 2;
        c->mr[0] = S_TCB + me;
        c->mr[1] = 32;
        c->type = L4_OBJ_CNODE;
        c->effect = c->label == L4_CNODE_REVOKE ? FX_REVOKE : FX_DELETE;
        c->dest = S_TCB + me;
        break;
    case 4:
        c->label = CHANCE(50) ? L4_TCB_UNBIND_NOTIFICATION : L4_TCB_BIND_NOTIFICATION;
        c->ncaps = c->label == L4_TCB_BIND_NOTIFICATION;
        c->caps[0] = gen_slot_of(R, L4_OBJ_NOTIFICATION);
        break;
    case 5: /* its own CSpace: the sandbox's view of itself */
        c->cptr = S_SELF;
        c->type = L4_OBJ_CNODE;
        c->label = CHANCE(70) ? L4_CNODE_REVOKE : L4_CNODE_DELETE;
        c->length = 2;
        c->mr[0] = CHANCE(50) ? S_SELF : S_CNODE_N1;
        c->mr[1] = 32;
        c->effect = c->label == L4_CNODE_REVOKE ? FX_REVOKE : FX_DELETE;
        c->dest = c->mr[0];
        break;
    case 6: /* an untyped and everything made from it (now and then: it ends the fuzzers' own world)
             */
        if (CHANCE(60)) {
            c->label = L4_TCB_RESUME;
            break;
        }
        c->cptr = S_SELF;
        c->type = L4_OBJ_CNODE;
        c->label = L4_CNODE_REVOKE;
        c->length = 2;
        c->mr[0] = gen_slot_of(R, L4_OBJ_UNTYPED);
        c->mr[1] = 32;
        c->effect = FX_REVOKE;
        c->dest = c->mr[0];
        break;
    case 7: /* every copy of the fuzz space's cap in the sandbox: a fuzzer
             * configured with one (case 2) loses its address space, even
             * while it runs */
        if (CHANCE(50)) {
            c->cptr = S_SELF;
            c->type = L4_OBJ_CNODE;
            c->label = L4_CNODE_REVOKE;
            c->length = 2;
            c->mr[0] = S_PD_FUZZ;
            c->mr[1] = 32;
            c->effect = FX_REVOKE;
            c->dest = S_PD_FUZZ;
            break;
        }
        /* a victim's or the guest's thread */
        c->cptr = CHANCE(50) ? S_VICTIM + BELOW(2) : S_TCB + A_GUEST;
        c->label = CHANCE(50) ? L4_TCB_SUSPEND : L4_TCB_RESUME;
        break;
    default:
        c->label = L4_TCB_READ_REGISTERS; /* on itself: refused */
        c->length = 2;
        c->mr[0] = 1;
        c->mr[1] = L4_TCB_MAX_REGS;
        break;
    }
}

void gen_typed(l4_word_t *rng, unsigned me, fz_call_t *c)
{
    *c = (fz_call_t){.effect = FX_NONE};
    l4_word_t x = BELOW(1000);
    if (x < 560)
        gen_invoke(R, me, c);
    else if (x < 880)
        gen_ipc(R, me, c);
    else if (x < 975)
        gen_raw(R, c);
    else if (x < 998)
        gen_harm(R, me, c);
    else { /* the invariant check, from where this fuzzer stands */
        c->op = OP_CHECK;
        c->sysno = L4_SYS_CALL;
        c->cptr = S_MACHINE + BELOW(2);
        c->label = L4_MACHINE_DEBUG_CHECK;
    }
}
