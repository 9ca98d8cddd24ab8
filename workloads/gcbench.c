/*
 * workloads/gcbench.c -- `gcbench`: Hans Boehm's GCBench (binary trees),
 * as a Python port of it would run.
 *
 * Stresses: allocation and freeing of many small, short-lived containers
 * (tree nodes) while a large long-lived structure sits in the old
 * generation: the collector is triggered again and again by allocation,
 * finds nothing to reclaim (the trees are acyclic; refcounting frees each
 * one the moment it is dropped), and has to keep the cost of re-examining
 * the long-lived tree down.  Not: a cycle benchmark -- nothing here is ever
 * cyclic, so every collection is pure overhead and `refcount` leaks
 * nothing; not a model of a real application's object mix.  Models: Boehm's
 * GCBench as listed in shared/reference/cpython-gc.md: a stretch tree
 * of depth 18 built and dropped; a long-lived tree of depth 16 and a
 * long-lived array of 500,000 numbers kept live; then for each depth
 * d = 4, 6, ... 16, NumIters(d) = 2 * TreeSize(18) / TreeSize(d) trees built
 * top-down (Populate) and as many bottom-up (MakeTree), each dropped at once.
 *
 * Faithful to a Python port in these choices:
 *   - A node is an instance with two attributes, left and right.  GCBench's
 *     `i` and `j` fields are omitted: they are always 0, and in Python a 0
 *     is the shared small int, which allocates nothing.
 *   - The long-lived array of doubles is a list of int atoms (gclab has no
 *     float): `[0] * size`, then the first half filled with distinct ints
 *     (element i holds i, standing for GCBench's 1.0/i); the second half
 *     is the one shared 0, as `[0.0] * size` would be in Python.
 *   - tempTree, longLivedTree and array are the frame's locals.
 * At the end the long-lived tree is walked and its nodes counted, and
 * array[1000] checked, as GCBench's final check does; a mismatch fails the
 * run.  No randomness: the seed is unused.
 */
#include "workload.h"

#include <stdio.h>


