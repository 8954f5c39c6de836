/*
 * sql_optimize.c - rewrites of a bound plan before it runs (sql_plan.h):
 *
 *   - predicate pushdown for file skipping: conjuncts of a WHERE directly over a table scan
 *     that compare a column with a constant (=, <, <=, >, >=, IN, IS NULL) are handed to the
 *     scan as mdl_predicates, so Delta stats and partition values skip whole files; the
 *     filter still runs on the rows that are read.
 *   - projection pushdown: each scan reads only the columns something above it uses (the
 *     others come back NULL, so no column position changes).
 *   - latest row per key: FILTER(rn = 1) over PROJECT(..., rn, ...) over a WINDOW holding
 *     only ROW_NUMBER() OVER (PARTITION BY k ORDER BY t) marks the window `top1`, which runs
 *     a hash table of the best row per key instead of sorting everything.
 */
#include <stdio.h>
#include <string.h>

#include "sql/sql_plan.h"

/* The integer value of a constant (a literal, maybe cast), if it is one. */
static bool const_int64(const sql_bound *e, int64_t *v)
{
    while (e->kind == SQL_B_CAST && e->num_args == 1)
        e = e->args[0];
    if (e->kind != SQL_B_LITERAL || e->literal == NULL || mdl_column_is_null(e->literal, 0))
        return false;
    if (e->literal->type.id == MDL_TYPE_INT32)
        *v = mdl_column_i32(e->literal, 0);
    else if (e->literal->type.id == MDL_TYPE_INT64)
        *v = mdl_column_i64(e->literal, 0);
    else
        return false;
    return true;
}

static bool is_call(const sql_bound *e, const char *name)
{
    return e->kind == SQL_B_CALL && e->fn != NULL && strcmp(e->fn->name, name) == 0;
}

/* `col = 1` / `1 = col` / `col <= 1`: the column index, else -1. */
static long row_number_one(const sql_bound *pred)
{
    int64_t v;
    if ((is_call(pred, "=") || is_call(pred, "<=")) && pred->num_args == 2) {
        const sql_bound *a = pred->args[0], *b = pred->args[1];
        if (a->kind == SQL_B_COLUMN && const_int64(b, &v) && v == 1)
            return (long)a->column;
        if (is_call(pred, "=") && b->kind == SQL_B_COLUMN && const_int64(a, &v) && v == 1)
            return (long)b->column;
    }
    return -1;
}

static void mark_top1(sql_plan *f)
{
    if (f->kind != SQL_P_FILTER || f->pred == NULL)
        return;
    long c = row_number_one(f->pred);
    if (c < 0)
        return;
    sql_plan *proj = f->children[0];
    if (proj->kind != SQL_P_PROJECT || (size_t)c >= proj->num_exprs)
        return;
    const sql_bound *e = proj->exprs[c];
    sql_plan *w = proj->children[0];
    if (e->kind != SQL_B_COLUMN || w->kind != SQL_P_WINDOW || w->num_wins != 1 ||
        w->wins[0].kind != SQL_WIN_ROW_NUMBER || w->wins[0].num_partition == 0)
        return;
    if (e->column != w->schema->num_fields - 1)
        return;
    /* the other projected columns must not use the row number */
    for (size_t i = 0; i < proj->num_exprs; i++)
        if ((long)i != c && proj->exprs[i]->kind == SQL_B_COLUMN &&
            proj->exprs[i]->column == e->column)
            return;
    w->top1 = true;
}

/* ---- copying expressions --------------------------------------------------------------- */

/* A literal's one value into an empty column of its type. */
static int copy_value(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src, mdl_error *err)
{
    if (mdl_column_is_null(src, 0))
        return mdl_column_append_null(ctx, dst, err);
    if (src->type.id == MDL_TYPE_STRING) {
        mdl_strview v = mdl_column_str(src, 0);
        return mdl_column_append_string(ctx, dst, v.ptr, v.len, err);
    }
    return mdl_column_append_value(ctx, dst, src->values, err);
}

