/*
 * contract_internal.h - private declarations of the contract module: a small YAML tree built
 * from libyaml's events (with the line and column of every node), the limits that bound it,
 * and helpers shared by the parser, the set loader and the doc writer.
 */
#ifndef MDL_CONTRACT_INTERNAL_H
#define MDL_CONTRACT_INTERNAL_H

#include "medallion/contract.h"

/* Bounds on what a contract file may be (a contract is a few KiB; these are generous). */
#define MDL_CONTRACT_MAX_BYTES   (1u << 20) /* 1 MiB */
#define MDL_CONTRACT_MAX_DEPTH   16         /* nesting of mappings and lists */
#define MDL_CONTRACT_MAX_NODES   200000     /* scalars, lists and mappings together */
#define MDL_CONTRACT_MAX_SCALAR  65536      /* bytes in one scalar */
#define MDL_CONTRACT_MAX_COLUMNS 4096

typedef enum mdl_ynode_kind { MDL_YNODE_SCALAR, MDL_YNODE_SEQ, MDL_YNODE_MAP } mdl_ynode_kind;

/*
 * One YAML node. Scalars keep their text (NUL-terminated; `plain` when unquoted, so a plain
 * `null`, `~` or empty value can be told from the string "null"). A mapping's `items` are
 * key, value, key, value...; a list's are its elements. line and column are 1-based.
 */
typedef struct mdl_ynode {
    mdl_ynode_kind kind;
    char *text;
    size_t len;
    bool plain;
    int line, column;
    struct mdl_ynode **items;
    size_t count, cap;
} mdl_ynode;

/*
 * Parses YAML text into a tree: one document whose nodes have no anchors, aliases or tags
 * other than the standard ones, within the limits above. Errors are "FILE:LINE:COLUMN: ...".
 * An empty document gives *out = NULL.
 */
int mdl_contract__yaml_load(mdl_ctx *ctx, const char *file, const char *text, size_t len,
                            mdl_ynode **out, mdl_error *err);
void mdl_contract__ynode_free(mdl_ctx *ctx, mdl_ynode *n);

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
