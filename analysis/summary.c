/*
 * analysis/summary.c -- statistics per configuration across repeats, from a
 * result folder: runs.csv grouped by its config column, pauses.csv merged
 * per configuration, summary.csv and the table a user reads.
 *
 * The definitions (median, MAD, type 7 quartiles, the percentile bootstrap,
 * why pauses are merged rather than averaged) are in docs/statistics.md.
 */
#define _GNU_SOURCE

#include "summary.h"
#include "verdict.h"

#include "harness/atomic.h"
#include "harness/csv.h"
#include "harness/stats.h"
#include "harness/util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* 10^(5 + 5k/15) ns, k = 0..15: 100 us to 10 s, log-spaced, rounded to
 * whole nanoseconds. */
const double summary_mmu_window_ns[SUMMARY_MMU_WINDOWS] = {
    1e5,         215443.0,    464159.0,    1e6,          2154435.0,    4641589.0,
    1e7,         21544347.0,  46415888.0,  1e8,          215443469.0,  464158883.0,
    1e9,         2154434690.0, 4641588834.0, 1e10,
};

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* ------------------------------------------------------------------ */
/* loading */

/* The pauses.csv rows, indexed by run id. */
typedef struct pause_index {
    const csv_table *t;
    int c_run, c_start, c_dur;
    size_t *rows; /* row numbers sorted by run_id, then file order */
    size_t n;
} pause_index;

static const csv_table *sort_table;
static int sort_col;

static int cmp_pause_rows(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = strcmp(csv_get(sort_table, a, sort_col), csv_get(sort_table, b, sort_col));
    return c ? c : (a > b) - (a < b);
}

static void pause_index_build(pause_index *pi, const csv_table *t)
{
    pi->t = t;
    pi->c_run = csv_col(t, "run_id");
    pi->c_start = csv_col(t, "start_ns");
    pi->c_dur = csv_col(t, "duration_ns");
    pi->n = (pi->c_run >= 0 && pi->c_dur >= 0) ? t->nrows : 0;
    pi->rows = util_xmalloc(pi->n * sizeof *pi->rows);
    for (size_t i = 0; i < pi->n; i++)
        pi->rows[i] = i;
    sort_table = t;
    sort_col = pi->c_run;
    qsort(pi->rows, pi->n, sizeof *pi->rows, cmp_pause_rows);
}

/* The rows of one run: *first and the count. */
static size_t pause_index_find(const pause_index *pi, const char *run_id, size_t *first)
{
    size_t lo = 0, hi = pi->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(csv_get(pi->t, pi->rows[mid], pi->c_run), run_id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t end = lo;
    while (end < pi->n && strcmp(csv_get(pi->t, pi->rows[end], pi->c_run), run_id) == 0)
        end++;
    *first = lo;
    return end - lo;
}

static int cmp_span(const void *x, const void *y)
{
    const pause_span *a = x, *b = y;
    return (a->start_ns > b->start_ns) - (a->start_ns < b->start_ns);
}

/* A non-negative integer field (as pauses.csv holds): 0 and -1 if it is not one. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

static void stats_fill(metric_stats *m, double *values, size_t n)
{
    m->n = n;
    m->values = values;
    if (n == 0) {
        m->median = m->mad = m->q1 = m->q3 = m->min = m->max = m->ci_lo = m->ci_hi = NAN;
        return;
    }
    m->median = stats_median(values, n);
    m->mad = stats_mad(values, n);
    stats_quartiles(values, n, &m->q1, &m->q3);
    m->min = m->max = values[0];
    for (size_t i = 1; i < n; i++) {
        if (values[i] < m->min)
            m->min = values[i];
        if (values[i] > m->max)
            m->max = values[i];
    }
    stats_bootstrap_median_ci(values, n, 0.95, STATS_BOOTSTRAP_RESAMPLES, STATS_BOOTSTRAP_SEED,
                              &m->ci_lo, &m->ci_hi);
}

/* "k=v k=v" of the row's param_* columns that are not NA or empty. */
static char *params_of(const csv_table *t, size_t row)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    int first = 1;
    for (size_t c = 0; c < t->ncols; c++) {
        if (strncmp(t->names[c], "param_", 6) != 0)
            continue;
        const char *v = csv_get(t, row, (int)c);
        if (!*v || strcmp(v, "NA") == 0)
            continue;
        fprintf(f, "%s%s=%s", first ? "" : " ", t->names[c] + 6, v);
        first = 0;
    }
    fclose(f);
    return buf;
}

