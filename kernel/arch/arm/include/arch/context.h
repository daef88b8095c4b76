/* SPDX-License-Identifier: BSD-2-Clause */
/* A user thread's saved registers. The layout is fixed by the entry code
 * (vectors.S: SRS stores pc and cpsr at the top, STM^ stores r0-r14 below),
 * so it is plain C with static checks, no bitfields. */
#pragma once
#include <types.h>

#define CTX_SP 13
#define CTX_LR 14
#define CTX_NREGS 15

typedef struct arch_context {
    word_t r[CTX_NREGS]; /* r0-r12, sp_usr, lr_usr */
    word_t pc;           /* where the thread resumes */
    word_t cpsr;         /* user mode, I/F/A clear (sanitised on every write) */
} arch_context_t;

STATIC_ASSERT(sizeof(arch_context_t) == 17 * 4, "vectors.S stores 17 words");
STATIC_ASSERT(offsetof(arch_context_t, pc) == 60, "SRS stores pc at word 15");

/* A thread's VFP/NEON registers while it does not own the FPU (arch/arm/fpu.c;
 * fpu_switch.S stores and loads exactly this): d0-d31, then FPSCR. Nothing else of
 * FPEXC belongs to a thread: EN says who owns the FPU (the kernel's), and
 * EX/DEX are never set on a core without trapped exceptions (fpu.c). */
#define FPU_DREGS 32
typedef struct arch_fpu_state {
    uint64_t d[FPU_DREGS];
    word_t fpscr;
    word_t pad;
} arch_fpu_state_t;

STATIC_ASSERT(sizeof(arch_fpu_state_t) == 264, "fpu_switch.S stores 32 doublewords and FPSCR");
STATIC_ASSERT(offsetof(arch_fpu_state_t, fpscr) == 256, "fpu_switch.S stores FPSCR after d31");
/* User-visible CPU state outside the trap frame, per thread. The kernel
 * swaps it whenever the running thread changes (kernel_exit's switch and the
 * IPC fastpath's), so no value written by one thread is ever read by
 * another (design.md 5.4):
 *   tpidrurw  TPIDRURW, the user read/write thread-ID register (0 at
 *             creation; read_/write_registers index L4_TCB_REG_TPIDRURW).
 * The rest is handled elsewhere: CPSR flags in ctx.cpsr; the exclusive
 * monitor is cleared on every exit (CLREX); TPIDRURO is the kernel's (the
 * IPC buffer address); VFP/NEON registers are switched lazily (arch_fpu_state_t,
 * arch/arm/fpu.c: the FPU is disabled at every switch, its registers belong
 * to one owner); the PMU is user-readable only in the bench configuration. */
typedef struct arch_tcb {
    word_t tpidrurw;
} arch_tcb_t;
