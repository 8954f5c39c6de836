/*
 * contract_parse.c - turns a contract's YAML tree (contract_yaml.c) into an mdl_contract and
 * checks it: known keys only (with a "did you mean" for near misses), the right shape for
 * every value, core type names, pii tags, check kinds and their parameters, columns named by
 * keys, partitioning and checks that exist, and bronze's own rules (a source, no declared
 * metadata columns). Every message is "FILE:LINE:COLUMN: what". Format: docs/contracts.md.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contract_internal.h"

const mdl_contract_meta_column mdl_contract__meta_columns[] = {
    {"_ingestion_ts", "timestamp", "when the batch was ingested (UTC)"},
    {"_source_system", "string", "the source system (the contract's `source.system`)"},
    {"_batch_id", "string", "the ingestion run (a UUID v7 shared by the tables of one run)"},
    {"_source_file", "string",
     "the landing file the row was read from, relative to the landing "
     "root"},
    {"_ingest_date", "date", "the UTC date of `_ingestion_ts`; the partition column"},
};
const size_t mdl_contract__num_meta_columns =
    sizeof mdl_contract__meta_columns / sizeof mdl_contract__meta_columns[0];

bool mdl_contract__is_meta_column(const char *name)
{
    for (size_t i = 0; i < mdl_contract__num_meta_columns; i++)
        if (strcmp(name, mdl_contract__meta_columns[i].name) == 0)
            return true;
    return false;
}

static const char *const PII_NAMES[] = {"none", "keep", "hash", "redact", "mask_email", "last4"};
static const char *const MODE_NAMES[] = {"freeze", "evolve", "discard_row", "discard_value"};

const char *mdl_contract__pii_name(mdl_pii pii)
{
    return (size_t)pii < 6 ? PII_NAMES[pii] : "?";
}
const char *mdl_contract__schema_mode_name(mdl_schema_mode mode)
{
    return (size_t)mode < 4 ? MODE_NAMES[mode] : "?";
}

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define TRY(x)                                                                                     \
    do {                                                                                           \
        int rc_ = (x);                                                                             \
        if (rc_ != MDL_OK)                                                                         \
            return rc_;                                                                            \
    } while (0)

typedef struct pstate {
    mdl_ctx *ctx;
    const char *file;
    mdl_error *err;
    mdl_contract *c;
    bool bronze;
    size_t check_cap;
} pstate;

static int fail(pstate *p, const mdl_ynode *n, const char *fmt, ...) MDL_PRINTF(3, 4);
static int fail(pstate *p, const mdl_ynode *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mdl_error_set(p->err, MDL_ERR_SCHEMA, "%s:%d:%d: %s", p->file, n ? n->line : 1,
                         n ? n->column : 1, msg);
}

static int oom(pstate *p)
{
    return mdl_error_set(p->err, MDL_ERR_NOMEM, "%s: out of memory", p->file);
}

/* " (did you mean 'x'?)" for the closest of `names` when it is close enough, else "". */
static void suggest(const char *word, const char *const *names, size_t n, char *out, size_t cap)
{
    size_t best = (size_t)-1, len = strlen(word);
    const char *pick = NULL;
    for (size_t i = 0; i < n; i++) {
        if (names[i] == NULL)
            continue;
        size_t d = mdl_edit_distance(word, names[i]);
        if (d < best) {
            best = d;
            pick = names[i];
        }
    }
    size_t allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
    if (pick != NULL && best <= allowed)
        snprintf(out, cap, " (did you mean '%s'?)", pick);
    else
        out[0] = '\0';
}

static const char *kind_name(const mdl_ynode *n)
{
    return n->kind == MDL_YNODE_SEQ ? "a list" : n->kind == MDL_YNODE_MAP ? "a mapping" : "a value";
}

/* A plain empty, `~` or `null` scalar: the key is as good as absent. */
static bool is_null(const mdl_ynode *n)
{
    return n == NULL ||
           (n->kind == MDL_YNODE_SCALAR && n->plain &&
            (n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
             strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0));
}

/*
 * Checks a mapping's keys: scalars, each once, each one of `allowed`. `where` completes
 * "unknown key 'x' ..." ("in column 'id'", "at the top level").
 */
static int check_keys(pstate *p, const mdl_ynode *map, const char *const *allowed, size_t n,
                      const char *where)
{
    for (size_t i = 0; i + 1 < map->count; i += 2) {
        const mdl_ynode *k = map->items[i];
        if (k->kind != MDL_YNODE_SCALAR)
            return fail(p, k, "a key must be a plain name, not %s", kind_name(k));
        for (size_t j = 0; j < i; j += 2)
            if (strcmp(map->items[j]->text, k->text) == 0)
                return fail(p, k, "duplicate key '%.64s' %s (first at line %d)", k->text, where,
                            map->items[j]->line);
        bool ok = false;
        for (size_t j = 0; j < n && !ok; j++)
            ok = strcmp(k->text, allowed[j]) == 0;
        if (!ok) {
            char hint[128];
            suggest(k->text, allowed, n, hint, sizeof hint);
            return fail(p, k, "unknown key '%.64s' %s%s", k->text, where, hint);
        }
    }
    return MDL_OK;
}

static const mdl_ynode *get(const mdl_ynode *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->count; i += 2)
        if (map->items[i]->kind == MDL_YNODE_SCALAR && strcmp(map->items[i]->text, key) == 0)
            return map->items[i + 1];
    return NULL;
}

static const mdl_ynode *get_key(const mdl_ynode *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->count; i += 2)
        if (map->items[i]->kind == MDL_YNODE_SCALAR && strcmp(map->items[i]->text, key) == 0)
            return map->items[i];
    return NULL;
}

/* A scalar value as a new string; NULL (and MDL_OK) when absent or null. */
static int scalar(pstate *p, const mdl_ynode *v, const char *key, char **out)
{
    *out = NULL;
    if (is_null(v))
        return MDL_OK;
    if (v->kind != MDL_YNODE_SCALAR)
        return fail(p, v, "'%s' must be a single value, not %s", key, kind_name(v));
    *out = mdl_strndup(p->ctx, v->text, v->len);
    return *out ? MDL_OK : oom(p);
}