/* Rows of one configuration, sorted by repeat (stable; no repeat last). */
typedef struct row_ref {
    size_t row;
    double repeat;
} row_ref;

static int cmp_row_ref(const void *x, const void *y)
{
    const row_ref *a = x, *b = y;
    int an = isnan(a->repeat), bn = isnan(b->repeat);
    if (an != bn)
        return an - bn;
    if (!an && a->repeat != b->repeat)
        return (a->repeat > b->repeat) - (a->repeat < b->repeat);
    return (a->row > b->row) - (a->row < b->row);
}

static int is_failed(const csv_table *t, size_t row, int c_status)
{
    return c_status >= 0 && strcmp(csv_get(t, row, c_status), "ok") != 0;
}

/* One configuration from its rows (in runs.csv order). */
static void summarise_config(config_summary *cs, const csv_table *runs, const size_t *rows, size_t nrows,
                             const pause_index *pi)
{
    int c_status = csv_col(runs, "status"), c_failure = csv_col(runs, "failure");
    int c_run = csv_col(runs, "run_id"), c_repeat = csv_col(runs, "repeat");
    int c_wall = csv_col(runs, "wall_ns"), c_gctime = csv_col(runs, "gc_time_ns");
    size_t first = rows[0];
    cs->workload = util_xstrdup(csv_get(runs, first, csv_col(runs, "workload")));
    cs->collector = util_xstrdup(csv_get(runs, first, csv_col(runs, "collector")));
    cs->collector_params = util_xstrdup(csv_get(runs, first, csv_col(runs, "collector_params")));
    cs->params = params_of(runs, first);
    static const char *const tcol[3] = {"threshold0", "threshold1", "threshold2"};
    for (int k = 0; k < 3; k++)
        cs->threshold[k] = csv_num(runs, first, csv_col(runs, tcol[k]));

    cs->nrun_ids = nrows;
    cs->run_ids = util_xcalloc(nrows, sizeof *cs->run_ids);
    cs->failures = util_xcalloc(nrows, sizeof *cs->failures);
    row_ref *ok = util_xmalloc(nrows * sizeof *ok);
    for (size_t i = 0; i < nrows; i++) {
        size_t r = rows[i];
        cs->run_ids[i] = util_xstrdup(csv_get(runs, r, c_run));
        if (is_failed(runs, r, c_status)) {
            const char *why = csv_get(runs, r, c_failure);
            cs->failures[cs->runs_failed++] = util_xstrdup(*why ? why : csv_get(runs, r, c_status));
        } else {
            ok[cs->runs_ok++] = (row_ref){r, csv_num(runs, r, c_repeat)};
        }
    }
    qsort(ok, cs->runs_ok, sizeof *ok, cmp_row_ref);

    for (size_t m = 0; m < MET_COUNT; m++)
        stats_fill(&cs->m[m], NULL, 0);
    for (size_t h = 0; h < metric_nheadline(); h++) {
        size_t m = metric_headline(h);
        int c = csv_col(runs, metric_table[m].name);
        double *v = util_xmalloc(cs->runs_ok * sizeof *v);
        size_t n = 0;
        for (size_t i = 0; i < cs->runs_ok; i++) {
            double x = csv_num(runs, ok[i].row, c);
            if (!isnan(x))
                v[n++] = x;
        }
        stats_fill(&cs->m[m], v, n);
    }

    /* Pauses: every duration of every ok run pooled; MMU per run. */
    uint64_t *pooled = NULL;
    size_t npooled = 0, cap = 0;
    double *mmu_runs[SUMMARY_MMU_WINDOWS];
    size_t nmmu[SUMMARY_MMU_WINDOWS] = {0};
    for (int w = 0; w < SUMMARY_MMU_WINDOWS; w++)
        mmu_runs[w] = util_xmalloc(cs->runs_ok * sizeof *mmu_runs[w]);
    for (size_t i = 0; i < cs->runs_ok; i++) {
        size_t r = ok[i].row, at;
        size_t np = pause_index_find(pi, csv_get(runs, r, c_run), &at);
        pause_span *spans = util_xmalloc(np * sizeof *spans);
        size_t ns = 0;
        int spans_ok = pi->c_start >= 0;
        for (size_t k = 0; k < np; k++) {
            size_t pr = pi->rows[at + k];
            uint64_t d, s = 0;
            if (parse_u64(csv_get(pi->t, pr, pi->c_dur), &d) != 0)
                continue;
            if (npooled == cap) {
                cap = cap ? 2 * cap : 1024;
                pooled = realloc(pooled, cap * sizeof *pooled);
                if (!pooled)
                    abort();
            }
            pooled[npooled++] = d;
            if (pi->c_start < 0 || parse_u64(csv_get(pi->t, pr, pi->c_start), &s) != 0)
                spans_ok = 0;
            spans[ns++] = (pause_span){s, d};
        }
        /* MMU needs the run's length and a recorded pause log (gc_time_ns
         * is NA when collections were not recorded). */
        double wall = csv_num(runs, r, c_wall);
        if (spans_ok && wall > 0 && !isnan(csv_num(runs, r, c_gctime))) {
            qsort(spans, ns, sizeof *spans, cmp_span);
            for (int w = 0; w < SUMMARY_MMU_WINDOWS; w++) {
                double u = stats_mmu(spans, ns, (uint64_t)wall, (uint64_t)summary_mmu_window_ns[w]);
                if (u >= 0)
                    mmu_runs[w][nmmu[w]++] = u;
            }
        }
        free(spans);
    }
    for (int w = 0; w < SUMMARY_MMU_WINDOWS; w++) {
        cs->mmu[w] = stats_median(mmu_runs[w], nmmu[w]);
        free(mmu_runs[w]);
    }
    if (npooled)
        qsort(pooled, npooled, sizeof *pooled, cmp_u64);
    cs->npauses = npooled;
    cs->pauses_ns = util_xmalloc(npooled * sizeof *cs->pauses_ns);
    for (size_t k = 0; k < npooled; k++)
        cs->pauses_ns[k] = (double)pooled[k];
    if (npooled) {
        cs->merged_p50_ns = (double)stats_percentile(pooled, npooled, 50);
        cs->merged_p90_ns = (double)stats_percentile(pooled, npooled, 90);
        cs->merged_p99_ns = (double)stats_percentile(pooled, npooled, 99);
        cs->merged_p999_ns = (double)stats_percentile(pooled, npooled, 99.9);
        cs->merged_max_ns = (double)pooled[npooled - 1];
    } else {
        cs->merged_p50_ns = cs->merged_p90_ns = cs->merged_p99_ns = cs->merged_p999_ns =
            cs->merged_max_ns = NAN;
    }
    free(pooled);
    free(ok);
}

