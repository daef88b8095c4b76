/* SPDX-License-Identifier: BSD-2-Clause */
/* C start-up: keep the start argument, run constructors, call main(),
 * exit with its status. */
#include <stdlib.h>
#include <l4/l4.h>

extern int main(void);
extern void __libc_init_array(void);

const l4_word_t *l4_bootinfo;
l4_word_t l4_start_arg;

void __l4_start(const l4_word_t *bootinfo)
{
    l4_start_arg = (l4_word_t)bootinfo;
    if (bootinfo && bootinfo[L4_BOOTINFO_MAGIC] == L4_BOOTINFO_MAGIC_VALUE)
        l4_bootinfo = bootinfo;
    __libc_init_array();
    exit(main());
}

/* newlib's __libc_init_array/__libc_fini_array call these (crti/crtn-style
 * hooks); everything is in .init_array/.fini_array instead. */
void _init(void) {}
void _fini(void) {}
