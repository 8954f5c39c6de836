/*
 * sql_plan.h - logical query plans: what the binder (sql_binder.c) makes of a syntax tree
 * once every name is resolved and every expression typed, and what the planner
 * (sql_planner.c) turns into a tree of physical operators. Each node produces rows of
 * `schema`; expressions in a node are bound over the rows of its input (for a join: the left
 * columns, then the right ones).
 */
#ifndef MDL_SQL_SQL_PLAN_H
#define MDL_SQL_SQL_PLAN_H

#include "medallion/sql.h"
#include "medallion/storage.h"
#include "medallion/table.h"
#include "sql/sql_ast.h"
#include "sql/sql_expr.h"

typedef enum sql_plan_kind {
    SQL_P_SCAN = 1, /* a lake table */
    SQL_P_ONE_ROW,  /* SELECT without FROM: one row, no columns */
    SQL_P_FILTER,   /* rows of the child where `pred` is true */
    SQL_P_PROJECT,  /* exprs over the child */
    SQL_P_AGGREGATE,
    SQL_P_JOIN,
    SQL_P_SORT,
    SQL_P_LIMIT,
    SQL_P_UNION_ALL, /* children[0..num_children) */
    SQL_P_DISTINCT,
    SQL_P_WINDOW
} sql_plan_kind;

typedef enum sql_agg_kind {
    SQL_AGG_COUNT_STAR = 1,
    SQL_AGG_COUNT,
    SQL_AGG_SUM,
    SQL_AGG_AVG,
    SQL_AGG_MIN,
    SQL_AGG_MAX,
    SQL_AGG_ANY_VALUE
} sql_agg_kind;

typedef struct sql_plan_agg {
    sql_agg_kind kind;
    bool distinct;
    sql_bound *arg; /* over the child; NULL for COUNT(*) */
    mdl_type type;  /* result */
} sql_plan_agg;

typedef enum sql_win_kind {
    SQL_WIN_ROW_NUMBER = 1,
    SQL_WIN_RANK,
    SQL_WIN_DENSE_RANK,
    SQL_WIN_LAG,
    SQL_WIN_LEAD,
    SQL_WIN_FIRST_VALUE,
    SQL_WIN_LAST_VALUE,
    SQL_WIN_AGG /* agg over the frame */
} sql_win_kind;

typedef struct sql_sort_key {
    sql_bound *expr;
    bool desc;
    bool nulls_first;
} sql_sort_key;

typedef struct sql_plan_win {
    sql_win_kind kind;
    sql_agg_kind agg; /* SQL_WIN_AGG */
    sql_bound *arg;   /* the value (LAG/LEAD/FIRST/LAST/agg), or NULL */
    int64_t offset;   /* LAG/LEAD */
    sql_bound *dflt;  /* LAG/LEAD default (a literal), or NULL */
    sql_bound **partition;
    size_t num_partition;
    sql_sort_key *order;
    size_t num_order;
    bool has_frame, frame_rows;
    sql_frame_bound start, end;
    int64_t start_n, end_n;
    mdl_type type;
} sql_plan_win;

typedef struct sql_plan sql_plan;
struct sql_plan {
    sql_plan_kind kind;
    mdl_schema *schema; /* output columns (names are for display and SELECT *) */
    sql_plan **children;
    size_t num_children;
    /* SCAN */
    char *table_name; /* "silver.orders" */
    mdl_storage *storage;
    mdl_table *table;
    bool table_borrowed;   /* a pinned open table (mdl_sql_table_pin.table): not closed here */
    mdl_predicate *pushed; /* simple predicates for file skipping (not row filtering) */
    size_t num_pushed;
    bool *scan_columns; /* per table column: read it (NULL: all); set by mdl_sql__optimize */
    /* FILTER */
    sql_bound *pred;
    /* PROJECT */
    sql_bound **exprs;
    size_t num_exprs;
    /* AGGREGATE: output = keys then aggs */
    sql_bound **keys;
    size_t num_keys;
    sql_plan_agg *aggs;
    size_t num_aggs;
    /* JOIN: output = left columns then right columns */
    sql_join_type join;
    bool semi, anti, null_aware;
    sql_bound **left_keys, **right_keys; /* over the left / right child */
    size_t num_join_keys;
    sql_bound *residual; /* over left ++ right, or NULL */
    /* SORT */
    sql_sort_key *sort;
    size_t num_sort;
    /* LIMIT */
    int64_t limit, offset; /* limit < 0: none */
    /* WINDOW: output = child columns then one per function */
    sql_plan_win *wins;
    size_t num_wins;
    bool top1; /* a lone ROW_NUMBER() that only its `= 1` rows survive: latest row per key */
    /* root only: uncorrelated scalar subqueries and EXISTS outside WHERE conjuncts, run
     * before the query; their values replace the placeholder literals */
    sql_plan **subplans;
    sql_bound **sub_literals; /* borrowed: live in the plan's expressions */
    bool *sub_exists;
    sql_pos *sub_pos;
    size_t num_subplans;
};

typedef struct sql_bind_options {
    const char *lake_root;         /* layer.table -> <lake_root>/<layer>/<table> */
    int64_t now_us;                /* current_timestamp / current_date of the query */
    const mdl_sql_table_pin *pins; /* snapshots to read (mdl_sql_options) */
    size_t num_pins;
} sql_bind_options;

/* Binds a parsed query into a logical plan. Errors point at the query's source:line:column
 * with the offending name and, for unknown columns and tables, the closest existing one. */
int mdl_sql__bind(mdl_ctx *ctx, const char *source, const sql_query *q,
                  const sql_bind_options *opts, sql_plan **out, mdl_error *err);
void mdl_sql__plan_free(mdl_ctx *ctx, sql_plan *p);
/*
 * Rewrites a bound plan for execution: simple WHERE conditions on a table's columns are
 * copied into its scan as file-skipping predicates (the filter stays), and a ROW_NUMBER()
 * window whose rows are then filtered to `= 1` is marked `top1` (one row per key, no sort).
 */
int mdl_sql__optimize(mdl_ctx *ctx, sql_plan *p, mdl_error *err);
/* Sets need[i] for every column i < n that `e` reads. */
void mdl_sql__mark_columns(const sql_bound *e, bool *need, size_t n);
/* A deep copy of a bound expression. */
int mdl_sql__bound_copy(mdl_ctx *ctx, const sql_bound *e, sql_bound **out, mdl_error *err);
/* Estimated rows a plan produces (from Delta stats; 0 = unknown), for join build sides. */
uint64_t mdl_sql__rows_hint(const sql_plan *p);

/* Runs the root's scalar subqueries and stores their values in their literals. */
int mdl_sql__run_subqueries(mdl_ctx *ctx, const char *source, sql_plan *root, size_t budget,
                            mdl_error *err);

/* The plan as an indented tree (for --explain). */
int mdl_sql__plan_format(const sql_plan *p, mdl_buf *out, mdl_error *err);

#endif
