/* SPDX-License-Identifier: BSD-2-Clause */
/* Test helpers: see util.h for the resource model. Everything here runs in
 * the root thread except util_thread_entry() and the watchdog. */
#include "util.h"

#define PAGE 4096u
#define MAX_THREADS 16
#define STACK_BYTES 4096u
#define CPSR_USER 0x10u
#define CPSR_THUMB 0x20u

/* Slots: [persist_first, slot_mark) are persistent; a test takes slots from
 * slot_mark upwards (slot_next) and they are deleted after it. */
static l4_word_t slot_mark, slot_next, slot_high, slot_end;
static l4_cptr_t persist_ut, pool_ut;
static int inited;
static int line_touched; /* the test line was raised or armed: lower it after the test */

static l4_word_t pt_mb[64];
static unsigned pt_count;

static l4_cptr_t shared_frame; /* util_shared(): this test's shared page, 0 if none */

static util_thread_t threads[MAX_THREADS];
static unsigned thread_count;
static uint8_t stacks[MAX_THREADS][STACK_BYTES] __attribute__((aligned(8)));

volatile l4_word_t util_trace[32];
volatile l4_word_t util_trace_len;

/* ---- watchdog ------------------------------------------------------------ */

/* Incremented after every test: the watchdog fires only if it spins for
 * WD_SPINS iterations (about 50 M instructions, 50 ms under -icount) without
 * the root starting another test. It runs only while all else is blocked. */
#define WD_SPINS 12000000u
static volatile l4_word_t wd_epoch;
static l4_word_t wd_fired_epoch = ~0u;
static uint8_t wd_stack[2048] __attribute__((aligned(8)));
static l4_cptr_t wd_tcb;

__attribute__((noreturn)) static void watchdog_trampoline(void)
{
    ktest_fail(__FILE__, __LINE__, "watchdog: the test blocked forever (deadlock)", 0, 0);
}

__attribute__((noreturn)) static void watchdog_give_up(const char *why)
{
    l4_console_puts("[test] FAIL watchdog: ");
    l4_console_puts(why);
    l4_console_puts("\n[test] DONE\n");
    l4_machine_shutdown(L4_CAP_MACHINE, 1);
    for (;;)
        ;
}

static void watchdog_fire(void)
{
    l4_word_t regs[L4_TCB_MAX_REGS];
    if (wd_fired_epoch == wd_epoch)
        watchdog_give_up("the root thread is still blocked after being redirected");
    wd_fired_epoch = wd_epoch;
    if (l4_tcb_read_registers(L4_CAP_INIT_TCB, 1, L4_TCB_MAX_REGS, regs) != L4_ERR_OK)
        watchdog_give_up("cannot suspend the blocked root thread");
    l4_word_t pc = (l4_word_t)watchdog_trampoline;
    regs[13] = (regs[13] - 64u) & ~7u;
    regs[15] = pc & ~1u;
    regs[16] = CPSR_USER | ((pc & 1u) ? CPSR_THUMB : 0);
    if (l4_tcb_write_registers(L4_CAP_INIT_TCB, 1, L4_TCB_MAX_REGS, regs) != L4_ERR_OK)
        watchdog_give_up("cannot redirect the blocked root thread");
}

static void watchdog_main(void)
{
    for (;;) {
        l4_word_t e = wd_epoch, i;
        for (i = 0; i < WD_SPINS && wd_epoch == e; i++)
            __asm__ volatile("" ::: "memory");
        if (wd_epoch == e)
            watchdog_fire();
    }
}

/* ---- initialisation and cleanup ------------------------------------------ */

static l4_word_t raiser_create(l4_cptr_t base); /* the test line (below) */

static l4_word_t retype_at(l4_cptr_t ut, l4_word_t type, l4_word_t bits, l4_cptr_t slot,
                           l4_word_t count)
{
    return l4_untyped_retype(ut, type, bits, 0, 0, slot, count, L4_CAP_INIT_CNODE);
}

