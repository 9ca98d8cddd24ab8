/*
 * workloads/web.c -- `web`: a Django-like request loop over a large,
 * long-lived application.
 *
 * Stresses: what a web worker's collector sees.  At start the workload
 * builds about `live_mb` MB of application state that lives until exit
 * (modules with their namespaces, functions with code and defaults,
 * classes with methods and fields, ORM models, URL routes, settings, users,
 * templates), all in globals.  Then it serves `requests` requests; each
 * builds a graph of short-lived objects (the request with its headers, GET
 * and session dicts and body; the ORM rows of a query with their state,
 * field dicts and related managers; the rendered fragments; the response),
 * reads and references the long-lived state (the route, the model class,
 * the user, the settings, a template) and is dropped when the request ends.
 * A fraction `cyclic_fraction` of the rows is in a row <-> related-manager
 * cycle, and the same fraction of requests in a request <-> response
 * cycle: that garbage only a collector frees.  Each request is timed from
 * its start to the moment its objects are released (collections it
 * triggers included), and announced with gclab_event("request_end")
 * afterwards, so that a collector collecting between requests is not seen
 * in the latency; optionally an "idle" event every `idle_every` requests.
 *
 * Not: a web server (no I/O, no threads, no concurrency between requests);
 * the application state is built acyclic (a real one is full of cycles,
 * module <-> function globals, but it lives until exit, and cycles there
 * would only make the exit collection find them), so the only cyclic
 * garbage is the requests'.
 *
 * Models: Instagram's Django/uWSGI workers (cpython-gc.md, "Instagram and
 * copy-on-write"): a large long-lived heap that every full collection walks
 * while requests churn small graphs; and the p99/max request latency
 * questions of the 3.14 incremental-collector reports (pauses on large
 * heaps).
 */
