/*
 * harness/config.h -- a run's configuration, built and checked in one place.
 *
 * `gclab run`, suite files (and so sweeps and plans) and the workload tests
 * all build a run_config here: the collector and workload by name, the
 * thresholds, each "key=value" setting routed to the workload or the
 * collector, the workload's own check of its parameters (prepare: a trace
 * file is read and checked), and the output folder.  An error says which
 * field is wrong, so a caller points at it without reading the message.
 */
#ifndef GCLAB_HARNESS_CONFIG_H
#define GCLAB_HARNESS_CONFIG_H

#include "run.h"

#include <stddef.h>
#include <stdint.h>

/* What a configuration is built from. */
typedef struct config_spec {
    const char *collector, *workload;      /* names (gclab list) */
    const char *thresholds_text;           /* "700,10,10" as a user typed it, or NULL */
    const long *thresholds;                /* or numbers (nthresholds of them) */
    int nthresholds;                       /* 0 (and no text): the collector's defaults */
    const char *const *settings;           /* "key=value"; must outlive the run_config */
    size_t nsettings;
    int prepare;     /* run the workload's prepare: cfg->wstate holds what it made */
    const char *output; /* check that this folder can be made and written; NULL: not checked */
} config_spec;

/* The part of a spec an error is about. */
typedef enum config_field {
    CONFIG_OK,
    CONFIG_COLLECTOR,  /* unknown collector */
    CONFIG_WORKLOAD,   /* unknown workload */
    CONFIG_THRESHOLDS, /* malformed, too many, or the collector takes none */
    CONFIG_SETTING,    /* settings[error.setting]: unknown name or bad value */
    CONFIG_PREPARE,    /* the workload rejected its parameters (e.g. a trace file) */
    CONFIG_OUTPUT,     /* the output folder cannot be made or written */
} config_field;

typedef struct config_error {
    config_field field;
    size_t setting; /* for CONFIG_SETTING: which one (or nsettings if it cannot tell) */
    char msg[768];  /* one line, naming the problem and the valid choices */
} config_error;

/* Build and check *cfg from spec.  cfg's other fields (seed, record,
 * sample_ms, config, repeat) are left as the caller set them.  Returns 0,
 * or -1 with *e filled (and nothing to release). */
int config_build(run_config *cfg, const config_spec *spec, config_error *e);

/* Release what the workload's prepare made (no-op without it). */
void config_release(run_config *cfg);

/* Thresholds as text, "T0,T1,T2", from cfg (empty when it sets none). */
void config_thresholds_text(const run_config *cfg, char *buf, size_t len);

/* The configuration's label: "workload/collector", " t=T0,T1,T2" if
 * thresholds were set, then " key=value" for each setting, in order. */
void config_label(const run_config *cfg, const char *const *settings, size_t nsettings, char *buf, size_t len);

/* The output folder dir can be made and written (its deepest existing part
 * is a folder where a file can be made), leaving nothing behind.  Returns 0,
 * or -1 with one line in err. */
int config_check_output(const char *dir, char *err, size_t errlen);

#endif
