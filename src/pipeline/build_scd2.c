/*
 * build_scd2.c - `materialized: scd2`: a dimension with real history. The model's SQL returns
 * the current state, one row per key; the build compares it with the table's current versions
 * on the tracked columns. A change closes the old version (valid_to = the new version's
 * valid_from, is_current false) and opens a new one; a new key opens its first version; a key
 * the SQL no longer returns is closed at the build time (on_missing: close) or left open
 * (keep). Closed versions are never touched again, so history accumulates across runs.
 *
 * The surrogate key is a stable hash of the business key and valid_from (the first 8 bytes of
 * SHA-256, as a non-negative int64), so rebuilding from the same history gives the same keys
 * and facts can keep them. An open version's valid_to is 9999-12-31, so an as-of join is
 * `ts >= valid_from AND ts < valid_to`. The table is rewritten in one overwrite commit (a
 * dimension is small next to its facts); a run that changes nothing commits nothing.
 */
#include <string.h>

#include <openssl/evp.h>

#include "pipeline/build_internal.h"

#define OPEN_VALID_TO INT64_C(253402214400000000) /* 9999-12-31 00:00:00 UTC, µs */

enum { NEW_KEY = 0, UNCHANGED, CHANGED };

typedef struct scd2 {
    build_job *j;
    build_rows in, old;
    mdl_hashmap *keys;          /* encoded key -> incoming row */
    uint8_t *state;             /* per incoming row */
    int64_t *vf;                /* per incoming row: valid_from of the version it opens */
    size_t sk, vfrom, vto, cur; /* table columns */
    size_t *tkey;               /* key columns in the table */
    size_t *tracked_m, *tracked_t;
    size_t num_tracked;
    long vf_m;      /* the model column that dates versions, or -1 */
    long *model_of; /* per table column: its model column, or -1 */
    int64_t now;
    mdl_buf key;
} scd2;

static size_t table_col(const mdl_schema *s, const char *name)
{
    long i = mdl_schema_find(s, mdl_sv(name));
    return i < 0 ? 0 : (size_t)i;
}

static void set_i64(mdl_column *c, size_t r, int64_t v)
{
    ((int64_t *)c->values)[r] = v;
    if (c->validity != NULL && !(c->validity[r >> 3] & (1u << (r & 7)))) {
        c->validity[r >> 3] |= (uint8_t)(1u << (r & 7));
        c->null_count--;
    }
}

static void set_bool(mdl_column *c, size_t r, bool v)
{
    ((uint8_t *)c->values)[r] = v;
    if (c->validity != NULL && !(c->validity[r >> 3] & (1u << (r & 7)))) {
        c->validity[r >> 3] |= (uint8_t)(1u << (r & 7));
        c->null_count--;
    }
}

static int plan(scd2 *s, mdl_error *err)
{
    build_job *j = s->j;
    const mdl_contract *c = j->c;
    const mdl_schema *ts = j->schema;
    mdl_ctx *ctx = j->ctx;
    s->sk = table_col(ts, c->scd2_surrogate_key);
    s->vfrom = table_col(ts, "valid_from");
    s->vto = table_col(ts, "valid_to");
    s->cur = table_col(ts, "is_current");
    s->tkey = mdl_calloc(ctx, c->num_unique_key + 1, sizeof *s->tkey);
    s->tracked_m = mdl_calloc(ctx, j->num_model + 1, sizeof *s->tracked_m);
    s->tracked_t = mdl_calloc(ctx, j->num_model + 1, sizeof *s->tracked_t);
    s->model_of = mdl_calloc(ctx, ts->num_fields + 1, sizeof *s->model_of);
    if (!s->tkey || !s->tracked_m || !s->tracked_t || !s->model_of)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory planning a build");
    for (size_t k = 0; k < c->num_unique_key; k++)
        s->tkey[k] = j->model_col[j->key_col[k]];
    for (size_t i = 0; i < ts->num_fields; i++)
        s->model_of[i] = -1;
    s->vf_m = -1;
    for (size_t i = 0; i < j->num_model; i++) {
        const char *name = c->columns[j->model_col[i]].name;
        s->model_of[j->model_col[i]] = (long)i;
        if (c->scd2_valid_from && strcmp(name, c->scd2_valid_from) == 0)
            s->vf_m = (long)i;
        bool key = false, tracked = c->num_scd2_tracked == 0;
        for (size_t k = 0; k < c->num_unique_key; k++)
            key |= strcmp(c->unique_key[k], name) == 0;
        for (size_t k = 0; k < c->num_scd2_tracked; k++)
            tracked |= strcmp(c->scd2_tracked[k], name) == 0;
        if (tracked && !key) {
            s->tracked_m[s->num_tracked] = i;
            s->tracked_t[s->num_tracked++] = j->model_col[i];
        }
    }
    if (s->vf_m >= 0) {
        mdl_type_id t = c->columns[j->model_col[s->vf_m]].type.id;
        if (t != MDL_TYPE_TIMESTAMP && t != MDL_TYPE_DATE)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "%s: scd2 valid_from column %s must be a timestamp or a date",
                                 c->file, c->scd2_valid_from);
    }
    return MDL_OK;
}

