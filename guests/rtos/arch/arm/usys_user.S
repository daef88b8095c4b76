/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User-side system-call stub and start-up code of protected tasks, shared
 * by the ARM ports (native and pv): in either, a protected task traps with
 * `svc #0` (natively into the RTOS's vector; as a guest, an upcall). This
 * file is *_user so the linker script places it in the shared user text
 * (it runs in USR mode at user virtual addresses).
 */
	.syntax unified
	.arm
	.text

#define USYS_EXIT 2

/*
 * int32_t rtos_usys(num, a1, a2, a3)
 * Entry: r0 = call number, r1-r3 = arguments. Exit: r0 = result; every
 * other register is preserved by the RTOS kernel.
 */
	.global rtos_usys
	.type rtos_usys, %function
rtos_usys:
	svc	#0
	bx	lr
	.size rtos_usys, . - rtos_usys

/*
 * arm_user_start: first instruction of every protected task.
 * Entry: r0 = entry function, r1 = arg, r2 = data page VA, sp = stack top.
 * Calls entry(arg, data_va) and exits with its return value.
 */
	.global arm_user_start
	.type arm_user_start, %function
arm_user_start:
	mov	r3, r0
	mov	r0, r1
	mov	r1, r2
	blx	r3
	mov	r1, r0			@ exit code
	mov	r0, #USYS_EXIT
	svc	#0
1:	b	1b
	.size arm_user_start, . - arm_user_start
