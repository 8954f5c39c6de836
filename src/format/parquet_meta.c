/*
 * parquet_meta.c - decoding and encoding of Parquet's Thrift structures (FileMetaData and
 * everything under it, PageHeader, Statistics, SchemaElement). Field ids and meanings are
 * those of apache/parquet-format src/main/thrift/parquet.thrift. Unknown fields are skipped,
 * so files from newer writers still read; required fields that are missing are errors.
 */
#include <string.h>

#include "parquet_meta.h"

/* ---- arena ------------------------------------------------------------------------------- */

typedef struct arena_block {
    struct arena_block *next;
    max_align_t align[]; /* data follows, maximally aligned */
} arena_block;

void mdl_format__pq_arena_init(pq_arena *a, mdl_ctx *ctx)
{
    memset(a, 0, sizeof *a);
    a->ctx = ctx;
    a->budget = SIZE_MAX;
}

void *mdl_format__pq_arena_alloc(pq_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    if (size > a->budget)
        return NULL;
    a->budget -= size;
    if (size > a->left) {
        size_t block = size > 65536 ? size : 65536, total;
        if (!mdl_size_add(block, sizeof(arena_block), &total))
            return NULL;
        arena_block *b = mdl_alloc(a->ctx, total);
        if (b == NULL)
            return NULL;
        b->next = a->blocks;
        a->blocks = b;
        a->cur = (char *)b->align;
        a->left = block;
    }
    void *p = a->cur;
    a->cur += size;
    a->left -= size;
    return p;
}

void mdl_format__pq_arena_free(pq_arena *a)
{
    arena_block *b = a->blocks;
    while (b != NULL) {
        arena_block *next = b->next;
        mdl_free(a->ctx, b);
        b = next;
    }
    a->blocks = NULL;
    a->cur = NULL;
    a->left = 0;
}

static void *arena_array(pq_arena *a, size_t n, size_t size, mdl_error *err)
{
    size_t total;
    if (!mdl_size_mul(n ? n : 1, size, &total)) {
        mdl_error_set(err, MDL_ERR_LIMIT, "Parquet metadata array too large");
        return NULL;
    }
    bool over = total > a->budget;
    void *p = mdl_format__pq_arena_alloc(a, total);
    if (p == NULL && over)
        mdl_error_set(err, MDL_ERR_LIMIT,
                      "Parquet footer lists more elements than its size can hold (a list of "
                      "%zu entries would need more memory than allowed)",
                      n);
    else if (p == NULL)
        mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading Parquet metadata");
    else
        memset(p, 0, total);
    return p;
}

/* ---- decoding ---------------------------------------------------------------------------- */

/* Iterates the fields of a struct: `body` handles `id`/`type`, or skips. */
#define FOR_EACH_FIELD(r, err, rc, body)                                                           \
    do {                                                                                           \
        rc = mdl_format__tc_read_struct_begin(r, err);                                             \
        while (rc == MDL_OK) {                                                                     \
            int type;                                                                              \
            int16_t id;                                                                            \
            rc = mdl_format__tc_read_field(r, &type, &id, err);                                    \
            if (rc != MDL_OK || type == TC_STOP)                                                   \
                break;                                                                             \
            body                                                                                   \
        }                                                                                          \
        mdl_format__tc_read_struct_end(r);                                                         \
    } while (0)

static int read_enum(tc_reader *r, int type, int *out, mdl_error *err)
{
    int32_t v;
    int rc = mdl_format__tc_read_i32(r, type, &v, err);
    if (rc == MDL_OK)
        *out = v;
    return rc;
}

