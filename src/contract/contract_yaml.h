/*
 * contract_yaml.h - a small YAML tree built from libyaml's events, with the line and column of
 * every node, and the limits that bound it. Contracts (contract_parse.c) and the project
 * configuration (src/pipeline/config.c) both read their files through it, so both refuse the
 * same things (anchors, aliases, tags, several documents) and report "FILE:LINE:COLUMN: ...".
 */
#ifndef MDL_CONTRACT_YAML_H
#define MDL_CONTRACT_YAML_H

#include "medallion/util.h"

/* Bounds on what a YAML file may be (contracts and configs are a few KiB; these are generous). */
#define MDL_YAML_MAX_BYTES  (1u << 20) /* 1 MiB */
#define MDL_YAML_MAX_DEPTH  16         /* nesting of mappings and lists */
#define MDL_YAML_MAX_NODES  200000     /* scalars, lists and mappings together */
#define MDL_YAML_MAX_SCALAR 65536      /* bytes in one scalar */

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
 * other than the standard ones, within the limits above. Errors are "FILE:LINE:COLUMN: ...";
 * `what` names the kind of file in them ("contract": "anchors (&a) are not allowed in a
 * contract"). An empty document gives *out = NULL.
 */
int mdl_contract__yaml_load_as(mdl_ctx *ctx, const char *file, const char *what, const char *text,
                               size_t len, mdl_ynode **out, mdl_error *err);
/* mdl_contract__yaml_load_as for a contract. */
int mdl_contract__yaml_load(mdl_ctx *ctx, const char *file, const char *text, size_t len,
                            mdl_ynode **out, mdl_error *err);
void mdl_contract__ynode_free(mdl_ctx *ctx, mdl_ynode *n);

#endif
