/*
 * test_core_batch.c - record batches and columns: creation, appends of every type, lazy
 * validity bitmaps, truncation, validation of broken invariants, capacity limits, decimal
 * storage widths, value formatting, clearing and batch streams.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static mdl_schema *parse_schema(mdl_ctx *ctx, const char *text)
{
    mdl_schema *s = NULL;
    mdl_error err;
    if (mdl_schema_parse(ctx, text, &s, &err) != MDL_OK)
        fail_msg("schema '%s': %s", text, err.message);
    return s;
}

static mdl_batch *new_batch(mdl_ctx *ctx, mdl_schema *s, size_t capacity)
{
    mdl_batch *b = NULL;
    mdl_error err;
    if (mdl_batch_new(ctx, s, capacity, &b, &err) != MDL_OK)
        fail_msg("mdl_batch_new: %s", err.message);
    return b;
}

static const char *fmt(const mdl_column *col, size_t row, char *buf, size_t cap)
{
    size_t n = mdl_column_format_value(col, row, buf, cap);
    assert_int_equal(n, strlen(buf));
    return buf;
}

#define ALL_TYPES                                                                                  \
    "b boolean, i int32, l int64, d double, m decimal(10,2), w decimal(30,5), s string, "          \
    "dt date, ts timestamp"

enum { C_B, C_I, C_L, C_D, C_M, C_W, C_S, C_DT, C_TS, NCOLS };

static int append_row(mdl_ctx *ctx, mdl_batch *b, bool bv, int32_t iv, int64_t lv, double dv,
                      int64_t mv, mdl_i128 wv, const char *sv, int32_t dtv, int64_t tsv)
{
    uint8_t bb = bv ? 1 : 0;
    int rc = MDL_OK;
    rc |= mdl_column_append_value(ctx, &b->columns[C_B], &bb, NULL);
    rc |= mdl_column_append_value(ctx, &b->columns[C_I], &iv, NULL);
    rc |= mdl_column_append_value(ctx, &b->columns[C_L], &lv, NULL);
    rc |= mdl_column_append_value(ctx, &b->columns[C_D], &dv, NULL);
    rc |= mdl_column_append_value(ctx, &b->columns[C_M], &mv, NULL);
    rc |= mdl_column_append_value(ctx, &b->columns[C_W], &wv, NULL);
    rc |= mdl_column_append_string(ctx, &b->columns[C_S], sv, strlen(sv), NULL);
    rc |= mdl_column_append_value(ctx, &b->columns[C_DT], &dtv, NULL);
    rc |= mdl_column_append_value(ctx, &b->columns[C_TS], &tsv, NULL);
    if (rc == MDL_OK)
        b->num_rows++;
    return rc;
}

static int append_null_row(mdl_ctx *ctx, mdl_batch *b)
{
    for (size_t c = 0; c < NCOLS; c++) {
        int rc = mdl_column_append_null(ctx, &b->columns[c], NULL);
        if (rc != MDL_OK)
            return rc;
    }
    b->num_rows++;
    return MDL_OK;
}

/* ---- creation --------------------------------------------------------------------------- */

static void test_core_batch__new(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    mdl_batch *b = new_batch(&ctx, s, 100);
    assert_ptr_equal(b->ctx, &ctx);
    assert_ptr_equal(b->schema, s);
    assert_int_equal(atomic_load(&s->refcount), 2); /* the batch holds a reference */
    assert_int_equal(b->num_rows, 0);
    assert_int_equal(b->capacity, 100);
    for (size_t i = 0; i < NCOLS; i++) {
        mdl_column *col = mdl_batch_column(b, i);
        assert_ptr_equal(col, &b->columns[i]);
        assert_true(mdl_type_equal(col->type, s->fields[i].type));
        assert_int_equal(col->length, 0);
        assert_int_equal(col->capacity, 100);
        assert_int_equal(col->null_count, 0);
        assert_null(col->validity);
        assert_non_null(col->values);
        assert_int_equal(col->data_len, 0);
    }
    /* The empty batch is valid. */
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_free(b);
    assert_int_equal(atomic_load(&s->refcount), 1);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
    mdl_batch_free(NULL);
}

