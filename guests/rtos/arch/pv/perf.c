/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The instruction counter for the benchmarks: a direct PMXEVCNTR read
 * (l4/pmu.h), which the kernel enables for user mode. It is a cp15 access,
 * so the auditor reports it (class coproc): this file is linked into the
 * benchmark image only, and the build accepts findings in port_perf_read
 * there and nowhere else. The test image has no PMU access at all.
 */
#include <l4/pmu.h>

#include "pv.h"

uint32_t port_perf_read(void)
{
    return l4_pmu_read(L4_PMU_ALL);
}
