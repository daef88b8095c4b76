/* SPDX-License-Identifier: BSD-2-Clause */
/* The supervisor's side of a campaign's world (world.c): what it holds in
 * its own CNode to build, repair, restart and tear down the sandbox world.
 * Everything per campaign comes from the pool untyped, so one revoke of the
 * pool ends it; the supervisor's own objects come from its own untyped. */
#pragma once
#include "fuzz.h"

typedef struct fz_world {
    /* persistent: made once at start-up */
    l4_cptr_t sup_ut, pool; /* the supervisor's untyped; the campaigns' memory */
    l4_word_t pool_bits;
    l4_cptr_t se, timer_ntfn; /* the supervisor's endpoint and its tick's notification */
    l4_cptr_t shared;                    /* fz_shared's frame (mapped at FZ_SHARED_VA here) */
    l4_cptr_t scratch_first;             /* 256 root slots for the retype-all check */
    l4_cptr_t gpio, line_irq; /* the GPIO's frame (mapped at FZ_SUP_GPIO_VA), its line's handler */
    l4_word_t line_level;     /* pin 0's undriven level: interrupting on it raises the line */
    /* per campaign (root slots from `first` up; all empty between campaigns) */
    l4_cptr_t first, next, end;
    l4_cptr_t sandbox, sandbox_view; /* the CNode; its guard-24 view (the actors' CSpace) */
    l4_cptr_t fuzz_pd, guest_pd, victim_pd;
    l4_cptr_t fuzz1_pd; /* FUZZ1's address space: a copy of the sandbox's copy of fuzz_pd */
    l4_cptr_t tcb[A_COUNT], ipc_frame[A_COUNT];
    l4_cptr_t state_map, state_bind, vcpu, ntfn_virq, ntfn_bound, park, pace;
    l4_cptr_t state_sup; /* the state page's copy mapped at FZ_SUP_STATE here (restarts) */
    l4_cptr_t ep_partner, ep_client, ep_fault, frame_h, irq[2], ntfn_line;
    int irq_control_lost; /* a fuzzer moved IRQ control out of S_IRQ_CONTROL: gone */
    struct { /* the supervisor's cap behind each fixed sandbox slot (0: none), as given */
        l4_cptr_t cap;
        l4_word_t rights, badge;
    } fixed[FZ_FREE_FIRST];
    l4_word_t restarts[A_COUNT];
    l4_word_t retired; /* actors given up on for this campaign (bit per role) */
    l4_word_t kind;
} fz_world_t;

/* The guest's vCPU state page as the supervisor sees it (world.c maps it
 * next to its staging window for every campaign). */
#define FZ_SUP_STATE_VA 0x3f001000u
#define FZ_SUP_STATE ((volatile l4_word_t *)FZ_SUP_STATE_VA)
#define FZ_SUP_GPIO_VA 0x3f002000u /* the GPIO, for the supervisor to quiet the line */


/* The world cannot be built (supervisor.c): report, stop the machine. */
void fz_fatal(const char *what, l4_word_t err) __attribute__((noreturn));

/* Start-up: the persistent part (slots from the boot-info empty range). */
void world_init(fz_world_t *w);
/* A campaign's world: the fuzz space (a copy of this image), the sandbox and
 * every object in it, the actors configured but not started. */
void world_build(fz_world_t *w, l4_word_t seed, l4_word_t kind, l4_word_t quota);
/* (Re)start actor k at fz_actor_main: recreate its TCB if it was destroyed,
 * reconfigure it, put its fixed sandbox slots back. Returns 0 if given up. */
int world_restart(fz_world_t *w, unsigned k);
/* Put back the fixed sandbox slots the supervisor gave that the fuzzers
 * emptied (an occupied slot is left as it is). */
void world_repair(fz_world_t *w);
/* Actors that take part in this campaign kind (bit per role). */
l4_word_t world_actors(const fz_world_t *w);
/* Stop every actor (for the check), then destroy the world. */
void world_stop(fz_world_t *w);
void world_destroy(fz_world_t *w);

/* The supervisor's tick (its thread's kernel timer, tcb_set_timer, signals
 * timer_ntfn): rearm after each. */
void world_tick_arm(fz_world_t *w);

/* Guest-user and victim programs (guest.c): ARM words copied to
 * FZ_GUEST_CODE_VA / FZ_VICTIM_CODE_VA of their spaces (fuzz.h: P_*). */
extern const l4_word_t fz_guest_code[], fz_victim_code[];
extern const unsigned fz_guest_code_words, fz_victim_code_words;
