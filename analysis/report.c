/*
 * analysis/report.c -- one self-contained HTML page for a result folder:
 * where and when it ran, per workload a verdict, a table of configurations
 * (medians with their 95% CI, the best value of each column marked), the
 * failed runs with their reasons, and the plots of plots/ as inline SVG.
 *
 * The page loads nothing: its CSS and its one small script (click a column
 * heading to sort) are inline, and so are the plots.  Every text that comes
 * from the files is escaped.  docs/report.md describes the sections.
 */
#define _GNU_SOURCE

#include "report.h"
#include "verdict.h"

#include "harness/atomic.h"
#include "harness/util.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PATHBUF (PATH_MAX + 512)

/* ------------------------------------------------------------------ */
/* HTML text */

static void esc(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default:
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
                fputc(' ', f);
            else
                fputc(c, f);
        }
    }
}

static void escf(FILE *f, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    esc(f, buf);
}

/* ------------------------------------------------------------------ */
/* where and when: meta.json */

typedef struct strset {
    char **v;
    size_t n;
} strset;

static void strset_add(strset *s, const char *text)
{
    if (!text || !*text)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], text) == 0)
            return;
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    if (!s->v)
        abort();
    s->v[s->n++] = util_xstrdup(text);
}

static void strset_free(strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
}

static const char *const meta_keys[][2] = {
    {"hostname", "Host"},          {"cpu_model", "CPU"},       {"cpus", "CPUs"},
    {"kernel", "Kernel"},          {"machine", "Machine"},     {"gclab_version", "gclab"},
    {"git_commit", "Commit"},      {"compiler", "Compiler"},   {"allocator", "Allocator"},
};
#define NMETA (sizeof meta_keys / sizeof meta_keys[0])

/* Distinct values of each key over meta.json's runs; 0, or -1 if unreadable. */
static int read_meta(const char *dir, strset *values)
{
    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/meta.json", dir);
    char why[256];
    char *text = util_read_file(path, UTIL_MAX_RESULT_BYTES, NULL, why, sizeof why);
    if (!text)
        return -1;
    cJSON *root = cJSON_Parse(text);
    free(text);
    if (!root)
        return -1;
    const cJSON *runs = cJSON_GetObjectItemCaseSensitive(root, "runs"), *run;
    int rc = cJSON_IsArray(runs) ? 0 : -1;
    if (rc == 0)
        cJSON_ArrayForEach(run, runs)
        {
            for (size_t k = 0; k < NMETA; k++) {
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(run, meta_keys[k][0]);
                char buf[64];
                if (cJSON_IsString(v))
                    strset_add(&values[k], v->valuestring);
                else if (cJSON_IsNumber(v)) {
                    snprintf(buf, sizeof buf, "%.15g", v->valuedouble);
                    strset_add(&values[k], buf);
                }
            }
        }
    cJSON_Delete(root);
    return rc;
}

/* A run id's start, "2026-11-21 10:47:47 UTC", from its "20261121T104747Z" prefix. */
static int run_time(const char *id, char *buf, size_t len)
{
    for (int i = 0; i < 15; i++) {
        if (i == 8 ? id[i] != 'T' : (id[i] < '0' || id[i] > '9'))
            return -1;
    }
    if (id[15] != 'Z')
        return -1;
    snprintf(buf, len, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s UTC", id, id + 4, id + 6, id + 9, id + 11, id + 13);
    return 0;
}

/* ------------------------------------------------------------------ */
/* the plots: plots/index.tsv, and each SVG inline */

typedef struct plot_ref {
    char *workload, *kind, *name, *title;
} plot_ref;

typedef struct plot_list {
    plot_ref *v;
    size_t n;
    int indexed; /* from index.tsv (else every *.svg found) */
} plot_list;

static void plots_add(plot_list *pl, const char *w, const char *k, const char *name, const char *title)
{
    pl->v = realloc(pl->v, (pl->n + 1) * sizeof *pl->v);
    if (!pl->v)
        abort();
    pl->v[pl->n++] = (plot_ref){util_xstrdup(w), util_xstrdup(k), util_xstrdup(name), util_xstrdup(title)};
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void read_plots(const char *dir, plot_list *pl)
{
    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/plots/index.tsv", dir);
    char why[256];
    FILE *f = util_open_file(path, UTIL_MAX_PLOT_BYTES, why, sizeof why); /* else: the SVGs there */
    if (f) {
        pl->indexed = 1;
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, f) > 0) {
            line[strcspn(line, "\r\n")] = '\0';
            char *fields[4] = {0}, *p = line;
            for (int i = 0; i < 4 && p; i++) {
                fields[i] = p;
                p = i < 3 ? strchr(p, '\t') : NULL;
                if (p)
                    *p++ = '\0';
            }
            if (fields[3] && util_is_file_name(fields[2]))
                plots_add(pl, fields[0], fields[1], fields[2], fields[3]);
        }
        free(line);
        fclose(f);
        return;
    }
    snprintf(path, sizeof path, "%s/plots", dir);
    DIR *d = opendir(path);
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len > 4 && strcmp(e->d_name + len - 4, ".svg") == 0 && e->d_name[0] != '.') {
            names = realloc(names, (n + 1) * sizeof *names);
            if (!names)
                abort();
            names[n++] = strndup(e->d_name, len - 4);
        }
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (util_is_file_name(names[i]))
            plots_add(pl, "", "", names[i], names[i]);
        free(names[i]);
    }
    free(names);
}

