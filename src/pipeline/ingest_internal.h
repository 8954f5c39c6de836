/*
 * ingest_internal.h - the file source behind bronze ingestion: opens one landing file in the
 * contract's format (CSV, JSON lines, or a JSON document whose records sit at
 * `records_path`) as a stream of batches with the contract's types, after checking its
 * columns against the contract and applying the schema mode.
 */
#ifndef MDL_PIPELINE_INGEST_INTERNAL_H
#define MDL_PIPELINE_INGEST_INTERNAL_H

#include "medallion/pipeline.h"

typedef struct mdl_source_reader {
    mdl_ctx *ctx;
    mdl_batch_stream *stream; /* batches; column i is table column table_names->fields[i] */
    mdl_schema *table_names;  /* the batches' columns under their table names */
    size_t added;             /* columns schema evolution added to the table for this file */
    uint64_t size;            /* bytes of the file */
    void *impl;               /* the format reader, for its statistics */
    int format;
    char *doc; /* a JSON document's records as JSON lines */
} mdl_source_reader;

/*
 * Opens landing file `rel` (relative to `landing_root`) of the contract's source. `table` is
 * the bronze table's current schema (its evolved columns are read too when the file has
 * them); columns the file has beyond the contract are refused (freeze), added to `bronze`
 * (evolve) or ignored (discard modes). Rows that do not convert go to `on_reject`.
 */
int mdl_pipeline__source_open(mdl_ctx *ctx, const mdl_contract *c, const char *landing_root,
                              const char *rel, mdl_schema *table, mdl_storage *bronze,
                              mdl_reject_fn on_reject, void *payload, mdl_source_reader **out,
                              mdl_error *err);
void mdl_pipeline__source_stats(const mdl_source_reader *r, mdl_read_stats *out);
void mdl_pipeline__source_close(mdl_source_reader *r);

/* True for the metadata columns ingestion adds (_ingestion_ts, ...). */
bool mdl_pipeline__is_meta_column(const char *name);

#endif
