/*
 * test_format_compress.c - Parquet page compression (src/format/compress.c): round trips of
 * every writable codec and level on empty, tiny, random, repetitive and 4 MiB pages;
 * deterministic output; wrong page sizes, corrupt and truncated input and decompression bombs;
 * the Hadoop LZ4 framing; files made by the gzip and zstd command-line tools (as literals, so
 * the test needs no tools); multi-member gzip and multi-frame zstd; allocation through the
 * context and no allocation per page; codec names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <zlib.h>
#include <zstd.h>

#include "test_support.h"
#include "format/compress.h"

typedef struct codec_cfg {
    int codec;
    int level;
} codec_cfg;

/* Every codec the writer can produce, with levels that take different code paths. */
static const codec_cfg WRITABLE[] = {
    {MDL_FORMAT__CODEC_UNCOMPRESSED, 0}, {MDL_FORMAT__CODEC_SNAPPY, 0},
    {MDL_FORMAT__CODEC_GZIP, 0},         {MDL_FORMAT__CODEC_GZIP, 1},
    {MDL_FORMAT__CODEC_ZSTD, 0},         {MDL_FORMAT__CODEC_ZSTD, -5},
    {MDL_FORMAT__CODEC_LZ4_RAW, 0},      {MDL_FORMAT__CODEC_LZ4_RAW, -8},
    {MDL_FORMAT__CODEC_LZ4_RAW, 9},
};
#define N_WRITABLE (sizeof WRITABLE / sizeof WRITABLE[0])

/* One configuration per codec, for the tests of decoding. */
static const codec_cfg ONE_EACH[] = {{MDL_FORMAT__CODEC_UNCOMPRESSED, 0},
                                     {MDL_FORMAT__CODEC_SNAPPY, 0},
                                     {MDL_FORMAT__CODEC_GZIP, 0},
                                     {MDL_FORMAT__CODEC_ZSTD, 0},
                                     {MDL_FORMAT__CODEC_LZ4_RAW, 0}};
#define N_ONE_EACH (sizeof ONE_EACH / sizeof ONE_EACH[0])

/* ---- data -------------------------------------------------------------------------------- */

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

/* `len` incompressible bytes. Free with free(). */
static unsigned char *random_bytes(size_t len, uint32_t seed)
{
    unsigned char *p = malloc(len ? len : 1);
    assert_non_null(p);
    uint32_t s = seed | 1;
    for (size_t i = 0; i < len; i++)
        p[i] = (unsigned char)(xorshift(&s) >> 11);
    return p;
}

/* `len` bytes of orders-like CSV text (compressible, but not trivially). Free with free(). */
static char *csv_text(size_t len, uint32_t seed)
{
    char *p = malloc(len + 128);
    assert_non_null(p);
    uint32_t s = seed | 1;
    size_t n = 0;
    while (n < len) {
        uint32_t r = xorshift(&s);
        n += (size_t)snprintf(p + n, 128, "ORD-%08u,CUST-%05u,%u.%02u,2024-%02u-%02u,%s\n",
                              (unsigned)(n / 40), (unsigned)(r % 50000), (unsigned)(r % 900),
                              (unsigned)(r >> 24) % 100, (unsigned)(r % 12) + 1,
                              (unsigned)(r >> 8) % 28 + 1,
                              (r & 3) == 0   ? "shipped"
                              : (r & 3) == 1 ? "pending"
                                             : "cancelled");
    }
    return p;
}

/* "row 1,status=shipped\n" ... "row 30,...": what the gzip and zstd CLI literals hold. */
static size_t rows_text(char *out, size_t cap)
{
    size_t n = 0;
    for (int i = 1; i <= 30; i++)
        n += (size_t)snprintf(out + n, cap - n, "row %d,status=shipped\n", i);
    return n;
}

/* ---- helpers ----------------------------------------------------------------------------- */

/* Compresses data with cfg into a fresh *out (initialised here; reset it after). */
static void compress_cfg(mdl_ctx *ctx, codec_cfg cfg, const void *data, size_t len, mdl_buf *out)
{
    mdl_format__compressor *c = NULL;
    mdl_error err = {0};
    assert_int_equal(mdl_format__compressor_new(ctx, cfg.codec, cfg.level, &c, &err), MDL_OK);
    assert_int_equal(mdl_format__compressor_codec(c), cfg.codec);
    mdl_buf_init(out, ctx, 0);
    int rc = mdl_format__compress(c, data, len, out, &err);
    if (rc != MDL_OK)
        fail_msg("%s level %d: %s", mdl_format__codec_name(cfg.codec), cfg.level, err.message);
    mdl_format__compressor_free(c);
}

/* Decompresses into a heap block of exactly dst_len bytes (so ASan sees any overrun); returns
 * the status and, on success, checks the bytes against `want` when it is not NULL. */
static int decompress_check(mdl_ctx *ctx, int codec, const void *src, size_t len, size_t dst_len,
                            const void *want, mdl_error *err)
{
    mdl_format__decompressor *d = NULL;
    assert_int_equal(mdl_format__decompressor_new(ctx, &d, err), MDL_OK);
    void *dst = dst_len ? malloc(dst_len) : NULL;
    assert_true(dst_len == 0 || dst != NULL);
    int rc = mdl_format__decompress(d, codec, src, len, dst, dst_len, err);
    if (rc == MDL_OK && want != NULL && dst_len)
        assert_memory_equal(dst, want, dst_len);
    free(dst);
    mdl_format__decompressor_free(d);
    return rc;
}

/* Compresses and decompresses data with cfg; the compressed length goes to *clen if wanted.
 * Also checks that compress appends (a prefix already in the buffer survives). */
static void roundtrip(mdl_ctx *ctx, codec_cfg cfg, const void *data, size_t len, size_t *clen)
{
    const char *name = mdl_format__codec_name(cfg.codec);
    mdl_format__compressor *c = NULL;
    mdl_error err = {0};
    assert_int_equal(mdl_format__compressor_new(ctx, cfg.codec, cfg.level, &c, &err), MDL_OK);
    mdl_buf out;
    mdl_buf_init(&out, ctx, 0);
    assert_int_equal(mdl_buf_append(&out, "PFX", 3, NULL), MDL_OK);
    int rc = mdl_format__compress(c, data, len, &out, &err);
    if (rc != MDL_OK)
        fail_msg("%s level %d, %zu bytes: %s", name, cfg.level, len, err.message);
    assert_memory_equal(out.data, "PFX", 3);
    rc = decompress_check(ctx, cfg.codec, out.data + 3, out.len - 3, len, data, &err);
    if (rc != MDL_OK)
        fail_msg("%s level %d, %zu bytes back: %s", name, cfg.level, len, err.message);
    if (clen != NULL)
        *clen = out.len - 3;
    mdl_buf_reset(&out);
    mdl_format__compressor_free(c);
}

