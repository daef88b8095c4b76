/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the benchmark files: sample counts and reporting. */
#pragma once
#include <stdint.h>

#define SINGLES 1000
#define LOOP 10000
#define WARMUP 100

uint32_t mode_of(uint32_t *v, unsigned n);
/* Print `[bench] name kernel_instructions value iterations`. */
void report(const char *name, uint32_t value, unsigned iters);
void report_unit(const char *name, const char *unit, uint32_t value, unsigned iters);
void bench_vcpu(void);
/* The benchmarks' device line (bench.c): the PL061 GPIO's interrupt,
 * INTID 39, raised by software. QEMU virt's GPIO pins sit at a fixed level
 * when undriven, so pin 0, level-sensitive (GPIOIS), asserts the line when
 * GPIOIEV is that level; the other level and GPIOIC lower it. The GPIO's
 * registers are mapped at BENCH_GPIO_VA in the root's space. */
#define BENCH_LINE_INTID 39
#define BENCH_GPIO_VA 0x43000000u
#define BENCH_GPIO_IEV 0x40cu /* register offsets */
#define BENCH_GPIO_IC 0x41cu
/* The line's IRQ handler (claimed and pin 0 set up once; 0 if either
 * fails); *frame a copy of the GPIO's frame, *level the GPIOIEV value that
 * raises the line (either may be null). */
uint32_t bench_line(uint32_t *frame, uint32_t *level);
void bench_line_raise(void);
/* Quiet: GPIOIEV the other level, the latch cleared (before the ack). */
void bench_line_lower(void);
/* One VFP instruction (vmov d0, v, v): the FPU's first-use trap if this
 * thread does not own the FPU or it is disabled (bench_fpu.c). */
void bench_fpu_touch(uint32_t v);
/* fpu_switch_lazy, fpu_trap_owner (bench_fpu.c). */
void bench_fpu(void);
