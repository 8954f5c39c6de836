/*
 * parquet_footer.c - the file-level parts shared by the Parquet readers (parquet_reader.c,
 * parquet_record_reader.c) and writers (parquet_writer.c, parquet_record_writer.c): the
 * footer read and checked before anything in it is used, and the footer written at close.
 *
 * File layout (apache/parquet-format README.md "File Format"):
 *
 *   offset 0        "PAR1"
 *   4 ..            column chunks: row group 0 column 0, column 1, ..., row group 1, ...
 *   size-8-len      FileMetaData, Thrift compact protocol, `len` bytes
 *   size-8          len: u32 little-endian
 *   size-4          "PAR1"   ("PARE" when the footer is encrypted, Encryption.md)
 */
#include "parquet_footer.h"

#include <stdio.h>
#include <string.h>

#include "parquet_encoding.h"

/*
 * A page, and whatever one page decodes to, may take 4 x limits.max_record_bytes (256 MiB by
 * default) but never less than 8 MiB: writers aim at ~1 MiB pages but overshoot, and DuckDB
 * only starts a new page past ~100 MB.
 */
#define PQ_PAGE_LIMIT_FACTOR 4
#define PQ_MIN_PAGE_LIMIT    ((size_t)8 << 20)

size_t mdl_format__pq_page_limit(const mdl_ctx *ctx)
{
    size_t limit;
    if (!mdl_size_mul(ctx->limits.max_record_bytes, PQ_PAGE_LIMIT_FACTOR, &limit))
        limit = SIZE_MAX;
    return limit < PQ_MIN_PAGE_LIMIT ? PQ_MIN_PAGE_LIMIT : limit;
}

/* ---- reading ----------------------------------------------------------------------------- */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void mdl_format__pq_footer_init(mdl_format__pq_footer *f, mdl_ctx *ctx)
{
    memset(f, 0, sizeof *f);
    mdl_format__pq_arena_init(&f->arena, ctx);
}

void mdl_format__pq_footer_free(mdl_format__pq_footer *f, mdl_ctx *ctx)
{
    mdl_format__pq_arena_free(&f->arena);
    mdl_free(ctx, f->bytes);
    f->bytes = NULL;
}

int mdl_format__pq_footer_read(mdl_format__pq_footer *f, mdl_ctx *ctx, mdl_rinput *in,
                               const char *name, mdl_error *err)
{
    uint64_t size = in->size;
    if (size < 12)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: not a Parquet file: %llu bytes is too short (at least 12)", name,
                             (unsigned long long)size);
    uint8_t head[4], tail[8];
    int rc = in->read_at(in, 0, head, 4, err);
    if (rc == MDL_OK)
        rc = in->read_at(in, size - 8, tail, 8, err);
    if (rc != MDL_OK)
        return rc;
    if (memcmp(tail + 4, "PARE", 4) == 0)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "%s: encrypted Parquet files are not supported", name);
    if (memcmp(tail + 4, "PAR1", 4) != 0)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: not a Parquet file, or a truncated one: it does not end with "
                             "PAR1",
                             name);
    if (memcmp(head, "PAR1", 4) != 0)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: not a Parquet file: it does not start with PAR1", name);
    uint32_t len = le32(tail);
    if (len > size - 12)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: the footer length %lu goes past the start of the file (%llu "
                             "bytes)",
                             name, (unsigned long)len, (unsigned long long)size);
    if (len > ctx->limits.max_record_bytes)
        return mdl_error_set(err, MDL_ERR_LIMIT,
                             "%s: the footer is %lu bytes, over the limit of %zu bytes", name,
                             (unsigned long)len, ctx->limits.max_record_bytes);
    f->start = size - 8 - len;
    f->bytes = mdl_alloc(ctx, len ? len : 1);
    if (f->bytes == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "%s: out of memory reading the footer", name);
    rc = in->read_at(in, f->start, f->bytes, len, err);
    if (rc != MDL_OK)
        return rc;
    mdl_error e;
    rc = mdl_format__pq_decode_file_meta(f->bytes, len, &f->arena, &f->meta, &e);
    if (rc != MDL_OK)
        return mdl_error_set(err, rc, "%s: %s", name, e.message);
    if (f->meta.encrypted)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "%s: encrypted Parquet files are not supported", name);
    if (f->meta.num_rows < 0)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: the footer says the file has %lld rows", name,
                             (long long)f->meta.num_rows);
    return MDL_OK;
}

