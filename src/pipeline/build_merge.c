/*
 * build_merge.c - `materialized: incremental`: the model's SQL reads only what its source
 * tables gained since the last build and the result is merged into the table on unique_key.
 *
 * What was consumed is recorded in the target itself, as Delta txn actions (appId
 * "medallion.source:<table>", version = the source version read) committed with the merge,
 * so the data and the bookmark land together or not at all, and a rerun with no new source
 * commits is a no-op. The merge reads the key (and order_by) columns of every target file,
 * rewrites only the files holding a key the result has, and adds the result's rows: one
 * commit that removes the rewritten files and adds the new ones. A late row for an old key
 * is applied whatever its date (the earlier system dropped rows older than a lookback window);
 * with order_by, a row older than the table's row of its key is ignored instead, so replays
 * and out-of-order deliveries cannot roll a key back.
 */
#include <stdio.h>
#include <string.h>

#include "pipeline/build_internal.h"

#define TXN_PREFIX "medallion.source:"

typedef struct merge {
    build_job *j;
    build_rows in;
    mdl_hashmap *keys; /* encoded key -> global incoming row */
    long deleted_col;  /* index of _deleted in the query's batches, or -1 */
    long order_col;    /* index of order_by among the model columns, or -1 */
    uint8_t *stale;    /* per incoming row: the table's row of its key is newer */
    uint8_t *found;    /* per incoming row: its key is in the table */
    mdl_buf key;
} merge;

static bool is_deleted(const merge *m, uint64_t g)
{
    if (m->deleted_col < 0)
        return false;
    const mdl_column *c = &m->in.batches[m->in.batch_of[g]]->columns[m->deleted_col];
    size_t r = m->in.row_of[g];
    return !mdl_column_is_null(c, r) && mdl_column_bool(c, r);
}

/* Indexes the incoming rows by key; a key twice is the model's mistake. */
static int index_incoming(merge *m, mdl_error *err)
{
    build_job *j = m->j;
    int rc = mdl_hashmap_new(j->ctx, m->in.num_rows + 1, &m->keys, err);
    for (uint64_t g = 0; rc == MDL_OK && g < m->in.num_rows; g++) {
        const mdl_batch *b = m->in.batches[m->in.batch_of[g]];
        m->key.len = 0;
        rc = mdl_build__key(b, m->in.row_of[g], j->key_col, j->c->num_unique_key, &m->key,
                            j->c->table, err);
        uint64_t first;
        bool exists = false;
        if (rc == MDL_OK)
            rc = mdl_hashmap_get_or_put(m->keys, mdl_sv_make(m->key.data, m->key.len), g, &first,
                                        &exists, err);
        if (rc == MDL_OK && exists) {
            char shown[256];
            mdl_column_format_value(&b->columns[j->key_col[0]], m->in.row_of[g], shown,
                                    sizeof shown);
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "%s: the model returned the key %s (%s) twice in one run; an "
                               "incremental model returns one row per unique_key (keep the "
                               "latest with ROW_NUMBER in its SQL)",
                               j->c->table, shown, j->c->unique_key[0]);
        }
    }
    m->stale = mdl_calloc(j->ctx, m->in.num_rows + 1, 1);
    m->found = mdl_calloc(j->ctx, m->in.num_rows + 1, 1);
    if (rc == MDL_OK && (m->stale == NULL || m->found == NULL))
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory merging");
    return rc;
}

/* Looks up row r of a table batch (table schema) among the incoming keys. */
static int lookup(merge *m, const mdl_batch *b, size_t r, const size_t *tcols, bool *hit,
                  uint64_t *g, mdl_error *err)
{
    m->key.len = 0;
    int rc = mdl_build__key(b, r, tcols, m->j->c->num_unique_key, &m->key, m->j->c->table, err);
    *hit = rc == MDL_OK && mdl_hashmap_get(m->keys, mdl_sv_make(m->key.data, m->key.len), g);
    return rc;
}

