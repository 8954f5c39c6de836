/*
 * sql_func_math.c - math functions: abs, round(x[, n]), floor, ceil, least, greatest, power
 * (pow), ln, sqrt. Integers and decimals stay exact; power, ln and sqrt are DOUBLE.
 */
#include <math.h>
#include <string.h>

#include "sql/sql_func.h"

enum { M_ABS, M_ROUND, M_FLOOR, M_CEIL, M_LEAST, M_GREATEST, M_POWER, M_LN, M_SQRT };

static int resolve_numeric(const sql_func_def *def, const sql_type *args, size_t n,
                           mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    mdl_type t = sql_arg_type(&args[0], mdl_type_make(MDL_TYPE_INT64));
    if (!sql_is_numeric(t.id))
        return mdl_sql__arg_error(def, args, n, err);
    /* DuckDB: floor and ceil of an integer are DOUBLE. */
    if (sql_is_int(t.id) && (def->op == M_FLOOR || def->op == M_CEIL))
        t = mdl_type_make(MDL_TYPE_DOUBLE);
    cast_to[0] = *result = t;
    if (def->op == M_ROUND && n == 2) {
        if (!args[1].null_only && !sql_is_int(args[1].t.id))
            return mdl_sql__arg_error(def, args, n, err);
        cast_to[1] = mdl_type_make(MDL_TYPE_INT32);
    }
    /* DuckDB: round(decimal) without digits, floor and ceil of a decimal have scale 0. */
    if (t.id == MDL_TYPE_DECIMAL &&
        (def->op == M_FLOOR || def->op == M_CEIL || (def->op == M_ROUND && n == 1)))
        *result = mdl_type_decimal(t.precision, 0);
    return MDL_OK;
}

static int resolve_double(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                          mdl_type *cast_to, mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!args[i].null_only && !sql_is_numeric(args[i].t.id))
            return mdl_sql__arg_error(def, args, n, err);
        cast_to[i] = mdl_type_make(MDL_TYPE_DOUBLE);
    }
    *result = mdl_type_make(MDL_TYPE_DOUBLE);
    return MDL_OK;
}

static int resolve_extreme(const sql_func_def *def, const sql_type *args, size_t n,
                           mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    sql_type acc = args[0];
    for (size_t i = 1; i < n; i++) {
        mdl_type t;
        int rc = mdl_sql__common_type(&acc, &args[i], &t, err);
        if (rc != MDL_OK)
            return mdl_error_prefix(err, "%s: ", def->fn.name);
        acc.t = t;
        acc.null_only = acc.null_only && args[i].null_only;
    }
    if (acc.null_only)
        acc.t = mdl_type_make(MDL_TYPE_INT32);
    for (size_t i = 0; i < n; i++)
        cast_to[i] = acc.t;
    *result = acc.t;
    return MDL_OK;
}

static int eval_unary(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                      mdl_column *out, mdl_error *err)
{
    (void)ctx;
    int op = sql_def(call)->op;
    const mdl_column *a = args[0];
    mdl_type it = a->type, rt = call->type;
    for (size_t r = 0; r < n; r++) {
        int64_t digits = op == M_ROUND && call->num_args == 2 ? mdl_column_i32(args[1], r) : 0;
        switch (it.id) {
        case MDL_TYPE_DOUBLE: {
            double x = mdl_column_f64(a, r), v = x;
            if (op == M_ABS)
                v = fabs(x);
            else if (op == M_FLOOR)
                v = floor(x);
            else if (op == M_CEIL)
                v = ceil(x);
            else if (digits == 0)
                v = round(x);
            else if (isfinite(x) && digits > -308 && digits < 308) {
                double p = pow(10.0, (double)digits);
                v = round(x * p) / p;
                if (!isfinite(v))
                    v = x;
            }
            ((double *)out->values)[r] = v;
            break;
        }
        case MDL_TYPE_INT32:
        case MDL_TYPE_INT64: {
            int64_t x = it.id == MDL_TYPE_INT32 ? mdl_column_i32(a, r) : mdl_column_i64(a, r),
                    v = x;
            if (op == M_ABS) {
                if (x == INT64_MIN || (it.id == MDL_TYPE_INT32 && x == INT32_MIN))
                    return mdl_sql__error(call, err, MDL_ERR_RANGE, "abs: overflow of %lld",
                                          (long long)x);
                v = x < 0 ? -x : x;
            } else if (op == M_ROUND && digits < 0) {
                mdl_i128 q = digits < -18 ? 0 : mdl_sql__decimal_div_round(x, (int)-digits);
                mdl_i128 w = q * mdl_decimal_pow10(digits < -18 ? 0 : (int)-digits);
                if (w > (it.id == MDL_TYPE_INT32 ? INT32_MAX : INT64_MAX) ||
                    w < (it.id == MDL_TYPE_INT32 ? INT32_MIN : INT64_MIN))
                    return mdl_sql__error(call, err, MDL_ERR_RANGE, "round: overflow");
                v = (int64_t)w;
            }
            if (it.id == MDL_TYPE_INT32)
                ((int32_t *)out->values)[r] = (int32_t)v;
            else
                ((int64_t *)out->values)[r] = v;
            break;
        }
        default: { /* decimal */
            mdl_i128 x = mdl_column_decimal(a, r), v;
            int s = it.scale;
            if (op == M_ABS) {
                v = x < 0 ? -x : x;
            } else {
                int keep = op == M_ROUND ? (int)(digits > s ? s : digits < -38 ? -38 : digits) : 0;
                int drop = s - keep; /* fractional digits to remove */
                if (drop > 38)
                    drop = 38;
                mdl_i128 p = mdl_decimal_pow10(drop), q = x / p, rem = x % p;
                if (op == M_FLOOR && rem < 0)
                    q -= 1;
                else if (op == M_CEIL && rem > 0)
                    q += 1;
                else if (op == M_ROUND)
                    q = mdl_sql__decimal_div_round(x, drop);
                /* q is at scale `keep`; bring it to the result scale. */
                int to = rt.scale;
                v = to >= keep ? q * mdl_decimal_pow10(to - keep)
                               : mdl_sql__decimal_div_round(q, keep - to);
            }
            if (!mdl_sql__decimal_fits(v, rt.precision))
                return mdl_sql__error(call, err, MDL_ERR_RANGE, "%s: decimal overflow",
                                      call->fn->name);
            sql_put_decimal(out, r, v);
            break;
        }
        }
    }
    out->length = n;
    return MDL_OK;
}

