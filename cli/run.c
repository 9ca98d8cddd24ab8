/*
 * cli/run.c -- `gclab list`, `gclab run`, `gclab schema`.
 *
 * Bad input gets one line on stderr naming the problem and the valid
 * choices, exit status 2, and nothing written.
 */
#define _GNU_SOURCE

#include "cli.h"

#include "harness/calibration.h"
#include "harness/config.h"
#include "harness/output.h"
#include "harness/run.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("gclab: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_result_dir(const char *cmd, int argc, char **argv, int first, const char **dir)
{
    if (first >= argc)
        return cli_usage_error("%s: missing DIR, a result folder (see gclab %s --help)", cmd, cmd);
    if (argc - first > 1)
        return cli_usage_error("%s: unexpected argument '%s' (one DIR; see gclab %s --help)", cmd,
                               argv[first + 1], cmd);
    struct stat st;
    if (stat(argv[first], &st) != 0)
        return cli_usage_error("%s: cannot read %s: %s", cmd, argv[first], strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cli_usage_error("%s: %s is not a folder (a result folder of gclab run)", cmd, argv[first]);
    *dir = argv[first];
    return 0;
}

/* ------------------------------------------------------------------ */
/* list */

static void list_params(const gclab_param *params, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const gclab_param *p = &params[i];
        char def[96];
        snprintf(def, sizeof def, "%s=%s%s%s", p->name, p->def, p->unit && *p->unit ? " " : "",
                 p->unit ? p->unit : "");
        printf("      %-28s %s", def, p->help);
        if (p->type == GCLAB_PARAM_CHOICE)
            printf(" [%s]", p->choices);
        else if (p->type == GCLAB_PARAM_INT || p->type == GCLAB_PARAM_DOUBLE)
            printf(" [%g..%g]", p->min, p->max);
        printf("\n");
    }
}

int cli_list(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: gclab list\n\nEvery collector and workload, with its parameters, defaults and units.\n");
        return 0;
    }
    if (argc > 1)
        return cli_usage_error("list takes no arguments, got '%s'", argv[1]);
    printf("collectors (-c):\n");
    for (size_t i = 0; i < gclab_collector_count(); i++) {
        const gclab_collector_info *ci = gclab_collector_at(i);
        printf("  %-14s %s\n", ci->name, ci->description);
        if (ci->nthresholds) {
            printf("      %-28s", "thresholds (-t)");
            for (int t = 0; t < ci->nthresholds; t++)
                printf("%s%ld", t ? "," : " ", ci->default_thresholds[t]);
            printf("  (threshold0: net container allocations; the others: younger collections)\n");
        }
        list_params(ci->params, ci->nparams);
    }
    printf("\nprofiles (profile=, for generational, disabled, manual-time, manual-event; docs/collectors.md):\n");
    for (size_t i = 0; i < gclab_profile_count(); i++) {
        char what[512];
        gclab_profile_describe(i, what, sizeof what);
        printf("  %-14s %s\n", gclab_profile_name(i), what);
    }
    printf("\nworkloads (-w):\n");
    for (size_t i = 0; i < workload_count(); i++) {
        const workload *w = workload_at(i);
        printf("  %-14s %s (one op: a %s)\n", w->name, w->description, w->op);
        list_params(w->params, w->nparams);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* run */

static void run_usage(FILE *out)
{
    fprintf(out,
            "usage: gclab run -c COLLECTOR -w WORKLOAD [-t T0,T1,T2] [-p key=value ...]\n"
            "                 [--seed N] [-o DIR] [--no-record] [--sample-ms MS]\n"
            "                 [--calibration FILE] [-q]\n\n"
            "One run, measured completely: every collection, pauses and MMU, memory over time,\n"
            "throughput and counters.  Prints a summary and writes runs.csv, pauses.csv,\n"
            "timeseries.csv, workers.csv and meta.json (docs/csv-schema.md) into DIR.\n\n"
            "  -c, --collector NAME    the collector (gclab list)\n"
            "  -w, --workload NAME     the workload (gclab list)\n"
            "  -t, --thresholds LIST   1 to 3 comma-separated thresholds; 0 disables automatic\n"
            "                          collection (gc.set_threshold(0))\n"
            "  -p, --param KEY=VALUE   a workload or collector parameter (repeatable)\n"
            "      --seed N            the workload's seed (default 1)\n"
            "  -o, --output DIR        where to write (default results/<time>-<collector>-<workload>);\n"
            "                          rows are appended to an earlier run's files\n"
            "      --no-record         do not time collections (to measure the recording's cost)\n"
            "      --sample-ms MS      memory sampling period (default 10; 0: start and end only)\n"
            "      --config LABEL      the configuration's label in runs.csv (default: what was set,\n"
            "                          e.g. 'web/generational t=700,10,10 requests=5000')\n"
            "      --repeat N          which repeat of the configuration this is (default 0)\n"
            "      --calibration FILE  a pause model (DIR/pause-model.csv of gclab calibrate -o DIR,\n"
            "                          or DIR): add the estimated CPython pause of every collection,\n"
            "                          est_cpython_pause_ns, to pauses.csv and est_cpython_pause_*\n"
            "                          to runs.csv, from the cpython row of the collector's profile\n"
            "  -q, --quiet             no summary\n"
            "  -h, --help              this text\n");
}

static void default_output(char *buf, size_t len, const run_config *cfg)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    struct stat st;
    snprintf(buf, len, "results/%s-%s-%s", stamp, cfg->collector->name, cfg->workload->name);
    for (int i = 2; stat(buf, &st) == 0; i++)
        snprintf(buf, len, "results/%s-%s-%s-%d", stamp, cfg->collector->name, cfg->workload->name, i);
}

