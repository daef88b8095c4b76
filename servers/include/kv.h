/* SPDX-License-Identifier: BSD-2-Clause */
/* The key-value protocol of the example server (servers/kv/) and its
 * clients (servers/kv-client/; docs/components.md walks through them).
 * Requests are calls on the server's endpoint; the value travels through
 * the buffer the caller shares with the server (a region of the system
 * description), so no value is copied through the kernel. The badge the
 * description gives a client is its identity: only the client that first
 * put a key may change it. */
#pragma once

#define KV_PUT 1 /* MR0 key, MR1 length: the value is in the caller's buffer */
#define KV_GET 2 /* MR0 key -> MR1 length: the value is now in the caller's buffer */

/* Reply MR0: a status. */
#define KV_OK 0
#define KV_NOT_FOUND 1
#define KV_NOT_OWNER 2 /* put of a key another client owns */
#define KV_INVALID 3   /* bad label, length or buffer */
#define KV_FULL 4

#define KV_BUFFER_SIZE 4096 /* bytes of each client's buffer */
#define KV_MAX_CLIENTS 8    /* badges 1..7 */
