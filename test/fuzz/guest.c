/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest fuzzer (suite fuzz-guest): a vCPU thread that is its own guest
 * kernel. Written against libl4's l4/vcpu.h and the L4_VCPU_* names only
 * (docs/vcpu.md). It fills the state page with random contents, makes
 * hypercalls (resume into either mode with random contexts, CPSRs and page
 * directories; sync; waits; any invocation of its vCPU; unknown calls) and
 * runs guest-user programs that take every kind of exception with random
 * registers. Every upcall is checked against what the ABI promises for the
 * context it interrupted (the oracle); a mismatch is recorded in the shared
 * page and fails the campaign. A second thread (fz_virq_source) raises
 * virtual interrupts at random. */
#include <stddef.h>
#include "fuzz.h"

#define ST(f) (((l4_vcpu_state_t *)FZ_STATE_VA)[L4_VCPU_STATE_##f])
#define UREG(i) (((l4_vcpu_state_t *)FZ_STATE_VA)[L4_VCPU_STATE_REGS + (i)])
#define KREG(i) (((l4_vcpu_state_t *)FZ_STATE_VA)[L4_VCPU_STATE_KREGS + (i)])
#define PSR_USER_MASK 0xfe0ffc20u /* flags, GE, IT, T: what a guest may choose (docs/vcpu.md) */
#define PSR_T 0x20u
#define PSR_IT 0x0600fc00u /* an IT block in progress: the next instructions may not execute */
#define PAGE 4096u

const l4_word_t fz_guest_code[P_WORDS] = {
    0xef000000u, 0xeafffffdu,              /* P_SVC: svc #0; b <the svc> */
    0xe7f000f0u, 0xeafffffeu,              /* P_UDF: udf; b . */
    0xe5921000u, 0xef000000u, 0xeafffffeu, /* P_LOAD: ldr r1, [r2]; svc #0; b . */
    0xe5821000u, 0xef000000u, 0xeafffffeu, /* P_STORE: str r1, [r2]; svc #0; b . */
    0xeafffffeu,                           /* P_SPIN: b . */
    0xe3a07007u, 0xef000000u, 0xeafffffeu, /* P_CALL: mov r7, #L4_SYS_CALL; svc #0; b . */
    0xee000a10u, 0xef000000u, 0xeafffffeu, /* P_VFP: vmov s0, r0; svc #0; b . */
    0xe1200070u, 0xeafffffeu,              /* P_BKPT: bkpt #0; b . */
    0xe7fedf00u,                           /* P_THUMB_SVC (Thumb): svc #0; b . */
    0xe2500001u, 0x1afffffdu,              /* P_COUNT: subs r0, r0, #1; bne <the subs>; */
    0xef000000u, 0xeafffffeu,              /*          svc #0; b . */
};
const unsigned fz_guest_code_words = P_WORDS;

/* What the last resume promised, for the next upcall to be checked against. */
static struct {
    l4_word_t mode;    /* L4_VCPU_RESUME_USER / _KERNEL, ~0: the upcall came from a hypercall */
    l4_word_t program; /* P_*, or ~0 for a wild pc */
    l4_word_t regs[13], cpsr;
    int strict;      /* the instruction set matches the program: exact expectations */
    l4_word_t epoch; /* the supervisor's restarts of the guest when it was set */
} exp;

static uint8_t upcall_stack[2048] __attribute__((aligned(8)));
static uint8_t kcont_stack[2048] __attribute__((aligned(8), used));
static l4_word_t kcont_saved[15]
    __attribute__((used));      /* r0-r12, sp, lr as guest_kcont found them */
static l4_cptr_t virq_lines[4]; /* badged copies of the virq notification */

static void bad(l4_word_t what, l4_word_t a, l4_word_t b, l4_word_t c, l4_word_t d)
{
    fz_shared_t *sh = FZ_SHARED;
    if (!sh->guest_bad++) {
        sh->guest_bad_what = what;
        sh->guest_bad_info[0] = a;
        sh->guest_bad_info[1] = b;
        sh->guest_bad_info[2] = c;
        sh->guest_bad_info[3] = d;
    }
}