static int read_statistics(tc_reader *r, pq_statistics *s, mdl_error *err)
{
    int rc;
    mdl_strview legacy_min = {NULL, 0}, legacy_max = {NULL, 0};
    bool has_lmin = false, has_lmax = false;
    memset(s, 0, sizeof *s);
    FOR_EACH_FIELD(r, err, rc, {
        switch (id) {
        case 1:
            rc = mdl_format__tc_read_binary(r, type, &legacy_max, err);
            has_lmax = true;
            break;
        case 2:
            rc = mdl_format__tc_read_binary(r, type, &legacy_min, err);
            has_lmin = true;
            break;
        case 3:
            rc = mdl_format__tc_read_i64(r, type, &s->null_count, err);
            s->has_null_count = true;
            break;
        case 5:
            rc = mdl_format__tc_read_binary(r, type, &s->max, err);
            s->has_max = true;
            break;
        case 6:
            rc = mdl_format__tc_read_binary(r, type, &s->min, err);
            s->has_min = true;
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    if (rc == MDL_OK && !s->has_min && !s->has_max && (has_lmin || has_lmax)) {
        /* Only the deprecated signed-order fields: usable for signed types only (the
         * reader decides). */
        s->legacy = true;
        s->has_min = has_lmin;
        s->has_max = has_lmax;
        s->min = legacy_min;
        s->max = legacy_max;
    }
    return rc;
}

static int read_time_unit(tc_reader *r, int *unit, mdl_error *err)
{
    int rc;
    *unit = 0;
    FOR_EACH_FIELD(r, err, rc, {
        if (type == TC_STRUCT && id >= 1 && id <= 3)
            *unit = id;
        rc = mdl_format__tc_skip(r, type, err);
    });
    return rc;
}

static int read_decimal_type(tc_reader *r, pq_logical_type *lt, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        if (id == 1)
            rc = mdl_format__tc_read_i32(r, type, &lt->scale, err);
        else if (id == 2)
            rc = mdl_format__tc_read_i32(r, type, &lt->precision, err);
        else
            rc = mdl_format__tc_skip(r, type, err);
    });
    return rc;
}

static int read_time_type(tc_reader *r, pq_logical_type *lt, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        if (id == 1)
            rc = mdl_format__tc_read_bool(r, type, &lt->utc, err);
        else if (id == 2 && type == TC_STRUCT)
            rc = read_time_unit(r, &lt->unit, err);
        else
            rc = mdl_format__tc_skip(r, type, err);
    });
    return rc;
}

