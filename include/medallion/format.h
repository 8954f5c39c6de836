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

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_FORMAT_H */
