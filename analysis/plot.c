/*
 * analysis/plot.c -- the plots of a result folder, drawn by gnuplot.
 *
 * One set per workload: pause CDFs, MMU curves, RSS over time, box plots of
 * throughput and p99 pause over repeats; and for every (workload, collector)
 * whose configurations differ in threshold0, sweep plots against threshold0
 * and, on a threshold0 x threshold1 grid, a heatmap of throughput.
 *
 * Each plot is a gnuplot script, plots/NAME.gp, over its data,
 * plots/data/NAME.dat (one block per line or box, selected with `index`);
 * the script writes NAME.png (pngcairo) and NAME.svg, so a user can edit it
 * and rerun it: cd DIR/plots && gnuplot NAME.gp.  plots/index.tsv lists the
 * plots (workload, kind, name, title) for the report.  Names come from the
 * workload and collector names only, never from labels.
 */
#define _GNU_SOURCE

#include "report.h"

#include "harness/atomic.h"
#include "harness/csv.h"
#include "harness/util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATHBUF (PATH_MAX + 512) /* a path under plots/ */
#define LABEL_MAX 60     /* legend labels longer than this are cut */
#define CDF_POINTS 3000  /* a CDF keeps every pause of its tail and about this many below */
#define CDF_TAIL 500

/* ------------------------------------------------------------------ */
/* gnuplot */

/* The gnuplot on PATH, or -1. */
int plot_find_gnuplot(char *out, size_t len)
{
    const char *path = getenv("PATH");
    if (!path || !*path)
        return -1;
    char *copy = util_xstrdup(path), *save = NULL;
    int found = -1;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        struct stat st;
        if (snprintf(out, len, "%s/gnuplot", *d ? d : ".") >= (int)len)
            continue;
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) {
            found = 0;
            break;
        }
    }
    free(copy);
    return found;
}

/* A gnuplot single-quoted string: '' for a quote, control characters as spaces. */
static void gp_str(FILE *f, const char *s)
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

static void perr(plotter *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
}

/* Start plot BASE-SUFFIX: its script with the PNG terminal and title, and
 * its data file.  The caller writes the body (set ..., plot ...) into p->gp
 * and the data blocks into p->dat. */
static int plot_begin(plotter *p, const char *base, const char *suffix, const char *kind, const char *workload,
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
        perr(p, "cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    snprintf(path, sizeof path, "%s/data/%s.dat", p->plots, p->name);
    p->dat = fopen(path, "w");
    if (!p->dat) {
        perr(p, "cannot write %s: %s", path, strerror(errno));
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
    gp_str(p->gp, title);
    fprintf(p->gp, "\nset grid\nset key outside right top vertical noenhanced\n"
                   "set datafile missing 'NaN'\n"
                   "dat = 'data/%s.dat'\n",
            p->name);
    fprintf(p->dat, "# %s: data of %s.gp\n", p->name, p->name);
    return 0;
}

/* Start the next data block; returns its index. */
static int dat_block(plotter *p, const char *comment)
{
    if (p->nblocks)
        fputs("\n\n", p->dat);
    fputs("# ", p->dat);
    for (const char *c = comment; *c; c++)
        fputc((unsigned char)*c < 0x20 ? ' ' : *c, p->dat);
    fputc('\n', p->dat);
    return p->nblocks++;
}

/* The first line of gnuplot's complaint worth showing. */
static void gnuplot_message(const char *text, char *out, size_t len)
{
    const char *best = NULL, *last = NULL;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t n = e ? (size_t)(e - l) : strlen(l);
        if (n > 0) {
            if (!best && (memmem(l, n, "line ", 5) && memmem(l, n, ": ", 2)))
                best = l;
            last = l;
        }
        l = e ? e + 1 : l + n;
    }
    const char *l = best ? best : last;
    if (!l) {
        snprintf(out, len, "no message");
        return;
    }
    size_t n = strcspn(l, "\n");
    snprintf(out, len, "%.*s", (int)(n > 300 ? 300 : n), l);
}

/* Run gnuplot on plots/NAME.gp in plots/. */
static int run_gnuplot(plotter *p)
{
    char script[160];
    snprintf(script, sizeof script, "%s.gp", p->name);
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        perr(p, "cannot run gnuplot: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        perr(p, "cannot run gnuplot: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (chdir(p->plots) != 0 || nul < 0)
            _exit(126);
        dup2(nul, 0);
        dup2(nul, 1);
        dup2(fds[1], 2);
        execl(p->gnuplot, "gnuplot", script, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[8192];
    size_t have = 0;
    for (;;) {
        char chunk[4096];
        ssize_t n = read(fds[0], chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t take = (size_t)n < sizeof buf - 1 - have ? (size_t)n : sizeof buf - 1 - have;
        memcpy(buf + have, chunk, take);
        have += take;
    }
    buf[have] = '\0';
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            perr(p, "gnuplot: %s", strerror(errno));
            return -1;
        }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char msg[320];
        gnuplot_message(buf, msg, sizeof msg);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            perr(p, "cannot run %s", p->gnuplot);
        else
            perr(p, "gnuplot failed on %s/%s: %s", p->plots, script, msg);
        return -1;
    }
    static const char *const ext[] = {"png", "svg"};
    for (int k = 0; k < 2; k++) {
        char path[PATHBUF];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s.%s", p->plots, p->name, ext[k]);
        if (stat(path, &st) != 0 || st.st_size < 100) {
            perr(p, "gnuplot wrote no %s from %s/%s", ext[k], p->plots, script);
            return -1;
        }
    }
    return 0;
}

/* Finish the script (the SVG), run it, list the plot in the index. */
static int plot_end(plotter *p)
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
        perr(p, "cannot write %s/%s.gp or its data: %s", p->plots, p->name, strerror(errno));
        return -1;
    }
    if (run_gnuplot(p) != 0)
        return -1;
    fprintf(p->index, "%s\t%s\t%s\t", p->workload, p->kind, p->name);
    for (const char *c = p->title; *c; c++)
        fputc((unsigned char)*c < 0x20 ? ' ' : *c, p->index);
    fputc('\n', p->index);
    p->count++;
    return 0;
}

