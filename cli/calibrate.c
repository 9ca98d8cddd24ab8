/*
 * cli/calibrate.c -- `gclab calibrate`: the paired corpus
 * (workloads/corpus/) on real interpreters and on gclab under the profile
 * of each, side by side; calibration.csv and pause-model.csv.
 */
#define _GNU_SOURCE

#include "cli.h"

#include "harness/atomic.h"
#include "harness/calibrate.h"
#include "harness/config.h"
#include "harness/csv.h"
#include "harness/util.h"

#include <gclab/gclab.h>

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PYTHONS 32

static void usage(FILE *out)
{
    fprintf(out,
            "usage: gclab calibrate [--python PATH]... [--corpus DIR] [--programs A,B,...] [-o DIR] [-q]\n\n"
            "Runs every corpus program (a Python program and its gclab twin, a trace) on each\n"
            "interpreter and on gclab's generational collector with the profile of that interpreter's\n"
            "version, started from the interpreter's own start-up state.  Prints, per program, the\n"
            "collections per generation, the objects collected and the closing gc.collect() of both\n"
            "sides with the error, and fits each side's pause cost as a + b x examined + c x collected.\n"
            "Exit status 1 when a program is outside the tolerance: collections per generation within\n"
            "2%% (generation 2 within max(1, 2%%)), objects collected and gc.collect() equal.\n\n"
            "  --python PATH     an interpreter (repeat for more; default: python3 from PATH)\n"
            "  --corpus DIR      the corpus (default: workloads/corpus)\n"
            "  --programs LIST   only these programs (names, comma-separated)\n"
            "  --profile NAME    compare against this profile instead of the interpreter's own\n"
            "                    (e.g. ideal, to see what the profiles buy)\n"
            "  -o, --output DIR  where calibration.csv and pause-model.csv go\n"
            "                    (default results/<time>-calibrate)\n"
            "  -q, --quiet       no per-program lines, only the verdict per interpreter\n");
}

