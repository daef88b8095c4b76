/* SPDX-License-Identifier: BSD-2-Clause */
/* Protocols between the system servers (root task, console, timer, VMMs)
 * beyond the guest contract of guest.h, and the CSpace layout each is
 * started with (servers/root/servers.c). Components of a system
 * description have their own layout: system/comp.h. */
#pragma once
#include <system/guest.h>

/* Every server's CSpace: a CNode whose cptrs are slot numbers. */
#define COMP_CAP_CNODE 1u  /* its own CSpace root */
#define COMP_CAP_VSPACE 2u /* its own page directory */
#define COMP_CAP_TCB 3u    /* its own thread (priority authority) */
#define COMP_CAP_FIRST 4u  /* component-specific slots start here */

/* Address space of every program the root task starts (servers and
 * components), besides its image at its link address. */
#define COMP_IPCBUF_VADDR 0x7ffff000u
#define COMP_STACK_TOP 0x7fff0000u
#define COMP_STACK_PAGES 8u
#define ROOT_IMAGE_BASE 0x00010000u /* where the root task is linked (libl4/arch/user.ld) */

/* Console server. Badge 0 is the system's (root's) capability: only it may
 * register names. */
#define CONSOLE_REGISTER 2u /* MR0 = badge, MR1..MR4 = name (16 bytes) */
#define CONSOLE_CAP_EP 4u   /* READ: the endpoint it serves */
/* With a serial driver (a description's channel to the party `console`;
 * docs/drivers.md) the console writes and reads through it: */
#define CONSOLE_CAP_NTFN 5u              /* its notification (READ), bound: the driver signals bit 0 */
#define CONSOLE_CAP_SERIAL 6u            /* the driver's notification for the channel (WRITE) */
#define CONSOLE_CAP_READER 7u            /* the reply capability of a waiting CONSOLE_READ */
#define CONSOLE_SERIAL_VADDR 0x50000000u /* the channel's page: a serial_queue_t */
/* CONSOLE_READ: MR0 = at most how many bytes (1..CONSOLE_READ_MAX). Blocks
 * until a line was typed; the reply is MR0 = status (0, or
 * ILLEGAL_OPERATION without a serial driver or while another reader
 * waits, INVALID_ARGUMENT for a bad size), MR1 = length, the bytes packed
 * from MR2, the line end as '\n' (CR, LF and CRLF all end a line). The
 * rest of a longer line comes with the next reads. No echo. */
#define CONSOLE_READ 3u
#define CONSOLE_READ_MAX 200u
/* MR1 (optional) of CONSOLE_READ: with CONSOLE_READ_NOWAIT the reply comes
 * at once, length 0 if no line is ready (a VMM, which must not wait). */
#define CONSOLE_READ_NOWAIT 1u
/* CONSOLE_FLUSH: returns once everything written before is with the
 * device (with a serial driver: its ring is empty). MR0 = status 0. */
#define CONSOLE_FLUSH 4u
#define CONSOLE_CAP_MACHINE 8u /* the machine capability, WRITE only: it prints, cannot stop */
/* Console input to a guest (docs/vmm.md, "Console input"): CONSOLE_SET_INPUT
 * (badge 0 only), MR0 = the badge that alone may read from now on (the
 * VMM's own, VMM_ID(guest id)); the server signals CONSOLE_CAP_INPUT (that
 * VMM's notification, badged VMM_SIGNAL_INPUT) each time a line is ready,
 * and the VMM reads it with CONSOLE_READ_NOWAIT. Status 0, or
 * ILLEGAL_OPERATION (not badge 0, no serial driver, no CONSOLE_CAP_INPUT). */
#define CONSOLE_SET_INPUT 5u
#define CONSOLE_CAP_INPUT 9u

/* Timer server. Client with badge b: its notification at TIMER_CAP_CLIENT + b,
 * badged with the client's timer line. */
#define TIMER_CAP_EP 4u       /* READ */
#define TIMER_CAP_TCB 5u      /* its own thread: its kernel timer (tcb_set_timer) */
#define TIMER_CAP_NTFN 6u     /* its own notification (bound to its thread) */
#define TIMER_CAP_CLIENT 64u
#define TIMER_MAX_CLIENTS 192u

/* VMM (one per guest). Requests from badge 0 are the system's. */
#define VMM_RESTART 2u              /* (system) reload and restart the guest */
#define VMM_FAULT_BADGE 0x80000000u /* ORed into the guest id on the fault endpoint */
#define VMM_CAP_UNTYPED 4u          /* untyped for everything of the guest (revoked on restart) */
#define VMM_CAP_EP 5u               /* its endpoint, all rights */
#define VMM_CAP_ROOT 6u             /* the root's endpoint, badged: reports */
#define VMM_CAP_CONSOLE 7u          /* console, badged for the VMM's own lines */
#define VMM_CAP_G_CONSOLE 8u        /* console, badged with the guest id */
#define VMM_CAP_G_TIMER 9u          /* timer, badged with the guest id (empty: no timer server) */
#define VMM_CAP_G_NTFN 10u          /* the guest's notification, all rights */
#define VMM_CAP_TRACE 11u           /* the machine cap without rights: machine_trace only */
#define VMM_CAP_NTFN 12u /* its own notification, bound to its thread (bits below) */
#define VMM_SIGNAL_CONSOLE 1u /* the guest's console page: output put, or input taken */
#define VMM_SIGNAL_INPUT 2u   /* the console server has a line typed for the guest */
#define VMM_CAP_CHAN_NTFN 16u       /* + i: peer's notification badged with its channel line */
#define VMM_CAP_CHAN_PAGE 24u       /* + i: channel i's shared frame */
#define VMM_CAP_IRQ                                                                                \
    32u                 /* + k: IRQ handler of the guest's k-th physical line, already             \
                           signalling the guest's notification with its line_phys + k */
#define VMM_CAP_DEVICE 40u /* + p (p < GUEST_MAX_DEVICE_PAGES): the guest's device pages */
#define VMM_CAP_DYN 64u /* first slot the VMM allocates itself */
#define VMM_CNODE_BITS 13u
#define VMM_WINDOW 0x40000000u      /* where the VMM maps guest RAM in its own space */
#define VMM_IMAGE_VADDR 0x38000000u /* where the root maps the guest image (read-only) */
#define VMM_IMAGE_MAX 0x08000000u

/* Root task protocol: a VMM reports the end of its guest (a component its
 * own end, system/comp.h). */
#define ROOT_GUEST_DONE 1u /* MR0 = status (0 ok), MR1 = guest id */

/* Faults of the system servers (console, timer, VMMs) go to the root task,
 * through the root endpoint badged SERVER_FAULT_BADGE | their id in this
 * slot of their CSpace. */
#define SERVER_CAP_FAULT 63u
#define SERVER_FAULT_BADGE 0x20000000u
