/*
 * harness/csv.c -- an RFC 4180 reader for the files gclab itself writes:
 * quoted fields may hold commas, quotes ("") and line breaks; records end
 * in CRLF (LF accepted).
 */
#define _GNU_SOURCE

#include "csv.h"

#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

static void push(strvec *s, char *str)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->v = realloc(s->v, s->cap * sizeof *s->v);
        if (!s->v)
            abort();
    }
    s->v[s->n++] = str;
}

csv_table *csv_read(const char *path, int *missing, char *err, size_t errlen)
{
    csv_table *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    if (missing)
        *missing = 0;
    size_t len;
    char why[256];
    char *text = util_read_file(path, UTIL_MAX_RESULT_BYTES, &len, why, sizeof why);
    if (!text) {
        if (errno == ENOENT && missing) {
            *missing = 1;
            return t;
        }
        /* e.g. a folder, a FIFO, too large: not an empty table */
        snprintf(err, errlen, "cannot read %s: %s", path, why);
        free(t);
        return NULL;
    }

    strvec all = {0};
    size_t record_fields = 0, line = 1, record_line = 1;
    size_t i = 0;
    char *field = NULL;
    size_t flen = 0;
    FILE *fb = NULL;
    int ok = 1;
    while (i < len && ok) {
        /* one field */
        fb = open_memstream(&field, &flen);
        if (text[i] == '"') {
            i++;
            for (;;) {
                if (i >= len) {
                    snprintf(err, errlen, "%s:%zu: a quoted field is not closed", path, record_line);
                    ok = 0;
                    break;
                }
                if (text[i] == '"') {
                    if (i + 1 < len && text[i + 1] == '"') {
                        fputc('"', fb);
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (text[i] == '\n')
                    line++;
                fputc(text[i++], fb);
            }
            if (ok && i < len && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
                snprintf(err, errlen, "%s:%zu: text after a closing quote", path, line);
                ok = 0;
            }
        } else {
            while (i < len && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
                fputc(text[i++], fb);
        }
        fclose(fb);
        if (!ok) {
            free(field);
            break;
        }
        push(&all, field);
        record_fields++;
        if (i < len && text[i] == ',') {
            i++;
            if (i == len) { /* a trailing comma: one more, empty field */
                push(&all, strdup(""));
                record_fields++;
            }
            continue;
        }
        /* end of record */
        if (i < len && text[i] == '\r')
            i++;
        if (i < len && text[i] == '\n')
            i++;
        if (t->ncols == 0) {
            t->ncols = record_fields;
        } else if (record_fields != t->ncols) {
            snprintf(err, errlen, "%s:%zu: %zu fields where the header has %zu", path, record_line,
                     record_fields, t->ncols);
            ok = 0;
        }
        record_fields = 0;
        line++;
        record_line = line;
    }
    if (ok && record_fields) { /* the last record had no line break */
        if (t->ncols == 0)
            t->ncols = record_fields;
        else if (record_fields != t->ncols) {
            snprintf(err, errlen, "%s:%zu: %zu fields where the header has %zu", path, record_line,
                     record_fields, t->ncols);
            ok = 0;
        }
    }
    free(text);
    if (!ok) {
        for (size_t k = 0; k < all.n; k++)
            free(all.v[k]);
        free(all.v);
        free(t);
        return NULL;
    }
    if (t->ncols) {
        t->names = all.v;
        t->fields = all.v + t->ncols;
        t->nrows = all.n / t->ncols - 1;
    } else {
        free(all.v);
    }
    return t;
}

void csv_free(csv_table *t)
{
    if (!t)
        return;
    size_t n = t->ncols * (t->nrows + 1);
    for (size_t k = 0; k < n; k++)
        free(t->names[k]);
    free(t->names);
    free(t);
}

int csv_col(const csv_table *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->names[c], name) == 0)
            return (int)c;
    return -1;
}

const char *csv_get(const csv_table *t, size_t row, int col)
{
    if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows)
        return "";
    return t->fields[row * t->ncols + (size_t)col];
}

double csv_num(const csv_table *t, size_t row, int col)
{
    const char *s = csv_get(t, row, col);
    if (!*s || strcmp(s, "NA") == 0)
        return NAN;
    char *end;
    double v = strtod(s, &end);
    return *end ? NAN : v;
}

void csv_put(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