/* The message of a decoding error starts with the codec's name. */
static void assert_names_codec(const mdl_error *err, int codec)
{
    const char *name = mdl_format__codec_name(codec);
    if (strncmp(err->message, name, strlen(name)) != 0)
        fail_msg("message does not start with %s: %s", name, err->message);
}

static void put_be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* ---- round trips ------------------------------------------------------------------------- */

static void test_format_compress__roundtrip_empty(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc a;
    mdl_test_counting_ctx(&ctx, &a);
    for (size_t i = 0; i < N_WRITABLE; i++) {
        size_t clen = 0;
        roundtrip(&ctx, WRITABLE[i], NULL, 0, &clen);
        roundtrip(&ctx, WRITABLE[i], "", 0, NULL);
        /* Every real codec writes something for nothing (a frame, a header, a length). */
        if (WRITABLE[i].codec != MDL_FORMAT__CODEC_UNCOMPRESSED)
            assert_true(clen > 0);
    }
    assert_int_equal(a.live, 0);
}

static void test_format_compress__roundtrip_one_byte(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    for (size_t i = 0; i < N_WRITABLE; i++) {
        roundtrip(&ctx, WRITABLE[i], "x", 1, NULL);
        roundtrip(&ctx, WRITABLE[i], "\0", 1, NULL);
    }
}

static void test_format_compress__roundtrip_random(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 300000;
    unsigned char *data = random_bytes(n, 7);
    for (size_t i = 0; i < N_WRITABLE; i++) {
        size_t clen;
        roundtrip(&ctx, WRITABLE[i], data, n, &clen);
        /* Incompressible input grows by little more than a header's worth. */
        assert_true(clen <= n + n / 64 + 64);
    }
    free(data);
}

static void test_format_compress__roundtrip_repetitive(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 1 << 20;
    char *data = malloc(n);
    assert_non_null(data);
    static const char unit[] = "2024-01-01,shipped,";
    for (size_t i = 0; i < n; i++)
        data[i] = unit[i % (sizeof unit - 1)];
    for (size_t i = 0; i < N_WRITABLE; i++) {
        size_t clen;
        roundtrip(&ctx, WRITABLE[i], data, n, &clen);
        if (WRITABLE[i].codec != MDL_FORMAT__CODEC_UNCOMPRESSED && clen * 10 > n)
            fail_msg("%s level %d: %zu bytes of a repeated string compress only to %zu",
                     mdl_format__codec_name(WRITABLE[i].codec), WRITABLE[i].level, n, clen);
    }
    /* All zeros, the other extreme. */
    memset(data, 0, n);
    for (size_t i = 0; i < N_WRITABLE; i++)
        roundtrip(&ctx, WRITABLE[i], data, n, NULL);
    free(data);
}

static void test_format_compress__roundtrip_4mib(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = (size_t)4 << 20;
    char *data = csv_text(n, 42);
    for (size_t i = 0; i < N_WRITABLE; i++) {
        size_t clen;
        roundtrip(&ctx, WRITABLE[i], data, n, &clen);
        if (WRITABLE[i].codec != MDL_FORMAT__CODEC_UNCOMPRESSED)
            assert_true(clen < n / 2);
    }
    free(data);
}

static void test_format_compress__zstd_levels(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 256 << 10;
    char *data = csv_text(n, 3);
    static const int levels[] = {-5, 1, 3, 19};
    size_t sizes[4];
    for (size_t i = 0; i < 4; i++) {
        codec_cfg cfg = {MDL_FORMAT__CODEC_ZSTD, levels[i]};
        roundtrip(&ctx, cfg, data, n, &sizes[i]);
    }
    /* Higher levels compress better here; the levels really reach libzstd. */
    assert_true(sizes[0] > sizes[1]);
    assert_true(sizes[1] > sizes[3]);
    assert_true(sizes[2] > sizes[3]);

    /* Level 0 is level 3. */
    mdl_buf l0, l3;
    compress_cfg(&ctx, (codec_cfg){MDL_FORMAT__CODEC_ZSTD, 0}, data, n, &l0);
    compress_cfg(&ctx, (codec_cfg){MDL_FORMAT__CODEC_ZSTD, 3}, data, n, &l3);
    assert_int_equal(l0.len, l3.len);
    assert_memory_equal(l0.data, l3.data, l0.len);
    /* The frame records its content size, so readers can check it before decompressing. */
    assert_int_equal(ZSTD_getFrameContentSize(l0.data, l0.len), n);
    mdl_buf_reset(&l0);
    mdl_buf_reset(&l3);
    free(data);
}

