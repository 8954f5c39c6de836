/*
 * sql_func_ops.c - operators: arithmetic (+ - * / % and unary minus) with exact decimals and
 * DuckDB's result types, comparisons, AND/OR/NOT with three-valued logic, IS [NOT] NULL,
 * IS [NOT] DISTINCT FROM, IN, BETWEEN, LIKE, string concatenation (||), COALESCE and NULLIF.
 */
#include <math.h>
#include <string.h>

#include "sql/sql_func.h"

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_NEG };
enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

/* ---- type rules ------------------------------------------------------------------------- */

static mdl_type other_or_int(const sql_type *args, size_t n, size_t i)
{
    for (size_t k = 0; k < n; k++)
        if (k != i && !args[k].null_only)
            return args[k].t;
    return mdl_type_make(MDL_TYPE_INT32);
}

static int resolve_arith(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                         mdl_type *cast_to, mdl_error *err)
{
    mdl_type a = sql_arg_type(&args[0], other_or_int(args, n, 0));
    if (def->op == OP_NEG) {
        if (!sql_is_numeric(a.id))
            return mdl_sql__arg_error(def, args, n, err);
        cast_to[0] = *result = a;
        return MDL_OK;
    }
    mdl_type b = sql_arg_type(&args[1], a);
    cast_to[0] = a;
    cast_to[1] = b;
    /* date + int, int + date, date - int: a date; date - date: days (int64). */
    if (def->op == OP_ADD || def->op == OP_SUB) {
        if (a.id == MDL_TYPE_DATE && sql_is_int(b.id)) {
            *result = a;
            cast_to[1] = mdl_type_make(MDL_TYPE_INT32);
            return MDL_OK;
        }
        if (def->op == OP_ADD && sql_is_int(a.id) && b.id == MDL_TYPE_DATE) {
            *result = b;
            cast_to[0] = mdl_type_make(MDL_TYPE_INT32);
            return MDL_OK;
        }
        if (def->op == OP_SUB && a.id == MDL_TYPE_DATE && b.id == MDL_TYPE_DATE) {
            *result = mdl_type_make(MDL_TYPE_INT64);
            return MDL_OK;
        }
    }
    if (!sql_is_numeric(a.id) || !sql_is_numeric(b.id))
        return mdl_sql__arg_error(def, args, n, err);
    if (def->op == OP_DIV) {
        cast_to[0] = cast_to[1] = *result = mdl_type_make(MDL_TYPE_DOUBLE);
        return MDL_OK;
    }
    if (a.id == MDL_TYPE_DOUBLE || b.id == MDL_TYPE_DOUBLE) {
        cast_to[0] = cast_to[1] = *result = mdl_type_make(MDL_TYPE_DOUBLE);
        return MDL_OK;
    }
    if (a.id != MDL_TYPE_DECIMAL && b.id != MDL_TYPE_DECIMAL) {
        mdl_type t = mdl_type_make(
            a.id == MDL_TYPE_INT64 || b.id == MDL_TYPE_INT64 ? MDL_TYPE_INT64 : MDL_TYPE_INT32);
        cast_to[0] = cast_to[1] = *result = t;
        return MDL_OK;
    }
    mdl_type da = mdl_sql__as_decimal(a), db = mdl_sql__as_decimal(b);
    bool small = da.precision <= 18 && db.precision <= 18;
    if (def->op == OP_MUL) {
        /* DuckDB: precision p1 + p2, scale s1 + s2; kept within int64 storage when both
         * inputs are, at most 38. */
        int s = da.scale + db.scale, p = da.precision + db.precision;
        if (s > 38)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "decimal multiplication would need scale %d (at most 38)", s);
        if (p > 18 && small)
            p = 18;
        if (p > 38)
            p = 38;
        if (p < s)
            p = s;
        cast_to[0] = da;
        cast_to[1] = db;
        *result = mdl_type_decimal(p, s);
        return MDL_OK;
    }
    /* + - %: scale max(s1, s2), precision max(p - s) + scale (+ 1 for + and -), kept within int64
     * storage when both inputs are, at most 38. Both sides are rescaled to the result scale. */
    int ia = da.precision - da.scale, ib = db.precision - db.scale;
    int s = da.scale > db.scale ? da.scale : db.scale;
    int p = (ia > ib ? ia : ib) + s + (def->op == OP_MOD ? 0 : 1);
    if (p > 18 && small)
        p = 18;
    if (p > 38)
        p = 38;
    int pa = ia + s > 38 ? 38 : ia + s, pb = ib + s > 38 ? 38 : ib + s;
    cast_to[0] = mdl_type_decimal(pa, s);
    cast_to[1] = mdl_type_decimal(pb, s);
    *result = mdl_type_decimal(p, s);
    return MDL_OK;
}

