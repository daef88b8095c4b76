/* SPDX-License-Identifier: BSD-2-Clause */
/* Random system calls and invocations with random arguments, from a thread
 * whose CSpace is a sandbox CNode holding one or more caps of most object
 * types. Nothing may crash, hang or corrupt the kernel: the test passes if
 * the thread completes every call and the kernel still works afterwards.
 * (Deterministic: a fixed-seed xorshift generator; the same calls every run.)
 * Excluded: calls that would legitimately block forever (receive on an
 * endpoint, call on an endpoint: none is in the sandbox; blocking receive
 * and reply-receive), debug shutdown/putc and unknown system calls (which
 * would just stop the thread as a fault). */
#include "util.h"

#define FUZZ_CALLS 4000
#define SANDBOX_BITS 6
#define SANDBOX_SLOTS (1u << SANDBOX_BITS)

static volatile l4_word_t fuzz_done, fuzz_errors[32];
static l4_word_t rng = 0x2545f491u;

static l4_word_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* Mostly small values (valid-looking slots, labels, sizes), sometimes wild. */
static l4_word_t arg(void)
{
    switch (rnd() % 4) {
    case 0:
        return rnd();
    case 1:
        return rnd() % 4096u;
    default:
        return rnd() % (SANDBOX_SLOTS + 8);
    }
}

static void fuzzer(util_thread_t *t)
{
    static const l4_word_t sys[] = {L4_SYS_SEND,  L4_SYS_NBSEND,    L4_SYS_CALL,   L4_SYS_CALL,
                                    L4_SYS_CALL,  L4_SYS_CALL,      L4_SYS_NBRECV, L4_SYS_REPLY,
                                    L4_SYS_YIELD, L4_SYS_DEBUG_NULL};
    l4_word_t *buf = l4_ipc_buffer();
    for (unsigned n = 0; n < FUZZ_CALLS; n++) {
        l4_msg_t m;
        l4_word_t label = rnd() % 8 ? rnd() % 60u : rnd();
        l4_word_t len = rnd() % 4 ? rnd() % 20u : rnd() % 128u;
        m.info = l4_msginfo(label & 0xfffffu, rnd() % 4u, len);
        for (unsigned i = 0; i < 4; i++)
            m.mr[i] = arg();
        for (unsigned i = 4; i < L4_IPCBUF_WORDS; i++)
            buf[i] = arg();
        l4_word_t e = l4_syscall_ipc(sys[rnd() % (sizeof sys / sizeof sys[0])],
                                     rnd() % (SANDBOX_SLOTS + 8), &m);
        fuzz_errors[e < 32 ? e : 31]++;
    }
    fuzz_done = 1;
    (void)t;
}

TEST(fuzz_random_invocations_leave_the_kernel_intact)
{
    util_root_lower();
    /* the sandbox: a CNode with a 26-bit guard of 0, so a cptr is a slot */
    l4_cptr_t cn = util_cnode(SANDBOX_BITS);
    l4_cptr_t sandbox = util_mint(cn, L4_RIGHTS_ALL, 32 - SANDBOX_BITS);
    l4_cptr_t ut = util_untyped(18);
    static const struct {
        l4_word_t type, bits;
    } objs[] = {
        {L4_OBJ_UNTYPED, 16},     {L4_OBJ_NOTIFICATION, 0}, {L4_OBJ_CNODE, 3},
        {L4_OBJ_FRAME_4K, 0},     {L4_OBJ_PAGE_TABLE, 0},   {L4_OBJ_PAGE_DIRECTORY, 0},
        {L4_OBJ_TCB, 0},          {L4_OBJ_VCPU, 0},         {L4_OBJ_FRAME_64K, 0},
        {L4_OBJ_NOTIFICATION, 0}, {L4_OBJ_FRAME_4K, 0},     {L4_OBJ_PAGE_TABLE, 0},
    };
    for (unsigned i = 0; i < sizeof objs / sizeof objs[0]; i++)
        CHECK_EQ(
            l4_untyped_retype(ut, objs[i].type, objs[i].bits, cn, 32, 1 + i, 1, L4_CAP_INIT_CNODE),
            L4_ERR_OK);
    /* the sandbox itself, so CNode operations have a target */
    CHECK_EQ(l4_cnode_copy(cn, 20, SANDBOX_BITS, sandbox, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    util_thread_t *t = util_thread_create(fuzzer, UTIL_PRIO_HIGH, 0);
    /* its own TCB in slot 21 (to stop itself at the end), CSpace = sandbox */
    CHECK_EQ(l4_cnode_copy(cn, 21, SANDBOX_BITS, t->tcb, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    CHECK_EQ(
        l4_tcb_configure(t->tcb, 0, 0, t->ipc_buffer, sandbox, L4_CAP_INIT_VSPACE, t->ipc_frame),
        L4_ERR_OK);
    t->self = 21;
    fuzz_done = 0;
    util_thread_start(t);
    CHECK_EQ(fuzz_done, 1); /* every call returned */
    /* and the kernel still works: a fresh IPC round trip and retype */
    l4_word_t bits;
    l4_cptr_t n = util_notification();
    CHECK_EQ(l4_signal(n), L4_ERR_OK);
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_OK);
    CHECK_EQ(bits, 1);
    CHECK(fuzz_errors[L4_ERR_OK] > 0);
    CHECK(fuzz_errors[L4_ERR_FAILED_LOOKUP] > 0);
    CHECK(fuzz_errors[L4_ERR_ILLEGAL_OPERATION] + fuzz_errors[L4_ERR_TRUNCATED_MESSAGE] > 0);
}
