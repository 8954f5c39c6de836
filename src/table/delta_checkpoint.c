/*
 * delta_checkpoint.c - writing and reading classic Delta checkpoints (see delta_checkpoint.h).
 *
 * The actions go through their JSON form both ways: the writer serialises each action as a
 * commit line would and shreds that JSON into the nested columns; the reader assembles each
 * row back into JSON and parses it with the commit parser. One code path then defines what an
 * action means, whether it comes from a commit or a checkpoint.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "medallion/format.h"
#include "table/delta_checkpoint.h"

#define LOG_PREFIX      "_delta_log/"
#define LAST_CHECKPOINT LOG_PREFIX "_last_checkpoint"
/* Rows assembled into JSON before they are parsed and applied. */
#define READ_BATCH_BYTES (4u << 20)

/* ---- the checkpoint schema (PROTOCOL.md "Checkpoint Schema") ------------------------------ */

#define LEAF(n, t, null)                                                                           \
    {                                                                                              \
        n, MDL_PQ_LEAF, null, {MDL_TYPE_##t, 0, 0}, NULL, 0                                        \
    }
#define GROUP(n, kind, null, kids)                                                                 \
    {                                                                                              \
        n, kind, null, {0, 0, 0}, kids, sizeof(kids) / sizeof(kids[0])                             \
    }

static const mdl_pq_node STRING_MAP[] = {LEAF("key", STRING, false), LEAF("value", STRING, true)};
static const mdl_pq_node STRING_ELEMENT[] = {LEAF("element", STRING, true)};

static const mdl_pq_node TXN[] = {LEAF("appId", STRING, true), LEAF("version", INT64, true),
                                  LEAF("lastUpdated", INT64, true)};
static const mdl_pq_node ADD[] = {
    LEAF("path", STRING, true),
    GROUP("partitionValues", MDL_PQ_MAP, true, STRING_MAP),
    LEAF("size", INT64, true),
    LEAF("modificationTime", INT64, true),
    LEAF("dataChange", BOOLEAN, true),
    LEAF("stats", STRING, true),
    GROUP("tags", MDL_PQ_MAP, true, STRING_MAP),
};
static const mdl_pq_node REMOVE[] = {
    LEAF("path", STRING, true),
    LEAF("deletionTimestamp", INT64, true),
    LEAF("dataChange", BOOLEAN, true),
    LEAF("extendedFileMetadata", BOOLEAN, true),
    GROUP("partitionValues", MDL_PQ_MAP, true, STRING_MAP),
    LEAF("size", INT64, true),
};
static const mdl_pq_node FORMAT[] = {LEAF("provider", STRING, true),
                                     GROUP("options", MDL_PQ_MAP, true, STRING_MAP)};
static const mdl_pq_node METADATA[] = {
    LEAF("id", STRING, true),
    LEAF("name", STRING, true),
    LEAF("description", STRING, true),
    GROUP("format", MDL_PQ_STRUCT, true, FORMAT),
    LEAF("schemaString", STRING, true),
    GROUP("partitionColumns", MDL_PQ_LIST, true, STRING_ELEMENT),
    GROUP("configuration", MDL_PQ_MAP, true, STRING_MAP),
    LEAF("createdTime", INT64, true),
};
static const mdl_pq_node PROTOCOL[] = {
    LEAF("minReaderVersion", INT32, true),
    LEAF("minWriterVersion", INT32, true),
    GROUP("readerFeatures", MDL_PQ_LIST, true, STRING_ELEMENT),
    GROUP("writerFeatures", MDL_PQ_LIST, true, STRING_ELEMENT),
};
static const mdl_pq_node CHECKPOINT[] = {
    GROUP("txn", MDL_PQ_STRUCT, true, TXN),
    GROUP("add", MDL_PQ_STRUCT, true, ADD),
    GROUP("remove", MDL_PQ_STRUCT, true, REMOVE),
    GROUP("metaData", MDL_PQ_STRUCT, true, METADATA),
    GROUP("protocol", MDL_PQ_STRUCT, true, PROTOCOL),
};
#define CHECKPOINT_FIELDS (sizeof(CHECKPOINT) / sizeof(CHECKPOINT[0]))

/* ---- names ---------------------------------------------------------------------------------- */

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

bool mdl_table__checkpoint_name(const char *name, int64_t *version, int *part, int *parts)
{
    /* 20 digits ".checkpoint" [ "." 10 digits "." 10 digits ] ".parquet" */
    size_t n = strlen(name);
    if (n < 20 + 11 + 8 || !digits(name, 20) || strncmp(name + 20, ".checkpoint", 11) != 0)
        return false;
    const char *rest = name + 31;
    if (strcmp(rest, ".parquet") == 0) {
        *part = *parts = 1;
    } else if (strlen(rest) == 1 + 10 + 1 + 10 + 8 && rest[0] == '.' && digits(rest + 1, 10) &&
               rest[11] == '.' && digits(rest + 12, 10) && strcmp(rest + 22, ".parquet") == 0) {
        long o = strtol(rest + 1, NULL, 10), p = strtol(rest + 12, NULL, 10);
        if (o < 1 || p < 1 || o > p || p > 1000000)
            return false;
        *part = (int)o;
        *parts = (int)p;
    } else {
        return false;
    }
    *version = strtoll(name, NULL, 10);
    return true;
}

void mdl_table__checkpoint_key(int64_t version, int part, int parts, char *buf, size_t cap)
{
    if (parts <= 1)
        snprintf(buf, cap, LOG_PREFIX "%020lld.checkpoint.parquet", (long long)version);
    else
        snprintf(buf, cap, LOG_PREFIX "%020lld.checkpoint.%010d.%010d.parquet", (long long)version,
                 part, parts);
}

int64_t mdl_table__checkpoint_interval(const mdl_delta_metadata *m)
{
    const mdl_delta_kv *kv =
        m != NULL ? mdl_table__map_get(&m->configuration, "delta.checkpointInterval") : NULL;
    if (kv == NULL || kv->value == NULL)
        return MDL_DELTA_CHECKPOINT_INTERVAL;
    char *end;
    long long v = strtoll(kv->value, &end, 10);
    if (end == kv->value || *end != '\0' || v <= 0)
        return MDL_DELTA_CHECKPOINT_INTERVAL;
    return v;
}

/* ---- reading ----------------------------------------------------------------------------------
 */

static int flush_rows(mdl_ctx *ctx, const char *name, mdl_buf *rows,
                      int (*apply)(void *, mdl_delta_action *, mdl_error *), void *payload,
                      mdl_error *err)
{
    if (rows->len == 0)
        return MDL_OK;
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, ctx);
    int rc = mdl_table__actions_parse(&acts, name, rows->data, rows->len, err);
    for (size_t i = 0; rc == MDL_OK && i < acts.count; i++)
        rc = apply(payload, &acts.items[i], err);
    mdl_table__actions_reset(&acts);
    rows->len = 0;
    return rc;
}

