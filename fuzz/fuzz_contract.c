/*
 * fuzz_contract.c - libFuzzer target for the contract parser (YAML through libyaml, then the
 * contract checks). The input is the YAML text. A parse must either succeed, and then the
 * schema, the source options and the Markdown page must work and the page be the same when
 * rendered twice, or fail with a status among PARSE / SCHEMA / LIMIT / NOMEM and a message
 * that starts with "fuzz.yaml:LINE:COLUMN: ". Nothing may leak or read out of bounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/medallion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_contract *c = NULL;
    mdl_error err = {0};
    int rc = mdl_contract_parse(&ctx, "fuzz.yaml", (const char *)data, size, &c, &err);
    if (rc != MDL_OK) {
        int line = 0, col = 0;
        if (c != NULL || err.code != rc ||
            (rc != MDL_ERR_PARSE && rc != MDL_ERR_SCHEMA && rc != MDL_ERR_LIMIT &&
             rc != MDL_ERR_NOMEM))
            abort();
        if (rc != MDL_ERR_NOMEM &&
            (strncmp(err.message, "fuzz.yaml:", 10) != 0 ||
             sscanf(err.message + 10, "%d:%d:", &line, &col) != 2 || line < 1 || col < 1))
            abort();
        return 0;
    }
    mdl_schema *s = NULL;
    if (mdl_contract_schema(c, &s, &err) != MDL_OK || s->num_fields != c->num_columns)
        abort();
    mdl_schema_release(s);
    (void)mdl_contract_source_option(c, "delimiter");
    mdl_buf a, b;
    mdl_buf_init(&a, &ctx, 64u << 20);
    mdl_buf_init(&b, &ctx, 64u << 20);
    const char *up[] = {"bronze.x"};
    if (mdl_contract_doc(c, up, 1, NULL, 0, &a, &err) != MDL_OK ||
        mdl_contract_doc(c, up, 1, NULL, 0, &b, &err) != MDL_OK || a.len != b.len ||
        memcmp(a.data, b.data, a.len) != 0)
        abort();
    mdl_buf_reset(&a);
    mdl_buf_reset(&b);
    mdl_contract_free(c);
    return 0;
}
