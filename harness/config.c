/*
 * harness/config.c -- a run's configuration, built and checked in one place
 * (config.h).
 */
#define _GNU_SOURCE

#include "config.h"
#include "startup.h"

#include "collectors/profile.h"

#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(config_error *e, config_field field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(config_error *e, config_field field, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->field = field;
    return -1;
}

/* "700,10,10" -> cfg->thresholds, as many as the collector has at most. */
static int parse_thresholds(const char *text, run_config *cfg, config_error *e)
{
    const gclab_collector_info *ci = cfg->collector;
    int n = 0;
    const char *p = text;
    for (;;) {
        char *end;
        errno = 0;
        long v = strtol(p, &end, 10);
        if (end == p || errno || v < 0 || (*end != ',' && *end != '\0') || n == ci->nthresholds)
            return fail(e, CONFIG_THRESHOLDS,
                        "thresholds for %s are 1 to %d non-negative integers T0[,T1[,T2]], got '%s'", ci->name,
                        ci->nthresholds, text);
        cfg->thresholds[n++] = v;
        if (*end == '\0')
            break;
        p = end + 1;
    }
    cfg->nthresholds = n;
    return 0;
}

static int set_thresholds(const config_spec *spec, run_config *cfg, config_error *e)
{
    const gclab_collector_info *ci = cfg->collector;
    cfg->nthresholds = 0;
    if (!spec->thresholds_text && spec->nthresholds == 0)
        return 0;
    if (ci->nthresholds == 0)
        return fail(e, CONFIG_THRESHOLDS,
                    "collector %s takes no thresholds (-t); collectors with thresholds: see gclab list", ci->name);
    if (spec->thresholds_text)
        return parse_thresholds(spec->thresholds_text, cfg, e);
    if (spec->nthresholds > ci->nthresholds)
        return fail(e, CONFIG_THRESHOLDS, "collector %s has %d threshold%s, got %d", ci->name, ci->nthresholds,
                    ci->nthresholds == 1 ? "" : "s", spec->nthresholds);
    for (int i = 0; i < spec->nthresholds; i++) {
        if (spec->thresholds[i] < 0)
            return fail(e, CONFIG_THRESHOLDS, "threshold%d of %s must be a non-negative integer, got %ld", i,
                        ci->name, spec->thresholds[i]);
        cfg->thresholds[i] = spec->thresholds[i];
    }
    cfg->nthresholds = spec->nthresholds;
    return 0;
}

/* Each setting goes to the workload if it names one of its parameters, else
 * to the collector; then both tables parse their own. */
static int set_params(const config_spec *spec, run_config *cfg, config_error *e)
{
    const workload *w = cfg->workload;
    const gclab_collector_info *ci = cfg->collector;
    if (spec->nsettings > RUN_MAX_SETTINGS)
        return fail(e, CONFIG_SETTING, "at most %d parameter settings", RUN_MAX_SETTINGS);
    const char *wsettings[RUN_MAX_SETTINGS];
    size_t widx[RUN_MAX_SETTINGS], cidx[RUN_MAX_SETTINGS], nw = 0;
    cfg->ncsettings = 0;
    for (size_t i = 0; i < spec->nsettings; i++) {
        const char *s = spec->settings[i];
        size_t klen = strcspn(s, "=");
        if (gclab_param_find(w->params, w->nparams, s, klen) >= 0) {
            widx[nw] = i;
            wsettings[nw++] = s;
        } else if (gclab_param_find(ci->params, ci->nparams, s, klen) >= 0) {
            /* startup=auto:PATH: measured here, so the library spawns nothing
             * and runs.csv records the numbers that ran. */
            gen_startup st; /* and its form checked now: bad input is refused before any run */
            if (startup_resolve(s, &s, e->msg, sizeof e->msg) != 0 ||
                (strncmp(s, "startup=", 8) == 0 &&
                 gclab__startup_parse(s + 8, &gclab__profiles[0], &st, e->msg, sizeof e->msg) != 0)) {
                e->setting = i;
                e->field = CONFIG_SETTING;
                return -1;
            }
            cidx[cfg->ncsettings] = i;
            cfg->csettings[cfg->ncsettings++] = s;
        } else {
            char wn[256], cn[256];
            gclab_param_names(w->params, w->nparams, wn, sizeof wn);
            gclab_param_names(ci->params, ci->nparams, cn, sizeof cn);
            e->setting = i;
            return fail(e, CONFIG_SETTING, "unknown parameter '%.*s' (workload %s: %s; collector %s: %s)",
                        (int)klen, s, w->name, wn, ci->name, cn);
        }
    }
    /* Parse one setting at a time first, to know which one is wrong. */
    gclab_value vals[RUN_MAX_PARAMS];
    if (w->nparams > RUN_MAX_PARAMS || ci->nparams > RUN_MAX_PARAMS)
        return fail(e, CONFIG_SETTING, "at most %d parameters per table", RUN_MAX_PARAMS);
    for (size_t i = 0; i < nw; i++)
        if (gclab_params_parse(w->params, w->nparams, w->name, &wsettings[i], 1, vals, e->msg, sizeof e->msg) != 0) {
            e->setting = widx[i];
            e->field = CONFIG_SETTING;
            return -1;
        }
    for (size_t i = 0; i < cfg->ncsettings; i++)
        if (gclab_params_parse(ci->params, ci->nparams, ci->name, &cfg->csettings[i], 1, vals, e->msg,
                               sizeof e->msg) != 0) {
            e->setting = cidx[i];
            e->field = CONFIG_SETTING;
            return -1;
        }
    e->setting = spec->nsettings; /* a rule across settings (e.g. one given twice) */
    if (gclab_params_parse(w->params, w->nparams, w->name, wsettings, nw, cfg->wparams, e->msg, sizeof e->msg) != 0 ||
        gclab_params_parse(ci->params, ci->nparams, ci->name, cfg->csettings, cfg->ncsettings, vals, e->msg,
                           sizeof e->msg) != 0) {
        e->field = CONFIG_SETTING;
        return -1;
    }
    return 0;
}

