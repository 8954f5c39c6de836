/*
 * test_table_delta_actions.c - the Delta log action layer: parsing commit lines shaped like
 * the examples of delta-io/delta PROTOCOL.md, writing them back byte for byte, schemaString
 * mapping, partition value strings, Hive folder and URI path escaping, add.stats, and every
 * way a commit line can be wrong (with the exact message naming file and line).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"
#include "table/delta_actions.h"

/* ---- helpers ------------------------------------------------------------------------------ */

static const char *buf_str(mdl_buf *b)
{
    assert_int_equal(mdl_buf_terminate(b, NULL), MDL_OK);
    return b->data;
}

/* Parses text as commit "00000000000000000007.json"; returns the status, err filled. */
static int parse(mdl_ctx *ctx, mdl_delta_actions *list, const char *text, mdl_error *err)
{
    mdl_table__actions_init(list, ctx);
    return mdl_table__actions_parse(list, "00000000000000000007.json", text, strlen(text), err);
}

static void expect_parse_error(const char *text, int code, const char *message)
{
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_actions list;
    mdl_error err = {0};
    assert_int_equal(parse(&ctx, &list, text, &err), code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.message, message);
    mdl_table__actions_reset(&list);
}

/* A one-column batch of `type` with room for 8 rows; the column is column 0. */
static mdl_batch *one_column(mdl_ctx *ctx, mdl_type type)
{
    mdl_field_def def = {"c", type, true};
    mdl_schema *s = NULL;
    mdl_batch *b = NULL;
    assert_int_equal(mdl_schema_new(ctx, &def, 1, &s, NULL), MDL_OK);
    assert_int_equal(mdl_batch_new(ctx, s, 8, &b, NULL), MDL_OK);
    mdl_schema_release(s);
    return b;
}

/* ---- parsing the protocol's examples ------------------------------------------------------ */

/* The facts of PROTOCOL.md's example actions, one commit file; plus actions to be skipped. */
static const char EXAMPLE_COMMIT[] =
    "{\"commitInfo\":{\"timestamp\":1515491537026,\"userId\":\"100121\",\"operation\":\"INSERT\","
    "\"operationParameters\":{\"mode\":\"Append\",\"partitionBy\":\"[]\"}}}\n"
    "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
    "{\"metaData\":{\"id\":\"af23c9d7-fff1-4a5a-a2c8-55c59bd782aa\",\"format\":{\"provider\":"
    "\"parquet\",\"options\":{}},\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":"
    "[{\\\"name\\\":\\\"date\\\",\\\"type\\\":\\\"date\\\",\\\"nullable\\\":true,\\\"metadata\\\":"
    "{}}]}\",\"partitionColumns\":[\"date\"],\"configuration\":{\"appendOnly\":\"true\"}}}\n"
    "{\"add\":{\"path\":\"date=2017-12-10/part-000-c000.gz.parquet\",\"partitionValues\":"
    "{\"date\":\"2017-12-10\"},\"size\":841454,\"modificationTime\":1512909768000,"
    "\"dataChange\":true,\"baseRowId\":4071,\"defaultRowCommitVersion\":41,"
    "\"stats\":\"{\\\"numRecords\\\":1}\"}}\n"
    "{\"remove\":{\"path\":\"part-00001-9.snappy.parquet\",\"deletionTimestamp\":1515488792485,"
    "\"baseRowId\":4071,\"defaultRowCommitVersion\":41,\"dataChange\":true}}\n"
    "{\"txn\":{\"appId\":\"3ba13872-2d47-4e17-86a0-21afd2a22395\",\"version\":364475}}\n"
    "{\"cdc\":{\"path\":\"_change_data/cdc-00001-c.snappy.parquet\",\"partitionValues\":{},"
    "\"size\":1213,\"dataChange\":false}}\n"
    "{\"domainMetadata\":{\"domain\":\"x\",\"configuration\":\"{}\",\"removed\":false}}\n"
    "\n";

static void test_table_delta_actions__parse_protocol_examples(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_actions list;
    mdl_error err = {0};
    assert_int_equal(parse(&ctx, &list, EXAMPLE_COMMIT, &err), MDL_OK);
    assert_int_equal(list.count, 6);
    assert_int_equal(list.skipped, 2);

    const mdl_delta_action *a = &list.items[0];
    assert_int_equal(a->kind, MDL_DELTA_COMMIT_INFO);
    assert_int_equal(a->line, 1);
    assert_non_null(strstr(a->u.commit_info, "\"operation\":\"INSERT\""));
    assert_non_null(strstr(a->u.commit_info, "\"timestamp\":1515491537026"));

    a = &list.items[1];
    assert_int_equal(a->kind, MDL_DELTA_PROTOCOL);
    assert_int_equal(a->u.protocol.min_reader_version, 1);
    assert_int_equal(a->u.protocol.min_writer_version, 2);

    a = &list.items[2];
    assert_int_equal(a->kind, MDL_DELTA_METADATA);
    assert_string_equal(a->u.metadata.id, "af23c9d7-fff1-4a5a-a2c8-55c59bd782aa");
    assert_null(a->u.metadata.name);
    assert_string_equal(a->u.metadata.format_provider, "parquet");
    assert_int_equal(a->u.metadata.format_options.count, 0);
    assert_string_equal(a->u.metadata.schema_string,
                        "{\"type\":\"struct\",\"fields\":[{\"name\":\"date\",\"type\":\"date\","
                        "\"nullable\":true,\"metadata\":{}}]}");
    assert_int_equal(a->u.metadata.partition_columns.count, 1);
    assert_string_equal(a->u.metadata.partition_columns.items[0], "date");
    assert_string_equal(mdl_table__map_get(&a->u.metadata.configuration, "appendOnly")->value,
                        "true");
    assert_false(a->u.metadata.has_created_time);

    a = &list.items[3];
    assert_int_equal(a->kind, MDL_DELTA_ADD);
    assert_int_equal(a->line, 4);
    assert_string_equal(a->u.add.path, "date=2017-12-10/part-000-c000.gz.parquet");
    assert_string_equal(mdl_table__map_get(&a->u.add.partition_values, "date")->value,
                        "2017-12-10");
    assert_int_equal(a->u.add.size, 841454);
    assert_int_equal(a->u.add.modification_time, 1512909768000LL);
    assert_true(a->u.add.data_change);
    assert_string_equal(a->u.add.stats, "{\"numRecords\":1}");

    a = &list.items[4];
    assert_int_equal(a->kind, MDL_DELTA_REMOVE);
    assert_string_equal(a->u.remove.path, "part-00001-9.snappy.parquet");
    assert_true(a->u.remove.has_deletion_timestamp);
    assert_int_equal(a->u.remove.deletion_timestamp, 1515488792485LL);
    assert_true(a->u.remove.data_change);
    assert_false(a->u.remove.has_size);
    assert_false(a->u.remove.has_partition_values);
    assert_false(a->u.remove.has_extended_file_metadata);

    a = &list.items[5];
    assert_int_equal(a->kind, MDL_DELTA_TXN);
    assert_string_equal(a->u.txn.app_id, "3ba13872-2d47-4e17-86a0-21afd2a22395");
    assert_int_equal(a->u.txn.version, 364475);
    assert_false(a->u.txn.has_last_updated);
    mdl_table__actions_reset(&list);
}

