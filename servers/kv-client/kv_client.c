/* SPDX-License-Identifier: BSD-2-Clause */
/* The example key-value client (kv.h). Several components run this one
 * program (systems/kv.sys: alice and bob); each puts a value under a key of
 * its own and reads it back, both try to take one shared key (the first
 * owns it, the other is refused), and each checks that the server refuses
 * what it must. Each check prints a `[test]` line; the component ends
 * with status 0 if all passed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <component.h>
#include <kv.h>

#define KV 0              /* its id for the server's endpoint (systems/kv.sys) */
#define SHARED_KEY 0x5eed /* every client tries to own it */

/* Set by the root task: the buffer it shares with the server. */
char *kv_buf;

static int failures;

static void check(const char *what, int ok)
{
    printf("[test] %s %s_%s\n", ok ? "PASS" : "FAIL", comp_name(), what);
    failures += !ok;
}

/* One request; returns the status (MR0 of the reply), *length MR1. */
static l4_word_t request(l4_word_t label, l4_word_t key, l4_word_t length, l4_word_t *out)
{
    comp_mr_set(0, key);
    comp_mr_set(1, length);
    comp_msginfo_t info = comp_msginfo(label, 2);
    l4_word_t err = comp_call(KV, &info);
    if (err)
        return 0x100 + err;
    if (out)
        *out = comp_mr_get(1);
    return comp_mr_get(0);
}

static l4_word_t put(l4_word_t key, const char *value)
{
    size_t n = strlen(value) + 1;
    memcpy(kv_buf, value, n);
    return request(KV_PUT, key, n, NULL);
}

static l4_word_t own_key(void)
{
    l4_word_t h = 5381;
    for (const char *p = comp_name(); *p; p++)
        h = h * 33 + (unsigned char)*p;
    return h;
}

void init(void)
{
    char mine[32], got[64];
    snprintf(mine, sizeof mine, "the value of %s", comp_name());
    check("buffer_given", kv_buf != NULL);
    check("put_own_key", put(own_key(), mine) == KV_OK);
    memset(kv_buf, 0, KV_BUFFER_SIZE);
    l4_word_t length = 0;
    check("get_own_key", request(KV_GET, own_key(), 0, &length) == KV_OK &&
                             length == strlen(mine) + 1 && strcmp(kv_buf, mine) == 0);
    check("get_missing_key", request(KV_GET, own_key() + 1, 0, NULL) == KV_NOT_FOUND);
    check("put_too_long_refused", request(KV_PUT, own_key(), KV_BUFFER_SIZE, NULL) == KV_INVALID);
    check("unknown_label_refused", request(7, own_key(), 0, NULL) == KV_INVALID);
    /* The shared key: whoever is first owns it; the other is refused, and
     * reads the owner's value. */
    l4_word_t st = put(SHARED_KEY, mine);
    memset(kv_buf, 0, KV_BUFFER_SIZE);
    int read = request(KV_GET, SHARED_KEY, 0, &length) == KV_OK;
    memcpy(got, kv_buf, sizeof got);
    got[sizeof got - 1] = 0;
    check("shared_key_owned_by_the_first", read && ((st == KV_OK && strcmp(got, mine) == 0) ||
                                                    (st == KV_NOT_OWNER && strcmp(got, mine) != 0 &&
                                                     strncmp(got, "the value of ", 13) == 0)));
    printf("shared key: %s; it holds '%s'\n", st == KV_OK ? "mine" : "refused", got);
    comp_msginfo_t info = comp_msginfo(KV_GET, 1);
    check("call_of_an_id_that_is_no_client_end_fails", comp_call(KV + 1, &info) != L4_ERR_OK);
    exit(failures ? 1 : 0);
}
