/*
 * tests/test_workload_trace.c -- the `trace` workload and its format: the
 * sample traces under every collector, what a replay counts, and the
 * parser's errors on malformed input (file, line, "expected").
 */
#include "workload_test.h"

#include "workloads/trace_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SAMPLE GCLAB_SOURCE_DIR "/workloads/traces/sample.trace"
#define MAKE_CYCLE GCLAB_SOURCE_DIR "/workloads/traces/make-cycle.trace"

/* What the sample makes per pass (see its header comment). */
#define SAMPLE_REQUESTS 200
#define SAMPLE_LEAKED_PER_PASS (4 * SAMPLE_REQUESTS + 3) /* under refcount */
#define SAMPLE_EVENTS_PER_PASS (2 * SAMPLE_REQUESTS + 1)
#define SAMPLE_COLLECTS_PER_PASS 6

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static trace_program *parse_file(const char *path)
{
    size_t len;
    char *text = slurp(path, &len), err[512];
    trace_program *p = trace_parse(path, text, len, err, sizeof err);
    free(text);
    if (!p)
        fail_msg("%s", err);
    return p;
}

static trace_program *parse_text(const char *text, char *err, size_t errlen)
{
    return trace_parse("t.trace", text, strlen(text), err, errlen);
}

/* ------------------------------------------------------------------ */
/* The sample, under every collector */

static void sample_under_every_collector(void **state)
{
    (void)state;
    trace_program *p = parse_file(SAMPLE);
    const trace_info info = *trace_program_info(p);
    trace_program_free(p);
    assert_int_equal(info.ops_per_pass, 10057); /* as docs/workloads.d/trace.md says */
    assert_int_equal(info.events_per_pass, SAMPLE_EVENTS_PER_PASS);
    assert_int_equal(info.collects_per_pass, SAMPLE_COLLECTS_PER_PASS);
    for (size_t i = 0; i < gclab_collector_count(); i++) {
        const char *c = gclab_collector_at(i)->name;
        const char *settings[] = {"file=" SAMPLE, "repeat=2", NULL};
        run_result res;
        run_workload(c, "trace", settings, &res);
        assert_int_equal(res.ops, 2 * info.ops_per_pass);
        if (reclaims_cycles(c)) {
            /* The sample ends by clearing everything and collecting: nothing leaks,
             * and at least each request's request, response and chunks list
             * (its headers dict holds only strs: untracked) were collected. */
            assert_int_equal(res.leaked_containers, 0);
            assert_ge(run_collected(&res), 2 * 3 * SAMPLE_REQUESTS);
        } else {
            assert_ge(res.leaked_containers, 2 * 4 * SAMPLE_REQUESTS);
        }
        if (strcmp(c, "refcount") == 0)
            assert_int_equal(res.leaked_containers, 2 * SAMPLE_LEAKED_PER_PASS);
        if (strcmp(c, "generational") == 0)
            assert_int_equal(run_collected(&res), 2 * (3 * SAMPLE_REQUESTS + 3));
        run_result_free(&res);
    }
}

/* trace_replay counts what it executes: commands, events, collections. */
static void replay_counts(void **state)
{
    (void)state;
    trace_program *p = parse_file(SAMPLE);
    const trace_info *info = trace_program_info(p);
    for (size_t i = 0; i < gclab_collector_count(); i++) {
        gclab_heap *h = test_heap(gclab_collector_at(i)->name, NULL);
        trace_stats st = {0};
        char err[256];
        assert_int_equal(trace_replay(h, p, 3, &st, err, sizeof err), 0);
        assert_int_equal(st.ops, 3 * info->ops_per_pass);
        assert_int_equal(st.events, 3 * SAMPLE_EVENTS_PER_PASS);
        assert_int_equal(st.collections, 3 * SAMPLE_COLLECTS_PER_PASS);
        assert_null(gclab_frame_top(h)); /* the replay's frame is gone */
        gclab_heap_free(h, NULL);
    }
    trace_program_free(p);
}

