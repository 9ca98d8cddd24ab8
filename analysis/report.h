/*
 * analysis/report.h -- plots with gnuplot (PNG and SVG next to the CSV) and
 * one self-contained HTML report per result folder.
 */
#ifndef GCLAB_ANALYSIS_REPORT_H
#define GCLAB_ANALYSIS_REPORT_H

#include "summary.h"

#include <stddef.h>

/* Write dir/plots/ (PNG + SVG).  Returns the number of plots written, or -1
 * with err (gnuplot missing or failing). */
int plot_write(const char *dir, const result_summary *s, char *err, size_t errlen);

/* The gnuplot on PATH into out: 0, or -1 when there is none. */
int plot_find_gnuplot(char *out, size_t len);

/* Write dir/report.html from the summary and the SVG plots in dir/plots/.
 * Returns 0, or -1 with err. */
int report_write(const char *dir, const result_summary *s, char *err, size_t errlen);

/* The same page written to path (a temporary name, then renamed).  Returns
 * the number of plots embedded, or -1 with err. */
int report_write_to(const char *dir, const result_summary *s, const char *path, char *err, size_t errlen);

/* Whether dir/plots holds a plot (listed in index.tsv, or an SVG). */
int report_has_plots(const char *dir);

#endif
