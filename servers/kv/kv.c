/* SPDX-License-Identifier: BSD-2-Clause */
/* The example key-value server (kv.h): serves one endpoint; each client's
 * badge selects the buffer it shares with the server, whose address the
 * root task writes into kv_buffer[badge] (the description's
 * `kv = rw kv_buffer[N]`). Every request is checked before it is acted on:
 * a client can make the server neither read outside its buffer nor change
 * another client's keys. */
#include <stdio.h>
#include <string.h>
#include <component.h>
#include <kv.h>

#define KV_ENTRIES 32
#define KV_VALUE_MAX 64

/* Set by the root task before init(): the buffer of the client with badge b. */
char *kv_buffer[KV_MAX_CLIENTS];

typedef struct {
    l4_word_t key, owner, length; /* owner: the badge that put it; 0: free */
    char value[KV_VALUE_MAX];
} entry_t;

static entry_t store[KV_ENTRIES];

static entry_t *find(l4_word_t key)
{
    for (int i = 0; i < KV_ENTRIES; i++)
        if (store[i].owner && store[i].key == key)
            return &store[i];
    return NULL;
}

static l4_word_t put(l4_word_t badge, l4_word_t key, l4_word_t length)
{
    if (length > KV_VALUE_MAX)
        return KV_INVALID;
    entry_t *e = find(key);
    if (e && e->owner != badge)
        return KV_NOT_OWNER;
    for (int i = 0; !e && i < KV_ENTRIES; i++)
        if (!store[i].owner)
            e = &store[i];
    if (!e)
        return KV_FULL;
    e->key = key;
    e->owner = badge;
    e->length = length;
    memcpy(e->value, kv_buffer[badge], length);
    return KV_OK;
}

static l4_word_t get(l4_word_t badge, l4_word_t key, l4_word_t *length)
{
    const entry_t *e = find(key);
    if (!e)
        return KV_NOT_FOUND;
    memcpy(kv_buffer[badge], e->value, e->length);
    *length = e->length;
    return KV_OK;
}

void init(void)
{
    unsigned n = 0;
    for (int b = 0; b < KV_MAX_CLIENTS; b++)
        n += kv_buffer[b] != NULL;
    printf("key-value server up: %u client buffer(s)\n", n);
}

comp_msginfo_t protected(comp_id_t id, l4_word_t badge, comp_msginfo_t info)
{
    (void)id; /* it serves one endpoint */
    l4_word_t status = KV_INVALID, length = 0;
    int has_buffer = badge < KV_MAX_CLIENTS && kv_buffer[badge];
    if (has_buffer && comp_msginfo_label(info) == KV_PUT && comp_msginfo_length(info) >= 2)
        status = put(badge, comp_mr_get(0), comp_mr_get(1));
    else if (has_buffer && comp_msginfo_label(info) == KV_GET && comp_msginfo_length(info) >= 1)
        status = get(badge, comp_mr_get(0), &length);
    static const char *const names[] = {"?", "put", "get"};
    l4_word_t label = comp_msginfo_label(info);
    printf("client %lu: %s 0x%lx: status %lu\n", (unsigned long)badge,
           names[label <= 2 ? label : 0], (unsigned long)comp_mr_get(0), (unsigned long)status);
    comp_mr_set(0, status);
    comp_mr_set(1, length);
    return comp_msginfo(0, 2);
}
