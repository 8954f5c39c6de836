/*
 * parquet_encoding.c - the Parquet RLE/bit-packing hybrid (apache/parquet-format Encodings.md,
 * "Run Length Encoding / Bit-Packing Hybrid") and the varint and bit-width helpers the other
 * encodings share. PLAIN and BYTE_STREAM_SPLIT are in parquet_plain.c, DELTA_* in
 * parquet_delta.c.
 *
 * The hybrid is the hot path of both the writer (every dictionary index and definition level)
 * and the reader, so bit packing works on whole groups of 8 values with one specialised,
 * fully unrolled routine per bit width, and a group of 8 values at width w is exactly w bytes:
 *
 *   values 0..7 at width 3   ->   0x88 0xC6 0xFA   (bits fill each byte from its LSB up;
 *                                                  value 2 straddles bytes 0 and 1)
 *
 * Loads and stores go through memcpy (no alignment assumptions) and are little-endian on
 * every host.
 *
 *   run header  varint(count << 1)       then the value in ceil(width / 8) bytes, LE
 *               varint(groups << 1 | 1)  then groups * width bytes of packed values
 */
#include <string.h>

#include "parquet_encoding.h"

/* Forces the per-width copies of the packing loops to be generated with a constant width. */
#define PQ_INLINE static inline __attribute__((always_inline))

/* Largest group count in a bit-packed run header: 8 * groups must stay <= 2^31 - 1. */
#define PQ_MAX_GROUPS ((uint64_t)INT32_MAX / 8)
/* Largest RLE run (Encodings.md note 3). */
#define PQ_MAX_RUN ((uint64_t)INT32_MAX)

/* ---- shared helpers ----------------------------------------------------------------------- */

int mdl_format__pq_bit_width(uint64_t max_value)
{
    return max_value == 0 ? 0 : 64 - __builtin_clzll(max_value);
}

bool mdl_format__pq_read_uleb128(const uint8_t *data, size_t len, size_t *pos, uint64_t *out)
{
    uint64_t v = 0;
    size_t p = *pos;
    for (int shift = 0; shift < 64; shift += 7) {
        if (p >= len)
            return false;
        uint8_t b = data[p++];
        /* The 10th byte holds bit 63 only; anything more does not fit 64 bits. */
        if (shift == 63 && b > 1)
            return false;
        v |= (uint64_t)(b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
            *pos = p;
            *out = v;
            return true;
        }
    }
    return false;
}

size_t mdl_format__pq_put_uleb128(uint8_t *p, uint64_t v)
{
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (uint8_t)v;
    return n;
}

bool mdl_format__pq_uleb128_truncated(const uint8_t *data, size_t len, size_t pos)
{
    for (; pos < len; pos++)
        if ((data[pos] & 0x80) == 0)
            return false;
    return true;
}

/* ---- bit packing of groups of 8 values (widths 1..32) -------------------------------------- */

/*
 * Unpacks 8 values of width w from in[0..w). Reads up to in[(7 * w) / 8 + 7], so callers give
 * at least w + 8 readable bytes (or a padded copy). Each value is one 8-byte load and a shift:
 * a value starts at bit 7 of a byte at the latest, and 7 + 32 bits fit one load.
 */
PQ_INLINE void unpack8(const uint8_t *in, uint32_t *out, int w)
{
    const uint64_t mask = ((uint64_t)1 << w) - 1;
    for (int j = 0; j < 8; j++) {
        int bit = j * w;
        out[j] = (uint32_t)((mdl_format__pq_load_le64(in + (bit >> 3)) >> (bit & 7)) & mask);
    }
}

/* Packs 8 values (each < 2^w) into exactly w bytes at out. */
PQ_INLINE void pack8(const uint32_t *in, uint8_t *out, int w)
{
    uint64_t acc = 0;
    int bits = 0;
    for (int j = 0; j < 8; j++) {
        acc |= (uint64_t)in[j] << bits;
        bits += w;
        if (bits >= 32) {
            mdl_format__pq_store_le32(out, (uint32_t)acc);
            out += 4;
            acc >>= 32;
            bits -= 32;
        }
    }
    for (; bits > 0; bits -= 8) {
        *out++ = (uint8_t)acc;
        acc >>= 8;
    }
}

