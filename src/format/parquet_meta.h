/*
 * parquet_meta.h - Parquet's footer and page headers as C structs, decoded from (and encoded
 * to) the Thrift compact protocol. Field ids follow apache/parquet-format
 * src/main/thrift/parquet.thrift; only what medallion reads or writes is kept, the rest is
 * skipped on read. Decoded strings are views into the footer bytes, arrays live in an arena:
 * keep both alive as long as the struct.
 */
#ifndef MDL_FORMAT_PARQUET_META_H
#define MDL_FORMAT_PARQUET_META_H

#include "medallion/util.h"
#include "thrift_compact.h"

/* parquet.thrift enums */
enum { PQ_BOOLEAN = 0, PQ_INT32, PQ_INT64, PQ_INT96, PQ_FLOAT, PQ_DOUBLE, PQ_BYTE_ARRAY, PQ_FLBA };
enum { PQ_REQUIRED = 0, PQ_OPTIONAL = 1, PQ_REPEATED = 2 };
enum {
    PQ_ENC_PLAIN = 0,
    PQ_ENC_PLAIN_DICTIONARY = 2,
    PQ_ENC_RLE = 3,
    PQ_ENC_BIT_PACKED = 4,
    PQ_ENC_DELTA_BINARY_PACKED = 5,
    PQ_ENC_DELTA_LENGTH_BYTE_ARRAY = 6,
    PQ_ENC_DELTA_BYTE_ARRAY = 7,
    PQ_ENC_RLE_DICTIONARY = 8,
    PQ_ENC_BYTE_STREAM_SPLIT = 9
};
enum { PQ_PAGE_DATA = 0, PQ_PAGE_INDEX = 1, PQ_PAGE_DICTIONARY = 2, PQ_PAGE_DATA_V2 = 3 };
enum {
    PQ_CT_UTF8 = 0,
    PQ_CT_MAP = 1,
    PQ_CT_MAP_KEY_VALUE = 2,
    PQ_CT_LIST = 3,
    PQ_CT_ENUM = 4,
    PQ_CT_DECIMAL = 5,
    PQ_CT_DATE = 6,
    PQ_CT_TIME_MILLIS = 7,
    PQ_CT_TIME_MICROS = 8,
    PQ_CT_TIMESTAMP_MILLIS = 9,
    PQ_CT_TIMESTAMP_MICROS = 10,
    PQ_CT_UINT_8 = 11,
    PQ_CT_UINT_64 = 14,
    PQ_CT_INT_8 = 15,
    PQ_CT_INT_16 = 16,
    PQ_CT_INT_32 = 17,
    PQ_CT_INT_64 = 18,
    PQ_CT_JSON = 19
};
/* LogicalType union member ids */
enum {
    PQ_LT_NONE = 0,
    PQ_LT_STRING = 1,
    PQ_LT_MAP = 2,
    PQ_LT_LIST = 3,
    PQ_LT_ENUM = 4,
    PQ_LT_DECIMAL = 5,
    PQ_LT_DATE = 6,
    PQ_LT_TIME = 7,
    PQ_LT_TIMESTAMP = 8,
    PQ_LT_INTEGER = 10,
    PQ_LT_UNKNOWN = 11,
    PQ_LT_JSON = 12,
    PQ_LT_BSON = 13,
    PQ_LT_UUID = 14,
    PQ_LT_OTHER = 99 /* a member this version does not know */
};
enum { PQ_UNIT_MILLIS = 1, PQ_UNIT_MICROS = 2, PQ_UNIT_NANOS = 3 };

#define PQ_ABSENT (-1)

typedef struct pq_logical_type {
    int kind;          /* PQ_LT_* */
    int32_t scale;     /* DECIMAL */
    int32_t precision; /* DECIMAL */
    bool utc;          /* TIME / TIMESTAMP isAdjustedToUTC */
    int unit;          /* TIME / TIMESTAMP PQ_UNIT_* */
    int bit_width;     /* INTEGER */
    bool is_signed;    /* INTEGER */
} pq_logical_type;

