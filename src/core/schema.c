/*
 * schema.c - immutable, reference-counted schemas and their text form
 * ("id int64 not null, price decimal(12,2)").
 */
#include <string.h>

#include "medallion/core.h"

int mdl_schema_new(mdl_ctx *ctx, const mdl_field_def *defs, size_t n, mdl_schema **out,
                   mdl_error *err)
{
    *out = NULL;
    mdl_schema *s = mdl_calloc(ctx, 1, sizeof *s);
    if (s == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a schema");
    s->ctx = ctx;
    atomic_init(&s->refcount, 1);
    s->fields = mdl_calloc(ctx, n ? n : 1, sizeof(mdl_field));
    if (s->fields == NULL) {
        mdl_free(ctx, s);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a schema");
    }
    for (size_t i = 0; i < n; i++) {
        if (defs[i].name == NULL || defs[i].name[0] == '\0') {
            mdl_schema_release(s);
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "field %zu has no name", i);
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(defs[j].name, defs[i].name) == 0) {
                mdl_schema_release(s);
                return mdl_error_set(err, MDL_ERR_SCHEMA, "duplicate column name '%s'",
                                     defs[i].name);
            }
        }
        s->fields[i].name = mdl_strdup(ctx, defs[i].name);
        if (s->fields[i].name == NULL) {
            mdl_schema_release(s);
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a schema");
        }
        s->fields[i].type = defs[i].type;
        s->fields[i].nullable = defs[i].nullable;
        s->num_fields = i + 1;
    }
    *out = s;
    return MDL_OK;
}

mdl_schema *mdl_schema_retain(mdl_schema *schema)
{
    if (schema != NULL)
        atomic_fetch_add(&schema->refcount, 1);
    return schema;
}

void mdl_schema_release(mdl_schema *schema)
{
    if (schema == NULL || atomic_fetch_sub(&schema->refcount, 1) != 1)
        return;
    for (size_t i = 0; i < schema->num_fields; i++)
        mdl_free(schema->ctx, schema->fields[i].name);
    mdl_free(schema->ctx, schema->fields);
    mdl_free(schema->ctx, schema);
}

long mdl_schema_find(const mdl_schema *schema, mdl_strview name)
{
    for (size_t i = 0; i < schema->num_fields; i++)
        if (mdl_sv_eq_cstr(name, schema->fields[i].name))
            return (long)i;
    return -1;
}

/* Splits at commas that are not inside parentheses ("decimal(12,2)" stays whole). */
static size_t next_item(const char *text, size_t pos, size_t len)
{
    int depth = 0;
    for (size_t i = pos; i < len; i++) {
        if (text[i] == '(')
            depth++;
        else if (text[i] == ')')
            depth--;
        else if (text[i] == ',' && depth == 0)
            return i;
    }
    return len;
}

int mdl_schema_parse(mdl_ctx *ctx, const char *text, mdl_schema **out, mdl_error *err)
{
    *out = NULL;
    size_t len = strlen(text), cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += text[i] == ',';
    mdl_field_def *defs = mdl_calloc(ctx, cap, sizeof *defs);
    char **names = mdl_calloc(ctx, cap, sizeof *names);
    size_t n = 0;
    int rc = MDL_OK;
    if (defs == NULL || names == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory parsing a schema");
        goto cleanup;
    }
    for (size_t pos = 0; pos <= len;) {
        size_t end = next_item(text, pos, len);
        mdl_strview item = mdl_sv_trim(mdl_sv_make(text + pos, end - pos));
        pos = end + 1;
        if (item.len == 0) {
            if (end == len && n > 0)
                break;
            rc = mdl_error_set(err, MDL_ERR_PARSE, "schema item %zu is empty", n + 1);
            goto cleanup;
        }
        size_t sp = 0;
        while (sp < item.len && item.ptr[sp] != ' ' && item.ptr[sp] != '\t')
            sp++;
        mdl_strview name = mdl_sv_make(item.ptr, sp);
        mdl_strview rest = mdl_sv_trim(mdl_sv_make(item.ptr + sp, item.len - sp));
        bool nullable = true;
        const char *suffix = " not null";
        size_t sl = strlen(suffix);
        if (rest.len >= sl && mdl_sv_ieq_cstr(mdl_sv_make(rest.ptr + rest.len - sl, sl), suffix)) {
            nullable = false;
            rest = mdl_sv_trim(mdl_sv_make(rest.ptr, rest.len - sl));
        }
        if (rest.len == 0) {
            rc = mdl_error_set(err, MDL_ERR_PARSE, "schema column '%.*s' has no type",
                               (int)name.len, name.ptr);
            goto cleanup;
        }
        rc = mdl_type_parse(rest, &defs[n].type, err);
        if (rc != MDL_OK) {
            mdl_error_prefix(err, "schema column '%.*s': ", (int)name.len, name.ptr);
            goto cleanup;
        }
        names[n] = mdl_strndup(ctx, name.ptr, name.len);
        if (names[n] == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory parsing a schema");
            goto cleanup;
        }
        defs[n].name = names[n];
        defs[n].nullable = nullable;
        n++;
        if (end == len)
            break;
    }
    rc = mdl_schema_new(ctx, defs, n, out, err);
cleanup:
    if (names != NULL)
        for (size_t i = 0; i < n; i++)
            mdl_free(ctx, names[i]);
    mdl_free(ctx, names);
    mdl_free(ctx, defs);
    return rc;
}

int mdl_schema_format(const mdl_schema *schema, mdl_buf *out, mdl_error *err)
{
    for (size_t i = 0; i < schema->num_fields; i++) {
        char tbuf[32];
        mdl_type_format(schema->fields[i].type, tbuf, sizeof tbuf);
        int rc = mdl_buf_printf(out, err, "%s%s %s%s", i ? ", " : "", schema->fields[i].name, tbuf,
                                schema->fields[i].nullable ? "" : " not null");
        if (rc != MDL_OK)
            return rc;
    }
    return mdl_buf_terminate(out, err);
}