static int resolve_compare(const sql_func_def *def, const sql_type *args, size_t n,
                           mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    mdl_type t = args[0].null_only ? other_or_int(args, n, 0) : args[0].t;
    for (size_t i = 0; i < n; i++) {
        sql_type acc = {t, false};
        int rc = mdl_sql__common_type(&acc, &args[i], &t, err);
        if (rc != MDL_OK)
            return mdl_error_prefix(err, "%s: ", def->fn.name);
    }
    for (size_t i = 0; i < n; i++)
        cast_to[i] = t;
    *result = mdl_type_make(MDL_TYPE_BOOLEAN);
    return MDL_OK;
}

static int resolve_bool(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                        mdl_type *cast_to, mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!args[i].null_only && args[i].t.id != MDL_TYPE_BOOLEAN)
            return mdl_sql__arg_error(def, args, n, err);
        cast_to[i] = mdl_type_make(MDL_TYPE_BOOLEAN);
    }
    *result = mdl_type_make(MDL_TYPE_BOOLEAN);
    return MDL_OK;
}

static int resolve_is_null(const sql_func_def *def, const sql_type *args, size_t n,
                           mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    (void)def, (void)n, (void)err;
    cast_to[0] = sql_arg_type(&args[0], mdl_type_make(MDL_TYPE_INT32));
    *result = mdl_type_make(MDL_TYPE_BOOLEAN);
    return MDL_OK;
}

static int resolve_strings(const sql_func_def *def, const sql_type *args, size_t n,
                           mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    (void)def, (void)err, (void)args;
    /* || and concat take any type and format it as CAST(x AS VARCHAR) would. */
    for (size_t i = 0; i < n; i++)
        cast_to[i] = mdl_type_make(MDL_TYPE_STRING);
    *result = mdl_type_make(MDL_TYPE_STRING);
    return MDL_OK;
}

static int resolve_like(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                        mdl_type *cast_to, mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!args[i].null_only && args[i].t.id != MDL_TYPE_STRING)
            return mdl_sql__arg_error(def, args, n, err);
        cast_to[i] = mdl_type_make(MDL_TYPE_STRING);
    }
    *result = mdl_type_make(MDL_TYPE_BOOLEAN);
    return MDL_OK;
}

static int resolve_coalesce(const sql_func_def *def, const sql_type *args, size_t n,
                            mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    int rc = resolve_compare(def, args, n, result, cast_to, err);
    if (rc == MDL_OK)
        *result = cast_to[0];
    return rc;
}

/* ---- arithmetic ------------------------------------------------------------------------- */

static const char *op_word(int op)
{
    static const char *const w[] = {"addition", "subtraction", "multiplication",
                                    "division", "modulo",      "negation"};
    return w[op];
}

static int overflow(const sql_bound *call, int op, const char *type, mdl_error *err)
{
    return mdl_sql__error(call, err, MDL_ERR_RANGE, "overflow in %s of %s", op_word(op), type);
}

/* Typed loops for + - * (and / of doubles) without a per-row switch: overflow is gathered over
 * the batch and reported once. Returns false when the case is not one of these. */
