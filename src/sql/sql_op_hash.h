/*
 * sql_op_hash.h - the hash-based physical operators and the simple stream operators: hash
 * aggregate, hash join (INNER, LEFT, RIGHT, FULL, CROSS, SEMI, ANTI), LIMIT/OFFSET, UNION ALL
 * and DISTINCT. Each is an mdl_batch_stream that pulls from child streams.
 *
 * Operators work on column indexes only: the planner first projects every computed key or
 * aggregate argument into a column, so no operator evaluates expressions (the one exception
 * is the join's residual predicate, which the planner hands in as a callback).
 *
 * Ownership: every constructor takes ownership of its child streams, also when it fails (it
 * releases them then). Output batches belong to the caller.
 *
 * Memory: the blocking operators (aggregate, join build side, distinct) count the bytes they
 * hold (hash tables, stored rows, group states) against `budget_bytes` (0 = the context's
 * limits.operator_memory_bytes) and fail with MDL_ERR_LIMIT and a message naming both sizes
 * once they pass it. Nothing spills to disk yet (docs/sql.md, "Semantics").
 */
#ifndef MDL_SQL_SQL_OP_HASH_H
#define MDL_SQL_SQL_OP_HASH_H

#include "medallion/core.h"

/* ---- hash aggregate ------------------------------------------------------------------------ */

/* The values of the first seven match sql_plan.h's sql_agg_kind. */
typedef enum sql_hagg_kind {
    SQL_HAGG_COUNT_STAR = 1, /* COUNT(*): int64, never NULL; `column` unused */
    SQL_HAGG_COUNT,          /* COUNT(col): int64, non-NULL values */
    SQL_HAGG_SUM,            /* int32/int64 -> decimal(38,0); decimal(p,s) -> decimal(38,s);
                                double -> double */
    SQL_HAGG_AVG,            /* any numeric -> double */
    SQL_HAGG_MIN,            /* same type */
    SQL_HAGG_MAX,            /* same type */
    SQL_HAGG_ANY_VALUE,      /* same type: the first non-NULL value seen */
    SQL_HAGG_COUNT_DISTINCT  /* COUNT(DISTINCT col): int64, exact */
} sql_hagg_kind;

typedef struct sql_agg_spec {
    sql_hagg_kind kind;
    size_t column;    /* input column index (not for COUNT_STAR) */
    const char *name; /* output column name; NULL: "agg<i>" */
} sql_agg_spec;

/* The result type of an aggregate over an input of type `in`; MDL_ERR_SCHEMA when it does
 * not apply (SUM/AVG of a string, date, timestamp or boolean). */
int mdl_sql__agg_result_type(sql_hagg_kind kind, mdl_type in, mdl_type *out, mdl_error *err);

/*
 * GROUP BY `keys` (input column indexes, 0..n) computing `aggs`. Output columns: the key
 * columns (same names and types) then one column per aggregate. Groups come out in the order
 * their first row arrived; NULL keys form one group. With no keys there is exactly one group,
 * also for an empty input (COUNT 0, other aggregates NULL).
 */
int mdl_sql__op_hash_aggregate(mdl_ctx *ctx, mdl_batch_stream *child, const size_t *keys,
                               size_t num_keys, const sql_agg_spec *aggs, size_t num_aggs,
                               size_t budget_bytes, mdl_batch_stream **out, mdl_error *err);

/* ---- hash join ------------------------------------------------------------------------------ */

typedef enum sql_hjoin_type {
    SQL_HJOIN_INNER = 1,
    SQL_HJOIN_LEFT,
    SQL_HJOIN_RIGHT,
    SQL_HJOIN_FULL,
    SQL_HJOIN_CROSS, /* no keys; same as INNER with num_keys 0 */
    SQL_HJOIN_SEMI,  /* left rows with at least one match, each once; left columns only */
    SQL_HJOIN_ANTI   /* left rows without a match; left columns only */
} sql_hjoin_type;

/*
 * Residual predicate over candidate pairs: `joined` has the left columns then the right
 * columns (the INNER output schema) of the pairs whose keys are equal; set keep[r] = 1 where
 * the condition is TRUE (0 for FALSE and NULL). Returns MDL_OK or an error, which the join
 * returns unchanged.
 */
typedef int (*sql_join_residual_fn)(void *user, const mdl_batch *joined, uint8_t *keep,
                                    mdl_error *err);

typedef struct sql_join_spec {
    sql_hjoin_type type;
    const size_t *left_keys; /* equi-join key columns, pairwise of equal types */
    const size_t *right_keys;
    size_t num_keys; /* 0: every pair is a candidate (CROSS, or non-equi ON via residual) */
    /*
     * ANTI only: NOT IN semantics (`x NOT IN (SELECT y ...)`): when the right side has a NULL
     * key no left row is returned, and a left row with a NULL key is returned only when the
     * right side is empty. Needs exactly one key and no residual.
     */
    bool null_aware;
    sql_join_residual_fn residual; /* NULL: none */
    void *residual_user;
    /* Estimated rows of each input, 0 = unknown. The left input is built (hashed) only when
     * both are known and left is the smaller; otherwise the right input is. */
    uint64_t left_rows_hint, right_rows_hint;
    size_t budget_bytes; /* 0: ctx->limits.operator_memory_bytes */
} sql_join_spec;

/*
 * Hash join. Output: the left columns then the right columns (SEMI/ANTI: left only); the
 * columns of an outer side are nullable; a right column whose name is already taken gets a
 * suffix "_1", "_2", ... NULL keys never match.
 */
int mdl_sql__op_hash_join(mdl_ctx *ctx, mdl_batch_stream *left, mdl_batch_stream *right,
                          const sql_join_spec *spec, mdl_batch_stream **out, mdl_error *err);

/* ---- misc ----------------------------------------------------------------------------------- */

#define SQL_NO_LIMIT UINT64_MAX

/* Skips `offset` rows, then passes at most `limit` rows (SQL_NO_LIMIT: all); stops pulling
 * from the child once the limit is reached. */
int mdl_sql__op_limit(mdl_ctx *ctx, mdl_batch_stream *child, uint64_t limit, uint64_t offset,
                      mdl_batch_stream **out, mdl_error *err);

/* The children's rows one child after another. All children must have the same column
 * types (MDL_ERR_SCHEMA otherwise); names come from the first. Batches are passed through,
 * so each carries its child's schema (same types). */
int mdl_sql__op_union_all(mdl_ctx *ctx, mdl_batch_stream **children, size_t num_children,
                          mdl_batch_stream **out, mdl_error *err);

/* SELECT DISTINCT over all columns: the first row of every distinct row value, in input order
 * (NULLs equal each other), streamed. Memory counted like the hash operators. */
int mdl_sql__op_distinct(mdl_ctx *ctx, mdl_batch_stream *child, size_t budget_bytes,
                         mdl_batch_stream **out, mdl_error *err);

/* internal: the budget-exceeded error shared by the operators (the effective budget itself is
 * mdl_sql__budget, sql_op_order.h) */
int mdl_sql__budget_error(mdl_error *err, const char *what, size_t held, size_t budget);

#endif /* MDL_SQL_SQL_OP_HASH_H */
