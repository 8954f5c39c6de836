/*
 * test_table_delta_log.c - Delta log snapshots and commits on the local storage backend:
 * replay, time travel by version, idempotent transactions, conflicts, many processes
 * appending to one table at once without losing or overwriting a commit, checkpoints (written
 * every ten commits, read back, passed over when damaged) and logs laid out the way Spark
 * leaves them (checkpoints, later commits, cleaned-up history, multi-part checkpoints).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "medallion/table.h"
#include "table/delta_checkpoint.h"
#include "table/delta_log.h"
#include "test_support.h"

static void push_add(mdl_ctx *ctx, mdl_delta_actions *acts, const char *path)
{
    mdl_delta_action a;
    memset(&a, 0, sizeof a);
    a.kind = MDL_DELTA_ADD;
    a.u.add.path = mdl_strdup(ctx, path);
    a.u.add.size = 100;
    a.u.add.modification_time = 1700000000000;
    a.u.add.data_change = true;
    assert_int_equal(mdl_table__actions_push(acts, &a, NULL), MDL_OK);
}

static void push_remove(mdl_ctx *ctx, mdl_delta_actions *acts, const char *path)
{
    mdl_delta_action a;
    memset(&a, 0, sizeof a);
    a.kind = MDL_DELTA_REMOVE;
    a.u.remove.path = mdl_strdup(ctx, path);
    a.u.remove.has_deletion_timestamp = true;
    a.u.remove.deletion_timestamp = 1700000000000;
    a.u.remove.data_change = true;
    assert_int_equal(mdl_table__actions_push(acts, &a, NULL), MDL_OK);
}

static void push_txn(mdl_ctx *ctx, mdl_delta_actions *acts, const char *app, int64_t version)
{
    mdl_delta_action a;
    memset(&a, 0, sizeof a);
    a.kind = MDL_DELTA_TXN;
    a.u.txn.app_id = mdl_strdup(ctx, app);
    a.u.txn.version = version;
    assert_int_equal(mdl_table__actions_push(acts, &a, NULL), MDL_OK);
}

/* Version 0: protocol, metaData for "id int64 not null, name string", and one file. */
static void create_table(mdl_ctx *ctx, mdl_storage *st)
{
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, ctx);
    mdl_delta_action p;
    memset(&p, 0, sizeof p);
    p.kind = MDL_DELTA_PROTOCOL;
    p.u.protocol.min_reader_version = 1;
    p.u.protocol.min_writer_version = 2;
    assert_int_equal(mdl_table__actions_push(&acts, &p, NULL), MDL_OK);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(ctx, "id int64 not null, name string", &s, NULL), MDL_OK);
    mdl_buf js;
    mdl_buf_init(&js, ctx, 0);
    assert_int_equal(mdl_table__schema_to_delta(s, &js, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&js, NULL), MDL_OK);
    mdl_delta_action m;
    memset(&m, 0, sizeof m);
    m.kind = MDL_DELTA_METADATA;
    m.u.metadata.id = mdl_strdup(ctx, "3f1a6c2e-0000-4000-8000-000000000001");
    m.u.metadata.format_provider = mdl_strdup(ctx, "parquet");
    m.u.metadata.schema_string = mdl_strdup(ctx, js.data);
    m.u.metadata.has_created_time = true;
    m.u.metadata.created_time = 1700000000000;
    assert_int_equal(mdl_table__actions_push(&acts, &m, NULL), MDL_OK);
    push_add(ctx, &acts, "part-0000.parquet");
    int64_t v;
    bool noop;
    assert_int_equal(mdl_table__commit(ctx, st, -1, &acts, "CREATE TABLE", NULL, &v, &noop, NULL),
                     MDL_OK);
    assert_int_equal(v, 0);
    assert_false(noop);
    mdl_table__actions_reset(&acts);
    mdl_buf_reset(&js);
    mdl_schema_release(s);
}

static mdl_storage *fresh_table(mdl_ctx *ctx, char *dir)
{
    strcpy(dir, "/tmp/mdl_delta_XXXXXX");
    assert_non_null(mkdtemp(dir));
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(ctx, dir, &st, NULL), MDL_OK);
    return st;
}