int64_t mdl_format__pq_chunk_start(const pq_column_meta *m)
{
    int64_t d = m->dictionary_page_offset;
    return d > 0 && d < m->data_page_offset ? d : m->data_page_offset;
}

/* A page offset inside the column-chunk area; an empty chunk may sit right at its end. */
static bool offset_ok(const mdl_format__pq_footer *f, int64_t off, bool empty)
{
    return off >= 4 && ((uint64_t)off < f->start || (empty && (uint64_t)off == f->start));
}

int mdl_format__pq_footer_check_row_group(const mdl_format__pq_footer *f, const char *name,
                                          size_t g, size_t ncols, uint64_t *total, mdl_error *err)
{
    const pq_row_group *rg = &f->meta.row_groups[g];
    if (rg->num_rows < 0 || __builtin_add_overflow(*total, (uint64_t)rg->num_rows, total))
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: row group %zu has %lld rows", name, g,
                             (long long)rg->num_rows);
    if (rg->num_columns != ncols)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: row group %zu has %zu column chunks but the schema has %zu "
                             "columns",
                             name, g, rg->num_columns, ncols);
    return MDL_OK;
}

int mdl_format__pq_footer_check_chunk(const mdl_format__pq_footer *f, const char *name, size_t g,
                                      const pq_column_chunk *cc, const char *col, int type,
                                      mdl_error *err)
{
    const pq_column_meta *cm = &cc->meta;
    if (cc->encrypted)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "%s: column '%s' is encrypted; encrypted Parquet files are "
                             "not supported",
                             name, col);
    if (cc->has_file_path)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "%s: row group %zu column '%s' is stored in another file "
                             "(file_path), which is not supported",
                             name, g, col);
    if (!cc->has_meta)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: row group %zu column '%s' has no ColumnMetaData", name, g, col);
    if (cm->type != type)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: row group %zu column '%s' has physical type %s but the "
                             "schema says %s",
                             name, g, col, mdl_format__pq_type_name(cm->type),
                             mdl_format__pq_type_name(type));
    if (cm->num_values < 0 || cm->total_compressed < 0)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: row group %zu column '%s' has a negative value count or "
                             "size",
                             name, g, col);
    bool empty = cm->total_compressed == 0;
    if (!offset_ok(f, cm->data_page_offset, empty) ||
        (cm->dictionary_page_offset > 0 && !offset_ok(f, cm->dictionary_page_offset, empty)))
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: row group %zu column '%s' has a page offset outside the "
                             "file's data (4 to %llu)",
                             name, g, col, (unsigned long long)f->start);
    int64_t start = mdl_format__pq_chunk_start(cm);
    if ((uint64_t)cm->total_compressed > f->start - (uint64_t)start)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: row group %zu column '%s': the column chunk (%lld bytes "
                             "at offset %lld) runs past the footer at %llu",
                             name, g, col, (long long)cm->total_compressed, (long long)start,
                             (unsigned long long)f->start);
    return MDL_OK;
}

int mdl_format__pq_footer_check_total(const mdl_format__pq_footer *f, const char *name,
                                      uint64_t total, mdl_error *err)
{
    if (total != (uint64_t)f->meta.num_rows)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "%s: the footer says %lld rows but its row groups hold %llu", name,
                             (long long)f->meta.num_rows, (unsigned long long)total);
    return MDL_OK;
}

int mdl_format__pq_check_codec(const char *name, const char *col, int codec, mdl_error *err)
{
    if (codec == MDL_FORMAT__CODEC_UNCOMPRESSED || codec == MDL_FORMAT__CODEC_SNAPPY ||
        codec == MDL_FORMAT__CODEC_GZIP || codec == MDL_FORMAT__CODEC_LZ4 ||
        codec == MDL_FORMAT__CODEC_ZSTD || codec == MDL_FORMAT__CODEC_LZ4_RAW)
        return MDL_OK;
    if (codec == MDL_FORMAT__CODEC_LZO || codec == MDL_FORMAT__CODEC_BROTLI)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "%s: column '%s' is compressed with %s, which is not supported", name,
                             col, mdl_format__codec_name(codec));
    return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                         "%s: column '%s' is compressed with unknown codec %d", name, col, codec);
}

