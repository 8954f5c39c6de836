/*
 * csv_tokenizer.c - the CSV reader's input buffer and tokeniser: finds record and field
 * boundaries in place (RFC 4180 section 2 with the relaxations in docs/formats/csv.md) and
 * collapses doubled quotes. Eight bytes are scanned at a time for unquoted fields.
 */
#include "csv_internal.h"

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Nonzero bytes' high bits mark bytes of w equal to the byte broadcast in `pattern`. The
 * lowest marked byte is always a true match (borrows only travel upward). */
static inline uint64_t match_bytes(uint64_t w, uint64_t pattern)
{
    uint64_t x = w ^ pattern;
    return (x - ONES) & ~x & HIGHS;
}

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
int mdl_format__csv_refill(mdl_csv_reader *r, mdl_error *err)
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
        char *nb = mdl_realloc(r->ctx, r->buf, ncap + CSV_BUF_PAD);
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
    memset(r->buf + r->len, '\n', CSV_BUF_PAD);
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
int mdl_format__csv_parse_record(mdl_csv_reader *r, size_t pos, rec *out)
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
int mdl_format__csv_field_value(mdl_csv_reader *r, const span *sp, const char **v, size_t *len,
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
