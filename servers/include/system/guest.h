/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest environment a VMM builds (docs/vmm.md): addresses, CSpace slots,
 * virtual interrupt lines, service labels and the guest-info page. Shared by
 * the VMM (servers/vmm/) and paravirtual guests; freestanding, no includes. */
#pragma once

/* Guest-kernel address space. */
#define GUEST_RAM_BASE 0x40000000u
#define GUEST_RAM_SIZE                                                                             \
    0x00400000u /* 4 MiB: the default; a system description may                                    \
                   choose 1, 2, 4 or 8 MiB (info page word 3) */
#define GUEST_RAM_PAGES (GUEST_RAM_SIZE / 4096u)
#define GUEST_RAM_MAX 0x00800000u      /* 8 MiB */
#define GUEST_STATE_VADDR 0x7ff00000u  /* vCPU state page */
#define GUEST_IPCBUF_VADDR 0x7ff01000u /* the vCPU thread's IPC buffer */
#define GUEST_INFO_VADDR 0x7ff02000u   /* guest-info page, read-only */
#define GUEST_CONSOLE_VADDR                                                                        \
    0x7ff03000u                      /* the console page: a serial_queue_t (system/serial.h);      \
                                        tx carries the guest's output to its VMM, rx the           \
                                        console's input (console_input guests only) */
#define GUEST_CHAN_VADDR 0x7fe00000u /* + 4 KiB * i: shared page of channel i */
#define GUEST_MAX_CHANNELS 8u
/* Devices passed through (a description's [device] with the guest as a
 * party) are mapped at their physical addresses, below GUEST_RAM_BASE,
 * uncached and never executable; the info page lists them. */
#define GUEST_MAX_DEVICES 8u
#define GUEST_MAX_DEVICE_PAGES 24u

/* Guest CSpace: 4096 slots, a cptr is the slot number. */
#define GUEST_CNODE_BITS 12u
#define GUEST_CAP_VCPU 1u
#define GUEST_CAP_NTFN 2u
#define GUEST_CAP_CONSOLE 3u
#define GUEST_CAP_TIMER 4u
#define GUEST_CAP_VMM 5u
/* Slots 6 .. 9 are free (the software lines' caps were there when a guest
 * had 4). */
#define GUEST_CAP_CHAN 10u    /* .. 17: channel i, signals the peer's line */
#define GUEST_CAP_FAULT 18u   /* the VMM's fault endpoint (used by the kernel) */
#define GUEST_CAP_TRACE 19u   /* machine cap without rights: machine_trace only */
#define GUEST_CAP_CONSOLE_RING                                                                     \
    20u /* signal it after putting bytes into the console page's tx ring (the                      \
           VMM takes them) or taking from rx while its producer waits (docs/vmm.md) */
/* GUEST_CAP_TIMER is empty in a system without the timer server. */
#define GUEST_CAP_USER_PD 32u /* .. 39 */
#define GUEST_NUM_USER_PD 8u
#define GUEST_CAP_PT 64u /* .. 127 */
#define GUEST_NUM_PT 64u
#define GUEST_CAP_SELF_IRQ                                                                         \
    128u /* + k, k < info word GUEST_INFO_NSOFT: signals software line                             \
            GUEST_INFO_LINE_SOFT + k of the guest's own notification */
#define GUEST_CAP_RAM 1024u /* + n: frame of guest RAM page n */

/* Virtual interrupt lines: bits of the bound notification. */
#define GUEST_IRQ_TIMER 0u
#define GUEST_IRQ_CONSOLE                                                                          \
    1u /* the console page: the VMM took bytes from the tx ring while its                          \
          `waiting` flag was set (room again), or put input into rx */
/*
 * Lines 0 and 1 are the same for every guest; the others are laid out by
 * sysgen from the system description (docs/vmm.md, "Virtual interrupt
 * lines"): the guest's channels, physical lines and software lines
 * (`soft_irqs`, default 4), each class a contiguous block whose first line
 * is in the info page (GUEST_INFO_LINE_*). A block sits at its home line
 * (channels 8, physical 16, software 24) unless the block above it needs
 * the room, then just below that one; a description whose blocks do not
 * fit in lines 2..31 is refused. The GUEST_HOME_* values are what a guest
 * with at most 8 software lines gets; a guest reads the info page.
 */
#define GUEST_LINES 32u
#define GUEST_LINE_FIRST_FREE 2u /* lines 0 and 1 are timer and console */
#define GUEST_HOME_CHAN 8u
#define GUEST_HOME_PHYS 16u
#define GUEST_HOME_SOFT 24u
#define GUEST_MAX_IRQS 8u
#define GUEST_MAX_SOFT 30u  /* software lines: all but lines 0 and 1 */
#define GUEST_DEFAULT_SOFT 4u
/* Service labels (l4_call; the reply's MR0 is a status, 0 = ok). */
#define CONSOLE_WRITE 1u /* MR0 = bytes (<= CONSOLE_WRITE_MAX), packed from MR1 */
#define CONSOLE_WRITE_MAX 240u
#define TIMER_SET 1u /* MR0 = period µs (0: stop), MR1 = 1 periodic */
#define TIMER_NOW 2u /* -> MR1:MR2 counter (lo, hi), MR3 frequency Hz */
#define VMM_EXIT 1u  /* MR0 = status */

/* Guest-info page, word offsets. */
#define GUEST_INFO_MAGIC 0u
#define GUEST_INFO_MAGIC_VALUE 0x47535449u /* "GSTI" */
#define GUEST_INFO_ID 1u
#define GUEST_INFO_RAM_BASE 2u
#define GUEST_INFO_RAM_SIZE 3u
#define GUEST_INFO_NCHANNELS 4u
#define GUEST_INFO_NAME 5u       /* .. 8: 16 bytes, NUL-padded */
#define GUEST_INFO_BOOT_COUNT 9u /* 0 at the first start, +1 at each restart */
#define GUEST_INFO_NIRQS 10u     /* physical lines granted (0..GUEST_MAX_IRQS) */
#define GUEST_INFO_CHAN_PEER 16u /* + i: channel i's peer guest id */
#define GUEST_INFO_IRQ 24u       /* + k: INTID delivered as virtual line LINE_PHYS + k */
#define GUEST_INFO_NDEVICES 11u  /* device regions passed through (0..GUEST_MAX_DEVICES) */
#define GUEST_INFO_TRACE 12u     /* 1: the kernel records trace events (GUEST_CAP_TRACE works) */
#define GUEST_INFO_DEVICE 32u    /* + 2k, + 2k + 1: device region k's address and size */
#define GUEST_INFO_CHAN_END 48u  /* + i: its end of channel i, 0 = a, 1 = b (system/channel.h) */
#define GUEST_INFO_LINE_SOFT 56u /* first software line: GUEST_CAP_SELF_IRQ + k raises it + k */
#define GUEST_INFO_NSOFT 57u     /* software lines (0..GUEST_MAX_SOFT) */
#define GUEST_INFO_LINE_CHAN 58u /* channel i's line is this + i */
#define GUEST_INFO_LINE_PHYS 59u /* the k-th physical line granted arrives on this + k */
