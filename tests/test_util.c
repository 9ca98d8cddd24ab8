/*
 * tests/test_util.c -- the helpers written once and shared: splitmix64,
 * file names, bounded reading of input files, atomic commits of files.
 */
#include "test.h"

#include "harness/util.h"
#include "runtime/splitmix64.h"

#include <stdint.h>
#include <string.h>

/* ---------------------------------------------------------------- splitmix64 */

/* Reference values: the first five outputs of splitmix64 from seed 0 and
 * from seed 1234567, computed independently with Python's big integers
 * (state += 0x9e3779b97f4a7c15, then the two xor-shift-multiply rounds and
 * the final xor-shift, each masked to 64 bits).  Seed 0's first value,
 * 0xe220a8397b1dcdaf, is the one Vigna's splitmix64.c gives; seed 1234567's
 * (6457827717110365317, 3203168211198807973, ...) are Rosetta Code's. */
static void splitmix64_reference(void **state)
{
    (void)state;
    static const uint64_t from0[5] = {UINT64_C(0xe220a8397b1dcdaf), UINT64_C(0x6e789e6aa1b965f4),
                                      UINT64_C(0x06c45d188009454f), UINT64_C(0xf88bb8a8724c81ec),
                                      UINT64_C(0x1b39896a51a8749b)};
    static const uint64_t from1234567[5] = {UINT64_C(6457827717110365317), UINT64_C(3203168211198807973),
                                            UINT64_C(9817491932198370423), UINT64_C(4593380528125082431),
                                            UINT64_C(16408922859458223821)};
    uint64_t s = 0;
    for (int i = 0; i < 5; i++)
        assert_int_equal(splitmix64(&s), from0[i]);
    assert_int_equal(s, UINT64_C(5) * UINT64_C(0x9e3779b97f4a7c15)); /* the state advanced 5 steps */
    s = 1234567;
    for (int i = 0; i < 5; i++)
        assert_int_equal(splitmix64(&s), from1234567[i]);
}

/* ---------------------------------------------------------------- file names */

static void file_name_check(void **state)
{
    (void)state;
    assert_true(util_is_file_name("default"));
    assert_true(util_is_file_name("sweep-web-generational"));
    assert_true(util_is_file_name("a.b_c-D9"));
    assert_true(util_is_file_name("x"));
    assert_false(util_is_file_name(""));
    assert_false(util_is_file_name(NULL));
    assert_false(util_is_file_name("."));
    assert_false(util_is_file_name(".."));
    assert_false(util_is_file_name("../../escaped"));
    assert_false(util_is_file_name(".hidden"));
    assert_false(util_is_file_name(".index.tsv.tmp.42")); /* a temporary */
    assert_false(util_is_file_name("/"));
    assert_false(util_is_file_name("/etc"));
    assert_false(util_is_file_name("a/b"));
    assert_false(util_is_file_name("a/"));
    assert_false(util_is_file_name("my suite"));
    assert_false(util_is_file_name(" "));
    assert_false(util_is_file_name("tab\there"));
    assert_false(util_is_file_name("line\nbreak"));
    assert_false(util_is_file_name("caf\xc3\xa9"));
    char name[UTIL_FILE_NAME_MAX + 2];
    memset(name, 'n', sizeof name - 1);
    name[UTIL_FILE_NAME_MAX] = '\0';
    assert_true(util_is_file_name(name)); /* the longest */
    name[UTIL_FILE_NAME_MAX] = 'n';
    name[UTIL_FILE_NAME_MAX + 1] = '\0';
    assert_false(util_is_file_name(name)); /* one more */
}

/* in -> what util_file_name_from makes of it, in a buffer of len. */
static void check_from(const char *in, size_t len, const char *want)
{
    char out[512];
    memset(out, '#', sizeof out);
    util_file_name_from(in, out, len);
    assert_string_equal(out, want);
    assert_true(util_is_file_name(out));
}

static void file_name_from(void **state)
{
    (void)state;
    check_from("web", 64, "web");
    check_from("seed-cycles", 64, "seed-cycles");
    check_from("", 64, "x");
    check_from(".", 64, "_");
    check_from("..", 64, "_.");
    check_from("../../escaped", 64, "_._.._escaped");
    check_from("/", 64, "_");
    check_from("/etc/passwd", 64, "_etc_passwd");
    check_from("my suite (2)", 64, "my_suite__2_");
    check_from("caf\xc3\xa9", 64, "caf__");
    check_from("abcdef", 4, "abc"); /* cut to the buffer */
    check_from("", 2, "x");
    char longname[300];
    memset(longname, 'a', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    char out[512];
    util_file_name_from(longname, out, sizeof out);
    assert_int_equal(strlen(out), UTIL_FILE_NAME_MAX); /* cut to the longest name */
    assert_true(util_is_file_name(out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splitmix64_reference),
        cmocka_unit_test(file_name_check),
        cmocka_unit_test(file_name_from),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