static void test_core_batch__new_default_capacity(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, "a int32");
    /* 0 means the context's batch_rows... */
    ctx.limits.batch_rows = 1000;
    mdl_batch *b = new_batch(&ctx, s, 0);
    assert_int_equal(b->capacity, 1000);
    assert_int_equal(b->columns[0].capacity, 1000);
    mdl_batch_free(b);
    /* ...and the library default when that is 0 too. */
    ctx.limits.batch_rows = 0;
    b = new_batch(&ctx, s, 0);
    assert_int_equal(b->capacity, MDL_DEFAULT_BATCH_ROWS);
    mdl_batch_free(b);
    mdl_ctx_init(&ctx);
    b = new_batch(&ctx, s, 0);
    assert_int_equal(b->capacity, 65536);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_core_batch__new_empty_schema(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s;
    assert_int_equal(mdl_schema_new(&ctx, NULL, 0, &s, NULL), MDL_OK);
    mdl_batch *b = new_batch(&ctx, s, 10);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_clear(b);
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_batch__new_failures(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    size_t schema_allocs = c.live;

    /* Every allocation failing in turn: NOMEM, nothing leaked, schema reference returned. */
    long k;
    for (k = 0;; k++) {
        c.fail_after = k;
        mdl_batch *b = (mdl_batch *)1;
        mdl_error err;
        int rc = mdl_batch_new(&ctx, s, 8, &b, &err);
        c.fail_after = -1;
        if (rc == MDL_OK) {
            mdl_batch_free(b);
            break;
        }
        assert_int_equal(rc, MDL_ERR_NOMEM);
        assert_int_equal(err.code, MDL_ERR_NOMEM);
        assert_null(b);
        assert_int_equal(c.live, schema_allocs);
        assert_int_equal(atomic_load(&s->refcount), 1);
    }
    assert_true(k >= 2 + NCOLS);

    /* A capacity whose byte size overflows is a limit error, not a wraparound. */
    mdl_error err;
    mdl_batch *b = (mdl_batch *)1;
    mdl_schema *one = parse_schema(&ctx, "x int64");
    assert_int_equal(mdl_batch_new(&ctx, one, SIZE_MAX / 4, &b, &err), MDL_ERR_LIMIT);
    assert_int_equal(err.code, MDL_ERR_LIMIT);
    assert_null(b);
    mdl_schema_release(one);
    one = parse_schema(&ctx, "x string");
    assert_int_equal(mdl_batch_new(&ctx, one, SIZE_MAX, &b, NULL), MDL_ERR_LIMIT);
    assert_null(b);
    assert_int_equal(atomic_load(&one->refcount), 1);
    mdl_schema_release(one);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

/* ---- standalone columns ----------------------------------------------------------------- */

static void test_core_batch__column_init_reset(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_column col;
    mdl_error err;
    assert_int_equal(mdl_column_init(&ctx, &col, mdl_type_make(MDL_TYPE_STRING), 3, &err), MDL_OK);
    assert_int_equal(col.capacity, 3);
    assert_int_equal(col.length, 0);
    assert_int_equal(mdl_column_append_string(&ctx, &col, "ab", 2, &err), MDL_OK);
    assert_int_equal(mdl_column_append_null(&ctx, &col, &err), MDL_OK);
    assert_int_equal(col.null_count, 1);
    assert_true(mdl_column_is_null(&col, 1));
    mdl_column_reset(&ctx, &col);
    assert_null(col.values);
    assert_int_equal(c.live, 0);
    mdl_column_reset(&ctx, NULL);

    /* Zero capacity is a valid empty column; every allocation failure is NOMEM, no leak. */
    assert_int_equal(mdl_column_init(&ctx, &col, mdl_type_decimal(30, 2), 0, &err), MDL_OK);
    assert_int_equal(mdl_column_append_null(&ctx, &col, &err), MDL_ERR_INVALID_ARG);
    mdl_column_reset(&ctx, &col);
    for (long k = 0; k < 2; k++) {
        c.fail_after = k;
        int rc = mdl_column_init(&ctx, &col, mdl_type_make(MDL_TYPE_STRING), 8, &err);
        c.fail_after = -1;
        assert_int_equal(rc, MDL_ERR_NOMEM);
        assert_null(col.values);
        assert_int_equal(c.live, 0);
    }
    assert_int_equal(mdl_column_init(&ctx, &col, mdl_type_make(MDL_TYPE_INT64), SIZE_MAX / 4, &err),
                     MDL_ERR_LIMIT);
    assert_int_equal(c.live, 0);
}

/* ---- appends and reads ------------------------------------------------------------------ */

static void test_core_batch__append_every_type(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    mdl_batch *b = new_batch(&ctx, s, 4);
    mdl_i128 big = (mdl_i128)INT64_MAX * 1000 + 7; /* needs the 128-bit storage */
    assert_int_equal(append_row(&ctx, b, true, INT32_MIN, INT64_MIN, 1.5, -123456, big,
                                "h\xC3\xA9llo", 19782, INT64_C(1704112496123456)),
                     MDL_OK);
    assert_int_equal(append_row(&ctx, b, false, INT32_MAX, INT64_MAX, -0.25, 99, -big, "", -1, -1),
                     MDL_OK);
    assert_int_equal(b->num_rows, 2);

    const mdl_column *col = b->columns;
    assert_true(mdl_column_bool(&col[C_B], 0));
    assert_false(mdl_column_bool(&col[C_B], 1));
    assert_int_equal(mdl_column_i32(&col[C_I], 0), INT32_MIN);
    assert_int_equal(mdl_column_i32(&col[C_I], 1), INT32_MAX);
    assert_true(mdl_column_i64(&col[C_L], 0) == INT64_MIN);
    assert_true(mdl_column_i64(&col[C_L], 1) == INT64_MAX);
    assert_true(mdl_column_f64(&col[C_D], 0) == 1.5);
    assert_true(mdl_column_f64(&col[C_D], 1) == -0.25);
    assert_true(mdl_column_decimal(&col[C_M], 0) == -123456);
    assert_true(mdl_column_i64(&col[C_M], 0) == -123456); /* 64-bit storage */
    assert_true(mdl_column_decimal(&col[C_M], 1) == 99);
    assert_true(mdl_column_decimal(&col[C_W], 0) == big);
    assert_true(mdl_column_decimal(&col[C_W], 1) == -big);
    assert_true(mdl_sv_eq_cstr(mdl_column_str(&col[C_S], 0), "h\xC3\xA9llo"));
    assert_int_equal(mdl_column_str(&col[C_S], 1).len, 0);
    assert_int_equal(mdl_column_i32(&col[C_DT], 0), 19782);
    assert_int_equal(mdl_column_i32(&col[C_DT], 1), -1);
    assert_true(mdl_column_i64(&col[C_TS], 0) == INT64_C(1704112496123456));
    assert_true(mdl_column_i64(&col[C_TS], 1) == -1);

    for (size_t i = 0; i < NCOLS; i++) {
        assert_int_equal(col[i].length, 2);
        assert_int_equal(col[i].null_count, 0);
        assert_null(col[i].validity);
        assert_false(mdl_column_is_null(&col[i], 0));
        assert_false(mdl_column_is_null(&col[i], 1));
    }
    const int64_t *off = col[C_S].values;
    assert_int_equal(off[0], 0);
    assert_int_equal(off[1], 6);
    assert_int_equal(off[2], 6);
    assert_int_equal(col[C_S].data_len, 6);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* The canonical dump of the whole batch. */
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    mdl_test_dump_batch(b, &out);
    assert_int_equal(mdl_buf_terminate(&out, NULL), MDL_OK);
    assert_string_equal(out.data,
                        "true|-2147483648|-9223372036854775808|1.5|-1234.56|"
                        "92233720368547758.07007|h\xC3\xA9llo|2024-02-29|"
                        "2024-01-01T12:34:56.123456Z\n"
                        "false|2147483647|9223372036854775807|-0.25|0.99|"
                        "-92233720368547758.07007||1969-12-31|1969-12-31T23:59:59.999999Z\n");
    mdl_buf_reset(&out);
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_batch__append_value_rejects_strings(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, "s string");
    mdl_batch *b = new_batch(&ctx, s, 4);
    int64_t v = 5;
    mdl_error err;
    assert_int_equal(mdl_column_append_value(&ctx, &b->columns[0], &v, &err), MDL_ERR_INVALID_ARG);
    assert_int_equal(err.code, MDL_ERR_INVALID_ARG);
    assert_int_equal(b->columns[0].length, 0);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_core_batch__many_strings(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, "s string not null");
    enum { N = 5000 };
    mdl_batch *b = new_batch(&ctx, s, N);
    mdl_column *col = &b->columns[0];
    char text[300];
    size_t total = 0;
    for (size_t i = 0; i < N; i++) {
        size_t len = (i * 37) % 257;
        for (size_t k = 0; k < len; k++)
            text[k] = (char)('a' + (i + k) % 26);
        assert_int_equal(mdl_column_append_string(&ctx, col, text, len, NULL), MDL_OK);
        total += len;
    }
    b->num_rows = N;
    assert_int_equal(col->data_len, total);
    assert_true(col->data_cap >= total);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    for (size_t i = 0; i < N; i++) {
        mdl_strview v = mdl_column_str(col, i);
        size_t len = (i * 37) % 257;
        assert_int_equal(v.len, len);
        for (size_t k = 0; k < len; k++)
            assert_int_equal(v.ptr[k], 'a' + (i + k) % 26);
    }
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_batch__string_growth_nomem(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, "s string");
    mdl_batch *b = new_batch(&ctx, s, 4);
    mdl_column *col = &b->columns[0];
    assert_int_equal(mdl_column_append_string(&ctx, col, "abc", 3, NULL), MDL_OK);
    char big[100000];
    memset(big, 'z', sizeof big);
    c.fail_after = 0;
    mdl_error err;
    assert_int_equal(mdl_column_append_string(&ctx, col, big, sizeof big, &err), MDL_ERR_NOMEM);
    c.fail_after = -1;
    /* Nothing changed. */
    assert_int_equal(col->length, 1);
    assert_int_equal(col->data_len, 3);
    assert_true(mdl_sv_eq_cstr(mdl_column_str(col, 0), "abc"));
    assert_int_equal(mdl_column_append_string(&ctx, col, big, sizeof big, NULL), MDL_OK);
    assert_int_equal(mdl_column_str(col, 1).len, sizeof big);
    b->num_rows = 2;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

/* ---- nulls ------------------------------------------------------------------------------ */

static void test_core_batch__nulls_create_validity_lazily(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    mdl_batch *b = new_batch(&ctx, s, 40);
    /* Ten valid rows first: no bitmap yet. */
    for (int r = 0; r < 10; r++)
        assert_int_equal(append_row(&ctx, b, true, r, r, r, r, r, "x", r, r), MDL_OK);
    for (size_t i = 0; i < NCOLS; i++)
        assert_null(b->columns[i].validity);
    /* The first null creates it; all earlier rows stay valid. */
    assert_int_equal(append_null_row(&ctx, b), MDL_OK);
    for (size_t i = 0; i < NCOLS; i++) {
        const mdl_column *col = &b->columns[i];
        assert_non_null(col->validity);
        assert_int_equal(col->null_count, 1);
        for (size_t r = 0; r < 10; r++)
            assert_false(mdl_column_is_null(col, r));
        assert_true(mdl_column_is_null(col, 10));
    }
    /* Values of null rows are zero / empty (the allocator hands out 0xA5 garbage). */
    assert_false(mdl_column_bool(&b->columns[C_B], 10));
    assert_int_equal(mdl_column_i32(&b->columns[C_I], 10), 0);
    assert_true(mdl_column_i64(&b->columns[C_L], 10) == 0);
    assert_true(mdl_column_f64(&b->columns[C_D], 10) == 0.0);
    assert_true(mdl_column_decimal(&b->columns[C_M], 10) == 0);
    assert_true(mdl_column_decimal(&b->columns[C_W], 10) == 0);
    assert_int_equal(mdl_column_str(&b->columns[C_S], 10).len, 0);
    assert_int_equal(mdl_column_i32(&b->columns[C_DT], 10), 0);
    assert_true(mdl_column_i64(&b->columns[C_TS], 10) == 0);

    /* Alternate across several bitmap bytes; appends after nulls set their bits. */
    for (int r = 11; r < 40; r++) {
        if (r % 3 == 0)
            assert_int_equal(append_null_row(&ctx, b), MDL_OK);
        else
            assert_int_equal(append_row(&ctx, b, false, r, r, r, r, r, "yy", r, r), MDL_OK);
    }
    size_t nulls = 1;
    for (int r = 11; r < 40; r++)
        nulls += r % 3 == 0;
    for (size_t i = 0; i < NCOLS; i++) {
        const mdl_column *col = &b->columns[i];
        assert_int_equal(col->null_count, nulls);
        for (size_t r = 11; r < 40; r++)
            assert_int_equal(mdl_column_is_null(col, r), r % 3 == 0);
    }
    assert_int_equal(mdl_column_i32(&b->columns[C_I], 38), 38);
    assert_true(mdl_sv_eq_cstr(mdl_column_str(&b->columns[C_S], 38), "yy"));
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    char buf[64];
    assert_string_equal(fmt(&b->columns[C_S], 39, buf, sizeof buf), "NULL");
    assert_string_equal(fmt(&b->columns[C_S], 38, buf, sizeof buf), "yy");
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_batch__null_first_row(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, "s string, n int64");
    mdl_batch *b = new_batch(&ctx, s, 9);
    for (int r = 0; r < 9; r++) {
        if (r == 0 || r == 8) {
            assert_int_equal(mdl_column_append_null(&ctx, &b->columns[0], NULL), MDL_OK);
            assert_int_equal(mdl_column_append_null(&ctx, &b->columns[1], NULL), MDL_OK);
        } else {
            int64_t v = r;
            assert_int_equal(mdl_column_append_string(&ctx, &b->columns[0], "ab", 2, NULL), MDL_OK);
            assert_int_equal(mdl_column_append_value(&ctx, &b->columns[1], &v, NULL), MDL_OK);
        }
    }
    b->num_rows = 9;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    for (size_t r = 0; r < 9; r++) {
        assert_int_equal(mdl_column_is_null(&b->columns[0], r), r == 0 || r == 8);
        assert_int_equal(mdl_column_is_null(&b->columns[1], r), r == 0 || r == 8);
    }
    const int64_t *off = b->columns[0].values;
    assert_int_equal(off[0], 0);
    assert_int_equal(off[1], 0);
    assert_int_equal(off[8], 14);
    assert_int_equal(off[9], 14);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_core_batch__validity_nomem(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, "n int64");
    mdl_batch *b = new_batch(&ctx, s, 4);
    int64_t v = 1;
    assert_int_equal(mdl_column_append_value(&ctx, &b->columns[0], &v, NULL), MDL_OK);
    c.fail_after = 0;
    mdl_error err;
    assert_int_equal(mdl_column_append_null(&ctx, &b->columns[0], &err), MDL_ERR_NOMEM);
    c.fail_after = -1;
    assert_int_equal(b->columns[0].length, 1);
    assert_int_equal(b->columns[0].null_count, 0);
    assert_null(b->columns[0].validity);
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

/* ---- truncation ------------------------------------------------------------------------- */

static void test_core_batch__truncate(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, "s string, n int32");
    mdl_batch *b = new_batch(&ctx, s, 16);
    mdl_column *sc = &b->columns[0], *nc = &b->columns[1];
    /* rows: "aa", NULL, "bbb", NULL, "c" */
    static const char *const vals[] = {"aa", NULL, "bbb", NULL, "c"};
    for (int32_t r = 0; r < 5; r++) {
        if (vals[r] == NULL) {
            assert_int_equal(mdl_column_append_null(&ctx, sc, NULL), MDL_OK);
            assert_int_equal(mdl_column_append_null(&ctx, nc, NULL), MDL_OK);
        } else {
            assert_int_equal(mdl_column_append_string(&ctx, sc, vals[r], strlen(vals[r]), NULL),
                             MDL_OK);
            assert_int_equal(mdl_column_append_value(&ctx, nc, &r, NULL), MDL_OK);
        }
    }
    assert_int_equal(sc->null_count, 2);
    assert_int_equal(sc->data_len, 6);

    /* Truncating to the current length or beyond changes nothing. */
    mdl_column_truncate(sc, 5);
    mdl_column_truncate(sc, 100);
    assert_int_equal(sc->length, 5);
    assert_int_equal(sc->null_count, 2);

    /* Drop the last two rows ("c" and the second NULL). */
    mdl_column_truncate(sc, 3);
    mdl_column_truncate(nc, 3);
    assert_int_equal(sc->length, 3);
    assert_int_equal(sc->null_count, 1);
    assert_int_equal(sc->data_len, 5);
    assert_int_equal(nc->length, 3);
    assert_int_equal(nc->null_count, 1);
    b->num_rows = 3;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* Appending after a truncation reuses the rows: valid again, new bytes. */
    int32_t v = 77;
    assert_int_equal(mdl_column_append_string(&ctx, sc, "zz", 2, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_value(&ctx, nc, &v, NULL), MDL_OK);
    assert_false(mdl_column_is_null(sc, 3));
    assert_false(mdl_column_is_null(nc, 3));
    assert_true(mdl_sv_eq_cstr(mdl_column_str(sc, 3), "zz"));
    assert_int_equal(mdl_column_i32(nc, 3), 77);
    assert_int_equal(sc->data_len, 7);
    assert_int_equal(sc->null_count, 1);
    b->num_rows = 4;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* A null appended after truncation into a previously-null slot counts once. */
    mdl_column_truncate(sc, 1);
    mdl_column_truncate(nc, 1);
    assert_int_equal(sc->null_count, 0);
    assert_int_equal(nc->null_count, 0);
    assert_int_equal(sc->data_len, 2);
    assert_int_equal(mdl_column_append_null(&ctx, sc, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_null(&ctx, nc, NULL), MDL_OK);
    assert_int_equal(sc->null_count, 1);
    b->num_rows = 2;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* Down to nothing. */
    mdl_column_truncate(sc, 0);
    mdl_column_truncate(nc, 0);
    assert_int_equal(sc->length, 0);
    assert_int_equal(sc->null_count, 0);
    assert_int_equal(sc->data_len, 0);
    assert_int_equal(nc->null_count, 0);
    b->num_rows = 0;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_core_batch__truncate_undoes_partial_record(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, "a int64, b string, c date");
    mdl_batch *b = new_batch(&ctx, s, 8);
    int64_t a = 1;
    int32_t d = 2;
    assert_int_equal(mdl_column_append_value(&ctx, &b->columns[0], &a, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &b->columns[1], "ok", 2, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_value(&ctx, &b->columns[2], &d, NULL), MDL_OK);
    b->num_rows = 1;
    /* A reader appends two fields of the next record, then finds the third is bad. */
    assert_int_equal(mdl_column_append_null(&ctx, &b->columns[0], NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &b->columns[1], "partial", 7, NULL), MDL_OK);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_ERR_SCHEMA);
    for (size_t i = 0; i < 3; i++)
        mdl_column_truncate(&b->columns[i], b->num_rows);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    assert_int_equal(b->columns[0].null_count, 0);
    assert_int_equal(b->columns[1].data_len, 2);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

/* ---- validation ------------------------------------------------------------------------- */

static mdl_batch *valid_batch(mdl_ctx *ctx, mdl_schema **s_out)
{
    mdl_schema *s = parse_schema(ctx, "id int64 not null, name string, score double");
    mdl_batch *b = new_batch(ctx, s, 8);
    static const char *const names[] = {"ann", NULL, "c\xC3\xA9line", "dan"};
    for (int64_t r = 0; r < 4; r++) {
        double score = (double)r / 2;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[0], &r, NULL), MDL_OK);
        if (names[r] == NULL)
            assert_int_equal(mdl_column_append_null(ctx, &b->columns[1], NULL), MDL_OK);
        else
            assert_int_equal(
                mdl_column_append_string(ctx, &b->columns[1], names[r], strlen(names[r]), NULL),
                MDL_OK);
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[2], &score, NULL), MDL_OK);
    }
    b->num_rows = 4;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    *s_out = s;
    return b;
}

static void expect_invalid(const mdl_batch *b, const char *message)
{
    mdl_error err;
    mdl_error_clear(&err);
    int rc = mdl_batch_validate(b, &err);
    if (rc != MDL_ERR_SCHEMA)
        fail_msg("validate returned %s, expected schema mismatch", mdl_status_str(rc));
    assert_int_equal(err.code, MDL_ERR_SCHEMA);
    if (strcmp(err.message, message) != 0)
        fail_msg("message '%s', expected '%s'", err.message, message);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_ERR_SCHEMA);
}

static void test_core_batch__validate_catches_broken_invariants(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s;
    mdl_batch *b = valid_batch(&ctx, &s);
    mdl_column *id = &b->columns[0], *name = &b->columns[1], *score = &b->columns[2];
    int64_t *off = name->values;

    /* Wrong null count (too high, too low). */
    name->null_count = 2;
    expect_invalid(b, "column 'name': null_count 2, counted 1");
    name->null_count = 0;
    expect_invalid(b, "column 'name': null_count 0, counted 1");
    name->null_count = 1;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* Column length disagreeing with the batch. */
    b->num_rows = 3;
    expect_invalid(b, "column 'id' has 4 rows, batch has 3");
    b->num_rows = 4;
    score->length = 3;
    expect_invalid(b, "column 'score' has 3 rows, batch has 4");
    score->length = 4;

    /* Type differing from the schema. */
    score->type = mdl_type_make(MDL_TYPE_INT64);
    expect_invalid(b, "column 'score': type differs from schema");
    score->type = mdl_type_make(MDL_TYPE_DOUBLE);

    /* Offsets: first not 0, decreasing, past the data. */
    off[0] = 1;
    expect_invalid(b, "column 'name': first offset not 0");
    off[0] = 0;
    int64_t saved = off[3];
    off[3] = off[2] - 1;
    expect_invalid(b, "column 'name' row 2: bad offset");
    off[3] = saved;
    saved = off[4];
    off[4] = (int64_t)name->data_len + 1;
    expect_invalid(b, "column 'name' row 3: bad offset");
    off[4] = saved;
    off[1] = -1; /* row 0 ends before it starts */
    expect_invalid(b, "column 'name' row 0: bad offset");
    off[1] = 3;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* Invalid UTF-8 in a value: an overlong, then a lone continuation byte. */
    char keep = name->data[0];
    name->data[0] = (char)0xC0;
    expect_invalid(b, "column 'name' row 0: invalid UTF-8");
    name->data[0] = keep;
    size_t at = (size_t)off[2] + 2; /* the continuation byte of "é" in "céline" */
    keep = name->data[at];
    name->data[at] = (char)0x80;
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK); /* C3 80 is valid U+00C0 */
    name->data[at] = keep;
    name->data[(size_t)off[2]] = (char)0xA9;
    expect_invalid(b, "column 'name' row 2: invalid UTF-8");
    name->data[(size_t)off[2]] = 'c';
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* A null in a non-nullable field. */
    mdl_column_truncate(id, 3);
    assert_int_equal(mdl_column_append_null(&ctx, id, NULL), MDL_OK);
    expect_invalid(b, "column 'id' is not nullable but has nulls");

    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_core_batch__validate_invalid_utf8_appended(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, "s string");
    mdl_batch *b = new_batch(&ctx, s, 4);
    /* Appends store bytes as given; validation is what catches bad UTF-8. */
    assert_int_equal(mdl_column_append_string(&ctx, &b->columns[0], "ok", 2, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &b->columns[0], "\xED\xA0\x80", 3, NULL),
                     MDL_OK);
    b->num_rows = 2;
    expect_invalid(b, "column 's' row 1: invalid UTF-8");
    /* A sequence split across two values is invalid in both. */
    mdl_column_truncate(&b->columns[0], 0);
    assert_int_equal(mdl_column_append_string(&ctx, &b->columns[0], "\xC3", 1, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &b->columns[0], "\xA9", 1, NULL), MDL_OK);
    expect_invalid(b, "column 's' row 0: invalid UTF-8");
    mdl_batch_free(b);
    mdl_schema_release(s);
}