/* The label of row r: its config, or workload/collector for files written
 * before runs.csv had one. */
static const char *label_of(const csv_table *runs, size_t r, int c_config, char *buf, size_t len)
{
    const char *l = csv_get(runs, r, c_config);
    if (c_config >= 0 && *l)
        return l;
    snprintf(buf, len, "%s/%s", csv_get(runs, r, csv_col(runs, "workload")),
             csv_get(runs, r, csv_col(runs, "collector")));
    return buf;
}

int summary_load(const char *dir, result_summary *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/runs.csv", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "folder name too long: %s", dir);
        return -1;
    }
    int missing = 0;
    csv_table *runs = csv_read(path, &missing, err, errlen);
    if (!runs)
        return -1;
    if (missing) {
        snprintf(err, errlen, "no runs.csv in %s (not a result folder)", dir);
        csv_free(runs);
        return -1;
    }
    if (runs->nrows == 0) {
        snprintf(err, errlen, "%s has no runs", path);
        csv_free(runs);
        return -1;
    }
    static const char *const needed[] = {"run_id", "workload", "collector"};
    for (size_t k = 0; k < sizeof needed / sizeof needed[0]; k++)
        if (csv_col(runs, needed[k]) < 0) {
            snprintf(err, errlen, "%s has no column %s (not a gclab runs.csv)", path, needed[k]);
            csv_free(runs);
            return -1;
        }
    snprintf(path, sizeof path, "%s/pauses.csv", dir);
    csv_table *pauses = csv_read(path, &missing, err, errlen);
    if (!pauses) {
        csv_free(runs);
        return -1;
    }
    pause_index pi;
    pause_index_build(&pi, pauses);

    /* Group the rows by label, in order of first appearance. */
    int c_config = csv_col(runs, "config");
    size_t *group = util_xmalloc(runs->nrows * sizeof *group); /* row -> config */
    const char **labels = util_xmalloc(runs->nrows * sizeof *labels);
    char **owned = util_xcalloc(runs->nrows, sizeof *owned);
    size_t nconfigs = 0;
    for (size_t r = 0; r < runs->nrows; r++) {
        char buf[512];
        const char *l = label_of(runs, r, c_config, buf, sizeof buf);
        size_t g = 0;
        while (g < nconfigs && strcmp(labels[g], l) != 0)
            g++;
        if (g == nconfigs) {
            owned[g] = util_xstrdup(l);
            labels[nconfigs++] = owned[g];
        }
        group[r] = g;
    }
    out->dir = util_xstrdup(dir);
    out->n = nconfigs;
    out->configs = util_xcalloc(nconfigs, sizeof *out->configs);
    size_t *rows = util_xmalloc(runs->nrows * sizeof *rows);
    for (size_t g = 0; g < nconfigs; g++) {
        size_t n = 0;
        for (size_t r = 0; r < runs->nrows; r++)
            if (group[r] == g)
                rows[n++] = r;
        out->configs[g].config = owned[g];
        summarise_config(&out->configs[g], runs, rows, n, &pi);
    }
    free(rows);
    free(owned);
    free(labels);
    free(group);
    free(pi.rows);
    csv_free(pauses);
    csv_free(runs);
    return 0;
}

