/*
 * parquet_schema.c - medallion types <-> Parquet types. Writes both the logical type and the
 * legacy converted type (apache/parquet-format LogicalTypes.md, "Backward compatibility"),
 * so old and new readers agree; reads either.
 */
#include <string.h>

#include "parquet_schema.h"

int32_t mdl_format__pq_decimal_bytes(int precision)
{
    /* Smallest n with 10^precision <= 2^(8n - 1): the digits fit in n two's-complement bytes. */
    for (int32_t n = 1; n <= 16; n++) {
        int bits = 8 * n - 1;
        if (bits >= 127 || mdl_decimal_pow10(precision) - 1 <= (((mdl_i128)1 << bits) - 1))
            return n;
    }
    return 16;
}

void mdl_format__pq_element_for(const mdl_field *f, pq_schema_element *e)
{
    memset(e, 0, sizeof *e);
    e->name = mdl_sv(f->name);
    e->repetition = f->nullable ? PQ_OPTIONAL : PQ_REQUIRED;
    e->num_children = PQ_ABSENT;
    e->converted_type = PQ_ABSENT;
    switch (f->type.id) {
    case MDL_TYPE_BOOLEAN:
        e->type = PQ_BOOLEAN;
        break;
    case MDL_TYPE_INT32:
        e->type = PQ_INT32;
        break;
    case MDL_TYPE_INT64:
        e->type = PQ_INT64;
        break;
    case MDL_TYPE_DOUBLE:
        e->type = PQ_DOUBLE;
        break;
    case MDL_TYPE_DECIMAL:
        if (f->type.precision <= 9) {
            e->type = PQ_INT32;
        } else if (f->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
            e->type = PQ_INT64;
        } else {
            e->type = PQ_FLBA;
            e->type_length = mdl_format__pq_decimal_bytes(f->type.precision);
        }
        e->converted_type = PQ_CT_DECIMAL;
        e->scale = f->type.scale;
        e->precision = f->type.precision;
        e->logical.kind = PQ_LT_DECIMAL;
        e->logical.scale = f->type.scale;
        e->logical.precision = f->type.precision;
        break;
    case MDL_TYPE_STRING:
        e->type = PQ_BYTE_ARRAY;
        e->converted_type = PQ_CT_UTF8;
        e->logical.kind = PQ_LT_STRING;
        break;
    case MDL_TYPE_DATE:
        e->type = PQ_INT32;
        e->converted_type = PQ_CT_DATE;
        e->logical.kind = PQ_LT_DATE;
        break;
    case MDL_TYPE_TIMESTAMP:
        e->type = PQ_INT64;
        e->converted_type = PQ_CT_TIMESTAMP_MICROS;
        e->logical.kind = PQ_LT_TIMESTAMP;
        e->logical.utc = true;
        e->logical.unit = PQ_UNIT_MICROS;
        break;
    }
}

static int unsupported(const pq_schema_element *e, const char *what, mdl_error *err)
{
    return mdl_error_set(err, MDL_ERR_UNSUPPORTED, "column '%.*s': %s is not supported",
                         (int)e->name.len, e->name.ptr, what);
}

static int decimal_type(const pq_schema_element *e, mdl_type *out, mdl_error *err)
{
    int32_t p = e->logical.kind == PQ_LT_DECIMAL ? e->logical.precision : e->precision;
    int32_t s = e->logical.kind == PQ_LT_DECIMAL ? e->logical.scale : e->scale;
    if (p < 1 || p > MDL_DECIMAL_MAX_PRECISION || s < 0 || s > p)
        return unsupported(e, "a decimal precision/scale outside 1..38", err);
    if (e->type == PQ_INT32 && p > 9)
        return unsupported(e, "an INT32 decimal with precision above 9", err);
    if (e->type == PQ_INT64 && p > 18)
        return unsupported(e, "an INT64 decimal with precision above 18", err);
    if (e->type == PQ_FLBA && (e->type_length < 1 || e->type_length > 16))
        return unsupported(e, "a FIXED_LEN_BYTE_ARRAY decimal wider than 16 bytes", err);
    if (e->type != PQ_INT32 && e->type != PQ_INT64 && e->type != PQ_FLBA &&
        e->type != PQ_BYTE_ARRAY)
        return unsupported(e, "a decimal of this physical type", err);
    *out = mdl_type_decimal(p, s);
    return MDL_OK;
}

int mdl_format__pq_type_for(const pq_schema_element *e, mdl_type *out, mdl_error *err)
{
    int lk = e->logical.kind, ct = e->converted_type;
    if (lk == PQ_LT_DECIMAL || ct == PQ_CT_DECIMAL)
        return decimal_type(e, out, err);
    switch (e->type) {
    case PQ_BOOLEAN:
        *out = mdl_type_make(MDL_TYPE_BOOLEAN);
        return MDL_OK;
    case PQ_INT32:
        if (lk == PQ_LT_DATE || ct == PQ_CT_DATE) {
            *out = mdl_type_make(MDL_TYPE_DATE);
            return MDL_OK;
        }
        if (lk == PQ_LT_TIME || ct == PQ_CT_TIME_MILLIS)
            return unsupported(e, "TIME", err);
        if (lk == PQ_LT_INTEGER && !e->logical.is_signed)
            *out = mdl_type_make(MDL_TYPE_INT64); /* UINT32 needs 64 bits */
        else if (ct >= PQ_CT_UINT_8 && ct <= 13)
            *out = mdl_type_make(MDL_TYPE_INT64);
        else
            *out = mdl_type_make(MDL_TYPE_INT32);
        return MDL_OK;
    case PQ_INT64:
        if (lk == PQ_LT_TIMESTAMP || ct == PQ_CT_TIMESTAMP_MICROS || ct == PQ_CT_TIMESTAMP_MILLIS) {
            *out = mdl_type_make(MDL_TYPE_TIMESTAMP);
            return MDL_OK;
        }
        if (lk == PQ_LT_TIME || ct == PQ_CT_TIME_MICROS)
            return unsupported(e, "TIME", err);
        if ((lk == PQ_LT_INTEGER && !e->logical.is_signed) || ct == PQ_CT_UINT_64)
            return unsupported(e, "UINT64 (values above 2^63 do not fit int64)", err);
        *out = mdl_type_make(MDL_TYPE_INT64);
        return MDL_OK;
    case PQ_INT96:
        *out = mdl_type_make(MDL_TYPE_TIMESTAMP); /* legacy Impala/Spark timestamps */
        return MDL_OK;
    case PQ_FLOAT:
    case PQ_DOUBLE:
        *out = mdl_type_make(MDL_TYPE_DOUBLE);
        return MDL_OK;
    case PQ_BYTE_ARRAY:
        if (lk == PQ_LT_STRING || lk == PQ_LT_JSON || lk == PQ_LT_ENUM || ct == PQ_CT_UTF8 ||
            ct == PQ_CT_JSON || ct == PQ_CT_ENUM || (lk == PQ_LT_NONE && ct == PQ_ABSENT)) {
            /* Unannotated binary is read as a string; invalid UTF-8 is rejected per value. */
            *out = mdl_type_make(MDL_TYPE_STRING);
            return MDL_OK;
        }
        return unsupported(e, "this BYTE_ARRAY annotation", err);
    case PQ_FLBA:
        if (lk == PQ_LT_UUID)
            return unsupported(e, "UUID", err);
        return unsupported(e, "FIXED_LEN_BYTE_ARRAY without a DECIMAL annotation", err);
    default:
        return unsupported(e, "this physical type", err);
    }
}
