/*
 * harness/runner.c -- runs a suite, one fresh `gclab run` process per run.
 *
 * A fresh process per run means peak RSS, the allocator's state and the
 * page cache of the heap belong to that run alone; wait4() gives its
 * resource usage even when it dies.  Each child is the leader of its own
 * process group, so Ctrl-C at the terminal reaches only the suite (which
 * then stops the children itself), and a timeout kills a child together
 * with any workers it forked.
 */
#define _GNU_SOURCE

#include "runner.h"

#include "csv.h"
#include "output.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    if (stop_signal) /* a second Ctrl-C: no more patience */
        signal(sig, SIG_DFL);
    stop_signal = sig;
}

static void on_child(int sig) { (void)sig; /* only to wake nanosleep */ }

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return flag == FTW_DP ? rmdir(path) : unlink(path);
}

int runner_rm_rf(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : -1;
    return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The last non-empty line of a log, for a failure's reason: from its last
 * UTIL_LOG_TAIL_BYTES only, however much the run wrote. */
static void last_line(const char *path, char *buf, size_t len)
{
    buf[0] = '\0';
    char why[256];
    FILE *f = util_open_file(path, SIZE_MAX, why, sizeof why);
    if (!f)
        return;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (size_t)st.st_size > UTIL_LOG_TAIL_BYTES)
        (void)fseeko(f, st.st_size - (off_t)UTIL_LOG_TAIL_BYTES, SEEK_SET);
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (*line) {
            size_t n = strlen(line) < len - 1 ? strlen(line) : len - 1;
            memcpy(buf, line, n);
            buf[n] = '\0';
        }
    }
    fclose(f);
}

typedef struct slot {
    pid_t pid;
    suite_run run;
    uint64_t start_ns;
    int timed_out;
} slot;

typedef struct state {
    const suite *s;
    const runner_opts *o;
    const char *dir;
    runner_outcome *out;
    size_t done_now, todo_now; /* runs (warm-ups too) finished and to do in this call: the ETA */
    uint64_t t0, last_draw;
    int drawn;
} state;

static void fmt_time(char *buf, size_t len, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, len, "%ld:%02ld", t / 60, t % 60);
}

static void draw(state *st, const slot *slots, int force)
{
    if (st->o->quiet || !st->o->progress)
        return;
    uint64_t now = now_ns();
    if (!force && now - st->last_draw < 200000000u)
        return;
    st->last_draw = now;
    size_t finished = st->out->ok + st->out->failed, total = st->out->total;
    int width = 24, fill = total ? (int)((double)finished / (double)total * width) : width;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
    bar[width] = '\0';
    double elapsed = (double)(now - st->t0) / 1e9;
    char el[32], eta[48] = "ETA --:--";
    fmt_time(el, sizeof el, elapsed);
    if (st->done_now) {
        char e[32];
        fmt_time(e, sizeof e, elapsed / (double)st->done_now * (double)(st->todo_now - st->done_now));
        snprintf(eta, sizeof eta, "ETA %s", e);
    }
    const char *running = "";
    for (int i = 0; i < st->o->jobs; i++)
        if (slots[i].pid > 0) {
            running = slots[i].run.key;
            break;
        }
    fprintf(stderr, "\r\033[K[%s] %zu/%zu runs", bar, finished, total);
    if (st->out->failed)
        fprintf(stderr, ", %zu failed", st->out->failed);
    fprintf(stderr, "  %s elapsed, %s  %.40s", el, eta, running);
    st->drawn = 1;
}

static void clear_bar(state *st)
{
    if (st->drawn) {
        fputs("\r\033[K", stderr);
        st->drawn = 0;
    }
}

