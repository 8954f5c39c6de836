/*
 * oracle_write_records.c - writes JSON records with medallion's nested Parquet record writer,
 * for tests/oracle/test_oracle_parquet_nested.sh: each line of IN.jsonl is one record; lines
 * the writer refuses go to stderr as "line N: message", the accepted ones are copied to
 * OUT.parquet.accepted.jsonl, which is what DuckDB and hyparquet must read back.
 *   oracle_write_records SCHEMA IN.jsonl OUT.parquet [CODEC [PAGE_BYTES [ROW_GROUP_ROWS]]]
 * SCHEMA is "checkpoint" (shaped like a Delta checkpoint) or "deep" (lists of structs with
 * maps of lists inside, lists of lists, required and optional nodes at every level).
 */
#define _POSIX_C_SOURCE 200809L /* getline */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/medallion.h"

#define LEAF(n, nul, t)                                                                            \
    {                                                                                              \
        n, MDL_PQ_LEAF, nul, {t, 0, 0}, NULL, 0                                                    \
    }
#define NODE(n, kind, nul, ch)                                                                     \
    {                                                                                              \
        n, kind, nul, {0, 0, 0}, ch, sizeof ch / sizeof ch[0]                                      \
    }
#define STR_MAP(n, nul) NODE(n, MDL_PQ_MAP, nul, str_str)

/* ---- checkpoint ---------------------------------------------------------------------------- */

static const mdl_pq_node str_str[] = {LEAF("key", false, MDL_TYPE_STRING),
                                      LEAF("value", true, MDL_TYPE_STRING)};
static const mdl_pq_node txn[] = {LEAF("appId", true, MDL_TYPE_STRING),
                                  LEAF("version", false, MDL_TYPE_INT64),
                                  LEAF("lastUpdated", true, MDL_TYPE_INT64)};
static const mdl_pq_node add[] = {LEAF("path", false, MDL_TYPE_STRING),
                                  STR_MAP("partitionValues", false),
                                  LEAF("size", false, MDL_TYPE_INT64),
                                  LEAF("modificationTime", false, MDL_TYPE_INT64),
                                  LEAF("dataChange", false, MDL_TYPE_BOOLEAN),
                                  LEAF("stats", true, MDL_TYPE_STRING),
                                  STR_MAP("tags", true)};
static const mdl_pq_node remove_[] = {LEAF("path", false, MDL_TYPE_STRING),
                                      LEAF("deletionTimestamp", true, MDL_TYPE_INT64),
                                      LEAF("dataChange", false, MDL_TYPE_BOOLEAN),
                                      LEAF("extendedFileMetadata", true, MDL_TYPE_BOOLEAN),
                                      STR_MAP("partitionValues", true),
                                      LEAF("size", true, MDL_TYPE_INT64)};
static const mdl_pq_node format_[] = {LEAF("provider", false, MDL_TYPE_STRING),
                                      STR_MAP("options", true)};
static const mdl_pq_node part_col[] = {LEAF("element", false, MDL_TYPE_STRING)};
static const mdl_pq_node meta[] = {LEAF("id", false, MDL_TYPE_STRING),
                                   LEAF("name", true, MDL_TYPE_STRING),
                                   LEAF("description", true, MDL_TYPE_STRING),
                                   NODE("format", MDL_PQ_STRUCT, false, format_),
                                   LEAF("schemaString", false, MDL_TYPE_STRING),
                                   NODE("partitionColumns", MDL_PQ_LIST, false, part_col),
                                   STR_MAP("configuration", true),
                                   LEAF("createdTime", true, MDL_TYPE_INT64)};
static const mdl_pq_node protocol[] = {LEAF("minReaderVersion", false, MDL_TYPE_INT32),
                                       LEAF("minWriterVersion", false, MDL_TYPE_INT32)};
static const mdl_pq_node checkpoint[] = {
    NODE("txn", MDL_PQ_STRUCT, true, txn), NODE("add", MDL_PQ_STRUCT, true, add),
    NODE("remove", MDL_PQ_STRUCT, true, remove_), NODE("metaData", MDL_PQ_STRUCT, true, meta),
    NODE("protocol", MDL_PQ_STRUCT, true, protocol)};

/* ---- deep ---------------------------------------------------------------------------------- */

static const mdl_pq_node opt_str[] = {LEAF("e", true, MDL_TYPE_STRING)};
static const mdl_pq_node opt_double[] = {LEAF("e", true, MDL_TYPE_DOUBLE)};
static const mdl_pq_node attr_kv[] = {LEAF("k", false, MDL_TYPE_STRING),
                                      NODE("v", MDL_PQ_LIST, true, opt_double)};
