/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel debugger (kdb.h; debug configuration only: kernel/SConscript
 * compiles this file into that configuration alone). A command loop on
 * the kernel console that reads kernel state and changes none of it: the
 * commands are in kdb_commands[] below and docs/observability.md.
 *
 * Safety: every address a user types is checked before it is read (a TCB
 * must be on the registry; an endpoint or notification must lie in the
 * kernel's RAM window, aligned to its size), so a typing error prints a
 * message instead of a kernel fault. Every loop is bounded by a constant:
 * the registry walk by its count and KDB_MAX_THREADS, queues by
 * KDB_MAX_QUEUE, CNode scans by their radix (at most 2^16 slots) and
 * KDB_MAX_CAPS lines, input by KDB_LINE and KDB_IDLE_POLLS. */
#include <arch.h>
#include <invoke.h>
#include <irq.h>
#include <kdb.h>
#include <object/objects.h>
#include <object/vcpu.h>
#include <panic.h>
#include <platform.h>
#include <printk.h>
#include <registry.h>
#include <sched.h>
#include <trace.h>

#define KDB_LINE 64
#define KDB_IDLE_POLLS (1u << 27) /* polls of an empty receive FIFO before going on alone */
#define KDB_MAX_THREADS 1024
#define KDB_MAX_QUEUE 64
#define KDB_MAX_CAPS 256
#define KDB_TRACE_DEFAULT 16

static const char *const obj_names[] = L4_OBJ_NAMES;
static const char *const sys_names[] = L4_SYS_NAMES;
static const char *const state_names[] = {
    [THREAD_INACTIVE] = "inactive",   [THREAD_RUNNABLE] = "ready",
    [THREAD_BLOCKED_SEND] = "send",   [THREAD_BLOCKED_RECV] = "recv",
    [THREAD_BLOCKED_REPLY] = "reply", [THREAD_BLOCKED_NTFN] = "wait",
    [THREAD_BLOCKED_FAULT] = "fault",
};
static const char *const trace_names[] = {
    [TRACE_SYSCALL] = "syscall", [TRACE_ENTRY] = "entry",   [TRACE_EXIT] = "exit",
    [TRACE_SWITCH] = "switch",   [TRACE_IPC_SEND] = "send", [TRACE_IPC_RECV] = "recv",
    [TRACE_IPC_REPLY] = "reply", [TRACE_SIGNAL] = "signal", [TRACE_IRQ] = "irq",
    [TRACE_UPCALL] = "upcall",   [TRACE_RESUME] = "resume", [TRACE_FAULT] = "fault",
    [TRACE_CREATE] = "create",   [TRACE_DELETE] = "delete", [TRACE_NAME] = "name",
    [TRACE_USER] = "user",
};

#define NAME_OF(table, i) ((i) < ARRAY_SIZE(table) && (table)[i] ? (table)[i] : "?")

static bool kdb_active;

/* --- input ------------------------------------------------------------------------ */

/* One line into buf (at most KDB_LINE - 1 characters, echoed, backspace
 * edits). False if nobody typed anything for KDB_IDLE_POLLS polls. */
static bool kdb_read_line(char *buf)
{
    unsigned n = 0;
    for (uint32_t idle = 0; idle < KDB_IDLE_POLLS; idle++) {
        int c = plat_console_getc();
        if (c < 0)
            continue;
        idle = 0;
        if (c == '\r' || c == '\n') {
            plat_console_putc('\n');
            buf[n] = 0;
            return true;
        }
        if ((c == 0x7f || c == 0x08) && n) {
            n--;
            printk("\b \b");
        } else if (c >= 0x20 && c < 0x7f && n < KDB_LINE - 1) {
            buf[n++] = (char)c;
            plat_console_putc((char)c);
        }
    }
    return false;
}

/* Split off the next word of *s (spaces between words). */
static const char *next_word(char **s)
{
    char *p = *s;
    while (*p == ' ')
        p++;
    char *w = p;
    while (*p && *p != ' ')
        p++;
    if (*p)
        *p++ = 0;
    *s = p;
    return w;
}

static bool streq(const char *a, const char *b)
{
    unsigned i = 0;
    for (; a[i] && a[i] == b[i]; i++)
        ;
    return a[i] == b[i];
}

/* A hexadecimal number, with or without 0x. */
static bool parse_hex(const char *s, word_t *v)
{
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2;
    word_t x = 0;
    unsigned i = 0;
    for (; i < 8 && s[i]; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d > 15)
            return false;
        x = x << 4 | d;
    }
    *v = x;
    return i > 0 && !s[i];
}

