/*
 * delta_stats.c - the add.stats JSON: building it from per-column bounds and reading it back
 * for file skipping.
 *
 * Layout (delta-io/delta PROTOCOL.md, "Per-file Statistics"), for flat schemas:
 *   {"numRecords":3,"minValues":{"id":1,"name":"a","ts":"2024-01-02T03:04:05.000Z"},
 *    "maxValues":{...},"nullCount":{"id":0,"name":1,"ts":0}}
 * Values are JSON numbers (integers, doubles, decimals written exactly) or strings (string,
 * date "YYYY-MM-DD", timestamp ISO-8601 UTC with milliseconds, the form Spark writes).
 * The protocol lets writers cut strings to a prefix and timestamps to milliseconds, and
 * readers use min/max as bounds, so each truncation here is made in the direction that keeps
 * the bound true: down for minimums, up for maximums. Booleans get no min/max, as in Spark:
 * they skip almost nothing and not every reader expects them.
 */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "delta_actions.h"

/* ---- building ----------------------------------------------------------------------------- */

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" for a whole number of milliseconds. */
static void format_ts_millis(int64_t ms, char *buf, size_t cap)
{
    int64_t secs = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        secs -= 1;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int64_t y;
    unsigned m, d;
    mdl_civil_from_days((int32_t)days, &y, &m, &d);
    snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
             (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)frac);
}