/* The watchdog's objects come from the persistent untyped and live at the
 * persistent slots base+0..3; its IPC buffer is at 0x7f000000. */
static l4_word_t watchdog_create(l4_cptr_t base)
{
    const l4_word_t vaddr = 0x7f000000u;
    l4_cptr_t tcb = base, pt = base + 1, frame = base + 2;
    l4_word_t e;
    if ((e = retype_at(persist_ut, L4_OBJ_TCB, 0, tcb, 1)) ||
        (e = retype_at(persist_ut, L4_OBJ_PAGE_TABLE, 0, pt, 1)) ||
        (e = retype_at(persist_ut, L4_OBJ_FRAME_4K, 0, frame, 1)) ||
        (e = l4_page_table_map(pt, vaddr, 0, L4_CAP_INIT_VSPACE)) ||
        (e = l4_frame_map(frame, vaddr, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE)) ||
        (e = l4_tcb_configure(tcb, 0, 0, vaddr, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, frame)) ||
        (e = l4_tcb_set_priority(tcb, UTIL_PRIO_WATCHDOG, L4_CAP_INIT_TCB)))
        return e;
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    l4_word_t pc = (l4_word_t)watchdog_main;
    regs[13] = (l4_word_t)(wd_stack + sizeof wd_stack);
    regs[15] = pc & ~1u;
    regs[16] = CPSR_USER | ((pc & 1u) ? CPSR_THUMB : 0);
    if ((e = l4_tcb_write_registers(tcb, 1, L4_TCB_MAX_REGS, regs)))
        return e;
    wd_tcb = tcb;
    return L4_ERR_OK;
}

void util_init(void)
{
    if (inited)
        return;
    CHECK(l4_bootinfo != 0);
    const l4_word_t *bi = l4_bootinfo;
    l4_word_t first = bi[L4_BOOTINFO_EMPTY_FIRST], last = bi[L4_BOOTINFO_EMPTY_LAST];
    CHECK(last > first + 512);
    l4_word_t n = bi[L4_BOOTINFO_UNTYPED_COUNT], best = 0, best_bits = 0;
    CHECK(n > 0 && n <= 64);
    for (l4_word_t i = 0; i < n; i++) {
        l4_word_t bits = bi[L4_BOOTINFO_UNTYPED_LIST + i] & 0x1fu;
        if (bits > best_bits) {
            best_bits = bits;
            best = i;
        }
    }
    CHECK(best_bits >= 22); /* 2 x 2 MiB at least */
    l4_word_t half = best_bits - 1 > 24 ? 24 : best_bits - 1;
    /* Persistent slots: first+0 persistent untyped, +1 pool, +2..+5 watchdog,
     * +6..+9 the test line's raiser. */
    l4_cptr_t boot_ut = bi[L4_BOOTINFO_UNTYPED_FIRST] + best;
    CHECK_EQ(retype_at(boot_ut, L4_OBJ_UNTYPED, half, first, 2), L4_ERR_OK);
    persist_ut = first;
    pool_ut = first + 1;
    slot_mark = slot_next = slot_high = first + 16;
    slot_end = last;
    inited = 1;
    l4_word_t e = watchdog_create(first + 2);
    if (e != L4_ERR_OK) {
        l4_console_puts("[util] no watchdog: a deadlocked test will hang the suite\n");
        l4_cnode_revoke(L4_CAP_INIT_CNODE, persist_ut, 32);
    } else if (raiser_create(first + 6) != L4_ERR_OK) {
        l4_console_puts("[util] no test line: the IRQ tests will fail\n");
    }
}

