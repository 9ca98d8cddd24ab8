/*
 * harness/suite.c -- suite files (YAML, read with libyaml's document
 * loader), threshold grids, and the order runs are made in.
 *
 * Every error names the file and the line of the node at fault, and the
 * valid choices where there is a list of them.
 */
#define _GNU_SOURCE

#include "suite.h"

#include "config.h"
#include "../runtime/splitmix64.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* ------------------------------------------------------------------ */
/* Grids */

static int parse_long(const char *s, const char *end, long *out)
{
    char *e;
    errno = 0;
    long v = strtol(s, &e, 10);
    if (e == s || e != end || errno || v < 0)
        return -1;
    *out = v;
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

#define GRID_MAX 10000

long suite_grid(const char *spec, long **values, char *err, size_t errlen)
{
    static const char forms[] = "a list (5,10,20), START:STOP:STEP (100:1000:100) or "
                                "START:STOP:logN (100:10000:log3)";
    *values = NULL;
    long *v = NULL;
    long n = 0;
    const char *c1 = strchr(spec, ':');
    if (!c1) { /* a list */
        const char *p = spec;
        for (;;) {
            const char *e = p + strcspn(p, ",");
            long x;
            if (parse_long(p, e, &x) != 0 || n == GRID_MAX)
                goto bad;
            v = realloc(v, (size_t)(n + 1) * sizeof *v);
            if (!v)
                abort();
            v[n++] = x;
            if (!*e)
                break;
            p = e + 1;
        }
        *values = v;
        return n;
    }
    const char *c2 = strchr(c1 + 1, ':');
    long start, stop;
    if (!c2 || strchr(c2 + 1, ':') || parse_long(spec, c1, &start) != 0 ||
        parse_long(c1 + 1, c2, &stop) != 0 || stop < start)
        goto bad;
    const char *step = c2 + 1;
    if (strncmp(step, "log", 3) == 0) {
        long points;
        if (parse_long(step + 3, step + strlen(step), &points) != 0 || points < 2 || points > GRID_MAX ||
            start < 1)
            goto bad;
        v = malloc((size_t)points * sizeof *v);
        if (!v)
            abort();
        double l0 = log((double)start), l1 = log((double)stop);
        for (long i = 0; i < points; i++) {
            long x = i == points - 1 ? stop : lround(exp(l0 + (l1 - l0) * (double)i / (double)(points - 1)));
            if (n == 0 || x != v[n - 1])
                v[n++] = x;
        }
    } else {
        long st;
        if (parse_long(step, step + strlen(step), &st) != 0 || st < 1 || (stop - start) / st >= GRID_MAX)
            goto bad;
        n = (stop - start) / st + 1;
        v = malloc((size_t)n * sizeof *v);
        if (!v)
            abort();
        for (long i = 0; i < n; i++)
            v[i] = start + i * st;
    }
    qsort(v, (size_t)n, sizeof *v, cmp_long);
    *values = v;
    return n;
bad:
    free(v);
    snprintf(err, errlen, "bad grid '%s': expected non-negative integers as %s", spec, forms);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Reading the YAML */

typedef struct loader {
    const char *file;
    yaml_document_t doc;
    suite *s;
    char *err;
    size_t errlen;
} loader;

static int fail(loader *L, const yaml_node_t *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* One line whatever the file holds: a value quoted in the message may
     * carry a line break or other control characters. */
    for (char *c = msg; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    snprintf(L->err, L->errlen, "%s:%zu: %s", L->file, n ? n->start_mark.line + 1 : 1, msg);
    return -1;
}

static yaml_node_t *node(loader *L, int i) { return yaml_document_get_node(&L->doc, i); }

static const char *scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static int get_int(loader *L, const yaml_node_t *n, const char *key, long lo, long hi, long *out)
{
    const char *v = scalar(n);
    long x;
    if (!v || parse_long(v, v + strlen(v), &x) != 0 || x < lo || x > hi)
        return fail(L, n, "%s must be an integer from %ld to %ld, got %s", key, lo, hi,
                    v ? v : "a list or mapping");
    *out = x;
    return 0;
}

static int get_seconds(loader *L, const yaml_node_t *n, const char *key, double *out)
{
    const char *v = scalar(n);
    char *e = NULL;
    double x = v ? strtod(v, &e) : NAN;
    if (!v || e == v || *e || !(x >= 0) || x > 86400 * 7)
        return fail(L, n, "%s must be a number of seconds from 0 to 604800, got %s", key,
                    v ? v : "a list or mapping");
    *out = x;
    return 0;
}

/* Names from a scalar or a list of scalars; "all" for every one. */
typedef struct strlist {
    char **v;
    size_t n;
} strlist;

static void strlist_add(strlist *l, const char *s)
{
    l->v = realloc(l->v, (l->n + 1) * sizeof *l->v);
    if (!l->v || !(l->v[l->n++] = strdup(s)))
        abort();
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

/* The values of a scalar or of a list of scalars. */
static int scalars(loader *L, const yaml_node_t *n, const char *key, strlist *out)
{
    if (n->type == YAML_SCALAR_NODE) {
        strlist_add(out, scalar(n));
        return 0;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return fail(L, n, "%s must be a value or a list of values, got a mapping", key);
    for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
        const yaml_node_t *e = node(L, *it);
        if (!scalar(e))
            return fail(L, e, "%s must be a value or a list of values", key);
        strlist_add(out, scalar(e));
    }
    if (out->n == 0)
        return fail(L, n, "%s is an empty list", key);
    return 0;
}

static int names(loader *L, const yaml_node_t *n, const char *key, int collectors, strlist *out)
{
    strlist raw = {0};
    if (scalars(L, n, key, &raw) != 0)
        return strlist_free(&raw), -1;
    size_t count = collectors ? gclab_collector_count() : workload_count();
    for (size_t i = 0; i < raw.n; i++) {
        if (strcmp(raw.v[i], "all") == 0) {
            for (size_t k = 0; k < count; k++)
                strlist_add(out, collectors ? gclab_collector_at(k)->name : workload_at(k)->name);
            continue;
        }
        int known = collectors ? gclab_collector_find(raw.v[i]) != NULL : workload_find(raw.v[i]) != NULL;
        if (!known) {
            fail(L, n, "unknown %s '%s' (valid: %s, or all)", collectors ? "collector" : "workload", raw.v[i],
                 collectors ? gclab_collector_names() : workload_names());
            strlist_free(&raw);
            return -1;
        }
        strlist_add(out, raw.v[i]);
    }
    strlist_free(&raw);
    return 0;
}

static void add_config(suite *s, const char *w, const char *c, char **settings, size_t n, uint64_t seed, int line)
{
    s->configs = realloc(s->configs, (s->nconfigs + 1) * sizeof *s->configs);
    if (!s->configs)
        abort();
    suite_config *sc = &s->configs[s->nconfigs++];
    memset(sc, 0, sizeof *sc);
    sc->workload = strdup(w);
    sc->collector = strdup(c);
    sc->settings = calloc(n + 1, sizeof *sc->settings);
    if (!sc->workload || !sc->collector || !sc->settings)
        abort();
    for (size_t i = 0; i < n; i++)
        if (!(sc->settings[i] = strdup(settings[i])))
            abort();
    sc->nsettings = n;
    sc->seed = seed;
    sc->line = line;
}

/* One choice of thresholds for a configuration: as listed (text, parsed
 * once by config_build), or a point of the grids (numbers). */
typedef struct thr_choice {
    const char *text; /* NULL: the numbers */
    long v[GCLAB_MAX_GENERATIONS];
    int n;            /* 0 and no text: the collector's defaults */
} thr_choice;

static const char entry_keys[] = "workload, workloads, collector, collectors, thresholds, threshold0, "
                                 "threshold1, threshold2, params, seed";

/* One matrix entry: its product of configurations. */
static int load_entry(loader *L, const yaml_node_t *e)
{
    suite *s = L->s;
    if (e->type != YAML_MAPPING_NODE)
        return fail(L, e, "a matrix entry must be a mapping (%s)", entry_keys);
    strlist ws = {0}, cs = {0}, thr = {0};
    const yaml_node_t *grid[3] = {NULL, NULL, NULL}, *params = NULL, *thrnode = NULL, *wnode = NULL,
                      *cnode = NULL;
    long seed = (long)s->seed;
    int rc = -1;
    long *gv[3] = {NULL, NULL, NULL};
    long gn[3] = {0, 0, 0};
    strlist pkeys = {0};
    strlist *pvals = NULL;

    for (yaml_node_pair_t *p = e->data.mapping.pairs.start; p < e->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = scalar(k);
        if (!key) {
            fail(L, k, "a key must be a name (%s)", entry_keys);
            goto out;
        }
        for (yaml_node_pair_t *q = e->data.mapping.pairs.start; q < p; q++)
            if (strcmp(scalar(node(L, q->key)) ? scalar(node(L, q->key)) : "", key) == 0) {
                fail(L, k, "'%s' is given twice in this matrix entry", key);
                goto out;
            }
        if (strcmp(key, "workload") == 0 || strcmp(key, "workloads") == 0) {
            if (wnode) {
                fail(L, k, "give workload or workloads, not both");
                goto out;
            }
            wnode = v;
            if (names(L, v, key, 0, &ws) != 0)
                goto out;
        } else if (strcmp(key, "collector") == 0 || strcmp(key, "collectors") == 0) {
            if (cnode) {
                fail(L, k, "give collector or collectors, not both");
                goto out;
            }
            cnode = v;
            if (names(L, v, key, 1, &cs) != 0)
                goto out;
        } else if (strcmp(key, "thresholds") == 0) {
            thrnode = v;
            if (scalars(L, v, key, &thr) != 0)
                goto out;
        } else if (strncmp(key, "threshold", 9) == 0 && key[9] >= '0' && key[9] <= '2' && !key[10]) {
            int g = key[9] - '0';
            grid[g] = v;
            strlist specs = {0};
            if (scalars(L, v, key, &specs) != 0) {
                strlist_free(&specs);
                goto out;
            }
            for (size_t i = 0; i < specs.n; i++) { /* a list of specs: their union */
                long *vals;
                char gerr[512];
                long cnt = suite_grid(specs.v[i], &vals, gerr, sizeof gerr);
                if (cnt < 0) {
                    strlist_free(&specs);
                    fail(L, v, "%s: %s", key, gerr);
                    goto out;
                }
                gv[g] = realloc(gv[g], (size_t)(gn[g] + cnt) * sizeof *gv[g]);
                if (!gv[g])
                    abort();
                memcpy(gv[g] + gn[g], vals, (size_t)cnt * sizeof *vals);
                gn[g] += cnt;
                free(vals);
            }
            strlist_free(&specs);
        } else if (strcmp(key, "params") == 0) {
            if (v->type != YAML_MAPPING_NODE) {
                fail(L, v, "params must be a mapping of parameter: value (or: [values])");
                goto out;
            }
            params = v;
        } else if (strcmp(key, "seed") == 0) {
            if (get_int(L, v, "seed", 0, LONG_MAX, &seed) != 0)
                goto out;
        } else {
            fail(L, k, "unknown key '%s' in a matrix entry (valid: %s)", key, entry_keys);
            goto out;
        }
    }
    if (!wnode) {
        fail(L, e, "this matrix entry names no workload (workload: NAME or workloads: [NAMES])");
        goto out;
    }
    if (!cnode) {
        fail(L, e, "this matrix entry names no collector (collector: NAME, collectors: [NAMES] or "
                   "collectors: all)");
        goto out;
    }
    if (thrnode && (grid[0] || grid[1] || grid[2])) {
        fail(L, thrnode, "give thresholds (a list of T0,T1,T2) or threshold0/1/2 grids, not both");
        goto out;
    }

    /* Parameters: each a value or a list of values. */
    size_t np = params ? (size_t)(params->data.mapping.pairs.top - params->data.mapping.pairs.start) : 0;
    pvals = calloc(np + 1, sizeof *pvals);
    if (!pvals)
        abort();
    for (size_t i = 0; i < np; i++) {
        yaml_node_pair_t *p = &params->data.mapping.pairs.start[i];
        const char *key = scalar(node(L, p->key));
        if (!key) {
            fail(L, node(L, p->key), "a parameter name must be a name");
            goto out;
        }
        strlist_add(&pkeys, key);
        if (scalars(L, node(L, p->value), key, &pvals[i]) != 0)
            goto out;
    }

    /* Thresholds: the listed triples, or the product of the grids with the
     * collector's defaults where a grid is missing (up to the last given). */
    int last = grid[2] ? 2 : grid[1] ? 1 : grid[0] ? 0 : -1;

    for (size_t wi = 0; wi < ws.n; wi++)
        for (size_t ci = 0; ci < cs.n; ci++) {
            const gclab_collector_info *col = gclab_collector_find(cs.v[ci]);
            thr_choice *triples = NULL;
            size_t ntriples = 0;
#define ADD_CHOICE() (triples = realloc(triples, (ntriples + 1) * sizeof *triples), \
                      triples ? (void)memset(&triples[ntriples++], 0, sizeof *triples) : abort())
            if (thr.n) {
                for (size_t t = 0; t < thr.n; t++) {
                    ADD_CHOICE();
                    triples[ntriples - 1].text = thr.v[t];
                }
            } else if (last >= 0) {
                if (col->nthresholds <= last) {
                    free(triples);
                    fail(L, grid[last], "collector %s has %d thresholds; threshold%d does not apply "
                         "(list it in an entry of its own)", col->name, col->nthresholds, last);
                    goto out;
                }
                long idx[3] = {0, 0, 0};
                for (;;) {
                    if (ntriples >= SUITE_MAX_CONFIGS) {
                        free(triples);
                        fail(L, grid[last], "these grids make more than %d threshold settings; a suite holds at "
                             "most %d configurations (split it into several suites)", SUITE_MAX_CONFIGS,
                             SUITE_MAX_CONFIGS);
                        goto out;
                    }
                    ADD_CHOICE();
                    thr_choice *tc = &triples[ntriples - 1];
                    for (int g = 0; g <= last; g++)
                        tc->v[g] = grid[g] ? gv[g][idx[g]] : col->default_thresholds[g];
                    tc->n = last + 1;
                    int g = last;
                    while (g >= 0 && (!grid[g] || ++idx[g] == gn[g])) {
                        idx[g] = 0;
                        g--;
                    }
                    if (g < 0)
                        break;
                }
            } else {
                ADD_CHOICE(); /* the defaults */
            }
#undef ADD_CHOICE
            for (size_t t = 0; t < ntriples; t++) {
                /* the product of the parameters' values */
                size_t idx[64] = {0};
                if (np > 64) {
                    free(triples);
                    fail(L, params, "at most 64 parameters");
                    goto out;
                }
                for (;;) {
                    char *set[64];
                    char buf[64][512];
                    for (size_t i = 0; i < np; i++) {
                        snprintf(buf[i], sizeof buf[i], "%s=%s", pkeys.v[i], pvals[i].v[idx[i]]);
                        set[i] = buf[i];
                    }
                    int line = (int)e->start_mark.line + 1;
                    if (s->nconfigs >= SUITE_MAX_CONFIGS) {
                        free(triples);
                        fail(L, e, "the suite makes more than %d configurations (split it into several suites)",
                             SUITE_MAX_CONFIGS);
                        goto out;
                    }
                    add_config(s, ws.v[wi], cs.v[ci], set, np, (uint64_t)seed, line);
                    suite_config *sc = &s->configs[s->nconfigs - 1];
                    /* Built and checked as gclab run does, the workload's own
                     * check (prepare: a trace file is read) included. */
                    config_spec spec = {.collector = sc->collector, .workload = sc->workload,
                                        .thresholds_text = triples[t].text, .thresholds = triples[t].v,
                                        .nthresholds = triples[t].n,
                                        .settings = (const char *const *)sc->settings,
                                        .nsettings = sc->nsettings, .prepare = 1};
                    config_error ce;
                    int bad = config_build(&sc->cfg, &spec, &ce);
                    config_release(&sc->cfg);
                    char label[2048];
                    if (bad) {
                        snprintf(label, sizeof label, "%s/%s", sc->workload, sc->collector);
                        free(triples);
                        /* point at the node at fault: the thresholds, the params, else the entry */
                        const yaml_node_t *at = e;
                        if (ce.field == CONFIG_THRESHOLDS)
                            at = thrnode ? thrnode : last >= 0 ? grid[last] : e;
                        else if (ce.field == CONFIG_SETTING && params)
                            at = ce.setting < np ? node(L, params->data.mapping.pairs.start[ce.setting].value)
                                                 : params;
                        else if (ce.field == CONFIG_COLLECTOR)
                            at = cnode;
                        else if (ce.field == CONFIG_WORKLOAD)
                            at = wnode;
                        fail(L, at, "%s (in %s)", ce.msg, label);
                        goto out;
                    }
                    config_label(&sc->cfg, (const char *const *)sc->settings, sc->nsettings, label, sizeof label);
                    if (!(sc->label = strdup(label)))
                        abort();
                    sc->cfg.seed = sc->seed;
                    sc->cfg.record = 1;
                    sc->cfg.config = sc->label;
                    size_t i = np;
                    while (i > 0) {
                        if (++idx[i - 1] < pvals[i - 1].n)
                            break;
                        idx[i - 1] = 0;
                        i--;
                    }
                    if (i == 0)
                        break;
                }
            }
            free(triples);
        }
    rc = 0;
out:
    strlist_free(&ws);
    strlist_free(&cs);
    strlist_free(&thr);
    for (size_t i = 0; pvals && i < pkeys.n + 1; i++)
        strlist_free(&pvals[i]);
    free(pvals);
    strlist_free(&pkeys);
    for (int g = 0; g < 3; g++)
        free(gv[g]);
    return rc;
}

static const char top_keys[] = "name, description, repeat, warmup, jobs, timeout, memory_limit_mb, "
                               "sample_ms, seed, matrix";

static int load_top(loader *L)
{
    suite *s = L->s;
    yaml_node_t *root = yaml_document_get_root_node(&L->doc);
    if (!root)
        return fail(L, NULL, "the file is empty; a suite needs at least a matrix (docs/suites.md)");
    if (root->type != YAML_MAPPING_NODE)
        return fail(L, root, "a suite is a mapping of %s", top_keys);
    const yaml_node_t *matrix = NULL;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start; p < root->data.mapping.pairs.top; p++) {
        const yaml_node_t *k = node(L, p->key), *v = node(L, p->value);
        const char *key = scalar(k);
        long x;
        if (!key)
            return fail(L, k, "a key must be a name (%s)", top_keys);
        for (yaml_node_pair_t *q = root->data.mapping.pairs.start; q < p; q++)
            if (scalar(node(L, q->key)) && strcmp(scalar(node(L, q->key)), key) == 0)
                return fail(L, k, "'%s' is given twice", key);
        if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0) {
            if (!scalar(v))
                return fail(L, v, "%s must be text", key);
            if (key[0] == 'n' && !util_is_file_name(scalar(v))) {
                char shown[64]; /* one line, whatever the name holds */
                snprintf(shown, sizeof shown, "%s", scalar(v));
                for (char *c = shown; *c; c++)
                    if ((unsigned char)*c < 0x20 || *c == 0x7f)
                        *c = '?';
                return fail(L, v, "name must be 1 to %d letters, digits, '-', '_' or '.', not starting with '.' "
                            "(it names the folder results/<time>-<name>), got '%s%s'", UTIL_FILE_NAME_MAX, shown,
                            strlen(scalar(v)) >= sizeof shown ? "..." : "");
            }
            if (key[0] == 'n') {
                free(s->name);
                if (!(s->name = strdup(scalar(v))))
                    abort();
            }
        } else if (strcmp(key, "repeat") == 0) {
            if (get_int(L, v, key, 1, 1000, &x) != 0)
                return -1;
            s->repeat = (int)x;
        } else if (strcmp(key, "warmup") == 0) {
            if (get_int(L, v, key, 0, 100, &x) != 0)
                return -1;
            s->warmup = (int)x;
        } else if (strcmp(key, "jobs") == 0) {
            if (get_int(L, v, key, 1, 256, &x) != 0)
                return -1;
            s->jobs = (int)x;
        } else if (strcmp(key, "memory_limit_mb") == 0) {
            if (get_int(L, v, key, 0, 1L << 30, &x) != 0)
                return -1;
            s->memory_limit_mb = x;
        } else if (strcmp(key, "sample_ms") == 0) {
            if (get_int(L, v, key, 0, 60000, &x) != 0)
                return -1;
            s->sample_ms = (unsigned)x;
        } else if (strcmp(key, "seed") == 0) {
            if (get_int(L, v, key, 0, LONG_MAX, &x) != 0)
                return -1;
            s->seed = (uint64_t)x;
        } else if (strcmp(key, "timeout") == 0) {
            if (get_seconds(L, v, key, &s->timeout_s) != 0)
                return -1;
        } else if (strcmp(key, "matrix") == 0) {
            if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.start == v->data.sequence.items.top)
                return fail(L, v, "matrix must be a list of entries (each: %s)", entry_keys);
            matrix = v;
        } else {
            return fail(L, k, "unknown key '%s' (valid: %s)", key, top_keys);
        }
    }
    if (!matrix)
        return fail(L, root, "the suite has no matrix (a list of workloads x collectors entries)");
    /* after every top-level key: entries inherit the seed wherever it was written */
    for (yaml_node_item_t *it = matrix->data.sequence.items.start; it < matrix->data.sequence.items.top; it++)
        if (load_entry(L, node(L, *it)) != 0)
            return -1;
    for (size_t i = 0; i < s->nconfigs; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->configs[i].label, s->configs[j].label) == 0 && s->configs[i].seed == s->configs[j].seed) {
                const yaml_node_t fake = {.start_mark = {.line = (size_t)s->configs[i].line - 1}};
                return fail(L, &fake, "configuration '%s' is already in the suite (line %d)",
                            s->configs[i].label, s->configs[j].line);
            }
    return 0;
}

