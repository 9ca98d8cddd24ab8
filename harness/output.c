/*
 * harness/output.c -- CSV (RFC 4180), meta.json, the terminal summary, and
 * the schema.  Each file's columns are one table below: the header, every
 * row and docs/csv-schema.md all come from it, so they cannot drift.
 */
#define _GNU_SOURCE

#include "output.h"

#include "atomic.h"
#include "calibration.h"
#include "csv.h"
#include "metrics.h"
#include "stats.h"
#include "util.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define NA_I64 METRIC_NA_I64

/* ------------------------------------------------------------------ */
/* runs.csv: one row per run, from a summary computed once. */

#define METRIC_CTYPE_STR const char *
#define METRIC_CTYPE_I64 int64_t
#define METRIC_CTYPE_F64 double

typedef struct run_summary {
#define METRIC(name, type, unit, dir, headline, label, doc) METRIC_CTYPE_##type name;
#include "metrics.def"
#undef METRIC
    char cparams_buf[2048], config_buf[512]; /* what collector_params and config point to */
} run_summary;

/* Where each metric's value is in a run_summary, in metric_table's order. */
static const size_t run_offset[MET_COUNT] = {
#define METRIC(name, type, unit, dir, headline, label, doc) offsetof(run_summary, name),
#include "metrics.def"
#undef METRIC
};

typedef enum col_type { COL_STR, COL_I64, COL_F64 } col_type;

/* The other files' columns. */
typedef struct column {
    const char *name;
    col_type type;
    const char *doc;
} column;

/* pauses.csv and timeseries.csv: fixed columns, documented here. */
static const column pause_columns[] = {
    {"run_id", COL_STR, "The run (runs.csv)."},
    {"seq", COL_I64, "0, 1, 2... in the order the collections ran."},
    {"start_ns", COL_I64, "When the collection started, from the start of the measured region."},
    {"duration_ns", COL_I64, "How long it took: the pause."},
    {"generation", COL_I64, "The generation collected (0 = youngest)."},
    {"examined", COL_I64, "Objects the collection looked at."},
    {"collected", COL_I64, "Objects it collected."},
    {"uncollectable", COL_I64, "Unreachable objects it could not collect."},
    {"reason", COL_STR, "threshold, manual, time, event or exit."},
    {"est_cpython_pause_ns", COL_I64, "An estimate, not a measurement: the pause CPython's collector would "
                                      "take for this collection, round(a + b × examined + c × collected) and at "
                                      "least 0, with the pause model given by `--calibration` (docs/report.md). "
                                      "Empty without `--calibration`."},
};
static const column worker_columns[] = {
    {"run_id", COL_STR, "The run (runs.csv)."},
    {"worker", COL_I64, "The worker: 0, 1, 2..."},
    {"t_ns", COL_I64, "When, from the start of the measured region: when it started, every "
                         "--sample-ms while it runs, and at its end."},
    {"rss_bytes", COL_I64, "Its resident set (smaps_rollup Rss)."},
    {"pss_bytes", COL_I64, "Its proportional share (Pss): shared pages count 1/n."},
    {"shared_bytes", COL_I64, "Shared_Clean + Shared_Dirty: pages still shared."},
    {"private_dirty_bytes", COL_I64, "Private_Dirty: pages it wrote, copied on write."},
};
static const column sample_columns[] = {
    {"run_id", COL_STR, "The run (runs.csv)."},
    {"t_ns", COL_I64, "When, from the start of the measured region. Samples are taken at the "
                         "start, every --sample-ms, and at the end."},
    {"rss_bytes", COL_I64, "Resident set size (/proc/self/statm). NA if unreadable."},
    {"live_objects", COL_I64, "Objects alive in the heap (runtime accounting)."},
    {"live_bytes", COL_I64, "Bytes of those objects, with the buffers containers own: gclab's own "
                            "sizes, or sys.getsizeof's under a cpython-3.x profile."},
    {"allocator_allocated_bytes", COL_I64, "jemalloc stats.allocated. Only in jemalloc builds."},
    {"allocator_active_bytes", COL_I64, "jemalloc stats.active. Only in jemalloc builds."},
    {"allocator_resident_bytes", COL_I64, "jemalloc stats.resident. Only in jemalloc builds."},
};
#define NSAMPLECOLS(alloc) ((alloc) ? 8u : 5u)

/* ------------------------------------------------------------------ */
/* RFC 4180 fields */

static void csv_i64(FILE *f, int64_t v)
{
    if (v == NA_I64)
        fputs("NA", f);
    else if (v == METRIC_EMPTY_I64)
        return; /* not asked for: empty */
    else
        fprintf(f, "%lld", (long long)v);
}

static void csv_f64(FILE *f, double v)
{
    if (isnan(v))
        fputs("NA", f);
    else
        fprintf(f, "%.9g", v);
}

static void csv_header(FILE *f, const column *cols, size_t n, const char *const *extra, size_t nextra)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%s", i ? "," : "", cols[i].name);
    for (size_t i = 0; i < nextra; i++)
        fprintf(f, ",%s", extra[i]);
    fputs("\r\n", f);
}

void output_format_value(const gclab_param *p, gclab_value v, char *buf, size_t len)
{
    switch (p->type) {
    case GCLAB_PARAM_INT:
        snprintf(buf, len, "%lld", v.i);
        break;
    case GCLAB_PARAM_DOUBLE:
        snprintf(buf, len, "%.9g", v.d);
        break;
    case GCLAB_PARAM_BOOL:
        snprintf(buf, len, "%s", v.i ? "true" : "false");
        break;
    case GCLAB_PARAM_STRING:
        snprintf(buf, len, "%s", v.s);
        break;
    case GCLAB_PARAM_CHOICE: {
        const char *c = p->choices;
        for (long long i = 0; i < v.i && strchr(c, '|'); i++)
            c = strchr(c, '|') + 1;
        size_t n = strcspn(c, "|");
        snprintf(buf, len, "%.*s", (int)n, c);
        break;
    }
    }
}