static void test_table_delta_actions__null_partition_value_and_crlf(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_actions list;
    const char *text = "{\"add\":{\"path\":\"d=__HIVE_DEFAULT_PARTITION__/a%20b%253A.parquet\","
                       "\"partitionValues\":{\"d\":null},\"size\":0,\"modificationTime\":0,"
                       "\"dataChange\":false,\"tags\":{\"x\":\"y\"}}}\r\n";
    assert_int_equal(parse(&ctx, &list, text, NULL), MDL_OK);
    assert_int_equal(list.count, 1);
    const mdl_delta_add *add = &list.items[0].u.add;
    assert_string_equal(add->path, "d=__HIVE_DEFAULT_PARTITION__/a b%3A.parquet");
    assert_null(mdl_table__map_get(&add->partition_values, "d")->value);
    assert_null(add->stats);
    assert_false(add->data_change);
    mdl_table__actions_reset(&list);
}

/* ---- writing ------------------------------------------------------------------------------ */

static char *dup(mdl_ctx *ctx, const char *s)
{
    char *d = mdl_strdup(ctx, s);
    assert_non_null(d);
    return d;
}

/* Builds one of every action medallion writes. */
static void build_commit(mdl_ctx *ctx, mdl_delta_actions *list)
{
    mdl_delta_action a;
    mdl_table__actions_init(list, ctx);

    memset(&a, 0, sizeof(a));
    a.kind = MDL_DELTA_COMMIT_INFO;
    mdl_delta_map params = {0, NULL};
    assert_int_equal(mdl_table__map_put(ctx, &params, "mode", "Append", NULL), MDL_OK);
    assert_int_equal(mdl_table__commit_info_build(ctx, 1700000000123, "WRITE", &params, NULL,
                                                  &a.u.commit_info, NULL),
                     MDL_OK);
    mdl_table__map_reset(ctx, &params);
    assert_int_equal(mdl_table__actions_push(list, &a, NULL), MDL_OK);

    memset(&a, 0, sizeof(a));
    a.kind = MDL_DELTA_PROTOCOL;
    a.u.protocol.min_reader_version = 1;
    a.u.protocol.min_writer_version = 2;
    assert_int_equal(mdl_table__actions_push(list, &a, NULL), MDL_OK);

    memset(&a, 0, sizeof(a));
    a.kind = MDL_DELTA_METADATA;
    a.u.metadata.id = dup(ctx, "0b9d3a2e-6f1c-4c1e-9a55-2f0c1d2e3f40");
    a.u.metadata.name = dup(ctx, "orders");
    a.u.metadata.format_provider = dup(ctx, "parquet");
    a.u.metadata.schema_string = dup(ctx, "{\"type\":\"struct\",\"fields\":[]}");
    assert_int_equal(mdl_table__strings_push(ctx, &a.u.metadata.partition_columns, "d", NULL),
                     MDL_OK);
    assert_int_equal(
        mdl_table__map_put(ctx, &a.u.metadata.configuration, "delta.appendOnly", "true", NULL),
        MDL_OK);
    a.u.metadata.has_created_time = true;
    a.u.metadata.created_time = 1700000000000;
    assert_int_equal(mdl_table__actions_push(list, &a, NULL), MDL_OK);

    memset(&a, 0, sizeof(a));
    a.kind = MDL_DELTA_ADD;
    a.u.add.path = dup(ctx, "d=a b%3A/part-0001 é.parquet");
    assert_int_equal(mdl_table__map_put(ctx, &a.u.add.partition_values, "d", "a b:", NULL), MDL_OK);
    a.u.add.size = 1234;
    a.u.add.modification_time = 1700000000999;
    a.u.add.data_change = true;
    a.u.add.stats = dup(ctx, "{\"numRecords\":2}");
    assert_int_equal(mdl_table__actions_push(list, &a, NULL), MDL_OK);

    memset(&a, 0, sizeof(a));
    a.kind = MDL_DELTA_REMOVE;
    a.u.remove.path = dup(ctx, "d=x/old.parquet");
    a.u.remove.has_deletion_timestamp = true;
    a.u.remove.deletion_timestamp = 1700000001000;
    a.u.remove.data_change = true;
    a.u.remove.has_extended_file_metadata = true;
    a.u.remove.extended_file_metadata = true;
    a.u.remove.has_partition_values = true;
    assert_int_equal(mdl_table__map_put(ctx, &a.u.remove.partition_values, "d", NULL, NULL),
                     MDL_OK);
    a.u.remove.has_size = true;
    a.u.remove.size = 99;
    assert_int_equal(mdl_table__actions_push(list, &a, NULL), MDL_OK);

    memset(&a, 0, sizeof(a));
    a.kind = MDL_DELTA_TXN;
    a.u.txn.app_id = dup(ctx, "bronze.orders");
    a.u.txn.version = 42;
    a.u.txn.has_last_updated = true;
    a.u.txn.last_updated = 1700000000000;
    assert_int_equal(mdl_table__actions_push(list, &a, NULL), MDL_OK);
}

