/*
 * analysis/compare.c -- two result folders compared: the configurations both
 * result folders hold, matched by their label (runs.csv config), metric by
 * metric: the medians, the ratio B/A with a bootstrap 95% CI, and a
 * two-sided Mann-Whitney U test.  docs/statistics.md gives the definitions
 * and the rule for a verdict.
 */
#define _GNU_SOURCE

#include "compare.h"

#include "harness/atomic.h"
#include "harness/csv.h"
#include "harness/metrics.h"
#include "harness/stats.h"
#include "harness/util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ALPHA 0.05        /* significance level of the test */
#define MIN_CHANGE 0.01   /* |ratio - 1| below this is no difference worth a verdict */
#define MIN_REPEATS 4     /* per side: below, the exact test cannot reach p < 0.05 */
#define MAX_METRICS 64


/* ------------------------------------------------------------------ */
/* one side: runs.csv grouped by configuration */

typedef struct group {
    const char *label;
    size_t *ok;    /* rows of successful runs */
    size_t nok, nfailed;
} group;

typedef struct side {
    const char *dir;
    csv_table *runs;
    group *groups;
    size_t ngroups;
    char **labels; /* owned label strings */
} side;

static void side_free(side *s)
{
    for (size_t g = 0; g < s->ngroups; g++) {
        free(s->groups[g].ok);
        free(s->labels[g]);
    }
    free(s->groups);
    free(s->labels);
    csv_free(s->runs);
}

static int side_load(side *s, const char *dir, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->dir = dir;
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/runs.csv", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "folder name too long: %s", dir);
        return -1;
    }
    int missing = 0;
    s->runs = csv_read(path, &missing, err, errlen);
    if (!s->runs)
        return -1;
    if (missing) {
        snprintf(err, errlen, "no runs.csv in %s (not a result folder)", dir);
        return -1;
    }
    if (s->runs->nrows == 0 || csv_col(s->runs, "run_id") < 0) {
        snprintf(err, errlen, "%s has no runs", path);
        return -1;
    }
    const csv_table *t = s->runs;
    int c_config = csv_col(t, "config"), c_status = csv_col(t, "status");
    int c_workload = csv_col(t, "workload"), c_collector = csv_col(t, "collector");
    s->groups = util_xmalloc(t->nrows * sizeof *s->groups);
    s->labels = util_xmalloc(t->nrows * sizeof *s->labels);
    for (size_t r = 0; r < t->nrows; r++) {
        char buf[512];
        const char *l = csv_get(t, r, c_config);
        if (c_config < 0 || !*l) { /* files from before runs.csv had a config */
            snprintf(buf, sizeof buf, "%s/%s", csv_get(t, r, c_workload), csv_get(t, r, c_collector));
            l = buf;
        }
        size_t g = 0;
        while (g < s->ngroups && strcmp(s->groups[g].label, l) != 0)
            g++;
        if (g == s->ngroups) {
            s->labels[g] = strdup(l);
            if (!s->labels[g])
                abort();
            s->groups[g] = (group){.label = s->labels[g], .ok = util_xmalloc(t->nrows * sizeof(size_t))};
            s->ngroups++;
        }
        if (c_status >= 0 && strcmp(csv_get(t, r, c_status), "ok") != 0)
            s->groups[g].nfailed++;
        else
            s->groups[g].ok[s->groups[g].nok++] = r;
    }
    return 0;
}

static const group *side_find(const side *s, const char *label)
{
    for (size_t g = 0; g < s->ngroups; g++)
        if (strcmp(s->groups[g].label, label) == 0)
            return &s->groups[g];
    return NULL;
}

/* The metric's values over the group's successful runs, NA skipped. */
static double *values_of(const side *s, const group *g, const char *metric, size_t *n)
{
    int c = csv_col(s->runs, metric);
    double *v = util_xmalloc(g->nok * sizeof *v);
    *n = 0;
    for (size_t i = 0; i < g->nok; i++) {
        double x = csv_num(s->runs, g->ok[i], c);
        if (!isnan(x))
            v[(*n)++] = x;
    }
    return v;
}

/* ------------------------------------------------------------------ */
/* one comparison */

