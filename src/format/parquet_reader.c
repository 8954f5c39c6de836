/*
 * parquet_reader.c - the Parquet reader: footer, schema and projection, statistics-based
 * row-group skipping, describe, and streaming record batches. Pages are decoded by
 * parquet_page.c, one chunk reader per projected column.
 *
 * File layout (apache/parquet-format README.md "File Format"; parquet.thrift FileMetaData):
 *
 *   offset 0        "PAR1"
 *   4 ..            column chunks: row group 0 column 0, column 1, ..., row group 1, ...
 *   size-8-len      FileMetaData, Thrift compact protocol, `len` bytes
 *   size-8          len: u32 little-endian
 *   size-4          "PAR1"   ("PARE" when the footer is encrypted, Encryption.md)
 *
 *   FileMetaData    version, schema (a depth-first list of SchemaElements: the root group,
 *                   then each child, groups followed by their own children), num_rows,
 *                   row_groups (RowGroup: one ColumnChunk per leaf, in schema order; each
 *                   ColumnChunk's ColumnMetaData gives type, codec, num_values, sizes,
 *                   data/dictionary page offsets and Statistics), key_value_metadata,
 *                   created_by, column_orders
 *
 * Everything in the footer is validated before it is used (offsets and sizes against the
 * file, chunk counts against the schema, physical types against the schema), so the page
 * decoders only ever see byte ranges that exist. Only flat schemas are read: a leaf inside
 * a group, or a REPEATED leaf, is an error when it is needed (projected, or no projection).
 *
 * Statistics (parquet.thrift Statistics, ColumnOrder; LogicalTypes.md "Sort order") are
 * used only to skip row groups that cannot match the predicates. min_value/max_value are
 * PLAIN-encoded (byte arrays without a length prefix); the deprecated min/max fields are
 * signed-order and ignored for byte arrays and unsigned integers; INT96 statistics and NaN
 * bounds are ignored; strings compare as unsigned bytes.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "compress.h"
#include "convert.h"
#include "parquet_footer.h"
#include "parquet_meta.h"
#include "parquet_page.h"
#include "parquet_schema.h"

/* One leaf of the file's schema. */
typedef struct leafinfo {
    char *path;                 /* dotted path; the column name for flat leaves */
    const pq_schema_element *e; /* in the footer's schema */
    int status;                 /* MDL_OK when readable as a flat column */
    char *reason;               /* else why not (a full message) */
    mdl_format__pq_leaf leaf;   /* when status is MDL_OK */
} leafinfo;

/* A value to compare: integers, dates, timestamps, decimals in i; doubles in d; strings. */
typedef struct pq_val {
    mdl_i128 i;
    double d;
    const char *s;
    size_t len;
    bool nan;
} pq_val;

typedef struct pq_pred {
    size_t leaf;
    mdl_pred_op op;
    size_t n;
    pq_val *vals;
    char **strings; /* owned copies of string values */
} pq_pred;

struct mdl_parquet_reader {
    mdl_ctx *ctx;
    mdl_rinput *in;
    const char *name;
    mdl_format__pq_footer ft;
    leafinfo *leaves;
    size_t nleaves;
    size_t *top_groups; /* schema indices of the root's group children */
    size_t ntop_groups;
    mdl_schema *schema;
    size_t ncols;
    size_t *proj; /* leaf index per output column */
    mdl_format__pq_chunk_reader **cols;
    pq_pred *preds;
    size_t npreds;
    bool *skip;
    size_t skipped;
    mdl_format__decompressor *dec;
    mdl_batch_pool *pool;
    size_t next_rg;
    bool in_rg;
    uint64_t rg_left;
    bool done;
};

/* ---- schema ------------------------------------------------------------------------------- */

static bool name_ok(mdl_strview n)
{
    return memchr(n.ptr, 0, n.len) == NULL && mdl_utf8_valid(n.ptr, n.len);
}

