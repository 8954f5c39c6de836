/*
 * parquet_page.c - column chunks and pages of flat Parquet columns, decoded into medallion
 * column storage. Spec: apache/parquet-format README.md ("Column chunks", "Data Pages",
 * "Nested encoding"), Encodings.md, LogicalTypes.md and parquet.thrift (PageHeader,
 * DataPageHeader, DataPageHeaderV2, DictionaryPageHeader).
 *
 * Byte layouts this file expects (all lengths little-endian) for flat columns, which have no
 * repetition levels and a maximum definition level of 1 for OPTIONAL, 0 for REQUIRED; leaves
 * of nested schemas (with levels up to max_rep / max_def) are read by load_levels_page and
 * mdl_format__pq_chunk_reader_read_levels at the end of the file:
 *
 *   column chunk   [page ...] starting at min(dictionary_page_offset, data_page_offset),
 *                  total_compressed_size bytes
 *   page           PageHeader (Thrift compact) | body[compressed_page_size]
 *
 *   DICTIONARY_PAGE (at most one, before every data page), body compressed as a whole:
 *                  num_values values, PLAIN (encoding PLAIN or the legacy PLAIN_DICTIONARY)
 *
 *   DATA_PAGE (v1), body compressed as a whole, then:
 *                  [u32 len | def levels: RLE/bit-packed hybrid, bit width 1]  OPTIONAL only
 *                  values of the non-null rows, in the page's encoding
 *
 *   DATA_PAGE_V2   [rep levels: rep_len bytes] [def levels: def_len bytes, hybrid, no length]
 *                  (levels never compressed) | values (compressed when is_compressed)
 *
 *   values         PLAIN                  see parquet_encoding.h
 *                  PLAIN_DICTIONARY /     u8 bit width (<= 32) | hybrid dictionary indices
 *                  RLE_DICTIONARY
 *                  RLE (BOOLEAN)          u32 len | hybrid, bit width 1
 *                  DELTA_BINARY_PACKED    INT32, INT64
 *                  DELTA_LENGTH_BYTE_ARRAY BYTE_ARRAY
 *                  DELTA_BYTE_ARRAY       BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY
 *                  BYTE_STREAM_SPLIT      FLOAT, DOUBLE, INT32, INT64, FIXED_LEN_BYTE_ARRAY
 *
 * INDEX_PAGE and unknown page types are skipped. Counts are checked as they are used: a data
 * page's definition levels must hold num_values levels, exactly as many values as there are
 * 1 levels are decoded, and the chunk's pages together hold exactly the row group's rows.
 *
 * Memory: the chunk bytes, one decompressed page, and MDL_PQ_WINDOW-sized scratch. Levels,
 * PLAIN values and dictionary indices stream through the scratch, so a page that claims
 * millions of values in a few bytes of RLE costs time, not memory. The encodings that can
 * only be decoded whole (DELTA_*, BYTE_STREAM_SPLIT) decode into buffers bounded by
 * page_limit.
 */
#include <stdio.h>
#include <string.h>

#include "parquet_encoding.h"
#include "parquet_page.h"
#include "parquet_schema.h"

__extension__ typedef unsigned __int128 pq_u128;

/* How a physical value becomes a medallion value. */
enum {
    C_COPY1,  /* BOOLEAN */
    C_COPY4,  /* INT32 -> INT32 / DATE */
    C_COPY8,  /* INT64 -> INT64 / TIMESTAMP(MICROS), DOUBLE, INT96 (already micros) */
    C_U32,    /* unsigned INT32 -> INT64 */
    C_MILLIS, /* INT64 TIMESTAMP(MILLIS) -> micros */
    C_NANOS,  /* INT64 TIMESTAMP(NANOS) -> micros, floor */
    C_F32,    /* FLOAT -> DOUBLE */
    C_DEC32,  /* INT32 decimal */
    C_DEC64,  /* INT64 decimal */
    C_DECBE,  /* FIXED_LEN_BYTE_ARRAY / BYTE_ARRAY decimal, big-endian two's complement */
    C_STRING  /* BYTE_ARRAY -> STRING, UTF-8 checked */
};

/* Why a value did not convert. */
enum { BAD_NONE, BAD_UTF8, BAD_DECIMAL_LONG, BAD_DECIMAL_RANGE, BAD_TIMESTAMP, BAD_LENGTH };

/* Where the current page's values come from. */
enum {
    V_NONE,
    V_FIXED,    /* PLAIN fixed-width values (or BYTE_STREAM_SPLIT, rearranged), little-endian */
    V_BITS,     /* PLAIN BOOLEAN bits */
    V_BYTES,    /* PLAIN BYTE_ARRAY */
    V_RLE_BOOL, /* RLE BOOLEAN */
    V_DICT,     /* dictionary indices */
    V_HOST,     /* DELTA_BINARY_PACKED, decoded to host-order integers in `mat` */
    V_MAT_BYTES /* DELTA_(LENGTH_)BYTE_ARRAY, decoded to mat_data / mat_off */
};

struct mdl_format__pq_chunk_reader {
    mdl_ctx *ctx;
    mdl_format__pq_leaf leaf;
    const char *file;
    mdl_format__decompressor *dec;
    size_t page_limit;
    int conv;
    size_t pw; /* bytes of one fixed-width physical value in host form; 0 for byte arrays */

    /* the chunk */
    uint8_t *chunk;
    size_t chunk_cap, chunk_len, chunk_pos;
    uint64_t chunk_offset; /* file offset of chunk[0] */
    size_t rg;
    int codec;
    uint64_t rows_total, rows_done;
    bool data_seen;

    /* the dictionary, converted to the leaf's storage */
    bool has_dict;
    size_t dict_n;
    mdl_column dict;
    uint8_t *dict_bad; /* BAD_* per entry when some did not convert, else NULL */

    /* the current data page */
    uint8_t *page; /* decompression buffer, reused */
    size_t page_cap;
    size_t page_left; /* rows of the page not read yet */
    bool defs;        /* the page has definition levels */
    mdl_format__pq_rle_decoder def_dec;
    mdl_format__pq_rle_decoder rep_dec; /* leaves with levels: repetition levels */
    int vkind;
    const uint8_t *vp;
    size_t vlen, vpos; /* V_FIXED / V_BYTES: byte offset; V_BITS: bit offset */
    mdl_format__pq_rle_decoder val_dec;
    uint8_t *mat;
    size_t mat_cap, mat_pos;
    mdl_buf mat_data;
    int64_t *mat_off;
    size_t mat_off_cap;

    /* one window of values */
    const uint8_t *pv; /* fixed-width values in host form: `phys` or into `mat` */
    uint32_t levels[MDL_PQ_WINDOW];
    uint32_t ids[MDL_PQ_WINDOW];
    mdl_strview views[MDL_PQ_WINDOW];
    uint8_t phys[MDL_PQ_WINDOW * 16];
};

static const uint8_t EMPTY[1] = {0};

/* ---- leaves and value conversion ---------------------------------------------------------- */

