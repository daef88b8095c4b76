/* SPDX-License-Identifier: BSD-2-Clause */
/* rtos-pv-tests / rtos-pv-bench: the paravirtual RTOS (guests/rtos/arch/pv)
 * as the only guest; the system ends when it exits. */
#include "system.h"

SYS_IMAGE_DECL(rtospv);

const sys_config_t sys_config = {
    .guests = {{.name = "rtos", .priority = 100, SYS_IMAGE(rtospv), .awaited = 1}},
    .nguests = 1,
};
