/*
 * medallion/pipeline.h - running the lake: bronze ingestion of the files a contract's source
 * names (docs/ingest.md). Later the DAG runner, retries and run records join it here.
 */
#ifndef MEDALLION_PIPELINE_H
#define MEDALLION_PIPELINE_H

#include "medallion/contract.h"
#include "medallion/observe.h"
#include "medallion/quality.h"
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
    bool skip_checks;      /* commit without running the contract's checks (not recommended) */
    const char *dq_run_id; /* record each file's check results in _medallion/dq_results under
                              this run id (NULL: not recorded) */
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
    size_t files_checked; /* files whose delivery the contract's checks ran on */
    size_t checks_failed; /* error checks over their threshold, summed over the files */
    size_t checks_warned; /* warnings, summed over the files */
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
 * Write-audit-publish: each file's rows are staged and the contract's checks run on them
 * (thresholds relative to the file's rows; `quarantined` counts its rejects) before anything
 * commits; a failed error check returns MDL_ERR_QUALITY with nothing of that file committed,
 * and the files before it stay ingested.
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
    int64_t now_us;   /* the build time scd2 records, µs since the epoch (0: now) */
    bool skip_checks; /* publish without running the contract's checks (not recommended) */
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
    bool published;   /* the write was committed */
    bool checked;     /* `quality` holds the checks run on the staged data */
    mdl_quality_report quality; /* free with mdl_quality_report_free (also after a failure) */
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
 * as the contract says) on first use. Write-audit-publish: the new data files are staged, the
 * contract's checks run on the table as it would be (out->quality), and the commit happens
 * only when no error-severity check failed — otherwise MDL_ERR_QUALITY, the staged files are
 * deleted and the table keeps its version. Nothing is committed when anything fails.
 */
MDL_API int mdl_build_model(mdl_ctx *ctx, const mdl_contract *contract,
                            const mdl_build_options *opts, mdl_build_result *out, mdl_error *err);

/**
 * The tables a model's SQL reads (<models>/<layer>/<name>.sql; mdl_sql_tables), one
 * allocation freed with mdl_free. Lineage and build order come from here.
 */
MDL_API int mdl_model_sources(mdl_ctx *ctx, const mdl_contract *contract, const char *models_root,
                              char ***out, size_t *count, mdl_error *err);

/* ---- project configuration ----------------------------------------------------------------- */

/*
 * The project configuration (docs/config.md): lakehouse/medallion.yaml with the overlay of one
 * environment, lakehouse/env/<env>.yaml, deep-merged over it (mappings key by key; scalars and
 * lists replace). ${VAR} and ${VAR:-default} in any value come from the environment through an
 * mdl_env_lookup_fn; credentials are never in the config, only the NAMES of the environment
 * variables holding them (*_env keys).
 */

/** An alert channel (`alerts:`). Strings the type does not use are NULL. */
typedef struct mdl_alert_channel_config {
    char *name;
    char *type;         /* "webhook", "email" or "file" */
    char *url;          /* webhook: http(s)://...; email: smtp:// or smtps:// */
    char *from;         /* email */
    char *path;         /* file: the JSON-lines file, resolved like the paths */
    char *username_env; /* email: NAMES of the variables holding the credentials (or NULL) */
    char *password_env;
    char **to; /* email: recipients */
    size_t num_to;
    char **on; /* events: "task_failed", "quality_failed", "sla_missed" */
    size_t num_on;
    int line;         /* where the channel starts */
    const char *file; /* the file it came from (the config's file or env_file) */
} mdl_alert_channel_config;

/** A deadline for a layer ("silver") or a table ("gold.fact_orders") to finish on its run date. */
typedef struct mdl_sla_config {
    char *target;
    int deadline_minutes; /* minutes after 00:00 UTC */
    int line;
    const char *file;
} mdl_sla_config;

