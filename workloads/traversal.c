/*
 * workloads/traversal.c -- `traversal`: pyperformance's two GC benchmarks,
 * selected by `mode`.
 *
 * mode=gc_traversal models bm_gc_traversal: it builds recursive containers
 * and then times gc.collect() calls that free nothing.  As in that
 * benchmark's create_recursive_containers(n_levels), for n in
 * range(n_levels) a new list of n slots is made, every slot referencing the
 * previous list, and the new list becomes the current one.  The result is
 * 1000 lists (levels) chained together, the n-th holding n references to
 * the (n-1)-th: 0 + 1 + ... + 999 = 499,500 live slots, all kept live from
 * the frame.  Then `collections` calls to gc.collect(); pyperformance makes
 * two per loop (one unmeasured, one measured), both of which must return 0.
 * Here each is one op, and one that returns anything but 0 fails the run,
 * as the benchmark's assert does.
 * Stresses: the cost of traversing references, not objects (few
 * containers, half a million edges) in a collection that finds no garbage.
 * Not: an allocation benchmark (allocation happens only in the setup).
 *
 * mode=gc_collect models bm_gc_collect: each iteration,
 * create_gc_cycles(cycles=100, links=20) makes 100 rings of 21 Node
 * instances, each node linked to the next and back to the previous (Node
 * has `next` and `prev`, as in pyperformance), the first node of every
 * ring held in a list.  The list is dropped, so the rings become cyclic
 * garbage, and gc.collect() is called, `iterations` times.  pyperformance
 * also calls gc.collect() before creating the rings; that one finds nothing
 * after the previous iteration's collection and is left out here.
 * Stresses: a collection whose whole young set is cyclic garbage, the
 * clear-and-free path.  Not: a large heap (only 2,100 nodes live at most).
 *
 * An op is one gc.collect() call in both modes; it is a collection of the
 * oldest generation (gclab_heap_collector(h)->ngenerations - 1), as
 * gc.collect() is.  No randomness: the seed is unused.
 */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>

enum { MODE_GC_TRAVERSAL, MODE_GC_COLLECT };

enum { P_MODE, P_LEVELS, P_COLLECTIONS, P_RINGS, P_RING_SIZE, P_ITERATIONS, NPARAMS };
static const gclab_param params[] = {
    [P_MODE] = {"mode", GCLAB_PARAM_CHOICE, "gc_traversal", "", 0, 0, "gc_traversal|gc_collect",
                "pyperformance's bm_gc_traversal (collect over live nested lists) or bm_gc_collect (rings)"},
    [P_LEVELS] = {"levels", GCLAB_PARAM_INT, "1000", "lists", 1, 100000, NULL,
                  "gc_traversal: nested lists; list n holds n references to list n-1"},
    [P_COLLECTIONS] = {"collections", GCLAB_PARAM_INT, "1000", "collections", 0, 1e9, NULL,
                       "gc_traversal: gc.collect() calls over the live lists"},
    [P_RINGS] = {"rings", GCLAB_PARAM_INT, "100", "rings", 0, 1e7, NULL,
                 "gc_collect: rings made per iteration"},
    [P_RING_SIZE] = {"ring_size", GCLAB_PARAM_INT, "21", "nodes", 1, 1e6, NULL,
                     "gc_collect: nodes per ring (pyperformance: 20 links + the first node)"},
    [P_ITERATIONS] = {"iterations", GCLAB_PARAM_INT, "3000", "iterations", 0, 1e9, NULL,
                      "gc_collect: times the rings are made, dropped and gc.collect() called"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

enum { NODE_NEXT, NODE_PREV, NODE_NATTRS };

static int gc_traversal(gclab_heap *h, const gclab_value *p, workload_ctx *ctx, char *err,
                        size_t errlen)
{
    const long long levels = p[P_LEVELS].i, collections = p[P_COLLECTIONS].i;
    const int oldest = gclab_heap_collector(h)->ngenerations - 1;
    gclab_frame *f = gclab_frame_push(h, 1); /* all_cycles */

    /* create_recursive_containers(levels) */
    gclab_object **items = malloc((size_t)levels * sizeof *items);
    if (!items) {
        snprintf(err, errlen, "traversal: out of memory for %lld levels", levels);
        gclab_frame_pop(h);
        return -1;
    }
    gclab_object *current = gclab_new_list(h);
    gclab_frame_set(h, f, 0, current);
    gclab_decref(h, current);
    for (long long n = 0; n < levels; n++) {
        for (long long i = 0; i < n; i++)
            items[i] = current;
        gclab_object *next = gclab_new_list_from(h, (size_t)n, items);
        gclab_frame_set(h, f, 0, next); /* current_list = new_list */
        gclab_decref(h, next);
        current = next;
    }
    free(items);

    int rc = 0;
    for (long long c = 0; c < collections; c++) {
        long collected = gclab_collect(h, oldest);
        ctx->ops++;
        gclab_poll(h); /* no allocation here: let the sampler in */
        if (collected != 0) {
            snprintf(err, errlen, "traversal: gc.collect() over live lists returned %ld, expected 0",
                     collected);
            rc = -1;
            break;
        }
    }
    gclab_frame_pop(h);
    return rc;
}

/* Node(); current.link_next(next_node): current.next = next; next.prev = current. */
static void link_next(gclab_heap *h, gclab_object *current, gclab_object *next)
{
    gclab_setattr(h, current, NODE_NEXT, next);
    gclab_setattr(h, next, NODE_PREV, current);
}

static int gc_collect(gclab_heap *h, const gclab_value *p, workload_ctx *ctx)
{
    const long long rings = p[P_RINGS].i, ring_size = p[P_RING_SIZE].i;
    const long long iterations = p[P_ITERATIONS].i;
    const int oldest = gclab_heap_collector(h)->ngenerations - 1;
    gclab_frame *f = gclab_frame_push(h, 1); /* all_cycles */

    for (long long it = 0; it < iterations; it++) {
        /* create_gc_cycles(rings, ring_size - 1) */
        gclab_object *cycles = gclab_new_list(h);
        gclab_frame_set(h, f, 0, cycles);
        gclab_decref(h, cycles);
        for (long long r = 0; r < rings; r++) {
            gclab_object *node = gclab_new_instance(h, NODE_NATTRS);
            gclab_list_append(h, cycles, node);
            gclab_decref(h, node); /* the list holds it */
            gclab_object *current = node;
            for (long long k = 1; k < ring_size; k++) {
                gclab_object *next = gclab_new_instance(h, NODE_NATTRS);
                link_next(h, current, next);
                gclab_decref(h, next); /* current.next holds it */
                current = next;
            }
            link_next(h, current, node); /* close the ring */
        }
        gclab_frame_set(h, f, 0, NULL); /* del all_cycles */
        gclab_collect(h, oldest);
        ctx->ops++;
    }
    gclab_frame_pop(h);
    return 0;
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    (void)seed; /* no randomness: the same graph every run */
    if (p[P_MODE].i == MODE_GC_TRAVERSAL)
        return gc_traversal(h, p, ctx, err, errlen);
    return gc_collect(h, p, ctx);
}

const workload workload_traversal = {
    .name = "traversal",
    .description = "pyperformance's gc_traversal (collections over 499,500 live list slots) and "
                   "gc_collect (100 rings of 21 nodes per collection)",
    .op = "collection",
    .smoke = "levels=20 collections=5 rings=10 iterations=5",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
