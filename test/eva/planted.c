/* SPDX-License-Identifier: BSD-2-Clause */
/* A planted defect: tools/analysis/eva.py analyses this first and fails the
 * suite unless Eva reports exactly one alarm here, so an analysis that
 * stopped checking anything cannot pass. */
#include "eva.h"

static word_t table[4];

int main(void)
{
    eva_use(table[eva_range(0, 4)]); /* index 4 is out of bounds */
    return 0;
}