static bool parse_dec(const char *s, word_t *v)
{
    word_t x = 0;
    unsigned i = 0;
    for (; s[i] >= '0' && s[i] <= '9' && i < 9; i++)
        x = x * 10 + (word_t)(s[i] - '0');
    *v = x;
    return i > 0 && !s[i];
}

/* --- what may be read --------------------------------------------------------------- */

/* A thread named by its TCB address (registered) or its name (the first);
 * NULL if none (quiet: the caller says so). */
static tcb_t *kdb_find_thread(const char *arg)
{
    word_t addr = 0;
    bool hex = parse_hex(arg, &addr);
    word_t i = 0;
    for (tcb_t *t = tcb_registry; t && i < tcb_registry_count && i < KDB_MAX_THREADS;
         t = t->reg_next, i++)
        if ((hex && (word_t)(uintptr_t)t == addr) || streq(t->name, arg))
            return t;
    return NULL;
}

static tcb_t *kdb_thread(const char *arg)
{
    tcb_t *t = kdb_find_thread(arg);
    if (!t)
        printk("no thread '%s' (an address from `threads`, or a name)\n", arg);
    return t;
}

/* An object of 2^bits bytes at addr inside the kernel's RAM window. */
static bool kdb_object_ok(word_t addr, unsigned bits)
{
    word_t base = (word_t)(uintptr_t)paddr_to_kptr(PLAT_PHYS_BASE);
    if (addr < base || addr - base >= PLAT_PHYS_SIZE - BIT(bits) || !IS_ALIGNED(addr, bits)) {
        printk("%08x is not a kernel object address (RAM window, %u-byte aligned)\n", addr,
               BIT(bits));
        return false;
    }
    return true;
}

static const char *thread_label(const tcb_t *t)
{
    return !t ? "-" : t->name[0] ? t->name : "(unnamed)";
}

/* The running thread is RUNNABLE like the ready ones: tell them apart. */
static const char *state_label(const tcb_t *t)
{
    return t == ks_cur ? "running" : NAME_OF(state_names, t->state);
}

/* --- commands ------------------------------------------------------------------------- */

static void cmd_threads(char *args)
{
    (void)args;
    printk("%-8s %-15s %-8s %4s %4s %-8s %s\n", "tcb", "name", "state", "prio", "asid", "on",
           "notes");
    word_t i = 0;
    for (const tcb_t *t = tcb_registry; t && i < tcb_registry_count && i < KDB_MAX_THREADS;
         t = t->reg_next, i++) {
        const void *on = t->blocked_on;
        if (t->state == THREAD_BLOCKED_REPLY || t->state == THREAD_BLOCKED_FAULT)
            on = t->reply_holder; /* the slot of the reply cap it waits on */
        printk("%08x %-15s %-8s %4u %4u %08x%s%s%s\n", (uint32_t)(uintptr_t)t, thread_label(t),
               state_label(t), t->priority, t->asid, (uint32_t)(uintptr_t)on,
               t->vcpu ? " vcpu" : "", t->vcpu && t->vcpu->user_mode ? "(guest user)" : "",
               t->fault_kind ? " faulted" : "");
    }
    printk("%u threads\n", tcb_registry_count);
}

static void cmd_regs(char *args)
{
    const tcb_t *t = kdb_thread(next_word(&args));
    if (!t)
        return;
    static const char *const names[] = {"r0", "r1", "r2",  "r3",  "r4",  "r5", "r6", "r7",
                                        "r8", "r9", "r10", "r11", "r12", "sp", "lr"};
    STATIC_ASSERT(ARRAY_SIZE(names) == CTX_NREGS, "r0-r14");
    const arch_context_t *c = &t->ctx;
    printk("registers of '%s' (%s):\n", thread_label(t), state_label(t));
    for (unsigned i = 0; i < CTX_NREGS; i++)
        printk("%-3s %08x%s", names[i], c->r[i], i % 4 == 3 ? "\n" : "  ");
    printk("pc  %08x\ncpsr %08x  tpidrurw %08x  ipc buffer %08x\n", c->pc, c->cpsr,
           t->arch.tpidrurw, t->ipc_buffer);
}

