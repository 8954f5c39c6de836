/*
 * sql_op_order.h - the order-based physical operators: sort (with top-N and spilling), window
 * functions, and top-1 per key ("latest row per key"). Each is an mdl_batch_stream over a child
 * stream and works on column indexes: the planner computes every expression (sort keys, window
 * arguments, LAG defaults) into columns of the child first; operators never evaluate
 * expressions. Each operator owns its child from the call on (released with the operator, and
 * on failure to create it).
 *
 * Memory: each operator has a working-memory budget, `budget_bytes` (0 = the context's
 * limits.operator_memory_bytes, default 512 MiB). Sort spills sorted runs to temporary files
 * past it and merges them; window and top-1 cannot spill and fail with MDL_ERR_LIMIT.
 */
#ifndef MDL_SQL_SQL_OP_ORDER_H
#define MDL_SQL_SQL_OP_ORDER_H

#include "medallion/core.h"
#include "sql/sql_compare.h"

/* ---- sort ---------------------------------------------------------------------------------- */

typedef struct mdl_sql_sort_options {
    const mdl_sql_sort_key *keys; /* copied */
    size_t num_keys;
    bool has_limit; /* top-N: only the first `limit` rows are produced */
    size_t limit;
    size_t budget_bytes;  /* 0 = ctx->limits.operator_memory_bytes */
    const char *temp_dir; /* for spilled runs; NULL = $TMPDIR, else /tmp. Copied. */
} mdl_sql_sort_options;

/*
 * A stable sort of the child's rows by `keys` (rows equal on every key keep their input
 * order). Output: the child's schema, batches of at most ctx batch_rows rows. With a limit,
 * only the best `limit` rows are kept in memory at any time (bounded top-N, no spilling).
 * Otherwise, when the buffered input passes the budget, it is sorted and written to a
 * temporary file (one run); at the end the runs are merged k-way. Run files are removed as
 * soon as the merge has opened them and on every failure path.
 */
int mdl_sql__sort_new(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_sql_sort_options *opt,
                      mdl_batch_stream **out, mdl_error *err);

/* How many temporary run files a sort stream has written so far (tests, metrics). */
size_t mdl_sql__sort_spilled_runs(const mdl_batch_stream *sort);

/* ---- window -------------------------------------------------------------------------------- */

typedef enum mdl_sql_window_kind {
    MDL_SQL_WIN_ROW_NUMBER = 1,
    MDL_SQL_WIN_RANK,
    MDL_SQL_WIN_DENSE_RANK,
    MDL_SQL_WIN_LAG,
    MDL_SQL_WIN_LEAD,
    MDL_SQL_WIN_FIRST_VALUE,
    MDL_SQL_WIN_LAST_VALUE,
    MDL_SQL_WIN_SUM,
    MDL_SQL_WIN_COUNT,      /* COUNT(column): non-null values */
    MDL_SQL_WIN_COUNT_STAR, /* COUNT(*): rows */
    MDL_SQL_WIN_MIN,
    MDL_SQL_WIN_MAX,
    MDL_SQL_WIN_AVG
} mdl_sql_window_kind;

typedef enum mdl_sql_frame_bound_kind {
    MDL_SQL_FRAME_UNBOUNDED_PRECEDING = 1,
    MDL_SQL_FRAME_PRECEDING, /* n PRECEDING */
    MDL_SQL_FRAME_CURRENT_ROW,
    MDL_SQL_FRAME_FOLLOWING, /* n FOLLOWING */
    MDL_SQL_FRAME_UNBOUNDED_FOLLOWING
} mdl_sql_frame_bound_kind;

typedef struct mdl_sql_frame_bound {
    mdl_sql_frame_bound_kind kind;
    uint64_t n; /* PRECEDING / FOLLOWING */
} mdl_sql_frame_bound;

typedef struct mdl_sql_window_fn {
    mdl_sql_window_kind kind;
    const char *name; /* output column name (copied) */
    size_t column;    /* the argument column (not used by ROW_NUMBER, RANK, DENSE_RANK, COUNT(*)) */
    uint64_t offset;  /* LAG/LEAD n (the SQL default is 1) */
    long default_column; /* LAG/LEAD default: a column of the child, or -1 for NULL */
    /* Frame of FIRST_VALUE, LAST_VALUE and the aggregates. false: the SQL default (with ORDER
     * BY: RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW, peers included; without: the
     * whole partition). true: ROWS BETWEEN start AND end. */
    bool rows_frame;
    mdl_sql_frame_bound start, end;
} mdl_sql_window_fn;

