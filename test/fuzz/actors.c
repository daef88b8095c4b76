/* SPDX-License-Identifier: BSD-2-Clause */
/* The actors that give the fuzzers something to meet (fuzz.h): a partner
 * server that receives and replies (the fastpath's reply_recv), a client
 * that calls (so the fuzzers hold reply capabilities of their own), a
 * thread that faults on purpose and a handler that mends, skips, refuses
 * or drops its faults, and, in the typed world, a vCPU guest whose guest
 * user runs system-call loops, faults and undefined instructions. Each survives whatever the fuzzers do to
 * it as well as it can; the supervisor restarts it when it cannot. */
#include <stddef.h>
#include "fuzz.h"

#define PAGE 4096u
#define P_SAVED_REPLY (FZ_FREE_FIRST - 1) /* the partner's slot for a saved reply cap */
#define H_SAVED_REPLY (FZ_FREE_FIRST - 2)

void fz_typed_fuzzer(fz_actor_t *a) __attribute__((noreturn));
void fz_guest_fuzzer(fz_actor_t *a) __attribute__((noreturn));
void fz_virq_source(fz_actor_t *a) __attribute__((noreturn));

/* Something failed for good (its capabilities are gone): wait to be
 * restarted without spinning. */
static void idle(void)
{
    l4_wait(S_PARK, NULL);
    l4_yield();
}

static void clear_received(l4_word_t info)
{
    for (l4_word_t i = 0; i < l4_msginfo_caps(info); i++)
        l4_cnode_delete(S_CNODE_N3, i, 32);
}

static __attribute__((noreturn)) void partner(fz_actor_t *a)
{
    l4_word_t *r = a->rng, errors = 0;
    l4_msg_t m = {0};
    l4_set_receive_slot(S_CNODE_N3, 0, 32);
    l4_word_t err = l4_recv(S_EP_PARTNER, &m);
    for (;;) {
        FZ_SHARED->progress[A_PARTNER]++;
        if (err != L4_ERR_OK) {
            if (++errors > 16)
                idle();
            err = l4_recv(S_EP_PARTNER, &m);
            continue;
        }
        errors = 0;
        clear_received(m.info);
        if (rng_chance(r, 3))
            fz_fpu_touch(r);
        l4_word_t x = rng_below(r, 100), len = rng_below(r, 5);
        for (unsigned i = 0; i < 4; i++)
            m.mr[i] = rng_next(r);
        m.info = l4_msginfo(rng_below(r, 8), 0, len);
        if (x < 82) { /* the common case: the fastpath */
            err = l4_reply_recv(S_EP_PARTNER, &m);
        } else if (x < 88) { /* a long reply: the slow path, buffer words */
            len = 5 + rng_below(r, L4_MSG_MAX_WORDS - 4);
            for (l4_word_t i = 4; i < len; i++)
                l4_set_mr(i, i);
            m.info = l4_msginfo(1, 0, len);
            err = l4_reply_recv(S_EP_PARTNER, &m);
        } else if (x < 93) { /* keep the reply cap, answer through it */
            l4_cnode_delete(S_SELF, P_SAVED_REPLY, 32);
            l4_cnode_save_caller(S_SELF, P_SAVED_REPLY, 32);
            l4_send(P_SAVED_REPLY, &m);
            err = l4_recv(S_EP_PARTNER, &m);
        } else if (x < 97) { /* answer nobody: the next call displaces the cap */
            err = l4_recv(S_EP_PARTNER, &m);
        } else { /* drop the reply cap: the caller hears REPLY_LOST */
            l4_cnode_save_caller(S_SELF, P_SAVED_REPLY, 32);
            l4_cnode_delete(S_SELF, P_SAVED_REPLY, 32);
            err = l4_recv(S_EP_PARTNER, &m);
        }
    }
}

static __attribute__((noreturn)) void client(fz_actor_t *a)
{
    l4_word_t *r = a->rng, errors = 0;
    for (;;) {
        l4_msg_t m = {0};
        if (rng_chance(r, 3))
            fz_fpu_touch(r);
        m.info = l4_msginfo(rng_below(r, 8), 0, rng_below(r, 5));
        l4_word_t err = l4_call(S_EP_CLIENT, &m);
        FZ_SHARED->progress[A_CLIENT]++;
        if (err == L4_ERR_OK || err == L4_ERR_REPLY_LOST)
            errors = 0;
        else if (++errors > 16)
            idle();
    }
}

