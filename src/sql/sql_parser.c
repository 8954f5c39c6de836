/*
 * sql_parser.c - recursive-descent parser for the SQL dialect of docs/sql.md ("Syntax"): one
 * SELECT query (WITH, UNION ALL, joins, windows, ...) into the syntax tree of sql_ast.h.
 *
 * Expression precedence, loosest first, as in DuckDB and PostgreSQL:
 *   OR < AND < NOT < IS < comparisons (= <> < <= > >=) < BETWEEN IN LIKE < || < + - < * / %
 *   < unary + - < :: < primary
 * Errors point at the offending token: "SOURCE:LINE:COLUMN: expected X, found 'token'".
 * Constructs outside the dialect are MDL_ERR_UNSUPPORTED naming the construct; nesting deeper
 * than MDL_SQL_MAX_DEPTH and texts over MDL_SQL_MAX_QUERY_BYTES are MDL_ERR_LIMIT.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sql/sql_lexer.h"

typedef struct parser {
    mdl_ctx *ctx;
    sql_ast *ast;
    const char *source;
    sql_token *toks; /* all tokens, the last one SQL_TOK_EOF */
    size_t ntoks, i;
    size_t depth;
    size_t implicit_alias; /* index + 1 of the last alias written without AS, or 0 */
    mdl_error *err;
    int rc;
} parser;

/* Words that cannot be a column, a table or an alias written without quotes. */
static const char *const reserved[] = {
    "all",    "and",       "as",       "asc",   "between",  "by",     "case",    "cast",
    "cross",  "desc",      "distinct", "else",  "end",      "escape", "except",  "exists",
    "false",  "from",      "full",     "glob",  "group",    "having", "ilike",   "in",
    "inner",  "intersect", "is",       "join",  "lateral",  "left",   "like",    "limit",
    "minus",  "natural",   "not",      "null",  "nulls",    "offset", "on",      "or",
    "order",  "outer",     "over",     "pivot", "qualify",  "regexp", "right",   "rlike",
    "select", "similar",   "then",     "true",  "try_cast", "union",  "unpivot", "using",
    "when",   "where",     "window",   "with",
};

/* Keywords offered as "did you mean" for a misspelled word. */
static const char *const suggestable[] = {
    "select",   "from",    "where", "group",  "having",    "order",     "limit",     "offset",
    "union",    "join",    "inner", "left",   "right",     "full",      "outer",     "cross",
    "distinct", "between", "like",  "exists", "partition", "preceding", "following", "unbounded",
    "current",  "case",    "when",  "then",   "else",      "cast",      "nulls",     "first",
    "last",     "desc",    "over",  "with",   "interval",  "escape",    "null",      "true",
    "false",    "and",     "not",   "rows",   "range",     "between",
};

static bool is_reserved(const sql_token *t)
{
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (mdl_sql__tok_is(t, reserved[i]))
            return true;
    return false;
}

/* ---- tokens and errors --------------------------------------------------------------------- */

static const sql_token *cur(const parser *p)
{
    return &p->toks[p->i];
}

static const sql_token *ahead(const parser *p, size_t k)
{
    return p->i + k < p->ntoks ? &p->toks[p->i + k] : &p->toks[p->ntoks - 1];
}

static void next(parser *p)
{
    if (p->i + 1 < p->ntoks)
        p->i++;
}

static bool is(const parser *p, const char *kw)
{
    return mdl_sql__tok_is(cur(p), kw);
}

static bool accept(parser *p, const char *kw)
{
    if (!is(p, kw))
        return false;
    next(p);
    return true;
}

static bool accept_tok(parser *p, sql_tok_kind k)
{
    if (cur(p)->kind != k)
        return false;
    next(p);
    return true;
}

static const char *src(const parser *p)
{
    return p->source != NULL ? p->source : "query";
}

