/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel fuzzer (docs/testing.md, "Fuzzing"): a root task, the
 * supervisor (supervisor.c), builds a world of live objects of every type
 * for each campaign (world.c), runs fuzzer threads and the actors they need
 * (actors.c: an IPC partner, a client, a faulting thread and its handler, a
 * vCPU guest; guest.c: the guest fuzzer) in an address space of their own,
 * restarts whatever harms itself, and after every campaign checks the
 * kernel (check.c): the debug configuration's invariant checker, then
 * revoke everything and retype all memory and every ASID.
 *
 * Everything the actors run is a copy: the supervisor clones its own image
 * into the fuzz space (world.c), so wild writes, jumps and register values
 * an actor is given can only spoil that copy. The one page both see is
 * fz_shared, where actors report progress and results. */
#pragma once
#include <l4/l4.h>
#include <l4/vcpu.h>

/* Build parameters (test/fuzz/SConscript; `scons test FUZZ_SEED=.. FUZZ_CALLS=..`):
 * the first campaign's seed, the calls to make in all (all fuzzer threads),
 * and the campaign kind (0: typed fuzzer, 1: guest fuzzer). */
extern const l4_word_t fz_param_seed, fz_param_calls, fz_param_kind;
#define FZ_KIND_TYPED 0
#define FZ_KIND_GUEST 1

/* --- priorities ---------------------------------------------------------------- */
#define FZ_PRIO_SUPERVISOR 200 /* woken by its timer and by faults only */
#define FZ_PRIO_ACTORS 150     /* every actor, fuzzers included: IPC fastpath partners */
#define FZ_PRIO_PACED 151      /* actors that act once per supervisor tick */
#define FZ_PRIO_VICTIMS 140    /* they run when the actors wait */
#define FZ_TICKS_PER_S 4000u   /* the supervisor's tick: 250 us */

/* --- the fuzz space (world.c) -------------------------------------------------- */
#define FZ_SHARED_VA 0x30000000u  /* fz_shared: in the root's space and the fuzz space */
#define FZ_IPCBUF_VA 0x30100000u  /* actor k's IPC buffer at + k * 4 KiB */
#define FZ_STATE_VA 0x30200000u   /* the guest's vCPU state page */
#define FZ_SCRATCH_VA 0x31000000u /* 16 MiB the fuzzers map frames into (own and other spaces) */
#define FZ_SCRATCH_MB 16u
/* The PL061 GPIO's registers (its INTID 39 is the one device line user
 * level can raise: pin 0 set to interrupt on the level it sits at), in the
 * shared page's table of the fuzz space. */
#define FZ_GPIO_VA 0x30080000u
#define FZ_LINE_IRQ 39u
#define FZ_LINE_BADGE 2u /* the line's signals on S_NTFN_LINE; the supervisor's tick is 1 */
#define FZ_LINE_VLINE 5u /* the guest's virtual line when the line is routed to its vCPU */

/* The PL061's registers (byte offsets) and how the line is raised and
 * lowered (world.c, actors.c: fz_line_lower): level-sensitive on pin 0, interrupting on
 * its own level (raised) or the other one (lowered). */
#define FZ_GPIO_DATA_PIN0 0x004u
#define FZ_GPIO_DIR 0x400u
#define FZ_GPIO_IS 0x404u
#define FZ_GPIO_IEV 0x40cu
#define FZ_GPIO_IE 0x410u
#define FZ_GPIO_IC 0x41cu
void fz_line_lower(volatile l4_word_t *gpio, l4_word_t level);
#define FZ_GUEST_CODE_VA 0x00400000u /* guest-user programs (guest.c), in guest-user spaces */
#define FZ_GUEST_DATA_VA 0x00500000u /* a read/write data page there */
#define FZ_VICTIM_CODE_VA 0x00400000u
#define FZ_VICTIM_ENTRY2 24u /* the second victim's loop, bytes into their code */

/* The guest-user programs at FZ_GUEST_CODE_VA (guest.c: fz_guest_code), ARM
 * unless noted, by their first word. */
enum {
    P_SVC = 0,
    P_UDF = 2,
    P_LOAD = 4,
    P_STORE = 7,
    P_SPIN = 10,
    P_CALL = 11,
    P_VFP = 14,
    P_BKPT = 17,
    P_THUMB_SVC = 19,
    P_COUNT = 20, /* r0 down to 0, then svc: a while in guest user (interrupts there) */
    P_WORDS = 24
};

/* --- actors ---------------------------------------------------------------------- */
enum fz_role {
    A_FUZZ0,   /* typed fuzzer; its TCB's original cap is the supervisor's */
    A_FUZZ1,   /* typed fuzzer; its TCB's original cap is in the sandbox: it can destroy itself */
    A_PARTNER, /* receives on the partner endpoint and replies (reply_recv) */
    A_CLIENT,  /* calls the client endpoint, where the fuzzers receive */
    A_FAULTER, /* faults on purpose (fault endpoint: the handler's) */
    A_HANDLER, /* receives the faulter's faults; replies, restarts, refuses */
    A_GUEST,   /* a vCPU thread: typed world, a guest kernel; guest world, the guest fuzzer */
    A_VIRQ,    /* guest world: signals virtual interrupts and pokes the vCPU */
    A_LINE,    /* typed world: raises and lowers a device line, moves it, acks it */
    A_COUNT
};

