/*
 * parquet_delta.c - the Parquet DELTA_* encodings (apache/parquet-format Encodings.md, "Delta
 * Encoding", "Delta-length byte array", "Delta Strings"): decoders for all three, and a
 * DELTA_BINARY_PACKED encoder.
 *
 *   DELTA_BINARY_PACKED   <block size> <miniblocks per block> <total count> <first value>
 *                         then blocks: <min delta> <one bit-width byte per miniblock>
 *                         <miniblocks: (block size / miniblocks) values bit-packed LSB first>
 *       sizes and counts are ULEB128 varints, the first value and min deltas zigzag ULEB128.
 *       Each value is the previous one plus min delta plus its packed number, all modulo
 *       2^64 (the spec asks for two's-complement wrap-around, so the arithmetic is unsigned).
 *       The last miniblock read is padded to full size; miniblocks after it have no body
 *       whatever their width byte says.
 *   DELTA_LENGTH_BYTE_ARRAY   DELTA_BINARY_PACKED lengths, then the values' bytes back to back
 *   DELTA_BYTE_ARRAY          DELTA_BINARY_PACKED prefix lengths, then DELTA_LENGTH_BYTE_ARRAY
 *                             suffixes; value i = first prefix[i] bytes of value i-1 + suffix[i]
 *
 * Spec example ("axis", "axle", "babble", "babyhood"): prefix lengths 0 2 0 3, suffix lengths
 * 4 2 6 5, suffix bytes "axislebabbleyhood".
 */
#include <string.h>

#include "parquet_encoding.h"

/* The encoder's layout: what parquet-java and Arrow write. */
#define PQ_DELTA_BLOCK      128
#define PQ_DELTA_MINIBLOCKS 4
#define PQ_DELTA_MINI       (PQ_DELTA_BLOCK / PQ_DELTA_MINIBLOCKS)

/* Zigzag: 0, -1, 1, -2, ... <-> 0, 1, 2, 3, ...; done on the bits, so no signed overflow. */
static inline uint64_t zigzag_decode(uint64_t u)
{
    return (u >> 1) ^ (0 - (u & 1));
}

static inline uint64_t zigzag_encode(uint64_t bits)
{
    return (bits << 1) ^ (0 - (bits >> 63));
}

/* ---- bit packing of 32 values of width 0..64 --------------------------------------------- */

/*
 * Unpacks 32 values of width w from the 4 * w bytes at in. Value j starts at bit j * w; one
 * 8-byte load covers it unless it starts late in a byte and is wider than 57 bits, when a 9th
 * byte supplies its top bits. Reads go to a zero-padded copy unless `avail` (bytes readable
 * at in) leaves 8 bytes of slack.
 */
static void unpack32(const uint8_t *in, size_t avail, int w, uint64_t out[32])
{
    if (w == 0) {
        memset(out, 0, 32 * sizeof *out);
        return;
    }
    size_t bytes = 4 * (size_t)w;
    uint8_t tmp[4 * 64 + 16];
    if (avail < bytes + 8) {
        memcpy(tmp, in, bytes);
        memset(tmp + bytes, 0, 16);
        in = tmp;
    }
    const uint64_t mask = w == 64 ? UINT64_MAX : ((uint64_t)1 << w) - 1;
    for (int j = 0; j < 32; j++) {
        size_t bit = (size_t)j * (size_t)w;
        const uint8_t *p = in + bit / 8;
        unsigned s = (unsigned)(bit % 8);
        uint64_t v = mdl_format__pq_load_le64(p) >> s;
        if (s + (unsigned)w > 64)
            v |= (uint64_t)p[8] << (64 - s);
        out[j] = v & mask;
    }
}

