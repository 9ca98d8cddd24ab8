/*
 * workloads/trace_parse.c -- the trace format: parser and interpreter.
 *
 * The parser reads a trace line by line into an array of instructions whose
 * operands are resolved to integers (frame slots, global and event
 * numbers), checking each line as it goes: first its bytes (length, NUL,
 * control characters, ASCII outside comments, UTF-8 inside them), then its
 * fields (the command's arity, identifiers, numbers and their ranges), then
 * its meaning, by simulating what is bound where: every name it uses must be
 * bound, to an object of the kind the command needs (a list to append to,
 * an instance with enough attributes).  That simulation is exact, because a
 * name's kind depends only on the line that last bound it; the body of a
 * `repeat` block that runs more than once is simulated a second time after
 * its `end`, starting from what its first repetition left, which covers every
 * later repetition too (from the second on, each name starts in the state the
 * body's last binding of it gives).  So a program that parses replays with
 * no check left to fail.  (Nested blocks multiply the simulations: at most
 * 2^TRACE_MAX_DEPTH for the innermost lines.)  There is deliberately no
 * command that binds a name to an object another name or a container holds
 * (`x = y`, `x = l[0]`): a trace's names stand for objects, which a recorder
 * knows, and that keeps the simulation exact.
 *
 * Memory: the parser allocates in proportion to its input, never to a
 * number the input states (sizes, counts).  The replay allocates its str
 * payload buffer (the largest str SIZE) in trace_replay_ready.
 */
#include "trace_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* The program */

enum op {
    /* allocate and bind a name: a = name slot */
    OP_INT,      /* n = value */
    OP_STR,      /* n = size, b/c = text offset/length in the pool */
    OP_BYTES,    /* n = size */
    OP_LIST,     /* b/c = offset/count in items[] */
    OP_TUPLE,    /* b/c = offset/count in items[] */
    OP_DICT,     /* */
    OP_INSTANCE, /* n = nattrs, x = finalizer (FIN_*), b = 1 + the global __del__ stores self in, or 0 */
    /* names and globals */
    OP_DEL,       /* a = name */
    OP_GLOBAL,    /* a = global, b = name */
    OP_DELGLOBAL, /* a = global */
    /* references */
    OP_APPEND,  /* a = list, b = item */
    OP_POP,     /* a = list, n = index or -1 for the last */
    OP_SET,     /* a = dict, b = key, c = value */
    OP_DELITEM, /* a = dict, b = key */
    OP_SETATTR, /* a = instance, n = index, c = value */
    OP_DELATTR, /* a = instance, n = index */
    OP_CLEAR,   /* a = list, dict or instance */
    OP_GETDICT, /* a = instance */
    /* the collector */
    OP_EVENT,   /* a = event */
    OP_COLLECT, /* x = generation, or COLLECT_OLDEST */
    OP_GC,      /* x = GC_* */
    OP_CHECKPOINT, /* */
    /* control, not commands */
    OP_REPEAT, /* n = count, b = its OP_END */
    OP_END     /* b = its OP_REPEAT */
};

enum { FIN_NONE, FIN_PEP442, FIN_LEGACY };
enum { GC_ENABLE, GC_DISABLE, GC_FREEZE, GC_UNFREEZE };
#define COLLECT_OLDEST 255

typedef struct insn {
    uint8_t op, x;
    uint32_t a, b, c;
    uint32_t line;
    int64_t n;
} insn;

struct trace_program {
    insn *insns;
    size_t ninsns, capinsns;
    uint32_t *items; /* the names a list or tuple is made of */
    size_t nitems, capitems;
    char *pool; /* every identifier, NUL-terminated */
    size_t npool, cappool;
    uint32_t *name_off, *global_off, *event_off; /* where each one's text is in the pool */
    size_t capnames, capglobals, capevents;
    size_t max_items; /* the most items one list or tuple is made of */
    trace_info info;
    /* replay */
    char *scratch; /* max_str bytes of '.' */
    gclab_object **itembuf;
    int ready;
};

const trace_info *trace_program_info(const trace_program *p) { return &p->info; }

void trace_program_free(trace_program *p)
{
    if (!p)
        return;
    free(p->insns);
    free(p->items);
    free(p->pool);
    free(p->name_off);
    free(p->global_off);
    free(p->event_off);
    free(p->scratch);
    free(p->itembuf);
    free(p);
}

/* Make room for `need` elements; 0, or -1 if memory ran out. */
static int reserve(void **v, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / elem)
        return -1;
    void *q = realloc(*v, n * elem);
    if (!q)
        return -1;
    *v = q;
    *cap = n;
    return 0;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }
static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    return a && b > UINT64_MAX / a ? UINT64_MAX : a * b;
}

/* ------------------------------------------------------------------ */
/* The parser */

enum ns { NS_NAME, NS_GLOBAL, NS_EVENT, NS_TEXT };

typedef struct ident {
    uint32_t off; /* in the pool; 0 marks an empty entry (the pool starts with a NUL) */
    uint32_t index;
    uint8_t ns, len;
} ident;

/* What the simulation knows about a name or a global. */
typedef struct binding {
    uint8_t bound;
    uint8_t kind;    /* gclab_kind, if bound */
    uint32_t nattrs; /* if an instance */
    uint32_t line;   /* where it was last bound or deleted; 0: never */
} binding;

typedef struct tok {
    const char *s;
    size_t n;
} tok;

typedef struct parser {
    const char *file;
    char *err;
    size_t errlen;
    uint32_t lineno;
    trace_program *p;
    ident *tab; /* open addressing, power-of-two capacity */
    size_t tabcap, tabn;
    binding *names, *globals;
    size_t capnb, capgb;
    /* the current line's fields: [cur, end) */
    const char *cur, *end;
    tok cmd;
    const char *usage;
    /* open repeat blocks */
    size_t open[TRACE_MAX_DEPTH];
    size_t open_commands[TRACE_MAX_DEPTH]; /* commands before each open block */
    int depth;
    int again; /* > 0 while simulating a block's next repetition */
    int header;
} parser;

