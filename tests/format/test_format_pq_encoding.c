/*
 * test_format_pq_encoding.c - unit tests of the Parquet encodings (src/format/parquet_encoding.h):
 * the RLE/bit-packing hybrid, PLAIN, INT96, BYTE_STREAM_SPLIT and the DELTA_* encodings.
 * Round trips over every bit width and many lengths, byte vectors taken from the examples in
 * apache/parquet-format Encodings.md, and every malformed input we could think of.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "format/parquet_encoding.h"

/* ---- helpers --------------------------------------------------------------------------------- */

/* xorshift64*: deterministic data, so a failure reproduces. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * UINT64_C(2685821657736338717);
}

enum { PATTERN_RANDOM, PATTERN_CONSTANT, PATTERN_RUNS, PATTERN_SPARSE, PATTERN_COUNT };

/* Values below 2^w in one of the patterns: random, constant, mixed runs, mostly one value. */
static void fill_values(uint32_t *v, size_t n, int w, int pattern, uint64_t *seed)
{
    uint64_t mask = w == 0 ? 0 : (((uint64_t)1 << w) - 1);
    uint32_t c = (uint32_t)(rng_next(seed) & mask);
    for (size_t i = 0; i < n;) {
        if (pattern == PATTERN_RANDOM) {
            v[i++] = (uint32_t)(rng_next(seed) & mask);
        } else if (pattern == PATTERN_CONSTANT) {
            v[i++] = c;
        } else if (pattern == PATTERN_SPARSE) {
            v[i++] = rng_next(seed) % 50 == 0 ? (uint32_t)(rng_next(seed) & mask) : c;
        } else {
            /* Runs of 1..20 (so around the RLE threshold of 8) of random values. */
            size_t run = 1 + rng_next(seed) % 20;
            uint32_t x = (uint32_t)(rng_next(seed) & mask);
            for (size_t k = 0; k < run && i < n; k++)
                v[i++] = x;
        }
    }
}

/* Decodes `n` values from data at width w in chunks of random size (1..37, or all at once). */
static int rle_decode_all(const uint8_t *data, size_t len, int w, uint32_t *out, size_t n,
                          bool chunked, uint64_t *seed, mdl_error *err)
{
    mdl_format__pq_rle_decoder dec;
    mdl_format__pq_rle_init(&dec, data, len, w);
    size_t got = 0;
    while (got < n || (n == 0 && got == 0)) {
        size_t k = chunked ? 1 + rng_next(seed) % 37 : n - got;
        if (k > n - got)
            k = n - got;
        int rc = mdl_format__pq_rle_get(&dec, out + got, k, err);
        if (rc != MDL_OK)
            return rc;
        got += k;
        if (n == 0)
            break;
    }
    return MDL_OK;
}

static void rle_encode_ok(const uint32_t *v, size_t n, int w, mdl_buf *out)
{
    mdl_error err = {0};
    int rc = mdl_format__pq_rle_encode(v, n, w, out, &err);
    if (rc != MDL_OK)
        fail_msg("rle_encode(n=%zu, w=%d): %s", n, w, err.message);
}

/* Expects `rc` to be `code` and the error message to be exactly `message`. */
#define EXPECT_ERROR(rc_, code_, err_, message_)                                                   \
    do {                                                                                           \
        assert_int_equal((rc_), (code_));                                                          \
        assert_int_equal((err_).code, (code_));                                                    \
        assert_string_equal((err_).message, (message_));                                           \
    } while (0)

/* Decodes `len` bytes at width w expecting failure with `message`. */
static void rle_expect_error(const uint8_t *data, size_t len, int w, size_t n, const char *message)
{
    uint32_t out[64];
    assert_true(n <= 64);
    mdl_error err = {0};
    mdl_format__pq_rle_decoder dec;
    mdl_format__pq_rle_init(&dec, data, len, w);
    int rc = mdl_format__pq_rle_get(&dec, out, n, &err);
    EXPECT_ERROR(rc, MDL_ERR_PARSE, err, message);
}

/* ---- bit widths and varints --------------------------------------------------------------------
 */

static void test_format_pq_encoding__bit_width(void **state)
{
    (void)state;
    assert_int_equal(mdl_format__pq_bit_width(0), 0);
    assert_int_equal(mdl_format__pq_bit_width(1), 1);
    assert_int_equal(mdl_format__pq_bit_width(2), 2);
    assert_int_equal(mdl_format__pq_bit_width(3), 2);
    assert_int_equal(mdl_format__pq_bit_width(4), 3);
    assert_int_equal(mdl_format__pq_bit_width(255), 8);
    assert_int_equal(mdl_format__pq_bit_width(256), 9);
    assert_int_equal(mdl_format__pq_bit_width(UINT32_MAX), 32);
    assert_int_equal(mdl_format__pq_bit_width((uint64_t)UINT32_MAX + 1), 33);
    assert_int_equal(mdl_format__pq_bit_width(UINT64_MAX), 64);
    for (int w = 1; w < 64; w++) {
        assert_int_equal(mdl_format__pq_bit_width((uint64_t)1 << w), w + 1);
        assert_int_equal(mdl_format__pq_bit_width(((uint64_t)1 << w) - 1), w);
    }
}