static void test_format_compress__invalid_levels(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const codec_cfg bad[] = {
        {MDL_FORMAT__CODEC_UNCOMPRESSED, 1}, {MDL_FORMAT__CODEC_SNAPPY, 1},
        {MDL_FORMAT__CODEC_SNAPPY, -1},      {MDL_FORMAT__CODEC_GZIP, -1},
        {MDL_FORMAT__CODEC_GZIP, 10},        {MDL_FORMAT__CODEC_ZSTD, 23},
        {MDL_FORMAT__CODEC_ZSTD, -200000},   {MDL_FORMAT__CODEC_LZ4_RAW, 13},
        {MDL_FORMAT__CODEC_LZ4_RAW, -65538},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mdl_format__compressor *c = (mdl_format__compressor *)&ctx;
        mdl_error err = {0};
        assert_int_equal(mdl_format__compressor_new(&ctx, bad[i].codec, bad[i].level, &c, &err),
                         MDL_ERR_INVALID_ARG);
        assert_null(c);
        assert_non_null(strstr(err.message, mdl_format__codec_name(bad[i].codec)));
    }
    /* The extremes that are valid. */
    static const codec_cfg good[] = {
        {MDL_FORMAT__CODEC_GZIP, 9},     {MDL_FORMAT__CODEC_ZSTD, 22},
        {MDL_FORMAT__CODEC_LZ4_RAW, 12}, {MDL_FORMAT__CODEC_LZ4_RAW, -65537},
        {MDL_FORMAT__CODEC_ZSTD, -1000}, {MDL_FORMAT__CODEC_LZ4_RAW, 1}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        roundtrip(&ctx, good[i], "some text, some text, some text", 31, NULL);
}

/* ---- determinism ------------------------------------------------------------------------- */

static void test_format_compress__deterministic(void **state)
{
    (void)state;
    /* The counting allocator fills new blocks with junk: output must not depend on it. */
    mdl_ctx ctx;
    mdl_test_alloc a;
    mdl_test_counting_ctx(&ctx, &a);
    const size_t n = 200000;
    char *data = csv_text(n, 11);
    char *other = csv_text(n / 3, 12);
    for (size_t i = 0; i < N_WRITABLE; i++) {
        mdl_buf first;
        compress_cfg(&ctx, WRITABLE[i], data, n, &first);
        /* A second compressor, and the first one reused after a different page. */
        mdl_buf second;
        compress_cfg(&ctx, WRITABLE[i], data, n, &second);
        mdl_format__compressor *c = NULL;
        assert_int_equal(
            mdl_format__compressor_new(&ctx, WRITABLE[i].codec, WRITABLE[i].level, &c, NULL),
            MDL_OK);
        mdl_buf third;
        mdl_buf_init(&third, &ctx, 0);
        assert_int_equal(mdl_format__compress(c, other, n / 3, &third, NULL), MDL_OK);
        size_t skip = third.len;
        assert_int_equal(mdl_format__compress(c, data, n, &third, NULL), MDL_OK);
        mdl_format__compressor_free(c);

        assert_int_equal(first.len, second.len);
        assert_memory_equal(first.data, second.data, first.len);
        assert_int_equal(first.len, third.len - skip);
        assert_memory_equal(first.data, third.data + skip, first.len);
        mdl_buf_reset(&first);
        mdl_buf_reset(&second);
        mdl_buf_reset(&third);
    }
    free(data);
    free(other);
    assert_int_equal(a.live, 0);
}

static void test_format_compress__gzip_header(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const int levels[] = {0, 1, 6, 9};
    for (size_t i = 0; i < 4; i++) {
        mdl_buf out;
        compress_cfg(&ctx, (codec_cfg){MDL_FORMAT__CODEC_GZIP, levels[i]}, "abcabcabc", 9, &out);
        const unsigned char *h = (const unsigned char *)out.data;
        /* RFC 1952 2.3: ID1 ID2 CM=8 FLG=0 (no name, comment, extra), MTIME=0, XFL, OS. */
        assert_true(out.len >= 18);
        assert_int_equal(h[0], 0x1f);
        assert_int_equal(h[1], 0x8b);
        assert_int_equal(h[2], 8);
        assert_int_equal(h[3], 0);
        assert_int_equal(h[4] | h[5] | h[6] | h[7], 0);
        assert_int_equal(h[9], 3); /* OS: Unix, what zlib and gzip -n write here */
        /* ISIZE trailer. */
        assert_int_equal(h[out.len - 4], 9);
        mdl_buf_reset(&out);
    }
}

/* ---- wrong sizes, bombs ------------------------------------------------------------------ */

static void test_format_compress__wrong_dst_len(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 1000;
    char *data = csv_text(n, 5);
    for (size_t i = 0; i < N_ONE_EACH; i++) {
        int codec = ONE_EACH[i].codec;
        mdl_buf out;
        compress_cfg(&ctx, ONE_EACH[i], data, n, &out);
        static const size_t wrong[] = {0, 1, 999, 1001, 4096, 1 << 20};
        for (size_t k = 0; k < sizeof wrong / sizeof wrong[0]; k++) {
            mdl_error err = {0};
            int rc = decompress_check(&ctx, codec, out.data, out.len, wrong[k], NULL, &err);
            if (rc != MDL_ERR_PARSE)
                fail_msg("%s, dst_len %zu: status %d", mdl_format__codec_name(codec), wrong[k], rc);
            assert_int_equal(err.code, MDL_ERR_PARSE);
            assert_names_codec(&err, codec);
        }
        /* The LZ4 codec id reads the raw block too (see lz4_hadoop), with the same checks. */
        if (codec == MDL_FORMAT__CODEC_LZ4_RAW) {
            mdl_error err = {0};
            assert_int_equal(
                decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, out.data, out.len, n, data, &err),
                MDL_OK);
            assert_int_equal(
                decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, out.data, out.len, n - 1, NULL, &err),
                MDL_ERR_PARSE);
            assert_int_equal(
                decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, out.data, out.len, n + 1, NULL, &err),
                MDL_ERR_PARSE);
        }
        mdl_buf_reset(&out);
    }
    free(data);
}

static void test_format_compress__exact_messages(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_error err = {0};
    char text[1000];
    memset(text, 'a', sizeof text);
    struct {
        int codec;
        size_t dst_len;
        const char *message;
    } cases[] = {
        {MDL_FORMAT__CODEC_UNCOMPRESSED, 999, "UNCOMPRESSED: page holds 1000 bytes, expected 999"},
        {MDL_FORMAT__CODEC_SNAPPY, 999,
         "SNAPPY: data declares 1000 uncompressed bytes, expected 999"},
        {MDL_FORMAT__CODEC_GZIP, 999, "GZIP: data decompresses to more than 999 bytes"},
        {MDL_FORMAT__CODEC_GZIP, 1001, "GZIP: data decompresses to 1000 bytes, expected 1001"},
        {MDL_FORMAT__CODEC_ZSTD, 1001,
         "ZSTD: frames declare 1000 uncompressed bytes, expected 1001"},
        {MDL_FORMAT__CODEC_LZ4_RAW, 1001,
         "LZ4_RAW: data decompresses to 1000 bytes, expected 1001"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mdl_buf out;
        compress_cfg(&ctx, (codec_cfg){cases[i].codec, 0}, text, sizeof text, &out);
        assert_int_equal(
            decompress_check(&ctx, cases[i].codec, out.data, out.len, cases[i].dst_len, NULL, &err),
            MDL_ERR_PARSE);
        assert_string_equal(err.message, cases[i].message);
        mdl_buf_reset(&out);
    }
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, "", 0, 10, NULL, &err),
                     MDL_ERR_PARSE);
    assert_string_equal(err.message, "ZSTD: no compressed data for a 10-byte page");
}

static void test_format_compress__zstd_bomb_refused_before_decompressing(void **state)
{
    (void)state;
    /* 64 MiB of zeros compresses to a few KiB; a page header saying 4 KiB must not make us
     * decompress it (or even make a decompression context). */
    mdl_ctx ctx;
    mdl_test_alloc a;
    mdl_test_counting_ctx(&ctx, &a);
    const size_t n = (size_t)64 << 20;
    char *zeros = calloc(1, n);
    assert_non_null(zeros);
    mdl_buf out;
    compress_cfg(&ctx, (codec_cfg){MDL_FORMAT__CODEC_ZSTD, 1}, zeros, n, &out);
    free(zeros);
    assert_true(out.len < 64 << 10);

    mdl_format__decompressor *d = NULL;
    assert_int_equal(mdl_format__decompressor_new(&ctx, &d, NULL), MDL_OK);
    size_t requests = a.requests;
    char *dst = malloc(4096);
    assert_non_null(dst);
    mdl_error err = {0};
    assert_int_equal(
        mdl_format__decompress(d, MDL_FORMAT__CODEC_ZSTD, out.data, out.len, dst, 4096, &err),
        MDL_ERR_PARSE);
    assert_string_equal(err.message,
                        "ZSTD: frames declare 67108864 uncompressed bytes, expected 4096");
    assert_int_equal(a.requests, requests);
    free(dst);
    mdl_format__decompressor_free(d);
    mdl_buf_reset(&out);
    assert_int_equal(a.live, 0);
}

