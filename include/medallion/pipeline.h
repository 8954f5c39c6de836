/*
 * medallion/pipeline.h - running the lake: bronze ingestion of the files a contract's source
 * names (docs/ingest.md). Later the DAG runner, retries and run records join it here.
 */
#ifndef MEDALLION_PIPELINE_H
#define MEDALLION_PIPELINE_H

#include "medallion/contract.h"
#include "medallion/sql.h"
#include "medallion/table.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where an ingest stands, for progress displays (called between batches). */
typedef struct mdl_ingest_progress {
    const char *table;   /* "bronze.crm_accounts" */
    const char *file;    /* the file being read (relative to the landing root) */
    size_t file_index;   /* 0-based, among the files to ingest */
    size_t num_files;    /* files to ingest in this run (skipped ones not counted) */
    uint64_t bytes_done; /* of all files to ingest */
    uint64_t bytes_total;
    uint64_t rows_read; /* so far, all files */
    uint64_t rows_quarantined;
} mdl_ingest_progress;

typedef void (*mdl_ingest_progress_fn)(void *user, const mdl_ingest_progress *p);

typedef struct mdl_ingest_options {
    const char *landing_root;          /* the source paths are relative to it */
    const char *lake_root;             /* tables go to <lake>/<layer>/<name>, rejects to
                                          <lake>/quarantine/<name> */
    const char *batch_id;              /* _batch_id of this run (NULL: a new UUIDv7) */
    int64_t ingestion_ts;              /* _ingestion_ts, µs since the epoch (0: now) */
    int32_t ingest_date;               /* _ingest_date, days since the epoch (INT32_MIN: the day of
                                          ingestion_ts, UTC) */
    mdl_parquet_write_options parquet; /* data files of both tables */
    mdl_ingest_progress_fn progress;
    void *progress_user;
} mdl_ingest_options;

MDL_API void mdl_ingest_options_init(mdl_ingest_options *o);

/** What one table's ingest did. rows_read = rows_written + rows_quarantined, always. */
typedef struct mdl_ingest_result {
    size_t files_matched;  /* files the source paths name */
    size_t files_ingested; /* read and committed in this run */
    size_t files_skipped;  /* already in the table (a previous run committed them) */
    uint64_t bytes_read;
    uint64_t rows_read;
    uint64_t rows_written;
    uint64_t rows_quarantined;
    int64_t version;      /* the bronze table's version afterwards */
    size_t columns_added; /* by schema evolution */
    double seconds;
} mdl_ingest_result;

/**
 * Ingests the files of a bronze contract's source that the table does not have yet: each file
 * is read with the contract's types (CSV, JSON lines, or a JSON document with the records at
 * `records_path`), rows that do not convert go to quarantine/<name> with the reason, column,
 * raw value, file and line, and the rest get _ingestion_ts, _source_system, _batch_id,
 * _source_file and _ingest_date and are appended to the table — one commit per file, carrying
 * a txn (appId "medallion.ingest:<file>") that marks the file as ingested, so a re-run skips
 * it. A file whose columns the contract does not have fails in schema_mode freeze, adds them
 * (as nullable strings, one metaData commit) in evolve, and has them ignored in the discard
 * modes. Creates both tables on first use.
 */
MDL_API int mdl_ingest_table(mdl_ctx *ctx, const mdl_contract *contract,
                             const mdl_ingest_options *opts, mdl_ingest_result *out,
                             mdl_error *err);

/* ---- models -------------------------------------------------------------------------------- */

typedef struct mdl_build_options {
    const char *lake_root;   /* tables at <lake>/<layer>/<name> (default "lake") */
    const char *models_root; /* the SQL of layer.name at <models>/<layer>/<name>.sql
                                (default "lakehouse/models") */
    size_t memory_bytes;     /* per SQL operator (0: the ctx limit) */
    mdl_parquet_write_options parquet;
    const void *pii_key; /* the key of `pii: hash` columns (HMAC-SHA-256); never logged */
    size_t pii_key_len;
    int64_t now_us; /* the build time scd2 records, µs since the epoch (0: now) */
} mdl_build_options;

MDL_API void mdl_build_options_init(mdl_build_options *o);

typedef struct mdl_build_result {
    uint64_t rows_written; /* rows in the data files this build added */
    /* incremental: keys new / replaced / removed by this run; scd2: versions opened for new
     * keys / keys whose tracked columns changed (old version closed, new one opened) / keys
     * closed because the model no longer returns them */
    uint64_t inserted, updated, deleted;
    uint64_t ignored; /* incremental: rows older (order_by) than the table's row of their key */
    int64_t version;  /* the table's version after the build */
    bool up_to_date;  /* nothing to do (no new source rows; no change): nothing committed */
    double seconds;
} mdl_build_result;

/**
 * Builds a model (a silver or gold contract) from its SQL, as its contract's `materialized:`
 * says (docs/models.md):
 * - table: the result replaces the table's contents in one atomic overwrite commit;
 * - incremental: the SQL reads only the rows its source tables gained since the last build
 *   (recorded as Delta txn (appId "medallion.source:<table>", version) in the target), and
 *   the result is merged on unique_key: the target files holding those keys are rewritten
 *   without them and the new rows added, in one commit; a trailing boolean `_deleted`
 *   column in the result removes its key; with `incremental.order_by` an older row never
 *   replaces a newer one. Nothing new in the sources: nothing is committed (up_to_date);
 * - scd2: the result (one row per key, the current state) is compared with the current
 *   versions on the tracked columns: a change closes the old version (valid_to, is_current
 *   false) and opens a new one; a new key opens one; a key the result no longer has is
 *   closed (on_missing: close) or kept. History accumulates in the table.
 * The query's columns must be the contract's (without the columns scd2 fills), in order, with
 * the same types (MDL_ERR_SCHEMA lists the differences). Columns tagged pii hash, redact,
 * mask_email or last4 are masked before anything is written. Creates the table (partitioned
 * as the contract says) on first use. Nothing is committed when anything fails.
 */
MDL_API int mdl_build_model(mdl_ctx *ctx, const mdl_contract *contract,
                            const mdl_build_options *opts, mdl_build_result *out, mdl_error *err);

/**
 * The tables a model's SQL reads (<models>/<layer>/<name>.sql; mdl_sql_tables), one
 * allocation freed with mdl_free. Lineage and build order come from here.
 */
MDL_API int mdl_model_sources(mdl_ctx *ctx, const mdl_contract *contract, const char *models_root,
                              char ***out, size_t *count, mdl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_PIPELINE_H */