static int count_call(fz_actor_t *a)
{
    fz_shared_t *sh = FZ_SHARED;
    if (++sh->progress[A_GUEST] < a->quota)
        return 1;
    sh->done[A_GUEST] = 1;
    return 0;
}

/* --- the oracle ------------------------------------------------------------------- */

static l4_word_t program_va(l4_word_t p)
{
    return FZ_GUEST_CODE_VA + 4 * p;
}

/* An upcall from virtual user mode after a resume into program exp.program. */
static void check_user_upcall(l4_word_t cause)
{
    l4_word_t pc = UREG(L4_VCPU_REG_PC), cpsr = UREG(L4_VCPU_REG_CPSR);
    if ((cpsr & 0x1fu) != 0x10u || (cpsr & ~PSR_USER_MASK) != 0x10u)
        bad(1, cause, cpsr, exp.cpsr, pc); /* the CPSR a guest user may have */
    if ((cpsr & PSR_T) != (exp.cpsr & PSR_T))
        bad(2, cause, cpsr, exp.cpsr, pc); /* the instruction set changed by itself */
    if (!exp.strict || exp.program == ~0u)
        return;
    l4_word_t start = program_va(exp.program);
    if (cause == L4_VCPU_CAUSE_VIRQ) { /* any time: within the program */
        if (pc < start || pc > start + 12)
            bad(3, cause, pc, start, 0);
        return;
    }
    l4_word_t want_cause = 0, want_pc = start;
    switch (exp.program) {
    case P_SVC:
        want_cause = L4_VCPU_CAUSE_SYSCALL;
        want_pc = start + 4;
        break;
    case P_THUMB_SVC:
        want_cause = L4_VCPU_CAUSE_SYSCALL;
        want_pc = start + 2;
        break;
    case P_UDF:
        want_cause = L4_VCPU_CAUSE_UNDEFINED;
        break;
    case P_CALL:
        want_cause = L4_VCPU_CAUSE_SYSCALL;
        want_pc = start + 8;
        break;
    case P_VFP:
        want_cause =
            (ST(FPEXC) & L4_VCPU_FPEXC_EN) ? L4_VCPU_CAUSE_SYSCALL : L4_VCPU_CAUSE_UNDEFINED;
        want_pc = want_cause == L4_VCPU_CAUSE_SYSCALL ? start + 8 : start;
        break;
    case P_LOAD:
    case P_STORE: {
        l4_word_t a = exp.regs[2];
        int data = a - FZ_GUEST_DATA_VA < PAGE;
        int code = a - FZ_GUEST_CODE_VA < PAGE;
        int ok = data || (code && exp.program == P_LOAD);
        want_cause = ok ? L4_VCPU_CAUSE_SYSCALL : L4_VCPU_CAUSE_PAGE_FAULT;
        want_pc = ok ? start + 8 : start;
        if (!ok && cause == L4_VCPU_CAUSE_PAGE_FAULT && ST(FAULT_ADDR) != a)
            bad(4, cause, ST(FAULT_ADDR), a, pc);
        break;
    }
    case P_BKPT: /* a debug event: reported as an abort or an undefined instruction */
        if (cause != L4_VCPU_CAUSE_PAGE_FAULT && cause != L4_VCPU_CAUSE_UNDEFINED)
            bad(5, cause, pc, start, 0);
        return;
    default:
        return;
    }
    if (cause != want_cause || pc != want_pc)
        bad(6, cause, want_cause, pc, want_pc);
    /* The registers the program did not touch are as they were loaded. */
    for (unsigned i = 0; i < 13; i++) {
        if ((i == 1 && exp.program == P_LOAD) || (i == 7 && exp.program == P_CALL))
            continue;
        if (UREG(i) != exp.regs[i])
            bad(7, i, UREG(i), exp.regs[i], exp.program);
    }
}

/* --- hypercalls --------------------------------------------------------------------- */

static void next(fz_actor_t *a) __attribute__((noreturn));
void fz_guest_kcont(void);