/* Called by ktest after every test (passed or failed). */
void ktest_after_each(void)
{
    if (!inited)
        return;
    wd_epoch++;
    l4_tcb_set_priority(L4_CAP_INIT_TCB, 255, L4_CAP_INIT_TCB);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, pool_ut, 32);
    for (l4_word_t s = slot_mark; s < slot_high; s++)
        l4_cnode_delete(L4_CAP_INIT_CNODE, s, 32);
    slot_next = slot_high = slot_mark;
    pt_count = 0;
    thread_count = 0;
    shared_frame = 0;
    util_trace_len = 0;
    l4_set_receive_slot(0, 0, 0);
    l4_tcb_unbind_notification(L4_CAP_INIT_TCB);
    if (line_touched)
        util_line_set(0, 0); /* the IRQ tests may leave the test line raised */
}

/* ---- slots and objects ----------------------------------------------------- */

l4_cptr_t util_slots(unsigned n)
{
    util_init();
    if (slot_next + n > slot_end)
        ktest_fail(__FILE__, __LINE__, "out of root CNode slots", slot_next, n);
    l4_cptr_t s = slot_next;
    slot_next += n;
    if (slot_next > slot_high)
        slot_high = slot_next;
    return s;
}

l4_cptr_t util_slot(void)
{
    return util_slots(1);
}

int util_slot_is_empty(l4_cptr_t slot)
{
    l4_cptr_t scratch = util_slot();
    l4_word_t e =
        l4_cnode_copy(L4_CAP_INIT_CNODE, scratch, 32, slot, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE);
    if (e == L4_ERR_OK)
        l4_cnode_delete(L4_CAP_INIT_CNODE, scratch, 32);
    return e == L4_ERR_FAILED_LOOKUP;
}

l4_cptr_t util_pool(void)
{
    util_init();
    return pool_ut;
}

l4_word_t util_try_new(l4_word_t type, l4_word_t size_bits, l4_cptr_t *out)
{
    *out = util_slot();
    return retype_at(pool_ut, type, size_bits, *out, 1);
}

l4_cptr_t util_new(l4_word_t type, l4_word_t size_bits)
{
    l4_cptr_t s;
    l4_word_t e = util_try_new(type, size_bits, &s);
    if (e != L4_ERR_OK)
        ktest_fail(__FILE__, __LINE__, "util_new: retype from the pool failed (type, error)", type,
                   e);
    return s;
}

l4_cptr_t util_untyped(unsigned size_bits)
{
    return util_new(L4_OBJ_UNTYPED, size_bits);
}
l4_cptr_t util_endpoint(void)
{
    return util_new(L4_OBJ_ENDPOINT, 0);
}
l4_cptr_t util_notification(void)
{
    return util_new(L4_OBJ_NOTIFICATION, 0);
}
l4_cptr_t util_cnode(unsigned radix)
{
    return util_new(L4_OBJ_CNODE, radix);
}

l4_cptr_t util_copy(l4_cptr_t cap, l4_word_t rights)
{
    l4_cptr_t s = util_slot();
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, s, 32, cap, 32, rights, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    return s;
}

l4_cptr_t util_mint(l4_cptr_t cap, l4_word_t rights, l4_word_t badge)
{
    l4_cptr_t s = util_slot();
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, s, 32, cap, 32, rights, badge, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    return s;
}

void util_delete(l4_cptr_t slot)
{
    CHECK_EQ(l4_cnode_delete(L4_CAP_INIT_CNODE, slot, 32), L4_ERR_OK);
}

/* ---- memory ---------------------------------------------------------------- */

void util_page_table_at(l4_word_t vaddr)
{
    l4_word_t mb = vaddr >> 20;
    for (unsigned i = 0; i < pt_count; i++)
        if (pt_mb[i] == mb)
            return;
    CHECK(pt_count < 64);
    l4_cptr_t pt = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK_EQ(l4_page_table_map(pt, mb << 20, 0, L4_CAP_INIT_VSPACE), L4_ERR_OK);
    pt_mb[pt_count++] = mb;
}

l4_cptr_t util_map_new_frame(l4_word_t vaddr)
{
    util_page_table_at(vaddr);
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, vaddr, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_OK);
    return f;
}

