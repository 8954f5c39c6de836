/*
 * parquet_nested.h - what the nested record writer (parquet_record_writer.c) and reader
 * (parquet_record_reader.c) share: the check of a record schema given as mdl_pq_node trees.
 */
#ifndef MDL_FORMAT_PARQUET_NESTED_H
#define MDL_FORMAT_PARQUET_NESTED_H

#include "medallion/format.h"

/*
 * Checks a record schema: at least one field, non-empty names unique among siblings, a known
 * kind, a STRUCT with at least one child, a LIST with exactly one, a MAP with exactly two whose
 * first is a non-nullable STRING leaf, leaves of type BOOLEAN, INT32, INT64, DOUBLE or STRING,
 * and no deeper nesting than MDL_PQ_MAX_NESTING. MDL_ERR_INVALID_ARG (MDL_ERR_UNSUPPORTED for a
 * leaf type, MDL_ERR_LIMIT for depth) with the dotted path of the offending node.
 */
int mdl_format__pq_nodes_check(const mdl_pq_node *fields, size_t num_fields, mdl_error *err);

#endif
