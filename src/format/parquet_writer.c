/*
 * parquet_writer.c - streaming Parquet writer for flat schemas.
 *
 * File layout (apache/parquet-format README.md, "File Format"):
 *   "PAR1" | row group 0: column chunk 0 .. column chunk n-1 | row group 1 ... |
 *   FileMetaData (Thrift compact) | 4-byte little-endian footer length | "PAR1"
 * Column chunk: [dictionary page] data page ... (page = PageHeader + compressed body)
 * Data page v1 body: [definition levels: 4-byte LE length + RLE/bit-packed hybrid, bit width 1,
 *   optional columns only] then values: PLAIN, or RLE_DICTIONARY = 1-byte bit width + hybrid.
 *
 * Rows stream in batch by batch. Each column encodes into its current page; full pages are
 * compressed into the column's chunk buffer; when the row group reaches its size or row
 * limit, every column's chunk goes to the output in schema order and the metadata needed
 * for the footer is kept. Memory is one row group's compressed pages plus the dictionaries.
 * Dictionary encoding is tried first for every non-boolean column and abandoned for the
 * rest of the chunk once the dictionary passes its size limit. Output is deterministic:
 * nothing depends on time, addresses or hash order.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compress.h"
#include "medallion/format.h"
#include "parquet_dict.h"
#include "parquet_encoding.h"
#include "parquet_footer.h"
#include "parquet_meta.h"
#include "parquet_schema.h"

/* A data page never holds more than this many values (see mdl_parquet_writer_write). */
#define MAX_PAGE_ROWS 20000

__extension__ typedef unsigned __int128 u128;

#define SLICE_ROWS       1024 /* rows appended between page-size checks */
#define STATS_MAX_STRING 256  /* longer string min/max are not written */

typedef struct colw {
    const mdl_field *field;
    const char *name;              /* field->name, for path_in_schema */
    const pq_schema_element *elem; /* in the writer's schema list */
    bool optional;
    size_t value_width; /* PLAIN bytes per value (bool: 1 in the page buffer, packed on flush) */

    /* the page being built */
    mdl_buf vals; /* PLAIN values */
    uint32_t *idx, *def;
    size_t idx_len, def_len, cap; /* idx/def arrays hold `cap` entries */
    size_t page_rows;

    /* dictionary of the current chunk */
    bool dict_active, dict_used;
    pq_dict dict;
    size_t dict_values; /* non-null values looked up in the dictionary in this chunk */

    /* pages of the current chunk, and their totals */
    mdl_buf pages;
    int64_t num_values, uncompressed, compressed;
    bool enc_plain;

    /* chunk statistics */
    int64_t null_count;
    bool has_minmax;
    int64_t imin, imax;
    mdl_i128 dmin, dmax;
    double fmin, fmax;
    mdl_buf smin, smax;
    bool string_stats_ok;
} colw;

struct mdl_parquet_writer {
    mdl_ctx *ctx;
    mdl_format__pq_file_writer file; /* output, options, compressor, row groups written */
    mdl_schema *schema;
    pq_schema_element *elems; /* the root group, then one leaf per column */
    colw *cols;
    size_t ncols;
    int64_t rg_rows, total_rows;
    int failed; /* a write failed: only abort/close remain */
};

/* ---- options ----------------------------------------------------------------------------- */

void mdl_parquet_write_options_init(mdl_parquet_write_options *o)
{
    memset(o, 0, sizeof *o);
    o->codec = MDL_CODEC_ZSTD;
    o->row_group_bytes = (size_t)128 << 20;
    o->page_bytes = (size_t)1 << 20;
    o->dictionary_bytes = (size_t)1 << 20;
    o->dictionary = true;
}

/* ---- little helpers ---------------------------------------------------------------------- */

