/*
 * fuzz_json_reader.c - libFuzzer target for the JSON-lines reader.
 * The input is the file. It is read in 16-byte chunks with small limits (4096-byte lines,
 * depth 16, 256-byte values, 7-row batches) so refills, over-long lines and batch splits
 * all run, under a fixed schema with every type, nested paths, a raw and a remainder
 * column. Every batch must pass mdl_batch_validate, the counts must add up, and nothing
 * may leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/medallion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_reject(void *payload, const mdl_reject *rj)
{
    char line[512];
    mdl_reject_format(rj, line, sizeof line);
    if (rj->value.len > 256 || rj->record.len > 4096 || rj->reason == NULL)
        abort();
    (*(size_t *)payload)++;
    return MDL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = 4096;
    ctx.limits.max_field_bytes = 256;
    ctx.limits.max_json_depth = 16;
    ctx.limits.batch_rows = 7;
    static const mdl_json_column_map paths[] = {
        {"n", "o.n"},
        {"s", "p.q.s"},
        {"dt", "p.dt"},
    };
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.paths = paths;
    o.num_paths = sizeof paths / sizeof paths[0];
    o.raw_column = "raw";
    o.remainder_column = "rest";
    o.chunk_bytes = 16;
    size_t rejects = 0;
    o.on_reject = count_reject;
    o.reject_payload = &rejects;
    mdl_schema *schema = NULL;
    if (mdl_schema_parse(&ctx,
                         "b boolean, i int32, l int64 not null, d double, m decimal(9,2), "
                         "w decimal(30,4), s string, dt date, ts timestamp, n int64, "
                         "raw string, rest string",
                         &schema, NULL) != MDL_OK)
        abort();
    mdl_input *in;
    if (mdl_input_open_memory(&ctx, data, size, "fuzz.jsonl", &in, NULL) != MDL_OK)
        abort();
    mdl_json_reader *r;
    mdl_error err;
    if (mdl_json_reader_open(&ctx, in, schema, &o, &r, &err) != MDL_OK)
        abort();
    mdl_batch *b;
    size_t rows = 0;
    int rc;
    while ((rc = mdl_json_reader_next(r, &b, &err)) == MDL_OK && b != NULL) {
        if (mdl_batch_validate(b, &err) != MDL_OK || b->num_rows == 0 || b->num_rows > 7)
            abort();
        rows += b->num_rows;
        mdl_batch_free(b);
    }
    /* With a callback that always continues, only running out of memory may stop a read. */
    if (rc != MDL_OK)
        abort();
    mdl_read_stats st;
    mdl_json_reader_stats(r, &st);
    size_t bom = size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    uint64_t lines = 0;
    for (size_t i = bom; i < size; i++)
        lines += data[i] == '\n';
    if (size > bom && data[size - 1] != '\n')
        lines++;
    if (st.rows_rejected != rejects || st.rows_read != rows + rejects || st.bytes_read != size ||
        st.lines != lines)
        abort();
    mdl_json_reader_free(r);
    mdl_schema_release(schema);
    return 0;
}
