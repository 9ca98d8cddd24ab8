/*
 * harness/calibration.c -- reading a pause model and estimating CPython's
 * pause for a collection (calibration.h).
 */
#define _GNU_SOURCE

#include "calibration.h"

#include "csv.h"
#include "output.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const calib_columns[] = {"source", "python", "version", "profile", "pauses",
                                            "a_ns",   "b_ns",   "c_ns",    "r2"};
#define NCALIBCOLS (sizeof calib_columns / sizeof calib_columns[0])
#define CALIB_HEADER "source,python,version,profile,pauses,a_ns,b_ns,c_ns,r2"

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

/* s as it can appear in a one-line message: at most 60 characters, control
 * characters (a quoted line break) shown as '?'. */
static const char *shown(const char *s, char *buf, size_t len)
{
    size_t n = 0;
    for (; *s && n + 1 < len && n < 60; s++)
        buf[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
    buf[n] = '\0';
    if (*s && n + 4 < len)
        strcpy(buf + n, "...");
    return buf;
}

/* A finite number, the whole field. */
static int parse_double(const char *s, double *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

static size_t newlines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void free_rows(calib_file *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f->rows[i].source);
        free(f->rows[i].python);
        free(f->rows[i].version);
        free(f->rows[i].profile);
    }
    free(f->rows);
    f->rows = NULL;
    f->nrows = 0;
}

void calib_free(calib_file *f)
{
    free_rows(f, f->nrows);
    free(f->path);
    f->path = NULL;
}

/* Check row r of t (at line `line`) into *row.  0, or -1 with err. */
static int check_row(const char *path, const csv_table *t, size_t r, size_t line, calib_row *row, char *err,
                     size_t errlen)
{
    char b[80];
    const char *source = csv_get(t, r, 0);
    if (strcmp(source, "cpython") != 0 && strcmp(source, "gclab") != 0) {
        snprintf(err, errlen, "calibration %s:%zu: source must be cpython or gclab, got '%s'", path, line,
                 shown(source, b, sizeof b));
        return -1;
    }
    const char *pauses = csv_get(t, r, 4);
    char *end;
    errno = 0;
    long long p = strtoll(pauses, &end, 10);
    if (!*pauses || *end || errno || p < 0) {
        snprintf(err, errlen, "calibration %s:%zu: pauses must be a non-negative integer (the pauses fitted), got '%s'", path,
                 line, shown(pauses, b, sizeof b));
        return -1;
    }
    double coef[3];
    for (int k = 0; k < 3; k++) {
        const char *v = csv_get(t, r, 5 + k);
        if (parse_double(v, &coef[k]) != 0) {
            snprintf(err, errlen, "calibration %s:%zu: %s must be a number (ns%s), got '%s'", path, line, calib_columns[5 + k],
                     k == 0 ? "" : k == 1 ? " per examined object" : " per collected object",
                     shown(v, b, sizeof b));
            return -1;
        }
    }
    double r2 = NAN;
    const char *v = csv_get(t, r, 8);
    if (*v && (parse_double(v, &r2) != 0 || r2 < 0 || r2 > 1)) {
        snprintf(err, errlen, "calibration %s:%zu: r2 must be a number from 0 to 1, or empty, got '%s'", path, line,
                 shown(v, b, sizeof b));
        return -1;
    }
    *row = (calib_row){.source = xstrdup(source),
                       .python = xstrdup(csv_get(t, r, 1)),
                       .version = xstrdup(csv_get(t, r, 2)),
                       .profile = xstrdup(csv_get(t, r, 3)),
                       .pauses = p,
                       .a_ns = coef[0],
                       .b_ns = coef[1],
                       .c_ns = coef[2],
                       .r2 = r2,
                       .line = line};
    return 0;
}

