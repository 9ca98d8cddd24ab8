/*
 * harness/calibration.h -- a pause model (`gclab calibrate`'s
 * pause-model.csv): for each CPython interpreter and for gclab, the cost of
 * one collection on this machine as a + b x examined + c x collected.  A run
 * given one (`--calibration FILE`) estimates, for each of its collections,
 * the pause CPython would take for the same work.
 *
 * pause-model.csv (RFC 4180, read with harness/csv.c):
 *   source,python,version,profile,pauses,a_ns,b_ns,c_ns,r2
 * source is cpython or gclab; pauses a non-negative integer; a_ns, b_ns,
 * c_ns finite numbers; r2 in [0,1], or empty when undefined.
 */
#ifndef GCLAB_HARNESS_CALIBRATION_H
#define GCLAB_HARNESS_CALIBRATION_H

#include "run.h"

#include <stddef.h>
#include <stdint.h>

/* The file's name in a folder given instead of the file. */
#define CALIB_FILE_NAME "pause-model.csv"

typedef struct calib_row {
    char *source, *python, *version, *profile;
    long long pauses;
    double a_ns, b_ns, c_ns;
    double r2;  /* NAN when the file leaves it empty */
    size_t line; /* where it is in the file (1-based; the header is line 1) */
} calib_row;

typedef struct calib_file {
    char *path; /* the file read: absolute when it could be resolved */
    calib_row *rows;
    size_t nrows;
} calib_file;

/* The row a run uses, and why. */
typedef struct calib_choice {
    const calib_file *file;
    const calib_row *row;
    int fallback; /* 1: no cpython row has the run's profile; the file's only one is used */
    char profile[64]; /* the run's collector profile; "" if the collector has none */
} calib_choice;

/* Read and check arg: a pause-model.csv, or a folder holding one.  Every
 * row is checked, and there must be a cpython row.  Returns 0, or -1 with
 * one line in err naming the file, the line and what was expected. */
int calib_load(const char *arg, calib_file *f, char *err, size_t errlen);
void calib_free(calib_file *f);

/* The collector's `profile` parameter as cfg sets it (its default if not
 * set), into buf; 0, or -1 (buf "") if the collector has none. */
int calib_profile_of(const run_config *cfg, char *buf, size_t len);

/* The cpython row for cfg's collector profile: the one whose profile is
 * the run's; if none is, the file's only cpython row (ch->fallback = 1).
 * Returns 0, or -1 with one line in err (no match among several rows, or
 * several rows for the profile). */
int calib_select(const calib_file *f, const run_config *cfg, calib_choice *ch, char *err, size_t errlen);

/* round(a + b x examined + c x collected), never below 0. */
int64_t calib_estimate(const calib_row *r, long examined, long collected);

#endif
