/*
 * cli/suite.c -- `gclab suite`, `gclab sweep` and `gclab plan`.
 *
 * A suite folder holds suite.yaml (what was asked), runs/KEY/ (each run's
 * own files, as `gclab run -o` wrote them), logs/KEY.log, and, merged from
 * runs/, runs.csv, pauses.csv, timeseries.csv, workers.csv, meta.json,
 * then summary.csv, plots/ and report.html.
 */
#define _GNU_SOURCE

#include "cli.h"

#include "analysis/merge.h"
#include "analysis/report.h"
#include "analysis/summary.h"
#include "harness/atomic.h"
#include "harness/calibration.h"
#include "harness/config.h"
#include "harness/runner.h"
#include "harness/suite.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef GCLAB_SOURCE_DIR
#define GCLAB_SOURCE_DIR "."
#endif

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

const char *cli_source_path(const char *rel, char *buf, size_t len)
{
    if (file_exists(rel))
        return rel;
    snprintf(buf, len, "%s/%s", GCLAB_SOURCE_DIR, rel);
    return buf;
}

/* suites/default.yaml here, else in the source tree gclab was built from. */
static const char *default_suite(void)
{
    static char path[PATH_MAX];
    return cli_source_path("suites/default.yaml", path, sizeof path);
}

static void self_path(char *buf, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", buf, len - 1);
    if (n <= 0)
        snprintf(buf, len, "gclab");
    else
        buf[n] = '\0';
}

void cli_stamp_dir(char *buf, size_t len, const char *what)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    snprintf(buf, len, "results/%s-%s", stamp, what);
    for (int i = 2; file_exists(buf); i++)
        snprintf(buf, len, "results/%s-%s-%d", stamp, what, i);
}

static int parse_int(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long x = strtol(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi)
        return cli_usage_error("%s must be an integer from %ld to %ld, got '%s'", opt, lo, hi, v);
    *out = x;
    return 0;
}

static int parse_seconds(const char *opt, const char *v, double *out)
{
    char *end;
    double x = strtod(v, &end);
    if (end == v || *end || !(x >= 0) || x > 604800)
        return cli_usage_error("%s must be seconds from 0 (none) to 604800, got '%s'", opt, v);
    *out = x;
    return 0;
}

/* Write text to path whole, or leave it as it was. */
static int write_file(const char *path, const char *text, char *err, size_t errlen)
{
    atomic_group g;
    FILE *f = atomic_open_one(&g, path, err, errlen);
    if (!f)
        return -1;
    fputs(text, f);
    return atomic_commit(&g, ATOMIC_FORWARD, err, errlen);
}

/* ------------------------------------------------------------------ */
/* After the runs: merge, statistics, plots, report. */

static int has_runs_csv(const struct dirent *d)
{
    return d->d_name[0] != '.';
}

static int finalize(const char *dir, int quiet, int make_report)
{
    char runs[PATH_MAX], err[1024];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    struct dirent **ents;
    int n = scandir(runs, &ents, has_runs_csv, alphasort);
    if (n < 0) {
        fprintf(stderr, "gclab: cannot list %s: %s\n", runs, strerror(errno));
        return -1;
    }
    char **paths = calloc((size_t)n + 1, sizeof *paths);
    size_t np = 0;
    for (int i = 0; i < n; i++) {
        char p[PATH_MAX + 300], csv[PATH_MAX + 320];
        snprintf(p, sizeof p, "%s/%s", runs, ents[i]->d_name);
        snprintf(csv, sizeof csv, "%s/runs.csv", p);
        if (file_exists(csv) && !(paths[np++] = strdup(p)))
            abort();
        free(ents[i]);
    }
    free(ents);
    int rc = 0;
    merge_outcome mo;
    if (np == 0) {
        if (!quiet)
            fprintf(stderr, "gclab: no run finished; nothing to merge\n");
        rc = -1;
    } else if (merge_dirs(dir, (const char *const *)paths, np, &mo, err, sizeof err) != 0) {
        fprintf(stderr, "gclab: %s\n", err);
        rc = -1;
    }
    for (size_t i = 0; i < np; i++)
        free(paths[i]);
    free(paths);
    if (rc != 0)
        return rc;

    result_summary sum;
    if (summary_load(dir, &sum, err, sizeof err) != 0) {
        fprintf(stderr, "gclab: statistics: %s\n", err);
        return -1;
    }
    if (summary_write_csv(dir, &sum, err, sizeof err) != 0) {
        fprintf(stderr, "gclab: %s\n", err);
        rc = -1;
    }
    if (!quiet)
        summary_print(stdout, &sum);
    int nplots = -1;
    if (make_report) {
        nplots = plot_write(dir, &sum, err, sizeof err);
        if (nplots < 0)
            fprintf(stderr, "gclab: plots: %s (the report will have none)\n", err);
        if (report_write(dir, &sum, err, sizeof err) != 0) {
            fprintf(stderr, "gclab: report: %s\n", err);
            rc = -1;
        }
    }
    summary_free(&sum);
    if (!quiet) {
        printf("\nWrote %s/: runs.csv pauses.csv timeseries.csv workers.csv meta.json summary.csv", dir);
        if (make_report)
            printf("%s report.html", nplots > 0 ? " plots/" : "");
        printf("\n");
        if (make_report)
            printf("Report: %s/report.html\n", dir);
    }
    return rc;
}

