/*
 * table.c - the public Delta table API (medallion/table.h) over the log (delta_log.c):
 * create, open a snapshot, list files, scan (skipping files by partition values and stats),
 * history, and a writer that puts batches into Parquet data files (one per partition) with
 * Delta statistics and commits them atomically.
 *
 *   <table>/_delta_log/NNNNNNNNNNNNNNNNNNNN.json   the log
 *   <table>/part-00000-<uuid>.parquet             data files of an unpartitioned table
 *   <table>/country=US/day=2024-01-02/part-...     those of a partitioned one, per partition
 *
 * As Spark writes them, data files of a partitioned table leave the partition columns out:
 * their values live in add.partitionValues (and the folder names), and scans put them back.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "medallion/table.h"
#include "table/delta_checkpoint.h"
#include "table/delta_log.h"
#include "table/table_internal.h"

struct mdl_table {
    mdl_ctx *ctx;
    mdl_storage *st;
    mdl_delta_snapshot *snap;
    mdl_schema *schema;
    size_t *active; /* indices into snap->files.items of the active files, in commit order */
    size_t num_active;
    size_t num_parts;
    size_t *part_idx;        /* schema index of each partition column */
    bool *is_part;           /* per schema field */
    size_t *data_col;        /* per schema field: its index in data_schema (if not a partition) */
    mdl_schema *data_schema; /* the columns data files hold */
};

/* Row helpers (core) under the names the writer, scans and pruning use. */
#define append_row mdl_column_append_from
#define cmp_values mdl_column_compare

/* ---- create / open ----------------------------------------------------------------------- */

/* Partition columns must name distinct schema columns with exact values: a DOUBLE's text
 * form would not round-trip reliably into a folder name and back. */
static int check_partition_columns(const mdl_schema *schema, const char *const *cols, size_t n,
                                   mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *pc = cols[i] ? cols[i] : "";
        long idx = mdl_schema_find(schema, mdl_sv(pc));
        if (idx < 0)
            return mdl_error_set(err, MDL_ERR_SCHEMA, "partition column '%s' is not in the schema",
                                 pc);
        if (schema->fields[idx].type.id == MDL_TYPE_DOUBLE)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "partition column '%s' is a double; partition by a column with "
                                 "exact values (string, integer, date, ...)",
                                 pc);
        for (size_t j = 0; j < i; j++)
            if (strcmp(cols[j] ? cols[j] : "", pc) == 0)
                return mdl_error_set(err, MDL_ERR_SCHEMA, "partition column '%s' is listed twice",
                                     pc);
    }
    if (n > 0 && n >= schema->num_fields)
        return mdl_error_set(err, MDL_ERR_SCHEMA,
                             "every column is a partition column; data files need at least one "
                             "other column");
    return MDL_OK;
}

/* The table properties medallion accepts on create (see medallion/table.h). */
static int check_properties(const mdl_key_value *props, size_t n, mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        const char *k = props[i].key, *v = props[i].value;
        if (k == NULL || *k == '\0' || v == NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "table property %zu has no %s", i + 1,
                                 k == NULL || *k == '\0' ? "key" : "value");
        for (size_t j = 0; j < i; j++)
            if (strcmp(props[j].key, k) == 0)
                return mdl_error_set(err, MDL_ERR_INVALID_ARG, "table property '%s' is given twice",
                                     k);
        if (strncmp(k, "delta.", 6) != 0)
            continue;
        if (strcmp(k, "delta.checkpointInterval") == 0) {
            char *end;
            long long x = strtoll(v, &end, 10);
            if (end == v || *end != '\0' || x <= 0)
                return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                     "table property delta.checkpointInterval must be a positive "
                                     "integer, not '%s'",
                                     v);
        } else if (strcmp(k, "delta.appendOnly") == 0) {
            if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0)
                return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                     "table property delta.appendOnly must be true or false, not "
                                     "'%s'",
                                     v);
        } else {
            return mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                                 "table property '%s' is not supported (medallion honours "
                                 "delta.checkpointInterval and delta.appendOnly; other keys must "
                                 "not start with 'delta.')",
                                 k);
        }
    }
    return MDL_OK;
}

/* A deep copy of a metaData action's payload (the new one of a metadata change). */
static int copy_metadata(mdl_ctx *ctx, const mdl_delta_metadata *m, mdl_delta_metadata *o,
                         mdl_error *err)
{
    memset(o, 0, sizeof *o);
    o->id = mdl_strdup(ctx, m->id);
    o->name = m->name ? mdl_strdup(ctx, m->name) : NULL;
    o->description = m->description ? mdl_strdup(ctx, m->description) : NULL;
    o->format_provider = mdl_strdup(ctx, m->format_provider ? m->format_provider : "parquet");
    o->has_created_time = m->has_created_time;
    o->created_time = m->created_time;
    int rc =
        o->id && o->format_provider && (!m->name || o->name) && (!m->description || o->description)
            ? MDL_OK
            : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory copying table metadata");
    for (size_t i = 0; rc == MDL_OK && i < m->format_options.count; i++)
        rc = mdl_table__map_put(ctx, &o->format_options, m->format_options.items[i].key,
                                m->format_options.items[i].value, err);
    for (size_t i = 0; rc == MDL_OK && i < m->partition_columns.count; i++)
        rc =
            mdl_table__strings_push(ctx, &o->partition_columns, m->partition_columns.items[i], err);
    for (size_t i = 0; rc == MDL_OK && i < m->configuration.count; i++)
        rc = mdl_table__map_put(ctx, &o->configuration, m->configuration.items[i].key,
                                m->configuration.items[i].value, err);
    return rc;
}

