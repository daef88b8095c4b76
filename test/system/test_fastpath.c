/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath (kernel/core/fastpath.c) against the full path it
 * short-cuts. A client and its server(s) at one priority exchange calls and
 * replies of 0..4 words through a badged endpoint; every message each side
 * receives is recorded. The same exchange runs twice: with the threads'
 * CSpace root resolving a cptr in one level (guard + radix = 32 bits, so
 * call and reply_recv take the fastpath) and with a root whose guard is one
 * bit shorter (31 bits: the fastpath's lookup refuses it, so the same
 * system calls take the full path, with every cptr shifted by that bit).
 * The records must equal each other and what the protocol says.
 * (`scons coverage SUITES=system` shows the fastpath's commit code run.) */
#include "util.h"

#define CALLS 5
#define BADGE 0x77u
#define SLOW_GUARD_BITS (32 - L4_ROOT_CNODE_BITS - 1)

/* Message k of the client: label 10 + k, k % 5 words. */
static l4_msg_t client_msg(unsigned k)
{
    return util_msg(10 + k, k % 5, 0x1000 + k, 0x2000 + k, 0x3000 + k, 0x4000 + k);
}

/* The client: CALLS calls on arg[0]; r[3k..3k+2] = error, info, MR0 ^ MR3
 * of reply k (MR1 and MR2 are folded into info's check by the server). */
static void client(util_thread_t *t)
{
    for (unsigned k = 0; k < CALLS; k++) {
        l4_msg_t m = client_msg(k);
        t->r[3 * k] = l4_call(t->arg[0], &m);
        t->r[3 * k + 1] = m.info;
        t->r[3 * k + 2] = m.mr[0] ^ (m.mr[1] << 8) ^ (m.mr[2] << 16) ^ m.mr[3] ^ m.badge;
    }
}

/* A server: receives on arg[0], answers each call with label + 100, the
 * same length, MR0..3 = MR3..0 + 1 and the number of calls it served; r[0]
 * calls served, r[1 + 3j..] = info, badge, MR fold of the j-th call. */
static void server(util_thread_t *t)
{
    l4_msg_t m = {0};
    l4_word_t e = l4_recv(t->arg[0], &m);
    for (l4_word_t j = 0; e == L4_ERR_OK && j < 5; j++) {
        t->r[0] = j + 1;
        t->r[1 + 3 * j] = m.info;
        t->r[2 + 3 * j] = m.badge;
        t->r[3 + 3 * j] = m.mr[0] ^ (m.mr[1] << 8) ^ (m.mr[2] << 16) ^ m.mr[3];
        l4_word_t len = l4_msginfo_length(m.info);
        m = util_msg(l4_msginfo_label(m.info) + 100, len, m.mr[3] + 1, m.mr[2] + 1, m.mr[1] + 1,
                     j + 1);
        e = l4_reply_recv(t->arg[0], &m);
    }
}

typedef struct {
    l4_word_t client[3 * CALLS];
    l4_word_t server[2][16];
} record_t;

/* A thread of the exchange; on the slow path its CSpace root has a 31-bit
 * guard + radix, and its cptrs (and its own TCB cap) move up one bit. */
static util_thread_t *party(util_thread_fn fn, l4_cptr_t ep, int slow)
{
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, 0);
    if (slow) {
        CHECK_EQ(l4_tcb_configure(t->tcb, 0, SLOW_GUARD_BITS, t->ipc_buffer, L4_CAP_INIT_CNODE,
                                  L4_CAP_INIT_VSPACE, t->ipc_frame),
                 L4_ERR_OK);
        t->self = t->tcb << 1;
    }
    t->arg[0] = slow ? ep << 1 : ep;
    return t;
}

/* Servers start first and block in recv (they run at once: above the
 * root); then the client runs every call to its end. */
static void exchange(int slow, unsigned servers, record_t *out)
{
    l4_cptr_t ep = util_endpoint();
    l4_cptr_t badged = util_mint(ep, L4_RIGHTS_ALL, BADGE);
    util_thread_t *s[2];
    for (unsigned i = 0; i < servers; i++) {
        s[i] = party(server, ep, slow);
        util_thread_start(s[i]);
        CHECK_EQ(s[i]->done, 0);
    }
    util_thread_t *c = party(client, badged, slow);
    util_thread_start(c);
    CHECK_EQ(c->done, 1);
    for (unsigned k = 0; k < 3 * CALLS; k++)
        out->client[k] = c->r[k];
    for (unsigned i = 0; i < servers; i++) {
        CHECK_EQ(s[i]->done, 0); /* back in recv, waiting for the next call */
        for (unsigned k = 0; k < 16; k++)
            out->server[i][k] = s[i]->r[k];
    }
}

/* What the protocol says the client receives for call k from a server on
 * its j-th call. */
static void check_client(const record_t *r, unsigned k, l4_word_t j)
{
    l4_msg_t m = client_msg(k);
    CHECK_EQ(r->client[3 * k], L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(r->client[3 * k + 1]), 110 + k);
    CHECK_EQ(l4_msginfo_length(r->client[3 * k + 1]), k % 5);
    CHECK_EQ(l4_msginfo_caps(r->client[3 * k + 1]), 0);
    l4_word_t w[4] = {m.mr[3] + 1, m.mr[2] + 1, m.mr[1] + 1, j};
    CHECK_EQ(r->client[3 * k + 2], w[0] ^ (w[1] << 8) ^ (w[2] << 16) ^ w[3]); /* badge 0 */
}

static void check_server(const l4_word_t *srv, unsigned j, unsigned k)
{
    l4_msg_t m = client_msg(k);
    CHECK_EQ(l4_msginfo_label(srv[1 + 3 * j]), 10 + k);
    CHECK_EQ(l4_msginfo_length(srv[1 + 3 * j]), k % 5);
    CHECK_EQ(srv[2 + 3 * j], BADGE);
    CHECK_EQ(srv[3 + 3 * j], m.mr[0] ^ (m.mr[1] << 8) ^ (m.mr[2] << 16) ^ m.mr[3]);
}

static void check_equal(const record_t *a, const record_t *b)
{
    for (unsigned k = 0; k < 3 * CALLS; k++)
        CHECK_EQ(a->client[k], b->client[k]);
    for (unsigned i = 0; i < 2; i++)
        for (unsigned k = 0; k < 16; k++)
            CHECK_EQ(a->server[i][k], b->server[i][k]);
}

TEST(fastpath_call_and_reply_recv_deliver_what_the_full_path_delivers)
{
    util_root_lower();
    static record_t fast, slow;
    exchange(0, 1, &fast);
    exchange(1, 1, &slow);
    check_equal(&fast, &slow);
    CHECK_EQ(fast.server[0][0], CALLS);
    for (unsigned k = 0; k < CALLS; k++) {
        check_server(fast.server[0], k, k);
        check_client(&fast, k, k + 1);
    }
}

/* Two servers wait on the endpoint: each call goes to the head, which
 * rejoins the queue at its tail with reply_recv, so they alternate. */
TEST(fastpath_with_two_waiting_servers_alternates_them_like_the_full_path)
{
    util_root_lower();
    static record_t fast, slow;
    exchange(0, 2, &fast);
    exchange(1, 2, &slow);
    check_equal(&fast, &slow);
    CHECK_EQ(fast.server[0][0], (CALLS + 1) / 2);
    CHECK_EQ(fast.server[1][0], CALLS / 2);
    for (unsigned k = 0; k < CALLS; k++) {
        check_server(fast.server[k % 2], k / 2, k);
        check_client(&fast, k, k / 2 + 1);
    }
}
