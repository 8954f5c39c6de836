/*
 * sql_op_misc.c - the streaming operators: LIMIT/OFFSET, UNION ALL and DISTINCT (a hash set
 * of the rows seen, emitting each first occurrence as it arrives), and the memory-budget
 * helpers the hash operators share.
 */
#include <string.h>

#include "sql/sql_keys.h"
#include "sql/sql_op_hash.h"
#include "sql/sql_op_order.h"

int mdl_sql__budget_error(mdl_error *err, const char *what, size_t held, size_t budget)
{
    char h[32], b[32];
    mdl_sql__format_bytes(held, h, sizeof h);
    mdl_sql__format_bytes(budget, b, sizeof b);
    return mdl_error_set(err, MDL_ERR_LIMIT,
                         "%s holds %s, over the memory budget of %s; raise --memory or filter "
                         "the input",
                         what, h, b);
}

/* A batch of rows `rows[0..n-1]` of `in` (same schema). */
static int batch_select(mdl_ctx *ctx, const mdl_batch *in, const uint32_t *rows, size_t first,
                        size_t n, mdl_batch **out, mdl_error *err)
{
    mdl_batch *b = NULL;
    int rc = mdl_batch_new(ctx, in->schema, n ? n : 1, &b, err);
    if (rc != MDL_OK)
        return rc;
    for (size_t c = 0; c < in->schema->num_fields; c++) {
        rc = mdl_sql__col_append_rows(ctx, &b->columns[c], &in->columns[c], rows, first, n, err);
        if (rc != MDL_OK) {
            mdl_batch_free(b);
            return rc;
        }
    }
    b->num_rows = n;
    *out = b;
    return MDL_OK;
}

/* ---- LIMIT / OFFSET ------------------------------------------------------------------------- */

typedef struct limit_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    uint64_t left, skip;
    bool done;
} limit_op;

static int limit_next(mdl_batch_stream *s, mdl_batch **out, mdl_error *err)
{
    limit_op *op = s->private_data;
    *out = NULL;
    while (!op->done && op->left > 0) {
        mdl_batch *b = NULL;
        int rc = mdl_batch_stream_next(op->child, &b, err);
        if (rc != MDL_OK)
            return rc;
        if (b == NULL) {
            op->done = true;
            break;
        }
        size_t n = b->num_rows;
        size_t skip = op->skip < n ? (size_t)op->skip : n;
        op->skip -= skip;
        size_t take = n - skip;
        if ((uint64_t)take > op->left)
            take = (size_t)op->left;
        if (take == 0) {
            mdl_batch_free(b);
            continue;
        }
        op->left -= take;
        if (skip == 0) {
            if (take < n) {
                for (size_t c = 0; c < b->schema->num_fields; c++)
                    mdl_column_truncate(&b->columns[c], take);
                b->num_rows = take;
            }
            *out = b;
            return MDL_OK;
        }
        rc = batch_select(op->ctx, b, NULL, skip, take, out, err);
        mdl_batch_free(b);
        return rc;
    }
    op->done = true;
    return MDL_OK;
}

static void limit_release(mdl_batch_stream *s)
{
    limit_op *op = s->private_data;
    mdl_batch_stream_release(op->child);
    mdl_free(op->ctx, op);
}

int mdl_sql__op_limit(mdl_ctx *ctx, mdl_batch_stream *child, uint64_t limit, uint64_t offset,
                      mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    limit_op *op = mdl_calloc(ctx, 1, sizeof *op);
    if (op == NULL) {
        mdl_batch_stream_release(child);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating LIMIT");
    }
    op->ctx = ctx;
    op->child = child;
    op->left = limit;
    op->skip = offset;
    op->base.next = limit_next;
    op->base.release = limit_release;
    op->base.schema = child->schema;
    op->base.private_data = op;
    *out = &op->base;
    return MDL_OK;
}

/* ---- UNION ALL --------------------------------------------------------------------------------
 */

