/*
 * parquet_plain.c - the Parquet PLAIN and BYTE_STREAM_SPLIT encodings and INT96 timestamps
 * (apache/parquet-format Encodings.md, "Plain" and "Byte Stream Split"). Values are copied
 * with memcpy (a straight copy on little-endian hosts, byte-swapped on big-endian ones).
 *
 *   PLAIN BOOLEAN     bit i of byte i / 8, LSB first; ceil(n / 8) bytes
 *   PLAIN INT32 ...   4 / 8 bytes little-endian per value; INT96 12 bytes (see the header)
 *   PLAIN BYTE_ARRAY  per value: uint32 LE length (at most 2^31 - 1), then the bytes
 *   BYTE_STREAM_SPLIT byte k of value i at k * n + i: AA BB CC DD | 00 11 22 33 becomes
 *                     AA 00 | BB 11 | CC 22 | DD 33
 */
#include <string.h>

#include "parquet_encoding.h"

/* ---- PLAIN -------------------------------------------------------------------------------- */

/*
 * Appends room for n * width bytes and sets *p to its start, or to NULL when that is no bytes
 * (an empty buffer has no data pointer, and NULL + 0 is undefined).
 */
static int plain_room(mdl_buf *out, size_t n, size_t width, uint8_t **p, mdl_error *err)
{
    size_t bytes;
    *p = NULL;
    if (!mdl_size_mul(n, width, &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "PLAIN: %zu values of %zu bytes overflow", n,
                             width);
    if (bytes == 0)
        return MDL_OK;
    int rc = mdl_buf_reserve(out, bytes, err);
    if (rc != MDL_OK)
        return rc;
    *p = (uint8_t *)out->data + out->len;
    out->len += bytes;
    return MDL_OK;
}

int mdl_format__pq_plain_encode_bool(const uint8_t *values, size_t n, mdl_buf *out, mdl_error *err)
{
    uint8_t *p;
    int rc = plain_room(out, n / 8 + (n % 8 != 0), 1, &p, err);
    if (rc != MDL_OK || p == NULL)
        return rc;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        unsigned b = 0;
        for (unsigned j = 0; j < 8; j++)
            b |= (unsigned)(values[i + j] != 0) << j;
        *p++ = (uint8_t)b;
    }
    if (i < n) {
        unsigned b = 0;
        for (unsigned j = 0; i + j < n; j++)
            b |= (unsigned)(values[i + j] != 0) << j;
        *p = (uint8_t)b;
    }
    return MDL_OK;
}

/* Appends n values of `width` bytes in little-endian order (a copy on little-endian hosts). */
static int plain_encode_le(const void *values, size_t n, size_t width, mdl_buf *out, mdl_error *err)
{
    uint8_t *p;
    int rc = plain_room(out, n, width, &p, err);
    if (rc != MDL_OK || p == NULL)
        return rc;
#if MDL_PQ_BIG_ENDIAN
    const uint8_t *s = values;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < width; b++)
            p[i * width + b] = s[i * width + width - 1 - b];
#else
    memcpy(p, values, n * width);
#endif
    return MDL_OK;
}

int mdl_format__pq_plain_encode_i32(const int32_t *values, size_t n, mdl_buf *out, mdl_error *err)
{
    return plain_encode_le(values, n, 4, out, err);
}

int mdl_format__pq_plain_encode_i64(const int64_t *values, size_t n, mdl_buf *out, mdl_error *err)
{
    return plain_encode_le(values, n, 8, out, err);
}

int mdl_format__pq_plain_encode_double(const double *values, size_t n, mdl_buf *out, mdl_error *err)
{
    return plain_encode_le(values, n, 8, out, err);
}

int mdl_format__pq_plain_encode_bytes(const int64_t *offsets, const char *data, size_t n,
                                      mdl_buf *out, mdl_error *err)
{
    if (n == 0)
        return MDL_OK;
    if (offsets[0] < 0 || offsets[n] < offsets[0])
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "PLAIN BYTE_ARRAY: bad offsets %lld..%lld",
                             (long long)offsets[0], (long long)offsets[n]);
    size_t total, room;
    if (!mdl_size_mul(n, 4, &room) ||
        !mdl_size_add(room, (size_t)(offsets[n] - offsets[0]), &total))
        return mdl_error_set(err, MDL_ERR_LIMIT, "PLAIN BYTE_ARRAY: output size overflows");
    size_t start_len = out->len;
    int rc = mdl_buf_reserve(out, total, err);
    if (rc != MDL_OK)
        return rc;
    uint8_t *p = (uint8_t *)out->data + out->len;
    for (size_t i = 0; i < n; i++) {
        int64_t a = offsets[i], b = offsets[i + 1];
        if (b < a || b > offsets[n]) {
            rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                               "PLAIN BYTE_ARRAY: offsets of value %zu go from %lld to %lld", i,
                               (long long)a, (long long)b);
            goto cleanup;
        }
        if (b - a > INT32_MAX) {
            rc = mdl_error_set(err, MDL_ERR_RANGE,
                               "PLAIN BYTE_ARRAY: value %zu has %lld bytes, more than 2^31 - 1", i,
                               (long long)(b - a));
            goto cleanup;
        }
        size_t vlen = (size_t)(b - a);
        mdl_format__pq_store_le32(p, (uint32_t)vlen);
        if (vlen)
            memcpy(p + 4, data + a, vlen);
        p += 4 + vlen;
    }
    out->len = (size_t)(p - (uint8_t *)out->data);
