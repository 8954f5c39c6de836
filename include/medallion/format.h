/*
 * medallion/format.h - file formats: sequential byte inputs, the CSV reader and the
 * JSON-lines reader (Parquet joins them later). Readers stream record batches in bounded
 * memory and report every row they cannot convert instead of dropping it.
 */
#ifndef MEDALLION_FORMAT_H
#define MEDALLION_FORMAT_H

#include "medallion/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- sequential inputs ------------------------------------------------------------------- */

/** A sequential byte source. `read` stores 0 in *n_out at the end of the input. */
typedef struct mdl_input mdl_input;
struct mdl_input {
    int (*read)(mdl_input *self, void *buf, size_t cap, size_t *n_out, mdl_error *err);
    void (*close)(mdl_input *self);
    const char *name; /* shown in errors, e.g. the file path */
    void *private_data;
};

/** Opens a file for sequential reading ("-" is standard input). */
MDL_API int mdl_input_open_file(mdl_ctx *ctx, const char *path, mdl_input **out, mdl_error *err);
/** Reads from borrowed memory; `name` is copied. */
MDL_API int mdl_input_open_memory(mdl_ctx *ctx, const void *data, size_t len, const char *name,
                                  mdl_input **out, mdl_error *err);
/** Closes and frees the input; NULL is fine. */
MDL_API void mdl_input_close(mdl_input *in);

/* ---- rejected rows ----------------------------------------------------------------------- */

/**
 * A row a reader could not convert. Everything is borrowed for the duration of the callback.
 * `column` is NULL when the record as a whole is wrong (field count, unterminated quote).
 */
typedef struct mdl_reject {
    const char *source; /* input name */
    uint64_t line;      /* 1-based line where the record starts */
    uint64_t offset;    /* byte offset of the record start */
    const char *column; /* column name, or NULL */
    long column_index;  /* 0-based schema column index, or -1 */
    mdl_strview value;  /* the raw field value (at most 256 bytes of it) */
    mdl_strview record; /* the raw record (at most 4096 bytes of it) */
    int code;           /* MDL_ERR_PARSE, MDL_ERR_RANGE, MDL_ERR_LIMIT, MDL_ERR_SCHEMA */
    const char *reason; /* one line: "'2024-13-01' is not a date" */
} mdl_reject;

/** Return MDL_OK to continue reading, anything else to stop with that status. */
typedef int (*mdl_reject_fn)(void *payload, const mdl_reject *reject);

/** What a reader has done so far. */
typedef struct mdl_read_stats {
    uint64_t bytes_read;    /* bytes consumed from the input */
    uint64_t rows_read;     /* records seen (good + rejected), header excluded */
    uint64_t rows_rejected; /* records reported through the reject callback */
    uint64_t lines;         /* physical lines consumed */
} mdl_read_stats;

/** Formats a reject as one line: "file:line: column 'c': reason". Returns the length. */
MDL_API size_t mdl_reject_format(const mdl_reject *reject, char *buf, size_t cap);

/* ---- CSV --------------------------------------------------------------------------------- */

typedef struct mdl_csv_options {
    char delimiter;                 /* default ',' */
    char quote;                     /* default '"'; 0 disables quoting */
    bool header;                    /* first record names the columns (default true) */
    const char *const *null_tokens; /* unquoted values read as NULL (default: only "") */
    size_t num_null_tokens;
    size_t chunk_bytes;      /* read size (default 1 MiB) */
    size_t infer_rows;       /* rows sampled for schema inference (default 10000) */
    mdl_reject_fn on_reject; /* NULL: the first bad row fails the read */
    void *reject_payload;
} mdl_csv_options;

MDL_API void mdl_csv_options_init(mdl_csv_options *opts);

typedef struct mdl_csv_reader mdl_csv_reader;

/**
 * Opens a CSV reader over `in` (ownership passes to the reader, also on failure).
 * With a schema and a header, columns are matched by name: extra file columns are skipped,
 * a schema column missing from the header is an error. Without a header they are
 * positional. With `schema` NULL the schema is inferred from the first rows.
 */
MDL_API int mdl_csv_reader_open(mdl_ctx *ctx, mdl_input *in, mdl_schema *schema,
                                const mdl_csv_options *opts, mdl_csv_reader **out, mdl_error *err);