typedef struct mdl_config {
    char *file;     /* medallion.yaml as given */
    char *env_file; /* <dir of file>/env/<env>.yaml */
    char *env;
    char *project;
    /* Resolved: a relative path is joined to the directory of `file`; absolute paths and URLs
     * (s3://...) are kept as written. */
    char *lake_root, *landing_root, *contracts_dir, *models_dir;
    int parallelism;  /* run.parallelism, 1..64 (default 2) */
    int max_attempts; /* run.max_attempts, 1..20 (default 3) */
    int64_t retry_base_ms, retry_max_ms, task_timeout_ms;
    char *pii_key_env; /* NAME of the variable holding the masking key (MEDALLION_PII_KEY) */
    bool require_pii_key;
    mdl_sla_config *slas;
    size_t num_slas;
    mdl_alert_channel_config *alerts;
    size_t num_alerts;
    /* Strings of this config (pointers into it) that came from interpolating a variable whose
     * name contains KEY, SECRET, PASSWORD or TOKEN: mdl_config_format prints them as ***. */
    const char **redacted;
    size_t num_redacted;
    mdl_ctx *ctx;
} mdl_config;

/** Looks up an environment variable: its value, or NULL when it is unset. */
typedef const char *(*mdl_env_lookup_fn)(void *user, const char *name);

/** mdl_env_lookup_fn over the process environment (getenv); `user` is unused. */
MDL_API const char *mdl_env_getenv(void *user, const char *name);

/**
 * Loads project_file (lakehouse/medallion.yaml, or a folder holding one) and its overlay
 * env/<env>.yaml beside it, which must exist, merges, interpolates (variables from lookup(user,
 * NAME); a NULL lookup means no variable is set) and validates them as a whole: unknown keys (with
 * a "did you mean"), types, durations, deadlines, ranges, alert channels, SLA targets. The first
 * error is reported as "FILE:LINE:COLUMN: what", FILE being the file the offending value came from:
 * MDL_ERR_PARSE (YAML), MDL_ERR_SCHEMA (a wrong key or value, an unset variable), MDL_ERR_LIMIT (a
 * file over 1 MiB, nesting, ...), MDL_ERR_NOT_FOUND (no such file or environment), MDL_ERR_IO. Free
 * *out with mdl_config_free.
 */
MDL_API int mdl_config_load(mdl_ctx *ctx, const char *project_file, const char *env,
                            mdl_env_lookup_fn lookup, void *user, mdl_config **out, mdl_error *err);

/** mdl_config_load from text (no files are read): base and overlay (NULL: none) by name. */
MDL_API int mdl_config_parse(mdl_ctx *ctx, const char *project_file, const char *base,
                             size_t base_len, const char *env, const char *overlay,
                             size_t overlay_len, mdl_env_lookup_fn lookup, void *user,
                             mdl_config **out, mdl_error *err);

MDL_API void mdl_config_free(mdl_config *c);

/** Whether `value` is one of c's redacted strings (compared by address, not by text). */
MDL_API bool mdl_config_is_redacted(const mdl_config *c, const char *value);

/**
 * Checks that the secrets the config names are in the environment, without reading them into
 * the config: the masking key (pii_key_env, 16 bytes or more) when require_pii_key, and the
 * username_env / password_env variables of email channels. MDL_ERR_NOT_FOUND names the variable
 * (never a value).
 */
MDL_API int mdl_config_check_env(const mdl_config *c, mdl_env_lookup_fn lookup, void *user,
                                 mdl_error *err);

/**
 * Appends the resolved config to out as YAML (valid config text: `$` is written `$$`), with
 * the redacted strings as "***". Secrets themselves are never in a config.
 */
MDL_API int mdl_config_format(const mdl_config *c, mdl_buf *out, mdl_error *err);

/* ---- the pipeline driver (run.c) ----------------------------------------------------------- */

typedef enum mdl_task_status {
    MDL_TASK_PENDING = 0,
    MDL_TASK_SUCCESS,
    MDL_TASK_UP_TO_DATE, /* ran, nothing new to do */
    MDL_TASK_FAILED,
    MDL_TASK_QUALITY_FAILED, /* a check failed: nothing published, not retried */
    MDL_TASK_SKIPPED,        /* an upstream task failed or was skipped */
    MDL_TASK_NOT_SELECTED    /* left out by --select/--exclude, or done in the resumed run */
} mdl_task_status;

