/*
 * harness/startup.h -- `startup=auto:PATH`: measure an interpreter's
 * start-up heap by running it.  The library spawns no process: the harness
 * resolves the setting to the full form
 * `startup=N,C0,C1,C2:dict=D:list=L:tuple=T1,...,Tk` before the heap is
 * made, and that resolved value is what runs.csv and meta.json record.
 */
#ifndef GCLAB_HARNESS_STARTUP_H
#define GCLAB_HARNESS_STARTUP_H

#include <stddef.h>

enum { STARTUP_MAX_TUPLE = 20 }; /* the longest tuple with a free list (3.11+) */

typedef struct startup_state {
    long objects;   /* len(gc.get_objects()) */
    long counts[3]; /* gc.get_count() */
    long dict_free, list_free;               /* free PyDictObjects, PyListObjects */
    long tuple_free[STARTUP_MAX_TUPLE];      /* [len - 1]: free len-sized PyTupleObjects */
    int tuple_lengths;                       /* lengths 1..tuple_lengths were printed (19 or 20) */
} startup_state;

/* The program the interpreter runs (`PATH -I -c startup_program`): the
 * profile table's numbers come from exactly this (collectors/profiles.def). */
extern const char startup_program[];

/* Run startup_program and read its state.  0, or -1 with one line in err
 * (not found, not executable, failed, not a Python 3 interpreter, no free
 * lists printed). */
int startup_measure(const char *python, startup_state *out, char *err, size_t errlen);

/* Read the free lists from the lines sys._debugmallocstats() printed in
 * text into s (dict_free, list_free, tuple_free, tuple_lengths); returns a
 * bit set: 1 the dict free list was there, 2 the list free list. */
int startup_parse_free_lists(const char *text, startup_state *s);

/* The `startup` parameter's value for a state: "N,C0,C1,C2:dict=D:list=L:tuple=T1,...". */
void startup_format(const startup_state *s, char *buf, size_t len);

/* If `setting` is "startup=auto:PATH", measure PATH (once per PATH per
 * process) and point *resolved at "startup=" and the full form, a string
 * that lives as long as the process; else *resolved = setting.  0, or -1
 * with err. */
int startup_resolve(const char *setting, const char **resolved, char *err, size_t errlen);

#endif
