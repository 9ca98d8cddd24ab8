/*
 * harness/runner.h -- a suite's runs, each a fresh `gclab run` child
 * process: warm-ups, interleaved rounds, -j at once, timeouts, failures
 * recorded, progress, a clean stop on Ctrl-C / SIGTERM, and resuming.
 */
#ifndef GCLAB_HARNESS_RUNNER_H
#define GCLAB_HARNESS_RUNNER_H

#include "suite.h"

#include <stddef.h>

typedef struct runner_opts {
    int jobs;         /* runs at once */
    double timeout_s; /* per run; 0: none */
    const char *gclab; /* the gclab binary the children exec */
    int progress;     /* 1: a redrawn bar (a terminal); 0: one line per finished run */
    int quiet;        /* nothing but errors */
} runner_opts;

typedef struct runner_outcome {
    size_t total;       /* measured runs in the suite */
    size_t done_before; /* already finished when it started (--resume) */
    size_t ok, failed;  /* finished now or before */
    int signal;         /* the signal that stopped it, or 0 */
} runner_outcome;

/* Run every measured run of s that dir/runs/ does not already hold: a run
 * is finished when dir/runs/KEY/runs.csv exists (ok or failed); a folder
 * without it is what an interrupted run left, and is made again.  Logs go
 * to dir/logs/KEY.log.  Returns 0 (every run finished, or stopped by a
 * signal: see out->signal), or -1 with one line in err. */
int runner_run(const suite *s, const char *dir, const runner_opts *o, runner_outcome *out, char *err,
               size_t errlen);

/* Remove a folder and everything in it.  Returns 0 or -1 (errno). */
int runner_rm_rf(const char *path);

#endif
