/*
 * contract_internal.h - private declarations of the contract module: the limits of a contract
 * (the YAML tree itself is in contract_yaml.h) and helpers shared by the parser, the set loader
 * and the doc writer.
 */
#ifndef MDL_CONTRACT_INTERNAL_H
#define MDL_CONTRACT_INTERNAL_H

#include "medallion/contract.h"

#include "contract_yaml.h"

/* Bounds on what a contract file may be: those of the YAML tree, and the columns. */
#define MDL_CONTRACT_MAX_BYTES   MDL_YAML_MAX_BYTES
#define MDL_CONTRACT_MAX_DEPTH   MDL_YAML_MAX_DEPTH
#define MDL_CONTRACT_MAX_NODES   MDL_YAML_MAX_NODES
#define MDL_CONTRACT_MAX_SCALAR  MDL_YAML_MAX_SCALAR
#define MDL_CONTRACT_MAX_COLUMNS 4096

/* Levenshtein distance, capped: used for "did you mean" suggestions. */

/* The bronze metadata columns (_ingestion_ts, ...) with their types and descriptions. */
typedef struct mdl_contract_meta_column {
    const char *name;
    const char *type;
    const char *description;
} mdl_contract_meta_column;
extern const mdl_contract_meta_column mdl_contract__meta_columns[];
extern const size_t mdl_contract__num_meta_columns;
bool mdl_contract__is_meta_column(const char *name);

/* Names of a pii tag and a schema mode as written in YAML. */
const char *mdl_contract__pii_name(mdl_pii pii);
const char *mdl_contract__schema_mode_name(mdl_schema_mode mode);

#endif