MDL_API const char *mdl_task_status_name(mdl_task_status s); /* "success", "quality_failed" */

/** One task: the ingest of a bronze table or the build of a model. */
typedef struct mdl_run_task {
    const mdl_contract *contract;
    const char *table; /* layer.name, the task's name */
    bool is_ingest;
    char **sources; /* the tables a model's SQL reads (one allocation) */
    size_t num_sources;
    size_t *deps; /* indexes of the tasks it waits for */
    size_t num_deps;
    int level; /* longest path from a task without dependencies */
    mdl_task_status status;
    int attempts;
    int rc; /* the last attempt's status */
    char error[MDL_ERROR_MESSAGE_SIZE];
    int64_t started_us, ended_us, retry_at;
    uint64_t rows_in, rows_out, rows_quarantined;
    int64_t version;
    int checks_failed, checks_warned;
    bool up_to_date;
    bool carried; /* not run: done in the run --resume names (recorded, so that this run can
                     be resumed in turn) */
} mdl_run_task;

/** An alert channel and the events it wants ("task_failed", "quality_failed", "sla_missed"). */
typedef struct mdl_run_channel {
    mdl_alert_channel channel;
    const char *const *on;
    size_t num_on;
} mdl_run_channel;

typedef struct mdl_run_options {
    const char *project, *env;
    const char *run_id; /* required: the caller names the run (a UUIDv7) */
    const char *lake_root, *landing_root, *contracts_dir, *models_root;
    int parallelism, max_attempts;
    int64_t retry_base_ms, retry_max_ms, task_timeout_ms;
    const char *pii_key; /* NUL-terminated; never logged */
    size_t memory_bytes;
    int32_t run_date; /* days since the epoch: _ingest_date and the build time (INT32_MIN: today) */
    const char *const *select; /* "silver.orders", "orders", "gold", "tag:x", "+t", "t+" */
    size_t num_select;
    const char *const *exclude;
    size_t num_exclude;
    const char *resume_run_id; /* run only what did not succeed in that run */
    bool dry_run;              /* plan and select only */
    const mdl_run_channel *channels;
    size_t num_channels;
    const mdl_sla_config *slas;
    size_t num_slas;
    /* test hook: a non-MDL_OK status makes that attempt of that task fail with it */
    int (*inject)(void *user, const char *table, int attempt);
    void *inject_user;
    /* progress: "started", "retrying", "attempt_failed", "finished", "skipped" */
    void (*on_event)(void *user, const mdl_run_task *t, const char *what, int attempt);
    void (*on_alert)(void *user, const char *channel, const char *event, int rc, const char *error);
    void *event_user;
} mdl_run_options;

MDL_API void mdl_run_options_init(mdl_run_options *o);

typedef struct mdl_run_result {
    mdl_ctx *ctx;
    mdl_contract_set set; /* the tasks point into it */
    mdl_run_task *tasks;
    size_t num_tasks;
    const char *status; /* "success", "failed", "quality_failed" (or "planned": a dry run) */
    int64_t started_us, ended_us;
    size_t succeeded, up_to_date, failed, quality_failed, skipped, sla_missed;
} mdl_run_result;

/**
 * Runs the project: loads the contracts, plans one task per table (ingest for bronze, build
 * for models; a model waits for the tables its SQL reads), selects, and runs the DAG with
 * `parallelism` tasks at once, each attempt in a child process with a timeout. Transient
 * failures (MDL_ERR_IO, MDL_ERR_CONFLICT, a crashed process) are retried up to max_attempts
 * with exponential backoff and jitter; quality and data failures never. A failed task skips
 * its downstream; independent branches finish. Then alerts (task_failed, quality_failed,
 * sla_missed) go to the channels that want them, and the run and its tasks are appended to
 * <lake>/_medallion/runs and task_runs. Returns MDL_OK when the run happened, whatever its
 * tasks did (see out->status); free out with mdl_run_result_free.
 */
MDL_API int mdl_run(mdl_ctx *ctx, const mdl_run_options *opts, mdl_run_result *out, mdl_error *err);
MDL_API void mdl_run_result_free(mdl_run_result *r);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_PIPELINE_H */
