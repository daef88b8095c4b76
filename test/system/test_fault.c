/* SPDX-License-Identifier: BSD-2-Clause */
/* Faults become IPC to the thread's fault endpoint: page faults (data and
 * instruction fetch, translation and permission), undefined instructions,
 * unknown system calls; restart by replying L4_FAULT_REPLY_RESTART; a user
 * pager; threads without a usable handler are stopped. */
#include "util.h"

#define V L4_CAP_INIT_VSPACE
#define RW (L4_RIGHT_READ | L4_RIGHT_WRITE)
#define VA(n) (UTIL_VADDR_TEST + (n)*UTIL_MB)
#define FS(fsr) ((fsr)&0x40fu) /* fault status: FSR[10] and FSR[3:0] */
#define WNR 0x800u             /* DFSR: the access was a write */

/* Faulting instructions at known addresses (ARM state). */
l4_word_t fault_load(l4_word_t addr);
void fault_store(l4_word_t addr, l4_word_t value);
l4_word_t fault_undef(void);
l4_word_t fault_svc(l4_word_t sysno);
extern const char fault_svc_insn[];
l4_word_t fault_svc_thumb(l4_word_t sysno); /* the same in Thumb state: a 2-byte svc */
extern const char fault_svc_thumb_insn[];
__asm__(".text\n .arm\n"
        ".global fault_load\n .type fault_load, %function\n"
        "fault_load: ldr r0, [r0]\n bx lr\n"
        ".global fault_store\n .type fault_store, %function\n"
        "fault_store: str r1, [r0]\n bx lr\n"
        ".global fault_undef\n .type fault_undef, %function\n"
        "fault_undef: .word 0xe7f000f0\n" /* UDF #0: permanently undefined */
        " mov r0, #42\n bx lr\n"
        ".global fault_svc\n .type fault_svc, %function\n"
        "fault_svc: push {r7, lr}\n mov r7, r0\n mov r0, #0\n"
        ".global fault_svc_insn\n"
        "fault_svc_insn: svc #0\n mov r0, #7\n pop {r7, pc}\n"
        " .thumb\n .align 1\n"
        ".global fault_svc_thumb\n .type fault_svc_thumb, %function\n .thumb_func\n"
        "fault_svc_thumb: push {r7, lr}\n mov r7, r0\n movs r0, #0\n"
        ".global fault_svc_thumb_insn\n"
        "fault_svc_thumb_insn: svc #0\n movs r0, #9\n pop {r7, pc}\n .arm\n");

/* ARM code for `mov r0, #42; bx lr`. */
static const l4_word_t code_ret42[2] = {0xe3a0002au, 0xe12fff1eu};

/* Thread bodies; arg[0] an address. r[0] the result, r[8] started. */
static void do_load(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = fault_load(t->arg[0]);
}
static void do_store(util_thread_t *t)
{
    t->r[8] = 1;
    fault_store(t->arg[0], t->arg[1]);
}
static void do_jump(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = ((l4_word_t(*)(void))t->arg[0])();
}
static void do_undef(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = fault_undef();
}
static void do_svc(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = fault_svc(t->arg[0]);
}

static void do_svc_thumb(util_thread_t *t)
{
    t->r[8] = 1;
    t->r[0] = fault_svc_thumb(t->arg[0]);
}

static util_thread_t *start_faulter(util_thread_fn fn, l4_cptr_t fault_ep, l4_word_t a0,
                                    l4_word_t a1)
{
    util_thread_t *t = util_thread_create(fn, UTIL_PRIO_HIGH, fault_ep);
    t->arg[0] = a0;
    t->arg[1] = a1;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    return t;
}

static l4_word_t restart(void)
{
    l4_msg_t m = util_msg(L4_FAULT_REPLY_RESTART, 0, 0, 0, 0, 0);
    return l4_reply(&m);
}

TEST(fault_read_of_unmapped_address_sends_page_fault_and_restart_completes_it)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    const l4_word_t addr = VA(1) + 0x3124;
    util_thread_t *t = start_faulter(do_load, util_mint(ep, L4_RIGHT_WRITE, 0x66), addr, 0);
    CHECK_EQ(t->done, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(l4_msginfo_length(m.info), 4);
    CHECK_EQ(m.badge, 0x66);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_load);
    CHECK_EQ(m.mr[1], addr);
    CHECK_EQ(FS(m.mr[2]), 0x5); /* translation fault, section: no page table */
    CHECK_EQ(m.mr[2] & WNR, 0);
    CHECK_EQ(m.mr[3], 0);
    util_map_new_frame(addr & ~0xfffu);
    *(volatile l4_word_t *)addr = 0x99;
    CHECK_EQ(restart(), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 0x99);
}