#define ARITH_LOOP(T, W, FITS)                                                                     \
    do {                                                                                           \
        const T *x = a->values, *y = b->values;                                                    \
        T *o = out->values;                                                                        \
        bool of = false;                                                                           \
        for (size_t r = 0; r < n; r++) {                                                           \
            W v;                                                                                   \
            of |= op == OP_ADD   ? __builtin_add_overflow((W)x[r], (W)y[r], &v)                    \
                  : op == OP_SUB ? __builtin_sub_overflow((W)x[r], (W)y[r], &v)                    \
                                 : __builtin_mul_overflow((W)x[r], (W)y[r], &v);                   \
            of |= !(FITS);                                                                         \
            o[r] = (T)v;                                                                           \
        }                                                                                          \
        *overflowed = of;                                                                          \
    } while (0)

static bool arith_fast(int op, const mdl_column *a, const mdl_column *b, mdl_type rt, size_t n,
                       mdl_column *out, bool *overflowed)
{
    *overflowed = false;
    if (b == NULL || op == OP_MOD || a->type.id != b->type.id)
        return false;
    if (rt.id == MDL_TYPE_DOUBLE && a->type.id == MDL_TYPE_DOUBLE) {
        const double *x = a->values, *y = b->values;
        double *o = out->values;
        for (size_t r = 0; r < n; r++)
            o[r] = op == OP_ADD   ? x[r] + y[r]
                   : op == OP_SUB ? x[r] - y[r]
                   : op == OP_MUL ? x[r] * y[r]
                                  : x[r] / y[r];
        return true;
    }
    if (op == OP_DIV)
        return false;
    if (rt.id == MDL_TYPE_INT32 && a->type.id == MDL_TYPE_INT32) {
        ARITH_LOOP(int32_t, int64_t, v >= INT32_MIN && v <= INT32_MAX);
        return true;
    }
    if (rt.id == MDL_TYPE_INT64 && a->type.id == MDL_TYPE_INT64) {
        ARITH_LOOP(int64_t, int64_t, true);
        return true;
    }
    if (rt.id == MDL_TYPE_DECIMAL && rt.precision <= MDL_DECIMAL64_MAX_PRECISION &&
        a->type.precision <= MDL_DECIMAL64_MAX_PRECISION &&
        b->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
        int64_t lim = (int64_t)mdl_decimal_pow10(rt.precision);
        ARITH_LOOP(int64_t, int64_t, v < lim && v > -lim);
        return true;
    }
    return false;
}
#undef ARITH_LOOP

