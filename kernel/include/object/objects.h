/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoint and notification objects (16 bytes each). */
#pragma once
#include <object/tcb.h>

#define EP_IDLE 0
#define EP_SENDING 1   /* queue holds senders */
#define EP_RECEIVING 2 /* queue holds receivers */

typedef struct endpoint {
    tcb_t *head, *tail; /* FIFO of blocked threads, all in the same direction */
    word_t state;
    word_t pad;
} endpoint_t;

typedef struct notification {
    word_t word;        /* pending signal bits; non-zero only with no waiters */
    tcb_t *head, *tail; /* threads waiting (THREAD_BLOCKED_NTFN) */
    tcb_t *bound;       /* TCB bound with tcb_bind_notification, or NULL */
} notification_t;

/* (Host unit tests have 64-bit pointers and larger objects.) */
STATIC_ASSERT(sizeof(void *) != 4 || sizeof(endpoint_t) <= (1u << L4_OBJ_ENDPOINT_BITS),
              "endpoint size");
STATIC_ASSERT(sizeof(void *) != 4 || sizeof(notification_t) <= (1u << L4_OBJ_NOTIFICATION_BITS),
              "notification size");
