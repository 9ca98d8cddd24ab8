/*
 * tests/test_perfcount.c -- harness/perfcount: counters around a region.
 *
 * Whether a counter is available is decided here independently, by opening
 * its event with a raw perf_event_open(2), so that a counter that reads NA
 * on a machine where the event does work fails the test instead of
 * skipping it.
 */
#define _GNU_SOURCE

#include "test.h"

#include "harness/perfcount.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/perf_event.h>

/* ------------------------------------------------------------ helpers */

static int raw_open(perf_counter_id id, int exclude_kernel)
{
#ifdef SYS_perf_event_open
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = perf_counter_events[id].type;
    attr.config = perf_counter_events[id].config;
    attr.disabled = 1;
    attr.exclude_kernel = exclude_kernel ? 1 : 0;
    attr.exclude_hv = exclude_kernel ? 1 : 0;
    return (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0UL);
#else
    (void)id;
    (void)exclude_kernel;
    return -1;
#endif
}

/* Can this thread open the event, counting the kernel or, where that is
 * refused, user space only?  Context switches happen in the kernel, so
 * perfcount gives them up (NA) rather than count them in user space. */
static int event_works(perf_counter_id id)
{
    int fd = raw_open(id, 0);
    if (fd < 0 && (errno == EACCES || errno == EPERM) && id != PC_CONTEXT_SWITCHES)
        fd = raw_open(id, 1);
    if (fd < 0)
        return 0;
    close(fd);
    return 1;
}

static int64_t thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Burn about `ms` of this thread's CPU time, touching a buffer as it goes
 * so that the hardware counters, where there are any, have cache misses to
 * count. */
static void busy_ms(int ms)
{
    enum { SPAN = 16 << 20 };
    static volatile unsigned char buf[SPAN];
    int64_t end = thread_cpu_ns() + (int64_t)ms * 1000000;
    size_t i = 0;
    unsigned x = 1;
    while (thread_cpu_ns() < end)
        for (int k = 0; k < 4096; k++) {
            x = x * 1103515245u + 12345u;
            buf[i] = (unsigned char)(buf[i] + x);
            i = (i + 4099) % SPAN; /* a stride past the cache line */
        }
}

static int count_open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        fail_msg("opendir(/proc/self/fd): %s", strerror(errno));
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n; /* includes the directory's own fd, the same every time */
}

/* ------------------------------------------------------------ tests */

static void columns_are_named_in_counter_order(void **state)
{
    (void)state;
    static const char *const want[PC_N] = {
        "task_clock_ns", "page_faults", "context_switches", "cycles", "instructions", "cache_misses",
    };
    for (int i = 0; i < PC_N; i++) {
        assert_non_null(perf_counter_columns[i]);
        assert_string_equal(perf_counter_columns[i], want[i]);
    }
}

static void task_clock_of_a_20ms_busy_loop_is_about_20ms(void **state)
{
    (void)state;
    int works = event_works(PC_TASK_CLOCK);
    perf_counters *pc = perf_counters_open();
    assert_non_null(pc);
    perf_counters_start(pc);
    busy_ms(20);
    perf_counters_stop(pc);
    int64_t v[PC_N];
    perf_counters_read(pc, v);
    perf_counters_close(pc);

    if (!works) {
        assert_int_equal(v[PC_TASK_CLOCK], -1);
        skip(); /* task-clock cannot be opened here */
    }
    assert_true(v[PC_TASK_CLOCK] != -1);
    assert_in_range(v[PC_TASK_CLOCK], 10 * 1000000LL, 1000 * 1000000LL);
    if (event_works(PC_CONTEXT_SWITCHES))
        assert_ge(v[PC_CONTEXT_SWITCHES], 0);
}

static void page_faults_grow_by_at_least_the_pages_touched(void **state)
{
    (void)state;
    enum { PAGES = 1000 };
    int works = event_works(PC_PAGE_FAULTS);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t len = PAGES * page;
    unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    (void)madvise(p, len, MADV_NOHUGEPAGE); /* one fault per page, not per 2 MiB */

    perf_counters *pc = perf_counters_open();
    perf_counters_start(pc);
    for (size_t i = 0; i < PAGES; i++)
        ((volatile unsigned char *)p)[i * page] = (unsigned char)i;
    perf_counters_stop(pc);
    int64_t v[PC_N];
    perf_counters_read(pc, v);
    perf_counters_close(pc);
    munmap(p, len);

    if (!works) {
        assert_int_equal(v[PC_PAGE_FAULTS], -1);
        skip();
    }
    assert_ge(v[PC_PAGE_FAULTS], PAGES);
}

