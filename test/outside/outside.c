/* SPDX-License-Identifier: BSD-2-Clause */
/* An "outside developer" test of the kernel API, written from docs/api.md
 * (plus docs/reference/abi.md, docs/testing.md, docs/build.md) only.
 * Console protocol of docs/testing.md: [test] PASS/FAIL lines, [test] DONE,
 * exit status 0 (all passed) or 1. */
#include <stdint.h>
#include <l4/l4.h>

/* ------------------------------------------------------------------------ */
/* Output and test framework                                                */

static void puts_(const char *s)
{
    l4_console_puts(s);
}

static char reason[200];
static unsigned rlen;

static void radd(const char *s)
{
    while (*s && rlen < sizeof(reason) - 1)
        reason[rlen++] = *s++;
    reason[rlen] = 0;
}

static void raddhex(l4_word_t v)
{
    char b[11];
    b[0] = '0';
    b[1] = 'x';
    for (int i = 0; i < 8; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
    b[10] = 0;
    radd(b);
}

static void radddec(l4_word_t v)
{
    char b[12];
    int i = 11;
    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    radd(b + i);
}

static void fail_eq(int line, const char *expr, l4_word_t got, l4_word_t want)
{
    rlen = 0;
    reason[0] = 0;
    radd("line ");
    radddec((l4_word_t)line);
    radd(": ");
    char e[80];
    unsigned i = 0;
    for (; expr[i] && i < sizeof(e) - 1; i++)
        e[i] = expr[i];
    e[i] = 0;
    radd(e);
    radd(" = ");
    raddhex(got);
    radd(", expected ");
    raddhex(want);
}

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        l4_word_t _a = (l4_word_t)(a), _b = (l4_word_t)(b);                                        \
        if (_a != _b) {                                                                            \
            fail_eq(__LINE__, #a, _a, _b);                                                         \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define CHECK(c) CHECK_EQ(!!(c), 1)
#define OK(e) CHECK_EQ(e, L4_ERR_OK)

static int n_pass, n_fail;

static void run(const char *name, void (*fn)(void))
{
    rlen = 0;
    reason[0] = 0;
    fn();
    if (reason[0]) {
        puts_("[test] FAIL ");
        puts_(name);
        puts_(": ");
        puts_(reason);
        puts_("\n");
        n_fail++;
    } else {
        puts_("[test] PASS ");
        puts_(name);
        puts_("\n");
        n_pass++;
    }
}

/* ------------------------------------------------------------------------ */
/* Resources                                                                */

static l4_cptr_t ut_big; /* the largest boot untyped */
static l4_cptr_t next_slot, last_slot;

static l4_cptr_t slots(l4_word_t n)
{
    l4_cptr_t s = next_slot;
    next_slot += n;
    if (next_slot > last_slot) {
        puts_("[test] FAIL slot_allocator: out of empty slots\n[test] DONE\n");
        l4_machine_shutdown(L4_CAP_MACHINE, 1);
    }
    return s;
}
static l4_cptr_t slot(void)
{
    return slots(1);
}

static l4_word_t mk(l4_word_t type, l4_word_t bits, l4_cptr_t dst)
{
    return l4_untyped_retype(ut_big, type, bits, 0, 0, dst, 1, L4_CAP_INIT_CNODE);
}

/* A child untyped of 2^bits bytes, so that a test can revoke it. */
static l4_cptr_t child_untyped(l4_word_t bits)
{
    l4_cptr_t u = slot();
    if (mk(L4_OBJ_UNTYPED, bits, u) != L4_ERR_OK)
        return 0;
    return u;
}

/* Every thread gets a 4 KiB IPC-buffer frame mapped in the MiB at
 * IPCBUF_VA (page table made at start) and a stack from .bss. */
#define IPCBUF_VA 0x40000000u
#define MAX_THREADS 24
static uint64_t stacks[MAX_THREADS][512] __attribute__((aligned(8)));
static l4_word_t nthreads;

typedef void (*entry_t)(l4_word_t arg, l4_word_t self);

/* Create, configure, prioritise and start a thread in the root's CSpace
 * and VSpace (docs/api.md "TCB": configure, set_priority, write_registers
 * with resume = 1). Returns an error code (first failing step). */
static l4_word_t spawn(l4_cptr_t *tcb_out, entry_t entry, l4_word_t arg, l4_word_t prio,
                       l4_word_t fault_ep)
{
    if (nthreads >= MAX_THREADS)
        return 0xdead;
    l4_word_t i = nthreads++;
    l4_cptr_t tcb = slot(), fr = slot();
    l4_word_t va = IPCBUF_VA + i * 0x1000u, e;
    if ((e = mk(L4_OBJ_TCB, 0, tcb)) || (e = mk(L4_OBJ_FRAME_4K, 0, fr)))
        return e;
    if ((e = l4_frame_map(fr, va, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE)))
        return e;
    if ((e = l4_tcb_configure(tcb, fault_ep, 0, va, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, fr)))
        return e;
    if ((e = l4_tcb_set_priority(tcb, prio, L4_CAP_INIT_TCB)))
        return e;
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    regs[0] = arg;
    regs[1] = tcb;
    regs[13] = (l4_word_t)&stacks[i][512];
    regs[15] = (l4_word_t)entry;
    regs[16] = 0x10;
    if ((e = l4_tcb_write_registers(tcb, 1, L4_TCB_MAX_REGS, regs)))
        return e;
    *tcb_out = tcb;
    return 0;
}

/* Let every ready thread (all run below the root's 255) run until it blocks:
 * lowering the caller below a ready thread switches to it at once. */
static void settle(void)
{
    l4_tcb_set_priority(L4_CAP_INIT_TCB, 1, L4_CAP_INIT_TCB);
    l4_tcb_set_priority(L4_CAP_INIT_TCB, 255, L4_CAP_INIT_TCB);
}

static void thread_exit(l4_word_t self)
{
    for (;;)
        l4_tcb_suspend(self);
}

/* ------------------------------------------------------------------------ */
/* Tests                                                                     */

static void test_bootinfo(void)
{
    const l4_word_t *bi = l4_bootinfo;
    CHECK(bi != 0);
    CHECK_EQ(bi[L4_BOOTINFO_MAGIC], L4_BOOTINFO_MAGIC_VALUE);
    CHECK_EQ(bi[L4_BOOTINFO_IPC_BUFFER], L4_ROOT_IPC_BUFFER);
    CHECK_EQ((l4_word_t)l4_ipc_buffer(), L4_ROOT_IPC_BUFFER);
    CHECK(bi[L4_BOOTINFO_UNTYPED_COUNT] > 0 && bi[L4_BOOTINFO_UNTYPED_COUNT] <= 64);
    CHECK(bi[L4_BOOTINFO_EMPTY_FIRST] < bi[L4_BOOTINFO_EMPTY_LAST]);
    CHECK(bi[L4_BOOTINFO_EMPTY_LAST] <= (1u << L4_ROOT_CNODE_BITS));
    /* an empty slot is empty: deleting succeeds, invoking fails */
    l4_word_t pa;
    CHECK_EQ(l4_frame_get_address(next_slot, &pa), L4_ERR_FAILED_LOOKUP);
    OK(l4_frame_get_address(L4_CAP_INIT_IPC_BUFFER, &pa));
    CHECK((pa & 0xfff) == 0);
}

/* Retype every creatable object type from a child untyped. */
static void test_retype_object_types(void)
{
    l4_cptr_t u = child_untyped(23);
    CHECK(u != 0);
    l4_cptr_t s = slots(12);
    l4_word_t types[] = {L4_OBJ_TCB,      L4_OBJ_ENDPOINT,       L4_OBJ_NOTIFICATION,
                         L4_OBJ_CNODE,    L4_OBJ_PAGE_DIRECTORY, L4_OBJ_PAGE_TABLE,
                         L4_OBJ_FRAME_4K, L4_OBJ_FRAME_64K,      L4_OBJ_FRAME_1M,
                         L4_OBJ_UNTYPED};
    l4_word_t bits[] = {0, 0, 0, 4, 0, 0, 0, 0, 0, 12};
    for (unsigned i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        CHECK_EQ(l4_untyped_retype(u, types[i], bits[i], 0, 0, s + i, 1, L4_CAP_INIT_CNODE),
                 L4_ERR_OK);
    /* each behaves as its type: frames have aligned physical addresses */
    l4_word_t pa = 1;
    OK(l4_frame_get_address(s + 6, &pa));
    CHECK_EQ(pa & 0xfff, 0);
    OK(l4_frame_get_address(s + 7, &pa));
    CHECK_EQ(pa & 0xffff, 0);
    OK(l4_frame_get_address(s + 8, &pa));
    CHECK_EQ(pa & 0xfffff, 0);
    /* frame_get_address on a TCB / endpoint is not a method */
    CHECK_EQ(l4_frame_get_address(s + 0, &pa), L4_ERR_ILLEGAL_OPERATION);
    /* the notification is a notification: signal + poll */
    OK(l4_signal(s + 2));
    l4_word_t b = 0;
    OK(l4_poll(s + 2, &b));
    CHECK_EQ(b, 1);
    /* the endpoint: nbrecv with nobody sending */
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(s + 1, &m), L4_ERR_WOULD_BLOCK);
    /* the CNode can hold a capability (slot 15 of 16) */
    OK(l4_cnode_copy(s + 3, 15, 4, s + 2, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    /* the child untyped (4 KiB) can make one 4 KiB frame, not two */
    OK(l4_untyped_retype(s + 9, L4_OBJ_FRAME_4K, 0, 0, 0, s + 10, 1, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_untyped_retype(s + 9, L4_OBJ_FRAME_4K, 0, 0, 0, s + 11, 1, L4_CAP_INIT_CNODE),
             L4_ERR_NOT_ENOUGH_MEMORY);
    /* the page directory and page table work together */
    OK(l4_page_table_map(s + 5, 0x50000000, 0, s + 4));
    OK(l4_frame_map(s + 6, 0x50000000, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, s + 4));
    /* revoking the untyped destroys everything, slots become empty */
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, u, 32));
    for (unsigned i = 0; i < 12; i++)
        CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, s + i, 32, s + i, 32, L4_RIGHTS_ALL,
                               L4_CAP_INIT_CNODE),
                 L4_ERR_FAILED_LOOKUP);
}

/* retype: watermark, 16 frames from 64 KiB, revoke resets it, DELETE_FIRST
 * fills nothing. */
static void test_retype_watermark_revoke(void)
{
    l4_cptr_t u = child_untyped(16);
    CHECK(u != 0);
    l4_cptr_t s = slots(17);
    /* DELETE_FIRST: slot s+2 occupied -> none of s, s+1 is filled, no memory used */
    OK(mk(L4_OBJ_NOTIFICATION, 0, s + 2));
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_FRAME_4K, 0, 0, 0, s, 3, L4_CAP_INIT_CNODE),
             L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_cnode_delete(L4_CAP_INIT_CNODE, s, 32), L4_ERR_OK);
    l4_word_t pa;
    CHECK_EQ(l4_frame_get_address(s, &pa), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_frame_get_address(s + 1, &pa), L4_ERR_FAILED_LOOKUP);
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, s + 2, 32));
    /* 16 frames into s..s+15; the 17th fails */
    OK(l4_untyped_retype(u, L4_OBJ_FRAME_4K, 0, 0, 0, s, 16, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_FRAME_4K, 0, 0, 0, s + 16, 1, L4_CAP_INIT_CNODE),
             L4_ERR_NOT_ENOUGH_MEMORY);
    /* deleting objects one by one does not lower the watermark */
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, s + 15, 32));
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_FRAME_4K, 0, 0, 0, s + 16, 1, L4_CAP_INIT_CNODE),
             L4_ERR_NOT_ENOUGH_MEMORY);
    /* revoke resets it: a 64 KiB frame now fits */
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, u, 32));
    CHECK_EQ(l4_frame_get_address(s, &pa), L4_ERR_FAILED_LOOKUP);
    OK(l4_untyped_retype(u, L4_OBJ_FRAME_64K, 0, 0, 0, s, 1, L4_CAP_INIT_CNODE));
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, u, 32));
    /* untyped capabilities cannot be copied or minted, only moved */
    l4_cptr_t d = slot();
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, d, 32, u, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, d, 32, u, 32, L4_RIGHTS_ALL, 0, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    OK(l4_cnode_move(L4_CAP_INIT_CNODE, d, 32, u, 32, L4_CAP_INIT_CNODE));
    OK(l4_untyped_retype(d, L4_OBJ_ENDPOINT, 0, 0, 0, u, 1, L4_CAP_INIT_CNODE));
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, d, 32));
}

