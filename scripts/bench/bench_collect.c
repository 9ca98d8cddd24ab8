/*
 * scripts/bench/bench_collect.c -- time a full collection on two heap shapes,
 * and the allocation + free cost of a list against plain malloc/free.
 *
 * Public API only.  The shapes mirror the Python ones in scripts/bench-collect.sh:
 *
 *   live    l = [[] for _ in range(N)]          one full collection to settle,
 *                                               then gc.collect() timed R times
 *   cycles  N/2 times: a = []; b = [a]; a.append(b), all dropped,
 *                                               then gc.collect() timed (== N)
 *   alloc   M empty lists created and freed, one at a time and in batches of B,
 *           against malloc/free of the same byte size in the same pattern.
 *
 * Collector `generational`, automatic collection off (gclab_disable), so the
 * only collections are the timed ones (and the settling one).
 *
 * usage: bench-collect [-n N] [-r R] [-m M] [-b B] [--csv]
 *   --csv  machine-readable lines only (metric,value,unit); otherwise a table
 *          followed by the same lines.
 */
#define _POSIX_C_SOURCE 200809L

#include <gclab/gclab.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct summary {
    double median, min;
} summary;

static summary summarize(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    summary s = {n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2, v[0]};
    return s;
}

static gclab_heap *new_heap(void)
{
    char err[256];
    gclab_heap *h = gclab_heap_new("generational", NULL, err, sizeof err);
    if (!h) {
        fprintf(stderr, "bench-collect: %s\n", err);
        exit(1);
    }
    gclab_disable(h);
    return h;
}

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "bench-collect: check failed: %s\n", what);
        exit(1);
    }
}

/* ------------------------------------------------------------------ */
/* (a) live: l = [[] for _ in range(N)] */

static summary bench_live(long n, int reps)
{
    gclab_heap *h = new_heap();
    gclab_object *l = gclab_new_list(h); /* the outer list first, as in Python */
    for (long i = 0; i < n; i++) {
        gclab_object *x = gclab_new_list(h);
        gclab_list_append(h, l, x);
        gclab_decref(h, x);
    }
    check(gclab_collect(h, 2) == 0, "live: settling collection frees nothing");
    double *t = malloc((size_t)reps * sizeof *t);
    for (int r = 0; r < reps; r++) {
        double t0 = now_ns();
        long got = gclab_collect(h, 2);
        t[r] = (now_ns() - t0) / (double)n;
        check(got == 0, "live: gclab_collect(h, 2) == 0");
    }
    check(gclab_list_len(l) == (size_t)n, "live: all N lists still there");
    summary s = summarize(t, reps);
    free(t);
    gclab_decref(h, l);
    gclab_heap_free(h, NULL);
    return s;
}

/* ------------------------------------------------------------------ */
/* (b) cycles: N/2 times a = []; b = [a]; a.append(b); all dropped */

static summary bench_cycles(long n, int reps)
{
    gclab_heap *h = new_heap();
    gclab_collect(h, 2); /* settle: an empty set to start from */
    double *t = malloc((size_t)reps * sizeof *t);
    for (int r = 0; r < reps; r++) {
        for (long i = 0; i < n / 2; i++) {
            gclab_object *a = gclab_new_list(h);
            gclab_object *b = gclab_new_list_from(h, 1, &a); /* a list display: 1 slot */
            gclab_list_append(h, a, b);
            gclab_decref(h, a);
            gclab_decref(h, b);
        }
        double t0 = now_ns();
        long got = gclab_collect(h, 2);
        t[r] = (now_ns() - t0) / (double)n;
        if (got != n / 2 * 2) {
            fprintf(stderr, "bench-collect: cycles: gclab_collect returned %ld, expected %ld\n",
                    got, n / 2 * 2);
            exit(1);
        }
    }
    summary s = summarize(t, reps);
    free(t);
    gclab_heap_free(h, NULL);
    return s;
}

/* ------------------------------------------------------------------ */
/* (c) allocation + free */

/* Defeats dead-allocation elimination: every pointer escapes through it. */
static void *volatile sink;

static size_t list_bytes(void)
{
    gclab_heap *h = new_heap();
    gclab_heap_stats a, b;
    gclab_heap_get_stats(h, &a);
    gclab_object *o = gclab_new_list(h);
    gclab_heap_get_stats(h, &b);
    gclab_decref(h, o);
    gclab_heap_free(h, NULL);
    return b.live.bytes - a.live.bytes;
}

/* batch == 1: create and free one at a time; otherwise `batch` at a time. */
static double time_gclab(gclab_heap *h, long m, long batch, gclab_object **slots)
{
    double t0 = now_ns();
    for (long done = 0; done < m; done += batch) {
        for (long i = 0; i < batch; i++) {
            slots[i] = gclab_new_list(h);
            sink = slots[i];
        }
        for (long i = 0; i < batch; i++)
            gclab_decref(h, slots[i]);
    }
    return (now_ns() - t0) / (double)m;
}

static double time_malloc(size_t size, long m, long batch, void **slots)
{
    double t0 = now_ns();
    for (long done = 0; done < m; done += batch) {
        for (long i = 0; i < batch; i++) {
            char *p = malloc(size);
            if (!p)
                abort();
            /* Write what gclab_new_list writes: the two header words, the
             * refcount and type, len, cap and items. */
            memset(p, 0, size);
            slots[i] = p;
            sink = p;
        }
        for (long i = 0; i < batch; i++)
            free(slots[i]);
    }
    return (now_ns() - t0) / (double)m;
}

typedef struct alloc_result {
    summary gclab, libc;
} alloc_result;