/* ------------------------------------------------------------------ */
/* The summary of a run */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

void output_collector_params(const run_config *cfg, char *buf, size_t len)
{
    const gclab_collector_info *ci = cfg->collector;
    gclab_value v[RUN_MAX_PARAMS];
    char err[256];
    buf[0] = '\0';
    if (ci->nparams > RUN_MAX_PARAMS ||
        gclab_params_parse(ci->params, ci->nparams, ci->name, cfg->csettings, cfg->ncsettings, v, err,
                           sizeof err) != 0)
        return;
    size_t used = 0;
    for (size_t i = 0; i < ci->nparams && used < len; i++) {
        char val[1024];
        output_format_value(&ci->params[i], v[i], val, sizeof val);
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", i ? " " : "", ci->params[i].name, val);
    }
}

static double per_second(uint64_t n, uint64_t ns) { return ns ? (double)n * 1e9 / (double)ns : NAN; }

/* The estimated CPython pauses (--calibration): as the measured pauses
 * are summarised, from every collection's estimate.  Empty without a pause
 * model, NA without recording (total) or without pauses (the others). */
static void summarize_estimates(const run_config *cfg, const run_result *r, run_summary *s)
{
    int64_t *est[4] = {&s->est_cpython_pause_total_ns, &s->est_cpython_pause_p50_ns, &s->est_cpython_pause_p99_ns,
                       &s->est_cpython_pause_max_ns};
    for (int i = 0; i < 4; i++)
        *est[i] = cfg->calib ? NA_I64 : METRIC_EMPTY_I64;
    if (!cfg->calib || !cfg->record)
        return;
    uint64_t *e = malloc((r->npauses + 1) * sizeof *e), total = 0;
    if (!e)
        abort();
    for (size_t i = 0; i < r->npauses; i++) {
        e[i] = (uint64_t)calib_estimate(cfg->calib->row, r->pauses[i].examined, r->pauses[i].collected);
        total = total > UINT64_MAX - e[i] ? UINT64_MAX : total + e[i];
    }
    s->est_cpython_pause_total_ns = total > INT64_MAX ? INT64_MAX : (int64_t)total;
    if (r->npauses) {
        qsort(e, r->npauses, sizeof *e, cmp_u64);
        s->est_cpython_pause_p50_ns = (int64_t)stats_percentile(e, r->npauses, 50);
        s->est_cpython_pause_p99_ns = (int64_t)stats_percentile(e, r->npauses, 99);
        s->est_cpython_pause_max_ns = (int64_t)e[r->npauses - 1];
    }
    free(e);
}