/* Resume into virtual user mode with program p (or a wild pc). */
static void resume_user(fz_actor_t *a)
{
    l4_word_t *r = a->rng;
    static const uint8_t programs[] = {P_SVC,   P_SVC,  P_UDF, P_LOAD, P_LOAD,     P_STORE,
                                       P_STORE, P_CALL, P_VFP, P_BKPT, P_THUMB_SVC};
    /* (a spin only ends with a virtual interrupt: now and then) */
    l4_word_t p = rng_chance(r, 1) ? P_SPIN : programs[rng_below(r, sizeof programs)];
    int wild = rng_chance(r, 6);
    for (unsigned i = 0; i < 13; i++)
        exp.regs[i] = UREG(i) = rng_small_or_boundary(r, 1u << 20);
    if (p == P_LOAD || p == P_STORE) { /* r2: the data page, the code page, or anywhere */
        l4_word_t x = rng_below(r, 4);
        exp.regs[2] = UREG(2) = x == 0   ? FZ_GUEST_DATA_VA + 4 * rng_below(r, PAGE / 4)
                                : x == 1 ? FZ_GUEST_CODE_VA + 4 * rng_below(r, PAGE / 4)
                                         : rng_boundary(r) & ~3u;
    }
    l4_word_t thumb = p == P_THUMB_SVC ? PSR_T : 0;
    l4_word_t cpsr = rng_chance(r, 70) ? 0x10u | thumb : rng_next(r);
    exp.cpsr = (cpsr & PSR_USER_MASK) | 0x10u;
    exp.strict = (exp.cpsr & PSR_T) == thumb && !(exp.cpsr & PSR_IT) && !wild;
    exp.program = wild ? ~0u : p;
    exp.mode = L4_VCPU_RESUME_USER;
    UREG(L4_VCPU_REG_SP) = rng_small_or_boundary(r, 1u << 24);
    UREG(L4_VCPU_REG_LR) = rng_next(r);
    UREG(L4_VCPU_REG_PC) = wild ? rng_wild_va(r) : program_va(p) | (thumb ? 1 : 0);
    UREG(L4_VCPU_REG_CPSR) = cpsr;
    if (rng_chance(r, 20))
        ST(FPEXC) = rng_chance(r, 50) ? L4_VCPU_FPEXC_EN : rng_next(r);
    l4_cptr_t pd = rng_chance(r, 92) ? S_PD_GUEST : rng_small_or_boundary(r, FZ_SLOTS);
    if (pd != S_PD_GUEST)
        exp.strict = 0; /* (another space: its programs are not there) */
    if (!count_call(a))
        return;
    l4_vcpu_resume(S_VCPU, L4_VCPU_RESUME_USER, pd); /* returns only on error */
    exp.mode = ~0u;
}

/* A guest-kernel context in kregs that continues at fz_guest_kcont with
 * random registers (or, wild, at a wild pc); returns whether it is wild. */
static int kregs_fresh(l4_word_t *r, int may_be_wild)
{
    for (unsigned i = 0; i < 13; i++)
        exp.regs[i] = KREG(i) = rng_small_or_boundary(r, 1u << 20);
    KREG(L4_VCPU_REG_SP) = (l4_word_t)(kcont_stack + sizeof kcont_stack);
    KREG(L4_VCPU_REG_LR) = rng_next(r);
    int wild = may_be_wild && rng_chance(r, 3);
    KREG(L4_VCPU_REG_PC) = wild ? rng_wild_va(r) : (l4_word_t)fz_guest_kcont;
    l4_word_t cpsr = rng_chance(r, 70) ? 0x10u : rng_next(r) & ~PSR_T;
    KREG(L4_VCPU_REG_CPSR) = cpsr;
    exp.cpsr = (cpsr & PSR_USER_MASK) | 0x10u;
    return wild;
}

/* Resume the guest kernel at fz_guest_kcont with random registers, which
 * it then compares with what it set. */
static void resume_kernel(fz_actor_t *a)
{
    int wild = kregs_fresh(a->rng, 1);
    exp.mode = L4_VCPU_RESUME_KERNEL;
    exp.strict = !wild;
    if (!count_call(a))
        return;
    l4_vcpu_resume(S_VCPU, L4_VCPU_RESUME_KERNEL, L4_CAP_NULL);
    exp.mode = ~0u;
}

