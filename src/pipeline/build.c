/*
 * build.c - building models (medallion/pipeline.h, docs/models.md): a silver or gold table is
 * its SQL run over the lake, masked by its contract's PII tags and committed as its
 * `materialized:` says. This file holds what every materialization shares and `table`: the
 * result replaces the table's contents in one atomic overwrite commit, so readers see the old
 * version or the new one, never a mix, and a failed query leaves the table as it was.
 * incremental is in build_merge.c, scd2 in build_scd2.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/build_internal.h"

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

int mdl_model_sources(mdl_ctx *ctx, const mdl_contract *c, const char *models_root, char ***out,
                      size_t *count, mdl_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s.sql", models_root ? models_root : "lakehouse/models",
             c->layer, c->name);
    mdl_buf sql;
    mdl_buf_init(&sql, ctx, 1u << 22);
    int rc = read_model(path, &sql, err);
    if (rc == MDL_OK)
        rc = mdl_sql_tables(ctx, sql.data, sql.len, path, out, count, err);
    mdl_buf_reset(&sql);
    return rc;
}

/* The query's columns against the model's: same names, order and types. */
static int check_columns(const build_job *j, const mdl_schema *s, bool deleted_ok, mdl_error *err)
{
    const mdl_contract *c = j->c;
    size_t have = s->num_fields;
    if (deleted_ok && have == j->num_model + 1 &&
        strcmp(s->fields[have - 1].name, MDL_BUILD_DELETED_COLUMN) == 0) {
        if (s->fields[have - 1].type.id != MDL_TYPE_BOOLEAN)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "%s: the model's %s column must be a boolean (true deletes the "
                                 "key), not %s",
                                 c->file, MDL_BUILD_DELETED_COLUMN,
                                 mdl_type_name(s->fields[have - 1].type.id));
        have--;
    }
    char diff[MDL_ERROR_MESSAGE_SIZE] = "";
    size_t len = 0;
    size_t n = j->num_model > have ? j->num_model : have;
    for (size_t i = 0; i < n && len + 80 < sizeof diff; i++) {
        const mdl_contract_column *cc = i < j->num_model ? &c->columns[j->model_col[i]] : NULL;
        const mdl_field *f = i < have ? &s->fields[i] : NULL;
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
                         "alias and CAST in the SELECT, or fix the contract%s",
                         c->file, diff,
                         strcmp(c->materialized, "scd2") == 0
                             ? " (an scd2 model leaves out the surrogate key, valid_from, "
                               "valid_to and is_current: the build fills them)"
                             : "");
}

int mdl_build__query(build_job *j, const mdl_sql_table_pin *pins, size_t num_pins, bool deleted_ok,
                     mdl_batch_stream **out, mdl_error *err)
{
    mdl_sql_options so;
    mdl_sql_options_init(&so);
    so.lake_root = j->o->lake_root;
    so.source = j->sql_path;
    so.memory_bytes = j->o->memory_bytes;
    so.pins = pins;
    so.num_pins = num_pins;
    int rc = mdl_sql_query(j->ctx, j->sql.data, j->sql.len, &so, out, err);
    if (rc == MDL_OK && (rc = check_columns(j, (*out)->schema, deleted_ok, err)) != MDL_OK) {
        mdl_batch_stream_release(*out);
        *out = NULL;
    }
    return rc;
}

int mdl_build__mask(build_job *j, mdl_batch *b, mdl_error *err)
{
    const void *key = j->o->pii_key;
    return mdl_pii_mask_batch(j->rules, j->num_model, key, key ? j->o->pii_key_len : 0, b, err);
}

void mdl_build__rows_free(mdl_ctx *ctx, build_rows *rows)
{
    for (size_t i = 0; i < rows->num_batches; i++)
        mdl_batch_free(rows->batches[i]);
    mdl_free(ctx, rows->batches);
    mdl_free(ctx, rows->batch_of);
    mdl_free(ctx, rows->row_of);
    memset(rows, 0, sizeof *rows);
}

