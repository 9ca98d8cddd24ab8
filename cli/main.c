/*
 * cli/main.c -- the `gclab` command: a table of subcommands.
 */
#include "cli.h"

#include <gclab/gclab.h>

#include <stdio.h>
#include <string.h>

static const struct command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *help;
} commands[] = {
    {"list", cli_list, "every collector and workload, with parameters, defaults and units"},
    {"run", cli_run, "one run, measured completely, written as CSV (--calibration FILE: with the\n"
                     "             estimated CPython pause of each collection, from gclab calibrate's model)"},
    {"suite", cli_suite, "a suite of runs (default: suites/default.yaml), with statistics, plots, report"},
    {"sweep", cli_sweep, "a threshold grid for one workload and collector, with repeats"},
    {"summary", cli_summary, "statistics per configuration across repeats (summary.csv)"},
    {"compare", cli_compare, "two result folders compared: ratio B/A, its CI, significance"},
    {"plot", cli_plot, "plots of a result folder with gnuplot (PNG and SVG)"},
    {"report", cli_report, "one self-contained HTML page for a result folder"},
    {"plan", cli_plan, "a suite as one gclab run command per line (GNU parallel, Slurm)"},
    {"merge", cli_merge, "result folders combined into one"},
    {"schema", cli_schema, "the columns of the files a run writes (Markdown)"},
    {"calibrate", cli_calibrate, "the paired corpus on real CPython and on gclab's profiles, side by side"},
    {"demo", cli_demo, "the seed articles' cycles under every collector"},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: gclab <command> [options]   (gclab <command> --help for its options)\n\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "  %-10s %s\n  %-10s %s\n", "--version", "the version, commit and allocator of this build",
            "--help", "this text");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("gclab %s\n", gclab_version());
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].main(argc - 1, argv + 1);
    char names[256] = "";
    for (size_t i = 0; i < NCOMMANDS; i++)
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s, ", commands[i].name);
    fprintf(stderr, "gclab: unknown command '%s' (valid: %s--version, --help)\n", cmd, names);
    return 2;
}