static int read_int_type(tc_reader *r, pq_logical_type *lt, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        if (id == 1 && type == TC_I8) {
            if (r->p >= r->end) {
                rc = mdl_error_set(err, MDL_ERR_PARSE, "%s is truncated", r->what);
                break;
            }
            lt->bit_width = (int8_t)*r->p++;
        } else if (id == 2) {
            rc = mdl_format__tc_read_bool(r, type, &lt->is_signed, err);
        } else {
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    return rc;
}

static int read_logical_type(tc_reader *r, pq_logical_type *lt, mdl_error *err)
{
    int rc;
    memset(lt, 0, sizeof *lt);
    FOR_EACH_FIELD(r, err, rc, {
        if (type != TC_STRUCT) {
            rc = mdl_format__tc_skip(r, type, err);
            continue;
        }
        switch (id) {
        case PQ_LT_DECIMAL:
            lt->kind = PQ_LT_DECIMAL;
            rc = read_decimal_type(r, lt, err);
            break;
        case PQ_LT_TIME:
        case PQ_LT_TIMESTAMP:
            lt->kind = id;
            rc = read_time_type(r, lt, err);
            break;
        case PQ_LT_INTEGER:
            lt->kind = PQ_LT_INTEGER;
            rc = read_int_type(r, lt, err);
            break;
        case PQ_LT_STRING:
        case PQ_LT_MAP:
        case PQ_LT_LIST:
        case PQ_LT_ENUM:
        case PQ_LT_DATE:
        case PQ_LT_UNKNOWN:
        case PQ_LT_JSON:
        case PQ_LT_BSON:
        case PQ_LT_UUID:
            lt->kind = id;
            rc = mdl_format__tc_skip(r, type, err);
            break;
        default:
            lt->kind = PQ_LT_OTHER;
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    return rc;
}

static int read_schema_element(tc_reader *r, pq_schema_element *e, mdl_error *err)
{
    int rc;
    bool has_name = false;
    memset(e, 0, sizeof *e);
    e->type = e->repetition = e->converted_type = PQ_ABSENT;
    e->num_children = PQ_ABSENT;
    FOR_EACH_FIELD(r, err, rc, {
        switch (id) {
        case 1:
            rc = read_enum(r, type, &e->type, err);
            break;
        case 2:
            rc = mdl_format__tc_read_i32(r, type, &e->type_length, err);
            break;
        case 3:
            rc = read_enum(r, type, &e->repetition, err);
            break;
        case 4:
            rc = mdl_format__tc_read_binary(r, type, &e->name, err);
            has_name = true;
            break;
        case 5:
            rc = mdl_format__tc_read_i32(r, type, &e->num_children, err);
            break;
        case 6:
            rc = read_enum(r, type, &e->converted_type, err);
            break;
        case 7:
            rc = mdl_format__tc_read_i32(r, type, &e->scale, err);
            break;
        case 8:
            rc = mdl_format__tc_read_i32(r, type, &e->precision, err);
            break;
        case 10:
            if (type == TC_STRUCT)
                rc = read_logical_type(r, &e->logical, err);
            else
                rc = mdl_format__tc_skip(r, type, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    if (rc == MDL_OK && !has_name)
        rc = mdl_error_set(err, MDL_ERR_PARSE, "Parquet schema element without a name");
    return rc;
}

static int read_enum_list(tc_reader *r, int type, pq_arena *a, int **out, size_t *n, mdl_error *err)
{
    int et;
    int rc = mdl_format__tc_read_list(r, type, &et, n, err);
    if (rc != MDL_OK)
        return rc;
    *out = arena_array(a, *n, sizeof(int), err);
    if (*out == NULL)
        return err ? err->code : MDL_ERR_NOMEM;
    for (size_t i = 0; rc == MDL_OK && i < *n; i++) {
        int32_t v;
        rc = mdl_format__tc_read_elem_i32(r, et, &v, err);
        (*out)[i] = v;
    }
    return rc;
}

static int read_column_meta(tc_reader *r, pq_arena *a, pq_column_meta *m, mdl_error *err)
{
    int rc;
    unsigned seen = 0;
    memset(m, 0, sizeof *m);
    m->dictionary_page_offset = PQ_ABSENT;
    FOR_EACH_FIELD(r, err, rc, {
        switch (id) {
        case 1:
            rc = read_enum(r, type, &m->type, err);
            break;
        case 2:
            rc = read_enum_list(r, type, a, &m->encodings, &m->num_encodings, err);
            break;
        case 3: {
            int et;
            rc = mdl_format__tc_read_list(r, type, &et, &m->path_len, err);
            if (rc != MDL_OK)
                break;
            m->path = arena_array(a, m->path_len, sizeof(mdl_strview), err);
            if (m->path == NULL) {
                rc = err ? err->code : MDL_ERR_NOMEM;
                break;
            }
            for (size_t i = 0; rc == MDL_OK && i < m->path_len; i++)
                rc = mdl_format__tc_read_elem_binary(r, et, &m->path[i], err);
            break;
        }
        case 4:
            rc = read_enum(r, type, &m->codec, err);
            break;
        case 5:
            rc = mdl_format__tc_read_i64(r, type, &m->num_values, err);
            break;
        case 6:
            rc = mdl_format__tc_read_i64(r, type, &m->total_uncompressed, err);
            break;
        case 7:
            rc = mdl_format__tc_read_i64(r, type, &m->total_compressed, err);
            break;
        case 9:
            rc = mdl_format__tc_read_i64(r, type, &m->data_page_offset, err);
            break;
        case 11:
            rc = mdl_format__tc_read_i64(r, type, &m->dictionary_page_offset, err);
            break;
        case 12:
            if (type == TC_STRUCT)
                rc = read_statistics(r, &m->stats, err);
            else
                rc = mdl_format__tc_skip(r, type, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
        if (id >= 1 && id <= 9)
            seen |= 1u << id;
    });
    /* Required: type 1, encodings 2, path 3, codec 4, num_values 5, sizes 6 7, offset 9. */
    unsigned need = (1u << 1) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 5) | (1u << 6) |
                    (1u << 7) | (1u << 9);
    if (rc == MDL_OK && (seen & need) != need)
        rc = mdl_error_set(err, MDL_ERR_PARSE, "Parquet ColumnMetaData lacks required fields");
    return rc;
}

static int read_column_chunk(tc_reader *r, pq_arena *a, pq_column_chunk *c, mdl_error *err)
{
    int rc;
    memset(c, 0, sizeof *c);
    FOR_EACH_FIELD(r, err, rc, {
        switch (id) {
        case 1:
            c->has_file_path = true;
            rc = mdl_format__tc_skip(r, type, err);
            break;
        case 2:
            rc = mdl_format__tc_read_i64(r, type, &c->file_offset, err);
            break;
        case 3:
            if (type == TC_STRUCT) {
                rc = read_column_meta(r, a, &c->meta, err);
                c->has_meta = true;
            } else {
                rc = mdl_format__tc_skip(r, type, err);
            }
            break;
        case 8:
        case 9:
            c->encrypted = true;
            rc = mdl_format__tc_skip(r, type, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    return rc;
}

static int read_row_group(tc_reader *r, pq_arena *a, pq_row_group *g, mdl_error *err)
{
    int rc;
    memset(g, 0, sizeof *g);
    FOR_EACH_FIELD(r, err, rc, {
        switch (id) {
        case 1: {
            int et;
            rc = mdl_format__tc_read_list(r, type, &et, &g->num_columns, err);
            if (rc == MDL_OK && et != TC_STRUCT)
                rc = mdl_error_set(err, MDL_ERR_PARSE, "RowGroup.columns is not a list of structs");
            if (rc != MDL_OK)
                break;
            g->columns = arena_array(a, g->num_columns, sizeof(pq_column_chunk), err);
            if (g->columns == NULL) {
                rc = err ? err->code : MDL_ERR_NOMEM;
                break;
            }
            for (size_t i = 0; rc == MDL_OK && i < g->num_columns; i++)
                rc = read_column_chunk(r, a, &g->columns[i], err);
            break;
        }
        case 2:
            rc = mdl_format__tc_read_i64(r, type, &g->total_byte_size, err);
            break;
        case 3:
            rc = mdl_format__tc_read_i64(r, type, &g->num_rows, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    return rc;
}

static int read_key_value(tc_reader *r, pq_key_value *kv, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        if (id == 1) {
            rc = mdl_format__tc_read_binary(r, type, &kv->key, err);
        } else if (id == 2) {
            rc = mdl_format__tc_read_binary(r, type, &kv->value, err);
            kv->has_value = true;
        } else {
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    return rc;
}

/* ColumnOrder is a union: the id of its one member says which order. */
static int read_column_order(tc_reader *r, int *order, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        *order = id;
        rc = mdl_format__tc_skip(r, type, err);
    });
    return rc;
}

int mdl_format__pq_decode_file_meta(const uint8_t *data, size_t len, pq_arena *a, pq_file_meta *m,
                                    mdl_error *err)
{
    tc_reader rd, *r = &rd;
    mdl_format__tc_reader_init(r, data, len, "Parquet footer (FileMetaData)");
    memset(m, 0, sizeof *m);
    /* A list element can take one byte in the file but a whole struct in memory: decoded
     * metadata may use at most 32 times the footer's size (legitimate footers need under
     * 10), and never more than 256 MiB, so a hostile footer cannot make us allocate
     * gigabytes. */
    size_t budget =
        len > ((size_t)256 << 20) / 32 ? (size_t)256 << 20 : len * 32 + ((size_t)1 << 20);
    if (budget < a->budget)
        a->budget = budget;
    int rc;
    bool has_schema = false, has_rows = false, has_groups = false;
    FOR_EACH_FIELD(r, err, rc, {
        int et;
        switch (id) {
        case 1:
            rc = mdl_format__tc_read_i32(r, type, &m->version, err);
            break;
        case 2:
            rc = mdl_format__tc_read_list(r, type, &et, &m->num_schema, err);
            if (rc == MDL_OK && et != TC_STRUCT)
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "FileMetaData.schema is not a list of structs");
            if (rc != MDL_OK)
                break;
            m->schema = arena_array(a, m->num_schema, sizeof(pq_schema_element), err);
            if (m->schema == NULL) {
                rc = err ? err->code : MDL_ERR_NOMEM;
                break;
            }
            for (size_t i = 0; rc == MDL_OK && i < m->num_schema; i++)
                rc = read_schema_element(r, &m->schema[i], err);
            has_schema = true;
            break;
        case 3:
            rc = mdl_format__tc_read_i64(r, type, &m->num_rows, err);
            has_rows = true;
            break;
        case 4:
            rc = mdl_format__tc_read_list(r, type, &et, &m->num_row_groups, err);
            if (rc == MDL_OK && et != TC_STRUCT)
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "FileMetaData.row_groups is not a list of structs");
            if (rc != MDL_OK)
                break;
            m->row_groups = arena_array(a, m->num_row_groups, sizeof(pq_row_group), err);
            if (m->row_groups == NULL) {
                rc = err ? err->code : MDL_ERR_NOMEM;
                break;
            }
            for (size_t i = 0; rc == MDL_OK && i < m->num_row_groups; i++)
                rc = read_row_group(r, a, &m->row_groups[i], err);
            has_groups = true;
            break;
        case 5:
            rc = mdl_format__tc_read_list(r, type, &et, &m->num_kv, err);
            if (rc == MDL_OK && et != TC_STRUCT)
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "key_value_metadata is not a list of structs");
            if (rc != MDL_OK)
                break;
            m->kv = arena_array(a, m->num_kv, sizeof(pq_key_value), err);
            if (m->kv == NULL) {
                rc = err ? err->code : MDL_ERR_NOMEM;
                break;
            }
            for (size_t i = 0; rc == MDL_OK && i < m->num_kv; i++)
                rc = read_key_value(r, &m->kv[i], err);
            break;
        case 6:
            rc = mdl_format__tc_read_binary(r, type, &m->created_by, err);
            m->has_created_by = true;
            break;
        case 7:
            rc = mdl_format__tc_read_list(r, type, &et, &m->num_column_orders, err);
            if (rc == MDL_OK && et != TC_STRUCT)
                rc = mdl_error_set(err, MDL_ERR_PARSE, "column_orders is not a list of structs");
            if (rc != MDL_OK)
                break;
            m->column_orders = arena_array(a, m->num_column_orders, sizeof(int), err);
            if (m->column_orders == NULL) {
                rc = err ? err->code : MDL_ERR_NOMEM;
                break;
            }
            for (size_t i = 0; rc == MDL_OK && i < m->num_column_orders; i++)
                rc = read_column_order(r, &m->column_orders[i], err);
            break;
        case 8:
            m->encrypted = true;
            rc = mdl_format__tc_skip(r, type, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    if (rc == MDL_OK && (!has_schema || !has_rows || !has_groups))
        rc =
            mdl_error_set(err, MDL_ERR_PARSE,
                          "Parquet footer lacks a required field (schema, num_rows or row_groups)");
    return rc;
}

static int read_data_page_header(tc_reader *r, pq_page_header *h, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        switch (id) {
        case 1:
            rc = mdl_format__tc_read_i32(r, type, &h->num_values, err);
            break;
        case 2:
            rc = read_enum(r, type, &h->encoding, err);
            break;
        case 3:
            rc = read_enum(r, type, &h->def_encoding, err);
            break;
        case 4:
            rc = read_enum(r, type, &h->rep_encoding, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    return rc;
}

static int read_dict_page_header(tc_reader *r, pq_page_header *h, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        if (id == 1)
            rc = mdl_format__tc_read_i32(r, type, &h->num_values, err);
        else if (id == 2)
            rc = read_enum(r, type, &h->encoding, err);
        else
            rc = mdl_format__tc_skip(r, type, err);
    });
    return rc;
}

static int read_v2_page_header(tc_reader *r, pq_page_header *h, mdl_error *err)
{
    int rc;
    FOR_EACH_FIELD(r, err, rc, {
        switch (id) {
        case 1:
            rc = mdl_format__tc_read_i32(r, type, &h->num_values, err);
            break;
        case 2:
            rc = mdl_format__tc_read_i32(r, type, &h->num_nulls, err);
            break;
        case 3:
            rc = mdl_format__tc_read_i32(r, type, &h->num_rows, err);
            break;
        case 4:
            rc = read_enum(r, type, &h->encoding, err);
            break;
        case 5:
            rc = mdl_format__tc_read_i32(r, type, &h->def_len, err);
            break;
        case 6:
            rc = mdl_format__tc_read_i32(r, type, &h->rep_len, err);
            break;
        case 7:
            rc = mdl_format__tc_read_bool(r, type, &h->is_compressed, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    return rc;
}

int mdl_format__pq_decode_page_header(const uint8_t *data, size_t len, pq_page_header *h,
                                      size_t *header_len, mdl_error *err)
{
    tc_reader rd, *r = &rd;
    mdl_format__tc_reader_init(r, data, len, "Parquet page header");
    memset(h, 0, sizeof *h);
    h->type = PQ_ABSENT;
    h->is_compressed = true;
    int rc;
    unsigned seen = 0;
    FOR_EACH_FIELD(r, err, rc, {
        if (id >= 1 && id <= 3)
            seen |= 1u << id;
        switch (id) {
        case 1:
            rc = read_enum(r, type, &h->type, err);
            break;
        case 2:
            rc = mdl_format__tc_read_i32(r, type, &h->uncompressed_size, err);
            break;
        case 3:
            rc = mdl_format__tc_read_i32(r, type, &h->compressed_size, err);
            break;
        case 5:
            h->has_data = type == TC_STRUCT;
            rc = h->has_data ? read_data_page_header(r, h, err) : mdl_format__tc_skip(r, type, err);
            break;
        case 7:
            h->has_dict = type == TC_STRUCT;
            rc = h->has_dict ? read_dict_page_header(r, h, err) : mdl_format__tc_skip(r, type, err);
            break;
        case 8:
            h->has_v2 = type == TC_STRUCT;
            rc = h->has_v2 ? read_v2_page_header(r, h, err) : mdl_format__tc_skip(r, type, err);
            break;
        default:
            rc = mdl_format__tc_skip(r, type, err);
        }
    });
    if (rc != MDL_OK)
        return rc;
    if (seen != ((1u << 1) | (1u << 2) | (1u << 3)))
        return mdl_error_set(err, MDL_ERR_PARSE, "Parquet page header lacks its type or sizes");
    if (h->uncompressed_size < 0 || h->compressed_size < 0 || h->num_values < 0 || h->def_len < 0 ||
        h->rep_len < 0 || h->num_nulls < 0 || h->num_rows < 0)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "Parquet page header has a negative size or count");
    *header_len = mdl_format__tc_offset(r, data);
    return MDL_OK;
}

/* ---- encoding ---------------------------------------------------------------------------- */

void mdl_format__pq_write_statistics(tc_writer *w, int16_t id, const pq_statistics *s)
{
    mdl_format__tc_struct_begin(w, id);
    if (s->has_null_count)
        mdl_format__tc_i64(w, 3, s->null_count);
    if (s->has_max)
        mdl_format__tc_binary(w, 5, s->max.ptr, s->max.len);
    if (s->has_min)
        mdl_format__tc_binary(w, 6, s->min.ptr, s->min.len);
    mdl_format__tc_struct_end(w);
}

void mdl_format__pq_write_page_header(tc_writer *w, const pq_page_header *h,
                                      const pq_statistics *stats)
{
    mdl_format__tc_root_begin(w);
    mdl_format__tc_i32(w, 1, h->type);
    mdl_format__tc_i32(w, 2, h->uncompressed_size);
    mdl_format__tc_i32(w, 3, h->compressed_size);
    if (h->type == PQ_PAGE_DATA) {
        mdl_format__tc_struct_begin(w, 5);
        mdl_format__tc_i32(w, 1, h->num_values);
        mdl_format__tc_i32(w, 2, h->encoding);
        mdl_format__tc_i32(w, 3, h->def_encoding);
        mdl_format__tc_i32(w, 4, h->rep_encoding);
        if (stats != NULL)
            mdl_format__pq_write_statistics(w, 5, stats);
        mdl_format__tc_struct_end(w);
    } else if (h->type == PQ_PAGE_DICTIONARY) {
        mdl_format__tc_struct_begin(w, 7);
        mdl_format__tc_i32(w, 1, h->num_values);
        mdl_format__tc_i32(w, 2, h->encoding);
        mdl_format__tc_struct_end(w);
    }
    mdl_format__tc_struct_end(w);
}

static void write_empty_struct(tc_writer *w, int16_t id)
{
    mdl_format__tc_struct_begin(w, id);
    mdl_format__tc_struct_end(w);
}

void mdl_format__pq_write_schema_element(tc_writer *w, const pq_schema_element *e)
{
    mdl_format__tc_elem_struct_begin(w);
    if (e->type != PQ_ABSENT)
        mdl_format__tc_i32(w, 1, e->type);
    if (e->type == PQ_FLBA)
        mdl_format__tc_i32(w, 2, e->type_length);
    if (e->repetition != PQ_ABSENT)
        mdl_format__tc_i32(w, 3, e->repetition);
    mdl_format__tc_binary(w, 4, e->name.ptr, e->name.len);
    if (e->num_children != PQ_ABSENT)
        mdl_format__tc_i32(w, 5, e->num_children);
    if (e->converted_type != PQ_ABSENT)
        mdl_format__tc_i32(w, 6, e->converted_type);
    if (e->logical.kind == PQ_LT_DECIMAL) {
        mdl_format__tc_i32(w, 7, e->scale);
        mdl_format__tc_i32(w, 8, e->precision);
    }
    if (e->logical.kind != PQ_LT_NONE) {
        mdl_format__tc_struct_begin(w, 10);
        switch (e->logical.kind) {
        case PQ_LT_DECIMAL:
            mdl_format__tc_struct_begin(w, PQ_LT_DECIMAL);
            mdl_format__tc_i32(w, 1, e->logical.scale);
            mdl_format__tc_i32(w, 2, e->logical.precision);
            mdl_format__tc_struct_end(w);
            break;
        case PQ_LT_TIMESTAMP:
            mdl_format__tc_struct_begin(w, PQ_LT_TIMESTAMP);
            mdl_format__tc_bool(w, 1, e->logical.utc);
            mdl_format__tc_struct_begin(w, 2);
            write_empty_struct(w, (int16_t)e->logical.unit);
            mdl_format__tc_struct_end(w);
            mdl_format__tc_struct_end(w);
            break;
        default: /* STRING, DATE, ...: empty structs */
            write_empty_struct(w, (int16_t)e->logical.kind);
        }
        mdl_format__tc_struct_end(w);
    }
    mdl_format__tc_struct_end(w);
}

const char *mdl_format__pq_type_name(int type)
{
    static const char *const names[] = {"BOOLEAN", "INT32",  "INT64",      "INT96",
                                        "FLOAT",   "DOUBLE", "BYTE_ARRAY", "FIXED_LEN_BYTE_ARRAY"};
    return type >= 0 && type <= PQ_FLBA ? names[type] : "UNKNOWN";
}

const char *mdl_format__pq_encoding_name(int e)
{
    switch (e) {
    case PQ_ENC_PLAIN:
        return "PLAIN";
    case PQ_ENC_PLAIN_DICTIONARY:
        return "PLAIN_DICTIONARY";
    case PQ_ENC_RLE:
        return "RLE";
    case PQ_ENC_BIT_PACKED:
        return "BIT_PACKED";
    case PQ_ENC_DELTA_BINARY_PACKED:
        return "DELTA_BINARY_PACKED";
    case PQ_ENC_DELTA_LENGTH_BYTE_ARRAY:
        return "DELTA_LENGTH_BYTE_ARRAY";
    case PQ_ENC_DELTA_BYTE_ARRAY:
        return "DELTA_BYTE_ARRAY";
    case PQ_ENC_RLE_DICTIONARY:
        return "RLE_DICTIONARY";
    case PQ_ENC_BYTE_STREAM_SPLIT:
        return "BYTE_STREAM_SPLIT";
    default:
        return "UNKNOWN";
    }
}