int mdl_format__pq_leaf_init(const pq_schema_element *e, const char *name, mdl_format__pq_leaf *out,
                             mdl_error *err)
{
    memset(out, 0, sizeof *out);
    out->name = name;
    out->physical = e->type;
    out->type_length = e->type_length;
    out->optional = e->repetition == PQ_OPTIONAL;
    int rc = mdl_format__pq_type_for(e, &out->type, err);
    if (rc != MDL_OK)
        return rc;
    if (out->type.id == MDL_TYPE_TIMESTAMP && e->type == PQ_INT64) {
        if (e->logical.kind == PQ_LT_TIMESTAMP)
            out->ts_unit = e->logical.unit;
        else
            out->ts_unit =
                e->converted_type == PQ_CT_TIMESTAMP_MILLIS ? PQ_UNIT_MILLIS : PQ_UNIT_MICROS;
        if (out->ts_unit < PQ_UNIT_MILLIS || out->ts_unit > PQ_UNIT_NANOS)
            return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                 "column '%s': a TIMESTAMP without a known unit is not supported",
                                 name);
    }
    if (e->type == PQ_FLBA && (e->type_length < 1 || e->type_length > 16))
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "column '%s': a FIXED_LEN_BYTE_ARRAY of length %ld is not supported",
                             name, (long)e->type_length);
    return MDL_OK;
}

static int conv_for(const mdl_format__pq_leaf *l)
{
    switch (l->type.id) {
    case MDL_TYPE_BOOLEAN:
        return C_COPY1;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        return C_COPY4;
    case MDL_TYPE_INT64:
        return l->physical == PQ_INT32 ? C_U32 : C_COPY8;
    case MDL_TYPE_DOUBLE:
        return l->physical == PQ_FLOAT ? C_F32 : C_COPY8;
    case MDL_TYPE_DECIMAL:
        return l->physical == PQ_INT32 ? C_DEC32 : l->physical == PQ_INT64 ? C_DEC64 : C_DECBE;
    case MDL_TYPE_STRING:
        return C_STRING;
    case MDL_TYPE_TIMESTAMP:
        return l->ts_unit == PQ_UNIT_MILLIS  ? C_MILLIS
               : l->ts_unit == PQ_UNIT_NANOS ? C_NANOS
                                             : C_COPY8;
    }
    return C_COPY8;
}

/* Bytes of one fixed-width physical value in host form (INT96 is decoded to int64). */
static size_t host_width(const mdl_format__pq_leaf *l)
{
    switch (l->physical) {
    case PQ_BOOLEAN:
        return 1;
    case PQ_INT32:
    case PQ_FLOAT:
        return 4;
    case PQ_INT64:
    case PQ_DOUBLE:
    case PQ_INT96:
        return 8;
    case PQ_FLBA:
        return (size_t)l->type_length;
    default:
        return 0;
    }
}

static const char *bad_reason(int bad)
{
    switch (bad) {
    case BAD_UTF8:
        return "value is not valid UTF-8";
    case BAD_DECIMAL_LONG:
        return "decimal value is longer than 16 bytes";
    case BAD_DECIMAL_RANGE:
        return "decimal value has more digits than the column's precision";
    case BAD_TIMESTAMP:
        return "timestamp is outside the range of int64 microseconds";
    case BAD_LENGTH:
        return "value length differs from the FIXED_LEN_BYTE_ARRAY length";
    default:
        return "value does not convert";
    }
}

static void store_decimal(mdl_type t, mdl_i128 v, uint8_t *dst, int *bad)
{
    mdl_i128 limit = mdl_decimal_pow10(t.precision);
    if (v >= limit || v <= -limit) {
        *bad = BAD_DECIMAL_RANGE;
        return;
    }
    if (t.precision <= MDL_DECIMAL64_MAX_PRECISION) {
        int64_t x = (int64_t)v;
        memcpy(dst, &x, 8);
    } else {
        memcpy(dst, &v, 16);
    }
}

/* A big-endian two's-complement integer of 0..16 bytes, sign-extended. */
static mdl_i128 decimal_be(const uint8_t *p, size_t len)
{
    pq_u128 u = (len > 0 && (p[0] & 0x80)) ? ~(pq_u128)0 : 0;
    for (size_t i = 0; i < len; i++)
        u = (u << 8) | p[i];
    mdl_i128 v;
    memcpy(&v, &u, sizeof v);
    return v;
}

/*
 * Appends one value, given in physical host form (`len` bytes for byte arrays), to `col`.
 * *bad is set (and nothing appended) when the value does not convert; the return value is
 * for real failures (memory).
 */
static int convert_value(mdl_ctx *ctx, int conv, mdl_type t, const uint8_t *p, size_t len,
                         mdl_column *col, int *bad, mdl_error *err)
{
    *bad = BAD_NONE;
    if (conv == C_STRING) {
        if (!mdl_utf8_valid((const char *)p, len)) {
            *bad = BAD_UTF8;
            return MDL_OK;
        }
        return mdl_column_append_string(ctx, col, (const char *)p, len, err);
    }
    size_t row = col->length;
    if (row >= col->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", col->capacity);
    uint8_t *dst = (uint8_t *)col->values + row * mdl_type_width(t);
    switch (conv) {
    case C_COPY1:
        *dst = p[0] != 0;
        break;
    case C_COPY4:
        memcpy(dst, p, 4);
        break;
    case C_COPY8:
        memcpy(dst, p, 8);
        break;
    case C_U32: {
        uint32_t u;
        memcpy(&u, p, 4);
        int64_t v = u;
        memcpy(dst, &v, 8);
        break;
    }
    case C_MILLIS: {
        int64_t v;
        memcpy(&v, p, 8);
        if (__builtin_mul_overflow(v, 1000, &v))
            *bad = BAD_TIMESTAMP;
        else
            memcpy(dst, &v, 8);
        break;
    }
    case C_NANOS: {
        int64_t v;
        memcpy(&v, p, 8);
        int64_t q = v / 1000;
        if (v % 1000 < 0)
            q--;
        memcpy(dst, &q, 8);
        break;
    }
    case C_F32: {
        float f;
        memcpy(&f, p, 4);
        double d = (double)f;
        memcpy(dst, &d, 8);
        break;
    }
    case C_DEC32: {
        int32_t v;
        memcpy(&v, p, 4);
        store_decimal(t, v, dst, bad);
        break;
    }
    case C_DEC64: {
        int64_t v;
        memcpy(&v, p, 8);
        store_decimal(t, v, dst, bad);
        break;
    }
    case C_DECBE:
        if (len > 16)
            *bad = BAD_DECIMAL_LONG;
        else
            store_decimal(t, decimal_be(p, len), dst, bad);
        break;
    default:
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown Parquet value conversion");
    }
    if (*bad != BAD_NONE)
        return MDL_OK;
    if (col->validity != NULL)
        col->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
    col->length = row + 1;
    return MDL_OK;
}

int mdl_format__pq_append_plain(mdl_ctx *ctx, const mdl_format__pq_leaf *leaf, const uint8_t *data,
                                size_t len, mdl_column *col, mdl_error *err)
{
    if (leaf->physical == PQ_INT96)
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED, "INT96 statistics are not used");
    size_t want = leaf->physical == PQ_BYTE_ARRAY ? len
                  : leaf->physical == PQ_INT96    ? 12
                                                  : host_width(leaf);
    if (len != want)
        return mdl_error_set(err, MDL_ERR_PARSE, "a %s value of %zu bytes (expected %zu)",
                             mdl_format__pq_type_name(leaf->physical), len, want);
    if (leaf->physical == PQ_BOOLEAN && data[0] > 1)
        return mdl_error_set(err, MDL_ERR_PARSE, "a BOOLEAN value of %u", data[0]);
    uint8_t host[16];
    const uint8_t *p = data;
    size_t used;
    int rc = MDL_OK;
    if (leaf->physical == PQ_INT32 || leaf->physical == PQ_FLOAT) {
        rc = mdl_format__pq_plain_decode_i32(data, len, 1, host, &used, err);
        p = host;
    } else if (leaf->physical == PQ_INT64 || leaf->physical == PQ_DOUBLE) {
        rc = mdl_format__pq_plain_decode_i64(data, len, 1, host, &used, err);
        p = host;
    }
    if (rc != MDL_OK)
        return rc;
    int bad;
    rc = convert_value(ctx, conv_for(leaf), leaf->type, p, len, col, &bad, err);
    if (rc == MDL_OK && bad != BAD_NONE)
        rc = mdl_error_set(err, MDL_ERR_PARSE, "%s", bad_reason(bad));
    return rc;
}