typedef struct mdl_sql_window_options {
    const size_t *partition; /* PARTITION BY column indexes */
    size_t num_partition;
    const mdl_sql_sort_key *order; /* ORDER BY */
    size_t num_order;
    const mdl_sql_window_fn *fns; /* all over this one window (the planner chains operators
                                     for different windows) */
    size_t num_fns;
    size_t budget_bytes;  /* the sort's budget, and the bound on one partition's rows */
    const char *temp_dir; /* for the sort's spilled runs */
} mdl_sql_window_options;

/*
 * The child's columns followed by one column per function. Rows come out sorted by
 * (partition columns ASC NULLS LAST, then the ORDER BY keys), stable: SQL leaves the order
 * undefined, this is what we produce. Result types (as DuckDB): ROW_NUMBER, RANK,
 * DENSE_RANK, COUNT -> int64; SUM of boolean/int32/int64 -> decimal(38,0) (DuckDB's HUGEINT),
 * of decimal(p,s) -> decimal(38,s), of double -> double; AVG -> double; MIN, MAX, LAG, LEAD,
 * FIRST_VALUE, LAST_VALUE -> the argument's type. A partition larger than the budget is
 * MDL_ERR_LIMIT. Argument types that have no SUM/AVG (string, date, timestamp) are
 * MDL_ERR_SCHEMA.
 */
int mdl_sql__window_new(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_sql_window_options *opt,
                        mdl_batch_stream **out, mdl_error *err);

/* ---- top-1 per key ------------------------------------------------------------------------- */

typedef struct mdl_sql_top1_options {
    const size_t *keys; /* the PARTITION BY columns */
    size_t num_keys;
    const mdl_sql_sort_key *order; /* the ORDER BY keys that pick the winner */
    size_t num_order;
    size_t budget_bytes; /* 0 = ctx->limits.operator_memory_bytes; past it MDL_ERR_LIMIT */
} mdl_sql_top1_options;

/*
 * `SELECT * EXCLUDE rn FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY keys ORDER BY order)
 * AS rn ...) WHERE rn = 1` in one pass without sorting: a hash table from the serialized key
 * to the best row so far. Output: the child's schema, one row per distinct key (NULL keys
 * are one key, -0 = 0 and NaN = NaN as in PARTITION BY), in order of each key's first
 * appearance in the input. Among rows equal on `order`, the first in input order wins, as
 * ROW_NUMBER over a stable sort would pick.
 */
int mdl_sql__top1_new(mdl_ctx *ctx, mdl_batch_stream *child, const mdl_sql_top1_options *opt,
                      mdl_batch_stream **out, mdl_error *err);

/* Opens (again) the input of an operator that reads it twice. */
typedef int (*mdl_sql_stream_open_fn)(void *arg, mdl_batch_stream **out, mdl_error *err);

/*
 * The same answer from two reads of the input, for wide rows: the first read keeps only the
 * key and ORDER BY columns and the winner's row number per key; the second read (a fresh
 * stream from `open`, which must give the same rows in the same order: a table snapshot
 * does) passes the winning rows through. Memory grows with the number of keys times the key
 * and order width, not the row width. Output: the winning rows in input order. `open` is
 * called once here and once at the first next(); its stream is owned and released by the
 * operator. A second read with another schema or more rows is MDL_ERR_SCHEMA.
 */
int mdl_sql__top1_rescan_new(mdl_ctx *ctx, mdl_sql_stream_open_fn open, void *open_arg,
                             const mdl_sql_top1_options *opt, mdl_batch_stream **out,
                             mdl_error *err);

/* ---- shared helpers (sql_op_sort.c) -------------------------------------------------------- */

/* Grows the fixed-width storage (and validity) of `col` to at least `rows` rows. */
int mdl_sql__column_reserve(mdl_ctx *ctx, mdl_column *col, size_t rows, mdl_error *err);
/* Appends row `row` of `src` to `dst` (same type, room for one more row). */
int mdl_sql__column_append_from(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src, size_t row,
                                mdl_error *err);
/* Bytes a batch's buffers hold (its memory cost, for budgets). */
size_t mdl_sql__batch_bytes(const mdl_batch *batch);
/* The budget in effect: `budget` or, when 0, the context's operator_memory_bytes. */
size_t mdl_sql__budget(const mdl_ctx *ctx, size_t budget);

#endif /* MDL_SQL_SQL_OP_ORDER_H */
