/*
 * table_maintenance.c - OPTIMIZE (compaction of small files) and VACUUM (deleting files the
 * latest snapshot no longer references) for Delta tables (medallion/table.h).
 *
 * Optimize never changes what the table contains: it rewrites rows into fewer files and
 * commits the swap with dataChange = false, so readers of the change stream can skip it. The
 * old files stay on storage for time travel until vacuum deletes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/table.h"
#include "table/delta_checkpoint.h"
#include "table/delta_log.h"
#include "table/table_internal.h"

#define DEFAULT_TARGET_BYTES ((uint64_t)128 * 1024 * 1024)

/* ---- optimize ---------------------------------------------------------------------------- */

/* One new data file: the files of one bin rewritten. */
typedef struct new_file {
    char *path;
    uint64_t bytes;
    char *stats;
    const mdl_delta_map *values; /* its partition's values (borrowed from the snapshot) */
} new_file;

static int copy_map(mdl_ctx *ctx, const mdl_delta_map *from, mdl_delta_map *to, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < from->count; i++)
        rc = mdl_table__map_put(ctx, to, from->items[i].key, from->items[i].value, err);
    return rc;
}

/* Same columns, names and types as the table: the rewrite must not change the schema. */
static bool same_schema(const mdl_schema *a, const mdl_schema *b)
{
    if (a->num_fields != b->num_fields)
        return false;
    for (size_t c = 0; c < a->num_fields; c++)
        if (strcmp(a->fields[c].name, b->fields[c].name) != 0 ||
            !mdl_type_equal(a->fields[c].type, b->fields[c].type))
            return false;
    return true;
}

/* Copies every batch of data file `path` into the writer and the stats. */
static int copy_file(mdl_ctx *ctx, mdl_storage *st, mdl_schema *schema, const char *path,
                     mdl_parquet_writer *pw, mdl_table__stats_acc *acc, mdl_error *err)
{
    mdl_rinput *in;
    mdl_parquet_reader *r = NULL;
    int rc = st->open_rinput(st, path, &in, err);
    if (rc == MDL_OK)
        rc = mdl_parquet_reader_open(ctx, in, NULL, &r, err);
    if (rc != MDL_OK)
        return mdl_error_prefix(err, "%s: data file %s: ", st->root, path);
    if (!same_schema(mdl_parquet_reader_schema(r), schema))
        rc = mdl_error_set(err, MDL_ERR_SCHEMA, "%s: data file %s does not have the table's schema",
                           st->root, path);
    mdl_batch *b = NULL;
    while (rc == MDL_OK && (rc = mdl_parquet_reader_next(r, &b, err)) == MDL_OK && b != NULL) {
        rc = mdl_parquet_writer_write(pw, b, err);
        if (rc == MDL_OK)
            rc = mdl_table__stats_acc_add(acc, b, err);
        mdl_batch_free(b);
        b = NULL;
    }
    mdl_parquet_reader_free(r);
    return rc;
}

