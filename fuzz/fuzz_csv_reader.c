/*
 * fuzz_csv_reader.c - libFuzzer target for the CSV reader.
 * The first input byte picks the options (delimiter, quote, header, inferred or fixed
 * schema); the rest is the file, read in tiny chunks so every refill path runs.
 * Every batch must pass mdl_batch_validate; nothing may leak or read out of bounds.
 */
#include <stdint.h>
#include <stdlib.h>

#include "medallion/medallion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_reject(void *payload, const mdl_reject *rj)
{
    char line[512];
    mdl_reject_format(rj, line, sizeof line);
    (*(size_t *)payload)++;
    return MDL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint8_t mode = data[0];
    data++;
    size--;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = 4096;
    ctx.limits.max_field_bytes = 256;
    ctx.limits.batch_rows = 7;
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    static const char delims[4] = {',', ';', '\t', '|'};
    o.delimiter = delims[mode & 3];
    o.quote = (mode & 4) ? '\'' : '"';
    o.header = (mode & 8) == 0;
    o.chunk_bytes = 1 + (mode >> 5);
    static const char *const nulls[] = {"", "NULL"};
    if (mode & 16) {
        o.null_tokens = nulls;
        o.num_null_tokens = 2;
    }
    size_t rejects = 0;
    o.on_reject = count_reject;
    o.reject_payload = &rejects;
    mdl_schema *schema = NULL;
    if (mode & 64) {
        if (mdl_schema_parse(&ctx,
                             "b boolean, i int32, l int64, d double, m decimal(9,2), "
                             "w decimal(30,4), s string, dt date, ts timestamp",
                             &schema, NULL) != MDL_OK)
            abort();
    }
    mdl_input *in;
    if (mdl_input_open_memory(&ctx, data, size, "fuzz.csv", &in, NULL) != MDL_OK)
        abort();
    mdl_csv_reader *r;
    mdl_error err;
    if (mdl_csv_reader_open(&ctx, in, schema, &o, &r, &err) == MDL_OK) {
        mdl_batch *b;
        while (mdl_csv_reader_next(r, &b, &err) == MDL_OK && b != NULL) {
            if (mdl_batch_validate(b, &err) != MDL_OK)
                abort();
            mdl_batch_free(b);
        }
        mdl_read_stats st;
        mdl_csv_reader_stats(r, &st);
        if (st.rows_rejected != rejects || st.bytes_read > size + 3)
            abort();
        mdl_csv_reader_free(r);
    }
    mdl_schema_release(schema);
    return 0;
}