typedef struct fz_actor {
    l4_word_t role;
    l4_word_t stack_top;
    l4_word_t rng[4]; /* private generator state (rng.c) */
    l4_word_t quota;  /* fuzzers: calls to make in this campaign */
    l4_cptr_t self;   /* its TCB in the sandbox */
} fz_actor_t;

/* A few VFP/NEON instructions from random registers (fpu.c), the first of
 * one of four kinds: ARM VFP, ARM NEON, Thumb VFP, Thumb NEON. */
l4_word_t fz_fpu_touch(l4_word_t *rng);

/* Where the supervisor starts (and restarts) every actor. */
void fz_actor_main(fz_actor_t *a) __attribute__((noreturn));
extern fz_actor_t fz_actors[A_COUNT];

/* --- the shared page ------------------------------------------------------------ */
#define FZ_ERRORS 32 /* result codes counted (L4_ERR_*; the last one: any larger) */
enum fz_op {
    OP_INVOKE, /* a method of a typed capability */
    OP_IPC,    /* endpoints, notifications, replies */
    OP_RAW,    /* any system call with any registers */
    OP_HARM,   /* on itself: suspend, priority, the other fuzzer's configuration, ... */
    OP_CHECK,  /* machine_debug_check in the middle of it all */
    OP_COUNT
};
typedef struct fz_shared {
    volatile l4_word_t progress[A_COUNT]; /* fuzzers: calls made; others: rounds */
    volatile l4_word_t done[A_COUNT];     /* a fuzzer made its quota */
    volatile l4_word_t restarts[A_COUNT]; /* the supervisor's restarts of each actor */
    volatile l4_word_t results[FZ_ERRORS];
    volatile l4_word_t lookup_failed_invoked; /* FAILED_LOOKUP of the cap invoked itself */
    volatile l4_word_t lookup_failed_by_op[OP_COUNT];
    /* Calls that only ask whether a slot is empty (not in `results`), and
     * how many found it so. */
    volatile l4_word_t probes, probes_empty;
    volatile l4_word_t ops[OP_COUNT];
    volatile l4_word_t ok_by_type[16];   /* invocations that succeeded, per object type */
    volatile l4_word_t ok_by_label[100]; /* ... per method label */
    volatile l4_word_t ipc_ok[12];       /* IPC system calls that succeeded, per number */
    volatile l4_word_t reply_lost, faults_handled, upcalls[8], virqs;
    /* irq_control_get's answers: a handler made, a line never user level's
     * (RANGE_ERROR), a line that has a handler already (REVOKE_FIRST). */
    volatile l4_word_t irq_get_ok, irq_get_refused, irq_get_claimed;
    /* The device line's interrupts A_LINE received on its notification. */
    volatile l4_word_t line_irqs;
    /* The first invariant violation an actor's own machine_debug_check saw. */
    volatile l4_word_t check_calls, check_bad[L4_DEBUG_CHECK_WORDS];
    /* The guest fuzzer's oracle (guest.c): the first mismatch between what
     * the kernel did and what the ABI promises, and how many. */
    volatile l4_word_t guest_bad, guest_bad_what, guest_bad_info[4];
} fz_shared_t;
#define FZ_SHARED ((fz_shared_t *)FZ_SHARED_VA)

/* --- the sandbox: the fuzzers' CSpace (world.c builds it) -------------------------
 * A CNode of 2^FZ_SANDBOX_BITS slots seen through a cap with a 24-bit zero
 * guard: a cptr is a slot number, resolved in one level (the fastpath's
 * condition). Slots below FZ_FREE_FIRST hold the world; the rest start
 * empty. */
