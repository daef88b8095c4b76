/* SPDX-License-Identifier: BSD-2-Clause */
/* The system root task: composes the system of sys_config (system.h,
 * generated from systems/<image>.sys by tools/sysgen; docs/system.md) out of
 * the console server, the timer server (unless the description leaves it
 * out), one VMM per guest and the native components, each in its own address
 * space and CSpace holding only the capabilities listed in system/proto.h
 * and the IRQ handlers of the lines the description grants. It then waits
 * for the awaited guests and components to finish and shuts the machine
 * down with status 0 if all of them ended with status 0, else 1. */
#include <stdio.h>
#include <string.h>
#include "../console/console.h"
#include "../vmm/vmm.h"
#include "../vtimer/vtimer.h"
#include "spawn.h"
#include "system.h"

#define PRIO_TIMER 210
#define PRIO_CONSOLE 200
#define PRIO_VMM 150

/* A VMM's untyped: twice the guest's RAM (at least 4 MiB) leaves room for
 * the guest's tables, CNode, user page directories and the VMM's mappings. */
static l4_word_t vmm_untyped_bits(l4_word_t ram_size)
{
    l4_word_t bits = 22;
    while ((1ul << bits) < 2 * ram_size)
        bits++;
    return bits;
}

/* Written before any component is cloned: each copy sees its own entry. */
static vmm_config_t vmm_cfg[SYS_MAX_GUESTS];
static native_env_t native_env[SYS_MAX_NATIVES];

static l4_cptr_t console_ep, timer_ep, root_ep;
static l4_cptr_t ntfn[SYS_MAX_GUESTS + SYS_MAX_NATIVES];
static l4_cptr_t vmm_ep[SYS_MAX_GUESTS];
static comp_t timer;

static int party_index(int p)
{
    return p >= SYS_NATIVE(0) ? SYS_MAX_GUESTS + (p - SYS_NATIVE(0)) : p;
}
static l4_word_t party_id(int p)
{
    return p >= SYS_NATIVE(0) ? NATIVE_ID(p - SYS_NATIVE(0)) : GUEST_ID(p);
}

static l4_cptr_t sys_new_untyped(l4_word_t bits)
{
    return sys_new(L4_OBJ_UNTYPED, bits);
}

static void start_console(void)
{
    comp_t c;
    console_ep = sys_new(L4_OBJ_ENDPOINT, 0);
    comp_create(&c, 12, COMP_STACK_PAGES);
    comp_give(&c, CONSOLE_CAP_EP, console_ep, L4_RIGHT_READ, 0);
    comp_start(&c, console_server_main, 0, PRIO_CONSOLE);
    console_register(console_ep, 0, "root");
}

static void start_timer(void)
{
    timer_ep = sys_new(L4_OBJ_ENDPOINT, 0);
    l4_cptr_t tn = sys_new(L4_OBJ_NOTIFICATION, 0), irq = sys_slot();
    sys_check(l4_irq_control_get(L4_CAP_IRQ_CONTROL, TIMER_IRQ, irq, 32, L4_CAP_INIT_CNODE),
              "irq_control_get");
    comp_create(&timer, 12, COMP_STACK_PAGES);
    comp_give(&timer, TIMER_CAP_EP, timer_ep, L4_RIGHT_READ, 0);
    comp_move(&timer, TIMER_CAP_IRQ, irq);
    comp_give(&timer, TIMER_CAP_NTFN, tn, L4_RIGHT_READ, 0);
    comp_give(&timer, TIMER_CAP_IRQ_NTFN, tn, L4_RIGHT_WRITE, 1);
    sys_check(l4_tcb_bind_notification(timer.tcb, tn), "bind timer notification");
    comp_start(&timer, vtimer_server_main, 0, PRIO_TIMER);
}