static void plots_free(plot_list *pl)
{
    for (size_t i = 0; i < pl->n; i++) {
        free(pl->v[i].workload);
        free(pl->v[i].kind);
        free(pl->v[i].name);
        free(pl->v[i].title);
    }
    free(pl->v);
}

/* How to read a plot of this kind. */
static const char *plot_hint(const char *kind)
{
    static const char *const hints[][2] = {
        {"pause-cdf", "Each line is a configuration: the fraction of its pauses (y) no longer than x. "
                      "Further left is shorter; the top right corner is the longest pauses."},
        {"mmu", "For each window length (x), the worst fraction of any window of that length left to the "
                "program. Higher is better; where a line reaches 0, some pause was longer than the window."},
        {"rss", "Resident memory of one run per configuration (its first successful repeat) as it ran. "
                "A rising line that never falls is memory not given back, or leaked."},
        {"box-throughput", "One box per configuration over its repeats: box from the first to the third "
                           "quartile, bar at the median, whiskers to the extremes, a dot per repeat. "
                           "Higher is better; overlapping boxes mean the difference may be noise."},
        {"box-p99", "The p99 pause of each repeat, as a box per configuration. Lower is better."},
        {"sweep-throughput", "Throughput against threshold0, one line per threshold1; bars are the 95% CI "
                             "of the median. Higher is better."},
        {"sweep-p99", "Each run's p99 pause against threshold0; lower is better. Larger thresholds mean fewer "
                      "but longer collections."},
        {"sweep-rss", "Peak resident memory against threshold0; lower is better. Larger thresholds let more "
                      "garbage wait for a collection."},
        {"heatmap-throughput", "Median throughput of each threshold0 x threshold1 cell; the darker the faster. "
                               "Empty cells were not run."},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(kind, hints[i][0]) == 0)
            return hints[i][1];
    return NULL;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* One SVG written inline: from <svg on, without gnuplot's <title>, its ids
 * prefixed so that several plots on one page do not share any. */
static int put_svg(FILE *out, const char *dir, const plot_ref *p, int serial)
{
    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/plots/%s.svg", dir, p->name);
    char why[256];
    char *text = util_read_file(path, UTIL_MAX_PLOT_BYTES, NULL, why, sizeof why);
    if (!text)
        return -1;
    char *svg = strstr(text, "<svg");
    /* A script (gnuplot's "mouse" option) would load gnuplot_svg.js: not here. */
    if (!svg || strstr(svg, "<script") || strstr(svg, "gnuplot_svg") || !strstr(svg, "</svg>")) {
        free(text);
        return -1;
    }
    char *end = strstr(svg, "</svg>") + 6;
    char prefix[32];
    snprintf(prefix, sizeof prefix, "p%d-", serial);
    fputs("<svg role=\"img\" aria-label=\"", out);
    esc(out, p->title);
    fputs("\"", out);
    for (const char *c = svg + 4; c < end;) {
        if (starts(c, "<title>Gnuplot</title>")) {
            c += strlen("<title>Gnuplot</title>");
        } else if (starts(c, " id='") || starts(c, " id=\"")) {
            fwrite(c, 1, 5, out);
            fputs(prefix, out);
            c += 5;
        } else if (starts(c, "href='#") || starts(c, "href=\"#")) {
            fwrite(c, 1, 7, out);
            fputs(prefix, out);
            c += 7;
        } else if (starts(c, "url(#")) {
            fputs("url(#", out);
            fputs(prefix, out);
            c += 5;
        } else {
            fputc(*c++, out);
        }
    }
    fputc('\n', out);
    free(text);
    return 0;
}

/* ------------------------------------------------------------------ */
/* the tables */

/* The table's columns: every headline metric that has a value among the
 * configurations shown, and the merged p99 beside the per-run pause ones. */
typedef struct column {
    size_t metric; /* metric_table index or VERDICT_MERGED_P99 */
    char head[64];
    const char *tip;
} column;

static size_t table_columns(const result_summary *s, const size_t *idx, size_t k, column *cols)
{
    size_t n = 0;
    for (size_t h = 0; h < metric_nheadline(); h++) {
        size_t m = metric_headline(h);
        int any = 0;
        for (size_t i = 0; i < k && !any; i++)
            any = !isnan(verdict_value(&s->configs[idx[i]], m));
        if (any) {
            const metric_def *d = &metric_table[m];
            snprintf(cols[n].head, sizeof cols[n].head, "%c%s%s", toupper((unsigned char)d->label[0]), d->label + 1,
                     d->unit == MU_RATE ? " (ops/s)" : "");
            cols[n].tip = d->doc;
            cols[n++].metric = m;
        }
        if (m == MET_pause_max_ns) {
            snprintf(cols[n].head, sizeof cols[n].head, "All-pause p99");
            cols[n].tip = "99th percentile of every pause of every repeat, merged";
            cols[n++].metric = VERDICT_MERGED_P99;
        }
    }
    return n;
}

static void put_cell(FILE *out, const config_summary *c, size_t metric, int best)
{
    double v = verdict_value(c, metric);
    const metric_def *d = verdict_metric(metric);
    char buf[64];
    fputs("<td", out);
    if (best)
        fputs(" class=\"best\"", out);
    if (!isnan(v))
        fprintf(out, " data-v=\"%.17g\"", v);
    fputs(">", out);
    int pause = metric == VERDICT_MERGED_P99 || metric == MET_pause_p99_ns || metric == MET_pause_max_ns;
    if (isnan(v)) {
        fputs("<span class=\"na\">NA</span>", out);
    } else if (pause && !c->npauses) {
        fputs("no pauses", out);
    } else {
        metric_format(buf, sizeof buf, d->unit, v);
        esc(out, buf);
        if (metric != VERDICT_MERGED_P99) {
            const metric_stats *m = &c->m[metric];
            if (m->n > 1 && !isnan(m->ci_lo) && !isnan(m->ci_hi)) {
                char lo[64], hi[64];
                metric_format(lo, sizeof lo, d->unit, m->ci_lo);
                metric_format(hi, sizeof hi, d->unit, m->ci_hi);
                fputs("<br><small>", out);
                escf(out, "%s \xE2\x80\x93 %s", lo, hi);
                fputs("</small>", out);
            }
        } else {
            fprintf(out, "<br><small>%zu pauses</small>", c->npauses);
        }
    }
    fputs("</td>", out);
}

/* The label without "workload/". */
static const char *short_label(const config_summary *c)
{
    size_t wl = strlen(c->workload);
    if (strncmp(c->config, c->workload, wl) == 0 && c->config[wl] == '/' && c->config[wl + 1])
        return c->config + wl + 1;
    return c->config;
}

static void verdict(FILE *out, const result_summary *s, const size_t *idx, size_t k)
{
    size_t nv;
    char a[64], b[64];
    int said = 0;
    const metric_def *ops = &metric_table[MET_ops_per_s];
    fputs("<p class=\"verdict\">", out);
    long fast = verdict_best(s, idx, k, MET_ops_per_s, &nv);
    if (fast >= 0 && nv >= 2) {
        const config_summary *f = &s->configs[idx[fast]];
        long slow = -1, second = -1;
        for (size_t i = 0; i < k; i++) {
            double v = verdict_value(&s->configs[idx[i]], MET_ops_per_s);
            if (isnan(v))
                continue;
            if (slow < 0 || metric_better(ops, v, verdict_value(&s->configs[idx[slow]], MET_ops_per_s)) > 0)
                slow = (long)i;
            if ((long)i != fast &&
                (second < 0 || metric_better(ops, verdict_value(&s->configs[idx[second]], MET_ops_per_s), v) > 0))
                second = (long)i;
        }
        double slowest = s->configs[idx[slow]].m[MET_ops_per_s].median;
        fputs("<b>Fastest:</b> ", out);
        esc(out, short_label(f));
        if (slowest > 0)
            escf(out, " (%.2fx the slowest, ", f->m[MET_ops_per_s].median / slowest);
        else
            fputs(" (the slowest: ", out);
        esc(out, short_label(&s->configs[idx[slow]]));
        fputs(")", out);
        const config_summary *sc = second >= 0 ? &s->configs[idx[second]] : NULL;
        if (sc && verdict_ci_overlap(f, sc, MET_ops_per_s)) {
            fputs(", not clearly ahead of ", out);
            esc(out, short_label(sc));
            fputs(" (their 95% CIs overlap)", out);
        }
        said = 1;
    } else if (fast >= 0) {
        fputs("<b>One configuration:</b> ", out);
        esc(out, short_label(&s->configs[idx[fast]]));
        metric_format(a, sizeof a, MU_RATE, verdict_value(&s->configs[idx[fast]], MET_ops_per_s));
        escf(out, ", %s ops/s", a);
        said = 1;
    }
    long p99 = verdict_best(s, idx, k, VERDICT_MERGED_P99, &nv);
    if (p99 >= 0 && nv >= 2) {
        const config_summary *c = &s->configs[idx[p99]];
        fputs(said ? "; <b>lowest p99 pause:</b> " : "<b>Lowest p99 pause:</b> ", out);
        esc(out, short_label(c));
        if (c->npauses) {
            metric_format(a, sizeof a, MU_NS, c->merged_p99_ns);
            escf(out, " (%s)", a);
        } else {
            fputs(" (no pauses)", out);
        }
        said = 1;
    }
    long rss = verdict_best(s, idx, k, MET_peak_rss_bytes, &nv);
    if (rss >= 0 && nv >= 2) {
        fputs(said ? "; <b>smallest peak RSS:</b> " : "<b>Smallest peak RSS:</b> ", out);
        esc(out, short_label(&s->configs[idx[rss]]));
        metric_format(a, sizeof a, MU_BYTES, verdict_value(&s->configs[idx[rss]], MET_peak_rss_bytes));
        escf(out, " (%s)", a);
        said = 1;
    }
    int leaks = 0;
    for (size_t i = 0; i < k; i++) {
        double v = verdict_value(&s->configs[idx[i]], MET_leaked_bytes);
        if (!isnan(v) && v > 0) {
            fputs(leaks ? ", " : said ? "; <b>leaks:</b> " : "<b>Leaks:</b> ", out);
            esc(out, short_label(&s->configs[idx[i]]));
            metric_format(b, sizeof b, MU_BYTES, v);
            escf(out, " (%s)", b);
            leaks = said = 1;
        }
    }
    size_t failed = 0;
    for (size_t i = 0; i < k; i++)
        failed += s->configs[idx[i]].runs_failed;
    if (failed)
        fprintf(out, "%s<b>%zu run%s failed</b> (below)", said ? "; " : "", failed, failed == 1 ? "" : "s");
    else if (!said)
        fputs("No successful runs.", out);
    fputs(".</p>\n", out);
}

static void table(FILE *out, const result_summary *s, const size_t *idx, size_t k)
{
    column *cols = util_xcalloc(metric_nheadline() + 1, sizeof *cols);
    size_t ncols = table_columns(s, idx, k, cols);
    long *best = util_xcalloc(ncols + 1, sizeof *best);
    for (size_t c = 0; c < ncols; c++) {
        size_t nv;
        best[c] = verdict_best(s, idx, k, cols[c].metric, &nv);
        if (nv < 2)
            best[c] = -1;
    }
    fputs("<div class=\"scroll\"><table class=\"sortable\">\n<thead><tr><th title=\"the configuration's label "
          "(runs.csv config); click a heading to sort\">Configuration</th>"
          "<th title=\"successful runs (and failed ones)\">Runs</th>",
          out);
    for (size_t c = 0; c < ncols; c++) {
        fputs("<th title=\"", out);
        esc(out, cols[c].tip);
        fputs("\">", out);
        esc(out, cols[c].head);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < k; i++) {
        const config_summary *c = &s->configs[idx[i]];
        fputs("<tr><td class=\"label\" title=\"", out);
        esc(out, c->config);
        if (c->collector_params && *c->collector_params) {
            fputs("&#10;collector: ", out);
            esc(out, c->collector_params);
        }
        if (c->params && *c->params) {
            fputs("&#10;workload: ", out);
            esc(out, c->params);
        }
        fputs("\">", out);
        esc(out, short_label(c));
        fprintf(out, "</td><td data-v=\"%zu\">%zu", c->runs_ok, c->runs_ok);
        if (c->runs_failed)
            fprintf(out, " <span class=\"failed\">+%zu failed</span>", c->runs_failed);
        fputs("</td>", out);
        for (size_t col = 0; col < ncols; col++) {
            int is_best = 0;
            if (best[col] >= 0) {
                double v = verdict_value(c, cols[col].metric);
                double b = verdict_value(&s->configs[idx[best[col]]], cols[col].metric);
                is_best = !isnan(v) && v == b;
            }
            put_cell(out, c, cols[col].metric, is_best);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody></table></div>\n", out);
    free(best);
    free(cols);
}

/* ------------------------------------------------------------------ */
/* the page */

static const char style[] =
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;background:#fff;"
    "margin:0 auto;max-width:1180px;padding:0 24px 48px}\n"
    "header{border-bottom:3px solid #2b5d9b;margin-bottom:18px;padding:18px 0 10px}\n"
    "h1{font-size:26px;margin:0 0 6px}h2{font-size:21px;margin:34px 0 8px;border-bottom:1px solid #d5dbe5;"
    "padding-bottom:4px}h3{font-size:16px;margin:22px 0 6px}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0;font-size:14px}\n"
    "dl.meta dt{color:#5a6478}dl.meta dd{margin:0}\n"
    "nav ul{margin:4px 0;padding-left:20px}\n"
    ".verdict{background:#eef4fb;border-left:4px solid #2b5d9b;padding:8px 12px;margin:10px 0}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;font-size:14px;margin:8px 0}\n"
    "th,td{border:1px solid #d5dbe5;padding:5px 9px;text-align:right;vertical-align:top}\n"
    "th{background:#f2f4f8;cursor:pointer;user-select:none;white-space:nowrap}\n"
    "th[data-dir=asc]::after{content:' \\25B2'}th[data-dir=desc]::after{content:' \\25BC'}\n"
    "td.label{text-align:left;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}\n"
    "td small{color:#5a6478;white-space:nowrap}\nth:first-child{text-align:left}\n"
    "td.best{background:#d9f2dd;font-weight:600}\n"
    ".na{color:#9aa3b5}.failed{color:#b42318;font-weight:600}\n"
    "ul.failures li{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}\n"
    "figure{margin:18px 0 26px}figcaption{font-weight:600;margin-bottom:4px}\n"
    "figure p{margin:2px 0 6px;color:#4a5468;font-size:14px}\n"
    "figure svg{display:block;width:100%;max-width:1000px;height:auto;border:1px solid #e3e7ee}\n"
    ".note{color:#5a6478;font-size:14px}\n";

static const char script[] =
    "(function(){\n"
    "  var tables=document.querySelectorAll('table.sortable');\n"
    "  Array.prototype.forEach.call(tables,function(t){\n"
    "    var heads=t.tHead?t.tHead.rows[0].cells:[];\n"
    "    Array.prototype.forEach.call(heads,function(th,col){\n"
    "      th.addEventListener('click',function(){\n"
    "        var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows);\n"
    "        var asc=th.getAttribute('data-dir')!=='asc';\n"
    "        Array.prototype.forEach.call(heads,function(h){h.removeAttribute('data-dir');});\n"
    "        th.setAttribute('data-dir',asc?'asc':'desc');\n"
    "        rows.sort(function(a,b){\n"
    "          var x=parseFloat(a.cells[col].getAttribute('data-v')),y=parseFloat(b.cells[col].getAttribute('data-v'));\n"
    "          if(isNaN(x)&&isNaN(y)){var p=a.cells[col].textContent,q=b.cells[col].textContent;"
    "var o=p.localeCompare(q,undefined,{numeric:true});return asc?o:-o;}\n"
    "          if(isNaN(x))return 1;if(isNaN(y))return -1;\n"
    "          return asc?x-y:y-x;\n"
    "        });\n"
    "        rows.forEach(function(r){body.appendChild(r);});\n"
    "      });\n"
    "    });\n"
    "  });\n"
    "})();\n";

/* The page, written to out.  Returns the number of plots embedded. */
static int write_page(FILE *out, const char *dir, const result_summary *s)
{
    strset meta[NMETA];
    memset(meta, 0, sizeof meta);
    int have_meta = read_meta(dir, meta) == 0;
    plot_list pl = {0};
    read_plots(dir, &pl);
    char *used = util_xcalloc(pl.n ? pl.n : 1, 1);
    int embedded = 0, serial = 0;

    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>gclab report: ",
          out);
    esc(out, dir);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>gclab report: ", style);
    esc(out, dir);
    fputs("</h1>\n<dl class=\"meta\">\n", out);
    /* when */
    char first[64] = "", last[64] = "";
    size_t nruns = 0, nfailed = 0;
    for (size_t i = 0; i < s->n; i++) {
        nruns += s->configs[i].nrun_ids;
        nfailed += s->configs[i].runs_failed;
        for (size_t r = 0; r < s->configs[i].nrun_ids; r++) {
            char t[64];
            if (run_time(s->configs[i].run_ids[r], t, sizeof t) != 0)
                continue;
            if (!*first || strcmp(t, first) < 0)
                snprintf(first, sizeof first, "%s", t);
            if (strcmp(t, last) > 0)
                snprintf(last, sizeof last, "%s", t);
        }
    }
    fputs("<dt>Runs</dt><dd>", out);
    escf(out, "%zu in %zu configuration%s", nruns, s->n, s->n == 1 ? "" : "s");
    if (nfailed)
        fprintf(out, ", <span class=\"failed\">%zu failed</span>", nfailed);
    if (*first) {
        fputs(", started ", out);
        esc(out, first);
        if (strcmp(first, last) != 0) {
            fputs(" to ", out);
            esc(out, last);
        }
    }
    fputs("</dd>\n", out);
    for (size_t k = 0; k < NMETA && have_meta; k++) {
        if (!meta[k].n)
            continue;
        fputs("<dt>", out);
        esc(out, meta_keys[k][1]);
        fputs("</dt><dd>", out);
        for (size_t i = 0; i < meta[k].n; i++) {
            fputs(i ? "; " : "", out);
            esc(out, meta[k].v[i]);
        }
        fputs("</dd>\n", out);
    }
    if (!have_meta)
        fputs("<dt>Machine</dt><dd class=\"na\">unknown: meta.json is missing or unreadable</dd>\n", out);
    time_t now = time(NULL);
    struct tm tm;
    char stamp[64];
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S UTC", &tm);
    fputs("<dt>Report</dt><dd>written ", out);
    esc(out, stamp);
    fputs(" by gclab report from runs.csv, pauses.csv, timeseries.csv and meta.json</dd>\n</dl>\n</header>\n", out);

    /* workloads, in order of first appearance */
    char *done = util_xcalloc(s->n, 1);
    size_t *idx = util_xcalloc(s->n, sizeof *idx);
    const char **wnames = util_xcalloc(s->n, sizeof *wnames);
    size_t nw = 0;
    for (size_t a = 0; a < s->n; a++)
        if (!done[a]) {
            wnames[nw++] = s->configs[a].workload;
            for (size_t b = a; b < s->n; b++)
                if (strcmp(s->configs[b].workload, s->configs[a].workload) == 0)
                    done[b] = 1;
        }
    if (nw > 1) {
        fputs("<nav><b>Workloads:</b><ul>\n", out);
        for (size_t w = 0; w < nw; w++) {
            fprintf(out, "<li><a href=\"#w%zu\">", w + 1);
            esc(out, wnames[w]);
            fputs("</a></li>\n", out);
        }
        fputs("</ul></nav>\n", out);
    }
    fputs("<p class=\"note\">Each cell: the median over a configuration's successful repeats, and below it the "
          "95% confidence interval of that median (percentile bootstrap); p99 pause is over every pause of every "
          "repeat merged. The best value of each column is green. Click a column heading to sort.</p>\n",
          out);

    for (size_t w = 0; w < nw; w++) {
        size_t k = 0;
        for (size_t i = 0; i < s->n; i++)
            if (strcmp(s->configs[i].workload, wnames[w]) == 0)
                idx[k++] = i;
        fprintf(out, "<section id=\"w%zu\">\n<h2>Workload ", w + 1);
        esc(out, wnames[w]);
        fputs("</h2>\n", out);
        verdict(out, s, idx, k);
        table(out, s, idx, k);
        size_t failed = 0;
        for (size_t i = 0; i < k; i++)
            failed += s->configs[idx[i]].runs_failed;
        if (failed) {
            fputs("<h3>Failed runs</h3>\n<ul class=\"failures\">\n", out);
            for (size_t i = 0; i < k; i++) {
                const config_summary *c = &s->configs[idx[i]];
                for (size_t f = 0; f < c->runs_failed; f++) {
                    fputs("<li>", out);
                    esc(out, short_label(c));
                    fputs(": ", out);
                    esc(out, c->failures[f]);
                    fputs("</li>\n", out);
                }
            }
            fputs("</ul>\n", out);
        }
        int any = 0;
        for (size_t i = 0; i < pl.n; i++) {
            if (!pl.indexed || strcmp(pl.v[i].workload, wnames[w]) != 0)
                continue;
            used[i] = 1;
            if (!any)
                fputs("<h3>Plots</h3>\n", out);
            any = 1;
            fputs("<figure>\n<figcaption>", out);
            esc(out, pl.v[i].title);
            fputs("</figcaption>\n", out);
            const char *hint = plot_hint(pl.v[i].kind);
            if (hint) {
                fputs("<p>", out);
                esc(out, hint);
                fputs("</p>\n", out);
            }
            if (put_svg(out, dir, &pl.v[i], ++serial) == 0)
                embedded++;
            else {
                fputs("<p class=\"na\">(", out);
                escf(out, "plots/%s.svg is missing or not a plain gnuplot SVG", pl.v[i].name);
                fputs(")</p>\n", out);
            }
            fputs("</figure>\n", out);
        }
        fputs("</section>\n", out);
    }
    int other = 0;
    for (size_t i = 0; i < pl.n; i++) {
        if (used[i])
            continue;
        if (!other)
            fputs("<section id=\"other\">\n<h2>Other plots</h2>\n", out);
        other = 1;
        fputs("<figure>\n<figcaption>", out);
        esc(out, pl.v[i].title);
        fputs("</figcaption>\n", out);
        if (put_svg(out, dir, &pl.v[i], ++serial) == 0)
            embedded++;
        fputs("</figure>\n", out);
    }
    if (other)
        fputs("</section>\n", out);
    if (pl.n == 0)
        fputs("<p class=\"note\">No plots: none in plots/ (gclab plot draws them; it needs gnuplot).</p>\n", out);
    else
        fputs("<p class=\"note\">Each plot is also in plots/ as PNG and SVG, with the gnuplot script that drew it "
              "(NAME.gp) and its data (data/NAME.dat): edit and rerun with cd plots &amp;&amp; gnuplot NAME.gp.</p>\n",
              out);
    fprintf(out, "<script>\n%s</script>\n</body>\n</html>\n", script);

    free(wnames);
    free(idx);
    free(done);
    free(used);
    plots_free(&pl);
    for (size_t k = 0; k < NMETA; k++)
        strset_free(&meta[k]);
    return embedded;
}

int report_write_to(const char *dir, const result_summary *s, const char *path, char *err, size_t errlen)
{
    atomic_group g;
    FILE *f = atomic_open_one(&g, path, err, errlen);
    if (!f)
        return -1;
    int n = write_page(f, dir, s);
    return atomic_commit(&g, ATOMIC_FORWARD, err, errlen) == 0 ? n : -1;
}

int report_write(const char *dir, const result_summary *s, char *err, size_t errlen)
{
    char path[PATHBUF];
    snprintf(path, sizeof path, "%s/report.html", dir);
    return report_write_to(dir, s, path, err, errlen) < 0 ? -1 : 0;
}

int report_has_plots(const char *dir)
{
    plot_list pl = {0};
    read_plots(dir, &pl);
    int n = pl.n > 0;
    plots_free(&pl);
    return n;
}