static int grow_levels(mdl_ctx *ctx, colw *c, size_t need, mdl_error *err)
{
    if (need <= c->cap)
        return MDL_OK;
    size_t ncap = c->cap ? c->cap : 4096;
    while (ncap < need)
        ncap *= 2;
    uint32_t *ni = mdl_realloc(ctx, c->idx, ncap * sizeof(uint32_t));
    if (ni != NULL)
        c->idx = ni;
    uint32_t *nd = ni ? mdl_realloc(ctx, c->def, ncap * sizeof(uint32_t)) : NULL;
    if (nd != NULL)
        c->def = nd;
    if (ni == NULL || nd == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory buffering a Parquet page");
    c->cap = ncap;
    return MDL_OK;
}

/* The PLAIN encoding of one value of row `r` into `tmp`; returns its length. Strings: the
 * bytes are not copied, *str points at them and the return value is their length. */
static size_t plain_value(const colw *c, const mdl_column *col, size_t r, uint8_t tmp[16],
                          const char **str)
{
    *str = NULL;
    switch (col->type.id) {
    case MDL_TYPE_BOOLEAN:
        tmp[0] = ((const uint8_t *)col->values)[r] ? 1 : 0;
        return 1;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        memcpy(tmp, (const int32_t *)col->values + r, 4);
        return 4;
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP:
    case MDL_TYPE_DOUBLE:
        memcpy(tmp, (const int64_t *)col->values + r, 8);
        return 8;
    case MDL_TYPE_DECIMAL: {
        mdl_i128 v = mdl_column_decimal(col, r);
        if (c->elem->type == PQ_INT32) {
            int32_t v32 = (int32_t)v;
            memcpy(tmp, &v32, 4);
            return 4;
        }
        if (c->elem->type == PQ_INT64) {
            int64_t v64 = (int64_t)v;
            memcpy(tmp, &v64, 8);
            return 8;
        }
        /* FIXED_LEN_BYTE_ARRAY: big-endian two's complement, type_length bytes. */
        size_t n = (size_t)c->elem->type_length;
        for (size_t i = 0; i < n; i++)
            tmp[n - 1 - i] = (uint8_t)(((u128)v) >> (8 * i));
        return n;
    }
    case MDL_TYPE_STRING: {
        mdl_strview s = mdl_column_str(col, r);
        *str = s.ptr;
        return s.len;
    }
    }
    return 0;
}

/* ---- statistics -------------------------------------------------------------------------- */

static int update_string_stat(mdl_buf *b, mdl_strview v, mdl_error *err)
{
    b->len = 0;
    return mdl_buf_append(b, v.ptr, v.len, err);
}

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    size_t n = al < bl ? al : bl;
    int c = n ? memcmp(a, b, n) : 0; /* an empty min/max may have no buffer yet */
    return c != 0 ? c : (al > bl) - (al < bl);
}

static int update_stats(colw *c, const mdl_column *col, size_t r, mdl_error *err)
{
    bool first = !c->has_minmax;
    switch (col->type.id) {
    case MDL_TYPE_DOUBLE: {
        double d = mdl_column_f64(col, r);
        if (isnan(d))
            return MDL_OK; /* NaN never enters min/max (parquet.thrift ColumnOrder) */
        if (first || d < c->fmin || (d == 0.0 && c->fmin == 0.0))
            c->fmin = (d == 0.0) ? -0.0 : d;
        if (first || d > c->fmax || (d == 0.0 && c->fmax == 0.0))
            c->fmax = (d == 0.0) ? 0.0 : d;
        break;
    }
    case MDL_TYPE_STRING: {
        mdl_strview v = mdl_column_str(col, r);
        int rc = MDL_OK;
        if (first || cmp_bytes(v.ptr, v.len, c->smin.data, c->smin.len) < 0)
            rc = update_string_stat(&c->smin, v, err);
        if (rc == MDL_OK && (first || cmp_bytes(v.ptr, v.len, c->smax.data, c->smax.len) > 0))
            rc = update_string_stat(&c->smax, v, err);
        if (rc != MDL_OK)
            return rc;
        break;
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 v = mdl_column_decimal(col, r);
        if (first || v < c->dmin)
            c->dmin = v;
        if (first || v > c->dmax)
            c->dmax = v;
        break;
    }
    case MDL_TYPE_BOOLEAN:
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP: {
        int64_t v = col->type.id == MDL_TYPE_BOOLEAN ? (int64_t)mdl_column_bool(col, r)
                    : (col->type.id == MDL_TYPE_INT32 || col->type.id == MDL_TYPE_DATE)
                        ? (int64_t)mdl_column_i32(col, r)
                        : mdl_column_i64(col, r);
        if (first || v < c->imin)
            c->imin = v;
        if (first || v > c->imax)
            c->imax = v;
        break;
    }
    }
    c->has_minmax = true;
    return MDL_OK;
}

