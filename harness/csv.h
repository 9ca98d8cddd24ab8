/*
 * harness/csv.h -- reading back the RFC 4180 files gclab writes (runs.csv,
 * pauses.csv, ...): a header and rows of text fields, in memory.
 */
#ifndef GCLAB_HARNESS_CSV_H
#define GCLAB_HARNESS_CSV_H

#include <stddef.h>
#include <stdint.h>

typedef struct csv_table {
    size_t ncols, nrows;
    char **names;  /* ncols column names */
    char **fields; /* nrows * ncols, row-major; never NULL ("" if empty) */
} csv_table;

/* Read path.  A missing file gives an empty table with *missing = 1 when
 * missing is not NULL (else it is an error).  Returns NULL with one line in
 * err ("FILE:LINE: ...") on a malformed file or a row with the wrong number
 * of fields. */
csv_table *csv_read(const char *path, int *missing, char *err, size_t errlen);
void csv_free(csv_table *t);

/* The index of a column, or -1. */
int csv_col(const csv_table *t, const char *name);

/* A field: "" if col is -1. */
const char *csv_get(const csv_table *t, size_t row, int col);

/* A field as a number: NAN for NA, empty, a missing column or non-numbers. */
double csv_num(const csv_table *t, size_t row, int col);

/* Write one field quoted as RFC 4180 requires. */
#include <stdio.h>
void csv_put(FILE *f, const char *field);

#endif
