/*
 * harness/run.h -- one run measured completely: a workload on a fresh heap
 * under one collector, with every collection, memory over time, counters.
 */
#ifndef GCLAB_HARNESS_RUN_H
#define GCLAB_HARNESS_RUN_H

#include "../workloads/workload.h"
#include "perfcount.h"

#include <gclab/gclab.h>

#include <stdint.h>

#define RUN_MAX_PARAMS 32

struct calib_choice; /* harness/calibration.h */
#define RUN_MAX_SETTINGS 64

typedef struct run_config {
    const gclab_collector_info *collector;
    const workload *workload;
    gclab_value wparams[RUN_MAX_PARAMS]; /* the workload's, in table order */
    void *wstate;                        /* what the workload's prepare made */
    const char *csettings[RUN_MAX_SETTINGS]; /* "key=value" for the collector */
    size_t ncsettings;
    long thresholds[GCLAB_MAX_GENERATIONS];
    int nthresholds; /* 0: the collector's defaults */
    uint64_t seed;
    int record;         /* record every collection (0: --no-record) */
    unsigned sample_ms; /* RSS and heap sampled every this many ms */
    const char *config; /* the configuration's label (suites group repeats by it) */
    int repeat;         /* which repeat of the configuration: 0, 1, 2... */
    const struct calib_choice *calib; /* the pause model (--calibration), or NULL */
} run_config;

/* One collection, as recorded. */
typedef struct pause_event {
    uint64_t start_ns; /* from the run's start */
    uint64_t duration_ns;
    long examined, collected, uncollectable;
    int generation;
    gclab_reason reason;
} pause_event;

/* Memory at one instant. */
typedef struct mem_sample {
    uint64_t t_ns;
    int64_t rss_bytes; /* -1: could not be read */
    uint64_t live_objects, live_bytes;
    int64_t allocator[3]; /* jemalloc stats.allocated/active/resident; -1: NA */
} mem_sample;

/* A worker process's memory at one instant (smaps_rollup). */
typedef struct worker_sample {
    int worker;
    uint64_t t_ns;
    int64_t rss_bytes, pss_bytes, shared_bytes, private_dirty_bytes;
} worker_sample;

#define RUN_ID_LEN 64

typedef struct run_result {
    char run_id[RUN_ID_LEN];
    uint64_t wall_ns, cpu_ns;
    uint64_t ops, allocations;
    long thresholds[GCLAB_MAX_GENERATIONS]; /* in force at the start */
    int nthresholds;
    gclab_gen_stats gen[GCLAB_MAX_GENERATIONS];
    int ngenerations;
    pause_event *pauses; /* every collection, in order (empty without recording) */
    size_t npauses;
    mem_sample *samples;
    size_t nsamples;
    int64_t peak_rss_bytes;
    long peak_garbage_objects; /* -1: not recorded */
    gclab_leak_report leaks;
    size_t leaked_containers;
    int64_t counters[PC_N];
    uint64_t *latency_ns; /* the workload's requests, if it has any */
    size_t nlatency;
    worker_sample *workers; /* every worker's memory over time, if it forks */
    size_t nworkers_samples;
    int nworkers;
    /* At each worker's end (its last sample), summed: -1 without workers. */
    int64_t shared_end_bytes, private_dirty_end_bytes;
    int64_t pss_total_bytes; /* workers' Pss at their end + this process's at the last end */
} run_result;

/* A new unique run id: UTC start time and a process-unique suffix. */
void run_make_id(char *out, size_t len);

/* Run it.  Returns 0, or -1 with one line in err (the heap could not be
 * made, or the workload failed). */
int run_once(const run_config *cfg, run_result *res, char *err, size_t errlen);
void run_result_free(run_result *res);

/* Make running out of memory in this process end it as a failed run, not a
 * crash: one line, "gclab: run failed: out of memory allocating N bytes",
 * and exit status EXIT_OOM (3), with nothing written. */
void run_exit_on_oom(void);

/* Does this build report allocator statistics (jemalloc)? */
int run_has_allocator_stats(void);

#endif
