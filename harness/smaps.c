/*
 * harness/smaps.c -- parse /proc/PID/smaps_rollup.
 */
#define _POSIX_C_SOURCE 200809L

#include "smaps.h"

#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int smaps_parse(const char *text, smaps_rollup *out)
{
    static const struct {
        const char *key;
        size_t offset;
    } fields[] = {
        {"Rss:", offsetof(smaps_rollup, rss)},
        {"Pss:", offsetof(smaps_rollup, pss)},
        {"Shared_Clean:", offsetof(smaps_rollup, shared_clean)},
        {"Shared_Dirty:", offsetof(smaps_rollup, shared_dirty)},
        {"Private_Clean:", offsetof(smaps_rollup, private_clean)},
        {"Private_Dirty:", offsetof(smaps_rollup, private_dirty)},
    };
    *out = (smaps_rollup){-1, -1, -1, -1, -1, -1};
    for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            size_t n = strlen(fields[i].key);
            long long kb;
            char unit[4];
            if (strncmp(line, fields[i].key, n) == 0 && sscanf(line + n, "%lld %3s", &kb, unit) == 2 &&
                strcmp(unit, "kB") == 0 && kb >= 0)
                *(int64_t *)(void *)((char *)out + fields[i].offset) = (int64_t)kb * 1024;
        }
    }
    return out->rss < 0 ? -1 : 0;
}

int smaps_read(pid_t pid, smaps_rollup *out)
{
    char path[64], text[4096];
    if (pid)
        snprintf(path, sizeof path, "/proc/%ld/smaps_rollup", (long)pid);
    else
        snprintf(path, sizeof path, "/proc/self/smaps_rollup");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t got = 0, n;
    while (got < (ssize_t)sizeof text - 1 && (n = read(fd, text + got, sizeof text - 1 - (size_t)got)) > 0)
        got += n;
    close(fd);
    text[got > 0 ? got : 0] = '\0';
    return smaps_parse(text, out);
}
