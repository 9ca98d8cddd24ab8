/*
 * analysis/merge.c -- result folders combined into one (`gclab merge`, and
 * the last step of a suite).
 *
 * Columns: every file gets the union of its inputs' columns.  Columns not
 * named param_* come first, in the order of the first input that has the
 * file, then any another input adds, in the order first seen; then every
 * param_* column, sorted by name.  A row lacking a column gets NA.
 *
 * Runs: a run_id belongs to the first input whose runs.csv names it (or,
 * for a run no runs.csv names, the first input with a row of it).  Rows of
 * a run are taken from its input only, so merging a folder twice, or into
 * itself, adds nothing.
 *
 * runs.csv is small and read whole; the other CSV files are read one input
 * table at a time (their headers first, to know the columns).  Every output
 * is written under a temporary name and renamed only when all are complete
 * (harness/atomic.h).
 */
#define _GNU_SOURCE

#include "merge.h"

#include "harness/atomic.h"
#include "harness/csv.h"
#include "harness/util.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* ------------------------------------------------------------------ */
/* Small helpers */

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static void sv_push(strvec *s, char *str)
{
    if (!str)
        abort();
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    s->v[s->n++] = str;
}

static long sv_find(const strvec *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0)
            return (long)i;
    return -1;
}

static void sv_free(strvec *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

static char *path_join(const char *dir, const char *name)
{
    char *p;
    if (asprintf(&p, "%s/%s", dir, name) < 0)
        abort();
    return p;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* run_id -> the input it belongs to: open addressing, FNV-1a. */
typedef struct idmap {
    char **keys;
    int *owner;
    size_t cap, n;
} idmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static size_t idmap_slot(const idmap *m, const char *key)
{
    size_t i = (size_t)hash_str(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    return i;
}

static int idmap_get(const idmap *m, const char *key)
{
    if (!m->cap)
        return -1;
    size_t i = idmap_slot(m, key);
    return m->keys[i] ? m->owner[i] : -1;
}

static void idmap_put(idmap *m, const char *key, int owner)
{
    if (2 * (m->n + 1) > m->cap) {
        idmap old = *m;
        m->cap = old.cap ? old.cap * 2 : 256;
        m->keys = calloc(m->cap, sizeof *m->keys);
        m->owner = calloc(m->cap, sizeof *m->owner);
        if (!m->keys || !m->owner)
            abort();
        for (size_t k = 0; k < old.cap; k++) {
            if (old.keys[k]) {
                size_t i = idmap_slot(m, old.keys[k]);
                m->keys[i] = old.keys[k];
                m->owner[i] = old.owner[k];
            }
        }
        free(old.keys);
        free(old.owner);
    }
    size_t i = idmap_slot(m, key);
    if (!m->keys[i]) {
        m->keys[i] = strdup(key);
        if (!m->keys[i])
            abort();
        m->n++;
    }
    m->owner[i] = owner;
}

static void idmap_free(idmap *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->keys[i]);
    free(m->keys);
    free(m->owner);
}

/* Whether input i keeps a row of run rid: yes if the run is i's, or no
 * input has claimed it yet (then i claims it). */
static int owns(idmap *owners, const char *rid, int i)
{
    int o = idmap_get(owners, rid);
    if (o < 0) {
        idmap_put(owners, rid, i);
        return 1;
    }
    return o == i;
}

/* ------------------------------------------------------------------ */
/* The inputs */

/* dir's result folders: dir itself if it has runs.csv, else its runs/NAME/
 * subfolders with a runs.csv, sorted by name.  Returns 0, or -1 with err
 * if dir is neither. */
static int expand_input(const char *dir, strvec *inputs, char *err, size_t errlen)
{
    if (!is_dir(dir)) {
        snprintf(err, errlen, exists(dir) ? "%s is not a folder (valid: a folder written by gclab run or gclab suite)"
                                          : "%s does not exist (valid: a folder written by gclab run or gclab suite)", dir);
        return -1;
    }
    char *runs = path_join(dir, "runs.csv");
    int has_runs = exists(runs);
    free(runs);
    if (has_runs) {
        sv_push(inputs, strdup(dir));
        return 0;
    }
    char *sub = path_join(dir, "runs");
    DIR *d = is_dir(sub) ? opendir(sub) : NULL;
    if (!d) {
        snprintf(err, errlen, "%s has neither runs.csv nor a runs/ folder (valid: a folder written by "
                 "gclab run or gclab suite)", dir);
        free(sub);
        return -1;
    }
    strvec found = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* ., .., and anything hidden (temporaries) */
        char *p = path_join(sub, e->d_name);
        char *r = path_join(p, "runs.csv");
        if (is_dir(p) && exists(r))
            sv_push(&found, p); /* a run that never finished has no runs.csv */
        else
            free(p);
        free(r);
    }
    closedir(d);
    free(sub);
    if (found.n)
        qsort(found.v, found.n, sizeof *found.v, cmp_str);
    for (size_t i = 0; i < found.n; i++)
        sv_push(inputs, found.v[i]);
    free(found.v);
    return 0;
}

int merge_count_runs(const char *dir, size_t *n, char *err, size_t errlen)
{
    strvec v = {0};
    int rc = expand_input(dir, &v, err, errlen);
    *n = v.n;
    sv_free(&v);
    return rc;
}

static int expand_inputs(const char *const *dirs, size_t n, strvec *inputs, char *err, size_t errlen)
{
    for (size_t i = 0; i < n; i++)
        if (expand_input(dirs[i], inputs, err, errlen) != 0)
            return -1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Columns */

typedef struct columns {
    strvec fixed, params; /* fixed: first-seen order; params: param_*, sorted at the end */
    strvec all;           /* fixed then params: the output's header */
} columns;

static void columns_add(columns *c, char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        strvec *into = strncmp(names[i], "param_", 6) == 0 ? &c->params : &c->fixed;
        if (sv_find(into, names[i]) < 0)
            sv_push(into, strdup(names[i]));
    }
}

static void columns_finish(columns *c)
{
    if (c->params.n) /* qsort(NULL, 0, ...) is undefined */
        qsort(c->params.v, c->params.n, sizeof *c->params.v, cmp_str);
    for (size_t i = 0; i < c->fixed.n; i++)
        sv_push(&c->all, strdup(c->fixed.v[i]));
    for (size_t i = 0; i < c->params.n; i++)
        sv_push(&c->all, strdup(c->params.v[i]));
}

static void columns_free(columns *c)
{
    sv_free(&c->fixed);
    sv_free(&c->params);
    sv_free(&c->all);
}

/* The column names of a CSV file without reading the rest of it (gclab's
 * headers hold no quotes; one that does is read by csv_read).  Returns 0
 * (*missing = 1 if there is no such file), or -1 with err. */
static int read_header(const char *path, strvec *names, int *missing, char *err, size_t errlen)
{
    *missing = 0;
    char why[256];
    FILE *f = util_open_file(path, UTIL_MAX_RESULT_BYTES, why, sizeof why);
    if (!f) {
        if (errno == ENOENT) {
            *missing = 1;
            return 0;
        }
        snprintf(err, errlen, "cannot read %s: %s", path, why);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0;
    errno = 0;
    ssize_t len = getline(&line, &cap, f);
    int rerr = len < 0 && ferror(f) ? errno : 0;
    fclose(f);
    if (rerr) {
        free(line);
        snprintf(err, errlen, "cannot read %s: %s", path, strerror(rerr));
        return -1;
    }
    if (len > 0 && strchr(line, '"')) {
        free(line);
        csv_table *t = csv_read(path, NULL, err, errlen);
        if (!t)
            return -1;
        for (size_t i = 0; i < t->ncols; i++)
            sv_push(names, strdup(t->names[i]));
        csv_free(t);
    } else if (len > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        char *p = line;
        for (;;) {
            size_t k = strcspn(p, ",");
            sv_push(names, strndup(p, k));
            if (!p[k])
                break;
            p += k + 1;
        }
        free(line);
    } else {
        free(line);
    }
    if (sv_find(names, "run_id") < 0) {
        snprintf(err, errlen, "%s:1: no run_id column (not a file gclab wrote)", path);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Writing */

typedef struct out_file {
    const char *name;
    char *path;
    FILE *f;    /* its temporary, in the group */
    int wanted; /* some input has this file */
} out_file;

static int open_tmp(atomic_group *g, const char *out, out_file *o, char *err, size_t errlen)
{
    o->path = path_join(out, o->name);
    o->f = atomic_open(g, o->path, err, errlen);
    return o->f ? 0 : -1;
}

static void put_header(FILE *f, const strvec *cols)
{
    for (size_t k = 0; k < cols->n; k++) {
        if (k)
            fputc(',', f);
        csv_put(f, cols->v[k]);
    }
    fputs("\r\n", f);
}

/* map[k]: the column of t that is output column k, or -1. */
static int *column_map(const csv_table *t, const strvec *cols)
{
    int *map = malloc((cols->n ? cols->n : 1) * sizeof *map);
    if (!map)
        abort();
    for (size_t k = 0; k < cols->n; k++)
        map[k] = csv_col(t, cols->v[k]);
    return map;
}

static void put_row(FILE *f, const csv_table *t, size_t r, const int *map, size_t ncols)
{
    for (size_t k = 0; k < ncols; k++) {
        if (k)
            fputc(',', f);
        csv_put(f, map[k] < 0 ? "NA" : csv_get(t, r, map[k]));
    }
    fputs("\r\n", f);
}

/* One of pauses.csv, timeseries.csv, workers.csv: its columns from every
 * input's header, then each input's rows, one table in memory at a time. */
static int merge_csv(out_file *o, const strvec *inputs, idmap *owners, merge_outcome *mo, char *err,
                     size_t errlen)
{
    columns cols = {0};
    int rc = 0;
    for (size_t i = 0; i < inputs->n && rc == 0; i++) {
        char *path = path_join(inputs->v[i], o->name);
        strvec names = {0};
        int missing;
        rc = read_header(path, &names, &missing, err, errlen);
        mo->input_error = rc != 0;
        if (rc == 0 && !missing) {
            o->wanted = 1;
            columns_add(&cols, names.v, names.n);
        }
        sv_free(&names);
        free(path);
    }
    columns_finish(&cols);
    if (rc != 0 || !o->wanted) {
        columns_free(&cols);
        return rc;
    }
    put_header(o->f, &cols.all);
    for (size_t i = 0; i < inputs->n && rc == 0; i++) {
        char *path = path_join(inputs->v[i], o->name);
        int missing;
        csv_table *t = csv_read(path, &missing, err, errlen);
        free(path);
        if (!t) {
            mo->input_error = 1;
            rc = -1;
            break;
        }
        int *map = column_map(t, &cols.all);
        int rid = csv_col(t, "run_id");
        const char *last = NULL; /* a run's rows come together: one look-up for them all */
        int keep = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            const char *id = csv_get(t, r, rid);
            if (!last || strcmp(id, last) != 0)
                keep = owns(owners, id, (int)i), last = id;
            if (keep)
                put_row(o->f, t, r, map, cols.all.n);
        }
        free(map);
        csv_free(t);
        if (ferror(o->f)) {
            snprintf(err, errlen, "cannot write %s: %s", o->path, strerror(errno));
            rc = -1;
        }
    }
    columns_free(&cols);
    return rc;
}

static char *slurp(const char *path, int *missing, char *err, size_t errlen)
{
    *missing = 0;
    char why[256];
    char *text = util_read_file(path, UTIL_MAX_RESULT_BYTES, NULL, why, sizeof why);
    if (!text) {
        if (errno == ENOENT)
            *missing = 1;
        else
            snprintf(err, errlen, "cannot read %s: %s", path, why);
    }
    return text;
}

/* meta.json: the runs arrays joined, each run from the input it belongs to. */
static int merge_meta(out_file *o, const strvec *inputs, idmap *owners, merge_outcome *mo, char *err,
                      size_t errlen)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *runs = cJSON_AddArrayToObject(doc, "runs");
    idmap taken = {0};
    int rc = 0;
    for (size_t i = 0; i < inputs->n && rc == 0; i++) {
        char *path = path_join(inputs->v[i], o->name);
        int missing;
        char *text = slurp(path, &missing, err, errlen);
        if (!text) {
            rc = missing ? 0 : -1;
            mo->input_error = rc != 0;
            free(path);
            continue;
        }
        o->wanted = 1;
        cJSON *in = cJSON_Parse(text);
        cJSON *arr = in ? cJSON_GetObjectItemCaseSensitive(in, "runs") : NULL;
        if (!in) {
            const char *at = cJSON_GetErrorPtr();
            size_t line = 1;
            for (const char *p = text; at && p < at && *p; p++)
                line += *p == '\n';
            snprintf(err, errlen, "%s:%zu: not valid JSON", path, line);
            rc = -1;
        } else if (!cJSON_IsArray(arr)) {
            snprintf(err, errlen, "%s: no \"runs\" array (not gclab's meta.json)", path);
            rc = -1;
        }
        for (cJSON *run = arr ? arr->child : NULL; run && rc == 0;) {
            cJSON *next = run->next;
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(run, "run_id");
            if (!cJSON_IsString(id)) {
                snprintf(err, errlen, "%s: a run without a run_id (not gclab's meta.json)", path);
                rc = -1;
                break;
            }
            if (owns(owners, id->valuestring, (int)i) && idmap_get(&taken, id->valuestring) < 0) {
                idmap_put(&taken, id->valuestring, (int)i);
                cJSON_AddItemToArray(runs, cJSON_DetachItemViaPointer(arr, run));
            }
            run = next;
        }
        mo->input_error = rc != 0;
        cJSON_Delete(in);
        free(text);
        free(path);
    }
    idmap_free(&taken);
    if (rc == 0 && o->wanted) {
        char *text = cJSON_Print(doc);
        if (!text) {
            snprintf(err, errlen, "out of memory writing %s", o->path);
            rc = -1;
        } else {
            fputs(text, o->f);
            fputc('\n', o->f);
            free(text);
        }
    }
    cJSON_Delete(doc);
    return rc;
}

/* mkdir -p, remembering what it made (to remove on failure). */
static int make_dirs(const char *dir, strvec *made, char *err, size_t errlen)
{
    char *path = strdup(dir);
    if (!path)
        abort();
    for (char *p = path + 1;; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(path, 0777) == 0) {
                sv_push(made, strdup(path));
            } else if (errno != EEXIST) {
                util_mkdir_error(err, errlen, dir, path, errno);
                free(path);
                return -1;
            }
            *p = c;
            if (c == '\0')
                break;
        }
    }
    free(path);
    if (!is_dir(dir)) {
        snprintf(err, errlen, "output path %s is not a folder", dir);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */

int merge_dirs(const char *out, const char *const *dirs, size_t n, merge_outcome *mo, char *err, size_t errlen)
{
    enum { RUNS, PAUSES, SAMPLES, WORKERS, META, NFILES };
    out_file files[NFILES] = {{.name = "runs.csv"}, {.name = "pauses.csv"}, {.name = "timeseries.csv"},
                              {.name = "workers.csv"}, {.name = "meta.json"}};
    strvec inputs = {0}, made = {0};
    columns cols = {0};
    csv_table **tables = NULL;
    idmap owners = {0};
    int rc = 0;
    memset(mo, 0, sizeof *mo);
    mo->input_error = 1; /* until the inputs have been read */

    if (!out || !*out) {
        snprintf(err, errlen, "no output folder");
        return -1;
    }
    rc = expand_inputs(dirs, n, &inputs, err, errlen);
    if (rc == 0 && inputs.n == 0) {
        if (n == 0)
            snprintf(err, errlen, "no folder to merge");
        else
            snprintf(err, errlen, "nothing to merge: %s/runs/ holds no finished run%s", dirs[0],
                     n > 1 ? " (nor do the others)" : "");
        rc = -1;
    }

    /* runs.csv, whole: read before anything is written. */
    if (rc == 0) {
        tables = calloc(inputs.n, sizeof *tables);
        if (!tables)
            abort();
    }
    for (size_t i = 0; rc == 0 && i < inputs.n; i++) {
        char *path = path_join(inputs.v[i], "runs.csv");
        tables[i] = csv_read(path, NULL, err, errlen);
        if (!tables[i]) {
            rc = -1;
        } else if (csv_col(tables[i], "run_id") < 0) {
            snprintf(err, errlen, "%s:1: no run_id column (not a file gclab wrote)", path);
            rc = -1;
        } else {
            columns_add(&cols, tables[i]->names, tables[i]->ncols);
        }
        free(path);
    }
    columns_finish(&cols);

    if (rc == 0) {
        mo->input_error = 0;
        rc = make_dirs(out, &made, err, errlen);
    }
    atomic_group g;
    atomic_init(&g);
    for (int k = 0; k < NFILES && rc == 0; k++)
        rc = open_tmp(&g, out, &files[k], err, errlen);

    if (rc == 0) {
        files[RUNS].wanted = 1;
        put_header(files[RUNS].f, &cols.all);
        for (size_t i = 0; i < inputs.n; i++) {
            const csv_table *t = tables[i];
            int *map = column_map(t, &cols.all);
            int rid = csv_col(t, "run_id");
            for (size_t r = 0; r < t->nrows; r++) {
                const char *id = csv_get(t, r, rid);
                if (idmap_get(&owners, id) >= 0)
                    continue; /* merged already */
                idmap_put(&owners, id, (int)i);
                put_row(files[RUNS].f, t, r, map, cols.all.n);
                mo->runs++;
            }
            free(map);
        }
    }
    for (int k = PAUSES; k <= WORKERS && rc == 0; k++)
        rc = merge_csv(&files[k], &inputs, &owners, mo, err, errlen);
    if (rc == 0)
        rc = merge_meta(&files[META], &inputs, &owners, mo, err, errlen);

    /* A file no input has is not written (nor an old one replaced). */
    for (int k = 0; k < NFILES && rc == 0; k++)
        if (files[k].f && !files[k].wanted)
            atomic_discard(&g, files[k].f);
    if (rc == 0)
        rc = atomic_commit(&g, ATOMIC_FORWARD, err, errlen);
    else
        atomic_abort(&g);
    if (rc != 0)
        for (size_t i = made.n; i-- > 0;)
            rmdir(made.v[i]);
    else
        mo->folders = inputs.n;

    for (int k = 0; k < NFILES; k++) {
        free(files[k].path);
    }
    for (size_t i = 0; tables && i < inputs.n; i++)
        csv_free(tables[i]);
    free(tables);
    columns_free(&cols);
    idmap_free(&owners);
    sv_free(&inputs);
    sv_free(&made);
    return rc;
}
