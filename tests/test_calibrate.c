/*
 * tests/test_calibrate.c -- the parts of gclab calibrate that need no
 * interpreter: the pause fit, the tolerance, the corpus convention, and
 * gclab's side of a program (what it mirrors of the Python frame).  The
 * real interpreters are tests/test_calibrate.sh's.
 */
#define _GNU_SOURCE

#include "test.h"

#include "harness/calibrate.h"
#include "harness/pyrun.h"
#include "runtime/splitmix64.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Pauses made from known coefficients are fitted back exactly, R^2 1. */
static void fit_recovers_known_coefficients(void **state)
{
    (void)state;
    calib_pause a[40], b[25];
    for (int i = 0; i < 40; i++) {
        long e = 100 + 37L * i * i, c = (i * 7919) % 500;
        a[i] = (calib_pause){i % 3, e, c, 2500 + 3.5 * (double)e + 11.25 * (double)c};
    }
    for (int i = 0; i < 25; i++) {
        long e = 50000 + 1000L * i, c = 20000 - 300L * i;
        b[i] = (calib_pause){2, e, c, 2500 + 3.5 * (double)e + 11.25 * (double)c};
    }
    const calib_pause *sets[] = {a, b};
    size_t n[] = {40, 25};
    calib_fit f = calib_fit_pauses(sets, n, 2);
    assert_true(f.ok);
    assert_int_equal(f.n, 65);
    assert_true(fabs(f.a - 2500) < 1e-3);
    assert_true(fabs(f.b - 3.5) < 1e-8);
    assert_true(fabs(f.c - 11.25) < 1e-8);
    assert_true(fabs(f.r2 - 1) < 1e-9);
}

/* Noise lowers R^2 below 1 but the fit stays near the truth; too few
 * pauses fit nothing. */
static void fit_with_noise_and_too_few(void **state)
{
    (void)state;
    calib_pause p[200];
    uint64_t s = 42;
    for (int i = 0; i < 200; i++) {
        long e = 1000 + 50L * i, c = (i % 10) * 40L;
        double noise = (double)(splitmix64(&s) % 2001) - 1000; /* +-1000 ns */
        p[i] = (calib_pause){0, e, c, 800 + 2 * (double)e + 5 * (double)c + noise};
    }
    const calib_pause *sets[] = {p};
    size_t n[] = {200};
    calib_fit f = calib_fit_pauses(sets, n, 1);
    assert_true(f.ok);
    assert_true(f.r2 < 1 && f.r2 > 0.9);
    assert_true(fabs(f.b - 2) < 0.1);
    n[0] = 2;
    assert_false(calib_fit_pauses(sets, n, 1).ok);
}

