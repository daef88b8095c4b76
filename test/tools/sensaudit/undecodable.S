/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Words in code regions that are no instruction at all must be reported:
 * either they are data that lacks a $d mapping symbol, or they are code that
 * the auditor cannot vouch for. Includes an encoding that looks like Thumb
 * SRS but is UNDEFINED (Rn != SP), and a Thumb region that ends halfway
 * through a 32-bit instruction.
 */
	.syntax unified
	.arch armv7-a
#include "expect.inc"
	.text

FUNC arm_bad, arm
	nop
	X undecodable; .inst 0xe6000010		@ media space, UNDEFINED
	X undecodable; .inst 0xf0000000		@ unconditional space, UNDEFINED
	X undecodable; .inst 0xe3200f03		@ hint with broken SBO bits
	bx lr
	.size arm_bad, . - arm_bad

FUNC thumb_bad, thumb
	nop
	X undecodable; .inst.n 0xb700
	X undecodable; .inst.w 0xe800c000	@ "srsdb r0": UNDEFINED
	X undecodable; .inst.w 0xffffffff
	bx lr
	X undecodable; .inst.n 0xf000		@ first half of a 32-bit instruction
	.size thumb_bad, . - thumb_bad
	.word 0					@ $d: ends the Thumb region