static void remove_tree(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static bool has_file(const mdl_delta_snapshot *s, const char *path)
{
    uint64_t idx;
    return mdl_hashmap_get(s->by_path, mdl_sv(path), &idx);
}

static void test_table_delta_log__replay_and_time_travel(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[64];
    mdl_storage *st = fresh_table(&ctx, dir);
    mdl_delta_snapshot *s;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, NULL), MDL_OK);
    assert_int_equal(s->version, -1);
    mdl_table__snapshot_free(s);

    create_table(&ctx, st);
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, &ctx);
    push_add(&ctx, &acts, "part-0001.parquet");
    int64_t v;
    bool noop;
    mdl_delta_commit_options o = {.blind_append = true, .txn_version = -1};
    assert_int_equal(mdl_table__commit(&ctx, st, 0, &acts, "WRITE", &o, &v, &noop, NULL), MDL_OK);
    assert_int_equal(v, 1);
    mdl_table__actions_reset(&acts);
    /* overwrite: remove both, add one */
    mdl_table__actions_init(&acts, &ctx);
    push_remove(&ctx, &acts, "part-0000.parquet");
    push_remove(&ctx, &acts, "part-0001.parquet");
    push_add(&ctx, &acts, "part-0002.parquet");
    assert_int_equal(mdl_table__commit(&ctx, st, 1, &acts, "WRITE", NULL, &v, &noop, NULL), MDL_OK);
    assert_int_equal(v, 2);
    mdl_table__actions_reset(&acts);

    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, NULL), MDL_OK);
    assert_int_equal(s->version, 2);
    assert_int_equal(s->num_files, 1);
    assert_true(has_file(s, "part-0002.parquet"));
    assert_false(has_file(s, "part-0000.parquet"));
    mdl_schema *schema;
    assert_int_equal(mdl_table__schema_from_delta(&ctx, s->metadata.schema_string,
                                                  strlen(s->metadata.schema_string), &schema, NULL,
                                                  NULL),
                     MDL_OK);
    assert_int_equal(schema->num_fields, 2);
    mdl_schema_release(schema);
    mdl_table__snapshot_free(s);

    assert_int_equal(mdl_table__snapshot_load(&ctx, st, 1, &s, NULL), MDL_OK);
    assert_int_equal(s->version, 1);
    assert_int_equal(s->num_files, 2);
    assert_true(has_file(s, "part-0000.parquet") && has_file(s, "part-0001.parquet"));
    mdl_table__snapshot_free(s);

    mdl_error err;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, 9, &s, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "version 9 does not exist (latest is 2)"));
    mdl_storage_release(st);
    remove_tree(dir);
}

static void test_table_delta_log__txn_is_idempotent_under_races(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[64];
    mdl_storage *st = fresh_table(&ctx, dir);
    create_table(&ctx, st);
    mdl_delta_commit_options o = {
        .blind_append = true, .txn_app_id = "ingest-orders", .txn_version = 7};
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, &ctx);
    push_txn(&ctx, &acts, "ingest-orders", 7);
    push_add(&ctx, &acts, "part-0010.parquet");
    int64_t v;
    bool noop;
    assert_int_equal(mdl_table__commit(&ctx, st, 0, &acts, "WRITE", &o, &v, &noop, NULL), MDL_OK);
    assert_false(noop);
    assert_int_equal(v, 1);
    /* The same transaction again, from a writer that read version 0 before it landed. */
    assert_int_equal(mdl_table__commit(&ctx, st, 0, &acts, "WRITE", &o, &v, &noop, NULL), MDL_OK);
    assert_true(noop);
    mdl_table__actions_reset(&acts);
    mdl_delta_snapshot *s;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, NULL), MDL_OK);
    assert_int_equal(s->version, 1);
    assert_int_equal(mdl_table__snapshot_txn(s, "ingest-orders"), 7);
    assert_int_equal(mdl_table__snapshot_txn(s, "other"), -1);
    assert_int_equal(s->num_files, 2);
    mdl_table__snapshot_free(s);
    mdl_storage_release(st);
    remove_tree(dir);
}