/* How a token reads in a message: 'text' (shortened) or "end of input". */
static void describe(const sql_token *t, char *buf, size_t cap)
{
    if (t->kind == SQL_TOK_EOF) {
        snprintf(buf, cap, "end of input");
        return;
    }
    size_t n = t->len;
    const char *dots = "";
    if (n > 40) {
        n = 40;
        while (n > 0 && ((unsigned char)t->start[n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 character */
        dots = "...";
    }
    if (t->kind == SQL_TOK_STRING) /* already in quotes */
        snprintf(buf, cap, "%.*s%s", (int)n, t->start, dots);
    else
        snprintf(buf, cap, "'%.*s%s'", (int)n, t->start, dots);
}

/* Optimal string alignment distance between lower-cased `a` and keyword `b`, capped at 3. */
static size_t distance(const char *a, size_t na, const char *b)
{
    size_t nb = strlen(b);
    if (na > 16 || nb > 16 || (na > nb ? na - nb : nb - na) > 2)
        return 3;
    size_t d[17][17];
    for (size_t i = 0; i <= na; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= nb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= na; i++) {
        for (size_t j = 1; j <= nb; j++) {
            char ca = a[i - 1];
            if (ca >= 'A' && ca <= 'Z')
                ca = (char)(ca + 32);
            size_t cost = ca == b[j - 1] ? 0 : 1;
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && cost != 0) {
                char pa = a[i - 2];
                if (pa >= 'A' && pa <= 'Z')
                    pa = (char)(pa + 32);
                if (ca == b[j - 2] && pa == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                    v = d[i - 2][j - 2] + 1;
            }
            d[i][j] = v;
        }
    }
    return d[na][nb] < 3 ? d[na][nb] : 3;
}

/* A keyword the unquoted word `t` is probably a misspelling of, or NULL. */
static const char *suggest(const sql_token *t)
{
    if (t->kind != SQL_TOK_IDENT || t->len < 4 || is_reserved(t))
        return NULL;
    size_t limit = t->len >= 6 ? 2 : 1;
    for (size_t i = 0; i < sizeof suggestable / sizeof suggestable[0]; i++) {
        if (mdl_sql__tok_is(t, suggestable[i]))
            return NULL; /* a keyword, just in the wrong place */
    }
    for (size_t i = 0; i < sizeof suggestable / sizeof suggestable[0]; i++) {
        if (distance(t->start, t->len, suggestable[i]) <= limit)
            return suggestable[i];
    }
    return NULL;
}

static void upper(const char *kw, char *buf, size_t cap)
{
    size_t k = 0;
    for (; kw[k] && k + 1 < cap; k++)
        buf[k] = (char)(kw[k] >= 'a' && kw[k] <= 'z' ? kw[k] - 32 : kw[k]);
    buf[k] = '\0';
}

static void *fail_at(parser *p, int code, const sql_token *t, const char *fmt, ...)
    MDL_PRINTF(4, 5);
static void *fail_at(parser *p, int code, const sql_token *t, const char *fmt, ...)
{
    if (p->rc != MDL_OK)
        return NULL;
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    p->rc = mdl_error_set(p->err, code, "%s:%u:%u: %s", src(p), (unsigned)t->pos.line,
                          (unsigned)t->pos.column, what);
    return NULL;
}

/* "expected WHAT, found 'token'" at the current token, with a keyword suggestion if one fits. */
static void *expected(parser *p, const char *what)
{
    const sql_token *t = cur(p);
    char found[64], hint[48] = "", kw[24];
    /* `SELECT a FORM t`: FORM was taken for an alias, and the error shows at `t`. */
    if (p->implicit_alias != 0 && p->implicit_alias == p->i) {
        const sql_token *a = &p->toks[p->i - 1];
        const char *s = suggest(a);
        if (s != NULL) {
            upper(s, kw, sizeof kw);
            describe(a, found, sizeof found);
            return fail_at(p, MDL_ERR_PARSE, a, "expected %s, found %s (did you mean %s?)", what,
                           found, kw);
        }
    }
    const char *s = suggest(t);
    if (s != NULL) {
        upper(s, kw, sizeof kw);
        snprintf(hint, sizeof hint, " (did you mean %s?)", kw);
    }
    describe(t, found, sizeof found);
    return fail_at(p, MDL_ERR_PARSE, t, "expected %s, found %s%s", what, found, hint);
}

static void *unsupported(parser *p, const sql_token *t, const char *what)
{
    return fail_at(p, MDL_ERR_UNSUPPORTED, t, "%s is not supported", what);
}

static void *unsupported_hint(parser *p, const sql_token *t, const char *what, const char *hint)
{
    return fail_at(p, MDL_ERR_UNSUPPORTED, t, "%s is not supported (%s)", what, hint);
}

static void *nomem(parser *p)
{
    if (p->rc == MDL_OK)
        p->rc = mdl_error_set(p->err, MDL_ERR_NOMEM, "%s: out of memory while parsing", src(p));
    return NULL;
}

static bool expect_tok(parser *p, sql_tok_kind k, const char *what)
{
    if (accept_tok(p, k))
        return true;
    expected(p, what);
    return false;
}

static bool expect_kw(parser *p, const char *kw)
{
    if (accept(p, kw))
        return true;
    char buf[32];
    upper(kw, buf, sizeof buf);
    const sql_token *t = cur(p);
    char found[64];
    describe(t, found, sizeof found);
    if (t->kind == SQL_TOK_IDENT && !mdl_sql__tok_is(t, kw) &&
        distance(t->start, t->len, kw) <= (strlen(kw) >= 6 ? 2 : 1) && !is_reserved(t))
        fail_at(p, MDL_ERR_PARSE, t, "expected %s, found %s (did you mean %s?)", buf, found, buf);
    else
        expected(p, buf);
    return false;
}

static bool enter(parser *p)
{
    if (++p->depth > MDL_SQL_MAX_DEPTH) {
        fail_at(p, MDL_ERR_LIMIT, cur(p), "expression nested deeper than %d levels",
                MDL_SQL_MAX_DEPTH);
        return false;
    }
    return true;
}

/* ---- building ------------------------------------------------------------------------------ */

static void *alloc(parser *p, size_t size)
{
    void *v = mdl_sql__ast_alloc(p->ast, size);
    if (v == NULL)
        nomem(p);
    return v;
}

/* Appends *elem to a growing array in the arena (old blocks stay until the tree is freed). */
static bool push(parser *p, void *arrp, size_t *n, size_t *cap, size_t elsize, const void *elem)
{
    char **arr = arrp;
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4, bytes;
        if (!mdl_size_mul(ncap, elsize, &bytes)) {
            nomem(p);
            return false;
        }
        char *grown = alloc(p, bytes);
        if (grown == NULL)
            return false;
        if (*n > 0)
            memcpy(grown, *arr, *n * elsize);
        *arr = grown;
        *cap = ncap;
    }
    memcpy(*arr + *n * elsize, elem, elsize);
    (*n)++;
    return true;
}

/* An identifier's name: lower-cased unless it was "quoted" ("" inside stands for "). */
static const char *ident_text(parser *p, const sql_token *t)
{
    char *s;
    if (t->kind == SQL_TOK_QIDENT) {
        s = alloc(p, t->len);
        if (s == NULL)
            return NULL;
        size_t k = 0;
        for (size_t j = 1; j + 1 < t->len; j++) {
            s[k++] = t->start[j];
            if (t->start[j] == '"')
                j++;
        }
        s[k] = '\0';
        return s;
    }
    s = mdl_sql__ast_strndup(p->ast, t->start, t->len);
    if (s == NULL)
        return nomem(p);
    for (char *c = s; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c + 32);
    return s;
}

static bool is_name(const sql_token *t)
{
    return t->kind == SQL_TOK_QIDENT || (t->kind == SQL_TOK_IDENT && !is_reserved(t));
}

/* A name where one is required: "expected WHAT" otherwise. */
static const char *name(parser *p, const char *what)
{
    if (!is_name(cur(p)))
        return expected(p, what);
    const char *s = ident_text(p, cur(p));
    next(p);
    return s;
}

/* [AS] alias, or NULL without one (p->rc tells an error). */
static const char *opt_alias(parser *p)
{
    if (accept(p, "as"))
        return name(p, "an alias");
    if (!is_name(cur(p)))
        return NULL;
    /* Words that start a refused construct are not taken for an alias (FROM t ASOF JOIN u). */
    static const char *const not_alias[] = {"asof", "positional", "semi", "anti", "tablesample"};
    for (size_t k = 0; k < sizeof not_alias / sizeof not_alias[0]; k++)
        if (is(p, not_alias[k]))
            return NULL;
    if (cur(p)->kind == SQL_TOK_IDENT)
        p->implicit_alias = p->i + 1;
    return name(p, "an alias");
}

static sql_expr_ast *node(parser *p, sql_expr_kind kind, const sql_token *at)
{
    sql_expr_ast *e = alloc(p, sizeof *e);
    if (e != NULL) {
        e->kind = kind;
        e->pos = at->pos;
    }
    return e;
}

static bool set_args(parser *p, sql_expr_ast *e, size_t n, sql_expr_ast *a, sql_expr_ast *b,
                     sql_expr_ast *c)
{
    e->args = alloc(p, n * sizeof *e->args);
    if (e->args == NULL)
        return false;
    sql_expr_ast *v[3] = {a, b, c};
    for (size_t k = 0; k < n; k++)
        e->args[k] = v[k];
    e->num_args = n;
    return true;
}

static bool parse_i64(const sql_token *t, int64_t *out)
{
    if (t->kind != SQL_TOK_INTEGER)
        return false;
    int64_t v = 0;
    for (size_t k = 0; k < t->len; k++) {
        if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, t->start[k] - '0', &v))
            return false;
    }
    *out = v;
    return true;
}

/* A non-negative integer literal (LIMIT, OFFSET, frame offsets). */
static bool integer(parser *p, int64_t *out, const char *what)
{
    if (cur(p)->kind != SQL_TOK_INTEGER) {
        expected(p, what);
        return false;
    }
    if (!parse_i64(cur(p), out)) {
        char found[64];
        describe(cur(p), found, sizeof found);
        fail_at(p, MDL_ERR_PARSE, cur(p), "%s %s is out of range (at most %lld)", what, found,
                (long long)INT64_MAX);
        return false;
    }
    next(p);
    return true;
}

/* ---- expressions --------------------------------------------------------------------------- */

static sql_expr_ast *parse_expr(parser *p);
static sql_query *parse_query(parser *p);
static sql_expr_ast *parse_concat(parser *p);
static sql_expr_ast *parse_cmp(parser *p);

static bool starts_query(const parser *p, size_t k)
{
    const sql_token *t = ahead(p, k);
    return mdl_sql__tok_is(t, "select") || mdl_sql__tok_is(t, "with");
}

/* ( query ) after the current '(' */
static sql_query *paren_query(parser *p)
{
    if (!expect_tok(p, SQL_TOK_LPAREN, "'('"))
        return NULL;
    sql_query *q = parse_query(p);
    if (q == NULL || !expect_tok(p, SQL_TOK_RPAREN, "')'"))
        return NULL;
    return q;
}

