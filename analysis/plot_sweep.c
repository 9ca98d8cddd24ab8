/*
 * analysis/plot_sweep.c -- sweeps over thresholds: for every (workload, collector)
 * whose configurations differ in threshold0, metrics against threshold0 and,
 * on a threshold0 x threshold1 grid, a heatmap of throughput.
 */
#define _GNU_SOURCE

#include "plot_internal.h"

#include "harness/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same_num(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Sorted distinct values of v[0..n); returns how many. */
static size_t distinct(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        if (d == 0 || v[i] != v[d - 1])
            v[d++] = v[i];
    return d;
}

static size_t index_of(const double *v, size_t n, double x)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == x)
            return i;
    return n;
}

/* One line of a sweep: configs with the same everything but threshold0. */
typedef struct sweep_line {
    const config_summary *key;
    size_t *cfg; /* config indexes, by threshold0 ascending */
    size_t n;
    char *label;
} sweep_line;

typedef struct sweep {
    const char *workload, *collector;
    char base[128];
    sweep_line *lines;
    size_t nlines;
    double *t0; /* distinct threshold0 values, ascending */
    size_t nt0;
    double *t1;
    size_t nt1;
    int categorical; /* a threshold0 of 0 (no automatic collection): no log axis */
} sweep;

static int sweep_x(const sweep *sw, double t0, double *x)
{
    if (!sw->categorical) {
        *x = t0;
        return 0;
    }
    *x = (double)(index_of(sw->t0, sw->nt0, t0) + 1);
    return 0;
}

static void sweep_xaxis(FILE *g, const sweep *sw)
{
    if (sw->categorical) {
        fputs("set xtics (", g);
        for (size_t i = 0; i < sw->nt0; i++)
            fprintf(g, "%s'%.15g' %zu", i ? ", " : "", sw->t0[i], i + 1);
        fprintf(g, ") nomirror\nset xrange [0.5:%zu.5]\n"
                   "set xlabel 'threshold0 (0: no automatic collection)'\n",
                sw->nt0);
    } else {
        fputs("set logscale x 10\nset format x '%g'\nset xlabel 'threshold0 (net container allocations), log scale'\n"
              "set autoscale xfix\nset offsets graph 0.05, graph 0.05, 0, 0\n",
              g);
        if (sw->nt0 <= 12) { /* tics at the values swept */
            fputs("set xtics (", g);
            for (size_t i = 0; i < sw->nt0; i++)
                fprintf(g, "%s%.15g", i ? ", " : "", sw->t0[i]);
            fputs(") nomirror\n", g);
        }
    }
}

static int plot_sweep_metric(plotter *p, const result_summary *s, const sweep *sw, int m, double scale,
                             const char *suffix, const char *what, const char *ylabel, const char *yformat)
{
    int any = 0;
    for (size_t l = 0; l < sw->nlines; l++)
        for (size_t j = 0; j < sw->lines[l].n; j++)
            any |= s->configs[sw->lines[l].cfg[j]].m[m].n > 0;
    if (!any)
        return 0;
    char title[320];
    snprintf(title, sizeof title, "%s, %s: %s against threshold0 (median and its 95%% CI)", sw->workload,
             sw->collector, what);
    if (plot_begin(p, sw->base, suffix, suffix, sw->workload, title) != 0)
        return -1;
    FILE *g = p->gp;
    sweep_xaxis(g, sw);
    fputs("set ylabel ", g);
    plot_gp_str(g, ylabel);
    fprintf(g, "\nset format y '%s'\nset yrange [0:*]\n", yformat);
    int first = 1;
    for (size_t l = 0; l < sw->nlines; l++) {
        const sweep_line *ln = &sw->lines[l];
        int has = 0;
        for (size_t j = 0; j < ln->n; j++)
            has |= s->configs[ln->cfg[j]].m[m].n > 0;
        if (!has)
            continue;
        int b = plot_dat_block(p, ln->label);
        fputs("# x median ci_lo ci_hi threshold0 config\n", p->dat);
        for (size_t j = 0; j < ln->n; j++) {
            const config_summary *c = &s->configs[ln->cfg[j]];
            const metric_stats *ms = &c->m[m];
            if (!ms->n)
                continue;
            double x, lo = isnan(ms->ci_lo) ? ms->median : ms->ci_lo, hi = isnan(ms->ci_hi) ? ms->median : ms->ci_hi;
            sweep_x(sw, c->threshold[0], &x);
            fprintf(p->dat, "%.9g %.9g %.9g %.9g %.15g # ", x, ms->median / scale, lo / scale, hi / scale,
                    c->threshold[0]);
            for (const char *ch = c->config; *ch; ch++)
                fputc((unsigned char)*ch < 0x20 ? ' ' : *ch, p->dat);
            fputc('\n', p->dat);
        }
        plot_curve(g, &first, b, l, ln->label, "using 1:2:3:4 with yerrorlines lw 2 pt %zu ps 1.2 ", l % 13 + 1);
    }
    fputc('\n', g);
    return plot_end(p);
}