int cli_run(int argc, char **argv)
{
    static const struct option opts[] = {
        {"collector", required_argument, NULL, 'c'}, {"workload", required_argument, NULL, 'w'},
        {"thresholds", required_argument, NULL, 't'}, {"param", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 'S'},       {"output", required_argument, NULL, 'o'},
        {"no-record", no_argument, NULL, 'R'},        {"sample-ms", required_argument, NULL, 'M'},
        {"quiet", no_argument, NULL, 'q'},            {"help", no_argument, NULL, 'h'},
        {"config", required_argument, NULL, 'C'},     {"repeat", required_argument, NULL, 'r'},
        {"calibration", required_argument, NULL, 'K'}, {NULL, 0, NULL, 0},
    };
    const char *cname = NULL, *wname = NULL, *thresholds = NULL, *outdir = NULL, *calibration = NULL;
    const char *settings[RUN_MAX_SETTINGS];
    size_t nsettings = 0;
    run_config cfg = {.seed = 1, .record = 1, .sample_ms = 10};
    int quiet = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":c:w:t:p:o:qh", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'c': cname = optarg; break;
        case 'w': wname = optarg; break;
        case 't': thresholds = optarg; break;
        case 'o': outdir = optarg; break;
        case 'q': quiet = 1; break;
        case 'C': cfg.config = optarg; break;
        case 'K': calibration = optarg; break;
        case 'r': {
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 0 || v > 1000000)
                return cli_usage_error("run: --repeat must be an integer from 0 to 1000000, got '%s'", optarg);
            cfg.repeat = (int)v;
            break;
        }
        case 'R': cfg.record = 0; break;
        case 'h': run_usage(stdout); return 0;
        case 'p':
            if (nsettings == RUN_MAX_SETTINGS)
                return cli_usage_error("run: at most %d -p settings", RUN_MAX_SETTINGS);
            settings[nsettings++] = optarg;
            break;
        case 'S':
            errno = 0;
            cfg.seed = strtoull(optarg, &end, 0);
            if (errno || end == optarg || *end || optarg[0] == '-')
                return cli_usage_error("run: --seed must be a non-negative integer, got '%s'", optarg);
            break;
        case 'M': {
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (errno || end == optarg || *end || v < 0 || v > 60000)
                return cli_usage_error("run: --sample-ms must be an integer from 0 to 60000, got '%s'", optarg);
            cfg.sample_ms = (unsigned)v;
            break;
        }
        case ':':
            return cli_usage_error("run: option '%s' needs a value (see gclab run --help)", argv[optind - 1]);
        default:
            return cli_usage_error("run: unknown option '%s' (see gclab run --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("run: unexpected argument '%s' (see gclab run --help)", argv[optind]);
    if (!cname)
        return cli_usage_error("run: missing -c COLLECTOR (valid: %s)", gclab_collector_names());
    if (!wname)
        return cli_usage_error("run: missing -w WORKLOAD (valid: %s)", workload_names());
    char dir[PATH_MAX];
    config_spec spec = {.collector = cname, .workload = wname, .thresholds_text = thresholds,
                        .settings = settings, .nsettings = nsettings, .prepare = 1};
    config_error ce;
    if (config_build(&cfg, &spec, &ce) != 0)
        return cli_usage_error("%s", ce.msg);
    const workload *w = cfg.workload;
    char label[1024];
    if (!cfg.config) {
        config_label(&cfg, settings, nsettings, label, sizeof label);
        cfg.config = label;
    }
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else
        default_output(dir, sizeof dir, &cfg);
    char err[1024];
    /* The pause model checked, and its row chosen, before anything runs. */
    calib_file cf = {0};
    calib_choice choice;
    if (calibration) {
        if (calib_load(calibration, &cf, err, sizeof err) != 0 ||
            calib_select(&cf, &cfg, &choice, err, sizeof err) != 0) {
            calib_free(&cf);
            config_release(&cfg);
            return cli_usage_error("run: %s", err);
        }
        cfg.calib = &choice;
    }
    if (config_check_output(dir, err, sizeof err) != 0) {
        calib_free(&cf);
        config_release(&cfg);
        return cli_usage_error("%s", err);
    }

    if (!quiet)
        fprintf(stderr, "gclab: running %s on %s, seed %llu...\n", cfg.collector->name, w->name,
                (unsigned long long)cfg.seed);
    run_exit_on_oom();
    run_result res;
    int rc = run_once(&cfg, &res, err, sizeof err);
    config_release(&cfg);
    if (rc != 0) {
        run_result_free(&res);
        calib_free(&cf);
        fprintf(stderr, "gclab: run failed: %s\n", err);
        return 1;
    }
    int created;
    if (output_prepare_dir(dir, &created, err, sizeof err) != 0 ||
        output_write(dir, &cfg, &res, argc, argv, err, sizeof err) != 0) {
        if (created)
            rmdir(dir);
        run_result_free(&res);
        calib_free(&cf);
        fprintf(stderr, "gclab: %s\n", err);
        return 1;
    }
    if (!quiet) {
        output_print_summary(stdout, &cfg, &res);
        printf("  Wrote:        %s/{runs,pauses,timeseries,workers}.csv, meta.json (run %s)\n", dir,
               res.run_id);
    }
    run_result_free(&res);
    calib_free(&cf);
    return 0;
}

/* ------------------------------------------------------------------ */

int cli_schema(int argc, char **argv)
{
    if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        printf("usage: gclab schema\n\nThe columns of every file a run writes, as Markdown "
               "(docs/csv-schema.md).\n");
        return 0;
    }
    if (argc > 1)
        return cli_usage_error("schema takes no arguments, got '%s'", argv[1]);
    output_print_schema(stdout);
    return 0;
}