static void summarize(const run_config *cfg, const run_result *r, run_summary *s)
{
    memset(s, 0, sizeof *s);
    s->run_id = r->run_id;
    s->collector = cfg->collector->name;
    s->workload = cfg->workload->name;
    s->allocator = run_has_allocator_stats() ? "jemalloc" : "libc";
    s->seed = (int64_t)cfg->seed;
    if (cfg->config) {
        s->config = cfg->config;
    } else {
        snprintf(s->config_buf, sizeof s->config_buf, "%s/%s", cfg->workload->name, cfg->collector->name);
        s->config = s->config_buf;
    }
    s->repeat = cfg->repeat;
    s->status = "ok";
    s->failure = "";
    output_collector_params(cfg, s->cparams_buf, sizeof s->cparams_buf);
    s->collector_params = s->cparams_buf;
    int64_t *thr[3] = {&s->threshold0, &s->threshold1, &s->threshold2};
    int64_t *gen[3] = {&s->collections_gen0, &s->collections_gen1, &s->collections_gen2};
    for (int i = 0; i < 3; i++) {
        *thr[i] = i < r->nthresholds ? r->thresholds[i] : NA_I64;
        *gen[i] = i < r->ngenerations ? r->gen[i].collections : NA_I64;
        if (i < r->ngenerations) {
            s->collections += r->gen[i].collections;
            s->collected += r->gen[i].collected;
            s->uncollectable += r->gen[i].uncollectable;
        }
    }
    s->wall_ns = (int64_t)r->wall_ns;
    s->cpu_ns = (int64_t)r->cpu_ns;

    s->gc_time_ns = s->pause_p50_ns = s->pause_p90_ns = s->pause_p99_ns = s->pause_p999_ns =
        s->pause_max_ns = NA_I64;
    s->gc_share = s->mmu_1ms = s->mmu_10ms = s->mmu_100ms = s->mmu_1s = NAN;
    if (cfg->record) {
        uint64_t total = 0;
        uint64_t *d = malloc((r->npauses + 1) * sizeof *d);
        pause_span *spans = malloc((r->npauses + 1) * sizeof *spans);
        if (!d || !spans)
            abort();
        for (size_t i = 0; i < r->npauses; i++) {
            d[i] = r->pauses[i].duration_ns;
            spans[i] = (pause_span){r->pauses[i].start_ns, r->pauses[i].duration_ns};
            total += d[i];
        }
        s->gc_time_ns = (int64_t)total;
        s->gc_share = r->wall_ns ? (double)total / (double)r->wall_ns : NAN;
        if (r->npauses) {
            qsort(d, r->npauses, sizeof *d, cmp_u64);
            s->pause_p50_ns = (int64_t)stats_percentile(d, r->npauses, 50);
            s->pause_p90_ns = (int64_t)stats_percentile(d, r->npauses, 90);
            s->pause_p99_ns = (int64_t)stats_percentile(d, r->npauses, 99);
            s->pause_p999_ns = (int64_t)stats_percentile(d, r->npauses, 99.9);
            s->pause_max_ns = (int64_t)d[r->npauses - 1];
        }
        double *mmu[4] = {&s->mmu_1ms, &s->mmu_10ms, &s->mmu_100ms, &s->mmu_1s};
        uint64_t w = 1000000;
        for (int i = 0; i < 4; i++, w *= 10) {
            double m = stats_mmu(spans, r->npauses, r->wall_ns, w);
            *mmu[i] = m < 0 ? NAN : m;
        }
        free(d);
        free(spans);
    }
    s->peak_rss_bytes = r->peak_rss_bytes;
    s->peak_garbage_objects = r->peak_garbage_objects < 0 ? NA_I64 : r->peak_garbage_objects;
    s->leaked_objects = (int64_t)r->leaks.leaked.objects;
    s->leaked_bytes = (int64_t)r->leaks.leaked.bytes;
    s->ops = (int64_t)r->ops;
    s->allocations = (int64_t)r->allocations;
    s->ops_per_s = per_second(r->ops, r->wall_ns);
    s->allocs_per_s = per_second(r->allocations, r->wall_ns);
    int64_t *pc[PC_N] = {&s->task_clock_ns, &s->page_faults, &s->context_switches,
                         &s->cycles,        &s->instructions, &s->cache_misses};
    for (int i = 0; i < PC_N; i++)
        *pc[i] = r->counters[i] < 0 ? NA_I64 : r->counters[i];
    s->workers = r->nworkers ? r->nworkers : NA_I64;
    s->shared_end_bytes = r->shared_end_bytes < 0 ? NA_I64 : r->shared_end_bytes;
    s->private_dirty_end_bytes = r->private_dirty_end_bytes < 0 ? NA_I64 : r->private_dirty_end_bytes;
    s->pss_total_bytes = r->pss_total_bytes < 0 ? NA_I64 : r->pss_total_bytes;
    s->requests = s->request_p50_ns = s->request_p99_ns = s->request_max_ns = NA_I64;
    if (r->nlatency) {
        uint64_t *l = malloc(r->nlatency * sizeof *l);
        if (!l)
            abort();
        memcpy(l, r->latency_ns, r->nlatency * sizeof *l);
        qsort(l, r->nlatency, sizeof *l, cmp_u64);
        s->requests = (int64_t)r->nlatency;
        s->request_p50_ns = (int64_t)stats_percentile(l, r->nlatency, 50);
        s->request_p99_ns = (int64_t)stats_percentile(l, r->nlatency, 99);
        s->request_max_ns = (int64_t)l[r->nlatency - 1];
        free(l);
    }
    const mem_sample *last = r->nsamples ? &r->samples[r->nsamples - 1] : NULL;
    int64_t *al[3] = {&s->allocator_allocated_bytes, &s->allocator_active_bytes,
                      &s->allocator_resident_bytes};
    for (int i = 0; i < 3; i++)
        *al[i] = last && last->allocator[i] >= 0 ? last->allocator[i] : NA_I64;
    summarize_estimates(cfg, r, s);
#ifdef GCLAB_TEST_METRIC
    s->test_half_wall_ns = s->wall_ns / 2;
#endif
}

/* ------------------------------------------------------------------ */
/* Writing the files: all under temporary names, renamed together. */

typedef struct out_file {
    const char *name;
    char path[PATH_MAX];
    FILE *f; /* its temporary, in the group */
} out_file;

/* Open o's temporary in g.  A CSV (header given) starts with the old file's
 * content when its header matches, else with the header.  Returns 0, or -1
 * with err. */
static int open_out(atomic_group *g, const char *dir, out_file *o, const char *header, char *err, size_t errlen)
{
    snprintf(o->path, sizeof o->path, "%s/%s", dir, o->name);
    o->f = atomic_open(g, o->path, err, errlen);
    if (!o->f)
        return -1;
    if (!header)
        return 0; /* the caller merges the old content itself */
    char why[256];
    FILE *old = util_open_file(o->path, UTIL_MAX_RESULT_BYTES, why, sizeof why);
    if (!old && errno == ENOENT)
        return fputs(header, o->f) < 0 ? -1 : 0;
    if (!old) { /* a folder, a FIFO, too large, unreadable: not to be replaced with a new file */
        snprintf(err, errlen, "cannot read %s: %s; choose another folder with -o", o->path, why);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, old);
    int same = n > 0 && strcmp(line, header) == 0;
    if (same)
        fputs(line, o->f);
    free(line);
    if (!same) {
        fclose(old);
        snprintf(err, errlen, "%s has other columns (another workload or gclab version?); "
                 "choose another folder with -o", o->path);
        return -1;
    }
    char buf[65536];
    size_t got, total = (size_t)n;
    while ((got = fread(buf, 1, sizeof buf, old)) > 0 && (total += got) <= UTIL_MAX_RESULT_BYTES)
        fwrite(buf, 1, got, o->f);
    int bad = ferror(old) || total > UTIL_MAX_RESULT_BYTES;
    fclose(old);
    if (bad) {
        snprintf(err, errlen, "cannot read %s: %s", o->path,
                 total > UTIL_MAX_RESULT_BYTES ? "it grew past its limit while read" : strerror(errno));
        return -1;
    }
    return 0;
}