static int eval_double(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                       mdl_column *out, mdl_error *err)
{
    (void)ctx;
    int op = sql_def(call)->op;
    for (size_t r = 0; r < n; r++) {
        double x = mdl_column_f64(args[0], r), v;
        if (op == M_POWER) {
            v = pow(x, mdl_column_f64(args[1], r));
        } else if (op == M_LN) {
            if (x == 0)
                return mdl_sql__error(call, err, MDL_ERR_RANGE, "cannot take logarithm of zero");
            if (x < 0)
                return mdl_sql__error(call, err, MDL_ERR_RANGE,
                                      "cannot take logarithm of a negative number");
            v = log(x);
        } else {
            if (x < 0)
                return mdl_sql__error(call, err, MDL_ERR_RANGE,
                                      "cannot take square root of a negative number");
            v = sqrt(x);
        }
        ((double *)out->values)[r] = v;
    }
    out->length = n;
    return MDL_OK;
}

/* least/greatest skip NULLs (NULL only when all are), as DuckDB; Spark agrees. */
static int eval_extreme(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                        size_t n, mdl_column *out, mdl_error *err)
{
    bool least = sql_def(call)->op == M_LEAST;
    sql_type t = {call->type, false};
    (void)t;
    for (size_t r = 0; r < n; r++) {
        long best = -1;
        for (size_t i = 0; i < call->num_args; i++) {
            if (mdl_column_is_null(args[i], r))
                continue;
            if (best < 0) {
                best = (long)i;
                continue;
            }
            const mdl_column *a = args[i], *b = args[best];
            int c;
            switch (a->type.id) {
            case MDL_TYPE_DOUBLE: {
                double x = mdl_column_f64(a, r), y = mdl_column_f64(b, r);
                c = (x > y) - (x < y);
                break;
            }
            case MDL_TYPE_STRING: {
                mdl_strview x = mdl_column_str(a, r), y = mdl_column_str(b, r);
                size_t m = x.len < y.len ? x.len : y.len;
                c = m ? memcmp(x.ptr, y.ptr, m) : 0;
                if (c == 0)
                    c = (x.len > y.len) - (x.len < y.len);
                break;
            }
            case MDL_TYPE_DECIMAL: {
                mdl_i128 x = mdl_column_decimal(a, r), y = mdl_column_decimal(b, r);
                c = (x > y) - (x < y);
                break;
            }
            case MDL_TYPE_INT32:
            case MDL_TYPE_DATE:
            case MDL_TYPE_BOOLEAN: {
                int64_t x =
                    a->type.id == MDL_TYPE_BOOLEAN ? mdl_column_bool(a, r) : mdl_column_i32(a, r);
                int64_t y =
                    a->type.id == MDL_TYPE_BOOLEAN ? mdl_column_bool(b, r) : mdl_column_i32(b, r);
                c = (x > y) - (x < y);
                break;
            }
            default: {
                int64_t x = mdl_column_i64(a, r), y = mdl_column_i64(b, r);
                c = (x > y) - (x < y);
                break;
            }
            }
            if (least ? c < 0 : c > 0)
                best = (long)i;
        }
        int rc;
        if (best < 0) {
            if (out->type.id == MDL_TYPE_STRING)
                rc = mdl_column_append_null(ctx, out, err);
            else
                rc = mdl_sql__set_null(ctx, out, r, err);
        } else if (out->type.id == MDL_TYPE_STRING) {
            mdl_strview v = mdl_column_str(args[best], r);
            rc = mdl_column_append_string(ctx, out, v.ptr, v.len, err);
        } else {
            size_t w = mdl_type_width(out->type);
            memcpy((char *)out->values + r * w, (const char *)args[best]->values + r * w, w);
            rc = MDL_OK;
        }
        if (rc != MDL_OK)
            return rc;
    }
    out->length = n;
    return MDL_OK;
}

static const sql_func_def defs[] = {
    {{"abs", eval_unary, true}, 1, 1, resolve_numeric, M_ABS},
    {{"round", eval_unary, true}, 1, 2, resolve_numeric, M_ROUND},
    {{"floor", eval_unary, true}, 1, 1, resolve_numeric, M_FLOOR},
    {{"ceil", eval_unary, true}, 1, 1, resolve_numeric, M_CEIL},
    {{"ceiling", eval_unary, true}, 1, 1, resolve_numeric, M_CEIL},
    {{"least", eval_extreme, false}, 1, -1, resolve_extreme, M_LEAST},
    {{"greatest", eval_extreme, false}, 1, -1, resolve_extreme, M_GREATEST},
    {{"power", eval_double, true}, 2, 2, resolve_double, M_POWER},
    {{"pow", eval_double, true}, 2, 2, resolve_double, M_POWER},
    {{"ln", eval_double, true}, 1, 1, resolve_double, M_LN},
    {{"sqrt", eval_double, true}, 1, 1, resolve_double, M_SQRT},
};

const sql_func_table mdl_sql__funcs_math = {defs, sizeof defs / sizeof *defs};
