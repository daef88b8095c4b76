/* SPDX-License-Identifier: BSD-2-Clause */
/* The demo system (`scons run`): two guests and a native component on the
 * shared console. Each guest pings the native component over its own
 * channel, and the first pings the second over a guest-to-guest channel. */
#include "system.h"

SYS_IMAGE_DECL(testguest);

const sys_config_t sys_config = {
    .guests = {
        {.name = "demo1", .priority = 100, SYS_IMAGE(testguest), .awaited = 1},
        {.name = "demo2", .priority = 100, SYS_IMAGE(testguest), .awaited = 1},
    },
    .nguests = 2,
    .natives = {{.name = "native", .entry = native_pingpong_main, .priority = 100}},
    .nnatives = 1,
    .channels = {
        {.a = 0, .a_index = 0, .b = SYS_NATIVE(0), .b_index = 0},
        {.a = 1, .a_index = 0, .b = SYS_NATIVE(0), .b_index = 1},
        {.a = 0, .a_index = 1, .b = 1, .b_index = 1},
    },
    .nchannels = 3,
};
