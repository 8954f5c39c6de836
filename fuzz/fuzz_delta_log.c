/*
 * fuzz_delta_log.c - libFuzzer target for the Delta log parsers: commit files (JSON lines
 * of actions), schemaString, and add.stats. The first byte picks the parser. Whatever parses
 * must serialize and parse again to the same number of actions; nothing may crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>

#include "table/delta_actions.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = 1 << 16;
    ctx.limits.max_json_depth = 16;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    switch (data[0] % 3) {
    case 0: {
        mdl_delta_actions a, b;
        mdl_table__actions_init(&a, &ctx);
        mdl_table__actions_init(&b, &ctx);
        if (mdl_table__actions_parse(&a, "fuzz.json", text, len, NULL) == MDL_OK) {
            mdl_buf out;
            mdl_buf_init(&out, &ctx, 0);
            if (mdl_table__actions_write(&a, &out, NULL) == MDL_OK) {
                if (mdl_table__actions_parse(&b, "again.json", out.data ? out.data : "", out.len,
                                             NULL) != MDL_OK ||
                    b.count != a.count)
                    abort();
            }
            mdl_buf_reset(&out);
        }
        mdl_table__actions_reset(&a);
        mdl_table__actions_reset(&b);
        break;
    }
    case 1: {
        mdl_schema *s = NULL;
        if (mdl_table__schema_from_delta(&ctx, text, len, &s, NULL, NULL) == MDL_OK) {
            mdl_buf out;
            mdl_buf_init(&out, &ctx, 0);
            mdl_schema *back = NULL;
            if (mdl_table__schema_to_delta(s, &out, NULL) != MDL_OK ||
                mdl_table__schema_from_delta(&ctx, out.data, out.len, &back, NULL, NULL) !=
                    MDL_OK ||
                back->num_fields != s->num_fields)
                abort();
            mdl_schema_release(back);
            mdl_buf_reset(&out);
        }
        mdl_schema_release(s);
        break;
    }
    default: {
        mdl_schema *s;
        if (mdl_schema_parse(&ctx,
                             "i int32, l int64, d double, m decimal(10,2), w decimal(30,3), "
                             "s string, dt date, ts timestamp, b boolean",
                             &s, NULL) != MDL_OK)
            abort();
        mdl_delta_stats st;
        if (mdl_table__stats_parse(&ctx, s, text, len, &st, NULL) == MDL_OK)
            mdl_table__stats_reset(&ctx, &st);
        mdl_schema_release(s);
        break;
    }
    }
    return 0;
}