static void test_format_pq_encoding__uleb128(void **state)
{
    (void)state;
    uint64_t v;
    size_t pos = 0;
    const uint8_t one[] = {0x01};
    assert_true(mdl_format__pq_read_uleb128(one, 1, &pos, &v));
    assert_int_equal(v, 1);
    assert_int_equal(pos, 1);
    /* 624485 = 0xE5 0x8E 0x26 (the LEB128 article's example), after a skipped byte. */
    const uint8_t wiki[] = {0xFF, 0xE5, 0x8E, 0x26};
    pos = 1;
    assert_true(mdl_format__pq_read_uleb128(wiki, sizeof wiki, &pos, &v));
    assert_int_equal(v, 624485);
    assert_int_equal(pos, 4);
    const uint8_t max[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    pos = 0;
    assert_true(mdl_format__pq_read_uleb128(max, sizeof max, &pos, &v));
    assert_true(v == UINT64_MAX);
    /* Too wide for 64 bits, too long, truncated, empty: pos stays. */
    const uint8_t wide[] = {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
    const uint8_t longer[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
    pos = 0;
    assert_false(mdl_format__pq_read_uleb128(wide, sizeof wide, &pos, &v));
    assert_false(mdl_format__pq_read_uleb128(longer, sizeof longer, &pos, &v));
    assert_false(mdl_format__pq_read_uleb128(wiki + 1, 2, &pos, &v));
    assert_false(mdl_format__pq_read_uleb128(one, 0, &pos, &v));
    assert_int_equal(pos, 0);
}

/* ---- RLE / bit-packing hybrid ------------------------------------------------------------------
 */

/* Encodings.md: 0..7 at width 3 bit-pack to 10001000 11000110 11111010. */
static void test_format_pq_encoding__rle_spec_bitpack_example(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const uint32_t values[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    const uint8_t expect[] = {0x03, 0x88, 0xC6, 0xFA}; /* header: 1 group << 1 | 1 */
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    rle_encode_ok(values, 8, 3, &out);
    assert_int_equal(out.len, sizeof expect);
    assert_memory_equal(out.data, expect, sizeof expect);

    uint32_t back[8];
    mdl_error err = {0};
    assert_int_equal(rle_decode_all(expect, sizeof expect, 3, back, 8, false, NULL, &err), MDL_OK);
    assert_memory_equal(back, values, sizeof values);
    mdl_buf_reset(&out);
}

/* The encoder's run choices, byte for byte. */
static void test_format_pq_encoding__rle_encoder_layout(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);

    /* Ten 1s at width 1: one RLE run, header 10 << 1, value in one byte. */
    uint32_t ones[10] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    rle_encode_ok(ones, 10, 1, &out);
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "\x14\x01", 2);

    /* 1, 2, 3 then thirteen 5s: the run lends 5 values to complete the group, 8 stay RLE. */
    uint32_t mixed[16] = {1, 2, 3, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
    out.len = 0;
    rle_encode_ok(mixed, 16, 3, &out);
    /* 1,2,3,5,5,5,5,5 at width 3: 001 010 011 101 101 101 101 101 (LSB first). */
    const uint8_t expect_mixed[] = {0x03, 0xD1, 0xDA, 0xB6, 0x10, 0x05};
    assert_int_equal(out.len, sizeof expect_mixed);
    assert_memory_equal(out.data, expect_mixed, sizeof expect_mixed);

    /* 1, 2, 3 then ten 5s: only 5 would be left for RLE, so all 13 are bit-packed (2 groups). */
    out.len = 0;
    rle_encode_ok(mixed, 13, 3, &out);
    assert_int_equal(out.len, 1 + 2 * 3);
    assert_int_equal((uint8_t)out.data[0], 0x05);

    /* Width 0: any number of zeros is one RLE run with no value bytes. */
    uint32_t zeros[1000] = {0};
    out.len = 0;
    rle_encode_ok(zeros, 1000, 0, &out);
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "\xD0\x0F", 2); /* 2000 as ULEB128 */

    /* 17 bits: an RLE value takes 3 bytes, little-endian. */
    uint32_t wide[9] = {0x1ABCD, 0x1ABCD, 0x1ABCD, 0x1ABCD, 0x1ABCD,
                        0x1ABCD, 0x1ABCD, 0x1ABCD, 0x1ABCD};
    out.len = 0;
    rle_encode_ok(wide, 9, 17, &out);
    assert_int_equal(out.len, 4);
    assert_memory_equal(out.data, "\x12\xCD\xAB\x01", 4);

    /* Nothing in, nothing out. */
    out.len = 0;
    rle_encode_ok(wide, 0, 17, &out);
    assert_int_equal(out.len, 0);
    mdl_buf_reset(&out);
}

static void test_format_pq_encoding__rle_roundtrip_all_widths(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const size_t lengths[] = {0,  1,  2,  3,   7,   8,   9,   15,  16,  17,  31,  32,  33,
                                     63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 500, 999, 1000};
    uint64_t seed = 0x9E3779B97F4A7C15u;
    uint32_t values[1000], back[1000];
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    size_t cases = 0;
    for (int w = 0; w <= 32; w++) {
        for (int pattern = 0; pattern < PATTERN_COUNT; pattern++) {
            for (size_t li = 0; li < sizeof lengths / sizeof *lengths + 4; li++) {
                size_t n =
                    li < sizeof lengths / sizeof *lengths ? lengths[li] : rng_next(&seed) % 1001;
                fill_values(values, n, w, pattern, &seed);
                out.len = 0;
                rle_encode_ok(values, n, w, &out);
                /* Never bigger than all bit-packed plus a header per 8 values. */
                assert_true(out.len <= (n + 7) / 8 * (size_t)w + 5 * ((n + 7) / 8 + 1));
                for (int chunked = 0; chunked < 2; chunked++) {
                    mdl_error err = {0};
                    memset(back, 0xEE, sizeof back);
                    int rc = rle_decode_all((const uint8_t *)out.data, out.len, w, back, n, chunked,
                                            &seed, &err);
                    if (rc != MDL_OK)
                        fail_msg("w=%d pattern=%d n=%zu: %s", w, pattern, n, err.message);
                    if (n)
                        assert_memory_equal(back, values, n * sizeof *values);
                }
                /* Deterministic: the same values give the same bytes. */
                mdl_buf again;
                mdl_buf_init(&again, &ctx, 0);
                rle_encode_ok(values, n, w, &again);
                assert_int_equal(again.len, out.len);
                if (out.len)
                    assert_memory_equal(again.data, out.data, out.len);
                mdl_buf_reset(&again);
                cases++;
            }
        }
    }
    assert_true(cases > 3000);
    mdl_buf_reset(&out);
}

/* A constant column costs a few bytes whatever its length; random data is about n * w / 8. */
static void test_format_pq_encoding__rle_compact(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    enum { N = 100000 };
    uint32_t *v = malloc(N * sizeof *v);
    assert_non_null(v);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    for (size_t i = 0; i < N; i++)
        v[i] = 77;
    rle_encode_ok(v, N, 7, &out);
    assert_int_equal(out.len, 4); /* varint(200000) is 3 bytes, then the value */
    uint64_t seed = 42;
    fill_values(v, N, 17, PATTERN_RANDOM, &seed);
    out.len = 0;
    rle_encode_ok(v, N, 17, &out);
    assert_true(out.len <= (size_t)N * 17 / 8 + 64);
    /* Definition levels: mostly 1 with a few nulls stay far below one bit per value. */
    fill_values(v, N, 1, PATTERN_SPARSE, &seed);
    out.len = 0;
    rle_encode_ok(v, N, 1, &out);
    assert_true(out.len < N / 8);
    mdl_buf_reset(&out);
    free(v);
}

/* RLE values take ceil(width / 8) bytes; width 0 takes none and decodes zeros. */
static void test_format_pq_encoding__rle_value_bytes(void **state)
{
    (void)state;
    uint32_t out[8];
    mdl_error err = {0};
    mdl_format__pq_rle_decoder dec;

    const uint8_t w9[] = {0x06, 0xFF, 0x01}; /* 3 x 511 */
    mdl_format__pq_rle_init(&dec, w9, sizeof w9, 9);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 3, &err), MDL_OK);
    assert_int_equal(out[0], 511);
    assert_int_equal(out[2], 511);

    const uint8_t w32[] = {0x04, 0x78, 0x56, 0x34, 0x12}; /* 2 x 0x12345678 */
    mdl_format__pq_rle_init(&dec, w32, sizeof w32, 32);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 2, &err), MDL_OK);
    assert_int_equal(out[1], 0x12345678);

    const uint8_t w0[] = {0x0A, 0x03}; /* RLE of 5 zeros (no value byte), then 1 group */
    memset(out, 0xEE, sizeof out);
    mdl_format__pq_rle_init(&dec, w0, sizeof w0, 0);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 8, &err), MDL_OK);
    for (int i = 0; i < 8; i++)
        assert_int_equal(out[i], 0);
}

/* The padding of the last group is never returned; the next call continues inside a group. */
static void test_format_pq_encoding__rle_padding_and_partial_groups(void **state)
{
    (void)state;
    /* Two groups at width 4: 0..15, then an RLE run of three 9s. */
    const uint8_t data[] = {0x05, 0x10, 0x32, 0x54, 0x76, 0x98, 0xBA, 0xDC, 0xFE, 0x06, 0x09};
    uint32_t out[20];
    mdl_error err = {0};
    mdl_format__pq_rle_decoder dec;
    mdl_format__pq_rle_init(&dec, data, sizeof data, 4);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 3, &err), MDL_OK);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out + 3, 10, &err), MDL_OK);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out + 13, 5, &err), MDL_OK);
    for (uint32_t i = 0; i < 16; i++)
        assert_int_equal(out[i], i);
    assert_int_equal(out[16], 9);
    assert_int_equal(out[17], 9);

    /* 11 values in 2 groups: the last 5 are padding and may be anything. */
    const uint8_t padded[] = {0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};
    mdl_format__pq_rle_init(&dec, padded, sizeof padded, 3);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 11, &err), MDL_OK);
    assert_int_equal(out[10], 7);
    rle_expect_error(padded, sizeof padded, 3, 17,
                     "RLE: data ends after 16 values; 1 more are needed");
}

/* A final bit-packed run cut short still yields the values that are there. */
static void test_format_pq_encoding__rle_truncated_final_run(void **state)
{
    (void)state;
    /* Header: 2 groups (16 values) at width 3 = 6 bytes; only 4 present = 10 whole values. */
    const uint8_t data[] = {0x05, 0x88, 0xC6, 0xFA, 0x88};
    uint32_t out[16];
    mdl_error err = {0};
    mdl_format__pq_rle_decoder dec;
    mdl_format__pq_rle_init(&dec, data, sizeof data, 3);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 10, &err), MDL_OK);
    const uint32_t expect[10] = {0, 1, 2, 3, 4, 5, 6, 7, 0, 1};
    assert_memory_equal(out, expect, sizeof expect);
    rle_expect_error(data, sizeof data, 3, 11, "RLE: data ends after 10 values; 1 more are needed");
    const uint8_t none[] = {0x05};
    rle_expect_error(none, sizeof none, 3, 1,
                     "RLE: bit-packed run of 16 values at byte 0 needs 6 bytes but only 0 remain");
}

static void test_format_pq_encoding__rle_malformed(void **state)
{
    (void)state;
    const uint8_t ok[] = {0x10, 0x01};
    rle_expect_error(ok, sizeof ok, 40, 1, "RLE: bit width 40 > 32");
    rle_expect_error(ok, sizeof ok, 33, 1, "RLE: bit width 33 > 32");
    rle_expect_error(ok, sizeof ok, -1, 1, "RLE: bit width -1 > 32");
    rle_expect_error(ok, 0, 1, 1, "RLE: data ends after 0 values; 1 more are needed");
    rle_expect_error(ok, sizeof ok, 1, 9, "RLE: data ends after 8 values; 1 more are needed");
    const uint8_t trunc_varint[] = {0x80};
    rle_expect_error(trunc_varint, sizeof trunc_varint, 1, 1,
                     "RLE: truncated run header at byte 0");
    const uint8_t too_long[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    rle_expect_error(too_long, sizeof too_long, 1, 1,
                     "RLE: run header at byte 0 does not fit 32 bits");
    const uint8_t over32[] = {0x80, 0x80, 0x80, 0x80, 0x10, 0x01};
    rle_expect_error(over32, sizeof over32, 1, 1,
                     "RLE: run header 4294967296 at byte 0 does not fit 32 bits");
    const uint8_t zero_rle[] = {0x00, 0x01};
    rle_expect_error(zero_rle, sizeof zero_rle, 1, 1, "RLE: RLE run of 0 values at byte 0");
    const uint8_t zero_packed[] = {0x01, 0x01};
    rle_expect_error(zero_packed, sizeof zero_packed, 1, 1,
                     "RLE: bit-packed run of 0 values at byte 0");
    /* 2^28 groups = 2^31 values, one more than a run may hold. */
    const uint8_t huge_packed[] = {0x81, 0x80, 0x80, 0x80, 0x02};
    rle_expect_error(huge_packed, sizeof huge_packed, 1, 1,
                     "RLE: bit-packed run of 2147483648 values at byte 0 exceeds 2^31 - 1");
    const uint8_t missing_value[] = {0x02, 0x01, 0x10};
    rle_expect_error(missing_value, sizeof missing_value, 1, 2,
                     "RLE: RLE run at byte 2 needs a 1-byte value but only 0 remain");
    const uint8_t short_value[] = {0x10, 0xFF};
    rle_expect_error(short_value, sizeof short_value, 9, 1,
                     "RLE: RLE run at byte 0 needs a 2-byte value but only 1 remain");
    const uint8_t wide_value[] = {0x10, 0x09};
    rle_expect_error(wide_value, sizeof wide_value, 3, 1,
                     "RLE: RLE run at byte 0 repeats 9, which does not fit in 3 bits");
    const uint8_t wide_value32[] = {0x10, 0x00, 0x00, 0x00, 0x80};
    uint32_t out[8];
    mdl_error err = {0};
    mdl_format__pq_rle_decoder dec;
    mdl_format__pq_rle_init(&dec, wide_value32, sizeof wide_value32, 32);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 8, &err), MDL_OK);
    assert_int_equal(out[7], 0x80000000u);
    /* Zero values asked of an empty stream is fine. */
    mdl_format__pq_rle_init(&dec, NULL, 0, 5);
    assert_int_equal(mdl_format__pq_rle_get(&dec, out, 0, &err), MDL_OK);
}

