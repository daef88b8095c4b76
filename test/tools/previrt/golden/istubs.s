@ SPDX-License-Identifier: BSD-2-Clause
@ Inline stubs (tools/previrt/contract.py): `cpsie i` and the fused
@ `mrs Rd, cpsr ; cpsid i` become call-free stubs where the next
@ instruction is a return (ip and the flags dead), and ordinary call stubs
@ wherever that is not proven. Expected: istubs.s.rewritten, istubs.s.report.
	.syntax unified
	.arm
	.text
save_bx:			@ inline: bx lr
	mrs	r0, cpsr
	cpsid	i
	bx	lr
save_pop:			@ inline: pop with pc, a label and gcc's directives between
	push	{r4, lr}
	mrs	r3, cpsr
	cpsid	i
	.syntax unified
	.arm
.Lx1:
	pop	{r4, pc}
restore_label:			@ inline: the native RTOS's port_irq_restore
	tst	r0, #128
	bne	.L3
	cpsie	i
.L3:
	bx	lr
restore_ldm:			@ inline: ldmfd sp!, {..., pc}
	push	{lr}
	cpsie	i
	ldmfd	sp!, {pc}
no_use_ip:			@ not: ip is read before the return
	cpsie	i
	mov	r0, ip
	bx	lr
no_cond_return:			@ not: a conditional return
	cpsie	i
	bxne	lr
no_other_bx:			@ not: a return through another register
	cpsie	i
	bx	r1
no_pop_without_pc:		@ not: a pop that does not return
	cpsie	i
	pop	{r4, r5}
	bx	lr
no_ldm_not_sp:			@ not: ldm of another base
	cpsie	i
	ldm	r1, {r4, pc}
no_directive:			@ not: a directive that is no proof
	cpsie	i
	.ltorg
	bx	lr
no_rd_ip:			@ not: mrs into ip (the stub's scratch)
	mrs	ip, cpsr
	cpsid	i
	bx	lr
no_cpsid_alone:			@ not: cpsid i without mrs (one call as before)
	cpsid	i
	bx	lr
no_cpsie_if:			@ not: cpsie if
	cpsie	if
	bx	lr
no_macro:			@ not: in a macro body
	.macro	restore_m
	cpsie	i
	bx	lr
	.endm
	restore_m
no_end:				@ not: the end of the file
	cpsie	i
