/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User-side system-call stub and start-up code of protected tasks (the
 * linker script puts *_user objects in the shared user text). In virtual
 * user mode every svc, whatever its number, is an upcall to the RTOS
 * (VCPU_CAUSE_SYSCALL), never a kernel system call: this file is the same
 * as the native one.
 */
	.syntax unified
	.arm
	.text

#define USYS_EXIT 2

/*
 * int32_t rtos_usys(num, a1, a2, a3)
 * Entry: r0 = call number, r1-r3 = arguments. Exit: r0 = result; every
 * other register is preserved (the whole context is saved and resumed).
 */
	.global rtos_usys
	.type rtos_usys, %function
rtos_usys:
	svc	#0
	bx	lr
	.size rtos_usys, . - rtos_usys

/*
 * pv_user_start: first instruction of every protected task.
 * Entry: r0 = entry function, r1 = arg, r2 = data page VA, sp = stack top.
 * Calls entry(arg, data_va) and exits with its return value.
 */
	.global pv_user_start
	.type pv_user_start, %function
pv_user_start:
	mov	r3, r0
	mov	r0, r1
	mov	r1, r2
	blx	r3
	mov	r1, r0			@ exit code
	mov	r0, #USYS_EXIT
	svc	#0
1:	b	1b
	.size pv_user_start, . - pv_user_start