/* ---- the chunk reader --------------------------------------------------------------------- */

static int chunk_error(const mdl_format__pq_chunk_reader *r, mdl_error *err, int code,
                       const char *fmt, ...) MDL_PRINTF(4, 5);

/* "FILE: column 'c' row group G: <message>" */
static int chunk_error(const mdl_format__pq_chunk_reader *r, mdl_error *err, int code,
                       const char *fmt, ...)
{
    char msg[MDL_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mdl_error_set(err, code, "%s: column '%s' row group %zu: %s", r->file, r->leaf.name,
                         r->rg, msg);
}

/* Makes buf hold at least `need` bytes; *out is the (possibly moved) buffer, also on failure. */
static int grow(mdl_ctx *ctx, void *buf, size_t *cap, size_t need, void **out, mdl_error *err)
{
    *out = buf;
    if (need <= *cap && buf != NULL)
        return MDL_OK;
    void *p = mdl_realloc(ctx, buf, need ? need : 1);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading Parquet (%zu bytes)", need);
    *out = p;
    *cap = need;
    return MDL_OK;
}

static void dict_reset(mdl_format__pq_chunk_reader *r)
{
    mdl_free(r->ctx, r->dict.values);
    mdl_free(r->ctx, r->dict.data);
    mdl_free(r->ctx, r->dict_bad);
    memset(&r->dict, 0, sizeof r->dict);
    r->dict_bad = NULL;
    r->dict_n = 0;
    r->has_dict = false;
}

int mdl_format__pq_chunk_reader_new(mdl_ctx *ctx, const mdl_format__pq_leaf *leaf, const char *file,
                                    mdl_format__decompressor *dec, size_t page_limit,
                                    mdl_format__pq_chunk_reader **out, mdl_error *err)
{
    *out = NULL;
    mdl_format__pq_chunk_reader *r = mdl_calloc(ctx, 1, sizeof *r);
    if (r == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet column");
    r->ctx = ctx;
    r->leaf = *leaf;
    r->file = file;
    r->dec = dec;
    r->page_limit = page_limit;
    r->conv = conv_for(leaf);
    r->pw = host_width(leaf);
    mdl_buf_init(&r->mat_data, ctx, page_limit);
    *out = r;
    return MDL_OK;
}

void mdl_format__pq_chunk_reader_free(mdl_format__pq_chunk_reader *r)
{
    if (r == NULL)
        return;
    dict_reset(r);
    mdl_free(r->ctx, r->chunk);
    mdl_free(r->ctx, r->page);
    mdl_free(r->ctx, r->mat);
    mdl_free(r->ctx, r->mat_off);
    mdl_buf_reset(&r->mat_data);
    mdl_free(r->ctx, r);
}

int mdl_format__pq_chunk_reader_start(mdl_format__pq_chunk_reader *r, mdl_rinput *in,
                                      size_t row_group, uint64_t offset, size_t len, int codec,
                                      int64_t num_values, int64_t num_rows, mdl_error *err)
{
    r->rg = row_group;
    r->codec = codec;
    r->rows_total = num_rows < 0 ? 0 : (uint64_t)num_rows;
    r->rows_done = 0;
    r->data_seen = false;
    r->page_left = 0;
    r->vkind = V_NONE;
    r->chunk_len = 0;
    r->chunk_pos = 0;
    r->chunk_offset = offset;
    dict_reset(r);
    if (r->leaf.levels)
        r->rows_total = num_values < 0 ? 0 : (uint64_t)num_values;
    else if (num_values != num_rows)
        return chunk_error(r, err, MDL_ERR_PARSE,
                           "the column chunk has %lld values but the row group has %lld rows",
                           (long long)num_values, (long long)num_rows);
    void *p;
    int rc = grow(r->ctx, r->chunk, &r->chunk_cap, len, &p, err);
    r->chunk = p;
    if (rc != MDL_OK)
        return rc;
    rc = in->read_at(in, offset, r->chunk, len, err);
    if (rc != MDL_OK)
        return rc;
    r->chunk_len = len;
    return MDL_OK;
}

/*
 * The uncompressed bytes of a page body (or of a v2 page's values): `src` itself when not
 * compressed, else decompressed into the reused page buffer. The caller checked dst_len
 * against page_limit.
 */
static int page_bytes(mdl_format__pq_chunk_reader *r, const uint8_t *src, size_t src_len,
                      size_t dst_len, bool compressed, const uint8_t **out, mdl_error *err)
{
    if (!compressed || r->codec == MDL_FORMAT__CODEC_UNCOMPRESSED) {
        if (src_len != dst_len)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "an uncompressed page of %zu bytes says it has %zu bytes", src_len,
                               dst_len);
        *out = src_len ? src : EMPTY;
        return MDL_OK;
    }
    void *p;
    int rc = grow(r->ctx, r->page, &r->page_cap, dst_len, &p, err);
    r->page = p;
    if (rc != MDL_OK)
        return rc;
    mdl_error e;
    rc = mdl_format__decompress(r->dec, r->codec, src, src_len, r->page, dst_len, &e);
    if (rc != MDL_OK)
        return chunk_error(r, err, rc, "%s", e.message);
    *out = dst_len ? r->page : EMPTY;
    return MDL_OK;
}

static uint32_t load_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* PLAIN values of the leaf's physical type. */
static void set_plain(mdl_format__pq_chunk_reader *r, const uint8_t *p, size_t len)
{
    r->vp = p;
    r->vlen = len;
    r->vpos = 0;
    r->vkind = r->leaf.physical == PQ_BOOLEAN      ? V_BITS
               : r->leaf.physical == PQ_BYTE_ARRAY ? V_BYTES
                                                   : V_FIXED;
}

/* Decodes the next m values of the current source into pv / views / ids. */
static int fetch(mdl_format__pq_chunk_reader *r, size_t m, mdl_error *err)
{
    mdl_error e;
    int rc = MDL_OK;
    const uint8_t *d = r->vkind == V_FIXED || r->vkind == V_BYTES ? r->vp + r->vpos : NULL;
    size_t left = r->vlen - r->vpos, used = 0;
    switch (r->vkind) {
    case V_FIXED:
        switch (r->leaf.physical) {
        case PQ_INT32:
            rc = mdl_format__pq_plain_decode_i32(d, left, m, r->phys, &used, &e);
            break;
        case PQ_INT64:
            rc = mdl_format__pq_plain_decode_i64(d, left, m, r->phys, &used, &e);
            break;
        case PQ_FLOAT:
            rc = mdl_format__pq_plain_decode_float(d, left, m, r->phys, &used, &e);
            break;
        case PQ_DOUBLE:
            rc = mdl_format__pq_plain_decode_double(d, left, m, r->phys, &used, &e);
            break;
        case PQ_INT96:
            rc = mdl_format__pq_plain_decode_i96(d, left, m, r->phys, &used, &e);
            break;
        default:
            rc = mdl_format__pq_plain_decode_fixed(d, left, m, r->pw, r->phys, &used, &e);
        }
        r->pv = r->phys;
        break;
    case V_BITS: {
        size_t bits_left = (r->vlen - r->vpos / 8) * 8 - r->vpos % 8;
        if (m > bits_left)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "PLAIN BOOLEAN: %zu values needed but only %zu bits remain", m,
                               bits_left);
        for (size_t i = 0; i < m; i++, r->vpos++)
            r->phys[i] = (uint8_t)((r->vp[r->vpos >> 3] >> (r->vpos & 7)) & 1);
        r->pv = r->phys;
        return MDL_OK;
    }
    case V_BYTES:
        rc = mdl_format__pq_plain_decode_bytes(d, left, m, r->views, &used, &e);
        break;
    case V_RLE_BOOL:
        rc = mdl_format__pq_rle_get(&r->val_dec, r->ids, m, &e);
        for (size_t i = 0; rc == MDL_OK && i < m; i++)
            r->phys[i] = (uint8_t)r->ids[i];
        r->pv = r->phys;
        break;
    case V_DICT:
        rc = mdl_format__pq_rle_get(&r->val_dec, r->ids, m, &e);
        if (rc != MDL_OK)
            return chunk_error(r, err, rc, "dictionary indices: %s", e.message);
        for (size_t i = 0; i < m; i++)
            if (r->ids[i] >= r->dict_n)
                return mdl_error_set(err, MDL_ERR_PARSE,
                                     "%s: dictionary index %lu out of range (dictionary has %zu "
                                     "entries) in column '%s' row group %zu",
                                     r->file, (unsigned long)r->ids[i], r->dict_n, r->leaf.name,
                                     r->rg);
        return MDL_OK;
    case V_HOST:
        r->pv = r->mat + r->mat_pos * r->pw;
        r->mat_pos += m;
        return MDL_OK;
    case V_MAT_BYTES:
        for (size_t i = 0; i < m; i++, r->mat_pos++) {
            int64_t a = r->mat_off[r->mat_pos], b = r->mat_off[r->mat_pos + 1];
            r->views[i] = mdl_sv_make(r->mat_data.data + a, (size_t)(b - a));
        }
        return MDL_OK;
    default:
        return chunk_error(r, err, MDL_ERR_PARSE, "values without a data page");
    }
    if (rc != MDL_OK)
        return chunk_error(r, err, rc, "%s", e.message);
    r->vpos += used;
    return MDL_OK;
}

