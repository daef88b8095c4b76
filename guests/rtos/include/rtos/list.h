/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Intrusive circular doubly-linked lists with a sentinel head.
 * Invariant: a node that is on no list points to itself, so list_remove()
 * is idempotent and list_node_linked() is exact.
 */
#ifndef RTOS_LIST_H
#define RTOS_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct list_node {
    struct list_node *next, *prev;
} list_node_t;

#define list_entry(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline void list_init(list_node_t *n)
{
    n->next = n->prev = n;
}

static inline bool list_empty(const list_node_t *head)
{
    return head->next == head;
}

static inline bool list_node_linked(const list_node_t *n)
{
    return n->next != n;
}

/* Insert n immediately before pos (at the tail when pos is the head). */
static inline void list_insert_before(list_node_t *pos, list_node_t *n)
{
    n->prev = pos->prev;
    n->next = pos;
    pos->prev->next = n;
    pos->prev = n;
}

static inline void list_push_back(list_node_t *head, list_node_t *n)
{
    list_insert_before(head, n);
}

static inline void list_push_front(list_node_t *head, list_node_t *n)
{
    list_insert_before(head->next, n);
}

static inline void list_remove(list_node_t *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

/* First node, or NULL when empty. */
static inline list_node_t *list_first(const list_node_t *head)
{
    return list_empty(head) ? NULL : head->next;
}

#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Safe against removal of pos. */
#define list_for_each_safe(pos, tmp, head)                                                         \
    for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head);                               \
         (pos) = (tmp), (tmp) = (pos)->next)

#endif
