/*
 * json_reader.c - streaming JSON-lines reader producing typed record batches.
 *
 * Input format (JSON Lines, https://jsonlines.org/; JSON text per RFC 8259):
 *   file  = [BOM] *(line LF) [line]
 *   line  = object [CR] / blank
 *   blank = *(SP / HTAB / CR)          skipped: counted as a line, not as a row
 * One object per line. Each schema column takes the value at its path (a top-level key,
 * or a dotted walk through nested objects) and converts it with the same text rules as the
 * CSV reader (convert.c), so both readers accept the same spellings and give the same
 * reasons. A line that does not parse or convert is reported through on_reject and skipped.
 * See docs/formats/json.md for the user-facing rules.
 *
 * Memory: one buffer holding the unconsumed tail plus the new chunk (grown only while one
 * line is longer than it, never past limits.max_record_bytes + 2), the json-c tree of the
 * current line, and one batch. A line over the limit is rejected and skipped up to its
 * '\n' without being buffered.
 *
 * json-c (0.16) builds the tree. Its strict mode still lets through a few things RFC 8259
 * forbids, and it silently clamps integers that do not fit 64 bits, so every parsed line
 * also passes check_lexical() below; see that function for the list.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "convert.h"
#include "reject.h"
#include "medallion/format.h"

/* What read_line found. */
enum {
    LINE_OK,      /* a whole line, NUL-terminated in the buffer */
    LINE_LONG,    /* a whole line over the limit (it fitted the buffer) */
    LINE_PARTIAL, /* the start of a line over the limit; the rest is still unread */
    LINE_END      /* no more input */
};

typedef struct line_info {
    size_t start;    /* buffer offset of the first byte */
    size_t len;      /* bytes without the '\n' and a trailing '\r' */
    uint64_t number; /* 1-based line number */
    uint64_t offset; /* input offset of the first byte */
    int kind;
} line_info;

struct mdl_json_reader {
    mdl_ctx *ctx;
    mdl_input *in;
    mdl_schema *schema;
    size_t chunk;
    size_t max_line; /* effective limit on one line's bytes */
    size_t max_cap;  /* the buffer never grows beyond this */
    mdl_reject_fn on_reject;
    void *reject_payload;

    long raw_col, rem_col; /* -1 when not used */
    char **paths;          /* per column: path segments, each NUL-terminated, back to back */
    size_t *nsegs;         /* per column: number of segments (0 for raw/remainder) */
    mdl_hashmap *consumed; /* first path segments, only with a remainder column */
    struct json_tokener *tok;

    char *buf; /* cap + 1 bytes: room to NUL-terminate a last line without '\n' */
    size_t cap, len, pos;
    size_t scan; /* no '\n' in buf[pos, scan) */
    bool eof, started, done;
    uint64_t buf_offset; /* input offset of buf[0] */
    uint64_t line;       /* number of the line starting at pos */
    mdl_read_stats stats;
    mdl_batch_pool *pool; /* batches are recycled once the caller frees them */
    char reason[512];
};

/* ---- buffer and lines -------------------------------------------------------------------- */

/*
 * Moves the unconsumed tail to the front and reads about one chunk more. Grows the buffer
 * only when the tail fills it, i.e. while one line is longer than the buffer; read_line
 * stops a line before it needs more than max_cap bytes.
 */