static void test_retype_errors(void)
{
    l4_cptr_t u = child_untyped(16);
    CHECK(u != 0);
    l4_cptr_t s = slot(), ep = slot(), c = slot();
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    /* INVALID_ARGUMENT: NULL, IRQ_CONTROL, IRQ_HANDLER, REPLY, unknown */
    l4_word_t bad[] = {L4_OBJ_NULL, L4_OBJ_IRQ_CONTROL, L4_OBJ_IRQ_HANDLER, L4_OBJ_REPLY, 99};
    for (unsigned i = 0; i < 5; i++)
        CHECK_EQ(l4_untyped_retype(u, bad[i], 0, 0, 0, s, 1, L4_CAP_INIT_CNODE),
                 L4_ERR_INVALID_ARGUMENT);
    /* RANGE_ERROR: size_bits, count, offset+count */
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_UNTYPED, 3, 0, 0, s, 1, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_UNTYPED, 29, 0, 0, s, 1, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_CNODE, 0, 0, 0, s, 1, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_CNODE, 17, 0, 0, s, 1, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_ENDPOINT, 0, 0, 0, s, 0, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_ENDPOINT, 0, 0, 0, s, 257, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_ENDPOINT, 0, 0, 0, 4095, 2, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    /* FAILED_LOOKUP: root does not resolve; node_index not a CNode */
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_ENDPOINT, 0, 0, 0, s, 1, slot()), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_ENDPOINT, 0, ep, 32, 0, 1, L4_CAP_INIT_CNODE),
             L4_ERR_FAILED_LOOKUP);
    /* INVALID_CAPABILITY: root is not a CNode */
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_ENDPOINT, 0, 0, 0, s, 1, ep), L4_ERR_INVALID_CAPABILITY);
    /* DELETE_FIRST */
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_ENDPOINT, 0, 0, 0, ep, 1, L4_CAP_INIT_CNODE),
             L4_ERR_DELETE_FIRST);
    /* into a nested CNode named by node_index/node_depth */
    OK(l4_untyped_retype(u, L4_OBJ_CNODE, 4, 0, 0, c, 1, L4_CAP_INIT_CNODE));
    OK(l4_untyped_retype(u, L4_OBJ_NOTIFICATION, 0, c, 32, 3, 1, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, s, 32, 3, 4, L4_RIGHTS_ALL, c));
    OK(l4_signal(s));
    /* node_offset + count beyond a 16-slot CNode */
    CHECK_EQ(l4_untyped_retype(u, L4_OBJ_NOTIFICATION, 0, c, 32, 15, 2, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, u, 32));
}

/* 255 ASIDs, the root holds one: 254 page directories fit. */
static l4_cptr_t asid_block;
static void test_retype_page_directory_asids(void)
{
    l4_cptr_t u = child_untyped(23); /* 8 MiB: room for 512 directories */
    CHECK(u != 0);
    if (!asid_block)
        asid_block = slots(256);
    l4_word_t made = 0, err = 0;
    for (l4_word_t i = 0; i < 256; i++) {
        err = l4_untyped_retype(u, L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, asid_block + i, 1,
                                L4_CAP_INIT_CNODE);
        if (err)
            break;
        made++;
    }
    CHECK_EQ(err, L4_ERR_NOT_ENOUGH_MEMORY);
    CHECK_EQ(made, 254);
    /* destroying one frees its ASID */
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, asid_block, 32));
    OK(l4_untyped_retype(u, L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, asid_block, 1, L4_CAP_INIT_CNODE));
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, u, 32));
    OK(l4_untyped_retype(u, L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, asid_block, 1, L4_CAP_INIT_CNODE));
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, u, 32));
}

/* copy: rights are ANDed, never widened; badge kept; errors. */
static void test_cnode_copy_rights(void)
{
    l4_cptr_t n = slot(), w = slot(), r = slot(), w2 = slot(), mb = slot(), cb = slot();
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, w, 32, n, 32, L4_RIGHT_WRITE, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, r, 32, n, 32, L4_RIGHT_READ, L4_CAP_INIT_CNODE));
    l4_word_t b;
    OK(l4_signal(w));
    CHECK_EQ(l4_poll(w, &b), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_signal(r), L4_ERR_INSUFFICIENT_RIGHTS);
    OK(l4_poll(r, &b));
    CHECK_EQ(b, 1);
    /* a copy of a write-only copy asking for all rights stays write-only */
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, w2, 32, w, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_poll(w2, &b), L4_ERR_INSUFFICIENT_RIGHTS);
    OK(l4_signal(w2));
    /* copy keeps the badge */
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, mb, 32, n, 32, L4_RIGHT_WRITE, 0x40, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, cb, 32, mb, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_signal(cb));
    OK(l4_poll(n, &b));
    CHECK_EQ(b, 0x41);
    /* errors */
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, w, 32, n, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_DELETE_FIRST);
    l4_cptr_t e1 = slot(), e2 = slot();
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, e1, 32, e2, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, e1, 33, n, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, e1, 32, n, 33, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, e1, 32, n, 32, L4_RIGHTS_ALL, n),
             L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, e1, 32, n, 32, L4_RIGHTS_ALL, e2),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, e1, 32, ut_big, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    /* depth 0 names nothing; address >= 4096 fails the guard */
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, e1, 0, n, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(
        l4_cnode_copy(L4_CAP_INIT_CNODE, 4096 + e1, 32, n, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
        L4_ERR_FAILED_LOOKUP);
    /* check then act: nothing happened on error */
    CHECK_EQ(l4_poll(e1, &b), L4_ERR_FAILED_LOOKUP);
}

/* mint: badges on endpoints/notifications, guards on CNodes; the worked
 * example of section 2. */
static void test_cnode_mint_badges_guards(void)
{
    l4_cptr_t n = slot(), a = slot(), b2 = slot(), aa = slot(), fr = slot(), fm = slot();
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, a, 32, n, 32, L4_RIGHT_WRITE, 0x1, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, b2, 32, n, 32, L4_RIGHT_WRITE, 0x2, L4_CAP_INIT_CNODE));
    OK(l4_signal(a));
    OK(l4_signal(b2));
    l4_word_t bits = 0;
    OK(l4_wait(n, &bits));
    CHECK_EQ(bits, 0x3);
    /* re-badging a badged capability */
    CHECK_EQ(
        l4_cnode_mint(L4_CAP_INIT_CNODE, aa, 32, a, 32, L4_RIGHT_WRITE, 0x4, L4_CAP_INIT_CNODE),
        L4_ERR_ILLEGAL_OPERATION);
    /* badge on a frame: INVALID_ARGUMENT; badge 0 is fine */
    OK(mk(L4_OBJ_FRAME_4K, 0, fr));
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, fm, 32, fr, 32, L4_RIGHTS_ALL, 5, L4_CAP_INIT_CNODE),
             L4_ERR_INVALID_ARGUMENT);
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, fm, 32, fr, 32, L4_RIGHTS_ALL, 0, L4_CAP_INIT_CNODE));

    /* section 2 worked example */
    l4_cptr_t c = slots(2), c2 = c + 1, nn = slot(), g = slot(), d = slot(), d2 = slot();
    OK(mk(L4_OBJ_NOTIFICATION, 0, nn));
    OK(l4_untyped_retype(ut_big, L4_OBJ_CNODE, 4, 0, 0, c, 2, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(c2, 7, 4, nn, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(c, 5, 4, c2, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, g, 32, c, 32, L4_RIGHTS_ALL, 4 | (0xA << 5),
                     L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, d, 32, 0xA57, 12, L4_RIGHTS_ALL, g));
    OK(l4_signal(d));
    OK(l4_poll(nn, &bits));
    CHECK_EQ(bits, 1);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, d2, 32, 0xB57, 12, L4_RIGHTS_ALL, g),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, d2, 32, 0x52B, 11, L4_RIGHTS_ALL, g),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, d2, 32, 0x14AE, 13, L4_RIGHTS_ALL, g),
             L4_ERR_FAILED_LOOKUP);
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, d2, 32, 0xA5, 8, L4_RIGHTS_ALL, g));
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, slot(), 32, 0xA57, 33, L4_RIGHTS_ALL, g),
             L4_ERR_RANGE_ERROR);
    /* d2 is c2: its slot 7 is the notification */
    l4_cptr_t d3 = slot();
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, d3, 32, 7, 4, L4_RIGHT_WRITE, d2));
    OK(l4_signal(d3));
    OK(l4_poll(nn, &bits));
    CHECK_EQ(bits, 1);
    /* guard too large: 29 guard bits + radix 4 > 32 */
    CHECK_EQ(
        l4_cnode_mint(L4_CAP_INIT_CNODE, slot(), 32, c, 32, L4_RIGHTS_ALL, 29, L4_CAP_INIT_CNODE),
        L4_ERR_INVALID_ARGUMENT);
}

