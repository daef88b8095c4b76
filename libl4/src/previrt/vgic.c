/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The virtual GICv2 of a pre-virtualised guest (ARM IHI 0048B): the
 * distributor and CPU-interface registers on the vgic_t that the runtime
 * and the VMM share (system/previrt.h). One CPU, no security extensions:
 * everything is group 0. As on QEMU's GICv2, SGIs are always enabled and
 * their pending state is set only through GICD_SGIR. Priorities act as the
 * GIC's do: an interrupt is signalled if its priority is below GICC_PMR and
 * below the running priority (the priority of the innermost active one).
 *
 * Whether the CPU interface signals an IRQ (vgic_ready) is asked at every
 * interrupt entry, every GICC_IAR and every emulated instruction that
 * leaves interrupts on after a GIC change; the answer is kept in
 * g->cache until the state changes, and every function here that changes
 * it clears the cache first (vgic_changed) or, for a line becoming pending,
 * updates it (vgic_set_pending), so a question after no change is one
 * load; a change after which nothing is pending at all (the acknowledge
 * and the end of the only interrupt, as an interrupt's handler makes them)
 * knows the answer at once: nothing to signal (vgic_settled). Nothing
 * outside this file writes a vgic_t but the runtime's short path in
 * assembly (gicshort.S), which does what the three functions below do,
 * the kept answer included, in their common cases.
 *
 * The CPU interface's hot registers have their own functions
 * (vgic_acknowledge for GICC_IAR, vgic_end for GICC_EOIR, vgic_sgi for
 * GICD_SGIR), which the runtime's C access for a known register
 * (gicdev.c) calls directly and vgic_cpu_read/_write and vgic_dist_write
 * call for the same offsets: one implementation of each register in C
 * (emulguest's GIC twin compares gicshort.S's with it).
 */
#include <system/previrt.h>

#define GICD_CTLR 0x000u
#define GICD_TYPER 0x004u
#define GICD_IIDR 0x008u
#define GICD_ISENABLER 0x100u
#define GICD_ICENABLER 0x180u
#define GICD_ISPENDR 0x200u
#define GICD_ICPENDR 0x280u
#define GICD_ISACTIVER 0x300u
#define GICD_ICACTIVER 0x380u
#define GICD_IPRIORITYR 0x400u
#define GICD_ITARGETSR 0x800u
#define GICD_ICFGR 0xc00u
#define GICD_SGIR 0xf00u
#define GICC_CTLR 0x00u
#define GICC_PMR 0x04u
#define GICC_BPR 0x08u
#define GICC_IAR 0x0cu
#define GICC_EOIR 0x10u
#define GICC_RPR 0x14u
#define GICC_HPPIR 0x18u
#define GICC_IIDR 0xfcu
#define SGI_COUNT 16u

_Static_assert(VGIC_WORDS == 4, "vgic_refresh tests the four pending words");

static int bit_test(const uint32_t *w, unsigned i)
{
    return (w[i / 32] >> (i % 32)) & 1u;
}

static void bit_clear(uint32_t *w, unsigned i)
{
    w[i / 32] &= ~(1u << (i % 32));
}

/* Before any change of what vgic_ready depends on. */
static inline void vgic_changed(vgic_t *g)
{
    g->cache = 0;
}

/* After a change: with nothing pending, nothing is signalled, whatever
 * else the state says (vgic_refresh's first test); else not known. */
static inline void vgic_settled(vgic_t *g)
{
    g->cache = vgic_any_pending(g) ? 0 : VGIC_CACHE_VALID | VGIC_SPURIOUS;
}

/* The VMM's look at a vgic_t the guest can write (docs/previrt.md,
 * "Devices"): the fields that index arrays, bounded before any function
 * here runs on them for the VMM; the guest waits in its fault meanwhile.
 * Every other field's value is harmless: bits the registers mask. */
const char *vgic_check(const vgic_t *g)
{
    if (g->active_depth > VGIC_LINES)
        return "the guest's virtual GIC is corrupt: its active depth is out of range";
    for (unsigned k = 0; k < g->active_depth; k++)
        if (g->active_stack[k] >= VGIC_LINES)
            return "the guest's virtual GIC is corrupt: an active INTID is out of range";
    if ((g->cache & VGIC_CACHE_READY) && (g->cache & VGIC_CACHE_INTID) >= VGIC_LINES)
        return "the guest's virtual GIC is corrupt: its signalled INTID is out of range";
    return 0;
}

void vgic_reset(vgic_t *g)
{
    uint8_t *b = (uint8_t *)g;

    for (unsigned i = 0; i < sizeof(*g); i++)
        b[i] = 0;
    g->enabled[0] = (1u << SGI_COUNT) - 1u;
}

static unsigned vgic_running_priority(const vgic_t *g)
{
    if (g->active_depth == 0)
        return VGIC_IDLE_PRIORITY;
    return g->priority[g->active_stack[g->active_depth - 1]];
}

/* The highest-priority pending, enabled, inactive interrupt (lowest INTID
 * among equals), or VGIC_SPURIOUS. */
static unsigned vgic_best(const vgic_t *g)
{
    unsigned best = VGIC_SPURIOUS, prio = VGIC_IDLE_PRIORITY;

    for (unsigned w = 0; w < VGIC_WORDS; w++) {
        uint32_t cand = g->pending[w] & g->enabled[w] & ~g->active[w];

        for (; cand; cand &= cand - 1) {
            unsigned i = w * 32 + (unsigned)__builtin_ctz(cand);

            if (g->priority[i] < prio) {
                prio = g->priority[i];
                best = i;
            }
        }
    }
    return best;
}

/* vgic_ready's answer from the state itself, into g->cache. */
static uint32_t vgic_refresh(vgic_t *g)
{
    uint32_t c = VGIC_CACHE_VALID | VGIC_SPURIOUS;
    unsigned i;

    if ((g->dist_enable & 1) && (g->cpu_enable & 1) &&
        (g->pending[0] | g->pending[1] | g->pending[2] | g->pending[3])) {
        i = vgic_best(g);
        if (i != VGIC_SPURIOUS && g->priority[i] < (g->pmr & 0xffu) &&
            g->priority[i] < vgic_running_priority(g))
            c = VGIC_CACHE_VALID | VGIC_CACHE_READY | i;
    }
    g->cache = c;
    return c;
}

int vgic_ready(vgic_t *g)
{
    uint32_t c = g->cache;

    if (!(c & VGIC_CACHE_VALID))
        c = vgic_refresh(g);
    return (c & VGIC_CACHE_READY) != 0;
}

/* A line becoming pending (each interrupt's arrival) keeps a known answer
 * known: only that line is new among the candidates, so it is signalled
 * instead of the cached one if it is more urgent (the lower INTID among
 * equals, as vgic_best), or if nothing was and it passes the masks. */
void vgic_set_pending(vgic_t *g, unsigned intid)
{
    uint32_t c = g->cache, w = intid / 32, bit = 1u << (intid % 32);
    unsigned b, prio;

    if (intid >= VGIC_LINES || (g->pending[w] & bit))
        return;
    g->pending[w] |= bit;
    if (!(c & VGIC_CACHE_VALID) || !(g->enabled[w] & bit) || (g->active[w] & bit))
        return; /* unknown, or not a candidate: the answer stands */
    prio = g->priority[intid];
    if (c & VGIC_CACHE_READY) {
        b = c & VGIC_CACHE_INTID;
        if (prio < g->priority[b] || (prio == g->priority[b] && intid < b))
            g->cache = VGIC_CACHE_VALID | VGIC_CACHE_READY | intid;
    } else if ((g->dist_enable & g->cpu_enable & 1) && prio < (g->pmr & 0xffu) &&
               prio < vgic_running_priority(g)) {
        g->cache = VGIC_CACHE_VALID | VGIC_CACHE_READY | intid;
    }
}

void vgic_clear_pending(vgic_t *g, unsigned intid)
{
    if (intid < VGIC_LINES) {
        bit_clear(g->pending, intid);
        vgic_settled(g);
    }
}

/* A 1-bit-per-INTID register bank at `base` (32 bits per word). */
static uint32_t *vgic_bank(vgic_t *g, uint32_t off, uint32_t base, uint32_t *which)
{
    uint32_t word = (off - base) / 4;

    *which = word;
    if (word >= VGIC_WORDS)
        return 0;
    if (base == GICD_ISENABLER || base == GICD_ICENABLER)
        return &g->enabled[word];
    if (base == GICD_ISPENDR || base == GICD_ICPENDR)
        return &g->pending[word];
    return &g->active[word];
}

uint32_t vgic_dist_read(vgic_t *g, uint32_t off, unsigned size)
{
    uint32_t word, *r;

    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_LINES) {
        unsigned i = off - GICD_IPRIORITYR;
        return size == 1
                   ? g->priority[i]
                   : (uint32_t)g->priority[i] | (uint32_t)g->priority[i + 1] << 8 |
                         (uint32_t)g->priority[i + 2] << 16 | (uint32_t)g->priority[i + 3] << 24;
    }
    if (off >= GICD_ITARGETSR && off < GICD_ITARGETSR + VGIC_LINES)
        return 0; /* one CPU: RAZ/WI (GICv2 4.3.12) */
    if (off >= GICD_ICFGR && off < GICD_ICFGR + VGIC_LINES / 4)
        return g->config[(off - GICD_ICFGR) / 4];
    if (off >= GICD_ISENABLER && off < GICD_ISACTIVER + 0x100 && size == 4) {
        r = vgic_bank(g, off, off & ~0x7fu, &word);
        return r ? *r : 0;
    }
    switch (off) {
    case GICD_CTLR:
        return g->dist_enable & 1;
    case GICD_TYPER:
        return VGIC_LINES / 32 - 1; /* ITLinesNumber; CPUNumber 0 */
    case GICD_IIDR:
        return 0x0200043bu; /* ARM, GICv2 */
    default:
        return 0;
    }
}