#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { P_LIVE_MB, P_REQUESTS, P_CYCLIC, P_ROWS, P_BODY, P_IDLE, NPARAMS };
static const gclab_param params[] = {
    [P_LIVE_MB] = {"live_mb", GCLAB_PARAM_INT, "50", "MB", 0, 65536, NULL,
                   "long-lived application state built at start (in gclab's own object sizes, under every profile)"},
    [P_REQUESTS] = {"requests", GCLAB_PARAM_INT, "50000", "requests", 1, 1e10, NULL,
                    "how many requests to serve"},
    [P_CYCLIC] = {"cyclic_fraction", GCLAB_PARAM_DOUBLE, "0.3", "", 0, 1, NULL,
                  "fraction of ORM rows (row <-> manager) and of requests (request <-> response) in cycles"},
    [P_ROWS] = {"rows", GCLAB_PARAM_INT, "20", "rows", 0, 100000, NULL,
                "mean ORM rows per request (uniform in rows/2 .. rows/2 + rows)"},
    [P_BODY] = {"body_bytes", GCLAB_PARAM_INT, "400", "bytes", 32, 1 << 20, NULL,
                "size of a POST body (a GET's is an eighth); rendered fragments are up to half of it"},
    [P_IDLE] = {"idle_every", GCLAB_PARAM_INT, "0", "requests", 0, 1e10, NULL,
                "announce an \"idle\" event after every k requests (0: never)"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

/* ------------------------------------------------------------------ */
/* Randomness and small helpers */

static uint64_t below(uint64_t *rng, uint64_t n) { return n ? splitmix64(rng) % n : 0; }
static uint64_t between(uint64_t *rng, uint64_t lo, uint64_t hi) { return lo + below(rng, hi - lo + 1); }
static int chance(uint64_t *rng, double p) { return (double)(splitmix64(rng) >> 11) * 0x1.0p-53 < p; }

#define MAX_STR 4096

/* A str of `len` random lowercase letters (len capped at MAX_STR). */
static gclab_object *rand_str(gclab_heap *h, uint64_t *rng, size_t len)
{
    char buf[MAX_STR];
    if (len > MAX_STR)
        len = MAX_STR;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t v = splitmix64(rng);
        for (size_t j = i; j < len && j < i + 8; j++, v >>= 8)
            buf[j] = (char)('a' + (v & 0xff) % 26);
    }
    return gclab_new_str(h, buf, len);
}

static gclab_object *cstr(gclab_heap *h, const char *s) { return gclab_new_str(h, s, strlen(s)); }

/* Store and drop our reference: the container now owns `v`. */
static void setattr_steal(gclab_heap *h, gclab_object *inst, size_t i, gclab_object *v)
{
    gclab_setattr(h, inst, i, v);
    gclab_decref(h, v);
}
static void setitem_steal(gclab_heap *h, gclab_object *d, gclab_object *k, gclab_object *v)
{
    gclab_dict_setitem(h, d, k, v);
    gclab_decref(h, v);
}
static void append_steal(gclab_heap *h, gclab_object *l, gclab_object *v)
{
    gclab_list_append(h, l, v);
    gclab_decref(h, v);
}
/* A new container put in frame slot i; returns it borrowed. */
static gclab_object *in_slot(gclab_heap *h, gclab_frame *f, size_t i, gclab_object *o)
{
    gclab_frame_set(h, f, i, o);
    gclab_decref(h, o);
    return o;
}

/* A random int or short str, as a field or constant value. */
static gclab_object *rand_value(gclab_heap *h, uint64_t *rng)
{
    return below(rng, 2) ? gclab_new_int(h, (int64_t)below(rng, 1000000))
                         : rand_str(h, rng, (size_t)between(rng, 8, 80));
}

/* ------------------------------------------------------------------ */
/* Interned names: str atoms made once and shared, as Python interns
 * identifiers and literal strings. */

static const char *const names[] = {
    /* request headers */
    "Host", "User-Agent", "Accept", "Accept-Encoding", "Accept-Language", "Connection", "Cookie",
    "Referer", "Cache-Control", "X-Forwarded-For", "X-Request-Id", "Authorization", "Origin",
    "Upgrade-Insecure-Requests", "Sec-Fetch-Mode", "Sec-Fetch-Site",
    /* response headers */
    "Content-Type", "Content-Length", "Vary", "X-Frame-Options", "Set-Cookie", "Cache-Control",
    /* session keys */
    "_auth_user_id", "_auth_user_backend", "_session_expiry",
    /* context keys */
    "object_list", "request", "view", "settings", "template", "user",
    /* misc */
    "GET", "POST", "default",
};
enum {
    N_REQ_HEADERS = 0, NREQ_HEADERS = 16,
    N_RESP_HEADERS = 16, NRESP_HEADERS = 6,
    N_SESSION = 22, NSESSION = 3,
    N_OBJECT_LIST = 25, N_REQUEST, N_VIEW, N_SETTINGS, N_TEMPLATE, N_USER,
    N_GET, N_POST, N_DEFAULT,
    NNAMES
};
_Static_assert(sizeof names / sizeof names[0] == NNAMES, "names and their indexes agree");

/* ------------------------------------------------------------------ */
/* The application: built once, kept in globals; the C arrays are
 * borrowed pointers into it. */

enum { FN_NAME, FN_QUALNAME, FN_CODE, FN_DEFAULTS, FN_DOC, FN_ANNOTATIONS, FN_CLOSURE, FN_NATTRS };
enum { CL_NAME, CL_METHODS, CL_FIELDS, CL_BASES, CL_DOC, CL_META, CL_NATTRS };
enum { MOD_NAME, MOD_DICT, MOD_DOC, MOD_FILE, MOD_REGISTRY, MOD_NATTRS };
enum { REC_NAME, REC_ID, REC_FLAGS, REC_OWNER, REC_NATTRS };
enum { US_NAME, US_EMAIL, US_PERMS, US_PROFILE, US_NATTRS };
enum { RT_PATTERN, RT_VIEW, RT_MODEL, RT_LEN };

typedef struct ptrs {
    gclab_object **v;
    size_t n, cap;
} ptrs;

static void ptrs_add(ptrs *p, gclab_object *o)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        gclab_object **v = realloc(p->v, p->cap * sizeof *v);
        if (!v) {
            fprintf(stderr, "gclab: web: out of memory\n");
            abort();
        }
        p->v = v;
    }
    p->v[p->n++] = o;
}

typedef struct app {
    gclab_object *names[NNAMES];
    gclab_object *base_classes[3];
    gclab_object *settings;
    ptrs routes, users, templates; /* routes hold their view and model */
} app;