static void test_table_delta_actions__write_exact_bytes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_actions list;
    build_commit(&ctx, &list);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, SIZE_MAX);
    assert_int_equal(mdl_table__actions_write(&list, &out, NULL), MDL_OK);
    char expect[2048];
    snprintf(
        expect, sizeof(expect),
        "{\"commitInfo\":{\"timestamp\":1700000000123,\"operation\":\"WRITE\","
        "\"operationParameters\":{\"mode\":\"Append\"},\"engineInfo\":\"medallion/%s\"}}\n"
        "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n"
        "{\"metaData\":{\"id\":\"0b9d3a2e-6f1c-4c1e-9a55-2f0c1d2e3f40\",\"name\":\"orders\","
        "\"format\":{\"provider\":\"parquet\",\"options\":{}},"
        "\"schemaString\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\","
        "\"partitionColumns\":[\"d\"],\"configuration\":{\"delta.appendOnly\":\"true\"},"
        "\"createdTime\":1700000000000}}\n"
        "{\"add\":{\"path\":\"d=a%%20b%%253A/part-0001%%20%%C3%%A9.parquet\",\"partitionValues\":"
        "{\"d\":\"a b:\"},\"size\":1234,\"modificationTime\":1700000000999,\"dataChange\":true,"
        "\"stats\":\"{\\\"numRecords\\\":2}\"}}\n"
        "{\"remove\":{\"path\":\"d=x/old.parquet\",\"deletionTimestamp\":1700000001000,"
        "\"dataChange\":true,\"extendedFileMetadata\":true,\"partitionValues\":{\"d\":null},"
        "\"size\":99}}\n"
        "{\"txn\":{\"appId\":\"bronze.orders\",\"version\":42,\"lastUpdated\":1700000000000}}\n",
        mdl_version());
    assert_string_equal(buf_str(&out), expect);
    mdl_buf_reset(&out);
    mdl_table__actions_reset(&list);
}

static void test_table_delta_actions__round_trip(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_actions list, back;
    build_commit(&ctx, &list);
    mdl_buf one, two;
    mdl_buf_init(&one, &ctx, SIZE_MAX);
    mdl_buf_init(&two, &ctx, SIZE_MAX);
    assert_int_equal(mdl_table__actions_write(&list, &one, NULL), MDL_OK);
    mdl_error err = {0};
    assert_int_equal(parse(&ctx, &back, buf_str(&one), &err), MDL_OK);
    assert_int_equal(back.count, list.count);
    assert_string_equal(back.items[3].u.add.path, "d=a b%3A/part-0001 é.parquet");
    assert_string_equal(back.items[2].u.metadata.schema_string,
                        "{\"type\":\"struct\",\"fields\":[]}");
    assert_int_equal(mdl_table__actions_write(&back, &two, NULL), MDL_OK);
    assert_string_equal(buf_str(&two), buf_str(&one));
    mdl_buf_reset(&one);
    mdl_buf_reset(&two);
    mdl_table__actions_reset(&list);
    mdl_table__actions_reset(&back);
}

static void test_table_delta_actions__json_string_escapes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, SIZE_MAX);
    const char s[] = "a\"b\\c\n\t\x01/é";
    assert_int_equal(mdl_table__json_string(&b, s, sizeof(s) - 1, NULL), MDL_OK);
    assert_string_equal(buf_str(&b), "\"a\\\"b\\\\c\\n\\t\\u0001/é\"");
    mdl_error err = {0};
    assert_int_equal(mdl_table__json_string(&b, "\xff", 1, &err), MDL_ERR_INVALID_ARG);
    mdl_buf_reset(&b);
}

static void test_table_delta_actions__protocol_gates(void **state)
{
    (void)state;
    mdl_delta_protocol p;
    memset(&p, 0, sizeof(p));
    mdl_error err = {0};
    p.min_reader_version = 1;
    p.min_writer_version = 2;
    assert_int_equal(mdl_table__protocol_check_write(&p, &err), MDL_OK);
    p.min_writer_version = 4;
    assert_int_equal(mdl_table__protocol_check_read(&p, &err), MDL_OK);
    assert_int_equal(mdl_table__protocol_check_write(&p, &err), MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message,
                        "table requires Delta writer version 4; medallion writes version 2");

    /* Writing a protocol action above 1/2 is refused and leaves no partial line. */
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_action a;
    memset(&a, 0, sizeof(a));
    a.kind = MDL_DELTA_PROTOCOL;
    a.u.protocol.min_reader_version = 1;
    a.u.protocol.min_writer_version = 7;
    mdl_buf b;
    mdl_buf_init(&b, &ctx, SIZE_MAX);
    assert_int_equal(mdl_table__action_write(&ctx, &a, &b, &err), MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "protocol: table requires Delta writer version 7; "
                                     "medallion writes version 2");
    assert_int_equal(b.len, 0);
    mdl_buf_reset(&b);
}

/* ---- malformed input ---------------------------------------------------------------------- */

