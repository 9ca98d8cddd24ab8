/*
 * collectors/collector.h -- the interface every collector backend implements.
 *
 * One struct of function pointers, the heap passed first (as in jemalloc's
 * extent hooks).  Required slots are marked; every other slot may be NULL
 * and then has the behaviour given beside it.  One backend per file in
 * collectors/, everything in it static but its `gclab_collector` table, which
 * collectors/registry.def lists.
 *
 * What the runtime does for every collector, so backends need not:
 *   - tracking: a new container is appended to h->young (the collector points
 *     it at its youngest list in init), and unlinked when it is freed;
 *   - counting: h->gc_count is the net number of container allocations;
 *     when an allocation makes it exceed h->auto_trigger, on_trigger runs.
 *     The collector sets h->auto_trigger (LONG_MAX: never) and calls
 *     gclab__update_trigger(); enable/disable, "a collection is running" and
 *     pending interrupts are folded in by the runtime;
 *   - timers: gclab_interrupt() from any thread runs the heap's interrupt
 *     handlers at the next safe point, so a time-triggered collector needs
 *     no clock read on the allocation path;
 *   - thresholds: validated and stored in h->thresholds (info.nthresholds of
 *     them); then thresholds_changed runs;
 *   - every collection goes through gclab__collect(), which runs the
 *     callbacks, keeps per-generation stats and guards against re-entry;
 *   - roots (globals, frames) are released before at_exit; after at_exit,
 *     whatever is still alive is reported as leaked and freed by the runtime,
 *     which takes the tracked containers back through `gather`.  Immortal
 *     containers are found only that way: a collector never untracks one.
 *
 * Room for the backends to come:
 *   - incremental (3.14): young/old lists of its own, increments driven from
 *     on_trigger; gclab_visit_roots() gives the roots it marks from first;
 *     the three collector-owned header bits hold its per-object state;
 *   - trial deletion (PHP, Bacon & Rajan): on_decref_live hears every decref
 *     that leaves an object alive -- the "possible root" event;
 *   - whole-heap (free-threaded CPython): one list; on_trigger applies the
 *     long_lived_total / 4 rule itself.
 */
#ifndef GCLAB_COLLECTOR_H
#define GCLAB_COLLECTOR_H

#include "../runtime/internal.h"

struct gclab_collector {
    gclab_collector_info info; /* name, description, params, flags, generations */

    /* Required.  Allocate state into h->cstate, set h->young and
     * h->auto_trigger.  `params` holds info.nparams parsed values.  On error
     * return -1 with one line in err. */
    int (*init)(gclab_heap *h, const gclab_value *params, char *err, size_t errlen);
    /* Required.  Free the state; every list is empty by then. */
    void (*fini)(gclab_heap *h);
    /* Required.  Move every tracked container into `into` (used at teardown). */
    void (*gather)(gclab_heap *h, gc_list *into);
    /* Required.  One collection of `generation` (already validated).  Fill
     * info->examined, ->collected, ->uncollectable.  Called only through
     * gclab__collect, never re-entered. */
    void (*collect)(gclab_heap *h, int generation, gclab_gc_info *info);

    /* gc_count exceeded auto_trigger.  NULL: nothing happens. */
    void (*on_trigger)(gclab_heap *h);
    /* A decref left o alive.  NULL: the inline decref does not call out. */
    void (*on_decref_live)(gclab_heap *h, gclab_object *o);
    /* h->thresholds changed.  NULL: auto_trigger = thresholds[0], or never if 0. */
    void (*thresholds_changed)(gclab_heap *h);
    /* gc.get_count: write up to max counts, return how many.  NULL: gc_count only. */
    int (*get_count)(const gclab_heap *h, long *counts, int max);
    /* gc.freeze / gc.unfreeze / gc.get_freeze_count.  NULL: no-op / 0. */
    void (*freeze)(gclab_heap *h);
    void (*unfreeze)(gclab_heap *h);
    long (*get_freeze_count)(const gclab_heap *h);
    /* A workload event.  NULL: ignored. */
    void (*on_event)(gclab_heap *h, const char *name);
    /* The roots are gone; last chance to collect.  NULL: nothing. */
    void (*at_exit)(gclab_heap *h);
};

/* The registry: every backend, in the order `gclab list` shows them. */
#define GCLAB_COLLECTOR(name) extern const gclab_collector gclab_collector_##name;
#include "registry.def"
#undef GCLAB_COLLECTOR

const gclab_collector *gclab__collector_find(const char *name);

#endif
