/* SPDX-License-Identifier: BSD-2-Clause */
/* The contract between the root task and the component runtime
 * (servers/lib/comp.c) for a component of a system description
 * (docs/components.md): its CSpace slots, its address space and its
 * environment page. Component code uses <component.h>, not this. */
#pragma once
#include <stdint.h>
#include <l4/l4.h>
#include <system/proto.h>

/* Limits (sysgen checks them; the generated table repeats them as static
 * asserts). An id is a component's small integer for one of its channel
 * ends, endpoint ends or interrupt lines, as the description names it. */
#define COMP_MAX_COMPONENTS 64u
#define COMP_MAX_IDS 64u         /* ids 0..63 per component */
#define COMP_MAX_IRQS 16u        /* interrupt lines per component */
#define COMP_MAX_REGIONS 16u     /* memory and device regions mapped into one component */
#define COMP_MAX_BADGE 0xffffffu /* client badges are 1..COMP_MAX_BADGE */

/* CSpace: a CNode of 2^COMP_CNODE_BITS slots whose cptrs are slot numbers.
 * Slots 1-3 are empty (system servers keep their own CNode, VSpace and TCB
 * there; a component holds no capability to itself). */
#define COMP_CNODE_BITS 8u
#define COMP_CAP_CONSOLE 4u  /* console server, badged with its system id (WRITE) */
#define COMP_CAP_TIMER 5u    /* timer server, badged with its system id; empty without one */
#define COMP_CAP_NTFN 6u     /* its notification N0, bound to its thread (READ) */
#define COMP_CAP_ROOT 7u     /* root endpoint badged with its id: reports (COMP_ROOT_EXIT) */
#define COMP_CAP_FAULT 8u    /* root endpoint badged COMP_FAULT_BADGE | id: its fault endpoint */
#define COMP_CAP_EP 9u       /* its own endpoint (READ), if it serves an endpoint */
#define COMP_CAP_NTFN_X 10u  /* + k (k < COMP_NTFN_EXTRA): notifications N1, N2 (READ) */
#define COMP_CAP_MACHINE 12u /* machine control, all rights, if `machine = yes` */
#define COMP_CAP_VMM 16u     /* + k: the system's VMM endpoint of guest k (vmm_control) */
#define COMP_CAP_ID 64u      /* + id: the capability of that id (below) */
#define COMP_CAP_ID_SUM 128u /* + id: a channel's second cap, if its peer needs one */
/* The capability at COMP_CAP_ID + id, by the id's kind:
 *  channel: the peer's notification, badged with the peer's line bit
 *           (COMP_CAP_ID_SUM + id: the peer's N0, badged with the summary bit
 *           of the peer's extra notification, when the peer's line is there);
 *  client:  the server's endpoint, badged COMP_BADGE(server id, badge) (WRITE);
 *  server:  none (every endpoint a component serves is its one COMP_CAP_EP);
 *  irq:     the handler of the line, signalling the component's line. */

/* Notification lines. A component has COMP_NTFN_COUNT notifications of 32
 * bits: N0 is bound to its thread; its bit 0 is the timer (the timer
 * server's, as for guests), bits 1..29 are direct lines and bit 30 + k says
 * that extra notification k has bits set. Line L is bit L % 32 of N(L / 32).
 * Sources that signal with one capability (interrupts, the timer, guests'
 * channel ends) need a direct line; components' channel ends may use any. */
#define COMP_NTFN_EXTRA 2u
#define COMP_NTFN_COUNT (1u + COMP_NTFN_EXTRA)
#define COMP_LINE_TIMER 0u
#define COMP_LINE_DIRECT_FIRST 1u
#define COMP_LINE_DIRECT_LAST 29u
#define COMP_LINE_SUMMARY(k) (30u + (k)) /* bit of N0 for extra notification k */
#define COMP_LINE_LAST (32u * COMP_NTFN_COUNT - 1u)

/* The badge of a client's endpoint capability: the server's id for the
 * endpoint in bits 24..29 and the client's badge from the description
 * below, so one server thread serves all its endpoints. */