/* The make_cycle() trace is seed-cycles' program: the same cycles collected. */
static void make_cycle_matches_seed_cycles(void **state)
{
    (void)state;
    const char *t[] = {"file=" MAKE_CYCLE, NULL};
    const char *s[] = {"count=1000", "collect_every=100", NULL};
    run_result a, b;
    run_workload("generational", "trace", t, &a);
    run_workload("generational", "seed-cycles", s, &b);
    assert_int_equal(run_collected(&a), 1000);
    assert_int_equal(run_collected(&a), run_collected(&b));
    assert_int_equal(a.ops, 1000 * 5 + 10);
    run_result_free(&a);
    run_result_free(&b);
    run_workload("refcount", "trace", t, &a);
    assert_int_equal(a.leaked_containers, 1000);
    run_result_free(&a);
}

/* The default file= is relative to the current directory: the repository root. */
static void default_file_from_the_root(void **state)
{
    (void)state;
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(GCLAB_SOURCE_DIR), 0);
    run_result res;
    run_workload("generational", "trace", NULL, &res);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(res.ops, 10057);
    run_result_free(&res);
}

/* ------------------------------------------------------------------ */
/* Semantics */

static uint64_t replay_ops(const char *text, const char *collector, uint64_t repeat, gclab_leak_report *leaks)
{
    char err[512];
    trace_program *p = parse_text(text, err, sizeof err);
    if (!p)
        fail_msg("%s", err);
    gclab_heap *h = test_heap(collector, NULL);
    trace_stats st = {0};
    assert_int_equal(trace_replay(h, p, repeat, &st, err, sizeof err), 0);
    assert_int_equal(st.ops, repeat * trace_program_info(p)->ops_per_pass);
    gclab_heap_shutdown(h, leaks);
    gclab_heap_free(h, NULL);
    trace_program_free(p);
    return st.ops;
}


/* ------------------------------------------------------------------ */
/* The calibration commands: checkpoint, __del__ GLOBAL, getdict, and the
 * range() call a repeat block makes; each expected count derived here. */

typedef struct heard {
    long counts[8][3];
    int n;
} heard;

static void hear(gclab_heap *h, const long counts[3], gclab_object *tuple, void *arg)
{
    heard *r = arg;
    assert_int_equal(gclab_kind_of(tuple), GCLAB_KIND_TUPLE);
    assert_int_equal(gclab_tuple_len(tuple), 3);
    (void)h;
    if (r->n < 8)
        memcpy(r->counts[r->n++], counts, sizeof r->counts[0]);
}

static gclab_heap *profile_heap(const char *profile)
{
    char set[64];
    snprintf(set, sizeof set, "profile=%s", profile);
    const char *params[] = {set, "startup=0"};
    gclab_config c = {.params = params, .nparams = 2};
    return test_heap("generational", &c);
}