int mdl_build__collect(build_job *j, mdl_batch_stream *s, build_rows *rows, mdl_error *err)
{
    mdl_ctx *ctx = j->ctx;
    memset(rows, 0, sizeof *rows);
    mdl_batch *b = NULL;
    int rc;
    while ((rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
        if (b->num_rows == 0) {
            mdl_batch_free(b);
            continue;
        }
        rc = mdl_build__mask(j, b, err);
        if (rc == MDL_OK && rows->num_batches == rows->cap) {
            size_t cap = rows->cap ? rows->cap * 2 : 16;
            mdl_batch **bs = mdl_realloc(ctx, rows->batches, cap * sizeof *bs);
            if (bs == NULL)
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory collecting a model's rows");
            else
                rows->batches = bs, rows->cap = cap;
        }
        if (rc != MDL_OK) {
            mdl_batch_free(b);
            break;
        }
        rows->batches[rows->num_batches++] = b;
        rows->num_rows += b->num_rows;
    }
    if (rc == MDL_OK && rows->num_rows > UINT32_MAX)
        rc = mdl_error_set(err, MDL_ERR_LIMIT, "%s: %llu rows in one build, over the limit",
                           j->c->table, (unsigned long long)rows->num_rows);
    if (rc == MDL_OK) {
        rows->batch_of = mdl_calloc(ctx, rows->num_rows + 1, sizeof *rows->batch_of);
        rows->row_of = mdl_calloc(ctx, rows->num_rows + 1, sizeof *rows->row_of);
        if (rows->batch_of == NULL || rows->row_of == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory collecting a model's rows");
    }
    uint64_t g = 0;
    for (size_t bi = 0; rc == MDL_OK && bi < rows->num_batches; bi++)
        for (size_t r = 0; r < rows->batches[bi]->num_rows; r++, g++) {
            rows->batch_of[g] = (uint32_t)bi;
            rows->row_of[g] = (uint32_t)r;
        }
    if (rc != MDL_OK)
        mdl_build__rows_free(ctx, rows);
    return rc;
}

int mdl_build__key(const mdl_batch *b, size_t r, const size_t *cols, size_t n, mdl_buf *out,
                   const char *what, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t k = 0; rc == MDL_OK && k < n; k++) {
        const mdl_column *col = &b->columns[cols[k]];
        if (mdl_column_is_null(col, r))
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "%s: key column %s is NULL in a row; a unique_key must be set "
                                 "in every row (filter or coalesce it in the model)",
                                 what, b->schema->fields[cols[k]].name);
        if (col->type.id == MDL_TYPE_STRING) {
            mdl_strview v = mdl_column_str(col, r);
            uint64_t l = v.len; /* length first: ("ab","c") and ("a","bc") differ */
            rc = mdl_buf_append(out, &l, sizeof l, err);
            if (rc == MDL_OK)
                rc = mdl_buf_append(out, v.ptr, v.len, err);
        } else {
            size_t w = mdl_type_width(col->type);
            rc = mdl_buf_append(out, (const char *)col->values + r * w, w, err);
        }
    }
    return rc;
}

int mdl_build__open_target(build_job *j, mdl_table **out, bool *created, mdl_error *err)
{
    const mdl_contract *c = j->c;
    mdl_key_value props[] = {{"medallion.contract", c->file}};
    return mdl_table_open_or_create(j->ctx, j->st, j->schema, c->table, c->description,
                                    (const char *const *)c->partition_by, c->num_partition_by,
                                    props, 1, out, created, err);
}

/* Rows of the committed table (from the files' stats), -1 when unknown. */
static int64_t committed_rows(build_job *j)
{
    mdl_table *t = NULL;
    if (mdl_table_open(j->ctx, j->st, -1, &t, NULL) != MDL_OK)
        return -1;
    int64_t rows = mdl_table_num_records(t);
    mdl_table_close(t);
    return rows;
}

int mdl_build__publish(build_job *j, mdl_table_writer *w, mdl_error *err)
{
    mdl_table *preview = NULL;
    int64_t before = committed_rows(j);
    int rc = mdl_table_writer_stage(w, &preview, err);
    if (rc == MDL_OK && !j->o->skip_checks && j->c->num_checks > 0) {
        mdl_quality_options qo;
        mdl_quality_options_init(&qo);
        qo.lake_root = j->o->lake_root;
        qo.table = preview;
        qo.previous_rows = before;
        qo.now_us = j->o->now_us;
        qo.memory_bytes = j->o->memory_bytes;
        rc = mdl_quality_run(j->ctx, j->c, &qo, &j->out->quality, err);
        j->out->checked = rc == MDL_OK;
        if (rc == MDL_OK && j->out->quality.failed > 0) {
            char outcome[128];
            snprintf(outcome, sizeof outcome,
                     "nothing was published, the table stays at version %lld",
                     (long long)mdl_table_version(preview));
            rc = mdl_quality_error(&j->out->quality, outcome, err);
        }
    }
    mdl_table_close(preview);
    if (rc != MDL_OK) {
        mdl_table_writer_abort(w);
        return rc;
    }
    bool noop;
    j->out->published = true;
    return mdl_table_writer_commit(w, &j->out->version, &noop, err);
}

