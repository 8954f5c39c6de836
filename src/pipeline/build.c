/*
 * build.c - building models (medallion/pipeline.h, docs/models.md): a silver or gold table is
 * its SQL run over the lake; `materialized: table` replaces the table's contents with the
 * result in one atomic overwrite commit, so readers see the old version or the new one,
 * never a mix, and a failed query leaves the table as it was.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/pipeline.h"

void mdl_build_options_init(mdl_build_options *o)
{
    memset(o, 0, sizeof *o);
    o->lake_root = "lake";
    o->models_root = "lakehouse/models";
    mdl_parquet_write_options_init(&o->parquet);
}

static int read_model(const char *path, mdl_buf *out, mdl_error *err)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return mdl_error_set(err, MDL_ERR_NOT_FOUND,
                             "%s: no SQL for this model (write the SELECT there)", path);
    char chunk[8192];
    size_t n;
    int rc = MDL_OK;
    while (rc == MDL_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = mdl_buf_append(out, chunk, n, err);
    fclose(f);
    return rc == MDL_OK ? mdl_buf_terminate(out, err) : rc;
}

/* The query's columns against the contract's: same names, order and types. */
static int check_columns(const mdl_contract *c, const mdl_schema *s, mdl_error *err)
{
    char diff[MDL_ERROR_MESSAGE_SIZE] = "";
    size_t len = 0;
    size_t n = c->num_columns > s->num_fields ? c->num_columns : s->num_fields;
    for (size_t i = 0; i < n && len + 80 < sizeof diff; i++) {
        const mdl_contract_column *cc = i < c->num_columns ? &c->columns[i] : NULL;
        const mdl_field *f = i < s->num_fields ? &s->fields[i] : NULL;
        char ct[64] = "", qt[64] = "";
        if (cc)
            mdl_type_format(cc->type, ct, sizeof ct);
        if (f)
            mdl_type_format(f->type, qt, sizeof qt);
        if (cc && f && strcmp(cc->name, f->name) == 0 && mdl_type_equal(cc->type, f->type))
            continue;
        int w = snprintf(diff + len, sizeof diff - len, "%scolumn %zu: contract %s %s, query %s %s",
                         len ? "; " : "", i + 1, cc ? cc->name : "-", ct, f ? f->name : "-", qt);
        if (w > 0)
            len += (size_t)w < sizeof diff - len ? (size_t)w : sizeof diff - len - 1;
    }
    if (len == 0)
        return MDL_OK;
    return mdl_error_set(err, MDL_ERR_SCHEMA,
                         "%s: the model's SQL does not produce the contract's columns (%s); "
                         "alias and CAST in the SELECT, or fix the contract",
                         c->file, diff);
}

int mdl_build_model(mdl_ctx *ctx, const mdl_contract *c, const mdl_build_options *opts,
                    mdl_build_result *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    out->version = -1;
    mdl_build_options defaults;
    if (opts == NULL) {
        mdl_build_options_init(&defaults);
        opts = &defaults;
    }
    if (c->has_source || c->materialized == NULL || strcmp(c->materialized, "table") != 0)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "%s: %s is materialized '%s'; this version builds 'table' models "
                             "(incremental and scd2 come next)",
                             c->file, c->table, c->materialized ? c->materialized : "append");
    int64_t t0 = mdl_now_micros();
    char sql_path[4096], table_path[4096];
    snprintf(sql_path, sizeof sql_path, "%s/%s/%s.sql", opts->models_root, c->layer, c->name);
    snprintf(table_path, sizeof table_path, "%s/%s/%s", opts->lake_root, c->layer, c->name);
    mdl_buf sql;
    mdl_buf_init(&sql, ctx, 1u << 22);
    mdl_batch_stream *rows = NULL;
    mdl_storage *st = NULL;
    mdl_schema *schema = NULL;
    mdl_table_writer *w = NULL;
    int rc = read_model(sql_path, &sql, err);
    if (rc == MDL_OK) {
        mdl_sql_options so;
        mdl_sql_options_init(&so);
        so.lake_root = opts->lake_root;
        so.source = sql_path;
        so.memory_bytes = opts->memory_bytes;
        rc = mdl_sql_query(ctx, sql.data, sql.len, &so, &rows, err);
    }
    if (rc == MDL_OK)
        rc = check_columns(c, rows->schema, err);
    if (rc == MDL_OK)
        rc = mdl_contract_schema(c, &schema, err);
    if (rc == MDL_OK)
        rc = mdl_storage_open_local(ctx, table_path, &st, err);
    if (rc == MDL_OK) {
        mdl_table *t = NULL;
        mdl_error e;
        int orc = mdl_table_open(ctx, st, -1, &t, &e);
        mdl_table_close(t);
        if (orc == MDL_ERR_NOT_FOUND) {
            mdl_key_value props[] = {{"medallion.contract", c->file}};
            rc = mdl_table_create_with_properties(ctx, st, schema, c->table, c->description,
                                                  (const char *const *)c->partition_by,
                                                  c->num_partition_by, props, 1, err);
        } else if (orc != MDL_OK) {
            rc = orc;
            if (err != NULL)
                *err = e;
        }
    }
    if (rc == MDL_OK) {
        mdl_table_write_options wo;
        mdl_table_write_options_init(&wo);
        wo.parquet = opts->parquet;
        wo.overwrite = true;
        wo.operation = "CREATE OR REPLACE TABLE AS SELECT";
        rc = mdl_table_writer_open(ctx, st, &wo, &w, err);
    }
    /* batches are written by position: the column check above made names and types agree */
    mdl_batch *b = NULL;
    while (rc == MDL_OK && (rc = mdl_batch_stream_next(rows, &b, err)) == MDL_OK && b != NULL) {
        rc = mdl_table_writer_write(w, b, err);
        if (rc == MDL_OK)
            out->rows_written += b->num_rows;
        mdl_batch_free(b);
    }
    if (rc == MDL_OK) {
        bool noop;
        rc = mdl_table_writer_commit(w, &out->version, &noop, err);
        w = NULL;
    }
    mdl_table_writer_abort(w);
    mdl_batch_stream_release(rows);
    mdl_storage_release(st);
    mdl_schema_release(schema);
    mdl_buf_reset(&sql);
    out->seconds = (double)(mdl_now_micros() - t0) / 1e6;
    if (rc != MDL_OK && err != NULL && strstr(err->message, c->table) == NULL)
        mdl_error_prefix(err, "%s: ", c->table);
    return rc;
}