/* ---- dictionary pages --------------------------------------------------------------------- */

static int append_placeholder(mdl_format__pq_chunk_reader *r, mdl_column *col, mdl_error *err)
{
    if (col->type.id == MDL_TYPE_STRING)
        return mdl_column_append_string(r->ctx, col, "", 0, err);
    static const uint8_t zero[16] = {0};
    return mdl_column_append_value(r->ctx, col, zero, err);
}

static int load_dictionary(mdl_format__pq_chunk_reader *r, const pq_page_header *h,
                           const uint8_t *body, mdl_error *err)
{
    if (h->encoding != PQ_ENC_PLAIN && h->encoding != PQ_ENC_PLAIN_DICTIONARY)
        return chunk_error(r, err, MDL_ERR_UNSUPPORTED,
                           "a dictionary page in encoding %s is not supported",
                           mdl_format__pq_encoding_name(h->encoding));
    const uint8_t *data;
    size_t len = (size_t)h->uncompressed_size;
    int rc = page_bytes(r, body, (size_t)h->compressed_size, len, true, &data, err);
    if (rc != MDL_OK)
        return rc;
    size_t n = (size_t)h->num_values, need_bits, store;
    /* Every entry takes at least a bit (BOOLEAN), 4 bytes (BYTE_ARRAY) or its width. */
    size_t min_bits = r->leaf.physical == PQ_BOOLEAN      ? 1
                      : r->leaf.physical == PQ_BYTE_ARRAY ? 32
                      : r->leaf.physical == PQ_INT96      ? 96
                                                          : r->pw * 8;
    if (!mdl_size_mul(n, min_bits, &need_bits) || need_bits / 8 > len)
        return chunk_error(r, err, MDL_ERR_PARSE,
                           "the dictionary page's %zu values do not fit in its %zu bytes", n, len);
    size_t width = mdl_type_width(r->leaf.type);
    if (!mdl_size_mul(n + 1, width, &store) || store > r->page_limit)
        return chunk_error(r, err, MDL_ERR_LIMIT,
                           "a dictionary of %zu values is over the page limit of %zu bytes", n,
                           r->page_limit);
    dict_reset(r);
    mdl_column *dc = &r->dict;
    dc->type = r->leaf.type;
    dc->capacity = n;
    dc->values = mdl_alloc(r->ctx, store);
    if (dc->values == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a dictionary");
    if (dc->type.id == MDL_TYPE_STRING) {
        ((int64_t *)dc->values)[0] = 0;
        dc->data_cap = 256;
        dc->data = mdl_alloc(r->ctx, dc->data_cap);
        if (dc->data == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a dictionary");
    }
    set_plain(r, data, len);
    for (size_t done = 0; done < n;) {
        size_t m = n - done < MDL_PQ_WINDOW ? n - done : MDL_PQ_WINDOW;
        rc = fetch(r, m, err);
        if (rc != MDL_OK)
            return rc;
        for (size_t i = 0; i < m; i++) {
            const uint8_t *p;
            size_t plen;
            if (r->vkind == V_BYTES) {
                p = (const uint8_t *)r->views[i].ptr;
                plen = r->views[i].len;
            } else {
                p = r->pv + i * r->pw;
                plen = r->pw;
            }
            int bad;
            rc = convert_value(r->ctx, r->conv, dc->type, p, plen, dc, &bad, err);
            if (rc == MDL_OK && bad != BAD_NONE) {
                if (r->dict_bad == NULL && (r->dict_bad = mdl_calloc(r->ctx, n, 1)) == NULL)
                    return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a dictionary");
                r->dict_bad[done + i] = (uint8_t)bad;
                rc = append_placeholder(r, dc, err);
            }
            if (rc != MDL_OK)
                return rc;
        }
        done += m;
    }
    r->dict_n = n;
    r->has_dict = true;
    r->vkind = V_NONE;
    return MDL_OK;
}

/* ---- data pages --------------------------------------------------------------------------- */

static int unsupported_encoding(mdl_format__pq_chunk_reader *r, int enc, mdl_error *err)
{
    const char *name = mdl_format__pq_encoding_name(enc);
    if (strcmp(name, "UNKNOWN") == 0)
        return chunk_error(r, err, MDL_ERR_UNSUPPORTED,
                           "encoding %d is not supported for %s values", enc,
                           mdl_format__pq_type_name(r->leaf.physical));
    return chunk_error(r, err, MDL_ERR_UNSUPPORTED, "encoding %s is not supported for %s values",
                       name, mdl_format__pq_type_name(r->leaf.physical));
}

/* Prepares the value source of a data page holding m non-null values. */
static int set_values(mdl_format__pq_chunk_reader *r, int enc, const uint8_t *p, size_t len,
                      size_t m, mdl_error *err)
{
    int phys = r->leaf.physical;
    mdl_error e;
    int rc;
    size_t used, bytes;
    void *np;
    r->vp = p;
    r->vlen = len;
    r->vpos = 0;
    r->mat_pos = 0;
    switch (enc) {
    case PQ_ENC_PLAIN:
        set_plain(r, p, len);
        return MDL_OK;
    case PQ_ENC_PLAIN_DICTIONARY:
    case PQ_ENC_RLE_DICTIONARY:
        if (!r->has_dict)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "a dictionary-encoded data page without a dictionary page");
        r->vkind = V_DICT;
        if (m == 0)
            return MDL_OK;
        if (len < 1)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "a dictionary-encoded data page without its bit width");
        if (p[0] > MDL_PQ_RLE_MAX_BIT_WIDTH)
            return chunk_error(r, err, MDL_ERR_PARSE, "dictionary index bit width %u is over 32",
                               p[0]);
        mdl_format__pq_rle_init(&r->val_dec, p + 1, len - 1, p[0]);
        return MDL_OK;
    case PQ_ENC_RLE:
        if (phys != PQ_BOOLEAN)
            return unsupported_encoding(r, enc, err);
        r->vkind = V_RLE_BOOL;
        if (m == 0)
            return MDL_OK;
        if (len < 4 || load_u32(p) > len - 4)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "RLE BOOLEAN values: the length prefix runs past the page (%zu "
                               "bytes)",
                               len);
        mdl_format__pq_rle_init(&r->val_dec, p + 4, load_u32(p), 1);
        return MDL_OK;
    case PQ_ENC_DELTA_BINARY_PACKED:
        if (phys != PQ_INT32 && phys != PQ_INT64)
            return unsupported_encoding(r, enc, err);
        if (!mdl_size_mul(m, r->pw, &bytes) || bytes > r->page_limit)
            return chunk_error(r, err, MDL_ERR_LIMIT,
                               "%zu DELTA_BINARY_PACKED values are over the page limit of %zu "
                               "bytes",
                               m, r->page_limit);
        rc = grow(r->ctx, r->mat, &r->mat_cap, bytes, &np, err);
        r->mat = np;
        if (rc != MDL_OK)
            return rc;
        rc = phys == PQ_INT32
                 ? mdl_format__pq_delta_decode_i32(p, len, m, (int32_t *)(void *)r->mat, &used, &e)
                 : mdl_format__pq_delta_decode_i64(p, len, m, (int64_t *)(void *)r->mat, &used, &e);
        if (rc != MDL_OK)
            return chunk_error(r, err, rc, "%s", e.message);
        r->vkind = V_HOST;
        return MDL_OK;
    case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
    case PQ_ENC_DELTA_BYTE_ARRAY:
        if (phys != PQ_BYTE_ARRAY && !(phys == PQ_FLBA && enc == PQ_ENC_DELTA_BYTE_ARRAY))
            return unsupported_encoding(r, enc, err);
        if (!mdl_size_mul(m + 1, sizeof(int64_t), &bytes) || bytes > r->page_limit)
            return chunk_error(r, err, MDL_ERR_LIMIT,
                               "%zu %s values are over the page limit of %zu bytes", m,
                               mdl_format__pq_encoding_name(enc), r->page_limit);
        rc = grow(r->ctx, r->mat_off, &r->mat_off_cap, bytes, &np, err);
        r->mat_off = np;
        if (rc != MDL_OK)
            return rc;
        r->mat_data.len = 0;
        rc = enc == PQ_ENC_DELTA_BYTE_ARRAY
                 ? mdl_format__pq_delta_bytes_decode(p, len, m, &r->mat_data, r->mat_off, &used, &e)
                 : mdl_format__pq_delta_length_decode(p, len, m, &r->mat_data, r->mat_off, &used,
                                                      &e);
        if (rc != MDL_OK)
            return chunk_error(r, err, rc, "%s", e.message);
        if (r->mat_data.data == NULL) {
            /* No bytes at all: views still need a valid base pointer. */
            rc = mdl_buf_reserve(&r->mat_data, 1, err);
            if (rc != MDL_OK)
                return rc;
        }
        r->vkind = V_MAT_BYTES;
        return MDL_OK;
    case PQ_ENC_BYTE_STREAM_SPLIT:
        if (phys != PQ_FLOAT && phys != PQ_DOUBLE && phys != PQ_INT32 && phys != PQ_INT64 &&
            phys != PQ_FLBA)
            return unsupported_encoding(r, enc, err);
        if (!mdl_size_mul(m, r->pw, &bytes) || bytes != len)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "BYTE_STREAM_SPLIT: %zu values of %zu bytes do not fill the %zu "
                               "bytes of the page",
                               m, r->pw, len);
        rc = grow(r->ctx, r->mat, &r->mat_cap, bytes, &np, err);
        r->mat = np;
        if (rc != MDL_OK)
            return rc;
        rc = mdl_format__pq_bss_decode(p, len, m, r->pw, r->mat, &e);
        if (rc != MDL_OK)
            return chunk_error(r, err, rc, "%s", e.message);
        /* Rearranged, the bytes are PLAIN values. */
        set_plain(r, bytes ? r->mat : EMPTY, bytes);
        return MDL_OK;
    default:
        return unsupported_encoding(r, enc, err);
    }
}