/* ---- capacity --------------------------------------------------------------------------- */

static void test_core_batch__append_beyond_capacity(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    mdl_batch *b = new_batch(&ctx, s, 2);
    assert_int_equal(append_row(&ctx, b, true, 1, 1, 1, 1, 1, "a", 1, 1), MDL_OK);
    assert_int_equal(append_null_row(&ctx, b), MDL_OK);
    size_t data_len = b->columns[C_S].data_len;
    for (size_t i = 0; i < NCOLS; i++) {
        mdl_column *col = &b->columns[i];
        mdl_error err;
        mdl_i128 zero = 0;
        int rc = col->type.id == MDL_TYPE_STRING
                     ? mdl_column_append_string(&ctx, col, "more", 4, &err)
                     : mdl_column_append_value(&ctx, col, &zero, &err);
        assert_int_equal(rc, MDL_ERR_INVALID_ARG);
        assert_int_equal(err.code, MDL_ERR_INVALID_ARG);
        assert_string_equal(err.message, "column is full (2 rows)");
        assert_int_equal(mdl_column_append_null(&ctx, col, &err), MDL_ERR_INVALID_ARG);
        /* Nothing changed. */
        assert_int_equal(col->length, 2);
        assert_int_equal(col->null_count, 1);
    }
    assert_int_equal(b->columns[C_S].data_len, data_len);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    /* Capacity 1 (bitmap of one byte) works at its edge. */
    mdl_batch_free(b);
    b = new_batch(&ctx, s, 1);
    assert_int_equal(append_null_row(&ctx, b), MDL_OK);
    assert_int_equal(append_null_row(&ctx, b), MDL_ERR_INVALID_ARG);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_free(b);
    /* Exactly 8 and 9 rows of nulls: the bitmap's last byte. */
    for (size_t cap = 7; cap <= 17; cap++) {
        b = new_batch(&ctx, s, cap);
        for (size_t r = 0; r < cap; r++)
            assert_int_equal(append_null_row(&ctx, b), MDL_OK);
        assert_int_equal(append_null_row(&ctx, b), MDL_ERR_INVALID_ARG);
        for (size_t i = 0; i < NCOLS; i++)
            assert_int_equal(b->columns[i].null_count, cap);
        assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
        mdl_batch_free(b);
    }
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

/* ---- decimals --------------------------------------------------------------------------- */

static void test_core_batch__decimal_storage(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, "a decimal(18,2), b decimal(19,2), c decimal(38,0), "
                                       "d decimal(1,0)");
    mdl_batch *b = new_batch(&ctx, s, 4);
    assert_int_equal(mdl_type_width(b->columns[0].type), 8);
    assert_int_equal(mdl_type_width(b->columns[1].type), 16);

    int64_t a_vals[] = {INT64_C(999999999999999999), INT64_C(-999999999999999999), 0};
    mdl_i128 b_vals[] = {(mdl_i128)INT64_C(999999999999999999) * 10 + 9, -1, 0};
    mdl_i128 max38 = 1;
    for (int i = 0; i < 38; i++)
        max38 *= 10;
    max38 -= 1;
    mdl_i128 c_vals[] = {max38, -max38, 12345};
    int64_t d_vals[] = {9, -9, 0};
    for (size_t r = 0; r < 3; r++) {
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[0], &a_vals[r], NULL), MDL_OK);
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[1], &b_vals[r], NULL), MDL_OK);
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[2], &c_vals[r], NULL), MDL_OK);
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[3], &d_vals[r], NULL), MDL_OK);
    }
    b->num_rows = 3;
    for (size_t r = 0; r < 3; r++) {
        assert_true(mdl_column_decimal(&b->columns[0], r) == a_vals[r]);
        assert_true(mdl_column_decimal(&b->columns[1], r) == b_vals[r]);
        assert_true(mdl_column_decimal(&b->columns[2], r) == c_vals[r]);
        assert_true(mdl_column_decimal(&b->columns[3], r) == d_vals[r]);
    }
    /* 64-bit storage really is int64_t, 128-bit really is 16 bytes per value. */
    assert_true(((const int64_t *)b->columns[0].values)[1] == INT64_C(-999999999999999999));
    mdl_i128 raw;
    memcpy(&raw, (const char *)b->columns[2].values + 16, 16);
    assert_true(raw == -max38);
    char buf[64];
    assert_string_equal(fmt(&b->columns[0], 0, buf, sizeof buf), "9999999999999999.99");
    assert_string_equal(fmt(&b->columns[1], 0, buf, sizeof buf), "99999999999999999.99");
    assert_string_equal(fmt(&b->columns[1], 1, buf, sizeof buf), "-0.01");
    assert_string_equal(fmt(&b->columns[2], 1, buf, sizeof buf),
                        "-99999999999999999999999999999999999999");
    assert_string_equal(fmt(&b->columns[2], 2, buf, sizeof buf), "12345");
    assert_string_equal(fmt(&b->columns[3], 1, buf, sizeof buf), "-9");
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

