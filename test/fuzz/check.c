/* SPDX-License-Identifier: BSD-2-Clause */
/* Checking the kernel after a campaign (fuzz.h): the debug configuration's
 * invariant checker over everything the supervisor reaches (the whole
 * world while it stands, with the actors stopped wherever they were), and,
 * once the world is revoked, proof that nothing leaked: the pool untyped is
 * retypeable as a whole, and every ASID can be given out again. */
#include <stdio.h>
#include "check.h"

int fz_check_kernel(const char *when, fz_check_t *out)
{
    l4_word_t report[L4_DEBUG_CHECK_WORDS] = {0};
    l4_word_t e = l4_machine_debug_check(L4_CAP_MACHINE, report);
    out->code = e == L4_ERR_OK ? report[L4_DEBUG_CHECK_CODE] : ~0u;
    out->slots = report[L4_DEBUG_CHECK_SLOTS];
    out->objects = report[L4_DEBUG_CHECK_OBJECTS];
    out->threads = report[L4_DEBUG_CHECK_THREADS];
    if (e != L4_ERR_OK) {
        printf("[fuzz] %s: machine_debug_check failed with error %lu (a debug kernel?)\n", when,
               (unsigned long)e);
        return 0;
    }
    if (out->code == 0)
        return 1;
    printf("[fuzz] %s: invariant %lu violated at 0x%08lx / 0x%08lx (checker line %lu)\n", when,
           (unsigned long)out->code, (unsigned long)report[L4_DEBUG_CHECK_A],
           (unsigned long)report[L4_DEBUG_CHECK_B], (unsigned long)report[L4_DEBUG_CHECK_LINE]);
    return 0;
}

int fz_retype_all(fz_world_t *w)
{
    l4_cptr_t s = w->scratch_first;
    l4_word_t e;
    /* The whole pool in one piece: its watermark went back to 0. */
    e = l4_untyped_retype(w->pool, L4_OBJ_UNTYPED, w->pool_bits, 0, 0, s, 1, L4_CAP_INIT_CNODE);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, w->pool, 32);
    if (e != L4_ERR_OK) {
        printf("[fuzz] the pool is not retypeable as a whole: error %lu\n", (unsigned long)e);
        return 0;
    }
    /* Every ASID but the supervisor's: 254 page directories, and not one more. */
    const l4_word_t asids = 254;
    e = l4_untyped_retype(w->pool, L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, s, asids, L4_CAP_INIT_CNODE);
    l4_word_t more =
        l4_untyped_retype(w->pool, L4_OBJ_PAGE_DIRECTORY, 0, 0, 0, s + asids, 1, L4_CAP_INIT_CNODE);
    l4_cnode_revoke(L4_CAP_INIT_CNODE, w->pool, 32);
    if (e != L4_ERR_OK || more != L4_ERR_NOT_ENOUGH_MEMORY) {
        printf("[fuzz] ASIDs leaked: 254 page directories -> %lu, the 255th -> %lu\n",
               (unsigned long)e, (unsigned long)more);
        return 0;
    }
    return 1;
}