/* Party p's view of channel ch: its index, its peer and the peer's index. */
static void channel_side(const sys_channel_t *ch, int p, int *idx, int *peer, int *peer_idx)
{
    int a = ch->a == p;
    *idx = a ? ch->a_index : ch->b_index;
    *peer = a ? ch->b : ch->a;
    *peer_idx = a ? ch->b_index : ch->a_index;
}

static void prepare_configs(const sys_config_t *s)
{
    for (int k = 0; k < s->nguests; k++) {
        vmm_config_t *v = &vmm_cfg[k];
        strncpy(v->name, s->guests[k].name, sizeof v->name - 1);
        v->id = GUEST_ID(k);
        v->priority = s->guests[k].priority;
        v->image = s->guests[k].image;
        v->image_size = (l4_word_t)(s->guests[k].image_end - s->guests[k].image);
        v->auto_restarts = s->guests[k].auto_restarts;
        v->ram_size = s->guests[k].ram_size;
        v->nirqs = s->guests[k].nirqs;
        for (l4_word_t i = 0; i < v->nirqs; i++)
            v->irq[i] = s->guests[k].irqs[i];
        v->has_timer = s->timer_server;
    }
    for (int j = 0; j < s->nnatives; j++) {
        const sys_native_t *n = &s->natives[j];
        native_env[j].id = NATIVE_ID(j);
        native_env[j].name = n->name;
        native_env[j].nvmm = n->system_vmm_caps ? (l4_word_t)s->nguests : 0;
        native_env[j].nirqs = n->nirqs;
        for (l4_word_t k = 0; k < n->nirqs; k++)
            native_env[j].irq[k] = n->irqs[k];
        native_env[j].heap_size = n->heap_size;
    }
    for (int c = 0; c < s->nchannels; c++) {
        const sys_channel_t *ch = &s->channels[c];
        int ends[2] = {ch->a, ch->b};
        for (int e = 0; e < 2; e++) {
            int idx, peer, pidx;
            channel_side(ch, ends[e], &idx, &peer, &pidx);
            l4_word_t *n = ends[e] >= SYS_NATIVE(0) ? &native_env[ends[e] - SYS_NATIVE(0)].nchannels
                                                    : &vmm_cfg[ends[e]].nchannels;
            l4_word_t *peers = ends[e] >= SYS_NATIVE(0)
                                   ? native_env[ends[e] - SYS_NATIVE(0)].chan_peer
                                   : vmm_cfg[ends[e]].chan_peer;
            peers[idx] = party_id(peer);
            if ((l4_word_t)idx + 1 > *n)
                *n = (l4_word_t)idx + 1;
        }
    }
}

/* Channel caps of party p: the shared page and the peer's badged notification. */
static void give_channels(const sys_config_t *s, comp_t *c, int p, const l4_cptr_t *pages,
                          l4_word_t ntfn_slot, l4_word_t page_slot)
{
    for (int i = 0; i < s->nchannels; i++) {
        const sys_channel_t *ch = &s->channels[i];
        if (ch->a != p && ch->b != p)
            continue;
        int idx, peer, pidx;
        channel_side(ch, p, &idx, &peer, &pidx);
        comp_give(c, ntfn_slot + idx, ntfn[party_index(peer)], L4_RIGHT_WRITE,
                  1u << GUEST_IRQ_CHAN(pidx));
        if (page_slot)
            comp_give(c, page_slot + idx, pages[i], L4_RIGHTS_ALL, 0);
        else
            comp_map(c, pages[i], NATIVE_CHAN_VADDR + 4096 * idx);
    }
}

/* Claims each of the lines irqs[0..n) and moves its handler into slot
 * first + k of c, already signalling notification nt with badge bit
 * first_bit + k. Whoever holds the handler acks it (natives themselves,
 * a guest's lines its VMM: VMM_IRQ_ACK). */
