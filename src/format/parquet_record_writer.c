/*
 * parquet_record_writer.c - writes nested records (struct, list, map), given one JSON object
 * at a time, as Parquet columns: Dremel shredding into repetition and definition levels.
 *
 * Schema written (apache/parquet-format LogicalTypes.md, "Nested Types"):
 *   STRUCT  <rep> group <name> { children }
 *   LIST    <rep> group <name> (LIST) { repeated group list { <rep> <element> element } }
 *   MAP     <rep> group <name> (MAP) { repeated group key_value {
 *               required binary key (STRING); <rep> <value> value } }
 *   leaves  BOOLEAN, INT32, INT64, DOUBLE, BYTE_ARRAY (STRING: converted UTF8, logical STRING)
 * where <rep> is OPTIONAL for a nullable node, else REQUIRED. The definition level counts the
 * OPTIONAL and repeated nodes on the path that are present; the repetition level says at
 * which repeated group a new element starts (0: a new record).
 *
 * Each leaf column buffers its current page (levels as uint32 arrays, values PLAIN). Pages
 * are cut between records only, so every page starts at repetition level 0. Data page v1
 * body: [rep levels: 4-byte LE length + RLE/bit-packed hybrid, if max_rep > 0]
 * [def levels: the same, if max_def > 0] values (PLAIN). Full pages are compressed into the
 * column's chunk buffer; a row group goes to the output when it passes row_group_rows or
 * row_group_bytes. A record is shredded straight into the page buffers after their lengths
 * are noted, and cut back to them if the record turns out to be bad.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "compress.h"
#include "medallion/format.h"
#include "parquet_encoding.h"
#include "parquet_footer.h"
#include "parquet_meta.h"
#include "parquet_nested.h"

#define PATH_MAX_TEXT   512 /* field paths in messages are cut here */
#define PAGE_MAX_LEVELS ((size_t)1 << 24)

/* The copied schema, with what shredding needs at each node. */
typedef struct wnode {
    char *name;
    mdl_pq_node_kind kind;
    bool nullable;
    mdl_type_id type;
    struct wnode *children;
    size_t nchildren;
    int rep;        /* LIST/MAP: the repetition level of its repeated group */
    size_t col;     /* LEAF: its column */
    size_t col_end; /* columns [col, col_end) are the leaves at or below this node */
} wnode;

typedef struct levels {
    uint32_t *v;
    size_t len, cap;
} levels;

typedef struct colw {
    const char **path; /* path_in_schema; strings owned by the wnodes or constants */
    size_t path_len;
    int ptype; /* PQ_BOOLEAN ... */
    mdl_type_id type;
    int max_def, max_rep;
    /* current page */
    levels rep, def;
    mdl_buf vals;   /* PLAIN values; booleans one byte each until the page is written */
    size_t entries; /* level entries (values and nulls) in the page */
    /* where the record being shredded started */
    size_t save_rep, save_def, save_vals, save_entries;
    /* the chunk */
    mdl_buf pages;
    int64_t num_values, unc, comp;
} colw;

struct mdl_parquet_record_writer {
    mdl_ctx *ctx;
    mdl_format__pq_file_writer file; /* output, options, compressor, row groups written */
    wnode root;
    pq_schema_element *elems;
    size_t nelems;
    colw *cols;
    size_t ncols;
    struct json_tokener *tok;
    uint64_t records_seen;
    int64_t rg_rows, total_rows;
    bool failed;
};

static const char *const NAME_LIST = "list", *const NAME_ELEMENT = "element",
                         *const NAME_KV = "key_value", *const NAME_KEY = "key",
                         *const NAME_VALUE = "value";

/* ---- schema ------------------------------------------------------------------------------ */

/* Schema elements and leaf columns under `n` (itself included). */
static void count_node(const mdl_pq_node *n, size_t *elems, size_t *cols)
{
    switch (n->kind) {
    case MDL_PQ_LEAF:
        *elems += 1;
        *cols += 1;
        return;
    case MDL_PQ_STRUCT:
        *elems += 1;
        break;
    case MDL_PQ_LIST:
    case MDL_PQ_MAP:
        *elems += 2;
        break;
    }
    for (size_t i = 0; i < n->num_children; i++)
        count_node(&n->children[i], elems, cols);
}

