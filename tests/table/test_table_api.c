/*
 * test_table_api.c - the public Delta table API end to end on the local backend: create,
 * append with statistics, scan back, idempotent transactions, overwrite, time travel, history,
 * a failed commit leaving no data file behind, eight processes appending to one table at
 * once (every commit lands, every row is there once), and the pieces merges use (new files
 * since a snapshot, scans of chosen files, removing named files, several txns).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

static mdl_batch *orders(mdl_ctx *ctx, mdl_schema *s, size_t rows, int64_t first_id)
{
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(ctx, s, rows, &b, NULL), MDL_OK);
    for (size_t r = 0; r < rows; r++) {
        int64_t id = first_id + (int64_t)r;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[0], &id, NULL), MDL_OK);
        if (r % 5 == 0) {
            assert_int_equal(mdl_column_append_null(ctx, &b->columns[1], NULL), MDL_OK);
        } else {
            char name[16];
            int n = snprintf(name, sizeof name, "c%03d", (int)(r % 7));
            assert_int_equal(mdl_column_append_string(ctx, &b->columns[1], name, (size_t)n, NULL),
                             MDL_OK);
        }
        int64_t cents = (int64_t)r * 25;
        assert_int_equal(mdl_column_append_value(ctx, &b->columns[2], &cents, NULL), MDL_OK);
    }
    b->num_rows = rows;
    return b;
}

static int64_t append(mdl_ctx *ctx, mdl_storage *st, mdl_schema *s, size_t rows, int64_t first,
                      bool overwrite, const char *txn, int64_t txn_version, bool *noop)
{
    mdl_table_write_options o;
    mdl_table_write_options_init(&o);
    o.overwrite = overwrite;
    o.txn_app_id = txn;
    o.txn_version = txn_version;
    mdl_table_writer *w;
    mdl_error err;
    if (mdl_table_writer_open(ctx, st, &o, &w, &err) != MDL_OK)
        fail_msg("writer_open: %s", err.message);
    mdl_batch *b = orders(ctx, s, rows, first);
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    mdl_batch_free(b);
    int64_t v;
    if (mdl_table_writer_commit(w, &v, noop, &err) != MDL_OK)
        fail_msg("commit: %s", err.message);
    return v;
}

/* Rows and sum(id) of a scan. */
static void scan(mdl_table *t, size_t *rows, int64_t *sum)
{
    mdl_batch_stream *s;
    assert_int_equal(mdl_table_scan(t, &s, NULL), MDL_OK);
    *rows = 0;
    *sum = 0;
    mdl_batch *b;
    while (mdl_batch_stream_next(s, &b, NULL) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++)
            *sum += mdl_column_i64(&b->columns[0], r);
        *rows += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(s);
}

