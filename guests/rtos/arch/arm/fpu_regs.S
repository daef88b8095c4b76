/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Save and load a task's floating-point registers (port_fpu_t, port_arm.h),
 * shared by the ARM ports: the core switches them (core/fpu.c) through the
 * port's port_fpu_switch(). None of these instructions is sensitive: the
 * FPU's enable bit (FPEXC.EN) gates them, and only the port's
 * port_fpu_enable/switch touch that.
 */
	.syntax unified
	.arm
	.fpu	neon-vfpv4

/* arm_fpu_save(f): d0-d31 to f->d, FPSCR to f->fpscr. r0, r1 clobbered. */
	.global arm_fpu_save
	.type arm_fpu_save, %function
arm_fpu_save:
	vstmia	r0!, {d0-d15}
	vstmia	r0!, {d16-d31}
	vmrs	r1, fpscr
	str	r1, [r0]			@ r0 = &f->fpscr (offset 256)
	bx	lr
	.size arm_fpu_save, . - arm_fpu_save

/* arm_fpu_load(f): d0-d31 from f->d, FPSCR from f->fpscr. r0, r1 clobbered. */
	.global arm_fpu_load
	.type arm_fpu_load, %function
arm_fpu_load:
	vldmia	r0!, {d0-d15}
	vldmia	r0!, {d16-d31}
	ldr	r1, [r0]
	vmsr	fpscr, r1
	bx	lr
	.size arm_fpu_load, . - arm_fpu_load
