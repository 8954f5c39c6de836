/*
 * sql_cast.c - CAST and TRY_CAST between the core types with DuckDB's semantics, and the
 * value formatting of CAST(x AS VARCHAR) as DuckDB prints it:
 *   string -> number: surrounding spaces ignored; integers accept a fraction and an exponent
 *     ('1.5' -> 2, '1e3' -> 1000), rounded half away from zero;
 *   decimal -> integer and decimal -> smaller scale: half away from zero;
 *   double -> integer: half to even (DuckDB uses nearbyint); double -> decimal: half away;
 *   string -> date also takes a timestamp and keeps its day;
 *   out of range or unparsable: an error for CAST, NULL for TRY_CAST.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql_func.h"

/* ---- formatting ------------------------------------------------------------------------- */

size_t mdl_sql__format_double(double v, char *buf, size_t cap)
{
    if (isnan(v))
        return (size_t)snprintf(buf, cap, "nan");
    if (isinf(v))
        return (size_t)snprintf(buf, cap, v < 0 ? "-inf" : "inf");
    if (v == 0)
        return (size_t)snprintf(buf, cap, signbit(v) ? "-0.0" : "0.0");
    /* Shortest digits that read back to v, then Python's repr layout (DuckDB matches it):
     * fixed notation for 1e-4 <= |v| < 1e16, else d.ddde+XX. */
    char e[40];
    for (int p = 1; p <= 17; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, v);
        if (strtod(e, NULL) == v)
            break;
    }
    bool neg = e[0] == '-';
    char digits[24];
    size_t nd = 0;
    const char *q = e + neg;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9')
            digits[nd++] = *q;
    int exp = atoi(q + 1);
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    size_t len = 0;
    char out[64];
    if (neg)
        out[len++] = '-';
    if (exp >= -5 + 1 && exp < 16) {
        if (exp < 0) {
            out[len++] = '0';
            out[len++] = '.';
            for (int i = 0; i < -exp - 1; i++)
                out[len++] = '0';
            for (size_t i = 0; i < nd; i++)
                out[len++] = digits[i];
        } else {
            for (int i = 0; i <= exp; i++)
                out[len++] = (size_t)i < nd ? digits[i] : '0';
            out[len++] = '.';
            if ((size_t)exp + 1 >= nd)
                out[len++] = '0';
            for (size_t i = (size_t)exp + 1; i < nd; i++)
                out[len++] = digits[i];
        }
    } else {
        out[len++] = digits[0];
        if (nd > 1) {
            out[len++] = '.';
            for (size_t i = 1; i < nd; i++)
                out[len++] = digits[i];
        }
        len += (size_t)snprintf(out + len, sizeof out - len, "e%c%02d", exp < 0 ? '-' : '+',
                                exp < 0 ? -exp : exp);
    }
    out[len] = '\0';
    return (size_t)snprintf(buf, cap, "%s", out);
}

