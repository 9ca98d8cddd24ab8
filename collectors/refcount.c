/*
 * collectors/refcount.c -- reference counting only.
 *
 * Invariant: an object is freed exactly when its refcount reaches zero;
 * nothing else ever frees one.  So cyclic garbage is never reclaimed: it
 * stays in the heap until teardown, where the runtime reports it as leaked.
 */
#include "collector.h"

#include <stdlib.h>

typedef struct refcount_state {
    gc_list all; /* every tracked container */
} refcount_state;

static int rc_init(gclab_heap *h, const gclab_value *params, char *err, size_t errlen)
{
    (void)params, (void)err, (void)errlen;
    refcount_state *s = calloc(1, sizeof *s);
    if (!s)
        gclab__oom(sizeof *s);
    gc_list_init(&s->all);
    h->cstate = s;
    h->young = &s->all;
    h->auto_trigger = LONG_MAX; /* nothing to trigger */
    return 0;
}

static void rc_fini(gclab_heap *h) { free(h->cstate); }

static void rc_gather(gclab_heap *h, gc_list *into)
{
    gc_list_merge(&((refcount_state *)h->cstate)->all, into);
}

static void rc_collect(gclab_heap *h, int generation, gclab_gc_info *info)
{
    (void)h, (void)generation, (void)info; /* refcounting has already freed all it can */
}

const gclab_collector gclab_collector_refcount = {
    .info = {.name = "refcount",
             .description = "reference counting only; cycles are never reclaimed and are "
                            "reported as leaked at exit",
             .ngenerations = 1},
    .init = rc_init,
    .fini = rc_fini,
    .gather = rc_gather,
    .collect = rc_collect,
};
