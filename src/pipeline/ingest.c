/*
 * ingest.c - bronze ingestion of file sources (medallion/pipeline.h, docs/ingest.md).
 *
 * Per file: read with the contract's types (the format readers report every row they cannot
 * convert), route those rows to quarantine/<name>, add the metadata columns to the rest and
 * append them to bronze/<name>. Each file is its own pair of commits carrying the txn
 * "medallion.ingest:<file>" (quarantine first, then bronze), so a crash anywhere leaves whole
 * files only, and a re-run skips exactly the files bronze has.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ingest_internal.h"

#define TXN_PREFIX       "medallion.ingest:"
#define QUARANTINE_BATCH 1024

/* Bronze metadata columns, in table order after the contract's columns. */
enum { META_TS, META_SYSTEM, META_BATCH, META_FILE, META_DATE, META_COUNT };
static const char *const META_NAMES[META_COUNT] = {"_ingestion_ts", "_source_system", "_batch_id",
                                                   "_source_file", "_ingest_date"};
static const mdl_type_id META_TYPES[META_COUNT] = {MDL_TYPE_TIMESTAMP, MDL_TYPE_STRING,
                                                   MDL_TYPE_STRING, MDL_TYPE_STRING, MDL_TYPE_DATE};

static const char QUARANTINE_SCHEMA[] =
    "_source_file string not null, _source_line int64, _source_offset int64, column string, "
    "value string, reason string not null, record string, _ingestion_ts timestamp not null, "
    "_batch_id string not null, _ingest_date date not null";

void mdl_ingest_options_init(mdl_ingest_options *o)
{
    memset(o, 0, sizeof *o);
    o->landing_root = "landing";
    o->lake_root = "lake";
    o->ingest_date = INT32_MIN;
    mdl_parquet_write_options_init(&o->parquet);
}

bool mdl_pipeline__is_meta_column(const char *name)
{
    for (int i = 0; i < META_COUNT; i++)
        if (strcmp(name, META_NAMES[i]) == 0)
            return true;
    return false;
}

/* ---- the run's constants ------------------------------------------------------------------ */

typedef struct run {
    mdl_ctx *ctx;
    const mdl_contract *c;
    const mdl_ingest_options *o;
    char batch_id[40];
    int64_t ts;
    int32_t date;
    const char *system;
    mdl_storage *bronze, *quarantine;
    mdl_schema *qschema;
    mdl_ingest_result *res;
    uint64_t bytes_before; /* of the files already read in this run */
    uint64_t bytes_total;
    size_t file_index, num_files;
    int64_t table_rows;      /* committed rows of the bronze table and of its quarantine, */
    int64_t quarantine_rows; /* for the quarantined check (kept up to date, not re-counted) */
} run;

/* ---- files ---------------------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file the source patterns match, relative to the landing root, sorted, once. */
static int list_files(run *r, char ***out, size_t *n, mdl_error *err)
{
    mdl_ctx *ctx = r->ctx;
    const mdl_contract_source *src = &r->c->source;
    char **files = NULL;
    size_t count = 0, cap = 0;
    int rc = MDL_OK;
    size_t root_len = strlen(r->o->landing_root);
    for (size_t p = 0; rc == MDL_OK && p < src->num_paths; p++) {
        char pattern[4096];
        snprintf(pattern, sizeof pattern, "%s/%s", r->o->landing_root, src->paths[p]);
        glob_t g;
        int grc = glob(pattern, GLOB_ERR, NULL, &g);
        if (grc == GLOB_NOMATCH) {
            globfree(&g);
            continue;
        }
        if (grc != 0) {
            globfree(&g);
            rc = mdl_error_set(err, MDL_ERR_IO, "%s: source path '%s': cannot list it", r->c->file,
                               pattern);
            break;
        }
        for (size_t i = 0; rc == MDL_OK && i < g.gl_pathc; i++) {
            struct stat sb;
            if (stat(g.gl_pathv[i], &sb) != 0 || !S_ISREG(sb.st_mode))
                continue;
            if (count == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                char **nf = mdl_realloc(ctx, files, ncap * sizeof *nf);
                if (nf == NULL) {
                    rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory listing files");
                    break;
                }
                files = nf;
                cap = ncap;
            }
            const char *rel = g.gl_pathv[i] + root_len;
            while (*rel == '/')
                rel++;
            if ((files[count] = mdl_strdup(ctx, rel)) == NULL)
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory listing files");
            else
                count++;
        }
        globfree(&g);
    }
    if (count > 1)
        qsort(files, count, sizeof *files, cmp_str);
    size_t w = 0;
    for (size_t i = 0; i < count; i++) {
        if (w > 0 && strcmp(files[w - 1], files[i]) == 0)
            mdl_free(ctx, files[i]);
        else
            files[w++] = files[i];
    }
    *out = files;
    *n = w;
    return rc;
}

