/*
 * sql_func_string.c - string functions, on UTF-8 characters (not bytes): lower, upper, trim,
 * ltrim, rtrim, substring, concat, length, replace, split_part, starts_with, regexp_matches,
 * regexp_replace (POSIX extended regular expressions from libc, not RE2: docs/sql.md lists
 * the differences), lpad, rpad.
 */
#include <locale.h>
#include <regex.h>
#include <string.h>

#include "sql/sql_func.h"

enum { F_LOWER, F_UPPER, F_TRIM, F_LTRIM, F_RTRIM };

/* ---- UTF-8 ------------------------------------------------------------------------------ */

static size_t u8_len1(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

static size_t u8_count(mdl_strview s)
{
    size_t n = 0;
    for (size_t i = 0; i < s.len; i++)
        n += ((unsigned char)s.ptr[i] & 0xC0) != 0x80;
    return n;
}

/* Byte offset of character k (clamped to the end). */
static size_t u8_offset(mdl_strview s, size_t k)
{
    size_t i = 0;
    while (k > 0 && i < s.len) {
        i += u8_len1((unsigned char)s.ptr[i]);
        k--;
    }
    return i < s.len ? i : s.len;
}

static uint32_t u8_decode(const char *p, size_t len1)
{
    const unsigned char *u = (const unsigned char *)p;
    switch (len1) {
    case 1:
        return u[0];
    case 2:
        return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    case 3:
        return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    default:
        return ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
               (u[3] & 0x3Fu);
    }
}

static size_t u8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* The letters of those blocks outside the regular runs: Greek with tonos and dialytika, final
 * sigma, micro sign, long s and the Turkish dotted/dotless i (Unicode simple mappings, as
 * DuckDB). */
static uint32_t upper_extra(uint32_t c)
{
    switch (c) {
    case 0xB5:
        return 0x39C; /* micro sign -> capital mu */
    case 0x131:
        return 'I'; /* dotless i */
    case 0x17F:
        return 'S'; /* long s */
    case 0x3C2:
        return 0x3A3; /* final sigma */
    case 0x3AC:
        return 0x386;
    case 0x3AD:
    case 0x3AE:
    case 0x3AF:
        return c - 37;
    case 0x3CA:
    case 0x3CB:
        return c - 32;
    case 0x3CC:
        return 0x38C;
    case 0x3CD:
    case 0x3CE:
        return c - 63;
    default:
        return c;
    }
}

static uint32_t lower_extra(uint32_t c)
{
    switch (c) {
    case 0x130:
        return 'i'; /* dotted capital I */
    case 0x386:
        return 0x3AC;
    case 0x388:
    case 0x389:
    case 0x38A:
        return c + 37;
    case 0x3AA:
    case 0x3AB:
        return c + 32;
    case 0x38C:
        return 0x3CC;
    case 0x38E:
    case 0x38F:
        return c + 63;
    default:
        return c;
    }
}

/* Case mapping for ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic (the letters that
 * change length in other scripts, like German sharp s, map to themselves). */
static uint32_t case_map(uint32_t c, bool upper)
{
    if (upper) {
        if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7) ||
            (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) || (c >= 0x430 && c <= 0x44F))
            return c - 32;
        if (c >= 0x450 && c <= 0x45F)
            return c - 80;
        if (c >= 0x100 && c <= 0x177 && (c & 1) && c != 0x131 && c != 0x138 && c != 0x149 &&
            !(c >= 0x139 && c <= 0x148))
            return c - 1;
        if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && !(c & 1))
            return c - 1;
        if (c == 0xFF)
            return 0x178;
        if (c == 0xDF) /* sharp s: capital sharp s, as DuckDB */
            return 0x1E9E;
        return upper_extra(c);
    }
    if (c == 0x1E9E)
        return 0xDF;
    if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
        (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F))
        return c + 32;
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;
    if (c >= 0x100 && c <= 0x177 && !(c & 1) && c != 0x130 && c != 0x138 &&
        !(c >= 0x139 && c <= 0x148))
        return c + 1;
    if (((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) && (c & 1))
        return c + 1;
    if (c == 0x178)
        return 0xFF;
    return lower_extra(c);
}

/* ---- resolvers -------------------------------------------------------------------------- */

