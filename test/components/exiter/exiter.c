/* SPDX-License-Identifier: BSD-2-Clause */
/* How a component ends, chosen by its name: `exit7` calls exit(7) in the
 * middle of init, `returner` returns from init with nothing to wait for
 * (status 0). Either ends only this component: the root reports the end
 * and the system goes on (systems/components.sys). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>

void init(void)
{
    printf("ending by %s\n", strcmp(comp_name(), "exit7") == 0 ? "exit(7)" : "returning");
    if (strcmp(comp_name(), "exit7") == 0)
        exit(7);
}