/* X(1) ... X(32): one case per bit width, so each copy is compiled for a constant width. */
/* clang-format off */
#define PQ_WIDTH_CASES(X)                                                                          \
    X(1)  X(2)  X(3)  X(4)  X(5)  X(6)  X(7)  X(8)  X(9)  X(10) X(11) X(12) X(13) X(14) X(15)     \
    X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30)     \
    X(31) X(32)
/* clang-format on */

/* Unpacks `groups` groups from in (groups * w + 8 readable bytes) to out[0 .. 8 * groups). */
static void unpack_groups(const uint8_t *in, uint32_t *out, size_t groups, int w)
{
    switch (w) {
#define PQ_UNPACK_CASE(W)                                                                          \
    case W:                                                                                        \
        for (size_t g = 0; g < groups; g++)                                                        \
            unpack8(in + g * W, out + g * 8, W);                                                   \
        return;
        PQ_WIDTH_CASES(PQ_UNPACK_CASE)
#undef PQ_UNPACK_CASE
    default:
        memset(out, 0, groups * 8 * sizeof *out);
        return;
    }
}

/* Packs in[0 .. 8 * groups) into groups * w bytes at out. */
static void pack_groups(const uint32_t *in, uint8_t *out, size_t groups, int w)
{
    switch (w) {
#define PQ_PACK_CASE(W)                                                                            \
    case W:                                                                                        \
        for (size_t g = 0; g < groups; g++)                                                        \
            pack8(in + g * 8, out + g * W, W);                                                     \
        return;
        PQ_WIDTH_CASES(PQ_PACK_CASE)
#undef PQ_PACK_CASE
    default:
        return;
    }
}

/* ---- RLE / bit-packing hybrid: encoder ---------------------------------------------------- */

/*
 * Appends bit-packed runs for values[0..count): whole groups, the last one padded with zeros
 * when count is not a multiple of 8 (only the stream's final run may be).
 */
static int put_literal(const uint32_t *values, size_t count, int w, mdl_buf *out, mdl_error *err)
{
    while (count > 0) {
        size_t groups = count / 8 + (count % 8 != 0);
        if (groups > PQ_MAX_GROUPS)
            groups = PQ_MAX_GROUPS;
        size_t body, room;
        if (!mdl_size_mul(groups, (size_t)w, &body) || !mdl_size_add(body, 10, &room))
            return mdl_error_set(err, MDL_ERR_LIMIT, "RLE: %zu values do not fit in memory", count);
        int rc = mdl_buf_reserve(out, room, err);
        if (rc != MDL_OK)
            return rc;
        uint8_t *p = (uint8_t *)out->data + out->len;
        p += mdl_format__pq_put_uleb128(p, (uint64_t)groups << 1 | 1);
        size_t full = count / 8 < groups ? count / 8 : groups;
        pack_groups(values, p, full, w);
        p += full * (size_t)w;
        size_t done = full * 8;
        if (full < groups) {
            uint32_t last[8] = {0};
            memcpy(last, values + done, (count - done) * sizeof *values);
            pack_groups(last, p, 1, w);
            p += w;
            done = count;
        }
        out->len = (size_t)(p - (uint8_t *)out->data);
        values += done;
        count -= done;
    }
    return MDL_OK;
}

/* Appends RLE runs repeating `value` `count` times. */
static int put_repeat(uint32_t value, size_t count, int w, mdl_buf *out, mdl_error *err)
{
    int value_bytes = (w + 7) / 8;
    while (count > 0) {
        size_t run = count > PQ_MAX_RUN ? (size_t)PQ_MAX_RUN : count;
        int rc = mdl_buf_reserve(out, 10 + 4, err);
        if (rc != MDL_OK)
            return rc;
        uint8_t *p = (uint8_t *)out->data + out->len;
        p += mdl_format__pq_put_uleb128(p, (uint64_t)run << 1);
        for (int b = 0; b < value_bytes; b++)
            *p++ = (uint8_t)(value >> (8 * b));
        out->len = (size_t)(p - (uint8_t *)out->data);
        count -= run;
    }
    return MDL_OK;
}

/*
 * One pass finds runs of equal values. A run of 8 or more becomes an RLE run once the pending
 * bit-packed values are a whole number of groups: if they are not, the run lends the values
 * that complete the last group, and stays an RLE run only if 8 or more are left. The OR of
 * every run's value tells at the end whether some value was too wide (checked once, off the
 * hot path).
 */
