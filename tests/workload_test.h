/*
 * tests/workload_test.h -- run a workload through the real harness
 * (config_build, then run_once) under a collector, with small parameters, for the workload
 * tests.  Fails the test with the harness's message if the run fails.
 */
#ifndef GCLAB_WORKLOAD_TEST_H
#define GCLAB_WORKLOAD_TEST_H

#include "test.h"

#include "harness/config.h"
#include "harness/run.h"

#include <string.h>

/* Run `workload` under `collector` with "key=value" settings (NULL-ended);
 * recording on, no sampler thread.  The caller frees res with
 * run_result_free. */
static inline void run_workload(const char *collector, const char *workload_name,
                                const char *const *settings, run_result *res)
{
    run_config cfg = {.seed = 1, .record = 1, .sample_ms = 0};
    size_t n = 0;
    while (settings && settings[n])
        n++;
    /* Built as gclab run builds it: a setting may be for the collector too. */
    config_spec spec = {.collector = collector, .workload = workload_name, .settings = settings,
                        .nsettings = n, .prepare = 1};
    config_error ce;
    if (config_build(&cfg, &spec, &ce) != 0)
        fail_msg("%s under %s: %s", workload_name, collector, ce.msg);
    char err[512];
    int rc = run_once(&cfg, res, err, sizeof err);
    config_release(&cfg);
    if (rc != 0)
        fail_msg("%s under %s: %s", workload_name, collector, err);
}

/* Sum of a run's collections over every generation. */
static inline long run_collected(const run_result *r)
{
    long n = 0;
    for (int i = 0; i < r->ngenerations; i++)
        n += r->gen[i].collected;
    return n;
}

/* Does this collector reclaim cycles (every registered collector is tested)? */
static inline int reclaims_cycles(const char *collector)
{
    return (gclab_collector_find(collector)->flags & GCLAB_COLLECTOR_RECLAIMS_CYCLES) != 0;
}

/* Does it collect by itself, as the heap grows (not only when asked)? */
static inline int collects_automatically(const char *collector)
{
    return (gclab_collector_find(collector)->flags & GCLAB_COLLECTOR_AUTOMATIC) != 0;
}

/* Does it examine only what possible roots reach, collecting when its root
 * buffer is full (trial deletion) rather than tracing every tracked container
 * after a number of allocations? */
static inline int from_possible_roots(const char *collector)
{
    return (gclab_collector_find(collector)->flags & GCLAB_COLLECTOR_POSSIBLE_ROOTS) != 0;
}

#endif
