/*
 * test_sql_op_order.c - the order-based operators: the sort order of every type (NULLs, NaN,
 * -0, decimals), sort (multi-key, descending, stable, spilled runs with their files removed,
 * top-N), window functions against DuckDB's answers, top-1 per key against a sort-based
 * reference, and memory-budget errors.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sql/sql_op_order.h"
#include "test_support.h"

/* ---- a stream over batches built from text ------------------------------------------------- */

typedef struct mem_source {
    mdl_ctx *ctx;
    mdl_batch **batches;
    size_t n, pos;
    long fail_at;       /* >= 0: next() fails when asked for that batch */
    mdl_schema *schema; /* the stream's schema lives as long as the source */
} mem_source;

static int mem_next(void *state, mdl_batch **out, mdl_error *err)
{
    mem_source *m = state;
    *out = NULL;
    if (m->fail_at >= 0 && m->pos == (size_t)m->fail_at)
        return mdl_error_set(err, MDL_ERR_IO, "test: the source failed");
    if (m->pos < m->n)
        *out = m->batches[m->pos++];
    return MDL_OK;
}

static void mem_free(void *state)
{
    mem_source *m = state;
    for (size_t i = m->pos; i < m->n; i++)
        mdl_batch_free(m->batches[i]);
    free(m->batches);
    mdl_schema_release(m->schema);
    free(m);
}

static const mdl_batch_source MEM_SOURCE = {mem_next, mem_free};

