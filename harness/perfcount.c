/*
 * harness/perfcount.c -- counters through perf_event_open(2); see
 * perfcount.h.
 *
 * Scope: every counter is opened with pid 0, cpu -1 and inherit 0, so it
 * counts the thread that called perf_counters_open(), on whatever CPU it
 * runs, and nothing else: not threads it creates later, not other threads
 * of the process.  A measurement is of one single-threaded region, run on
 * the opening thread.
 *
 * Each counter is its own fd, not a member of a group: a group fails as a
 * whole when one member cannot be opened or scheduled, and hardware events
 * are "not supported" on some VMs.  Independent fds let each counter be
 * available or NA on its own.  The price is that they are enabled one
 * ioctl after another, a few microseconds of skew between them.
 *
 * Kernel counting is tried first.  Whether it is allowed depends on
 * /proc/sys/kernel/perf_event_paranoid *and* the caller's capabilities
 * (root, CAP_PERFMON, CAP_SYS_ADMIN), so rather than second-guess the
 * kernel from the paranoid level we ask it: when an open is refused with
 * EACCES or EPERM, it and every later counter of the set are opened with
 * exclude_kernel and exclude_hv, counting user space only.  Then
 * context_switches is NA rather than the 0 it would always read (a switch
 * is a kernel event), page_faults counts only faults taken in user mode
 * (not those inside system calls such as read() into fresh memory), and
 * task_clock_ns, being time-based, still includes system time.
 *
 * Any other failure -- ENOENT or EOPNOTSUPP for an event the PMU lacks,
 * ENOSYS, a seccomp filter in a container, EMFILE -- leaves that counter NA
 * (-1).  Nothing here prints or aborts, except when the small struct
 * itself cannot be allocated.
 *
 * Counts are taken as differences from a baseline read at start, for the
 * value and for time_enabled and time_running alike: PERF_EVENT_IOC_RESET
 * zeroes the value but not the two times, so a set started a second time
 * would otherwise be scaled by the ratio of its whole life.  A counter
 * multiplexed off the PMU part of the time is scaled by
 * enabled / running; one that never ran (running 0) is NA.
 */
#define _GNU_SOURCE

#include "perfcount.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/perf_event.h>

const char *const perf_counter_columns[PC_N] = {
    [PC_TASK_CLOCK] = "task_clock_ns",
    [PC_PAGE_FAULTS] = "page_faults",
    [PC_CONTEXT_SWITCHES] = "context_switches",
    [PC_CYCLES] = "cycles",
    [PC_INSTRUCTIONS] = "instructions",
    [PC_CACHE_MISSES] = "cache_misses",
};

const perf_counter_event perf_counter_events[PC_N] = {
    [PC_TASK_CLOCK] = {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK},
    [PC_PAGE_FAULTS] = {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS},
    [PC_CONTEXT_SWITCHES] = {PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES},
    [PC_CYCLES] = {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES},
    [PC_INSTRUCTIONS] = {PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS},
    [PC_CACHE_MISSES] = {PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES},
};

/* What a read returns with PERF_FORMAT_TOTAL_TIME_ENABLED|_RUNNING and no
 * group: value, time_enabled, time_running. */
struct sample {
    uint64_t value, enabled, running;
};

struct perf_counters {
    int fd[PC_N];          /* -1: not opened, NA */
    int have_base[PC_N];   /* base[] was read at the last start */
    struct sample base[PC_N];
};

static int sys_perf_event_open(struct perf_event_attr *attr, unsigned long flags)
{
#ifdef SYS_perf_event_open
    long fd = syscall(SYS_perf_event_open, attr, 0 /* this thread */, -1 /* any cpu */,
                      -1 /* no group */, flags);
    return fd < 0 ? -1 : (int)fd;
#else
    (void)attr;
    (void)flags;
    errno = ENOSYS;
    return -1;
#endif
}