void vgic_sgi(vgic_t *g, uint32_t v)
{
    unsigned filter = (v >> 24) & 3u, targets = (v >> 16) & 0xffu;

    /* Filter 0: the target list (CPU 0 is bit 0); 1: all but self (none
     * here); 2: self. */
    if ((filter == 0 && (targets & 1u)) || filter == 2)
        vgic_set_pending(g, v & 0xfu);
}

void vgic_dist_write(vgic_t *g, uint32_t off, unsigned size, uint32_t v)
{
    uint32_t word, *r, base = off & ~0x7fu;

    if (off == GICD_SGIR) {
        vgic_sgi(g, v); /* pends a line: vgic_set_pending keeps the cache */
        return;
    }
    vgic_changed(g);

    if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_LINES) {
        unsigned i = off - GICD_IPRIORITYR, n = size == 1 ? 1 : 4;

        for (unsigned k = 0; k < n && i + k < VGIC_LINES; k++)
            g->priority[i + k] = (uint8_t)(v >> (8 * k));
        return;
    }
    if (off >= GICD_ICFGR && off < GICD_ICFGR + VGIC_LINES / 4) {
        g->config[(off - GICD_ICFGR) / 4] = v;
        return;
    }
    if (off >= GICD_ISENABLER && off < GICD_ISACTIVER + 0x100 && size == 4) {
        r = vgic_bank(g, off, base, &word);
        if (!r)
            return;
        if (word == 0 && base != GICD_ISACTIVER && base != GICD_ICACTIVER)
            v &= ~((1u << SGI_COUNT) - 1u); /* SGIs: enabled, pended by GICD_SGIR only */
        if (base == GICD_ISENABLER || base == GICD_ISPENDR || base == GICD_ISACTIVER)
            *r |= v;
        else
            *r &= ~v;
        return;
    }
    if (off == GICD_CTLR)
        g->dist_enable = v & 1;
}