/* Packs 32 values (each < 2^w) into exactly 4 * w bytes at out. */
static void pack32(const uint64_t in[32], int w, uint8_t *out)
{
    if (w == 0)
        return;
    uint64_t acc = 0;
    unsigned bits = 0; /* < 64 between values */
    for (int j = 0; j < 32; j++) {
        uint64_t v = in[j];
        unsigned room = 64 - bits;
        acc |= v << bits;
        if ((unsigned)w < room) {
            bits += (unsigned)w;
        } else {
            mdl_format__pq_store_le64(out, acc);
            out += 8;
            /* room >= 1 here; room == 64 only when w == 64, whose value then fits exactly. */
            acc = room == 64 ? 0 : v >> room;
            bits = (unsigned)w - room;
        }
    }
    for (; bits > 0; bits -= 8) {
        *out++ = (uint8_t)acc;
        acc >>= 8;
    }
}

/* ---- DELTA_BINARY_PACKED decoder ---------------------------------------------------------- */

/* Reads one header or block varint, naming it in the error. `base` offsets byte positions. */
static int read_varint(const char *what, const char *field, const uint8_t *data, size_t len,
                       size_t *pos, size_t base, uint64_t *out, mdl_error *err)
{
    size_t at = *pos;
    if (!mdl_format__pq_read_uleb128(data, len, pos, out))
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: %s at byte %zu: varint %s", what, field,
                             base + at,
                             at >= len                                         ? "missing"
                             : mdl_format__pq_uleb128_truncated(data, len, at) ? "truncated"
                                                                               : "over 64 bits");
    return MDL_OK;
}

/*
 * The decoder behind every DELTA_BINARY_PACKED stream. Values go to out64 (as int64, or as
 * the INT32 result sign-extended when is32) or to out32; `what` prefixes messages and `base`
 * is the stream's offset in the page, so messages give page byte positions.
 */
static int dbp_decode(const char *what, const uint8_t *data, size_t len, size_t base, size_t n,
                      bool is32, int64_t *out64, int32_t *out32, size_t *consumed, mdl_error *err)
{
    if (n == 0 && len == 0) {
        *consumed = 0;
        return MDL_OK;
    }
    size_t pos = 0;
    uint64_t block, minis, total, first;
    int rc;
    if ((rc = read_varint(what, "block size", data, len, &pos, base, &block, err)) != MDL_OK ||
        (rc = read_varint(what, "miniblock count", data, len, &pos, base, &minis, err)) != MDL_OK ||
        (rc = read_varint(what, "value count", data, len, &pos, base, &total, err)) != MDL_OK ||
        (rc = read_varint(what, "first value", data, len, &pos, base, &first, err)) != MDL_OK)
        return rc;
    if (block == 0 || block % 128 != 0 || block > UINT32_MAX)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: block size %llu is not a positive multiple of 128 below 2^32",
                             what, (unsigned long long)block);
    if (minis == 0 || block % minis != 0 || (block / minis) % 32 != 0)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: %llu miniblocks do not split a block of %llu values into "
                             "multiples of 32",
                             what, (unsigned long long)minis, (unsigned long long)block);
    if (total != n)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: the header holds %llu values, expected %zu",
                             what, (unsigned long long)total, n);
    uint64_t last = zigzag_decode(first);
    if (is32 &&
        (mdl_format__pq_i64_bits(last) < INT32_MIN || mdl_format__pq_i64_bits(last) > INT32_MAX))
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: first value %lld does not fit an INT32", what,
                             (long long)mdl_format__pq_i64_bits(last));
    const uint64_t per_mini = block / minis;
    size_t got = 0;
