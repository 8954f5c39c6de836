/*
 * sql_lexer.c - splits SQL text into tokens (sql_lexer.h). Keywords are not tokens of their own:
 * the parser matches words by name, so a word is a keyword only where the grammar wants one.
 * Positions count lines from 1 and columns in UTF-8 characters from 1.
 */
#include <stdio.h>
#include <string.h>

#include "sql/sql_lexer.h"

void mdl_sql__lexer_init(sql_lexer *lx, const char *text, size_t len)
{
    memset(lx, 0, sizeof *lx);
    lx->text = text;
    lx->len = len;
    lx->line = 1;
    lx->column = 1;
}

/* Moves one byte on, keeping line and column (continuation bytes do not start a character). */
static void advance(sql_lexer *lx)
{
    unsigned char c = (unsigned char)lx->text[lx->off++];
    if (c == '\n') {
        lx->line++;
        lx->column = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->column++;
    }
}

static int peek(const sql_lexer *lx, size_t ahead)
{
    return lx->off + ahead < lx->len ? (unsigned char)lx->text[lx->off + ahead] : -1;
}

static bool is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(int c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static sql_pos here(const sql_lexer *lx)
{
    sql_pos p = {lx->line, lx->column, (uint32_t)lx->off};
    return p;
}

/* Skips whitespace and comments; MDL_ERR_PARSE for an unterminated block comment. */
static int skip_space(sql_lexer *lx, sql_token *tok)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            advance(lx);
        } else if (c == '-' && peek(lx, 1) == '-') {
            while (lx->off < lx->len && lx->text[lx->off] != '\n')
                advance(lx);
        } else if (c == '/' && peek(lx, 1) == '*') {
            /* Block comments nest, as in DuckDB (PostgreSQL) and Spark SQL. */
            tok->pos = here(lx);
            advance(lx);
            advance(lx);
            size_t depth = 1;
            while (depth > 0) {
                if (lx->off >= lx->len) {
                    snprintf(lx->why, sizeof lx->why, "unterminated comment");
                    return MDL_ERR_PARSE;
                }
                if (peek(lx, 0) == '*' && peek(lx, 1) == '/') {
                    depth--;
                    advance(lx);
                } else if (peek(lx, 0) == '/' && peek(lx, 1) == '*') {
                    depth++;
                    advance(lx);
                }
                advance(lx);
            }
        } else {
            return MDL_OK;
        }
    }
}

/* A quoted token ('string' or "identifier"); the quote doubled stands for itself. */
static int lex_quoted(sql_lexer *lx, sql_token *tok, char quote)
{
    advance(lx);
    for (;;) {
        if (lx->off >= lx->len) {
            snprintf(lx->why, sizeof lx->why, "unterminated %s",
                     quote == '\'' ? "string literal" : "quoted identifier");
            return MDL_ERR_PARSE;
        }
        char c = lx->text[lx->off];
        if (c == '\0') {
            snprintf(lx->why, sizeof lx->why, "NUL byte in %s",
                     quote == '\'' ? "string literal" : "quoted identifier");
            return MDL_ERR_PARSE;
        }
        advance(lx);
        if (c == quote) {
            if (peek(lx, 0) == quote)
                advance(lx);
            else
                break;
        }
    }
    tok->kind = quote == '\'' ? SQL_TOK_STRING : SQL_TOK_QIDENT;
    if (quote == '"' && lx->off - tok->pos.offset == 2) {
        snprintf(lx->why, sizeof lx->why, "empty quoted identifier");
        return MDL_ERR_PARSE;
    }
    return MDL_OK;
}

static void lex_number(sql_lexer *lx, sql_token *tok)
{
    tok->kind = SQL_TOK_INTEGER;
    while (is_digit(peek(lx, 0)))
        advance(lx);
    if (peek(lx, 0) == '.') {
        tok->kind = SQL_TOK_DECIMAL;
        advance(lx);
        while (is_digit(peek(lx, 0)))
            advance(lx);
    }
    int e = peek(lx, 0);
    if (e == 'e' || e == 'E') {
        int s = peek(lx, 1);
        size_t sign = (s == '+' || s == '-') ? 1 : 0;
        if (is_digit(peek(lx, 1 + sign))) {
            tok->kind = SQL_TOK_DOUBLE;
            advance(lx);
            if (sign)
                advance(lx);
            while (is_digit(peek(lx, 0)))
                advance(lx);
        }
    }
}

int mdl_sql__lex_next(sql_lexer *lx, sql_token *tok)
{
    memset(tok, 0, sizeof *tok);
    int rc = skip_space(lx, tok);
    if (rc != MDL_OK)
        return rc;
    tok->pos = here(lx);
    tok->start = lx->text + lx->off;
    if (lx->off >= lx->len) {
        tok->kind = SQL_TOK_EOF;
        return MDL_OK;
    }
    int c = peek(lx, 0), n = peek(lx, 1);
    if (is_ident_start(c)) {
        while (is_ident_char(peek(lx, 0)))
            advance(lx);
        tok->kind = SQL_TOK_IDENT;
    } else if (is_digit(c) || (c == '.' && is_digit(n))) {
        lex_number(lx, tok);
    } else if (c == '\'' || c == '"') {
        rc = lex_quoted(lx, tok, (char)c);
        if (rc != MDL_OK)
            return rc;
    } else {
        static const struct {
            char text[3];
            sql_tok_kind kind;
        } ops[] = {
            {"||", SQL_TOK_CONCAT}, {"<>", SQL_TOK_NE},    {"!=", SQL_TOK_NE},
            {"<=", SQL_TOK_LE},     {">=", SQL_TOK_GE},    {"::", SQL_TOK_COLONS},
            {"(", SQL_TOK_LPAREN},  {")", SQL_TOK_RPAREN}, {",", SQL_TOK_COMMA},
            {".", SQL_TOK_DOT},     {";", SQL_TOK_SEMI},   {"*", SQL_TOK_STAR},
            {"+", SQL_TOK_PLUS},    {"-", SQL_TOK_MINUS},  {"/", SQL_TOK_SLASH},
            {"%", SQL_TOK_PERCENT}, {"=", SQL_TOK_EQ},     {"<", SQL_TOK_LT},
            {">", SQL_TOK_GT},
        };
        for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
            size_t l = strlen(ops[i].text);
            if (c == ops[i].text[0] && (l == 1 || n == ops[i].text[1])) {
                for (size_t k = 0; k < l; k++)
                    advance(lx);
                tok->kind = ops[i].kind;
                tok->len = (size_t)(lx->text + lx->off - tok->start);
                return MDL_OK;
            }
        }
        if (c == '`')
            snprintf(lx->why, sizeof lx->why,
                     "unexpected character '`' (quote identifiers with double quotes)");
        else if (c > 0x20 && c < 0x7F)
            snprintf(lx->why, sizeof lx->why, "unexpected character '%c'", c);
        else
            snprintf(lx->why, sizeof lx->why, "unexpected byte 0x%02X", (unsigned)c);
        return MDL_ERR_PARSE;
    }
    tok->len = (size_t)(lx->text + lx->off - tok->start);
    return MDL_OK;
}

bool mdl_sql__tok_is(const sql_token *t, const char *kw)
{
    if (t->kind != SQL_TOK_IDENT)
        return false;
    size_t n = strlen(kw);
    if (t->len != n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = t->start[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c + 32);
        if (c != kw[i])
            return false;
    }
    return true;
}