static int refill(mdl_json_reader *r, mdl_error *err)
{
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->buf_offset += r->pos;
        r->len -= r->pos;
        r->scan -= r->pos;
        r->pos = 0;
    }
    if (r->len == r->cap) {
        if (r->cap >= r->max_cap)
            return mdl_error_set(err, MDL_ERR_LIMIT, "%s:%llu: line buffer is full (%zu bytes)",
                                 r->in->name, (unsigned long long)r->line, r->cap);
        size_t ncap = r->cap > r->max_cap / 2 ? r->max_cap : r->cap * 2;
        char *nb = mdl_realloc(r->ctx, r->buf, ncap + 1);
        if (nb == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing the JSON buffer");
        r->buf = nb;
        r->cap = ncap;
    }
    size_t got = 0;
    while (!r->eof && r->len < r->cap) {
        size_t n = 0;
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
    return MDL_OK;
}

/* Skips a UTF-8 byte order mark at the very start of the input (editors on Windows add one). */
static int skip_bom(mdl_json_reader *r, mdl_error *err)
{
    r->started = true;
    while (r->len < 3 && !r->eof) {
        int rc = refill(r, err);
        if (rc != MDL_OK)
            return rc;
    }
    if (r->len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0)
        r->pos = r->scan = 3;
    return MDL_OK;
}

/* Marks the line in li consumed up to buffer offset `next`, stripping one trailing '\r'. */
static void take_line(mdl_json_reader *r, line_info *li, size_t end, size_t next)
{
    li->start = r->pos;
    li->len = end - r->pos;
    li->number = r->line;
    li->offset = r->buf_offset + r->pos;
    if (li->len > 0 && r->buf[li->start + li->len - 1] == '\r')
        li->len--;
    /* json-c reads up to a NUL; the byte after the line is its '\r', '\n' or the spare byte. */
    r->buf[li->start + li->len] = '\0';
    li->kind = li->len > r->max_line ? LINE_LONG : LINE_OK;
    r->pos = r->scan = next;
    r->line++;
    r->stats.lines++;
}

/*
 * Finds the next line. A line whose first max_line + 2 bytes hold no '\n' cannot fit the
 * limit even after stripping '\r', so it comes back as LINE_PARTIAL (not consumed) and the
 * caller skips it with skip_line after reporting it.
 */
static int read_line(mdl_json_reader *r, line_info *li, mdl_error *err)
{
    if (!r->started) {
        int rc = skip_bom(r, err);
        if (rc != MDL_OK)
            return rc;
    }
    for (;;) {
        const char *nl = memchr(r->buf + r->scan, '\n', r->len - r->scan);
        if (nl != NULL) {
            size_t end = (size_t)(nl - r->buf);
            take_line(r, li, end, end + 1);
            return MDL_OK;
        }
        r->scan = r->len;
        if (r->eof) {
            if (r->pos == r->len) {
                li->kind = LINE_END;
                return MDL_OK;
            }
            take_line(r, li, r->len, r->len);
            return MDL_OK;
        }
        if (r->len - r->pos > r->max_line + 1) {
            li->start = r->pos;
            li->len = r->len - r->pos;
            li->number = r->line;
            li->offset = r->buf_offset + r->pos;
            li->kind = LINE_PARTIAL;
            return MDL_OK;
        }
        int rc = refill(r, err);
        if (rc != MDL_OK)
            return rc;
    }
}

/* Discards the rest of an over-long line without buffering it. */
static int skip_line(mdl_json_reader *r, mdl_error *err)
{
    for (;;) {
        const char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        if (nl != NULL) {
            r->pos = r->scan = (size_t)(nl - r->buf) + 1;
            break;
        }
        r->buf_offset += r->len;
        r->len = r->pos = r->scan = 0;
        if (r->eof)
            break;
        int rc = refill(r, err);
        if (rc != MDL_OK)
            return rc;
    }
    r->line++;
    r->stats.lines++;
    return MDL_OK;
}

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return false;
    return true;
}

/* ---- rejects ----------------------------------------------------------------------------- */

static int report(mdl_json_reader *r, const line_info *li, long column, const char *value,
                  size_t value_len, int code, const char *reason, mdl_error *err)
{
    r->stats.rows_rejected++;
    const char *rec = r->buf + li->start;
    mdl_reject rj;
    rj.source = r->in->name;
    rj.line = li->number;
    rj.offset = li->offset;
    rj.column_index = column;
    rj.column = column >= 0 ? r->schema->fields[column].name : NULL;
    rj.value =
        value != NULL
            ? mdl_sv_make(value, mdl_format__utf8_prefix(value, value_len, MDL_REJECT_VALUE_MAX))
            : mdl_sv_make("", 0);
    rj.record = mdl_sv_make(rec, mdl_format__utf8_prefix(rec, li->len, MDL_REJECT_RECORD_MAX));
    rj.code = code;
    rj.reason = reason;
    return mdl_format__deliver_reject(r->on_reject, r->reject_payload, &rj, err);
}

/* ---- parsing a line ---------------------------------------------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* True when the digit run (no sign) is at most `limit`, a digit string of the same kind. */
static bool digits_at_most(const char *d, size_t n, const char *limit)
{
    size_t ln = strlen(limit);
    return n < ln || (n == ln && memcmp(d, limit, n) <= 0);
}

