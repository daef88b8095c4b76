/* SPDX-License-Identifier: BSD-2-Clause */
/* The system servers: the console server, the timer server and one VMM per
 * guest, each a program of its own (servers/<name>/) loaded from the ELF
 * embedded in the root image, with the CSpace of system/proto.h, its
 * configuration in its environment page (r0 at entry) and the root as its
 * fault handler. */
#include <stdio.h>
#include <string.h>
#include <system/console.h>
#include "../vmm/vmm.h"
#include "root.h"

proc_t timer_proc;
static proc_t console_proc, vmm_proc[SYS_MAX_GUESTS];
static vmm_config_t vmm_cfg[SYS_MAX_GUESTS];
static char vmm_name[SYS_MAX_GUESTS][16];

static void load(proc_t *p, const sys_program_t *prog, const char *what)
{
    const char *why = proc_load(p, prog->elf, (l4_word_t)(prog->elf_end - prog->elf),
                                COMP_IMAGE_BASE, COMP_IMAGE_LIMIT);
    if (why) {
        printf("root: the %s program is invalid: %s\n", what, why);
        sys_panic("loading a server", L4_ERR_INVALID_ARGUMENT);
    }
    proc_map_zero(p, COMP_STACK_TOP - COMP_STACK_PAGES * 4096, COMP_STACK_PAGES,
                  L4_RIGHT_READ | L4_RIGHT_WRITE, L4_ATTR_EXECUTE_NEVER);
}

static void give_fault_ep(proc_t *p, l4_word_t id)
{
    proc_give(p, SERVER_CAP_FAULT, root_ep, L4_RIGHT_WRITE, SERVER_FAULT_BADGE | id);
}

int servers_console_channel(const sys_config_t *s)
{
    for (int c = 0; c < s->nchannels; c++)
        if (s->channels[c].a == SYS_CONSOLE_PARTY || s->channels[c].b == SYS_CONSOLE_PARTY)
            return c;
    return -1;
}

/* The console server; with a serial driver (a channel to it in the
 * description), also the channel's page at CONSOLE_SERIAL_VADDR, a
 * capability to signal the driver and its own notification, bound, which
 * the driver signals (system/proto.h). */
void servers_start_console(const sys_config_t *s)
{
    proc_t *p = &console_proc;
    console_ep = sys_new(L4_OBJ_ENDPOINT, 0);
    console_ntfn = sys_new(L4_OBJ_NOTIFICATION, 0);
    proc_create(p, 12, 1);
    load(p, &s->console, "console");
    proc_give(p, CONSOLE_CAP_EP, console_ep, L4_RIGHT_READ, 0);
    /* Console only: WRITE prints, machine_shutdown needs every right. */
    proc_give(p, CONSOLE_CAP_MACHINE, L4_CAP_MACHINE, L4_RIGHT_WRITE, 0);
    give_fault_ep(p, CONSOLE_SERVER_ID);
    int c = servers_console_channel(s);
    if (c >= 0) {
        const sys_channel_t *ch = &s->channels[c];
        int driver = ch->a == SYS_CONSOLE_PARTY ? ch->b : ch->a;
        l4_word_t line = (l4_word_t)(ch->a == SYS_CONSOLE_PARTY ? ch->b_line : ch->a_line);
        proc_map_frames(p, CONSOLE_SERIAL_VADDR, chan_page[c], 1, 12,
                        L4_RIGHT_READ | L4_RIGHT_WRITE, L4_ATTR_EXECUTE_NEVER);
        proc_give(p, CONSOLE_CAP_NTFN, console_ntfn, L4_RIGHT_READ, 0);
        proc_give(p, CONSOLE_CAP_SERIAL, party_ntfn(driver, line), L4_RIGHT_WRITE,
                  1u << (line % 32));
        sys_check(l4_tcb_bind_notification(p->tcb, console_ntfn), "bind console notification");
    }
    proc_start(p, "console", SERVER_CAP_FAULT, 0, PRIO_CONSOLE);
    console_register(console_ep, 0, "root");
}

void servers_start_timer(const sys_config_t *s)
{
    proc_t *p = &timer_proc;
    timer_ep = sys_new(L4_OBJ_ENDPOINT, 0);
    l4_cptr_t tn = sys_new(L4_OBJ_NOTIFICATION, 0);
    proc_create(p, 12, 1);
    load(p, &s->timer, "timer");
    proc_give(p, TIMER_CAP_EP, timer_ep, L4_RIGHT_READ, 0);
    /* Its own thread, for its one kernel timer: the server multiplexes its
     * clients' timers on it (servers/vtimer/vtimer.c). */
    proc_give(p, TIMER_CAP_TCB, p->tcb, L4_RIGHTS_ALL, 0);
    proc_give(p, TIMER_CAP_NTFN, tn, L4_RIGHT_READ, 0);
    give_fault_ep(p, TIMER_SERVER_ID);
    sys_check(l4_tcb_bind_notification(p->tcb, tn), "bind timer notification");
    proc_start(p, "timer", SERVER_CAP_FAULT, 0, PRIO_TIMER);
}