/* Argument kinds: 's' string, 'i' integer (cast to int64), 'a' anything (formatted). */
static int resolve_sig(const sql_func_def *def, const sql_type *args, size_t n, const char *sig,
                       mdl_type result, mdl_type *res, mdl_type *cast_to, mdl_error *err)
{
    for (size_t i = 0; i < n; i++) {
        char k = sig[i < strlen(sig) ? i : strlen(sig) - 1];
        mdl_type_id t = args[i].t.id;
        if (k == 's') {
            if (!args[i].null_only && t != MDL_TYPE_STRING)
                return mdl_sql__arg_error(def, args, n, err);
            cast_to[i] = mdl_type_make(MDL_TYPE_STRING);
        } else if (k == 'i') {
            if (!args[i].null_only && !sql_is_int(t))
                return mdl_sql__arg_error(def, args, n, err);
            cast_to[i] = mdl_type_make(MDL_TYPE_INT64);
        } else {
            cast_to[i] = mdl_type_make(MDL_TYPE_STRING);
        }
    }
    *res = result;
    return MDL_OK;
}

static int resolve_str_str(const sql_func_def *def, const sql_type *args, size_t n,
                           mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    return resolve_sig(def, args, n, "s", mdl_type_make(MDL_TYPE_STRING), result, cast_to, err);
}
static int resolve_str_bool(const sql_func_def *def, const sql_type *args, size_t n,
                            mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    return resolve_sig(def, args, n, "s", mdl_type_make(MDL_TYPE_BOOLEAN), result, cast_to, err);
}
static int resolve_str_int(const sql_func_def *def, const sql_type *args, size_t n,
                           mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    return resolve_sig(def, args, n, "s", mdl_type_make(MDL_TYPE_INT64), result, cast_to, err);
}
static int resolve_substring(const sql_func_def *def, const sql_type *args, size_t n,
                             mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    return resolve_sig(def, args, n, "sii", mdl_type_make(MDL_TYPE_STRING), result, cast_to, err);
}
static int resolve_split_part(const sql_func_def *def, const sql_type *args, size_t n,
                              mdl_type *result, mdl_type *cast_to, mdl_error *err)
{
    return resolve_sig(def, args, n, "ssi", mdl_type_make(MDL_TYPE_STRING), result, cast_to, err);
}
static int resolve_pad(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                       mdl_type *cast_to, mdl_error *err)
{
    return resolve_sig(def, args, n, "sis", mdl_type_make(MDL_TYPE_STRING), result, cast_to, err);
}
static int resolve_concat(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                          mdl_type *cast_to, mdl_error *err)
{
    return resolve_sig(def, args, n, "a", mdl_type_make(MDL_TYPE_STRING), result, cast_to, err);
}

/* ---- implementations -------------------------------------------------------------------- */

static int eval_case_map(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                         size_t n, mdl_column *out, mdl_error *err)
{
    bool upper = sql_def(call)->op == F_UPPER;
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    int rc = MDL_OK;
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        mdl_strview s = mdl_column_str(args[0], r);
        b.len = 0;
        rc = mdl_buf_reserve(&b, s.len + 4, err);
        for (size_t i = 0; i < s.len && rc == MDL_OK;) {
            size_t l = u8_len1((unsigned char)s.ptr[i]);
            if (i + l > s.len)
                l = s.len - i;
            char enc[4];
            size_t el = u8_encode(case_map(u8_decode(s.ptr + i, l), upper), enc);
            rc = mdl_buf_append(&b, enc, el, err);
            i += l;
        }
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, b.data, b.len, err);
    }
    mdl_buf_reset(&b);
    return rc;
}

static bool in_set(mdl_strview set, const char *p, size_t l)
{
    for (size_t i = 0; i < set.len;) {
        size_t sl = u8_len1((unsigned char)set.ptr[i]);
        if (sl == l && memcmp(set.ptr + i, p, l) == 0)
            return true;
        i += sl;
    }
    return false;
}