/* guest_kcont: the kernel context resumed by resume_kernel (ARM): save
 * r0-r12, sp, lr, take our own stack, go on in C. */
__asm__(".text\n .arm\n .global fz_guest_kcont\n fz_guest_kcont:\n"
        " push {r0}\n ldr r0, =kcont_saved\n stmia r0, {r0-r14}\n"
        " pop {r1}\n str r1, [r0]\n" /* r0 as it came */
        " add r1, sp, #0\n str r1, [r0, #52]\n"
        " ldr sp, =kcont_stack + 2048\n b fz_guest_kcont_c\n .ltorg\n");

void fz_guest_kcont_c(void) __attribute__((noreturn));
void fz_guest_kcont_c(void)
{
    fz_actor_t *a = &fz_actors[A_GUEST];
    if (exp.mode == L4_VCPU_RESUME_KERNEL && exp.strict)
        for (unsigned i = 0; i < 13; i++)
            if (kcont_saved[i] != exp.regs[i])
                bad(8, i, kcont_saved[i], exp.regs[i], 0);
    exp.mode = ~0u;
    next(a);
}

static void poke_state_page(fz_actor_t *a)
{
    l4_word_t *r = a->rng;
    switch (rng_below(r, 6)) {
    case 0: /* fields the kernel writes: it must overwrite them */
        ST(CAUSE) = rng_next(r);
        ST(FROM_USER) = rng_next(r);
        ST(FAULT_ADDR) = rng_next(r);
        break;
    case 1:
        ST(VIRQ_PENDING) = rng_chance(r, 50) ? 0 : rng_boundary(r);
        break;
    case 2:
        ST(VIRQ_ENABLED) = rng_small_or_boundary(r, 2);
        break;
    case 3:
        ST(FPEXC) = rng_boundary(r);
        break;
    case 4: /* a wild entry point: the next upcall faults in kernel mode (restart) */
        if (rng_chance(r, 10))
            ST(ENTRY_PC) = rng_wild_va(r);
        else if (rng_chance(r, 10))
            ST(ENTRY_SP) = rng_wild_va(r);
        break;
    default: { /* word by word garbage in the saved contexts (a pc or sp: a wild one) */
        l4_word_t i = rng_below(r, 17), v = rng_next(r);
        UREG(i) = i == L4_VCPU_REG_PC || i == L4_VCPU_REG_SP ? fz_out_of_fuzz_space(v) : v;
        i = rng_below(r, 17), v = rng_next(r);
        KREG(i) = i == L4_VCPU_REG_PC || i == L4_VCPU_REG_SP ? fz_out_of_fuzz_space(v) : v;
        break;
    }
    }
}

/* The vCPU's own timers: armed (mostly within a few supervisor ticks,
 * relative, once; now and then periodic, absolute, past, or refused),
 * cancelled, read. Their lines become pending virtual interrupts like the
 * virq source's signals (or wake the guest waiting on its notification). */
static void vcpu_timers(l4_word_t *r)
{
    l4_word_t t[L4_VCPU_TIME_WORDS] = {0};
    l4_vcpu_read_time(S_VCPU, t);
    l4_word_t freq = t[2] ? t[2] : 62500000u, tick = freq / FZ_TICKS_PER_S;
    l4_word_t timer = rng_chance(r, 90) ? rng_below(r, L4_VCPU_TIMERS) : rng_boundary(r);
    switch (rng_below(r, 4)) {
    case 0:
    case 1: {
        l4_word_t rel = rng_chance(r, 85), line = rng_chance(r, 90) ? rng_below(r, 32) : rng_boundary(r);
        l4_word_t period = rng_chance(r, 80)   ? 0
                           : rng_chance(r, 70) ? tick * (1 + rng_below(r, 8))
                                               : rng_boundary(r);
        l4_word_t lo = rel ? rng_below(r, 4 * tick) : t[0] + rng_below(r, 4 * tick) - tick;
        l4_word_t hi = rel ? 0 : t[1];
        l4_word_t flags = rng_chance(r, 95) ? (rel ? L4_VCPU_TIMER_RELATIVE : 0) : rng_boundary(r);
        l4_vcpu_set_timer(S_VCPU, timer, flags, line, lo, hi, period);
        break;
    }
    case 2:
        l4_vcpu_cancel_timer(S_VCPU, timer);
        break;
    default:
        l4_vcpu_read_time(rng_chance(r, 80) ? S_VCPU : S_VCPU_SPARE, t);
        break;
    }
}

