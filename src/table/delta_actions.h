/*
 * delta_actions.h - the Delta Lake log's action layer, internal to the table module.
 *
 * A commit file (_delta_log/NNNNNNNNNNNNNNNNNNNN.json) is newline-delimited JSON with one
 * action per line (delta-io/delta PROTOCOL.md, "Actions"). This header declares C structs
 * for the actions medallion understands at protocol reader 1 / writer 2 (protocol, metaData,
 * add, remove, txn, commitInfo), their parser and serializer, the mapping between Delta's
 * schemaString and mdl_schema, partition value strings, Hive-style folder names, add.path
 * URI encoding and the add.stats JSON. docs/formats/delta.md states the user-facing rules.
 *
 * Ownership: every char * in these structs is owned by the struct and allocated with the
 * context's allocator; mdl_table__action_reset frees one action, mdl_table__actions_reset
 * a whole list.
 */
#ifndef MDL_TABLE_DELTA_ACTIONS_H
#define MDL_TABLE_DELTA_ACTIONS_H

#include "medallion/core.h"

/* The highest protocol versions medallion implements. */
#define MDL_DELTA_READER_VERSION 1
#define MDL_DELTA_WRITER_VERSION 2

/* ---- maps and string lists ---------------------------------------------------------------- */

/** One entry of a Map[String, String]; value NULL stands for JSON null. */
typedef struct mdl_delta_kv {
    char *key;
    char *value;
} mdl_delta_kv;

/** A Map[String, String] kept in insertion order, which is also the order it is written in. */
typedef struct mdl_delta_map {
    size_t count;
    mdl_delta_kv *items;
} mdl_delta_map;

/** Appends key -> value (value may be NULL); both are copied. Keys are not deduplicated. */
int mdl_table__map_put(mdl_ctx *ctx, mdl_delta_map *map, const char *key, const char *value,
                       mdl_error *err);
/** The entry for `key`, or NULL. */
const mdl_delta_kv *mdl_table__map_get(const mdl_delta_map *map, const char *key);
void mdl_table__map_reset(mdl_ctx *ctx, mdl_delta_map *map);

typedef struct mdl_delta_strings {
    size_t count;
    char **items;
} mdl_delta_strings;

int mdl_table__strings_push(mdl_ctx *ctx, mdl_delta_strings *list, const char *s, mdl_error *err);
void mdl_table__strings_reset(mdl_ctx *ctx, mdl_delta_strings *list);

/* ---- actions ------------------------------------------------------------------------------ */

typedef struct mdl_delta_protocol {
    int32_t min_reader_version;
    int32_t min_writer_version;
    mdl_delta_strings reader_features; /* only read, for error messages */
    mdl_delta_strings writer_features;
} mdl_delta_protocol;

typedef struct mdl_delta_metadata {
    char *id;
    char *name;        /* optional, NULL when absent */
    char *description; /* optional */
    char *format_provider;
    mdl_delta_map format_options;
    char *schema_string; /* the JSON text of the schema, unquoted */
    mdl_delta_strings partition_columns;
    mdl_delta_map configuration;
    bool has_created_time;
    int64_t created_time; /* ms since the epoch */
} mdl_delta_metadata;

typedef struct mdl_delta_add {
    char *path; /* decoded: the file's path relative to the table root (or absolute URI) */
    mdl_delta_map partition_values;
    int64_t size;
    int64_t modification_time; /* ms since the epoch */
    bool data_change;
    char *stats; /* the stats JSON text as is, NULL when absent */
} mdl_delta_add;

typedef struct mdl_delta_remove {
    char *path; /* decoded, as in add */
    bool has_deletion_timestamp;
    int64_t deletion_timestamp;
    bool data_change;
    bool has_extended_file_metadata;
    bool extended_file_metadata;
    bool has_partition_values;
    mdl_delta_map partition_values;
    bool has_size;
    int64_t size;
} mdl_delta_remove;

typedef struct mdl_delta_txn {
    char *app_id;
    int64_t version;
    bool has_last_updated;
    int64_t last_updated;
} mdl_delta_txn;

