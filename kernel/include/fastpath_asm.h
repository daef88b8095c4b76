/* SPDX-License-Identifier: BSD-2-Clause */
/* The layout and constants the assembly IPC fastpath (arch/arm/vectors.S,
 * fastpath_call_asm and fastpath_reply_recv_asm) uses, as plain numbers
 * for the assembler. core/fastpath.c checks every one against the C
 * definitions (offsetof and the constants themselves), so a change of
 * tcb_t, cap_t, cte_t, endpoint_t or the ABI fails the build instead of
 * the fastpath. */
#pragma once

/* tcb_t (object/tcb.h): the saved context is its first field (17 words). */
#define FP_TCB_CTX_WORDS 17
#define FP_TCB_TLS 68          /* arch.tpidrurw */
#define FP_TCB_STATE 80        /* uint8_t; priority is the next byte */
#define FP_TCB_PRIO 81
#define FP_TCB_PD 88           /* vspace_pd; asid is the next word (one LDRD) */
#define FP_TCB_ASID 92
#define FP_TCB_IPCBUF 96       /* ipc_buffer, published in TPIDRURO */
#define FP_TCB_BLOCKED_ON 104  /* then ipc_next, ipc_prev */
#define FP_TCB_IPC_NEXT 108
#define FP_TCB_IPC_PREV 112
#define FP_TCB_REPLY_HOLDER 124
#define FP_TCB_BOUND 128       /* bound_ntfn */
#define FP_TCB_VCPU 136
#define FP_TCB_CSPACE 156      /* slots[TCB_SLOT_CSPACE].cap */
#define FP_TCB_CALLER 252      /* slots[TCB_SLOT_CALLER].cap */

/* cap_t (cap.h), the first field of cte_t (32 bytes). */
#define FP_CAP_TYPE 0
#define FP_CAP_RIGHTS 1
#define FP_CAP_BITS 2
#define FP_CAP_GUARD 3
#define FP_CAP_OBJ 4
#define FP_CAP_DATA 8
#define FP_CTE_BITS 5

/* endpoint_t (object/objects.h): head, tail, state (words). */
#define FP_EP_HEAD 0
#define FP_EP_TAIL 4
#define FP_EP_STATE 8
#define FP_EP_IDLE 0
#define FP_EP_SENDING 1 /* the only odd state */
#define FP_EP_RECEIVING 2

#define FP_THREAD_RUNNABLE 1
#define FP_THREAD_BLOCKED_RECV 3
#define FP_THREAD_BLOCKED_REPLY 4

#define FP_OBJ_NULL 0
#define FP_OBJ_ENDPOINT 3
#define FP_OBJ_REPLY 13
#define FP_RIGHT_WRITE 1
#define FP_RIGHT_READ 2
#define FP_CAP_UNRESOLVABLE 0x90 /* CAP_ZOMBIE | CAP_GUEST_USER */
#define FP_MSG_INFO_LOW_MASK_BITS 12 /* length, caps, kernel-only bits */
#define FP_MSG_REG_WORDS 4

#define FP_TTBR_WALK_ATTR 0x4a /* ARCH_TTBR_WALK_ATTR */
#define FP_FPEXC_EN 0x40000000 /* ARCH_FPEXC_EN */
#define FP_KS_CUR 0            /* kernel_sched_t.cur (sched.h) */

/* The guest-user svc upcall in assembly (arch/arm/vcpu_entry.S, vuser_svc;
 * checked by core/vcpu_fast.c). */
#define FP_TCB_VSPACE 188      /* slots[TCB_SLOT_VSPACE].cap */
#define FP_VCPU_STATE 4        /* vcpu_t.state: the kernel address of the state page */
#define FP_VCPU_USER_MODE 8    /* vcpu_t.user_mode */
#define FP_CAP_GUEST_USER 0x10 /* CAP_GUEST_USER */
#define FP_KERNEL_WINDOW_OFFSET 0x80000000 /* KERNEL_WINDOW_OFFSET (kptr_to_paddr) */
#define FP_PSR_T_SHIFT 5       /* PSR_T */
/* ... and the resume into guest user (vcpu_resume_user_asm). */
#define FP_TCB_VCPU_USER 316   /* slots[TCB_SLOT_VCPU_USER].cap */
#define FP_VCPU_TCB 0          /* vcpu_t.tcb */
#define FP_OBJ_PAGE_DIRECTORY 6
#define FP_OBJ_VCPU 14
#define FP_CAP_ZOMBIE 0x80     /* CAP_ZOMBIE */
#define FP_PSR_USER_MASK 0xfe0ffc20 /* PSR_USER_MASK */
/* ... and the routed-line interrupt, vcpu_sync and vcpu_resume(KERNEL)
 * (vcpu_irq_asm, vcpu_sync_asm, vcpu_resume_kernel; checked by
 * core/vcpu_fast.c and, for the line table, core/irq.c). */
#define FP_VCPU_VIRQ_ACTIVE 116 /* vcpu_t.virq_active */
#define FP_VCPU_VIRQ_LINE 120   /* vcpu_t.virq_line[]: one byte a virtual line */
#define FP_VCPU_VIRQ_BELOW 184  /* vcpu_t.virq_below[]: one word a threshold */
#define FP_IRQ_LINE_NTFN 0      /* irq_line_t (core/irq.c): ntfn, vcpu, badge */
#define FP_IRQ_LINE_VCPU 4
#define FP_IRQ_LINE_BADGE 8
#define FP_IRQ_LINE_BITS 4      /* sizeof(irq_line_t) == 16 */
#define FP_IRQ_NONE 1023        /* PLAT_IRQ_NONE */
