/*
 * table.c - the public Delta table API (medallion/table.h) over the log (delta_log.c):
 * create, open a snapshot, list files, scan, history, and a writer that puts batches into a
 * Parquet data file with Delta statistics and commits it atomically.
 *
 *   <table>/_delta_log/NNNNNNNNNNNNNNNNNNNN.json   the log
 *   <table>/part-00000-<uuid>.parquet             data files (unpartitioned tables for now)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "medallion/table.h"
#include "table/delta_log.h"
#include "table/table_internal.h"

struct mdl_table {
    mdl_ctx *ctx;
    mdl_storage *st;
    mdl_delta_snapshot *snap;
    mdl_schema *schema;
    size_t *active; /* indices into snap->files.items of the active files, in commit order */
    size_t num_active;
};

/* ---- create / open ----------------------------------------------------------------------- */

int mdl_table_create(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema, const char *name,
                     const char *description, mdl_error *err)
{
    mdl_delta_snapshot *snap = NULL;
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, ctx);
    mdl_buf js;
    mdl_buf_init(&js, ctx, 0);
    int rc = mdl_table__snapshot_load(ctx, st, -1, &snap, err);
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
        int prc = mdl_table__actions_push(&acts, &m, err);
        if (rc == MDL_OK)
            rc = prc;
    }
    if (rc == MDL_OK) {
        int64_t v;
        bool noop;
        mdl_delta_commit_options o = {1, false, NULL, -1}; /* a lost race means it exists */
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

int mdl_table_open(mdl_ctx *ctx, mdl_storage *st, int64_t version, mdl_table **out, mdl_error *err)
{
    *out = NULL;
    mdl_table *t = mdl_calloc(ctx, 1, sizeof *t);
    if (t == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a table");
    t->ctx = ctx;
    t->st = st;
    int rc = mdl_table__snapshot_load(ctx, st, version, &t->snap, err);
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
    mdl_free(t->ctx, t->active);
    mdl_free(t->ctx, t);
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

size_t mdl_table_num_files(const mdl_table *t)
{
    return t->num_active;
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
    mdl_parquet_reader *reader;
} scan_state;

static int scan_next(void *state, mdl_batch **out, mdl_error *err)
{
    scan_state *s = state;
    mdl_table *t = s->t;
    *out = NULL;
    for (;;) {
        if (s->reader != NULL) {
            int rc = mdl_parquet_reader_next(s->reader, out, err);
            if (rc != MDL_OK || *out != NULL)
                return rc;
            mdl_parquet_reader_free(s->reader);
            s->reader = NULL;
        }
        if (s->next_file >= t->num_active)
            return MDL_OK;
        mdl_table_file f;
        mdl_table_file_at(t, s->next_file++, &f);
        mdl_rinput *in;
        int rc = t->st->open_rinput(t->st, f.path, &in, err);
        if (rc == MDL_OK)
            rc = mdl_parquet_reader_open(t->ctx, in, NULL, &s->reader, err);
        if (rc != MDL_OK)
            return mdl_error_prefix(err, "%s: data file %s: ", t->st->root, f.path);
        mdl_schema *fs = mdl_parquet_reader_schema(s->reader);
        bool same = fs->num_fields == t->schema->num_fields;
        for (size_t c = 0; same && c < fs->num_fields; c++)
            same = strcmp(fs->fields[c].name, t->schema->fields[c].name) == 0 &&
                   mdl_type_equal(fs->fields[c].type, t->schema->fields[c].type);
        if (!same)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "%s: data file %s does not have the table's schema", t->st->root,
                                 f.path);
    }
}

static void scan_free(void *state)
{
    scan_state *s = state;
    mdl_parquet_reader_free(s->reader);
    mdl_free(s->t->ctx, s);
}

static const mdl_batch_source SCAN = {scan_next, scan_free};

int mdl_table_scan(mdl_table *t, mdl_batch_stream **out, mdl_error *err)
{
    *out = NULL;
    scan_state *s = mdl_calloc(t->ctx, 1, sizeof *s);
    if (s == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory starting a scan");
    s->t = t;
    return mdl_batch_stream_wrap(t->ctx, t->schema, &SCAN, s, out, err);
}

/* ---- history ----------------------------------------------------------------------------- */

int mdl_table_history_read(mdl_ctx *ctx, mdl_storage *st, mdl_table_history *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    mdl_delta_snapshot *snap;
    int rc = mdl_table__snapshot_load(ctx, st, -1, &snap, err);
    if (rc != MDL_OK)
        return rc;
    int64_t n = snap->version + 1;
    mdl_table__snapshot_free(snap);
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

struct mdl_table_writer {
    mdl_ctx *ctx;
    mdl_storage *st;
    mdl_table *table;
    mdl_table_write_options opts;
    char *txn_app_id;
    bool already; /* the transaction is already in the table: write nothing */
    char *path;   /* the data file being written */
    mdl_parquet_writer *pw;
    mdl_table__stats_acc stats;
};

void mdl_table_write_options_init(mdl_table_write_options *o)
{
    memset(o, 0, sizeof *o);
    mdl_parquet_write_options_init(&o->parquet);
    o->txn_version = -1;
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
    if (opts != NULL)
        w->opts = *opts;
    else
        mdl_table_write_options_init(&w->opts);
    int rc = mdl_table_open(ctx, st, -1, &w->table, err);
    if (rc == MDL_OK && w->opts.txn_app_id != NULL) {
        w->txn_app_id = mdl_strdup(ctx, w->opts.txn_app_id);
        w->already = mdl_table_txn_version(w->table, w->opts.txn_app_id) >= w->opts.txn_version;
    }
    mdl_schema *s = w->table ? w->table->schema : NULL;
    if (rc == MDL_OK && !w->already) {
        mdl_uuid u;
        char id[37], key[96];
        rc = mdl_uuid_v4(&u, err);
        mdl_uuid_format(&u, id);
        snprintf(key, sizeof key, "part-00000-%s-c000.%s.parquet", id,
                 w->opts.parquet.codec == MDL_CODEC_ZSTD ? "zstd" : "data");
        w->path = mdl_strdup(ctx, key);
        mdl_output *o = NULL;
        if (rc == MDL_OK)
            rc = st->open_output(st, w->path, &o, err);
        if (rc == MDL_OK)
            rc = mdl_parquet_writer_open(ctx, o, s, &w->opts.parquet, &w->pw, err);
        if (rc == MDL_OK)
            rc = mdl_table__stats_acc_init(ctx, s, &w->stats, err);
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

/* <0, 0, >0 comparing row ra of a with row rb of b (same type, both non-null). */
static int cmp_values(const mdl_column *a, size_t ra, const mdl_column *b, size_t rb)
{
    switch (a->type.id) {
    case MDL_TYPE_BOOLEAN:
        return (int)mdl_column_bool(a, ra) - (int)mdl_column_bool(b, rb);
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE: {
        int32_t x = mdl_column_i32(a, ra), y = mdl_column_i32(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_INT64:
    case MDL_TYPE_TIMESTAMP: {
        int64_t x = mdl_column_i64(a, ra), y = mdl_column_i64(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_DOUBLE: {
        double x = mdl_column_f64(a, ra), y = mdl_column_f64(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_DECIMAL: {
        mdl_i128 x = mdl_column_decimal(a, ra), y = mdl_column_decimal(b, rb);
        return (x > y) - (x < y);
    }
    case MDL_TYPE_STRING: {
        mdl_strview x = mdl_column_str(a, ra), y = mdl_column_str(b, rb);
        size_t n = x.len < y.len ? x.len : y.len;
        int c = n ? memcmp(x.ptr, y.ptr, n) : 0;
        return c ? c : (x.len > y.len) - (x.len < y.len);
    }
    }
    return 0;
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

int mdl_table_writer_write(mdl_table_writer *w, const mdl_batch *b, mdl_error *err)
{
    if (w->already)
        return MDL_OK;
    int rc = mdl_parquet_writer_write(w->pw, b, err);
    if (rc == MDL_OK)
        rc = mdl_table__stats_acc_add(&w->stats, b, err);
    return rc;
}

static void free_writer(mdl_table_writer *w)
{
    mdl_table_close(w->table);
    mdl_table__stats_acc_reset(&w->stats);
    mdl_free(w->ctx, w->path);
    mdl_free(w->ctx, w->txn_app_id);
    mdl_free(w->ctx, w);
}

void mdl_table_writer_abort(mdl_table_writer *w)
{
    if (w == NULL)
        return;
    mdl_parquet_writer_abort(w->pw); /* the data file never becomes visible */
    free_writer(w);
}

static int build_actions(mdl_table_writer *w, uint64_t bytes, mdl_delta_actions *acts,
                         mdl_error *err)
{
    mdl_ctx *ctx = w->ctx;
    int64_t now = mdl_now_micros() / 1000;
    int rc = MDL_OK;
    if (w->opts.overwrite) {
        for (size_t i = 0; rc == MDL_OK && i < w->table->num_active; i++) {
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
            rc = mdl_table__actions_push(acts, &r, err);
        }
    }
    char *stats = NULL;
    if (rc == MDL_OK)
        rc = mdl_table__stats_acc_build(&w->stats, &stats, err);
    mdl_delta_action a;
    memset(&a, 0, sizeof a);
    a.kind = MDL_DELTA_ADD;
    a.u.add.path = mdl_strdup(ctx, w->path);
    a.u.add.size = (int64_t)bytes;
    a.u.add.modification_time = now;
    a.u.add.data_change = true;
    a.u.add.stats = stats;
    int prc = mdl_table__actions_push(acts, &a, err);
    if (rc == MDL_OK)
        rc = prc;
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
    return rc;
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
    uint64_t bytes = 0;
    int rc = mdl_parquet_writer_close(w->pw, NULL, &bytes, err);
    w->pw = NULL;
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, w->ctx);
    if (rc == MDL_OK)
        rc = build_actions(w, bytes, &acts, err);
    if (rc == MDL_OK) {
        mdl_delta_commit_options o = {20, !w->opts.overwrite, w->txn_app_id, w->opts.txn_version};
        rc = mdl_table__commit(w->ctx, w->st, mdl_table_version(w->table), &acts,
                               w->opts.operation ? w->opts.operation : "WRITE", &o, version_out,
                               noop_out, err);
    }
    mdl_table__actions_reset(&acts);
    /* A failed or redundant commit leaves no orphan data file behind. */
    if ((rc != MDL_OK || *noop_out) && w->path != NULL)
        w->st->remove(w->st, w->path, NULL);
    free_writer(w);
    return rc;
}
