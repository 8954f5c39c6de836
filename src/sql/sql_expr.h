/*
 * sql_expr.h - bound scalar expressions and their vectorized evaluation. The binder turns the
 * syntax tree's expressions into these: every column is an index into the input batch, every
 * function is resolved to an implementation with a result type, every literal is typed. The
 * evaluator computes an expression over a whole batch into a column, with SQL's three-valued
 * logic (NULL in, NULL out, except where a function says otherwise: AND/OR, COALESCE, IS
 * [NOT] NULL, IS [NOT] DISTINCT FROM, CASE).
 *
 * Semantics follow DuckDB where DuckDB and Spark SQL differ (docs/sql.md says so per case),
 * because DuckDB is the test oracle: e.g. integer / integer is a DOUBLE division; decimal
 * + - * give exact decimals with DuckDB's precision/scale rules; comparisons of strings are
 * bytewise (UTF-8 code point order).
 */
#ifndef MDL_SQL_SQL_EXPR_H
#define MDL_SQL_SQL_EXPR_H

#include "medallion/core.h"

/* The type of an expression: a core type, or the type of an untyped NULL literal (which the
 * binder casts to whatever the context needs). */
typedef struct sql_type {
    mdl_type t;
    bool null_only; /* the literal NULL: t is meaningless until cast */
} sql_type;

typedef enum sql_bound_kind {
    SQL_B_COLUMN = 1, /* input column `column` */
    SQL_B_LITERAL,    /* one value (`literal`, a 1-row column; may be null) */
    SQL_B_CALL,       /* fn(args) — operators are functions too ("+", "=", "and", ...) */
    SQL_B_CASE,       /* args: when0, then0, when1, then1, ..., [else] (has_else) */
    SQL_B_CAST        /* args[0] cast to `type` (try: NULL instead of an error) */
} sql_bound_kind;

typedef struct sql_function sql_function;
typedef struct sql_bound sql_bound;

struct sql_bound {
    sql_bound_kind kind;
    mdl_type type;          /* result type */
    size_t column;          /* COLUMN */
    mdl_column *literal;    /* LITERAL (owned) */
    const sql_function *fn; /* CALL */
    sql_bound **args;
    size_t num_args;
    bool has_else;      /* CASE */
    bool try_cast;      /* CAST */
    uint32_t line, col; /* where it came from, for runtime errors ("line 3 column 7: ...") */
    bool null_only;     /* LITERAL: the untyped NULL (mdl_sql__bound_null); `type` is a
                           placeholder until bound_call/bound_cast give it one */
    int64_t now_micros; /* CALL current_date/current_timestamp: the query's time, taken once
                           when the call is built; the binder may set one value per query */
};

/*
 * A scalar function implementation: computes `n` rows of the result from the evaluated
 * argument columns (all of length n) into `out` (empty, of the result type, room for n).
 * Returns MDL_OK, or an error for a value that has no result (integer % 0 is NULL and x / 0 is
 * IEEE inf/NaN in DuckDB 1.5 — we follow it; an invalid cast is an error naming the value).
 */
typedef int (*sql_scalar_fn)(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                             size_t n, mdl_column *out, mdl_error *err);

struct sql_function {
    const char *name; /* lower case; operators by symbol: "+", "-", "*", "/", "%", "||", "=",
                         "<>", "<", "<=", ">", ">=", "and", "or", "not", "neg", "is_null",
                         "is_not_null", "is_distinct", "is_not_distinct", "like", "not_like",
                         "in", "not_in", "between", "coalesce", "nullif", ... */
    sql_scalar_fn eval;
    bool null_in_null_out; /* the evaluator skips rows with a NULL argument itself */
};

/*
 * Resolves a scalar function or operator by name for these argument types: the
 * implementation, the result type, and the argument types the arguments must be cast to
 * first (`cast_to[i]`, filled for every argument; the binder inserts the casts). Unknown
 * names are MDL_ERR_NOT_FOUND with the closest known name suggested ("did you mean 'lower'?");
 * wrong argument counts or types MDL_ERR_SCHEMA naming the function and the types.
 */
int mdl_sql__func_resolve(const char *name, const sql_type *args, size_t num_args,
                          const sql_function **out, mdl_type *result, mdl_type *cast_to,
                          mdl_error *err);

/* Whether `name` is an aggregate (count, sum, avg, min, max, any_value) or a window-only
 * function (row_number, rank, dense_rank, lag, lead, first_value, last_value). */
bool mdl_sql__is_aggregate(const char *name);
bool mdl_sql__is_window_function(const char *name);

/* Common supertype for comparisons, CASE branches, COALESCE, UNION ALL, IN lists (DuckDB's
 * implicit casts: int32 < int64 < decimal < double; date < timestamp; NULL fits anything).
 * MDL_ERR_SCHEMA when there is none (e.g. string vs int64 — DuckDB would try a cast; we ask
 * for an explicit CAST and say so). */
int mdl_sql__common_type(const sql_type *a, const sql_type *b, mdl_type *out, mdl_error *err);

/* Whether a value of `from` can be CAST to `to` at all (per type pair, not per value). */
bool mdl_sql__castable(mdl_type from, mdl_type to);

/*
 * Evaluates `e` over `in` (in->num_rows rows) into `*out`, a column the caller initialised
 * empty with mdl_column_init (core.h) of e->type and frees with mdl_column_reset. Literals
 * are broadcast. Errors name the expression's line and column and the offending value.
 */
int mdl_sql__eval(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, mdl_column *out,
                  mdl_error *err);

/* Evaluates a BOOLEAN predicate into a selection: keep[r] = 1 only where it is TRUE (not NULL). */
int mdl_sql__eval_filter(mdl_ctx *ctx, const sql_bound *e, const mdl_batch *in, uint8_t *keep,
                         mdl_error *err);

/* Builders used by the binder and by tests; each takes ownership of its arguments (also on
 * failure, when it frees them). */
int mdl_sql__bound_column(mdl_ctx *ctx, size_t column, mdl_type type, sql_bound **out,
                          mdl_error *err);
/* The untyped NULL literal (typed when it becomes an argument or is cast). */
int mdl_sql__bound_null(mdl_ctx *ctx, sql_bound **out, mdl_error *err);
int mdl_sql__bound_literal(mdl_ctx *ctx, mdl_column *value, sql_bound **out, mdl_error *err);
int mdl_sql__bound_call(mdl_ctx *ctx, const char *name, sql_bound **args, size_t num_args,
                        sql_bound **out, mdl_error *err); /* resolves and inserts casts */
int mdl_sql__bound_cast(mdl_ctx *ctx, sql_bound *arg, mdl_type to, bool try_cast, sql_bound **out,
                        mdl_error *err);
int mdl_sql__bound_case(mdl_ctx *ctx, sql_bound **args, size_t num_args, bool has_else,
                        sql_bound **out, mdl_error *err);
void mdl_sql__bound_free(mdl_ctx *ctx, sql_bound *e);

#endif
