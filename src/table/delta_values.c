/*
 * delta_values.c - the text forms values take in a Delta log: partition value strings,
 * Hive-style partition folder names, add.path URIs and the add.stats JSON.
 *
 * Sources (delta-io/delta PROTOCOL.md unless noted):
 * - "Partition Value Serialization": every value is a string, "" (and null) mean null; dates
 *   YYYY-MM-DD; timestamps either "YYYY-MM-DD HH:MM:SS[.ffffff]" in the writer's zone or,
 *   recommended, ISO-8601 adjusted to UTC. We write the ISO form, since a zone-less string
 *   means a different instant for every reader in another zone; we read both (a zone-less
 *   value is taken as UTC, the only zone we can know).
 * - "Add File": add.path is an RFC 2396 URI to be decoded before use.
 * - Folder names follow Spark/Hive (ExternalCatalogUtils.escapePathName): ASCII 0x01-0x1F,
 *   0x7F and " # % ' * / : = ? \ { [ ] ^ become %XX (uppercase hex); everything else, UTF-8
 *   included, stays as is; null is __HIVE_DEFAULT_PARTITION__. Partition values are always
 *   read from the log, never from folder names; the folders only keep the layout familiar.
 * - "Per-file Statistics": numRecords, minValues, maxValues, nullCount mirroring the
 *   schema; strings may be cut to a prefix, timestamps are truncated to milliseconds.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "delta_actions.h"

/* ---- partition values --------------------------------------------------------------------- */