static int leaf_status(mdl_parquet_reader *r, leafinfo *li, bool nested, mdl_error *err)
{
    char msg[MDL_ERROR_MESSAGE_SIZE + 256];
    mdl_error e;
    li->status = MDL_OK;
    if (nested) {
        li->status = MDL_ERR_UNSUPPORTED;
        snprintf(msg, sizeof msg,
                 "%s: column '%s' is nested (inside a group); nested columns "
                 "are not supported",
                 r->name, li->path);
    } else if (li->e->repetition == PQ_REPEATED) {
        li->status = MDL_ERR_UNSUPPORTED;
        snprintf(msg, sizeof msg, "%s: column '%s' is repeated; repeated columns are not supported",
                 r->name, li->path);
    } else if (!name_ok(li->e->name)) {
        li->status = MDL_ERR_UNSUPPORTED;
        snprintf(msg, sizeof msg, "%s: a column name is not valid UTF-8 (or holds a NUL byte)",
                 r->name);
    } else if ((li->status = mdl_format__pq_leaf_init(li->e, li->path, &li->leaf, &e)) != MDL_OK) {
        snprintf(msg, sizeof msg, "%s: %s", r->name, e.message);
    }
    if (li->status == MDL_OK)
        return MDL_OK;
    li->reason = mdl_strdup(r->ctx, msg);
    if (li->reason == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a Parquet schema");
    return MDL_OK;
}

/*
 * Walks the depth-first schema list: the root's num_children children follow it, each group
 * followed by its own children. Records every leaf with its dotted path.
 */
static int build_leaves(mdl_parquet_reader *r, mdl_error *err)
{
    const pq_file_meta *m = &r->ft.meta;
    size_t n = m->num_schema;
    if (n == 0 || m->schema[0].num_children < 0)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: the schema has no root group", r->name);
    typedef struct frame {
        int32_t left;
        size_t path_len;
    } frame;
    frame *stack = mdl_calloc(r->ctx, n, sizeof *stack);
    r->leaves = mdl_calloc(r->ctx, n, sizeof *r->leaves);
    r->top_groups = mdl_calloc(r->ctx, n, sizeof *r->top_groups);
    mdl_buf path;
    mdl_buf_init(&path, r->ctx, (size_t)1 << 30);
    int rc = MDL_OK;
    if (stack == NULL || r->leaves == NULL || r->top_groups == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a Parquet schema");
        goto cleanup;
    }
    size_t depth = 1, i = 1;
    stack[0].left = m->schema[0].num_children;
    stack[0].path_len = 0;
    while (depth > 0) {
        frame *top = &stack[depth - 1];
        if (top->left == 0) {
            path.len = top->path_len;
            depth--;
            continue;
        }
        if (i >= n) {
            rc = mdl_error_set(err, MDL_ERR_PARSE,
                               "%s: the schema has fewer elements than its groups claim", r->name);
            goto cleanup;
        }
        const pq_schema_element *e = &m->schema[i++];
        top->left--;
        size_t before = path.len;
        if (depth > 1)
            rc = mdl_buf_append(&path, ".", 1, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(&path, e->name.ptr, e->name.len, err);
        if (rc != MDL_OK)
            goto cleanup;
        if (e->num_children != PQ_ABSENT) {
            if (e->num_children < 0) {
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "%s: schema element %zu has a negative number of children",
                                   r->name, i - 1);
                goto cleanup;
            }
            if (depth == 1)
                r->top_groups[r->ntop_groups++] = i - 1;
            stack[depth].left = e->num_children;
            stack[depth].path_len = before;
            depth++;
            continue;
        }
        if (e->type < PQ_BOOLEAN || e->type > PQ_FLBA) {
            rc = mdl_error_set(err, MDL_ERR_PARSE,
                               "%s: schema element %zu is neither a group nor a known physical "
                               "type",
                               r->name, i - 1);
            goto cleanup;
        }
        leafinfo *li = &r->leaves[r->nleaves++];
        li->e = e;
        li->path = mdl_strndup(r->ctx, path.data, path.len);
        path.len = before;
        if (li->path == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a Parquet schema");
            goto cleanup;
        }
        rc = leaf_status(r, li, depth > 1, err);
        if (rc != MDL_OK)
            goto cleanup;
    }
    if (i != n)
        rc = mdl_error_set(err, MDL_ERR_PARSE,
                           "%s: the schema has %zu elements but its groups hold only %zu", r->name,
                           n, i);
cleanup:
    mdl_free(r->ctx, stack);
    mdl_buf_reset(&path);
    return rc;
}

/* ---- row groups --------------------------------------------------------------------------- */

/* Every row group and column chunk (parquet_footer.c has the checks). */
static int validate_row_groups(mdl_parquet_reader *r, mdl_error *err)
{
    const pq_file_meta *m = &r->ft.meta;
    uint64_t total = 0;
    for (size_t g = 0; g < m->num_row_groups; g++) {
        int rc = mdl_format__pq_footer_check_row_group(&r->ft, r->name, g, r->nleaves, &total, err);
        for (size_t c = 0; rc == MDL_OK && c < r->nleaves; c++)
            rc = mdl_format__pq_footer_check_chunk(&r->ft, r->name, g, &m->row_groups[g].columns[c],
                                                   r->leaves[c].path, r->leaves[c].e->type, err);
        if (rc != MDL_OK)
            return rc;
    }
    return mdl_format__pq_footer_check_total(&r->ft, r->name, total, err);
}

/* ---- projection --------------------------------------------------------------------------- */

/* The leaf named `name`, or an error naming it (not found, nested group, ambiguous). */
static int find_leaf(const mdl_parquet_reader *r, const char *name, const char *what, size_t *out,
                     mdl_error *err)
{
    size_t found = SIZE_MAX;
    for (size_t i = 0; i < r->nleaves; i++) {
        if (strcmp(r->leaves[i].path, name) != 0)
            continue;
        if (found != SIZE_MAX)
            return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                 "%s: the file has more than one column named '%s'", r->name, name);
        found = i;
    }
    if (found == SIZE_MAX) {
        for (size_t g = 0; g < r->ntop_groups; g++)
            if (mdl_sv_eq_cstr(r->ft.meta.schema[r->top_groups[g]].name, name))
                return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                     "%s: %s '%s' is a nested group; nested columns are not "
                                     "supported",
                                     r->name, what, name);
        return mdl_error_set(err, MDL_ERR_NOT_FOUND, "%s: %s '%s' is not in the file", r->name,
                             what, name);
    }
    if (r->leaves[found].status != MDL_OK)
        return mdl_error_set(err, r->leaves[found].status, "%s", r->leaves[found].reason);
    *out = found;
    return MDL_OK;
}

