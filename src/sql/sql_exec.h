/*
 * sql_exec.h - running a logical plan as a tree of batch streams (sql_exec.c).
 */
#ifndef MDL_SQL_SQL_EXEC_H
#define MDL_SQL_SQL_EXEC_H

#include "sql/sql_plan.h"

typedef struct sql_exec_options {
    mdl_ctx *ctx;
    size_t budget_bytes;  /* per blocking operator; 0 = ctx->limits.operator_memory_bytes */
    const char *temp_dir; /* spilled sort runs; NULL = $TMPDIR */
    /* state the streams borrow until the query is released (join residuals) */
    void **keep;
    mdl_schema **keep_schemas;
    size_t num_keep;
} sql_exec_options;

/* The plan's root as a stream; the plan and `o` must outlive it. */
int mdl_sql__exec(mdl_ctx *ctx, const sql_plan *p, sql_exec_options *o, mdl_batch_stream **out,
                  mdl_error *err);
/* Keeps `mem` (and a schema reference) alive until mdl_sql__exec_options_reset. */
int mdl_sql__exec_keep(sql_exec_options *o, mdl_schema *schema, void *mem, mdl_error *err);
void mdl_sql__exec_options_reset(sql_exec_options *o);

#endif