/* Rewrites the table's active files files[0..n) into one new file, *out. */
static int rewrite_bin(mdl_ctx *ctx, mdl_storage *st, mdl_table *t, const size_t *files, size_t n,
                       const mdl_parquet_write_options *po, new_file *out, mdl_error *err)
{
    /* the files of a partitioned table hold only the other columns, and a bin holds files of
     * one partition: the new file goes to that partition's folder */
    mdl_schema *schema = mdl_table__data_schema(t);
    out->values = mdl_table__file_partition_values(t, files[0]);
    mdl_uuid u;
    char id[37];
    int rc = mdl_uuid_v4(&u, err);
    if (rc != MDL_OK)
        return rc;
    mdl_uuid_format(&u, id);
    mdl_buf key;
    mdl_buf_init(&key, ctx, 0);
    rc = mdl_table__partition_dir(t, out->values, &key, err);
    /* the writer's naming, so the files look alike whoever wrote them */
    if (rc == MDL_OK)
        rc = mdl_buf_printf(&key, err, "part-00000-%s-c000.%s.parquet", id,
                            po->codec == MDL_CODEC_ZSTD ? "zstd" : "data");
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(&key, err);
    if (rc == MDL_OK && (out->path = mdl_strdup(ctx, key.data)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory optimizing a table");
    mdl_buf_reset(&key);
    if (rc != MDL_OK)
        return rc;
    mdl_table__stats_acc acc;
    memset(&acc, 0, sizeof acc);
    mdl_output *o = NULL;
    mdl_parquet_writer *pw = NULL;
    rc = st->open_output(st, out->path, &o, err);
    if (rc == MDL_OK)
        rc = mdl_parquet_writer_open(ctx, o, schema, po, &pw, err);
    if (rc == MDL_OK)
        rc = mdl_table__stats_acc_init(ctx, schema, &acc, err);
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        mdl_table_file f;
        mdl_table_file_at(t, files[i], &f);
        rc = copy_file(ctx, st, schema, f.path, pw, &acc, err);
    }
    if (rc == MDL_OK) {
        rc = mdl_parquet_writer_close(pw, NULL, &out->bytes, err);
        pw = NULL;
    }
    if (rc == MDL_OK)
        rc = mdl_table__stats_acc_build(&acc, &out->stats, err);
    mdl_parquet_writer_abort(pw); /* on failure the file never becomes visible */
    mdl_table__stats_acc_reset(&acc);
    return rc;
}

/* The commit: remove every compacted file, add every new one, none of it a data change. */
static int build_optimize_actions(mdl_ctx *ctx, mdl_table *t, const size_t *files, size_t n,
                                  new_file *nf, size_t num_new, mdl_delta_actions *acts,
                                  mdl_error *err)
{
    int64_t now = mdl_now_micros() / 1000;
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        mdl_table_file f;
        mdl_table_file_at(t, files[i], &f);
        mdl_delta_action r;
        memset(&r, 0, sizeof r);
        r.kind = MDL_DELTA_REMOVE;
        r.u.remove.path = mdl_strdup(ctx, f.path);
        r.u.remove.has_deletion_timestamp = true;
        r.u.remove.deletion_timestamp = now;
        r.u.remove.data_change = false;
        r.u.remove.has_size = true;
        r.u.remove.size = f.size;
        const mdl_delta_map *pv = mdl_table__file_partition_values(t, files[i]);
        r.u.remove.has_partition_values = pv->count > 0;
        rc = r.u.remove.path == NULL
                 ? mdl_error_set(err, MDL_ERR_NOMEM, "out of memory optimizing a table")
                 : copy_map(ctx, pv, &r.u.remove.partition_values, err);
        int prc = mdl_table__actions_push(acts, &r, err);
        if (rc == MDL_OK)
            rc = prc;
    }
    for (size_t i = 0; rc == MDL_OK && i < num_new; i++) {
        mdl_delta_action a;
        memset(&a, 0, sizeof a);
        a.kind = MDL_DELTA_ADD;
        a.u.add.path = mdl_strdup(ctx, nf[i].path);
        a.u.add.size = (int64_t)nf[i].bytes;
        a.u.add.modification_time = now;
        a.u.add.data_change = false;
        a.u.add.stats = nf[i].stats; /* the action owns it from here */
        nf[i].stats = NULL;
        if (a.u.add.path == NULL) {
            mdl_table__action_reset(ctx, &a);
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory optimizing a table");
        }
        if (nf[i].values != NULL)
            rc = copy_map(ctx, nf[i].values, &a.u.add.partition_values, err);
        int prc = mdl_table__actions_push(acts, &a, err);
        if (rc == MDL_OK)
            rc = prc;
    }
    return rc;
}