/* PLAIN bytes of a statistic (no length prefix for byte arrays). */
static size_t stat_bytes(const colw *c, bool max, uint8_t tmp[16], const char **str)
{
    *str = NULL;
    switch (c->field->type.id) {
    case MDL_TYPE_BOOLEAN:
        tmp[0] = (uint8_t)(max ? c->imax : c->imin);
        return 1;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE: {
        int32_t v = (int32_t)(max ? c->imax : c->imin);
        memcpy(tmp, &v, 4);
        return 4;
    }
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP: {
        int64_t v = max ? c->imax : c->imin;
        memcpy(tmp, &v, 8);
        return 8;
    }
    case MDL_TYPE_DOUBLE: {
        double v = max ? c->fmax : c->fmin;
        memcpy(tmp, &v, 8);
        return 8;
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 v = max ? c->dmax : c->dmin;
        if (c->elem->type == PQ_INT32) {
            int32_t v32 = (int32_t)v;
            memcpy(tmp, &v32, 4);
            return 4;
        }
        if (c->elem->type == PQ_INT64) {
            int64_t v64 = (int64_t)v;
            memcpy(tmp, &v64, 8);
            return 8;
        }
        size_t n = (size_t)c->elem->type_length;
        for (size_t i = 0; i < n; i++)
            tmp[n - 1 - i] = (uint8_t)(((u128)v) >> (8 * i));
        return n;
    }
    case MDL_TYPE_STRING:
        *str = max ? c->smax.data : c->smin.data;
        return max ? c->smax.len : c->smin.len;
    }
    return 0;
}

/* ---- pages ------------------------------------------------------------------------------- */

static int flush_page(mdl_parquet_writer *w, colw *c, mdl_error *err)
{
    if (c->page_rows == 0)
        return MDL_OK;
    mdl_buf *body = &w->file.body;
    body->len = 0;
    int rc = MDL_OK;
    if (c->optional) {
        rc = mdl_format__pq_append_levels(body, c->def, c->def_len, 1, err);
        if (rc != MDL_OK)
            return rc;
    }
    pq_page_header h;
    memset(&h, 0, sizeof h);
    h.type = PQ_PAGE_DATA;
    h.num_values = (int32_t)c->page_rows;
    h.def_encoding = PQ_ENC_RLE;
    h.rep_encoding = PQ_ENC_RLE;
    if (c->dict_active && c->dict.count > 0) {
        uint8_t bw = (uint8_t)mdl_format__pq_bit_width(c->dict.count - 1);
        rc = mdl_buf_append(body, &bw, 1, err);
        if (rc == MDL_OK)
            rc = mdl_format__pq_rle_encode(c->idx, c->idx_len, bw, body, err);
        h.encoding = PQ_ENC_RLE_DICTIONARY;
        c->dict_used = true;
    } else if (c->field->type.id == MDL_TYPE_BOOLEAN) {
        /* PLAIN booleans are bit-packed, least significant bit first. */
        rc =
            mdl_format__pq_plain_encode_bool((const uint8_t *)c->vals.data, c->vals.len, body, err);
        h.encoding = PQ_ENC_PLAIN;
        c->enc_plain = true;
    } else {
        rc = mdl_buf_append(body, c->vals.data, c->vals.len, err);
        h.encoding = PQ_ENC_PLAIN;
        c->enc_plain = true;
    }
    if (rc == MDL_OK)
        rc = mdl_format__pq_file_writer_page(&w->file, &h, &c->pages, &c->uncompressed,
                                             &c->compressed, err);
    c->num_values += (int64_t)c->page_rows;
    c->page_rows = c->idx_len = c->def_len = 0;
    c->vals.len = 0;
    return rc;
}

/* Bytes the current page would take before compression (an estimate for dictionary ids). */
static size_t page_estimate(const colw *c)
{
    size_t est = c->def_len / 8;
    if (c->dict_active)
        est += c->idx_len * (size_t)(mdl_format__pq_bit_width(c->dict.count) + 1) / 8;
    else
        est += c->vals.len;
    return est;
}

