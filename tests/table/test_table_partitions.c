/*
 * test_table_partitions.c - partitioned Delta tables on the local backend: create checks,
 * Hive-style folders (escaping, null partitions), data files without the partition columns,
 * scans that put them back, time travel, overwrite, pruning by partition values and by
 * add.stats, optimize keeping partitions apart, and the bound on open partitions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

#define DAY0 19723 /* 2024-01-01 */

/* Row r of a write goes to country COUNTRIES[r % 6] and day (r / 6) % 3: 18 partitions. */
static const char *const COUNTRIES[6] = {"US", "FR", "a/b", "x=y", "with space", NULL};

static const char *country_of(int64_t id)
{
    return COUNTRIES[(id % 1000) % 6];
}

/* -1: null */
static int32_t day_of(int64_t id)
{
    int k = (int)(((id % 1000) / 6) % 3);
    return k == 2 ? -1 : DAY0 + k;
}

typedef struct fixture {
    mdl_ctx ctx;
    char dir[512];
    mdl_storage *st;
    mdl_schema *s;
} fixture;

static void setup(fixture *f)
{
    mdl_ctx_init(&f->ctx);
    mdl_test_table_dir("part", f->dir, sizeof f->dir);
    assert_int_equal(mdl_storage_open_local(&f->ctx, f->dir, &f->st, NULL), MDL_OK);
    assert_int_equal(mdl_schema_parse(&f->ctx,
                                      "id int64 not null, country string, day date, amount int64, "
                                      "score double",
                                      &f->s, NULL),
                     MDL_OK);
}

static void teardown(fixture *f)
{
    mdl_schema_release(f->s);
    mdl_storage_release(f->st);
    mdl_test_table_dir_done(f->dir);
}

/* n rows with ids first, first + step, ... */
static mdl_batch *rows_step(fixture *f, int64_t first, size_t n, int64_t step)
{
    mdl_ctx *ctx = &f->ctx;
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(ctx, f->s, n ? n : 1, &b, NULL), MDL_OK);
    for (size_t r = 0; r < n; r++) {
        int64_t id = first + (int64_t)r * step;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[0], &id, NULL), MDL_OK);
        const char *c = country_of(id);
        if (c == NULL)
            assert_int_equal(mdl_column_append_null(ctx, &b->columns[1], NULL), MDL_OK);
        else
            assert_int_equal(mdl_column_append_string(ctx, &b->columns[1], c, strlen(c), NULL),
                             MDL_OK);
        int32_t d = day_of(id);
        if (d < 0)
            assert_int_equal(mdl_column_append_null(ctx, &b->columns[2], NULL), MDL_OK);
        else
            assert_int_equal(mdl_column_append_value(ctx, &b->columns[2], &d, NULL), MDL_OK);
        int64_t amount = id * 10;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[3], &amount, NULL), MDL_OK);
        double score = (double)id / 2;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[4], &score, NULL), MDL_OK);
    }
    b->num_rows = n;
    return b;
}

static mdl_batch *rows(fixture *f, int64_t first, size_t n)
{
    return rows_step(f, first, n, 1);
}

static int64_t write_rows(fixture *f, int64_t first, size_t n, bool overwrite)
{
    mdl_table_write_options o;
    mdl_table_write_options_init(&o);
    o.overwrite = overwrite;
    mdl_table_writer *w;
    mdl_error err;
    if (mdl_table_writer_open(&f->ctx, f->st, &o, &w, &err) != MDL_OK)
        fail_msg("writer_open: %s", err.message);
    mdl_batch *b = rows(f, first, n);
    if (mdl_table_writer_write(w, b, &err) != MDL_OK)
        fail_msg("write: %s", err.message);
    mdl_batch_free(b);
    int64_t v;
    bool noop;
    if (mdl_table_writer_commit(w, &v, &noop, &err) != MDL_OK)
        fail_msg("commit: %s", err.message);
    return v;
}

/* Scans (with predicates), checks every row's partition values against its id, and returns
 * the row count; *skipped gets the files pruned. */
