/* SPDX-License-Identifier: BSD-2-Clause */
/* The components of a system description (docs/components.md): each is
 * its program (an ELF embedded in the root image) in its own address space
 * and CSpace, holding exactly what the description grants it, laid out as
 * system/comp.h says. sysgen has computed every id, line, address and
 * badge; this file only carries them out, and can do it again for a
 * restart. */
#include <stdio.h>
#include <string.h>
#include <system/console.h>
#include <system/vtimer.h>
#include "root.h"

#define RW (L4_RIGHT_READ | L4_RIGHT_WRITE)

root_comp_t comps[SYS_MAX_COMPONENTS];

l4_cptr_t party_ntfn(int p, l4_word_t line)
{
    if (p == SYS_CONSOLE_PARTY)
        return console_ntfn;
    if (p >= SYS_COMPONENT(0))
        return comps[p - SYS_COMPONENT(0)].ntfn[line / 32];
    return guest_ntfn[p];
}

void comps_create_objects(const sys_config_t *s)
{
    for (int j = 0; j < s->ncomps; j++) {
        for (unsigned k = 0; k < COMP_NTFN_COUNT; k++)
            comps[j].ntfn[k] = sys_new(L4_OBJ_NOTIFICATION, 0);
        if (s->comps[j].serves)
            comps[j].ep = sys_new(L4_OBJ_ENDPOINT, 0);
    }
}

/* The peer end of channel c as seen from party p: (peer, its index, its line). */
static void channel_peer(const sys_channel_t *ch, int p, int *peer, l4_word_t *line)
{
    int a = ch->a == p;
    *peer = a ? ch->b : ch->a;
    *line = (l4_word_t)(a ? ch->b_line : ch->a_line);
}

static void build_env(const sys_config_t *s, int j)
{
    const sys_comp_t *d = &s->comps[j];
    comp_env_t *e = &comps[j].env;
    const comp_env_t old = *e; /* what survives: boot_count, the image's range */
    memset(e, 0, sizeof *e);
    e->magic = COMP_ENV_MAGIC;
    strncpy(e->name, d->name, sizeof e->name - 1);
    e->id = COMPONENT_ID(j);
    e->boot_count = old.boot_count;
    e->image_base = old.image_base;
    e->image_end = old.image_end;
    e->restarts = d->restarts;
    e->heap_size = d->heap_size;
    e->stack_size = d->stack_size;
    e->nvmm = d->vmm_control ? (l4_word_t)s->nguests : 0;
    for (l4_word_t i = 0; i < d->nids; i++) {
        const sys_id_t *x = &d->ids[i];
        comp_env_id_t *o = &e->ids[x->id];
        o->kind = x->kind;
        o->line = x->line;
        if (x->kind == COMP_ID_CHANNEL) {
            int peer;
            l4_word_t pline;
            channel_peer(&s->channels[x->channel], SYS_COMPONENT(j), &peer, &pline);
            o->info = pline >= 32;
            o->peer = s->channels[x->channel].a != SYS_COMPONENT(j); /* its end: 1 = b */
        } else if (x->kind == COMP_ID_CLIENT) {
            o->info = x->badge;
            o->peer = x->server_id;
        } else if (x->kind == COMP_ID_IRQ) {
            o->info = x->irq;
        }
    }
    for (int m = 0; m < s->nmaps; m++) {
        const sys_map_t *mp = &s->maps[m];
        if (mp->guest || mp->comp != j || e->nregions == COMP_MAX_REGIONS)
            continue;
        const sys_region_t *r = &s->regions[mp->region];
        comp_env_region_t *o = &e->regions[e->nregions++];
        strncpy(o->name, r->name, sizeof o->name - 1);
        o->vaddr = r->vaddr;
        o->size = r->size;
        o->flags = r->flags | mp->flags;
    }
}

/* Its memory: program, stack, heap, environment page, regions, channel
 * pages. Returns NULL or why the component cannot be built. */
