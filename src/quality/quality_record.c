/*
 * quality_record.c - check results into the `<lake>/_medallion/dq_results` Delta table
 * (medallion/quality.h): one row per check per run, appended in one commit per report, so
 * the history of a table's quality is queryable with SQL like any other table
 * (`SELECT * FROM _medallion.dq_results`).
 */
#include <stdio.h>
#include <string.h>

#include "medallion/quality.h"

static const char *const SCHEMA =
    "run_id string not null, checked_at timestamp not null, table_name string not null, "
    "table_version int64, check_name string not null, kind string not null, column_name string, "
    "severity string not null, status string not null, failing_rows int64, total_rows int64, "
    "message string, sample string, published boolean not null";

static int put_str(mdl_ctx *ctx, mdl_column *c, const char *s, mdl_error *err)
{
    return s ? mdl_column_append_string(ctx, c, s, strlen(s), err)
             : mdl_column_append_null(ctx, c, err);
}

static int put_i64(mdl_ctx *ctx, mdl_column *c, int64_t v, bool null, mdl_error *err)
{
    return null ? mdl_column_append_null(ctx, c, err) : mdl_column_append_value(ctx, c, &v, err);
}

int mdl_quality_record(mdl_ctx *ctx, const char *lake_root, const char *run_id,
                       const mdl_quality_report *r, bool published, mdl_error *err)
{
    if (r->count == 0)
        return MDL_OK;
    char path[4096], rid[37];
    snprintf(path, sizeof path, "%s/_medallion/dq_results", lake_root ? lake_root : "lake");
    if (run_id == NULL) {
        mdl_uuid u;
        int urc = mdl_uuid_v7(ctx, &u, err);
        if (urc != MDL_OK)
            return urc;
        mdl_uuid_format(&u, rid);
        run_id = rid;
    }
    mdl_storage *st = NULL;
    mdl_schema *schema = NULL;
    mdl_table *t = NULL;
    mdl_table_writer *w = NULL;
    mdl_batch *b = NULL;
    int rc = mdl_storage_open_local(ctx, path, &st, err);
    if (rc == MDL_OK)
        rc = mdl_schema_parse(ctx, SCHEMA, &schema, err);
    if (rc == MDL_OK)
        rc = mdl_table_open_or_create(ctx, st, schema, "_medallion.dq_results",
                                      "Quality check results: one row per check per run.", NULL, 0,
                                      NULL, 0, &t, NULL, err);
    mdl_table_close(t);
    if (rc == MDL_OK) {
        mdl_table_write_options wo;
        mdl_table_write_options_init(&wo);
        wo.operation = "WRITE";
        rc = mdl_table_writer_open(ctx, st, &wo, &w, err);
    }
    if (rc == MDL_OK)
        rc = mdl_batch_new(ctx, mdl_table_writer_schema(w), r->count, &b, err);
    int64_t now = mdl_now_micros();
    for (size_t i = 0; rc == MDL_OK && i < r->count; i++) {
        const mdl_check_result *x = &r->results[i];
        mdl_column *c = b->columns;
        uint8_t pub = published;
        rc = put_str(ctx, &c[0], run_id, err);
        if (rc == MDL_OK)
            rc = mdl_column_append_value(ctx, &c[1], &now, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[2], r->table, err);
        if (rc == MDL_OK)
            rc = put_i64(ctx, &c[3], r->version, r->version < 0, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[4], x->name, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[5], x->kind, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[6], x->column, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[7], x->severity, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[8], mdl_check_status_name(x->status), err);
        if (rc == MDL_OK)
            rc = put_i64(ctx, &c[9], x->failing, x->failing < 0, err);
        if (rc == MDL_OK)
            rc = put_i64(ctx, &c[10], x->total, x->total < 0, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[11], x->message, err);
        if (rc == MDL_OK)
            rc = put_str(ctx, &c[12], x->sample, err);
        if (rc == MDL_OK)
            rc = mdl_column_append_value(ctx, &c[13], &pub, err);
        if (rc == MDL_OK)
            b->num_rows++;
    }
    if (rc == MDL_OK)
        rc = mdl_table_writer_write(w, b, err);
    mdl_batch_free(b);
    if (rc == MDL_OK) {
        int64_t v;
        bool noop;
        rc = mdl_table_writer_commit(w, &v, &noop, err);
        w = NULL;
    }
    mdl_table_writer_abort(w);
    mdl_schema_release(schema);
    mdl_storage_release(st);
    if (rc != MDL_OK)
        mdl_error_prefix(err, "%s: ", path);
    return rc;
}
