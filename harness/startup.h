/*
 * harness/startup.h -- `startup=auto:PATH`: measure an interpreter's
 * start-up heap by running it.  The library spawns no process: the harness
 * resolves the setting to `startup=N,C0,C1,C2` before the heap is made, and
 * that resolved value is what runs.csv and meta.json record.
 */
#ifndef GCLAB_HARNESS_STARTUP_H
#define GCLAB_HARNESS_STARTUP_H

#include <stddef.h>

/* Run `python -I -c ...` and read len(gc.get_objects()) and gc.get_count():
 * objects and counts[0..2].  0, or -1 with one line in err (not found, not
 * executable, failed, not a Python 3 interpreter). */
int startup_measure(const char *python, long *objects, long counts[3], char *err, size_t errlen);

/* If `setting` is "startup=auto:PATH", measure PATH (once per PATH per
 * process) and point *resolved at "startup=N,C0,C1,C2", a string that lives
 * as long as the process; else *resolved = setting.  0, or -1 with err. */
int startup_resolve(const char *setting, const char **resolved, char *err, size_t errlen);

#endif