/* Counts the 1s among the page's n definition levels (and checks that there are n). */
static int count_defined(mdl_format__pq_chunk_reader *r, const uint8_t *p, size_t len, size_t n,
                         size_t *ones, mdl_error *err)
{
    mdl_format__pq_rle_decoder dec;
    mdl_format__pq_rle_init(&dec, p, len, 1);
    size_t count = 0;
    for (size_t done = 0; done < n;) {
        size_t k = n - done < MDL_PQ_WINDOW ? n - done : MDL_PQ_WINDOW;
        mdl_error e;
        int rc = mdl_format__pq_rle_get(&dec, r->levels, k, &e);
        if (rc != MDL_OK)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "a data page of %zu values has fewer definition levels (%s)", n,
                               e.message);
        for (size_t i = 0; i < k; i++)
            count += r->levels[i];
        done += k;
    }
    *ones = count;
    return MDL_OK;
}

/* Bits of the hybrid encoding of levels up to max (0 for max 0). */
static int level_width(int max)
{
    int w = 0;
    while (max > 0) {
        w++;
        max >>= 1;
    }
    return w;
}

/* A DATA_PAGE (v1) level section: u32 length | hybrid levels, at data[*pos..us). */
static int v1_levels(mdl_format__pq_chunk_reader *r, const uint8_t *data, size_t us, size_t *pos,
                     int encoding, const char *what, const uint8_t **p, size_t *len, mdl_error *err)
{
    if (encoding != PQ_ENC_RLE)
        return chunk_error(r, err, MDL_ERR_UNSUPPORTED,
                           "%s levels in encoding %s are not supported", what,
                           mdl_format__pq_encoding_name(encoding));
    if (us - *pos < 4 || load_u32(data + *pos) > us - *pos - 4)
        return chunk_error(r, err, MDL_ERR_PARSE,
                           "the %s levels' length prefix runs past the page (%zu bytes)", what, us);
    *p = data + *pos + 4;
    *len = load_u32(data + *pos);
    *pos += 4 + *len;
    return MDL_OK;
}

/*
 * A data page of a leaf with levels (nested schemas). Layouts as for flat leaves, with the
 * repetition levels first (apache/parquet-format README.md "Data Pages"):
 *
 *   DATA_PAGE      [u32 len | rep levels, hybrid]  when max_rep > 0
 *                  [u32 len | def levels, hybrid]  when max_def > 0
 *                  values of the entries whose def is max_def
 *   DATA_PAGE_V2   rep levels [rep_len] | def levels [def_len] (no prefixes, never
 *                  compressed) | values
 *
 * Bit widths are those of max_rep and max_def. The definition levels are counted once here
 * to know how many values the page holds; they are checked against max_def as they are read.
 */
