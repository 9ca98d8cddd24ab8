/*
 * harness/calibrate.c -- the paired corpus on real interpreters and on
 * gclab (calibrate.h).
 */
#define _GNU_SOURCE

#include "calibrate.h"

#include "pyrun.h"
#include "startup.h"
#include "util.h"

#include "../collectors/profile.h"

#include "../workloads/trace_parse.h"

#include <gclab/gclab.h>
#include <gclab/object.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_PY_BYTES ((size_t)1 << 20)
#define MEASURE_MARK "#-- measure"

/* ------------------------------------------------------------------ */
/* The corpus */

static int by_name(const void *a, const void *b)
{
    return strcmp(((const calib_program *)a)->name, ((const calib_program *)b)->name);
}

/* Split the text of NAME.py at its `#-- measure` line. */
static int split_program(calib_program *p, char *text)
{
    char *mark = NULL;
    for (char *line = text; line && *line;) {
        char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
            n--;
        if (n == strlen(MEASURE_MARK) && memcmp(line, MEASURE_MARK, n) == 0) {
            mark = line;
            break;
        }
        line = nl ? nl + 1 : NULL;
    }
    if (!mark) {
        p->setup = strdup("");
        p->body = text;
        return p->setup ? 0 : -1;
    }
    char *after = strchr(mark, '\n');
    p->body = strdup(after ? after + 1 : "");
    *mark = '\0';
    p->setup = text;
    return p->body ? 0 : -1;
}

static int in_list(const char *only, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = only; *s;) {
        const char *comma = strchr(s, ',');
        size_t len = comma ? (size_t)(comma - s) : strlen(s);
        if (len == n && memcmp(s, name, n) == 0)
            return 1;
        s = comma ? comma + 1 : s + len;
    }
    return 0;
}

int calib_corpus_load(const char *dir, const char *only, calib_corpus *out, char *err, size_t errlen)
{
    out->v = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(err, errlen, "--corpus %s: cannot read the folder: %s (the corpus is workloads/corpus in the "
                              "source tree)", dir, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 4 || strcmp(e->d_name + len - 3, ".py") != 0 || e->d_name[0] == '.')
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(len - 3), e->d_name);
        if (only && !in_list(only, name))
            continue;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 16;
            calib_program *v = realloc(out->v, cap * sizeof *v);
            if (!v) {
                snprintf(err, errlen, "out of memory");
                rc = -1;
                break;
            }
            out->v = v;
        }
        calib_program *p = &out->v[out->n];
        memset(p, 0, sizeof *p);
        char path[4096], why[160];
        p->name = strdup(name);
        snprintf(path, sizeof path, "%s/%s.py", dir, name);
        char *text = util_read_file(path, MAX_PY_BYTES, NULL, why, sizeof why);
        if (!p->name || !text) {
            snprintf(err, errlen, "cannot read %s: %s", path, text ? "out of memory" : why);
            free(text);
            free(p->name);
            rc = -1;
            break;
        }
        out->n++;
        if (split_program(p, text) != 0) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
            break;
        }
        snprintf(path, sizeof path, "%s/%s.trace", dir, name);
        p->trace_path = strdup(path);
        p->trace = util_read_file(path, TRACE_MAX_FILE_BYTES, &p->trace_len, why, sizeof why);
        if (!p->trace_path || !p->trace) {
            snprintf(err, errlen, "corpus program %s: cannot read its gclab twin %s: %s", name, path,
                     p->trace ? "out of memory" : why);
            rc = -1;
        }
    }
    closedir(d);
    if (rc == 0 && only) { /* every name asked for is there */
        for (const char *s = only; *s && rc == 0;) {
            const char *comma = strchr(s, ',');
            size_t len = comma ? (size_t)(comma - s) : strlen(s);
            int found = 0;
            for (size_t i = 0; i < out->n && !found; i++)
                found = strlen(out->v[i].name) == len && memcmp(out->v[i].name, s, len) == 0;
            if (!found) {
                snprintf(err, errlen, "--programs: no corpus program '%.*s' in %s (each is NAME.py with "
                                      "NAME.trace)", (int)(len > 64 ? 64 : len), s, dir);
                rc = -1;
            }
            s = comma ? comma + 1 : s + len;
        }
    }
    if (rc == 0 && out->n == 0) {
        snprintf(err, errlen, "--corpus %s: no corpus program there (NAME.py with NAME.trace)", dir);
        rc = -1;
    }
    if (rc != 0) {
        calib_corpus_free(out);
        return -1;
    }
    qsort(out->v, out->n, sizeof *out->v, by_name);
    return 0;
}