/* move: source emptied, keeps tree position; mutate: move + badge. */
static void test_cnode_move_mutate(void)
{
    l4_cptr_t n = slot(), cp = slot(), mv = slot(), mu = slot(), wo = slot(), wom = slot();
    l4_word_t bits;
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, cp, 32, n, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_cnode_move(L4_CAP_INIT_CNODE, mv, 32, cp, 32, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_signal(cp), L4_ERR_FAILED_LOOKUP);
    OK(l4_signal(mv));
    OK(l4_poll(n, &bits));
    CHECK_EQ(bits, 1);
    /* errors */
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, mv, 32, n, 32, L4_CAP_INIT_CNODE),
             L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, mu, 32, cp, 32, L4_CAP_INIT_CNODE),
             L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, mu, 40, mv, 32, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_move(L4_CAP_INIT_CNODE, mu, 32, mv, 32, n), L4_ERR_INVALID_CAPABILITY);
    /* mutate: move + set a badge */
    OK(l4_cnode_mutate(L4_CAP_INIT_CNODE, mu, 32, mv, 32, 0x10, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_signal(mv), L4_ERR_FAILED_LOOKUP);
    OK(l4_signal(mu));
    OK(l4_poll(n, &bits));
    CHECK_EQ(bits, 0x10);
    /* already badged */
    CHECK_EQ(l4_cnode_mutate(L4_CAP_INIT_CNODE, mv, 32, mu, 32, 0x20, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    /* rights are kept by mutate */
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, wo, 32, n, 32, L4_RIGHT_WRITE, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mutate(L4_CAP_INIT_CNODE, wom, 32, wo, 32, 0x2, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_poll(wom, &bits), L4_ERR_INSUFFICIENT_RIGHTS);
    /* badge on a type without badges */
    l4_cptr_t fr = slot(), fr2 = slot();
    OK(mk(L4_OBJ_FRAME_4K, 0, fr));
    CHECK_EQ(l4_cnode_mutate(L4_CAP_INIT_CNODE, fr2, 32, fr, 32, 7, L4_CAP_INIT_CNODE),
             L4_ERR_INVALID_ARGUMENT);
    /* moved copies keep their place in the tree: revoking the original
     * removes the mutated (moved) copy */
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, n, 32));
    CHECK_EQ(l4_signal(mu), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_signal(wom), L4_ERR_FAILED_LOOKUP);
    OK(l4_signal(n));
}

/* delete and revoke: copies withdrawn, chain of 50, errors. */
static void test_cnode_delete_revoke(void)
{
    l4_cptr_t e = slot(), a = slot(), b = slot(), cc = slot();
    l4_msg_t m = {0};
    OK(mk(L4_OBJ_ENDPOINT, 0, e));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, a, 32, e, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, b, 32, e, 32, L4_RIGHTS_ALL, 9, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, cc, 32, b, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, e, 32));
    CHECK_EQ(l4_nbrecv(a, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_nbrecv(b, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_nbrecv(cc, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_nbrecv(e, &m), L4_ERR_WOULD_BLOCK);
    /* a chain of 50 copies */
    l4_cptr_t ch = slots(50);
    l4_cptr_t prev = e;
    for (int i = 0; i < 50; i++) {
        OK(l4_cnode_copy(L4_CAP_INIT_CNODE, ch + i, 32, prev, 32, L4_RIGHTS_ALL,
                         L4_CAP_INIT_CNODE));
        prev = ch + i;
    }
    CHECK_EQ(l4_nbrecv(ch + 49, &m), L4_ERR_WOULD_BLOCK);
    /* revoke in the middle: deletes 25..49, keeps 0..24 */
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, ch + 24, 32));
    CHECK_EQ(l4_nbrecv(ch + 24, &m), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(l4_nbrecv(ch + 25, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_nbrecv(ch + 49, &m), L4_ERR_FAILED_LOOKUP);
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, e, 32));
    CHECK_EQ(l4_nbrecv(ch, &m), L4_ERR_FAILED_LOOKUP);
    /* delete: empty slot OK, one slot only */
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, a, 32));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, a, 32, e, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, e, 32));
    CHECK_EQ(l4_nbrecv(e, &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_nbrecv(a, &m), L4_ERR_WOULD_BLOCK);
    /* errors */
    CHECK_EQ(l4_cnode_delete(L4_CAP_INIT_CNODE, a, 33), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, a, 33), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_cnode_delete(L4_CAP_INIT_CNODE, 5000, 32), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_revoke(L4_CAP_INIT_CNODE, 5000, 32), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_cnode_delete(L4_CAP_INIT_CNODE, a, 0), L4_ERR_FAILED_LOOKUP);
}

/* ---- threads ---- */

static volatile l4_word_t t_counter, t_arg_seen, t_wait_err, t_wait_bits;

static void counter_thread(l4_word_t arg, l4_word_t self)
{
    t_arg_seen = arg;
    for (;;)
        t_counter++;
}

static void waiter_once(l4_word_t ntfn, l4_word_t self)
{
    l4_word_t bits = 0;
    t_wait_err = l4_wait(ntfn, &bits);
    t_wait_bits = bits;
    thread_exit(self);
}