/* ---- appending values -------------------------------------------------------------------- */

/*
 * The current page switches from dictionary ids to PLAIN in place: its ids are replaced by
 * the dictionary entries they stand for, so one page never mixes encodings and the rows of
 * a slice need not be split when the dictionary fills up.
 */
static int page_ids_to_plain(colw *c, mdl_error *err)
{
    const pq_dict *d = &c->dict;
    for (size_t i = 0; i < c->idx_len; i++) {
        uint32_t id = c->idx[i];
        int rc;
        if (d->width > 0) {
            rc = mdl_buf_append(&c->vals, d->plain.data + (size_t)id * d->width, d->width, err);
        } else {
            uint32_t len;
            memcpy(&len, d->plain.data + d->offsets[id], 4);
            rc = mdl_buf_append(&c->vals, d->plain.data + d->offsets[id], 4 + (size_t)len, err);
        }
        if (rc != MDL_OK)
            return rc;
    }
    c->idx_len = 0;
    c->dict_active = false;
    return MDL_OK;
}

/* Statistics of the non-null rows [from, to): one tight loop per type. */
static int slice_stats(colw *c, const mdl_column *col, size_t from, size_t to, mdl_error *err)
{
    if (col->type.id == MDL_TYPE_STRING || col->type.id == MDL_TYPE_DOUBLE ||
        col->type.id == MDL_TYPE_DECIMAL || col->type.id == MDL_TYPE_BOOLEAN) {
        for (size_t r = from; r < to; r++) {
            if (mdl_column_is_null(col, r))
                continue;
            int rc = update_stats(c, col, r, err);
            if (rc != MDL_OK)
                return rc;
        }
        return MDL_OK;
    }
    bool narrow = col->type.id == MDL_TYPE_INT32 || col->type.id == MDL_TYPE_DATE;
    int64_t mn = c->imin, mx = c->imax;
    bool any = c->has_minmax;
    for (size_t r = from; r < to; r++) {
        if (mdl_column_is_null(col, r))
            continue;
        int64_t v = narrow ? (int64_t)mdl_column_i32(col, r) : mdl_column_i64(col, r);
        if (!any) {
            mn = mx = v;
            any = true;
        } else if (v < mn) {
            mn = v;
        } else if (v > mx) {
            mx = v;
        }
    }
    c->imin = mn;
    c->imax = mx;
    c->has_minmax = any;
    return MDL_OK;
}

static int append_slice(mdl_parquet_writer *w, colw *c, const mdl_column *col, size_t from,
                        size_t to, mdl_error *err)
{
    size_t n = to - from;
    int rc = grow_levels(w->ctx, c, c->page_rows + n, err);
    if (rc == MDL_OK)
        rc = slice_stats(c, col, from, to, err);
    if (rc != MDL_OK)
        return rc;
    /* Definition levels and null counts for the whole slice first. */
    if (c->optional) {
        uint32_t *def = c->def + c->def_len;
        if (col->validity == NULL) {
            for (size_t i = 0; i < n; i++)
                def[i] = 1;
        } else {
            for (size_t i = 0; i < n; i++) {
                def[i] = !mdl_column_is_null(col, from + i);
                c->null_count += !def[i];
            }
        }
        c->def_len += n;
    }
    c->page_rows += n;
    /* Room for the PLAIN form of the whole slice, so values are appended without checks. */
    size_t need = n * 16;
    if (col->type.id == MDL_TYPE_STRING) {
        const int64_t *off = col->values;
        need = (size_t)(off[to] - off[from]) + 4 * n;
    }
    rc = mdl_buf_reserve(&c->vals, need, err);
    for (size_t r = from; rc == MDL_OK && r < to; r++) {
        if (col->validity != NULL && mdl_column_is_null(col, r))
            continue;
        uint8_t tmp[16];
        const char *str;
        size_t len = plain_value(c, col, r, tmp, &str);
        if (c->dict_active) {
            uint32_t id;
            bool full;
            rc = mdl_format__pq_dict_find_or_add(&c->dict, str ? (const void *)str : tmp, len,
                                                 w->file.opts.dictionary_bytes, &id, &full, err);
            if (rc == MDL_OK && !full) {
                c->idx[c->idx_len++] = id;
                c->dict_values++;
                continue;
            }
            if (rc == MDL_OK) {
                rc = page_ids_to_plain(c, err);
                if (rc == MDL_OK) /* the page grew by the ids turned into values */
                    rc = mdl_buf_reserve(&c->vals, need, err);
            }
            if (rc != MDL_OK)
                break;
        }
        char *dst = c->vals.data + c->vals.len;
        if (str != NULL) {
            uint32_t l32 = (uint32_t)len;
            memcpy(dst, &l32, 4);
            memcpy(dst + 4, str, len);
            c->vals.len += 4 + len;
        } else {
            memcpy(dst, tmp, len);
            c->vals.len += len;
        }
    }
    return rc;
}

