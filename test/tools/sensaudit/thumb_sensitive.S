/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Every sensitive class that Thumb-2 can encode, with 16- and 32-bit forms.
 * Thumb has no LDM/STM ^ (so no ldm-stm-user) and its only data-processing
 * exception return is SUBS PC, LR, #imm8; with imm8 == 0 that encoding *is*
 * ERET (ARM ARM B9.3, "ERET"), so it is reported as eret.
 */
	.syntax unified
	.arch armv7-a
	.arch_extension sec
	.arch_extension virt
	.fpu vfpv4
#include "expect.inc"
	.text

FUNC thumb_coproc, thumb
	XT coproc; mcr p15, 0, r0, c1, c0, 0
	XT coproc; mrc p15, 0, r0, c1, c0, 0
	XT coproc; mcr p15, 0, r0, c13, c0, 3		@ TPIDRURO write
	XT coproc; mrc p15, 0, r0, c7, c5, 4		@ ISB encoding read
	X coproc; mrc p15, 0, r0, c9, c13, 0		@ PMCCNTR
	XT coproc; mcrr p15, 0, r0, r1, c2
	X coproc; mrrc p15, 1, r0, r1, c14
	X coproc; mrc p14, 0, r0, c0, c1, 0
	XT coproc; cdp p14, 0, c0, c1, c2, 0
	X coproc; ldc p14, c5, [r0]
	X coproc; stcl p14, c5, [r0]
	XT coproc; mcr2 p15, 0, r0, c1, c0, 0
	XT coproc; mrrc2 p15, 0, r0, r1, c2
	it eq
	XT coproc; mcreq p15, 0, r0, c3, c0, 0	@ DACR, in an IT block
	bx lr
	.size thumb_coproc, . - thumb_coproc

FUNC thumb_psr, thumb
	X psr; mrs r0, cpsr
	X psr; mrs r0, apsr
	X psr; mrs r0, spsr
	X psr; msr cpsr_c, r0
	X psr; msr cpsr_x, r0
	X psr; msr cpsr_fsxc, r0
	X psr; msr spsr_f, r0
	X psr; mrs r0, sp_usr
	X psr; msr sp_usr, r0
	X psr; mrs r0, spsr_irq
	X psr; msr spsr_svc, r0
	bx lr
	.size thumb_psr, . - thumb_psr

FUNC thumb_cps, thumb
	X cps; cpsid i					@ 16-bit
	X cps; cpsie if					@ 16-bit
	X cps; cpsid.w i
	X cps; cps #19
	X cps; cpsid aif, #16
	bx lr
	.size thumb_cps, . - thumb_cps

FUNC thumb_srs_rfe, thumb
	X srs; srsdb sp!, #19
	X srs; srsia sp, #31
	X rfe; rfeia sp!
	X rfe; rfedb r0
	.size thumb_srs_rfe, . - thumb_srs_rfe

FUNC thumb_exception_return, thumb
	X exception_return; subs pc, lr, #4
	X exception_return; subs pc, lr, #255
	X eret; subs pc, lr, #0
	X eret; movs pc, lr				@ assembles as SUBS PC, LR, #0
	X eret; eret
	.size thumb_exception_return, . - thumb_exception_return

FUNC thumb_calls, thumb
	XT smc; smc #0
	XT hvc; hvc #0x1234
	bx lr
	.size thumb_calls, . - thumb_calls

FUNC thumb_wait, thumb
	X wfi_wfe; wfi					@ 16-bit hint
	X wfi_wfe; wfe
	X wfi_wfe; wfi.w				@ 32-bit hint
	X wfi_wfe; wfe.w
	ite ne
	X wfi_wfe; wfine
	X wfi_wfe; wfeeq
	bx lr
	.size thumb_wait, . - thumb_wait

FUNC thumb_vfp_system, thumb
	XT vfp_system; vmrs r0, fpexc
	XT vfp_system; vmrs r1, fpsid
	XT vfp_system; vmrs r2, mvfr0
	XT vfp_system; vmrs r3, mvfr1
	XT vfp_system; vmsr fpexc, r0
	XT vfp_system; vmsr fpsid, r0
	bx lr
	.size thumb_vfp_system, . - thumb_vfp_system

FUNC thumb_unprivileged, thumb
	X unprivileged_ldst; ldrt r0, [r1]
	X unprivileged_ldst; strt r0, [r1, #4]
	X unprivileged_ldst; ldrbt r0, [r1, #1]
	X unprivileged_ldst; strbt r0, [r1]
	X unprivileged_ldst; ldrht r0, [r1, #2]
	X unprivileged_ldst; strht r0, [r1]
	X unprivileged_ldst; ldrsbt r0, [r1, #255]
	X unprivileged_ldst; ldrsht r0, [r1, #2]
	bx lr
	.size thumb_unprivileged, . - thumb_unprivileged
