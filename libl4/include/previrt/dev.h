/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device words through the pre-virtualisation runtime, for hand-ported code
 * (docs/porting.md, "Moving the hot operations by hand"): a native port's
 * load or store on a device the runtime emulates (the GIC's distributor and
 * CPU interface) traps to the VMM, a fault message and a reply each time;
 * the same access as one of these calls stays in the guest. Each is one
 * runtime call with the contract of a rewritten instruction
 * (docs/previrt.md): every register but the result and the flags are
 * preserved, no stack is used, and an interrupt the access makes
 * deliverable (an SGI raised, an EOI that lowers the running priority) is
 * taken right after the call, as natively after the store. An address the
 * runtime has no device at stops the guest. Only in images linked with the
 * runtime (l4build.previrt_program).
 */
#pragma once
#include <stdint.h>

uint32_t previrt_dev_read32(uintptr_t addr);
void previrt_dev_write32(uintptr_t addr, uint32_t value);