static int plot_heatmap(plotter *p, const result_summary *s, const sweep *sw)
{
    /* One config per cell, or no heatmap. */
    size_t cells = sw->nt0 * sw->nt1;
    long *at = util_xmalloc(cells * sizeof *at);
    for (size_t i = 0; i < cells; i++)
        at[i] = -1;
    int clash = 0, any = 0;
    for (size_t l = 0; l < sw->nlines; l++)
        for (size_t j = 0; j < sw->lines[l].n; j++) {
            const config_summary *c = &s->configs[sw->lines[l].cfg[j]];
            size_t x = index_of(sw->t0, sw->nt0, c->threshold[0]), y = index_of(sw->t1, sw->nt1, c->threshold[1]);
            if (x == sw->nt0 || y == sw->nt1)
                continue;
            if (at[y * sw->nt0 + x] >= 0)
                clash = 1;
            at[y * sw->nt0 + x] = (long)sw->lines[l].cfg[j];
            any |= c->m[MET_ops_per_s].n > 0;
        }
    int rc = 0;
    if (!clash && any) {
        char title[320];
        snprintf(title, sizeof title, "%s, %s: throughput (median ops/s) over threshold0 x threshold1",
                 sw->workload, sw->collector);
        rc = plot_begin(p, sw->base, "heatmap-throughput", "heatmap-throughput", sw->workload, title);
        if (rc == 0) {
            FILE *g = p->gp;
            int b = plot_dat_block(p, "cells");
            fputs("# x y ops_per_s threshold0 threshold1\n", p->dat);
            for (size_t y = 0; y < sw->nt1; y++)
                for (size_t x = 0; x < sw->nt0; x++) {
                    long c = at[y * sw->nt0 + x];
                    if (c < 0 || !s->configs[c].m[MET_ops_per_s].n)
                        continue;
                    fprintf(p->dat, "%zu %zu %.9g %.15g %.15g\n", x + 1, y + 1, s->configs[c].m[MET_ops_per_s].median,
                            sw->t0[x], sw->t1[y]);
                }
            fputs("set xtics (", g);
            for (size_t i = 0; i < sw->nt0; i++)
                fprintf(g, "%s'%.15g' %zu", i ? ", " : "", sw->t0[i], i + 1);
            fputs(") nomirror\nset ytics (", g);
            for (size_t i = 0; i < sw->nt1; i++)
                fprintf(g, "%s'%.15g' %zu", i ? ", " : "", sw->t1[i], i + 1);
            fprintf(g,
                    ") nomirror\nset xrange [0.5:%zu.5]\nset yrange [0.5:%zu.5]\n"
                    "set xlabel 'threshold0'\nset ylabel 'threshold1'\nset grid noxtics noytics\nset tics scale 0\n"
                    "set cblabel 'ops/s'\nset format cb '%%.1s%%c'\n"
                    "set palette defined (0 '#fff7bc', 0.5 '#a1dab4', 1 '#41b6c4')\nunset key\n"
                    "plot dat index %d using 1:2:(0.5):(0.5):3 with boxxyerror fs solid 1.0 noborder lc palette, \\\n"
                    "    '' index %d using 1:2:(gprintf('%%.1s%%c', $3)) with labels font ',11'\n",
                    sw->nt0, sw->nt1, b, b);
            rc = plot_end(p);
        }
    }
    free(at);
    return rc;
}