static void test_table_delta_log__overwrite_conflicts_with_concurrent_append(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[64];
    mdl_storage *st = fresh_table(&ctx, dir);
    create_table(&ctx, st);
    int64_t v;
    bool noop;
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, &ctx);
    push_add(&ctx, &acts, "part-0001.parquet");
    mdl_delta_commit_options append = {.blind_append = true, .txn_version = -1};
    assert_int_equal(mdl_table__commit(&ctx, st, 0, &acts, "WRITE", &append, &v, &noop, NULL),
                     MDL_OK);
    mdl_table__actions_reset(&acts);
    /* An overwrite planned against version 0 must not silently drop part-0001. */
    mdl_table__actions_init(&acts, &ctx);
    push_remove(&ctx, &acts, "part-0000.parquet");
    push_add(&ctx, &acts, "part-0002.parquet");
    mdl_error err;
    assert_int_equal(mdl_table__commit(&ctx, st, 0, &acts, "WRITE", NULL, &v, &noop, &err),
                     MDL_ERR_CONFLICT);
    assert_string_equal(err.message, "concurrent commit 1 changed files this commit replaces");
    /* A blind append planned against version 0 just lands after it. */
    mdl_table__actions_reset(&acts);
    mdl_table__actions_init(&acts, &ctx);
    push_add(&ctx, &acts, "part-0003.parquet");
    assert_int_equal(mdl_table__commit(&ctx, st, 0, &acts, "WRITE", &append, &v, &noop, NULL),
                     MDL_OK);
    assert_int_equal(v, 2);
    mdl_table__actions_reset(&acts);
    mdl_storage_release(st);
    remove_tree(dir);
}

#define WRITERS 8
#define COMMITS 50

static void test_table_delta_log__concurrent_appends_lose_nothing(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[64];
    mdl_storage *st = fresh_table(&ctx, dir);
    create_table(&ctx, st);
    pid_t pids[WRITERS];
    for (int w = 0; w < WRITERS; w++) {
        pids[w] = fork();
        assert_true(pids[w] >= 0);
        if (pids[w] == 0) {
            int status = 0;
            for (int i = 0; i < COMMITS && status == 0; i++) {
                mdl_delta_snapshot *s;
                mdl_error err;
                if (mdl_table__snapshot_load(&ctx, st, -1, &s, &err) != MDL_OK) {
                    status = 1;
                    break;
                }
                int64_t read_version = s->version;
                mdl_table__snapshot_free(s);
                mdl_delta_actions acts;
                mdl_table__actions_init(&acts, &ctx);
                char path[64];
                snprintf(path, sizeof path, "w%d-%d.parquet", w, i);
                push_add(&ctx, &acts, path);
                mdl_delta_commit_options o = {
                    .max_attempts = 200, .blind_append = true, .txn_version = -1};
                int64_t v;
                bool noop;
                if (mdl_table__commit(&ctx, st, read_version, &acts, "WRITE", &o, &v, &noop,
                                      &err) != MDL_OK)
                    status = 2;
                mdl_table__actions_reset(&acts);
            }
            _exit(status);
        }
    }
    for (int w = 0; w < WRITERS; w++) {
        int status;
        assert_int_equal(waitpid(pids[w], &status, 0), pids[w]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    mdl_delta_snapshot *s;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, NULL), MDL_OK);
    /* versions 0..400 with no gap, every append present */
    assert_int_equal(s->version, WRITERS * COMMITS);
    for (int64_t v = 0; v <= WRITERS * COMMITS; v++) {
        char key[64];
        mdl_storage_entry e;
        mdl_table__commit_key(v, key, sizeof key);
        assert_int_equal(st->stat(st, key, &e, NULL), MDL_OK);
    }
    assert_int_equal(s->num_files, WRITERS * COMMITS + 1);
    for (int w = 0; w < WRITERS; w++)
        for (int i = 0; i < COMMITS; i++) {
            char path[64];
            snprintf(path, sizeof path, "w%d-%d.parquet", w, i);
            assert_true(has_file(s, path));
        }
    mdl_table__snapshot_free(s);
    mdl_storage_release(st);
    remove_tree(dir);
}

