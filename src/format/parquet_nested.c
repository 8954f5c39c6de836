/*
 * parquet_nested.c - checks record schemas for the nested Parquet writer and reader, so both
 * can rely on well-formed trees (child counts, map keys, leaf types, bounded depth).
 */
#include <stdio.h>
#include <string.h>

#include "parquet_nested.h"

static int check_node(const mdl_pq_node *n, const char *parent, int depth, mdl_error *err);

static int check_list(const mdl_pq_node *nodes, size_t count, const char *parent, int depth,
                      mdl_error *err)
{
    for (size_t i = 0; i < count; i++) {
        int rc = check_node(&nodes[i], parent, depth, err);
        if (rc != MDL_OK)
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(nodes[i].name, nodes[j].name) == 0)
                return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                     "record schema: field '%s%s%s' is named twice", parent,
                                     *parent ? "." : "", nodes[i].name);
    }
    return MDL_OK;
}

static int check_node(const mdl_pq_node *n, const char *parent, int depth, mdl_error *err)
{
    char path[512];
    if (n->name == NULL || n->name[0] == '\0')
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "record schema: a field under '%s' has "
                             "no name",
                             *parent ? parent : "(record)");
    snprintf(path, sizeof path, "%s%s%s", parent, *parent ? "." : "", n->name);
    if (n->kind != MDL_PQ_LEAF && depth + 1 > MDL_PQ_MAX_NESTING)
        return mdl_error_set(err, MDL_ERR_LIMIT,
                             "record schema: '%s' is nested deeper than %d levels", path,
                             MDL_PQ_MAX_NESTING);
    switch (n->kind) {
    case MDL_PQ_LEAF:
        switch (n->type.id) {
        case MDL_TYPE_BOOLEAN:
        case MDL_TYPE_INT32:
        case MDL_TYPE_INT64:
        case MDL_TYPE_DOUBLE:
        case MDL_TYPE_STRING:
            return MDL_OK;
        default:
            return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                 "record schema: '%s' has a type nested records do not support "
                                 "(BOOLEAN, INT32, INT64, DOUBLE and STRING are)",
                                 path);
        }
    case MDL_PQ_STRUCT:
        if (n->num_children == 0 || n->children == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "record schema: struct '%s' has no "
                                 "fields",
                                 path);
        return check_list(n->children, n->num_children, path, depth + 1, err);
    case MDL_PQ_LIST:
        if (n->num_children != 1 || n->children == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "record schema: list '%s' needs exactly one element node", path);
        return check_node(&n->children[0], path, depth + 1, err);
    case MDL_PQ_MAP:
        if (n->num_children != 2 || n->children == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "record schema: map '%s' needs a key and a value node", path);
        if (n->children[0].kind != MDL_PQ_LEAF || n->children[0].type.id != MDL_TYPE_STRING ||
            n->children[0].nullable)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "record schema: the key of map '%s' must be a non-nullable "
                                 "STRING leaf",
                                 path);
        return check_list(n->children, 2, path, depth + 1, err);
    }
    return mdl_error_set(err, MDL_ERR_INVALID_ARG, "record schema: '%s' has an unknown kind %d",
                         path, (int)n->kind);
}

int mdl_format__pq_nodes_check(const mdl_pq_node *fields, size_t num_fields, mdl_error *err)
{
    if (fields == NULL || num_fields == 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "record schema: no fields");
    return check_list(fields, num_fields, "", 0, err);
}
