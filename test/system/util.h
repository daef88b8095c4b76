/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers every system test needs: slots and kernel memory from the root
 * task's boot resources, object creation, mapping frames, and threads that
 * run in the root task's own address space and CSpace.
 *
 * Resource model (all tests share one boot):
 *  - Slots come from the root CNode's empty range (bootinfo). Persistent
 *    slots (the watchdog) are taken once from its start; everything a test
 *    takes is above a mark and is deleted after the test.
 *  - Kernel memory comes from a pool untyped (a child of the largest boot
 *    untyped). After every test, passed or failed, ktest calls
 *    ktest_after_each(), which revokes the pool (destroying every object and
 *    every capability derived from it), deletes every slot the test used and
 *    restores the root thread's priority and receive slot. A test therefore
 *    never cleans up after itself unless it wants to check deletion.
 *  - A watchdog thread at priority UTIL_PRIO_WATCHDOG runs only when every
 *    other thread is blocked. If it runs for a long time within one test (a
 *    deadlock: the root waits for something that never comes), it redirects
 *    the root thread into ktest_fail(), so a kernel bug fails the test
 *    instead of hanging the suite.
 *
 * Priorities: the root normally runs at 255. A test that wants its threads
 * to run "at once" calls util_root_lower() (root at UTIL_PRIO_ROOT) and
 * creates them at UTIL_PRIO_HIGH; a thread at UTIL_PRIO_LOW runs only while
 * the root is blocked. Threads must never run unbounded loops: a spinning
 * thread above the root starves it. */
#pragma once
#include "ktest.h"

#define UTIL_PRIO_WATCHDOG 1
#define UTIL_PRIO_LOW 50
#define UTIL_PRIO_ROOT 100
#define UTIL_PRIO_HIGH 150

/* Virtual addresses for tests' own mappings: thread IPC buffers live in the
 * first MiB; tests use UTIL_VADDR_TEST + n * 1 MiB (n < 64) as they like. */
#define UTIL_VADDR_IPCBUF 0x40000000u
#define UTIL_VADDR_TEST 0x40100000u
#define UTIL_MB 0x100000u

/* Set up the pool, the slot allocator and the watchdog (idempotent). Every
 * helper calls it; tests need not. */
void util_init(void);

/* A fresh empty slot (cptr == slot index, depth 32) / n consecutive ones. */
l4_cptr_t util_slot(void);
l4_cptr_t util_slots(unsigned n);
/* 1 if the slot holds no capability (probed with a copy). */
int util_slot_is_empty(l4_cptr_t slot);

/* The pool untyped the test's objects come from (revoked after each test). */
l4_cptr_t util_pool(void);
/* Retype one object from the pool into a fresh slot; returns the error and
 * stores the slot in *out. util_new() fails the test on error. */
l4_word_t util_try_new(l4_word_t type, l4_word_t size_bits, l4_cptr_t *out);
l4_cptr_t util_new(l4_word_t type, l4_word_t size_bits);
/* A fresh child untyped of 2^size_bits bytes (for tests of untyped). */
l4_cptr_t util_untyped(unsigned size_bits);
l4_cptr_t util_endpoint(void);
l4_cptr_t util_notification(void);
l4_cptr_t util_cnode(unsigned radix);
/* A copy of cap with rights reduced to rights / a badged copy. */
l4_cptr_t util_copy(l4_cptr_t cap, l4_word_t rights);
l4_cptr_t util_mint(l4_cptr_t cap, l4_word_t rights, l4_word_t badge);
/* Delete the capability in slot (fails the test on error). */
void util_delete(l4_cptr_t slot);

/* Ensure a page table covers vaddr's MiB in the root address space. */
void util_page_table_at(l4_word_t vaddr);
/* Retype a fresh 4 KiB frame and map it read/write at vaddr in the root
 * address space (page table on demand); returns the frame cap. */
l4_cptr_t util_map_new_frame(l4_word_t vaddr);

/* The root thread's priority: util_root_lower() sets UTIL_PRIO_ROOT, so
 * threads at UTIL_PRIO_HIGH preempt it. Restored to 255 after each test. */
void util_root_priority(l4_word_t prio);
void util_root_lower(void);

/* A thread in the root's address space and CSpace, with its own static
 * stack and IPC buffer. fn runs with the thread as argument; when it returns
 * the thread sets `done` and suspends itself. Threads must not use CHECK
 * (it would longjmp on the wrong stack) or printf: they record results in
 * `r[]` and the root checks them. */