int mdl_sql__bound_copy(mdl_ctx *ctx, const sql_bound *e, sql_bound **out, mdl_error *err)
{
    sql_bound *c = mdl_calloc(ctx, 1, sizeof *c);
    if (c == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    *c = *e;
    c->literal = NULL;
    c->args = NULL;
    c->num_args = 0;
    int rc = MDL_OK;
    if (e->literal != NULL) {
        c->literal = mdl_calloc(ctx, 1, sizeof *c->literal);
        rc = c->literal ? mdl_column_init(ctx, c->literal, e->literal->type, 1, err)
                        : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        if (rc == MDL_OK)
            rc = copy_value(ctx, c->literal, e->literal, err);
    }
    if (rc == MDL_OK && e->num_args > 0) {
        c->args = mdl_calloc(ctx, e->num_args, sizeof *c->args);
        if (c->args == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        for (size_t i = 0; rc == MDL_OK && i < e->num_args; i++) {
            rc = mdl_sql__bound_copy(ctx, e->args[i], &c->args[i], err);
            c->num_args = i + 1;
        }
    }
    if (rc != MDL_OK) {
        mdl_sql__bound_free(ctx, c);
        return rc;
    }
    *out = c;
    return MDL_OK;
}

/* ---- pushing filters below joins ------------------------------------------------------------- */

/* Which inputs of a join an expression reads: bit 1 the left (columns < nl), bit 2 the right. */
static int sides(const sql_bound *e, size_t nl)
{
    if (e->kind == SQL_B_COLUMN)
        return e->column < nl ? 1 : 2;
    int s = 0;
    for (size_t i = 0; i < e->num_args; i++)
        s |= sides(e->args[i], nl);
    return s;
}

static void shift(sql_bound *e, size_t by)
{
    if (e->kind == SQL_B_COLUMN)
        e->column -= by;
    for (size_t i = 0; i < e->num_args; i++)
        shift(e->args[i], by);
}

/* ANDs a copy of `c` (shifted left by `by` columns) into *acc. */
static int and_copy(mdl_ctx *ctx, const sql_bound *c, size_t by, sql_bound **acc, mdl_error *err)
{
    sql_bound *cp;
    int rc = mdl_sql__bound_copy(ctx, c, &cp, err);
    if (rc != MDL_OK)
        return rc;
    shift(cp, by);
    if (*acc == NULL) {
        *acc = cp;
        return MDL_OK;
    }
    sql_bound *args[2] = {*acc, cp};
    return mdl_sql__bound_call(ctx, "and", args, 2, acc, err);
}

/* Collects the conjuncts of f's predicate that read one side only into left/right filters. */
static int split(mdl_ctx *ctx, const sql_bound *e, size_t nl, bool to_left, bool to_right,
                 sql_bound **left, sql_bound **right, mdl_error *err)
{
    if (is_call(e, "and") && e->num_args == 2) {
        int rc = split(ctx, e->args[0], nl, to_left, to_right, left, right, err);
        return rc == MDL_OK ? split(ctx, e->args[1], nl, to_left, to_right, left, right, err) : rc;
    }
    int s = sides(e, nl);
    if (s == 1 && to_left)
        return and_copy(ctx, e, 0, left, err);
    if (s == 2 && to_right)
        return and_copy(ctx, e, nl, right, err);
    return MDL_OK;
}

/* A FILTER node with `pred` over child. */
static int filter_over(mdl_ctx *ctx, sql_plan *child, sql_bound *pred, sql_plan **out,
                       mdl_error *err)
{
    sql_plan *f = mdl_calloc(ctx, 1, sizeof *f);
    sql_plan **kids = mdl_calloc(ctx, 1, sizeof *kids);
    if (f == NULL || kids == NULL) {
        mdl_free(ctx, f);
        mdl_free(ctx, kids);
        mdl_sql__bound_free(ctx, pred);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    }
    f->kind = SQL_P_FILTER;
    f->limit = -1;
    f->schema = mdl_schema_retain(child->schema);
    f->pred = pred;
    kids[0] = child;
    f->children = kids;
    f->num_children = 1;
    *out = f;
    return MDL_OK;
}

/* WHERE over a join: the conjuncts on one input also filter that input before the join (the
 * WHERE stays; it is cheap on what is left). Not into the null-extended side of an outer
 * join, where it would change which rows get NULLs. */
static int push_below_join(mdl_ctx *ctx, sql_plan *f, mdl_error *err)
{
    sql_plan *j = f->children[0];
    size_t nl = j->children[0]->schema->num_fields;
    bool to_left =
        j->join == SQL_JOIN_INNER || j->join == SQL_JOIN_CROSS || j->join == SQL_JOIN_LEFT;
    bool to_right =
        j->join == SQL_JOIN_INNER || j->join == SQL_JOIN_CROSS || j->join == SQL_JOIN_RIGHT;
    sql_bound *left = NULL, *right = NULL;
    int rc = split(ctx, f->pred, nl, to_left, to_right, &left, &right, err);
    if (rc == MDL_OK && left != NULL) {
        rc = filter_over(ctx, j->children[0], left, &j->children[0], err);
        left = NULL;
    }
    if (rc == MDL_OK && right != NULL) {
        rc = filter_over(ctx, j->children[1], right, &j->children[1], err);
        right = NULL;
    }
    mdl_sql__bound_free(ctx, left);
    mdl_sql__bound_free(ctx, right);
    return rc;
}

static const char *op_name(const sql_bound *e, mdl_pred_op *op, bool *flip)
{
    static const struct {
        const char *fn;
        mdl_pred_op op, flipped;
    } ops[] = {{"=", MDL_PRED_EQ, MDL_PRED_EQ},
               {"<", MDL_PRED_LT, MDL_PRED_GT},
               {"<=", MDL_PRED_LE, MDL_PRED_GE},
               {">", MDL_PRED_GT, MDL_PRED_LT},
               {">=", MDL_PRED_GE, MDL_PRED_LE}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (is_call(e, ops[i].fn)) {
            *op = *flip ? ops[i].flipped : ops[i].op;
            return ops[i].fn;
        }
    return NULL;
}

/* The text of a constant of the column's own type (no cast in between), for mdl_predicate. */
static int const_text(mdl_ctx *ctx, const sql_bound *e, mdl_type col_type, char **out,
                      mdl_error *err)
{
    *out = NULL;
    if (e->kind != SQL_B_LITERAL || e->literal == NULL || mdl_column_is_null(e->literal, 0) ||
        !mdl_type_equal(e->literal->type, col_type) || col_type.id == MDL_TYPE_DOUBLE ||
        col_type.id == MDL_TYPE_BOOLEAN)
        return MDL_OK;
    char buf[512];
    size_t n = mdl_column_format_value(e->literal, 0, buf, sizeof buf);
    if (n + 1 >= sizeof buf)
        return MDL_OK; /* too long to be worth it */
    *out = mdl_strdup(ctx, buf);
    return *out ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
}

static int add_pushed(mdl_ctx *ctx, sql_plan *scan, const char *column, mdl_pred_op op,
                      char **values, size_t n, mdl_error *err)
{
    mdl_predicate *np = mdl_realloc(ctx, scan->pushed, (scan->num_pushed + 1) * sizeof *np);
    char *col = mdl_strdup(ctx, column);
    const char **vals = mdl_calloc(ctx, n ? n : 1, sizeof *vals);
    if (np == NULL || col == NULL || vals == NULL) {
        if (np != NULL)
            scan->pushed = np;
        mdl_free(ctx, col);
        mdl_free(ctx, vals);
        for (size_t i = 0; i < n; i++)
            mdl_free(ctx, values[i]);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    }
    scan->pushed = np;
    for (size_t i = 0; i < n; i++)
        vals[i] = values[i];
    np[scan->num_pushed++] = (mdl_predicate){col, op, vals, n};
    return MDL_OK;
}

/* Pushes the simple conjuncts of `pred` (bound over the scan's columns) into the scan. */
static int push(mdl_ctx *ctx, sql_plan *scan, const sql_bound *pred, mdl_error *err)
{
    if (is_call(pred, "and") && pred->num_args == 2) {
        int rc = push(ctx, scan, pred->args[0], err);
        return rc == MDL_OK ? push(ctx, scan, pred->args[1], err) : rc;
    }
    const mdl_schema *s = scan->schema;
    if (is_call(pred, "is_null") && pred->num_args == 1 && pred->args[0]->kind == SQL_B_COLUMN)
        return add_pushed(ctx, scan, s->fields[pred->args[0]->column].name, MDL_PRED_IS_NULL, NULL,
                          0, err);
    if (is_call(pred, "in") && pred->num_args >= 2 && pred->args[0]->kind == SQL_B_COLUMN) {
        size_t c = pred->args[0]->column, n = pred->num_args - 1;
        char **vals = mdl_calloc(ctx, n, sizeof *vals);
        if (vals == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        int rc = MDL_OK;
        size_t got = 0;
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            rc = const_text(ctx, pred->args[1 + i], s->fields[c].type, &vals[i], err);
            got += vals[i] != NULL;
        }
        if (rc == MDL_OK && got == n)
            rc = add_pushed(ctx, scan, s->fields[c].name, MDL_PRED_IN, vals, n, err);
        else
            for (size_t i = 0; i < n; i++)
                mdl_free(ctx, vals[i]);
        mdl_free(ctx, vals);
        return rc;
    }
    if (pred->num_args != 2)
        return MDL_OK;
    bool flip = false;
    const sql_bound *col = pred->args[0], *val = pred->args[1];
    if (col->kind != SQL_B_COLUMN) {
        col = pred->args[1];
        val = pred->args[0];
        flip = true;
    }
    mdl_pred_op op;
    if (col->kind != SQL_B_COLUMN || op_name(pred, &op, &flip) == NULL)
        return MDL_OK;
    char *text;
    int rc = const_text(ctx, val, s->fields[col->column].type, &text, err);
    if (rc != MDL_OK || text == NULL)
        return rc;
    return add_pushed(ctx, scan, s->fields[col->column].name, op, &text, 1, err);
}

/* ---- projection pushdown ------------------------------------------------------------------ */

void mdl_sql__mark_columns(const sql_bound *e, bool *need, size_t n)
{
    if (e == NULL)
        return;
    if (e->kind == SQL_B_COLUMN && e->column < n)
        need[e->column] = true;
    for (size_t i = 0; i < e->num_args; i++)
        mdl_sql__mark_columns(e->args[i], need, n);
}

static void uses(const sql_bound *e, bool *need, size_t n, size_t shift)
{
    if (e == NULL)
        return;
    if (e->kind == SQL_B_COLUMN && e->column >= shift && e->column - shift < n)
        need[e->column - shift] = true;
    for (size_t i = 0; i < e->num_args; i++)
        uses(e->args[i], need, n, shift);
}

/* Marks what each scan must read, given which of p's output columns are needed. */
static int need_columns(mdl_ctx *ctx, sql_plan *p, const bool *need, mdl_error *err)
{
    size_t nk = p->num_children > 0 ? p->children[0]->schema->num_fields : 0;
    bool *cn = NULL;
    if (p->kind == SQL_P_SCAN) {
        size_t n = p->schema->num_fields;
        p->scan_columns = mdl_calloc(ctx, n + 1, sizeof *p->scan_columns);
        if (p->scan_columns == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a query");
        memcpy(p->scan_columns, need, n * sizeof *need);
        return MDL_OK;
    }
    if (p->num_children == 0)
        return MDL_OK;
    if (p->kind == SQL_P_JOIN) {
        size_t nl = nk, nr = p->children[1]->schema->num_fields;
        bool *ln = mdl_calloc(ctx, nl + 1, sizeof *ln), *rn = mdl_calloc(ctx, nr + 1, sizeof *rn);
        int rc = ln && rn ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
        bool outer_right = !(p->semi || p->anti);
        for (size_t i = 0; rc == MDL_OK && i < nl; i++)
            ln[i] = need[i];
        for (size_t i = 0; rc == MDL_OK && outer_right && i < nr; i++)
            rn[i] = need[nl + i];
        for (size_t i = 0; rc == MDL_OK && i < p->num_join_keys; i++) {
            uses(p->left_keys[i], ln, nl, 0);
            uses(p->right_keys[i], rn, nr, 0);
        }
        if (rc == MDL_OK) {
            uses(p->residual, ln, nl, 0);
            uses(p->residual, rn, nr, nl);
            rc = need_columns(ctx, p->children[0], ln, err);
        }
        if (rc == MDL_OK)
            rc = need_columns(ctx, p->children[1], rn, err);
        mdl_free(ctx, ln);
        mdl_free(ctx, rn);
        return rc;
    }
    cn = mdl_calloc(ctx, nk + 1, sizeof *cn);
    if (cn == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    size_t no = p->schema->num_fields;
    switch (p->kind) {
    case SQL_P_FILTER:
    case SQL_P_SORT:
    case SQL_P_LIMIT:
        for (size_t i = 0; i < nk && i < no; i++)
            cn[i] = need[i];
        uses(p->pred, cn, nk, 0);
        for (size_t i = 0; i < p->num_sort; i++)
            uses(p->sort[i].expr, cn, nk, 0);
        break;
    case SQL_P_PROJECT:
        for (size_t i = 0; i < p->num_exprs; i++)
            uses(p->exprs[i], cn, nk, 0); /* every expression is evaluated */
        break;
    case SQL_P_AGGREGATE:
        for (size_t i = 0; i < p->num_keys; i++)
            uses(p->keys[i], cn, nk, 0);
        for (size_t i = 0; i < p->num_aggs; i++)
            uses(p->aggs[i].arg, cn, nk, 0);
        break;
    case SQL_P_WINDOW:
        for (size_t i = 0; i < nk; i++)
            cn[i] = need[i];
        for (size_t i = 0; i < p->num_wins; i++) {
            const sql_plan_win *w = &p->wins[i];
            uses(w->arg, cn, nk, 0);
            uses(w->dflt, cn, nk, 0);
            for (size_t k = 0; k < w->num_partition; k++)
                uses(w->partition[k], cn, nk, 0);
            for (size_t k = 0; k < w->num_order; k++)
                uses(w->order[k].expr, cn, nk, 0);
        }
        break;
    case SQL_P_UNION_ALL:
        for (size_t i = 0; i < nk && i < no; i++)
            cn[i] = need[i];
        break;
    default: /* DISTINCT compares whole rows */
        for (size_t i = 0; i < nk; i++)
            cn[i] = true;
    }
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < p->num_children; i++)
        rc = need_columns(ctx, p->children[i], cn, err);
    mdl_free(ctx, cn);
    return rc;
}

static int optimize_node(mdl_ctx *ctx, sql_plan *p, mdl_error *err);

int mdl_sql__optimize(mdl_ctx *ctx, sql_plan *p, mdl_error *err)
{
    int rc = optimize_node(ctx, p, err);
    size_t n = p->schema->num_fields;
    bool *all = rc == MDL_OK ? mdl_calloc(ctx, n + 1, sizeof *all) : NULL;
    if (rc == MDL_OK && all == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++)
        all[i] = true;
    if (rc == MDL_OK)
        rc = need_columns(ctx, p, all, err);
    mdl_free(ctx, all);
    return rc;
}

static int optimize_node(mdl_ctx *ctx, sql_plan *p, mdl_error *err)
{
    if (p->kind == SQL_P_FILTER && p->children[0]->kind == SQL_P_JOIN) {
        int rc = push_below_join(ctx, p, err);
        if (rc != MDL_OK)
            return rc;
    }
    for (size_t i = 0; i < p->num_children; i++) {
        int rc = optimize_node(ctx, p->children[i], err);
        if (rc != MDL_OK)
            return rc;
    }
    if (p->kind == SQL_P_FILTER && p->children[0]->kind == SQL_P_SCAN)
        return push(ctx, p->children[0], p->pred, err);
    if (p->kind == SQL_P_FILTER)
        mark_top1(p);
    return MDL_OK;
}

uint64_t mdl_sql__rows_hint(const sql_plan *p)
{
    switch (p->kind) {
    case SQL_P_SCAN: {
        int64_t n = mdl_table_num_records(p->table);
        return n < 0 ? 0 : n == 0 ? 1 : (uint64_t)n;
    }
    case SQL_P_FILTER:
    case SQL_P_PROJECT:
    case SQL_P_SORT:
    case SQL_P_WINDOW:
    case SQL_P_DISTINCT:
    case SQL_P_AGGREGATE:
        return mdl_sql__rows_hint(p->children[0]);
    case SQL_P_LIMIT: {
        uint64_t c = mdl_sql__rows_hint(p->children[0]);
        return p->limit >= 0 && (uint64_t)p->limit < c ? (uint64_t)p->limit : c;
    }
    case SQL_P_ONE_ROW:
        return 1;
    default:
        return 0;
    }
}