static const char *build_memory(const sys_config_t *s, int j)
{
    const sys_comp_t *d = &s->comps[j];
    proc_t *p = &comps[j].p;
    const char *why =
        proc_load(p, d->elf, (l4_word_t)(d->elf_end - d->elf), COMP_IMAGE_BASE, COMP_IMAGE_LIMIT);
    if (why)
        return why;
    comps[j].env.image_base = p->range[0].vaddr;
    comps[j].env.image_end =
        p->range[p->nranges - 1].vaddr + (p->range[p->nranges - 1].frames << 12);
    proc_map_zero(p, COMP_STACK_TOP - d->stack_size, d->stack_size / 4096, RW,
                  L4_ATTR_EXECUTE_NEVER);
    if (d->heap_size)
        proc_map_zero(p, COMP_HEAP_VADDR, d->heap_size / 4096, RW, L4_ATTR_EXECUTE_NEVER);
    for (int m = 0; m < s->nmaps; m++) {
        const sys_map_t *mp = &s->maps[m];
        if (mp->guest || mp->comp != j)
            continue;
        const sys_region_t *r = &s->regions[mp->region];
        l4_word_t attr = ((mp->flags & COMP_REGION_EXEC) ? 0 : L4_ATTR_EXECUTE_NEVER) |
                         ((r->flags & COMP_REGION_UNCACHED) ? L4_ATTR_UNCACHED : 0);
        l4_word_t bits = region_frame_bits(r);
        proc_map_frames(p, r->vaddr, region_frames[mp->region], r->size >> bits, bits,
                        L4_RIGHT_READ | ((mp->flags & COMP_REGION_WRITE) ? L4_RIGHT_WRITE : 0),
                        attr);
    }
    for (l4_word_t i = 0; i < d->nids; i++)
        if (d->ids[i].kind == COMP_ID_CHANNEL)
            proc_map_frames(p, COMP_CHAN_VADDR + 4096 * d->ids[i].id, chan_page[d->ids[i].channel],
                            1, 12, RW, L4_ATTR_EXECUTE_NEVER);
    return NULL;
}

/* The program's variables the description sets (region addresses and
 * sizes, and physical addresses of regions: a region's frames are
 * consecutive ones from one untyped, so its first frame's address is the
 * region's and the rest follows contiguously). */
static void write_setvars(const sys_comp_t *d, proc_t *p)
{
    for (l4_word_t i = 0; i < d->nsetvars; i++) {
        const sys_setvar_t *v = &d->setvars[i];
        l4_word_t value = v->value;
        if (v->paddr_of)
            sys_check(l4_frame_get_address(region_frames[v->paddr_of - 1], &value),
                      "region physical address");
        if (!proc_poke(p, v->vaddr, value))
            sys_panic("setvar outside the program's data", L4_ERR_RANGE_ERROR);
    }
}

/* The IRQ handlers, claimed once (the root keeps them; the component gets
 * copies, so a restart can give them again). */
static l4_cptr_t irq_handler[SYS_MAX_COMPONENTS][COMP_MAX_IDS];

static void claim_irqs(const sys_comp_t *d, int j)
{
    for (l4_word_t i = 0; i < d->nids; i++) {
        const sys_id_t *x = &d->ids[i];
        if (x->kind != COMP_ID_IRQ)
            continue;
        l4_cptr_t irq = sys_slot(), badged = sys_slot();
        sys_check(l4_irq_control_get(L4_CAP_IRQ_CONTROL, x->irq, irq, 32, L4_CAP_INIT_CNODE),
                  "irq_control_get");
        sys_check(l4_cnode_mint(L4_CAP_INIT_CNODE, badged, 32, comps[j].ntfn[x->line / 32], 32,
                                L4_RIGHT_WRITE, 1u << (x->line % 32), L4_CAP_INIT_CNODE),
                  "irq notification");
        sys_check(l4_irq_handler_set_notification(irq, badged), "irq set_notification");
        irq_handler[j][x->id] = irq;
    }
}