typedef struct comparison {
    const char *config_a, *config_b, *metric;
    size_t na, nb;
    double median_a, median_b, ratio, ci_lo, ci_hi;
    mann_whitney mw;
    const char *verdict;
    int significant;
    char word[32]; /* what verdict points to when it is a change */
} comparison;

/* What B is against A, into buf: the metric table's word for the change,
 * and whether that is better or worse by the metric's direction. */
static void change(char *buf, size_t len, const char *metric, double a, double b)
{
    const metric_def *m = metric_find(metric);
    const char *word = m ? metric_change_word(m, b > a) : b > a ? "more" : "less";
    if (!m || m->unit == MU_RATE || m->unit == MU_DURATION || m->dir == MD_NONE)
        snprintf(buf, len, "%s", word); /* faster and slower say it already */
    else
        snprintf(buf, len, "%s (%s)", word, metric_better(m, a, b) > 0 ? "better" : "worse");
}

static void compare_one(comparison *c, const double *a, size_t na, const double *b, size_t nb)
{
    c->na = na;
    c->nb = nb;
    c->median_a = stats_median(a, na);
    c->median_b = stats_median(b, nb);
    c->ratio = stats_median_ratio(a, na, b, nb);
    stats_bootstrap_ratio_ci(a, na, b, nb, 0.95, STATS_BOOTSTRAP_RESAMPLES, STATS_BOOTSTRAP_SEED, &c->ci_lo,
                             &c->ci_hi);
    c->mw = stats_mann_whitney(a, na, b, nb);
    c->significant = 0;
    if (na < MIN_REPEATS || nb < MIN_REPEATS) {
        c->verdict = "too few repeats (Mann-Whitney needs >= 4 per side for p < 0.05)";
    } else if (c->mw.p < ALPHA && fabs(c->ratio - 1.0) >= MIN_CHANGE) {
        change(c->word, sizeof c->word, c->metric, c->median_a, c->median_b);
        c->verdict = c->word;
        c->significant = 1;
    } else if (c->mw.p < ALPHA) {
        c->verdict = "not significant (p < 0.05 but a change under 1%)";
    } else {
        c->verdict = "not significant";
    }
}

/* ------------------------------------------------------------------ */
/* output */

/* A value with the unit the metric table gives its column. */
static void format_value(char *buf, size_t len, const char *metric, double v)
{
    const metric_def *m = metric_find(metric);
    metric_format(buf, len, m ? m->unit : MU_COUNT, v);
}

static void print_header(FILE *out, const side *a, const side *b)
{
    fprintf(out,
            "A: %s\nB: %s\n"
            "Test: two-sided Mann-Whitney U (Wilcoxon rank-sum) on the runs of each side: exact\n"
            "when both sides have <= 20 runs and no ties, else the normal approximation with tie\n"
            "correction.  Ratio B/A of the medians, its 95%% CI by percentile bootstrap (%d\n"
            "resamples of each side, fixed seed).  A verdict needs p < %.2f and |ratio - 1| >= %.0f%%;\n"
            "it says what B is against A: faster/slower (throughput, wall time), more/less (the\n"
            "metric's value: longer pauses, more memory, a larger GC share).\n",
            a->dir, b->dir, STATS_BOOTSTRAP_RESAMPLES, ALPHA, MIN_CHANGE * 100);
}

static void print_rows(FILE *out, const comparison *c, size_t n)
{
    int wm = (int)strlen("metric");
    for (size_t i = 0; i < n; i++)
        if ((int)strlen(c[i].metric) > wm)
            wm = (int)strlen(c[i].metric);
    fprintf(out, "  %-*s  %7s  %11s  %11s  %9s  %-17s  %-12s  %s\n", wm, "metric", "n A/B", "median A",
            "median B", "ratio B/A", "95% CI of ratio", "p", "verdict");
    for (size_t i = 0; i < n; i++) {
        char ma[32], mb[32], nn[32], ci[48], p[32];
        format_value(ma, sizeof ma, c[i].metric, c[i].median_a);
        format_value(mb, sizeof mb, c[i].metric, c[i].median_b);
        snprintf(nn, sizeof nn, "%zu/%zu", c[i].na, c[i].nb);
        snprintf(ci, sizeof ci, "[%.3f, %.3f]", c[i].ci_lo, c[i].ci_hi);
        snprintf(p, sizeof p, "%.3g %s", c[i].mw.p, c[i].mw.exact ? "exact" : "normal");
        /* %11s counts bytes: pad by what the terminal shows (µ is two bytes). */
        fprintf(out, "  %-*s  %7s  %*s  %*s  %9.3f  %-17s  %-12s  %s\n", wm, c[i].metric, nn,
                11 + (int)strlen(ma) - metric_display_width(ma), ma, 11 + (int)strlen(mb) - metric_display_width(mb),
                mb, c[i].ratio, ci, p, c[i].verdict);
    }
}

