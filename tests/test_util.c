/*
 * tests/test_util.c -- the helpers written once and shared: splitmix64,
 * file names, bounded reading of input files, atomic commits of files.
 */

#define _GNU_SOURCE

#include "test.h"

#include "harness/atomic.h"
#include "harness/util.h"
#include "runtime/readfile.h"
#include "runtime/splitmix64.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---------------------------------------------------------------- atomic commits */

/* rename(2) and fsync(2) as gclab calls them (linked with --wrap): the
 * renames made are recorded, and the Nth rename or fsync can be made to
 * fail. */
int __real_rename(const char *from, const char *to);
int __real_fsync(int fd);
static char renamed[16][PATH_MAX];
static int nrenames, fail_rename_at, nfsyncs, fail_fsync_at;

int __wrap_rename(const char *from, const char *to);
int __wrap_rename(const char *from, const char *to)
{
    if (++nrenames == fail_rename_at) {
        errno = EIO;
        return -1;
    }
    int rc = __real_rename(from, to);
    if (rc == 0 && nrenames <= 16)
        snprintf(renamed[nrenames - 1], sizeof renamed[0], "%s", strrchr(to, '/') ? strrchr(to, '/') + 1 : to);
    return rc;
}

int __wrap_fsync(int fd);
int __wrap_fsync(int fd)
{
    if (++nfsyncs == fail_fsync_at) {
        errno = EIO;
        return -1;
    }
    return __real_fsync(fd);
}

static char dir[64];

static int dir_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/gclab-test-util-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    nrenames = fail_rename_at = nfsyncs = fail_fsync_at = 0;
    memset(renamed, 0, sizeof renamed);
    return 0;
}