/* A type name of CAST or :: (docs/sql.md lists the spellings). */
static bool parse_type(parser *p, mdl_type *out, const char **text)
{
    static const struct {
        const char *name;
        mdl_type_id id;
    } names[] = {
        {"boolean", MDL_TYPE_BOOLEAN},     {"bool", MDL_TYPE_BOOLEAN},
        {"int", MDL_TYPE_INT32},           {"integer", MDL_TYPE_INT32},
        {"int4", MDL_TYPE_INT32},          {"int32", MDL_TYPE_INT32},
        {"signed", MDL_TYPE_INT32},        {"bigint", MDL_TYPE_INT64},
        {"int8", MDL_TYPE_INT64},          {"int64", MDL_TYPE_INT64},
        {"long", MDL_TYPE_INT64},          {"double", MDL_TYPE_DOUBLE},
        {"float8", MDL_TYPE_DOUBLE},       {"float64", MDL_TYPE_DOUBLE},
        {"varchar", MDL_TYPE_STRING},      {"string", MDL_TYPE_STRING},
        {"text", MDL_TYPE_STRING},         {"date", MDL_TYPE_DATE},
        {"timestamp", MDL_TYPE_TIMESTAMP}, {"datetime", MDL_TYPE_TIMESTAMP},
        {"decimal", MDL_TYPE_DECIMAL},     {"numeric", MDL_TYPE_DECIMAL},
        {"dec", MDL_TYPE_DECIMAL},
    };
    static const char *const refused[] = {
        "float",       "float4", "real",     "smallint", "int2",      "tinyint",  "int1",
        "hugeint",     "int128", "ubigint",  "uinteger", "usmallint", "utinyint", "uhugeint",
        "timestamptz", "time",   "interval", "blob",     "bytea",     "binary",   "uuid",
        "json",        "list",   "map",      "struct",   "array",     "bit",      "char",
    };
    const sql_token *t = cur(p);
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        if (mdl_sql__tok_is(t, refused[k])) {
            char buf[64];
            upper(refused[k], buf, sizeof buf);
            if (k < 3)
                fail_at(p, MDL_ERR_UNSUPPORTED, t,
                        "type %s is not supported (single precision; use DOUBLE)", buf);
            else
                fail_at(p, MDL_ERR_UNSUPPORTED, t, "type %s is not supported", buf);
            return false;
        }
    }
    size_t k = 0;
    while (k < sizeof names / sizeof names[0] && !mdl_sql__tok_is(t, names[k].name))
        k++;
    if (k == sizeof names / sizeof names[0]) {
        expected(p, "a type name");
        return false;
    }
    next(p);
    *out = mdl_type_make(names[k].id);
    *text = mdl_type_name(names[k].id);
    if (names[k].id == MDL_TYPE_DOUBLE && mdl_sql__tok_is(t, "double"))
        accept(p, "precision");
    if (names[k].id == MDL_TYPE_TIMESTAMP && (is(p, "with") || is(p, "without"))) {
        unsupported(p, cur(p), "TIMESTAMP WITH/WITHOUT TIME ZONE");
        return false;
    }
    if (names[k].id == MDL_TYPE_DECIMAL) {
        const sql_token *at = cur(p);
        int64_t prec, scale = 0;
        if (at->kind != SQL_TOK_LPAREN) {
            fail_at(p, MDL_ERR_UNSUPPORTED, t,
                    "DECIMAL without a precision is not supported (DuckDB and Spark SQL default "
                    "differently): write DECIMAL(p,s)");
            return false;
        }
        next(p);
        at = cur(p);
        if (!integer(p, &prec, "a precision"))
            return false;
        if (accept_tok(p, SQL_TOK_COMMA) && !integer(p, &scale, "a scale"))
            return false;
        if (!expect_tok(p, SQL_TOK_RPAREN, "')'"))
            return false;
        if (prec < 1 || prec > 38 || scale > prec) {
            fail_at(
                p, MDL_ERR_PARSE, at,
                "DECIMAL(%lld,%lld) is not a decimal type (precision 1..38, scale 0..precision)",
                (long long)prec, (long long)scale);
            return false;
        }
        *out = mdl_type_decimal((int)prec, (int)scale);
        *text = "decimal";
    } else if (cur(p)->kind == SQL_TOK_LPAREN) {
        unsupported(p, cur(p), "a length or parameters on this type");
        return false;
    }
    return true;
}

static sql_expr_ast *make_cast(parser *p, const sql_token *at, sql_expr_ast *x, bool try_cast)
{
    sql_expr_ast *e = node(p, SQL_AST_CAST, at);
    if (e == NULL || !set_args(p, e, 1, x, NULL, NULL))
        return NULL;
    e->try_cast = try_cast;
    if (!parse_type(p, &e->cast_type, &e->text))
        return NULL;
    e->text_len = strlen(e->text);
    return e;
}

static bool parse_order_list(parser *p, sql_order_item **items, size_t *n)
{
    size_t cap = 0;
    do {
        sql_order_item o = {0};
        o.expr = parse_expr(p);
        if (o.expr == NULL)
            return false;
        if (accept(p, "desc"))
            o.desc = true;
        else
            accept(p, "asc");
        if (accept(p, "nulls")) {
            if (accept(p, "first")) {
                o.nulls = 1;
            } else if (accept(p, "last")) {
                o.nulls = 2;
            } else {
                expected(p, "FIRST or LAST");
                return false;
            }
        }
        if (!push(p, items, n, &cap, sizeof o, &o))
            return false;
    } while (accept_tok(p, SQL_TOK_COMMA));
    return true;
}

static bool parse_bound(parser *p, sql_frame_bound *b, int64_t *n)
{
    if (accept(p, "unbounded")) {
        if (accept(p, "preceding"))
            *b = SQL_FRAME_UNBOUNDED_PRECEDING;
        else if (accept(p, "following"))
            *b = SQL_FRAME_UNBOUNDED_FOLLOWING;
        else
            return expected(p, "PRECEDING or FOLLOWING"), false;
        return true;
    }
    if (accept(p, "current")) {
        *b = SQL_FRAME_CURRENT_ROW;
        return expect_kw(p, "row");
    }
    if (cur(p)->kind != SQL_TOK_INTEGER)
        return expected(p, "UNBOUNDED, CURRENT ROW or an integer"), false;
    if (!integer(p, n, "a frame offset"))
        return false;
    if (accept(p, "preceding"))
        *b = SQL_FRAME_PRECEDING;
    else if (accept(p, "following"))
        *b = SQL_FRAME_FOLLOWING;
    else
        return expected(p, "PRECEDING or FOLLOWING"), false;
    return true;
}

/* OVER ( [PARTITION BY ..] [ORDER BY ..] [ROWS|RANGE frame] ) */
static sql_window *parse_window(parser *p)
{
    if (cur(p)->kind != SQL_TOK_LPAREN) {
        if (is_name(cur(p)))
            return unsupported(p, cur(p), "a named window (OVER name)");
        return expected(p, "'('");
    }
    next(p);
    sql_window *w = alloc(p, sizeof *w);
    if (w == NULL)
        return NULL;
    if (accept(p, "partition")) {
        if (!expect_kw(p, "by"))
            return NULL;
        size_t cap = 0;
        do {
            sql_expr_ast *e = parse_expr(p);
            if (e == NULL || !push(p, &w->partition, &w->num_partition, &cap, sizeof e, &e))
                return NULL;
        } while (accept_tok(p, SQL_TOK_COMMA));
    }
    if (accept(p, "order")) {
        if (!expect_kw(p, "by") || !parse_order_list(p, &w->order, &w->num_order))
            return NULL;
    }
    if (is(p, "groups"))
        return unsupported(p, cur(p), "a GROUPS window frame");
    if (is(p, "rows") || is(p, "range")) {
        const sql_token *kind = cur(p);
        w->has_frame = true;
        w->frame_rows = is(p, "rows");
        next(p);
        const sql_token *start = cur(p), *end = NULL;
        if (accept(p, "between")) {
            if (!parse_bound(p, &w->start, &w->start_n) || !expect_kw(p, "and"))
                return NULL;
            end = cur(p);
            if (!parse_bound(p, &w->end, &w->end_n))
                return NULL;
            if (w->end == SQL_FRAME_UNBOUNDED_PRECEDING)
                return fail_at(p, MDL_ERR_PARSE, end, "a frame cannot end at UNBOUNDED PRECEDING");
        } else {
            if (!parse_bound(p, &w->start, &w->start_n))
                return NULL;
            w->end = SQL_FRAME_CURRENT_ROW;
            if (w->start == SQL_FRAME_FOLLOWING)
                return fail_at(p, MDL_ERR_PARSE, start,
                               "a frame cannot end before its start (ROWS n FOLLOWING ends at "
                               "CURRENT ROW)");
        }
        if (w->start == SQL_FRAME_UNBOUNDED_FOLLOWING)
            return fail_at(p, MDL_ERR_PARSE, start, "a frame cannot start at UNBOUNDED FOLLOWING");
        if (end != NULL && w->end < w->start) /* e.g. CURRENT ROW AND 1 PRECEDING (as DuckDB) */
            return fail_at(p, MDL_ERR_PARSE, end, "a frame cannot end before its start");
        if (is(p, "exclude"))
            return unsupported(p, cur(p), "EXCLUDE in a window frame");
        /* RANGE: only the frames whose rows do not depend on ORDER BY values. UNBOUNDED
         * PRECEDING to CURRENT ROW is the default frame (through the current row's last peer);
         * to UNBOUNDED FOLLOWING is the whole partition, as the ROWS frame. */
        if (!w->frame_rows) {
            if (w->start != SQL_FRAME_UNBOUNDED_PRECEDING ||
                (w->end != SQL_FRAME_CURRENT_ROW && w->end != SQL_FRAME_UNBOUNDED_FOLLOWING))
                return unsupported_hint(
                    p, kind, "a RANGE frame with an offset or starting at CURRENT ROW",
                    "RANGE frames may only start at UNBOUNDED PRECEDING; write ROWS");
            if (w->end == SQL_FRAME_UNBOUNDED_FOLLOWING)
                w->frame_rows = true;
        }
    }
    if (!expect_tok(p, SQL_TOK_RPAREN, "')'"))
        return NULL;
    return w;
}