static void put_num(FILE *f, double v)
{
    if (isnan(v))
        fputs(",NA", f);
    else
        fprintf(f, ",%.10g", v);
}

static int write_csv(const char *path, const comparison *c, size_t n, char *err, size_t errlen)
{
    atomic_group g;
    FILE *f = atomic_open_one(&g, path, err, errlen);
    if (!f)
        return -1;
    fputs("config_a,config_b,metric,n_a,n_b,median_a,median_b,ratio,ratio_ci_lo,ratio_ci_hi,u,p_value,"
          "p_method,significant,verdict\r\n",
          f);
    for (size_t i = 0; i < n; i++) {
        csv_put(f, c[i].config_a);
        fputc(',', f);
        csv_put(f, c[i].config_b);
        fputc(',', f);
        csv_put(f, c[i].metric);
        fprintf(f, ",%zu,%zu", c[i].na, c[i].nb);
        put_num(f, c[i].median_a);
        put_num(f, c[i].median_b);
        put_num(f, c[i].ratio);
        put_num(f, c[i].ci_lo);
        put_num(f, c[i].ci_hi);
        put_num(f, c[i].mw.u);
        put_num(f, c[i].mw.p);
        fprintf(f, ",%s,%d,", c[i].mw.exact ? "exact" : "normal", c[i].significant);
        csv_put(f, c[i].verdict);
        fputs("\r\n", f);
    }
    return atomic_commit(&g, ATOMIC_FORWARD, err, errlen);
}

/* ------------------------------------------------------------------ */
/* gclab compare */

/* Whether any successful run of the group has a value of the metric. */
static int has_values(const side *s, const group *g, const char *metric)
{
    int c = csv_col(s->runs, metric);
    for (size_t i = 0; c >= 0 && i < g->nok; i++)
        if (!isnan(csv_num(s->runs, g->ok[i], c)))
            return 1;
    return 0;
}

/* The labels of a side's groups that the other side lacks, as one line. */
static void print_only(FILE *out, const side *s, const side *other, const char *name)
{
    int any = 0;
    for (size_t g = 0; g < s->ngroups; g++)
        if (!side_find(other, s->groups[g].label)) {
            if (!any)
                fprintf(out, "Only in %s (not compared): ", name);
            fprintf(out, "%s'%s'", any ? ", " : "", s->groups[g].label);
            any = 1;
        }
    if (any)
        fputc('\n', out);
}

