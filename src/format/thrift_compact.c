/*
 * thrift_compact.c - Thrift compact protocol writer and bounds-checked reader (see
 * thrift_compact.h for the wire layout). Every count and length read from the input is
 * checked against the bytes that remain before it is used; nesting is capped at
 * TC_MAX_DEPTH so a hostile footer cannot recurse the stack away.
 */
#include <string.h>

#include "thrift_compact.h"

/* ---- writing ----------------------------------------------------------------------------- */

static void put_byte(tc_writer *w, uint8_t b)
{
    if (w->rc == MDL_OK)
        w->rc = mdl_buf_append(w->out, &b, 1, NULL);
}

static void put_varint(tc_writer *w, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    while (v >= 0x80) {
        tmp[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    tmp[n++] = (uint8_t)v;
    if (w->rc == MDL_OK)
        w->rc = mdl_buf_append(w->out, tmp, n, NULL);
}

static uint64_t zigzag(int64_t v)
{
    uint64_t u = (uint64_t)v;
    return (u << 1) ^ (0 - (u >> 63));
}

static void field_header(tc_writer *w, int16_t id, int type)
{
    int delta = id - w->last[w->depth];
    if (delta > 0 && delta <= 15) {
        put_byte(w, (uint8_t)(delta << 4 | type));
    } else {
        put_byte(w, (uint8_t)type);
        put_varint(w, zigzag(id));
    }
    w->last[w->depth] = id;
}

static void push(tc_writer *w)
{
    if (w->depth + 1 >= TC_MAX_DEPTH) {
        w->rc = MDL_ERR_LIMIT;
        return;
    }
    w->last[++w->depth] = 0;
}

void mdl_format__tc_writer_init(tc_writer *w, mdl_buf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->depth = -1;
}

void mdl_format__tc_root_begin(tc_writer *w)
{
    push(w);
}

void mdl_format__tc_struct_begin(tc_writer *w, int16_t id)
{
    field_header(w, id, TC_STRUCT);
    push(w);
}

void mdl_format__tc_elem_struct_begin(tc_writer *w)
{
    push(w);
}

void mdl_format__tc_struct_end(tc_writer *w)
{
    put_byte(w, TC_STOP);
    if (w->depth >= 0)
        w->depth--;
}

void mdl_format__tc_i32(tc_writer *w, int16_t id, int32_t v)
{
    field_header(w, id, TC_I32);
    put_varint(w, zigzag(v));
}

void mdl_format__tc_i64(tc_writer *w, int16_t id, int64_t v)
{
    field_header(w, id, TC_I64);
    put_varint(w, zigzag(v));
}

void mdl_format__tc_bool(tc_writer *w, int16_t id, bool v)
{
    field_header(w, id, v ? TC_TRUE : TC_FALSE);
}

void mdl_format__tc_binary(tc_writer *w, int16_t id, const void *data, size_t len)
{
    field_header(w, id, TC_BINARY);
    mdl_format__tc_elem_binary(w, data, len);
}

void mdl_format__tc_list_begin(tc_writer *w, int16_t id, int elem_type, size_t n)
{
    field_header(w, id, TC_LIST);
    if (n <= 14) {
        put_byte(w, (uint8_t)(n << 4 | (size_t)elem_type));
    } else {
        put_byte(w, (uint8_t)(0xF0 | elem_type));
        put_varint(w, n);
    }
}

void mdl_format__tc_elem_i32(tc_writer *w, int32_t v)
{
    put_varint(w, zigzag(v));
}

void mdl_format__tc_elem_binary(tc_writer *w, const void *data, size_t len)
{
    put_varint(w, len);
    if (w->rc == MDL_OK && len > 0)
        w->rc = mdl_buf_append(w->out, data, len, NULL);
}

/* ---- reading ----------------------------------------------------------------------------- */

static const char *type_name(int type)
{
    static const char *const names[] = {"stop",   "bool",   "bool", "i8",  "i16", "i32",   "i64",
                                        "double", "binary", "list", "set", "map", "struct"};
    return type >= 0 && type <= TC_STRUCT ? names[type] : "invalid";
}

static int truncated(tc_reader *r, mdl_error *err)
{
    return mdl_error_set(err, MDL_ERR_PARSE, "%s is truncated (Thrift data ends early)", r->what);
}

void mdl_format__tc_reader_init(tc_reader *r, const void *data, size_t len, const char *what)
{
    memset(r, 0, sizeof *r);
    r->p = data;
    r->end = r->p + len;
    r->depth = -1;
    r->what = what;
}

size_t mdl_format__tc_offset(const tc_reader *r, const void *start)
{
    return (size_t)(r->p - (const uint8_t *)start);
}

static int read_varint(tc_reader *r, uint64_t *out, mdl_error *err)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end)
            return truncated(r, err);
        uint8_t b = *r->p++;
        if (shift == 63 && b > 1)
            break;
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80)) {
            *out = v;
            return MDL_OK;
        }
    }
    return mdl_error_set(err, MDL_ERR_PARSE, "%s: varint longer than 64 bits", r->what);
}