int mdl_table_add_columns(mdl_ctx *ctx, mdl_storage *st, const mdl_field_def *fields,
                          size_t num_fields, int64_t *version_out, mdl_error *err)
{
    mdl_table *t = NULL;
    mdl_schema *ns = NULL;
    mdl_field_def *defs = NULL;
    mdl_buf js;
    mdl_buf_init(&js, ctx, 0);
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, ctx);
    int rc = mdl_table_open(ctx, st, -1, &t, err);
    if (rc != MDL_OK)
        return rc;
    mdl_schema *os = t->schema;
    size_t n = os->num_fields + num_fields;
    defs = mdl_calloc(ctx, n ? n : 1, sizeof *defs);
    if (defs == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory adding columns");
    for (size_t i = 0; rc == MDL_OK && i < os->num_fields; i++)
        defs[i] = (mdl_field_def){os->fields[i].name, os->fields[i].type, os->fields[i].nullable};
    for (size_t i = 0; rc == MDL_OK && i < num_fields; i++) {
        if (mdl_schema_find(os, mdl_sv(fields[i].name)) >= 0)
            rc = mdl_error_set(err, MDL_ERR_SCHEMA, "%s: the table already has a column '%s'",
                               st->root, fields[i].name);
        defs[os->num_fields + i] = (mdl_field_def){fields[i].name, fields[i].type, true};
    }
    if (rc == MDL_OK)
        rc = mdl_schema_new(ctx, defs, n, &ns, err); /* also refuses repeated new names */
    if (rc == MDL_OK)
        rc = mdl_table__schema_to_delta(ns, &js, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&js, err);
    mdl_delta_action m;
    memset(&m, 0, sizeof m);
    m.kind = MDL_DELTA_METADATA;
    if (rc == MDL_OK)
        rc = copy_metadata(ctx, &t->snap->metadata, &m.u.metadata, err);
    if (rc == MDL_OK && (m.u.metadata.schema_string = mdl_strdup(ctx, js.data)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory adding columns");
    int prc = mdl_table__actions_push(&acts, &m, err);
    if (rc == MDL_OK)
        rc = prc;
    if (rc == MDL_OK) {
        int64_t v;
        bool noop;
        mdl_delta_commit_options o = {
            .max_attempts = 20, /* appends in between do not conflict; schema changes do */
            .txn_version = -1,
            .checkpoint_interval = mdl_table__checkpoint_interval(&t->snap->metadata)};
        rc = mdl_table__commit(ctx, st, mdl_table_version(t), &acts, "ADD COLUMNS", &o, &v, &noop,
                               err);
        if (rc == MDL_OK && version_out != NULL)
            *version_out = v;
    }
    mdl_table__actions_reset(&acts);
    mdl_buf_reset(&js);
    mdl_free(ctx, defs);
    mdl_schema_release(ns);
    mdl_table_close(t);
    return rc;
}

int mdl_table_create(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema, const char *name,
                     const char *description, const char *const *partition_columns,
                     size_t num_partition_columns, mdl_error *err)
{
    return mdl_table_create_with_properties(ctx, st, schema, name, description, partition_columns,
                                            num_partition_columns, NULL, 0, err);
}

const char *mdl_table_property(const mdl_table *t, const char *key)
{
    const mdl_delta_kv *kv = mdl_table__map_get(&t->snap->metadata.configuration, key);
    return kv != NULL ? kv->value : NULL;
}

size_t mdl_table_num_properties(const mdl_table *t)
{
    return t->snap->metadata.configuration.count;
}

void mdl_table_property_at(const mdl_table *t, size_t i, const char **key, const char **value)
{
    const mdl_delta_kv *kv = &t->snap->metadata.configuration.items[i];
    *key = kv->key;
    *value = kv->value;
}

int mdl_table_open_or_create(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema, const char *name,
                             const char *description, const char *const *partition_columns,
                             size_t num_partition_columns, const mdl_key_value *properties,
                             size_t num_properties, mdl_table **out, bool *created, mdl_error *err)
{
    *out = NULL;
    if (created != NULL)
        *created = false;
    mdl_error e;
    int rc = mdl_table_open(ctx, st, -1, out, &e);
    if (rc == MDL_ERR_NOT_FOUND) {
        rc =
            mdl_table_create_with_properties(ctx, st, schema, name, description, partition_columns,
                                             num_partition_columns, properties, num_properties, &e);
        if (rc == MDL_OK && created != NULL)
            *created = true;
        if (rc == MDL_OK || rc == MDL_ERR_CONFLICT) /* made here, or by someone meanwhile */
            rc = mdl_table_open(ctx, st, -1, out, &e);
    }
    if (rc != MDL_OK && err != NULL)
        *err = e;
    return rc;
}

int mdl_table_create_with_properties(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema,
                                     const char *name, const char *description,
                                     const char *const *partition_columns,
                                     size_t num_partition_columns, const mdl_key_value *properties,
                                     size_t num_properties, mdl_error *err)
{
    mdl_delta_snapshot *snap = NULL;
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, ctx);
    mdl_buf js;
    mdl_buf_init(&js, ctx, 0);
    int rc = check_partition_columns(schema, partition_columns, num_partition_columns, err);
    if (rc == MDL_OK)
        rc = check_properties(properties, num_properties, err);
    if (rc == MDL_OK)
        rc = mdl_table__snapshot_load(ctx, st, -1, &snap, err);
    if (rc == MDL_OK && snap->version >= 0)
        rc = mdl_error_set(err, MDL_ERR_CONFLICT, "%s: a Delta table already exists there",
                           st->root);
    if (rc == MDL_OK)
        rc = mdl_table__schema_to_delta(schema, &js, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&js, err);
    mdl_delta_action p, m;
    memset(&p, 0, sizeof p);
    memset(&m, 0, sizeof m);
    if (rc == MDL_OK) {
        p.kind = MDL_DELTA_PROTOCOL;
        p.u.protocol.min_reader_version = MDL_DELTA_READER_VERSION;
        p.u.protocol.min_writer_version = MDL_DELTA_WRITER_VERSION;
        rc = mdl_table__actions_push(&acts, &p, err);
    }
    if (rc == MDL_OK) {
        mdl_uuid id;
        char idtext[37];
        rc = mdl_uuid_v4(&id, err);
        mdl_uuid_format(&id, idtext);
        m.kind = MDL_DELTA_METADATA;
        m.u.metadata.id = mdl_strdup(ctx, idtext);
        m.u.metadata.name = name ? mdl_strdup(ctx, name) : NULL;
        m.u.metadata.description = description ? mdl_strdup(ctx, description) : NULL;
        m.u.metadata.format_provider = mdl_strdup(ctx, "parquet");
        m.u.metadata.schema_string = mdl_strdup(ctx, js.data);
        m.u.metadata.has_created_time = true;
        m.u.metadata.created_time = mdl_now_micros() / 1000;
        if (rc == MDL_OK && (m.u.metadata.id == NULL || m.u.metadata.format_provider == NULL ||
                             m.u.metadata.schema_string == NULL))
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a table");
        for (size_t i = 0; rc == MDL_OK && i < num_partition_columns; i++)
            rc = mdl_table__strings_push(ctx, &m.u.metadata.partition_columns, partition_columns[i],
                                         err);
        for (size_t i = 0; rc == MDL_OK && i < num_properties; i++)
            rc = mdl_table__map_put(ctx, &m.u.metadata.configuration, properties[i].key,
                                    properties[i].value, err);
        int prc = mdl_table__actions_push(&acts, &m, err);
        if (rc == MDL_OK)
            rc = prc;
    }
    if (rc == MDL_OK) {
        int64_t v;
        bool noop;
        /* one attempt: a lost race means the table exists */
        mdl_delta_commit_options o = {.max_attempts = 1, .txn_version = -1};
        rc = mdl_table__commit(ctx, st, -1, &acts, "CREATE TABLE", &o, &v, &noop, err);
        if (rc == MDL_ERR_CONFLICT)
            rc = mdl_error_set(err, MDL_ERR_CONFLICT,
                               "%s: another writer created the table at the same time", st->root);
    }
    mdl_table__actions_reset(&acts);
    mdl_buf_reset(&js);
    mdl_table__snapshot_free(snap);
    return rc;
}

/* Resolves metaData.partitionColumns against the schema and derives the data file schema. */
static int load_partitioning(mdl_table *t, mdl_error *err)
{
    mdl_ctx *ctx = t->ctx;
    mdl_schema *s = t->schema;
    const mdl_delta_strings *pcs = &t->snap->metadata.partition_columns;
    t->num_parts = pcs->count;
    t->part_idx = mdl_calloc(ctx, pcs->count ? pcs->count : 1, sizeof *t->part_idx);
    t->is_part = mdl_calloc(ctx, s->num_fields + 1, sizeof *t->is_part);
    t->data_col = mdl_calloc(ctx, s->num_fields + 1, sizeof *t->data_col);
    mdl_field_def *defs = mdl_calloc(ctx, s->num_fields + 1, sizeof *defs);
    int rc = MDL_OK;
    if (t->part_idx == NULL || t->is_part == NULL || t->data_col == NULL || defs == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table");
    for (size_t i = 0; rc == MDL_OK && i < pcs->count; i++) {
        long idx = mdl_schema_find(s, mdl_sv(pcs->items[i]));
        if (idx < 0 || t->is_part[idx])
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "%s: partition column '%s' is not a (distinct) schema column",
                               t->st->root, pcs->items[i]);
        else {
            t->part_idx[i] = (size_t)idx;
            t->is_part[idx] = true;
        }
    }
    size_t nd = 0;
    for (size_t c = 0; rc == MDL_OK && c < s->num_fields; c++) {
        if (t->is_part[c])
            continue;
        t->data_col[c] = nd;
        defs[nd].name = s->fields[c].name;
        defs[nd].type = s->fields[c].type;
        defs[nd].nullable = s->fields[c].nullable;
        nd++;
    }
    if (rc == MDL_OK && t->num_parts == 0)
        t->data_schema = mdl_schema_retain(s);
    else if (rc == MDL_OK)
        rc = mdl_schema_new(ctx, defs, nd, &t->data_schema, err);
    mdl_free(ctx, defs);
    return rc;
}

/* A table over a loaded snapshot (taken over, freed with the table, also on failure). */
static int table_from_snapshot(mdl_ctx *ctx, mdl_storage *st, mdl_delta_snapshot *snap,
                               mdl_table **out, mdl_error *err);

int mdl_table_open(mdl_ctx *ctx, mdl_storage *st, int64_t version, mdl_table **out, mdl_error *err)
{
    *out = NULL;
    mdl_delta_snapshot *snap = NULL;
    int rc = mdl_table__snapshot_load(ctx, st, version, &snap, err);
    if (rc != MDL_OK)
        return rc;
    return table_from_snapshot(ctx, st, snap, out, err);
}

static int table_from_snapshot(mdl_ctx *ctx, mdl_storage *st, mdl_delta_snapshot *snap,
                               mdl_table **out, mdl_error *err)
{
    *out = NULL;
    mdl_table *t = mdl_calloc(ctx, 1, sizeof *t);
    if (t == NULL) {
        mdl_table__snapshot_free(snap);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table");
    }
    t->ctx = ctx;
    t->st = st;
    t->snap = snap;
    int rc = MDL_OK;
    if (rc == MDL_OK && t->snap->version < 0)
        rc = mdl_error_set(err, MDL_ERR_NOT_FOUND,
                           "%s: no Delta table there (create one with 'medallion table create')",
                           st->root);
    if (rc == MDL_OK) {
        const char *ss = t->snap->metadata.schema_string ? t->snap->metadata.schema_string : "";
        rc = mdl_table__schema_from_delta(ctx, ss, strlen(ss), &t->schema, NULL, err);
        if (rc != MDL_OK)
            mdl_error_prefix(err, "%s: ", st->root);
    }
    if (rc == MDL_OK)
        rc = load_partitioning(t, err);
    if (rc == MDL_OK) {
        t->active = mdl_calloc(ctx, t->snap->num_files ? t->snap->num_files : 1, sizeof(size_t));
        if (t->active == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table");
        for (size_t i = 0; rc == MDL_OK && i < t->snap->files.count; i++)
            if (t->snap->files.items[i].kind == MDL_DELTA_ADD)
                t->active[t->num_active++] = i;
    }
    if (rc != MDL_OK) {
        mdl_table_close(t);
        return rc;
    }
    *out = t;
    return MDL_OK;
}

int mdl_table_open_at_time(mdl_ctx *ctx, mdl_storage *st, int64_t timestamp_ms, mdl_table **out,
                           mdl_error *err)
{
    *out = NULL;
    mdl_table_history h;
    int rc = mdl_table_history_read(ctx, st, &h, err);
    if (rc != MDL_OK)
        return rc;
    int64_t version = -1;
    for (size_t i = 0; i < h.count && version < 0; i++) /* newest first */
        if (h.commits[i].timestamp >= 0 && h.commits[i].timestamp <= timestamp_ms)
            version = h.commits[i].version;
    mdl_table_history_free(ctx, &h);
    if (version < 0) {
        char when[48];
        mdl_timestamp_format(timestamp_ms * 1000, when, sizeof when);
        return mdl_error_set(err, MDL_ERR_NOT_FOUND, "%s: the table has no version as of %s",
                             st->root, when);
    }
    return mdl_table_open(ctx, st, version, out, err);
}

void mdl_table_close(mdl_table *t)
{
    if (t == NULL)
        return;
    mdl_table__snapshot_free(t->snap);
    mdl_schema_release(t->schema);
    mdl_schema_release(t->data_schema);
    mdl_free(t->ctx, t->part_idx);
    mdl_free(t->ctx, t->is_part);
    mdl_free(t->ctx, t->data_col);
    mdl_free(t->ctx, t->active);
    mdl_free(t->ctx, t);
}

int64_t mdl_table_checkpoint_version(const mdl_table *t)
{
    return t->snap->checkpoint_version;
}

int64_t mdl_table_version(const mdl_table *t)
{
    return t->snap->version;
}

mdl_schema *mdl_table_schema(const mdl_table *t)
{
    return t->schema;
}

const char *mdl_table_name(const mdl_table *t)
{
    return t->snap->metadata.name;
}

const char *mdl_table_description(const mdl_table *t)
{
    return t->snap->metadata.description;
}

size_t mdl_table_num_partition_columns(const mdl_table *t)
{
    return t->num_parts;
}

const char *mdl_table_partition_column(const mdl_table *t, size_t i)
{
    return i < t->num_parts ? t->snap->metadata.partition_columns.items[i] : NULL;
}

const mdl_delta_metadata *mdl_table__metadata(const mdl_table *t)
{
    return &t->snap->metadata;
}

mdl_schema *mdl_table__data_schema(const mdl_table *t)
{
    return t->data_schema;
}

const mdl_delta_map *mdl_table__file_partition_values(const mdl_table *t, size_t i)
{
    return &t->snap->files.items[t->active[i]].u.add.partition_values;
}

bool mdl_table__same_partition(const mdl_delta_map *a, const mdl_delta_map *b)
{
    if (a->count != b->count)
        return false;
    for (size_t i = 0; i < a->count; i++) {
        const mdl_delta_kv *o = mdl_table__map_get(b, a->items[i].key);
        if (o == NULL)
            return false;
        /* "" and null both stand for null (PROTOCOL.md) */
        const char *x = a->items[i].value ? a->items[i].value : "";
        const char *y = o->value ? o->value : "";
        if (strcmp(x, y) != 0)
            return false;
    }
    return true;
}

int mdl_table__partition_dir(const mdl_table *t, const mdl_delta_map *values, mdl_buf *out,
                             mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < t->num_parts; i++) {
        const char *col = t->snap->metadata.partition_columns.items[i];
        const mdl_delta_kv *kv = mdl_table__map_get(values, col);
        const char *v = kv && kv->value && kv->value[0] ? kv->value : NULL;
        rc = mdl_table__hive_dir(col, v, out, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(out, "/", 1, err);
    }
    return rc;
}

size_t mdl_table_num_files(const mdl_table *t)
{
    return t->num_active;
}

int64_t mdl_table_num_records(const mdl_table *t)
{
    int64_t n = 0;
    for (size_t i = 0; i < t->num_active; i++) {
        mdl_table_file f;
        mdl_table_file_at(t, i, &f);
        if (f.num_records < 0)
            return -1;
        n += f.num_records;
    }
    return n;
}

/* numRecords from add.stats without parsing the rest of it. */
static int64_t num_records_of(const char *stats)
{
    const char *p = stats ? strstr(stats, "\"numRecords\":") : NULL;
    return p ? strtoll(p + strlen("\"numRecords\":"), NULL, 10) : -1;
}

void mdl_table_file_at(const mdl_table *t, size_t i, mdl_table_file *out)
{
    const mdl_delta_add *a = &t->snap->files.items[t->active[i]].u.add;
    out->path = a->path;
    out->size = a->size;
    out->modification_time = a->modification_time;
    out->stats = a->stats;
    out->num_records = num_records_of(a->stats);
}

int64_t mdl_table_txn_version(const mdl_table *t, const char *app_id)
{
    return mdl_table__snapshot_txn(t->snap, app_id);
}

/* ---- scan -------------------------------------------------------------------------------- */

typedef struct scan_state {
    mdl_table *t;
    size_t next_file;
    bool *keep; /* per active file: not pruned */
    mdl_parquet_reader *reader;
    mdl_batch *pv;    /* one row under the table schema: the current file's partition values */
    size_t file_cols; /* data columns in the current file (fewer after added columns) */
    bool *want;       /* per table column: read it (NULL: every column) */
    size_t *src;      /* per table column: its column in the reader's batches, or SIZE_MAX */
} scan_state;

/* Puts the current file's partition values (constant per file) back into a data batch, at
 * their schema positions, and nulls for the columns the file predates, so that scans return
 * the table schema in schema order. */
static int add_partition_columns(scan_state *s, mdl_batch *in, mdl_batch **out, mdl_error *err)
{
    mdl_table *t = s->t;
    size_t rows = in->num_rows;
    mdl_batch *o;
    int rc = mdl_batch_new(t->ctx, t->schema, rows ? rows : 1, &o, err);
    for (size_t c = 0; rc == MDL_OK && c < t->schema->num_fields; c++) {
        if (!t->is_part[c] && t->data_col[c] >= s->file_cols) {
            for (size_t r = 0; rc == MDL_OK && r < rows; r++)
                rc = mdl_column_append_null(t->ctx, &o->columns[c], err);
            continue; /* a column added after this file was written */
        }
        const mdl_column *src = t->is_part[c] ? &s->pv->columns[c] : &in->columns[t->data_col[c]];
        for (size_t r = 0; rc == MDL_OK && r < rows; r++)
            rc = append_row(t->ctx, &o->columns[c], src, t->is_part[c] ? 0 : r, err);
    }
    mdl_batch_free(in);
    if (rc != MDL_OK) {
        mdl_batch_free(o);
        return rc;
    }
    o->num_rows = rows;
    *out = o;
    return MDL_OK;
}

/* A batch of the table schema from a projected read: the wanted columns moved over (no
 * copy), partition values filled in, every other column NULL. */
static int project_batch(scan_state *s, mdl_batch *in, mdl_batch **out, mdl_error *err)
{
    mdl_table *t = s->t;
    size_t rows = in->num_rows;
    size_t cap = in->capacity > rows ? in->capacity : rows;
    mdl_batch *o;
    int rc = mdl_batch_new(t->ctx, t->schema, cap ? cap : 1, &o, err);
    for (size_t c = 0; rc == MDL_OK && c < t->schema->num_fields; c++) {
        mdl_column *dst = &o->columns[c];
        if (s->want[c] && t->is_part[c]) {
            const mdl_column *v = &s->pv->columns[c];
            if (mdl_column_is_null(v, 0))
                rc = mdl_column_append_nulls(t->ctx, dst, rows, err);
            for (size_t r = 0; rc == MDL_OK && !mdl_column_is_null(v, 0) && r < rows; r++)
                rc = append_row(t->ctx, dst, v, 0, err);
        } else if (s->want[c] && s->src[c] != SIZE_MAX) {
            /* same type and capacity: the input batch (maybe pooled) gets an empty column */
            mdl_column tmp = *dst;
            *dst = in->columns[s->src[c]];
            in->columns[s->src[c]] = tmp;
        } else {
            rc = mdl_column_append_nulls(t->ctx, dst, rows, err);
        }
    }
    mdl_batch_free(in);
    if (rc != MDL_OK) {
        mdl_batch_free(o);
        return rc;
    }
    o->num_rows = rows;
    *out = o;
    return MDL_OK;
}

/* Reopens the current file's reader with only the wanted data columns it has. */
static int project_reader(scan_state *s, const char *path, mdl_error *err)
{
    mdl_table *t = s->t;
    size_t nf = t->schema->num_fields;
    const char **names = mdl_calloc(t->ctx, nf + 1, sizeof *names);
    if (names == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory starting a scan");
    size_t n = 0;
    for (size_t c = 0; c < nf; c++) {
        s->src[c] = SIZE_MAX;
        if (!s->want[c] || t->is_part[c] || t->data_col[c] >= s->file_cols)
            continue;
        s->src[c] = n;
        names[n++] = t->schema->fields[c].name;
    }
    mdl_parquet_reader_free(s->reader);
    s->reader = NULL;
    mdl_parquet_read_options o;
    memset(&o, 0, sizeof o);
    o.columns = names;
    o.num_columns = n;
    mdl_rinput *in;
    int rc = t->st->open_rinput(t->st, path, &in, err);
    if (rc == MDL_OK)
        rc = mdl_parquet_reader_open(t->ctx, in, &o, &s->reader, err);
    mdl_free(t->ctx, names);
    return rc;
}

static int scan_next(void *state, mdl_batch **out, mdl_error *err)
{
    scan_state *s = state;
    mdl_table *t = s->t;
    *out = NULL;
    for (;;) {
        if (s->reader != NULL) {
            mdl_batch *b = NULL;
            int rc = mdl_parquet_reader_next(s->reader, &b, err);
            if (rc == MDL_OK && b != NULL && s->want != NULL)
                return project_batch(s, b, out, err);
            if (rc == MDL_OK && b != NULL &&
                (t->num_parts > 0 || s->file_cols < t->data_schema->num_fields))
                return add_partition_columns(s, b, out, err);
            *out = b;
            if (rc != MDL_OK || b != NULL)
                return rc;
            mdl_parquet_reader_free(s->reader);
            s->reader = NULL;
        }
        while (s->next_file < t->num_active && !s->keep[s->next_file])
            s->next_file++;
        if (s->next_file >= t->num_active)
            return MDL_OK;
        size_t i = s->next_file++;
        mdl_table_file f;
        mdl_table_file_at(t, i, &f);
        int rc = MDL_OK;
        if (t->num_parts > 0) {
            const mdl_delta_map *pv = mdl_table__file_partition_values(t, i);
            mdl_batch_clear(s->pv);
            for (size_t p = 0; rc == MDL_OK && p < t->num_parts; p++) {
                const char *name = t->schema->fields[t->part_idx[p]].name;
                const mdl_delta_kv *kv = mdl_table__map_get(pv, name);
                rc = mdl_table__partition_value_parse(t->ctx, name, kv ? kv->value : NULL,
                                                      &s->pv->columns[t->part_idx[p]], err);
            }
            if (rc != MDL_OK)
                return mdl_error_prefix(err, "%s: data file %s: ", t->st->root, f.path);
        }
        mdl_rinput *in;
        rc = t->st->open_rinput(t->st, f.path, &in, err);
        if (rc == MDL_OK)
            rc = mdl_parquet_reader_open(t->ctx, in, NULL, &s->reader, err);
        if (rc != MDL_OK)
            return mdl_error_prefix(err, "%s: data file %s: ", t->st->root, f.path);
        mdl_schema *fs = mdl_parquet_reader_schema(s->reader);
        mdl_schema *ds = t->data_schema;
        /* Columns added later (mdl_table_add_columns) come last and are absent from the files
         * written before: a file may hold a prefix of the data columns; the rest read null. */
        bool same = fs->num_fields <= ds->num_fields && fs->num_fields > 0;
        s->file_cols = fs->num_fields;
        for (size_t c = 0; same && c < fs->num_fields; c++)
            same = strcmp(fs->fields[c].name, ds->fields[c].name) == 0 &&
                   mdl_type_equal(fs->fields[c].type, ds->fields[c].type);
        if (!same)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "%s: data file %s does not have the table's schema%s", t->st->root,
                                 f.path, t->num_parts ? " (without the partition columns)" : "");
        if (s->want != NULL && (rc = project_reader(s, f.path, err)) != MDL_OK)
            return mdl_error_prefix(err, "%s: data file %s: ", t->st->root, f.path);
    }
}

static void scan_free(void *state)
{
    scan_state *s = state;
    mdl_parquet_reader_free(s->reader);
    mdl_batch_free(s->pv);
    mdl_free(s->t->ctx, s->want);
    mdl_free(s->t->ctx, s->src);
    mdl_free(s->t->ctx, s->keep);
    mdl_free(s->t->ctx, s);
}

static const mdl_batch_source SCAN = {scan_next, scan_free};

/* ---- pruning ----------------------------------------------------------------------------- */

/* Whether a known value (row vr of v) can satisfy the predicate with these parsed values. */
static bool value_matches(const mdl_predicate *p, const mdl_column *v, size_t vr,
                          const mdl_column *vals)
{
    if (p->op == MDL_PRED_IS_NULL)
        return mdl_column_is_null(v, vr);
    if (mdl_column_is_null(v, vr))
        return false; /* a comparison with null is never true */
    for (size_t k = 0; k < vals->length; k++) {
        if (mdl_column_is_null(vals, k))
            continue;
        int c = cmp_values(v, vr, vals, k);
        switch (p->op) {
        case MDL_PRED_EQ:
        case MDL_PRED_IN:
            if (c == 0)
                return true;
            continue;
        case MDL_PRED_LT:
            return c < 0;
        case MDL_PRED_LE:
            return c <= 0;
        case MDL_PRED_GT:
            return c > 0;
        case MDL_PRED_GE:
            return c >= 0;
        case MDL_PRED_IS_NULL:
            break;
        }
    }
    return false;
}

/* Whether add.stats leave room for a row of column c that satisfies the predicate. Bounds
 * may be truncated (strings, timestamps) but always outward, so they stay safe. */
static bool stats_may_match(const mdl_predicate *p, size_t c, const mdl_delta_stats *st,
                            const mdl_column *vals)
{
    if (c >= st->num_fields)
        return true;
    int64_t nulls = st->null_count ? st->null_count[c] : -1;
    if (p->op == MDL_PRED_IS_NULL)
        return nulls != 0;
    if (st->num_records >= 0 && nulls >= st->num_records)
        return false; /* only nulls (or no rows): no comparison can hold */
    /* NaN is left out of double min/max, and it compares above every number in Spark */
    if (vals->type.id == MDL_TYPE_DOUBLE || st->min_values == NULL || st->max_values == NULL)
        return true;
    const mdl_column *mn = &st->min_values->columns[c], *mx = &st->max_values->columns[c];
    bool has_min = mn->length > 0 && !mdl_column_is_null(mn, 0);
    bool has_max = mx->length > 0 && !mdl_column_is_null(mx, 0);
    for (size_t k = 0; k < vals->length; k++) {
        if (mdl_column_is_null(vals, k))
            continue;
        switch (p->op) {
        case MDL_PRED_EQ:
        case MDL_PRED_IN:
            if ((!has_min || cmp_values(vals, k, mn, 0) >= 0) &&
                (!has_max || cmp_values(vals, k, mx, 0) <= 0))
                return true;
            continue;
        case MDL_PRED_LT:
            return !has_min || cmp_values(mn, 0, vals, k) < 0;
        case MDL_PRED_LE:
            return !has_min || cmp_values(mn, 0, vals, k) <= 0;
        case MDL_PRED_GT:
            return !has_max || cmp_values(mx, 0, vals, k) > 0;
        case MDL_PRED_GE:
            return !has_max || cmp_values(mx, 0, vals, k) >= 0;
        case MDL_PRED_IS_NULL:
            break;
        }
    }
    return false;
}

/* Predicate columns and values resolved once per scan. */
typedef struct prune_ctx {
    const mdl_predicate *preds;
    size_t n;
    size_t *col;        /* schema index per predicate */
    mdl_batch **vals;   /* per predicate: its values, parsed into column col[i] */
    mdl_batch *scratch; /* one row: a file's partition value being checked */
} prune_ctx;

static int file_may_match(mdl_table *t, prune_ctx *pc, size_t i, bool *out, mdl_error *err)
{
    const mdl_delta_add *a = &t->snap->files.items[t->active[i]].u.add;
    mdl_delta_stats st;
    memset(&st, 0, sizeof st);
    bool tried = false, have = false;
    int rc = MDL_OK;
    *out = true;
    for (size_t k = 0; rc == MDL_OK && *out && k < pc->n; k++) {
        size_t c = pc->col[k];
        const mdl_column *vals = &pc->vals[k]->columns[c];
        if (t->is_part[c]) {
            mdl_column *v = &pc->scratch->columns[c];
            mdl_column_truncate(v, 0);
            const mdl_delta_kv *kv =
                mdl_table__map_get(&a->partition_values, t->schema->fields[c].name);
            rc = mdl_table__partition_value_parse(t->ctx, t->schema->fields[c].name,
                                                  kv ? kv->value : NULL, v, err);
            if (rc == MDL_OK)
                *out = value_matches(&pc->preds[k], v, 0, vals);
            else
                mdl_error_prefix(err, "%s: data file %s: ", t->st->root, a->path);
            continue;
        }
        if (!tried) {
            tried = true;
            /* unreadable stats only mean the file cannot be skipped */
            have =
                a->stats != NULL && mdl_table__stats_parse(t->ctx, t->schema, a->stats,
                                                           strlen(a->stats), &st, NULL) == MDL_OK;
        }
        if (have)
            *out = stats_may_match(&pc->preds[k], c, &st, vals);
    }
    if (have)
        mdl_table__stats_reset(t->ctx, &st);
    return rc;
}

static void prune_ctx_reset(mdl_ctx *ctx, prune_ctx *pc)
{
    for (size_t k = 0; pc->vals != NULL && k < pc->n; k++)
        mdl_batch_free(pc->vals[k]);
    mdl_batch_free(pc->scratch);
    mdl_free(ctx, pc->vals);
    mdl_free(ctx, pc->col);
    memset(pc, 0, sizeof *pc);
}

/* Resolves each predicate's column and parses its values into that column's type. */
static int prune_ctx_init(mdl_table *t, const mdl_predicate *preds, size_t n, prune_ctx *pc,
                          mdl_error *err)
{
    mdl_ctx *ctx = t->ctx;
    memset(pc, 0, sizeof *pc);
    pc->preds = preds;
    pc->n = n;
    pc->col = mdl_calloc(ctx, n ? n : 1, sizeof *pc->col);
    pc->vals = mdl_calloc(ctx, n ? n : 1, sizeof *pc->vals);
    int rc = MDL_OK;
    if (pc->col == NULL || pc->vals == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory resolving predicates");
    if (rc == MDL_OK)
        rc = mdl_batch_new(ctx, t->schema, 1, &pc->scratch, err);
    for (size_t k = 0; rc == MDL_OK && k < n; k++) {
        const mdl_predicate *p = &preds[k];
        long c = p->column ? mdl_schema_find(t->schema, mdl_sv(p->column)) : -1;
        if (c < 0) {
            rc = mdl_error_set(err, MDL_ERR_NOT_FOUND, "%s: predicate on unknown column '%s'",
                               t->st->root, p->column ? p->column : "");
            break;
        }
        if (p->op != MDL_PRED_IS_NULL && (p->num_values == 0 || p->values == NULL)) {
            rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "predicate on '%s' has no value",
                               p->column);
            break;
        }
        pc->col[k] = (size_t)c;
        size_t nv = p->op == MDL_PRED_IS_NULL ? 0 : p->num_values;
        rc = mdl_batch_new(ctx, t->schema, nv ? nv : 1, &pc->vals[k], err);
        for (size_t v = 0; rc == MDL_OK && v < nv; v++)
            rc = mdl_table__partition_value_parse(ctx, p->column, p->values[v],
                                                  &pc->vals[k]->columns[c], err);
    }
    if (rc != MDL_OK)
        prune_ctx_reset(ctx, pc);
    return rc;
}

static int prune(mdl_table *t, const mdl_predicate *preds, size_t n, bool *keep, size_t *skipped,
                 mdl_error *err)
{
    prune_ctx pc;
    int rc = prune_ctx_init(t, preds, n, &pc, err);
    for (size_t i = 0; rc == MDL_OK && i < t->num_active; i++) {
        rc = file_may_match(t, &pc, i, &keep[i], err);
        if (rc == MDL_OK && !keep[i])
            (*skipped)++;
    }
    prune_ctx_reset(t->ctx, &pc); /* a no-op when init failed */
    return rc;
}

int mdl_table_scan_where(mdl_table *t, const mdl_predicate *preds, size_t n, mdl_batch_stream **out,
                         size_t *files_skipped, mdl_error *err)
{
    return mdl_table_scan_columns(t, preds, n, NULL, out, files_skipped, err);
}

static int scan_open(mdl_table *t, const mdl_predicate *preds, size_t n, const bool *files,
                     const bool *columns, mdl_batch_stream **out, size_t *files_skipped,
                     mdl_error *err)
{
    *out = NULL;
    if (files_skipped != NULL)
        *files_skipped = 0;
    scan_state *s = mdl_calloc(t->ctx, 1, sizeof *s);
    if (s == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory starting a scan");
    s->t = t;
    s->keep = mdl_calloc(t->ctx, t->num_active ? t->num_active : 1, sizeof *s->keep);
    int rc = s->keep ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory starting a scan");
    for (size_t i = 0; rc == MDL_OK && i < t->num_active; i++)
        s->keep[i] = files == NULL || files[i];
    size_t skipped = 0;
    if (rc == MDL_OK && n > 0)
        rc = prune(t, preds, n, s->keep, &skipped, err);
    if (rc == MDL_OK && t->num_parts > 0)
        rc = mdl_batch_new(t->ctx, t->schema, 1, &s->pv, err);
    if (rc == MDL_OK && columns != NULL) {
        size_t nf = t->schema->num_fields;
        s->want = mdl_calloc(t->ctx, nf + 1, sizeof *s->want);
        s->src = mdl_calloc(t->ctx, nf + 1, sizeof *s->src);
        if (s->want == NULL || s->src == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory starting a scan");
        for (size_t c = 0; rc == MDL_OK && c < nf; c++)
            s->want[c] = columns[c];
    }
    if (rc != MDL_OK) {
        scan_free(s);
        return rc;
    }
    if (files_skipped != NULL)
        *files_skipped = skipped;
    return mdl_batch_stream_wrap(t->ctx, t->schema, &SCAN, s, out, err);
}

int mdl_table_scan_columns(mdl_table *t, const mdl_predicate *preds, size_t n, const bool *columns,
                           mdl_batch_stream **out, size_t *files_skipped, mdl_error *err)
{
    return scan_open(t, preds, n, NULL, columns, out, files_skipped, err);
}

int mdl_table_scan(mdl_table *t, mdl_batch_stream **out, mdl_error *err)
{
    return mdl_table_scan_where(t, NULL, 0, out, NULL, err);
}

int mdl_table_scan_files(mdl_table *t, const bool *files, const bool *columns,
                         mdl_batch_stream **out, mdl_error *err)
{
    return scan_open(t, NULL, 0, files, columns, out, NULL, err);
}

int mdl_table_keep_new_files(mdl_table *t, const mdl_table *older, mdl_error *err)
{
    mdl_hashmap *seen = NULL;
    int rc = mdl_hashmap_new(t->ctx, older->num_active + 1, &seen, err);
    for (size_t i = 0; rc == MDL_OK && i < older->num_active; i++) {
        mdl_table_file f;
        mdl_table_file_at(older, i, &f);
        rc = mdl_hashmap_put(seen, mdl_sv(f.path), i, err);
    }
    if (rc == MDL_OK) {
        size_t kept = 0;
        for (size_t i = 0; i < t->num_active; i++) {
            mdl_table_file f;
            mdl_table_file_at(t, i, &f);
            if (!mdl_hashmap_get(seen, mdl_sv(f.path), NULL))
                t->active[kept++] = t->active[i];
        }
        t->num_active = kept;
    }
    mdl_hashmap_free(seen);
    return rc;
}

/* ---- history ----------------------------------------------------------------------------- */

int mdl_table_history_read(mdl_ctx *ctx, mdl_storage *st, mdl_table_history *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    /* Only the listing: each commit is read once below, not replayed first. */
    int64_t latest;
    int rc = mdl_table__latest_version(ctx, st, &latest, err);
    if (rc != MDL_OK)
        return rc;
    int64_t n = latest + 1;
    out->commits = mdl_calloc(ctx, n > 0 ? (size_t)n : 1, sizeof(mdl_table_commit));
    if (out->commits == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading the history");
    for (int64_t v = n - 1; rc == MDL_OK && v >= 0; v--) {
        char key[64];
        mdl_table__commit_key(v, key, sizeof key);
        mdl_buf data;
        mdl_buf_init(&data, ctx, 0);
        mdl_delta_actions acts;
        mdl_table__actions_init(&acts, ctx);
        rc = st->read_all(st, key, ctx->limits.max_record_bytes * 4, &data, err);
        if (rc == MDL_OK)
            rc = mdl_table__actions_parse(&acts, key, data.data ? data.data : "", data.len, err);
        mdl_table_commit *c = &out->commits[out->count++];
        c->version = v;
        c->timestamp = -1;
        for (size_t i = 0; rc == MDL_OK && i < acts.count; i++) {
            const mdl_delta_action *a = &acts.items[i];
            c->adds += a->kind == MDL_DELTA_ADD;
            c->removes += a->kind == MDL_DELTA_REMOVE;
            if (a->kind != MDL_DELTA_COMMIT_INFO || c->commit_info != NULL)
                continue;
            c->commit_info = mdl_strdup(ctx, a->u.commit_info);
            json_object *o = json_tokener_parse(a->u.commit_info), *f;
            if (o != NULL && json_object_object_get_ex(o, "operation", &f))
                c->operation = mdl_strdup(ctx, json_object_get_string(f));
            if (o != NULL && json_object_object_get_ex(o, "timestamp", &f))
                c->timestamp = json_object_get_int64(f);
            json_object_put(o);
        }
        mdl_table__actions_reset(&acts);
        mdl_buf_reset(&data);
    }
    if (rc != MDL_OK)
        mdl_table_history_free(ctx, out);
    return rc;
}

void mdl_table_history_free(mdl_ctx *ctx, mdl_table_history *h)
{
    for (size_t i = 0; h->commits != NULL && i < h->count; i++) {
        mdl_free(ctx, h->commits[i].operation);
        mdl_free(ctx, h->commits[i].commit_info);
    }
    mdl_free(ctx, h->commits);
    memset(h, 0, sizeof *h);
}

/* ---- writing ----------------------------------------------------------------------------- */

/* Open partitions per writer: each holds a Parquet writer and its buffers, so this bounds
 * the memory of a write that touches many partitions. */
#define MAX_OPEN_PARTITIONS 256

/* One data file being written: the whole write, or one partition of it. */
typedef struct part_file {
    char *path;
    mdl_delta_map values; /* partition column -> serialized value (NULL: null) */
    mdl_parquet_writer *pw;
    mdl_table__stats_acc stats;
    uint64_t bytes;
    mdl_batch *rows; /* the rows of the batch being routed that go here */
    size_t routed;   /* how many of them */
} part_file;

struct mdl_table_writer {
    mdl_ctx *ctx;
    mdl_storage *st;
    mdl_table *table;
    mdl_table_write_options opts;
    char *txn_app_id;
    bool already; /* the transaction is already in the table: write nothing */
    part_file *files;
    size_t num_files, cap_files;
    mdl_hashmap *by_dir; /* partition folder -> index in files */
    uint32_t *row_file;  /* per row of the batch being routed: its file */
    size_t row_file_cap;
    /* replaceWhere: the predicates (shallow copies), resolved against the table schema */
    mdl_predicate *rw_preds;
    prune_ctx rw;
    char *rw_text;          /* the predicates as SQL-like text */
    int64_t rows_seen;      /* rows written so far, to name the row that breaks the predicates */
    bool failed;            /* a write failed: commit refuses */
    bool finished;          /* the data files are closed (stage or commit) */
    bool have_acts;         /* `acts` holds the commit's actions (built by stage) */
    mdl_delta_actions acts; /* initialised at open */
    bool *remove;           /* per active file: removed by this commit (remove_paths) */
    bool removes_some;
    char **txn_ids; /* owned copies of opts.txns */
    int64_t *txn_versions;
};

void mdl_table_write_options_init(mdl_table_write_options *o)
{
    memset(o, 0, sizeof *o);
    mdl_parquet_write_options_init(&o->parquet);
    o->txn_version = -1;
}

/* Opens the data file of one partition (folder `dir`, len bytes; "" when unpartitioned) as
 * files[num_files]; takes over `values`. */
static int open_part(mdl_table_writer *w, const char *dir, size_t len, mdl_delta_map *values,
                     mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    part_file *f = &w->files[w->num_files++];
    f->values = *values;
    memset(values, 0, sizeof *values);
    mdl_uuid u;
    char id[37];
    int rc = mdl_uuid_v4(&u, err);
    mdl_uuid_format(&u, id);
    mdl_buf path;
    mdl_buf_init(&path, ctx, 0);
    if (rc == MDL_OK)
        rc = mdl_buf_printf(&path, err, "%.*spart-00000-%s-c000.%s.parquet", (int)len, dir, id,
                            w->opts.parquet.codec == MDL_CODEC_ZSTD ? "zstd" : "data");
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&path, err);
    if (rc == MDL_OK && (f->path = mdl_strdup(ctx, path.data)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    mdl_buf_reset(&path);
    mdl_schema *ds = w->table->data_schema;
    mdl_output *o = NULL;
    if (rc == MDL_OK)
        rc = w->st->open_output(w->st, f->path, &o, err);
    if (rc == MDL_OK)
        rc = mdl_parquet_writer_open(ctx, o, ds, &w->opts.parquet, &f->pw, err);
    if (rc == MDL_OK)
        rc = mdl_table__stats_acc_init(ctx, ds, &f->stats, err);
    return rc;
}

static const char *const PRED_OPS[] = {"=", "<", "<=", ">", ">=", "IN", "IS NULL"};

/* 'v' with quotes doubled, as SQL writes a string literal. */
static int quote_sql(mdl_buf *b, const char *v, mdl_error *err)
{
    int rc = mdl_buf_append(b, "'", 1, err);
    for (const char *c = v; rc == MDL_OK && *c; c++)
        rc = mdl_buf_append(b, *c == '\'' ? "''" : c, *c == '\'' ? 2 : 1, err);
    return rc == MDL_OK ? mdl_buf_append(b, "'", 1, err) : rc;
}

/* The predicates as SQL-like text: country = 'US' AND day IN ('2024-01-01', '2024-01-02'). */
static int predicate_text(mdl_ctx *ctx, const mdl_predicate *p, size_t n, char **out,
                          mdl_error *err)
{
    mdl_buf b;
    mdl_buf_init(&b, ctx, 0);
    int rc = MDL_OK;
    for (size_t k = 0; rc == MDL_OK && k < n; k++) {
        int op = p[k].op >= MDL_PRED_EQ && p[k].op <= MDL_PRED_IS_NULL ? (int)p[k].op : 0;
        rc = mdl_buf_printf(&b, err, "%s%s %s", k ? " AND " : "", p[k].column, PRED_OPS[op]);
        if (p[k].op == MDL_PRED_IS_NULL)
            continue;
        bool list = p[k].op == MDL_PRED_IN;
        if (rc == MDL_OK)
            rc = mdl_buf_append(&b, list ? " (" : " ", list ? 2 : 1, err);
        for (size_t v = 0; rc == MDL_OK && v < p[k].num_values; v++) {
            if (v > 0)
                rc = mdl_buf_append(&b, ", ", 2, err);
            if (rc == MDL_OK)
                rc = quote_sql(&b, p[k].values[v] ? p[k].values[v] : "", err);
        }
        if (rc == MDL_OK && list)
            rc = mdl_buf_append(&b, ")", 1, err);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&b, err);
    if (rc == MDL_OK && (*out = mdl_strdup(ctx, b.data)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    mdl_buf_reset(&b);
    return rc;
}

/* Checks replaceWhere predicates once, at open: known partition columns, parseable values. */
static int replace_where_open(mdl_table_writer *w, mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    mdl_table *t = w->table;
    size_t n = w->opts.num_replace_where;
    const mdl_predicate *p = w->opts.replace_where;
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "replace_where is NULL");
    int rc = predicate_text(ctx, p, n, &w->rw_text, err);
    for (size_t k = 0; rc == MDL_OK && k < n; k++) {
        long c = p[k].column ? mdl_schema_find(t->schema, mdl_sv(p[k].column)) : -1;
        if (c < 0)
            return mdl_error_set(err, MDL_ERR_NOT_FOUND, "%s: replaceWhere on unknown column '%s'",
                                 t->st->root, p[k].column ? p[k].column : "");
        if (!t->is_part[c]) {
            mdl_buf cols;
            mdl_buf_init(&cols, ctx, 0);
            for (size_t i = 0; i < t->num_parts; i++)
                mdl_buf_printf(&cols, NULL, "%s%s", i ? ", " : "",
                               t->schema->fields[t->part_idx[i]].name);
            mdl_buf_terminate(&cols, NULL);
            rc = mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                               "%s: replaceWhere on '%s', which is not a partition column (%s); "
                               "only whole partitions can be replaced",
                               t->st->root, p[k].column,
                               t->num_parts ? (cols.data ? cols.data : "")
                                            : "the table is not partitioned");
            mdl_buf_reset(&cols);
            return rc;
        }
    }
    if (rc == MDL_OK && (w->rw_preds = mdl_calloc(ctx, n, sizeof *w->rw_preds)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    if (rc == MDL_OK) {
        memcpy(w->rw_preds, p, n * sizeof *p);
        rc = prune_ctx_init(t, w->rw_preds, n, &w->rw, err);
        if (rc != MDL_OK)
            mdl_error_prefix(err, "replaceWhere: ");
    }
    return rc;
}

/* remove_paths: which active files the commit removes; every path must be active. */
static int remove_paths_open(mdl_table_writer *w, mdl_error *err)
{
    mdl_table *t = w->table;
    w->remove = mdl_calloc(w->ctx, t->num_active + 1, sizeof *w->remove);
    mdl_hashmap *active = NULL;
    int rc = w->remove ? mdl_hashmap_new(w->ctx, t->num_active + 1, &active, err)
                       : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    for (size_t i = 0; rc == MDL_OK && i < t->num_active; i++) {
        mdl_table_file f;
        mdl_table_file_at(t, i, &f);
        rc = mdl_hashmap_put(active, mdl_sv(f.path), i, err);
    }
    for (size_t k = 0; rc == MDL_OK && k < w->opts.num_remove_paths; k++) {
        uint64_t i;
        const char *path = w->opts.remove_paths[k];
        if (path == NULL || !mdl_hashmap_get(active, mdl_sv(path), &i))
            rc = mdl_error_set(err, MDL_ERR_CONFLICT,
                               "%s: the file to replace %s is no longer in the table (a "
                               "concurrent commit removed it); run again",
                               w->st->root, path ? path : "(null)");
        else
            w->remove[i] = w->removes_some = true;
    }
    mdl_hashmap_free(active);
    return rc;
}

static int txns_open(mdl_table_writer *w, mdl_error *err)
{
    w->txn_ids = mdl_calloc(w->ctx, w->opts.num_txns, sizeof *w->txn_ids);
    w->txn_versions = mdl_calloc(w->ctx, w->opts.num_txns, sizeof *w->txn_versions);
    if (w->txn_ids == NULL || w->txn_versions == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    for (size_t i = 0; i < w->opts.num_txns; i++) {
        const mdl_key_value *kv = &w->opts.txns[i];
        char *end = NULL;
        long long v = kv->value ? strtoll(kv->value, &end, 10) : -1;
        if (kv->key == NULL || v < 0 || *end)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "txn %zu: an app id and a non-negative version are needed", i);
        w->txn_versions[i] = v;
        if ((w->txn_ids[i] = mdl_strdup(w->ctx, kv->key)) == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    }
    return MDL_OK;
}

/* Every row a replaceWhere write puts in must match the predicates, as in Delta ("Data
 * written out does not match replaceWhere"): otherwise the replaced partitions would not
 * hold what was written. */
static int replace_where_check(mdl_table_writer *w, const mdl_batch *b, mdl_error *err)
{
    mdl_table *t = w->table;
    for (size_t r = 0; r < b->num_rows; r++) {
        for (size_t k = 0; k < w->rw.n; k++) {
            size_t c = w->rw.col[k];
            const mdl_column *vals = &w->rw.vals[k]->columns[c];
            if (value_matches(&w->rw.preds[k], &b->columns[c], r, vals))
                continue;
            char *v = NULL;
            int rc = mdl_table__partition_value_format(w->ctx, &b->columns[c], r, &v, err);
            if (rc != MDL_OK)
                return rc;
            rc =
                mdl_error_set(err, MDL_ERR_SCHEMA,
                              "data written out does not match replaceWhere: row %lld has %s "
                              "%s%s%s, not %s; nothing is committed",
                              (long long)(w->rows_seen + (int64_t)r + 1), t->schema->fields[c].name,
                              v ? "= '" : "IS NULL", v ? v : "", v ? "'" : "", w->rw_text);
            mdl_free(w->ctx, v);
            return rc;
        }
    }
    return MDL_OK;
}

const char *mdl_table_writer_predicate(const mdl_table_writer *w)
{
    return w->rw_text;
}

int mdl_table_writer_open(mdl_ctx *ctx, mdl_storage *st, const mdl_table_write_options *opts,
                          mdl_table_writer **out, mdl_error *err)
{
    *out = NULL;
    mdl_table_writer *w = mdl_calloc(ctx, 1, sizeof *w);
    if (w == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    w->ctx = ctx;
    w->st = st;
    mdl_table__actions_init(&w->acts, ctx);
    if (opts != NULL)
        w->opts = *opts;
    else
        mdl_table_write_options_init(&w->opts);
    int rc = mdl_table_open(ctx, st, -1, &w->table, err);
    const char *append_only =
        rc == MDL_OK ? mdl_table_property(w->table, "delta.appendOnly") : NULL;
    if (append_only != NULL && strcmp(append_only, "true") == 0 &&
        (w->opts.overwrite || w->opts.num_replace_where > 0))
        /* Writer version 2: an append-only table never loses rows (PROTOCOL.md "Append-only
         * Tables"); optimize may still rewrite files, with dataChange = false. */
        rc = mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                           "%s: the table is append-only (delta.appendOnly = true): %s would "
                           "remove rows; append instead",
                           st->root, w->opts.num_replace_where > 0 ? "replaceWhere" : "overwrite");
    if (rc == MDL_OK && w->opts.num_replace_where > 0)
        rc = replace_where_open(w, err);
    w->opts.replace_where = w->rw_preds; /* the caller's array is not kept */
    if (rc == MDL_OK && w->opts.num_remove_paths > 0)
        rc = remove_paths_open(w, err);
    w->opts.remove_paths = NULL;
    if (rc == MDL_OK && w->opts.num_txns > 0)
        rc = txns_open(w, err);
    w->opts.txns = NULL;
    if (rc == MDL_OK && w->opts.txn_app_id != NULL) {
        w->txn_app_id = mdl_strdup(ctx, w->opts.txn_app_id);
        w->already = mdl_table_txn_version(w->table, w->opts.txn_app_id) >= w->opts.txn_version;
    }
    if (rc == MDL_OK && !w->already) {
        w->cap_files = w->table->num_parts ? MAX_OPEN_PARTITIONS : 1;
        w->files = mdl_calloc(ctx, w->cap_files, sizeof *w->files);
        if (w->files == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
        if (rc == MDL_OK && w->table->num_parts > 0)
            rc = mdl_hashmap_new(ctx, 16, &w->by_dir, err);
        /* an unpartitioned write always makes its one file, even when empty */
        mdl_delta_map none = {0, NULL};
        if (rc == MDL_OK && w->table->num_parts == 0)
            rc = open_part(w, "", 0, &none, err);
    }
    if (rc != MDL_OK) {
        mdl_table_writer_abort(w);
        return rc;
    }
    *out = w;
    return MDL_OK;
}

mdl_schema *mdl_table_writer_schema(const mdl_table_writer *w)
{
    return w->table->schema;
}

/* Replaces the single value of `dst` by row r of `src`. */
static int set_value(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src, size_t r, mdl_error *err)
{
    mdl_column_truncate(dst, 0);
    if (src->type.id == MDL_TYPE_STRING) {
        mdl_strview v = mdl_column_str(src, r);
        return mdl_column_append_string(ctx, dst, v.ptr, v.len, err);
    }
    size_t width = mdl_type_width(src->type);
    return mdl_column_append_value(ctx, dst, (const char *)src->values + r * width, err);
}

int mdl_table__stats_acc_init(mdl_ctx *ctx, mdl_schema *schema, mdl_table__stats_acc *acc,
                              mdl_error *err)
{
    memset(acc, 0, sizeof *acc);
    acc->ctx = ctx;
    acc->schema = schema;
    int rc = mdl_batch_new(ctx, schema, 1, &acc->min, err);
    if (rc == MDL_OK)
        rc = mdl_batch_new(ctx, schema, 1, &acc->max, err);
    if (rc == MDL_OK &&
        (acc->nulls = mdl_calloc(ctx, schema->num_fields + 1, sizeof(int64_t))) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table writer");
    if (rc != MDL_OK)
        mdl_table__stats_acc_reset(acc);
    return rc;
}

int mdl_table__stats_acc_add(mdl_table__stats_acc *acc, const mdl_batch *b, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t c = 0; rc == MDL_OK && c < b->schema->num_fields; c++) {
        const mdl_column *col = &b->columns[c];
        mdl_column *mn = &acc->min->columns[c], *mx = &acc->max->columns[c];
        /* Types with a total order: find the batch's min and max rows with a typed loop, then
         * merge them into the running values once (instead of comparing every cell with the
         * running min and max through the generic comparison). */
        mdl_type_id id = col->type.id;
        if (id == MDL_TYPE_INT32 || id == MDL_TYPE_DATE || id == MDL_TYPE_INT64 ||
            id == MDL_TYPE_TIMESTAMP || id == MDL_TYPE_DECIMAL || id == MDL_TYPE_STRING) {
            size_t lo = SIZE_MAX, hi = SIZE_MAX;
            for (size_t r = 0; r < b->num_rows; r++) {
                if (col->validity != NULL && mdl_column_is_null(col, r)) {
                    acc->nulls[c]++;
                    continue;
                }
                if (lo == SIZE_MAX) {
                    lo = hi = r;
                    continue;
                }
                int lt, gt;
                switch (id) {
                case MDL_TYPE_INT32:
                case MDL_TYPE_DATE: {
                    int32_t v = mdl_column_i32(col, r);
                    lt = v < mdl_column_i32(col, lo);
                    gt = v > mdl_column_i32(col, hi);
                    break;
                }
                case MDL_TYPE_INT64:
                case MDL_TYPE_TIMESTAMP: {
                    int64_t v = mdl_column_i64(col, r);
                    lt = v < mdl_column_i64(col, lo);
                    gt = v > mdl_column_i64(col, hi);
                    break;
                }
                case MDL_TYPE_DECIMAL: {
                    mdl_i128 v = mdl_column_decimal(col, r);
                    lt = v < mdl_column_decimal(col, lo);
                    gt = v > mdl_column_decimal(col, hi);
                    break;
                }
                default: {
                    int k = cmp_values(col, r, col, lo);
                    lt = k < 0;
                    gt = k > 0 && cmp_values(col, r, col, hi) > 0;
                }
                }
                if (lt)
                    lo = r;
                else if (gt)
                    hi = r;
            }
            if (lo != SIZE_MAX && (mn->length == 0 || cmp_values(col, lo, mn, 0) < 0))
                rc = set_value(acc->ctx, mn, col, lo, err);
            if (rc == MDL_OK && hi != SIZE_MAX &&
                (mx->length == 0 || cmp_values(col, hi, mx, 0) > 0))
                rc = set_value(acc->ctx, mx, col, hi, err);
            continue;
        }
        for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++) {
            if (mdl_column_is_null(col, r)) {
                acc->nulls[c]++;
                continue;
            }
            if (col->type.id == MDL_TYPE_DOUBLE && isnan(mdl_column_f64(col, r)))
                continue;
            if (mn->length == 0 || cmp_values(col, r, mn, 0) < 0)
                rc = set_value(acc->ctx, mn, col, r, err);
            if (rc == MDL_OK && (mx->length == 0 || cmp_values(col, r, mx, 0) > 0))
                rc = set_value(acc->ctx, mx, col, r, err);
        }
    }
    if (rc == MDL_OK)
        acc->rows += b->num_rows;
    return rc;
}

int mdl_table__stats_acc_build(const mdl_table__stats_acc *acc, char **out, mdl_error *err)
{
    mdl_ctx *ctx = acc->ctx;
    mdl_schema *s = acc->schema;
    *out = NULL;
    mdl_delta_col_stats *cs = mdl_calloc(ctx, s->num_fields ? s->num_fields : 1, sizeof *cs);
    if (cs == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building statistics");
    for (size_t c = 0; c < s->num_fields; c++) {
        cs[c].name = s->fields[c].name;
        cs[c].min = acc->min->columns[c].length ? &acc->min->columns[c] : NULL;
        cs[c].max = acc->max->columns[c].length ? &acc->max->columns[c] : NULL;
        cs[c].null_count = acc->nulls[c];
    }
    int rc = mdl_table__stats_build(ctx, (int64_t)acc->rows, cs, s->num_fields, out, err);
    mdl_free(ctx, cs);
    return rc;
}

void mdl_table__stats_acc_reset(mdl_table__stats_acc *acc)
{
    if (acc->ctx == NULL)
        return;
    mdl_batch_free(acc->min);
    mdl_batch_free(acc->max);
    mdl_free(acc->ctx, acc->nulls);
    memset(acc, 0, sizeof *acc);
}

/* Sets w->row_file[r] to the file of row r's partition, opening partitions as they appear. */
static int route_rows(mdl_table_writer *w, const mdl_batch *b, mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    mdl_table *t = w->table;
    mdl_buf dir;
    mdl_buf_init(&dir, ctx, 0);
    char **vals = mdl_calloc(ctx, t->num_parts, sizeof *vals);
    int rc = vals ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory writing a table");
    for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++) {
        dir.len = 0;
        for (size_t p = 0; rc == MDL_OK && p < t->num_parts; p++) {
            const char *name = t->schema->fields[t->part_idx[p]].name;
            rc = mdl_table__partition_value_format(ctx, &b->columns[t->part_idx[p]], r, &vals[p],
                                                   err);
            if (rc == MDL_OK)
                rc = mdl_table__hive_dir(name, vals[p], &dir, err);
            if (rc == MDL_OK)
                rc = mdl_buf_append(&dir, "/", 1, err);
        }
        uint64_t idx = 0;
        if (rc == MDL_OK && !mdl_hashmap_get(w->by_dir, mdl_sv_make(dir.data, dir.len), &idx)) {
            if (w->num_files >= w->cap_files)
                rc = mdl_error_set(err, MDL_ERR_LIMIT,
                                   "too many partitions in one write (more than %d); write in "
                                   "smaller pieces",
                                   MAX_OPEN_PARTITIONS);
            mdl_delta_map m = {0, NULL};
            for (size_t p = 0; rc == MDL_OK && p < t->num_parts; p++)
                rc = mdl_table__map_put(ctx, &m, t->schema->fields[t->part_idx[p]].name, vals[p],
                                        err);
            idx = w->num_files;
            if (rc == MDL_OK)
                rc = mdl_hashmap_put(w->by_dir, mdl_sv_make(dir.data, dir.len), idx, err);
            if (rc == MDL_OK)
                rc = open_part(w, dir.data, dir.len, &m, err);
            mdl_table__map_reset(ctx, &m);
        }
        w->row_file[r] = (uint32_t)idx;
        for (size_t p = 0; vals != NULL && p < t->num_parts; p++) {
            mdl_free(ctx, vals[p]);
            vals[p] = NULL;
        }
    }
    mdl_free(ctx, vals);
    mdl_buf_reset(&dir);
    return rc;
}

/* Splits a batch by partition and writes each part, without the partition columns, to the
 * file of its partition. */
static int write_partitioned(mdl_table_writer *w, const mdl_batch *b, mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    mdl_table *t = w->table;
    if (b->schema->num_fields != t->schema->num_fields)
        return mdl_error_set(err, MDL_ERR_SCHEMA, "the batch does not have the table's schema");
    for (size_t c = 0; c < t->schema->num_fields; c++)
        if (!mdl_type_equal(b->schema->fields[c].type, t->schema->fields[c].type))
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "the batch does not have the table's schema (column '%s')",
                                 t->schema->fields[c].name);
    if (b->num_rows == 0)
        return MDL_OK;
    if (w->rw.n > 0) {
        int crc = replace_where_check(w, b, err);
        if (crc != MDL_OK)
            return crc;
    }
    if (b->num_rows > w->row_file_cap) {
        uint32_t *rf = mdl_calloc(ctx, b->num_rows, sizeof *rf);
        if (rf == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory writing a table");
        mdl_free(ctx, w->row_file);
        w->row_file = rf;
        w->row_file_cap = b->num_rows;
    }
    /* The common case (ingest: one _ingest_date per run): every row in row 0's partition.
     * Route once and hand the data columns to that file's writer without copying them. */
    bool one = true;
    for (size_t p = 0; one && p < t->num_parts; p++) {
        const mdl_column *col = &b->columns[t->part_idx[p]];
        bool n0 = mdl_column_is_null(col, 0);
        if (col->type.id == MDL_TYPE_STRING) {
            mdl_strview v0 = mdl_column_str(col, 0);
            for (size_t r = 1; one && r < b->num_rows; r++) {
                bool n = mdl_column_is_null(col, r);
                mdl_strview v = mdl_column_str(col, r);
                one = n == n0 && (n || (v.len == v0.len && memcmp(v.ptr, v0.ptr, v.len) == 0));
            }
        } else {
            size_t wdt = mdl_type_width(col->type);
            const char *base = col->values;
            for (size_t r = 1; one && r < b->num_rows; r++) {
                bool n = mdl_column_is_null(col, r);
                one = n == n0 && (n || memcmp(base + r * wdt, base, wdt) == 0);
            }
        }
    }
    if (one) {
        mdl_batch first = *b;
        first.num_rows = 1;
        int rc = route_rows(w, &first, err);
        if (rc != MDL_OK)
            return rc;
        part_file *f = &w->files[w->row_file[0]];
        mdl_column *cols = mdl_calloc(ctx, t->data_schema->num_fields + 1, sizeof *cols);
        if (cols == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory writing a table");
        for (size_t c = 0; c < t->schema->num_fields; c++)
            if (!t->is_part[c])
                cols[t->data_col[c]] = b->columns[c];
        mdl_batch view = {ctx, t->data_schema, b->num_rows, b->num_rows, cols, NULL};
        rc = mdl_parquet_writer_write(f->pw, &view, err);
        if (rc == MDL_OK)
            rc = mdl_table__stats_acc_add(&f->stats, &view, err);
        mdl_free(ctx, cols);
        return rc;
    }
    int rc = route_rows(w, b, err);
    for (size_t i = 0; i < w->num_files; i++)
        w->files[i].routed = 0;
    for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++)
        w->files[w->row_file[r]].routed++;
    for (size_t i = 0; rc == MDL_OK && i < w->num_files; i++)
        if (w->files[i].routed > 0)
            rc = mdl_batch_new(ctx, t->data_schema, w->files[i].routed, &w->files[i].rows, err);
    for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++) {
        mdl_batch *o = w->files[w->row_file[r]].rows;
        for (size_t c = 0; rc == MDL_OK && c < t->schema->num_fields; c++)
            if (!t->is_part[c])
                rc = append_row(ctx, &o->columns[t->data_col[c]], &b->columns[c], r, err);
        o->num_rows++;
    }
    for (size_t i = 0; i < w->num_files; i++) {
        part_file *f = &w->files[i];
        if (f->rows == NULL)
            continue;
        if (rc == MDL_OK)
            rc = mdl_parquet_writer_write(f->pw, f->rows, err);
        if (rc == MDL_OK)
            rc = mdl_table__stats_acc_add(&f->stats, f->rows, err);
        mdl_batch_free(f->rows);
        f->rows = NULL;
    }
    return rc;
}

int mdl_table_writer_write(mdl_table_writer *w, const mdl_batch *b, mdl_error *err)
{
    if (w->already)
        return MDL_OK;
    if (w->failed)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "an earlier write to this writer failed");
    if (w->finished)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "the write is staged: commit or abort it, nothing more can be added");
    int rc;
    if (w->table->num_parts > 0) {
        rc = write_partitioned(w, b, err);
    } else {
        rc = mdl_parquet_writer_write(w->files[0].pw, b, err);
        if (rc == MDL_OK)
            rc = mdl_table__stats_acc_add(&w->files[0].stats, b, err);
    }
    w->rows_seen += (int64_t)b->num_rows;
    w->failed = rc != MDL_OK;
    return rc;
}

static void free_writer(mdl_table_writer *w)
{
    for (size_t i = 0; w->files != NULL && i < w->num_files; i++) {
        part_file *f = &w->files[i];
        mdl_table__stats_acc_reset(&f->stats);
        mdl_table__map_reset(w->ctx, &f->values);
        mdl_batch_free(f->rows);
        mdl_free(w->ctx, f->path);
    }
    mdl_free(w->ctx, w->files);
    mdl_hashmap_free(w->by_dir);
    mdl_free(w->ctx, w->row_file);
    prune_ctx_reset(w->ctx, &w->rw);
    mdl_free(w->ctx, w->rw_preds);
    mdl_free(w->ctx, w->rw_text);
    mdl_table_close(w->table);
    mdl_free(w->ctx, w->txn_app_id);
    mdl_free(w->ctx, w->remove);
    mdl_table__actions_reset(&w->acts);
    for (size_t i = 0; w->txn_ids != NULL && i < w->opts.num_txns; i++)
        mdl_free(w->ctx, w->txn_ids[i]);
    mdl_free(w->ctx, w->txn_ids);
    mdl_free(w->ctx, w->txn_versions);
    mdl_free(w->ctx, w);
}

void mdl_table_writer_abort(mdl_table_writer *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; w->files != NULL && i < w->num_files; i++) {
        if (w->files[i].pw != NULL)
            mdl_parquet_writer_abort(w->files[i].pw); /* the data file never becomes visible */
        else if (w->finished && w->files[i].path != NULL)
            w->st->remove(w->st, w->files[i].path, NULL); /* staged, never committed */
        w->files[i].pw = NULL;
    }
    free_writer(w);
}

/* Closes the data files (once): after this they are complete but in no commit. */
static int finish_files(mdl_table_writer *w, mdl_error *err)
{
    if (w->finished)
        return MDL_OK;
    w->finished = true;
    int rc = w->failed ? mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                       "a write to this writer failed; nothing is committed")
                       : MDL_OK;
    for (size_t i = 0; i < w->num_files; i++) {
        int crc = rc == MDL_OK
                      ? mdl_parquet_writer_close(w->files[i].pw, NULL, &w->files[i].bytes, err)
                      : MDL_OK;
        if (rc != MDL_OK)
            mdl_parquet_writer_abort(w->files[i].pw);
        w->files[i].pw = NULL;
        if (rc == MDL_OK)
            rc = crc;
    }
    if (rc != MDL_OK)
        w->failed = true;
    return rc;
}

static int copy_map(mdl_ctx *ctx, const mdl_delta_map *from, mdl_delta_map *to, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < from->count; i++)
        rc = mdl_table__map_put(ctx, to, from->items[i].key, from->items[i].value, err);
    return rc;
}

static int build_actions(mdl_table_writer *w, mdl_delta_actions *acts, mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    int64_t now = mdl_now_micros() / 1000;
    int rc = MDL_OK;
    if (w->opts.overwrite || w->rw.n > 0 || w->removes_some) {
        for (size_t i = 0; rc == MDL_OK && i < w->table->num_active; i++) {
            /* replaceWhere names partition columns only, so a match is exact, not a guess */
            bool match = true;
            if (w->rw.n > 0)
                rc = file_may_match(w->table, &w->rw, i, &match, err);
            else if (!w->opts.overwrite)
                match = w->remove[i];
            if (rc != MDL_OK || !match)
                continue;
            mdl_table_file f;
            mdl_table_file_at(w->table, i, &f);
            mdl_delta_action r;
            memset(&r, 0, sizeof r);
            r.kind = MDL_DELTA_REMOVE;
            r.u.remove.path = mdl_strdup(ctx, f.path);
            r.u.remove.has_deletion_timestamp = true;
            r.u.remove.deletion_timestamp = now;
            r.u.remove.data_change = true;
            r.u.remove.has_size = true;
            r.u.remove.size = f.size;
            if (w->table->num_parts > 0) {
                r.u.remove.has_partition_values = true;
                rc = copy_map(ctx, mdl_table__file_partition_values(w->table, i),
                              &r.u.remove.partition_values, err);
            }
            int prc = mdl_table__actions_push(acts, &r, err);
            if (rc == MDL_OK)
                rc = prc;
        }
    }
    for (size_t i = 0; rc == MDL_OK && i < w->num_files; i++) {
        part_file *f = &w->files[i];
        mdl_delta_action a;
        memset(&a, 0, sizeof a);
        a.kind = MDL_DELTA_ADD;
        rc = mdl_table__stats_acc_build(&f->stats, &a.u.add.stats, err);
        a.u.add.path = mdl_strdup(ctx, f->path);
        a.u.add.size = (int64_t)f->bytes;
        a.u.add.modification_time = now;
        a.u.add.data_change = true;
        if (rc == MDL_OK && a.u.add.path == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory writing a table");
        if (rc == MDL_OK)
            rc = copy_map(ctx, &f->values, &a.u.add.partition_values, err);
        int prc = mdl_table__actions_push(acts, &a, err);
        if (rc == MDL_OK)
            rc = prc;
    }
    if (rc == MDL_OK && w->txn_app_id != NULL) {
        mdl_delta_action t;
        memset(&t, 0, sizeof t);
        t.kind = MDL_DELTA_TXN;
        t.u.txn.app_id = mdl_strdup(ctx, w->txn_app_id);
        t.u.txn.version = w->opts.txn_version;
        t.u.txn.has_last_updated = true;
        t.u.txn.last_updated = now;
        rc = mdl_table__actions_push(acts, &t, err);
    }
    for (size_t i = 0; rc == MDL_OK && i < w->opts.num_txns; i++) {
        mdl_delta_action t;
        memset(&t, 0, sizeof t);
        t.kind = MDL_DELTA_TXN;
        t.u.txn.app_id = mdl_strdup(ctx, w->txn_ids[i]);
        t.u.txn.version = w->txn_versions[i];
        t.u.txn.has_last_updated = true;
        t.u.txn.last_updated = now;
        rc = mdl_table__actions_push(acts, &t, err);
    }
    return rc;
}

/*
 * commitInfo of a write, as Spark's WRITE records it: operationParameters mode (Append or
 * Overwrite), partitionBy (a JSON array in a string) and the replaceWhere predicate;
 * operationMetrics numFiles, numOutputRows, numOutputBytes and numRemovedFiles.
 */
static int commit_info_maps(const mdl_table_writer *w, const mdl_delta_actions *acts,
                            mdl_delta_map *params, mdl_delta_map *metrics, mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    bool replaces = w->opts.overwrite || w->rw.n > 0 || w->removes_some;
    mdl_buf pb;
    mdl_buf_init(&pb, ctx, 0);
    int rc = mdl_buf_append_str(&pb, "[", err);
    for (size_t i = 0; rc == MDL_OK && i < w->table->num_parts; i++) {
        const char *name = w->table->schema->fields[w->table->part_idx[i]].name;
        if (i > 0)
            rc = mdl_buf_append_str(&pb, ",", err);
        if (rc == MDL_OK)
            rc = mdl_table__json_string(&pb, name, strlen(name), err);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_append_str(&pb, "]", err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&pb, err);
    if (rc == MDL_OK)
        rc = mdl_table__map_put(ctx, params, "mode",
                                w->removes_some && !w->opts.overwrite && w->rw.n == 0 ? "Merge"
                                : replaces                                            ? "Overwrite"
                                                                                      : "Append",
                                err);
    if (rc == MDL_OK)
        rc = mdl_table__map_put(ctx, params, "partitionBy", pb.data, err);
    if (rc == MDL_OK && w->rw.n > 0 && w->rw_text != NULL)
        rc = mdl_table__map_put(ctx, params, "predicate", w->rw_text, err);
    mdl_buf_reset(&pb);
    uint64_t files = 0, removed = 0, bytes = 0, rows = 0;
    for (size_t i = 0; i < acts->count; i++) {
        files += acts->items[i].kind == MDL_DELTA_ADD;
        removed += acts->items[i].kind == MDL_DELTA_REMOVE;
        if (acts->items[i].kind == MDL_DELTA_ADD)
            bytes += (uint64_t)acts->items[i].u.add.size;
    }
    for (size_t i = 0; i < w->num_files; i++)
        rows += w->files[i].stats.rows;
    const struct {
        const char *key;
        uint64_t value;
    } m[] = {{"numFiles", files},
             {"numOutputRows", rows},
             {"numOutputBytes", bytes},
             {"numRemovedFiles", removed}};
    for (size_t i = 0; rc == MDL_OK && i < sizeof m / sizeof m[0]; i++) {
        char text[32];
        snprintf(text, sizeof text, "%llu", (unsigned long long)m[i].value);
        rc = mdl_table__map_put(ctx, metrics, m[i].key, text, err);
    }
    return rc;
}

/* The preview of a staged write: the base snapshot with its actions applied, or (only_new)
 * with its own files alone. */
static int stage(mdl_table_writer *w, bool only_new, mdl_table **preview, mdl_error *err)
{
    *preview = NULL;
    int64_t base = mdl_table_version(w->table);
    if (w->already && !only_new)
        return mdl_table_open(w->ctx, w->st, base, preview, err);
    int rc = w->already ? MDL_OK : finish_files(w, err);
    if (rc == MDL_OK && !w->already && !w->have_acts) {
        rc = build_actions(w, &w->acts, err);
        w->have_acts = rc == MDL_OK;
    }
    /* the preview applies a copy of the actions (their text parsed back: a deep copy) to a
     * fresh snapshot of the version the commit will follow */
    mdl_buf text;
    mdl_buf_init(&text, w->ctx, 0);
    mdl_delta_actions copy;
    mdl_table__actions_init(&copy, w->ctx);
    mdl_delta_snapshot *snap = NULL;
    if (rc == MDL_OK && !w->already)
        rc = mdl_table__actions_write(&w->acts, &text, err);
    if (rc == MDL_OK && !w->already)
        rc = mdl_table__actions_parse(&copy, "staged commit", text.data ? text.data : "", text.len,
                                      err);
    if (rc == MDL_OK)
        rc = mdl_table__snapshot_load(w->ctx, w->st, base, &snap, err);
    if (rc == MDL_OK && only_new)
        mdl_table__snapshot_clear_files(snap);
    if (rc == MDL_OK && !w->already)
        rc = mdl_table__snapshot_apply(snap, &copy, err);
    mdl_table__actions_reset(&copy);
    mdl_buf_reset(&text);
    if (rc != MDL_OK) {
        mdl_table__snapshot_free(snap);
        return rc;
    }
    return table_from_snapshot(w->ctx, w->st, snap, preview, err);
}

int mdl_table_writer_stage(mdl_table_writer *w, mdl_table **preview, mdl_error *err)
{
    return stage(w, false, preview, err);
}

int mdl_table_writer_stage_new(mdl_table_writer *w, mdl_table **added, mdl_error *err)
{
    return stage(w, true, added, err);
}

int mdl_table_writer_commit(mdl_table_writer *w, int64_t *version_out, bool *noop_out,
                            mdl_error *err)
{
    *noop_out = false;
    if (w->already) {
        *noop_out = true;
        *version_out = mdl_table_version(w->table);
        free_writer(w);
        return MDL_OK;
    }
    int rc = w->failed && w->finished
                 ? mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "a write to this writer failed; nothing is committed")
                 : finish_files(w, err);
    if (rc == MDL_OK && !w->have_acts) {
        rc = build_actions(w, &w->acts, err);
        w->have_acts = rc == MDL_OK;
    }
    mdl_delta_actions acts = w->acts; /* the commit's own: staged or just built */
    mdl_table__actions_init(&w->acts, w->ctx);
    mdl_delta_map params = {0, NULL}, metrics = {0, NULL};
    if (rc == MDL_OK)
        rc = commit_info_maps(w, &acts, &params, &metrics, err);
    if (rc == MDL_OK) {
        bool replaces = w->opts.overwrite || w->rw.n > 0 || w->removes_some;
        mdl_delta_commit_options o = {.max_attempts = 20,
                                      .blind_append = !replaces,
                                      .txn_app_id = w->txn_app_id,
                                      .txn_version = w->opts.txn_version,
                                      .checkpoint_interval =
                                          mdl_table__checkpoint_interval(&w->table->snap->metadata),
                                      .parameters = &params,
                                      .metrics = &metrics};
        rc = mdl_table__commit(w->ctx, w->st, mdl_table_version(w->table), &acts,
                               w->opts.operation ? w->opts.operation : "WRITE", &o, version_out,
                               noop_out, err);
    }
    mdl_table__actions_reset(&acts);
    mdl_table__map_reset(w->ctx, &params);
    mdl_table__map_reset(w->ctx, &metrics);
    /* A failed or redundant commit leaves no orphan data file behind. */
    for (size_t i = 0; (rc != MDL_OK || *noop_out) && i < w->num_files; i++)
        if (w->files[i].path != NULL)
            w->st->remove(w->st, w->files[i].path, NULL);
    free_writer(w);
    return rc;
}
