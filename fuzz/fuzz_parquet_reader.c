/*
 * fuzz_parquet_reader.c - libFuzzer target for the Parquet reader. The input is a whole
 * Parquet file, opened from memory with small limits (1 MiB footers and pages, 64-row
 * batches). It is described (with an empty projection, so nested files open too), read to
 * the end (every batch must pass mdl_batch_validate), and opened once more with a predicate
 * on its first column. Nothing may crash, leak, read out of bounds or allocate without bound.
 */
#include <stdint.h>
#include <stdlib.h>

#include "medallion/medallion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Files may claim billions of (RLE-encoded, nearly free) rows; reading stops after this many
 * batches so an input costs bounded time. */
#define MAX_BATCHES 4096

static void init_ctx(mdl_ctx *ctx)
{
    mdl_ctx_init(ctx);
    ctx->limits.max_record_bytes = (size_t)1 << 20;
    ctx->limits.batch_rows = 64;
}

static mdl_parquet_reader *open_reader(mdl_ctx *ctx, const uint8_t *data, size_t size,
                                       const mdl_parquet_read_options *o)
{
    mdl_rinput *in;
    if (mdl_rinput_open_memory(ctx, data, size, "fuzz.parquet", &in, NULL) != MDL_OK)
        abort();
    mdl_parquet_reader *r = NULL;
    mdl_error err;
    if (mdl_parquet_reader_open(ctx, in, o, &r, &err) != MDL_OK) {
        if (r != NULL)
            abort();
        return NULL;
    }
    return r;
}

static void read_all(mdl_parquet_reader *r)
{
    mdl_error err;
    for (int i = 0; i < MAX_BATCHES; i++) {
        mdl_batch *b = NULL;
        if (mdl_parquet_reader_next(r, &b, &err) != MDL_OK) {
            if (b != NULL)
                abort();
            return;
        }
        if (b == NULL)
            return;
        if (b->num_rows == 0 || b->num_rows > b->capacity || mdl_batch_validate(b, &err) != MDL_OK)
            abort();
        mdl_batch_free(b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_ctx ctx;
    init_ctx(&ctx);

    /* describe, with no columns projected */
    mdl_parquet_read_options none = {0};
    static const char *const no_columns[1] = {NULL};
    none.columns = no_columns;
    none.num_columns = 0;
    mdl_parquet_reader *r = open_reader(&ctx, data, size, &none);
    if (r == NULL)
        return 0;
    mdl_buf d;
    mdl_buf_init(&d, &ctx, (size_t)64 << 20);
    if (mdl_parquet_reader_describe(r, &d, NULL) != MDL_OK && d.len != 0)
        abort();
    mdl_buf_reset(&d);
    size_t total = 0, skipped = 0;
    mdl_parquet_reader_row_groups(r, &total, &skipped);
    if (skipped != 0)
        abort();
    mdl_parquet_reader_free(r);

    /* every column */
    r = open_reader(&ctx, data, size, NULL);
    if (r == NULL)
        return 0;
    mdl_schema *schema = mdl_schema_retain(mdl_parquet_reader_schema(r));
    read_all(r);
    mdl_parquet_reader_free(r);

    /* a predicate on the first column, its operator picked by the input */
    if (schema->num_fields > 0) {
        static const char *const values[2] = {"1", "2024-01-01"};
        mdl_predicate p = {schema->fields[0].name, (mdl_pred_op)(size % 7), values, 1};
        if (p.op == MDL_PRED_IN)
            p.num_values = 2;
        mdl_parquet_read_options o = {0};
        o.predicates = &p;
        o.num_predicates = 1;
        r = open_reader(&ctx, data, size, &o);
        if (r != NULL) {
            mdl_parquet_reader_row_groups(r, &total, &skipped);
            if (skipped > total)
                abort();
            read_all(r);
            mdl_parquet_reader_free(r);
        }
    }
    mdl_schema_release(schema);
    return 0;
}