/*
 * Checks what json-c 0.16 accepts in strict mode but RFC 8259 does not, plus integers that
 * json-c would clamp to 64 bits without telling (99999999999999999999 becomes
 * 18446744073709551615). Runs only on lines json-c parsed, so brackets, escapes and
 * literals are known good; what is left is, outside strings: single-quoted names ({'a':1}),
 * NaN / Infinity / -Infinity, numbers with leading zeros (00, -01) or a bare point (1.,
 * 1.e5), and integers outside [-2^63, 2^64-1]; inside strings: raw control characters
 * and UTF-8 that json-c's validation misses (overlongs, surrogates, past U+10FFFF).
 * Returns MDL_OK or a reject code with r->reason set.
 */
static int check_lexical(mdl_json_reader *r, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++) {
                unsigned char u = (unsigned char)s[i];
                if (u == '\\') {
                    i++; /* json-c checked the escape; skipping its first byte is enough */
                } else if (u < 0x20) {
                    snprintf(r->reason, sizeof r->reason,
                             "invalid JSON at byte %zu: control character U+%04X in a string "
                             "must be escaped",
                             i + 1, u);
                    return MDL_ERR_PARSE;
                } else if (u >= 0x80) {
                    size_t n = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
                    if (n > len - i)
                        n = len - i;
                    if (!mdl_utf8_valid(s + i, n)) {
                        snprintf(r->reason, sizeof r->reason,
                                 "invalid JSON at byte %zu: invalid UTF-8 in a string", i + 1);
                        return MDL_ERR_PARSE;
                    }
                    i += n - 1;
                }
            }
            i++;
            continue;
        }
        if (c == '\'') {
            snprintf(r->reason, sizeof r->reason,
                     "invalid JSON at byte %zu: names and strings need double quotes", i + 1);
            return MDL_ERR_PARSE;
        }
        if (c == 'N' || c == 'I' || (c == '-' && i + 1 < len && s[i + 1] == 'I')) {
            snprintf(r->reason, sizeof r->reason,
                     "invalid JSON at byte %zu: NaN and Infinity are not JSON numbers", i + 1);
            return MDL_ERR_PARSE;
        }
        if (c != '-' && !is_digit(c)) {
            i++;
            continue;
        }
        /* RFC 8259 section 6: number = [-] int [frac] [exp], int = 0 / (1-9 *DIGIT),
         * frac = . 1*DIGIT, exp = (e / E) [+ / -] 1*DIGIT. */
        size_t start = i, j = i + (c == '-');
        size_t int_start = j;
        while (j < len && is_digit(s[j]))
            j++;
        size_t nint = j - int_start;
        bool ok = nint > 0 && !(nint > 1 && s[int_start] == '0');
        bool integer = true;
        if (j < len && s[j] == '.') {
            integer = false;
            size_t f = ++j;
            while (j < len && is_digit(s[j]))
                j++;
            ok = ok && j > f;
        }
        if (j < len && (s[j] == 'e' || s[j] == 'E')) {
            integer = false;
            j++;
            if (j < len && (s[j] == '+' || s[j] == '-'))
                j++;
            size_t e = j;
            while (j < len && is_digit(s[j]))
                j++;
            ok = ok && j > e;
        }
        if (!ok) {
            char shown[MDL_REJECT_SHOWN_SIZE];
            bool cut = mdl_format__show_value(shown, s + start, j - start);
            snprintf(r->reason, sizeof r->reason,
                     "invalid JSON at byte %zu: '%s'%s is not a JSON number", start + 1, shown,
                     cut ? "..." : "");
            return MDL_ERR_PARSE;
        }
        if (integer && !(c == '-' ? digits_at_most(s + int_start, nint, "9223372036854775808")
                                  : digits_at_most(s + int_start, nint, "18446744073709551615"))) {
            char shown[MDL_REJECT_SHOWN_SIZE];
            bool cut = mdl_format__show_value(shown, s + start, j - start);
            snprintf(r->reason, sizeof r->reason,
                     "integer '%s'%s at byte %zu does not fit in 64 bits (write it as a string "
                     "or with a fraction, e.g. 1234.0)",
                     shown, cut ? "..." : "", start + 1);
            return MDL_ERR_RANGE;
        }
        i = j;
    }
    return MDL_OK;
}

