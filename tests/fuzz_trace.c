/*
 * tests/fuzz_trace.c -- libFuzzer target for the trace format.
 *
 * Every input must give either a program or one error line
 * "fuzz.trace:LINE: expected ..."; anything else aborts.  A program small
 * enough to run quickly (FUZZ_MAX_* below) is then replayed twice on a heap,
 * under a collector picked by the input, with low thresholds so that
 * collections run often: the replay must not fail (the parser's checks are
 * complete), must execute exactly the commands the parser counted, and
 * freeing the heap must free everything (the leak checker sees the rest).
 *
 * Build and run (scripts/test.sh does, for a bounded time):
 *     cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_trace
 *     ./build-fuzz/tests/fuzz_trace CORPUS_COPY tests/fuzz/trace-corpus
 */
#include "workloads/trace_parse.h"

#include <gclab/gclab.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replayed only if quick: at most this many commands, steps, payload bytes,
 * and collect commands times commands (each collection visits at most every
 * object made so far). */
#define FUZZ_MAX_OPS 5000
#define FUZZ_MAX_WORK 200000
#define FUZZ_MAX_BYTES (4u << 20)
#define FUZZ_MAX_STR (1u << 20)
#define FUZZ_MAX_COLLECT_COST 1000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what, const char *err)
{
    if (!ok) {
        fprintf(stderr, "fuzz_trace: %s: %s\n", what, err);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[512];
    memset(err, 'X', sizeof err); /* the parser must write a whole line */
    trace_program *p = trace_parse("fuzz.trace", (const char *)data, size, err, sizeof err);
    if (!p) {
        check(memchr(err, '\0', sizeof err) != NULL, "error not terminated", "");
        check(strncmp(err, "fuzz.trace:", 11) == 0 && strstr(err, ": expected ") != NULL,
              "error without FILE:LINE: expected", err);
        check(strchr(err, '\n') == NULL, "error of more than one line", err);
        return 0;
    }
    const trace_info *info = trace_program_info(p);
    check(info->commands <= info->ops_per_pass, "fewer ops than commands", "");
    if (info->ops_per_pass <= FUZZ_MAX_OPS && info->work_per_pass <= FUZZ_MAX_WORK &&
        info->bytes_per_pass <= FUZZ_MAX_BYTES &&
        info->max_str <= FUZZ_MAX_STR && info->collects_per_pass * info->ops_per_pass <= FUZZ_MAX_COLLECT_COST) {
        uint32_t hash = 2166136261u;
        for (size_t i = 0; i < size; i++)
            hash = (hash ^ data[i]) * 16777619u;
        const gclab_collector_info *ci = gclab_collector_at(hash % gclab_collector_count());
        gclab_config cfg = {.nthresholds = ci->nthresholds};
        for (int i = 0; i < ci->nthresholds; i++)
            cfg.thresholds[i] = i == 0 ? 5 + (long)(hash >> 8) % 50 : 2;
        gclab_heap *h = gclab_heap_new(ci->name, &cfg, err, sizeof err);
        check(h != NULL, "gclab_heap_new", err);
        trace_stats st = {0};
        check(trace_replay(h, p, 2, &st, err, sizeof err) == 0, "trace_replay", err);
        check(st.ops == 2 * info->ops_per_pass, "ops differ from the parser's count", ci->name);
        check(st.events == 2 * info->events_per_pass, "events differ from the parser's count", ci->name);
        check(st.collections == 2 * info->collects_per_pass, "collections differ", ci->name);
        check(gclab_frame_top(h) == NULL, "the replay's frame is still pushed", ci->name);
        gclab_heap_free(h, NULL);
    }
    trace_program_free(p);
    return 0;
}