int mdl_format__pq_rle_encode(const uint32_t *values, size_t n, int bit_width, mdl_buf *out,
                              mdl_error *err)
{
    if (bit_width < 0 || bit_width > MDL_PQ_RLE_MAX_BIT_WIDTH)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "RLE: bit width %d is outside 0..32",
                             bit_width);
    size_t start_len = out->len;
    uint32_t seen = 0;
    size_t lit = 0, i = 0;
    int rc = MDL_OK;
    while (i < n) {
        uint32_t v = values[i];
        seen |= v;
        size_t j = i + 1;
        while (j < n && values[j] == v)
            j++;
        size_t run = j - i;
        if (run >= 8) {
            size_t pending = (i - lit) % 8;
            size_t lend = pending ? 8 - pending : 0;
            if (run - lend >= 8) {
                rc = put_literal(values + lit, i + lend - lit, bit_width, out, err);
                if (rc != MDL_OK)
                    goto cleanup;
                rc = put_repeat(v, run - lend, bit_width, out, err);
                if (rc != MDL_OK)
                    goto cleanup;
                lit = j;
            }
        }
        i = j;
    }
    if (lit < n) {
        rc = put_literal(values + lit, n - lit, bit_width, out, err);
        if (rc != MDL_OK)
            goto cleanup;
    }
    if (bit_width < 32 && (seen >> bit_width) != 0) {
        size_t k = 0;
        while ((values[k] >> bit_width) == 0)
            k++;
        rc = mdl_error_set(err, MDL_ERR_RANGE, "RLE: value %u at index %zu does not fit in %d bits",
                           values[k], k, bit_width);
    }
cleanup:
    if (rc != MDL_OK)
        out->len = start_len;
    return rc;
}

/* ---- RLE / bit-packing hybrid: decoder ---------------------------------------------------- */

void mdl_format__pq_rle_init(mdl_format__pq_rle_decoder *dec, const uint8_t *data, size_t len,
                             int bit_width)
{
    memset(dec, 0, sizeof *dec);
    dec->data = data;
    dec->len = len;
    dec->bit_width = bit_width;
}

/* Reads the next run header (and an RLE run's value). `got` values of this call are done. */
static int rle_next_run(mdl_format__pq_rle_decoder *dec, size_t got, size_t n, mdl_error *err)
{
    int w = dec->bit_width;
    size_t at = dec->pos;
    if (at >= dec->len)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "RLE: data ends after %zu values; %zu more are needed",
                             dec->decoded + got, n - got);
    uint64_t header;
    if (!mdl_format__pq_read_uleb128(dec->data, dec->len, &dec->pos, &header)) {
        if (mdl_format__pq_uleb128_truncated(dec->data, dec->len, at))
            return mdl_error_set(err, MDL_ERR_PARSE, "RLE: truncated run header at byte %zu", at);
        return mdl_error_set(err, MDL_ERR_PARSE, "RLE: run header at byte %zu does not fit 32 bits",
                             at);
    }
    if (header > UINT32_MAX)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "RLE: run header %llu at byte %zu does not fit 32 bits",
                             (unsigned long long)header, at);
    if (header & 1) {
        uint64_t groups = header >> 1;
        if (groups == 0)
            return mdl_error_set(err, MDL_ERR_PARSE, "RLE: bit-packed run of 0 values at byte %zu",
                                 at);
        if (groups > PQ_MAX_GROUPS)
            return mdl_error_set(err, MDL_ERR_PARSE,
                                 "RLE: bit-packed run of %llu values at byte %zu exceeds 2^31 - 1",
                                 (unsigned long long)(groups * 8), at);
        uint64_t values = groups * 8;
        uint64_t bytes = groups * (uint64_t)w;
        size_t avail = dec->len - dec->pos;
        if (bytes > avail) {
            /* The last run may stop short of its padding; what is there is still readable. */
            uint64_t readable = (uint64_t)avail * 8 / (uint64_t)w;
            if (readable == 0)
                return mdl_error_set(
                    err, MDL_ERR_PARSE,
                    "RLE: bit-packed run of %llu values at byte %zu needs %llu bytes but only %zu "
                    "remain",
                    (unsigned long long)values, at, (unsigned long long)bytes, avail);
            values = readable;
        }
        dec->lit_left = values;
        return MDL_OK;
    }
    uint64_t count = header >> 1;
    if (count == 0)
        return mdl_error_set(err, MDL_ERR_PARSE, "RLE: RLE run of 0 values at byte %zu", at);
    size_t value_bytes = (size_t)(w + 7) / 8;
    if (dec->len - dec->pos < value_bytes)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "RLE: RLE run at byte %zu needs a %zu-byte value but only %zu remain",
                             at, value_bytes, dec->len - dec->pos);
    uint32_t value = 0;
    for (size_t b = 0; b < value_bytes; b++)
        value |= (uint32_t)dec->data[dec->pos + b] << (8 * b);
    if (w < 32 && (value >> w) != 0)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "RLE: RLE run at byte %zu repeats %u, which does not fit in %d bits",
                             at, value, w);
    dec->pos += value_bytes;
    dec->rle_value = value;
    dec->rle_left = count;
    return MDL_OK;
}