int mdl_table_optimize(mdl_ctx *ctx, mdl_storage *st, uint64_t target_file_bytes,
                       const mdl_parquet_write_options *parquet, size_t *files_removed,
                       size_t *files_added, int64_t *version_out, mdl_error *err)
{
    *files_removed = 0;
    *files_added = 0;
    *version_out = -1;
    uint64_t target = target_file_bytes ? target_file_bytes : DEFAULT_TARGET_BYTES;
    mdl_parquet_write_options po;
    if (parquet != NULL)
        po = *parquet;
    else
        mdl_parquet_write_options_init(&po);
    mdl_table *t;
    int rc = mdl_table_open(ctx, st, -1, &t, err);
    if (rc != MDL_OK)
        return rc;
    *version_out = mdl_table_version(t);
    size_t nfiles = mdl_table_num_files(t);
    /* small[] lists the files to compact, bin by bin; bin_end[b] is where bin b ends */
    size_t *small = mdl_calloc(ctx, nfiles ? nfiles : 1, sizeof *small);
    size_t *bin_end = mdl_calloc(ctx, nfiles ? nfiles : 1, sizeof *bin_end);
    new_file *nf = mdl_calloc(ctx, nfiles ? nfiles : 1, sizeof *nf);
    bool *done = mdl_calloc(ctx, nfiles ? nfiles : 1, sizeof *done);
    size_t num_small = 0, num_bins = 0, num_new = 0;
    if (small == NULL || bin_end == NULL || nf == NULL || done == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory optimizing a table");
    /* Greedy packing in commit order keeps rows roughly in the order they were written. A
     * bin of one file would only be copied, so it is dropped; as every candidate is below
     * target/2, only the last bin of a partition can end up alone. Bins never mix
     * partitions (a file lives in one partition's folder), so each partition, in order of
     * its first small file, is packed on its own. */
    for (size_t first = 0; rc == MDL_OK && first < nfiles; first++) {
        if (done[first])
            continue;
        const mdl_delta_map *part = mdl_table__file_partition_values(t, first);
        uint64_t bin_bytes = 0;
        size_t bin_start = num_small;
        for (size_t i = first; i < nfiles; i++) {
            if (done[i] || !mdl_table__same_partition(part, mdl_table__file_partition_values(t, i)))
                continue;
            done[i] = true;
            mdl_table_file f;
            mdl_table_file_at(t, i, &f);
            if (f.size < 0 || (uint64_t)f.size >= target / 2)
                continue;
            if (num_small > bin_start && bin_bytes + (uint64_t)f.size > target) {
                if (num_small - bin_start >= 2)
                    bin_end[num_bins++] = num_small;
                else
                    num_small = bin_start; /* drop the lone file */
                bin_start = num_small;
                bin_bytes = 0;
            }
            small[num_small++] = i;
            bin_bytes += (uint64_t)f.size;
        }
        if (num_small - bin_start >= 2)
            bin_end[num_bins++] = num_small;
        else
            num_small = bin_start;
    }
    mdl_free(ctx, done);
    for (size_t b = 0; rc == MDL_OK && b < num_bins; b++) {
        size_t from = b ? bin_end[b - 1] : 0;
        rc = rewrite_bin(ctx, st, t, small + from, bin_end[b] - from, &po, &nf[num_new], err);
        num_new++; /* counted also on failure: its path is freed below */
    }
    mdl_delta_actions acts;
    mdl_table__actions_init(&acts, ctx);
    bool committed = false;
    if (rc == MDL_OK && num_bins > 0) {
        rc = build_optimize_actions(ctx, t, small, num_small, nf, num_new, &acts, err);
        if (rc == MDL_OK) {
            /* not a blind append: it removes files, so concurrent adds/removes conflict */
            mdl_delta_map metrics = {0, NULL};
            char text[4][32];
            uint64_t vals[4] = {num_small, num_new, 0, 0};
            for (size_t i = 0; i < num_small; i++) {
                mdl_table_file f;
                mdl_table_file_at(t, small[i], &f);
                vals[2] += (uint64_t)f.size;
            }
            for (size_t i = 0; i < num_new; i++)
                vals[3] += nf[i].bytes;
            const char *keys[4] = {"numRemovedFiles", "numAddedFiles", "numRemovedBytes",
                                   "numAddedBytes"};
            for (size_t i = 0; rc == MDL_OK && i < 4; i++) {
                snprintf(text[i], sizeof text[i], "%llu", (unsigned long long)vals[i]);
                rc = mdl_table__map_put(ctx, &metrics, keys[i], text[i], err);
            }
            mdl_delta_commit_options o = {
                .max_attempts = 20,
                .txn_version = -1,
                .checkpoint_interval = mdl_table__checkpoint_interval(mdl_table__metadata(t)),
                .metrics = &metrics};
            bool noop = false;
            int64_t v = -1;
            if (rc == MDL_OK)
                rc = mdl_table__commit(ctx, st, mdl_table_version(t), &acts, "OPTIMIZE", &o, &v,
                                       &noop, err);
            mdl_table__map_reset(ctx, &metrics);
            if (rc == MDL_OK) {
                committed = true;
                *version_out = v;
                *files_removed = num_small;
                *files_added = num_new;
            }
        }
    }
    mdl_table__actions_reset(&acts);
    for (size_t i = 0; i < num_new; i++) {
        /* new files of a failed optimize are garbage: nothing references them */
        if (!committed && nf[i].path != NULL)
            st->remove(st, nf[i].path, NULL);
        mdl_free(ctx, nf[i].path);
        mdl_free(ctx, nf[i].stats);
    }
    mdl_free(ctx, nf);
    mdl_free(ctx, small);
    mdl_free(ctx, bin_end);
    mdl_table_close(t);
    return rc;
}

/* ---- vacuum ------------------------------------------------------------------------------ */

/* The log and hidden names (temporary files, _-prefixed folders) are never vacuumed: Delta
 * keeps anything whose path has a component starting with '.' or '_' out of VACUUM. */
static bool is_hidden(const char *key)
{
    for (const char *p = key; *p != '\0';) {
        if (*p == '.' || *p == '_')
            return true;
        const char *slash = strchr(p, '/');
        if (slash == NULL)
            break;
        p = slash + 1;
    }
    return false;
}

/* Paths the log may hold that do not name a key under the root: those we cannot match. */
static bool is_absolute(const char *path)
{
    return path[0] == '/' || strstr(path, ":/") != NULL;
}

void mdl_table_vacuum_paths_free(mdl_ctx *ctx, char **paths, size_t n)
{
    for (size_t i = 0; paths != NULL && i < n; i++)
        mdl_free(ctx, paths[i]);
    mdl_free(ctx, paths);
}

int mdl_table_vacuum(mdl_ctx *ctx, mdl_storage *st, int64_t retention_ms, bool dry_run,
                     char ***paths_out, size_t *count_out, mdl_error *err)
{
    if (paths_out != NULL)
        *paths_out = NULL;
    *count_out = 0;
    if (retention_ms < 0)
        retention_ms = MDL_TABLE_VACUUM_DEFAULT_RETENTION_MS;
    /* The cutoff is taken before the snapshot is read, so a file committed after that read
     * (which the snapshot cannot know) is younger than the cutoff for any retention > 0. */
    int64_t cutoff = mdl_now_micros() / 1000 - retention_ms;
    mdl_delta_snapshot *snap = NULL;
    int rc = mdl_table__snapshot_load(ctx, st, -1, &snap, err);
    if (rc == MDL_OK && snap->version < 0)
        rc = mdl_error_set(err, MDL_ERR_NOT_FOUND,
                           "%s: no Delta table there (create one with 'medallion table create')",
                           st->root);
    for (size_t i = 0; rc == MDL_OK && i < snap->files.count; i++)
        if (snap->files.items[i].kind == MDL_DELTA_ADD &&
            is_absolute(snap->files.items[i].u.add.path))
            rc = mdl_error_set(err, MDL_ERR_UNSUPPORTED,
                               "%s: active file %s has an absolute path; vacuum only handles "
                               "files under the table root",
                               st->root, snap->files.items[i].u.add.path);
    mdl_storage_list l = {NULL, 0};
    if (rc == MDL_OK)
        rc = st->list(st, "", &l, err);
    char **paths = NULL;
    size_t n = 0;
    if (rc == MDL_OK && (paths = mdl_calloc(ctx, l.count ? l.count : 1, sizeof *paths)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory vacuuming a table");
    for (size_t i = 0; rc == MDL_OK && i < l.count; i++) {
        const mdl_storage_entry *e = &l.entries[i];
        uint64_t idx;
        if (is_hidden(e->key) || e->mtime_ms > cutoff ||
            mdl_hashmap_get(snap->by_path, mdl_sv(e->key), &idx))
            continue;
        if ((paths[n] = mdl_strdup(ctx, e->key)) == NULL) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory vacuuming a table");
            break;
        }
        n++;
        if (!dry_run)
            rc = st->remove(st, e->key, err);
    }
    mdl_storage_list_free(ctx, &l);
    mdl_table__snapshot_free(snap);
    if (rc != MDL_OK || paths_out == NULL) {
        mdl_table_vacuum_paths_free(ctx, paths, n);
        if (rc == MDL_OK)
            *count_out = n;
        return rc;
    }
    *paths_out = paths;
    *count_out = n;
    return MDL_OK;
}
