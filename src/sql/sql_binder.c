/*
 * sql_binder.c - from a syntax tree to a logical plan (sql_plan.h): names resolved against
 * the FROM clause (lake tables, CTEs, subqueries), expressions typed through the function
 * registry (sql_expr.h), aggregates and window functions pulled out into their own plan
 * nodes, ORDER BY over select aliases, ordinals or hidden columns.
 *
 * One SELECT becomes, bottom up:
 *   FROM (scans and joins) -> WHERE (filter) -> GROUP BY / aggregates -> HAVING (filter)
 *   -> window functions -> select list (+ hidden ORDER BY columns) -> DISTINCT -> ORDER BY
 *   -> LIMIT -> (drop hidden columns)
 * Expressions above the aggregation may only use GROUP BY expressions (matched by structure)
 * and aggregates; the binder replaces those by columns of the aggregate's output.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sql/sql_plan.h"

#define MAX_SCOPE 4096

typedef struct scope_col {
    const char *qual; /* table alias / name */
    const char *name;
    mdl_type type;
} scope_col;

typedef struct scope {
    scope_col *cols;
    size_t n;
} scope;

typedef struct cte_entry {
    const char *name;
    const sql_query *query;
} cte_entry;

typedef struct binder {
    mdl_ctx *ctx;
    const char *source;
    const sql_bind_options *o;
    mdl_error *err;
    cte_entry ctes[64];
    size_t num_ctes;
    int depth;
    /* scalar subqueries found so far (moved to the root plan at the end) */
    sql_plan **subplans;
    sql_bound **sub_literals;
    bool *sub_exists;
    sql_pos *sub_pos;
    size_t num_subplans;
} binder;

/* How expressions are bound: over a scope, or above an aggregation / window node. */
typedef struct env {
    const scope *sc;
    bool post_agg;
    sql_expr_ast *const *groups;
    size_t num_groups;
    const sql_expr_ast **aggs;
    size_t num_aggs;
    const mdl_schema *agg_schema; /* keys then aggregates */
    const sql_expr_ast **wins;
    size_t num_wins;
    size_t win_base;
    const mdl_schema *win_schema;
    bool allow_agg, allow_window; /* where the syntax allows them (for error messages) */
} env;

static int berr(binder *b, sql_pos pos, int code, const char *fmt, ...) MDL_PRINTF(4, 5);
static int berr(binder *b, sql_pos pos, int code, const char *fmt, ...)
{
    char msg[MDL_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mdl_error_set(b->err, code, "%s:%u:%u: %s", b->source, pos.line, pos.column, msg);
}

static char *bstrdup(binder *b, const char *s)
{
    return s ? mdl_strdup(b->ctx, s) : NULL;
}

/* ---- plan nodes ---------------------------------------------------------------------------- */

static sql_plan *plan_new(binder *b, sql_plan_kind kind)
{
    sql_plan *p = mdl_calloc(b->ctx, 1, sizeof *p);
    if (p != NULL) {
        p->kind = kind;
        p->limit = -1;
    }
    return p;
}

static int add_child(binder *b, sql_plan *p, sql_plan *child)
{
    sql_plan **c = mdl_realloc(b->ctx, p->children, (p->num_children + 1) * sizeof *c);
    if (c == NULL) {
        mdl_sql__plan_free(b->ctx, child);
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory planning a query");
    }
    p->children = c;
    p->children[p->num_children++] = child;
    return MDL_OK;
}

/* The pushed predicates hold const pointers to strings the plan owns. */
static void free_const(mdl_ctx *ctx, const void *p)
{
    void *q;
    memcpy(&q, &p, sizeof q);
    mdl_free(ctx, q);
}

void mdl_sql__plan_free(mdl_ctx *ctx, sql_plan *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->num_children; i++)
        mdl_sql__plan_free(ctx, p->children[i]);
    mdl_free(ctx, p->children);
    mdl_schema_release(p->schema);
    mdl_free(ctx, p->table_name);
    if (!p->table_borrowed)
        mdl_table_close(p->table);
    mdl_storage_release(p->storage);
    for (size_t i = 0; i < p->num_pushed; i++) {
        free_const(ctx, p->pushed[i].column);
        for (size_t k = 0; k < p->pushed[i].num_values; k++)
            free_const(ctx, p->pushed[i].values[k]);
        free_const(ctx, p->pushed[i].values);
    }
    mdl_free(ctx, p->pushed);
    mdl_free(ctx, p->scan_columns);
    mdl_sql__bound_free(ctx, p->pred);
    for (size_t i = 0; i < p->num_exprs; i++)
        mdl_sql__bound_free(ctx, p->exprs[i]);
    mdl_free(ctx, p->exprs);
    for (size_t i = 0; i < p->num_keys; i++)
        mdl_sql__bound_free(ctx, p->keys[i]);
    mdl_free(ctx, p->keys);
    for (size_t i = 0; i < p->num_aggs; i++)
        mdl_sql__bound_free(ctx, p->aggs[i].arg);
    mdl_free(ctx, p->aggs);
    for (size_t i = 0; i < p->num_join_keys; i++) {
        mdl_sql__bound_free(ctx, p->left_keys[i]);
        mdl_sql__bound_free(ctx, p->right_keys[i]);
    }
    mdl_free(ctx, p->left_keys);
    mdl_free(ctx, p->right_keys);
    mdl_sql__bound_free(ctx, p->residual);
    for (size_t i = 0; i < p->num_sort; i++)
        mdl_sql__bound_free(ctx, p->sort[i].expr);
    mdl_free(ctx, p->sort);
    for (size_t i = 0; i < p->num_wins; i++) {
        sql_plan_win *w = &p->wins[i];
        mdl_sql__bound_free(ctx, w->arg);
        mdl_sql__bound_free(ctx, w->dflt);
        for (size_t k = 0; k < w->num_partition; k++)
            mdl_sql__bound_free(ctx, w->partition[k]);
        mdl_free(ctx, w->partition);
        for (size_t k = 0; k < w->num_order; k++)
            mdl_sql__bound_free(ctx, w->order[k].expr);
        mdl_free(ctx, w->order);
    }
    mdl_free(ctx, p->wins);
    for (size_t i = 0; i < p->num_subplans; i++)
        mdl_sql__plan_free(ctx, p->subplans[i]);
    mdl_free(ctx, p->subplans);
    mdl_free(ctx, p->sub_literals);
    mdl_free(ctx, p->sub_exists);
    mdl_free(ctx, p->sub_pos);
    mdl_free(ctx, p);
}

/* The schema of a node from names and types. */
static int make_schema(binder *b, const char *const *names, const mdl_type *types, size_t n,
                       mdl_schema **out)
{
    mdl_field_def *defs = mdl_calloc(b->ctx, n ? n : 1, sizeof *defs);
    if (defs == NULL)
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory planning a query");
    /* Output names may repeat (SELECT a, a): the schema needs unique ones, so later repeats
     * get a suffix, as DuckDB shows them (a, a_1). */
    char **owned = mdl_calloc(b->ctx, n ? n : 1, sizeof *owned);
    int rc = owned ? MDL_OK : mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        const char *name = names[i] ? names[i] : "?column?";
        int dup = 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(defs[j].name, name) == 0)
                dup++;
        if (dup > 0) {
            char buf[300];
            for (int k = dup;; k++) {
                snprintf(buf, sizeof buf, "%s_%d", name, k);
                bool taken = false;
                for (size_t j = 0; j < i && !taken; j++)
                    taken = strcmp(defs[j].name, buf) == 0;
                if (!taken)
                    break;
            }
            owned[i] = mdl_strdup(b->ctx, buf);
            name = owned[i];
        }
        defs[i] = (mdl_field_def){name, types[i], true};
    }
    if (rc == MDL_OK)
        rc = mdl_schema_new(b->ctx, defs, n, out, b->err);
    for (size_t i = 0; owned && i < n; i++)
        mdl_free(b->ctx, owned[i]);
    mdl_free(b->ctx, owned);
    mdl_free(b->ctx, defs);
    return rc;
}

/* ---- matching expressions ------------------------------------------------------------------ */

static bool same_text(const char *a, size_t al, const char *b, size_t bl)
{
    return al == bl && (al == 0 || memcmp(a, b, al) == 0);
}

static bool same_ident(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    return strcasecmp(a, b) == 0;
}

/* Structural equality of two expressions (GROUP BY matching). */
static bool ast_equal(const sql_expr_ast *a, const sql_expr_ast *b)
{
    if (a == b)
        return true;
    if (a == NULL || b == NULL || a->kind != b->kind || a->negated != b->negated ||
        a->op != b->op || a->num_args != b->num_args || a->distinct != b->distinct ||
        a->star != b->star || a->try_cast != b->try_cast)
        return false;
    switch (a->kind) {
    case SQL_AST_LITERAL:
        if (a->lit != b->lit || a->bool_value != b->bool_value ||
            !same_text(a->text, a->text_len, b->text, b->text_len))
            return false;
        break;
    case SQL_AST_COLUMN:
        /* t.a and a match when the qualifier is left out on one side */
        if (!same_ident(a->text, b->text))
            return false;
        if (a->qualifier && b->qualifier && !same_ident(a->qualifier, b->qualifier))
            return false;
        return true;
    case SQL_AST_FUNCTION:
        if (!same_ident(a->text, b->text) || a->window != NULL || b->window != NULL)
            return false;
        break;
    case SQL_AST_CAST:
        if (!mdl_type_equal(a->cast_type, b->cast_type))
            return false;
        break;
    case SQL_AST_IN_QUERY:
    case SQL_AST_EXISTS:
    case SQL_AST_SUBQUERY:
        return false;
    default:
        break;
    }
    for (size_t i = 0; i < a->num_args; i++)
        if (!ast_equal(a->args[i], b->args[i]))
            return false;
    return true;
}

/* ---- collecting aggregates and window functions -------------------------------------------- */

typedef struct ast_list {
    const sql_expr_ast **items;
    size_t n, cap;
} ast_list;

static int list_push(binder *b, ast_list *l, const sql_expr_ast *e)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        const sql_expr_ast **n = mdl_realloc(b->ctx, (void *)l->items, cap * sizeof *n);
        if (n == NULL)
            return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
        l->items = n;
        l->cap = cap;
    }
    l->items[l->n++] = e;
    return MDL_OK;
}

static bool is_agg_call(const sql_expr_ast *e)
{
    return e->kind == SQL_AST_FUNCTION && e->window == NULL &&
           mdl_sql__is_aggregate(e->text ? e->text : "");
}

