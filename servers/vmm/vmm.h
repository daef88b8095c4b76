/* SPDX-License-Identifier: BSD-2-Clause */
/* The VMM: one per guest, a program of its own. It builds the guest
 * environment of docs/vmm.md from its untyped (VMM_CAP_UNTYPED), loads the
 * guest ELF, starts the vCPU thread (named after the guest) and serves
 * VMM_EXIT, VMM_RESTART and the guest kernel's faults. The root task writes
 * its vmm_config_t into its environment page, whose address is r0 at entry. */
#pragma once
#include <stdint.h>
#include <l4/l4.h>
#include <system/proto.h>
#include <system/serial.h>

typedef struct {
    char name[16];        /* guest name (console tag, info page) */
    l4_word_t id;         /* guest id: badge of its console/timer/VMM caps */
    l4_word_t priority;   /* of the vCPU thread */
    const uint8_t *image; /* guest ELF, mapped read-only in the VMM's space by the root */
    l4_word_t image_size;
    l4_word_t nchannels;
    l4_word_t chan_peer[GUEST_MAX_CHANNELS]; /* peer guest ids (info page) */
    l4_word_t chan_end[GUEST_MAX_CHANNELS];  /* the guest's end: 0 = a, 1 = b (info page) */
    l4_word_t auto_restarts;                 /* restarts allowed after a fault */
    l4_word_t ram_size;            /* guest RAM in bytes: 1, 2, 4 or 8 MiB (sysgen checks) */
    l4_word_t nirqs;               /* physical lines: handlers at VMM_CAP_IRQ + k */
    l4_word_t irq[GUEST_MAX_IRQS]; /* their INTIDs (info page) */
    int has_timer;                 /* VMM_CAP_G_TIMER holds a timer server cap */
    l4_word_t ndevices;            /* device regions passed through */
    struct {
        l4_word_t paddr, pages; /* mapped at paddr in the guest */
        l4_word_t first;        /* its frames: VMM_CAP_DEVICE + first .. */
        l4_word_t writable;
    } device[GUEST_MAX_DEVICES];
    int previrt;       /* a pre-virtualised native image (docs/previrt.md) */
    int console_input; /* the console's input is this guest's (docs/vmm.md) */
    /* Its virtual lines (sysgen's layout, docs/vmm.md "Virtual interrupt
     * lines"): the first channel, physical and software line, and the
     * number of software lines (caps GUEST_CAP_SELF_IRQ + k). */
    l4_word_t line_chan, line_phys, line_soft, nsoft;
} vmm_config_t;

/* guest.c: build or destroy everything of the guest; 0 or an error code
 * (after printing what failed). */
typedef struct {
    const vmm_config_t *cfg;
    l4_word_t boot_count;
    l4_word_t entry;
    l4_cptr_t tcb, vcpu; /* VMM slots; vcpu 0 if the kernel has no VCPU */
    l4_cptr_t next_slot; /* VMM slot allocator: [VMM_CAP_DYN, next_slot) used */
    int running;
    /* The console page in the VMM's window (NULL before the build) and the
     * guest's notification badged with GUEST_IRQ_CONSOLE. */
    serial_queue_t *console;
    l4_cptr_t console_line;
} vmm_guest_t;

/* 1 if the kernel records trace events (machine_trace on VMM_CAP_TRACE
 * works): the VMM then logs its operations and tells the guest
 * (GUEST_INFO_TRACE). The op of a fault: VMM_TRACE_FAULT | its kind. */
extern l4_word_t vmm_tracing;
#define VMM_TRACE_FAULT 0x100u

l4_word_t vmm_guest_build(vmm_guest_t *g);
l4_word_t vmm_guest_start(vmm_guest_t *g);
void vmm_guest_destroy(vmm_guest_t *g);
/* Map `frame` at va in pd, creating the page table if none covers va. */
l4_word_t vmm_map_page(vmm_guest_t *g, l4_cptr_t pd, l4_cptr_t frame, l4_word_t va,
                       l4_word_t rights, l4_word_t attr);
/* Allocate `count` objects from the guest's untyped into VMM slots. */
l4_word_t vmm_alloc(vmm_guest_t *g, l4_word_t type, l4_word_t bits, l4_word_t count,
                    l4_cptr_t *slot);
l4_cptr_t vmm_slot_new(vmm_guest_t *g);

/* console.c: write what the guest put into its console ring (at most a
 * ring's worth) and wake the guest if it waits for room. */
void vmm_console_drain(vmm_guest_t *g);
/* Console input (cfg->console_input): fill the console page's rx ring from
 * what the guest's previous instance left and from the console server,
 * as far as there is room, and signal GUEST_IRQ_CONSOLE if anything came. */
void vmm_console_input(vmm_guest_t *g);
/* Before a destroy: keep the input the guest has not taken. */
void vmm_console_keep_input(vmm_guest_t *g);
void vmm_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