/* ---- writing ----------------------------------------------------------------------------- */

int mdl_format__pq_file_writer_init(mdl_format__pq_file_writer *f, mdl_ctx *ctx, mdl_output *out,
                                    const mdl_parquet_write_options *opts, mdl_error *err)
{
    memset(f, 0, sizeof *f);
    f->ctx = ctx;
    f->out = out;
    if (opts != NULL)
        f->opts = *opts;
    else
        mdl_parquet_write_options_init(&f->opts);
    if (f->opts.page_bytes == 0)
        f->opts.page_bytes = (size_t)1 << 20;
    if (f->opts.row_group_bytes == 0)
        f->opts.row_group_bytes = (size_t)128 << 20;
    mdl_buf_init(&f->body, ctx, 0);
    mdl_buf_init(&f->zbody, ctx, 0);
    mdl_buf_init(&f->header, ctx, 0);
    return mdl_format__compressor_new(ctx, (int)f->opts.codec, f->opts.level, &f->comp, err);
}

void mdl_format__pq_file_writer_free(mdl_format__pq_file_writer *f)
{
    for (size_t g = 0; g < f->ngroups; g++) {
        for (size_t i = 0; i < f->groups[g].num_chunks; i++) {
            mdl_free(f->ctx, f->groups[g].chunks[i].min);
            mdl_free(f->ctx, f->groups[g].chunks[i].max);
        }
        mdl_free(f->ctx, f->groups[g].chunks);
    }
    mdl_free(f->ctx, f->groups);
    mdl_buf_reset(&f->body);
    mdl_buf_reset(&f->zbody);
    mdl_buf_reset(&f->header);
    mdl_format__compressor_free(f->comp);
}

int mdl_format__pq_append_levels(mdl_buf *body, const uint32_t *levels, size_t n, int bit_width,
                                 mdl_error *err)
{
    size_t at = body->len;
    uint8_t len4[4] = {0};
    int rc = mdl_buf_append(body, len4, 4, err);
    if (rc == MDL_OK)
        rc = mdl_format__pq_rle_encode(levels, n, bit_width, body, err);
    if (rc == MDL_OK)
        mdl_format__pq_store_le32((uint8_t *)body->data + at, (uint32_t)(body->len - at - 4));
    return rc;
}

int mdl_format__pq_file_writer_write(mdl_format__pq_file_writer *f, const void *data, size_t len,
                                     mdl_error *err)
{
    int rc = f->out->write(f->out, data, len, err);
    if (rc == MDL_OK)
        f->offset += len;
    return rc;
}

