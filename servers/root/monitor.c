/* SPDX-License-Identifier: BSD-2-Clause */
/* The root task as the system's monitor. Its endpoint receives, told apart
 * by badge (the kernel puts the badge of the cap used; no party holds a cap
 * with another's badge):
 *  - a VMM's report of its guest's end (badge = guest id, ROOT_GUEST_DONE);
 *  - a component's end (badge = its id, COMP_ROOT_EXIT from exit());
 *  - a component's fault (badge COMP_FAULT_BADGE | id: the kernel's fault
 *    message; a component calling that cap itself can only stop itself);
 *  - a system server's fault (badge SERVER_FAULT_BADGE | id).
 * A component fault is reported with the component, its thread and the
 * decoded cause, then the component is restarted if its description allows
 * another restart, else stopped; an awaited component that stops ends the
 * system at once (status 1): nothing awaited can depend on a dead party. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <system/console.h>
#include "root.h"

static int pending, failed;
static char done[SYS_MAX_ID]; /* by id: each awaited party counts once */

void root_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    console_vprintf(console_ep, fmt, ap);
    va_end(ap);
}

static __attribute__((noreturn)) void shutdown(const sys_config_t *s, int status)
{
    root_printf("all done: shutting down with status %d\n", status);
    if (s->test_done_line)
        root_printf("[test] DONE\n");
    console_flush(console_ep); /* a serial driver may still hold lines in its ring */
    l4_machine_shutdown(L4_CAP_MACHINE, (l4_word_t)status);
    for (;;) /* only without the machine capability */
        __builtin_trap();
}

/* An awaited party ended (status 0: success). */
static void party_done(const sys_config_t *s, l4_word_t id, const char *name, l4_word_t status)
{
    if (id >= SYS_MAX_ID || done[id])
        return;
    done[id] = 1;
    if (s->test_done_line)
        root_printf("[test] %s %s_ended_with_status_0\n", status ? "FAIL" : "PASS", name);
    pending--;
    failed |= status != 0;
}

/* The ARM short-descriptor fault status (ARM ARM B3.13.3): FS[4] is bit 10. */
static const char *fault_status(l4_word_t fsr)
{
    switch ((fsr & 0xfu) | ((fsr >> 6) & 0x10u)) {
    case 0x01:
        return "alignment fault";
    case 0x05:
    case 0x07:
        return "translation fault: nothing mapped there";
    case 0x03:
    case 0x06:
        return "access flag fault";
    case 0x09:
    case 0x0b:
        return "domain fault";
    case 0x0d:
    case 0x0f:
        return "permission fault";
    case 0x08:
        return "external abort";
    default:
        return "fault";
    }
}

static void describe_fault(proc_t *p, const l4_msg_t *m, char *out, size_t n)
{
    l4_word_t pc = m->mr[0];
    switch (l4_msginfo_label(m->info)) {
    case L4_FAULT_PAGE:
        snprintf(out, n, "page fault at pc 0x%08lx: %s 0x%08lx (%s, status 0x%lx)",
                 (unsigned long)pc,
                 m->mr[3]                  ? "instruction fetch from"
                 : (m->mr[2] & (1u << 11)) ? "write to"
                                           : "read of",
                 (unsigned long)m->mr[1], fault_status(m->mr[2]), (unsigned long)m->mr[2]);
        break;
    case L4_FAULT_UNDEFINED: {
        l4_word_t w;
        if (m->mr[3] & (1u << 5)) { /* Thumb: the halfword(s) at pc */
            if (proc_peek(p, pc & ~3u, &w))
                snprintf(out, n, "undefined instruction 0x%04lx (Thumb) at pc 0x%08lx",
                         (unsigned long)((pc & 2) ? w >> 16 : w & 0xffff), (unsigned long)pc);
            else
                snprintf(out, n, "undefined instruction (Thumb) at pc 0x%08lx", (unsigned long)pc);
        } else if (proc_peek(p, pc, &w)) {
            snprintf(out, n, "undefined instruction 0x%08lx at pc 0x%08lx", (unsigned long)w,
                     (unsigned long)pc);
        } else {
            snprintf(out, n, "undefined instruction at pc 0x%08lx (not readable)",
                     (unsigned long)pc);
        }
        break;
    }
    case L4_FAULT_UNKNOWN_SYSCALL:
        snprintf(out, n, "unknown system call %lu at pc 0x%08lx", (unsigned long)m->mr[1],
                 (unsigned long)pc);
        break;
    default:
        snprintf(out, n, "fault message %lu at pc 0x%08lx",
                 (unsigned long)l4_msginfo_label(m->info), (unsigned long)pc);
    }
}

