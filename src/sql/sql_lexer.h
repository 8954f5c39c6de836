/*
 * sql_lexer.h - the tokens of the SQL dialect (docs/sql.md "Syntax"): identifiers (keywords are
 * identifiers the parser recognises by name), "quoted identifiers", 'strings', numbers and
 * operators. Whitespace, -- line comments and nested block comments are skipped.
 */
#ifndef MDL_SQL_SQL_LEXER_H
#define MDL_SQL_SQL_LEXER_H

#include "sql/sql_ast.h"

typedef enum sql_tok_kind {
    SQL_TOK_EOF = 0,
    SQL_TOK_IDENT,   /* unquoted word: keyword or identifier */
    SQL_TOK_QIDENT,  /* "double-quoted" (start/len include the quotes) */
    SQL_TOK_STRING,  /* 'single-quoted' (start/len include the quotes) */
    SQL_TOK_INTEGER, /* 123 */
    SQL_TOK_DECIMAL, /* 1.5, .5, 1. */
    SQL_TOK_DOUBLE,  /* 1e5, 1.5E-3 */
    SQL_TOK_LPAREN,
    SQL_TOK_RPAREN,
    SQL_TOK_COMMA,
    SQL_TOK_DOT,
    SQL_TOK_SEMI,
    SQL_TOK_STAR,
    SQL_TOK_PLUS,
    SQL_TOK_MINUS,
    SQL_TOK_SLASH,
    SQL_TOK_PERCENT,
    SQL_TOK_CONCAT, /* || */
    SQL_TOK_EQ,
    SQL_TOK_NE, /* <> or != */
    SQL_TOK_LT,
    SQL_TOK_LE,
    SQL_TOK_GT,
    SQL_TOK_GE,
    SQL_TOK_COLONS /* :: */
} sql_tok_kind;

typedef struct sql_token {
    sql_tok_kind kind;
    const char *start; /* into the query text */
    size_t len;
    sql_pos pos;
} sql_token;

typedef struct sql_lexer {
    const char *text;
    size_t len, off;
    uint32_t line, column;
    char why[96]; /* on MDL_ERR_PARSE: what is wrong at the token's position */
} sql_lexer;

void mdl_sql__lexer_init(sql_lexer *lx, const char *text, size_t len);

/*
 * The next token (SQL_TOK_EOF at the end, again and again). MDL_ERR_PARSE for text that is no
 * token (an unterminated string or comment, a stray character, a NUL byte): tok->pos is where,
 * lx->why says what.
 */
int mdl_sql__lex_next(sql_lexer *lx, sql_token *tok);

/* True when `t` is the unquoted word `kw` (lower-case), in any case. */
bool mdl_sql__tok_is(const sql_token *t, const char *kw);

/* True when the word must be "quoted" to be read back as an identifier (sql_ast.c). */
bool mdl_sql__word_needs_quotes(const char *s);

#endif
