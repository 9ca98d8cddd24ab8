/*
 * tests/fuzz_suite.c -- libFuzzer target for suite files (harness/suite.c).
 *
 * Every input must give either a well-formed suite or one error line
 * "fuzz.yaml:LINE: ..."; anything else aborts.  A suite is well formed when
 * it has at least one configuration, each with a label that starts with its
 * workload/collector, both of them registered, and the run settings in
 * their documented ranges; its schedule then holds every (configuration,
 * repeat) exactly once, and the `gclab run` argument vectors of a few runs
 * (warm-ups included) are NULL-terminated lists of non-empty strings that
 * name the run's collector, workload and output folder.
 *
 * suite_parse checks each configuration as `gclab run` would, which runs the
 * workload's prepare: the trace workload reads the file its `file`
 * parameter names (at most TRACE_MAX_FILE_BYTES).  So that an input cannot
 * make the fuzzer block on a device, a FIFO or /proc/kmsg, or spend its time
 * reading large files, an input is skipped (returns -1: not added to the
 * corpus) when any of its YAML scalars names an existing file that is not a
 * folder or a regular file of at most FUZZ_MAX_FILE bytes outside /dev, /proc
 * and /sys.
 * scripts/test.sh also caps the input at 4096 bytes (-max_len) and runs the
 * fuzzer with standard input from /dev/null.
 *
 * Build and run (scripts/test.sh does, for a bounded time):
 *     cmake --preset fuzz && cmake --build --preset fuzz --target fuzz_suite
 *     ./build-fuzz/tests/fuzz_suite -dict=tests/fuzz/suite.dict -max_len=4096 \
 *         CORPUS_COPY tests/fuzz/suite-corpus < /dev/null
 * from the repository root (the trace workload's default file is relative).
 */
#define _GNU_SOURCE

#include "harness/suite.h"

#include <gclab/gclab.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#define FUZZ_NAME "fuzz.yaml"
#define FUZZ_MAX_FILE (1 << 20)
/* suite_schedule is run on at most this many configurations and repeats
 * (a suite of a million runs is valid, but scheduling it in every execution
 * would only measure the allocator). */
#define FUZZ_MAX_SCHED_CONFIGS 512
#define FUZZ_MAX_SCHED_REPEAT 4
#define FUZZ_ARGV_RUNS 6 /* runs whose argument vector is built */
#define FUZZ_MAXARGS 256 /* as cli/suite.c and harness/runner.c */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what, const char *detail)
{
    if (!ok) {
        fprintf(stderr, "fuzz_suite: %s: %s\n", what, detail);
        abort();
    }
}

/* May the trace workload be left to open `s`, if it is a file name? */
static int harmless_name(const char *s)
{
    struct stat st;
    if (stat(s, &st) != 0)
        return 1; /* fopen fails too */
    if (S_ISDIR(st.st_mode))
        return 1; /* reading fails at once (EISDIR): keys such as workloads name folders of the tree */
    if (!S_ISREG(st.st_mode) || st.st_size > FUZZ_MAX_FILE)
        return 0;
    char real[PATH_MAX];
    if (!realpath(s, real))
        return 0;
    static const char *const special[] = {"/dev/", "/proc/", "/sys/"};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strncmp(real, special[i], strlen(special[i])) == 0)
            return 0;
    return 1;
}

/* Every scalar of every document, as libyaml decodes it (escapes and all). */
static int harmless_input(const uint8_t *data, size_t size)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        abort();
    yaml_parser_set_input_string(&p, data, size);
    int ok = 1;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev))
            break; /* suite_parse stops at the same error, before reading any file */
        yaml_event_type_t type = ev.type;
        if (type == YAML_SCALAR_EVENT && !harmless_name((const char *)ev.data.scalar.value))
            ok = 0;
        yaml_event_delete(&ev);
        if (!ok || type == YAML_STREAM_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    return ok;
}

/* An upper bound of the line numbers an error can name: the lines libyaml
 * can count in the input, plus one -- at the end of an input whose last line
 * has no newline, libyaml's mark is on the line after it. */
static size_t max_lines(const uint8_t *data, size_t size)
{
    if (size >= 2 && ((data[0] == 0xfe && data[1] == 0xff) || (data[0] == 0xff && data[1] == 0xfe)))
        return size + 2; /* UTF-16 */
    size_t n = 2;
    for (size_t i = 0; i < size; i++) /* \n, \r, and the last byte of U+0085, U+2028, U+2029 */
        n += data[i] == '\n' || data[i] == '\r' || data[i] == 0x85 || data[i] == 0xa8 || data[i] == 0xa9;
    return n;
}

static void check_error(const char *err, size_t errlen, const uint8_t *data, size_t size)
{
    check(memchr(err, '\0', errlen) != NULL, "error not terminated", "");
    check(strchr(err, '\n') == NULL, "error of more than one line", err);
    const size_t nlen = strlen(FUZZ_NAME);
    check(strncmp(err, FUZZ_NAME ":", nlen + 1) == 0, "error not starting with " FUZZ_NAME ":", err);
    char *end;
    unsigned long line = strtoul(err + nlen + 1, &end, 10);
    check(end > err + nlen + 1 && err[nlen + 1] >= '1' && err[nlen + 1] <= '9', "error without a line", err);
    check(line >= 1 && line <= max_lines(data, size), "error line past the input", err);
    check(end[0] == ':' && end[1] == ' ' && end[2] != '\0', "error without ': MESSAGE' after the line", err);
}