static void test_thread_lifecycle(void)
{
    l4_cptr_t t = 0;
    OK(spawn(&t, counter_thread, 0x1234, 100, 0));
    /* the root (255) runs; the thread (100) is ready but does not run */
    CHECK_EQ(t_counter, 0);
    l4_word_t regs[L4_TCB_MAX_REGS];
    OK(l4_tcb_read_registers(t, 0, L4_TCB_MAX_REGS, regs));
    CHECK_EQ(regs[0], 0x1234);
    CHECK_EQ(regs[15], (l4_word_t)counter_thread);
    CHECK_EQ(regs[16] & 0x1f, 0x10);
    /* suspended, it does not run even when the root lets lower threads run */
    OK(l4_tcb_suspend(t));
    settle();
    CHECK_EQ(t_counter, 0);
    /* write registers: cpsr sanitised (mode user, A I F cleared, flags kept) */
    regs[16] = 0xf00001d3;
    OK(l4_tcb_write_registers(t, 0, L4_TCB_MAX_REGS, regs));
    OK(l4_tcb_read_registers(t, 0, L4_TCB_MAX_REGS, regs));
    CHECK_EQ(regs[16], 0xf0000010);
    /* resume; raise it to our priority (equal: no preemption), then yield:
     * it spins for its time slice, then round robin brings us back */
    OK(l4_tcb_resume(t));
    OK(l4_tcb_set_priority(t, 255, L4_CAP_INIT_TCB));
    CHECK_EQ(t_counter, 0);
    l4_yield();
    CHECK(t_counter > 0);
    CHECK_EQ(t_arg_seen, 0x1234);
    OK(l4_tcb_suspend(t));
    l4_word_t c1 = t_counter;
    l4_yield();
    CHECK_EQ(t_counter, c1);
    /* priority and mcp: errors */
    CHECK_EQ(l4_tcb_set_priority(t, 256, L4_CAP_INIT_TCB), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_mcp(t, 256, L4_CAP_INIT_TCB), L4_ERR_RANGE_ERROR);
    OK(l4_tcb_set_mcp(t, 100, L4_CAP_INIT_TCB));
    l4_cptr_t t2 = slot(), ep = slot();
    OK(mk(L4_OBJ_TCB, 0, t2));
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    OK(l4_tcb_set_priority(t2, 100, t));
    CHECK_EQ(l4_tcb_set_priority(t2, 101, t), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_set_mcp(t2, 101, t), L4_ERR_RANGE_ERROR);
    /* a new TCB has mcp 0: it authorises priority 0 only */
    CHECK_EQ(l4_tcb_set_priority(t, 1, t2), L4_ERR_RANGE_ERROR);
    OK(l4_tcb_set_priority(t, 0, t2));
    CHECK_EQ(l4_tcb_set_priority(t, 10, ep), L4_ERR_INVALID_CAPABILITY);
    /* read/write registers: count, self */
    CHECK_EQ(l4_tcb_read_registers(t, 0, 0, regs), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_read_registers(t, 0, 19, regs), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_write_registers(t, 0, 19, regs), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_tcb_read_registers(L4_CAP_INIT_TCB, 0, 1, regs), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_write_registers(L4_CAP_INIT_TCB, 0, 1, regs), L4_ERR_ILLEGAL_OPERATION);
    /* configure: errors */
    l4_cptr_t fr = slot();
    OK(mk(L4_OBJ_FRAME_4K, 0, fr));
    CHECK_EQ(l4_tcb_configure(L4_CAP_INIT_TCB, 0, 0, 0, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE,
                              L4_CAP_NULL),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_configure(t2, 0, 0, 0x40f00100, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, fr),
             L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_tcb_configure(t2, 0, 0, 0, ep, L4_CAP_INIT_VSPACE, L4_CAP_NULL),
             L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_configure(t2, 0, 0, 0, L4_CAP_INIT_CNODE, L4_CAP_INIT_CNODE, L4_CAP_NULL),
             L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_tcb_configure(t2, 0, 0, 0x40f00000, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, ep),
             L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(
        l4_tcb_configure(t2, 0, 0, 0x40f00000, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, L4_CAP_NULL),
        L4_ERR_FAILED_LOOKUP);
    /* resume of a never-configured thread */
    CHECK_EQ(l4_tcb_resume(t2), L4_ERR_ILLEGAL_OPERATION);
}

/* a thread blocked in wait, suspended, restarts its wait on resume; raising
 * a ready thread above the caller runs it at once. */
static void test_thread_suspend_restart_priority(void)
{
    l4_cptr_t n = slot(), t = 0;
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    t_wait_err = 0xff;
    OK(spawn(&t, waiter_once, n, 100, 0));
    settle(); /* it blocks in wait */
    CHECK_EQ(t_wait_err, 0xff);
    OK(l4_tcb_suspend(t)); /* aborts the wait */
    OK(l4_signal(n));      /* nobody waits: the word is set */
    settle();
    CHECK_EQ(t_wait_err, 0xff);                                     /* suspended: it did not run */
    OK(l4_tcb_resume(t));                                           /* ready at 100 */
    CHECK_EQ(t_wait_err, 0xff);                                     /* root 255 still runs */
    OK(l4_tcb_set_priority(t, 255, L4_CAP_INIT_TCB));               /* equal: no switch */
    OK(l4_tcb_set_priority(L4_CAP_INIT_TCB, 200, L4_CAP_INIT_TCB)); /* below it: runs now */
    CHECK_EQ(t_wait_err, L4_ERR_OK);
    CHECK_EQ(t_wait_bits, 1);
    OK(l4_tcb_set_priority(L4_CAP_INIT_TCB, 255, L4_CAP_INIT_TCB));
    /* resuming a thread that is not stopped (running/ready/blocked): nothing */
}

/* A thread whose CSpace is a 16-slot CNode with a 28-bit guard (cspace_data),
 * without an IPC buffer; the TCB keeps its own copy of the CNode capability. */
static volatile l4_word_t g_err1, g_err2;
static void guard_thread(l4_word_t mode, l4_word_t self)
{
    if (mode == 0) {
        g_err1 = l4_signal(3);          /* slot 3 */
        g_err2 = l4_signal(0x30000000); /* with the guard: fails */
    } else {
        g_err1 = l4_signal(0x30000000); /* no guard: slot 3 */
        g_err2 = l4_signal(3);          /* slot 0: empty */
    }
    for (;;)
        l4_tcb_suspend(self);
}

static void test_thread_cspace_guard(void)
{
    l4_cptr_t c = slot(), n = slot(), tcb = slot(), tcb2 = slot();
    l4_word_t bits;
    OK(mk(L4_OBJ_CNODE, 4, c));
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    OK(mk(L4_OBJ_TCB, 0, tcb));
    OK(mk(L4_OBJ_TCB, 0, tcb2));
    OK(l4_cnode_mint(c, 3, 4, n, 32, L4_RIGHT_WRITE, 0x40, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(c, 1, 4, tcb, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(c, 2, 4, tcb2, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    if (nthreads + 2 > MAX_THREADS)
        CHECK(0);
    l4_word_t i = nthreads;
    nthreads += 2;
    OK(l4_tcb_configure(tcb, 0, 28, 0, c, L4_CAP_INIT_VSPACE, L4_CAP_NULL));
    OK(l4_tcb_configure(tcb2, 0, 0, 0, c, L4_CAP_INIT_VSPACE, L4_CAP_NULL));
    /* the TCBs hold their own copies: delete ours */
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, c, 32));
    l4_word_t regs[L4_TCB_MAX_REGS] = {0};
    regs[0] = 0;
    regs[1] = 1; /* its own TCB at address 1 (guard) */
    regs[13] = (l4_word_t)&stacks[i][512];
    regs[15] = (l4_word_t)guard_thread;
    regs[16] = 0x10;
    OK(l4_tcb_set_priority(tcb, 100, L4_CAP_INIT_TCB));
    g_err1 = g_err2 = 0xff;
    OK(l4_tcb_write_registers(tcb, 1, L4_TCB_MAX_REGS, regs));
    settle();
    CHECK_EQ(g_err1, L4_ERR_OK);
    CHECK_EQ(g_err2, L4_ERR_FAILED_LOOKUP);
    OK(l4_poll(n, &bits));
    CHECK_EQ(bits, 0x40);
    /* without a guard, 4 bits at a time from the top */
    regs[0] = 1;
    regs[1] = 0x20000000; /* slot 2: its TCB */
    regs[13] = (l4_word_t)&stacks[i + 1][512];
    OK(l4_tcb_set_priority(tcb2, 100, L4_CAP_INIT_TCB));
    g_err1 = g_err2 = 0xff;
    OK(l4_tcb_write_registers(tcb2, 1, L4_TCB_MAX_REGS, regs));
    settle();
    CHECK_EQ(g_err1, L4_ERR_OK);
    CHECK_EQ(g_err2, L4_ERR_FAILED_LOOKUP);
    OK(l4_poll(n, &bits));
    CHECK_EQ(bits, 0x40);
}

/* ---- IPC ---- */

#define SRV_ROUNDS 4
static volatile l4_word_t s_badge[SRV_ROUNDS], s_info[SRV_ROUNDS], s_words[SRV_ROUNDS][64];
static volatile l4_word_t s_reply_err, s_final_err, s_rounds;

static void server_thread(l4_word_t ep, l4_word_t self)
{
    l4_msg_t m = {0};
    l4_word_t err = l4_recv(ep, &m);
    l4_word_t r = 0;
    while (err == L4_ERR_OK && r < SRV_ROUNDS) {
        s_badge[r] = m.badge;
        s_info[r] = m.info;
        l4_word_t len = l4_msginfo_length(m.info);
        for (l4_word_t i = 0; i < len && i < 64; i++)
            s_words[r][i] = i < 4 ? m.mr[i] : l4_get_mr(i);
        s_rounds = r + 1;
        /* reply: label 0x100 + r, 8 words (i+1) * 0x1111 + r */
        l4_word_t rw[8];
        for (int i = 0; i < 8; i++)
            rw[i] = (l4_word_t)(i + 1) * 0x1111u + r;
        m = (l4_msg_t){.info = l4_msginfo(0x100 + r, 0, 8), .mr = {rw[0], rw[1], rw[2], rw[3]}};
        for (int i = 4; i < 8; i++)
            l4_set_mr(i, rw[i]);
        if (r == 0) {
            s_reply_err = l4_reply(&m);
            m = (l4_msg_t){0};
            err = l4_recv(ep, &m);
        } else {
            err = l4_reply_recv(ep, &m);
        }
        r++;
    }
    s_final_err = err;
    thread_exit(self);
}

static void test_ipc_call_reply_long(void)
{
    l4_cptr_t ep = slot(), eb = slot(), ro = slot(), t = 0;
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, eb, 32, ep, 32, L4_RIGHTS_ALL, 0x55, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, ro, 32, ep, 32, L4_RIGHT_READ, L4_CAP_INIT_CNODE));
    OK(spawn(&t, server_thread, ep, 100, 0));
    /* round 0: 10 words, server answers with reply */
    l4_msg_t m = {.info = l4_msginfo(7, 0, 10), .mr = {1, 2, 3, 4}};
    for (int i = 4; i < 10; i++)
        l4_set_mr(i, (l4_word_t)i + 1);
    OK(l4_call(eb, &m));
    CHECK_EQ(l4_msginfo_label(m.info), 0x100);
    CHECK_EQ(l4_msginfo_length(m.info), 8);
    CHECK_EQ(m.badge, 0);
    for (int i = 0; i < 8; i++)
        CHECK_EQ(i < 4 ? m.mr[i] : l4_get_mr(i), (l4_word_t)(i + 1) * 0x1111u);
    CHECK_EQ(s_rounds, 1);
    CHECK_EQ(s_badge[0], 0x55);
    CHECK_EQ(l4_msginfo_label(s_info[0]), 7);
    CHECK_EQ(l4_msginfo_length(s_info[0]), 10);
    for (int i = 0; i < 10; i++)
        CHECK_EQ(s_words[0][i], (l4_word_t)i + 1);
    /* round 1: 64 words (the maximum), unbadged cap, server uses reply_recv */
    m = (l4_msg_t){.info = l4_msginfo(8, 0, 64), .mr = {0xa0, 0xa1, 0xa2, 0xa3}};
    for (int i = 4; i < 64; i++)
        l4_set_mr(i, 0xa0u + i);
    OK(l4_call(ep, &m));
    CHECK_EQ(l4_msginfo_label(m.info), 0x101);
    CHECK_EQ(l4_msginfo_length(m.info), 8);
    for (int i = 0; i < 8; i++)
        CHECK_EQ(i < 4 ? m.mr[i] : l4_get_mr(i), (l4_word_t)(i + 1) * 0x1111u + 1);
    CHECK_EQ(s_reply_err, L4_ERR_OK);
    CHECK_EQ(s_rounds, 2);
    CHECK_EQ(s_badge[1], 0);
    CHECK_EQ(l4_msginfo_length(s_info[1]), 64);
    for (int i = 0; i < 64; i++)
        CHECK_EQ(s_words[1][i], 0xa0u + i);
    /* the server is waiting: a call without WRITE is refused, nothing sent */
    m = (l4_msg_t){.info = l4_msginfo(9, 0, 1), .mr = {1}};
    CHECK_EQ(l4_call(ro, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_send(ro, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    CHECK_EQ(l4_nbsend(ro, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    /* 65 words: INVALID_ARGUMENT, nothing sent */
    m = (l4_msg_t){.info = l4_msginfo(9, 0, 65)};
    CHECK_EQ(l4_nbsend(ep, &m), L4_ERR_INVALID_ARGUMENT);
    settle();
    CHECK_EQ(s_rounds, 2);
    /* round 2 (label 10, short) still works */
    m = (l4_msg_t){.info = l4_msginfo(10, 0, 2), .mr = {5, 6}};
    OK(l4_call(eb, &m));
    CHECK_EQ(l4_msginfo_label(m.info), 0x102);
    CHECK_EQ(s_rounds, 3);
    CHECK_EQ(s_badge[2], 0x55);
    CHECK_EQ(l4_msginfo_label(s_info[2]), 10);
    /* nbsend succeeds when a receiver is waiting (the server, round 3) */
    m = (l4_msg_t){.info = l4_msginfo(11, 0, 1), .mr = {77}};
    OK(l4_nbsend(eb, &m));
    settle();
    CHECK_EQ(s_rounds, 4);
    CHECK_EQ(l4_msginfo_label(s_info[3]), 11);
    CHECK_EQ(s_words[3][0], 77);
    CHECK_EQ(s_badge[3], 0x55);
    OK(l4_tcb_suspend(t));
}

/* The root is the server: recv, save_caller, reply later via the reply cap. */
static volatile l4_word_t c_err, c_info, c_words[8], c_done;
static l4_cptr_t c_ep;

static void client_thread(l4_word_t arg, l4_word_t self)
{
    l4_msg_t m = {.info = l4_msginfo(0x33, 0, 6), .mr = {10, 11, 12, 13}};
    l4_set_mr(4, 14);
    l4_set_mr(5, 15);
    c_err = l4_call(c_ep, &m);
    c_info = m.info;
    for (int i = 0; i < 5; i++)
        c_words[i] = i < 4 ? m.mr[i] : l4_get_mr(i);
    c_done = 1;
    thread_exit(self);
}

static void test_ipc_root_server_save_caller(void)
{
    l4_cptr_t ep = slot(), eb = slot(), wo = slot(), rc = slot(), rc2 = slot(), t = 0, t2;
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, eb, 32, ep, 32, L4_RIGHT_WRITE, 0x66, L4_CAP_INIT_CNODE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, wo, 32, ep, 32, L4_RIGHT_WRITE, L4_CAP_INIT_CNODE));
    c_ep = eb;
    l4_msg_t m = {0};
    /* no pending caller */
    CHECK_EQ(l4_cnode_save_caller(L4_CAP_INIT_CNODE, rc, 32), L4_ERR_ILLEGAL_OPERATION);
    m = (l4_msg_t){.info = l4_msginfo(1, 0, 0)};
    CHECK_EQ(l4_reply(&m), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
    m = (l4_msg_t){.info = l4_msginfo(1, 0, 0)};
    CHECK_EQ(l4_nbsend(ep, &m), L4_ERR_WOULD_BLOCK);
    OK(spawn(&t, client_thread, 0, 100, 0));
    settle(); /* the client blocks calling */
    /* receive side without READ */
    m = (l4_msg_t){0};
    CHECK_EQ(l4_nbrecv(wo, &m), L4_ERR_INSUFFICIENT_RIGHTS);
    m = (l4_msg_t){0};
    l4_word_t e = l4_reply_recv(wo, &m);
    CHECK_EQ(e, L4_ERR_INSUFFICIENT_RIGHTS);
    m = (l4_msg_t){0};
    OK(l4_recv(ep, &m));
    CHECK_EQ(m.badge, 0x66);
    CHECK_EQ(l4_msginfo_label(m.info), 0x33);
    CHECK_EQ(l4_msginfo_length(m.info), 6);
    CHECK_EQ(m.mr[0], 10);
    CHECK_EQ(m.mr[3], 13);
    CHECK_EQ(l4_get_mr(4), 14);
    CHECK_EQ(l4_get_mr(5), 15);
    OK(l4_cnode_save_caller(L4_CAP_INIT_CNODE, rc, 32));
    l4_msg_t r = {.info = l4_msginfo(1, 0, 0)};
    CHECK_EQ(l4_reply(&r), L4_ERR_ILLEGAL_OPERATION); /* moved out */
    /* a reply cap cannot be copied or minted, can be moved; recv on it fails */
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, rc2, 32, rc, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_cnode_mint(L4_CAP_INIT_CNODE, rc2, 32, rc, 32, L4_RIGHTS_ALL, 0, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    m = (l4_msg_t){0};
    CHECK_EQ(l4_nbrecv(rc, &m), L4_ERR_INVALID_CAPABILITY);
    OK(l4_cnode_move(L4_CAP_INIT_CNODE, rc2, 32, rc, 32, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_cnode_save_caller(L4_CAP_INIT_CNODE, rc, 32), L4_ERR_ILLEGAL_OPERATION);
    settle();
    CHECK_EQ(c_done, 0); /* still waiting for the reply */
    r = (l4_msg_t){.info = l4_msginfo(0x44, 0, 5), .mr = {20, 21, 22, 23}};
    l4_set_mr(4, 24);
    OK(l4_send(rc2, &r));
    r = (l4_msg_t){.info = l4_msginfo(0x45, 0, 0)};
    CHECK_EQ(l4_send(rc2, &r), L4_ERR_FAILED_LOOKUP); /* used up */
    settle();
    CHECK_EQ(c_done, 1);
    CHECK_EQ(c_err, L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(c_info), 0x44);
    CHECK_EQ(l4_msginfo_length(c_info), 5);
    CHECK_EQ(c_words[0], 20);
    CHECK_EQ(c_words[4], 24);
    /* save_caller into an occupied slot */
    c_done = 0;
    OK(spawn(&t2, client_thread, 0, 100, 0));
    m = (l4_msg_t){0};
    OK(l4_recv(ep, &m));
    CHECK_EQ(l4_cnode_save_caller(L4_CAP_INIT_CNODE, ep, 32), L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_cnode_save_caller(L4_CAP_INIT_CNODE, rc, 33), L4_ERR_RANGE_ERROR);
    r = (l4_msg_t){.info = l4_msginfo(0x46, 0, 0)};
    OK(l4_reply(&r)); /* still pending after the failed save_caller */
    settle();
    CHECK_EQ(c_done, 1);
    CHECK_EQ(l4_msginfo_label(c_info), 0x46);
}

/* IPC errors on odd capabilities; OBJECT_DELETED for blocked senders. */
static volatile l4_word_t q_err;
static void sender_thread(l4_word_t ep, l4_word_t self)
{
    l4_msg_t m = {.info = l4_msginfo(1, 0, 1), .mr = {1}};
    q_err = l4_send(ep, &m);
    thread_exit(self);
}

static void test_ipc_errors_object_deleted(void)
{
    l4_cptr_t ep = slot(), t = 0, fr = slot();
    l4_msg_t m = {0};
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    OK(mk(L4_OBJ_FRAME_4K, 0, fr));
    CHECK_EQ(l4_nbrecv(L4_CAP_INIT_TCB, &m), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_nbrecv(fr, &m), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_recv(L4_CAP_INIT_TCB, &m), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_recv(fr, &m), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_recv(slot(), &m), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_recv(L4_CAP_NULL, &m), L4_ERR_FAILED_LOOKUP);
    m = (l4_msg_t){.info = l4_msginfo(1, 0, 0)};
    CHECK_EQ(l4_send(5000, &m), L4_ERR_FAILED_LOOKUP);
    q_err = 0xff;
    OK(spawn(&t, sender_thread, ep, 100, 0));
    settle();
    CHECK_EQ(q_err, 0xff);                          /* blocked sending */
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, ep, 32)); /* last cap: destroyed */
    settle();
    CHECK_EQ(q_err, L4_ERR_OBJECT_DELETED);
}

/* The machine capability (api.md section 4 and 6, Machine), the rights a
 * frame given as IPC buffer needs (tcb_configure), lines IRQ control never
 * hands out (irq_control_get). */
static void test_machine_and_hardening(void)
{
    char line[L4_MACHINE_CONSOLE_MAX];
    for (unsigned i = 0; i < sizeof line; i++)
        line[i] = '-';
    line[sizeof line - 1] = '\n';
    OK(l4_machine_console_write(L4_CAP_MACHINE, sizeof line, line));
    l4_word_t mr[2] = {L4_MACHINE_CONSOLE_MAX + 1, 0};
    CHECK_EQ(l4_invoke(L4_CAP_MACHINE, L4_MACHINE_CONSOLE_WRITE, mr, 2, 0, 0, 0, 0),
             L4_ERR_RANGE_ERROR);
    l4_cptr_t con = slot(), t = slot(), f = slot(), ro = slot(), h = slot();
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, con, 32, L4_CAP_MACHINE, 32, L4_RIGHT_WRITE,
                     L4_CAP_INIT_CNODE));
    OK(l4_machine_console_write(con, 1, "\n"));
    CHECK_EQ(l4_machine_shutdown(con, 7), L4_ERR_INSUFFICIENT_RIGHTS);
    OK(mk(L4_OBJ_TCB, 0, t));
    OK(mk(L4_OBJ_FRAME_4K, 0, f));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, ro, 32, f, 32, L4_RIGHT_READ, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_tcb_configure(t, 0, 0, 0x40000000u, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, ro),
             L4_ERR_INSUFFICIENT_RIGHTS);
    OK(l4_tcb_configure(t, 0, 0, 0x40000000u, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, f));
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 3, h, 32, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR); /* an SGI */
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 29, h, 32, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR); /* a PPI */
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 27, h, 32, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR); /* the virtual timer's PPI: CNTV_* are not PL0's */
}

