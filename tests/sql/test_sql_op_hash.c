/*
 * test_sql_op_hash.c - the hash operators (sql_op_hash.h) and the key table (sql_keys.h):
 * GROUP BY, every join type, LIMIT/OFFSET, UNION ALL, DISTINCT, memory budgets. Expected
 * results are computed independently here (plain loops over the source arrays) and compared
 * with the operators' output as sorted text lines (or in order where the order is promised).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "sql/sql_keys.h"
#include "sql/sql_op_hash.h"

/* ---- an in-memory stream ------------------------------------------------------------------ */

typedef struct vec_src {
    mdl_ctx *ctx;
    mdl_schema *schema;
    mdl_batch **batches;
    size_t n, pos;
    size_t *pulls;
} vec_src;

static int vec_next(void *st, mdl_batch **out, mdl_error *err)
{
    (void)err;
    vec_src *v = st;
    if (v->pulls)
        (*v->pulls)++;
    *out = v->pos < v->n ? v->batches[v->pos++] : NULL;
    return MDL_OK;
}

static void vec_free(void *st)
{
    vec_src *v = st;
    for (size_t i = v->pos; i < v->n; i++)
        mdl_batch_free(v->batches[i]);
    free(v->batches);
    mdl_schema_release(v->schema);
    free(v);
}

static const mdl_batch_source vec_source = {vec_next, vec_free};

/* A builder: rows appended to batches of `chunk` rows, then turned into a stream. */
typedef struct builder {
    mdl_ctx *ctx;
    vec_src *v;
    size_t chunk;
    mdl_batch *cur;
} builder;

static void b_init(builder *b, mdl_ctx *ctx, const char *schema, size_t chunk)
{
    b->ctx = ctx;
    b->chunk = chunk;
    b->cur = NULL;
    b->v = calloc(1, sizeof *b->v);
    b->v->ctx = ctx;
    assert_int_equal(mdl_schema_parse(ctx, schema, &b->v->schema, NULL), MDL_OK);
}

static mdl_batch *b_row(builder *b)
{
    if (b->cur == NULL || b->cur->num_rows == b->chunk) {
        assert_int_equal(mdl_batch_new(b->ctx, b->v->schema, b->chunk, &b->cur, NULL), MDL_OK);
        b->v->batches = realloc(b->v->batches, (b->v->n + 1) * sizeof(mdl_batch *));
        b->v->batches[b->v->n++] = b->cur;
    }
    b->cur->num_rows++;
    return b->cur;
}

