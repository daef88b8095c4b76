/* SPDX-License-Identifier: BSD-2-Clause */
/* Console client: packs bytes into CONSOLE_WRITE calls (docs/vmm.md). */
#include <stdio.h>
#include <string.h>
#include <system/console.h>
#include <system/proto.h>

static l4_word_t console_write_chunk(l4_cptr_t ep, const char *buf, l4_word_t n)
{
    l4_word_t words[1 + CONSOLE_WRITE_MAX / 4] = {0};
    words[0] = n;
    memcpy(&words[1], buf, n);
    l4_word_t len = 1 + (n + 3) / 4;
    for (l4_word_t i = L4_MSG_REG_WORDS; i < len; i++)
        l4_set_mr(i, words[i]);
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_WRITE, 0, len)};
    for (l4_word_t i = 0; i < L4_MSG_REG_WORDS; i++)
        m.mr[i] = words[i];
    l4_word_t err = l4_call(ep, &m);
    return err ? err : m.mr[0];
}

l4_word_t console_write(l4_cptr_t ep, const char *buf, l4_word_t n)
{
    while (n) {
        l4_word_t k = n < CONSOLE_WRITE_MAX ? n : CONSOLE_WRITE_MAX;
        l4_word_t err = console_write_chunk(ep, buf, k);
        if (err)
            return err;
        buf += k;
        n -= k;
    }
    return 0;
}

l4_word_t console_puts(l4_cptr_t ep, const char *s)
{
    return console_write(ep, s, strlen(s));
}

l4_word_t console_vprintf(l4_cptr_t ep, const char *fmt, va_list ap)
{
    char buf[256];
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0)
        return L4_ERR_INVALID_ARGUMENT;
    return console_write(ep, buf, (l4_word_t)n < sizeof buf ? (l4_word_t)n : sizeof buf - 1);
}

l4_word_t console_printf(l4_cptr_t ep, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    l4_word_t err = console_vprintf(ep, fmt, ap);
    va_end(ap);
    return err;
}

l4_word_t console_register(l4_cptr_t ep, l4_word_t badge, const char *name)
{
    l4_word_t w[4] = {0}; /* MR1..MR4: the name, NUL-padded */
    size_t n = strlen(name);
    memcpy(w, name, n < sizeof w ? n : sizeof w);
    l4_set_mr(4, w[3]);
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_REGISTER, 0, 5), .mr = {badge, w[0], w[1], w[2]}};
    l4_word_t err = l4_call(ep, &m);
    return err ? err : m.mr[0];
}

l4_word_t console_set_input(l4_cptr_t ep, l4_word_t badge)
{
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_SET_INPUT, 0, 1), .mr = {badge}};
    l4_word_t err = l4_call(ep, &m);
    return err ? err : m.mr[0];
}

static l4_word_t read_with(l4_cptr_t ep, char *buf, l4_word_t max, l4_word_t *n, l4_word_t flags)
{
    if (max > CONSOLE_READ_MAX)
        max = CONSOLE_READ_MAX;
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_READ, 0, 2), .mr = {max, flags}};
    l4_word_t err = l4_call(ep, &m);
    if (err || m.mr[0])
        return err ? err : m.mr[0];
    l4_word_t words[CONSOLE_READ_MAX / 4 + 2];
    l4_word_t len = m.mr[1] < max ? m.mr[1] : max;
    for (l4_word_t i = 0; i < 2 + (len + 3) / 4; i++)
        words[i] = i < L4_MSG_REG_WORDS ? m.mr[i] : l4_get_mr(i);
    memcpy(buf, &words[2], len);
    *n = len;
    return 0;
}

l4_word_t console_read(l4_cptr_t ep, char *buf, l4_word_t max, l4_word_t *n)
{
    return read_with(ep, buf, max, n, 0);
}

l4_word_t console_read_nowait(l4_cptr_t ep, char *buf, l4_word_t max, l4_word_t *n)
{
    return read_with(ep, buf, max, n, CONSOLE_READ_NOWAIT);
}

l4_word_t console_flush(l4_cptr_t ep)
{
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_FLUSH, 0, 0)};
    l4_word_t err = l4_call(ep, &m);
    return err ? err : m.mr[0];
}