/* materialized: table — the whole result, one overwrite commit. */
static int build_table(build_job *j, mdl_error *err)
{
    mdl_batch_stream *rows = NULL;
    mdl_table_writer *w = NULL;
    mdl_table *t = NULL;
    bool created;
    int rc = mdl_build__query(j, NULL, 0, false, &rows, err);
    if (rc == MDL_OK)
        rc = mdl_build__open_target(j, &t, &created, err);
    mdl_table_close(t);
    if (rc == MDL_OK) {
        mdl_table_write_options wo;
        mdl_table_write_options_init(&wo);
        wo.parquet = j->o->parquet;
        wo.overwrite = true;
        wo.operation = "CREATE OR REPLACE TABLE AS SELECT";
        rc = mdl_table_writer_open(j->ctx, j->st, &wo, &w, err);
    }
    /* batches are written by position: the column check made names and types agree */
    mdl_batch *b = NULL;
    while (rc == MDL_OK && (rc = mdl_batch_stream_next(rows, &b, err)) == MDL_OK && b != NULL) {
        rc = mdl_build__mask(j, b, err);
        if (rc == MDL_OK)
            rc = mdl_table_writer_write(w, b, err);
        if (rc == MDL_OK)
            j->out->rows_written += b->num_rows;
        mdl_batch_free(b);
    }
    j->out->inserted = j->out->rows_written;
    if (rc == MDL_OK) {
        rc = mdl_build__publish(j, w, err); /* checks the staged data, then commits or not */
        w = NULL;
    }
    mdl_table_writer_abort(w);
    mdl_batch_stream_release(rows);
    return rc;
}

/* Which contract columns the SQL produces (scd2: all but the four the build fills), their
 * masking rules, and where the key columns are among them. */
static int plan_columns(build_job *j, mdl_error *err)
{
    const mdl_contract *c = j->c;
    bool scd2 = strcmp(c->materialized, "scd2") == 0;
    j->model_col = mdl_calloc(j->ctx, c->num_columns, sizeof *j->model_col);
    j->rules = mdl_calloc(j->ctx, c->num_columns, sizeof *j->rules);
    j->key_col = mdl_calloc(j->ctx, c->num_unique_key + 1, sizeof *j->key_col);
    if (j->model_col == NULL || j->rules == NULL || j->key_col == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a build");
    for (size_t i = 0; i < c->num_columns; i++) {
        const char *name = c->columns[i].name;
        if (scd2 && (strcmp(name, c->scd2_surrogate_key) == 0 || strcmp(name, "valid_from") == 0 ||
                     strcmp(name, "valid_to") == 0 || strcmp(name, "is_current") == 0))
            continue;
        for (size_t k = 0; k < c->num_unique_key; k++)
            if (strcmp(c->unique_key[k], name) == 0)
                j->key_col[k] = j->num_model;
        j->rules[j->num_model] = c->columns[i].pii;
        j->model_col[j->num_model++] = i;
    }
    return mdl_contract_check_masking(c, err);
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
    if (c->has_source || c->materialized == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "%s: %s is a bronze table (ingested, not built)", c->file, c->table);
    int64_t t0 = mdl_now_micros();
    build_job j;
    memset(&j, 0, sizeof j);
    j.ctx = ctx;
    j.c = c;
    j.o = opts;
    j.out = out;
    snprintf(j.sql_path, sizeof j.sql_path, "%s/%s/%s.sql", opts->models_root, c->layer, c->name);
    char table_path[4096];
    snprintf(table_path, sizeof table_path, "%s/%s/%s", opts->lake_root, c->layer, c->name);
    mdl_buf_init(&j.sql, ctx, 1u << 22);
    int rc = plan_columns(&j, err);
    if (rc == MDL_OK && mdl_contract_needs_key(c) && opts->pii_key == NULL)
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                           "%s: columns tagged pii: hash need a masking key (set "
                           "MEDALLION_PII_KEY)",
                           c->file);
    if (rc == MDL_OK)
        rc = read_model(j.sql_path, &j.sql, err);
    if (rc == MDL_OK)
        rc =
            mdl_sql_tables(ctx, j.sql.data, j.sql.len, j.sql_path, &j.sources, &j.num_sources, err);
    if (rc == MDL_OK)
        rc = mdl_contract_schema(c, &j.schema, err);
    if (rc == MDL_OK)
        rc = mdl_storage_open_local(ctx, table_path, &j.st, err);
    if (rc == MDL_OK) {
        if (strcmp(c->materialized, "incremental") == 0)
            rc = mdl_build__incremental(&j, err);
        else if (strcmp(c->materialized, "scd2") == 0)
            rc = mdl_build__scd2(&j, err);
        else
            rc = build_table(&j, err);
    }
    mdl_storage_release(j.st);
    mdl_schema_release(j.schema);
    mdl_free(ctx, j.sources);
    mdl_free(ctx, j.model_col);
    mdl_free(ctx, j.rules);
    mdl_free(ctx, j.key_col);
    mdl_buf_reset(&j.sql);
    out->seconds = (double)(mdl_now_micros() - t0) / 1e6;
    if (rc != MDL_OK && err != NULL && strstr(err->message, c->table) == NULL)
        mdl_error_prefix(err, "%s: ", c->table);
    return rc;
}