static void test_table_delta_actions__malformed_lines(void **state)
{
    (void)state;
    const char *proto = "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}\n";
    char text[512];

    expect_parse_error("not json\n", MDL_ERR_PARSE,
                       "00000000000000000007.json:1: not valid JSON at byte 2: null expected");
    snprintf(text, sizeof(text), "%s{\"add\":{\"path\":\"a\"}}\n", proto);
    expect_parse_error(text, MDL_ERR_PARSE,
                       "00000000000000000007.json:2: add: missing required field "
                       "'partitionValues'");
    expect_parse_error("{\"add\":{\"partitionValues\":{},\"size\":1,\"modificationTime\":1,"
                       "\"dataChange\":true}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:1: add: missing required field 'path'");
    expect_parse_error("\n{\"add\":{\"path\":\"p\",\"partitionValues\":{},\"modificationTime\":1,"
                       "\"dataChange\":true}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:2: add: missing required field 'size'");
    expect_parse_error("{\"add\":{\"path\":\"p\",\"partitionValues\":{},\"size\":\"1\","
                       "\"modificationTime\":1,\"dataChange\":true}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:1: add.size: expected an integer, got string");
    expect_parse_error("{\"add\":{\"path\":\"p\",\"partitionValues\":{\"d\":1},\"size\":1,"
                       "\"modificationTime\":1,\"dataChange\":true}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:1: add.partitionValues.d: expected a string or "
                       "null, got int");
    expect_parse_error("{\"add\":{\"path\":\"a%zz\",\"partitionValues\":{},\"size\":1,"
                       "\"modificationTime\":1,\"dataChange\":true}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:1: add.path: bad percent-escape at byte 2 of "
                       "'a%zz'");
    expect_parse_error("{\"remove\":{\"path\":\"p\",\"dataChange\":true},"
                       "\"add\":{\"path\":\"p\"}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:1: two actions on one line ('remove' and "
                       "'add')");
    expect_parse_error("{}", MDL_ERR_PARSE,
                       "00000000000000000007.json:1: empty object: no action on this line");
    expect_parse_error("[1]", MDL_ERR_PARSE,
                       "00000000000000000007.json:1: expected a JSON object, got array");
    expect_parse_error(
        "{\"txn\":{\"appId\":\"a\",\"version\":1}} x", MDL_ERR_PARSE,
        "00000000000000000007.json:1: not valid JSON at byte 35: unexpected character");
    expect_parse_error(
        "{\"txn\":{\"appId\":\"a\",\"version\":1}", MDL_ERR_PARSE,
        "00000000000000000007.json:1: not valid JSON at byte 33: unexpected end of data");
    expect_parse_error("{\"txn\":[]}", MDL_ERR_PARSE,
                       "00000000000000000007.json:1: txn: expected an object, got array");
    expect_parse_error("{\"metaData\":{\"id\":\"x\",\"format\":{\"options\":{}},"
                       "\"schemaString\":\"{}\",\"partitionColumns\":[]}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:1: metaData.format: missing required field "
                       "'provider'");
    expect_parse_error("{\"protocol\":{\"readerVersion\":2,\"writerVersion\":7}}", MDL_ERR_PARSE,
                       "00000000000000000007.json:1: protocol: missing required field "
                       "'minReaderVersion'");
    expect_parse_error("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":0}}",
                       MDL_ERR_PARSE,
                       "00000000000000000007.json:1: protocol: versions must be positive "
                       "(minReaderVersion 1, minWriterVersion 0)");
    expect_parse_error("{\"txn\":{\"appId\":\"a\",\"version\":99999999999999999999}}",
                       MDL_ERR_RANGE,
                       "00000000000000000007.json:1: txn.version: integer does not fit 64 bits");
}

static void test_table_delta_actions__unsupported_reader_version(void **state)
{
    (void)state;
    expect_parse_error(
        "{\"commitInfo\":{}}\n"
        "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
        "\"readerFeatures\":[\"deletionVectors\",\"v2Checkpoint\"],\"writerFeatures\":[]}}\n",
        MDL_ERR_UNSUPPORTED,
        "00000000000000000007.json:2: table requires Delta reader version 3 (readerFeatures: "
        "deletionVectors, v2Checkpoint); medallion reads version 1");
    expect_parse_error("{\"protocol\":{\"minReaderVersion\":2,\"minWriterVersion\":5}}",
                       MDL_ERR_UNSUPPORTED,
                       "00000000000000000007.json:1: table requires Delta reader version 2; "
                       "medallion reads version 1");
    /* Writer version 7 alone does not stop reading. */
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_actions list;
    assert_int_equal(parse(&ctx, &list,
                           "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,"
                           "\"writerFeatures\":[\"appendOnly\",\"checkConstraints\"]}}",
                           NULL),
                     MDL_OK);
    mdl_error err = {0};
    assert_int_equal(mdl_table__protocol_check_write(&list.items[0].u.protocol, &err),
                     MDL_ERR_UNSUPPORTED);
    assert_string_equal(err.message, "table requires Delta writer version 7 (writerFeatures: "
                                     "appendOnly, checkConstraints); medallion writes version 2");
    mdl_table__actions_reset(&list);
}

static void test_table_delta_actions__limits(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    ctx.limits.max_record_bytes = 40;
    ctx.limits.max_json_depth = 4;
    mdl_delta_actions list;
    mdl_error err = {0};
    assert_int_equal(parse(&ctx, &list,
                           "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n"
                           "{\"txn\":{\"appId\":\"aaaaaaaaaaaaaaaaaaaa\",\"version\":1}}\n",
                           &err),
                     MDL_ERR_LIMIT);
    assert_string_equal(err.message,
                        "00000000000000000007.json:2: line is 52 bytes, over the limit of 40");
    assert_int_equal(list.count, 1);
    mdl_table__actions_reset(&list);
    assert_int_equal(parse(&ctx, &list, "{\"commitInfo\":{\"a\":{\"b\":{\"c\":{}}}}}", &err),
                     MDL_ERR_LIMIT);
    assert_string_equal(err.message,
                        "00000000000000000007.json:1: JSON nested deeper than 4 levels");
    mdl_table__actions_reset(&list);
}

/* ---- schema ------------------------------------------------------------------------------- */

static void test_table_delta_actions__schema_from_delta(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    const char *json =
        "{\"type\":\"struct\",\"fields\":["
        "{\"name\":\"b\",\"type\":\"boolean\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"i\",\"type\":\"integer\",\"nullable\":false,\"metadata\":{}},"
        "{\"name\":\"l\",\"type\":\"long\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"d\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"m\",\"type\":\"decimal(12,2)\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"s\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"dt\",\"type\":\"date\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"ts\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"y\",\"type\":\"byte\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"h\",\"type\":\"short\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"f\",\"type\":\"float\",\"nullable\":true,\"metadata\":{}}]}";
    mdl_schema *s = NULL;
    bool inv = true;
    assert_int_equal(mdl_table__schema_from_delta(&ctx, json, strlen(json), &s, &inv, NULL),
                     MDL_OK);
    assert_false(inv);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, SIZE_MAX);
    assert_int_equal(mdl_schema_format(s, &b, NULL), MDL_OK);
    assert_string_equal(buf_str(&b),
                        "b boolean, i int32 not null, l int64, d double, m decimal(12,2), "
                        "s string, dt date, ts timestamp, y int32, h int32, f double");
    mdl_buf_reset(&b);
    mdl_schema_release(s);

    const char *with_inv = "{\"type\":\"struct\",\"fields\":[{\"name\":\"x\",\"type\":\"long\","
                           "\"nullable\":true,\"metadata\":{\"delta.invariants\":\"{}\"}}]}";
    assert_int_equal(mdl_table__schema_from_delta(&ctx, with_inv, strlen(with_inv), &s, &inv, NULL),
                     MDL_OK);
    assert_true(inv);
    mdl_schema_release(s);
}