/* ---- threads --------------------------------------------------------------- */

void util_root_priority(l4_word_t prio)
{
    CHECK_EQ(l4_tcb_set_priority(L4_CAP_INIT_TCB, prio, L4_CAP_INIT_TCB), L4_ERR_OK);
}

void util_root_lower(void)
{
    util_root_priority(UTIL_PRIO_ROOT);
}

static void util_thread_entry(util_thread_t *t)
{
    t->fn(t);
    t->done = 1;
    l4_tcb_suspend(t->self);
    /* Only a broken suspend gets here: get out of the root's way. */
    l4_tcb_set_priority(t->self, 0, L4_CAP_INIT_TCB);
    for (;;) {
        t->done = 2;
        l4_tcb_suspend(t->self);
        l4_yield();
    }
}

util_thread_t *util_thread_create(util_thread_fn fn, l4_word_t prio, l4_cptr_t fault_ep)
{
    util_init();
    if (thread_count >= MAX_THREADS)
        ktest_fail(__FILE__, __LINE__, "too many test threads", thread_count, MAX_THREADS);
    unsigned k = thread_count++;
    util_thread_t *t = &threads[k];
    *t = (util_thread_t){0};
    t->fn = fn;
    t->stack_top = (l4_word_t)(stacks[k] + STACK_BYTES);
    t->ipc_buffer = UTIL_VADDR_IPCBUF + k * PAGE;
    t->ipc_frame = util_map_new_frame(t->ipc_buffer);
    t->tcb = t->self = util_new(L4_OBJ_TCB, 0);
    CHECK_EQ(l4_tcb_configure(t->tcb, fault_ep, 0, t->ipc_buffer, L4_CAP_INIT_CNODE,
                              L4_CAP_INIT_VSPACE, t->ipc_frame),
             L4_ERR_OK);
    CHECK_EQ(l4_tcb_set_priority(t->tcb, prio, L4_CAP_INIT_TCB), L4_ERR_OK);
    return t;
}

void util_thread_initial_regs(util_thread_t *t, l4_word_t regs[L4_TCB_MAX_REGS])
{
    l4_word_t pc = (l4_word_t)util_thread_entry;
    for (unsigned i = 0; i < L4_TCB_MAX_REGS; i++)
        regs[i] = 0;
    regs[0] = (l4_word_t)t;
    regs[13] = t->stack_top;
    regs[15] = pc & ~1u;
    regs[16] = CPSR_USER | ((pc & 1u) ? CPSR_THUMB : 0);
}

void util_thread_start(util_thread_t *t)
{
    l4_word_t regs[L4_TCB_MAX_REGS];
    util_thread_initial_regs(t, regs);
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
}

util_thread_t *util_thread_run(util_thread_fn fn, l4_word_t prio)
{
    util_thread_t *t = util_thread_create(fn, prio, 0);
    util_thread_start(t);
    return t;
}

/* ---- threads in address spaces of their own -------------------------------- */

extern char __image_start[], end[];

volatile l4_word_t *util_shared(void)
{
    if (!shared_frame) {
        shared_frame = util_map_new_frame(UTIL_SHARED_VADDR);
        for (unsigned i = 0; i < PAGE / 4; i++)
            ((volatile l4_word_t *)UTIL_SHARED_VADDR)[i] = 0;
    }
    return (volatile l4_word_t *)UTIL_SHARED_VADDR;
}

/* Map a copy of `frame` read/write at va in pd. */
static void map_copy_in(l4_cptr_t pd, l4_cptr_t frame, l4_word_t va)
{
    l4_cptr_t c = util_copy(frame, L4_RIGHTS_ALL);
    CHECK_EQ(l4_frame_map(c, va, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, pd), L4_ERR_OK);
}

/* A new page directory with page tables for the image's and the IPC
 * buffers' megabytes and a private copy of every page of the image. */
