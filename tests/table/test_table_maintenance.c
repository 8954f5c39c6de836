/*
 * test_table_maintenance.c - OPTIMIZE and VACUUM on the local backend: compaction keeps the
 * rows and time travel, a table without small files is left alone, and vacuum deletes exactly
 * the unreferenced files older than the retention (never an active one), or only lists them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

typedef struct fixture {
    mdl_ctx ctx;
    char dir[512];
    mdl_storage *st;
    mdl_schema *s;
} fixture;

static void setup(fixture *f)
{
    mdl_ctx_init(&f->ctx);
    mdl_test_table_dir("maint", f->dir, sizeof f->dir);
    assert_int_equal(mdl_storage_open_local(&f->ctx, f->dir, &f->st, NULL), MDL_OK);
    assert_int_equal(
        mdl_schema_parse(&f->ctx, "id int64 not null, customer string, amount double", &f->s, NULL),
        MDL_OK);
    assert_int_equal(mdl_table_create(&f->ctx, f->st, f->s, "t", NULL, NULL, 0, NULL), MDL_OK);
}

static void teardown(fixture *f)
{
    mdl_schema_release(f->s);
    mdl_storage_release(f->st);
    mdl_test_table_dir_done(f->dir);
}

/* Appends rows with ids first..first+rows-1 as one commit; returns the version. */
static int64_t append(fixture *f, size_t rows, int64_t first)
{
    mdl_table_writer *w;
    mdl_error err;
    if (mdl_table_writer_open(&f->ctx, f->st, NULL, &w, &err) != MDL_OK)
        fail_msg("writer_open: %s", err.message);
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(&f->ctx, f->s, rows, &b, NULL), MDL_OK);
    for (size_t r = 0; r < rows; r++) {
        int64_t id = first + (int64_t)r;
        double amount = (double)id / 4;
        assert_int_equal(mdl_column_append_value(&f->ctx, &b->columns[0], &id, NULL), MDL_OK);
        if (r % 7 == 0) {
            assert_int_equal(mdl_column_append_null(&f->ctx, &b->columns[1], NULL), MDL_OK);
        } else {
            char name[16];
            int n = snprintf(name, sizeof name, "c%03d", (int)(id % 13));
            assert_int_equal(
                mdl_column_append_string(&f->ctx, &b->columns[1], name, (size_t)n, NULL), MDL_OK);
        }
        assert_int_equal(mdl_column_append_value(&f->ctx, &b->columns[2], &amount, NULL), MDL_OK);
    }
    b->num_rows = rows;
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    mdl_batch_free(b);
    int64_t v;
    bool noop;
    if (mdl_table_writer_commit(w, &v, &noop, &err) != MDL_OK)
        fail_msg("commit: %s", err.message);
    return v;
}

/* Rows, sum(id), sum(amount) and null customers of the snapshot at `version`. */
typedef struct totals {
    size_t rows, nulls;
    int64_t ids;
    double amount;
} totals;

static totals scan_at(fixture *f, int64_t version)
{
    mdl_table *t;
    mdl_error err;
    if (mdl_table_open(&f->ctx, f->st, version, &t, &err) != MDL_OK)
        fail_msg("open: %s", err.message);
    mdl_batch_stream *s;
    assert_int_equal(mdl_table_scan(t, &s, NULL), MDL_OK);
    totals x = {0, 0, 0, 0};
    mdl_batch *b;
    int rc;
    while ((rc = mdl_batch_stream_next(s, &b, &err)) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++) {
            x.ids += mdl_column_i64(&b->columns[0], r);
            x.nulls += mdl_column_is_null(&b->columns[1], r);
            x.amount += mdl_column_f64(&b->columns[2], r);
        }
        x.rows += b->num_rows;
        mdl_batch_free(b);
    }
    if (rc != MDL_OK)
        fail_msg("scan: %s", err.message);
    mdl_batch_stream_release(s);
    mdl_table_close(t);
    return x;
}

static size_t num_files(fixture *f, int64_t version)
{
    mdl_table *t;
    assert_int_equal(mdl_table_open(&f->ctx, f->st, version, &t, NULL), MDL_OK);
    size_t n = mdl_table_num_files(t);
    mdl_table_close(t);
    return n;
}

static bool is_active(fixture *f, const char *path)
{
    mdl_table *t;
    assert_int_equal(mdl_table_open(&f->ctx, f->st, -1, &t, NULL), MDL_OK);
    bool found = false;
    for (size_t i = 0; i < mdl_table_num_files(t) && !found; i++) {
        mdl_table_file tf;
        mdl_table_file_at(t, i, &tf);
        found = strcmp(tf.path, path) == 0;
    }
    mdl_table_close(t);
    return found;
}

