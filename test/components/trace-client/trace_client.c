/* SPDX-License-Identifier: BSD-2-Clause */
/* Calls the trace server (systems/trace-paths.sys) in rounds with
 * messages of 2 and 4 words, which the kernel's IPC fastpath carries in
 * registers (call and reply_recv), and of 5 and 6 words, which its long
 * form carries through the IPC buffers, and checks every answer. Run as
 * tclient (the server's priority: the fastpath's calls) and as tslow
 * (below it: the same calls on the slow path). tclient's last call asks
 * the server to signal tsig, whose answer then waits at the server as
 * pending notification bits. The suite trace-paths then compares the
 * trace records of the kinds of call (tools/trace/check_paths.py):
 * nothing is printed between the calls, so that each call's records are
 * the call's alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>

#define SERVER 0   /* its id for the server's endpoint */
#define LABEL 0x2a /* the server answers LABEL + 1 */
#define PING 0x2c  /* the server signals tsig twice, then answers PING + 1 */
#define ROUNDS 8

static l4_word_t badge; /* its badge at the server (systems/trace-paths.sys) */

static int call_with(l4_word_t label, l4_word_t words)
{
    for (l4_word_t i = 0; i < words; i++)
        comp_mr_set(i, 100 * words + i);
    comp_msginfo_t info = comp_msginfo(label, words);
    if (comp_call(SERVER, &info) != L4_ERR_OK || comp_msginfo_label(info) != label + 1 ||
        comp_msginfo_length(info) != words)
        return 0;
    for (l4_word_t i = 0; i < words; i++)
        if (comp_mr_get(i) != 100 * words + i + badge)
            return 0;
    return 1;
}

void init(void)
{
    static const l4_word_t lengths[] = {2, 6, 4, 5};
    const int fast = strcmp(comp_name(), "tslow") != 0;
    badge = fast ? 7 : 8;
    int ok = 1;
    for (int r = 0; r < ROUNDS; r++)
        for (unsigned k = 0; k < sizeof lengths / sizeof lengths[0]; k++)
            ok &= call_with(LABEL, lengths[k]);
    if (fast)
        ok &= call_with(PING, 1);
    printf("[test] %s trace_paths_calls_answered_%s (%d rounds of 2, 6, 4 and 5 words)\n",
           ok ? "PASS" : "FAIL", comp_name(), ROUNDS);
    exit(ok ? 0 : 1);
}
