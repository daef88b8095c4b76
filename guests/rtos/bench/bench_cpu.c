/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CPU-bound control workload: bitwise CRC-32 (IEEE, reflected) of a fixed
 * 1 KiB buffer. No RTOS calls: native and virtualised runs should differ
 * only by the timer ticks that fall inside the loop.
 */
#include "bench.h"

#define CRC_BYTES 1024

static uint8_t crc_buf[CRC_BYTES];
static volatile uint32_t crc_sink;

static uint32_t crc32(const uint8_t *p, uint32_t len)
{
    uint32_t crc = 0xffffffffu;

    while (len--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
    }
    return ~crc;
}

uint32_t bench_cpu(uint32_t n)
{
    uint32_t start;

    for (uint32_t i = 0; i < CRC_BYTES; i++)
        crc_buf[i] = (uint8_t)(i * 7 + 3);
    start = port_perf_read();
    for (uint32_t i = 0; i < n; i++)
        crc_sink = crc32(crc_buf, CRC_BYTES);
    return port_perf_read() - start;
}