typedef struct pq_schema_element {
    int type;            /* PQ_BOOLEAN..., or PQ_ABSENT for groups */
    int32_t type_length; /* FIXED_LEN_BYTE_ARRAY */
    int repetition;      /* PQ_REQUIRED..., or PQ_ABSENT */
    mdl_strview name;
    int32_t num_children; /* PQ_ABSENT for leaves */
    int converted_type;   /* PQ_CT_*, or PQ_ABSENT */
    int32_t scale, precision;
    pq_logical_type logical;
} pq_schema_element;

typedef struct pq_statistics {
    bool has_min, has_max, has_null_count;
    mdl_strview min, max; /* PLAIN encoding, no length prefix for byte arrays */
    int64_t null_count;
    bool legacy; /* min/max came from the deprecated fields 1/2 (signed order) */
} pq_statistics;

typedef struct pq_column_meta {
    int type;
    int *encodings;
    size_t num_encodings;
    mdl_strview *path;
    size_t path_len;
    int codec;
    int64_t num_values, total_uncompressed, total_compressed;
    int64_t data_page_offset;
    int64_t dictionary_page_offset; /* PQ_ABSENT when none */
    pq_statistics stats;
} pq_column_meta;

typedef struct pq_column_chunk {
    bool has_file_path; /* data in another file: unsupported */
    bool encrypted;
    bool has_meta;
    int64_t file_offset;
    pq_column_meta meta;
} pq_column_chunk;

typedef struct pq_row_group {
    pq_column_chunk *columns;
    size_t num_columns;
    int64_t total_byte_size, num_rows;
} pq_row_group;

typedef struct pq_key_value {
    mdl_strview key, value;
    bool has_value;
} pq_key_value;

typedef struct pq_file_meta {
    int32_t version;
    pq_schema_element *schema;
    size_t num_schema;
    int64_t num_rows;
    pq_row_group *row_groups;
    size_t num_row_groups;
    pq_key_value *kv;
    size_t num_kv;
    mdl_strview created_by;
    bool has_created_by;
    int *column_orders; /* union member id per leaf (1 = TYPE_ORDER), or NULL */
    size_t num_column_orders;
    bool encrypted; /* encryption_algorithm present */
} pq_file_meta;

typedef struct pq_page_header {
    int type;
    int32_t uncompressed_size, compressed_size;
    int32_t num_values; /* data v1 / v2 / dictionary */
    int encoding;
    int def_encoding, rep_encoding; /* v1 */
    int32_t num_nulls, num_rows;    /* v2 */
    int32_t def_len, rep_len;       /* v2: level bytes, never compressed */
    bool is_compressed;             /* v2, default true */
    bool has_data, has_dict, has_v2;
} pq_page_header;

/* A simple arena: many small allocations, freed at once. */
typedef struct pq_arena {
    mdl_ctx *ctx;
    void *blocks; /* singly linked */
    char *cur;
    size_t left;
    size_t budget; /* bytes the arena may still hand out (SIZE_MAX: no limit) */
} pq_arena;

void mdl_format__pq_arena_init(pq_arena *a, mdl_ctx *ctx);
void *mdl_format__pq_arena_alloc(pq_arena *a, size_t size);
void mdl_format__pq_arena_free(pq_arena *a);

/* Decodes FileMetaData from the footer bytes; arrays go to `arena`. */
int mdl_format__pq_decode_file_meta(const uint8_t *data, size_t len, pq_arena *arena,
                                    pq_file_meta *out, mdl_error *err);
/* Decodes one page header at the start of `data`; *header_len is its encoded size. */
int mdl_format__pq_decode_page_header(const uint8_t *data, size_t len, pq_page_header *out,
                                      size_t *header_len, mdl_error *err);

/* Encoders used by the writer. */
void mdl_format__pq_write_statistics(tc_writer *w, int16_t id, const pq_statistics *s);
void mdl_format__pq_write_page_header(tc_writer *w, const pq_page_header *h,
                                      const pq_statistics *stats);
void mdl_format__pq_write_schema_element(tc_writer *w, const pq_schema_element *e);

const char *mdl_format__pq_type_name(int type);
const char *mdl_format__pq_encoding_name(int encoding);

#endif
