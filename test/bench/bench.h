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
/* One VFP instruction (vmov d0, v, v): the FPU's first-use trap if this
 * thread does not own the FPU or it is disabled (bench_fpu.c). */
void bench_fpu_touch(uint32_t v);
/* fpu_switch_lazy, fpu_trap_owner (bench_fpu.c). */
void bench_fpu(void);