/* A VMM's untyped: twice the guest's RAM (at least 4 MiB) leaves room for
 * the guest's tables, CNode, user page directories and the VMM's mappings. */
static l4_word_t vmm_untyped_bits(l4_word_t ram_size)
{
    l4_word_t bits = 22;
    while ((1ul << bits) < 2 * ram_size)
        bits++;
    return bits;
}

static void vmm_config(const sys_config_t *s, int k)
{
    vmm_config_t *v = &vmm_cfg[k];
    const sys_guest_t *g = &s->guests[k];
    strncpy(v->name, g->name, sizeof v->name - 1);
    v->id = GUEST_ID(k);
    v->priority = g->priority;
    v->image = (const uint8_t *)VMM_IMAGE_VADDR;
    v->image_size = (l4_word_t)(g->image_end - g->image);
    v->auto_restarts = g->auto_restarts;
    v->ram_size = g->ram_size;
    v->nirqs = g->nirqs;
    v->line_chan = g->line_chan;
    v->line_phys = g->line_phys;
    v->line_soft = g->line_soft;
    v->nsoft = g->nsoft;
    for (l4_word_t i = 0; i < v->nirqs; i++)
        v->irq[i] = g->irqs[i];
    v->has_timer = s->timer_server;
    v->previrt = g->previrt;
    v->console_input = g->console_input;
    v->ndevices = 0;
    for (int m = 0, page = 0; m < s->nmaps && v->ndevices < GUEST_MAX_DEVICES; m++) {
        const sys_map_t *mp = &s->maps[m];
        if (!mp->guest || mp->comp != k)
            continue;
        const sys_region_t *r = &s->regions[mp->region];
        v->device[v->ndevices].paddr = r->paddr;
        v->device[v->ndevices].pages = r->size / 4096;
        v->device[v->ndevices].first = (l4_word_t)page;
        v->device[v->ndevices].writable = (mp->flags & COMP_REGION_WRITE) != 0;
        page += (int)(r->size / 4096);
        v->ndevices++;
    }
    for (int c = 0; c < s->nchannels; c++) {
        const sys_channel_t *ch = &s->channels[c];
        for (int e = 0; e < 2; e++) {
            int me = e ? ch->b : ch->a, idx = e ? ch->b_index : ch->a_index;
            int peer = e ? ch->a : ch->b;
            if (me != k)
                continue;
            v->chan_peer[idx] =
                peer >= SYS_COMPONENT(0) ? COMPONENT_ID(peer - SYS_COMPONENT(0)) : GUEST_ID(peer);
            v->chan_end[idx] = (l4_word_t)e;
            if ((l4_word_t)idx + 1 > v->nchannels)
                v->nchannels = (l4_word_t)idx + 1;
        }
    }
}

/* Guest k's channels: the shared page and the peer's badged notification. */
static void vmm_give_channels(const sys_config_t *s, proc_t *p, int k)
{
    for (int c = 0; c < s->nchannels; c++) {
        const sys_channel_t *ch = &s->channels[c];
        if (ch->a != k && ch->b != k)
            continue;
        int a = ch->a == k;
        int idx = a ? ch->a_index : ch->b_index, peer = a ? ch->b : ch->a;
        l4_word_t peer_line = (l4_word_t)(a ? ch->b_line : ch->a_line);
        proc_give(p, VMM_CAP_CHAN_NTFN + idx, party_ntfn(peer, peer_line), L4_RIGHT_WRITE,
                  1u << (peer_line % 32));
        proc_give(p, VMM_CAP_CHAN_PAGE + idx, chan_page[c], L4_RIGHTS_ALL, 0);
    }
}

/* The frames of guest k's device regions, in the order of vmm_config:
 * the VMM maps them into the guest. */
static void vmm_give_devices(const sys_config_t *s, proc_t *p, int k)
{
    for (int m = 0, page = 0; m < s->nmaps; m++) {
        const sys_map_t *mp = &s->maps[m];
        if (!mp->guest || mp->comp != k)
            continue;
        const sys_region_t *r = &s->regions[mp->region];
        for (l4_word_t i = 0; i < r->size / 4096; i++, page++)
            proc_give(p, VMM_CAP_DEVICE + (l4_word_t)page, region_frames[mp->region] + i,
                      L4_RIGHTS_ALL, 0);
    }
}

