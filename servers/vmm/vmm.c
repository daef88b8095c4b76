/* SPDX-License-Identifier: BSD-2-Clause */
/* The VMM's server loop. Its endpoint (VMM_CAP_EP) receives, told apart by
 * badge: the guest's requests (badge = guest id: VMM_EXIT), the kernel's
 * fault messages for the guest kernel (badge = id | VMM_FAULT_BADGE) and the
 * system's requests (badge 0: VMM_RESTART). A fault stops the guest with a
 * report naming the faulting instruction's class; the rest of the system
 * runs on. The end of a guest (exit, or a fault it is not restarted after)
 * is reported to the root task. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <system/console.h>
#include "decode.h"
#include "previrt.h"
#include "vmm.h"

static vmm_guest_t guest;
l4_word_t vmm_tracing;

/* A virtual device operation on the trace's timeline (docs/observability.md):
 * op is the request's label (VMM_EXIT, VMM_RESTART) or
 * VMM_TRACE_FAULT | the fault kind. Only when the kernel records events
 * (vmm_tracing, found at start): otherwise it costs a test of one word. */
static void vmm_trace(l4_word_t op, l4_word_t arg, l4_word_t result)
{
    if (vmm_tracing)
        l4_machine_trace(VMM_CAP_TRACE, L4_TRACE_EV_VDEV, guest.cfg->id, op, arg, result, 0);
}

void vmm_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[240];
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    console_write(VMM_CAP_CONSOLE, buf, (l4_word_t)n);
}

static void report_root(l4_word_t status)
{
    l4_msg_t m = {.info = l4_msginfo(ROOT_GUEST_DONE, 0, 2), .mr = {status, guest.cfg->id}};
    l4_call(VMM_CAP_ROOT, &m);
}

/* The instruction at guest address pc, read through the VMM's window. */
static int guest_read32(l4_word_t pc, uint32_t *w)
{
    if (pc < GUEST_RAM_BASE || pc - GUEST_RAM_BASE > guest.cfg->ram_size - 4 || (pc & 1))
        return 0;
    const uint8_t *p = (const uint8_t *)(VMM_WINDOW + (pc - GUEST_RAM_BASE));
    memcpy(w, p, 4);
    return 1;
}

static void describe_undefined(l4_word_t pc, l4_word_t cpsr, char *out, size_t n)
{
    uint32_t w;
    if (!guest_read32(pc & ~1u, &w)) {
        snprintf(out, n, "undefined instruction at 0x%08lx (outside guest RAM)", (unsigned long)pc);
        return;
    }
    insn_info_t d;
    uint32_t shown = w;
    if (cpsr & (1u << 5)) { /* Thumb */
        uint16_t hw1 = (uint16_t)w, hw2 = (uint16_t)(w >> 16);
        d = insn_decode_thumb(hw1, hw2);
        shown = insn_thumb_is_32(hw1) ? ((uint32_t)hw1 << 16 | hw2) : hw1;
    } else {
        d = insn_decode_arm(w);
    }
    snprintf(out, n, "undefined instruction 0x%08lx (%s: %s%s) at 0x%08lx", (unsigned long)shown,
             d.mnemonic, d.what,
             d.cls != INSN_NOT_SENSITIVE && d.cls != INSN_THUMB && d.cls != INSN_UDF
                 ? ", a sensitive instruction"
                 : "",
             (unsigned long)pc);
}

static void describe_fault(const l4_msg_t *m, char *out, size_t n)
{
    switch (l4_msginfo_label(m->info)) {
    case L4_FAULT_PAGE:
        snprintf(out, n, "page fault at 0x%08lx (addr 0x%08lx, status 0x%lx, %s)",
                 (unsigned long)m->mr[0], (unsigned long)m->mr[1], (unsigned long)m->mr[2],
                 m->mr[3]                  ? "instruction fetch"
                 : (m->mr[2] & (1u << 11)) ? "write"
                                           : "read");
        break;
    case L4_FAULT_UNDEFINED:
        describe_undefined(m->mr[0], m->mr[3], out, n);
        break;
    case L4_FAULT_UNKNOWN_SYSCALL:
        snprintf(out, n, "unknown system call %lu at 0x%08lx", (unsigned long)m->mr[1],
                 (unsigned long)m->mr[0]);
        break;
    default:
        snprintf(out, n, "fault %lu at 0x%08lx", (unsigned long)l4_msginfo_label(m->info),
                 (unsigned long)m->mr[0]);
    }
}

static l4_word_t guest_restart(void)
{
    vmm_guest_destroy(&guest);
    guest.boot_count++;
    l4_word_t err = vmm_guest_build(&guest);
    if (!err)
        err = vmm_guest_start(&guest);
    if (!err)
        vmm_console_input(&guest); /* what the old instance did not take, first */
    /* The new vCPU's routes are fresh (vmm_guest_build): a line the old
     * instance left unacknowledged is live again, and a device still
     * asserting it raises it in the new instance at once. A guest without
     * a vCPU has its lines on its notification: ack them here. */
    for (l4_word_t k = 0; !err && !guest.vcpu && k < guest.cfg->nirqs; k++)
        l4_irq_handler_ack(VMM_CAP_IRQ + k);
    return err;
}

