/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the runtime's upcall entry counts for tests: how many upcalls landed
 * in the middle of an inline stub (docs/previrt.md, "Inline stubs") and were
 * rolled back to its start. Only in images linked with the runtime
 * (l4build.previrt_program); the emulation guest's roll-back test reads it
 * to know that its interrupts did land there.
 */
#pragma once
#include <stdint.h>

extern volatile uint32_t previrt_istub_rollbacks;
