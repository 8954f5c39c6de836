/*
 * sql_func.c - the scalar function registry: lookup by name over the family tables
 * (sql_func_ops.c, _string, _date, _math, _hash, _json), argument-count and type checks with
 * did-you-mean suggestions, DuckDB's implicit-cast lattice (common_type), which casts exist,
 * and the helpers the function files share.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sql/sql_func.h"

static const sql_func_table *const tables[] = {&mdl_sql__funcs_ops,  &mdl_sql__funcs_string,
                                               &mdl_sql__funcs_date, &mdl_sql__funcs_math,
                                               &mdl_sql__funcs_hash, &mdl_sql__funcs_json};

static const char *const aggregates[] = {"count", "sum", "avg", "min", "max", "any_value"};
static const char *const windows[] = {"row_number", "rank",        "dense_rank", "lag",
                                      "lead",       "first_value", "last_value"};

bool mdl_sql__is_aggregate(const char *name)
{
    for (size_t i = 0; i < sizeof aggregates / sizeof *aggregates; i++)
        if (strcasecmp(name, aggregates[i]) == 0)
            return true;
    return false;
}

bool mdl_sql__is_window_function(const char *name)
{
    for (size_t i = 0; i < sizeof windows / sizeof *windows; i++)
        if (strcasecmp(name, windows[i]) == 0)
            return true;
    return false;
}

mdl_type mdl_sql__as_decimal(mdl_type t)
{
    if (t.id == MDL_TYPE_INT32)
        return mdl_type_decimal(10, 0);
    if (t.id == MDL_TYPE_INT64)
        return mdl_type_decimal(19, 0);
    if (t.id == MDL_TYPE_BOOLEAN)
        return mdl_type_decimal(1, 0);
    return t;
}

/* The decimal that holds both: max integer digits + max scale, at most 38. */
static mdl_type decimal_union(mdl_type a, mdl_type b)
{
    int ia = a.precision - a.scale, ib = b.precision - b.scale;
    int s = a.scale > b.scale ? a.scale : b.scale;
    int p = (ia > ib ? ia : ib) + s;
    return mdl_type_decimal(p > 38 ? 38 : p, s);
}

int mdl_sql__common_type(const sql_type *a, const sql_type *b, mdl_type *out, mdl_error *err)
{
    if (a->null_only && b->null_only) {
        *out = mdl_type_make(MDL_TYPE_INT32); /* DuckDB's NULL is typed INTEGER at the end */
        return MDL_OK;
    }
    if (a->null_only || b->null_only) {
        *out = a->null_only ? b->t : a->t;
        return MDL_OK;
    }
    mdl_type x = a->t, y = b->t;
    if (mdl_type_equal(x, y)) {
        *out = x;
        return MDL_OK;
    }
    if (sql_is_numeric(x.id) && sql_is_numeric(y.id)) {
        if (x.id == MDL_TYPE_DOUBLE || y.id == MDL_TYPE_DOUBLE)
            *out = mdl_type_make(MDL_TYPE_DOUBLE);
        else if (x.id == MDL_TYPE_DECIMAL || y.id == MDL_TYPE_DECIMAL)
            *out = decimal_union(mdl_sql__as_decimal(x), mdl_sql__as_decimal(y));
        else
            *out = mdl_type_make(MDL_TYPE_INT64);
        return MDL_OK;
    }
    if ((x.id == MDL_TYPE_DATE && y.id == MDL_TYPE_TIMESTAMP) ||
        (x.id == MDL_TYPE_TIMESTAMP && y.id == MDL_TYPE_DATE)) {
        *out = mdl_type_make(MDL_TYPE_TIMESTAMP);
        return MDL_OK;
    }
    char ta[32], tb[32];
    mdl_type_format(x, ta, sizeof ta);
    mdl_type_format(y, tb, sizeof tb);
    return mdl_error_set(err, MDL_ERR_SCHEMA, "no common type for %s and %s: add an explicit CAST",
                         ta, tb);
}

bool mdl_sql__castable(mdl_type from, mdl_type to)
{
    if (from.id == to.id || from.id == MDL_TYPE_STRING || to.id == MDL_TYPE_STRING)
        return true;
    bool fnum = sql_is_numeric(from.id) || from.id == MDL_TYPE_BOOLEAN;
    bool tnum = sql_is_numeric(to.id) || to.id == MDL_TYPE_BOOLEAN;
    if (fnum && tnum)
        return true;
    bool fdt = from.id == MDL_TYPE_DATE || from.id == MDL_TYPE_TIMESTAMP;
    bool tdt = to.id == MDL_TYPE_DATE || to.id == MDL_TYPE_TIMESTAMP;
    return fdt && tdt;
}

void mdl_sql__format_types(const sql_type *args, size_t n, char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len + 40 < cap; i++) {
        if (i)
            len += (size_t)snprintf(buf + len, cap - len, ", ");
        if (args[i].null_only)
            len += (size_t)snprintf(buf + len, cap - len, "NULL");
        else
            len += mdl_type_format(args[i].t, buf + len, cap - len);
    }
}