/* GICC_IAR: pending -> active, the running priority rises (4.4.4). */
uint32_t vgic_acknowledge(vgic_t *g)
{
    uint32_t c = g->cache, i, w, bit;

    if (!(c & VGIC_CACHE_VALID))
        c = vgic_refresh(g);
    if (!(c & VGIC_CACHE_READY))
        return VGIC_SPURIOUS;
    i = c & VGIC_CACHE_INTID; /* vgic_best, as vgic_refresh found it */
    w = i / 32;
    bit = 1u << (i % 32);
    g->pending[w] &= ~bit;
    g->active[w] |= bit;
    g->active_stack[g->active_depth++] = (uint16_t)i;
    vgic_settled(g);
    return i; /* an SGI's source CPU (bits 12:10) is CPU 0 */
}

/* GICC_EOIR: deactivate the interrupt v names (with nesting, whichever it
 * is; the innermost, as handlers end them, is found at once); the INTID
 * completed, or VGIC_SPURIOUS if it was not active. */
uint32_t vgic_end(vgic_t *g, uint32_t v)
{
    unsigned id = v & 0x3ffu, d = g->active_depth;

    if (id >= VGIC_LINES || !bit_test(g->active, id))
        return VGIC_SPURIOUS; /* nothing changes */
    bit_clear(g->active, id);
    if (d && g->active_stack[d - 1] == id) {
        g->active_depth = d - 1;
    } else {
        for (unsigned k = 0; k < d; k++) {
            if (g->active_stack[k] == id) {
                for (; k + 1 < d; k++)
                    g->active_stack[k] = g->active_stack[k + 1];
                g->active_depth = d - 1;
                break;
            }
        }
    }
    vgic_settled(g);
    return id;
}

uint32_t vgic_cpu_read(vgic_t *g, uint32_t off)
{
    switch (off) {
    case GICC_CTLR:
        return g->cpu_enable & 1;
    case GICC_PMR:
        return g->pmr & 0xffu;
    case GICC_BPR:
        return g->bpr & 7u;
    case GICC_IAR:
        return vgic_acknowledge(g);
    case GICC_RPR: /* 0xff with nothing active (4.4.6) */
        return g->active_depth ? vgic_running_priority(g) : 0xffu;
    case GICC_HPPIR:
        return vgic_best(g);
    case GICC_IIDR:
        return 0x0202043bu;
    default:
        return 0;
    }
}

uint32_t vgic_cpu_write(vgic_t *g, uint32_t off, uint32_t v)
{
    if (off == GICC_EOIR)
        return vgic_end(g, v);
    vgic_changed(g);

    switch (off) {
    case GICC_CTLR:
        g->cpu_enable = v & 1;
        break;
    case GICC_PMR:
        g->pmr = v & 0xffu;
        break;
    case GICC_BPR:
        g->bpr = v & 7u;
        break;
    default:
        break;
    }
    return VGIC_SPURIOUS;
}
