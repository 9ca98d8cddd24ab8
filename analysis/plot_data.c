/*
 * analysis/plot_data.c -- writing a plot: its gnuplot script, plots/NAME.gp, and
 * its data file, plots/data/NAME.dat (one block per line or box).
 */
#define _GNU_SOURCE

#include "plot_internal.h"

#include "harness/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A gnuplot single-quoted string: '' for a quote, control characters as spaces. */
void plot_gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", f);
        else if (c < 0x20 || c == 0x7f)
            fputc(' ', f);
        else
            fputc(c, f);
    }
    fputc('\'', f);
}

void plot_perr(plotter *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
}

/* Start plot BASE-SUFFIX: its script with the PNG terminal and title, and
 * its data file.  The caller writes the body (set ..., plot ...) into p->gp
 * and the data blocks into p->dat. */
int plot_begin(plotter *p, const char *base, const char *suffix, const char *kind, const char *workload,
                      const char *title)
{
    char name[128];
    snprintf(name, sizeof name, "%s-%s", base, suffix);
    snprintf(p->name, sizeof p->name, "%s", name);
    for (int k = 2;; k++) { /* unique, whatever the names were */
        size_t i = 0;
        while (i < p->nused && strcmp(p->used[i], p->name) != 0)
            i++;
        if (i == p->nused)
            break;
        snprintf(p->name, sizeof p->name, "%.100s-%d", name, k);
    }
    p->used = realloc(p->used, (p->nused + 1) * sizeof *p->used);
    if (!p->used)
        abort();
    p->used[p->nused++] = util_xstrdup(p->name);
    snprintf(p->kind, sizeof p->kind, "%s", kind);
    snprintf(p->workload, sizeof p->workload, "%s", workload);
    snprintf(p->title, sizeof p->title, "%s", title);
    p->nblocks = 0;

    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/%s.gp", p->plots, p->name);
    p->gp = fopen(path, "w");
    if (!p->gp) {
        plot_perr(p, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/data/%s.dat", p->plots, p->name);
    p->dat = fopen(path, "w");
    if (!p->dat) {
        plot_perr(p, "cannot write %s: %s", path, strerror(errno));
        fclose(p->gp);
        p->gp = NULL;
        return -1;
    }
    fprintf(p->gp,
            "# %s: ", p->name);
    for (const char *c = title; *c; c++)
        fputc((unsigned char)*c < 0x20 ? ' ' : *c, p->gp);
    fputs("\n# Written by gclab plot from the result folder's CSV files.  Edit and rerun:\n#   cd ", p->gp);
    for (const char *c = p->plots; *c; c++)
        fputc((unsigned char)*c < 0x20 ? '?' : *c, p->gp);
    fprintf(p->gp,
            " && gnuplot %s.gp\n"
            "# It writes %s.png and %s.svg; its data is data/%s.dat (blocks selected with index).\n"
            "reset\n"
            "set encoding utf8\n"
            "set terminal pngcairo size 1000,600 noenhanced font 'Sans,10'\n"
            "set output '%s.png'\n"
            "set title ",
            p->name, p->name, p->name, p->name, p->name);
    plot_gp_str(p->gp, title);
    fprintf(p->gp, "\nset grid\nset key outside right top vertical noenhanced\n"
                   "set datafile missing 'NaN'\n"
                   "dat = 'data/%s.dat'\n",
            p->name);
    fprintf(p->dat, "# %s: data of %s.gp\n", p->name, p->name);
    return 0;
}

/* Start the next data block; returns its index. */
int plot_dat_block(plotter *p, const char *comment)
{
    if (p->nblocks)
        fputs("\n\n", p->dat);
    fputs("# ", p->dat);
    for (const char *c = comment; *c; c++)
        fputc((unsigned char)*c < 0x20 ? ' ' : *c, p->dat);
    fputc('\n', p->dat);
    return p->nblocks++;
}

/* Finish the script (the SVG), run it, list the plot in the index. */
int plot_end(plotter *p)
{
    fprintf(p->gp, "\nset terminal svg size 1000,600 dynamic noenhanced font 'Sans,12' background '#ffffff'\n"
                   "set output '%s.svg'\n"
                   "replot\n"
                   "set output\n",
            p->name);
    int bad = ferror(p->gp) | ferror(p->dat);
    bad |= fclose(p->gp) != 0;
    bad |= fclose(p->dat) != 0;
    p->gp = p->dat = NULL;
    if (bad) {
        plot_perr(p, "cannot write %s/%s.gp or its data: %s", p->plots, p->name, strerror(errno));
        return -1;
    }
    if (plot_run_gnuplot(p) != 0)
        return -1;
    fprintf(p->index, "%s\t%s\t%s\t", p->workload, p->kind, p->name);
    for (const char *c = p->title; *c; c++)
        fputc((unsigned char)*c < 0x20 ? ' ' : *c, p->index);
    fputc('\n', p->index);
    p->count++;
    return 0;
}

/* A gnuplot double-quoted string; with wrap, a line break for each space. */
void plot_gp_dstr(FILE *f, const char *s, int wrap)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
        } else if (wrap && c == ' ') {
            fputs("\\n", f);
        } else {
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, f);
        }
    }
    fputc('"', f);
}

/* The style of line i: 8 colours, then dashes. */
static void plot_line_style(FILE *f, size_t i)
{
    fprintf(f, "lt %zu dt %zu", i % 8 + 1, i / 8 % 5 + 1);
}

void plot_curve(FILE *g, int *first, int b, size_t i, const char *label, const char *fmt, ...)
{
    fprintf(g, "%s index %d ", *first ? "plot dat" : ", \\\n    ''", b);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(g, fmt, ap);
    va_end(ap);
    plot_line_style(g, i);
    fputs(" title ", g);
    plot_gp_str(g, label);
    *first = 0;
}
