/* SPDX-License-Identifier: BSD-2-Clause */
/* Generators of the typed fuzzer (gen.c): one system call at a time, with
 * capabilities picked by type from the sandbox picture (fz_model), labels
 * valid for the type most of the time, well-formed capability paths (and
 * malformed ones), argument values biased to boundaries. */
#pragma once
#include <stddef.h>
#include "fuzz.h"

/* A generated system call, and what it would change in the sandbox if it
 * succeeds (for fz_model). */
typedef struct fz_call {
    l4_word_t op;    /* OP_* */
    l4_word_t sysno; /* L4_SYS_* (or any number, OP_RAW) */
    l4_cptr_t cptr;
    l4_word_t label, length, ncaps;
    l4_word_t kernel_bits;          /* info bits 9-11, set now and then: refused */
    l4_word_t mr[L4_MSG_MAX_WORDS]; /* message words */
    l4_cptr_t caps[L4_MSG_MAX_CAPS];
    l4_word_t type;      /* the invoked capability's type as believed */
    l4_word_t recv_slot; /* a receive: the sandbox slot for capabilities, or 0 */
    /* What it does to the sandbox if it succeeds (model.c), on slots of the
     * sandbox itself (FX_NONE for anything else). */
    l4_word_t effect; /* FX_* */
    l4_word_t dest, count, dest_type, src;
    fz_view_t view; /* FX_NEW, FX_COPY, FX_MOVE: the view the caps made have */
} fz_call_t;

enum { FX_NONE, FX_NEW, FX_COPY, FX_MOVE, FX_DELETE, FX_REVOKE, FX_SAVE_CALLER, FX_USE_REPLY };

/* The next call of a typed fuzzer (`me` its role). */
void gen_typed(l4_word_t *rng, unsigned me, fz_call_t *c);
/* A sandbox slot believed to hold `type` (FZ_UNKNOWN: anything occupied),
 * now and then any slot at all; FZ_SLOTS if there is none. */
l4_word_t gen_slot_of(l4_word_t *rng, l4_word_t type);
/* Fuzzer `me` holds a reply cap in its caller slot (typed.c keeps it). */
extern uint8_t holds_reply[A_COUNT];
/* A free sandbox slot (believed empty), or sometimes an occupied one. */
l4_word_t gen_free_slot(l4_word_t *rng);