static int eval_trim(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                     mdl_column *out, mdl_error *err)
{
    int op = sql_def(call)->op;
    for (size_t r = 0; r < n; r++) {
        mdl_strview s = mdl_column_str(args[0], r);
        mdl_strview set = call->num_args > 1 ? mdl_column_str(args[1], r) : mdl_sv_make(" ", 1);
        size_t a = 0, z = s.len;
        if (op != F_RTRIM)
            while (a < z) {
                size_t l = u8_len1((unsigned char)s.ptr[a]);
                if (!in_set(set, s.ptr + a, l))
                    break;
                a += l;
            }
        if (op != F_LTRIM)
            while (z > a) {
                size_t start = z - 1;
                while (start > a && ((unsigned char)s.ptr[start] & 0xC0) == 0x80)
                    start--;
                if (!in_set(set, s.ptr + start, z - start))
                    break;
                z = start;
            }
        int rc = mdl_column_append_string(ctx, out, s.ptr + a, z - a, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* substring(s, start[, length]): 1-based characters; start 0 or below 1 shortens the run as
 * the SQL standard says, a negative start counts from the end (DuckDB and Spark). */
static int eval_substring(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                          size_t n, mdl_column *out, mdl_error *err)
{
    for (size_t r = 0; r < n; r++) {
        mdl_strview s = mdl_column_str(args[0], r);
        int64_t count = (int64_t)u8_count(s);
        int64_t start = mdl_column_i64(args[1], r);
        int64_t len = call->num_args > 2 ? mdl_column_i64(args[2], r) : INT64_MAX / 4;
        if (start < 0)
            start = count + start + 1;
        if (len > INT64_MAX / 4)
            len = INT64_MAX / 4;
        if (len < -(INT64_MAX / 4))
            len = -(INT64_MAX / 4);
        if (start < -(INT64_MAX / 4))
            start = -(INT64_MAX / 4);
        if (start > INT64_MAX / 4)
            start = INT64_MAX / 4;
        /* A negative length takes the characters before `start` (DuckDB). */
        int64_t from = len < 0 ? start + len : start, to = len < 0 ? start : start + len;
        if (from < 1)
            from = 1; /* exclusive `to` */
        if (to > count + 1)
            to = count + 1;
        mdl_strview v = mdl_sv_make("", 0);
        if (to > from) {
            size_t a = u8_offset(s, (size_t)(from - 1)), z = u8_offset(s, (size_t)(to - 1));
            v = mdl_sv_make(s.ptr + a, z - a);
        }
        int rc = mdl_column_append_string(ctx, out, v.ptr, v.len, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

/* concat skips NULLs (DuckDB and Spark's concat_ws-like behaviour differ: Spark's concat is
 * NULL when any argument is; we follow DuckDB). */
static int eval_concat(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                       mdl_column *out, mdl_error *err)
{
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    int rc = MDL_OK;
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        b.len = 0;
        for (size_t i = 0; i < call->num_args && rc == MDL_OK; i++)
            if (!mdl_column_is_null(args[i], r)) {
                mdl_strview v = mdl_column_str(args[i], r);
                rc = mdl_buf_append(&b, v.ptr, v.len, err);
            }
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, b.data ? b.data : "", b.len, err);
    }
    mdl_buf_reset(&b);
    return rc;
}

static int eval_length(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                       mdl_column *out, mdl_error *err)
{
    (void)ctx, (void)call, (void)err;
    for (size_t r = 0; r < n; r++)
        ((int64_t *)out->values)[r] = (int64_t)u8_count(mdl_column_str(args[0], r));
    out->length = n;
    return MDL_OK;
}

static const char *find(mdl_strview s, size_t from, mdl_strview needle)
{
    if (needle.len == 0 || needle.len > s.len)
        return NULL;
    return memmem(s.ptr + from, s.len - from, needle.ptr, needle.len);
}

static int eval_replace(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                        size_t n, mdl_column *out, mdl_error *err)
{
    (void)call;
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    int rc = MDL_OK;
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        mdl_strview s = mdl_column_str(args[0], r), from = mdl_column_str(args[1], r),
                    to = mdl_column_str(args[2], r);
        b.len = 0;
        size_t pos = 0;
        const char *hit;
        while (rc == MDL_OK && pos <= s.len && (hit = find(s, pos, from)) != NULL) {
            rc = mdl_buf_append(&b, s.ptr + pos, (size_t)(hit - (s.ptr + pos)), err);
            if (rc == MDL_OK)
                rc = mdl_buf_append(&b, to.ptr, to.len, err);
            pos = (size_t)(hit - s.ptr) + from.len;
        }
        if (rc == MDL_OK)
            rc = mdl_buf_append(&b, s.ptr + pos, s.len - pos, err);
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, b.data ? b.data : "", b.len, err);
    }
    mdl_buf_reset(&b);
    return rc;
}

/* split_part(s, delimiter, index): 1-based, negative from the end, '' when out of range. */
static int eval_split_part(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                           size_t n, mdl_column *out, mdl_error *err)
{
    (void)call;
    for (size_t r = 0; r < n; r++) {
        mdl_strview s = mdl_column_str(args[0], r), d = mdl_column_str(args[1], r);
        int64_t idx = mdl_column_i64(args[2], r);
        if (d.len == 0) { /* an empty delimiter splits into characters (DuckDB) */
            size_t count = u8_count(s);
            if (idx < 0)
                idx = (int64_t)count + idx + 1;
            mdl_strview v = mdl_sv_make("", 0);
            if (idx >= 1 && (size_t)idx <= count) {
                size_t a = u8_offset(s, (size_t)idx - 1), z = u8_offset(s, (size_t)idx);
                v = mdl_sv_make(s.ptr + a, z - a);
            }
            int rc = mdl_column_append_string(ctx, out, v.ptr, v.len, err);
            if (rc != MDL_OK)
                return rc;
            continue;
        }
        size_t parts = 1;
        if (d.len)
            for (const char *h = find(s, 0, d); h; h = find(s, (size_t)(h - s.ptr) + d.len, d))
                parts++;
        if (idx < 0)
            idx = (int64_t)parts + idx + 1;
        mdl_strview v = mdl_sv_make("", 0);
        if (idx >= 1 && (size_t)idx <= parts) {
            size_t start = 0;
            for (int64_t k = 1; k < idx; k++)
                start = (size_t)(find(s, start, d) - s.ptr) + d.len;
            const char *end = d.len ? find(s, start, d) : NULL;
            v = mdl_sv_make(s.ptr + start, end ? (size_t)(end - (s.ptr + start)) : s.len - start);
        }
        int rc = mdl_column_append_string(ctx, out, v.ptr, v.len, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static int eval_starts_with(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                            size_t n, mdl_column *out, mdl_error *err)
{
    (void)ctx, (void)call, (void)err;
    for (size_t r = 0; r < n; r++) {
        mdl_strview s = mdl_column_str(args[0], r), p = mdl_column_str(args[1], r);
        ((uint8_t *)out->values)[r] = p.len <= s.len && memcmp(s.ptr, p.ptr, p.len) == 0;
    }
    out->length = n;
    return MDL_OK;
}

/* lpad/rpad(s, length, fill): to `length` characters, truncating longer strings. */
static int eval_pad(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                    mdl_column *out, mdl_error *err)
{
    bool left = strcmp(call->fn->name, "lpad") == 0;
    mdl_buf b;
    mdl_buf_init(&b, ctx, ctx->limits.max_field_bytes ? ctx->limits.max_field_bytes : SIZE_MAX);
    int rc = MDL_OK;
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        mdl_strview s = mdl_column_str(args[0], r), f = mdl_column_str(args[2], r);
        int64_t want = mdl_column_i64(args[1], r);
        size_t have = u8_count(s), fill_chars = u8_count(f);
        b.len = 0;
        if (want < 0)
            want = 0;
        if ((size_t)want <= have) {
            rc = mdl_buf_append(&b, s.ptr, u8_offset(s, (size_t)want), err);
        } else if (fill_chars == 0) {
            rc = mdl_sql__error(call, err, MDL_ERR_RANGE, "%s: the fill string is empty",
                                call->fn->name);
        } else {
            size_t pad = (size_t)want - have;
            if (!left)
                rc = mdl_buf_append(&b, s.ptr, s.len, err);
            for (size_t k = 0; k < pad && rc == MDL_OK; k += fill_chars) {
                size_t take = pad - k < fill_chars ? pad - k : fill_chars;
                rc = mdl_buf_append(&b, f.ptr, u8_offset(f, take), err);
            }
            if (left && rc == MDL_OK)
                rc = mdl_buf_append(&b, s.ptr, s.len, err);
        }
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, b.data ? b.data : "", b.len, err);
    }
    mdl_buf_reset(&b);
    return rc;
}

/* ---- regular expressions ---------------------------------------------------------------- */

/*
 * POSIX regex in the "C" locale works on bytes, so '.' or [à-ü] would split UTF-8 characters.
 * The regex calls run under a thread-local C.UTF-8 locale (uselocale; the process locale is
 * untouched); where that locale is missing they fall back to bytes.
 */
typedef struct utf8_locale {
    locale_t loc, old;
} utf8_locale;

static void utf8_locale_enter(utf8_locale *l)
{
    l->loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    l->old = l->loc != (locale_t)0 ? uselocale(l->loc) : (locale_t)0;
}

static void utf8_locale_leave(utf8_locale *l)
{
    if (l->loc != (locale_t)0) {
        uselocale(l->old);
        freelocale(l->loc);
    }
}

typedef struct regex_cache {
    mdl_ctx *ctx;
    regex_t re;
    bool compiled;
    char *pattern; /* the source of `re` */
    size_t pattern_len;
    int flags;
} regex_cache;

static void regex_cache_reset(regex_cache *c)
{
    if (c->compiled)
        regfree(&c->re);
    mdl_free(c->ctx, c->pattern);
    c->compiled = false;
    c->pattern = NULL;
}

/* Flags: 'i' case-insensitive, 'c' case-sensitive, 'g' global (regexp_replace), 's'/'n' as
 * in DuckDB are accepted and ignored (POSIX '.' matches newlines anyway). */
static int regex_get(regex_cache *c, const sql_bound *call, mdl_strview pat, int cflags,
                     mdl_error *err)
{
    if (c->compiled && c->flags == cflags && c->pattern_len == pat.len &&
        memcmp(c->pattern, pat.ptr, pat.len) == 0)
        return MDL_OK;
    regex_cache_reset(c);
    c->pattern = mdl_strndup(c->ctx, pat.ptr, pat.len);
    if (c->pattern == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory compiling a regular expression");
    c->pattern_len = pat.len;
    c->flags = cflags;
    int e = regcomp(&c->re, c->pattern, cflags);
    if (e != 0) {
        char msg[128];
        regerror(e, &c->re, msg, sizeof msg);
        return mdl_sql__error(call, err, MDL_ERR_PARSE, "%s: bad regular expression '%s': %s",
                              call->fn->name, c->pattern, msg);
    }
    c->compiled = true;
    return MDL_OK;
}

static int parse_flags(const sql_bound *call, const mdl_column *const *args, size_t i, size_t r,
                       int *cflags, bool *global, mdl_error *err)
{
    *cflags = REG_EXTENDED;
    *global = false;
    if (call->num_args <= i)
        return MDL_OK;
    mdl_strview f = mdl_column_str(args[i], r);
    for (size_t k = 0; k < f.len; k++) {
        switch (f.ptr[k]) {
        case 'i':
            *cflags |= REG_ICASE;
            break;
        case 'c':
            *cflags &= ~REG_ICASE;
            break;
        case 'g':
            *global = true;
            break;
        case 's':
        case 'n':
        case 'l':
            break;
        default:
            return mdl_sql__error(call, err, MDL_ERR_UNSUPPORTED, "%s: unknown flag '%c'",
                                  call->fn->name, f.ptr[k]);
        }
    }
    return MDL_OK;
}

static int eval_regexp_matches(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                               size_t n, mdl_column *out, mdl_error *err)
{
    regex_cache c = {.ctx = ctx};
    mdl_buf b;
    mdl_buf_init(&b, ctx, SIZE_MAX);
    int rc = MDL_OK;
    utf8_locale loc;
    utf8_locale_enter(&loc);
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        int cflags;
        bool global;
        rc = parse_flags(call, args, 2, r, &cflags, &global, err);
        if (rc == MDL_OK)
            rc = regex_get(&c, call, mdl_column_str(args[1], r), cflags | REG_NOSUB, err);
        mdl_strview s = mdl_column_str(args[0], r);
        b.len = 0;
        if (rc == MDL_OK)
            rc = mdl_buf_append(&b, s.ptr, s.len, err);
        if (rc == MDL_OK)
            rc = mdl_buf_terminate(&b, err);
        if (rc == MDL_OK)
            ((uint8_t *)out->values)[r] = regexec(&c.re, b.data, 0, NULL, 0) == 0;
    }
    out->length = n;
    regex_cache_reset(&c);
    utf8_locale_leave(&loc);
    mdl_buf_reset(&b);
    return rc;
}

/* Appends the replacement with \0..\9 group references. */
static int append_replacement(mdl_buf *b, mdl_strview repl, const char *subject,
                              const regmatch_t *m, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; i < repl.len && rc == MDL_OK; i++) {
        if (repl.ptr[i] == '\\' && i + 1 < repl.len && repl.ptr[i + 1] >= '0' &&
            repl.ptr[i + 1] <= '9') {
            int g = repl.ptr[++i] - '0';
            if (m[g].rm_so >= 0)
                rc =
                    mdl_buf_append(b, subject + m[g].rm_so, (size_t)(m[g].rm_eo - m[g].rm_so), err);
        } else if (repl.ptr[i] == '\\' && i + 1 < repl.len && repl.ptr[i + 1] == '\\') {
            rc = mdl_buf_append(b, "\\", 1, err);
            i++;
        } else {
            rc = mdl_buf_append(b, repl.ptr + i, 1, err);
        }
    }
    return rc;
}

static int eval_regexp_replace(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args,
                               size_t n, mdl_column *out, mdl_error *err)
{
    regex_cache c = {.ctx = ctx};
    mdl_buf subj, res;
    mdl_buf_init(&subj, ctx, SIZE_MAX);
    mdl_buf_init(&res, ctx, SIZE_MAX);
    int rc = MDL_OK;
    utf8_locale loc;
    utf8_locale_enter(&loc);
    for (size_t r = 0; r < n && rc == MDL_OK; r++) {
        int cflags;
        bool global;
        rc = parse_flags(call, args, 3, r, &cflags, &global, err);
        if (rc == MDL_OK)
            rc = regex_get(&c, call, mdl_column_str(args[1], r), cflags, err);
        mdl_strview s = mdl_column_str(args[0], r), repl = mdl_column_str(args[2], r);
        subj.len = res.len = 0;
        if (rc == MDL_OK)
            rc = mdl_buf_append(&subj, s.ptr, s.len, err);
        if (rc == MDL_OK)
            rc = mdl_buf_terminate(&subj, err);
        size_t pos = 0;
        while (rc == MDL_OK && pos <= s.len) {
            regmatch_t m[10];
            int eflags = pos > 0 ? REG_NOTBOL : 0;
            if (regexec(&c.re, subj.data + pos, 10, m, eflags) != 0)
                break;
            rc = mdl_buf_append(&res, subj.data + pos, (size_t)m[0].rm_so, err);
            if (rc == MDL_OK)
                rc = append_replacement(&res, repl, subj.data + pos, m, err);
            size_t adv = (size_t)m[0].rm_eo;
            if (m[0].rm_eo == m[0].rm_so) { /* empty match: keep one character and move on */
                if (pos + adv < s.len && rc == MDL_OK) {
                    size_t l = u8_len1((unsigned char)subj.data[pos + adv]);
                    rc = mdl_buf_append(&res, subj.data + pos + adv, l, err);
                    adv += l;
                } else {
                    pos += adv + 1;
                    break;
                }
            }
            pos += adv;
            if (!global)
                break;
        }
        if (rc == MDL_OK && pos < s.len)
            rc = mdl_buf_append(&res, subj.data + pos, s.len - pos, err);
        if (rc == MDL_OK)
            rc = mdl_column_append_string(ctx, out, res.data ? res.data : "", res.len, err);
    }
    regex_cache_reset(&c);
    utf8_locale_leave(&loc);
    mdl_buf_reset(&subj);
    mdl_buf_reset(&res);
    return rc;
}

static const sql_func_def defs[] = {
    {{"lower", eval_case_map, true}, 1, 1, resolve_str_str, F_LOWER},
    {{"upper", eval_case_map, true}, 1, 1, resolve_str_str, F_UPPER},
    {{"trim", eval_trim, true}, 1, 2, resolve_str_str, F_TRIM},
    {{"ltrim", eval_trim, true}, 1, 2, resolve_str_str, F_LTRIM},
    {{"rtrim", eval_trim, true}, 1, 2, resolve_str_str, F_RTRIM},
    {{"substring", eval_substring, true}, 2, 3, resolve_substring, 0},
    {{"substr", eval_substring, true}, 2, 3, resolve_substring, 0},
    {{"concat", eval_concat, false}, 1, -1, resolve_concat, 0},
    {{"length", eval_length, true}, 1, 1, resolve_str_int, 0},
    {{"replace", eval_replace, true}, 3, 3, resolve_str_str, 0},
    {{"split_part", eval_split_part, true}, 3, 3, resolve_split_part, 0},
    {{"starts_with", eval_starts_with, true}, 2, 2, resolve_str_bool, 0},
    {{"regexp_matches", eval_regexp_matches, true}, 2, 3, resolve_str_bool, 0},
    {{"regexp_replace", eval_regexp_replace, true}, 3, 4, resolve_str_str, 0},
    {{"lpad", eval_pad, true}, 3, 3, resolve_pad, 0},
    {{"rpad", eval_pad, true}, 3, 3, resolve_pad, 0},
};

const sql_func_table mdl_sql__funcs_string = {defs, sizeof defs / sizeof *defs};