static int read_part(mdl_ctx *ctx, mdl_storage *st, const char *key,
                     int (*apply)(void *, mdl_delta_action *, mdl_error *), void *payload,
                     mdl_error *err)
{
    mdl_rinput *in = NULL;
    mdl_parquet_record_reader *r = NULL;
    mdl_buf row, rows;
    mdl_buf_init(&row, ctx, 0);
    mdl_buf_init(&rows, ctx, 0);
    char name[MDL_STORAGE_KEY_MAX + 64];
    int rc = st->open_rinput(st, key, &in, err);
    if (rc == MDL_OK)
        rc = mdl_parquet_record_reader_open(ctx, in, CHECKPOINT, CHECKPOINT_FIELDS, &r, err);
    uint64_t at = 0, first = 1;
    while (rc == MDL_OK) {
        bool got = false;
        rc = mdl_parquet_record_reader_next(r, &row, &got, err);
        if (rc != MDL_OK || !got)
            break;
        at++;
        /* Rows of actions this version does not project (commitInfo, domainMetadata,
         * checkpointMetadata, ...) assemble as {}: nothing to apply. */
        if (row.len <= 2)
            continue;
        if (rows.len == 0)
            first = at;
        rc = mdl_buf_append(&rows, row.data, row.len, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(&rows, "\n", 1, err);
        if (rc == MDL_OK && rows.len >= READ_BATCH_BYTES) {
            /* Line numbers in parse errors count from `first`: say so in the name. */
            snprintf(name, sizeof name, "%s (lines are rows from %llu)", key,
                     (unsigned long long)first);
            rc = flush_rows(ctx, name, &rows, apply, payload, err);
        }
    }
    if (rc == MDL_OK) {
        snprintf(name, sizeof name, "%s (lines are rows from %llu)", key,
                 (unsigned long long)first);
        rc = flush_rows(ctx, name, &rows, apply, payload, err);
    }
    if (rc != MDL_OK && strstr(err->message, key) == NULL) {
        char msg[MDL_ERROR_MESSAGE_SIZE];
        snprintf(msg, sizeof msg, "%s", err->message);
        rc = mdl_error_set(err, rc, "%s/%s: %s", st->root, key, msg);
    }
    mdl_parquet_record_reader_free(r);
    mdl_buf_reset(&row);
    mdl_buf_reset(&rows);
    return rc;
}

int mdl_table__checkpoint_read(mdl_ctx *ctx, mdl_storage *st, const mdl_delta_checkpoint_ref *ref,
                               int (*apply)(void *payload, mdl_delta_action *a, mdl_error *err),
                               void *payload, mdl_error *err)
{
    for (int p = 1; p <= ref->parts; p++) {
        char key[96];
        mdl_table__checkpoint_key(ref->version, p, ref->parts, key, sizeof key);
        int rc = read_part(ctx, st, key, apply, payload, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

int64_t mdl_table__last_checkpoint_version(mdl_ctx *ctx, mdl_storage *st)
{
    mdl_buf data;
    mdl_error e;
    int64_t version = -1;
    if (st->read_all(st, LAST_CHECKPOINT, 1u << 20, &data, &e) == MDL_OK) {
        json_object *root = json_tokener_parse(data.data);
        json_object *v;
        if (root != NULL && json_object_object_get_ex(root, "version", &v) &&
            json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
            version = json_object_get_int64(v);
        json_object_put(root);
    }
    mdl_buf_reset(&data);
    (void)ctx;
    return version;
}

/* ---- writing ------------------------------------------------------------------------------------
 */

typedef struct cp_writer {
    mdl_ctx *ctx;
    mdl_parquet_record_writer *w;
    mdl_buf line;
    uint64_t actions, adds;
} cp_writer;

static int put_action(cp_writer *cw, const mdl_delta_action *a, mdl_error *err)
{
    cw->line.len = 0;
    int rc = mdl_table__action_write(cw->ctx, a, &cw->line, err);
    if (rc != MDL_OK)
        return rc;
    size_t n = cw->line.len;
    while (n > 0 && cw->line.data[n - 1] == '\n')
        n--;
    rc = mdl_parquet_record_writer_write_json(cw->w, cw->line.data, n, err);
    if (rc == MDL_OK) {
        cw->actions++;
        cw->adds += a->kind == MDL_DELTA_ADD;
    }
    return rc;
}

static int put_files(cp_writer *cw, const mdl_delta_snapshot *snap, int64_t now_ms, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < snap->files.count; i++) {
        const mdl_delta_action *a = &snap->files.items[i];
        if (a->kind != MDL_DELTA_ADD)
            continue;
        /* The checkpoint records state, not a change (as Delta's own log replay does). */
        mdl_delta_action copy = *a;
        copy.u.add.data_change = false;
        rc = put_action(cw, &copy, err);
    }
    for (size_t i = 0; rc == MDL_OK && i < snap->tombstones.count; i++) {
        const mdl_delta_action *a = &snap->tombstones.items[i];
        if (a->kind != MDL_DELTA_REMOVE)
            continue;
        int64_t when = a->u.remove.has_deletion_timestamp ? a->u.remove.deletion_timestamp : 0;
        if (when < now_ms - MDL_DELTA_TOMBSTONE_RETENTION_MS)
            continue; /* expired: vacuum may delete the file, nobody needs the tombstone */
        mdl_delta_action copy = *a;
        copy.u.remove.data_change = false;
        rc = put_action(cw, &copy, err);
    }
    return rc;
}

static int write_last_checkpoint(mdl_ctx *ctx, mdl_storage *st, int64_t version, uint64_t size,
                                 uint64_t bytes, uint64_t adds, mdl_error *err)
{
    if (mdl_table__last_checkpoint_version(ctx, st) > version)
        return MDL_OK; /* someone already pointed it at a newer checkpoint */
    char text[256];
    int n = snprintf(text, sizeof text,
                     "{\"version\":%lld,\"size\":%llu,\"sizeInBytes\":%llu,\"numOfAddFiles\":%llu}",
                     (long long)version, (unsigned long long)size, (unsigned long long)bytes,
                     (unsigned long long)adds);
    return st->put(st, LAST_CHECKPOINT, text, (size_t)n, err);
}

int mdl_table__checkpoint_write(mdl_ctx *ctx, mdl_storage *st, const mdl_delta_snapshot *snap,
                                int64_t now_ms, mdl_error *err)
{
    if (snap->version < 0 || !snap->has_protocol || !snap->has_metadata)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: no table to checkpoint", st->root);
    char key[96];
    mdl_table__checkpoint_key(snap->version, 1, 1, key, sizeof key);
    mdl_output *out = NULL;
    cp_writer cw = {ctx, NULL, {0}, 0, 0};
    mdl_buf_init(&cw.line, ctx, 0);
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    o.codec = MDL_CODEC_SNAPPY; /* what Delta's own checkpoints use: every engine reads it */
    int rc = st->open_output(st, key, &out, err);
    if (rc == MDL_OK)
        rc =
            mdl_parquet_record_writer_open(ctx, out, CHECKPOINT, CHECKPOINT_FIELDS, &o, &cw.w, err);
    mdl_delta_action a;
    if (rc == MDL_OK) {
        memset(&a, 0, sizeof a);
        a.kind = MDL_DELTA_PROTOCOL;
        a.u.protocol = snap->protocol;
        rc = put_action(&cw, &a, err);
    }
    if (rc == MDL_OK) {
        memset(&a, 0, sizeof a);
        a.kind = MDL_DELTA_METADATA;
        a.u.metadata = snap->metadata;
        rc = put_action(&cw, &a, err);
    }
    size_t pos = 0;
    mdl_strview app;
    uint64_t version;
    while (rc == MDL_OK && mdl_hashmap_next(snap->txns, &pos, &app, &version)) {
        char *id = mdl_strndup(ctx, app.ptr, app.len);
        if (id == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory writing a checkpoint");
            break;
        }
        memset(&a, 0, sizeof a);
        a.kind = MDL_DELTA_TXN;
        a.u.txn.app_id = id;
        a.u.txn.version = (int64_t)version;
        rc = put_action(&cw, &a, err);
        mdl_free(ctx, id);
    }
    if (rc == MDL_OK)
        rc = put_files(&cw, snap, now_ms, err);
    uint64_t rows = 0, bytes = 0;
    if (rc == MDL_OK) {
        rc = mdl_parquet_record_writer_close(cw.w, &rows, &bytes, err);
        cw.w = NULL;
    }
    mdl_parquet_record_writer_abort(cw.w);
    mdl_buf_reset(&cw.line);
    if (rc == MDL_OK)
        rc = write_last_checkpoint(ctx, st, snap->version, cw.actions, bytes, cw.adds, err);
    return rc;
}
