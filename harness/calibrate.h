/*
 * harness/calibrate.h -- `gclab calibrate`: the paired corpus run on real
 * interpreters and on gclab under the matching profile, side by side.
 *
 * A corpus program is two files in the corpus folder (workloads/corpus/):
 * NAME.py, the Python program, and NAME.trace, the same program in the
 * trace format (docs/trace-format.md).  NAME.py is plain module-level
 * Python; a line `#-- measure` divides it into a setup (imports, classes:
 * what the interpreter does before the program proper) and the measured
 * program.  gclab runs the Python side as
 *
 *     import gc
 *     <setup>
 *     _c0 = gc.get_count()        # the counts where the program starts
 *     _ck = []
 *     _s0 = gc.get_stats()
 *     <measured program>          # `_ck.append(gc.get_count())` = `checkpoint`
 *     _s1 = gc.get_stats()
 *     _f = gc.collect()
 *     print(...)                  # the deltas, _f, _ck
 *
 * and mirrors every line of that frame on its side (a 3-tuple; a list; a
 * list of three dicts, read after the statistics as gc_get_stats reads them;
 * the trace; a list of three dicts; a full collection), on a heap whose
 * start-up state is what the interpreter had where `_c0` is read: the
 * counts are `_c0` itself (compiling the program moves count[0] by tens, so
 * no other run can measure them), the number of tracked objects is
 * len(gc.get_objects()) from a probe run of the same text stopped there.
 * gclab's heap starts lower by what its own making counts (its globals
 * dict), so that its count equals `_c0` there.  A second Python run with a
 * gc.callbacks hook times every collection for the pause fit.
 */
#ifndef GCLAB_HARNESS_CALIBRATE_H
#define GCLAB_HARNESS_CALIBRATE_H

#include <stddef.h>

#define CALIB_MAX_CHECKPOINTS 64
#define CALIB_STARTUP_LEN 320 /* a startup=... setting with every free list */
/* Each side's program is timed this many times; each pause is the
 * shortest of its runs. */
#define CALIB_TIMING_RUNS 3

typedef struct calib_program {
    char *name;       /* NAME */
    char *setup;      /* NAME.py above `#-- measure` ("" without it) */
    char *body;       /* NAME.py below it (all of it without it) */
    char *trace;      /* NAME.trace's text */
    size_t trace_len;
    char *trace_path; /* for messages */
} calib_program;

typedef struct calib_corpus {
    calib_program *v;
    size_t n;
} calib_corpus;

/* Load every NAME.py with its NAME.trace from dir, in name order; `only`,
 * if not NULL, a comma-separated list of NAMEs to keep (each must exist).
 * 0, or -1 with one line in err (no such folder, a .py without its .trace,
 * an unknown name, an unreadable file, no program at all). */
int calib_corpus_load(const char *dir, const char *only, calib_corpus *out, char *err, size_t errlen);
void calib_corpus_free(calib_corpus *c);

/* One interpreter: its path, version ("3.11.2") and the profile of that
 * version ("cpython-3.11"). */
typedef struct calib_python {
    char path[1024];
    char version[32];
    char profile[32];
} calib_python;

/* Run path, read its version and find the profile.  -1 with one line in
 * err: not an interpreter, it fails, or no profile for its version (the
 * line names the versions that have one). */
int calib_python_identify(const char *path, calib_python *out, char *err, size_t errlen);

typedef struct calib_pause {
    int generation;
    long examined, collected;
    double ns; /* the pause */
} calib_pause;

/* One side's measurement of one program. */
typedef struct calib_result {
    long collections[3], collected[3], uncollectable[3]; /* over the measured program */
    long final;                                          /* the closing gc.collect() */
    long checkpoints[CALIB_MAX_CHECKPOINTS][3];
    size_t ncheckpoints;
    calib_pause *pauses; /* every collection, timed (free it) */
    size_t npauses;
    char startup[CALIB_STARTUP_LEN]; /* the start-up state (cpython: measured; gclab: used) as startup=... */
} calib_result;

void calib_result_free(calib_result *r);

/* The Python side: the start-up probe, the counting run and the timing run.
 * 0, or -1 with one line in err (the interpreter failed: the program's
 * exception is in the line). */
int calib_run_cpython(const calib_python *py, const calib_program *p, calib_result *out, char *err,
                      size_t errlen);

/* gclab's side: the trace under `profile`, started from `startup` (a
 * startup=... setting, e.g. the Python side's).  0, or -1 with err. */
int calib_run_gclab(const char *profile, const char *startup, const calib_program *p, calib_result *out,
                    char *err, size_t errlen);

/* Least squares: ns = a + b * examined + c * collected over n pauses. */
typedef struct calib_fit {
    size_t n;
    double a, b, c; /* ns, ns per examined object, ns per collected object */
    double r2;      /* NaN when undefined (every pause the same) */
    int ok;         /* 0: too few pauses or a singular system */
} calib_fit;

calib_fit calib_fit_pauses(const calib_pause *const *sets, const size_t *counts, size_t nsets);

/* The tolerance of issue 11: collections per generation within 2% (gen 2
 * within max(1, 2%)); collected and the final collect's value equal. */
int calib_within(const char *metric_kind, long gclab, long cpython);

#endif
