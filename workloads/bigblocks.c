/*
 * workloads/bigblocks.c -- `bigblocks`: the same bytes as a few huge atoms
 * or as many small containers.
 *
 * Stresses: the trigger.  A collection is triggered by the number of
 * container allocations, not by their size, so cyclic garbage that holds
 * big atoms can pile up without a collection ever being due.  Over the run
 * the workload allocates `total_mb` MB in blocks of `block_kb` KB, in
 * `rounds` waves: a wave's blocks are kept in a list in globals, then the
 * list is emptied and the whole wave becomes garbage.  Every block is
 * cyclic, so only a collection frees it:
 *   - mode=atoms: a block is one zero-filled bytes atom of block_kb (every
 *     page touched) held by an instance that also holds itself
 *     (`self.data = bytes(n); self.me = self`): one container per block;
 *   - mode=containers: a block is a ring of small instances, as many as
 *     take block_kb of heap (measured from the heap's own accounting at
 *     the start of the run): thousands of containers per block.
 * With `collect` on, the workload calls gc.collect() after dropping each
 * wave, as the seed articles advise after freeing large blocks.  Peak RSS
 * and the number of collections, side by side across the two modes, are
 * the result: in atoms mode threshold0 may never be reached, and RSS
 * tracks every byte ever allocated.
 *
 * Not: a model of any particular application; there is no other heap
 * activity, and no latency.
 *
 * Models: the seed articles' warning (shared/seeds/: "the automatic garbage
 * collection places high weight upon the NUMBER of free objects, not on how
 * large they are.  Thus any portion of your code which frees up large
 * blocks of memory is a good candidate for running manual garbage
 * collection"), and CPython's trigger, count[0] = net container
 * allocations (cpython-gc.md).
 */
#include "workload.h"

#include <stdio.h>

enum { P_MODE, P_TOTAL, P_ROUNDS, P_BLOCK, P_COLLECT, NPARAMS };
static const gclab_param params[] = {
    [P_MODE] = {"mode", GCLAB_PARAM_CHOICE, "atoms", "", 0, 0, "atoms|containers",
                "a block is one big bytes atom in a self-cycle, or a ring of small instances"},
    [P_TOTAL] = {"total_mb", GCLAB_PARAM_INT, "512", "MB", 1, 1 << 20, NULL,
                 "bytes allocated over the whole run"},
    [P_ROUNDS] = {"rounds", GCLAB_PARAM_INT, "16", "waves", 1, 1e9, NULL,
                  "waves: each keeps its blocks live, then drops them all"},
    [P_BLOCK] = {"block_kb", GCLAB_PARAM_INT, "1024", "KB", 1, 1 << 22, NULL, "size of one block"},
    [P_COLLECT] = {"collect", GCLAB_PARAM_BOOL, "false", "", 0, 0, NULL,
                   "call gc.collect() after dropping each wave"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");
enum { MODE_ATOMS, MODE_CONTAINERS };

/* A small instance of the containers mode: its next in the ring, and two
 * slots left empty (an object with a few attributes). */
#define SMALL_NATTRS 3

/* Bytes one small instance takes, in gclab's own sizes: the same under
 * every collector and profile, so every run builds the same objects. */
static size_t small_bytes(void) { return gclab_own_size(GCLAB_KIND_INSTANCE, SMALL_NATTRS); }

/* self.data = bytes(n); self.me = self */
static gclab_object *atom_block(gclab_heap *h, size_t bytes)
{
    gclab_object *holder = gclab_new_instance(h, 2), *data = gclab_new_bytes(h, NULL, bytes);
    gclab_setattr(h, holder, 0, data);
    gclab_decref(h, data);
    gclab_setattr(h, holder, 1, holder);
    return holder;
}

/* A ring of n small instances; returns its first. */
static gclab_object *container_block(gclab_heap *h, size_t n)
{
    gclab_object *first = gclab_new_instance(h, SMALL_NATTRS), *last = first;
    for (size_t i = 1; i < n; i++) {
        gclab_object *x = gclab_new_instance(h, SMALL_NATTRS);
        gclab_setattr(h, last, 0, x);
        gclab_decref(h, x);
        last = x;
    }
    gclab_setattr(h, last, 0, first);
    return first;
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    (void)seed; /* nothing random: the same blocks every run */
    const int mode = (int)p[P_MODE].i, collect = (int)p[P_COLLECT].i;
    const size_t block = (size_t)p[P_BLOCK].i << 10;
    const unsigned long long nblocks = ((unsigned long long)p[P_TOTAL].i << 20) / block;
    const unsigned long long rounds = (unsigned long long)p[P_ROUNDS].i;
    if (nblocks == 0) {
        snprintf(err, errlen, "bigblocks: total_mb is smaller than one block (block_kb)");
        return -1;
    }
    size_t per_block = 1;
    if (mode == MODE_CONTAINERS) {
        size_t one = small_bytes();
        per_block = block > one ? block / one : 1;
    }
    const int oldest = gclab_heap_collector(h)->ngenerations - 1; /* for gc.collect() only */

    gclab_object *wave = gclab_new_list(h), *k = gclab_new_str(h, "wave", 4);
    gclab_dict_setitem(h, gclab_globals(h), k, wave);
    gclab_decref(h, k);
    gclab_decref(h, wave); /* globals hold it */

    unsigned long long done = 0;
    for (unsigned long long r = 0; r < rounds; r++) {
        unsigned long long end = nblocks * (r + 1) / rounds; /* the remainder spread evenly */
        for (; done < end; done++) {
            gclab_object *b = mode == MODE_ATOMS ? atom_block(h, block) : container_block(h, per_block);
            gclab_list_append(h, wave, b);
            gclab_decref(h, b);
            ctx->ops++;
            gclab_poll(h); /* a big atom is long work without a container allocation */
        }
        gclab_list_clear(h, wave); /* the wave is garbage, every block a cycle */
        if (collect)
            gclab_collect(h, oldest);
    }
    return 0;
}

const workload workload_bigblocks = {
    .name = "bigblocks",
    .description = "the same bytes as few big atoms or many small containers, in cycles, dropped in waves",
    .op = "block",
    .smoke = "total_mb=4 rounds=2 block_kb=256",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
