/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Thread-Metric's basic processing: plain computation, no RTOS call, so
 * native and virtualised runs differ only by what the timer ticks inside
 * the loop cost. One operation: a bitwise CRC-32 (IEEE, reflected) of a
 * 256-byte buffer that the previous operation's result perturbs (so no
 * two operations are the same computation the compiler could fold). The
 * record ratio_rtos_basic is also reported as ratio_rtos_cpu_crc
 * (tools/qemurun), the name issue 8 gives its target.
 */
#include "bench.h"

#define CRC_BYTES 256

static uint8_t crc_buf[CRC_BYTES];
static volatile uint32_t crc_last;

static int basic_setup(void)
{
    for (uint32_t i = 0; i < CRC_BYTES; i++)
        crc_buf[i] = (uint8_t)(i * 7 + 3);
    crc_last = 0;
    return 0;
}

static void basic_op(void)
{
    uint32_t crc = 0xffffffffu;

    crc_buf[0] = (uint8_t)crc_last;
    for (uint32_t i = 0; i < CRC_BYTES; i++) {
        crc ^= crc_buf[i];
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    crc_last = ~crc;
}

const bench_t bench_basic = {
    .name = "basic",
    .iters = BENCH_ITERS,
    .setup = basic_setup,
    .op_fn = basic_op,
};
