/* SPDX-License-Identifier: BSD-2-Clause */
/* Dispatch of invocations to the object that implements them. */
#include <assert.h>
#include <invoke.h>
#include <platform.h>

word_t inv_arg(const invocation_t *inv, unsigned i)
{
    /* Safe by itself: a word beyond the message reads as 0 (decoders still
     * check the length first, to answer TRUNCATED_MESSAGE). Within it, a
     * word past the registers is in the IPC buffer: the system call entry
     * lets no message longer than the registers through without a buffer,
     * nor one longer than L4_MSG_MAX_WORDS (syscall.c, ipc_info_invalid). */
    if (i >= inv->length)
        return 0;
    if (i < L4_MSG_REG_WORDS)
        return inv->caller->ctx.r[2 + i];
    assert_debug(inv->caller->ipc_buffer_kptr && inv->length <= L4_MSG_MAX_WORDS);
    return inv->caller->ipc_buffer_kptr[L4_IPCBUF_MSG + i];
}

bool preemption_point(void)
{
    return plat_irq_pending();
}

word_t invoke_object(invocation_t *inv)
{
    switch (inv->slot->cap.type) {
    case L4_OBJ_UNTYPED:
        return decode_untyped(inv);
    case L4_OBJ_CNODE:
        return decode_cnode(inv);
    case L4_OBJ_TCB:
        return decode_tcb(inv);
    case L4_OBJ_PAGE_TABLE:
        return decode_page_table(inv);
    case L4_OBJ_FRAME_4K:
    case L4_OBJ_FRAME_64K:
    case L4_OBJ_FRAME_1M:
        return decode_frame(inv);
    case L4_OBJ_IRQ_CONTROL:
        return decode_irq_control(inv);
    case L4_OBJ_IRQ_HANDLER:
        return decode_irq_handler(inv);
    case L4_OBJ_VCPU:
        return decode_vcpu(inv);
    case L4_OBJ_MACHINE:
        return decode_machine(inv);
    default: /* page directories have no methods; IPC objects are not invoked */
        return L4_ERR_INVALID_CAPABILITY;
    }
}
