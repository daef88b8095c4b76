/* SPDX-License-Identifier: BSD-2-Clause */
/* Validating loader for guest images (ELF32, little-endian ARM, ET_EXEC):
 * every loadable segment must lie inside guest RAM and inside the file.
 * Pure code: host-tested. */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Check the image; on success set *entry and return NULL, else a reason. */
const char *elf_check(const uint8_t *img, size_t size, uint32_t ram_base, uint32_t ram_size,
                      uint32_t *entry);
/* Copy the segments of a checked image into `ram` (the guest RAM seen at
 * ram_base by the guest), zeroing each segment's bss part. */
void elf_load(const uint8_t *img, uint8_t *ram, uint32_t ram_base);