cleanup:
    if (rc != MDL_OK)
        out->len = start_len;
    return rc;
}

int mdl_format__pq_plain_encode_fixed(const void *values, size_t n, size_t width, mdl_buf *out,
                                      mdl_error *err)
{
    uint8_t *p;
    int rc = plain_room(out, n, width, &p, err);
    if (rc != MDL_OK || p == NULL)
        return rc;
    memcpy(p, values, n * width);
    return MDL_OK;
}

/* Checks that n values of `width` bytes fit in len and sets *need to their size. */
static int plain_need(const char *what, size_t len, size_t n, size_t width, size_t *need,
                      mdl_error *err)
{
    if (!mdl_size_mul(n, width, need) || *need > len)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "PLAIN %s: %zu values of %zu bytes do not fit in %zu bytes", what, n,
                             width, len);
    return MDL_OK;
}

int mdl_format__pq_plain_decode_bool(const uint8_t *data, size_t len, size_t n, void *out,
                                     size_t *consumed, mdl_error *err)
{
    size_t need = n / 8 + (n % 8 != 0);
    if (need > len)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "PLAIN BOOLEAN: %zu values need %zu bytes but only %zu remain", n,
                             need, len);
    uint8_t *o = out;
    for (size_t i = 0; i < n; i++)
        o[i] = (uint8_t)((data[i / 8] >> (i % 8)) & 1);
    *consumed = need;
    return MDL_OK;
}

/* Copies n little-endian values of `width` bytes to host order. */
static int plain_decode_le(const char *what, const uint8_t *data, size_t len, size_t n,
                           size_t width, void *out, size_t *consumed, mdl_error *err)
{
    size_t need = 0;
    int rc = plain_need(what, len, n, width, &need, err);
    if (rc != MDL_OK)
        return rc;
    if (need == 0) {
        *consumed = 0;
        return MDL_OK;
    }
#if MDL_PQ_BIG_ENDIAN
    uint8_t *o = out;
    for (size_t i = 0; i < n; i++)
        for (size_t b = 0; b < width; b++)
            o[i * width + b] = data[i * width + width - 1 - b];
#else
    memcpy(out, data, need);
#endif
    *consumed = need;
    return MDL_OK;
}

int mdl_format__pq_plain_decode_i32(const uint8_t *data, size_t len, size_t n, void *out,
                                    size_t *consumed, mdl_error *err)
{
    return plain_decode_le("INT32", data, len, n, 4, out, consumed, err);
}

int mdl_format__pq_plain_decode_i64(const uint8_t *data, size_t len, size_t n, void *out,
                                    size_t *consumed, mdl_error *err)
{
    return plain_decode_le("INT64", data, len, n, 8, out, consumed, err);
}

int mdl_format__pq_plain_decode_float(const uint8_t *data, size_t len, size_t n, void *out,
                                      size_t *consumed, mdl_error *err)
{
    return plain_decode_le("FLOAT", data, len, n, 4, out, consumed, err);
}

int mdl_format__pq_plain_decode_double(const uint8_t *data, size_t len, size_t n, void *out,
                                       size_t *consumed, mdl_error *err)
{
    return plain_decode_le("DOUBLE", data, len, n, 8, out, consumed, err);
}

int mdl_format__pq_plain_decode_fixed(const uint8_t *data, size_t len, size_t n, size_t width,
                                      void *out, size_t *consumed, mdl_error *err)
{
    if (width == 0)
        return mdl_error_set(err, MDL_ERR_PARSE, "PLAIN FIXED_LEN_BYTE_ARRAY: type length 0");
    size_t need = 0;
    int rc = plain_need("FIXED_LEN_BYTE_ARRAY", len, n, width, &need, err);
    if (rc != MDL_OK)
        return rc;
    if (need)
        memcpy(out, data, need);
    *consumed = need;
    return MDL_OK;
}

#define PQ_JULIAN_EPOCH_DAY 2440588
#define PQ_MICROS_PER_DAY   INT64_C(86400000000)

