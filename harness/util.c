/*
 * harness/util.c -- small helpers the harness's commands share.
 */
#define _GNU_SOURCE

#include "util.h"

#include "../runtime/readfile.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *util_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

void *util_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

char *util_xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p)
        abort();
    return p;
}

char *util_read_file(const char *path, size_t max, size_t *len, char *why, size_t whylen)
{
    return gclab__read_input(path, max, len, why, whylen);
}

FILE *util_open_file(const char *path, size_t max, char *why, size_t whylen)
{
    int fd = gclab__open_input(path, max, why, whylen);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        int e = errno;
        snprintf(why, whylen, "%s", strerror(e));
        close(fd);
        errno = e;
    }
    return f;
}

static int file_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
}

int util_is_file_name(const char *s)
{
    size_t n = 0;
    if (!s || s[0] == '.')
        return 0;
    for (; s[n]; n++)
        if (n == UTIL_FILE_NAME_MAX || !file_name_char((unsigned char)s[n]))
            return 0;
    return n > 0;
}

void util_file_name_from(const char *in, char *out, size_t len)
{
    if (len == 0)
        return;
    size_t max = len - 1 < UTIL_FILE_NAME_MAX ? len - 1 : UTIL_FILE_NAME_MAX, i = 0;
    for (; in[i] && i < max; i++)
        out[i] = file_name_char((unsigned char)in[i]) && !(i == 0 && in[i] == '.') ? in[i] : '_';
    if (i == 0 && max > 0)
        out[i++] = 'x';
    out[i] = '\0';
}

int util_mkdir_p(const char *dir)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                return -1;
            *s = '/';
        }
    return mkdir(p, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

void util_mkdir_error(char *err, size_t errlen, const char *dir, const char *part, int errnum)
{
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", part);
    char *slash = strrchr(parent, '/');
    while (slash && slash > parent && slash[1] == '\0') { /* "a/b/" is b's */
        *slash = '\0';
        slash = strrchr(parent, '/');
    }
    if (!slash)
        snprintf(parent, sizeof parent, ".");
    else
        slash[slash == parent ? 1 : 0] = '\0';
    char hint[PATH_MAX + 32] = "";
    struct stat st;
    if (errnum == ENOENT && stat(parent, &st) == 0 && S_ISDIR(st.st_mode))
        snprintf(hint, sizeof hint, " (%s takes no new folders)", parent);
    if (strcmp(dir, part) == 0)
        snprintf(err, errlen, "cannot create output folder %s: %s%s", dir, strerror(errnum), hint);
    else
        snprintf(err, errlen, "cannot create output folder %s: cannot create %s: %s%s", dir, part, strerror(errnum),
                 hint);
}
