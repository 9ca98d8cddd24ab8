/* harness/summary.c -- being written */
#include "summary.h"

#include <stdio.h>

int summary_load(const char *dir, result_summary *out, char *err, size_t errlen)
{
    (void)dir, (void)out;
    snprintf(err, errlen, "summary: not written yet");
    return -1;
}
void summary_free(result_summary *s) { (void)s; }
int summary_write_csv(const char *dir, const result_summary *s, char *err, size_t errlen)
{
    (void)dir, (void)s;
    snprintf(err, errlen, "summary: not written yet");
    return -1;
}
void summary_print(FILE *out, const result_summary *s) { (void)out, (void)s; }
int cli_summary(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "gclab: summary is not written yet\n");
    return 2;
}
int cli_compare(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "gclab: compare is not written yet\n");
    return 2;
}