/* Pass 1: which table files hold incoming keys, and whether the table's row is newer. */
static int find_touched(merge *m, mdl_table *t, const size_t *tcols, bool *touched, mdl_error *err)
{
    build_job *j = m->j;
    size_t nf = mdl_table_num_files(t), ncols = j->schema->num_fields;
    bool *want = mdl_calloc(j->ctx, ncols, sizeof *want);
    bool *one = mdl_calloc(j->ctx, nf + 1, sizeof *one);
    int rc = want && one ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory merging");
    for (size_t k = 0; rc == MDL_OK && k < j->c->num_unique_key; k++)
        want[tcols[k]] = true;
    size_t order_t = m->order_col >= 0 ? j->model_col[m->order_col] : 0;
    if (m->order_col >= 0)
        want[order_t] = true;
    for (size_t f = 0; rc == MDL_OK && f < nf; f++) {
        mdl_batch_stream *s = NULL;
        one[f] = true;
        rc = mdl_table_scan_files(t, one, want, &s, err);
        one[f] = false;
        mdl_batch *b = NULL;
        while (rc == MDL_OK && (rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
            for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++) {
                bool hit;
                uint64_t g;
                rc = lookup(m, b, r, tcols, &hit, &g, err);
                if (rc != MDL_OK || !hit)
                    continue;
                touched[f] = true;
                m->found[g] = 1;
                if (m->order_col >= 0) {
                    const mdl_column *mine = &b->columns[order_t];
                    const mdl_column *theirs =
                        &m->in.batches[m->in.batch_of[g]]->columns[m->order_col];
                    size_t tr = m->in.row_of[g];
                    if (!mdl_column_is_null(mine, r) && !mdl_column_is_null(theirs, tr) &&
                        mdl_column_compare(mine, r, theirs, tr) > 0)
                        m->stale[g] = 1;
                }
            }
            mdl_batch_free(b);
        }
        mdl_batch_stream_release(s);
    }
    mdl_free(j->ctx, want);
    mdl_free(j->ctx, one);
    return rc;
}

/* Appends row r of `src` (its first ncols columns) to `dst`, writing `dst` when full. */
static int put_row(mdl_table_writer *w, mdl_batch *dst, const mdl_batch *src, size_t r,
                   uint64_t *written, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t c = 0; rc == MDL_OK && c < dst->schema->num_fields; c++)
        rc = mdl_column_append_from(dst->ctx, &dst->columns[c], &src->columns[c], r, err);
    if (rc == MDL_OK && ++dst->num_rows == dst->capacity) {
        rc = mdl_table_writer_write(w, dst, err);
        *written += dst->num_rows;
        mdl_batch_clear(dst);
    }
    return rc;
}

/* Pass 2: the touched files' rows that stay, then the incoming rows that win. */
static int write_merge(merge *m, mdl_table *t, const size_t *tcols, const bool *touched,
                       mdl_table_writer *w, mdl_error *err)
{
    build_job *j = m->j;
    mdl_batch *out = NULL;
    int rc = mdl_batch_new(j->ctx, mdl_table_writer_schema(w), 0, &out, err);
    uint64_t written = 0;
    if (rc == MDL_OK && mdl_table_num_files(t) > 0) {
        mdl_batch_stream *s = NULL;
        rc = mdl_table_scan_files(t, touched, NULL, &s, err);
        mdl_batch *b = NULL;
        while (rc == MDL_OK && (rc = mdl_batch_stream_next(s, &b, err)) == MDL_OK && b != NULL) {
            for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++) {
                bool hit;
                uint64_t g;
                rc = lookup(m, b, r, tcols, &hit, &g, err);
                if (rc == MDL_OK && (!hit || m->stale[g]))
                    rc = put_row(w, out, b, r, &written, err);
            }
            mdl_batch_free(b);
        }
        mdl_batch_stream_release(s);
    }
    for (uint64_t g = 0; rc == MDL_OK && g < m->in.num_rows; g++) {
        if (m->stale[g]) {
            j->out->ignored++;
            continue;
        }
        if (is_deleted(m, g)) {
            j->out->deleted += m->found[g];
            continue;
        }
        if (m->found[g])
            j->out->updated++;
        else
            j->out->inserted++;
        rc = put_row(w, out, m->in.batches[m->in.batch_of[g]], m->in.row_of[g], &written, err);
    }
    if (rc == MDL_OK && out->num_rows > 0) {
        rc = mdl_table_writer_write(w, out, err);
        written += out->num_rows;
    }
    j->out->rows_written = written;
    mdl_batch_free(out);
    return rc;
}