/* ------------------------------------------------------------------ */
/* labels */

/* Legend labels for configs idx[0..k) of one workload: the label without
 * "workload/" and without the words every label shares, cut to LABEL_MAX;
 * the whole label (without "workload/") if that makes two the same. */
static char **short_labels(const result_summary *s, const size_t *idx, size_t k, const char *workload)
{
    char **full = util_xcalloc(k, sizeof *full), **out = util_xcalloc(k, sizeof *out);
    size_t wl = strlen(workload);
    for (size_t i = 0; i < k; i++) {
        const char *l = s->configs[idx[i]].config;
        if (strncmp(l, workload, wl) == 0 && l[wl] == '/' && l[wl + 1])
            l += wl + 1;
        full[i] = util_xstrdup(l);
    }
    for (size_t i = 0; i < k; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        if (!f)
            abort();
        char *copy = util_xstrdup(full[i]), *save = NULL;
        int first = 1;
        for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
            int everywhere = k > 1;
            for (size_t j = 0; j < k && everywhere; j++) {
                if (j == i)
                    continue;
                int found = 0;
                char *c2 = util_xstrdup(full[j]), *s2 = NULL;
                for (char *v = strtok_r(c2, " ", &s2); v && !found; v = strtok_r(NULL, " ", &s2))
                    found = strcmp(v, w) == 0;
                free(c2);
                everywhere = found;
            }
            if (!everywhere) {
                fprintf(f, "%s%s", first ? "" : " ", w);
                first = 0;
            }
        }
        free(copy);
        fclose(f);
        out[i] = *buf ? buf : (free(buf), util_xstrdup(full[i]));
    }
    int clash = 0;
    for (size_t i = 0; i < k && !clash; i++)
        for (size_t j = i + 1; j < k && !clash; j++)
            clash = strcmp(out[i], out[j]) == 0;
    for (size_t i = 0; i < k; i++) {
        if (clash) {
            free(out[i]);
            out[i] = util_xstrdup(full[i]);
        }
        if (strlen(out[i]) > LABEL_MAX) {
            size_t cut = LABEL_MAX - 3;
            while (cut > 0 && ((unsigned char)out[i][cut] & 0xC0) == 0x80) /* not inside a UTF-8 character */
                cut--;
            strcpy(out[i] + cut, "...");
        }
        free(full[i]);
    }
    free(full);
    return out;
}

static void free_strings(char **v, size_t n)
{
    if (!v)
        return;
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The style of line i: 8 colours, then dashes. */
static void line_style(FILE *f, size_t i)
{
    fprintf(f, "lt %zu dt %zu", i % 8 + 1, i / 8 % 5 + 1);
}

/* ------------------------------------------------------------------ */
/* the plots of one workload */

typedef struct workload_set {
    const char *workload;
    char base[64]; /* its file name part */
    size_t *idx;   /* its configs */
    size_t k;
    char **labels; /* their legend labels */
} workload_set;

static int plot_pause_cdf(plotter *p, const result_summary *s, const workload_set *w)
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
        int b = dat_block(p, c->config);
        fputs("# pause_ms fraction\n", p->dat);
        size_t n = c->npauses, stride = (n - (n > CDF_TAIL ? CDF_TAIL : n)) / CDF_POINTS + 1;
        double first_ms = fmax(c->pauses_ns[0], 1.0) / 1e6;
        fprintf(p->dat, "%.9g 0\n", first_ms);
        for (size_t j = 0; j < n; j++) {
            if (j + CDF_TAIL >= n || j % stride == 0)
                fprintf(p->dat, "%.9g %.9g\n", fmax(c->pauses_ns[j], 1.0) / 1e6, (double)(j + 1) / (double)n);
        }
        fprintf(g, "%s index %d using 1:2 with steps lw 2 ", first ? "plot dat" : ", \\\n    ''", b);
        line_style(g, i);
        fputs(" title ", g);
        gp_str(g, w->labels[i]);
        first = 0;
    }
    fputc('\n', g);
    return plot_end(p);
}