static void give_irqs(comp_t *c, const l4_word_t *irqs, l4_word_t n, l4_cptr_t nt, l4_word_t first,
                      l4_word_t first_bit)
{
    for (l4_word_t k = 0; k < n; k++) {
        l4_cptr_t irq = sys_slot(), badged = sys_slot();
        sys_check(l4_irq_control_get(L4_CAP_IRQ_CONTROL, irqs[k], irq, 32, L4_CAP_INIT_CNODE),
                  "irq_control_get");
        sys_check(l4_cnode_mint(L4_CAP_INIT_CNODE, badged, 32, nt, 32, L4_RIGHT_WRITE,
                                1u << (first_bit + k), L4_CAP_INIT_CNODE),
                  "irq notification");
        sys_check(l4_irq_handler_set_notification(irq, badged), "irq set_notification");
        comp_move(c, first + k, irq);
    }
}

static void start_vmm(const sys_config_t *s, int k, const l4_cptr_t *pages)
{
    comp_t c;
    l4_word_t id = GUEST_ID(k);
    l4_cptr_t ut = sys_new_untyped(vmm_untyped_bits(s->guests[k].ram_size));
    vmm_ep[k] = sys_new(L4_OBJ_ENDPOINT, 0);
    comp_create(&c, VMM_CNODE_BITS, COMP_STACK_PAGES);
    comp_move(&c, VMM_CAP_UNTYPED, ut);
    comp_give(&c, VMM_CAP_EP, vmm_ep[k], L4_RIGHTS_ALL, 0);
    comp_give(&c, VMM_CAP_ROOT, root_ep, L4_RIGHT_WRITE, id);
    comp_give(&c, VMM_CAP_CONSOLE, console_ep, L4_RIGHT_WRITE, VMM_CONSOLE_BADGE(id));
    comp_give(&c, VMM_CAP_G_CONSOLE, console_ep, L4_RIGHT_WRITE, id);
    if (s->timer_server)
        comp_give(&c, VMM_CAP_G_TIMER, timer_ep, L4_RIGHT_WRITE, id);
    comp_give(&c, VMM_CAP_G_NTFN, ntfn[k], L4_RIGHTS_ALL, 0);
    give_channels(s, &c, k, pages, VMM_CAP_CHAN_NTFN, VMM_CAP_CHAN_PAGE);
    give_irqs(&c, s->guests[k].irqs, s->guests[k].nirqs, ntfn[k], VMM_CAP_IRQ, GUEST_IRQ_PHYS(0));
    console_register(console_ep, VMM_CONSOLE_BADGE(id), "vmm");
    console_register(console_ep, id, s->guests[k].console);
    if (s->timer_server)
        comp_give(&timer, TIMER_CAP_CLIENT + id, ntfn[k], L4_RIGHT_WRITE, 1u << GUEST_IRQ_TIMER);
    comp_start(&c, vmm_main, (l4_word_t)&vmm_cfg[k], PRIO_VMM);
}

static void start_native(const sys_config_t *s, int j, const l4_cptr_t *pages)
{
    comp_t c;
    const sys_native_t *n = &s->natives[j];
    l4_word_t id = NATIVE_ID(j);
    comp_create(&c, 12, n->stack_size / 4096);
    if (n->heap_size)
        comp_map_new(&c, COMP_HEAP_VADDR, n->heap_size / 4096);
    give_irqs(&c, n->irqs, n->nirqs, ntfn[party_index(SYS_NATIVE(j))], NATIVE_CAP_IRQ,
              NATIVE_IRQ_BIT(0));
    comp_give(&c, NATIVE_CAP_CONSOLE, console_ep, L4_RIGHT_WRITE, id);
    if (s->timer_server)
        comp_give(&c, NATIVE_CAP_TIMER, timer_ep, L4_RIGHT_WRITE, id);
    comp_give(&c, NATIVE_CAP_NTFN, ntfn[party_index(SYS_NATIVE(j))], L4_RIGHT_READ, 0);
    comp_give(&c, NATIVE_CAP_ROOT, root_ep, L4_RIGHT_WRITE, id);
    for (int k = 0; n->system_vmm_caps && k < s->nguests; k++)
        comp_give(&c, NATIVE_CAP_VMM + k, vmm_ep[k], L4_RIGHT_WRITE, 0);
    give_channels(s, &c, SYS_NATIVE(j), pages, NATIVE_CAP_CHAN, 0);
    sys_check(l4_tcb_bind_notification(c.tcb, ntfn[party_index(SYS_NATIVE(j))]), "bind");
    console_register(console_ep, id, n->console);
    if (s->timer_server)
        comp_give(&timer, TIMER_CAP_CLIENT + id, ntfn[party_index(SYS_NATIVE(j))], L4_RIGHT_WRITE,
                  1u << GUEST_IRQ_TIMER);
    comp_start(&c, n->entry, (l4_word_t)&native_env[j], n->priority);
}