/* Faults on purpose: each returns if its handler skips the instruction. */
void fz_fault_load(l4_word_t addr), fz_fault_udf(void), fz_fault_svc(l4_word_t sysno);
void fz_fault_store(l4_word_t addr), fz_fault_udf_thumb(void), fz_fault_udf_thumb32(void);
/* The Thumb ones are 4 bytes up to their bx too (the handler skips 4):
 * a 16-bit udf and a nop, a 32-bit udf.w; neither is the FPU's. */
__asm__(
    ".text\n .arm\n"
    ".global fz_fault_load\n fz_fault_load: ldr r0, [r0]\n bx lr\n"
    ".global fz_fault_store\n fz_fault_store: str r0, [r0]\n bx lr\n"
    ".global fz_fault_udf\n fz_fault_udf: .word 0xe7f000f0\n bx lr\n"
    ".global fz_fault_svc\n fz_fault_svc: push {r7}\n mov r7, r0\n svc #0\n pop {r7}\n bx lr\n"
    ".thumb\n .syntax unified\n"
    ".global fz_fault_udf_thumb\n .thumb_func\n fz_fault_udf_thumb: udf #0\n nop\n bx lr\n"
    ".global fz_fault_udf_thumb32\n .thumb_func\n fz_fault_udf_thumb32: udf.w #0\n bx lr\n"
    ".arm\n");

static __attribute__((noreturn)) void faulter(fz_actor_t *a)
{
    l4_word_t *r = a->rng;
    for (;;) {
        FZ_SHARED->progress[A_FAULTER]++;
        if (rng_chance(r, 80)) /* paced by the supervisor: the fuzzers are the ones to run */
            l4_wait(S_PACE, NULL);
        switch (rng_below(r, 6)) {
        case 4:
            fz_fault_udf_thumb();
            break;
        case 5:
            fz_fault_udf_thumb32();
            break;
        case 0: /* the handler may map a page there */
            fz_fault_load(FZ_SCRATCH_VA + rng_below(r, 4) * PAGE);
            break;
        case 1:
            fz_fault_udf();
            break;
        case 2:
            fz_fault_svc(L4_SYS_VCPU_SYNC + 1 + rng_below(r, 100)); /* unknown numbers */
            break;
        default:
            fz_fault_store(0x100 + 4 * rng_below(r, 64)); /* page 0: never mapped */
            break;
        }
    }
}

/* Skip the faulting instruction (the faulter is blocked: its registers are
 * its saved context). */
static void skip(void)
{
    l4_word_t regs[16];
    if (l4_tcb_read_registers(S_TCB + A_FAULTER, 0, 16, regs) == L4_ERR_OK) {
        regs[15] += 4;
        l4_tcb_write_registers(S_TCB + A_FAULTER, 0, 16, regs);
    }
}

static __attribute__((noreturn)) void handler(fz_actor_t *a)
{
    l4_word_t *r = a->rng, errors = 0;
    l4_msg_t m = {0};
    l4_word_t err = l4_recv(S_EP_FAULT, &m);
    for (;;) {
        FZ_SHARED->progress[A_HANDLER]++;
        if (err != L4_ERR_OK || !l4_msginfo_from_kernel(m.info)) {
            if (err != L4_ERR_OK && ++errors > 16)
                idle();
            err = l4_recv(S_EP_FAULT, &m);
            continue;
        }
        errors = 0;
        FZ_SHARED->faults_handled++;
        l4_word_t kind = l4_msginfo_label(m.info), addr = m.mr[1], x = rng_below(r, 100);
        l4_msg_t reply = {0};
        if (kind == L4_FAULT_PAGE && addr >= FZ_SCRATCH_VA && addr < FZ_SCRATCH_VA + 4 * PAGE &&
            x < 30) { /* mend it: the load then succeeds */
            l4_frame_unmap(S_FRAME_H);
            l4_frame_map(S_FRAME_H, addr & ~(PAGE - 1), L4_RIGHT_READ, 0, S_PD_FUZZ);
            err = l4_reply_recv(S_EP_FAULT, &reply);
        } else if (x < 55 && l4_msginfo_length(m.info) >= L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS) {
            /* it carried its registers (a fuzzer set tcb_set_fault_regs on
             * whoever faulted, not always the faulter): the reply that
             * installs them as they are, a restart like label 0, or at times
             * a reply too short, which leaves it stopped until resumed */
            reply.info = l4_msginfo(L4_FAULT_REPLY_REGS, 0,
                                    x < 50 ? L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS
                                           : rng_below(r, L4_FAULT_MSG_REGS + L4_FAULT_REGS_WORDS));
            err = l4_reply_recv(S_EP_FAULT, &reply);
        } else if (x < 80) { /* skip it and restart */
            skip();
            err = l4_reply_recv(S_EP_FAULT, &reply);
        } else if (x < 88) { /* leave it stopped, then resume it past the instruction */
            reply.info = l4_msginfo(1, 0, 0);
            l4_reply(&reply);
            l4_word_t regs[16];
            if (l4_tcb_read_registers(S_TCB + A_FAULTER, 0, 16, regs) == L4_ERR_OK) {
                regs[15] += 4;
                l4_tcb_write_registers(S_TCB + A_FAULTER, 1, 16, regs);
            }
            err = l4_recv(S_EP_FAULT, &m);
        } else if (x < 95) { /* drop the reply cap: the fault is taken afresh */
            l4_cnode_save_caller(S_SELF, H_SAVED_REPLY, 32);
            l4_cnode_delete(S_SELF, H_SAVED_REPLY, 32);
            err = l4_recv(S_EP_FAULT, &m);
        } else { /* restart it as it is: the same fault again */
            err = l4_reply_recv(S_EP_FAULT, &reply);
        }
    }
}