static pid_t spawn(state *st, const suite_run *r, const char *outdir, const char *logpath)
{
    char *argv[256], buf[8192];
    suite_argv(st->s, r, st->o->gclab, outdir, argv, 256, buf, sizeof buf);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        setpgid(0, 0);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        int in = open("/dev/null", O_RDONLY);
        int log = open(logpath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (in >= 0)
            dup2(in, 0);
        if (log >= 0) {
            dup2(log, 1);
            dup2(log, 2);
        }
        if (st->s->memory_limit_mb > 0) {
            struct rlimit rl;
            rl.rlim_cur = rl.rlim_max = (rlim_t)st->s->memory_limit_mb << 20;
            setrlimit(RLIMIT_AS, &rl);
        }
        execv(argv[0], argv);
        fprintf(stderr, "gclab: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid); /* also here: no window where Ctrl-C could reach it */
    return pid;
}

/* Why a child failed, in words. */
static void failure_reason(char *buf, size_t len, int status, int timed_out, double timeout_s,
                           const char *logpath, long maxrss_kb)
{
    char last[600];
    last_line(logpath, last, sizeof last);
    if (timed_out) {
        snprintf(buf, len, "timed out after %g s (killed)", timeout_s);
    } else if (strstr(last, "out of memory")) {
        snprintf(buf, len, "out of memory: %s", last);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        if (sig == SIGKILL)
            snprintf(buf, len, "killed by SIGKILL at %ld MiB peak RSS (the kernel's OOM killer, or "
                     "someone else)%s%s", maxrss_kb / 1024, *last ? ": " : "", last);
        else
            snprintf(buf, len, "crashed: signal %d (SIG%s, %s)%s%s", sig, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?",
                     strsignal(sig), *last ? ": " : "", last);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        snprintf(buf, len, "exit status %d%s%s", WEXITSTATUS(status), *last ? ": " : "", last);
    } else {
        snprintf(buf, len, "exited without writing its results%s%s", *last ? ": " : "", last);
    }
}

/* A measured run ended: keep what it wrote, or write its failure. */
static void finish(state *st, slot *sl, int status, const struct rusage *ru, char *err, size_t errlen)
{
    char rundir[PATH_MAX], csv[PATH_MAX + 16], logpath[PATH_MAX];
    snprintf(rundir, sizeof rundir, "%s/runs/%s", st->dir, sl->run.key);
    snprintf(csv, sizeof csv, "%s/runs.csv", rundir);
    snprintf(logpath, sizeof logpath, "%s/logs/%s.log", st->dir, sl->run.key);
    double secs = (double)(now_ns() - sl->start_ns) / 1e9;
    int ok = !sl->timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0 && exists(csv);
    char reason[1024] = "";
    if (!ok) {
        failure_reason(reason, sizeof reason, status, sl->timed_out, st->o->timeout_s, logpath, ru->ru_maxrss);
        runner_rm_rf(rundir);
        run_config cfg = st->s->configs[sl->run.config].cfg;
        cfg.repeat = sl->run.repeat;
        run_failure f = {
            .reason = reason,
            .wall_ns = (int64_t)(now_ns() - sl->start_ns),
            .cpu_ns = (int64_t)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1000000000 +
                      (int64_t)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1000,
            .peak_rss_bytes = (int64_t)ru->ru_maxrss * 1024,
        };
        char *argv[256], buf[8192];
        int argc = suite_argv(st->s, &sl->run, st->o->gclab, "runs", argv, 256, buf, sizeof buf);
        int created;
        if (output_prepare_dir(rundir, &created, err, errlen) != 0 ||
            output_write_failed(rundir, &cfg, &f, argc, argv, err, errlen) != 0)
            fprintf(stderr, "\ngclab: could not record the failure of %s: %s\n", sl->run.key, err);
        st->out->failed++;
    } else {
        st->out->ok++;
    }
    st->done_now++;
    if (st->o->quiet)
        return;
    if (!st->o->progress) {
        fprintf(stderr, "gclab: [%zu/%zu] %-6s %s  %.2f s%s%s\n", st->out->ok + st->out->failed,
                st->out->total, ok ? "ok" : "FAILED", sl->run.key, secs, ok ? "" : "  ", reason);
    } else if (!ok) {
        clear_bar(st);
        fprintf(stderr, "gclab: FAILED %s: %s\n", sl->run.key, reason);
    }
}

/* Stop the running children.  One that had already finished by itself
 * (exit 0, its files written) is kept as finished. */
static void stop_children(state *st, slot *slots, int n, char *err, size_t errlen)
{
    for (int i = 0; i < n; i++)
        if (slots[i].pid > 0)
            killpg(slots[i].pid, SIGTERM);
    uint64_t deadline = now_ns() + 2000000000u;
    for (;;) {
        int left = 0;
        for (int i = 0; i < n; i++) {
            slot *sl = &slots[i];
            if (sl->pid <= 0)
                continue;
            int status;
            struct rusage ru;
            pid_t r = wait4(sl->pid, &status, WNOHANG, &ru);
            if (r == 0 || (r < 0 && errno == EINTR)) {
                left++;
                continue;
            }
            killpg(sl->pid, SIGKILL); /* anything its workers left behind */
            char csv[PATH_MAX + 160];
            snprintf(csv, sizeof csv, "%s/runs/%s/runs.csv", st->dir, sl->run.key);
            /* runs.csv is renamed last: it being there means the run was
             * finished and had written everything when it was stopped (on
             * its way out: freeing, a sanitizer's leak check). */
            if (r == sl->pid && sl->run.repeat >= 0 && exists(csv)) {
                finish(st, sl, 0, &ru, err, errlen);
                sl->pid = 0;
            } else {
                sl->pid = -sl->pid; /* ended unfinished: negative */
            }
        }
        if (!left)
            break;
        if (now_ns() > deadline) {
            for (int i = 0; i < n; i++)
                if (slots[i].pid > 0)
                    killpg(slots[i].pid, SIGKILL);
            deadline = UINT64_MAX;
        }
        struct timespec ts = {0, 10000000};
        nanosleep(&ts, NULL);
    }
}

int runner_run(const suite *s, const char *dir, const runner_opts *o, runner_outcome *out, char *err,
               size_t errlen)
{
    memset(out, 0, sizeof *out);
    char path[PATH_MAX];
    const char *sub[] = {"runs", "logs"};
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, sub[i]);
        if (util_mkdir_p(path) != 0) {
            snprintf(err, errlen, "cannot make %s: %s", path, strerror(errno));
            return -1;
        }
    }
    char warmdir[PATH_MAX];
    snprintf(warmdir, sizeof warmdir, "%s/.warmup", dir);
    runner_rm_rf(warmdir);

    suite_run *sched;
    size_t n = suite_schedule(s, &sched);
    out->total = n;
    /* What is left: measured runs without results, and the warm-ups of
     * their configurations, first. */
    suite_run *todo = calloc(n + s->nconfigs * (size_t)s->warmup + 1, sizeof *todo);
    char *needs = calloc(s->nconfigs + 1, 1);
    if (!todo || !needs)
        abort();
    size_t ntodo = 0, nwarm = 0;
    for (size_t i = 0; i < n; i++) {
        char csv[PATH_MAX + 160];
        snprintf(path, sizeof path, "%s/runs/%s", dir, sched[i].key);
        snprintf(csv, sizeof csv, "%s/runs.csv", path);
        if (exists(csv)) {
            out->done_before++;
            continue;
        }
        runner_rm_rf(path); /* half-written by an interrupted run */
        needs[sched[i].config] = 1;
    }
    for (size_t c = 0; c < s->nconfigs; c++)
        for (int w = 0; needs[c] && w < s->warmup; w++) {
            suite_run *r = &todo[ntodo++];
            r->config = c;
            r->repeat = -1;
            suite_run_key(s, r);
            if (w)
                snprintf(r->key + strlen(r->key), sizeof r->key - strlen(r->key), "%d", w + 1);
            nwarm++;
        }
    for (size_t i = 0; i < n; i++) {
        char csv[PATH_MAX + 160];
        snprintf(csv, sizeof csv, "%s/runs/%s/runs.csv", dir, sched[i].key);
        if (!exists(csv))
            todo[ntodo++] = sched[i];
    }
    /* Count what was already there as ok or failed: read each status. */
    for (size_t i = 0; i < n; i++) {
        char csv[PATH_MAX + 160];
        snprintf(csv, sizeof csv, "%s/runs/%s/runs.csv", dir, sched[i].key);
        int missing;
        char cerr[256];
        csv_table *t = csv_read(csv, &missing, cerr, sizeof cerr);
        if (!t)
            continue;
        if (!missing)
            strcmp(csv_get(t, 0, csv_col(t, "status")), "failed") == 0 ? out->failed++ : out->ok++;
        csv_free(t);
    }

    state st = {.s = s, .o = o, .dir = dir, .out = out, .todo_now = ntodo, .t0 = now_ns()};
    if (!o->quiet && out->done_before)
        fprintf(stderr, "gclab: resuming: %zu of %zu runs already finished, %zu to go\n", out->done_before, n,
                ntodo - nwarm);

    struct sigaction sa = {0}, old_int, old_term, old_chld;
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    stop_signal = 0;
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sa.sa_handler = on_child;
    sa.sa_flags = SA_NOCLDSTOP;
    sigaction(SIGCHLD, &sa, &old_chld);

    slot *slots = calloc((size_t)o->jobs, sizeof *slots);
    if (!slots)
        abort();
    size_t next = 0;
    int running = 0, rc = 0;
    while ((next < ntodo || running > 0) && !stop_signal) {
        for (int i = 0; i < o->jobs && next < ntodo && !stop_signal; i++) {
            if (slots[i].pid > 0)
                continue;
            slot *sl = &slots[i];
            sl->run = todo[next++];
            sl->timed_out = 0;
            char outdir[PATH_MAX], logpath[PATH_MAX + 160];
            int warm = sl->run.repeat < 0;
            snprintf(outdir, sizeof outdir, "%s/%s", dir, warm ? ".warmup" : "runs");
            snprintf(logpath, sizeof logpath, "%s/logs/%s.log", dir, sl->run.key);
            sl->start_ns = now_ns();
            sl->pid = spawn(&st, &sl->run, outdir, logpath);
            if (sl->pid < 0) {
                snprintf(err, errlen, "cannot start a run: %s", strerror(errno));
                sl->pid = 0;
                rc = -1;
                stop_signal = SIGTERM;
                break;
            }
            running++;
        }
        for (int i = 0; i < o->jobs; i++) {
            slot *sl = &slots[i];
            if (sl->pid <= 0)
                continue;
            int status;
            struct rusage ru;
            pid_t r = wait4(sl->pid, &status, WNOHANG, &ru);
            if (r == 0) {
                if (o->timeout_s > 0 && !sl->timed_out &&
                    (double)(now_ns() - sl->start_ns) / 1e9 > o->timeout_s) {
                    killpg(sl->pid, SIGKILL);
                    sl->timed_out = 1;
                }
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            killpg(sl->pid, SIGKILL); /* workers it may have left */
            if (sl->run.repeat < 0) {
                st.done_now++;
                char wd[PATH_MAX + 160];
                snprintf(wd, sizeof wd, "%s/%s", warmdir, sl->run.key);
                runner_rm_rf(wd);
                if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !o->quiet) {
                    clear_bar(&st);
                    fprintf(stderr, "gclab: warm-up %s failed (see %s/logs/%s.log)\n", sl->run.key, dir,
                            sl->run.key);
                }
            } else {
                finish(&st, sl, status, &ru, err, errlen);
            }
            sl->pid = 0;
            running--;
            draw(&st, slots, 1);
        }
        draw(&st, slots, 0);
        if (running > 0) {
            struct timespec ts = {0, 20000000};
            nanosleep(&ts, NULL); /* SIGCHLD cuts it short */
        }
    }
    if (stop_signal) {
        clear_bar(&st);
        if (running && !o->quiet)
            fprintf(stderr, "gclab: stopping %d running run%s...\n", running, running == 1 ? "" : "s");
        stop_children(&st, slots, o->jobs, err, errlen);
        for (int i = 0; i < o->jobs; i++) /* what they half-wrote is made again on --resume */
            if (slots[i].pid < 0) {
                snprintf(path, sizeof path, "%s/%s/%s", dir, slots[i].run.repeat < 0 ? ".warmup" : "runs",
                         slots[i].run.key);
                runner_rm_rf(path);
            }
        out->signal = rc == 0 ? stop_signal : 0;
    }
    draw(&st, slots, 1);
    clear_bar(&st);
    runner_rm_rf(warmdir);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGCHLD, &old_chld, NULL);
    free(slots);
    free(todo);
    free(needs);
    free(sched);
    return rc;
}