static void test_table_api__lifecycle(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("lifecycle", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64 not null, customer string, cents int64", &s, NULL),
        MDL_OK);
    mdl_table *t;
    mdl_error err;
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "medallion table create"));
    assert_int_equal(mdl_table_create(&ctx, st, s, "orders", "test orders", NULL, 0, NULL), MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "orders", NULL, NULL, 0, &err),
                     MDL_ERR_CONFLICT);

    bool noop;
    assert_int_equal(append(&ctx, st, s, 1000, 0, false, NULL, -1, &noop), 1);
    assert_int_equal(append(&ctx, st, s, 500, 1000, false, "ingest", 3, &noop), 2);
    assert_false(noop);
    /* the same transaction again: nothing is written */
    assert_int_equal(append(&ctx, st, s, 500, 1000, false, "ingest", 3, &noop), 2);
    assert_true(noop);

    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_version(t), 2);
    assert_string_equal(mdl_table_name(t), "orders");
    assert_string_equal(mdl_table_description(t), "test orders");
    assert_int_equal(mdl_table_num_files(t), 2);
    assert_int_equal(mdl_table_txn_version(t, "ingest"), 3);
    mdl_table_file f;
    mdl_table_file_at(t, 0, &f);
    assert_int_equal(f.num_records, 1000);
    assert_non_null(strstr(f.stats, "\"minValues\":{\"id\":0"));
    assert_non_null(strstr(f.stats, "\"nullCount\":{\"id\":0,\"customer\":200"));
    size_t rows;
    int64_t sum;
    scan(t, &rows, &sum);
    assert_int_equal(rows, 1500);
    assert_int_equal(sum, 1499 * 1500 / 2);
    mdl_table_close(t);

    /* overwrite replaces both files in one commit; version 2 still reads the old data */
    assert_int_equal(append(&ctx, st, s, 10, 5000, true, NULL, -1, &noop), 3);
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 1);
    scan(t, &rows, &sum);
    assert_int_equal(rows, 10);
    assert_int_equal(sum, 5000 * 10 + 45);
    mdl_table_close(t);
    assert_int_equal(mdl_table_open(&ctx, st, 2, &t, NULL), MDL_OK);
    scan(t, &rows, &sum);
    assert_int_equal(rows, 1500);
    mdl_table_close(t);

    mdl_table_history h;
    assert_int_equal(mdl_table_history_read(&ctx, st, &h, NULL), MDL_OK);
    /* time travel by timestamp: as of version 2's commit time we see 1500 rows (commits in
     * the same millisecond resolve to the newest of them) */
    assert_int_equal(mdl_table_open_at_time(&ctx, st, h.commits[1].timestamp, &t, NULL), MDL_OK);
    assert_true(mdl_table_version(t) >= 2);
    mdl_table_close(t);
    assert_int_equal(mdl_table_open_at_time(&ctx, st, h.commits[3].timestamp - 1, &t, &err),
                     MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "has no version as of"));
    assert_int_equal(h.count, 4);
    assert_int_equal(h.commits[0].version, 3);
    assert_int_equal(h.commits[0].adds, 1);
    assert_int_equal(h.commits[0].removes, 2);
    assert_string_equal(h.commits[3].operation, "CREATE TABLE");
    assert_true(h.commits[3].timestamp > 0);
    mdl_table_history_free(&ctx, &h);

    /* an aborted write leaves nothing: still four commits and one data file on disk */
    mdl_table_writer *w;
    assert_int_equal(mdl_table_writer_open(&ctx, st, NULL, &w, NULL), MDL_OK);
    mdl_batch *b = orders(&ctx, s, 10, 0);
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_table_writer_abort(w);
    mdl_storage_list l;
    assert_int_equal(st->list(st, "part-", &l, NULL), MDL_OK);
    assert_int_equal(l.count, 3); /* two overwritten files stay until vacuum, plus the live one */
    mdl_storage_list_free(&ctx, &l);

    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

#define WRITERS 8
#define APPENDS 50
#define ROWS    10

/* 8 processes x 50 appends through the public writer: versions 0..400 without a gap, every
 * row once, and the checkpoints the commits made along the way agree with the commits. */
static void test_table_api__concurrent_writers(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("concurrent", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64 not null, customer string, cents int64", &s, NULL),
        MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "orders", NULL, NULL, 0, NULL), MDL_OK);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            for (int i = 0; i < APPENDS; i++) {
                mdl_table_writer *tw;
                mdl_error err;
                if (mdl_table_writer_open(&ctx, st, NULL, &tw, &err) != MDL_OK)
                    _exit(1);
                mdl_batch *b = orders(&ctx, s, ROWS, ((int64_t)w * APPENDS + i) * ROWS);
                int rc = mdl_table_writer_write(tw, b, &err);
                mdl_batch_free(b);
                int64_t v;
                bool noop;
                if (rc != MDL_OK || mdl_table_writer_commit(tw, &v, &noop, &err) != MDL_OK) {
                    fprintf(stderr, "writer %d append %d: %s\n", w, i, err.message);
                    _exit(2);
                }
            }
            _exit(0);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int status;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    mdl_table *t;
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_version(t), WRITERS * APPENDS);
    assert_int_equal(mdl_table_num_files(t), WRITERS * APPENDS);
    size_t rows;
    int64_t sum;
    scan(t, &rows, &sum);
    int64_t n = WRITERS * APPENDS * ROWS;
    assert_int_equal(rows, n);
    assert_int_equal(sum, n * (n - 1) / 2); /* ids 0..n-1, each once */
    mdl_table_close(t);
    /* every commit file is there: nobody overwrote another writer's version */
    mdl_table_history h;
    assert_int_equal(mdl_table_history_read(&ctx, st, &h, NULL), MDL_OK);
    assert_int_equal(h.count, WRITERS * APPENDS + 1);
    for (size_t i = 0; i < h.count; i++) {
        assert_int_equal(h.commits[i].version, (int64_t)(h.count - 1 - i));
        assert_int_equal(h.commits[i].adds, i + 1 == h.count ? 0 : 1);
    }
    mdl_table_history_free(&ctx, &h);
    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

