/*
 * sql_func_json.c - get_json_object(json, path): one value out of a JSON text, as Spark's
 * get_json_object and DuckDB's json_extract_string give it (VARCHAR).
 *
 * Path (a subset both engines read the same way):
 *   path  = "$" *step
 *   step  = "." name / "." DQUOTE text DQUOTE / "[" SQUOTE text SQUOTE "]" / "[" 1*DIGIT "]"
 *   name  = 1*(any character but "." and "[")
 * Result: a string member's text (unescaped); a number as written in the document; true and
 * false; an object or array as compact JSON (no spaces, members in document order, strings
 * escaped with \" \\ \b \f \n \r \t and \u00XX for other control characters, '/' and
 * non-ASCII as they are). NULL for a JSON null, a missing member or index, a path that is not
 * of the form above (Spark; DuckDB raises an error), and a text that is not one JSON value
 * (RFC 8259: json-c's strict mode plus lexical_ok(); surrounding white space allowed). A
 * document holding an integer that does not fit 64 bits is also NULL: json-c would clamp it
 * silently, and a wrong number is worse than none. A document nested deeper than
 * limits.max_json_depth is a limit error. The document is parsed again on every row (no cache:
 * payloads are small).
 */
#include <limits.h>
#include <string.h>

#include <json-c/json.h>

#include "sql/sql_func.h"

static int resolve_json(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                        mdl_type *cast_to, mdl_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (!args[i].null_only && args[i].t.id != MDL_TYPE_STRING)
            return mdl_sql__arg_error(def, args, n, err);
    cast_to[0] = cast_to[1] = *result = mdl_type_make(MDL_TYPE_STRING);
    return MDL_OK;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Whether the digits d[0..n) are at most the same-length-or-shorter decimal `max`. */
static bool digits_at_most(const char *d, size_t n, const char *max)
{
    size_t m = strlen(max);
    return n < m || (n == m && memcmp(d, max, n) <= 0);
}

/*
 * What json-c's strict mode lets through and RFC 8259 does not, checked on the text outside
 * strings: single-quoted strings, NaN and Infinity, and integer literals outside
 * int64/uint64 (which json-c would clamp silently). False when the text has one.
 */
static bool lexical_ok(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        char c = s[i];
        if (c == '"') {
            for (i++; i < len && s[i] != '"'; i++)
                if (s[i] == '\\')
                    i++;
            i++;
            continue;
        }
        if (c == '\'' || c == 'N' || c == 'I')
            return false;
        if (c != '-' && !is_digit(c)) {
            i++;
            continue;
        }
        bool neg = c == '-';
        size_t start = i + neg, j = start;
        while (j < len && is_digit(s[j]))
            j++;
        bool integer = !(j < len && (s[j] == '.' || s[j] == 'e' || s[j] == 'E'));
        if (integer && !digits_at_most(s + start, j - start,
                                       neg ? "9223372036854775808" : "18446744073709551615"))
            return false;
        while (j < len && (is_digit(s[j]) || s[j] == '.' || s[j] == 'e' || s[j] == 'E' ||
                           s[j] == '+' || s[j] == '-'))
            j++;
        i = j > i ? j : i + 1;
    }
    return true;
}

/* One step of a path; `name` is not NUL-terminated. */
typedef struct path_step {
    const char *name; /* NULL for an index */
    size_t len;
    size_t index;
} path_step;