MDL_API int mdl_csv_reader_open_file(mdl_ctx *ctx, const char *path, mdl_schema *schema,
                                     const mdl_csv_options *opts, mdl_csv_reader **out,
                                     mdl_error *err);
/** The schema batches have (given or inferred); borrowed. */
MDL_API mdl_schema *mdl_csv_reader_schema(const mdl_csv_reader *r);
/** Next batch (caller owns it) or NULL at the end. */
MDL_API int mdl_csv_reader_next(mdl_csv_reader *r, mdl_batch **out, mdl_error *err);
MDL_API void mdl_csv_reader_stats(const mdl_csv_reader *r, mdl_read_stats *out);
MDL_API void mdl_csv_reader_free(mdl_csv_reader *r);
/** Wraps the reader in a batch stream that owns it (also on failure). */
MDL_API int mdl_csv_reader_stream(mdl_csv_reader *r, mdl_batch_stream **out, mdl_error *err);

/* ---- JSON lines -------------------------------------------------------------------------- */

/**
 * Maps a schema column to a value in each object. `path` is dot-separated ("properties.page");
 * NULL means the column name itself as a top-level key.
 */
typedef struct mdl_json_column_map {
    const char *column;
    const char *path;
} mdl_json_column_map;

typedef struct mdl_json_options {
    const mdl_json_column_map *paths; /* optional overrides of the column -> path mapping */
    size_t num_paths;
    const char *raw_column;       /* STRING column that receives the whole object, or NULL */
    const char *remainder_column; /* STRING column that receives unmapped top-level keys as a
                                     JSON object, or NULL */
    size_t chunk_bytes;           /* read size (default 1 MiB) */
    mdl_reject_fn on_reject;      /* NULL: the first bad line fails the read */
    void *reject_payload;
} mdl_json_options;

MDL_API void mdl_json_options_init(mdl_json_options *opts);

typedef struct mdl_json_reader mdl_json_reader;

/** Opens a JSON-lines reader; a schema is required. Takes ownership of `in`. */
MDL_API int mdl_json_reader_open(mdl_ctx *ctx, mdl_input *in, mdl_schema *schema,
                                 const mdl_json_options *opts, mdl_json_reader **out,
                                 mdl_error *err);
MDL_API int mdl_json_reader_open_file(mdl_ctx *ctx, const char *path, mdl_schema *schema,
                                      const mdl_json_options *opts, mdl_json_reader **out,
                                      mdl_error *err);
MDL_API mdl_schema *mdl_json_reader_schema(const mdl_json_reader *r);
MDL_API int mdl_json_reader_next(mdl_json_reader *r, mdl_batch **out, mdl_error *err);
MDL_API void mdl_json_reader_stats(const mdl_json_reader *r, mdl_read_stats *out);
MDL_API void mdl_json_reader_free(mdl_json_reader *r);
MDL_API int mdl_json_reader_stream(mdl_json_reader *r, mdl_batch_stream **out, mdl_error *err);

/* ---- random-access inputs and outputs ---------------------------------------------------- */

/** A random-access byte source of known size (Parquet reads its footer first). */
typedef struct mdl_rinput mdl_rinput;
struct mdl_rinput {
    /* Reads exactly `len` bytes at `offset`; reading past the end is MDL_ERR_PARSE. */
    int (*read_at)(mdl_rinput *self, uint64_t offset, void *buf, size_t len, mdl_error *err);
    void (*close)(mdl_rinput *self);
    uint64_t size;
    const char *name;
    void *private_data;
};

MDL_API int mdl_rinput_open_file(mdl_ctx *ctx, const char *path, mdl_rinput **out, mdl_error *err);
/** Reads borrowed memory; `name` is copied. */
MDL_API int mdl_rinput_open_memory(mdl_ctx *ctx, const void *data, size_t len, const char *name,
                                   mdl_rinput **out, mdl_error *err);
MDL_API void mdl_rinput_close(mdl_rinput *in);

