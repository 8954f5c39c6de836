/*
 * sql_exec.c - runs a logical plan (sql_plan.h): every node becomes a batch stream over its
 * children's streams. Filters and projections evaluate bound expressions here
 * (sql_expr.h); the blocking operators (sql_op_hash.h, sql_op_order.h) work on column
 * indexes, so this file first projects the keys and arguments they need into columns:
 *
 *   AGGREGATE  child -> project(keys, args) -> hash aggregate
 *   JOIN       left -> project(cols, keys) , right -> project(cols, keys) -> hash join
 *              -> project(without the key columns); the residual predicate is evaluated
 *              on each candidate batch, seen without the key columns
 *   WINDOW     per function: child -> project(cols, partition, order, arg, default)
 *              -> window -> project(cols, result)
 *   SORT       (keys are columns already) -> sort, top-N when a LIMIT sits right above
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql_exec.h"
#include "sql/sql_op_hash.h"
#include "sql/sql_op_order.h"

/* ---- project --------------------------------------------------------------------------------- */

typedef struct project_state {
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    mdl_schema *schema;
    sql_bound **exprs; /* borrowed (the plan owns them) unless owned */
    size_t n;
    bool owned;
    uint32_t *uses; /* per input column: how many expressions are exactly that column */
    size_t num_inputs;
} project_state;

static int project_next(void *state, mdl_batch **out, mdl_error *err)
{
    project_state *s = state;
    *out = NULL;
    mdl_batch *in = NULL;
    int rc = mdl_batch_stream_next(s->child, &in, err);
    if (rc != MDL_OK || in == NULL)
        return rc;
    mdl_batch *o = NULL;
    /* the moved columns go back to the input batch, which its producer may reuse: they must
     * have its capacity */
    size_t cap = in->capacity > in->num_rows ? in->capacity : in->num_rows;
    rc = mdl_batch_new(s->ctx, s->schema, cap ? cap : 1, &o, err);
    /* A column the projection uses once is moved over (no copy); anything else — an
     * expression, or a column used twice — is evaluated into a new column. Moves come last,
     * so the evaluations still see every input column. */
    for (size_t i = 0; rc == MDL_OK && i < s->n; i++) {
        const sql_bound *e = s->exprs[i];
        if (e->kind == SQL_B_COLUMN && s->uses[e->column] == 1)
            continue;
        mdl_column c;
        rc = mdl_column_init(s->ctx, &c, e->type, in->num_rows ? in->num_rows : 1, err);
        if (rc == MDL_OK)
            rc = mdl_sql__eval(s->ctx, e, in, &c, err);
        if (rc == MDL_OK) {
            mdl_column_reset(s->ctx, &o->columns[i]);
            o->columns[i] = c;
        } else {
            mdl_column_reset(s->ctx, &c);
        }
    }
    for (size_t i = 0; rc == MDL_OK && i < s->n; i++) {
        const sql_bound *e = s->exprs[i];
        if (e->kind != SQL_B_COLUMN || s->uses[e->column] != 1)
            continue;
        mdl_column tmp = o->columns[i];
        o->columns[i] = in->columns[e->column];
        in->columns[e->column] = tmp; /* same type and capacity: the input stays valid */
        in->columns[e->column].length = 0;
    }
    if (rc == MDL_OK)
        o->num_rows = in->num_rows;
    mdl_batch_free(in);
    if (rc != MDL_OK) {
        mdl_batch_free(o);
        return rc;
    }
    *out = o;
    return MDL_OK;
}

static void project_free(void *state)
{
    project_state *s = state;
    mdl_free(s->ctx, s->uses);
    mdl_batch_stream_release(s->child);
    mdl_schema_release(s->schema);
    if (s->owned) {
        for (size_t i = 0; i < s->n; i++)
            mdl_sql__bound_free(s->ctx, s->exprs[i]);
        mdl_free(s->ctx, s->exprs);
    }
    mdl_free(s->ctx, s);
}

static const mdl_batch_source PROJECT = {project_next, project_free};

/* Wraps child in a projection. Takes child; with `owned` also takes the expressions. */
static int project_stream(mdl_ctx *ctx, mdl_batch_stream *child, sql_bound **exprs, size_t n,
                          bool owned, mdl_batch_stream **out, mdl_error *err)
{
    project_state *s = mdl_calloc(ctx, 1, sizeof *s);
    mdl_field_def *defs = mdl_calloc(ctx, n + 1, sizeof *defs);
    char(*names)[24] = mdl_calloc(ctx, n + 1, sizeof *names);
    int rc = s && defs && names ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        snprintf(names[i], sizeof names[i], "c%zu", i);
        defs[i] = (mdl_field_def){names[i], exprs[i]->type, true};
    }
    if (rc == MDL_OK)
        rc = mdl_schema_new(ctx, defs, n, &s->schema, err);
    mdl_free(ctx, defs);
    mdl_free(ctx, names);
    if (rc != MDL_OK) {
        if (s)
            mdl_schema_release(s->schema);
        mdl_free(ctx, s);
        mdl_batch_stream_release(child);
        if (owned) {
            for (size_t i = 0; i < n; i++)
                mdl_sql__bound_free(ctx, exprs[i]);
            mdl_free(ctx, exprs);
        }
        return rc;
    }
    s->ctx = ctx;
    s->child = child;
    s->exprs = exprs;
    s->n = n;
    s->owned = owned;
    s->num_inputs = child->schema->num_fields;
    s->uses = mdl_calloc(ctx, s->num_inputs + 1, sizeof *s->uses);
    if (s->uses == NULL) {
        project_free(s);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        if (exprs[i]->kind == SQL_B_COLUMN && exprs[i]->column < s->num_inputs)
            s->uses[exprs[i]->column]++;
    return mdl_batch_stream_wrap(ctx, s->schema, &PROJECT, s, out, err);
}