typedef struct union_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream **children;
    size_t n, cur;
} union_op;

static int union_next(mdl_batch_stream *s, mdl_batch **out, mdl_error *err)
{
    union_op *op = s->private_data;
    *out = NULL;
    while (op->cur < op->n) {
        int rc = mdl_batch_stream_next(op->children[op->cur], out, err);
        if (rc != MDL_OK)
            return rc;
        if (*out != NULL)
            return MDL_OK;
        /* Done with this child: free what it holds now rather than at the end. */
        mdl_batch_stream_release(op->children[op->cur]);
        op->children[op->cur] = NULL;
        op->cur++;
    }
    return MDL_OK;
}

static void union_release(mdl_batch_stream *s)
{
    union_op *op = s->private_data;
    for (size_t i = 0; i < op->n; i++)
        mdl_batch_stream_release(op->children[i]);
    mdl_free(op->ctx, op->children);
    mdl_schema_release(op->base.schema);
    mdl_free(op->ctx, op);
}

int mdl_sql__op_union_all(mdl_ctx *ctx, mdl_batch_stream **children, size_t num_children,
                          mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    int rc = MDL_OK;
    mdl_field_def *defs = NULL;
    union_op *op = NULL;
    if (num_children == 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "UNION ALL needs at least one input");
    const mdl_schema *s0 = children[0]->schema;
    for (size_t i = 1; i < num_children; i++) {
        const mdl_schema *si = children[i]->schema;
        if (si->num_fields != s0->num_fields) {
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "UNION ALL inputs have %zu and %zu columns; they must have the "
                               "same number",
                               s0->num_fields, si->num_fields);
            goto cleanup;
        }
        for (size_t c = 0; c < s0->num_fields; c++)
            if (!mdl_type_equal(s0->fields[c].type, si->fields[c].type)) {
                char a[48], b[48];
                mdl_type_format(s0->fields[c].type, a, sizeof a);
                mdl_type_format(si->fields[c].type, b, sizeof b);
                rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                                   "UNION ALL column %zu ('%s') is %s in the first input and %s "
                                   "in input %zu",
                                   c + 1, s0->fields[c].name, a, b, i + 1);
                goto cleanup;
            }
    }
    defs = mdl_calloc(ctx, s0->num_fields ? s0->num_fields : 1, sizeof *defs);
    op = mdl_calloc(ctx, 1, sizeof *op);
    if (op != NULL)
        op->children = mdl_calloc(ctx, num_children, sizeof *op->children);
    if (defs == NULL || op == NULL || op->children == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating UNION ALL");
        goto cleanup;
    }
    for (size_t c = 0; c < s0->num_fields; c++) {
        defs[c].name = s0->fields[c].name;
        defs[c].type = s0->fields[c].type;
        for (size_t i = 0; i < num_children; i++)
            defs[c].nullable |= children[i]->schema->fields[c].nullable;
    }
    rc = mdl_schema_new(ctx, defs, s0->num_fields, &op->base.schema, err);
    if (rc != MDL_OK)
        goto cleanup;
    op->ctx = ctx;
    op->n = num_children;
    memcpy(op->children, children, num_children * sizeof *children);
    op->base.next = union_next;
    op->base.release = union_release;
    op->base.private_data = op;
    *out = &op->base;
    op = NULL;
cleanup:
    if (rc != MDL_OK)
        for (size_t i = 0; i < num_children; i++)
            mdl_batch_stream_release(children[i]);
    if (op != NULL) {
        mdl_free(ctx, op->children);
        mdl_free(ctx, op);
    }
    mdl_free(ctx, defs);
    return rc;
}

/* ---- DISTINCT ---------------------------------------------------------------------------------
 */

typedef struct distinct_op {
    mdl_batch_stream base;
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    sql_keytab *kt;
    size_t budget;
    uint32_t *ids, *rows;
    size_t cap;
    const mdl_column **cols;
} distinct_op;

