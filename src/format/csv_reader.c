/*
 * csv_reader.c - streaming RFC 4180 CSV reader producing typed record batches.
 *
 * Input is read in chunks into one buffer that holds the unconsumed tail plus the new
 * chunk; records are tokenised in place (spans into the buffer) and converted column by
 * column into the batch. Memory is the buffer (chunk size, grown only while a single
 * record is longer than it, up to limits.max_record_bytes) plus one batch.
 *
 * Grammar (RFC 4180, section 2, with the usual relaxations, see docs/formats/csv.md):
 *   file    = [BOM] [header EOL] record *(EOL record) [EOL]
 *   record  = field *(DELIM field)
 *   field   = QUOTE *(any byte except QUOTE | QUOTE QUOTE) QUOTE | *(any byte except DELIM CR LF)
 *   EOL     = CRLF | LF | CR
 * A record that does not convert is reported through on_reject and skipped.
 */
#include <stdio.h>
#include <string.h>

#include "convert.h"
#include "csv_internal.h"
#include "reject.h"

/* ---- rejects ----------------------------------------------------------------------------- */

static int report(mdl_csv_reader *r, size_t rec_start, size_t rec_end, long column,
                  const char *value, size_t value_len, int code, const char *reason, mdl_error *err)
{
    r->stats.rows_rejected++;
    mdl_reject rj;
    rj.source = r->in->name;
    rj.line = r->line;
    rj.offset = r->buf_offset + rec_start;
    rj.column_index = column;
    rj.column = column >= 0 ? r->schema->fields[column].name : NULL;
    rj.value =
        value ? mdl_sv_make(value, mdl_format__utf8_prefix(value, value_len, MDL_REJECT_VALUE_MAX))
              : mdl_sv_make("", 0);
    size_t rl = rec_end - rec_start;
    while (rl > 0 && (r->buf[rec_start + rl - 1] == '\n' || r->buf[rec_start + rl - 1] == '\r'))
        rl--;
    rj.record = mdl_sv_make(r->buf + rec_start,
                            mdl_format__utf8_prefix(r->buf + rec_start, rl, MDL_REJECT_RECORD_MAX));
    rj.code = code;
    rj.reason = reason;
    return mdl_format__deliver_reject(r->on_reject, r->reject_payload, &rj, err);
}

/* ---- converting a record ----------------------------------------------------------------- */

static int convert_record(mdl_csv_reader *r, mdl_batch *b, size_t nf, size_t rec_start,
                          size_t rec_end, mdl_error *err)
{
    if (nf != r->nfields) {
        snprintf(r->reason, sizeof r->reason, "expected %zu fields, found %zu", r->nfields, nf);
        return report(r, rec_start, rec_end, -1, NULL, 0, MDL_ERR_SCHEMA, r->reason, err);
    }
    const size_t max_field = r->ctx->limits.max_field_bytes;
    const size_t row = b->num_rows;
    for (size_t i = 0; i < nf; i++) {
        long c = r->map[i];
        if (c < 0)
            continue;
        const span *sp = &r->spans[i];
        mdl_column *col = &b->columns[c];
        const char *v;
        size_t len;
        int rc;
        if (sp->len > max_field) {
            snprintf(r->reason, sizeof r->reason, "field is %zu bytes, over the limit of %zu",
                     sp->len, max_field);
            rc = MDL_ERR_LIMIT;
            v = r->buf + sp->start;
            len = sp->len;
            goto reject;
        }
        if (!(sp->flags & SPAN_QUOTED) && mdl_format__csv_is_null(r, r->buf + sp->start, sp->len)) {
            if (!r->schema->fields[c].nullable) {
                v = r->buf + sp->start;
                len = sp->len;
                rc = MDL_ERR_SCHEMA;
                snprintf(r->reason, sizeof r->reason,
                         "null value in a column that is not nullable");
                goto reject;
            }
            rc = mdl_column_append_null(r->ctx, col, err);
            if (rc != MDL_OK)
                return rc;
            continue;
        }
        if (col->type.id == MDL_TYPE_STRING && !(sp->flags & SPAN_ESCAPED) && !r->nonascii &&
            col->data_len + sp->len <= col->data_cap) {
            /* Hot path: an ASCII string that fits the column's buffer is one memcpy. */
            size_t at = col->length;
            memcpy(col->data + col->data_len, r->buf + sp->start, sp->len);
            col->data_len += sp->len;
            ((int64_t *)col->values)[at + 1] = (int64_t)col->data_len;
            if (col->validity != NULL)
                col->validity[at >> 3] |= (uint8_t)(1u << (at & 7));
            col->length = at + 1;
            continue;
        }
        rc = mdl_format__csv_field_value(r, sp, &v, &len, err);
        if (rc != MDL_OK)
            return rc;
        const char *phrase = NULL;
        rc = mdl_format__append_text(r->ctx, col, v, len, !r->nonascii, &phrase, err);
        if (rc == MDL_OK)
            continue;
        if (phrase == NULL)
            return rc;
        mdl_format__describe_value(r->reason, sizeof r->reason, v, len, phrase);
    reject:
        for (size_t k = 0; k < r->schema->num_fields; k++)
            mdl_column_truncate(&b->columns[k], row);
        return report(r, rec_start, rec_end, c, v, len, rc, r->reason, err);
    }
    b->num_rows = row + 1;
    return MDL_OK;
}

