/*
 * workloads/prefork.c -- `prefork`: a pre-fork server, as uWSGI or
 * gunicorn run Django.
 *
 * Stresses: memory shared between the parent and its forked workers.  The
 * parent builds a large application heap (`live_mb`), announces warmup_end
 * and prefork (a collector with freeze=... freezes there), and forks
 * `workers` processes.  Each serves `requests` requests that read `touch`
 * objects of the shared heap -- taking and dropping a reference, as
 * CPython's refcounting does, which writes the object's page -- and
 * allocate `request_objects` objects of their own, some in cycles.  Pages
 * a worker writes are copied: refcount writes copy some, a collection that
 * walks the shared heap (its GC headers) copies nearly all.  The harness
 * samples every worker's smaps_rollup while it runs (workers.csv):
 * shared bytes at the start and at the end, what was copied, the sum of
 * Pss.
 *
 * Workers send their request count and latencies back through a pipe, and
 * wait until the parent has sampled their memory once more before they
 * exit -- with _exit, as a worker process would, without an exit
 * collection.  A worker has no threads: a collector's timer does not run in
 * it.  The parent's collections are in pauses.csv; the workers' show in
 * their request latency.
 *
 * Not: a server with sockets or a real application; nothing is shared
 * between workers but the parent's heap.
 *
 * Models: Instagram's report (cpython-gc.md): a worker's shared memory fell
 * from ~250 MB to ~140 MB within seconds under the default collector,
 * stayed with gc.set_threshold(0), and gc.freeze() before fork keeps the
 * collector off the shared pages.
 */
#define _POSIX_C_SOURCE 200809L