static int get_str(pstate *p, const mdl_ynode *map, const char *key, bool required,
                   const char *what, char **out)
{
    TRY(scalar(p, get(map, key), key, out));
    if (*out == NULL && required) {
        const mdl_ynode *k = get_key(map, key);
        return k ? fail(p, get(map, key), "'%s' must not be empty", key)
                 : fail(p, map, "%s has no '%s' (required)", what, key);
    }
    return MDL_OK;
}

/* One of `names` (the index in *out), with a suggestion when it is not. */
static int get_enum(pstate *p, const mdl_ynode *map, const char *key, const char *const *names,
                    size_t n, int *out)
{
    const mdl_ynode *v = get(map, key);
    if (is_null(v))
        return MDL_OK;
    if (v->kind != MDL_YNODE_SCALAR)
        return fail(p, v, "'%s' must be a single value, not %s", key, kind_name(v));
    for (size_t i = 0; i < n; i++)
        if (strcmp(v->text, names[i]) == 0) {
            *out = (int)i;
            return MDL_OK;
        }
    char hint[128], list[256] = "";
    suggest(v->text, names, n, hint, sizeof hint);
    for (size_t i = 0; i < n; i++) {
        strncat(list, names[i], sizeof list - strlen(list) - 1);
        strncat(list, i + 1 < n ? ", " : "", sizeof list - strlen(list) - 1);
    }
    return fail(p, v, "'%s' must be one of %s, not '%.64s'%s", key, list, v->text, hint);
}

static int parse_bool(pstate *p, const mdl_ynode *v, const char *key, bool *out)
{
    if (v->kind != MDL_YNODE_SCALAR)
        return fail(p, v, "'%s' must be true or false, not %s", key, kind_name(v));
    if (strcmp(v->text, "true") == 0 || strcmp(v->text, "True") == 0) {
        *out = true;
        return MDL_OK;
    }
    if (strcmp(v->text, "false") == 0 || strcmp(v->text, "False") == 0) {
        *out = false;
        return MDL_OK;
    }
    return fail(p, v, "'%s' must be true or false, not '%.64s'", key, v->text);
}

/* A list of scalars as new strings. */
static int get_list(pstate *p, const mdl_ynode *v, const char *key, char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (is_null(v))
        return MDL_OK;
    if (v->kind != MDL_YNODE_SEQ)
        return fail(p, v, "'%s' must be a list ([a, b]), not %s", key, kind_name(v));
    if (v->count == 0)
        return MDL_OK;
    *out = mdl_calloc(p->ctx, v->count, sizeof **out);
    if (*out == NULL)
        return oom(p);
    for (size_t i = 0; i < v->count; i++) {
        const mdl_ynode *e = v->items[i];
        if (e->kind != MDL_YNODE_SCALAR || is_null(e))
            return fail(p, e, "the items of '%s' must be values, not %s", key,
                        is_null(e) ? "null" : kind_name(e));
        (*out)[i] = mdl_strndup(p->ctx, e->text, e->len);
        if ((*out)[i] == NULL)
            return oom(p);
        (*count)++;
    }
    return MDL_OK;
}

