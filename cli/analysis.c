/*
 * cli/analysis.c -- the commands that read result folders: `gclab summary`,
 * `compare`, `merge`, `plot` and `report`.  Options and messages here; the
 * work in analysis/.
 */
#define _GNU_SOURCE

#include "cli.h"

#include "analysis/compare.h"
#include "analysis/merge.h"
#include "analysis/report.h"
#include "analysis/summary.h"
#include "harness/config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PATHBUF (PATH_MAX + 512)

/* ------------------------------------------------------------------ */
/* gclab summary */

static void summary_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab summary [-q] DIR\n\n"
            "Statistics per configuration (runs.csv's config column) across its repeats: for the\n"
            "headline metrics the median, MAD, quartiles and a 95%% bootstrap CI of the median;\n"
            "pause percentiles over every pause of every repeat merged; MMU per window.  Writes\n"
            "DIR/summary.csv and prints a table (docs/statistics.md).\n\n"
            "  -q, --quiet   write summary.csv only, print nothing\n"
            "  -h, --help    this text\n");
}

int cli_summary(int argc, char **argv)
{
    static const struct option opts[] = {
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int quiet = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":qh", opts, NULL)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': summary_usage(stdout); return 0;
        default:
            return cli_usage_error("summary: unknown option '%s' (see gclab summary --help)", argv[optind - 1]);
        }
    }
    const char *dir;
    int bad = cli_result_dir("summary", argc, argv, optind, &dir);
    if (bad)
        return bad;
    char err[PATH_MAX + 256];
    result_summary s;
    if (summary_load(dir, &s, err, sizeof err) != 0)
        return cli_usage_error("summary: %s", err);
    if (summary_write_csv(dir, &s, err, sizeof err) != 0) {
        summary_free(&s);
        return cli_usage_error("summary: %s", err);
    }
    if (!quiet)
        summary_print(stdout, &s);
    summary_free(&s);
    return 0;
}

/* ------------------------------------------------------------------ */
/* gclab compare */

static void compare_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab compare DIR_A DIR_B [--metric NAME ...] [-o FILE]\n\n"
            "The configurations both result folders hold (matched by runs.csv's config label; if\n"
            "each folder holds exactly one, those two), metric by metric: median of A and of B,\n"
            "the ratio B/A with its 95%% bootstrap CI, and the p-value of a two-sided Mann-Whitney U\n"
            "test; a verdict when p < 0.05 and the change is at least 1%% (docs/statistics.md).\n\n"
            "  -m, --metric NAME   a runs.csv column to compare (repeatable; default: ops_per_s,\n"
            "                      wall_ns, pause_p99_ns, pause_max_ns, peak_rss_bytes, gc_share,\n"
            "                      request_p99_ns, where present)\n"
            "  -o, --output FILE   also write the comparison as CSV\n"
            "  -h, --help          this text\n");
}


int cli_compare(int argc, char **argv)
{
    static const struct option opts[] = {
        {"metric", required_argument, NULL, 'm'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *metrics[64];
    size_t nmetrics = 0;
    const char *output = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":m:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (nmetrics == 64)
                return cli_usage_error("compare: at most %d --metric", 64);
            metrics[nmetrics++] = optarg;
            break;
        case 'o': output = optarg; break;
        case 'h': compare_usage(stdout); return 0;
        case ':':
            return cli_usage_error("compare: option '%s' needs a value (see gclab compare --help)",
                                   argv[optind - 1]);
        default:
            return cli_usage_error("compare: unknown option '%s' (see gclab compare --help)", argv[optind - 1]);
        }
    }
    if (argc - optind < 2)
        return cli_usage_error("compare: needs two result folders, DIR_A DIR_B (see gclab compare --help)");
    if (argc - optind > 2)
        return cli_usage_error("compare: unexpected argument '%s' (two folders, DIR_A DIR_B)", argv[optind + 2]);
    char err[PATH_MAX + 256];
    compare_opts o = {argv[optind], argv[optind + 1], metrics, nmetrics, output};
    if (compare_dirs(&o, stdout, err, sizeof err) != 0)
        return cli_usage_error("compare: %s", err);
    return 0;
}

/* ------------------------------------------------------------------ */
/* gclab merge */

