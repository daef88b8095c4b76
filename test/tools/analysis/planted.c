/* SPDX-License-Identifier: BSD-2-Clause */
/* Planted defects: tools/analysis/static.py analyses this file with the
 * kernel's own flags before the kernel, and fails unless each analyser reports
 * exactly the findings marked on their lines (`expect: ANALYSER ID...;`). So an
 * analyser that silently stopped working (a flag that turns it off, a
 * changed output format) fails its suite instead of passing everything. */
#include <types.h>

extern const uint8_t planted_start[], planted_end[];

int planted_null_dereference(int x)
{
    int *p = NULL;
    if (x)
        p = &x;
    return *p; /* expect: analyzer -Wanalyzer-null-dereference; cppcheck nullPointer; */
}

int planted_out_of_bounds(void)
{
    const int a[4] = {0, 1, 2, 3};
    return a[4]; /* expect: analyzer -Wanalyzer-use-of-uninitialized-value -Warray-bounds;
                    cppcheck arrayIndexOutOfBounds; */
}

size_t planted_pointer_subtraction(void)
{
    return (size_t)(planted_end - planted_start); /* expect: cppcheck comparePointers; */
}