static const mdl_pq_node int64s[] = {LEAF("e", true, MDL_TYPE_INT64)};
static const mdl_pq_node int64_lists[] = {NODE("e", MDL_PQ_LIST, true, int64s)};
static const mdl_pq_node sub[] = {NODE("a", MDL_PQ_LIST, true, int64_lists),
                                  LEAF("b", true, MDL_TYPE_BOOLEAN)};
static const mdl_pq_node item[] = {
    LEAF("name", false, MDL_TYPE_STRING), LEAF("qty", true, MDL_TYPE_INT32),
    NODE("attrs", MDL_PQ_MAP, true, attr_kv), NODE("sub", MDL_PQ_STRUCT, true, sub)};
static const mdl_pq_node items[] = {NODE("item", MDL_PQ_STRUCT, true, item)};
static const mdl_pq_node y_list[] = {LEAF("e", false, MDL_TYPE_STRING)};
static const mdl_pq_node meta_val[] = {LEAF("x", true, MDL_TYPE_INT32),
                                       NODE("y", MDL_PQ_LIST, true, y_list)};
static const mdl_pq_node meta_kv[] = {LEAF("key", false, MDL_TYPE_STRING),
                                      NODE("value", MDL_PQ_STRUCT, false, meta_val)};
static const mdl_pq_node req_ints[] = {LEAF("e", false, MDL_TYPE_INT32)};
static const mdl_pq_node deep[] = {LEAF("id", false, MDL_TYPE_INT64),
                                   LEAF("flag", true, MDL_TYPE_BOOLEAN),
                                   LEAF("score", true, MDL_TYPE_DOUBLE),
                                   NODE("tags", MDL_PQ_LIST, true, opt_str),
                                   NODE("items", MDL_PQ_LIST, true, items),
                                   NODE("meta", MDL_PQ_MAP, true, meta_kv),
                                   NODE("req_list", MDL_PQ_LIST, false, req_ints)};

static void die(const char *what, const mdl_error *err)
{
    fprintf(stderr, "oracle_write_records: %s: %s\n", what, err ? err->message : "");
    exit(1);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: oracle_write_records checkpoint|deep IN.jsonl OUT.parquet "
                        "[CODEC [PAGE_BYTES [ROW_GROUP_ROWS]]]\n");
        return 2;
    }
    const mdl_pq_node *fields;
    size_t nfields;
    if (strcmp(argv[1], "checkpoint") == 0) {
        fields = checkpoint;
        nfields = sizeof checkpoint / sizeof checkpoint[0];
    } else if (strcmp(argv[1], "deep") == 0) {
        fields = deep;
        nfields = sizeof deep / sizeof deep[0];
    } else {
        fprintf(stderr, "oracle_write_records: unknown schema '%s'\n", argv[1]);
        return 2;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_error err;
    mdl_parquet_write_options o;
    mdl_parquet_write_options_init(&o);
    if (argc > 4) {
        mdl_codec codec;
        if (mdl_codec_parse(argv[4], &codec, &err) != MDL_OK)
            die("codec", &err);
        o.codec = codec;
    }
    if (argc > 5)
        o.page_bytes = (size_t)strtoull(argv[5], NULL, 10);
    if (argc > 6)
        o.row_group_rows = (size_t)strtoull(argv[6], NULL, 10);
    mdl_key_value kv = {"written.by", "oracle_write_records"};
    o.metadata = &kv;
    o.num_metadata = 1;

    FILE *in = fopen(argv[2], "r");
    if (in == NULL)
        die(argv[2], NULL);
    char accepted_path[4096];
    snprintf(accepted_path, sizeof accepted_path, "%s.accepted.jsonl", argv[3]);
    FILE *acc = fopen(accepted_path, "w");
    if (acc == NULL)
        die(accepted_path, NULL);
    mdl_output *out;
    if (mdl_output_open_file(&ctx, argv[3], &out, &err) != MDL_OK)
        die("output", &err);
    mdl_parquet_record_writer *w;
    if (mdl_parquet_record_writer_open(&ctx, out, fields, nfields, &o, &w, &err) != MDL_OK)
        die("open", &err);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        if (mdl_parquet_record_writer_write_json(w, line, (size_t)n, &err) == MDL_OK)
            fwrite(line, 1, (size_t)n, acc);
        else
            fprintf(stderr, "line %lu: %s\n", lineno, err.message);
    }
    free(line);
    fclose(in);
    fclose(acc);
    uint64_t rows;
    if (mdl_parquet_record_writer_close(w, &rows, NULL, &err) != MDL_OK)
        die("close", &err);
    printf("%llu\n", (unsigned long long)rows);
    return 0;
}