static void test_format_pq_encoding__rle_encode_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    mdl_buf_append(&out, "keep", 4, NULL);
    mdl_error err = {0};
    uint32_t v[20] = {1, 2, 3, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    EXPECT_ERROR(mdl_format__pq_rle_encode(v, 20, 33, &out, &err), MDL_ERR_INVALID_ARG, err,
                 "RLE: bit width 33 is outside 0..32");
    EXPECT_ERROR(mdl_format__pq_rle_encode(v, 20, 3, &out, &err), MDL_ERR_RANGE, err,
                 "RLE: value 9 at index 3 does not fit in 3 bits");
    EXPECT_ERROR(mdl_format__pq_rle_encode(v, 20, 0, &out, &err), MDL_ERR_RANGE, err,
                 "RLE: value 1 at index 0 does not fit in 0 bits");
    assert_int_equal(out.len, 4);
    mdl_buf_reset(&out);

    /* A full buffer: MDL_ERR_LIMIT and the buffer as it was. */
    mdl_buf small;
    mdl_buf_init(&small, &ctx, 6);
    mdl_buf_append(&small, "ab", 2, NULL);
    uint64_t seed = 1;
    uint32_t r[64];
    fill_values(r, 64, 10, PATTERN_RANDOM, &seed);
    assert_int_equal(mdl_format__pq_rle_encode(r, 64, 10, &small, &err), MDL_ERR_LIMIT);
    assert_int_equal(small.len, 2);
    mdl_buf_reset(&small);
}

/* ---- PLAIN -------------------------------------------------------------------------------------
 */

static void test_format_pq_encoding__plain_bool(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    const uint8_t v[10] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 7}; /* 7 counts as true */
    assert_int_equal(mdl_format__pq_plain_encode_bool(v, 10, &out, NULL), MDL_OK);
    assert_int_equal(out.len, 2);
    assert_memory_equal(out.data, "\x8D\x03", 2);
    uint8_t back[10];
    size_t used = 0;
    assert_int_equal(
        mdl_format__pq_plain_decode_bool((const uint8_t *)out.data, out.len, 10, back, &used, NULL),
        MDL_OK);
    assert_int_equal(used, 2);
    const uint8_t expect[10] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 1};
    assert_memory_equal(back, expect, 10);
    for (size_t n = 0; n <= 64; n++) {
        uint8_t a[64], b[64];
        for (size_t i = 0; i < n; i++)
            a[i] = (uint8_t)((i * 7 + n) % 3 == 0);
        out.len = 0;
        assert_int_equal(mdl_format__pq_plain_encode_bool(a, n, &out, NULL), MDL_OK);
        assert_int_equal(out.len, (n + 7) / 8);
        assert_int_equal(
            mdl_format__pq_plain_decode_bool((const uint8_t *)out.data, out.len, n, b, &used, NULL),
            MDL_OK);
        assert_int_equal(used, (n + 7) / 8);
        if (n)
            assert_memory_equal(a, b, n);
    }
    mdl_error err = {0};
    EXPECT_ERROR(mdl_format__pq_plain_decode_bool((const uint8_t *)"\x01", 1, 9, back, &used, &err),
                 MDL_ERR_PARSE, err, "PLAIN BOOLEAN: 9 values need 2 bytes but only 1 remain");
    mdl_buf_reset(&out);
}

static void test_format_pq_encoding__plain_numbers(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    size_t used;
    mdl_error err = {0};

    const int32_t i32[3] = {1, -2, INT32_MIN};
    assert_int_equal(mdl_format__pq_plain_encode_i32(i32, 3, &out, NULL), MDL_OK);
    assert_memory_equal(out.data, "\x01\0\0\0\xFE\xFF\xFF\xFF\0\0\0\x80", 12);
    int32_t i32b[3];
    assert_int_equal(
        mdl_format__pq_plain_decode_i32((const uint8_t *)out.data, out.len, 3, i32b, &used, NULL),
        MDL_OK);
    assert_int_equal(used, 12);
    assert_memory_equal(i32b, i32, sizeof i32);
    EXPECT_ERROR(
        mdl_format__pq_plain_decode_i32((const uint8_t *)out.data, 11, 3, i32b, &used, &err),
        MDL_ERR_PARSE, err, "PLAIN INT32: 3 values of 4 bytes do not fit in 11 bytes");
    EXPECT_ERROR(mdl_format__pq_plain_decode_i32((const uint8_t *)out.data, out.len, SIZE_MAX / 2,
                                                 i32b, &used, &err),
                 MDL_ERR_PARSE, err,
                 "PLAIN INT32: 9223372036854775807 values of 4 bytes do not fit in 12 bytes");

    const int64_t i64[2] = {INT64_MAX, -1};
    out.len = 0;
    assert_int_equal(mdl_format__pq_plain_encode_i64(i64, 2, &out, NULL), MDL_OK);
    assert_memory_equal(out.data,
                        "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x7F\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", 16);
    int64_t i64b[2];
    assert_int_equal(
        mdl_format__pq_plain_decode_i64((const uint8_t *)out.data, out.len, 2, i64b, &used, NULL),
        MDL_OK);
    assert_memory_equal(i64b, i64, sizeof i64);
    EXPECT_ERROR(
        mdl_format__pq_plain_decode_i64((const uint8_t *)out.data, 15, 2, i64b, &used, &err),
        MDL_ERR_PARSE, err, "PLAIN INT64: 2 values of 8 bytes do not fit in 15 bytes");

    const double d[2] = {1.5, -0.0};
    out.len = 0;
    assert_int_equal(mdl_format__pq_plain_encode_double(d, 2, &out, NULL), MDL_OK);
    assert_memory_equal(out.data, "\0\0\0\0\0\0\xF8\x3F\0\0\0\0\0\0\0\x80", 16);
    double db[2];
    assert_int_equal(
        mdl_format__pq_plain_decode_double((const uint8_t *)out.data, out.len, 2, db, &used, NULL),
        MDL_OK);
    assert_memory_equal(db, d, sizeof d);

    /* FLOAT: 1.0f = 0x3F800000, -2.5f = 0xC0200000. */
    float f[2];
    assert_int_equal(mdl_format__pq_plain_decode_float(
                         (const uint8_t *)"\x00\x00\x80\x3F\x00\x00\x20\xC0", 8, 2, f, &used, NULL),
                     MDL_OK);
    assert_true(f[0] == 1.0f && f[1] == -2.5f);
    EXPECT_ERROR(mdl_format__pq_plain_decode_float((const uint8_t *)"\0\0\0", 3, 1, f, &used, &err),
                 MDL_ERR_PARSE, err, "PLAIN FLOAT: 1 values of 4 bytes do not fit in 3 bytes");

    /* Zero values need nothing. */
    assert_int_equal(mdl_format__pq_plain_decode_double(NULL, 0, 0, db, &used, NULL), MDL_OK);
    assert_int_equal(used, 0);

    /* FIXED_LEN_BYTE_ARRAY */
    out.len = 0;
    assert_int_equal(mdl_format__pq_plain_encode_fixed("abcdef", 2, 3, &out, NULL), MDL_OK);
    assert_int_equal(out.len, 6);
    char fx[6];
    assert_int_equal(mdl_format__pq_plain_decode_fixed((const uint8_t *)out.data, out.len, 2, 3, fx,
                                                       &used, NULL),
                     MDL_OK);
    assert_memory_equal(fx, "abcdef", 6);
    EXPECT_ERROR(mdl_format__pq_plain_decode_fixed((const uint8_t *)out.data, out.len, 3, 3, fx,
                                                   &used, &err),
                 MDL_ERR_PARSE, err,
                 "PLAIN FIXED_LEN_BYTE_ARRAY: 3 values of 3 bytes do not fit in 6 bytes");
    EXPECT_ERROR(mdl_format__pq_plain_decode_fixed((const uint8_t *)out.data, out.len, 1, 0, fx,
                                                   &used, &err),
                 MDL_ERR_PARSE, err, "PLAIN FIXED_LEN_BYTE_ARRAY: type length 0");
    mdl_buf_reset(&out);
}

