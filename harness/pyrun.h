/*
 * harness/pyrun.h -- run a Python program in a real interpreter and read
 * what it prints: `python -I -c CODE` in a child process, its standard
 * output captured whole, the last line of its standard error kept for the
 * message when it fails.  gclab calibrate runs the corpus this way.
 */
#ifndef GCLAB_HARNESS_PYRUN_H
#define GCLAB_HARNESS_PYRUN_H

#include <stddef.h>

/* Run `python -I -c code`.  On success returns 0 and *out holds the whole
 * standard output, NUL-terminated (free it); with merge_stderr, standard
 * error too, in the same stream (sys._debugmallocstats() writes there).  Returns -1 with one line in
 * err when python is not an executable file, cannot be started, exits with
 * a status other than 0 or dies of a signal (the line then ends with the
 * last line the program wrote on standard error, e.g. the exception).
 * `what` begins every message ("startup=auto:PATH", "corpus program P on
 * Python V"). */
int pyrun(const char *python, const char *code, const char *what, int merge_stderr, char **out, char *err,
          size_t errlen);

#endif