/* A call whose reply right is deleted unused returns REPLY_LOST (api.md,
 * call and cnode_save_caller). */
static volatile l4_word_t rl_err, rl_info;
static void rl_caller(l4_word_t ep, l4_word_t self)
{
    l4_msg_t m = {.info = l4_msginfo(1, 0, 0)};
    rl_err = l4_call(ep, &m);
    rl_info = m.info;
    thread_exit(self);
}

static void test_ipc_reply_lost(void)
{
    l4_cptr_t ep = slot(), rc = slot(), t = 0;
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    rl_err = 0xff;
    OK(spawn(&t, rl_caller, ep, 100, 0));
    settle();
    l4_msg_t m = {0};
    OK(l4_nbrecv(ep, &m));
    OK(l4_cnode_save_caller(L4_CAP_INIT_CNODE, rc, 32));
    settle();
    CHECK_EQ(rl_err, 0xff); /* still waiting for the reply */
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, rc, 32));
    settle();
    CHECK_EQ(rl_err, L4_ERR_REPLY_LOST);
    CHECK_EQ(l4_msginfo_from_kernel(rl_info), 1);
}

/* Capability transfer with and without GRANT. */
#define RCV_ROUNDS 4
static volatile l4_word_t r_err[RCV_ROUNDS], r_info[RCV_ROUNDS], r_cb0[RCV_ROUNDS],
    r_cb1[RCV_ROUNDS], r_badge[RCV_ROUNDS], r_w0[RCV_ROUNDS], r_rounds;
static l4_cptr_t r_slot[RCV_ROUNDS];

static void receiver_thread(l4_word_t ep, l4_word_t self)
{
    for (int i = 0; i < RCV_ROUNDS; i++) {
        l4_set_receive_slot(L4_CAP_INIT_CNODE, r_slot[i], 32);
        l4_msg_t m = {0};
        r_err[i] = l4_recv(ep, &m);
        r_info[i] = m.info;
        r_badge[i] = m.badge;
        r_w0[i] = m.mr[0];
        r_cb0[i] = l4_get_cap_badge(0);
        r_cb1[i] = l4_get_cap_badge(1);
        r_rounds = i + 1;
    }
    thread_exit(self);
}

static void test_ipc_cap_transfer_grant(void)
{
    l4_cptr_t ep = slot(), eg = slot(), enog = slot(), n = slot(), nb = slot(), e2 = slot();
    l4_cptr_t t = 0, occ = slot();
    l4_word_t bits;
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    OK(mk(L4_OBJ_ENDPOINT, 0, e2));
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    OK(mk(L4_OBJ_NOTIFICATION, 0, occ));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, eg, 32, ep, 32, L4_RIGHTS_ALL, 0x5, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, enog, 32, ep, 32, L4_RIGHT_WRITE, 0x6, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, nb, 32, n, 32, L4_RIGHT_WRITE, 0x20, L4_CAP_INIT_CNODE));
    r_slot[0] = slots(2);
    r_slot[1] = slot();
    r_slot[2] = occ;
    r_slot[3] = slot();
    OK(spawn(&t, receiver_thread, ep, 100, 0));
    settle();
    /* round 0: two caps through a GRANT cap */
    l4_set_cap(0, nb);
    l4_set_cap(1, e2);
    l4_msg_t m = {.info = l4_msginfo(1, 2, 1), .mr = {0x100}};
    OK(l4_send(eg, &m));
    settle();
    CHECK_EQ(r_rounds, 1);
    CHECK_EQ(r_err[0], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_caps(r_info[0]), 2);
    CHECK_EQ(r_badge[0], 0x5);
    CHECK_EQ(r_w0[0], 0x100);
    CHECK_EQ(r_cb0[0], 0x20);
    CHECK_EQ(r_cb1[0], 0);
    OK(l4_signal(r_slot[0])); /* a working copy of nb */
    OK(l4_poll(n, &bits));
    CHECK_EQ(bits, 0x20);
    CHECK_EQ(l4_poll(r_slot[0], &bits), L4_ERR_INSUFFICIENT_RIGHTS); /* WRITE only */
    m = (l4_msg_t){0};
    CHECK_EQ(l4_nbrecv(r_slot[0] + 1, &m), L4_ERR_WOULD_BLOCK); /* the endpoint */
    OK(l4_signal(nb));                                          /* the sender keeps its own */
    OK(l4_poll(n, &bits));
    /* round 1: no GRANT -> delivered without caps */
    l4_set_cap(0, nb);
    m = (l4_msg_t){.info = l4_msginfo(2, 1, 1), .mr = {0x200}};
    OK(l4_send(enog, &m));
    settle();
    CHECK_EQ(r_rounds, 2);
    CHECK_EQ(r_err[1], L4_ERR_OK);
    CHECK_EQ(r_w0[1], 0x200);
    CHECK_EQ(r_badge[1], 0x6);
    CHECK_EQ(l4_msginfo_caps(r_info[1]), 0);
    CHECK_EQ(l4_signal(r_slot[1]), L4_ERR_FAILED_LOOKUP);
    /* round 2: occupied receive slot -> dropped silently */
    l4_set_cap(0, nb);
    m = (l4_msg_t){.info = l4_msginfo(3, 1, 1), .mr = {0x300}};
    OK(l4_send(eg, &m));
    settle();
    CHECK_EQ(r_rounds, 3);
    CHECK_EQ(r_w0[2], 0x300);
    CHECK_EQ(l4_msginfo_caps(r_info[2]), 0);
    /* a cap that does not resolve: FAILED_LOOKUP, nothing sent */
    l4_set_cap(0, slot());
    m = (l4_msg_t){.info = l4_msginfo(4, 1, 1), .mr = {0x400}};
    CHECK_EQ(l4_send(eg, &m), L4_ERR_FAILED_LOOKUP);
    settle();
    CHECK_EQ(r_rounds, 3);
    m = (l4_msg_t){.info = l4_msginfo(5, 0, 1), .mr = {0x500}};
    OK(l4_send(eg, &m));
    settle();
    CHECK_EQ(r_rounds, 4);
    CHECK_EQ(r_w0[3], 0x500);
    /* the transferred cap is a child of the sender's: revoke withdraws it */
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, nb, 32));
    CHECK_EQ(l4_signal(r_slot[0]), L4_ERR_FAILED_LOOKUP);
    OK(l4_signal(nb));
}