#define PQ_EMIT(v)                                                                                 \
    do {                                                                                           \
        if (out32 != NULL)                                                                         \
            out32[got] = mdl_format__pq_i32_bits((uint32_t)(v));                                   \
        else                                                                                       \
            out64[got] = is32 ? (int64_t)mdl_format__pq_i32_bits((uint32_t)(v))                    \
                              : mdl_format__pq_i64_bits(v);                                        \
        got++;                                                                                     \
    } while (0)
    if (n > 0)
        PQ_EMIT(last);
    while (got < n) {
        size_t block_at = pos;
        uint64_t min_delta;
        rc = read_varint(what, "min delta", data, len, &pos, base, &min_delta, err);
        if (rc != MDL_OK)
            return rc;
        min_delta = zigzag_decode(min_delta);
        if (len - pos < minis)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "%s: block at byte %zu needs %llu bit widths but only %zu bytes "
                                 "remain",
                                 what, base + block_at, (unsigned long long)minis, len - pos);
        const uint8_t *widths = data + pos;
        pos += (size_t)minis;
        for (uint64_t m = 0; m < minis && got < n; m++) {
            int w = widths[m];
            if (w > 64)
                return mdl_error_set(err, MDL_ERR_PARSE,
                                     "%s: miniblock bit width %d > 64 (block at byte %zu)", what, w,
                                     base + block_at);
            uint64_t bytes = per_mini / 8 * (uint64_t)w;
            if (bytes > len - pos)
                return mdl_error_set(err, MDL_ERR_PARSE,
                                     "%s: miniblock of %llu values at width %d needs %llu bytes "
                                     "at byte %zu but only %zu remain",
                                     what, (unsigned long long)per_mini, w,
                                     (unsigned long long)bytes, base + pos, len - pos);
            size_t take = n - got < per_mini ? n - got : (size_t)per_mini;
            if (w == 0) {
                for (size_t j = 0; j < take; j++) {
                    last += min_delta;
                    PQ_EMIT(last);
                }
            } else {
                const uint8_t *p = data + pos;
                for (size_t g = 0; g < take; g += 32) {
                    uint64_t vals[32];
                    unpack32(p, (size_t)(data + len - p), w, vals);
                    p += 4 * (size_t)w;
                    size_t k = take - g < 32 ? take - g : 32;
                    for (size_t j = 0; j < k; j++) {
                        last += min_delta + vals[j];
                        PQ_EMIT(last);
                    }
                }
            }
            pos += (size_t)bytes;
        }
    }
#undef PQ_EMIT
    *consumed = pos;
    return MDL_OK;
}

int mdl_format__pq_delta_decode_i64(const uint8_t *data, size_t len, size_t n, int64_t *out,
                                    size_t *consumed, mdl_error *err)
{
    return dbp_decode("DELTA_BINARY_PACKED", data, len, 0, n, false, out, NULL, consumed, err);
}

int mdl_format__pq_delta_decode_i32(const uint8_t *data, size_t len, size_t n, int32_t *out,
                                    size_t *consumed, mdl_error *err)
{
    return dbp_decode("DELTA_BINARY_PACKED", data, len, 0, n, true, NULL, out, consumed, err);
}

/* ---- DELTA_BINARY_PACKED encoder ---------------------------------------------------------- */