static void stop_freezes_the_counts(void **state)
{
    (void)state;
    perf_counters *pc = perf_counters_open();
    perf_counters_start(pc);
    busy_ms(5);
    perf_counters_stop(pc);
    int64_t a[PC_N], b[PC_N];
    perf_counters_read(pc, a);
    busy_ms(5);
    perf_counters_read(pc, b);
    perf_counters_close(pc);
    for (int i = 0; i < PC_N; i++)
        assert_int_equal(a[i], b[i]);
    if (event_works(PC_TASK_CLOCK))
        assert_gt(a[PC_TASK_CLOCK], 0); /* not frozen because never counting */
}

static void start_again_counts_from_zero(void **state)
{
    (void)state;
    perf_counters *pc = perf_counters_open();
    perf_counters_start(pc);
    busy_ms(30);
    perf_counters_stop(pc);
    int64_t first[PC_N], second[PC_N];
    perf_counters_read(pc, first);
    perf_counters_start(pc);
    busy_ms(1);
    perf_counters_stop(pc);
    perf_counters_read(pc, second);
    perf_counters_close(pc);
    if (!event_works(PC_TASK_CLOCK))
        skip();
    assert_ge(first[PC_TASK_CLOCK], 20 * 1000000LL);
    assert_in_range(second[PC_TASK_CLOCK], 1, 20 * 1000000LL);
}

static void unsupported_counters_read_as_minus_one_and_supported_ones_count(void **state)
{
    (void)state;
    perf_counters *pc = perf_counters_open(); /* never fails, whatever is missing */
    assert_non_null(pc);
    perf_counters_start(pc);
    busy_ms(20);
    perf_counters_stop(pc);
    int64_t v[PC_N];
    perf_counters_read(pc, v);
    perf_counters_close(pc);

    for (int i = 0; i < PC_N; i++) {
        if (!event_works((perf_counter_id)i)) {
            if (v[i] != -1)
                fail_msg("%s cannot be opened here but reads %lld, not -1", perf_counter_columns[i],
                         (long long)v[i]);
        } else if (i >= PC_CYCLES) {
            /* Hardware: 20 ms of work over a 16 MiB buffer has cycles,
             * instructions and cache misses to count. */
            if (v[i] <= 0)
                fail_msg("%s can be opened here but reads %lld", perf_counter_columns[i], (long long)v[i]);
        } else if (v[i] < 0) {
            fail_msg("%s can be opened here but reads %lld", perf_counter_columns[i], (long long)v[i]);
        }
    }
}

static void open_and_close_200_times_leaks_no_fds(void **state)
{
    (void)state;
    int before = count_open_fds();
    int works = event_works(PC_TASK_CLOCK);
    for (int k = 0; k < 200; k++) {
        perf_counters *pc = perf_counters_open();
        if (k == 0 && works)
            assert_gt(count_open_fds(), before); /* the loop does open something */
        perf_counters_start(pc);
        perf_counters_stop(pc);
        int64_t v[PC_N];
        perf_counters_read(pc, v);
        perf_counters_close(pc);
    }
    assert_int_equal(count_open_fds(), before);
}

static void null_is_tolerated_and_reads_as_all_na(void **state)
{
    (void)state;
    int64_t v[PC_N];
    perf_counters_start(NULL);
    perf_counters_stop(NULL);
    perf_counters_read(NULL, v);
    perf_counters_close(NULL);
    for (int i = 0; i < PC_N; i++)
        assert_int_equal(v[i], -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(columns_are_named_in_counter_order),
        cmocka_unit_test(task_clock_of_a_20ms_busy_loop_is_about_20ms),
        cmocka_unit_test(page_faults_grow_by_at_least_the_pages_touched),
        cmocka_unit_test(stop_freezes_the_counts),
        cmocka_unit_test(start_again_counts_from_zero),
        cmocka_unit_test(unsupported_counters_read_as_minus_one_and_supported_ones_count),
        cmocka_unit_test(open_and_close_200_times_leaks_no_fds),
        cmocka_unit_test(null_is_tolerated_and_reads_as_all_na),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
