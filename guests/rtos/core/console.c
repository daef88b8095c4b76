/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console output: a small printf over port_console_putc(), and the panic
 * path. Each call prints with interrupts off so lines from different tasks
 * never interleave; the port's putc must not block for long (PL011 on QEMU
 * never does; a slow UART would want a buffered driver task).
 */
#include <stdarg.h>

#include "kernel.h"

/* Console input: the port's non-blocking getc, and a semaphore its input
 * line's handler gives (attached at the first read), so that a reader
 * blocks alone while the other tasks run. A give that finds the ring
 * already read only costs the reader one more look. */
static rtos_sem_t console_input_sem;
static int console_input_line = -2; /* -2: not set up yet */

static void console_input_irq(unsigned line, void *arg)
{
    rtos_sem_give(&console_input_sem);
}

int rtos_console_getc(void)
{
    for (;;) {
        port_irqflags_t flags = port_irq_save();
        int c = port_console_getc();

        if (console_input_line == -2) {
            rtos_sem_init(&console_input_sem, 0, 1);
            console_input_line = port_console_input_line();
            if (console_input_line >= 0)
                rtos_irq_attach((unsigned)console_input_line, console_input_irq, NULL);
        }
        port_irq_restore(flags);
        if (c >= 0)
            return c;
        if (console_input_line >= 0)
            rtos_sem_take(&console_input_sem, RTOS_WAIT_FOREVER);
        else
            rtos_task_delay(1);
    }
}

void console_write(const char *s, size_t len)
{
    while (len--)
        port_console_putc(*s++);
}

static void put_uint(uint32_t v, unsigned base, unsigned width, char pad)
{
    char buf[12];
    unsigned n = 0;

    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (width > n) {
        port_console_putc(pad);
        width--;
    }
    while (n)
        port_console_putc(buf[--n]);
}

static void vprint(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        unsigned width = 0;
        char pad = ' ';

        if (*fmt != '%') {
            port_console_putc(*fmt);
            continue;
        }
        fmt++;
        if (*fmt == '0')
            pad = '0';
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (unsigned)(*fmt++ - '0');
        while (*fmt == 'l')
            fmt++;
        switch (*fmt) {
        case 'd': {
            int v = va_arg(ap, int);

            if (v < 0) {
                port_console_putc('-');
                put_uint(-(uint32_t)v, 10, width, pad);
            } else {
                put_uint((uint32_t)v, 10, width, pad);
            }
            break;
        }
        case 'u':
            put_uint(va_arg(ap, unsigned), 10, width, pad);
            break;
        case 'x':
            put_uint(va_arg(ap, unsigned), 16, width, pad);
            break;
        case 'p':
            console_write("0x", 2);
            put_uint((uint32_t)(uintptr_t)va_arg(ap, void *), 16, 8, '0');
            break;
        case 's': {
            const char *s = va_arg(ap, const char *);

            console_write(s ? s : "(null)", strlen(s ? s : "(null)"));
            break;
        }
        case 'c':
            port_console_putc((char)va_arg(ap, int));
            break;
        case '\0':
            return;
        default:
            port_console_putc(*fmt);
            break;
        }
    }
}

void rtos_printf(const char *fmt, ...)
{
    port_irqflags_t flags = port_irq_save();
    va_list ap;

    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    port_irq_restore(flags);
}

/* A broken core invariant: report and stop the machine with failure. */
void rtos_panic(const char *file, int line, const char *what)
{
    port_irq_save();
    rtos_printf("[rtos] PANIC %s:%d: %s\n", file, line, what);
    port_exit(2);
}