/* An owned list of column references 0..n-1 of `schema`, then `extra` (owned) appended. */
static int columns_plus(mdl_ctx *ctx, const mdl_schema *schema, size_t n, sql_bound **extra,
                        size_t num_extra, sql_bound ***out, mdl_error *err)
{
    sql_bound **e = mdl_calloc(ctx, n + num_extra + 1, sizeof *e);
    if (e == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < n; i++)
        rc = mdl_sql__bound_column(ctx, i, schema->fields[i].type, &e[i], err);
    for (size_t i = 0; i < num_extra; i++)
        e[n + i] = extra[i];
    if (rc != MDL_OK) {
        for (size_t i = 0; i < n + num_extra; i++)
            mdl_sql__bound_free(ctx, e[i]);
        mdl_free(ctx, e);
        return rc;
    }
    *out = e;
    return MDL_OK;
}

/* ---- filter ------------------------------------------------------------------------------------
 */

typedef struct filter_state {
    mdl_ctx *ctx;
    mdl_batch_stream *child;
    const sql_bound *pred;
    uint8_t *keep;
    size_t keep_cap;
} filter_state;

static int filter_next(void *state, mdl_batch **out, mdl_error *err)
{
    filter_state *s = state;
    *out = NULL;
    for (;;) {
        mdl_batch *in = NULL;
        int rc = mdl_batch_stream_next(s->child, &in, err);
        if (rc != MDL_OK || in == NULL)
            return rc;
        if (in->num_rows > s->keep_cap) {
            uint8_t *k = mdl_realloc(s->ctx, s->keep, in->num_rows);
            if (k == NULL) {
                mdl_batch_free(in);
                return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory filtering");
            }
            s->keep = k;
            s->keep_cap = in->num_rows;
        }
        rc = mdl_sql__eval_filter(s->ctx, s->pred, in, s->keep, err);
        size_t kept = 0;
        for (size_t r = 0; rc == MDL_OK && r < in->num_rows; r++)
            kept += s->keep[r] != 0;
        if (rc != MDL_OK || kept == in->num_rows) {
            if (rc != MDL_OK)
                mdl_batch_free(in);
            else
                *out = in;
            return rc;
        }
        if (kept == 0) {
            mdl_batch_free(in);
            continue;
        }
        mdl_batch *o;
        rc = mdl_batch_new(s->ctx, in->schema, kept, &o, err);
        for (size_t c = 0; rc == MDL_OK && c < in->schema->num_fields; c++)
            for (size_t r = 0; rc == MDL_OK && r < in->num_rows; r++)
                if (s->keep[r])
                    rc = mdl_sql__column_append_from(s->ctx, &o->columns[c], &in->columns[c], r,
                                                     err);
        mdl_batch_free(in);
        if (rc != MDL_OK) {
            mdl_batch_free(o);
            return rc;
        }
        o->num_rows = kept;
        *out = o;
        return MDL_OK;
    }
}

static void filter_free(void *state)
{
    filter_state *s = state;
    mdl_batch_stream_release(s->child);
    mdl_free(s->ctx, s->keep);
    mdl_free(s->ctx, s);
}

static const mdl_batch_source FILTER = {filter_next, filter_free};

/* ---- renaming: a stream whose batches take the plan node's schema --------------------------- */

typedef struct rename_state {
    mdl_batch_stream *child;
    mdl_schema *schema;
} rename_state;

static int rename_next(void *state, mdl_batch **out, mdl_error *err)
{
    rename_state *s = state;
    int rc = mdl_batch_stream_next(s->child, out, err);
    if (rc == MDL_OK && *out != NULL && (*out)->schema != s->schema) {
        if ((*out)->pool != NULL) {
            /* a pooled batch must keep its schema: copy its columns into a fresh batch */
            mdl_batch *in = *out, *o;
            rc = mdl_batch_new(s->schema->ctx, s->schema, in->num_rows ? in->num_rows : 1, &o, err);
            for (size_t c = 0; rc == MDL_OK && c < s->schema->num_fields; c++)
                for (size_t r = 0; rc == MDL_OK && r < in->num_rows; r++)
                    rc = mdl_sql__column_append_from(s->schema->ctx, &o->columns[c],
                                                     &in->columns[c], r, err);
            if (rc == MDL_OK)
                o->num_rows = in->num_rows;
            mdl_batch_free(in);
            *out = rc == MDL_OK ? o : NULL;
            if (rc != MDL_OK)
                mdl_batch_free(o);
            return rc;
        }
        mdl_schema_release((*out)->schema);
        (*out)->schema = mdl_schema_retain(s->schema);
    }
    return rc;
}

static void rename_free(void *state)
{
    rename_state *s = state;
    mdl_ctx *ctx = s->schema->ctx;
    mdl_batch_stream_release(s->child);
    mdl_schema_release(s->schema);
    mdl_free(ctx, s);
}

static const mdl_batch_source RENAME = {rename_next, rename_free};

static int rename_stream(mdl_ctx *ctx, mdl_batch_stream *child, mdl_schema *schema,
                         mdl_batch_stream **out, mdl_error *err)
{
    rename_state *s = mdl_calloc(ctx, 1, sizeof *s);
    if (s == NULL) {
        mdl_batch_stream_release(child);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    }
    s->child = child;
    s->schema = mdl_schema_retain(schema);
    return mdl_batch_stream_wrap(ctx, s->schema, &RENAME, s, out, err);
}