static void test_table_delta_actions__schema_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const struct {
        const char *field; /* the field object(s) inside "fields":[...] */
        int code;
        const char *message;
    } CASES[] = {
        {"{\"name\":\"raw\",\"type\":\"binary\",\"nullable\":true,\"metadata\":{}}",
         MDL_ERR_UNSUPPORTED, "column 'raw': Delta type 'binary' is not supported"},
        {"{\"name\":\"t\",\"type\":\"timestamp_ntz\",\"nullable\":true,\"metadata\":{}}",
         MDL_ERR_UNSUPPORTED, "column 't': Delta type 'timestamp_ntz' is not supported"},
        {"{\"name\":\"v\",\"type\":\"void\",\"nullable\":true,\"metadata\":{}}",
         MDL_ERR_UNSUPPORTED, "column 'v': Delta type 'void' is not supported"},
        {"{\"name\":\"a\",\"type\":{\"type\":\"array\",\"elementType\":\"long\","
         "\"containsNull\":true},\"nullable\":true,\"metadata\":{}}",
         MDL_ERR_UNSUPPORTED, "column 'a': Delta type 'array' is not supported"},
        {"{\"name\":\"st\",\"type\":{\"type\":\"struct\",\"fields\":[]},\"nullable\":true,"
         "\"metadata\":{}}",
         MDL_ERR_UNSUPPORTED, "column 'st': Delta type 'struct' is not supported"},
        {"{\"name\":\"mp\",\"type\":{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":"
         "\"string\",\"valueContainsNull\":true},\"nullable\":true,\"metadata\":{}}",
         MDL_ERR_UNSUPPORTED, "column 'mp': Delta type 'map' is not supported"},
        {"{\"name\":\"m\",\"type\":\"decimal(39,2)\",\"nullable\":true,\"metadata\":{}}",
         MDL_ERR_UNSUPPORTED, "column 'm': Delta type 'decimal(39,2)' is not supported"},
        {"{\"name\":\"Id\",\"type\":\"long\"},{\"name\":\"ID\",\"type\":\"long\"}", MDL_ERR_SCHEMA,
         "column 'ID' appears twice (names are case-insensitive)"},
        {"{\"name\":\"x\"}", MDL_ERR_PARSE, "schemaString field 1 needs a name and a type"},
        {"{\"name\":\"x\",\"type\":\"long\",\"nullable\":\"yes\"}", MDL_ERR_PARSE,
         "column 'x': nullable must be a boolean"},
    };
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        char json[512];
        snprintf(json, sizeof(json), "{\"type\":\"struct\",\"fields\":[%s]}", CASES[i].field);
        mdl_schema *s = NULL;
        mdl_error err = {0};
        assert_int_equal(mdl_table__schema_from_delta(&ctx, json, strlen(json), &s, NULL, &err),
                         CASES[i].code);
        assert_string_equal(err.message, CASES[i].message);
        assert_null(s);
    }
    mdl_schema *s = NULL;
    mdl_error err = {0};
    assert_int_equal(mdl_table__schema_from_delta(&ctx, "{\"type\":\"array\"}", 16, &s, NULL, &err),
                     MDL_ERR_PARSE);
    assert_int_equal(mdl_table__schema_from_delta(&ctx, "{nope", 5, &s, NULL, &err), MDL_ERR_PARSE);
    assert_string_equal(err.message, "schemaString is not valid JSON");
}

static void test_table_delta_actions__schema_to_delta(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_schema *s = NULL, *back = NULL;
    const mdl_field_def defs[] = {
        {"id", mdl_type_make(MDL_TYPE_INT64), false},
        {"ok", mdl_type_make(MDL_TYPE_BOOLEAN), true},
        {"n", mdl_type_make(MDL_TYPE_INT32), true},
        {"x", mdl_type_make(MDL_TYPE_DOUBLE), true},
        {"amt", mdl_type_decimal(38, 10), true},
        {"na\"me", mdl_type_make(MDL_TYPE_STRING), true},
        {"d", mdl_type_make(MDL_TYPE_DATE), true},
        {"ts", mdl_type_make(MDL_TYPE_TIMESTAMP), true},
    };
    assert_int_equal(mdl_schema_new(&ctx, defs, 8, &s, NULL), MDL_OK);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, SIZE_MAX);
    assert_int_equal(mdl_table__schema_to_delta(s, &b, NULL), MDL_OK);
    assert_string_equal(
        buf_str(&b),
        "{\"type\":\"struct\",\"fields\":["
        "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
        "{\"name\":\"ok\",\"type\":\"boolean\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"n\",\"type\":\"integer\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"x\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"amt\",\"type\":\"decimal(38,10)\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"na\\\"me\",\"type\":\"string\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"d\",\"type\":\"date\",\"nullable\":true,\"metadata\":{}},"
        "{\"name\":\"ts\",\"type\":\"timestamp\",\"nullable\":true,\"metadata\":{}}]}");
    assert_int_equal(mdl_table__schema_from_delta(&ctx, b.data, b.len, &back, NULL, NULL), MDL_OK);
    assert_int_equal(back->num_fields, s->num_fields);
    for (size_t i = 0; i < s->num_fields; i++) {
        assert_string_equal(back->fields[i].name, s->fields[i].name);
        assert_true(mdl_type_equal(back->fields[i].type, s->fields[i].type));
        assert_int_equal(back->fields[i].nullable, s->fields[i].nullable);
    }
    mdl_buf_reset(&b);
    mdl_schema_release(s);
    mdl_schema_release(back);
}

/* ---- partition values --------------------------------------------------------------------- */