void calib_corpus_free(calib_corpus *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->v[i].name);
        free(c->v[i].setup);
        free(c->v[i].body);
        free(c->v[i].trace);
        free(c->v[i].trace_path);
    }
    free(c->v);
    c->v = NULL;
    c->n = 0;
}

void calib_result_free(calib_result *r)
{
    free(r->pauses);
    r->pauses = NULL;
    r->npauses = 0;
}

/* ------------------------------------------------------------------ */
/* The Python side */

int calib_python_identify(const char *path, calib_python *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (strlen(path) >= sizeof out->path) {
        snprintf(err, errlen, "--python: path too long (%zu bytes)", strlen(path));
        return -1;
    }
    snprintf(out->path, sizeof out->path, "%s", path);
    char what[1100];
    snprintf(what, sizeof what, "--python %s", path);
    char *text;
    if (pyrun(path, "import sys; print('gclab-version %d.%d.%d' % sys.version_info[:3])", what, 0, &text, err,
              errlen) != 0)
        return -1;
    int major, minor, micro;
    char *line = strstr(text, "gclab-version ");
    int ok = line && sscanf(line, "gclab-version %d.%d.%d", &major, &minor, &micro) == 3;
    free(text);
    if (!ok) {
        snprintf(err, errlen, "%s: not a Python 3 interpreter (it did not print its version); give the path "
                              "of one", what);
        return -1;
    }
    snprintf(out->version, sizeof out->version, "%d.%d.%d", major, minor, micro);
    snprintf(out->profile, sizeof out->profile, "cpython-%d.%d", major, minor);
    for (size_t i = 0; gclab_profile_name(i); i++)
        if (strcmp(gclab_profile_name(i), out->profile) == 0)
            return 0;
    char names[256] = "";
    for (size_t i = 0; gclab_profile_name(i); i++)
        if (strncmp(gclab_profile_name(i), "cpython-", 8) == 0)
            snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", *names ? ", " : "",
                     gclab_profile_name(i) + 8);
    snprintf(err, errlen, "%s: Python %s has no profile to calibrate (profiles exist for %s)", what,
             out->version, names);
    return -1;
}

/* What every run of a program starts and ends with.  The free lists
 * (sys._debugmallocstats(), which makes no object: harness/startup.c) and
 * `_c0`, the counts, are read where the measured program starts, before
 * anything of the frame is made: the start-up probe runs another text, and compiling the program
 * (its constants, the compiler's own containers) moves count[0] by tens. */
static const char prologue[] =
    "import sys as _sys\n_sys._debugmallocstats()\n_c0 = gc.get_count()\n_ck = []\n_s0 = gc.get_stats()\n";
static const char epilogue[] =
    "\n_s1 = gc.get_stats()\n_f = gc.collect()\nprint('gclab-start', *_c0)\n"
    "print('gclab-calibrate', *[_b[_k] - _a[_k] for _k in ('collections', 'collected', 'uncollectable') "
    "for _a, _b in zip(_s0, _s1)], _f, len(_ck), *[_x for _c in _ck for _x in _c])\n";
/* The timing run's hook: the objects in the generations a collection
 * examines (counted before its clock starts), its start and stop times,
 * generation and objects collected. */
