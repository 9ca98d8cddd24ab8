/*
 * workloads/workload.h -- the interface every workload implements.
 *
 * A workload drives the heap through the public object API only
 * (include/gclab/) and never names a collector: it keeps what is live in
 * the roots, drops the rest, and announces events with gclab_event().  One
 * workload per file, everything static but its `workload` table, listed in
 * workloads/registry.def.  Randomness comes from splitmix64 seeded with the
 * run's seed, so a run is reproduced by its seed.
 */
#ifndef GCLAB_WORKLOAD_H
#define GCLAB_WORKLOAD_H

#include <gclab/gclab.h>

#include "../runtime/splitmix64.h" /* splitmix64(): every workload's randomness */

#include <stdint.h>

/* What a running workload reports to the harness. */
typedef struct workload_ctx {
    uint64_t ops; /* operations done: the workload adds to it as it goes */
    void *state;  /* what prepare made, if the workload has a prepare */
    /* Latency of the workload's own requests, as its users would see it
     * (pauses included): one entry per request, via workload_latency(). */
    uint64_t *latency_ns;
    size_t nlatency, latency_cap;
    /* Set by the harness: hears of worker processes (workload_worker_*). */
    void (*on_worker)(void *arg, int worker, long pid, int done);
    void *on_worker_arg;
} workload_ctx;

/* Monotonic nanoseconds, for timing requests. */
uint64_t workload_now_ns(void);
/* Record one request's latency. */
void workload_latency(workload_ctx *ctx, uint64_t ns);

/* Pre-fork servers: a workload that forks worker processes registers each
 * one as it starts, so that the harness samples its memory (smaps_rollup:
 * shared, private, Pss) while it runs, and says when it is done -- while the
 * worker still exists, before letting it exit -- for the last sample. */
void workload_worker_started(workload_ctx *ctx, int worker, long pid);
void workload_worker_done(workload_ctx *ctx, int worker, long pid);

typedef struct workload {
    const char *name;
    const char *description; /* one line */
    const char *op;          /* what one operation is: "cycle", "request", ... */
    /* Settings ("key=value ...") for a run of a few milliseconds: the
     * size tests/test_workloads.c runs it at under every collector.  Every
     * workload has one, so no workload goes untested. */
    const char *smoke;
    const gclab_param *params;
    size_t nparams;
    /* Run to completion on h.  `params` holds nparams values in table order.
     * Returns 0, or -1 with one line in err. */
    int (*run)(gclab_heap *h, const gclab_value *params, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen);
    /* Optional: before the run and outside the measured region, check the
     * input further than the parameter table can (read and parse a file)
     * and make *state for run (ctx->state).  An error here is bad input:
     * -1 with one line in err naming the problem (exit status 2). */
    int (*prepare)(const gclab_value *params, void **state, char *err, size_t errlen);
    /* Optional: free what prepare made. */
    void (*release)(void *state);
} workload;

#define GCLAB_WORKLOAD(id) extern const workload workload_##id;
#include "registry.def"
#undef GCLAB_WORKLOAD

size_t workload_count(void);
const workload *workload_at(size_t i);
const workload *workload_find(const char *name);
const char *workload_names(void); /* "seed-cycles, ..." for error messages */

#endif