/* `python3` from PATH. */
static int find_python3(char *buf, size_t len)
{
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (const char *s = path; *s;) {
        const char *colon = strchr(s, ':');
        size_t n = colon ? (size_t)(colon - s) : strlen(s);
        snprintf(buf, len, "%.*s/python3", (int)n, s);
        struct stat st;
        if (n && stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
            return 0;
        s = colon ? colon + 1 : s + n;
    }
    return -1;
}

typedef struct metric_row {
    const char *metric, *kind; /* kind: gen0/gen1/gen2/exact (checked) or NULL (shown only) */
    long cpython, gclab;
} metric_row;

static void rel_error(char *buf, size_t len, long gclab, long cpython)
{
    if (cpython == gclab)
        snprintf(buf, len, "0");
    else if (cpython == 0)
        snprintf(buf, len, "%s", "");
    else
        snprintf(buf, len, "%.6f", (double)(gclab - cpython) / (double)(cpython < 0 ? -cpython : cpython));
}

/* Every compared figure of one program, in calibration.csv's order. */
static size_t metric_rows(const calib_result *py, const calib_result *gl, metric_row *rows, size_t max,
                          char names[][64])
{
    static const char *gen[3] = {"gen0", "gen1", "gen2"};
    static const char *coll[3] = {"collections_gen0", "collections_gen1", "collections_gen2"};
    size_t n = 0;
    for (int g = 0; g < 3; g++)
        rows[n++] = (metric_row){coll[g], gen[g], py->collections[g], gl->collections[g]};
    long pc = py->collected[0] + py->collected[1] + py->collected[2];
    long gc = gl->collected[0] + gl->collected[1] + gl->collected[2];
    long pu = py->uncollectable[0] + py->uncollectable[1] + py->uncollectable[2];
    long gu = gl->uncollectable[0] + gl->uncollectable[1] + gl->uncollectable[2];
    rows[n++] = (metric_row){"collected", "exact", pc, gc};
    rows[n++] = (metric_row){"uncollectable", "exact", pu, gu};
    rows[n++] = (metric_row){"final_collect", "exact", py->final, gl->final};
    size_t nck = py->ncheckpoints > gl->ncheckpoints ? py->ncheckpoints : gl->ncheckpoints;
    rows[n++] = (metric_row){"checkpoints", "exact", (long)py->ncheckpoints, (long)gl->ncheckpoints};
    for (size_t i = 0; i < nck && n + 3 <= max; i++)
        for (int g = 0; g < 3; g++) {
            snprintf(names[n], 64, "checkpoint%zu_count%c", i + 1, (char)('0' + g));
            rows[n] = (metric_row){names[n], NULL, i < py->ncheckpoints ? py->checkpoints[i][g] : -1,
                                   i < gl->ncheckpoints ? gl->checkpoints[i][g] : -1};
            n++;
        }
    return n;
}

static void put_csv_row(FILE *f, const calib_python *py, const char *profile, const char *program,
                        const metric_row *r)
{
    char err[40];
    rel_error(err, sizeof err, r->gclab, r->cpython);
    csv_put(f, py->path);
    fprintf(f, ",%s,%s,%s,%s,%ld,%ld,%s,%s\n", py->version, profile, program, r->metric, r->cpython, r->gclab,
            err, !r->kind ? "" : calib_within(r->kind, r->gclab, r->cpython) ? "1" : "0");
}

static void print_gens(char *buf, size_t len, const long v[3])
{
    snprintf(buf, len, "%ld/%ld/%ld", v[0], v[1], v[2]);
}

static double max_gen_error(const calib_result *py, const calib_result *gl)
{
    double worst = 0;
    for (int g = 0; g < 3; g++) {
        double e = py->collections[g] ? fabs((double)(gl->collections[g] - py->collections[g]) /
                                             (double)py->collections[g])
                                      : gl->collections[g] ? INFINITY : 0;
        if (e > worst)
            worst = e;
    }
    return worst;
}

static void put_fit(FILE *f, const char *source, const calib_python *py, const char *profile, calib_fit fit)
{
    if (!fit.ok) /* too few pauses: no row, rather than one without coefficients */
        return;
    fprintf(f, "%s,", source);
    csv_put(f, py->path);
    fprintf(f, ",%s,%s,%zu,", py->version, profile, fit.n);
    fprintf(f, "%.1f,%.4f,%.4f,", fit.a, fit.b, fit.c);
    if (isnan(fit.r2))
        fprintf(f, "\n");
    else
        fprintf(f, "%.4f\n", fit.r2);
}

static const char *fit_text(char *buf, size_t len, calib_fit fit)
{
    if (!fit.ok)
        snprintf(buf, len, "too few pauses to fit (%zu)", fit.n);
    else
        snprintf(buf, len, "%.0f ns + %.2f ns x examined + %.2f ns x collected (R^2 %.3f, %zu pauses)", fit.a,
                 fit.b, fit.c, fit.r2, fit.n);
    return buf;
}

/* calibration.csv and pause-model.csv into dir (made if needed), both or
 * neither.  0, or an exit status with err. */
static int write_results(const char *dir, const char *csv, size_t csv_len, const char *model, size_t model_len,
                         char *err, size_t errlen)
{
    if (util_mkdir_p(dir) != 0) {
        util_mkdir_error(err, errlen, dir, dir, errno);
        return EXIT_FAILURE;
    }
    char path[PATH_MAX + 32];
    atomic_group g;
    atomic_init(&g);
    snprintf(path, sizeof path, "%s/calibration.csv", dir);
    FILE *a = atomic_open(&g, path, err, errlen);
    snprintf(path, sizeof path, "%s/pause-model.csv", dir);
    FILE *b = a ? atomic_open(&g, path, err, errlen) : NULL;
    if (!a || !b) {
        atomic_abort(&g);
        return EXIT_FAILURE;
    }
    fwrite(csv, 1, csv_len, a);
    fwrite(model, 1, model_len, b);
    return atomic_commit(&g, ATOMIC_FORWARD, err, errlen) == 0 ? 0 : EXIT_FAILURE;
}

int cli_calibrate(int argc, char **argv)
{
    static const struct option opts[] = {
        {"python", required_argument, NULL, 'P'}, {"corpus", required_argument, NULL, 'C'},
        {"programs", required_argument, NULL, 'R'}, {"profile", required_argument, NULL, 'F'},
        {"output", required_argument, NULL, 'o'},  {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *pythons[MAX_PYTHONS];
    size_t npythons = 0;
    const char *corpus_dir = NULL, *only = NULL, *out = NULL, *force_profile = NULL;
    int quiet = 0, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":o:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(stdout); return 0;
        case 'P':
            if (npythons == MAX_PYTHONS)
                return cli_usage_error("calibrate: at most %d --python, got more", MAX_PYTHONS);
            pythons[npythons++] = optarg;
            break;
        case 'C': corpus_dir = optarg; break;
        case 'R': only = optarg; break;
        case 'F': force_profile = optarg; break;
        case 'o': out = optarg; break;
        case 'q': quiet = 1; break;
        case ':':
            return cli_usage_error("calibrate: option '%s' needs a value (see gclab calibrate --help)",
                                   argv[optind - 1]);
        default:
            return cli_usage_error("calibrate: unknown option '%s' (see gclab calibrate --help)", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error("calibrate: unexpected argument '%s' (see gclab calibrate --help)", argv[optind]);
    if (force_profile) {
        int found = 0;
        char names[256] = "";
        for (size_t i = 0; gclab_profile_name(i); i++) {
            found |= strcmp(gclab_profile_name(i), force_profile) == 0;
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", *names ? ", " : "",
                     gclab_profile_name(i));
        }
        if (!found)
            return cli_usage_error("calibrate: --profile %s: no such profile (choices: %s)", force_profile, names);
    }
    static char default_python[PATH_MAX];
    if (npythons == 0) {
        if (find_python3(default_python, sizeof default_python) != 0)
            return cli_usage_error("calibrate: no python3 in PATH; give an interpreter with --python PATH");
        pythons[npythons++] = default_python;
    }
    char err[1024];
    calib_python py[MAX_PYTHONS];
    for (size_t i = 0; i < npythons; i++)
        if (calib_python_identify(pythons[i], &py[i], err, sizeof err) != 0)
            return cli_usage_error("calibrate: %s", err);
    char corpus_buf[PATH_MAX];
    if (!corpus_dir)
        corpus_dir = cli_source_path("workloads/corpus", corpus_buf, sizeof corpus_buf);
    calib_corpus corpus;
    if (calib_corpus_load(corpus_dir, only, &corpus, err, sizeof err) != 0)
        return cli_usage_error("calibrate: %s", err);
    char dir[PATH_MAX];
    if (out)
        snprintf(dir, sizeof dir, "%s", out);
    else
        cli_stamp_dir(dir, sizeof dir, "calibrate");
    if (config_check_output(dir, err, sizeof err) != 0) { /* can it be written?  (leaves nothing) */
        calib_corpus_free(&corpus);
        return cli_usage_error("calibrate: %s", err);
    }
    /* written at the end, whole: nothing is left behind by a failure */
    char *csv_text = NULL, *model_text = NULL;
    size_t csv_len = 0, model_len = 0;
    FILE *csv = open_memstream(&csv_text, &csv_len), *model = open_memstream(&model_text, &model_len);
    if (!csv || !model) {
        if (csv)
            fclose(csv);
        if (model)
            fclose(model);
        free(csv_text);
        free(model_text);
        calib_corpus_free(&corpus);
        fprintf(stderr, "gclab: calibrate: out of memory\n");
        return EXIT_OOM;
    }
    fprintf(csv, "python,version,profile,program,metric,cpython,gclab,error,within\n");
    fprintf(model, "source,python,version,profile,pauses,a_ns,b_ns,c_ns,r2\n");

    int rc = 0, outside = 0;
    for (size_t k = 0; k < npythons && rc == 0; k++) {
        const char *profile = force_profile ? force_profile : py[k].profile;
        printf("Python %s (%s) against gclab generational, profile=%s: %zu programs\n", py[k].version, py[k].path,
               profile, corpus.n);
        if (!quiet)
            printf("  %-22s %-15s %-15s %7s  %-10s %-10s %-9s %s\n", "program", "collections", "gclab", "error",
                   "collected", "gclab", "final", "");
        calib_result *pr = calloc(corpus.n, sizeof *pr), *gr = calloc(corpus.n, sizeof *gr);
        if (!pr || !gr) {
            free(pr);
            free(gr);
            snprintf(err, sizeof err, "out of memory");
            rc = EXIT_OOM;
            break;
        }
        size_t bad_here = 0, done = 0;
        for (size_t i = 0; i < corpus.n && rc == 0; i++, done++) {
            const calib_program *p = &corpus.v[i];
            if (calib_run_cpython(&py[k], p, &pr[i], err, sizeof err) != 0 ||
                calib_run_gclab(profile, pr[i].startup, p, &gr[i], err, sizeof err) != 0) {
                rc = EXIT_USAGE;
                calib_result_free(&pr[i]);
                break;
            }
            metric_row rows[8 + 3 * CALIB_MAX_CHECKPOINTS];
            char names[8 + 3 * CALIB_MAX_CHECKPOINTS][64];
            size_t n = metric_rows(&pr[i], &gr[i], rows, sizeof rows / sizeof rows[0], names);
            int ok = 1;
            for (size_t r = 0; r < n; r++) {
                put_csv_row(csv, &py[k], profile, p->name, &rows[r]);
                if (rows[r].kind && !calib_within(rows[r].kind, rows[r].gclab, rows[r].cpython))
                    ok = 0;
            }
            bad_here += !ok;
            if (!quiet) {
                char a[48], b[48], e[16];
                print_gens(a, sizeof a, pr[i].collections);
                print_gens(b, sizeof b, gr[i].collections);
                double me = max_gen_error(&pr[i], &gr[i]);
                if (isinf(me))
                    snprintf(e, sizeof e, "inf");
                else
                    snprintf(e, sizeof e, "%.1f%%", 100 * me);
                long pc = pr[i].collected[0] + pr[i].collected[1] + pr[i].collected[2];
                long gc = gr[i].collected[0] + gr[i].collected[1] + gr[i].collected[2];
                char fin[40];
                snprintf(fin, sizeof fin, "%ld/%ld", pr[i].final, gr[i].final);
                printf("  %-22s %-15s %-15s %7s  %-10ld %-10ld %-9s %s\n", p->name, a, b, e, pc, gc, fin,
                       ok ? "ok" : "OUTSIDE");
                fflush(stdout);
            }
        }
        if (rc == 0) {
            const calib_pause *ps[256], *gs[256];
            size_t pn[256], gn[256], m = done < 256 ? done : 256;
            for (size_t i = 0; i < m; i++) {
                ps[i] = pr[i].pauses, pn[i] = pr[i].npauses;
                gs[i] = gr[i].pauses, gn[i] = gr[i].npauses;
            }
            calib_fit fp = calib_fit_pauses(ps, pn, m), fg = calib_fit_pauses(gs, gn, m);
            put_fit(model, "cpython", &py[k], profile, fp);
            put_fit(model, "gclab", &py[k], profile, fg);
            char t[200];
            printf("  pause cost, CPython %s: %s\n", py[k].version, fit_text(t, sizeof t, fp));
            printf("  pause cost, gclab:        %s\n", fit_text(t, sizeof t, fg));
            if (fp.ok && fg.ok)
                printf("  gclab / CPython: %.2f per examined object, %.2f per collected object\n",
                       fp.b != 0 ? fg.b / fp.b : NAN, fp.c != 0 ? fg.c / fp.c : NAN);
            printf("  %s: %zu of %zu programs within tolerance\n\n", bad_here ? "OUTSIDE" : "ok",
                   corpus.n - bad_here, corpus.n);
            outside += bad_here != 0;
        }
        for (size_t i = 0; i < corpus.n; i++) {
            calib_result_free(&pr[i]);
            calib_result_free(&gr[i]);
        }
        free(pr);
        free(gr);
    }
    calib_corpus_free(&corpus);
    fclose(csv);
    fclose(model);
    if (rc == 0)
        rc = write_results(dir, csv_text, csv_len, model_text, model_len, err, sizeof err);
    free(csv_text);
    free(model_text);
    if (rc != 0) {
        fprintf(stderr, "gclab: calibrate: %s\n", err);
        return rc;
    }
    printf("wrote %s/calibration.csv and %s/pause-model.csv\n", dir, dir);
    return outside ? 1 : 0;
}
