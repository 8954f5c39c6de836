/*
 * test_table_delta_log.c - Delta log snapshots and commits on the local storage backend:
 * replay, time travel by version, idempotent transactions, conflicts, and many processes
 * appending to one table at once without losing or overwriting a commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
    mdl_delta_commit_options o = {0, true, NULL, -1};
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
    mdl_delta_commit_options o = {0, true, "ingest-orders", 7};
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
    mdl_delta_commit_options append = {0, true, NULL, -1};
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
#define COMMITS 25

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
                mdl_delta_commit_options o = {200, true, NULL, -1};
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
    /* versions 0..200 with no gap (the load checks contiguity), every append present */
    assert_int_equal(s->version, WRITERS * COMMITS);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_delta_log__replay_and_time_travel),
        cmocka_unit_test(test_table_delta_log__txn_is_idempotent_under_races),
        cmocka_unit_test(test_table_delta_log__overwrite_conflicts_with_concurrent_append),
        cmocka_unit_test(test_table_delta_log__concurrent_appends_lose_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
