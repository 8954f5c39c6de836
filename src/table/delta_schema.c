/*
 * delta_schema.c - Delta's schemaString <-> mdl_schema.
 *
 * Layout (delta-io/delta PROTOCOL.md, "Schema Serialization Format", a subset of Spark's
 * JSON schema):
 *   {"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}}, ...]}
 * Primitive type names are strings ("decimal(10,2)" included); struct, array and map are
 * objects with their own "type" key. medallion stores flat columns only, so nested types are
 * refused by name. Column names must be unique regardless of case (protocol rule).
 */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "delta_actions.h"

/* Parses "decimal(p,s)" (spaces allowed around the numbers, as Spark's parser does). */
static bool parse_decimal(const char *s, int *p, int *sc)
{
    if (strncmp(s, "decimal(", 8) != 0)
        return false;
    s += 8;
    int v[2];
    for (int k = 0; k < 2; k++) {
        while (*s == ' ')
            s++;
        if (!isdigit((unsigned char)*s))
            return false;
        long n = 0;
        while (isdigit((unsigned char)*s) && n < 1000)
            n = n * 10 + (*s++ - '0');
        while (*s == ' ')
            s++;
        if (*s++ != (k == 0 ? ',' : ')'))
            return false;
        v[k] = (int)n;
    }
    if (*s != '\0' || v[0] < 1 || v[0] > MDL_DECIMAL_MAX_PRECISION || v[1] > v[0])
        return false;
    *p = v[0];
    *sc = v[1];
    return true;
}

static int map_type(const char *col, struct json_object *t, mdl_type *out, mdl_error *err)
{
    if (json_object_is_type(t, json_type_object)) {
        struct json_object *tt = NULL;
        const char *name =
            json_object_object_get_ex(t, "type", &tt) && json_object_is_type(tt, json_type_string)
                ? json_object_get_string(tt)
                : "object";
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "column '%s': Delta type '%s' is not supported", col, name);
    }
    if (!json_object_is_type(t, json_type_string))
        return mdl_error_set(err, MDL_ERR_PARSE, "column '%s': type must be a string or object",
                             col);
    const char *s = json_object_get_string(t);
    int p, sc;
    if (strcmp(s, "boolean") == 0)
        *out = mdl_type_make(MDL_TYPE_BOOLEAN);
    else if (strcmp(s, "integer") == 0 || strcmp(s, "short") == 0 || strcmp(s, "byte") == 0)
        *out = mdl_type_make(MDL_TYPE_INT32);
    else if (strcmp(s, "long") == 0)
        *out = mdl_type_make(MDL_TYPE_INT64);
    else if (strcmp(s, "double") == 0 || strcmp(s, "float") == 0)
        *out = mdl_type_make(MDL_TYPE_DOUBLE);
    else if (strcmp(s, "string") == 0)
        *out = mdl_type_make(MDL_TYPE_STRING);
    else if (strcmp(s, "date") == 0)
        *out = mdl_type_make(MDL_TYPE_DATE);
    else if (strcmp(s, "timestamp") == 0)
        *out = mdl_type_make(MDL_TYPE_TIMESTAMP);
    else if (parse_decimal(s, &p, &sc))
        *out = mdl_type_decimal(p, sc);
    else
        return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                             "column '%s': Delta type '%s' is not supported", col, s);
    return MDL_OK;
}

/* ASCII case-insensitive equality: Delta compares column names regardless of case. */
static bool name_ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return false;
    return *a == *b;
}

static bool name_taken(const mdl_field_def *defs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (name_ieq(defs[i].name, name))
            return true;
    return false;
}