void summary_free(result_summary *s)
{
    if (!s)
        return;
    for (size_t g = 0; g < s->n; g++) {
        config_summary *c = &s->configs[g];
        free(c->config);
        free(c->workload);
        free(c->collector);
        free(c->collector_params);
        free(c->params);
        for (size_t i = 0; i < c->runs_failed; i++)
            free(c->failures[i]);
        free(c->failures);
        for (size_t m = 0; m < MET_COUNT; m++)
            free(c->m[m].values);
        free(c->pauses_ns);
        for (size_t i = 0; i < c->nrun_ids; i++)
            free(c->run_ids[i]);
        free(c->run_ids);
    }
    free(s->configs);
    free(s->dir);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------ */
/* summary.csv */

static void put_num(FILE *f, double v)
{
    if (isnan(v))
        fputs(",NA", f);
    else if (v == floor(v) && fabs(v) < 1e15)
        fprintf(f, ",%.0f", v);
    else
        fprintf(f, ",%.10g", v);
}

int summary_write_csv(const char *dir, const result_summary *s, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/summary.csv", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "folder name too long: %s", dir);
        return -1;
    }
    atomic_group g;
    FILE *f = atomic_open_one(&g, path, err, errlen);
    if (!f)
        return -1;
    fputs("config,workload,collector,collector_params,params,threshold0,threshold1,threshold2,"
          "runs_ok,runs_failed",
          f);
    static const char *const suffix[] = {"median", "mad", "q1", "q3", "ci_lo", "ci_hi"};
    for (size_t h = 0; h < metric_nheadline(); h++)
        for (size_t k = 0; k < sizeof suffix / sizeof suffix[0]; k++)
            fprintf(f, ",%s_%s", metric_table[metric_headline(h)].name, suffix[k]);
    fputs(",pauses_merged,pause_merged_p50_ns,pause_merged_p90_ns,pause_merged_p99_ns,"
          "pause_merged_p999_ns,pause_merged_max_ns\r\n",
          f);
    for (size_t g = 0; g < s->n; g++) {
        const config_summary *c = &s->configs[g];
        csv_put(f, c->config);
        fputc(',', f);
        csv_put(f, c->workload);
        fputc(',', f);
        csv_put(f, c->collector);
        fputc(',', f);
        csv_put(f, c->collector_params);
        fputc(',', f);
        csv_put(f, c->params);
        for (int k = 0; k < 3; k++)
            put_num(f, c->threshold[k]);
        fprintf(f, ",%zu,%zu", c->runs_ok, c->runs_failed);
        for (size_t h = 0; h < metric_nheadline(); h++) {
            const metric_stats *ms = &c->m[metric_headline(h)];
            put_num(f, ms->median);
            put_num(f, ms->mad);
            put_num(f, ms->q1);
            put_num(f, ms->q3);
            put_num(f, ms->ci_lo);
            put_num(f, ms->ci_hi);
        }
        fprintf(f, ",%zu", c->npauses);
        put_num(f, c->merged_p50_ns);
        put_num(f, c->merged_p90_ns);
        put_num(f, c->merged_p99_ns);
        put_num(f, c->merged_p999_ns);
        put_num(f, c->merged_max_ns);
        fputs("\r\n", f);
    }
    return atomic_commit(&g, ATOMIC_FORWARD, err, errlen);
}