static void calibration_commands(void **state)
{
    (void)state;
    char err[512];
    /* checkpoint: the counts before its own tuple, which counts one (ideal:
     * no free lists); then two lists, then a second checkpoint */
    trace_program *p = parse_text("gclab-trace 1\ncheckpoint\nlist a\nlist b\ncheckpoint\n", err, sizeof err);
    assert_non_null(p);
    gclab_heap *h = profile_heap("ideal");
    long c0[3];
    gclab_get_count(h, c0, 3);
    heard r = {.n = 0};
    trace_stats st = {.on_checkpoint = hear, .arg = &r};
    assert_int_equal(trace_replay(h, p, 1, &st, err, sizeof err), 0);
    assert_int_equal(st.checkpoints, 2);
    assert_int_equal(r.n, 2);
    assert_int_equal(r.counts[0][0], c0[0]);
    /* the first checkpoint's tuple counted one and, dropped, gave it back
     * (ideal has no free lists); the two lists count */
    assert_int_equal(r.counts[1][0], c0[0] + 2);
    gclab_heap_free(h, NULL);
    trace_program_free(p);

    /* __del__ GLOBAL resurrects into the global: after a full collection the
     * cycle survives, held by globals["saved"] */
    p = parse_text("gclab-trace 1\ninstance a 1 __del__ saved\nsetattr a 0 a\ndel a\ncollect\n", err, sizeof err);
    assert_non_null(p);
    h = profile_heap("cpython-3.12");
    trace_stats st2 = {0};
    assert_int_equal(trace_replay(h, p, 1, &st2, err, sizeof err), 0);
    gclab_object *k = gclab_new_str(h, "saved", 5);
    gclab_object *saved = gclab_dict_getitem(gclab_globals(h), k);
    assert_non_null(saved);
    assert_int_equal(gclab_kind_of(saved), GCLAB_KIND_INSTANCE);
    assert_ptr_equal(gclab_getattr(saved, 0), saved);
    gclab_decref(h, k);
    gclab_heap_free(h, NULL);
    trace_program_free(p);

    /* getdict: one more container allocation per instance on 3.11+ (dict free
     * list empty under startup=0 until dicts are freed), none under ideal;
     * collected with its instance on 3.12 (2 objects), not on 3.13 (1) */
    static const struct {
        const char *profile;
        long counted, collected;
    } cases[] = {{"ideal", 1, 1}, {"cpython-3.12", 2, 2}, {"cpython-3.13", 2, 1}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        p = parse_text("gclab-trace 1\ninstance a 1\nsetattr a 0 a\ngetdict a\ngetdict a\n", err, sizeof err);
        assert_non_null(p);
        h = profile_heap(cases[i].profile);
        gclab_collect(h, 2);
        long before[3], after[3];
        gclab_get_count(h, before, 3);
        trace_stats st3 = {0};
        /* the repeat-free trace: no range() call; the replay's own int atom counts nothing */
        assert_int_equal(trace_replay(h, p, 1, &st3, err, sizeof err), 0);
        gclab_get_count(h, after, 3);
        if (after[0] - before[0] != cases[i].counted)
            fail_msg("%s: getdict counted %ld, expected %ld", cases[i].profile, after[0] - before[0],
                     cases[i].counted);
        long n = gclab_collect(h, 2); /* the frame is gone: the self-cycle is garbage */
        if (n != cases[i].collected)
            fail_msg("%s: collected %ld, expected %ld", cases[i].profile, n, cases[i].collected);
        gclab_heap_free(h, NULL);
        trace_program_free(p);
    }

    /* repeat is `for _ in range(n)`: on 3.8 range() builds a 1-tuple, which
     * counts once while the 1-tuple free list is empty, then comes from it */
    for (int v38 = 0; v38 < 2; v38++) {
        p = parse_text("gclab-trace 1\nrepeat 1\ncheckpoint\nend\nrepeat 1\ncheckpoint\nend\n", err, sizeof err);
        h = profile_heap(v38 ? "cpython-3.8" : "cpython-3.9");
        gclab_collect(h, 2);
        heard r2 = {.n = 0};
        trace_stats st4 = {.on_checkpoint = hear, .arg = &r2};
        assert_int_equal(trace_replay(h, p, 1, &st4, err, sizeof err), 0);
        assert_int_equal(r2.n, 2);
        /* 0 after the collection; 3.8's range() tuple counted 1 before the first
         * checkpoint; the checkpoint's 3-tuple counted 1 (pushed back when freed),
         * and the second range() took 3.8's 1-tuple from its free list */
        assert_int_equal(r2.counts[0][0], v38 ? 1 : 0);
        assert_int_equal(r2.counts[1][0], (v38 ? 1 : 0) + 1);
        gclab_heap_free(h, NULL);
        trace_program_free(p);
    }
}

