/* SPDX-License-Identifier: BSD-2-Clause */
/* The architecture interface: everything generic kernel code may ask of
 * kernel/arch/<arch>/. Nothing else under arch/ is visible to generic code. */
#pragma once
#include <types.h>
#include <arch/context.h>
#include <l4/abi.h>
#include <plat/plat.h>

struct tcb;

/* Leave the kernel into the given user context. */
NORETURN void arch_restore_user_context(arch_context_t *ctx);

/* A fresh user context: USR mode, ARM or Thumb by bit 0 of pc. */
void arch_context_init(arch_context_t *ctx, word_t pc, word_t sp);
/* The same for a context in zeroed memory (a new TCB): pc and sp 0, ARM. */
void arch_context_init_zeroed(arch_context_t *ctx);

/* Zero n bytes at p (both multiples of 16): retype's clearing, fast. */
void arch_clear_block(void *p, size_t n);
/* Copy n words from src to dst (word aligned, not overlapping): message
 * words between IPC buffers, as blocks (arch/arm/copy.S). */
void arch_copy_words(word_t *dst, const word_t *src, word_t n);
/* Force a user-supplied PSR into user mode with only user-settable bits. */
word_t arch_psr_sanitise(word_t psr);

/* MMU set-up after the boot code: the kernel window is live. */
void arch_mmu_init(void);
/* Inline (arch/inline.h):
 *   void arch_vspace_activate(paddr_t pd, uint32_t asid)
 *     make the address space (first-level table, physical) and ASID current;
 *   void arch_set_thread_word(word_t w)
 *     the per-thread user-readable word (TPIDRURO): the IPC buffer address;
 *   void arch_fpu_disable(void)
 *     on every thread switch (and a vCPU's resume into guest user with its
 *     virtual FPU off): if the FPU is enabled, which means the thread that
 *     ran owns it, disable it, so the next VFP instruction traps
 *     (arch_fpu_trap). The owner's registers stay in the FPU;
 *   word_t arch_get_user_tls(void), void arch_set_user_tls(word_t)
 *     the user's read/write thread word (TPIDRURW), saved and loaded on
 *     every thread switch (arch_tcb_t). */
#include <arch/inline.h>

/* VFP/NEON, switched lazily (arch/arm/fpu.c; design.md "FPU state"). */
void arch_fpu_init(void);
/* Undefined instruction from t (== ks_cur) at t->ctx.pc: if it is a VFP or
 * Advanced SIMD instruction that trapped only because the FPU is disabled,
 * make t the FPU's owner (saving the previous owner's registers into its
 * TCB, loading t's), enable it and return true: the instruction restarts.
 * False: a genuine undefined instruction, for the fault path. */
bool arch_fpu_trap(struct tcb *t);
/* t stops owning the FPU, if it does: its registers are saved into its TCB
 * if `save`, else dropped (t is being destroyed). Afterwards t's TCB holds
 * its complete FPU state and nothing in the FPU refers to t. */
void arch_fpu_release(struct tcb *t, bool save);

/* Point TTBR0 at an empty table (ASID 0): no user address space. */
void arch_vspace_deactivate(void);

/* Make freshly written instructions in [va, va+len) (kernel window address)
 * visible to instruction fetch. */
void arch_sync_icache_range(uintptr_t va, size_t len);

/* Write back and invalidate the data cache for [va, va+len) (kernel window
 * address), before memory is given an uncached alias. */
void arch_clean_invalidate_range(uintptr_t va, size_t len);

/* Enable the performance counters for user read (design.md, Measurement). */
void arch_pmu_init(void);

/* Wait for an interrupt with IRQs still masked (WFI wakes on a pending IRQ). */
void arch_wait_for_interrupt(void);

/* Stop the machine; QEMU exits with `status`. */
NORETURN void arch_shutdown(int status);

/* Fault details of the last abort. */
word_t arch_fault_data_address(void);
word_t arch_fault_data_status(void);
word_t arch_fault_instr_address(void);
word_t arch_fault_instr_status(void);

/* Kernel virtual <-> physical for the kernel window. */
#define KERNEL_WINDOW_OFFSET (L4_KERNEL_BASE - PLAT_PHYS_BASE)
static inline void *paddr_to_kptr(paddr_t pa)
{
    return (void *)(uintptr_t)(pa + KERNEL_WINDOW_OFFSET);
}
static inline paddr_t kptr_to_paddr(const void *p)
{
    return (paddr_t)((uintptr_t)p - KERNEL_WINDOW_OFFSET);
}

/* Map one 4 KiB frame at `va` in the user first-level table `pd` (kernel
 * pointer), taking a zeroed 1 KiB second-level table from alloc_pt() when
 * none covers `va` yet. Returns the frame already mapped there (physical) if
 * any, leaving it in place, else 0. Used to build the root task at boot. */
paddr_t arch_boot_map_page(uint32_t *pd, vaddr_t va, paddr_t pa, uint32_t vm,
                           void *(*alloc_pt)(void));