static void merge_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab merge -o OUT DIR...\n\n"
            "Result folders combined into one, e.g. plans run on other hosts.  runs.csv gets the\n"
            "union of the columns (param_* sorted by name at the end; NA where a run lacks one);\n"
            "pauses.csv, timeseries.csv and workers.csv are concatenated the same way, and the\n"
            "runs of meta.json joined.  A run already merged (the same run_id) is kept once, so\n"
            "merging a folder again adds nothing.  A DIR without runs.csv but with a runs/\n"
            "folder (a suite that stopped before its merge) stands for its runs/*/ folders.\n"
            "OUT may be one of the DIRs; its files are replaced only when all are written.\n\n"
            "  -o, --output OUT        where to write (made if missing)\n"
            "  -h, --help              this text\n");
}

/* OUT can be made (or is a folder) and written. */
static int check_output(const char *dir, char *err, size_t errlen)
{
    struct stat st;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "output path %.200s is not a folder", dir);
        return -1;
    }
    return config_check_output(dir, err, errlen);
}

int cli_merge(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'h': merge_usage(stdout); return 0;
        case ':':
            return cli_usage_error("merge: option '%s' needs a value (see gclab merge --help)", argv[optind - 1]);
        default:
            return cli_usage_error("merge: unknown option '%s' (valid: -o OUT, --help)", argv[optind - 1]);
        }
    }
    if (!out || !*out)
        return cli_usage_error("merge: missing -o OUT (usage: gclab merge -o OUT DIR...)");
    if (optind >= argc)
        return cli_usage_error("merge: no folder to merge (usage: gclab merge -o OUT DIR...)");
    char err[1024];
    for (int i = optind; i < argc; i++) {
        size_t n;
        if (merge_count_runs(argv[i], &n, err, sizeof err) != 0)
            return cli_usage_error("merge: %s", err);
        if (n == 0)
            return cli_usage_error("merge: %s/runs/ holds no finished run (no runs/*/runs.csv)", argv[i]);
    }
    if (check_output(out, err, sizeof err) != 0)
        return cli_usage_error("merge: %s", err);
    merge_outcome mo;
    if (merge_dirs(out, (const char *const *)argv + optind, (size_t)(argc - optind), &mo, err, sizeof err) != 0) {
        fprintf(stderr, "gclab: merge: %s\n", err);
        return mo.input_error ? EXIT_USAGE : 1;
    }
    printf("merged %zu runs from %zu folders into %s\n", mo.runs, mo.folders, out);
    return 0;
}

/* ------------------------------------------------------------------ */
/* gclab plot */

static void plot_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab plot DIR\n\n"
            "Plots of a result folder with gnuplot, one set per workload: pause CDFs, MMU\n"
            "curves, RSS over time, box plots of throughput and p99 pause over repeats, and\n"
            "for configurations differing in threshold0, sweeps against it (and a heatmap on a\n"
            "threshold0 x threshold1 grid).  Writes DIR/plots/NAME.png and NAME.svg, the script\n"
            "NAME.gp and its data data/NAME.dat (edit and rerun: cd DIR/plots && gnuplot NAME.gp),\n"
            "and plots/index.tsv, the list of plots (docs/report.md).\n\n"
            "  -h, --help    this text\n");
}

/* The list of plots written, from plots/index.tsv. */
static void print_written(const char *dir, int count)
{
    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/plots/index.tsv", dir);
    char why[256];
    FILE *f = util_open_file(path, UTIL_MAX_PLOT_BYTES, why, sizeof why);
    char *line = NULL;
    size_t cap = 0;
    while (f && getline(&line, &cap, f) > 0) {
        char *save = NULL, *w = strtok_r(line, "\t\n", &save), *k = w ? strtok_r(NULL, "\t\n", &save) : NULL,
             *name = k ? strtok_r(NULL, "\t\n", &save) : NULL;
        if (name)
            printf("  %s/plots/%s.{png,svg,gp}\n", dir, name);
    }
    free(line);
    if (f)
        fclose(f);
    printf("Wrote %d plot%s into %s/plots (scripts beside them, data in plots/data)\n", count, count == 1 ? "" : "s",
           dir);
}

