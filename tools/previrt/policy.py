# SPDX-License-Identifier: BSD-2-Clause
"""Which cp15/cp14 accesses and device accesses become runtime calls, and
which are left to trap.

The rule (docs/previrt.md, "What traps"): a call where the guest runtime
can emulate the register on its own, because the exception model owns it
(VBAR, fault status and address registers, ISR), it is per-vCPU state with
no effect outside the guest (thread ID registers, the debug communication
channel seen from PL0), or it does *not* trap at PL0 on this kernel and
would silently act on the real machine (the generic timer, the PMU); a trap
where the VMM must act anyway (MMU, TLB, caches, translation, ID and
implementation-defined registers): a call would only forward the same
request by IPC, and one path is simpler to get right.

Every register left to trap must really trap at PL0: the test suite checks
this table against the auditor's notion of "silent" (sensaudit --silent)
over every MCR/MRC/MCRR/MRRC encoding of cp14 and cp15.
"""

# The devices whose loads and stores become runtime calls (the MEM rewrite,
# memsite.py): those the runtime emulates itself, on the virtual GIC it
# shares with the VMM (libl4/src/previrt/gicdev.c; QEMU virt's addresses,
# servers/include/system/previrt.h). The UART stays a trap: the VMM owns its
# console. (base, size, name); --previrt-devices replaces the list.
DEVICES = [
    (0x08000000, 0x1000, 'the GIC distributor'),
    (0x08010000, 0x1000, 'the GIC CPU interface'),
]

# (opc1, CRn, CRm, opc2) -> name, for the registers the runtime emulates.
CP15_CALL = {
    (0, 13, 0, 2): 'TPIDRURW',
    (0, 13, 0, 3): 'TPIDRURO',
    (0, 13, 0, 4): 'TPIDRPRW',
    (0, 12, 0, 0): 'VBAR',
    (0, 12, 1, 0): 'ISR',
    (0, 5, 0, 0): 'DFSR',
    (0, 5, 0, 1): 'IFSR',
    (0, 5, 1, 0): 'ADFSR',
    (0, 5, 1, 1): 'AIFSR',
    (0, 6, 0, 0): 'DFAR',
    (0, 6, 0, 2): 'IFAR',
    (0, 7, 5, 6): 'BPIALL',
    (0, 7, 1, 6): 'BPIALLIS',
    (0, 7, 5, 7): 'BPIMVA',
    (0, 14, 0, 0): 'CNTFRQ',
    (0, 14, 1, 0): 'CNTKCTL',
    (0, 14, 2, 0): 'CNTP_TVAL',
    (0, 14, 2, 1): 'CNTP_CTL',
    (0, 14, 3, 0): 'CNTV_TVAL',
    (0, 14, 3, 1): 'CNTV_CTL',
}
PMU_NAMES = {(12, 0): 'PMCR', (12, 1): 'PMCNTENSET', (12, 2): 'PMCNTENCLR', (12, 3): 'PMOVSR',
             (12, 4): 'PMSWINC', (12, 5): 'PMSELR', (12, 6): 'PMCEID0', (12, 7): 'PMCEID1',
             (13, 0): 'PMCCNTR', (13, 1): 'PMXEVTYPER', (13, 2): 'PMXEVCNTR',
             (14, 0): 'PMUSERENR', (14, 1): 'PMINTENSET', (14, 2): 'PMINTENCLR',
             (14, 3): 'PMOVSSET'}
