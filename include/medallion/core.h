/*
 * medallion/core.h - the columnar data model: types, schemas, columns, record batches and
 * batch streams. Every reader produces, and every writer and operator consumes, batches.
 */
#ifndef MEDALLION_CORE_H
#define MEDALLION_CORE_H

#include "medallion/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- types ------------------------------------------------------------------------------- */

typedef enum mdl_type_id {
    MDL_TYPE_BOOLEAN = 1, /* uint8_t 0/1 per value */
    MDL_TYPE_INT32,       /* int32_t */
    MDL_TYPE_INT64,       /* int64_t */
    MDL_TYPE_DOUBLE,      /* double */
    MDL_TYPE_DECIMAL,     /* unscaled: int64_t when precision <= 18, mdl_i128 above */
    MDL_TYPE_STRING,      /* UTF-8; int64_t offsets[length + 1] into `data` */
    MDL_TYPE_DATE,        /* int32_t days since 1970-01-01 */
    MDL_TYPE_TIMESTAMP    /* int64_t microseconds since 1970-01-01T00:00:00Z (UTC) */
} mdl_type_id;

typedef struct mdl_type {
    mdl_type_id id;
    uint8_t precision; /* DECIMAL only: 1..38 */
    uint8_t scale;     /* DECIMAL only: 0..precision */
} mdl_type;

/** Decimals with at most this precision are stored as int64_t. */
#define MDL_DECIMAL64_MAX_PRECISION 18

static inline mdl_type mdl_type_make(mdl_type_id id)
{
    mdl_type t = {id, 0, 0};
    return t;
}
static inline mdl_type mdl_type_decimal(int precision, int scale)
{
    mdl_type t = {MDL_TYPE_DECIMAL, (uint8_t)precision, (uint8_t)scale};
    return t;
}

/** "boolean", "int32", "int64", "double", "decimal", "string", "date", "timestamp". */
MDL_API const char *mdl_type_name(mdl_type_id id);
/** Full spelling, e.g. "decimal(12,2)"; returns the length. */
MDL_API size_t mdl_type_format(mdl_type type, char *buf, size_t cap);
/**
 * Parses a type name: boolean|bool, int32|int|integer, int64|bigint|long, double|float64,
 * decimal(p,s)|numeric(p,s), string|varchar|text, date, timestamp (case-insensitive).
 */
MDL_API int mdl_type_parse(mdl_strview text, mdl_type *out, mdl_error *err);
MDL_API bool mdl_type_equal(mdl_type a, mdl_type b);
/** Bytes per value in `values` (strings: the offset width, 8). */
MDL_API size_t mdl_type_width(mdl_type type);

/* ---- schemas ----------------------------------------------------------------------------- */

typedef struct mdl_field {
    char *name;
    mdl_type type;
    bool nullable;
} mdl_field;

/** An immutable, reference-counted list of named, typed fields. Read the fields directly. */
typedef struct mdl_schema {
    mdl_ctx *ctx;
    size_t num_fields;
    mdl_field *fields;
    _Atomic long refcount;
} mdl_schema;

/** Field definitions for mdl_schema_new; names are copied. */
typedef struct mdl_field_def {
    const char *name;
    mdl_type type;
    bool nullable;
} mdl_field_def;

MDL_API int mdl_schema_new(mdl_ctx *ctx, const mdl_field_def *defs, size_t n, mdl_schema **out,
                           mdl_error *err);
/**
 * Parses "name type [not null], ..." (e.g. "id int64 not null, price decimal(12,2)").
 * Names must be unique.
 */
MDL_API int mdl_schema_parse(mdl_ctx *ctx, const char *text, mdl_schema **out, mdl_error *err);
MDL_API mdl_schema *mdl_schema_retain(mdl_schema *schema);
/** Drops one reference; frees on the last. NULL is fine. */
MDL_API void mdl_schema_release(mdl_schema *schema);
/** Index of the field named `name`, or -1. */
MDL_API long mdl_schema_find(const mdl_schema *schema, mdl_strview name);
/** The "name type [not null], ..." form that mdl_schema_parse reads. */
MDL_API int mdl_schema_format(const mdl_schema *schema, mdl_buf *out, mdl_error *err);