/* Collects aggregate calls (outside window specs and subqueries) and window calls. */
static int collect(binder *b, const sql_expr_ast *e, ast_list *aggs, ast_list *wins,
                   bool inside_agg)
{
    if (e == NULL)
        return MDL_OK;
    if (e->kind == SQL_AST_IN_QUERY || e->kind == SQL_AST_EXISTS || e->kind == SQL_AST_SUBQUERY)
        return e->num_args > 0 ? collect(b, e->args[0], aggs, wins, inside_agg) : MDL_OK;
    if (e->kind == SQL_AST_FUNCTION && e->window != NULL) {
        if (wins == NULL)
            return berr(b, e->pos, MDL_ERR_SCHEMA, "window function %s is not allowed here",
                        e->text);
        int rc = list_push(b, wins, e);
        /* arguments and the window spec may hold aggregates (RANK() OVER (ORDER BY SUM(x))) */
        for (size_t i = 0; rc == MDL_OK && i < e->num_args; i++)
            rc = collect(b, e->args[i], aggs, NULL, false);
        for (size_t i = 0; rc == MDL_OK && i < e->window->num_partition; i++)
            rc = collect(b, e->window->partition[i], aggs, NULL, false);
        for (size_t i = 0; rc == MDL_OK && i < e->window->num_order; i++)
            rc = collect(b, e->window->order[i].expr, aggs, NULL, false);
        return rc;
    }
    if (is_agg_call(e)) {
        if (inside_agg)
            return berr(b, e->pos, MDL_ERR_SCHEMA, "aggregate %s inside another aggregate",
                        e->text);
        if (aggs == NULL)
            return berr(b, e->pos, MDL_ERR_SCHEMA, "aggregate %s is not allowed here", e->text);
        for (size_t i = 0; i < aggs->n; i++)
            if (ast_equal(aggs->items[i], e))
                return MDL_OK; /* the same aggregate twice is computed once */
        int rc = list_push(b, aggs, e);
        for (size_t i = 0; rc == MDL_OK && i < e->num_args; i++)
            rc = collect(b, e->args[i], aggs, wins, true);
        return rc;
    }
    for (size_t i = 0; i < e->num_args; i++) {
        int rc = collect(b, e->args[i], aggs, wins, inside_agg);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* ---- expressions ----------------------------------------------------------------------------- */

static int bind_expr(binder *b, const env *en, const sql_expr_ast *e, sql_bound **out);

static int resolve_column(binder *b, const scope *sc, const sql_expr_ast *e, size_t *idx)
{
    long found = -1;
    for (size_t i = 0; i < sc->n; i++) {
        if (!same_ident(sc->cols[i].name, e->text))
            continue;
        if (e->qualifier != NULL && !same_ident(sc->cols[i].qual, e->qualifier))
            continue;
        if (found >= 0)
            return berr(b, e->pos, MDL_ERR_SCHEMA,
                        "column reference '%s' is ambiguous (in '%s' and '%s'); qualify it",
                        e->text, sc->cols[found].qual ? sc->cols[found].qual : "?",
                        sc->cols[i].qual ? sc->cols[i].qual : "?");
        found = (long)i;
    }
    if (found >= 0) {
        *idx = (size_t)found;
        return MDL_OK;
    }
    /* the closest name, for the message */
    const char *names[MAX_SCOPE];
    size_t n = 0;
    for (size_t i = 0; i < sc->n && n < MAX_SCOPE; i++)
        if (e->qualifier == NULL || same_ident(sc->cols[i].qual, e->qualifier))
            names[n++] = sc->cols[i].name;
    const char *guess = mdl_closest_name(e->text, names, n);
    if (e->qualifier != NULL)
        return berr(b, e->pos, MDL_ERR_NOT_FOUND, "unknown column '%s.%s'%s%s%s", e->qualifier,
                    e->text, guess ? " (did you mean '" : "", guess ? guess : "",
                    guess ? "'?)" : "");
    return berr(b, e->pos, MDL_ERR_NOT_FOUND, "unknown column '%s'%s%s%s", e->text,
                guess ? " (did you mean '" : "", guess ? guess : "", guess ? "'?)" : "");
}

static int call(binder *b, const sql_expr_ast *e, const char *name, sql_bound **args, size_t n,
                sql_bound **out)
{
    /* the builders take the arguments but copy the array */
    int rc = mdl_sql__bound_call(b->ctx, name, args, n, out, b->err);
    mdl_free(b->ctx, args);
    if (rc != MDL_OK) {
        char msg[MDL_ERROR_MESSAGE_SIZE];
        snprintf(msg, sizeof msg, "%s", b->err ? b->err->message : "");
        return berr(b, e->pos, rc, "%s", msg);
    }
    (*out)->line = e->pos.line;
    (*out)->col = e->pos.column;
    if (b->o->now_us != 0 &&
        (strcmp(name, "current_date") == 0 || strcmp(name, "current_timestamp") == 0))
        (*out)->now_micros = b->o->now_us; /* one time for the whole query */
    return MDL_OK;
}

/* The days an INTERVAL literal stands for: DAY and WEEK only (months and years have no fixed
 * length, and the portable date function adds days). */
static int interval_days(binder *b, const sql_expr_ast *iv, int64_t *days)
{
    if (iv->text != NULL && strcasecmp(iv->text, "day") == 0)
        *days = iv->interval_n;
    else if (iv->text != NULL && strcasecmp(iv->text, "week") == 0)
        *days = iv->interval_n * 7;
    else
        return berr(b, iv->pos, MDL_ERR_UNSUPPORTED,
                    "INTERVAL %lld %s: only DAY and WEEK intervals are supported",
                    (long long)iv->interval_n, iv->text ? iv->text : "?");
    return MDL_OK;
}

static int bind_expr(binder *b, const env *en, const sql_expr_ast *e, sql_bound **out);

/* date_add(x, days) for x + INTERVAL, x - INTERVAL and date_add(x, INTERVAL ...). */
static int date_add_interval(binder *b, const env *en, const sql_expr_ast *e, const sql_expr_ast *x,
                             const sql_expr_ast *iv, bool minus, sql_bound **out)
{
    int64_t days = 0;
    int rc = interval_days(b, iv, &days);
    sql_bound **args = rc == MDL_OK ? mdl_calloc(b->ctx, 2, sizeof *args) : NULL;
    if (rc == MDL_OK && args == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    if (rc == MDL_OK)
        rc = bind_expr(b, en, x, &args[0]);
    mdl_column *v = NULL;
    if (rc == MDL_OK && (v = mdl_calloc(b->ctx, 1, sizeof *v)) == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    if (rc == MDL_OK)
        rc = mdl_column_init(b->ctx, v, mdl_type_make(MDL_TYPE_INT64), 1, b->err);
    int64_t n = minus ? -days : days;
    if (rc == MDL_OK)
        rc = mdl_column_append_value(b->ctx, v, &n, b->err);
    if (rc == MDL_OK) {
        rc = mdl_sql__bound_literal(b->ctx, v, &args[1], b->err);
        v = NULL;
    }
    if (v != NULL) {
        mdl_column_reset(b->ctx, v);
        mdl_free(b->ctx, v);
    }
    if (rc != MDL_OK) {
        if (args != NULL)
            mdl_sql__bound_free(b->ctx, args[0]);
        mdl_free(b->ctx, args);
        return rc;
    }
    /* DuckDB: DATE + INTERVAL is a TIMESTAMP (Spark keeps a DATE; docs/sql.md) */
    sql_bound *d;
    rc = call(b, e, "date_add", args, 2, &d);
    if (rc == MDL_OK)
        rc = mdl_sql__bound_cast(b->ctx, d, mdl_type_make(MDL_TYPE_TIMESTAMP), false, out, b->err);
    return rc;
}

static int bind_query(binder *b, const sql_query *q, sql_plan **out);

/*
 * A scalar subquery `(SELECT x ...)`, or EXISTS outside a WHERE conjunct: planned now, run
 * before the query (mdl_sql__run_subqueries), its value put into the literal returned here.
 * Correlated ones fail to bind (their outer columns are unknown inside).
 */
static int bind_scalar_subquery(binder *b, const sql_expr_ast *e, sql_bound **out)
{
    sql_plan *sub = NULL;
    int rc = bind_query(b, e->query, &sub);
    if (rc != MDL_OK) {
        if (rc == MDL_ERR_NOT_FOUND && b->err != NULL) {
            char msg[MDL_ERROR_MESSAGE_SIZE];
            snprintf(msg, sizeof msg, "%s", b->err->message);
            mdl_error_set(b->err, rc,
                          "%s (a subquery here must not refer to the outer query; EXISTS and "
                          "IN (SELECT ...) may, as WHERE conditions)",
                          msg);
        }
        return rc;
    }
    bool exists = e->kind == SQL_AST_EXISTS;
    if (!exists && sub->schema->num_fields != 1) {
        size_t n = sub->schema->num_fields;
        mdl_sql__plan_free(b->ctx, sub);
        return berr(b, e->pos, MDL_ERR_SCHEMA, "a scalar subquery must select one column, not %zu",
                    n);
    }
    mdl_type t = exists ? mdl_type_make(MDL_TYPE_BOOLEAN) : sub->schema->fields[0].type;
    mdl_column *v = mdl_calloc(b->ctx, 1, sizeof *v);
    rc = v ? mdl_column_init(b->ctx, v, t, 1, b->err)
           : mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    if (rc == MDL_OK)
        rc = mdl_column_append_null(b->ctx, v, b->err); /* the placeholder */
    sql_bound *lit = NULL;
    if (rc == MDL_OK) {
        rc = mdl_sql__bound_literal(b->ctx, v, &lit, b->err);
        v = NULL;
    }
    if (v != NULL) {
        mdl_column_reset(b->ctx, v);
        mdl_free(b->ctx, v);
    }
    size_t n = b->num_subplans + 1;
    sql_plan **sp = rc == MDL_OK ? mdl_realloc(b->ctx, b->subplans, n * sizeof *sp) : NULL;
    if (sp)
        b->subplans = sp;
    sql_bound **sl = sp ? mdl_realloc(b->ctx, b->sub_literals, n * sizeof *sl) : NULL;
    if (sl)
        b->sub_literals = sl;
    bool *se = sl ? mdl_realloc(b->ctx, b->sub_exists, n * sizeof *se) : NULL;
    if (se)
        b->sub_exists = se;
    sql_pos *ps = se ? mdl_realloc(b->ctx, b->sub_pos, n * sizeof *ps) : NULL;
    if (ps)
        b->sub_pos = ps;
    if (rc == MDL_OK && ps == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    if (rc != MDL_OK) {
        mdl_sql__bound_free(b->ctx, lit);
        mdl_sql__plan_free(b->ctx, sub);
        return rc;
    }
    b->subplans[b->num_subplans] = sub;
    b->sub_literals[b->num_subplans] = lit;
    b->sub_exists[b->num_subplans] = exists;
    b->sub_pos[b->num_subplans] = e->pos;
    b->num_subplans++;
    lit->line = e->pos.line;
    lit->col = e->pos.column;
    if (exists && e->negated) {
        sql_bound **args = mdl_calloc(b->ctx, 1, sizeof *args);
        if (args == NULL)
            return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
        args[0] = lit;
        return call(b, e, "not", args, 1, out);
    }
    *out = lit;
    return MDL_OK;
}

/* Binds the arguments [from, to) of e. */
static int bind_args(binder *b, const env *en, const sql_expr_ast *e, size_t from, size_t to,
                     sql_bound ***out)
{
    sql_bound **args = mdl_calloc(b->ctx, to - from + 1, sizeof *args);
    if (args == NULL)
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = from; i < to; i++) {
        int rc = bind_expr(b, en, e->args[i], &args[i - from]);
        if (rc != MDL_OK) {
            for (size_t k = from; k < i; k++)
                mdl_sql__bound_free(b->ctx, args[k - from]);
            mdl_free(b->ctx, args);
            return rc;
        }
    }
    *out = args;
    return MDL_OK;
}

static int literal(binder *b, const sql_expr_ast *e, sql_bound **out)
{
    if (e->lit == SQL_LIT_NULL) {
        int rc = mdl_sql__bound_null(b->ctx, out, b->err);
        if (rc == MDL_OK) {
            (*out)->line = e->pos.line;
            (*out)->col = e->pos.column;
        }
        return rc;
    }
    mdl_type t;
    switch (e->lit) {
    case SQL_LIT_NULL:
        t = mdl_type_make(MDL_TYPE_INT32); /* an untyped NULL: its type does not matter */
        break;
    case SQL_LIT_BOOL:
        t = mdl_type_make(MDL_TYPE_BOOLEAN);
        break;
    case SQL_LIT_INTEGER: {
        /* DuckDB types an integer literal by its value: INTEGER, BIGINT, then HUGEINT */
        char buf[64];
        snprintf(buf, sizeof buf, "%.*s", (int)(e->text_len < 63 ? e->text_len : 63), e->text);
        errno = 0;
        long long v = strtoll(buf, NULL, 10);
        if (e->text_len > 40 || errno == ERANGE)
            t = mdl_type_decimal(38, 0);
        else if (v > 2147483647LL || v < -2147483648LL)
            t = mdl_type_make(MDL_TYPE_INT64);
        else
            t = mdl_type_make(MDL_TYPE_INT32);
        break;
    }
    case SQL_LIT_DECIMAL: {
        /* DuckDB: DECIMAL(width, scale) of the literal as written */
        const char *dot = memchr(e->text, '.', e->text_len);
        size_t scale = dot ? (size_t)(e->text + e->text_len - dot - 1) : 0;
        size_t digits = 0;
        for (size_t i = 0; i < e->text_len; i++)
            digits += e->text[i] >= '0' && e->text[i] <= '9';
        if (digits > 38)
            t = mdl_type_make(MDL_TYPE_DOUBLE);
        else
            t = mdl_type_decimal((int)(digits > scale ? digits : scale + 1), (int)scale);
        if (t.id == MDL_TYPE_DECIMAL && t.precision < t.scale + 1)
            t.precision = t.scale + 1;
        break;
    }
    case SQL_LIT_DOUBLE:
        t = mdl_type_make(MDL_TYPE_DOUBLE);
        break;
    case SQL_LIT_STRING:
        t = mdl_type_make(MDL_TYPE_STRING);
        break;
    case SQL_LIT_DATE:
        t = mdl_type_make(MDL_TYPE_DATE);
        break;
    case SQL_LIT_TIMESTAMP:
        t = mdl_type_make(MDL_TYPE_TIMESTAMP);
        break;
    default:
        return berr(b, e->pos, MDL_ERR_UNSUPPORTED, "unsupported literal");
    }
    mdl_batch *one = NULL;
    mdl_schema *s = NULL;
    mdl_field_def def = {"v", t, true};
    int rc = mdl_schema_new(b->ctx, &def, 1, &s, b->err);
    if (rc == MDL_OK)
        rc = mdl_batch_new(b->ctx, s, 1, &one, b->err);
    mdl_schema_release(s);
    if (rc != MDL_OK)
        return rc;
    mdl_column *col = &one->columns[0];
    switch (e->lit) {
    case SQL_LIT_NULL:
        rc = mdl_column_append_null(b->ctx, col, b->err);
        break;
    case SQL_LIT_BOOL: {
        uint8_t v = e->bool_value;
        rc = mdl_column_append_value(b->ctx, col, &v, b->err);
        break;
    }
    case SQL_LIT_STRING:
        rc = mdl_column_append_string(b->ctx, col, e->text, e->text_len, b->err);
        break;
    default: {
        /* numbers, dates and timestamps convert from their text with the core parsers */
        char buf[128];
        snprintf(buf, sizeof buf, "%.*s", (int)(e->text_len < 127 ? e->text_len : 127), e->text);
        if (t.id == MDL_TYPE_INT32) {
            int32_t v = (int32_t)strtol(buf, NULL, 10);
            rc = mdl_column_append_value(b->ctx, col, &v, b->err);
        } else if (t.id == MDL_TYPE_INT64) {
            int64_t v = strtoll(buf, NULL, 10);
            rc = mdl_column_append_value(b->ctx, col, &v, b->err);
        } else if (t.id == MDL_TYPE_DOUBLE) {
            double v = strtod(buf, NULL);
            rc = mdl_column_append_value(b->ctx, col, &v, b->err);
        } else if (t.id == MDL_TYPE_DECIMAL) {
            mdl_i128 v;
            rc = mdl_decimal_parse(buf, strlen(buf), t.precision, t.scale, &v);
            if (rc != MDL_OK) {
                rc = berr(b, e->pos, MDL_ERR_RANGE, "number %s does not fit decimal(%d,%d)", buf,
                          t.precision, t.scale);
            } else if (t.precision <= MDL_DECIMAL64_MAX_PRECISION) {
                int64_t v64 = (int64_t)v;
                rc = mdl_column_append_value(b->ctx, col, &v64, b->err);
            } else {
                rc = mdl_column_append_value(b->ctx, col, &v, b->err);
            }
        } else if (t.id == MDL_TYPE_DATE) {
            int32_t d;
            if (mdl_date_parse(buf, strlen(buf), &d) != MDL_OK)
                rc = berr(b, e->pos, MDL_ERR_PARSE, "'%s' is not a date (YYYY-MM-DD)", buf);
            else
                rc = mdl_column_append_value(b->ctx, col, &d, b->err);
        } else {
            int64_t ts;
            if (mdl_timestamp_parse(buf, strlen(buf), &ts) != MDL_OK)
                rc = berr(b, e->pos, MDL_ERR_PARSE, "'%s' is not a timestamp", buf);
            else
                rc = mdl_column_append_value(b->ctx, col, &ts, b->err);
        }
    }
    }
    if (rc != MDL_OK) {
        mdl_batch_free(one);
        return rc;
    }
    /* the literal keeps its column; the batch shell goes */
    mdl_column *value = mdl_calloc(b->ctx, 1, sizeof *value);
    if (value == NULL) {
        mdl_batch_free(one);
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    }
    mdl_column empty;
    rc = mdl_column_init(b->ctx, &empty, t, 1, b->err);
    if (rc == MDL_OK) {
        *value = one->columns[0];
        one->columns[0] = empty;
    }
    mdl_batch_free(one);
    if (rc != MDL_OK) {
        mdl_free(b->ctx, value);
        return rc;
    }
    rc = mdl_sql__bound_literal(b->ctx, value, out, b->err);
    if (rc == MDL_OK) {
        (*out)->line = e->pos.line;
        (*out)->col = e->pos.column;
    }
    return rc;
}

static const char *binary_name(sql_op op)
{
    switch (op) {
    case SQL_OP_ADD:
        return "+";
    case SQL_OP_SUB:
        return "-";
    case SQL_OP_MUL:
        return "*";
    case SQL_OP_DIV:
        return "/";
    case SQL_OP_MOD:
        return "%";
    case SQL_OP_CONCAT:
        return "||";
    case SQL_OP_EQ:
        return "=";
    case SQL_OP_NE:
        return "<>";
    case SQL_OP_LT:
        return "<";
    case SQL_OP_LE:
        return "<=";
    case SQL_OP_GT:
        return ">";
    case SQL_OP_GE:
        return ">=";
    case SQL_OP_AND:
        return "and";
    case SQL_OP_OR:
        return "or";
    default:
        return "?";
    }
}

/* An expression's column in the output of an aggregation / window node, if it is one. */
static long replaced(const env *en, const sql_expr_ast *e, mdl_type *type)
{
    for (size_t i = 0; i < en->num_wins; i++)
        if (en->wins[i] == e) {
            *type = en->win_schema->fields[en->win_base + i].type;
            return (long)(en->win_base + i);
        }
    if (!en->post_agg)
        return -1;
    for (size_t i = 0; i < en->num_aggs; i++)
        if (en->aggs[i] == e || ast_equal(en->aggs[i], e)) {
            *type = en->agg_schema->fields[en->num_groups + i].type;
            return (long)(en->num_groups + i);
        }
    for (size_t i = 0; i < en->num_groups; i++)
        if (ast_equal(en->groups[i], e)) {
            *type = en->agg_schema->fields[i].type;
            return (long)i;
        }
    return -1;
}

static int bind_expr(binder *b, const env *en, const sql_expr_ast *e, sql_bound **out)
{
    mdl_ctx *ctx = b->ctx;
    *out = NULL;
    if (++b->depth > 256) {
        b->depth--;
        return berr(b, e->pos, MDL_ERR_LIMIT, "expression nested too deeply");
    }
    int rc = MDL_OK;
    mdl_type rt;
    long col = replaced(en, e, &rt);
    if (col >= 0) {
        rc = mdl_sql__bound_column(ctx, (size_t)col, rt, out, b->err);
        goto done;
    }
    sql_bound **args = NULL;
    switch (e->kind) {
    case SQL_AST_LITERAL:
        rc = literal(b, e, out);
        break;
    case SQL_AST_COLUMN: {
        if (en->post_agg) {
            rc = berr(b, e->pos, MDL_ERR_SCHEMA,
                      "column '%s' must appear in GROUP BY or be used in an aggregate", e->text);
            break;
        }
        size_t idx;
        rc = resolve_column(b, en->sc, e, &idx);
        if (rc == MDL_OK)
            rc = mdl_sql__bound_column(ctx, idx, en->sc->cols[idx].type, out, b->err);
        break;
    }
    case SQL_AST_UNARY:
        if (e->op == SQL_OP_PLUS) {
            rc = bind_expr(b, en, e->args[0], out); /* +x is x */
            break;
        }
        rc = bind_args(b, en, e, 0, 1, &args);
        if (rc == MDL_OK)
            rc = call(b, e,
                      e->op == SQL_OP_NOT   ? "not"
                      : e->op == SQL_OP_NEG ? "neg"
                                            : "plus",
                      args, 1, out);
        break;
    case SQL_AST_BINARY:
        if ((e->op == SQL_OP_ADD || e->op == SQL_OP_SUB) && e->args[1]->kind == SQL_AST_INTERVAL) {
            rc = date_add_interval(b, en, e, e->args[0], e->args[1], e->op == SQL_OP_SUB, out);
            break;
        }
        rc = bind_args(b, en, e, 0, 2, &args);
        if (rc == MDL_OK)
            rc = call(b, e, binary_name(e->op), args, 2, out);
        break;
    case SQL_AST_FUNCTION:
        if (e->window != NULL) {
            rc = berr(b, e->pos, MDL_ERR_SCHEMA, "window function %s is not allowed here", e->text);
            break;
        }
        if (mdl_sql__is_aggregate(e->text)) {
            rc = berr(b, e->pos, MDL_ERR_SCHEMA, "aggregate %s is not allowed here", e->text);
            break;
        }
        if (mdl_sql__is_window_function(e->text)) {
            rc = berr(b, e->pos, MDL_ERR_SCHEMA, "%s needs an OVER clause", e->text);
            break;
        }
        if (strcmp(e->text, "date_add") == 0 && e->num_args == 2 &&
            e->args[1]->kind == SQL_AST_INTERVAL) {
            rc = date_add_interval(b, en, e, e->args[0], e->args[1], false, out);
            break;
        }
        rc = bind_args(b, en, e, 0, e->num_args, &args);
        if (rc == MDL_OK)
            rc = call(b, e, strcmp(e->text, "extract") == 0 ? "date_part" : e->text, args,
                      e->num_args, out);
        break;
    case SQL_AST_CASE: {
        /* [operand] (when then)* [else] -> when/then pairs with `operand = when` */
        size_t first = e->case_has_operand ? 1 : 0, n = e->num_args - first;
        sql_bound *operand = NULL;
        if (e->case_has_operand)
            rc = bind_expr(b, en, e->args[0], &operand);
        sql_bound **parts = rc == MDL_OK ? mdl_calloc(ctx, n + 1, sizeof *parts) : NULL;
        if (rc == MDL_OK && parts == NULL)
            rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
        size_t done_parts = 0;
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            rc = bind_expr(b, en, e->args[first + i], &parts[i]);
            bool is_when = i % 2 == 0 && !(e->case_has_else && i == n - 1);
            if (rc == MDL_OK && operand != NULL && is_when) {
                /* operand is used once per WHEN: bind it again for each comparison */
                sql_bound *op2 = NULL;
                rc = bind_expr(b, en, e->args[0], &op2);
                sql_bound *pair[2] = {op2, parts[i]};
                if (rc == MDL_OK) {
                    sql_bound **pa = mdl_calloc(ctx, 2, sizeof *pa);
                    if (pa == NULL) {
                        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
                        mdl_sql__bound_free(ctx, op2);
                    } else {
                        pa[0] = pair[0];
                        pa[1] = pair[1];
                        parts[i] = NULL;
                        rc = call(b, e->args[first + i], "=", pa, 2, &parts[i]);
                    }
                }
            }
            done_parts = i + 1;
        }
        mdl_sql__bound_free(ctx, operand);
        if (rc == MDL_OK)
            rc = mdl_sql__bound_case(ctx, parts, n, e->case_has_else, out, b->err);
        else
            for (size_t i = 0; parts && i < done_parts; i++)
                mdl_sql__bound_free(ctx, parts[i]);
        mdl_free(ctx, parts);
        break;
    }
    case SQL_AST_CAST: {
        sql_bound *arg;
        rc = bind_expr(b, en, e->args[0], &arg);
        if (rc == MDL_OK)
            rc = mdl_sql__bound_cast(ctx, arg, e->cast_type, e->try_cast, out, b->err);
        if (rc != MDL_OK && rc != MDL_ERR_NOMEM) {
            char msg[MDL_ERROR_MESSAGE_SIZE];
            snprintf(msg, sizeof msg, "%s", b->err ? b->err->message : "");
            rc = berr(b, e->pos, rc, "%s", msg);
        }
        break;
    }
    case SQL_AST_IS_NULL:
        rc = bind_args(b, en, e, 0, 1, &args);
        if (rc == MDL_OK)
            rc = call(b, e, e->negated ? "is_not_null" : "is_null", args, 1, out);
        break;
    case SQL_AST_IS_DISTINCT:
        rc = bind_args(b, en, e, 0, 2, &args);
        if (rc == MDL_OK)
            rc = call(b, e, e->negated ? "is_not_distinct" : "is_distinct", args, 2, out);
        break;
    case SQL_AST_BETWEEN: {
        rc = bind_args(b, en, e, 0, 3, &args);
        sql_bound *bt = NULL;
        if (rc == MDL_OK)
            rc = call(b, e, "between", args, 3, &bt);
        if (rc == MDL_OK && e->negated) {
            sql_bound **na = mdl_calloc(ctx, 1, sizeof *na);
            if (na == NULL) {
                mdl_sql__bound_free(ctx, bt);
                rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
            } else {
                na[0] = bt;
                rc = call(b, e, "not", na, 1, out);
            }
        } else if (rc == MDL_OK) {
            *out = bt;
        }
        break;
    }
    case SQL_AST_LIKE:
        rc = bind_args(b, en, e, 0, e->num_args, &args);
        if (rc == MDL_OK)
            rc = call(b, e, e->negated ? "not_like" : "like", args, e->num_args, out);
        break;
    case SQL_AST_IN_LIST:
        rc = bind_args(b, en, e, 0, e->num_args, &args);
        if (rc == MDL_OK)
            rc = call(b, e, e->negated ? "not_in" : "in", args, e->num_args, out);
        break;
    case SQL_AST_STAR:
        rc = berr(b, e->pos, MDL_ERR_SCHEMA, "'*' is only allowed in COUNT(*) and SELECT *");
        break;
    case SQL_AST_SUBQUERY:
    case SQL_AST_EXISTS:
        rc = bind_scalar_subquery(b, e, out);
        break;
    default:
        rc = berr(b, e->pos, MDL_ERR_UNSUPPORTED,
                  "IN (SELECT ...) is supported as a WHERE condition (ANDed), not here; a bare "
                  "INTERVAL only after + or - or in date_add");
    }
done:
    b->depth--;
    return rc;
}

/* ---- FROM ------------------------------------------------------------------------------------ */

static int bind_query(binder *b, const sql_query *q, sql_plan **out);

static int scope_add(binder *b, scope *sc, const char *qual, const mdl_schema *s)
{
    if (sc->n + s->num_fields > MAX_SCOPE)
        return mdl_error_set(b->err, MDL_ERR_LIMIT, "more than %d columns in one FROM clause",
                             MAX_SCOPE);
    scope_col *c = mdl_realloc(b->ctx, sc->cols, (sc->n + s->num_fields + 1) * sizeof *c);
    if (c == NULL)
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    sc->cols = c;
    for (size_t i = 0; i < s->num_fields; i++)
        sc->cols[sc->n++] = (scope_col){qual, s->fields[i].name, s->fields[i].type};
    return MDL_OK;
}

/* Table names under <lake>/<layer>/, for the suggestion in an unknown-table error. */
static void table_guess(binder *b, const char *layer, const char *name, char *out, size_t cap)
{
    out[0] = '\0';
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/%s", b->o->lake_root ? b->o->lake_root : "lake", layer);
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    const char *names[256];
    char store[256][256];
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 256) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(store[n], sizeof store[n], "%s", de->d_name);
        names[n] = store[n];
        n++;
    }
    closedir(d);
    const char *g = mdl_closest_name(name, names, n);
    if (g != NULL && strcmp(g, name) != 0) /* a folder without a Delta log is no suggestion */
        snprintf(out, cap, " (did you mean '%s.%s'?)", layer, g);
}

static int bind_table_ref(binder *b, const sql_table_ref *t, sql_plan **out, const char **qual)
{
    *qual = t->alias ? t->alias : t->name;
    if (t->subquery != NULL)
        return bind_query(b, t->subquery, out);
    if (t->schema == NULL) {
        for (size_t i = b->num_ctes; i-- > 0;)
            if (same_ident(b->ctes[i].name, t->name)) {
                /* a CTE is bound where it is used, seeing only the CTEs before it */
                size_t saved = b->num_ctes;
                b->num_ctes = i;
                int rc = bind_query(b, b->ctes[i].query, out);
                b->num_ctes = saved;
                return rc;
            }
        return berr(b, t->pos, MDL_ERR_NOT_FOUND,
                    "unknown table '%s': lake tables are named layer.table (bronze.x, "
                    "silver.x, gold.x), or a CTE of this query",
                    t->name);
    }
    sql_plan *p = plan_new(b, SQL_P_SCAN);
    if (p == NULL)
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    char path[4096], full[600];
    snprintf(path, sizeof path, "%s/%s/%s", b->o->lake_root ? b->o->lake_root : "lake", t->schema,
             t->name);
    snprintf(full, sizeof full, "%s.%s", t->schema, t->name);
    p->table_name = bstrdup(b, full);
    mdl_error e;
    int rc = mdl_storage_open_local(b->ctx, path, &p->storage, &e);
    const mdl_sql_table_pin *pin = NULL;
    for (size_t i = 0; i < b->o->num_pins; i++)
        if (b->o->pins[i].name != NULL && strcmp(b->o->pins[i].name, full) == 0)
            pin = &b->o->pins[i];
    if (rc == MDL_OK && pin != NULL && pin->table != NULL) {
        p->table = pin->table;
        p->table_borrowed = true;
    } else if (rc == MDL_OK) {
        rc = mdl_table_open(b->ctx, p->storage, pin ? pin->version : -1, &p->table, &e);
    }
    if (rc == MDL_OK && pin != NULL && pin->since_version >= 0) {
        mdl_table *older = NULL;
        rc = mdl_table_open(b->ctx, p->storage, pin->since_version, &older, &e);
        if (rc == MDL_OK)
            rc = mdl_table_keep_new_files(p->table, older, &e);
        mdl_table_close(older);
    }
    if (rc == MDL_ERR_NOT_FOUND) {
        char guess[600];
        table_guess(b, t->schema, t->name, guess, sizeof guess);
        rc = berr(b, t->pos, MDL_ERR_NOT_FOUND, "unknown table '%s' (no Delta table at %s)%s", full,
                  path, guess);
    } else if (rc != MDL_OK) {
        rc = berr(b, t->pos, rc, "table '%s': %s", full, e.message);
    }
    if (rc == MDL_OK)
        p->schema = mdl_schema_retain(mdl_table_schema(p->table));
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, p);
        return rc;
    }
    *out = p;
    return MDL_OK;
}

