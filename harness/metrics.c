/*
 * harness/metrics.c -- the run metrics' table and their one formatter
 * (metrics.h).
 */
#include "metrics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const metric_def metric_table[MET_COUNT] = {
#define METRIC(name, type, unit, dir, headline, label, doc) {#name, MT_##type, MU_##unit, MD_##dir, headline, label, doc},
#include "metrics.def"
#undef METRIC
};

const metric_def *metric_find(const char *name)
{
    for (size_t i = 0; i < MET_COUNT; i++)
        if (strcmp(metric_table[i].name, name) == 0)
            return &metric_table[i];
    return NULL;
}

/* The headline ranks are 1..n with no gap or repeat: checked by the unit
 * test (tests/test_metrics.c), so this lookup can trust them. */
size_t metric_nheadline(void)
{
    size_t n = 0;
    for (size_t i = 0; i < MET_COUNT; i++)
        n += metric_table[i].headline > 0;
    return n;
}

size_t metric_headline(size_t k)
{
    for (size_t i = 0; i < MET_COUNT; i++)
        if (metric_table[i].headline == (int)k + 1)
            return i;
    return MET_COUNT;
}

/* Decimals for three significant digits of a value already scaled. */
static int decimals(double scaled)
{
    double a = fabs(scaled);
    return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

/* The divisor and suffix that fit v in unit u. */
static void scale(metric_unit u, double v, double *div, const char **suffix)
{
    double a = fabs(v);
    *div = 1;
    *suffix = "";
    switch (u) {
    case MU_NS:
    case MU_DURATION:
        if (a >= 1e9)
            *div = 1e9, *suffix = " s";
        else if (a >= 1e6)
            *div = 1e6, *suffix = " ms";
        else if (a >= 1e3)
            *div = 1e3, *suffix = " \xC2\xB5s";
        else
            *suffix = " ns";
        break;
    case MU_BYTES:
        if (a >= 1073741824.0)
            *div = 1073741824.0, *suffix = " GiB";
        else if (a >= 1048576.0)
            *div = 1048576.0, *suffix = " MiB";
        else if (a >= 1024.0)
            *div = 1024.0, *suffix = " KiB";
        else
            *suffix = " B";
        break;
    case MU_COUNT:
    case MU_RATE:
        if (a >= 1e9)
            *div = 1e9, *suffix = "G";
        else if (a >= 1e6)
            *div = 1e6, *suffix = "M";
        else if (a >= 1e3)
            *div = 1e3, *suffix = "k";
        break;
    case MU_SHARE:
        *div = 0.01, *suffix = "%";
        break;
    case MU_TEXT:
    case MU_ID:
    case MU_FRACTION:
        break;
    }
}

/* The number of decimals v shows with in unit u, once scaled by div. */
static int decimals_of(metric_unit u, double v, double div)
{
    if (u == MU_FRACTION)
        return 3;
    if (u == MU_ID)
        return 0;
    /* Whole numbers below the first step stay whole: 12 collections, 512 B. */
    if (div == 1 && v == floor(v) && u != MU_SHARE)
        return 0;
    return decimals(v / div);
}

void metric_format(char *buf, size_t len, metric_unit u, double v)
{
    if (isnan(v)) {
        snprintf(buf, len, "NA");
        return;
    }
    double div;
    const char *suffix;
    scale(u, v, &div, &suffix);
    snprintf(buf, len, "%.*f%s", decimals_of(u, v, div), v / div, suffix);
}

void metric_format_ci(char *buf, size_t len, metric_unit u, double median, double ci_lo, double ci_hi)
{
    if (isnan(median)) {
        snprintf(buf, len, "NA");
        return;
    }
    double div;
    const char *suffix;
    scale(u, median, &div, &suffix);
    int d = decimals_of(u, median, div);
    if (isnan(ci_lo) || isnan(ci_hi))
        snprintf(buf, len, "%.*f%s", d, median / div, suffix);
    else
        snprintf(buf, len, "%.*f%s \xC2\xB1%.*f", d, median / div, suffix, d, (ci_hi - ci_lo) / 2.0 / div);
}

int metric_display_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

int metric_better(const metric_def *m, double a, double b)
{
    if (isnan(a) || isnan(b) || a == b || m->dir == MD_NONE)
        return 0;
    int higher = b > a;
    return (m->dir == MD_HIGHER) == higher ? 1 : -1;
}

const char *metric_change_word(const metric_def *m, int b_higher)
{
    if (m->unit == MU_RATE)
        return b_higher ? "faster" : "slower";
    if (m->unit == MU_DURATION)
        return b_higher ? "slower" : "faster";
    return b_higher ? "more" : "less";
}
