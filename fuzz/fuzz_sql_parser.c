/*
 * fuzz_sql_parser.c - libFuzzer target for the SQL lexer and parser. The input is the query
 * text. A parse either fails with a parse, unsupported or limit error and a "SOURCE:..."
 * message, or succeeds; then its canonical text must parse again and format to the same
 * text (format(parse(format(x))) == format(x)). Nothing may leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/medallion.h"
#include "sql/sql_ast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    sql_ast *ast = NULL, *again = NULL;
    mdl_error err;
    int rc = mdl_sql__parse(&ctx, "f.sql", (const char *)data, size, &ast, &err);
    if (rc != MDL_OK) {
        if ((rc != MDL_ERR_PARSE && rc != MDL_ERR_UNSUPPORTED && rc != MDL_ERR_LIMIT) ||
            ast != NULL || strncmp(err.message, "f.sql", 5) != 0)
            abort();
        return 0;
    }
    mdl_buf a, b;
    mdl_buf_init(&a, &ctx, (size_t)64 << 20);
    mdl_buf_init(&b, &ctx, (size_t)64 << 20);
    if (mdl_sql__ast_format(mdl_sql__ast_query(ast), &a, &err) != MDL_OK)
        abort();
    rc = mdl_sql__parse(&ctx, "f.sql", a.data, a.len, &again, &err);
    /* The canonical text adds parentheses, so a query near the depth limit may exceed it. */
    if (rc == MDL_ERR_LIMIT)
        goto cleanup;
    if (rc != MDL_OK || mdl_sql__ast_format(mdl_sql__ast_query(again), &b, &err) != MDL_OK ||
        a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
        abort();
cleanup:
    mdl_buf_reset(&a);
    mdl_buf_reset(&b);
    mdl_sql__ast_free(ast);
    mdl_sql__ast_free(again);
    return 0;
}
