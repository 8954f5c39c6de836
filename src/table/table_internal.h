/*
 * table_internal.h - pieces of table.c shared with the rest of the table module: the running
 * add.stats accumulator the writer keeps while it writes a data file, so that maintenance
 * (table_maintenance.c) computes the statistics of the files it rewrites the same way, and the
 * partition layout, so that rewritten files land in the folder of their partition.
 */
#ifndef MDL_TABLE_TABLE_INTERNAL_H
#define MDL_TABLE_TABLE_INTERNAL_H

#include "medallion/core.h"
#include "medallion/table.h"
#include "table/delta_actions.h"

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

/* ---- partitions: what maintenance needs to rewrite files of a partitioned table ---------- */

/* The table's metaData (borrowed from its snapshot). */
const mdl_delta_metadata *mdl_table__metadata(const mdl_table *t);
/* The schema of the data files: the table schema without the partition columns (the table
 * schema itself when unpartitioned). Borrowed from the table. */
mdl_schema *mdl_table__data_schema(const mdl_table *t);
/* The partition values of the i-th active file (borrowed). */
const mdl_delta_map *mdl_table__file_partition_values(const mdl_table *t, size_t i);
/* True when two partition value maps name the same partition. */
bool mdl_table__same_partition(const mdl_delta_map *a, const mdl_delta_map *b);
/* Appends the folder of a partition, "col=value/.../" in partition column order ("" when
 * unpartitioned), Hive-escaped. */
int mdl_table__partition_dir(const mdl_table *t, const mdl_delta_map *values, mdl_buf *out,
                             mdl_error *err);

#endif /* MDL_TABLE_TABLE_INTERNAL_H */