/* --- the typed world's guest: a guest kernel and its guest user ------------------ */
/* Its user runs one of the guest fuzzer's programs with random registers:
 * svc loops (the vCPU fast path's upcall and resume), undefined
 * instructions, loads and stores at random addresses (page faults from
 * guest user), a counted loop (interrupts taken in guest user); the kernel syncs and resumes itself in kernel mode at
 * times. The guest fuzzer (guest.c) checks what each upcall says; this one
 * gives the typed fuzzers a vCPU that runs while they fuzz. */

#define ST(f) (((l4_vcpu_state_t *)FZ_STATE_VA)[L4_VCPU_STATE_##f])
#define UREG(i) (((l4_vcpu_state_t *)FZ_STATE_VA)[L4_VCPU_STATE_REGS + (i)])
#define KREG(i) (((l4_vcpu_state_t *)FZ_STATE_VA)[L4_VCPU_STATE_KREGS + (i)])
static uint8_t upcall_stack[1024] __attribute__((aligned(8)));
static uint8_t kcont_stack[512] __attribute__((aligned(8)));

static __attribute__((noreturn)) void guest_resume_user(void)
{
    for (;;) {
        l4_vcpu_resume(S_VCPU, L4_VCPU_RESUME_USER, S_PD_GUEST); /* returns only on error */
        idle();
    }
}

/* Where a resume into guest-kernel mode continues. */
static __attribute__((noreturn)) void guest_kcont(void)
{
    FZ_SHARED->progress[A_GUEST]++;
    guest_resume_user();
}

static void guest_restart_user(fz_actor_t *a)
{
    static const uint8_t programs[] = {P_SVC, P_SVC, P_SVC, P_UDF, P_LOAD, P_STORE, P_COUNT, P_VFP};
    l4_word_t p = programs[rng_below(a->rng, sizeof programs)];
    for (unsigned i = 0; i < 13; i++)
        UREG(i) = rng_next(a->rng);
    if (p == P_COUNT) /* up to 2^18 rounds: a tick or two of the supervisor's */
        UREG(0) = 1 + rng_below(a->rng, 1u << 18);
    UREG(L4_VCPU_REG_PC) = FZ_GUEST_CODE_VA + 4u * p;
    UREG(L4_VCPU_REG_CPSR) = rng_chance(a->rng, 80) ? 0x10u : rng_next(a->rng);
}

/* Now and then a hypercall the kernel refuses, each its own way (the
 * invocation forms, which the typed world's guest does not use otherwise),
 * or a resume into kernel mode through the invocation; or it raises the
 * device line itself, so that its interrupt comes while this vCPU runs. */