static int eval_arith(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                      mdl_column *out, mdl_error *err)
{
    int op = sql_def(call)->op;
    const mdl_column *a = args[0], *b = op == OP_NEG ? NULL : args[1];
    mdl_type rt = call->type;
    int rc = MDL_OK;
    bool of_fast;
    if (a->type.id == MDL_TYPE_DATE || (b && b->type.id == MDL_TYPE_DATE)) {
        for (size_t r = 0; r < n; r++) {
            int64_t x = mdl_column_i32(a, r), y = mdl_column_i32(b, r);
            if (rt.id == MDL_TYPE_INT64) {
                ((int64_t *)out->values)[r] = x - y;
                continue;
            }
            int64_t v = op == OP_SUB ? x - y : x + y;
            if (v < -3000000 || v > 3000000)
                return mdl_sql__error(call, err, MDL_ERR_RANGE, "date out of range");
            ((int32_t *)out->values)[r] = (int32_t)v;
        }
    } else if (arith_fast(op, a, b, rt, n, out, &of_fast)) {
        if (of_fast) {
            char tname[32];
            mdl_type_format(rt, tname, sizeof tname);
            return overflow(call, op, tname, err);
        }
    } else if (rt.id == MDL_TYPE_INT32 || rt.id == MDL_TYPE_INT64) {
        bool i32 = rt.id == MDL_TYPE_INT32;
        for (size_t r = 0; r < n; r++) {
            int64_t x = i32 ? mdl_column_i32(a, r) : mdl_column_i64(a, r);
            int64_t y = b == NULL ? 0 : i32 ? mdl_column_i32(b, r) : mdl_column_i64(b, r), v = 0;
            bool of = false;
            switch (op) {
            case OP_ADD:
                of = __builtin_add_overflow(x, y, &v);
                break;
            case OP_SUB:
                of = __builtin_sub_overflow(x, y, &v);
                break;
            case OP_MUL:
                of = __builtin_mul_overflow(x, y, &v);
                break;
            case OP_NEG:
                of = __builtin_sub_overflow((int64_t)0, x, &v);
                break;
            case OP_MOD:
                if (y == 0) {
                    rc = mdl_sql__set_null(ctx, out, r, err);
                    if (rc != MDL_OK)
                        return rc;
                    v = 0;
                } else {
                    v = y == -1 ? 0 : x % y;
                }
                break;
            default:
                break;
            }
            if (of || (i32 && (v < INT32_MIN || v > INT32_MAX)))
                return overflow(call, op, i32 ? "int32" : "int64", err);
            if (i32)
                ((int32_t *)out->values)[r] = (int32_t)v;
            else
                ((int64_t *)out->values)[r] = v;
        }
    } else if (rt.id == MDL_TYPE_DOUBLE) {
        for (size_t r = 0; r < n; r++) {
            double x = mdl_column_f64(a, r), y = b ? mdl_column_f64(b, r) : 0, v = 0;
            switch (op) {
            case OP_ADD:
                v = x + y;
                break;
            case OP_SUB:
                v = x - y;
                break;
            case OP_MUL:
                v = x * y;
                break;
            case OP_DIV:
                v = x / y;
                break; /* IEEE: x/0 is +-inf, 0/0 NaN, as in DuckDB */
            case OP_NEG:
                v = -x;
                break;
            case OP_MOD:
                v = fmod(x, y); /* x % 0.0 is NaN for doubles, as in DuckDB */
                break;
            default:
                break;
            }
            ((double *)out->values)[r] = v;
        }
    } else { /* decimal: operands already at the right scales */
        char tname[32];
        mdl_type_format(rt, tname, sizeof tname);
        for (size_t r = 0; r < n; r++) {
            mdl_i128 x = mdl_column_decimal(a, r), y = b ? mdl_column_decimal(b, r) : 0, v = 0;
            bool of = false;
            switch (op) {
            case OP_ADD:
                v = x + y;
                break;
            case OP_SUB:
                v = x - y;
                break;
            case OP_NEG:
                v = -x;
                break;
            case OP_MUL:
                of = __builtin_mul_overflow(x, y, &v);
                break;
            case OP_MOD:
                if (y == 0) {
                    rc = mdl_sql__set_null(ctx, out, r, err);
                    if (rc != MDL_OK)
                        return rc;
                } else {
                    v = x % y;
                }
                break;
            default:
                break;
            }
            if (of || !mdl_sql__decimal_fits(v, rt.precision))
                return overflow(call, op, tname, err);
            sql_put_decimal(out, r, v);
        }
    }
    out->length = n;
    return MDL_OK;
}

/* ---- comparison ------------------------------------------------------------------------- */

