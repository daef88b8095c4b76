/* SPDX-License-Identifier: BSD-2-Clause */
/* Block copy of a saved register set (arch_context_t, 17 words: r0-r14, pc,
 * cpsr), the vCPU paths' move between a TCB and the state page, whose
 * regs/kregs have the same layout (docs/vcpu.md): three LDM/STM pairs of 6,
 * 6 and 5 registers, 6 instructions where a word loop takes ~70. */
#pragma once
#include <types.h>

static inline void arch_copy_regs(word_t *dst, const word_t *src)
{
    __asm__ volatile("ldmia %[s]!, {r4-r9}\n" /* words 0-5 */
                     "stmia %[d]!, {r4-r9}\n"
                     "ldmia %[s]!, {r4-r9}\n" /* words 6-11 */
                     "stmia %[d]!, {r4-r9}\n"
                     "ldmia %[s], {r4-r8}\n" /* words 12-16 */
                     "stmia %[d], {r4-r8}\n"
                     : [s] "+r"(src), [d] "+r"(dst)
                     :
                     : "r4", "r5", "r6", "r7", "r8", "r9", "memory");
}