/* name ( [DISTINCT] args | * ) [OVER (...)]; the current token is the name. */
static sql_expr_ast *parse_call(parser *p)
{
    const sql_token *at = cur(p);
    sql_expr_ast *e = node(p, SQL_AST_FUNCTION, at);
    if (e == NULL || (e->text = ident_text(p, at)) == NULL)
        return NULL;
    e->text_len = strlen(e->text);
    next(p);
    next(p); /* ( */
    size_t cap = 0;
    if (cur(p)->kind == SQL_TOK_STAR) {
        sql_expr_ast *s = node(p, SQL_AST_STAR, cur(p));
        if (s == NULL || !push(p, &e->args, &e->num_args, &cap, sizeof s, &s))
            return NULL;
        e->star = true;
        next(p);
    } else if (cur(p)->kind != SQL_TOK_RPAREN) {
        if (accept(p, "distinct"))
            e->distinct = true;
        else
            accept(p, "all");
        do {
            sql_expr_ast *a = parse_expr(p);
            if (a == NULL || !push(p, &e->args, &e->num_args, &cap, sizeof a, &a))
                return NULL;
        } while (accept_tok(p, SQL_TOK_COMMA));
        if (is(p, "order"))
            return unsupported(p, cur(p), "ORDER BY inside a function call");
        if (is(p, "ignore") || is(p, "respect"))
            return unsupported(p, cur(p), "IGNORE/RESPECT NULLS");
    }
    if (!expect_tok(p, SQL_TOK_RPAREN, "')'"))
        return NULL;
    if (is(p, "filter") && ahead(p, 1)->kind == SQL_TOK_LPAREN)
        return unsupported(p, cur(p), "FILTER (WHERE ...) on an aggregate");
    if (is(p, "within") && mdl_sql__tok_is(ahead(p, 1), "group"))
        return unsupported(p, cur(p), "WITHIN GROUP");
    if (is(p, "ignore") || is(p, "respect"))
        return unsupported(p, cur(p), "IGNORE/RESPECT NULLS");
    if (accept(p, "over")) {
        e->window = parse_window(p);
        if (e->window == NULL)
            return NULL;
    }
    return e;
}

/* CASE [operand] WHEN .. THEN .. [ELSE ..] END; the current token is CASE. */
static sql_expr_ast *parse_case(parser *p)
{
    sql_expr_ast *e = node(p, SQL_AST_CASE, cur(p));
    if (e == NULL)
        return NULL;
    next(p);
    size_t cap = 0;
    if (!is(p, "when")) {
        sql_expr_ast *op = parse_expr(p);
        if (op == NULL || !push(p, &e->args, &e->num_args, &cap, sizeof op, &op))
            return NULL;
        e->case_has_operand = true;
    }
    if (!is(p, "when"))
        return expected(p, "WHEN");
    while (accept(p, "when")) {
        sql_expr_ast *w = parse_expr(p);
        if (w == NULL || !push(p, &e->args, &e->num_args, &cap, sizeof w, &w) ||
            !expect_kw(p, "then"))
            return NULL;
        sql_expr_ast *t = parse_expr(p);
        if (t == NULL || !push(p, &e->args, &e->num_args, &cap, sizeof t, &t))
            return NULL;
    }
    if (accept(p, "else")) {
        sql_expr_ast *x = parse_expr(p);
        if (x == NULL || !push(p, &e->args, &e->num_args, &cap, sizeof x, &x))
            return NULL;
        e->case_has_else = true;
    }
    if (!expect_kw(p, "end"))
        return NULL;
    return e;
}

/* The text of a 'string' token without quotes, '' as '. */
static char *string_text(parser *p, const sql_token *t, size_t *len)
{
    char *s = alloc(p, t->len);
    if (s == NULL)
        return NULL;
    size_t k = 0;
    for (size_t j = 1; j + 1 < t->len; j++) {
        s[k++] = t->start[j];
        if (t->start[j] == '\'')
            j++;
    }
    s[k] = '\0';
    *len = k;
    return s;
}

/* INTERVAL 'n' unit | INTERVAL n unit | INTERVAL 'n unit'; the current token is INTERVAL. */
static sql_expr_ast *parse_interval(parser *p)
{
    static const char *const units[] = {"year", "month", "week", "day", "hour", "minute", "second"};
    sql_expr_ast *e = node(p, SQL_AST_INTERVAL, cur(p));
    if (e == NULL)
        return NULL;
    next(p);
    const sql_token *v = cur(p);
    const char *num = v->start, *unit = NULL;
    size_t num_len = v->len, unit_len = 0;
    if (v->kind == SQL_TOK_STRING) {
        num = v->start + 1;
        num_len = v->len - 2;
        const char *sp = memchr(num, ' ', num_len);
        if (sp != NULL) {
            unit = sp + 1;
            unit_len = (size_t)(num + num_len - unit);
            num_len = (size_t)(sp - num);
        }
    }
    bool neg = num_len > 0 && num[0] == '-';
    int64_t n = 0;
    bool ok = num_len > (size_t)neg && num_len - (size_t)neg <= 18;
    for (size_t k = neg; ok && k < num_len; k++) {
        ok = num[k] >= '0' && num[k] <= '9';
        n = n * 10 + (num[k] - '0');
    }
    if (!ok) {
        char found[64];
        describe(v, found, sizeof found);
        return fail_at(p, MDL_ERR_PARSE, v, "expected an integer count in INTERVAL, found %s",
                       found);
    }
    e->interval_n = neg ? -n : n;
    next(p);
    sql_token ut = *cur(p);
    const sql_token *ut_at = cur(p);
    if (unit == NULL) {
        if (ut.kind != SQL_TOK_IDENT)
            return expected(p, "an INTERVAL unit (YEAR, MONTH, DAY, ...)");
        unit = ut.start;
        unit_len = ut.len;
    } else {
        ut.kind = SQL_TOK_IDENT;
        ut.start = unit;
        ut.len = unit_len;
        ut_at = v;
    }
    if (unit_len > 1 && (unit[unit_len - 1] == 's' || unit[unit_len - 1] == 'S'))
        ut.len = unit_len - 1; /* days -> day */
    ut.start = unit;
    for (size_t k = 0; k < sizeof units / sizeof units[0]; k++) {
        if (mdl_sql__tok_is(&ut, units[k]) ||
            (ut.len != unit_len && ut.len + 1 == strlen(units[k]) + 1 &&
             mdl_sql__tok_is(&(sql_token){SQL_TOK_IDENT, unit, unit_len, ut.pos}, units[k]))) {
            e->text = units[k];
            e->text_len = strlen(units[k]);
            if (ut_at != v)
                next(p);
            return e;
        }
    }
    if (ut_at == v)
        return fail_at(p, MDL_ERR_PARSE, v, "expected an INTERVAL unit (YEAR, MONTH, DAY, ...)");
    return expected(p, "an INTERVAL unit (YEAR, MONTH, DAY, ...)");
}

