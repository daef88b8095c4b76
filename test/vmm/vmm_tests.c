/* SPDX-License-Identifier: BSD-2-Clause */
/* vmm-tests: timer accuracy, restart after a fault, channel delivery between
 * guests and to a native component, all through the tagged console. */
#include "system.h"

SYS_IMAGE_DECL(testguest);

const sys_config_t sys_config = {
    .guests = {
        {.name = "timer", .priority = 120, SYS_IMAGE(testguest), .awaited = 1},
        {.name = "restart", .priority = 100, SYS_IMAGE(testguest), .auto_restarts = 1, .awaited = 1},
        {.name = "demo-a", .priority = 100, SYS_IMAGE(testguest), .awaited = 1},
        {.name = "demo-b", .priority = 100, SYS_IMAGE(testguest), .awaited = 1},
    },
    .nguests = 4,
    .natives = {{.name = "native", .entry = native_pingpong_main, .priority = 100}},
    .nnatives = 1,
    .channels = {
        {.a = 2, .a_index = 0, .b = 3, .b_index = 0},
        {.a = 2, .a_index = 1, .b = SYS_NATIVE(0), .b_index = 0},
    },
    .nchannels = 2,
    .test_done_line = 1,
};
