/*
 * test_format_parquet_roundtrip.c - random schemas and random data through medallion's
 * Parquet writer and back through its reader: every value, null and type must survive,
 * whatever the codec, dictionary setting, page and row-group sizes, batch size and
 * projection. The independent readers (DuckDB, hyparquet) are in tests/oracle.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_support.h"

static uint64_t rng;

static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static const char *const TYPES[] = {
    "boolean",       "int32",         "int64",  "double", "decimal(9,2)", "decimal(18,6)",
    "decimal(38,9)", "decimal(25,0)", "string", "date",   "timestamp"};

/* "c0 int64 not null, c1 string, ..." with 1..12 random columns. */
static void random_schema(char *out, size_t cap)
{
    size_t n = 1 + rnd() % 12, o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)snprintf(out + o, cap - o, "%sc%zu %s%s", i ? ", " : "", i,
                              TYPES[rnd() % (sizeof TYPES / sizeof TYPES[0])],
                              rnd() % 3 == 0 ? " not null" : "");
}

static void random_value(mdl_ctx *ctx, mdl_column *col, const mdl_field *f, int null_pct)
{
    if (f->nullable && (int)(rnd() % 100) < null_pct) {
        assert_int_equal(mdl_column_append_null(ctx, col, NULL), MDL_OK);
        return;
    }
    uint64_t r = rnd(), k = rnd() % 16;
    switch (f->type.id) {
    case MDL_TYPE_BOOLEAN: {
        uint8_t v = r & 1;
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        return;
    }
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE: {
        int32_t v = k == 0 ? INT32_MIN : k == 1 ? INT32_MAX : (int32_t)(r % 100) - 50;
        if (f->type.id == MDL_TYPE_DATE)
            v = (int32_t)(r % 3000000) - 719162; /* 0001..9999 roughly */
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        return;
    }
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP: {
        int64_t v = k == 0 ? INT64_MIN : k == 1 ? INT64_MAX : (int64_t)r;
        if (k > 8)
            v = (int64_t)(r % 64); /* repeats, so dictionaries are used */
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        return;
    }
    case MDL_TYPE_DOUBLE: {
        static const double edges[] = {
            NAN, INFINITY, -INFINITY, -0.0, 0.0, 5e-324, 1.7976931348623157e308};
        double v;
        if (k < 7)
            v = edges[k];
        else
            memcpy(&v, &r, 8);
        if (isnan(v))
            v = NAN; /* one NaN payload: the dump cannot tell payloads apart anyway */
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        return;
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 lim = mdl_decimal_pow10(f->type.precision) - 1;
        mdl_i128 v = k == 0   ? lim
                     : k == 1 ? -lim
                              : ((mdl_i128)(int64_t)r * (mdl_i128)(int64_t)rnd()) % lim;
        if (f->type.precision <= 18) {
            int64_t v64 = (int64_t)(v % lim);
            assert_int_equal(mdl_column_append_value(ctx, col, &v64, NULL), MDL_OK);
        } else {
            assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        }
        return;
    }
    case MDL_TYPE_STRING: {
        char buf[3000];
        size_t n = k == 0 ? 0 : k == 1 ? 1000 + r % 2000 : r % 24;
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)('!' + (rnd() % 90));
        if (k == 2) {
            memcpy(buf, "\xc3\xa9\xe6\x9d\xb1", 5); /* é東: multi-byte UTF-8 */
            n = n < 5 ? 5 : n;
        }
        assert_int_equal(mdl_column_append_string(ctx, col, buf, n, NULL), MDL_OK);
        return;
    }
    }
}

