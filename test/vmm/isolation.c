/* SPDX-License-Identifier: BSD-2-Clause */
/* vmm-isolation: misbehaving guests beside a good guest and a native
 * component at the same priority; only the good ones are awaited. */
#include "system.h"

SYS_IMAGE_DECL(testguest);

const sys_config_t sys_config = {
    .guests = {
        {.name = "good", .priority = 100, SYS_IMAGE(testguest), .awaited = 1},
        {.name = "wild", .priority = 100, SYS_IMAGE(testguest)},
        {.name = "flood", .priority = 100, SYS_IMAGE(testguest)},
        {.name = "spin", .priority = 100, SYS_IMAGE(testguest)},
    },
    .nguests = 4,
    .natives = {{.name = "progress", .entry = native_progress_main, .priority = 100, .awaited = 1}},
    .nnatives = 1,
};
