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
 * schema). MDL_ERR_CONFLICT if the table already exists. Partitioning comes later; pass
 * partition columns only when writing supports them (today: none).
 */
MDL_API int mdl_table_create(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema, const char *name,
                             const char *description, mdl_error *err);

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
MDL_API mdl_schema *mdl_table_schema(const mdl_table *t);
/** Table name and description from metaData (NULL when absent). */
MDL_API const char *mdl_table_name(const mdl_table *t);
MDL_API const char *mdl_table_description(const mdl_table *t);

/** One active data file. Strings are borrowed from the table. */
typedef struct mdl_table_file {
    const char *path; /* relative to the table root */
    int64_t size;
    int64_t modification_time; /* ms since the epoch */
    int64_t num_records;       /* -1 when the file carries no stats */
    const char *stats;         /* add.stats JSON, or NULL */
} mdl_table_file;

MDL_API size_t mdl_table_num_files(const mdl_table *t);
/** The i-th active file, in commit order. */
MDL_API void mdl_table_file_at(const mdl_table *t, size_t i, mdl_table_file *out);
/** The last version committed for a transaction app id, or -1. */
MDL_API int64_t mdl_table_txn_version(const mdl_table *t, const char *app_id);

/** Batches of every active file, in commit order. The stream keeps the table open. */
MDL_API int mdl_table_scan(mdl_table *t, mdl_batch_stream **out, mdl_error *err);

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
    bool overwrite;         /* replace every active file (one atomic commit) */
    const char *txn_app_id; /* with txn_version: the commit happens at most once */
    int64_t txn_version;
    const char *operation; /* commitInfo.operation (default "WRITE") */
} mdl_table_write_options;

MDL_API void mdl_table_write_options_init(mdl_table_write_options *o);

typedef struct mdl_table_writer mdl_table_writer;

/** Starts a write against the latest snapshot. */
MDL_API int mdl_table_writer_open(mdl_ctx *ctx, mdl_storage *st,
                                  const mdl_table_write_options *opts, mdl_table_writer **out,
                                  mdl_error *err);
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
/** Deletes the data files written so far and frees the writer; nothing is committed. */
MDL_API void mdl_table_writer_abort(mdl_table_writer *w);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_TABLE_H */
