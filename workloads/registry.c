/*
 * workloads/registry.c -- the list of workloads, generated from
 * registry.def, and lookup by name.
 */
#define _POSIX_C_SOURCE 200809L

#include "workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const workload *const registry[] = {
#define GCLAB_WORKLOAD(id) &workload_##id,
#include "registry.def"
#undef GCLAB_WORKLOAD
};

#define NWORKLOADS (sizeof registry / sizeof registry[0])

size_t workload_count(void) { return NWORKLOADS; }
const workload *workload_at(size_t i) { return i < NWORKLOADS ? registry[i] : NULL; }

const workload *workload_find(const char *name)
{
    for (size_t i = 0; i < NWORKLOADS; i++)
        if (strcmp(registry[i]->name, name) == 0)
            return registry[i];
    return NULL;
}

const char *workload_names(void)
{
    static char names[512];
    if (!names[0]) {
        size_t used = 0;
        for (size_t i = 0; i < NWORKLOADS && used < sizeof names; i++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "",
                                     registry[i]->name);
    }
    return names;
}

uint64_t workload_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void workload_latency(workload_ctx *ctx, uint64_t ns)
{
    if (ctx->nlatency == ctx->latency_cap) {
        ctx->latency_cap = ctx->latency_cap ? 2 * ctx->latency_cap : 4096;
        ctx->latency_ns = realloc(ctx->latency_ns, ctx->latency_cap * sizeof *ctx->latency_ns);
        if (!ctx->latency_ns) {
            fprintf(stderr, "gclab: out of memory recording latencies\n");
            abort();
        }
    }
    ctx->latency_ns[ctx->nlatency++] = ns;
}

void workload_worker_started(workload_ctx *ctx, int worker, long pid)
{
    if (ctx->on_worker)
        ctx->on_worker(ctx->on_worker_arg, worker, pid, 0);
}

void workload_worker_done(workload_ctx *ctx, int worker, long pid)
{
    if (ctx->on_worker)
        ctx->on_worker(ctx->on_worker_arg, worker, pid, 1);
}