static bool is_identifier(const char *s)
{
    if (!(islower((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (const char *q = s; *q; q++)
        if (!(islower((unsigned char)*q) || isdigit((unsigned char)*q) || *q == '_'))
            return false;
    return strlen(s) <= 128;
}

static bool is_layer(const char *s, size_t len)
{
    return (len == 6 && memcmp(s, "bronze", 6) == 0) || (len == 6 && memcmp(s, "silver", 6) == 0) ||
           (len == 4 && memcmp(s, "gold", 4) == 0);
}

static const mdl_contract_column *find_column(const mdl_contract *c, const char *name)
{
    for (size_t i = 0; i < c->num_columns; i++)
        if (c->columns[i].name != NULL && strcmp(c->columns[i].name, name) == 0)
            return &c->columns[i];
    return NULL;
}

/* A column named by a key, a partitioning or a check must exist (or be a bronze meta column
 * where `meta` allows it). */
static int check_column_ref(pstate *p, const mdl_ynode *at, const char *name, const char *what,
                            bool meta)
{
    if (find_column(p->c, name) != NULL)
        return MDL_OK;
    if (meta && p->bronze && mdl_contract__is_meta_column(name))
        return MDL_OK;
    size_t n = p->c->num_columns;
    const char **names = mdl_calloc(p->ctx, n + mdl_contract__num_meta_columns + 1, sizeof *names);
    if (names == NULL)
        return oom(p);
    for (size_t i = 0; i < n; i++)
        names[i] = p->c->columns[i].name;
    for (size_t i = 0; meta && p->bronze && i < mdl_contract__num_meta_columns; i++)
        names[n++] = mdl_contract__meta_columns[i].name;
    char hint[128];
    suggest(name, names, n, hint, sizeof hint);
    mdl_free(p->ctx, names);
    return fail(p, at, "%s names '%.64s', which is not a column%s", what, name, hint);
}

/* ---- checks ------------------------------------------------------------------------------ */

static const char *const CHECK_KINDS[] = {
    "not_null",  "unique", "accepted_values", "range",      "regex", "relationship", "row_count",
    "freshness", "sql",    "reconcile",       "quarantined"};
static const char *const COLUMN_KINDS[] = {"not_null", "unique", "accepted_values",
                                           "range",    "regex",  "relationship"};
static const char *const TABLE_KINDS[] = {"unique", "row_count", "freshness",
                                          "sql",    "reconcile", "quarantined"};
static const char *const CHECK_KEYS[] = {
    "not_null",     "unique",    "accepted_values", "range", "regex",
    "relationship", "row_count", "freshness",       "sql",   "reconcile",
    "quarantined",  "severity",  "threshold",       "name"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static int add_param(pstate *p, mdl_contract_check *ck, const char *key, const char *value)
{
    mdl_key_value *kv = mdl_realloc(p->ctx, ck->params, (ck->num_params + 1) * sizeof *ck->params);
    if (kv == NULL)
        return oom(p);
    ck->params = kv;
    char *k = mdl_strdup(p->ctx, key), *v = mdl_strdup(p->ctx, value);
    if (k == NULL || v == NULL) {
        mdl_free(p->ctx, k);
        mdl_free(p->ctx, v);
        return oom(p);
    }
    kv[ck->num_params].key = k;
    kv[ck->num_params].value = v;
    ck->num_params++;
    return MDL_OK;
}

static bool is_number(const char *s)
{
    if (*s == '\0')
        return false;
    char *end;
    double d = strtod(s, &end);
    return *end == '\0' && d == d && d < 1e300 && d > -1e300 && !isalpha((unsigned char)s[0]);
}

static bool is_count(const char *s)
{
    if (*s == '\0' || strlen(s) > 18)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* 36h, 30m, 2d, 90s, 1w */
static bool is_duration(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 12 || strchr("smhdw", s[n - 1]) == NULL)
        return false;
    for (size_t i = 0; i + 1 < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* 10, 0.5%, 0 */
static bool is_threshold(const char *s)
{
    size_t n = strlen(s), dots = 0, digits = 0;
    if (n > 0 && s[n - 1] == '%')
        n--;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.')
            dots++;
        else if (isdigit((unsigned char)s[i]))
            digits++;
        else
            return false;
    }
    return digits > 0 && dots <= 1 && n <= 20;
}

static int check_severity_threshold(pstate *p, mdl_contract_check *ck, const mdl_ynode *key,
                                    const mdl_ynode *v)
{
    char **slot = strcmp(key->text, "severity") == 0 ? &ck->severity
                  : strcmp(key->text, "name") == 0   ? &ck->label
                                                     : &ck->threshold;
    if (*slot != NULL)
        return fail(p, key, "'%s' is given twice for this check", key->text);
    TRY(scalar(p, v, key->text, slot));
    if (*slot == NULL)
        return fail(p, v, "'%s' must not be empty", key->text);
    if (slot == &ck->severity && strcmp(*slot, "error") != 0 && strcmp(*slot, "warn") != 0)
        return fail(p, v, "'severity' must be error or warn, not '%.64s'", *slot);
    if (slot == &ck->label && !is_identifier(*slot))
        return fail(p, v, "a check's 'name' is snake_case (amount_outlier), not '%.64s'", *slot);
    if (slot == &ck->threshold && !is_threshold(*slot))
        return fail(p, v,
                    "'threshold' must be a row count (10) or a percentage (0.5%%), not "
                    "'%.64s'",
                    *slot);
    return MDL_OK;
}

/* The parameters of a check whose value is a mapping of scalars, e.g. range: {min: 0}. */
static int map_params(pstate *p, mdl_contract_check *ck, const mdl_ynode *v,
                      const char *const *keys, size_t nkeys)
{
    if (v->kind != MDL_YNODE_MAP)
        return fail(p, v, "'%s' takes a mapping ({%s: ...}), not %s", ck->kind, keys[0],
                    kind_name(v));
    const char *allowed[8];
    size_t n = 0;
    for (size_t i = 0; i < nkeys && n < 6; i++)
        allowed[n++] = keys[i];
    allowed[n++] = "severity";
    allowed[n++] = "threshold";
    char where[64];
    snprintf(where, sizeof where, "in check '%s'", ck->kind);
    if (nkeys > 0)
        TRY(check_keys(p, v, allowed, n, where));
    for (size_t i = 0; i + 1 < v->count; i += 2) {
        const mdl_ynode *k = v->items[i], *val = v->items[i + 1];
        if (k->kind != MDL_YNODE_SCALAR)
            return fail(p, k, "a key must be a plain name, not %s", kind_name(k));
        if (strcmp(k->text, "severity") == 0 || strcmp(k->text, "threshold") == 0) {
            TRY(check_severity_threshold(p, ck, k, val));
            continue;
        }
        if (val->kind != MDL_YNODE_SCALAR || is_null(val))
            return fail(p, val, "'%s' of check '%s' must be a value, not %s", k->text, ck->kind,
                        is_null(val) ? "null" : kind_name(val));
        TRY(add_param(p, ck, k->text, val->text));
    }
    return MDL_OK;
}

static const char *param(const mdl_contract_check *ck, const char *key)
{
    for (size_t i = 0; i < ck->num_params; i++)
        if (strcmp(ck->params[i].key, key) == 0)
            return ck->params[i].value;
    return NULL;
}

static const mdl_ynode *param_node(const mdl_ynode *v, const char *key)
{
    return v->kind == MDL_YNODE_MAP ? get(v, key) : NULL;
}

/* The kind's value: checks it and stores parameters / values. */
static int check_params(pstate *p, mdl_contract_check *ck, const mdl_ynode *v)
{
    const char *kind = ck->kind;
    if (strcmp(kind, "not_null") == 0 || strcmp(kind, "quarantined") == 0 ||
        (strcmp(kind, "unique") == 0 && ck->column != NULL)) {
        bool b = true;
        if (!is_null(v))
            TRY(parse_bool(p, v, kind, &b));
        if (!b)
            return fail(p, v, "'%s: false' is not a check; leave the check out", kind);
        return MDL_OK;
    }
    if (strcmp(kind, "unique") == 0) { /* table level: the key columns */
        if (v->kind != MDL_YNODE_SEQ || v->count == 0)
            return fail(p, v, "table check 'unique' takes a list of columns ([a, b]), not %s",
                        is_null(v) ? "nothing" : kind_name(v));
        TRY(get_list(p, v, "unique", &ck->values, &ck->num_values));
        for (size_t i = 0; i < ck->num_values; i++)
            TRY(check_column_ref(p, v->items[i], ck->values[i], "check 'unique'", true));
        return MDL_OK;
    }
    if (strcmp(kind, "accepted_values") == 0) {
        if (v->kind != MDL_YNODE_SEQ || v->count == 0)
            return fail(p, v, "'accepted_values' takes a non-empty list ([a, b]), not %s",
                        is_null(v) ? "nothing" : kind_name(v));
        return get_list(p, v, "accepted_values", &ck->values, &ck->num_values);
    }
    if (strcmp(kind, "range") == 0 || strcmp(kind, "row_count") == 0) {
        static const char *const keys[] = {"min", "max", "max_change"};
        bool rows = kind[1] == 'o';
        TRY(map_params(p, ck, v, keys, rows ? 3 : 2));
        const char *mn = param(ck, "min"), *mx = param(ck, "max"), *ch = param(ck, "max_change");
        if (mn == NULL && mx == NULL && ch == NULL)
            return fail(p, v,
                        rows ? "'row_count' needs min, max, max_change or several"
                             : "'range' needs min, max or both");
        if (ch != NULL && (strlen(ch) < 2 || ch[strlen(ch) - 1] != '%' || !is_threshold(ch)))
            return fail(p, param_node(v, "max_change"),
                        "'max_change' must be a percentage such as 50%%, not '%.64s'", ch);
        for (int i = 0; i < 2; i++) {
            const char *val = i ? mx : mn;
            if (val != NULL && !(rows ? is_count(val) : is_number(val)))
                return fail(p, param_node(v, i ? "max" : "min"),
                            "'%s' of '%s' must be %s, not "
                            "'%.64s'",
                            i ? "max" : "min", kind, rows ? "a row count" : "a number", val);
        }
        if (mn != NULL && mx != NULL && strtod(mn, NULL) > strtod(mx, NULL))
            return fail(p, v, "'%s' has min %s above max %s", kind, mn, mx);
        return MDL_OK;
    }
    if (strcmp(kind, "freshness") == 0) {
        static const char *const keys[] = {"column", "max_age"};
        TRY(map_params(p, ck, v, keys, 2));
        const char *col = param(ck, "column"), *age = param(ck, "max_age");
        if (col == NULL || age == NULL)
            return fail(p, v, "'freshness' needs column and max_age");
        TRY(check_column_ref(p, param_node(v, "column"), col, "check 'freshness'", true));
        if (!is_duration(age))
            return fail(p, param_node(v, "max_age"),
                        "'max_age' must be a duration such as 90s, 30m, 36h, 2d or 1w, not "
                        "'%.64s'",
                        age);
        return MDL_OK;
    }
    if (strcmp(kind, "reconcile") == 0) {
        TRY(map_params(p, ck, v, NULL, 0));
        if (ck->num_params == 0)
            return fail(p, v, "'reconcile' needs its parameters");
        return MDL_OK;
    }
    /* regex, relationship, sql: one string */
    if (is_null(v) || v->kind != MDL_YNODE_SCALAR)
        return fail(p, v, "'%s' takes a single value, not %s", kind,
                    is_null(v) ? "nothing" : kind_name(v));
    if (strcmp(kind, "regex") == 0) {
        regex_t re;
        int rc = regcomp(&re, v->text, REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char why[128];
            regerror(rc, &re, why, sizeof why);
            regfree(&re);
            return fail(p, v, "regex '%.64s' is not a POSIX extended regular expression: %s",
                        v->text, why);
        }
        regfree(&re);
        return add_param(p, ck, "pattern", v->text);
    }
    if (strcmp(kind, "relationship") == 0) {
        const char *d1 = strchr(v->text, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
        if (d1 == NULL || d2 == NULL || strchr(d2 + 1, '.') != NULL ||
            !is_layer(v->text, (size_t)(d1 - v->text)) || d2 == d1 + 1 || d2[1] == '\0')
            return fail(p, v,
                        "'relationship' must be LAYER.TABLE.COLUMN (silver.customers."
                        "customer_id), not '%.64s'",
                        v->text);
        return add_param(p, ck, "to", v->text);
    }
    return add_param(p, ck, "query", v->text);
}

static int new_check(pstate *p, mdl_contract_check **out)
{
    mdl_contract *c = p->c;
    if (c->num_checks == p->check_cap) {
        size_t cap = p->check_cap ? p->check_cap * 2 : 16;
        mdl_contract_check *a = mdl_realloc(p->ctx, c->checks, cap * sizeof *a);
        if (a == NULL)
            return oom(p);
        c->checks = a;
        p->check_cap = cap;
    }
    *out = &c->checks[c->num_checks++];
    memset(*out, 0, sizeof **out);
    return MDL_OK;
}

/* One check: `unique`, or {kind: value, severity: ..., threshold: ...}. column NULL = table. */
static int parse_check(pstate *p, const mdl_ynode *n, const char *column)
{
    const char *const *kinds = column ? COLUMN_KINDS : TABLE_KINDS;
    size_t nkinds = column ? N(COLUMN_KINDS) : N(TABLE_KINDS);
    const char *level = column ? "column" : "table";
    mdl_contract_check *ck = NULL;
    TRY(new_check(p, &ck));
    ck->line = n->line;
    if (column != NULL && (ck->column = mdl_strdup(p->ctx, column)) == NULL)
        return oom(p);
    const mdl_ynode *kind_key = n, *value = NULL;
    if (n->kind == MDL_YNODE_SCALAR) {
        if (is_null(n))
            return fail(p, n, "empty check");
    } else if (n->kind == MDL_YNODE_MAP) {
        kind_key = NULL;
        for (size_t i = 0; i + 1 < n->count; i += 2) {
            const mdl_ynode *k = n->items[i];
            if (k->kind != MDL_YNODE_SCALAR)
                return fail(p, k, "a key must be a plain name, not %s", kind_name(k));
            if (strcmp(k->text, "severity") == 0 || strcmp(k->text, "threshold") == 0 ||
                strcmp(k->text, "name") == 0)
                continue;
            if (!in_list(k->text, CHECK_KINDS, N(CHECK_KINDS))) {
                char hint[128];
                suggest(k->text, CHECK_KEYS, N(CHECK_KEYS), hint, sizeof hint);
                return fail(p, k, "unknown check '%.64s'%s", k->text, hint);
            }
            if (kind_key != NULL)
                return fail(p, k, "a check has one kind; found '%s' and '%.64s'", kind_key->text,
                            k->text);
            kind_key = k;
            value = n->items[i + 1];
        }
        if (kind_key == NULL)
            return fail(p, n,
                        "check has no kind (one of not_null, unique, accepted_values, "
                        "range, regex, relationship, row_count, freshness, sql, "
                        "reconcile, quarantined)");
        TRY(check_keys(p, n, CHECK_KEYS, N(CHECK_KEYS), "in a check"));
        for (size_t i = 0; i + 1 < n->count; i += 2)
            if (n->items[i] != kind_key)
                TRY(check_severity_threshold(p, ck, n->items[i], n->items[i + 1]));
    } else {
        return fail(p, n,
                    "a check is a name (unique) or a mapping ({range: {min: 0}}), not a "
                    "list");
    }
    const char *kind = kind_key->text;
    if (!in_list(kind, CHECK_KINDS, N(CHECK_KINDS))) {
        char hint[128];
        suggest(kind, CHECK_KINDS, N(CHECK_KINDS), hint, sizeof hint);
        return fail(p, kind_key, "unknown check '%.64s'%s", kind, hint);
    }
    if (!in_list(kind, kinds, nkinds))
        return fail(p, kind_key, "'%s' is a %s check; it cannot be used on a %s", kind,
                    column ? "table" : "column", level);
    if (strcmp(kind, "quarantined") == 0 && !p->bronze)
        return fail(p, kind_key,
                    "'quarantined' is for bronze tables (the share of a source's rows that "
                    "went to quarantine); %s tables have no source",
                    p->c->layer);
    if ((ck->kind = mdl_strdup(p->ctx, kind)) == NULL)
        return oom(p);
    if (n->kind == MDL_YNODE_SCALAR) {
        if (strcmp(kind, "quarantined") == 0)
            return MDL_OK;
        if (column == NULL || (strcmp(kind, "not_null") != 0 && strcmp(kind, "unique") != 0))
            return fail(p, n, "check '%s' needs parameters ({%s: ...})", kind, kind);
        return MDL_OK;
    }
    return check_params(p, ck, value);
}

static int parse_checks(pstate *p, const mdl_ynode *v, const char *column)
{
    if (is_null(v))
        return MDL_OK;
    if (v->kind != MDL_YNODE_SEQ)
        return fail(p, v, "'checks' must be a list, not %s", kind_name(v));
    for (size_t i = 0; i < v->count; i++)
        TRY(parse_check(p, v->items[i], column));
    return MDL_OK;
}

/* ---- columns ----------------------------------------------------------------------------- */

static const char *const COLUMN_KEYS[] = {"name", "type",   "nullable", "description",
                                          "pii",  "checks", "source",   "format"};

static int parse_column(pstate *p, const mdl_ynode *n, size_t index)
{
    mdl_contract_column *col = &p->c->columns[index];
    p->c->num_columns = index + 1; /* counted at once, so a failure frees what was set */
    col->nullable = true;
    col->line = n->line;
    if (n->kind != MDL_YNODE_MAP)
        return fail(p, n, "a column is a mapping ({name: ..., type: ...}), not %s", kind_name(n));
    const mdl_ynode *name = get(n, "name");
    char where[200];
    if (name != NULL && name->kind == MDL_YNODE_SCALAR)
        snprintf(where, sizeof where, "in column '%.64s'", name->text);
    else
        snprintf(where, sizeof where, "in column %zu", index + 1);
    TRY(check_keys(p, n, COLUMN_KEYS, N(COLUMN_KEYS), where));
    TRY(get_str(p, n, "name", true, "column", &col->name));
    if (!is_identifier(col->name))
        return fail(p, name,
                    "column name '%.64s' must be snake_case (a-z, 0-9, _; not starting "
                    "with a digit)",
                    col->name);
    if (p->bronze && mdl_contract__is_meta_column(col->name))
        return fail(p, name,
                    "'%s' is a metadata column that bronze ingestion adds; do not "
                    "declare it",
                    col->name);
    for (size_t i = 0; i < index; i++)
        if (strcmp(p->c->columns[i].name, col->name) == 0)
            return fail(p, name, "duplicate column '%s' (first at line %d)", col->name,
                        p->c->columns[i].line);
    char *type = NULL;
    TRY(get_str(p, n, "type", true, where, &type));
    mdl_error terr;
    int rc = mdl_type_parse(mdl_sv(type), &col->type, &terr);
    mdl_free(p->ctx, type);
    if (rc != MDL_OK)
        return fail(p, get(n, "type"), "column '%s': %s", col->name, terr.message);
    const mdl_ynode *nb = get(n, "nullable");
    if (!is_null(nb))
        TRY(parse_bool(p, nb, "nullable", &col->nullable));
    TRY(get_str(p, n, "description", false, where, &col->description));
    int pii = MDL_PII_NONE;
    TRY(get_enum(p, n, "pii", PII_NAMES, N(PII_NAMES), &pii));
    col->pii = (mdl_pii)pii;
    TRY(get_str(p, n, "source", false, where, &col->source_name));
    TRY(get_str(p, n, "format", false, where, &col->format));
    if (col->format != NULL && col->type.id != MDL_TYPE_DATE &&
        col->type.id != MDL_TYPE_TIMESTAMP && col->type.id != MDL_TYPE_BOOLEAN)
        return fail(p, get(n, "format"),
                    "'format' applies to date, timestamp and boolean "
                    "columns; '%s' is %s",
                    col->name, mdl_type_name(col->type.id));
    return MDL_OK;
}

/* ---- source ------------------------------------------------------------------------------ */

static const char *const SOURCE_KEYS[] = {"type",   "connection", "path",  "paths",
                                          "format", "options",    "system"};
static const char *const SOURCE_TYPES[] = {"files"};
static const char *const SOURCE_FORMATS[] = {"csv", "jsonl", "json"};
static const char *const OPTION_KEYS[] = {"delimiter", "quote", "header", "null", "records_path"};

static int check_path(pstate *p, const mdl_ynode *at, const char *path)
{
    if (path[0] == '/' || strstr(path, "..") != NULL || path[0] == '\0')
        return fail(p, at, "path '%.64s' must be relative to the landing root, without '..'", path);
    return MDL_OK;
}

static int parse_options(pstate *p, const mdl_ynode *v, const char *format)
{
    mdl_contract_source *s = &p->c->source;
    if (is_null(v))
        return MDL_OK;
    if (v->kind != MDL_YNODE_MAP)
        return fail(p, v, "'options' must be a mapping, not %s", kind_name(v));
    TRY(check_keys(p, v, OPTION_KEYS, N(OPTION_KEYS), "in source options"));
    s->options = mdl_calloc(p->ctx, v->count / 2 + 1, sizeof *s->options);
    if (s->options == NULL)
        return oom(p);
    bool csv = strcmp(format, "csv") == 0, json = strcmp(format, "json") == 0;
    for (size_t i = 0; i + 1 < v->count; i += 2) {
        const mdl_ynode *k = v->items[i], *val = v->items[i + 1];
        if (val->kind != MDL_YNODE_SCALAR)
            return fail(p, val, "option '%s' must be a single value, not %s", k->text,
                        kind_name(val));
        const char *key = k->text;
        bool csv_only = strcmp(key, "delimiter") == 0 || strcmp(key, "quote") == 0 ||
                        strcmp(key, "header") == 0;
        if ((csv_only && !csv) || (strcmp(key, "records_path") == 0 && !json))
            return fail(p, k, "option '%s' does not apply to format %s", key, format);
        if ((strcmp(key, "delimiter") == 0 || strcmp(key, "quote") == 0) && val->len != 1 &&
            strcmp(val->text, "tab") != 0)
            return fail(p, val, "option '%s' must be one character (or tab), not '%.64s'", key,
                        val->text);
        if (strcmp(key, "header") == 0) {
            bool b;
            TRY(parse_bool(p, val, "header", &b));
        }
        char *kk = mdl_strdup(p->ctx, key), *vv = mdl_strndup(p->ctx, val->text, val->len);
        if (kk == NULL || vv == NULL) {
            mdl_free(p->ctx, kk);
            mdl_free(p->ctx, vv);
            return oom(p);
        }
        s->options[s->num_options].key = kk;
        s->options[s->num_options].value = vv;
        s->num_options++;
    }
    return MDL_OK;
}

static int parse_source(pstate *p, const mdl_ynode *v)
{
    mdl_contract_source *s = &p->c->source;
    if (v->kind != MDL_YNODE_MAP)
        return fail(p, v, "'source' must be a mapping, not %s", kind_name(v));
    TRY(check_keys(p, v, SOURCE_KEYS, N(SOURCE_KEYS), "in source"));
    p->c->has_source = true;
    int type = -1, format = -1;
    TRY(get_enum(p, v, "type", SOURCE_TYPES, N(SOURCE_TYPES), &type));
    if (type < 0)
        return fail(p, v, "source has no 'type' (required; this version reads files)");
    TRY(get_enum(p, v, "format", SOURCE_FORMATS, N(SOURCE_FORMATS), &format));
    if (format < 0)
        return fail(p, v, "source has no 'format' (required: csv, jsonl or json)");
    if ((s->type = mdl_strdup(p->ctx, SOURCE_TYPES[type])) == NULL ||
        (s->format = mdl_strdup(p->ctx, SOURCE_FORMATS[format])) == NULL)
        return oom(p);
    TRY(get_str(p, v, "connection", false, "source", &s->connection));
    TRY(get_str(p, v, "system", true, "source", &s->system));
    if (!is_identifier(s->system))
        return fail(p, get(v, "system"), "'system' must be snake_case, not '%.64s'", s->system);
    const mdl_ynode *path = get(v, "path"), *paths = get(v, "paths");
    if (!is_null(path) && !is_null(paths))
        return fail(p, get_key(v, "paths"), "give 'path' or 'paths', not both");
    if (!is_null(path)) {
        s->paths = mdl_calloc(p->ctx, 1, sizeof *s->paths);
        if (s->paths == NULL)
            return oom(p);
        TRY(scalar(p, path, "path", &s->paths[0]));
        s->num_paths = 1;
        TRY(check_path(p, path, s->paths[0]));
    } else if (!is_null(paths)) {
        TRY(get_list(p, paths, "paths", &s->paths, &s->num_paths));
        if (s->num_paths == 0)
            return fail(p, paths, "'paths' must not be empty");
        for (size_t i = 0; i < s->num_paths; i++)
            TRY(check_path(p, paths->items[i], s->paths[i]));
    } else {
        return fail(p, v, "source has no 'path' or 'paths' (required for type files)");
    }
    TRY(parse_options(p, get(v, "options"), s->format));
    if (format == 2 && mdl_contract_source_option(p->c, "records_path") == NULL)
        return fail(p, v, "format json needs option 'records_path' (where the records are)");
    return MDL_OK;
}

/* ---- the contract ------------------------------------------------------------------------ */

static const char *const TOP_KEYS[] = {
    "table",   "description", "owner",  "materialized", "unique_key", "partition_by", "schema_mode",
    "columns", "checks",      "source", "incremental",  "scd2",       "tags"};

/* A column of the contract that must have type `want` (what: "scd2 valid_from"). */
static int require_column(pstate *p, const mdl_ynode *at, const char *name, mdl_type_id want,
                          const char *what)
{
    const mdl_contract_column *col = NULL;
    for (size_t i = 0; i < p->c->num_columns; i++)
        if (strcmp(p->c->columns[i].name, name) == 0)
            col = &p->c->columns[i];
    if (col == NULL)
        return fail(p, at,
                    "%s needs a column '%s' (%s) in 'columns'; the build fills it, the model's "
                    "SQL does not produce it",
                    what, name, mdl_type_name(want));
    if (col->type.id != want)
        return fail(p, at, "%s column '%s' must be %s, not %s", what, name, mdl_type_name(want),
                    mdl_type_name(col->type.id));
    return MDL_OK;
}

/* `incremental:` and `scd2:`: the settings of those materializations. */
static int parse_materialization(pstate *p, const mdl_ynode *root)
{
    mdl_contract *c = p->c;
    const mdl_ynode *inc = get(root, "incremental"), *scd = get(root, "scd2");
    bool is_inc = strcmp(c->materialized, "incremental") == 0;
    bool is_scd = strcmp(c->materialized, "scd2") == 0;
    if (!is_null(inc) && !is_inc)
        return fail(p, get_key(root, "incremental"),
                    "'incremental' settings need materialized: incremental");
    if (!is_null(scd) && !is_scd)
        return fail(p, get_key(root, "scd2"), "'scd2' settings need materialized: scd2");
    if ((is_inc || is_scd) && c->num_unique_key == 0)
        return fail(p, get(root, "materialized"),
                    "materialized: %s needs a unique_key (the business key rows are merged on)",
                    c->materialized);
    if (!is_null(inc)) {
        static const char *const KEYS[] = {"order_by"};
        if (inc->kind != MDL_YNODE_MAP)
            return fail(p, inc, "'incremental' must be a mapping, not %s", kind_name(inc));
        TRY(check_keys(p, inc, KEYS, N(KEYS), "in incremental"));
        TRY(get_str(p, inc, "order_by", false, "incremental", &c->incremental_order_by));
        if (c->incremental_order_by != NULL)
            TRY(check_column_ref(p, get(inc, "order_by"), c->incremental_order_by,
                                 "incremental order_by", false));
    }
    if (!is_scd)
        return MDL_OK;
    if (is_null(scd))
        return fail(p, get(root, "materialized"),
                    "materialized: scd2 needs an 'scd2' mapping with at least surrogate_key");
    static const char *const KEYS[] = {"surrogate_key", "tracked", "valid_from", "on_missing"};
    static const char *const MISSING[] = {"close", "keep"};
    if (scd->kind != MDL_YNODE_MAP)
        return fail(p, scd, "'scd2' must be a mapping, not %s", kind_name(scd));
    TRY(check_keys(p, scd, KEYS, N(KEYS), "in scd2"));
    TRY(get_str(p, scd, "surrogate_key", true, "scd2", &c->scd2_surrogate_key));
    TRY(require_column(p, get(scd, "surrogate_key"), c->scd2_surrogate_key, MDL_TYPE_INT64,
                       "scd2 surrogate_key"));
    TRY(require_column(p, scd, "valid_from", MDL_TYPE_TIMESTAMP, "scd2"));
    TRY(require_column(p, scd, "valid_to", MDL_TYPE_TIMESTAMP, "scd2"));
    TRY(require_column(p, scd, "is_current", MDL_TYPE_BOOLEAN, "scd2"));
    int missing = 0;
    TRY(get_enum(p, scd, "on_missing", MISSING, N(MISSING), &missing));
    c->scd2_keep_missing = missing == 1;
    TRY(get_str(p, scd, "valid_from", false, "scd2", &c->scd2_valid_from));
    const mdl_ynode *tr = get(scd, "tracked");
    TRY(get_list(p, tr, "tracked", &c->scd2_tracked, &c->num_scd2_tracked));
    const char *own[] = {c->scd2_surrogate_key, "valid_from", "valid_to", "is_current"};
    for (size_t i = 0; i <= c->num_scd2_tracked; i++) {
        const char *name = i < c->num_scd2_tracked ? c->scd2_tracked[i] : c->scd2_valid_from;
        const mdl_ynode *at = i < c->num_scd2_tracked ? tr->items[i] : get(scd, "valid_from");
        if (name == NULL)
            continue;
        const char *what = i < c->num_scd2_tracked ? "scd2 tracked" : "scd2 valid_from";
        TRY(check_column_ref(p, at, name, what, false));
        for (size_t k = 0; k < 4; k++)
            if (strcmp(name, own[k]) == 0)
                return fail(p, at, "%s names '%s', which the build fills", what, name);
        for (size_t k = 0; i < c->num_scd2_tracked && k < c->num_unique_key; k++)
            if (strcmp(name, c->unique_key[k]) == 0)
                return fail(p, at, "scd2 tracked names the key column '%s'", name);
    }
    return MDL_OK;
}

typedef struct check_order {
    int line;
    size_t index;
} check_order;

static int cmp_check_order(const void *a, const void *b)
{
    const check_order *x = a, *y = b;
    if (x->line != y->line)
        return (x->line > y->line) - (x->line < y->line);
    return (x->index > y->index) - (x->index < y->index);
}

/* Sorts the checks by line, keeping the order of checks on one line (a stable sort). */
static int sort_checks(pstate *p)
{
    mdl_contract *c = p->c;
    check_order *o = mdl_calloc(p->ctx, c->num_checks, sizeof *o);
    mdl_contract_check *sorted = mdl_calloc(p->ctx, c->num_checks, sizeof *sorted);
    if (o == NULL || sorted == NULL) {
        mdl_free(p->ctx, o);
        mdl_free(p->ctx, sorted);
        return oom(p);
    }
    for (size_t i = 0; i < c->num_checks; i++)
        o[i] = (check_order){c->checks[i].line, i};
    qsort(o, c->num_checks, sizeof *o, cmp_check_order);
    for (size_t i = 0; i < c->num_checks; i++)
        sorted[i] = c->checks[o[i].index];
    mdl_free(p->ctx, c->checks);
    mdl_free(p->ctx, o);
    c->checks = sorted;
    p->check_cap = c->num_checks;
    return MDL_OK;
}

static int parse_contract(pstate *p, const mdl_ynode *root)
{
    mdl_contract *c = p->c;
    if (root == NULL)
        return fail(p, NULL, "empty contract (expected a mapping with 'table' and 'columns')");
    if (root->kind != MDL_YNODE_MAP)
        return fail(p, root, "a contract is a mapping (table: ..., columns: ...), not %s",
                    kind_name(root));
    TRY(check_keys(p, root, TOP_KEYS, N(TOP_KEYS), "at the top level"));
    TRY(get_str(p, root, "table", true, "the contract", &c->table));
    const mdl_ynode *tn = get(root, "table");
    c->table_line = tn->line;
    c->table_column = tn->column;
    const char *dot = strchr(c->table, '.');
    if (dot == NULL || !is_layer(c->table, (size_t)(dot - c->table)) || !is_identifier(dot + 1))
        return fail(p, tn,
                    "table '%.64s' must be LAYER.NAME with LAYER bronze, silver or gold "
                    "and NAME snake_case",
                    c->table);
    c->layer = mdl_strndup(p->ctx, c->table, (size_t)(dot - c->table));
    c->name = mdl_strdup(p->ctx, dot + 1);
    if (c->layer == NULL || c->name == NULL)
        return oom(p);
    p->bronze = strcmp(c->layer, "bronze") == 0;
    TRY(get_str(p, root, "description", false, "the contract", &c->description));
    TRY(get_str(p, root, "owner", false, "the contract", &c->owner));

    static const char *const BRONZE_MAT[] = {"append"};
    static const char *const MODEL_MAT[] = {"table", "incremental", "scd2"};
    int mat = 0;
    if (p->bronze)
        TRY(get_enum(p, root, "materialized", BRONZE_MAT, N(BRONZE_MAT), &mat));
    else
        TRY(get_enum(p, root, "materialized", MODEL_MAT, N(MODEL_MAT), &mat));
    c->materialized = mdl_strdup(p->ctx, p->bronze ? BRONZE_MAT[mat] : MODEL_MAT[mat]);
    if (c->materialized == NULL)
        return oom(p);
    int mode = MDL_SCHEMA_FREEZE;
    TRY(get_enum(p, root, "schema_mode", MODE_NAMES, N(MODE_NAMES), &mode));
    c->schema_mode = (mdl_schema_mode)mode;

    const mdl_ynode *cols = get(root, "columns");
    if (is_null(cols))
        return get_key(root, "columns") ? fail(p, cols, "'columns' must not be empty")
                                        : fail(p, root,
                                               "the contract has no 'columns' "
                                               "(required)");
    if (cols->kind != MDL_YNODE_SEQ)
        return fail(p, cols, "'columns' must be a list of mappings, not %s", kind_name(cols));
    if (cols->count == 0)
        return fail(p, cols, "'columns' must not be empty");
    if (cols->count > MDL_CONTRACT_MAX_COLUMNS)
        return mdl_error_set(p->err, MDL_ERR_LIMIT, "%s:%d:%d: %zu columns, over the limit of %d",
                             p->file, cols->line, cols->column, cols->count,
                             MDL_CONTRACT_MAX_COLUMNS);
    c->columns = mdl_calloc(p->ctx, cols->count, sizeof *c->columns);
    if (c->columns == NULL)
        return oom(p);
    for (size_t i = 0; i < cols->count; i++)
        TRY(parse_column(p, cols->items[i], i));
    for (size_t i = 0; i < cols->count; i++)
        TRY(parse_checks(p, get(cols->items[i], "checks"), c->columns[i].name));
    for (size_t i = 0; i < cols->count; i++) {
        mdl_pii pii = c->columns[i].pii;
        if (pii != MDL_PII_NONE && pii != MDL_PII_KEEP && c->columns[i].type.id != MDL_TYPE_STRING)
            return fail(p, get(cols->items[i], "pii"),
                        "column '%s' is %s; only string columns can be masked (CAST it to a "
                        "string in the model, or tag it keep)",
                        c->columns[i].name, mdl_type_name(c->columns[i].type.id));
    }

    const mdl_ynode *uk = get(root, "unique_key"), *pb = get(root, "partition_by");
    TRY(get_list(p, uk, "unique_key", &c->unique_key, &c->num_unique_key));
    for (size_t i = 0; i < c->num_unique_key; i++)
        TRY(check_column_ref(p, uk->items[i], c->unique_key[i], "unique_key", false));
    TRY(get_list(p, pb, "partition_by", &c->partition_by, &c->num_partition_by));
    for (size_t i = 0; i < c->num_partition_by; i++) {
        TRY(check_column_ref(p, pb->items[i], c->partition_by[i], "partition_by", true));
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->partition_by[i], c->partition_by[j]) == 0)
                return fail(p, pb->items[i], "partition_by names '%s' twice", c->partition_by[i]);
    }
    TRY(parse_checks(p, get(root, "checks"), NULL));
    TRY(parse_materialization(p, root));
    const mdl_ynode *tags = get(root, "tags");
    TRY(get_list(p, tags, "tags", &c->tags, &c->num_tags));
    for (size_t i = 0; i < c->num_tags; i++)
        if (!is_identifier(c->tags[i]))
            return fail(p, tags->items[i], "a tag is snake_case, not '%.64s'", c->tags[i]);

    const mdl_ynode *src = get(root, "source");
    if (p->bronze && is_null(src))
        return src ? fail(p, src, "'source' must not be empty")
                   : fail(p, root,
                          "bronze table '%s' has no 'source' (required: where its data "
                          "comes from)",
                          c->table);
    if (!p->bronze && !is_null(src))
        return fail(p, get_key(root, "source"),
                    "'source' is for bronze tables; %s tables are "
                    "built by their model",
                    c->layer);
    if (!is_null(src))
        TRY(parse_source(p, src));
    /* Checks in file order (column checks were read column by column, table checks after). */
    return c->num_checks > 1 ? sort_checks(p) : MDL_OK;
}

int mdl_contract_parse(mdl_ctx *ctx, const char *file, const char *text, size_t len,
                       mdl_contract **out, mdl_error *err)
{
    *out = NULL;
    if (file == NULL)
        file = "<contract>";
    mdl_ynode *root = NULL;
    int rc = mdl_contract__yaml_load(ctx, file, text, len, &root, err);
    if (rc != MDL_OK)
        return rc;
    mdl_contract *c = mdl_calloc(ctx, 1, sizeof *c);
    if (c == NULL) {
        mdl_contract__ynode_free(ctx, root);
        return mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory", file);
    }
    c->ctx = ctx;
    pstate p = {ctx, file, err, c, false, 0};
    c->file = mdl_strdup(ctx, file);
    rc = c->file ? parse_contract(&p, root) : oom(&p);
    mdl_contract__ynode_free(ctx, root);
    if (rc != MDL_OK) {
        mdl_contract_free(c);
        return rc;
    }
    *out = c;
    return MDL_OK;
}
