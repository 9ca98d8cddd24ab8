/*
 * analysis/plot_internal.h -- what the files of the plots share (private to
 * analysis/plot*.c; the interface is analysis/report.h).
 *
 * plot.c         plot_write: the plots of each workload, the index
 * plot_gnuplot.c finding gnuplot, running a script, checking its output
 * plot_data.c    writing a plot's script and data file (plot_begin/plot_end)
 * plot_kinds.c   the plots of one workload: pause CDF, MMU, RSS, box plots
 * plot_sweep.c   sweeps over thresholds: metrics against threshold0, heatmap
 */
#ifndef GCLAB_ANALYSIS_PLOT_INTERNAL_H
#define GCLAB_ANALYSIS_PLOT_INTERNAL_H

#include "report.h"

#include "harness/atomic.h"
#include "harness/csv.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#define PATHBUF (PATH_MAX + 512) /* a path under plots/ */
#define LABEL_MAX 60     /* legend labels longer than this are cut */
#define CDF_POINTS 3000  /* a CDF keeps every pause of its tail and about this many below */
#define CDF_TAIL 500

typedef struct plotter {
    const char *dir;
    char plots[PATH_MAX];   /* dir/plots */
    char gnuplot[PATH_MAX]; /* its path */
    char *err;
    size_t errlen;
    int count;
    atomic_group index_group; /* plots/index.tsv, written whole */
    FILE *index;
    char **used; /* names taken */
    size_t nused;
    /* the plot being written */
    char name[128];
    char kind[32];
    char workload[128];
    char title[512];
    FILE *gp, *dat;
    int nblocks;
} plotter;

typedef struct workload_set {
    const char *workload;
    char base[64]; /* its file name part */
    size_t *idx;   /* its configs */
    size_t k;
    char **labels; /* their legend labels */
} workload_set;

/* The runs of the folder: status and repeat by run id, and the samples of
 * timeseries.csv. */
typedef struct run_files {
    csv_table *runs, *ts;
} run_files;

/* plot_gnuplot.c */

/* Run gnuplot on plots/NAME.gp in plots/. */
int plot_run_gnuplot(plotter *p);

/* plot_data.c */

void plot_perr(plotter *p, const char *fmt, ...);
/* A gnuplot single-quoted string: '' for a quote, control characters as spaces. */
void plot_gp_str(FILE *f, const char *s);
/* A gnuplot double-quoted string; with wrap, a line break for each space. */
void plot_gp_dstr(FILE *f, const char *s, int wrap);
/* Start plot BASE-SUFFIX: its script with the PNG terminal and title, and
 * its data file.  The caller writes the body (set ..., plot ...) into p->gp
 * and the data blocks into p->dat. */
int plot_begin(plotter *p, const char *base, const char *suffix, const char *kind, const char *workload,
               const char *title);
/* Start the next data block; returns its index. */
int plot_dat_block(plotter *p, const char *comment);
/* Finish the script (the SVG), run it, list the plot in the index. */
int plot_end(plotter *p);
/* One curve of the plot command over data block b ("plot dat index B" for
 * the first, then "'' index B"): the rest of its options from fmt, line
 * style i, title label. */
void plot_curve(FILE *g, int *first, int b, size_t i, const char *label, const char *fmt, ...);

/* plot.c */

int plot_same_str(const char *a, const char *b);

/* plot_kinds.c */

int plot_pause_cdf(plotter *p, const result_summary *s, const workload_set *w);
int plot_mmu(plotter *p, const result_summary *s, const workload_set *w);
int plot_rss(plotter *p, const result_summary *s, const workload_set *w, const run_files *rf);
/* Box plot of metric m over repeats, in unit scale (values / scale). */
int plot_box(plotter *p, const result_summary *s, const workload_set *w, int m, double scale, const char *suffix,
             const char *what, const char *ylabel, const char *yformat);

/* plot_sweep.c */

/* The sweeps of (workload, collector) in configs idx[0..k). */
int plot_sweeps(plotter *p, const result_summary *s, const workload_set *w);

#endif