/* ------------------------------------------------------------------ */
/* Running a loaded suite in a folder. */

typedef struct suite_opts {
    const char *file, *outdir;
    const char *calibration; /* --calibration FILE, or NULL */
    long jobs, repeat, warmup; /* -1: the suite's */
    double timeout_s;          /* -1: the suite's */
    int resume, quiet, report;
} suite_opts;

/* The pause model of --calibration, for every run of the suite: the file
 * checked and each configuration's row chosen now, so a bad file or a
 * profile it has no row for stops the suite before anything is written.
 * Returns 0 (cf and *choices to free when done) or an exit status. */
static int attach_calibration(suite *s, const char *arg, int from_file, calib_file *cf, calib_choice **choices)
{
    *choices = NULL;
    memset(cf, 0, sizeof *cf);
    if (!arg)
        return 0;
    char err[1024];
    if (calib_load(arg, cf, err, sizeof err) != 0)
        return cli_usage_error("%s", err);
    *choices = util_xcalloc(s->nconfigs + 1, sizeof **choices);
    for (size_t i = 0; i < s->nconfigs; i++) {
        if (calib_select(cf, &s->configs[i].cfg, &(*choices)[i], err, sizeof err) != 0) {
            free(*choices);
            *choices = NULL;
            calib_free(cf);
            if (from_file) /* which configuration of the suite file */
                return cli_usage_error("%s:%d: %s", s->path, s->configs[i].line, err);
            return cli_usage_error("%s", err);
        }
        s->configs[i].cfg.calib = &(*choices)[i]; /* for a failed run's row */
    }
    s->calibration = cf->path;
    return 0;
}

static int run_suite_calibrated(suite *s, const char *dir, const suite_opts *so, int fresh);

static int run_suite(suite *s, const char *dir, const suite_opts *so, int fresh)
{
    calib_file cf;
    calib_choice *choices;
    int rc = attach_calibration(s, so->calibration, strcmp(s->path, "gclab sweep") != 0, &cf, &choices);
    if (rc != 0)
        return rc;
    rc = run_suite_calibrated(s, dir, so, fresh);
    s->calibration = NULL;
    for (size_t i = 0; i < s->nconfigs; i++)
        s->configs[i].cfg.calib = NULL;
    free(choices);
    calib_free(&cf);
    return rc;
}