static void test_format_compress__zstd_unknown_content_size(void **state)
{
    (void)state;
    /* A frame without a content size (streaming writers make them): output is still capped
     * at dst_len by the decoder itself. */
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 100000;
    char *data = csv_text(n, 8);
    ZSTD_CCtx *z = ZSTD_createCCtx();
    assert_non_null(z);
    assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(z, ZSTD_c_contentSizeFlag, 0)));
    size_t cap = ZSTD_compressBound(n);
    char *frame = malloc(cap);
    assert_non_null(frame);
    size_t flen = ZSTD_compress2(z, frame, cap, data, n);
    assert_false(ZSTD_isError(flen));
    ZSTD_freeCCtx(z);
    assert_int_equal(ZSTD_getFrameContentSize(frame, flen), ZSTD_CONTENTSIZE_UNKNOWN);

    mdl_error err = {0};
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, frame, flen, n, data, &err),
                     MDL_OK);
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, frame, flen, n - 1, NULL, &err),
                     MDL_ERR_PARSE);
    assert_string_equal(err.message, "ZSTD: data decompresses to more than 99999 bytes");
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, frame, flen, n + 1, NULL, &err),
                     MDL_ERR_PARSE);
    assert_string_equal(err.message, "ZSTD: data decompresses to 100000 bytes, expected 100001");
    free(frame);
    free(data);
}

static void test_format_compress__snappy_bomb_refused(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    /* A snappy block whose preamble claims 2^32 - 1 bytes, then one literal. */
    static const unsigned char block[] = {0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 'x'};
    mdl_error err = {0};
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_SNAPPY, block, sizeof block, 1, NULL, &err),
        MDL_ERR_PARSE);
    assert_string_equal(err.message,
                        "SNAPPY: data declares 4294967295 uncompressed bytes, expected 1");
}

/* ---- corrupt and truncated input --------------------------------------------------------- */

static void test_format_compress__garbage(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    unsigned char ff[64], zero[64];
    memset(ff, 0xff, sizeof ff);
    memset(zero, 0, sizeof zero);
    unsigned char *rnd = random_bytes(512, 99);
    static const int codecs[] = {MDL_FORMAT__CODEC_SNAPPY, MDL_FORMAT__CODEC_GZIP,
                                 MDL_FORMAT__CODEC_LZ4, MDL_FORMAT__CODEC_ZSTD,
                                 MDL_FORMAT__CODEC_LZ4_RAW};
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        mdl_error err = {0};
        assert_int_equal(decompress_check(&ctx, codecs[i], ff, sizeof ff, 1000, NULL, &err),
                         MDL_ERR_PARSE);
        assert_names_codec(&err, codecs[i]);
        assert_int_equal(decompress_check(&ctx, codecs[i], zero, sizeof zero, 1000, NULL, &err),
                         MDL_ERR_PARSE);
        assert_names_codec(&err, codecs[i]);
        assert_int_equal(decompress_check(&ctx, codecs[i], rnd, 512, 4096, NULL, &err),
                         MDL_ERR_PARSE);
        assert_names_codec(&err, codecs[i]);
    }
    free(rnd);
}

static void test_format_compress__corrupt(void **state)
{
    (void)state;
    /* Random byte flips in valid pages: every result is a clean MDL_ERR_PARSE, or (for the
     * codecs without a checksum) some other exactly-sized output; never a crash or overrun. */
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 20000;
    char *data = csv_text(n, 21);
    uint32_t s = 12345;
    for (size_t i = 1; i < N_ONE_EACH; i++) {
        int codec = ONE_EACH[i].codec;
        mdl_buf out;
        compress_cfg(&ctx, ONE_EACH[i], data, n, &out);
        char *copy = malloc(out.len);
        assert_non_null(copy);
        size_t errors = 0;
        for (int round = 0; round < 400; round++) {
            memcpy(copy, out.data, out.len);
            int flips = 1 + (int)(xorshift(&s) % 3);
            for (int f = 0; f < flips; f++) {
                /* Half of the flips land in the first 16 bytes, where the headers are. */
                size_t span = (xorshift(&s) & 1) && out.len > 16 ? 16 : out.len;
                copy[xorshift(&s) % span] ^= (char)(1 + xorshift(&s) % 255);
            }
            mdl_error err = {0};
            int rc = decompress_check(&ctx, codec, copy, out.len, n, NULL, &err);
            if (rc != MDL_OK && rc != MDL_ERR_PARSE)
                fail_msg("%s: status %d (%s)", mdl_format__codec_name(codec), rc, err.message);
            if (rc == MDL_ERR_PARSE) {
                assert_names_codec(&err, codec);
                errors++;
            }
        }
        assert_true(errors > 0);
        free(copy);
        mdl_buf_reset(&out);
    }
    free(data);
}

static void test_format_compress__truncated(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 3000;
    char *data = csv_text(n, 31);
    for (size_t i = 0; i < N_ONE_EACH; i++) {
        int codec = ONE_EACH[i].codec;
        mdl_buf out;
        compress_cfg(&ctx, ONE_EACH[i], data, n, &out);
        /* Every proper prefix fails; each is copied to its own block so ASan sees overreads. */
        for (size_t k = 0; k < out.len; k++) {
            char *prefix = malloc(k ? k : 1);
            assert_non_null(prefix);
            memcpy(prefix, out.data, k);
            mdl_error err = {0};
            int rc = decompress_check(&ctx, codec, prefix, k, n, NULL, &err);
            if (rc != MDL_ERR_PARSE)
                fail_msg("%s: prefix of %zu of %zu bytes: status %d", mdl_format__codec_name(codec),
                         k, out.len, rc);
            assert_names_codec(&err, codec);
            if (codec == MDL_FORMAT__CODEC_LZ4_RAW) {
                rc = decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, prefix, k, n, NULL, &err);
                assert_int_equal(rc, MDL_ERR_PARSE);
            }
            free(prefix);
        }
        mdl_buf_reset(&out);
    }
    free(data);
}