static l4_cptr_t space_clone(void)
{
    const l4_word_t scratch = UTIL_VADDR_TEST + 63 * UTIL_MB;
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    l4_cptr_t pt0 = util_new(L4_OBJ_PAGE_TABLE, 0), pt1 = util_new(L4_OBJ_PAGE_TABLE, 0);
    CHECK((l4_word_t)end < UTIL_MB);
    CHECK_EQ(l4_page_table_map(pt0, 0, 0, pd), L4_ERR_OK);
    CHECK_EQ(l4_page_table_map(pt1, UTIL_VADDR_IPCBUF, 0, pd), L4_ERR_OK);
    util_page_table_at(scratch);
    for (l4_word_t va = (l4_word_t)__image_start; va < (l4_word_t)end; va += PAGE) {
        l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
        CHECK_EQ(l4_frame_map(f, scratch, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE),
                 L4_ERR_OK);
        for (unsigned i = 0; i < PAGE / 4; i++)
            ((volatile l4_word_t *)scratch)[i] = ((const l4_word_t *)va)[i];
        CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
        CHECK_EQ(l4_frame_map(f, va, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, pd), L4_ERR_OK);
    }
    return pd;
}

util_thread_t *util_thread_create_in_space(util_thread_fn fn, l4_word_t prio, l4_cptr_t fault_ep,
                                           l4_word_t a0, l4_word_t a1)
{
    util_shared();
    util_thread_t *t = util_thread_create(fn, prio, fault_ep);
    t->arg[0] = a0;
    t->arg[1] = a1;
    l4_cptr_t pd = space_clone(); /* the copy includes *t as it is now */
    map_copy_in(pd, t->ipc_frame, t->ipc_buffer);
    map_copy_in(pd, shared_frame, UTIL_SHARED_VADDR);
    CHECK_EQ(l4_tcb_configure(t->tcb, fault_ep, 0, t->ipc_buffer, L4_CAP_INIT_CNODE, pd,
                              t->ipc_frame),
             L4_ERR_OK);
    return t;
}

/* ---- small things ---------------------------------------------------------- */

void util_trace_add(l4_word_t event)
{
    if (util_trace_len < 32)
        util_trace[util_trace_len++] = event;
}

l4_msg_t util_msg(l4_word_t label, l4_word_t length, l4_word_t w0, l4_word_t w1, l4_word_t w2,
                  l4_word_t w3)
{
    l4_msg_t m = {0};
    m.info = l4_msginfo(label, 0, length);
    m.mr[0] = w0;
    m.mr[1] = w1;
    m.mr[2] = w2;
    m.mr[3] = w3;
    return m;
}

/* ---- the test line: the PL061's interrupt, raised on a kernel timer ---------- */

/* User level may not program the generic timer (CNTKCTL.PL0VTEN is clear:
 * docs/api.md, "Timers"), so the interrupt source of the IRQ tests is a
 * real device line a test can raise: QEMU virt's GPIO pins sit at a fixed
 * level when undriven, so pin 0 set to interrupt on that level (GPIOIS,
 * GPIOIEV) asserts INTID 39 until the sense flips (systems/passthrough.sys
 * does the same from a guest). "After `ticks`" is a raiser thread at
 * priority 255 whose kernel timer (tcb_set_timer) wakes it then: it raises
 * the line and waits again. Its objects live at the persistent slots
 * base+0..3 (made once, with the watchdog's memory), its IPC buffer and
 * the GPIO's registers in the watchdog's page table. */
#define GPIO_PADDR 0x09030000u
#define GPIO_VADDR 0x7f001000u
#define RAISER_IPCBUF 0x7f002000u
#define GPIO_REG(off) (((volatile l4_word_t *)GPIO_VADDR)[(off) / 4])
#define GPIO_DATA_PIN0 0x004u
#define GPIO_DIR 0x400u
#define GPIO_IS 0x404u
#define GPIO_IEV 0x40cu
#define GPIO_IE 0x410u
#define GPIO_RIS 0x414u
#define GPIO_IC 0x41cu
static l4_cptr_t raiser_tcb, raiser_ntfn, gpio_cap;
static l4_word_t line_level; /* pin 0's undriven level: IEV = it raises the line */
static uint8_t raiser_stack[1024] __attribute__((aligned(8)));