#define FZ_SANDBOX_BITS 8
#define FZ_SLOTS (1u << FZ_SANDBOX_BITS)
enum fz_slot {
    S_NULL,
    S_SELF,                      /* the sandbox itself (guard 24) */
    S_TCB,                       /* + role: the actors' TCBs */
    S_VICTIM = S_TCB + A_COUNT,  /* two threads in a space of their own: fair game */
    S_EP_PARTNER = S_VICTIM + 2, /* the partner receives here */
    S_EP_CLIENT,                 /* the client calls here, fuzzers receive */
    S_EP_FAULT,                  /* the faulter's fault endpoint, the handler receives */
    S_EP_SPARE,                  /* nobody serves it */
    S_NTFN,                      /* two plain notifications */
    S_NTFN_VIRQ = S_NTFN + 2,    /* bound to the guest: virtual interrupts */
    S_NTFN_BOUND,                /* bound to the partner */
    S_PARK,                      /* read only: actors that are done wait here */
    S_PACE,                      /* read only: the supervisor signals it every tick */
    S_UT,                        /* three untypeds: 64 KiB, 16 KiB, 4 KiB */
    S_CNODE_N1 = S_UT + 3,       /* radix 4, guard 4: its slot 1 holds N2 (radix 6, guard 18) */
    S_CNODE_N3,                  /* radix 5, guard 27: a depth-32 path is the slot number */
    S_PD_FUZZ,                   /* the fuzz space (the actors run in it) */
    S_PD_A,                      /* two spare page directories, one with a table mapped */
    S_PD_B,
    S_PD_GUEST,                   /* the guest-user space */
    S_PT,                         /* two page tables: unmapped, mapped in PD_A at 16 MiB */
    S_FRAME = S_PT + 2,           /* 4 KiB x3, 64 KiB, 1 MiB; the first mapped in PD_A */
    S_FRAME_STATE = S_FRAME + 5,  /* the guest's state page */
    S_FRAME_H,                    /* the handler's frame for mending page faults */
    S_VCPU,                       /* bound to the guest */
    S_VCPU_SPARE,                 /* unbound */
    S_IRQ,                        /* IRQ handlers of two lines no device raises */
    S_MACHINE = S_IRQ + 2,        /* machine caps: no rights; WRITE only */
    S_IRQ_CONTROL = S_MACHINE + 2, /* a copy of IRQ control: handlers of any line */
    S_SUPERVISOR,                 /* + role: badged fault endpoints to the supervisor */
    S_IRQ_LINE = S_SUPERVISOR + A_COUNT, /* the GPIO line's handler (the supervisor's) */
    S_NTFN_LINE,                  /* A_LINE waits here: the line (FZ_LINE_BADGE) and ticks */
    S_FIXED_END,
    FZ_FREE_FIRST = 80,
};
#define FZ_N1_RADIX 4
#define FZ_N1_GUARD_BITS 4
#define FZ_N2_RADIX 6
#define FZ_N2_GUARD_BITS 18
#define FZ_N3_RADIX 5

/* The fuzzers' picture of the sandbox (model.c): a type per slot (L4_OBJ_*),
 * kept as their own results say (FZ_UNKNOWN: occupied by something), and
 * the slot each cap was derived from. A hint, never trusted: a stale entry
 * costs a failed call, which is a call too. */
#define FZ_UNKNOWN 0xfeu
extern volatile uint8_t fz_model[FZ_SLOTS];
extern uint8_t fz_repaired[FZ_FREE_FIRST]; /* type of the slots world_repair() restores */
/* How a CNode cap in a slot resolves, for well-formed paths: its radix and
 * guard size (guard value 0), and whether it is N1's view (N2 in its slot
 * 1). Radix 0: not known (paths take the sandbox's form). Part of the
 * picture, kept with the type by the same results: an empty slot has the
 * view of what world_repair() puts back there (or none). */
typedef struct fz_view {
    uint8_t radix, guard, nested;
} fz_view_t;
extern fz_view_t fz_view[FZ_SLOTS];
void model_reset(void);
/* With no known parent; FZ_UNKNOWN keeps the slot's view, a type makes it
 * the view of what the supervisor put there. */
void model_set(l4_word_t slot, l4_word_t type);
void model_new(l4_word_t dest, l4_word_t count, l4_word_t type, l4_word_t parent, fz_view_t view);
void model_copy(l4_word_t dest, l4_word_t src, fz_view_t view); /* a mint: its guard */
void model_move(l4_word_t dest, l4_word_t src, fz_view_t view); /* a mutate: its guard */
void model_delete(l4_word_t slot);
void model_revoke(l4_word_t slot);

/* --- rng.c ---------------------------------------------------------------------- */
void rng_seed(l4_word_t *st, l4_word_t seed);
l4_word_t rng_next(l4_word_t *st);
l4_word_t rng_below(l4_word_t *st, l4_word_t n);                 /* uniform in [0, n) (n > 0) */
int rng_chance(l4_word_t *st, l4_word_t percent);                /* true percent% of the time */
l4_word_t rng_boundary(l4_word_t *st);                           /* 0, 1, -1, 2^k, 2^k +- 1, ... */
l4_word_t rng_small_or_boundary(l4_word_t *st, l4_word_t small); /* mostly < small */
l4_word_t fz_seed_mix(l4_word_t seed, l4_word_t k);              /* a seed per campaign and actor */
/* Whether the fuzz space maps va: the image copy, the shared, IPC-buffer
 * and state pages' tables, the scratch window. */
int fz_in_fuzz_space(l4_word_t va);
l4_word_t fz_out_of_fuzz_space(l4_word_t va); /* va, or va with bit 30 set if the space maps it */
/* A wild address for a context the guest fuzzer makes up (a pc, a stack,
 * an upcall entry point): a boundary value, moved out of the fuzz space
 * (bit 30 set: user space nothing maps). A jump or a stack inside it would
 * run or overwrite the actors' own code and data at random, the guest's
 * oracle and its records in fz_shared among them, and it would then
 * report what the kernel never did (docs/testing.md, "Fuzzing"). */
l4_word_t rng_wild_va(l4_word_t *st);