/* "number" for both json-c number types, json-c's own names otherwise. */
static const char *json_kind(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        return "number";
    default:
        return json_type_to_name(json_object_get_type(v));
    }
}

/*
 * Parses the NUL-terminated line into *out (a JSON object). On a bad line returns the
 * reject code with r->reason set and *out NULL.
 */
static int parse_line(mdl_json_reader *r, const char *s, size_t len, struct json_object **out)
{
    *out = NULL;
    /* json-c takes a NUL as the end of the text; JSON text never holds a raw NUL. */
    const char *nul = memchr(s, '\0', len);
    if (nul != NULL) {
        snprintf(r->reason, sizeof r->reason, "invalid JSON at byte %zu: unexpected NUL byte",
                 (size_t)(nul - s) + 1);
        return MDL_ERR_PARSE;
    }
    json_tokener_reset(r->tok);
    /* len + 1: the NUL ends a top-level value and makes a cut-off line an error. */
    struct json_object *obj = json_tokener_parse_ex(r->tok, s, (int)(len + 1));
    size_t at = json_tokener_get_parse_end(r->tok);
    enum json_tokener_error jerr = json_tokener_get_error(r->tok);
    if (obj == NULL && jerr == json_tokener_success) {
        /* The line is the JSON literal null, which json-c returns as a NULL object. */
        snprintf(r->reason, sizeof r->reason, "expected a JSON object, found null");
        return MDL_ERR_SCHEMA;
    }
    if (obj == NULL) {
        /* json-c may count the terminating NUL; the end of data is one past the last byte. */
        if (at > len)
            at = len;
        if (jerr == json_tokener_error_depth) {
            snprintf(r->reason, sizeof r->reason,
                     "invalid JSON at byte %zu: nesting deeper than the limit of %zu levels",
                     at + 1, r->ctx->limits.max_json_depth);
            return MDL_ERR_LIMIT;
        }
        snprintf(r->reason, sizeof r->reason, "invalid JSON at byte %zu: %s", at + 1,
                 jerr == json_tokener_continue ? "unexpected end of data"
                                               : json_tokener_error_desc(jerr));
        return MDL_ERR_PARSE;
    }
    int rc = MDL_OK;
    if (at < len) {
        /* Not expected (strict mode rejects trailing data), but never ignore bytes. */
        snprintf(r->reason, sizeof r->reason, "invalid JSON at byte %zu: unexpected character",
                 at + 1);
        rc = MDL_ERR_PARSE;
    }
    if (rc == MDL_OK)
        rc = check_lexical(r, s, len);
    if (rc == MDL_OK && !json_object_is_type(obj, json_type_object)) {
        snprintf(r->reason, sizeof r->reason, "expected a JSON object, found %s", json_kind(obj));
        rc = MDL_ERR_SCHEMA;
    }
    if (rc != MDL_OK) {
        json_object_put(obj);
        return rc;
    }
    *out = obj;
    return MDL_OK;
}

/* ---- converting a line ------------------------------------------------------------------- */

/* What a column of this type needs, for "expected ..., found ..." reasons. */
static const char *expected_kind(mdl_type_id t)
{
    switch (t) {
    case MDL_TYPE_BOOLEAN:
        return "a boolean";
    case MDL_TYPE_DATE:
    case MDL_TYPE_TIMESTAMP:
        return "a string";
    default:
        return "a number";
    }
}

/* The value at column c's path: NULL when a key is missing (*found false) or JSON null. */
static struct json_object *lookup(const mdl_json_reader *r, struct json_object *root, size_t c,
                                  bool *found)
{
    struct json_object *cur = root;
    const char *seg = r->paths[c];
    *found = false;
    for (size_t k = 0; k < r->nsegs[c]; k++) {
        if (!json_object_is_type(cur, json_type_object) ||
            !json_object_object_get_ex(cur, seg, &cur))
            return NULL;
        seg += strlen(seg) + 1;
    }
    *found = true;
    return cur;
}