static size_t scan_check(fixture *f, mdl_table *t, const mdl_predicate *p, size_t n,
                         size_t *skipped)
{
    mdl_batch_stream *s;
    mdl_error err;
    if (mdl_table_scan_where(t, p, n, &s, skipped, &err) != MDL_OK)
        fail_msg("scan: %s", err.message);
    assert_int_equal(s->schema->num_fields, 5);
    assert_string_equal(s->schema->fields[1].name, "country");
    size_t total = 0;
    mdl_batch *b;
    while (mdl_batch_stream_next(s, &b, NULL) == MDL_OK && b != NULL) {
        assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
        for (size_t r = 0; r < b->num_rows; r++) {
            int64_t id = mdl_column_i64(&b->columns[0], r);
            const char *c = country_of(id);
            if (c == NULL) {
                assert_true(mdl_column_is_null(&b->columns[1], r));
            } else {
                mdl_strview v = mdl_column_str(&b->columns[1], r);
                assert_int_equal(v.len, strlen(c));
                assert_memory_equal(v.ptr, c, v.len);
            }
            int32_t d = day_of(id);
            if (d < 0)
                assert_true(mdl_column_is_null(&b->columns[2], r));
            else
                assert_int_equal(mdl_column_i32(&b->columns[2], r), d);
            assert_int_equal(mdl_column_i64(&b->columns[3], r), id * 10);
        }
        total += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(s);
    (void)f;
    return total;
}

static size_t skipped_by(fixture *f, mdl_table *t, const char *col, mdl_pred_op op,
                         const char *const *vals, size_t nv, size_t *rows_out)
{
    mdl_predicate p = {col, op, vals, nv};
    size_t skipped = 0;
    size_t rows_seen = scan_check(f, t, &p, 1, &skipped);
    if (rows_out != NULL)
        *rows_out = rows_seen;
    return skipped;
}

static bool has_file_under(mdl_table *t, const char *prefix)
{
    for (size_t i = 0; i < mdl_table_num_files(t); i++) {
        mdl_table_file tf;
        mdl_table_file_at(t, i, &tf);
        if (strncmp(tf.path, prefix, strlen(prefix)) == 0)
            return true;
    }
    return false;
}

static void test_partitions__create_checks(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    mdl_error err;
    const char *bad[] = {"nope"};
    assert_int_equal(mdl_table_create(&f.ctx, f.st, f.s, "t", NULL, bad, 1, &err), MDL_ERR_SCHEMA);
    const char *dbl[] = {"score"};
    assert_int_equal(mdl_table_create(&f.ctx, f.st, f.s, "t", NULL, dbl, 1, &err), MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "double"));
    const char *twice[] = {"country", "country"};
    assert_int_equal(mdl_table_create(&f.ctx, f.st, f.s, "t", NULL, twice, 2, &err),
                     MDL_ERR_SCHEMA);
    mdl_table *t;
    assert_int_equal(mdl_table_open(&f.ctx, f.st, -1, &t, NULL), MDL_ERR_NOT_FOUND);
    teardown(&f);
}

