/* SPDX-License-Identifier: BSD-2-Clause */
/* Helpers of the FPU suite (hard-float, test/fpu/SConscript): register
 * images, holding a known image in the FPU across switches, and threads in
 * address spaces of their own. */
#pragma once
#include <stdint.h>
#include "util.h"

/* Every FPU register a thread owns: what read/write_fpu also see. */
typedef struct {
    uint64_t d[32];
    uint32_t fpscr;
} fpu_image_t;

/* FPSCR bits a test may choose and read back on a Cortex-A15: NZCV, QC,
 * AHP, DN, FZ, RMode and the cumulative exception flags (Len and Stride
 * must stay 0 with Advanced SIMD; trap enables are RAZ/WI). */
#define FPSCR_TEST_MASK 0xffc0009fu

/* A register image unique to (seed, round). */
void fpu_pattern(fpu_image_t *f, uint32_t seed, uint32_t round);
/* Number of words (of 65) in which a and b differ. */
unsigned fpu_diff(const fpu_image_t *a, const fpu_image_t *b);
/* In one assembly block, so compiled code cannot touch the registers in
 * between: load `in` into d0-d31 and FPSCR, spin `spins` iterations, make
 * system call `sysno` (r0 = `arg`, no message words) unless it is 0, store
 * the registers into `out` and put back the FPSCR found at the start. */
void fpu_hold(const fpu_image_t *in, fpu_image_t *out, uint32_t spins, uint32_t sysno,
              uint32_t arg);
/* Store the current registers into `out` (the first VFP instruction of a
 * thread that never used the FPU). */
void fpu_store(fpu_image_t *out);

/* Whole FPU state of a thread through read_fpu / write_fpu (two calls). */
l4_word_t fpu_read_state(l4_cptr_t tcb, l4_word_t suspend, fpu_image_t *f);
l4_word_t fpu_write_state(l4_cptr_t tcb, l4_word_t resume, const fpu_image_t *f);

/* A fresh zeroed frame mapped at FPU_SHARED_VA in the root's space and in
 * every space fpu_thread_new_space() makes afterwards (in the same test):
 * what threads in other spaces report in. */
#define FPU_SHARED_VA (UTIL_VADDR_TEST + 20 * UTIL_MB)
void *fpu_shared_new(void);
/* Give the (created, not started) thread an address space of its own with
 * a private copy of this program (so its code, stack and globals are at the
 * same addresses), its IPC buffer and the shared frame. */
void fpu_thread_new_space(util_thread_t *t);
