/*
 * gclab/gclab.h -- a CPython-like heap with interchangeable cycle collectors.
 *
 * The three calls most people need:
 *
 *     char err[256];
 *     gclab_heap *h = gclab_heap_new("generational", NULL, err, sizeof err);
 *     ... build objects (gclab/object.h), keep live ones in roots ...
 *     long n = gclab_collect(h, 2);            // gc.collect()
 *     gclab_heap_free(h, NULL);
 *
 * The collector API is named after Python's gc module, so that a Python user
 * maps it one to one: gc.collect -> gclab_collect, gc.get_threshold ->
 * gclab_get_threshold, gc.freeze -> gclab_freeze, gc.callbacks ->
 * gclab_callback_add, gc.garbage -> gclab_get_garbage, and so on.
 */
#ifndef GCLAB_GCLAB_H
#define GCLAB_GCLAB_H

#include <gclab/object.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Parameters: typed, with defaults and units, shared by collectors and
 * workloads.  One table per plugin generates its help, its validation and
 * its CSV columns. */

typedef enum gclab_param_type {
    GCLAB_PARAM_INT,    /* integer within [min, max] */
    GCLAB_PARAM_DOUBLE, /* real within [min, max] */
    GCLAB_PARAM_BOOL,   /* true/false, yes/no, on/off, 1/0 */
    GCLAB_PARAM_CHOICE, /* one of `choices`, separated by '|' */
    GCLAB_PARAM_STRING  /* any text, e.g. a file name */
} gclab_param_type;

typedef struct gclab_param {
    const char *name;
    gclab_param_type type;
    const char *def;     /* default value, as text */
    const char *unit;    /* "ms", "bytes", "objects", "" ... */
    double min, max;     /* range for INT and DOUBLE */
    const char *choices; /* for CHOICE: "a|b|c" */
    const char *help;    /* one line */
} gclab_param;

typedef union gclab_value {
    long long i;   /* INT, BOOL, and CHOICE (the index of the choice) */
    double d;      /* DOUBLE */
    const char *s; /* STRING: points into the setting (or the default) */
} gclab_value;

/* The index of the parameter named by the first keylen bytes of key, or -1. */
int gclab_param_find(const gclab_param *params, size_t nparams, const char *key, size_t keylen);
/* "a, b, c" (or "none"), for error messages; truncated to len - 1 bytes
 * and terminated; nothing is written when len is 0. */
void gclab_param_names(const gclab_param *params, size_t nparams, char *buf, size_t len);

/* Parse "key=value" settings against a table into out[0..nparams) (defaults
 * first, then the settings in order).  On a bad setting returns -1 and
 * writes one line naming the problem and the valid choices to err. */
int gclab_params_parse(const gclab_param *params, size_t nparams, const char *owner,
                       const char *const *settings, size_t nsettings, gclab_value *out,
                       char *err, size_t errlen);

/* ------------------------------------------------------------------ */
/* Collectors */

#define GCLAB_MAX_GENERATIONS 3

/* What a collector promises; the conformance test checks each promise. */
#define GCLAB_COLLECTOR_RECLAIMS_CYCLES 1u /* gclab_collect(h, oldest) frees all cyclic garbage */
#define GCLAB_COLLECTOR_AUTOMATIC 2u       /* collects by itself as the heap grows (thresholds) */
/* Trial deletion (PHP): a collection examines only what the buffered possible
 * roots reach, and the automatic ones start when the root buffer is full,
 * not after a number of allocations; containers are never untracked. */
#define GCLAB_COLLECTOR_POSSIBLE_ROOTS 4u

typedef struct gclab_collector_info {
    const char *name;
    const char *description; /* one line */
    const gclab_param *params;
    size_t nparams;
    unsigned flags;        /* GCLAB_COLLECTOR_* */
    int ngenerations;      /* valid arguments of gclab_collect: 0 .. n-1 */
    int nthresholds;       /* how many values set_threshold takes (0: none) */
    long default_thresholds[GCLAB_MAX_GENERATIONS];
} gclab_collector_info;

size_t gclab_collector_count(void);
const gclab_collector_info *gclab_collector_at(size_t i);
const gclab_collector_info *gclab_collector_find(const char *name);
/* "refcount, generational" -- for error messages. */
const char *gclab_collector_names(void);

/* The version profiles of the generational family (the `profile` parameter
 * of generational, disabled, manual-time and manual-event): how many, the
 * i-th's name (NULL past the end), and one line saying what it sets. */