#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum { P_LIVE_MB, P_WORKERS, P_REQUESTS, P_TOUCH, P_OBJECTS, NPARAMS };
static const gclab_param params[] = {
    [P_LIVE_MB] = {"live_mb", GCLAB_PARAM_INT, "200", "MB", 1, 65536, NULL,
                   "the application heap the parent builds (in gclab's own object sizes, under every profile)"},
    [P_WORKERS] = {"workers", GCLAB_PARAM_INT, "2", "processes", 1, 64, NULL, "worker processes forked"},
    [P_REQUESTS] = {"requests", GCLAB_PARAM_INT, "2000", "requests", 0, 1e9, NULL,
                    "requests each worker serves"},
    [P_TOUCH] = {"touch", GCLAB_PARAM_INT, "2000", "objects", 0, 1e9, NULL,
                 "shared objects each request reads (a reference taken and dropped)"},
    [P_OBJECTS] = {"request_objects", GCLAB_PARAM_INT, "50", "objects", 2, 1e6, NULL,
                   "objects each request allocates, a pair of them in a cycle"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

/* The application: records of an instance, its dict of fields and a
 * name, kept in one list in globals.  About 558 bytes each. */
#define PREFORK_RECORD_BYTES 558
static gclab_object *build_app(gclab_heap *h, size_t bytes)
{
    gclab_object *app = gclab_new_list(h);
    gclab_object *name = gclab_new_str(h, "app", 3);
    gclab_dict_setitem(h, gclab_globals(h), name, app);
    gclab_decref(h, name);
    gclab_decref(h, app); /* globals hold it */
    char text[160];
    memset(text, 'x', sizeof text);
    /* as many records as fill `bytes` in gclab's own sizes (about 558 bytes
     * each, measured under a collector without a profile), whatever the
     * collector and profile count: every run builds the same heap */
    const long nrec = (long)((bytes + PREFORK_RECORD_BYTES - 1) / PREFORK_RECORD_BYTES);
    for (long i = 0; i < nrec; i++) {
        gclab_object *rec = gclab_new_instance(h, 3), *fields = gclab_new_dict(h);
        gclab_object *k1 = gclab_new_str(h, "id", 2), *v1 = gclab_new_int(h, i);
        gclab_object *k2 = gclab_new_str(h, "title", 5), *v2 = gclab_new_str(h, text, 40 + (size_t)(i % 120));
        gclab_dict_setitem(h, fields, k1, v1);
        gclab_dict_setitem(h, fields, k2, v2);
        gclab_setattr(h, rec, 0, fields);
        gclab_setattr(h, rec, 1, v2);
        gclab_list_append(h, app, rec);
        gclab_object *objs[] = {rec, fields, k1, v1, k2, v2};
        for (int j = 0; j < 6; j++)
            gclab_decref(h, objs[j]);
    }
    return app;
}

/* Read the shared heap as Python code does -- record.fields["id"] -- each
 * object held by a new reference while it is used, so its refcount is
 * written (and its page copied) unless it is immortal.  The lookups between
 * incref and decref matter: with nothing between them a compiler may drop
 * the pair, and the read would write nothing. */
static int64_t read_records(gclab_heap *h, gclab_object *app, gclab_object *id_key, uint64_t *rng,
                            long long touch)
{
    size_t n = gclab_list_len(app);
    int64_t sum = 0;
    for (long long i = 0; n && i < touch; i++) {
        gclab_object *rec = gclab_incref(gclab_list_get(app, splitmix64(rng) % n));
        gclab_object *fields = gclab_incref(gclab_getattr(rec, 0));
        gclab_object *id = gclab_dict_getitem(fields, id_key);
        if (id) {
            gclab_incref(id);
            sum += gclab_int_value(id);
            gclab_decref(h, id);
        }
        gclab_decref(h, fields);
        gclab_decref(h, rec);
    }
    return sum;
}

static void serve(gclab_heap *h, gclab_object *app, gclab_object *id_key, uint64_t *rng, long long touch,
                  long long nobjs)
{
    if (read_records(h, app, id_key, rng, touch) < 0)
        return; /* ids are never negative: the sum is used, the reads happen */
    gclab_object *request = gclab_new_instance(h, 2), *response = gclab_new_instance(h, 2);
    gclab_setattr(h, request, 0, response); /* request <-> response: a cycle */
    gclab_setattr(h, response, 0, request);
    gclab_object *body = gclab_new_list(h);
    for (long long i = 2; i < nobjs; i++) {
        gclab_object *o = (i & 1) ? gclab_new_dict(h) : gclab_new_int(h, i);
        gclab_list_append(h, body, o);
        gclab_decref(h, o);
    }
    gclab_setattr(h, response, 1, body);
    gclab_decref(h, body);
    gclab_decref(h, response);
    gclab_decref(h, request);
}

/* A worker: serve, report (count, then latencies) on fd, wait for the word
 * on go, exit. */
static void worker(gclab_heap *h, gclab_object *app, uint64_t seed, const gclab_value *p, int fd, int go)
{
    uint64_t rng = seed;
    uint64_t n = (uint64_t)p[P_REQUESTS].i;
    uint64_t *lat = malloc((n ? n : 1) * sizeof *lat);
    gclab_object *id_key = gclab_new_str(h, "id", 2);
    if (!lat)
        _exit(3);
    for (uint64_t r = 0; r < n; r++) {
        uint64_t t0 = workload_now_ns();
        serve(h, app, id_key, &rng, p[P_TOUCH].i, p[P_OBJECTS].i);
        gclab_event(h, "request_end");
        lat[r] = workload_now_ns() - t0;
    }
    char c;
    if (write(fd, &n, sizeof n) != (ssize_t)sizeof n ||
        (n && write(fd, lat, n * sizeof *lat) != (ssize_t)(n * sizeof *lat)) || read(go, &c, 1) != 1)
        _exit(2);
    _exit(0);
}

static int read_all(int fd, void *buf, size_t len)
{
    for (size_t got = 0; got < len;) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 0;
}

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    gclab_object *app = build_app(h, (size_t)p[P_LIVE_MB].i << 20);
    gclab_event(h, "warmup_end");
    gclab_event(h, "prefork");
    fflush(NULL); /* nothing buffered twice */

    const int nworkers = (int)p[P_WORKERS].i;
    pid_t pids[64];
    int results[64], gos[64];
    for (int w = 0; w < nworkers; w++) {
        int rp[2], gp[2];
        if (pipe(rp) != 0 || pipe(gp) != 0) {
            snprintf(err, errlen, "prefork: cannot make a pipe");
            return -1;
        }
        pids[w] = fork();
        if (pids[w] < 0) {
            snprintf(err, errlen, "prefork: cannot fork worker %d", w);
            return -1;
        }
        if (pids[w] == 0) {
            close(rp[0]);
            close(gp[1]);
            worker(h, app, seed + 0x9e3779b97f4a7c15ULL * (uint64_t)(w + 1), p, rp[1], gp[0]);
        }
        close(rp[1]);
        close(gp[0]);
        results[w] = rp[0];
        gos[w] = gp[1];
        workload_worker_started(ctx, w, (long)pids[w]);
    }

    int rc = 0;
    for (int w = 0; w < nworkers; w++) {
        uint64_t n = 0;
        uint64_t *lat = NULL;
        if (read_all(results[w], &n, sizeof n) == 0 && (lat = malloc((n ? n : 1) * sizeof *lat)) &&
            read_all(results[w], lat, n * sizeof *lat) == 0) {
            for (uint64_t i = 0; i < n; i++)
                workload_latency(ctx, lat[i]);
            ctx->ops += n;
        } else if (rc == 0) {
            snprintf(err, errlen, "prefork: worker %d did not report", w);
            rc = -1;
        }
        free(lat);
        workload_worker_done(ctx, w, (long)pids[w]); /* its last sample, before it exits */
        if (write(gos[w], "x", 1) != 1 && rc == 0) {
            snprintf(err, errlen, "prefork: worker %d is gone", w);
            rc = -1;
        }
        int status;
        waitpid(pids[w], &status, 0);
        close(results[w]);
        close(gos[w]);
        if ((!WIFEXITED(status) || WEXITSTATUS(status) != 0) && rc == 0) {
            snprintf(err, errlen, "prefork: worker %d failed", w);
            rc = -1;
        }
    }
    return rc;
}

const workload workload_prefork = {
    .name = "prefork",
    .description = "a pre-fork server: a large app heap built, then shared by forked workers "
                   "serving requests (memory per worker from smaps_rollup)",
    .op = "request",
    .smoke = "live_mb=2 workers=1 requests=50 touch=100",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
};