static void free_files(mdl_ctx *ctx, char **files, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mdl_free(ctx, files[i]);
    mdl_free(ctx, files);
}

/* ---- tables -----------------------------------------------------------------------------------
 */

/* contract columns, then the metadata columns */
static int bronze_schema(run *r, mdl_schema **out, mdl_error *err)
{
    const mdl_contract *c = r->c;
    size_t n = c->num_columns + META_COUNT;
    mdl_field_def *defs = mdl_calloc(r->ctx, n, sizeof *defs);
    if (defs == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->num_columns; i++)
        defs[i] = (mdl_field_def){c->columns[i].name, c->columns[i].type, c->columns[i].nullable};
    for (size_t i = 0; i < META_COUNT; i++)
        defs[c->num_columns + i] =
            (mdl_field_def){META_NAMES[i], mdl_type_make(META_TYPES[i]), false};
    int rc = mdl_schema_new(r->ctx, defs, n, out, err);
    mdl_free(r->ctx, defs);
    return rc;
}

static int open_storage(run *r, const char *layer, mdl_storage **out, mdl_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s/%s", r->o->lake_root, layer, r->c->name);
    return mdl_storage_open_local(r->ctx, path, out, err);
}

/* Creates the table if it does not exist. */
static int ensure_table(run *r, mdl_storage *st, mdl_schema *schema, const char *name,
                        const char *description, const char *const *parts, size_t nparts,
                        int64_t *rows, mdl_error *err)
{
    mdl_table *t = NULL;
    mdl_key_value props[] = {{"medallion.contract", r->c->file}};
    int rc = mdl_table_open_or_create(r->ctx, st, schema, name, description, parts, nparts, props,
                                      1, &t, NULL, err);
    if (rc == MDL_OK && rows != NULL)
        *rows = mdl_table_num_records(t); /* our own files always carry stats */
    mdl_table_close(t);
    return rc;
}

/*
 * Brings the bronze table's columns in line with the contract: contract columns it lacks are
 * added (a contract change is deliberate, whatever the schema mode); a contract column whose
 * type differs is an error.
 */
static int reconcile_contract_columns(run *r, mdl_error *err)
{
    mdl_table *t;
    int rc = mdl_table_open(r->ctx, r->bronze, -1, &t, err);
    if (rc != MDL_OK)
        return rc;
    mdl_schema *s = mdl_table_schema(t);
    mdl_field_def *add = mdl_calloc(r->ctx, r->c->num_columns + 1, sizeof *add);
    size_t nadd = 0;
    if (add == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t i = 0; rc == MDL_OK && i < r->c->num_columns; i++) {
        const mdl_contract_column *cc = &r->c->columns[i];
        long k = mdl_schema_find(s, mdl_sv(cc->name));
        if (k < 0) {
            add[nadd++] = (mdl_field_def){cc->name, cc->type, true};
        } else if (!mdl_type_equal(s->fields[k].type, cc->type)) {
            char want[64], have[64];
            mdl_type_format(cc->type, want, sizeof want);
            mdl_type_format(s->fields[k].type, have, sizeof have);
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "%s:%d: column '%s' is %s in the contract but %s in the table %s; "
                               "changing a column's type needs a new table (or a backfill)",
                               r->c->file, cc->line, cc->name, want, have, r->bronze->root);
        }
    }
    mdl_table_close(t);
    if (rc == MDL_OK && nadd > 0) {
        rc = mdl_table_add_columns(r->ctx, r->bronze, add, nadd, NULL, err);
        r->res->columns_added += rc == MDL_OK ? nadd : 0;
    }
    mdl_free(r->ctx, add);
    return rc;
}

/* ---- reading one file ---------------------------------------------------------------------- */

typedef struct file_job {
    run *r;
    const char *rel; /* relative path: _source_file and messages */
    char txn[4200];
    mdl_table_writer *qw; /* opened at the first reject */
    mdl_batch *qb;
    uint64_t rejected;
    int failed; /* a status from inside the reject callback */
    mdl_error qerr;
} file_job;