/* ---- notifications ---- */

static volatile l4_word_t w_err[4], w_bits[4], w_n;
static void waiter_thread(l4_word_t ntfn, l4_word_t self)
{
    for (int i = 0; i < 4; i++) {
        l4_word_t b = 0;
        w_err[i] = l4_wait(ntfn, &b);
        w_bits[i] = b;
        w_n = i + 1;
        if (w_err[i] != L4_ERR_OK)
            break;
    }
    thread_exit(self);
}

static void test_notification_signal_wait_poll(void)
{
    l4_cptr_t n = slot(), b1 = slot(), b2 = slot(), b4 = slot(), t = 0;
    l4_word_t bits = 0xdead;
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, b1, 32, n, 32, L4_RIGHT_WRITE, 0x1, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, b2, 32, n, 32, L4_RIGHT_WRITE, 0x2, L4_CAP_INIT_CNODE));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, b4, 32, n, 32, L4_RIGHT_WRITE, 0x4, L4_CAP_INIT_CNODE));
    /* signals accumulate (OR); poll returns and clears */
    OK(l4_signal(b2));
    OK(l4_signal(b4));
    OK(l4_signal(b4));
    OK(l4_poll(n, &bits));
    CHECK_EQ(bits, 0x6);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    /* wait with the word already set returns at once */
    OK(l4_signal(b1));
    OK(l4_wait(n, &bits));
    CHECK_EQ(bits, 0x1);
    /* a blocked waiter */
    OK(spawn(&t, waiter_thread, n, 100, 0));
    settle();
    CHECK_EQ(w_n, 0);
    OK(l4_signal(b2));
    settle();
    CHECK_EQ(w_n, 1);
    CHECK_EQ(w_bits[0], 0x2);
    /* the first signal wakes the waiter with the word (cleared); the second
     * sets the word again */
    OK(l4_signal(b1));
    OK(l4_signal(b4));
    settle();
    CHECK_EQ(w_n, 3);
    CHECK_EQ(w_bits[1], 0x1);
    CHECK_EQ(w_bits[2], 0x4);
    /* destroying the notification: the waiter returns OBJECT_DELETED */
    OK(l4_cnode_revoke(L4_CAP_INIT_CNODE, n, 32));
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, n, 32));
    settle();
    CHECK_EQ(w_n, 4);
    CHECK_EQ(w_err[3], L4_ERR_OBJECT_DELETED);
}

static volatile l4_word_t bnd_err[3], bnd_label[3], bnd_badge[3], bnd_kernel[3], bnd_n;
static void bound_thread(l4_word_t ep, l4_word_t self)
{
    for (int i = 0; i < 3; i++) {
        l4_msg_t m = {0};
        bnd_err[i] = l4_recv(ep, &m);
        bnd_label[i] = l4_msginfo_label(m.info);
        bnd_kernel[i] = l4_msginfo_from_kernel(m.info);
        bnd_badge[i] = m.badge;
        bnd_n = i + 1;
    }
    thread_exit(self);
}

static void test_notification_bound(void)
{
    l4_cptr_t ep = slot(), n = slot(), nb = slot(), t = 0, other = slot(), n2 = slot();
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    OK(mk(L4_OBJ_NOTIFICATION, 0, n2));
    OK(mk(L4_OBJ_TCB, 0, other));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, nb, 32, n, 32, L4_RIGHT_WRITE, 0x8, L4_CAP_INIT_CNODE));
    OK(spawn(&t, bound_thread, ep, 100, 0));
    CHECK_EQ(l4_tcb_unbind_notification(t), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_bind_notification(t, ep), L4_ERR_INVALID_CAPABILITY);
    OK(l4_tcb_bind_notification(t, n));
    CHECK_EQ(l4_tcb_bind_notification(t, n2), L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_bind_notification(other, n), L4_ERR_ILLEGAL_OPERATION);
    settle();
    CHECK_EQ(bnd_n, 0);
    OK(l4_signal(nb));
    settle();
    CHECK_EQ(bnd_n, 1);
    CHECK_EQ(bnd_err[0], L4_ERR_OK);
    CHECK_EQ(bnd_label[0], L4_LABEL_NOTIFICATION);
    CHECK_EQ(bnd_kernel[0], 1);
    CHECK_EQ(bnd_badge[0], 0x8);
    /* a message with the same label is not a signal: no kernel flag */
    l4_msg_t m = {.info = l4_msginfo(L4_LABEL_NOTIFICATION, 0, 0)};
    OK(l4_send(ep, &m));
    settle();
    CHECK_EQ(bnd_n, 2);
    CHECK_EQ(bnd_label[1], L4_LABEL_NOTIFICATION);
    CHECK_EQ(bnd_kernel[1], 0);
    /* and a sender cannot set the flag */
    m = (l4_msg_t){.info = l4_msginfo(3, 0, 0) | L4_MSG_FROM_KERNEL};
    CHECK_EQ(l4_send(ep, &m), L4_ERR_INVALID_ARGUMENT);
    /* already signalled before the recv */
    OK(l4_tcb_suspend(t));
    OK(l4_signal(nb));
    OK(l4_tcb_resume(t)); /* restarts its recv */
    settle();
    CHECK_EQ(bnd_n, 3);
    CHECK_EQ(bnd_label[2], L4_LABEL_NOTIFICATION);
    CHECK_EQ(bnd_badge[2], 0x8);
    OK(l4_tcb_unbind_notification(t));
    CHECK_EQ(l4_tcb_unbind_notification(t), L4_ERR_ILLEGAL_OPERATION);
    OK(l4_tcb_bind_notification(other, n));
}

/* ---- memory ---- */

#define MAP_VA 0x40100000u

