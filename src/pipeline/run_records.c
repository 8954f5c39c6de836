/*
 * run_records.c - the run's records: one row per run in <lake>/_medallion/runs and one per task
 * in _medallion/task_runs (Delta tables, created on first use), appended when the run ends, so
 * `medallion runs` and plain SQL answer what ran, when, how often and with what result; and
 * the statuses of an earlier run for --resume.
 */
#include <stdio.h>
#include <string.h>

#include "pipeline/run_internal.h"

static const char *const RUNS_SCHEMA =
    "run_id string not null, project string, env string, run_date date, started_at timestamp "
    "not null, ended_at timestamp not null, status string not null, tasks int64 not null, "
    "succeeded int64 not null, up_to_date int64 not null, failed int64 not null, "
    "quality_failed int64 not null, skipped int64 not null, sla_missed int64 not null, "
    "resumed_from string";

static const char *const TASKS_SCHEMA =
    "run_id string not null, task string not null, kind string not null, status string not "
    "null, attempts int32 not null, started_at timestamp, ended_at timestamp, rows_in int64, "
    "rows_out int64, rows_quarantined int64, version int64, checks_failed int32, checks_warned "
    "int32, error string";

/* An appender: opens (creating) the table and gives a batch of its schema. */
typedef struct appender {
    mdl_ctx *ctx;
    mdl_storage *st;
    mdl_schema *schema;
    mdl_table_writer *w;
    mdl_batch *b;
} appender;

static int open_appender(mdl_ctx *ctx, const char *lake, const char *name, const char *schema,
                         const char *description, size_t rows, appender *a, mdl_error *err)
{
    memset(a, 0, sizeof *a);
    a->ctx = ctx;
    char path[4096], table[128];
    snprintf(path, sizeof path, "%s/_medallion/%s", lake, name);
    snprintf(table, sizeof table, "_medallion.%s", name);
    int rc = mdl_storage_open_local(ctx, path, &a->st, err);
    if (rc == MDL_OK)
        rc = mdl_schema_parse(ctx, schema, &a->schema, err);
    mdl_table *t = NULL;
    if (rc == MDL_OK)
        rc = mdl_table_open_or_create(ctx, a->st, a->schema, table, description, NULL, 0, NULL, 0,
                                      &t, NULL, err);
    mdl_table_close(t);
    if (rc == MDL_OK)
        rc = mdl_table_writer_open(ctx, a->st, NULL, &a->w, err);
    if (rc == MDL_OK)
        rc = mdl_batch_new(ctx, mdl_table_writer_schema(a->w), rows ? rows : 1, &a->b, err);
    return rc;
}

static int close_appender(appender *a, int rc, mdl_error *err)
{
    if (rc == MDL_OK && a->b->num_rows > 0)
        rc = mdl_table_writer_write(a->w, a->b, err);
    if (rc == MDL_OK) {
        int64_t v;
        bool noop;
        rc = mdl_table_writer_commit(a->w, &v, &noop, err);
        a->w = NULL;
    }
    mdl_table_writer_abort(a->w);
    mdl_batch_free(a->b);
    mdl_schema_release(a->schema);
    mdl_storage_release(a->st);
    return rc;
}

static int s(appender *a, size_t c, const char *v, mdl_error *err)
{
    mdl_column *col = &a->b->columns[c];
    return v ? mdl_column_append_string(a->ctx, col, v, strlen(v), err)
             : mdl_column_append_null(a->ctx, col, err);
}

static int i64(appender *a, size_t c, int64_t v, bool null, mdl_error *err)
{
    mdl_column *col = &a->b->columns[c];
    return null ? mdl_column_append_null(a->ctx, col, err)
                : mdl_column_append_value(a->ctx, col, &v, err);
}

static int i32(appender *a, size_t c, int32_t v, bool null, mdl_error *err)
{
    mdl_column *col = &a->b->columns[c];
    return null ? mdl_column_append_null(a->ctx, col, err)
                : mdl_column_append_value(a->ctx, col, &v, err);
}

