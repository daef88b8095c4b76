/* SPDX-License-Identifier: BSD-2-Clause */
/* Invocation dispatch and argument access (kernel/core/invoke.c): inv_arg
 * reads 0 beyond the message, whatever index a decoder asks for. */
#include "unit.h"
#include <invoke.h>

/* The decoders invoke_object() dispatches to: each answers its own code. */
#define DECODER(name, code)                                                                        \
    word_t name(invocation_t *inv)                                                                 \
    {                                                                                              \
        (void)inv;                                                                                 \
        return code;                                                                               \
    }
DECODER(decode_untyped, 101)
DECODER(decode_cnode, 102)
DECODER(decode_tcb, 103)
DECODER(decode_page_table, 104)
DECODER(decode_frame, 105)
DECODER(decode_irq_control, 106)
DECODER(decode_irq_handler, 107)
DECODER(decode_vcpu, 108)
DECODER(decode_machine, 109)
bool plat_irq_pending(void)
{
    return false;
}

static tcb_t caller;
static word_t buffer[L4_IPCBUF_WORDS];

static invocation_t inv_with(word_t length, bool with_buffer)
{
    for (unsigned i = 0; i < CTX_NREGS; i++)
        caller.ctx.r[i] = 0x100 + i;
    for (unsigned i = 0; i < L4_IPCBUF_WORDS; i++)
        buffer[i] = 0x200 + i;
    caller.ipc_buffer_kptr = with_buffer ? buffer : NULL;
    return (invocation_t){.caller = &caller, .length = length};
}

static void inv_arg_reads_registers_then_the_buffer(void **state)
{
    (void)state;
    invocation_t inv = inv_with(L4_MSG_MAX_WORDS, true);
    for (unsigned i = 0; i < L4_MSG_REG_WORDS; i++)
        assert_int_equal(inv_arg(&inv, i), 0x100 + 2 + i);
    for (unsigned i = L4_MSG_REG_WORDS; i < L4_MSG_MAX_WORDS; i++)
        assert_int_equal(inv_arg(&inv, i), 0x200 + L4_IPCBUF_MSG + i);
}

static void inv_arg_beyond_the_length_is_zero(void **state)
{
    (void)state;
    for (word_t len = 0; len <= L4_MSG_MAX_WORDS; len++) {
        invocation_t inv = inv_with(len, true);
        for (unsigned i = len; i < 2 * L4_MSG_MAX_WORDS; i++)
            assert_int_equal(inv_arg(&inv, i), 0);
        assert_int_equal(inv_arg(&inv, 0xffffffffu), 0);
    }
}

/* Past the registers, within the length, a word is in the IPC buffer: the
 * system call entry lets no longer message through without one, nor one
 * longer than L4_MSG_MAX_WORDS (syscall.c). The debug configuration (this
 * build) checks that precondition; words beyond the length stay 0. */
static void inv_arg_past_the_registers_needs_the_buffer(void **state)
{
    (void)state;
    invocation_t inv = inv_with(L4_MSG_MAX_WORDS, false);
    assert_int_equal(inv_arg(&inv, 3), 0x105);
    expect_assert_failure(inv_arg(&inv, L4_MSG_REG_WORDS));
    expect_assert_failure(inv_arg(&inv, L4_MSG_MAX_WORDS - 1));
    assert_int_equal(inv_arg(&inv, L4_MSG_MAX_WORDS), 0);
}

static void inv_arg_never_reads_past_the_message_area(void **state)
{
    (void)state;
    /* a length the syscall layer never lets through: a failed assertion */
    invocation_t inv = inv_with(0x7f, true);
    expect_assert_failure(inv_arg(&inv, L4_MSG_MAX_WORDS - 1));
    assert_int_equal(inv_arg(&inv, 0x7f), 0);
    inv = inv_with(L4_MSG_MAX_WORDS, true);
    assert_int_equal(inv_arg(&inv, L4_MSG_MAX_WORDS - 1), 0x200 + L4_IPCBUF_MSG + 63);
    assert_int_equal(inv_arg(&inv, L4_MSG_MAX_WORDS), 0);
}

static void invoke_object_dispatches_by_type(void **state)
{
    (void)state;
    static const struct {
        uint8_t type;
        word_t code;
    } cases[] = {
        {L4_OBJ_UNTYPED, 101},      {L4_OBJ_CNODE, 102},       {L4_OBJ_TCB, 103},
        {L4_OBJ_PAGE_TABLE, 104},   {L4_OBJ_FRAME_4K, 105},    {L4_OBJ_FRAME_64K, 105},
        {L4_OBJ_FRAME_1M, 105},     {L4_OBJ_IRQ_CONTROL, 106}, {L4_OBJ_IRQ_HANDLER, 107},
        {L4_OBJ_VCPU, 108},         {L4_OBJ_MACHINE, 109},
        {L4_OBJ_ENDPOINT, L4_ERR_INVALID_CAPABILITY},
        {L4_OBJ_NOTIFICATION, L4_ERR_INVALID_CAPABILITY},
        {L4_OBJ_PAGE_DIRECTORY, L4_ERR_INVALID_CAPABILITY},
        {L4_OBJ_REPLY, L4_ERR_INVALID_CAPABILITY},
        {L4_OBJ_NULL, L4_ERR_INVALID_CAPABILITY},
        {200, L4_ERR_INVALID_CAPABILITY},
    };
    cte_t slot = {0};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        slot.cap.type = cases[i].type;
        invocation_t inv = inv_with(0, true);
        inv.slot = &slot;
        assert_int_equal(invoke_object(&inv), cases[i].code);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inv_arg_reads_registers_then_the_buffer),
        cmocka_unit_test(inv_arg_beyond_the_length_is_zero),
        cmocka_unit_test(inv_arg_past_the_registers_needs_the_buffer),
        cmocka_unit_test(inv_arg_never_reads_past_the_message_area),
        cmocka_unit_test(invoke_object_dispatches_by_type),
    };
    return cmocka_run_group_tests_name("invoke", tests, NULL, NULL);
}
