/*
 * harness/startup.c -- measure an interpreter's start-up heap (startup.h).
 */
#define _GNU_SOURCE

#include "startup.h"

#include "pyrun.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* The order matters: every reading must see the state the program started
 * with, and none may change what a later one reads.
 *   1. sys._debugmallocstats() first: it writes the free lists to stderr
 *      from C and makes no object (measured on 3.8-3.13: gc.get_count()
 *      before and after it are equal), so it reads them untouched.
 *   2. gc.get_objects() next: its result list is taken from the list free
 *      list and pushed back when len() drops it, so the counts and the free
 *      lists are as before -- unless the list free list was empty: then the
 *      list counted one allocation and its free filled the list free list
 *      without lowering the count; startup_measure takes that one off C0.
 *   3. gc.get_count() last: it reads the counts before making the tuple it
 *      returns, and that tuple comes from the 3-tuple free list after step
 *      1 read it.
 * The counts are therefore those of the moment step 1 read the free lists.
 * The program's own text is compiled before it runs, and compiling makes
 * and drops objects: another program (even `print(len(gc.get_objects()))`)
 * gives counts a few apart, which is why the table says which one it ran. */
const char startup_program[] = "import gc, sys; sys._debugmallocstats(); n = len(gc.get_objects()); "
                               "c = gc.get_count(); print('gclab-startup', n, c[0], c[1], c[2])";

/* One line of sys._debugmallocstats(): "   9 free PyDictObjects * 48 bytes
 * each = 432", "5 free PyListObjects ...", "4 free 1-sized PyTupleObjects
 * ...".  Other lines (floats, frames, dict keys, arenas) are left alone. */
static void parse_free_line(const char *line, startup_state *s, int *seen)
{
    long n;
    int len, at = -1;
    if (sscanf(line, " %ld free %n", &n, &at) != 1 || at < 0 || n < 0)
        return;
    const char *what = line + at;
    if (strncmp(what, "PyDictObjects ", 14) == 0) {
        s->dict_free = n;
        *seen |= 1;
    } else if (strncmp(what, "PyListObjects ", 14) == 0) {
        s->list_free = n;
        *seen |= 2;
    } else if (sscanf(what, "%d-sized PyTupleObjects %n", &len, &at) == 1 && at > 0 && len >= 1 &&
               len <= STARTUP_MAX_TUPLE) {
        s->tuple_free[len - 1] = n;
        if (len > s->tuple_lengths)
            s->tuple_lengths = len;
    }
}

int startup_parse_free_lists(const char *text, startup_state *s)
{
    int seen = 0;
    for (const char *line = text; line; line = strchr(line, '\n'), line = line ? line + 1 : NULL)
        parse_free_line(line, s, &seen);
    return seen;
}

int startup_measure(const char *python, startup_state *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char what[1100], *text;
    snprintf(what, sizeof what, "startup=auto:%s", python);
    if (pyrun(python, startup_program, what, 1, &text, err, errlen) != 0)
        return -1;
    int rc = -1;
    const char *at = strstr(text, "gclab-startup ");
    if (!at || (at != text && at[-1] != '\n') ||
        sscanf(at, "gclab-startup %ld %ld %ld %ld", &out->objects, &out->counts[0], &out->counts[1],
               &out->counts[2]) != 4 ||
        out->objects < 0) {
        snprintf(err, errlen, "startup=auto:%s: not a Python 3 interpreter (it did not print gc's start-up "
                              "state); give the path of one",
                 python);
        goto done;
    }
    int seen = startup_parse_free_lists(text, out);
    if (seen != 3) {
        snprintf(err, errlen, "startup=auto:%s: sys._debugmallocstats() printed no %s free list; give a "
                              "CPython 3.8-3.13 interpreter (a release build)",
                 python, seen & 1 ? "list" : "dict");
        goto done;
    }
    if (out->list_free == 0 && out->counts[0] > 0)
        out->counts[0]--; /* gc.get_objects()'s list counted one (see startup_program) */
    rc = 0;
done:
    free(text);
    return rc;
}

void startup_format(const startup_state *s, char *buf, size_t len)
{
    int n = snprintf(buf, len, "%ld,%ld,%ld,%ld:dict=%ld:list=%ld", s->objects, s->counts[0], s->counts[1],
                     s->counts[2], s->dict_free, s->list_free);
    for (int i = 0; i < s->tuple_lengths && n >= 0 && (size_t)n < len; i++)
        n += snprintf(buf + n, len - (size_t)n, "%s%ld", i ? "," : ":tuple=", s->tuple_free[i]);
}

int startup_resolve(const char *setting, const char **resolved, char *err, size_t errlen)
{
    static const char prefix[] = "startup=auto:";
    static struct {
        char *path, *setting;
    } cache[16];
    *resolved = setting;
    if (strncmp(setting, prefix, sizeof prefix - 1) != 0)
        return 0;
    const char *path = setting + sizeof prefix - 1;
    size_t i;
    for (i = 0; i < sizeof cache / sizeof cache[0] && cache[i].path; i++)
        if (strcmp(cache[i].path, path) == 0) {
            *resolved = cache[i].setting;
            return 0;
        }
    startup_state st;
    if (startup_measure(path, &st, err, errlen) != 0)
        return -1;
    char buf[512] = "startup=";
    startup_format(&st, buf + 8, sizeof buf - 8);
    char *s = strdup(buf);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (i < sizeof cache / sizeof cache[0]) { /* kept for the process's life: run_configs are copied */
        cache[i].path = strdup(path);
        cache[i].setting = s;
        if (!cache[i].path)
            cache[i].setting = NULL;
    }
    *resolved = s;
    return 0;
}
