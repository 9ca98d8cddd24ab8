/*
 * workloads/cache.c -- `cache`: a long-lived LRU cache that turns over.
 *
 * Stresses: the old generation.  The cache holds `capacity` entries for the
 * whole run: a dict key -> node, and a circular doubly linked recency list
 * of node instances (prev/next attributes, a reference cycle by
 * construction, as in functools.lru_cache's pure-Python version and
 * OrderedDict) around a root sentinel.  Each node holds its key and a
 * record; the record holds `value_bytes` of payload (a bytes atom) and a
 * reference back to its node, as records that can invalidate themselves
 * do.  Of the `ops` operations, a fraction `churn` inserts a new key at
 * the front and evicts the least recently used entry: the evicted node is
 * unlinked from the list and dropped from the dict, but node <-> record is
 * a cycle, so every eviction leaves cyclic garbage that has long since been
 * promoted to the oldest generation.  The rest are hits on a uniformly
 * chosen live key: a dict lookup, a read of the payload and a move to the
 * front (six attribute stores).  So the live set stays at `capacity`
 * entries while the old generation fills with dead entries: only a full
 * collection frees them, and a full collection walks the whole cache --
 * this is where CPython's long_lived_pending > long_lived_total / 4 rule
 * decides the cost and how much garbage waits.
 *
 * At the end the workload checks the cache (the list and the dict agree
 * and hold exactly `capacity` entries; the run fails otherwise) and clears
 * it, breaking each live node's cycles as cache_clear() does, so what is
 * left for the exit -- collected, or leaked under `refcount` -- is exactly
 * the evicted entries.
 *
 * Not: a realistic key distribution (hits are uniform, no hot set), or a
 * cache with expiry; no request structure, no latency.
 *
 * Models: the long-lived heaps of cpython-gc.md -- "workloads that grow the
 * old generation" of the 3.14 incremental-collector reports, the 25% rule
 * that "keeps the amortised cost linear on growing heaps", and the full
 * collection at ~1 us per tracked container in a real app.
 */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>