/* Splits a conjunction into its parts. */
static int conjuncts(binder *b, const sql_expr_ast *e, ast_list *out)
{
    if (e->kind == SQL_AST_BINARY && e->op == SQL_OP_AND) {
        int rc = conjuncts(b, e->args[0], out);
        return rc == MDL_OK ? conjuncts(b, e->args[1], out) : rc;
    }
    return list_push(b, out, e);
}

/* Which side's columns an expression uses: bit 1 left, bit 2 right (column indexes < nl). */
static int sides(const sql_bound *e, size_t nl)
{
    if (e == NULL)
        return 0;
    if (e->kind == SQL_B_COLUMN)
        return e->column < nl ? 1 : 2;
    int s = 0;
    for (size_t i = 0; i < e->num_args; i++)
        s |= sides(e->args[i], nl);
    return s;
}

static void shift_columns(sql_bound *e, size_t by)
{
    if (e == NULL)
        return;
    if (e->kind == SQL_B_COLUMN)
        e->column -= by;
    for (size_t i = 0; i < e->num_args; i++)
        shift_columns(e->args[i], by);
}

static int push_bound(binder *b, sql_bound ***arr, size_t *n, sql_bound *e)
{
    sql_bound **a = mdl_realloc(b->ctx, *arr, (*n + 1) * sizeof *a);
    if (a == NULL) {
        mdl_sql__bound_free(b->ctx, e);
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    }
    *arr = a;
    (*arr)[(*n)++] = e;
    return MDL_OK;
}

