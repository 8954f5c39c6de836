/*
 * sql_ast.c - the syntax tree's arena and its canonical text (mdl_sql__ast_format): one line,
 * keywords upper-case, every binary and unary operation in parentheses so the text shows the
 * tree's shape, identifiers quoted only when they must be. Parsing the text gives the same
 * tree, so format(parse(format(x))) == format(x) (the parser tests and fuzz target check it).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "sql/sql_lexer.h"

/* ---- arena --------------------------------------------------------------------------------- */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t used, cap;
    max_align_t data[]; /* cap bytes */
} arena_chunk;

struct sql_ast {
    mdl_ctx *ctx;
    arena_chunk *chunks;
    sql_query *query;
};

#define ARENA_CHUNK_BYTES ((size_t)32 << 10)

int mdl_sql__ast_new(mdl_ctx *ctx, sql_ast **out, mdl_error *err)
{
    *out = NULL;
    sql_ast *ast = mdl_calloc(ctx, 1, sizeof *ast);
    if (ast == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory for a syntax tree");
    ast->ctx = ctx;
    *out = ast;
    return MDL_OK;
}

void *mdl_sql__ast_alloc(sql_ast *ast, size_t size)
{
    const size_t align = _Alignof(max_align_t);
    size_t need;
    if (!mdl_size_add(size, align - 1, &need))
        return NULL;
    need &= ~(align - 1);
    arena_chunk *c = ast->chunks;
    if (c == NULL || c->cap - c->used < need) {
        size_t cap = need > ARENA_CHUNK_BYTES ? need : ARENA_CHUNK_BYTES, total;
        if (!mdl_size_add(cap, sizeof(arena_chunk), &total))
            return NULL;
        c = mdl_alloc(ast->ctx, total);
        if (c == NULL)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = ast->chunks;
        ast->chunks = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += need;
    memset(p, 0, size);
    return p;
}

char *mdl_sql__ast_strndup(sql_ast *ast, const char *s, size_t len)
{
    size_t n;
    if (!mdl_size_add(len, 1, &n))
        return NULL;
    char *p = mdl_sql__ast_alloc(ast, n);
    if (p != NULL && len > 0)
        memcpy(p, s, len);
    return p;
}

void mdl_sql__ast_set_query(sql_ast *ast, sql_query *q)
{
    ast->query = q;
}

const sql_query *mdl_sql__ast_query(const sql_ast *ast)
{
    return ast != NULL ? ast->query : NULL;
}

void mdl_sql__ast_free(sql_ast *ast)
{
    if (ast == NULL)
        return;
    arena_chunk *c = ast->chunks;
    while (c != NULL) {
        arena_chunk *next = c->next;
        mdl_free(ast->ctx, c);
        c = next;
    }
    mdl_free(ast->ctx, ast);
}

/* ---- canonical text ------------------------------------------------------------------------ */

typedef struct fmt {
    mdl_buf *out;
    mdl_error *err;
    int rc;
} fmt;

static void put_n(fmt *f, const char *s, size_t n)
{
    if (f->rc == MDL_OK)
        f->rc = mdl_buf_append(f->out, s, n, f->err);
}

static void put(fmt *f, const char *s)
{
    put_n(f, s, strlen(s));
}

/*
 * Words that must be quoted to be read back as an identifier: the parser's reserved words and
 * the words it reads specially where an expression starts (sql_parser.c keeps the same list).
 */
static const char *const needs_quotes[] = {
    "all",      "and",        "any",    "array",    "as",           "asc",
    "between",  "both",       "by",     "case",     "cast",         "collate",
    "column",   "constraint", "create", "cross",    "current_date", "current_timestamp",
    "date",     "default",    "desc",   "distinct", "else",         "end",
    "escape",   "except",     "exists", "extract",  "false",        "fetch",
    "for",      "foreign",    "from",   "full",     "glob",         "grant",
    "group",    "having",     "ilike",  "in",       "inner",        "intersect",
    "interval", "into",       "is",     "join",     "lateral",      "left",
    "like",     "limit",      "minus",  "natural",  "not",          "null",
    "nulls",    "offset",     "on",     "only",     "or",           "order",
    "outer",    "over",       "pivot",  "qualify",  "references",   "regexp",
    "right",    "rlike",      "select", "similar",  "some",         "table",
    "then",     "timestamp",  "to",     "true",     "try_cast",     "union",
    "unpivot",  "using",      "when",   "where",    "window",       "with",
};

bool mdl_sql__word_needs_quotes(const char *s)
{
    if (s[0] == '\0' || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
        return true;
    for (const char *c = s; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return true;
    for (size_t i = 0; i < sizeof needs_quotes / sizeof needs_quotes[0]; i++)
        if (strcmp(s, needs_quotes[i]) == 0)
            return true;
    return false;
}

static void put_ident(fmt *f, const char *s)
{
    if (!mdl_sql__word_needs_quotes(s)) {
        put(f, s);
        return;
    }
    put(f, "\"");
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            put(f, "\"\"");
        else
            put_n(f, c, 1);
    }
    put(f, "\"");
}

static void put_string(fmt *f, const char *s, size_t n)
{
    put(f, "'");
    size_t from = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\'') {
            put_n(f, s + from, i + 1 - from);
            put(f, "'");
            from = i + 1;
        }
    }
    put_n(f, s + from, n - from);
    put(f, "'");
}

static void put_type(fmt *f, mdl_type t)
{
    char buf[48];
    switch (t.id) {
    case MDL_TYPE_BOOLEAN:
        put(f, "BOOLEAN");
        break;
    case MDL_TYPE_INT32:
        put(f, "INTEGER");
        break;
    case MDL_TYPE_INT64:
        put(f, "BIGINT");
        break;
    case MDL_TYPE_DOUBLE:
        put(f, "DOUBLE");
        break;
    case MDL_TYPE_DECIMAL:
        snprintf(buf, sizeof buf, "DECIMAL(%u,%u)", (unsigned)t.precision, (unsigned)t.scale);
        put(f, buf);
        break;
    case MDL_TYPE_STRING:
        put(f, "STRING");
        break;
    case MDL_TYPE_DATE:
        put(f, "DATE");
        break;
    case MDL_TYPE_TIMESTAMP:
        put(f, "TIMESTAMP");
        break;
    default:
        put(f, "?");
        break;
    }
}

static void put_i64(fmt *f, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    put(f, buf);
}

static void put_query(fmt *f, const sql_query *q);
static void put_expr(fmt *f, const sql_expr_ast *e);

static void put_list(fmt *f, sql_expr_ast *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            put(f, ", ");
        put_expr(f, v[i]);
    }
}