static void print_cap(word_t index, const cap_t *c, unsigned depth)
{
    char rights[4] = {c->rights & L4_RIGHT_READ ? 'r' : '-', c->rights & L4_RIGHT_WRITE ? 'w' : '-',
                      c->rights & L4_RIGHT_GRANT ? 'g' : '-', 0};
    printk("%s%5u %-14s rights %s%s obj %08x data %08x", depth ? "      " : "", index,
           NAME_OF(obj_names, c->type), rights, c->rights & CAP_ZOMBIE ? " zombie" : "",
           (uint32_t)c->obj, (uint32_t)c->data);
    if (c->type == L4_OBJ_CNODE)
        printk(" radix %u guard %u/%x", c->bits, c->guard_bits, (uint32_t)c->data);
    printk("\n");
}

/* The occupied slots of the CNode cap c (and of CNodes in it, one level
 * down), at most *budget lines. */
static void print_cnode(const cap_t *c, unsigned depth, unsigned *budget)
{
    const cte_t *slots = (const cte_t *)c->obj;
    for (word_t i = 0; i < BIT(c->bits) && *budget; i++) {
        const cap_t *s = &slots[i].cap;
        if (cap_is_null(s))
            continue;
        print_cap(i, s, depth);
        (*budget)--;
        if (s->type == L4_OBJ_CNODE && depth == 0 && s->obj != c->obj && !(s->rights & CAP_ZOMBIE))
            print_cnode(s, 1, budget);
    }
}

static void cmd_caps(char *args)
{
    const tcb_t *t = kdb_thread(next_word(&args));
    if (!t)
        return;
    const cap_t *root = tcb_cspace(t);
    if (root->type != L4_OBJ_CNODE || (root->rights & CAP_ZOMBIE)) {
        printk("'%s' has no CSpace\n", thread_label(t));
        return;
    }
    if (root->rights & CAP_GUEST_USER)
        printk("(guest user mode: this CSpace resolves nothing until the next upcall)\n");
    printk("CSpace of '%s': CNode %08x, radix %u, guard %u bits = %x\n", thread_label(t),
           (uint32_t)root->obj, root->bits, root->guard_bits, (uint32_t)root->data);
    unsigned budget = KDB_MAX_CAPS;
    print_cnode(root, 0, &budget);
    if (!budget)
        printk("(first %u capabilities only)\n", KDB_MAX_CAPS);
}

/* A thread queue from head along ipc_next: bounded, stopping at a link
 * that does not point back. */
static void print_queue(const tcb_t *head)
{
    const tcb_t *prev = NULL;
    unsigned n = 0;
    for (const tcb_t *t = head; t && n < KDB_MAX_QUEUE; prev = t, t = t->ipc_next, n++) {
        if (t->ipc_prev != prev && prev) {
            printk("  (queue link broken at %08x)\n", (uint32_t)(uintptr_t)t);
            return;
        }
        printk("  %2u: %08x %-15s %s badge %x\n", n, (uint32_t)(uintptr_t)t, thread_label(t),
               NAME_OF(state_names, t->state), t->ipc_badge);
    }
    printk("  %u waiting%s\n", n, n == KDB_MAX_QUEUE ? " (or more)" : "");
}

/* An endpoint or notification: the one a thread (by name or address) is
 * blocked on (a notification: or is bound to), or an object address. */
static word_t kdb_ipc_object(const char *arg, bool ntfn)
{
    const tcb_t *t = kdb_find_thread(arg);
    if (t) {
        bool on_ep = t->state == THREAD_BLOCKED_SEND || t->state == THREAD_BLOCKED_RECV;
        if (!ntfn && on_ep)
            return (word_t)(uintptr_t)t->blocked_on;
        if (ntfn && t->state == THREAD_BLOCKED_NTFN)
            return (word_t)(uintptr_t)t->blocked_on;
        if (ntfn && t->bound_ntfn)
            return (word_t)(uintptr_t)t->bound_ntfn;
        printk("'%s' waits on no %s\n", thread_label(t), ntfn ? "notification" : "endpoint");
        return 0;
    }
    word_t a;
    if (!parse_hex(arg, &a)) {
        printk("no thread or address '%s'\n", arg);
        return 0;
    }
    return kdb_object_ok(a, ntfn ? L4_OBJ_NOTIFICATION_BITS : L4_OBJ_ENDPOINT_BITS) ? a : 0;
}

static void cmd_ep(char *args)
{
    word_t a = kdb_ipc_object(next_word(&args), false);
    if (!a)
        return;
    const endpoint_t *ep = (const endpoint_t *)(uintptr_t)a;
    printk("endpoint %08x: %s\n", a,
           ep->state == EP_SENDING     ? "senders"
           : ep->state == EP_RECEIVING ? "receivers"
                                       : "idle");
    print_queue(ep->head);
}