enum { P_STRETCH, P_LONG_LIVED, P_ARRAY, P_MIN, P_MAX, NPARAMS };
static const gclab_param params[] = {
    [P_STRETCH] = {"stretch_depth", GCLAB_PARAM_INT, "18", "levels", 0, 24, NULL,
                   "depth of the stretch tree, built once and dropped; also scales the iteration counts"},
    [P_LONG_LIVED] = {"long_lived_depth", GCLAB_PARAM_INT, "16", "levels", 0, 24, NULL,
                      "depth of the tree kept live for the whole run"},
    [P_ARRAY] = {"array_size", GCLAB_PARAM_INT, "500000", "items", 0, 1e8, NULL,
                 "length of the long-lived list of numbers (int atoms; the first half distinct)"},
    [P_MIN] = {"min_depth", GCLAB_PARAM_INT, "4", "levels", 0, 24, NULL, "smallest short-lived tree depth"},
    [P_MAX] = {"max_depth", GCLAB_PARAM_INT, "16", "levels", 0, 24, NULL,
               "largest short-lived tree depth (depths go min_depth, min_depth+2, ... up to this)"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

enum { NODE_LEFT, NODE_RIGHT, NODE_NATTRS };
enum { SLOT_TEMP, SLOT_LONG_LIVED, SLOT_ARRAY, NSLOTS };

static long long tree_size(long long depth) { return (1LL << (depth + 1)) - 1; }

static long long num_iters(long long stretch_depth, long long depth)
{
    return 2 * tree_size(stretch_depth) / tree_size(depth);
}

/* Populate(iDepth, thisNode): give the node two fresh children, then fill
 * them in -- top-down, each child owned by its parent from birth. */
static void populate(gclab_heap *h, long long depth, gclab_object *node)
{
    if (depth <= 0)
        return;
    depth--;
    for (size_t side = NODE_LEFT; side <= NODE_RIGHT; side++) {
        gclab_object *child = gclab_new_instance(h, NODE_NATTRS);
        gclab_setattr(h, node, side, child);
        gclab_decref(h, child); /* the parent holds it now */
    }
    populate(h, depth, gclab_getattr(node, NODE_LEFT));
    populate(h, depth, gclab_getattr(node, NODE_RIGHT));
}

/* MakeTree(iDepth): children first, then the node that takes them --
 * bottom-up, the subtrees held on the "evaluation stack" (C locals) until
 * their parent exists.  Returns a new reference. */
static gclab_object *make_tree(gclab_heap *h, long long depth)
{
    if (depth <= 0)
        return gclab_new_instance(h, NODE_NATTRS);
    gclab_object *left = make_tree(h, depth - 1);
    gclab_object *right = make_tree(h, depth - 1);
    gclab_object *node = gclab_new_instance(h, NODE_NATTRS);
    gclab_setattr(h, node, NODE_LEFT, left);
    gclab_setattr(h, node, NODE_RIGHT, right);
    gclab_decref(h, left);
    gclab_decref(h, right);
    return node;
}

/* Nodes in the tree under `node`, or -1 if it is not a full binary tree of
 * instances (a child missing on one side only, or not a node). */
static long long count_nodes(const gclab_object *node)
{
    if (gclab_kind_of(node) != GCLAB_KIND_INSTANCE || gclab_instance_nattrs(node) != NODE_NATTRS)
        return -1;
    const gclab_object *l = gclab_getattr(node, NODE_LEFT), *r = gclab_getattr(node, NODE_RIGHT);
    if (!l && !r)
        return 1;
    if (!l || !r)
        return -1;
    long long nl = count_nodes(l), nr = count_nodes(r);
    return nl < 0 || nr < 0 ? -1 : 1 + nl + nr;
}

/* TimeConstruction(depth): NumIters trees each way, each dropped at once. */
static void time_construction(gclab_heap *h, gclab_frame *f, long long stretch, long long depth,
                              workload_ctx *ctx)
{
    const long long iters = num_iters(stretch, depth);
    for (long long i = 0; i < iters; i++) {
        gclab_object *t = gclab_new_instance(h, NODE_NATTRS);
        gclab_frame_set(h, f, SLOT_TEMP, t); /* tempTree = new Node() */
        gclab_decref(h, t);
        populate(h, depth, t);
        gclab_frame_set(h, f, SLOT_TEMP, NULL); /* tempTree = null */
        ctx->ops++;
    }
    for (long long i = 0; i < iters; i++) {
        gclab_object *t = make_tree(h, depth);
        gclab_frame_set(h, f, SLOT_TEMP, t); /* tempTree = MakeTree(depth) */
        gclab_decref(h, t);
        gclab_frame_set(h, f, SLOT_TEMP, NULL);
        ctx->ops++;
    }
}

static int prepare(const gclab_value *p, void **state, char *err, size_t errlen)
{
    *state = NULL;
    if (p[P_MIN].i > p[P_MAX].i) {
        snprintf(err, errlen, "gcbench: min_depth (%lld) is greater than max_depth (%lld)", p[P_MIN].i,
                 p[P_MAX].i);
        return -1;
    }
    return 0;
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    (void)seed; /* no randomness: the same trees every run */
    const long long stretch = p[P_STRETCH].i, long_lived = p[P_LONG_LIVED].i;
    const long long array_size = p[P_ARRAY].i;
    gclab_frame *f = gclab_frame_push(h, NSLOTS);

    /* Stretch the memory space quickly. */
    gclab_object *t = make_tree(h, stretch);
    gclab_frame_set(h, f, SLOT_TEMP, t);
    gclab_decref(h, t);
    gclab_frame_set(h, f, SLOT_TEMP, NULL);
    ctx->ops++;

    /* A long-lived tree, built top-down. */
    t = gclab_new_instance(h, NODE_NATTRS);
    gclab_frame_set(h, f, SLOT_LONG_LIVED, t);
    gclab_decref(h, t);
    populate(h, long_lived, t);
    ctx->ops++;

    /* A long-lived array: [0] * size, the first half filled in. */
    gclab_object *array = gclab_new_list(h);
    gclab_frame_set(h, f, SLOT_ARRAY, array);
    gclab_decref(h, array);
    gclab_object *zero = gclab_new_int(h, 0);
    for (long long i = 0; i < array_size; i++) {
        gclab_object *x = i < array_size / 2 ? gclab_new_int(h, i) : gclab_incref(zero);
        gclab_list_append(h, array, x);
        gclab_decref(h, x);
    }
    gclab_decref(h, zero);

    for (long long d = p[P_MIN].i; d <= p[P_MAX].i; d += 2)
        time_construction(h, f, stretch, d, ctx);

    /* GCBench's check: the long-lived structures are intact. */
    int rc = 0;
    const long long nodes = count_nodes(gclab_frame_get(f, SLOT_LONG_LIVED));
    const long long probe = array_size / 2 > 1000 ? 1000 : array_size / 2 - 1;
    if (nodes != tree_size(long_lived)) {
        snprintf(err, errlen, "gcbench: the long-lived tree has %lld nodes, expected %lld", nodes,
                 tree_size(long_lived));
        rc = -1;
    } else if (gclab_list_len(array) != (size_t)array_size ||
               (probe >= 0 && gclab_int_value(gclab_list_get(array, (size_t)probe)) != probe)) {
        snprintf(err, errlen, "gcbench: the long-lived array was changed");
        rc = -1;
    }
    gclab_frame_pop(h);
    return rc;
}

const workload workload_gcbench = {
    .name = "gcbench",
    .description = "Boehm's GCBench: short-lived binary trees built top-down and bottom-up beside a "
                   "long-lived tree and array",
    .op = "tree",
    .smoke = "stretch_depth=8 long_lived_depth=6 array_size=1000 max_depth=8",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
    .prepare = prepare,
};