/* ---- checkpoints -------------------------------------------------------------------------- */

static void commit_actions(mdl_ctx *ctx, mdl_storage *st, mdl_delta_actions *acts, const char *app,
                           int64_t txn)
{
    mdl_delta_snapshot *s;
    assert_int_equal(mdl_table__snapshot_load(ctx, st, -1, &s, NULL), MDL_OK);
    int64_t read_version = s->version, v;
    mdl_table__snapshot_free(s);
    mdl_delta_commit_options o = {.txn_app_id = app, .txn_version = txn};
    bool noop;
    assert_int_equal(mdl_table__commit(ctx, st, read_version, acts, "WRITE", &o, &v, &noop, NULL),
                     MDL_OK);
    assert_int_equal(v, read_version + 1);
    mdl_table__actions_reset(acts);
}

/* Version 0 plus 24 commits: adds of p1..p24, txn "job" = commit number on every odd one,
 * p3 removed (recently) in commit 15, p5 removed in 16 with an expired tombstone. */
static void build_history(mdl_ctx *ctx, mdl_storage *st)
{
    create_table(ctx, st);
    for (int i = 1; i <= 24; i++) {
        mdl_delta_actions acts;
        mdl_table__actions_init(&acts, ctx);
        char path[64];
        snprintf(path, sizeof path, "p%d.parquet", i);
        push_add(ctx, &acts, path);
        if (i == 15 || i == 16) {
            push_remove(ctx, &acts, i == 15 ? "p3.parquet" : "p5.parquet");
            acts.items[acts.count - 1].u.remove.deletion_timestamp =
                i == 15 ? mdl_now_micros() / 1000 : 1000;
        }
        if (i % 2 == 1)
            push_txn(ctx, &acts, "job", i);
        commit_actions(ctx, st, &acts, i % 2 == 1 ? "job" : NULL, i);
    }
}

static bool exists(mdl_storage *st, const char *key)
{
    mdl_storage_entry e;
    return st->stat(st, key, &e, NULL) == MDL_OK;
}

static size_t live_tombstones(const mdl_delta_snapshot *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->tombstones.count; i++)
        n += s->tombstones.items[i].kind == MDL_DELTA_REMOVE;
    return n;
}

/* Same active files (with stats and partition values), txns, protocol and metadata. */
static void assert_same_state(const mdl_delta_snapshot *a, const mdl_delta_snapshot *b)
{
    assert_int_equal(a->version, b->version);
    assert_int_equal(a->num_files, b->num_files);
    for (size_t i = 0; i < a->files.count; i++) {
        const mdl_delta_action *x = &a->files.items[i];
        if (x->kind != MDL_DELTA_ADD)
            continue;
        uint64_t j;
        assert_true(mdl_hashmap_get(b->by_path, mdl_sv(x->u.add.path), &j));
        const mdl_delta_add *y = &b->files.items[j].u.add;
        assert_int_equal(x->u.add.size, y->size);
        assert_int_equal(x->u.add.modification_time, y->modification_time);
        assert_int_equal(x->u.add.partition_values.count, y->partition_values.count);
        if (x->u.add.stats != NULL || y->stats != NULL)
            assert_string_equal(x->u.add.stats, y->stats);
    }
    assert_int_equal(mdl_hashmap_count(a->txns), mdl_hashmap_count(b->txns));
    assert_int_equal(mdl_table__snapshot_txn(a, "job"), mdl_table__snapshot_txn(b, "job"));
    assert_int_equal(a->protocol.min_reader_version, b->protocol.min_reader_version);
    assert_int_equal(a->protocol.min_writer_version, b->protocol.min_writer_version);
    assert_string_equal(a->metadata.id, b->metadata.id);
    assert_string_equal(a->metadata.schema_string, b->metadata.schema_string);
}