static int run_suite_calibrated(suite *s, const char *dir, const suite_opts *so, int fresh)
{
    if (so->jobs > 0)
        s->jobs = (int)so->jobs;
    if (so->repeat > 0)
        s->repeat = (int)so->repeat;
    if (so->warmup >= 0)
        s->warmup = (int)so->warmup;
    if (so->timeout_s >= 0)
        s->timeout_s = so->timeout_s;
    char err[1024], yaml[PATH_MAX];
    snprintf(yaml, sizeof yaml, "%s/suite.yaml", dir);
    if (fresh) {
        /* suite.yaml first, so --resume finds it; an error shows in writing it */
        (void)util_mkdir_p(dir);
        if (write_file(yaml, s->text, err, sizeof err) != 0) {
            fprintf(stderr, "gclab: %s\n", err);
            return 1;
        }
    }
    char self[PATH_MAX];
    self_path(self, sizeof self);
    runner_opts ro = {.jobs = s->jobs,
                      .timeout_s = s->timeout_s,
                      .gclab = self,
                      .progress = isatty(2),
                      .quiet = so->quiet};
    if (!so->quiet) {
        fprintf(stderr, "gclab: suite %s: %zu configurations x %d repeats = %zu runs (+%d warm-up%s each), "
                "%d at a time, into %s\n", s->name, s->nconfigs, s->repeat, s->nconfigs * (size_t)s->repeat,
                s->warmup, s->warmup == 1 ? "" : "s", s->jobs, dir);
    }
    runner_outcome out;
    if (runner_run(s, dir, &ro, &out, err, sizeof err) != 0) {
        fprintf(stderr, "gclab: %s\n", err);
        return 1;
    }
    if (out.signal) {
        size_t finished = out.ok + out.failed;
        fprintf(stderr, "gclab: stopped by SIG%s: %zu of %zu runs finished and kept; continue with:\n"
                "  gclab suite --resume -o %s\n", sigabbrev_np(out.signal), finished, out.total, dir);
        if (finished)
            finalize(dir, 1, 0);
        return 128 + out.signal;
    }
    if (!so->quiet && out.failed)
        fprintf(stderr, "gclab: %zu of %zu runs failed; they are in runs.csv with status failed and "
                "their reason\n", out.failed, out.total);
    return finalize(dir, so->quiet, so->report) == 0 ? 0 : 1;
}

static void suite_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab suite [FILE] [-j N] [-o DIR] [--repeat R] [--warmup W] [--timeout S]\n"
            "                   [--resume] [--no-report] [--calibration FILE] [-q]\n\n"
            "Runs every configuration of a suite file (docs/suites.md; default: suites/default.yaml),\n"
            "each run a fresh process, repeats interleaved, then writes the merged CSV, summary.csv,\n"
            "plots/ and report.html into DIR.\n\n"
            "  -j, --jobs N        runs at once (default: the suite's, else 1)\n"
            "  -o, --output DIR    where (default results/<time>-<suite name>)\n"
            "      --repeat R      measured runs per configuration (default: the suite's)\n"
            "      --warmup W      unmeasured runs per configuration first (default: the suite's)\n"
            "      --timeout S     seconds before a run is killed and recorded as failed (0: none)\n"
            "      --resume        continue the suite in DIR (-o) without redoing finished runs\n"
            "      --no-report     no plots or report, only CSV and statistics\n"
            "      --calibration FILE  a pause model (gclab calibrate's DIR/pause-model.csv, or DIR)\n"
            "                      passed to every run: estimated CPython pauses in pauses.csv and\n"
            "                      runs.csv (gclab run --help); give it again with --resume\n"
            "  -q, --quiet         no progress and no summary table\n"
            "  -h, --help          this text\n\n"
            "Ctrl-C or SIGTERM stops it cleanly: finished runs are kept and merged.\n");
}

enum { OPT_REPEAT = 1000, OPT_WARMUP, OPT_TIMEOUT, OPT_RESUME, OPT_NOREPORT, OPT_T0, OPT_T1, OPT_T2,
       OPT_SEED, OPT_PLAN, OPT_FORMAT, OPT_GCLAB, OPT_CALIBRATION };

/* The long options common_opt handles, and --help: the end of suite's and
 * sweep's option tables. */
#define COMMON_OPTIONS                                                                                            \
    {"jobs", required_argument, NULL, 'j'}, {"output", required_argument, NULL, 'o'},                           \
        {"repeat", required_argument, NULL, OPT_REPEAT}, {"warmup", required_argument, NULL, OPT_WARMUP},       \
        {"timeout", required_argument, NULL, OPT_TIMEOUT}, {"resume", no_argument, NULL, OPT_RESUME},           \
        {"no-report", no_argument, NULL, OPT_NOREPORT}, {"quiet", no_argument, NULL, 'q'},                      \
        {"calibration", required_argument, NULL, OPT_CALIBRATION}, {"help", no_argument, NULL, 'h'},            \
        {NULL, 0, NULL, 0}

/* Options shared by suite and sweep; returns 1 if handled, 0 if not, or
 * the exit status + 10 of a usage error. */
