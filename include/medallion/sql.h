/*
 * medallion/sql.h - SQL over the lake (docs/sql.md): a query text is parsed, its `layer.table`
 * names resolved to the Delta tables under the lake root, type checked, planned and run as a
 * stream of batches.
 */
#ifndef MEDALLION_SQL_H
#define MEDALLION_SQL_H

#include "medallion/core.h"
#include "medallion/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Which snapshot of a table a query reads: `version` (-1: the latest) and, with
 * `since_version` >= 0, only the files added after that version (mdl_table_keep_new_files):
 * the new rows of an append-only table. Incremental models read their sources this way.
 */
typedef struct mdl_sql_table_pin {
    const char *name; /* "bronze.snowflake_orders" */
    int64_t version;
    int64_t since_version;
    mdl_table *table; /* or: read this open table (borrowed; e.g. a staged write's preview,
                         mdl_table_writer_stage); version and since_version are then unused */
} mdl_sql_table_pin;

typedef struct mdl_sql_options {
    const char *lake_root; /* layer.table -> <lake_root>/<layer>/<table> (default "lake") */
    const char *source;    /* what errors call the text: a model file name (default "query") */
    size_t memory_bytes;   /* working memory per sort/join/aggregate (0: the ctx limit) */
    const char *temp_dir;  /* where sorts spill (NULL: $TMPDIR, else /tmp) */
    const mdl_sql_table_pin *pins; /* tables read at a given snapshot (others: the latest) */
    size_t num_pins;
} mdl_sql_options;

MDL_API void mdl_sql_options_init(mdl_sql_options *o);

/**
 * Runs one query (`len` bytes of `sql`) and returns its rows as a stream (the caller
 * releases it). Errors name the source, line and column with the offending token and, for
 * unknown names, the closest existing one.
 */
MDL_API int mdl_sql_query(mdl_ctx *ctx, const char *sql, size_t len, const mdl_sql_options *opts,
                          mdl_batch_stream **out, mdl_error *err);

/**
 * The lake tables a query reads ("bronze.crm_accounts", ...; CTE names are not tables), each
 * once, in reading order (a SELECT's FROM and joins, then its other clauses), as one allocation
 * (free it with mdl_free). The text is only parsed: the tables need not exist. Lineage and
 * incremental builds use it.
 */
MDL_API int mdl_sql_tables(mdl_ctx *ctx, const char *sql, size_t len, const char *source,
                           char ***out, size_t *count, mdl_error *err);

/** The plan of a query as an indented tree, appended to `out`; nothing is run. */
MDL_API int mdl_sql_explain(mdl_ctx *ctx, const char *sql, size_t len, const mdl_sql_options *opts,
                            mdl_buf *out, mdl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_SQL_H */