typedef struct build_state {
    mdl_parquet_record_writer *w;
    const char *path[3 * MDL_PQ_MAX_NESTING + 2];
    size_t depth;
} build_state;

static int build_node(build_state *b, const mdl_pq_node *src, wnode *dst, const char *name, int def,
                      int rep, mdl_error *err);

static int build_children(build_state *b, const mdl_pq_node *src, wnode *dst,
                          const char *const *names, int def, int rep, mdl_error *err)
{
    dst->nchildren = src->num_children;
    dst->children = mdl_calloc(b->w->ctx, src->num_children, sizeof(wnode));
    if (dst->children == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet record writer");
    for (size_t i = 0; i < src->num_children; i++) {
        int rc = build_node(b, &src->children[i], &dst->children[i],
                            names ? names[i] : src->children[i].name, def, rep, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static pq_schema_element *next_elem(mdl_parquet_record_writer *w, const char *name, int repetition)
{
    pq_schema_element *e = &w->elems[w->nelems++];
    memset(e, 0, sizeof *e);
    e->type = e->converted_type = PQ_ABSENT;
    e->num_children = PQ_ABSENT;
    e->repetition = repetition;
    e->name = mdl_sv(name);
    return e;
}

static int build_node(build_state *b, const mdl_pq_node *src, wnode *dst, const char *name, int def,
                      int rep, mdl_error *err)
{
    mdl_parquet_record_writer *w = b->w;
    dst->name = mdl_strdup(w->ctx, name);
    if (dst->name == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet record writer");
    dst->kind = src->kind;
    dst->nullable = src->nullable;
    dst->type = src->type.id;
    dst->col = w->ncols;
    int d = def + (src->nullable ? 1 : 0);
    pq_schema_element *e = next_elem(w, dst->name, src->nullable ? PQ_OPTIONAL : PQ_REQUIRED);
    b->path[b->depth++] = dst->name;
    int rc = MDL_OK;
    switch (src->kind) {
    case MDL_PQ_LEAF: {
        colw *c = &w->cols[w->ncols++];
        c->type = src->type.id;
        c->max_def = d;
        c->max_rep = rep;
        c->path_len = b->depth;
        c->path = mdl_calloc(w->ctx, b->depth, sizeof(char *));
        if (c->path == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet record writer");
            break;
        }
        memcpy(c->path, b->path, b->depth * sizeof(char *));
        switch (src->type.id) {
        case MDL_TYPE_BOOLEAN:
            c->ptype = PQ_BOOLEAN;
            break;
        case MDL_TYPE_INT32:
            c->ptype = PQ_INT32;
            break;
        case MDL_TYPE_INT64:
            c->ptype = PQ_INT64;
            break;
        case MDL_TYPE_DOUBLE:
            c->ptype = PQ_DOUBLE;
            break;
        default:
            c->ptype = PQ_BYTE_ARRAY;
            e->converted_type = PQ_CT_UTF8;
            e->logical.kind = PQ_LT_STRING;
        }
        e->type = c->ptype;
        break;
    }
    case MDL_PQ_STRUCT:
        e->num_children = (int32_t)src->num_children;
        rc = build_children(b, src, dst, NULL, d, rep, err);
        break;
    case MDL_PQ_LIST:
    case MDL_PQ_MAP: {
        bool list = src->kind == MDL_PQ_LIST;
        const char *kv_names[2] = {NAME_KEY, NAME_VALUE};
        e->num_children = 1;
        e->converted_type = list ? PQ_CT_LIST : PQ_CT_MAP;
        e->logical.kind = list ? PQ_LT_LIST : PQ_LT_MAP;
        pq_schema_element *g = next_elem(w, list ? NAME_LIST : NAME_KV, PQ_REPEATED);
        g->num_children = (int32_t)src->num_children;
        dst->rep = rep + 1;
        b->path[b->depth++] = list ? NAME_LIST : NAME_KV;
        const char *el_name[1] = {NAME_ELEMENT};
        rc = build_children(b, src, dst, list ? el_name : kv_names, d + 1, rep + 1, err);
        b->depth--;
        break;
    }
    }
    b->depth--;
    dst->col_end = w->ncols;
    return rc;
}

static void free_node(mdl_ctx *ctx, wnode *n)
{
    for (size_t i = 0; n->children != NULL && i < n->nchildren; i++)
        free_node(ctx, &n->children[i]);
    mdl_free(ctx, n->children);
    mdl_free(ctx, n->name);
}

/* ---- levels and values ------------------------------------------------------------------- */

static int lv_push(mdl_ctx *ctx, levels *l, uint32_t v, mdl_error *err)
{
    if (l->len == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 1024;
        uint32_t *nv = mdl_realloc(ctx, l->v, ncap * sizeof(uint32_t));
        if (nv == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory buffering a Parquet page");
        l->v = nv;
        l->cap = ncap;
    }
    l->v[l->len++] = v;
    return MDL_OK;
}

/* One level entry for column c; `value` (PLAIN bytes) only when def == max_def. */
static int put_entry(mdl_parquet_record_writer *w, colw *c, int rep, int def, const void *value,
                     size_t len, mdl_error *err)
{
    int rc = MDL_OK;
    c->entries++;
    if (c->max_rep > 0)
        rc = lv_push(w->ctx, &c->rep, (uint32_t)rep, err);
    if (rc == MDL_OK && c->max_def > 0)
        rc = lv_push(w->ctx, &c->def, (uint32_t)def, err);
    if (rc == MDL_OK && value != NULL)
        rc = mdl_buf_append(&c->vals, value, len, err);
    return rc;
}

/* An absent value at `def`: one entry in every leaf at or below n. */
static int put_absent(mdl_parquet_record_writer *w, const wnode *n, int rep, int def,
                      mdl_error *err)
{
    for (size_t i = n->col; i < n->col_end; i++) {
        colw *c = &w->cols[i];
        int rc = put_entry(w, c, rep, def, NULL, 0, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* ---- shredding --------------------------------------------------------------------------- */

typedef struct shred_state {
    mdl_parquet_record_writer *w;
    char path[PATH_MAX_TEXT];
    size_t path_len;
} shred_state;

/* Appends ".name" (or "name" at the top), "[i]" or "[\"key\"]" to the path; returns the
 * length to go back to. The path is cut at PATH_MAX_TEXT. */
static size_t path_push(shred_state *s, int what, const char *text, size_t index)
{
    size_t at = s->path_len;
    char *p = s->path + at;
    size_t room = sizeof s->path - at;
    int n = 0;
    if (room > 1) {
        if (what == 0)
            n = snprintf(p, room, "%s%s", at ? "." : "", text);
        else if (what == 1)
            n = snprintf(p, room, "[%zu]", index);
        else
            n = snprintf(p, room, "[\"%s\"]", text);
    }
    if (n > 0)
        s->path_len = (size_t)n < room ? at + (size_t)n : sizeof s->path - 1;
    return at;
}

static void path_pop(shred_state *s, size_t at)
{
    s->path_len = at;
    s->path[at] = '\0';
}

static const char *json_kind(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_object:
        return "an object";
    case json_type_array:
        return "an array";
    case json_type_string:
        return "a string";
    case json_type_boolean:
        return "a boolean";
    case json_type_int:
    case json_type_double:
        return "a number";
    default:
        return "null";
    }
}

static int shred_error(shred_state *s, int code, mdl_error *err, const char *fmt, ...)
    MDL_PRINTF(4, 5);

static int shred_error(shred_state *s, int code, mdl_error *err, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mdl_error_set(err, code, "record %llu: %s: %s", (unsigned long long)s->w->records_seen,
                         s->path, msg);
}

static int shred_leaf(shred_state *s, const wnode *n, struct json_object *v, int rep, int def,
                      mdl_error *err)
{
    colw *c = &s->w->cols[n->col];
    enum json_type jt = json_object_get_type(v);
    uint8_t tmp[8];
    switch (n->type) {
    case MDL_TYPE_BOOLEAN:
        if (jt != json_type_boolean)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected a boolean, got %s", json_kind(v));
        tmp[0] = json_object_get_boolean(v) ? 1 : 0;
        return put_entry(s->w, c, rep, def, tmp, 1, err);
    case MDL_TYPE_INT32:
    case MDL_TYPE_INT64: {
        if (jt == json_type_double)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected an integer, got %s",
                               json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
        if (jt != json_type_int)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected an integer, got %s", json_kind(v));
        int64_t i = json_object_get_int64(v);
        bool fits = !(i == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX);
        if (n->type == MDL_TYPE_INT32)
            fits = fits && i >= INT32_MIN && i <= INT32_MAX;
        if (!fits)
            return shred_error(s, MDL_ERR_RANGE, err, "%s does not fit in %s",
                               json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
                               n->type == MDL_TYPE_INT32 ? "INT32" : "INT64");
        if (n->type == MDL_TYPE_INT32) {
            mdl_format__pq_store_le32(tmp, (uint32_t)(int32_t)i);
            return put_entry(s->w, c, rep, def, tmp, 4, err);
        }
        mdl_format__pq_store_le64(tmp, (uint64_t)i);
        return put_entry(s->w, c, rep, def, tmp, 8, err);
    }
    case MDL_TYPE_DOUBLE: {
        if (jt != json_type_int && jt != json_type_double)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected a number, got %s", json_kind(v));
        double d = json_object_get_double(v);
        uint64_t bits;
        memcpy(&bits, &d, 8);
        mdl_format__pq_store_le64(tmp, bits);
        return put_entry(s->w, c, rep, def, tmp, 8, err);
    }
    default: {
        if (jt != json_type_string)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected a string, got %s", json_kind(v));
        size_t len = (size_t)json_object_get_string_len(v);
        if (len > INT32_MAX)
            return shred_error(s, MDL_ERR_LIMIT, err, "string longer than 2 GiB");
        mdl_format__pq_store_le32(tmp, (uint32_t)len);
        int rc = put_entry(s->w, c, rep, def, tmp, 4, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(&c->vals, json_object_get_string(v), len, err);
        return rc;
    }
    }
}

static int shred_node(shred_state *s, const wnode *n, struct json_object *v, int rep, int def,
                      mdl_error *err);

static int shred_struct(shred_state *s, const wnode *n, struct json_object *v, int rep, int def,
                        mdl_error *err)
{
    json_object_object_foreach(v, key, val)
    {
        (void)val;
        bool known = false;
        for (size_t i = 0; !known && i < n->nchildren; i++)
            known = strcmp(n->children[i].name, key) == 0;
        if (!known) {
            size_t at = path_push(s, 0, key, 0);
            int rc = shred_error(s, MDL_ERR_SCHEMA, err, "not in the schema");
            path_pop(s, at);
            return rc;
        }
    }
    for (size_t i = 0; i < n->nchildren; i++) {
        const wnode *ch = &n->children[i];
        size_t at = path_push(s, 0, ch->name, 0);
        int rc = shred_node(s, ch, json_object_object_get(v, ch->name), rep, def, err);
        path_pop(s, at);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* Shreds value v (NULL: missing) of node n; `def` is the level its parent reached. */
static int shred_node(shred_state *s, const wnode *n, struct json_object *v, int rep, int def,
                      mdl_error *err)
{
    if (v == NULL || json_object_get_type(v) == json_type_null) {
        if (!n->nullable)
            return shred_error(s, MDL_ERR_SCHEMA, err, "null where a value is required");
        return put_absent(s->w, n, rep, def, err);
    }
    int d = def + (n->nullable ? 1 : 0);
    enum json_type jt = json_object_get_type(v);
    switch (n->kind) {
    case MDL_PQ_LEAF:
        return shred_leaf(s, n, v, rep, d, err);
    case MDL_PQ_STRUCT:
        if (jt != json_type_object)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected an object, got %s", json_kind(v));
        return shred_struct(s, n, v, rep, d, err);
    case MDL_PQ_LIST: {
        if (jt != json_type_array)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected an array, got %s", json_kind(v));
        size_t count = json_object_array_length(v);
        if (count == 0)
            return put_absent(s->w, n, rep, d, err);
        for (size_t i = 0; i < count; i++) {
            size_t at = path_push(s, 1, NULL, i);
            int rc = shred_node(s, &n->children[0], json_object_array_get_idx(v, i),
                                i == 0 ? rep : n->rep, d + 1, err);
            path_pop(s, at);
            if (rc != MDL_OK)
                return rc;
        }
        return MDL_OK;
    }
    case MDL_PQ_MAP: {
        if (jt != json_type_object)
            return shred_error(s, MDL_ERR_SCHEMA, err, "expected an object, got %s", json_kind(v));
        if (json_object_object_length(v) == 0)
            return put_absent(s->w, n, rep, d, err);
        int r = rep;
        json_object_object_foreach(v, key, val)
        {
            size_t klen = strlen(key);
            uint8_t len4[4];
            mdl_format__pq_store_le32(len4, (uint32_t)klen);
            colw *kc = &s->w->cols[n->children[0].col];
            int rc = put_entry(s->w, kc, r, d + 1, len4, 4, err);
            if (rc == MDL_OK)
                rc = mdl_buf_append(&kc->vals, key, klen, err);
            size_t at = path_push(s, 2, key, 0);
            if (rc == MDL_OK)
                rc = shred_node(s, &n->children[1], val, r, d + 1, err);
            path_pop(s, at);
            if (rc != MDL_OK)
                return rc;
            r = n->rep;
        }
        return MDL_OK;
    }
    }
    return MDL_OK;
}

/*
 * json-c clamps integer literals beyond 64 bits without a word; such a literal anywhere in the
 * record is an error. Returns false and the literal in `bad` when one is found.
 */
static bool integers_fit(const char *s, size_t len, char *bad, size_t cap)
{
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            i++;
            continue;
        }
        if (c != '-' && (c < '0' || c > '9')) {
            i++;
            continue;
        }
        size_t start = i;
        bool neg = c == '-';
        if (neg)
            i++;
        size_t ds = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        size_t nd = i - ds;
        bool integer = !(i < len && (s[i] == '.' || s[i] == 'e' || s[i] == 'E'));
        while (i < len && (s[i] == '.' || s[i] == 'e' || s[i] == 'E' || s[i] == '+' ||
                           s[i] == '-' || (s[i] >= '0' && s[i] <= '9')))
            i++;
        if (!integer)
            continue;
        const char *limit = neg ? "9223372036854775808" : "18446744073709551615";
        size_t ln = strlen(limit);
        while (nd > 1 && s[ds] == '0') {
            ds++;
            nd--;
        }
        if (nd > ln || (nd == ln && memcmp(s + ds, limit, ln) > 0)) {
            size_t n = i - start < cap - 1 ? i - start : cap - 1;
            memcpy(bad, s + start, n);
            bad[n] = '\0';
            return false;
        }
    }
    return true;
}

/* ---- pages, row groups, footer ----------------------------------------------------------- */

static int flush_page(mdl_parquet_record_writer *w, colw *c, mdl_error *err)
{
    size_t entries = c->entries;
    if (entries == 0)
        return MDL_OK;
    if (entries > INT32_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "Parquet page with more than 2^31 values");
    mdl_buf *body = &w->file.body;
    body->len = 0;
    int rc = MDL_OK;
    if (c->max_rep > 0)
        rc = mdl_format__pq_append_levels(body, c->rep.v, c->rep.len,
                                          mdl_format__pq_bit_width((uint64_t)c->max_rep), err);
    if (rc == MDL_OK && c->max_def > 0)
        rc = mdl_format__pq_append_levels(body, c->def.v, c->def.len,
                                          mdl_format__pq_bit_width((uint64_t)c->max_def), err);
    if (rc == MDL_OK && c->ptype == PQ_BOOLEAN)
        rc =
            mdl_format__pq_plain_encode_bool((const uint8_t *)c->vals.data, c->vals.len, body, err);
    else if (rc == MDL_OK)
        rc = mdl_buf_append(body, c->vals.data, c->vals.len, err);
    if (rc != MDL_OK)
        return rc;
    pq_page_header h;
    memset(&h, 0, sizeof h);
    h.type = PQ_PAGE_DATA;
    h.num_values = (int32_t)entries;
    h.encoding = PQ_ENC_PLAIN;
    h.def_encoding = h.rep_encoding = PQ_ENC_RLE;
    rc = mdl_format__pq_file_writer_page(&w->file, &h, &c->pages, &c->unc, &c->comp, err);
    c->num_values += (int64_t)entries;
    c->rep.len = c->def.len = c->vals.len = c->entries = 0;
    return rc;
}

static size_t page_estimate(const colw *c)
{
    return c->vals.len + (c->rep.len + c->def.len) / 4;
}

static int flush_row_group(mdl_parquet_record_writer *w, mdl_error *err)
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
        ci->type = c->ptype;
        ci->path = c->path;
        ci->path_len = c->path_len;
        ci->enc_plain = true; /* every page is PLAIN, levels RLE */
        ci->dictionary_page_offset = PQ_ABSENT;
        ci->data_page_offset = (int64_t)w->file.offset;
        rc = mdl_format__pq_file_writer_write(&w->file, c->pages.data, c->pages.len, err);
        ci->num_values = c->num_values;
        ci->total_uncompressed = c->unc;
        ci->total_compressed = c->comp;
        g->total_uncompressed += c->unc;
        g->total_compressed += c->comp;
        c->pages.len = 0;
        c->num_values = c->unc = c->comp = 0;
    }
    w->rg_rows = 0;
    return rc;
}

static void free_writer(mdl_parquet_record_writer *w)
{
    for (size_t i = 0; w->cols != NULL && i < w->ncols; i++) {
        colw *c = &w->cols[i];
        mdl_free(w->ctx, c->path);
        mdl_free(w->ctx, c->rep.v);
        mdl_free(w->ctx, c->def.v);
        mdl_buf_reset(&c->vals);
        mdl_buf_reset(&c->pages);
    }
    mdl_free(w->ctx, w->cols);
    mdl_free(w->ctx, w->elems);
    free_node(w->ctx, &w->root);
    if (w->tok != NULL)
        json_tokener_free(w->tok);
    mdl_format__pq_file_writer_free(&w->file);
    mdl_free(w->ctx, w);
}

/* ---- public API -------------------------------------------------------------------------- */

int mdl_parquet_record_writer_open(mdl_ctx *ctx, mdl_output *out, const mdl_pq_node *fields,
                                   size_t num_fields, const mdl_parquet_write_options *opts,
                                   mdl_parquet_record_writer **wout, mdl_error *err)
{
    *wout = NULL;
    int rc = mdl_format__pq_nodes_check(fields, num_fields, err);
    if (rc != MDL_OK) {
        out->abort(out);
        return rc;
    }
    mdl_parquet_record_writer *w = mdl_calloc(ctx, 1, sizeof *w);
    if (w == NULL) {
        out->abort(out);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet record writer");
    }
    w->ctx = ctx;
    rc = mdl_format__pq_file_writer_init(&w->file, ctx, out, opts, err);
    if (rc != MDL_OK)
        goto fail;

    mdl_pq_node root = {"schema", MDL_PQ_STRUCT, false, {0}, fields, num_fields};
    size_t nelems = 0, ncols = 0;
    count_node(&root, &nelems, &ncols);
    w->elems = mdl_calloc(ctx, nelems, sizeof(pq_schema_element));
    w->cols = mdl_calloc(ctx, ncols, sizeof(colw));
    if (w->elems == NULL || w->cols == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet record writer");
        goto fail;
    }
    for (size_t i = 0; i < ncols; i++) {
        mdl_buf_init(&w->cols[i].vals, ctx, 0);
        mdl_buf_init(&w->cols[i].pages, ctx, 0);
    }
    build_state b;
    memset(&b, 0, sizeof b);
    b.w = w;
    /* the root: a group without repetition; its fields start the paths */
    w->root.kind = MDL_PQ_STRUCT;
    w->root.name = mdl_strdup(ctx, "schema");
    pq_schema_element *re = next_elem(w, "schema", PQ_ABSENT);
    re->num_children = (int32_t)num_fields;
    if (w->root.name == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet record writer");
        goto fail;
    }
    rc = build_children(&b, &root, &w->root, NULL, 0, 0, err);
    w->root.col_end = w->ncols;
    if (rc != MDL_OK)
        goto fail;

    size_t depth = ctx->limits.max_json_depth ? ctx->limits.max_json_depth : 64;
    w->tok = json_tokener_new_ex(depth > INT_MAX ? INT_MAX : (int)depth);
    if (w->tok == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet record writer");
        goto fail;
    }
    json_tokener_set_flags(w->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    rc = mdl_format__pq_file_writer_write(&w->file, "PAR1", 4, err);
    if (rc != MDL_OK)
        goto fail;
    *wout = w;
    return MDL_OK;
fail:
    mdl_parquet_record_writer_abort(w);
    return rc;
}

static int parse_record(mdl_parquet_record_writer *w, const char *json, size_t len,
                        struct json_object **out, mdl_error *err)
{
    *out = NULL;
    unsigned long long rec = (unsigned long long)w->records_seen;
    size_t max = w->ctx->limits.max_record_bytes;
    if ((max > 0 && len > max) || len > INT_MAX - 1)
        return mdl_error_set(err, MDL_ERR_LIMIT, "record %llu: %zu bytes, more than the limit %zu",
                             rec, len, max > 0 && max < (size_t)INT_MAX ? max : (size_t)INT_MAX);
    char bad[48];
    if (!integers_fit(json, len, bad, sizeof bad))
        return mdl_error_set(err, MDL_ERR_RANGE, "record %llu: integer %s does not fit in 64 bits",
                             rec, bad);
    json_tokener_reset(w->tok);
    struct json_object *obj = json_tokener_parse_ex(w->tok, json, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(w->tok);
    if (obj == NULL && jerr == json_tokener_continue)
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "record %llu: invalid JSON: unexpected end of data", rec);
    if (obj == NULL)
        return mdl_error_set(err, jerr == json_tokener_error_depth ? MDL_ERR_LIMIT : MDL_ERR_PARSE,
                             "record %llu: invalid JSON: %s", rec, json_tokener_error_desc(jerr));
    size_t end = json_tokener_get_parse_end(w->tok);
    for (; end < len; end++)
        if (json[end] != ' ' && json[end] != '\t' && json[end] != '\n' && json[end] != '\r')
            break;
    if (end < len) {
        json_object_put(obj);
        return mdl_error_set(err, MDL_ERR_PARSE,
                             "record %llu: invalid JSON: text after the object at byte %zu", rec,
                             end + 1);
    }
    if (!json_object_is_type(obj, json_type_object)) {
        int rc = mdl_error_set(err, MDL_ERR_SCHEMA, "record %llu: expected a JSON object, got %s",
                               rec, json_kind(obj));
        json_object_put(obj);
        return rc;
    }
    *out = obj;
    return MDL_OK;
}

int mdl_parquet_record_writer_write_json(mdl_parquet_record_writer *w, const char *json, size_t len,
                                         mdl_error *err)
{
    if (w->failed)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "the Parquet record writer already failed");
    w->records_seen++;
    struct json_object *obj;
    int rc = parse_record(w, json, len, &obj, err);
    if (rc != MDL_OK)
        return rc;
    for (size_t i = 0; i < w->ncols; i++) {
        colw *c = &w->cols[i];
        c->save_rep = c->rep.len;
        c->save_def = c->def.len;
        c->save_vals = c->vals.len;
        c->save_entries = c->entries;
    }
    shred_state s;
    s.w = w;
    s.path[0] = '\0';
    s.path_len = 0;
    rc = shred_struct(&s, &w->root, obj, 0, 0, err);
    json_object_put(obj);
    if (rc != MDL_OK) {
        for (size_t i = 0; i < w->ncols; i++) {
            colw *c = &w->cols[i];
            c->rep.len = c->save_rep;
            c->def.len = c->save_def;
            c->vals.len = c->save_vals;
            c->entries = c->save_entries;
        }
        return rc;
    }
    w->rg_rows++;
    w->total_rows++;
    size_t total = 0;
    for (size_t i = 0; rc == MDL_OK && i < w->ncols; i++) {
        colw *c = &w->cols[i];
        if (page_estimate(c) >= w->file.opts.page_bytes || c->rep.len >= PAGE_MAX_LEVELS ||
            c->def.len >= PAGE_MAX_LEVELS)
            rc = flush_page(w, c, err);
        total += (size_t)c->unc + page_estimate(c);
    }
    if (rc == MDL_OK &&
        ((w->file.opts.row_group_rows > 0 && (size_t)w->rg_rows >= w->file.opts.row_group_rows) ||
         total >= w->file.opts.row_group_bytes))
        rc = flush_row_group(w, err);
    if (rc != MDL_OK)
        w->failed = true;
    return rc;
}

int mdl_parquet_record_writer_close(mdl_parquet_record_writer *w, uint64_t *rows_out,
                                    uint64_t *bytes_out, mdl_error *err)
{
    int rc = w->failed ? mdl_error_set(err, MDL_ERR_INVALID_ARG, "the Parquet record writer failed")
                       : flush_row_group(w, err);
    rc = mdl_format__pq_file_writer_close(&w->file, rc, w->elems, w->nelems, w->total_rows, false,
                                          rows_out, bytes_out, err);
    free_writer(w);
    return rc;
}

void mdl_parquet_record_writer_abort(mdl_parquet_record_writer *w)
{
    if (w == NULL)
        return;
    w->file.out->abort(w->file.out);
    free_writer(w);
}