static int append_str(mdl_ctx *ctx, mdl_column *col, const char *s, size_t len, mdl_error *err)
{
    return s == NULL ? mdl_column_append_null(ctx, col, err)
                     : mdl_column_append_string(ctx, col, s, len, err);
}

static int flush_quarantine(file_job *j, mdl_error *err)
{
    run *r = j->r;
    if (j->qb == NULL || j->qb->num_rows == 0)
        return MDL_OK;
    int rc = MDL_OK;
    if (j->qw == NULL) {
        mdl_table_write_options o;
        mdl_table_write_options_init(&o);
        o.parquet = r->o->parquet;
        o.txn_app_id = j->txn;
        o.txn_version = 1;
        o.operation = "INGEST QUARANTINE";
        rc = mdl_table_writer_open(r->ctx, r->quarantine, &o, &j->qw, err);
    }
    if (rc == MDL_OK)
        rc = mdl_table_writer_write(j->qw, j->qb, err);
    mdl_batch_clear(j->qb);
    return rc;
}

/* The reject callback: one quarantine row per rejected record. */
static int on_reject(void *payload, const mdl_reject *rj)
{
    file_job *j = payload;
    run *r = j->r;
    mdl_ctx *ctx = r->ctx;
    mdl_error *err = &j->qerr;
    int rc = MDL_OK;
    if (j->qb == NULL)
        rc = mdl_batch_new(ctx, r->qschema, QUARANTINE_BATCH, &j->qb, err);
    if (rc == MDL_OK && j->qb->num_rows == QUARANTINE_BATCH)
        rc = flush_quarantine(j, err);
    mdl_column *col = j->qb ? j->qb->columns : NULL;
    int64_t line = (int64_t)rj->line, off = (int64_t)rj->offset;
    if (rc == MDL_OK)
        rc = append_str(ctx, &col[0], j->rel, strlen(j->rel), err);
    if (rc == MDL_OK)
        rc = mdl_column_append_value(ctx, &col[1], &line, err);
    if (rc == MDL_OK)
        rc = mdl_column_append_value(ctx, &col[2], &off, err);
    if (rc == MDL_OK)
        rc = append_str(ctx, &col[3], rj->column, rj->column ? strlen(rj->column) : 0, err);
    if (rc == MDL_OK)
        rc = append_str(ctx, &col[4], rj->column ? rj->value.ptr : NULL, rj->value.len, err);
    if (rc == MDL_OK)
        rc = append_str(ctx, &col[5], rj->reason ? rj->reason : "rejected",
                        strlen(rj->reason ? rj->reason : "rejected"), err);
    if (rc == MDL_OK)
        rc = append_str(ctx, &col[6], rj->record.ptr, rj->record.len, err);
    if (rc == MDL_OK)
        rc = mdl_column_append_value(ctx, &col[7], &r->ts, err);
    if (rc == MDL_OK)
        rc = append_str(ctx, &col[8], r->batch_id, strlen(r->batch_id), err);
    if (rc == MDL_OK)
        rc = mdl_column_append_value(ctx, &col[9], &r->date, err);
    if (rc == MDL_OK) {
        j->qb->num_rows++;
        j->rejected++;
    } else {
        j->failed = rc;
    }
    return rc;
}

/*
 * Builds the bronze batch for `in` (read under `read_schema`): contract columns moved over
 * from the read batch, metadata columns filled, columns the file lacks (added by schema
 * evolution) null. `map[c]` is the read column of table column c, or -1.
 */