static void comp_fault(const sys_config_t *s, int j, const l4_msg_t *m)
{
    const sys_comp_t *d = &s->comps[j];
    root_comp_t *c = &comps[j];
    char what[160];
    l4_tcb_suspend(c->p.tcb);
    describe_fault(&c->p, m, what, sizeof what);
    root_printf("component %s (thread '%s') stopped: %s\n", d->name, d->name, what);
    if (c->env.boot_count < d->restarts) {
        root_printf("restarting component %s (restart %lu of %lu)\n", d->name,
                    (unsigned long)c->env.boot_count + 1, (unsigned long)d->restarts);
        comps_restart(s, j);
        return;
    }
    c->state = COMP_STATE_STOPPED;
    if (d->awaited) {
        root_printf("awaited component %s failed: ending the system\n", d->name);
        party_done(s, COMPONENT_ID(j), d->name, 1);
        shutdown(s, 1);
    }
}

static void comp_exit(const sys_config_t *s, int j, l4_word_t status)
{
    const sys_comp_t *d = &s->comps[j];
    l4_tcb_suspend(comps[j].p.tcb); /* it waits in its call: this ends it */
    comps[j].state = COMP_STATE_ENDED;
    root_printf("component %s exited with status %ld\n", d->name, (long)status);
    if (d->awaited)
        party_done(s, COMPONENT_ID(j), d->name, status);
}

static __attribute__((noreturn)) void server_fault(const sys_config_t *s, l4_word_t id,
                                                   const l4_msg_t *m)
{
    proc_t *p = NULL;
    const char *name = servers_name(id, &p);
    char what[160] = "?";
    if (p)
        describe_fault(p, m, what, sizeof what);
    /* Not through the console server: it may be the one that faulted. */
    printf("root: server %s (thread '%s') stopped: %s: the system cannot go on\n",
           name ? name : "?", name ? name : "?", what);
    fflush(stdout);
    (void)s;
    l4_machine_shutdown(L4_CAP_MACHINE, 1);
    for (;;)
        __builtin_trap();
}

/* Component index of a report or fault badge, or -1. */
static int comp_of(const sys_config_t *s, l4_word_t id)
{
    int j = (int)id - (int)COMPONENT_ID(0);
    return j >= 0 && j < s->ncomps ? j : -1;
}

static const char *guest_of(const sys_config_t *s, l4_word_t id)
{
    for (int k = 0; k < s->nguests; k++)
        if (GUEST_ID(k) == id)
            return s->guests[k].awaited ? s->guests[k].name : "";
    return NULL;
}

int monitor_run(const sys_config_t *s)
{
    for (int k = 0; k < s->nguests; k++)
        pending += s->guests[k].awaited != 0;
    for (int j = 0; j < s->ncomps; j++) {
        if (!s->comps[j].awaited)
            continue;
        pending++;
        if (comps[j].state != COMP_STATE_RUNNING) /* it could not start */
            party_done(s, COMPONENT_ID(j), s->comps[j].name, 1);
    }
    l4_msg_t m = {0};
    int reply = 0;
    while (pending > 0) {
        l4_word_t err = reply ? l4_reply_recv(root_ep, &m) : l4_recv(root_ep, &m);
        reply = 0;
        if (err != L4_ERR_OK)
            continue;
        l4_word_t label = l4_msginfo_label(m.info), b = m.badge;
        int j = comp_of(s, b & ~COMP_FAULT_BADGE);
        if ((b & COMP_FAULT_BADGE) && j >= 0) {
            comp_fault(s, j, &m);
        } else if (b & SERVER_FAULT_BADGE) {
            server_fault(s, b & ~SERVER_FAULT_BADGE, &m);
        } else if (j >= 0 && label == COMP_ROOT_EXIT && l4_msginfo_length(m.info) >= 1) {
            comp_exit(s, j, m.mr[0]);
        } else {
            const char *g = guest_of(s, b);
            l4_word_t status = L4_ERR_ILLEGAL_OPERATION;
            if (g && label == ROOT_GUEST_DONE) {
                if (*g)
                    party_done(s, b, g, m.mr[0]);
                status = 0;
            }
            m = (l4_msg_t){.info = l4_msginfo(0, 0, 1), .mr = {status}};
            reply = 1;
        }
    }
    shutdown(s, failed);
}