static int common_opt(int c, suite_opts *so)
{
    switch (c) {
    case 'j': return parse_int("-j", optarg, 1, 256, &so->jobs) ? EXIT_USAGE + 10 : 1;
    case 'o': so->outdir = optarg; return 1;
    case 'q': so->quiet = 1; return 1;
    case OPT_REPEAT: return parse_int("--repeat", optarg, 1, 1000, &so->repeat) ? EXIT_USAGE + 10 : 1;
    case OPT_WARMUP: return parse_int("--warmup", optarg, 0, 100, &so->warmup) ? EXIT_USAGE + 10 : 1;
    case OPT_TIMEOUT: return parse_seconds("--timeout", optarg, &so->timeout_s) ? EXIT_USAGE + 10 : 1;
    case OPT_RESUME: so->resume = 1; return 1;
    case OPT_NOREPORT: so->report = 0; return 1;
    case OPT_CALIBRATION: so->calibration = optarg; return 1;
    }
    return 0;
}

/* Load the suite to run in dir, checking resume's rules.  *fresh says
 * whether dir is new.  Returns 0 or an exit status. */
static int prepare(const suite_opts *so, const char *text, const char *name, suite *s, char *dir, size_t dirlen,
                   int *fresh)
{
    char err[1024];
    if (so->outdir)
        snprintf(dir, dirlen, "%s", so->outdir);
    char yaml[PATH_MAX + 16];
    if (so->resume) {
        if (!so->outdir)
            return cli_usage_error("--resume needs -o DIR: the folder of the suite to continue");
        snprintf(yaml, sizeof yaml, "%s/suite.yaml", dir);
        char *saved = suite_read(yaml, NULL, err, sizeof err);
        if (!saved && errno == ENOENT)
            return cli_usage_error("nothing to resume in %s: it has no suite.yaml", dir);
        if (!saved)
            return cli_usage_error("%s", err);
        if (text && strcmp(text, saved) != 0) {
            free(saved);
            return cli_usage_error("%s holds another suite than %s; resume it without FILE, or choose another -o",
                                   dir, name);
        }
        int rc = suite_parse(yaml, saved, strlen(saved), s, err, sizeof err);
        free(saved);
        if (rc != 0)
            return cli_usage_error("%s", err);
        *fresh = 0;
        return 0;
    }
    if (suite_parse(name, text, strlen(text), s, err, sizeof err) != 0)
        return cli_usage_error("%s", err);
    if (!so->outdir)
        cli_stamp_dir(dir, dirlen, s->name);
    snprintf(yaml, sizeof yaml, "%s/suite.yaml", dir);
    if (file_exists(yaml)) {
        suite_free(s);
        return cli_usage_error("%s already holds a suite; continue it with --resume, or choose another -o", dir);
    }
    /* can it be written?  Try, leaving nothing behind. */
    if (config_check_output(dir, err, sizeof err) != 0) {
        suite_free(s);
        return cli_usage_error("%s", err);
    }
    *fresh = 1;
    return 0;
}

int cli_suite(int argc, char **argv)
{
    static const struct option opts[] = {
        COMMON_OPTIONS,
    };
    suite_opts so = {.jobs = -1, .repeat = -1, .warmup = -1, .timeout_s = -1, .report = 1};
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":j:o:qh", opts, NULL)) != -1) {
        if (c == 'h') {
            suite_usage(stdout);
            return 0;
        }
        if (c == ':')
            return cli_usage_error("suite: option '%s' needs a value (see gclab suite --help)", argv[optind - 1]);
        int r = common_opt(c, &so);
        if (r >= 10)
            return r - 10;
        if (r == 0)
            return cli_usage_error("suite: unknown option '%s' (see gclab suite --help)", argv[optind - 1]);
    }
    if (optind + 1 < argc)
        return cli_usage_error("suite: one suite file at most, got '%s' and '%s'", argv[optind], argv[optind + 1]);
    so.file = optind < argc ? argv[optind] : NULL;
    char *text = NULL;
    const char *name = so.file;
    if (so.file || !so.resume) {
        if (!name)
            name = default_suite();
        char err[512];
        if (!(text = suite_read(name, NULL, err, sizeof err)))
            return cli_usage_error("%s", err);
    }
    suite s;
    char dir[PATH_MAX];
    int fresh;
    int rc = prepare(&so, text, name, &s, dir, sizeof dir, &fresh);
    free(text);
    if (rc != 0)
        return rc;
    rc = run_suite(&s, dir, &so, fresh);
    suite_free(&s);
    return rc;
}