/* ------------------------------------------------------------------ */
/* the table */

static void put_padded(FILE *out, const char *s, int width, int left)
{
    int pad = width - metric_display_width(s);
    if (!left)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
    fputs(s, out);
    if (left)
        for (int i = 0; i < pad; i++)
            fputc(' ', out);
}

/* The table's columns: config, runs, then every headline metric with a
 * value somewhere, the merged p99 beside the per-run pause columns. */
typedef struct tcol {
    size_t metric; /* metric_table index, VERDICT_MERGED_P99, or MET_COUNT + 1 for config/runs */
    const char *head;
} tcol;

void summary_print(FILE *out, const result_summary *s)
{
    size_t nh = metric_nheadline();
    tcol *cols = util_xcalloc(nh + 3, sizeof *cols);
    size_t ncols = 0;
    cols[ncols++] = (tcol){MET_COUNT + 1, "config"};
    cols[ncols++] = (tcol){MET_COUNT + 1, "runs"};
    for (size_t h = 0; h < nh; h++) {
        size_t m = metric_headline(h);
        int any = 0;
        for (size_t g = 0; g < s->n && !any; g++)
            any = !isnan(verdict_value(&s->configs[g], m));
        if (any)
            cols[ncols++] = (tcol){m, metric_table[m].label};
        if (m == MET_pause_max_ns)
            cols[ncols++] = (tcol){VERDICT_MERGED_P99, "all-pause p99"};
    }
    /* The best of each column among the configurations of a workload. */
    char *best = util_xcalloc((s->n ? s->n : 1) * ncols, 1);
    size_t *idx = util_xmalloc((s->n ? s->n : 1) * sizeof *idx);
    for (size_t g = 0; g < s->n; g++) {
        size_t k = 0;
        for (size_t h = 0; h < s->n; h++)
            if (strcmp(s->configs[h].workload, s->configs[g].workload) == 0)
                idx[k++] = h;
        if (idx[0] != g)
            continue; /* done with its workload's first configuration */
        for (size_t c = 2; c < ncols; c++) {
            size_t nv;
            long b = verdict_best(s, idx, k, cols[c].metric, &nv);
            if (b < 0 || nv < 2)
                continue;
            double bv = verdict_value(&s->configs[idx[b]], cols[c].metric);
            for (size_t i = 0; i < k; i++) /* every configuration that ties the best */
                best[idx[i] * ncols + c] = verdict_value(&s->configs[idx[i]], cols[c].metric) == bv;
        }
    }
    free(idx);
    int any_best = 0;
    char(*cell)[64] = util_xcalloc((s->n ? s->n : 1) * ncols, sizeof *cell);
    int *width = util_xcalloc(ncols, sizeof *width);
    for (size_t k = 0; k < ncols; k++)
        width[k] = metric_display_width(cols[k].head);
    for (size_t g = 0; g < s->n; g++) {
        const config_summary *c = &s->configs[g];
        char(*row)[64] = cell + g * ncols;
        snprintf(row[0], 64, "%.63s", c->config);
        if (c->runs_failed)
            snprintf(row[1], 64, "%zu+%zuF", c->runs_ok, c->runs_failed);
        else
            snprintf(row[1], 64, "%zu", c->runs_ok);
        for (size_t k = 2; k < ncols; k++) {
            size_t m = cols[k].metric;
            const metric_def *def = verdict_metric(m);
            int pause = m == VERDICT_MERGED_P99 || m == MET_pause_p99_ns || m == MET_pause_max_ns;
            if (pause && !c->npauses && verdict_value(c, m) == 0)
                snprintf(row[k], 60, "no pauses");
            else if (m == VERDICT_MERGED_P99)
                metric_format(row[k], 60, def->unit, c->merged_p99_ns);
            else
                metric_format_ci(row[k], 60, def->unit, c->m[m].median, c->m[m].ci_lo, c->m[m].ci_hi);
            if (best[g * ncols + k]) {
                strcat(row[k], "*");
                any_best = 1;
            }
        }
        for (size_t k = 0; k < ncols; k++) {
            int w = metric_display_width(row[k]);
            if (w > width[k])
                width[k] = w;
        }
    }
    fprintf(out, "%s: %zu configuration%s\n", s->dir ? s->dir : "summary", s->n, s->n == 1 ? "" : "s");
    for (size_t k = 0; k < ncols; k++) {
        fputs(k ? "  " : "", out);
        put_padded(out, cols[k].head, width[k], k == 0);
    }
    fputc('\n', out);
    for (size_t g = 0; g < s->n; g++) {
        for (size_t k = 0; k < ncols; k++) {
            fputs(k ? "  " : "", out);
            put_padded(out, cell[g * ncols + k], width[k], k == 0);
        }
        fputc('\n', out);
    }
    free(cell);
    free(width);
    free(best);
    free(cols);
    fprintf(out, "Each cell: median over the successful runs ±half its 95%% CI (percentile bootstrap,\n"
                 "%d resamples); runs: ok runs (+F failed).  pause p99/max: the median of each run's;\n"
                 "all-pause p99: every pause of every run merged.  Details: summary.csv.\n",
            STATS_BOOTSTRAP_RESAMPLES);
    if (any_best)
        fprintf(out, "*: the best of its workload's configurations in that column (docs/csv-schema.md "
                     "says which way is better).\n");
    int any_failed = 0;
    for (size_t g = 0; g < s->n; g++)
        if (s->configs[g].runs_failed)
            any_failed = 1;
    if (any_failed) {
        fprintf(out, "\nFailed runs:\n");
        for (size_t g = 0; g < s->n; g++)
            for (size_t i = 0; i < s->configs[g].runs_failed; i++)
                fprintf(out, "  %s: %s\n", s->configs[g].config, s->configs[g].failures[i]);
    }
}
