/*
 * medallion/table.h - Delta Lake tables: create, open a snapshot (latest or a version),
 * append or overwrite through a writer that commits atomically, scan the active files, and
 * read the history. Tables live in an mdl_storage (a local folder today, S3 later).
 */
#ifndef MEDALLION_TABLE_H
#define MEDALLION_TABLE_H

#include "medallion/storage.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mdl_table mdl_table;

/**
 * Creates an empty table (version 0: protocol reader 1 / writer 2 and metaData with the
 * schema). MDL_ERR_CONFLICT if the table already exists. `partition_columns` (may be NULL
 * when num_partition_columns is 0) name schema columns, not DOUBLE and without repeats, that
 * split the data into Hive-style folders (col=value/...); MDL_ERR_SCHEMA otherwise.
 */
MDL_API int mdl_table_create(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema, const char *name,
                             const char *description, const char *const *partition_columns,
                             size_t num_partition_columns, mdl_error *err);

/**
 * mdl_table_create with table properties (metaData.configuration). Keys outside `delta.` are
 * kept as given (owner, contract names, ...); of Delta's own keys medallion knows and honours
 * `delta.checkpointInterval` (a positive integer: commits between checkpoints, default 10)
 * and `delta.appendOnly` (`true` / `false`: when true, writes that remove files with
 * dataChange — overwrite, replaceWhere — are refused); any other `delta.` key, or a bad
 * value, is MDL_ERR_UNSUPPORTED / MDL_ERR_INVALID_ARG naming it.
 */
MDL_API int mdl_table_create_with_properties(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema,
                                             const char *name, const char *description,
                                             const char *const *partition_columns,
                                             size_t num_partition_columns,
                                             const mdl_key_value *properties, size_t num_properties,
                                             mdl_error *err);
/**
 * Opens the latest version of the table at st, creating it first (as
 * mdl_table_create_with_properties) when there is none; a concurrent creator that wins the
 * race is fine — its table is opened. *created (may be NULL) says whether this call made it.
 * The caller closes *out.
 */
MDL_API int mdl_table_open_or_create(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema,
                                     const char *name, const char *description,
                                     const char *const *partition_columns,
                                     size_t num_partition_columns, const mdl_key_value *properties,
                                     size_t num_properties, mdl_table **out, bool *created,
                                     mdl_error *err);
/** A table property (metaData.configuration) of the snapshot, or NULL. */
MDL_API const char *mdl_table_property(const mdl_table *t, const char *key);
/** The table properties, in the order of the log: how many, and the i-th (borrowed). */
MDL_API size_t mdl_table_num_properties(const mdl_table *t);
MDL_API void mdl_table_property_at(const mdl_table *t, size_t i, const char **key,
                                   const char **value);

/**
 * Adds columns at the end of the schema in one metaData commit ("ADD COLUMNS"); they are
 * made nullable, and rows written before read null in them. A name the table has already is
 * MDL_ERR_SCHEMA; a concurrent metadata change is MDL_ERR_CONFLICT. *version_out may be NULL.
 */
MDL_API int mdl_table_add_columns(mdl_ctx *ctx, mdl_storage *st, const mdl_field_def *fields,
                                  size_t num_fields, int64_t *version_out, mdl_error *err);

/** Opens the snapshot at `version` (-1: latest). MDL_ERR_NOT_FOUND when there is no table. */
MDL_API int mdl_table_open(mdl_ctx *ctx, mdl_storage *st, int64_t version, mdl_table **out,
                           mdl_error *err);
/**
 * Opens the snapshot as of a moment (ms since the epoch): the last version whose commit
 * timestamp (commitInfo.timestamp) is at or before it. MDL_ERR_NOT_FOUND when the table did
 * not exist yet then.
 */
MDL_API int mdl_table_open_at_time(mdl_ctx *ctx, mdl_storage *st, int64_t timestamp_ms,
                                   mdl_table **out, mdl_error *err);
MDL_API void mdl_table_close(mdl_table *t);
MDL_API int64_t mdl_table_version(const mdl_table *t);
/** The checkpoint the snapshot was built from (-1: replayed from commit 0). */
MDL_API int64_t mdl_table_checkpoint_version(const mdl_table *t);
MDL_API mdl_schema *mdl_table_schema(const mdl_table *t);
/** Table name and description from metaData (NULL when absent). */
MDL_API const char *mdl_table_name(const mdl_table *t);
MDL_API const char *mdl_table_description(const mdl_table *t);
/** The partition columns from metaData, in order (borrowed; 0 for an unpartitioned table). */
MDL_API size_t mdl_table_num_partition_columns(const mdl_table *t);
MDL_API const char *mdl_table_partition_column(const mdl_table *t, size_t i);

/** One active data file. Strings are borrowed from the table. */
typedef struct mdl_table_file {
    const char *path; /* relative to the table root */
    int64_t size;
    int64_t modification_time; /* ms since the epoch */
    int64_t num_records;       /* -1 when the file carries no stats */
    const char *stats;         /* add.stats JSON, or NULL */
} mdl_table_file;

