/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Template user trap stub. A real port writes this in assembly (native:
 * `svc #0` in arch/arm/usys_user.S) and links it into the user text.
 */
#include <rtos/usys.h>

int32_t rtos_usys(uint32_t num, uint32_t a1, uint32_t a2, uint32_t a3)
{
    return -9; /* TODO: trap into the RTOS; RTOS_ENOSYS until then */
}
