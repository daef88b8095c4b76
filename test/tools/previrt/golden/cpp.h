/* SPDX-License-Identifier: BSD-2-Clause */
/* Included by cpp.S: macros the preprocessor expands there. */
#define MODE_SVC 0x13
#define MODE_IRQ 0x12
#define MODE_SYS 0x1f
#define PSR_I 0x80
#define MASK_ALL cpsid aif
	.macro ENTER_IRQ
	cps	#MODE_IRQ
	mrs	r1, spsr
	.endm