int cli_plot(int argc, char **argv)
{
    static const struct option opts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': plot_usage(stdout); return 0;
        default: return cli_usage_error("plot: unknown option '%s' (see gclab plot --help)", argv[optind - 1]);
        }
    }
    const char *dir;
    int bad = cli_result_dir("plot", argc, argv, optind, &dir);
    if (bad)
        return bad;
    char err[512], gp[PATH_MAX];
    result_summary s;
    if (summary_load(dir, &s, err, sizeof err) != 0)
        return cli_usage_error("plot: %s", err);
    if (plot_find_gnuplot(gp, sizeof gp) != 0) {
        summary_free(&s);
        return cli_usage_error("plot: gnuplot not found; install gnuplot-nox (scripts/setup.sh)");
    }
    int n = plot_write(dir, &s, err, sizeof err);
    summary_free(&s);
    if (n < 0) {
        fprintf(stderr, "gclab: plot: %s\n", err);
        return 1;
    }
    print_written(dir, n);
    return 0;
}

/* ------------------------------------------------------------------ */
/* gclab report */

static void report_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab report [-o FILE] [--replot] DIR\n\n"
            "One self-contained HTML page for a result folder: where and when it ran; per\n"
            "workload a verdict, a table of configurations (throughput, p99 pause, max pause,\n"
            "peak RSS, GC share, leaked bytes: medians with their 95%% CI, the best marked), the\n"
            "failed runs and why, and the plots inline.  Draws the plots first (gclab plot) when\n"
            "DIR/plots has none.  Loads nothing from elsewhere: it can be mailed or archived.\n"
            "docs/report.md describes it.\n\n"
            "  -o, --output FILE   where to write (default DIR/report.html)\n"
            "      --replot        draw the plots again even if DIR/plots has some\n"
            "  -h, --help          this text\n");
}

int cli_report(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"replot", no_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *output = NULL;
    int replot = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'o': output = optarg; break;
        case 'R': replot = 1; break;
        case 'h': report_usage(stdout); return 0;
        case ':':
            return cli_usage_error("report: option '%s' needs a value (see gclab report --help)",
                                   argv[optind - 1]);
        default: return cli_usage_error("report: unknown option '%s' (see gclab report --help)", argv[optind - 1]);
        }
    }
    const char *dir;
    int bad = cli_result_dir("report", argc, argv, optind, &dir);
    if (bad)
        return bad;
    char path[PATHBUF];
    struct stat st;
    if (output) {
        if (!*output)
            return cli_usage_error("report: -o needs a file name");
        if (stat(output, &st) == 0 && S_ISDIR(st.st_mode))
            return cli_usage_error("report: -o %s is a folder; give a file name", output);
        char parent[PATHBUF];
        const char *slash = strrchr(output, '/');
        snprintf(parent, sizeof parent, "%.*s", slash ? (int)(slash - output) + (slash == output) : 1,
                 slash ? output : ".");
        if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode))
            return cli_usage_error("report: cannot write %s: folder %s does not exist", output, parent);
        if (access(parent, W_OK) != 0)
            return cli_usage_error("report: cannot write %s: %s", output, strerror(errno));
        snprintf(path, sizeof path, "%s", output);
    } else {
        snprintf(path, sizeof path, "%s/report.html", dir);
    }
    char err[512];
    result_summary s;
    if (summary_load(dir, &s, err, sizeof err) != 0)
        return cli_usage_error("report: %s", err);
    int plotted = -2;
    if (replot || !report_has_plots(dir)) {
        plotted = plot_write(dir, &s, err, sizeof err);
        if (plotted < 0)
            fprintf(stderr, "gclab: report: warning: %s; the report has %s\n", err,
                    report_has_plots(dir) ? "the plots drawn before that" : "no plots");
    }
    int n = report_write_to(dir, &s, path, err, sizeof err);
    summary_free(&s);
    if (n < 0) {
        fprintf(stderr, "gclab: report: %s\n", err);
        return 1;
    }
    if (plotted >= 0)
        printf("Wrote %d plot%s into %s/plots (PNG, SVG, gnuplot scripts and data)\n", plotted,
               plotted == 1 ? "" : "s", dir);
    if (stat(path, &st) == 0)
        printf("Wrote %s (%.0f KiB, %d plot%s inline)\n", path, (double)st.st_size / 1024.0, n, n == 1 ? "" : "s");
    return 0;
}