static void line_raise(void)
{
    GPIO_REG(GPIO_IEV) = line_level;
}

/* Pin 0 an input that interrupts on a level, the other one than its own:
 * quiet (set again each time: test_device.c programs the same GPIO). */
static void line_lower(void)
{
    GPIO_REG(GPIO_IE) = 0;
    GPIO_REG(GPIO_DIR) = 0;
    GPIO_REG(GPIO_IS) = 1; /* level-sensitive */
    GPIO_REG(GPIO_IEV) = line_level ^ 1u;
    GPIO_REG(GPIO_IC) = 1; /* (QEMU latches what setting IS raised) */
    GPIO_REG(GPIO_IE) = 1;
}

static void raiser_main(void)
{
    for (;;) {
        l4_word_t bits;
        l4_wait(raiser_ntfn, &bits); /* its bound notification: its timer */
        line_raise();
    }
}

static l4_word_t gpio_frame(l4_cptr_t slot)
{
    const l4_word_t *bi = l4_bootinfo;
    for (l4_word_t i = 0; i < bi[L4_BOOTINFO_DEVICE_UNTYPED_COUNT]; i++) {
        l4_word_t d = bi[L4_BOOTINFO_DEVICE_UNTYPED_LIST + i];
        if ((d & ~L4_BOOTINFO_SIZE_MASK) == GPIO_PADDR && (d & L4_BOOTINFO_SIZE_MASK) == 12)
            return retype_at(bi[L4_BOOTINFO_DEVICE_UNTYPED_FIRST] + i, L4_OBJ_FRAME_4K, 0, slot, 1);
    }
    return L4_ERR_FAILED_LOOKUP;
}

static l4_word_t raiser_create(l4_cptr_t base)
{
    l4_cptr_t tcb = base, frame = base + 1, ntfn = base + 2, gpio = base + 3;
    l4_word_t e;
    if ((e = gpio_frame(gpio)) ||
        (e = l4_frame_map(gpio, GPIO_VADDR, L4_RIGHT_READ | L4_RIGHT_WRITE, 0,
                          L4_CAP_INIT_VSPACE)) ||
        (e = retype_at(persist_ut, L4_OBJ_TCB, 0, tcb, 1)) ||
        (e = retype_at(persist_ut, L4_OBJ_FRAME_4K, 0, frame, 1)) ||
        (e = retype_at(persist_ut, L4_OBJ_NOTIFICATION, 0, ntfn, 1)) ||
        (e = l4_frame_map(frame, RAISER_IPCBUF, L4_RIGHT_READ | L4_RIGHT_WRITE, 0,
                          L4_CAP_INIT_VSPACE)) ||
        (e = l4_tcb_configure(tcb, 0, 0, RAISER_IPCBUF, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE,
                              frame)) ||
        (e = l4_tcb_bind_notification(tcb, ntfn)) ||
        (e = l4_tcb_set_priority(tcb, 255, L4_CAP_INIT_TCB)))
        return e;
    raiser_tcb = tcb;
    raiser_ntfn = ntfn;
    gpio_cap = gpio;
    GPIO_REG(GPIO_IE) = 0;
    GPIO_REG(GPIO_DIR) = 0;
    line_level = GPIO_REG(GPIO_DATA_PIN0) & 1u;
    line_lower();
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    l4_word_t pc = (l4_word_t)raiser_main;
    regs[13] = (l4_word_t)(raiser_stack + sizeof raiser_stack);
    regs[15] = pc & ~1u;
    regs[16] = CPSR_USER | ((pc & 1u) ? CPSR_THUMB : 0);
    if ((e = l4_tcb_write_registers(tcb, 1, L4_TCB_MAX_REGS, regs)))
        return e;
    return L4_ERR_OK;
}

