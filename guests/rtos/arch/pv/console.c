/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Console and exit: calls to the console server and the VMM (docs/vmm.md).
 * Output is buffered per line, since the server prints whole lines tagged
 * with the guest's name; a line longer than a message is sent in pieces.
 */
#include "pv.h"

static union {
    char c[CONSOLE_WRITE_MAX];
    uint32_t w[CONSOLE_WRITE_MAX / 4]; /* packed little-endian */
} pv_line;
static unsigned pv_line_len;

/* Send the buffered bytes: MR0 = count, the bytes from MR1 on. Interrupts
 * off (the buffer and the IPC buffer are shared with kernel context). */
void pv_console_flush(void)
{
    unsigned words = (pv_line_len + 3) / 4;
    l4_msg_t m = {.info = l4_msginfo(CONSOLE_WRITE, 0, 1 + words)};

    if (!pv_line_len)
        return;
    m.mr[0] = pv_line_len;
    for (unsigned i = 0; i < words; i++) {
        if (i + 1 < L4_MSG_REG_WORDS)
            m.mr[i + 1] = pv_line.w[i];
        else
            l4_set_mr(i + 1, pv_line.w[i]);
    }
    l4_call(GUEST_CAP_CONSOLE, &m);
    pv_line_len = 0;
}

void port_console_putc(char c)
{
    port_irqflags_t flags = port_irq_save();

    pv_line.c[pv_line_len++] = c;
    if (c == '\n' || pv_line_len == CONSOLE_WRITE_MAX)
        pv_console_flush();
    port_irq_restore(flags);
}

/* Tell the VMM we are done; it stops the vCPU and reports the status. */
void port_exit(int status)
{
    l4_msg_t m = {.info = l4_msginfo(VMM_EXIT, 0, 1)};

    l4_vcpu_irq_disable(pv_state);
    pv_console_flush();
    m.mr[0] = (uint32_t)status;
    l4_call(GUEST_CAP_VMM, &m);
    for (;;) /* not stopped (no VMM?): sleep, interrupts off */
        l4_wait(GUEST_CAP_NTFN, NULL);
}