/* Reads the step at p[*at..len) into *st; false when the path is malformed. */
static bool next_step(const char *p, size_t len, size_t *at, path_step *st)
{
    size_t i = *at;
    if (p[i] == '.') {
        i++;
        if (i < len && p[i] == '"') {
            const char *q = memchr(p + i + 1, '"', len - i - 1);
            if (q == NULL)
                return false;
            st->name = p + i + 1;
            st->len = (size_t)(q - st->name);
            i = (size_t)(q - p) + 1;
        } else {
            size_t s = i;
            while (i < len && p[i] != '.' && p[i] != '[')
                i++;
            if (i == s)
                return false;
            st->name = p + s;
            st->len = i - s;
        }
    } else if (p[i] == '[') {
        i++;
        if (i < len && p[i] == '\'') {
            const char *q = memchr(p + i + 1, '\'', len - i - 1);
            if (q == NULL || (size_t)(q - p) + 1 >= len || q[1] != ']')
                return false;
            st->name = p + i + 1;
            st->len = (size_t)(q - st->name);
            i = (size_t)(q - p) + 2;
        } else {
            size_t s = i, v = 0;
            for (; i < len && is_digit(p[i]); i++) {
                if (i - s >= 9)
                    return false; /* past any array json-c can hold */
                v = v * 10 + (size_t)(p[i] - '0');
            }
            if (i == s || i >= len || p[i] != ']')
                return false;
            st->name = NULL;
            st->index = v;
            i++;
        }
    } else {
        return false;
    }
    *at = i;
    return true;
}

/*
 * Walks the path from root; *found is the value (NULL for JSON null or nothing there).
 * Returns false when the path is malformed.
 */
static bool walk(struct json_object *root, mdl_strview path, struct json_object **found)
{
    const char *p = path.ptr;
    size_t len = path.len, at = 1;
    if (len == 0 || p[0] != '$')
        return false;
    struct json_object *cur = root;
    char key[256];
    while (at < len) {
        path_step st;
        if (!next_step(p, len, &at, &st))
            return false;
        if (cur == NULL)
            continue; /* keep checking the path's syntax */
        if (st.name != NULL) {
            struct json_object *next = NULL;
            if (st.len >= sizeof key || memchr(st.name, '\0', st.len) != NULL ||
                !json_object_is_type(cur, json_type_object)) {
                cur = NULL;
                continue;
            }
            memcpy(key, st.name, st.len);
            key[st.len] = '\0';
            cur = json_object_object_get_ex(cur, key, &next) ? next : NULL;
        } else {
            if (!json_object_is_type(cur, json_type_array) ||
                st.index >= json_object_array_length(cur))
                cur = NULL;
            else
                cur = json_object_array_get_idx(cur, st.index);
        }
    }
    *found = cur;
    return true;
}

