/* harness/cli.h -- the subcommands of `gclab`; each returns the exit status. */
#ifndef GCLAB_HARNESS_CLI_H
#define GCLAB_HARNESS_CLI_H

#include "run.h"

#include <stddef.h>

/* The exit status of bad input: a wrong option, a missing file, ... */
#define EXIT_USAGE 2

/* Bad input: "gclab: ", the message and a newline on stderr.  Returns
 * EXIT_USAGE, for `return cli_usage_error(...)`. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The output folder dir can be made and written (its deepest existing part
 * is a folder where a file can be made), leaving nothing behind.  Returns 0,
 * or -1 with one line in err. */
int cli_check_output(const char *dir, char *err, size_t errlen);

/* Build cfg as `gclab run` does from a collector, a workload, thresholds
 * text ("700,10,10" or NULL) and "key=value" settings (each goes to the
 * workload if it names one of its parameters, else to the collector).  The
 * settings must outlive cfg.  Returns 0, or -1 with one line in err. */
int cli_build_config(run_config *cfg, const char *cname, const char *wname, const char *thresholds,
                     const char *const *settings, size_t nsettings, char *err, size_t errlen);

/* The one result folder a command (plot, report, summary) takes after its
 * options, argv[first]: 0 with *dir, or the exit status of a usage error
 * (missing, more than one, not there, not a folder). */
int cli_result_dir(const char *cmd, int argc, char **argv, int first, const char **dir);

int cli_list(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_schema(int argc, char **argv);
int cli_suite(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_plan(int argc, char **argv);

#endif