#define COMP_BADGE(server_id, badge) (((l4_word_t)(server_id) << 24) | (l4_word_t)(badge))
#define COMP_BADGE_ID(b) (((b) >> 24) & 63u)
#define COMP_BADGE_CLIENT(b) ((b)&COMP_MAX_BADGE)

/* Root protocol: a component's end (exit(), returning from main) on
 * COMP_CAP_ROOT; MR0 = status. The root stops the component. */
#define COMP_ROOT_EXIT 1u            /* == ROOT_GUEST_DONE (system/proto.h) */
#define COMP_FAULT_BADGE 0x40000000u /* ORed into the id on the fault endpoint */

/* Address space. The program is linked at its own base (l4build gives each
 * program a 4 MiB slot from COMP_IMAGE_BASE, so debuggers see every
 * program's symbols at distinct addresses); regions are placed by sysgen
 * in [COMP_REGION_BASE, COMP_REGION_LIMIT), device regions in
 * [COMP_DEVICE_BASE, COMP_DEVICE_LIMIT). */
#define COMP_IMAGE_BASE 0x20000000u
#define COMP_IMAGE_SLOT 0x00400000u
#define COMP_IMAGE_LIMIT 0x30000000u
#define COMP_DEVICE_BASE 0x48000000u
#define COMP_DEVICE_LIMIT 0x50000000u
#define COMP_REGION_BASE 0x50000000u
#define COMP_REGION_LIMIT 0x60000000u
#define COMP_CHAN_VADDR 0x60000000u /* + 4 KiB * id: the shared page of channel id */
#define COMP_HEAP_VADDR 0x70000000u /* its heap, `heap` bytes */
#define COMP_HEAP_MAX 0x04000000u
#define COMP_ENV_VADDR 0x7fffd000u /* its environment page (read-only); r0 at entry */

/* The environment page. */
#define COMP_ENV_MAGIC 0x504d4f43u /* "COMP" */

#define COMP_ID_NONE 0u
#define COMP_ID_CHANNEL 1u /* notified(id) when the peer signals; comp_notify(id) */
#define COMP_ID_CLIENT 2u  /* comp_call(id, ...) */
#define COMP_ID_SERVER 3u  /* protected(id, badge, ...) for calls */
#define COMP_ID_IRQ 4u     /* notified(id) on the interrupt; comp_irq_ack(id) */

#define COMP_REGION_WRITE 1u /* mapped writable */
#define COMP_REGION_EXEC 2u  /* mapped executable */
#define COMP_REGION_UNCACHED 4u
#define COMP_REGION_DEVICE 8u /* a device's registers (uncached, never executable) */

typedef struct {
    l4_word_t kind; /* COMP_ID_* */
    l4_word_t line; /* channel, irq: its notification line here */
    l4_word_t info; /* channel: 1 if COMP_CAP_ID_SUM + id must be signalled too;
                       client: the badge; irq: the INTID */
    l4_word_t peer; /* client: the endpoint's id at its server; channel: this
                       component's end, 0 = a, 1 = b (system/channel.h) */
} comp_env_id_t;

typedef struct {
    char name[16];
    l4_word_t vaddr, size, flags; /* COMP_REGION_* */
} comp_env_region_t;

typedef struct {
    l4_word_t magic;
    char name[16];                   /* the component's name, NUL-terminated */
    l4_word_t id;                    /* its system id (the badge of its console/timer/root caps) */
    l4_word_t boot_count;            /* 0 at the first start, +1 at each restart */
    l4_word_t restarts;              /* restarts the description allows */
    l4_word_t heap_size;             /* bytes at COMP_HEAP_VADDR */
    l4_word_t stack_size;            /* bytes below COMP_STACK_TOP */
    l4_word_t nvmm;                  /* COMP_CAP_VMM + k, k < nvmm */
    l4_word_t image_base, image_end; /* its program's loaded range */
    comp_env_id_t ids[COMP_MAX_IDS];
    l4_word_t nregions;
    comp_env_region_t regions[COMP_MAX_REGIONS];
} comp_env_t;

_Static_assert(sizeof(comp_env_t) <= 4096, "the environment is one page");