/* AND of two predicates (either may be NULL). */
static int and_bound(binder *b, sql_bound *a, sql_bound *c, sql_bound **out)
{
    if (a == NULL || c == NULL) {
        *out = a ? a : c;
        return MDL_OK;
    }
    sql_bound **args = mdl_calloc(b->ctx, 2, sizeof *args);
    if (args == NULL) {
        mdl_sql__bound_free(b->ctx, a);
        mdl_sql__bound_free(b->ctx, c);
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    }
    args[0] = a;
    args[1] = c;
    int rc = mdl_sql__bound_call(b->ctx, "and", args, 2, out, b->err);
    mdl_free(b->ctx, args);
    return rc;
}

/* Joins `right` to `left` (the plan so far) by t's join type and ON condition. */
static int bind_join(binder *b, const sql_table_ref *t, sql_plan *left, sql_plan *right, scope *sc,
                     sql_plan **out)
{
    sql_plan *j = plan_new(b, SQL_P_JOIN);
    if (j == NULL) {
        mdl_sql__plan_free(b->ctx, left);
        mdl_sql__plan_free(b->ctx, right);
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    }
    size_t nl = left->schema->num_fields;
    j->join = t->join == SQL_JOIN_NONE ? SQL_JOIN_CROSS : t->join;
    int rc = add_child(b, j, left);
    if (rc == MDL_OK)
        rc = add_child(b, j, right);
    else
        mdl_sql__plan_free(b->ctx, right);
    /* output schema: left ++ right */
    size_t n = nl + right->schema->num_fields;
    const char **names = rc == MDL_OK ? mdl_calloc(b->ctx, n + 1, sizeof *names) : NULL;
    mdl_type *types = rc == MDL_OK ? mdl_calloc(b->ctx, n + 1, sizeof *types) : NULL;
    if (rc == MDL_OK && (names == NULL || types == NULL))
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        const mdl_field *f = i < nl ? &left->schema->fields[i] : &right->schema->fields[i - nl];
        names[i] = f->name;
        types[i] = f->type;
    }
    if (rc == MDL_OK)
        rc = make_schema(b, names, types, n, &j->schema);
    mdl_free(b->ctx, (void *)names);
    mdl_free(b->ctx, types);
    if (rc == MDL_OK && t->on != NULL && j->join != SQL_JOIN_CROSS) {
        /* equi-keys: conjuncts `l = r` with one side from each input; the rest is residual */
        ast_list parts = {0};
        rc = conjuncts(b, t->on, &parts);
        env en = {0};
        en.sc = sc;
        for (size_t i = 0; rc == MDL_OK && i < parts.n; i++) {
            const sql_expr_ast *c = parts.items[i];
            sql_bound *l = NULL, *r = NULL, *whole = NULL;
            if (c->kind == SQL_AST_BINARY && c->op == SQL_OP_EQ) {
                size_t subs = b->num_subplans; /* scalar subqueries the tentative sides plan */
                rc = bind_expr(b, &en, c->args[0], &l);
                if (rc == MDL_OK)
                    rc = bind_expr(b, &en, c->args[1], &r);
                int sl = rc == MDL_OK ? sides(l, nl) : 0, sr = rc == MDL_OK ? sides(r, nl) : 0;
                if (rc == MDL_OK && sl == 2 && sr == 1) {
                    sql_bound *x = l;
                    l = r;
                    r = x;
                    int y = sl;
                    sl = sr;
                    sr = y;
                }
                if (rc == MDL_OK && sl == 1 && sr == 2) {
                    mdl_type ct;
                    sql_type ta = {l->type, false}, tb = {r->type, false};
                    rc = mdl_sql__common_type(&ta, &tb, &ct, b->err);
                    if (rc == MDL_OK && !mdl_type_equal(l->type, ct))
                        rc = mdl_sql__bound_cast(b->ctx, l, ct, false, &l, b->err);
                    if (rc == MDL_OK && !mdl_type_equal(r->type, ct))
                        rc = mdl_sql__bound_cast(b->ctx, r, ct, false, &r, b->err);
                    if (rc == MDL_OK) {
                        shift_columns(r, nl);
                        rc = push_bound(b, &j->left_keys, &j->num_join_keys, l);
                        size_t nk = j->num_join_keys - 1;
                        if (rc == MDL_OK)
                            rc = push_bound(b, &j->right_keys, &nk, r);
                        continue;
                    }
                }
                mdl_sql__bound_free(b->ctx, l);
                mdl_sql__bound_free(b->ctx, r);
                /* not a key: the condition is bound again whole below, so the subqueries the
                 * sides registered (their literals were just freed with them) go too */
                while (b->num_subplans > subs)
                    mdl_sql__plan_free(b->ctx, b->subplans[--b->num_subplans]);
            }
            if (rc == MDL_OK)
                rc = bind_expr(b, &en, c, &whole);
            if (rc == MDL_OK)
                rc = and_bound(b, j->residual, whole, &j->residual);
        }
        mdl_free(b->ctx, (void *)parts.items);
        if (rc == MDL_OK && j->num_join_keys == 0 && j->join == SQL_JOIN_INNER &&
            j->residual != NULL) {
            /* no equi-key: a cross join with the condition as residual */
        }
    } else if (rc == MDL_OK && t->on == NULL && j->join != SQL_JOIN_CROSS) {
        rc = berr(b, t->pos, MDL_ERR_PARSE, "this JOIN needs an ON condition");
    }
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, j);
        return rc;
    }
    *out = j;
    return MDL_OK;
}