/* Issue 11's tolerance: 2% per generation, gen 2 at least 1, the rest exact. */
static void tolerance_rules(void **state)
{
    (void)state;
    assert_true(calib_within("gen0", 102, 100));
    assert_false(calib_within("gen0", 103, 100));
    assert_true(calib_within("gen1", 98, 100));
    assert_false(calib_within("gen1", 1, 0));
    assert_true(calib_within("gen2", 1, 0));  /* max(1, 2%) */
    assert_true(calib_within("gen2", 4, 3));
    assert_false(calib_within("gen2", 5, 3));
    assert_true(calib_within("gen2", 102, 100));
    assert_true(calib_within("exact", 7, 7));
    assert_false(calib_within("exact", 8, 7));
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* The setup is what precedes `#-- measure`; programs come in name order;
 * a .py without its .trace, an unknown --programs name and an empty
 * folder are errors naming the cause. */
static void corpus_convention_and_errors(void **state)
{
    (void)state;
    char dir[] = "/tmp/gclab-corpus-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char err[512];
    calib_corpus c;
    assert_int_equal(calib_corpus_load(dir, NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "no corpus program"));
    put(dir, "b.py", "class C: pass\n#-- measure  \ngc.collect()\n");
    put(dir, "b.trace", "gclab-trace 1\ncollect\n");
    put(dir, "a.py", "x = []\n");
    assert_int_equal(calib_corpus_load(dir, NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "a.trace"));
    put(dir, "a.trace", "gclab-trace 1\nlist x\ndel x\n");
    assert_int_equal(calib_corpus_load(dir, NULL, &c, err, sizeof err), 0);
    assert_int_equal(c.n, 2);
    assert_string_equal(c.v[0].name, "a");
    assert_string_equal(c.v[0].setup, "");
    assert_string_equal(c.v[0].body, "x = []\n");
    assert_string_equal(c.v[1].setup, "class C: pass\n");
    assert_string_equal(c.v[1].body, "gc.collect()\n");
    calib_corpus_free(&c);
    assert_int_equal(calib_corpus_load(dir, "b", &c, err, sizeof err), 0);
    assert_int_equal(c.n, 1);
    calib_corpus_free(&c);
    assert_int_equal(calib_corpus_load(dir, "b,zz", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "'zz'"));
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* gclab's side mirrors the frame: _ck and _s0 exist before the program,
 * checkpoints read the counts (here derived: startup counts, then one list
 * and one list of three dicts counted under ideal, which has no free
 * lists), and the closing collection finds what the program left. */
static void gclab_side_mirrors_the_frame(void **state)
{
    (void)state;
    calib_program p = {.name = "t", .trace_path = "t.trace"};
    p.trace = "gclab-trace 1\ncheckpoint\nlist a\nappend a a\ndel a\ncheckpoint\n";
    p.trace_len = strlen(p.trace);
    calib_result r;
    char err[256];
    assert_int_equal(calib_run_gclab("ideal", "startup=0,100,3,1", &p, &r, err, sizeof err), 0);
    assert_int_equal(r.ncheckpoints, 2);
    /* 100 at start-up, the globals dict, _ck, _s0's list and three dicts */
    assert_int_equal(r.checkpoints[0][0], 100 + 1 + 1 + 4);
    assert_int_equal(r.checkpoints[0][1], 3);
    assert_int_equal(r.checkpoints[0][2], 1);
    /* then the first checkpoint's tuple (kept in _ck) and the list */
    assert_int_equal(r.checkpoints[1][0], 100 + 1 + 1 + 4 + 1 + 1);
    assert_int_equal(r.collections[0] + r.collections[1] + r.collections[2], 0);
    assert_int_equal(r.final, 1); /* the self-referencing list */
    assert_int_equal(r.npauses, 1); /* the closing collection, timed */
    calib_result_free(&r);
    /* a bad trace is one line naming the file */
    p.trace = "gclab-trace 1\nbogus\n";
    p.trace_len = strlen(p.trace);
    assert_int_equal(calib_run_gclab("ideal", "startup=0", &p, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "t.trace:2"));
}


/* pyrun: stdout whole, a long stderr's last line in the failure message,
 * stderr merged on request (a regression: a first stderr chunk over 4 KiB
 * crashed the tail keeping). */
static void pyrun_streams(void **state)
{
    (void)state;
    const char *py = "/usr/bin/python3";
    if (access(py, X_OK) != 0) {
        printf("skip: no %s\n", py);
        skip();
    }
    char err[512], *out = NULL;
    assert_int_equal(pyrun(py, "import sys; sys.stderr.write('x' * 200000 + '\\nlast words\\n'); sys.exit(3)", "p",
                           0, &out, err, sizeof err),
                     -1);
    assert_null(out);
    assert_non_null(strstr(err, "exit status 3: last words"));
    assert_int_equal(pyrun(py, "import sys; print('o' * 300000); sys.stderr.write('e' * 100000)", "p", 0, &out, err,
                           sizeof err),
                     0);
    assert_int_equal(strlen(out), 300001);
    assert_null(strchr(out, 'e'));
    free(out);
    assert_int_equal(pyrun(py, "import sys; print('o'); sys.stderr.write('on stderr')", "p", 1, &out, err, sizeof err),
                     0);
    assert_non_null(strstr(out, "on stderr"));
    free(out);
    assert_int_equal(pyrun("/nonexistent/python3", "pass", "p", 0, &out, err, sizeof err), -1);
    assert_non_null(strstr(err, "p: no executable interpreter there"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fit_recovers_known_coefficients),
        cmocka_unit_test(fit_with_noise_and_too_few),
        cmocka_unit_test(tolerance_rules),
        cmocka_unit_test(corpus_convention_and_errors),
        cmocka_unit_test(gclab_side_mirrors_the_frame),
        cmocka_unit_test(pyrun_streams),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
