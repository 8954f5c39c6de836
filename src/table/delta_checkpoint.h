/*
 * delta_checkpoint.h - classic Delta checkpoints (PROTOCOL.md "Checkpoints", "Checkpoint
 * Schema", "Last Checkpoint File Schema"): the state of the table at one version as a Parquet
 * file with one row per action (columns txn, add, remove, metaData, protocol, each a struct),
 * and `_delta_log/_last_checkpoint` pointing at the newest one.
 *
 *   _delta_log/00000000000000000010.checkpoint.parquet                      classic, one file
 *   _delta_log/00000000000000000010.checkpoint.0000000001.0000000003.parquet  multi-part (read)
 *   _delta_log/_last_checkpoint   {"version":10,"size":N,"sizeInBytes":B,"numOfAddFiles":A}
 *
 * medallion writes classic single-file checkpoints and reads classic and multi-part ones.
 */
#ifndef MDL_TABLE_DELTA_CHECKPOINT_H
#define MDL_TABLE_DELTA_CHECKPOINT_H

#include "table/delta_log.h"

/* Default commits between checkpoints (table property delta.checkpointInterval). */
#define MDL_DELTA_CHECKPOINT_INTERVAL 10
/* Remove tombstones younger than this are kept in checkpoints (Delta's default
 * delta.deletedFileRetentionDuration, one week). */
#define MDL_DELTA_TOMBSTONE_RETENTION_MS (7LL * 24 * 3600 * 1000)

/* A complete checkpoint found in a listing. */
typedef struct mdl_delta_checkpoint_ref {
    int64_t version;
    int parts; /* 1 for a classic checkpoint */
} mdl_delta_checkpoint_ref;

/*
 * Recognises a checkpoint part in a `_delta_log/` key (without the prefix): sets *version,
 * *part (1-based) and *parts (1 for classic). False for anything else, including UUID-named
 * (V2) checkpoints, which need a reader feature medallion does not support.
 */
bool mdl_table__checkpoint_name(const char *name, int64_t *version, int *part, int *parts);

/* The key of part `part` of `parts` of the checkpoint at `version` into buf (>= 80 bytes). */
void mdl_table__checkpoint_key(int64_t version, int part, int parts, char *buf, size_t cap);

/* The table's checkpoint interval: delta.checkpointInterval when it is a positive integer,
 * else MDL_DELTA_CHECKPOINT_INTERVAL. */
int64_t mdl_table__checkpoint_interval(const mdl_delta_metadata *metadata);

/*
 * Reads the checkpoint `ref` and hands every action in it to `apply` (which may take the
 * action's payload; what it leaves is freed). Errors name the part file.
 */
int mdl_table__checkpoint_read(mdl_ctx *ctx, mdl_storage *st, const mdl_delta_checkpoint_ref *ref,
                               int (*apply)(void *payload, mdl_delta_action *a, mdl_error *err),
                               void *payload, mdl_error *err);

/*
 * Writes the classic checkpoint of `snap` (protocol, metaData, txn, active add actions and
 * remove tombstones younger than MDL_DELTA_TOMBSTONE_RETENTION_MS before now_ms), then
 * `_last_checkpoint` unless it already names a newer version. The checkpoint appears whole or
 * not at all; writing the same version twice is harmless (same content).
 */
int mdl_table__checkpoint_write(mdl_ctx *ctx, mdl_storage *st, const mdl_delta_snapshot *snap,
                                int64_t now_ms, mdl_error *err);

/* The version `_delta_log/_last_checkpoint` names, or -1 when it is absent or unreadable
 * (readers then rely on the listing, as PROTOCOL.md allows). */
int64_t mdl_table__last_checkpoint_version(mdl_ctx *ctx, mdl_storage *st);

#endif