static int64_t unzigzag(uint64_t u)
{
    return (int64_t)((u >> 1) ^ (0 - (u & 1)));
}

int mdl_format__tc_read_struct_begin(tc_reader *r, mdl_error *err)
{
    if (r->depth + 1 >= TC_MAX_DEPTH)
        return mdl_error_set(err, MDL_ERR_LIMIT, "%s: structures nested deeper than %d", r->what,
                             TC_MAX_DEPTH);
    r->last[++r->depth] = 0;
    return MDL_OK;
}

void mdl_format__tc_read_struct_end(tc_reader *r)
{
    if (r->depth >= 0)
        r->depth--;
}

int mdl_format__tc_read_field(tc_reader *r, int *type, int16_t *id, mdl_error *err)
{
    if (r->depth < 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: field read outside a struct", r->what);
    if (r->p >= r->end)
        return truncated(r, err);
    uint8_t b = *r->p++;
    if (b == TC_STOP) {
        *type = TC_STOP;
        *id = 0;
        return MDL_OK;
    }
    int t = b & 0x0F, delta = b >> 4;
    if (t > TC_STRUCT)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: invalid Thrift field type %d", r->what, t);
    int64_t fid;
    if (delta != 0) {
        fid = (int64_t)r->last[r->depth] + delta;
    } else {
        uint64_t u;
        int rc = read_varint(r, &u, err);
        if (rc != MDL_OK)
            return rc;
        fid = unzigzag(u);
    }
    if (fid < INT16_MIN || fid > INT16_MAX)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: Thrift field id %lld out of range", r->what,
                             (long long)fid);
    r->last[r->depth] = (int16_t)fid;
    *type = t;
    *id = (int16_t)fid;
    return MDL_OK;
}

static int expect(tc_reader *r, int type, int want, mdl_error *err)
{
    if (type == want)
        return MDL_OK;
    return mdl_error_set(err, MDL_ERR_PARSE, "%s: expected a Thrift %s, found %s", r->what,
                         type_name(want), type_name(type));
}

int mdl_format__tc_read_i64(tc_reader *r, int type, int64_t *out, mdl_error *err)
{
    /* i16, i32 and i64 share the zigzag varint encoding; accept the narrower ones too. */
    if (type != TC_I64 && type != TC_I32 && type != TC_I16)
        return expect(r, type, TC_I64, err);
    uint64_t u;
    int rc = read_varint(r, &u, err);
    if (rc == MDL_OK)
        *out = unzigzag(u);
    return rc;
}

int mdl_format__tc_read_i32(tc_reader *r, int type, int32_t *out, mdl_error *err)
{
    if (type != TC_I32 && type != TC_I16)
        return expect(r, type, TC_I32, err);
    int64_t v;
    int rc = mdl_format__tc_read_i64(r, type, &v, err);
    if (rc != MDL_OK)
        return rc;
    if (v < INT32_MIN || v > INT32_MAX)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: i32 value %lld out of range", r->what,
                             (long long)v);
    *out = (int32_t)v;
    return MDL_OK;
}

int mdl_format__tc_read_bool(tc_reader *r, int type, bool *out, mdl_error *err)
{
    if (type != TC_TRUE && type != TC_FALSE)
        return expect(r, type, TC_TRUE, err);
    *out = type == TC_TRUE;
    return MDL_OK;
}

int mdl_format__tc_read_double(tc_reader *r, int type, double *out, mdl_error *err)
{
    int rc = expect(r, type, TC_DOUBLE, err);
    if (rc != MDL_OK)
        return rc;
    if (r->end - r->p < 8)
        return truncated(r, err);
    memcpy(out, r->p, 8); /* little-endian on the wire, as on every platform we build for */
    r->p += 8;
    return MDL_OK;
}

int mdl_format__tc_read_elem_binary(tc_reader *r, int elem_type, mdl_strview *out, mdl_error *err)
{
    int rc = expect(r, elem_type, TC_BINARY, err);
    if (rc != MDL_OK)
        return rc;
    uint64_t len;
    rc = read_varint(r, &len, err);
    if (rc != MDL_OK)
        return rc;
    if (len > (uint64_t)(r->end - r->p))
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: binary of %llu bytes but only %zu remain",
                             r->what, (unsigned long long)len, (size_t)(r->end - r->p));
    *out = mdl_sv_make((const char *)r->p, (size_t)len);
    r->p += len;
    return MDL_OK;
}

