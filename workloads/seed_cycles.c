/*
 * workloads/seed_cycles.c -- `seed-cycles`: the seed articles' make_cycle(),
 * over and over.
 *
 * Stresses: nothing but cyclic garbage, made as fast as the runtime can,
 * so every collection is all garbage.  Not: a realistic heap; nothing stays
 * live.  Models: the articles' examples, including their manual
 * gc.collect() after every k cycles.
 */
#include "seed_examples.h"
#include "workload.h"

enum { P_COUNT, P_KIND, P_COLLECT_EVERY, NPARAMS };
static const gclab_param params[] = {
    [P_COUNT] = {"count", GCLAB_PARAM_INT, "100000", "cycles", 1, 1e12, NULL,
                 "how many cycles to make and drop"},
    [P_KIND] = {"kind", GCLAB_PARAM_CHOICE, "dict", "", 0, 0, "dict|list|instance|dict-pair",
                "d[0] = d; a 5-element list holding itself; a.obj = a; two dicts holding each other"},
    [P_COLLECT_EVERY] = {"collect_every", GCLAB_PARAM_INT, "0", "cycles", 0, 1e12, NULL,
                         "call gc.collect() after every k cycles (0: never)"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");
_Static_assert(SEED_NSHAPES == 4, "one choice of kind per seed_shape, in its order");

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    (void)seed, (void)err, (void)errlen; /* no randomness: the same cycles every run */
    const long long count = p[P_COUNT].i, every = p[P_COLLECT_EVERY].i;
    const seed_shape shape = (seed_shape)p[P_KIND].i;
    for (long long i = 1; i <= count; i++) {
        seed_make_cycle(h, shape);
        ctx->ops++;
        if (every && i % every == 0)
            gclab_collect(h, gclab_heap_collector(h)->ngenerations - 1);
    }
    return 0;
}

const workload workload_seed_cycles = {
    .name = "seed-cycles",
    .description = "the seed articles' make_cycle(): self-referencing dicts, lists, instances, dict pairs",
    .op = "cycle",
    .smoke = "count=2000",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