TEST(fault_write_to_read_only_page_is_a_permission_fault_with_wnr)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    const l4_word_t va = VA(2) + 0x1000;
    l4_cptr_t f = util_map_new_frame(va);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, va, L4_RIGHT_READ, 0, V), L4_ERR_OK);
    util_thread_t *t = start_faulter(do_store, ep, va + 8, 5);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_store);
    CHECK_EQ(m.mr[1], va + 8);
    CHECK_EQ(FS(m.mr[2]), 0xf); /* permission fault, page */
    CHECK(m.mr[2] & WNR);
    CHECK_EQ(m.mr[3], 0);
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, va, RW, 0, V), L4_ERR_OK);
    CHECK_EQ(restart(), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(*(volatile l4_word_t *)(va + 8), 5);
}

TEST(fault_write_with_page_table_but_no_page_is_a_page_translation_fault)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    const l4_word_t va = VA(3) + 0x2000;
    util_page_table_at(va);
    util_thread_t *t = start_faulter(do_store, ep, va, 1);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(FS(m.mr[2]), 0x7); /* translation fault, page */
    CHECK(m.mr[2] & WNR);
    CHECK_EQ(t->done, 0);
}

TEST(fault_instruction_fetch_from_unmapped_address_is_a_prefetch_fault)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    const l4_word_t va = VA(4);
    util_thread_t *t = start_faulter(do_jump, ep, va, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[0], va);
    CHECK_EQ(m.mr[1], va);
    CHECK_EQ(m.mr[3], 1);
    CHECK_EQ(FS(m.mr[2]), 0x5);
    /* map code there and restart: the call now returns 42. (QEMU keeps
     * instruction and data views coherent; real hardware needs cache
     * maintenance, which the kernel does not offer to user mode yet.) */
    util_map_new_frame(va);
    ((volatile l4_word_t *)va)[0] = code_ret42[0];
    ((volatile l4_word_t *)va)[1] = code_ret42[1];
    CHECK_EQ(restart(), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 42);
}

TEST(fault_execute_never_mapping_faults_on_fetch)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    const l4_word_t va = VA(5);
    util_page_table_at(va);
    l4_cptr_t f = util_new(L4_OBJ_FRAME_4K, 0);
    CHECK_EQ(l4_frame_map(f, va, RW, L4_ATTR_EXECUTE_NEVER, V), L4_ERR_OK);
    ((volatile l4_word_t *)va)[0] = code_ret42[0];
    ((volatile l4_word_t *)va)[1] = code_ret42[1];
    util_thread_t *t = start_faulter(do_jump, ep, va, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[1], va);
    CHECK_EQ(m.mr[3], 1);
    CHECK_EQ(FS(m.mr[2]), 0xf); /* permission fault */
    CHECK_EQ(l4_frame_unmap(f), L4_ERR_OK);
    CHECK_EQ(l4_frame_map(f, va, L4_RIGHT_READ, 0, V), L4_ERR_OK);
    CHECK_EQ(restart(), L4_ERR_OK);
    CHECK_EQ(t->r[0], 42);
}

/* A pager: serves arg[1] page faults on arg[0] by mapping the frames
 * arg[2], arg[2]+1, ... at the faulting pages and restarting the thread.
 * r[k] = fault address k, r[15] = last error. */
static void pager(util_thread_t *t)
{
    l4_msg_t m = {0};
    l4_word_t e = l4_recv(t->arg[0], &m);
    for (l4_word_t k = 0; e == L4_ERR_OK && k < t->arg[1]; k++) {
        t->r[k] = m.mr[1];
        l4_word_t label =
            l4_msginfo_label(m.info) == L4_FAULT_PAGE &&
                    l4_frame_map(t->arg[2] + k, m.mr[1] & ~0xfffu, RW, 0, V) == L4_ERR_OK
                ? L4_FAULT_REPLY_RESTART
                : 1;
        l4_msg_t r = util_msg(label, 0, 0, 0, 0, 0);
        if (k + 1 == t->arg[1]) {
            e = l4_reply(&r);
            break;
        }
        m = r;
        e = l4_reply_recv(t->arg[0], &m);
    }
    t->r[15] = e;
}

static void touch_pages(util_thread_t *t)
{
    for (l4_word_t k = 0; k < 4; k++) {
        volatile l4_word_t *p = (volatile l4_word_t *)(t->arg[0] + k * 0x1000 + 4 * k);
        l4_word_t before = *p;
        *p = k + 1;
        t->r[k] = before + *p;
    }
}

