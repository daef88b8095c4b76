/* SPDX-License-Identifier: BSD-2-Clause */
/* The root task's state while it builds and then monitors a system. */
#pragma once
#include "spawn.h"
#include "system.h"

#define PRIO_TIMER 210
#define PRIO_CONSOLE 200
#define PRIO_VMM 150

/* A component's life (monitor.c). */
#define COMP_STATE_RUNNING 0
#define COMP_STATE_STOPPED 1 /* after a fault it is not restarted after */
#define COMP_STATE_ENDED 2   /* exit() or returned */

typedef struct {
    proc_t p;
    l4_cptr_t ntfn[COMP_NTFN_COUNT]; /* root slots: N0 (bound) and the extra ones */
    l4_cptr_t ep;                    /* its endpoint, if it serves one */
    l4_cptr_t timer;                 /* the root's copy of its badged timer cap (0: none) */
    comp_env_t env;                  /* what its environment page holds */
    int state;
} root_comp_t;

/* Objects every builder needs (main.c). */
extern l4_cptr_t root_ep, console_ep, timer_ep;
extern l4_cptr_t console_ntfn; /* the console server's (bound) notification */
extern l4_cptr_t guest_ntfn[SYS_MAX_GUESTS], vmm_ntfn[SYS_MAX_GUESTS], vmm_ep[SYS_MAX_GUESTS];
extern l4_cptr_t chan_page[SYS_MAX_CHANNELS];    /* one frame per channel */
extern l4_cptr_t region_frames[SYS_MAX_REGIONS]; /* first of its consecutive frames */
extern root_comp_t comps[SYS_MAX_COMPONENTS];
extern proc_t timer_proc;

/* servers.c: the console server, the timer server, one VMM per guest. */
void servers_start_console(const sys_config_t *s);
/* The channel of the console server to its serial driver (docs/drivers.md),
 * or -1: the console writes to the kernel console. */
int servers_console_channel(const sys_config_t *s);
void servers_start_timer(const sys_config_t *s);
void servers_start_vmm(const sys_config_t *s, int k);
/* The name of the server with that id (for fault reports), or NULL. */
const char *servers_name(l4_word_t id, proc_t **p);

/* The frame size (log2) a region is made of: as large as its address and
 * size allow, but 4 KiB pages for a device (boot device frames are pages). */
static inline l4_word_t region_frame_bits(const sys_region_t *r)
{
    return (r->flags & COMP_REGION_DEVICE) ? 12 : proc_frame_bits(r->vaddr, r->size);
}

/* comps.c: the components. */
void comps_create_objects(const sys_config_t *s);
/* Load, map, grant and start component j; 0 on success, else it stays
 * stopped (the reason was printed). */
int comps_start(const sys_config_t *s, int j);
/* Start component j again after a fault: fresh memory, capabilities,
 * environment (boot_count + 1). */
int comps_restart(const sys_config_t *s, int j);
/* The peer's notification for a signal that lands on `line` of party p. */
l4_cptr_t party_ntfn(int p, l4_word_t line);

/* monitor.c: the system's monitor loop; returns the shutdown status. */
int monitor_run(const sys_config_t *s);

/* Console output of the root task, tagged [root] by the console server. */
void root_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