static gclab_object *global(gclab_heap *h, const char *name, gclab_object *value)
{
    gclab_object *k = cstr(h, name);
    gclab_dict_setitem(h, gclab_globals(h), k, value);
    gclab_decref(h, k);
    gclab_decref(h, value);
    return value; /* borrowed: globals hold it */
}

/* A tuple of n new atoms made by make(). */
static gclab_object *atom_tuple(gclab_heap *h, uint64_t *rng, size_t n,
                                gclab_object *(*make)(gclab_heap *, uint64_t *))
{
    gclab_object *items[8] = {0};
    if (n > 8)
        n = 8;
    for (size_t i = 0; i < n; i++)
        items[i] = make(h, rng);
    gclab_object *t = gclab_new_tuple(h, n, items);
    for (size_t i = 0; i < n; i++)
        gclab_decref(h, items[i]);
    return t;
}

static gclab_object *rand_name(gclab_heap *h, uint64_t *rng)
{
    return rand_str(h, rng, (size_t)between(rng, 3, 20));
}

/* A function: its code is a tuple of atoms and tuples of atoms, which the
 * collector untracks (CPython's code objects are not tracked at all);
 * some functions are closures, with cells. */
static gclab_object *make_function(gclab_heap *h, uint64_t *rng, gclab_object *name)
{
    gclab_object *fn = gclab_new_instance(h, FN_NATTRS);
    gclab_setattr(h, fn, FN_NAME, name);
    setattr_steal(h, fn, FN_QUALNAME, rand_str(h, rng, (size_t)between(rng, 12, 48)));
    gclab_object *code[3] = {gclab_new_bytes(h, NULL, (size_t)between(rng, 40, 600)),
                             atom_tuple(h, rng, (size_t)below(rng, 5), rand_value),
                             atom_tuple(h, rng, (size_t)below(rng, 7), rand_name)};
    setattr_steal(h, fn, FN_CODE, gclab_new_tuple(h, 3, code));
    for (int i = 0; i < 3; i++)
        gclab_decref(h, code[i]);
    setattr_steal(h, fn, FN_DEFAULTS, atom_tuple(h, rng, (size_t)below(rng, 4), rand_value));
    if (below(rng, 2))
        setattr_steal(h, fn, FN_DOC, rand_str(h, rng, (size_t)between(rng, 40, 300)));
    gclab_object *ann = gclab_new_dict(h);
    for (uint64_t i = below(rng, 4); i > 0; i--) {
        gclab_object *k = rand_name(h, rng);
        setitem_steal(h, ann, k, rand_str(h, rng, (size_t)between(rng, 3, 20)));
        gclab_decref(h, k);
    }
    setattr_steal(h, fn, FN_ANNOTATIONS, ann);
    if (below(rng, 10) < 3) {
        gclab_object *cells[3];
        size_t n = (size_t)between(rng, 1, 3);
        for (size_t i = 0; i < n; i++) {
            cells[i] = gclab_new_instance(h, 1);
            setattr_steal(h, cells[i], 0, rand_value(h, rng));
        }
        setattr_steal(h, fn, FN_CLOSURE, gclab_new_tuple(h, n, cells));
        for (size_t i = 0; i < n; i++)
            gclab_decref(h, cells[i]);
    }
    return fn;
}

static gclab_object *make_class(gclab_heap *h, uint64_t *rng, app *a, gclab_object *name)
{
    gclab_object *cls = gclab_new_instance(h, CL_NATTRS);
    gclab_setattr(h, cls, CL_NAME, name);
    gclab_object *methods = gclab_new_dict(h);
    for (uint64_t i = between(rng, 3, 12); i > 0; i--) {
        gclab_object *k = rand_str(h, rng, (size_t)between(rng, 4, 20));
        setitem_steal(h, methods, k, make_function(h, rng, k));
        gclab_decref(h, k);
    }
    setattr_steal(h, cls, CL_METHODS, methods);
    gclab_object *fields = gclab_new_list(h);
    for (uint64_t i = between(rng, 4, 10); i > 0; i--)
        append_steal(h, fields, rand_str(h, rng, (size_t)between(rng, 2, 16)));
    setattr_steal(h, cls, CL_FIELDS, fields);
    if (a->base_classes[2]) { /* the fixed bases, never each other: no chains */
        gclab_object *bases[2] = {a->base_classes[below(rng, 3)], a->base_classes[0]};
        setattr_steal(h, cls, CL_BASES, gclab_new_tuple(h, 1 + below(rng, 2), bases));
    }
    setattr_steal(h, cls, CL_DOC, rand_str(h, rng, (size_t)between(rng, 40, 600)));
    gclab_object *meta = gclab_new_dict(h), *k = cstr(h, "db_table"), *ordering = gclab_new_list(h);
    setitem_steal(h, meta, k, rand_str(h, rng, (size_t)between(rng, 8, 30)));
    gclab_decref(h, k);
    append_steal(h, ordering, rand_str(h, rng, 6));
    k = cstr(h, "ordering");
    setitem_steal(h, meta, k, ordering);
    gclab_decref(h, k);
    setattr_steal(h, cls, CL_META, meta);
    return cls;
}