/* Appends text to the column or explains why not: *code is the reject code when it cannot. */
static int append_text(mdl_json_reader *r, mdl_column *col, const char *s, size_t len, int *code,
                       mdl_error *err)
{
    size_t max_field = r->ctx->limits.max_field_bytes;
    if (len > max_field) {
        snprintf(r->reason, sizeof r->reason, "value is %zu bytes, over the limit of %zu", len,
                 max_field);
        *code = MDL_ERR_LIMIT;
        return MDL_OK;
    }
    const char *phrase = NULL;
    int rc = mdl_format__append_text(r->ctx, col, s, len, false, &phrase, err);
    if (rc == MDL_OK || phrase == NULL)
        return rc;
    mdl_format__describe_value(r->reason, sizeof r->reason, s, len, phrase);
    *code = rc;
    return MDL_OK;
}

/*
 * Builds the JSON object of the top-level keys no column path starts with. The values are
 * shared with the line's tree (reference counted) and the keys borrowed from it.
 */
static int remainder_text(mdl_json_reader *r, struct json_object *root, struct json_object **rem,
                          const char **text, size_t *len, mdl_error *err)
{
    *rem = NULL;
    struct json_object_iterator it = json_object_iter_begin(root);
    struct json_object_iterator end = json_object_iter_end(root);
    for (; !json_object_iter_equal(&it, &end); json_object_iter_next(&it)) {
        const char *key = json_object_iter_peek_name(&it);
        if (mdl_hashmap_get(r->consumed, mdl_sv(key), NULL))
            continue;
        if (*rem == NULL && (*rem = json_object_new_object()) == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building a JSON remainder");
        struct json_object *v = json_object_get(json_object_iter_peek_value(&it));
        if (json_object_object_add_ex(
                *rem, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_ADD_CONSTANT_KEY) != 0) {
            json_object_put(v);
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory building a JSON remainder");
        }
    }
    if (*rem == NULL) {
        *text = "{}";
        *len = 2;
        return MDL_OK;
    }
    *text = json_object_to_json_string_length(
        *rem, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, len);
    if (*text == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory serialising JSON");
    return MDL_OK;
}

/*
 * Converts one JSON value into column c. Returns a hard error status, or MDL_OK with
 * *code set to the reject code (and r->reason, *shown) when the value does not fit.
 */
static int convert_value(mdl_json_reader *r, size_t c, mdl_column *col, struct json_object *v,
                         bool found, int *code, const char **shown, size_t *shown_len,
                         mdl_error *err)
{
    const mdl_field *f = &r->schema->fields[c];
    const mdl_type_id t = f->type.id;
    enum json_type jt = json_object_get_type(v);
    if (jt == json_type_null) {
        if (!f->nullable) {
            *shown = found ? "null" : "";
            *shown_len = found ? 4 : 0;
            snprintf(r->reason, sizeof r->reason,
                     "missing or null value in a column that is not nullable");
            *code = MDL_ERR_SCHEMA;
            return MDL_OK;
        }
        return mdl_column_append_null(r->ctx, col, err);
    }
    const char *s;
    size_t len;
    if (jt == json_type_string) {
        s = json_object_get_string(v);
        len = (size_t)json_object_get_string_len(v);
    } else if (jt == json_type_boolean) {
        s = json_object_get_boolean(v) ? "true" : "false";
        len = strlen(s);
    } else {
        /* Numbers: json-c keeps a double's literal text, so decimals convert exactly. */
        s = json_object_to_json_string_length(
            v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
        if (s == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory serialising JSON");
    }
    *shown = s;
    *shown_len = len;
    bool fits = jt == json_type_string || t == MDL_TYPE_STRING;
    if (jt == json_type_boolean)
        fits = fits || t == MDL_TYPE_BOOLEAN;
    else if (jt == json_type_int || jt == json_type_double)
        fits = fits || (t != MDL_TYPE_DATE && t != MDL_TYPE_TIMESTAMP);
    if (!fits) {
        if (jt == json_type_object || jt == json_type_array)
            snprintf(r->reason, sizeof r->reason, "expected %s, found %s", expected_kind(t),
                     json_kind(v));
        else {
            char buf[MDL_REJECT_SHOWN_SIZE];
            bool cut = mdl_format__show_value(buf, s, len);
            snprintf(r->reason, sizeof r->reason, "expected %s, found %s %s%s", expected_kind(t),
                     json_kind(v), buf, cut ? "..." : "");
        }
        *code = MDL_ERR_SCHEMA;
        return MDL_OK;
    }
    return append_text(r, col, s, len, code, err);
}

/* Converts one parsed object into a new row of b, or rejects the line leaving b as it was. */
static int convert_object(mdl_json_reader *r, mdl_batch *b, const line_info *li,
                          struct json_object *root, mdl_error *err)
{
    const size_t row = b->num_rows;
    struct json_object *rem = NULL;
    int rc = MDL_OK;
    for (size_t c = 0; c < r->schema->num_fields; c++) {
        mdl_column *col = &b->columns[c];
        int code = MDL_OK;
        const char *shown = NULL;
        size_t shown_len = 0;
        if ((long)c == r->raw_col || (long)c == r->rem_col) {
            const char *text;
            size_t len;
            if ((long)c == r->raw_col) {
                text = json_object_to_json_string_length(
                    root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
                if (text == NULL)
                    rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory serialising JSON");
            } else {
                rc = remainder_text(r, root, &rem, &text, &len, err);
            }
            if (rc != MDL_OK)
                goto cleanup;
            shown = text;
            shown_len = len;
            rc = append_text(r, col, text, len, &code, err);
        } else {
            bool found;
            struct json_object *v = lookup(r, root, c, &found);
            rc = convert_value(r, c, col, v, found, &code, &shown, &shown_len, err);
        }
        if (rc != MDL_OK)
            goto cleanup;
        if (code != MDL_OK) {
            for (size_t k = 0; k < r->schema->num_fields; k++)
                mdl_column_truncate(&b->columns[k], row);
            rc = report(r, li, (long)c, shown, shown_len, code, r->reason, err);
            goto cleanup;
        }
    }
    b->num_rows = row + 1;
cleanup:
    json_object_put(rem);
    if (rc != MDL_OK)
        for (size_t k = 0; k < r->schema->num_fields; k++)
            mdl_column_truncate(&b->columns[k], row);
    return rc;
}

static int process_line(mdl_json_reader *r, mdl_batch *b, const line_info *li, mdl_error *err)
{
    const char *s = r->buf + li->start;
    if (li->kind == LINE_LONG || li->kind == LINE_PARTIAL) {
        snprintf(r->reason, sizeof r->reason, "line is longer than the limit of %zu bytes",
                 r->max_line);
        return report(r, li, -1, s, li->len, MDL_ERR_LIMIT, r->reason, err);
    }
    struct json_object *root;
    int code = parse_line(r, s, li->len, &root);
    if (code != MDL_OK)
        return report(r, li, -1, s, li->len, code, r->reason, err);
    int rc = convert_object(r, b, li, root, err);
    json_object_put(root);
    return rc;
}

/* ---- options and mapping ----------------------------------------------------------------- */

void mdl_json_options_init(mdl_json_options *opts)
{
    memset(opts, 0, sizeof *opts);
    opts->chunk_bytes = (size_t)1 << 20;
}

/* Finds an option's column: it must exist and be a STRING column. */
static int special_column(mdl_json_reader *r, const char *opt, const char *name, long *out,
                          mdl_error *err)
{
    *out = -1;
    if (name == NULL)
        return MDL_OK;
    long c = mdl_schema_find(r->schema, mdl_sv(name));
    if (c < 0)
        return mdl_error_set(err, MDL_ERR_NOT_FOUND, "%s: %s '%s' is not a column of the schema",
                             r->in->name, opt, name);
    if (r->schema->fields[c].type.id != MDL_TYPE_STRING)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                             "%s: %s '%s' must be a string column, not %s", r->in->name, opt, name,
                             mdl_type_name(r->schema->fields[c].type.id));
    *out = c;
    return MDL_OK;
}

/* Stores a column's path as back-to-back NUL-terminated segments. */
static int set_path(mdl_json_reader *r, size_t c, const char *path, bool split, mdl_error *err)
{
    size_t len = strlen(path);
    char *p = mdl_strndup(r->ctx, path, len);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    size_t n = 1;
    if (split) {
        for (size_t i = 0; i < len; i++)
            if (p[i] == '.') {
                p[i] = '\0';
                n++;
            }
        const char *seg = p;
        for (size_t k = 0; k < n; k++) {
            if (*seg == '\0') {
                mdl_free(r->ctx, p);
                return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                     "%s: JSON path '%s' of column '%s' has an empty segment",
                                     r->in->name, path, r->schema->fields[c].name);
            }
            seg += strlen(seg) + 1;
        }
    }
    r->paths[c] = p;
    r->nsegs[c] = n;
    return MDL_OK;
}

static int build_paths(mdl_json_reader *r, const mdl_json_options *o, mdl_error *err)
{
    size_t nf = r->schema->num_fields;
    r->paths = mdl_calloc(r->ctx, nf ? nf : 1, sizeof *r->paths);
    r->nsegs = mdl_calloc(r->ctx, nf ? nf : 1, sizeof *r->nsegs);
    if (r->paths == NULL || r->nsegs == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory");
    int rc;
    for (size_t i = 0; i < o->num_paths; i++) {
        const mdl_json_column_map *m = &o->paths[i];
        long c = m->column ? mdl_schema_find(r->schema, mdl_sv(m->column)) : -1;
        if (c < 0)
            return mdl_error_set(err, MDL_ERR_NOT_FOUND,
                                 "%s: JSON path override %zu names column '%s', which is not "
                                 "in the schema",
                                 r->in->name, i, m->column ? m->column : "(null)");
        if (c == r->raw_col || c == r->rem_col)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "%s: column '%s' is the %s column and cannot have a JSON path",
                                 r->in->name, m->column, c == r->raw_col ? "raw" : "remainder");
        if (r->paths[c] != NULL)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "%s: column '%s' has more than one JSON path", r->in->name,
                                 m->column);
        rc = set_path(r, (size_t)c, m->path ? m->path : m->column, m->path != NULL, err);
        if (rc != MDL_OK)
            return rc;
    }
    for (size_t c = 0; c < nf; c++) {
        if (r->paths[c] != NULL || (long)c == r->raw_col || (long)c == r->rem_col)
            continue;
        /* The default is the name as one key, even if it has dots. */
        rc = set_path(r, c, r->schema->fields[c].name, false, err);
        if (rc != MDL_OK)
            return rc;
    }
    if (r->rem_col < 0)
        return MDL_OK;
    rc = mdl_hashmap_new(r->ctx, nf, &r->consumed, err);
    for (size_t c = 0; rc == MDL_OK && c < nf; c++)
        if (r->paths[c] != NULL)
            rc = mdl_hashmap_put(r->consumed, mdl_sv(r->paths[c]), c, err);
    return rc;
}

/* ---- public API -------------------------------------------------------------------------- */

int mdl_json_reader_open(mdl_ctx *ctx, mdl_input *in, mdl_schema *schema,
                         const mdl_json_options *opts, mdl_json_reader **out, mdl_error *err)
{
    *out = NULL;
    if (in == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "JSON-lines reader: no input");
    if (schema == NULL) {
        int rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                               "%s: the JSON-lines reader needs a schema (it does not infer one)",
                               in->name);
        mdl_input_close(in);
        return rc;
    }
    if (ctx->limits.max_record_bytes == 0 || ctx->limits.max_json_depth == 0) {
        int rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                               "%s: limits.max_record_bytes and limits.max_json_depth must be "
                               "at least 1",
                               in->name);
        mdl_input_close(in);
        return rc;
    }
    mdl_json_options defaults;
    if (opts == NULL) {
        mdl_json_options_init(&defaults);
        opts = &defaults;
    }
    mdl_json_reader *r = mdl_calloc(ctx, 1, sizeof *r);
    if (r == NULL) {
        mdl_input_close(in);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a JSON-lines reader");
    }
    r->ctx = ctx;
    r->in = in;
    r->schema = mdl_schema_retain(schema);
    r->chunk = opts->chunk_bytes ? opts->chunk_bytes : (size_t)1 << 20;
    /* json-c takes int lengths and we hand it the line plus its NUL. */
    r->max_line = ctx->limits.max_record_bytes;
    if (r->max_line > (size_t)INT_MAX - 2)
        r->max_line = (size_t)INT_MAX - 2;
    r->max_cap = r->max_line + 2;
    r->on_reject = opts->on_reject;
    r->reject_payload = opts->reject_payload;
    r->line = 1;
    int rc = special_column(r, "raw_column", opts->raw_column, &r->raw_col, err);
    if (rc == MDL_OK)
        rc = special_column(r, "remainder_column", opts->remainder_column, &r->rem_col, err);
    if (rc == MDL_OK && r->raw_col >= 0 && r->raw_col == r->rem_col)
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG,
                           "%s: raw_column and remainder_column must be different columns",
                           in->name);
    if (rc == MDL_OK && opts->num_paths > 0 && opts->paths == NULL)
        rc = mdl_error_set(err, MDL_ERR_INVALID_ARG, "%s: num_paths is %zu but paths is NULL",
                           in->name, opts->num_paths);
    if (rc == MDL_OK)
        rc = build_paths(r, opts, err);
    if (rc == MDL_OK)
        rc = mdl_batch_pool_new(ctx, r->schema, 0, &r->pool, err);
    if (rc != MDL_OK)
        goto fail;
    size_t depth = ctx->limits.max_json_depth;
    r->tok = json_tokener_new_ex(depth > INT_MAX ? INT_MAX : (int)depth);
    r->cap = r->chunk < r->max_cap ? r->chunk : r->max_cap;
    r->buf = mdl_alloc(ctx, r->cap + 1);
    if (r->tok == NULL || r->buf == NULL) {
        rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory opening a JSON-lines reader");
        goto fail;
    }
    json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    *out = r;
    return MDL_OK;
