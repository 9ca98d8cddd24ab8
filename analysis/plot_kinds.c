/*
 * analysis/plot_kinds.c -- the plots of one workload: pause CDFs, MMU curves, RSS
 * over time, box plots of a metric over repeats.
 */
#define _GNU_SOURCE

#include "plot_internal.h"

#include "harness/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int plot_pause_cdf(plotter *p, const result_summary *s, const workload_set *w)
{
    int any = 0;
    for (size_t i = 0; i < w->k; i++)
        any |= s->configs[w->idx[i]].npauses > 0;
    if (!any)
        return 0;
    char title[256];
    snprintf(title, sizeof title, "%s: pause durations, every pause of every repeat (CDF)", w->workload);
    if (plot_begin(p, w->base, "pause-cdf", "pause-cdf", w->workload, title) != 0)
        return -1;
    FILE *g = p->gp;
    fputs("set logscale x 10\nset format x '%g'\nset xlabel 'pause (ms), log scale'\n"
          "set ylabel 'fraction of pauses at most this long'\nset yrange [0:1.02]\nset ytics 0.1\n"
          "",
          g);
    int first = 1;
    for (size_t i = 0; i < w->k; i++) {
        const config_summary *c = &s->configs[w->idx[i]];
        if (!c->npauses)
            continue;
        int b = plot_dat_block(p, c->config);
        fputs("# pause_ms fraction\n", p->dat);
        size_t n = c->npauses, stride = (n - (n > CDF_TAIL ? CDF_TAIL : n)) / CDF_POINTS + 1;
        double first_ms = fmax(c->pauses_ns[0], 1.0) / 1e6;
        fprintf(p->dat, "%.9g 0\n", first_ms);
        for (size_t j = 0; j < n; j++) {
            if (j + CDF_TAIL >= n || j % stride == 0)
                fprintf(p->dat, "%.9g %.9g\n", fmax(c->pauses_ns[j], 1.0) / 1e6, (double)(j + 1) / (double)n);
        }
        plot_curve(g, &first, b, i, w->labels[i], "using 1:2 with steps lw 2 ");
    }
    fputc('\n', g);
    return plot_end(p);
}

int plot_mmu(plotter *p, const result_summary *s, const workload_set *w)
{
    int any = 0;
    for (size_t i = 0; i < w->k; i++)
        for (int j = 0; j < SUMMARY_MMU_WINDOWS; j++)
            any |= !isnan(s->configs[w->idx[i]].mmu[j]);
    if (!any)
        return 0;
    char title[256];
    snprintf(title, sizeof title, "%s: minimum mutator utilisation (median over repeats)", w->workload);
    if (plot_begin(p, w->base, "mmu", "mmu", w->workload, title) != 0)
        return -1;
    FILE *g = p->gp;
    fputs("set logscale x 10\nset format x '%g'\nset xlabel 'window (ms), log scale'\n"
          "set ylabel 'MMU: smallest fraction of any window not paused'\nset yrange [0:1.05]\nset ytics 0.1\n"
          "",
          g);
    int first = 1;
    for (size_t i = 0; i < w->k; i++) {
        const config_summary *c = &s->configs[w->idx[i]];
        int has = 0;
        for (int j = 0; j < SUMMARY_MMU_WINDOWS; j++)
            has |= !isnan(c->mmu[j]);
        if (!has)
            continue;
        int b = plot_dat_block(p, c->config);
        fputs("# window_ms mmu\n", p->dat);
        for (int j = 0; j < SUMMARY_MMU_WINDOWS; j++)
            if (!isnan(c->mmu[j]))
                fprintf(p->dat, "%.9g %.9g\n", summary_mmu_window_ns[j] / 1e6, c->mmu[j]);
        plot_curve(g, &first, b, i, w->labels[i], "using 1:2 with linespoints lw 2 pt %zu ", i % 13 + 1);
    }
    fputc('\n', g);
    return plot_end(p);
}

typedef struct point {
    double x, y;
} point;

static int cmp_point(const void *a, const void *b)
{
    double x = ((const point *)a)->x, y = ((const point *)b)->x;
    return (x > y) - (x < y);
}