int suite_parse(const char *name, const char *text, size_t len, suite *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->repeat = 3;
    s->warmup = 1;
    s->jobs = 1;
    s->timeout_s = 600;
    s->sample_ms = 10;
    s->seed = 1;
    if (!(s->path = strdup(name)) || !(s->text = malloc(len + 1)) || !(s->name = strdup("suite")))
        abort();
    memcpy(s->text, text, len);
    s->text[len] = '\0';

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        abort();
    yaml_parser_set_input_string(&parser, (const unsigned char *)s->text, len);
    loader L = {.file = name, .s = s, .err = err, .errlen = errlen};
    int rc;
    if (!yaml_parser_load(&parser, &L.doc)) {
        char ctx[256] = "";
        if (parser.context)
            snprintf(ctx, sizeof ctx, " %s (from line %zu)", parser.context, parser.context_mark.line + 1);
        snprintf(err, errlen, "%s:%zu: not valid YAML: %s%s", name, parser.problem_mark.line + 1,
                 parser.problem ? parser.problem : "syntax error", ctx);
        rc = -1;
    } else {
        /* the root of a document; anchors and aliases are libyaml's */
        rc = load_top(&L);
        yaml_document_delete(&L.doc);
    }
    yaml_parser_delete(&parser);
    if (rc != 0)
        suite_free(s);
    return rc;
}