static void test_format_compress__empty_page(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_format__decompressor *d = NULL;
    assert_int_equal(mdl_format__decompressor_new(&ctx, &d, NULL), MDL_OK);
    mdl_error err = {0};
    for (int codec = 0; codec <= MDL_FORMAT__CODEC_LZ4_RAW; codec++) {
        if (codec == MDL_FORMAT__CODEC_LZO || codec == MDL_FORMAT__CODEC_BROTLI)
            continue;
        /* Zero bytes for a zero-byte page: nothing to do, whatever the codec. */
        assert_int_equal(mdl_format__decompress(d, codec, NULL, 0, NULL, 0, &err), MDL_OK);
        /* Zero bytes for a nonempty page. */
        char dst[8];
        assert_int_equal(mdl_format__decompress(d, codec, "", 0, dst, 8, &err), MDL_ERR_PARSE);
        assert_names_codec(&err, codec);
    }
    /* NULL with a size is a caller bug. */
    assert_int_equal(mdl_format__decompress(d, MDL_FORMAT__CODEC_ZSTD, NULL, 5, NULL, 0, &err),
                     MDL_ERR_INVALID_ARG);
    assert_int_equal(mdl_format__decompress(d, MDL_FORMAT__CODEC_ZSTD, "abc", 3, NULL, 5, &err),
                     MDL_ERR_INVALID_ARG);
    mdl_format__decompressor_free(d);
}

/* ---- LZ4 with Hadoop framing ------------------------------------------------------------- */

/* A literal-only LZ4 block of s[0..n) (n < 270), made by hand from lz4_Block_format.md:
 * token (literal length << 4, 15 meaning "more in the next byte"), then the literals. */
static size_t lz4_literal_block(const char *s, size_t n, unsigned char *out)
{
    size_t k = 0;
    if (n < 15) {
        out[k++] = (unsigned char)(n << 4);
    } else {
        out[k++] = 0xf0;
        out[k++] = (unsigned char)(n - 15);
    }
    memcpy(out + k, s, n);
    return k + n;
}

static void test_format_compress__lz4_hadoop_framing(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const char a[] = "hello from hadoop, ";
    static const char b[] = "lz4 in two chunks";
    const size_t na = sizeof a - 1, nb = sizeof b - 1;
    char want[64];
    memcpy(want, a, na);
    memcpy(want + na, b, nb);
    unsigned char ba[64], bb[64];
    size_t ca = lz4_literal_block(a, na, ba), cb = lz4_literal_block(b, nb, bb);

    /* One block per chunk, as parquet-java writes and Arrow reads:
     * [u32be 19][u32be ca][ba] [u32be 17][u32be cb][bb] */
    unsigned char f1[256];
    size_t l1 = 0;
    put_be32(f1 + l1, (uint32_t)na);
    put_be32(f1 + l1 + 4, (uint32_t)ca);
    memcpy(f1 + l1 + 8, ba, ca);
    l1 += 8 + ca;
    put_be32(f1 + l1, (uint32_t)nb);
    put_be32(f1 + l1 + 4, (uint32_t)cb);
    memcpy(f1 + l1 + 8, bb, cb);
    l1 += 8 + cb;
    mdl_error err = {0};
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f1, l1, na + nb, want, &err),
                     MDL_OK);

    /* One block of two chunks, as Hadoop's BlockCompressorStream writes a large buffer:
     * [u32be 36][u32be ca][ba][u32be cb][bb] */
    unsigned char f2[256];
    size_t l2 = 0;
    put_be32(f2, (uint32_t)(na + nb));
    put_be32(f2 + 4, (uint32_t)ca);
    memcpy(f2 + 8, ba, ca);
    l2 = 8 + ca;
    put_be32(f2 + l2, (uint32_t)cb);
    memcpy(f2 + l2 + 4, bb, cb);
    l2 += 4 + cb;
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f2, l2, na + nb, want, &err),
                     MDL_OK);
    /* A chunk whose size runs past the end of the page (in a block sized to match): refused,
     * framed or raw. */
    unsigned char *heap = malloc(l2);
    assert_non_null(heap);
    memcpy(heap, f2, l2);
    put_be32(heap, (uint32_t)(na + nb + 100));
    put_be32(heap + 8 + ca, (uint32_t)cb + 100);
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, heap, l2, na + nb + 100, NULL, &err),
        MDL_ERR_PARSE);
    free(heap);

    /* Framed data is not an LZ4_RAW page. */
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4_RAW, f1, l1, na + nb, NULL, &err),
                     MDL_ERR_PARSE);
    /* Wrong page size, a trailing byte, a wrong block size: neither framed nor raw. */
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f1, l1, na + nb + 1, NULL, &err),
                     MDL_ERR_PARSE);
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f1, l1, na + nb - 1, NULL, &err),
                     MDL_ERR_PARSE);
    f1[l1] = 0;
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f1, l1 + 1, na + nb, NULL, &err),
                     MDL_ERR_PARSE);
    put_be32(f2, (uint32_t)(na + nb - 1));
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f2, l2, na + nb, NULL, &err),
                     MDL_ERR_PARSE);
    assert_names_codec(&err, MDL_FORMAT__CODEC_LZ4);

    /* A real compressed chunk (with matches) in one frame. */
    const size_t n = 50000;
    char *data = csv_text(n, 77);
    int bound = LZ4_compressBound((int)n);
    unsigned char *f3 = malloc((size_t)bound + 8);
    assert_non_null(f3);
    int c3 = LZ4_compress_default(data, (char *)f3 + 8, (int)n, bound);
    assert_true(c3 > 0);
    put_be32(f3, (uint32_t)n);
    put_be32(f3 + 4, (uint32_t)c3);
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f3, (size_t)c3 + 8, n, data, &err), MDL_OK);
    /* ...and the same block unframed under the LZ4 id: the raw fallback. */
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_LZ4, f3 + 8, (size_t)c3, n, data, &err), MDL_OK);
    free(f3);
    free(data);
}

/* ---- files made by other tools ----------------------------------------------------------- */