/* Everything its CSpace holds (system/comp.h), and nothing else. */
static void grant(const sys_config_t *s, int j)
{
    const sys_comp_t *d = &s->comps[j];
    root_comp_t *c = &comps[j];
    proc_t *p = &c->p;
    l4_word_t id = COMPONENT_ID(j);
    proc_give(p, COMP_CAP_CONSOLE, console_ep, L4_RIGHT_WRITE, id);
    if (s->timer_server)
        proc_give(p, COMP_CAP_TIMER, timer_ep, L4_RIGHT_WRITE, id);
    proc_give(p, COMP_CAP_NTFN, c->ntfn[0], L4_RIGHT_READ, 0);
    for (unsigned k = 0; k < COMP_NTFN_EXTRA; k++)
        proc_give(p, COMP_CAP_NTFN_X + k, c->ntfn[1 + k], L4_RIGHT_READ, 0);
    proc_give(p, COMP_CAP_ROOT, root_ep, L4_RIGHT_WRITE, id);
    proc_give(p, COMP_CAP_FAULT, root_ep, L4_RIGHT_WRITE, COMP_FAULT_BADGE | id);
    if (d->serves)
        proc_give(p, COMP_CAP_EP, c->ep, L4_RIGHT_READ, 0);
    if (d->machine)
        proc_give(p, COMP_CAP_MACHINE, L4_CAP_MACHINE, L4_RIGHTS_ALL, 0);
    for (int k = 0; d->vmm_control && k < s->nguests; k++)
        proc_give(p, COMP_CAP_VMM + k, vmm_ep[k], L4_RIGHT_WRITE, 0);
    for (l4_word_t i = 0; i < d->nids; i++) {
        const sys_id_t *x = &d->ids[i];
        if (x->kind == COMP_ID_CHANNEL) {
            int peer;
            l4_word_t pline;
            channel_peer(&s->channels[x->channel], SYS_COMPONENT(j), &peer, &pline);
            proc_give(p, COMP_CAP_ID + x->id, party_ntfn(peer, pline), L4_RIGHT_WRITE,
                      1u << (pline % 32));
            if (pline >= 32) /* the peer's N0 learns that its extra notification has bits */
                proc_give(p, COMP_CAP_ID_SUM + x->id, party_ntfn(peer, 0), L4_RIGHT_WRITE,
                          1u << COMP_LINE_SUMMARY(pline / 32 - 1));
        } else if (x->kind == COMP_ID_CLIENT) {
            proc_give(p, COMP_CAP_ID + x->id, comps[x->server].ep, L4_RIGHT_WRITE,
                      COMP_BADGE(x->server_id, x->badge));
        } else if (x->kind == COMP_ID_IRQ) {
            proc_give(p, COMP_CAP_ID + x->id, irq_handler[j][x->id], L4_RIGHTS_ALL, 0);
        }
    }
}

/* Stop the timer of an earlier instance, drop its signals, unmask its
 * lines (an instance that faulted may have left one masked: a device still
 * asserting it raises it in the new instance at once). */
static void fresh_lines(const sys_comp_t *d, int j)
{
    if (comps[j].timer)
        vtimer_set(comps[j].timer, 0, 0); /* with the component's badge: its timer */
    for (unsigned k = 0; k < COMP_NTFN_COUNT; k++) {
        l4_word_t bits;
        l4_poll(comps[j].ntfn[k], &bits);
    }
    for (l4_word_t i = 0; i < d->nids; i++)
        if (d->ids[i].kind == COMP_ID_IRQ)
            l4_irq_handler_ack(irq_handler[j][d->ids[i].id]);
}

int comps_start(const sys_config_t *s, int j)
{
    const sys_comp_t *d = &s->comps[j];
    root_comp_t *c = &comps[j];
    proc_create(&c->p, COMP_CNODE_BITS, 0);
    build_env(s, j);
    const char *why = build_memory(s, j);
    if (why) {
        root_printf("component %s (program %s) cannot start: %s\n", d->name, d->program, why);
        c->state = COMP_STATE_STOPPED;
        return -1;
    }
    /* Refreshed from c->env by every reset (RANGE_IMAGE), read-only to it. */
    proc_map_copy(&c->p, COMP_ENV_VADDR, (const uint8_t *)&c->env, sizeof c->env, RANGE_IMAGE);
    write_setvars(d, &c->p);
    claim_irqs(d, j);
    grant(s, j);
    sys_check(l4_tcb_bind_notification(c->p.tcb, c->ntfn[0]), "bind");
    console_register(console_ep, COMPONENT_ID(j), d->console);
    if (s->timer_server) {
        proc_give(&timer_proc, TIMER_CAP_CLIENT + COMPONENT_ID(j), c->ntfn[0], L4_RIGHT_WRITE,
                  1u << COMP_LINE_TIMER);
        c->timer = sys_slot();
        sys_check(l4_cnode_mint(L4_CAP_INIT_CNODE, c->timer, 32, timer_ep, 32, L4_RIGHT_WRITE,
                                COMPONENT_ID(j), L4_CAP_INIT_CNODE),
                  "timer cap");
    }
    proc_start(&c->p, d->name, COMP_CAP_FAULT, COMP_ENV_VADDR, d->priority);
    c->state = COMP_STATE_RUNNING;
    return 0;
}

int comps_restart(const sys_config_t *s, int j)
{
    const sys_comp_t *d = &s->comps[j];
    root_comp_t *c = &comps[j];
    sys_check(l4_tcb_suspend(c->p.tcb), "suspend");
    proc_clear_cspace(&c->p, 1);
    c->env.boot_count++;
    build_env(s, j);
    proc_reset(&c->p); /* program data, stack, heap, IPC buffer, environment page */
    write_setvars(d, &c->p);
    grant(s, j);
    fresh_lines(d, j);
    proc_start(&c->p, d->name, COMP_CAP_FAULT, COMP_ENV_VADDR, d->priority);
    c->state = COMP_STATE_RUNNING;
    return 0;
}