/* EXTRACT(part FROM x) -> extract('part', x); the current token is EXTRACT, then '('. */
static sql_expr_ast *parse_extract(parser *p)
{
    sql_expr_ast *e = node(p, SQL_AST_FUNCTION, cur(p));
    if (e == NULL)
        return NULL;
    e->text = "extract";
    e->text_len = 7;
    next(p);
    next(p);
    const sql_token *pt = cur(p);
    sql_expr_ast *part = node(p, SQL_AST_LITERAL, pt);
    if (part == NULL)
        return NULL;
    part->lit = SQL_LIT_STRING;
    if (pt->kind == SQL_TOK_STRING)
        part->text = string_text(p, pt, &part->text_len);
    else if ((part->text = ident_text(p, pt)) != NULL)
        part->text_len = strlen(part->text);
    if (part->text == NULL)
        return NULL;
    next(p);
    if (!expect_kw(p, "from"))
        return NULL;
    sql_expr_ast *x = parse_expr(p);
    if (x == NULL || !set_args(p, e, 2, part, x, NULL) || !expect_tok(p, SQL_TOK_RPAREN, "')'"))
        return NULL;
    return e;
}

static sql_expr_ast *literal(parser *p, sql_literal_kind kind, const sql_token *at)
{
    sql_expr_ast *e = node(p, SQL_AST_LITERAL, at);
    if (e != NULL)
        e->lit = kind;
    return e;
}

static sql_expr_ast *parse_primary(parser *p)
{
    const sql_token *t = cur(p);
    sql_expr_ast *e;
    switch (t->kind) {
    case SQL_TOK_INTEGER:
    case SQL_TOK_DECIMAL:
    case SQL_TOK_DOUBLE:
        e = literal(p,
                    t->kind == SQL_TOK_INTEGER   ? SQL_LIT_INTEGER
                    : t->kind == SQL_TOK_DECIMAL ? SQL_LIT_DECIMAL
                                                 : SQL_LIT_DOUBLE,
                    t);
        if (e == NULL || (e->text = mdl_sql__ast_strndup(p->ast, t->start, t->len)) == NULL)
            return nomem(p);
        e->text_len = t->len;
        next(p);
        return e;
    case SQL_TOK_STRING:
        e = literal(p, SQL_LIT_STRING, t);
        if (e == NULL || (e->text = string_text(p, t, &e->text_len)) == NULL)
            return NULL;
        next(p);
        return e;
    case SQL_TOK_LPAREN:
        if (starts_query(p, 1)) {
            e = node(p, SQL_AST_SUBQUERY, t);
            if (e == NULL || (e->query = paren_query(p)) == NULL)
                return NULL;
            return e;
        }
        next(p);
        e = parse_expr(p);
        if (e == NULL || !expect_tok(p, SQL_TOK_RPAREN, "')'"))
            return NULL;
        return e;
    case SQL_TOK_QIDENT:
    case SQL_TOK_IDENT:
        break;
    default:
        return expected(p, "an expression");
    }
    const sql_token *n1 = ahead(p, 1);
    if (t->kind == SQL_TOK_IDENT) {
        if (is(p, "null") || is(p, "true") || is(p, "false")) {
            e = literal(p, is(p, "null") ? SQL_LIT_NULL : SQL_LIT_BOOL, t);
            if (e == NULL)
                return NULL;
            e->bool_value = is(p, "true");
            next(p);
            return e;
        }
        if (is(p, "case"))
            return parse_case(p);
        if (is(p, "cast") || is(p, "try_cast")) {
            bool try_cast = is(p, "try_cast");
            next(p);
            if (!expect_tok(p, SQL_TOK_LPAREN, "'('"))
                return NULL;
            sql_expr_ast *x = parse_expr(p);
            if (x == NULL || !expect_kw(p, "as"))
                return NULL;
            e = make_cast(p, t, x, try_cast);
            if (e == NULL || !expect_tok(p, SQL_TOK_RPAREN, "')'"))
                return NULL;
            return e;
        }
        if (is(p, "exists")) {
            e = node(p, SQL_AST_EXISTS, t);
            next(p);
            if (e == NULL || (e->query = paren_query(p)) == NULL)
                return NULL;
            return e;
        }
        if ((is(p, "date") || is(p, "timestamp")) && n1->kind == SQL_TOK_STRING) {
            e = literal(p, is(p, "date") ? SQL_LIT_DATE : SQL_LIT_TIMESTAMP, t);
            if (e == NULL || (e->text = string_text(p, n1, &e->text_len)) == NULL)
                return NULL;
            next(p);
            next(p);
            return e;
        }
        if (is(p, "interval") && (n1->kind == SQL_TOK_STRING || n1->kind == SQL_TOK_INTEGER))
            return parse_interval(p);
        if (is(p, "extract") && n1->kind == SQL_TOK_LPAREN &&
            (ahead(p, 2)->kind == SQL_TOK_IDENT || ahead(p, 2)->kind == SQL_TOK_STRING) &&
            mdl_sql__tok_is(ahead(p, 3), "from"))
            return parse_extract(p);
        if ((is(p, "current_date") || is(p, "current_timestamp")) && n1->kind != SQL_TOK_LPAREN) {
            e = node(p, SQL_AST_FUNCTION, t);
            if (e == NULL || (e->text = ident_text(p, t)) == NULL)
                return NULL;
            e->text_len = strlen(e->text);
            next(p);
            return e;
        }
        if ((is(p, "left") || is(p, "right")) && n1->kind == SQL_TOK_LPAREN)
            return parse_call(p);
        if (is_reserved(t))
            return expected(p, "an expression");
        if (n1->kind == SQL_TOK_LPAREN)
            return parse_call(p);
    }
    /* column or qualifier.column */
    e = node(p, SQL_AST_COLUMN, t);
    if (e == NULL || (e->text = ident_text(p, t)) == NULL)
        return NULL;
    next(p);
    if (cur(p)->kind == SQL_TOK_DOT) {
        next(p);
        if (cur(p)->kind == SQL_TOK_STAR)
            return fail_at(p, MDL_ERR_PARSE, cur(p),
                           "expected a column name, found '*' (t.* is only a SELECT item)");
        e->qualifier = e->text;
        if ((e->text = name(p, "a column name")) == NULL)
            return NULL;
        if (cur(p)->kind == SQL_TOK_DOT)
            return unsupported(p, cur(p), "a column name with more than two parts");
    }
    e->text_len = strlen(e->text);
    return e;
}

/* primary (:: type)* */
static sql_expr_ast *parse_postfix(parser *p)
{
    sql_expr_ast *e = parse_primary(p);
    while (e != NULL && cur(p)->kind == SQL_TOK_COLONS) {
        const sql_token *at = cur(p);
        next(p);
        e = make_cast(p, at, e, false);
    }
    return e;
}

static sql_expr_ast *parse_unary(parser *p)
{
    const sql_token *t = cur(p);
    if (t->kind != SQL_TOK_MINUS && t->kind != SQL_TOK_PLUS)
        return parse_postfix(p);
    if (!enter(p))
        return NULL;
    next(p);
    sql_expr_ast *x = parse_unary(p);
    p->depth--;
    if (x == NULL)
        return NULL;
    sql_expr_ast *e = node(p, SQL_AST_UNARY, t);
    if (e == NULL || !set_args(p, e, 1, x, NULL, NULL))
        return NULL;
    e->op = t->kind == SQL_TOK_MINUS ? SQL_OP_NEG : SQL_OP_PLUS;
    return e;
}