/* `gzip -n -9` (gzip 1.12) of rows_text(). */
static const unsigned char GZIP_CLI[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0x6d, 0xd1, 0x3d, 0x0e, 0x40,
    0x40, 0x00, 0x05, 0xe1, 0xde, 0x29, 0x1c, 0x40, 0xe1, 0xbd, 0xf5, 0x5b, 0x38, 0x8c, 0x84,
    0x84, 0xca, 0x66, 0x77, 0xc5, 0xf5, 0xe9, 0x4d, 0x3b, 0xdd, 0x97, 0x49, 0xd7, 0x53, 0xab,
    0xc9, 0x65, 0x2d, 0x77, 0x5e, 0xf2, 0x71, 0xc6, 0xb8, 0x6f, 0x55, 0xfa, 0xa2, 0x29, 0x06,
    0x8a, 0x1d, 0xc5, 0x9e, 0xe2, 0x40, 0x71, 0xa4, 0x38, 0x51, 0x9c, 0x29, 0xaa, 0xc5, 0x8a,
    0x26, 0x21, 0x4a, 0xa8, 0x12, 0xb2, 0x84, 0x2e, 0x21, 0x4c, 0x28, 0x13, 0xd2, 0x84, 0x36,
    0xa3, 0xcd, 0xfc, 0x0b, 0x6d, 0x46, 0x9b, 0xd1, 0x66, 0xb4, 0x19, 0x6d, 0x46, 0x9b, 0xd1,
    0x66, 0xb4, 0x85, 0x9f, 0xed, 0x05, 0xc6, 0xda, 0xc0, 0x65, 0x8b, 0x02, 0x00, 0x00};

/* `printf 'second member\n' | gzip -n`. */
static const unsigned char GZIP_CLI_SECOND[] = {
    0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x2b, 0x4e,
    0x4d, 0xce, 0xcf, 0x4b, 0x51, 0xc8, 0x4d, 0xcd, 0x4d, 0x4a, 0x2d, 0xe2,
    0x02, 0x00, 0x36, 0x18, 0x4b, 0x0e, 0x0e, 0x00, 0x00, 0x00};

/* `zstd -19` (zstd 1.5.4) of rows_text(): content size and an XXH64 checksum. */
static const unsigned char ZSTD_CLI[] = {
    0x28, 0xb5, 0x2f, 0xfd, 0x64, 0x8b, 0x01, 0x95, 0x02, 0x00, 0x54, 0x03, 0x72, 0x6f, 0x77, 0x20,
    0x31, 0x2c, 0x73, 0x74, 0x61, 0x74, 0x75, 0x73, 0x3d, 0x73, 0x68, 0x69, 0x70, 0x70, 0x65, 0x64,
    0x0a, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x31, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
    0x36, 0x37, 0x38, 0x39, 0x32, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x33,
    0x30, 0x1e, 0xa8, 0x10, 0xf0, 0xd6, 0xbf, 0x03, 0xf0, 0xe5, 0x10, 0x10, 0xe1, 0x4f, 0x04, 0xd7,
    0x07, 0x3b, 0xb2, 0x0d, 0x25, 0xa9, 0x5b, 0x57, 0x4e, 0x23, 0x48, 0x29, 0x4b, 0x8b, 0xba, 0xdf};

static void test_format_compress__gzip_cli_file(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    char want[1024];
    size_t n = rows_text(want, sizeof want);
    assert_int_equal(n, 651);
    mdl_error err = {0};
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_GZIP, GZIP_CLI, sizeof GZIP_CLI, n, want, &err),
        MDL_OK);

    /* Two members in one page (Compression.md: readers should support it). */
    unsigned char two[sizeof GZIP_CLI + sizeof GZIP_CLI_SECOND];
    memcpy(two, GZIP_CLI, sizeof GZIP_CLI);
    memcpy(two + sizeof GZIP_CLI, GZIP_CLI_SECOND, sizeof GZIP_CLI_SECOND);
    memcpy(want + n, "second member\n", 14);
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_GZIP, two, sizeof two, n + 14, want, &err),
        MDL_OK);
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_GZIP, two, sizeof two, n, NULL, &err),
                     MDL_ERR_PARSE);
    /* A bad CRC-32 in the trailer. */
    unsigned char bad[sizeof GZIP_CLI];
    memcpy(bad, GZIP_CLI, sizeof bad);
    bad[sizeof bad - 8] ^= 1;
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_GZIP, bad, sizeof bad, n, NULL, &err),
                     MDL_ERR_PARSE);
    assert_string_equal(err.message, "GZIP: corrupt data (incorrect data check)");
    /* Junk after a member is not a member. */
    unsigned char junk[sizeof GZIP_CLI + 2];
    memcpy(junk, GZIP_CLI, sizeof GZIP_CLI);
    junk[sizeof GZIP_CLI] = 0;
    junk[sizeof GZIP_CLI + 1] = 0;
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_GZIP, junk, sizeof junk, n, NULL, &err),
        MDL_ERR_PARSE);
}

static void test_format_compress__gzip_reads_zlib_and_members(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 40000;
    char *data = csv_text(n, 55);
    /* A zlib (RFC 1950) stream, as some old writers put in GZIP pages. */
    uLongf zlen = compressBound((uLong)n);
    unsigned char *z = malloc(zlen);
    assert_non_null(z);
    assert_int_equal(compress2(z, &zlen, (const Bytef *)data, (uLong)n, 6), Z_OK);
    mdl_error err = {0};
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_GZIP, z, zlen, n, data, &err),
                     MDL_OK);
    free(z);

    /* Our own members, one after another in one buffer. */
    mdl_format__compressor *c = NULL;
    assert_int_equal(mdl_format__compressor_new(&ctx, MDL_FORMAT__CODEC_GZIP, 0, &c, NULL), MDL_OK);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    assert_int_equal(mdl_format__compress(c, data, n / 2, &out, NULL), MDL_OK);
    assert_int_equal(mdl_format__compress(c, data + n / 2, n - n / 2, &out, NULL), MDL_OK);
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_GZIP, out.data, out.len, n, data, &err), MDL_OK);
    mdl_buf_reset(&out);
    mdl_format__compressor_free(c);
    free(data);
}

static void test_format_compress__zstd_cli_file_and_frames(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    char want[2048];
    size_t n = rows_text(want, sizeof want);
    mdl_error err = {0};
    assert_int_equal(
        decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, ZSTD_CLI, sizeof ZSTD_CLI, n, want, &err),
        MDL_OK);
    /* The CLI adds a checksum, which libzstd verifies. */
    unsigned char bad[sizeof ZSTD_CLI];
    memcpy(bad, ZSTD_CLI, sizeof bad);
    bad[sizeof bad - 1] ^= 0x40;
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, bad, sizeof bad, n, NULL, &err),
                     MDL_ERR_PARSE);
    assert_names_codec(&err, MDL_FORMAT__CODEC_ZSTD);

    /* A skippable frame, the CLI frame, and our own frame of the same text: 2n bytes. */
    mdl_buf ours;
    compress_cfg(&ctx, (codec_cfg){MDL_FORMAT__CODEC_ZSTD, 0}, want, n, &ours);
    unsigned char all[2048];
    static const unsigned char skippable[] = {0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 'x', 'y', 'z'};
    size_t k = 0;
    memcpy(all + k, skippable, sizeof skippable);
    k += sizeof skippable;
    memcpy(all + k, ZSTD_CLI, sizeof ZSTD_CLI);
    k += sizeof ZSTD_CLI;
    memcpy(all + k, ours.data, ours.len);
    k += ours.len;
    memcpy(want + n, want, n);
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, all, k, 2 * n, want, &err),
                     MDL_OK);
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_ZSTD, all, k, n, NULL, &err),
                     MDL_ERR_PARSE);
    assert_string_equal(err.message, "ZSTD: frames declare 1302 uncompressed bytes, expected 651");
    mdl_buf_reset(&ours);
}

