/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * port_user_perf_read (rtos/port.h) for the ARM ports: a PMU counter read
 * from a protected task, allowed in USR mode by PMUSERENR.EN (the native
 * port and the microkernel both set it). Benchmark images only: these are
 * cp15 accesses, which the sensitive-instruction auditor reports and
 * allows in this function alone. A *_user file: it lies in the shared
 * user text.
 */
	.syntax unified
	.arm
	.text

/*
 * uint32_t port_user_perf_read(unsigned counter)
 * Entry: r0 = counter (0..2). Exit: r0 = its value; PMSELR = 0 again (the
 * native port's kernel reads counter 0 without selecting it).
 */
	.global port_user_perf_read
	.type port_user_perf_read, %function
port_user_perf_read:
	mcr	p15, 0, r0, c9, c12, 5	@ PMSELR = counter
	isb				@ selection visible to the read
	mrc	p15, 0, r0, c9, c13, 2	@ r0 = PMXEVCNTR
	mov	r1, #0
	mcr	p15, 0, r1, c9, c12, 5	@ PMSELR = 0
	isb
	bx	lr
	.size port_user_perf_read, . - port_user_perf_read