static void test_table_delta_actions__partition_values(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const struct {
        const char *type;
        const char *in;  /* text parsed into the column (NULL = null) */
        const char *out; /* what is written back (NULL = JSON null) */
    } CASES[] = {
        {"boolean", "true", "true"},
        {"boolean", "false", "false"},
        {"int32", "-2147483648", "-2147483648"},
        {"int64", "9223372036854775807", "9223372036854775807"},
        {"double", "0.1", "0.1"},
        {"double", "-1.5e+300", "-1.5e+300"},
        {"double", "NaN", "NaN"},
        {"double", "-Infinity", "-Infinity"},
        {"decimal(12,2)", "-1234.50", "-1234.50"},
        {"decimal(12,2)", "7", "7.00"},
        {"decimal(38,0)", "12345678901234567890123456789012345678",
         "12345678901234567890123456789012345678"},
        {"date", "2017-12-10", "2017-12-10"},
        {"date", "0001-01-01", "0001-01-01"},
        {"timestamp", "1970-01-01 00:00:00", "1970-01-01T00:00:00Z"},
        {"timestamp", "2024-02-29 23:59:59.123456", "2024-02-29T23:59:59.123456Z"},
        {"timestamp", "2024-02-29T23:59:59.5Z", "2024-02-29T23:59:59.500Z"},
        {"timestamp", "1969-12-31T23:59:59.999999Z", "1969-12-31T23:59:59.999999Z"},
        {"string", "a b/c=d", "a b/c=d"},
        {"string", "日本", "日本"},
        {"string", NULL, NULL},
        {"string", "", NULL},
        {"int64", NULL, NULL},
        {"date", "", NULL},
    };
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        mdl_type t;
        assert_int_equal(mdl_type_parse(mdl_sv(CASES[i].type), &t, NULL), MDL_OK);
        mdl_batch *b = one_column(&ctx, t);
        mdl_error err = {0};
        int rc =
            mdl_table__partition_value_parse(&ctx, "c", CASES[i].in, mdl_batch_column(b, 0), &err);
        if (rc != MDL_OK)
            fail_msg("case %zu: %s", i, err.message);
        char *text = NULL;
        assert_int_equal(
            mdl_table__partition_value_format(&ctx, mdl_batch_column(b, 0), 0, &text, NULL),
            MDL_OK);
        if (CASES[i].out == NULL)
            assert_null(text);
        else
            assert_string_equal(text, CASES[i].out);
        mdl_free(&ctx, text);
        mdl_batch_free(b);
    }
}

static void test_table_delta_actions__partition_value_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const struct {
        const char *type, *in, *message;
    } CASES[] = {
        {"int32", "2147483648", "partition column 'c': '2147483648' is not a valid int32 value"},
        {"int64", "12a", "partition column 'c': '12a' is not a valid int64 value"},
        {"int64", " 1", "partition column 'c': ' 1' is not a valid int64 value"},
        {"boolean", "TRUE", "partition column 'c': 'TRUE' is not a valid boolean value"},
        {"double", "inf", "partition column 'c': 'inf' is not a valid double value"},
        {"double", "0x10", "partition column 'c': '0x10' is not a valid double value"},
        {"date", "2017-02-30", "partition column 'c': '2017-02-30' is not a valid date value"},
        {"decimal(4,2)", "123.4",
         "partition column 'c': '123.4' is not a valid decimal(4,2) value"},
        {"timestamp", "yesterday",
         "partition column 'c': 'yesterday' is not a valid timestamp value"},
    };
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        mdl_type t;
        assert_int_equal(mdl_type_parse(mdl_sv(CASES[i].type), &t, NULL), MDL_OK);
        mdl_batch *b = one_column(&ctx, t);
        mdl_error err = {0};
        assert_int_equal(
            mdl_table__partition_value_parse(&ctx, "c", CASES[i].in, mdl_batch_column(b, 0), &err),
            MDL_ERR_PARSE);
        assert_string_equal(err.message, CASES[i].message);
        mdl_batch_free(b);
    }
}

/* ---- Hive folders and URI paths ----------------------------------------------------------- */

static void test_table_delta_actions__hive_escaping(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const struct {
        const char *column, *value, *dir;
    } CASES[] = {
        {"d", "2024-01-02", "d=2024-01-02"},
        {"d", NULL, "d=__HIVE_DEFAULT_PARTITION__"},
        {"d", "", "d=__HIVE_DEFAULT_PARTITION__"},
        {"city", "New York", "city=New York"},
        {"p", "a/b", "p=a%2Fb"},
        {"p", "k=v", "p=k%3Dv"},
        {"ts", "2024-01-02T03:04:05Z", "ts=2024-01-02T03%3A04%3A05Z"},
        {"p", "100%", "p=100%25"},
        {"p", "\"#'*?\\{[]^}", "p=%22%23%27%2A%3F%5C%7B%5B%5D%5E}"},
        {"p", "tab\there\n\x7f", "p=tab%09here%0A%7F"},
        {"p", "Zürich 日本", "p=Zürich 日本"},
        {"a=b", "x", "a%3Db=x"},
    };
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        mdl_buf b, u;
        mdl_buf_init(&b, &ctx, SIZE_MAX);
        mdl_buf_init(&u, &ctx, SIZE_MAX);
        assert_int_equal(mdl_table__hive_dir(CASES[i].column, CASES[i].value, &b, NULL), MDL_OK);
        assert_string_equal(buf_str(&b), CASES[i].dir);
        /* The value part unescapes to the original. */
        const char *eq = strchr(b.data, '='); /* '=' in names and values is escaped */
        if (CASES[i].value != NULL && CASES[i].value[0] != '\0') {
            assert_int_equal(mdl_table__hive_unescape(eq + 1, strlen(eq + 1), &u, NULL), MDL_OK);
            assert_string_equal(buf_str(&u), CASES[i].value);
        }
        mdl_buf_reset(&b);
        mdl_buf_reset(&u);
    }
    /* Like Spark, a '%' that does not start an escape is kept. */
    mdl_buf u;
    mdl_buf_init(&u, &ctx, SIZE_MAX);
    assert_int_equal(mdl_table__hive_unescape("50%-%4g%2", 9, &u, NULL), MDL_OK);
    assert_string_equal(buf_str(&u), "50%-%4g%2");
    mdl_buf_reset(&u);
}

