/*
 * tests/test_smaps.c -- reading a process's shared and private memory:
 * on a saved smaps_rollup, and on a real forked child that shares pages
 * with its parent until it writes them (copy-on-write).
 */
#define _GNU_SOURCE

#include "test.h"

#include "harness/smaps.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define KB 1024LL

static void a_saved_rollup_parses_to_bytes(void **state)
{
    (void)state;
    FILE *f = fopen(GCLAB_SOURCE_DIR "/tests/data/smaps_rollup.sample", "r");
    assert_non_null(f);
    char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    smaps_rollup s;
    assert_int_equal(smaps_parse(text, &s), 0);
    assert_int_equal(s.rss, 204800 * KB);
    assert_int_equal(s.pss, 120000 * KB); /* not Pss_Dirty, Pss_Anon... */
    assert_int_equal(s.shared_clean, 150000 * KB);
    assert_int_equal(s.shared_dirty, 10000 * KB);
    assert_int_equal(s.private_clean, 4800 * KB);
    assert_int_equal(s.private_dirty, 40000 * KB);
    assert_int_equal(smaps_shared(&s), 160000 * KB);
}

static void text_that_is_not_a_rollup_is_refused(void **state)
{
    (void)state;
    smaps_rollup s;
    assert_int_equal(smaps_parse("", &s), -1);
    assert_int_equal(smaps_parse("Pss: 12 kB\n", &s), -1); /* no Rss */
    assert_int_equal(smaps_parse("Rss: lots\n", &s), -1);
    assert_int_equal(smaps_parse("Rss: 12 MB\n", &s), -1); /* not kB */
    assert_int_equal(smaps_parse("Rss:  7 kB\nShared_Clean: x kB\n", &s), 0);
    assert_int_equal(s.rss, 7 * KB);
    assert_int_equal(s.shared_clean, -1);
    assert_int_equal(smaps_shared(&s), -1);
    assert_int_equal(smaps_read(999999999, &s), -1); /* no such process */
}

/* 32 MiB written by the parent, shared by the child until the child writes it. */
static void a_forked_child_shares_until_it_writes(void **state)
{
    (void)state;
    const size_t size = 32u << 20;
    char *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(mem != MAP_FAILED);
    madvise(mem, size, MADV_NOHUGEPAGE);
    memset(mem, 1, size);
    int go[2], ready[2];
    assert_int_equal(pipe(go), 0);
    assert_int_equal(pipe(ready), 0);
    pid_t pid = fork();
    assert_ge(pid, 0);
    if (pid == 0) { /* the worker: report ready, wait, write everything, report, wait */
        char c = 'r';
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(1);
        memset(mem, 2, size);
        if (write(ready[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
            _exit(1);
        _exit(0);
    }
    char c;
    assert_int_equal(read(ready[0], &c, 1), 1);
    smaps_rollup before, after;
    assert_int_equal(smaps_read(pid, &before), 0);
    assert_ge(smaps_shared(&before), (int64_t)size * 9 / 10);
    assert_lt(before.private_dirty, (int64_t)size / 2);
    assert_lt(before.pss, before.rss); /* shared pages count half */
    assert_int_equal(write(go[1], "g", 1), 1);
    assert_int_equal(read(ready[0], &c, 1), 1);
    assert_int_equal(smaps_read(pid, &after), 0);
    assert_ge(after.private_dirty, before.private_dirty + (int64_t)size * 9 / 10); /* copied */
    assert_le(smaps_shared(&after), smaps_shared(&before) - (int64_t)size * 9 / 10);
    assert_int_equal(write(go[1], "g", 1), 1);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    munmap(mem, size);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_saved_rollup_parses_to_bytes),
        cmocka_unit_test(text_that_is_not_a_rollup_is_refused),
        cmocka_unit_test(a_forked_child_shares_until_it_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