static int to_bronze(run *r, file_job *j, mdl_schema *ts, const long *map, mdl_batch *in,
                     mdl_batch **out, mdl_error *err)
{
    mdl_ctx *ctx = r->ctx;
    size_t rows = in->num_rows;
    mdl_batch *o;
    int rc = mdl_batch_new(ctx, ts, in->capacity > rows ? in->capacity : rows, &o, err);
    for (size_t c = 0; rc == MDL_OK && c < ts->num_fields; c++) {
        mdl_column *dst = &o->columns[c];
        if (map[c] >= 0) {
            /* same type and capacity: swap, so the read batch gets an empty column back */
            mdl_column tmp = *dst;
            *dst = in->columns[map[c]];
            in->columns[map[c]] = tmp;
            continue;
        }
        long meta = -1;
        for (int m = 0; m < META_COUNT; m++)
            if (strcmp(ts->fields[c].name, META_NAMES[m]) == 0)
                meta = m;
        for (size_t i = 0; rc == MDL_OK && i < rows; i++) {
            switch (meta) {
            case META_TS:
                rc = mdl_column_append_value(ctx, dst, &r->ts, err);
                break;
            case META_SYSTEM:
                rc = mdl_column_append_string(ctx, dst, r->system, strlen(r->system), err);
                break;
            case META_BATCH:
                rc = mdl_column_append_string(ctx, dst, r->batch_id, strlen(r->batch_id), err);
                break;
            case META_FILE:
                rc = mdl_column_append_string(ctx, dst, j->rel, strlen(j->rel), err);
                break;
            case META_DATE:
                rc = mdl_column_append_value(ctx, dst, &r->date, err);
                break;
            default:
                rc = mdl_column_append_null(ctx, dst, err);
            }
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

static void report(run *r, file_job *j, uint64_t bytes, uint64_t rows)
{
    if (r->o->progress == NULL)
        return;
    mdl_ingest_progress p = {r->c->table,
                             j->rel,
                             r->file_index,
                             r->num_files,
                             r->bytes_before + bytes,
                             r->bytes_total,
                             r->res->rows_read + rows,
                             r->res->rows_quarantined + j->rejected};
    r->o->progress(r->o->progress_user, &p);
}

/* Runs the contract's checks on the staged delivery (a table of this file's rows alone) and
 * records them; a failed error check fails the file
 * with MDL_ERR_QUALITY before anything of it — quarantine included — is committed, so the
 * next run reads it again. */
static int audit_file(run *r, file_job *j, mdl_table_writer *bw, uint64_t rows_read, mdl_error *err)
{
    if (r->o->skip_checks || r->c->num_checks == 0)
        return MDL_OK;
    mdl_ctx *ctx = r->ctx;
    mdl_table *delivery = NULL;
    int rc = mdl_table_writer_stage_new(bw, &delivery, err);
    mdl_quality_report rep;
    memset(&rep, 0, sizeof rep);
    if (rc == MDL_OK) {
        mdl_quality_options qo;
        mdl_quality_options_init(&qo);
        qo.lake_root = r->o->lake_root;
        qo.table = delivery;
        qo.rows_read = (int64_t)rows_read;
        qo.rows_quarantined = (int64_t)j->rejected;
        qo.committed_rows = r->table_rows;
        qo.quarantine_rows = r->quarantine_rows;
        qo.now_us = r->ts;
        rc = mdl_quality_run(ctx, r->c, &qo, &rep, err);
    }
    bool failed = rc == MDL_OK && rep.failed > 0;
    if (rc == MDL_OK) {
        r->res->checks_failed += rep.failed;
        r->res->checks_warned += rep.warned;
        r->res->files_checked++;
    }
    if (rc == MDL_OK && r->o->dq_run_id != NULL) {
        mdl_error rerr = {0, ""};
        if (mdl_quality_record(ctx, r->o->lake_root, r->o->dq_run_id, &rep, !failed, &rerr) !=
            MDL_OK) {
            rc = rerr.code;
            if (err != NULL)
                *err = rerr;
        }
    }
    if (rc == MDL_OK && failed) {
        char outcome[256];
        snprintf(outcome, sizeof outcome,
                 "nothing of the file was committed (quarantine included): the table stays at "
                 "version %lld and the next run reads the file again",
                 (long long)mdl_table_version(delivery));
        rc = mdl_quality_error(&rep, outcome, err); /* ingest_file names the file */
    }
    if (rep.ctx != NULL)
        mdl_quality_report_free(&rep);
    mdl_table_close(delivery);
    return rc;
}

/* Reads one file into the two tables and commits it. */
static int ingest_file(run *r, const char *rel, mdl_error *err)
{
    mdl_ctx *ctx = r->ctx;
    file_job j;
    memset(&j, 0, sizeof j);
    j.r = r;
    j.rel = rel;
    snprintf(j.txn, sizeof j.txn, TXN_PREFIX "%s", rel);
    mdl_table *t = NULL;
    mdl_source_reader *sr = NULL;
    mdl_table_writer *bw = NULL;
    long *map = NULL;
    int rc = mdl_table_open(ctx, r->bronze, -1, &t, err);
    mdl_schema *ts = rc == MDL_OK ? mdl_schema_retain(mdl_table_schema(t)) : NULL;
    mdl_table_close(t);
    if (rc == MDL_OK)
        rc = mdl_pipeline__source_open(ctx, r->c, r->o->landing_root, rel, ts, r->bronze, on_reject,
                                       &j, &sr, err);
    if (rc == MDL_OK && sr->added > 0) {
        r->res->columns_added += sr->added;
        /* the table changed: write under its new schema */
        mdl_schema_release(ts);
        ts = NULL;
        rc = mdl_table_open(ctx, r->bronze, -1, &t, err);
        if (rc == MDL_OK)
            ts = mdl_schema_retain(mdl_table_schema(t));
        mdl_table_close(t);
    }
    if (rc == MDL_OK && (map = mdl_calloc(ctx, ts->num_fields, sizeof *map)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    for (size_t c = 0; rc == MDL_OK && c < ts->num_fields; c++)
        map[c] = mdl_schema_find(sr->table_names, mdl_sv(ts->fields[c].name));
    if (rc == MDL_OK) {
        mdl_table_write_options o;
        mdl_table_write_options_init(&o);
        o.parquet = r->o->parquet;
        o.txn_app_id = j.txn;
        o.txn_version = 1;
        o.operation = "INGEST";
        rc = mdl_table_writer_open(ctx, r->bronze, &o, &bw, err);
    }
    uint64_t written = 0;
    while (rc == MDL_OK) {
        mdl_batch *in = NULL, *b = NULL;
        rc = mdl_batch_stream_next(sr->stream, &in, err);
        if (rc != MDL_OK && j.failed != MDL_OK) {
            rc = j.failed; /* the reject callback's own failure explains it */
            if (err != NULL)
                *err = j.qerr;
        }
        if (rc != MDL_OK || in == NULL)
            break;
        rc = to_bronze(r, &j, ts, map, in, &b, err);
        if (rc == MDL_OK)
            rc = mdl_table_writer_write(bw, b, err);
        if (rc == MDL_OK)
            written += b->num_rows;
        mdl_batch_free(b);
        if (rc == MDL_OK) {
            mdl_read_stats st;
            mdl_pipeline__source_stats(sr, &st);
            report(r, &j, st.bytes_read, st.rows_read);
        }
    }
    mdl_read_stats st = {0};
    if (sr != NULL)
        mdl_pipeline__source_stats(sr, &st);
    if (rc == MDL_OK && st.rows_read != written + j.rejected)
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                           "%s: read %llu rows but wrote %llu and quarantined %llu; nothing "
                           "committed (this is a medallion bug: please report it)",
                           rel, (unsigned long long)st.rows_read, (unsigned long long)written,
                           (unsigned long long)j.rejected);
    if (rc == MDL_OK)
        rc = flush_quarantine(&j, err);
    /* Write-audit-publish: the delivery is staged and checked before anything of it commits */
    if (rc == MDL_OK)
        rc = audit_file(r, &j, bw, st.rows_read, err);
    /* Quarantine first: if the bronze commit then fails, a re-run redoes the file and the
     * quarantine txn turns its second quarantine commit into a no-op. */
    int64_t v;
    bool noop = false;
    if (rc == MDL_OK && j.qw != NULL) {
        rc = mdl_table_writer_commit(j.qw, &v, &noop, err);
        j.qw = NULL;
        if (rc == MDL_OK && !noop)
            r->quarantine_rows += (int64_t)j.rejected;
    }
    if (rc == MDL_OK) {
        rc = mdl_table_writer_commit(bw, &v, &noop, err);
        bw = NULL;
        if (rc == MDL_OK) {
            r->res->version = v;
            r->res->files_ingested++;
            r->res->rows_read += st.rows_read;
            r->res->rows_written += written;
            r->table_rows += (int64_t)written;
            r->res->rows_quarantined += j.rejected;
            r->res->bytes_read += st.bytes_read;
        }
    }
    r->bytes_before += sr != NULL ? sr->size : 0;
    mdl_table_writer_abort(bw);
    mdl_table_writer_abort(j.qw);
    mdl_batch_free(j.qb);
    mdl_pipeline__source_close(sr);
    mdl_free(ctx, map);
    mdl_schema_release(ts);
    if (rc != MDL_OK && err != NULL && strstr(err->message, rel) == NULL)
        mdl_error_prefix(err, "%s: ", rel);
    return rc;
}

/* ---- the table --------------------------------------------------------------------------------
 */

int mdl_ingest_table(mdl_ctx *ctx, const mdl_contract *c, const mdl_ingest_options *opts,
                     mdl_ingest_result *out, mdl_error *err)
{
    memset(out, 0, sizeof *out);
    out->version = -1;
    mdl_ingest_options defaults;
    if (opts == NULL) {
        mdl_ingest_options_init(&defaults);
        opts = &defaults;
    }
    if (!c->has_source)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "%s: %s has no source: only bronze tables are ingested", c->file,
                             c->table);
    int64_t t0 = mdl_now_micros();
    run r;
    memset(&r, 0, sizeof r);
    r.ctx = ctx;
    r.c = c;
    r.o = opts;
    r.res = out;
    r.ts = opts->ingestion_ts ? opts->ingestion_ts : t0;
    int64_t day = r.ts / 86400000000LL - (r.ts % 86400000000LL < 0); /* floor */
    r.date = opts->ingest_date != INT32_MIN ? opts->ingest_date : (int32_t)day;
    r.system = c->source.system ? c->source.system : c->layer;
    int rc = MDL_OK;
    if (opts->batch_id != NULL) {
        snprintf(r.batch_id, sizeof r.batch_id, "%s", opts->batch_id);
    } else {
        mdl_uuid u;
        rc = mdl_uuid_v7(ctx, &u, err);
        mdl_uuid_format(&u, r.batch_id);
    }
    mdl_schema *bs = NULL;
    char **files = NULL;
    size_t nfiles = 0;
    if (rc == MDL_OK)
        rc = mdl_schema_parse(ctx, QUARANTINE_SCHEMA, &r.qschema, err);
    if (rc == MDL_OK)
        rc = bronze_schema(&r, &bs, err);
    if (rc == MDL_OK)
        rc = open_storage(&r, c->layer, &r.bronze, err);
    if (rc == MDL_OK)
        rc = open_storage(&r, "quarantine", &r.quarantine, err);
    if (rc == MDL_OK)
        rc = ensure_table(&r, r.bronze, bs, c->table, c->description,
                          (const char *const *)c->partition_by, c->num_partition_by, NULL, err);
    if (rc == MDL_OK) {
        const char *qparts[] = {"_ingest_date"};
        char qdesc[512];
        snprintf(qdesc, sizeof qdesc, "Rows of %s's source files that broke its contract",
                 c->table);
        char qname[300];
        snprintf(qname, sizeof qname, "quarantine.%s", c->name);
        rc = ensure_table(&r, r.quarantine, r.qschema, qname, qdesc, qparts, 1, &r.quarantine_rows,
                          err);
    }
    if (rc == MDL_OK)
        rc = reconcile_contract_columns(&r, err);
    if (rc == MDL_OK)
        rc = list_files(&r, &files, &nfiles, err);
    out->files_matched = nfiles;
    /* which files are new: the bronze table's txns say which are in */
    bool *todo = NULL;
    if (rc == MDL_OK && (todo = mdl_calloc(ctx, nfiles + 1, sizeof *todo)) == NULL)
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    if (rc == MDL_OK) {
        mdl_table *t;
        rc = mdl_table_open(ctx, r.bronze, -1, &t, err);
        for (size_t i = 0; rc == MDL_OK && i < nfiles; i++) {
            char txn[4200];
            snprintf(txn, sizeof txn, TXN_PREFIX "%s", files[i]);
            todo[i] = mdl_table_txn_version(t, txn) < 1;
            if (!todo[i]) {
                out->files_skipped++;
                continue;
            }
            char path[4200];
            snprintf(path, sizeof path, "%s/%s", opts->landing_root, files[i]);
            struct stat sb;
            if (stat(path, &sb) == 0)
                r.bytes_total += (uint64_t)sb.st_size;
            r.num_files++;
        }
        if (rc == MDL_OK) {
            out->version = mdl_table_version(t);
            int64_t rows = mdl_table_num_records(t); /* our own files always carry stats */
            r.table_rows = rows > 0 ? rows : 0;
            mdl_table_close(t);
        }
    }
    for (size_t i = 0; rc == MDL_OK && i < nfiles; i++) {
        if (!todo[i])
            continue;
        rc = ingest_file(&r, files[i], err);
        r.file_index++;
    }
    out->seconds = (double)(mdl_now_micros() - t0) / 1e6;
    mdl_free(ctx, todo);
    free_files(ctx, files, nfiles);
    mdl_schema_release(bs);
    mdl_schema_release(r.qschema);
    mdl_storage_release(r.bronze);
    mdl_storage_release(r.quarantine);
    if (rc != MDL_OK && err != NULL && strstr(err->message, c->table) == NULL)
        mdl_error_prefix(err, "%s: ", c->table);
    return rc;
}