int compare_dirs(const compare_opts *o, FILE *out, char *err, size_t errlen)
{
    const char *const *metrics = o->metrics;
    size_t nmetrics = o->nmetrics;
    const char *output = o->csv_path;
    side a, b;
    if (side_load(&a, o->dir_a, err, errlen) != 0) {
        side_free(&a);
        return -1;
    }
    if (side_load(&b, o->dir_b, err, errlen) != 0) {
        side_free(&a);
        side_free(&b);
        return -1;
    }
    int rc = 0;
    for (size_t m = 0; m < nmetrics; m++)
        if (csv_col(a.runs, metrics[m]) < 0 && csv_col(b.runs, metrics[m]) < 0) {
            rc = -1;
            snprintf(err, errlen, "unknown metric '%s' (not a column of either runs.csv; e.g. %s, %s, "
                                 "%s, collections; docs/csv-schema.md)",
                                 metrics[m], metric_table[metric_headline(0)].name,
                                 metric_table[metric_headline(1)].name, metric_table[metric_headline(2)].name);
            goto out;
        }

    /* The pairs of configurations to compare. */
    size_t npairs = 0;
    const group **pa = util_xmalloc(a.ngroups * sizeof *pa), **pb = util_xmalloc(a.ngroups * sizeof *pb);
    for (size_t g = 0; g < a.ngroups; g++) {
        const group *other = side_find(&b, a.groups[g].label);
        if (other) {
            pa[npairs] = &a.groups[g];
            pb[npairs++] = other;
        }
    }
    int paired_by_label = 1;
    if (npairs == 0 && a.ngroups == 1 && b.ngroups == 1) {
        pa[0] = &a.groups[0];
        pb[0] = &b.groups[0];
        npairs = 1;
        paired_by_label = 0;
    }
    if (npairs == 0) {
        rc = -1;
        snprintf(err, errlen, "no configuration is in both %s and %s (configurations match by "
                             "runs.csv's config label; set one with gclab run --config)",
                             a.dir, b.dir);
        free(pa);
        free(pb);
        goto out;
    }

    /* By default the headline metrics, in their order. */
    const char *headline[MAX_METRICS];
    size_t nheadline = 0;
    for (size_t h = 0; h < metric_nheadline() && nheadline < MAX_METRICS; h++)
        headline[nheadline++] = metric_table[metric_headline(h)].name;
    size_t cap = npairs * (nmetrics ? nmetrics : nheadline), ncmp = 0;
    comparison *cmp = util_xmalloc(cap * sizeof *cmp);
    size_t *first = util_xmalloc((npairs + 1) * sizeof *first); /* pair k: cmp[first[k] .. first[k + 1]) */
    for (size_t k = 0; k < npairs; k++) {
        first[k] = ncmp;
        const char *const *list = nmetrics ? metrics : headline;
        size_t nlist = nmetrics ? nmetrics : nheadline;
        for (size_t m = 0; m < nlist; m++) {
            if (!has_values(&a, pa[k], list[m]) || !has_values(&b, pb[k], list[m]))
                continue;
            comparison *x = &cmp[ncmp++];
            memset(x, 0, sizeof *x);
            x->config_a = pa[k]->label;
            x->config_b = pb[k]->label;
            x->metric = list[m];
            size_t na, nb;
            double *va = values_of(&a, pa[k], list[m], &na), *vb = values_of(&b, pb[k], list[m], &nb);
            compare_one(x, va, na, vb, nb);
            free(va);
            free(vb);
        }
    }
    first[npairs] = ncmp;
    /* The CSV first: if it cannot be written, that is the one line shown. */
    if (output && write_csv(output, cmp, ncmp, err, errlen) != 0) {
        rc = -1;
    } else {
        print_header(out, &a, &b);
        for (size_t k = 0; k < npairs; k++) {
            if (paired_by_label)
                fprintf(out, "\n%s  (A: %zu ok runs", pa[k]->label, pa[k]->nok);
            else
                fprintf(out, "\nA: %s, B: %s  (each folder holds one configuration: compared although the "
                       "labels differ)\n  (A: %zu ok runs",
                       pa[k]->label, pb[k]->label, pa[k]->nok);
            if (pa[k]->nfailed)
                fprintf(out, " + %zu failed", pa[k]->nfailed);
            fprintf(out, ", B: %zu ok runs", pb[k]->nok);
            if (pb[k]->nfailed)
                fprintf(out, " + %zu failed", pb[k]->nfailed);
            fprintf(out, ")\n");
            if (first[k + 1] == first[k])
                fprintf(out, "  no metric with values on both sides\n");
            else
                print_rows(out, cmp + first[k], first[k + 1] - first[k]);
            /* A metric asked for by name but left out says so (e.g. an
             * est_cpython_* metric of runs without --calibration). */
            for (size_t m = 0; m < nmetrics; m++)
                if (!has_values(&a, pa[k], metrics[m]) || !has_values(&b, pb[k], metrics[m]))
                    fprintf(out, "  %s: not compared, no value in %s\n", metrics[m],
                            !has_values(&a, pa[k], metrics[m]) ? "A" : "B");
        }
        if (paired_by_label && (a.ngroups > npairs || b.ngroups > npairs)) {
            fputc('\n', out);
            print_only(out, &a, &b, "A");
            print_only(out, &b, &a, "B");
        }
    }
    free(first);
    free(cmp);
    free(pa);
    free(pb);
out:
    side_free(&a);
    side_free(&b);
    return rc;
}