/*
 * After DICT_SAMPLE values, a column whose values are more than half distinct gives up on its
 * dictionary for the rest of the chunk (as parquet-java gives up when the dictionary does not
 * beat PLAIN); lookups into a large, mostly useless table were a third of the write time.
 */
#define DICT_SAMPLE 16384

static bool dictionary_unprofitable(const colw *c)
{
    return c->dict_active && c->dict_values >= DICT_SAMPLE && c->dict.count * 2 > c->dict_values;
}

/* ---- row groups -------------------------------------------------------------------------- */

static void reset_chunk(colw *c)
{
    c->dict_used = false;
    c->dict_values = 0;
    mdl_format__pq_dict_clear(&c->dict);
    c->pages.len = 0;
    c->num_values = c->uncompressed = c->compressed = 0;
    c->enc_plain = false;
    c->null_count = 0;
    c->has_minmax = false;
    c->smin.len = c->smax.len = 0;
}

static int start_chunk(mdl_parquet_writer *w, colw *c, mdl_error *err)
{
    (void)err;
    reset_chunk(c);
    c->dict_active = w->file.opts.dictionary && c->field->type.id != MDL_TYPE_BOOLEAN;
    return MDL_OK;
}

static int save_stats(colw *c, mdl_format__pq_chunk_info *ci, mdl_error *err)
{
    ci->has_stats = true;
    ci->null_count = c->null_count;
    if (!c->has_minmax)
        return MDL_OK;
    if (c->field->type.id == MDL_TYPE_STRING &&
        (c->smin.len > STATS_MAX_STRING || c->smax.len > STATS_MAX_STRING))
        return MDL_OK; /* too long to be worth a footer entry */
    for (int m = 0; m < 2; m++) {
        uint8_t tmp[16];
        const char *str;
        size_t len = stat_bytes(c, m == 1, tmp, &str);
        char *copy = mdl_strndup(c->vals.ctx, str ? str : (const char *)tmp, len);
        if (copy == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory keeping statistics");
        if (m == 1) {
            ci->max = copy;
            ci->max_len = len;
        } else {
            ci->min = copy;
            ci->min_len = len;
        }
    }
    ci->has_minmax = true;
    return MDL_OK;
}

static int flush_row_group(mdl_parquet_writer *w, mdl_error *err)
{
    if (w->rg_rows == 0)
        return MDL_OK;
    mdl_format__pq_rg_info *g;
    int rc = mdl_format__pq_file_writer_add_row_group(&w->file, w->ncols, w->rg_rows, &g, err);
    for (size_t i = 0; rc == MDL_OK && i < w->ncols; i++) {
        colw *c = &w->cols[i];
        mdl_format__pq_chunk_info *ci = &g->chunks[i];
        rc = flush_page(w, c, err);
        if (rc != MDL_OK)
            break;
        ci->type = c->elem->type;
        ci->path = &c->name;
        ci->path_len = 1;
        ci->dictionary_page_offset = PQ_ABSENT;
        int64_t unc = c->uncompressed, comp = c->compressed;
        if (c->dict_used) {
            ci->dictionary_page_offset = (int64_t)w->file.offset;
            pq_page_header h;
            memset(&h, 0, sizeof h);
            h.type = PQ_PAGE_DICTIONARY;
            h.num_values = (int32_t)c->dict.count;
            h.encoding = PQ_ENC_PLAIN;
            w->file.body.len = 0;
            mdl_buf dictpage;
            mdl_buf_init(&dictpage, w->ctx, 0);
            rc = mdl_buf_append(&w->file.body, c->dict.plain.data, c->dict.plain.len, err);
            if (rc == MDL_OK)
                rc = mdl_format__pq_file_writer_page(&w->file, &h, &dictpage, &unc, &comp, err);
            if (rc == MDL_OK)
                rc = mdl_format__pq_file_writer_write(&w->file, dictpage.data, dictpage.len, err);
            mdl_buf_reset(&dictpage);
            if (rc != MDL_OK)
                break;
        }
        ci->data_page_offset = (int64_t)w->file.offset;
        rc = mdl_format__pq_file_writer_write(&w->file, c->pages.data, c->pages.len, err);
        if (rc != MDL_OK)
            break;
        ci->num_values = c->num_values;
        ci->total_uncompressed = unc;
        ci->total_compressed = comp;
        ci->enc_plain = c->enc_plain;
        ci->enc_dict = c->dict_used;
        g->total_uncompressed += unc;
        g->total_compressed += comp;
        rc = save_stats(c, ci, err);
        if (rc == MDL_OK)
            rc = start_chunk(w, c, err);
    }
    w->rg_rows = 0;
    return rc;
}

static size_t row_group_estimate(const mdl_parquet_writer *w)
{
    size_t total = 0;
    for (size_t i = 0; i < w->ncols; i++) {
        const colw *c = &w->cols[i];
        total += (size_t)c->uncompressed + page_estimate(c) + c->dict.plain.len;
    }
    return total;
}

/* Bytes of one PLAIN value in the dictionary (0 for byte arrays). */
static size_t dict_width(const colw *c)
{
    switch (c->elem->type) {
    case PQ_INT32:
        return 4;
    case PQ_INT64:
    case PQ_DOUBLE:
        return 8;
    case PQ_FLBA:
        return (size_t)c->elem->type_length;
    default:
        return 0;
    }
}

/* ---- public API -------------------------------------------------------------------------- */

int mdl_parquet_writer_open(mdl_ctx *ctx, mdl_output *out, mdl_schema *schema,
                            const mdl_parquet_write_options *opts, mdl_parquet_writer **wout,
                            mdl_error *err)
{
    *wout = NULL;
    mdl_parquet_writer *w = mdl_calloc(ctx, 1, sizeof *w);
    if (w == NULL) {
        out->abort(out);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet writer");
    }
    w->ctx = ctx;
    w->schema = mdl_schema_retain(schema);
    int rc = mdl_format__pq_file_writer_init(&w->file, ctx, out, opts, err);
    if (rc != MDL_OK)
        goto fail;
    w->ncols = schema->num_fields;
    w->cols = mdl_calloc(ctx, w->ncols ? w->ncols : 1, sizeof(colw));
    w->elems = mdl_calloc(ctx, w->ncols + 1, sizeof(pq_schema_element));
    if (w->cols == NULL || w->elems == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet writer");
        goto fail;
    }
    pq_schema_element *root = &w->elems[0];
    root->type = root->repetition = root->converted_type = PQ_ABSENT;
    root->name = mdl_sv("schema");
    root->num_children = (int32_t)w->ncols;
    for (size_t i = 0; i < w->ncols; i++) {
        colw *c = &w->cols[i];
        c->field = &schema->fields[i];
        c->name = c->field->name;
        mdl_format__pq_element_for(c->field, &w->elems[i + 1]);
        c->elem = &w->elems[i + 1];
        c->optional = c->field->nullable;
        mdl_buf_init(&c->vals, ctx, 0);
        mdl_format__pq_dict_init(&c->dict, ctx, dict_width(c));
        mdl_buf_init(&c->pages, ctx, 0);
        mdl_buf_init(&c->smin, ctx, 0);
        mdl_buf_init(&c->smax, ctx, 0);
        rc = start_chunk(w, c, err);
        if (rc != MDL_OK)
            goto fail;
    }
    rc = mdl_format__pq_file_writer_write(&w->file, "PAR1", 4, err);
    if (rc != MDL_OK)
        goto fail;
    *wout = w;
    return MDL_OK;
fail:
    mdl_parquet_writer_abort(w);
    return rc;
}

int mdl_parquet_writer_write(mdl_parquet_writer *w, const mdl_batch *b, mdl_error *err)
{
    if (w->failed)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "the Parquet writer already failed");
    if (b->schema->num_fields != w->ncols)
        return mdl_error_set(err, MDL_ERR_SCHEMA, "batch has %zu columns, the file has %zu",
                             b->schema->num_fields, w->ncols);
    for (size_t i = 0; i < w->ncols; i++) {
        if (!mdl_type_equal(b->columns[i].type, w->cols[i].field->type))
            return mdl_error_set(err, MDL_ERR_SCHEMA, "column '%s': batch type differs",
                                 w->cols[i].field->name);
        if (!w->cols[i].optional && b->columns[i].null_count > 0)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "column '%s' is not nullable but the batch has nulls",
                                 w->cols[i].field->name);
    }
    int rc = MDL_OK;
    size_t row = 0;
    while (rc == MDL_OK && row < b->num_rows) {
        size_t n = b->num_rows - row;
        if (n > SLICE_ROWS)
            n = SLICE_ROWS;
        if (w->file.opts.row_group_rows > 0 && (size_t)w->rg_rows + n > w->file.opts.row_group_rows)
            n = w->file.opts.row_group_rows - (size_t)w->rg_rows;
        for (size_t i = 0; rc == MDL_OK && i < w->ncols; i++) {
            colw *c = &w->cols[i];
            rc = append_slice(w, c, &b->columns[i], row, row + n, err);
            if (rc == MDL_OK && dictionary_unprofitable(c)) {
                /* Mostly distinct values: a dictionary only costs time and space here. */
                rc = flush_page(w, c, err);
                c->dict_active = false;
            }
            /* Also by rows: constant and low-cardinality columns encode to a few bits a row, so
             * the byte estimate alone would keep a page's level arrays (8 bytes a row) growing
             * for a whole row group. */
            if (rc == MDL_OK &&
                (page_estimate(c) >= w->file.opts.page_bytes || c->page_rows >= MAX_PAGE_ROWS))
                rc = flush_page(w, c, err);
        }
        w->rg_rows += (int64_t)n;
        w->total_rows += (int64_t)n;
        row += n;
        if (rc == MDL_OK && ((w->file.opts.row_group_rows > 0 &&
                              (size_t)w->rg_rows >= w->file.opts.row_group_rows) ||
                             row_group_estimate(w) >= w->file.opts.row_group_bytes))
            rc = flush_row_group(w, err);
    }
    if (rc != MDL_OK)
        w->failed = 1;
    return rc;
}

