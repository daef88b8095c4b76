/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Walk the executable sections of an ELF image, decode the code regions that
 * the ARM mapping symbols mark, and report each sensitive instruction.
 */
#ifndef SENSAUDIT_SCAN_H
#define SENSAUDIT_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "classify.h"
#include "elf.h"

typedef struct {
    const char *file;
    uint32_t address;
    const char *function; /* enclosing FUNC symbol, else the section name */
    uint32_t function_offset;
    int thumb; /* instruction set: 0 ARM, 1 Thumb */
    sens_class_t cls;
    int silent;       /* does not trap at PL0 (classify_is_silent) */
    const char *text; /* disassembly, or a .word/.inst line if undecodable */
} scan_finding_t;

/* Called once per finding, in address order within each section. */
typedef void (*scan_report_fn)(const scan_finding_t *finding, void *arg);

/*
 * Audit one loaded image. Returns 0, or -1 with a reason in err when the
 * disassembler cannot be set up or memory runs out.
 */
int scan_audit_image(const char *file, const elf_image_t *img, scan_report_fn report, void *arg,
                     char *err, size_t errlen);

#endif