static sql_op binary_op(sql_tok_kind k)
{
    switch (k) {
    case SQL_TOK_STAR:
        return SQL_OP_MUL;
    case SQL_TOK_SLASH:
        return SQL_OP_DIV;
    case SQL_TOK_PERCENT:
        return SQL_OP_MOD;
    case SQL_TOK_PLUS:
        return SQL_OP_ADD;
    case SQL_TOK_MINUS:
        return SQL_OP_SUB;
    case SQL_TOK_CONCAT:
        return SQL_OP_CONCAT;
    case SQL_TOK_EQ:
        return SQL_OP_EQ;
    case SQL_TOK_NE:
        return SQL_OP_NE;
    case SQL_TOK_LT:
        return SQL_OP_LT;
    case SQL_TOK_LE:
        return SQL_OP_LE;
    case SQL_TOK_GT:
        return SQL_OP_GT;
    case SQL_TOK_GE:
        return SQL_OP_GE;
    default:
        return SQL_OP_NONE;
    }
}

static sql_expr_ast *binary(parser *p, const sql_token *at, sql_op op, sql_expr_ast *l,
                            sql_expr_ast *r)
{
    sql_expr_ast *e = node(p, SQL_AST_BINARY, at);
    if (e == NULL || !set_args(p, e, 2, l, r, NULL))
        return NULL;
    e->op = op;
    return e;
}

/*
 * One left-associative level: operand (op operand)*, where op is one of `ops` (token kinds) or
 * the keyword `kw`. Every operator counts as a level of nesting, so long chains are bounded too.
 */
static sql_expr_ast *left_assoc(parser *p, sql_expr_ast *(*operand)(parser *),
                                const sql_tok_kind *ops, size_t nops, const char *kw, sql_op kw_op)
{
    size_t d0 = p->depth;
    sql_expr_ast *e = operand(p);
    for (;;) {
        if (e == NULL)
            return NULL;
        const sql_token *at = cur(p);
        sql_op op = SQL_OP_NONE;
        for (size_t k = 0; k < nops; k++)
            if (at->kind == ops[k])
                op = binary_op(at->kind);
        if (kw != NULL && mdl_sql__tok_is(at, kw))
            op = kw_op;
        if (op == SQL_OP_NONE)
            break;
        if (!enter(p))
            return NULL;
        next(p);
        sql_expr_ast *r = operand(p);
        if (r == NULL)
            return NULL;
        e = binary(p, at, op, e, r);
    }
    p->depth = d0;
    return e;
}

static sql_expr_ast *parse_mul(parser *p)
{
    static const sql_tok_kind ops[] = {SQL_TOK_STAR, SQL_TOK_SLASH, SQL_TOK_PERCENT};
    return left_assoc(p, parse_unary, ops, 3, NULL, SQL_OP_NONE);
}

static sql_expr_ast *parse_add(parser *p)
{
    static const sql_tok_kind ops[] = {SQL_TOK_PLUS, SQL_TOK_MINUS};
    return left_assoc(p, parse_mul, ops, 2, NULL, SQL_OP_NONE);
}

static sql_expr_ast *parse_concat(parser *p)
{
    static const sql_tok_kind ops[] = {SQL_TOK_CONCAT};
    return left_assoc(p, parse_add, ops, 1, NULL, SQL_OP_NONE);
}

/* x [NOT] BETWEEN a AND b | x [NOT] IN (...) | x [NOT] LIKE p [ESCAPE e] */
static sql_expr_ast *parse_pred(parser *p)
{
    sql_expr_ast *x = parse_concat(p);
    if (x == NULL)
        return NULL;
    bool neg = false;
    size_t k = 0;
    if (is(p, "not")) {
        neg = true;
        k = 1;
    }
    const sql_token *at = ahead(p, k);
    static const char *const refused[] = {"ilike", "similar", "glob", "rlike", "regexp"};
    for (size_t r = 0; r < sizeof refused / sizeof refused[0]; r++) {
        if (mdl_sql__tok_is(at, refused[r])) {
            char buf[16];
            upper(refused[r], buf, sizeof buf);
            return fail_at(p, MDL_ERR_UNSUPPORTED, at,
                           "%s is not supported (use LIKE, lower() or regexp_matches())", buf);
        }
    }
    sql_expr_ast *e;
    if (mdl_sql__tok_is(at, "between")) {
        p->i += k + 1;
        sql_expr_ast *lo = parse_concat(p);
        if (lo == NULL || !expect_kw(p, "and"))
            return NULL;
        sql_expr_ast *hi = parse_concat(p);
        if (hi == NULL)
            return NULL;
        e = node(p, SQL_AST_BETWEEN, at);
        if (e == NULL || !set_args(p, e, 3, x, lo, hi))
            return NULL;
    } else if (mdl_sql__tok_is(at, "like")) {
        p->i += k + 1;
        sql_expr_ast *pat = parse_concat(p), *esc = NULL;
        if (pat == NULL)
            return NULL;
        if (accept(p, "escape") && (esc = parse_concat(p)) == NULL)
            return NULL;
        e = node(p, SQL_AST_LIKE, at);
        if (e == NULL || !set_args(p, e, esc != NULL ? 3 : 2, x, pat, esc))
            return NULL;
    } else if (mdl_sql__tok_is(at, "in")) {
        p->i += k + 1;
        if (cur(p)->kind != SQL_TOK_LPAREN)
            return expected(p, "'(' after IN");
        if (starts_query(p, 1)) {
            e = node(p, SQL_AST_IN_QUERY, at);
            if (e == NULL || !set_args(p, e, 1, x, NULL, NULL) ||
                (e->query = paren_query(p)) == NULL)
                return NULL;
        } else {
            next(p);
            e = node(p, SQL_AST_IN_LIST, at);
            if (e == NULL)
                return NULL;
            size_t cap = 0;
            if (!push(p, &e->args, &e->num_args, &cap, sizeof x, &x))
                return NULL;
            do {
                sql_expr_ast *v = parse_expr(p);
                if (v == NULL || !push(p, &e->args, &e->num_args, &cap, sizeof v, &v))
                    return NULL;
            } while (accept_tok(p, SQL_TOK_COMMA));
            if (!expect_tok(p, SQL_TOK_RPAREN, "',' or ')'"))
                return NULL;
        }
    } else {
        return x;
    }
    e->negated = neg;
    return e;
}

static sql_expr_ast *parse_cmp(parser *p)
{
    static const sql_tok_kind ops[] = {SQL_TOK_EQ, SQL_TOK_NE, SQL_TOK_LT,
                                       SQL_TOK_LE, SQL_TOK_GT, SQL_TOK_GE};
    return left_assoc(p, parse_pred, ops, 6, NULL, SQL_OP_NONE);
}

/* x IS [NOT] NULL | x IS [NOT] DISTINCT FROM y, left to right */
static sql_expr_ast *parse_is(parser *p)
{
    size_t d0 = p->depth;
    sql_expr_ast *x = parse_cmp(p);
    while (x != NULL && is(p, "is")) {
        const sql_token *at = cur(p);
        if (!enter(p))
            return NULL;
        next(p);
        bool neg = accept(p, "not");
        sql_expr_ast *e;
        if (accept(p, "null")) {
            e = node(p, SQL_AST_IS_NULL, at);
            if (e == NULL || !set_args(p, e, 1, x, NULL, NULL))
                return NULL;
        } else if (accept(p, "distinct")) {
            if (!expect_kw(p, "from"))
                return NULL;
            sql_expr_ast *y = parse_cmp(p);
            e = node(p, SQL_AST_IS_DISTINCT, at);
            if (y == NULL || e == NULL || !set_args(p, e, 2, x, y, NULL))
                return NULL;
        } else if (is(p, "true") || is(p, "false") || is(p, "unknown")) {
            return unsupported(p, cur(p), "IS [NOT] TRUE/FALSE/UNKNOWN");
        } else {
            return expected(p, "NULL or DISTINCT FROM after IS");
        }
        e->negated = neg;
        x = e;
    }
    p->depth = d0;
    return x;
}

