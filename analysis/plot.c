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

#include "plot_internal.h"

#include "harness/util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int plot_same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
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
    p.index = atomic_open_one(&p.index_group, path, err, errlen);
    if (!p.index)
        return -1;

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
            if (!done[b] && plot_same_str(s->configs[b].workload, w.workload)) {
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
