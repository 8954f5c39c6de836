/*
 * sql_ast.h - the syntax tree of one SQL query as the parser (sql_parser.c) builds it: what the
 * text says, with the position of every node, before any name is resolved or type checked
 * (that is sql_binder.c). All nodes and strings live in one arena owned by the tree.
 *
 * Grammar (docs/sql.md has the full dialect):
 *
 *   query      := [WITH cte (, cte)*] set_expr [ORDER BY order (, order)*] [LIMIT n [OFFSET n]]
 *   cte        := name AS ( query )
 *   set_expr   := select (UNION ALL select)*
 *   select     := SELECT [DISTINCT] item (, item)* [FROM from (, from)*] [WHERE expr]
 *                 [GROUP BY expr (, expr)*] [HAVING expr]
 *   item       := * | name.* | expr [[AS] alias]
 *   from       := table_ref (join_type JOIN table_ref [ON expr] | CROSS JOIN table_ref)*
 *   table_ref  := name[.name] [[AS] alias] | ( query ) [AS] alias
 *   order      := expr [ASC | DESC] [NULLS FIRST | NULLS LAST]
 */
#ifndef MDL_SQL_SQL_AST_H
#define MDL_SQL_SQL_AST_H

#include "medallion/core.h"

/* Where a node starts in the query text (1-based; byte offset 0-based; columns count UTF-8
 * characters). BINARY, IS_NULL, IS_DISTINCT, BETWEEN, LIKE and IN nodes are placed at their
 * operator (the `+`, `IS`, `BETWEEN`, ...); every other node at its first token. */
typedef struct sql_pos {
    uint32_t line, column;
    uint32_t offset;
} sql_pos;

typedef enum sql_expr_kind {
    SQL_AST_LITERAL = 1, /* lit */
    SQL_AST_COLUMN,      /* qualifier (or NULL) . name */
    SQL_AST_STAR,        /* COUNT(*) argument only: count(*) has star set and args[0] a STAR */
    SQL_AST_UNARY,       /* op: '-' '+' NOT */
    SQL_AST_BINARY,      /* op: + - * / % || = <> < <= > >= AND OR */
    SQL_AST_FUNCTION,    /* name(args) [FILTER..no] [OVER (...)]; distinct for COUNT(DISTINCT x) */
    SQL_AST_CASE,        /* CASE [operand] WHEN .. THEN .. [ELSE ..] END */
    SQL_AST_CAST,        /* CAST / TRY_CAST (x AS type), x::type */
    SQL_AST_IS_NULL,     /* x IS [NOT] NULL */
    SQL_AST_IS_DISTINCT, /* x IS [NOT] DISTINCT FROM y */
    SQL_AST_BETWEEN,     /* x [NOT] BETWEEN a AND b */
    SQL_AST_LIKE,        /* x [NOT] LIKE pattern [ESCAPE c] */
    SQL_AST_IN_LIST,     /* x [NOT] IN (a, b, ...) */
    SQL_AST_IN_QUERY,    /* x [NOT] IN (query) */
    SQL_AST_EXISTS,      /* [NOT] EXISTS (query) */
    SQL_AST_SUBQUERY,    /* (query) used as a scalar */
    SQL_AST_INTERVAL     /* INTERVAL 'n' unit / INTERVAL n unit (date arithmetic) */
} sql_expr_kind;

typedef enum sql_op {
    SQL_OP_NONE = 0,
    SQL_OP_NEG,
    SQL_OP_PLUS,
    SQL_OP_NOT,
    SQL_OP_ADD,
    SQL_OP_SUB,
    SQL_OP_MUL,
    SQL_OP_DIV,
    SQL_OP_MOD,
    SQL_OP_CONCAT,
    SQL_OP_EQ,
    SQL_OP_NE,
    SQL_OP_LT,
    SQL_OP_LE,
    SQL_OP_GT,
    SQL_OP_GE,
    SQL_OP_AND,
    SQL_OP_OR
} sql_op;

typedef enum sql_literal_kind {
    SQL_LIT_NULL = 1,
    SQL_LIT_BOOL,
    SQL_LIT_INTEGER, /* digits only: text kept, exact */
    SQL_LIT_DECIMAL, /* digits with a point: text kept, exact */
    SQL_LIT_DOUBLE,  /* with an exponent */
    SQL_LIT_STRING,  /* '...' with '' unescaped */
    SQL_LIT_DATE,    /* DATE '2024-01-02' */
    SQL_LIT_TIMESTAMP
} sql_literal_kind;

typedef struct sql_query sql_query;
typedef struct sql_expr_ast sql_expr_ast;

typedef struct sql_order_item {
    sql_expr_ast *expr;
    bool desc;
    int nulls; /* 0: default (DuckDB: NULLS LAST for ASC and DESC), 1: FIRST, 2: LAST */
} sql_order_item;

/* A window frame: ROWS BETWEEN start AND end. */
typedef enum sql_frame_bound {
    SQL_FRAME_NONE = 0, /* no frame clause */
    SQL_FRAME_UNBOUNDED_PRECEDING,
    SQL_FRAME_PRECEDING, /* n PRECEDING */
    SQL_FRAME_CURRENT_ROW,
    SQL_FRAME_FOLLOWING, /* n FOLLOWING */
    SQL_FRAME_UNBOUNDED_FOLLOWING
} sql_frame_bound;

typedef struct sql_window {
    sql_expr_ast **partition;
    size_t num_partition;
    sql_order_item *order;
    size_t num_order;
    bool has_frame;
    bool frame_rows; /* ROWS (true) or RANGE (false) */
    sql_frame_bound start, end;
    int64_t start_n, end_n;
} sql_window;

