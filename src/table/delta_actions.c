/*
 * delta_actions.c - parsing and writing the actions of a Delta Lake commit file.
 *
 * Layout (delta-io/delta PROTOCOL.md, "Delta Log Entries" and "Actions"):
 *   commit = *(line LF) [line]       one JSON object per line, UTF-8
 *   line   = {"<action>": {...}, ...}
 * where <action> is one of protocol, metaData, add, remove, txn, commitInfo (read and
 * written), or another key such as cdc, domainMetadata, checkpointMetadata (skipped: the
 * protocol says readers must ignore what they do not recognise, and the protocol version
 * gate already refuses tables whose meaning depends on them). A line carrying two known
 * actions is an error: one action per line is what makes replay order well defined.
 * Unknown fields inside known actions are ignored for the same reason.
 *
 * Writing is in delta_actions_write.c; json-c is used only for reading.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "delta_actions.h"

/* ---- maps and string lists ---------------------------------------------------------------- */

int mdl_table__map_put(mdl_ctx *ctx, mdl_delta_map *map, const char *key, const char *value,
                       mdl_error *err)
{
    size_t bytes;
    if (!mdl_size_mul(map->count + 1, sizeof(*map->items), &bytes))
        return mdl_error_set(err, MDL_ERR_NOMEM, "map too large");
    mdl_delta_kv *items = mdl_realloc(ctx, map->items, bytes);
    if (items == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a map");
    map->items = items;
    char *k = mdl_strdup(ctx, key);
    char *v = value != NULL ? mdl_strdup(ctx, value) : NULL;
    if (k == NULL || (value != NULL && v == NULL)) {
        mdl_free(ctx, k);
        mdl_free(ctx, v);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory copying a map entry");
    }
    items[map->count].key = k;
    items[map->count].value = v;
    map->count++;
    return MDL_OK;
}

const mdl_delta_kv *mdl_table__map_get(const mdl_delta_map *map, const char *key)
{
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->items[i].key, key) == 0)
            return &map->items[i];
    return NULL;
}

void mdl_table__map_reset(mdl_ctx *ctx, mdl_delta_map *map)
{
    for (size_t i = 0; i < map->count; i++) {
        mdl_free(ctx, map->items[i].key);
        mdl_free(ctx, map->items[i].value);
    }
    mdl_free(ctx, map->items);
    map->items = NULL;
    map->count = 0;
}