static alloc_result bench_alloc(long m, long batch, int reps, size_t size)
{
    gclab_heap *h = new_heap();
    void **slots = malloc((size_t)batch * sizeof *slots);
    double *tg = malloc((size_t)reps * sizeof *tg), *tm = malloc((size_t)reps * sizeof *tm);
    /* Warm both paths once, then alternate the two so drift hits both. */
    time_gclab(h, batch * 4 < m ? batch * 4 : m, batch, (gclab_object **)slots);
    time_malloc(size, batch * 4 < m ? batch * 4 : m, batch, slots);
    for (int r = 0; r < reps; r++) {
        tg[r] = time_gclab(h, m, batch, (gclab_object **)slots);
        tm[r] = time_malloc(size, m, batch, slots);
    }
    gclab_heap_stats st;
    gclab_heap_get_stats(h, &st);
    check(st.by_kind[GCLAB_KIND_LIST].objects == 0, "alloc: every list freed");
    alloc_result res = {summarize(tg, reps), summarize(tm, reps)};
    free(tg);
    free(tm);
    free(slots);
    gclab_heap_free(h, NULL);
    return res;
}

/* ------------------------------------------------------------------ */

static void usage(FILE *out)
{
    fprintf(out, "usage: bench-collect [-n N] [-r R] [-m M] [-b B] [--csv]\n"
                 "  -n N   objects per collection shape (default 1000000)\n"
                 "  -r R   repetitions; the median and the min are reported (default 5)\n"
                 "  -m M   lists created and freed per alloc+free repetition (default N)\n"
                 "  -b B   batch size of the batched alloc+free pattern (default 1000)\n"
                 "  --csv  print only metric,value,unit lines\n");
}

static long parse_long(const char *flag, const char *s, long min)
{
    char *end;
    long v = s ? strtol(s, &end, 10) : 0;
    if (!s || *end || v < min) {
        fprintf(stderr, "bench-collect: %s needs an integer >= %ld\n", flag, min);
        usage(stderr);
        exit(2);
    }
    return v;
}

int main(int argc, char **argv)
{
    long n = 1000000, m = -1, batch = 1000;
    int reps = 5, csv_only = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-n"))
            n = parse_long(a, i + 1 < argc ? argv[++i] : NULL, 2);
        else if (!strcmp(a, "-r"))
            reps = (int)parse_long(a, i + 1 < argc ? argv[++i] : NULL, 1);
        else if (!strcmp(a, "-m"))
            m = parse_long(a, i + 1 < argc ? argv[++i] : NULL, 1);
        else if (!strcmp(a, "-b"))
            batch = parse_long(a, i + 1 < argc ? argv[++i] : NULL, 1);
        else if (!strcmp(a, "--csv"))
            csv_only = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "bench-collect: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (m < 0)
        m = n;
    if (m % batch)
        m += batch - m % batch; /* whole batches */

    size_t size = list_bytes(); /* GC header + list object, as accounted */
    summary live = bench_live(n, reps);
    summary cyc = bench_cycles(n, reps);
    alloc_result one = bench_alloc(m, 1, reps, size);
    alloc_result bat = bench_alloc(m, batch, reps, size);

    if (!csv_only) {
        printf("gclab %s, collector generational (automatic collection off), N=%ld, R=%d\n\n",
               gclab_version(), n, reps);
        printf("%-34s %12s %12s\n", "full collection (gclab_collect 2)", "median", "min");
        printf("%-34s %9.2f ns %9.2f ns  per object\n", "(a) live: 1 list of N lists", live.median,
               live.min);
        printf("%-34s %9.2f ns %9.2f ns  per object\n", "(b) cycles: N/2 2-cycles, freed",
               cyc.median, cyc.min);
        printf("\nalloc + free of an empty list (%zu bytes) vs malloc/free(%zu), M=%ld, median of R\n",
               size, size, m);
        printf("%-34s %12s %12s %8s\n", "pattern", "gclab", "malloc/free", "ratio");
        printf("%-34s %9.2f ns %9.2f ns %7.2fx\n", "one at a time", one.gclab.median,
               one.libc.median, one.gclab.median / one.libc.median);
        char label[64];
        snprintf(label, sizeof label, "batches of %ld", batch);
        printf("%-34s %9.2f ns %9.2f ns %7.2fx\n\n", label, bat.gclab.median, bat.libc.median,
               bat.gclab.median / bat.libc.median);
    }
    printf("n,%ld,objects\n", n);
    printf("reps,%d,count\n", reps);
    printf("list_bytes,%zu,bytes\n", size);
    printf("live_collect_median,%.3f,ns/obj\n", live.median);
    printf("live_collect_min,%.3f,ns/obj\n", live.min);
    printf("cycles_collect_median,%.3f,ns/obj\n", cyc.median);
    printf("cycles_collect_min,%.3f,ns/obj\n", cyc.min);
    printf("alloc_free_single_gclab_median,%.3f,ns/obj\n", one.gclab.median);
    printf("alloc_free_single_malloc_median,%.3f,ns/obj\n", one.libc.median);
    printf("alloc_free_single_ratio,%.3f,x\n", one.gclab.median / one.libc.median);
    printf("alloc_free_batch_size,%ld,objects\n", batch);
    printf("alloc_free_batch_gclab_median,%.3f,ns/obj\n", bat.gclab.median);
    printf("alloc_free_batch_malloc_median,%.3f,ns/obj\n", bat.libc.median);
    printf("alloc_free_batch_ratio,%.3f,x\n", bat.gclab.median / bat.libc.median);
    return 0;
}
