/*
 * sql_func.h - what the scalar function files (sql_func_*.c) share with the registry
 * (sql_func.c) and the evaluator (sql_expr.c): the shape of a registry entry, type-rule
 * helpers, output-column helpers and the casts.
 */
#ifndef MDL_SQL_SQL_FUNC_H
#define MDL_SQL_SQL_FUNC_H

#include "sql/sql_expr.h"

typedef struct sql_func_def sql_func_def;

/* Checks the argument types and fills the result type and the casts (cast_to[i] = args[i]
 * when no cast is needed). Argument counts are checked by the registry first. */
typedef int (*sql_resolve_fn)(const sql_func_def *def, const sql_type *args, size_t n,
                              mdl_type *result, mdl_type *cast_to, mdl_error *err);

struct sql_func_def {
    sql_function fn;        /* first, so a `const sql_function *` is also the entry */
    int min_args, max_args; /* max_args -1: any number */
    sql_resolve_fn resolve;
    int op; /* a per-family selector the implementation switches on */
};

typedef struct sql_func_table {
    const sql_func_def *defs;
    size_t count;
} sql_func_table;

extern const sql_func_table mdl_sql__funcs_ops, mdl_sql__funcs_string, mdl_sql__funcs_date,
    mdl_sql__funcs_math, mdl_sql__funcs_hash, mdl_sql__funcs_json;

static inline const sql_func_def *sql_def(const sql_bound *call)
{
    return (const sql_func_def *)call->fn;
}

/* ---- type helpers (sql_func.c) ---------------------------------------------------------- */

static inline bool sql_is_int(mdl_type_id t)
{
    return t == MDL_TYPE_INT32 || t == MDL_TYPE_INT64;
}
static inline bool sql_is_numeric(mdl_type_id t)
{
    return sql_is_int(t) || t == MDL_TYPE_DOUBLE || t == MDL_TYPE_DECIMAL;
}
/* An integer type as the decimal that holds all its values (int32 -> (10,0), int64 -> (19,0)). */
mdl_type mdl_sql__as_decimal(mdl_type t);
/* Type of an argument for resolution: NULL literals take `fallback`. */
static inline mdl_type sql_arg_type(const sql_type *a, mdl_type fallback)
{
    return a->null_only ? fallback : a->t;
}
/* "int32, string" for messages. */
void mdl_sql__format_types(const sql_type *args, size_t n, char *buf, size_t cap);
int mdl_sql__arg_error(const sql_func_def *def, const sql_type *args, size_t n, mdl_error *err);

/* ---- output helpers --------------------------------------------------------------------- */

/* Marks row `row` of `out` (values already written or zero) null; creates the bitmap. */
int mdl_sql__set_null(mdl_ctx *ctx, mdl_column *out, size_t row, mdl_error *err);
static inline bool sql_valid(const mdl_column *c, size_t r)
{
    return !mdl_column_is_null(c, r);
}
/* Stores a decimal in the column's storage width. */
static inline void sql_put_decimal(mdl_column *c, size_t r, mdl_i128 v)
{
    if (c->type.precision <= MDL_DECIMAL64_MAX_PRECISION)
        ((int64_t *)c->values)[r] = (int64_t)v;
    else
        __builtin_memcpy((char *)c->values + r * 16, &v, 16);
}
/* Whether |v| < 10^precision. */
bool mdl_sql__decimal_fits(mdl_i128 v, int precision);
/* v / 10^k rounded half away from zero. */
mdl_i128 mdl_sql__decimal_div_round(mdl_i128 v, int k);

/* A runtime error at the expression's position: "line L column C: <message>". */
int mdl_sql__error(const sql_bound *e, mdl_error *err, int code, const char *fmt, ...)
    MDL_PRINTF(4, 5);

/* ---- casts (sql_cast.c) ----------------------------------------------------------------- */

/* Casts n rows of `src` into `out` (empty, of type `to`, room for n). Try: NULL on failure. */
int mdl_sql__cast_column(mdl_ctx *ctx, const sql_bound *at, const mdl_column *src, mdl_type to,
                         bool try_cast, mdl_column *out, mdl_error *err);
/* One value as DuckDB's CAST(x AS VARCHAR) prints it; returns the length (buf >= 64). */
size_t mdl_sql__format_value(const mdl_column *c, size_t row, char *buf, size_t cap);
/* Shortest round-trip form of a double as DuckDB prints it ("2.0", "1e+20", "0.1"). */
size_t mdl_sql__format_double(double v, char *buf, size_t cap);
/* "2024-01-01 12:00:00[.ffffff without trailing zeros]". */
size_t mdl_sql__format_timestamp(int64_t micros, char *buf, size_t cap);
/* Floor division and modulo, for days from microseconds. */
static inline int64_t sql_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
#define SQL_MICROS_PER_DAY INT64_C(86400000000)

#endif