/* Cases 4 and 5 may resume guest-kernel mode (vcpu_resume as an
 * invocation or a system call, any arguments): into a fresh context in
 * kregs (kregs_fresh), never one saved at an earlier upcall. That one's
 * stack may be in use again since (every upcall starts on entry_sp, an
 * upcall taken inside the upcall handler too), so it would return into
 * garbage and run the fuzzer's own code at random (fuzz.h, rng_wild_va). */
static void other_hypercall(fz_actor_t *a)
{
    l4_word_t *r = a->rng, bits;
    if (!count_call(a))
        return;
    switch (rng_below(r, 9)) {
    case 8:
        vcpu_timers(r);
        break;
    case 0: { /* sync, perhaps with something pending: an upcall from kernel mode */
        exp.mode = ~0u;
        l4_word_t e = l4_vcpu_sync(S_VCPU);
        /* (the cap may be gone a while: the supervisor replaces the vCPU) */
        if (e != L4_ERR_OK && e != L4_ERR_FAILED_LOOKUP && e != L4_ERR_ILLEGAL_OPERATION)
            bad(9, e, 0, 0, 0);
        break;
    }
    case 1: /* idle until a virtual interrupt */
        l4_wait(S_NTFN_VIRQ, &bits);
        break;
    case 2:
        l4_poll(S_NTFN_VIRQ, &bits);
        break;
    case 3:
        l4_signal(virq_lines[rng_below(r, 4)]);
        break;
    case 4: { /* any method of its own vCPU, any arguments (kregs_fresh: above) */
        kregs_fresh(r, 0);
        l4_word_t mr[4] = {rng_boundary(r), rng_boundary(r), 0, 0};
        l4_cptr_t caps[2] = {rng_small_or_boundary(r, FZ_SLOTS),
                             rng_small_or_boundary(r, FZ_SLOTS)};
        l4_word_t label = rng_chance(r, 80) ? 50 + rng_below(r, 8) : rng_boundary(r) & 0xfffff;
        exp.mode = ~0u;
        l4_invoke(S_VCPU, label, mr, rng_below(r, 4), caps, rng_below(r, 3), NULL, 0);
        break;
    }
    case 5: { /* any system call number (unknown ones fault: the supervisor skips them) */
        kregs_fresh(r, 0);
        l4_msg_t m = {0};
        m.info = rng_next(r) & ~(l4_word_t)L4_MSG_KERNEL_BITS;
        l4_word_t n = rng_chance(r, 80) ? rng_below(r, 16) : rng_boundary(r);
        if (n == L4_SYS_DEBUG_PUTC || n == L4_SYS_RECV || n == L4_SYS_REPLY_RECV ||
            n == L4_SYS_SEND || n == L4_SYS_CALL)
            n = L4_SYS_YIELD; /* nothing that prints or blocks for good */
        exp.mode = ~0u;
        l4_syscall_ipc(n, rng_small_or_boundary(r, FZ_SLOTS), &m);
        break;
    }
    case 6:
        l4_yield();
        break;
    default: /* a vCPU not bound to us */
        l4_vcpu_sync(S_VCPU_SPARE);
        break;
    }
}

/* Choose and make the next hypercall; only returns from the ones that do. */
static void next(fz_actor_t *a)
{
    l4_word_t *r = a->rng;
    for (;;) {
        if (FZ_SHARED->done[A_GUEST])
            for (;;) {
                l4_wait(S_PARK, NULL);
                l4_yield();
            }
        if (rng_chance(r, 25))
            poke_state_page(a);
        l4_word_t x = rng_below(r, 100);
        if (x < 55)
            resume_user(a);
        else if (x < 70)
            resume_kernel(a);
        else
            other_hypercall(a);
    }
}