static int bind_from(binder *b, const sql_select *s, sql_plan **out, scope *sc)
{
    if (s->num_from == 0) {
        sql_plan *p = plan_new(b, SQL_P_ONE_ROW);
        if (p == NULL)
            return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
        int rc = make_schema(b, NULL, NULL, 0, &p->schema);
        if (rc != MDL_OK) {
            mdl_sql__plan_free(b->ctx, p);
            return rc;
        }
        *out = p;
        return MDL_OK;
    }
    sql_plan *cur = NULL;
    for (size_t i = 0; i < s->num_from; i++) {
        sql_plan *p;
        const char *qual;
        int rc = bind_table_ref(b, &s->from[i], &p, &qual);
        if (rc == MDL_OK)
            rc = scope_add(b, sc, qual, p->schema);
        if (rc != MDL_OK) {
            mdl_sql__plan_free(b->ctx, cur);
            return rc;
        }
        if (cur == NULL) {
            cur = p;
            continue;
        }
        rc = bind_join(b, &s->from[i], cur, p, sc, &cur);
        if (rc != MDL_OK)
            return rc;
    }
    *out = cur;
    return MDL_OK;
}

/* ---- SELECT ------------------------------------------------------------------------------- */

/* A new node of `kind` over `child`. On failure the child is freed and *out is NULL, so
 * `wrap(b, k, p, &p)` never leaves p dangling. */
static int wrap(binder *b, sql_plan_kind kind, sql_plan *child, sql_plan **out)
{
    *out = NULL;
    sql_plan *p = plan_new(b, kind);
    if (p == NULL) {
        mdl_sql__plan_free(b->ctx, child);
        return mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    }
    int rc = add_child(b, p, child);
    if (rc != MDL_OK) {
        mdl_free(b->ctx, p);
        return rc;
    }
    *out = p;
    return MDL_OK;
}

static int agg_kind(const char *name, bool star, sql_agg_kind *out)
{
    if (strcmp(name, "count") == 0)
        *out = star ? SQL_AGG_COUNT_STAR : SQL_AGG_COUNT;
    else if (strcmp(name, "sum") == 0)
        *out = SQL_AGG_SUM;
    else if (strcmp(name, "avg") == 0 || strcmp(name, "mean") == 0)
        *out = SQL_AGG_AVG;
    else if (strcmp(name, "min") == 0)
        *out = SQL_AGG_MIN;
    else if (strcmp(name, "max") == 0)
        *out = SQL_AGG_MAX;
    else if (strcmp(name, "any_value") == 0 || strcmp(name, "arbitrary") == 0)
        *out = SQL_AGG_ANY_VALUE;
    else
        return MDL_ERR_NOT_FOUND;
    return MDL_OK;
}

/* Aggregate result types (DuckDB's: docs/sql.md "Semantics"). */
static mdl_type agg_type(sql_agg_kind k, mdl_type arg)
{
    switch (k) {
    case SQL_AGG_COUNT_STAR:
    case SQL_AGG_COUNT:
        return mdl_type_make(MDL_TYPE_INT64);
    case SQL_AGG_SUM:
        if (arg.id == MDL_TYPE_INT32 || arg.id == MDL_TYPE_INT64)
            return mdl_type_decimal(38, 0); /* DuckDB: HUGEINT */
        if (arg.id == MDL_TYPE_DECIMAL)
            return mdl_type_decimal(38, arg.scale);
        return mdl_type_make(MDL_TYPE_DOUBLE);
    case SQL_AGG_AVG:
        return mdl_type_make(MDL_TYPE_DOUBLE);
    default:
        return arg;
    }
}

/* Builds the AGGREGATE node over `child` for GROUP BY `groups` and `aggs`. */
static int bind_aggregate(binder *b, const scope *sc, sql_plan *child, sql_expr_ast *const *groups,
                          size_t num_groups, const ast_list *aggs, sql_plan **out)
{
    *out = NULL; /* the child is freed on failure: never leave the caller's pointer dangling */
    sql_plan *p;
    int rc = wrap(b, SQL_P_AGGREGATE, child, &p);
    if (rc != MDL_OK)
        return rc;
    env en = {0};
    en.sc = sc;
    size_t n = num_groups + aggs->n;
    const char **names = mdl_calloc(b->ctx, n + 1, sizeof *names);
    mdl_type *types = mdl_calloc(b->ctx, n + 1, sizeof *types);
    char(*bufs)[64] = mdl_calloc(b->ctx, n + 1, sizeof *bufs);
    p->aggs = mdl_calloc(b->ctx, aggs->n + 1, sizeof *p->aggs);
    if (names == NULL || types == NULL || bufs == NULL || p->aggs == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < num_groups; i++) {
        sql_bound *k;
        rc = bind_expr(b, &en, groups[i], &k);
        if (rc == MDL_OK) {
            types[i] = k->type;
            const sql_expr_ast *g = groups[i];
            if (g->kind == SQL_AST_COLUMN)
                names[i] = g->text;
            else {
                snprintf(bufs[i], sizeof bufs[i], "group_%zu", i + 1);
                names[i] = bufs[i];
            }
            rc = push_bound(b, &p->keys, &p->num_keys, k);
        }
    }
    for (size_t i = 0; rc == MDL_OK && i < aggs->n; i++) {
        const sql_expr_ast *a = aggs->items[i];
        sql_plan_agg *pa = &p->aggs[i];
        if (agg_kind(a->text, a->star, &pa->kind) != MDL_OK) {
            rc = berr(b, a->pos, MDL_ERR_NOT_FOUND, "unknown aggregate %s", a->text);
            break;
        }
        pa->distinct = a->distinct;
        if (a->distinct && pa->kind != SQL_AGG_COUNT) {
            rc = berr(b, a->pos, MDL_ERR_UNSUPPORTED,
                      "%s(DISTINCT ...) is not supported (COUNT(DISTINCT ...) is); aggregate a "
                      "SELECT DISTINCT subquery instead",
                      a->text);
            break;
        }
        mdl_type at = mdl_type_make(MDL_TYPE_INT64);
        if (pa->kind != SQL_AGG_COUNT_STAR) {
            if (a->num_args != 1) {
                rc = berr(b, a->pos, MDL_ERR_SCHEMA, "%s takes one argument", a->text);
                break;
            }
            rc = bind_expr(b, &en, a->args[0], &pa->arg);
            if (rc == MDL_OK)
                at = pa->arg->type;
            if (rc == MDL_OK && (pa->kind == SQL_AGG_SUM || pa->kind == SQL_AGG_AVG) &&
                at.id != MDL_TYPE_INT32 && at.id != MDL_TYPE_INT64 && at.id != MDL_TYPE_DECIMAL &&
                at.id != MDL_TYPE_DOUBLE) {
                char tn[64];
                mdl_type_format(at, tn, sizeof tn);
                rc = berr(b, a->pos, MDL_ERR_SCHEMA, "%s of a %s: %s takes a number", a->text, tn,
                          a->text);
            }
        }
        p->num_aggs = i + 1;
        pa->type = agg_type(pa->kind, at);
        types[num_groups + i] = pa->type;
        snprintf(bufs[num_groups + i], sizeof bufs[0], "%s", a->text);
        names[num_groups + i] = bufs[num_groups + i];
    }
    if (rc == MDL_OK)
        rc = make_schema(b, names, types, n, &p->schema);
    mdl_free(b->ctx, (void *)names);
    mdl_free(b->ctx, types);
    mdl_free(b->ctx, bufs);
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, p);
        return rc;
    }
    *out = p;
    return MDL_OK;
}

static int win_kind(const char *name, sql_win_kind *k, sql_agg_kind *agg)
{
    static const struct {
        const char *name;
        sql_win_kind kind;
    } kinds[] = {{"row_number", SQL_WIN_ROW_NUMBER},
                 {"rank", SQL_WIN_RANK},
                 {"dense_rank", SQL_WIN_DENSE_RANK},
                 {"lag", SQL_WIN_LAG},
                 {"lead", SQL_WIN_LEAD},
                 {"first_value", SQL_WIN_FIRST_VALUE},
                 {"last_value", SQL_WIN_LAST_VALUE}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(name, kinds[i].name) == 0) {
            *k = kinds[i].kind;
            return MDL_OK;
        }
    if (agg_kind(name, false, agg) == MDL_OK) {
        *k = SQL_WIN_AGG;
        return MDL_OK;
    }
    return MDL_ERR_NOT_FOUND;
}