/* Appends one value given as text ("\N" = NULL) to column c of the current row. */
static void b_val(builder *b, size_t c, const char *text)
{
    mdl_column *col = &b->cur->columns[c];
    mdl_ctx *ctx = b->ctx;
    if (strcmp(text, "\\N") == 0) {
        assert_int_equal(mdl_column_append_null(ctx, col, NULL), MDL_OK);
        return;
    }
    switch (col->type.id) {
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE: {
        int32_t v = (int32_t)strtol(text, NULL, 10);
        if (col->type.id == MDL_TYPE_DATE)
            assert_int_equal(mdl_date_parse(text, strlen(text), &v), MDL_OK);
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_INT64: {
        int64_t v = strtoll(text, NULL, 10);
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_DOUBLE: {
        double v = strtod(text, NULL);
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 v;
        assert_int_equal(
            mdl_decimal_parse(text, strlen(text), col->type.precision, col->type.scale, &v),
            MDL_OK);
        if (col->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
            int64_t v64 = (int64_t)v;
            assert_int_equal(mdl_column_append_value(ctx, col, &v64, NULL), MDL_OK);
        } else {
            assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        }
        break;
    }
    case MDL_TYPE_BOOLEAN: {
        uint8_t v = strcmp(text, "true") == 0;
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    default:
        assert_int_equal(mdl_column_append_string(ctx, col, text, strlen(text), NULL), MDL_OK);
    }
}

/* Appends a row given as "v1|v2|..." text. */
static void b_line(builder *b, const char *line)
{
    b_row(b);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", line);
    size_t c = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
        b_val(b, c++, tok);
    assert_int_equal(c, b->cur->schema->num_fields);
}

static mdl_batch_stream *b_stream(builder *b, size_t *pulls)
{
    mdl_batch_stream *s = NULL;
    b->v->pulls = pulls;
    assert_int_equal(mdl_batch_stream_wrap(b->ctx, b->v->schema, &vec_source, b->v, &s, NULL),
                     MDL_OK);
    return s;
}

/* Drains a stream into text lines ("v1|v2\n", NULL as \N); validates every batch. */
static int drain(mdl_batch_stream *s, mdl_buf *out, mdl_error *err)
{
    for (;;) {
        mdl_batch *b = NULL;
        int rc = mdl_batch_stream_next(s, &b, err);
        if (rc != MDL_OK)
            return rc;
        if (b == NULL)
            return MDL_OK;
        assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
        mdl_test_dump_batch(b, out);
        mdl_batch_free(b);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the lines of text in place (as a new malloc'd string). */
static char *sorted_lines(const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = 0;
    size_t n = 0, cap = 16;
    char **lines = malloc(cap * sizeof *lines);
    char *save = NULL;
    for (char *t = strtok_r(copy, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
        if (n == cap)
            lines = realloc(lines, (cap *= 2) * sizeof *lines);
        lines[n++] = t;
    }
    qsort(lines, n, sizeof *lines, cmp_str);
    char *res = malloc(len + 2);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += (size_t)sprintf(res + pos, "%s\n", lines[i]);
    res[pos] = 0;
    free(lines);
    free(copy);
    return res;
}

static void assert_same_rows(const mdl_buf *got, const mdl_buf *want)
{
    char *g = sorted_lines(got->data ? got->data : "", got->len);
    char *w = sorted_lines(want->data ? want->data : "", want->len);
    assert_string_equal(g, w);
    free(g);
    free(w);
}

/* ---- key table --------------------------------------------------------------------------- */

static void test_sql_keys__ids_nulls_doubles_strings(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    builder b;
    b_init(&b, &ctx, "d double, s string, i int32", 64);
    const char *rows[] = {"0.0|a|1",   "-0.0|a|1",  "nan|\\N|1", "nan|\\N|1", "1.5|ab|\\N",
                          "\\N|b|\\N", "\\N|b|\\N", "1.5|a|1",   "1.5|ab|\\N"};
    for (size_t i = 0; i < 9; i++)
        b_line(&b, rows[i]);
    mdl_batch *batch = b.v->batches[0];
    uint32_t ids[9];
    /* one double column (fixed path), nulls equal */
    mdl_type td = mdl_type_make(MDL_TYPE_DOUBLE);
    sql_keytab *kt = NULL;
    assert_int_equal(mdl_sql__keytab_new(&ctx, &td, 1, true, &kt, NULL), MDL_OK);
    const mdl_column *c0[1] = {&batch->columns[0]};
    assert_int_equal(mdl_sql__keytab_insert(kt, c0, 9, ids, NULL), MDL_OK);
    uint32_t want0[9] = {0, 0, 1, 1, 2, 3, 3, 2, 2};
    assert_memory_equal(ids, want0, sizeof ids);
    mdl_sql__keytab_free(kt);
    /* all three columns (byte path), nulls not equal */
    mdl_type t3[3] = {td, mdl_type_make(MDL_TYPE_STRING), mdl_type_make(MDL_TYPE_INT32)};
    assert_int_equal(mdl_sql__keytab_new(&ctx, t3, 3, false, &kt, NULL), MDL_OK);
    const mdl_column *c3[3] = {&batch->columns[0], &batch->columns[1], &batch->columns[2]};
    assert_int_equal(mdl_sql__keytab_insert(kt, c3, 9, ids, NULL), MDL_OK);
    uint32_t N = SQL_KEY_NONE;
    uint32_t want3[9] = {0, 0, N, N, N, N, N, 1, N};
    assert_memory_equal(ids, want3, sizeof ids);
    assert_int_equal(mdl_sql__keytab_find(kt, c3, 9, ids, NULL), MDL_OK);
    assert_memory_equal(ids, want3, sizeof ids);
    mdl_sql__keytab_free(kt);
    vec_free(b.v);
}

static void test_sql_keys__many_keys(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    /* 100k distinct strings and ints, inserted twice: the second pass finds the same ids. */
    builder b;
    b_init(&b, &ctx, "s string, i int64", 100000);
    char buf[32];
    for (int i = 0; i < 100000; i++) {
        b_row(&b);
        snprintf(buf, sizeof buf, "key-%d", (i * 7919) % 100000);
        b_val(&b, 0, buf);
        snprintf(buf, sizeof buf, "%d", (i * 7919) % 100000);
        b_val(&b, 1, buf);
    }
    mdl_batch *batch = b.v->batches[0];
    uint32_t *ids = malloc(100000 * 4), *ids2 = malloc(100000 * 4);
    for (int k = 0; k < 2; k++) {
        mdl_type t = batch->columns[k].type;
        sql_keytab *kt = NULL;
        assert_int_equal(mdl_sql__keytab_new(&ctx, &t, 1, true, &kt, NULL), MDL_OK);
        const mdl_column *c[1] = {&batch->columns[k]};
        assert_int_equal(mdl_sql__keytab_insert(kt, c, 100000, ids, NULL), MDL_OK);
        assert_int_equal(mdl_sql__keytab_count(kt), 100000);
        for (uint32_t i = 0; i < 100000; i++)
            assert_int_equal(ids[i], i);
        assert_int_equal(mdl_sql__keytab_find(kt, c, 100000, ids2, NULL), MDL_OK);
        assert_memory_equal(ids, ids2, 100000 * 4);
        mdl_sql__keytab_free(kt);
    }
    free(ids);
    free(ids2);
    vec_free(b.v);
}

/* ---- aggregate ------------------------------------------------------------------------------ */

static void test_sql_op_aggregate__global_empty_input(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    builder b;
    b_init(&b, &ctx, "v int64, s string", 8);
    sql_agg_spec aggs[] = {{SQL_HAGG_COUNT_STAR, 0, "n"},
                           {SQL_HAGG_COUNT, 0, "c"},
                           {SQL_HAGG_SUM, 0, "s"},
                           {SQL_HAGG_AVG, 0, "a"},
                           {SQL_HAGG_MIN, 1, "mi"},
                           {SQL_HAGG_MAX, 0, "ma"},
                           {SQL_HAGG_COUNT_DISTINCT, 1, "d"},
                           {SQL_HAGG_ANY_VALUE, 1, "any"}};
    mdl_batch_stream *agg = NULL;
    assert_int_equal(
        mdl_sql__op_hash_aggregate(&ctx, b_stream(&b, NULL), NULL, 0, aggs, 8, 0, &agg, NULL),
        MDL_OK);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, SIZE_MAX);
    assert_int_equal(drain(agg, &out, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&out, NULL), MDL_OK);
    assert_string_equal(out.data, "0|0|\\N|\\N|\\N|\\N|0|\\N\n");
    char types[256];
    mdl_buf sb;
    mdl_buf_init(&sb, &ctx, SIZE_MAX);
    assert_int_equal(mdl_schema_format(agg->schema, &sb, NULL), MDL_OK);
    snprintf(types, sizeof types, "%.*s", (int)sb.len, sb.data);
    assert_string_equal(types, "n int64 not null, c int64 not null, s decimal(38,0), a double, "
                               "mi string, ma int64, d int64 not null, any string");
    mdl_buf_reset(&sb);
    mdl_buf_reset(&out);
    mdl_batch_stream_release(agg);
}

/* 100k rows, 40k groups plus a NULL group, NULL values: every aggregate checked per group,
 * and the groups in first-seen order. */
static void test_sql_op_aggregate__many_groups_nulls(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    enum { N = 100000, G = 40000 };
    builder b;
    b_init(&b, &ctx, "k int64, v int32, w double", 4096);
    int64_t *cnt = calloc(G + 1, 8), *cntv = calloc(G + 1, 8), *sum = calloc(G + 1, 8);
    int32_t *mn = calloc(G + 1, 4), *mx = calloc(G + 1, 4);
    double *wsum = calloc(G + 1, 8);
    int64_t *order = malloc((G + 1) * 8);
    size_t norder = 0;
    char buf[32];
    for (int i = 0; i < N; i++) {
        bool knull = i % 97 == 5;
        int k = knull ? G : (int)(((int64_t)i * 7919) % G);
        bool vnull = i % 13 == 3;
        int v = i % 1000 - 500;
        b_row(&b);
        snprintf(buf, sizeof buf, "%d", k);
        b_val(&b, 0, knull ? "\\N" : buf);
        snprintf(buf, sizeof buf, "%d", v);
        b_val(&b, 1, vnull ? "\\N" : buf);
        snprintf(buf, sizeof buf, "%d.25", v + 500);
        b_val(&b, 2, buf);
        if (cnt[k] == 0)
            order[norder++] = k;
        cnt[k]++;
        wsum[k] += v + 500.25;
        if (!vnull) {
            if (cntv[k] == 0 || v < mn[k])
                mn[k] = v;
            if (cntv[k] == 0 || v > mx[k])
                mx[k] = v;
            cntv[k]++;
            sum[k] += v;
        }
    }
    size_t keys[] = {0};
    sql_agg_spec aggs[] = {{SQL_HAGG_COUNT_STAR, 0, "n"}, {SQL_HAGG_COUNT, 1, "c"},
                           {SQL_HAGG_SUM, 1, "s"},        {SQL_HAGG_AVG, 1, "a"},
                           {SQL_HAGG_MIN, 1, "mi"},       {SQL_HAGG_MAX, 1, "ma"},
                           {SQL_HAGG_SUM, 2, "ws"}};
    mdl_batch_stream *agg = NULL;
    assert_int_equal(
        mdl_sql__op_hash_aggregate(&ctx, b_stream(&b, NULL), keys, 1, aggs, 7, 0, &agg, NULL),
        MDL_OK);
    size_t seen = 0;
    for (;;) {
        mdl_batch *o = NULL;
        assert_int_equal(mdl_batch_stream_next(agg, &o, NULL), MDL_OK);
        if (o == NULL)
            break;
        assert_int_equal(mdl_batch_validate(o, NULL), MDL_OK);
        for (size_t r = 0; r < o->num_rows; r++, seen++) {
            int k =
                mdl_column_is_null(&o->columns[0], r) ? G : (int)mdl_column_i64(&o->columns[0], r);
            assert_int_equal(k, order[seen]);
            assert_int_equal(mdl_column_i64(&o->columns[1], r), cnt[k]);
            assert_int_equal(mdl_column_i64(&o->columns[2], r), cntv[k]);
            if (cntv[k] == 0) {
                for (size_t c = 3; c <= 6; c++)
                    assert_true(mdl_column_is_null(&o->columns[c], r));
            } else {
                assert_true(mdl_column_decimal(&o->columns[3], r) == sum[k]);
                double avg = (double)sum[k] / (double)cntv[k];
                assert_true(fabs(mdl_column_f64(&o->columns[4], r) - avg) <= 1e-12 * fabs(avg));
                assert_int_equal(mdl_column_i32(&o->columns[5], r), mn[k]);
                assert_int_equal(mdl_column_i32(&o->columns[6], r), mx[k]);
            }
            assert_true(fabs(mdl_column_f64(&o->columns[7], r) - wsum[k]) <= 1e-9 * fabs(wsum[k]));
        }
        mdl_batch_free(o);
    }
    assert_int_equal(seen, norder);
    assert_int_equal(norder, G + 1);
    mdl_batch_stream_release(agg);
    free(cnt);
    free(cntv);
    free(sum);
    free(mn);
    free(mx);
    free(wsum);
    free(order);
}

static void test_sql_op_aggregate__strings_multikey_distinct(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    builder b;
    b_init(&b, &ctx, "g string, h int32, v int64, s string, d decimal(12,2), e decimal(30,3)", 3);
    const char *rows[] = {
        "x|1|5|pear|1.50|1.001",   "y|1|5|apple|2.25|\\N",   "x|1|5|fig|\\N|2.002",
        "x|\\N|7|kiwi|3.00|3.003", "x|1|\\N|\\N|4.10|4.004", "\\N|\\N|7|zz|5.00|5.005",
        "x|\\N|8|banana|\\N|\\N",  "y|1|6|\\N|0.05|\\N",     "x|1|6|date|-1.00|-9.999",
        "\\N|\\N|\\N|a|\\N|\\N",
    };
    for (size_t i = 0; i < 10; i++)
        b_line(&b, rows[i]);
    size_t keys[] = {0, 1};
    sql_agg_spec aggs[] = {{SQL_HAGG_COUNT_DISTINCT, 2, "cd"},
                           {SQL_HAGG_MIN, 3, "mi"},
                           {SQL_HAGG_MAX, 3, "ma"},
                           {SQL_HAGG_ANY_VALUE, 3, "av"},
                           {SQL_HAGG_SUM, 4, "sd"},
                           {SQL_HAGG_AVG, 4, "ad"},
                           {SQL_HAGG_SUM, 5, "se"},
                           {SQL_HAGG_MAX, 5, "me"}};
    mdl_batch_stream *agg = NULL;
    assert_int_equal(
        mdl_sql__op_hash_aggregate(&ctx, b_stream(&b, NULL), keys, 2, aggs, 8, 0, &agg, NULL),
        MDL_OK);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, SIZE_MAX);
    assert_int_equal(drain(agg, &out, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&out, NULL), MDL_OK);
    /* groups in first-seen order: (x,1) (y,1) (x,NULL) (NULL,NULL); the values (the doubles
     * to the last digit) are DuckDB's for the same rows and GROUP BY */
    assert_string_equal(out.data, "x|1|2|date|pear|pear|4.60|1.5333333333333334|-2.992|4.004\n"
                                  "y|1|2|apple|apple|apple|2.30|1.1499999999999999|\\N|\\N\n"
                                  "x|\\N|2|banana|kiwi|kiwi|3.00|3|3.003|3.003\n"
                                  "\\N|\\N|1|a|zz|zz|5.00|5|5.005|5.005\n");
    mdl_buf_reset(&out);
    mdl_batch_stream_release(agg);
}

/* MIN/MAX/ANY_VALUE of strings replaced on almost every row (the string arena is compacted),
 * and COUNT(DISTINCT) with many values per group. */
static void test_sql_op_aggregate__string_churn_and_distinct_counts(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    enum { N = 60000, G = 7 };
    builder b;
    b_init(&b, &ctx, "g int32, s string, v int64", 5000);
    char buf[64], mn[G][64], mx[G][64], first[G][64];
    int64_t rows[G] = {0};
    bool *seen = calloc((size_t)G * 5000, 1);
    int64_t distinct[G] = {0};
    for (int i = 0; i < N; i++) {
        int g = i % G;
        /* descending for MIN, and a long prefix so the arena grows quickly */
        snprintf(buf, sizeof buf, "value-with-a-long-prefix-%08d", N - i);
        int v = (i * 31) % 5000;
        b_row(&b);
        char gb[16], vb[16];
        snprintf(gb, sizeof gb, "%d", g);
        snprintf(vb, sizeof vb, "%d", v);
        b_val(&b, 0, gb);
        b_val(&b, 1, buf);
        b_val(&b, 2, vb);
        if (rows[g] == 0) {
            strcpy(first[g], buf);
            strcpy(mx[g], buf);
        }
        strcpy(mn[g], buf);
        rows[g]++;
        if (!seen[g * 5000 + v]) {
            seen[g * 5000 + v] = true;
            distinct[g]++;
        }
    }
    size_t keys[] = {0};
    sql_agg_spec aggs[] = {{SQL_HAGG_MIN, 1, "mi"},
                           {SQL_HAGG_MAX, 1, "ma"},
                           {SQL_HAGG_ANY_VALUE, 1, "av"},
                           {SQL_HAGG_COUNT_DISTINCT, 2, "cd"}};
    mdl_batch_stream *agg = NULL;
    assert_int_equal(
        mdl_sql__op_hash_aggregate(&ctx, b_stream(&b, NULL), keys, 1, aggs, 4, 0, &agg, NULL),
        MDL_OK);
    mdl_buf got, want;
    mdl_buf_init(&got, &ctx, SIZE_MAX);
    mdl_buf_init(&want, &ctx, SIZE_MAX);
    assert_int_equal(drain(agg, &got, NULL), MDL_OK);
    for (int g = 0; g < G; g++)
        mdl_buf_printf(&want, NULL, "%d|%s|%s|%s|%lld\n", g, mn[g], mx[g], first[g],
                       (long long)distinct[g]);
    assert_int_equal(mdl_buf_terminate(&got, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&want, NULL), MDL_OK);
    assert_string_equal(got.data, want.data);
    mdl_buf_reset(&got);
    mdl_buf_reset(&want);
    mdl_batch_stream_release(agg);
    free(seen);
}

static void test_sql_op_aggregate__sum_types_and_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_type t;
    assert_int_equal(
        mdl_sql__agg_result_type(SQL_HAGG_SUM, mdl_type_make(MDL_TYPE_INT32), &t, NULL), MDL_OK);
    assert_true(mdl_type_equal(t, mdl_type_decimal(38, 0)));
    assert_int_equal(mdl_sql__agg_result_type(SQL_HAGG_SUM, mdl_type_decimal(12, 2), &t, NULL),
                     MDL_OK);
    assert_true(mdl_type_equal(t, mdl_type_decimal(38, 2)));
    assert_int_equal(mdl_sql__agg_result_type(SQL_HAGG_AVG, mdl_type_decimal(12, 2), &t, NULL),
                     MDL_OK);
    assert_int_equal(t.id, MDL_TYPE_DOUBLE);
    mdl_error err;
    assert_int_equal(
        mdl_sql__agg_result_type(SQL_HAGG_SUM, mdl_type_make(MDL_TYPE_STRING), &t, &err),
        MDL_ERR_SCHEMA);
    /* int64 sums past 2^63 stay exact (DuckDB: HUGEINT 18446744073709551617; AVG the same
     * double as DuckDB's) */
    builder b;
    b_init(&b, &ctx, "v int64", 2);
    b_line(&b, "9223372036854775807");
    b_line(&b, "9223372036854775807");
    b_line(&b, "3");
    sql_agg_spec aggs[] = {{SQL_HAGG_SUM, 0, "s"}, {SQL_HAGG_AVG, 0, "a"}};
    mdl_batch_stream *agg = NULL;
    assert_int_equal(
        mdl_sql__op_hash_aggregate(&ctx, b_stream(&b, NULL), NULL, 0, aggs, 2, 0, &agg, NULL),
        MDL_OK);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, SIZE_MAX);
    assert_int_equal(drain(agg, &out, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&out, NULL), MDL_OK);
    assert_string_equal(out.data, "18446744073709551617|6.1489146912365169e+18\n");
    mdl_buf_reset(&out);
    mdl_batch_stream_release(agg);
    /* a bad aggregate releases the child */
    b_init(&b, &ctx, "v string", 2);
    sql_agg_spec bad[] = {{SQL_HAGG_AVG, 0, NULL}};
    assert_int_equal(
        mdl_sql__op_hash_aggregate(&ctx, b_stream(&b, NULL), NULL, 0, bad, 1, 0, &agg, &err),
        MDL_ERR_SCHEMA);
    assert_null(agg);
}

static void test_sql_op_aggregate__budget(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    builder b;
    b_init(&b, &ctx, "k int64", 10000);
    char buf[32];
    for (int i = 0; i < 100000; i++) {
        b_row(&b);
        snprintf(buf, sizeof buf, "%d", i);
        b_val(&b, 0, buf);
    }
    size_t keys[] = {0};
    sql_agg_spec aggs[] = {{SQL_HAGG_COUNT_STAR, 0, "n"}};
    mdl_batch_stream *agg = NULL;
    assert_int_equal(mdl_sql__op_hash_aggregate(&ctx, b_stream(&b, NULL), keys, 1, aggs, 1,
                                                (size_t)1 << 20, &agg, NULL),
                     MDL_OK);
    mdl_batch *o = NULL;
    mdl_error err;
    assert_int_equal(mdl_batch_stream_next(agg, &o, &err), MDL_ERR_LIMIT);
    assert_null(o);
    assert_non_null(strstr(err.message, "GROUP BY holds "));
    assert_non_null(strstr(err.message, "over the memory budget of 1.0 MiB; raise --memory"));
    mdl_batch_stream_release(agg);
}

/* ---- join ------------------------------------------------------------------------------------ */

enum { NL = 300, NR = 200 };

typedef struct join_data {
    int lk[NL], la[NL];
    bool lknull[NL];
    int rk[NR], rx[NR];
    bool rknull[NR];
} join_data;

static void join_data_make(join_data *d)
{
    unsigned seed = 12345;
    for (int i = 0; i < NL; i++) {
        seed = seed * 1103515245u + 12345u;
        d->lk[i] = (int)((seed >> 16) % 25);
        d->lknull[i] = (seed >> 8) % 11 == 0;
        d->la[i] = i;
    }
    for (int i = 0; i < NR; i++) {
        seed = seed * 1103515245u + 12345u;
        d->rk[i] = (int)((seed >> 16) % 30) + 5; /* 5..34: some left keys have no match */
        d->rknull[i] = (seed >> 8) % 9 == 0;
        d->rx[i] = (int)((seed >> 4) % 10);
    }
}

static mdl_batch_stream *join_left(mdl_ctx *ctx, const join_data *d, size_t chunk)
{
    builder b;
    b_init(&b, ctx, "k int64, a string", chunk);
    char buf[64];
    for (int i = 0; i < NL; i++) {
        b_row(&b);
        snprintf(buf, sizeof buf, "%d", d->lk[i]);
        b_val(&b, 0, d->lknull[i] ? "\\N" : buf);
        snprintf(buf, sizeof buf, "a%d", d->la[i]);
        b_val(&b, 1, buf);
    }
    return b_stream(&b, NULL);
}

static mdl_batch_stream *join_right(mdl_ctx *ctx, const join_data *d, size_t chunk)
{
    builder b;
    b_init(&b, ctx, "k int64, x int32 not null", chunk);
    char buf[64];
    for (int i = 0; i < NR; i++) {
        b_row(&b);
        snprintf(buf, sizeof buf, "%d", d->rk[i]);
        b_val(&b, 0, d->rknull[i] ? "\\N" : buf);
        snprintf(buf, sizeof buf, "%d", d->rx[i]);
        b_val(&b, 1, buf);
    }
    return b_stream(&b, NULL);
}

/* residual: right x > 5 (column 3 of left ++ right) */
static int residual_x_gt5(void *user, const mdl_batch *joined, uint8_t *keep, mdl_error *err)
{
    (void)err;
    size_t *calls = user;
    (*calls)++;
    assert_int_equal(joined->schema->num_fields, 4);
    const mdl_column *x = &joined->columns[3];
    for (size_t r = 0; r < joined->num_rows; r++)
        keep[r] = !mdl_column_is_null(x, r) && mdl_column_i32(x, r) > 5;
    return MDL_OK;
}

static void fmt_left(mdl_buf *w, const join_data *d, int i)
{
    if (d->lknull[i])
        mdl_buf_printf(w, NULL, "\\N|a%d", d->la[i]);
    else
        mdl_buf_printf(w, NULL, "%d|a%d", d->lk[i], d->la[i]);
}

static void fmt_right(mdl_buf *w, const join_data *d, int j)
{
    if (d->rknull[j])
        mdl_buf_printf(w, NULL, "\\N|%d", d->rx[j]);
    else
        mdl_buf_printf(w, NULL, "%d|%d", d->rk[j], d->rx[j]);
}

/* The expected rows by nested loops. */
static void join_expect(const join_data *d, sql_hjoin_type t, bool residual, mdl_buf *w)
{
    bool rmatched[NR] = {0};
    for (int i = 0; i < NL; i++) {
        bool matched = false;
        for (int j = 0; j < NR; j++) {
            bool eq =
                t == SQL_HJOIN_CROSS || (!d->lknull[i] && !d->rknull[j] && d->lk[i] == d->rk[j]);
            if (!eq || (residual && !(d->rx[j] > 5)))
                continue;
            matched = true;
            rmatched[j] = true;
            if (t != SQL_HJOIN_SEMI && t != SQL_HJOIN_ANTI) {
                fmt_left(w, d, i);
                mdl_buf_append(w, "|", 1, NULL);
                fmt_right(w, d, j);
                mdl_buf_append(w, "\n", 1, NULL);
            }
        }
        if ((t == SQL_HJOIN_SEMI && matched) || (t == SQL_HJOIN_ANTI && !matched)) {
            fmt_left(w, d, i);
            mdl_buf_append(w, "\n", 1, NULL);
        }
        if ((t == SQL_HJOIN_LEFT || t == SQL_HJOIN_FULL) && !matched) {
            fmt_left(w, d, i);
            mdl_buf_append_str(w, "|\\N|\\N\n", NULL);
        }
    }
    if (t == SQL_HJOIN_RIGHT || t == SQL_HJOIN_FULL)
        for (int j = 0; j < NR; j++)
            if (!rmatched[j]) {
                mdl_buf_append_str(w, "\\N|\\N|", NULL);
                fmt_right(w, d, j);
                mdl_buf_append(w, "\n", 1, NULL);
            }
}

static void test_sql_op_join__all_types(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    ctx.limits.batch_rows = 37; /* small output batches: pair generation resumes mid-key */
    join_data d;
    join_data_make(&d);
    size_t lk[] = {0}, rk[] = {0};
    for (int t = SQL_HJOIN_INNER; t <= SQL_HJOIN_ANTI; t++)
        for (int residual = 0; residual < 2; residual++)
            for (int build_left = 0; build_left < 2; build_left++) {
                size_t calls = 0;
                sql_join_spec spec;
                memset(&spec, 0, sizeof spec);
                spec.type = (sql_hjoin_type)t;
                spec.left_keys = lk;
                spec.right_keys = rk;
                spec.num_keys = t == SQL_HJOIN_CROSS ? 0 : 1;
                spec.residual = residual ? residual_x_gt5 : NULL;
                spec.residual_user = &calls;
                spec.left_rows_hint = build_left ? 10 : 0;
                spec.right_rows_hint = build_left ? 1000 : 0;
                mdl_batch_stream *j = NULL;
                assert_int_equal(mdl_sql__op_hash_join(&ctx, join_left(&ctx, &d, 64),
                                                       join_right(&ctx, &d, 50), &spec, &j, NULL),
                                 MDL_OK);
                mdl_buf got, want;
                mdl_buf_init(&got, &ctx, SIZE_MAX);
                mdl_buf_init(&want, &ctx, SIZE_MAX);
                assert_int_equal(drain(j, &got, NULL), MDL_OK);
                join_expect(&d, (sql_hjoin_type)t, residual, &want);
                if (got.len == 0 || want.len == 0)
                    print_message("join type %d residual %d build_left %d: %zu/%zu bytes\n", t,
                                  residual, build_left, got.len, want.len);
                assert_same_rows(&got, &want);
                assert_true(residual == 0 || calls > 0);
                bool semi = t == SQL_HJOIN_SEMI || t == SQL_HJOIN_ANTI;
                assert_int_equal(j->schema->num_fields, semi ? 2 : 4);
                if (!semi) {
                    assert_string_equal(j->schema->fields[2].name, "k_1");
                    assert_int_equal(j->schema->fields[3].nullable,
                                     t == SQL_HJOIN_LEFT || t == SQL_HJOIN_FULL);
                }
                mdl_buf_reset(&got);
                mdl_buf_reset(&want);
                mdl_batch_stream_release(j);
            }
}

static int residual_fails(void *user, const mdl_batch *joined, uint8_t *keep, mdl_error *err)
{
    (void)user;
    (void)joined;
    (void)keep;
    return mdl_error_set(err, MDL_ERR_RANGE, "line 1 column 9: division overflow");
}

static void test_sql_op_join__residual_error_propagates(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    join_data d;
    join_data_make(&d);
    size_t k[] = {0};
    sql_join_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.type = SQL_HJOIN_LEFT;
    spec.left_keys = spec.right_keys = k;
    spec.num_keys = 1;
    spec.residual = residual_fails;
    mdl_batch_stream *j = NULL;
    assert_int_equal(mdl_sql__op_hash_join(&ctx, join_left(&ctx, &d, 64), join_right(&ctx, &d, 50),
                                           &spec, &j, NULL),
                     MDL_OK);
    mdl_buf got;
    mdl_buf_init(&got, &ctx, SIZE_MAX);
    mdl_error err;
    assert_int_equal(drain(j, &got, &err), MDL_ERR_RANGE);
    assert_string_equal(err.message, "line 1 column 9: division overflow");
    mdl_buf_reset(&got);
    mdl_batch_stream_release(j);
}

static void test_sql_op_join__empty_sides_and_multikey(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    size_t lk[] = {0, 1}, rk[] = {1, 0};
    /* [empty side: none, left, right][join type] */
    static const char *want[3][8] = {
        {
            [SQL_HJOIN_INNER] = "a|1|1|a\n",
            [SQL_HJOIN_LEFT] = "a|1|1|a\na|2|\\N|\\N\nb|\\N|\\N|\\N\n",
            [SQL_HJOIN_RIGHT] = "a|1|1|a\n\\N|\\N|3|c\n\\N|\\N|\\N|b\n",
            [SQL_HJOIN_FULL] = "a|1|1|a\na|2|\\N|\\N\nb|\\N|\\N|\\N\n\\N|\\N|3|c\n\\N|\\N|\\N|b\n",
            [SQL_HJOIN_SEMI] = "a|1\n",
            [SQL_HJOIN_ANTI] = "a|2\nb|\\N\n",
        },
        {
            [SQL_HJOIN_INNER] = "",
            [SQL_HJOIN_LEFT] = "",
            [SQL_HJOIN_RIGHT] = "\\N|\\N|1|a\n\\N|\\N|3|c\n\\N|\\N|\\N|b\n",
            [SQL_HJOIN_FULL] = "\\N|\\N|1|a\n\\N|\\N|3|c\n\\N|\\N|\\N|b\n",
            [SQL_HJOIN_SEMI] = "",
            [SQL_HJOIN_ANTI] = "",
        },
        {
            [SQL_HJOIN_INNER] = "",
            [SQL_HJOIN_LEFT] = "a|1|\\N|\\N\na|2|\\N|\\N\nb|\\N|\\N|\\N\n",
            [SQL_HJOIN_RIGHT] = "",
            [SQL_HJOIN_FULL] = "a|1|\\N|\\N\na|2|\\N|\\N\nb|\\N|\\N|\\N\n",
            [SQL_HJOIN_SEMI] = "",
            [SQL_HJOIN_ANTI] = "a|1\na|2\nb|\\N\n",
        },
    };
    for (int t = SQL_HJOIN_INNER; t <= SQL_HJOIN_ANTI; t++) {
        if (t == SQL_HJOIN_CROSS)
            continue;
        for (int empty = 0; empty < 3; empty++) {
            builder l, r;
            b_init(&l, &ctx, "s string, i int32", 2);
            b_init(&r, &ctx, "i int32, s string", 2);
            if (empty != 1) {
                b_line(&l, "a|1");
                b_line(&l, "a|2");
                b_line(&l, "b|\\N");
            }
            if (empty != 2) {
                b_line(&r, "1|a");
                b_line(&r, "3|c");
                b_line(&r, "\\N|b");
            }
            sql_join_spec spec;
            memset(&spec, 0, sizeof spec);
            spec.type = (sql_hjoin_type)t;
            spec.left_keys = lk;
            spec.right_keys = rk;
            spec.num_keys = 2;
            mdl_batch_stream *j = NULL;
            assert_int_equal(mdl_sql__op_hash_join(&ctx, b_stream(&l, NULL), b_stream(&r, NULL),
                                                   &spec, &j, NULL),
                             MDL_OK);
            mdl_buf got, w;
            mdl_buf_init(&got, &ctx, SIZE_MAX);
            mdl_buf_init(&w, &ctx, SIZE_MAX);
            assert_int_equal(drain(j, &got, NULL), MDL_OK);
            mdl_buf_append_str(&w, want[empty][t], NULL);
            assert_same_rows(&got, &w);
            mdl_buf_reset(&got);
            mdl_buf_reset(&w);
            mdl_batch_stream_release(j);
        }
    }
}

static void test_sql_op_join__null_aware_anti(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *rights[][3] = {{"2", "4", NULL}, {"2", "\\N", NULL}, {NULL}};
    const char *want[] = {"1\n3\n", "", "1\n3\n\\N\n2\n"};
    size_t k[] = {0};
    for (int c = 0; c < 3; c++) {
        for (int aware = 0; aware < 2; aware++) {
            builder l, r;
            b_init(&l, &ctx, "x int64", 2);
            b_init(&r, &ctx, "y int64", 2);
            b_line(&l, "1");
            b_line(&l, "3");
            b_line(&l, "\\N");
            b_line(&l, "2");
            for (int i = 0; rights[c][i]; i++)
                b_line(&r, rights[c][i]);
            sql_join_spec spec;
            memset(&spec, 0, sizeof spec);
            spec.type = SQL_HJOIN_ANTI;
            spec.left_keys = spec.right_keys = k;
            spec.num_keys = 1;
            spec.null_aware = aware;
            mdl_batch_stream *j = NULL;
            assert_int_equal(mdl_sql__op_hash_join(&ctx, b_stream(&l, NULL), b_stream(&r, NULL),
                                                   &spec, &j, NULL),
                             MDL_OK);
            mdl_buf got, w;
            mdl_buf_init(&got, &ctx, SIZE_MAX);
            mdl_buf_init(&w, &ctx, SIZE_MAX);
            assert_int_equal(drain(j, &got, NULL), MDL_OK);
            /* NOT EXISTS (not null-aware) keeps the NULL row and, without the NULL, row 1, 3 */
            if (aware)
                mdl_buf_append_str(&w, want[c], NULL);
            else
                mdl_buf_append_str(&w, c == 2 ? "1\n3\n\\N\n2\n" : "1\n3\n\\N\n", NULL);
            assert_same_rows(&got, &w);
            mdl_buf_reset(&got);
            mdl_buf_reset(&w);
            mdl_batch_stream_release(j);
        }
    }
}

static void test_sql_op_join__budget_and_bad_specs(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    builder l, r;
    b_init(&l, &ctx, "k int64", 1000);
    b_init(&r, &ctx, "k int64, s string", 1000);
    char buf[32];
    for (int i = 0; i < 50000; i++) {
        b_row(&r);
        snprintf(buf, sizeof buf, "%d", i);
        b_val(&r, 0, buf);
        b_val(&r, 1, "some text to make the rows wider");
    }
    b_line(&l, "1");
    size_t k[] = {0};
    sql_join_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.type = SQL_HJOIN_INNER;
    spec.left_keys = spec.right_keys = k;
    spec.num_keys = 1;
    spec.budget_bytes = (size_t)512 << 10;
    mdl_batch_stream *j = NULL;
    assert_int_equal(
        mdl_sql__op_hash_join(&ctx, b_stream(&l, NULL), b_stream(&r, NULL), &spec, &j, NULL),
        MDL_OK);
    mdl_batch *o = NULL;
    mdl_error err;
    assert_int_equal(mdl_batch_stream_next(j, &o, &err), MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "hash join build side holds "));
    assert_non_null(strstr(err.message, "over the memory budget of 512.0 KiB"));
    mdl_batch_stream_release(j);
    /* key types must match; the streams are released on failure */
    b_init(&l, &ctx, "k int32", 4);
    b_init(&r, &ctx, "k int64", 4);
    spec.budget_bytes = 0;
    assert_int_equal(
        mdl_sql__op_hash_join(&ctx, b_stream(&l, NULL), b_stream(&r, NULL), &spec, &j, &err),
        MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "differ in type"));
    b_init(&l, &ctx, "k int64", 4);
    b_init(&r, &ctx, "k int64", 4);
    spec.type = SQL_HJOIN_LEFT;
    spec.null_aware = true;
    assert_int_equal(
        mdl_sql__op_hash_join(&ctx, b_stream(&l, NULL), b_stream(&r, NULL), &spec, &j, &err),
        MDL_ERR_UNSUPPORTED);
}

/* Runs one operator over fresh inputs with the allocator failing at request k, for every k
 * until it succeeds: every failure is MDL_ERR_NOMEM (never a crash), and nothing leaks. */
static int oom_run(int which, mdl_ctx *ctx, mdl_ctx *cctx, mdl_error *err)
{
    join_data d;
    join_data_make(&d);
    mdl_batch_stream *l = join_left(ctx, &d, 64), *r = join_right(ctx, &d, 50), *op = NULL;
    int rc;
    size_t k0[] = {0}, calls = 0;
    if (which == 0) {
        mdl_batch_stream_release(r);
        sql_agg_spec aggs[] = {
            {SQL_HAGG_MIN, 1, "mi"}, {SQL_HAGG_COUNT_DISTINCT, 1, "cd"}, {SQL_HAGG_SUM, 0, "s"}};
        rc = mdl_sql__op_hash_aggregate(cctx, l, k0, 1, aggs, 3, 0, &op, err);
    } else if (which == 1) {
        sql_join_spec spec;
        memset(&spec, 0, sizeof spec);
        spec.type = SQL_HJOIN_FULL;
        spec.left_keys = spec.right_keys = k0;
        spec.num_keys = 1;
        spec.residual = residual_x_gt5;
        spec.residual_user = &calls;
        rc = mdl_sql__op_hash_join(cctx, l, r, &spec, &op, err);
    } else {
        mdl_batch_stream *kids[2] = {l, NULL}, *u = NULL;
        builder b;
        b_init(&b, ctx, "k int64, a string", 8);
        b_line(&b, "1|a1");
        kids[1] = b_stream(&b, NULL);
        mdl_batch_stream_release(r);
        rc = mdl_sql__op_union_all(cctx, kids, 2, &u, err);
        if (rc == MDL_OK)
            rc = mdl_sql__op_distinct(cctx, u, 0, &op, err);
    }
    if (rc == MDL_OK) {
        mdl_buf out;
        mdl_buf_init(&out, ctx, SIZE_MAX);
        rc = drain(op, &out, err);
        mdl_buf_reset(&out);
    }
    mdl_batch_stream_release(op);
    return rc;
}

static void test_sql_op_hash__out_of_memory_everywhere(void **state)
{
    (void)state;
    mdl_ctx ctx, cctx;
    mdl_test_ctx(&ctx);
    mdl_test_alloc a;
    for (int which = 0; which < 3; which++) {
        for (long k = 0;; k++) {
            mdl_test_counting_ctx(&cctx, &a);
            cctx.limits.batch_rows = 29;
            a.fail_after = k;
            mdl_error err;
            int rc = oom_run(which, &ctx, &cctx, &err);
            assert_int_equal(a.live, 0);
            if (rc == MDL_OK)
                break;
            assert_int_equal(rc, MDL_ERR_NOMEM);
            assert_true(k < 5000);
        }
    }
}

/* ---- limit, union all, distinct -------------------------------------------------------- */

static void test_sql_op_misc__limit_offset(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    struct {
        uint64_t limit, offset;
        int first, count;
        size_t max_pulls;
    } cases[] = {{5, 0, 0, 5, 1},     {5, 8, 8, 5, 2},
                 {0, 0, 0, 0, 0},     {SQL_NO_LIMIT, 95, 95, 5, 11},
                 {10, 200, 0, 0, 11}, {30, 10, 10, 30, 4}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        builder b;
        b_init(&b, &ctx, "i int64, s string", 10);
        char buf[32];
        for (int i = 0; i < 100; i++) {
            b_row(&b);
            snprintf(buf, sizeof buf, "%d", i);
            b_val(&b, 0, buf);
            b_val(&b, 1, i % 3 ? buf : "\\N");
        }
        size_t pulls = 0;
        mdl_batch_stream *s = NULL;
        assert_int_equal(mdl_sql__op_limit(&ctx, b_stream(&b, &pulls), cases[c].limit,
                                           cases[c].offset, &s, NULL),
                         MDL_OK);
        mdl_buf got, w;
        mdl_buf_init(&got, &ctx, SIZE_MAX);
        mdl_buf_init(&w, &ctx, SIZE_MAX);
        assert_int_equal(drain(s, &got, NULL), MDL_OK);
        for (int i = cases[c].first; i < cases[c].first + cases[c].count; i++)
            if (i % 3)
                mdl_buf_printf(&w, NULL, "%d|%d\n", i, i);
            else
                mdl_buf_printf(&w, NULL, "%d|\\N\n", i);
        assert_int_equal(mdl_buf_terminate(&got, NULL), MDL_OK);
        assert_int_equal(mdl_buf_terminate(&w, NULL), MDL_OK);
        assert_string_equal(got.data, w.data);
        assert_true(pulls <= cases[c].max_pulls);
        mdl_buf_reset(&got);
        mdl_buf_reset(&w);
        mdl_batch_stream_release(s);
    }
}

static void test_sql_op_misc__union_all_and_distinct(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    builder a, b, c;
    b_init(&a, &ctx, "k int32 not null, s string", 2);
    b_init(&b, &ctx, "x int32, y string", 3);
    b_init(&c, &ctx, "k int32, s string", 3);
    b_line(&a, "1|a");
    b_line(&a, "2|\\N");
    b_line(&a, "1|a");
    b_line(&b, "\\N|\\N");
    b_line(&b, "2|\\N");
    b_line(&b, "\\N|\\N");
    b_line(&b, "3|c");
    mdl_batch_stream *kids[3] = {b_stream(&a, NULL), b_stream(&c, NULL), b_stream(&b, NULL)};
    mdl_batch_stream *u = NULL, *d = NULL;
    assert_int_equal(mdl_sql__op_union_all(&ctx, kids, 3, &u, NULL), MDL_OK);
    assert_true(u->schema->fields[0].nullable);
    assert_string_equal(u->schema->fields[0].name, "k");
    assert_int_equal(mdl_sql__op_distinct(&ctx, u, 0, &d, NULL), MDL_OK);
    mdl_buf got;
    mdl_buf_init(&got, &ctx, SIZE_MAX);
    assert_int_equal(drain(d, &got, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&got, NULL), MDL_OK);
    assert_string_equal(got.data, "1|a\n2|\\N\n\\N|\\N\n3|c\n");
    mdl_buf_reset(&got);
    mdl_batch_stream_release(d);
    /* mismatched types */
    b_init(&a, &ctx, "k int32", 2);
    b_init(&b, &ctx, "k int64", 2);
    mdl_batch_stream *bad[2] = {b_stream(&a, NULL), b_stream(&b, NULL)};
    mdl_error err;
    assert_int_equal(mdl_sql__op_union_all(&ctx, bad, 2, &u, &err), MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "int32 in the first input and int64 in input 2"));
}

