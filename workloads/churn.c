/*
 * workloads/churn.c -- `churn`: cycle churn, as CPython's 2026 stress tool
 * cyclotron makes it.
 *
 * Stresses: how much cyclic garbage waits before a collector frees it.
 * The workload creates `cycles` structures of `cycle_size` instances each,
 * shaped as `shape`: a chain closed into a ring (the last node points back
 * to the first), or a complete binary tree whose leaves point back to the
 * root.  Each node optionally carries `extra_bytes` of payload in a bytes
 * atom.  A fraction `cyclic_fraction` of the structures get their back
 * edges; the others are plain chains and trees that refcounting frees.
 * The newest structures, about `live_objects` nodes of them, are kept live
 * in a ring buffer (a list in globals); each new structure replaces the
 * oldest, which becomes garbage.  So garbage is made at a steady rate and
 * has lived `live_objects` allocations first: with a live set larger than
 * the young generation it is promoted before it dies.  The number that
 * matters is the peak outstanding garbage (the most objects one collection
 * found unreachable, or what refcount leaks), which the harness measures,
 * with pauses and peak RSS.
 *
 * At the end the workload breaks the back edges of the structures still
 * live and drops them, so the exit collection finds only garbage the run
 * made, and `refcount` leaks exactly the cyclic structures that were
 * replaced.
 *
 * Not: cyclotron itself.  cyclotron's tree is a b-tree of records and it
 * empties its whole holder at once when the live target is reached; here
 * the tree is binary and the holder a ring buffer that turns over one
 * structure at a time, and every node (not one per cycle) carries the
 * extra bytes.  No finalizers or weak references.
 *
 * Models: cpython-gc.md, "peak outstanding cyclic garbage in a cycle-churn
 * script <100 objects on 3.13 vs ~2,000 on 3.14.0 vs ~10,000 later", and
 * cyclotron's knobs (cycle size, extra bytes, live objects, cyclic
 * fraction) and reports (run time, peak RSS, pauses, max uncollected
 * garbage).
 */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>