enum { P_CAPACITY, P_OPS, P_CHURN, P_VALUE_BYTES, NPARAMS };
static const gclab_param params[] = {
    [P_CAPACITY] = {"capacity", GCLAB_PARAM_INT, "100000", "entries", 1, 1e9, NULL,
                    "entries the cache holds"},
    [P_OPS] = {"ops", GCLAB_PARAM_INT, "2000000", "operations", 0, 1e12, NULL,
               "cache operations after the cache is filled"},
    [P_CHURN] = {"churn", GCLAB_PARAM_DOUBLE, "0.1", "", 0, 1, NULL,
                 "fraction of operations that insert a new key and evict the least recently used"},
    [P_VALUE_BYTES] = {"value_bytes", GCLAB_PARAM_INT, "256", "bytes", 0, 1 << 30, NULL,
                       "payload of each cached value"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

enum { N_PREV, N_NEXT, N_KEY, N_RECORD, N_NATTRS }; /* a node of the recency list */
enum { R_NODE, R_PAYLOAD, R_NATTRS };               /* a cached record */

static int chance(uint64_t *rng, double p) { return (double)(splitmix64(rng) >> 11) * 0x1.0p-53 < p; }

typedef struct lru {
    gclab_heap *h;
    gclab_object *map;  /* key -> node (borrowed: globals hold it) */
    gclab_object *root; /* the sentinel (borrowed: globals hold it) */
    /* keys[s] is the live key whose value is s modulo capacity (owned), so
     * a hit picks a live key in O(1) and an eviction frees its slot. */
    gclab_object **keys;
    size_t capacity;
    size_t value_bytes;
} lru;

static gclab_object *next_of(gclab_object *n) { return gclab_getattr(n, N_NEXT); }
static gclab_object *prev_of(gclab_object *n) { return gclab_getattr(n, N_PREV); }

/* Take n out of the list; n must stay referenced elsewhere (the dict). */
static void unlink_node(gclab_heap *h, gclab_object *n)
{
    gclab_object *p = prev_of(n), *x = next_of(n);
    gclab_setattr(h, p, N_NEXT, x);
    gclab_setattr(h, x, N_PREV, p);
}

static void push_front(gclab_heap *h, gclab_object *root, gclab_object *n)
{
    gclab_object *first = next_of(root);
    gclab_setattr(h, n, N_PREV, root);
    gclab_setattr(h, n, N_NEXT, first);
    gclab_setattr(h, first, N_PREV, n);
    gclab_setattr(h, root, N_NEXT, n);
}

/* A new entry for the key in slot s, at the front. */
static void insert(lru *c, size_t s)
{
    gclab_heap *h = c->h;
    gclab_object *node = gclab_new_instance(h, N_NATTRS), *rec = gclab_new_instance(h, R_NATTRS);
    gclab_object *payload = gclab_new_bytes(h, NULL, c->value_bytes);
    gclab_setattr(h, rec, R_PAYLOAD, payload);
    gclab_decref(h, payload);
    gclab_setattr(h, rec, R_NODE, node); /* record -> node: the cycle eviction leaves */
    gclab_setattr(h, node, N_RECORD, rec);
    gclab_decref(h, rec);
    gclab_setattr(h, node, N_KEY, c->keys[s]);
    gclab_dict_setitem(h, c->map, c->keys[s], node);
    push_front(h, c->root, node);
    gclab_decref(h, node); /* the dict and the list hold it */
}

/* Evict the least recently used entry and insert a new key in its slot. */
static void evict_and_insert(lru *c)
{
    gclab_heap *h = c->h;
    gclab_object *victim = prev_of(c->root);
    size_t s = (size_t)(gclab_int_value(gclab_getattr(victim, N_KEY)) % (int64_t)c->capacity);
    unlink_node(h, victim);
    gclab_setattr(h, victim, N_PREV, NULL); /* a careful unlink: it pins no neighbour */
    gclab_setattr(h, victim, N_NEXT, NULL);
    gclab_object *old = c->keys[s];
    gclab_dict_delitem(h, c->map, old); /* victim <-> record is now garbage */
    c->keys[s] = gclab_new_int(h, gclab_int_value(old) + (int64_t)c->capacity);
    gclab_decref(h, old);
    insert(c, s);
}

static void hit(lru *c, size_t s)
{
    gclab_heap *h = c->h;
    gclab_object *node = gclab_dict_getitem(c->map, c->keys[s]);
    (void)gclab_atom_data(gclab_getattr(gclab_getattr(node, N_RECORD), R_PAYLOAD)); /* the value */
    if (next_of(c->root) != node) {
        unlink_node(h, node);
        push_front(h, c->root, node);
    }
}

/* The list and the dict agree and hold exactly `capacity` entries. */
static int check(const lru *c, char *err, size_t errlen)
{
    size_t n = 0;
    for (gclab_object *p = c->root, *x = next_of(p); x != c->root; p = x, x = next_of(x), n++) {
        if (!x || prev_of(x) != p || n > c->capacity) {
            snprintf(err, errlen, "cache: the recency list is broken after %zu nodes", n);
            return -1;
        }
        gclab_object *rec = gclab_getattr(x, N_RECORD);
        if (gclab_dict_getitem(c->map, gclab_getattr(x, N_KEY)) != x || gclab_getattr(rec, R_NODE) != x) {
            snprintf(err, errlen, "cache: node %zu is not the dict's entry for its key", n);
            return -1;
        }
    }
    if (n != c->capacity || gclab_dict_len(c->map) != c->capacity) {
        snprintf(err, errlen, "cache: %zu nodes listed, %zu in the dict, capacity %zu", n,
                 gclab_dict_len(c->map), c->capacity);
        return -1;
    }
    return 0;
}

/* cache_clear(): break every live entry's cycles, then drop the cache. */
static void clear(lru *c)
{
    gclab_heap *h = c->h;
    size_t pos = 0;
    gclab_object *key, *node;
    while (gclab_dict_next(c->map, &pos, &key, &node)) {
        gclab_setattr(h, gclab_getattr(node, N_RECORD), R_NODE, NULL);
        gclab_setattr(h, node, N_PREV, NULL);
        gclab_setattr(h, node, N_NEXT, NULL);
    }
    gclab_setattr(h, c->root, N_PREV, NULL);
    gclab_setattr(h, c->root, N_NEXT, NULL);
    gclab_dict_clear(h, c->map);
    for (size_t s = 0; s < c->capacity; s++)
        gclab_decref(h, c->keys[s]);
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    uint64_t rng = seed;
    lru c = {.h = h, .capacity = (size_t)p[P_CAPACITY].i, .value_bytes = (size_t)p[P_VALUE_BYTES].i};
    c.keys = malloc(c.capacity * sizeof *c.keys);
    if (!c.keys) {
        snprintf(err, errlen, "cache: cannot allocate %zu keys", c.capacity);
        return -1;
    }
    gclab_object *g = gclab_globals(h), *k;
    c.map = gclab_new_dict(h);
    k = gclab_new_str(h, "lru.map", 7);
    gclab_dict_setitem(h, g, k, c.map);
    gclab_decref(h, k);
    gclab_decref(h, c.map);
    c.root = gclab_new_instance(h, N_NATTRS);
    gclab_setattr(h, c.root, N_PREV, c.root);
    gclab_setattr(h, c.root, N_NEXT, c.root);
    k = gclab_new_str(h, "lru.root", 8);
    gclab_dict_setitem(h, g, k, c.root);
    gclab_decref(h, k);
    gclab_decref(h, c.root);

    for (size_t s = 0; s < c.capacity; s++) { /* fill it */
        c.keys[s] = gclab_new_int(h, (int64_t)s);
        insert(&c, s);
    }
    const long long ops = p[P_OPS].i;
    const double churn = p[P_CHURN].d;
    for (long long i = 0; i < ops; i++) {
        if (chance(&rng, churn))
            evict_and_insert(&c);
        else
            hit(&c, (size_t)(splitmix64(&rng) % c.capacity));
        ctx->ops++;
    }
    int rc = check(&c, err, errlen);
    clear(&c);
    free(c.keys);
    return rc;
}

const workload workload_cache = {
    .name = "cache",
    .description = "a long-lived LRU cache (linked-list nodes) whose evictions are old cyclic garbage",
    .op = "cache operation",
    .smoke = "capacity=500 ops=5000",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