static void check_argv(const suite *s, const suite_run *r)
{
    const suite_config *c = &s->configs[r->config];
    char *argv[FUZZ_MAXARGS + 1], buf[8192];
    for (size_t i = 0; i <= FUZZ_MAXARGS; i++)
        argv[i] = (char *)"not set";
    int argc = suite_argv(s, r, "gclab", "out", argv, FUZZ_MAXARGS, buf, sizeof buf);
    check(argc >= 3 && argc < FUZZ_MAXARGS, "suite_argv: argc out of range", c->label);
    check(argv[argc] == NULL, "suite_argv: argv not NULL-terminated", c->label);
    int collector = 0, workload = 0, out = 0;
    for (int i = 0; i < argc; i++) {
        check(argv[i] != NULL && argv[i][0] != '\0', "suite_argv: a NULL or empty argument", c->label);
        if (i == 0)
            continue;
        const char *prev = argv[i - 1];
        collector += strcmp(prev, "-c") == 0 && strcmp(argv[i], c->collector) == 0;
        workload += strcmp(prev, "-w") == 0 && strcmp(argv[i], c->workload) == 0;
        out += strcmp(prev, "-o") == 0 && strncmp(argv[i], "out/", 4) == 0 && strcmp(argv[i] + 4, r->key) == 0;
    }
    check(strcmp(argv[0], "gclab") == 0 && strcmp(argv[1], "run") == 0, "suite_argv: not gclab run", c->label);
    check(collector == 1 && workload == 1 && out == 1, "suite_argv: -c, -w or -o missing or wrong", c->label);
}

static void check_suite(const suite *s)
{
    check(s->nconfigs > 0, "a suite without configurations", "");
    check(s->name && s->path && strcmp(s->path, FUZZ_NAME) == 0 && s->text, "name, path or text", "");
    check(s->repeat >= 1 && s->repeat <= 1000 && s->warmup >= 0 && s->warmup <= 100 && s->jobs >= 1 &&
              s->jobs <= 256 && s->timeout_s >= 0 && s->memory_limit_mb >= 0 && s->sample_ms <= 60000,
          "run settings out of range", s->name);
    for (size_t i = 0; i < s->nconfigs; i++) {
        const suite_config *c = &s->configs[i];
        check(c->label && c->collector && c->workload, "a configuration without label, collector or workload", "");
        const gclab_collector_info *ci = gclab_collector_find(c->collector);
        check(ci != NULL && c->cfg.collector == ci, "collector not registered", c->collector);
        check(c->cfg.workload != NULL && strcmp(c->cfg.workload->name, c->workload) == 0,
              "workload not the configuration's", c->workload);
        char prefix[256];
        snprintf(prefix, sizeof prefix, "%s/%s", c->workload, c->collector);
        check(strncmp(c->label, prefix, strlen(prefix)) == 0, "label not starting with workload/collector",
              c->label);
        check(c->cfg.config == c->label && c->cfg.seed == c->seed, "run config not the suite's", c->label);
        check(c->cfg.nthresholds >= 0 && c->cfg.nthresholds <= ci->nthresholds, "thresholds", c->label);
        for (size_t k = 0; k < c->nsettings; k++)
            check(c->settings[k] && strchr(c->settings[k], '='), "a setting without '='", c->label);
        check(c->settings[c->nsettings] == NULL, "settings not NULL-terminated", c->label);
    }

    /* The schedule, on the suite cut down to a size quick to schedule. */
    suite t = *s;
    if (t.nconfigs > FUZZ_MAX_SCHED_CONFIGS)
        t.nconfigs = FUZZ_MAX_SCHED_CONFIGS;
    if (t.repeat > FUZZ_MAX_SCHED_REPEAT)
        t.repeat = FUZZ_MAX_SCHED_REPEAT;
    suite_run *runs = NULL;
    size_t n = suite_schedule(&t, &runs);
    check(runs != NULL && n == t.nconfigs * (size_t)t.repeat, "suite_schedule: wrong count", "");
    unsigned char *seen = calloc(n, 1);
    check(seen != NULL, "calloc", "");
    for (size_t i = 0; i < n; i++) {
        const suite_run *r = &runs[i];
        check(r->config < t.nconfigs && r->repeat >= 0 && r->repeat < t.repeat, "suite_schedule: run out of range",
              r->key);
        check(i / t.nconfigs == (size_t)r->repeat, "suite_schedule: not round by round", r->key);
        size_t slot = (size_t)r->repeat * t.nconfigs + r->config;
        check(!seen[slot], "suite_schedule: a run twice", r->key);
        seen[slot] = 1;
        check(r->key[0] != '\0' && memchr(r->key, '\0', sizeof r->key) != NULL, "suite_schedule: key", "");
        if (i < FUZZ_ARGV_RUNS)
            check_argv(s, r);
    }
    free(seen);
    for (size_t i = 0; i < n && i < FUZZ_ARGV_RUNS; i++) { /* warm-ups: repeat -1 */
        suite_run w = {.config = runs[i].config, .repeat = -1};
        suite_run_key(s, &w);
        check(strstr(w.key, "-warmup") != NULL, "a warm-up's key", w.key);
        check_argv(s, &w);
    }
    free(runs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!harmless_input(data, size))
        return -1;
    char err[1024];
    memset(err, 'X', sizeof err); /* the parser must write a whole line */
    suite s;
    if (suite_parse(FUZZ_NAME, (const char *)data, size, &s, err, sizeof err) != 0)
        check_error(err, sizeof err, data, size);
    else
        check_suite(&s);
    suite_free(&s);
    return 0;
}
