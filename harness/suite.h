/*
 * harness/suite.h -- a suite: a matrix of configurations (workloads x
 * collectors x thresholds x parameters) and how to run it (repeats,
 * warm-up, jobs, timeout), read from a YAML file (docs/suites.md).
 */
#ifndef GCLAB_HARNESS_SUITE_H
#define GCLAB_HARNESS_SUITE_H

#include "run.h"

#include <stddef.h>
#include <stdint.h>

/* One configuration: what one `gclab run` command line sets. */
typedef struct suite_config {
    char *label;      /* config_label(): runs.csv's config */
    char *collector, *workload;
    char **settings;  /* "key=value", for the workload or the collector */
    size_t nsettings;
    uint64_t seed;
    int line;         /* where the suite file made it (1-based) */
    run_config cfg;   /* built and checked (thresholds included); its settings point into `settings` */
} suite_config;

typedef struct suite {
    char *name;
    char *path;   /* the file it came from */
    char *text;   /* the file's text, as read */
    int repeat;   /* measured runs per configuration */
    int warmup;   /* unmeasured runs per configuration, before the first round */
    int jobs;     /* runs at once */
    double timeout_s;     /* per run; 0: none */
    long memory_limit_mb; /* RLIMIT_AS per run; 0: none */
    unsigned sample_ms;
    uint64_t seed;
    suite_config *configs;
    size_t nconfigs;
    const char *calibration; /* --calibration for every run (not owned; not in the file), or NULL */
} suite;

/* The most configurations one suite may make (its matrix entries' products
 * added up): more is a mistake in a grid, or a study for several suites. */
#define SUITE_MAX_CONFIGS 4096

/* Read and check a suite file: every key known, every value valid, every
 * configuration one that `gclab run` accepts.  Returns 0, or -1 with one
 * line in err: "FILE:LINE: ..." (or "FILE: ..." when it cannot be read). */
int suite_load(const char *path, suite *s, char *err, size_t errlen);
/* The same from text in memory; `name` stands for the file in messages. */
int suite_parse(const char *name, const char *text, size_t len, suite *s, char *err, size_t errlen);
void suite_free(suite *s);
/* The text of the suite file at path: a regular file of at most
 * UTIL_MAX_SUITE_BYTES (harness/util.h).  NULL with errno set (ENOENT: it
 * is not there) and one line in err: "FILE: cannot read the suite file: ...". */
char *suite_read(const char *path, size_t *len, char *err, size_t errlen);

/* A grid of threshold values: "5,10,20" (a list), "100:1000:100" (start,
 * stop, step: 100, 200, ... 1000) or "100:10000:log3" (3 points evenly
 * spaced on a log axis from start to stop, both included, rounded to
 * integers, duplicates dropped).  Returns the count (>= 1) with *values
 * malloc'd, or -1 with one line in err. */
long suite_grid(const char *spec, long **values, char *err, size_t errlen);

/* One run of the suite: a configuration's repeat, or a warm-up (repeat -1). */
typedef struct suite_run {
    size_t config;
    int repeat;
    char key[128]; /* its folder under runs/: c003-web-generational-r2 */
} suite_run;

/* The measured runs in the order to run them: round by round (repeat 0 of
 * every configuration, then repeat 1...), each round in its own shuffled
 * order (seeded by the suite's seed), so drift over time hits every
 * configuration alike.  Returns the count, with *runs malloc'd. */
size_t suite_schedule(const suite *s, suite_run **runs);

/* Fill r->key from r->config and r->repeat. */
void suite_run_key(const suite *s, suite_run *r);

/* The `gclab run` argument vector for a run writing into outdir (argv[0]
 * is gclab).  Returns argc; argv holds pointers into s and into buf. */
int suite_argv(const suite *s, const suite_run *r, const char *gclab, const char *outdir, char **argv,
               size_t maxargs, char *buf, size_t buflen);

#endif