static void handle_fault(const l4_msg_t *m, const char *why)
{
    char what[200];
    l4_tcb_suspend(guest.tcb);
    guest.running = 0;
    vmm_console_drain(&guest); /* the guest's last words before the report */
    describe_fault(m, what, sizeof what);
    if (why)
        vmm_printf("guest %s stopped: %s: %s", guest.cfg->name, what, why);
    else
        vmm_printf("guest %s stopped: %s", guest.cfg->name, what);
    if (guest.boot_count < guest.cfg->auto_restarts) {
        vmm_printf("restarting guest %s (restart %lu of %lu)", guest.cfg->name,
                   (unsigned long)guest.boot_count + 1, (unsigned long)guest.cfg->auto_restarts);
        if (guest_restart() == 0)
            return;
    }
    report_root(1);
}

static void handle_exit(const l4_msg_t *m)
{
    l4_tcb_suspend(guest.tcb);
    guest.running = 0;
    vmm_console_drain(&guest); /* everything it wrote before the report */
    vmm_printf("guest %s exited with status %ld", guest.cfg->name, (long)m->mr[0]);
    report_root(m->mr[0] ? 1 : 0);
}

/* The VMM program: its configuration is its environment page (r0 at entry). */
int main(void)
{
    guest.cfg = (const vmm_config_t *)l4_start_arg;
    /* A trace kernel records the probe (and answers OK); any other refuses it. */
    vmm_tracing =
        l4_machine_trace(VMM_CAP_TRACE, L4_TRACE_EV_VDEV, guest.cfg->id, 0, 0, 0, 0) == L4_ERR_OK;
    /* Its notification for good (the guest's console signals it, and the
     * console server's input): a restart rebuilds only the guest. */
    if (l4_tcb_bind_notification(COMP_CAP_TCB, VMM_CAP_NTFN) || vmm_guest_build(&guest) ||
        vmm_guest_start(&guest))
        report_root(1);
    vmm_console_input(&guest); /* typed before the guest started */
    const l4_word_t id = guest.cfg->id;
    l4_msg_t m = {0};
    int replying = 0; /* m is a reply to send with the next receive */
    for (;;) {
        l4_word_t err = replying ? l4_reply_recv(VMM_CAP_EP, &m) : l4_recv(VMM_CAP_EP, &m);
        replying = 0;
        if (err)
            continue;
        l4_word_t label = l4_msginfo_label(m.info);
        if (m.badge == (id | VMM_FAULT_BADGE)) {
            /* A pre-virtualised guest's traps are emulated (previrt.c):
             * the restart is sent with the next receive. A fault that stops
             * the guest is traced; the emulated traps are not (their path
             * is measured: docs/previrt.md). */
            const char *why = guest.cfg->previrt ? previrt_kernel_fault(&guest, &m) : 0;
            if (guest.running && (why || !guest.cfg->previrt)) {
                vmm_trace(VMM_TRACE_FAULT | label, m.mr[0], 1);
                handle_fault(&m, why);
            } else if (guest.cfg->previrt)
                replying = 1;
        } else if (m.badge == id && guest.cfg->previrt &&
                   (label == VMM_PREVIRT_ATTACH || label == VMM_PREVIRT_FAULT)) {
            l4_word_t r = L4_ERR_INVALID_ARGUMENT;
            if (label == VMM_PREVIRT_ATTACH && l4_msginfo_length(m.info) >= 1)
                r = previrt_attach(&guest, m.mr[0]);
            else if (label == VMM_PREVIRT_FAULT && l4_msginfo_length(m.info) >= 3)
                r = previrt_user_fault(&guest, m.mr[0], m.mr[1], m.mr[2]);
            m = (l4_msg_t){.info = l4_msginfo(0, 0, 1), .mr = {r}};
            replying = 1;
        } else if (m.badge == id && label == VMM_EXIT) {
            vmm_trace(VMM_EXIT, m.mr[0], guest.running);
            if (guest.running)
                handle_exit(&m);
        } else if (m.badge == 0 && label == VMM_RESTART) {
            vmm_printf("restarting guest %s (system request)", guest.cfg->name);
            l4_word_t status = guest_restart();
            vmm_trace(VMM_RESTART, guest.boot_count, status);
            m = (l4_msg_t){.info = l4_msginfo(0, 0, 1), .mr = {status}};
            l4_reply(&m);
        } else if (l4_msginfo_is_signal(m.info)) {
            /* The VMM's own notification: the guest's console page
             * (output put, or input taken) and the console server (a line
             * typed for the guest). Tested last, so that the paths
             * measured (traps, acks) pay nothing for it; a signal's label
             * is none of the ones above. A signal is not a call: nothing
             * to reply. */
            if (m.badge & VMM_SIGNAL_CONSOLE)
                vmm_console_drain(&guest);
            if (m.badge & (VMM_SIGNAL_CONSOLE | VMM_SIGNAL_INPUT))
                vmm_console_input(&guest);
        } else {
            m = (l4_msg_t){.info = l4_msginfo(0, 0, 1), .mr = {L4_ERR_ILLEGAL_OPERATION}};
            l4_reply(&m);
        }
    }
}