static size_t count_data_files(fixture *f)
{
    mdl_storage_list l;
    assert_int_equal(f->st->list(f->st, "part-", &l, NULL), MDL_OK);
    size_t n = l.count;
    mdl_storage_list_free(&f->ctx, &l);
    return n;
}

static void test_table_maintenance__optimize(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    for (int i = 0; i < 12; i++)
        assert_int_equal(append(&f, 500, (int64_t)i * 500), i + 1);
    totals before = scan_at(&f, 12);
    assert_int_equal(before.rows, 6000);
    assert_int_equal(before.ids, 5999LL * 6000 / 2);
    assert_int_equal(num_files(&f, 12), 12);

    mdl_table *t;
    assert_int_equal(mdl_table_open(&f.ctx, f.st, -1, &t, NULL), MDL_OK);
    mdl_table_file tf;
    mdl_table_file_at(t, 0, &tf);
    uint64_t one = (uint64_t)tf.size;
    mdl_table_close(t);

    /* a target of about four files: 12 files pack into three bins of four */
    size_t removed = 0, added = 0;
    int64_t v = -1;
    mdl_error err;
    if (mdl_table_optimize(&f.ctx, f.st, one * 4 + one / 2, NULL, &removed, &added, &v, &err) !=
        MDL_OK)
        fail_msg("optimize: %s", err.message);
    assert_int_equal(v, 13);
    assert_int_equal(removed, 12);
    assert_true(added >= 2 && added < 12);
    assert_int_equal(num_files(&f, -1), added);

    totals after = scan_at(&f, -1);
    assert_int_equal(after.rows, before.rows);
    assert_int_equal(after.ids, before.ids);
    assert_int_equal(after.nulls, before.nulls);
    assert_true(after.amount == before.amount);

    /* the new files carry stats like the writer's */
    assert_int_equal(mdl_table_open(&f.ctx, f.st, -1, &t, NULL), MDL_OK);
    int64_t records = 0;
    for (size_t i = 0; i < mdl_table_num_files(t); i++) {
        mdl_table_file_at(t, i, &tf);
        assert_true(tf.num_records > 0);
        assert_non_null(strstr(tf.stats, "\"minValues\":{\"id\":"));
        assert_non_null(strstr(tf.stats, "\"nullCount\":{\"id\":0,\"customer\":"));
        records += tf.num_records;
    }
    mdl_table_file_at(t, 0, &tf);
    assert_non_null(strstr(tf.stats, "\"minValues\":{\"id\":0,"));
    mdl_table_close(t);
    assert_int_equal(records, 6000);

    /* history: one OPTIMIZE commit with every remove and add */
    mdl_table_history h;
    assert_int_equal(mdl_table_history_read(&f.ctx, f.st, &h, NULL), MDL_OK);
    assert_int_equal(h.commits[0].version, 13);
    assert_string_equal(h.commits[0].operation, "OPTIMIZE");
    assert_int_equal(h.commits[0].removes, 12);
    assert_int_equal(h.commits[0].adds, added);
    mdl_table_history_free(&f.ctx, &h);

    /* the log marks the swap as no data change */
    mdl_buf log;
    assert_int_equal(
        f.st->read_all(f.st, "_delta_log/00000000000000000013.json", 1 << 24, &log, NULL), MDL_OK);
    assert_non_null(strstr(log.data, "\"dataChange\":false"));
    assert_null(strstr(log.data, "\"dataChange\":true"));
    mdl_buf_reset(&log);

    /* time travel to before the optimize reads the same rows from the old files */
    totals old = scan_at(&f, 12);
    assert_int_equal(old.rows, before.rows);
    assert_int_equal(old.ids, before.ids);
    assert_int_equal(num_files(&f, 12), 12);

    /* again: the new files are not small any more, so there is nothing to do */
    assert_int_equal(
        mdl_table_optimize(&f.ctx, f.st, one * 4 + one / 2, NULL, &removed, &added, &v, NULL),
        MDL_OK);
    assert_int_equal(removed, 0);
    assert_int_equal(added, 0);
    assert_int_equal(v, 13);
    teardown(&f);
}