/* ---- unsupported codecs and names -------------------------------------------------------- */

static void test_format_compress__unsupported_codecs(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_error err = {0};
    char dst[4];
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_LZO, "abcd", 4, 4, NULL, &err),
                     MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "LZO compression is not supported (codec 3)");
    assert_int_equal(decompress_check(&ctx, MDL_FORMAT__CODEC_BROTLI, "abcd", 4, 4, NULL, &err),
                     MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "BROTLI compression is not supported (codec 4)");
    mdl_format__decompressor *d = NULL;
    assert_int_equal(mdl_format__decompressor_new(&ctx, &d, NULL), MDL_OK);
    assert_int_equal(mdl_format__decompress(d, 8, "abcd", 4, dst, 4, &err), MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "unknown compression codec id 8");
    assert_int_equal(mdl_format__decompress(d, -1, "abcd", 4, dst, 4, &err), MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "unknown compression codec id -1");
    mdl_format__decompressor_free(d);

    mdl_format__compressor *c = NULL;
    assert_int_equal(mdl_format__compressor_new(&ctx, MDL_FORMAT__CODEC_LZO, 0, &c, &err),
                     MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "LZO compression is not supported");
    assert_int_equal(mdl_format__compressor_new(&ctx, MDL_FORMAT__CODEC_BROTLI, 0, &c, &err),
                     MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "BROTLI compression is not supported");
    assert_int_equal(mdl_format__compressor_new(&ctx, MDL_FORMAT__CODEC_LZ4, 0, &c, &err),
                     MDL_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "LZ4 (Hadoop-framed, deprecated)"));
    assert_non_null(strstr(err.message, "LZ4_RAW"));
    assert_int_equal(mdl_format__compressor_new(&ctx, 42, 0, &c, &err), MDL_ERR_INVALID_ARG);
    assert_string_equal(err.message, "unknown compression codec id 42");
    assert_null(c);
    /* NULL err is fine. */
    assert_int_equal(mdl_format__compressor_new(&ctx, MDL_FORMAT__CODEC_LZO, 0, &c, NULL),
                     MDL_ERR_UNSUPPORTED);
}