typedef struct util_thread util_thread_t;
typedef void (*util_thread_fn)(util_thread_t *t);
struct util_thread {
    l4_cptr_t tcb;
    l4_cptr_t self; /* its TCB cap in its own CSpace (default: tcb) */
    util_thread_fn fn;
    l4_word_t arg[8];         /* set by the test before starting */
    volatile l4_word_t done;  /* 1 once fn has returned */
    volatile l4_word_t r[16]; /* results recorded by the thread */
    l4_word_t ipc_buffer;     /* vaddr of its IPC buffer */
    l4_cptr_t ipc_frame;
    l4_word_t stack_top;
};

/* Create, configure (root CSpace and VSpace, fault endpoint fault_ep, which
 * is a cptr in the root CSpace or 0) and set the priority; not started. */
util_thread_t *util_thread_create(util_thread_fn fn, l4_word_t prio, l4_cptr_t fault_ep);
/* Set pc/sp/r0 and resume. */
void util_thread_start(util_thread_t *t);
/* create + start with no fault endpoint. */
util_thread_t *util_thread_run(util_thread_fn fn, l4_word_t prio);
/* Start value for write_registers: pc = fn entry, sp = stack top, r0 = t. */
void util_thread_initial_regs(util_thread_t *t, l4_word_t regs[L4_TCB_MAX_REGS]);

/* A thread like util_thread_create()'s, but in an address space of its own:
 * a new page directory holding a private copy of the root task's image (so
 * the same code runs there), the thread's IPC buffer, and the page shared
 * with the root (util_shared()). args[0..1] are set before the copy is
 * taken: the thread sees its util_thread_t as it was then, and writes to it
 * stay in its own copy, so it reports through util_shared() instead. */
util_thread_t *util_thread_create_in_space(util_thread_fn fn, l4_word_t prio, l4_cptr_t fault_ep,
                                           l4_word_t a0, l4_word_t a1);
/* A page at UTIL_SHARED_VADDR, mapped in the root's address space and in
 * every space made by util_thread_create_in_space() during this test. */
#define UTIL_SHARED_VADDR (UTIL_VADDR_IPCBUF + UTIL_MB - 4096u)
volatile l4_word_t *util_shared(void);

/* Record the "order of events" shared by threads and the root. */
extern volatile l4_word_t util_trace[32];
extern volatile l4_word_t util_trace_len;
void util_trace_add(l4_word_t event);

/* A message with the given label and length and MR0-MR3 = w0..w3. */
l4_msg_t util_msg(l4_word_t label, l4_word_t length, l4_word_t w0, l4_word_t w1, l4_word_t w2,
                  l4_word_t w3);

/* The test line: a level-triggered device interrupt (the PL061's, INTID
 * UTIL_TEST_IRQ) the tests raise (user level may not program the generic
 * timer). util_line_set(ticks, 1) lowers it and raises it `ticks` counter
 * ticks from now (0: at once), from a thread at priority 255 woken by its
 * kernel timer; util_line_set(0, 0) lowers it and disarms that. */
#define UTIL_TEST_IRQ 39u
void util_line_set(l4_word_t ticks_from_now, l4_word_t on);
int util_line_asserted(void); /* the device's raw status: the line is asserted */
/* The GPIO's frame (made once from its device untyped, which must not be
 * revoked: test_device.c maps a copy of this cap instead). */
l4_cptr_t util_line_frame(void);

/* Busy-wait n loop iterations (about 4 instructions each). */
void util_spin(l4_word_t n);
/* The debug kernel's invariant checker over everything the test task
 * reaches (timer heap, priority tables and the rest): it must find
 * nothing; the other kernels refuse machine_debug_check (images built with
 * KTEST_DEBUG_KERNEL run on the debug kernel). */
void util_check_invariants(void);

/* An interrupt in the middle of a long kernel operation: a page directory
 * with `tables` page tables mapped (util_big_pd; *last is the one its
 * destruction clears last), and util_interrupt_probe(), which starts a
 * thread at UTIL_PRIO_HIGH that waits for the virtual timer, armed to fire
 * `ticks` from now, and then tries to map `last` into the root's
 * directory. If the operation is preempted, the thread runs before the
 * directory is gone and finds `last` still in use (ALREADY_MAPPED, in
 * r[0]); r[1] is 1 once it ran. The caller must have lowered the root. */
l4_cptr_t util_big_pd(unsigned tables, l4_cptr_t *last);
util_thread_t *util_interrupt_probe(l4_cptr_t last, l4_word_t ticks);
/* After the operation: timer off, the probe's interrupt acknowledged. */
void util_interrupt_probe_end(void);