int config_build(run_config *cfg, const config_spec *spec, config_error *e)
{
    e->field = CONFIG_OK;
    e->setting = 0;
    e->msg[0] = '\0';
    cfg->wstate = NULL;
    cfg->collector = spec->collector ? gclab_collector_find(spec->collector) : NULL;
    if (!cfg->collector)
        return fail(e, CONFIG_COLLECTOR, "unknown collector '%s' (valid: %s)", spec->collector ? spec->collector : "",
                    gclab_collector_names());
    cfg->workload = spec->workload ? workload_find(spec->workload) : NULL;
    if (!cfg->workload)
        return fail(e, CONFIG_WORKLOAD, "unknown workload '%s' (valid: %s)", spec->workload ? spec->workload : "",
                    workload_names());
    if (set_thresholds(spec, cfg, e) != 0 || set_params(spec, cfg, e) != 0)
        return -1;
    const workload *w = cfg->workload;
    if (spec->prepare && w->prepare && w->prepare(cfg->wparams, &cfg->wstate, e->msg, sizeof e->msg) != 0) {
        cfg->wstate = NULL;
        e->field = CONFIG_PREPARE;
        return -1;
    }
    if (spec->output && config_check_output(spec->output, e->msg, sizeof e->msg) != 0) {
        config_release(cfg);
        e->field = CONFIG_OUTPUT;
        return -1;
    }
    return 0;
}

void config_release(run_config *cfg)
{
    if (cfg->wstate && cfg->workload && cfg->workload->release)
        cfg->workload->release(cfg->wstate);
    cfg->wstate = NULL;
}

void config_thresholds_text(const run_config *cfg, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < cfg->nthresholds && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%ld", i ? "," : "", cfg->thresholds[i]);
}

void config_label(const run_config *cfg, const char *const *settings, size_t nsettings, char *buf, size_t len)
{
    size_t used = (size_t)snprintf(buf, len, "%s/%s", cfg->workload->name, cfg->collector->name);
    if (cfg->nthresholds && used < len) {
        char t[96];
        config_thresholds_text(cfg, t, sizeof t);
        used += (size_t)snprintf(buf + used, len - used, " t=%s", t);
    }
    for (size_t i = 0; i < nsettings && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, " %s", settings[i]);
}

int config_check_output(const char *dir, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s", dir) >= (int)sizeof path) {
        snprintf(err, errlen, "output folder name too long");
        return -1;
    }
    struct stat st;
    size_t first = 0; /* dir's first missing part is dir[0, first); 0: dir is there */
    while (stat(path, &st) != 0) { /* find the deepest part that exists */
        first = strlen(path);
        char *slash = strrchr(path, '/');
        if (!slash || slash == path) {
            snprintf(path, sizeof path, "%s", slash == path ? "/" : ".");
            break;
        }
        *slash = '\0';
    }
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "cannot use output folder %.200s: %.200s is not a folder", dir, path);
        return -1;
    }
    /* Try it: access() says yes to root even where nothing can be made. */
    if (first == 0) {
        char probe[PATH_MAX];
        snprintf(probe, sizeof probe, "%.4000s/.gclab-probe-XXXXXX", path);
        if (!mkdtemp(probe)) {
            snprintf(err, errlen, "cannot write to output folder %.200s: %s", dir, strerror(errno));
            return -1;
        }
        rmdir(probe);
        return 0;
    }
    char part[PATH_MAX]; /* make the first missing part, and remove it again */
    snprintf(part, sizeof part, "%.*s", (int)first, dir);
    if (mkdir(part, 0777) != 0) {
        if (errno == EEXIST) /* there, but stat could not follow it: a dangling link */
            snprintf(err, errlen, "cannot use output folder %.200s: %.200s is not a folder", dir, part);
        else
            util_mkdir_error(err, errlen, dir, part, errno);
        return -1;
    }
    rmdir(part);
    return 0;
}
