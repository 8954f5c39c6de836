/*
 * build_internal.h - what the three materializations (build.c: table, build_merge.c:
 * incremental, build_scd2.c: scd2) share: the job (model, SQL, target table, masking rules),
 * running the query, collecting its rows in memory and encoding business keys.
 */
#ifndef MDL_PIPELINE_BUILD_INTERNAL_H
#define MDL_PIPELINE_BUILD_INTERNAL_H

#include "medallion/pipeline.h"

/* The column an incremental model's SQL may add last to delete its key. */
#define MDL_BUILD_DELETED_COLUMN "_deleted"

typedef struct build_job {
    mdl_ctx *ctx;
    const mdl_contract *c;
    const mdl_build_options *o;
    mdl_build_result *out;
    char sql_path[4096];
    mdl_buf sql;
    char **sources; /* the tables the SQL reads (one allocation) */
    size_t num_sources;
    mdl_storage *st;    /* the target table's storage */
    mdl_schema *schema; /* the contract's columns = the table's */
    size_t num_model;   /* columns the SQL produces (scd2: without the four it fills) */
    size_t *model_col;  /* per model column: its index in the contract */
    mdl_pii *rules;     /* per model column: its masking rule */
    size_t *key_col;    /* per unique_key column: its index among the model columns */
} build_job;

/* Rows collected in memory: batches of the query's schema, and a global row numbering. */
typedef struct build_rows {
    mdl_batch **batches;
    size_t num_batches, cap;
    uint64_t num_rows;
    uint32_t *batch_of; /* per global row */
    uint32_t *row_of;
} build_rows;

/* Runs the model's SQL (pins: NULL for the latest of everything); `deleted_ok` lets an
 * incremental model add the `_deleted` column. Checks the columns against the contract. */
int mdl_build__query(build_job *j, const mdl_sql_table_pin *pins, size_t num_pins, bool deleted_ok,
                     mdl_batch_stream **out, mdl_error *err);
/* Masks a batch of the query's schema by the job's rules. */
int mdl_build__mask(build_job *j, mdl_batch *b, mdl_error *err);
/* Pulls the whole stream into `rows` (masked). */
int mdl_build__collect(build_job *j, mdl_batch_stream *s, build_rows *rows, mdl_error *err);
void mdl_build__rows_free(mdl_ctx *ctx, build_rows *rows);
/* Appends the business key of row r (columns `cols`, n of them) to `out` as bytes that are
 * equal exactly when the keys are; a NULL key part is MDL_ERR_SCHEMA naming `what`. */
int mdl_build__key(const mdl_batch *b, size_t r, const size_t *cols, size_t n, mdl_buf *out,
                   const char *what, mdl_error *err);
/* Opens the target table, creating it from the contract on first use; *created says so. */
int mdl_build__open_target(build_job *j, mdl_table **out, bool *created, mdl_error *err);

/* Write-audit-publish: stages the writer's files, runs the contract's checks on the preview
 * (unless disabled) into j->out->quality, and commits only when no error check failed
 * (MDL_ERR_QUALITY otherwise, and the staged files are deleted). Consumes the writer. */
int mdl_build__publish(build_job *j, mdl_table_writer *w, mdl_error *err);

int mdl_build__incremental(build_job *j, mdl_error *err);
int mdl_build__scd2(build_job *j, mdl_error *err);

#endif