/* ---- header, mapping and inference ------------------------------------------------------- */

/* Reads the next whole record into r->spans, refilling as needed. REC_OK / REC_BAD / end. */
static int next_record(mdl_csv_reader *r, rec *rc_out, bool *end_out, mdl_error *err)
{
    *end_out = false;
    for (;;) {
        if (r->pos >= r->len && r->eof) {
            *end_out = true;
            return MDL_OK;
        }
        int k = mdl_format__csv_parse_record(r, r->pos, rc_out);
        if (k == REC_OK || k == REC_BAD)
            return k == REC_OK ? MDL_OK : MDL_ERR_PARSE;
        if (k == REC_ERROR)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory tokenising CSV");
        int rc = mdl_format__csv_refill(r, err);
        if (rc != MDL_OK)
            return rc;
    }
}

static int read_header(mdl_csv_reader *r, char ***names_out, size_t *n_out, mdl_error *err)
{
    rec hr;
    bool end;
    int rc = next_record(r, &hr, &end, err);
    if (rc == MDL_ERR_PARSE)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s:%llu: header: %s", r->in->name,
                             (unsigned long long)r->line, hr.reason);
    if (rc != MDL_OK)
        return rc;
    if (end)
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: the file is empty (expected a header row)",
                             r->in->name);
    char **names = mdl_calloc(r->ctx, hr.nf, sizeof *names);
    if (names == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading the header");
    for (size_t i = 0; i < hr.nf; i++) {
        const char *v;
        size_t len;
        rc = mdl_format__csv_field_value(r, &r->spans[i], &v, &len, err);
        if (rc == MDL_OK && !mdl_utf8_valid(v, len))
            rc = mdl_error_set(err, MDL_ERR_PARSE, "%s:%llu: header field %zu is not valid UTF-8",
                               r->in->name, (unsigned long long)r->line, i + 1);
        if (rc == MDL_OK && (names[i] = mdl_strndup(r->ctx, v, len)) == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory reading the header");
        if (rc != MDL_OK) {
            for (size_t k = 0; k < i; k++)
                mdl_free(r->ctx, names[k]);
            mdl_free(r->ctx, names);
            return rc;
        }
    }
    r->pos = hr.end;
    r->line += hr.newlines;
    *names_out = names;
    *n_out = hr.nf;
    return MDL_OK;
}

static int build_map(mdl_csv_reader *r, char **names, size_t n, mdl_error *err)
{
    r->nfields = n;
    r->map = mdl_calloc(r->ctx, n ? n : 1, sizeof(long));
    if (r->map == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    if (names == NULL) {
        for (size_t i = 0; i < n; i++)
            r->map[i] = (long)i;
        return MDL_OK;
    }
    for (size_t i = 0; i < n; i++) {
        r->map[i] = mdl_schema_find(r->schema, mdl_sv(names[i]));
        for (size_t j = 0; j < i; j++)
            if (strcmp(names[i], names[j]) == 0)
                return mdl_error_set(err, MDL_ERR_SCHEMA, "%s: the header names column '%s' twice",
                                     r->in->name, names[i]);
    }
    for (size_t c = 0; c < r->schema->num_fields; c++) {
        bool found = false;
        for (size_t i = 0; i < n && !found; i++)
            found = r->map[i] == (long)c;
        if (!found)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "%s: column '%s' of the schema is not in the header (%zu "
                                 "columns, first '%s')",
                                 r->in->name, r->schema->fields[c].name, n, n ? names[0] : "");
    }
    return MDL_OK;
}

/* ---- public API -------------------------------------------------------------------------- */

void mdl_csv_options_init(mdl_csv_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->delimiter = ',';
    opts->quote = '"';
    opts->header = true;
    opts->chunk_bytes = (size_t)1 << 20;
    opts->infer_rows = 10000;
}

static int copy_nulls(mdl_csv_reader *r, const mdl_csv_options *o, mdl_error *err)
{
    if (o->null_tokens == NULL) {
        r->null_empty = true;
        return MDL_OK;
    }
    size_t total = 0;
    for (size_t i = 0; i < o->num_null_tokens; i++)
        total += strlen(o->null_tokens[i]);
    r->nulls = mdl_calloc(r->ctx, o->num_null_tokens ? o->num_null_tokens : 1, sizeof(mdl_strview));
    r->null_storage = mdl_alloc(r->ctx, total ? total : 1);
    if (r->nulls == NULL || r->null_storage == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    size_t off = 0;
    for (size_t i = 0; i < o->num_null_tokens; i++) {
        size_t l = strlen(o->null_tokens[i]);
        if (l == 0) {
            r->null_empty = true;
            continue;
        }
        memcpy(r->null_storage + off, o->null_tokens[i], l);
        r->nulls[r->num_nulls++] = mdl_sv_make(r->null_storage + off, l);
        off += l;
    }
    return MDL_OK;
}

int mdl_csv_reader_open(mdl_ctx *ctx, mdl_input *in, mdl_schema *schema,
                        const mdl_csv_options *opts, mdl_csv_reader **out, mdl_error *err)
{
    *out = NULL;
    mdl_csv_options defaults;
    if (opts == NULL) {
        mdl_csv_options_init(&defaults);
        opts = &defaults;
    }
    if (opts->delimiter == '\n' || opts->delimiter == '\r' || opts->delimiter == 0 ||
        opts->quote == '\n' || opts->quote == '\r' || opts->quote == opts->delimiter) {
        mdl_input_close(in);
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "CSV delimiter and quote must differ and not be a line break");
    }
    mdl_csv_reader *r = mdl_calloc(ctx, 1, sizeof *r);
    if (r == NULL) {
        mdl_input_close(in);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a CSV reader");
    }
    r->ctx = ctx;
    r->in = in;
    r->delim = opts->delimiter;
    r->quote = opts->quote;
    r->header = opts->header;
    r->chunk = opts->chunk_bytes ? opts->chunk_bytes : (size_t)1 << 20;
    r->infer_rows = opts->infer_rows ? opts->infer_rows : 10000;
    r->on_reject = opts->on_reject;
    r->reject_payload = opts->reject_payload;
    r->line = 1;
    mdl_buf_init(&r->scratch, ctx, ctx->limits.max_record_bytes);
    char **names = NULL;
    size_t nnames = 0;
    int rc = copy_nulls(r, opts, err);
    if (rc != MDL_OK)
        goto fail;
    r->cap = r->chunk < ctx->limits.max_record_bytes ? r->chunk : ctx->limits.max_record_bytes;
    r->buf = mdl_alloc(ctx, r->cap + CSV_BUF_PAD);
    if (r->buf == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a CSV reader");
        goto fail;
    }
    /* At least three bytes (or the whole input) so a byte order mark is seen whole. */
    do
        rc = mdl_format__csv_refill(r, err);
    while (rc == MDL_OK && r->len < 3 && !r->eof);
    if (rc != MDL_OK)
        goto fail;
    if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
        r->pos = 3;
    if (r->header) {
        rc = read_header(r, &names, &nnames, err);
        if (rc != MDL_OK)
            goto fail;
    }
    if (schema != NULL) {
        r->schema = mdl_schema_retain(schema);
        if (!r->header)
            nnames = schema->num_fields;
    } else {
        if (!r->header) {
            /* Column names column_1..column_N from the first record's field count. */
            rec fr;
            int k = mdl_format__csv_parse_record(r, r->pos, &fr);
            nnames = (k == REC_OK) ? fr.nf : 0;
            if (nnames == 0) {
                rc = mdl_error_set(err, MDL_ERR_PARSE,
                                   "%s: cannot infer a schema: no complete first record", in->name);
                goto fail;
            }
            names = mdl_calloc(ctx, nnames, sizeof *names);
            if (names == NULL) {
                rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
                goto fail;
            }
            for (size_t i = 0; i < nnames; i++) {
                char nm[32];
                snprintf(nm, sizeof nm, "column_%zu", i + 1);
                if ((names[i] = mdl_strdup(ctx, nm)) == NULL) {
                    rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
                    goto fail;
                }
            }
        }
        rc = mdl_format__csv_infer_schema(r, names, nnames, err);
        if (rc != MDL_OK)
            goto fail;
    }
    rc = build_map(r, r->header ? names : NULL, nnames, err);
    if (rc != MDL_OK)
        goto fail;
    rc = mdl_batch_pool_new(ctx, r->schema, 0, &r->pool, err);
    if (rc != MDL_OK)
        goto fail;
    for (size_t i = 0; names != NULL && i < nnames; i++)
        mdl_free(ctx, names[i]);
    mdl_free(ctx, names);
    *out = r;
    return MDL_OK;
fail:
    for (size_t i = 0; names != NULL && i < nnames; i++)
        mdl_free(ctx, names[i]);
    mdl_free(ctx, names);
    mdl_csv_reader_free(r);
    return rc;
}

int mdl_csv_reader_open_file(mdl_ctx *ctx, const char *path, mdl_schema *schema,
                             const mdl_csv_options *opts, mdl_csv_reader **out, mdl_error *err)
{
    mdl_input *in;
    *out = NULL;
    int rc = mdl_input_open_file(ctx, path, &in, err);
    if (rc != MDL_OK)
        return rc;
    return mdl_csv_reader_open(ctx, in, schema, opts, out, err);
}

mdl_schema *mdl_csv_reader_schema(const mdl_csv_reader *r)
{
    return r->schema;
}

int mdl_csv_reader_next(mdl_csv_reader *r, mdl_batch **out, mdl_error *err)
{
    *out = NULL;
    if (r->done)
        return MDL_OK;
    mdl_batch *b;
    int rc = mdl_batch_pool_get(r->pool, &b, err);
    if (rc != MDL_OK)
        return rc;
    const bool skip_blank = r->nfields > 1;
    while (b->num_rows < b->capacity) {
        if (r->pos >= r->len) {
            if (r->eof) {
                r->done = true;
                break;
            }
            rc = mdl_format__csv_refill(r, err);
            if (rc != MDL_OK)
                goto fail;
            continue;
        }
        rec rr;
        int k = mdl_format__csv_parse_record(r, r->pos, &rr);
        if (k == REC_MORE) {
            rc = mdl_format__csv_refill(r, err);
            if (rc != MDL_OK)
                goto fail;
            continue;
        }
        if (k == REC_ERROR) {
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory tokenising CSV");
            goto fail;
        }
        size_t start = r->pos;
        if (k == REC_BAD) {
            r->stats.rows_read++;
            rc = report(r, start, rr.end, -1, NULL, 0, MDL_ERR_PARSE, rr.reason, err);
        } else if (skip_blank && rr.nf == 1 && r->spans[0].len == 0 && r->spans[0].flags == 0) {
            rc = MDL_OK; /* a blank line */
        } else {
            r->stats.rows_read++;
            rc = convert_record(r, b, rr.nf, start, rr.end, err);
        }
        r->pos = rr.end;
        r->line += rr.newlines;
        r->stats.lines += rr.newlines;
        if (rc != MDL_OK)
            goto fail;
    }
    if (b->num_rows == 0) {
        mdl_batch_free(b);
        return MDL_OK;
    }
    *out = b;
    return MDL_OK;
fail:
    mdl_batch_free(b);
    r->done = true;
    return rc;
}

void mdl_csv_reader_stats(const mdl_csv_reader *r, mdl_read_stats *out)
{
    *out = r->stats;
    out->bytes_read = r->buf_offset + r->pos;
}

void mdl_csv_reader_free(mdl_csv_reader *r)
{
    if (r == NULL)
        return;
    mdl_input_close(r->in);
    mdl_batch_pool_release(r->pool);
    mdl_schema_release(r->schema);
    mdl_free(r->ctx, r->nulls);
    mdl_free(r->ctx, r->null_storage);
    mdl_free(r->ctx, r->buf);
    mdl_free(r->ctx, r->map);
    mdl_free(r->ctx, r->spans);
    mdl_buf_reset(&r->scratch);
    mdl_free(r->ctx, r);
}

/* ---- stream adapter ---------------------------------------------------------------------- */

static int source_next(void *state, mdl_batch **out, mdl_error *err)
{
    return mdl_csv_reader_next(state, out, err);
}

static void source_free(void *state)
{
    mdl_csv_reader_free(state);
}

static const mdl_batch_source SOURCE = {source_next, source_free};

int mdl_csv_reader_stream(mdl_csv_reader *r, mdl_batch_stream **out, mdl_error *err)
{
    return mdl_batch_stream_wrap(r->ctx, r->schema, &SOURCE, r, out, err);
}