static void guest_odd_call(fz_actor_t *a)
{
    l4_word_t *r = a->rng, ack = ST(VIRQ_ACK), mr[1] = {L4_VCPU_RESUME_USER};
    l4_cptr_t caps[1] = {S_FRAME};
    volatile l4_word_t *gpio = (volatile l4_word_t *)FZ_GPIO_VA;
    switch (rng_below(r, 7)) {
    case 0: /* no such mode: INVALID_ARGUMENT */
        l4_vcpu_resume_invoke(S_VCPU, 2 + rng_below(r, 1000), S_PD_GUEST);
        break;
    case 1: /* guest user without a page directory: TRUNCATED_MESSAGE */
        l4_invoke(S_VCPU, L4_VCPU_RESUME, mr, 1, caps, 0, 0, 0);
        break;
    case 2: /* a frame for a page directory: INVALID_CAPABILITY */
        l4_invoke(S_VCPU, L4_VCPU_RESUME, mr, 1, caps, 1, 0, 0);
        break;
    case 3: /* a cptr no lookup resolves (the sandbox's guard): FAILED_LOOKUP */
        l4_vcpu_resume(S_VCPU, L4_VCPU_RESUME_USER, 0xff000000u | rng_below(r, FZ_SLOTS));
        break;
    case 4: /* a line that awaits no acknowledgement: NOT_ACTIVE, nothing done */
        ST(VIRQ_ACK) = 1u << 31;
        l4_vcpu_sync_invoke(S_VCPU);
        ST(VIRQ_ACK) = ack;
        break;
    case 5: /* kernel mode through the invocation: continues at guest_kcont */
        KREG(L4_VCPU_REG_SP) = (l4_word_t)(kcont_stack + sizeof kcont_stack);
        KREG(L4_VCPU_REG_PC) = (l4_word_t)guest_kcont;
        KREG(L4_VCPU_REG_CPSR) = 0x10u;
        l4_vcpu_resume_invoke(S_VCPU, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
        break;
    default: /* the device line, raised from here */
        gpio[FZ_GPIO_IEV / 4] = gpio[FZ_GPIO_DATA_PIN0 / 4] & 1u;
        break;
    }
}

/* Upcalls start here (entry_pc), registers other than sp unspecified. */
static __attribute__((noreturn)) void guest_upcall(void)
{
    fz_actor_t *a = &fz_actors[A_GUEST];
    fz_shared_t *sh = FZ_SHARED;
    sh->progress[A_GUEST]++;
    sh->upcalls[ST(CAUSE) & 7u]++;
    /* The device line routed to this vCPU (A_LINE): taken and
     * acknowledged, so the resume unmasks it (a line still raised then
     * fires in guest user or guest kernel at once). */
    l4_word_t taken = __atomic_fetch_and(&ST(VIRQ_PENDING), ~(1u << FZ_LINE_VLINE), __ATOMIC_RELAXED);
    if ((taken & (1u << FZ_LINE_VLINE)) && rng_chance(a->rng, 80))
        ST(VIRQ_ACK) = 1u << FZ_LINE_VLINE;
    if (rng_chance(a->rng, 8))
        guest_odd_call(a);
    if (rng_chance(a->rng, 50)) /* idle: the fuzzers' signals wake it */
        l4_wait(S_NTFN_VIRQ, NULL);
    if (!ST(FROM_USER) || rng_chance(a->rng, 10)) /* start the user program over */
        guest_restart_user(a);
    if (rng_chance(a->rng, 10))
        l4_vcpu_sync(S_VCPU); /* returns, or upcalls again */
    if (rng_chance(a->rng, 10)) {
        KREG(L4_VCPU_REG_SP) = (l4_word_t)(kcont_stack + sizeof kcont_stack);
        KREG(L4_VCPU_REG_PC) = (l4_word_t)guest_kcont;
        KREG(L4_VCPU_REG_CPSR) = 0x10u;
        l4_vcpu_resume(S_VCPU, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL); /* returns only on error */
    }
    guest_resume_user();
}

static __attribute__((noreturn)) void guest_kernel(fz_actor_t *a)
{
    l4_vcpu_set_entry((l4_vcpu_state_t *)FZ_STATE_VA, (l4_word_t)guest_upcall,
                      (l4_word_t)(upcall_stack + sizeof upcall_stack));
    guest_restart_user(a);
    UREG(L4_VCPU_REG_PC) = FZ_GUEST_CODE_VA;
    UREG(L4_VCPU_REG_CPSR) = 0x10;
    guest_resume_user();
}

/* Victims, in a space of their own (FZ_VICTIM_CODE_VA), with the sandbox
 * as CSpace and the spare endpoint as fault endpoint: the first waits on a
 * plain notification, the second calls the spare endpoint, both for ever;
 * an error (the object deleted) makes them fault, so the spare endpoint may
 * hold a fault message too. Destroying either object has waiters to wake
 * (the objects are the sandbox's: the fuzzers may delete them). */
const l4_word_t fz_victim_code[] = {
    0xe3a00000u | S_NTFN,      /* 0: mov r0, #S_NTFN */
    0xe3a07000u | L4_SYS_RECV, /*    mov r7, #L4_SYS_RECV */
    0xef000000u,               /*    svc #0 */
    0xe3500000u,               /*    cmp r0, #0 */
    0x15900000u,               /*    ldrne r0, [r0]: an error code is an address in page 0 */
    0xeafffff9u,               /*    b 0 */
    0xe3a00000u | S_EP_SPARE,  /* 6: mov r0, #S_EP_SPARE (FZ_VICTIM_ENTRY2) */
    0xe3a01000u,               /*    mov r1, #0 (an empty message) */
    0xe3a07000u | L4_SYS_CALL, /*    mov r7, #L4_SYS_CALL */
    0xef000000u,               /*    svc #0 */
    0xe3500000u,               /*    cmp r0, #0 */
    0x15900000u,               /*    ldrne r0, [r0] */
    0xeafffff8u,               /*    b 6 */
};
const unsigned fz_victim_code_words = sizeof fz_victim_code / sizeof fz_victim_code[0];
_Static_assert(S_NTFN < 256 && S_EP_SPARE < 256, "mov immediates");

/* --- the device line ------------------------------------------------------------ */
/* The GPIO's line (INTID 39), at a priority above the fuzzers': once a
 * tick (the supervisor signals its notification) it raises the line,
 * lowers it, acknowledges it, or moves it between its own notification,
 * the guest's vCPU and the guest's bound notification. A raised line that
 * is masked fires when someone acks it: when a fuzzer does (the fuzzers
 * invoke S_IRQ_LINE like any handler), the interrupt meets a fuzzer
 * running and this thread waiting, the kernel's short cut to the waiter;
 * routed to the vCPU, it fires while the guest runs, when the guest acks
 * it at a resume (guest_upcall). */
static __attribute__((noreturn)) void line(fz_actor_t *a)
{
    volatile l4_word_t *gpio = (volatile l4_word_t *)FZ_GPIO_VA;
    l4_word_t *r = a->rng;
    gpio[FZ_GPIO_IE / 4] = 0;
    gpio[FZ_GPIO_DIR / 4] = 0;
    l4_word_t level = gpio[FZ_GPIO_DATA_PIN0 / 4] & 1u;
    fz_line_lower(gpio, level);
    l4_irq_handler_set_notification(S_IRQ_LINE, S_NTFN_LINE);
    for (;;) {
        l4_word_t bits = 0;
        if (l4_wait(S_NTFN_LINE, &bits) != L4_ERR_OK) {
            idle(); /* the sandbox's slot went: a restart puts it back */
            continue;
        }
        FZ_SHARED->progress[A_LINE]++;
        if (bits & FZ_LINE_BADGE)
            FZ_SHARED->line_irqs++;
        switch (rng_below(r, 10)) {
        case 0:
        case 1:
        case 2: /* at once if unmasked, else at the next ack */
            gpio[FZ_GPIO_IEV / 4] = level;
            break;
        case 3:
        case 4:
            fz_line_lower(gpio, level);
            l4_irq_handler_ack(S_IRQ_LINE);
            break;
        case 5: /* still raised: it fires again at once */
            l4_irq_handler_ack(S_IRQ_LINE);
            break;
        case 6:
            l4_irq_handler_clear(S_IRQ_LINE);
            l4_irq_handler_set_notification(S_IRQ_LINE, S_NTFN_LINE);
            break;
        case 7:
            l4_irq_handler_clear(S_IRQ_LINE);
            l4_irq_handler_route_vcpu(S_IRQ_LINE, FZ_LINE_VLINE, S_VCPU);
            break;
        case 8:
            l4_irq_handler_clear(S_IRQ_LINE);
            l4_irq_handler_set_notification(S_IRQ_LINE, S_NTFN_VIRQ);
            break;
        default:
            fz_line_lower(gpio, level);
            break;
        }
    }
}

void fz_actor_main(fz_actor_t *a)
{
    switch (a->role) {
    case A_FUZZ0:
    case A_FUZZ1:
        fz_typed_fuzzer(a);
    case A_PARTNER:
        partner(a);
    case A_CLIENT:
        client(a);
    case A_FAULTER:
        faulter(a);
    case A_HANDLER:
        handler(a);
    case A_GUEST:
        if (a->quota)
            fz_guest_fuzzer(a);
        guest_kernel(a);
    case A_VIRQ:
        fz_virq_source(a);
    case A_LINE:
        line(a);
    default:
        for (;;)
            idle();
    }
}