/* One module: a namespace of functions, classes and constants; some of
 * its classes are ORM models with URL routes to one of its functions. */
static void make_module(gclab_heap *h, uint64_t *rng, app *a, gclab_object *sys_modules,
                        gclab_object *urlpatterns)
{
    gclab_object *mod = gclab_new_instance(h, MOD_NATTRS), *ns = gclab_new_dict(h);
    gclab_object *name = rand_str(h, rng, (size_t)between(rng, 8, 32));
    gclab_setattr(h, mod, MOD_NAME, name);
    gclab_setattr(h, mod, MOD_DICT, ns);
    setattr_steal(h, mod, MOD_DOC, rand_str(h, rng, (size_t)between(rng, 100, 1200)));
    setattr_steal(h, mod, MOD_FILE, rand_str(h, rng, (size_t)between(rng, 30, 90)));
    gclab_object *view = NULL;
    for (uint64_t i = between(rng, 8, 28); i > 0; i--) {
        gclab_object *k = rand_str(h, rng, (size_t)between(rng, 4, 24));
        gclab_xdecref(h, view);
        view = make_function(h, rng, k); /* ours too: a later name may replace it in ns */
        gclab_dict_setitem(h, ns, k, view);
        gclab_decref(h, k);
    }
    for (uint64_t i = between(rng, 1, 5); i > 0; i--) {
        gclab_object *k = rand_str(h, rng, (size_t)between(rng, 4, 24));
        gclab_object *cls = make_class(h, rng, a, k);
        setitem_steal(h, ns, k, cls);
        gclab_decref(h, k);
        if (below(rng, 3) == 0) { /* an ORM model, with routes to a view */
            for (uint64_t r = between(rng, 1, 3); r > 0; r--) {
                gclab_object *pattern = rand_str(h, rng, (size_t)between(rng, 10, 60));
                gclab_object *items[RT_LEN] = {pattern, view, cls};
                gclab_object *route = gclab_new_tuple(h, RT_LEN, items);
                gclab_decref(h, pattern);
                ptrs_add(&a->routes, route);
                append_steal(h, urlpatterns, route);
            }
        }
    }
    for (uint64_t i = between(rng, 2, 10); i > 0; i--) {
        gclab_object *k = rand_str(h, rng, (size_t)between(rng, 4, 24));
        setitem_steal(h, ns, k, rand_value(h, rng));
        gclab_decref(h, k);
    }
    /* module-level data: a registry of small records (choices, signal
     * receivers, translation entries...), the bulk of a real app's tracked
     * objects */
    gclab_object *registry = gclab_new_list(h);
    for (uint64_t i = between(rng, 10, 80); i > 0; i--) {
        gclab_object *rec = gclab_new_instance(h, REC_NATTRS), *flags = gclab_new_list(h);
        setattr_steal(h, rec, REC_NAME, rand_str(h, rng, (size_t)between(rng, 6, 40)));
        setattr_steal(h, rec, REC_ID, gclab_new_int(h, (int64_t)below(rng, 1u << 20)));
        for (uint64_t j = below(rng, 4); j > 0; j--)
            append_steal(h, flags, gclab_new_int(h, (int64_t)below(rng, 64)));
        setattr_steal(h, rec, REC_FLAGS, flags);
        gclab_setattr(h, rec, REC_OWNER, view);
        append_steal(h, registry, rec);
    }
    setattr_steal(h, mod, MOD_REGISTRY, registry);
    gclab_decref(h, view);
    gclab_decref(h, ns);
    setitem_steal(h, sys_modules, name, mod);
    gclab_decref(h, name);
}