char *suite_read(const char *path, size_t *len, char *err, size_t errlen)
{
    char why[256];
    char *text = util_read_file(path, UTIL_MAX_SUITE_BYTES, len, why, sizeof why);
    if (!text) {
        int e = errno;
        snprintf(err, errlen, "%s: cannot read the suite file: %s", path, why);
        errno = e;
    }
    return text;
}

int suite_load(const char *path, suite *s, char *err, size_t errlen)
{
    size_t len;
    char *text = suite_read(path, &len, err, errlen);
    if (!text)
        return -1;
    int rc = suite_parse(path, text, len, s, err, errlen);
    free(text);
    return rc;
}

void suite_free(suite *s)
{
    for (size_t i = 0; i < s->nconfigs; i++) {
        suite_config *c = &s->configs[i];
        free(c->label);
        free(c->collector);
        free(c->workload);
        for (size_t k = 0; k < c->nsettings; k++)
            free(c->settings[k]);
        free(c->settings);
    }
    free(s->configs);
    free(s->name);
    free(s->path);
    free(s->text);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------------------------ */
/* The schedule */

static void run_key(const suite *s, suite_run *r)
{
    const suite_config *c = &s->configs[r->config];
    if (r->repeat < 0)
        snprintf(r->key, sizeof r->key, "c%03zu-%s-%s-warmup", r->config, c->workload, c->collector);
    else
        snprintf(r->key, sizeof r->key, "c%03zu-%s-%s-r%d", r->config, c->workload, c->collector, r->repeat);
}

size_t suite_schedule(const suite *s, suite_run **runs)
{
    size_t n = s->nconfigs * (size_t)s->repeat, k = 0;
    suite_run *r = calloc(n + 1, sizeof *r);
    size_t *order = calloc(s->nconfigs + 1, sizeof *order);
    if (!r || !order)
        abort();
    uint64_t rng = s->seed ^ 0x5eed5eed5eedull;
    for (int rep = 0; rep < s->repeat; rep++) {
        for (size_t i = 0; i < s->nconfigs; i++)
            order[i] = i;
        for (size_t i = s->nconfigs; i > 1; i--) { /* Fisher-Yates */
            size_t j = (size_t)(splitmix64(&rng) % i);
            size_t t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        for (size_t i = 0; i < s->nconfigs; i++) {
            r[k].config = order[i];
            r[k].repeat = rep;
            run_key(s, &r[k]);
            k++;
        }
    }
    free(order);
    *runs = r;
    return n;
}

int suite_argv(const suite *s, const suite_run *r, const char *gclab, const char *outdir, char **argv,
               size_t maxargs, char *buf, size_t buflen)
{
    const suite_config *c = &s->configs[r->config];
    size_t argc = 0, used = 0;
#define ARG(x)                                                                                              \
    do {                                                                                                    \
        if (argc + 1 < maxargs)                                                                             \
            argv[argc++] = (char *)(x);                                                                     \
    } while (0)
#define ARGF(...)                                                                                           \
    do {                                                                                                    \
        int w_ = snprintf(buf + used, buflen - used, __VA_ARGS__);                                          \
        if (w_ < 0 || (size_t)w_ >= buflen - used)                                                          \
            abort();                                                                                        \
        ARG(buf + used);                                                                                    \
        used += (size_t)w_ + 1;                                                                             \
    } while (0)
    ARG(gclab);
    ARG("run");
    ARG("-q");
    ARG("-c");
    ARG(c->collector);
    ARG("-w");
    ARG(c->workload);
    if (c->cfg.nthresholds) {
        ARG("-t");
        char t[96];
        config_thresholds_text(&c->cfg, t, sizeof t);
        ARGF("%s", t);
    }
    for (size_t i = 0; i < c->nsettings; i++) {
        ARG("-p");
        ARG(c->settings[i]);
    }
    ARG("--seed");
    ARGF("%llu", (unsigned long long)c->seed);
    ARG("--sample-ms");
    ARGF("%u", s->sample_ms);
    ARG("--config");
    ARG(c->label);
    ARG("--repeat");
    ARGF("%d", r->repeat < 0 ? 0 : r->repeat);
    if (s->calibration) {
        ARG("--calibration");
        ARG(s->calibration);
    }
    ARG("-o");
    ARGF("%s/%s", outdir, r->key);
    argv[argc] = NULL;
#undef ARG
#undef ARGF
    return (int)argc;
}

void suite_run_key(const suite *s, suite_run *r) { run_key(s, r); }
