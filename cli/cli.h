/*
 * cli/cli.h -- the subcommands of `gclab`; each takes its own argv (argv[0]
 * is the command's name) and returns the exit status.  Only cli/ includes
 * this header: analysis/ and harness/ report errors in their err buffers
 * and leave the exit status and the message's prefix to the command.
 */
#ifndef GCLAB_CLI_CLI_H
#define GCLAB_CLI_CLI_H

#include "harness/util.h"

#include <stddef.h>

/* Bad input: "gclab: ", the message and a newline on stderr.  Returns
 * EXIT_USAGE, for `return cli_usage_error(...)`. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The one result folder a command (plot, report, summary) takes after its
 * options, argv[first]: 0 with *dir, or the exit status of a usage error
 * (missing, more than one, not there, not a folder). */
int cli_result_dir(const char *cmd, int argc, char **argv, int first, const char **dir);

/* A fresh result folder's name: results/<time>-what (-2, -3... if taken). */
void cli_stamp_dir(char *buf, size_t len, const char *what);
/* rel (suites/default.yaml) if it is there from the current directory,
 * else the same path in the source tree gclab was built from (in buf). */
const char *cli_source_path(const char *rel, char *buf, size_t len);

/* cli/run.c */
int cli_list(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_schema(int argc, char **argv);
/* cli/suite.c */
int cli_suite(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_plan(int argc, char **argv);
/* cli/analysis.c */
int cli_summary(int argc, char **argv);
int cli_compare(int argc, char **argv);
int cli_merge(int argc, char **argv);
int cli_plot(int argc, char **argv);
int cli_report(int argc, char **argv);
/* cli/demo.c */
int cli_demo(int argc, char **argv);
/* cli/calibrate.c */
int cli_calibrate(int argc, char **argv);

#endif
