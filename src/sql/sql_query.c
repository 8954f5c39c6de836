/*
 * sql_query.c - the public entry points (medallion/sql.h): parse, bind, run; and the plan
 * printed for --explain. The returned stream owns the syntax tree, the plan and the
 * execution state, so everything lives exactly as long as the caller reads.
 */
#include <string.h>

#include "medallion/sql.h"
#include "sql/sql_exec.h"

void mdl_sql_options_init(mdl_sql_options *o)
{
    memset(o, 0, sizeof *o);
    o->lake_root = "lake";
    o->source = "query";
}

typedef struct query_state {
    mdl_ctx *ctx;
    sql_ast *ast;
    sql_plan *plan;
    sql_exec_options exec;
    mdl_batch_stream *root;
} query_state;

static int query_next(void *state, mdl_batch **out, mdl_error *err)
{
    query_state *s = state;
    return mdl_batch_stream_next(s->root, out, err);
}

static void query_free(void *state)
{
    query_state *s = state;
    mdl_batch_stream_release(s->root);
    mdl_sql__exec_options_reset(&s->exec);
    mdl_sql__plan_free(s->ctx, s->plan);
    mdl_sql__ast_free(s->ast);
    mdl_free(s->ctx, s);
}

static const mdl_batch_source QUERY = {query_next, query_free};

static int prepare(mdl_ctx *ctx, const char *sql, size_t len, const mdl_sql_options *opts,
                   bool run_subqueries, query_state **out, mdl_error *err)
{
    mdl_sql_options defaults;
    if (opts == NULL) {
        mdl_sql_options_init(&defaults);
        opts = &defaults;
    }
    query_state *s = mdl_calloc(ctx, 1, sizeof *s);
    if (s == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    s->ctx = ctx;
    const char *source = opts->source ? opts->source : "query";
    int rc = mdl_sql__parse(ctx, source, sql, len, &s->ast, err);
    if (rc == MDL_OK) {
        sql_bind_options bo = {opts->lake_root ? opts->lake_root : "lake", mdl_now_micros(),
                               opts->pins, opts->num_pins};
        rc = mdl_sql__bind(ctx, source, mdl_sql__ast_query(s->ast), &bo, &s->plan, err);
    }
    if (rc == MDL_OK && run_subqueries)
        rc = mdl_sql__run_subqueries(ctx, source, s->plan, opts->memory_bytes, err);
    if (rc == MDL_OK)
        rc = mdl_sql__optimize(ctx, s->plan, err);
    s->exec.ctx = ctx;
    s->exec.budget_bytes = opts->memory_bytes;
    s->exec.temp_dir = opts->temp_dir;
    if (rc != MDL_OK) {
        query_free(s);
        return rc;
    }
    *out = s;
    return MDL_OK;
}

int mdl_sql_query(mdl_ctx *ctx, const char *sql, size_t len, const mdl_sql_options *opts,
                  mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    query_state *s;
    int rc = prepare(ctx, sql, len, opts, true, &s, err);
    if (rc != MDL_OK)
        return rc;
    rc = mdl_sql__exec(ctx, s->plan, &s->exec, &s->root, err);
    if (rc != MDL_OK) {
        query_free(s);
        return rc;
    }
    return mdl_batch_stream_wrap(ctx, s->plan->schema, &QUERY, s, out, err);
}

/* ---- explain ------------------------------------------------------------------------------- */

static const char *kind_name(sql_plan_kind k)
{
    static const char *const names[] = {"?",       "Scan",      "OneRow",   "Filter",
                                        "Project", "Aggregate", "Join",     "Sort",
                                        "Limit",   "UnionAll",  "Distinct", "Window"};
    return (size_t)k < sizeof names / sizeof names[0] ? names[k] : "?";
}

static int format_node(const sql_plan *p, int depth, mdl_buf *out, mdl_error *err)
{
    int rc = mdl_buf_printf(out, err, "%*s%s", depth * 2, "", kind_name(p->kind));
    if (rc == MDL_OK && p->kind == SQL_P_SCAN) {
        size_t nread = p->schema->num_fields;
        if (p->scan_columns != NULL) {
            nread = 0;
            for (size_t i = 0; i < p->schema->num_fields; i++)
                nread += p->scan_columns[i];
        }
        rc = mdl_buf_printf(out, err, " %s (%zu files, reads %zu of %zu columns)", p->table_name,
                            mdl_table_num_files(p->table), nread, p->schema->num_fields);
    }
    if (rc == MDL_OK && p->kind == SQL_P_AGGREGATE)
        rc = mdl_buf_printf(out, err, " keys=%zu aggregates=%zu", p->num_keys, p->num_aggs);
    if (rc == MDL_OK && p->kind == SQL_P_JOIN)
        rc = mdl_buf_printf(out, err, " %s keys=%zu%s",
                            p->semi                     ? "semi"
                            : p->anti                   ? "anti (NOT IN)"
                            : p->join == SQL_JOIN_LEFT  ? "left"
                            : p->join == SQL_JOIN_RIGHT ? "right"
                            : p->join == SQL_JOIN_FULL  ? "full"
                            : p->join == SQL_JOIN_CROSS ? "cross"
                                                        : "inner",
                            p->num_join_keys, p->residual ? " +residual" : "");
    if (rc == MDL_OK && p->kind == SQL_P_LIMIT)
        rc = mdl_buf_printf(out, err, " %lld offset %lld", (long long)p->limit,
                            (long long)p->offset);
    if (rc == MDL_OK && p->kind == SQL_P_WINDOW)
        rc = mdl_buf_printf(out, err, " functions=%zu%s", p->num_wins,
                            p->top1 ? " (latest row per key: hash, no sort)" : "");
    for (size_t i = 0; rc == MDL_OK && p->kind == SQL_P_SCAN && i < p->num_pushed; i++)
        rc = mdl_buf_printf(out, err, "%s%s", i ? " AND " : " skip files unless ",
                            p->pushed[i].column);
    if (rc == MDL_OK && p->kind == SQL_P_SORT)
        rc = mdl_buf_printf(out, err, " keys=%zu", p->num_sort);
    /* output columns (the first few: a plan is for reading) */
    size_t shown = p->schema->num_fields > 6 ? 5 : p->schema->num_fields;
    for (size_t i = 0; rc == MDL_OK && i < shown; i++) {
        char t[64];
        mdl_type_format(p->schema->fields[i].type, t, sizeof t);
        rc = mdl_buf_printf(out, err, "%s%s %s", i ? ", " : " -> ", p->schema->fields[i].name, t);
    }
    if (rc == MDL_OK && shown < p->schema->num_fields)
        rc = mdl_buf_printf(out, err, ", ... (%zu columns)", p->schema->num_fields);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "\n", 1, err);
    for (size_t i = 0; rc == MDL_OK && i < p->num_children; i++)
        rc = format_node(p->children[i], depth + 1, out, err);
    return rc;
}

int mdl_sql__plan_format(const sql_plan *p, mdl_buf *out, mdl_error *err)
{
    return format_node(p, 0, out, err);
}

int mdl_sql_explain(mdl_ctx *ctx, const char *sql, size_t len, const mdl_sql_options *opts,
                    mdl_buf *out, mdl_error *err)
{
    query_state *s;
    int rc = prepare(ctx, sql, len, opts, false, &s, err);
    if (rc != MDL_OK)
        return rc;
    rc = mdl_sql__plan_format(s->plan, out, err);
    query_free(s);
    return rc;
}