/* When the version an incoming row opens starts: its valid_from column, else the build time. */
static int64_t version_start(const scd2 *s, uint64_t g)
{
    if (s->vf_m < 0)
        return s->now;
    const mdl_column *c = &s->in.batches[s->in.batch_of[g]]->columns[s->vf_m];
    size_t r = s->in.row_of[g];
    if (mdl_column_is_null(c, r))
        return s->now;
    if (c->type.id == MDL_TYPE_DATE)
        return (int64_t)mdl_column_i32(c, r) * INT64_C(86400000000);
    return mdl_column_i64(c, r);
}

static int surrogate(const mdl_buf *key, int64_t valid_from, int64_t *out, mdl_error *err)
{
    unsigned char in_tail[8], dig[EVP_MAX_MD_SIZE];
    for (int i = 0; i < 8; i++)
        in_tail[i] = (unsigned char)((uint64_t)valid_from >> (8 * i));
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned int n = 0;
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
             EVP_DigestUpdate(md, key->data, key->len) == 1 &&
             EVP_DigestUpdate(md, in_tail, sizeof in_tail) == 1 &&
             EVP_DigestFinal_ex(md, dig, &n) == 1;
    EVP_MD_CTX_free(md);
    if (!ok)
        return mdl_error_set(err, MDL_ERR_IO, "SHA-256 failed (OpenSSL)");
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | dig[i];
    *out = (int64_t)(v & (uint64_t)INT64_MAX);
    return MDL_OK;
}

/* Reads every row of the table (no masking: it is masked already). */
static int read_table(scd2 *s, mdl_table *t, mdl_error *err)
{
    memset(&s->old, 0, sizeof s->old);
    if (mdl_table_num_files(t) == 0)
        return MDL_OK;
    mdl_batch_stream *st = NULL;
    int rc = mdl_table_scan(t, &st, err);
    mdl_batch *b = NULL;
    while (rc == MDL_OK && (rc = mdl_batch_stream_next(st, &b, err)) == MDL_OK && b != NULL) {
        if (s->old.num_batches == s->old.cap) {
            size_t cap = s->old.cap ? s->old.cap * 2 : 16;
            mdl_batch **bs = mdl_realloc(s->j->ctx, s->old.batches, cap * sizeof *bs);
            if (bs == NULL) {
                mdl_batch_free(b);
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading a dimension");
                break;
            }
            s->old.batches = bs;
            s->old.cap = cap;
        }
        s->old.batches[s->old.num_batches++] = b;
        s->old.num_rows += b->num_rows;
    }
    mdl_batch_stream_release(st);
    return rc;
}

