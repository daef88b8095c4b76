/* SPDX-License-Identifier: BSD-2-Clause */
/* vmm-sensitive: one guest per sensitive-instruction class that traps when
 * executed unmodified at PL0; each must be stopped and reported. */
#include "system.h"

SYS_IMAGE_DECL(testguest);

#define SENS(n) {.name = "sens-" n, .priority = 100, SYS_IMAGE(testguest), .awaited = 1}

const sys_config_t sys_config = {
    .guests = {SENS("cp15"), SENS("cp15r"), SENS("cp14"), SENS("vmrs"), SENS("smc"), SENS("hvc"),
               SENS("srs"), SENS("rfe"), SENS("udf")},
    .nguests = 9,
};