/* One counter, disabled, not inherited; -1 with errno on failure. */
static int open_one(perf_counter_id id, int exclude_kernel)
{
    struct perf_event_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.size = sizeof attr;
    attr.type = perf_counter_events[id].type;
    attr.config = perf_counter_events[id].config;
    attr.read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
    attr.disabled = 1;
    attr.inherit = 0;
    attr.exclude_kernel = exclude_kernel ? 1 : 0;
    attr.exclude_hv = exclude_kernel ? 1 : 0;

    int fd = sys_perf_event_open(&attr, PERF_FLAG_FD_CLOEXEC);
    if (fd < 0 && errno == EINVAL) {
        /* Kernels before 3.14 refuse the flag; set close-on-exec by hand. */
        fd = sys_perf_event_open(&attr, 0);
        if (fd >= 0)
            (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    }
    return fd;
}

perf_counters *perf_counters_open(void)
{
    perf_counters *pc = malloc(sizeof *pc);
    if (!pc) {
        fputs("gclab: perf_counters_open: out of memory\n", stderr);
        abort();
    }
    int saved_errno = errno;
    int exclude_kernel = 0;
    for (int i = 0; i < PC_N; i++) {
        pc->have_base[i] = 0;
        pc->fd[i] = -1;
        if (!exclude_kernel) {
            pc->fd[i] = open_one((perf_counter_id)i, 0);
            if (pc->fd[i] < 0 && (errno == EACCES || errno == EPERM))
                exclude_kernel = 1;
        }
        /* A context switch happens in the kernel: counted in user space
         * only, it is always 0, which would read as a measurement. */
        if (pc->fd[i] < 0 && exclude_kernel && i != PC_CONTEXT_SWITCHES)
            pc->fd[i] = open_one((perf_counter_id)i, 1);
    }
    errno = saved_errno;
    return pc;
}

static int read_sample(int fd, struct sample *s)
{
    uint64_t buf[3];
    ssize_t n;
    do
        n = read(fd, buf, sizeof buf);
    while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof buf)
        return -1;
    s->value = buf[0];
    s->enabled = buf[1];
    s->running = buf[2];
    return 0;
}

void perf_counters_start(perf_counters *pc)
{
    if (!pc)
        return;
    int saved_errno = errno;
    for (int i = 0; i < PC_N; i++) {
        pc->have_base[i] = 0;
        if (pc->fd[i] < 0)
            continue;
        (void)ioctl(pc->fd[i], PERF_EVENT_IOC_DISABLE, 0); /* a start without a stop */
        (void)ioctl(pc->fd[i], PERF_EVENT_IOC_RESET, 0);
        pc->have_base[i] = read_sample(pc->fd[i], &pc->base[i]) == 0;
    }
    /* Enable last, hardware first, so the software counters -- task-clock
     * above all -- see as few of these syscalls as possible. */
    for (int i = PC_N - 1; i >= 0; i--)
        if (pc->have_base[i])
            (void)ioctl(pc->fd[i], PERF_EVENT_IOC_ENABLE, 0);
    errno = saved_errno;
}

void perf_counters_stop(perf_counters *pc)
{
    if (!pc)
        return;
    int saved_errno = errno;
    for (int i = 0; i < PC_N; i++)
        if (pc->fd[i] >= 0)
            (void)ioctl(pc->fd[i], PERF_EVENT_IOC_DISABLE, 0);
    errno = saved_errno;
}

/* value * enabled / running, without overflowing, capped at INT64_MAX. */
static int64_t scaled(uint64_t value, uint64_t enabled, uint64_t running)
{
    if (enabled <= running) /* never multiplexed (or clock skew) */
        return value > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)value;
    long double v = (long double)value * (long double)enabled / (long double)running;
    if (v >= (long double)INT64_MAX)
        return INT64_MAX;
    return (int64_t)(v + 0.5L);
}

void perf_counters_read(perf_counters *pc, int64_t out[PC_N])
{
    for (int i = 0; i < PC_N; i++)
        out[i] = -1;
    if (!pc)
        return;
    int saved_errno = errno;
    for (int i = 0; i < PC_N; i++) {
        struct sample s;
        if (pc->fd[i] < 0 || !pc->have_base[i] || read_sample(pc->fd[i], &s) != 0)
            continue;
        const struct sample *b = &pc->base[i];
        if (s.value < b->value || s.enabled < b->enabled || s.running < b->running)
            continue; /* cannot happen without a reset behind our back */
        uint64_t running = s.running - b->running;
        if (running == 0)
            continue; /* never scheduled on the PMU: no estimate */
        out[i] = scaled(s.value - b->value, s.enabled - b->enabled, running);
    }
    errno = saved_errno;
}

void perf_counters_close(perf_counters *pc)
{
    if (!pc)
        return;
    int saved_errno = errno;
    for (int i = 0; i < PC_N; i++)
        if (pc->fd[i] >= 0)
            (void)close(pc->fd[i]);
    free(pc);
    errno = saved_errno;
}