static int load_levels_page(mdl_format__pq_chunk_reader *r, const pq_page_header *h,
                            const uint8_t *body, mdl_error *err)
{
    size_t n = (size_t)h->num_values;
    size_t cs = (size_t)h->compressed_size, us = (size_t)h->uncompressed_size;
    const uint8_t *repp = EMPTY, *defp = EMPTY, *vals;
    size_t repl = 0, defl = 0, vlen;
    int rc;
    if (h->type == PQ_PAGE_DATA) {
        const uint8_t *data;
        rc = page_bytes(r, body, cs, us, true, &data, err);
        if (rc != MDL_OK)
            return rc;
        size_t pos = 0;
        if (r->leaf.max_rep > 0) {
            rc = v1_levels(r, data, us, &pos, h->rep_encoding, "repetition", &repp, &repl, err);
            if (rc != MDL_OK)
                return rc;
        }
        if (r->leaf.max_def > 0) {
            rc = v1_levels(r, data, us, &pos, h->def_encoding, "definition", &defp, &defl, err);
            if (rc != MDL_OK)
                return rc;
        }
        vals = data + pos;
        vlen = us - pos;
    } else {
        size_t levels = (size_t)h->rep_len + (size_t)h->def_len;
        if (h->num_nulls > h->num_values || h->num_rows > h->num_values)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "a data page v2 of %ld values says it has %ld rows and %ld nulls",
                               (long)n, (long)h->num_rows, (long)h->num_nulls);
        if (levels > cs || levels > us)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "the levels of a data page v2 (%zu bytes) are longer than the page",
                               levels);
        repp = body;
        repl = (size_t)h->rep_len;
        defp = body + repl;
        defl = (size_t)h->def_len;
        rc = page_bytes(r, body + levels, cs - levels, us - levels, h->is_compressed, &vals, err);
        if (rc != MDL_OK)
            return rc;
        vlen = us - levels;
    }
    size_t nonnull = n;
    if (r->leaf.max_def > 0) {
        mdl_format__pq_rle_decoder dec;
        mdl_format__pq_rle_init(&dec, defp, defl, level_width(r->leaf.max_def));
        nonnull = 0;
        for (size_t done = 0; done < n;) {
            size_t k = n - done < MDL_PQ_WINDOW ? n - done : MDL_PQ_WINDOW;
            mdl_error e;
            rc = mdl_format__pq_rle_get(&dec, r->levels, k, &e);
            if (rc != MDL_OK)
                return chunk_error(r, err, MDL_ERR_PARSE,
                                   "entry %llu: a data page of %zu values has fewer definition "
                                   "levels (%s)",
                                   (unsigned long long)(r->rows_done + done), n, e.message);
            for (size_t i = 0; i < k; i++)
                nonnull += r->levels[i] == (uint32_t)r->leaf.max_def;
            done += k;
        }
        mdl_format__pq_rle_init(&r->def_dec, defp, defl, level_width(r->leaf.max_def));
    }
    if (r->leaf.max_rep > 0)
        mdl_format__pq_rle_init(&r->rep_dec, repp, repl, level_width(r->leaf.max_rep));
    r->defs = false; /* emit() then appends only values */
    rc = set_values(r, h->encoding, vals, vlen, nonnull, err);
    if (rc != MDL_OK)
        return rc;
    r->page_left = n;
    return MDL_OK;
}

static int load_data_page(mdl_format__pq_chunk_reader *r, const pq_page_header *h,
                          const uint8_t *body, mdl_error *err)
{
    if (r->leaf.levels)
        return load_levels_page(r, h, body, err);
    size_t n = (size_t)h->num_values;
    size_t cs = (size_t)h->compressed_size, us = (size_t)h->uncompressed_size;
    const uint8_t *defp = EMPTY, *vals;
    size_t defl = 0, vlen;
    int rc;
    if (h->type == PQ_PAGE_DATA) {
        const uint8_t *data;
        rc = page_bytes(r, body, cs, us, true, &data, err);
        if (rc != MDL_OK)
            return rc;
        size_t pos = 0;
        if (r->leaf.optional) {
            if (h->def_encoding == PQ_ENC_BIT_PACKED)
                return chunk_error(r, err, MDL_ERR_UNSUPPORTED,
                                   "BIT_PACKED definition levels (deprecated) are not supported");
            if (h->def_encoding != PQ_ENC_RLE)
                return chunk_error(r, err, MDL_ERR_UNSUPPORTED,
                                   "definition levels in encoding %s are not supported",
                                   mdl_format__pq_encoding_name(h->def_encoding));
            if (us < 4 || load_u32(data) > us - 4)
                return chunk_error(r, err, MDL_ERR_PARSE,
                                   "the definition levels' length prefix runs past the page (%zu "
                                   "bytes)",
                                   us);
            defp = data + 4;
            defl = load_u32(data);
            pos = 4 + defl;
        }
        vals = data + pos;
        vlen = us - pos;
    } else {
        size_t rep = (size_t)h->rep_len, levels = rep + (size_t)h->def_len;
        if (h->num_rows != h->num_values)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "a data page v2 of %ld values says it has %ld rows", (long)n,
                               (long)h->num_rows);
        if (h->num_nulls > h->num_values || (!r->leaf.optional && h->num_nulls != 0))
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "a data page v2 of %ld values says %ld are null", (long)n,
                               (long)h->num_nulls);
        if (levels > cs || levels > us)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "the levels of a data page v2 (%zu bytes) are longer than the page",
                               levels);
        defp = body + rep;
        defl = (size_t)h->def_len;
        rc = page_bytes(r, body + levels, cs - levels, us - levels, h->is_compressed, &vals, err);
        if (rc != MDL_OK)
            return rc;
        vlen = us - levels;
    }
    size_t nonnull = n;
    r->defs = r->leaf.optional;
    if (r->defs) {
        rc = count_defined(r, defp, defl, n, &nonnull, err);
        if (rc != MDL_OK)
            return rc;
        if (h->type == PQ_PAGE_DATA_V2 && n - nonnull != (size_t)h->num_nulls)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "a data page v2 says %ld of its values are null but its "
                               "definition levels have %zu",
                               (long)h->num_nulls, n - nonnull);
        mdl_format__pq_rle_init(&r->def_dec, defp, defl, 1);
    }
    rc = set_values(r, h->encoding, vals, vlen, nonnull, err);
    if (rc != MDL_OK)
        return rc;
    r->page_left = n;
    return MDL_OK;
}

/*
 * Moves to the next data page with values. `finishing`: the row group's rows are all read,
 * so the rest of the chunk may only hold pages without values.
 */
