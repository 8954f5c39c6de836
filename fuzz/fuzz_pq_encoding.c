/*
 * fuzz_pq_encoding.c - libFuzzer target for the Parquet encoding decoders
 * (src/format/parquet_encoding.h). Input layout:
 *
 *   byte 0     decoder: 0 RLE hybrid, 1-8 PLAIN (bool, i32, i64, i96, float, double, fixed,
 *              bytes), 9-10 DELTA_BINARY_PACKED (i32, i64), 11 DELTA_LENGTH_BYTE_ARRAY,
 *              12 DELTA_BYTE_ARRAY, 13 BYTE_STREAM_SPLIT (taken modulo 14)
 *   byte 1     bit width (RLE: 0..33, 33 must fail) or value width (fixed: 1..32, BSS: 1..16)
 *   bytes 2-3  n, little-endian, modulo 4097
 *   byte 4     chunk size for a second, chunked RLE decode (1..256)
 *   rest       the encoded data
 *
 * Decoders must never crash or leak. What decodes must obey the contract (consumed within
 * the input, views inside it, offsets increasing) and round-trip: RLE values re-encode and
 * decode to the same values, and so do DELTA_BINARY_PACKED values and BYTE_STREAM_SPLIT bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "format/parquet_encoding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_N = 4096, OUT_MAX = 1 << 20 };

static void check(bool ok)
{
    if (!ok)
        abort();
}

static void fuzz_rle(mdl_ctx *ctx, const uint8_t *p, size_t len, size_t n, int w, size_t chunk)
{
    uint32_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    check(a != NULL && b != NULL);
    mdl_format__pq_rle_decoder dec;
    mdl_format__pq_rle_init(&dec, p, len, w);
    if (mdl_format__pq_rle_get(&dec, a, n, NULL) == MDL_OK) {
        check(w >= 0 && w <= 32);
        for (size_t i = 0; i < n; i++)
            check(w == 32 || (a[i] >> w) == 0);
        /* The same stream read in chunks gives the same values. */
        mdl_format__pq_rle_init(&dec, p, len, w);
        for (size_t got = 0; got < n;) {
            size_t k = n - got < chunk ? n - got : chunk;
            check(mdl_format__pq_rle_get(&dec, b + got, k, NULL) == MDL_OK);
            got += k;
        }
        check(n == 0 || memcmp(a, b, n * sizeof *a) == 0);
        /* Our own encoding of the values decodes to them. */
        mdl_buf out;
        mdl_buf_init(&out, ctx, 0);
        check(mdl_format__pq_rle_encode(a, n, w, &out, NULL) == MDL_OK);
        mdl_format__pq_rle_init(&dec, (const uint8_t *)out.data, out.len, w);
        check(mdl_format__pq_rle_get(&dec, b, n, NULL) == MDL_OK);
        check(n == 0 || memcmp(a, b, n * sizeof *a) == 0);
        mdl_buf_reset(&out);
    }
    free(a);
    free(b);
}

static void fuzz_delta(mdl_ctx *ctx, const uint8_t *p, size_t len, size_t n, bool is32)
{
    int64_t *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    check(a != NULL && b != NULL);
    size_t used = SIZE_MAX;
    mdl_buf out;
    mdl_buf_init(&out, ctx, 0);
    if (is32) {
        int32_t *a32 = (int32_t *)a, *b32 = (int32_t *)b;
        if (mdl_format__pq_delta_decode_i32(p, len, n, a32, &used, NULL) == MDL_OK) {
            check(used <= len);
            check(mdl_format__pq_delta_encode_i32(a32, n, &out, NULL) == MDL_OK);
            check(mdl_format__pq_delta_decode_i32((const uint8_t *)out.data, out.len, n, b32, &used,
                                                  NULL) == MDL_OK);
            check(used == out.len && (n == 0 || memcmp(a32, b32, n * sizeof *a32) == 0));
        }
    } else if (mdl_format__pq_delta_decode_i64(p, len, n, a, &used, NULL) == MDL_OK) {
        check(used <= len);
        check(mdl_format__pq_delta_encode_i64(a, n, &out, NULL) == MDL_OK);
        check(mdl_format__pq_delta_decode_i64((const uint8_t *)out.data, out.len, n, b, &used,
                                              NULL) == MDL_OK);
        check(used == out.len && (n == 0 || memcmp(a, b, n * sizeof *a) == 0));
    }
    mdl_buf_reset(&out);
    free(a);
    free(b);
}