int mdl_format__tc_read_binary(tc_reader *r, int type, mdl_strview *out, mdl_error *err)
{
    return mdl_format__tc_read_elem_binary(r, type, out, err);
}

int mdl_format__tc_read_elem_i32(tc_reader *r, int elem_type, int32_t *out, mdl_error *err)
{
    return mdl_format__tc_read_i32(r, elem_type, out, err);
}

int mdl_format__tc_read_list(tc_reader *r, int type, int *elem_type, size_t *n, mdl_error *err)
{
    if (type != TC_LIST && type != TC_SET)
        return expect(r, type, TC_LIST, err);
    if (r->p >= r->end)
        return truncated(r, err);
    uint8_t b = *r->p++;
    uint64_t size = b >> 4;
    *elem_type = b & 0x0F;
    if (size == 15) {
        int rc = read_varint(r, &size, err);
        if (rc != MDL_OK)
            return rc;
    }
    /* In a list, booleans are one byte each (1 true, 2 false), not header nibbles. */
    if (*elem_type == TC_FALSE)
        *elem_type = TC_TRUE;
    if (*elem_type > TC_STRUCT || *elem_type == TC_STOP)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: invalid Thrift list element type %d", r->what,
                             *elem_type);
    /* Every element takes at least one byte, so a count above the bytes left is a lie. */
    if (size > (uint64_t)(r->end - r->p))
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: list of %llu elements but only %zu bytes remain", r->what,
                             (unsigned long long)size, (size_t)(r->end - r->p));
    *n = (size_t)size;
    return MDL_OK;
}

static int skip_elem(tc_reader *r, int type, mdl_error *err);

int mdl_format__tc_skip(tc_reader *r, int type, mdl_error *err)
{
    uint64_t u;
    mdl_strview sv;
    int rc = MDL_OK;
    switch (type) {
    case TC_TRUE:
    case TC_FALSE:
        return MDL_OK;
    case TC_I8:
        if (r->p >= r->end)
            return truncated(r, err);
        r->p++;
        return MDL_OK;
    case TC_I16:
    case TC_I32:
    case TC_I64:
        return read_varint(r, &u, err);
    case TC_DOUBLE:
        if (r->end - r->p < 8)
            return truncated(r, err);
        r->p += 8;
        return MDL_OK;
    case TC_BINARY:
        return mdl_format__tc_read_elem_binary(r, type, &sv, err);
    case TC_LIST:
    case TC_SET: {
        int et;
        size_t n;
        rc = mdl_format__tc_read_list(r, type, &et, &n, err);
        for (size_t i = 0; rc == MDL_OK && i < n; i++)
            rc = skip_elem(r, et, err);
        return rc;
    }
    case TC_MAP: {
        rc = read_varint(r, &u, err);
        if (rc != MDL_OK || u == 0)
            return rc;
        if (r->p >= r->end)
            return truncated(r, err);
        uint8_t kv = *r->p++;
        if (u > (uint64_t)(r->end - r->p))
            return mdl_error_set(err, MDL_ERR_PARSE, "%s: map of %llu entries overruns the data",
                                 r->what, (unsigned long long)u);
        for (uint64_t i = 0; rc == MDL_OK && i < u; i++) {
            rc = skip_elem(r, kv >> 4, err);
            if (rc == MDL_OK)
                rc = skip_elem(r, kv & 0x0F, err);
        }
        return rc;
    }
    case TC_STRUCT: {
        rc = mdl_format__tc_read_struct_begin(r, err);
        while (rc == MDL_OK) {
            int ft;
            int16_t id;
            rc = mdl_format__tc_read_field(r, &ft, &id, err);
            if (rc != MDL_OK || ft == TC_STOP)
                break;
            rc = mdl_format__tc_skip(r, ft, err);
        }
        mdl_format__tc_read_struct_end(r);
        return rc;
    }
    default:
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: invalid Thrift type %d", r->what, type);
    }
}

/* List/map elements: booleans are a byte there, everything else as a field value. */
static int skip_elem(tc_reader *r, int type, mdl_error *err)
{
    if (type == TC_TRUE || type == TC_FALSE) {
        if (r->p >= r->end)
            return truncated(r, err);
        r->p++;
        return MDL_OK;
    }
    return mdl_format__tc_skip(r, type, err);
}
