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
#include "reject.h"
#include "medallion/format.h"

enum { SPAN_QUOTED = 1, SPAN_ESCAPED = 2 };

/* Bytes allocated after the data: the '\n' sentinel plus room for 8-byte word reads. */
#define BUF_PAD 16

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Nonzero bytes' high bits mark bytes of w equal to the byte broadcast in `pattern`. The
 * lowest marked byte is always a true match (borrows only travel upward). */
static inline uint64_t match_bytes(uint64_t w, uint64_t pattern)
{
    uint64_t x = w ^ pattern;
    return (x - ONES) & ~x & HIGHS;
}

typedef struct span {
    size_t start;
    size_t len;
    unsigned flags;
} span;

enum { REC_OK, REC_MORE, REC_BAD, REC_ERROR };

typedef struct rec {
    size_t nf;          /* fields found */
    size_t end;         /* buffer offset just past the record and its EOL */
    uint64_t newlines;  /* line breaks consumed, including those inside quotes */
    const char *reason; /* REC_BAD: what is wrong */
} rec;

struct mdl_csv_reader {
    mdl_ctx *ctx;
    mdl_input *in;
    mdl_schema *schema;
    char delim, quote;
    bool header;
    mdl_strview *nulls;
    size_t num_nulls;
    char *null_storage;
    bool null_empty;
    size_t chunk, infer_rows;
    mdl_reject_fn on_reject;
    void *reject_payload;

    char *buf; /* cap + 1 bytes: one sentinel after the data */
    size_t cap, len, pos;
    bool eof, nonascii, done;
    uint64_t buf_offset; /* input offset of buf[0] */
    uint64_t line;       /* line where the record at pos starts */

    size_t nfields; /* fields per record */
    long *map;      /* file field -> schema column, or -1 to skip */
    span *spans;
    size_t spans_cap;
    mdl_buf scratch;
    mdl_read_stats stats;
    mdl_batch_pool *pool; /* batches are recycled once the caller frees them */
    char reason[320];
};

/* ---- buffer ------------------------------------------------------------------------------ */

static bool has_high_bit(const char *p, size_t n)
{
    size_t i = 0;
    uint64_t acc = 0;
    for (; i + 32 <= n; i += 32) {
        uint64_t w[4];
        memcpy(w, p + i, 32);
        acc |= w[0] | w[1] | w[2] | w[3];
        if (acc & 0x8080808080808080ULL)
            return true;
    }
    for (; i < n; i++)
        if ((unsigned char)p[i] & 0x80)
            return true;
    return (acc & 0x8080808080808080ULL) != 0;
}

/*
 * Moves the unconsumed tail to the front and reads more. Grows the buffer only when the
 * tail fills it (one record longer than the buffer), never beyond max_record_bytes.
 */
static int refill(mdl_csv_reader *r, mdl_error *err)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->buf_offset += r->pos;
        r->len -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap) {
        size_t limit = r->ctx->limits.max_record_bytes;
        if (r->cap >= limit)
            return mdl_error_set(err, MDL_ERR_LIMIT,
                                 "%s:%llu: record is longer than the limit of %zu bytes "
                                 "(unbalanced quote? raise limits.max_record_bytes if real)",
                                 r->in->name, (unsigned long long)r->line, limit);
        size_t ncap = r->cap * 2 > limit ? limit : r->cap * 2;
        char *nb = mdl_realloc(r->ctx, r->buf, ncap + BUF_PAD);
        if (nb == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing the CSV buffer");
        r->buf = nb;
        r->cap = ncap;
    }
    size_t got = 0;
    while (!r->eof && r->len < r->cap) {
        size_t n;
        int rc = r->in->read(r->in, r->buf + r->len, r->cap - r->len, &n, err);
        if (rc != MDL_OK)
            return rc;
        if (n == 0)
            r->eof = true;
        r->len += n;
        got += n;
        if (got >= r->chunk)
            break;
    }
    /* Sentinel: stops the unquoted-field scan at the end; the whole pad is set so word reads
     * never touch uninitialised bytes. */
    memset(r->buf + r->len, '\n', BUF_PAD);
    r->nonascii = has_high_bit(r->buf, r->len);
    return MDL_OK;
}