static int index_incoming(scd2 *s, mdl_error *err)
{
    build_job *j = s->j;
    int rc = mdl_hashmap_new(j->ctx, s->in.num_rows + 1, &s->keys, err);
    s->state = mdl_calloc(j->ctx, s->in.num_rows + 1, 1);
    s->vf = mdl_calloc(j->ctx, s->in.num_rows + 1, sizeof *s->vf);
    if (rc == MDL_OK && (s->state == NULL || s->vf == NULL))
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building a dimension");
    for (uint64_t g = 0; rc == MDL_OK && g < s->in.num_rows; g++) {
        const mdl_batch *b = s->in.batches[s->in.batch_of[g]];
        s->key.len = 0;
        rc = mdl_build__key(b, s->in.row_of[g], j->key_col, j->c->num_unique_key, &s->key,
                            j->c->table, err);
        uint64_t first;
        bool exists = false;
        if (rc == MDL_OK)
            rc = mdl_hashmap_get_or_put(s->keys, mdl_sv_make(s->key.data, s->key.len), g, &first,
                                        &exists, err);
        if (rc == MDL_OK && exists) {
            char shown[256];
            mdl_column_format_value(&b->columns[j->key_col[0]], s->in.row_of[g], shown,
                                    sizeof shown);
            rc = mdl_error_set(err, MDL_ERR_SCHEMA,
                               "%s: the model returned the key %s (%s) twice; an scd2 model "
                               "returns the current state, one row per unique_key",
                               j->c->table, shown, j->c->unique_key[0]);
        }
        s->vf[g] = version_start(s, g);
    }
    return rc;
}

/* Decides every current version's fate; with `apply` also edits valid_to/is_current in place.
 * Counts the changes into the result (once, on the first pass). */
static int decide(scd2 *s, bool apply, mdl_error *err)
{
    build_job *j = s->j;
    int rc = MDL_OK;
    for (size_t bi = 0; rc == MDL_OK && bi < s->old.num_batches; bi++) {
        mdl_batch *b = s->old.batches[bi];
        for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++) {
            const mdl_column *cur = &b->columns[s->cur];
            if (mdl_column_is_null(cur, r) || !mdl_column_bool(cur, r))
                continue;
            s->key.len = 0;
            rc = mdl_build__key(b, r, s->tkey, j->c->num_unique_key, &s->key, j->c->table, err);
            uint64_t g;
            if (rc != MDL_OK)
                break;
            if (!mdl_hashmap_get(s->keys, mdl_sv_make(s->key.data, s->key.len), &g)) {
                if (j->c->scd2_keep_missing)
                    continue;
                if (!apply) {
                    j->out->deleted++;
                    continue;
                }
                set_i64(&b->columns[s->vto], r, s->now);
                set_bool(&b->columns[s->cur], r, false);
                continue;
            }
            const mdl_batch *in = s->in.batches[s->in.batch_of[g]];
            size_t ir = s->in.row_of[g];
            bool same = true;
            for (size_t k = 0; same && k < s->num_tracked; k++)
                same = mdl_column_compare(&b->columns[s->tracked_t[k]], r,
                                          &in->columns[s->tracked_m[k]], ir) == 0;
            if (!apply) {
                s->state[g] = same ? UNCHANGED : CHANGED;
                j->out->updated += !same;
                if (!same) {
                    int64_t old_from = mdl_column_i64(&b->columns[s->vfrom], r);
                    if (s->vf[g] <= old_from)
                        s->vf[g] = old_from + 1; /* versions stay in order */
                }
                continue;
            }
            if (!same) {
                set_i64(&b->columns[s->vto], r, s->vf[g]);
                set_bool(&b->columns[s->cur], r, false);
            }
        }
    }
    return rc;
}

static int put_old(mdl_table_writer *w, mdl_batch *out, const mdl_batch *b, size_t r,
                   uint64_t *written, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t c = 0; rc == MDL_OK && c < out->schema->num_fields; c++)
        rc = mdl_column_append_from(out->ctx, &out->columns[c], &b->columns[c], r, err);
    if (rc == MDL_OK && ++out->num_rows == out->capacity) {
        rc = mdl_table_writer_write(w, out, err);
        *written += out->num_rows;
        mdl_batch_clear(out);
    }
    return rc;
}