struct sql_expr_ast {
    sql_expr_kind kind;
    sql_pos pos;
    bool negated; /* NOT IN, NOT BETWEEN, NOT LIKE, IS NOT NULL, IS NOT DISTINCT, NOT EXISTS */
    /* LITERAL */
    sql_literal_kind lit;
    const char *text; /* literal text; COLUMN name; FUNCTION name (lower-cased); type name */
    size_t text_len;
    bool bool_value;
    /* COLUMN */
    const char *qualifier; /* table alias / name, or NULL */
    /* UNARY, BINARY */
    sql_op op;
    /* operands: UNARY [0]; BINARY [0],[1]; FUNCTION args; CASE: [operand?] then WHEN/THEN pairs,
     * then ELSE (see case_*); CAST [0]; IS_NULL [0]; IS_DISTINCT [0],[1]; BETWEEN [0],[1],[2];
     * LIKE [0] pattern [1] escape [2]?; IN_LIST [0] then the list */
    sql_expr_ast **args;
    size_t num_args;
    /* FUNCTION */
    bool distinct;      /* COUNT(DISTINCT x) */
    bool star;          /* COUNT(*) */
    sql_window *window; /* OVER (...), or NULL */
    /* CASE */
    bool case_has_operand, case_has_else;
    /* CAST */
    bool try_cast;
    mdl_type cast_type; /* parsed with the core type names: int32/integer/int, bigint, ... */
    /* IN_QUERY, EXISTS, SUBQUERY */
    sql_query *query;
    /* INTERVAL: count and unit ("day", "month", ...) */
    int64_t interval_n;
};

typedef struct sql_select_item {
    sql_expr_ast *expr; /* NULL for * and qualifier.* */
    bool star;
    const char *star_qualifier; /* "t" in t.*, or NULL */
    const char *alias;          /* or NULL */
    sql_pos pos;
} sql_select_item;

typedef enum sql_join_type {
    SQL_JOIN_NONE = 0, /* the first FROM item */
    SQL_JOIN_INNER,
    SQL_JOIN_LEFT,
    SQL_JOIN_RIGHT,
    SQL_JOIN_FULL,
    SQL_JOIN_CROSS, /* CROSS JOIN, or a comma */
} sql_join_type;

typedef struct sql_table_ref {
    sql_join_type join; /* how it joins the items before it */
    sql_expr_ast *on;   /* ON condition, or NULL */
    const char *schema; /* "silver" in silver.orders, or NULL (a CTE name) */
    const char *name;   /* table or CTE name; NULL for a subquery */
    sql_query *subquery;
    const char *alias; /* or NULL */
    sql_pos pos;
    bool comma; /* SQL_JOIN_CROSS written as a comma (FROM a, b) */
} sql_table_ref;

typedef struct sql_select {
    bool distinct;
    sql_select_item *items;
    size_t num_items;
    sql_table_ref *from; /* in order; from[0].join == SQL_JOIN_NONE */
    size_t num_from;
    sql_expr_ast *where; /* or NULL */
    sql_expr_ast **group_by;
    size_t num_group_by;
    sql_expr_ast *having;
    sql_pos pos;
} sql_select;

typedef struct sql_cte {
    const char *name;
    sql_query *query;
    sql_pos pos;
} sql_cte;

struct sql_query {
    sql_cte *ctes;
    size_t num_ctes;
    sql_select **selects; /* UNION ALL of these (one for a plain SELECT) */
    size_t num_selects;
    sql_order_item *order;
    size_t num_order;
    bool has_limit, has_offset;
    int64_t limit, offset;
    sql_pos pos;
};

typedef struct sql_ast sql_ast; /* owns the arena */

/* Bounds of the parser: nesting of expressions and subqueries, and the text's size. */
#define MDL_SQL_MAX_DEPTH       200
#define MDL_SQL_MAX_QUERY_BYTES ((size_t)4 << 20)

/* The arena (sql_ast.c): an empty tree; zeroed blocks and NUL-terminated copies freed with it. */
int mdl_sql__ast_new(mdl_ctx *ctx, sql_ast **out, mdl_error *err);
void *mdl_sql__ast_alloc(sql_ast *ast, size_t size);
char *mdl_sql__ast_strndup(sql_ast *ast, const char *s, size_t len);
void mdl_sql__ast_set_query(sql_ast *ast, sql_query *q);

/*
 * Parses `text` (`len` bytes) as one query, optionally followed by a `;`. `source` names the
 * text in messages ("models/silver/orders.sql"). Errors are MDL_ERR_PARSE with
 * "SOURCE:LINE:COLUMN: expected X, found 'token'" (plus "(did you mean FROM?)") and, for
 * unsupported SQL (a construct outside the dialect: INSERT, RECURSIVE, LATERAL, QUALIFY, ...),
 * MDL_ERR_UNSUPPORTED naming it. Depth and size are bounded by the context's limits
 * (MDL_ERR_LIMIT).
 */
int mdl_sql__parse(mdl_ctx *ctx, const char *source, const char *text, size_t len, sql_ast **out,
                   mdl_error *err);
const sql_query *mdl_sql__ast_query(const sql_ast *ast);
void mdl_sql__ast_free(sql_ast *ast);

/* The query back as canonical SQL text (for --explain and the parser's round-trip tests). */
int mdl_sql__ast_format(const sql_query *q, mdl_buf *out, mdl_error *err);

#endif