static int plot_mmu(plotter *p, const result_summary *s, const workload_set *w)
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
        int b = dat_block(p, c->config);
        fputs("# window_ms mmu\n", p->dat);
        for (int j = 0; j < SUMMARY_MMU_WINDOWS; j++)
            if (!isnan(c->mmu[j]))
                fprintf(p->dat, "%.9g %.9g\n", summary_mmu_window_ns[j] / 1e6, c->mmu[j]);
        fprintf(g, "%s index %d using 1:2 with linespoints lw 2 pt %zu ", first ? "plot dat" : ", \\\n    ''", b,
                i % 13 + 1);
        line_style(g, i);
        fputs(" title ", g);
        gp_str(g, w->labels[i]);
        first = 0;
    }
    fputc('\n', g);
    return plot_end(p);
}

/* The runs of the folder: status and repeat by run id, and the samples of
 * timeseries.csv. */
typedef struct run_files {
    csv_table *runs, *ts;
} run_files;

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

static int plot_rss(plotter *p, const result_summary *s, const workload_set *w, const run_files *rf)
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
                int b = dat_block(p, comment);
                fputs("# t_s rss_mib\n", p->dat);
                for (size_t j = 0; j < npts[i]; j++)
                    fprintf(p->dat, "%.9g %.9g\n", pts[i][j].x, pts[i][j].y);
                fprintf(g, "%s index %d using 1:2 with lines lw 2 ", first ? "plot dat" : ", \\\n    ''", b);
                line_style(g, i);
                fputs(" title ", g);
                gp_str(g, w->labels[i]);
                first = 0;
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

/* A gnuplot double-quoted string; with wrap, a line break for each space. */
static void gp_dstr(FILE *f, const char *s, int wrap)
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
        gp_dstr(g, labels[which[i]], wrap);
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
static int plot_box(plotter *p, const result_summary *s, const workload_set *w, int m, double scale,
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
            int b0 = dat_block(p, "boxes");
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
            int b1 = dat_block(p, "repeats");
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
            gp_str(g, ylabel);
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

/* ------------------------------------------------------------------ */
/* sweeps over thresholds */

static int same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

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
    gp_str(g, ylabel);
    fprintf(g, "\nset format y '%s'\nset yrange [0:*]\n", yformat);
    int first = 1;
    for (size_t l = 0; l < sw->nlines; l++) {
        const sweep_line *ln = &sw->lines[l];
        int has = 0;
        for (size_t j = 0; j < ln->n; j++)
            has |= s->configs[ln->cfg[j]].m[m].n > 0;
        if (!has)
            continue;
        int b = dat_block(p, ln->label);
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
        fprintf(g, "%s index %d using 1:2:3:4 with yerrorlines lw 2 pt %zu ps 1.2 ", first ? "plot dat" : ", \\\n    ''",
                b, l % 13 + 1);
        line_style(g, l);
        fputs(" title ", g);
        gp_str(g, ln->label);
        first = 0;
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
            int b = dat_block(p, "cells");
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
static int plot_sweeps(plotter *p, const result_summary *s, const workload_set *w)
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
            if (!done[b] && same_str(cb->collector, ca->collector)) {
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
                        same_str(k->params, c->params) && same_str(k->collector_params, c->collector_params))
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
                vp |= !same_str(k->params, k0->params);
                vc |= !same_str(k->collector_params, k0->collector_params);
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

/* ------------------------------------------------------------------ */
/* plot_write */

/* Remove the files of the plots an earlier plot_write listed. */
static void remove_old(const char *plots)
{
    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/index.tsv", plots);
    char why[256];
    FILE *f = util_open_file(path, UTIL_MAX_PLOT_BYTES, why, sizeof why);
    if (!f)
        return;
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) > 0) {
        char *save = NULL, *w = strtok_r(line, "\t\n", &save), *k = w ? strtok_r(NULL, "\t\n", &save) : NULL,
             *name = k ? strtok_r(NULL, "\t\n", &save) : NULL;
        if (!name || !util_is_file_name(name))
            continue;
        static const char *const ext[] = {"gp", "png", "svg"};
        for (int e = 0; e < 3; e++) {
            snprintf(path, sizeof path, "%s/%s.%s", plots, name, ext[e]);
            unlink(path);
        }
        snprintf(path, sizeof path, "%s/data/%s.dat", plots, name);
        unlink(path);
    }
    free(line);
    fclose(f);
}