static char *header_of(const column *cols, size_t n, const char *const *extra, size_t nextra)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    csv_header(f, cols, n, extra, nextra);
    fclose(f);
    return buf;
}

/* runs.csv's header: every metric, then the workload's param_* columns. */
static char *run_header(const char *const *extra, size_t nextra)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        abort();
    for (size_t i = 0; i < MET_COUNT; i++)
        fprintf(f, "%s%s", i ? "," : "", metric_table[i].name);
    for (size_t i = 0; i < nextra; i++)
        fprintf(f, ",%s", extra[i]);
    fputs("\r\n", f);
    fclose(f);
    return buf;
}

static void write_run_row(FILE *f, const run_summary *s, const run_config *cfg)
{
    for (size_t i = 0; i < MET_COUNT; i++) {
        const char *field = (const char *)s + run_offset[i];
        if (i)
            fputc(',', f);
        switch (metric_table[i].type) {
        case MT_STR:
            csv_put(f, *(const char *const *)(const void *)field);
            break;
        case MT_I64:
            csv_i64(f, *(const int64_t *)(const void *)field);
            break;
        case MT_F64:
            csv_f64(f, *(const double *)(const void *)field);
            break;
        }
    }
    for (size_t i = 0; i < cfg->workload->nparams; i++) {
        char v[4096];
        output_format_value(&cfg->workload->params[i], cfg->wparams[i], v, sizeof v);
        fputc(',', f);
        csv_put(f, v);
    }
    fputs("\r\n", f);
}

static void write_pause_rows(FILE *f, const run_config *cfg, const run_result *r)
{
    for (size_t i = 0; i < r->npauses; i++) {
        const pause_event *e = &r->pauses[i];
        csv_put(f, r->run_id);
        fprintf(f, ",%zu,%llu,%llu,%d,%ld,%ld,%ld,%s,", i, (unsigned long long)e->start_ns,
                (unsigned long long)e->duration_ns, e->generation, e->examined, e->collected,
                e->uncollectable, gclab_reason_name(e->reason));
        csv_i64(f, cfg->calib ? calib_estimate(cfg->calib->row, e->examined, e->collected) : METRIC_EMPTY_I64);
        fputs("\r\n", f);
    }
}

static void write_sample_rows(FILE *f, const run_result *r)
{
    int alloc = run_has_allocator_stats();
    for (size_t i = 0; i < r->nsamples; i++) {
        const mem_sample *m = &r->samples[i];
        csv_put(f, r->run_id);
        fprintf(f, ",%llu,", (unsigned long long)m->t_ns);
        csv_i64(f, m->rss_bytes < 0 ? NA_I64 : m->rss_bytes);
        fprintf(f, ",%llu,%llu", (unsigned long long)m->live_objects, (unsigned long long)m->live_bytes);
        for (int k = 0; alloc && k < 3; k++) {
            fputc(',', f);
            csv_i64(f, m->allocator[k] < 0 ? NA_I64 : m->allocator[k]);
        }
        fputs("\r\n", f);
    }
}

static void write_worker_rows(FILE *f, const run_result *r)
{
    for (size_t i = 0; i < r->nworkers_samples; i++) {
        const worker_sample *w = &r->workers[i];
        csv_put(f, r->run_id);
        fprintf(f, ",%d,%llu", w->worker, (unsigned long long)w->t_ns);
        int64_t v[4] = {w->rss_bytes, w->pss_bytes, w->shared_bytes, w->private_dirty_bytes};
        for (int k = 0; k < 4; k++) {
            fputc(',', f);
            csv_i64(f, v[k] < 0 ? NA_I64 : v[k]);
        }
        fputs("\r\n", f);
    }
}

static char *cpu_model(void)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[512], *model = NULL;
    while (f && !model && fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            char *v = strchr(line, ':') + 1;
            v += strspn(v, " \t");
            v[strcspn(v, "\n")] = '\0';
            model = strdup(v);
        }
    }
    if (f)
        fclose(f);
    return model ? model : strdup("unknown");
}

static cJSON *param_object(const gclab_param *params, size_t n, const gclab_value *values)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++) {
        char v[4096];
        output_format_value(&params[i], values[i], v, sizeof v);
        if (params[i].type == GCLAB_PARAM_INT)
            cJSON_AddNumberToObject(o, params[i].name, (double)values[i].i);
        else if (params[i].type == GCLAB_PARAM_DOUBLE)
            cJSON_AddNumberToObject(o, params[i].name, values[i].d);
        else if (params[i].type == GCLAB_PARAM_BOOL)
            cJSON_AddBoolToObject(o, params[i].name, (int)values[i].i);
        else
            cJSON_AddStringToObject(o, params[i].name, v);
    }
    return o;
}

/* meta.json's "calibration": the pause model's file and the row used. */
static cJSON *calibration_object(const calib_choice *ch)
{
    const calib_row *r = ch->row;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", ch->file->path);
    cJSON_AddNumberToObject(o, "line", (double)r->line);
    cJSON_AddStringToObject(o, "python", r->python);
    cJSON_AddStringToObject(o, "version", r->version);
    cJSON_AddStringToObject(o, "profile", r->profile);
    cJSON_AddNumberToObject(o, "pauses", (double)r->pauses);
    cJSON_AddNumberToObject(o, "a_ns", r->a_ns);
    cJSON_AddNumberToObject(o, "b_ns", r->b_ns);
    cJSON_AddNumberToObject(o, "c_ns", r->c_ns);
    if (isnan(r->r2))
        cJSON_AddNullToObject(o, "r2");
    else
        cJSON_AddNumberToObject(o, "r2", r->r2);
    if (*ch->profile)
        cJSON_AddStringToObject(o, "run_profile", ch->profile);
    else
        cJSON_AddNullToObject(o, "run_profile");
    cJSON_AddBoolToObject(o, "profile_matched", !ch->fallback);
    if (ch->fallback) {
        char note[512];
        snprintf(note, sizeof note,
                 "no cpython row for %s%s; the file's only cpython row (profile %s) was used",
                 *ch->profile ? "profile " : "a collector without a profile", ch->profile,
                 *r->profile ? r->profile : "empty");
        cJSON_AddStringToObject(o, "note", note);
    }
    return o;
}

