/* SPDX-License-Identifier: BSD-2-Clause */
/* Console output and input hooks (l4/console.h). */
#include <l4/l4.h>

static l4_console_fn console_hook = l4_console_machine;

l4_console_fn l4_console_set_hook(l4_console_fn fn)
{
    l4_console_fn old = console_hook;
    console_hook = fn;
    return old;
}

l4_word_t l4_console_machine(const char *buf, l4_word_t n)
{
    l4_word_t err = L4_ERR_OK;
    while (n && err == L4_ERR_OK) {
        l4_word_t k = n < L4_MACHINE_CONSOLE_MAX ? n : L4_MACHINE_CONSOLE_MAX;
        err = l4_machine_console_write(L4_CAP_MACHINE, k, buf);
        buf += k;
        n -= k;
    }
    return err;
}

l4_word_t l4_console_debug(const char *buf, l4_word_t n)
{
    for (l4_word_t i = 0; i < n; i++)
        l4_debug_putc(buf[i]);
    return L4_ERR_OK;
}

l4_word_t l4_console_write(const char *buf, l4_word_t n)
{
    return console_hook ? console_hook(buf, n) : L4_ERR_OK;
}

l4_word_t l4_console_puts(const char *s)
{
    l4_word_t n = 0;
    while (s[n])
        n++;
    return l4_console_write(s, n);
}

static l4_console_read_fn read_hook;

l4_console_read_fn l4_console_set_read_hook(l4_console_read_fn fn)
{
    l4_console_read_fn old = read_hook;
    read_hook = fn;
    return old;
}

l4_word_t l4_console_read(char *buf, l4_word_t n)
{
    return read_hook ? read_hook(buf, n) : 0;
}