static void valid_traces(void **state)
{
    (void)state;
    gclab_leak_report lr;
    /* CRLF, tabs, comments (UTF-8), no final newline */
    assert_int_equal(replay_ops("# caf\xc3\xa9 \xe2\x82\xac\r\n\r\n  gclab-trace\t1  # header\r\n\tint x -5\r\nstr s 3", "refcount", 1, &lr), 2);
    /* list x x: [old x], then x is the list; rebinding releases the old object */
    assert_int_equal(replay_ops("gclab-trace 1\nint x 1\nlist x x\nlist x x\n", "refcount", 2, &lr), 6);
    assert_int_equal(lr.leaked.objects, 0);
    /* nested blocks count per execution */
    assert_int_equal(replay_ops("gclab-trace 1\nrepeat 3\nrepeat 4\nint i 1\nend\nevent e\nend\n", "generational", 1, &lr), 15);
    /* a block that deletes at its end what it binds at its start */
    assert_int_equal(replay_ops("gclab-trace 1\nrepeat 5\nlist l\nappend l l\ndel l\nend\n", "refcount", 1, &lr), 15);
    assert_int_equal(lr.by_kind[GCLAB_KIND_LIST].objects, 5); /* five self-cycles leaked */
    assert_int_equal(replay_ops("gclab-trace 1\nrepeat 5\nlist l\nappend l l\ndel l\nend\ncollect\n", "generational", 1, &lr), 16);
    assert_int_equal(lr.leaked.objects, 0);
    /* a block run once may leave its names deleted */
    assert_int_equal(replay_ops("gclab-trace 1\nlist l\nrepeat 1\nappend l l\ndel l\nend\n", "refcount", 1, &lr), 3);
    /* globals persist across passes; names do not */
    assert_int_equal(replay_ops("gclab-trace 1\nlist l\nglobal G l\nappend l l\n", "refcount", 3, &lr), 9);
    assert_int_equal(lr.by_kind[GCLAB_KIND_LIST].objects, 3); /* each pass's self-cycle, dropped with G */
    /* pop and delitem of what is not there do nothing; legacy finalizer cycles are uncollectable */
    assert_int_equal(replay_ops("gclab-trace 1\nlist l\npop l\npop l 7\ndict d\nint k 1\ndelitem d k\n"
                                "instance o 2 tp_del\nsetattr o 0 o\nsetattr o 1 d\ndelattr o 1\ndel o\n"
                                "collect 2\ngc disable\ngc enable\ngc freeze\ngc unfreeze\nclear l\nclear d\n",
                                "generational", 1, &lr), 18);
    /* every kind */
    assert_int_equal(replay_ops("gclab-trace 1\nint i 9223372036854775807\nstr s 100 hello\nstr e 0\nbytes b 10\n"
                                "tuple t i s\ntuple u\nlist l t u b\ndict d\nset d t l\nset d s e\ninstance o 3 __del__\n"
                                "setattr o 2 d\nclear o\nappend l o\npop l 0\nevent x:y/z-1.2\ncollect 0\n",
                                "generational", 2, &lr), 34);
}

/* Equal str keys are equal: TEXT and SIZE, TEXT defaulting to the name. */
static void str_payloads(void **state)
{
    (void)state;
    char err[512];
    gclab_heap *h = test_heap("refcount", NULL);
    trace_stats st = {0};
    /* Read the strs back through a global. */
    trace_program *p = parse_text("gclab-trace 1\nstr a 6 ab\nstr b 1 xyz\nstr key 5\nlist l a b key\nglobal L l\n", err, sizeof err);
    assert_non_null(p);
    assert_int_equal(trace_replay(h, p, 1, &st, err, sizeof err), 0);
    gclab_object *key = gclab_new_str(h, "L", 1);
    gclab_object *l = gclab_dict_getitem(gclab_globals(h), key);
    assert_non_null(l);
    assert_int_equal(gclab_list_len(l), 3);
    assert_string_equal(gclab_atom_data(gclab_list_get(l, 0)), "ab....");
    assert_string_equal(gclab_atom_data(gclab_list_get(l, 1)), "x");
    assert_string_equal(gclab_atom_data(gclab_list_get(l, 2)), "key..");
    gclab_decref(h, key);
    gclab_heap_free(h, NULL);
    trace_program_free(p);
}

