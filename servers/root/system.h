/* SPDX-License-Identifier: BSD-2-Clause */
/* What a system image contains: the guests (each with its own VMM), native
 * components and the channels between them. One configuration file per
 * image (servers/root/demo.c, test/vmm/) defines `sys_config`. */
#pragma once
#include <stdint.h>
#include <l4/l4.h>
#include <system/proto.h>

#define SYS_MAX_GUESTS 12
#define SYS_MAX_NATIVES 2
#define SYS_MAX_CHANNELS 8
#define SYS_NATIVE(j) (100 + (j)) /* a channel party that is native component j */

typedef struct {
    const char *name;
    l4_word_t priority;
    const uint8_t *image, *image_end; /* the ELF, embedded in the root image */
    l4_word_t auto_restarts;          /* restarts after a fault */
    int awaited;                      /* the system ends when every awaited guest is done */
} sys_guest_t;

/* Environment of a native component (its arg: a pointer in its own copy). */
typedef struct {
    l4_word_t id; /* its console/timer badge */
    const char *name;
    l4_word_t nchannels;
    l4_word_t chan_peer[GUEST_MAX_CHANNELS];
    l4_word_t nvmm; /* NATIVE_CAP_VMM + k, if given */
} native_env_t;

typedef struct {
    const char *name;
    void (*entry)(l4_word_t arg); /* arg: const native_env_t * */
    l4_word_t priority;
    int awaited; /* it reports ROOT_GUEST_DONE itself */
    int system_vmm_caps; /* given the badge-0 VMM endpoints (it may ask for restarts) */
} sys_native_t;

typedef struct {
    int a, a_index, b, b_index; /* parties: guest index or SYS_NATIVE(j) */
} sys_channel_t;

typedef struct {
    sys_guest_t guests[SYS_MAX_GUESTS];
    sys_native_t natives[SYS_MAX_NATIVES];
    sys_channel_t channels[SYS_MAX_CHANNELS];
    int nguests, nnatives, nchannels;
    int test_done_line; /* print `[test] DONE` before shutting down */
} sys_config_t;

extern const sys_config_t sys_config;

/* Guest ids are 1 + the guest index; native component j has id NATIVE_ID(j). */
#define GUEST_ID(k) (1u + (l4_word_t)(k))
#define NATIVE_ID(j) (32u + (l4_word_t)(j))
#define VMM_CONSOLE_BADGE(id) (64u + (id))
#define TIMER_CONSOLE_BADGE 126u

/* An embedded guest image: SYS_IMAGE(name) declares its bounds (symbols made
 * by l4build.embed_guest). */
#define SYS_IMAGE_DECL(sym) extern const uint8_t sym##_start[], sym##_end[]
#define SYS_IMAGE(sym) .image = sym##_start, .image_end = sym##_end

/* Native components (servers/root/native.c). */
void native_pingpong_main(l4_word_t arg);
void native_progress_main(l4_word_t arg);