static cJSON *meta_of(const run_config *cfg, const run_result *r, const run_summary *sum, int argc,
                      char **argv)
{
    cJSON *m = cJSON_CreateObject();
    cJSON_AddStringToObject(m, "run_id", r->run_id);
    cJSON_AddStringToObject(m, "config", sum->config);
    cJSON_AddNumberToObject(m, "repeat", (double)sum->repeat);
    cJSON_AddStringToObject(m, "status", sum->status);
    if (*sum->failure)
        cJSON_AddStringToObject(m, "failure", sum->failure);
    cJSON_AddStringToObject(m, "collector", cfg->collector->name);
    cJSON_AddStringToObject(m, "workload", cfg->workload->name);
    cJSON_AddStringToObject(m, "operation", cfg->workload->op);
    cJSON_AddItemToObject(m, "workload_params",
                          param_object(cfg->workload->params, cfg->workload->nparams, cfg->wparams));
    gclab_value cvals[RUN_MAX_PARAMS];
    char err[256];
    if (cfg->collector->nparams <= RUN_MAX_PARAMS &&
        gclab_params_parse(cfg->collector->params, cfg->collector->nparams, cfg->collector->name,
                           cfg->csettings, cfg->ncsettings, cvals, err, sizeof err) == 0)
        cJSON_AddItemToObject(m, "collector_params",
                              param_object(cfg->collector->params, cfg->collector->nparams, cvals));
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)cfg->seed);
    cJSON_AddStringToObject(m, "seed", seed); /* a string: JSON numbers lose 64-bit precision */
    cJSON *thr = cJSON_AddArrayToObject(m, "thresholds");
    for (int i = 0; i < r->nthresholds; i++)
        cJSON_AddItemToArray(thr, cJSON_CreateNumber((double)r->thresholds[i]));
    cJSON_AddBoolToObject(m, "recorded", cfg->record);
    cJSON_AddNumberToObject(m, "sample_ms", cfg->sample_ms);
    cJSON_AddStringToObject(m, "allocator", run_has_allocator_stats() ? "jemalloc" : "libc");
    cJSON_AddStringToObject(m, "gclab_version", GCLAB_VERSION);
    cJSON_AddStringToObject(m, "git_commit", GCLAB_GIT_COMMIT);
#ifdef __clang__
    cJSON_AddStringToObject(m, "compiler", "clang " __clang_version__);
#elif defined(__GNUC__)
    cJSON_AddStringToObject(m, "compiler", "gcc " __VERSION__);
#endif
    char *cpu = cpu_model();
    cJSON_AddStringToObject(m, "cpu_model", cpu);
    free(cpu);
    cJSON_AddNumberToObject(m, "cpus", (double)sysconf(_SC_NPROCESSORS_ONLN));
    struct utsname u;
    if (uname(&u) == 0) {
        char kernel[sizeof u.sysname + sizeof u.release + sizeof u.version + 3];
        snprintf(kernel, sizeof kernel, "%s %s %s", u.sysname, u.release, u.version);
        cJSON_AddStringToObject(m, "kernel", kernel);
        cJSON_AddStringToObject(m, "machine", u.machine);
        cJSON_AddStringToObject(m, "hostname", u.nodename);
    }
    if (cfg->calib)
        cJSON_AddItemToObject(m, "calibration", calibration_object(cfg->calib));
    cJSON *cmd = cJSON_AddArrayToObject(m, "command");
    for (int i = 0; i < argc; i++)
        cJSON_AddItemToArray(cmd, cJSON_CreateString(argv[i]));
    return m;
}

/* meta.json is {"runs": [...]}: read what is there, add this run. */
static int write_meta(out_file *o, cJSON *run, char *err, size_t errlen)
{
    cJSON *doc = NULL;
    char why[256];
    char *text = util_read_file(o->path, UTIL_MAX_RESULT_BYTES, NULL, why, sizeof why);
    if (!text && errno != ENOENT) {
        cJSON_Delete(run);
        snprintf(err, errlen, "cannot read %s: %s; choose another folder with -o", o->path, why);
        return -1;
    }
    if (text) {
        doc = cJSON_Parse(text);
        free(text);
        if (!doc || !cJSON_IsArray(cJSON_GetObjectItem(doc, "runs"))) {
            cJSON_Delete(doc);
            cJSON_Delete(run);
            snprintf(err, errlen, "%s is not gclab's meta.json; choose another folder with -o", o->path);
            return -1;
        }
    } else {
        doc = cJSON_CreateObject();
        cJSON_AddArrayToObject(doc, "runs");
    }
    cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "runs"), run);
    text = cJSON_Print(doc);
    cJSON_Delete(doc);
    if (!text) {
        snprintf(err, errlen, "out of memory writing %s", o->path);
        return -1;
    }
    fputs(text, o->f);
    fputc('\n', o->f);
    free(text);
    return 0;
}

static int write_files(const char *dir, const run_config *cfg, const run_result *res,
                       const run_summary *sum, int argc, char **argv, char *err, size_t errlen);