static void test_format_pq_encoding__plain_bytes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    const char *data = "helloworld!";
    const int64_t offsets[4] = {0, 5, 5, 11}; /* "hello", "", "world!" */
    assert_int_equal(mdl_format__pq_plain_encode_bytes(offsets, data, 3, &out, NULL), MDL_OK);
    const uint8_t expect[] = {5, 0, 0, 0, 'h', 'e', 'l', 'l', 'o', 0,   0,  0,
                              0, 6, 0, 0, 0,   'w', 'o', 'r', 'l', 'd', '!'};
    assert_int_equal(out.len, sizeof expect);
    assert_memory_equal(out.data, expect, sizeof expect);
    mdl_strview v[3];
    size_t used;
    mdl_error err = {0};
    assert_int_equal(mdl_format__pq_plain_decode_bytes(expect, sizeof expect, 3, v, &used, NULL),
                     MDL_OK);
    assert_int_equal(used, sizeof expect);
    assert_true(mdl_sv_eq_cstr(v[0], "hello") && v[1].len == 0 && mdl_sv_eq_cstr(v[2], "world!"));
    assert_ptr_equal(v[0].ptr, (const char *)expect + 4); /* views, not copies */

    /* Offsets that start later and a value in the middle of the data. */
    const int64_t mid[2] = {5, 10};
    out.len = 0;
    assert_int_equal(mdl_format__pq_plain_encode_bytes(mid, data, 1, &out, NULL), MDL_OK);
    assert_memory_equal(out.data, "\x05\0\0\0world", 9);

    /* Malformed: the length runs past the end, a negative length, a cut length prefix. */
    EXPECT_ERROR(mdl_format__pq_plain_decode_bytes(expect, sizeof expect - 1, 3, v, &used, &err),
                 MDL_ERR_PARSE, err,
                 "PLAIN BYTE_ARRAY: value 2 at byte 13 has length 6 but only 5 bytes remain");
    EXPECT_ERROR(mdl_format__pq_plain_decode_bytes(expect, 15, 3, v, &used, &err), MDL_ERR_PARSE,
                 err, "PLAIN BYTE_ARRAY: value 2 of 3: data ends at byte 13 before its length");
    const uint8_t negative[] = {0xFB, 0xFF, 0xFF, 0xFF, 'x'};
    EXPECT_ERROR(mdl_format__pq_plain_decode_bytes(negative, sizeof negative, 1, v, &used, &err),
                 MDL_ERR_PARSE, err, "PLAIN BYTE_ARRAY: value 0 at byte 0 has negative length -5");
    const uint8_t huge[] = {0xFF, 0xFF, 0xFF, 0x7F, 'x'};
    EXPECT_ERROR(mdl_format__pq_plain_decode_bytes(huge, sizeof huge, 1, v, &used, &err),
                 MDL_ERR_PARSE, err,
                 "PLAIN BYTE_ARRAY: value 0 at byte 0 has length 2147483647 but only 1 bytes "
                 "remain");
    /* n larger than the data holds. */
    EXPECT_ERROR(mdl_format__pq_plain_decode_bytes(expect, sizeof expect, 4, (mdl_strview[4]){0},
                                                   &used, &err),
                 MDL_ERR_PARSE, err,
                 "PLAIN BYTE_ARRAY: value 3 of 4: data ends at byte 23 before its length");

    /* Bad offsets are the caller's bug. */
    const int64_t bad[3] = {0, 4, 2};
    size_t before = out.len;
    assert_int_equal(mdl_format__pq_plain_encode_bytes(bad, data, 2, &out, &err),
                     MDL_ERR_INVALID_ARG);
    assert_int_equal(out.len, before);
    const int64_t neg[2] = {-1, 2};
    assert_int_equal(mdl_format__pq_plain_encode_bytes(neg, data, 1, &out, &err),
                     MDL_ERR_INVALID_ARG);
    mdl_buf_reset(&out);
}

/* INT96: int64 LE nanoseconds of the day, then int32 LE Julian day. */
static void make_int96(uint8_t b[12], int64_t nanos, int32_t julian)
{
    uint64_t n = (uint64_t)nanos;
    uint32_t j = (uint32_t)julian;
    for (int i = 0; i < 8; i++)
        b[i] = (uint8_t)(n >> (8 * i));
    for (int i = 0; i < 4; i++)
        b[8 + i] = (uint8_t)(j >> (8 * i));
}

static void test_format_pq_encoding__int96(void **state)
{
    (void)state;
    uint8_t b[12];
    make_int96(b, 0, 2440588);
    assert_int_equal(mdl_format__pq_int96_to_micros(b), 0);
    /* 2019-01-01T00:00:00Z is day 17897, Julian day 2458485. */
    make_int96(b, 0, 2458485);
    assert_int_equal(mdl_format__pq_int96_to_micros(b), INT64_C(17897) * 86400000000);
    /* 12:34:56.789012345 is truncated to .789012. */
    make_int96(b, INT64_C(45296789012345), 2440589);
    assert_int_equal(mdl_format__pq_int96_to_micros(b),
                     INT64_C(86400000000) + INT64_C(45296789012));
    /* Before the epoch: 1969-12-31T23:59:59.999999Z. */
    make_int96(b, INT64_C(86399999999000), 2440587);
    assert_int_equal(mdl_format__pq_int96_to_micros(b), -1);
    /* Malformed negative nanoseconds truncate toward zero, as Spark and DuckDB do. */
    make_int96(b, -1500, 2440588);
    assert_int_equal(mdl_format__pq_int96_to_micros(b), -1);
    /* Out of range: wraps (no UB); the decoder reports it. */
    make_int96(b, INT64_MAX, INT32_MAX);
    (void)mdl_format__pq_int96_to_micros(b);
    make_int96(b, INT64_MIN, INT32_MIN);
    (void)mdl_format__pq_int96_to_micros(b);

    uint8_t page[36];
    make_int96(page, 0, 2440588);
    make_int96(page + 12, 1000, 2440588);
    make_int96(page + 24, 0, 2458485);
    int64_t out[3];
    size_t used;
    assert_int_equal(mdl_format__pq_plain_decode_i96(page, sizeof page, 3, out, &used, NULL),
                     MDL_OK);
    assert_int_equal(used, 36);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 1);
    assert_int_equal(out[2], INT64_C(17897) * 86400000000);
    mdl_error err = {0};
    EXPECT_ERROR(mdl_format__pq_plain_decode_i96(page, 35, 3, out, &used, &err), MDL_ERR_PARSE, err,
                 "PLAIN INT96: 3 values of 12 bytes do not fit in 35 bytes");
    make_int96(page + 12, 0, INT32_MAX);
    EXPECT_ERROR(mdl_format__pq_plain_decode_i96(page, sizeof page, 3, out, &used, &err),
                 MDL_ERR_RANGE, err,
                 "PLAIN INT96: value 1 (Julian day 2147483647, 0 ns) is outside the timestamp "
                 "range");
}

/* ---- BYTE_STREAM_SPLIT -------------------------------------------------------------------------
 */