/* Columns added later read null in the rows written before them. */
static void test_table_api__add_columns(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("evolve", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64 not null, customer string, cents int64", &s, NULL),
        MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "orders", NULL, NULL, 0, NULL), MDL_OK);
    bool noop;
    assert_int_equal(append(&ctx, st, s, 10, 0, false, NULL, -1, &noop), 1);
    mdl_field_def add[] = {{"note", mdl_type_make(MDL_TYPE_STRING), false},
                           {"score", mdl_type_make(MDL_TYPE_DOUBLE), true}};
    int64_t v;
    assert_int_equal(mdl_table_add_columns(&ctx, st, add, 2, &v, NULL), MDL_OK);
    assert_int_equal(v, 2);
    mdl_error err;
    assert_int_equal(mdl_table_add_columns(&ctx, st, add, 1, NULL, &err), MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "already has a column 'note'"));

    mdl_table *t;
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    mdl_schema *ns = mdl_table_schema(t);
    assert_int_equal(ns->num_fields, 5);
    assert_string_equal(ns->fields[3].name, "note");
    assert_true(ns->fields[3].nullable); /* added columns are always nullable */
    /* a write with the new schema, then a scan over old and new files */
    mdl_table_writer *w;
    assert_int_equal(mdl_table_writer_open(&ctx, st, NULL, &w, NULL), MDL_OK);
    mdl_batch *b;
    assert_int_equal(mdl_batch_new(&ctx, ns, 2, &b, NULL), MDL_OK);
    for (int64_t r = 0; r < 2; r++) {
        int64_t id = 100 + r, cents = 5;
        double score = 0.5;
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[0], &id, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_string(&ctx, &b->columns[1], "c", 1, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[2], &cents, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_string(&ctx, &b->columns[3], "hi", 2, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[4], &score, NULL), MDL_OK);
    }
    b->num_rows = 2;
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    mdl_batch_free(b);
    assert_int_equal(mdl_table_writer_commit(w, &v, &noop, NULL), MDL_OK);
    mdl_table_close(t);
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    mdl_batch_stream *bs;
    assert_int_equal(mdl_table_scan(t, &bs, NULL), MDL_OK);
    size_t rows = 0, nulls = 0, his = 0;
    while (mdl_batch_stream_next(bs, &b, NULL) == MDL_OK && b != NULL) {
        assert_int_equal(b->schema->num_fields, 5);
        for (size_t r = 0; r < b->num_rows; r++) {
            nulls += mdl_column_is_null(&b->columns[3], r) && mdl_column_is_null(&b->columns[4], r);
            his += !mdl_column_is_null(&b->columns[3], r);
        }
        rows += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(bs);
    assert_int_equal(rows, 12);
    assert_int_equal(nulls, 10);
    assert_int_equal(his, 2);
    /* time travel to before the change still has the old schema */
    mdl_table_close(t);
    assert_int_equal(mdl_table_open(&ctx, st, 1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_schema(t)->num_fields, 3);
    mdl_table_close(t);
    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

/* A scan of some columns: the others are NULL, positions and rows unchanged. */
static void test_table_api__scan_columns(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("columns", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64 not null, customer string, cents int64", &s, NULL),
        MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "orders", NULL, NULL, 0, NULL), MDL_OK);
    bool noop;
    assert_int_equal(append(&ctx, st, s, 100, 0, false, NULL, -1, &noop), 1);
    assert_int_equal(append(&ctx, st, s, 50, 100, false, NULL, -1, &noop), 2);
    mdl_table *t;
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    bool want[3] = {true, false, true};
    mdl_batch_stream *bs;
    assert_int_equal(mdl_table_scan_columns(t, NULL, 0, want, &bs, NULL, NULL), MDL_OK);
    size_t rows = 0;
    int64_t sum_id = 0, sum_cents = 0;
    mdl_batch *b;
    while (mdl_batch_stream_next(bs, &b, NULL) == MDL_OK && b != NULL) {
        assert_int_equal(b->schema->num_fields, 3);
        for (size_t r = 0; r < b->num_rows; r++) {
            assert_true(mdl_column_is_null(&b->columns[1], r));
            sum_id += mdl_column_i64(&b->columns[0], r);
            sum_cents += mdl_column_i64(&b->columns[2], r);
        }
        rows += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(bs);
    assert_int_equal(rows, 150);
    assert_int_equal(sum_id, 149 * 150 / 2);
    assert_int_equal(sum_cents, 25 * (99 * 100 / 2 + 49 * 50 / 2));
    mdl_table_close(t);
    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

/* What merges need: the files added since a snapshot, a scan of chosen files, and a commit
 * that removes named files and records several txns. */
static void test_table_api__merge_pieces(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("merge", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64 not null, customer string, cents int64", &s, NULL),
        MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "m", NULL, NULL, 0, NULL), MDL_OK);
    bool noop;
    assert_int_equal(append(&ctx, st, s, 10, 0, false, NULL, -1, &noop), 1);
    assert_int_equal(append(&ctx, st, s, 20, 100, false, NULL, -1, &noop), 2);
    assert_int_equal(append(&ctx, st, s, 30, 1000, false, NULL, -1, &noop), 3);

    /* files new since version 1: the 20 + 30 rows */
    mdl_table *t, *old;
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_open(&ctx, st, 1, &old, NULL), MDL_OK);
    assert_int_equal(mdl_table_keep_new_files(t, old, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 2);
    size_t rows;
    int64_t sum;
    scan(t, &rows, &sum);
    assert_int_equal(rows, 50);
    mdl_table_close(t);
    mdl_table_close(old);

    /* a scan of the second file only, reading the id column only */
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    bool files[3] = {false, true, false}, cols[3] = {true, false, false};
    mdl_batch_stream *bs;
    assert_int_equal(mdl_table_scan_files(t, files, cols, &bs, NULL), MDL_OK);
    rows = 0;
    mdl_batch *b;
    while (mdl_batch_stream_next(bs, &b, NULL) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++) {
            assert_true(mdl_column_i64(&b->columns[0], r) >= 100);
            assert_true(mdl_column_i64(&b->columns[0], r) < 120);
            assert_true(mdl_column_is_null(&b->columns[2], r));
        }
        rows += b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(bs);
    assert_int_equal(rows, 20);

    /* replace the second file by 5 rows, recording two txns, in one commit */
    mdl_table_file f1;
    mdl_table_file_at(t, 1, &f1);
    char path1[512];
    snprintf(path1, sizeof path1, "%s", f1.path); /* f1.path is the table's: it goes with it */
    const char *paths[] = {path1};
    mdl_key_value txns[] = {{"medallion.source:bronze.a", "7"}, {"medallion.source:bronze.b", "0"}};
    mdl_table_write_options o;
    mdl_table_write_options_init(&o);
    o.remove_paths = paths;
    o.num_remove_paths = 1;
    o.txns = txns;
    o.num_txns = 2;
    o.operation = "MERGE";
    mdl_table_writer *w;
    mdl_error err;
    if (mdl_table_writer_open(&ctx, st, &o, &w, &err) != MDL_OK)
        fail_msg("%s", err.message);
    b = orders(&ctx, s, 5, 500);
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    mdl_batch_free(b);
    int64_t v;
    assert_int_equal(mdl_table_writer_commit(w, &v, &noop, NULL), MDL_OK);
    assert_int_equal(v, 4);
    mdl_table_close(t);
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    assert_int_equal(mdl_table_num_files(t), 3);
    scan(t, &rows, &sum);
    assert_int_equal(rows, 10 + 30 + 5);
    assert_int_equal(mdl_table_txn_version(t, "medallion.source:bronze.a"), 7);
    assert_int_equal(mdl_table_txn_version(t, "medallion.source:bronze.b"), 0);
    mdl_table_close(t);
    mdl_table_history h;
    assert_int_equal(mdl_table_history_read(&ctx, st, &h, NULL), MDL_OK);
    assert_string_equal(h.commits[0].operation, "MERGE");
    assert_int_equal(h.commits[0].removes, 1);
    assert_int_equal(h.commits[0].adds, 1);
    assert_non_null(strstr(h.commits[0].commit_info, "\"mode\":\"Merge\""));
    mdl_table_history_free(&ctx, &h);

    /* removing a file that is no longer there: a conflict, nothing committed */
    assert_int_equal(mdl_table_writer_open(&ctx, st, &o, &w, &err), MDL_ERR_CONFLICT);
    assert_non_null(strstr(err.message, "no longer in the table"));
    /* a bad txn version */
    mdl_key_value bad[] = {{"x", "-3"}};
    mdl_table_write_options_init(&o);
    o.txns = bad;
    o.num_txns = 1;
    assert_int_equal(mdl_table_writer_open(&ctx, st, &o, &w, &err), MDL_ERR_INVALID_ARG);

    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

/* Write-audit-publish: a staged write is visible in its preview only; commit publishes exactly
 * that, abort leaves no file. */
static void test_table_api__stage(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("stage", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64 not null, customer string, cents int64", &s, NULL),
        MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "w", NULL, NULL, 0, NULL), MDL_OK);
    bool noop;
    assert_int_equal(append(&ctx, st, s, 10, 0, false, NULL, -1, &noop), 1);
    for (int publish = 0; publish < 2; publish++) {
        mdl_table_write_options o;
        mdl_table_write_options_init(&o);
        o.overwrite = true;
        mdl_table_writer *w;
        assert_int_equal(mdl_table_writer_open(&ctx, st, &o, &w, NULL), MDL_OK);
        mdl_batch *b = orders(&ctx, s, 3, 100);
        assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
        mdl_table *preview = NULL;
        assert_int_equal(mdl_table_writer_stage(w, &preview, NULL), MDL_OK);
        mdl_error err;
        assert_int_equal(mdl_table_writer_write(w, b, &err), MDL_ERR_INVALID_ARG);
        mdl_batch_free(b);
        size_t rows;
        int64_t sum;
        scan(preview, &rows, &sum);
        assert_int_equal(rows, 3);
        assert_int_equal(sum, 100 + 101 + 102);
        assert_int_equal(mdl_table_version(preview), 1); /* the version it follows */
        mdl_table_close(preview);
        mdl_table *t;
        assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
        scan(t, &rows, &sum);
        assert_int_equal(rows, 10); /* nothing published yet */
        mdl_table_close(t);
        mdl_storage_list ls;
        assert_int_equal(st->list(st, "", &ls, NULL), MDL_OK);
        size_t before = ls.count;
        mdl_storage_list_free(&ctx, &ls);
        if (publish) {
            int64_t v;
            assert_int_equal(mdl_table_writer_commit(w, &v, &noop, NULL), MDL_OK);
            assert_int_equal(v, 2);
            assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
            scan(t, &rows, &sum);
            assert_int_equal(rows, 3);
            mdl_table_close(t);
        } else {
            mdl_table_writer_abort(w);
            assert_int_equal(st->list(st, "", &ls, NULL), MDL_OK);
            assert_int_equal(ls.count, before - 1); /* the staged data file is gone */
            mdl_storage_list_free(&ctx, &ls);
        }
    }
    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

/* An append's own rows: stage_new shows the staged files alone, stage the whole table after
 * the commit; committing then publishes the append. */
static void test_table_api__stage_new(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("stage_new", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64 not null, customer string, cents int64", &s, NULL),
        MDL_OK);
    assert_int_equal(mdl_table_create(&ctx, st, s, "w", NULL, NULL, 0, NULL), MDL_OK);
    bool noop;
    assert_int_equal(append(&ctx, st, s, 10, 0, false, NULL, -1, &noop), 1);
    mdl_table_write_options o;
    mdl_table_write_options_init(&o);
    mdl_table_writer *w;
    assert_int_equal(mdl_table_writer_open(&ctx, st, &o, &w, NULL), MDL_OK);
    mdl_batch *b = orders(&ctx, s, 3, 100);
    assert_int_equal(mdl_table_writer_write(w, b, NULL), MDL_OK);
    mdl_batch_free(b);
    mdl_table *added = NULL, *after = NULL;
    assert_int_equal(mdl_table_writer_stage_new(w, &added, NULL), MDL_OK);
    assert_int_equal(mdl_table_writer_stage(w, &after, NULL), MDL_OK);
    size_t rows;
    int64_t sum;
    scan(added, &rows, &sum);
    assert_int_equal(rows, 3);
    assert_int_equal(sum, 100 + 101 + 102);
    assert_int_equal(mdl_table_num_files(added), 1);
    scan(after, &rows, &sum);
    assert_int_equal(rows, 13);
    mdl_table_close(added);
    mdl_table_close(after);
    int64_t v;
    assert_int_equal(mdl_table_writer_commit(w, &v, &noop, NULL), MDL_OK);
    assert_int_equal(v, 2);
    mdl_table *t;
    assert_int_equal(mdl_table_open(&ctx, st, -1, &t, NULL), MDL_OK);
    scan(t, &rows, &sum);
    assert_int_equal(rows, 13);
    mdl_table_close(t);
    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

/* open_or_create: the first call creates (version 0, the properties kept), the next opens. */
static void test_table_api__open_or_create(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[512];
    mdl_test_table_dir("open_or_create", dir, sizeof dir);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(&ctx, dir, &st, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, day date", &s, NULL), MDL_OK);
    const char *parts[] = {"day"};
    mdl_key_value props[] = {{"owner", "data-eng"}};
    for (int i = 0; i < 2; i++) {
        mdl_table *t = NULL;
        bool created = i == 1;
        assert_int_equal(
            mdl_table_open_or_create(&ctx, st, s, "t", "d", parts, 1, props, 1, &t, &created, NULL),
            MDL_OK);
        assert_int_equal(created, i == 0);
        assert_int_equal(mdl_table_version(t), 0);
        assert_string_equal(mdl_table_property(t, "owner"), "data-eng");
        mdl_table_close(t);
    }
    /* a schema it cannot create with: the error of the create */
    mdl_storage *st2;
    char dir2[600];
    snprintf(dir2, sizeof dir2, "%s/other", dir);
    assert_int_equal(mdl_storage_open_local(&ctx, dir2, &st2, NULL), MDL_OK);
    const char *bad[] = {"nope"};
    mdl_table *t = NULL;
    mdl_error err = {0, ""};
    assert_int_equal(
        mdl_table_open_or_create(&ctx, st2, s, "t", NULL, bad, 1, NULL, 0, &t, NULL, &err),
        MDL_ERR_SCHEMA);
    assert_null(t);
    assert_non_null(strstr(err.message, "nope"));
    mdl_storage_release(st2);
    mdl_schema_release(s);
    mdl_storage_release(st);
    mdl_test_table_dir_done(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_api__lifecycle),
        cmocka_unit_test(test_table_api__concurrent_writers),
        cmocka_unit_test(test_table_api__add_columns),
        cmocka_unit_test(test_table_api__scan_columns),
        cmocka_unit_test(test_table_api__merge_pieces),
        cmocka_unit_test(test_table_api__stage),
        cmocka_unit_test(test_table_api__stage_new),
        cmocka_unit_test(test_table_api__open_or_create),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