int mdl_run__record(mdl_ctx *ctx, const mdl_run_options *o, const mdl_run_result *r, mdl_error *err)
{
    appender a;
    int rc = open_appender(ctx, o->lake_root, "task_runs", TASKS_SCHEMA,
                           "Pipeline task runs: one row per task per run.", r->num_tasks, &a, err);
    for (size_t i = 0; rc == MDL_OK && i < r->num_tasks; i++) {
        const mdl_run_task *t = &r->tasks[i];
        /* left out: not recorded, except what a resume carried over from the run it resumed
         * (so that resuming this run in turn knows it is done) */
        if (t->status == MDL_TASK_PENDING || (t->status == MDL_TASK_NOT_SELECTED && !t->carried))
            continue;
        bool ran = t->attempts > 0;
        rc = s(&a, 0, o->run_id, err);
        if (rc == MDL_OK)
            rc = s(&a, 1, t->table, err);
        if (rc == MDL_OK)
            rc = s(&a, 2, t->is_ingest ? "ingest" : "build", err);
        if (rc == MDL_OK)
            rc = s(&a, 3, mdl_task_status_name(t->status), err);
        if (rc == MDL_OK)
            rc = i32(&a, 4, t->attempts, false, err);
        if (rc == MDL_OK)
            rc = i64(&a, 5, t->started_us, !ran, err);
        if (rc == MDL_OK)
            rc = i64(&a, 6, t->ended_us, !ran, err);
        if (rc == MDL_OK)
            rc = i64(&a, 7, (int64_t)t->rows_in, !ran || !t->is_ingest, err);
        if (rc == MDL_OK)
            rc = i64(&a, 8, (int64_t)t->rows_out, !ran, err);
        if (rc == MDL_OK)
            rc = i64(&a, 9, (int64_t)t->rows_quarantined, !ran || !t->is_ingest, err);
        if (rc == MDL_OK)
            rc = i64(&a, 10, t->version, !ran || t->version < 0, err);
        if (rc == MDL_OK)
            rc = i32(&a, 11, t->checks_failed, !ran, err);
        if (rc == MDL_OK)
            rc = i32(&a, 12, t->checks_warned, !ran, err);
        if (rc == MDL_OK)
            rc = s(&a, 13, t->error[0] ? t->error : NULL, err);
        if (rc == MDL_OK)
            a.b->num_rows++;
    }
    rc = close_appender(&a, rc, err);
    if (rc == MDL_OK)
        rc = open_appender(ctx, o->lake_root, "runs", RUNS_SCHEMA,
                           "Pipeline runs: one row per run.", 1, &a, err);
    else
        return rc;
    size_t tasks = 0;
    for (size_t i = 0; i < r->num_tasks; i++)
        tasks += r->tasks[i].status != MDL_TASK_NOT_SELECTED;
    int32_t day =
        o->run_date != INT32_MIN ? o->run_date : (int32_t)(r->started_us / INT64_C(86400000000));
    if (rc == MDL_OK)
        rc = s(&a, 0, o->run_id, err);
    if (rc == MDL_OK)
        rc = s(&a, 1, o->project, err);
    if (rc == MDL_OK)
        rc = s(&a, 2, o->env, err);
    if (rc == MDL_OK)
        rc = i32(&a, 3, day, false, err);
    if (rc == MDL_OK)
        rc = i64(&a, 4, r->started_us, false, err);
    if (rc == MDL_OK)
        rc = i64(&a, 5, r->ended_us, false, err);
    if (rc == MDL_OK)
        rc = s(&a, 6, r->status, err);
    const int64_t counts[] = {
        (int64_t)tasks,        (int64_t)r->succeeded,      (int64_t)r->up_to_date,
        (int64_t)r->failed,    (int64_t)r->quality_failed, (int64_t)r->skipped,
        (int64_t)r->sla_missed};
    for (size_t k = 0; rc == MDL_OK && k < 7; k++)
        rc = i64(&a, 7 + k, counts[k], false, err);
    if (rc == MDL_OK)
        rc = s(&a, 14, o->resume_run_id, err);
    if (rc == MDL_OK)
        a.b->num_rows++;
    return close_appender(&a, rc, err);
}

int mdl_run__previous(mdl_ctx *ctx, const char *lake_root, const char *run_id,
                      void (*fn)(void *user, const char *table, const char *status), void *user,
                      mdl_error *err)
{
    for (const char *p = run_id; *p; p++)
        if (!(*p == '-' || (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
              (*p >= 'A' && *p <= 'Z') || *p == '_'))
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "'%s' is not a run id", run_id);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT task, status FROM _medallion.task_runs WHERE run_id = '%s' ORDER BY task",
             run_id);
    mdl_sql_options so;
    mdl_sql_options_init(&so);
    so.lake_root = lake_root;
    mdl_batch_stream *st = NULL;
    int rc = mdl_sql_query(ctx, sql, strlen(sql), &so, &st, err);
    size_t seen = 0;
    mdl_batch *b = NULL;
    while (rc == MDL_OK && (rc = mdl_batch_stream_next(st, &b, err)) == MDL_OK && b != NULL) {
        for (size_t r = 0; r < b->num_rows; r++) {
            char table[512], status[64];
            mdl_strview t = mdl_column_str(&b->columns[0], r),
                        x = mdl_column_str(&b->columns[1], r);
            snprintf(table, sizeof table, "%.*s", (int)t.len, t.ptr);
            snprintf(status, sizeof status, "%.*s", (int)x.len, x.ptr);
            fn(user, table, status);
            seen++;
        }
        mdl_batch_free(b);
    }
    mdl_batch_stream_release(st);
    if (rc == MDL_OK && seen == 0)
        rc = mdl_error_set(err, MDL_ERR_NOT_FOUND,
                           "no run '%s' in %s/_medallion/task_runs (see 'medallion runs list')",
                           run_id, lake_root);
    return rc;
}