static void test_frame_map_rw(void)
{
    l4_cptr_t pt = slot(), f = slot(), fc = slot(), f64 = slot(), f1m = slot(), fro = slot();
    l4_cptr_t f2 = slot();
    OK(mk(L4_OBJ_PAGE_TABLE, 0, pt));
    OK(mk(L4_OBJ_FRAME_4K, 0, f));
    OK(mk(L4_OBJ_FRAME_4K, 0, f2));
    OK(mk(L4_OBJ_FRAME_64K, 0, f64));
    OK(mk(L4_OBJ_FRAME_1M, 0, f1m));
    /* no page table yet */
    CHECK_EQ(l4_frame_map(f, MAP_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_NOT_MAPPED);
    OK(l4_page_table_map(pt, MAP_VA, 0, L4_CAP_INIT_VSPACE));
    OK(l4_frame_map(f, MAP_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    volatile l4_word_t *p = (volatile l4_word_t *)MAP_VA;
    for (int i = 0; i < 1024; i++)
        CHECK_EQ(p[i], 0); /* zeroed */
    p[0] = 0xcafef00d;
    p[1023] = 0x12345678;
    CHECK_EQ(p[0], 0xcafef00d);
    /* a copy of the cap maps the same frame elsewhere */
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, fc, 32, f, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE));
    OK(l4_frame_map(fc, MAP_VA + 0x1000, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    volatile l4_word_t *q = (volatile l4_word_t *)(MAP_VA + 0x1000);
    CHECK_EQ(q[0], 0xcafef00d);
    CHECK_EQ(q[1023], 0x12345678);
    q[5] = 55;
    CHECK_EQ(p[5], 55);
    l4_word_t pa1, pa2;
    OK(l4_frame_get_address(f, &pa1));
    OK(l4_frame_get_address(fc, &pa2));
    CHECK_EQ(pa1, pa2);
    /* errors */
    CHECK_EQ(l4_frame_map(f, MAP_VA + 0x2000, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(l4_frame_map(f2, MAP_VA, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE), L4_ERR_ALREADY_MAPPED);
    CHECK_EQ(l4_frame_map(f2, MAP_VA + 0x2800, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_frame_map(f64, MAP_VA + 0x1000, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ALIGNMENT_ERROR);
    CHECK_EQ(l4_frame_map(f2, MAP_VA + 0x2000, L4_RIGHT_READ, 0x4, L4_CAP_INIT_VSPACE),
             L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(l4_frame_map(f2, MAP_VA + 0x2000, L4_RIGHT_READ, 0, L4_CAP_INIT_TCB),
             L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_frame_map(f1m, 0x80000000u, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_frame_map(f1m, MAP_VA, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ALREADY_MAPPED); /* the MiB has a page table */
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, fro, 32, f2, 32, L4_RIGHT_WRITE, L4_CAP_INIT_CNODE));
    CHECK_EQ(
        l4_frame_map(fro, MAP_VA + 0x2000, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE),
        L4_ERR_INSUFFICIENT_RIGHTS);
    /* page table errors */
    CHECK_EQ(l4_page_table_map(pt, MAP_VA + 0x100000, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ALREADY_MAPPED); /* this table is mapped */
    l4_cptr_t pt2 = slot();
    OK(mk(L4_OBJ_PAGE_TABLE, 0, pt2));
    CHECK_EQ(l4_page_table_map(pt2, MAP_VA + 0x5000, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ALREADY_MAPPED); /* the MiB has one */
    CHECK_EQ(l4_page_table_map(pt2, 0x80000000u, 0, L4_CAP_INIT_VSPACE), L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_page_table_map(pt2, 0x40300000u, 0, L4_CAP_INIT_TCB), L4_ERR_INVALID_CAPABILITY);
    /* frame_map on a page table: not a method */
    CHECK_EQ(l4_frame_map(pt2, 0x40300000u, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ILLEGAL_OPERATION);
    /* 64 KiB frame through the page table */
    OK(l4_frame_map(f64, MAP_VA + 0x10000, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    volatile l4_word_t *r = (volatile l4_word_t *)(MAP_VA + 0x10000);
    r[0] = 1;
    r[16383] = 2;
    CHECK_EQ(r[0] + r[16383], 3);
    CHECK_EQ(l4_frame_map(f2, MAP_VA + 0x1f000, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ALREADY_MAPPED); /* inside the 64 KiB mapping */
    /* 1 MiB section, no page table needed */
    OK(l4_frame_map(f1m, 0x40200000u, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    volatile l4_word_t *s = (volatile l4_word_t *)0x40200000u;
    s[0] = 0x11;
    s[262143] = 0x22;
    CHECK_EQ(s[0] + s[262143], 0x33);
    CHECK_EQ(l4_page_table_map(pt2, 0x40200000u, 0, L4_CAP_INIT_VSPACE), L4_ERR_ALREADY_MAPPED);
    /* unmap, map another frame at the same address: seen at once */
    OK(l4_frame_unmap(f));
    OK(l4_frame_unmap(f)); /* unmapped: no-op */
    OK(l4_frame_map(f2, MAP_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    CHECK_EQ(p[0], 0);
    CHECK_EQ(q[0], 0xcafef00d); /* the copy's mapping is unaffected */
    /* page_table_unmap unmaps its frames: they can be mapped again */
    OK(l4_page_table_unmap(pt));
    OK(l4_page_table_unmap(pt));
    OK(l4_page_table_map(pt2, MAP_VA, 0, L4_CAP_INIT_VSPACE));
    OK(l4_frame_map(fc, MAP_VA + 0x3000, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    CHECK_EQ(((volatile l4_word_t *)(MAP_VA + 0x3000))[5], 55);
    /* a directory's destruction unmaps its tables and frames */
    l4_cptr_t pd = slot(), pt3 = slot(), f3 = slot();
    OK(mk(L4_OBJ_PAGE_DIRECTORY, 0, pd));
    OK(mk(L4_OBJ_PAGE_TABLE, 0, pt3));
    OK(mk(L4_OBJ_FRAME_4K, 0, f3));
    OK(l4_page_table_map(pt3, 0x40000000u, 0, pd));
    OK(l4_frame_map(f3, 0x40000000u, L4_RIGHT_READ, 0, pd));
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, pd, 32));
    OK(l4_page_table_map(pt3, 0x40400000u, 0, L4_CAP_INIT_VSPACE));
    OK(l4_frame_map(f3, 0x40400000u, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE));
    CHECK_EQ(*(volatile l4_word_t *)0x40400000u, 0);
}

/* ---- faults ---- */

#define FAULT_VA 0x40500000u /* a MiB without a page table */
#define RO_VA 0x40600000u    /* read-only page */
static volatile l4_word_t f_value, f_stage;
extern char f_load_insn[], f_store_insn[], f_udf_insn[], f_svc_insn[];

__attribute__((noinline, noclone)) static void fault_thread(l4_word_t arg, l4_word_t self)
{
    register l4_word_t v __asm__("r4");
    register l4_word_t a __asm__("r5") = FAULT_VA;
    __asm__ volatile(".global f_load_insn\nf_load_insn: ldr %0, [%1]"
                     : "=r"(v)
                     : "r"(a)
                     : "memory");
    f_value = v;
    f_stage = 1;
    register l4_word_t w __asm__("r4") = 0x1234;
    register l4_word_t b __asm__("r5") = RO_VA;
    __asm__ volatile(".global f_store_insn\nf_store_insn: str %0, [%1]" ::"r"(w), "r"(b)
                     : "memory");
    f_stage = 2;
    __asm__ volatile(".global f_udf_insn\nf_udf_insn: .word 0xe7f000f0" ::: "memory");
    f_stage = 3;
    register l4_word_t r7 __asm__("r7") = 99;
    __asm__ volatile(".global f_svc_insn\nf_svc_insn: svc #0"
                     : "+r"(r7)::"r0", "r1", "r2", "r3", "r4", "r5", "r6", "memory");
    f_stage = 4;
    thread_exit(self);
}

static void test_fault_endpoint(void)
{
    l4_cptr_t ep = slot(), fe = slot(), t = 0;
    l4_cptr_t pt = slot(), fr = slot(), pt2 = slot(), ro = slot(), rof = slot();
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, fe, 32, ep, 32, L4_RIGHT_WRITE, 0x77, L4_CAP_INIT_CNODE));
    OK(mk(L4_OBJ_PAGE_TABLE, 0, pt));
    OK(mk(L4_OBJ_FRAME_4K, 0, fr));
    OK(mk(L4_OBJ_PAGE_TABLE, 0, pt2));
    OK(mk(L4_OBJ_FRAME_4K, 0, ro));
    /* the read-only page */
    OK(l4_page_table_map(pt2, RO_VA, 0, L4_CAP_INIT_VSPACE));
    OK(l4_cnode_copy(L4_CAP_INIT_CNODE, rof, 32, ro, 32, L4_RIGHT_READ, L4_CAP_INIT_CNODE));
    OK(l4_frame_map(rof, RO_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    CHECK_EQ(*(volatile l4_word_t *)RO_VA, 0);
    OK(spawn(&t, fault_thread, 0, 100, fe));
    settle(); /* it faults; the kernel calls fe for it */
    l4_msg_t m = {0};
    OK(l4_nbrecv(ep, &m));
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.badge, 0x77);
    CHECK_EQ(m.mr[0], (l4_word_t)f_load_insn);
    CHECK_EQ(m.mr[1], FAULT_VA);
    CHECK_EQ(((m.mr[2] >> 6) & 0x10) | (m.mr[2] & 0xf), 0x5); /* section translation */
    CHECK_EQ(m.mr[2] & (1u << 11), 0);                        /* a read */
    CHECK_EQ(m.mr[3], 0);
    CHECK_EQ(f_stage, 0);
    /* map it and restart */
    OK(l4_page_table_map(pt, FAULT_VA, 0, L4_CAP_INIT_VSPACE));
    OK(l4_frame_map(fr, FAULT_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE));
    *(volatile l4_word_t *)FAULT_VA = 0xfeedbeef;
    m = (l4_msg_t){.info = l4_msginfo(L4_FAULT_REPLY_RESTART, 0, 0)};
    OK(l4_reply(&m));
    settle();
    CHECK_EQ(f_value, 0xfeedbeef);
    CHECK_EQ(f_stage, 1);
    /* the write to the read-only page: permission fault, WnR */
    m = (l4_msg_t){0};
    OK(l4_nbrecv(ep, &m));
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[0], (l4_word_t)f_store_insn);
    CHECK_EQ(m.mr[1], RO_VA);
    CHECK_EQ(((m.mr[2] >> 6) & 0x10) | (m.mr[2] & 0xf), 0xf); /* page permission */
    CHECK(m.mr[2] & (1u << 11));
    CHECK_EQ(m.mr[3], 0);
    /* reply with another label: it stays stopped; skip the store and resume */
    m = (l4_msg_t){.info = l4_msginfo(1, 0, 0)};
    OK(l4_reply(&m));
    settle();
    CHECK_EQ(f_stage, 1);
    l4_word_t regs[L4_TCB_MAX_REGS];
    OK(l4_tcb_read_registers(t, 0, L4_TCB_MAX_REGS, regs));
    CHECK_EQ(regs[15], (l4_word_t)f_store_insn);
    regs[15] += 4;
    OK(l4_tcb_write_registers(t, 1, L4_TCB_MAX_REGS, regs));
    settle();
    CHECK_EQ(f_stage, 2);
    CHECK_EQ(*(volatile l4_word_t *)RO_VA, 0);
    /* undefined instruction */
    m = (l4_msg_t){0};
    OK(l4_nbrecv(ep, &m));
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNDEFINED);
    CHECK_EQ(m.badge, 0x77);
    CHECK_EQ(m.mr[0], (l4_word_t)f_udf_insn);
    CHECK_EQ(m.mr[1], 0);
    CHECK_EQ(m.mr[3] & 0x1f, 0x10);
    OK(l4_tcb_read_registers(t, 0, L4_TCB_MAX_REGS, regs));
    CHECK_EQ(m.mr[2], regs[13]);
    m = (l4_msg_t){.info = l4_msginfo(2, 0, 0)};
    OK(l4_reply(&m));
    OK(l4_tcb_read_registers(t, 0, L4_TCB_MAX_REGS, regs));
    regs[15] += 4;
    OK(l4_tcb_write_registers(t, 1, L4_TCB_MAX_REGS, regs));
    settle();
    CHECK_EQ(f_stage, 3);
    /* unknown system call: the saved pc is the svc; restart runs it again
     * (another fault), pc += 4 skips it */
    m = (l4_msg_t){0};
    OK(l4_nbrecv(ep, &m));
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
    CHECK_EQ(m.mr[0], (l4_word_t)f_svc_insn);
    CHECK_EQ(m.mr[1], 99);
    CHECK_EQ(m.mr[3] & 0x1f, 0x10);
    m = (l4_msg_t){.info = l4_msginfo(L4_FAULT_REPLY_RESTART, 0, 0)};
    OK(l4_reply(&m));
    settle();
    CHECK_EQ(f_stage, 3);
    m = (l4_msg_t){0};
    OK(l4_nbrecv(ep, &m));
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
    CHECK_EQ(m.mr[0], (l4_word_t)f_svc_insn);
    m = (l4_msg_t){.info = l4_msginfo(2, 0, 0)};
    OK(l4_reply(&m));
    OK(l4_tcb_read_registers(t, 0, L4_TCB_MAX_REGS, regs));
    CHECK_EQ(regs[15], (l4_word_t)f_svc_insn);
    regs[15] += 4;
    OK(l4_tcb_write_registers(t, 1, L4_TCB_MAX_REGS, regs));
    settle();
    CHECK_EQ(f_stage, 4);
}

/* The PL061 GPIO (INTID 39): user level may not program the generic timer
 * (docs/api.md, "Timers"), so a device line is the source: an undriven pin
 * set to interrupt on its own level asserts the line until the sense flips.
 * Its registers through its device untyped (api.md section 4), mapped in
 * the IPC-buffer MiB. */
#define GPIO_PADDR 0x09030000u
#define GPIO_IRQ 39u
#define GPIO_VA (IPCBUF_VA + 0xf0000u)
#define GPIO_DATA_PIN0 0x004u
#define GPIO_DIR 0x400u
#define GPIO_IS 0x404u
#define GPIO_IEV 0x40cu
#define GPIO_IE 0x410u
#define GPIO_IC 0x41cu

static volatile l4_word_t *gpio_map(void)
{
    const l4_word_t *bi = l4_bootinfo;
    for (l4_word_t i = 0; i < bi[L4_BOOTINFO_DEVICE_UNTYPED_COUNT]; i++) {
        l4_word_t d = bi[L4_BOOTINFO_DEVICE_UNTYPED_LIST + i];
        if ((d & ~L4_BOOTINFO_SIZE_MASK) != GPIO_PADDR)
            continue;
        l4_cptr_t f = slot();
        if (l4_untyped_retype(bi[L4_BOOTINFO_DEVICE_UNTYPED_FIRST] + i, L4_OBJ_FRAME_4K, 0, 0, 0,
                              f, 1, L4_CAP_INIT_CNODE) ||
            l4_frame_map(f, GPIO_VA, L4_RIGHT_READ | L4_RIGHT_WRITE, 0, L4_CAP_INIT_VSPACE))
            return 0;
        return (volatile l4_word_t *)GPIO_VA;
    }
    return 0;
}

/* ---- IRQ ---- */

static void test_irq_device_line(void)
{
    l4_cptr_t h = slot(), h2 = slot(), n = slot(), nb = slot(), occ = slot(), fr = slot();
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    OK(mk(L4_OBJ_NOTIFICATION, 0, occ));
    OK(mk(L4_OBJ_FRAME_4K, 0, fr));
    OK(l4_cnode_mint(L4_CAP_INIT_CNODE, nb, 32, n, 32, L4_RIGHT_WRITE, 0x8, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 30, h, 32, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, 100000, h, 32, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, h, 33, L4_CAP_INIT_CNODE),
             L4_ERR_RANGE_ERROR);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, occ, 32, L4_CAP_INIT_CNODE),
             L4_ERR_DELETE_FIRST);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, h, 32, n), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, 5000, 32, L4_CAP_INIT_CNODE),
             L4_ERR_FAILED_LOOKUP);
    OK(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, h, 32, L4_CAP_INIT_CNODE));
    CHECK_EQ(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, h2, 32, L4_CAP_INIT_CNODE),
             L4_ERR_REVOKE_FIRST);
    CHECK_EQ(l4_irq_handler_set_notification(h, fr), L4_ERR_INVALID_CAPABILITY);
    OK(l4_irq_handler_set_notification(h, nb));
    volatile l4_word_t *gpio = gpio_map();
    CHECK(gpio != 0);
    if (!gpio)
        return;
    gpio[GPIO_IE / 4] = 0;
    gpio[GPIO_DIR / 4] = 0;
    l4_word_t level = gpio[GPIO_DATA_PIN0 / 4] & 1u;
    gpio[GPIO_IS / 4] = 1;               /* level-sensitive */
    gpio[GPIO_IEV / 4] = level;          /* the pin's level: asserted */
    gpio[GPIO_IE / 4] = 1;
    l4_word_t bits = 0, err = L4_ERR_WOULD_BLOCK;
    for (int i = 0; i < 2000000 && err == L4_ERR_WOULD_BLOCK; i++)
        err = l4_poll(n, &bits);
    gpio[GPIO_IEV / 4] = level ^ 1u; /* quiet */
    gpio[GPIO_IC / 4] = 1;
    gpio[GPIO_IE / 4] = 0;
    CHECK_EQ(err, L4_ERR_OK);
    CHECK_EQ(bits, 0x8);
    OK(l4_irq_handler_ack(h));
    OK(l4_irq_handler_clear(h));
    /* deleting the last handler cap frees the line */
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, h, 32));
    OK(l4_irq_control_get(L4_CAP_IRQ_CONTROL, GPIO_IRQ, h2, 32, L4_CAP_INIT_CNODE));
    OK(l4_cnode_delete(L4_CAP_INIT_CNODE, h2, 32));
}

/* reply: "INVALID_ARGUMENT for length > 64" (section 5, reply); the
 * caller must still be pending afterwards (check, then act). */
static void test_ipc_reply_too_long(void)
{
    l4_cptr_t ep = slot(), t = 0;
    OK(mk(L4_OBJ_ENDPOINT, 0, ep));
    c_ep = ep;
    c_done = 0;
    c_info = 0;
    OK(spawn(&t, client_thread, 0, 100, 0));
    l4_msg_t m = {0};
    OK(l4_recv(ep, &m));
    CHECK_EQ(l4_msginfo_label(m.info), 0x33);
    l4_msg_t r = {.info = l4_msginfo(0x47, 0, 65)};
    l4_word_t e = l4_reply(&r);
    settle();
    CHECK_EQ(e, L4_ERR_INVALID_ARGUMENT);
    CHECK_EQ(c_done, 0);
    r = (l4_msg_t){.info = l4_msginfo(0x48, 0, 0)};
    OK(l4_reply(&r));
    settle();
    CHECK_EQ(c_done, 1);
    CHECK_EQ(l4_msginfo_label(c_info), 0x48);
}

/* "A frame capability holds at most one mapping" / ALREADY_MAPPED "this
 * capability is mapped already": the root IPC buffer's frame capability
 * (section 4) is mapped at L4_ROOT_IPC_BUFFER. */
static void test_frame_root_ipc_buffer_cap_mapped(void)
{
    l4_cptr_t pt = slot();
    OK(mk(L4_OBJ_PAGE_TABLE, 0, pt));
    OK(l4_page_table_map(pt, 0x40800000u, 0, L4_CAP_INIT_VSPACE));
    CHECK_EQ(
        l4_frame_map(L4_CAP_INIT_IPC_BUFFER, 0x40800000u, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
        L4_ERR_ALREADY_MAPPED);
}

/* Section 5 (call): "On any capability that is not an endpoint, call is an
 * invocation"; section 6: notifications have no invocation methods; section
 * 10: ILLEGAL_OPERATION "the label is not a method of the invoked object's
 * type". */
static void test_invoke_on_notification_is_illegal(void)
{
    /* (docs/api.md sections 5, 6 and 10 now say: INVALID_CAPABILITY) */
    l4_cptr_t n = slot();
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    CHECK_EQ(l4_untyped_retype(n, L4_OBJ_ENDPOINT, 0, 0, 0, slot(), 1, L4_CAP_INIT_CNODE),
             L4_ERR_INVALID_CAPABILITY);
}

/* ---- errors any invocation can return (section 10) ---- */

static void test_generic_invocation_errors(void)
{
    l4_cptr_t tcb = slot(), pt = slot(), d = slot(), n = slot();
    l4_word_t pa;
    OK(mk(L4_OBJ_TCB, 0, tcb));
    OK(mk(L4_OBJ_PAGE_TABLE, 0, pt));
    OK(mk(L4_OBJ_NOTIFICATION, 0, n));
    CHECK_EQ(l4_frame_get_address(L4_CAP_NULL, &pa), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_frame_get_address(0x12345678, &pa), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_frame_map(pt, 0x40700000, L4_RIGHT_READ, 0, L4_CAP_INIT_VSPACE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_untyped_retype(tcb, L4_OBJ_ENDPOINT, 0, 0, 0, d, 1, L4_CAP_INIT_CNODE),
             L4_ERR_ILLEGAL_OPERATION);
    CHECK_EQ(l4_tcb_resume(L4_CAP_INIT_CNODE), L4_ERR_ILLEGAL_OPERATION);
    /* a label that is no method at all */
    CHECK_EQ(l4_invoke(L4_CAP_INIT_CNODE, 999, 0, 0, 0, 0, 0, 0), L4_ERR_ILLEGAL_OPERATION);
    /* truncated: 5 words for copy (needs 5 + a cap) */
    l4_word_t mr[5] = {d, 32, n, 32, L4_RIGHTS_ALL};
    CHECK_EQ(l4_invoke(L4_CAP_INIT_CNODE, L4_CNODE_COPY, mr, 5, 0, 0, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    l4_cptr_t caps[1] = {L4_CAP_INIT_CNODE};
    CHECK_EQ(l4_invoke(L4_CAP_INIT_CNODE, L4_CNODE_COPY, mr, 4, caps, 1, 0, 0),
             L4_ERR_TRUNCATED_MESSAGE);
    OK(l4_invoke(L4_CAP_INIT_CNODE, L4_CNODE_COPY, mr, 5, caps, 1, 0, 0));
    OK(l4_signal(d));
    /* a capability argument that does not resolve / has the wrong type */
    CHECK_EQ(l4_tcb_bind_notification(tcb, slot()), L4_ERR_FAILED_LOOKUP);
    CHECK_EQ(l4_tcb_bind_notification(tcb, pt), L4_ERR_INVALID_CAPABILITY);
    CHECK_EQ(l4_cnode_delete(L4_CAP_INIT_CNODE, d, 64), L4_ERR_RANGE_ERROR);
}

/* ------------------------------------------------------------------------ */

int main(void)
{
    const l4_word_t *bi = l4_bootinfo;
    l4_word_t best = 0, bits = 0;
    for (l4_word_t i = 0; i < bi[L4_BOOTINFO_UNTYPED_COUNT]; i++)
        if ((bi[L4_BOOTINFO_UNTYPED_LIST + i] & 0x1f) > bits) {
            bits = bi[L4_BOOTINFO_UNTYPED_LIST + i] & 0x1f;
            best = i;
        }
    ut_big = bi[L4_BOOTINFO_UNTYPED_FIRST] + best;
    next_slot = bi[L4_BOOTINFO_EMPTY_FIRST];
    last_slot = bi[L4_BOOTINFO_EMPTY_LAST];

    /* the page table for the threads' IPC buffers */
    l4_cptr_t pt = slot();
    if (mk(L4_OBJ_PAGE_TABLE, 0, pt) || l4_page_table_map(pt, IPCBUF_VA, 0, L4_CAP_INIT_VSPACE)) {
        puts_("[test] FAIL setup: cannot map the IPC-buffer page table\n[test] DONE\n");
        l4_machine_shutdown(L4_CAP_MACHINE, 1);
    }

    run("bootinfo", test_bootinfo);
    run("retype_object_types", test_retype_object_types);
    run("retype_watermark_revoke", test_retype_watermark_revoke);
    run("retype_errors", test_retype_errors);
    run("retype_page_directory_asids", test_retype_page_directory_asids);
    run("cnode_copy_rights", test_cnode_copy_rights);
    run("cnode_mint_badges_guards", test_cnode_mint_badges_guards);
    run("cnode_move_mutate", test_cnode_move_mutate);
    run("cnode_delete_revoke", test_cnode_delete_revoke);
    run("thread_lifecycle", test_thread_lifecycle);
    run("thread_suspend_restart_priority", test_thread_suspend_restart_priority);
    run("thread_cspace_guard", test_thread_cspace_guard);
    run("ipc_call_reply_long", test_ipc_call_reply_long);
    run("ipc_root_server_save_caller", test_ipc_root_server_save_caller);
    run("ipc_errors_object_deleted", test_ipc_errors_object_deleted);
    run("ipc_cap_transfer_grant", test_ipc_cap_transfer_grant);
    run("ipc_reply_lost", test_ipc_reply_lost);
    run("machine_and_hardening", test_machine_and_hardening);
    run("notification_signal_wait_poll", test_notification_signal_wait_poll);
    run("notification_bound", test_notification_bound);
    run("frame_map_rw", test_frame_map_rw);
    run("fault_endpoint", test_fault_endpoint);
    run("irq_device_line", test_irq_device_line);
    run("ipc_reply_too_long", test_ipc_reply_too_long);
    run("invoke_on_notification_is_invalid_capability", test_invoke_on_notification_is_illegal);
    run("frame_root_ipc_buffer_cap_mapped", test_frame_root_ipc_buffer_cap_mapped);
    run("generic_invocation_errors", test_generic_invocation_errors);

    puts_("[test] DONE\n");
    l4_machine_shutdown(L4_CAP_MACHINE, n_fail ? 1 : 0);
    return 0;
}