/* The run of config c whose RSS is drawn: the lowest ok repeat. */
static const char *rss_run(const run_files *rf, const config_summary *c)
{
    int c_id = csv_col(rf->runs, "run_id"), c_status = csv_col(rf->runs, "status"),
        c_repeat = csv_col(rf->runs, "repeat");
    const char *best = NULL;
    double best_rep = INFINITY;
    for (size_t i = 0; i < c->nrun_ids; i++)
        for (size_t r = 0; r < rf->runs->nrows; r++) {
            if (strcmp(csv_get(rf->runs, r, c_id), c->run_ids[i]) != 0)
                continue;
            if (c_status >= 0 && strcmp(csv_get(rf->runs, r, c_status), "ok") != 0)
                break;
            double rep = csv_num(rf->runs, r, c_repeat);
            if (isnan(rep))
                rep = 1e300;
            if (!best || rep < best_rep) {
                best = c->run_ids[i];
                best_rep = rep;
            }
            break;
        }
    return best;
}

typedef struct id_ref {
    const char *id;
    size_t slot;
} id_ref;

static int cmp_id_ref(const void *a, const void *b)
{
    return strcmp(((const id_ref *)a)->id, ((const id_ref *)b)->id);
}

int plot_rss(plotter *p, const result_summary *s, const workload_set *w, const run_files *rf)
{
    if (!rf->ts || !rf->ts->nrows || !rf->runs)
        return 0;
    int c_id = csv_col(rf->ts, "run_id"), c_t = csv_col(rf->ts, "t_ns"), c_rss = csv_col(rf->ts, "rss_bytes");
    if (c_id < 0 || c_t < 0 || c_rss < 0)
        return 0;
    id_ref *refs = util_xcalloc(w->k, sizeof *refs);
    const char **chosen = util_xcalloc(w->k, sizeof *chosen);
    size_t nrefs = 0;
    for (size_t i = 0; i < w->k; i++) {
        chosen[i] = rss_run(rf, &s->configs[w->idx[i]]);
        if (chosen[i])
            refs[nrefs++] = (id_ref){chosen[i], i};
    }
    qsort(refs, nrefs, sizeof *refs, cmp_id_ref);
    point **pts = util_xcalloc(w->k, sizeof *pts);
    size_t *npts = util_xcalloc(w->k, sizeof *npts), *cap = util_xcalloc(w->k, sizeof *cap);
    size_t total = 0;
    for (size_t r = 0; r < rf->ts->nrows && nrefs; r++) {
        id_ref key = {csv_get(rf->ts, r, c_id), 0};
        id_ref *hit = bsearch(&key, refs, nrefs, sizeof *refs, cmp_id_ref);
        if (!hit)
            continue;
        double t = csv_num(rf->ts, r, c_t), rss = csv_num(rf->ts, r, c_rss);
        if (isnan(t) || isnan(rss))
            continue;
        size_t i = hit->slot;
        if (npts[i] == cap[i]) {
            cap[i] = cap[i] ? 2 * cap[i] : 256;
            pts[i] = realloc(pts[i], cap[i] * sizeof *pts[i]);
            if (!pts[i])
                abort();
        }
        pts[i][npts[i]++] = (point){t / 1e9, rss / 1048576.0};
        total++;
    }
    int rc = 0;
    if (total) {
        char title[256];
        snprintf(title, sizeof title, "%s: resident memory over time (first successful repeat of each)",
                 w->workload);
        rc = plot_begin(p, w->base, "rss", "rss", w->workload, title);
        if (rc == 0) {
            FILE *g = p->gp;
            fputs("set xlabel 'time since the start of the run (s)'\nset ylabel 'RSS (MiB)'\n"
                  "set yrange [0:*]\nset xrange [0:*]\n",
                  g);
            int first = 1;
            for (size_t i = 0; i < w->k; i++) {
                if (!npts[i])
                    continue;
                qsort(pts[i], npts[i], sizeof *pts[i], cmp_point);
                char comment[512];
                snprintf(comment, sizeof comment, "%s, run %s", s->configs[w->idx[i]].config, chosen[i]);
                int b = plot_dat_block(p, comment);
                fputs("# t_s rss_mib\n", p->dat);
                for (size_t j = 0; j < npts[i]; j++)
                    fprintf(p->dat, "%.9g %.9g\n", pts[i][j].x, pts[i][j].y);
                plot_curve(g, &first, b, i, w->labels[i], "using 1:2 with lines lw 2 ");
            }
            fputc('\n', g);
            rc = plot_end(p);
        }
    }
    for (size_t i = 0; i < w->k; i++)
        free(pts[i]);
    free(pts);
    free(npts);
    free(cap);
    free(refs);
    free(chosen);
    return rc;
}

/* xtics of n categories: labels under their boxes, broken into lines at
 * spaces when the words fit, else turned (with room on the left). */