int mdl_sql__arg_error(const sql_func_def *def, const sql_type *args, size_t n, mdl_error *err)
{
    char types[256];
    mdl_sql__format_types(args, n, types, sizeof types);
    return mdl_error_set(err, MDL_ERR_SCHEMA, "function %s does not accept (%s)", def->fn.name,
                         types);
}

int mdl_sql__set_null(mdl_ctx *ctx, mdl_column *out, size_t row, mdl_error *err)
{
    if (out->validity == NULL) {
        size_t bytes = out->capacity / 8 + 1;
        out->validity = mdl_alloc(ctx, bytes);
        if (out->validity == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a validity bitmap");
        memset(out->validity, 0xFF, bytes);
    }
    if (out->validity[row >> 3] & (1u << (row & 7))) {
        out->validity[row >> 3] &= (uint8_t) ~(1u << (row & 7));
        out->null_count++;
    }
    return MDL_OK;
}

bool mdl_sql__decimal_fits(mdl_i128 v, int precision)
{
    mdl_i128 lim = mdl_decimal_pow10(precision);
    return v < lim && v > -lim;
}

mdl_i128 mdl_sql__decimal_div_round(mdl_i128 v, int k)
{
    if (k <= 0)
        return v;
    mdl_i128 p = mdl_decimal_pow10(k), q = v / p, r = v % p;
    if (r < 0)
        r = -r;
    if (r * 2 >= p)
        q += v < 0 ? -1 : 1;
    return q;
}

int mdl_sql__error(const sql_bound *e, mdl_error *err, int code, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (e != NULL && e->line > 0)
        return mdl_error_set(err, code, "line %u column %u: %s", e->line, e->col, msg);
    return mdl_error_set(err, code, "%s", msg);
}

/* ---- lookup ----------------------------------------------------------------------------- */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t sub = prev + (a[i - 1] != b[j - 1]);
            size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1 : row[j - 1] + 1;
            row[j] = sub < best ? sub : best;
            prev = cur;
        }
    }
    return row[lb];
}

static bool user_visible(const char *name)
{
    /* Operators and internal spellings are not suggested. */
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')))
            return false;
    return strcmp(name, "neg") != 0 && strncmp(name, "is_", 3) != 0 &&
           strncmp(name, "not_", 4) != 0;
}

int mdl_sql__func_resolve(const char *name, const sql_type *args, size_t num_args,
                          const sql_function **out, mdl_type *result, mdl_type *cast_to,
                          mdl_error *err)
{
    *out = NULL;
    char lower[64];
    size_t len = strlen(name);
    if (len >= sizeof lower)
        len = sizeof lower - 1;
    for (size_t i = 0; i < len; i++)
        lower[i] = (char)((name[i] >= 'A' && name[i] <= 'Z') ? name[i] + 32 : name[i]);
    lower[len] = '\0';
    const sql_func_def *found = NULL;
    const char *best = NULL;
    size_t best_d = 99;
    for (size_t t = 0; t < sizeof tables / sizeof *tables && found == NULL; t++)
        for (size_t i = 0; i < tables[t]->count; i++) {
            const sql_func_def *d = &tables[t]->defs[i];
            if (strcmp(d->fn.name, lower) == 0) {
                found = d;
                break;
            }
            if (user_visible(d->fn.name)) {
                size_t dist = edit_distance(lower, d->fn.name);
                if (dist < best_d) {
                    best_d = dist;
                    best = d->fn.name;
                }
            }
        }
    if (found == NULL) {
        if (mdl_sql__is_aggregate(lower) || mdl_sql__is_window_function(lower))
            return mdl_error_set(err, MDL_ERR_SCHEMA, "%s is not a scalar function here", lower);
        if (best != NULL && best_d <= (len <= 4 ? 1u : 2u))
            return mdl_error_set(err, MDL_ERR_NOT_FOUND,
                                 "unknown function '%s' (did you mean '%s'?)", name, best);
        return mdl_error_set(err, MDL_ERR_NOT_FOUND, "unknown function '%s'", name);
    }
    if ((int)num_args < found->min_args ||
        (found->max_args >= 0 && (int)num_args > found->max_args)) {
        if (found->min_args == found->max_args)
            return mdl_error_set(err, MDL_ERR_SCHEMA, "function %s takes %d argument%s, not %zu",
                                 found->fn.name, found->min_args, found->min_args == 1 ? "" : "s",
                                 num_args);
        return mdl_error_set(err, MDL_ERR_SCHEMA, "function %s takes %d to %d arguments, not %zu",
                             found->fn.name, found->min_args, found->max_args, num_args);
    }
    for (size_t i = 0; i < num_args; i++)
        cast_to[i] = args[i].t;
    int rc = found->resolve(found, args, num_args, result, cast_to, err);
    if (rc != MDL_OK)
        return rc;
    *out = &found->fn;
    return MDL_OK;
}