/* Builds the WINDOW node over `child` (bound in `en`), one output column per window call. */
static int bind_window(binder *b, const env *en, sql_plan *child, const ast_list *wins,
                       sql_plan **out)
{
    *out = NULL; /* the child is freed on failure: never leave the caller's pointer dangling */
    sql_plan *p;
    size_t nc = child->schema->num_fields;
    int rc = wrap(b, SQL_P_WINDOW, child, &p);
    if (rc != MDL_OK)
        return rc;
    size_t n = nc + wins->n;
    const char **names = mdl_calloc(b->ctx, n + 1, sizeof *names);
    mdl_type *types = mdl_calloc(b->ctx, n + 1, sizeof *types);
    p->wins = mdl_calloc(b->ctx, wins->n + 1, sizeof *p->wins);
    if (names == NULL || types == NULL || p->wins == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < nc; i++) {
        names[i] = child->schema->fields[i].name;
        types[i] = child->schema->fields[i].type;
    }
    for (size_t i = 0; rc == MDL_OK && i < wins->n; i++) {
        const sql_expr_ast *a = wins->items[i];
        sql_plan_win *w = &p->wins[i];
        p->num_wins = i + 1;
        if (win_kind(a->text, &w->kind, &w->agg) != MDL_OK) {
            rc = berr(b, a->pos, MDL_ERR_NOT_FOUND, "unknown window function %s", a->text);
            break;
        }
        if (w->kind == SQL_WIN_AGG && a->star)
            w->agg = SQL_AGG_COUNT_STAR;
        size_t want = w->kind <= SQL_WIN_DENSE_RANK || w->agg == SQL_AGG_COUNT_STAR ? 0 : 1;
        size_t given = a->star ? 0 : a->num_args; /* COUNT(*) carries a STAR argument */
        if (given < want || (w->kind != SQL_WIN_LAG && w->kind != SQL_WIN_LEAD && given > want)) {
            rc = berr(b, a->pos, MDL_ERR_SCHEMA, "%s takes %zu argument(s)", a->text, want);
            break;
        }
        if (a->num_args > 0 && !a->star)
            rc = bind_expr(b, en, a->args[0], &w->arg);
        w->offset = 1;
        if (rc == MDL_OK && a->num_args > 1) {
            const sql_expr_ast *o = a->args[1];
            if (o->kind != SQL_AST_LITERAL || o->lit != SQL_LIT_INTEGER)
                rc = berr(b, o->pos, MDL_ERR_SCHEMA, "%s's offset must be an integer literal",
                          a->text);
            else
                w->offset = strtoll(o->text, NULL, 10);
        }
        if (rc == MDL_OK && a->num_args > 2)
            rc = bind_expr(b, en, a->args[2], &w->dflt);
        if (rc == MDL_OK && w->dflt != NULL && w->arg != NULL &&
            !mdl_type_equal(w->dflt->type, w->arg->type))
            rc = mdl_sql__bound_cast(b->ctx, w->dflt, w->arg->type, false, &w->dflt, b->err);
        const sql_window *ws = a->window;
        for (size_t k = 0; rc == MDL_OK && k < ws->num_partition; k++) {
            sql_bound *e;
            rc = bind_expr(b, en, ws->partition[k], &e);
            if (rc == MDL_OK)
                rc = push_bound(b, &w->partition, &w->num_partition, e);
        }
        if (rc == MDL_OK && ws->num_order > 0 &&
            (w->order = mdl_calloc(b->ctx, ws->num_order, sizeof *w->order)) == NULL)
            rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
        for (size_t k = 0; rc == MDL_OK && k < ws->num_order; k++) {
            rc = bind_expr(b, en, ws->order[k].expr, &w->order[k].expr);
            w->order[k].desc = ws->order[k].desc;
            w->order[k].nulls_first = ws->order[k].nulls == 1;
            w->num_order = k + 1;
        }
        w->has_frame = ws->has_frame;
        w->frame_rows = ws->frame_rows;
        w->start = ws->start;
        w->end = ws->end;
        w->start_n = ws->start_n;
        w->end_n = ws->end_n;
        if (w->kind <= SQL_WIN_DENSE_RANK)
            w->type = mdl_type_make(MDL_TYPE_INT64);
        else if (w->kind == SQL_WIN_AGG)
            w->type = agg_type(w->agg, w->arg ? w->arg->type : mdl_type_make(MDL_TYPE_INT64));
        else
            w->type = w->arg->type;
        names[nc + i] = a->text;
        types[nc + i] = w->type;
    }
    if (rc == MDL_OK)
        rc = make_schema(b, names, types, n, &p->schema);
    mdl_free(b->ctx, (void *)names);
    mdl_free(b->ctx, types);
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, p);
        return rc;
    }
    *out = p;
    return MDL_OK;
}

/*
 * `x [NOT] IN (SELECT y ...)` as a WHERE conjunct: a semi join (anti, with NOT IN's NULL
 * rules) of the plan so far with the subquery's plan on x = y. The subquery may not refer to
 * the outer query (correlated subqueries are not supported).
 */
static int bind_in_query(binder *b, const env *en, const sql_expr_ast *e, sql_plan *left,
                         sql_plan **out)
{
    *out = NULL;
    sql_plan *sub = NULL, *j = NULL;
    sql_bound *lk = NULL, *rk = NULL;
    int rc = bind_query(b, e->query, &sub);
    if (rc == MDL_OK && sub->schema->num_fields != 1)
        rc = berr(b, e->pos, MDL_ERR_SCHEMA, "IN (SELECT ...) must select one column, not %zu",
                  sub->schema->num_fields);
    if (rc == MDL_OK)
        rc = bind_expr(b, en, e->args[0], &lk);
    if (rc == MDL_OK)
        rc = mdl_sql__bound_column(b->ctx, 0, sub->schema->fields[0].type, &rk, b->err);
    if (rc == MDL_OK) {
        mdl_type ct;
        sql_type ta = {lk->type, lk->null_only}, tb = {rk->type, false};
        rc = mdl_sql__common_type(&ta, &tb, &ct, b->err);
        if (rc != MDL_OK) {
            char msg[MDL_ERROR_MESSAGE_SIZE];
            snprintf(msg, sizeof msg, "%s", b->err ? b->err->message : "");
            rc = berr(b, e->pos, rc, "IN (SELECT ...): %s", msg);
        }
        if (rc == MDL_OK && !mdl_type_equal(lk->type, ct))
            rc = mdl_sql__bound_cast(b->ctx, lk, ct, false, &lk, b->err);
        if (rc == MDL_OK && !mdl_type_equal(rk->type, ct))
            rc = mdl_sql__bound_cast(b->ctx, rk, ct, false, &rk, b->err);
    }
    if (rc == MDL_OK && (j = plan_new(b, SQL_P_JOIN)) == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    if (rc == MDL_OK) {
        j->join = SQL_JOIN_NONE;
        j->semi = !e->negated;
        j->anti = e->negated;
        j->null_aware = e->negated;
        j->schema = mdl_schema_retain(left->schema);
        rc = add_child(b, j, left);
        left = NULL;
        if (rc == MDL_OK) {
            rc = add_child(b, j, sub);
            sub = NULL;
        }
    }
    if (rc == MDL_OK) {
        rc = push_bound(b, &j->left_keys, &j->num_join_keys, lk);
        lk = NULL;
        size_t nk = 0;
        if (rc == MDL_OK)
            rc = push_bound(b, &j->right_keys, &nk, rk);
        rk = NULL;
    }
    mdl_sql__bound_free(b->ctx, lk);
    mdl_sql__bound_free(b->ctx, rk);
    mdl_sql__plan_free(b->ctx, sub);
    mdl_sql__plan_free(b->ctx, left);
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, j);
        return rc;
    }
    *out = j;
    return MDL_OK;
}

/*
 * `[NOT] EXISTS (SELECT ... FROM ... WHERE ...)` as a WHERE conjunct: a semi (anti) join of
 * the plan so far with the subquery's FROM, filtered by its own conditions. Conditions that
 * refer to the outer query must be equalities `inner = outer` (decorrelated into join keys);
 * the subquery may not group, aggregate or limit.
 */
static int bind_exists(binder *b, const env *outer, const sql_expr_ast *e, sql_plan *left,
                       sql_plan **out)
{
    *out = NULL;
    const sql_query *q = e->query;
    const sql_select *s = q && q->num_selects == 1 ? q->selects[0] : NULL;
    if (s == NULL || q->num_ctes > 0 || s->num_group_by > 0 || s->having != NULL || q->has_limit ||
        s->num_from == 0) {
        mdl_sql__plan_free(b->ctx, left);
        return berr(b, e->pos, MDL_ERR_UNSUPPORTED,
                    "EXISTS supports a plain SELECT ... FROM ... [WHERE ...] (no WITH, GROUP BY, "
                    "HAVING, LIMIT or UNION inside)");
    }
    scope sc = {NULL, 0};
    sql_plan *inner = NULL, *j = NULL;
    sql_bound *pred = NULL;
    ast_list parts = {0};
    int rc = bind_from(b, s, &inner, &sc);
    env ien = {0};
    ien.sc = &sc;
    if (rc == MDL_OK && s->where != NULL)
        rc = conjuncts(b, s->where, &parts);
    if (rc == MDL_OK && (j = plan_new(b, SQL_P_JOIN)) == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < parts.n; i++) {
        const sql_expr_ast *c = parts.items[i];
        sql_bound *one = NULL;
        rc = bind_expr(b, &ien, c, &one);
        if (rc == MDL_OK) {
            rc = and_bound(b, pred, one, &pred);
            continue;
        }
        if (rc != MDL_ERR_NOT_FOUND)
            break;
        /* a correlation: inner = outer (either way round) */
        mdl_error first = b->err ? *b->err : (mdl_error){0, ""};
        rc = MDL_ERR_NOT_FOUND;
        if (c->kind == SQL_AST_BINARY && c->op == SQL_OP_EQ) {
            for (int flip = 0; flip < 2 && rc != MDL_OK; flip++) {
                sql_bound *ik = NULL, *ok = NULL;
                const sql_expr_ast *ia = c->args[flip], *oa = c->args[1 - flip];
                rc = bind_expr(b, &ien, ia, &ik);
                if (rc == MDL_OK)
                    rc = bind_expr(b, outer, oa, &ok);
                if (rc == MDL_OK) {
                    mdl_type ct;
                    sql_type ta = {ik->type, false}, tb = {ok->type, false};
                    rc = mdl_sql__common_type(&ta, &tb, &ct, b->err);
                    if (rc == MDL_OK && !mdl_type_equal(ik->type, ct))
                        rc = mdl_sql__bound_cast(b->ctx, ik, ct, false, &ik, b->err);
                    if (rc == MDL_OK && !mdl_type_equal(ok->type, ct))
                        rc = mdl_sql__bound_cast(b->ctx, ok, ct, false, &ok, b->err);
                    if (rc == MDL_OK) {
                        size_t nk = j->num_join_keys;
                        rc = push_bound(b, &j->left_keys, &j->num_join_keys, ok);
                        ok = NULL;
                        if (rc == MDL_OK)
                            rc = push_bound(b, &j->right_keys, &nk, ik);
                        ik = NULL;
                    }
                }
                mdl_sql__bound_free(b->ctx, ik);
                mdl_sql__bound_free(b->ctx, ok);
            }
        }
        if (rc != MDL_OK && rc != MDL_ERR_NOMEM) {
            if (b->err)
                *b->err = first;
            rc = first.code ? first.code : MDL_ERR_NOT_FOUND;
            char msg[MDL_ERROR_MESSAGE_SIZE];
            snprintf(msg, sizeof msg, "%s", b->err ? b->err->message : "");
            rc = mdl_error_set(b->err, rc,
                               "%s (conditions on the outer query inside EXISTS must be "
                               "equalities between an inner and an outer expression)",
                               msg);
        }
    }
    mdl_free(b->ctx, (void *)parts.items);
    mdl_free(b->ctx, sc.cols);
    if (rc == MDL_OK && pred != NULL) {
        rc = wrap(b, SQL_P_FILTER, inner, &inner);
        if (rc == MDL_OK) {
            inner->pred = pred;
            inner->schema = mdl_schema_retain(inner->children[0]->schema);
            pred = NULL;
        }
    }
    if (rc == MDL_OK) {
        j->join = SQL_JOIN_NONE;
        j->semi = !e->negated;
        j->anti = e->negated;
        j->schema = mdl_schema_retain(left->schema);
        rc = add_child(b, j, left);
        left = NULL;
        if (rc == MDL_OK) {
            rc = add_child(b, j, inner);
            inner = NULL;
        }
    }
    mdl_sql__bound_free(b->ctx, pred);
    mdl_sql__plan_free(b->ctx, inner);
    mdl_sql__plan_free(b->ctx, left);
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, j);
        return rc;
    }
    *out = j;
    return MDL_OK;
}