size_t mdl_sql__format_timestamp(int64_t micros, char *buf, size_t cap)
{
    int64_t days = sql_floor_div(micros, SQL_MICROS_PER_DAY);
    int64_t us = micros - days * SQL_MICROS_PER_DAY;
    int64_t y;
    unsigned m, d;
    mdl_civil_from_days((int32_t)days, &y, &m, &d);
    int64_t secs = us / 1000000, frac = us % 1000000;
    int n = snprintf(buf, cap, "%04lld-%02u-%02u %02d:%02d:%02d", (long long)y, m, d,
                     (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    if (frac && n > 0 && (size_t)n < cap) {
        char f[8];
        snprintf(f, sizeof f, "%06lld", (long long)frac);
        size_t fl = 6;
        while (f[fl - 1] == '0')
            fl--;
        n += snprintf(buf + n, cap - (size_t)n, ".%.*s", (int)fl, f);
    }
    return n < 0 ? 0 : (size_t)n;
}

size_t mdl_sql__format_value(const mdl_column *c, size_t r, char *buf, size_t cap)
{
    switch (c->type.id) {
    case MDL_TYPE_DOUBLE:
        return mdl_sql__format_double(mdl_column_f64(c, r), buf, cap);
    case MDL_TYPE_TIMESTAMP:
        return mdl_sql__format_timestamp(mdl_column_i64(c, r), buf, cap);
    default:
        return mdl_column_format_value(c, r, buf, cap);
    }
}

/* ---- parsing ---------------------------------------------------------------------------- */

static mdl_strview trim_ws(mdl_strview v)
{
    while (v.len && (v.ptr[0] == ' ' || v.ptr[0] == '\t' || v.ptr[0] == '\n' || v.ptr[0] == '\r'))
        v.ptr++, v.len--;
    while (v.len && (v.ptr[v.len - 1] == ' ' || v.ptr[v.len - 1] == '\t' ||
                     v.ptr[v.len - 1] == '\n' || v.ptr[v.len - 1] == '\r'))
        v.len--;
    return v;
}

static bool parse_double(mdl_strview v, double *out)
{
    char tmp[128];
    v = trim_ws(v);
    if (v.len == 0 || v.len >= sizeof tmp)
        return false;
    memcpy(tmp, v.ptr, v.len);
    tmp[v.len] = '\0';
    char *end;
    *out = strtod(tmp, &end);
    return end == tmp + v.len;
}

static bool parse_bool(mdl_strview v, bool *out)
{
    /* No trimming here: DuckDB refuses ' true '. */
    static const char *const t[] = {"true", "t", "yes", "y", "1"};
    static const char *const f[] = {"false", "f", "no", "n", "0"};
    for (size_t i = 0; i < 5; i++) {
        if (mdl_sv_ieq_cstr(v, t[i])) {
            *out = true;
            return true;
        }
        if (mdl_sv_ieq_cstr(v, f[i])) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* ---- one value -------------------------------------------------------------------------- */

typedef enum { CAST_OK, CAST_PARSE, CAST_RANGE } cast_result;

/* Reads row r of src as a 128-bit integer at scale `scale` (for int/decimal/bool sources);
 * rounding half away from zero when the source has more fractional digits. */
static mdl_i128 exact_value(const mdl_column *src, size_t r, int scale, bool *ok)
{
    mdl_i128 v;
    int s = 0;
    switch (src->type.id) {
    case MDL_TYPE_BOOLEAN:
        v = mdl_column_bool(src, r);
        break;
    case MDL_TYPE_INT32:
        v = mdl_column_i32(src, r);
        break;
    case MDL_TYPE_INT64:
        v = mdl_column_i64(src, r);
        break;
    default:
        v = mdl_column_decimal(src, r);
        s = src->type.scale;
        break;
    }
    *ok = true;
    if (s > scale)
        return mdl_sql__decimal_div_round(v, s - scale);
    if (s < scale) {
        mdl_i128 out;
        if (__builtin_mul_overflow(v, mdl_decimal_pow10(scale - s), &out))
            *ok = false;
        return out;
    }
    return v;
}

static cast_result to_integer(const mdl_column *src, size_t r, mdl_type to, int64_t *out)
{
    int64_t lo = to.id == MDL_TYPE_INT32 ? INT32_MIN : INT64_MIN;
    int64_t hi = to.id == MDL_TYPE_INT32 ? INT32_MAX : INT64_MAX;
    mdl_i128 v;
    switch (src->type.id) {
    case MDL_TYPE_DOUBLE: {
        double d = nearbyint(mdl_column_f64(src, r));
        if (!(d >= (double)lo && d < -(double)lo))
            return CAST_RANGE;
        v = (mdl_i128)d;
        break;
    }
    case MDL_TYPE_STRING: {
        mdl_strview s = trim_ws(mdl_column_str(src, r));
        int rc = mdl_decimal_parse(s.ptr, s.len, 38, 0, &v);
        if (rc == MDL_ERR_RANGE)
            return CAST_RANGE;
        if (rc != MDL_OK)
            return CAST_PARSE;
        break;
    }
    default: {
        bool ok;
        v = exact_value(src, r, 0, &ok);
        break;
    }
    }
    if (v < lo || v > hi)
        return CAST_RANGE;
    *out = (int64_t)v;
    return CAST_OK;
}

static cast_result to_decimal(const mdl_column *src, size_t r, mdl_type to, mdl_i128 *out)
{
    mdl_i128 v;
    switch (src->type.id) {
    case MDL_TYPE_DOUBLE: {
        double d = mdl_column_f64(src, r) * (double)mdl_decimal_pow10(to.scale);
        d = round(d);
        if (!(fabs(d) < 1.7e38))
            return CAST_RANGE;
        v = (mdl_i128)d;
        break;
    }
    case MDL_TYPE_STRING: {
        mdl_strview s = trim_ws(mdl_column_str(src, r));
        int rc = mdl_decimal_parse(s.ptr, s.len, to.precision, to.scale, &v);
        if (rc == MDL_ERR_RANGE)
            return CAST_RANGE;
        if (rc != MDL_OK)
            return CAST_PARSE;
        break;
    }
    default: {
        bool ok;
        v = exact_value(src, r, to.scale, &ok);
        if (!ok)
            return CAST_RANGE;
        break;
    }
    }
    if (!mdl_sql__decimal_fits(v, to.precision))
        return CAST_RANGE;
    *out = v;
    return CAST_OK;
}

static cast_result to_double(const mdl_column *src, size_t r, double *out)
{
    switch (src->type.id) {
    case MDL_TYPE_BOOLEAN:
        *out = mdl_column_bool(src, r);
        return CAST_OK;
    case MDL_TYPE_INT32:
        *out = mdl_column_i32(src, r);
        return CAST_OK;
    case MDL_TYPE_INT64:
        *out = (double)mdl_column_i64(src, r);
        return CAST_OK;
    case MDL_TYPE_DOUBLE:
        *out = mdl_column_f64(src, r);
        return CAST_OK;
    case MDL_TYPE_DECIMAL:
        *out = (double)mdl_column_decimal(src, r) / (double)mdl_decimal_pow10(src->type.scale);
        return CAST_OK;
    default:
        return parse_double(mdl_column_str(src, r), out) ? CAST_OK : CAST_PARSE;
    }
}

static cast_result to_date(const mdl_column *src, size_t r, int32_t *out)
{
    switch (src->type.id) {
    case MDL_TYPE_DATE:
        *out = mdl_column_i32(src, r);
        return CAST_OK;
    case MDL_TYPE_TIMESTAMP:
        *out = (int32_t)sql_floor_div(mdl_column_i64(src, r), SQL_MICROS_PER_DAY);
        return CAST_OK;
    default: {
        mdl_strview s = trim_ws(mdl_column_str(src, r));
        if (mdl_date_parse(s.ptr, s.len, out) == MDL_OK)
            return CAST_OK;
        int64_t us;
        if (mdl_timestamp_parse(s.ptr, s.len, &us) != MDL_OK)
            return CAST_PARSE;
        *out = (int32_t)sql_floor_div(us, SQL_MICROS_PER_DAY);
        return CAST_OK;
    }
    }
}

static cast_result to_timestamp(const mdl_column *src, size_t r, int64_t *out)
{
    switch (src->type.id) {
    case MDL_TYPE_TIMESTAMP:
        *out = mdl_column_i64(src, r);
        return CAST_OK;
    case MDL_TYPE_DATE:
        *out = (int64_t)mdl_column_i32(src, r) * SQL_MICROS_PER_DAY;
        return CAST_OK;
    default: {
        mdl_strview s = trim_ws(mdl_column_str(src, r));
        return mdl_timestamp_parse(s.ptr, s.len, out) == MDL_OK ? CAST_OK : CAST_PARSE;
    }
    }
}

static int cast_failed(const sql_bound *at, const mdl_column *src, size_t r, mdl_type to,
                       cast_result why, mdl_error *err)
{
    char val[80], tname[32];
    mdl_sql__format_value(src, r, val, sizeof val);
    mdl_type_format(to, tname, sizeof tname);
    if (src->type.id == MDL_TYPE_STRING && why == CAST_PARSE)
        return mdl_sql__error(at, err, MDL_ERR_PARSE, "could not convert string '%s' to %s", val,
                              tname);
    char sname[32];
    mdl_type_format(src->type, sname, sizeof sname);
    return mdl_sql__error(at, err, MDL_ERR_RANGE, "%s value %s is out of range for %s", sname, val,
                          tname);
}

/* Widening casts that cannot fail, in one loop each (no nulls in src). */
static bool cast_fast(const mdl_column *src, mdl_type to, mdl_column *out)
{
    size_t n = src->length;
    mdl_type_id f = src->type.id;
    if (src->null_count != 0)
        return false;
    if ((f == MDL_TYPE_INT32 || f == MDL_TYPE_DATE) &&
        (to.id == MDL_TYPE_INT64 || to.id == MDL_TYPE_DOUBLE || to.id == MDL_TYPE_TIMESTAMP ||
         (to.id == MDL_TYPE_DECIMAL && to.precision <= MDL_DECIMAL64_MAX_PRECISION &&
          to.precision - to.scale >= 10))) {
        if ((f == MDL_TYPE_DATE) != (to.id == MDL_TYPE_TIMESTAMP))
            return false;
        const int32_t *x = src->values;
        int64_t mul = to.id == MDL_TYPE_TIMESTAMP ? SQL_MICROS_PER_DAY
                      : to.id == MDL_TYPE_DECIMAL ? (int64_t)mdl_decimal_pow10(to.scale)
                                                  : 1;
        if (to.id == MDL_TYPE_DOUBLE)
            for (size_t r = 0; r < n; r++)
                ((double *)out->values)[r] = x[r];
        else
            for (size_t r = 0; r < n; r++)
                ((int64_t *)out->values)[r] = (int64_t)x[r] * mul;
        out->length = n;
        return true;
    }
    if (f == MDL_TYPE_INT64 && to.id == MDL_TYPE_DOUBLE) {
        for (size_t r = 0; r < n; r++)
            ((double *)out->values)[r] = (double)((const int64_t *)src->values)[r];
        out->length = n;
        return true;
    }
    if (f == MDL_TYPE_DECIMAL && to.id == MDL_TYPE_DECIMAL &&
        src->type.precision <= MDL_DECIMAL64_MAX_PRECISION &&
        to.precision <= MDL_DECIMAL64_MAX_PRECISION && to.scale >= src->type.scale &&
        to.precision - to.scale >= src->type.precision - src->type.scale) {
        int64_t mul = (int64_t)mdl_decimal_pow10(to.scale - src->type.scale);
        for (size_t r = 0; r < n; r++)
            ((int64_t *)out->values)[r] = ((const int64_t *)src->values)[r] * mul;
        out->length = n;
        return true;
    }
    return false;
}

int mdl_sql__cast_column(mdl_ctx *ctx, const sql_bound *at, const mdl_column *src, mdl_type to,
                         bool try_cast, mdl_column *out, mdl_error *err)
{
    size_t n = src->length;
    bool str_out = to.id == MDL_TYPE_STRING;
    if (!mdl_sql__castable(src->type, to)) {
        char a[32], b[32];
        mdl_type_format(src->type, a, sizeof a);
        mdl_type_format(to, b, sizeof b);
        return mdl_sql__error(at, err, MDL_ERR_SCHEMA, "cannot cast %s to %s", a, b);
    }
    if (cast_fast(src, to, out))
        return MDL_OK;
    for (size_t r = 0; r < n; r++) {
        int rc = MDL_OK;
        if (mdl_column_is_null(src, r)) {
            rc = str_out ? mdl_column_append_null(ctx, out, err)
                         : mdl_sql__set_null(ctx, out, r, err);
            if (!str_out)
                memset((char *)out->values + r * mdl_type_width(to), 0, mdl_type_width(to));
            if (rc != MDL_OK)
                return rc;
            continue;
        }
        cast_result cr = CAST_OK;
        switch (to.id) {
        case MDL_TYPE_STRING: {
            if (src->type.id == MDL_TYPE_STRING) {
                mdl_strview v = mdl_column_str(src, r);
                rc = mdl_column_append_string(ctx, out, v.ptr, v.len, err);
            } else {
                char buf[80];
                size_t len = mdl_sql__format_value(src, r, buf, sizeof buf);
                rc = mdl_column_append_string(ctx, out, buf, len, err);
            }
            break;
        }
        case MDL_TYPE_BOOLEAN: {
            bool b = false;
            if (src->type.id == MDL_TYPE_STRING) {
                cr = parse_bool(mdl_column_str(src, r), &b) ? CAST_OK : CAST_PARSE;
            } else if (src->type.id == MDL_TYPE_DOUBLE) {
                b = mdl_column_f64(src, r) != 0;
            } else {
                bool ok;
                b = exact_value(src, r, src->type.id == MDL_TYPE_DECIMAL ? src->type.scale : 0,
                                &ok) != 0;
            }
            ((uint8_t *)out->values)[r] = b;
            break;
        }
        case MDL_TYPE_INT32:
        case MDL_TYPE_INT64: {
            int64_t v = 0;
            cr = to_integer(src, r, to, &v);
            if (to.id == MDL_TYPE_INT32)
                ((int32_t *)out->values)[r] = (int32_t)v;
            else
                ((int64_t *)out->values)[r] = v;
            break;
        }
        case MDL_TYPE_DOUBLE: {
            double v = 0;
            cr = to_double(src, r, &v);
            ((double *)out->values)[r] = v;
            break;
        }
        case MDL_TYPE_DECIMAL: {
            mdl_i128 v = 0;
            cr = to_decimal(src, r, to, &v);
            sql_put_decimal(out, r, cr == CAST_OK ? v : 0);
            break;
        }
        case MDL_TYPE_DATE: {
            int32_t v = 0;
            cr = to_date(src, r, &v);
            ((int32_t *)out->values)[r] = v;
            break;
        }
        case MDL_TYPE_TIMESTAMP: {
            int64_t v = 0;
            cr = to_timestamp(src, r, &v);
            ((int64_t *)out->values)[r] = v;
            break;
        }
        }
        if (rc != MDL_OK)
            return rc;
        if (cr != CAST_OK) {
            if (!try_cast)
                return cast_failed(at, src, r, to, cr, err);
            rc = mdl_sql__set_null(ctx, out, r, err);
            if (rc != MDL_OK)
                return rc;
        }
    }
    out->length = n;
    return MDL_OK;
}