/* One random case: write `batches` batches, read back (optionally projected), compare. */
static void one_case(int seed)
{
    rng = (uint64_t)seed * 7919;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.batch_rows = 1 + (size_t)(rnd() % 3000);
    char text[1024];
    random_schema(text, sizeof text);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, text, &s, NULL), MDL_OK);
    static const mdl_codec codecs[] = {MDL_CODEC_UNCOMPRESSED, MDL_CODEC_SNAPPY, MDL_CODEC_GZIP,
                                       MDL_CODEC_ZSTD, MDL_CODEC_LZ4_RAW};
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.codec = codecs[rnd() % 5];
    o.dictionary = rnd() % 4 != 0;
    o.page_bytes = rnd() % 2 ? 512 + rnd() % 8192 : o.page_bytes;
    o.dictionary_bytes = rnd() % 2 ? 256 + rnd() % 4096 : o.dictionary_bytes;
    o.row_group_rows = rnd() % 2 ? 1 + rnd() % 2500 : 0;
    int null_pct = (int)(rnd() % 4) * 30; /* 0, 30, 60, 90 % */
    size_t nbatches = rnd() % 4;          /* 0 batches: an empty file */

    mdl_buf file, expect, got;
    mdl_buf_init(&file, &ctx, 0);
    mdl_buf_init(&expect, &ctx, 0);
    mdl_buf_init(&got, &ctx, 0);
    mdl_output *out;
    assert_int_equal(mdl_output_open_buffer(&ctx, &file, "rt.parquet", &out, NULL), MDL_OK);
    mdl_parquet_writer *w;
    mdl_error err;
    assert_int_equal(mdl_parquet_writer_open(&ctx, out, s, &o, &w, &err), MDL_OK);
    size_t total = 0;
    for (size_t bi = 0; bi < nbatches; bi++) {
        size_t rows = rnd() % 4000;
        mdl_batch *b;
        assert_int_equal(mdl_batch_new(&ctx, s, rows ? rows : 1, &b, NULL), MDL_OK);
        for (size_t r = 0; r < rows; r++)
            for (size_t c = 0; c < s->num_fields; c++)
                random_value(&ctx, &b->columns[c], &s->fields[c], null_pct);
        b->num_rows = rows;
        total += rows;
        if (mdl_parquet_writer_write(w, b, &err) != MDL_OK)
            fail_msg("seed %d: write: %s", seed, err.message);
        mdl_test_dump_batch(b, &expect);
        mdl_batch_free(b);
    }
    uint64_t rows_out;
    assert_int_equal(mdl_parquet_writer_close(w, &rows_out, NULL, &err), MDL_OK);
    assert_int_equal(rows_out, total);

    mdl_rinput *in;
    assert_int_equal(mdl_rinput_open_memory(&ctx, file.data, file.len, "rt.parquet", &in, NULL),
                     MDL_OK);
    mdl_parquet_reader *r;
    if (mdl_parquet_reader_open(&ctx, in, NULL, &r, &err) != MDL_OK)
        fail_msg("seed %d (%s): open: %s", seed, text, err.message);
    assert_int_equal(mdl_parquet_reader_num_rows(r), total);
    mdl_schema *rs = mdl_parquet_reader_schema(r);
    assert_int_equal(rs->num_fields, s->num_fields);
    for (size_t c = 0; c < s->num_fields; c++) {
        assert_string_equal(rs->fields[c].name, s->fields[c].name);
        assert_true(mdl_type_equal(rs->fields[c].type, s->fields[c].type));
        assert_int_equal(rs->fields[c].nullable, s->fields[c].nullable);
    }
    mdl_batch *b;
    int rc;
    while ((rc = mdl_parquet_reader_next(r, &b, &err)) == MDL_OK && b != NULL) {
        assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
        mdl_test_dump_batch(b, &got);
        mdl_batch_free(b);
    }
    if (rc != MDL_OK)
        fail_msg("seed %d (%s): read: %s", seed, text, err.message);
    mdl_parquet_reader_free(r);
    assert_int_equal(mdl_buf_terminate(&expect, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&got, NULL), MDL_OK);
    if (expect.len != got.len || (expect.len && memcmp(expect.data, got.data, expect.len) != 0))
        fail_msg("seed %d (%s): values differ after the round trip", seed, text);
    mdl_buf_reset(&file);
    mdl_buf_reset(&expect);
    mdl_buf_reset(&got);
    mdl_schema_release(s);
}

static void test_format_parquet_roundtrip__random_schemas_and_data(void **state)
{
    (void)state;
    for (int seed = 1; seed <= 60; seed++)
        one_case(seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parquet_roundtrip__random_schemas_and_data),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
