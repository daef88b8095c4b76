/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console input through the port (rtos_console_getc over port_console_getc:
 * natively the PL011's receive FIFO and its interrupt, as a guest the
 * console page's rx ring and its line GUEST_IRQ_CONSOLE; docs/rtos.md).
 * It prints `[input] ready`
 * and qemurun types the next --input text (suites rtos-input-native and
 * rtos-input-virtual): a line; 1500 bytes in 15 lines, more than the
 * guest's 1 KiB ring and the PL011's 16-byte FIFO, all in order; then
 * input left unread, which must not raise the line again and again. Only the
 * reader waits: the first prompt is printed by a task below it, which runs
 * only once the reader blocks, and goes on counting while it waits.
 */
#include <rtos/rtos.h>

#define FLOOD 1500u

static rtos_task_t reader, spinner;
static uint64_t reader_stack[2048 / 8], spinner_stack[1024 / 8];
static volatile uint32_t spins;
static volatile bool prompted; /* the spinner ran while the reader waited */
static volatile bool reading_done;

static void check(const char *name, bool ok)
{
    rtos_printf("[test] %s %s\n", ok ? "PASS" : "FAIL", name);
}

/* One line without its end (LF, CR or CRLF: a CR from a terminal), at most
 * n - 1 bytes, terminated; its length. */
static unsigned read_line(char *buf, unsigned n)
{
    unsigned k = 0;

    for (;;) {
        int c = rtos_console_getc();

        if (c == '\r' || c == '\n') {
            if (k)
                break;
            continue; /* the LF of a CRLF, or an empty line */
        }
        if (k + 1 < n)
            buf[k++] = (char)c;
    }
    buf[k] = 0;
    return k;
}

static char flood_char(unsigned i)
{
    return i % 100 == 99 ? '\n' : (char)('0' + (i / 100 + i % 100) % 10);
}

static void spinner_main(void *arg)
{
    prompted = true;
    rtos_printf("[input] ready\n"); /* the reader waits already */
    while (!reading_done)
        spins++;
}

/*
 * Input left unread raises the line once, not again after every handler
 * (natively the PL011 holds its interrupt high while its FIFO has data:
 * the GIC takes it edge-triggered, arch/native/uart.c; as a guest the line
 * is the VMM's signal). The third text, "xyz\n": its first byte read, the
 * reader spins with interrupts on, not reading; the line may come for the
 * bytes still arriving (3), never more.
 */
#define QUIET_SPIN 200000 /* about a tick */

static bool unread_input_raises_the_line_once(unsigned line)
{
    uint32_t before, taken;
    char rest[4];
    int first;
    bool ok;

    rtos_printf("[input] ready\n");
    first = rtos_console_getc();
    before = rtos_irq_count(line);
    for (volatile unsigned i = 0; i < QUIET_SPIN; i++)
        ;
    taken = rtos_irq_count(line) - before;
    for (unsigned i = 0; i < 3; i++)
        rest[i] = (char)rtos_console_getc();
    rest[3] = 0;
    ok = first == 'x' && memcmp(rest, "yz\n", 3) == 0 && taken <= 3;
    if (!ok)
        rtos_printf("first %d, then '%s', line taken %u times while unread\n", first, rest,
                    (unsigned)taken);
    check("rtos_getc_unread_input_raises_the_line_once", ok);
    return ok;
}

static void reader_main(void *arg)
{
    char buf[128];
    bool ok = true, flood_ok = true;
    int line;

    read_line(buf, sizeof buf); /* prompted by the spinner, below us */
    ok = strlen(buf) == 10 && memcmp(buf, "hello rtos", 10) == 0;
    check("rtos_getc_reads_a_typed_line", ok);
    check("rtos_getc_blocks_only_the_reader", prompted);
    ok &= prompted;
    rtos_printf("[input] ready\n");
    for (unsigned i = 0; i < FLOOD; i++) {
        int c = rtos_console_getc();

        if (c != flood_char(i)) {
            if (flood_ok)
                rtos_printf("byte %u: got %d, want %d\n", i, c, flood_char(i));
            flood_ok = false;
        }
    }
    check("rtos_getc_takes_1500_bytes_in_order", flood_ok);
    /* Where the port has an input line (both ARM ports), the reader waited
     * on it, not a tick at a time. */
    line = port_console_input_line();
    check("rtos_getc_waits_on_the_input_line", line >= 0 && rtos_irq_count((unsigned)line) > 0);
    ok &= line >= 0 && rtos_irq_count((unsigned)line) > 0;
    if (line >= 0)
        ok &= unread_input_raises_the_line_once((unsigned)line);
    reading_done = true;
    rtos_printf("[test] DONE\n");
    port_exit(ok && flood_ok ? 0 : 1);
}

void app_init(void)
{
    rtos_printf("[rtos] console input on the %s port\n", PORT_NAME);
    rtos_task_create(&reader, "reader", 12, reader_main, NULL, reader_stack, sizeof reader_stack);
    rtos_task_create(&spinner, "spinner", 4, spinner_main, NULL, spinner_stack,
                     sizeof spinner_stack);
}