/* ---- columns and record batches ---------------------------------------------------------- */

#define MDL_DEFAULT_BATCH_ROWS 65536

/**
 * One column of a batch. `validity` has bit (i % 8) of byte (i / 8) set when row i is not
 * null; it is NULL while the column has no nulls. Values of null rows are zero / empty.
 */
typedef struct mdl_column {
    mdl_type type;
    size_t length;
    size_t capacity; /* rows allocated in `values` (and `validity` once present) */
    size_t null_count;
    uint8_t *validity;
    void *values;
    char *data; /* STRING bytes */
    size_t data_len;
    size_t data_cap;
} mdl_column;

typedef struct mdl_batch_pool mdl_batch_pool;

/** A set of equally long columns under one schema. Owned by whoever received it. */
typedef struct mdl_batch {
    mdl_ctx *ctx;
    mdl_schema *schema; /* one reference held by the batch */
    size_t num_rows;
    size_t capacity;
    mdl_column *columns;
    mdl_batch_pool *pool; /* set when the batch came from a pool: freeing recycles it */
} mdl_batch;

/** An empty batch with room for `capacity` rows (0 means the context's batch_rows). */
MDL_API int mdl_batch_new(mdl_ctx *ctx, mdl_schema *schema, size_t capacity, mdl_batch **out,
                          mdl_error *err);
MDL_API void mdl_batch_free(mdl_batch *batch);
/** Empties the batch for reuse; keeps its allocations. */
MDL_API void mdl_batch_clear(mdl_batch *batch);
/**
 * A pool that recycles batches of one schema and capacity: mdl_batch_free on a pooled batch
 * clears it and keeps it for the next mdl_batch_pool_get, so a reader streaming a large
 * file reuses the same memory instead of allocating (and page-faulting) every batch.
 * Batches may be freed on any thread and may outlive mdl_batch_pool_release.
 */
MDL_API int mdl_batch_pool_new(mdl_ctx *ctx, mdl_schema *schema, size_t capacity,
                               mdl_batch_pool **out, mdl_error *err);
/** An empty batch, recycled when one is available. */
MDL_API int mdl_batch_pool_get(mdl_batch_pool *pool, mdl_batch **out, mdl_error *err);
/** Drops the owner's reference; the pool goes when its last batch does. NULL is fine. */
MDL_API void mdl_batch_pool_release(mdl_batch_pool *pool);
/** Checks the invariants (lengths, offsets, null counts, UTF-8); used by tests and fuzzers. */
MDL_API int mdl_batch_validate(const mdl_batch *batch, mdl_error *err);

static inline mdl_column *mdl_batch_column(mdl_batch *batch, size_t i)
{
    return &batch->columns[i];
}

static inline bool mdl_column_is_null(const mdl_column *col, size_t row)
{
    return col->validity != NULL && !(col->validity[row >> 3] & (1u << (row & 7)));
}

static inline int32_t mdl_column_i32(const mdl_column *col, size_t row)
{
    return ((const int32_t *)col->values)[row];
}
static inline int64_t mdl_column_i64(const mdl_column *col, size_t row)
{
    return ((const int64_t *)col->values)[row];
}
static inline double mdl_column_f64(const mdl_column *col, size_t row)
{
    return ((const double *)col->values)[row];
}
static inline bool mdl_column_bool(const mdl_column *col, size_t row)
{
    return ((const uint8_t *)col->values)[row] != 0;
}
static inline mdl_strview mdl_column_str(const mdl_column *col, size_t row)
{
    const int64_t *off = (const int64_t *)col->values;
    return mdl_sv_make(col->data + off[row], (size_t)(off[row + 1] - off[row]));
}
/**
 * A standalone, empty column of `type` with room for `capacity` rows (expression results,
 * scratch columns). Free it with mdl_column_reset; on failure it is left empty and needs none.
 */
