/* harness/merge.c -- being written */
#include "merge.h"

#include <stdio.h>

int merge_dirs(const char *out, const char *const *dirs, size_t n, char *err, size_t errlen)
{
    (void)out, (void)dirs, (void)n;
    snprintf(err, errlen, "merge: not written yet");
    return -1;
}

int cli_merge(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "gclab: merge is not written yet\n");
    return 2;
}