int output_write(const char *dir, const run_config *cfg, const run_result *res, int argc,
                 char **argv, char *err, size_t errlen)
{
    run_summary s;
    summarize(cfg, res, &s);
    return write_files(dir, cfg, res, &s, argc, argv, err, errlen);
}

int output_write_failed(const char *dir, const run_config *cfg, const run_failure *f, int argc,
                        char **argv, char *err, size_t errlen)
{
    run_result res;
    memset(&res, 0, sizeof res);
    run_make_id(res.run_id, sizeof res.run_id);
    res.nthresholds = cfg->nthresholds ? cfg->nthresholds : cfg->collector->nthresholds;
    for (int i = 0; i < res.nthresholds; i++)
        res.thresholds[i] = cfg->nthresholds ? cfg->thresholds[i] : cfg->collector->default_thresholds[i];
    res.peak_garbage_objects = -1;
    res.shared_end_bytes = res.private_dirty_end_bytes = res.pss_total_bytes = -1;
    run_config c = *cfg;
    c.record = 0;
    run_summary s;
    summarize(&c, &res, &s);
    /* Everything measured is NA, but what the parent saw. */
    static const char *const kept[] = {"run_id",     "collector", "workload", "seed",    "threshold0",
                                       "threshold1", "threshold2", "allocator", "config", "repeat",
                                       "status",     "failure",   "collector_params"};
    for (size_t i = 0; i < MET_COUNT; i++) {
        int keep = 0;
        for (size_t k = 0; k < sizeof kept / sizeof kept[0]; k++)
            keep |= strcmp(metric_table[i].name, kept[k]) == 0;
        void *field = (char *)&s + run_offset[i];
        if (keep || metric_table[i].type == MT_STR)
            continue;
        if (metric_table[i].type == MT_I64)
            *(int64_t *)field = NA_I64;
        else
            *(double *)field = NAN;
    }
    if (!cfg->calib) /* not asked for, rather than not measured */
        s.est_cpython_pause_total_ns = s.est_cpython_pause_p50_ns = s.est_cpython_pause_p99_ns =
            s.est_cpython_pause_max_ns = METRIC_EMPTY_I64;
    s.status = "failed";
    s.failure = f->reason;
    s.wall_ns = f->wall_ns;
    s.cpu_ns = f->cpu_ns >= 0 ? f->cpu_ns : NA_I64;
    s.peak_rss_bytes = f->peak_rss_bytes >= 0 ? f->peak_rss_bytes : NA_I64;
    return write_files(dir, cfg, &res, &s, argc, argv, err, errlen);
}

static int write_files(const char *dir, const run_config *cfg, const run_result *res,
                       const run_summary *sum, int argc, char **argv, char *err, size_t errlen)
{
    enum { RUNS, PAUSES, SAMPLES, WORKERS, META, NFILES };
    out_file files[NFILES] = {{.name = "runs.csv"}, {.name = "pauses.csv"}, {.name = "timeseries.csv"},
                              {.name = "workers.csv"}, {.name = "meta.json"}};
    const char *pnames[RUN_MAX_PARAMS];
    char pbuf[RUN_MAX_PARAMS][80];
    for (size_t i = 0; i < cfg->workload->nparams; i++) {
        snprintf(pbuf[i], sizeof pbuf[i], "param_%s", cfg->workload->params[i].name);
        pnames[i] = pbuf[i];
    }
    char *headers[META] = {
        run_header(pnames, cfg->workload->nparams),
        header_of(pause_columns, sizeof pause_columns / sizeof pause_columns[0], NULL, 0),
        header_of(sample_columns, NSAMPLECOLS(run_has_allocator_stats()), NULL, 0),
        header_of(worker_columns, sizeof worker_columns / sizeof worker_columns[0], NULL, 0),
    };
    atomic_group g;
    atomic_init(&g);
    int rc = 0;
    for (int i = 0; i < NFILES && rc == 0; i++)
        rc = open_out(&g, dir, &files[i], i < META ? headers[i] : NULL, err, errlen);
    if (rc == 0) {
        write_run_row(files[RUNS].f, sum, cfg);
        write_pause_rows(files[PAUSES].f, cfg, res);
        write_sample_rows(files[SAMPLES].f, res);
        write_worker_rows(files[WORKERS].f, res);
        rc = write_meta(&files[META], meta_of(cfg, res, sum, argc, argv), err, errlen);
    }
    /* runs.csv (opened first) renamed last: when it is there, so is
     * everything else (a suite takes it as the mark of a finished run). */
    if (rc == 0)
        rc = atomic_commit(&g, ATOMIC_REVERSE, err, errlen);
    else
        atomic_abort(&g);
    for (int i = 0; i < META; i++)
        free(headers[i]);
    return rc;
}