int64_t mdl_format__pq_int96_to_micros(const uint8_t b[12])
{
    int64_t nanos = mdl_format__pq_i64_bits(mdl_format__pq_load_le64(b));
    int64_t days =
        (int64_t)mdl_format__pq_i32_bits(mdl_format__pq_load_le32(b + 8)) - PQ_JULIAN_EPOCH_DAY;
    uint64_t r = (uint64_t)days * (uint64_t)PQ_MICROS_PER_DAY + (uint64_t)(nanos / 1000);
    return mdl_format__pq_i64_bits(r);
}

int mdl_format__pq_plain_decode_i96(const uint8_t *data, size_t len, size_t n, void *out,
                                    size_t *consumed, mdl_error *err)
{
    size_t need = 0;
    int rc = plain_need("INT96", len, n, 12, &need, err);
    if (rc != MDL_OK)
        return rc;
    int64_t *o = out;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *b = data + 12 * i;
        int64_t nanos = mdl_format__pq_i64_bits(mdl_format__pq_load_le64(b));
        int32_t julian = mdl_format__pq_i32_bits(mdl_format__pq_load_le32(b + 8));
        int64_t day_micros, micros;
        if (__builtin_mul_overflow((int64_t)julian - PQ_JULIAN_EPOCH_DAY, PQ_MICROS_PER_DAY,
                                   &day_micros) ||
            __builtin_add_overflow(day_micros, nanos / 1000, &micros))
            return mdl_error_set(err, MDL_ERR_RANGE,
                                 "PLAIN INT96: value %zu (Julian day %ld, %lld ns) is outside the "
                                 "timestamp range",
                                 i, (long)julian, (long long)nanos);
        o[i] = micros;
    }
    *consumed = need;
    return MDL_OK;
}

int mdl_format__pq_plain_decode_bytes(const uint8_t *data, size_t len, size_t n, mdl_strview *out,
                                      size_t *consumed, mdl_error *err)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        if (len - pos < 4)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "PLAIN BYTE_ARRAY: value %zu of %zu: data ends at byte %zu "
                                 "before its length",
                                 i, n, pos);
        uint32_t vlen = mdl_format__pq_load_le32(data + pos);
        if (vlen > INT32_MAX)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "PLAIN BYTE_ARRAY: value %zu at byte %zu has negative length %ld",
                                 i, pos, (long)mdl_format__pq_i32_bits(vlen));
        pos += 4;
        if (vlen > len - pos)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "PLAIN BYTE_ARRAY: value %zu at byte %zu has length %lu but only "
                                 "%zu bytes remain",
                                 i, pos - 4, (unsigned long)vlen, len - pos);
        out[i] = mdl_sv_make((const char *)data + pos, vlen);
        pos += vlen;
    }
    *consumed = pos;
    return MDL_OK;
}

/* ---- BYTE_STREAM_SPLIT -------------------------------------------------------------------- */

int mdl_format__pq_bss_decode(const uint8_t *data, size_t len, size_t n, size_t width, void *out,
                              mdl_error *err)
{
    size_t need = 0;
    if (width == 0)
        return mdl_error_set(err, MDL_ERR_PARSE, "BYTE_STREAM_SPLIT: value width 0");
    if (!mdl_size_mul(n, width, &need) || need > len)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "BYTE_STREAM_SPLIT: %zu values of %zu bytes do not fit in %zu bytes",
                             n, width, len);
    if (need != len)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "BYTE_STREAM_SPLIT: %zu values of %zu bytes take %zu bytes, but the "
                             "data has %zu",
                             n, width, need, len);
    if (n == 0)
        return MDL_OK; /* data may be NULL */
    uint8_t *o = out;
    /* Constant widths let the compiler keep the stream pointers in registers. */
    if (width == 4) {
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < 4; k++)
                o[i * 4 + k] = data[k * n + i];
    } else if (width == 8) {
        for (size_t i = 0; i < n; i++)
            for (size_t k = 0; k < 8; k++)
                o[i * 8 + k] = data[k * n + i];
    } else {
        for (size_t k = 0; k < width; k++) {
            const uint8_t *s = data + k * n;
            for (size_t i = 0; i < n; i++)
                o[i * width + k] = s[i];
        }
    }
    return MDL_OK;
}

int mdl_format__pq_bss_encode(const void *values, size_t n, size_t width, mdl_buf *out,
                              mdl_error *err)
{
    if (width == 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "BYTE_STREAM_SPLIT: value width 0");
    uint8_t *p;
    int rc = plain_room(out, n, width, &p, err);
    if (rc != MDL_OK || p == NULL)
        return rc;
    const uint8_t *s = values;
    for (size_t k = 0; k < width; k++)
        for (size_t i = 0; i < n; i++)
            p[k * n + i] = s[i * width + k];
    return MDL_OK;
}