static const char timing_hook[] =
    "import time as _time\n"
    "_pt = []\n"
    "def _cb(_phase, _info, _t=_time.perf_counter_ns, _g=gc.get_objects, _p=_pt.append):\n"
    "    if _phase == 'start':\n"
    "        _n = 0\n"
    "        for _i in range(_info['generation'] + 1):\n"
    "            _n += len(_g(_i))\n"
    "        _p(_n)\n"
    "        _p(_t())\n"
    "    else:\n"
    "        _p(_t())\n"
    "        _p(_info['generation'])\n"
    "        _p(_info['collected'])\n"
    "gc.callbacks.append(_cb)\n";
static const char timing_tail[] = "gc.callbacks.clear()\nprint('gclab-pauses', *_pt)\n";
static const char probe_tail[] =
    "_c = gc.get_count()\n_n = len(gc.get_objects()) - 1\nprint('gclab-probe', _n, _c[0], _c[1], _c[2])\n";

static char *compose(const calib_program *p, const char *hook, const char *body, const char *tail)
{
    char *s = NULL;
    if (asprintf(&s, "import gc\n%s\n%s%s%s%s", p->setup, hook, body, tail, "") < 0)
        return NULL;
    return s;
}

/* Read n longs after `tag` in text.  The number read, or -1. */
static long read_longs(const char *text, const char *tag, long *v, long max, long *count)
{
    const char *s = strstr(text, tag);
    if (!s)
        return -1;
    s += strlen(tag);
    long n = 0;
    for (;;) {
        char *end;
        errno = 0;
        long x = strtol(s, &end, 10);
        if (end == s || errno)
            break;
        if (n < max)
            v[n] = x;
        n++;
        s = end;
        if (*s == '\n' || !*s)
            break;
    }
    if (count)
        *count = n;
    return n;
}

static int run_py(const calib_python *py, const calib_program *p, const char *hook, const char *body,
                  const char *tail, int merge_stderr, char **out, char *err, size_t errlen)
{
    char *code = compose(p, hook, body, tail);
    if (!code) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    char what[400];
    snprintf(what, sizeof what, "corpus program %s on Python %s", p->name, py->version);
    int rc = pyrun(py->path, code, what, merge_stderr, out, err, errlen);
    free(code);
    return rc;
}

