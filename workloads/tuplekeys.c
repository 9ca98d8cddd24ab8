/*
 * workloads/tuplekeys.c -- `tuplekeys`: a dict of a million tuple keys,
 * filled and swept by a dynamic-programming loop.
 *
 * Models CPython issue gh-139951 ("Potentially serious regression in
 * garbage collector performance in Python 3.14"): this loop ran in < 1 s on
 * 3.13 and > 2 s on 3.14.0, whose incremental collector kept re-examining
 * the tuples that the 3.13 collector untracks (the fix, gh-140262, counts
 * tracked rather than trackable objects):
 *
 *     n = 1000
 *     d = {}
 *     for i in range(n):
 *         d[(i, i)] = d[(i, 0)] = d[(0, i)] = 0
 *     for i in range(1, n):
 *         for j in range(1, n):
 *             d[(i, j)] = i + j + d[(i - 1, j)] + d[(i, j - 1)] + d[(i - 1, j - 1)]
 *
 * Here n = floor(sqrt(keys)), so the dict ends with n * n keys (1,000,000
 * by default).  The first sweep is the script: every d[(i, j)] = ...
 * adds a key, so the heap grows by a million 2-tuples of ints, each one a
 * freshly allocated, tracked container that a collection may untrack
 * (its items are atoms).  Then `rounds` more sweeps of the same loop replace
 * every value: each builds four tuples (three for the lookups, one for the
 * store, which the dict drops because it keeps its existing key) and frees
 * them at once, as CPython's BUILD_TUPLE / BINARY_SUBSCR / STORE_SUBSCR do.
 *
 * Stresses: a growing heap made almost entirely of small tuples, where the
 * collector's cost depends on whether it untracks them (`generational`
 * untracks a tuple of atoms the first time a collection sees it, so they
 * never reach the old generations) and on whether it counts what is
 * tracked or what was allocated.  Not: a cycle benchmark -- nothing is ever
 * garbage but the temporaries, which refcounting frees.
 *
 * Choices: the values are int atoms (the Python ints grow without
 * bound; here the sums wrap modulo 2^64, and an int atom costs the same
 * whatever its value).  values=list stores each value in a fresh one-item
 * list instead, so the dict also holds a million tracked containers that
 * can never be untracked -- the contrast.  The loop variables i, j and the
 * i - 1, j - 1 of the lookups are the int objects of a list `ints` = [0, 1,
 * ..., n-1] (range's ints, in Python), so building a key allocates only the
 * tuple.  An op is one dict operation: a lookup or a store.  No randomness:
 * the seed is unused.
 */
#include "workload.h"

#include <stdio.h>

enum { VALUES_INT, VALUES_LIST };
enum { SLOT_DICT, SLOT_INTS, NSLOTS };

enum { P_KEYS, P_ROUNDS, P_VALUES, NPARAMS };
static const gclab_param params[] = {
    [P_KEYS] = {"keys", GCLAB_PARAM_INT, "1000000", "keys", 4, 1e9, NULL,
                "tuple keys in the dict, rounded down to a square n*n (gh-139951: n = 1000)"},
    [P_ROUNDS] = {"rounds", GCLAB_PARAM_INT, "1", "sweeps", 0, 1e6, NULL,
                  "sweeps of the loop after the one that fills the dict, each replacing every value"},
    [P_VALUES] = {"values", GCLAB_PARAM_CHOICE, "int", "", 0, 0, "int|list",
                  "values are int atoms (the issue), or each in a fresh one-item list (never untracked)"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

static long long isqrt(long long x)
{
    long long r = 0;
    while ((r + 1) * (r + 1) <= x)
        r++;
    return r;
}

typedef struct grid {
    gclab_heap *h;
    gclab_object *d, *ints;
    int list_values;
    workload_ctx *ctx;
} grid;

/* (ints[i], ints[j]): a new tuple, as BUILD_TUPLE makes. */
static gclab_object *key(const grid *g, long long i, long long j)
{
    gclab_object *items[2] = {gclab_list_get(g->ints, (size_t)i), gclab_list_get(g->ints, (size_t)j)};
    return gclab_new_tuple(g->h, 2, items);
}

/* d[(i, j)] = v (v an int); the value object is made here. */
static void store(const grid *g, long long i, long long j, uint64_t v)
{
    gclab_object *k = key(g, i, j);
    gclab_object *value = gclab_new_int(g->h, (int64_t)v);
    if (g->list_values) {
        gclab_object *l = gclab_new_list_from(g->h, 1, &value);
        gclab_decref(g->h, value);
        value = l;
    }
    gclab_dict_setitem(g->h, g->d, k, value);
    gclab_decref(g->h, value);
    gclab_decref(g->h, k);
    g->ctx->ops++;
}

/* d[(i, j)], as an int; 0 with *ok cleared if the key is missing. */
static uint64_t load(const grid *g, long long i, long long j, int *ok)
{
    gclab_object *k = key(g, i, j);
    gclab_object *value = gclab_dict_getitem(g->d, k);
    gclab_decref(g->h, k);
    g->ctx->ops++;
    if (value && g->list_values)
        value = gclab_list_len(value) == 1 ? gclab_list_get(value, 0) : NULL;
    if (!value || gclab_kind_of(value) != GCLAB_KIND_INT) {
        *ok = 0;
        return 0;
    }
    return (uint64_t)gclab_int_value(value);
}

/* One sweep of the second loop; 0, or -1 if a lookup missed. */
static int sweep(const grid *g, long long n)
{
    int ok = 1;
    for (long long i = 1; i < n; i++)
        for (long long j = 1; j < n; j++) {
            uint64_t v = (uint64_t)i + (uint64_t)j + load(g, i - 1, j, &ok) + load(g, i, j - 1, &ok) +
                         load(g, i - 1, j - 1, &ok);
            store(g, i, j, v);
        }
    return ok ? 0 : -1;
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    (void)seed; /* no randomness: the loop, in its order */
    const long long n = isqrt(p[P_KEYS].i), rounds = p[P_ROUNDS].i;
    gclab_frame *f = gclab_frame_push(h, NSLOTS);
    grid g = {h, gclab_new_dict(h), gclab_new_list(h), p[P_VALUES].i == VALUES_LIST, ctx};
    gclab_frame_set(h, f, SLOT_DICT, g.d);
    gclab_frame_set(h, f, SLOT_INTS, g.ints);
    gclab_decref(h, g.d);
    gclab_decref(h, g.ints);
    for (long long i = 0; i < n; i++) {
        gclab_object *x = gclab_new_int(h, i);
        gclab_list_append(h, g.ints, x);
        gclab_decref(h, x);
    }

    /* d[(i, i)] = d[(i, 0)] = d[(0, i)] = 0 */
    for (long long i = 0; i < n; i++) {
        store(&g, i, i, 0);
        store(&g, i, 0, 0);
        store(&g, 0, i, 0);
    }
    int rc = 0;
    for (long long r = 0; r <= rounds && rc == 0; r++)
        rc = sweep(&g, n);
    if (rc != 0)
        snprintf(err, errlen, "tuplekeys: a key the loop stored was not found");
    else if (gclab_dict_len(g.d) != (size_t)(n * n)) {
        snprintf(err, errlen, "tuplekeys: the dict has %zu keys, expected %lld", gclab_dict_len(g.d),
                 n * n);
        rc = -1;
    }
    gclab_frame_pop(h);
    return rc;
}

const workload workload_tuplekeys = {
    .name = "tuplekeys",
    .description = "gh-139951: a dynamic-programming loop over a dict of a million (i, j) tuple keys",
    .op = "dict operation",
    .smoke = "keys=2000",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
