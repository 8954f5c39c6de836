/*
 * fuzz_parquet_records.c - libFuzzer target for the nested record reader. The input is a whole
 * Parquet file, opened from memory with small limits (1 MiB footers), and read to the end with
 * two fixed schemas: one shaped like a Delta checkpoint (structs of maps, lists and leaves) and
 * one with lists of structs, maps and lists of lists. Nothing may crash, leak, read out of
 * bounds or allocate without bound; every record must be non-empty JSON text.
 */
#include <stdint.h>
#include <stdlib.h>

#include "medallion/medallion.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Files may claim millions of (RLE-encoded, nearly free) records; stop after this many. */
#define MAX_RECORDS 100000

#define T(t)                                                                                       \
    {                                                                                              \
        MDL_TYPE_##t, 0, 0                                                                         \
    }
#define LEAF(n, t)                                                                                 \
    {                                                                                              \
        n, MDL_PQ_LEAF, true, T(t), NULL, 0                                                        \
    }
#define LEAF_NN(n, t)                                                                              \
    {                                                                                              \
        n, MDL_PQ_LEAF, false, T(t), NULL, 0                                                       \
    }
#define NODE(n, k, kids)                                                                           \
    {                                                                                              \
        n, k, true, T(BOOLEAN), kids, sizeof kids / sizeof kids[0]                                 \
    }

static const mdl_pq_node SMAP[] = {LEAF_NN("key", STRING), LEAF("value", STRING)};
static const mdl_pq_node STRS[] = {LEAF("element", STRING)};
static const mdl_pq_node ADD[] = {LEAF("path", STRING),  NODE("partitionValues", MDL_PQ_MAP, SMAP),
                                  LEAF("size", INT64),   LEAF("dataChange", BOOLEAN),
                                  LEAF("stats", STRING), NODE("tags", MDL_PQ_MAP, SMAP)};
static const mdl_pq_node FORMAT[] = {LEAF("provider", STRING), NODE("options", MDL_PQ_MAP, SMAP)};
static const mdl_pq_node META[] = {LEAF("id", STRING), NODE("format", MDL_PQ_STRUCT, FORMAT),
                                   NODE("partitionColumns", MDL_PQ_LIST, STRS),
                                   NODE("configuration", MDL_PQ_MAP, SMAP)};
static const mdl_pq_node PROTOCOL[] = {LEAF("minReaderVersion", INT32),
                                       LEAF("minWriterVersion", INT32)};
static const mdl_pq_node CHECKPOINT[] = {NODE("add", MDL_PQ_STRUCT, ADD),
                                         NODE("metaData", MDL_PQ_STRUCT, META),
                                         NODE("protocol", MDL_PQ_STRUCT, PROTOCOL)};

static const mdl_pq_node S[] = {LEAF("a", INT32), LEAF("b", STRING), LEAF("c", DOUBLE)};
static const mdl_pq_node INTS[] = {LEAF("element", INT64)};
static const mdl_pq_node XY[] = {LEAF("x", INT64), LEAF("y", STRING)};
static const mdl_pq_node XY_EL[] = {NODE("element", MDL_PQ_STRUCT, XY)};
static const mdl_pq_node IMAP[] = {LEAF_NN("key", STRING), LEAF("value", INT32)};
static const mdl_pq_node LL_EL[] = {NODE("element", MDL_PQ_LIST, STRS)};
static const mdl_pq_node GENERIC[] = {LEAF("id", INT64),
                                      NODE("s", MDL_PQ_STRUCT, S),
                                      NODE("l", MDL_PQ_LIST, INTS),
                                      NODE("ls", MDL_PQ_LIST, XY_EL),
                                      NODE("m", MDL_PQ_MAP, IMAP),
                                      NODE("ll", MDL_PQ_LIST, LL_EL),
                                      LEAF("flag", BOOLEAN)};

static void read_all(mdl_ctx *ctx, const uint8_t *data, size_t size, const mdl_pq_node *fields,
                     size_t n)
{
    mdl_rinput *in;
    if (mdl_rinput_open_memory(ctx, data, size, "fuzz.parquet", &in, NULL) != MDL_OK)
        abort();
    mdl_parquet_record_reader *r = NULL;
    mdl_error err;
    if (mdl_parquet_record_reader_open(ctx, in, fields, n, &r, &err) != MDL_OK) {
        if (r != NULL)
            abort();
        return;
    }
    mdl_buf rec;
    mdl_buf_init(&rec, ctx, (size_t)16 << 20);
    for (int i = 0; i < MAX_RECORDS; i++) {
        bool got = true;
        if (mdl_parquet_record_reader_next(r, &rec, &got, &err) != MDL_OK) {
            if (got || rec.len != 0)
                abort();
            break;
        }
        if (!got)
            break;
        if (rec.len < 2 || rec.data[0] != '{' || rec.data[rec.len - 1] != '}')
            abort();
    }
    mdl_buf_reset(&rec);
    mdl_parquet_record_reader_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = (size_t)1 << 20;
    read_all(&ctx, data, size, CHECKPOINT, sizeof CHECKPOINT / sizeof CHECKPOINT[0]);
    read_all(&ctx, data, size, GENERIC, sizeof GENERIC / sizeof GENERIC[0]);
    return 0;
}
