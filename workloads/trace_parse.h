/*
 * workloads/trace_parse.h -- the trace format (docs/trace-format.md): a
 * strict parser that turns the text of a trace into a compact program, and
 * the interpreter that replays that program on a heap.
 *
 * The parser needs no heap, allocates memory in proportion to its input
 * only, and never trusts it: any input gives either a program or one line
 * "NAME:LINE: expected ..., got ..." (this is what tests/fuzz_trace.c
 * fuzzes).  A program that parses replays without a check failing: names
 * are bound and of the right kind wherever they are used, on every
 * repetition, so the replay itself cannot fail.
 */
#ifndef GCLAB_TRACE_PARSE_H
#define GCLAB_TRACE_PARSE_H

#include <gclab/gclab.h>

#include <stddef.h>
#include <stdint.h>

/* Limits: a trace beyond them is rejected with an error naming the limit. */
#define TRACE_MAX_FILE_BYTES (64u << 20)  /* the whole file */
#define TRACE_MAX_LINE 4096u              /* bytes in one line, without its newline */
#define TRACE_MAX_IDENT 64u               /* characters in a name, global, event or text */
#define TRACE_MAX_NAMES (1u << 20)        /* distinct object names */
#define TRACE_MAX_GLOBALS (1u << 16)      /* distinct global names */
#define TRACE_MAX_EVENTS (1u << 16)       /* distinct event names */
#define TRACE_MAX_COMMANDS (1u << 22)     /* command lines in a file, repeat and end included */
#define TRACE_MAX_SIZE (1u << 30)         /* str and bytes SIZE: 1 GiB */
#define TRACE_MAX_ATTRS (1u << 16)        /* instance NATTRS */
#define TRACE_MAX_REPEAT 1000000000u      /* repeat COUNT */
#define TRACE_MAX_DEPTH 4                 /* repeat blocks nested in each other */

typedef struct trace_program trace_program;

/* What a program is and does, known from parsing alone. */
typedef struct trace_info {
    size_t lines;            /* lines in the file */
    size_t commands;         /* command lines: every line but blanks, comments, the header, repeat and end */
    size_t names, globals, events; /* distinct identifiers of each namespace */
    uint64_t ops_per_pass;   /* commands one replay of the file executes (saturates at UINT64_MAX) */
    uint64_t bytes_per_pass; /* payload one pass allocates: str/bytes SIZE, 8 per list/tuple item
                              * and per instance slot (headers not counted; saturates) */
    uint64_t events_per_pass, collects_per_pass; /* event and collect commands one pass executes */
    uint64_t work_per_pass;  /* steps one pass takes: 1 per line executed (repeat and end
                              * included), plus 1 per list/tuple item and per instance slot
                              * made or cleared (saturates) -- what a replay costs, but for
                              * collections and clearing lists and dicts */
    size_t max_str;          /* the largest str SIZE */
} trace_info;

/* Parse `len` bytes of `text` (need not be NUL-terminated; NUL bytes are an
 * error) read from the file `name` (used in error messages only).  Returns
 * the program, or NULL with one line "name:LINE: expected ..., got ..." in
 * err.  Never reads beyond text[len - 1]. */
trace_program *trace_parse(const char *name, const char *text, size_t len, char *err, size_t errlen);
void trace_program_free(trace_program *p); /* NULL is fine */
const trace_info *trace_program_info(const trace_program *p);

/* Allocate what a replay needs besides the heap (the str payload buffer,
 * max_str bytes), so that trace_replay allocates only on the heap.  Returns
 * 0, or -1 with one line in err.  Optional: trace_replay does it if needed. */
int trace_replay_ready(trace_program *p, char *err, size_t errlen);

/* What a replay did. */
typedef struct trace_stats {
    uint64_t ops;         /* commands executed */
    uint64_t events;      /* event commands executed */
    uint64_t collections; /* collect commands executed */
    uint64_t checkpoints; /* checkpoint commands executed */
    /* Optional: hears every checkpoint with gc.get_count() as the command
     * read it and the tuple the command made (borrowed: incref to keep it,
     * as `_ck.append(gc.get_count())` keeps it).  gclab calibrate uses it. */
    void (*on_checkpoint)(gclab_heap *h, const long counts[3], gclab_object *tuple, void *arg);
    void *arg;
} trace_stats;

/* Replay the program `repeat` times on h: names are the slots of one frame
 * pushed for the replay and emptied after every pass; globals live in the
 * heap's globals dict and persist from pass to pass.  On return the frame
 * has been popped: what only names held is garbage.  Adds to *stats.
 * Returns 0, or -1 with one line in err if trace_replay_ready fails. */
int trace_replay(gclab_heap *h, trace_program *p, uint64_t repeat, trace_stats *stats, char *err,
                 size_t errlen);

#endif