int output_prepare_dir(const char *dir, int *created, char *err, size_t errlen)
{
    *created = 0;
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "output folder name too long: %s", dir);
        return -1;
    }
    for (char *p = path + 1;; p++) { /* mkdir -p */
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0777) == 0) {
                if (c == '\0')
                    *created = 1;
            } else if (errno != EEXIST) {
                util_mkdir_error(err, errlen, dir, path, errno);
                return -1;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "output path %s is not a folder", dir);
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(err, errlen, "cannot write to output folder %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The terminal */

static void human_ns(char *buf, size_t len, double ns) { metric_format(buf, len, MU_NS, ns); }

static void human_count(char *buf, size_t len, double v) { metric_format(buf, len, MU_COUNT, v); }

static double na(int64_t v) { return v == NA_I64 ? NAN : (double)v; }

void output_print_summary(FILE *out, const run_config *cfg, const run_result *res)
{
    run_summary s;
    summarize(cfg, res, &s);
    char a[32], b[32], c[32], d[32], e[32];

    fprintf(out, "%s", cfg->collector->name);
    /* The version profile decides what the counts mean: say which one ran. */
    const gclab_collector_info *ci = cfg->collector;
    int ip = gclab_param_find(ci->params, ci->nparams, "profile", 7);
    gclab_value cv[RUN_MAX_PARAMS];
    char perr[256];
    if (ip >= 0 && ci->nparams <= RUN_MAX_PARAMS &&
        gclab_params_parse(ci->params, ci->nparams, ci->name, cfg->csettings, cfg->ncsettings, cv, perr,
                           sizeof perr) == 0) {
        output_format_value(&ci->params[ip], cv[ip], a, sizeof a);
        fprintf(out, " (profile=%s)", a);
    }
    fprintf(out, " on %s (", cfg->workload->name);
    for (size_t i = 0; i < cfg->workload->nparams; i++) {
        output_format_value(&cfg->workload->params[i], cfg->wparams[i], a, sizeof a);
        fprintf(out, "%s%s=%s", i ? ", " : "", cfg->workload->params[i].name, a);
    }
    fprintf(out, "), seed %llu", (unsigned long long)cfg->seed);
    if (res->nthresholds) {
        fprintf(out, ", thresholds ");
        for (int i = 0; i < res->nthresholds; i++)
            fprintf(out, "%s%ld", i ? "," : "", res->thresholds[i]);
    }
    fprintf(out, "\n");

    human_ns(a, sizeof a, (double)s.wall_ns);
    human_ns(b, sizeof b, (double)s.cpu_ns);
    fprintf(out, "  Time:         %s wall, %s CPU\n", a, b);
    human_count(a, sizeof a, s.ops_per_s);
    human_count(b, sizeof b, s.allocs_per_s);
    human_count(c, sizeof c, (double)s.ops);
    fprintf(out, "  Throughput:   %s %ss/s, %s allocations/s (%s %ss)\n", a, cfg->workload->op, b, c,
            cfg->workload->op);
    fprintf(out, "  Collections:  %lld (", (long long)s.collections);
    for (int i = 0; i < res->ngenerations; i++)
        fprintf(out, "%sgen%d %ld", i ? ", " : "", i, res->gen[i].collections);
    fprintf(out, "); %lld collected, %lld uncollectable\n", (long long)s.collected,
            (long long)s.uncollectable);
    if (cfg->record) {
        human_ns(a, sizeof a, na(s.gc_time_ns));
        human_ns(b, sizeof b, na(s.pause_p50_ns));
        human_ns(c, sizeof c, na(s.pause_p99_ns));
        human_ns(d, sizeof d, na(s.pause_p999_ns));
        human_ns(e, sizeof e, na(s.pause_max_ns));
        char sh[32];
        metric_format(sh, sizeof sh, MU_SHARE, isnan(s.gc_share) ? 0.0 : s.gc_share);
        fprintf(out, "  Pauses:       %s total (%s of wall); p50 %s, p99 %s, p99.9 %s, max %s\n", a, sh, b, c, d,
                e);
        double mmu[4] = {s.mmu_1ms, s.mmu_10ms, s.mmu_100ms, s.mmu_1s};
        const char *w[4] = {"1 ms", "10 ms", "100 ms", "1 s"};
        fprintf(out, "  MMU:         ");
        for (int i = 0; i < 4; i++)
        {
            metric_format(a, sizeof a, MU_FRACTION, mmu[i]);
            fprintf(out, " %s %s", w[i], a);
        }
        fprintf(out, "\n");
    } else {
        fprintf(out, "  Pauses:       not recorded (--no-record)\n");
    }
    metric_format(a, sizeof a, MU_BYTES, na(s.peak_rss_bytes));
    human_count(b, sizeof b, na(s.peak_garbage_objects));
    human_count(c, sizeof c, (double)s.leaked_objects);
    fprintf(out, "  Memory:       peak RSS %s; peak garbage %s objects; leaked %s objects\n", a, b, c);
    if (s.workers != NA_I64)
    {
        metric_format(a, sizeof a, MU_BYTES, na(s.shared_end_bytes));
        metric_format(b, sizeof b, MU_BYTES, na(s.private_dirty_end_bytes));
        metric_format(c, sizeof c, MU_BYTES, na(s.pss_total_bytes));
        fprintf(out, "  Workers:      %lld; at their end %s still shared, %s copied; Pss total %s\n",
                (long long)s.workers, a, b, c);
    }
    if (s.requests != NA_I64) {
        human_ns(a, sizeof a, (double)s.request_p50_ns);
        human_ns(b, sizeof b, (double)s.request_p99_ns);
        human_ns(c, sizeof c, (double)s.request_max_ns);
        fprintf(out, "  Requests:     %lld; latency p50 %s, p99 %s, max %s\n", (long long)s.requests, a, b, c);
    }
    human_ns(a, sizeof a, na(s.task_clock_ns));
    fprintf(out, "  Counters:     task-clock %s, page-faults %s, context-switches %s", a,
            s.page_faults == NA_I64 ? "NA" : (snprintf(b, sizeof b, "%lld", (long long)s.page_faults), b),
            s.context_switches == NA_I64 ? "NA"
                                         : (snprintf(c, sizeof c, "%lld", (long long)s.context_switches), c));
    fprintf(out, ", cycles %s\n",
            s.cycles == NA_I64 ? "NA (not supported here)" : (human_count(d, sizeof d, (double)s.cycles), d));
    if (cfg->calib && cfg->record) {
        const calib_row *r = cfg->calib->row;
        human_ns(a, sizeof a, na(s.est_cpython_pause_total_ns));
        human_ns(b, sizeof b, na(s.est_cpython_pause_p50_ns));
        human_ns(c, sizeof c, na(s.est_cpython_pause_p99_ns));
        human_ns(d, sizeof d, na(s.est_cpython_pause_max_ns));
        fprintf(out, "  Est. CPython: %s total; p50 %s, p99 %s, max %s (estimate: CPython %s's pause model, ", a, b,
                c, d, r->version);
        if (isnan(r->r2))
            fprintf(out, "R² undefined)\n");
        else
            fprintf(out, "R² %.3f)\n", r->r2);
        if (cfg->calib->fallback)
            fprintf(out, "                (no cpython row for %s%s: the file's only one, %s, used)\n",
                    *cfg->calib->profile ? "profile " : "this collector", cfg->calib->profile,
                    *r->profile ? r->profile : "no profile");
    }
}

/* ------------------------------------------------------------------ */

static const char *const unit_doc[] = {
    [MU_TEXT] = "text", [MU_ID] = "id", [MU_COUNT] = "count", [MU_NS] = "ns", [MU_DURATION] = "ns",
    [MU_BYTES] = "bytes", [MU_RATE] = "per second", [MU_SHARE] = "fraction", [MU_FRACTION] = "fraction",
};

/* runs.csv's columns, from the metric table. */
static void schema_runs(FILE *out)
{
    static const char *const types[] = {[MT_STR] = "text", [MT_I64] = "integer", [MT_F64] = "number"};
    static const char *const better[] = {[MD_NONE] = "", [MD_LOWER] = "lower", [MD_HIGHER] = "higher"};
    fprintf(out, "| column | type | unit | better | meaning |\n|---|---|---|---|---|\n");
    for (size_t i = 0; i < MET_COUNT; i++) {
        const metric_def *m = &metric_table[i];
        fprintf(out, "| `%s` | %s | %s | %s | %s%s |\n", m->name, types[m->type], unit_doc[m->unit],
                better[m->dir], m->doc, m->headline ? " *Headline.*" : "");
    }
}

static void schema_table(FILE *out, const column *cols, size_t n)
{
    static const char *const types[] = {"text", "integer", "number"};
    fprintf(out, "| column | type | meaning |\n|---|---|---|\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "| `%s` | %s | %s |\n", cols[i].name, types[cols[i].type], cols[i].doc);
}

void output_print_schema(FILE *out)
{
    fprintf(out,
            "# CSV schema\n\n"
            "<!-- Generated by `gclab schema`; a test checks that this file matches it. -->\n\n"
            "`gclab run` writes five files into its output folder (`-o DIR`, by default a new\n"
            "folder under `results/`).  Each is written under a temporary name and renamed when\n"
            "complete, so a failed or interrupted run leaves no half file.  Running again into\n"
            "the same folder appends rows, if the columns are the same.\n\n"
            "The CSV files are RFC 4180: one header row, comma-separated, CRLF line ends, text\n"
            "quoted when it holds a comma, quote or line break.  Numbers are raw, in the unit the\n"
            "column's name gives (`_ns` nanoseconds, `_bytes` bytes, `_per_s` per second);\n"
            "`NA` marks a value that does not exist or could not be measured; an empty field, one\n"
            "that was not asked for (the `est_cpython_` estimates of a run without `--calibration`).\n\n"
            "## runs.csv\n\nOne row per run.  *Better* says which way a value is better; the\n"
            "*headline* metrics are those `gclab summary` gives statistics for and that tables,\n"
            "`gclab compare` and the report show.  All of it comes from one table,\n"
            "`harness/metrics.def`.\n\n");
    schema_runs(out);
    fprintf(out, "| `param_<name>` | as the parameter | | | One column per parameter of the workload, "
                 "with its value (`gclab list` gives names, units and defaults). |\n");
    fprintf(out, "\n## pauses.csv\n\nOne row per collection, raw: every pause of every run.\n\n");
    schema_table(out, pause_columns, sizeof pause_columns / sizeof pause_columns[0]);
    fprintf(out, "\n## timeseries.csv\n\nMemory over time, one row per sample.\n\n");
    schema_table(out, sample_columns, NSAMPLECOLS(1));
    fprintf(out, "\n## workers.csv\n\nThe memory of every worker process a pre-fork workload "
                 "forks, from /proc/PID/smaps_rollup, over time.  Empty but for its header when the "
                 "workload forks none.\n\n");
    schema_table(out, worker_columns, sizeof worker_columns / sizeof worker_columns[0]);
    fprintf(out,
            "\n## meta.json\n\n"
            "`{\"runs\": [...]}`, one object per run: `run_id`, `collector`, `workload`,\n"
            "`operation` (what one op is), `workload_params` and `collector_params` (every\n"
            "parameter with its value), `seed` (a string: 64-bit), `thresholds`, `recorded`,\n"
            "`sample_ms`, `allocator`, `gclab_version`, `git_commit`, `compiler`, `cpu_model`,\n"
            "`cpus`, `kernel`, `machine`, `hostname`, and `command` (the argument list).\n"
            "With `--calibration`, `calibration`: the pause model's `file` (absolute) and the row\n"
            "used (`line`, `python`, `version`, `profile`, `pauses`, `a_ns`, `b_ns`, `c_ns`, `r2`:\n"
            "null when undefined), `run_profile` (the collector's profile, or null),\n"
            "`profile_matched`, and a `note` when the file's only cpython row stood in for a\n"
            "profile it has no row for.\n");
}