/* The handlers of guest k's lines, signalling its notification as virtual
 * lines line_phys + i; its VMM routes them to the guest's vCPU, the
 * notification is what a guest without one keeps (docs/vmm.md). */
static void vmm_give_irqs(const sys_guest_t *g, proc_t *p, l4_cptr_t nt)
{
    for (l4_word_t i = 0; i < g->nirqs; i++) {
        l4_cptr_t irq = sys_slot(), badged = sys_slot();
        sys_check(l4_irq_control_get(L4_CAP_IRQ_CONTROL, g->irqs[i], irq, 32, L4_CAP_INIT_CNODE),
                  "irq_control_get");
        sys_check(l4_cnode_mint(L4_CAP_INIT_CNODE, badged, 32, nt, 32, L4_RIGHT_WRITE,
                                1u << (g->line_phys + i), L4_CAP_INIT_CNODE),
                  "irq notification");
        sys_check(l4_irq_handler_set_notification(irq, badged), "irq set_notification");
        proc_move(p, VMM_CAP_IRQ + i, irq);
    }
}

void servers_start_vmm(const sys_config_t *s, int k)
{
    proc_t *p = &vmm_proc[k];
    const sys_guest_t *g = &s->guests[k];
    l4_word_t id = GUEST_ID(k);
    vmm_config(s, k);
    proc_create(p, VMM_CNODE_BITS, 1);
    load(p, &s->vmm, "vmm");
    l4_word_t image_size = (l4_word_t)(g->image_end - g->image);
    if (image_size > VMM_IMAGE_MAX)
        sys_panic("guest image size", L4_ERR_RANGE_ERROR);
    proc_map_copy(p, VMM_IMAGE_VADDR, g->image, image_size, RANGE_KEEP);
    proc_map_copy(p, COMP_ENV_VADDR, (const uint8_t *)&vmm_cfg[k], sizeof vmm_cfg[k], RANGE_KEEP);
    proc_move(p, VMM_CAP_UNTYPED, sys_new(L4_OBJ_UNTYPED, vmm_untyped_bits(g->ram_size)));
    proc_give(p, VMM_CAP_EP, vmm_ep[k], L4_RIGHTS_ALL, 0);
    proc_give(p, VMM_CAP_ROOT, root_ep, L4_RIGHT_WRITE, id);
    proc_give(p, VMM_CAP_CONSOLE, console_ep, L4_RIGHT_WRITE, VMM_ID(id));
    proc_give(p, VMM_CAP_G_CONSOLE, console_ep, L4_RIGHT_WRITE, id);
    if (s->timer_server)
        proc_give(p, VMM_CAP_G_TIMER, timer_ep, L4_RIGHT_WRITE, id);
    proc_give(p, VMM_CAP_G_NTFN, guest_ntfn[k], L4_RIGHTS_ALL, 0);
    proc_give(p, VMM_CAP_NTFN, vmm_ntfn[k], L4_RIGHTS_ALL, 0);
    /* No right at all: it can log trace events, neither print nor stop. */
    proc_give(p, VMM_CAP_TRACE, L4_CAP_MACHINE, 0, 0);
    vmm_give_channels(s, p, k);
    vmm_give_irqs(g, p, guest_ntfn[k]);
    vmm_give_devices(s, p, k);
    give_fault_ep(p, VMM_ID(id));
    console_register(console_ep, VMM_ID(id), "vmm");
    console_register(console_ep, id, g->console);
    if (g->console_input) { /* what is typed goes to this guest (docs/vmm.md) */
        proc_give(&console_proc, CONSOLE_CAP_INPUT, vmm_ntfn[k], L4_RIGHT_WRITE, VMM_SIGNAL_INPUT);
        console_set_input(console_ep, VMM_ID(id));
    }
    if (s->timer_server)
        proc_give(&timer_proc, TIMER_CAP_CLIENT + id, guest_ntfn[k], L4_RIGHT_WRITE,
                  1u << GUEST_IRQ_TIMER);
    /* "vmm:" and as much of the guest's name as fits the 15 characters. */
    snprintf(vmm_name[k], sizeof vmm_name[k], "vmm:%.11s", g->name);
    proc_start(p, vmm_name[k], SERVER_CAP_FAULT, COMP_ENV_VADDR, PRIO_VMM);
}

const char *servers_name(l4_word_t id, proc_t **p)
{
    if (id == CONSOLE_SERVER_ID) {
        *p = &console_proc;
        return "console";
    }
    if (id == TIMER_SERVER_ID) {
        *p = &timer_proc;
        return "timer";
    }
    for (int k = 0; k < SYS_MAX_GUESTS; k++)
        if (id == VMM_ID(GUEST_ID(k)) && vmm_name[k][0]) {
            *p = &vmm_proc[k];
            return vmm_name[k];
        }
    return NULL;
}