/* Upcalls start here (entry_pc; only sp is defined). */
static void __attribute__((noreturn)) upcall(void)
{
    fz_actor_t *a = &fz_actors[A_GUEST];
    fz_shared_t *sh = FZ_SHARED;
    l4_word_t cause = ST(CAUSE), from_user = ST(FROM_USER);
    sh->upcalls[cause & 7u]++;
    if (exp.epoch != sh->restarts[A_GUEST]) { /* restarted since: a pending interrupt may */
        exp.epoch = sh->restarts[A_GUEST];    /* interrupt its new start, no resume of ours */
        exp.mode = ~0u;
    }
    if (cause < L4_VCPU_CAUSE_VIRQ || cause > L4_VCPU_CAUSE_UNDEFINED)
        bad(10, cause, from_user, 0, 0);
    if (ST(VIRQ_ENABLED) != 0)
        bad(11, cause, ST(VIRQ_ENABLED), 0, 0); /* an upcall disables virtual interrupts */
    if (from_user > 1)
        bad(12, cause, from_user, 0, 0);
    if (cause == L4_VCPU_CAUSE_VIRQ)
        sh->virqs += l4_vcpu_take_pending((l4_vcpu_state_t *)FZ_STATE_VA) != 0;
    else if (!from_user)
        bad(13, cause, 0, 0, 0); /* exceptions in kernel mode are faults, not upcalls */
    if (exp.mode == L4_VCPU_RESUME_USER) {
        /* A virtual interrupt may come in kernel mode before the resume
         * took effect (the guest kernel runs with them enabled now and
         * then, and a resume that fails returns to it): fine, unless what
         * was saved as the kernel's context is the guest user's. */
        l4_word_t kpc = KREG(L4_VCPU_REG_PC);
        int user_pc = kpc - FZ_GUEST_CODE_VA < 4096;
        if (!from_user && (cause != L4_VCPU_CAUSE_VIRQ || user_pc))
            bad(14, cause, kpc, 0, 0);
        else if (from_user)
            check_user_upcall(cause);
    } else if (exp.mode == L4_VCPU_RESUME_KERNEL && from_user) {
        bad(15, cause, 0, 0, 0);
    }
    exp.mode = ~0u;
    count_call(a);
    next(a);
}

void fz_guest_fuzzer(fz_actor_t *a)
{
    /* virtual interrupt lines: badged copies of the bound notification */
    for (unsigned i = 0; i < 4; i++) {
        virq_lines[i] = FZ_FREE_FIRST + i;
        l4_cnode_delete(S_SELF, virq_lines[i], 32);
        l4_cnode_mint(S_SELF, virq_lines[i], 32, S_NTFN_VIRQ, 32, L4_RIGHT_WRITE, 1u << (i * 8),
                      S_SELF);
    }
    exp.mode = ~0u;
    exp.epoch = FZ_SHARED->restarts[A_GUEST];
    l4_vcpu_set_entry((l4_vcpu_state_t *)FZ_STATE_VA, (l4_word_t)upcall,
                      (l4_word_t)(upcall_stack + sizeof upcall_stack));
    next(a);
}

/* The other thread of the guest world: virtual interrupts at random times,
 * and the vCPU invoked by a thread that is not its own. */
void fz_virq_source(fz_actor_t *a)
{
    l4_word_t *r = a->rng;
    for (;;) {
        FZ_SHARED->progress[A_VIRQ]++;
        l4_wait(S_PACE, NULL); /* one action per supervisor tick, above the guest */
        l4_word_t x = rng_below(r, 10);
        if (x < 5) {
            l4_cptr_t line = FZ_FREE_FIRST + rng_below(r, 4);
            l4_signal(rng_chance(r, 80) ? line : S_NTFN_VIRQ);
        } else if (x < 6) {
            l4_vcpu_sync(S_VCPU);
        } else if (x < 7) {
            l4_vcpu_resume(S_VCPU, rng_below(r, 2), S_PD_GUEST);
        } else {
            l4_yield();
        }
    }
}
