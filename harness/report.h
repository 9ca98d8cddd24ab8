/*
 * harness/report.h -- plots with gnuplot (PNG and SVG next to the CSV) and
 * one self-contained HTML report per result folder.
 */
#ifndef GCLAB_HARNESS_REPORT_H
#define GCLAB_HARNESS_REPORT_H

#include "summary.h"

#include <stddef.h>

/* Write dir/plots/ (PNG + SVG).  Returns the number of plots written, or -1
 * with err (gnuplot missing or failing). */
int plot_write(const char *dir, const result_summary *s, char *err, size_t errlen);

/* Write dir/report.html from the summary and the SVG plots in dir/plots/.
 * Returns 0, or -1 with err. */
int report_write(const char *dir, const result_summary *s, char *err, size_t errlen);

/* gclab plot DIR, gclab report DIR */
int cli_plot(int argc, char **argv);
int cli_report(int argc, char **argv);

#endif