/* Appends values (from v64, or v32 as INT32 arithmetic) in blocks of 128 = 4 x 32. */
static int dbp_encode(const int64_t *v64, const int32_t *v32, size_t n, mdl_buf *out,
                      mdl_error *err)
{
    size_t start_len = out->len;
#define PQ_VALUE(i) (v32 != NULL ? (uint64_t)(int64_t)v32[i] : (uint64_t)v64[i])
    int rc = mdl_buf_reserve(out, 4 * 10, err);
    if (rc != MDL_OK)
        return rc;
    uint8_t *p = (uint8_t *)out->data + out->len;
    uint64_t prev = n > 0 ? PQ_VALUE(0) : 0;
    p += mdl_format__pq_put_uleb128(p, PQ_DELTA_BLOCK);
    p += mdl_format__pq_put_uleb128(p, PQ_DELTA_MINIBLOCKS);
    p += mdl_format__pq_put_uleb128(p, (uint64_t)n);
    p += mdl_format__pq_put_uleb128(p, zigzag_encode(prev));
    out->len = (size_t)(p - (uint8_t *)out->data);
    for (size_t i = 1; i < n; i += PQ_DELTA_BLOCK) {
        size_t count = n - i < PQ_DELTA_BLOCK ? n - i : PQ_DELTA_BLOCK;
        int64_t delta[PQ_DELTA_BLOCK];
        int64_t min_delta = INT64_MAX;
        for (size_t j = 0; j < count; j++) {
            uint64_t cur = PQ_VALUE(i + j);
            /* INT32 deltas wrap at 32 bits, as the spec's writers must not use more. */
            delta[j] = v32 != NULL ? (int64_t)mdl_format__pq_i32_bits((uint32_t)(cur - prev))
                                   : mdl_format__pq_i64_bits(cur - prev);
            if (delta[j] < min_delta)
                min_delta = delta[j];
            prev = cur;
        }
        uint64_t rel[PQ_DELTA_BLOCK] = {0};
        int widths[PQ_DELTA_MINIBLOCKS] = {0};
        size_t body = 0;
        for (size_t j = 0; j < count; j++)
            rel[j] = (uint64_t)delta[j] - (uint64_t)min_delta;
        for (size_t m = 0; m < PQ_DELTA_MINIBLOCKS && m * PQ_DELTA_MINI < count; m++) {
            uint64_t any = 0;
            for (size_t j = 0; j < PQ_DELTA_MINI; j++)
                any |= rel[m * PQ_DELTA_MINI + j];
            widths[m] = mdl_format__pq_bit_width(any);
            body += 4 * (size_t)widths[m];
        }
        rc = mdl_buf_reserve(out, 10 + PQ_DELTA_MINIBLOCKS + body, err);
        if (rc != MDL_OK)
            goto cleanup;
        p = (uint8_t *)out->data + out->len;
        p += mdl_format__pq_put_uleb128(p, zigzag_encode((uint64_t)min_delta));
        for (size_t m = 0; m < PQ_DELTA_MINIBLOCKS; m++)
            *p++ = (uint8_t)widths[m];
        for (size_t m = 0; m < PQ_DELTA_MINIBLOCKS && m * PQ_DELTA_MINI < count; m++) {
            pack32(rel + m * PQ_DELTA_MINI, widths[m], p);
            p += 4 * (size_t)widths[m];
        }
        out->len = (size_t)(p - (uint8_t *)out->data);
    }
#undef PQ_VALUE
cleanup:
    if (rc != MDL_OK)
        out->len = start_len;
    return rc;
}

int mdl_format__pq_delta_encode_i64(const int64_t *values, size_t n, mdl_buf *out, mdl_error *err)
{
    return dbp_encode(values, NULL, n, out, err);
}

int mdl_format__pq_delta_encode_i32(const int32_t *values, size_t n, mdl_buf *out, mdl_error *err)
{
    return dbp_encode(NULL, values, n, out, err);
}

/* ---- DELTA_LENGTH_BYTE_ARRAY -------------------------------------------------------------- */

int mdl_format__pq_delta_length_decode(const uint8_t *src, size_t len, size_t n, mdl_buf *data,
                                       int64_t *offsets, size_t *consumed, mdl_error *err)
{
    static const char what[] = "DELTA_LENGTH_BYTE_ARRAY";
    if (len == 0)
        src = (const uint8_t *)""; /* so src + 0 is defined when the caller passed NULL */
    size_t pos;
    /* The lengths land in offsets[1..n] and become offsets in place. */
    int rc = dbp_decode("DELTA_LENGTH_BYTE_ARRAY: lengths", src, len, 0, n, true, offsets + 1, NULL,
                        &pos, err);
    if (rc != MDL_OK)
        return rc;
    size_t remain = len - pos, total = 0;
    offsets[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t l = offsets[i + 1];
        if (l < 0)
            return mdl_error_set(err, MDL_ERR_PARSE, "%s: value %zu has negative length %lld", what,
                                 i, (long long)l);
        if ((uint64_t)l > remain - total)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "%s: value %zu of length %lld ends past the %zu data bytes "
                                 "after the lengths",
                                 what, i, (long long)l, remain);
        total += (size_t)l;
        offsets[i + 1] = (int64_t)total;
    }
    rc = mdl_buf_append(data, src + pos, total, err);
    if (rc != MDL_OK)
        return rc;
    *consumed = pos + total;
    return MDL_OK;
}

/* ---- DELTA_BYTE_ARRAY --------------------------------------------------------------------- */