static int write_string(mdl_buf *b, const char *s, size_t len, mdl_error *err)
{
    static const char hexd[] = "0123456789ABCDEF";
    int rc = mdl_buf_append(b, "\"", 1, err);
    size_t run = 0; /* start of the bytes not yet copied */
    for (size_t i = 0; rc == MDL_OK && i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        char esc[6] = {'\\', 0, '0', '0', hexd[c >> 4], hexd[c & 15]};
        size_t n = 2;
        switch (c) {
        case '"':
            esc[1] = '"';
            break;
        case '\\':
            esc[1] = '\\';
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc[1] = 'u';
            n = 6;
        }
        rc = mdl_buf_append(b, s + run, i - run, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append(b, esc, n, err);
        run = i + 1;
    }
    if (rc == MDL_OK)
        rc = mdl_buf_append(b, s + run, len - run, err);
    if (rc == MDL_OK)
        rc = mdl_buf_append(b, "\"", 1, err);
    return rc;
}

/* Compact JSON text of v (NULL is JSON null); depth is bounded by the tokener's limit. */
static int write_json(mdl_buf *b, struct json_object *v, mdl_error *err)
{
    int rc = MDL_OK;
    switch (json_object_get_type(v)) {
    case json_type_null:
        return mdl_buf_append(b, "null", 4, err);
    case json_type_string:
        return write_string(b, json_object_get_string(v), (size_t)json_object_get_string_len(v),
                            err);
    case json_type_object: {
        rc = mdl_buf_append(b, "{", 1, err);
        bool first = true;
        json_object_object_foreach(v, k, m)
        {
            if (rc == MDL_OK && !first)
                rc = mdl_buf_append(b, ",", 1, err);
            if (rc == MDL_OK)
                rc = write_string(b, k, strlen(k), err);
            if (rc == MDL_OK)
                rc = mdl_buf_append(b, ":", 1, err);
            if (rc == MDL_OK)
                rc = write_json(b, m, err);
            first = false;
        }
        return rc == MDL_OK ? mdl_buf_append(b, "}", 1, err) : rc;
    }
    case json_type_array: {
        rc = mdl_buf_append(b, "[", 1, err);
        size_t n = json_object_array_length(v);
        for (size_t i = 0; rc == MDL_OK && i < n; i++) {
            if (i)
                rc = mdl_buf_append(b, ",", 1, err);
            if (rc == MDL_OK)
                rc = write_json(b, json_object_array_get_idx(v, i), err);
        }
        return rc == MDL_OK ? mdl_buf_append(b, "]", 1, err) : rc;
    }
    default: {
        /* Booleans, integers (int64 or uint64) and doubles; a parsed double prints the text
         * it was read from. */
        size_t n = 0;
        const char *t = json_object_to_json_string_length(v, JSON_C_TO_STRING_PLAIN, &n);
        if (t == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory printing a JSON value");
        return mdl_buf_append(b, t, n, err);
    }
    }
}

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The value at `path` in `doc` appended to out (or a NULL). `text` is scratch for the
 * NUL-terminated copy of the document and the printed value.
 */
static int extract_one(mdl_ctx *ctx, const sql_bound *call, struct json_tokener *tok,
                       mdl_strview doc, mdl_strview path, mdl_buf *text, mdl_column *out,
                       mdl_error *err)
{
    struct json_object *root = NULL, *found = NULL;
    int rc = MDL_OK;
    bool value = false;
    if (doc.len >= INT_MAX || memchr(doc.ptr, '\0', doc.len) != NULL ||
        !lexical_ok(doc.ptr, doc.len))
        goto done;
    text->len = 0;
    rc = mdl_buf_append(text, doc.ptr, doc.len, err);
    if (rc == MDL_OK)
        rc = mdl_buf_terminate(text, err);
    if (rc != MDL_OK)
        goto done;
    json_tokener_reset(tok);
    /* len + 1: the NUL ends a top-level number and makes a cut-off text an error. */
    root = json_tokener_parse_ex(tok, text->data, (int)doc.len + 1);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    if (jerr == json_tokener_error_depth) {
        rc = mdl_sql__error(call, err, MDL_ERR_LIMIT,
                            "get_json_object: JSON nested deeper than the limit of %zu levels",
                            ctx->limits.max_json_depth);
        goto done;
    }
    if (jerr != json_tokener_success)
        goto done;
    for (size_t at = json_tokener_get_parse_end(tok); at < doc.len; at++)
        if (!is_json_space(doc.ptr[at]))
            goto done;
    if (!walk(root, path, &found) || found == NULL)
        goto done;
    value = true;
    text->len = 0;
    if (json_object_is_type(found, json_type_string)) {
        rc = mdl_column_append_string(ctx, out, json_object_get_string(found),
                                      (size_t)json_object_get_string_len(found), err);
    } else {
        rc = write_json(text, found, err);
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, text->data, text->len, err);
    }
done:
    json_object_put(root);
    if (rc == MDL_OK && !value)
        rc = mdl_column_append_null(ctx, out, err);
    return rc;
}

static int eval_get_json_object(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                                size_t n, mdl_column *out, mdl_error *err)
{
    size_t depth = ctx->limits.max_json_depth;
    struct json_tokener *tok = json_tokener_new_ex(depth > INT_MAX ? INT_MAX : (int)depth);
    if (tok == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory evaluating get_json_object");
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    mdl_buf text;
    mdl_buf_init(&text, ctx, 0);
    int rc = MDL_OK;
    for (size_t r = 0; rc == MDL_OK && r < n; r++)
        rc = extract_one(ctx, call, tok, mdl_column_str(args[0], r), mdl_column_str(args[1], r),
                         &text, out, err);
    mdl_buf_reset(&text);
    json_tokener_free(tok);
    return rc;
}

static const sql_func_def defs[] = {
    {{"get_json_object", eval_get_json_object, true}, 2, 2, resolve_json, 0},
};

const sql_func_table mdl_sql__funcs_json = {defs, sizeof defs / sizeof *defs};
