/* SPDX-License-Identifier: BSD-2-Clause */
#include <l4/ipc.h>

l4_word_t l4_invoke(l4_cptr_t obj, l4_word_t label, const l4_word_t *mr, l4_word_t n,
                    const l4_cptr_t *caps, l4_word_t ncaps, l4_word_t *out, l4_word_t nout)
{
    l4_msg_t m = {0};
    l4_word_t *buf = l4_ipc_buffer();
    for (l4_word_t i = 0; i < n && i < L4_MSG_MAX_WORDS; i++) {
        if (i < L4_MSG_REG_WORDS)
            m.mr[i] = mr[i];
        else
            buf[L4_IPCBUF_MSG + i] = mr[i];
    }
    for (l4_word_t i = 0; i < ncaps && i < L4_MSG_MAX_CAPS; i++)
        buf[L4_IPCBUF_CAPS + i] = caps[i];
    m.info = l4_msginfo(label, ncaps, n);
    l4_word_t err = l4_syscall_ipc(L4_SYS_CALL, obj, &m);
    l4_word_t got = l4_msginfo_length(m.info);
    for (l4_word_t i = 0; err == L4_ERR_OK && out && i < nout && i < got; i++)
        out[i] = i < L4_MSG_REG_WORDS ? m.mr[i] : buf[L4_IPCBUF_MSG + i];
    return err;
}