static void test_table_delta_actions__path_encoding(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    static const struct {
        const char *path, *uri;
    } CASES[] = {
        {"part-00000-1b2c.c000.zstd.parquet", "part-00000-1b2c.c000.zstd.parquet"},
        {"d=2024-01-02/part-0.parquet", "d=2024-01-02/part-0.parquet"},
        {"city=New York/p.parquet", "city=New%20York/p.parquet"},
        {"ts=2024-01-02T03%3A04%3A05Z/p.parquet", "ts=2024-01-02T03%253A04%253A05Z/p.parquet"},
        {"p=Zürich/a+b;c#d?e.parquet", "p=Z%C3%BCrich/a%2Bb%3Bc%23d%3Fe.parquet"},
    };
    for (size_t i = 0; i < sizeof(CASES) / sizeof(CASES[0]); i++) {
        mdl_buf e, d;
        mdl_buf_init(&e, &ctx, SIZE_MAX);
        mdl_buf_init(&d, &ctx, SIZE_MAX);
        assert_int_equal(mdl_table__path_encode(CASES[i].path, strlen(CASES[i].path), &e, NULL),
                         MDL_OK);
        assert_string_equal(buf_str(&e), CASES[i].uri);
        assert_int_equal(mdl_table__path_decode(e.data, e.len, &d, NULL), MDL_OK);
        assert_string_equal(buf_str(&d), CASES[i].path);
        mdl_buf_reset(&e);
        mdl_buf_reset(&d);
    }
    static const char *const BAD[] = {"a%", "a%2", "a%g0", "a%00b"};
    for (size_t i = 0; i < sizeof(BAD) / sizeof(BAD[0]); i++) {
        mdl_buf d;
        mdl_buf_init(&d, &ctx, SIZE_MAX);
        mdl_error err = {0};
        assert_int_equal(mdl_table__path_decode(BAD[i], strlen(BAD[i]), &d, &err), MDL_ERR_PARSE);
        mdl_buf_reset(&d);
    }
}

/* ---- stats -------------------------------------------------------------------------------- */

static void test_table_delta_actions__stats_round_trip(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_schema *s = NULL;
    assert_int_equal(mdl_schema_parse(&ctx,
                                      "id int64, amt decimal(10,2), x double, name string, "
                                      "d date, ts timestamp, ok boolean, n int32",
                                      &s, NULL),
                     MDL_OK);
    /* Row 0 holds the minimums, row 1 the maximums. */
    mdl_batch *b = NULL;
    assert_int_equal(mdl_batch_new(&ctx, s, 2, &b, NULL), MDL_OK);
    static const char *const MINS[] = {
        "-5", "-0.50", "0.25", "abc", "2024-01-01", "2024-01-01 10:00:00.123456", "false", NULL};
    static const char *const MAXS[] = {"9000000000", "12345678.99", "1e+20",
                                       "abd\"",      "2024-12-31",  "2024-01-02 10:00:00.000001",
                                       "true",       NULL};
    for (size_t i = 0; i < s->num_fields; i++) {
        assert_int_equal(
            mdl_table__partition_value_parse(&ctx, "c", MINS[i], mdl_batch_column(b, i), NULL),
            MDL_OK);
        assert_int_equal(
            mdl_table__partition_value_parse(&ctx, "c", MAXS[i], mdl_batch_column(b, i), NULL),
            MDL_OK);
    }
    b->num_rows = 2;
    mdl_delta_col_stats cols[8];
    for (size_t i = 0; i < s->num_fields; i++) {
        cols[i].name = s->fields[i].name;
        cols[i].min = mdl_batch_column(b, i);
        cols[i].min_row = 0;
        cols[i].max = mdl_batch_column(b, i);
        cols[i].max_row = 1;
        cols[i].null_count = (int64_t)i;
    }
    cols[7].null_count = -1;
    char *json = NULL;
    assert_int_equal(mdl_table__stats_build(&ctx, 10, cols, s->num_fields, &json, NULL), MDL_OK);
    assert_string_equal(
        json, "{\"numRecords\":10,"
              "\"minValues\":{\"id\":-5,\"amt\":-0.50,\"x\":0.25,\"name\":\"abc\","
              "\"d\":\"2024-01-01\",\"ts\":\"2024-01-01T10:00:00.123Z\"},"
              "\"maxValues\":{\"id\":9000000000,\"amt\":12345678.99,\"x\":1e+20,"
              "\"name\":\"abd\\\"\",\"d\":\"2024-12-31\",\"ts\":\"2024-01-02T10:00:00.001Z\"},"
              "\"nullCount\":{\"id\":0,\"amt\":1,\"x\":2,\"name\":3,\"d\":4,\"ts\":5,\"ok\":6}}");

    mdl_delta_stats st;
    assert_int_equal(mdl_table__stats_parse(&ctx, s, json, strlen(json), &st, NULL), MDL_OK);
    assert_int_equal(st.num_records, 10);
    mdl_buf dump;
    mdl_buf_init(&dump, &ctx, SIZE_MAX);
    mdl_test_dump_batch(st.min_values, &dump);
    mdl_test_dump_batch(st.max_values, &dump);
    assert_string_equal(buf_str(&dump),
                        "-5|-0.50|0.25|abc|2024-01-01|2024-01-01T10:00:00.123Z|\\N|\\N\n"
                        "9000000000|12345678.99|1e+20|abd\"|2024-12-31|"
                        "2024-01-02T10:00:00.001999Z|\\N|\\N\n");
    assert_int_equal(st.null_count[0], 0);
    assert_int_equal(st.null_count[5], 5);
    assert_int_equal(st.null_count[7], -1);
    mdl_buf_reset(&dump);
    mdl_table__stats_reset(&ctx, &st);
    mdl_free(&ctx, json);
    mdl_batch_free(b);
    mdl_schema_release(s);
}