static void put_value(mdl_ctx *ctx, mdl_column *col, const char *s, size_t len)
{
    if (len == 2 && memcmp(s, "\\N", 2) == 0) {
        assert_int_equal(mdl_column_append_null(ctx, col, NULL), MDL_OK);
        return;
    }
    char tmp[128];
    assert_true(len < sizeof tmp || col->type.id == MDL_TYPE_STRING);
    if (col->type.id != MDL_TYPE_STRING) {
        memcpy(tmp, s, len);
        tmp[len] = 0;
    }
    switch (col->type.id) {
    case MDL_TYPE_BOOLEAN: {
        uint8_t v = strcmp(tmp, "true") == 0;
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_INT32: {
        int32_t v = (int32_t)strtol(tmp, NULL, 10);
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP: {
        int64_t v = strtoll(tmp, NULL, 10);
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_DOUBLE: {
        double v = strtod(tmp, NULL);
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 v;
        assert_int_equal(mdl_decimal_parse(tmp, len, col->type.precision, col->type.scale, &v),
                         MDL_OK);
        if (col->type.precision <= MDL_DECIMAL64_MAX_PRECISION) {
            int64_t v64 = (int64_t)v;
            assert_int_equal(mdl_column_append_value(ctx, col, &v64, NULL), MDL_OK);
        } else {
            assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        }
        break;
    }
    case MDL_TYPE_DATE: {
        int32_t v;
        assert_int_equal(mdl_date_parse(tmp, len, &v), MDL_OK);
        assert_int_equal(mdl_column_append_value(ctx, col, &v, NULL), MDL_OK);
        break;
    }
    case MDL_TYPE_STRING:
        assert_int_equal(mdl_column_append_string(ctx, col, s, len, NULL), MDL_OK);
        break;
    }
}

/* A stream of `rows` ("v|v|...\n" lines, \N = NULL) under `schema_text`, `per` rows a batch. */
static mdl_batch_stream *text_stream(mdl_ctx *ctx, const char *schema_text, const char *rows,
                                     size_t per, long fail_at)
{
    mdl_schema *schema = NULL;
    assert_int_equal(mdl_schema_parse(ctx, schema_text, &schema, NULL), MDL_OK);
    mem_source *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->ctx = ctx;
    m->fail_at = fail_at;
    m->schema = schema; /* the reference from mdl_schema_parse */
    mdl_batch *b = NULL;
    const char *p = rows;
    while (*p) {
        if (b == NULL) {
            assert_int_equal(mdl_batch_new(ctx, schema, per, &b, NULL), MDL_OK);
            m->batches = realloc(m->batches, (m->n + 1) * sizeof *m->batches);
            m->batches[m->n++] = b;
        }
        const char *eol = strchr(p, '\n');
        if (eol == NULL)
            eol = p + strlen(p);
        for (size_t c = 0; c < schema->num_fields; c++) {
            const char *e = p;
            while (e < eol && *e != '|')
                e++;
            put_value(ctx, &b->columns[c], p, (size_t)(e - p));
            p = e < eol ? e + 1 : e;
        }
        b->num_rows++;
        if (b->num_rows == per)
            b = NULL;
        p = *eol ? eol + 1 : eol;
    }
    mdl_batch_stream *s = NULL;
    assert_int_equal(mdl_batch_stream_wrap(ctx, schema, &MEM_SOURCE, m, &s, NULL), MDL_OK);
    return s;
}

/* Pulls everything; returns the dump (caller frees) or NULL with *rc set on an error. */
static char *drain(mdl_batch_stream *s, int *rc_out, mdl_error *err)
{
    mdl_buf out;
    mdl_buf_init(&out, NULL, SIZE_MAX);
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    out.ctx = &ctx;
    int rc = MDL_OK;
    for (;;) {
        mdl_batch *b = NULL;
        rc = mdl_batch_stream_next(s, &b, err);
        if (rc != MDL_OK || b == NULL)
            break;
        assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
        mdl_test_dump_batch(b, &out);
        mdl_batch_free(b);
    }
    assert_int_equal(mdl_buf_terminate(&out, NULL), MDL_OK);
    if (rc_out)
        *rc_out = rc;
    else
        assert_int_equal(rc, MDL_OK);
    char *r = strdup(out.data ? out.data : "");
    mdl_buf_reset(&out);
    return r;
}

static char *sorted_run(mdl_ctx *ctx, const char *schema, const char *rows, size_t per,
                        const mdl_sql_sort_key *keys, size_t nkeys)
{
    mdl_sql_sort_options o = {.keys = keys, .num_keys = nkeys};
    mdl_batch_stream *s = NULL;
    assert_int_equal(mdl_sql__sort_new(ctx, text_stream(ctx, schema, rows, per, -1), &o, &s, NULL),
                     MDL_OK);
    char *r = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    return r;
}

/* ---- compare ------------------------------------------------------------------------------- */

static void test_sql_op_order__doubles_nan_zero_nulls(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *rows = "nan\n\\N\n1\n-inf\ninf\n-0\n0\n-nan\n-1e300\n";
    mdl_sql_sort_key k = {0, false, false};
    char *r = sorted_run(&ctx, "d double", rows, 4, &k, 1);
    assert_string_equal(r, "-inf\n-1.0000000000000001e+300\n-0\n0\n1\ninf\nnan\n-nan\n\\N\n");
    free(r);
    k.desc = true;
    r = sorted_run(&ctx, "d double", rows, 4, &k, 1);
    assert_string_equal(r, "nan\n-nan\ninf\n1\n-0\n0\n-1.0000000000000001e+300\n-inf\n\\N\n");
    free(r);
    k.nulls_first = true;
    r = sorted_run(&ctx, "d double", rows, 100, &k, 1);
    assert_string_equal(r, "\\N\nnan\n-nan\ninf\n1\n-0\n0\n-1.0000000000000001e+300\n-inf\n");
    free(r);
}

/* Every type sorts in the order of its values, NULLs last (DuckDB's default) or first. */
static void test_sql_op_order__all_types(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *schema = "b boolean, i int32, l int64, m decimal(10,2), w decimal(30,3), "
                         "s string, dt date, ts timestamp";
    const char *rows = "true|5|-9000000000|12.50|-100000000000000000000.125|b|2024-03-01|10\n"
                       "\\N|\\N|\\N|\\N|\\N|\\N|\\N|\\N\n"
                       "false|-7|9000000000|-3.25|7.000||1969-12-31|-10\n"
                       "true|0|0|0.01|100000000000000000000.000|\xc3\xa9|2024-02-29|0\n"
                       "false|2147483647|1|-0.01|-1.5|B|0001-01-01|99\n";
    const char *expected[] = {
        "false\nfalse\ntrue\ntrue\n\\N\n",
        "-7\n0\n5\n2147483647\n\\N\n",
        "-9000000000\n0\n1\n9000000000\n\\N\n",
        "-3.25\n-0.01\n0.01\n12.50\n\\N\n",
        "-100000000000000000000.125\n-1.500\n7.000\n100000000000000000000.000\n\\N\n",
        "\nB\nb\n\xc3\xa9\n\\N\n",
        "0001-01-01\n1969-12-31\n2024-02-29\n2024-03-01\n\\N\n",
        NULL,
    };
    for (size_t c = 0; c < 7; c++) {
        mdl_sql_sort_key k = {c, false, false};
        char *r = sorted_run(&ctx, schema, rows, 2, &k, 1);
        /* Check column c of the dump. */
        char col[512] = "";
        for (char *line = r; *line;) {
            char *eol = strchr(line, '\n');
            char *f = line;
            for (size_t j = 0; j < c; j++)
                f = strchr(f, '|') + 1;
            char *fe = strchr(f, '|');
            if (fe == NULL || fe > eol)
                fe = eol;
            strncat(col, f, (size_t)(fe - f));
            strcat(col, "\n");
            line = eol + 1;
        }
        assert_string_equal(col, expected[c]);
        free(r);
    }
    /* Timestamps, descending with NULLs first. */
    mdl_sql_sort_key k = {0, true, true};
    char *r = sorted_run(&ctx, "ts timestamp", "10\n\\N\n-10\n0\n99\n", 2, &k, 1);
    assert_string_equal(r, "\\N\n1970-01-01T00:00:00.000099Z\n1970-01-01T00:00:00.000010Z\n"
                           "1970-01-01T00:00:00Z\n1969-12-31T23:59:59.999990Z\n");
    free(r);
}

static void test_sql_op_order__multi_key_desc_stable(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *rows = "a|1|1\nb|2|2\na|2|3\n\\N|1|4\nb|1|5\na|1|6\na|\\N|7\nb|2|8\n";
    mdl_sql_sort_key k[2] = {{0, true, false}, {1, false, true}};
    char *r = sorted_run(&ctx, "s string, x int32, id int32", rows, 3, k, 2);
    assert_string_equal(r, "b|1|5\nb|2|2\nb|2|8\na|\\N|7\na|1|1\na|1|6\na|2|3\n\\N|1|4\n");
    free(r);
    /* No keys at all: the input order. */
    r = sorted_run(&ctx, "s string, x int32, id int32", rows, 3, k, 0);
    assert_string_equal(r, rows);
    free(r);
}

/* Random rows: "key|id|payload" with many equal keys. */
static char *random_rows(size_t n, unsigned seed, unsigned keys)
{
    mdl_buf b;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf_init(&b, &ctx, SIZE_MAX);
    srand(seed);
    for (size_t i = 0; i < n; i++) {
        int k = rand() % (int)keys;
        if (k == 0)
            assert_int_equal(mdl_buf_printf(&b, NULL, "\\N|%zu|p%d\n", i, rand() % 1000), MDL_OK);
        else
            assert_int_equal(mdl_buf_printf(&b, NULL, "%d|%zu|%.*s\n", k, i, rand() % 40,
                                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
                             MDL_OK);
    }
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    char *r = strdup(b.data);
    mdl_buf_reset(&b);
    return r;
}

static size_t dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void check_stable(const char *dump)
{
    /* Within equal keys, ids ascend. */
    long prev_key = -2, prev_id = -1;
    for (const char *p = dump; *p;) {
        long key = p[0] == '\\' ? -1 : strtol(p, NULL, 10);
        const char *bar = strchr(p, '|');
        long id = strtol(bar + 1, NULL, 10);
        if (key == prev_key)
            assert_true(id > prev_id);
        prev_key = key;
        prev_id = id;
        p = strchr(p, '\n') + 1;
    }
}

static void test_sql_op_order__spill_merge(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    ctx.limits.batch_rows = 500;
    char dir[] = "/tmp/mdl-sort-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *rows = random_rows(20000, 7, 50);
    const char *schema = "k int32, id int64, s string";
    mdl_sql_sort_key k = {0, true, false};
    char *mem = sorted_run(&ctx, schema, rows, 700, &k, 1);
    check_stable(mem);

    mdl_sql_sort_options o = {.keys = &k, .num_keys = 1, .budget_bytes = 64 << 10, .temp_dir = dir};
    mdl_batch_stream *s = NULL;
    assert_int_equal(
        mdl_sql__sort_new(&ctx, text_stream(&ctx, schema, rows, 700, -1), &o, &s, NULL), MDL_OK);
    char *spilled = drain(s, NULL, NULL);
    assert_true(mdl_sql__sort_spilled_runs(s) > 5);
    assert_int_equal(dir_entries(dir), 0); /* unlinked once the merge opened them */
    mdl_batch_stream_release(s);
    assert_string_equal(spilled, mem);
    free(spilled);

    /* Top-N through spilled runs. */
    o.has_limit = true;
    o.limit = 777;
    assert_int_equal(
        mdl_sql__sort_new(&ctx, text_stream(&ctx, schema, rows, 700, -1), &o, &s, NULL), MDL_OK);
    char *top = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    char *cut = mem;
    for (int i = 0; i < 777; i++)
        cut = strchr(cut, '\n') + 1;
    assert_int_equal(strlen(top), (size_t)(cut - mem));
    assert_memory_equal(top, mem, strlen(top));
    free(top);

    /* A failing child after some runs were written: the error comes out, no file stays. */
    o.has_limit = false;
    assert_int_equal(
        mdl_sql__sort_new(&ctx, text_stream(&ctx, schema, rows, 700, 20), &o, &s, NULL), MDL_OK);
    int rc;
    mdl_error err;
    char *partial = drain(s, &rc, &err);
    assert_int_equal(rc, MDL_ERR_IO);
    assert_true(mdl_sql__sort_spilled_runs(s) > 0);
    mdl_batch_stream_release(s);
    assert_int_equal(dir_entries(dir), 0);
    free(partial);

    /* An unusable temp dir is an I/O error naming it. */
    o.temp_dir = "/nonexistent/dir";
    assert_int_equal(
        mdl_sql__sort_new(&ctx, text_stream(&ctx, schema, rows, 700, -1), &o, &s, NULL), MDL_OK);
    partial = drain(s, &rc, &err);
    assert_int_equal(rc, MDL_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/dir"));
    mdl_batch_stream_release(s);
    free(partial);

    free(mem);
    free(rows);
    rmdir(dir);
}

static void test_sql_op_order__top_n(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    ctx.limits.batch_rows = 256;
    char *rows = random_rows(5000, 11, 300);
    const char *schema = "k int32, id int64, s string";
    mdl_sql_sort_key k = {0, false, true};
    char *mem = sorted_run(&ctx, schema, rows, 300, &k, 1);
    size_t limits[] = {0, 1, 5, 100, 4999, 5000, 100000};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
        mdl_sql_sort_options o = {.keys = &k, .num_keys = 1, .has_limit = true, .limit = limits[i]};
        mdl_batch_stream *s = NULL;
        assert_int_equal(
            mdl_sql__sort_new(&ctx, text_stream(&ctx, schema, rows, 300, -1), &o, &s, NULL),
            MDL_OK);
        char *top = drain(s, NULL, NULL);
        assert_int_equal(mdl_sql__sort_spilled_runs(s), 0);
        mdl_batch_stream_release(s);
        size_t lines = 0, len = 0;
        for (const char *p = mem; *p && lines < limits[i]; lines++) {
            const char *e = strchr(p, '\n') + 1;
            len += (size_t)(e - p);
            p = e;
        }
        assert_int_equal(strlen(top), len);
        assert_memory_equal(top, mem, len);
        free(top);
    }
    free(mem);
    free(rows);
}

static void test_sql_op_order__empty_input(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_sql_sort_key k = {0, false, false};
    char *r = sorted_run(&ctx, "x int32", "", 4, &k, 1);
    assert_string_equal(r, "");
    free(r);
    mdl_sql_window_fn f = {.kind = MDL_SQL_WIN_ROW_NUMBER, .name = "rn"};
    mdl_sql_window_options wo = {.order = &k, .num_order = 1, .fns = &f, .num_fns = 1};
    mdl_batch_stream *s = NULL;
    assert_int_equal(
        mdl_sql__window_new(&ctx, text_stream(&ctx, "x int32", "", 4, -1), &wo, &s, NULL), MDL_OK);
    r = drain(s, NULL, NULL);
    assert_string_equal(r, "");
    assert_int_equal(s->schema->num_fields, 2);
    mdl_batch_stream_release(s);
    free(r);
    size_t key = 0;
    mdl_sql_top1_options to = {.keys = &key, .num_keys = 1, .order = &k, .num_order = 1};
    assert_int_equal(
        mdl_sql__top1_new(&ctx, text_stream(&ctx, "x int32", "", 4, -1), &to, &s, NULL), MDL_OK);
    r = drain(s, NULL, NULL);
    assert_string_equal(r, "");
    mdl_batch_stream_release(s);
    free(r);
}

/* ---- window -------------------------------------------------------------------------------- */

static const char WIN_SCHEMA[] = "id int32, p string, o int32, x int32";
static const char WIN_ROWS[] = "1|a|1|10\n2|a|2|\\N\n3|a|2|30\n4|a|3|40\n5|b|1|5\n6|b|1|7\n"
                               "7|\\N|5|1\n8|\\N|\\N|2\n9|a|\\N|9\n";

/* Output columns need distinct names: f0, f1, ... in order of creation (wrapping). */
static mdl_sql_window_fn wf(mdl_sql_window_kind kind, size_t column)
{
    static const char *const names[] = {"f0",  "f1",  "f2",  "f3",  "f4",  "f5",  "f6",  "f7",
                                        "f8",  "f9",  "f10", "f11", "f12", "f13", "f14", "f15",
                                        "f16", "f17", "f18", "f19", "f20", "f21", "f22", "f23"};
    static size_t next;
    mdl_sql_window_fn f = {
        .kind = kind, .name = names[next++ % 24], .column = column, .default_column = -1};
    return f;
}

static mdl_sql_window_fn rows_frame(mdl_sql_window_fn f, mdl_sql_frame_bound_kind s, uint64_t sn,
                                    mdl_sql_frame_bound_kind e, uint64_t en)
{
    f.rows_frame = true;
    f.start.kind = s;
    f.start.n = sn;
    f.end.kind = e;
    f.end.n = en;
    return f;
}

/* Expected values from DuckDB 1.x for
 *   SELECT id, p, o, x, row_number() OVER w, rank() OVER w, dense_rank() OVER w, lag(x) OVER w,
 *   lag(x, 2, -1) OVER w, lead(x) OVER w, lead(x, 2, id) OVER w, first_value(x) OVER w,
 *   last_value(x) OVER w, sum(x) OVER w, count(x) OVER w, count(*) OVER w, min(x) OVER w,
 *   max(x) OVER w, avg(x) OVER w, sum(x) OVER (w ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING),
 *   min(x) OVER (w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW), max(x) OVER (w ROWS BETWEEN
 *   CURRENT ROW AND UNBOUNDED FOLLOWING), count(x) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
 *   AND 1 FOLLOWING), avg(x) OVER (w ROWS BETWEEN 2 PRECEDING AND 1 PRECEDING),
 *   first_value(x) OVER (w ROWS BETWEEN 1 FOLLOWING AND 2 FOLLOWING)
 *   FROM t WINDOW w AS (PARTITION BY p ORDER BY o) ORDER BY p NULLS LAST, o NULLS LAST, id */
static const char WIN_EXPECTED[] =
    "1|a|1|10|1|1|1|\\N|-1|\\N|30|10|10|10|1|1|10|10|10|10|10|40|1|\\N|\\N\n"
    "2|a|2|\\N|2|2|2|10|-1|30|40|10|30|40|2|3|10|30|20|40|10|40|2|10|30\n"
    "3|a|2|30|3|2|2|\\N|10|40|9|10|30|40|2|3|10|30|20|70|30|40|3|10|40\n"
    "4|a|3|40|4|4|3|30|\\N|9|4|10|40|80|3|4|10|40|26.666666666666668|79|30|40|4|30|9\n"
    "9|a|\\N|9|5|5|4|40|30|\\N|9|10|9|89|4|5|9|40|22.25|49|9|9|4|35|\\N\n"
    "5|b|1|5|1|1|1|\\N|-1|7|5|5|7|12|2|2|5|7|6|12|5|7|2|\\N|7\n"
    "6|b|1|7|2|1|1|5|-1|\\N|6|5|7|12|2|2|5|7|6|12|5|7|2|5|\\N\n"
    "7|\\N|5|1|1|1|1|\\N|-1|2|7|1|1|1|1|1|1|1|1|3|1|2|2|\\N|2\n"
    "8|\\N|\\N|2|2|2|2|1|-1|\\N|8|1|2|3|2|2|1|2|1.5|3|1|2|2|1|\\N\n";

static void test_sql_op_order__window_vs_duckdb(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_sql_window_fn fns[21];
    size_t n = 0;
    fns[n++] = wf(MDL_SQL_WIN_ROW_NUMBER, 0);
    fns[n++] = wf(MDL_SQL_WIN_RANK, 0);
    fns[n++] = wf(MDL_SQL_WIN_DENSE_RANK, 0);
    fns[n] = wf(MDL_SQL_WIN_LAG, 3);
    fns[n++].offset = 1;
    fns[n] = wf(MDL_SQL_WIN_LAG, 3);
    fns[n].offset = 2;
    fns[n++].default_column = 4; /* the computed -1 column */
    fns[n] = wf(MDL_SQL_WIN_LEAD, 3);
    fns[n++].offset = 1;
    fns[n] = wf(MDL_SQL_WIN_LEAD, 3);
    fns[n].offset = 2;
    fns[n++].default_column = 0;
    fns[n++] = wf(MDL_SQL_WIN_FIRST_VALUE, 3);
    fns[n++] = wf(MDL_SQL_WIN_LAST_VALUE, 3);
    fns[n++] = wf(MDL_SQL_WIN_SUM, 3);
    fns[n++] = wf(MDL_SQL_WIN_COUNT, 3);
    fns[n++] = wf(MDL_SQL_WIN_COUNT_STAR, 0);
    fns[n++] = wf(MDL_SQL_WIN_MIN, 3);
    fns[n++] = wf(MDL_SQL_WIN_MAX, 3);
    fns[n++] = wf(MDL_SQL_WIN_AVG, 3);
    fns[n++] =
        rows_frame(wf(MDL_SQL_WIN_SUM, 3), MDL_SQL_FRAME_PRECEDING, 1, MDL_SQL_FRAME_FOLLOWING, 1);
    fns[n++] = rows_frame(wf(MDL_SQL_WIN_MIN, 3), MDL_SQL_FRAME_PRECEDING, 1,
                          MDL_SQL_FRAME_CURRENT_ROW, 0);
    fns[n++] = rows_frame(wf(MDL_SQL_WIN_MAX, 3), MDL_SQL_FRAME_CURRENT_ROW, 0,
                          MDL_SQL_FRAME_UNBOUNDED_FOLLOWING, 0);
    fns[n++] = rows_frame(wf(MDL_SQL_WIN_COUNT, 3), MDL_SQL_FRAME_UNBOUNDED_PRECEDING, 0,
                          MDL_SQL_FRAME_FOLLOWING, 1);
    fns[n++] =
        rows_frame(wf(MDL_SQL_WIN_AVG, 3), MDL_SQL_FRAME_PRECEDING, 2, MDL_SQL_FRAME_PRECEDING, 1);
    fns[n++] = rows_frame(wf(MDL_SQL_WIN_FIRST_VALUE, 3), MDL_SQL_FRAME_FOLLOWING, 1,
                          MDL_SQL_FRAME_FOLLOWING, 2);
    /* The input with the LAG default as a computed column (-1), as the planner would. */
    mdl_buf rows;
    mdl_buf_init(&rows, &ctx, SIZE_MAX);
    for (const char *p = WIN_ROWS; *p;) {
        const char *e = strchr(p, '\n');
        assert_int_equal(mdl_buf_printf(&rows, NULL, "%.*s|-1\n", (int)(e - p), p), MDL_OK);
        p = e + 1;
    }
    assert_int_equal(mdl_buf_terminate(&rows, NULL), MDL_OK);
    size_t part = 1;
    mdl_sql_sort_key ord = {2, false, false};
    mdl_sql_window_options o = {.partition = &part,
                                .num_partition = 1,
                                .order = &ord,
                                .num_order = 1,
                                .fns = fns,
                                .num_fns = n};
    for (size_t per = 1; per <= 10; per += 3) {
        ctx.limits.batch_rows = per + 1; /* output batches cut through partitions too */
        mdl_batch_stream *s = NULL;
        assert_int_equal(mdl_sql__window_new(&ctx,
                                             text_stream(&ctx,
                                                         "id int32, p string, o int32, "
                                                         "x int32, m1 int32",
                                                         rows.data, per, -1),
                                             &o, &s, NULL),
                         MDL_OK);
        /* Result types as DuckDB's. */
        const mdl_schema *sc = s->schema;
        assert_int_equal(sc->num_fields, 5 + n);
        assert_int_equal(sc->fields[5].type.id, MDL_TYPE_INT64);
        assert_int_equal(sc->fields[8].type.id, MDL_TYPE_INT32);
        assert_true(mdl_type_equal(sc->fields[14].type, mdl_type_decimal(38, 0)));
        assert_int_equal(sc->fields[15].type.id, MDL_TYPE_INT64);
        assert_int_equal(sc->fields[19].type.id, MDL_TYPE_DOUBLE);
        char *r = drain(s, NULL, NULL);
        mdl_batch_stream_release(s);
        /* Drop the m1 column (the 5th) to compare with DuckDB's row. */
        mdl_buf got;
        mdl_buf_init(&got, &ctx, SIZE_MAX);
        for (char *p = r; *p;) {
            char *e = strchr(p, '\n');
            char *f = p;
            for (int j = 0; j < 4; j++)
                f = strchr(f, '|') + 1;
            char *g = strchr(f, '|') + 1;
            assert_int_equal(
                mdl_buf_printf(&got, NULL, "%.*s%.*s\n", (int)(f - p), p, (int)(e - g), g), MDL_OK);
            p = e + 1;
        }
        assert_int_equal(mdl_buf_terminate(&got, NULL), MDL_OK);
        assert_string_equal(got.data, WIN_EXPECTED);
        mdl_buf_reset(&got);
        free(r);
    }
    mdl_buf_reset(&rows);
}

/* Without ORDER BY the frame is the whole partition, rows in input order within it. */
static void test_sql_op_order__window_no_order(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_sql_window_fn fns[4] = {wf(MDL_SQL_WIN_SUM, 3), wf(MDL_SQL_WIN_LAST_VALUE, 3),
                                wf(MDL_SQL_WIN_RANK, 0), wf(MDL_SQL_WIN_ROW_NUMBER, 0)};
    size_t part = 1;
    mdl_sql_window_options o = {.partition = &part, .num_partition = 1, .fns = fns, .num_fns = 4};
    mdl_batch_stream *s = NULL;
    assert_int_equal(
        mdl_sql__window_new(&ctx, text_stream(&ctx, WIN_SCHEMA, WIN_ROWS, 4, -1), &o, &s, NULL),
        MDL_OK);
    char *r = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    /* DuckDB: sum(x) OVER (PARTITION BY p) = 89 / 12 / 3, last_value 9 / 7 / 2. */
    assert_string_equal(r, "1|a|1|10|89|9|1|1\n2|a|2|\\N|89|9|1|2\n3|a|2|30|89|9|1|3\n"
                           "4|a|3|40|89|9|1|4\n9|a|\\N|9|89|9|1|5\n5|b|1|5|12|7|1|1\n"
                           "6|b|1|7|12|7|1|2\n7|\\N|5|1|3|2|1|1\n8|\\N|\\N|2|3|2|1|2\n");
    free(r);
}

/* SUM/AVG/MIN/MAX over doubles (NaN, infinities in sliding frames), decimals and strings;
 * expected values from DuckDB. */
static void test_sql_op_order__window_types(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *rows = "1|1.5|1.25|a\n2|nan|2.50|c\n3|inf|\\N|b\n4|2|-1.00|\\N\n5|-inf|0.75|a\n"
                       "6|1|1.00|d\n";
    mdl_sql_window_fn fns[6] = {
        rows_frame(wf(MDL_SQL_WIN_SUM, 1), MDL_SQL_FRAME_PRECEDING, 1, MDL_SQL_FRAME_CURRENT_ROW,
                   0),
        rows_frame(wf(MDL_SQL_WIN_SUM, 2), MDL_SQL_FRAME_PRECEDING, 1, MDL_SQL_FRAME_FOLLOWING, 1),
        wf(MDL_SQL_WIN_AVG, 2),
        rows_frame(wf(MDL_SQL_WIN_MAX, 3), MDL_SQL_FRAME_PRECEDING, 2, MDL_SQL_FRAME_CURRENT_ROW,
                   0),
        rows_frame(wf(MDL_SQL_WIN_MIN, 3), MDL_SQL_FRAME_CURRENT_ROW, 0, MDL_SQL_FRAME_FOLLOWING,
                   1),
        rows_frame(wf(MDL_SQL_WIN_LAST_VALUE, 3), MDL_SQL_FRAME_UNBOUNDED_PRECEDING, 0,
                   MDL_SQL_FRAME_PRECEDING, 1),
    };
    mdl_sql_sort_key ord = {0, false, false};
    mdl_sql_window_options o = {.order = &ord, .num_order = 1, .fns = fns, .num_fns = 6};
    mdl_batch_stream *s = NULL;
    assert_int_equal(mdl_sql__window_new(&ctx,
                                         text_stream(&ctx,
                                                     "i int32, d double, m decimal(5,2), "
                                                     "s string",
                                                     rows, 4, -1),
                                         &o, &s, NULL),
                     MDL_OK);
    assert_true(mdl_type_equal(s->schema->fields[5].type, mdl_type_decimal(38, 2)));
    char *r = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    assert_string_equal(r, "1|1.5|1.25|a|1.5|3.75|1.25|a|a|\\N\n"
                           "2|nan|2.50|c|nan|3.75|1.875|c|b|a\n"
                           "3|inf|\\N|b|nan|1.50|1.875|c|b|c\n"
                           "4|2|-1.00|\\N|inf|-0.25|0.91666666666666663|c|a|b\n"
                           "5|-inf|0.75|a|-inf|0.75|0.875|b|a|\\N\n"
                           "6|1|1.00|d|-inf|1.75|0.90000000000000002|d|d|a\n");
    free(r);
}

static void test_sql_op_order__window_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_error err;
    mdl_batch_stream *s = NULL;
    /* SUM of a string has no type. */
    mdl_sql_window_fn f = wf(MDL_SQL_WIN_SUM, 1);
    mdl_sql_window_options o = {.fns = &f, .num_fns = 1};
    assert_int_equal(
        mdl_sql__window_new(&ctx, text_stream(&ctx, WIN_SCHEMA, WIN_ROWS, 4, -1), &o, &s, &err),
        MDL_ERR_SCHEMA);
    assert_null(s);
    /* A frame that ends before it starts. */
    f = rows_frame(wf(MDL_SQL_WIN_SUM, 3), MDL_SQL_FRAME_CURRENT_ROW, 0, MDL_SQL_FRAME_PRECEDING,
                   1);
    assert_int_equal(
        mdl_sql__window_new(&ctx, text_stream(&ctx, WIN_SCHEMA, WIN_ROWS, 4, -1), &o, &s, &err),
        MDL_ERR_INVALID_ARG);
    /* A partition past the budget. */
    char *rows = random_rows(3000, 3, 2);
    f = wf(MDL_SQL_WIN_ROW_NUMBER, 0);
    o.budget_bytes = 32 << 10;
    char dir[] = "/tmp/mdl-win-test-XXXXXX";
    assert_non_null(mkdtemp(dir));
    o.temp_dir = dir;
    assert_int_equal(
        mdl_sql__window_new(&ctx, text_stream(&ctx, "k int32, id int64, s string", rows, 500, -1),
                            &o, &s, &err),
        MDL_OK);
    int rc;
    char *r = drain(s, &rc, &err);
    assert_int_equal(rc, MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "memory budget"));
    mdl_batch_stream_release(s);
    assert_int_equal(dir_entries(dir), 0);
    rmdir(dir);
    free(r);
    free(rows);
}

/* ---- top-1 per key ------------------------------------------------------------------------- */

static int line_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The dump's lines sorted, as one string (order-insensitive comparison). */
static char *sorted_lines(char *dump)
{
    size_t n = 0;
    for (char *p = dump; *p; p++)
        n += *p == '\n';
    char **lines = calloc(n + 1, sizeof *lines);
    size_t i = 0;
    for (char *p = dump; *p;) {
        char *e = strchr(p, '\n');
        *e = 0;
        lines[i++] = p;
        p = e + 1;
    }
    qsort(lines, n, sizeof *lines, line_cmp);
    size_t total = 1;
    for (i = 0; i < n; i++)
        total += strlen(lines[i]) + 1;
    char *out = calloc(1, total);
    for (i = 0; i < n; i++) {
        strcat(out, lines[i]);
        strcat(out, "\n");
    }
    free(lines);
    return out;
}

/* Reference: sort by (keys, order) stably; the first row of each key group wins. */
static char *top1_reference(mdl_ctx *ctx, const char *schema, const char *rows, const size_t *keys,
                            size_t nkeys, const mdl_sql_sort_key *order, size_t norder)
{
    mdl_sql_window_fn f = wf(MDL_SQL_WIN_ROW_NUMBER, 0);
    mdl_sql_window_options o = {.partition = keys,
                                .num_partition = nkeys,
                                .order = order,
                                .num_order = norder,
                                .fns = &f,
                                .num_fns = 1};
    mdl_batch_stream *s = NULL;
    assert_int_equal(
        mdl_sql__window_new(ctx, text_stream(ctx, schema, rows, 333, -1), &o, &s, NULL), MDL_OK);
    char *all = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    /* Keep rows whose last field (row_number) is 1, without that field. */
    char *out = calloc(1, strlen(all) + 1);
    for (char *p = all; *p;) {
        char *e = strchr(p, '\n');
        char *bar = e;
        while (*bar != '|')
            bar--;
        if (bar + 2 == e && bar[1] == '1')
            strncat(out, p, (size_t)(bar - p)), strcat(out, "\n");
        p = e + 1;
    }
    free(all);
    return out;
}

/* Opens the same rows again for the two-read top-1 (the third open gets another schema). */
typedef struct reopen {
    mdl_ctx *ctx;
    const char *schema;
    const char *rows;
    size_t per;
    int opens;
} reopen;

static int reopen_stream(void *arg, mdl_batch_stream **out, mdl_error *err)
{
    (void)err;
    reopen *r = arg;
    r->opens++;
    *out = text_stream(r->ctx, r->opens <= 2 ? r->schema : "x int32", r->opens <= 2 ? r->rows : "",
                       r->per, -1);
    return MDL_OK;
}

static void test_sql_op_order__top1_vs_reference(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    /* key string (with NULLs), key int, ts with ties and NULLs, id, payload of varying size. */
    mdl_buf b;
    mdl_buf_init(&b, &ctx, SIZE_MAX);
    srand(5);
    for (int i = 0; i < 6000; i++) {
        int k1 = rand() % 40, k2 = rand() % 5, ts = rand() % 30;
        char k1s[16], k2s[16], tss[16];
        snprintf(k1s, sizeof k1s, k1 == 0 ? "\\N" : "c%d", k1);
        snprintf(k2s, sizeof k2s, k2 == 0 ? "\\N" : "%d", k2);
        snprintf(tss, sizeof tss, ts == 0 ? "\\N" : "%d", ts);
        assert_int_equal(mdl_buf_printf(&b, NULL, "%s|%s|%s|%d|%.*s|%d.5\n", k1s, k2s, tss, i,
                                        rand() % 200,
                                        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
                                        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
                                        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
                                        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy",
                                        i % 7),
                         MDL_OK);
    }
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    const char *schema = "k1 string, k2 int64, ts int32, id int32, pay string, d double";
    size_t keys[2] = {0, 1};
    mdl_sql_sort_key orders[3][2] = {
        {{2, true, false}, {0, false, false}}, /* ts DESC (NULLS LAST) */
        {{2, false, true}, {0, false, false}}, /* ts ASC NULLS FIRST */
        {{4, true, false}, {5, false, false}}, /* pay DESC, d */
    };
    size_t norders[3] = {1, 1, 2};
    for (int v = 0; v < 3; v++)
        for (size_t nk = 1; nk <= 2; nk++) {
            char *ref = top1_reference(&ctx, schema, b.data, keys, nk, orders[v], norders[v]);
            mdl_sql_top1_options o = {
                .keys = keys, .num_keys = nk, .order = orders[v], .num_order = norders[v]};
            mdl_batch_stream *s = NULL;
            assert_int_equal(
                mdl_sql__top1_new(&ctx, text_stream(&ctx, schema, b.data, 500, -1), &o, &s, NULL),
                MDL_OK);
            char *got = drain(s, NULL, NULL);
            mdl_batch_stream_release(s);
            /* The two-read variant: the same rows, in input order (the id column ascends). */
            reopen ro = {&ctx, schema, b.data, 500, 0};
            assert_int_equal(mdl_sql__top1_rescan_new(&ctx, reopen_stream, &ro, &o, &s, NULL),
                             MDL_OK);
            char *got2 = drain(s, NULL, NULL);
            mdl_batch_stream_release(s);
            assert_int_equal(ro.opens, 2);
            long prev = -1;
            for (const char *q = got2; *q; q = strchr(q, '\n') + 1) {
                const char *f = q;
                for (int j = 0; j < 3; j++)
                    f = strchr(f, '|') + 1;
                long id = strtol(f, NULL, 10);
                assert_true(id > prev);
                prev = id;
            }
            char *a = sorted_lines(ref), *g = sorted_lines(got), *g2 = sorted_lines(got2);
            assert_string_equal(g, a);
            assert_string_equal(g2, a);
            free(a);
            free(g);
            free(g2);
            free(ref);
            free(got);
            free(got2);
        }
    mdl_buf_reset(&b);
}

/* First-appearance output order, ties to the first row, -0 = 0 and NaN = NaN as keys, and
 * replacements with longer strings that force arena compaction. */
static void test_sql_op_order__top1_details(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    size_t key = 0;
    mdl_sql_sort_key ord = {1, true, false};
    mdl_sql_top1_options o = {.keys = &key, .num_keys = 1, .order = &ord, .num_order = 1};
    mdl_batch_stream *s = NULL;
    const char *rows = "0|1|a\nnan|1|b\n-0|2|c\n\\N|5|d\n-nan|1|e\n2|3|f\n0|2|g\n\\N|5|h\n";
    assert_int_equal(
        mdl_sql__top1_new(&ctx, text_stream(&ctx, "k double, t int32, s string", rows, 3, -1), &o,
                          &s, NULL),
        MDL_OK);
    char *r = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    assert_string_equal(r, "-0|2|c\nnan|1|b\n\\N|5|d\n2|3|f\n");
    free(r);

    /* Compaction: each key gets ever longer winners, leaving garbage behind. */
    mdl_buf b;
    mdl_buf_init(&b, &ctx, SIZE_MAX);
    for (int round = 1; round <= 60; round++)
        for (int k = 0; k < 200; k++)
            assert_int_equal(mdl_buf_printf(&b, NULL, "%d|%d|%0*d\n", k, round, round * 5, k),
                             MDL_OK);
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    mdl_sql_top1_options o2 = {.keys = &key, .num_keys = 1, .order = &ord, .num_order = 1};
    assert_int_equal(
        mdl_sql__top1_new(&ctx, text_stream(&ctx, "k int32, t int32, s string", b.data, 1000, -1),
                          &o2, &s, NULL),
        MDL_OK);
    r = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    char expect[400];
    char *p = r;
    for (int k = 0; k < 200; k++) {
        snprintf(expect, sizeof expect, "%d|60|%0*d\n", k, 300, k);
        assert_memory_equal(p, expect, strlen(expect));
        p += strlen(expect);
    }
    assert_string_equal(p, "");
    free(r);
    mdl_buf_reset(&b);
}

static void test_sql_op_order__top1_budget(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    char *rows = random_rows(5000, 9, 100000);
    size_t key = 1;
    mdl_sql_sort_key ord = {0, true, false};
    mdl_sql_top1_options o = {
        .keys = &key, .num_keys = 1, .order = &ord, .num_order = 1, .budget_bytes = 50000};
    mdl_batch_stream *s = NULL;
    assert_int_equal(
        mdl_sql__top1_new(&ctx, text_stream(&ctx, "k int32, id int64, s string", rows, 1000, -1),
                          &o, &s, NULL),
        MDL_OK);
    int rc;
    mdl_error err;
    char *r = drain(s, &rc, &err);
    assert_int_equal(rc, MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "memory budget of 50000 bytes"));
    /* Sticky: the stream stays failed. */
    mdl_batch *b = NULL;
    assert_int_equal(mdl_batch_stream_next(s, &b, NULL), MDL_ERR_LIMIT);
    mdl_batch_stream_release(s);
    free(r);

    /* The two-read variant keeps only the key: the same input fits in a smaller budget than
     * the one-read table would need, and a second read under another schema is refused. */
    o.budget_bytes = 300000;
    reopen ro = {&ctx, "k int32, id int64, s string", rows, 1000, 0};
    assert_int_equal(
        mdl_sql__top1_new(&ctx, text_stream(&ctx, ro.schema, rows, 1000, -1), &o, &s, NULL),
        MDL_OK);
    r = drain(s, &rc, &err);
    assert_int_equal(rc, MDL_ERR_LIMIT);
    mdl_batch_stream_release(s);
    free(r);
    assert_int_equal(mdl_sql__top1_rescan_new(&ctx, reopen_stream, &ro, &o, &s, NULL), MDL_OK);
    r = drain(s, NULL, NULL);
    mdl_batch_stream_release(s);
    assert_int_equal(strlen(r), strlen(rows)); /* ids are unique: every row wins */
    free(r);
    ro.opens = 1; /* the next two opens: the right schema, then "x int32" */
    assert_int_equal(mdl_sql__top1_rescan_new(&ctx, reopen_stream, &ro, &o, &s, NULL), MDL_OK);
    r = drain(s, &rc, &err);
    assert_int_equal(rc, MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "changed schema"));
    mdl_batch_stream_release(s);
    free(r);
    free(rows);
}

