/* SPDX-License-Identifier: BSD-2-Clause */
/* Frame mapping attributes (object/frame.c), kept pure so the host unit
 * tests can check them. */
#pragma once
#include <l4/abi.h>
#include <types.h>
#include <vm.h>

/* The generic attributes (vm.h) of a user mapping of a frame with the
 * effective rights `eff` (L4_RIGHT_*) and attributes `attr` (L4_ATTR_*,
 * validated): device memory (cap_is_device) is always VM_DEVICE and never
 * VM_EXEC, whatever `attr` asks; RAM is normal memory, cached unless
 * L4_ATTR_UNCACHED. Pure; test/unit/test_mmu.c checks it. */
static inline uint32_t frame_vm_attributes(bool device, word_t eff, word_t attr)
{
    uint32_t vm = VM_USER | VM_READ | ((eff & L4_RIGHT_WRITE) ? VM_WRITE : 0);
    if (device)
        return vm | VM_DEVICE;
    return vm | ((attr & L4_ATTR_EXECUTE_NEVER) ? 0 : VM_EXEC) |
           ((attr & L4_ATTR_UNCACHED) ? VM_UNCACHED : 0);
}