/* ------------------------------------------------------------------ */
/* Malformed input: an error naming the file, the line and what was expected */

typedef struct bad_case {
    const char *text;
    size_t len; /* 0: strlen(text) */
    unsigned line;
    const char *says;
} bad_case;

static const bad_case bad_cases[] = {
    {"", 0, 1, "header line 'gclab-trace 1', got end of file"},
    {"# nothing\n\n", 0, 2, "got end of file"},
    {"int x 1\n", 0, 1, "header line 'gclab-trace 1' first, got 'int'"},
    {"gclab-trace 2\n", 0, 1, "format version 1"},
    {"gclab-trace 1 x\n", 0, 1, "end of line"},
    {"gclab-trace 1\ngclab-trace 1\n", 0, 2, "a command"},
    {"gclab-trace 1\nallocate x\n", 0, 2, "a command (int str"},
    {"gclab-trace 1\nint x\n", 0, 2, "VALUE (int NAME VALUE), got end of line"},
    {"gclab-trace 1\nint x 1 2\n", 0, 2, "end of line after int NAME VALUE, got '2'"},
    {"gclab-trace 1\nint x 9223372036854775808\n", 0, 2, "got '9223372036854775808'"},
    {"gclab-trace 1\nint x -9223372036854775809\n", 0, 2, "an integer from -9223372036854775808"},
    {"gclab-trace 1\nint x 1e3\n", 0, 2, "got '1e3'"},
    {"gclab-trace 1\nint x --1\n", 0, 2, "got '--1'"},
    {"gclab-trace 1\nbytes b 1073741825\n", 0, 2, "SIZE, an integer from 0 to 1073741824"},
    {"gclab-trace 1\nstr s -1\n", 0, 2, "SIZE"},
    {"gclab-trace 1\nstr s 4 a\"b\n", 0, 2, "TEXT of letters"},
    {"gclab-trace 1\ninstance o 65537\n", 0, 2, "NATTRS, an integer from 0 to 65536"},
    {"gclab-trace 1\ninstance o 1 __init__\n", 0, 2, "a finalizer"},
    {"gclab-trace 1\nint x+y 1\n", 0, 2, "NAME of letters, digits"},
    {"gclab-trace 1\nint aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1\n", 0, 2,
     "NAME of at most 64 characters, got 65"},
    {"gclab-trace 1\nappend l x\n", 0, 2, "a list to append to, got 'l', which is not bound before this line"},
    {"gclab-trace 1\ndict d\nint x 1\nappend d x\n", 0, 4, "a list to append to, got 'd', a dict (bound at line 2)"},
    {"gclab-trace 1\nlist l\ndel l\npop l\n", 0, 4, "which was deleted at line 3"},
    {"gclab-trace 1\nlist l\nrepeat 2\nint x 1\nappend l x\ndel l\nend\n", 0, 5,
     "deleted at line 6 in the block's previous repetition"},
    {"gclab-trace 1\nlist l\nrepeat 2\nappend l l\ndict l\nend\n", 0, 4, "a dict (bound at line 5 in the block's previous repetition)"},
    {"gclab-trace 1\ninstance o 2\nsetattr o 2 o\n", 0, 3, "an attribute index from 0 to 1 ('o' has 2, bound at line 2), got 2"},
    {"gclab-trace 1\ninstance o 0\ndelattr o 0\n", 0, 3, "an instance with attributes"},
    {"gclab-trace 1\nint i 1\nsetattr i 0 i\n", 0, 3, "an instance to set an attribute of, got 'i', an int"},
    {"gclab-trace 1\ntuple t\nclear t\n", 0, 3, "a list, dict or instance to clear, got 't', a tuple"},
    {"gclab-trace 1\nlist l a\n", 0, 2, "a bound name for each item, got 'a'"},
    {"gclab-trace 1\ndict d\nint k 1\nset d k v\n", 0, 4, "an object for the value, got 'v'"},
    {"gclab-trace 1\ndelglobal G\n", 0, 2, "a bound global to delete, got 'G'"},
    {"gclab-trace 1\nglobal G x\n", 0, 2, "an object to store in the global"},
    {"gclab-trace 1\ndel x\n", 0, 2, "a bound name to delete"},
    {"gclab-trace 1\ncollect 3\n", 0, 2, "GENERATION, an integer from 0 to 2"},
    {"gclab-trace 1\ngc stop\n", 0, 2, "an action, enable, disable, freeze or unfreeze, got 'stop'"},
    {"gclab-trace 1\nrepeat 0\nend\n", 0, 2, "COUNT, an integer from 1 to 1000000000, got '0'"},
    {"gclab-trace 1\nrepeat 1000000001\nend\n", 0, 2, "COUNT"},
    {"gclab-trace 1\nrepeat 2\nint x 1\n", 0, 2, "an 'end' for this repeat block, got end of file"},
    {"gclab-trace 1\nend\n", 0, 2, "got 'end' with no repeat block open"},
    {"gclab-trace 1\nrepeat 9\n# nothing\nrepeat 2\nend\nend\n", 0, 5, "a command before 'end', got an empty repeat block (line 4)"},
    {"gclab-trace 1\nrepeat 2\nevent e\nend x\n", 0, 4, "end of line after end"},
    {"gclab-trace 1\nrepeat 2\nrepeat 2\nrepeat 2\nrepeat 2\nrepeat 2\n", 0, 6, "nested at most 4 deep"},
    {"gclab-trace 1\nint x\0 1\n", 23, 2, "got a NUL byte at column 6"},
    {"gclab-trace 1\nint x 1 # \0\n", 26, 2, "got a NUL byte at column 11"},
    {"gclab-trace 1\nint x\a 1\n", 0, 2, "control byte 0x07 at column 6"},
    {"gclab-trace 1\nint x\r1\n", 0, 2, "control byte 0x0d"},
    {"gclab-trace 1\nint caf\xc3\xa9 1\n", 0, 2, "ASCII outside comments, got byte 0xc3 at column 8"},
    {"gclab-trace 1\nint x 1 # \xff\xfe\n", 0, 2, "UTF-8 text in the comment, got byte 0xff"},
    {"gclab-trace 1\n# \xc0\xaf overlong\n", 0, 2, "UTF-8 text in the comment, got byte 0xc0"},
    {"gclab-trace 1\n# \xed\xa0\x80 surrogate\n", 0, 2, "UTF-8 text in the comment, got byte 0xed"},
    {"gclab-trace 1\n# truncated \xe2\x82", 0, 2, "UTF-8 text in the comment"},
    {"gclab-trace 1\npop l x\n", 0, 2, "INDEX, an integer from 0"},
};