typedef enum mdl_delta_action_kind {
    MDL_DELTA_PROTOCOL = 1,
    MDL_DELTA_METADATA,
    MDL_DELTA_ADD,
    MDL_DELTA_REMOVE,
    MDL_DELTA_TXN,
    MDL_DELTA_COMMIT_INFO
} mdl_delta_action_kind;

typedef struct mdl_delta_action {
    mdl_delta_action_kind kind;
    uint64_t line; /* 1-based line in the commit file it was read from; 0 when built */
    union {
        mdl_delta_protocol protocol;
        mdl_delta_metadata metadata;
        mdl_delta_add add;
        mdl_delta_remove remove;
        mdl_delta_txn txn;
        char *commit_info; /* the commitInfo object's JSON text */
    } u;
} mdl_delta_action;

/** Frees what the action owns and zeroes it. */
void mdl_table__action_reset(mdl_ctx *ctx, mdl_delta_action *action);

/** The actions of one commit, in file order. */
typedef struct mdl_delta_actions {
    mdl_ctx *ctx;
    size_t count, cap;
    mdl_delta_action *items;
    size_t skipped; /* lines with only unknown action keys (cdc, domainMetadata, ...) */
} mdl_delta_actions;

void mdl_table__actions_init(mdl_delta_actions *list, mdl_ctx *ctx);
void mdl_table__actions_reset(mdl_delta_actions *list);
/**
 * Appends `action`, taking over what it owns (also on failure, when it is reset); the
 * caller's struct is zeroed.
 */
int mdl_table__actions_push(mdl_delta_actions *list, mdl_delta_action *action, mdl_error *err);

/**
 * Parses one commit file's bytes and appends its actions to `list`. `name` (e.g.
 * "00000000000000000003.json") prefixes every error with the line number. Lines are bounded
 * by limits.max_record_bytes, nesting by limits.max_json_depth. A protocol action whose
 * minReaderVersion is above 1 fails with MDL_ERR_UNSUPPORTED; the list then keeps the actions
 * appended before the failing line.
 */
int mdl_table__actions_parse(mdl_delta_actions *list, const char *name, const char *data,
                             size_t len, mdl_error *err);

/** Appends one action as a JSON line ending in '\n' (delta_actions_write.c). */
int mdl_table__action_write(mdl_ctx *ctx, const mdl_delta_action *action, mdl_buf *out,
                            mdl_error *err);
/** Appends every action of the list, one line each. */
int mdl_table__actions_write(const mdl_delta_actions *list, mdl_buf *out, mdl_error *err);

/** MDL_OK when medallion may read a table with this protocol, else MDL_ERR_UNSUPPORTED. */
int mdl_table__protocol_check_read(const mdl_delta_protocol *protocol, mdl_error *err);
/** MDL_OK when medallion may write a table with this protocol (reader <= 1, writer <= 2). */
int mdl_table__protocol_check_write(const mdl_delta_protocol *protocol, mdl_error *err);

/**
 * Builds a commitInfo object's JSON text: timestamp (ms), operation, operationParameters,
 * engineInfo "medallion/X.Y.Z" and operationMetrics (omitted when NULL). Map values are
 * written as JSON strings (NULL as null). *out is allocated with the context.
 */
int mdl_table__commit_info_build(mdl_ctx *ctx, int64_t timestamp_ms, const char *operation,
                                 const mdl_delta_map *parameters, const mdl_delta_map *metrics,
                                 char **out, mdl_error *err);

/** Appends s as a JSON string literal (quoted, escaped); s must be valid UTF-8. */
int mdl_table__json_string(mdl_buf *out, const char *s, size_t len, mdl_error *err);

/* ---- schema (delta_schema.c) -------------------------------------------------------------- */

/**
 * Reads a metaData.schemaString ({"type":"struct","fields":[...]}) into a schema.
 * byte/short/integer -> int32, long -> int64, float/double -> double; other types
 * (binary, timestamp_ntz, struct, array, map, ...) fail with MDL_ERR_UNSUPPORTED naming the
 * column. *has_invariants_out (nullable) is set when a column carries "delta.invariants"
 * metadata, which a writer-version-2 writer must enforce.
 */
int mdl_table__schema_from_delta(mdl_ctx *ctx, const char *json, size_t len, mdl_schema **out,
                                 bool *has_invariants_out, mdl_error *err);
