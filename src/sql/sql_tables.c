/*
 * sql_tables.c - the lake tables a query reads (mdl_sql_tables): a walk over the parsed tree,
 * FROM items, joins, subqueries in expressions and CTE bodies. Lineage in the docs and the
 * sources an incremental model tracks come from here, so the answer must not depend on
 * binding: the tables need not exist yet.
 */
#include <stdio.h>
#include <string.h>

#include "medallion/sql.h"
#include "sql/sql_ast.h"

typedef struct names {
    mdl_ctx *ctx;
    char **items;
    size_t count, cap;
    mdl_error *err;
} names;

static int add_name(names *n, const char *schema, const char *name)
{
    char full[512];
    int w = snprintf(full, sizeof full, "%s.%s", schema, name);
    if (w < 0 || (size_t)w >= sizeof full)
        return mdl_error_set(n->err, MDL_ERR_LIMIT, "table name %s.%s is too long", schema, name);
    for (size_t i = 0; i < n->count; i++)
        if (strcmp(n->items[i], full) == 0)
            return MDL_OK;
    if (n->count == n->cap) {
        size_t cap = n->cap ? n->cap * 2 : 8;
        char **items = mdl_realloc(n->ctx, n->items, cap * sizeof *items);
        if (items == NULL)
            return mdl_error_set(n->err, MDL_ERR_NOMEM, "out of memory listing tables");
        n->items = items;
        n->cap = cap;
    }
    if ((n->items[n->count] = mdl_strdup(n->ctx, full)) == NULL)
        return mdl_error_set(n->err, MDL_ERR_NOMEM, "out of memory listing tables");
    n->count++;
    return MDL_OK;
}

static int walk_query(names *n, const sql_query *q);

static int walk_expr(names *n, const sql_expr_ast *e)
{
    if (e == NULL)
        return MDL_OK;
    int rc = e->query ? walk_query(n, e->query) : MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < e->num_args; i++)
        rc = walk_expr(n, e->args[i]);
    if (rc == MDL_OK && e->window != NULL) {
        for (size_t i = 0; rc == MDL_OK && i < e->window->num_partition; i++)
            rc = walk_expr(n, e->window->partition[i]);
        for (size_t i = 0; rc == MDL_OK && i < e->window->num_order; i++)
            rc = walk_expr(n, e->window->order[i].expr);
    }
    return rc;
}

static int walk_select(names *n, const sql_select *s)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < s->num_from; i++) {
        const sql_table_ref *t = &s->from[i];
        if (t->subquery != NULL)
            rc = walk_query(n, t->subquery);
        else if (t->schema != NULL && t->name != NULL)
            rc = add_name(n, t->schema, t->name);
        if (rc == MDL_OK)
            rc = walk_expr(n, t->on);
    }
    for (size_t i = 0; rc == MDL_OK && i < s->num_items; i++)
        rc = walk_expr(n, s->items[i].expr);
    if (rc == MDL_OK)
        rc = walk_expr(n, s->where);
    for (size_t i = 0; rc == MDL_OK && i < s->num_group_by; i++)
        rc = walk_expr(n, s->group_by[i]);
    if (rc == MDL_OK)
        rc = walk_expr(n, s->having);
    return rc;
}

static int walk_query(names *n, const sql_query *q)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < q->num_ctes; i++)
        rc = walk_query(n, q->ctes[i].query);
    for (size_t i = 0; rc == MDL_OK && i < q->num_selects; i++)
        rc = walk_select(n, q->selects[i]);
    for (size_t i = 0; rc == MDL_OK && i < q->num_order; i++)
        rc = walk_expr(n, q->order[i].expr);
    return rc;
}

int mdl_sql_tables(mdl_ctx *ctx, const char *sql, size_t len, const char *source, char ***out,
                   size_t *count, mdl_error *err)
{
    *out = NULL;
    *count = 0;
    sql_ast *ast = NULL;
    int rc = mdl_sql__parse(ctx, source ? source : "query", sql, len, &ast, err);
    names n = {ctx, NULL, 0, 0, err};
    if (rc == MDL_OK)
        rc = walk_query(&n, mdl_sql__ast_query(ast));
    mdl_sql__ast_free(ast);
    /* one allocation: the pointer array followed by the strings */
    size_t bytes = n.count * sizeof(char *);
    for (size_t i = 0; i < n.count; i++)
        bytes += strlen(n.items[i]) + 1;
    char **all = rc == MDL_OK ? mdl_alloc(ctx, bytes ? bytes : 1) : NULL;
    if (rc == MDL_OK && all == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory listing tables");
    char *p = all ? (char *)(all + n.count) : NULL;
    for (size_t i = 0; i < n.count; i++) {
        if (rc == MDL_OK) {
            size_t l = strlen(n.items[i]) + 1;
            memcpy(p, n.items[i], l);
            all[i] = p;
            p += l;
        }
        mdl_free(ctx, n.items[i]);
    }
    mdl_free(ctx, n.items);
    if (rc == MDL_OK) {
        *out = all;
        *count = n.count;
    }
    return rc;
}
