/*
 * delta_actions_write.c - writing Delta log actions as commit file lines.
 *
 * Each action becomes one line {"<action>":{...}}\n (delta-io/delta PROTOCOL.md, "Actions")
 * with exactly the protocol's field names, in a fixed key order (the order of the protocol's
 * tables), so the same actions always give the same bytes. Optional fields are written only
 * when set; add.path and remove.path are percent-encoded URIs (mdl_table__path_encode).
 * commitInfo is free-form JSON in the protocol; we write timestamp, operation,
 * operationParameters, engineInfo and operationMetrics, the keys Spark's readers display.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "delta_actions.h"

/* ---- writing ------------------------------------------------------------------------------ */

int mdl_table__json_string(mdl_buf *out, const char *s, size_t len, mdl_error *err)
{
    if (!mdl_utf8_valid(s, len))
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "string is not valid UTF-8");
    int rc = mdl_buf_append(out, "\"", 1, err);
    size_t run = 0;
    for (size_t i = 0; rc == MDL_OK && i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        if (i > run && (rc = mdl_buf_append(out, s + run, i - run, err)) != MDL_OK)
            break;
        run = i + 1;
        switch (c) {
        case '"':
            rc = mdl_buf_append(out, "\\\"", 2, err);
            break;
        case '\\':
            rc = mdl_buf_append(out, "\\\\", 2, err);
            break;
        case '\n':
            rc = mdl_buf_append(out, "\\n", 2, err);
            break;
        case '\r':
            rc = mdl_buf_append(out, "\\r", 2, err);
            break;
        case '\t':
            rc = mdl_buf_append(out, "\\t", 2, err);
            break;
        default:
            rc = mdl_buf_printf(out, err, "\\u%04x", c);
        }
    }
    if (rc == MDL_OK && len > run)
        rc = mdl_buf_append(out, s + run, len - run, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "\"", 1, err);
    return rc;
}

/* Writes ',"key":' (no comma for the first key of an object). */
static int wkey(mdl_buf *out, bool *first, const char *key, mdl_error *err)
{
    int rc = MDL_OK;
    if (!*first)
        rc = mdl_buf_append(out, ",", 1, err);
    *first = false;
    if (rc == MDL_OK)
        rc = mdl_table__json_string(out, key, strlen(key), err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, ":", 1, err);
    return rc;
}

static int wstr(mdl_buf *out, bool *first, const char *key, const char *v, mdl_error *err)
{
    int rc = wkey(out, first, key, err);
    if (rc == MDL_OK)
        rc = v ? mdl_table__json_string(out, v, strlen(v), err)
               : mdl_buf_append(out, "null", 4, err);
    return rc;
}

static int wint(mdl_buf *out, bool *first, const char *key, int64_t v, mdl_error *err)
{
    int rc = wkey(out, first, key, err);
    if (rc == MDL_OK)
        rc = mdl_buf_printf(out, err, "%" PRId64, v);
    return rc;
}

static int wbool(mdl_buf *out, bool *first, const char *key, bool v, mdl_error *err)
{
    int rc = wkey(out, first, key, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append_str(out, v ? "true" : "false", err);
    return rc;
}

static int wmap(mdl_buf *out, bool *first, const char *key, const mdl_delta_map *m, mdl_error *err)
{
    int rc = wkey(out, first, key, err);
    bool f = true;
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "{", 1, err);
    for (size_t i = 0; rc == MDL_OK && i < m->count; i++)
        rc = wstr(out, &f, m->items[i].key, m->items[i].value, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "}", 1, err);
    return rc;
}

static int wstrings(mdl_buf *out, bool *first, const char *key, const mdl_delta_strings *l,
                    mdl_error *err)
{
    int rc = wkey(out, first, key, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "[", 1, err);
    for (size_t i = 0; rc == MDL_OK && i < l->count; i++) {
        if (i > 0)
            rc = mdl_buf_append(out, ",", 1, err);
        if (rc == MDL_OK)
            rc = mdl_table__json_string(out, l->items[i], strlen(l->items[i]), err);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "]", 1, err);
    return rc;
}