static void cmd_ntfn(char *args)
{
    word_t a = kdb_ipc_object(next_word(&args), true);
    if (!a)
        return;
    const notification_t *n = (const notification_t *)(uintptr_t)a;
    printk("notification %08x: word %08x, bound to %s\n", a, n->word, thread_label(n->bound));
    print_queue(n->head);
}

static void cmd_irq(char *args)
{
    (void)args;
    printk("line ntfn     badge    claimed\n");
    for (word_t i = 0; i < PLAT_IRQ_MAX; i++) {
        notification_t *n;
        word_t badge, bit;
        bool claimed;
        irq_line_get(i, &n, &badge, &claimed);
        const vcpu_t *v = irq_vcpu(i, &bit);
        if (!n && !v && !claimed && i != PLAT_IRQ_TIMER)
            continue;
        printk("%4u %08x %08x %s%s", i, (uint32_t)(uintptr_t)n, badge, claimed ? "yes" : "no",
               i == PLAT_IRQ_TIMER ? " (the kernel's timer)" : "");
        if (v) /* routed straight to a vCPU (docs/vcpu.md) */
            printk(" (routed to the vCPU of %s, virtual line %u%s)", thread_label(v->tcb),
                   (unsigned)__builtin_ctz(bit), (v->virq_active & bit) ? ", awaiting its ack" : "");
        printk("\n");
    }
}

static void cmd_vcpu(char *args)
{
    const tcb_t *t = kdb_thread(next_word(&args));
    if (!t)
        return;
    const vcpu_t *v = t->vcpu;
    if (!v || !v->state) {
        printk("'%s' is not a vCPU thread\n", thread_label(t));
        return;
    }
    const word_t *s = v->state;
    printk("vCPU %08x of '%s', state page %08x, %s mode\n", (uint32_t)(uintptr_t)v, thread_label(t),
           (uint32_t)(uintptr_t)s, v->user_mode ? "guest user" : "guest kernel");
    printk("cause %u  fault_addr %08x  fault_status %x  from_user %u\n", s[L4_VCPU_STATE_CAUSE],
           s[L4_VCPU_STATE_FAULT_ADDR], s[L4_VCPU_STATE_FAULT_STATUS], s[L4_VCPU_STATE_FROM_USER]);
    printk("virq_enabled %u  virq_pending %08x  entry_pc %08x  entry_sp %08x  fpexc %08x\n",
           s[L4_VCPU_STATE_VIRQ_ENABLED], s[L4_VCPU_STATE_VIRQ_PENDING], s[L4_VCPU_STATE_ENTRY_PC],
           s[L4_VCPU_STATE_ENTRY_SP], s[L4_VCPU_STATE_FPEXC]);
    /* The priority words (docs/vcpu.md, "Interrupt priorities"): the
     * guest's mask and running priority as stored, and the kernel's own
     * table of line levels (the state page's virq_prio is only a copy),
     * line 0's level first, one hex digit per line. */
    printk("virq_pmr %u  virq_rpr %u  virq_ack %08x  prio ", s[L4_VCPU_STATE_VIRQ_PMR],
           s[L4_VCPU_STATE_VIRQ_RPR], s[L4_VCPU_STATE_VIRQ_ACK]);
    for (unsigned k = 0; k < VCPU_VIRQ_LINES; k++)
        printk("%x", v->virq_prio[k]);
    printk("\n");
    for (unsigned k = 0; k < 2; k++) {
        const word_t *r = &s[k ? L4_VCPU_STATE_KREGS : L4_VCPU_STATE_REGS];
        printk("%s:", k ? "kregs" : "regs ");
        for (unsigned i = 0; i < CTX_NREGS + 2; i++) /* r0-r14, pc, cpsr */
            printk(" %08x", r[i]);
        printk("\n");
    }
}

static void cmd_trace(char *args)
{
    word_t want = KDB_TRACE_DEFAULT;
    const char *w = next_word(&args);
    if (*w && !parse_dec(w, &want)) {
        printk("trace [N]: N in decimal\n");
        return;
    }
    uint32_t total = trace_count;
    uint32_t n = want < total ? want : total; /* at most the ring's size, below */
    if (n > TRACE_RING_EVENTS)
        n = TRACE_RING_EVENTS;
    printk("last %u of %u records (time, thread, kind, a b c d):\n", n, total);
    for (uint32_t k = total - n; k != total; k++) {
        const trace_event_t *e = &trace_ring[k & (TRACE_RING_EVENTS - 1)];
        word_t kind = e->kind & MASK(TRACE_KIND_BITS);
        const tcb_t *t = (const tcb_t *)(uintptr_t)e->thread;
        printk("#%u %10u %-15s %-7s", e->seq, e->time, t ? thread_label(t) : "-",
               NAME_OF(trace_names, kind));
        if (kind == TRACE_SYSCALL)
            printk(" %s%s", NAME_OF(sys_names, e->a),
                   e->kind >> TRACE_KIND_BITS == TRACE_SYSCALL_FASTPATH ? " (fastpath)" : "");
        printk(" %x %x %x %x\n", e->a, e->b, e->c, e->d);
    }
}