/** Appends the schemaString JSON text for `schema`. */
int mdl_table__schema_to_delta(const mdl_schema *schema, mdl_buf *out, mdl_error *err);

/* ---- values, paths (delta_values.c) and stats (delta_stats.c)
 * --------------------------------------------- */

/**
 * The partition value string for row `row` of `col` (PROTOCOL.md "Partition Value
 * Serialization"); *out is NULL for a null value, else allocated with the context.
 * Timestamps are written as ISO-8601 UTC ("2024-01-02T03:04:05.123456Z"), which the
 * protocol recommends over the zone-less "2024-01-02 03:04:05" form.
 */
int mdl_table__partition_value_format(mdl_ctx *ctx, const mdl_column *col, size_t row, char **out,
                                      mdl_error *err);
/**
 * Appends the value that `text` (NULL or "" for null) stands for to `col` (which needs room
 * for one more row). `column` names the column in errors.
 */
int mdl_table__partition_value_parse(mdl_ctx *ctx, const char *column, const char *text,
                                     mdl_column *col, mdl_error *err);

/**
 * The shortest text that reads back as `v` ("0.1", "1e+20"); "NaN", "Infinity" and
 * "-Infinity" as Spark spells them. `cap` must be at least 32.
 */
void mdl_table__format_double(double v, char *buf, size_t cap);

/** Appends a Hive-escaped path segment (Spark's escapePathName); NULL value -> default name. */
int mdl_table__hive_escape(const char *s, mdl_buf *out, mdl_error *err);
/** Appends the unescaped text of a Hive path segment. */
int mdl_table__hive_unescape(const char *s, size_t len, mdl_buf *out, mdl_error *err);
/** Appends "col=value" (both escaped; value NULL gives __HIVE_DEFAULT_PARTITION__). */
int mdl_table__hive_dir(const char *column, const char *value, mdl_buf *out, mdl_error *err);

#define MDL_HIVE_DEFAULT_PARTITION "__HIVE_DEFAULT_PARTITION__"

/** Appends a path as an RFC 2396 URI path (percent-encoding what is not allowed). */
int mdl_table__path_encode(const char *path, size_t len, mdl_buf *out, mdl_error *err);
/** Appends the decoded form of a URI path; a bad escape or %00 is MDL_ERR_PARSE. */
int mdl_table__path_decode(const char *uri, size_t len, mdl_buf *out, mdl_error *err);

/** One column's statistics for mdl_table__stats_build; min/max are row `*_row` of a column. */
typedef struct mdl_delta_col_stats {
    const char *name;
    const mdl_column *min; /* NULL when unknown (or all null) */
    size_t min_row;
    const mdl_column *max;
    size_t max_row;
    int64_t null_count; /* -1 when unknown */
} mdl_delta_col_stats;

/** Strings in minValues/maxValues keep at most this many characters (code points). */
#define MDL_DELTA_STATS_STRING_PREFIX 32

/**
 * Builds the add.stats JSON text {"numRecords":N,"minValues":{..},"maxValues":{..},
 * "nullCount":{..}} into *out (context allocation). Bounds stay correct after truncation:
 * timestamps go down (min) or up (max) to milliseconds, strings are cut to 32 characters
 * for min and to an incremented prefix for max (omitted when none exists); booleans and
 * non-finite doubles have no min/max.
 */
int mdl_table__stats_build(mdl_ctx *ctx, int64_t num_records, const mdl_delta_col_stats *cols,
                           size_t n, char **out, mdl_error *err);

/** add.stats read back against a schema; values that do not fit their column are unknown. */
typedef struct mdl_delta_stats {
    int64_t num_records;   /* -1 when absent */
    mdl_batch *min_values; /* one row under the schema; null = unknown */
    mdl_batch *max_values;
    int64_t *null_count; /* per schema field; -1 when absent */
    size_t num_fields;
} mdl_delta_stats;

int mdl_table__stats_parse(mdl_ctx *ctx, mdl_schema *schema, const char *json, size_t len,
                           mdl_delta_stats *out, mdl_error *err);
void mdl_table__stats_reset(mdl_ctx *ctx, mdl_delta_stats *stats);

#endif /* MDL_TABLE_DELTA_ACTIONS_H */