static int distinct_next(mdl_batch_stream *s, mdl_batch **out, mdl_error *err)
{
    distinct_op *op = s->private_data;
    *out = NULL;
    for (;;) {
        mdl_batch *b = NULL;
        int rc = mdl_batch_stream_next(op->child, &b, err);
        if (rc != MDL_OK || b == NULL)
            return rc;
        size_t n = b->num_rows;
        if (n > op->cap) {
            mdl_free(op->ctx, op->ids);
            mdl_free(op->ctx, op->rows);
            op->ids = mdl_alloc(op->ctx, n * sizeof(uint32_t));
            op->rows = mdl_alloc(op->ctx, n * sizeof(uint32_t));
            op->cap = n;
            if (op->ids == NULL || op->rows == NULL) {
                op->cap = 0;
                mdl_batch_free(b);
                return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory in DISTINCT");
            }
        }
        for (size_t c = 0; c < b->schema->num_fields; c++)
            op->cols[c] = &b->columns[c];
        size_t before = mdl_sql__keytab_count(op->kt);
        rc = mdl_sql__keytab_insert(op->kt, op->cols, n, op->ids, err);
        if (rc == MDL_OK && mdl_sql__keytab_bytes(op->kt) > op->budget)
            rc = mdl_sql__budget_error(err, "DISTINCT", mdl_sql__keytab_bytes(op->kt), op->budget);
        if (rc != MDL_OK) {
            mdl_batch_free(b);
            return rc;
        }
        /* New ids are handed out in row order, so a row is a first occurrence exactly when
         * its id is the next new one. */
        size_t next = before, k = 0;
        for (size_t r = 0; r < n; r++)
            if (op->ids[r] == next) {
                op->rows[k++] = (uint32_t)r;
                next++;
            }
        if (k == n) {
            *out = b;
            return MDL_OK;
        }
        if (k == 0) {
            mdl_batch_free(b);
            continue;
        }
        rc = batch_select(op->ctx, b, op->rows, 0, k, out, err);
        mdl_batch_free(b);
        return rc;
    }
}

static void distinct_release(mdl_batch_stream *s)
{
    distinct_op *op = s->private_data;
    mdl_batch_stream_release(op->child);
    mdl_sql__keytab_free(op->kt);
    mdl_free(op->ctx, op->ids);
    mdl_free(op->ctx, op->rows);
    mdl_free(op->ctx, op->cols);
    mdl_free(op->ctx, op);
}

int mdl_sql__op_distinct(mdl_ctx *ctx, mdl_batch_stream *child, size_t budget_bytes,
                         mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    const mdl_schema *sc = child->schema;
    int rc = MDL_OK;
    mdl_type *types = mdl_calloc(ctx, sc->num_fields ? sc->num_fields : 1, sizeof *types);
    distinct_op *op = mdl_calloc(ctx, 1, sizeof *op);
    if (op != NULL)
        op->cols = mdl_calloc(ctx, sc->num_fields ? sc->num_fields : 1, sizeof *op->cols);
    if (types == NULL || op == NULL || op->cols == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating DISTINCT");
        goto cleanup;
    }
    for (size_t c = 0; c < sc->num_fields; c++)
        types[c] = sc->fields[c].type;
    rc = mdl_sql__keytab_new(ctx, types, sc->num_fields, true, &op->kt, err);
    if (rc != MDL_OK)
        goto cleanup;
    op->ctx = ctx;
    op->child = child;
    op->budget = mdl_sql__budget(ctx, budget_bytes);
    op->base.next = distinct_next;
    op->base.release = distinct_release;
    op->base.schema = child->schema;
    op->base.private_data = op;
    *out = &op->base;
    op = NULL;
cleanup:
    if (rc != MDL_OK)
        mdl_batch_stream_release(child);
    if (op != NULL) {
        mdl_sql__keytab_free(op->kt);
        mdl_free(ctx, op->cols);
        mdl_free(ctx, op);
    }
    mdl_free(ctx, types);
    return rc;
}
