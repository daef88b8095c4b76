/* SPDX-License-Identifier: BSD-2-Clause */
/* Reads lines typed at the console (systems/uart.sys, suite `uart`): it
 * prints `[input] ready` and qemurun types the next --input text on QEMU's
 * stdin, the PL011's receive side; the UART driver passes the bytes to the
 * console server, which answers this component's read. Checked: a line
 * through stdio (fgets), a line ended by "\r" as a terminal sends it, a
 * long line, and a line read in pieces with console_read. Ends with the
 * number of failures as its status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>
#include <system/comp.h>
#include <system/console.h>

static int failures;

static void result(const char *name, int ok, const char *got)
{
    if (ok)
        printf("[test] PASS %s\n", name);
    else
        printf("[test] FAIL %s: got '%s'\n", name, got);
    failures += !ok;
}

static void ready(void)
{
    printf("[input] ready\n");
}

void init(void)
{
    char buf[256];
    ready(); /* qemurun: "hello uart\n" */
    char *s = fgets(buf, sizeof buf, stdin);
    result("uart_input_line_read_through_stdin", s && strcmp(buf, "hello uart\n") == 0,
           s ? buf : "(end of file)");

    ready(); /* "typed with a carriage return\r" */
    s = fgets(buf, sizeof buf, stdin);
    result("uart_input_line_ended_by_cr_reads_as_a_line",
           s && strcmp(buf, "typed with a carriage return\n") == 0, s ? buf : "(end of file)");

    ready(); /* 150 characters: 0123456789 fifteen times */
    s = fgets(buf, sizeof buf, stdin);
    int ok = s && strlen(buf) == 151 && buf[150] == '\n';
    for (int i = 0; ok && i < 150; i++)
        ok = buf[i] == '0' + i % 10;
    result("uart_input_long_line_arrives_whole", ok, s ? buf : "(end of file)");

    ready(); /* "abcdefgh\n", read 5 bytes at a time */
    l4_word_t n1 = 0, n2 = 0;
    char a[8] = {0}, b[8] = {0};
    ok = console_read(COMP_CAP_CONSOLE, a, 5, &n1) == 0 && n1 == 5 && memcmp(a, "abcde", 5) == 0 &&
         console_read(COMP_CAP_CONSOLE, b, 5, &n2) == 0 && n2 == 4 && memcmp(b, "fgh\n", 4) == 0;
    result("uart_input_line_read_in_pieces", ok, a);
    result("uart_read_of_more_than_the_maximum_is_refused",
           console_read(COMP_CAP_CONSOLE, buf, 0, &n1) == L4_ERR_INVALID_ARGUMENT, "");
    exit(failures);
}
