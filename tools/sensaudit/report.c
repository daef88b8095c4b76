/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Plain and JSON reports. Symbol and section names come from the audited
 * file and may hold any byte: plain output replaces non-printable bytes with
 * '?' so one finding stays one line, and JSON escapes every byte outside
 * printable ASCII as \u00XX so the output is valid JSON (and UTF-8) for any
 * input.
 */
#include "report.h"

static void report_put_plain(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(*s >= 0x20 && *s < 0x7f ? *s : '?', out);
}

/* The body of a JSON string, without the quotes. */
static void report_put_json_chars(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            fprintf(out, "\\u%04x", *p);
        else
            fputc(*p, out);
    }
}

static void report_put_json(FILE *out, const char *s)
{
    fputc('"', out);
    report_put_json_chars(out, s);
    fputc('"', out);
}

void report_begin(report_t *rep, FILE *out, report_format_t format, int silent_only)
{
    rep->out = out;
    rep->format = format;
    rep->silent_only = silent_only;
    rep->count = 0;
    if (format == REPORT_JSON)
        fputc('[', out);
}

static void report_write_plain(FILE *out, const scan_finding_t *f)
{
    report_put_plain(out, f->file);
    fprintf(out, ": 0x%08x <", f->address);
    report_put_plain(out, f->function);
    fprintf(out, "+0x%x> [%s] %s: ", f->function_offset, f->thumb ? "thumb" : "arm",
            classify_name(f->cls));
    report_put_plain(out, f->text);
    fputc('\n', out);
}

static void report_write_json(FILE *out, const scan_finding_t *f, int first)
{
    fputs(first ? "\n  {\"file\": " : ",\n  {\"file\": ", out);
    report_put_json(out, f->file);
    fprintf(out, ", \"address\": %u, \"function\": \"", f->address);
    report_put_json_chars(out, f->function);
    fprintf(out, "+0x%x\", \"isa\": \"%s\", \"class\": \"%s\", \"silent\": %s, \"text\": ",
            f->function_offset, f->thumb ? "thumb" : "arm", classify_name(f->cls),
            f->silent ? "true" : "false");
    report_put_json(out, f->text);
    fputc('}', out);
}

void report_add_finding(const scan_finding_t *finding, void *arg)
{
    report_t *rep = arg;

    if (rep->silent_only && !finding->silent)
        return;
    if (rep->format == REPORT_JSON)
        report_write_json(rep->out, finding, rep->count == 0);
    else
        report_write_plain(rep->out, finding);
    rep->count++;
}

void report_end(report_t *rep)
{
    if (rep->format == REPORT_JSON)
        fputs(rep->count ? "\n]\n" : "]\n", rep->out);
    else
        fprintf(rep->out, "%lu findings\n", rep->count); /* fixed form, for scripts */
    fflush(rep->out);
}