static int num_before(double a, double b)
{
    if (isnan(a) || isnan(b))
        return !isnan(a) && isnan(b);
    return a < b;
}

static int sweep_line_before(const sweep_line *a, const sweep_line *b)
{
    const double *x = a->key->threshold, *y = b->key->threshold;
    if (!same_num(x[1], y[1]))
        return num_before(x[1], y[1]);
    return num_before(x[2], y[2]);
}

static void put_threshold(FILE *f, int k, double v)
{
    if (isnan(v))
        fprintf(f, "threshold%d=NA ", k);
    else
        fprintf(f, "threshold%d=%.15g ", k, v);
}

/* The words of v[mine] ("k=v k=v") that not every v[i] has. */
static void uncommon_words(FILE *f, const char *const *v, size_t n, size_t mine)
{
    char *copy = util_xstrdup(v[mine] ? v[mine] : ""), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        int everywhere = 1;
        for (size_t i = 0; i < n && everywhere; i++) {
            char *c2 = util_xstrdup(v[i] ? v[i] : ""), *s2 = NULL;
            int found = 0;
            for (char *x = strtok_r(c2, " ", &s2); x && !found; x = strtok_r(NULL, " ", &s2))
                found = strcmp(x, w) == 0;
            free(c2);
            everywhere = found;
        }
        if (!everywhere)
            fprintf(f, "%s ", w);
    }
    free(copy);
}