static int next_page(mdl_format__pq_chunk_reader *r, bool finishing, mdl_error *err)
{
    for (;;) {
        if (r->chunk_pos >= r->chunk_len) {
            if (finishing)
                return MDL_OK;
            if (r->leaf.levels)
                return chunk_error(
                    r, err, MDL_ERR_PARSE, "the column chunk ends after %llu of its %llu values",
                    (unsigned long long)r->rows_done, (unsigned long long)r->rows_total);
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "the column chunk ends after %llu values but the row group has "
                               "%llu rows",
                               (unsigned long long)r->rows_done, (unsigned long long)r->rows_total);
        }
        uint64_t at = r->chunk_offset + r->chunk_pos;
        size_t left = r->chunk_len - r->chunk_pos, hlen;
        pq_page_header h;
        mdl_error e;
        int rc = mdl_format__pq_decode_page_header(r->chunk + r->chunk_pos, left, &h, &hlen, &e);
        if (rc != MDL_OK)
            return chunk_error(r, err, rc, "page at offset %llu: %s", (unsigned long long)at,
                               e.message);
        left -= hlen;
        if ((size_t)h.compressed_size > left)
            return chunk_error(r, err, MDL_ERR_PARSE,
                               "the page at offset %llu is %ld bytes but only %zu bytes of the "
                               "column chunk remain",
                               (unsigned long long)at, (long)h.compressed_size, left);
        const uint8_t *body = r->chunk + r->chunk_pos + hlen;
        r->chunk_pos += hlen + (size_t)h.compressed_size;
        if (h.type == PQ_PAGE_DICTIONARY || h.type == PQ_PAGE_DATA || h.type == PQ_PAGE_DATA_V2) {
            if ((size_t)h.uncompressed_size > r->page_limit)
                return chunk_error(r, err, MDL_ERR_LIMIT,
                                   "the page at offset %llu is %ld bytes uncompressed, over the "
                                   "limit of %zu",
                                   (unsigned long long)at, (long)h.uncompressed_size,
                                   r->page_limit);
        }
        switch (h.type) {
        case PQ_PAGE_DICTIONARY:
            if (!h.has_dict)
                return chunk_error(r, err, MDL_ERR_PARSE,
                                   "the dictionary page at offset %llu has no header",
                                   (unsigned long long)at);
            if (r->data_seen || r->has_dict)
                return chunk_error(r, err, MDL_ERR_PARSE,
                                   "a dictionary page at offset %llu follows %s",
                                   (unsigned long long)at,
                                   r->has_dict ? "another dictionary page" : "a data page");
            rc = load_dictionary(r, &h, body, err);
            if (rc != MDL_OK)
                return rc;
            continue;
        case PQ_PAGE_DATA:
        case PQ_PAGE_DATA_V2:
            if ((h.type == PQ_PAGE_DATA && !h.has_data) || (h.type == PQ_PAGE_DATA_V2 && !h.has_v2))
                return chunk_error(r, err, MDL_ERR_PARSE,
                                   "the data page at offset %llu has no header",
                                   (unsigned long long)at);
            r->data_seen = true;
            if (h.num_values == 0)
                continue;
            if (finishing)
                return chunk_error(r, err, MDL_ERR_PARSE,
                                   "the column chunk holds more values than the row group's "
                                   "%llu rows",
                                   (unsigned long long)r->rows_total);
            return load_data_page(r, &h, body, err);
        default:
            continue; /* index pages and page types this version does not know */
        }
    }
}

/* ---- emitting rows ------------------------------------------------------------------------ */

static int row_error(const mdl_format__pq_chunk_reader *r, uint64_t row, const char *reason,
                     mdl_error *err)
{
    return mdl_error_set(err, MDL_ERR_PARSE, "%s: column '%s' row group %zu row %llu: %s", r->file,
                         r->leaf.name, r->rg, (unsigned long long)row, reason);
}

/* Appends value v of the current window (row `row` of the row group) to col. */
static int put_value(mdl_format__pq_chunk_reader *r, mdl_column *col, size_t v, uint64_t row,
                     mdl_error *err)
{
    int bad = BAD_NONE, rc;
    if (r->vkind == V_DICT) {
        uint32_t id = r->ids[v];
        if (r->dict_bad != NULL && r->dict_bad[id] != BAD_NONE)
            return row_error(r, row, bad_reason(r->dict_bad[id]), err);
        if (col->type.id == MDL_TYPE_STRING) {
            const int64_t *off = r->dict.values;
            return mdl_column_append_string(r->ctx, col, r->dict.data + off[id],
                                            (size_t)(off[id + 1] - off[id]), err);
        }
        return mdl_column_append_value(
            r->ctx, col, (const char *)r->dict.values + id * mdl_type_width(col->type), err);
    }
    if (r->vkind == V_BYTES || r->vkind == V_MAT_BYTES) {
        mdl_strview s = r->views[v];
        if (r->leaf.physical == PQ_FLBA && s.len != (size_t)r->leaf.type_length)
            return row_error(r, row, bad_reason(BAD_LENGTH), err);
        rc = convert_value(r->ctx, r->conv, col->type, (const uint8_t *)s.ptr, s.len, col, &bad,
                           err);
    } else {
        rc = convert_value(r->ctx, r->conv, col->type, r->pv + v * r->pw, r->pw, col, &bad, err);
    }
    if (rc == MDL_OK && bad != BAD_NONE)
        rc = row_error(r, row, bad_reason(bad), err);
    return rc;
}

/* Makes room for `extra` more string bytes in col (grown as mdl_column_append_string does). */
static int reserve_string_bytes(mdl_ctx *ctx, mdl_column *col, size_t extra, mdl_error *err)
{
    size_t need;
    if (!mdl_size_add(col->data_len, extra, &need) || need > (size_t)INT64_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "string column too large");
    if (need <= col->data_cap)
        return MDL_OK;
    size_t cap = col->data_cap ? col->data_cap : 4096;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = mdl_realloc(ctx, col->data, cap);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a string column");
    col->data = p;
    col->data_cap = cap;
    return MDL_OK;
}

/* emit for string columns from dictionary indices (entries already checked) or from byte
 * arrays: the bytes of the whole window are reserved once, then each value is copied and its
 * offset written in place, with no call per value. Byte arrays are still checked for UTF-8
 * one by one. */
/* Every byte below 0x80, eight at a time. (A concatenation of strings can be valid UTF-8
 * while one of them is not — a sequence split between two — so only ASCII vouches for each.) */
static bool all_ascii(const char *p, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        if (w & UINT64_C(0x8080808080808080))
            return false;
    }
    for (; i < n; i++)
        if ((unsigned char)p[i] & 0x80)
            return false;
    return true;
}

static int emit_strings(mdl_format__pq_chunk_reader *r, mdl_column *col, size_t k, size_t m,
                        bool dict, mdl_error *err)
{
    const int64_t *doff = dict ? r->dict.values : NULL;
    size_t total = 0;
    for (size_t v = 0; v < m; v++)
        total += dict ? (size_t)(doff[r->ids[v] + 1] - doff[r->ids[v]]) : r->views[v].len;
    int rc = reserve_string_bytes(r->ctx, col, total, err);
    if (rc != MDL_OK)
        return rc;
    int64_t *off = col->values;
    size_t v = 0, first = col->length, bytes0 = col->data_len;
    for (size_t i = 0; i < k; i++) {
        if (r->defs && r->levels[i] == 0) {
            rc = mdl_column_append_null(r->ctx, col, err);
            if (rc != MDL_OK)
                return rc;
            continue;
        }
        const char *p;
        size_t len;
        if (dict) {
            uint32_t id = r->ids[v];
            p = r->dict.data + doff[id];
            len = (size_t)(doff[id + 1] - doff[id]);
        } else {
            p = r->views[v].ptr;
            len = r->views[v].len;
        }
        v++;
        size_t at = col->length;
        if (len)
            memcpy(col->data + col->data_len, p, len);
        col->data_len += len;
        off[at + 1] = (int64_t)col->data_len;
        if (col->validity != NULL)
            col->validity[at >> 3] |= (uint8_t)(1u << (at & 7));
        col->length = at + 1;
    }
    /* UTF-8 of values read as they are (dictionary entries were checked once): one pass over
     * all the bytes appended when they are ASCII (the common case), else value by value, which
     * also names the row of the first bad one */
    if (!dict && !all_ascii(col->data + bytes0, col->data_len - bytes0))
        for (size_t i = 0, row = first; i < k; i++, row++) {
            if (mdl_column_is_null(col, row))
                continue;
            mdl_strview sv = mdl_column_str(col, row);
            if (!mdl_utf8_valid(sv.ptr, sv.len))
                return row_error(r, r->rows_done + i, bad_reason(BAD_UTF8), err);
        }
    return MDL_OK;
}