/* One run with the gc.callbacks hook: out's pauses. */
static int timing_run(const calib_python *py, const calib_program *p, const char *body, calib_result *out,
                      char *err, size_t errlen)
{
    char *text;
    if (run_py(py, p, timing_hook, body, timing_tail, 0, &text, err, errlen) != 0)
        return -1;
    long n = 0;
    read_longs(text, "gclab-pauses ", NULL, 0, &n);
    long *v = n > 0 ? malloc((size_t)n * sizeof *v) : NULL;
    out->pauses = n >= 5 ? malloc((size_t)(n / 5) * sizeof *out->pauses) : NULL;
    if (n >= 5 && (!v || !out->pauses)) {
        free(v);
        free(text);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (n > 0)
        read_longs(text, "gclab-pauses ", v, n, NULL);
    for (long i = 0; i + 5 <= n; i += 5)
        out->pauses[out->npauses++] = (calib_pause){(int)v[i + 3], v[i], v[i + 4], (double)(v[i + 2] - v[i + 1])};
    free(v);
    free(text);
    return 0;
}

static void keep_shortest(calib_result *into, const calib_result *run);

int calib_run_cpython(const calib_python *py, const calib_program *p, calib_result *out, char *err,
                      size_t errlen)
{
    memset(out, 0, sizeof *out);
    char *text;
    /* 1. where the program starts: the setup, then the state.  The program
     * follows, compiled but not run, so that the objects compiling it makes
     * are there too (the counts come from the counting run itself). */
    char *probe_body = NULL;
    if (asprintf(&probe_body, "%sraise SystemExit\n%s%s%s", probe_tail, prologue, p->body, epilogue) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int prc = run_py(py, p, "", probe_body, "", 0, &text, err, errlen);
    free(probe_body);
    if (prc != 0)
        return -1;
    long probe[4];
    if (read_longs(text, "gclab-probe ", probe, 4, NULL) != 4) {
        free(text);
        snprintf(err, errlen, "corpus program %s on Python %s: the start-up probe printed nothing", p->name,
                 py->version);
        return -1;
    }
    free(text);
    snprintf(out->startup, sizeof out->startup, "startup=%ld,%ld,%ld,%ld", probe[0], probe[1], probe[2],
             probe[3]);
    /* 2. the counting run */
    char *body = NULL;
    if (asprintf(&body, "%s%s%s", prologue, p->body, epilogue) < 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = run_py(py, p, "", body, "", 1, &text, err, errlen);
    if (rc == 0) {
        long v[11 + 3 * CALIB_MAX_CHECKPOINTS], n, c0[3];
        read_longs(text, "gclab-calibrate ", v, sizeof v / sizeof v[0], &n);
        if (read_longs(text, "gclab-start ", c0, 3, NULL) == 3) { /* the state where it starts */
            startup_state st = {.objects = probe[0], .counts = {c0[0], c0[1], c0[2]}};
            startup_parse_free_lists(text, &st);
            memcpy(out->startup, "startup=", 8);
            startup_format(&st, out->startup + 8, sizeof out->startup - 8);
        }
        free(text);
        if (n < 11 || n != 11 + 3 * v[10]) {
            snprintf(err, errlen, "corpus program %s on Python %s: it printed no result line", p->name,
                     py->version);
            rc = -1;
        } else {
            for (int g = 0; g < 3; g++) {
                out->collections[g] = v[g];
                out->collected[g] = v[3 + g];
                out->uncollectable[g] = v[6 + g];
            }
            out->final = v[9];
            out->ncheckpoints = (size_t)v[10] > CALIB_MAX_CHECKPOINTS ? CALIB_MAX_CHECKPOINTS : (size_t)v[10];
            for (size_t i = 0; i < out->ncheckpoints; i++)
                for (int g = 0; g < 3; g++)
                    out->checkpoints[i][g] = v[11 + 3 * i + (size_t)g];
        }
    }
    /* 3. the timing runs */
    for (int run = 0; rc == 0 && run < CALIB_TIMING_RUNS; run++) {
        calib_result timed = {0};
        rc = timing_run(py, p, body, run == 0 ? out : &timed, err, errlen);
        if (rc == 0 && run > 0)
            keep_shortest(out, &timed);
        calib_result_free(&timed);
    }
    free(body);
    if (rc != 0)
        calib_result_free(out);
    return rc;
}

/* ------------------------------------------------------------------ */
/* gclab's side */

typedef struct gclab_side {
    calib_result *r;
    gclab_object *ck;
    size_t cap;
    struct timespec t0;
    int oom;
} gclab_side;

static void on_checkpoint(gclab_heap *h, const long counts[3], gclab_object *tuple, void *arg)
{
    gclab_side *s = arg;
    if (s->r->ncheckpoints < CALIB_MAX_CHECKPOINTS)
        memcpy(s->r->checkpoints[s->r->ncheckpoints++], counts, 3 * sizeof *counts);
    gclab_list_append(h, s->ck, tuple); /* _ck.append(...) */
}

static void on_gc(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    gclab_side *s = arg;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (phase == GCLAB_GC_START) {
        s->t0 = t;
        return;
    }
    calib_result *r = s->r;
    if (r->npauses == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        calib_pause *v = realloc(r->pauses, cap * sizeof *v);
        if (!v) {
            s->oom = 1;
            return;
        }
        r->pauses = v;
        s->cap = cap;
    }
    double ns = (double)(t.tv_sec - s->t0.tv_sec) * 1e9 + (double)(t.tv_nsec - s->t0.tv_nsec);
    r->pauses[r->npauses++] = (calib_pause){info->generation, info->examined, info->collected, ns};
}

/* gc.get_stats(): the statistics read, then a list of three dicts built. */
static void get_stats(gclab_heap *h, gclab_frame *f, size_t slot, gclab_gen_stats st[3])
{
    gclab_get_stats(h, st, 3);
    gclab_object *l = gclab_new_list(h);
    for (int g = 0; g < 3; g++) {
        gclab_object *d = gclab_new_dict(h);
        gclab_list_append(h, l, d);
        gclab_decref(h, d);
    }
    gclab_frame_set(h, f, slot, l);
    gclab_decref(h, l);
}

/* The start-up setting that leaves gclab's heap, once it has made its own
 * globals dict (after the start-up state is set), in the interpreter's
 * state `startup` ("startup=N,C0,C1,C2[:dict=D...]"): that dict takes a free
 * dict if the profile keeps them and the state has one (so give one more),
 * else it counts one allocation (so start C0 one lower). */
static void heap_startup(const char *profile, const char *startup, char *buf, size_t len)
{
    long objs, c[3], nd = 0;
    const char *parts = strchr(startup, ':'), *d = strstr(startup, ":dict=");
    if (sscanf(startup, "startup=%ld,%ld,%ld,%ld", &objs, &c[0], &c[1], &c[2]) != 4) {
        snprintf(buf, len, "%s", startup); /* no counts to keep */
        return;
    }
    unsigned long cap = 0;
    for (size_t i = 0; i < GEN_NPROFILES; i++)
        if (strcmp(gclab__profiles[i].name, profile) == 0)
            cap = gclab__profiles[i].dict_fl;
    if (d)
        sscanf(d, ":dict=%ld", &nd);
    int takes_free = nd > 0 && cap > 0;
    if (!takes_free && c[0] > 0)
        c[0]--;
    int n = snprintf(buf, len, "startup=%ld,%ld,%ld,%ld", objs, c[0], c[1], c[2]);
    for (const char *p = parts; p && n >= 0 && (size_t)n < len;) { /* the free lists, dict one more */
        const char *next = strchr(p + 1, ':');
        int plen = next ? (int)(next - p) : (int)strlen(p);
        if (p == d && takes_free)
            n += snprintf(buf + n, len - (size_t)n, ":dict=%ld", nd + 1);
        else
            n += snprintf(buf + n, len - (size_t)n, "%.*s", plen, p);
        p = next;
    }
}

static int run_gclab_once(const char *profile, const char *startup, const calib_program *p, calib_result *out,
                          char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    snprintf(out->startup, sizeof out->startup, "%s", startup);
    trace_program *prog = trace_parse(p->trace_path, p->trace, p->trace_len, err, errlen);
    if (!prog)
        return -1;
    if (trace_replay_ready(prog, err, errlen) != 0) {
        trace_program_free(prog);
        return -1;
    }
    char pset[64], sset[CALIB_STARTUP_LEN];
    snprintf(pset, sizeof pset, "profile=%s", profile);
    heap_startup(profile, startup, sset, sizeof sset);
    const char *params[] = {pset, sset};
    gclab_config cfg = {.params = params, .nparams = 2};
    gclab_heap *h = gclab_heap_new("generational", &cfg, err, errlen);
    if (!h) {
        trace_program_free(prog);
        return -1;
    }
    gclab_side side = {.r = out};
    gclab_callback_add(h, on_gc, &side);
    gclab_frame *f = gclab_frame_push(h, 4);
    gclab_object *zero = gclab_new_int(h, 0); /* _c0 = gc.get_count(): small ints, never allocated */
    gclab_object *c0 = gclab_new_tuple(h, 3, (gclab_object *[]){zero, zero, zero});
    gclab_decref(h, zero);
    gclab_frame_set(h, f, 3, c0);
    gclab_decref(h, c0);
    side.ck = gclab_new_list(h); /* _ck = [] */
    gclab_frame_set(h, f, 0, side.ck);
    gclab_decref(h, side.ck);
    gclab_gen_stats s0[3], s1[3];
    get_stats(h, f, 1, s0); /* _s0 = gc.get_stats() */
    trace_stats st = {.on_checkpoint = on_checkpoint, .arg = &side};
    int rc = trace_replay(h, prog, 1, &st, err, errlen);
    if (rc == 0) {
        get_stats(h, f, 2, s1); /* _s1 = gc.get_stats() */
        out->final = gclab_collect(h, 2); /* _f = gc.collect() */
        for (int g = 0; g < 3; g++) {
            out->collections[g] = s1[g].collections - s0[g].collections;
            out->collected[g] = s1[g].collected - s0[g].collected;
            out->uncollectable[g] = s1[g].uncollectable - s0[g].uncollectable;
        }
    }
    gclab_callback_remove(h, on_gc, &side);
    gclab_frame_pop(h);
    gclab_heap_free(h, NULL);
    trace_program_free(prog);
    if (rc == 0 && side.oom) {
        snprintf(err, errlen, "out of memory recording pauses");
        rc = -1;
    }
    if (rc != 0)
        calib_result_free(out);
    return rc;
}

/* Each pause the shortest of the runs' (collections are matched by their
 * place in the sequence, which is the same in every run): a pause that the
 * machine's other work lengthened is not the collection's cost. */
static void keep_shortest(calib_result *into, const calib_result *run)
{
    size_t n = into->npauses < run->npauses ? into->npauses : run->npauses;
    for (size_t i = 0; i < n; i++)
        if (run->pauses[i].ns < into->pauses[i].ns && run->pauses[i].generation == into->pauses[i].generation)
            into->pauses[i].ns = run->pauses[i].ns;
}

int calib_run_gclab(const char *profile, const char *startup, const calib_program *p, calib_result *out,
                    char *err, size_t errlen)
{
    if (run_gclab_once(profile, startup, p, out, err, errlen) != 0)
        return -1;
    for (int i = 1; i < CALIB_TIMING_RUNS; i++) {
        calib_result again;
        if (run_gclab_once(profile, startup, p, &again, err, errlen) != 0) {
            calib_result_free(out);
            return -1;
        }
        keep_shortest(out, &again);
        calib_result_free(&again);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The fit */

calib_fit calib_fit_pauses(const calib_pause *const *sets, const size_t *counts, size_t nsets)
{
    calib_fit fit = {0, 0, 0, 0, NAN, 0};
    double se = 0, sc = 0, sy = 0;
    for (size_t k = 0; k < nsets; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            se += (double)sets[k][i].examined;
            sc += (double)sets[k][i].collected;
            sy += sets[k][i].ns;
            fit.n++;
        }
    if (fit.n < 3)
        return fit;
    double n = (double)fit.n, me = se / n, mc = sc / n, my = sy / n;
    /* centred normal equations for b and c; a from the means */
    double see = 0, scc = 0, sec = 0, sey = 0, scy = 0, syy = 0;
    for (size_t k = 0; k < nsets; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            double e = (double)sets[k][i].examined - me, c = (double)sets[k][i].collected - mc,
                   y = sets[k][i].ns - my;
            see += e * e, scc += c * c, sec += e * c, sey += e * y, scy += c * y, syy += y * y;
        }
    double det = see * scc - sec * sec;
    if (!(fabs(det) > 1e-12 * (see * scc + 1e-300))) { /* collinear: fit examined alone */
        if (see <= 0)
            return fit;
        fit.b = sey / see;
        fit.c = 0;
    } else {
        fit.b = (sey * scc - scy * sec) / det;
        fit.c = (scy * see - sey * sec) / det;
    }
    fit.a = my - fit.b * me - fit.c * mc;
    double ssres = 0;
    for (size_t k = 0; k < nsets; k++)
        for (size_t i = 0; i < counts[k]; i++) {
            double r = sets[k][i].ns - (fit.a + fit.b * (double)sets[k][i].examined + fit.c * (double)sets[k][i].collected);
            ssres += r * r;
        }
    fit.r2 = syy > 0 ? 1 - ssres / syy : NAN;
    fit.ok = 1;
    return fit;
}

int calib_within(const char *kind, long gclab, long cpython)
{
    long diff = gclab > cpython ? gclab - cpython : cpython - gclab;
    double rel = 0.02 * (double)(cpython < 0 ? -cpython : cpython);
    if (strcmp(kind, "gen2") == 0)
        return (double)diff <= (rel > 1 ? rel : 1);
    if (strcmp(kind, "gen0") == 0 || strcmp(kind, "gen1") == 0)
        return (double)diff <= rel;
    return diff == 0;
}