static void xtics_of(FILE *g, char **labels, const size_t *which, size_t n)
{
    size_t longest = 0, word = 0;
    for (size_t i = 0; i < n; i++) {
        const char *l = labels[which[i]];
        if (strlen(l) > longest)
            longest = strlen(l);
        for (const char *w = l; *w;) {
            size_t len = strcspn(w, " ");
            if (len > word)
                word = len;
            w += len;
            w += *w == ' ';
        }
    }
    double room = 110.0 / (double)n; /* characters across one category */
    int wrap = longest > room && word <= room, turn = longest > room && word > room;
    fputs("set xtics (", g);
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ", " : "", g);
        plot_gp_dstr(g, labels[which[i]], wrap);
        fprintf(g, " %zu", i + 1);
    }
    fputs(") nomirror", g);
    /* Room below for the labels: gnuplot's SVG terminal only estimates text. */
    if (turn) {
        double left = 0.87 * (double)strlen(labels[which[0]]) - 0.6 * 110.0 / ((double)n + 0.2);
        fprintf(g, " rotate by 30 right\nset lmargin %d\nset bmargin %d", left < 10 ? 10 : left > 45 ? 45 : (int)left + 1,
                (int)((double)longest / 4.0) + 4);
    } else if (wrap) {
        int lines = 1;
        for (size_t i = 0; i < n; i++) {
            int l = 1;
            for (const char *c = labels[which[i]]; *c; c++)
                l += *c == ' ';
            if (l > lines)
                lines = l;
        }
        fprintf(g, "\nset bmargin %d", lines + 3);
    }
    fputc('\n', g);
}

/* Box plot of metric m over repeats, in unit scale (values / scale). */
int plot_box(plotter *p, const result_summary *s, const workload_set *w, int m, double scale,
                    const char *suffix, const char *what, const char *ylabel, const char *yformat)
{
    size_t *which = util_xcalloc(w->k, sizeof *which), n = 0;
    for (size_t i = 0; i < w->k; i++)
        if (s->configs[w->idx[i]].m[m].n > 0)
            which[n++] = i;
    int rc = 0;
    if (n) {
        char title[256];
        snprintf(title, sizeof title, "%s: %s over repeats (box: quartiles and median; whiskers: min to max; dots: repeats)",
                 w->workload, what);
        rc = plot_begin(p, w->base, suffix, suffix, w->workload, title);
        if (rc == 0) {
            FILE *g = p->gp;
            int b0 = plot_dat_block(p, "boxes");
            fputs("# x q1 min max q3 median\n", p->dat);
            for (size_t j = 0; j < n; j++) {
                const metric_stats *ms = &s->configs[w->idx[which[j]]].m[m];
                double q1 = isnan(ms->q1) ? ms->median : ms->q1, q3 = isnan(ms->q3) ? ms->median : ms->q3;
                fprintf(p->dat, "%zu %.9g %.9g %.9g %.9g %.9g # ", j + 1, q1 / scale, ms->min / scale,
                        ms->max / scale, q3 / scale, ms->median / scale);
                for (const char *ch = s->configs[w->idx[which[j]]].config; *ch; ch++)
                    fputc((unsigned char)*ch < 0x20 ? ' ' : *ch, p->dat);
                fputc('\n', p->dat);
            }
            int b1 = plot_dat_block(p, "repeats");
            fputs("# x value\n", p->dat);
            for (size_t j = 0; j < n; j++) {
                const metric_stats *ms = &s->configs[w->idx[which[j]]].m[m];
                for (size_t r = 0; r < ms->n; r++) { /* side by side, centred on the box */
                    double dx = ms->n <= 5 ? (double)r - (double)(ms->n - 1) / 2 : (double)(r % 5) - 2;
                    fprintf(p->dat, "%.4f %.9g\n", (double)(j + 1) + 0.06 * dx, ms->values[r] / scale);
                }
            }
            xtics_of(g, w->labels, which, n);
            fprintf(g, "set xrange [0.4:%zu.6]\nset ylabel ", n);
            plot_gp_str(g, ylabel);
            fprintf(g, "\nset format y '%s'\nset yrange [0:*]\nset boxwidth 0.45\nset grid noxtics ytics\n"
                       "unset key\n",
                    yformat);
            fprintf(g,
                    "plot dat index %d using 1:2:3:4:5 with candlesticks whiskerbars 0.5 fs solid 0.35 "
                    "lc rgb '#4477aa' lw 1.5 title 'quartiles, min..max', \\\n"
                    "    '' index %d using 1:6:6:6:6 with candlesticks lc rgb '#222222' lw 2.5 title 'median', \\\n"
                    "    '' index %d using 1:2 with points pt 7 ps 0.7 lc rgb '#cc3311' title 'one repeat'\n",
                    b0, b0, b1);
            rc = plot_end(p);
        }
    }
    free(which);
    return rc;
}

