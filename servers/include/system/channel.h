/* SPDX-License-Identifier: BSD-2-Clause */
/* The message format the demo and test programs use in a channel's shared
 * page (a convention of these programs, not of the VMM): the party with the
 * lower id asks, the other answers; each side signals the peer's line after
 * writing. Used by components (servers/pingpong/), the VMM test
 * guest and the RTOS demo (guests/rtos/apps/demo); freestanding. */
#pragma once
#include <stdint.h>

typedef struct {
    volatile uint32_t req_seq, resp_seq; /* requests sent / answered */
    char req[120], resp[120];
} chan_msg_t;