MDL_API size_t mdl_table_num_files(const mdl_table *t);
/** Rows of the active files by their stats (numRecords); -1 when a file carries none. */
MDL_API int64_t mdl_table_num_records(const mdl_table *t);
/** The i-th active file, in commit order. */
MDL_API void mdl_table_file_at(const mdl_table *t, size_t i, mdl_table_file *out);
/** The last version committed for a transaction app id, or -1. */
MDL_API int64_t mdl_table_txn_version(const mdl_table *t, const char *app_id);

/**
 * Batches of every active file, in commit order, under the table schema: for a partitioned
 * table the partition columns (which the data files do not hold) are filled in from each
 * file's partition values. The stream keeps the table open.
 */
MDL_API int mdl_table_scan(mdl_table *t, mdl_batch_stream **out, mdl_error *err);
/**
 * mdl_table_scan that skips the files no row of which can match all of `preds` (ANDed): a
 * predicate on a partition column is checked against the file's partition value (null
 * matches only IS_NULL), one on another column against add.stats (min/max/nullCount; DOUBLE
 * columns only by nullCount). Rows are never filtered: a kept file returns all its rows.
 * *files_skipped (nullable) counts the skipped files. An unknown column is MDL_ERR_NOT_FOUND,
 * a value that does not convert to the column's type MDL_ERR_PARSE.
 */
MDL_API int mdl_table_scan_where(mdl_table *t, const mdl_predicate *preds, size_t n,
                                 mdl_batch_stream **out, size_t *files_skipped, mdl_error *err);
/**
 * mdl_table_scan_where reading only some columns: `columns[i]` says whether table column i is
 * read (NULL: all). Batches keep the table schema; the columns not read are all NULL, so
 * positions do not change (the SQL engine passes the columns a query uses).
 */
MDL_API int mdl_table_scan_columns(mdl_table *t, const mdl_predicate *preds, size_t n,
                                   const bool *columns, mdl_batch_stream **out,
                                   size_t *files_skipped, mdl_error *err);

/**
 * mdl_table_scan_columns over a chosen set of files: `files[i]` says whether active file i is
 * read (NULL: all); `columns` as there. A merge reads the files it may rewrite this way.
 */
MDL_API int mdl_table_scan_files(mdl_table *t, const bool *files, const bool *columns,
                                 mdl_batch_stream **out, mdl_error *err);
/**
 * Narrows `t` to the files it has and `older` (an earlier snapshot of the same table) does not:
 * for an append-only table, exactly the rows committed after `older`'s version. Scans of `t`
 * then read only those. Incremental models read their sources this way.
 */
MDL_API int mdl_table_keep_new_files(mdl_table *t, const mdl_table *older, mdl_error *err);

/** One commit of the history. Strings are owned by the list. */
typedef struct mdl_table_commit {
    int64_t version;
    int64_t timestamp; /* ms since the epoch, from commitInfo (or -1) */
    char *operation;   /* commitInfo.operation, or NULL */
    char *commit_info; /* the commitInfo JSON text, or NULL */
    size_t adds, removes;
} mdl_table_commit;

typedef struct mdl_table_history {
    mdl_table_commit *commits; /* newest first */
    size_t count;
} mdl_table_history;

MDL_API int mdl_table_history_read(mdl_ctx *ctx, mdl_storage *st, mdl_table_history *out,
                                   mdl_error *err);
MDL_API void mdl_table_history_free(mdl_ctx *ctx, mdl_table_history *h);

typedef struct mdl_table_write_options {
    mdl_parquet_write_options parquet;
    bool overwrite; /* replace every active file (one atomic commit) */
    /*
     * Delta's replaceWhere: with num_replace_where > 0 the commit removes exactly the active
     * files whose partition values match all of these predicates (ANDed; EQ/LT/LE/GT/GE/IN/
     * IS NULL, as mdl_table_scan_where) and adds the new files; other partitions stay. Every
     * row written must match them too, else the write fails (MDL_ERR_SCHEMA) and nothing is
     * committed. Only partition columns may be named (MDL_ERR_UNSUPPORTED otherwise); an
     * unknown column is MDL_ERR_NOT_FOUND. Takes precedence over `overwrite`. The array is
     * read by mdl_table_writer_open only.
     */
    const mdl_predicate *replace_where;
    size_t num_replace_where;
    const char *txn_app_id; /* with txn_version: the commit happens at most once */
    int64_t txn_version;
    /*
     * Without overwrite or replaceWhere: these active files (paths as mdl_table_file's) are
     * removed in the same commit as the new files are added — a merge's rewritten files. A
     * path that is not active when the writer opens is MDL_ERR_CONFLICT. Copied at open.
     */
    const char *const *remove_paths;
    size_t num_remove_paths;
    /* More (appId, version) pairs recorded in the commit's txn actions (an incremental model
     * records the version of each table it read); copied at open. */
    const mdl_key_value *txns; /* key = appId, value = the version as decimal text */
    size_t num_txns;
    const char *operation; /* commitInfo.operation (default "WRITE") */
} mdl_table_write_options;