static void test_partitions__write_scan_prune(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    mdl_ctx *ctx = &f.ctx;
    const char *pcols[] = {"country", "day"};
    assert_int_equal(mdl_table_create(ctx, f.st, f.s, "p", NULL, pcols, 2, NULL), MDL_OK);
    assert_int_equal(write_rows(&f, 0, 180, false), 1);
    assert_int_equal(write_rows(&f, 1000, 180, false), 2);

    mdl_table *t;
    assert_int_equal(mdl_table_open(ctx, f.st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_partition_columns(t), 2);
    assert_string_equal(mdl_table_partition_column(t, 0), "country");
    assert_string_equal(mdl_table_partition_column(t, 1), "day");
    assert_int_equal(mdl_table_num_files(t), 36);

    /* folder layout: Hive escaping, null as the default partition, spaces kept */
    assert_true(has_file_under(t, "country=US/day=2024-01-01/part-"));
    assert_true(has_file_under(t, "country=a%2Fb/day=2024-01-02/part-"));
    assert_true(has_file_under(t, "country=x%3Dy/day=__HIVE_DEFAULT_PARTITION__/part-"));
    assert_true(has_file_under(t, "country=with space/day=2024-01-01/part-"));
    assert_true(has_file_under(t, "country=__HIVE_DEFAULT_PARTITION__/day=2024-01-02/part-"));
    mdl_storage_list l;
    assert_int_equal(f.st->list(f.st, "country=a%2Fb/", &l, NULL), MDL_OK);
    assert_int_equal(l.count, 6); /* 3 days x 2 writes */
    mdl_storage_list_free(ctx, &l);

    /* the log: partitionValues with JSON null, the path URI-encoded, stats without them */
    mdl_buf log;
    mdl_buf_init(&log, ctx, 0);
    assert_int_equal(
        f.st->read_all(f.st, "_delta_log/00000000000000000001.json", 1 << 24, &log, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&log, NULL), MDL_OK);
    assert_non_null(strstr(log.data, "\"partitionValues\":{\"country\":\"a/b\",\"day\":null}"));
    assert_non_null(strstr(log.data, "country=a%252Fb/"));
    assert_non_null(strstr(log.data, "country=with%20space/"));
    assert_non_null(strstr(log.data, "\\\"numRecords\\\":10,\\\"minValues\\\":{\\\"id\\\":0,"
                                     "\\\"amount\\\":0,\\\"score\\\":0}"));
    mdl_buf_reset(&log);
    assert_int_equal(
        f.st->read_all(f.st, "_delta_log/00000000000000000000.json", 1 << 24, &log, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&log, NULL), MDL_OK);
    assert_non_null(strstr(log.data, "\"partitionColumns\":[\"country\",\"day\"]"));
    mdl_buf_reset(&log);

    /* a data file holds only the other columns */
    mdl_table_file tf;
    mdl_table_file_at(t, 0, &tf);
    assert_int_equal(tf.num_records, 10);
    mdl_rinput *in;
    mdl_parquet_reader *pr;
    assert_int_equal(f.st->open_rinput(f.st, tf.path, &in, NULL), MDL_OK);
    assert_int_equal(mdl_parquet_reader_open(ctx, in, NULL, &pr, NULL), MDL_OK);
    mdl_schema *fs = mdl_parquet_reader_schema(pr);
    assert_int_equal(fs->num_fields, 3);
    assert_string_equal(fs->fields[0].name, "id");
    assert_string_equal(fs->fields[1].name, "amount");
    assert_string_equal(fs->fields[2].name, "score");
    mdl_parquet_reader_free(pr);

    /* every row comes back with its partition values, in schema order */
    size_t skipped = 99;
    assert_int_equal(scan_check(&f, t, NULL, 0, &skipped), 360);
    assert_int_equal(skipped, 0);

    /* pruning on partition columns */
    size_t n = 0;
    const char *us[] = {"US"};
    assert_int_equal(skipped_by(&f, t, "country", MDL_PRED_EQ, us, 1, &n), 30);
    assert_int_equal(n, 60); /* kept files return all their rows */
    const char *two[] = {"a/b", "x=y"};
    assert_int_equal(skipped_by(&f, t, "country", MDL_PRED_IN, two, 2, &n), 24);
    assert_int_equal(n, 120);
    assert_int_equal(skipped_by(&f, t, "country", MDL_PRED_IS_NULL, NULL, 0, &n), 30);
    assert_int_equal(n, 60);
    assert_int_equal(skipped_by(&f, t, "day", MDL_PRED_IS_NULL, NULL, 0, NULL), 24);
    const char *d2[] = {"2024-01-02"};
    assert_int_equal(skipped_by(&f, t, "day", MDL_PRED_EQ, d2, 1, NULL), 24);
    assert_int_equal(skipped_by(&f, t, "day", MDL_PRED_LT, d2, 1, NULL), 24); /* nulls too */
    assert_int_equal(skipped_by(&f, t, "day", MDL_PRED_GE, d2, 1, NULL), 24);
    mdl_predicate both[2] = {{"country", MDL_PRED_EQ, us, 1}, {"day", MDL_PRED_IS_NULL, NULL, 0}};
    assert_int_equal(scan_check(&f, t, both, 2, &skipped), 20);
    assert_int_equal(skipped, 34);

    /* pruning on add.stats: the first write has ids 0..179, the second 1000..1179 */
    const char *k1000[] = {"1000"};
    assert_int_equal(skipped_by(&f, t, "id", MDL_PRED_GE, k1000, 1, &n), 18);
    assert_int_equal(n, 180);
    const char *k18[] = {"18"};
    assert_int_equal(skipped_by(&f, t, "id", MDL_PRED_LT, k18, 1, NULL), 18);
    const char *k5000[] = {"5000"};
    assert_int_equal(skipped_by(&f, t, "id", MDL_PRED_EQ, k5000, 1, NULL), 36);
    const char *k1179[] = {"1179"};
    assert_int_equal(skipped_by(&f, t, "id", MDL_PRED_GT, k1179, 1, NULL), 36);
    assert_int_equal(skipped_by(&f, t, "id", MDL_PRED_LE, k1179, 1, NULL), 0);
    const char *ks[] = {"3", "1003"};
    assert_int_equal(skipped_by(&f, t, "id", MDL_PRED_IN, ks, 2, NULL), 28);
    assert_int_equal(skipped_by(&f, t, "amount", MDL_PRED_IS_NULL, NULL, 0, NULL), 36);
    /* doubles are only pruned by null counts (NaN is outside min/max) */
    const char *big[] = {"1e9"};
    assert_int_equal(skipped_by(&f, t, "score", MDL_PRED_GT, big, 1, NULL), 0);

    mdl_batch_stream *s;
    mdl_error err;
    mdl_predicate unknown = {"nope", MDL_PRED_IS_NULL, NULL, 0};
    assert_int_equal(mdl_table_scan_where(t, &unknown, 1, &s, NULL, &err), MDL_ERR_NOT_FOUND);
    const char *notnum[] = {"abc"};
    mdl_predicate bad = {"id", MDL_PRED_EQ, notnum, 1};
    assert_int_equal(mdl_table_scan_where(t, &bad, 1, &s, NULL, &err), MDL_ERR_PARSE);
    mdl_table_close(t);

    /* time travel */
    assert_int_equal(mdl_table_open(ctx, f.st, 1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 18);
    assert_int_equal(scan_check(&f, t, NULL, 0, NULL), 180);
    mdl_table_close(t);

    /* optimize packs each partition's two files into one, never across partitions */
    size_t removed, added;
    int64_t v;
    assert_int_equal(mdl_table_optimize(ctx, f.st, 0, NULL, &removed, &added, &v, &err), MDL_OK);
    assert_int_equal(removed, 36);
    assert_int_equal(added, 18);
    assert_int_equal(v, 3);
    assert_int_equal(mdl_table_open(ctx, f.st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 18);
    assert_true(has_file_under(t, "country=a%2Fb/day=2024-01-02/part-"));
    assert_true(has_file_under(t, "country=__HIVE_DEFAULT_PARTITION__/day=__HIVE_DEFAULT_"));
    assert_int_equal(scan_check(&f, t, NULL, 0, NULL), 360);
    assert_int_equal(skipped_by(&f, t, "country", MDL_PRED_EQ, us, 1, &n), 15);
    assert_int_equal(n, 60);
    mdl_table_close(t);

    /* overwrite replaces every partition */
    assert_int_equal(write_rows(&f, 2000, 12, true), 4);
    assert_int_equal(mdl_table_open(ctx, f.st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 12);
    assert_int_equal(scan_check(&f, t, NULL, 0, NULL), 12);
    mdl_table_close(t);
    assert_int_equal(mdl_table_open(ctx, f.st, 2, &t, NULL), MDL_OK);
    assert_int_equal(scan_check(&f, t, NULL, 0, NULL), 360);
    mdl_table_close(t);
    teardown(&f);
}

/* Writes n rows (ids first, first + step, ...) replacing the partitions that match preds;
 * returns the version, or -status when the write or commit fails (err says why). */
static int64_t replace_where(fixture *f, const mdl_predicate *preds, size_t np, int64_t first,
                             size_t n, int64_t step, mdl_error *err)
{
    mdl_table_write_options o;
    mdl_table_write_options_init(&o);
    o.replace_where = preds;
    o.num_replace_where = np;
    mdl_table_writer *w;
    int rc = mdl_table_writer_open(&f->ctx, f->st, &o, &w, err);
    if (rc != MDL_OK)
        return -rc;
    mdl_batch *b = rows_step(f, first, n, step);
    rc = mdl_table_writer_write(w, b, err);
    mdl_batch_free(b);
    if (rc != MDL_OK) {
        /* a failed write cannot be committed either */
        mdl_error e2;
        int64_t v;
        bool noop;
        assert_int_equal(mdl_table_writer_commit(w, &v, &noop, &e2), MDL_ERR_INVALID_ARG);
        return -rc;
    }
    int64_t v;
    bool noop;
    rc = mdl_table_writer_commit(w, &v, &noop, err);
    return rc == MDL_OK ? v : -rc;
}

static size_t count_in(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p != NULL; p = strstr(p + 1, what))
        n++;
    return n;
}

static char *commit_text(fixture *f, int64_t v)
{
    char key[64];
    snprintf(key, sizeof key, "_delta_log/%020lld.json", (long long)v);
    mdl_buf b;
    mdl_buf_init(&b, &f->ctx, 0);
    assert_int_equal(f->st->read_all(f->st, key, 1 << 24, &b, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    return b.data; /* allocated with the context's allocator: mdl_free */
}

static void test_partitions__replace_where(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    mdl_ctx *ctx = &f.ctx;
    const char *pcols[] = {"country", "day"};
    assert_int_equal(mdl_table_create(ctx, f.st, f.s, "p", NULL, pcols, 2, NULL), MDL_OK);
    assert_int_equal(write_rows(&f, 0, 180, false), 1); /* 18 partitions of 10 rows */
    mdl_error err;

    /* country = 'US': 12 rows (ids 3000, 3006, ...: all US, over its 3 days) replace the 30
     * US rows; the other 15 partitions are untouched */
    const char *us[] = {"US"};
    mdl_predicate p_us = {"country", MDL_PRED_EQ, us, 1};
    assert_int_equal(replace_where(&f, &p_us, 1, 3000, 12, 6, &err), 2);
    char *log = commit_text(&f, 2);
    assert_int_equal(count_in(log, "{\"remove\":"), 3);
    assert_int_equal(count_in(log, "{\"add\":"), 3);
    assert_int_equal(count_in(log, "\"partitionValues\":{\"country\":\"US\""), 6);
    assert_non_null(strstr(log, "\"operation\":\"WRITE\""));
    mdl_free(ctx, log);
    mdl_table *t;
    assert_int_equal(mdl_table_open(ctx, f.st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 18);
    assert_int_equal(scan_check(&f, t, NULL, 0, NULL), 162);
    size_t n = 0;
    assert_int_equal(skipped_by(&f, t, "country", MDL_PRED_EQ, us, 1, &n), 15);
    assert_int_equal(n, 12);
    const char *fr[] = {"FR"};
    assert_int_equal(skipped_by(&f, t, "country", MDL_PRED_EQ, fr, 1, &n), 15);
    assert_int_equal(n, 30);
    mdl_table_close(t);

    /* time travel still sees the old US partitions */
    assert_int_equal(mdl_table_open(ctx, f.st, 1, &t, NULL), MDL_OK);
    assert_int_equal(skipped_by(&f, t, "country", MDL_PRED_EQ, us, 1, &n), 15);
    assert_int_equal(n, 30);
    mdl_table_close(t);

    /* a row outside the predicate fails the write, naming value and predicate; no commit */
    const char *two[] = {"FR", "a/b"};
    mdl_predicate p_in = {"country", MDL_PRED_IN, two, 2};
    assert_int_equal(replace_where(&f, &p_in, 1, 1, 6, 1, &err), -MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "does not match replaceWhere"));
    assert_non_null(strstr(err.message, "row 3 has country = 'x=y'"));
    assert_non_null(strstr(err.message, "country IN ('FR', 'a/b')"));
    mdl_predicate p_null = {"day", MDL_PRED_IS_NULL, NULL, 0};
    assert_int_equal(replace_where(&f, &p_null, 1, 0, 1, 1, &err), -MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "row 1 has day = '2024-01-01', not day IS NULL"));
    mdl_predicate p_and[2] = {{"country", MDL_PRED_EQ, fr, 1}, {"day", MDL_PRED_IS_NULL, NULL, 0}};
    assert_int_equal(replace_where(&f, p_and, 2, 1, 1, 1, &err), -MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "not country = 'FR' AND day IS NULL"));
    /* only partition columns; unknown columns and bad values are errors too */
    const char *k[] = {"10"};
    mdl_predicate p_amount = {"amount", MDL_PRED_EQ, k, 1};
    assert_int_equal(replace_where(&f, &p_amount, 1, 0, 1, 1, &err), -MDL_ERR_UNSUPPORTED);
    assert_non_null(
        strstr(err.message, "'amount', which is not a partition column (country, day)"));
    mdl_predicate p_nope = {"nope", MDL_PRED_EQ, k, 1};
    assert_int_equal(replace_where(&f, &p_nope, 1, 0, 1, 1, &err), -MDL_ERR_NOT_FOUND);
    const char *notday[] = {"soon"};
    mdl_predicate p_bad = {"day", MDL_PRED_EQ, notday, 1};
    assert_int_equal(replace_where(&f, &p_bad, 1, 0, 1, 1, &err), -MDL_ERR_PARSE);
    assert_int_equal(mdl_table_open(ctx, f.st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_version(t), 2);
    assert_int_equal(scan_check(&f, t, NULL, 0, NULL), 162);
    mdl_table_close(t);
    mdl_storage_list l;
    assert_int_equal(f.st->list(f.st, "country=FR/", &l, NULL), MDL_OK);
    assert_int_equal(l.count, 3); /* the failed writes left no data file behind */
    mdl_storage_list_free(ctx, &l);

    /* nothing written: the matching partitions are just removed */
    assert_int_equal(replace_where(&f, &p_and[0], 1, 0, 0, 1, &err), 3);
    /* no partition matches any more: the commit only adds */
    assert_int_equal(replace_where(&f, &p_and[0], 1, 4001, 3, 6, &err), 4);
    log = commit_text(&f, 4);
    assert_int_equal(count_in(log, "{\"remove\":"), 0);
    assert_int_equal(count_in(log, "{\"add\":"), 3);
    mdl_free(ctx, log);
    assert_int_equal(mdl_table_open(ctx, f.st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 18);
    assert_int_equal(scan_check(&f, t, NULL, 0, NULL), 162 - 30 + 3);
    mdl_table_close(t);

    /* replaceWhere on an unpartitioned table is refused */
    teardown(&f);
    setup(&f);
    assert_int_equal(mdl_table_create(ctx, f.st, f.s, "u", NULL, NULL, 0, NULL), MDL_OK);
    assert_int_equal(replace_where(&f, &p_us, 1, 0, 1, 1, &err), -MDL_ERR_UNSUPPORTED);
    assert_non_null(strstr(err.message, "the table is not partitioned"));
    teardown(&f);
}

static void test_partitions__too_many(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    mdl_ctx *ctx = &f.ctx;
    const char *pcols[] = {"amount"};
    assert_int_equal(mdl_table_create(ctx, f.st, f.s, "p", NULL, pcols, 1, NULL), MDL_OK);
    mdl_table_writer *w;
    assert_int_equal(mdl_table_writer_open(ctx, f.st, NULL, &w, NULL), MDL_OK);
    mdl_batch *b = rows(&f, 0, 300); /* 300 distinct amounts */
    mdl_error err;
    assert_int_equal(mdl_table_writer_write(w, b, &err), MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "too many partitions"));
    mdl_batch_free(b);
    mdl_table_writer_abort(w);
    mdl_table *t;
    assert_int_equal(mdl_table_open(ctx, f.st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 0);
    mdl_table_close(t);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_partitions__create_checks),
        cmocka_unit_test(test_partitions__write_scan_prune),
        cmocka_unit_test(test_partitions__replace_where),
        cmocka_unit_test(test_partitions__too_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