fail:
    mdl_json_reader_free(r);
    return rc;
}

int mdl_json_reader_open_file(mdl_ctx *ctx, const char *path, mdl_schema *schema,
                              const mdl_json_options *opts, mdl_json_reader **out, mdl_error *err)
{
    mdl_input *in;
    *out = NULL;
    int rc = mdl_input_open_file(ctx, path, &in, err);
    if (rc != MDL_OK)
        return rc;
    return mdl_json_reader_open(ctx, in, schema, opts, out, err);
}

mdl_schema *mdl_json_reader_schema(const mdl_json_reader *r)
{
    return r->schema;
}

int mdl_json_reader_next(mdl_json_reader *r, mdl_batch **out, mdl_error *err)
{
    *out = NULL;
    if (r->done)
        return MDL_OK;
    mdl_batch *b;
    int rc = mdl_batch_pool_get(r->pool, &b, err);
    if (rc != MDL_OK)
        return rc;
    while (b->num_rows < b->capacity) {
        line_info li;
        rc = read_line(r, &li, err);
        if (rc != MDL_OK)
            goto fail;
        if (li.kind == LINE_END) {
            r->done = true;
            break;
        }
        if (li.kind == LINE_OK && is_blank(r->buf + li.start, li.len))
            continue;
        r->stats.rows_read++;
        rc = process_line(r, b, &li, err);
        if (rc == MDL_OK && li.kind == LINE_PARTIAL)
            rc = skip_line(r, err);
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

void mdl_json_reader_stats(const mdl_json_reader *r, mdl_read_stats *out)
{
    *out = r->stats;
    out->bytes_read = r->buf_offset + r->pos;
}

void mdl_json_reader_free(mdl_json_reader *r)
{
    if (r == NULL)
        return;
    mdl_input_close(r->in);
    if (r->paths != NULL)
        for (size_t c = 0; c < r->schema->num_fields; c++)
            mdl_free(r->ctx, r->paths[c]);
    mdl_batch_pool_release(r->pool);
    mdl_schema_release(r->schema);
    mdl_free(r->ctx, r->paths);
    mdl_free(r->ctx, r->nsegs);
    mdl_hashmap_free(r->consumed);
    if (r->tok != NULL)
        json_tokener_free(r->tok);
    mdl_free(r->ctx, r->buf);
    mdl_free(r->ctx, r);
}

/* ---- stream adapter ---------------------------------------------------------------------- */

static int source_next(void *state, mdl_batch **out, mdl_error *err)
{
    return mdl_json_reader_next(state, out, err);
}

static void source_free(void *state)
{
    mdl_json_reader_free(state);
}

static const mdl_batch_source SOURCE = {source_next, source_free};

int mdl_json_reader_stream(mdl_json_reader *r, mdl_batch_stream **out, mdl_error *err)
{
    return mdl_batch_stream_wrap(r->ctx, r->schema, &SOURCE, r, out, err);
}