static int wpath(mdl_buf *out, bool *first, const char *path, mdl_error *err)
{
    if (path == NULL || path[0] == '\0')
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "a file action needs a path");
    mdl_buf enc;
    mdl_buf_init(&enc, out->ctx, SIZE_MAX);
    int rc = mdl_table__path_encode(path, strlen(path), &enc, err);
    if (rc == MDL_OK)
        rc = wkey(out, first, "path", err);
    if (rc == MDL_OK)
        rc = mdl_table__json_string(out, enc.data, enc.len, err);
    mdl_buf_reset(&enc);
    return rc;
}

static int write_body(mdl_buf *out, const mdl_delta_action *a, mdl_error *err)
{
    bool first = true;
    int rc = MDL_OK;
    switch (a->kind) {
    case MDL_DELTA_PROTOCOL: {
        const mdl_delta_protocol *p = &a->u.protocol;
        if ((rc = mdl_table__protocol_check_write(p, err)) != MDL_OK ||
            (rc = wint(out, &first, "minReaderVersion", p->min_reader_version, err)) != MDL_OK ||
            (rc = wint(out, &first, "minWriterVersion", p->min_writer_version, err)) != MDL_OK)
            return rc;
        break;
    }
    case MDL_DELTA_METADATA: {
        const mdl_delta_metadata *m = &a->u.metadata;
        if (m->id == NULL || m->schema_string == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "metaData needs id and schemaString");
        bool ff = true;
        if ((rc = wstr(out, &first, "id", m->id, err)) != MDL_OK ||
            (m->name && (rc = wstr(out, &first, "name", m->name, err)) != MDL_OK) ||
            (m->description &&
             (rc = wstr(out, &first, "description", m->description, err)) != MDL_OK) ||
            (rc = wkey(out, &first, "format", err)) != MDL_OK ||
            (rc = mdl_buf_append(out, "{", 1, err)) != MDL_OK ||
            (rc = wstr(out, &ff, "provider", m->format_provider ? m->format_provider : "parquet",
                       err)) != MDL_OK ||
            (rc = wmap(out, &ff, "options", &m->format_options, err)) != MDL_OK ||
            (rc = mdl_buf_append(out, "}", 1, err)) != MDL_OK ||
            (rc = wstr(out, &first, "schemaString", m->schema_string, err)) != MDL_OK ||
            (rc = wstrings(out, &first, "partitionColumns", &m->partition_columns, err)) !=
                MDL_OK ||
            (rc = wmap(out, &first, "configuration", &m->configuration, err)) != MDL_OK ||
            (m->has_created_time &&
             (rc = wint(out, &first, "createdTime", m->created_time, err)) != MDL_OK))
            return rc;
        break;
    }
    case MDL_DELTA_ADD: {
        const mdl_delta_add *ad = &a->u.add;
        if ((rc = wpath(out, &first, ad->path, err)) != MDL_OK ||
            (rc = wmap(out, &first, "partitionValues", &ad->partition_values, err)) != MDL_OK ||
            (rc = wint(out, &first, "size", ad->size, err)) != MDL_OK ||
            (rc = wint(out, &first, "modificationTime", ad->modification_time, err)) != MDL_OK ||
            (rc = wbool(out, &first, "dataChange", ad->data_change, err)) != MDL_OK ||
            (ad->stats && (rc = wstr(out, &first, "stats", ad->stats, err)) != MDL_OK))
            return rc;
        break;
    }
    case MDL_DELTA_REMOVE: {
        const mdl_delta_remove *r = &a->u.remove;
        if ((rc = wpath(out, &first, r->path, err)) != MDL_OK ||
            (r->has_deletion_timestamp &&
             (rc = wint(out, &first, "deletionTimestamp", r->deletion_timestamp, err)) != MDL_OK) ||
            (rc = wbool(out, &first, "dataChange", r->data_change, err)) != MDL_OK ||
            (r->has_extended_file_metadata &&
             (rc = wbool(out, &first, "extendedFileMetadata", r->extended_file_metadata, err)) !=
                 MDL_OK) ||
            (r->has_partition_values &&
             (rc = wmap(out, &first, "partitionValues", &r->partition_values, err)) != MDL_OK) ||
            (r->has_size && (rc = wint(out, &first, "size", r->size, err)) != MDL_OK))
            return rc;
        break;
    }
    case MDL_DELTA_TXN: {
        const mdl_delta_txn *t = &a->u.txn;
        if (t->app_id == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "txn needs an appId");
        if ((rc = wstr(out, &first, "appId", t->app_id, err)) != MDL_OK ||
            (rc = wint(out, &first, "version", t->version, err)) != MDL_OK ||
            (t->has_last_updated &&
             (rc = wint(out, &first, "lastUpdated", t->last_updated, err)) != MDL_OK))
            return rc;
        break;
    }
    case MDL_DELTA_COMMIT_INFO:
        break;
    }
    return rc;
}