/* Appends k rows (m of them not null) of the current window to col. */
static int emit(mdl_format__pq_chunk_reader *r, mdl_column *col, size_t k, size_t m, mdl_error *err)
{
    if (col->type.id == MDL_TYPE_STRING) {
        if (r->vkind == V_DICT && r->dict_bad == NULL)
            return emit_strings(r, col, k, m, true, err);
        if ((r->vkind == V_BYTES || r->vkind == V_MAT_BYTES) && r->conv == C_STRING &&
            r->leaf.physical != PQ_FLBA)
            return emit_strings(r, col, k, m, false, err);
    }
    uint64_t row0 = r->rows_done;
    size_t w = mdl_type_width(col->type);
    bool fixed_src =
        r->vkind == V_FIXED || r->vkind == V_BITS || r->vkind == V_RLE_BOOL || r->vkind == V_HOST;
    /* Values that need no conversion, and dictionary entries (already converted), are copied
     * as they are. */
    bool direct = fixed_src && (r->conv == C_COPY4 || r->conv == C_COPY8 ||
                                (r->conv == C_COPY1 && r->vkind != V_FIXED));
    bool dict = r->vkind == V_DICT && col->type.id != MDL_TYPE_STRING && r->dict_bad == NULL;
    if (m == k && direct) {
        memcpy((char *)col->values + col->length * w, r->pv, k * w);
        if (col->validity != NULL)
            for (size_t i = col->length; i < col->length + k; i++)
                col->validity[i >> 3] |= (uint8_t)(1u << (i & 7));
        col->length += k;
        return MDL_OK;
    }
    if (direct || dict) {
        const uint8_t *src = direct ? r->pv : (const uint8_t *)r->dict.values;
        size_t v = 0;
        for (size_t i = 0; i < k; i++) {
            if (r->defs && r->levels[i] == 0) {
                int rc = mdl_column_append_null(r->ctx, col, err);
                if (rc != MDL_OK)
                    return rc;
                continue;
            }
            const uint8_t *p = direct ? src + v * w : src + (size_t)r->ids[v] * w;
            v++;
            size_t at = col->length;
            memcpy((char *)col->values + at * w, p, w);
            if (col->validity != NULL)
                col->validity[at >> 3] |= (uint8_t)(1u << (at & 7));
            col->length = at + 1;
        }
        return MDL_OK;
    }
    size_t v = 0;
    for (size_t i = 0; i < k; i++) {
        int rc;
        if (r->defs && r->levels[i] == 0)
            rc = mdl_column_append_null(r->ctx, col, err);
        else
            rc = put_value(r, col, v++, row0 + i, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

int mdl_format__pq_chunk_reader_read(mdl_format__pq_chunk_reader *r, mdl_column *col, size_t n,
                                     mdl_error *err)
{
    if (n > r->rows_total - r->rows_done || col->capacity - col->length < n)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "Parquet chunk read past its rows");
    while (n > 0) {
        int rc;
        if (r->page_left == 0) {
            rc = next_page(r, false, err);
            if (rc != MDL_OK)
                return rc;
        }
        size_t k = n < r->page_left ? n : r->page_left;
        if (k > MDL_PQ_WINDOW)
            k = MDL_PQ_WINDOW;
        size_t m = k;
        if (r->defs) {
            mdl_error e;
            rc = mdl_format__pq_rle_get(&r->def_dec, r->levels, k, &e);
            if (rc != MDL_OK)
                return chunk_error(r, err, rc, "definition levels: %s", e.message);
            m = 0;
            for (size_t i = 0; i < k; i++)
                m += r->levels[i];
        }
        if (m > 0) {
            rc = fetch(r, m, err);
            if (rc != MDL_OK)
                return rc;
        }
        rc = emit(r, col, k, m, err);
        if (rc != MDL_OK)
            return rc;
        r->page_left -= k;
        r->rows_done += k;
        n -= k;
    }
    return MDL_OK;
}

int mdl_format__pq_chunk_reader_finish(mdl_format__pq_chunk_reader *r, mdl_error *err)
{
    if (r->page_left > 0)
        return chunk_error(r, err, MDL_ERR_PARSE,
                           "the column chunk holds more values than the row group's %llu rows",
                           (unsigned long long)r->rows_total);
    return next_page(r, true, err);
}

/* ---- leaves with levels ------------------------------------------------------------------- */

uint64_t mdl_format__pq_chunk_reader_left(const mdl_format__pq_chunk_reader *r)
{
    return r->rows_total - r->rows_done;
}

/* Decodes k levels (max `max`, > 0) of the current page into out, checking each. */
static int get_levels(mdl_format__pq_chunk_reader *r, mdl_format__pq_rle_decoder *dec, size_t k,
                      int max, const char *what, uint16_t *out, mdl_error *err)
{
    mdl_error e;
    int rc = mdl_format__pq_rle_get(dec, r->levels, k, &e);
    if (rc != MDL_OK)
        return chunk_error(r, err, MDL_ERR_PARSE, "entry %llu: %s levels: %s",
                           (unsigned long long)r->rows_done, what, e.message);
    for (size_t i = 0; i < k; i++) {
        if (r->levels[i] > (uint32_t)max)
            return chunk_error(
                r, err, MDL_ERR_PARSE, "entry %llu: %s level %lu is above the maximum %d",
                (unsigned long long)(r->rows_done + i), what, (unsigned long)r->levels[i], max);
        out[i] = (uint16_t)r->levels[i];
    }
    return MDL_OK;
}

int mdl_format__pq_chunk_reader_read_levels(mdl_format__pq_chunk_reader *r, size_t n, uint16_t *rep,
                                            uint16_t *def, mdl_column *dense_values, mdl_error *err)
{
    if (!r->leaf.levels || n > r->rows_total - r->rows_done ||
        (dense_values != NULL && dense_values->capacity - dense_values->length < n))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "Parquet chunk read past its values");
    while (n > 0) {
        int rc = MDL_OK;
        if (r->page_left == 0) {
            rc = next_page(r, false, err);
            if (rc != MDL_OK)
                return rc;
        }
        size_t k = n < r->page_left ? n : r->page_left;
        if (k > MDL_PQ_WINDOW)
            k = MDL_PQ_WINDOW;
        if (r->leaf.max_rep > 0)
            rc = get_levels(r, &r->rep_dec, k, r->leaf.max_rep, "repetition", rep, err);
        else
            memset(rep, 0, k * sizeof *rep);
        if (rc == MDL_OK && r->leaf.max_def > 0)
            rc = get_levels(r, &r->def_dec, k, r->leaf.max_def, "definition", def, err);
        else if (rc == MDL_OK)
            memset(def, 0, k * sizeof *def);
        if (rc != MDL_OK)
            return rc;
        size_t m = 0;
        for (size_t i = 0; i < k; i++)
            m += def[i] == r->leaf.max_def;
        if (m > 0 && dense_values != NULL) {
            rc = fetch(r, m, err);
            if (rc != MDL_OK)
                return rc;
            rc = emit(r, dense_values, m, m, err);
            if (rc != MDL_OK)
                return rc;
        }
        r->page_left -= k;
        r->rows_done += k;
        rep += k;
        def += k;
        n -= k;
    }
    return MDL_OK;
}