static void free_writer(mdl_parquet_writer *w)
{
    for (size_t i = 0; w->cols != NULL && i < w->ncols; i++) {
        colw *c = &w->cols[i];
        mdl_buf_reset(&c->vals);
        mdl_buf_reset(&c->pages);
        mdl_buf_reset(&c->smin);
        mdl_buf_reset(&c->smax);
        mdl_format__pq_dict_free(&c->dict);
        mdl_free(w->ctx, c->idx);
        mdl_free(w->ctx, c->def);
    }
    mdl_free(w->ctx, w->cols);
    mdl_free(w->ctx, w->elems);
    mdl_format__pq_file_writer_free(&w->file);
    mdl_schema_release(w->schema);
    mdl_free(w->ctx, w);
}

int mdl_parquet_writer_close(mdl_parquet_writer *w, uint64_t *rows_out, uint64_t *bytes_out,
                             mdl_error *err)
{
    int rc = w->failed ? mdl_error_set(err, MDL_ERR_INVALID_ARG, "the Parquet writer failed")
                       : flush_row_group(w, err);
    rc = mdl_format__pq_file_writer_close(&w->file, rc, w->elems, w->ncols + 1, w->total_rows, true,
                                          rows_out, bytes_out, err);
    free_writer(w);
    return rc;
}

void mdl_parquet_writer_abort(mdl_parquet_writer *w)
{
    if (w == NULL)
        return;
    w->file.out->abort(w->file.out);
    free_writer(w);
}