int mdl_build__incremental(build_job *j, mdl_error *err)
{
    mdl_ctx *ctx = j->ctx;
    const mdl_contract *c = j->c;
    mdl_table *t = NULL;
    bool created;
    int rc = mdl_build__open_target(j, &t, &created, err);
    /* the sources' latest versions against what the table last consumed */
    mdl_sql_table_pin *pins = mdl_calloc(ctx, j->num_sources + 1, sizeof *pins);
    mdl_key_value *txns = mdl_calloc(ctx, j->num_sources + 1, sizeof *txns);
    char(*ids)[600] = mdl_calloc(ctx, j->num_sources + 1, sizeof *ids);
    char(*vers)[24] = mdl_calloc(ctx, j->num_sources + 1, sizeof *vers);
    if (rc == MDL_OK && (pins == NULL || txns == NULL || ids == NULL || vers == NULL))
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a build");
    bool anything_new = false;
    for (size_t i = 0; rc == MDL_OK && i < j->num_sources; i++) {
        char path[4096];
        const char *dot = strchr(j->sources[i], '.');
        snprintf(path, sizeof path, "%s/%.*s/%s", j->o->lake_root,
                 (int)(dot ? dot - j->sources[i] : 0), j->sources[i], dot ? dot + 1 : "");
        mdl_storage *sst = NULL;
        mdl_table *src = NULL;
        rc = mdl_storage_open_local(ctx, path, &sst, err);
        if (rc == MDL_OK)
            rc = mdl_table_open(ctx, sst, -1, &src, err);
        if (rc != MDL_OK)
            mdl_error_prefix(err, "source %s: ", j->sources[i]);
        snprintf(ids[i], sizeof ids[i], "%s%s", TXN_PREFIX, j->sources[i]);
        int64_t latest = rc == MDL_OK ? mdl_table_version(src) : -1;
        int64_t seen = mdl_table_txn_version(t, ids[i]);
        mdl_table_close(src);
        mdl_storage_release(sst);
        anything_new |= latest > seen;
        pins[i] = (mdl_sql_table_pin){j->sources[i], latest, seen, NULL};
        snprintf(vers[i], sizeof vers[i], "%lld", (long long)latest);
        txns[i] = (mdl_key_value){ids[i], vers[i]};
    }
    merge m;
    memset(&m, 0, sizeof m);
    m.j = j;
    m.deleted_col = -1;
    m.order_col = -1;
    mdl_buf_init(&m.key, ctx, 0);
    mdl_batch_stream *s = NULL;
    mdl_table_writer *w = NULL;
    size_t nf = t ? mdl_table_num_files(t) : 0;
    size_t *tcols = mdl_calloc(ctx, c->num_unique_key + 1, sizeof *tcols);
    bool *touched = mdl_calloc(ctx, nf + 1, sizeof *touched);
    const char **remove = mdl_calloc(ctx, nf + 1, sizeof *remove);
    if (rc == MDL_OK && (tcols == NULL || touched == NULL || remove == NULL))
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a build");
    if (rc == MDL_OK && !anything_new && !created) {
        j->out->up_to_date = true;
        j->out->version = mdl_table_version(t);
        goto done;
    }
    for (size_t k = 0; rc == MDL_OK && k < c->num_unique_key; k++)
        tcols[k] = j->model_col[j->key_col[k]];
    for (size_t i = 0; c->incremental_order_by && i < j->num_model; i++)
        if (strcmp(c->columns[j->model_col[i]].name, c->incremental_order_by) == 0)
            m.order_col = (long)i;
    if (rc == MDL_OK)
        rc = mdl_build__query(j, pins, j->num_sources, true, &s, err);
    if (rc == MDL_OK && s->schema->num_fields == j->num_model + 1)
        m.deleted_col = (long)j->num_model;
    if (rc == MDL_OK)
        rc = mdl_build__collect(j, s, &m.in, err);
    if (rc == MDL_OK)
        rc = index_incoming(&m, err);
    if (rc == MDL_OK)
        rc = find_touched(&m, t, tcols, touched, err);
    size_t num_remove = 0;
    for (size_t f = 0; rc == MDL_OK && f < nf; f++)
        if (touched[f]) {
            mdl_table_file tf;
            mdl_table_file_at(t, f, &tf);
            remove[num_remove++] = tf.path;
        }
    if (rc == MDL_OK) {
        mdl_table_write_options wo;
        mdl_table_write_options_init(&wo);
        wo.parquet = j->o->parquet;
        wo.operation = "MERGE";
        wo.remove_paths = remove;
        wo.num_remove_paths = num_remove;
        wo.txns = txns;
        wo.num_txns = j->num_sources;
        rc = mdl_table_writer_open(ctx, j->st, &wo, &w, err);
    }
    if (rc == MDL_OK)
        rc = write_merge(&m, t, tcols, touched, w, err);
    if (rc == MDL_OK) {
        rc = mdl_build__publish(j, w, err); /* checks the staged data, then commits or not */
        w = NULL;
    }
done:
    mdl_table_writer_abort(w);
    mdl_batch_stream_release(s);
    mdl_build__rows_free(ctx, &m.in);
    mdl_hashmap_free(m.keys);
    mdl_free(ctx, m.stale);
    mdl_free(ctx, m.found);
    mdl_buf_reset(&m.key);
    mdl_free(ctx, tcols);
    mdl_free(ctx, touched);
    mdl_free(ctx, remove);
    mdl_free(ctx, pins);
    mdl_free(ctx, txns);
    mdl_free(ctx, ids);
    mdl_free(ctx, vers);
    mdl_table_close(t);
    return rc;
}