void util_line_set(l4_word_t ticks_from_now, l4_word_t on)
{
    util_init();
    CHECK(raiser_tcb != 0);
    line_touched = 1;
    CHECK_EQ(l4_tcb_cancel_timer(raiser_tcb), L4_ERR_OK);
    line_lower();
    if (!on)
        return;
    if (ticks_from_now == 0)
        line_raise();
    else
        CHECK_EQ(l4_tcb_set_timer(raiser_tcb, L4_VCPU_TIMER_RELATIVE, 1, ticks_from_now, 0, 0),
                 L4_ERR_OK);
}

l4_cptr_t util_line_frame(void)
{
    util_init();
    CHECK(gpio_cap != 0);
    return gpio_cap;
}

int util_line_asserted(void)
{
    util_init();
    return (GPIO_REG(GPIO_RIS) & 1u) != 0;
}

void util_spin(l4_word_t n)
{
    for (volatile l4_word_t i = 0; i < n; i++)
        ;
}

/* ---- an interrupt during a long operation ------------------------------------ */

#define PROBE_VA (UTIL_VADDR_TEST + 63 * UTIL_MB) /* free in every test */
static l4_cptr_t probe_tcb;

l4_cptr_t util_big_pd(unsigned tables, l4_cptr_t *last)
{
    l4_cptr_t pd = util_new(L4_OBJ_PAGE_DIRECTORY, 0);
    for (unsigned i = 0; i < tables; i++) {
        *last = util_new(L4_OBJ_PAGE_TABLE, 0);
        CHECK_EQ(l4_page_table_map(*last, i * UTIL_MB, 0, pd), L4_ERR_OK);
    }
    return pd;
}

static void probe(util_thread_t *t)
{
    l4_word_t bits;
    t->r[2] = l4_wait(t->arg[0], &bits);
    t->r[1] = 1;
    t->r[0] = l4_page_table_map(t->arg[1], PROBE_VA, 0, L4_CAP_INIT_VSPACE);
    if (t->r[0] == L4_ERR_OK)
        l4_page_table_unmap(t->arg[1]);
}

/* The probe waits on its bound notification, which its own kernel timer
 * (tcb_set_timer) signals `ticks` from now: a timer interrupt that makes a
 * higher-priority thread runnable in the middle of the operation. */
util_thread_t *util_interrupt_probe(l4_cptr_t last, l4_word_t ticks)
{
    l4_cptr_t n = util_notification();
    util_thread_t *t = util_thread_create(probe, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_bind_notification(t->tcb, n), L4_ERR_OK);
    t->arg[0] = n;
    t->arg[1] = last;
    util_thread_start(t); /* runs at once and waits */
    CHECK_EQ(t->r[1], 0);
    probe_tcb = t->tcb;
    CHECK_EQ(l4_tcb_set_timer(t->tcb, L4_VCPU_TIMER_RELATIVE, 1, ticks, 0, 0), L4_ERR_OK);
    return t;
}

void util_interrupt_probe_end(void)
{
    CHECK_EQ(l4_tcb_cancel_timer(probe_tcb), L4_ERR_OK);
}

#ifndef KTEST_DEBUG_KERNEL
#define KTEST_DEBUG_KERNEL 0
#endif
void util_check_invariants(void)
{
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    l4_word_t e = l4_machine_debug_check(L4_CAP_MACHINE, report);
    if (KTEST_DEBUG_KERNEL) {
        CHECK_EQ(e, L4_ERR_OK);
        CHECK_EQ(report[L4_DEBUG_CHECK_CODE], 0);
    } else {
        CHECK_EQ(e, L4_ERR_ILLEGAL_OPERATION);
    }
}
