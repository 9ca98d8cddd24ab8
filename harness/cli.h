/* harness/cli.h -- the subcommands of `gclab`; each returns the exit status. */
#ifndef GCLAB_HARNESS_CLI_H
#define GCLAB_HARNESS_CLI_H

#include "run.h"

#include <stddef.h>

/* Build cfg as `gclab run` does from a collector, a workload, thresholds
 * text ("700,10,10" or NULL) and "key=value" settings (each goes to the
 * workload if it names one of its parameters, else to the collector).  The
 * settings must outlive cfg.  Returns 0, or -1 with one line in err. */
int cli_build_config(run_config *cfg, const char *cname, const char *wname, const char *thresholds,
                     const char *const *settings, size_t nsettings, char *err, size_t errlen);

int cli_list(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_schema(int argc, char **argv);
int cli_suite(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_plan(int argc, char **argv);

#endif
