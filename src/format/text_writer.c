/*
 * text_writer.c - batches out as CSV or JSON lines (see format.h). Both formats are written
 * so that medallion's own readers read them back to the same values: the CSV writer keeps
 * NULL (empty, unquoted) apart from the empty string (""), and the JSON writer writes
 * decimals as exact number literals.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "medallion/format.h"

enum { KIND_CSV, KIND_JSON };

struct mdl_text_writer {
    mdl_ctx *ctx;
    mdl_output *out;
    mdl_schema *schema;
    int kind;
    char delim;
    mdl_buf buf; /* one batch of text, written in one call */
};

static int open_writer(mdl_ctx *ctx, mdl_output *out, mdl_schema *schema, int kind, char delim,
                       mdl_text_writer **wout, mdl_error *err)
{
    *wout = NULL;
    mdl_text_writer *w = mdl_calloc(ctx, 1, sizeof *w);
    if (w == NULL) {
        out->abort(out);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a writer");
    }
    w->ctx = ctx;
    w->out = out;
    w->schema = mdl_schema_retain(schema);
    w->kind = kind;
    w->delim = delim ? delim : ',';
    mdl_buf_init(&w->buf, ctx, 0);
    *wout = w;
    return MDL_OK;
}

/* CSV field: quoted when it holds the delimiter, a quote or a line break, or is empty. */
static int csv_field(mdl_text_writer *w, const char *s, size_t n, mdl_error *err)
{
    bool quote = n == 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == w->delim || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (!quote)
        return mdl_buf_append(&w->buf, s, n, err);
    int rc = mdl_buf_append(&w->buf, "\"", 1, err);
    for (size_t i = 0; rc == MDL_OK && i < n; i++) {
        if (s[i] == '"')
            rc = mdl_buf_append(&w->buf, "\"", 1, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(&w->buf, s + i, 1, err);
    }
    return rc == MDL_OK ? mdl_buf_append(&w->buf, "\"", 1, err) : rc;
}

static int json_string(mdl_buf *b, const char *s, size_t n, mdl_error *err)
{
    int rc = mdl_buf_append(b, "\"", 1, err);
    size_t run = 0;
    for (size_t i = 0; rc == MDL_OK && i <= n; i++) {
        unsigned char c = i < n ? (unsigned char)s[i] : 0;
        bool special = i == n || c == '"' || c == '\\' || c < 0x20;
        if (!special)
            continue;
        rc = mdl_buf_append(b, s + run, i - run, err);
        if (rc == MDL_OK && i < n) {
            char esc[8];
            if (c == '"' || c == '\\')
                snprintf(esc, sizeof esc, "\\%c", c);
            else if (c == '\n')
                snprintf(esc, sizeof esc, "\\n");
            else if (c == '\t')
                snprintf(esc, sizeof esc, "\\t");
            else if (c == '\r')
                snprintf(esc, sizeof esc, "\\r");
            else
                snprintf(esc, sizeof esc, "\\u%04x", c);
            rc = mdl_buf_append_str(b, esc, err);
        }
        run = i + 1;
    }
    return rc == MDL_OK ? mdl_buf_append(b, "\"", 1, err) : rc;
}

/* Text of one non-null value; *quote_json says whether JSON needs it as a string. */
static size_t value_text(const mdl_column *col, size_t r, char *tmp, size_t cap, bool *quote_json)
{
    *quote_json = col->type.id == MDL_TYPE_DATE || col->type.id == MDL_TYPE_TIMESTAMP;
    if (col->type.id == MDL_TYPE_DOUBLE) {
        double d = mdl_column_f64(col, r);
        if (isnan(d) || isinf(d)) {
            *quote_json = true;
            return (size_t)snprintf(tmp, cap, "%s",
                                    isnan(d) ? "NaN"
                                    : d > 0  ? "Infinity"
                                             : "-Infinity");
        }
    }
    return mdl_column_format_value(col, r, tmp, cap);
}

int mdl_text_writer_write(mdl_text_writer *w, const mdl_batch *b, mdl_error *err)
{
    const mdl_schema *s = w->schema;
    if (b->schema->num_fields != s->num_fields)
        return mdl_error_set(err, MDL_ERR_SCHEMA, "batch has %zu columns, the writer %zu",
                             b->schema->num_fields, s->num_fields);
    w->buf.len = 0;
    int rc = MDL_OK;
    char tmp[64];
    for (size_t r = 0; rc == MDL_OK && r < b->num_rows; r++) {
        if (w->kind == KIND_JSON)
            rc = mdl_buf_append(&w->buf, "{", 1, err);
        for (size_t c = 0; rc == MDL_OK && c < s->num_fields; c++) {
            const mdl_column *col = &b->columns[c];
            if (w->kind == KIND_JSON) {
                if (c > 0)
                    rc = mdl_buf_append(&w->buf, ",", 1, err);
                if (rc == MDL_OK)
                    rc = json_string(&w->buf, s->fields[c].name, strlen(s->fields[c].name), err);
                if (rc == MDL_OK)
                    rc = mdl_buf_append(&w->buf, ":", 1, err);
            } else if (c > 0) {
                rc = mdl_buf_append(&w->buf, &w->delim, 1, err);
            }
            if (rc != MDL_OK || mdl_column_is_null(col, r)) {
                if (rc == MDL_OK && w->kind == KIND_JSON)
                    rc = mdl_buf_append(&w->buf, "null", 4, err);
                continue;
            }
            if (col->type.id == MDL_TYPE_STRING) {
                mdl_strview v = mdl_column_str(col, r);
                rc = w->kind == KIND_JSON ? json_string(&w->buf, v.ptr, v.len, err)
                                          : csv_field(w, v.ptr, v.len, err);
                continue;
            }
            bool quote;
            size_t n = value_text(col, r, tmp, sizeof tmp, &quote);
            if (w->kind == KIND_JSON && quote)
                rc = json_string(&w->buf, tmp, n, err);
            else
                rc = mdl_buf_append(&w->buf, tmp, n, err);
        }
        if (rc == MDL_OK)
            rc = mdl_buf_append(&w->buf, w->kind == KIND_JSON ? "}\n" : "\n",
                                w->kind == KIND_JSON ? 2 : 1, err);
    }
    if (rc == MDL_OK)
        rc = w->out->write(w->out, w->buf.data, w->buf.len, err);
    return rc;
}

int mdl_csv_writer_open(mdl_ctx *ctx, mdl_output *out, mdl_schema *schema, char delimiter,
                        mdl_text_writer **wout, mdl_error *err)
{
    if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
        out->abort(out);
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "CSV delimiter cannot be a quote or EOL");
    }
    int rc = open_writer(ctx, out, schema, KIND_CSV, delimiter, wout, err);
    if (rc != MDL_OK)
        return rc;
    mdl_text_writer *w = *wout;
    for (size_t c = 0; rc == MDL_OK && c < schema->num_fields; c++) {
        if (c > 0)
            rc = mdl_buf_append(&w->buf, &w->delim, 1, err);
        if (rc == MDL_OK)
            rc = csv_field(w, schema->fields[c].name, strlen(schema->fields[c].name), err);
    }
    if (rc == MDL_OK)
        rc = mdl_buf_append(&w->buf, "\n", 1, err);
    if (rc == MDL_OK)
        rc = out->write(out, w->buf.data, w->buf.len, err);
    if (rc != MDL_OK) {
        mdl_text_writer_abort(w);
        *wout = NULL;
    }
    return rc;
}

int mdl_json_writer_open(mdl_ctx *ctx, mdl_output *out, mdl_schema *schema, mdl_text_writer **w,
                         mdl_error *err)
{
    return open_writer(ctx, out, schema, KIND_JSON, 0, w, err);
}

static void free_writer(mdl_text_writer *w)
{
    mdl_buf_reset(&w->buf);
    mdl_schema_release(w->schema);
    mdl_free(w->ctx, w);
}

int mdl_text_writer_close(mdl_text_writer *w, mdl_error *err)
{
    int rc = w->out->finish(w->out, err);
    free_writer(w);
    return rc;
}

void mdl_text_writer_abort(mdl_text_writer *w)
{
    if (w == NULL)
        return;
    w->out->abort(w->out);
    free_writer(w);
}