CP15_TRAP_NAMES = {
    (0, 0, 0, 0): 'MIDR', (0, 0, 0, 1): 'CTR', (0, 0, 0, 5): 'MPIDR', (1, 0, 0, 0): 'CCSIDR',
    (1, 0, 0, 1): 'CLIDR', (2, 0, 0, 0): 'CSSELR',
    (0, 1, 0, 0): 'SCTLR', (0, 1, 0, 1): 'ACTLR', (0, 1, 0, 2): 'CPACR',
    (0, 2, 0, 0): 'TTBR0', (0, 2, 0, 1): 'TTBR1', (0, 2, 0, 2): 'TTBCR', (0, 3, 0, 0): 'DACR',
    (0, 7, 4, 0): 'PAR', (0, 7, 5, 0): 'ICIALLU', (0, 7, 5, 1): 'ICIMVAU',
    (0, 7, 1, 0): 'ICIALLUIS', (0, 7, 6, 1): 'DCIMVAC', (0, 7, 6, 2): 'DCISW',
    (0, 7, 10, 1): 'DCCMVAC', (0, 7, 10, 2): 'DCCSW', (0, 7, 11, 1): 'DCCMVAU',
    (0, 7, 14, 1): 'DCCIMVAC', (0, 7, 14, 2): 'DCCISW',
    (0, 8, 7, 0): 'TLBIALL', (0, 8, 7, 1): 'TLBIMVA', (0, 8, 7, 2): 'TLBIASID',
    (0, 8, 7, 3): 'TLBIMVAA', (0, 8, 3, 0): 'TLBIALLIS', (0, 8, 3, 1): 'TLBIMVAIS',
    (0, 8, 3, 2): 'TLBIASIDIS', (0, 8, 3, 3): 'TLBIMVAAIS',
    (0, 10, 2, 0): 'PRRR', (0, 10, 2, 1): 'NMRR', (0, 13, 0, 0): 'FCSEIDR',
    (0, 13, 0, 1): 'CONTEXTIDR',
}
# The CP15 barrier operations are legal and faithful at PL0 (writes only).
CP15_BARRIERS = {(0, 7, 10, 4): 'CP15DSB', (0, 7, 10, 5): 'CP15DMB', (0, 7, 5, 4): 'CP15ISB'}
# (opc1, CRm) of the 64-bit cp15 registers.
CP15_64_CALL = {(0, 14): 'CNTPCT', (1, 14): 'CNTVCT', (2, 14): 'CNTP_CVAL', (3, 14): 'CNTV_CVAL'}
CP15_64_TRAP_NAMES = {(0, 2): 'TTBR0 (64-bit)', (1, 2): 'TTBR1 (64-bit)', (0, 7): 'PAR (64-bit)',
                      (4, 14): 'CNTVOFF'}
# cp14 registers PL0 may access (the debug communication channel unless
# DBGDSCR.UDCCdis, and the Jazelle ID register): silent, so emulated.
CP14_CALL = {(0, 0, 1, 0): 'DBGDSCRint', (0, 0, 5, 0): 'DBGDTRRXint/DBGDTRTXint',
             (7, 0, 0, 0): 'JIDR'}


def is_pmu(opc1, crn, crm):
    return opc1 == 0 and crn == 9 and 12 <= crm <= 14


def is_timer(opc1, crn):
    return opc1 == 0 and crn == 14


def cp_register(cp, opc1, crn, crm, opc2, read):
    key = (opc1, crn, crm, opc2)
    if cp == 14:
        return CP14_CALL.get(key, 'cp14 debug/trace register')
    if key in CP15_CALL:
        return CP15_CALL[key]
    if is_pmu(opc1, crn, crm):
        return PMU_NAMES.get((crm, opc2), 'PMU c9, c%d, %d (unallocated)' % (crm, opc2))
    if is_timer(opc1, crn):
        return 'generic timer c14, c%d, %d (unallocated)' % (crm, opc2)
    if key in CP15_BARRIERS:
        return CP15_BARRIERS[key]
    return CP15_TRAP_NAMES.get(key, 'cp15 c%d, %d, c%d, %d' % (crn, opc1, crm, opc2))


def cp_action(cp, opc1, crn, crm, opc2, read):
    """'call', 'trap' or 'none' for MCR (read=0) / MRC (read=1)."""
    key = (opc1, crn, crm, opc2)
    if cp == 14:
        return 'call' if key in CP14_CALL else 'trap'
    if key in CP15_BARRIERS and not read:
        return 'none'
    # The whole PMU and generic-timer spaces, as the auditor counts them
    # silent: an unallocated encoding there is the runtime's to report.
    if key in CP15_CALL or is_pmu(opc1, crn, crm) or is_timer(opc1, crn):
        return 'call'
    return 'trap'


def cp64_register(cp, opc1, crm):
    if cp == 14:
        return 'cp14 64-bit register'
    return CP15_64_CALL.get((opc1, crm)) or CP15_64_TRAP_NAMES.get(
        (opc1, crm), 'cp15 64-bit %d, c%d' % (opc1, crm))


def cp64_action(cp, opc1, crm, read):
    return 'call' if cp == 15 and (opc1, crm) in CP15_64_CALL else 'trap'