static void test_sql_op_misc__distinct_many_rows(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    builder b;
    b_init(&b, &ctx, "i int64, d date", 8192);
    char buf[32];
    for (int i = 0; i < 100000; i++) {
        b_row(&b);
        snprintf(buf, sizeof buf, "%d", i % 30011);
        b_val(&b, 0, buf);
        b_val(&b, 1, i % 2 ? "2024-01-01" : "2024-01-02");
    }
    mdl_batch_stream *d = NULL;
    assert_int_equal(mdl_sql__op_distinct(&ctx, b_stream(&b, NULL), 0, &d, NULL), MDL_OK);
    size_t rows = 0;
    for (;;) {
        mdl_batch *o = NULL;
        assert_int_equal(mdl_batch_stream_next(d, &o, NULL), MDL_OK);
        if (o == NULL)
            break;
        rows += o->num_rows;
        mdl_batch_free(o);
    }
    /* (i mod 30011, parity of i): 30011 is odd, so each residue comes with both parities */
    assert_int_equal(rows, 60022);
    mdl_batch_stream_release(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_keys__ids_nulls_doubles_strings),
        cmocka_unit_test(test_sql_keys__many_keys),
        cmocka_unit_test(test_sql_op_aggregate__global_empty_input),
        cmocka_unit_test(test_sql_op_aggregate__many_groups_nulls),
        cmocka_unit_test(test_sql_op_aggregate__strings_multikey_distinct),
        cmocka_unit_test(test_sql_op_aggregate__string_churn_and_distinct_counts),
        cmocka_unit_test(test_sql_op_aggregate__sum_types_and_errors),
        cmocka_unit_test(test_sql_op_aggregate__budget),
        cmocka_unit_test(test_sql_op_join__all_types),
        cmocka_unit_test(test_sql_op_join__residual_error_propagates),
        cmocka_unit_test(test_sql_op_join__empty_sides_and_multikey),
        cmocka_unit_test(test_sql_op_join__null_aware_anti),
        cmocka_unit_test(test_sql_op_join__budget_and_bad_specs),
        cmocka_unit_test(test_sql_op_hash__out_of_memory_everywhere),
        cmocka_unit_test(test_sql_op_misc__limit_offset),
        cmocka_unit_test(test_sql_op_misc__union_all_and_distinct),
        cmocka_unit_test(test_sql_op_misc__distinct_many_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