static void malformed_inputs(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const bad_case *c = &bad_cases[i];
        char err[512], want[64];
        size_t len = c->len ? c->len : strlen(c->text);
        trace_program *p = trace_parse("bad.trace", c->text, len, err, sizeof err);
        if (p) {
            trace_program_free(p);
            fail_msg("case %zu parsed: %s", i, c->text);
        }
        snprintf(want, sizeof want, "bad.trace:%u: expected ", c->line);
        if (strncmp(err, want, strlen(want)) != 0 || !strstr(err, c->says) || strchr(err, '\n'))
            fail_msg("case %zu: got \"%s\"; want \"%s...%s\"", i, err, want, c->says);
    }
}

/* Lines too long, too many names: the limits. */
static void limits(void **state)
{
    (void)state;
    char err[512];
    size_t n = 14 + TRACE_MAX_LINE + 1;
    char *text = malloc(n + 1);
    assert_non_null(text);
    memcpy(text, "gclab-trace 1\n", 14);
    memset(text + 14, '#', n - 14);
    assert_null(trace_parse("long.trace", text, n, err, sizeof err));
    assert_non_null(strstr(err, "long.trace:2: expected a line of at most 4096 bytes, got 4097 bytes"));
    text[n - 1] = '\n'; /* exactly 4096: fine */
    trace_program *p = trace_parse("long.trace", text, n, err, sizeof err);
    assert_non_null(p);
    trace_program_free(p);
    free(text);

    /* 65537 distinct globals */
    size_t cap = 64u * (TRACE_MAX_GLOBALS + 2);
    text = malloc(cap);
    assert_non_null(text);
    size_t used = (size_t)snprintf(text, cap, "gclab-trace 1\nint x 1\n");
    for (unsigned g = 0; g <= TRACE_MAX_GLOBALS; g++)
        used += (size_t)snprintf(text + used, cap - used, "global g%u x\n", g);
    assert_null(trace_parse("g.trace", text, used, err, sizeof err));
    assert_non_null(strstr(err, "g.trace:65539: expected at most 65536 distinct globals, got more"));
    free(text);

    /* a long file name is cut, the line still named */
    char name[1000];
    memset(name, 'f', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    assert_null(trace_parse(name, "x", 1, err, sizeof err));
    assert_lt(strlen(err), 400);
    assert_non_null(strstr(err, "fff:1: expected"));
}

/* Every prefix of the sample, and the sample with any one byte changed, is
 * either a program or one error line: a small deterministic fuzz. */
static void sample_mutations(void **state)
{
    (void)state;
    size_t len;
    char *text = slurp(SAMPLE, &len), err[512];
    for (size_t n = 0; n <= len; n++) {
        trace_program *p = trace_parse("s", text, n, err, sizeof err);
        if (!p)
            assert_non_null(strstr(err, ": expected "));
        trace_program_free(p);
    }
    static const char bytes[] = {'\0', '\n', ' ', '#', 'x', '1', '\xff', '\r', '-'};
    for (size_t i = 0; i < len; i += 3) {
        for (size_t b = 0; b < sizeof bytes; b++) {
            char save = text[i];
            text[i] = bytes[b];
            trace_program *p = trace_parse("s", text, len, err, sizeof err);
            if (!p)
                assert_non_null(strstr(err, ": expected "));
            trace_program_free(p);
            text[i] = save;
        }
    }
    free(text);
}

/* prepare: a missing file, a directory, a malformed file are bad input. */
static void prepare_errors(void **state)
{
    (void)state;
    const workload *w = workload_find("trace");
    assert_non_null(w);
    assert_non_null(w->prepare);
    char err[512];
    void *st = NULL;
    gclab_value v[2] = {{.s = "/nonexistent/x.trace"}, {.i = 1}};
    assert_int_equal(w->prepare(v, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent/x.trace"));
    assert_non_null(strstr(err, "No such file"));
    v[0].s = GCLAB_SOURCE_DIR;
    assert_int_equal(w->prepare(v, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, GCLAB_SOURCE_DIR));
    v[0].s = GCLAB_SOURCE_DIR "/CMakeLists.txt";
    assert_int_equal(w->prepare(v, &st, err, sizeof err), -1);
    assert_non_null(strstr(err, "CMakeLists.txt:1: expected the header line"));
    v[0].s = SAMPLE;
    assert_int_equal(w->prepare(v, &st, err, sizeof err), 0);
    assert_non_null(st);
    w->release(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sample_under_every_collector),
        cmocka_unit_test(replay_counts),
        cmocka_unit_test(make_cycle_matches_seed_cycles),
        cmocka_unit_test(default_file_from_the_root),
        cmocka_unit_test(valid_traces),
        cmocka_unit_test(calibration_commands),
        cmocka_unit_test(str_payloads),
        cmocka_unit_test(malformed_inputs),
        cmocka_unit_test(limits),
        cmocka_unit_test(sample_mutations),
        cmocka_unit_test(prepare_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