/* Allocation failures at every step come back as MDL_ERR_NOMEM without leaks. */
static void test_sql_op_order__out_of_memory(void **state)
{
    (void)state;
    for (long fail = 0; fail < 400; fail += 7) {
        mdl_ctx ctx;
        mdl_test_alloc a;
        mdl_test_counting_ctx(&ctx, &a);
        mdl_batch_stream *in = text_stream(&ctx, WIN_SCHEMA, WIN_ROWS, 3, -1);
        a.fail_after = fail;
        mdl_sql_window_fn f = wf(MDL_SQL_WIN_MAX, 3);
        size_t part = 1;
        mdl_sql_sort_key ord = {2, false, false};
        mdl_sql_window_options o = {.partition = &part,
                                    .num_partition = 1,
                                    .order = &ord,
                                    .num_order = 1,
                                    .fns = &f,
                                    .num_fns = 1};
        mdl_batch_stream *s = NULL;
        int rc = mdl_sql__window_new(&ctx, in, &o, &s, NULL);
        if (rc == MDL_OK) {
            char *r = drain(s, &rc, NULL);
            free(r);
            mdl_batch_stream_release(s);
        }
        assert_true(rc == MDL_OK || rc == MDL_ERR_NOMEM);
        assert_int_equal(a.live, 0);

        a.fail_after = -1;
        in = text_stream(&ctx, WIN_SCHEMA, WIN_ROWS, 3, -1);
        a.fail_after = fail / 4;
        mdl_sql_top1_options to = {.keys = &part, .num_keys = 1, .order = &ord, .num_order = 1};
        rc = mdl_sql__top1_new(&ctx, in, &to, &s, NULL);
        if (rc == MDL_OK) {
            char *r = drain(s, &rc, NULL);
            free(r);
            mdl_batch_stream_release(s);
        }
        assert_true(rc == MDL_OK || rc == MDL_ERR_NOMEM);
        assert_int_equal(a.live, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_op_order__doubles_nan_zero_nulls),
        cmocka_unit_test(test_sql_op_order__all_types),
        cmocka_unit_test(test_sql_op_order__multi_key_desc_stable),
        cmocka_unit_test(test_sql_op_order__spill_merge),
        cmocka_unit_test(test_sql_op_order__top_n),
        cmocka_unit_test(test_sql_op_order__empty_input),
        cmocka_unit_test(test_sql_op_order__window_vs_duckdb),
        cmocka_unit_test(test_sql_op_order__window_no_order),
        cmocka_unit_test(test_sql_op_order__window_types),
        cmocka_unit_test(test_sql_op_order__window_errors),
        cmocka_unit_test(test_sql_op_order__top1_vs_reference),
        cmocka_unit_test(test_sql_op_order__top1_details),
        cmocka_unit_test(test_sql_op_order__top1_budget),
        cmocka_unit_test(test_sql_op_order__out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
