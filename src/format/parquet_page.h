/*
 * parquet_page.h - reading one flat column chunk of a Parquet file: its pages, their levels
 * and values, converted into medallion column storage. Internal to src/format; the reader
 * (parquet_reader.c) validates the footer and drives one chunk reader per projected column.
 *
 * A column chunk is a run of pages, each a Thrift PageHeader followed by its body
 * (apache/parquet-format README.md "Column chunks", parquet.thrift PageHeader):
 *
 *   chunk      = [dictionary page] (data page | data page v2 | index page)*
 *   page       = PageHeader (compact Thrift) body[compressed_page_size]
 *
 * The chunk reader reads the chunk's byte range once, then decodes page by page in windows
 * of at most MDL_PQ_WINDOW values, so memory is the chunk, one decompressed page and small
 * fixed buffers, whatever counts the file claims. Details of the page layouts are in
 * parquet_page.c.
 */
#ifndef MDL_FORMAT_PARQUET_PAGE_H
#define MDL_FORMAT_PARQUET_PAGE_H

#include "compress.h"
#include "medallion/format.h"
#include "parquet_meta.h"

/* Values decoded per step: the size of the chunk reader's scratch buffers. */
#define MDL_PQ_WINDOW 1024

/* A flat leaf column as the chunk reader sees it. */
typedef struct mdl_format__pq_leaf {
    const char *name;    /* column name for messages (NUL-terminated, borrowed) */
    int physical;        /* PQ_BOOLEAN ... PQ_FLBA */
    int32_t type_length; /* FIXED_LEN_BYTE_ARRAY width */
    bool optional;       /* max definition level 1 (else 0) */
    mdl_type type;       /* what the values become */
    int ts_unit;         /* INT64 TIMESTAMP: PQ_UNIT_MILLIS / MICROS / NANOS; else 0 */
    /*
     * A leaf of a nested schema, read with mdl_format__pq_chunk_reader_read_levels only:
     * `optional` is then ignored and its levels go up to max_def / max_rep (set by the
     * caller after mdl_format__pq_leaf_init, which leaves them 0 and `levels` false).
     */
    bool levels;
    int max_def, max_rep; /* 0 .. MDL_PQ_MAX_LEVEL */
} mdl_format__pq_leaf;

/* The highest definition or repetition level a nested leaf may have. */
#define MDL_PQ_MAX_LEVEL 255

/*
 * The medallion type and timestamp unit a flat leaf reads as: mdl_format__pq_type_for plus
 * the checks the chunk reader relies on (a timestamp unit it knows, a FIXED_LEN_BYTE_ARRAY
 * length of 1..16 for decimals). MDL_ERR_UNSUPPORTED with a message naming the column.
 */
int mdl_format__pq_leaf_init(const pq_schema_element *e, const char *name, mdl_format__pq_leaf *out,
                             mdl_error *err);

/*
 * Appends one PLAIN-encoded value of exactly `len` bytes (BYTE_ARRAY without its length
 * prefix, as statistics store them) to `col`, whose type is leaf->type. Fails with
 * MDL_ERR_PARSE when the length is wrong for the physical type or the value does not
 * convert (invalid UTF-8, a decimal that does not fit, a timestamp out of range); INT96
 * is MDL_ERR_UNSUPPORTED. Used for min/max statistics.
 */
int mdl_format__pq_append_plain(mdl_ctx *ctx, const mdl_format__pq_leaf *leaf, const uint8_t *data,
                                size_t len, mdl_column *col, mdl_error *err);

typedef struct mdl_format__pq_chunk_reader mdl_format__pq_chunk_reader;

/*
 * A reader for the chunks of one leaf. `file` names the input in messages; `dec` is shared
 * (borrowed); `page_limit` bounds an uncompressed page and any buffer decoded from one.
 * `leaf` is copied, its name borrowed.
 */
int mdl_format__pq_chunk_reader_new(mdl_ctx *ctx, const mdl_format__pq_leaf *leaf, const char *file,
                                    mdl_format__decompressor *dec, size_t page_limit,
                                    mdl_format__pq_chunk_reader **out, mdl_error *err);

/*
 * Starts the chunk of row group `row_group` (which has `num_rows` rows): reads its bytes
 * [offset, offset + len) from `in` into the reader's buffer (reused between chunks). The
 * caller has checked the range against the file; `codec` and `num_values` come from the
 * ColumnMetaData, which must agree with num_rows (for a flat leaf; a leaf with `levels`
 * reads num_values level entries).
 */
int mdl_format__pq_chunk_reader_start(mdl_format__pq_chunk_reader *r, mdl_rinput *in,
                                      size_t row_group, uint64_t offset, size_t len, int codec,
                                      int64_t num_values, int64_t num_rows, mdl_error *err);

/* Appends the chunk's next `n` rows to `col` (type leaf->type, room for n more rows). */
int mdl_format__pq_chunk_reader_read(mdl_format__pq_chunk_reader *r, mdl_column *col, size_t n,
                                     mdl_error *err);

/*
 * For a leaf with `levels` set (where the chunk's num_values counts level entries, not
 * rows): decodes the chunk's next n level entries into rep[0..n) and def[0..n) (zeros where
 * the max level is 0) and appends the values of the entries whose def is max_def, in order,
 * to `dense_values` (type leaf->type, room for n more rows). `dense_values` may be NULL for
 * the whole chunk: then only levels are decoded. Levels above their maximum, and pages whose
 * levels or values end early, are MDL_ERR_PARSE naming the entry.
 */
int mdl_format__pq_chunk_reader_read_levels(mdl_format__pq_chunk_reader *r, size_t n, uint16_t *rep,
                                            uint16_t *def, mdl_column *dense_values,
                                            mdl_error *err);

/* Level entries of the current chunk not read yet (rows, for a flat leaf). */
uint64_t mdl_format__pq_chunk_reader_left(const mdl_format__pq_chunk_reader *r);

/*
 * After all num_rows rows were read: checks that the chunk holds no more values (only
 * index pages or empty data pages may follow).
 */
int mdl_format__pq_chunk_reader_finish(mdl_format__pq_chunk_reader *r, mdl_error *err);

void mdl_format__pq_chunk_reader_free(mdl_format__pq_chunk_reader *r);

#endif
