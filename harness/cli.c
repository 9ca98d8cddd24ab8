/*
 * harness/cli.c -- `gclab list`, `gclab run`, `gclab schema`.
 *
 * Bad input gets one line on stderr naming the problem and the valid
 * choices, exit status 2, and nothing written.
 */
#define _GNU_SOURCE

#include "cli.h"

#include "output.h"
#include "run.h"

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
            "                 [--seed N] [-o DIR] [--no-record] [--sample-ms MS] [-q]\n\n"
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
            "  -q, --quiet             no summary\n"
            "  -h, --help              this text\n");
}

/* "700,10,10" -> thresholds; -1 with a message in err on anything else. */
static int parse_thresholds(const char *text, const gclab_collector_info *ci, run_config *cfg, char *err,
                            size_t errlen)
{
    if (ci->nthresholds == 0) {
        snprintf(err, errlen, "collector %s takes no thresholds (-t); collectors with thresholds: "
                 "see gclab list", ci->name);
        return -1;
    }
    int n = 0;
    const char *p = text;
    while (1) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 0 || (*end != ',' && *end != '\0') || n == ci->nthresholds) {
            snprintf(err, errlen, "thresholds for %s are 1 to %d non-negative integers T0[,T1[,T2]], "
                     "got '%s'", ci->name, ci->nthresholds, text);
            return -1;
        }
        cfg->thresholds[n++] = v;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    cfg->nthresholds = n;
    return 0;
}

int cli_build_config(run_config *cfg, const char *cname, const char *wname, const char *thresholds,
                     const char *const *settings, size_t nsettings, char *err, size_t errlen)
{
    cfg->collector = gclab_collector_find(cname);
    if (!cfg->collector) {
        snprintf(err, errlen, "unknown collector '%s' (valid: %s)", cname, gclab_collector_names());
        return -1;
    }
    cfg->workload = workload_find(wname);
    if (!cfg->workload) {
        snprintf(err, errlen, "unknown workload '%s' (valid: %s)", wname, workload_names());
        return -1;
    }
    if (thresholds && parse_thresholds(thresholds, cfg->collector, cfg, err, errlen) != 0)
        return -1;
    if (nsettings > RUN_MAX_SETTINGS) {
        snprintf(err, errlen, "at most %d parameter settings", RUN_MAX_SETTINGS);
        return -1;
    }
    /* Each setting goes to the workload if it names one of its parameters,
     * else to the collector. */
    const workload *w = cfg->workload;
    const char *wsettings[RUN_MAX_SETTINGS];
    size_t nw = 0;
    cfg->ncsettings = 0;
    for (size_t i = 0; i < nsettings; i++) {
        size_t klen = strcspn(settings[i], "=");
        if (gclab_param_find(w->params, w->nparams, settings[i], klen) >= 0) {
            wsettings[nw++] = settings[i];
        } else if (gclab_param_find(cfg->collector->params, cfg->collector->nparams, settings[i], klen) >= 0) {
            cfg->csettings[cfg->ncsettings++] = settings[i];
        } else {
            char wn[256], cn[256];
            gclab_param_names(w->params, w->nparams, wn, sizeof wn);
            gclab_param_names(cfg->collector->params, cfg->collector->nparams, cn, sizeof cn);
            snprintf(err, errlen, "unknown parameter '%.*s' (workload %s: %s; collector %s: %s)", (int)klen,
                     settings[i], w->name, wn, cfg->collector->name, cn);
            return -1;
        }
    }
    if (w->nparams > RUN_MAX_PARAMS ||
        gclab_params_parse(w->params, w->nparams, w->name, wsettings, nw, cfg->wparams, err, errlen) != 0)
        return -1;
    gclab_value cvals[RUN_MAX_PARAMS];
    if (cfg->collector->nparams > RUN_MAX_PARAMS ||
        gclab_params_parse(cfg->collector->params, cfg->collector->nparams, cfg->collector->name,
                           cfg->csettings, cfg->ncsettings, cvals, err, errlen) != 0)
        return -1;
    return 0;
}

int cli_check_output(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "output folder name too long");
        return -1;
    }
    struct stat st;
    while (stat(path, &st) != 0) { /* find the deepest part that exists */
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) {
            snprintf(path, sizeof path, "%s", slash == path ? "/" : ".");
            break;
        }
        *slash = '\0';
    }
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot use output folder %.200s: %.200s is not a folder", dir, path);
        return -1;
    }
    /* Try it: access() says yes to root even where nothing can be made. */
    char probe[PATH_MAX];
    snprintf(probe, sizeof probe, "%.4000s/.gclab-probe-XXXXXX", path);
    if (!mkdtemp(probe)) {
        snprintf(err, errlen, "cannot write output folder %.200s: %.200s: %s", dir, path, strerror(errno));
        return -1;
    }
    rmdir(probe);
    return 0;
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
        {NULL, 0, NULL, 0},
    };
    const char *cname = NULL, *wname = NULL, *thresholds = NULL, *outdir = NULL;
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
    char err[512];
    if (cli_build_config(&cfg, cname, wname, thresholds, settings, nsettings, err, sizeof err) != 0)
        return cli_usage_error("%s", err);
    const workload *w = cfg.workload;

    if (w->prepare && w->prepare(cfg.wparams, &cfg.wstate, err, sizeof err) != 0)
        return cli_usage_error("%s", err);

    char label[1024];
    if (!cfg.config) {
        output_config_label(label, sizeof label, w->name, cfg.collector->name, thresholds, settings, nsettings);
        cfg.config = label;
    }
    char dir[PATH_MAX];
    if (outdir)
        snprintf(dir, sizeof dir, "%s", outdir);
    else
        default_output(dir, sizeof dir, &cfg);
    if (cli_check_output(dir, err, sizeof err) != 0) {
        if (w->release)
            w->release(cfg.wstate);
        return cli_usage_error("%s", err);
    }

    if (!quiet)
        fprintf(stderr, "gclab: running %s on %s, seed %llu...\n", cfg.collector->name, w->name,
                (unsigned long long)cfg.seed);
    run_result res;
    int rc = run_once(&cfg, &res, err, sizeof err);
    if (w->release)
        w->release(cfg.wstate);
    if (rc != 0) {
        run_result_free(&res);
        fprintf(stderr, "gclab: run failed: %s\n", err);
        return 1;
    }
    int created;
    if (output_prepare_dir(dir, &created, err, sizeof err) != 0 ||
        output_write(dir, &cfg, &res, argc, argv, err, sizeof err) != 0) {
        if (created)
            rmdir(dir);
        run_result_free(&res);
        fprintf(stderr, "gclab: %s\n", err);
        return 1;
    }
    if (!quiet) {
        output_print_summary(stdout, &cfg, &res);
        printf("  Wrote:        %s/{runs,pauses,timeseries,workers}.csv, meta.json (run %s)\n", dir,
               res.run_id);
    }
    run_result_free(&res);
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
