/*
 * type.c - the type system: names, parsing, widths.
 */
#include <stdio.h>
#include <string.h>

#include "medallion/core.h"

const char *mdl_type_name(mdl_type_id id)
{
    switch (id) {
    case MDL_TYPE_BOOLEAN:
        return "boolean";
    case MDL_TYPE_INT32:
        return "int32";
    case MDL_TYPE_INT64:
        return "int64";
    case MDL_TYPE_DOUBLE:
        return "double";
    case MDL_TYPE_DECIMAL:
        return "decimal";
    case MDL_TYPE_STRING:
        return "string";
    case MDL_TYPE_DATE:
        return "date";
    case MDL_TYPE_TIMESTAMP:
        return "timestamp";
    }
    return "unknown";
}

size_t mdl_type_format(mdl_type type, char *buf, size_t cap)
{
    int n;
    if (type.id == MDL_TYPE_DECIMAL)
        n = snprintf(buf, cap, "decimal(%u,%u)", type.precision, type.scale);
    else
        n = snprintf(buf, cap, "%s", mdl_type_name(type.id));
    return n < 0 ? 0 : (size_t)n;
}

bool mdl_type_equal(mdl_type a, mdl_type b)
{
    if (a.id != b.id)
        return false;
    return a.id != MDL_TYPE_DECIMAL || (a.precision == b.precision && a.scale == b.scale);
}

size_t mdl_type_width(mdl_type type)
{
    switch (type.id) {
    case MDL_TYPE_BOOLEAN:
        return 1;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        return 4;
    case MDL_TYPE_INT64:
    case MDL_TYPE_DOUBLE:
    case MDL_TYPE_TIMESTAMP:
    case MDL_TYPE_STRING:
        return 8;
    case MDL_TYPE_DECIMAL:
        return type.precision <= MDL_DECIMAL64_MAX_PRECISION ? 8 : 16;
    }
    return 0;
}

static const struct {
    const char *name;
    mdl_type_id id;
} TYPE_NAMES[] = {
    {"boolean", MDL_TYPE_BOOLEAN}, {"bool", MDL_TYPE_BOOLEAN},  {"int32", MDL_TYPE_INT32},
    {"int", MDL_TYPE_INT32},       {"integer", MDL_TYPE_INT32}, {"int64", MDL_TYPE_INT64},
    {"bigint", MDL_TYPE_INT64},    {"long", MDL_TYPE_INT64},    {"double", MDL_TYPE_DOUBLE},
    {"float64", MDL_TYPE_DOUBLE},  {"string", MDL_TYPE_STRING}, {"varchar", MDL_TYPE_STRING},
    {"text", MDL_TYPE_STRING},     {"date", MDL_TYPE_DATE},     {"timestamp", MDL_TYPE_TIMESTAMP},
};

static bool parse_uint(mdl_strview v, unsigned *out)
{
    v = mdl_sv_trim(v);
    if (v.len == 0 || v.len > 3)
        return false;
    unsigned n = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (v.ptr[i] < '0' || v.ptr[i] > '9')
            return false;
        n = n * 10 + (unsigned)(v.ptr[i] - '0');
    }
    *out = n;
    return true;
}

int mdl_type_parse(mdl_strview text, mdl_type *out, mdl_error *err)
{
    mdl_strview t = mdl_sv_trim(text);
    if (t.ptr == NULL) /* an empty view may have no storage; memchr and %.*s need some */
        t.ptr = "";
    for (size_t i = 0; i < sizeof TYPE_NAMES / sizeof TYPE_NAMES[0]; i++) {
        if (mdl_sv_ieq_cstr(t, TYPE_NAMES[i].name)) {
            *out = mdl_type_make(TYPE_NAMES[i].id);
            return MDL_OK;
        }
    }
    /* decimal(p,s) / numeric(p,s) */
    const char *open = memchr(t.ptr, '(', t.len);
    if (open != NULL && t.len > 0 && t.ptr[t.len - 1] == ')') {
        mdl_strview head = mdl_sv_trim(mdl_sv_make(t.ptr, (size_t)(open - t.ptr)));
        mdl_strview args = mdl_sv_make(open + 1, (size_t)(t.ptr + t.len - 1 - (open + 1)));
        const char *comma = memchr(args.ptr, ',', args.len);
        unsigned p, s;
        if ((mdl_sv_ieq_cstr(head, "decimal") || mdl_sv_ieq_cstr(head, "numeric")) &&
            comma != NULL && parse_uint(mdl_sv_make(args.ptr, (size_t)(comma - args.ptr)), &p) &&
            parse_uint(mdl_sv_make(comma + 1, (size_t)(args.ptr + args.len - comma - 1)), &s)) {
            if (p < 1 || p > MDL_DECIMAL_MAX_PRECISION || s > p)
                return mdl_error_set(err, MDL_ERR_RANGE,
                                     "type '%.*s': precision must be 1..38 and scale 0..precision",
                                     (int)t.len, t.ptr);
            *out = mdl_type_decimal((int)p, (int)s);
            return MDL_OK;
        }
    }
    return mdl_error_set(err, MDL_ERR_PARSE,
                         "unknown type '%.*s' (expected boolean, int32, int64, double, "
                         "decimal(p,s), string, date or timestamp)",
                         (int)(t.len > 64 ? 64 : t.len), t.ptr);
}
