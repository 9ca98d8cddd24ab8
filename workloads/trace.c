/*
 * workloads/trace.c -- `trace`: replays a recorded program.
 *
 * Stresses: whatever the program does -- a user records their own
 * application's allocations, references, events and collections in the
 * trace format (docs/trace-format.md) and replays them under every
 * collector.  Not: the program's own computation; only what it does to the
 * heap is replayed, back to back.  Models: the user's program.
 *
 * The file is read and parsed in prepare, outside the measured region, so a
 * malformed trace is bad input (one line naming the file, the line and what
 * was expected; exit 2) and the run only executes the parsed program.
 */
#include "trace_parse.h"
#include "workload.h"

#include "../runtime/readfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_FILE "workloads/traces/sample.trace"

enum { P_FILE, P_REPEAT, NPARAMS };
static const gclab_param params[] = {
    [P_FILE] = {"file", GCLAB_PARAM_STRING, DEFAULT_FILE, "", 0, 0, NULL,
                "the trace to replay (docs/trace-format.md); relative to the current directory"},
    [P_REPEAT] = {"repeat", GCLAB_PARAM_INT, "1", "passes", 1, 1e9, NULL,
                  "replay the whole trace this many times (names reset each pass, globals kept)"},
};
_Static_assert(sizeof params / sizeof params[0] == NPARAMS, "one parameter per P_ index");

/* Read all of `file`: a regular file of at most TRACE_MAX_FILE_BYTES.  NULL
 * with a message. */
static char *read_file(const char *file, size_t *len, char *err, size_t errlen)
{
    char path[320]; /* the name for messages: one line, whatever it is */
    snprintf(path, sizeof path, "%s", file);
    for (char *c = path; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    char why[128];
    char *text = gclab__read_input(file, TRACE_MAX_FILE_BYTES, len, why, sizeof why);
    if (!text) {
        const char *hint = errno == ENOENT && strcmp(file, DEFAULT_FILE) == 0
                               ? " (the default file is relative to the current directory: run from the "
                                 "repository root, or give -p file=PATH)"
                               : "";
        snprintf(err, errlen, "trace file %s: %s%s", path, why, hint);
    }
    return text;
}

static int prepare(const gclab_value *p, void **state, char *err, size_t errlen)
{
    size_t len;
    char *text = read_file(p[P_FILE].s, &len, err, errlen);
    if (!text)
        return -1;
    trace_program *prog = trace_parse(p[P_FILE].s, text, len, err, errlen);
    free(text);
    if (!prog)
        return -1;
    if (trace_replay_ready(prog, err, errlen) != 0) {
        trace_program_free(prog);
        return -1;
    }
    *state = prog;
    return 0;
}

static void release(void *state) { trace_program_free(state); }

static int run(gclab_heap *h, const gclab_value *p, uint64_t seed, workload_ctx *ctx, char *err,
               size_t errlen)
{
    (void)seed; /* a trace is replayed as recorded */
    if (!ctx->state) {
        snprintf(err, errlen, "trace: no program (prepare was not called)");
        return -1;
    }
    trace_stats st = {0};
    int rc = trace_replay(h, ctx->state, (uint64_t)p[P_REPEAT].i, &st, err, errlen);
    ctx->ops += st.ops;
    return rc;
}

const workload workload_trace = {
    .name = "trace",
    .description = "replays a recorded program: a trace file of allocations, references, events, collections",
    .op = "command",
    .smoke = "repeat=2",
    .params = params,
    .nparams = sizeof params / sizeof params[0],
    .run = run,
    .prepare = prepare,
    .release = release,
};