int mdl_format__pq_file_writer_page(mdl_format__pq_file_writer *f, pq_page_header *h, mdl_buf *dst,
                                    int64_t *unc, int64_t *comp, mdl_error *err)
{
    f->zbody.len = 0;
    int rc = mdl_format__compress(f->comp, f->body.data, f->body.len, &f->zbody, err);
    if (rc != MDL_OK)
        return rc;
    if (f->body.len > INT32_MAX || f->zbody.len > INT32_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "Parquet page larger than 2 GiB");
    h->uncompressed_size = (int32_t)f->body.len;
    h->compressed_size = (int32_t)f->zbody.len;
    f->header.len = 0;
    tc_writer tw;
    mdl_format__tc_writer_init(&tw, &f->header);
    mdl_format__pq_write_page_header(&tw, h, NULL);
    if (tw.rc != MDL_OK)
        return mdl_error_set(err, tw.rc, "out of memory encoding a Parquet page header");
    rc = mdl_buf_append(dst, f->header.data, f->header.len, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(dst, f->zbody.data, f->zbody.len, err);
    *unc += (int64_t)(f->header.len + f->body.len);
    *comp += (int64_t)(f->header.len + f->zbody.len);
    return rc;
}

int mdl_format__pq_file_writer_add_row_group(mdl_format__pq_file_writer *f, size_t ncols,
                                             int64_t num_rows, mdl_format__pq_rg_info **out,
                                             mdl_error *err)
{
    if (f->ngroups == f->groups_cap) {
        size_t ncap = f->groups_cap ? f->groups_cap * 2 : 8;
        mdl_format__pq_rg_info *ng = mdl_realloc(f->ctx, f->groups, ncap * sizeof *ng);
        if (ng == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        f->groups = ng;
        f->groups_cap = ncap;
    }
    mdl_format__pq_rg_info *g = &f->groups[f->ngroups];
    memset(g, 0, sizeof *g);
    g->chunks = mdl_calloc(f->ctx, ncols ? ncols : 1, sizeof(mdl_format__pq_chunk_info));
    if (g->chunks == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    f->ngroups++;
    g->num_chunks = ncols;
    g->num_rows = num_rows;
    g->file_offset = (int64_t)f->offset;
    *out = g;
    return MDL_OK;
}

static void write_chunk(mdl_format__pq_file_writer *f, tc_writer *tw,
                        const mdl_format__pq_chunk_info *ci)
{
    mdl_format__tc_elem_struct_begin(tw);
    mdl_format__tc_i64(tw, 2, 0); /* deprecated file_offset: 0 as the spec asks */
    mdl_format__tc_struct_begin(tw, 3);
    mdl_format__tc_i32(tw, 1, ci->type);
    int encs[3];
    size_t ne = 0;
    if (ci->enc_dict)
        encs[ne++] = PQ_ENC_PLAIN; /* the dictionary page */
    else if (ci->enc_plain)
        encs[ne++] = PQ_ENC_PLAIN;
    encs[ne++] = PQ_ENC_RLE; /* levels */
    if (ci->enc_dict)
        encs[ne++] = PQ_ENC_RLE_DICTIONARY;
    mdl_format__tc_list_begin(tw, 2, TC_I32, ne);
    for (size_t k = 0; k < ne; k++)
        mdl_format__tc_elem_i32(tw, encs[k]);
    mdl_format__tc_list_begin(tw, 3, TC_BINARY, ci->path_len);
    for (size_t k = 0; k < ci->path_len; k++)
        mdl_format__tc_elem_binary(tw, ci->path[k], strlen(ci->path[k]));
    mdl_format__tc_i32(tw, 4, (int32_t)f->opts.codec);
    mdl_format__tc_i64(tw, 5, ci->num_values);
    mdl_format__tc_i64(tw, 6, ci->total_uncompressed);
    mdl_format__tc_i64(tw, 7, ci->total_compressed);
    mdl_format__tc_i64(tw, 9, ci->data_page_offset);
    if (ci->dictionary_page_offset != PQ_ABSENT)
        mdl_format__tc_i64(tw, 11, ci->dictionary_page_offset);
    if (ci->has_stats) {
        pq_statistics st;
        memset(&st, 0, sizeof st);
        st.has_null_count = true;
        st.null_count = ci->null_count;
        if (ci->has_minmax) {
            st.has_min = st.has_max = true;
            st.min = mdl_sv_make(ci->min, ci->min_len);
            st.max = mdl_sv_make(ci->max, ci->max_len);
        }
        mdl_format__pq_write_statistics(tw, 12, &st);
    }
    mdl_format__tc_struct_end(tw); /* ColumnMetaData */
    mdl_format__tc_struct_end(tw); /* ColumnChunk */
}

/* FileMetaData (parquet.thrift): version 1, schema, num_rows, row_groups, key_value_metadata,
 * created_by, column_orders. */
static void write_file_meta(mdl_format__pq_file_writer *f, tc_writer *tw,
                            const pq_schema_element *schema, size_t num_schema, int64_t num_rows,
                            bool column_orders)
{
    mdl_format__tc_root_begin(tw);
    mdl_format__tc_i32(tw, 1, 1);
    mdl_format__tc_list_begin(tw, 2, TC_STRUCT, num_schema);
    size_t nleaves = 0;
    for (size_t i = 0; i < num_schema; i++) {
        mdl_format__pq_write_schema_element(tw, &schema[i]);
        nleaves += schema[i].num_children == PQ_ABSENT;
    }
    mdl_format__tc_i64(tw, 3, num_rows);
    mdl_format__tc_list_begin(tw, 4, TC_STRUCT, f->ngroups);
    for (size_t g = 0; g < f->ngroups; g++) {
        const mdl_format__pq_rg_info *rg = &f->groups[g];
        mdl_format__tc_elem_struct_begin(tw);
        mdl_format__tc_list_begin(tw, 1, TC_STRUCT, rg->num_chunks);
        for (size_t i = 0; i < rg->num_chunks; i++)
            write_chunk(f, tw, &rg->chunks[i]);
        mdl_format__tc_i64(tw, 2, rg->total_uncompressed);
        mdl_format__tc_i64(tw, 3, rg->num_rows);
        mdl_format__tc_i64(tw, 5, rg->file_offset);
        mdl_format__tc_i64(tw, 6, rg->total_compressed);
        mdl_format__tc_i32(tw, 7, (int32_t)g); /* i16 on the wire is the same varint */
        mdl_format__tc_struct_end(tw);
    }
    if (f->opts.num_metadata > 0) {
        mdl_format__tc_list_begin(tw, 5, TC_STRUCT, f->opts.num_metadata);
        for (size_t i = 0; i < f->opts.num_metadata; i++) {
            const mdl_key_value *kv = &f->opts.metadata[i];
            mdl_format__tc_elem_struct_begin(tw);
            mdl_format__tc_binary(tw, 1, kv->key, strlen(kv->key));
            if (kv->value != NULL)
                mdl_format__tc_binary(tw, 2, kv->value, strlen(kv->value));
            mdl_format__tc_struct_end(tw);
        }
    }
    char created_by[128];
    int n = snprintf(created_by, sizeof created_by, "medallion version %s (build %s)",
                     mdl_version(), mdl_build_id());
    mdl_format__tc_binary(tw, 6, created_by, n > 0 ? (size_t)n : 0);
    if (column_orders) {
        /* min/max follow each type's defined order: say so, or readers must ignore them. */
        mdl_format__tc_list_begin(tw, 7, TC_STRUCT, nleaves);
        for (size_t i = 0; i < nleaves; i++) {
            mdl_format__tc_elem_struct_begin(tw);
            mdl_format__tc_struct_begin(tw, 1);
            mdl_format__tc_struct_end(tw);
            mdl_format__tc_struct_end(tw);
        }
    }
    mdl_format__tc_struct_end(tw);
}

int mdl_format__pq_file_writer_close(mdl_format__pq_file_writer *f, int rc,
                                     const pq_schema_element *schema, size_t num_schema,
                                     int64_t num_rows, bool column_orders, uint64_t *rows_out,
                                     uint64_t *bytes_out, mdl_error *err)
{
    mdl_buf footer;
    mdl_buf_init(&footer, f->ctx, 0);
    if (rc == MDL_OK) {
        tc_writer tw;
        mdl_format__tc_writer_init(&tw, &footer);
        write_file_meta(f, &tw, schema, num_schema, num_rows, column_orders);
        uint8_t tail[8];
        mdl_format__pq_store_le32(tail, (uint32_t)footer.len);
        memcpy(tail + 4, "PAR1", 4);
        if (tw.rc != MDL_OK || footer.len > UINT32_MAX)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory encoding the Parquet footer");
        if (rc == MDL_OK)
            rc = mdl_format__pq_file_writer_write(f, footer.data, footer.len, err);
        if (rc == MDL_OK)
            rc = mdl_format__pq_file_writer_write(f, tail, 8, err);
    }
    mdl_buf_reset(&footer);
    if (rc == MDL_OK) {
        if (rows_out)
            *rows_out = (uint64_t)num_rows;
        if (bytes_out)
            *bytes_out = f->offset;
        rc = f->out->finish(f->out, err);
    } else {
        f->out->abort(f->out);
    }
    return rc;
}