static sql_expr_ast *parse_not(parser *p)
{
    const sql_token *t = cur(p);
    if (!mdl_sql__tok_is(t, "not"))
        return parse_is(p);
    if (!enter(p))
        return NULL;
    next(p);
    sql_expr_ast *x = parse_not(p);
    p->depth--;
    if (x == NULL)
        return NULL;
    if (x->kind == SQL_AST_EXISTS && !x->negated &&
        x->pos.offset == p->toks[(size_t)(t - p->toks) + 1].pos.offset) {
        x->negated = true; /* NOT EXISTS (...) */
        x->pos = t->pos;
        return x;
    }
    sql_expr_ast *e = node(p, SQL_AST_UNARY, t);
    if (e == NULL || !set_args(p, e, 1, x, NULL, NULL))
        return NULL;
    e->op = SQL_OP_NOT;
    return e;
}

static sql_expr_ast *parse_and(parser *p)
{
    return left_assoc(p, parse_not, NULL, 0, "and", SQL_OP_AND);
}

static sql_expr_ast *parse_or(parser *p)
{
    return left_assoc(p, parse_and, NULL, 0, "or", SQL_OP_OR);
}

static sql_expr_ast *parse_expr(parser *p)
{
    if (!enter(p))
        return NULL;
    sql_expr_ast *e = parse_or(p);
    if (e != NULL)
        p->depth--;
    return e;
}

/* ---- queries ------------------------------------------------------------------------------- */

static bool parse_table_ref(parser *p, sql_table_ref *r)
{
    const sql_token *t = cur(p);
    r->pos = t->pos;
    if (is(p, "lateral"))
        return unsupported(p, t, "LATERAL"), false;
    if (is(p, "values"))
        return unsupported(p, t, "VALUES"), false;
    if (t->kind == SQL_TOK_LPAREN) {
        if (!starts_query(p, 1))
            return unsupported(p, t, "a parenthesized join"), false;
        if ((r->subquery = paren_query(p)) == NULL)
            return false;
    } else {
        if ((r->name = name(p, "a table name")) == NULL)
            return false;
        if (accept_tok(p, SQL_TOK_DOT)) {
            r->schema = r->name;
            if ((r->name = name(p, "a table name")) == NULL)
                return false;
            if (cur(p)->kind == SQL_TOK_DOT)
                return unsupported(p, cur(p), "a table name with more than two parts"), false;
        }
        if (cur(p)->kind == SQL_TOK_LPAREN)
            return unsupported(p, cur(p), "a table function"), false;
    }
    r->alias = opt_alias(p);
    if (p->rc != MDL_OK)
        return false;
    if (r->alias != NULL && cur(p)->kind == SQL_TOK_LPAREN)
        return unsupported(p, cur(p), "column aliases on a table"), false;
    static const char *const refused[] = {"pivot", "unpivot", "tablesample"};
    for (size_t k = 0; k < sizeof refused / sizeof refused[0]; k++) {
        if (is(p, refused[k])) {
            char buf[16];
            upper(refused[k], buf, sizeof buf);
            return unsupported(p, cur(p), buf), false;
        }
    }
    return true;
}

/* FROM item (, item | join)* */
static bool parse_from(parser *p, sql_select *s)
{
    size_t cap = 0;
    sql_table_ref r = {0};
    if (!parse_table_ref(p, &r) || !push(p, &s->from, &s->num_from, &cap, sizeof r, &r))
        return false;
    for (;;) {
        memset(&r, 0, sizeof r);
        const sql_token *jt = cur(p);
        if (accept_tok(p, SQL_TOK_COMMA)) {
            r.join = SQL_JOIN_CROSS;
            r.comma = true;
        } else if (is(p, "natural")) {
            return unsupported(p, jt, "NATURAL JOIN"), false;
        } else if (accept(p, "cross")) {
            if (!expect_kw(p, "join"))
                return false;
            r.join = SQL_JOIN_CROSS;
        } else if (accept(p, "join") || accept(p, "inner")) {
            if (mdl_sql__tok_is(jt, "inner") && !expect_kw(p, "join"))
                return false;
            r.join = SQL_JOIN_INNER;
        } else if (is(p, "left") || is(p, "right") || is(p, "full")) {
            r.join = is(p, "left")    ? SQL_JOIN_LEFT
                     : is(p, "right") ? SQL_JOIN_RIGHT
                                      : SQL_JOIN_FULL;
            next(p);
            if (is(p, "semi") || is(p, "anti"))
                return unsupported_hint(p, cur(p), "SEMI and ANTI JOIN", "use EXISTS or IN"), false;
            accept(p, "outer");
            if (!expect_kw(p, "join"))
                return false;
        } else if ((is(p, "asof") || is(p, "positional") || is(p, "semi") || is(p, "anti")) &&
                   mdl_sql__tok_is(ahead(p, 1), "join")) {
            {
                char buf[32];
                upper(is(p, "asof")         ? "asof join"
                      : is(p, "positional") ? "positional join"
                      : is(p, "semi")       ? "semi join"
                                            : "anti join",
                      buf, sizeof buf);
                return unsupported(p, jt, buf), false;
            }
        } else {
            return true;
        }
        if (!parse_table_ref(p, &r))
            return false;
        if (r.join != SQL_JOIN_CROSS) {
            if (is(p, "using"))
                return unsupported_hint(p, cur(p), "JOIN ... USING", "write ON a.x = b.x"), false;
            if (!expect_kw(p, "on"))
                return false;
            if ((r.on = parse_expr(p)) == NULL)
                return false;
        }
        if (!push(p, &s->from, &s->num_from, &cap, sizeof r, &r))
            return false;
    }
}

static bool parse_item(parser *p, sql_select_item *it)
{
    const sql_token *t = cur(p);
    it->pos = t->pos;
    if (t->kind == SQL_TOK_STAR) {
        next(p);
        it->star = true;
    } else if (is_name(t) && ahead(p, 1)->kind == SQL_TOK_DOT &&
               ahead(p, 2)->kind == SQL_TOK_STAR) {
        if ((it->star_qualifier = ident_text(p, t)) == NULL)
            return false;
        p->i += 3;
        it->star = true;
    }
    if (it->star) {
        if (is(p, "exclude") || is(p, "replace") || is(p, "rename"))
            return unsupported(p, cur(p), "* EXCLUDE/REPLACE/RENAME"), false;
        return true;
    }
    if ((it->expr = parse_expr(p)) == NULL)
        return false;
    it->alias = opt_alias(p);
    return p->rc == MDL_OK;
}