MDL_API void mdl_table_write_options_init(mdl_table_write_options *o);

typedef struct mdl_table_writer mdl_table_writer;

/**
 * Starts a write against the latest snapshot. In a partitioned table rows are routed by their
 * partition values into one data file per partition (at most 256 per writer, else
 * MDL_ERR_LIMIT), under col=value/... folders, without the partition columns.
 */
MDL_API int mdl_table_writer_open(mdl_ctx *ctx, mdl_storage *st,
                                  const mdl_table_write_options *opts, mdl_table_writer **out,
                                  mdl_error *err);
/**
 * The replaceWhere predicates as text, as recorded in commitInfo.operationParameters.predicate
 * (e.g. `country = 'US' AND day IN ('2024-01-01', '2024-01-02')`), or NULL without them.
 */
MDL_API const char *mdl_table_writer_predicate(const mdl_table_writer *w);
/** The table schema batches must have. */
MDL_API mdl_schema *mdl_table_writer_schema(const mdl_table_writer *w);
MDL_API int mdl_table_writer_write(mdl_table_writer *w, const mdl_batch *batch, mdl_error *err);
/**
 * Finishes the data files and commits them (with stats) as one Delta commit, retrying lost
 * races. *noop_out is true when the transaction had already been committed (the files written
 * are then deleted). Frees the writer.
 */
MDL_API int mdl_table_writer_commit(mdl_table_writer *w, int64_t *version_out, bool *noop_out,
                                    mdl_error *err);
/**
 * Write-audit-publish: finishes the data files without committing them and returns, in
 * *preview, the table as it will be after the commit (the base snapshot with this write's
 * removes and adds applied), to be scanned and checked. Then mdl_table_writer_commit publishes
 * exactly what was previewed, or mdl_table_writer_abort deletes the staged files. Nothing
 * else can be written after staging. The preview is the caller's (mdl_table_close).
 */
MDL_API int mdl_table_writer_stage(mdl_table_writer *w, mdl_table **preview, mdl_error *err);
/**
 * Like mdl_table_writer_stage, but *added holds only this write's own new files (the rows an
 * append adds, none of the table's earlier ones): what the checks of one delivery read. A
 * writer whose transaction was already committed gives an empty table.
 */
MDL_API int mdl_table_writer_stage_new(mdl_table_writer *w, mdl_table **added, mdl_error *err);
/** Deletes the data files written so far and frees the writer; nothing is committed. */
MDL_API void mdl_table_writer_abort(mdl_table_writer *w);

/* ---- maintenance (table_maintenance.c) --------------------------------------------------- */

/**
 * Compacts small files: the active files smaller than target_file_bytes / 2 (0: 128 MiB) are
 * bin-packed, partition by partition (files of different partitions never mix), in commit order,
 * into groups of up to about target_file_bytes (by file size); each group of two or more is read
 * and rewritten as one new data file (rows keep their order, add.stats as the writer computes them,
 * Parquet options from `parquet`, NULL: defaults). Then one commit, operation "OPTIMIZE", removes
 * the old files and adds the new ones, all with dataChange = false. It is not a blind append, so a
 * concurrent commit that adds or removes files makes it fail with MDL_ERR_CONFLICT (the new files
 * are deleted); the old files stay on storage, for time travel, until vacuum. With fewer than two
 * small files nothing is written: the counts are 0 and *version_out is the current version.
 */
MDL_API int mdl_table_optimize(mdl_ctx *ctx, mdl_storage *st, uint64_t target_file_bytes,
                               const mdl_parquet_write_options *parquet, size_t *files_removed,
                               size_t *files_added, int64_t *version_out, mdl_error *err);

/** The default retention of mdl_table_vacuum: 7 days, in milliseconds. */
#define MDL_TABLE_VACUUM_DEFAULT_RETENTION_MS (7LL * 24 * 60 * 60 * 1000)

/**
 * Deletes the files the table no longer needs: every object under the table root, except
 * the log (_delta_log/) and hidden names (a path component starting with '.' or '_'), that
 * the latest snapshot does not reference as an active file and whose modification time is at
 * least `retention_ms` old (< 0: MDL_TABLE_VACUUM_DEFAULT_RETENTION_MS). Files removed by
 * older commits are deleted too once that old, so time travel to a version older than the
 * retention may then fail: that is Delta's VACUUM. A short retention can also delete a data
 * file a concurrent writer has finished but not committed yet; keep it above the longest
 * write. With dry_run nothing is deleted. *paths_out (nullable; free with
 * mdl_table_vacuum_paths_free) and *count_out are the keys deleted, or that would be, sorted.
 * A table whose active files have absolute paths is refused (MDL_ERR_UNSUPPORTED).
 */
MDL_API int mdl_table_vacuum(mdl_ctx *ctx, mdl_storage *st, int64_t retention_ms, bool dry_run,
                             char ***paths_out, size_t *count_out, mdl_error *err);
MDL_API void mdl_table_vacuum_paths_free(mdl_ctx *ctx, char **paths, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_TABLE_H */