/* ---- tokenising -------------------------------------------------------------------------- */

static int grow_spans(mdl_csv_reader *r)
{
    size_t ncap = r->spans_cap ? r->spans_cap * 2 : 64;
    span *ns = mdl_realloc(r->ctx, r->spans, ncap * sizeof(span));
    if (ns == NULL)
        return MDL_ERR_NOMEM;
    r->spans = ns;
    r->spans_cap = ncap;
    return MDL_OK;
}

static uint64_t count_newlines(const char *p, const char *end)
{
    uint64_t n = 0;
    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

/* Finds the record starting at buffer offset `pos`; fills r->spans. */
static int parse_record(mdl_csv_reader *r, size_t pos, rec *out)
{
    const char *base = r->buf;
    const char *p = base + pos, *end = base + r->len;
    const char q = r->quote, d = r->delim;
    const uint64_t dmask = ONES * (unsigned char)d;
    const bool eof = r->eof;
    size_t nf = 0;
    uint64_t nl = 0;
    for (;;) {
        if (nf == r->spans_cap && grow_spans(r) != MDL_OK)
            return REC_ERROR;
        span *sp = &r->spans[nf];
        if (q && p < end && *p == q) {
            const char *s = p + 1, *c = s;
            unsigned flags = SPAN_QUOTED;
            for (;;) {
                const char *hit = memchr(c, q, (size_t)(end - c));
                if (hit == NULL) {
                    if (!eof)
                        return REC_MORE;
                    out->reason = "unterminated quoted field (missing closing quote)";
                    out->nf = nf;
                    out->end = r->len;
                    out->newlines = nl + count_newlines(s, end);
                    return REC_BAD;
                }
                if (hit + 1 < end && hit[1] == q) {
                    flags |= SPAN_ESCAPED;
                    c = hit + 2;
                    continue;
                }
                if (hit + 1 == end && !eof)
                    return REC_MORE;
                nl += count_newlines(s, hit);
                sp->start = (size_t)(s - base);
                sp->len = (size_t)(hit - s);
                sp->flags = flags;
                p = hit + 1;
                break;
            }
        } else {
            const char *s = p;
            /* Eight bytes at a time: fields are short, but most are longer than a word's
             * worth of table lookups. The padding after the sentinel keeps reads in bounds. */
            for (;;) {
                uint64_t w;
                memcpy(&w, p, 8);
                uint64_t m = match_bytes(w, dmask) | match_bytes(w, ONES * '\n') |
                             match_bytes(w, ONES * '\r');
                if (m != 0) {
                    p += __builtin_ctzll(m) >> 3;
                    break;
                }
                p += 8; /* no match means no sentinel either, so p is still before end */
            }
            sp->start = (size_t)(s - base);
            sp->len = (size_t)(p - s);
            sp->flags = 0;
        }
        nf++;
        if (p >= end) {
            if (!eof)
                return REC_MORE;
            out->end = r->len;
            break;
        }
        char c = *p;
        if (c == d) {
            p++;
            continue;
        }
        if (c == '\n') {
            p++;
            nl++;
            out->end = (size_t)(p - base);
            break;
        }
        if (c == '\r') {
            if (p + 1 >= end && !eof)
                return REC_MORE;
            p += (p + 1 < end && p[1] == '\n') ? 2 : 1;
            nl++;
            out->end = (size_t)(p - base);
            break;
        }
        /* Only reachable after a closing quote: skip to the end of the line. */
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL && !eof)
            return REC_MORE;
        out->reason = "unexpected character after a closing quote";
        out->nf = nf;
        out->end = eol ? (size_t)(eol + 1 - base) : r->len;
        out->newlines = nl + (eol ? 1 : 0);
        return REC_BAD;
    }
    out->nf = nf;
    out->newlines = nl;
    return REC_OK;
}