static void fuzz_byte_arrays(mdl_ctx *ctx, const uint8_t *p, size_t len, size_t n, bool front)
{
    int64_t *offsets = malloc((n + 1) * sizeof *offsets);
    check(offsets != NULL);
    mdl_buf data;
    mdl_buf_init(&data, ctx, OUT_MAX);
    mdl_buf_append(&data, "pre", 3, NULL); /* decoders append after what is there */
    size_t used = SIZE_MAX;
    int rc = front ? mdl_format__pq_delta_bytes_decode(p, len, n, &data, offsets, &used, NULL)
                   : mdl_format__pq_delta_length_decode(p, len, n, &data, offsets, &used, NULL);
    if (rc == MDL_OK) {
        check(used <= len && offsets[0] == 0);
        for (size_t i = 0; i < n; i++)
            check(offsets[i] <= offsets[i + 1]);
        check((size_t)offsets[n] + 3 == data.len);
    } else {
        check(data.len == 3);
    }
    mdl_buf_reset(&data);
    free(offsets);
}

static void fuzz_plain(int which, const uint8_t *p, size_t len, size_t n, size_t width)
{
    void *out = malloc(n * 32 + 1);
    check(out != NULL);
    size_t used = SIZE_MAX;
    int rc;
    switch (which) {
    case 1:
        rc = mdl_format__pq_plain_decode_bool(p, len, n, out, &used, NULL);
        break;
    case 2:
        rc = mdl_format__pq_plain_decode_i32(p, len, n, out, &used, NULL);
        break;
    case 3:
        rc = mdl_format__pq_plain_decode_i64(p, len, n, out, &used, NULL);
        break;
    case 4:
        rc = mdl_format__pq_plain_decode_i96(p, len, n, out, &used, NULL);
        break;
    case 5:
        rc = mdl_format__pq_plain_decode_float(p, len, n, out, &used, NULL);
        break;
    case 6:
        rc = mdl_format__pq_plain_decode_double(p, len, n, out, &used, NULL);
        break;
    case 7:
        rc = mdl_format__pq_plain_decode_fixed(p, len, n, width, out, &used, NULL);
        break;
    default: {
        mdl_strview *v = out;
        rc = mdl_format__pq_plain_decode_bytes(p, len, n, v, &used, NULL);
        if (rc == MDL_OK)
            for (size_t i = 0; i < n; i++)
                check((const uint8_t *)v[i].ptr >= p &&
                      (const uint8_t *)v[i].ptr + v[i].len <= p + used);
        break;
    }
    }
    if (rc == MDL_OK)
        check(used <= len);
    if (which == 4 && len >= 12)
        (void)mdl_format__pq_int96_to_micros(p); /* any bits: no UB */
    free(out);
}

static void fuzz_bss(mdl_ctx *ctx, const uint8_t *p, size_t len, size_t n, size_t width)
{
    uint8_t *out = malloc(n * width + 1);
    check(out != NULL);
    if (mdl_format__pq_bss_decode(p, len, n, width, out, NULL) == MDL_OK) {
        mdl_buf back;
        mdl_buf_init(&back, ctx, 0);
        check(mdl_format__pq_bss_encode(out, n, width, &back, NULL) == MDL_OK);
        check(back.len == len && (len == 0 || memcmp(back.data, p, len) == 0));
        mdl_buf_reset(&back);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 5)
        return 0;
    int which = data[0] % 14;
    uint8_t wb = data[1];
    size_t n = (size_t)(data[2] | data[3] << 8) % (MAX_N + 1);
    size_t chunk = (size_t)data[4] + 1;
    const uint8_t *p = data + 5;
    size_t len = size - 5;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    switch (which) {
    case 0:
        fuzz_rle(&ctx, p, len, n, wb % 34, chunk);
        break;
    case 9:
    case 10:
        fuzz_delta(&ctx, p, len, n, which == 9);
        break;
    case 11:
    case 12:
        fuzz_byte_arrays(&ctx, p, len, n, which == 12);
        break;
    case 13:
        fuzz_bss(&ctx, p, len, n, 1 + (size_t)wb % 16);
        break;
    default:
        fuzz_plain(which, p, len, n, 1 + (size_t)wb % 32);
        break;
    }
    return 0;
}