static const char *party_name(const sys_config_t *s, l4_word_t id)
{
    for (int k = 0; k < s->nguests; k++)
        if (GUEST_ID(k) == id)
            return s->guests[k].name;
    for (int j = 0; j < s->nnatives; j++)
        if (NATIVE_ID(j) == id)
            return s->natives[j].name;
    return "?";
}

static int awaited(const sys_config_t *s, l4_word_t id)
{
    for (int k = 0; k < s->nguests; k++)
        if (GUEST_ID(k) == id)
            return s->guests[k].awaited;
    for (int j = 0; j < s->nnatives; j++)
        if (NATIVE_ID(j) == id)
            return s->natives[j].awaited;
    return 0;
}

int main(void)
{
    const sys_config_t *s = &sys_config;
    l4_cptr_t pages[SYS_MAX_CHANNELS];
    printf("root: starting %d guest(s), %d native component(s), %d channel(s)\n", s->nguests,
           s->nnatives, s->nchannels);
    prepare_configs(s);
    root_ep = sys_new(L4_OBJ_ENDPOINT, 0);
    for (int k = 0; k < s->nguests; k++)
        ntfn[k] = sys_new(L4_OBJ_NOTIFICATION, 0);
    for (int j = 0; j < s->nnatives; j++)
        ntfn[SYS_MAX_GUESTS + j] = sys_new(L4_OBJ_NOTIFICATION, 0);
    for (int c = 0; c < s->nchannels; c++)
        pages[c] = sys_new(L4_OBJ_FRAME_4K, 0);
    start_console();
    if (s->timer_server)
        start_timer();
    /* VMMs first: natives given system caps need their endpoints. */
    for (int k = 0; k < s->nguests; k++)
        start_vmm(s, k, pages);
    for (int j = 0; j < s->nnatives; j++)
        start_native(s, j, pages);

    int pending = 0, failed = 0;
    static char done[64]; /* by id: each party counts once */
    for (int k = 0; k < s->nguests; k++)
        pending += s->guests[k].awaited != 0;
    for (int j = 0; j < s->nnatives; j++)
        pending += s->natives[j].awaited != 0;
    l4_msg_t m = {0};
    l4_word_t err = l4_recv(root_ep, &m);
    while (pending > 0) {
        if (err == L4_ERR_OK && l4_msginfo_label(m.info) == ROOT_GUEST_DONE &&
            m.badge < sizeof done && !done[m.badge] && awaited(s, m.badge)) {
            done[m.badge] = 1;
            if (s->test_done_line)
                console_printf(console_ep, "[test] %s %s_ended_with_status_0\n",
                               m.mr[0] ? "FAIL" : "PASS", party_name(s, m.badge));
            pending--;
            failed |= m.mr[0] != 0;
        }
        if (pending == 0)
            break;
        m = (l4_msg_t){.info = l4_msginfo(0, 0, 1), .mr = {0}};
        err = l4_reply_recv(root_ep, &m);
    }
    console_printf(console_ep, "all done: shutting down with status %d\n", failed);
    if (s->test_done_line)
        console_printf(console_ep, "[test] DONE\n");
    l4_debug_shutdown(failed);
}