MDL_API int mdl_column_init(mdl_ctx *ctx, mdl_column *col, mdl_type type, size_t capacity,
                            mdl_error *err);
/** Frees what mdl_column_init allocated and zeroes the struct. NULL is fine. */
MDL_API void mdl_column_reset(mdl_ctx *ctx, mdl_column *col);
/** A decimal value widened to 128 bits whatever its storage width. */
MDL_API mdl_i128 mdl_column_decimal(const mdl_column *col, size_t row);

/*
 * Appending. Fixed-width appends require length < capacity (the batch is created with its
 * final capacity); string appends grow `data` and fail with MDL_ERR_LIMIT past the limit.
 */
MDL_API int mdl_column_append_null(mdl_ctx *ctx, mdl_column *col, mdl_error *err);
/** Appends `n` NULLs at once (room for them is the caller's). */
MDL_API int mdl_column_append_nulls(mdl_ctx *ctx, mdl_column *col, size_t n, mdl_error *err);
MDL_API int mdl_column_append_string(mdl_ctx *ctx, mdl_column *col, const char *s, size_t len,
                                     mdl_error *err);
/** Appends a fixed-width value of the column's width (bool: uint8_t, decimal: 8 or 16 bytes). */
MDL_API int mdl_column_append_value(mdl_ctx *ctx, mdl_column *col, const void *value,
                                    mdl_error *err);
/** Appends row `row` of `src` (same type; a NULL stays NULL). */
MDL_API int mdl_column_append_from(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src, size_t row,
                                   mdl_error *err);
/**
 * <0, 0, >0 comparing row ra of a with row rb of b (same type): NULLs first and equal to each
 * other, strings bytewise, doubles by value (NaN equal to everything: callers skip it).
 */
MDL_API int mdl_column_compare(const mdl_column *a, size_t ra, const mdl_column *b, size_t rb);
/** Drops rows beyond `length` (used to undo a partly appended record). */
MDL_API void mdl_column_truncate(mdl_column *col, size_t length);
/** Formats one value for display ("NULL" for nulls); returns the length, truncated to cap-1. */
MDL_API size_t mdl_column_format_value(const mdl_column *col, size_t row, char *buf, size_t cap);

/* ---- batch streams ----------------------------------------------------------------------- */

/**
 * A pull-based source of batches. `next` sets *out to a batch the caller then owns, or to
 * NULL at the end. `release` frees the stream (and whatever it owns). `schema` stays valid
 * until release.
 */
typedef struct mdl_batch_stream mdl_batch_stream;
struct mdl_batch_stream {
    int (*next)(mdl_batch_stream *self, mdl_batch **out, mdl_error *err);
    void (*release)(mdl_batch_stream *self);
    mdl_schema *schema;
    void *private_data;
};

static inline int mdl_batch_stream_next(mdl_batch_stream *s, mdl_batch **out, mdl_error *err)
{
    return s->next(s, out, err);
}
/** Releases the stream; NULL is fine. */
MDL_API void mdl_batch_stream_release(mdl_batch_stream *s);

/** How to pull from and free an object that produces batches (a reader). */
typedef struct mdl_batch_source {
    int (*next)(void *state, mdl_batch **out, mdl_error *err);
    void (*free)(void *state);
} mdl_batch_source;

/**
 * A stream over `state`: `next` pulls through source->next, `release` calls source->free.
 * The stream owns `state` from this call on (it is freed on failure too); `source` and
 * `schema` must outlive the stream.
 */
MDL_API int mdl_batch_stream_wrap(mdl_ctx *ctx, mdl_schema *schema, const mdl_batch_source *source,
                                  void *state, mdl_batch_stream **out, mdl_error *err);

#ifdef __cplusplus
}
#endif

#endif /* MEDALLION_CORE_H */