TEST(fault_user_pager_maps_frames_on_demand_and_restarts_the_thread)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), frames = util_slots(4);
    const l4_word_t va = VA(6);
    util_page_table_at(va);
    for (unsigned k = 0; k < 4; k++)
        CHECK_EQ(l4_untyped_retype(util_pool(), L4_OBJ_FRAME_4K, 0, 0, 0, frames + k, 1,
                                   L4_CAP_INIT_CNODE),
                 L4_ERR_OK);
    util_thread_t *p = util_thread_create(pager, UTIL_PRIO_HIGH + 50, 0);
    p->arg[0] = ep;
    p->arg[1] = 4;
    p->arg[2] = frames;
    util_thread_start(p);
    util_thread_t *t = util_thread_create(touch_pages, UTIL_PRIO_HIGH, ep);
    t->arg[0] = va;
    util_thread_start(t); /* four faults, each served before we run again */
    CHECK_EQ(t->done, 1);
    CHECK_EQ(p->done, 1);
    CHECK_EQ(p->r[15], L4_ERR_OK);
    for (unsigned k = 0; k < 4; k++) {
        CHECK_EQ(p->r[k], va + k * 0x1000 + 4 * k);
        CHECK_EQ(t->r[k], k + 1);
        CHECK_EQ(*(volatile l4_word_t *)(va + k * 0x1000 + 4 * k), k + 1);
    }
}

TEST(fault_undefined_instruction_sends_label_undefined_and_restart_reexecutes)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_faulter(do_undef, ep, 0, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNDEFINED);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_undef);
    CHECK_EQ(m.mr[1], 0);
    CHECK(m.mr[2] < t->stack_top && m.mr[2] > t->stack_top - 512); /* sp */
    CHECK_EQ(m.mr[3] & 0x1f, 0x10);
    CHECK_EQ(m.mr[3] & 0x20, 0); /* ARM state */
    /* restart executes the same instruction again: a second fault */
    CHECK_EQ(restart(), L4_ERR_OK);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNDEFINED);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_undef);
    /* any other reply label leaves the thread stopped */
    m = util_msg(1, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
    /* the handler may move it past the instruction and resume it */
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], (l4_word_t)fault_undef);
    regs[15] += 4;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 42);
}

/* Skip the faulting instruction (4 bytes, ARM) and resume: what a handler
 * that emulates an unknown system call does. */
static void skip_and_resume(util_thread_t *t, l4_word_t expect_pc)
{
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], expect_pc);
    regs[15] += 4;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
}

TEST(fault_unknown_syscall_leaves_pc_at_the_svc_so_restart_faults_again)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_faulter(do_svc, ep, 200, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_svc_insn);
    CHECK_EQ(m.mr[1], 200);
    CHECK(m.mr[2] < t->stack_top && m.mr[2] > t->stack_top - 512);
    CHECK_EQ(m.mr[3] & 0x1f, 0x10);
    /* restart: the svc runs again and faults again, same message */
    CHECK_EQ(restart(), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    m = (l4_msg_t){0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_svc_insn);
    /* the documented way on: leave it stopped, pc += 4, resume */
    m = util_msg(1, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    skip_and_resume(t, (l4_word_t)fault_svc_insn);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 7);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
}

/* The same in Thumb state: the saved pc is the 2-byte svc (not 4 bytes
 * back, the instruction before it), and the documented skip is 2. */
TEST(fault_unknown_syscall_in_thumb_state_leaves_pc_at_the_2_byte_svc)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_faulter(do_svc_thumb, ep, 201, 0);
    const l4_word_t svc = (l4_word_t)fault_svc_thumb_insn & ~1u;
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
    CHECK_EQ(m.mr[0], svc);
    CHECK_EQ(m.mr[1], 201);
    CHECK_EQ(m.mr[3] & 0x3f, 0x30); /* user mode, Thumb state */
    /* restart: the same svc again */
    CHECK_EQ(restart(), L4_ERR_OK);
    CHECK_EQ(t->done, 0);
    m = (l4_msg_t){0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
    CHECK_EQ(m.mr[0], svc);
    /* stopped, pc += 2, resumed: it runs on from the next instruction */
    m = util_msg(1, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_reply(&m), L4_ERR_OK);
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], svc);
    CHECK_EQ(regs[16] & 0x20, 0x20);
    regs[15] += 2;
    CHECK_EQ(l4_tcb_write_registers(t->tcb, 1, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 9);
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
}

TEST(fault_unknown_syscall_numbers_0_and_huge_are_faults)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    static const l4_word_t nums[] = {0, L4_SYS_RESERVED_2, L4_SYS_VCPU_SYNC + 1, 0x7fffffffu,
                                     0xffffffffu};
    for (unsigned i = 0; i < 5; i++) {
        util_thread_t *t = start_faulter(do_svc, ep, nums[i], 0);
        l4_msg_t m = {0};
        CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
        CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_UNKNOWN_SYSCALL);
        CHECK_EQ(m.mr[1], nums[i]);
        m = util_msg(1, 0, 0, 0, 0, 0);
        CHECK_EQ(l4_reply(&m), L4_ERR_OK);
        skip_and_resume(t, (l4_word_t)fault_svc_insn);
        CHECK_EQ(t->r[0], 7);
    }
}

