/* harness/cli.h -- the subcommands of `gclab`; each returns the exit status. */
#ifndef GCLAB_HARNESS_CLI_H
#define GCLAB_HARNESS_CLI_H

int cli_list(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_schema(int argc, char **argv);
int cli_suite(int argc, char **argv);
int cli_sweep(int argc, char **argv);
int cli_plan(int argc, char **argv);

#endif
