/*
 * convert.c - text to typed values for the readers. Hot path of CSV ingestion: the common
 * shapes (plain integers, short decimals, ISO dates) are parsed inline without copies.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

static inline void trim(const char **s, size_t *len)
{
    const char *p = *s;
    size_t n = *len;
    while (n && is_space(p[0])) {
        p++;
        n--;
    }
    while (n && is_space(p[n - 1]))
        n--;
    *s = p;
    *len = n;
}

int mdl_format__parse_bool(const char *s, size_t len, uint8_t *out)
{
    mdl_strview v = mdl_sv_make(s, len);
    static const char *const T[] = {"true", "t", "yes", "y", "1"};
    static const char *const F[] = {"false", "f", "no", "n", "0"};
    for (size_t i = 0; i < 5; i++) {
        if (mdl_sv_ieq_cstr(v, T[i])) {
            *out = 1;
            return MDL_OK;
        }
        if (mdl_sv_ieq_cstr(v, F[i])) {
            *out = 0;
            return MDL_OK;
        }
    }
    return MDL_ERR_PARSE;
}

int mdl_format__parse_i64(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return MDL_ERR_PARSE;
    uint64_t v = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return MDL_ERR_PARSE;
        if (v > (UINT64_MAX - d) / 10)
            return MDL_ERR_RANGE;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return MDL_ERR_RANGE;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return MDL_ERR_RANGE;
        *out = (int64_t)v;
    }
    return MDL_OK;
}

/*
 * Accepts decimal and exponent notation plus inf/infinity/nan (any case, optional sign);
 * rejects what strtod would also take but no data engineer means (hex floats, trailing
 * junk). strtod runs on a NUL-terminated copy; the library never changes the locale, so
 * the decimal point is '.'.
 */
int mdl_format__parse_double(const char *s, size_t len, double *out)
{
    char tmp[128];
    if (len == 0 || len >= sizeof tmp)
        return MDL_ERR_PARSE;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    mdl_strview word = mdl_sv_make(s + i, len - i);
    if (mdl_sv_ieq_cstr(word, "inf") || mdl_sv_ieq_cstr(word, "infinity")) {
        *out = s[0] == '-' ? -HUGE_VAL : HUGE_VAL;
        return MDL_OK;
    }
    if (mdl_sv_ieq_cstr(word, "nan")) {
        *out = (double)NAN;
        return MDL_OK;
    }
    bool digit = false;
    for (size_t k = i; k < len; k++) {
        char c = s[k];
        if (c >= '0' && c <= '9')
            digit = true;
        else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+')
            return MDL_ERR_PARSE;
    }
    if (!digit)
        return MDL_ERR_PARSE;
    memcpy(tmp, s, len);
    tmp[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (end != tmp + len)
        return MDL_ERR_PARSE;
    if (errno == ERANGE && isinf(v))
        return MDL_ERR_RANGE;
    *out = v;
    return MDL_OK;
}

static const int64_t POW10[19] = {1LL,
                                  10LL,
                                  100LL,
                                  1000LL,
                                  10000LL,
                                  100000LL,
                                  1000000LL,
                                  10000000LL,
                                  100000000LL,
                                  1000000000LL,
                                  10000000000LL,
                                  100000000000LL,
                                  1000000000000LL,
                                  10000000000000LL,
                                  100000000000000LL,
                                  1000000000000000LL,
                                  10000000000000000LL,
                                  100000000000000000LL,
                                  1000000000000000000LL};

/*
 * Fast path for precision <= 18: "[-+]digits[.digits]" with at most `scale` fractional
 * digits. Anything else (exponents, rounding) goes to mdl_decimal_parse.
 */
static int parse_decimal64(const char *s, size_t len, int precision, int scale, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    if (len && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        i = 1;
    }
    int64_t v = 0;
    int sig = 0, nfrac = 0;
    bool any = false;
    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            break;
        any = true;
        if (v == 0 && d == 0)
            continue;
        if (++sig > precision - scale)
            goto general;
        v = v * 10 + (int64_t)d;
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len; i++) {
            unsigned d = (unsigned)(unsigned char)s[i] - '0';
            if (d > 9)
                break;
            any = true;
            if (++nfrac > scale)
                goto general;
            v = v * 10 + (int64_t)d;
        }
    }
    if (i != len || !any)
        goto general;
    v *= POW10[scale - nfrac];
    *out = neg ? -v : v;
    return MDL_OK;
general : {
    mdl_i128 w;
    int rc = mdl_decimal_parse(s, len, precision, scale, &w);
    if (rc == MDL_OK)
        *out = (int64_t)w;
    return rc;
}
}