static const char *action_key(mdl_delta_action_kind kind)
{
    switch (kind) {
    case MDL_DELTA_PROTOCOL:
        return "protocol";
    case MDL_DELTA_METADATA:
        return "metaData";
    case MDL_DELTA_ADD:
        return "add";
    case MDL_DELTA_REMOVE:
        return "remove";
    case MDL_DELTA_TXN:
        return "txn";
    case MDL_DELTA_COMMIT_INFO:
        return "commitInfo";
    }
    return NULL;
}

int mdl_table__action_write(mdl_ctx *ctx, const mdl_delta_action *a, mdl_buf *out, mdl_error *err)
{
    (void)ctx;
    const char *key = action_key(a->kind);
    if (key == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown action kind %d", (int)a->kind);
    size_t mark = out->len;
    int rc = mdl_buf_printf(out, err, "{\"%s\":", key);
    if (rc == MDL_OK && a->kind == MDL_DELTA_COMMIT_INFO) {
        const char *ci = a->u.commit_info;
        /* Written verbatim, so it has to be one JSON object without a line break. */
        if (ci == NULL || ci[0] != '{' || strchr(ci, '\n') != NULL)
            rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                               "commitInfo must be a one-line JSON object");
        else
            rc = mdl_buf_append_str(out, ci, err);
    } else if (rc == MDL_OK) {
        rc = mdl_buf_append(out, "{", 1, err);
        if (rc == MDL_OK)
            rc = write_body(out, a, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(out, "}", 1, err);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_append(out, "}\n", 2, err);
    if (rc != MDL_OK) {
        out->len = mark; /* no half-written line */
        mdl_error_prefix(err, "%s: ", key);
    }
    return rc;
}

int mdl_table__actions_write(const mdl_delta_actions *list, mdl_buf *out, mdl_error *err)
{
    for (size_t i = 0; i < list->count; i++) {
        int rc = mdl_table__action_write(list->ctx, &list->items[i], out, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

int mdl_table__commit_info_build(mdl_ctx *ctx, int64_t timestamp_ms, const char *operation,
                                 const mdl_delta_map *parameters, const mdl_delta_map *metrics,
                                 char **out, mdl_error *err)
{
    static const mdl_delta_map empty = {0, NULL};
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    bool first = true;
    char engine[64];
    snprintf(engine, sizeof(engine), "medallion/%s", mdl_version());
    int rc = mdl_buf_append(&b, "{", 1, err);
    if (rc == MDL_OK)
        rc = wint(&b, &first, "timestamp", timestamp_ms, err);
    if (rc == MDL_OK)
        rc = wstr(&b, &first, "operation", operation ? operation : "WRITE", err);
    if (rc == MDL_OK)
        rc = wmap(&b, &first, "operationParameters", parameters ? parameters : &empty, err);
    if (rc == MDL_OK)
        rc = wstr(&b, &first, "engineInfo", engine, err);
    if (rc == MDL_OK && metrics != NULL)
        rc = wmap(&b, &first, "operationMetrics", metrics, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(&b, "}", 1, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&b, err);
    if (rc == MDL_OK) {
        *out = b.data;
        b.data = NULL;
    }
    mdl_buf_reset(&b);
    return rc;
}
