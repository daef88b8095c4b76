/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sensaudit: list the sensitive instructions left in ARMv7-A ELF files.
 *
 *   sensaudit [--json] [--silent] FILE.elf...
 *
 * --silent reports only what does not trap at PL0 (classify_is_silent):
 * the check for images whose trapping instructions a VMM emulates.
 *
 * Exit status: 0 no findings, 1 at least one finding, 2 usage error or a file
 * that could not be audited (the other files are still audited and
 * reported). An unreadable file must never pass as clean, so 2 wins over 1.
 * See docs/sensaudit.md.
 */
#include <stdio.h>
#include <string.h>

#include "elf.h"
#include "report.h"
#include "scan.h"

enum { EXIT_CLEAN = 0, EXIT_FOUND = 1, EXIT_BAD = 2 };

static void main_print_usage(FILE *out)
{
    fputs("usage: sensaudit [--json] [--silent] FILE.elf...\n"
          "List sensitive instructions (privileged state, WFI, exception return, ...)\n"
          "in ARMv7-A ELF32 little-endian files.\n"
          "--silent: only those that do not trap at PL0.\n"
          "Exit status: 0 clean, 1 findings, 2 bad input or usage.\n",
          out);
}

/* Audit one file into rep; returns 0, or -1 after printing why it failed. */
static int main_audit_file(const char *path, report_t *rep)
{
    elf_image_t img;
    char err[256];
    int rc;

    if (elf_load_image(path, &img, err, sizeof(err)) != 0) {
        fprintf(stderr, "sensaudit: %s: %s\n", path, err);
        return -1;
    }
    rc = scan_audit_image(path, &img, report_add_finding, rep, err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "sensaudit: %s: %s\n", path, err);
    elf_free_image(&img);
    return rc;
}

int main(int argc, char **argv)
{
    report_format_t format = REPORT_PLAIN;
    report_t rep;
    int first = 1, bad = 0, silent_only = 0;

    for (; first < argc && argv[first][0] == '-'; first++) {
        if (strcmp(argv[first], "--") == 0) {
            first++;
            break;
        } else if (strcmp(argv[first], "--json") == 0) {
            format = REPORT_JSON;
        } else if (strcmp(argv[first], "--silent") == 0) {
            silent_only = 1;
        } else if (strcmp(argv[first], "--help") == 0 || strcmp(argv[first], "-h") == 0) {
            main_print_usage(stdout);
            return EXIT_CLEAN;
        } else {
            fprintf(stderr, "sensaudit: unknown option '%s'\n", argv[first]);
            main_print_usage(stderr);
            return EXIT_BAD;
        }
    }
    if (first >= argc) {
        main_print_usage(stderr);
        return EXIT_BAD;
    }
    report_begin(&rep, stdout, format, silent_only);
    for (int i = first; i < argc; i++)
        if (main_audit_file(argv[i], &rep) != 0)
            bad = 1;
    report_end(&rep);
    if (bad)
        return EXIT_BAD;
    return rep.count ? EXIT_FOUND : EXIT_CLEAN;
}