/* Shortest "%.Ng" text that reads back as the same double. */
void mdl_table__format_double(double v, char *buf, size_t cap)
{
    if (isnan(v)) {
        snprintf(buf, cap, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, cap, v > 0 ? "Infinity" : "-Infinity");
        return;
    }
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

int mdl_table__partition_value_format(mdl_ctx *ctx, const mdl_column *col, size_t row, char **out,
                                      mdl_error *err)
{
    char buf[64];
    *out = NULL;
    if (mdl_column_is_null(col, row))
        return MDL_OK;
    switch (col->type.id) {
    case MDL_TYPE_BOOLEAN:
        snprintf(buf, sizeof(buf), "%s", mdl_column_bool(col, row) ? "true" : "false");
        break;
    case MDL_TYPE_INT32:
        snprintf(buf, sizeof(buf), "%" PRId32, mdl_column_i32(col, row));
        break;
    case MDL_TYPE_INT64:
        snprintf(buf, sizeof(buf), "%" PRId64, mdl_column_i64(col, row));
        break;
    case MDL_TYPE_DOUBLE:
        mdl_table__format_double(mdl_column_f64(col, row), buf, sizeof(buf));
        break;
    case MDL_TYPE_DECIMAL:
        mdl_decimal_format(mdl_column_decimal(col, row), col->type.scale, buf, sizeof(buf));
        break;
    case MDL_TYPE_DATE:
        mdl_date_format(mdl_column_i32(col, row), buf, sizeof(buf));
        break;
    case MDL_TYPE_TIMESTAMP:
        mdl_timestamp_format(mdl_column_i64(col, row), buf, sizeof(buf));
        break;
    case MDL_TYPE_STRING: {
        mdl_strview v = mdl_column_str(col, row);
        /* "" would read back as null; the protocol has no way to say empty string. */
        if (v.len == 0)
            return MDL_OK;
        if ((*out = mdl_strndup(ctx, v.ptr, v.len)) == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory formatting a partition value");
        return MDL_OK;
    }
    default:
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown column type %d", (int)col->type.id);
    }
    if ((*out = mdl_strdup(ctx, buf)) == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory formatting a partition value");
    return MDL_OK;
}

static bool parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (*s == '\0' || *s == ' ' || *s == '+')
        return false;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

static bool parse_f64(const char *s, double *out)
{
    if (strcmp(s, "NaN") == 0)
        *out = NAN;
    else if (strcmp(s, "Infinity") == 0)
        *out = INFINITY;
    else if (strcmp(s, "-Infinity") == 0)
        *out = -INFINITY;
    else {
        if (*s == '\0' || *s == ' ')
            return false;
        char *end;
        errno = 0;
        *out = strtod(s, &end);
        /* strtod accepts "inf", "nan" and hex floats, which no Delta writer produces. */
        if (*end != '\0' || errno == ERANGE || !isfinite(*out))
            return false;
        for (const char *p = s; *p; p++)
            if (*p == 'x' || *p == 'X' || *p == 'n' || *p == 'N' || *p == 'i' || *p == 'I')
                return false;
    }
    return true;
}

/* Appends the value `text` means for `type`; false when the text does not fit the type. */
static bool append_text(mdl_ctx *ctx, mdl_column *col, const char *text, mdl_error *err, int *rc)
{
    size_t len = strlen(text);
    int64_t i64;
    double d;
    int32_t i32;
    uint8_t b;
    *rc = MDL_OK;
    switch (col->type.id) {
    case MDL_TYPE_BOOLEAN:
        if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
            return false;
        b = text[0] == 't';
        *rc = mdl_column_append_value(ctx, col, &b, err);
        return true;
    case MDL_TYPE_INT32:
        if (!parse_i64(text, INT32_MIN, INT32_MAX, &i64))
            return false;
        i32 = (int32_t)i64;
        *rc = mdl_column_append_value(ctx, col, &i32, err);
        return true;
    case MDL_TYPE_INT64:
        if (!parse_i64(text, INT64_MIN, INT64_MAX, &i64))
            return false;
        *rc = mdl_column_append_value(ctx, col, &i64, err);
        return true;
    case MDL_TYPE_DOUBLE:
        if (!parse_f64(text, &d))
            return false;
        *rc = mdl_column_append_value(ctx, col, &d, err);
        return true;
    case MDL_TYPE_DECIMAL: {
        mdl_i128 v;
        if (mdl_decimal_parse(text, len, col->type.precision, col->type.scale, &v) != MDL_OK)
            return false;
        if (col->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
            i64 = (int64_t)v;
            *rc = mdl_column_append_value(ctx, col, &i64, err);
        } else {
            *rc = mdl_column_append_value(ctx, col, &v, err);
        }
        return true;
    }
    case MDL_TYPE_DATE:
        if (mdl_date_parse(text, len, &i32) != MDL_OK)
            return false;
        *rc = mdl_column_append_value(ctx, col, &i32, err);
        return true;
    case MDL_TYPE_TIMESTAMP:
        if (mdl_timestamp_parse(text, len, &i64) != MDL_OK)
            return false;
        *rc = mdl_column_append_value(ctx, col, &i64, err);
        return true;
    case MDL_TYPE_STRING:
        *rc = mdl_column_append_string(ctx, col, text, len, err);
        return true;
    }
    return false;
}

int mdl_table__partition_value_parse(mdl_ctx *ctx, const char *column, const char *text,
                                     mdl_column *col, mdl_error *err)
{
    if (text == NULL || text[0] == '\0')
        return mdl_column_append_null(ctx, col, err);
    int rc;
    if (!append_text(ctx, col, text, err, &rc)) {
        char tn[32];
        mdl_type_format(col->type, tn, sizeof(tn));
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "partition column '%s': '%.200s' is not a valid %s value", column,
                             text, tn);
    }
    return rc;
}

/* ---- Hive folder names and URI paths ------------------------------------------------------ */

static const char HEX[] = "0123456789ABCDEF";

static bool hive_needs_escape(unsigned char c)
{
    return (c >= 0x01 && c <= 0x1F) || c == 0x7F || strchr("\"#%'*/:=?\\{[]^", c) != NULL;
}

int mdl_table__hive_escape(const char *s, mdl_buf *out, mdl_error *err)
{
    if (s == NULL)
        return mdl_buf_append_str(out, MDL_HIVE_DEFAULT_PARTITION, err);
    int rc = MDL_OK;
    for (const char *p = s; rc == MDL_OK && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (hive_needs_escape(c)) {
            char e[3] = {'%', HEX[c >> 4], HEX[c & 15]};
            rc = mdl_buf_append(out, e, 3, err);
        } else {
            rc = mdl_buf_append(out, p, 1, err);
        }
    }
    return rc;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mdl_table__hive_unescape(const char *s, size_t len, mdl_buf *out, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < len; i++) {
        /* Like Spark: a '%' not followed by two hex digits (or by %00) stays literal. */
        if (s[i] == '%' && i + 2 < len && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            char c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            if (c != '\0') {
                rc = mdl_buf_append(out, &c, 1, err);
                i += 2;
                continue;
            }
        }
        rc = mdl_buf_append(out, s + i, 1, err);
    }
    return rc;
}

int mdl_table__hive_dir(const char *column, const char *value, mdl_buf *out, mdl_error *err)
{
    int rc = mdl_table__hive_escape(column, out, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "=", 1, err);
    if (rc == MDL_OK)
        rc = mdl_table__hive_escape(value != NULL && value[0] != '\0' ? value : NULL, out, err);
    return rc;
}

/*
 * Bytes that stay as they are in a written path: RFC 2396 "unreserved" plus '/' and '='
 * (Hive folder names). Everything else, ':' ';' '+' '%' and all non-ASCII bytes included,
 * is percent-encoded, which every RFC 2396/3986 decoder reads back the same way.
 */
static bool uri_keep(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           strchr("-_.!~*'()/=", c) != NULL;
}

int mdl_table__path_encode(const char *path, size_t len, mdl_buf *out, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < len; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c != '\0' && uri_keep(c)) {
            rc = mdl_buf_append(out, path + i, 1, err);
        } else {
            char e[3] = {'%', HEX[c >> 4], HEX[c & 15]};
            rc = mdl_buf_append(out, e, 3, err);
        }
    }
    return rc;
}

int mdl_table__path_decode(const char *uri, size_t len, mdl_buf *out, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < len; i++) {
        if (uri[i] != '%') {
            rc = mdl_buf_append(out, uri + i, 1, err);
            continue;
        }
        int hi = i + 2 < len ? hexval(uri[i + 1]) : -1;
        int lo = i + 2 < len ? hexval(uri[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
            return mdl_error_set(err, MDL_ERR_PARSE, "bad percent-escape at byte %zu of '%.*s'",
                                 i + 1, (int)(len > 200 ? 200 : len), uri);
        char c = (char)(hi * 16 + lo);
        rc = mdl_buf_append(out, &c, 1, err);
        i += 2;
    }
    return rc;
}
