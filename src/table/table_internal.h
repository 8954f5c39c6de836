/*
 * table_internal.h - pieces of table.c shared with the rest of the table module: the running
 * add.stats accumulator the writer keeps while it writes a data file, so that maintenance
 * (table_maintenance.c) computes the statistics of the files it rewrites the same way.
 */
#ifndef MDL_TABLE_TABLE_INTERNAL_H
#define MDL_TABLE_TABLE_INTERNAL_H

#include "medallion/core.h"

/* Per-column statistics of the rows seen so far, for one data file. */
typedef struct mdl_table__stats_acc {
    mdl_ctx *ctx;
    mdl_schema *schema; /* borrowed */
    uint64_t rows;
    mdl_batch *min, *max; /* one row each: running per-column minimum and maximum */
    int64_t *nulls;
} mdl_table__stats_acc;

/* Starts an empty accumulator for batches of `schema` (which must outlive it). */
int mdl_table__stats_acc_init(mdl_ctx *ctx, mdl_schema *schema, mdl_table__stats_acc *acc,
                              mdl_error *err);
/* Counts the rows, nulls and min/max (NaN is skipped) of one batch. */
int mdl_table__stats_acc_add(mdl_table__stats_acc *acc, const mdl_batch *b, mdl_error *err);
/* The add.stats JSON text of everything added (context allocation, into *out). */
int mdl_table__stats_acc_build(const mdl_table__stats_acc *acc, char **out, mdl_error *err);
/* Frees what the accumulator owns; a zeroed one is fine. */
void mdl_table__stats_acc_reset(mdl_table__stats_acc *acc);

#endif /* MDL_TABLE_TABLE_INTERNAL_H */