/* The file name for messages: its last 200 bytes, control characters as '?'
 * (an error is one line, whatever the name). */
static void put_file(parser *ps, char *buf, size_t len)
{
    size_t n = strlen(ps->file);
    if (n > 200)
        snprintf(buf, len, "...%s", ps->file + n - 197);
    else
        snprintf(buf, len, "%s", ps->file);
    for (char *c = buf; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static int fail(parser *ps, const char *fmt, ...)
{
    char file[208];
    put_file(ps, file, sizeof file);
    int n = snprintf(ps->err, ps->errlen, "%s:%u: ", file, (unsigned)ps->lineno);
    if (n >= 0 && (size_t)n < ps->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int oom(parser *ps) { return fail(ps, "expected to allocate memory for the program, got out of memory"); }

/* 'text' for messages, cut at 40 characters. */
typedef struct shown {
    char s[56];
} shown;

static shown show_n(const char *s, size_t n)
{
    shown r;
    if (n > 40)
        snprintf(r.s, sizeof r.s, "'%.37s...'", s);
    else
        snprintf(r.s, sizeof r.s, "'%.*s'", (int)n, s);
    return r;
}
static shown show(tok t) { return show_n(t.s, t.n); }

/* ---- identifiers */

static int is_ident_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == ':' || c == '/' || c == '-';
}

static int valid_ident(tok t)
{
    if (t.n == 0 || t.n > TRACE_MAX_IDENT)
        return 0;
    for (size_t i = 0; i < t.n; i++)
        if (!is_ident_char((unsigned char)t.s[i]))
            return 0;
    return 1;
}

static uint32_t hash_ident(int ns, const char *s, size_t n)
{
    uint32_t h = 2166136261u ^ (uint32_t)ns;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static const char *pool_str(const trace_program *p, uint32_t off) { return p->pool + off; }

static ident *lookup(parser *ps, int ns, tok t)
{
    size_t mask = ps->tabcap - 1;
    for (size_t i = hash_ident(ns, t.s, t.n) & mask;; i = (i + 1) & mask) {
        ident *e = &ps->tab[i];
        if (e->off == 0)
            return e;
        if (e->ns == ns && e->len == t.n && memcmp(ps->p->pool + e->off, t.s, t.n) == 0)
            return e;
    }
}

static int grow_table(parser *ps)
{
    size_t cap = ps->tabcap ? ps->tabcap * 2 : 1024;
    ident *old = ps->tab;
    size_t oldcap = ps->tabcap;
    ps->tab = calloc(cap, sizeof *ps->tab);
    if (!ps->tab) {
        ps->tab = old;
        return -1;
    }
    ps->tabcap = cap;
    for (size_t i = 0; i < oldcap; i++) {
        if (old[i].off == 0)
            continue;
        size_t mask = cap - 1, j = hash_ident(old[i].ns, ps->p->pool + old[i].off, old[i].len) & mask;
        while (ps->tab[j].off)
            j = (j + 1) & mask;
        ps->tab[j] = old[i];
    }
    free(old);
    return 0;
}

/* The number of identifier t in namespace ns, made if new.  -1 on error. */
static int intern(parser *ps, int ns, tok t, uint32_t *out)
{
    static const char *const what[] = {"object names", "globals", "event names", "texts"};
    static const uint32_t limit[] = {TRACE_MAX_NAMES, TRACE_MAX_GLOBALS, TRACE_MAX_EVENTS, UINT32_MAX};
    if ((ps->tabn + 1) * 2 > ps->tabcap && grow_table(ps) != 0)
        return oom(ps);
    ident *e = lookup(ps, ns, t);
    if (e->off) {
        *out = e->index;
        return 0;
    }
    trace_program *p = ps->p;
    size_t *count = ns == NS_NAME ? &p->info.names : ns == NS_GLOBAL ? &p->info.globals
                  : ns == NS_EVENT ? &p->info.events : NULL;
    if (count && *count >= limit[ns])
        return fail(ps, "expected at most %u distinct %s, got more", (unsigned)limit[ns], what[ns]);
    if (reserve((void **)&p->pool, &p->cappool, p->npool + t.n + 1, 1) != 0)
        return oom(ps);
    uint32_t off = (uint32_t)p->npool;
    memcpy(p->pool + off, t.s, t.n);
    p->pool[off + t.n] = '\0';
    p->npool += t.n + 1;
    uint32_t index = 0;
    if (ns == NS_NAME) {
        if (reserve((void **)&p->name_off, &p->capnames, *count + 1, sizeof *p->name_off) != 0 ||
            reserve((void **)&ps->names, &ps->capnb, *count + 1, sizeof *ps->names) != 0)
            return oom(ps);
        p->name_off[*count] = off;
        ps->names[*count] = (binding){0, 0, 0, 0};
    } else if (ns == NS_GLOBAL) {
        if (reserve((void **)&p->global_off, &p->capglobals, *count + 1, sizeof *p->global_off) != 0 ||
            reserve((void **)&ps->globals, &ps->capgb, *count + 1, sizeof *ps->globals) != 0)
            return oom(ps);
        p->global_off[*count] = off;
        ps->globals[*count] = (binding){0, 0, 0, 0};
    } else if (ns == NS_EVENT) {
        if (reserve((void **)&p->event_off, &p->capevents, *count + 1, sizeof *p->event_off) != 0)
            return oom(ps);
        p->event_off[*count] = off;
    }
    if (count)
        index = (uint32_t)(*count)++;
    else
        index = off; /* a text is known by its offset */
    *e = (ident){off, index, (uint8_t)ns, (uint8_t)t.n};
    ps->tabn++;
    *out = index;
    return 0;
}

/* ---- fields */

static int next_tok(parser *ps, tok *t)
{
    while (ps->cur < ps->end && (*ps->cur == ' ' || *ps->cur == '\t'))
        ps->cur++;
    t->s = ps->cur;
    t->n = 0;
    if (ps->cur == ps->end)
        return 0;
    while (ps->cur < ps->end && *ps->cur != ' ' && *ps->cur != '\t')
        ps->cur++;
    t->n = (size_t)(ps->cur - t->s);
    return 1;
}

/* Is there another field on the line? */
static int peek_tok(parser *ps)
{
    while (ps->cur < ps->end && (*ps->cur == ' ' || *ps->cur == '\t'))
        ps->cur++;
    return ps->cur < ps->end;
}

static int want_tok(parser *ps, const char *what, tok *t)
{
    if (!next_tok(ps, t))
        return fail(ps, "expected %s (%s), got end of line", what, ps->usage);
    return 0;
}

static int want_eol(parser *ps)
{
    tok t;
    if (next_tok(ps, &t))
        return fail(ps, "expected end of line after %s, got %s", ps->usage, show(t).s);
    return 0;
}

/* Why t is not an identifier. */
static int bad_ident(parser *ps, const char *what, tok t)
{
    if (t.n > TRACE_MAX_IDENT)
        return fail(ps, "expected %s of at most %u characters, got %zu: %s", what, (unsigned)TRACE_MAX_IDENT,
                    t.n, show(t).s);
    size_t i = 0;
    while (i < t.n && is_ident_char((unsigned char)t.s[i]))
        i++;
    return fail(ps, "expected %s of letters, digits and _ . : / -, got %s (with '%c')", what, show(t).s, t.s[i]);
}

static int want_ident(parser *ps, int ns, const char *what, uint32_t *out)
{
    tok t;
    if (want_tok(ps, what, &t) != 0)
        return -1;
    if (!valid_ident(t))
        return bad_ident(ps, what, t);
    return intern(ps, ns, t, out);
}

/* A decimal integer in [lo, hi]. */
static int parse_int(tok t, int64_t lo, int64_t hi, int64_t *out)
{
    size_t i = 0;
    int neg = 0;
    if (t.n && t.s[0] == '-') {
        neg = 1;
        i = 1;
    }
    if (i == t.n)
        return -1;
    uint64_t v = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < t.n; i++) {
        unsigned d = (unsigned)(unsigned char)t.s[i] - '0';
        if (d > 9 || v > (lim - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    int64_t r = neg ? (v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    if (r < lo || r > hi)
        return -1;
    *out = r;
    return 0;
}

static int want_int(parser *ps, const char *what, int64_t lo, int64_t hi, int64_t *out)
{
    tok t;
    if (want_tok(ps, what, &t) != 0)
        return -1;
    if (parse_int(t, lo, hi, out) != 0)
        return fail(ps, "expected %s, an integer from %lld to %lld, got %s", what, (long long)lo,
                    (long long)hi, show(t).s);
    return 0;
}

/* ---- the simulation: what is bound where */

static const char *kind_article(int k)
{
    static const char *const a[] = {"an int", "a str", "a bytes", "a tuple", "a list", "a dict", "an instance"};
    return k >= 0 && k < GCLAB_NKINDS ? a[k] : "?";
}

static const char *name_of(parser *ps, uint32_t slot) { return pool_str(ps->p, ps->p->name_off[slot]); }

static int unbound(parser *ps, const char *what, const char *name, const binding *b)
{
    if (b->line == 0)
        return fail(ps, "expected %s, got %s, which is not bound before this line", what,
                    show_n(name, strlen(name)).s);
    return fail(ps, "expected %s, got %s, which was deleted at line %u%s", what, show_n(name, strlen(name)).s,
                (unsigned)b->line, ps->again ? " in the block's previous repetition" : "");
}

/* Name `slot` must be bound to one of the kinds in mask; `what` says what is
 * expected ("a list to append to"). */
static int need(parser *ps, uint32_t slot, const char *what, unsigned mask)
{
    const binding *b = &ps->names[slot];
    const char *name = name_of(ps, slot);
    if (!b->bound)
        return unbound(ps, what, name, b);
    if (!(mask & (1u << b->kind)))
        return fail(ps, "expected %s, got %s, %s (bound at line %u%s)", what, show_n(name, strlen(name)).s,
                    kind_article(b->kind), (unsigned)b->line,
                    ps->again ? " in the block's previous repetition" : "");
    return 0;
}
#define ANY 0x7fu
#define K(k) (1u << GCLAB_KIND_##k)

static int need_attr(parser *ps, const insn *in)
{
    const binding *b = &ps->names[in->a];
    if ((uint64_t)in->n >= b->nattrs) {
        const char *name = name_of(ps, in->a);
        if (b->nattrs == 0)
            return fail(ps, "expected an instance with attributes, got %s, which has none (bound at line %u)",
                        show_n(name, strlen(name)).s, (unsigned)b->line);
        return fail(ps, "expected an attribute index from 0 to %u (%s has %u, bound at line %u), got %lld",
                    (unsigned)b->nattrs - 1, show_n(name, strlen(name)).s, (unsigned)b->nattrs,
                    (unsigned)b->line, (long long)in->n);
    }
    return 0;
}

/* Check one instruction against what is bound, then apply what it binds. */
static int simulate(parser *ps, insn *in)
{
    ps->lineno = in->line;
    const trace_program *p = ps->p;
    switch ((enum op)in->op) {
    case OP_LIST:
    case OP_TUPLE:
        for (uint32_t i = 0; i < in->c; i++)
            if (need(ps, p->items[in->b + i], "a bound name for each item", ANY) != 0)
                return -1;
        /* fall through */
    case OP_INT:
    case OP_STR:
    case OP_BYTES:
    case OP_DICT:
    case OP_INSTANCE: {
        static const uint8_t kind[] = {GCLAB_KIND_INT,   GCLAB_KIND_STR,  GCLAB_KIND_BYTES,
                                       GCLAB_KIND_LIST,  GCLAB_KIND_TUPLE, GCLAB_KIND_DICT,
                                       GCLAB_KIND_INSTANCE};
        ps->names[in->a] = (binding){1, kind[in->op], in->op == OP_INSTANCE ? (uint32_t)in->n : 0, in->line};
        return 0;
    }
    case OP_DEL:
        if (need(ps, in->a, "a bound name to delete", ANY) != 0)
            return -1;
        ps->names[in->a] = (binding){0, 0, 0, in->line};
        return 0;
    case OP_GLOBAL:
        if (need(ps, in->b, "an object to store in the global", ANY) != 0)
            return -1;
        ps->globals[in->a] = (binding){1, 0, 0, in->line};
        return 0;
    case OP_DELGLOBAL: {
        binding *g = &ps->globals[in->a];
        if (!g->bound)
            return unbound(ps, "a bound global to delete", pool_str(p, p->global_off[in->a]), g);
        *g = (binding){0, 0, 0, in->line};
        return 0;
    }
    case OP_APPEND:
        return need(ps, in->a, "a list to append to", K(LIST)) || need(ps, in->b, "an object to append", ANY);
    case OP_POP:
        return need(ps, in->a, "a list to pop from", K(LIST));
    case OP_SET:
        return need(ps, in->a, "a dict to set an item in", K(DICT)) || need(ps, in->b, "an object for the key", ANY) ||
               need(ps, in->c, "an object for the value", ANY);
    case OP_DELITEM:
        return need(ps, in->a, "a dict to delete an item from", K(DICT)) ||
               need(ps, in->b, "an object for the key", ANY);
    case OP_SETATTR:
        return need(ps, in->a, "an instance to set an attribute of", K(INSTANCE)) || need_attr(ps, in) ||
               need(ps, in->c, "an object for the value", ANY);
    case OP_DELATTR:
        return need(ps, in->a, "an instance to delete an attribute of", K(INSTANCE)) || need_attr(ps, in);
    case OP_CLEAR:
        if (need(ps, in->a, "a list, dict or instance to clear", K(LIST) | K(DICT) | K(INSTANCE)) != 0)
            return -1;
        if (ps->names[in->a].kind == GCLAB_KIND_INSTANCE && ps->names[in->a].nattrs > in->c)
            in->c = ps->names[in->a].nattrs; /* the most slots it clears, for trace_info.work_per_pass */
        return 0;
    case OP_GETDICT:
        return need(ps, in->a, "an instance to read the __dict__ of", K(INSTANCE));
    case OP_EVENT:
    case OP_COLLECT:
    case OP_GC:
    case OP_CHECKPOINT:
    case OP_REPEAT:
    case OP_END:
        return 0;
    }
    return 0;
}

/* Simulate instructions [from, to) again: a block's next repetition. */
static int simulate_range(parser *ps, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        insn *in = &ps->p->insns[i];
        if (in->op == OP_REPEAT) {
            size_t e = in->b;
            if (simulate_range(ps, i + 1, e) != 0 || (in->n > 1 && simulate_range(ps, i + 1, e) != 0))
                return -1;
            i = e;
        } else if (simulate(ps, in) != 0) {
            return -1;
        }
    }
    return 0;
}

/* ---- commands */

static insn *emit(parser *ps, uint8_t op)
{
    trace_program *p = ps->p;
    if (p->ninsns >= TRACE_MAX_COMMANDS)
        return fail(ps, "expected at most %u command lines, got more", (unsigned)TRACE_MAX_COMMANDS), NULL;
    if (reserve((void **)&p->insns, &p->capinsns, p->ninsns + 1, sizeof *p->insns) != 0)
        return oom(ps), NULL;
    insn *in = &p->insns[p->ninsns++];
    *in = (insn){.op = op, .line = ps->lineno};
    return in;
}

typedef struct command {
    const char *word, *usage;
    uint8_t op;
} command;

static const command commands[] = {
    {"int", "int NAME VALUE", OP_INT},
    {"str", "str NAME SIZE [TEXT]", OP_STR},
    {"bytes", "bytes NAME SIZE", OP_BYTES},
    {"list", "list NAME [ITEM ...]", OP_LIST},
    {"tuple", "tuple NAME [ITEM ...]", OP_TUPLE},
    {"dict", "dict NAME", OP_DICT},
    {"instance", "instance NAME NATTRS [__del__ [GLOBAL]|tp_del]", OP_INSTANCE},
    {"del", "del NAME", OP_DEL},
    {"global", "global GLOBAL NAME", OP_GLOBAL},
    {"delglobal", "delglobal GLOBAL", OP_DELGLOBAL},
    {"append", "append LIST ITEM", OP_APPEND},
    {"pop", "pop LIST [INDEX]", OP_POP},
    {"set", "set DICT KEY VALUE", OP_SET},
    {"delitem", "delitem DICT KEY", OP_DELITEM},
    {"setattr", "setattr OBJECT INDEX VALUE", OP_SETATTR},
    {"delattr", "delattr OBJECT INDEX", OP_DELATTR},
    {"clear", "clear CONTAINER", OP_CLEAR},
    {"getdict", "getdict OBJECT", OP_GETDICT},
    {"event", "event EVENT", OP_EVENT},
    {"collect", "collect [GENERATION]", OP_COLLECT},
    {"gc", "gc enable|disable|freeze|unfreeze", OP_GC},
    {"checkpoint", "checkpoint", OP_CHECKPOINT},
    {"repeat", "repeat COUNT", OP_REPEAT},
    {"end", "end", OP_END},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static int parse_items(parser *ps, insn *in)
{
    trace_program *p = ps->p;
    in->b = (uint32_t)p->nitems;
    tok t;
    while (next_tok(ps, &t)) {
        if (!valid_ident(t))
            return bad_ident(ps, "ITEM, a name", t);
        uint32_t slot;
        if (intern(ps, NS_NAME, t, &slot) != 0)
            return -1;
        if (reserve((void **)&p->items, &p->capitems, p->nitems + 1, sizeof *p->items) != 0)
            return oom(ps);
        p->items[p->nitems++] = slot;
        in->c++;
    }
    if (in->c > p->max_items)
        p->max_items = in->c;
    return 0;
}

/* One command line, its fields in [ps->cur, ps->end). */
static int parse_command(parser *ps)
{
    trace_program *p = ps->p;
    tok w;
    next_tok(ps, &w); /* the line is not blank */
    if (!ps->header) {
        ps->usage = "gclab-trace 1";
        tok v;
        if (w.n != 11 || memcmp(w.s, "gclab-trace", 11) != 0)
            return fail(ps, "expected the header line 'gclab-trace 1' first, got %s", show(w).s);
        if (want_tok(ps, "the format version", &v) != 0)
            return -1;
        if (v.n != 1 || v.s[0] != '1')
            return fail(ps, "expected format version 1 (gclab-trace 1), got %s", show(v).s);
        ps->header = 1;
        return want_eol(ps);
    }
    const command *c = NULL;
    for (size_t i = 0; i < NCOMMANDS && !c; i++)
        if (strlen(commands[i].word) == w.n && memcmp(commands[i].word, w.s, w.n) == 0)
            c = &commands[i];
    if (!c)
        return fail(ps, "expected a command (int str bytes list tuple dict instance del global "
                        "delglobal append pop set delitem setattr delattr clear getdict event collect gc "
                        "checkpoint repeat end), got %s", show(w).s);
    ps->usage = c->usage;
    insn *in;
    int64_t v;
    switch ((enum op)c->op) {
    case OP_REPEAT:
        if (ps->depth == TRACE_MAX_DEPTH)
            return fail(ps, "expected repeat blocks nested at most %d deep, got one more", TRACE_MAX_DEPTH);
        if (want_int(ps, "COUNT", 1, TRACE_MAX_REPEAT, &v) != 0 || want_eol(ps) != 0 || !(in = emit(ps, OP_REPEAT)))
            return -1;
        in->n = v;
        ps->open_commands[ps->depth] = p->info.commands;
        ps->open[ps->depth++] = p->ninsns - 1;
        return 0;
    case OP_END: {
        if (ps->depth == 0)
            return fail(ps, "expected a command, got 'end' with no repeat block open");
        if (p->info.commands == ps->open_commands[ps->depth - 1]) /* it would loop doing nothing */
            return fail(ps, "expected a command before 'end', got an empty repeat block (line %u)",
                        (unsigned)p->insns[ps->open[ps->depth - 1]].line);
        if (want_eol(ps) != 0 || !(in = emit(ps, OP_END)))
            return -1;
        size_t r = ps->open[--ps->depth], e = p->ninsns - 1;
        p->insns[r].b = (uint32_t)e;
        in->b = (uint32_t)r;
        if (p->insns[r].n > 1) { /* the next repetition starts from what this one left */
            ps->again++;
            int rc = simulate_range(ps, r + 1, e);
            ps->again--;
            ps->lineno = in->line;
            return rc;
        }
        return 0;
    }
    default: break;
    }

    if (!(in = emit(ps, c->op)))
        return -1;
    switch ((enum op)c->op) {
    case OP_INT:
        if (want_ident(ps, NS_NAME, "NAME", &in->a) != 0 || want_int(ps, "VALUE", INT64_MIN, INT64_MAX, &in->n) != 0)
            return -1;
        break;
    case OP_STR: {
        tok t;
        if (want_ident(ps, NS_NAME, "NAME", &in->a) != 0 ||
            want_int(ps, "SIZE", 0, TRACE_MAX_SIZE, &in->n) != 0)
            return -1;
        if (next_tok(ps, &t)) {
            if (!valid_ident(t))
                return bad_ident(ps, "TEXT", t);
            if (intern(ps, NS_TEXT, t, &in->b) != 0)
                return -1;
            in->c = (uint32_t)t.n;
        } else {
            in->b = p->name_off[in->a];
            in->c = (uint32_t)strlen(p->pool + in->b);
        }
        if ((size_t)in->n > p->info.max_str)
            p->info.max_str = (size_t)in->n;
        break;
    }
    case OP_BYTES:
        if (want_ident(ps, NS_NAME, "NAME", &in->a) != 0 || want_int(ps, "SIZE", 0, TRACE_MAX_SIZE, &in->n) != 0)
            return -1;
        break;
    case OP_LIST:
    case OP_TUPLE:
        if (want_ident(ps, NS_NAME, "NAME", &in->a) != 0 || parse_items(ps, in) != 0)
            return -1;
        break;
    case OP_DICT:
    case OP_DEL:
    case OP_POP:
    case OP_CLEAR:
    case OP_GETDICT:
        if (want_ident(ps, NS_NAME,
                       c->op == OP_POP       ? "LIST"
                       : c->op == OP_CLEAR   ? "CONTAINER"
                       : c->op == OP_GETDICT ? "OBJECT"
                                             : "NAME",
                       &in->a) != 0)
            return -1;
        in->n = -1;
        if (c->op == OP_POP) {
            tok t;
            if (next_tok(ps, &t) && parse_int(t, 0, UINT32_MAX, &in->n) != 0)
                return fail(ps, "expected INDEX, an integer from 0 to %u, got %s", (unsigned)UINT32_MAX, show(t).s);
        }
        break;
    case OP_INSTANCE: {
        tok t;
        if (want_ident(ps, NS_NAME, "NAME", &in->a) != 0 || want_int(ps, "NATTRS", 0, TRACE_MAX_ATTRS, &in->n) != 0)
            return -1;
        if (next_tok(ps, &t)) {
            if (t.n == 7 && memcmp(t.s, "__del__", 7) == 0) {
                in->x = FIN_PEP442;
                uint32_t g;
                if (peek_tok(ps)) { /* __del__ GLOBAL: it stores self there (resurrects it) */
                    if (want_ident(ps, NS_GLOBAL, "GLOBAL", &g) != 0)
                        return -1;
                    in->b = g + 1;
                }
            } else if (t.n == 6 && memcmp(t.s, "tp_del", 6) == 0)
                in->x = FIN_LEGACY;
            else
                return fail(ps, "expected a finalizer, __del__ (PEP 442) or tp_del (legacy), or end of line, got %s",
                            show(t).s);
        }
        break;
    }
    case OP_GLOBAL:
        if (want_ident(ps, NS_GLOBAL, "GLOBAL", &in->a) != 0 || want_ident(ps, NS_NAME, "NAME", &in->b) != 0)
            return -1;
        break;
    case OP_DELGLOBAL:
        if (want_ident(ps, NS_GLOBAL, "GLOBAL", &in->a) != 0)
            return -1;
        break;
    case OP_APPEND:
        if (want_ident(ps, NS_NAME, "LIST", &in->a) != 0 || want_ident(ps, NS_NAME, "ITEM", &in->b) != 0)
            return -1;
        break;
    case OP_SET:
        if (want_ident(ps, NS_NAME, "DICT", &in->a) != 0 || want_ident(ps, NS_NAME, "KEY", &in->b) != 0 ||
            want_ident(ps, NS_NAME, "VALUE", &in->c) != 0)
            return -1;
        break;
    case OP_DELITEM:
        if (want_ident(ps, NS_NAME, "DICT", &in->a) != 0 || want_ident(ps, NS_NAME, "KEY", &in->b) != 0)
            return -1;
        break;
    case OP_SETATTR:
    case OP_DELATTR:
        if (want_ident(ps, NS_NAME, "OBJECT", &in->a) != 0 ||
            want_int(ps, "INDEX", 0, TRACE_MAX_ATTRS - 1, &in->n) != 0 ||
            (c->op == OP_SETATTR && want_ident(ps, NS_NAME, "VALUE", &in->c) != 0))
            return -1;
        break;
    case OP_EVENT:
        if (want_ident(ps, NS_EVENT, "EVENT", &in->a) != 0)
            return -1;
        break;
    case OP_COLLECT: {
        tok t;
        in->x = COLLECT_OLDEST;
        if (next_tok(ps, &t)) {
            if (parse_int(t, 0, GCLAB_MAX_GENERATIONS - 1, &v) != 0)
                return fail(ps, "expected GENERATION, an integer from 0 to %d, or end of line, got %s",
                            GCLAB_MAX_GENERATIONS - 1, show(t).s);
            in->x = (uint8_t)v;
        }
        break;
    }
    case OP_GC: {
        static const char *const actions[] = {"enable", "disable", "freeze", "unfreeze"};
        tok t;
        if (want_tok(ps, "an action", &t) != 0)
            return -1;
        size_t i = 0;
        while (i < 4 && !(strlen(actions[i]) == t.n && memcmp(actions[i], t.s, t.n) == 0))
            i++;
        if (i == 4)
            return fail(ps, "expected an action, enable, disable, freeze or unfreeze, got %s", show(t).s);
        in->x = (uint8_t)i;
        break;
    }
    case OP_CHECKPOINT:
    case OP_REPEAT:
    case OP_END:
        break;
    }
    if (want_eol(ps) != 0)
        return -1;
    p->info.commands++;
    return simulate(ps, in);
}

/* What one pass executes: every count multiplied by its blocks' COUNTs. */
static void tally(trace_program *p)
{
    trace_info *info = &p->info;
    uint64_t mult[TRACE_MAX_DEPTH + 1] = {1};
    int d = 0;
    for (size_t i = 0; i < p->ninsns; i++) {
        const insn *in = &p->insns[i];
        uint64_t m = mult[d], bytes = 0, work = 1;
        switch ((enum op)in->op) {
        case OP_REPEAT: /* runs m times; its end, once per repetition */
            info->work_per_pass = sat_add(info->work_per_pass, m);
            mult[++d] = sat_mul(m, (uint64_t)in->n);
            continue;
        case OP_END:
            info->work_per_pass = sat_add(info->work_per_pass, m);
            d--;
            continue;
        case OP_STR:
        case OP_BYTES: bytes = (uint64_t)in->n; break;
        case OP_LIST:
        case OP_TUPLE:
            bytes = (uint64_t)8 * in->c;
            work += in->c;
            break;
        case OP_INSTANCE:
            bytes = (uint64_t)8 * (uint64_t)in->n;
            work += (uint64_t)in->n;
            break;
        case OP_CLEAR: work += in->c; break;
        case OP_EVENT: info->events_per_pass = sat_add(info->events_per_pass, m); break;
        case OP_COLLECT: info->collects_per_pass = sat_add(info->collects_per_pass, m); break;
        default: break;
        }
        info->ops_per_pass = sat_add(info->ops_per_pass, m);
        info->bytes_per_pass = sat_add(info->bytes_per_pass, sat_mul(bytes, m));
        info->work_per_pass = sat_add(info->work_per_pass, sat_mul(work, m));
    }
}

/* ---- lines */

/* The length of the valid UTF-8 sequence at s (n bytes available), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80)
        return 1;
    size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len == 0 || n < len)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) || (c == 0xf0 && s[1] < 0x90) ||
        (c == 0xf4 && s[1] > 0x8f))
        return 0; /* overlong, a surrogate, or beyond U+10FFFF */
    return len;
}

/* Check the bytes of line [s, s + n) and find its fields and its comment. */
static int check_line(parser *ps, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    for (; i < n && u[i] != '#'; i++) {
        if (u[i] == 0)
            return fail(ps, "expected text, got a NUL byte at column %zu", i + 1);
        if (u[i] >= 0x80)
            return fail(ps, "expected ASCII outside comments, got byte 0x%02x at column %zu", u[i], i + 1);
        if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f)
            return fail(ps, "expected printable text, got control byte 0x%02x at column %zu", u[i], i + 1);
    }
    ps->cur = s;
    ps->end = s + i;
    while (i < n) { /* the comment: UTF-8 text */
        if (u[i] == 0)
            return fail(ps, "expected text, got a NUL byte at column %zu", i + 1);
        if ((u[i] < 0x20 && u[i] != '\t') || u[i] == 0x7f)
            return fail(ps, "expected printable text, got control byte 0x%02x at column %zu", u[i], i + 1);
        size_t k = utf8_seq(u + i, n - i);
        if (k == 0)
            return fail(ps, "expected UTF-8 text in the comment, got byte 0x%02x at column %zu", u[i], i + 1);
        i += k;
    }
    return 0;
}

static int parse_all(parser *ps, const char *text, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
        ps->lineno++;
        ps->p->info.lines++;
        const char *s = text + pos;
        pos += n + (nl != NULL);
        if (n && s[n - 1] == '\r')
            n--; /* CRLF */
        if (n > TRACE_MAX_LINE)
            return fail(ps, "expected a line of at most %u bytes, got %zu bytes", (unsigned)TRACE_MAX_LINE, n);
        if (check_line(ps, s, n) != 0)
            return -1;
        tok t;
        const char *save = ps->cur;
        if (!next_tok(ps, &t))
            continue; /* blank or a comment */
        ps->cur = save;
        if (parse_command(ps) != 0)
            return -1;
    }
    if (ps->depth > 0) {
        ps->lineno = ps->p->insns[ps->open[ps->depth - 1]].line;
        return fail(ps, "expected an 'end' for this repeat block, got end of file");
    }
    if (!ps->header) {
        ps->lineno = ps->lineno ? ps->lineno : 1;
        return fail(ps, "expected the header line 'gclab-trace 1', got end of file");
    }
    tally(ps->p);
    return 0;
}

trace_program *trace_parse(const char *name, const char *text, size_t len, char *err, size_t errlen)
{
    parser ps = {.file = name ? name : "(trace)", .err = err, .errlen = errlen};
    if (errlen)
        err[0] = '\0';
    if (len > TRACE_MAX_FILE_BYTES) {
        char file[208];
        put_file(&ps, file, sizeof file);
        snprintf(err, errlen, "%s: expected a trace of at most %u bytes, got %zu bytes", file,
                 (unsigned)TRACE_MAX_FILE_BYTES, len);
        return NULL;
    }
    ps.p = calloc(1, sizeof *ps.p);
    int rc = -1;
    if (!ps.p) {
        fail(&ps, "expected to allocate memory for the program, got out of memory");
    } else if (reserve((void **)&ps.p->pool, &ps.p->cappool, 1, 1) != 0) {
        oom(&ps);
    } else {
        ps.p->pool[0] = '\0'; /* offset 0 means "no identifier" */
        ps.p->npool = 1;
        rc = parse_all(&ps, text, len);
    }
    free(ps.tab);
    free(ps.names);
    free(ps.globals);
    if (rc != 0) {
        trace_program_free(ps.p);
        return NULL;
    }
    return ps.p;
}

/* ------------------------------------------------------------------ */
/* The replay */

int trace_replay_ready(trace_program *p, char *err, size_t errlen)
{
    if (p->ready)
        return 0;
    if (p->info.max_str) {
        p->scratch = malloc(p->info.max_str);
        if (!p->scratch) {
            snprintf(err, errlen, "cannot allocate %zu bytes for the trace's str payloads", p->info.max_str);
            return -1;
        }
        memset(p->scratch, '.', p->info.max_str);
    }
    if (p->max_items) {
        p->itembuf = malloc(p->max_items * sizeof *p->itembuf);
        if (!p->itembuf) {
            snprintf(err, errlen, "cannot allocate the trace's item buffer");
            return -1;
        }
    }
    p->ready = 1;
    return 0;
}

static void finalizer(gclab_heap *h, gclab_object *self, void *ctx)
{
    (void)h, (void)self, (void)ctx; /* a __del__ that does nothing */
}

/* `def __del__(self): global G; G = self`: ctx is G's name, in the
 * program's pool (the program outlives the heap). */
static void resurrect(gclab_heap *h, gclab_object *self, void *ctx)
{
    const char *name = ctx;
    gclab_object *k = gclab_new_str(h, name, strlen(name));
    gclab_dict_setitem(h, gclab_globals(h), k, self);
    gclab_decref(h, k);
}

static void bind(gclab_heap *h, gclab_frame *f, uint32_t slot, gclab_object *o)
{
    gclab_frame_set(h, f, slot, o); /* the old object is released after the new one is bound */
    gclab_decref(h, o);
}

static gclab_object *new_str(gclab_heap *h, const trace_program *p, const insn *in)
{
    const char *text = p->pool + in->b;
    size_t size = (size_t)in->n, tlen = in->c;
    if (size <= tlen)
        return gclab_new_str(h, text, size);
    memcpy(p->scratch, text, tlen); /* TEXT, then '.' up to SIZE */
    gclab_object *o = gclab_new_str(h, p->scratch, size);
    memset(p->scratch, '.', tlen);
    return o;
}

static void replay_pass(gclab_heap *h, const trace_program *p, gclab_frame *f, gclab_object *const *keys,
                        gclab_object *zero, trace_stats *st)
{
    const int oldest = gclab_heap_collector(h)->ngenerations - 1;
    gclab_object *globals = gclab_globals(h);
    uint64_t left[TRACE_MAX_DEPTH];
    int depth = 0;
    uint64_t ops = 0;
    for (size_t pc = 0; pc < p->ninsns; pc++) {
        const insn *in = &p->insns[pc];
        if (in->op < OP_REPEAT)
            ops++;
        switch ((enum op)in->op) {
        case OP_INT: bind(h, f, in->a, gclab_new_int(h, in->n)); break;
        case OP_STR: bind(h, f, in->a, new_str(h, p, in)); break;
        case OP_BYTES: bind(h, f, in->a, gclab_new_bytes(h, NULL, (size_t)in->n)); break;
        case OP_LIST:
        case OP_TUPLE:
            for (uint32_t i = 0; i < in->c; i++)
                p->itembuf[i] = gclab_frame_get(f, p->items[in->b + i]);
            bind(h, f, in->a,
                 in->op == OP_LIST ? gclab_new_list_from(h, in->c, p->itembuf)
                                   : gclab_new_tuple(h, in->c, p->itembuf));
            break;
        case OP_DICT: bind(h, f, in->a, gclab_new_dict(h)); break;
        case OP_INSTANCE: {
            gclab_object *o = gclab_new_instance(h, (size_t)in->n);
            if (in->x != FIN_NONE && in->b)
                gclab_instance_set_finalizer(h, o, resurrect, (void *)(p->pool + p->global_off[in->b - 1]),
                                             GCLAB_FINALIZER_PEP442);
            else if (in->x != FIN_NONE)
                gclab_instance_set_finalizer(h, o, finalizer, NULL,
                                             in->x == FIN_PEP442 ? GCLAB_FINALIZER_PEP442 : GCLAB_FINALIZER_LEGACY);
            gclab_poll(h); /* C() is a call: the eval breaker's check, before the name is bound */
            bind(h, f, in->a, o);
            break;
        }
        case OP_DEL: gclab_frame_set(h, f, in->a, NULL); break;
        case OP_GLOBAL: gclab_dict_setitem(h, globals, keys[in->a], gclab_frame_get(f, in->b)); break;
        case OP_DELGLOBAL: gclab_dict_delitem(h, globals, keys[in->a]); break;
        /* l.append(x) as a statement is no safe point: 3.12+ specialise it
         * (CALL_NO_KW_LIST_APPEND: CALL and POP_TOP fused, no eval-breaker
         * check).  pop, delitem (d.pop), clear and the gc calls are calls
         * that check it. */
        case OP_APPEND: gclab_list_append(h, gclab_frame_get(f, in->a), gclab_frame_get(f, in->b)); break;
        case OP_POP: {
            gclab_object *l = gclab_frame_get(f, in->a);
            size_t len = gclab_list_len(l);
            if (len && (in->n < 0 || (uint64_t)in->n < len))
                gclab_list_swap_remove(h, l, in->n < 0 ? len - 1 : (size_t)in->n);
            gclab_poll(h);
            break;
        }
        case OP_SET:
            gclab_dict_setitem(h, gclab_frame_get(f, in->a), gclab_frame_get(f, in->b), gclab_frame_get(f, in->c));
            break;
        case OP_DELITEM:
            gclab_dict_delitem(h, gclab_frame_get(f, in->a), gclab_frame_get(f, in->b));
            gclab_poll(h);
            break;
        case OP_SETATTR:
            gclab_setattr(h, gclab_frame_get(f, in->a), (size_t)in->n, gclab_frame_get(f, in->c));
            break;
        case OP_DELATTR: gclab_setattr(h, gclab_frame_get(f, in->a), (size_t)in->n, NULL); break;
        case OP_CLEAR: {
            gclab_object *o = gclab_frame_get(f, in->a);
            switch (gclab_kind_of(o)) {
            case GCLAB_KIND_LIST: gclab_list_clear(h, o); break;
            case GCLAB_KIND_DICT: gclab_dict_clear(h, o); break;
            default: /* an instance */
                for (size_t i = 0, n = gclab_instance_nattrs(o); i < n; i++)
                    gclab_setattr(h, o, i, NULL);
                break;
            }
            gclab_poll(h);
            break;
        }
        case OP_GETDICT: gclab_instance_getdict(h, gclab_frame_get(f, in->a)); break; /* LOAD_ATTR: no check */
        case OP_EVENT:
            gclab_event(h, p->pool + p->event_off[in->a]);
            st->events++;
            break;
        case OP_COLLECT:
            gclab_collect(h, in->x > oldest ? oldest : in->x);
            gclab_poll(h); /* gc.collect() is a call too (so are the gc commands) */
            st->collections++;
            break;
        case OP_GC:
            switch (in->x) {
            case GC_ENABLE: gclab_enable(h); break;
            case GC_DISABLE: gclab_disable(h); break;
            case GC_FREEZE: gclab_freeze(h); break;
            default: gclab_unfreeze(h); break;
            }
            gclab_poll(h);
            break;
        case OP_CHECKPOINT: { /* gc.get_count(): read, then build the 3-tuple; a call, so a safe point */
            long counts[3] = {0, 0, 0};
            gclab_get_count(h, counts, 3);
            gclab_object *t = gclab_new_tuple(h, 3, (gclab_object *[]){zero, zero, zero});
            gclab_poll(h);
            if (st->on_checkpoint)
                st->on_checkpoint(h, counts, t, st->arg);
            gclab_decref(h, t);
            gclab_poll(h);
            st->checkpoints++;
            break;
        }
        case OP_REPEAT: /* for _ in range(COUNT): the range() call first */
            gclab_builtin_call(h, 1);
            left[depth++] = (uint64_t)in->n;
            break;
        case OP_END:
            gclab_poll(h); /* a backward jump: the eval breaker's check */
            if (--left[depth - 1] > 0)
                pc = in->b; /* the body starts after the repeat */
            else
                depth--;
            break;
        }
    }
    st->ops += ops;
}

int trace_replay(gclab_heap *h, trace_program *p, uint64_t repeat, trace_stats *stats, char *err,
                 size_t errlen)
{
    if (trace_replay_ready(p, err, errlen) != 0)
        return -1;
    size_t nglobals = p->info.globals, nnames = p->info.names;
    gclab_object **keys = NULL;
    if (nglobals) {
        keys = malloc(nglobals * sizeof *keys);
        if (!keys) {
            snprintf(err, errlen, "cannot allocate the trace's global names");
            return -1;
        }
        for (size_t i = 0; i < nglobals; i++) {
            const char *k = p->pool + p->global_off[i];
            keys[i] = gclab_new_str(h, k, strlen(k));
        }
    }
    /* The replay polls wherever Python checks its eval breaker: a
     * collection a deferred profile schedules waits for those, not for the
     * next allocation. */
    gclab_set_explicit_safe_points(h, 1);
    gclab_frame *f = gclab_frame_push(h, nnames);
    /* The items of checkpoint tuples: a small int, which CPython never allocates. */
    gclab_object *zero = gclab_new_int(h, 0);
    for (uint64_t r = 0; r < repeat; r++) {
        replay_pass(h, p, f, keys, zero, stats);
        for (size_t i = 0; i < nnames; i++) /* the pass returns: its names go */
            if (gclab_frame_get(f, i))
                gclab_frame_set(h, f, i, NULL);
        gclab_poll(h);
    }
    gclab_frame_pop(h);
    gclab_set_explicit_safe_points(h, 0);
    gclab_decref(h, zero);
    for (size_t i = 0; i < nglobals; i++)
        gclab_decref(h, keys[i]);
    free(keys);
    return 0;
}