static void test_table_delta_log__checkpoints_every_ten_commits(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char dir[64];
    mdl_storage *st = fresh_table(&ctx, dir);
    build_history(&ctx, st);
    char key[96];
    mdl_table__checkpoint_key(10, 1, 1, key, sizeof key);
    assert_true(exists(st, key));
    mdl_table__checkpoint_key(20, 1, 1, key, sizeof key);
    assert_true(exists(st, key));
    mdl_table__checkpoint_key(15, 1, 1, key, sizeof key);
    assert_false(exists(st, key));
    assert_int_equal(mdl_table__last_checkpoint_version(&ctx, st), 20);

    mdl_delta_snapshot *latest, *at15, *at9;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &latest, NULL), MDL_OK);
    assert_int_equal(latest->version, 24);
    assert_int_equal(latest->checkpoint_version, 20);
    assert_int_equal(latest->num_files, 1 + 24 - 2);
    assert_false(has_file(latest, "p3.parquet"));
    assert_true(has_file(latest, "p24.parquet"));
    assert_int_equal(mdl_table__snapshot_txn(latest, "job"), 23);
    /* The recent tombstone survives the checkpoint; the expired one does not. */
    assert_int_equal(live_tombstones(latest), 1);
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, 15, &at15, NULL), MDL_OK);
    assert_int_equal(at15->checkpoint_version, 10);
    assert_true(has_file(at15, "p15.parquet"));
    assert_false(has_file(at15, "p16.parquet"));
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, 9, &at9, NULL), MDL_OK);
    assert_int_equal(at9->checkpoint_version, -1);
    assert_int_equal(at9->num_files, 10);

    /* The same state from the commits alone. */
    mdl_table__checkpoint_key(10, 1, 1, key, sizeof key);
    assert_int_equal(st->remove(st, key, NULL), MDL_OK);
    mdl_table__checkpoint_key(20, 1, 1, key, sizeof key);
    assert_int_equal(st->remove(st, key, NULL), MDL_OK);
    mdl_delta_snapshot *replayed;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &replayed, NULL), MDL_OK);
    assert_int_equal(replayed->checkpoint_version, -1);
    assert_same_state(latest, replayed);
    assert_int_equal(live_tombstones(replayed), 2);

    /* An explicit checkpoint of the latest version writes the same state. */
    assert_int_equal(mdl_table__checkpoint_write(&ctx, st, replayed, mdl_now_micros() / 1000, NULL),
                     MDL_OK);
    assert_int_equal(mdl_table__last_checkpoint_version(&ctx, st), 24);
    mdl_delta_snapshot *again;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &again, NULL), MDL_OK);
    assert_int_equal(again->checkpoint_version, 24);
    assert_same_state(replayed, again);
    assert_int_equal(live_tombstones(again), 1);

    mdl_table__snapshot_free(latest);
    mdl_table__snapshot_free(at15);
    mdl_table__snapshot_free(at9);
    mdl_table__snapshot_free(replayed);
    mdl_table__snapshot_free(again);
    mdl_storage_release(st);
    remove_tree(dir);
}

typedef struct warnings {
    int count;
    char last[600];
} warnings;

static void collect_warning(void *user, mdl_log_level level, const char *message)
{
    warnings *w = user;
    if (level >= MDL_LOG_WARN) {
        w->count++;
        snprintf(w->last, sizeof w->last, "%s", message);
    }
}

static void test_table_delta_log__damaged_checkpoint_is_passed_over(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    warnings w = {0, ""};
    ctx.log = collect_warning;
    ctx.log_user = &w;
    ctx.log_level = MDL_LOG_WARN;
    char dir[64];
    mdl_storage *st = fresh_table(&ctx, dir);
    build_history(&ctx, st);
    assert_int_equal(w.count, 0);
    /* Cut the newest checkpoint in half: the reader must use checkpoint 10 and commits 11..24. */
    char key[96], path[200];
    mdl_table__checkpoint_key(20, 1, 1, key, sizeof key);
    snprintf(path, sizeof path, "%s/%s", dir, key);
    mdl_storage_entry e;
    assert_int_equal(st->stat(st, key, &e, NULL), MDL_OK);
    assert_int_equal(truncate(path, (off_t)(e.size / 2)), 0);
    mdl_delta_snapshot *s;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, NULL), MDL_OK);
    assert_int_equal(s->version, 24);
    assert_int_equal(s->checkpoint_version, 10);
    assert_int_equal(s->num_files, 23);
    assert_int_equal(w.count, 1);
    assert_non_null(strstr(w.last, "checkpoint 20 not used"));
    assert_non_null(strstr(w.last, "00000000000000000020.checkpoint.parquet"));
    mdl_table__snapshot_free(s);
    /* Without the commits the damaged checkpoint covers, its own error is reported. */
    for (int64_t v = 0; v <= 20; v++) {
        mdl_table__commit_key(v, key, sizeof key);
        assert_int_equal(st->remove(st, key, NULL), MDL_OK);
    }
    mdl_error err;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, &err), MDL_ERR_PARSE);
    if (strstr(err.message, "00000000000000000020.checkpoint.parquet") == NULL)
        fail_msg("unexpected error: %s", err.message);
    mdl_storage_release(st);
    remove_tree(dir);
}