static void plan_print(const suite *s, const char *dir, const char *gclab, int slurm);

/* ------------------------------------------------------------------ */
/* sweep: a suite of one matrix entry, written as YAML */

static void yaml_quoted(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void sweep_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab sweep -w WORKLOAD -c COLLECTOR [--threshold0 GRID] [--threshold1 GRID]\n"
            "                   [--threshold2 GRID] [-p key=value ...] [--repeat R] [--warmup W]\n"
            "                   [-j N] [--timeout S] [--seed N] [-o DIR] [--resume] [--plan]\n"
            "                   [--calibration FILE] [-q]\n\n"
            "Every combination of the threshold grids, with repeats, as a suite (its suite.yaml is\n"
            "written into DIR).  A GRID is a list (5,10,20), START:STOP:STEP (100:1000:100) or\n"
            "START:STOP:logN (N points evenly spaced on a log axis, ends included: 100:10000:log5 is\n"
            "100,316,1000,3162,10000).  Thresholds not swept keep the collector's defaults.\n\n"
            "  --plan    print the runs as gclab run commands instead of running them\n"
            "  (the other options are gclab suite's and gclab run's)\n");
}

int cli_sweep(int argc, char **argv)
{
    static const struct option opts[] = {
        {"workload", required_argument, NULL, 'w'},     {"collector", required_argument, NULL, 'c'},
        {"param", required_argument, NULL, 'p'},        {"threshold0", required_argument, NULL, OPT_T0},
        {"threshold1", required_argument, NULL, OPT_T1}, {"threshold2", required_argument, NULL, OPT_T2},
        {"seed", required_argument, NULL, OPT_SEED},    {"plan", no_argument, NULL, OPT_PLAN},
        COMMON_OPTIONS,
    };
    suite_opts so = {.jobs = -1, .repeat = -1, .warmup = -1, .timeout_s = -1, .report = 1};
    const char *w = NULL, *col = NULL, *grid[3] = {NULL, NULL, NULL}, *params[64];
    size_t np = 0;
    long seed = 1;
    int plan = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":w:c:p:j:o:qh", opts, NULL)) != -1) {
        char err[512];
        long *vals;
        switch (c) {
        case 'h': sweep_usage(stdout); return 0;
        case 'w': w = optarg; continue;
        case 'c': col = optarg; continue;
        case 'p':
            if (np == 64)
                return cli_usage_error("sweep: at most 64 -p settings");
            if (!strchr(optarg, '='))
                return cli_usage_error("sweep: -p takes key=value, got '%s'", optarg);
            params[np++] = optarg;
            continue;
        case OPT_T0: case OPT_T1: case OPT_T2:
            if (suite_grid(optarg, &vals, err, sizeof err) < 0)
                return cli_usage_error("sweep: --threshold%d: %s", c - OPT_T0, err);
            free(vals);
            grid[c - OPT_T0] = optarg;
            continue;
        case OPT_SEED:
            if (parse_int("--seed", optarg, 0, LONG_MAX, &seed))
                return EXIT_USAGE;
            continue;
        case OPT_PLAN: plan = 1; continue;
        case ':':
            return cli_usage_error("sweep: option '%s' needs a value (see gclab sweep --help)", argv[optind - 1]);
        }
        int r = common_opt(c, &so);
        if (r >= 10)
            return r - 10;
        if (r == 0)
            return cli_usage_error("sweep: unknown option '%s' (see gclab sweep --help)", argv[optind - 1]);
    }
    if (optind < argc)
        return cli_usage_error("sweep: unexpected argument '%s' (see gclab sweep --help)", argv[optind]);
    if (!w)
        return cli_usage_error("sweep: missing -w WORKLOAD (valid: %s)", workload_names());
    if (!col)
        return cli_usage_error("sweep: missing -c COLLECTOR (valid: %s)", gclab_collector_names());
    if (!grid[0] && !grid[1] && !grid[2])
        return cli_usage_error("sweep: give at least one grid: --threshold0, --threshold1 or --threshold2");
    run_config probe = {0};
    config_spec spec = {.collector = col, .workload = w, .settings = params, .nsettings = np};
    config_error ce;
    if (config_build(&probe, &spec, &ce) != 0)
        return cli_usage_error("sweep: %s", ce.msg);
    char err[1024];
    for (int g = 2; g >= 0; g--)
        if (grid[g] && probe.collector->nthresholds <= g)
            return cli_usage_error("sweep: collector %s has %d threshold%s; --threshold%d does not apply", col,
                                   probe.collector->nthresholds, probe.collector->nthresholds == 1 ? "" : "s", g);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "# Written by: gclab sweep -w %s -c %s", w, col);
    for (int g = 0; g < 3; g++)
        if (grid[g])
            fprintf(f, " --threshold%d %s", g, grid[g]);
    fprintf(f, "\nname: sweep-%s-%s\nseed: %ld\n", w, col, seed);
    if (so.repeat > 0)
        fprintf(f, "repeat: %ld\n", so.repeat);
    fprintf(f, "matrix:\n  - workload: %s\n    collector: %s\n", w, col);
    for (int g = 0; g < 3; g++)
        if (grid[g]) {
            fprintf(f, "    threshold%d: ", g);
            yaml_quoted(f, grid[g]);
            fputc('\n', f);
        }
    if (np) {
        fprintf(f, "    params:\n");
        for (size_t i = 0; i < np; i++) {
            size_t k = strcspn(params[i], "=");
            fprintf(f, "      %.*s: ", (int)k, params[i]);
            yaml_quoted(f, params[i] + k + 1);
            fputc('\n', f);
        }
    }
    fclose(f);

    suite s;
    char dir[PATH_MAX];
    int fresh, rc;
    if (plan) {
        if (suite_parse("gclab sweep", text, len, &s, err, sizeof err) != 0) {
            free(text);
            return cli_usage_error("%s", err);
        }
        free(text);
        if (so.repeat > 0)
            s.repeat = (int)so.repeat;
        if (!so.outdir)
            cli_stamp_dir(dir, sizeof dir, s.name);
        else
            snprintf(dir, sizeof dir, "%s", so.outdir);
        char self[PATH_MAX];
        self_path(self, sizeof self);
        calib_file cf;
        calib_choice *choices;
        if ((rc = attach_calibration(&s, so.calibration, 0, &cf, &choices)) == 0)
            plan_print(&s, dir, self, 0);
        free(choices);
        calib_free(&cf);
        suite_free(&s);
        return rc;
    }
    rc = prepare(&so, so.resume ? NULL : text, "gclab sweep", &s, dir, sizeof dir, &fresh);
    free(text);
    if (rc != 0)
        return rc;
    rc = run_suite(&s, dir, &so, fresh);
    suite_free(&s);
    return rc;
}