static void put_order(fmt *f, const sql_order_item *o, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put(f, i > 0 ? ", " : "ORDER BY ");
        put_expr(f, o[i].expr);
        if (o[i].desc)
            put(f, " DESC");
        if (o[i].nulls == 1)
            put(f, " NULLS FIRST");
        else if (o[i].nulls == 2)
            put(f, " NULLS LAST");
    }
}

static void put_bound(fmt *f, sql_frame_bound b, int64_t n)
{
    switch (b) {
    case SQL_FRAME_UNBOUNDED_PRECEDING:
        put(f, "UNBOUNDED PRECEDING");
        break;
    case SQL_FRAME_PRECEDING:
        put_i64(f, n);
        put(f, " PRECEDING");
        break;
    case SQL_FRAME_CURRENT_ROW:
        put(f, "CURRENT ROW");
        break;
    case SQL_FRAME_FOLLOWING:
        put_i64(f, n);
        put(f, " FOLLOWING");
        break;
    case SQL_FRAME_UNBOUNDED_FOLLOWING:
        put(f, "UNBOUNDED FOLLOWING");
        break;
    default:
        put(f, "?");
        break;
    }
}

static void put_window(fmt *f, const sql_window *w)
{
    put(f, " OVER (");
    const char *sep = "";
    if (w->num_partition > 0) {
        put(f, "PARTITION BY ");
        put_list(f, w->partition, w->num_partition);
        sep = " ";
    }
    if (w->num_order > 0) {
        put(f, sep);
        put_order(f, w->order, w->num_order);
        sep = " ";
    }
    if (w->has_frame) {
        put(f, sep);
        put(f, w->frame_rows ? "ROWS BETWEEN " : "RANGE BETWEEN ");
        put_bound(f, w->start, w->start_n);
        put(f, " AND ");
        put_bound(f, w->end, w->end_n);
    }
    put(f, ")");
}