#define WEB_OWN_BYTES_PER_ALLOCATION 74

static void build_app(gclab_heap *h, uint64_t *rng, app *a, size_t live_bytes)
{
    gclab_object *interned = global(h, "interned", gclab_new_list(h));
    for (int i = 0; i < NNAMES; i++) {
        a->names[i] = cstr(h, names[i]);
        append_steal(h, interned, a->names[i]);
    }
    gclab_object *sys_modules = global(h, "sys.modules", gclab_new_dict(h));
    gclab_object *urlpatterns = global(h, "urlpatterns", gclab_new_list(h));
    gclab_object *bases = global(h, "bases", gclab_new_list(h));
    static const char *const base_names[3] = {"object", "Model", "TimeStampedModel"};
    for (int i = 0; i < 3; i++) {
        gclab_object *k = cstr(h, base_names[i]);
        a->base_classes[i] = make_class(h, rng, a, k);
        append_steal(h, bases, a->base_classes[i]);
        gclab_decref(h, k);
    }

    /* settings: a dict of str, int, lists and nested dicts */
    a->settings = global(h, "settings", gclab_new_dict(h));
    for (int i = 0; i < 150; i++) {
        gclab_object *k = rand_str(h, rng, (size_t)between(rng, 6, 30)), *v;
        switch (below(rng, 4)) {
        case 0:
            v = gclab_new_list(h);
            for (uint64_t j = between(rng, 1, 12); j > 0; j--)
                append_steal(h, v, rand_str(h, rng, (size_t)between(rng, 8, 60)));
            break;
        case 1:
            v = gclab_new_dict(h);
            for (uint64_t j = between(rng, 1, 8); j > 0; j--) {
                gclab_object *kk = rand_str(h, rng, (size_t)between(rng, 4, 16));
                setitem_steal(h, v, kk, below(rng, 2) ? gclab_new_list(h) : rand_value(h, rng));
                gclab_decref(h, kk);
            }
            break;
        default:
            v = rand_value(h, rng);
        }
        setitem_steal(h, a->settings, k, v);
        gclab_decref(h, k);
    }

    gclab_object *templates = global(h, "templates", gclab_new_list(h));
    for (int i = 0; i < 100; i++) {
        gclab_object *t = rand_str(h, rng, (size_t)between(rng, 1000, 4000));
        ptrs_add(&a->templates, t);
        append_steal(h, templates, t);
    }

    gclab_object *users = global(h, "users", gclab_new_list(h));
    for (int i = 0; i < 500; i++) {
        gclab_object *u = gclab_new_instance(h, US_NATTRS), *perms = gclab_new_list(h);
        gclab_object *profile = gclab_new_dict(h);
        setattr_steal(h, u, US_NAME, rand_str(h, rng, (size_t)between(rng, 4, 20)));
        setattr_steal(h, u, US_EMAIL, rand_str(h, rng, (size_t)between(rng, 12, 40)));
        for (uint64_t j = between(rng, 3, 10); j > 0; j--)
            append_steal(h, perms, rand_str(h, rng, (size_t)between(rng, 10, 30)));
        for (uint64_t j = between(rng, 2, 6); j > 0; j--) {
            gclab_object *k = rand_str(h, rng, (size_t)between(rng, 4, 12));
            setitem_steal(h, profile, k, rand_value(h, rng));
            gclab_decref(h, k);
        }
        setattr_steal(h, u, US_PERMS, perms);
        setattr_steal(h, u, US_PROFILE, profile);
        ptrs_add(&a->users, u);
        append_steal(h, users, u);
    }

    /* modules until the heap holds live_bytes, and at least a few routes */
    /* Sized by allocations, at the 74 bytes each takes on average in
     * gclab's own sizes (measured: 52.5 MB in 711,074 allocations for
     * live_mb=50 under a collector without a profile), not by the live bytes
     * a profile counts: every run builds the same heap, whatever the
     * collector and profile. */
    gclab_heap_stats st;
    gclab_heap_get_stats(h, &st);
    while (st.allocations * WEB_OWN_BYTES_PER_ALLOCATION < live_bytes || a->routes.n < 8) {
        make_module(h, rng, a, sys_modules, urlpatterns);
        gclab_heap_get_stats(h, &st);
    }
}

