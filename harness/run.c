/*
 * harness/run.c -- one run: heap, recorder, sampler, counters, workload.
 *
 * The measured region runs from just before the workload starts to the end
 * of gclab_heap_shutdown (the collector's exit work included, gclab's own
 * final sweep not).  Inside it:
 *   - every collection is timed by a gc callback: two clock reads and one
 *     append, nothing else (no I/O, no allocation but an occasional grow);
 *   - a sampler thread interrupts the heap every sample_ms, and the heap's
 *     own thread then reads RSS (/proc/self/statm), the runtime's live
 *     counts and the allocator's statistics: no clock read on the allocation
 *     path, and no data race with the runtime.
 */
#define _GNU_SOURCE

#include "run.h"

#include "smaps.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifdef GCLAB_WITH_JEMALLOC
#include <jemalloc/jemalloc.h>
#endif

static uint64_t now_ns(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *grow(void *p, size_t *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 1024;
    p = realloc(p, *cap * elem);
    if (!p) {
        fprintf(stderr, "gclab: out of memory recording a run\n");
        abort();
    }
    return p;
}

/* ------------------------------------------------------------------ */
/* The recorder: every collection */

typedef struct recorder {
    uint64_t t0, started;
    pause_event *ev;
    size_t n, cap;
} recorder;

static void record_gc(gclab_heap *h, gclab_gc_phase phase, const gclab_gc_info *info, void *arg)
{
    (void)h;
    recorder *r = arg;
    if (phase == GCLAB_GC_START) {
        r->started = now_ns(CLOCK_MONOTONIC);
        return;
    }
    uint64_t end = now_ns(CLOCK_MONOTONIC);
    if (r->n == r->cap)
        r->ev = grow(r->ev, &r->cap, sizeof *r->ev);
    r->ev[r->n++] = (pause_event){r->started - r->t0, end - r->started, info->examined,
                                  info->collected, info->uncollectable, info->generation, info->reason};
}

/* ------------------------------------------------------------------ */
/* The sampler: memory every sample_ms */

#define MAX_WORKERS 256

typedef struct sampler {
    /* Worker processes, sampled by the sampler thread itself: their memory
     * is not the heap's, and the heap's thread is waiting for them. */
    pthread_mutex_t lock;
    struct {
        int worker;
        long pid;
    } active[MAX_WORKERS];
    int nactive, nworkers;
    worker_sample *w;
    size_t nw, wcap;
    int64_t shared_end, private_dirty_end, pss_end, parent_pss;
    gclab_heap *h;
    uint64_t t0;
    unsigned ms;
    int statm_fd;
    long page_size;
    atomic_int stop;
    pthread_t thread;
    int running;
    mem_sample *s;
    size_t n, cap;
} sampler;

/* Async-signal-safe enough: no stdio, no allocation (there is no memory). */
static void oom_exit(size_t size)
{
    char line[96], digits[24];
    int n = 0;
    do
        digits[n++] = (char)('0' + size % 10);
    while ((size /= 10) > 0);
    size_t len = 0;
    const char *head = "gclab: run failed: out of memory allocating ";
    while (*head)
        line[len++] = *head++;
    while (n > 0)
        line[len++] = digits[--n];
    const char *tail = " bytes\n";
    while (*tail)
        line[len++] = *tail++;
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
    _exit(EXIT_OOM);
}

void run_exit_on_oom(void) { gclab_set_oom_handler(oom_exit); }

int run_has_allocator_stats(void)
{
#ifdef GCLAB_WITH_JEMALLOC
    return 1;
#else
    return 0;
#endif
}

static void allocator_stats(int64_t out[3])
{
    out[0] = out[1] = out[2] = -1;
#ifdef GCLAB_WITH_JEMALLOC
    uint64_t epoch = 1;
    size_t len = sizeof epoch;
    if (mallctl("epoch", &epoch, &len, &epoch, len) != 0)
        return;
    static const char *const names[3] = {"stats.allocated", "stats.active", "stats.resident"};
    for (int i = 0; i < 3; i++) {
        size_t v, vlen = sizeof v;
        if (mallctl(names[i], &v, &vlen, NULL, 0) == 0)
            out[i] = (int64_t)v;
    }
#endif
}

static int64_t current_rss(const sampler *s)
{
    char buf[128];
    ssize_t n = s->statm_fd >= 0 ? pread(s->statm_fd, buf, sizeof buf - 1, 0) : -1;
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    long size, resident;
    if (sscanf(buf, "%ld %ld", &size, &resident) != 2)
        return -1;
    return (int64_t)resident * s->page_size;
}

static void take_sample(gclab_heap *h, void *arg)
{
    sampler *s = arg;
    if (s->n == s->cap)
        s->s = grow(s->s, &s->cap, sizeof *s->s);
    gclab_heap_stats st;
    gclab_heap_get_stats(h, &st);
    mem_sample *m = &s->s[s->n++];
    m->t_ns = now_ns(CLOCK_MONOTONIC) - s->t0;
    m->rss_bytes = current_rss(s);
    m->live_objects = st.live.objects;
    m->live_bytes = st.live.bytes;
    allocator_stats(m->allocator);
}

/* Sample one worker; under s->lock.  Returns 0, or -1 if it is gone. */
static int sample_worker(sampler *s, int worker, long pid, smaps_rollup *m)
{
    if (smaps_read((pid_t)pid, m) != 0)
        return -1;
    if (s->nw == s->wcap)
        s->w = grow(s->w, &s->wcap, sizeof *s->w);
    s->w[s->nw++] = (worker_sample){worker, now_ns(CLOCK_MONOTONIC) - s->t0, m->rss, m->pss,
                                    smaps_shared(m), m->private_dirty};
    return 0;
}

static void on_worker(void *arg, int worker, long pid, int done)
{
    sampler *s = arg;
    smaps_rollup m, self;
    pthread_mutex_lock(&s->lock);
    if (!done) {
        if (s->nactive < MAX_WORKERS) {
            s->active[s->nactive].worker = worker;
            s->active[s->nactive++].pid = pid;
        }
        s->nworkers++;
        sample_worker(s, worker, pid, &m);
    } else {
        for (int i = 0; i < s->nactive; i++)
            if (s->active[i].pid == pid)
                s->active[i] = s->active[--s->nactive];
        if (sample_worker(s, worker, pid, &m) == 0) {
            s->shared_end += smaps_shared(&m);
            s->private_dirty_end += m.private_dirty;
            s->pss_end += m.pss;
        }
        if (smaps_read(0, &self) == 0)
            s->parent_pss = self.pss;
    }
    pthread_mutex_unlock(&s->lock);
}

static void *sampler_thread(void *arg)
{
    sampler *s = arg;
    struct timespec period = {s->ms / 1000, (long)(s->ms % 1000) * 1000000L};
    while (!atomic_load(&s->stop)) {
        nanosleep(&period, NULL);
        if (atomic_load(&s->stop))
            break;
        gclab_interrupt(s->h);
        smaps_rollup m;
        pthread_mutex_lock(&s->lock);
        for (int i = 0; i < s->nactive; i++)
            sample_worker(s, s->active[i].worker, s->active[i].pid, &m);
        pthread_mutex_unlock(&s->lock);
    }
    return NULL;
}

static void sampler_start(sampler *s, gclab_heap *h, unsigned ms, uint64_t t0)
{
    s->h = h;
    s->ms = ms;
    s->t0 = t0;
    s->statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
    s->page_size = sysconf(_SC_PAGESIZE);
    atomic_init(&s->stop, 0);
    pthread_mutex_init(&s->lock, NULL);
    gclab_interrupt_handler_add(h, take_sample, s);
    take_sample(h, s); /* t = 0 */
    s->running = ms > 0 && pthread_create(&s->thread, NULL, sampler_thread, s) == 0;
}

static void sampler_stop(sampler *s)
{
    if (s->running) {
        atomic_store(&s->stop, 1);
        pthread_join(s->thread, NULL);
    }
    take_sample(s->h, s); /* the end */
    if (s->statm_fd >= 0)
        close(s->statm_fd);
    pthread_mutex_destroy(&s->lock);
}

/* ------------------------------------------------------------------ */
/* perf's control FIFOs (scripts/perf.sh --phase, docs/tools.md): with
 * GCLAB_PERF_CTL=CTL_FIFO[,ACK_FIFO], "enable" is written just before the
 * measured region and "disable" just after it, each waiting for perf's
 * "ack" when there is an ACK_FIFO.  Any failure: one warning, and the run
 * goes on without it.  Unset: one getenv before the region, nothing else. */

#define PERF_CTL_ACK_TIMEOUT_MS 10000

typedef struct perf_ctl {
    int ctl, ack; /* -1: none */
} perf_ctl;

static void perf_ctl_close(perf_ctl *p)
{
    if (p->ctl >= 0)
        close(p->ctl);
    if (p->ack >= 0)
        close(p->ack);
    p->ctl = p->ack = -1;
}

static void perf_ctl_fail(perf_ctl *p, const char *what, const char *why)
{
    static int warned;
    if (!warned++)
        fprintf(stderr, "gclab: warning: GCLAB_PERF_CTL: %.300s: %s; perf is not told where the measured "
                        "region is\n", what, why);
    perf_ctl_close(p);
}

static void perf_ctl_open(perf_ctl *p)
{
    p->ctl = p->ack = -1;
    const char *env = getenv("GCLAB_PERF_CTL");
    if (!env || !*env)
        return;
    char path[4096];
    size_t n = strcspn(env, ",");
    snprintf(path, sizeof path, "%.*s", (int)(n < sizeof path ? n : sizeof path - 1), env);
    /* Nonblocking: with no reader (perf not listening) this fails, never hangs. */
    struct stat st;
    p->ctl = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (p->ctl < 0 || fstat(p->ctl, &st) != 0 || !S_ISFIFO(st.st_mode)) {
        perf_ctl_fail(p, path, p->ctl < 0 ? strerror(errno) : "not a FIFO");
        return;
    }
    if (env[n] != ',')
        return;
    p->ack = open(env + n + 1, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (p->ack < 0 || fstat(p->ack, &st) != 0 || !S_ISFIFO(st.st_mode))
        perf_ctl_fail(p, env + n + 1, p->ack < 0 ? strerror(errno) : "not a FIFO");
}

static void perf_ctl_send(perf_ctl *p, const char *cmd)
{
    if (p->ctl < 0)
        return;
    size_t len = strlen(cmd);
    if (write(p->ctl, cmd, len) != (ssize_t)len) {
        perf_ctl_fail(p, "writing the control FIFO", strerror(errno));
        return;
    }
    if (p->ack < 0)
        return;
    char buf[16];
    struct pollfd pfd = {.fd = p->ack, .events = POLLIN};
    int r = poll(&pfd, 1, PERF_CTL_ACK_TIMEOUT_MS);
    ssize_t got = r > 0 ? read(p->ack, buf, sizeof buf) : -1;
    if (got < 4 || memcmp(buf, "ack\n", 4) != 0)
        perf_ctl_fail(p, "waiting for perf's ack", r == 0 ? "timed out" : "no answer");
}

/* ------------------------------------------------------------------ */

void run_make_id(char *out, size_t len)
{
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    snprintf(out, len, "%s-%05x%03x", stamp, (unsigned)getpid() & 0xfffff, counter++ & 0xfff);
}

int run_once(const run_config *cfg, run_result *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    run_make_id(res->run_id, sizeof res->run_id);
    gclab_config hc = {.nthresholds = cfg->nthresholds, .params = cfg->csettings, .nparams = cfg->ncsettings};
    memcpy(hc.thresholds, cfg->thresholds, sizeof hc.thresholds);
    gclab_heap *h = gclab_heap_new(cfg->collector->name, &hc, err, errlen);
    if (!h)
        return -1;
    res->nthresholds = gclab_get_threshold(h, res->thresholds, GCLAB_MAX_GENERATIONS);

    recorder rec = {0};
    sampler smp = {0};
    perf_counters *pc = perf_counters_open();
    workload_ctx ctx = {.state = cfg->wstate, .on_worker = on_worker, .on_worker_arg = &smp};

    if (cfg->record)
        gclab_callback_add(h, record_gc, &rec);

    perf_ctl ctl;
    perf_ctl_open(&ctl);
    perf_ctl_send(&ctl, "enable\n");
    uint64_t cpu0 = now_ns(CLOCK_PROCESS_CPUTIME_ID), t0 = now_ns(CLOCK_MONOTONIC);
    rec.t0 = t0;
    sampler_start(&smp, h, cfg->sample_ms, t0);
    perf_counters_start(pc);

    int rc = cfg->workload->run(h, cfg->wparams, cfg->seed, &ctx, err, errlen);
    gclab_heap_shutdown(h, &res->leaks);

    uint64_t t1 = now_ns(CLOCK_MONOTONIC), cpu1 = now_ns(CLOCK_PROCESS_CPUTIME_ID);
    perf_counters_stop(pc);
    perf_ctl_send(&ctl, "disable\n");
    perf_ctl_close(&ctl);
    sampler_stop(&smp);
    perf_counters_read(pc, res->counters);
    perf_counters_close(pc);

    res->wall_ns = t1 - t0;
    res->cpu_ns = cpu1 - cpu0;
    res->ops = ctx.ops;
    gclab_heap_stats st;
    gclab_heap_get_stats(h, &st);
    res->allocations = st.allocations;
    res->ngenerations = gclab_get_stats(h, res->gen, GCLAB_MAX_GENERATIONS);
    for (int k = GCLAB_KIND_TUPLE; k < GCLAB_NKINDS; k++) /* the container kinds */
        res->leaked_containers += res->leaks.by_kind[k].objects;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    res->peak_rss_bytes = (int64_t)ru.ru_maxrss * 1024;

    /* Peak outstanding garbage: what one collection found unreachable at
     * most; a collector that never reclaims cycles accumulates them all. */
    res->peak_garbage_objects = cfg->record ? 0 : -1;
    for (size_t i = 0; i < rec.n; i++)
        if (rec.ev[i].collected + rec.ev[i].uncollectable > res->peak_garbage_objects)
            res->peak_garbage_objects = rec.ev[i].collected + rec.ev[i].uncollectable;
    if (!(cfg->collector->flags & GCLAB_COLLECTOR_RECLAIMS_CYCLES))
        res->peak_garbage_objects = (long)res->leaked_containers;

    res->workers = smp.w;
    res->nworkers_samples = smp.nw;
    res->nworkers = smp.nworkers;
    res->shared_end_bytes = smp.nworkers ? smp.shared_end : -1;
    res->private_dirty_end_bytes = smp.nworkers ? smp.private_dirty_end : -1;
    res->pss_total_bytes = smp.nworkers ? smp.pss_end + smp.parent_pss : -1;
    res->latency_ns = ctx.latency_ns;
    res->nlatency = ctx.nlatency;
    res->pauses = rec.ev;
    res->npauses = rec.n;
    res->samples = smp.s;
    res->nsamples = smp.n;
    gclab_heap_free(h, NULL);
    return rc;
}

void run_result_free(run_result *res)
{
    free(res->pauses);
    free(res->samples);
    free(res->latency_ns);
    free(res->workers);
    res->workers = NULL;
    res->pauses = NULL;
    res->samples = NULL;
    res->latency_ns = NULL;
}