static void test_table_maintenance__optimize_nothing_to_do(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    size_t removed = 9, added = 9;
    int64_t v = -9;
    /* an empty table, then one file: fewer than two small files */
    assert_int_equal(mdl_table_optimize(&f.ctx, f.st, 0, NULL, &removed, &added, &v, NULL), MDL_OK);
    assert_int_equal(removed, 0);
    assert_int_equal(added, 0);
    assert_int_equal(v, 0);
    append(&f, 100, 0);
    assert_int_equal(mdl_table_optimize(&f.ctx, f.st, 0, NULL, &removed, &added, &v, NULL), MDL_OK);
    assert_int_equal(removed + added, 0);
    assert_int_equal(v, 1);
    /* two files but both at least half the target: not small */
    append(&f, 100, 100);
    assert_int_equal(mdl_table_optimize(&f.ctx, f.st, 16, NULL, &removed, &added, &v, NULL),
                     MDL_OK);
    assert_int_equal(removed + added, 0);
    assert_int_equal(v, 2);
    assert_int_equal(num_files(&f, -1), 2);
    /* with the default target they are small: compacted into one, with a codec option */
    mdl_parquet_write_options po;
    mdl_parquet_write_options_init(&po);
    po.codec = MDL_CODEC_SNAPPY;
    assert_int_equal(mdl_table_optimize(&f.ctx, f.st, 0, &po, &removed, &added, &v, NULL), MDL_OK);
    assert_int_equal(removed, 2);
    assert_int_equal(added, 1);
    assert_int_equal(v, 3);
    assert_int_equal(scan_at(&f, -1).ids, 199 * 200 / 2);
    /* no table at all */
    mdl_storage *empty;
    char sub[600];
    snprintf(sub, sizeof sub, "%s/none", f.dir);
    assert_int_equal(mdl_storage_open_local(&f.ctx, sub, &empty, NULL), MDL_OK);
    assert_int_equal(mdl_table_optimize(&f.ctx, empty, 0, NULL, &removed, &added, &v, NULL),
                     MDL_ERR_NOT_FOUND);
    size_t n = 9;
    assert_int_equal(mdl_table_vacuum(&f.ctx, empty, 0, false, NULL, &n, NULL), MDL_ERR_NOT_FOUND);
    mdl_storage_release(empty);
    teardown(&f);
}

static void test_table_maintenance__vacuum(void **state)
{
    (void)state;
    fixture f;
    setup(&f);
    for (int i = 0; i < 4; i++)
        append(&f, 200, (int64_t)i * 200);
    size_t removed, added;
    int64_t v;
    assert_int_equal(mdl_table_optimize(&f.ctx, f.st, 0, NULL, &removed, &added, &v, NULL), MDL_OK);
    assert_int_equal(removed, 4);
    assert_int_equal(added, 1);
    /* an orphan data file, say from a crashed writer, and one hidden file vacuum must skip */
    assert_int_equal(f.st->put(f.st, "orphan.parquet", "x", 1, NULL), MDL_OK);
    assert_int_equal(f.st->put(f.st, "_tmp/scratch", "x", 1, NULL), MDL_OK);
    assert_int_equal(count_data_files(&f), 5);

    /* default retention (7 days): everything is recent, nothing goes */
    char **paths = NULL;
    size_t n = 99;
    assert_int_equal(mdl_table_vacuum(&f.ctx, f.st, -1, false, &paths, &n, NULL), MDL_OK);
    assert_int_equal(n, 0);
    mdl_table_vacuum_paths_free(&f.ctx, paths, n);
    assert_int_equal(count_data_files(&f), 5);

    /* a dry run with retention 0 lists the four compacted files and the orphan, deletes none */
    assert_int_equal(mdl_table_vacuum(&f.ctx, f.st, 0, true, &paths, &n, NULL), MDL_OK);
    assert_int_equal(n, 5);
    size_t orphans = 0;
    for (size_t i = 0; i < n; i++) {
        assert_false(is_active(&f, paths[i]));
        orphans += strcmp(paths[i], "orphan.parquet") == 0;
        assert_null(strstr(paths[i], "_delta_log"));
    }
    assert_int_equal(orphans, 1);
    mdl_table_vacuum_paths_free(&f.ctx, paths, n);
    assert_int_equal(count_data_files(&f), 5);

    /* retention 0: exactly those go; the active file, the log and hidden files stay */
    assert_int_equal(mdl_table_vacuum(&f.ctx, f.st, 0, false, &paths, &n, NULL), MDL_OK);
    assert_int_equal(n, 5);
    mdl_table_vacuum_paths_free(&f.ctx, paths, n);
    assert_int_equal(count_data_files(&f), 1);
    mdl_storage_entry e;
    assert_int_equal(f.st->stat(f.st, "_tmp/scratch", &e, NULL), MDL_OK);
    assert_int_equal(f.st->stat(f.st, "orphan.parquet", &e, NULL), MDL_ERR_NOT_FOUND);
    totals x = scan_at(&f, -1);
    assert_int_equal(x.rows, 800);
    assert_int_equal(x.ids, 799 * 800 / 2);

    /* nothing left to delete; a NULL paths_out still counts */
    assert_int_equal(mdl_table_vacuum(&f.ctx, f.st, 0, false, NULL, &n, NULL), MDL_OK);
    assert_int_equal(n, 0);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_maintenance__optimize),
        cmocka_unit_test(test_table_maintenance__optimize_nothing_to_do),
        cmocka_unit_test(test_table_maintenance__vacuum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
