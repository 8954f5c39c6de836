/*
 * delta_log.h - the Delta transaction log on top of the storage interface: snapshots built by
 * replaying `_delta_log/NNNNNNNNNNNNNNNNNNNN.json` commits, and commits made with
 * put-if-absent, re-checked and retried when another writer won the race (PROTOCOL.md,
 * "Delta Log Entries" and "Optimistic Concurrency Control"). A snapshot starts from the newest
 * complete checkpoint at or before its version (delta_checkpoint.h) when there is one, else
 * from commit 0; commits at multiples of the checkpoint interval write a new checkpoint.
 */
#ifndef MDL_TABLE_DELTA_LOG_H
#define MDL_TABLE_DELTA_LOG_H

#include "medallion/storage.h"
#include "table/delta_actions.h"

/* The table as of one version. */
typedef struct mdl_delta_snapshot {
    mdl_ctx *ctx;
    int64_t version; /* -1 when the table has no commit yet */
    bool has_protocol, has_metadata;
    mdl_delta_protocol protocol;
    mdl_delta_metadata metadata;
    mdl_delta_actions files;      /* active add actions; removed ones have kind 0 */
    size_t num_files;             /* active ones */
    mdl_hashmap *by_path;         /* path -> index in files.items */
    mdl_hashmap *txns;            /* appId -> latest version */
    mdl_delta_actions tombstones; /* remove actions of files not re-added; replaced: kind 0 */
    mdl_hashmap *tomb_by_path;    /* path -> index in tombstones.items */
    int64_t checkpoint_version;   /* the checkpoint the replay started from, or -1 */
} mdl_delta_snapshot;

/* Loads the snapshot at `version` (-1: the latest). A table without commits loads as
 * version -1 with no protocol or metadata. An unreadable checkpoint is skipped for an older
 * one (or commit 0) when the commits it covers are still there; a gap in the commits after
 * the starting point is MDL_ERR_PARSE. */
int mdl_table__snapshot_load(mdl_ctx *ctx, mdl_storage *st, int64_t version,
                             mdl_delta_snapshot **out, mdl_error *err);
void mdl_table__snapshot_free(mdl_delta_snapshot *snap);
/* Applies actions to a snapshot as if they were the next commit (a staged write's preview);
 * takes their payloads (the list is left to be reset). */
int mdl_table__snapshot_apply(mdl_delta_snapshot *s, mdl_delta_actions *acts, mdl_error *err);
/* Drops every active file from a snapshot (protocol, metadata and txns stay): the base of a
 * preview that holds only a staged write's own files. */
void mdl_table__snapshot_clear_files(mdl_delta_snapshot *s);
/* The newest commit version in the log (-1 when there is none), from a listing only. */
int mdl_table__latest_version(mdl_ctx *ctx, mdl_storage *st, int64_t *version_out, mdl_error *err);
/* The last version committed for `app_id`, or -1. */
int64_t mdl_table__snapshot_txn(const mdl_delta_snapshot *snap, const char *app_id);

typedef struct mdl_delta_commit_options {
    int max_attempts;       /* default 20 */
    bool blind_append;      /* only adds: never conflicts with other appends */
    const char *txn_app_id; /* with txn_version: idempotent commit */
    int64_t txn_version;
    int64_t checkpoint_interval;     /* the table's (mdl_table__checkpoint_interval); 0 = default,
                                        < 0 = never; a commit carrying metaData uses its own */
    const mdl_delta_map *parameters; /* commitInfo.operationParameters (NULL: {}) */
    const mdl_delta_map *metrics;    /* commitInfo.operationMetrics (NULL: none) */
} mdl_delta_commit_options;

/*
 * Commits `actions` (protocol/metadata/add/remove/txn; commitInfo is added here with
 * `operation`) as the version after `read_version`. On a lost race the new commits are read
 * and checked: blind appends never conflict; a commit that removes files conflicts with any
 * concurrent add or remove, and any concurrent metadata or protocol change conflicts; a
 * concurrent commit of the same txn appId with a version at least ours makes this commit a
 * no-op (*noop_out). Retries with exponential backoff and jitter up to max_attempts.
 * After a commit whose version is a multiple of the checkpoint interval, writes a checkpoint;
 * a failure there does not undo the commit: it is logged (warning) through the context.
 */
int mdl_table__commit(mdl_ctx *ctx, mdl_storage *st, int64_t read_version,
                      mdl_delta_actions *actions, const char *operation,
                      const mdl_delta_commit_options *opts, int64_t *version_out, bool *noop_out,
                      mdl_error *err);

/* "_delta_log/00000000000000000042.json" into buf (>= 48 bytes). */
void mdl_table__commit_key(int64_t version, char *buf, size_t cap);

#endif