/* ------------------------------------------------------------------ */
/* plan */

static void shell_quoted(FILE *f, const char *s)
{
    if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./=,:+-@%") == strlen(s)) {
        fputs(s, f);
        return;
    }
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputs("'\\''", f);
        else
            fputc(*s, f);
    }
    fputc('\'', f);
}

static void print_command(FILE *f, const suite *s, const suite_run *r, const char *dir, const char *gclab)
{
    char *argv[256], buf[8192], runs[PATH_MAX + 8];
    snprintf(runs, sizeof runs, "%s/runs", dir);
    int argc = suite_argv(s, r, gclab, runs, argv, 256, buf, sizeof buf);
    for (int i = 0; i < argc; i++) {
        if (i)
            fputc(' ', f);
        shell_quoted(f, argv[i]);
    }
}

static void plan_print(const suite *s, const char *dir, const char *gclab, int slurm)
{
    suite_run *runs;
    size_t n = suite_schedule(s, &runs);
    if (!slurm) {
        for (size_t i = 0; i < n; i++) {
            print_command(stdout, s, &runs[i], dir, gclab);
            putchar('\n');
        }
    } else {
        printf("#!/bin/bash\n"
               "# gclab suite %s as a Slurm job array: one run per task.  Submit with sbatch,\n"
               "# then combine the results:  gclab merge -o %s %s\n"
               "#SBATCH --job-name=gclab-%s\n"
               "#SBATCH --array=0-%zu\n"
               "#SBATCH --ntasks=1\n"
               "#SBATCH --cpus-per-task=1\n"
               "#SBATCH --output=%s/logs/%%a.log\n"
               "set -euo pipefail\n"
               "mkdir -p %s/logs\n"
               "runs=(\n",
               s->name, dir, dir, s->name, n ? n - 1 : 0, dir, dir);
        for (size_t i = 0; i < n; i++) {
            printf("  ");
            char *cmd = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&cmd, &len);
            print_command(m, s, &runs[i], dir, gclab);
            fclose(m);
            shell_quoted(stdout, cmd);
            free(cmd);
            putchar('\n');
        }
        printf(")\neval \"${runs[$SLURM_ARRAY_TASK_ID]}\"\n");
    }
    free(runs);
}

