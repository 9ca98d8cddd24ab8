/* harness/plot.c -- being written */
#include "report.h"

#include <stdio.h>

int plot_write(const char *dir, const result_summary *s, char *err, size_t errlen)
{
    (void)dir, (void)s;
    snprintf(err, errlen, "plot: not written yet");
    return -1;
}
int cli_plot(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "gclab: plot is not written yet\n");
    return 2;
}