/* ---- formatting ------------------------------------------------------------------------- */

static void test_core_batch__format_value_every_type(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    mdl_batch *b = new_batch(&ctx, s, 8);
    assert_int_equal(append_row(&ctx, b, true, -42, INT64_C(1234567890123), 1.5, 1234, (mdl_i128)-5,
                                "caf\xC3\xA9", 0, 0),
                     MDL_OK);
    assert_int_equal(append_row(&ctx, b, false, 0, -1, -0.25, -5, (mdl_i128)123456789, "", -719162,
                                INT64_C(1704112496500000)),
                     MDL_OK);
    assert_int_equal(
        append_row(&ctx, b, false, 7, 0, HUGE_VAL, 0, 0, "a|b", 2932896, INT64_C(1704112496000001)),
        MDL_OK);
    assert_int_equal(append_row(&ctx, b, false, 7, 0, -HUGE_VAL, 0, 0, "x", 0, 0), MDL_OK);
    assert_int_equal(append_row(&ctx, b, false, 7, 0, (double)NAN, 0, 0, "x", 0, 0), MDL_OK);
    assert_int_equal(append_row(&ctx, b, false, 7, 0, 123456789.125, 0, 0, "x", 0, 0), MDL_OK);
    assert_int_equal(append_null_row(&ctx, b), MDL_OK);

    static const char *const want[6][NCOLS] = {
        {"true", "-42", "1234567890123", "1.5", "12.34", "-0.00005", "caf\xC3\xA9", "1970-01-01",
         "1970-01-01T00:00:00Z"},
        {"false", "0", "-1", "-0.25", "-0.05", "1234.56789", "", "0001-01-01",
         "2024-01-01T12:34:56.500Z"},
        {"false", "7", "0", "inf", "0.00", "0.00000", "a|b", "9999-12-31",
         "2024-01-01T12:34:56.000001Z"},
        {NULL, NULL, NULL, "-inf", NULL, NULL, NULL, NULL, NULL},
        {NULL, NULL, NULL, "nan", NULL, NULL, NULL, NULL, NULL},
        {NULL, NULL, NULL, "123456789.125", NULL, NULL, NULL, NULL, NULL},
    };
    char buf[128];
    for (size_t r = 0; r < 6; r++)
        for (size_t c = 0; c < NCOLS; c++)
            if (want[r][c] != NULL &&
                strcmp(fmt(&b->columns[c], r, buf, sizeof buf), want[r][c]) != 0)
                fail_msg("row %zu col %zu: '%s', expected '%s'", r, c, buf, want[r][c]);
    /* NULL in every type. */
    for (size_t c = 0; c < NCOLS; c++)
        assert_string_equal(fmt(&b->columns[c], 6, buf, sizeof buf), "NULL");
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_core_batch__format_value_truncates(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    mdl_batch *b = new_batch(&ctx, s, 4);
    assert_int_equal(append_row(&ctx, b, false, -123456, INT64_C(-9876543210), -0.125, -123456,
                                (mdl_i128)-9876543210, "h\xC3\xA9llo world", 19782,
                                INT64_C(1704112496123456)),
                     MDL_OK);
    assert_int_equal(append_null_row(&ctx, b), MDL_OK);
    /* For every type and every small capacity: the first cap - 1 characters of the full
     * text, NUL-terminated, and that length returned. */
    for (size_t c = 0; c < NCOLS; c++) {
        for (size_t row = 0; row < 2; row++) {
            char full[128];
            size_t n = mdl_column_format_value(&b->columns[c], row, full, sizeof full);
            assert_int_equal(n, strlen(full));
            for (size_t cap = 1; cap <= n + 1; cap++) {
                char buf[128];
                memset(buf, '#', sizeof buf);
                size_t m = mdl_column_format_value(&b->columns[c], row, buf, cap);
                size_t expect = n < cap - 1 ? n : cap - 1;
                if (m != expect || strlen(buf) != expect || memcmp(buf, full, expect) != 0 ||
                    buf[cap] != '#')
                    fail_msg("column %s row %zu cap %zu: '%s' (%zu), expected %zu chars of '%s'",
                             s->fields[c].name, row, cap, buf, m, expect, full);
            }
            /* cap 0 writes nothing at all. */
            char untouched = '#';
            assert_int_equal(mdl_column_format_value(&b->columns[c], row, &untouched, 0), 0);
            assert_int_equal(untouched, '#');
        }
    }
    mdl_batch_free(b);
    mdl_schema_release(s);
}

/* ---- clearing --------------------------------------------------------------------------- */

static void test_core_batch__clear(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = parse_schema(&ctx, ALL_TYPES);
    mdl_batch *b = new_batch(&ctx, s, 16);
    for (int r = 0; r < 16; r++) {
        if (r % 4 == 1)
            assert_int_equal(append_null_row(&ctx, b), MDL_OK);
        else
            assert_int_equal(append_row(&ctx, b, true, r, r, r, r, r, "some text", r, r), MDL_OK);
    }
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    void *values = b->columns[C_S].values;
    char *data = b->columns[C_S].data;
    size_t live = c.live;

    mdl_batch_clear(b);
    assert_int_equal(b->num_rows, 0);
    assert_int_equal(b->capacity, 16);
    for (size_t i = 0; i < NCOLS; i++) {
        assert_int_equal(b->columns[i].length, 0);
        assert_int_equal(b->columns[i].null_count, 0);
    }
    assert_int_equal(b->columns[C_S].data_len, 0);
    /* Allocations are kept. */
    assert_int_equal(c.live, live);
    assert_ptr_equal(b->columns[C_S].values, values);
    assert_ptr_equal(b->columns[C_S].data, data);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);

    /* Reuse: new rows are valid unless appended as null, old nulls are forgotten. */
    for (int r = 0; r < 16; r++) {
        if (r == 5)
            assert_int_equal(append_null_row(&ctx, b), MDL_OK);
        else
            assert_int_equal(append_row(&ctx, b, false, -r, -r, -r, -r, -r, "x", -r, -r), MDL_OK);
    }
    for (size_t i = 0; i < NCOLS; i++) {
        assert_int_equal(b->columns[i].null_count, 1);
        for (size_t r = 0; r < 16; r++)
            assert_int_equal(mdl_column_is_null(&b->columns[i], r), r == 5);
    }
    assert_int_equal(mdl_column_i32(&b->columns[C_I], 15), -15);
    assert_int_equal(b->columns[C_S].data_len, 15);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    /* Clearing an empty batch is fine. */
    mdl_batch_clear(b);
    mdl_batch_clear(b);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

/* ---- batch streams ---------------------------------------------------------------------- */

typedef struct counting_stream {
    int releases;
    int produced;
    int limit;
    mdl_ctx *ctx;
} counting_stream;

static int stream_next(mdl_batch_stream *self, mdl_batch **out, mdl_error *err)
{
    counting_stream *cs = self->private_data;
    if (cs->produced == cs->limit) {
        *out = NULL;
        return MDL_OK;
    }
    int rc = mdl_batch_new(cs->ctx, self->schema, 2, out, err);
    if (rc != MDL_OK)
        return rc;
    int64_t v = cs->produced++;
    rc = mdl_column_append_value(cs->ctx, &(*out)->columns[0], &v, err);
    (*out)->num_rows = 1;
    return rc;
}

static void stream_release(mdl_batch_stream *self)
{
    counting_stream *cs = self->private_data;
    cs->releases++;
}

static void test_core_batch__stream(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    /* NULL, and a stream without a release function, are fine. */
    mdl_batch_stream_release(NULL);
    mdl_batch_stream bare;
    memset(&bare, 0, sizeof bare);
    mdl_batch_stream_release(&bare);

    mdl_schema *s = parse_schema(&ctx, "n int64");
    counting_stream cs = {0, 0, 3, &ctx};
    mdl_batch_stream st = {stream_next, stream_release, s, &cs};
    int64_t expect = 0;
    for (;;) {
        mdl_batch *b = NULL;
        assert_int_equal(mdl_batch_stream_next(&st, &b, NULL), MDL_OK);
        if (b == NULL)
            break;
        assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
        assert_true(mdl_column_i64(&b->columns[0], 0) == expect);
        expect++;
        mdl_batch_free(b);
    }
    assert_int_equal(expect, 3);
    mdl_batch_stream_release(&st);
    assert_int_equal(cs.releases, 1);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_batch__append_nulls(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_column s, n;
    assert_int_equal(mdl_column_init(&ctx, &s, mdl_type_make(MDL_TYPE_STRING), 40, NULL), MDL_OK);
    assert_int_equal(mdl_column_init(&ctx, &n, mdl_type_make(MDL_TYPE_INT64), 40, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &s, "ab", 2, NULL), MDL_OK);
    int64_t v = 7;
    assert_int_equal(mdl_column_append_value(&ctx, &n, &v, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_nulls(&ctx, &s, 20, NULL), MDL_OK); /* crosses bytes */
    assert_int_equal(mdl_column_append_nulls(&ctx, &n, 20, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &s, "c", 1, NULL), MDL_OK);
    assert_int_equal(s.length, 22);
    assert_int_equal(s.null_count, 20);
    assert_false(mdl_column_is_null(&s, 0));
    for (size_t i = 1; i <= 20; i++) {
        assert_true(mdl_column_is_null(&s, i));
        assert_true(mdl_column_is_null(&n, i));
        assert_int_equal(mdl_column_i64(&n, i), 0);
    }
    assert_false(mdl_column_is_null(&s, 21));
    assert_int_equal(mdl_column_str(&s, 21).len, 1);
    assert_memory_equal(mdl_column_str(&s, 21).ptr, "c", 1);
    assert_int_equal(mdl_column_i64(&n, 0), 7);
    assert_int_equal(mdl_column_append_nulls(&ctx, &n, 20, NULL), MDL_ERR_INVALID_ARG); /* full */
    mdl_column_reset(&ctx, &s);
    mdl_column_reset(&ctx, &n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_batch__append_nulls),
        cmocka_unit_test(test_core_batch__new),
        cmocka_unit_test(test_core_batch__new_default_capacity),
        cmocka_unit_test(test_core_batch__new_empty_schema),
        cmocka_unit_test(test_core_batch__new_failures),
        cmocka_unit_test(test_core_batch__column_init_reset),
        cmocka_unit_test(test_core_batch__append_every_type),
        cmocka_unit_test(test_core_batch__append_value_rejects_strings),
        cmocka_unit_test(test_core_batch__many_strings),
        cmocka_unit_test(test_core_batch__string_growth_nomem),
        cmocka_unit_test(test_core_batch__nulls_create_validity_lazily),
        cmocka_unit_test(test_core_batch__null_first_row),
        cmocka_unit_test(test_core_batch__validity_nomem),
        cmocka_unit_test(test_core_batch__truncate),
        cmocka_unit_test(test_core_batch__truncate_undoes_partial_record),
        cmocka_unit_test(test_core_batch__validate_catches_broken_invariants),
        cmocka_unit_test(test_core_batch__validate_invalid_utf8_appended),
        cmocka_unit_test(test_core_batch__append_beyond_capacity),
        cmocka_unit_test(test_core_batch__decimal_storage),
        cmocka_unit_test(test_core_batch__format_value_every_type),
        cmocka_unit_test(test_core_batch__format_value_truncates),
        cmocka_unit_test(test_core_batch__clear),
        cmocka_unit_test(test_core_batch__stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