TEST(fault_handler_can_restart_through_a_saved_reply_cap)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), rc = util_slot();
    const l4_word_t addr = VA(7) + 0x10;
    util_thread_t *t = start_faulter(do_load, ep, addr, 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_cnode_save_caller(L4_CAP_INIT_CNODE, rc, 32), L4_ERR_OK);
    util_map_new_frame(addr & ~0xfffu);
    *(volatile l4_word_t *)addr = 0x31;
    m = util_msg(L4_FAULT_REPLY_RESTART, 0, 0, 0, 0, 0);
    CHECK_EQ(l4_send(rc, &m), L4_ERR_OK);
    CHECK_EQ(t->done, 1);
    CHECK_EQ(t->r[0], 0x31);
}

TEST(fault_without_handler_stops_the_thread)
{
    util_root_lower();
    const l4_word_t addr = VA(8);
    /* The kernel prints a report naming the thread (the suite checks it:
     * test/system/SConscript). */
    util_thread_t *t = util_thread_create(do_load, UTIL_PRIO_HIGH, 0);
    CHECK_EQ(l4_tcb_set_name_str(t->tcb, "no-handler"), L4_ERR_OK);
    t->arg[0] = addr;
    util_thread_start(t);
    CHECK_EQ(t->r[8], 1);
    CHECK_EQ(t->done, 0);
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], (l4_word_t)fault_load);
}

TEST(fault_endpoint_without_write_right_counts_as_no_handler)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint();
    l4_cptr_t ro = util_copy(ep, L4_RIGHT_READ | L4_RIGHT_GRANT);
    util_thread_t *t = start_faulter(do_load, ro, VA(9), 0);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(t->done, 0);
}

TEST(fault_endpoint_that_is_not_an_endpoint_counts_as_no_handler)
{
    util_root_lower();
    l4_cptr_t n = util_notification();
    util_thread_t *t = start_faulter(do_load, n, VA(10), 0);
    l4_word_t bits;
    CHECK_EQ(l4_poll(n, &bits), L4_ERR_WOULD_BLOCK);
    CHECK_EQ(t->done, 0);
}

TEST(fault_endpoint_is_looked_up_when_the_fault_happens)
{
    util_root_lower();
    l4_cptr_t ep = util_endpoint(), later = util_slot();
    util_thread_t *t = util_thread_create(do_load, UTIL_PRIO_HIGH, later); /* empty now */
    t->arg[0] = VA(11);
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, later, 32, ep, 32, L4_RIGHT_WRITE, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    util_thread_start(t);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[1], VA(11));
}

/* The fault endpoint is deleted while the fault message waits in its queue
 * (nobody was receiving): the thread stops with its registers as they were
 * at the fault, and when resumed with an endpoint in that slot again it
 * re-executes the faulting load and sends the same fault afresh. */
TEST(fault_endpoint_deleted_while_the_fault_waits_stops_the_thread_which_faults_afresh)
{
    util_root_lower();
    const l4_word_t addr = VA(12);
    l4_cptr_t ep = util_endpoint();
    util_thread_t *t = start_faulter(do_load, ep, addr, 0);
    CHECK_EQ(t->done, 0);
    util_delete(ep);
    l4_word_t regs[L4_TCB_MAX_REGS];
    CHECK_EQ(l4_tcb_read_registers(t->tcb, 0, L4_TCB_MAX_REGS, regs), L4_ERR_OK);
    CHECK_EQ(regs[15], (l4_word_t)fault_load);
    CHECK_EQ(regs[0], addr);
    l4_cptr_t ep2 = util_endpoint();
    CHECK_EQ(l4_cnode_copy(L4_CAP_INIT_CNODE, ep, 32, ep2, 32, L4_RIGHTS_ALL, L4_CAP_INIT_CNODE),
             L4_ERR_OK);
    l4_msg_t m = {0};
    CHECK_EQ(l4_nbrecv(ep2, &m), L4_ERR_WOULD_BLOCK); /* stopped, not still queued */
    CHECK_EQ(l4_tcb_resume(t->tcb), L4_ERR_OK);
    CHECK_EQ(l4_nbrecv(ep2, &m), L4_ERR_OK);
    CHECK_EQ(l4_msginfo_label(m.info), L4_FAULT_PAGE);
    CHECK_EQ(m.mr[0], (l4_word_t)fault_load);
    CHECK_EQ(m.mr[1], addr);
    CHECK_EQ(t->done, 0);
}