/** A sequential byte sink. `finish` makes the data durable and visible; `abort` discards. */
typedef struct mdl_output mdl_output;
struct mdl_output {
    int (*write)(mdl_output *self, const void *data, size_t len, mdl_error *err);
    int (*finish)(mdl_output *self, mdl_error *err); /* also frees the output */
    void (*abort)(mdl_output *self);                 /* also frees the output */
    uint64_t written;
    const char *name;
    void *private_data;
};

/**
 * Writes `path` atomically: data goes to a hidden temporary file beside it, which finish
 * fsyncs and renames into place (and fsyncs the directory); abort removes it. A reader never
 * sees a half-written file.
 */
MDL_API int mdl_output_open_file(mdl_ctx *ctx, const char *path, mdl_output **out, mdl_error *err);
/** Appends to a caller-owned buffer (tests, in-memory objects). */
MDL_API int mdl_output_open_buffer(mdl_ctx *ctx, mdl_buf *buf, const char *name, mdl_output **out,
                                   mdl_error *err);

/* ---- text writers (CSV, JSON lines) ------------------------------------------------------ */

/**
 * Writes batches as CSV (RFC 4180, LF line ends): a header, then one record per row. NULL is
 * an empty unquoted field and an empty string is "", so medallion's reader reads the file
 * back exactly; fields holding the delimiter, the quote, CR or LF are quoted. Values use the
 * same text forms the readers accept (ISO dates and UTC timestamps, exact decimals, doubles
 * with 17 significant digits).
 */
typedef struct mdl_text_writer mdl_text_writer;

/** `delimiter` 0 means ','. Takes ownership of `out` (also on failure). */
MDL_API int mdl_csv_writer_open(mdl_ctx *ctx, mdl_output *out, mdl_schema *schema, char delimiter,
                                mdl_text_writer **w, mdl_error *err);
/**
 * Writes batches as JSON lines: one object per row, keys in schema order, NULL as null,
 * numbers as JSON numbers (decimals exactly), NaN and infinities as the strings "NaN",
 * "Infinity" and "-Infinity", dates and timestamps as ISO-8601 strings.
 */
MDL_API int mdl_json_writer_open(mdl_ctx *ctx, mdl_output *out, mdl_schema *schema,
                                 mdl_text_writer **w, mdl_error *err);
MDL_API int mdl_text_writer_write(mdl_text_writer *w, const mdl_batch *batch, mdl_error *err);
/** Finishes the output and frees the writer (aborting the output on failure). */
MDL_API int mdl_text_writer_close(mdl_text_writer *w, mdl_error *err);
MDL_API void mdl_text_writer_abort(mdl_text_writer *w);

/* ---- Parquet ----------------------------------------------------------------------------- */

/** Page compression codecs (Parquet's CompressionCodec values). */
typedef enum mdl_codec {
    MDL_CODEC_UNCOMPRESSED = 0,
    MDL_CODEC_SNAPPY = 1,
    MDL_CODEC_GZIP = 2,
    MDL_CODEC_ZSTD = 6,
    MDL_CODEC_LZ4_RAW = 7
} mdl_codec;

/** "none", "snappy", "gzip", "zstd", "lz4_raw" (any case) -> codec. */
MDL_API int mdl_codec_parse(const char *name, mdl_codec *out, mdl_error *err);
MDL_API const char *mdl_codec_name(mdl_codec codec);

typedef struct mdl_key_value {
    const char *key;
    const char *value;
} mdl_key_value;

typedef struct mdl_parquet_write_options {
    mdl_codec codec;               /* default ZSTD */
    int level;                     /* codec level; 0 = the codec's default (zstd: 3) */
    size_t row_group_bytes;        /* close a row group past this much data (default 128 MiB) */
    size_t row_group_rows;         /* ... or past this many rows (0 = no limit) */
    size_t page_bytes;             /* data page target before compression (default 1 MiB) */
    size_t dictionary_bytes;       /* dictionary page limit; past it, PLAIN (default 1 MiB) */
    bool dictionary;               /* try RLE_DICTIONARY first (default true) */
    const mdl_key_value *metadata; /* key-value metadata for the footer */
    size_t num_metadata;
} mdl_parquet_write_options;

MDL_API void mdl_parquet_write_options_init(mdl_parquet_write_options *opts);

typedef struct mdl_parquet_writer mdl_parquet_writer;