/* Value of a field with doubled quotes collapsed (into r->scratch when needed). */
static int field_value(mdl_csv_reader *r, const span *sp, const char **v, size_t *len,
                       mdl_error *err)
{
    const char *s = r->buf + sp->start;
    if (!(sp->flags & SPAN_ESCAPED)) {
        *v = s;
        *len = sp->len;
        return MDL_OK;
    }
    r->scratch.len = 0;
    int rc = mdl_buf_reserve(&r->scratch, sp->len, err);
    if (rc != MDL_OK)
        return rc;
    size_t o = 0;
    for (size_t i = 0; i < sp->len; i++) {
        r->scratch.data[o++] = s[i];
        if (s[i] == r->quote)
            i++; /* the tokenizer guarantees the pair */
    }
    r->scratch.len = o;
    *v = r->scratch.data;
    *len = o;
    return MDL_OK;
}

static bool is_null_token(const mdl_csv_reader *r, const char *v, size_t len)
{
    if (len == 0)
        return r->null_empty;
    for (size_t i = 0; i < r->num_nulls; i++)
        if (r->nulls[i].len == len && memcmp(r->nulls[i].ptr, v, len) == 0)
            return true;
    return false;
}

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
        if (!(sp->flags & SPAN_QUOTED) && is_null_token(r, r->buf + sp->start, sp->len)) {
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
        rc = field_value(r, sp, &v, &len, err);
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
        int k = parse_record(r, r->pos, rc_out);
        if (k == REC_OK || k == REC_BAD)
            return k == REC_OK ? MDL_OK : MDL_ERR_PARSE;
        if (k == REC_ERROR)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory tokenising CSV");
        int rc = refill(r, err);
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
        rc = field_value(r, &r->spans[i], &v, &len, err);
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

/* Candidate types for inference, narrowest first. */
enum { C_BOOL, C_INT32, C_INT64, C_DECIMAL, C_DOUBLE, C_DATE, C_TIMESTAMP, C_COUNT };

typedef struct infer_col {
    bool alive[C_COUNT];
    int int_digits, scale;
    bool seen;
} infer_col;

/* Shape of a plain decimal literal; false if it is not one or has a leading zero. */
static bool decimal_shape(const char *s, size_t len, int *int_digits, int *frac_digits)
{
    size_t i = (len && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
    size_t a = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t ni = i - a, nfr = 0;
    if (ni > 1 && s[a] == '0')
        return false; /* "007" is an identifier, not a number */
    if (i < len && s[i] == '.') {
        size_t f = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        nfr = i - f;
    }
    if (i != len || ni + nfr == 0)
        return false;
    *int_digits = (int)ni;
    *frac_digits = (int)nfr;
    return true;
}

static void infer_value(infer_col *ic, const char *v, size_t len)
{
    ic->seen = true;
    int idig = 0, fdig = 0;
    bool shape = decimal_shape(v, len, &idig, &fdig);
    if (ic->alive[C_BOOL])
        ic->alive[C_BOOL] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_BOOLEAN), v, len);
    if (ic->alive[C_INT32])
        ic->alive[C_INT32] =
            shape && fdig == 0 && mdl_format__text_fits(mdl_type_make(MDL_TYPE_INT32), v, len);
    if (ic->alive[C_INT64])
        ic->alive[C_INT64] =
            shape && fdig == 0 && mdl_format__text_fits(mdl_type_make(MDL_TYPE_INT64), v, len);
    if (ic->alive[C_DECIMAL]) {
        ic->alive[C_DECIMAL] = shape && idig + fdig <= 38 && fdig <= 18;
        if (shape) {
            ic->int_digits = idig > ic->int_digits ? idig : ic->int_digits;
            ic->scale = fdig > ic->scale ? fdig : ic->scale;
        }
    }
    size_t sgn = (len && (v[0] == '-' || v[0] == '+')) ? 1 : 0;
    if (len > sgn + 1 && v[sgn] == '0' && v[sgn + 1] >= '0' && v[sgn + 1] <= '9')
        ic->alive[C_DOUBLE] = false; /* "007": keep identifiers with leading zeros as text */
    if (ic->alive[C_DOUBLE])
        ic->alive[C_DOUBLE] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_DOUBLE), v, len);
    if (ic->alive[C_DATE])
        ic->alive[C_DATE] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_DATE), v, len);
    if (ic->alive[C_TIMESTAMP])
        ic->alive[C_TIMESTAMP] = mdl_format__text_fits(mdl_type_make(MDL_TYPE_TIMESTAMP), v, len);
}

