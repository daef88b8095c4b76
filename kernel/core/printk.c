/* SPDX-License-Identifier: BSD-2-Clause */
/* Minimal formatted output to the platform console: the conversions the
 * kernel's messages use, %s %d %u %x with a width, 0 padding and - for left
 * alignment; anything else prints ? and ends the message. */
#include <platform.h>
#include <printk.h>

static void put_num(uint32_t v, unsigned base, int width, char pad, bool neg)
{
    char buf[12];
    int n = 0;
    do {
        buf[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (neg)
        buf[n++] = '-';
    while (width-- > n)
        plat_console_putc(pad);
    while (n)
        plat_console_putc(buf[--n]);
}

void vprintk(const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            plat_console_putc(*fmt);
            continue;
        }
        char pad = ' ';
        int width = 0;
        bool left = false;
        fmt++;
        if (*fmt == '-') {
            left = true;
            fmt++;
        }
        if (*fmt == '0') {
            pad = '0';
            fmt++;
        }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        if (*fmt == 'l')
            fmt++;
        switch (*fmt) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            int len = 0;
            if (!s)
                s = "(null)";
            while (s[len])
                len++;
            for (int i = len; !left && i < width; i++)
                plat_console_putc(' ');
            for (int i = 0; i < len; i++)
                plat_console_putc(s[i]);
            for (int i = len; left && i < width; i++)
                plat_console_putc(' ');
            break;
        }
        case 'd': {
            int v = va_arg(ap, int);
            put_num(v < 0 ? -(uint32_t)v : (uint32_t)v, 10, width, pad, v < 0);
            break;
        }
        case 'u':
            put_num(va_arg(ap, uint32_t), 10, width, pad, false);
            break;
        case 'x':
            put_num(va_arg(ap, uint32_t), 16, width, pad, false);
            break;
        case '%':
            plat_console_putc('%');
            break;
        default:
            plat_console_putc('?');
            return;
        }
    }
}

void printk(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
}
