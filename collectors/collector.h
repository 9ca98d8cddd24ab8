/*
 * collectors/collector.h -- the interface every collector backend implements.
 *
 * One struct of function pointers, the heap passed first (as in jemalloc's
 * extent hooks).  Required slots are marked; every other slot may be NULL
 * and then has the behaviour given beside it.  One backend per file in
 * collectors/, everything in it static but its `gclab_collector` table, which
 * collectors/registry.def lists; code shared by several backends exports
 * gclab__ functions through its own header (generational.h: CPython's
 * algorithm; policy.h: what starts a collection besides thresholds).
 *
 * What the runtime does for every collector, so backends need not:
 *   - tracking: a new container is appended to h->young with its collector
 *     bits cleared (the collector points h->young at its youngest list in
 *     init); a dict may be tracked later, when it first holds something
 *     trackable, and an instance resurrected from the trashcan is tracked
 *     again -- both also onto h->young.  A container is unlinked from
 *     whatever list it is on (gc_list_remove) when it is freed;
 *   - counting: h->gc_count is the net number of container allocations
 *     (+1 per allocation, -1 per free while positive);
 *   - triggering: every container allocation does ++gc_count > gc_trigger,
 *     and when true calls on_trigger if gc_count > h->auto_trigger.  The
 *     collector sets h->auto_trigger (LONG_MAX: never); gc_trigger is derived
 *     from it by gclab__update_trigger(), which folds in enable/disable, "a
 *     collection is running" and pending interrupts.  The runtime calls
 *     gclab__update_trigger() after init and thresholds_changed; anywhere
 *     else the collector that moves auto_trigger calls it;
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
 * Threads: every slot runs on the heap's own thread.  A thread a collector
 * starts may call gclab_interrupt() and nothing else of the heap's.
 *
 * Code that runs in the middle of a collection -- finalizers, gc callbacks,
 * interrupt handlers at a safe point -- may call any public function:
 * gclab_freeze, gclab_get_count, gclab_set_threshold, gclab_event, ...
 * So every slot below but init, fini, gather, collect, on_trigger and
 * at_exit may run in the middle of a collection (h->collecting set), and
 * gclab__collect() is then a no-op that returns 0.
 *
 * The post-conditions marked [debug] are asserted where the runtime calls
 * the slot, in GCLAB_DEBUG builds (runtime/heap.c, runtime/gcmodule.c).
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

    /* Required.  Called once, by gclab_heap_new, before any object exists
     * (the globals dict is made after it).  Allocate objects only as the
     * last step, once init can no longer fail and h->young is set:
     * gc_trigger is still LONG_MAX then, so nothing collects (the
     * generational family makes its start-up heap so, profile.h); fini
     * must release what is still held.
     * h->thresholds holds info.default_thresholds; thresholds the user
     * configured are applied after init, by gclab_set_threshold.
     * `params` holds info.nparams parsed values in table order (read them by
     * a P_* enum); a STRING value points into the caller's settings, which
     * may not outlive the heap: copy what you keep.
     * Post: h->young points at the collector's youngest list (asserted);
     * h->cstate holds the state, if any; h->auto_trigger is set (it is
     * LONG_MAX until then).  May register interrupt handlers and start
     * threads.  On error: return -1 with one line in err, having freed
     * everything; fini is not called then (nor is the interrupt handler
     * table freed: register handlers only once init can no longer fail). */
    int (*init)(gclab_heap *h, const gclab_value *params, char *err, size_t errlen);
    /* Required.  Called once, last: from gclab_heap_free after every
     * container is freed or unlinked, so every list is empty; or from
     * gclab_heap_new when the configured thresholds are rejected after init
     * succeeded, and then at_exit has not run.  Free the state and stop
     * every thread init started. */
    void (*fini)(gclab_heap *h);
    /* Required.  Called once, from gclab_heap_free after at_exit, with
     * h->collecting set and finalizers off.  Move every tracked container --
     * every list the collector owns, frozen ones included -- into `into`.
     * Post: the collector's lists are empty; h->young stays a valid, empty
     * list [debug: h->young is empty]. */
    void (*gather)(gclab_heap *h, gc_list *into);
    /* Required.  One collection of `generation`.  Called only by
     * gclab__collect: with a generation gclab_collect validated, or one the
     * collector passed itself, which must be in 0 .. info.ngenerations - 1
     * [debug]; with h->collecting set, so never re-entered and never
     * interrupted by on_trigger; after the START callbacks and before STOP.
     *   - Fill info->examined, ->collected and ->uncollectable (they start at
     *     0): gclab_collect returns collected + uncollectable, and they are
     *     added to h->stats[generation] [debug: each >= 0 and
     *     collected + uncollectable <= examined].
     *   - Before running any code that may free, allocate or track objects
     *     (a decref, tp_clear, a finalizer, gclab_get_garbage), leave every
     *     tracked container on a doubly linked list with a valid prev
     *     pointer (no gc_refs in it): a freed container is unlinked with
     *     gc_list_remove, and a new or newly tracked one is appended to
     *     h->young, which must then be a valid list the collection is not
     *     walking.
     *   - Survivors, and containers tracked during the collection, end on
     *     the collector's own lists, the ones gather hands over.  A
     *     container may be untracked instead (gc_list_remove) when
     *     gclab__tuple_untrackable / gclab__dict_untrackable allow it.
     *   - The GC_FINALIZED bit is the runtime's: read it, never write it.
     *   - The runtime does not require collect to lower h->gc_count.  Like
     *     CPython's, the generational family resets it to 0, and its
     *     on_trigger relies on that; `refcount` leaves it alone. */
    void (*collect)(gclab_heap *h, int generation, gclab_gc_info *info);

    /* gc_count exceeded auto_trigger.  NULL: nothing happens.  Called at a
     * safe point -- a container allocation (before the new object exists),
     * or an atom allocation or gclab_poll() when an interrupt was pending --
     * after the pending interrupt handlers, and only while collection is
     * enabled and none is running: never from inside collect, but from a
     * finalizer that refcounting runs, or an interrupt handler, it may be.
     * Post [debug]: it made progress -- it ran a collection through
     * gclab__collect, moved h->auto_trigger, or brought gc_count down to
     * auto_trigger -- and gc_trigger is current (it called
     * gclab__update_trigger after moving auto_trigger).  Otherwise every
     * container allocation from then on calls it again.  A collection is
     * progress even when the finalizers it ran allocated past the trigger
     * again: the next allocation collects again, as in CPython.  Allocate
     * no container before collecting or moving the trigger: the allocation
     * would call on_trigger again from inside itself. */
    void (*on_trigger)(gclab_heap *h);
    /* A decref left o alive.  NULL: the inline decref does not call out.
     * Read once, at heap creation (h->head.on_decref_live).  When set, it is
     * called on the hot path: for every decref of a mortal object whose
     * count stays above 0 -- atoms and untracked containers too -- from
     * workloads, from the runtime's own operations, from inside another
     * object's tp_clear or tp_dealloc, from collections (h->collecting set)
     * and from the teardown after gather.  So it must cost a few
     * instructions (a test and a list append), and it must not allocate or
     * free, incref or decref, traverse or clear, or start a collection,
     * directly or through a public function that may: the runtime may be
     * half-way through an operation.  Reading o and its header is fine.
     * It hears nothing when o is freed later, so it must not keep a raw
     * pointer to o.  To remember a container, link o's GC header into a
     * list of the collector's own -- a freed container is unlinked from
     * whatever list it is on -- and only when o is a tracked container and
     * h->collecting is not set (a collection threads its own lists, and
     * keeps gc_refs, in those headers). */
    void (*on_decref_live)(gclab_heap *h, gclab_object *o);
    /* h->thresholds changed.  NULL: auto_trigger = thresholds[0], or never
     * if 0.  Called by gclab_set_threshold (also for the configured
     * thresholds, right after init) once 1 .. info.nthresholds values, each
     * >= 0, are validated and stored (only the first n change); never for a
     * collector with nthresholds 0.  Set h->auto_trigger; the runtime calls
     * gclab__update_trigger after. */
    void (*thresholds_changed)(gclab_heap *h);
    /* gc.get_count: write up to max counts, return how many.  NULL: gc_count only. */
    int (*get_count)(const gclab_heap *h, long *counts, int max);
    /* gc.freeze / gc.unfreeze / gc.get_freeze_count.  NULL: no-op / 0.
     * Frozen containers stay tracked, on a list of the collector's that
     * gather hands over (and, as in CPython, that no collection examines). */
    void (*freeze)(gclab_heap *h);
    void (*unfreeze)(gclab_heap *h);
    long (*get_freeze_count)(const gclab_heap *h);
    /* A workload event (gclab_event).  NULL: ignored.  `name` is borrowed:
     * copy what you keep. */
    void (*on_event)(gclab_heap *h, const char *name);
    /* The roots are gone; last chance to collect.  NULL: nothing.  Called
     * at most once, by gclab_heap_shutdown (which gclab_heap_free calls),
     * after the frames, the globals and gc.garbage are released; what is
     * alive after it returns (and gc.garbage is released again) counts as
     * leaked.  A collector that collects on a timer stops it here, so that
     * no collection follows the leak count (policy.c does). */
    void (*at_exit)(gclab_heap *h);
    /* Figures of the collector's own (PHP's gc_status(): runs, roots, ...):
     * write up to max names and values, return how many there are.  NULL:
     * none.  Names are static strings; read-only, callable at any time. */
    int (*figures)(const gclab_heap *h, const char **names, long long *values, int max);
};

/* The registry: every backend, in the order `gclab list` shows them. */
#define GCLAB_COLLECTOR(name) extern const gclab_collector gclab_collector_##name;
#include "registry.def"
#undef GCLAB_COLLECTOR

const gclab_collector *gclab__collector_find(const char *name);

#endif