static mdl_type infer_pick(const infer_col *ic)
{
    if (!ic->seen)
        return mdl_type_make(MDL_TYPE_STRING);
    if (ic->alive[C_BOOL])
        return mdl_type_make(MDL_TYPE_BOOLEAN);
    if (ic->alive[C_INT32])
        return mdl_type_make(MDL_TYPE_INT32);
    if (ic->alive[C_INT64])
        return mdl_type_make(MDL_TYPE_INT64);
    if (ic->alive[C_DECIMAL] && ic->int_digits + ic->scale <= 38) {
        int p = ic->int_digits + ic->scale <= MDL_DECIMAL64_MAX_PRECISION ? 18 : 38;
        return mdl_type_decimal(p, ic->scale);
    }
    if (ic->alive[C_DOUBLE])
        return mdl_type_make(MDL_TYPE_DOUBLE);
    if (ic->alive[C_DATE])
        return mdl_type_make(MDL_TYPE_DATE);
    if (ic->alive[C_TIMESTAMP])
        return mdl_type_make(MDL_TYPE_TIMESTAMP);
    return mdl_type_make(MDL_TYPE_STRING);
}

/* Samples the records already buffered (without consuming them) to pick column types. */
static int infer_schema(mdl_csv_reader *r, char **names, size_t n, mdl_error *err)
{
    int rc = MDL_OK;
    infer_col *ic = mdl_calloc(r->ctx, n ? n : 1, sizeof *ic);
    mdl_field_def *defs = mdl_calloc(r->ctx, n ? n : 1, sizeof *defs);
    if (ic == NULL || defs == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory inferring a schema");
        goto cleanup;
    }
    for (size_t c = 0; c < n; c++)
        for (int k = 0; k < C_COUNT; k++)
            ic[c].alive[k] = true;
    size_t pos = r->pos;
    for (size_t row = 0; row < r->infer_rows && pos < r->len; row++) {
        rec rr;
        int k = parse_record(r, pos, &rr);
        if (k == REC_MORE || k == REC_ERROR)
            break;
        pos = rr.end;
        if (k == REC_BAD || rr.nf != n)
            continue;
        for (size_t c = 0; c < n; c++) {
            const span *sp = &r->spans[c];
            if (!(sp->flags & SPAN_QUOTED) && is_null_token(r, r->buf + sp->start, sp->len))
                continue;
            const char *v;
            size_t len;
            rc = field_value(r, sp, &v, &len, err);
            if (rc != MDL_OK)
                goto cleanup;
            infer_value(&ic[c], v, len);
        }
    }
    for (size_t c = 0; c < n; c++) {
        defs[c].name = names[c];
        defs[c].type = infer_pick(&ic[c]);
        defs[c].nullable = true;
    }
    rc = mdl_schema_new(r->ctx, defs, n, &r->schema, err);
    if (rc != MDL_OK)
        mdl_error_prefix(err, "%s: inferring the schema: ", r->in->name);
cleanup:
    mdl_free(r->ctx, ic);
    mdl_free(r->ctx, defs);
    return rc;
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
    r->buf = mdl_alloc(ctx, r->cap + BUF_PAD);
    if (r->buf == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a CSV reader");
        goto fail;
    }
    /* At least three bytes (or the whole input) so a byte order mark is seen whole. */
    do
        rc = refill(r, err);
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
            int k = parse_record(r, r->pos, &fr);
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
        rc = infer_schema(r, names, nnames, err);
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
            rc = refill(r, err);
            if (rc != MDL_OK)
                goto fail;
            continue;
        }
        rec rr;
        int k = parse_record(r, r->pos, &rr);
        if (k == REC_MORE) {
            rc = refill(r, err);
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