static void test_format_compress__codec_names(void **state)
{
    (void)state;
    static const char *const names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                        "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
    for (int i = 0; i < 8; i++)
        assert_string_equal(mdl_format__codec_name(i), names[i]);
    assert_string_equal(mdl_format__codec_name(-1), "UNKNOWN");
    assert_string_equal(mdl_format__codec_name(8), "UNKNOWN");
    assert_string_equal(mdl_format__codec_name(1000), "UNKNOWN");

    static const struct {
        const char *name;
        int rc;
        int codec;
    } cases[] = {
        {"none", MDL_OK, 0},
        {"NONE", MDL_OK, 0},
        {"uncompressed", MDL_OK, 0},
        {"Uncompressed", MDL_OK, 0},
        {"snappy", MDL_OK, 1},
        {"SNAPPY", MDL_OK, 1},
        {"gzip", MDL_OK, 2},
        {"GZip", MDL_OK, 2},
        {"zstd", MDL_OK, 6},
        {"ZSTD", MDL_OK, 6},
        {"lz4_raw", MDL_OK, 7},
        {"LZ4_RAW", MDL_OK, 7},
        {"lz4raw", MDL_OK, 7},
        {"Lz4Raw", MDL_OK, 7},
        {"lz4", MDL_ERR_UNSUPPORTED, -1},
        {"LZO", MDL_ERR_UNSUPPORTED, -1},
        {"brotli", MDL_ERR_UNSUPPORTED, -1},
        {"", MDL_ERR_PARSE, -1},
        {"zip", MDL_ERR_PARSE, -1},
        {"zstd ", MDL_ERR_PARSE, -1},
        {"lz4-raw", MDL_ERR_PARSE, -1},
        {"6", MDL_ERR_PARSE, -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int codec = -1;
        int rc = mdl_format__codec_parse(cases[i].name, &codec);
        if (rc != cases[i].rc || codec != cases[i].codec)
            fail_msg("'%s': status %d codec %d, expected %d %d", cases[i].name, rc, codec,
                     cases[i].rc, cases[i].codec);
    }
    int codec = -1;
    assert_int_equal(mdl_format__codec_parse(NULL, &codec), MDL_ERR_PARSE);
    assert_int_equal(codec, -1);
    /* Every parsed name maps back to the thrift name. */
    assert_int_equal(mdl_format__codec_parse("lz4raw", &codec), MDL_OK);
    assert_string_equal(mdl_format__codec_name(codec), "LZ4_RAW");
}

/* ---- memory ------------------------------------------------------------------------------ */

static void test_format_compress__no_allocation_per_page(void **state)
{
    (void)state;
    /* Contexts come from the mdl_ctx allocator and are reused: after the first page, further
     * pages (into a buffer already big enough) make no allocation requests at all. */
    mdl_ctx ctx;
    mdl_test_alloc a;
    mdl_test_counting_ctx(&ctx, &a);
    const size_t n = 100000;
    char *data = csv_text(n, 9);
    char *back = malloc(n);
    assert_non_null(back);
    for (size_t i = 0; i < N_WRITABLE; i++) {
        int codec = WRITABLE[i].codec;
        mdl_format__compressor *c = NULL;
        mdl_format__decompressor *d = NULL;
        size_t before = a.allocs;
        assert_int_equal(mdl_format__compressor_new(&ctx, codec, WRITABLE[i].level, &c, NULL),
                         MDL_OK);
        /* The compressor, and the library's context, came from our allocator. */
        if (codec == MDL_FORMAT__CODEC_ZSTD || codec == MDL_FORMAT__CODEC_GZIP ||
            codec == MDL_FORMAT__CODEC_LZ4_RAW)
            assert_true(a.allocs - before >= 2);
        assert_int_equal(mdl_format__decompressor_new(&ctx, &d, NULL), MDL_OK);
        mdl_buf out;
        mdl_buf_init(&out, &ctx, 0);
        size_t warm = 0;
        for (int page = 0; page < 5; page++) {
            out.len = 0;
            assert_int_equal(mdl_format__compress(c, data, n, &out, NULL), MDL_OK);
            assert_int_equal(mdl_format__decompress(d, codec, out.data, out.len, back, n, NULL),
                             MDL_OK);
            assert_memory_equal(back, data, n);
            if (page == 0)
                warm = a.requests;
        }
        if (a.requests != warm)
            fail_msg("%s level %d: %zu allocations after the first page",
                     mdl_format__codec_name(codec), WRITABLE[i].level, a.requests - warm);
        mdl_buf_reset(&out);
        mdl_format__compressor_free(c);
        mdl_format__decompressor_free(d);
        assert_int_equal(a.live, 0);
    }
    free(back);
    free(data);
}

static void test_format_compress__out_of_memory(void **state)
{
    (void)state;
    /* Fail the k-th allocation for every k until everything succeeds: each failure is
     * MDL_ERR_NOMEM (or the library's own error), nothing leaks, and out->len is unchanged. */
    mdl_ctx ctx;
    mdl_test_alloc a;
    mdl_test_counting_ctx(&ctx, &a);
    const size_t n = 50000;
    char *data = csv_text(n, 13);
    char *back = malloc(n);
    assert_non_null(back);
    for (size_t i = 0; i < N_WRITABLE; i++) {
        int codec = WRITABLE[i].codec;
        bool done = false;
        for (long k = 0; !done && k < 100; k++) {
            a.fail_after = k;
            mdl_error err = {0};
            mdl_format__compressor *c = NULL;
            mdl_format__decompressor *d = NULL;
            mdl_buf out;
            mdl_buf_init(&out, &ctx, 0);
            int rc = mdl_format__compressor_new(&ctx, codec, WRITABLE[i].level, &c, &err);
            if (rc == MDL_OK)
                rc = mdl_format__decompressor_new(&ctx, &d, &err);
            if (rc == MDL_OK) {
                rc = mdl_format__compress(c, data, n, &out, &err);
                if (rc != MDL_OK)
                    assert_int_equal(out.len, 0);
            }
            if (rc == MDL_OK)
                rc = mdl_format__decompress(d, codec, out.data, out.len, back, n, &err);
            if (rc == MDL_OK) {
                assert_memory_equal(back, data, n);
                done = true;
            } else if (rc != MDL_ERR_NOMEM) {
                fail_msg("%s, allocation %ld fails: status %d (%s)", mdl_format__codec_name(codec),
                         k, rc, err.message);
            }
            a.fail_after = -1;
            mdl_buf_reset(&out);
            mdl_format__compressor_free(c);
            mdl_format__decompressor_free(d);
            assert_int_equal(a.live, 0);
        }
        assert_true(done);
    }
    free(back);
    free(data);
}

static void test_format_compress__output_limit(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const size_t n = 10000;
    char *data = csv_text(n, 17);
    for (size_t i = 0; i < N_ONE_EACH; i++) {
        mdl_format__compressor *c = NULL;
        assert_int_equal(mdl_format__compressor_new(&ctx, ONE_EACH[i].codec, 0, &c, NULL), MDL_OK);
        mdl_buf out;
        mdl_buf_init(&out, &ctx, 100);
        assert_int_equal(mdl_buf_append(&out, "abc", 3, NULL), MDL_OK);
        mdl_error err = {0};
        assert_int_equal(mdl_format__compress(c, data, n, &out, &err), MDL_ERR_LIMIT);
        assert_int_equal(out.len, 3);
        assert_memory_equal(out.data, "abc", 3);
        mdl_buf_reset(&out);
        mdl_format__compressor_free(c);
    }
    free(data);
}

/* A reused GZIP compressor must size its output for the gzip wrapper every time: after the
 * first stream zlib flips its wrapper flag, and a bound taken before the reset came out 12
 * bytes short, failing small incompressible pages. */
static void test_format_compress__gzip_reuse_small_pages(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_format__compressor *c;
    assert_int_equal(mdl_format__compressor_new(&ctx, MDL_FORMAT__CODEC_GZIP, 0, &c, NULL), MDL_OK);
    mdl_format__decompressor *d;
    assert_int_equal(mdl_format__decompressor_new(&ctx, &d, NULL), MDL_OK);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    uint64_t x = 88172645463325252ULL;
    char src[600], back[600];
    for (size_t n = 0; n < sizeof src; n += 7) {
        for (size_t i = 0; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            src[i] = (char)x;
        }
        out.len = 0;
        mdl_error err;
        int rc = mdl_format__compress(c, src, n, &out, &err);
        if (rc != MDL_OK)
            fail_msg("n=%zu: %s", n, err.message);
        assert_int_equal(
            mdl_format__decompress(d, MDL_FORMAT__CODEC_GZIP, out.data, out.len, back, n, NULL),
            MDL_OK);
        assert_memory_equal(src, back, n);
    }
    mdl_buf_reset(&out);
    mdl_format__compressor_free(c);
    mdl_format__decompressor_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_compress__gzip_reuse_small_pages),
        cmocka_unit_test(test_format_compress__roundtrip_empty),
        cmocka_unit_test(test_format_compress__roundtrip_one_byte),
        cmocka_unit_test(test_format_compress__roundtrip_random),
        cmocka_unit_test(test_format_compress__roundtrip_repetitive),
        cmocka_unit_test(test_format_compress__roundtrip_4mib),
        cmocka_unit_test(test_format_compress__zstd_levels),
        cmocka_unit_test(test_format_compress__invalid_levels),
        cmocka_unit_test(test_format_compress__deterministic),
        cmocka_unit_test(test_format_compress__gzip_header),
        cmocka_unit_test(test_format_compress__wrong_dst_len),
        cmocka_unit_test(test_format_compress__exact_messages),
        cmocka_unit_test(test_format_compress__zstd_bomb_refused_before_decompressing),
        cmocka_unit_test(test_format_compress__zstd_unknown_content_size),
        cmocka_unit_test(test_format_compress__snappy_bomb_refused),
        cmocka_unit_test(test_format_compress__garbage),
        cmocka_unit_test(test_format_compress__corrupt),
        cmocka_unit_test(test_format_compress__truncated),
        cmocka_unit_test(test_format_compress__empty_page),
        cmocka_unit_test(test_format_compress__lz4_hadoop_framing),
        cmocka_unit_test(test_format_compress__gzip_cli_file),
        cmocka_unit_test(test_format_compress__gzip_reads_zlib_and_members),
        cmocka_unit_test(test_format_compress__zstd_cli_file_and_frames),
        cmocka_unit_test(test_format_compress__unsupported_codecs),
        cmocka_unit_test(test_format_compress__codec_names),
        cmocka_unit_test(test_format_compress__no_allocation_per_page),
        cmocka_unit_test(test_format_compress__out_of_memory),
        cmocka_unit_test(test_format_compress__output_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
