/* SPDX-License-Identifier: BSD-2-Clause */
/* System call entry and exit: register preservation, debug_null, yield. */
#include "util.h"

/* Run `svc #0` with every general register set to a known value, then check
 * that all of them (except those the call defines as results) came back. */
uint32_t regs_after[13]; /* global: the asm below names it */

static void svc_with_pattern(uint32_t sysno)
{
    __asm__ volatile("push {r4-r11}\n"
                     "mov r7, %1\n" /* before r1-r6 are overwritten */
                     "ldr r0, =0x10000000\n ldr r1, =0x11111111\n ldr r2, =0x22222222\n"
                     "ldr r3, =0x33333333\n ldr r4, =0x44444444\n ldr r5, =0x55555555\n"
                     "ldr r6, =0x66666666\n ldr r8, =0x88888888\n ldr r9, =0x99999999\n"
                     "ldr r10, =0xaaaaaaaa\n ldr r11, =0xbbbbbbbb\n ldr r12, =0xcccccccc\n"
                     "svc #0\n"
                     "push {r0-r12}\n"
                     "ldr r0, =regs_after\n"
                     "pop {r1-r12, lr}\n" /* r0..r12 of the call are now r1..r12, lr */
                     "stmia r0, {r1-r12, lr}\n"
                     "pop {r4-r11}\n"
                     :
                     : "r"(0), "r"(sysno)
                     : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
}

TEST(debug_null_preserves_all_registers)
{
    static const uint32_t expect[13] = {
        0x10000000,        0x11111111, 0x22222222, 0x33333333, 0x44444444, 0x55555555, 0x66666666,
        L4_SYS_DEBUG_NULL, 0x88888888, 0x99999999, 0xaaaaaaaa, 0xbbbbbbbb, 0xcccccccc};
    svc_with_pattern(L4_SYS_DEBUG_NULL);
    for (int i = 0; i < 13; i++)
        CHECK_EQ(regs_after[i], expect[i]);
}

TEST(yield_alone_returns_and_preserves_registers)
{
    svc_with_pattern(L4_SYS_YIELD);
    CHECK_EQ(regs_after[4], 0x44444444);
    CHECK_EQ(regs_after[12], 0xcccccccc);
}

TEST(bootinfo_describes_root_task)
{
    CHECK(l4_bootinfo != 0);
    CHECK_EQ(l4_bootinfo[L4_BOOTINFO_MAGIC], L4_BOOTINFO_MAGIC_VALUE);
    CHECK_EQ(l4_bootinfo[L4_BOOTINFO_IPC_BUFFER], L4_ROOT_IPC_BUFFER);
}

TEST(ipc_buffer_address_in_tpidruro)
{
    uint32_t v;
    __asm__ volatile("mrc p15, 0, %0, c13, c0, 3" : "=r"(v));
    CHECK_EQ(v, L4_ROOT_IPC_BUFFER);
    volatile uint32_t *buf = (volatile uint32_t *)L4_ROOT_IPC_BUFFER;
    buf[0] = 0x1234;
    buf[1023] = 0x5678;
    CHECK_EQ(buf[0] + buf[1023], 0x1234 + 0x5678);
}

/* Without an IPC buffer a thread can still invoke with up to four message
 * words (registers only); a longer message or one with capabilities has
 * nowhere to come from: TRUNCATED_MESSAGE, and nothing happens. */
static void invoke_without_buffer(util_thread_t *t)
{
    /* Raw calls: libl4's stubs would write the caps into the missing buffer. */
    l4_msg_t copy = util_msg(L4_CNODE_COPY, 5, t->arg[1], 32, t->arg[0], 32);
    copy.info = l4_msginfo(L4_CNODE_COPY, 1, 5); /* 5 words and a cap */
    t->r[0] = l4_call(L4_CAP_INIT_CNODE, &copy);
    l4_msg_t prio = util_msg(L4_TCB_SET_PRIORITY, 1, UTIL_PRIO_LOW, 0, 0, 0);
    prio.info = l4_msginfo(L4_TCB_SET_PRIORITY, 1, 1); /* 1 word and a cap */
    t->r[1] = l4_call(t->arg[2], &prio);
    l4_msg_t stop = util_msg(L4_TCB_SUSPEND, 0, 0, 0, 0, 0); /* registers only */
    t->r[2] = l4_call(t->arg[2], &stop);
}

TEST(invocation_needing_the_ipc_buffer_without_one_is_truncated_message)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), dst = util_slot();
    util_thread_t *victim = util_thread_create(invoke_without_buffer, UTIL_PRIO_LOW, 0);
    util_thread_t *t = util_thread_create(invoke_without_buffer, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_configure(t->tcb, 0, 0, 0, L4_CAP_INIT_CNODE, L4_CAP_INIT_VSPACE, 0),
             L4_ERR_OK);
    t->arg[0] = ep;
    t->arg[1] = dst;
    t->arg[2] = victim->tcb;
    util_thread_start(t);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], L4_ERR_TRUNCATED_MESSAGE);
    CHECK(util_slot_is_empty(dst));
    CHECK_EQ(t->r[1], L4_ERR_TRUNCATED_MESSAGE);
    CHECK_EQ(t->r[2], L4_ERR_OK);
}