int mdl_format__pq_delta_bytes_decode(const uint8_t *src, size_t len, size_t n, mdl_buf *data,
                                      int64_t *offsets, size_t *consumed, mdl_error *err)
{
    static const char what[] = "DELTA_BYTE_ARRAY";
    if (len == 0)
        src = (const uint8_t *)""; /* so src + 0 is defined when the caller passed NULL */
    int32_t *suffix = NULL;
    size_t start_len = data->len;
    size_t p1, p2;
    /* Prefix lengths go to offsets[1..n]; the pass below turns them into offsets in place. */
    int rc = dbp_decode("DELTA_BYTE_ARRAY: prefix lengths", src, len, 0, n, true, offsets + 1, NULL,
                        &p1, err);
    if (rc != MDL_OK)
        goto cleanup;
    if (n > 0) {
        size_t bytes;
        suffix = mdl_size_mul(n, sizeof *suffix, &bytes) ? mdl_alloc(data->ctx, bytes) : NULL;
        if (suffix == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory for %zu suffix lengths", what,
                               n);
            goto cleanup;
        }
    }
    rc = dbp_decode("DELTA_BYTE_ARRAY: suffix lengths", src + p1, len - p1, p1, n, true, NULL,
                    suffix, &p2, err);
    if (rc != MDL_OK)
        goto cleanup;
    size_t pos = p1 + p2, remain = len - pos, suffix_total = 0, out_total = 0;
    size_t room = data->max - data->len;
    int64_t prev_len = 0;
    offsets[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t prefix = offsets[i + 1], s = suffix[i];
        if (prefix < 0 || s < 0) {
            rc = mdl_error_set(err, MDL_ERR_PARSE, "%s: value %zu has negative %s length %lld",
                               what, i, prefix < 0 ? "prefix" : "suffix",
                               (long long)(prefix < 0 ? prefix : s));
            goto cleanup;
        }
        if (prefix > prev_len) {
            rc = mdl_error_set(err, MDL_ERR_PARSE,
                               "%s: value %zu has prefix length %lld but the previous value has "
                               "%lld bytes",
                               what, i, (long long)prefix, (long long)prev_len);
            goto cleanup;
        }
        if ((uint64_t)s > remain - suffix_total) {
            rc = mdl_error_set(err, MDL_ERR_PARSE,
                               "%s: suffix of value %zu (length %lld) ends past the %zu data "
                               "bytes after the lengths",
                               what, i, (long long)s, remain);
            goto cleanup;
        }
        suffix_total += (size_t)s;
        /* Prefixes repeat earlier bytes, so the output can outgrow the input: bound it. */
        uint64_t vlen = (uint64_t)prefix + (uint64_t)s;
        if (vlen > room - out_total) {
            rc = mdl_error_set(err, MDL_ERR_LIMIT,
                               "%s: value %zu would take the output past its limit of %zu bytes",
                               what, i, data->max);
            goto cleanup;
        }
        out_total += (size_t)vlen;
        offsets[i + 1] = (int64_t)out_total;
        prev_len = (int64_t)vlen;
    }
    /* Nothing to copy when every value is empty (and data->data may still be NULL). */
    if (out_total > 0) {
        rc = mdl_buf_reserve(data, out_total, err);
        if (rc != MDL_OK)
            goto cleanup;
        uint8_t *dst = (uint8_t *)data->data + data->len;
        const uint8_t *sfx = src + pos;
        for (size_t i = 0; i < n; i++) {
            size_t vlen = (size_t)(offsets[i + 1] - offsets[i]);
            size_t s = (size_t)suffix[i], prefix = vlen - s;
            uint8_t *v = dst + offsets[i];
            if (prefix) /* prefix > 0 only from the second value on */
                memcpy(v, dst + offsets[i - 1], prefix);
            if (s)
                memcpy(v + prefix, sfx, s);
            sfx += s;
        }
        data->len += out_total;
    }
    *consumed = pos + suffix_total;
cleanup:
    if (suffix != NULL)
        mdl_free(data->ctx, suffix);
    if (rc != MDL_OK)
        data->len = start_len;
    return rc;
}