/* ------------------------------------------------------------------ */
/* One request */

enum { RQ_METHOD, RQ_PATH, RQ_HEADERS, RQ_GET, RQ_BODY, RQ_USER, RQ_SESSION, RQ_ROUTE, RQ_RESPONSE,
       RQ_NATTRS };
enum { RS_STATUS, RS_HEADERS, RS_CONTENT, RS_REQUEST, RS_NATTRS };
enum { ROW_MODEL, ROW_STATE, ROW_PK, ROW_DICT, ROW_MANAGER, ROW_NATTRS };
enum { STATE_DB, STATE_ADDING, STATE_NATTRS };
enum { MGR_MODEL, MGR_INSTANCE, MGR_NATTRS };
/* The request's frame: its locals. */
enum { S_REQUEST, S_ROWS, S_CONTEXT, S_FRAGMENTS, S_RESPONSE, NSLOTS };

static gclab_object *header_dict(gclab_heap *h, uint64_t *rng, const app *a, int first, int n)
{
    gclab_object *d = gclab_new_dict(h);
    for (int i = 0; i < n; i++)
        setitem_steal(h, d, a->names[first + i], rand_str(h, rng, (size_t)between(rng, 8, 64)));
    return d;
}

static void serve(gclab_heap *h, uint64_t *rng, const app *a, long long nrows_mean, size_t body,
                  double cyclic)
{
    gclab_frame *f = gclab_frame_push(h, NSLOTS);

    /* The request, as the handler makes it. */
    gclab_object *req = in_slot(h, f, S_REQUEST, gclab_new_instance(h, RQ_NATTRS));
    int post = below(rng, 5) == 0;
    gclab_setattr(h, req, RQ_METHOD, a->names[post ? N_POST : N_GET]);
    setattr_steal(h, req, RQ_PATH, rand_str(h, rng, (size_t)between(rng, 12, 80)));
    setattr_steal(h, req, RQ_HEADERS,
                  header_dict(h, rng, a, N_REQ_HEADERS, (int)between(rng, 6, NREQ_HEADERS)));
    gclab_object *get = gclab_new_dict(h);
    for (uint64_t i = below(rng, 5); i > 0; i--) {
        gclab_object *k = rand_str(h, rng, (size_t)between(rng, 2, 10));
        setitem_steal(h, get, k, rand_str(h, rng, (size_t)between(rng, 1, 30)));
        gclab_decref(h, k);
    }
    setattr_steal(h, req, RQ_GET, get);
    setattr_steal(h, req, RQ_BODY, gclab_new_bytes(h, NULL, post ? body : body / 8));
    gclab_object *user = a->users.v[below(rng, a->users.n)];
    gclab_setattr(h, req, RQ_USER, user);
    gclab_object *session = gclab_new_dict(h);
    setitem_steal(h, session, a->names[N_SESSION], gclab_new_int(h, (int64_t)below(rng, 100000)));
    setitem_steal(h, session, a->names[N_SESSION + 1], rand_str(h, rng, 40));
    setitem_steal(h, session, a->names[N_SESSION + 2], gclab_new_int(h, 1209600));
    setattr_steal(h, req, RQ_SESSION, session);

    /* URL resolution: a long-lived route, its view and its model. */
    gclab_object *route = a->routes.v[below(rng, a->routes.n)];
    gclab_setattr(h, req, RQ_ROUTE, route);
    gclab_object *view = gclab_tuple_get(route, RT_VIEW), *model = gclab_tuple_get(route, RT_MODEL);
    gclab_object *fields = gclab_getattr(model, CL_FIELDS);
    size_t nfields = gclab_list_len(fields);
    (void)gclab_atom_data(gclab_tuple_get(gclab_getattr(view, FN_CODE), 0)); /* "run" the view */

    /* The query: ORM rows, some in a cycle with their related manager. */
    gclab_object *rows = in_slot(h, f, S_ROWS, gclab_new_list(h));
    uint64_t nrows = (uint64_t)(nrows_mean / 2) + below(rng, (uint64_t)nrows_mean + 1);
    for (uint64_t r = 0; r < nrows; r++) {
        gclab_object *row = gclab_new_instance(h, ROW_NATTRS);
        gclab_setattr(h, row, ROW_MODEL, model);
        gclab_object *state = gclab_new_instance(h, STATE_NATTRS);
        gclab_setattr(h, state, STATE_DB, a->names[N_DEFAULT]);
        setattr_steal(h, state, STATE_ADDING, gclab_new_int(h, 0));
        setattr_steal(h, row, ROW_STATE, state);
        setattr_steal(h, row, ROW_PK, gclab_new_int(h, (int64_t)below(rng, 1u << 30)));
        gclab_object *d = gclab_new_dict(h);
        for (size_t i = 0; i < nfields; i++)
            setitem_steal(h, d, gclab_list_get(fields, i), rand_value(h, rng));
        setattr_steal(h, row, ROW_DICT, d);
        gclab_object *mgr = gclab_new_instance(h, MGR_NATTRS);
        gclab_setattr(h, mgr, MGR_MODEL, model);
        if (chance(rng, cyclic))
            gclab_setattr(h, mgr, MGR_INSTANCE, row); /* row <-> manager */
        setattr_steal(h, row, ROW_MANAGER, mgr);
        append_steal(h, rows, row);
    }

    /* The template context, and rendering: one fragment per row, joined. */
    gclab_object *context = in_slot(h, f, S_CONTEXT, gclab_new_dict(h));
    gclab_dict_setitem(h, context, a->names[N_OBJECT_LIST], rows);
    gclab_dict_setitem(h, context, a->names[N_REQUEST], req);
    gclab_dict_setitem(h, context, a->names[N_VIEW], view);
    gclab_dict_setitem(h, context, a->names[N_SETTINGS], a->settings);
    gclab_dict_setitem(h, context, a->names[N_USER], user);
    gclab_object *template = a->templates.v[below(rng, a->templates.n)];
    gclab_dict_setitem(h, context, a->names[N_TEMPLATE], template);
    gclab_object *fragments = in_slot(h, f, S_FRAGMENTS, gclab_new_list(h));
    size_t total = gclab_atom_size(template) / 4;
    for (uint64_t r = 0; r < nrows; r++) {
        gclab_object *row = gclab_list_get(rows, (size_t)r);
        if (nfields)
            (void)gclab_dict_getitem(gclab_getattr(row, ROW_DICT), gclab_list_get(fields, 0));
        gclab_object *frag = rand_str(h, rng, (size_t)between(rng, 16, body / 2));
        total += gclab_atom_size(frag);
        append_steal(h, fragments, frag);
    }

    /* The response. */
    gclab_object *resp = in_slot(h, f, S_RESPONSE, gclab_new_instance(h, RS_NATTRS));
    setattr_steal(h, resp, RS_STATUS, gclab_new_int(h, 200));
    setattr_steal(h, resp, RS_HEADERS, header_dict(h, rng, a, N_RESP_HEADERS, NRESP_HEADERS));
    setattr_steal(h, resp, RS_CONTENT, gclab_new_bytes(h, NULL, total));
    gclab_setattr(h, resp, RS_REQUEST, req);
    if (chance(rng, cyclic))
        gclab_setattr(h, req, RQ_RESPONSE, resp); /* request <-> response */

    gclab_frame_pop(h); /* the handler returns: everything acyclic is freed here */
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    (void)err, (void)errlen;
    uint64_t rng = seed;
    app a;
    memset(&a, 0, sizeof a);
    build_app(h, &rng, &a, (size_t)p[P_LIVE_MB].i << 20);
    gclab_event(h, "warmup_end"); /* the app is loaded: where a server would freeze or fork */

    const long long requests = p[P_REQUESTS].i, idle = p[P_IDLE].i;
    for (long long i = 1; i <= requests; i++) {
        uint64_t t0 = workload_now_ns();
        serve(h, &rng, &a, p[P_ROWS].i, (size_t)p[P_BODY].i, p[P_CYCLIC].d);
        workload_latency(ctx, workload_now_ns() - t0);
        ctx->ops++;
        gclab_event(h, "request_end");
        if (idle && i % idle == 0)
            gclab_event(h, "idle");
    }

    /* The application lives in globals, which the harness drops. */
    free(a.routes.v);
    free(a.users.v);
    free(a.templates.v);
    return 0;
}

const workload workload_web = {
    .name = "web",
    .description = "Django-like requests: a large long-lived app, per-request graphs, some cyclic",
    .op = "request",
    .smoke = "live_mb=1 requests=200",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