static sql_select *parse_select(parser *p)
{
    const sql_token *t = cur(p);
    if (!is(p, "select")) {
        expected(p, "SELECT");
        return NULL;
    }
    sql_select *s = alloc(p, sizeof *s);
    if (s == NULL)
        return NULL;
    s->pos = t->pos;
    next(p);
    if (accept(p, "distinct")) {
        if (is(p, "on"))
            return unsupported(p, cur(p), "DISTINCT ON");
        s->distinct = true;
    } else {
        accept(p, "all");
    }
    size_t cap = 0;
    do {
        sql_select_item it = {0};
        if (!parse_item(p, &it) || !push(p, &s->items, &s->num_items, &cap, sizeof it, &it))
            return NULL;
    } while (accept_tok(p, SQL_TOK_COMMA));
    if (is(p, "into"))
        return unsupported(p, cur(p), "SELECT INTO");
    if (accept(p, "from") && !parse_from(p, s))
        return NULL;
    if (accept(p, "where") && (s->where = parse_expr(p)) == NULL)
        return NULL;
    if (accept(p, "group")) {
        if (!expect_kw(p, "by"))
            return NULL;
        if (is(p, "all"))
            return unsupported(p, cur(p), "GROUP BY ALL");
        if ((is(p, "rollup") || is(p, "cube")) && ahead(p, 1)->kind == SQL_TOK_LPAREN)
            return unsupported(p, cur(p), "ROLLUP and CUBE");
        if (is(p, "grouping") && mdl_sql__tok_is(ahead(p, 1), "sets"))
            return unsupported(p, cur(p), "GROUPING SETS");
        cap = 0;
        do {
            sql_expr_ast *e = parse_expr(p);
            if (e == NULL || !push(p, &s->group_by, &s->num_group_by, &cap, sizeof e, &e))
                return NULL;
        } while (accept_tok(p, SQL_TOK_COMMA));
    }
    if (accept(p, "having") && (s->having = parse_expr(p)) == NULL)
        return NULL;
    if (is(p, "qualify"))
        return unsupported_hint(p, cur(p), "QUALIFY",
                                "filter on the window function in an outer query");
    if (is(p, "window"))
        return unsupported(p, cur(p), "a WINDOW clause");
    return s;
}

static sql_query *parse_query(parser *p)
{
    const sql_token *t = cur(p);
    if (!enter(p))
        return NULL;
    sql_query *q = alloc(p, sizeof *q);
    if (q == NULL)
        return NULL;
    q->pos = t->pos;
    size_t cap = 0;
    if (accept(p, "with")) {
        if (is(p, "recursive"))
            return unsupported(p, cur(p), "WITH RECURSIVE");
        do {
            sql_cte c = {0};
            c.pos = cur(p)->pos;
            if ((c.name = name(p, "a CTE name")) == NULL)
                return NULL;
            if (cur(p)->kind == SQL_TOK_LPAREN)
                return unsupported(p, cur(p), "a column list on a CTE");
            if (!expect_kw(p, "as"))
                return NULL;
            if (is(p, "materialized") ||
                (is(p, "not") && mdl_sql__tok_is(ahead(p, 1), "materialized")))
                return unsupported(p, cur(p), "[NOT] MATERIALIZED");
            if ((c.query = paren_query(p)) == NULL ||
                !push(p, &q->ctes, &q->num_ctes, &cap, sizeof c, &c))
                return NULL;
        } while (accept_tok(p, SQL_TOK_COMMA));
    }
    cap = 0;
    for (;;) {
        sql_select *s = parse_select(p);
        if (s == NULL || !push(p, &q->selects, &q->num_selects, &cap, sizeof s, &s))
            return NULL;
        const sql_token *u = cur(p);
        if (is(p, "intersect") || is(p, "except") || is(p, "minus"))
            return unsupported(p, u, "INTERSECT / EXCEPT");
        if (!is(p, "union"))
            break;
        next(p);
        if (is(p, "all") && mdl_sql__tok_is(ahead(p, 1), "by"))
            return unsupported(p, u, "UNION ALL BY NAME");
        if (!accept(p, "all"))
            return fail_at(p, MDL_ERR_UNSUPPORTED, u,
                           "UNION without ALL is not supported (write UNION ALL, with SELECT "
                           "DISTINCT around it to remove duplicates)");
    }
    if (accept(p, "order")) {
        if (!expect_kw(p, "by") || !parse_order_list(p, &q->order, &q->num_order))
            return NULL;
    }
    if (accept(p, "limit")) {
        q->has_limit = true;
        if (!integer(p, &q->limit, "an integer"))
            return NULL;
    }
    if (accept(p, "offset")) {
        q->has_offset = true;
        if (!integer(p, &q->offset, "an integer"))
            return NULL;
        accept(p, "rows");
    }
    if (is(p, "fetch"))
        return unsupported_hint(p, cur(p), "FETCH FIRST", "use LIMIT");
    p->depth--;
    return q;
}

/* ---- entry --------------------------------------------------------------------------------- */

static int lex_all(parser *p, const char *text, size_t len)
{
    sql_lexer lx;
    mdl_sql__lexer_init(&lx, text, len);
    size_t cap = 0;
    for (;;) {
        sql_token t;
        int rc = mdl_sql__lex_next(&lx, &t);
        if (rc != MDL_OK)
            return mdl_error_set(p->err, rc, "%s:%u:%u: %s", src(p), (unsigned)t.pos.line,
                                 (unsigned)t.pos.column, lx.why);
        if (p->ntoks == cap) {
            size_t ncap = cap ? cap * 2 : 64, bytes;
            if (!mdl_size_mul(ncap, sizeof t, &bytes))
                return nomem(p), p->rc;
            sql_token *grown = mdl_realloc(p->ctx, p->toks, bytes);
            if (grown == NULL)
                return nomem(p), p->rc;
            p->toks = grown;
            cap = ncap;
        }
        p->toks[p->ntoks++] = t;
        if (t.kind == SQL_TOK_EOF)
            return MDL_OK;
    }
}

int mdl_sql__parse(mdl_ctx *ctx, const char *source, const char *text, size_t len, sql_ast **out,
                   mdl_error *err)
{
    *out = NULL;
    parser p = {0};
    p.ctx = ctx;
    p.source = source;
    p.err = err;
    if (text == NULL && len > 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "no query text");
    if (len > MDL_SQL_MAX_QUERY_BYTES)
        return mdl_error_set(err, MDL_ERR_LIMIT,
                             "%s: the query is %zu bytes, over the limit of %zu", src(&p), len,
                             MDL_SQL_MAX_QUERY_BYTES);
    if (!mdl_utf8_valid(text, len))
        return mdl_error_set(err, MDL_ERR_PARSE, "%s: the query is not valid UTF-8", src(&p));
    int rc = lex_all(&p, text != NULL ? text : "", len);
    if (rc != MDL_OK)
        goto cleanup;
    rc = mdl_sql__ast_new(ctx, &p.ast, err);
    if (rc != MDL_OK)
        goto cleanup;
    static const char *const statements[] = {
        "insert",  "update",    "delete", "create",  "drop",   "alter",    "merge",
        "copy",    "truncate",  "grant",  "revoke",  "set",    "pragma",   "attach",
        "explain", "describe",  "show",   "call",    "vacuum", "replace",  "upsert",
        "install", "load",      "use",    "begin",   "commit", "rollback", "export",
        "import",  "summarize", "pivot",  "unpivot", "from",   "values",   "table",
    };
    for (size_t k = 0; k < sizeof statements / sizeof statements[0]; k++) {
        if (is(&p, statements[k])) {
            char buf[32];
            upper(statements[k], buf, sizeof buf);
            fail_at(&p, MDL_ERR_UNSUPPORTED, cur(&p),
                    "%s is not supported: a model is one SELECT query", buf);
            break;
        }
    }
    sql_query *q = NULL;
    if (p.rc == MDL_OK) {
        if (!is(&p, "select") && !is(&p, "with"))
            expected(&p, "SELECT or WITH");
        else
            q = parse_query(&p);
    }
    if (q != NULL) {
        if (accept_tok(&p, SQL_TOK_SEMI)) {
            if (cur(&p)->kind != SQL_TOK_EOF)
                expected(&p, "end of input after ';' (a model is one query)");
        } else if (cur(&p)->kind != SQL_TOK_EOF) {
            expected(&p, cur(&p)->kind == SQL_TOK_RPAREN ? "end of query (unbalanced ')')"
                                                         : "end of query");
        }
    }
    rc = p.rc;
    if (rc == MDL_OK) {
        mdl_sql__ast_set_query(p.ast, q);
        *out = p.ast;
        p.ast = NULL;
    }
cleanup:
    if (rc == MDL_OK && p.rc != MDL_OK)
        rc = p.rc;
    mdl_sql__ast_free(p.ast);
    mdl_free(ctx, p.toks);
    return rc;
}