/* Compares row ra of a with row rb of b, both non-null and of the same type. */
static int cmp_values(const mdl_column *a, size_t ra, const mdl_column *b, size_t rb)
{
    switch (a->type.id) {
    case MDL_TYPE_BOOLEAN:
        return (int)mdl_column_bool(a, ra) - (int)mdl_column_bool(b, rb);
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE: {
        int32_t x = mdl_column_i32(a, ra), y = mdl_column_i32(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP: {
        int64_t x = mdl_column_i64(a, ra), y = mdl_column_i64(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_DOUBLE: {
        /* DuckDB orders NaN above everything and equal to itself. */
        double x = mdl_column_f64(a, ra), y = mdl_column_f64(b, rb);
        if (isnan(x) || isnan(y))
            return isnan(x) - isnan(y);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 x = mdl_column_decimal(a, ra), y = mdl_column_decimal(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_STRING: {
        mdl_strview x = mdl_column_str(a, ra), y = mdl_column_str(b, rb);
        size_t m = x.len < y.len ? x.len : y.len;
        int c = m ? memcmp(x.ptr, y.ptr, m) : 0;
        if (c != 0)
            return c < 0 ? -1 : 1;
        return (x.len > y.len) - (x.len < y.len);
    }
    }
    return 0;
}

static bool cmp_holds(int op, int c)
{
    switch (op) {
    case CMP_EQ:
        return c == 0;
    case CMP_NE:
        return c != 0;
    case CMP_LT:
        return c < 0;
    case CMP_LE:
        return c <= 0;
    case CMP_GT:
        return c > 0;
    default:
        return c >= 0;
    }
}

static int eval_compare(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                        size_t n, mdl_column *out, mdl_error *err)
{
    (void)ctx, (void)err;
    int op = sql_def(call)->op;
    uint8_t *o = out->values;
    const mdl_column *a = args[0], *b = args[1];
    /* Typed loops for the common fixed-width cases (the generic one switches per row). */
#define CMP_LOOP(T)                                                                                \
    do {                                                                                           \
        const T *x = a->values, *y = b->values;                                                    \
        switch (op) {                                                                              \
        case CMP_EQ:                                                                               \
            for (size_t r = 0; r < n; r++)                                                         \
                o[r] = x[r] == y[r];                                                               \
            break;                                                                                 \
        case CMP_NE:                                                                               \
            for (size_t r = 0; r < n; r++)                                                         \
                o[r] = x[r] != y[r];                                                               \
            break;                                                                                 \
        case CMP_LT:                                                                               \
            for (size_t r = 0; r < n; r++)                                                         \
                o[r] = x[r] < y[r];                                                                \
            break;                                                                                 \
        case CMP_LE:                                                                               \
            for (size_t r = 0; r < n; r++)                                                         \
                o[r] = x[r] <= y[r];                                                               \
            break;                                                                                 \
        case CMP_GT:                                                                               \
            for (size_t r = 0; r < n; r++)                                                         \
                o[r] = x[r] > y[r];                                                                \
            break;                                                                                 \
        default:                                                                                   \
            for (size_t r = 0; r < n; r++)                                                         \
                o[r] = x[r] >= y[r];                                                               \
            break;                                                                                 \
        }                                                                                          \
    } while (0)
    if (a->type.id == MDL_TYPE_INT32 || a->type.id == MDL_TYPE_DATE)
        CMP_LOOP(int32_t);
    else if (a->type.id == MDL_TYPE_INT64 || a->type.id == MDL_TYPE_TIMESTAMP ||
             (a->type.id == MDL_TYPE_DECIMAL && a->type.precision <= MDL_DECIMAL64_MAX_PRECISION))
        CMP_LOOP(int64_t);
    else
        for (size_t r = 0; r < n; r++)
            o[r] = cmp_holds(op, cmp_values(a, r, b, r));
#undef CMP_LOOP
    out->length = n;
    return MDL_OK;
}

/* ---- logic ------------------------------------------------------------------------------ */

/* 0 false, 1 true, 2 null */
static int tv(const mdl_column *c, size_t r)
{
    return mdl_column_is_null(c, r) ? 2 : mdl_column_bool(c, r);
}

static int put_tv(mdl_ctx *ctx, mdl_column *out, size_t r, int v, mdl_error *err)
{
    ((uint8_t *)out->values)[r] = v == 1;
    return v == 2 ? mdl_sql__set_null(ctx, out, r, err) : MDL_OK;
}

static int eval_and_or(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                       mdl_column *out, mdl_error *err)
{
    bool is_and = strcmp(call->fn->name, "and") == 0;
    for (size_t r = 0; r < n; r++) {
        int v = is_and ? 1 : 0;
        for (size_t i = 0; i < call->num_args; i++) {
            int x = tv(args[i], r);
            if (is_and)
                v = (x == 0 || v == 0) ? 0 : (x == 2 || v == 2) ? 2 : 1;
            else
                v = (x == 1 || v == 1) ? 1 : (x == 2 || v == 2) ? 2 : 0;
        }
        int rc = put_tv(ctx, out, r, v, err);
        if (rc != MDL_OK)
            return rc;
    }
    out->length = n;
    return MDL_OK;
}

static int eval_not(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                    mdl_column *out, mdl_error *err)
{
    (void)ctx, (void)call, (void)err;
    for (size_t r = 0; r < n; r++)
        ((uint8_t *)out->values)[r] = !mdl_column_bool(args[0], r);
    out->length = n;
    return MDL_OK;
}

static int eval_is_null(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                        size_t n, mdl_column *out, mdl_error *err)
{
    (void)ctx, (void)err;
    bool want = strcmp(call->fn->name, "is_null") == 0;
    for (size_t r = 0; r < n; r++)
        ((uint8_t *)out->values)[r] = mdl_column_is_null(args[0], r) == want;
    out->length = n;
    return MDL_OK;
}

static int eval_distinct(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                         size_t n, mdl_column *out, mdl_error *err)
{
    (void)ctx, (void)err;
    bool distinct = strcmp(call->fn->name, "is_distinct") == 0;
    for (size_t r = 0; r < n; r++) {
        bool na = mdl_column_is_null(args[0], r), nb = mdl_column_is_null(args[1], r);
        bool same = (na && nb) || (!na && !nb && cmp_values(args[0], r, args[1], r) == 0);
        ((uint8_t *)out->values)[r] = same != distinct;
    }
    out->length = n;
    return MDL_OK;
}

/* x IN (a, b, ...): TRUE on a match, else NULL when x or any element is NULL, else FALSE. */
static int eval_in(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                   mdl_column *out, mdl_error *err)
{
    bool negate = strcmp(call->fn->name, "not_in") == 0;
    for (size_t r = 0; r < n; r++) {
        int v = 0;
        if (mdl_column_is_null(args[0], r)) {
            v = 2;
        } else {
            for (size_t i = 1; i < call->num_args && v != 1; i++) {
                if (mdl_column_is_null(args[i], r))
                    v = 2;
                else if (cmp_values(args[0], r, args[i], r) == 0)
                    v = 1;
            }
        }
        if (negate && v != 2)
            v = !v;
        int rc = put_tv(ctx, out, r, v, err);
        if (rc != MDL_OK)
            return rc;
    }
    out->length = n;
    return MDL_OK;
}

/* x BETWEEN lo AND hi is x >= lo AND x <= hi, with AND's three-valued logic. */
static int eval_between(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                        size_t n, mdl_column *out, mdl_error *err)
{
    bool negate = strcmp(call->fn->name, "not_between") == 0;
    for (size_t r = 0; r < n; r++) {
        int v;
        if (mdl_column_is_null(args[0], r)) {
            v = 2;
        } else {
            int lo = mdl_column_is_null(args[1], r) ? 2 : cmp_values(args[0], r, args[1], r) >= 0;
            int hi = mdl_column_is_null(args[2], r) ? 2 : cmp_values(args[0], r, args[2], r) <= 0;
            v = (lo == 0 || hi == 0) ? 0 : (lo == 2 || hi == 2) ? 2 : 1;
        }
        if (negate && v != 2)
            v = !v;
        int rc = put_tv(ctx, out, r, v, err);
        if (rc != MDL_OK)
            return rc;
    }
    out->length = n;
    return MDL_OK;
}

/* ---- LIKE ------------------------------------------------------------------------------- */

static size_t utf8_len1(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* % any run of characters, _ exactly one character (UTF-8), everything else literal; the
 * character after the escape character e (el bytes; el = 0: none) is literal. The pattern is
 * valid (it does not end with e). */
static bool like_match(const char *s, size_t sl, const char *p, size_t pl, const char *e, size_t el)
{
    size_t si = 0, pi = 0, star_p = SIZE_MAX, star_s = 0;
    while (si < sl) {
        bool escaped = el > 0 && pi < pl && pl - pi >= el && memcmp(p + pi, e, el) == 0;
        if (!escaped && pi < pl && p[pi] == '%') {
            star_p = ++pi;
            star_s = si;
            continue;
        }
        if (!escaped && pi < pl && p[pi] == '_') {
            si += utf8_len1((unsigned char)s[si]);
            pi++;
            continue;
        }
        size_t at = escaped ? pi + el : pi, cl = at < pl ? utf8_len1((unsigned char)p[at]) : 0;
        if (at + cl > pl)
            cl = pl - at;
        if (cl > 0 && cl <= sl - si && memcmp(p + at, s + si, cl) == 0) {
            si += cl;
            pi = at + cl;
            continue;
        }
        if (star_p == SIZE_MAX)
            return false;
        star_s += utf8_len1((unsigned char)s[star_s]);
        si = star_s;
        pi = star_p;
    }
    while (pi < pl && p[pi] == '%' && !(el > 0 && pl - pi >= el && memcmp(p + pi, e, el) == 0))
        pi++;
    return pi == pl && si == sl;
}

/* The escape is empty or one byte (DuckDB refuses a longer one, even one UTF-8 character);
 * *never: the pattern ends with the escape, which matches nothing (DuckDB). */
static int like_check_escape(const sql_bound *call, mdl_strview p, mdl_strview e, bool *never,
                             mdl_error *err)
{
    *never = false;
    if (e.len > 1)
        return mdl_sql__error(call, err, MDL_ERR_INVALID_ARG,
                              "LIKE ... ESCAPE: the escape must be empty or one ASCII character, "
                              "not '%.*s'",
                              (int)(e.len > 64 ? 64 : e.len), e.ptr);
    for (size_t i = 0; e.len > 0 && i < p.len;) {
        if (p.ptr[i] == e.ptr[0]) {
            if (i + 1 >= p.len)
                *never = true;
            i++;
            if (i >= p.len)
                break;
        }
        i += utf8_len1((unsigned char)p.ptr[i]);
    }
    return MDL_OK;
}

static int eval_like(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                     mdl_column *out, mdl_error *err)
{
    (void)ctx;
    bool negate = strcmp(call->fn->name, "not_like") == 0;
    for (size_t r = 0; r < n; r++) {
        mdl_strview s = mdl_column_str(args[0], r), p = mdl_column_str(args[1], r);
        mdl_strview e = {"", 0};
        if (call->num_args > 2) {
            e = mdl_column_str(args[2], r);
            bool never;
            int rc = like_check_escape(call, p, e, &never, err);
            if (rc != MDL_OK)
                return rc;
            if (never) {
                ((uint8_t *)out->values)[r] = negate;
                continue;
            }
        }
        ((uint8_t *)out->values)[r] =
            like_match(s.ptr, s.len, p.ptr, p.len, e.ptr, e.len) != negate;
    }
    out->length = n;
    return MDL_OK;
}

/* ---- ||, coalesce, nullif --------------------------------------------------------------- */

static int eval_concat_op(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                          size_t n, mdl_column *out, mdl_error *err)
{
    (void)call;
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    int rc = MDL_OK;
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        b.len = 0;
        for (size_t i = 0; i < call->num_args && rc == MDL_OK; i++) {
            mdl_strview v = mdl_column_str(args[i], r);
            rc = mdl_buf_append(&b, v.ptr, v.len, err);
        }
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, b.data ? b.data : "", b.len, err);
    }
    mdl_buf_reset(&b);
    return rc;
}

/* Copies row r of src (same type, non-null) to row r of out (fixed width) or appends (string). */
static int copy_value(mdl_ctx *ctx, const mdl_column *src, size_t r, mdl_column *out,
                      mdl_error *err)
{
    if (out->type.id == MDL_TYPE_STRING) {
        mdl_strview v = mdl_column_str(src, r);
        return mdl_column_append_string(ctx, out, v.ptr, v.len, err);
    }
    size_t w = mdl_type_width(out->type);
    memcpy((char *)out->values + r * w, (const char *)src->values + r * w, w);
    return MDL_OK;
}

static int put_null(mdl_ctx *ctx, mdl_column *out, size_t r, mdl_error *err)
{
    if (out->type.id == MDL_TYPE_STRING)
        return mdl_column_append_null(ctx, out, err);
    memset((char *)out->values + r * mdl_type_width(out->type), 0, mdl_type_width(out->type));
    return mdl_sql__set_null(ctx, out, r, err);
}

static int eval_coalesce(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                         size_t n, mdl_column *out, mdl_error *err)
{
    for (size_t r = 0; r < n; r++) {
        size_t i = 0;
        while (i < call->num_args && mdl_column_is_null(args[i], r))
            i++;
        int rc =
            i < call->num_args ? copy_value(ctx, args[i], r, out, err) : put_null(ctx, out, r, err);
        if (rc != MDL_OK)
            return rc;
        if (out->type.id != MDL_TYPE_STRING)
            out->length = r + 1;
    }
    out->length = n;
    return MDL_OK;
}

static int eval_nullif(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                       mdl_column *out, mdl_error *err)
{
    (void)call;
    for (size_t r = 0; r < n; r++) {
        bool null = mdl_column_is_null(args[0], r) ||
                    (!mdl_column_is_null(args[1], r) && cmp_values(args[0], r, args[1], r) == 0);
        int rc = null ? put_null(ctx, out, r, err) : copy_value(ctx, args[0], r, out, err);
        if (rc != MDL_OK)
            return rc;
        if (out->type.id != MDL_TYPE_STRING)
            out->length = r + 1;
    }
    out->length = n;
    return MDL_OK;
}

/* nullif's result is its first argument's type, compared in the common type. */
static int resolve_nullif(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                          mdl_type *cast_to, mdl_error *err)
{
    int rc = resolve_compare(def, args, n, result, cast_to, err);
    if (rc == MDL_OK)
        *result = cast_to[0];
    return rc;
}

static const sql_func_def defs[] = {
    {{"+", eval_arith, true}, 2, 2, resolve_arith, OP_ADD},
    {{"-", eval_arith, true}, 2, 2, resolve_arith, OP_SUB},
    {{"*", eval_arith, true}, 2, 2, resolve_arith, OP_MUL},
    {{"/", eval_arith, true}, 2, 2, resolve_arith, OP_DIV},
    {{"%", eval_arith, true}, 2, 2, resolve_arith, OP_MOD},
    {{"neg", eval_arith, true}, 1, 1, resolve_arith, OP_NEG},
    {{"=", eval_compare, true}, 2, 2, resolve_compare, CMP_EQ},
    {{"<>", eval_compare, true}, 2, 2, resolve_compare, CMP_NE},
    {{"!=", eval_compare, true}, 2, 2, resolve_compare, CMP_NE},
    {{"<", eval_compare, true}, 2, 2, resolve_compare, CMP_LT},
    {{"<=", eval_compare, true}, 2, 2, resolve_compare, CMP_LE},
    {{">", eval_compare, true}, 2, 2, resolve_compare, CMP_GT},
    {{">=", eval_compare, true}, 2, 2, resolve_compare, CMP_GE},
    {{"and", eval_and_or, false}, 2, -1, resolve_bool, 0},
    {{"or", eval_and_or, false}, 2, -1, resolve_bool, 0},
    {{"not", eval_not, true}, 1, 1, resolve_bool, 0},
    {{"is_null", eval_is_null, false}, 1, 1, resolve_is_null, 0},
    {{"is_not_null", eval_is_null, false}, 1, 1, resolve_is_null, 0},
    {{"is_distinct", eval_distinct, false}, 2, 2, resolve_compare, 0},
    {{"is_not_distinct", eval_distinct, false}, 2, 2, resolve_compare, 0},
    {{"in", eval_in, false}, 2, -1, resolve_compare, 0},
    {{"not_in", eval_in, false}, 2, -1, resolve_compare, 0},
    {{"between", eval_between, false}, 3, 3, resolve_compare, 0},
    {{"not_between", eval_between, false}, 3, 3, resolve_compare, 0},
    {{"like", eval_like, true}, 2, 3, resolve_like, 0},
    {{"not_like", eval_like, true}, 2, 3, resolve_like, 0},
    {{"||", eval_concat_op, true}, 2, 2, resolve_strings, 0},
    {{"coalesce", eval_coalesce, false}, 1, -1, resolve_coalesce, 0},
    {{"nullif", eval_nullif, false}, 2, 2, resolve_nullif, 0},
};

const sql_func_table mdl_sql__funcs_ops = {defs, sizeof defs / sizeof *defs};