enum { P_CYCLES, P_SIZE, P_SHAPE, P_EXTRA, P_LIVE, P_CYCLIC, NPARAMS };
static const gclab_param params[] = {
    [P_CYCLES] = {"cycles", GCLAB_PARAM_INT, "1000000", "structures", 0, 1e12, NULL,
                  "how many structures to create"},
    [P_SIZE] = {"cycle_size", GCLAB_PARAM_INT, "10", "objects", 1, 1e7, NULL, "instances per structure"},
    [P_SHAPE] = {"shape", GCLAB_PARAM_CHOICE, "chain", "", 0, 0, "chain|btree",
                 "a chain closed into a ring, or a binary tree whose leaves point back to the root"},
    [P_EXTRA] = {"extra_bytes", GCLAB_PARAM_INT, "0", "bytes", 0, 1 << 30, NULL,
                 "payload of each instance, as a bytes atom (0: none)"},
    [P_LIVE] = {"live_objects", GCLAB_PARAM_INT, "100000", "objects", 0, 1e10, NULL,
                "instances kept live in the ring buffer of the newest structures"},
    [P_CYCLIC] = {"cyclic_fraction", GCLAB_PARAM_DOUBLE, "1.0", "", 0, 1, NULL,
                  "fraction of the structures that are cyclic (the others are freed by refcounting)"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");
enum { SHAPE_CHAIN, SHAPE_BTREE };

/* A node: a chain uses A0 as next; a tree A0/A1 as left/right, and a
 * leaf's A0 as its edge back to the root. */
enum { A0, A1, A_PAYLOAD, NATTRS };

static int chance(uint64_t *rng, double p) { return (double)(splitmix64(rng) >> 11) * 0x1.0p-53 < p; }

static gclab_object *new_node(gclab_heap *h, size_t extra)
{
    gclab_object *n = gclab_new_instance(h, NATTRS);
    if (extra) {
        gclab_object *b = gclab_new_bytes(h, NULL, extra);
        gclab_setattr(h, n, A_PAYLOAD, b);
        gclab_decref(h, b);
    }
    return n;
}

/* A structure of n nodes; returns a new reference to its first node. */
static gclab_object *make_chain(gclab_heap *h, size_t n, size_t extra, int cyclic)
{
    gclab_object *first = new_node(h, extra), *last = first;
    for (size_t i = 1; i < n; i++) {
        gclab_object *x = new_node(h, extra);
        gclab_setattr(h, last, A0, x);
        gclab_decref(h, x); /* last holds it */
        last = x;
    }
    if (cyclic)
        gclab_setattr(h, last, A0, first);
    return first;
}

/* A complete binary tree in heap order (children of i: 2i+1, 2i+2). */
static gclab_object *make_btree(gclab_heap *h, size_t n, size_t extra, int cyclic, gclab_object **tmp)
{
    for (size_t i = 0; i < n; i++)
        tmp[i] = new_node(h, extra);
    for (size_t i = 0; i < n; i++) {
        if (2 * i + 1 < n)
            gclab_setattr(h, tmp[i], A0, tmp[2 * i + 1]);
        else if (cyclic)
            gclab_setattr(h, tmp[i], A0, tmp[0]); /* a leaf: back to the root */
        if (2 * i + 2 < n)
            gclab_setattr(h, tmp[i], A1, tmp[2 * i + 2]);
    }
    for (size_t i = 1; i < n; i++)
        gclab_decref(h, tmp[i]); /* their parents hold them */
    return tmp[0];
}

/* Remove a structure's back edges, so that refcounting frees it. */
static void unloop_chain(gclab_heap *h, gclab_object *first)
{
    gclab_object *x = first;
    for (gclab_object *next = gclab_getattr(x, A0); next && next != first; next = gclab_getattr(x, A0))
        x = next;
    gclab_setattr(h, x, A0, NULL);
}

static void unloop_btree(gclab_heap *h, gclab_object *root, gclab_object *x)
{
    gclab_object *left = gclab_getattr(x, A0), *right = gclab_getattr(x, A1);
    if (left == root) {
        gclab_setattr(h, x, A0, NULL);
        return;
    }
    if (left)
        unloop_btree(h, root, left);
    if (right)
        unloop_btree(h, root, right);
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    uint64_t rng = seed;
    const long long cycles = p[P_CYCLES].i;
    const size_t size = (size_t)p[P_SIZE].i, extra = (size_t)p[P_EXTRA].i;
    const int shape = (int)p[P_SHAPE].i;
    const double cyclic = p[P_CYCLIC].d;
    size_t nring = (size_t)p[P_LIVE].i / size; /* structures kept live */
    gclab_object **tmp = shape == SHAPE_BTREE ? malloc(size * sizeof *tmp) : NULL;
    if (shape == SHAPE_BTREE && !tmp) {
        snprintf(err, errlen, "churn: cannot allocate %zu node pointers", size);
        return -1;
    }

    gclab_object *ring = gclab_new_list(h), *k = gclab_new_str(h, "ring", 4);
    gclab_dict_setitem(h, gclab_globals(h), k, ring);
    gclab_decref(h, k);
    gclab_decref(h, ring); /* globals hold it */

    for (long long i = 0; i < cycles; i++) {
        int loop = chance(&rng, cyclic);
        gclab_object *s = shape == SHAPE_CHAIN ? make_chain(h, size, extra, loop)
                                               : make_btree(h, size, extra, loop, tmp);
        if (nring == 0)
            ; /* nothing kept: dropped at once */
        else if (gclab_list_len(ring) < nring)
            gclab_list_append(h, ring, s);
        else
            gclab_list_set(h, ring, (size_t)i % nring, s); /* the oldest becomes garbage */
        gclab_decref(h, s);
        ctx->ops++;
    }

    for (size_t i = 0; i < gclab_list_len(ring); i++) {
        gclab_object *s = gclab_list_get(ring, i);
        if (shape == SHAPE_CHAIN)
            unloop_chain(h, s);
        else
            unloop_btree(h, s, s);
    }
    gclab_list_clear(h, ring);
    free(tmp);
    return 0;
}

const workload workload_churn = {
    .name = "churn",
    .description = "cyclotron's cycle churn: rings or back-linked trees replacing each other in a ring",
    .op = "structure",
    .smoke = "cycles=2000 live_objects=1000",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