static mdl_storage *fixture_table(mdl_ctx *ctx, const char *name)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/delta/%s", MDL_TEST_DATA_DIR, name);
    mdl_storage *st;
    assert_int_equal(mdl_storage_open_local(ctx, dir, &st, NULL), MDL_OK);
    return st;
}

/* Rows and the sum of `id` over a table version, through the public reader. */
static void scan_totals(mdl_ctx *ctx, mdl_storage *st, int64_t version, int64_t *rows,
                        int64_t *sum_id)
{
    mdl_table *t;
    mdl_error err;
    int rc = mdl_table_open(ctx, st, version, &t, &err);
    if (rc != MDL_OK)
        fail_msg("open %lld: %s", (long long)version, err.message);
    mdl_batch_stream *bs;
    assert_int_equal(mdl_table_scan(t, &bs, &err), MDL_OK);
    size_t id_col = 0;
    mdl_schema *schema = mdl_table_schema(t);
    for (size_t i = 0; i < schema->num_fields; i++)
        if (strcmp(schema->fields[i].name, "id") == 0)
            id_col = i;
    *rows = *sum_id = 0;
    for (;;) {
        mdl_batch *b = NULL;
        rc = mdl_batch_stream_next(bs, &b, &err);
        if (rc != MDL_OK)
            fail_msg("scan: %s", err.message);
        if (b == NULL)
            break;
        const int64_t *ids = b->columns[id_col].values;
        for (size_t r = 0; r < b->num_rows; r++)
            *sum_id += ids[r];
        *rows += (int64_t)b->num_rows;
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(bs);
    mdl_table_close(t);
}

static void test_table_delta_log__spark_layout_checkpoint_and_later_commits(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_storage *st = fixture_table(&ctx, "spark_checkpoint");
    mdl_delta_snapshot *s;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, NULL), MDL_OK);
    assert_int_equal(s->version, 12);
    assert_int_equal(s->checkpoint_version, 10);
    assert_int_equal(s->num_files, 4);
    assert_false(has_file(s, "region=eu/part-00000-a.snappy.parquet"));
    assert_true(has_file(s, "region=eu/part-00004-e.snappy.parquet"));
    assert_int_equal(mdl_table__snapshot_txn(s, "stream-1"), 8);
    assert_int_equal(live_tombstones(s), 2); /* one from the checkpoint, one from commit 12 */
    assert_int_equal(s->metadata.partition_columns.count, 1);
    assert_string_equal(s->metadata.partition_columns.items[0], "region");
    assert_string_equal(
        mdl_table__map_get(&s->metadata.configuration, "delta.checkpointInterval")->value, "10");
    uint64_t i;
    assert_true(mdl_hashmap_get(s->by_path, mdl_sv("region=us/part-00001-b.snappy.parquet"), &i));
    const mdl_delta_add *b = &s->files.items[i].u.add;
    assert_string_equal(mdl_table__map_get(&b->partition_values, "region")->value, "us");
    assert_non_null(strstr(b->stats, "\"numRecords\":10"));
    mdl_table__snapshot_free(s);

    int64_t rows, sum;
    scan_totals(&ctx, st, -1, &rows, &sum);
    assert_int_equal(rows, 30);
    assert_int_equal(sum, (10 + 19) * 10 / 2 + (20 + 24) * 5 / 2 + (25 + 29) * 5 / 2 +
                              (100 + 109) * 10 / 2);
    scan_totals(&ctx, st, 10, &rows, &sum);
    assert_int_equal(rows, 25);
    assert_int_equal(sum, 24 * 25 / 2);
    scan_totals(&ctx, st, 11, &rows, &sum);
    assert_int_equal(rows, 30);
    assert_int_equal(sum, 29 * 30 / 2);

    /* Versions before the checkpoint were cleaned up: no way to rebuild them. */
    mdl_error err;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, 9, &s, &err), MDL_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "version 9"));
    mdl_storage_release(st);
}