static void plan_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab plan [FILE] [-o DIR] [--repeat R] [--format lines|slurm] [--gclab PATH]\n"
            "                  [--calibration FILE]\n\n"
            "Prints the suite's measured runs (default suite: suites/default.yaml) as self-contained\n"
            "`gclab run` commands, one per line, in the suite's interleaved order, each writing into\n"
            "DIR/runs/KEY.  Run them anywhere, then combine:  gclab merge -o DIR DIR\n\n"
            "  parallel -j2 < plan.txt                          on this machine\n"
            "  parallel --sshloginfile hosts.txt < plan.txt     across hosts (a shared DIR)\n"
            "  gclab plan --format slurm > job.sbatch; sbatch job.sbatch   a Slurm job array\n\n"
            "  -o, --output DIR     where the runs write (default results/<time>-<suite name>)\n"
            "      --repeat R       measured runs per configuration (default: the suite's)\n"
            "      --format F       lines (default) or slurm (an sbatch script)\n"
            "      --gclab PATH     the gclab the commands call (default: this one, %s)\n"
            "      --calibration FILE  a pause model every run gets (gclab run --help)\n"
            "Warm-up runs are not planned: with one process per run on hosts of their own, use\n"
            "--repeat to add a run to drop if you need one.\n",
            "its absolute path");
}

int cli_plan(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"repeat", required_argument, NULL, OPT_REPEAT},
        {"format", required_argument, NULL, OPT_FORMAT}, {"gclab", required_argument, NULL, OPT_GCLAB},
        {"calibration", required_argument, NULL, OPT_CALIBRATION},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    const char *outdir = NULL, *gclab = NULL, *calibration = NULL;
    long repeat = -1;
    int slurm = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': plan_usage(stdout); return 0;
        case 'o': outdir = optarg; break;
        case OPT_GCLAB: gclab = optarg; break;
        case OPT_CALIBRATION: calibration = optarg; break;
        case OPT_REPEAT:
            if (parse_int("--repeat", optarg, 1, 1000, &repeat))
                return EXIT_USAGE;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "lines") == 0)
                slurm = 0;
            else if (strcmp(optarg, "slurm") == 0)
                slurm = 1;
            else
                return cli_usage_error("plan: unknown format '%s' (valid: lines, slurm)", optarg);
            break;
        case ':':
            return cli_usage_error("plan: option '%s' needs a value (see gclab plan --help)", argv[optind - 1]);
        default: return cli_usage_error("plan: unknown option '%s' (see gclab plan --help)", argv[optind - 1]);
        }
    }
    if (optind + 1 < argc)
        return cli_usage_error("plan: one suite file at most, got '%s' and '%s'", argv[optind], argv[optind + 1]);
    const char *file = optind < argc ? argv[optind] : default_suite();
    suite s;
    char err[1024];
    if (suite_load(file, &s, err, sizeof err) != 0)
        return cli_usage_error("%s", err);
    if (repeat > 0)
        s.repeat = (int)repeat;
    char dir[PATH_MAX], self[PATH_MAX];
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else
        cli_stamp_dir(dir, sizeof dir, s.name);
    self_path(self, sizeof self);
    calib_file cf;
    calib_choice *choices;
    int rc = attach_calibration(&s, calibration, 1, &cf, &choices);
    if (rc == 0)
        plan_print(&s, dir, gclab ? gclab : self, slurm);
    free(choices);
    calib_free(&cf);
    suite_free(&s);
    return rc;
}