static int check_codec(const mdl_parquet_reader *r, size_t leaf, mdl_error *err)
{
    for (size_t g = 0; g < r->ft.meta.num_row_groups; g++) {
        int rc = mdl_format__pq_check_codec(r->name, r->leaves[leaf].path,
                                            r->ft.meta.row_groups[g].columns[leaf].meta.codec, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static int project(mdl_parquet_reader *r, const mdl_parquet_read_options *o, mdl_error *err)
{
    bool all = o == NULL || o->columns == NULL;
    r->ncols = all ? r->nleaves : o->num_columns;
    r->proj = mdl_calloc(r->ctx, r->ncols ? r->ncols : 1, sizeof *r->proj);
    mdl_field_def *defs = mdl_calloc(r->ctx, r->ncols ? r->ncols : 1, sizeof *defs);
    int rc = MDL_OK;
    if (r->proj == NULL || defs == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet reader");
        goto cleanup;
    }
    for (size_t c = 0; c < r->ncols; c++) {
        if (all) {
            r->proj[c] = c;
            if (r->leaves[c].status != MDL_OK) {
                rc = mdl_error_set(err, r->leaves[c].status, "%s", r->leaves[c].reason);
                goto cleanup;
            }
        } else {
            if (o->columns[c] == NULL) {
                rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "projected column %zu is NULL", c);
                goto cleanup;
            }
            rc = find_leaf(r, o->columns[c], "column", &r->proj[c], err);
            if (rc != MDL_OK)
                goto cleanup;
        }
        for (size_t k = 0; k < c; k++)
            if (strcmp(r->leaves[r->proj[k]].path, r->leaves[r->proj[c]].path) == 0) {
                rc = all ? mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                         "%s: the file has more than one column named '%s'",
                                         r->name, r->leaves[r->proj[c]].path)
                         : mdl_error_set(err, MDL_ERR_INVALID_ARG, "column '%s' is projected twice",
                                         o->columns[c]);
                goto cleanup;
            }
        rc = check_codec(r, r->proj[c], err);
        if (rc != MDL_OK)
            goto cleanup;
        const leafinfo *li = &r->leaves[r->proj[c]];
        defs[c].name = li->path;
        defs[c].type = li->leaf.type;
        defs[c].nullable = li->leaf.optional;
    }
    rc = mdl_schema_new(r->ctx, defs, r->ncols, &r->schema, err);
cleanup:
    mdl_free(r->ctx, defs);
    return rc;
}

/* ---- predicates and statistics ------------------------------------------------------------ */

/* A one-row column for converting one value, without a batch. */
typedef struct tmpcol {
    mdl_column col;
    int64_t store[4];
} tmpcol;

static int tmpcol_init(mdl_ctx *ctx, tmpcol *t, mdl_type type, mdl_error *err)
{
    memset(t, 0, sizeof *t);
    t->col.type = type;
    t->col.capacity = 1;
    t->col.values = t->store;
    if (type.id == MDL_TYPE_STRING) {
        t->col.data_cap = 64;
        t->col.data = mdl_alloc(ctx, t->col.data_cap);
        if (t->col.data == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    }
    return MDL_OK;
}

static void tmpcol_free(mdl_ctx *ctx, tmpcol *t)
{
    mdl_free(ctx, t->col.data);
    mdl_free(ctx, t->col.validity);
}

/* The comparable form of row 0 of a one-row column (strings are borrowed from it). */
static void val_from(const mdl_column *col, pq_val *v)
{
    memset(v, 0, sizeof *v);
    switch (col->type.id) {
    case MDL_TYPE_BOOLEAN:
        v->i = ((const uint8_t *)col->values)[0];
        break;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        v->i = mdl_column_i32(col, 0);
        break;
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP:
        v->i = mdl_column_i64(col, 0);
        break;
    case MDL_TYPE_DOUBLE:
        v->d = mdl_column_f64(col, 0);
        v->nan = isnan(v->d);
        break;
    case MDL_TYPE_DECIMAL:
        v->i = mdl_column_decimal(col, 0);
        break;
    case MDL_TYPE_STRING: {
        mdl_strview s = mdl_column_str(col, 0);
        v->s = s.ptr;
        v->len = s.len;
        break;
    }
    }
}

static int cmp_val(mdl_type_id t, const pq_val *a, const pq_val *b)
{
    if (t == MDL_TYPE_DOUBLE)
        return (a->d > b->d) - (a->d < b->d);
    if (t == MDL_TYPE_STRING) {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = n ? memcmp(a->s, b->s, n) : 0;
        if (c != 0)
            return c < 0 ? -1 : 1;
        return (a->len > b->len) - (a->len < b->len);
    }
    return (a->i > b->i) - (a->i < b->i);
}

static bool is_unsigned(const leafinfo *li)
{
    return li->e->type == PQ_INT32 && li->leaf.type.id == MDL_TYPE_INT64;
}

/*
 * min (is_max false) or max of a chunk's statistics as a comparable value, when it can be
 * trusted for skipping.
 */
static bool stat_value(const mdl_parquet_reader *r, size_t leaf, const pq_statistics *st,
                       bool is_max, pq_val *out)
{
    const leafinfo *li = &r->leaves[leaf];
    bool has = is_max ? st->has_max : st->has_min;
    mdl_strview b = is_max ? st->max : st->min;
    int phys = li->e->type;
    if (!has || li->status != MDL_OK || phys == PQ_INT96)
        return false;
    if (st->legacy && (phys == PQ_BYTE_ARRAY || phys == PQ_FLBA || is_unsigned(li)))
        return false;
    if (r->ft.meta.column_orders != NULL && leaf < r->ft.meta.num_column_orders &&
        r->ft.meta.column_orders[leaf] != 1)
        return false;
    memset(out, 0, sizeof *out);
    if (li->leaf.type.id == MDL_TYPE_STRING) {
        out->s = b.ptr;
        out->len = b.len;
        return true;
    }
    tmpcol t;
    if (tmpcol_init(r->ctx, &t, li->leaf.type, NULL) != MDL_OK)
        return false;
    bool ok = mdl_format__pq_append_plain(r->ctx, &li->leaf, (const uint8_t *)b.ptr, b.len, &t.col,
                                          NULL) == MDL_OK;
    if (ok) {
        val_from(&t.col, out);
        ok = !out->nan;
    }
    tmpcol_free(r->ctx, &t);
    return ok;
}

/* True when no row of row group g can satisfy predicate p. */
static bool pred_skips(const mdl_parquet_reader *r, size_t g, const pq_pred *p)
{
    const pq_column_meta *cm = &r->ft.meta.row_groups[g].columns[p->leaf].meta;
    const pq_statistics *st = &cm->stats;
    if (p->op == MDL_PRED_IS_NULL)
        return st->has_null_count && st->null_count == 0;
    if (st->has_null_count && st->null_count == cm->num_values)
        return true; /* all null: no comparison is true */
    pq_val mn, mx;
    bool hmn = stat_value(r, p->leaf, st, false, &mn);
    bool hmx = stat_value(r, p->leaf, st, true, &mx);
    mdl_type_id t = r->leaves[p->leaf].leaf.type.id;
    const pq_val *v = &p->vals[0];
    if (p->op != MDL_PRED_IN && v->nan)
        return false;
    switch (p->op) {
    case MDL_PRED_EQ:
        return (hmn && cmp_val(t, v, &mn) < 0) || (hmx && cmp_val(t, v, &mx) > 0);
    case MDL_PRED_LT:
        return hmn && cmp_val(t, &mn, v) >= 0;
    case MDL_PRED_LE:
        return hmn && cmp_val(t, &mn, v) > 0;
    case MDL_PRED_GT:
        return hmx && cmp_val(t, &mx, v) <= 0;
    case MDL_PRED_GE:
        return hmx && cmp_val(t, &mx, v) < 0;
    case MDL_PRED_IN:
        for (size_t i = 0; i < p->n; i++) {
            const pq_val *x = &p->vals[i];
            if (x->nan || !((hmn && cmp_val(t, x, &mn) < 0) || (hmx && cmp_val(t, x, &mx) > 0)))
                return false;
        }
        return true;
    default:
        return false;
    }
}

static const char *op_name(mdl_pred_op op)
{
    static const char *const names[] = {"=", "<", "<=", ">", ">=", "IN", "IS NULL"};
    return (unsigned)op <= MDL_PRED_IS_NULL ? names[op] : "?";
}

static int convert_pred_value(mdl_parquet_reader *r, const leafinfo *li, const char *text,
                              pq_val *v, char **owned, mdl_error *err)
{
    tmpcol t;
    int rc = tmpcol_init(r->ctx, &t, li->leaf.type, err);
    if (rc != MDL_OK)
        return rc;
    const char *reason = NULL;
    mdl_error e;
    rc = mdl_format__append_text(r->ctx, &t.col, text, strlen(text), false, &reason, &e);
    if (rc != MDL_OK) {
        if (reason != NULL)
            rc = mdl_error_set(err, MDL_ERR_PARSE, "%s: predicate on column '%s': '%s' %s", r->name,
                               li->path, text, reason);
        else
            rc = mdl_error_set(err, rc, "%s", e.message);
        goto cleanup;
    }
    val_from(&t.col, v);
    if (li->leaf.type.id == MDL_TYPE_STRING) {
        *owned = mdl_strndup(r->ctx, v->s, v->len);
        if (*owned == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
            goto cleanup;
        }
        v->s = *owned;
    }
cleanup:
    tmpcol_free(r->ctx, &t);
    return rc;
}

static int setup_predicates(mdl_parquet_reader *r, const mdl_parquet_read_options *o,
                            mdl_error *err)
{
    size_t ng = r->ft.meta.num_row_groups;
    r->skip = mdl_calloc(r->ctx, ng ? ng : 1, sizeof *r->skip);
    if (r->skip == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet reader");
    if (o == NULL || o->num_predicates == 0)
        return MDL_OK;
    if (o->predicates == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "predicates is NULL");
    r->preds = mdl_calloc(r->ctx, o->num_predicates, sizeof *r->preds);
    if (r->preds == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet reader");
    for (size_t i = 0; i < o->num_predicates; i++) {
        const mdl_predicate *in = &o->predicates[i];
        pq_pred *p = &r->preds[r->npreds++];
        if (in->column == NULL || (unsigned)in->op > MDL_PRED_IS_NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "predicate %zu has no column or op", i);
        int rc = find_leaf(r, in->column, "predicate column", &p->leaf, err);
        if (rc != MDL_OK)
            return rc;
        p->op = in->op;
        if (in->op == MDL_PRED_IS_NULL)
            continue;
        bool ok = in->op == MDL_PRED_IN ? in->num_values >= 1 : in->num_values == 1;
        if (!ok || in->values == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "predicate on column '%s': %s takes %s value", in->column,
                                 op_name(in->op), in->op == MDL_PRED_IN ? "at least one" : "one");
        p->vals = mdl_calloc(r->ctx, in->num_values, sizeof *p->vals);
        p->strings = mdl_calloc(r->ctx, in->num_values, sizeof *p->strings);
        if (p->vals == NULL || p->strings == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet reader");
        p->n = in->num_values;
        for (size_t k = 0; k < p->n; k++) {
            if (in->values[k] == NULL)
                return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                     "predicate on column '%s': value %zu is NULL", in->column, k);
            rc = convert_pred_value(r, &r->leaves[p->leaf], in->values[k], &p->vals[k],
                                    &p->strings[k], err);
            if (rc != MDL_OK)
                return rc;
        }
    }
    for (size_t g = 0; g < ng; g++) {
        for (size_t i = 0; i < r->npreds && !r->skip[g]; i++)
            r->skip[g] = pred_skips(r, g, &r->preds[i]);
        r->skipped += r->skip[g];
    }
    return MDL_OK;
}

/* ---- open and free ------------------------------------------------------------------------ */

void mdl_parquet_reader_free(mdl_parquet_reader *r)
{
    if (r == NULL)
        return;
    mdl_ctx *ctx = r->ctx;
    for (size_t c = 0; r->cols != NULL && c < r->ncols; c++)
        mdl_format__pq_chunk_reader_free(r->cols[c]);
    mdl_free(ctx, r->cols);
    for (size_t i = 0; i < r->npreds; i++) {
        for (size_t k = 0; r->preds[i].strings != NULL && k < r->preds[i].n; k++)
            mdl_free(ctx, r->preds[i].strings[k]);
        mdl_free(ctx, r->preds[i].strings);
        mdl_free(ctx, r->preds[i].vals);
    }
    mdl_free(ctx, r->preds);
    mdl_free(ctx, r->skip);
    for (size_t i = 0; r->leaves != NULL && i < r->nleaves; i++) {
        mdl_free(ctx, r->leaves[i].path);
        mdl_free(ctx, r->leaves[i].reason);
    }
    mdl_free(ctx, r->leaves);
    mdl_free(ctx, r->top_groups);
    mdl_free(ctx, r->proj);
    mdl_schema_release(r->schema);
    mdl_batch_pool_release(r->pool);
    mdl_format__decompressor_free(r->dec);
    mdl_format__pq_footer_free(&r->ft, ctx);
    mdl_rinput_close(r->in);
    mdl_free(ctx, r);
}

int mdl_parquet_reader_open(mdl_ctx *ctx, mdl_rinput *in, const mdl_parquet_read_options *opts,
                            mdl_parquet_reader **out, mdl_error *err)
{
    *out = NULL;
    mdl_parquet_reader *r = mdl_calloc(ctx, 1, sizeof *r);
    if (r == NULL) {
        mdl_rinput_close(in);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet reader");
    }
    r->ctx = ctx;
    r->in = in;
    r->name = in->name ? in->name : "<parquet>";
    mdl_format__pq_footer_init(&r->ft, ctx);
    int rc = mdl_format__pq_footer_read(&r->ft, ctx, r->in, r->name, err);
    if (rc == MDL_OK)
        rc = build_leaves(r, err);
    if (rc == MDL_OK)
        rc = validate_row_groups(r, err);
    if (rc == MDL_OK)
        rc = project(r, opts, err);
    if (rc == MDL_OK)
        rc = setup_predicates(r, opts, err);
    if (rc == MDL_OK)
        rc = mdl_format__decompressor_new(ctx, &r->dec, err);
    if (rc == MDL_OK)
        rc = mdl_batch_pool_new(ctx, r->schema, 0, &r->pool, err);
    if (rc != MDL_OK)
        goto fail;
    r->cols = mdl_calloc(ctx, r->ncols ? r->ncols : 1, sizeof *r->cols);
    if (r->cols == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a Parquet reader");
        goto fail;
    }
    size_t page_limit = mdl_format__pq_page_limit(ctx);
    for (size_t c = 0; c < r->ncols; c++) {
        rc = mdl_format__pq_chunk_reader_new(ctx, &r->leaves[r->proj[c]].leaf, r->name, r->dec,
                                             page_limit, &r->cols[c], err);
        if (rc != MDL_OK)
            goto fail;
    }
    *out = r;
    return MDL_OK;
fail:
    mdl_parquet_reader_free(r);
    return rc;
}

int mdl_parquet_reader_open_file(mdl_ctx *ctx, const char *path,
                                 const mdl_parquet_read_options *opts, mdl_parquet_reader **out,
                                 mdl_error *err)
{
    mdl_rinput *in;
    *out = NULL;
    int rc = mdl_rinput_open_file(ctx, path, &in, err);
    if (rc != MDL_OK)
        return rc;
    return mdl_parquet_reader_open(ctx, in, opts, out, err);
}

mdl_schema *mdl_parquet_reader_schema(const mdl_parquet_reader *r)
{
    return r->schema;
}

uint64_t mdl_parquet_reader_num_rows(const mdl_parquet_reader *r)
{
    return (uint64_t)r->ft.meta.num_rows;
}

void mdl_parquet_reader_row_groups(const mdl_parquet_reader *r, size_t *total, size_t *skipped)
{
    if (total != NULL)
        *total = r->ft.meta.num_row_groups;
    if (skipped != NULL)
        *skipped = r->skipped;
}

/* ---- reading ------------------------------------------------------------------------------ */

static int start_row_group(mdl_parquet_reader *r, size_t g, mdl_error *err)
{
    const pq_row_group *rg = &r->ft.meta.row_groups[g];
    for (size_t c = 0; c < r->ncols; c++) {
        const pq_column_meta *cm = &rg->columns[r->proj[c]].meta;
        int64_t start = mdl_format__pq_chunk_start(cm);
        int rc = mdl_format__pq_chunk_reader_start(r->cols[c], r->in, g, (uint64_t)start,
                                                   (size_t)cm->total_compressed, cm->codec,
                                                   cm->num_values, rg->num_rows, err);
        if (rc != MDL_OK)
            return rc;
    }
    r->in_rg = true;
    r->rg_left = (uint64_t)rg->num_rows;
    return MDL_OK;
}

int mdl_parquet_reader_next(mdl_parquet_reader *r, mdl_batch **out, mdl_error *err)
{
    *out = NULL;
    if (r->done)
        return MDL_OK;
    mdl_batch *b;
    int rc = mdl_batch_pool_get(r->pool, &b, err);
    if (rc != MDL_OK)
        return rc;
    while (b->num_rows < b->capacity) {
        if (!r->in_rg) {
            while (r->next_rg < r->ft.meta.num_row_groups && r->skip[r->next_rg])
                r->next_rg++;
            if (r->next_rg >= r->ft.meta.num_row_groups) {
                r->done = true;
                break;
            }
            rc = start_row_group(r, r->next_rg++, err);
            if (rc != MDL_OK)
                goto fail;
        }
        size_t k = b->capacity - b->num_rows;
        if (r->rg_left < k)
            k = (size_t)r->rg_left;
        for (size_t c = 0; c < r->ncols && k > 0; c++) {
            rc = mdl_format__pq_chunk_reader_read(r->cols[c], &b->columns[c], k, err);
            if (rc != MDL_OK)
                goto fail;
        }
        b->num_rows += k;
        r->rg_left -= k;
        if (r->rg_left == 0) {
            for (size_t c = 0; c < r->ncols; c++) {
                rc = mdl_format__pq_chunk_reader_finish(r->cols[c], err);
                if (rc != MDL_OK)
                    goto fail;
            }
            r->in_rg = false;
        }
    }
    if (b->num_rows == 0) {
        mdl_batch_free(b);
        return MDL_OK;
    }
    *out = b;
    return MDL_OK;
fail:
    mdl_batch_free(b);
    r->done = true;
    return rc;
}

/* ---- describe ----------------------------------------------------------------------------- */

/* A JSON writer: the first failure sticks in rc and later calls do nothing. */
typedef struct jw {
    mdl_buf *out;
    int rc;
    mdl_error *err;
} jw;

static void jraw(jw *w, const char *s, size_t len)
{
    if (w->rc == MDL_OK)
        w->rc = mdl_buf_append(w->out, s, len, w->err);
}

static void jlit(jw *w, const char *s)
{
    jraw(w, s, strlen(s));
}

static void jfmt(jw *w, const char *fmt, ...) MDL_PRINTF(2, 3);
static void jfmt(jw *w, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        jraw(w, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Length of the UTF-8 sequence a lead byte starts (0 for a byte that cannot lead one). */
static size_t utf8_len(uint8_t c)
{
    return c < 0x80                 ? 1
           : c >= 0xC2 && c <= 0xDF ? 2
           : c >= 0xE0 && c <= 0xEF ? 3
           : c >= 0xF0 && c <= 0xF4 ? 4
                                    : 0;
}

/* A JSON string; bytes that are not valid UTF-8 become \u00XX, so the output is valid JSON. */
static void jstr(jw *w, const char *s, size_t len)
{
    if (len == 0) { /* s may be NULL: a key the footer left out */
        jraw(w, "\"\"", 2);
        return;
    }
    jraw(w, "\"", 1);
    size_t i = 0, run = 0;
    while (i < len) {
        uint8_t c = (uint8_t)s[i];
        size_t n = utf8_len(c);
        if (c >= 0x20 && c != '"' && c != '\\' &&
            (n == 1 || (n > 1 && n <= len - i && mdl_utf8_valid(s + i, n)))) {
            i += n;
            run += n;
            continue;
        }
        jraw(w, s + i - run, run);
        run = 0;
        if (c == '"')
            jlit(w, "\\\"");
        else if (c == '\\')
            jlit(w, "\\\\");
        else if (c == '\n')
            jlit(w, "\\n");
        else if (c == '\t')
            jlit(w, "\\t");
        else if (c == '\r')
            jlit(w, "\\r");
        else
            jfmt(w, "\\u%04x", (unsigned)c);
        i++;
    }
    jraw(w, s + i - run, run);
    jraw(w, "\"", 1);
}

static void jcstr(jw *w, const char *s)
{
    if (s == NULL)
        jlit(w, "null");
    else
        jstr(w, s, strlen(s));
}

static void jkey(jw *w, const char *key)
{
    jstr(w, key, strlen(key));
    jraw(w, ": ", 2);
}

static void jhex(jw *w, const char *s, size_t len)
{
    /* (s may be NULL when len is 0; the loop then does not touch it) */
    static const char digits[] = "0123456789abcdef";
    jlit(w, "{\"hex\": \"");
    for (size_t i = 0; i < len; i++) {
        char two[2] = {digits[(uint8_t)s[i] >> 4], digits[(uint8_t)s[i] & 15]};
        jraw(w, two, 2);
    }
    jlit(w, "\"}");
}

static const char *converted_name(int ct)
{
    static const char *const names[] = {"UTF8",
                                        "MAP",
                                        "MAP_KEY_VALUE",
                                        "LIST",
                                        "ENUM",
                                        "DECIMAL",
                                        "DATE",
                                        "TIME_MILLIS",
                                        "TIME_MICROS",
                                        "TIMESTAMP_MILLIS",
                                        "TIMESTAMP_MICROS",
                                        "UINT_8",
                                        "UINT_16",
                                        "UINT_32",
                                        "UINT_64",
                                        "INT_8",
                                        "INT_16",
                                        "INT_32",
                                        "INT_64",
                                        "JSON",
                                        "BSON",
                                        "INTERVAL"};
    return ct >= 0 && ct < (int)(sizeof names / sizeof names[0]) ? names[ct] : NULL;
}

static const char *unit_name(int unit)
{
    return unit == PQ_UNIT_MILLIS   ? "MILLIS"
           : unit == PQ_UNIT_MICROS ? "MICROS"
           : unit == PQ_UNIT_NANOS  ? "NANOS"
                                    : "UNKNOWN";
}

static void jlogical(jw *w, const pq_logical_type *lt)
{
    static const char *const simple[] = {NULL, "STRING",  "MAP",  "LIST", "ENUM",
                                         NULL, "DATE",    NULL,   NULL,   NULL,
                                         NULL, "UNKNOWN", "JSON", "BSON", "UUID"};
    switch (lt->kind) {
    case PQ_LT_NONE:
        jlit(w, "null");
        return;
    case PQ_LT_DECIMAL:
        jfmt(w, "\"DECIMAL(%ld,%ld)\"", (long)lt->precision, (long)lt->scale);
        return;
    case PQ_LT_TIME:
    case PQ_LT_TIMESTAMP:
        jfmt(w, "\"%s(%s,%s)\"", lt->kind == PQ_LT_TIME ? "TIME" : "TIMESTAMP", unit_name(lt->unit),
             lt->utc ? "utc" : "local");
        return;
    case PQ_LT_INTEGER:
        jfmt(w, "\"INTEGER(%d,%s)\"", lt->bit_width, lt->is_signed ? "signed" : "unsigned");
        return;
    default:
        if (lt->kind > 0 && lt->kind < (int)(sizeof simple / sizeof simple[0]) &&
            simple[lt->kind] != NULL)
            jfmt(w, "\"%s\"", simple[lt->kind]);
        else
            jlit(w, "\"OTHER\"");
    }
}

static void describe_schema(jw *w, const mdl_parquet_reader *r)
{
    static const char *const reps[] = {"REQUIRED", "OPTIONAL", "REPEATED"};
    jlit(w, "\"schema\": [");
    for (size_t i = 0; i < r->nleaves; i++) {
        const leafinfo *li = &r->leaves[i];
        const pq_schema_element *e = li->e;
        jlit(w, i ? ", {" : "{");
        jkey(w, "name");
        jcstr(w, li->path);
        jlit(w, ", ");
        jkey(w, "physical_type");
        jcstr(w, mdl_format__pq_type_name(e->type));
        jlit(w, ", ");
        jkey(w, "type_length");
        if (e->type == PQ_FLBA)
            jfmt(w, "%ld", (long)e->type_length);
        else
            jlit(w, "null");
        jlit(w, ", ");
        jkey(w, "repetition");
        jcstr(w, e->repetition >= 0 && e->repetition <= 2 ? reps[e->repetition] : NULL);
        jlit(w, ", ");
        jkey(w, "converted_type");
        jcstr(w, converted_name(e->converted_type));
        jlit(w, ", ");
        jkey(w, "logical_type");
        jlogical(w, &e->logical);
        jlit(w, ", ");
        jkey(w, "medallion_type");
        if (li->status == MDL_OK) {
            char t[64];
            mdl_type_format(li->leaf.type, t, sizeof t);
            jcstr(w, t);
        } else {
            jlit(w, "null, ");
            jkey(w, "unsupported");
            jcstr(w, li->reason);
        }
        jlit(w, "}");
    }
    jlit(w, "]");
}

/* A statistic as a medallion value when it decodes, else as {"hex": ...}. */
static void jstat(jw *w, const mdl_parquet_reader *r, size_t leaf, const pq_statistics *st,
                  bool is_max)
{
    bool has = is_max ? st->has_max : st->has_min;
    mdl_strview b = is_max ? st->max : st->min;
    if (!has) {
        jlit(w, "null");
        return;
    }
    const leafinfo *li = &r->leaves[leaf];
    int phys = li->e->type;
    bool usable = li->status == MDL_OK && phys != PQ_INT96 &&
                  !(st->legacy && (phys == PQ_BYTE_ARRAY || phys == PQ_FLBA || is_unsigned(li)));
    if (usable && li->leaf.type.id == MDL_TYPE_STRING) {
        if (mdl_utf8_valid(b.ptr, b.len))
            jstr(w, b.ptr, b.len);
        else
            jhex(w, b.ptr, b.len);
        return;
    }
    if (usable) {
        tmpcol t;
        if (tmpcol_init(r->ctx, &t, li->leaf.type, NULL) == MDL_OK &&
            mdl_format__pq_append_plain(r->ctx, &li->leaf, (const uint8_t *)b.ptr, b.len, &t.col,
                                        NULL) == MDL_OK) {
            char buf[128];
            size_t n = mdl_column_format_value(&t.col, 0, buf, sizeof buf);
            jstr(w, buf, n);
            tmpcol_free(r->ctx, &t);
            return;
        }
        tmpcol_free(r->ctx, &t);
    }
    jhex(w, b.ptr, b.len);
}

static void describe_row_groups(jw *w, const mdl_parquet_reader *r)
{
    jlit(w, "\"row_groups\": [");
    for (size_t g = 0; g < r->ft.meta.num_row_groups; g++) {
        const pq_row_group *rg = &r->ft.meta.row_groups[g];
        jfmt(w, "%s{\"num_rows\": %lld, \"total_byte_size\": %lld, \"columns\": [", g ? ", " : "",
             (long long)rg->num_rows, (long long)rg->total_byte_size);
        for (size_t c = 0; c < rg->num_columns; c++) {
            const pq_column_meta *cm = &rg->columns[c].meta;
            jlit(w, c ? ", {" : "{");
            jkey(w, "path");
            jcstr(w, r->leaves[c].path);
            jlit(w, ", ");
            jkey(w, "codec");
            jcstr(w, mdl_format__codec_name(cm->codec));
            jlit(w, ", ");
            jkey(w, "encodings");
            jlit(w, "[");
            for (size_t k = 0; k < cm->num_encodings; k++) {
                jlit(w, k ? ", " : "");
                jcstr(w, mdl_format__pq_encoding_name(cm->encodings[k]));
            }
            jfmt(w, "], \"num_values\": %lld", (long long)cm->num_values);
            jfmt(w, ", \"total_compressed_size\": %lld", (long long)cm->total_compressed);
            jfmt(w, ", \"total_uncompressed_size\": %lld", (long long)cm->total_uncompressed);
            if (cm->dictionary_page_offset == PQ_ABSENT)
                jlit(w, ", \"dictionary_page_offset\": null");
            else
                jfmt(w, ", \"dictionary_page_offset\": %lld",
                     (long long)cm->dictionary_page_offset);
            jfmt(w, ", \"data_page_offset\": %lld", (long long)cm->data_page_offset);
            if (cm->stats.has_null_count)
                jfmt(w, ", \"null_count\": %lld", (long long)cm->stats.null_count);
            else
                jlit(w, ", \"null_count\": null");
            jlit(w, ", \"min\": ");
            jstat(w, r, c, &cm->stats, false);
            jlit(w, ", \"max\": ");
            jstat(w, r, c, &cm->stats, true);
            jlit(w, "}");
        }
        jlit(w, "]}");
    }
    jlit(w, "]");
}

int mdl_parquet_reader_describe(const mdl_parquet_reader *r, mdl_buf *out, mdl_error *err)
{
    jw w = {out, MDL_OK, err};
    size_t start = out->len;
    const pq_file_meta *m = &r->ft.meta;
    jfmt(&w, "{\"num_rows\": %lld, \"created_by\": ", (long long)m->num_rows);
    if (m->has_created_by)
        jstr(&w, m->created_by.ptr, m->created_by.len);
    else
        jlit(&w, "null");
    jfmt(&w, ", \"version\": %ld, \"key_value_metadata\": {", (long)m->version);
    for (size_t i = 0; i < m->num_kv; i++) {
        jlit(&w, i ? ", " : "");
        jstr(&w, m->kv[i].key.ptr, m->kv[i].key.len);
        jlit(&w, ": ");
        if (m->kv[i].has_value)
            jstr(&w, m->kv[i].value.ptr, m->kv[i].value.len);
        else
            jlit(&w, "null");
    }
    jlit(&w, "}, ");
    describe_schema(&w, r);
    jlit(&w, ", ");
    describe_row_groups(&w, r);
    jlit(&w, "}");
    if (w.rc != MDL_OK)
        out->len = start;
    return w.rc;
}

/* ---- stream adapter ----------------------------------------------------------------------- */

static int source_next(void *state, mdl_batch **out, mdl_error *err)
{
    return mdl_parquet_reader_next(state, out, err);
}

static void source_free(void *state)
{
    mdl_parquet_reader_free(state);
}

static const mdl_batch_source SOURCE = {source_next, source_free};

int mdl_parquet_reader_stream(mdl_parquet_reader *r, mdl_batch_stream **out, mdl_error *err)
{
    return mdl_batch_stream_wrap(r->ctx, r->schema, &SOURCE, r, out, err);
}