/* Debug kernels only (this file is not in the others): a panic on request,
 * to try the debugger after a panic (suite kdb-panic). Typed at the console
 * alone: no program can reach it. `panic fault` takes the way of a kernel
 * bug, an undefined instruction executed in the kernel (arch/arm/kfault.c,
 * which panics). Either way the debugger is entered again, after the
 * message, and `continue` then stops the machine (PANIC_EXIT_STATUS). */
static void cmd_panic(char *args)
{
    const char *how = next_word(&args);
    if (*how && !streq(how, "fault")) {
        printk("panic: 'panic' or 'panic fault', not '%s'\n", how);
        return;
    }
    printk("[kdb] panicking on request%s\n", *how ? " (an undefined instruction)" : "");
    kdb_active = false; /* so that the panic enters the debugger again */
    if (*how)
        __asm__ volatile(".inst 0xe7f000f0"); /* UDF #0 in the kernel: a kernel fault */
    panic("requested from the kernel debugger");
}

static void cmd_help(char *args);

static const struct {
    const char *name, *alias, *args, *what;
    void (*run)(char *args);
} kdb_commands[] = {
    {"threads", "t", "", "every thread: name, state, priority, address space, what it waits on",
     cmd_threads},
    {"regs", "r", "THREAD", "a thread's saved registers", cmd_regs},
    {"caps", "s", "THREAD", "a thread's CSpace (and CNodes one level down)", cmd_caps},
    {"ep", "q", "OBJ", "an endpoint's queue", cmd_ep},
    {"ntfn", "n", "OBJ", "a notification's word, bound thread and queue", cmd_ntfn},
    {"irq", "i", "", "interrupt routing: line, notification or vCPU, badge", cmd_irq},
    {"vcpu", "v", "THREAD", "a vCPU thread's state page", cmd_vcpu},
    {"trace", "e", "[N]", "the last N trace records (16)", cmd_trace},
    {"panic", "p", "[fault]", "panic (fault: by a kernel fault), then the debugger again",
     cmd_panic},
    {"continue", "c", "", "leave the debugger: the system runs on", NULL},
    {"help", "h", "", "this list", cmd_help},
};

static void cmd_help(char *args)
{
    (void)args;
    printk("THREAD: a TCB address (hex) or a thread's name; OBJ: an object address, or a\n"
           "thread: the endpoint or notification it waits on (or its bound notification)\n");
    for (unsigned i = 0; i < ARRAY_SIZE(kdb_commands); i++)
        printk("  %-8s %-2s %-7s %s\n", kdb_commands[i].name, kdb_commands[i].alias,
               kdb_commands[i].args, kdb_commands[i].what);
}

void kdb_enter(int why, const struct tcb *t)
{
    if (kdb_active) /* a fault inside the debugger itself: do not recurse */
        return;
    kdb_active = true;
    if (why == KDB_WHY_PANIC)
        printk("[kdb] kernel debugger after a panic ('continue' stops the machine)\n");
    else
        printk("\n[kdb] kernel debugger: break from the console (thread '%s'); 'help' lists "
               "the commands\n",
               thread_label(t));
    char line[KDB_LINE];
    for (;;) {
        printk("kdb> ");
        if (!kdb_read_line(line)) {
            printk("\n[kdb] no input: continuing\n");
            break;
        }
        char *args = line;
        const char *cmd = next_word(&args);
        if (!*cmd)
            continue;
        unsigned i = 0;
        for (; i < ARRAY_SIZE(kdb_commands); i++)
            if (streq(cmd, kdb_commands[i].name) || streq(cmd, kdb_commands[i].alias))
                break;
        if (i == ARRAY_SIZE(kdb_commands)) {
            printk("unknown command '%s' ('help' lists them)\n", cmd);
            continue;
        }
        if (!kdb_commands[i].run)
            break;
        kdb_commands[i].run(args);
    }
    printk("[kdb] continuing\n");
    kdb_active = false;
}
