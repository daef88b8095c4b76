/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The cp15 registers the runtime owns (tools/previrt/policy.py, "call"):
 * those the exception model reads or writes (VBAR, the fault status and
 * address registers), the thread ID registers (TPIDRURW is the call stubs'
 * scratch register, so the guest's value lives here), and branch predictor
 * maintenance, which has no effect a guest could observe (ARM ARM B2.2.6).
 * The glue has the rest of the "call" set: the generic timer, the PMU, the
 * debug communication channel and ISR, which need the environment.
 */
#include "cpu.h"

#define CP15(opc1, crn, crm, opc2) (((opc1) << 12) | ((crn) << 8) | ((crm) << 4) | (opc2))

static uint32_t *sysreg_slot(previrt_cpu_t *cpu, uint32_t key)
{
    previrt_sysregs_t *s = &cpu->sys;

    switch (key) {
    case CP15(0, 12, 0, 0):
        return &s->vbar;
    case CP15(0, 13, 0, 2):
        return &s->tpidrurw;
    case CP15(0, 13, 0, 3):
        return &s->tpidruro;
    case CP15(0, 13, 0, 4):
        return &s->tpidrprw;
    case CP15(0, 5, 0, 0):
        return &s->dfsr;
    case CP15(0, 5, 0, 1):
        return &s->ifsr;
    case CP15(0, 5, 1, 0):
        return &s->adfsr;
    case CP15(0, 5, 1, 1):
        return &s->aifsr;
    case CP15(0, 6, 0, 0):
        return &s->dfar;
    case CP15(0, 6, 0, 2):
        return &s->ifar;
    case CP15(0, 14, 1, 0):
        return &s->cntkctl;
    default:
        return 0;
    }
}

static int sysreg_is_bp_maintenance(uint32_t key)
{
    return key == CP15(0, 7, 5, 6) || key == CP15(0, 7, 1, 6) || key == CP15(0, 7, 5, 7);
}

int previrt_sysreg_read(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn, uint32_t crm,
                        uint32_t opc2, uint32_t *value)
{
    uint32_t *slot = cp == 15 ? sysreg_slot(cpu, CP15(opc1, crn, crm, opc2)) : 0;

    if (!slot)
        return -1;
    *value = *slot;
    return 0;
}

int previrt_sysreg_write(previrt_cpu_t *cpu, uint32_t cp, uint32_t opc1, uint32_t crn, uint32_t crm,
                         uint32_t opc2, uint32_t value)
{
    uint32_t key = CP15(opc1, crn, crm, opc2), *slot;

    if (cp != 15)
        return -1;
    if (sysreg_is_bp_maintenance(key))
        return 0;
    slot = sysreg_slot(cpu, key);
    if (!slot)
        return -1;
    if (key == CP15(0, 12, 0, 0))
        value &= ~0x1fu; /* VBAR[4:0] are reserved, RAZ/WI */
    *slot = value;
    return 0;
}
