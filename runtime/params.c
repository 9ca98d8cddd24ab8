/*
 * runtime/params.c -- typed "key=value" parameters with defaults, units and
 * ranges, for collectors and workloads alike.
 */
#include <gclab/gclab.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int parse_bool(const char *s, long long *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"}, *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

static int parse_choice(const char *choices, const char *s, long long *out)
{
    size_t n = strlen(s);
    long long idx = 0;
    for (const char *c = choices; *c; idx++) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && strncmp(c, s, n) == 0)
            return *out = idx, 0;
        if (!bar)
            break;
        c = bar + 1;
    }
    return -1;
}

static void describe(const gclab_param *p, char *buf, size_t len)
{
    const char *unit = p->unit && *p->unit ? p->unit : "";
    switch (p->type) {
    case GCLAB_PARAM_INT:
        snprintf(buf, len, "an integer from %.0f to %.0f%s%s", p->min, p->max, *unit ? " " : "", unit);
        break;
    case GCLAB_PARAM_DOUBLE:
        snprintf(buf, len, "a number from %g to %g%s%s", p->min, p->max, *unit ? " " : "", unit);
        break;
    case GCLAB_PARAM_BOOL:
        snprintf(buf, len, "true or false");
        break;
    case GCLAB_PARAM_CHOICE:
        snprintf(buf, len, "one of %s", p->choices);
        break;
    case GCLAB_PARAM_STRING:
        snprintf(buf, len, "text");
        break;
    }
}

/* Parse one value; 0 on success. */
static int parse_value(const gclab_param *p, const char *s, gclab_value *out)
{
    char *end;
    errno = 0;
    switch (p->type) {
    case GCLAB_PARAM_INT: {
        long long v = strtoll(s, &end, 10);
        if (errno || end == s || *end || (double)v < p->min || (double)v > p->max)
            return -1;
        out->i = v;
        return 0;
    }
    case GCLAB_PARAM_DOUBLE: {
        double v = strtod(s, &end);
        if (errno || end == s || *end || !isfinite(v) || v < p->min || v > p->max)
            return -1;
        out->d = v;
        return 0;
    }
    case GCLAB_PARAM_BOOL:
        return parse_bool(s, &out->i);
    case GCLAB_PARAM_CHOICE:
        return parse_choice(p->choices, s, &out->i);
    case GCLAB_PARAM_STRING:
        out->s = s;
        return 0;
    }
    return -1;
}

int gclab_param_find(const gclab_param *params, size_t n, const char *key, size_t keylen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(params[i].name) == keylen && strncmp(params[i].name, key, keylen) == 0)
            return (int)i;
    return -1;
}

void gclab_param_names(const gclab_param *params, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    if (len == 0)
        return; /* no room, not even for the NUL */
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", params[i].name);
    if (n == 0)
        snprintf(buf, len, "none");
}

int gclab_params_parse(const gclab_param *params, size_t nparams, const char *owner,
                       const char *const *settings, size_t nsettings, gclab_value *out,
                       char *err, size_t errlen)
{
    char what[160];
    for (size_t i = 0; i < nparams; i++) {
        if (parse_value(&params[i], params[i].def, &out[i]) != 0) {
            snprintf(err, errlen, "%s: bad default for parameter '%s'", owner, params[i].name);
            return -1;
        }
    }
    for (size_t k = 0; k < nsettings; k++) {
        const char *s = settings[k], *eq = strchr(s, '=');
        size_t klen = eq ? (size_t)(eq - s) : strlen(s);
        int found = gclab_param_find(params, nparams, s, klen);
        if (found < 0) {
            gclab_param_names(params, nparams, what, sizeof what);
            snprintf(err, errlen, "%s has no parameter '%.*s' (valid: %s)", owner, (int)klen, s, what);
            return -1;
        }
        size_t i = (size_t)found;
        if (!eq) {
            describe(&params[i], what, sizeof what);
            snprintf(err, errlen, "%s: parameter '%s' needs a value: %s=VALUE, %s", owner,
                     params[i].name, params[i].name, what);
            return -1;
        }
        if (parse_value(&params[i], eq + 1, &out[i]) != 0) {
            describe(&params[i], what, sizeof what);
            snprintf(err, errlen, "%s: parameter '%s' must be %s, got '%s'", owner, params[i].name,
                     what, eq + 1);
            return -1;
        }
    }
    return 0;
}
