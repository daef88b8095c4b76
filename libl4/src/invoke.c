/* SPDX-License-Identifier: BSD-2-Clause */
#include <l4/ipc.h>

l4_word_t l4_invoke(l4_cptr_t obj, l4_word_t label, const l4_word_t *mr, l4_word_t n,
                    const l4_cptr_t *caps, l4_word_t ncaps, l4_word_t *out, l4_word_t nout)
{
    l4_msg_t m = {0};
    l4_word_t *buf = l4_ipc_buffer();
    l4_word_t nin = n < L4_MSG_MAX_WORDS ? n : L4_MSG_MAX_WORDS, i;

    /* Words 0..L4_MSG_REG_WORDS-1 travel in registers, the rest in the IPC
     * buffer at their own index: two plain copies, no test per word. */
    for (i = 0; i < nin && i < L4_MSG_REG_WORDS; i++)
        m.mr[i] = mr[i];
    for (; i < nin; i++)
        buf[L4_IPCBUF_MSG + i] = mr[i];
    for (i = 0; i < ncaps && i < L4_MSG_MAX_CAPS; i++)
        buf[L4_IPCBUF_CAPS + i] = caps[i];
    m.info = l4_msginfo(label, ncaps, n);
    l4_word_t err = l4_syscall_ipc(L4_SYS_CALL, obj, &m);
    l4_word_t got = l4_msginfo_length(m.info);
    if (err != L4_ERR_OK || !out)
        return err;
    if (nout > got)
        nout = got;
    for (i = 0; i < nout && i < L4_MSG_REG_WORDS; i++)
        out[i] = m.mr[i];
    for (; i < nout; i++)
        out[i] = buf[L4_IPCBUF_MSG + i];
    return err;
}
