/*
 * parquet_footer.h - the file-level parts the flat and the nested Parquet readers and writers
 * share: reading and validating the footer (magic, length, budgets, FileMetaData, row-group
 * and column-chunk ranges) on the read side; on the write side the output with its offset,
 * compressed pages, the row groups' footer facts, and closing the file with FileMetaData, its
 * length and "PAR1".
 *
 * File layout (apache/parquet-format README.md "File Format"):
 *   "PAR1" | column chunks | FileMetaData (Thrift compact) | u32 LE length | "PAR1"
 * The column-chunk area is [4, start of FileMetaData).
 */
#ifndef MDL_FORMAT_PARQUET_FOOTER_H
#define MDL_FORMAT_PARQUET_FOOTER_H

#include "compress.h"
#include "medallion/format.h"
#include "parquet_meta.h"

/* ---- reading ----------------------------------------------------------------------------- */

/* A file's footer: FileMetaData decoded into `arena`, its strings pointing into `bytes`. */
typedef struct mdl_format__pq_footer {
    uint8_t *bytes;
    uint64_t start; /* offset of FileMetaData: the end of the column-chunk area */
    pq_arena arena;
    pq_file_meta meta;
} mdl_format__pq_footer;

void mdl_format__pq_footer_init(mdl_format__pq_footer *f, mdl_ctx *ctx);
void mdl_format__pq_footer_free(mdl_format__pq_footer *f, mdl_ctx *ctx);

/*
 * Reads and decodes the footer of `in` (messages start with `name`): both magics, a length
 * inside the file and within limits.max_record_bytes, not encrypted, num_rows not negative.
 */
int mdl_format__pq_footer_read(mdl_format__pq_footer *f, mdl_ctx *ctx, mdl_rinput *in,
                               const char *name, mdl_error *err);

/* Row group g: a sane row count (added to *total) and `ncols` column chunks. */
int mdl_format__pq_footer_check_row_group(const mdl_format__pq_footer *f, const char *name,
                                          size_t g, size_t ncols, uint64_t *total, mdl_error *err);

/*
 * Column chunk `cc` of row group g, the column `col` of physical type `type` in the schema:
 * in this file, not encrypted, with ColumnMetaData of that type, counts and sizes not
 * negative, its pages inside the column-chunk area.
 */
int mdl_format__pq_footer_check_chunk(const mdl_format__pq_footer *f, const char *name, size_t g,
                                      const pq_column_chunk *cc, const char *col, int type,
                                      mdl_error *err);

/* After the row groups: their rows add up to the footer's num_rows. */
int mdl_format__pq_footer_check_total(const mdl_format__pq_footer *f, const char *name,
                                      uint64_t total, mdl_error *err);

/* A codec the readers can decompress, or MDL_ERR_UNSUPPORTED naming column `col`. */
int mdl_format__pq_check_codec(const char *name, const char *col, int codec, mdl_error *err);

/* Where a chunk starts: the dictionary page when there is one before the data pages. */
int64_t mdl_format__pq_chunk_start(const pq_column_meta *m);

/* The most one page, or what it decodes to, may take (see parquet_footer.c). */
size_t mdl_format__pq_page_limit(const mdl_ctx *ctx);

/* ---- writing ----------------------------------------------------------------------------- */

/* Footer facts of one written column chunk. */
typedef struct mdl_format__pq_chunk_info {
    int type;                /* physical type */
    const char *const *path; /* path_in_schema, borrowed */
    size_t path_len;
    int64_t num_values, total_uncompressed, total_compressed;
    int64_t data_page_offset, dictionary_page_offset; /* PQ_ABSENT: no dictionary page */
    bool enc_plain, enc_dict;
    bool has_stats;
    int64_t null_count;
    bool has_minmax;
    char *min, *max; /* PLAIN bytes, owned */
    size_t min_len, max_len;
} mdl_format__pq_chunk_info;

typedef struct mdl_format__pq_rg_info {
    mdl_format__pq_chunk_info *chunks;
    size_t num_chunks;
    int64_t num_rows, total_uncompressed, total_compressed, file_offset;
} mdl_format__pq_rg_info;

/* The output side of a writer: options, output and offset, compressor, row groups written. */
typedef struct mdl_format__pq_file_writer {
    mdl_ctx *ctx;
    mdl_output *out;
    mdl_parquet_write_options opts; /* with defaults filled in */
    mdl_format__compressor *comp;
    uint64_t offset;             /* bytes written to the output */
    mdl_buf body, zbody, header; /* per-page scratch: the caller fills `body` */
    mdl_format__pq_rg_info *groups;
    size_t ngroups, groups_cap;
} mdl_format__pq_file_writer;

/* Sets up `f` over `out` (owned from here: abort or finish it); opts may be NULL. */
int mdl_format__pq_file_writer_init(mdl_format__pq_file_writer *f, mdl_ctx *ctx, mdl_output *out,
                                    const mdl_parquet_write_options *opts, mdl_error *err);

/* Frees what `f` holds; the output is left alone. */
void mdl_format__pq_file_writer_free(mdl_format__pq_file_writer *f);

/*
 * Appends RLE/bit-packed hybrid levels of `bit_width` bits behind their 4-byte LE length, as
 * a data page v1 body starts (repetition levels, then definition levels).
 */
int mdl_format__pq_append_levels(mdl_buf *body, const uint32_t *levels, size_t n, int bit_width,
                                 mdl_error *err);

/* Writes to the output and counts the offset. */
int mdl_format__pq_file_writer_write(mdl_format__pq_file_writer *f, const void *data, size_t len,
                                     mdl_error *err);

/*
 * Compresses f->body as the body of page `h` (its sizes are filled in) and appends header and
 * body to `dst`; adds the page's bytes before and after compression to *unc and *comp.
 */
int mdl_format__pq_file_writer_page(mdl_format__pq_file_writer *f, pq_page_header *h, mdl_buf *dst,
                                    int64_t *unc, int64_t *comp, mdl_error *err);

/* A new row group of `num_rows` rows and `ncols` zeroed chunks, starting at the offset now. */
int mdl_format__pq_file_writer_add_row_group(mdl_format__pq_file_writer *f, size_t ncols,
                                             int64_t num_rows, mdl_format__pq_rg_info **out,
                                             mdl_error *err);

/*
 * Ends the file. When rc is MDL_OK: writes FileMetaData (the schema list, num_rows, the row
 * groups, key-value metadata, created_by and, when `column_orders`, TYPE_ORDER per column),
 * its length and "PAR1", then finishes the output and reports rows and bytes. Otherwise, or
 * when that fails, aborts the output. Returns rc or the first failure.
 */
int mdl_format__pq_file_writer_close(mdl_format__pq_file_writer *f, int rc,
                                     const pq_schema_element *schema, size_t num_schema,
                                     int64_t num_rows, bool column_orders, uint64_t *rows_out,
                                     uint64_t *bytes_out, mdl_error *err);

#endif