static int make_dir(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        snprintf(err, errlen, "cannot make %s: %s", path, strerror(errno));
        return -1;
    }
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s is not a folder", path);
        return -1;
    }
    return 0;
}

int plot_write(const char *dir, const result_summary *s, char *err, size_t errlen)
{
    plotter p = {.dir = dir, .err = err, .errlen = errlen};
    if (plot_find_gnuplot(p.gnuplot, sizeof p.gnuplot) != 0) {
        snprintf(err, errlen, "gnuplot not found; install gnuplot-nox (scripts/setup.sh)");
        return -1;
    }
    if (snprintf(p.plots, sizeof p.plots, "%s/plots", dir) >= (int)sizeof p.plots - 64) {
        snprintf(err, errlen, "folder name too long: %s", dir);
        return -1;
    }
    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/data", p.plots);
    if (make_dir(p.plots, err, errlen) != 0 || make_dir(path, err, errlen) != 0)
        return -1;
    remove_old(p.plots);
    snprintf(path, sizeof path, "%s/index.tsv", p.plots);
    atomic_init(&p.index_group);
    p.index = atomic_open(&p.index_group, path, err, errlen);
    if (!p.index) {
        atomic_abort(&p.index_group);
        return -1;
    }

    run_files rf = {0};
    int missing;
    char cerr[256];
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    rf.runs = csv_read(path, &missing, cerr, sizeof cerr);
    snprintf(path, sizeof path, "%s/timeseries.csv", dir);
    rf.ts = csv_read(path, &missing, cerr, sizeof cerr); /* no RSS plot if unreadable */

    int rc = 0;
    char *done = util_xcalloc(s->n, 1);
    char **bases = util_xcalloc(s->n, sizeof *bases);
    size_t nbases = 0;
    for (size_t a = 0; a < s->n && rc == 0; a++) {
        if (done[a])
            continue;
        workload_set w = {.workload = s->configs[a].workload};
        w.idx = util_xcalloc(s->n, sizeof *w.idx);
        for (size_t b = a; b < s->n; b++)
            if (!done[b] && same_str(s->configs[b].workload, w.workload)) {
                done[b] = 1;
                w.idx[w.k++] = b;
            }
        /* a file name part no other workload has */
        char safe[41]; /* 40 characters at most */
        util_file_name_from(w.workload, safe, sizeof safe);
        snprintf(w.base, sizeof w.base, "%s", safe);
        for (int n = 2;; n++) {
            size_t i = 0;
            while (i < nbases && strcmp(bases[i], w.base) != 0)
                i++;
            if (i == nbases)
                break;
            snprintf(w.base, sizeof w.base, "%s-%d", safe, n);
        }
        bases[nbases++] = util_xstrdup(w.base);
        w.labels = short_labels(s, w.idx, w.k, w.workload);

        rc = plot_pause_cdf(&p, s, &w);
        if (rc == 0)
            rc = plot_mmu(&p, s, &w);
        if (rc == 0)
            rc = plot_rss(&p, s, &w, &rf);
        if (rc == 0)
            rc = plot_box(&p, s, &w, MET_ops_per_s, 1, "box-throughput", "throughput", "throughput (ops/s)", "%.1s%c");
        if (rc == 0)
            rc = plot_box(&p, s, &w, MET_pause_p99_ns, 1e6, "box-p99", "p99 pause of each run",
                          "p99 pause of a run (ms)", "%g");
        if (rc == 0)
            rc = plot_sweeps(&p, s, &w);
        free_strings(w.labels, w.k);
        free(w.idx);
    }
    free_strings(bases, nbases);
    free(done);
    csv_free(rf.runs);
    csv_free(rf.ts);
    free_strings(p.used, p.nused);
    if (p.gp)
        fclose(p.gp);
    if (p.dat)
        fclose(p.dat);

    /* The index lists what was written, even when a plot failed. */
    char ierr[512];
    if (atomic_commit(&p.index_group, ATOMIC_FORWARD, ierr, sizeof ierr) != 0) {
        if (rc == 0)
            snprintf(err, errlen, "%s", ierr);
        return -1;
    }
    return rc == 0 ? p.count : -1;
}