int mdl_table__strings_push(mdl_ctx *ctx, mdl_delta_strings *list, const char *s, mdl_error *err)
{
    size_t bytes;
    if (!mdl_size_mul(list->count + 1, sizeof(*list->items), &bytes))
        return mdl_error_set(err, MDL_ERR_NOMEM, "list too large");
    char **items = mdl_realloc(ctx, list->items, bytes);
    if (items == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a list");
    list->items = items;
    if ((items[list->count] = mdl_strdup(ctx, s)) == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory copying a string");
    list->count++;
    return MDL_OK;
}

void mdl_table__strings_reset(mdl_ctx *ctx, mdl_delta_strings *list)
{
    for (size_t i = 0; i < list->count; i++)
        mdl_free(ctx, list->items[i]);
    mdl_free(ctx, list->items);
    list->items = NULL;
    list->count = 0;
}

/* ---- action lists ------------------------------------------------------------------------- */

void mdl_table__action_reset(mdl_ctx *ctx, mdl_delta_action *a)
{
    if (a == NULL)
        return;
    switch (a->kind) {
    case MDL_DELTA_PROTOCOL:
        mdl_table__strings_reset(ctx, &a->u.protocol.reader_features);
        mdl_table__strings_reset(ctx, &a->u.protocol.writer_features);
        break;
    case MDL_DELTA_METADATA:
        mdl_free(ctx, a->u.metadata.id);
        mdl_free(ctx, a->u.metadata.name);
        mdl_free(ctx, a->u.metadata.description);
        mdl_free(ctx, a->u.metadata.format_provider);
        mdl_table__map_reset(ctx, &a->u.metadata.format_options);
        mdl_free(ctx, a->u.metadata.schema_string);
        mdl_table__strings_reset(ctx, &a->u.metadata.partition_columns);
        mdl_table__map_reset(ctx, &a->u.metadata.configuration);
        break;
    case MDL_DELTA_ADD:
        mdl_free(ctx, a->u.add.path);
        mdl_table__map_reset(ctx, &a->u.add.partition_values);
        mdl_free(ctx, a->u.add.stats);
        break;
    case MDL_DELTA_REMOVE:
        mdl_free(ctx, a->u.remove.path);
        mdl_table__map_reset(ctx, &a->u.remove.partition_values);
        break;
    case MDL_DELTA_TXN:
        mdl_free(ctx, a->u.txn.app_id);
        break;
    case MDL_DELTA_COMMIT_INFO:
        mdl_free(ctx, a->u.commit_info);
        break;
    }
    memset(a, 0, sizeof(*a));
}

void mdl_table__actions_init(mdl_delta_actions *list, mdl_ctx *ctx)
{
    memset(list, 0, sizeof(*list));
    list->ctx = ctx;
}

void mdl_table__actions_reset(mdl_delta_actions *list)
{
    for (size_t i = 0; i < list->count; i++)
        mdl_table__action_reset(list->ctx, &list->items[i]);
    mdl_free(list->ctx, list->items);
    list->items = NULL;
    list->count = list->cap = 0;
    list->skipped = 0;
}

int mdl_table__actions_push(mdl_delta_actions *list, mdl_delta_action *action, mdl_error *err)
{
    if (list->count == list->cap) {
        size_t ncap = list->cap == 0 ? 8 : list->cap * 2, bytes;
        if (!mdl_size_mul(ncap, sizeof(*list->items), &bytes)) {
            mdl_table__action_reset(list->ctx, action);
            return mdl_error_set(err, MDL_ERR_NOMEM, "too many actions");
        }
        mdl_delta_action *items = mdl_realloc(list->ctx, list->items, bytes);
        if (items == NULL) {
            mdl_table__action_reset(list->ctx, action);
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing the action list");
        }
        list->items = items;
        list->cap = ncap;
    }
    list->items[list->count++] = *action;
    memset(action, 0, sizeof(*action));
    return MDL_OK;
}

/* ---- protocol gates ----------------------------------------------------------------------- */

/* Appends " (readerFeatures: a, b)" to a message buffer when the list is not empty. */
static void features_text(const char *label, const mdl_delta_strings *f, char *buf, size_t cap)
{
    buf[0] = '\0';
    if (f->count == 0)
        return;
    size_t n = (size_t)snprintf(buf, cap, " (%s: ", label);
    for (size_t i = 0; i < f->count && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", f->items[i]);
    if (n < cap)
        snprintf(buf + n, cap - n, ")");
}

int mdl_table__protocol_check_read(const mdl_delta_protocol *p, mdl_error *err)
{
    if (p->min_reader_version <= MDL_DELTA_READER_VERSION)
        return MDL_OK;
    char feats[256];
    features_text("readerFeatures", &p->reader_features, feats, sizeof(feats));
    return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                         "table requires Delta reader version %" PRId32
                         "%s; medallion reads version %d",
                         p->min_reader_version, feats, MDL_DELTA_READER_VERSION);
}

int mdl_table__protocol_check_write(const mdl_delta_protocol *p, mdl_error *err)
{
    int rc = mdl_table__protocol_check_read(p, err);
    if (rc != MDL_OK)
        return rc;
    if (p->min_writer_version <= MDL_DELTA_WRITER_VERSION)
        return MDL_OK;
    char feats[256];
    features_text("writerFeatures", &p->writer_features, feats, sizeof(feats));
    return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                         "table requires Delta writer version %" PRId32
                         "%s; medallion writes version %d",
                         p->min_writer_version, feats, MDL_DELTA_WRITER_VERSION);
}

/* ---- reading ------------------------------------------------------------------------------ */

/* Where a parse is, for error messages: "<file>:<line>: <action>.<field>: ...". */
typedef struct pstate {
    mdl_ctx *ctx;
    const char *name;
    uint64_t line;
    const char *action;
} pstate;

#define PERR(ps, err, code, fmt, ...)                                                              \
    mdl_error_set(err, code, "%s:%llu: " fmt, (ps)->name, (unsigned long long)(ps)->line,          \
                  __VA_ARGS__)

static const char *jtype(struct json_object *v)
{
    return json_type_to_name(json_object_get_type(v));
}

/* Looks `key` up; *v is NULL when absent or JSON null (both mean "not given"). */
static int field(const pstate *ps, struct json_object *obj, const char *key, bool required,
                 struct json_object **v, mdl_error *err)
{
    *v = NULL;
    json_object_object_get_ex(obj, key, v);
    if (*v == NULL && required)
        return PERR(ps, err, MDL_ERR_PARSE, "%s: missing required field '%s'", ps->action, key);
    return MDL_OK;
}

static int get_string(const pstate *ps, struct json_object *obj, const char *key, bool required,
                      char **out, mdl_error *err)
{
    struct json_object *v;
    int rc = field(ps, obj, key, required, &v, err);
    if (rc != MDL_OK || v == NULL)
        return rc;
    if (!json_object_is_type(v, json_type_string))
        return PERR(ps, err, MDL_ERR_PARSE, "%s.%s: expected a string, got %s", ps->action, key,
                    jtype(v));
    *out = mdl_strndup(ps->ctx, json_object_get_string(v), (size_t)json_object_get_string_len(v));
    if (*out == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading %s.%s", ps->action, key);
    return MDL_OK;
}

static int get_int64(const pstate *ps, struct json_object *obj, const char *key, bool required,
                     bool *has, int64_t *out, mdl_error *err)
{
    struct json_object *v;
    int rc = field(ps, obj, key, required, &v, err);
    if (rc != MDL_OK || v == NULL)
        return rc;
    if (!json_object_is_type(v, json_type_int))
        return PERR(ps, err, MDL_ERR_PARSE, "%s.%s: expected an integer, got %s", ps->action, key,
                    jtype(v));
    /* json-c clamps integers beyond 64 bits; it parses 2^63..2^64-1 as unsigned. */
    errno = 0;
    int64_t x = json_object_get_int64(v);
    if ((x == INT64_MAX && json_object_get_uint64(v) > (uint64_t)INT64_MAX) || errno == ERANGE)
        return PERR(ps, err, MDL_ERR_RANGE, "%s.%s: integer does not fit 64 bits", ps->action, key);
    *out = x;
    if (has != NULL)
        *has = true;
    return MDL_OK;
}

static int get_bool(const pstate *ps, struct json_object *obj, const char *key, bool required,
                    bool *has, bool *out, mdl_error *err)
{
    struct json_object *v;
    int rc = field(ps, obj, key, required, &v, err);
    if (rc != MDL_OK || v == NULL)
        return rc;
    if (!json_object_is_type(v, json_type_boolean))
        return PERR(ps, err, MDL_ERR_PARSE, "%s.%s: expected true or false, got %s", ps->action,
                    key, jtype(v));
    *out = json_object_get_boolean(v);
    if (has != NULL)
        *has = true;
    return MDL_OK;
}

/* A Map[String, String]: an object whose values are strings or null. */
static int get_map(const pstate *ps, struct json_object *obj, const char *key, bool required,
                   bool *has, mdl_delta_map *out, mdl_error *err)
{
    struct json_object *v;
    int rc = field(ps, obj, key, required, &v, err);
    if (rc != MDL_OK || v == NULL)
        return rc;
    if (!json_object_is_type(v, json_type_object))
        return PERR(ps, err, MDL_ERR_PARSE, "%s.%s: expected an object, got %s", ps->action, key,
                    jtype(v));
    json_object_object_foreach(v, k, val)
    {
        if (val != NULL && !json_object_is_type(val, json_type_string))
            return PERR(ps, err, MDL_ERR_PARSE, "%s.%s.%s: expected a string or null, got %s",
                        ps->action, key, k, jtype(val));
        rc = mdl_table__map_put(ps->ctx, out, k, val ? json_object_get_string(val) : NULL, err);
        if (rc != MDL_OK)
            return rc;
    }
    if (has != NULL)
        *has = true;
    return MDL_OK;
}

static int get_strings(const pstate *ps, struct json_object *obj, const char *key, bool required,
                       mdl_delta_strings *out, mdl_error *err)
{
    struct json_object *v;
    int rc = field(ps, obj, key, required, &v, err);
    if (rc != MDL_OK || v == NULL)
        return rc;
    if (!json_object_is_type(v, json_type_array))
        return PERR(ps, err, MDL_ERR_PARSE, "%s.%s: expected an array, got %s", ps->action, key,
                    jtype(v));
    size_t n = json_object_array_length(v);
    for (size_t i = 0; i < n; i++) {
        struct json_object *e = json_object_array_get_idx(v, i);
        if (e == NULL || !json_object_is_type(e, json_type_string))
            return PERR(ps, err, MDL_ERR_PARSE, "%s.%s[%zu]: expected a string, got %s", ps->action,
                        key, i, e ? jtype(e) : "null");
        if ((rc = mdl_table__strings_push(ps->ctx, out, json_object_get_string(e), err)) != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* add.path / remove.path are URIs; the structs keep the decoded path. */
static int get_path(const pstate *ps, struct json_object *obj, char **out, mdl_error *err)
{
    char *raw = NULL;
    mdl_buf b;
    mdl_buf_init(&b, ps->ctx, SIZE_MAX);
    int rc = get_string(ps, obj, "path", true, &raw, err);
    if (rc != MDL_OK)
        goto cleanup;
    if (raw[0] == '\0') {
        rc = PERR(ps, err, MDL_ERR_PARSE, "%s.path: empty path", ps->action);
        goto cleanup;
    }
    if ((rc = mdl_table__path_decode(raw, strlen(raw), &b, err)) != MDL_OK ||
        (rc = mdl_buf_terminate(&b, err)) != MDL_OK) {
        if (rc == MDL_ERR_PARSE)
            mdl_error_prefix(err, "%s:%llu: %s.path: ", ps->name, (unsigned long long)ps->line,
                             ps->action);
        goto cleanup;
    }
    *out = b.data;
    b.data = NULL;
cleanup:
    mdl_free(ps->ctx, raw);
    mdl_buf_reset(&b);
    return rc;
}

static int read_protocol(const pstate *ps, struct json_object *o, mdl_delta_protocol *p,
                         mdl_error *err)
{
    int64_t r = 0, w = 0;
    int rc;
    if ((rc = get_int64(ps, o, "minReaderVersion", true, NULL, &r, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "minWriterVersion", true, NULL, &w, err)) != MDL_OK ||
        (rc = get_strings(ps, o, "readerFeatures", false, &p->reader_features, err)) != MDL_OK ||
        (rc = get_strings(ps, o, "writerFeatures", false, &p->writer_features, err)) != MDL_OK)
        return rc;
    if (r < 1 || r > INT32_MAX || w < 1 || w > INT32_MAX)
        return PERR(ps, err, MDL_ERR_PARSE,
                    "protocol: versions must be positive (minReaderVersion %" PRId64
                    ", minWriterVersion %" PRId64 ")",
                    r, w);
    p->min_reader_version = (int32_t)r;
    p->min_writer_version = (int32_t)w;
    rc = mdl_table__protocol_check_read(p, err);
    if (rc != MDL_OK)
        mdl_error_prefix(err, "%s:%llu: ", ps->name, (unsigned long long)ps->line);
    return rc;
}

static int read_metadata(const pstate *ps, struct json_object *o, mdl_delta_metadata *m,
                         mdl_error *err)
{
    struct json_object *fmt;
    int rc;
    if ((rc = get_string(ps, o, "id", true, &m->id, err)) != MDL_OK ||
        (rc = get_string(ps, o, "name", false, &m->name, err)) != MDL_OK ||
        (rc = get_string(ps, o, "description", false, &m->description, err)) != MDL_OK ||
        (rc = field(ps, o, "format", true, &fmt, err)) != MDL_OK)
        return rc;
    if (!json_object_is_type(fmt, json_type_object))
        return PERR(ps, err, MDL_ERR_PARSE, "metaData.format: expected an object, got %s",
                    jtype(fmt));
    pstate fps = *ps;
    fps.action = "metaData.format";
    if ((rc = get_string(&fps, fmt, "provider", true, &m->format_provider, err)) != MDL_OK ||
        (rc = get_map(&fps, fmt, "options", false, NULL, &m->format_options, err)) != MDL_OK ||
        (rc = get_string(ps, o, "schemaString", true, &m->schema_string, err)) != MDL_OK ||
        (rc = get_strings(ps, o, "partitionColumns", true, &m->partition_columns, err)) != MDL_OK ||
        (rc = get_map(ps, o, "configuration", false, NULL, &m->configuration, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "createdTime", false, &m->has_created_time, &m->created_time,
                        err)) != MDL_OK)
        return rc;
    return MDL_OK;
}

static int check_size(const pstate *ps, int64_t size, mdl_error *err)
{
    if (size < 0)
        return PERR(ps, err, MDL_ERR_PARSE, "%s.size: negative size %" PRId64, ps->action, size);
    return MDL_OK;
}

static int read_add(const pstate *ps, struct json_object *o, mdl_delta_add *a, mdl_error *err)
{
    int rc;
    if ((rc = get_path(ps, o, &a->path, err)) != MDL_OK ||
        (rc = get_map(ps, o, "partitionValues", true, NULL, &a->partition_values, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "size", true, NULL, &a->size, err)) != MDL_OK ||
        (rc = check_size(ps, a->size, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "modificationTime", true, NULL, &a->modification_time, err)) !=
            MDL_OK ||
        (rc = get_bool(ps, o, "dataChange", true, NULL, &a->data_change, err)) != MDL_OK ||
        (rc = get_string(ps, o, "stats", false, &a->stats, err)) != MDL_OK)
        return rc;
    /* A deletion vector hides rows of the file; only reader version 3 tables have them. */
    struct json_object *dv = NULL;
    if (json_object_object_get_ex(o, "deletionVector", &dv) && dv != NULL)
        return PERR(ps, err, MDL_ERR_UNSUPPORTED, "add: deletion vectors are not supported (%s)",
                    a->path);
    return MDL_OK;
}

static int read_remove(const pstate *ps, struct json_object *o, mdl_delta_remove *r, mdl_error *err)
{
    int rc;
    if ((rc = get_path(ps, o, &r->path, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "deletionTimestamp", false, &r->has_deletion_timestamp,
                        &r->deletion_timestamp, err)) != MDL_OK ||
        (rc = get_bool(ps, o, "dataChange", true, NULL, &r->data_change, err)) != MDL_OK ||
        (rc = get_bool(ps, o, "extendedFileMetadata", false, &r->has_extended_file_metadata,
                       &r->extended_file_metadata, err)) != MDL_OK ||
        (rc = get_map(ps, o, "partitionValues", false, &r->has_partition_values,
                      &r->partition_values, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "size", false, &r->has_size, &r->size, err)) != MDL_OK)
        return rc;
    if (r->has_size && (rc = check_size(ps, r->size, err)) != MDL_OK)
        return rc;
    return MDL_OK;
}

static int read_txn(const pstate *ps, struct json_object *o, mdl_delta_txn *t, mdl_error *err)
{
    int rc;
    if ((rc = get_string(ps, o, "appId", true, &t->app_id, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "version", true, NULL, &t->version, err)) != MDL_OK ||
        (rc = get_int64(ps, o, "lastUpdated", false, &t->has_last_updated, &t->last_updated,
                        err)) != MDL_OK)
        return rc;
    return MDL_OK;
}

static const struct {
    const char *key;
    mdl_delta_action_kind kind;
} KNOWN[] = {
    {"protocol", MDL_DELTA_PROTOCOL}, {"metaData", MDL_DELTA_METADATA},
    {"add", MDL_DELTA_ADD},           {"remove", MDL_DELTA_REMOVE},
    {"txn", MDL_DELTA_TXN},           {"commitInfo", MDL_DELTA_COMMIT_INFO},
};

/* Parses one non-blank line; *action->kind stays 0 when the line has only unknown keys. */
static int parse_line(pstate *ps, struct json_tokener *tok, const char *s, size_t len,
                      mdl_delta_action *action, mdl_error *err)
{
    int rc = MDL_OK;
    json_tokener_reset(tok);
    struct json_object *root = json_tokener_parse_ex(tok, s, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t at = json_tokener_get_parse_end(tok);
    if (root == NULL && jerr == json_tokener_continue) {
        /* The line is not NUL-terminated: feed the end of input separately. */
        root = json_tokener_parse_ex(tok, "", 1);
        jerr = json_tokener_get_error(tok);
        at = len;
    }
    if (root == NULL || jerr != json_tokener_success) {
        if (jerr == json_tokener_error_depth)
            rc = PERR(ps, err, MDL_ERR_LIMIT, "JSON nested deeper than %zu levels",
                      ps->ctx->limits.max_json_depth);
        else
            rc = PERR(ps, err, MDL_ERR_PARSE, "not valid JSON at byte %zu: %s", at + 1,
                      jerr == json_tokener_continue || jerr == json_tokener_success
                          ? "unexpected end of data"
                          : json_tokener_error_desc(jerr));
        goto cleanup;
    }
    for (; at < len; at++)
        if (s[at] != ' ' && s[at] != '\t' && s[at] != '\r')
            break;
    if (at < len) {
        rc = PERR(ps, err, MDL_ERR_PARSE, "unexpected text after the JSON object at byte %zu",
                  at + 1);
        goto cleanup;
    }
    if (!json_object_is_type(root, json_type_object)) {
        rc = PERR(ps, err, MDL_ERR_PARSE, "expected a JSON object, got %s", jtype(root));
        goto cleanup;
    }
    if (json_object_object_length(root) == 0) {
        rc = PERR(ps, err, MDL_ERR_PARSE, "%s", "empty object: no action on this line");
        goto cleanup;
    }
    struct json_object *body = NULL;
    const char *found = NULL;
    json_object_object_foreach(root, key, val)
    {
        for (size_t i = 0; i < sizeof(KNOWN) / sizeof(KNOWN[0]); i++) {
            if (strcmp(key, KNOWN[i].key) != 0)
                continue;
            if (found != NULL) {
                rc = PERR(ps, err, MDL_ERR_PARSE, "two actions on one line ('%s' and '%s')", found,
                          key);
                goto cleanup;
            }
            found = KNOWN[i].key;
            action->kind = KNOWN[i].kind;
            body = val;
        }
    }
    if (found == NULL)
        goto cleanup; /* cdc, domainMetadata, ...: skipped */
    ps->action = found;
    if (body == NULL || !json_object_is_type(body, json_type_object)) {
        rc = PERR(ps, err, MDL_ERR_PARSE, "%s: expected an object, got %s", found,
                  body ? jtype(body) : "null");
        goto cleanup;
    }
    switch (action->kind) {
    case MDL_DELTA_PROTOCOL:
        rc = read_protocol(ps, body, &action->u.protocol, err);
        break;
    case MDL_DELTA_METADATA:
        rc = read_metadata(ps, body, &action->u.metadata, err);
        break;
    case MDL_DELTA_ADD:
        rc = read_add(ps, body, &action->u.add, err);
        break;
    case MDL_DELTA_REMOVE:
        rc = read_remove(ps, body, &action->u.remove, err);
        break;
    case MDL_DELTA_TXN:
        rc = read_txn(ps, body, &action->u.txn, err);
        break;
    case MDL_DELTA_COMMIT_INFO: {
        size_t n = 0;
        const char *text = json_object_to_json_string_length(
            body, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
        if (text == NULL || (action->u.commit_info = mdl_strndup(ps->ctx, text, n)) == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory copying commitInfo");
        break;
    }
    }
cleanup:
    json_object_put(root);
    return rc;
}

int mdl_table__actions_parse(mdl_delta_actions *list, const char *name, const char *data,
                             size_t len, mdl_error *err)
{
    mdl_ctx *ctx = list->ctx;
    size_t max_line = ctx->limits.max_record_bytes;
    size_t depth = ctx->limits.max_json_depth;
    if (max_line == 0 || depth == 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "%s: limits.max_record_bytes and limits.max_json_depth must be set",
                             name);
    if (max_line > INT_MAX - 1)
        max_line = INT_MAX - 1; /* json-c takes an int length */
    struct json_tokener *tok = json_tokener_new_ex(depth > INT_MAX ? INT_MAX : (int)depth);
    if (tok == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a JSON parser");
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);

    int rc = MDL_OK;
    pstate ps = {ctx, name, 0, ""};
    size_t pos = 0;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - pos;
        const char *s = data + pos;
        ps.line++;
        pos = nl ? end + 1 : len;
        if (n > max_line) {
            rc = PERR(&ps, err, MDL_ERR_LIMIT, "line is %zu bytes, over the limit of %zu", n,
                      max_line);
            break;
        }
        size_t k = 0;
        while (k < n && (s[k] == ' ' || s[k] == '\t' || s[k] == '\r'))
            k++;
        if (k == n)
            continue; /* blank lines (a trailing newline) carry nothing */
        if (memchr(s, '\0', n) != NULL) {
            rc = PERR(&ps, err, MDL_ERR_PARSE, "%s", "NUL byte in line");
            break;
        }
        mdl_delta_action action;
        memset(&action, 0, sizeof(action));
        ps.action = "";
        rc = parse_line(&ps, tok, s, n, &action, err);
        if (rc != MDL_OK) {
            mdl_table__action_reset(ctx, &action);
            break;
        }
        if (action.kind == 0) {
            list->skipped++;
            continue;
        }
        action.line = ps.line;
        if ((rc = mdl_table__actions_push(list, &action, err)) != MDL_OK)
            break;
    }
    json_tokener_free(tok);
    return rc;
}
