/* SPDX-License-Identifier: BSD-2-Clause */
/* Every sensitive class in the ARM (A32) instruction set, with variants. */
	.syntax unified
	.arch armv7-a
	.arch_extension sec
	.arch_extension virt
	.fpu vfpv4
#include "expect.inc"
	.text

FUNC arm_coproc, arm
	XT coproc; mcr p15, 0, r0, c1, c0, 0		@ SCTLR write
	XT coproc; mrc p15, 0, r0, c1, c0, 0		@ SCTLR read
	XT coproc; mcreq p15, 0, r0, c2, c0, 0		@ conditional TTBR0 write
	XT coproc; mcr p15, 0, r0, c13, c0, 3		@ TPIDRURO write: PL1 only
	XT coproc; mcr p15, 0, r0, c13, c0, 4		@ TPIDRPRW
	XT coproc; mcr p15, 1, r0, c13, c0, 2		@ opc1 != 0
	XT coproc; mrc p15, 0, r0, c7, c10, 4		@ barrier encodings are writes only
	XT coproc; mcr p15, 0, r0, c7, c5, 0		@ ICIALLU
	X coproc; mrc p15, 0, r0, c9, c13, 0		@ PMCCNTR
	XT coproc; mcrr p15, 0, r0, r1, c2		@ TTBR0 64-bit
	X coproc; mrrc p15, 1, r0, r1, c14		@ CNTVCT
	X coproc; mrc p14, 0, r0, c0, c1, 0		@ debug DBGDSCRint
	XT coproc; cdp p14, 0, c0, c1, c2, 0
	X coproc; ldc p14, c5, [r0]
	X coproc; stc p14, c5, [r0, #4]
	XT coproc; mcr p7, 0, r0, c1, c0, 0		@ any other coprocessor
	XT coproc; mcr2 p15, 0, r0, c1, c0, 0
	XT coproc; mrc2 p14, 0, r0, c0, c1, 0
	XT coproc; mcrr2 p15, 0, r0, r1, c2
	XT coproc; ldc2 p14, c5, [r0]
	bx lr
	.size arm_coproc, . - arm_coproc

FUNC arm_psr, arm
	X psr; mrs r0, cpsr				@ reads mode bits
	X psr; mrs r0, apsr				@ same encoding as cpsr
	X psr; mrs r1, spsr
	X psr; msr cpsr_c, r0
	X psr; msr cpsr_x, r0
	X psr; msr cpsr_fc, r0				@ flags plus control
	X psr; msr cpsr_fsxc, r0
	X psr; msr spsr_f, r0				@ any SPSR write
	X psr; msr spsr_fsxc, r0
	X psr; msr cpsr_c, #0x13
	X psr; msr spsr_f, #0xf0000000
	X psr; mrs r0, sp_usr				@ banked (virtualisation ext.)
	X psr; msr sp_usr, r0
	X psr; mrs r0, spsr_irq
	X psr; msr spsr_irq, r0
	X psr; mrsne r2, cpsr
	bx lr
	.size arm_psr, . - arm_psr

FUNC arm_cps, arm
	X cps; cpsid i
	X cps; cpsie aif
	X cps; cps #19
	X cps; cpsid if, #19
	bx lr
	.size arm_cps, . - arm_cps

FUNC arm_srs_rfe, arm
	X srs; srsdb sp!, #19
	X srs; srsia sp, #31
	X srs; srsib sp!, #18
	X srs; srsda sp, #17
	X rfe; rfeia sp!
	X rfe; rfedb r0
	X rfe; rfeib r1!
	X rfe; rfeda sp
	.size arm_srs_rfe, . - arm_srs_rfe

FUNC arm_exception_return, arm
	X exception_return; subs pc, lr, #4
	X exception_return; movs pc, lr
	X exception_return; movseq pc, lr
	X exception_return; adds pc, r0, r1, lsl #2
	X exception_return; mvns pc, r3
	X exception_return; rsbs pc, r0, #0
	X exception_return; ldm sp!, {r0-r3, pc}^
	X exception_return; ldmib r0, {pc}^
	X exception_return; ldmfdne sp!, {r4, pc}^
	.size arm_exception_return, . - arm_exception_return

FUNC arm_ldm_stm_user, arm
	X ldm_stm_user; ldm sp, {r0-r14}^
	X ldm_stm_user; ldmda r0, {r13, r14}^
	X ldm_stm_user; stmdb sp, {r13, r14}^
	X ldm_stm_user; stmia r0, {r0-r15}^
	bx lr
	.size arm_ldm_stm_user, . - arm_ldm_stm_user

FUNC arm_calls, arm
	XT eret; eret
	XT eret; ereteq
	XT smc; smc #0
	XT smc; smcne #15
	XT hvc; hvc #0
	XT hvc; hvc #0xffff
	bx lr
	.size arm_calls, . - arm_calls

FUNC arm_wait, arm
	X wfi_wfe; wfi
	X wfi_wfe; wfe
	X wfi_wfe; wfine
	X wfi_wfe; .inst 0xe320f003			@ the hint form, spelt out
	X wfi_wfe; .inst 0x0320f002			@ wfeeq
	bx lr
	.size arm_wait, . - arm_wait

FUNC arm_vfp_system, arm
	XT vfp_system; vmrs r0, fpexc
	XT vfp_system; vmrs r0, fpsid
	XT vfp_system; vmrs r0, mvfr0
	XT vfp_system; vmrs r0, mvfr1
	XT vfp_system; vmrs r0, fpinst
	XT vfp_system; vmsr fpexc, r0
	XT vfp_system; vmsr fpsid, r1
	XT vfp_system; vmrsne r2, fpexc
	bx lr
	.size arm_vfp_system, . - arm_vfp_system

FUNC arm_unprivileged, arm
	X unprivileged_ldst; ldrt r0, [r1]
	X unprivileged_ldst; strt r0, [r1], #4
	X unprivileged_ldst; ldrt r0, [r1], -r2, lsl #2
	X unprivileged_ldst; ldrbt r0, [r1], #1
	X unprivileged_ldst; strbt r0, [r1], r2
	X unprivileged_ldst; ldrht r0, [r1], #2
	X unprivileged_ldst; ldrht r0, [r1], r2
	X unprivileged_ldst; strht r0, [r1]
	X unprivileged_ldst; ldrsbt r0, [r1], #-1
	X unprivileged_ldst; ldrsht r0, [r1], -r2
	bx lr
	.size arm_unprivileged, . - arm_unprivileged
