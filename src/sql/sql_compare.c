/*
 * sql_compare.c - the sort order of values of every core type (see sql_compare.h).
 */
#include "sql/sql_compare.h"

#include <math.h>
#include <string.h>

static int cmp_double(double x, double y)
{
    /* NaN is the greatest value and equal to itself; -0 == 0 falls out of `<`. */
    bool xn = isnan(x), yn = isnan(y);
    if (xn || yn)
        return (int)xn - (int)yn;
    return (x > y) - (x < y);
}

int mdl_sql__value_cmp(const mdl_column *a, size_t ra, const mdl_column *b, size_t rb)
{
    switch (a->type.id) {
    case MDL_TYPE_BOOLEAN: {
        int x = ((const uint8_t *)a->values)[ra] != 0, y = ((const uint8_t *)b->values)[rb] != 0;
        return x - y;
    }
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
    case MDL_TYPE_DOUBLE:
        return cmp_double(mdl_column_f64(a, ra), mdl_column_f64(b, rb));
    case MDL_TYPE_DECIMAL: {
        if (a->type.precision <= MDL_DECIMAL64_MAX_PRECISION &&
            b->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
            int64_t x = mdl_column_i64(a, ra), y = mdl_column_i64(b, rb);
            return (x > y) - (x < y);
        }
        mdl_i128 x = mdl_column_decimal(a, ra), y = mdl_column_decimal(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_STRING: {
        mdl_strview x = mdl_column_str(a, ra), y = mdl_column_str(b, rb);
        size_t n = x.len < y.len ? x.len : y.len;
        int c = n ? memcmp(x.ptr, y.ptr, n) : 0;
        if (c != 0)
            return c < 0 ? -1 : 1;
        return (x.len > y.len) - (x.len < y.len);
    }
    }
    return 0;
}

int mdl_sql__key_cmp(const mdl_sql_sort_key *key, const mdl_column *a, size_t ra,
                     const mdl_column *b, size_t rb)
{
    bool an = mdl_column_is_null(a, ra), bn = mdl_column_is_null(b, rb);
    if (an || bn) {
        if (an && bn)
            return 0;
        /* NULL placement does not flip with DESC. */
        return (an ? 1 : -1) * (key->nulls_first ? -1 : 1);
    }
    int c = mdl_sql__value_cmp(a, ra, b, rb);
    return key->desc ? -c : c;
}

int mdl_sql__row_cmp(const mdl_sql_sort_key *keys, size_t num_keys, const mdl_batch *a, size_t ra,
                     const mdl_batch *b, size_t rb)
{
    for (size_t k = 0; k < num_keys; k++) {
        size_t c = keys[k].column;
        int r = mdl_sql__key_cmp(&keys[k], &a->columns[c], ra, &b->columns[c], rb);
        if (r != 0)
            return r;
    }
    return 0;
}