/* The sweeps of (workload, collector) in configs idx[0..k). */
int plot_sweeps(plotter *p, const result_summary *s, const workload_set *w)
{
    int rc = 0;
    char *done = util_xcalloc(w->k, 1);
    for (size_t a = 0; a < w->k && rc == 0; a++) {
        if (done[a])
            continue;
        const config_summary *ca = &s->configs[w->idx[a]];
        /* the configs of this collector with a threshold0 */
        size_t *grp = util_xcalloc(w->k, sizeof *grp), ng = 0;
        for (size_t b = a; b < w->k; b++) {
            const config_summary *cb = &s->configs[w->idx[b]];
            if (!done[b] && plot_same_str(cb->collector, ca->collector)) {
                done[b] = 1;
                if (!isnan(cb->threshold[0]))
                    grp[ng++] = w->idx[b];
            }
        }
        double *t0 = util_xcalloc(ng, sizeof *t0), *t1 = util_xcalloc(ng, sizeof *t1);
        size_t nt1 = 0;
        for (size_t i = 0; i < ng; i++) {
            t0[i] = s->configs[grp[i]].threshold[0];
            if (!isnan(s->configs[grp[i]].threshold[1]))
                t1[nt1++] = s->configs[grp[i]].threshold[1];
        }
        sweep sw = {.workload = w->workload, .collector = ca->collector, .t0 = t0, .t1 = t1};
        sw.nt0 = distinct(t0, ng);
        sw.nt1 = distinct(t1, nt1);
        if (sw.nt0 >= 2) {
            char cname[41]; /* 40 characters at most */
            util_file_name_from(ca->collector, cname, sizeof cname);
            snprintf(sw.base, sizeof sw.base, "%s-%s", w->base, cname);
            sw.categorical = sw.t0[0] <= 0;
            /* lines: same everything but threshold0 */
            sw.lines = util_xcalloc(ng, sizeof *sw.lines);
            for (size_t i = 0; i < ng; i++) {
                const config_summary *c = &s->configs[grp[i]];
                size_t l = 0;
                for (; l < sw.nlines; l++) {
                    const config_summary *k = sw.lines[l].key;
                    if (same_num(k->threshold[1], c->threshold[1]) && same_num(k->threshold[2], c->threshold[2]) &&
                        plot_same_str(k->params, c->params) && plot_same_str(k->collector_params, c->collector_params))
                        break;
                }
                if (l == sw.nlines) {
                    sw.lines[l].key = c;
                    sw.lines[l].cfg = util_xcalloc(ng, sizeof *sw.lines[l].cfg);
                    sw.nlines++;
                }
                sweep_line *ln = &sw.lines[l];
                size_t j = 0;
                while (j < ln->n && s->configs[ln->cfg[j]].threshold[0] != c->threshold[0])
                    j++;
                if (j < ln->n) /* the same point twice: the first one */
                    continue;
                j = ln->n;
                while (j > 0 && s->configs[ln->cfg[j - 1]].threshold[0] > c->threshold[0]) {
                    ln->cfg[j] = ln->cfg[j - 1];
                    j--;
                }
                ln->cfg[j] = grp[i];
                ln->n++;
            }
            /* lines by threshold1, then threshold2 (NA last), else as they came */
            for (size_t l = 1; l < sw.nlines; l++) {
                sweep_line ln = sw.lines[l];
                size_t j = l;
                while (j > 0 && sweep_line_before(&ln, &sw.lines[j - 1])) {
                    sw.lines[j] = sw.lines[j - 1];
                    j--;
                }
                sw.lines[j] = ln;
            }
            /* a line's label: what differs between lines */
            int v1 = 0, v2 = 0, vp = 0, vc = 0;
            for (size_t l = 1; l < sw.nlines; l++) {
                const config_summary *k = sw.lines[l].key, *k0 = sw.lines[0].key;
                v1 |= !same_num(k->threshold[1], k0->threshold[1]);
                v2 |= !same_num(k->threshold[2], k0->threshold[2]);
                vp |= !plot_same_str(k->params, k0->params);
                vc |= !plot_same_str(k->collector_params, k0->collector_params);
            }
            const char **pv = util_xcalloc(sw.nlines, sizeof *pv), **cv = util_xcalloc(sw.nlines, sizeof *cv);
            for (size_t l = 0; l < sw.nlines; l++) {
                pv[l] = sw.lines[l].key->params;
                cv[l] = sw.lines[l].key->collector_params;
            }
            for (size_t l = 0; l < sw.nlines; l++) {
                const config_summary *k = sw.lines[l].key;
                char *buf = NULL;
                size_t len = 0;
                FILE *f = open_memstream(&buf, &len);
                if (!f)
                    abort();
                if (v1)
                    put_threshold(f, 1, k->threshold[1]);
                if (v2)
                    put_threshold(f, 2, k->threshold[2]);
                if (vp)
                    uncommon_words(f, pv, sw.nlines, l);
                if (vc)
                    uncommon_words(f, cv, sw.nlines, l);
                fclose(f);
                while (len && buf[len - 1] == ' ')
                    buf[--len] = '\0';
                if (len == 0) {
                    free(buf);
                    buf = util_xstrdup(ca->collector);
                    len = strlen(buf);
                }
                if (len > LABEL_MAX)
                    strcpy(buf + LABEL_MAX - 3, "...");
                sw.lines[l].label = buf;
            }
            free(pv);
            free(cv);
            rc = plot_sweep_metric(p, s, &sw, MET_ops_per_s, 1, "sweep-throughput", "throughput", "throughput (ops/s)",
                                   "%.1s%c");
            if (rc == 0)
                rc = plot_sweep_metric(p, s, &sw, MET_pause_p99_ns, 1e6, "sweep-p99", "p99 pause",
                                       "p99 pause of a run (ms)", "%g");
            if (rc == 0)
                rc = plot_sweep_metric(p, s, &sw, MET_peak_rss_bytes, 1048576.0, "sweep-rss", "peak RSS", "peak RSS (MiB)",
                                       "%g");
            if (rc == 0 && sw.nt1 >= 2)
                rc = plot_heatmap(p, s, &sw);
            for (size_t l = 0; l < sw.nlines; l++) {
                free(sw.lines[l].cfg);
                free(sw.lines[l].label);
            }
            free(sw.lines);
        }
        free(t0);
        free(t1);
        free(grp);
    }
    free(done);
    return rc;
}