/** Opens a writer; takes ownership of `out` (also on failure). */
MDL_API int mdl_parquet_writer_open(mdl_ctx *ctx, mdl_output *out, mdl_schema *schema,
                                    const mdl_parquet_write_options *opts, mdl_parquet_writer **w,
                                    mdl_error *err);
/** Appends a batch with the writer's schema. */
MDL_API int mdl_parquet_writer_write(mdl_parquet_writer *w, const mdl_batch *batch, mdl_error *err);
/**
 * Flushes the last row group, writes the footer, finishes the output and frees the writer
 * (also on failure, after aborting the output). *rows_out and *bytes_out may be NULL.
 */
MDL_API int mdl_parquet_writer_close(mdl_parquet_writer *w, uint64_t *rows_out, uint64_t *bytes_out,
                                     mdl_error *err);
/** Discards everything written (the output is aborted) and frees the writer. NULL is fine. */
MDL_API void mdl_parquet_writer_abort(mdl_parquet_writer *w);

/** Simple predicates used to skip row groups by their statistics (never to filter rows). */
typedef enum mdl_pred_op {
    MDL_PRED_EQ,
    MDL_PRED_LT,
    MDL_PRED_LE,
    MDL_PRED_GT,
    MDL_PRED_GE,
    MDL_PRED_IN,
    MDL_PRED_IS_NULL
} mdl_pred_op;

typedef struct mdl_predicate {
    const char *column;
    mdl_pred_op op;
    const char *const *values; /* as text, converted to the column's type; IN takes several */
    size_t num_values;
} mdl_predicate;

typedef struct mdl_parquet_read_options {
    const char *const *columns; /* projection, in output order; NULL = every column */
    size_t num_columns;
    const mdl_predicate *predicates; /* ANDed; a row group that cannot match is skipped */
    size_t num_predicates;
} mdl_parquet_read_options;

typedef struct mdl_parquet_reader mdl_parquet_reader;

/** Opens a reader; takes ownership of `in` (also on failure). */
MDL_API int mdl_parquet_reader_open(mdl_ctx *ctx, mdl_rinput *in,
                                    const mdl_parquet_read_options *opts, mdl_parquet_reader **out,
                                    mdl_error *err);
MDL_API int mdl_parquet_reader_open_file(mdl_ctx *ctx, const char *path,
                                         const mdl_parquet_read_options *opts,
                                         mdl_parquet_reader **out, mdl_error *err);
/** The schema of the batches (after projection). */
MDL_API mdl_schema *mdl_parquet_reader_schema(const mdl_parquet_reader *r);
MDL_API int mdl_parquet_reader_next(mdl_parquet_reader *r, mdl_batch **out, mdl_error *err);
MDL_API uint64_t mdl_parquet_reader_num_rows(const mdl_parquet_reader *r);
/** Row groups in the file, and how many the predicates skipped. */
MDL_API void mdl_parquet_reader_row_groups(const mdl_parquet_reader *r, size_t *total,
                                           size_t *skipped);
/**
 * The file's metadata as one JSON document (schema with physical, logical and converted
 * types; row groups with per-column codec, encodings, sizes and statistics; key-value
 * metadata; created_by). Appended to `out`.
 */
MDL_API int mdl_parquet_reader_describe(const mdl_parquet_reader *r, mdl_buf *out, mdl_error *err);
MDL_API void mdl_parquet_reader_free(mdl_parquet_reader *r);
MDL_API int mdl_parquet_reader_stream(mdl_parquet_reader *r, mdl_batch_stream **out,
                                      mdl_error *err);

/* ---- nested Parquet records (struct, list, map) ------------------------------------------ */

/*
 * Batches hold flat columns; some files need nested ones (Delta checkpoints have a struct per
 * action with maps and lists inside). Those are written and read one record at a time as
 * JSON text, against a schema given as a tree of nodes:
 *
 *   STRUCT  a JSON object whose members are the node's children (a group in Parquet)
 *   LIST    a JSON array of its one child (Parquet's three-level LIST: <name> (LIST) /
 *           repeated group list / element)
 *   MAP     a JSON object: children[0] is the key (a STRING leaf, never null), children[1]
 *           the value (Parquet's MAP: <name> (MAP) / repeated group key_value / key, value)
 *   LEAF    BOOLEAN (true/false), INT32 and INT64 (JSON integers, exact), DOUBLE (a JSON
 *           number) or STRING (a JSON string); other types are MDL_ERR_UNSUPPORTED
 *
 * A missing member and JSON null are the same: null. A null where the node is not nullable is
 * an error naming the record and the field path. The record itself is a STRUCT of `fields`.
 */