static void test_table_delta_actions__stats_string_truncation(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_batch *b = one_column(&ctx, mdl_type_make(MDL_TYPE_STRING));
    mdl_column *c = mdl_batch_column(b, 0);
    /* 0: 40 ASCII chars; 1: 31 'z' + 'é' + more; 2: 32 U+10FFFF then more (no upper bound). */
    char s0[41], s1[64], s2[4 * 33 + 1];
    memset(s0, 'a', 40);
    s0[39] = 'q';
    s0[40] = '\0';
    memset(s1, 'z', 31);
    strcpy(s1 + 31, "éxyz");
    for (int i = 0; i < 33; i++)
        memcpy(s2 + 4 * i, "\xf4\x8f\xbf\xbf", 4);
    s2[4 * 33] = '\0';
    assert_int_equal(mdl_column_append_string(&ctx, c, s0, strlen(s0), NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, c, s1, strlen(s1), NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, c, s2, strlen(s2), NULL), MDL_OK);
    b->num_rows = 3;

    char expect[256];
    char *json = NULL;
    mdl_delta_col_stats cs = {"c", c, 0, c, 0, 0};
    assert_int_equal(mdl_table__stats_build(&ctx, 1, &cs, 1, &json, NULL), MDL_OK);
    /* min: first 32 chars; max: 31 'a' then 'b' (the 32nd char incremented). */
    snprintf(expect, sizeof(expect),
             "{\"numRecords\":1,\"minValues\":{\"c\":\"%.32s\"},\"maxValues\":{\"c\":\"%.31sb\"},"
             "\"nullCount\":{\"c\":0}}",
             s0, s0);
    assert_string_equal(json, expect);
    mdl_free(&ctx, json);

    cs.min_row = cs.max_row = 1;
    assert_int_equal(mdl_table__stats_build(&ctx, 1, &cs, 1, &json, NULL), MDL_OK);
    snprintf(expect, sizeof(expect),
             "{\"numRecords\":1,\"minValues\":{\"c\":\"%.31sé\"},\"maxValues\":{\"c\":\"%.31sê\"},"
             "\"nullCount\":{\"c\":0}}",
             s1, s1);
    assert_string_equal(json, expect);
    mdl_free(&ctx, json);

    cs.min_row = cs.max_row = 2;
    assert_int_equal(mdl_table__stats_build(&ctx, 1, &cs, 1, &json, NULL), MDL_OK);
    assert_non_null(strstr(json, "\"maxValues\":{}"));
    mdl_free(&ctx, json);
    mdl_batch_free(b);
}

static void test_table_delta_actions__stats_from_other_writers(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_schema *s = NULL;
    assert_int_equal(
        mdl_schema_parse(&ctx, "a int32, b string, ts timestamp, m decimal(20,3)", &s, NULL),
        MDL_OK);
    /* Unknown keys, wrong types, values out of range and tightBounds are tolerated. */
    const char *json = "{\"numRecords\":3,\"tightBounds\":true,"
                       "\"minValues\":{\"a\":3000000000,\"b\":7,\"zz\":1,"
                       "\"ts\":\"2024-01-01T00:00:00.000+01:00\",\"m\":12345678901234567.125},"
                       "\"maxValues\":{\"a\":-1,\"ts\":\"2024-01-01T00:00:00.000Z\"},"
                       "\"nullCount\":{\"a\":\"x\",\"b\":2}}";
    mdl_delta_stats st;
    assert_int_equal(mdl_table__stats_parse(&ctx, s, json, strlen(json), &st, NULL), MDL_OK);
    mdl_buf dump;
    mdl_buf_init(&dump, &ctx, SIZE_MAX);
    mdl_test_dump_batch(st.min_values, &dump);
    mdl_test_dump_batch(st.max_values, &dump);
    assert_string_equal(buf_str(&dump), "\\N|\\N|2023-12-31T23:00:00Z|12345678901234567.125\n"
                                        "-1|\\N|2024-01-01T00:00:00.000999Z|\\N\n");
    assert_int_equal(st.null_count[0], -1);
    assert_int_equal(st.null_count[1], 2);
    mdl_buf_reset(&dump);
    mdl_table__stats_reset(&ctx, &st);

    mdl_error err = {0};
    assert_int_equal(mdl_table__stats_parse(&ctx, s, "{\"numRecords\":", 14, &st, &err),
                     MDL_ERR_PARSE);
    assert_string_equal(err.message, "stats are not a JSON object");
    assert_null(st.min_values);
    mdl_schema_release(s);
}

static void test_table_delta_actions__commit_info_metrics(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    mdl_delta_map m = {0, NULL};
    assert_int_equal(mdl_table__map_put(&ctx, &m, "numFiles", "2", NULL), MDL_OK);
    assert_int_equal(mdl_table__map_put(&ctx, &m, "numOutputRows", "10", NULL), MDL_OK);
    char *ci = NULL;
    assert_int_equal(mdl_table__commit_info_build(&ctx, 5, "OPTIMIZE", NULL, &m, &ci, NULL),
                     MDL_OK);
    char expect[256];
    snprintf(expect, sizeof(expect),
             "{\"timestamp\":5,\"operation\":\"OPTIMIZE\",\"operationParameters\":{},"
             "\"engineInfo\":\"medallion/%s\",\"operationMetrics\":{\"numFiles\":\"2\","
             "\"numOutputRows\":\"10\"}}",
             mdl_version());
    assert_string_equal(ci, expect);
    mdl_free(&ctx, ci);
    mdl_table__map_reset(&ctx, &m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_delta_actions__parse_protocol_examples),
        cmocka_unit_test(test_table_delta_actions__null_partition_value_and_crlf),
        cmocka_unit_test(test_table_delta_actions__write_exact_bytes),
        cmocka_unit_test(test_table_delta_actions__round_trip),
        cmocka_unit_test(test_table_delta_actions__json_string_escapes),
        cmocka_unit_test(test_table_delta_actions__protocol_gates),
        cmocka_unit_test(test_table_delta_actions__malformed_lines),
        cmocka_unit_test(test_table_delta_actions__unsupported_reader_version),
        cmocka_unit_test(test_table_delta_actions__limits),
        cmocka_unit_test(test_table_delta_actions__schema_from_delta),
        cmocka_unit_test(test_table_delta_actions__schema_errors),
        cmocka_unit_test(test_table_delta_actions__schema_to_delta),
        cmocka_unit_test(test_table_delta_actions__partition_values),
        cmocka_unit_test(test_table_delta_actions__partition_value_errors),
        cmocka_unit_test(test_table_delta_actions__hive_escaping),
        cmocka_unit_test(test_table_delta_actions__path_encoding),
        cmocka_unit_test(test_table_delta_actions__stats_round_trip),
        cmocka_unit_test(test_table_delta_actions__stats_string_truncation),
        cmocka_unit_test(test_table_delta_actions__stats_from_other_writers),
        cmocka_unit_test(test_table_delta_actions__commit_info_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