/* ---- one row, no columns (SELECT without FROM) ------------------------------------------------
 */

typedef struct one_row_state {
    mdl_ctx *ctx;
    mdl_schema *schema;
    bool done;
} one_row_state;

static int one_row_next(void *state, mdl_batch **out, mdl_error *err)
{
    one_row_state *s = state;
    *out = NULL;
    if (s->done)
        return MDL_OK;
    s->done = true;
    int rc = mdl_batch_new(s->ctx, s->schema, 1, out, err);
    if (rc == MDL_OK)
        (*out)->num_rows = 1;
    return rc;
}

static void one_row_free(void *state)
{
    one_row_state *s = state;
    mdl_schema_release(s->schema);
    mdl_free(s->ctx, s);
}

static const mdl_batch_source ONE_ROW = {one_row_next, one_row_free};

/* ---- the tree
 * ------------------------------------------------------------------------------------ */

static int exec_node(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o, mdl_batch_stream **out,
                     mdl_error *err);

/* child -> project(child columns, then copies of `extra`) */
static int with_extra(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_schema *cs,
                      sql_bound *const *extra, size_t n_extra, mdl_batch_stream **out,
                      mdl_error *err)
{
    sql_bound **copies = mdl_calloc(ctx, n_extra + 1, sizeof *copies);
    int rc = copies ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n_extra; i++)
        rc = mdl_sql__bound_copy(ctx, extra[i], &copies[i], err);
    sql_bound **all = NULL;
    if (rc == MDL_OK)
        rc = columns_plus(ctx, cs, cs->num_fields, copies, n_extra, &all, err);
    else
        for (size_t i = 0; copies && i < n_extra; i++)
            mdl_sql__bound_free(ctx, copies[i]);
    mdl_free(ctx, copies);
    if (rc != MDL_OK) {
        mdl_batch_stream_release(child);
        return rc;
    }
    return project_stream(ctx, child, all, cs->num_fields + n_extra, true, out, err);
}

/* child -> project(columns idx[0..n)) */
static int select_columns(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_type *types,
                          const size_t *idx, size_t n, mdl_batch_stream **out, mdl_error *err)
{
    sql_bound **e = mdl_calloc(ctx, n + 1, sizeof *e);
    int rc = e ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++)
        rc = mdl_sql__bound_column(ctx, idx[i], types[i], &e[i], err);
    if (rc != MDL_OK) {
        for (size_t i = 0; e && i < n; i++)
            mdl_sql__bound_free(ctx, e[i]);
        mdl_free(ctx, e);
        mdl_batch_stream_release(child);
        return rc;
    }
    return project_stream(ctx, child, e, n, true, out, err);
}

static int exec_aggregate(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o,
                          mdl_batch_stream *child, mdl_batch_stream **out, mdl_error *err)
{
    const mdl_schema *cs = p->children[0]->schema;
    (void)cs;
    size_t nk = p->num_keys, na = p->num_aggs;
    sql_bound **exprs = mdl_calloc(ctx, nk + na + 1, sizeof *exprs);
    size_t *keys = mdl_calloc(ctx, nk + 1, sizeof *keys);
    sql_agg_spec *specs = mdl_calloc(ctx, na + 1, sizeof *specs);
    int rc = exprs && keys && specs ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; rc == MDL_OK && i < nk; i++) {
        rc = mdl_sql__bound_copy(ctx, p->keys[i], &exprs[n], err);
        keys[i] = n++;
    }
    for (size_t i = 0; rc == MDL_OK && i < na; i++) {
        const sql_plan_agg *a = &p->aggs[i];
        specs[i].kind = (sql_hagg_kind)a->kind; /* the same values (sql_op_hash.h) */
        if (a->kind == SQL_AGG_COUNT && a->distinct)
            specs[i].kind = SQL_HAGG_COUNT_DISTINCT;
        specs[i].name = p->schema->fields[nk + i].name;
        if (a->arg != NULL) {
            rc = mdl_sql__bound_copy(ctx, a->arg, &exprs[n], err);
            specs[i].column = n++;
        }
    }
    if (rc == MDL_OK) {
        mdl_batch_stream *proj;
        rc = project_stream(ctx, child, exprs, n, true, &proj, err);
        child = NULL;
        exprs = NULL;
        mdl_batch_stream *agg = NULL;
        if (rc == MDL_OK)
            rc = mdl_sql__op_hash_aggregate(ctx, proj, keys, nk, specs, na, o->budget_bytes, &agg,
                                            err);
        if (rc == MDL_OK)
            rc = rename_stream(ctx, agg, p->schema, out, err);
    }
    if (exprs != NULL)
        for (size_t i = 0; i < n; i++)
            mdl_sql__bound_free(ctx, exprs[i]);
    mdl_free(ctx, exprs);
    mdl_free(ctx, keys);
    mdl_free(ctx, specs);
    mdl_batch_stream_release(child);
    return rc;
}

/* The residual predicate of a join, on candidate batches (left', right' with key columns). */
typedef struct residual_state {
    mdl_ctx *ctx;
    const sql_bound *pred;
    size_t nl, nlk, nr; /* left columns, left key columns, right columns */
    mdl_schema *view;   /* left ++ right without keys */
} residual_state;

