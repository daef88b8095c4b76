/* SPDX-License-Identifier: BSD-2-Clause */
/* The host unit tests compile the generic kernel code as in the debug
 * configuration (docs/build.md): its extra checks and counters included. */
#pragma once
#define CONFIG_DEBUG 1
#define CONFIG_TRACE 0
#define CONFIG_TRACE_DUMP 0
#define CONFIG_BENCH 0
#define CONFIG_KSTATS 0
#define CONFIG_VCPU_SLOW 0
#define CONFIG_SLOWPATH 0
#define CONFIG_INV_INJECT 0
#define CONFIG_NAME "unit"