/* The display name of a select item. */
static const char *item_name(const sql_select_item *it, char *buf, size_t cap, size_t i)
{
    if (it->alias)
        return it->alias;
    const sql_expr_ast *e = it->expr;
    if (e->kind == SQL_AST_COLUMN)
        return e->text;
    if (e->kind == SQL_AST_FUNCTION)
        return e->text;
    snprintf(buf, cap, "col%zu", i + 1);
    return buf;
}

/*
 * Binds one SELECT. `order`/`num_order` are the query's ORDER BY when this SELECT is the
 * whole query (they may use its input columns); `*n_visible` is the number of output
 * columns before the hidden ORDER BY ones.
 */
static int bind_select(binder *b, const sql_select *s, const sql_order_item *order,
                       size_t num_order, sql_plan **out, size_t *n_visible)
{
    mdl_ctx *ctx = b->ctx;
    scope sc = {NULL, 0};
    sql_plan *p = NULL;
    ast_list aggs = {0}, wins = {0};
    int rc = bind_from(b, s, &p, &sc);
    env en = {0};
    en.sc = &sc;
    if (rc == MDL_OK && s->where != NULL) {
        /* conjuncts `x [NOT] IN (SELECT ...)` become semi/anti joins; the rest a filter */
        ast_list parts = {0};
        rc = collect(b, s->where, NULL, NULL, false);
        if (rc == MDL_OK)
            rc = conjuncts(b, s->where, &parts);
        sql_bound *pred = NULL;
        for (size_t i = 0; rc == MDL_OK && i < parts.n; i++) {
            const sql_expr_ast *c = parts.items[i];
            if (c->kind == SQL_AST_IN_QUERY) {
                rc = bind_in_query(b, &en, c, p, &p);
                continue;
            }
            if (c->kind == SQL_AST_EXISTS) {
                rc = bind_exists(b, &en, c, p, &p);
                continue;
            }
            sql_bound *one = NULL;
            rc = bind_expr(b, &en, c, &one);
            if (rc == MDL_OK && one->null_only) /* WHERE NULL: a boolean NULL, as in DuckDB */
                rc = mdl_sql__bound_cast(ctx, one, mdl_type_make(MDL_TYPE_BOOLEAN), false, &one,
                                         b->err);
            if (rc == MDL_OK && one->type.id != MDL_TYPE_BOOLEAN) {
                mdl_sql__bound_free(ctx, one);
                rc = berr(b, c->pos, MDL_ERR_SCHEMA, "WHERE needs a boolean condition");
                break;
            }
            if (rc == MDL_OK)
                rc = and_bound(b, pred, one, &pred);
        }
        mdl_free(ctx, (void *)parts.items);
        if (rc == MDL_OK && pred != NULL) {
            rc = wrap(b, SQL_P_FILTER, p, &p);
            if (rc == MDL_OK) {
                p->pred = pred;
                p->schema = mdl_schema_retain(p->children[0]->schema);
                pred = NULL;
            }
        }
        mdl_sql__bound_free(ctx, pred);
    }
    /* aggregates and window calls in the select list, HAVING and ORDER BY */
    for (size_t i = 0; rc == MDL_OK && i < s->num_items; i++)
        if (s->items[i].expr != NULL)
            rc = collect(b, s->items[i].expr, &aggs, &wins, false);
    if (rc == MDL_OK && s->having != NULL)
        rc = collect(b, s->having, &aggs, NULL, false);
    for (size_t i = 0; rc == MDL_OK && i < num_order; i++)
        rc = collect(b, order[i].expr, &aggs, &wins, false);
    /* GROUP BY 1 and GROUP BY alias mean the select item (as DuckDB reads them) */
    sql_expr_ast **groups = NULL;
    if (rc == MDL_OK && s->num_group_by > 0 &&
        (groups = mdl_calloc(ctx, s->num_group_by, sizeof *groups)) == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < s->num_group_by; i++) {
        sql_expr_ast *g = s->group_by[i];
        groups[i] = g;
        if (g->kind == SQL_AST_LITERAL && g->lit == SQL_LIT_INTEGER) {
            long k = strtol(g->text, NULL, 10);
            if (k < 1 || (size_t)k > s->num_items || s->items[k - 1].expr == NULL) {
                rc = berr(b, g->pos, MDL_ERR_SCHEMA,
                          "GROUP BY %ld: the select list has no such "
                          "expression",
                          k);
                break;
            }
            groups[i] = s->items[k - 1].expr;
        } else if (g->kind == SQL_AST_COLUMN && g->qualifier == NULL) {
            /* an alias, unless a FROM column has that name */
            bool is_column = false;
            for (size_t c = 0; c < sc.n && !is_column; c++)
                is_column = same_ident(sc.cols[c].name, g->text);
            for (size_t k = 0; !is_column && k < s->num_items; k++)
                if (s->items[k].alias && same_ident(s->items[k].alias, g->text))
                    groups[i] = s->items[k].expr;
        }
        rc = collect(b, groups[i], NULL, NULL, false);
    }
    bool grouped = rc == MDL_OK && (aggs.n > 0 || s->num_group_by > 0);
    if (grouped) {
        for (size_t i = 0; i < s->num_items; i++)
            if (s->items[i].star) {
                rc = berr(b, s->items[i].pos, MDL_ERR_SCHEMA,
                          "SELECT * with GROUP BY or aggregates: list the columns");
                break;
            }
        if (rc == MDL_OK)
            rc = bind_aggregate(b, &sc, p, groups, s->num_group_by, &aggs, &p);
        if (rc == MDL_OK) {
            en.post_agg = true;
            en.groups = groups;
            en.num_groups = s->num_group_by;
            en.aggs = aggs.items;
            en.num_aggs = aggs.n;
            en.agg_schema = p->schema;
        }
    }
    if (rc == MDL_OK && s->having != NULL) {
        if (!grouped) {
            rc = berr(b, s->having->pos, MDL_ERR_SCHEMA, "HAVING without GROUP BY or aggregates");
        } else {
            sql_bound *pred = NULL;
            rc = bind_expr(b, &en, s->having, &pred);
            if (rc == MDL_OK)
                rc = wrap(b, SQL_P_FILTER, p, &p);
            if (rc == MDL_OK) {
                p->pred = pred;
                p->schema = mdl_schema_retain(p->children[0]->schema);
            } else {
                mdl_sql__bound_free(ctx, pred);
            }
        }
    }
    if (rc == MDL_OK && wins.n > 0) {
        rc = bind_window(b, &en, p, &wins, &p);
        if (rc == MDL_OK) {
            en.wins = wins.items;
            en.num_wins = wins.n;
            en.win_base = p->schema->num_fields - wins.n;
            en.win_schema = p->schema;
            if (en.post_agg)
                en.agg_schema = p->schema; /* keys and aggregates keep their columns */
        }
    }
    /* the select list, then hidden columns for ORDER BY expressions that are not in it */
    if (rc == MDL_OK)
        rc = wrap(b, SQL_P_PROJECT, p, &p);
    /* sized once: names[] points into bufs[] for generated names, so bufs must not move */
    size_t cap = num_order + 1, n = 0;
    for (size_t i = 0; i < s->num_items; i++)
        cap += s->items[i].star ? sc.n : 1;
    const char **names = rc == MDL_OK ? mdl_calloc(ctx, cap, sizeof *names) : NULL;
    mdl_type *types = rc == MDL_OK ? mdl_calloc(ctx, cap, sizeof *types) : NULL;
    char(*bufs)[32] = rc == MDL_OK ? mdl_calloc(ctx, cap, sizeof *bufs) : NULL;
    if (rc == MDL_OK && (names == NULL || types == NULL || bufs == NULL))
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < s->num_items; i++) {
        const sql_select_item *it = &s->items[i];
        if (it->star) {
            bool any = false;
            for (size_t c = 0; rc == MDL_OK && c < sc.n; c++) {
                if (it->star_qualifier && !same_ident(sc.cols[c].qual, it->star_qualifier))
                    continue;
                any = true;
                sql_bound *e;
                rc = mdl_sql__bound_column(ctx, c, sc.cols[c].type, &e, b->err);
                if (rc == MDL_OK)
                    rc = push_bound(b, &p->exprs, &p->num_exprs, e);
                names[n] = sc.cols[c].name;
                types[n] = sc.cols[c].type;
                n++;
            }
            if (rc == MDL_OK && !any)
                rc = berr(b, it->pos, MDL_ERR_NOT_FOUND, "no table '%s' in FROM for %s.*",
                          it->star_qualifier ? it->star_qualifier : "", it->star_qualifier);
            continue;
        }
        sql_bound *e;
        rc = bind_expr(b, &en, it->expr, &e);
        if (rc == MDL_OK) {
            types[n] = e->type;
            names[n] = item_name(it, bufs[n], sizeof bufs[n], i);
            n++;
            rc = push_bound(b, &p->exprs, &p->num_exprs, e);
        }
    }
    *n_visible = n;
    /* ORDER BY: ordinal, select alias, or an expression (hidden column) */
    sql_sort_key *keys = NULL;
    if (rc == MDL_OK && num_order > 0 && (keys = mdl_calloc(ctx, num_order, sizeof *keys)) == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < num_order; i++) {
        const sql_expr_ast *oe = order[i].expr;
        long target = -1;
        if (oe->kind == SQL_AST_LITERAL && oe->lit == SQL_LIT_INTEGER) {
            long k = strtol(oe->text, NULL, 10);
            if (k < 1 || (size_t)k > *n_visible) {
                rc = berr(b, oe->pos, MDL_ERR_SCHEMA,
                          "ORDER BY %ld: the select list has %zu "
                          "column(s)",
                          k, *n_visible);
                break;
            }
            target = k - 1;
        } else if (oe->kind == SQL_AST_COLUMN && oe->qualifier == NULL) {
            for (size_t k = 0; k < s->num_items && target < 0; k++)
                if (s->items[k].alias && same_ident(s->items[k].alias, oe->text))
                    target = (long)k; /* aliases of non-star items only: positions match */
            for (size_t k = 0; target >= 0 && k < (size_t)target; k++)
                if (s->items[k].star)
                    target = -1;
        }
        if (target < 0) {
            for (size_t k = 0; k < s->num_items && target < 0; k++) {
                bool before_star = true;
                for (size_t m = 0; m < k; m++)
                    before_star = before_star && !s->items[m].star;
                if (before_star && s->items[k].expr && ast_equal(s->items[k].expr, oe))
                    target = (long)k;
            }
        }
        if (target < 0) {
            if (s->distinct) {
                rc = berr(b, oe->pos, MDL_ERR_SCHEMA,
                          "with SELECT DISTINCT, ORDER BY expressions must be in the select list");
                break;
            }
            sql_bound *e;
            rc = bind_expr(b, &en, oe, &e);
            if (rc == MDL_OK) {
                target = (long)n;
                types[n] = e->type;
                snprintf(bufs[n], sizeof bufs[n], "__order_%zu", i);
                names[n] = bufs[n];
                n++;
                rc = push_bound(b, &p->exprs, &p->num_exprs, e);
            }
        }
        if (rc == MDL_OK) {
            rc = mdl_sql__bound_column(ctx, (size_t)target, types[target], &keys[i].expr, b->err);
            keys[i].desc = order[i].desc;
            keys[i].nulls_first = order[i].nulls == 1;
        }
    }
    if (rc == MDL_OK)
        rc = make_schema(b, names, types, n, &p->schema);
    mdl_free(ctx, (void *)names);
    mdl_free(ctx, types);
    mdl_free(ctx, bufs);
    if (rc == MDL_OK && s->distinct) {
        rc = wrap(b, SQL_P_DISTINCT, p, &p);
        if (rc == MDL_OK)
            p->schema = mdl_schema_retain(p->children[0]->schema);
    }
    if (rc == MDL_OK && num_order > 0) {
        rc = wrap(b, SQL_P_SORT, p, &p);
        if (rc == MDL_OK) {
            p->schema = mdl_schema_retain(p->children[0]->schema);
            p->sort = keys;
            p->num_sort = num_order;
            keys = NULL;
        }
    }
    for (size_t i = 0; keys && i < num_order; i++)
        mdl_sql__bound_free(ctx, keys[i].expr);
    mdl_free(ctx, keys);
    mdl_free(ctx, sc.cols);
    mdl_free(ctx, groups);
    mdl_free(ctx, (void *)aggs.items);
    mdl_free(ctx, (void *)wins.items);
    if (rc != MDL_OK) {
        mdl_sql__plan_free(ctx, p);
        return rc;
    }
    *out = p;
    return MDL_OK;
}