int mdl_table__schema_from_delta(mdl_ctx *ctx, const char *json, size_t len, mdl_schema **out,
                                 bool *has_invariants_out, mdl_error *err)
{
    int rc = MDL_OK;
    mdl_field_def *defs = NULL;
    size_t depth = ctx->limits.max_json_depth;
    if (has_invariants_out != NULL)
        *has_invariants_out = false;
    if (len > INT_MAX - 1 || len > ctx->limits.max_record_bytes)
        return mdl_error_set(err, MDL_ERR_LIMIT, "schemaString is %zu bytes, over the limit", len);
    struct json_tokener *tok = json_tokener_new_ex(depth > INT_MAX ? INT_MAX : (int)depth);
    if (tok == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a JSON parser");
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    struct json_object *root = json_tokener_parse_ex(tok, json, (int)len);
    if (root == NULL && json_tokener_get_error(tok) == json_tokener_continue)
        root = json_tokener_parse_ex(tok, "", 1);
    if (root == NULL || json_tokener_get_error(tok) != json_tokener_success ||
        json_tokener_get_parse_end(tok) < len) {
        rc = mdl_error_set(err, MDL_ERR_PARSE, "schemaString is not valid JSON");
        goto cleanup;
    }
    struct json_object *type = NULL, *fields = NULL;
    if (!json_object_is_type(root, json_type_object) ||
        !json_object_object_get_ex(root, "type", &type) ||
        !json_object_is_type(type, json_type_string) ||
        strcmp(json_object_get_string(type), "struct") != 0 ||
        !json_object_object_get_ex(root, "fields", &fields) ||
        !json_object_is_type(fields, json_type_array)) {
        rc = mdl_error_set(err, MDL_ERR_PARSE,
                           "schemaString must be {\"type\":\"struct\",\"fields\":[...]}");
        goto cleanup;
    }
    size_t n = json_object_array_length(fields);
    if (n > 0 && (defs = mdl_calloc(ctx, n, sizeof(*defs))) == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading the schema");
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        struct json_object *f = json_object_array_get_idx(fields, i), *name = NULL, *ft = NULL,
                           *nullable = NULL, *meta = NULL;
        if (f == NULL || !json_object_is_type(f, json_type_object) ||
            !json_object_object_get_ex(f, "name", &name) ||
            !json_object_is_type(name, json_type_string) ||
            !json_object_object_get_ex(f, "type", &ft) || ft == NULL) {
            rc = mdl_error_set(err, MDL_ERR_PARSE, "schemaString field %zu needs a name and a type",
                               i + 1);
            goto cleanup;
        }
        const char *col = json_object_get_string(name);
        /* json-c's UTF-8 check lets a few invalid sequences through (lead bytes F5-F7);
         * a column name must be clean before it is echoed in messages or written back. */
        if (!mdl_utf8_valid(col, (size_t)json_object_get_string_len(name)) || col[0] == '\0') {
            rc = mdl_error_set(err, MDL_ERR_PARSE,
                               "schemaString field %zu has an empty or invalid UTF-8 name", i + 1);
            goto cleanup;
        }
        if ((rc = map_type(col, ft, &defs[i].type, err)) != MDL_OK)
            goto cleanup;
        if (name_taken(defs, i, col)) {
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "column '%s' appears twice (names are case-insensitive)", col);
            goto cleanup;
        }
        defs[i].name = col;
        defs[i].nullable = true;
        if (json_object_object_get_ex(f, "nullable", &nullable) && nullable != NULL) {
            if (!json_object_is_type(nullable, json_type_boolean)) {
                rc = mdl_error_set(err, MDL_ERR_PARSE, "column '%s': nullable must be a boolean",
                                   col);
                goto cleanup;
            }
            defs[i].nullable = json_object_get_boolean(nullable);
        }
        if (has_invariants_out != NULL && json_object_object_get_ex(f, "metadata", &meta) &&
            json_object_is_type(meta, json_type_object) &&
            json_object_object_get_ex(meta, "delta.invariants", NULL))
            *has_invariants_out = true;
    }
    rc = mdl_schema_new(ctx, defs, n, out, err);
cleanup:
    mdl_free(ctx, defs);
    json_object_put(root);
    json_tokener_free(tok);
    return rc;
}

static const char *delta_type_name(mdl_type t, char *buf, size_t cap)
{
    switch (t.id) {
    case MDL_TYPE_BOOLEAN:
        return "boolean";
    case MDL_TYPE_INT32:
        return "integer";
    case MDL_TYPE_INT64:
        return "long";
    case MDL_TYPE_DOUBLE:
        return "double";
    case MDL_TYPE_DECIMAL:
        snprintf(buf, cap, "decimal(%d,%d)", t.precision, t.scale);
        return buf;
    case MDL_TYPE_STRING:
        return "string";
    case MDL_TYPE_DATE:
        return "date";
    case MDL_TYPE_TIMESTAMP:
        return "timestamp";
    }
    return NULL;
}

int mdl_table__schema_to_delta(const mdl_schema *schema, mdl_buf *out, mdl_error *err)
{
    int rc = mdl_buf_append_str(out, "{\"type\":\"struct\",\"fields\":[", err);
    for (size_t i = 0; rc == MDL_OK && i < schema->num_fields; i++) {
        const mdl_field *f = &schema->fields[i];
        char tb[32];
        const char *tn = delta_type_name(f->type, tb, sizeof(tb));
        if (tn == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column '%s' has an unknown type",
                                 f->name);
        for (size_t j = 0; j < i; j++)
            if (name_ieq(schema->fields[j].name, f->name))
                return mdl_error_set(err, MDL_ERR_SCHEMA,
                                     "columns '%s' and '%s' differ only in case, which Delta "
                                     "does not allow",
                                     schema->fields[j].name, f->name);
        if ((rc = mdl_buf_append_str(out, i ? ",{\"name\":" : "{\"name\":", err)) != MDL_OK ||
            (rc = mdl_table__json_string(out, f->name, strlen(f->name), err)) != MDL_OK ||
            (rc = mdl_buf_printf(out, err, ",\"type\":\"%s\",\"nullable\":%s,\"metadata\":{}}", tn,
                                 f->nullable ? "true" : "false")) != MDL_OK)
            return rc;
    }
    if (rc == MDL_OK)
        rc = mdl_buf_append_str(out, "]}", err);
    return rc;
}