static void test_format_pq_encoding__bss(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    /* The example of Encodings.md: three 4-byte values. */
    const uint8_t raw[12] = {0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11,
                             0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6};
    const uint8_t split[12] = {0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4,
                               0xCC, 0x22, 0xC5, 0xDD, 0x33, 0xD6};
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    assert_int_equal(mdl_format__pq_bss_encode(raw, 3, 4, &out, NULL), MDL_OK);
    assert_int_equal(out.len, 12);
    assert_memory_equal(out.data, split, 12);
    uint8_t back[12];
    assert_int_equal(mdl_format__pq_bss_decode(split, 12, 3, 4, back, NULL), MDL_OK);
    assert_memory_equal(back, raw, 12);

    /* Every width 1..16 (4 and 8 have their own loops) and several lengths. */
    uint64_t seed = 7;
    uint8_t vals[16 * 100], dec[16 * 100];
    for (size_t width = 1; width <= 16; width++) {
        for (size_t n = 0; n <= 100; n += 11) {
            for (size_t i = 0; i < n * width; i++)
                vals[i] = (uint8_t)rng_next(&seed);
            out.len = 0;
            assert_int_equal(mdl_format__pq_bss_encode(vals, n, width, &out, NULL), MDL_OK);
            assert_int_equal(out.len, n * width);
            assert_int_equal(
                mdl_format__pq_bss_decode((const uint8_t *)out.data, out.len, n, width, dec, NULL),
                MDL_OK);
            if (n)
                assert_memory_equal(dec, vals, n * width);
        }
    }
    /* A double survives. */
    const double d[2] = {3.25, -1e300};
    double db[2];
    out.len = 0;
    assert_int_equal(mdl_format__pq_bss_encode(d, 2, 8, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_bss_decode((const uint8_t *)out.data, 16, 2, 8, db, NULL),
                     MDL_OK);
    assert_memory_equal(db, d, sizeof d);

    mdl_error err = {0};
    EXPECT_ERROR(mdl_format__pq_bss_decode(split, 11, 3, 4, back, &err), MDL_ERR_PARSE, err,
                 "BYTE_STREAM_SPLIT: 3 values of 4 bytes do not fit in 11 bytes");
    EXPECT_ERROR(mdl_format__pq_bss_decode(split, 12, 2, 4, back, &err), MDL_ERR_PARSE, err,
                 "BYTE_STREAM_SPLIT: 2 values of 4 bytes take 8 bytes, but the data has 12");
    EXPECT_ERROR(mdl_format__pq_bss_decode(split, 12, 3, 0, back, &err), MDL_ERR_PARSE, err,
                 "BYTE_STREAM_SPLIT: value width 0");
    assert_int_equal(mdl_format__pq_bss_decode(split, 12, SIZE_MAX / 2, 4, back, &err),
                     MDL_ERR_PARSE);
    mdl_buf_reset(&out);
}

/* ---- DELTA_BINARY_PACKED -----------------------------------------------------------------------
 */

/* Decodes data as n int64 values expecting success, the values and the whole input used. */
static void delta_expect_i64(const uint8_t *data, size_t len, const int64_t *expect, size_t n)
{
    int64_t out[64];
    assert_true(n <= 64);
    size_t used = 0;
    mdl_error err = {0};
    int rc = mdl_format__pq_delta_decode_i64(data, len, n, out, &used, &err);
    if (rc != MDL_OK)
        fail_msg("%s", err.message);
    assert_int_equal(used, len);
    if (n)
        assert_memory_equal(out, expect, n * sizeof *out);
}

static void delta_expect_error(const uint8_t *data, size_t len, size_t n, int code,
                               const char *message)
{
    int64_t out[300];
    assert_true(n <= 300);
    size_t used = 0;
    mdl_error err = {0};
    EXPECT_ERROR(mdl_format__pq_delta_decode_i64(data, len, n, out, &used, &err), code, err,
                 message);
}

/*
 * The two examples of Encodings.md "Delta Encoding" use a block size of 8 "to keep the examples
 * short, but in real cases it would be invalid". Here they are with the smallest valid layout
 * (block size 128, 4 miniblocks of 32), and as written, which must be rejected.
 */
static void test_format_pq_encoding__delta_spec_examples(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    /* Example 1: 1..5; deltas all 1, min delta 1, bit width 0, no miniblock data. */
    const uint8_t ex1[] = {0x80, 0x01, 0x04, 0x05, 0x02,  /* 128, 4, 5 values, first zigzag(1) */
                           0x02, 0x00, 0x00, 0x00, 0x00}; /* min delta zigzag(1), 4 widths */
    const int64_t ex1_values[5] = {1, 2, 3, 4, 5};
    delta_expect_i64(ex1, sizeof ex1, ex1_values, 5);

    /* Example 2: 7 5 3 1 2 3 4 5; min delta -2; relative 0 0 0 3 3 3 3 at 2 bits. */
    const uint8_t ex2[] = {0x80, 0x01, 0x04, 0x08, 0x0E, /* first value zigzag(7) = 14 */
                           0x03, 0x02, 0x00, 0x00, 0x00, /* zigzag(-2) = 3; widths 2 0 0 0 */
                           0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}; /* 32 x 2 bits */
    const int64_t ex2_values[8] = {7, 5, 3, 1, 2, 3, 4, 5};
    delta_expect_i64(ex2, sizeof ex2, ex2_values, 8);

    /* The encoder writes exactly these bytes. */
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    assert_int_equal(mdl_format__pq_delta_encode_i64(ex1_values, 5, &out, NULL), MDL_OK);
    assert_int_equal(out.len, sizeof ex1);
    assert_memory_equal(out.data, ex1, sizeof ex1);
    out.len = 0;
    const int32_t ex2_i32[8] = {7, 5, 3, 1, 2, 3, 4, 5};
    assert_int_equal(mdl_format__pq_delta_encode_i32(ex2_i32, 8, &out, NULL), MDL_OK);
    assert_int_equal(out.len, sizeof ex2);
    assert_memory_equal(out.data, ex2, sizeof ex2);
    mdl_buf_reset(&out);

    /* Example 1 with the spec's block size 8, 1 miniblock. */
    const uint8_t as_written[] = {0x08, 0x01, 0x05, 0x02, 0x02, 0x00};
    delta_expect_error(as_written, sizeof as_written, 5, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: block size 8 is not a positive multiple of 128 "
                       "below 2^32");

    /*
     * 29, 43, 89 (the vector of parquet-rs's fix for the consumed length): min delta 14,
     * relative deltas 0 and 32 at 6 bits; the miniblock's 32 x 6 bits are all there and used.
     */
    uint8_t rs[34] = {0x80, 0x01, 0x04, 0x03, 0x3A, 0x1C, 0x06, 0x00, 0x00, 0x00, 0x00, 0x08};
    const int64_t rs_values[3] = {29, 43, 89};
    delta_expect_i64(rs, sizeof rs, rs_values, 3);
    delta_expect_error(rs, 33, 3, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: miniblock of 32 values at width 6 needs 24 bytes at "
                       "byte 10 but only 23 remain");
}

static void test_format_pq_encoding__delta_roundtrip(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    enum { N = 1000 };
    int64_t *v = malloc(N * sizeof *v), *back = malloc(N * sizeof *back);
    int32_t *v32 = malloc(N * sizeof *v32), *back32 = malloc(N * sizeof *back32);
    assert_true(v && back && v32 && back32);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    uint64_t seed = 99;
    static const size_t lengths[] = {0, 1, 2, 31, 32, 33, 127, 128, 129, 130, 255, 256, 257, 1000};
    for (int pattern = 0; pattern < 6; pattern++) {
        for (size_t li = 0; li < sizeof lengths / sizeof *lengths; li++) {
            size_t n = lengths[li];
            for (size_t i = 0; i < n; i++) {
                uint64_t r = rng_next(&seed);
                switch (pattern) {
                case 0: /* random 64-bit: deltas overflow, widths up to 64 */
                    v[i] = (int64_t)(r >> 1) * (r & 1 ? -1 : 1);
                    break;
                case 1: /* extremes alternating */
                    v[i] = i % 2 ? INT64_MIN : INT64_MAX;
                    break;
                case 2: /* increasing ids */
                    v[i] = 1000000 + (int64_t)i * 3;
                    break;
                case 3: /* constant */
                    v[i] = -42;
                    break;
                case 4: /* small noise around a timestamp */
                    v[i] = INT64_C(1700000000000000) + (int64_t)(r % 1000);
                    break;
                default: /* int32 range only */
                    v[i] = (int32_t)(uint32_t)r;
                    break;
                }
                v32[i] = (int32_t)(uint32_t)(uint64_t)v[i];
            }
            out.len = 0;
            assert_int_equal(mdl_format__pq_delta_encode_i64(v, n, &out, NULL), MDL_OK);
            size_t used = 0;
            mdl_error err = {0};
            int rc = mdl_format__pq_delta_decode_i64((const uint8_t *)out.data, out.len, n, back,
                                                     &used, &err);
            if (rc != MDL_OK)
                fail_msg("pattern %d n %zu: %s", pattern, n, err.message);
            assert_int_equal(used, out.len);
            if (n)
                assert_memory_equal(back, v, n * sizeof *v);

            out.len = 0;
            assert_int_equal(mdl_format__pq_delta_encode_i32(v32, n, &out, NULL), MDL_OK);
            rc = mdl_format__pq_delta_decode_i32((const uint8_t *)out.data, out.len, n, back32,
                                                 &used, &err);
            if (rc != MDL_OK)
                fail_msg("i32 pattern %d n %zu: %s", pattern, n, err.message);
            assert_int_equal(used, out.len);
            if (n)
                assert_memory_equal(back32, v32, n * sizeof *v32);
        }
    }
    /*
     * An INT32 stream whose deltas were computed in 64 bits still decodes: header 9 bytes
     * (first value zigzag 2^32 - 1), min delta -(2^32 - 1) in 5 bytes, then bit width 33.
     */
    const int64_t wide[3] = {INT32_MIN, INT32_MAX, INT32_MIN};
    out.len = 0;
    assert_int_equal(mdl_format__pq_delta_encode_i64(wide, 3, &out, NULL), MDL_OK);
    assert_int_equal((uint8_t)out.data[14], 33);
    int32_t w32[3];
    size_t used;
    assert_int_equal(
        mdl_format__pq_delta_decode_i32((const uint8_t *)out.data, out.len, 3, w32, &used, NULL),
        MDL_OK);
    assert_true(w32[0] == INT32_MIN && w32[1] == INT32_MAX && w32[2] == INT32_MIN);
    mdl_buf_reset(&out);
    free(v);
    free(back);
    free(v32);
    free(back32);
}

/* Widths of miniblocks after the last value are ignored, whatever they say. */
static void test_format_pq_encoding__delta_unused_miniblock_widths(void **state)
{
    (void)state;
    const uint8_t data[] = {0x80, 0x01, 0x04, 0x03, 0x00,  /* 3 values, first 0 */
                            0x02, 0x00, 0xFF, 0x41, 0x07}; /* min delta 1; widths 0 255 65 7 */
    const int64_t expect[3] = {0, 1, 2};
    delta_expect_i64(data, sizeof data, expect, 3);
    /* Several blocks: 300 values = first + 2 full blocks + 43 in the third. */
    int64_t v[300];
    for (int i = 0; i < 300; i++)
        v[i] = (int64_t)i * i;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    assert_int_equal(mdl_format__pq_delta_encode_i64(v, 300, &out, NULL), MDL_OK);
    int64_t back[300];
    size_t used;
    assert_int_equal(
        mdl_format__pq_delta_decode_i64((const uint8_t *)out.data, out.len, 300, back, &used, NULL),
        MDL_OK);
    assert_int_equal(used, out.len);
    assert_memory_equal(back, v, sizeof v);
    mdl_buf_reset(&out);
}

static void test_format_pq_encoding__delta_malformed(void **state)
{
    (void)state;
    const uint8_t zero_block[] = {0x00, 0x04, 0x01, 0x00};
    delta_expect_error(zero_block, sizeof zero_block, 1, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: block size 0 is not a positive multiple of 128 "
                       "below 2^32");
    const uint8_t block_2e32[] = {0x80, 0x80, 0x80, 0x80, 0x10, 0x04, 0x01, 0x00};
    delta_expect_error(block_2e32, sizeof block_2e32, 1, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: block size 4294967296 is not a positive multiple of "
                       "128 below 2^32");
    const uint8_t zero_minis[] = {0x80, 0x01, 0x00, 0x01, 0x00};
    delta_expect_error(zero_minis, sizeof zero_minis, 1, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: 0 miniblocks do not split a block of 128 values into "
                       "multiples of 32");
    const uint8_t not_dividing[] = {0x80, 0x01, 0x03, 0x01, 0x00};
    delta_expect_error(not_dividing, sizeof not_dividing, 1, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: 3 miniblocks do not split a block of 128 values into "
                       "multiples of 32");
    const uint8_t mini16[] = {0x80, 0x01, 0x08, 0x01, 0x00};
    delta_expect_error(mini16, sizeof mini16, 1, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: 8 miniblocks do not split a block of 128 values into "
                       "multiples of 32");
    const uint8_t count[] = {0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00};
    delta_expect_error(count, sizeof count, 7, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: the header holds 5 values, expected 7");
    delta_expect_error(count, 3, 5, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: value count at byte 3: varint missing");
    delta_expect_error(count, 0, 5, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: block size at byte 0: varint missing");
    const uint8_t trunc_varint[] = {0x80};
    delta_expect_error(trunc_varint, sizeof trunc_varint, 1, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: block size at byte 0: varint truncated");
    const uint8_t long_varint[] = {0x80, 0x01, 0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF,
                                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01};
    delta_expect_error(long_varint, sizeof long_varint, 1, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: first value at byte 4: varint over 64 bits");
    /* The bit width of a miniblock that is read must be <= 64. */
    const uint8_t width70[] = {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x46, 0x00, 0x00, 0x00};
    delta_expect_error(width70, sizeof width70, 2, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: miniblock bit width 70 > 64 (block at byte 5)");
    /* Block header cut: min delta missing, then the widths. */
    delta_expect_error(width70, 5, 2, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: min delta at byte 5: varint missing");
    delta_expect_error(width70, 8, 2, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: block at byte 5 needs 4 bit widths but only 2 bytes "
                       "remain");
    /* A block whose miniblock body is missing. */
    const uint8_t no_body[] = {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00};
    delta_expect_error(no_body, sizeof no_body, 2, MDL_ERR_PARSE,
                       "DELTA_BINARY_PACKED: miniblock of 32 values at width 1 needs 4 bytes at "
                       "byte 10 but only 0 remain");
    /* A second block that is not there. */
    int64_t out[200];
    size_t used;
    mdl_error err = {0};
    const uint8_t one_block[] = {0x80, 0x01, 0x04, 0x82, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    EXPECT_ERROR(
        mdl_format__pq_delta_decode_i64(one_block, sizeof one_block, 130, out, &used, &err),
        MDL_ERR_PARSE, err, "DELTA_BINARY_PACKED: min delta at byte 11: varint missing");
    /* INT32: a first value outside the type. */
    const uint8_t big_first[] = {0x80, 0x01, 0x04, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10};
    int32_t o32[1];
    EXPECT_ERROR(mdl_format__pq_delta_decode_i32(big_first, sizeof big_first, 1, o32, &used, &err),
                 MDL_ERR_PARSE, err,
                 "DELTA_BINARY_PACKED: first value 2147483648 does not fit an INT32");
    /* Zero values: an empty input, or a header announcing 0. */
    assert_int_equal(mdl_format__pq_delta_decode_i64(NULL, 0, 0, out, &used, NULL), MDL_OK);
    assert_int_equal(used, 0);
    const uint8_t empty[] = {0x80, 0x01, 0x04, 0x00, 0x00, 0xAA};
    assert_int_equal(mdl_format__pq_delta_decode_i64(empty, sizeof empty, 0, out, &used, NULL),
                     MDL_OK);
    assert_int_equal(used, 5);
}

/* ---- DELTA_LENGTH_BYTE_ARRAY and DELTA_BYTE_ARRAY ----------------------------------------------
 */

/* Appends a DELTA_BINARY_PACKED INT32 stream of the given lengths. */
static void put_lengths(mdl_buf *out, const int32_t *lens, size_t n)
{
    assert_int_equal(mdl_format__pq_delta_encode_i32(lens, n, out, NULL), MDL_OK);
}

/* Checks that data/offsets hold exactly the NUL-separated strings of `expect`. */
static void expect_strings(const mdl_buf *data, const int64_t *offsets, size_t n,
                           const char *const *expect)
{
    assert_int_equal(offsets[0], 0);
    for (size_t i = 0; i < n; i++) {
        size_t len = (size_t)(offsets[i + 1] - offsets[i]);
        assert_int_equal(len, strlen(expect[i]));
        assert_memory_equal(data->data + offsets[i], expect[i], len);
    }
    assert_int_equal((size_t)offsets[n], data->len);
}

static void test_format_pq_encoding__delta_length_byte_array(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    /* The example of Encodings.md. */
    static const char *const words[4] = {"Hello", "World", "Foobar", "ABCDEF"};
    const int32_t lens[4] = {5, 5, 6, 6};
    mdl_buf page, data;
    mdl_buf_init(&page, &ctx, 0);
    mdl_buf_init(&data, &ctx, 0);
    put_lengths(&page, lens, 4);
    size_t lengths_len = page.len;
    mdl_buf_append_str(&page, "HelloWorldFoobarABCDEF", NULL);
    mdl_buf_append_str(&page, "trailer", NULL);
    int64_t offsets[5];
    size_t used;
    mdl_error err = {0};
    assert_int_equal(mdl_format__pq_delta_length_decode((const uint8_t *)page.data, page.len, 4,
                                                        &data, offsets, &used, &err),
                     MDL_OK);
    assert_int_equal(used, lengths_len + 22);
    expect_strings(&data, offsets, 4, words);

    /* Appends after what the buffer already holds; offsets count from there. */
    assert_int_equal(mdl_format__pq_delta_length_decode((const uint8_t *)page.data, page.len, 4,
                                                        &data, offsets, &used, &err),
                     MDL_OK);
    assert_int_equal(data.len, 44);
    assert_int_equal(offsets[4], 22);
    assert_memory_equal(data.data + 22 + offsets[2], "Foobar", 6);

    /* The data ends before the last value. */
    data.len = 0;
    EXPECT_ERROR(mdl_format__pq_delta_length_decode((const uint8_t *)page.data, lengths_len + 21, 4,
                                                    &data, offsets, &used, &err),
                 MDL_ERR_PARSE, err,
                 "DELTA_LENGTH_BYTE_ARRAY: value 3 of length 6 ends past the 21 data bytes after "
                 "the lengths");
    assert_int_equal(data.len, 0);
    /* A negative length. */
    const int32_t neg[3] = {1, -1, 1};
    page.len = 0;
    put_lengths(&page, neg, 3);
    mdl_buf_append_str(&page, "abc", NULL);
    EXPECT_ERROR(mdl_format__pq_delta_length_decode((const uint8_t *)page.data, page.len, 3, &data,
                                                    offsets, &used, &err),
                 MDL_ERR_PARSE, err, "DELTA_LENGTH_BYTE_ARRAY: value 1 has negative length -1");
    /* The lengths stream's own errors carry its name. */
    EXPECT_ERROR(mdl_format__pq_delta_length_decode((const uint8_t *)page.data, page.len, 2, &data,
                                                    offsets, &used, &err),
                 MDL_ERR_PARSE, err,
                 "DELTA_LENGTH_BYTE_ARRAY: lengths: the header holds 3 values, expected 2");
    /* A buffer limit is MDL_ERR_LIMIT. */
    page.len = 0;
    put_lengths(&page, lens, 4);
    mdl_buf_append_str(&page, "HelloWorldFoobarABCDEF", NULL);
    mdl_buf small;
    mdl_buf_init(&small, &ctx, 10);
    assert_int_equal(mdl_format__pq_delta_length_decode((const uint8_t *)page.data, page.len, 4,
                                                        &small, offsets, &used, &err),
                     MDL_ERR_LIMIT);
    assert_int_equal(small.len, 0);
    /* No values. */
    assert_int_equal(mdl_format__pq_delta_length_decode(NULL, 0, 0, &data, offsets, &used, &err),
                     MDL_OK);
    assert_int_equal(offsets[0], 0);
    assert_int_equal(used, 0);
    mdl_buf_reset(&small);
    mdl_buf_reset(&page);
    mdl_buf_reset(&data);
}

/*
 * The example of Encodings.md "Delta Strings", written out by hand: "axis", "axle", "babble",
 * "babyhood" are prefix lengths 0 2 0 3, suffix lengths 4 2 6 5 and "axislebabbleyhood".
 */
static const uint8_t dba_example[] = {
    /* prefix lengths: 128, 4 miniblocks, 4 values, first 0; min delta -2 (deltas 2 -2 3),
       widths 3 0 0 0, then 4 0 5 at 3 bits in a 12-byte miniblock */
    0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x44, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* suffix lengths: first 4 (zigzag 8); min delta -2 (deltas -2 4 -1); 0 6 1 at 3 bits */
    0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0x00, 0x00, 0x00, 0x70, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    /* suffixes */
    'a', 'x', 'i', 's', 'l', 'e', 'b', 'a', 'b', 'b', 'l', 'e', 'y', 'h', 'o', 'o', 'd'};

static void test_format_pq_encoding__delta_byte_array_spec_example(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    static const char *const words[4] = {"axis", "axle", "babble", "babyhood"};
    mdl_buf data;
    mdl_buf_init(&data, &ctx, 0);
    int64_t offsets[5];
    size_t used;
    mdl_error err = {0};
    assert_int_equal(mdl_format__pq_delta_bytes_decode(dba_example, sizeof dba_example, 4, &data,
                                                       offsets, &used, &err),
                     MDL_OK);
    assert_int_equal(used, sizeof dba_example);
    expect_strings(&data, offsets, 4, words);

    /* Our encoder produces the same length streams. */
    mdl_buf page;
    mdl_buf_init(&page, &ctx, 0);
    const int32_t prefix[4] = {0, 2, 0, 3}, suffix[4] = {4, 2, 6, 5};
    put_lengths(&page, prefix, 4);
    put_lengths(&page, suffix, 4);
    mdl_buf_append_str(&page, "axislebabbleyhood", NULL);
    assert_int_equal(page.len, sizeof dba_example);
    assert_memory_equal(page.data, dba_example, sizeof dba_example);
    mdl_buf_reset(&page);
    mdl_buf_reset(&data);
    assert_int_equal(a.live, 0);

    /* The scratch allocation failing is MDL_ERR_NOMEM, with nothing leaked. */
    mdl_buf_init(&data, &ctx, 0);
    a.fail = true;
    assert_int_equal(mdl_format__pq_delta_bytes_decode(dba_example, sizeof dba_example, 4, &data,
                                                       offsets, &used, &err),
                     MDL_ERR_NOMEM);
    a.fail = false;
    assert_int_equal(a.live, 0);
}

/* Builds a DELTA_BYTE_ARRAY page from prefix and suffix lengths and suffix bytes. */
static void make_dba(mdl_buf *page, const int32_t *prefix, const int32_t *suffix, size_t n,
                     const char *bytes)
{
    page->len = 0;
    put_lengths(page, prefix, n);
    put_lengths(page, suffix, n);
    mdl_buf_append_str(page, bytes, NULL);
}

static void test_format_pq_encoding__delta_byte_array_malformed(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_buf page, data;
    mdl_buf_init(&page, &ctx, 0);
    mdl_buf_init(&data, &ctx, 0);
    mdl_buf_append(&data, "xy", 2, NULL);
    int64_t offsets[8];
    size_t used;
    mdl_error err = {0};
#define DBA(n)                                                                                     \
    mdl_format__pq_delta_bytes_decode((const uint8_t *)page.data, page.len, n, &data, offsets,     \
                                      &used, &err)

    /* A prefix longer than the previous value. */
    make_dba(&page, (const int32_t[]){0, 3}, (const int32_t[]){2, 1}, 2, "abc");
    EXPECT_ERROR(DBA(2), MDL_ERR_PARSE, err,
                 "DELTA_BYTE_ARRAY: value 1 has prefix length 3 but the previous value has 2 "
                 "bytes");
    /* The first value has no previous one. */
    make_dba(&page, (const int32_t[]){1}, (const int32_t[]){1}, 1, "a");
    EXPECT_ERROR(DBA(1), MDL_ERR_PARSE, err,
                 "DELTA_BYTE_ARRAY: value 0 has prefix length 1 but the previous value has 0 "
                 "bytes");
    /* Negative lengths. */
    make_dba(&page, (const int32_t[]){0, -1}, (const int32_t[]){1, 1}, 2, "ab");
    EXPECT_ERROR(DBA(2), MDL_ERR_PARSE, err,
                 "DELTA_BYTE_ARRAY: value 1 has negative prefix length -1");
    make_dba(&page, (const int32_t[]){0, 0}, (const int32_t[]){1, -7}, 2, "ab");
    EXPECT_ERROR(DBA(2), MDL_ERR_PARSE, err,
                 "DELTA_BYTE_ARRAY: value 1 has negative suffix length -7");
    /* Suffixes past the end. */
    make_dba(&page, (const int32_t[]){0, 1}, (const int32_t[]){2, 3}, 2, "abcd");
    EXPECT_ERROR(DBA(2), MDL_ERR_PARSE, err,
                 "DELTA_BYTE_ARRAY: suffix of value 1 (length 3) ends past the 4 data bytes after "
                 "the lengths");
    /* Count mismatches in either stream. */
    make_dba(&page, (const int32_t[]){0, 1}, (const int32_t[]){2, 1}, 2, "abc");
    EXPECT_ERROR(DBA(3), MDL_ERR_PARSE, err,
                 "DELTA_BYTE_ARRAY: prefix lengths: the header holds 2 values, expected 3");
    page.len = 0;
    put_lengths(&page, (const int32_t[]){0, 1}, 2);
    put_lengths(&page, (const int32_t[]){2}, 1);
    EXPECT_ERROR(DBA(2), MDL_ERR_PARSE, err,
                 "DELTA_BYTE_ARRAY: suffix lengths: the header holds 1 values, expected 2");
    /* The suffix stream is cut: its byte positions count from the page start. */
    page.len = 0;
    put_lengths(&page, (const int32_t[]){0, 1}, 2);
    size_t at = page.len;
    mdl_buf_append(&page, "\x80\x01\x04", 3, NULL);
    char msg[128];
    snprintf(msg, sizeof msg,
             "DELTA_BYTE_ARRAY: suffix lengths: value count at byte %zu: varint missing", at + 3);
    EXPECT_ERROR(DBA(2), MDL_ERR_PARSE, err, msg);
    assert_int_equal(data.len, 2);
    assert_int_equal(a.live, 2); /* the two buffers; the scratch array was freed every time */

    /* Prefixes make the output larger than the input: bounded by the buffer's maximum. */
    mdl_buf small;
    mdl_buf_init(&small, &ctx, 20);
    make_dba(&page, (const int32_t[]){0, 8, 8, 8}, (const int32_t[]){8, 0, 0, 0}, 4, "abcdefgh");
    assert_int_equal(mdl_format__pq_delta_bytes_decode((const uint8_t *)page.data, page.len, 4,
                                                       &small, offsets, &used, &err),
                     MDL_ERR_LIMIT);
    assert_string_equal(err.message,
                        "DELTA_BYTE_ARRAY: value 2 would take the output past its limit of 20 "
                        "bytes");
    assert_int_equal(small.len, 0);
    /* The same page decodes with room, each value a copy of the first. */
    assert_int_equal(DBA(4), MDL_OK);
    static const char *const same[4] = {"abcdefgh", "abcdefgh", "abcdefgh", "abcdefgh"};
    mdl_buf view = data;
    view.data += 2;
    view.len -= 2;
    expect_strings(&view, offsets, 4, same);
#undef DBA
    mdl_buf_reset(&small);
    mdl_buf_reset(&page);
    mdl_buf_reset(&data);
    assert_int_equal(a.live, 0);
}

/* Round trips of random strings with shared prefixes through a test-side front coder. */
static void test_format_pq_encoding__delta_byte_array_roundtrip(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    enum { N = 500 };
    char words[N][24];
    int32_t prefix[N], suffix[N];
    uint64_t seed = 5;
    mdl_buf sfx, page, data;
    mdl_buf_init(&sfx, &ctx, 0);
    mdl_buf_init(&page, &ctx, 0);
    mdl_buf_init(&data, &ctx, 0);
    for (size_t i = 0; i < N; i++) {
        size_t len = rng_next(&seed) % 20;
        for (size_t k = 0; k < len; k++)
            words[i][k] = (char)('a' + rng_next(&seed) % 3);
        words[i][len] = '\0';
        size_t p = 0;
        if (i > 0)
            while (words[i][p] && words[i][p] == words[i - 1][p])
                p++;
        prefix[i] = (int32_t)p;
        suffix[i] = (int32_t)(len - p);
        mdl_buf_append(&sfx, words[i] + p, len - p, NULL);
    }
    put_lengths(&page, prefix, N);
    put_lengths(&page, suffix, N);
    mdl_buf_append(&page, sfx.data, sfx.len, NULL);
    int64_t offsets[N + 1];
    size_t used;
    mdl_error err = {0};
    int rc = mdl_format__pq_delta_bytes_decode((const uint8_t *)page.data, page.len, N, &data,
                                               offsets, &used, &err);
    if (rc != MDL_OK)
        fail_msg("%s", err.message);
    assert_int_equal(used, page.len);
    const char *expect[N];
    for (size_t i = 0; i < N; i++)
        expect[i] = words[i];
    expect_strings(&data, offsets, N, expect);
    mdl_buf_reset(&sfx);
    mdl_buf_reset(&page);
    mdl_buf_reset(&data);
}

/* Zero values: every encoder leaves a fresh buffer empty, every decoder accepts NULL data. */
static void test_format_pq_encoding__empty(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    const int64_t off0[1] = {0};
    assert_int_equal(mdl_format__pq_plain_encode_bool(NULL, 0, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_plain_encode_i32(NULL, 0, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_plain_encode_i64(NULL, 0, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_plain_encode_double(NULL, 0, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_plain_encode_bytes(off0, NULL, 0, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_plain_encode_fixed(NULL, 0, 16, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_bss_encode(NULL, 0, 8, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_rle_encode(NULL, 0, 5, &out, NULL), MDL_OK);
    assert_int_equal(out.len, 0);
    assert_null(out.data);

    size_t used = 99;
    assert_int_equal(mdl_format__pq_plain_decode_bool(NULL, 0, 0, NULL, &used, NULL), MDL_OK);
    assert_int_equal(used, 0);
    assert_int_equal(mdl_format__pq_plain_decode_i96(NULL, 0, 0, NULL, &used, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_plain_decode_fixed(NULL, 0, 0, 3, NULL, &used, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_plain_decode_bytes(NULL, 0, 0, NULL, &used, NULL), MDL_OK);
    assert_int_equal(used, 0);
    assert_int_equal(mdl_format__pq_bss_decode(NULL, 0, 0, 4, NULL, NULL), MDL_OK);
    assert_int_equal(mdl_format__pq_bss_decode(NULL, 0, 0, 5, NULL, NULL), MDL_OK);
    int64_t offsets[1] = {-1};
    assert_int_equal(mdl_format__pq_delta_bytes_decode(NULL, 0, 0, &out, offsets, &used, NULL),
                     MDL_OK);
    assert_int_equal(offsets[0], 0);
    assert_int_equal(used, 0);
    assert_null(out.data);

    /* A DELTA_BYTE_ARRAY page of empty strings produces no bytes but n + 1 offsets. */
    mdl_buf page;
    mdl_buf_init(&page, &ctx, 0);
    const int32_t zeros[3] = {0, 0, 0};
    put_lengths(&page, zeros, 3);
    put_lengths(&page, zeros, 3);
    int64_t off3[4];
    assert_int_equal(mdl_format__pq_delta_bytes_decode((const uint8_t *)page.data, page.len, 3,
                                                       &out, off3, &used, NULL),
                     MDL_OK);
    assert_int_equal(used, page.len);
    assert_true(off3[0] == 0 && off3[1] == 0 && off3[2] == 0 && off3[3] == 0);
    assert_null(out.data);
    mdl_buf_reset(&page);
}

/* ---- robustness -------------------------------------------------------------------------------
 */

/* Random bytes and random mutations of valid streams through every decoder: no crash, no leak. */
static void test_format_pq_encoding__garbage_never_crashes(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    uint64_t seed = 12345;
    enum { MAXN = 300 };
    uint8_t buf[400];
    uint32_t u32[MAXN];
    int64_t i64[MAXN + 1];
    int32_t i32[MAXN];
    mdl_strview sv[MAXN];
    uint8_t bytes[MAXN * 16];
    mdl_buf data;
    mdl_buf_init(&data, &ctx, 1 << 16);
    size_t ok = 0;
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = rng_next(&seed) % sizeof buf;
        if (iter % 2) {
            for (size_t i = 0; i < len; i++)
                buf[i] = (uint8_t)rng_next(&seed);
        } else {
            /* A valid delta stream with a few bytes flipped. */
            int64_t v[64];
            size_t n = rng_next(&seed) % 64;
            for (size_t i = 0; i < n; i++)
                v[i] = (int64_t)(rng_next(&seed) % 100);
            mdl_buf tmp;
            mdl_buf_init(&tmp, &ctx, 0);
            assert_int_equal(mdl_format__pq_delta_encode_i64(v, n, &tmp, NULL), MDL_OK);
            len = tmp.len < sizeof buf ? tmp.len : sizeof buf;
            memcpy(buf, tmp.data, len);
            mdl_buf_reset(&tmp);
            for (int f = 0; f < 3 && len; f++)
                buf[rng_next(&seed) % len] ^= (uint8_t)(1u << (rng_next(&seed) % 8));
        }
        size_t n = rng_next(&seed) % MAXN;
        size_t used;
        mdl_error err;
        mdl_format__pq_rle_decoder dec;
        mdl_format__pq_rle_init(&dec, buf, len, (int)(rng_next(&seed) % 34));
        ok += mdl_format__pq_rle_get(&dec, u32, n, &err) == MDL_OK;
        ok += mdl_format__pq_delta_decode_i64(buf, len, n, i64, &used, &err) == MDL_OK;
        ok += mdl_format__pq_delta_decode_i32(buf, len, n, i32, &used, &err) == MDL_OK;
        data.len = 0;
        ok += mdl_format__pq_delta_length_decode(buf, len, n, &data, i64, &used, &err) == MDL_OK;
        data.len = 0;
        ok += mdl_format__pq_delta_bytes_decode(buf, len, n, &data, i64, &used, &err) == MDL_OK;
        ok += mdl_format__pq_plain_decode_bytes(buf, len, n, sv, &used, &err) == MDL_OK;
        ok += mdl_format__pq_plain_decode_i96(buf, len, n, i64, &used, &err) == MDL_OK;
        ok += mdl_format__pq_plain_decode_bool(buf, len, n, bytes, &used, &err) == MDL_OK;
        ok +=
            mdl_format__pq_bss_decode(buf, len, n, 1 + rng_next(&seed) % 16, bytes, &err) == MDL_OK;
    }
    assert_true(ok > 0);
    mdl_buf_reset(&data);
    assert_int_equal(a.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_pq_encoding__bit_width),
        cmocka_unit_test(test_format_pq_encoding__uleb128),
        cmocka_unit_test(test_format_pq_encoding__rle_spec_bitpack_example),
        cmocka_unit_test(test_format_pq_encoding__rle_encoder_layout),
        cmocka_unit_test(test_format_pq_encoding__rle_roundtrip_all_widths),
        cmocka_unit_test(test_format_pq_encoding__rle_compact),
        cmocka_unit_test(test_format_pq_encoding__rle_value_bytes),
        cmocka_unit_test(test_format_pq_encoding__rle_padding_and_partial_groups),
        cmocka_unit_test(test_format_pq_encoding__rle_truncated_final_run),
        cmocka_unit_test(test_format_pq_encoding__rle_malformed),
        cmocka_unit_test(test_format_pq_encoding__rle_encode_errors),
        cmocka_unit_test(test_format_pq_encoding__plain_bool),
        cmocka_unit_test(test_format_pq_encoding__plain_numbers),
        cmocka_unit_test(test_format_pq_encoding__plain_bytes),
        cmocka_unit_test(test_format_pq_encoding__int96),
        cmocka_unit_test(test_format_pq_encoding__bss),
        cmocka_unit_test(test_format_pq_encoding__delta_spec_examples),
        cmocka_unit_test(test_format_pq_encoding__delta_roundtrip),
        cmocka_unit_test(test_format_pq_encoding__delta_unused_miniblock_widths),
        cmocka_unit_test(test_format_pq_encoding__delta_malformed),
        cmocka_unit_test(test_format_pq_encoding__delta_length_byte_array),
        cmocka_unit_test(test_format_pq_encoding__delta_byte_array_spec_example),
        cmocka_unit_test(test_format_pq_encoding__delta_byte_array_malformed),
        cmocka_unit_test(test_format_pq_encoding__delta_byte_array_roundtrip),
        cmocka_unit_test(test_format_pq_encoding__empty),
        cmocka_unit_test(test_format_pq_encoding__garbage_never_crashes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