static void test_table_delta_log__spark_layout_multipart_checkpoint(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_storage *st = fixture_table(&ctx, "spark_multipart");
    mdl_delta_snapshot *s;
    assert_int_equal(mdl_table__snapshot_load(&ctx, st, -1, &s, NULL), MDL_OK);
    assert_int_equal(s->version, 4);
    /* The two-part checkpoint at 4 lacks part 2: only the complete one at 3 counts. */
    assert_int_equal(s->checkpoint_version, 3);
    assert_int_equal(s->num_files, 3);
    assert_int_equal(mdl_table__snapshot_txn(s, "batch-job"), 3);
    mdl_table__snapshot_free(s);
    int64_t rows, sum;
    scan_totals(&ctx, st, -1, &rows, &sum);
    assert_int_equal(rows, 13);
    assert_int_equal(sum, 12 * 13 / 2);
    scan_totals(&ctx, st, 3, &rows, &sum);
    assert_int_equal(rows, 10);
    mdl_storage_release(st);
}

static void test_table_delta_log__checkpoint_names(void **state)
{
    (void)state;
    int64_t v;
    int part, parts;
    assert_true(
        mdl_table__checkpoint_name("00000000000000000010.checkpoint.parquet", &v, &part, &parts));
    assert_int_equal(v, 10);
    assert_int_equal(parts, 1);
    assert_true(mdl_table__checkpoint_name(
        "00000000000000000007.checkpoint.0000000002.0000000003.parquet", &v, &part, &parts));
    assert_int_equal(v, 7);
    assert_int_equal(part, 2);
    assert_int_equal(parts, 3);
    /* V2 UUID-named checkpoints, impossible part numbers, other log files */
    assert_false(mdl_table__checkpoint_name(
        "00000000000000000010.checkpoint.80a083e8-7026-4e79-81be-64bd76c43a11.parquet", &v, &part,
        &parts));
    assert_false(mdl_table__checkpoint_name(
        "00000000000000000007.checkpoint.0000000004.0000000003.parquet", &v, &part, &parts));
    assert_false(mdl_table__checkpoint_name(
        "00000000000000000007.checkpoint.0000000000.0000000003.parquet", &v, &part, &parts));
    assert_false(mdl_table__checkpoint_name("00000000000000000010.json", &v, &part, &parts));
    assert_false(
        mdl_table__checkpoint_name("0000000000000000001x.checkpoint.parquet", &v, &part, &parts));
    char key[96];
    mdl_table__checkpoint_key(7, 2, 3, key, sizeof key);
    assert_string_equal(key,
                        "_delta_log/00000000000000000007.checkpoint.0000000002.0000000003.parquet");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_delta_log__replay_and_time_travel),
        cmocka_unit_test(test_table_delta_log__txn_is_idempotent_under_races),
        cmocka_unit_test(test_table_delta_log__overwrite_conflicts_with_concurrent_append),
        cmocka_unit_test(test_table_delta_log__concurrent_appends_lose_nothing),
        cmocka_unit_test(test_table_delta_log__checkpoints_every_ten_commits),
        cmocka_unit_test(test_table_delta_log__damaged_checkpoint_is_passed_over),
        cmocka_unit_test(test_table_delta_log__spark_layout_checkpoint_and_later_commits),
        cmocka_unit_test(test_table_delta_log__spark_layout_multipart_checkpoint),
        cmocka_unit_test(test_table_delta_log__checkpoint_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