/*
 * Unpacks `groups` whole groups of the current bit-packed run into out. Groups with 8 bytes
 * of slack behind them are unpacked in place; the last ones near the end of the data go
 * through a zero-padded copy (which also serves a truncated final run).
 */
static void rle_unpack(mdl_format__pq_rle_decoder *dec, uint32_t *out, size_t groups)
{
    size_t w = (size_t)dec->bit_width;
    size_t avail = dec->len - dec->pos;
    if (avail >= w + 8) {
        size_t direct = (avail - 8) / w;
        if (direct > groups)
            direct = groups;
        unpack_groups(dec->data + dec->pos, out, direct, (int)w);
        dec->pos += direct * w;
        out += direct * 8;
        groups -= direct;
    }
    for (; groups > 0; groups--) {
        uint8_t tmp[MDL_PQ_RLE_MAX_BIT_WIDTH + 8] = {0};
        size_t take = dec->len - dec->pos < w ? dec->len - dec->pos : w;
        memcpy(tmp, dec->data + dec->pos, take);
        unpack_groups(tmp, out, 1, (int)w);
        dec->pos += take;
        out += 8;
    }
}

int mdl_format__pq_rle_get(mdl_format__pq_rle_decoder *dec, uint32_t *out, size_t n, mdl_error *err)
{
    int w = dec->bit_width;
    if (w < 0 || w > MDL_PQ_RLE_MAX_BIT_WIDTH)
        return mdl_error_set(err, MDL_ERR_PARSE, "RLE: bit width %d > 32", w);
    size_t got = 0;
    while (got < n) {
        size_t want = n - got;
        if (dec->group_pos < dec->group_len) {
            size_t k = dec->group_len - dec->group_pos;
            if (k > want)
                k = want;
            memcpy(out + got, dec->group + dec->group_pos, k * sizeof *out);
            dec->group_pos += (unsigned)k;
            got += k;
        } else if (dec->rle_left > 0) {
            size_t k = dec->rle_left < want ? (size_t)dec->rle_left : want;
            uint32_t v = dec->rle_value;
            uint32_t *o = out + got;
            for (size_t i = 0; i < k; i++)
                o[i] = v;
            dec->rle_left -= k;
            got += k;
        } else if (dec->lit_left > 0) {
            size_t k = dec->lit_left < want ? (size_t)dec->lit_left : want;
            if (w == 0) {
                memset(out + got, 0, k * sizeof *out);
                dec->lit_left -= k;
                got += k;
            } else if (k >= 8) {
                size_t groups = k / 8;
                rle_unpack(dec, out + got, groups);
                dec->lit_left -= groups * 8;
                got += groups * 8;
            } else {
                /* Fewer than 8 wanted or left: keep the group for the next call. */
                rle_unpack(dec, dec->group, 1);
                dec->group_len = dec->lit_left < 8 ? (unsigned)dec->lit_left : 8;
                dec->group_pos = 0;
                dec->lit_left -= dec->group_len;
            }
        } else {
            int rc = rle_next_run(dec, got, n, err);
            if (rc != MDL_OK)
                return rc;
        }
    }
    dec->decoded += n;
    return MDL_OK;
}