static int dir_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *path_of(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void put(const char *name, const char *text)
{
    FILE *f = fopen(path_of(name), "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* The content of dir/name, "(none)" if there is no such file. */
static const char *content(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    FILE *f = fopen(path_of(name), "r");
    if (!f)
        return "(none)";
    size_t n = fread(buf[k], 1, sizeof buf[k] - 1, f);
    buf[k][n] = '\0';
    fclose(f);
    return buf[k];
}

/* How many names in dir start with '.' (temporaries, old versions). */
static int hidden_files(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static FILE *open_ok(atomic_group *g, const char *name)
{
    char err[512] = "";
    FILE *f = atomic_open(g, path_of(name), err, sizeof err);
    if (!f)
        fail_msg("atomic_open(%s): %s", name, err);
    return f;
}

static void atomic_single_file(void **state)
{
    (void)state;
    atomic_group g;
    atomic_init(&g);
    FILE *f = open_ok(&g, "one.csv");
    fputs("new", f);
    assert_string_equal(content("one.csv"), "(none)"); /* nothing there before the commit */
    assert_int_equal(hidden_files(), 1);                /* but its temporary */
    char err[512] = "";
    assert_int_equal(atomic_commit(&g, ATOMIC_FORWARD, err, sizeof err), 0);
    assert_string_equal(content("one.csv"), "new");
    assert_int_equal(hidden_files(), 0);
    assert_int_equal(nfsyncs, 1);
}

/* Three files replacing three old ones, renamed in the order asked. */
static void commit_in(atomic_order order, const char *first, const char *last)
{
    put("a", "A0");
    put("b", "B0");
    put("c", "C0");
    nrenames = 0;
    atomic_group g;
    atomic_init(&g);
    fputs("A1", open_ok(&g, "a"));
    fputs("B1", open_ok(&g, "b"));
    fputs("C1", open_ok(&g, "c"));
    char err[512] = "";
    assert_int_equal(atomic_commit(&g, order, err, sizeof err), 0);
    assert_int_equal(nrenames, 3);
    assert_string_equal(renamed[0], first);
    assert_string_equal(renamed[1], "b");
    assert_string_equal(renamed[2], last);
    assert_string_equal(content("a"), "A1");
    assert_string_equal(content("b"), "B1");
    assert_string_equal(content("c"), "C1");
    assert_int_equal(hidden_files(), 0); /* no temporary, no old version left */
}

static void atomic_order_forward(void **state)
{
    (void)state;
    commit_in(ATOMIC_FORWARD, "a", "c");
}

static void atomic_order_reverse(void **state)
{
    (void)state;
    commit_in(ATOMIC_REVERSE, "c", "a");
}

/* A target that is a folder: the rename over it fails after the one before
 * it succeeded; that one is put back. */
static void atomic_rename_fails_on_a_folder(void **state)
{
    (void)state;
    put("a", "A0");
    assert_int_equal(mkdir(path_of("b"), 0777), 0);
    atomic_group g;
    atomic_init(&g);
    fputs("A1", open_ok(&g, "a"));
    fputs("B1", open_ok(&g, "b"));
    fputs("C1", open_ok(&g, "c"));
    char err[512] = "";
    assert_int_equal(atomic_commit(&g, ATOMIC_FORWARD, err, sizeof err), -1);
    assert_int_equal(nrenames, 3);            /* a over a, b over the folder, a's old version back */
    assert_string_equal(renamed[0], "a");
    assert_string_equal(content("a"), "A0"); /* as it was */
    assert_string_equal(content("c"), "(none)");
    struct stat st;
    assert_int_equal(stat(path_of("b"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(hidden_files(), 0);
    assert_non_null(strstr(err, "cannot write "));
    assert_non_null(strstr(err, "/b: Is a directory"));
    assert_null(strchr(err, '\n'));
}

/* The last rename fails (EIO): one file new, one replaced, both undone. */
static void atomic_last_rename_fails(void **state)
{
    (void)state;
    put("b", "B0");
    put("c", "C0");
    fail_rename_at = 3;
    atomic_group g;
    atomic_init(&g);
    fputs("A1", open_ok(&g, "a")); /* new */
    fputs("B1", open_ok(&g, "b"));
    fputs("C1", open_ok(&g, "c"));
    char err[512] = "";
    assert_int_equal(atomic_commit(&g, ATOMIC_FORWARD, err, sizeof err), -1);
    assert_string_equal(renamed[0], "a");
    assert_string_equal(renamed[1], "b");
    assert_string_equal(content("a"), "(none)");
    assert_string_equal(content("b"), "B0");
    assert_string_equal(content("c"), "C0");
    assert_int_equal(hidden_files(), 0);
    assert_non_null(strstr(err, "/c: Input/output error"));
}

/* A file that cannot be synced: nothing is renamed at all. */
static void atomic_sync_fails(void **state)
{
    (void)state;
    put("a", "A0");
    fail_fsync_at = 2;
    atomic_group g;
    atomic_init(&g);
    fputs("A1", open_ok(&g, "a"));
    fputs("B1", open_ok(&g, "b"));
    char err[512] = "";
    assert_int_equal(atomic_commit(&g, ATOMIC_FORWARD, err, sizeof err), -1);
    assert_int_equal(nrenames, 0);
    assert_string_equal(content("a"), "A0");
    assert_string_equal(content("b"), "(none)");
    assert_int_equal(hidden_files(), 0);
    assert_non_null(strstr(err, "cannot write "));
    assert_non_null(strstr(err, "/b: Input/output error"));
}

/* A write that really fails: past the file size limit (EFBIG). */
static void atomic_write_fails(void **state)
{
    (void)state;
    put("a", "A0");
    struct rlimit was, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &was), 0);
    small = was;
    small.rlim_cur = 4096;
    void (*sig)(int) = signal(SIGXFSZ, SIG_IGN);
    atomic_group g;
    atomic_init(&g);
    fputs("A1", open_ok(&g, "a"));
    FILE *b = open_ok(&g, "b");
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    for (int i = 0; i < 1000; i++)
        fputs("0123456789", b);
    char err[512] = "";
    int rc = atomic_commit(&g, ATOMIC_FORWARD, err, sizeof err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &was), 0);
    signal(SIGXFSZ, sig);
    assert_int_equal(rc, -1);
    assert_int_equal(nrenames, 0);
    assert_string_equal(content("a"), "A0");
    assert_string_equal(content("b"), "(none)");
    assert_int_equal(hidden_files(), 0);
    assert_non_null(strstr(err, "/b: File too large"));
}

static void atomic_open_fails_then_abort(void **state)
{
    (void)state;
    put("a", "A0");
    atomic_group g;
    atomic_init(&g);
    fputs("A1", open_ok(&g, "a"));
    char err[512] = "";
    assert_null(atomic_open(&g, path_of("missing/b"), err, sizeof err));
    assert_non_null(strstr(err, "cannot write "));
    assert_non_null(strstr(err, "/missing/b: No such file or directory"));
    atomic_abort(&g);
    assert_string_equal(content("a"), "A0");
    assert_int_equal(hidden_files(), 0);
    assert_int_equal(nrenames, 0);
}

static void atomic_discarded_file(void **state)
{
    (void)state;
    put("b", "B0");
    atomic_group g;
    atomic_init(&g);
    fputs("A1", open_ok(&g, "a"));
    FILE *b = open_ok(&g, "b");
    fputs("B1", b);
    atomic_discard(&g, b);
    assert_int_equal(hidden_files(), 1); /* a's temporary only */
    char err[512] = "";
    assert_int_equal(atomic_commit(&g, ATOMIC_FORWARD, err, sizeof err), 0);
    assert_int_equal(nrenames, 1);
    assert_string_equal(content("a"), "A1");
    assert_string_equal(content("b"), "B0");
    assert_int_equal(hidden_files(), 0);
}

/* ---------------------------------------------------------------- bounded reading */

static void write_bytes(const char *name, size_t n)
{
    FILE *f = fopen(path_of(name), "w");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++)
        fputc('a' + (int)(i % 26), f);
    assert_int_equal(fclose(f), 0);
}

static void read_regular_files(void **state)
{
    (void)state;
    char why[256] = "";
    size_t len = 99;
    write_bytes("empty", 0);
    char *text = util_read_file(path_of("empty"), 1000, &len, why, sizeof why);
    assert_non_null(text);
    assert_int_equal(len, 0);
    assert_string_equal(text, "");
    free(text);
    write_bytes("max", 1000); /* exactly the limit */
    text = util_read_file(path_of("max"), 1000, &len, why, sizeof why);
    assert_non_null(text);
    assert_int_equal(len, 1000);
    assert_int_equal(strlen(text), 1000);
    assert_memory_equal(text, "abcdefghijklmnopqrstuvwxyzabcd", 30);
    free(text);
    write_bytes("over", 1001); /* one byte more */
    errno = 0;
    assert_null(util_read_file(path_of("over"), 1000, &len, why, sizeof why));
    assert_int_equal(errno, EFBIG);
    assert_string_equal(why, "1001 bytes, more than the limit of 1000 bytes");
    text = util_read_file(path_of("over"), 1024, &len, why, sizeof why); /* under a larger limit */
    assert_non_null(text);
    assert_int_equal(len, 1001);
    free(text);
    assert_null(util_read_file(path_of("over"), 512, &len, why, sizeof why));
    assert_string_equal(why, "1001 bytes, more than the limit of 512 bytes");
    FILE *f = util_open_file(path_of("max"), 1000, why, sizeof why);
    assert_non_null(f);
    char line[8];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "abcdefg");
    fclose(f);
    assert_null(util_open_file(path_of("over"), 1000, why, sizeof why));
    assert_int_equal(errno, EFBIG);
}

static void read_refuses_what_is_not_a_file(void **state)
{
    (void)state;
    char why[256] = "";
    errno = 0;
    assert_null(util_read_file(path_of("missing"), 1000, NULL, why, sizeof why));
    assert_int_equal(errno, ENOENT);
    assert_string_equal(why, strerror(ENOENT));
    assert_null(util_read_file(dir, 1000, NULL, why, sizeof why));
    assert_int_equal(errno, EISDIR);
    assert_string_equal(why, "a directory, not a regular file");
    /* a FIFO with no writer: refused at once, not waited on */
    assert_int_equal(mkfifo(path_of("fifo"), 0600), 0);
    assert_null(util_read_file(path_of("fifo"), 1000, NULL, why, sizeof why));
    assert_int_equal(errno, EINVAL);
    assert_string_equal(why, "a FIFO, not a regular file");
    assert_null(util_open_file(path_of("fifo"), 1000, why, sizeof why));
    assert_string_equal(why, "a FIFO, not a regular file");
    /* devices that never end, also through a link */
    assert_null(util_read_file("/dev/zero", (size_t)1 << 30, NULL, why, sizeof why));
    assert_string_equal(why, "a character device, not a regular file");
    assert_int_equal(symlink("/dev/urandom", path_of("random")), 0);
    assert_null(util_read_file(path_of("random"), (size_t)1 << 30, NULL, why, sizeof why));
    assert_string_equal(why, "a character device, not a regular file");
}

static void format_sizes(void **state)
{
    (void)state;
    char buf[32];
    gclab__format_size(buf, sizeof buf, (size_t)1 << 20);
    assert_string_equal(buf, "1 MiB");
    gclab__format_size(buf, sizeof buf, (size_t)64 << 20);
    assert_string_equal(buf, "64 MiB");
    gclab__format_size(buf, sizeof buf, (size_t)1 << 30);
    assert_string_equal(buf, "1 GiB");
    gclab__format_size(buf, sizeof buf, (size_t)64 << 10);
    assert_string_equal(buf, "64 KiB");
    gclab__format_size(buf, sizeof buf, 1536);
    assert_string_equal(buf, "1536 bytes");
    gclab__format_size(buf, sizeof buf, 0);
    assert_string_equal(buf, "0 bytes");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(splitmix64_reference),
        cmocka_unit_test(file_name_check),
        cmocka_unit_test(file_name_from),
        cmocka_unit_test_setup_teardown(atomic_single_file, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_order_forward, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_order_reverse, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_rename_fails_on_a_folder, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_last_rename_fails, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_sync_fails, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_write_fails, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_open_fails_then_abort, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(atomic_discarded_file, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(read_regular_files, dir_setup, dir_teardown),
        cmocka_unit_test_setup_teardown(read_refuses_what_is_not_a_file, dir_setup, dir_teardown),
        cmocka_unit_test(format_sizes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
