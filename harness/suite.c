/* harness/suite.c -- being written */
#include "cli.h"

#include <stdio.h>

int cli_suite(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "gclab: suite is not written yet\n");
    return 2;
}
int cli_sweep(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "gclab: sweep is not written yet\n");
    return 2;
}
int cli_plan(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "gclab: plan is not written yet\n");
    return 2;
}