typedef enum mdl_pq_node_kind {
    MDL_PQ_LEAF = 1,
    MDL_PQ_STRUCT,
    MDL_PQ_LIST,
    MDL_PQ_MAP
} mdl_pq_node_kind;

typedef struct mdl_pq_node {
    const char *name;
    mdl_pq_node_kind kind;
    bool nullable;
    mdl_type type;                      /* LEAF only */
    const struct mdl_pq_node *children; /* STRUCT: fields; LIST: the element; MAP: key, value */
    size_t num_children;
} mdl_pq_node;

/* Nesting deeper than this (counting every STRUCT, LIST and MAP) is MDL_ERR_LIMIT. */
#define MDL_PQ_MAX_NESTING 16

typedef struct mdl_parquet_record_writer mdl_parquet_record_writer;

/**
 * Opens a writer of records with the schema `fields` (copied; checked: non-empty unique
 * names, kinds, child counts, leaf types, map keys). Takes ownership of `out` (also on
 * failure). From `opts` the codec, level, row_group_rows/row_group_bytes, page_bytes and
 * metadata apply; values are PLAIN-encoded.
 */
MDL_API int mdl_parquet_record_writer_open(mdl_ctx *ctx, mdl_output *out, const mdl_pq_node *fields,
                                           size_t num_fields, const mdl_parquet_write_options *opts,
                                           mdl_parquet_record_writer **w, mdl_error *err);
/**
 * Appends one record given as a JSON object. Members the schema does not name are an error
 * (MDL_ERR_SCHEMA), as are values of the wrong JSON type; the message names the record
 * number (1-based) and the field path, e.g. "record 3: add.partitionValues: expected an
 * object, got an array". A failed record leaves nothing behind: the file stays consistent.
 */
MDL_API int mdl_parquet_record_writer_write_json(mdl_parquet_record_writer *w, const char *json,
                                                 size_t len, mdl_error *err);
/** As mdl_parquet_writer_close. */
MDL_API int mdl_parquet_record_writer_close(mdl_parquet_record_writer *w, uint64_t *rows_out,
                                            uint64_t *bytes_out, mdl_error *err);
/** As mdl_parquet_writer_abort. NULL is fine. */
MDL_API void mdl_parquet_record_writer_abort(mdl_parquet_record_writer *w);

typedef struct mdl_parquet_record_reader mdl_parquet_record_reader;

/**
 * Opens a reader that assembles records of the schema `fields`, a projection of the file's
 * schema: each node is matched by name in the file (extra file columns are ignored). A
 * nullable node the file does not have reads as null; a non-nullable one is
 * MDL_ERR_SCHEMA, as is a node whose shape or type differs from the file's. Lists in the
 * three-level form and the legacy two-level forms (apache/parquet-format LogicalTypes.md,
 * "Backward-compatibility rules") are accepted, with any names for the repeated group;
 * map keys and values are taken by position. Takes ownership of `in` (also on failure).
 */
MDL_API int mdl_parquet_record_reader_open(mdl_ctx *ctx, mdl_rinput *in, const mdl_pq_node *fields,
                                           size_t num_fields, mdl_parquet_record_reader **out,
                                           mdl_error *err);
/**
 * The next record as a compact JSON object appended to `out` (after resetting it): members
 * in schema order, null members left out, integers exact, doubles in shortest round-trip
 * form (non-finite ones as null). *got is false at the end of the file.
 */
MDL_API int mdl_parquet_record_reader_next(mdl_parquet_record_reader *r, mdl_buf *out, bool *got,
                                           mdl_error *err);
MDL_API uint64_t mdl_parquet_record_reader_num_rows(const mdl_parquet_record_reader *r);
MDL_API void mdl_parquet_record_reader_free(mdl_parquet_record_reader *r);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_FORMAT_H */