int calib_load(const char *arg, calib_file *f, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    char given[PATH_MAX];
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (snprintf(given, sizeof given, "%s/%s", arg, CALIB_FILE_NAME) >= (int)sizeof given) {
            snprintf(err, errlen, "calibration folder name too long: %.200s", arg);
            return -1;
        }
    } else if (snprintf(given, sizeof given, "%s", arg) >= (int)sizeof given) {
        snprintf(err, errlen, "calibration file name too long: %.200s", arg);
        return -1;
    }
    /* Absolute, so the runs of a suite read the same file from anywhere. */
    char *abs = realpath(given, NULL);
    const char *path = abs ? abs : given;
    char why[512];
    csv_table *t = csv_read(path, NULL, why, sizeof why);
    if (!t) {
        snprintf(err, errlen, "calibration: %s (expected a pause model, %s, from gclab calibrate)", why,
                 CALIB_FILE_NAME);
        free(abs);
        return -1;
    }
    int rc = -1;
    char b[80];
    int header_ok = t->ncols == NCALIBCOLS;
    for (size_t c = 0; header_ok && c < NCALIBCOLS; c++)
        header_ok = strcmp(t->names[c], calib_columns[c]) == 0;
    if (!header_ok) {
        char *h = NULL;
        size_t hl = 0;
        FILE *m = open_memstream(&h, &hl);
        if (!m)
            abort();
        for (size_t c = 0; c < t->ncols; c++)
            fprintf(m, "%s%s", c ? "," : "", t->names[c]);
        fclose(m);
        snprintf(err, errlen, "calibration %s:1: expected the header %s, got '%s'", path, CALIB_HEADER,
                 t->ncols ? shown(h, b, sizeof b) : "an empty file");
        free(h);
        goto out;
    }
    f->rows = util_xcalloc(t->nrows + 1, sizeof *f->rows);
    size_t line = 2 + newlines(t->names[0]);
    for (size_t c = 1; c < t->ncols; c++)
        line += newlines(t->names[c]);
    size_t ncpython = 0;
    for (size_t r = 0; r < t->nrows; r++) {
        if (check_row(path, t, r, line, &f->rows[r], err, errlen) != 0) {
            free_rows(f, r);
            goto out;
        }
        f->nrows = r + 1;
        ncpython += strcmp(f->rows[r].source, "cpython") == 0;
        for (size_t c = 0; c < t->ncols; c++)
            line += newlines(csv_get(t, r, (int)c));
        line++;
    }
    if (ncpython == 0) {
        snprintf(err, errlen, "calibration %s:%zu: expected at least one row with source cpython, found %s", path,
                 line, t->nrows ? "only gclab rows" : "no rows");
        free_rows(f, f->nrows);
        goto out;
    }
    f->path = xstrdup(path);
    rc = 0;
out:
    csv_free(t);
    free(abs);
    return rc;
}

int calib_profile_of(const run_config *cfg, char *buf, size_t len)
{
    const gclab_collector_info *ci = cfg->collector;
    buf[0] = '\0';
    int k = gclab_param_find(ci->params, ci->nparams, "profile", strlen("profile"));
    gclab_value v[RUN_MAX_PARAMS];
    char err[256];
    if (k < 0 || ci->nparams > RUN_MAX_PARAMS ||
        gclab_params_parse(ci->params, ci->nparams, ci->name, cfg->csettings, cfg->ncsettings, v, err,
                           sizeof err) != 0)
        return -1;
    output_format_value(&ci->params[k], v[k], buf, len);
    return 0;
}

int calib_select(const calib_file *f, const run_config *cfg, calib_choice *ch, char *err, size_t errlen)
{
    memset(ch, 0, sizeof *ch);
    ch->file = f;
    int has_profile = calib_profile_of(cfg, ch->profile, sizeof ch->profile) == 0;
    const calib_row *only = NULL, *match = NULL;
    size_t ncpython = 0, nmatch = 0;
    char profiles[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < f->nrows; i++) {
        const calib_row *r = &f->rows[i];
        if (strcmp(r->source, "cpython") != 0)
            continue;
        ncpython++;
        only = r;
        if (used < sizeof profiles)
            used += (size_t)snprintf(profiles + used, sizeof profiles - used, "%s%s", used ? ", " : "",
                                     *r->profile ? r->profile : "(empty)");
        if (has_profile && strcmp(r->profile, ch->profile) == 0) {
            if (nmatch++ == 0)
                match = r;
            else {
                snprintf(err, errlen,
                         "calibration %s: lines %zu and %zu are both cpython rows for profile %s; keep one",
                         f->path, match->line, r->line, ch->profile);
                return -1;
            }
        }
    }
    if (match) {
        ch->row = match;
        return 0;
    }
    if (ncpython == 1) {
        ch->row = only;
        ch->fallback = 1;
        return 0;
    }
    if (has_profile)
        snprintf(err, errlen,
                 "calibration %s has no cpython row for profile %s (collector %s's profile); its %zu cpython "
                 "rows are for %s: choose one with -p profile=PROFILE",
                 f->path, ch->profile, cfg->collector->name, ncpython, profiles);
    else
        snprintf(err, errlen,
                 "calibration %s has %zu cpython rows (profiles: %s) and collector %s has no profile to choose "
                 "one; give a file with one cpython row",
                 f->path, ncpython, profiles, cfg->collector->name);
    return -1;
}

int64_t calib_estimate(const calib_row *r, long examined, long collected)
{
    double e = r->a_ns + r->b_ns * (double)examined + r->c_ns * (double)collected;
    if (!(e > 0)) /* below 0, or NAN */
        return 0;
    if (e >= 9.2e18)
        return INT64_MAX;
    return (int64_t)llround(e);
}