static const char *op_text(sql_op op)
{
    static const char *const t[] = {
        [SQL_OP_NEG] = "-",     [SQL_OP_PLUS] = "+", [SQL_OP_NOT] = "NOT ", [SQL_OP_ADD] = "+",
        [SQL_OP_SUB] = "-",     [SQL_OP_MUL] = "*",  [SQL_OP_DIV] = "/",    [SQL_OP_MOD] = "%",
        [SQL_OP_CONCAT] = "||", [SQL_OP_EQ] = "=",   [SQL_OP_NE] = "<>",    [SQL_OP_LT] = "<",
        [SQL_OP_LE] = "<=",     [SQL_OP_GT] = ">",   [SQL_OP_GE] = ">=",    [SQL_OP_AND] = "AND",
        [SQL_OP_OR] = "OR",
    };
    return (size_t)op < sizeof t / sizeof t[0] && t[op] != NULL ? t[op] : "?";
}

static void put_literal(fmt *f, const sql_expr_ast *e)
{
    switch (e->lit) {
    case SQL_LIT_NULL:
        put(f, "NULL");
        break;
    case SQL_LIT_BOOL:
        put(f, e->bool_value ? "TRUE" : "FALSE");
        break;
    case SQL_LIT_STRING:
        put_string(f, e->text, e->text_len);
        break;
    case SQL_LIT_DATE:
        put(f, "DATE ");
        put_string(f, e->text, e->text_len);
        break;
    case SQL_LIT_TIMESTAMP:
        put(f, "TIMESTAMP ");
        put_string(f, e->text, e->text_len);
        break;
    default:
        put_n(f, e->text, e->text_len);
        break;
    }
}

static void put_function(fmt *f, const sql_expr_ast *e)
{
    bool plain = e->window == NULL && !e->distinct && !e->star;
    if (plain && e->num_args == 0 &&
        (strcmp(e->text, "current_date") == 0 || strcmp(e->text, "current_timestamp") == 0)) {
        put(f, e->text);
        return;
    }
    if (plain && e->num_args == 2 && strcmp(e->text, "extract") == 0 &&
        e->args[0]->kind == SQL_AST_LITERAL && e->args[0]->lit == SQL_LIT_STRING) {
        put(f, "EXTRACT(");
        if (strlen(e->args[0]->text) == e->args[0]->text_len &&
            !mdl_sql__word_needs_quotes(e->args[0]->text))
            put(f, e->args[0]->text);
        else
            put_string(f, e->args[0]->text, e->args[0]->text_len);
        put(f, " FROM ");
        put_expr(f, e->args[1]);
        put(f, ")");
        return;
    }
    put(f, e->text);
    put(f, "(");
    if (e->distinct)
        put(f, "DISTINCT ");
    put_list(f, e->args, e->num_args);
    put(f, ")");
    if (e->window != NULL)
        put_window(f, e->window);
}

