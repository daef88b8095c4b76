/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Nothing here may be reported: PL0-legal system instructions, ordinary code,
 * and data inside code sections ($d regions) whose words would decode as
 * sensitive instructions. The file also uses the "$d.name"/"$a.name" forms
 * of mapping symbols, and sensitive-looking words in non-executable sections.
 */
	.syntax unified
	.arch armv7-a
	.arch_extension sec
	.arch_extension virt
	.arch_extension idiv
	.fpu neon-vfpv4
#include "expect.inc"
	.text

FUNC arm_allowed, arm
	mrc p15, 0, r0, c13, c0, 2		@ TPIDRURW read
	mcr p15, 0, r0, c13, c0, 2		@ TPIDRURW write
	mrc p15, 0, r0, c13, c0, 3		@ TPIDRURO read
	mcr p15, 0, r0, c7, c10, 4		@ CP15DSB
	mcr p15, 0, r0, c7, c10, 5		@ CP15DMB
	mcr p15, 0, r0, c7, c5, 4		@ CP15ISB
	vmrs r0, fpscr
	vmsr fpscr, r0
	vmrs APSR_nzcv, fpscr
	msr APSR_nzcvq, r0
	msr APSR_g, r1
	msr APSR_nzcvqg, r2
	msr APSR_nzcvq, #0xf0000000
	dmb ish
	dsb sy
	isb
	nop
	yield
	sev
	clrex
	setend le
	svc #0
	bkpt #1
	udf #2
	push {r4-r11, lr}
	ldm sp, {r0-r3}				@ no ^
	stmdb sp, {r0-r3}
	ldr r0, =0xe10f0000			@ pool word: mrs r0, cpsr
	ldr r1, =0xf10c0080			@ pool word: cpsid i
	ldr r2, =0xee010f10			@ pool word: mcr p15 SCTLR
	subs r0, r0, #1				@ S but Rd != PC
	mov pc, lr				@ no S
	ldr pc, [sp], #4
	adds r0, r1, r2
	cmp r0, #0
	teq r0, r1
	ldrex r0, [r1]
	strex r2, r0, [r1]
	ldrh r0, [r1], #2			@ post-indexed, not T
	ldr r0, [r1], #4
	ldrb r0, [r1, #1]!
	sdiv r0, r1, r2
	vadd.f32 s0, s1, s2
	vldr d0, [r0]
	vstr d1, [r0, #8]
	vmov r0, r1, d0
	vmov.32 r0, d0[1]
	vdup.32 q0, r0
	vpush {d8-d15}
	vadd.i32 q0, q1, q2
	pld [r0]
	pop {r4-r11, pc}
	.ltorg
	.size arm_allowed, . - arm_allowed

FUNC arm_table, arm
	add pc, pc, r0, lsl #2
	nop
	.word 0xe320f003			@ data: wfi
	.word 0xe160006e			@ data: eret
	.word 0xe25ef004			@ data: subs pc, lr, #4
"$a.after_table":
	bx lr
"$d.hand_pool":
	.inst 0xf8bd0a00			@ rfeia sp!, but in a $d.N region
"$a.back":
	bx lr
	.size arm_table, . - arm_table

FUNC thumb_allowed, thumb
	mrc p15, 0, r0, c13, c0, 2
	mcr p15, 0, r0, c13, c0, 2
	mrc p15, 0, r0, c13, c0, 3
	mcr p15, 0, r0, c7, c10, 4
	mcr p15, 0, r0, c7, c10, 5
	mcr p15, 0, r0, c7, c5, 4
	vmrs r0, fpscr
	vmsr fpscr, r0
	msr APSR_nzcvq, r0
	msr APSR_g, r1
	dmb ish
	isb
	nop
	nop.w
	yield
	yield.w
	sev.w
	svc #1
	bkpt #0
	udf #0
	udf.w #1
	push {r4, lr}
	ldr r0, =0xb672b672			@ pool word: cpsid i; cpsid i
	ldr r1, =0xf3ef8000			@ pool word: mrs r0, cpsr
	ldr.w r2, [r1, #-4]
	ldrb r0, [r1, #-1]
	ldr r0, [r1], #4
	subs r0, r0, #1
	it eq
	moveq r0, #1
	cbz r0, 1f
	tbb [pc, r0]
1:
	sdiv r0, r1, r2
	vadd.f32 s0, s1, s2
	vmov r0, r1, d0
	vadd.i32 q0, q1, q2
	pop {r4, pc}
	.ltorg
	.short 0xbf30				@ data: wfi
	.short 0xb672				@ data: cpsid i
	.byte 0x30, 0xbf, 0x20			@ odd-length data
	.align 1
	bx lr
	.size thumb_allowed, . - thumb_allowed

	.section .rodata, "a"
	.word 0xe10f0000, 0xf10c0080, 0xe320f003	@ not executable: not scanned
	.data
	.word 0xe160006e
