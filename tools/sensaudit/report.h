/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Output of findings: one plain line each, closed by "N findings", or one
 * JSON array. Both are streamed, so memory use does not grow with findings.
 */
#ifndef SENSAUDIT_REPORT_H
#define SENSAUDIT_REPORT_H

#include <stdio.h>

#include "scan.h"

typedef enum { REPORT_PLAIN, REPORT_JSON } report_format_t;

typedef struct {
    FILE *out;
    report_format_t format;
    int silent_only;     /* --silent: only findings that do not trap at PL0 */
    unsigned long count; /* findings written so far */
} report_t;

void report_begin(report_t *rep, FILE *out, report_format_t format, int silent_only);

/* A scan_report_fn: `arg` is the report_t. */
void report_add_finding(const scan_finding_t *finding, void *arg);

/* Writes the closing "N findings" line or "]". */
void report_end(report_t *rep);

#endif