static void put_expr(fmt *f, const sql_expr_ast *e)
{
    if (f->rc != MDL_OK)
        return;
    const char *not = e->negated ? "NOT " : "";
    switch (e->kind) {
    case SQL_AST_LITERAL:
        put_literal(f, e);
        break;
    case SQL_AST_COLUMN:
        if (e->qualifier != NULL) {
            put_ident(f, e->qualifier);
            put(f, ".");
        }
        put_ident(f, e->text);
        break;
    case SQL_AST_STAR:
        put(f, "*");
        break;
    case SQL_AST_UNARY:
        put(f, "(");
        put(f, op_text(e->op));
        put_expr(f, e->args[0]);
        put(f, ")");
        break;
    case SQL_AST_BINARY:
        put(f, "(");
        put_expr(f, e->args[0]);
        put(f, " ");
        put(f, op_text(e->op));
        put(f, " ");
        put_expr(f, e->args[1]);
        put(f, ")");
        break;
    case SQL_AST_FUNCTION:
        put_function(f, e);
        break;
    case SQL_AST_CASE: {
        put(f, "CASE");
        size_t i = 0, n = e->num_args - (e->case_has_else ? 1 : 0);
        if (e->case_has_operand) {
            put(f, " ");
            put_expr(f, e->args[i++]);
        }
        for (; i + 1 < n; i += 2) {
            put(f, " WHEN ");
            put_expr(f, e->args[i]);
            put(f, " THEN ");
            put_expr(f, e->args[i + 1]);
        }
        if (e->case_has_else) {
            put(f, " ELSE ");
            put_expr(f, e->args[e->num_args - 1]);
        }
        put(f, " END");
        break;
    }
    case SQL_AST_CAST:
        put(f, e->try_cast ? "TRY_CAST(" : "CAST(");
        put_expr(f, e->args[0]);
        put(f, " AS ");
        put_type(f, e->cast_type);
        put(f, ")");
        break;
    case SQL_AST_IS_NULL:
        put(f, "(");
        put_expr(f, e->args[0]);
        put(f, e->negated ? " IS NOT NULL)" : " IS NULL)");
        break;
    case SQL_AST_IS_DISTINCT:
        put(f, "(");
        put_expr(f, e->args[0]);
        put(f, e->negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ");
        put_expr(f, e->args[1]);
        put(f, ")");
        break;
    case SQL_AST_BETWEEN:
        put(f, "(");
        put_expr(f, e->args[0]);
        put(f, " ");
        put(f, not );
        put(f, "BETWEEN ");
        put_expr(f, e->args[1]);
        put(f, " AND ");
        put_expr(f, e->args[2]);
        put(f, ")");
        break;
    case SQL_AST_LIKE:
        put(f, "(");
        put_expr(f, e->args[0]);
        put(f, " ");
        put(f, not );
        put(f, "LIKE ");
        put_expr(f, e->args[1]);
        if (e->num_args > 2) {
            put(f, " ESCAPE ");
            put_expr(f, e->args[2]);
        }
        put(f, ")");
        break;
    case SQL_AST_IN_LIST:
        put(f, "(");
        put_expr(f, e->args[0]);
        put(f, " ");
        put(f, not );
        put(f, "IN (");
        put_list(f, e->args + 1, e->num_args - 1);
        put(f, "))");
        break;
    case SQL_AST_IN_QUERY:
        put(f, "(");
        put_expr(f, e->args[0]);
        put(f, " ");
        put(f, not );
        put(f, "IN (");
        put_query(f, e->query);
        put(f, "))");
        break;
    case SQL_AST_EXISTS:
        put(f, e->negated ? "(NOT EXISTS (" : "EXISTS (");
        put_query(f, e->query);
        put(f, e->negated ? "))" : ")");
        break;
    case SQL_AST_SUBQUERY:
        put(f, "(");
        put_query(f, e->query);
        put(f, ")");
        break;
    case SQL_AST_INTERVAL: {
        put(f, "INTERVAL '");
        put_i64(f, e->interval_n);
        put(f, "' ");
        char unit[16];
        size_t k = 0;
        for (; k < sizeof unit - 1 && e->text[k]; k++)
            unit[k] = (char)(e->text[k] >= 'a' && e->text[k] <= 'z' ? e->text[k] - 32 : e->text[k]);
        unit[k] = '\0';
        put(f, unit);
        break;
    }
    default:
        put(f, "?");
        break;
    }
}

static void put_table(fmt *f, const sql_table_ref *t, size_t index)
{
    static const char *const joins[] = {
        [SQL_JOIN_INNER] = " INNER JOIN ", [SQL_JOIN_LEFT] = " LEFT JOIN ",
        [SQL_JOIN_RIGHT] = " RIGHT JOIN ", [SQL_JOIN_FULL] = " FULL JOIN ",
        [SQL_JOIN_CROSS] = " CROSS JOIN ",
    };
    if (index > 0) {
        if (t->join == SQL_JOIN_CROSS && t->comma)
            put(f, ", ");
        else if (t->join >= SQL_JOIN_INNER && t->join <= SQL_JOIN_CROSS)
            put(f, joins[t->join]);
        else
            put(f, " ? ");
    }
    if (t->subquery != NULL) {
        put(f, "(");
        put_query(f, t->subquery);
        put(f, ")");
    } else {
        if (t->schema != NULL) {
            put_ident(f, t->schema);
            put(f, ".");
        }
        put_ident(f, t->name != NULL ? t->name : "?");
    }
    if (t->alias != NULL) {
        put(f, " AS ");
        put_ident(f, t->alias);
    }
    if (t->on != NULL) {
        put(f, " ON ");
        put_expr(f, t->on);
    }
}

static void put_select(fmt *f, const sql_select *s)
{
    put(f, s->distinct ? "SELECT DISTINCT " : "SELECT ");
    for (size_t i = 0; i < s->num_items; i++) {
        const sql_select_item *it = &s->items[i];
        if (i > 0)
            put(f, ", ");
        if (it->star) {
            if (it->star_qualifier != NULL) {
                put_ident(f, it->star_qualifier);
                put(f, ".");
            }
            put(f, "*");
            continue;
        }
        put_expr(f, it->expr);
        if (it->alias != NULL) {
            put(f, " AS ");
            put_ident(f, it->alias);
        }
    }
    for (size_t i = 0; i < s->num_from; i++) {
        if (i == 0)
            put(f, " FROM ");
        put_table(f, &s->from[i], i);
    }
    if (s->where != NULL) {
        put(f, " WHERE ");
        put_expr(f, s->where);
    }
    if (s->num_group_by > 0) {
        put(f, " GROUP BY ");
        put_list(f, s->group_by, s->num_group_by);
    }
    if (s->having != NULL) {
        put(f, " HAVING ");
        put_expr(f, s->having);
    }
}

static void put_query(fmt *f, const sql_query *q)
{
    if (f->rc != MDL_OK)
        return;
    for (size_t i = 0; i < q->num_ctes; i++) {
        put(f, i == 0 ? "WITH " : ", ");
        put_ident(f, q->ctes[i].name);
        put(f, " AS (");
        put_query(f, q->ctes[i].query);
        put(f, ")");
    }
    if (q->num_ctes > 0)
        put(f, " ");
    for (size_t i = 0; i < q->num_selects; i++) {
        if (i > 0)
            put(f, " UNION ALL ");
        put_select(f, q->selects[i]);
    }
    if (q->num_order > 0) {
        put(f, " ");
        put_order(f, q->order, q->num_order);
    }
    if (q->has_limit) {
        put(f, " LIMIT ");
        put_i64(f, q->limit);
    }
    if (q->has_offset) {
        put(f, " OFFSET ");
        put_i64(f, q->offset);
    }
}

int mdl_sql__ast_format(const sql_query *q, mdl_buf *out, mdl_error *err)
{
    fmt f = {out, err, MDL_OK};
    if (q == NULL)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "no query to format");
    put_query(&f, q);
    if (f.rc == MDL_OK)
        f.rc = mdl_buf_terminate(out, err);
    return f.rc;
}