static int residual_fn(void *user, const mdl_batch *joined, uint8_t *keep, mdl_error *err)
{
    residual_state *s = user;
    mdl_column *cols = mdl_calloc(s->ctx, s->nl + s->nr + 1, sizeof *cols);
    if (cols == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < s->nl; i++)
        cols[i] = joined->columns[i];
    for (size_t i = 0; i < s->nr; i++)
        cols[s->nl + i] = joined->columns[s->nl + s->nlk + i];
    mdl_batch view = {s->ctx, s->view, joined->num_rows, joined->num_rows, cols, NULL};
    int rc = mdl_sql__eval_filter(s->ctx, s->pred, &view, keep, err);
    mdl_free(s->ctx, cols);
    return rc;
}

static int exec_join(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o, mdl_batch_stream *left,
                     mdl_batch_stream *right, residual_state **rs_out, mdl_batch_stream **out,
                     mdl_error *err)
{
    const mdl_schema *ls = p->children[0]->schema, *rsch = p->children[1]->schema;
    size_t nl = ls->num_fields, nr = rsch->num_fields, nk = p->num_join_keys;
    mdl_batch_stream *lp = NULL, *rp = NULL, *j = NULL;
    size_t *lk = mdl_calloc(ctx, nk + 1, sizeof *lk), *rk = mdl_calloc(ctx, nk + 1, sizeof *rk);
    int rc = lk && rk ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nk && lk && rk; i++) {
        lk[i] = nl + i;
        rk[i] = nr + i;
    }
    if (rc == MDL_OK) {
        rc = with_extra(ctx, left, ls, p->left_keys, nk, &lp, err);
        left = NULL;
    }
    if (rc == MDL_OK) {
        rc = with_extra(ctx, right, rsch, p->right_keys, nk, &rp, err);
        right = NULL;
    }
    residual_state *rs = NULL;
    if (rc == MDL_OK && p->residual != NULL) {
        rs = mdl_calloc(ctx, 1, sizeof *rs);
        if (rs == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        else {
            rs->ctx = ctx;
            rs->pred = p->residual;
            rs->nl = nl;
            rs->nlk = nk;
            rs->nr = nr;
            rs->view = mdl_schema_retain(p->schema);
        }
    }
    if (rc == MDL_OK) {
        sql_join_spec spec;
        memset(&spec, 0, sizeof spec);
        spec.type = p->semi                     ? SQL_HJOIN_SEMI
                    : p->anti                   ? SQL_HJOIN_ANTI
                    : p->join == SQL_JOIN_LEFT  ? SQL_HJOIN_LEFT
                    : p->join == SQL_JOIN_RIGHT ? SQL_HJOIN_RIGHT
                    : p->join == SQL_JOIN_FULL  ? SQL_HJOIN_FULL
                    : p->join == SQL_JOIN_CROSS ? SQL_HJOIN_CROSS
                                                : SQL_HJOIN_INNER;
        if (nk == 0 && spec.type == SQL_HJOIN_INNER)
            spec.type = SQL_HJOIN_CROSS;
        spec.null_aware = p->null_aware;
        spec.left_keys = lk;
        spec.right_keys = rk;
        spec.num_keys = nk;
        spec.residual = rs ? residual_fn : NULL;
        spec.residual_user = rs;
        spec.budget_bytes = o->budget_bytes;
        /* Delta stats say how big each side is: the smaller one is hashed */
        spec.left_rows_hint = mdl_sql__rows_hint(p->children[0]);
        spec.right_rows_hint = mdl_sql__rows_hint(p->children[1]);
        rc = mdl_sql__op_hash_join(ctx, lp, rp, &spec, &j, err);
        lp = rp = NULL;
    }
    /* drop the key columns: left ++ left keys ++ right ++ right keys -> left ++ right (a semi
     * or anti join gives the left side only) */
    size_t nout = p->semi || p->anti ? nl : nl + nr;
    if (rc == MDL_OK) {
        size_t *idx = mdl_calloc(ctx, nl + nr + 1, sizeof *idx);
        mdl_type *types = mdl_calloc(ctx, nl + nr + 1, sizeof *types);
        if (idx == NULL || types == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        for (size_t i = 0; rc == MDL_OK && i < nout; i++) {
            idx[i] = i < nl ? i : i + nk;
            types[i] = p->schema->fields[i].type;
        }
        mdl_batch_stream *sel = NULL;
        if (rc == MDL_OK)
            rc = select_columns(ctx, j, types, idx, nout, &sel, err);
        else
            mdl_batch_stream_release(j);
        j = NULL;
        if (rc == MDL_OK)
            rc = rename_stream(ctx, sel, p->schema, out, err);
        mdl_free(ctx, idx);
        mdl_free(ctx, types);
    }
    mdl_batch_stream_release(left);
    mdl_batch_stream_release(right);
    mdl_batch_stream_release(lp);
    mdl_batch_stream_release(rp);
    mdl_batch_stream_release(j);
    mdl_free(ctx, lk);
    mdl_free(ctx, rk);
    *rs_out = rs;
    return rc;
}

static mdl_sql_window_kind win_op_kind(const sql_plan_win *w)
{
    switch (w->kind) {
    case SQL_WIN_ROW_NUMBER:
        return MDL_SQL_WIN_ROW_NUMBER;
    case SQL_WIN_RANK:
        return MDL_SQL_WIN_RANK;
    case SQL_WIN_DENSE_RANK:
        return MDL_SQL_WIN_DENSE_RANK;
    case SQL_WIN_LAG:
        return MDL_SQL_WIN_LAG;
    case SQL_WIN_LEAD:
        return MDL_SQL_WIN_LEAD;
    case SQL_WIN_FIRST_VALUE:
        return MDL_SQL_WIN_FIRST_VALUE;
    case SQL_WIN_LAST_VALUE:
        return MDL_SQL_WIN_LAST_VALUE;
    default:
        switch (w->agg) {
        case SQL_AGG_COUNT_STAR:
            return MDL_SQL_WIN_COUNT_STAR;
        case SQL_AGG_COUNT:
            return MDL_SQL_WIN_COUNT;
        case SQL_AGG_SUM:
            return MDL_SQL_WIN_SUM;
        case SQL_AGG_AVG:
            return MDL_SQL_WIN_AVG;
        case SQL_AGG_MIN:
            return MDL_SQL_WIN_MIN;
        default:
            return MDL_SQL_WIN_MAX;
        }
    }
}

static mdl_sql_frame_bound frame_bound(sql_frame_bound b, int64_t n)
{
    mdl_sql_frame_bound f = {MDL_SQL_FRAME_CURRENT_ROW, 0};
    switch (b) {
    case SQL_FRAME_UNBOUNDED_PRECEDING:
        f.kind = MDL_SQL_FRAME_UNBOUNDED_PRECEDING;
        break;
    case SQL_FRAME_PRECEDING:
        f.kind = MDL_SQL_FRAME_PRECEDING;
        f.n = (uint64_t)n;
        break;
    case SQL_FRAME_FOLLOWING:
        f.kind = MDL_SQL_FRAME_FOLLOWING;
        f.n = (uint64_t)n;
        break;
    case SQL_FRAME_UNBOUNDED_FOLLOWING:
        f.kind = MDL_SQL_FRAME_UNBOUNDED_FOLLOWING;
        break;
    default:
        break;
    }
    return f;
}

/* One window function over `child` (columns of `cs`): appends its result column. */
static int exec_one_window(mdl_ctx *ctx, sql_exec_options *o, mdl_batch_stream *child,
                           const mdl_schema *cs, const sql_plan_win *w, const char *name,
                           mdl_type rtype, mdl_batch_stream **out, mdl_error *err)
{
    size_t nc = cs->num_fields;
    size_t np = w->num_partition, no = w->num_order;
    size_t nextra = np + no + (w->arg != NULL) + (w->dflt != NULL);
    sql_bound **extra = mdl_calloc(ctx, nextra + 1, sizeof *extra);
    size_t *part = mdl_calloc(ctx, np + 1, sizeof *part);
    mdl_sql_sort_key *ord = mdl_calloc(ctx, no + 1, sizeof *ord);
    int rc = extra && part && ord ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    size_t k = 0;
    for (size_t i = 0; rc == MDL_OK && i < np; i++) {
        extra[k] = w->partition[i];
        part[i] = nc + k++;
    }
    for (size_t i = 0; rc == MDL_OK && i < no; i++) {
        extra[k] = w->order[i].expr;
        ord[i].column = nc + k++;
        ord[i].desc = w->order[i].desc;
        ord[i].nulls_first = w->order[i].nulls_first;
    }
    mdl_sql_window_fn fn;
    memset(&fn, 0, sizeof fn);
    fn.kind = win_op_kind(w);
    fn.name = name;
    fn.offset = (uint64_t)(w->offset > 0 ? w->offset : 1);
    fn.default_column = -1;
    if (w->arg != NULL) {
        extra[k] = w->arg;
        fn.column = nc + k++;
    }
    if (w->dflt != NULL) {
        extra[k] = w->dflt;
        fn.default_column = (long)(nc + k++);
    }
    fn.rows_frame = w->has_frame && w->frame_rows;
    if (fn.rows_frame) {
        fn.start = frame_bound(w->start, w->start_n);
        fn.end = frame_bound(w->end, w->end_n);
    }
    mdl_batch_stream *pre = NULL, *win = NULL;
    if (rc == MDL_OK) {
        rc = with_extra(ctx, child, cs, extra, nextra, &pre, err);
        child = NULL;
    }
    if (rc == MDL_OK) {
        mdl_sql_window_options wo;
        memset(&wo, 0, sizeof wo);
        wo.partition = part;
        wo.num_partition = np;
        wo.order = ord;
        wo.num_order = no;
        wo.fns = &fn;
        wo.num_fns = 1;
        wo.budget_bytes = o->budget_bytes;
        wo.temp_dir = o->temp_dir;
        rc = mdl_sql__window_new(ctx, pre, &wo, &win, err);
        pre = NULL;
    }
    if (rc == MDL_OK) {
        size_t *idx = mdl_calloc(ctx, nc + 2, sizeof *idx);
        mdl_type *types = mdl_calloc(ctx, nc + 2, sizeof *types);
        if (idx == NULL || types == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        for (size_t i = 0; rc == MDL_OK && i < nc; i++) {
            idx[i] = i;
            types[i] = cs->fields[i].type;
        }
        if (rc == MDL_OK) {
            idx[nc] = nc + nextra;
            types[nc] = rtype;
            rc = select_columns(ctx, win, types, idx, nc + 1, out, err);
        } else {
            mdl_batch_stream_release(win);
        }
        win = NULL;
        mdl_free(ctx, idx);
        mdl_free(ctx, types);
    }
    mdl_batch_stream_release(child);
    mdl_batch_stream_release(pre);
    mdl_batch_stream_release(win);
    mdl_free(ctx, extra);
    mdl_free(ctx, part);
    mdl_free(ctx, ord);
    return rc;
}

/* The input of a top-1 window, opened once per read: the child plan plus its key columns. */
typedef struct top1_input {
    mdl_ctx *ctx;
    const sql_plan *child;
    sql_exec_options *o;
    sql_bound **extra; /* partition then order expressions (borrowed from the plan) */
    size_t num_extra;
    int opens;
    bool *pass1; /* the first read needs only the key and order columns (a scan child) */
} top1_input;

static int top1_open(void *arg, mdl_batch_stream **out, mdl_error *err)
{
    top1_input *in = arg;
    mdl_batch_stream *s = NULL;
    int rc;
    if (in->opens++ == 0 && in->pass1 != NULL) /* the winners' other columns come on read 2 */
        rc = mdl_table_scan_columns(in->child->table, in->child->pushed, in->child->num_pushed,
                                    in->pass1, &s, NULL, err);
    else
        rc = exec_node(in->ctx, in->child, in->o, &s, err);
    if (rc != MDL_OK)
        return rc;
    return with_extra(in->ctx, s, in->child->schema, in->extra, in->num_extra, out, err);
}

/*
 * ROW_NUMBER() OVER (PARTITION BY k ORDER BY t) filtered to 1: the winner per key from two
 * reads of a table scan (mdl_sql__top1_rescan_new) or one read of any other child
 * (mdl_sql__top1_new), then its columns and a row number of 1.
 */
static int exec_top1(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o, mdl_batch_stream **out,
                     mdl_error *err)
{
    const sql_plan_win *w = &p->wins[0];
    const sql_plan *child = p->children[0];
    size_t nc = child->schema->num_fields, np = w->num_partition, no = w->num_order;
    top1_input *in = mdl_calloc(ctx, 1, sizeof *in);
    size_t *keys = mdl_calloc(ctx, np + 1, sizeof *keys);
    mdl_sql_sort_key *ord = mdl_calloc(ctx, no + 1, sizeof *ord);
    int rc = in && keys && ord ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    if (rc == MDL_OK && (in->extra = mdl_calloc(ctx, np + no + 1, sizeof *in->extra)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < np; i++) {
        in->extra[i] = w->partition[i];
        keys[i] = nc + i;
    }
    for (size_t i = 0; rc == MDL_OK && i < no; i++) {
        in->extra[np + i] = w->order[i].expr;
        ord[i] = (mdl_sql_sort_key){nc + np + i, w->order[i].desc, w->order[i].nulls_first};
    }
    mdl_batch_stream *top = NULL;
    if (rc == MDL_OK) {
        in->ctx = ctx;
        in->child = child;
        in->o = o;
        in->num_extra = np + no;
        if (child->kind == SQL_P_SCAN) {
            in->pass1 = mdl_calloc(ctx, nc + 1, sizeof *in->pass1);
            if (in->pass1 == NULL)
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
            for (size_t i = 0; rc == MDL_OK && i < np + no; i++)
                mdl_sql__mark_columns(in->extra[i], in->pass1, nc);
        }
        mdl_sql_top1_options to;
        memset(&to, 0, sizeof to);
        to.keys = keys;
        to.num_keys = np;
        to.order = ord;
        to.num_order = no;
        to.budget_bytes = o->budget_bytes;
        /* Two reads pay off when the first one is narrow (a table scan of the key and order
         * columns) and the winners are few next to the rows; over any other child the second
         * read would compute the child again (a join, an expression per row), so one read
         * keeps whole rows instead. */
        if (rc == MDL_OK && in->pass1 != NULL) {
            rc = mdl_sql__top1_rescan_new(ctx, top1_open, in, &to, &top, err);
        } else if (rc == MDL_OK) {
            mdl_batch_stream *once = NULL;
            rc = top1_open(in, &once, err);
            if (rc == MDL_OK)
                rc = mdl_sql__top1_new(ctx, once, &to, &top, err);
        }
    }
    /* child columns, then row number 1 */
    sql_bound **exprs = NULL;
    if (rc == MDL_OK) {
        mdl_column *one = mdl_calloc(ctx, 1, sizeof *one);
        sql_bound *lit = NULL;
        int64_t v = 1;
        rc = one ? mdl_column_init(ctx, one, mdl_type_make(MDL_TYPE_INT64), 1, err)
                 : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        if (rc == MDL_OK)
            rc = mdl_column_append_value(ctx, one, &v, err);
        if (rc == MDL_OK) {
            rc = mdl_sql__bound_literal(ctx, one, &lit, err);
            one = NULL;
        }
        if (one != NULL) {
            mdl_column_reset(ctx, one);
            mdl_free(ctx, one);
        }
        if (rc == MDL_OK)
            rc = columns_plus(ctx, child->schema, nc, &lit, 1, &exprs, err);
        else
            mdl_sql__bound_free(ctx, lit);
    }
    mdl_batch_stream *proj = NULL;
    if (rc == MDL_OK) {
        rc = project_stream(ctx, top, exprs, nc + 1, true, &proj, err);
        top = NULL;
    }
    if (rc == MDL_OK)
        rc = rename_stream(ctx, proj, p->schema, out, err);
    mdl_batch_stream_release(top);
    mdl_free(ctx, keys);
    mdl_free(ctx, ord);
    if (rc == MDL_OK && in != NULL) {
        /* the open function's state lives as long as the query */
        rc = mdl_sql__exec_keep(o, NULL, in->extra, err);
        if (rc == MDL_OK && in->pass1 != NULL)
            rc = mdl_sql__exec_keep(o, NULL, in->pass1, err);
        if (rc == MDL_OK)
            rc = mdl_sql__exec_keep(o, NULL, in, err);
        else
            mdl_free(ctx, in);
    } else if (in != NULL) {
        mdl_free(ctx, in->extra);
        mdl_free(ctx, in->pass1);
        mdl_free(ctx, in);
    }
    return rc;
}

static int exec_window(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o,
                       mdl_batch_stream *child, mdl_batch_stream **out, mdl_error *err)
{
    const mdl_schema *cs = p->children[0]->schema;
    mdl_schema *cur = mdl_schema_retain((mdl_schema *)(uintptr_t)cs);
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < p->num_wins; i++) {
        size_t nc = cur->num_fields;
        mdl_batch_stream *next = NULL;
        rc = exec_one_window(ctx, o, child, cur, &p->wins[i], p->schema->fields[nc].name,
                             p->wins[i].type, &next, err);
        child = next;
        /* the schema so far: the plan's first nc + 1 columns */
        mdl_field_def *defs = mdl_calloc(ctx, nc + 2, sizeof *defs);
        if (rc == MDL_OK && defs == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        for (size_t c = 0; rc == MDL_OK && c <= nc; c++)
            defs[c] = (mdl_field_def){p->schema->fields[c].name, p->schema->fields[c].type, true};
        mdl_schema *ns = NULL;
        if (rc == MDL_OK)
            rc = mdl_schema_new(ctx, defs, nc + 1, &ns, err);
        mdl_free(ctx, defs);
        mdl_schema_release(cur);
        cur = ns;
    }
    mdl_schema_release(cur);
    if (rc != MDL_OK) {
        mdl_batch_stream_release(child);
        return rc;
    }
    return rename_stream(ctx, child, p->schema, out, err);
}

static int exec_node(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o, mdl_batch_stream **out,
                     mdl_error *err)
{
    *out = NULL;
    mdl_batch_stream *kids[2] = {NULL, NULL};
    int rc = MDL_OK;
    /* LIMIT over SORT: a top-N sort */
    if (p->kind == SQL_P_LIMIT && p->children[0]->kind == SQL_P_SORT && p->limit >= 0) {
        const sql_plan *s = p->children[0];
        mdl_batch_stream *in = NULL, *sorted = NULL;
        rc = exec_node(ctx, s->children[0], o, &in, err);
        mdl_sql_sort_key *keys =
            rc == MDL_OK ? mdl_calloc(ctx, s->num_sort + 1, sizeof *keys) : NULL;
        if (rc == MDL_OK && keys == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        for (size_t i = 0; rc == MDL_OK && i < s->num_sort; i++)
            keys[i] = (mdl_sql_sort_key){s->sort[i].expr->column, s->sort[i].desc,
                                         s->sort[i].nulls_first};
        if (rc == MDL_OK) {
            mdl_sql_sort_options so;
            memset(&so, 0, sizeof so);
            so.keys = keys;
            so.num_keys = s->num_sort;
            so.has_limit = true;
            so.limit = (size_t)(p->limit + p->offset);
            so.budget_bytes = o->budget_bytes;
            so.temp_dir = o->temp_dir;
            rc = mdl_sql__sort_new(ctx, in, &so, &sorted, err);
            in = NULL;
        }
        mdl_free(ctx, keys);
        mdl_batch_stream_release(in);
        if (rc == MDL_OK)
            rc = mdl_sql__op_limit(ctx, sorted, (uint64_t)p->limit, (uint64_t)p->offset, out, err);
        return rc;
    }
    for (size_t i = 0; rc == MDL_OK && i < p->num_children && i < 2 && p->kind != SQL_P_UNION_ALL;
         i++)
        rc = exec_node(ctx, p->children[i], o, &kids[i], err);
    if (rc != MDL_OK) {
        mdl_batch_stream_release(kids[0]);
        mdl_batch_stream_release(kids[1]);
        return rc;
    }
    switch (p->kind) {
    case SQL_P_SCAN: {
        size_t skipped = 0;
        rc = mdl_table_scan_columns(p->table, p->pushed, p->num_pushed, p->scan_columns, out,
                                    &skipped, err);
        break;
    }
    case SQL_P_ONE_ROW: {
        one_row_state *s = mdl_calloc(ctx, 1, sizeof *s);
        if (s == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        s->ctx = ctx;
        s->schema = mdl_schema_retain(p->schema);
        rc = mdl_batch_stream_wrap(ctx, s->schema, &ONE_ROW, s, out, err);
        break;
    }
    case SQL_P_FILTER: {
        filter_state *s = mdl_calloc(ctx, 1, sizeof *s);
        if (s == NULL) {
            mdl_batch_stream_release(kids[0]);
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        }
        s->ctx = ctx;
        s->child = kids[0];
        s->pred = p->pred;
        rc = mdl_batch_stream_wrap(ctx, p->schema, &FILTER, s, out, err);
        break;
    }
    case SQL_P_PROJECT: {
        mdl_batch_stream *proj;
        rc = project_stream(ctx, kids[0], p->exprs, p->num_exprs, false, &proj, err);
        if (rc == MDL_OK)
            rc = rename_stream(ctx, proj, p->schema, out, err);
        break;
    }
    case SQL_P_AGGREGATE:
        rc = exec_aggregate(ctx, p, o, kids[0], out, err);
        break;
    case SQL_P_JOIN: {
        residual_state *rs = NULL;
        rc = exec_join(ctx, p, o, kids[0], kids[1], &rs, out, err);
        if (rs != NULL && rc == MDL_OK) {
            /* the residual's state lives as long as the query: keep it with the options */
            rc = mdl_sql__exec_keep(o, rs->view, rs, err);
        } else if (rs != NULL) {
            mdl_schema_release(rs->view);
            mdl_free(ctx, rs);
        }
        break;
    }
    case SQL_P_SORT: {
        mdl_sql_sort_key *keys = mdl_calloc(ctx, p->num_sort + 1, sizeof *keys);
        if (keys == NULL) {
            mdl_batch_stream_release(kids[0]);
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        }
        for (size_t i = 0; i < p->num_sort; i++)
            keys[i] = (mdl_sql_sort_key){p->sort[i].expr->column, p->sort[i].desc,
                                         p->sort[i].nulls_first};
        mdl_sql_sort_options so;
        memset(&so, 0, sizeof so);
        so.keys = keys;
        so.num_keys = p->num_sort;
        so.budget_bytes = o->budget_bytes;
        so.temp_dir = o->temp_dir;
        rc = mdl_sql__sort_new(ctx, kids[0], &so, out, err);
        mdl_free(ctx, keys);
        break;
    }
    case SQL_P_LIMIT:
        rc = mdl_sql__op_limit(ctx, kids[0], p->limit < 0 ? SQL_NO_LIMIT : (uint64_t)p->limit,
                               (uint64_t)p->offset, out, err);
        break;
    case SQL_P_DISTINCT:
        rc = mdl_sql__op_distinct(ctx, kids[0], o->budget_bytes, out, err);
        break;
    case SQL_P_UNION_ALL: {
        mdl_batch_stream **cs = mdl_calloc(ctx, p->num_children + 1, sizeof *cs);
        if (cs == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        for (size_t i = 0; rc == MDL_OK && i < p->num_children; i++) {
            mdl_batch_stream *c = NULL;
            rc = exec_node(ctx, p->children[i], o, &c, err);
            if (rc == MDL_OK)
                rc = rename_stream(ctx, c, p->schema, &cs[i], err);
        }
        if (rc == MDL_OK)
            rc = mdl_sql__op_union_all(ctx, cs, p->num_children, out, err);
        else
            for (size_t i = 0; i < p->num_children; i++)
                mdl_batch_stream_release(cs[i]);
        mdl_free(ctx, cs);
        break;
    }
    case SQL_P_WINDOW:
        if (p->top1) {
            mdl_batch_stream_release(kids[0]); /* top-1 opens its input itself, twice */
            rc = exec_top1(ctx, p, o, out, err);
        } else {
            rc = exec_window(ctx, p, o, kids[0], out, err);
        }
        break;
    }
    return rc;
}

int mdl_sql__exec(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o, mdl_batch_stream **out,
                  mdl_error *err)
{
    o->ctx = ctx;
    return exec_node(ctx, p, o, out, err);
}

int mdl_sql__exec_keep(sql_exec_options *o, mdl_schema *schema, void *mem, mdl_error *err)
{
    void **k = mdl_realloc(o->ctx, o->keep, (o->num_keep + 1) * sizeof *k);
    mdl_schema **ks =
        k ? mdl_realloc(o->ctx, o->keep_schemas, (o->num_keep + 1) * sizeof *ks) : NULL;
    if (k != NULL)
        o->keep = k;
    if (ks != NULL)
        o->keep_schemas = ks;
    if (k == NULL || ks == NULL) {
        mdl_schema_release(schema);
        mdl_free(o->ctx, mem);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    }
    o->keep[o->num_keep] = mem;
    o->keep_schemas[o->num_keep] = schema;
    o->num_keep++;
    return MDL_OK;
}

void mdl_sql__exec_options_reset(sql_exec_options *o)
{
    for (size_t i = 0; i < o->num_keep; i++) {
        mdl_schema_release(o->keep_schemas[i]);
        mdl_free(o->ctx, o->keep[i]);
    }
    mdl_free(o->ctx, o->keep);
    mdl_free(o->ctx, o->keep_schemas);
    o->keep = NULL;
    o->keep_schemas = NULL;
    o->num_keep = 0;
}

/* ---- scalar subqueries --------------------------------------------------------------------- */

int mdl_sql__run_subqueries(mdl_ctx *ctx, const char *source, sql_plan *root, size_t budget,
                            mdl_error *err)
{
    for (size_t i = 0; i < root->num_subplans; i++) {
        sql_exec_options o;
        memset(&o, 0, sizeof o);
        o.budget_bytes = budget;
        mdl_batch_stream *s = NULL;
        int rc = mdl_sql__exec(ctx, root->subplans[i], &o, &s, err);
        mdl_column *lit = root->sub_literals[i]->literal;
        uint64_t rows = 0;
        bool set = false;
        mdl_batch *b = NULL;
        while (rc == MDL_OK && (rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
            if (b->num_rows > 0 && !set) {
                mdl_column_truncate(lit, 0);
                if (root->sub_exists[i]) {
                    uint8_t t = 1;
                    rc = mdl_column_append_value(ctx, lit, &t, err);
                } else {
                    rc = mdl_sql__column_append_from(ctx, lit, &b->columns[0], 0, err);
                }
                set = true;
            }
            rows += b->num_rows;
            mdl_batch_free(b);
            if (root->sub_exists[i] && set)
                break; /* one row answers EXISTS */
        }
        if (rc == MDL_OK && !set && root->sub_exists[i]) {
            uint8_t f = 0;
            mdl_column_truncate(lit, 0);
            rc = mdl_column_append_value(ctx, lit, &f, err);
        }
        if (rc == MDL_OK && !root->sub_exists[i] && rows > 1)
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "%s:%u:%u: the scalar subquery returned %llu rows; it must return "
                               "at most one (add an aggregate or a LIMIT 1)",
                               source, root->sub_pos[i].line, root->sub_pos[i].column,
                               (unsigned long long)rows);
        mdl_batch_stream_release(s);
        mdl_sql__exec_options_reset(&o);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}