size_t gclab_profile_count(void);
const char *gclab_profile_name(size_t i);
void gclab_profile_describe(size_t i, char *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Heaps */

typedef struct gclab_config {
    long thresholds[GCLAB_MAX_GENERATIONS]; /* used when nthresholds > 0 */
    int nthresholds;                        /* 0: the collector's defaults */
    const char *const *params;              /* "key=value" for the collector */
    size_t nparams;
    /* Observer: called for every object just before its memory is freed.
     * For oracles and debugging tools; NULL costs one predictable branch.
     * Like the statistics, it leaves out a profile's start-up heap (the
     * interpreter's objects, not the program's). */
    void (*on_free)(gclab_heap *h, gclab_object *o, void *arg);
    void *on_free_arg;
    /* The clock time-triggered collection reads, in ns; NULL: CLOCK_MONOTONIC.
     * Tests give a fake one. */
    uint64_t (*clock_ns)(void *arg);
    void *clock_arg;
} gclab_config;

/* Create a heap driven by the named collector.  NULL config = defaults.
 * On error returns NULL and writes one line to err. */
gclab_heap *gclab_heap_new(const char *collector, const gclab_config *config, char *err,
                           size_t errlen);
const gclab_collector_info *gclab_heap_collector(const gclab_heap *h);

typedef struct gclab_count {
    size_t objects;
    size_t bytes;
} gclab_count;

/* What was still alive after the roots were dropped at the end. */
typedef struct gclab_leak_report {
    gclab_count leaked;                   /* all kinds */
    gclab_count by_kind[GCLAB_NKINDS];
} gclab_leak_report;

/* The end of the program: drop the roots, let the collector do its exit
 * work (`generational` collects once more), and report what is still alive
 * (under `refcount`: the cyclic garbage).  After this the heap may only be
 * freed.  A real process would exit here; a benchmark stops its clock here. */
void gclab_heap_shutdown(gclab_heap *h, gclab_leak_report *report);

/* Shut down if not done yet, then free every object and the heap.
 * Finalizers do not run for objects freed by this final sweep. */
void gclab_heap_free(gclab_heap *h, gclab_leak_report *report);

/* Heap accounting, kept on every allocation and free.  Bytes are what the
 * objects asked the allocator for, including the GC header and the buffers
 * a container owns (list items, dict tables). */
typedef struct gclab_heap_stats {
    gclab_count live;                  /* live objects and bytes now */
    gclab_count by_kind[GCLAB_NKINDS]; /* live, by kind */
    unsigned long long allocations;    /* objects ever allocated */
    unsigned long long frees;          /* objects ever freed */
} gclab_heap_stats;

void gclab_heap_get_stats(const gclab_heap *h, gclab_heap_stats *out);
const char *gclab_kind_name(gclab_kind k);
/* What an object of kind k with n items (characters, bytes, tuple items,
 * list slots, instance slots; a dict's table not included) takes in gclab's
 * own sizes, whatever a profile counts.  A workload that sizes its heap in
 * bytes sizes it with these (or a fixed estimate made from them), so that
 * it does the same work under every collector and profile. */
size_t gclab_own_size(gclab_kind k, size_t n);

/* ------------------------------------------------------------------ */
/* Roots: where workloads keep what is live.  A collector that marks from
 * roots (CPython 3.14's incremental one) starts here; the refcount-based
 * ones see these as references from outside the heap. */

gclab_object *gclab_globals(gclab_heap *h); /* borrowed; a dict */

typedef struct gclab_frame gclab_frame;
gclab_frame *gclab_frame_push(gclab_heap *h, size_t nslots); /* empty slots */
void gclab_frame_pop(gclab_heap *h);                          /* releases its slots */
gclab_frame *gclab_frame_top(gclab_heap *h);                  /* NULL if none */
size_t gclab_frame_nslots(const gclab_frame *f);
/* Store o (which may be NULL) in slot i: 0, or -1 if i is out of range (nothing stored). */
int gclab_frame_set(gclab_heap *h, gclab_frame *f, size_t i, gclab_object *o);
gclab_object *gclab_frame_get(const gclab_frame *f, size_t i); /* borrowed; NULL if out of range */
/* Visit the globals dict, then every non-empty frame slot, innermost frame first. */
int gclab_visit_roots(gclab_heap *h, gclab_visitproc visit, void *arg);

/* Interrupts (CPython's eval breaker): ask the heap's own thread to run the
 * registered handlers at its next safe point -- the next container
 * allocation, or gclab_poll().  gclab_interrupt is safe to call from another
 * thread or a signal handler; it costs the allocation path nothing.  Timers
 * use it: the harness's sampler, time-triggered collection.  Handlers never
 * run inside a handler: an interrupt raised while they run waits for the
 * first safe point after they return. */
typedef void (*gclab_interrupt_handler)(gclab_heap *h, void *arg);
int gclab_interrupt_handler_add(gclab_heap *h, gclab_interrupt_handler fn, void *arg); /* 0 or -1 */
void gclab_interrupt(gclab_heap *h);
/* A safe point: workloads that go long without allocating a container call it. */
void gclab_poll(gclab_heap *h);

/* A call of a builtin type with nargs positional arguments: range(n),
 * list(x), dict(x)...  Under a profile whose version builds an argument
 * tuple for it (3.8: their tp_new takes one) the heap counts that tuple's
 * allocation and free, as CPython does; otherwise nothing.  The trace
 * replay calls it where a `repeat` block starts (`for _ in range(n)`). */
void gclab_builtin_call(gclab_heap *h, size_t nargs);
/* on = 1: the workload calls gclab_poll wherever CPython checks its eval
 * breaker (after a call, at a loop's backward jump), as the trace replay
 * does; then a collection a deferred profile (cpython-3.12, -3.13)
 * schedules runs at the next gclab_poll only, as CPython's runs at the next
 * check, and not at the next allocation (the default: a workload that does
 * not mark its checks still collects).  Other interrupts are not affected. */
void gclab_set_explicit_safe_points(gclab_heap *h, int on);

/* A workload announces a named event ("request_end", "idle"); collectors that
 * collect on events hear it, the others ignore it. */
void gclab_event(gclab_heap *h, const char *name);

/* ------------------------------------------------------------------ */
/* The gc module */

/* gc.collect(generation): collected + uncollectable, or -1 if the
 * generation is out of range.  0 if a collection is already running. */
long gclab_collect(gclab_heap *h, int generation);

void gclab_enable(gclab_heap *h);
void gclab_disable(gclab_heap *h);
int gclab_isenabled(const gclab_heap *h);

/* n values; 0 for threshold0 disables automatic collection.  Returns 0, or
 * -1 (with a line in err, which may be NULL) if n or a value is invalid. */
int gclab_set_threshold(gclab_heap *h, const long *thresholds, int n, char *err, size_t errlen);
int gclab_get_threshold(const gclab_heap *h, long *thresholds, int max); /* returns n */
int gclab_get_count(const gclab_heap *h, long *counts, int max);         /* returns n */

typedef struct gclab_gen_stats {
    long collections;
    long collected;
    long uncollectable;
} gclab_gen_stats;
int gclab_get_stats(const gclab_heap *h, gclab_gen_stats *stats, int max); /* returns n */
/* The collector's own figures (trial-deletion: PHP's gc_status() -- runs,
 * collected, threshold, roots, buffer_size and the times in ns): up to max
 * names (static strings) and values; returns how many the collector has
 * (0 for a collector without any). */
int gclab_collector_figures(const gclab_heap *h, const char **names, long long *values, int max);

void gclab_freeze(gclab_heap *h);
void gclab_unfreeze(gclab_heap *h);
long gclab_get_freeze_count(const gclab_heap *h);

/* gc.garbage: a list of the uncollectable objects found so far (borrowed). */
gclab_object *gclab_get_garbage(gclab_heap *h);

typedef enum gclab_reason {
    GCLAB_REASON_THRESHOLD, /* an allocation crossed a threshold */
    GCLAB_REASON_MANUAL,    /* gclab_collect */
    GCLAB_REASON_TIME,      /* a timer */
    GCLAB_REASON_EVENT,     /* a workload event */
    GCLAB_REASON_EXIT       /* the final collection at heap teardown */
} gclab_reason;
const char *gclab_reason_name(gclab_reason r);

typedef enum gclab_gc_phase { GCLAB_GC_START, GCLAB_GC_STOP } gclab_gc_phase;

typedef struct gclab_gc_info {
    int generation;
    gclab_reason reason;
    long examined;      /* objects the collection looked at (STOP only) */
    long collected;     /* STOP only */
    long uncollectable; /* STOP only */
} gclab_gc_info;

/* gc.callbacks: called at the start and the stop of every collection. */
typedef void (*gclab_gc_callback)(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info,
                                  void *arg);
int gclab_callback_add(gclab_heap *h, gclab_gc_callback cb, void *arg);    /* 0 or -1 */
int gclab_callback_remove(gclab_heap *h, gclab_gc_callback cb, void *arg); /* 0 or -1 */

const char *gclab_version(void);

/* When an allocation finds no memory, the heap calls the out-of-memory
 * handler with the size it asked for; the handler must not return (it
 * exits the process).  The default writes "gclab: out of memory allocating
 * N bytes" on stderr and aborts.  NULL restores the default.  One handler
 * for the process; set it before any heap exists. */
typedef void (*gclab_oom_handler)(size_t size);
void gclab_set_oom_handler(gclab_oom_handler fn);

#ifdef __cplusplus
}
#endif
#endif