/* Keeps the first `n` columns of p's output (drops hidden ORDER BY columns). */
static int keep_columns(binder *b, sql_plan *p, size_t n, sql_plan **out)
{
    if (n == p->schema->num_fields) {
        *out = p;
        return MDL_OK;
    }
    sql_plan *q;
    int rc = wrap(b, SQL_P_PROJECT, p, &q);
    const char **names = rc == MDL_OK ? mdl_calloc(b->ctx, n + 1, sizeof *names) : NULL;
    mdl_type *types = rc == MDL_OK ? mdl_calloc(b->ctx, n + 1, sizeof *types) : NULL;
    if (rc == MDL_OK && (names == NULL || types == NULL))
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        names[i] = p->schema->fields[i].name;
        types[i] = p->schema->fields[i].type;
        sql_bound *e;
        rc = mdl_sql__bound_column(b->ctx, i, types[i], &e, b->err);
        if (rc == MDL_OK)
            rc = push_bound(b, &q->exprs, &q->num_exprs, e);
    }
    if (rc == MDL_OK)
        rc = make_schema(b, names, types, n, &q->schema);
    mdl_free(b->ctx, (void *)names);
    mdl_free(b->ctx, types);
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, q);
        return rc;
    }
    *out = q;
    return MDL_OK;
}

/* Casts the columns of a UNION ALL branch to the common types. */
static int cast_branch(binder *b, sql_plan *p, const mdl_type *types, sql_plan **out)
{
    bool same = true;
    for (size_t i = 0; i < p->schema->num_fields; i++)
        same = same && mdl_type_equal(p->schema->fields[i].type, types[i]);
    if (same) {
        *out = p;
        return MDL_OK;
    }
    size_t n = p->schema->num_fields;
    sql_plan *q;
    int rc = wrap(b, SQL_P_PROJECT, p, &q);
    const char **names = rc == MDL_OK ? mdl_calloc(b->ctx, n + 1, sizeof *names) : NULL;
    if (rc == MDL_OK && names == NULL)
        rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        names[i] = p->schema->fields[i].name;
        sql_bound *e;
        rc = mdl_sql__bound_column(b->ctx, i, p->schema->fields[i].type, &e, b->err);
        if (rc == MDL_OK && !mdl_type_equal(e->type, types[i]))
            rc = mdl_sql__bound_cast(b->ctx, e, types[i], false, &e, b->err);
        if (rc == MDL_OK)
            rc = push_bound(b, &q->exprs, &q->num_exprs, e);
    }
    if (rc == MDL_OK)
        rc = make_schema(b, names, types, n, &q->schema);
    mdl_free(b->ctx, (void *)names);
    if (rc != MDL_OK) {
        mdl_sql__plan_free(b->ctx, q);
        return rc;
    }
    *out = q;
    return MDL_OK;
}

static int bind_query(binder *b, const sql_query *q, sql_plan **out)
{
    size_t saved = b->num_ctes;
    int rc = MDL_OK;
    for (size_t i = 0; i < q->num_ctes; i++) {
        if (b->num_ctes == sizeof b->ctes / sizeof b->ctes[0]) {
            rc = berr(b, q->ctes[i].pos, MDL_ERR_LIMIT, "more than 64 CTEs");
            break;
        }
        b->ctes[b->num_ctes++] = (cte_entry){q->ctes[i].name, q->ctes[i].query};
    }
    sql_plan *p = NULL;
    bool single = q->num_selects == 1;
    size_t visible = 0;
    if (rc == MDL_OK && single) {
        rc = bind_select(b, q->selects[0], q->order, q->num_order, &p, &visible);
    } else if (rc == MDL_OK) {
        sql_plan *u = plan_new(b, SQL_P_UNION_ALL);
        if (u == NULL)
            rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
        for (size_t i = 0; rc == MDL_OK && i < q->num_selects; i++) {
            sql_plan *c;
            size_t v;
            rc = bind_select(b, q->selects[i], NULL, 0, &c, &v);
            if (rc == MDL_OK && i > 0 &&
                c->schema->num_fields != u->children[0]->schema->num_fields) {
                rc = berr(b, q->selects[i]->pos, MDL_ERR_SCHEMA,
                          "UNION ALL branches have %zu and %zu columns",
                          u->children[0]->schema->num_fields, c->schema->num_fields);
                mdl_sql__plan_free(b->ctx, c);
            } else if (rc == MDL_OK) {
                rc = add_child(b, u, c);
            }
        }
        /* common column types over the branches */
        size_t n = rc == MDL_OK ? u->children[0]->schema->num_fields : 0;
        mdl_type *types = rc == MDL_OK ? mdl_calloc(b->ctx, n + 1, sizeof *types) : NULL;
        if (rc == MDL_OK && types == NULL)
            rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
        for (size_t c = 0; rc == MDL_OK && c < n; c++) {
            types[c] = u->children[0]->schema->fields[c].type;
            for (size_t i = 1; rc == MDL_OK && i < u->num_children; i++) {
                sql_type x = {types[c], false}, y = {u->children[i]->schema->fields[c].type, false};
                rc = mdl_sql__common_type(&x, &y, &types[c], b->err);
            }
        }
        for (size_t i = 0; rc == MDL_OK && i < u->num_children; i++)
            rc = cast_branch(b, u->children[i], types, &u->children[i]);
        if (rc == MDL_OK)
            u->schema = mdl_schema_retain(u->children[0]->schema);
        mdl_free(b->ctx, types);
        p = u;
        visible = rc == MDL_OK ? u->schema->num_fields : 0;
        /* ORDER BY over a UNION: output columns by name or ordinal */
        if (rc == MDL_OK && q->num_order > 0) {
            rc = wrap(b, SQL_P_SORT, p, &p);
            if (rc == MDL_OK) {
                p->schema = mdl_schema_retain(p->children[0]->schema);
                p->sort = mdl_calloc(b->ctx, q->num_order, sizeof *p->sort);
                if (p->sort == NULL)
                    rc = mdl_error_set(b->err, MDL_ERR_NOMEM, "out of memory");
            }
            for (size_t i = 0; rc == MDL_OK && i < q->num_order; i++) {
                const sql_expr_ast *oe = q->order[i].expr;
                long target = -1;
                if (oe->kind == SQL_AST_LITERAL && oe->lit == SQL_LIT_INTEGER)
                    target = strtol(oe->text, NULL, 10) - 1;
                else if (oe->kind == SQL_AST_COLUMN)
                    target = mdl_schema_find(p->schema, mdl_sv(oe->text));
                if (target < 0 || (size_t)target >= p->schema->num_fields) {
                    rc = berr(b, oe->pos, MDL_ERR_SCHEMA,
                              "ORDER BY after UNION ALL takes output column names or ordinals");
                    break;
                }
                p->num_sort = i + 1;
                rc = mdl_sql__bound_column(b->ctx, (size_t)target, p->schema->fields[target].type,
                                           &p->sort[i].expr, b->err);
                p->sort[i].desc = q->order[i].desc;
                p->sort[i].nulls_first = q->order[i].nulls == 1;
            }
        }
        if (rc != MDL_OK) {
            mdl_sql__plan_free(b->ctx, p);
            p = NULL;
        }
    }
    if (rc == MDL_OK && (q->has_limit || q->has_offset)) {
        rc = wrap(b, SQL_P_LIMIT, p, &p);
        if (rc == MDL_OK) {
            p->schema = mdl_schema_retain(p->children[0]->schema);
            p->limit = q->has_limit ? q->limit : -1;
            p->offset = q->has_offset ? q->offset : 0;
        } else {
            p = NULL;
        }
    }
    if (rc == MDL_OK)
        rc = keep_columns(b, p, visible, &p);
    else
        p = NULL;
    b->num_ctes = saved;
    if (rc != MDL_OK)
        return rc;
    *out = p;
    return MDL_OK;
}

int mdl_sql__bind(mdl_ctx *ctx, const char *source, const sql_query *q,
                  const sql_bind_options *opts, sql_plan **out, mdl_error *err)
{
    sql_bind_options defaults = {"lake", 0, NULL, 0};
    binder b;
    memset(&b, 0, sizeof b);
    b.ctx = ctx;
    b.source = source ? source : "query";
    b.o = opts ? opts : &defaults;
    b.err = err;
    *out = NULL;
    int rc = bind_query(&b, q, out);
    if (rc == MDL_OK) {
        (*out)->subplans = b.subplans;
        (*out)->sub_literals = b.sub_literals;
        (*out)->sub_exists = b.sub_exists;
        (*out)->sub_pos = b.sub_pos;
        (*out)->num_subplans = b.num_subplans;
    } else {
        for (size_t i = 0; i < b.num_subplans; i++)
            mdl_sql__plan_free(ctx, b.subplans[i]);
        mdl_free(ctx, b.subplans);
        mdl_free(ctx, b.sub_literals);
        mdl_free(ctx, b.sub_exists);
        mdl_free(ctx, b.sub_pos);
    }
    return rc;
}