static int put_new(scd2 *s, mdl_table_writer *w, mdl_batch *out, uint64_t g, uint64_t *written,
                   mdl_error *err)
{
    build_job *j = s->j;
    const mdl_batch *in = s->in.batches[s->in.batch_of[g]];
    size_t ir = s->in.row_of[g];
    s->key.len = 0;
    int rc = mdl_build__key(in, ir, j->key_col, j->c->num_unique_key, &s->key, j->c->table, err);
    int64_t sk = 0;
    if (rc == MDL_OK)
        rc = surrogate(&s->key, s->vf[g], &sk, err);
    for (size_t c = 0; rc == MDL_OK && c < out->schema->num_fields; c++) {
        mdl_column *col = &out->columns[c];
        if (s->model_of[c] >= 0) {
            rc = mdl_column_append_from(j->ctx, col, &in->columns[s->model_of[c]], ir, err);
        } else if (c == s->sk) {
            rc = mdl_column_append_value(j->ctx, col, &sk, err);
        } else if (c == s->vfrom || c == s->vto) {
            int64_t v = c == s->vfrom ? s->vf[g] : OPEN_VALID_TO;
            rc = mdl_column_append_value(j->ctx, col, &v, err);
        } else {
            uint8_t t = 1;
            rc = mdl_column_append_value(j->ctx, col, &t, err);
        }
    }
    if (rc == MDL_OK && ++out->num_rows == out->capacity) {
        rc = mdl_table_writer_write(w, out, err);
        *written += out->num_rows;
        mdl_batch_clear(out);
    }
    return rc;
}

int mdl_build__scd2(build_job *j, mdl_error *err)
{
    mdl_ctx *ctx = j->ctx;
    scd2 s;
    memset(&s, 0, sizeof s);
    s.j = j;
    s.now = j->o->now_us ? j->o->now_us : mdl_now_micros();
    mdl_buf_init(&s.key, ctx, 0);
    mdl_table *t = NULL;
    mdl_batch_stream *q = NULL;
    mdl_table_writer *w = NULL;
    mdl_batch *out = NULL;
    bool created;
    int rc = plan(&s, err);
    if (rc == MDL_OK)
        rc = mdl_build__open_target(j, &t, &created, err);
    if (rc == MDL_OK)
        rc = mdl_build__query(j, NULL, 0, false, &q, err);
    if (rc == MDL_OK)
        rc = mdl_build__collect(j, q, &s.in, err);
    if (rc == MDL_OK)
        rc = index_incoming(&s, err);
    if (rc == MDL_OK)
        rc = read_table(&s, t, err);
    if (rc == MDL_OK)
        rc = decide(&s, false, err);
    for (uint64_t g = 0; rc == MDL_OK && g < s.in.num_rows; g++)
        j->out->inserted += s.state[g] == NEW_KEY;
    if (rc == MDL_OK && j->out->inserted + j->out->updated + j->out->deleted == 0 && !created) {
        j->out->up_to_date = true;
        j->out->version = mdl_table_version(t);
        goto done;
    }
    if (rc == MDL_OK)
        rc = decide(&s, true, err);
    if (rc == MDL_OK) {
        mdl_table_write_options wo;
        mdl_table_write_options_init(&wo);
        wo.parquet = j->o->parquet;
        wo.overwrite = true;
        wo.operation = "MERGE";
        rc = mdl_table_writer_open(ctx, j->st, &wo, &w, err);
    }
    if (rc == MDL_OK)
        rc = mdl_batch_new(ctx, mdl_table_writer_schema(w), 0, &out, err);
    uint64_t written = 0;
    for (size_t bi = 0; rc == MDL_OK && bi < s.old.num_batches; bi++)
        for (size_t r = 0; rc == MDL_OK && r < s.old.batches[bi]->num_rows; r++)
            rc = put_old(w, out, s.old.batches[bi], r, &written, err);
    for (uint64_t g = 0; rc == MDL_OK && g < s.in.num_rows; g++)
        if (s.state[g] != UNCHANGED)
            rc = put_new(&s, w, out, g, &written, err);
    if (rc == MDL_OK && out->num_rows > 0) {
        rc = mdl_table_writer_write(w, out, err);
        written += out->num_rows;
    }
    j->out->rows_written = written;
    if (rc == MDL_OK) {
        rc = mdl_build__publish(j, w, err); /* checks the staged data, then commits or not */
        w = NULL;
    }
done:
    mdl_table_writer_abort(w);
    mdl_batch_free(out);
    mdl_batch_stream_release(q);
    mdl_build__rows_free(ctx, &s.in);
    mdl_build__rows_free(ctx, &s.old);
    mdl_hashmap_free(s.keys);
    mdl_free(ctx, s.state);
    mdl_free(ctx, s.vf);
    mdl_free(ctx, s.tkey);
    mdl_free(ctx, s.tracked_m);
    mdl_free(ctx, s.tracked_t);
    mdl_free(ctx, s.model_of);
    mdl_buf_reset(&s.key);
    mdl_table_close(t);
    return rc;
}