int mdl_format__append_text(mdl_ctx *ctx, mdl_column *col, const char *s, size_t len,
                            bool utf8_known_valid, const char **reason, mdl_error *err)
{
    mdl_type t = col->type;
    if (col->length >= col->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", col->capacity);
    if (t.id == MDL_TYPE_STRING) {
        if (!utf8_known_valid && !mdl_utf8_valid(s, len)) {
            *reason = "is not valid UTF-8";
            return MDL_ERR_PARSE;
        }
        return mdl_column_append_string(ctx, col, s, len, err);
    }
    if (len && (is_space(s[0]) || is_space(s[len - 1])))
        trim(&s, &len);
    size_t row = col->length;
    int rc;
    switch (t.id) {
    case MDL_TYPE_BOOLEAN: {
        uint8_t v;
        rc = mdl_format__parse_bool(s, len, &v);
        if (rc != MDL_OK) {
            *reason = "is not a boolean";
            return rc;
        }
        ((uint8_t *)col->values)[row] = v;
        break;
    }
    case MDL_TYPE_INT32: {
        int64_t v;
        rc = mdl_format__parse_i64(s, len, &v);
        if (rc == MDL_OK && (v < INT32_MIN || v > INT32_MAX))
            rc = MDL_ERR_RANGE;
        if (rc != MDL_OK) {
            *reason = rc == MDL_ERR_RANGE ? "is out of range for int32" : "is not an integer";
            return rc;
        }
        ((int32_t *)col->values)[row] = (int32_t)v;
        break;
    }
    case MDL_TYPE_INT64: {
        int64_t v;
        rc = mdl_format__parse_i64(s, len, &v);
        if (rc != MDL_OK) {
            *reason = rc == MDL_ERR_RANGE ? "is out of range for int64" : "is not an integer";
            return rc;
        }
        ((int64_t *)col->values)[row] = v;
        break;
    }
    case MDL_TYPE_DOUBLE: {
        double v;
        rc = mdl_format__parse_double(s, len, &v);
        if (rc != MDL_OK) {
            *reason = rc == MDL_ERR_RANGE ? "is out of range for double" : "is not a number";
            return rc;
        }
        ((double *)col->values)[row] = v;
        break;
    }
    case MDL_TYPE_DECIMAL: {
        if (t.precision <= MDL_DECIMAL64_MAX_PRECISION) {
            rc = parse_decimal64(s, len, t.precision, t.scale, &((int64_t *)col->values)[row]);
        } else {
            mdl_i128 v;
            rc = mdl_decimal_parse(s, len, t.precision, t.scale, &v);
            if (rc == MDL_OK)
                memcpy((char *)col->values + row * 16, &v, 16);
        }
        if (rc != MDL_OK) {
            *reason = rc == MDL_ERR_RANGE ? "is out of range for the decimal's precision"
                                          : "is not a decimal number";
            return rc;
        }
        break;
    }
    case MDL_TYPE_DATE: {
        int32_t v;
        rc = mdl_date_parse(s, len, &v);
        if (rc != MDL_OK) {
            *reason = rc == MDL_ERR_RANGE ? "is not a valid calendar date"
                                          : "is not a date (expected YYYY-MM-DD)";
            return rc;
        }
        ((int32_t *)col->values)[row] = v;
        break;
    }
    case MDL_TYPE_TIMESTAMP: {
        int64_t v;
        rc = mdl_timestamp_parse(s, len, &v);
        if (rc != MDL_OK) {
            *reason = rc == MDL_ERR_RANGE ? "is not a valid calendar time"
                                          : "is not an ISO-8601 timestamp";
            return rc;
        }
        ((int64_t *)col->values)[row] = v;
        break;
    }
    default:
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown column type");
    }
    if (col->validity != NULL)
        col->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
    col->length = row + 1;
    return MDL_OK;
}

bool mdl_format__text_fits(mdl_type type, const char *s, size_t len)
{
    if (len && (is_space(s[0]) || is_space(s[len - 1])))
        trim(&s, &len);
    switch (type.id) {
    case MDL_TYPE_BOOLEAN: {
        /* Inference only takes words: 0/1 columns are integers. */
        uint8_t v;
        return len > 1 && mdl_format__parse_bool(s, len, &v) == MDL_OK;
    }
    case MDL_TYPE_INT32: {
        int64_t v;
        return mdl_format__parse_i64(s, len, &v) == MDL_OK && v >= INT32_MIN && v <= INT32_MAX;
    }
    case MDL_TYPE_INT64: {
        int64_t v;
        return mdl_format__parse_i64(s, len, &v) == MDL_OK;
    }
    case MDL_TYPE_DOUBLE: {
        double v;
        return mdl_format__parse_double(s, len, &v) == MDL_OK;
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 v;
        return mdl_decimal_parse(s, len, type.precision, type.scale, &v) == MDL_OK;
    }
    case MDL_TYPE_DATE: {
        int32_t v;
        return mdl_date_parse(s, len, &v) == MDL_OK;
    }
    case MDL_TYPE_TIMESTAMP: {
        int64_t v;
        return mdl_timestamp_parse(s, len, &v) == MDL_OK;
    }
    case MDL_TYPE_STRING:
        return mdl_utf8_valid(s, len);
    }
    return false;
}
