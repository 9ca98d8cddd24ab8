/* harness/runner.c -- being written */
typedef int gclab_runner_placeholder;