/* Byte length of the first `max_chars` UTF-8 characters of s (valid UTF-8). */
static size_t utf8_prefix(const char *s, size_t len, size_t max_chars, size_t *chars)
{
    size_t i = 0, n = 0;
    while (i < len && n < max_chars) {
        i++;
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    *chars = n;
    return i;
}

/*
 * The smallest string that is greater than every string starting with s[0..len): the prefix
 * with its last incrementable character incremented and the rest dropped. UTF-8 byte order is
 * code point order, which is how Delta readers compare strings. Returns the length, 0 when no
 * such string exists (every character is U+10FFFF).
 */
static size_t utf8_upper_bound(const char *s, size_t len, char *out)
{
    memcpy(out, s, len);
    while (len > 0) {
        size_t start = len - 1;
        while (start > 0 && ((unsigned char)out[start] & 0xC0) == 0x80)
            start--;
        const unsigned char *p = (const unsigned char *)out + start;
        size_t n = len - start;
        uint32_t cp = n == 1   ? p[0]
                      : n == 2 ? ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu)
                      : n == 3 ? ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu)
                               : ((p[0] & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) |
                                     ((p[2] & 0x3Fu) << 6) | (p[3] & 0x3Fu);
        len = start;
        if (cp >= 0x10FFFF)
            continue;
        cp = cp + 1 == 0xD800 ? 0xE000 : cp + 1;
        unsigned char *q = (unsigned char *)out + start;
        if (cp < 0x80) {
            q[0] = (unsigned char)cp;
            return start + 1;
        }
        if (cp < 0x800) {
            q[0] = (unsigned char)(0xC0 | (cp >> 6));
            q[1] = (unsigned char)(0x80 | (cp & 0x3F));
            return start + 2;
        }
        if (cp < 0x10000) {
            q[0] = (unsigned char)(0xE0 | (cp >> 12));
            q[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
            q[2] = (unsigned char)(0x80 | (cp & 0x3F));
            return start + 3;
        }
        q[0] = (unsigned char)(0xF0 | (cp >> 18));
        q[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        q[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        q[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return start + 4;
    }
    return 0;
}

/* Writes "name":value for one bound; *wrote stays false when the value has no JSON bound. */
static int write_bound(mdl_buf *out, bool first, const char *name, const mdl_column *col,
                       size_t row, bool is_max, bool *wrote, mdl_error *err)
{
    char buf[4 * MDL_DELTA_STATS_STRING_PREFIX + 64];
    const char *text = NULL; /* a JSON number, or NULL for a string in sbuf */
    const char *str = NULL;
    size_t slen = 0;
    *wrote = false;
    if (mdl_column_is_null(col, row))
        return MDL_OK;
    switch (col->type.id) {
    case MDL_TYPE_BOOLEAN:
        return MDL_OK;
    case MDL_TYPE_INT32:
        snprintf(buf, sizeof(buf), "%" PRId32, mdl_column_i32(col, row));
        text = buf;
        break;
    case MDL_TYPE_INT64:
        snprintf(buf, sizeof(buf), "%" PRId64, mdl_column_i64(col, row));
        text = buf;
        break;
    case MDL_TYPE_DOUBLE:
        if (!isfinite(mdl_column_f64(col, row)))
            return MDL_OK;
        mdl_table__format_double(mdl_column_f64(col, row), buf, sizeof(buf));
        text = buf;
        break;
    case MDL_TYPE_DECIMAL:
        mdl_decimal_format(mdl_column_decimal(col, row), col->type.scale, buf, sizeof(buf));
        text = buf;
        break;
    case MDL_TYPE_DATE:
        slen = mdl_date_format(mdl_column_i32(col, row), buf, sizeof(buf));
        str = buf;
        break;
    case MDL_TYPE_TIMESTAMP: {
        int64_t us = mdl_column_i64(col, row);
        int64_t ms = us / 1000 - (us % 1000 < 0 ? 1 : 0); /* floor */
        if (is_max && us % 1000 != 0) {
            if (ms == INT64_MAX / 1000)
                return MDL_OK;
            ms++; /* ceiling, so the bound still covers the microseconds */
        }
        format_ts_millis(ms, buf, sizeof(buf));
        str = buf;
        slen = strlen(buf);
        break;
    }
    case MDL_TYPE_STRING: {
        mdl_strview v = mdl_column_str(col, row);
        size_t chars;
        size_t cut = utf8_prefix(v.ptr, v.len, MDL_DELTA_STATS_STRING_PREFIX, &chars);
        str = v.ptr;
        slen = cut;
        if (is_max && cut < v.len) {
            slen = utf8_upper_bound(v.ptr, cut, buf);
            if (slen == 0)
                return MDL_OK;
            str = buf;
        }
        break;
    }
    }
    int rc = mdl_buf_append_str(out, first ? "" : ",", err);
    if (rc == MDL_OK)
        rc = mdl_table__json_string(out, name, strlen(name), err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, ":", 1, err);
    if (rc == MDL_OK)
        rc =
            text ? mdl_buf_append_str(out, text, err) : mdl_table__json_string(out, str, slen, err);
    *wrote = rc == MDL_OK;
    return rc;
}

int mdl_table__stats_build(mdl_ctx *ctx, int64_t num_records, const mdl_delta_col_stats *cols,
                           size_t n, char **out, mdl_error *err)
{
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    int rc = mdl_buf_printf(&b, err, "{\"numRecords\":%" PRId64, num_records);
    for (int pass = 0; rc == MDL_OK && pass < 3; pass++) {
        static const char *const KEYS[] = {",\"minValues\":{", ",\"maxValues\":{",
                                           ",\"nullCount\":{"};
        bool first = true;
        rc = mdl_buf_append_str(&b, KEYS[pass], err);
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            const mdl_delta_col_stats *c = &cols[i];
            bool wrote = false;
            if (pass == 0 && c->min != NULL)
                rc = write_bound(&b, first, c->name, c->min, c->min_row, false, &wrote, err);
            else if (pass == 1 && c->max != NULL)
                rc = write_bound(&b, first, c->name, c->max, c->max_row, true, &wrote, err);
            else if (pass == 2 && c->null_count >= 0) {
                rc = mdl_buf_append_str(&b, first ? "" : ",", err);
                if (rc == MDL_OK)
                    rc = mdl_table__json_string(&b, c->name, strlen(c->name), err);
                if (rc == MDL_OK)
                    rc = mdl_buf_printf(&b, err, ":%" PRId64, c->null_count);
                wrote = true;
            }
            if (wrote)
                first = false;
        }
        if (rc == MDL_OK)
            rc = mdl_buf_append(&b, "}", 1, err);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_append(&b, "}", 1, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&b, err);
    if (rc == MDL_OK) {
        *out = b.data;
        b.data = NULL;
    }
    mdl_buf_reset(&b);
    return rc;
}

/* ---- reading ------------------------------------------------------------------------------ */

/*
 * Appends the bound `v` for column `col`, or null when v does not fit the column's type:
 * stats are hints written by many engines, so a value we cannot use means "unknown", never
 * a failed read.
 */
static int append_bound(mdl_ctx *ctx, mdl_column *col, struct json_object *v, bool is_max,
                        mdl_error *err)
{
    enum json_type jt = v ? json_object_get_type(v) : json_type_null;
    int64_t i64;
    int32_t i32;
    double d;
    switch (col->type.id) {
    case MDL_TYPE_INT32:
        if (jt != json_type_int)
            break;
        i64 = json_object_get_int64(v);
        if (i64 < INT32_MIN || i64 > INT32_MAX)
            break;
        i32 = (int32_t)i64;
        return mdl_column_append_value(ctx, col, &i32, err);
    case MDL_TYPE_INT64:
        if (jt != json_type_int || (json_object_get_int64(v) == INT64_MAX &&
                                    json_object_get_uint64(v) > (uint64_t)INT64_MAX))
            break;
        i64 = json_object_get_int64(v);
        return mdl_column_append_value(ctx, col, &i64, err);
    case MDL_TYPE_DOUBLE:
        if (jt != json_type_int && jt != json_type_double)
            break;
        d = json_object_get_double(v);
        return mdl_column_append_value(ctx, col, &d, err);
    case MDL_TYPE_DECIMAL: {
        /* json-c keeps a number's source text, so decimals need not pass through a double. */
        if (jt != json_type_int && jt != json_type_double && jt != json_type_string)
            break;
        const char *t = json_object_get_string(v);
        mdl_i128 x;
        if (mdl_decimal_parse(t, strlen(t), col->type.precision, col->type.scale, &x) != MDL_OK)
            break;
        if (col->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
            i64 = (int64_t)x;
            return mdl_column_append_value(ctx, col, &i64, err);
        }
        return mdl_column_append_value(ctx, col, &x, err);
    }
    case MDL_TYPE_STRING:
        if (jt != json_type_string)
            break;
        return mdl_column_append_string(ctx, col, json_object_get_string(v),
                                        (size_t)json_object_get_string_len(v), err);
    case MDL_TYPE_DATE:
        if (jt != json_type_string ||
            mdl_date_parse(json_object_get_string(v), (size_t)json_object_get_string_len(v),
                           &i32) != MDL_OK)
            break;
        return mdl_column_append_value(ctx, col, &i32, err);
    case MDL_TYPE_TIMESTAMP:
        if (jt != json_type_string ||
            mdl_timestamp_parse(json_object_get_string(v), (size_t)json_object_get_string_len(v),
                                &i64) != MDL_OK)
            break;
        /* Other writers truncate the maximum down to milliseconds: widen it back. */
        if (is_max && i64 % 1000 == 0 && i64 <= INT64_MAX - 999)
            i64 += 999;
        return mdl_column_append_value(ctx, col, &i64, err);
    case MDL_TYPE_BOOLEAN:
        if (jt != json_type_boolean)
            break;
        {
            uint8_t b = json_object_get_boolean(v) ? 1 : 0;
            return mdl_column_append_value(ctx, col, &b, err);
        }
    }
    return mdl_column_append_null(ctx, col, err);
}

static int read_bounds(mdl_ctx *ctx, mdl_schema *schema, struct json_object *root, const char *key,
                       bool is_max, mdl_batch **out, mdl_error *err)
{
    struct json_object *obj = NULL;
    json_object_object_get_ex(root, key, &obj);
    if (obj != NULL && !json_object_is_type(obj, json_type_object))
        obj = NULL;
    int rc = mdl_batch_new(ctx, schema, 1, out, err);
    for (size_t i = 0; rc == MDL_OK && i < schema->num_fields; i++) {
        struct json_object *v = NULL;
        if (obj != NULL)
            json_object_object_get_ex(obj, schema->fields[i].name, &v);
        rc = append_bound(ctx, mdl_batch_column(*out, i), v, is_max, err);
    }
    if (rc == MDL_OK)
        (*out)->num_rows = 1;
    return rc;
}

int mdl_table__stats_parse(mdl_ctx *ctx, mdl_schema *schema, const char *json, size_t len,
                           mdl_delta_stats *out, mdl_error *err)
{
    memset(out, 0, sizeof(*out));
    out->num_records = -1;
    int rc = MDL_OK;
    struct json_object *root = NULL;
    size_t depth = ctx->limits.max_json_depth;
    if (len > INT_MAX - 1 || len > ctx->limits.max_record_bytes)
        return mdl_error_set(err, MDL_ERR_LIMIT, "stats are %zu bytes, over the limit", len);
    struct json_tokener *tok = json_tokener_new_ex(depth > INT_MAX ? INT_MAX : (int)depth);
    if (tok == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a JSON parser");
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    root = json_tokener_parse_ex(tok, json, (int)len);
    if (root == NULL && json_tokener_get_error(tok) == json_tokener_continue)
        root = json_tokener_parse_ex(tok, "", 1);
    if (root == NULL || json_tokener_get_error(tok) != json_tokener_success ||
        json_tokener_get_parse_end(tok) < len || !json_object_is_type(root, json_type_object)) {
        rc = mdl_error_set(err, MDL_ERR_PARSE, "stats are not a JSON object");
        goto cleanup;
    }
    struct json_object *v = NULL;
    if (json_object_object_get_ex(root, "numRecords", &v) && json_object_is_type(v, json_type_int))
        out->num_records = json_object_get_int64(v);
    out->num_fields = schema->num_fields;
    if (schema->num_fields > 0 &&
        (out->null_count = mdl_calloc(ctx, schema->num_fields, sizeof(int64_t))) == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading stats");
        goto cleanup;
    }
    struct json_object *nc = NULL;
    json_object_object_get_ex(root, "nullCount", &nc);
    for (size_t i = 0; i < schema->num_fields; i++) {
        struct json_object *c = NULL;
        out->null_count[i] = -1;
        if (nc != NULL && json_object_is_type(nc, json_type_object) &&
            json_object_object_get_ex(nc, schema->fields[i].name, &c) &&
            json_object_is_type(c, json_type_int) && json_object_get_int64(c) >= 0)
            out->null_count[i] = json_object_get_int64(c);
    }
    if ((rc = read_bounds(ctx, schema, root, "minValues", false, &out->min_values, err)) !=
            MDL_OK ||
        (rc = read_bounds(ctx, schema, root, "maxValues", true, &out->max_values, err)) != MDL_OK)
        goto cleanup;
cleanup:
    if (rc != MDL_OK)
        mdl_table__stats_reset(ctx, out);
    json_object_put(root);
    json_tokener_free(tok);
    return rc;
}

void mdl_table__stats_reset(mdl_ctx *ctx, mdl_delta_stats *stats)
{
    if (stats == NULL)
        return;
    mdl_batch_free(stats->min_values);
    mdl_batch_free(stats->max_values);
    mdl_free(ctx, stats->null_count);
    memset(stats, 0, sizeof(*stats));
    stats->num_records = -1;
}
