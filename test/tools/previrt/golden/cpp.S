/* SPDX-License-Identifier: BSD-2-Clause */
/* A .S file: the report names this file's lines and the header's, through
 * the preprocessor's line markers. The report is cpp.S.report. */
#include "cpp.h"
	.syntax unified
	.arm
	.text
	.global vectors
vectors:
	MASK_ALL
	cps	#MODE_SVC
	ENTER_IRQ
	msr	cpsr_c, #(MODE_SYS | PSR_I)
	wfi
	bx	lr
