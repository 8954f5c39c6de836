/*
 * test_format_json.c - unit tests of the JSON-lines reader: line splitting, json-c parsing
 * and what we add to it, paths, raw and remainder columns, conversion to every type,
 * per-line rejects, limits, chunk and batch boundaries, and the stream adapter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "test_support.h"

/* Reads `text` fully into res; rejects are collected into res->rejects unless opts has its
 * own on_reject or reject_payload is (void *)1 (then the first bad line fails the read). */
static void read_json(mdl_ctx *ctx, const char *text, size_t len, const char *schema_text,
                      mdl_json_options *opts, mdl_test_result *res)
{
    mdl_json_options local;
    if (opts == NULL) {
        mdl_json_options_init(&local);
        opts = &local;
    }
    if (opts->on_reject == NULL && opts->reject_payload != (void *)1) {
        opts->on_reject = mdl_test_collect_reject;
        opts->reject_payload = &res->rejects;
    }
    if (opts->reject_payload == (void *)1)
        opts->reject_payload = NULL;
    mdl_test_read_memory(ctx, &mdl_test_json_reader, text, len, "t.jsonl", schema_text, opts, res);
}

#define READ(text, schema, opts, res) read_json(&ctx, text, strlen(text), schema, opts, res)

/* Reads `text` and checks with mdl_test_expect_rows that it gives `rows` and `rejects`. */
#define READ_EXPECT(text, schema, opts, rows, rejects)                                             \
    do {                                                                                           \
        mdl_test_result res_;                                                                      \
        READ(text, schema, opts, &res_);                                                           \
        mdl_test_expect_rows(&res_, rows, rejects);                                                \
        mdl_test_result_free(&res_);                                                               \
    } while (0)

/* Reads one line that must be rejected and checks the reject line. */
#define REJECTS(text, schema, expected) READ_EXPECT(text, schema, NULL, "", expected)

/* ---- values and types -------------------------------------------------------------------- */

static void test_format_json__basic_types(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("{\"b\":true,\"i\":1,\"l\":-9000000000,\"d\":1.5,\"m\":12.34,\"s\":\"hi\","
         "\"dt\":\"2024-02-29\",\"ts\":\"2024-01-01T00:00:00Z\"}\n"
         "{\"b\":false,\"i\":-2147483648,\"l\":9223372036854775807,\"d\":-0.25,\"m\":-0.5,"
         "\"s\":\"\",\"dt\":\"1970-01-01\",\"ts\":\"2024-06-30 12:00:00.5+02:00\"}\n",
         "b boolean, i int32, l int64, d double, m decimal(5,2), s string, dt date, ts timestamp",
         NULL, &res);
    /* An empty JSON string is an empty string, not NULL. */
    mdl_test_expect_rows(&res,
                         "true|1|-9000000000|1.5|12.34|hi|2024-02-29|2024-01-01T00:00:00Z\n"
                         "false|-2147483648|9223372036854775807|-0.25|-0.50||1970-01-01|"
                         "2024-06-30T10:00:00.500Z\n",
                         "");
    assert_int_equal(res.stats.rows_read, 2);
    assert_int_equal(res.stats.rows_rejected, 0);
    assert_int_equal(res.stats.lines, 2);
    mdl_test_result_free(&res);
}

/* json-c keeps a double's literal text; the reader converts from it, never via a double. */
static void test_format_json__number_text_is_kept_by_json_c(void **state)
{
    (void)state;
    const char *line = "{\"a\":0.1,\"b\":12345678901234567.89,\"c\":1.50,\"d\":1e5}";
    struct json_object *o = json_tokener_parse(line);
    assert_non_null(o);
    const char *keys[] = {"a", "b", "c", "d"};
    const char *want[] = {"0.1", "12345678901234567.89", "1.50", "1e5"};
    for (int i = 0; i < 4; i++) {
        struct json_object *v;
        assert_true(json_object_object_get_ex(o, keys[i], &v));
        assert_string_equal(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), want[i]);
    }
    json_object_put(o);
}

static void test_format_json__exact_decimals_from_numbers(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("{\"m\":0.1,\"big\":12345678901234567.89,\"d\":0.1,\"s\":1.50}\n"
         "{\"m\":-0.005,\"big\":-99999999999999999999999999999999999.99,\"d\":1e5,\"s\":1e5}\n"
         "{\"m\":12,\"big\":1.5e3,\"d\":-0.0,\"s\":-7}\n"
         "{\"m\":1e400,\"big\":0,\"d\":0,\"s\":0}\n"
         "{\"m\":0,\"big\":0,\"d\":1e400,\"s\":0}\n"
         "{\"m\":123456789.5,\"big\":0,\"d\":0,\"s\":0}\n",
         "m decimal(10,2), big decimal(38,2), d double, s string", NULL, &res);
    mdl_test_expect_rows(
        &res,
        "0.10|12345678901234567.89|0.10000000000000001|1.50\n"
        "-0.01|-99999999999999999999999999999999999.99|100000|1e5\n"
        "12.00|1500.00|-0|-7\n",
        "t.jsonl:4: column 'm': '1e400' is out of range for the decimal's precision\n"
        "t.jsonl:5: column 'd': '1e400' is out of range for double\n"
        "t.jsonl:6: column 'm': '123456789.5' is out of range for the decimal's precision\n");
    mdl_test_result_free(&res);
}

static void test_format_json__integers(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("{\"i\":2147483647,\"l\":-9223372036854775808,\"s\":18446744073709551615}\n"
                "{\"i\":2147483648,\"l\":0,\"s\":0}\n"
                "{\"i\":1.5,\"l\":0,\"s\":0}\n"
                "{\"i\":0,\"l\":9223372036854775808,\"s\":0}\n"
                "{\"i\":1e2,\"l\":-0,\"s\":-0}\n",
                "i int32, l int64, s string", NULL,
                "2147483647|-9223372036854775808|18446744073709551615\n",
                "t.jsonl:2: column 'i': '2147483648' is out of range for int32\n"
                "t.jsonl:3: column 'i': '1.5' is not an integer\n"
                "t.jsonl:4: column 'l': '9223372036854775808' is out of range for int64\n"
                "t.jsonl:5: column 'i': '1e2' is not an integer\n");
}

static void test_format_json__numbers_as_strings(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* Decimal strings round half away from zero, as numbers do. */
    READ_EXPECT(
        "{\"i\":\"42\",\"m\":\"12.345\",\"d\":\" 2.5 \",\"b\":\"yes\",\"dt\":\"2024-01-31\","
        "\"ts\":\"2024-01-31T10:00:00+01:00\"}\n"
        "{\"i\":\"abc\",\"m\":\"1\",\"d\":\"1\",\"b\":\"y\",\"dt\":\"2024-01-31\",\"ts\":\"2024\"}"
        "\n"
        "{\"i\":\"1\",\"m\":\"x\",\"d\":\"1\",\"b\":\"y\",\"dt\":\"2024-01-31\",\"ts\":\"2024\"}\n"
        "{\"i\":\"1\",\"m\":\"1\",\"d\":\"1\",\"b\":\"maybe\",\"dt\":\"2024-01-31\",\"ts\":"
        "\"2024\"}\n"
        "{\"i\":\"1\",\"m\":\"1\",\"d\":\"1\",\"b\":\"n\",\"dt\":\"2023-02-29\",\"ts\":\"2024\"}\n"
        "{\"i\":\"1\",\"m\":\"1\",\"d\":\"1\",\"b\":\"n\",\"dt\":\"2023-02-28\","
        "\"ts\":\"yesterday\"}\n"
        "{\"i\":\"\",\"m\":\"1\",\"d\":\"1\",\"b\":\"n\",\"dt\":\"2023-02-28\",\"ts\":\"2024\"}\n",
        "i int32, m decimal(5,2), d double, b boolean, dt date, ts timestamp", NULL,
        "42|12.35|2.5|true|2024-01-31|2024-01-31T09:00:00Z\n",
        "t.jsonl:2: column 'i': 'abc' is not an integer\n"
        "t.jsonl:3: column 'm': 'x' is not a decimal number\n"
        "t.jsonl:4: column 'b': 'maybe' is not a boolean\n"
        "t.jsonl:5: column 'dt': '2023-02-29' is not a valid calendar date\n"
        "t.jsonl:6: column 'ts': 'yesterday' is not an ISO-8601 timestamp\n"
        "t.jsonl:7: column 'i': '' is not an integer\n");
}

static void test_format_json__type_mismatches(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* Objects and arrays into a string column become compact JSON; '/' is not escaped. */
    READ_EXPECT("{\"s\":true,\"b\":1,\"i\":0,\"dt\":\"2024-01-01\"}\n"
                "{\"s\":{\"x\":[1,\"a/b\"]},\"b\":0,\"i\":0,\"dt\":\"2024-01-01\"}\n"
                "{\"s\":[],\"b\":false,\"i\":0,\"dt\":\"2024-01-01\"}\n"
                "{\"s\":1.25,\"b\":\"t\",\"i\":0,\"dt\":\"2024-01-01\"}\n"
                "{\"s\":\"\",\"b\":true,\"i\":true,\"dt\":\"2024-01-01\"}\n"
                "{\"s\":\"\",\"b\":true,\"i\":{\"a\":1},\"dt\":\"2024-01-01\"}\n"
                "{\"s\":\"\",\"b\":true,\"i\":[1],\"dt\":\"2024-01-01\"}\n"
                "{\"s\":\"\",\"b\":true,\"i\":1,\"dt\":20240101}\n"
                "{\"s\":\"\",\"b\":true,\"i\":1,\"dt\":false}\n"
                "{\"s\":\"\",\"b\":{},\"i\":1,\"dt\":\"2024-01-01\"}\n"
                "{\"s\":\"\",\"b\":2,\"i\":1,\"dt\":\"2024-01-01\"}\n",
                "s string, b boolean, i int64, dt date", NULL,
                "true|true|0|2024-01-01\n"
                "{\"x\":[1,\"a/b\"]}|false|0|2024-01-01\n"
                "[]|false|0|2024-01-01\n"
                "1.25|true|0|2024-01-01\n",
                "t.jsonl:5: column 'i': expected a number, found boolean true\n"
                "t.jsonl:6: column 'i': expected a number, found object\n"
                "t.jsonl:7: column 'i': expected a number, found array\n"
                "t.jsonl:8: column 'dt': expected a string, found number 20240101\n"
                "t.jsonl:9: column 'dt': expected a string, found boolean false\n"
                "t.jsonl:10: column 'b': expected a boolean, found object\n"
                "t.jsonl:11: column 'b': '2' is not a boolean\n");
}

static void test_format_json__timestamps_need_strings(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    REJECTS("{\"ts\":1700000000}\n", "ts timestamp",
            "t.jsonl:1: column 'ts': expected a string, found number 1700000000\n");
}

static void test_format_json__unicode_escapes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* json-c turns an unpaired surrogate into U+FFFD, so the string stays valid UTF-8. */
    READ_EXPECT("{\"s\":\"caf\\u00e9 \\ud83d\\ude00 \\\"q\\\" \\\\ \\/ tab\\t.\"}\n"
                "{\"s\":\"h\xC3\xA9llo\"}\n"
                "{\"s\":\"lone \\ud800 surrogate\"}\n",
                "s string", NULL,
                "caf\xC3\xA9 \xF0\x9F\x98\x80 \"q\" \\ / tab\t.\n"
                "h\xC3\xA9llo\n"
                "lone \xEF\xBF\xBD surrogate\n",
                "");
}

/* \u0000 is a legal escape; the string keeps its NUL byte and its full length. */
static void test_format_json__nul_escape_kept(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *schema;
    assert_int_equal(mdl_schema_parse(&ctx, "s string", &schema, NULL), MDL_OK);
    static const char text[] = "{\"s\":\"nul\\u0000byte\"}\n";
    mdl_input *in;
    assert_int_equal(mdl_input_open_memory(&ctx, text, sizeof text - 1, "t.jsonl", &in, NULL),
                     MDL_OK);
    mdl_json_reader *r;
    assert_int_equal(mdl_json_reader_open(&ctx, in, schema, NULL, &r, NULL), MDL_OK);
    mdl_schema_release(schema);
    mdl_batch *b;
    assert_int_equal(mdl_json_reader_next(r, &b, NULL), MDL_OK);
    assert_non_null(b);
    assert_int_equal(b->num_rows, 1);
    mdl_strview v = mdl_column_str(&b->columns[0], 0);
    assert_int_equal(v.len, 8);
    assert_memory_equal(v.ptr, "nul\0byte", 8);
    mdl_batch_free(b);
    mdl_json_reader_free(r);
}

static void test_format_json__duplicate_keys_last_wins(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("{\"a\":1,\"a\":2}\n", "a int32", NULL, "2\n", NULL);
}

/* ---- paths, raw and remainder ------------------------------------------------------------ */

static void test_format_json__nested_paths(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    const mdl_json_column_map paths[] = {
        {"page", "properties.page"},
        {"city", "context.geo.city"},
        {"uid", "user_id"},
        {"a.b", NULL},
    };
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.paths = paths;
    o.num_paths = 4;
    /* A missing key, a null, or a non-object on the way are all NULL; a column named with
     * a dot and no path override is one top-level key. */
    READ_EXPECT(
        "{\"user_id\":1,\"properties\":{\"page\":\"/home\"},\"context\":{\"geo\":{\"city\":"
        "\"Oslo\"}},\"a\":{\"b\":\"nested\"},\"a.b\":\"dotted\"}\n"
        "{\"user_id\":2,\"properties\":{},\"context\":{\"geo\":null}}\n"
        "{\"user_id\":3,\"properties\":\"flat\",\"context\":[{\"geo\":{\"city\":\"x\"}}]}\n"
        "{\"user_id\":4,\"properties\":{\"page\":null},\"context\":{\"geo\":{\"city\":7}}}\n",
        "uid int64, page string, city string, a.b string", &o,
        "1|/home|Oslo|dotted\n"
        "2|\\N|\\N|\\N\n"
        "3|\\N|\\N|\\N\n"
        "4|\\N|7|\\N\n",
        "");
}

static void test_format_json__default_name_with_dots_is_one_key(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("{\"a.b\":1,\"a\":{\"b\":2}}\n", "a.b int32", NULL, "1\n", NULL);
}

static void test_format_json__missing_keys_are_null(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("{}\n{\"a\":null,\"b\":null}\n{\"a\":1,\"zzz\":[1,2]}\n", "a int32, b string", NULL,
                "\\N|\\N\n\\N|\\N\n1|\\N\n", NULL);
}

static void test_format_json__not_nullable_violation(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("{\"id\":1,\"v\":null}\n{\"v\":2}\n{\"id\":null,\"v\":3}\n{\"id\":4}\n",
         "id int64 not null, v int32", NULL, &res);
    mdl_test_expect_rows(
        &res, "1|\\N\n4|\\N\n",
        "t.jsonl:2: column 'id': missing or null value in a column that is not nullable\n"
        "t.jsonl:3: column 'id': missing or null value in a column that is not nullable\n");
    assert_int_equal(res.stats.rows_read, 4);
    assert_int_equal(res.stats.rows_rejected, 2);
    mdl_test_result_free(&res);
}

static void test_format_json__raw_column(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.raw_column = "raw";
    /* Compact JSON, keys in their order, number literals as written. */
    READ_EXPECT("{ \"id\" : 1 , \"x\" : { \"y\" : [ 1.50 , \"a/b\" , null ] } }\n"
                "{\"id\":2}\n",
                "id int32, raw string not null", &o,
                "1|{\"id\":1,\"x\":{\"y\":[1.50,\"a/b\",null]}}\n"
                "2|{\"id\":2}\n",
                NULL);
}

static void test_format_json__remainder_column(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    const mdl_json_column_map paths[] = {{"page", "properties.page"}};
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.paths = paths;
    o.num_paths = 1;
    o.remainder_column = "rest";
    o.raw_column = "raw";
    mdl_test_result res;
    READ("{\"id\":1,\"properties\":{\"page\":\"/a\",\"ref\":\"x\"},\"extra\":[1,2],"
         "\"rest\":\"mine\",\"n\":2.50}\n"
         "{\"id\":2,\"properties\":{\"page\":\"/b\"}}\n"
         "{\"extra\":{}}\n",
         "id int32, page string, rest string, raw string", &o, &res);
    assert_int_equal(res.rc, MDL_OK);
    /* A key is consumed by the first segment of any column's path, so the whole of
     * "properties" counts as consumed; keys named like the raw/remainder columns are not. */
    assert_string_equal(
        mdl_test_result_dump(&res),
        "1|/a|{\"extra\":[1,2],\"rest\":\"mine\",\"n\":2.50}|{\"id\":1,\"properties\":{\"page\":"
        "\"/a\",\"ref\":\"x\"},\"extra\":[1,2],\"rest\":\"mine\",\"n\":2.50}\n"
        "2|/b|{}|{\"id\":2,\"properties\":{\"page\":\"/b\"}}\n"
        "\\N|\\N|{\"extra\":{}}|{\"extra\":{}}\n");
    mdl_test_result_free(&res);
}

static void test_format_json__open_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;

    /* No schema. */
    mdl_input *in;
    assert_int_equal(mdl_input_open_memory(&ctx, "{}", 2, "t.jsonl", &in, NULL), MDL_OK);
    mdl_json_reader *r = (mdl_json_reader *)1;
    mdl_error err;
    assert_int_equal(mdl_json_reader_open(&ctx, in, NULL, NULL, &r, &err), MDL_ERR_INVALID_ARG);
    assert_null(r);
    assert_string_equal(err.message,
                        "t.jsonl: the JSON-lines reader needs a schema (it does not infer one)");

    mdl_json_options o;
    mdl_json_options_init(&o);
    o.raw_column = "nope";
    READ("{}", "a string, n int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_NOT_FOUND,
                          "t.jsonl: raw_column 'nope' is not a column of the schema");
    mdl_test_result_free(&res);

    mdl_json_options_init(&o);
    o.remainder_column = "n";
    READ("{}", "a string, n int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_INVALID_ARG,
                          "t.jsonl: remainder_column 'n' must be a string column, not int32");
    mdl_test_result_free(&res);

    mdl_json_options_init(&o);
    o.raw_column = "a";
    o.remainder_column = "a";
    READ("{}", "a string, n int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_INVALID_ARG,
                          "t.jsonl: raw_column and remainder_column must be different columns");
    mdl_test_result_free(&res);

    const mdl_json_column_map unknown[] = {{"zz", "a.b"}};
    mdl_json_options_init(&o);
    o.paths = unknown;
    o.num_paths = 1;
    READ("{}", "a string, n int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_NOT_FOUND,
                          "t.jsonl: JSON path override 0 names column 'zz', "
                          "which is not in the schema");
    mdl_test_result_free(&res);

    const mdl_json_column_map empty_seg[] = {{"n", "a..b"}};
    o.paths = empty_seg;
    READ("{}", "a string, n int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_INVALID_ARG,
                          "t.jsonl: JSON path 'a..b' of column 'n' has an empty segment");
    mdl_test_result_free(&res);

    const mdl_json_column_map twice[] = {{"n", "a"}, {"n", "b"}};
    o.paths = twice;
    o.num_paths = 2;
    READ("{}", "a string, n int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_INVALID_ARG,
                          "t.jsonl: column 'n' has more than one JSON path");
    mdl_test_result_free(&res);

    const mdl_json_column_map on_raw[] = {{"a", "x"}};
    o.paths = on_raw;
    o.num_paths = 1;
    o.raw_column = "a";
    READ("{}", "a string, n int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_INVALID_ARG,
                          "t.jsonl: column 'a' is the raw column and cannot have a JSON path");
    mdl_test_result_free(&res);

    mdl_ctx ctx0;
    mdl_ctx_init(&ctx0);
    ctx0.limits.max_json_depth = 0;
    read_json(&ctx0, "{}", 2, "a string", NULL, &res);
    assert_int_equal(res.rc, MDL_ERR_INVALID_ARG);
    mdl_test_result_free(&res);
}

static void test_format_json__file_not_found(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *schema;
    assert_int_equal(mdl_schema_parse(&ctx, "a string", &schema, NULL), MDL_OK);
    mdl_json_reader *r;
    mdl_error err;
    assert_int_equal(
        mdl_json_reader_open_file(&ctx, "/nonexistent/x.jsonl", schema, NULL, &r, &err),
        MDL_ERR_NOT_FOUND);
    assert_null(r);
    mdl_schema_release(schema);
}

static void test_format_json__open_file(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *schema;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, s string", &schema, NULL), MDL_OK);
    char path[] = "/tmp/mdl_test_json_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("{\"id\":1,\"s\":\"a\"}\n{\"id\":2}\n", f);
    fclose(f);
    mdl_json_reader *r;
    assert_int_equal(mdl_json_reader_open_file(&ctx, path, schema, NULL, &r, NULL), MDL_OK);
    mdl_schema_release(schema);
    assert_int_equal(mdl_json_reader_schema(r)->num_fields, 2);
    assert_string_equal(mdl_json_reader_schema(r)->fields[1].name, "s");
    mdl_batch *b;
    assert_int_equal(mdl_json_reader_next(r, &b, NULL), MDL_OK);
    assert_non_null(b);
    mdl_buf out;
    mdl_buf_init(&out, &ctx, 0);
    mdl_test_dump_batch(b, &out);
    assert_int_equal(mdl_buf_terminate(&out, NULL), MDL_OK);
    assert_string_equal(out.data, "1|a\n2|\\N\n");
    mdl_buf_reset(&out);
    mdl_batch_free(b);
    assert_int_equal(mdl_json_reader_next(r, &b, NULL), MDL_OK);
    assert_null(b);
    mdl_json_reader_free(r);
    remove(path);
}

/* ---- bad lines --------------------------------------------------------------------------- */

static void test_format_json__bad_json(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("{\"a\":1\n"
         "{\"a\":1} x\n"
         "{\"a\":1,}\n"
         "{a:1}\n"
         "{\"a\":tru}\n"
         "{\"a\":\"\\x\"}\n"
         "{\"a\":2}\n"
         "{\"a\":1}{\"a\":2}\n",
         "a int32", NULL, &res);
    mdl_test_expect_rows(&res, "2\n",
                         "t.jsonl:1: invalid JSON at byte 7: unexpected end of data\n"
                         "t.jsonl:2: invalid JSON at byte 9: unexpected character\n"
                         "t.jsonl:3: invalid JSON at byte 8: unexpected character\n"
                         "t.jsonl:4: invalid JSON at byte 2: quoted object property name expected\n"
                         "t.jsonl:5: invalid JSON at byte 9: boolean expected\n"
                         "t.jsonl:6: invalid JSON at byte 8: invalid string sequence\n"
                         "t.jsonl:8: invalid JSON at byte 8: unexpected character\n");
    assert_int_equal(res.stats.rows_read, 8);
    assert_int_equal(res.stats.rows_rejected, 7);
    mdl_test_result_free(&res);
}

/* What json-c's strict mode lets through but RFC 8259 does not, and silent clamping. */
static void test_format_json__stricter_than_json_c(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    static const char text[] = "{'a':1}\n"
                               "{\"a\":NaN}\n"
                               "{\"a\":-Infinity}\n"
                               "{\"a\":1.}\n"
                               "{\"a\":1.e5}\n"
                               "{\"a\":-01}\n"
                               "{\"a\":00}\n"
                               "{\"a\":\"tab\there\"}\n"
                               "{\"a\":99999999999999999999}\n"
                               "{\"a\":-9223372036854775809}\n"
                               "{\"a\":1}\0{\"b\":2}\n"
                               "{\"a\":\"over\xC0\xAFlong\"}\n"
                               "{\"a\":\"surrogate\xED\xA0\x80\"}\n"
                               "{\"a\":18446744073709551615}\n"
                               "{\"a\":99999999999999999999.0}\n";
    read_json(&ctx, text, sizeof text - 1, "a string", NULL, &res);
    mdl_test_expect_rows(
        &res, "18446744073709551615\n99999999999999999999.0\n",
        "t.jsonl:1: invalid JSON at byte 2: names and strings need double quotes\n"
        "t.jsonl:2: invalid JSON at byte 6: NaN and Infinity are not JSON numbers\n"
        "t.jsonl:3: invalid JSON at byte 6: NaN and Infinity are not JSON numbers\n"
        "t.jsonl:4: invalid JSON at byte 6: '1.' is not a JSON number\n"
        "t.jsonl:5: invalid JSON at byte 6: '1.e5' is not a JSON number\n"
        "t.jsonl:6: invalid JSON at byte 6: '-01' is not a JSON number\n"
        "t.jsonl:7: invalid JSON at byte 6: '00' is not a JSON number\n"
        "t.jsonl:8: invalid JSON at byte 10: control character U+0009 in a string must be "
        "escaped\n"
        "t.jsonl:9: integer '99999999999999999999' at byte 6 does not fit in 64 bits (write it "
        "as a string or with a fraction, e.g. 1234.0)\n"
        "t.jsonl:10: integer '-9223372036854775809' at byte 6 does not fit in 64 bits (write "
        "it as a string or with a fraction, e.g. 1234.0)\n"
        "t.jsonl:11: invalid JSON at byte 8: unexpected NUL byte\n"
        "t.jsonl:12: invalid JSON at byte 11: invalid UTF-8 in a string\n"
        "t.jsonl:13: invalid JSON at byte 16: invalid UTF-8 in a string\n");
    mdl_test_result_free(&res);
}

static void test_format_json__not_an_object(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("[1,2]\n\"x\"\n3\nnull\ntrue\n{\"a\":1}\n", "a int32", NULL, "1\n",
                "t.jsonl:1: expected a JSON object, found array\n"
                "t.jsonl:2: expected a JSON object, found string\n"
                "t.jsonl:3: expected a JSON object, found number\n"
                "t.jsonl:4: expected a JSON object, found null\n"
                "t.jsonl:5: expected a JSON object, found boolean\n");
}

static void test_format_json__depth_limit(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* The object is level 1 and every value one level below its container, scalars too. */
    ctx.limits.max_json_depth = 3;
    mdl_test_result res;
    READ("{\"a\":{\"b\":1}}\n"
         "{\"a\":{\"b\":{}}}\n"
         "{\"a\":{\"b\":{\"c\":1}}}\n"
         "{\"a\":[[1]]}\n"
         "{\"a\":[[]]}\n",
         "a string", NULL, &res);
    mdl_test_expect_rows(
        &res, "{\"b\":1}\n{\"b\":{}}\n[[]]\n",
        "t.jsonl:3: invalid JSON at byte 16: nesting deeper than the limit of 3 levels\n"
        "t.jsonl:4: invalid JSON at byte 8: nesting deeper than the limit of 3 levels\n");
    mdl_test_result_free(&res);
}

static void test_format_json__invalid_utf8(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("{\"s\":\"bad \xFF byte\"}\n{\"s\":\"ok \xC3\xA9\"}\n{\"s\":\"cut \xC3\"}\n"
                "{\"k\xFE\":1}\n",
                "s string", NULL, "ok \xC3\xA9\n",
                "t.jsonl:1: invalid JSON at byte 11: invalid utf-8 string\n"
                "t.jsonl:3: invalid JSON at byte 12: invalid utf-8 string\n"
                "t.jsonl:4: invalid JSON at byte 4: invalid utf-8 string\n");
}

static void test_format_json__reject_carries_value_and_record(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_capture cap;
    memset(&cap, 0, sizeof cap);
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.on_reject = mdl_test_capture_reject;
    o.reject_payload = &cap;
    mdl_test_result res;
    READ("{\"id\":1,\"n\":2}\r\n\n{\"id\":2,\"n\":\"x\\ny\"}\r\n", "id int32, n int32", &o, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_int_equal(cap.calls, 1);
    assert_int_equal(cap.line, 3);
    assert_int_equal(cap.offset, 17);
    assert_int_equal(cap.column_index, 1);
    assert_string_equal(cap.column, "n");
    /* The value is the decoded string; the reason shows its newline as \x0a (one line). */
    assert_int_equal(cap.value_len, 3);
    assert_memory_equal(cap.value, "x\ny", 3);
    assert_int_equal(cap.record_len, 19);
    assert_memory_equal(cap.record, "{\"id\":2,\"n\":\"x\\ny\"}", 19);
    assert_int_equal(cap.code, MDL_ERR_PARSE);
    assert_string_equal(cap.reason, "'x\\x0ay' is not an integer");
    mdl_test_result_free(&res);

    /* A whole-line reject has no column; value and record are the line, bounded. */
    memset(&cap, 0, sizeof cap);
    char *line = malloc(6001);
    memset(line, 'x', 6000);
    line[0] = '[';
    line[6000] = '\0';
    READ(line, "id int32", &o, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_int_equal(cap.calls, 1);
    assert_int_equal(cap.column_index, -1);
    assert_string_equal(cap.column, "(none)");
    assert_int_equal(cap.value_len, 256);
    assert_int_equal(cap.record_len, 4096);
    assert_memory_equal(cap.record, line, 4096);
    assert_string_equal(cap.reason, "invalid JSON at byte 2: unexpected character");
    free(line);
    mdl_test_result_free(&res);
}

static void test_format_json__long_reason_values_are_shortened(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    char text[200];
    snprintf(text, sizeof text, "{\"n\":\"%s\"}\n",
             "0123456789012345678901234567890123456789012345678901234567890123456789");
    READ(text, "n int32", NULL, &res);
    assert_string_equal(mdl_test_result_rejects(&res),
                        "t.jsonl:1: column 'n': "
                        "'0123456789012345678901234567890123456789012345678901234567890123'... "
                        "is out of range for int32\n");
    mdl_test_result_free(&res);
}

/* ---- limits ------------------------------------------------------------------------------ */

static void test_format_json__line_over_limit(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = 20;
    char text[1024];
    char big[300];
    memset(big, ' ', sizeof big);
    big[sizeof big - 1] = '\0';
    snprintf(text, sizeof text,
             "{\"a\":\"123456789012\"}\n"   /* 20 bytes: fits */
             "{\"a\":\"1234567890123\"}\n"  /* 21 bytes: over, seen whole */
             "{\"a\":\"%s\"}\n"             /* far over: skipped without buffering */
             "{\"a\":\"123456789012\"}\r\n" /* 20 bytes + CRLF: fits */
             "{\"a\":\"x\"}\n"
             "{\"a\":\"%s\"}", /* over at the end of the input, no newline */
             big, big);
    size_t chunks[] = {4, 7, 64, 1 << 20};
    for (size_t k = 0; k < 4; k++) {
        mdl_json_options o;
        mdl_json_options_init(&o);
        o.chunk_bytes = chunks[k];
        mdl_test_result res;
        READ(text, "a string", &o, &res);
        mdl_test_expect_rows(&res, "123456789012\n123456789012\nx\n",
                             "t.jsonl:2: line is longer than the limit of 20 bytes\n"
                             "t.jsonl:3: line is longer than the limit of 20 bytes\n"
                             "t.jsonl:6: line is longer than the limit of 20 bytes\n");
        assert_int_equal(res.stats.lines, 6);
        assert_int_equal(res.stats.rows_read, 6);
        assert_int_equal(res.stats.rows_rejected, 3);
        assert_int_equal(res.stats.bytes_read, strlen(text));
        mdl_test_result_free(&res);
    }
}

static void test_format_json__line_over_limit_without_callback_fails(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = 10;
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.chunk_bytes = 4;
    o.reject_payload = (void *)1;
    mdl_test_result res;
    READ("{\"a\":1}\n{\"a\":\"long long long\"}\n{\"a\":2}\n", "a int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_LIMIT,
                          "t.jsonl:2: line is longer than the limit of 10 bytes");
    assert_string_equal(mdl_test_result_dump(&res), "");
    mdl_test_result_free(&res);
}

static void test_format_json__value_over_field_limit(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_field_bytes = 8;
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.raw_column = "raw";
    mdl_test_result res;
    READ("{\"s\":\"12345678\"}\n{\"s\":\"123456789\"}\n", "s string, raw string", &o, &res);
    mdl_test_expect_rows(&res, "", NULL);
    /* The raw column's text counts as a value too. */
    assert_string_equal(mdl_test_result_rejects(&res),
                        "t.jsonl:1: column 'raw': value is 16 bytes, over the limit of 8\n"
                        "t.jsonl:2: column 's': value is 9 bytes, over the limit of 8\n");
    mdl_test_result_free(&res);
}

/* An allocator that tracks the bytes live at once, to show an over-long line is not held. */
typedef struct counting {
    size_t live, peak;
} counting;

static void *count_alloc(void *user, size_t size)
{
    counting *c = user;
    size_t *p = malloc(sizeof(size_t) * 2 + size);
    if (p == NULL)
        return NULL;
    p[0] = size;
    c->live += size;
    if (c->live > c->peak)
        c->peak = c->live;
    return p + 2;
}

static void count_free(void *user, void *ptr)
{
    counting *c = user;
    if (ptr == NULL)
        return;
    size_t *p = (size_t *)ptr - 2;
    c->live -= p[0];
    free(p);
}

static void *count_realloc(void *user, void *ptr, size_t size)
{
    if (ptr == NULL)
        return count_alloc(user, size);
    counting *c = user;
    size_t *p = (size_t *)ptr - 2;
    size_t old = p[0];
    size_t *q = realloc(p, sizeof(size_t) * 2 + size);
    if (q == NULL)
        return NULL;
    q[0] = size;
    c->live = c->live - old + size;
    if (c->live > c->peak)
        c->peak = c->live;
    return q + 2;
}

static void test_format_json__long_line_is_not_buffered(void **state)
{
    (void)state;
    counting cnt = {0, 0};
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.allocator.alloc = count_alloc;
    ctx.allocator.realloc = count_realloc;
    ctx.allocator.free = count_free;
    ctx.allocator.user = &cnt;
    ctx.limits.max_record_bytes = 1000;
    ctx.limits.batch_rows = 4;
    size_t big = (size_t)4 << 20;
    char *text = malloc(big + 64);
    size_t n = (size_t)sprintf(text, "{\"a\":1}\n{\"a\":\"");
    memset(text + n, 'x', big);
    n += big;
    n += (size_t)sprintf(text + n, "\"}\n{\"a\":2}\n");
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.chunk_bytes = 4096;
    mdl_test_result res;
    read_json(&ctx, text, n, "a int32", &o, &res);
    mdl_test_expect_rows(&res, "1\n2\n",
                         "t.jsonl:2: line is longer than the limit of 1000 bytes\n");
    assert_int_equal(res.stats.bytes_read, n);
    /* The 4 MiB line never sat in memory: the peak is a small buffer plus a tiny batch. */
    assert_true(cnt.peak < 64 * 1024);
    mdl_test_result_free(&res);
    assert_int_equal(cnt.live, 0);
    free(text);
}

typedef struct codes {
    int code[16];
    size_t n;
} codes;

static int collect_code(void *payload, const mdl_reject *rj)
{
    codes *c = payload;
    if (c->n < 16)
        c->code[c->n++] = rj->code;
    return MDL_OK;
}

static void test_format_json__reject_codes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_json_depth = 3;
    ctx.limits.max_record_bytes = 40;
    ctx.limits.max_field_bytes = 5;
    codes c;
    memset(&c, 0, sizeof c);
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.on_reject = collect_code;
    o.reject_payload = &c;
    mdl_test_result res;
    READ("{\"a\":1\n"                                          /* not JSON */
         "{'a':1}\n"                                           /* not JSON (json-c lets it by) */
         "{\"x\":[[[1]]]}\n"                                   /* too deep */
         "{\"x\":\"0123456789012345678901234567890123456\"}\n" /* line too long */
         "[]\n"                                                /* not an object */
         "{\"a\":true}\n"                                      /* wrong JSON type */
         "{\"b\":\"x\"}\n"                                     /* missing, not null */
         "{\"a\":\"x\"}\n"                                     /* does not convert */
         "{\"a\":1,\"m\":1000}\n"                              /* out of range */
         "{\"x\":99999999999999999999}\n"                      /* beyond 64 bits */
         "{\"a\":1,\"b\":\"123456\"}\n",                       /* value over the limit */
         "a int32 not null, b string, m decimal(3,0)", &o, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_int_equal(c.n, 11);
    const int want[] = {MDL_ERR_PARSE,  MDL_ERR_PARSE,  MDL_ERR_LIMIT,  MDL_ERR_LIMIT,
                        MDL_ERR_SCHEMA, MDL_ERR_SCHEMA, MDL_ERR_SCHEMA, MDL_ERR_PARSE,
                        MDL_ERR_RANGE,  MDL_ERR_RANGE,  MDL_ERR_LIMIT};
    for (size_t i = 0; i < 11; i++)
        assert_int_equal(c.code[i], want[i]);
    mdl_test_result_free(&res);
}

/* ---- lines ------------------------------------------------------------------------------- */

static void test_format_json__crlf(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("{\"a\":\"x\"}\r\n{\"a\":\"y\"}\r\n{\"a\":\"z\"}\r", "a string", NULL, &res);
    mdl_test_expect_rows(&res, "x\ny\nz\n", NULL);
    assert_int_equal(res.stats.lines, 3);
    mdl_test_result_free(&res);
}

static void test_format_json__blank_lines(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("\n{\"a\":1}\n   \n\t\r\n\r\n{\"a\":\"x\"}\n\n", "a int32", NULL, &res);
    mdl_test_expect_rows(&res, "1\n", NULL);
    /* Blank lines still count for line numbers and stats.lines, not as rows. */
    assert_string_equal(mdl_test_result_rejects(&res),
                        "t.jsonl:6: column 'a': 'x' is not an integer\n");
    assert_int_equal(res.stats.lines, 7);
    assert_int_equal(res.stats.rows_read, 2);
    assert_int_equal(res.stats.rows_rejected, 1);
    mdl_test_result_free(&res);
}

static void test_format_json__bom_and_no_trailing_newline(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    static const char text[] = "\xEF\xBB\xBF{\"a\":1}\n{\"a\":2}";
    size_t chunks[] = {1, 2, 1 << 20};
    for (size_t k = 0; k < 3; k++) {
        mdl_json_options o;
        mdl_json_options_init(&o);
        o.chunk_bytes = chunks[k];
        mdl_test_result res;
        READ(text, "a int32", &o, &res);
        mdl_test_expect_rows(&res, "1\n2\n", NULL);
        assert_int_equal(res.stats.lines, 2);
        assert_int_equal(res.stats.bytes_read, sizeof text - 1);
        mdl_test_result_free(&res);
    }
}

static void test_format_json__empty_input(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("", "a int32", NULL, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_int_equal(res.batches, 0);
    assert_int_equal(res.stats.lines, 0);
    assert_int_equal(res.stats.bytes_read, 0);
    mdl_test_result_free(&res);
}

/* ---- reading control --------------------------------------------------------------------- */

static void test_format_json__without_callback_first_reject_fails(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.reject_payload = (void *)1;
    mdl_test_result res;
    READ("{\"a\":1}\n{\"a\":\"x\"}\n{\"a\":3}\n", "a int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_PARSE, "t.jsonl:2: column 'a': 'x' is not an integer");
    assert_string_equal(mdl_test_result_dump(&res), "");
    mdl_test_result_free(&res);

    o.reject_payload = (void *)1;
    READ("{\"a\":1}\n[]\n", "a int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_SCHEMA, "t.jsonl:2: expected a JSON object, found array");
    mdl_test_result_free(&res);
}

static void test_format_json__callback_can_stop(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_rejects rj;
    mdl_test_rejects_init(&rj, &ctx);
    rj.stop_after = 2;
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.on_reject = mdl_test_collect_reject;
    o.reject_payload = &rj;
    mdl_test_result res;
    READ("{\"a\":1}\nx\n{\"a\":2}\ny\n{\"a\":3}\nz\n", "a int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_CANCELLED,
                          "t.jsonl:4: reading stopped by the reject handler");
    assert_int_equal(rj.count, 2);
    assert_int_equal(mdl_buf_terminate(&rj.text, NULL), MDL_OK);
    assert_string_equal(rj.text.data, "t.jsonl:2: invalid JSON at byte 1: unexpected character\n"
                                      "t.jsonl:4: invalid JSON at byte 1: unexpected character\n");
    mdl_test_rejects_reset(&rj);
    mdl_test_result_free(&res);
}

static void test_format_json__batches_split_at_batch_rows(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.batch_rows = 3;
    mdl_buf text;
    mdl_buf_init(&text, &ctx, 0);
    for (int i = 1; i <= 10; i++) {
        if (i == 2 || i == 6)
            assert_int_equal(mdl_buf_printf(&text, NULL, "{\"n\":\"bad\",\"s\":\"r%d\"}\n", i),
                             MDL_OK);
        else
            assert_int_equal(mdl_buf_printf(&text, NULL, "{\"n\":%d,\"s\":\"r%d\"}\n", i, i),
                             MDL_OK);
    }
    assert_int_equal(mdl_buf_terminate(&text, NULL), MDL_OK);
    mdl_test_result res;
    READ(text.data, "n int32, s string", NULL, &res);
    assert_int_equal(res.rc, MDL_OK);
    /* A rejected line leaves no hole: the batches hold 3, 3 and 2 good rows. */
    assert_int_equal(res.batches, 3);
    assert_int_equal(res.batch_rows[0], 3);
    assert_int_equal(res.batch_rows[1], 3);
    assert_int_equal(res.batch_rows[2], 2);
    assert_string_equal(mdl_test_result_dump(&res),
                        "1|r1\n3|r3\n4|r4\n5|r5\n7|r7\n8|r8\n9|r9\n10|r10\n");
    assert_string_equal(mdl_test_result_rejects(&res),
                        "t.jsonl:2: column 'n': 'bad' is not an integer\n"
                        "t.jsonl:6: column 'n': 'bad' is not an integer\n");
    mdl_buf_reset(&text);
    mdl_test_result_free(&res);
}

/* A rejected line in the middle of a row leaves earlier columns of that row undone. */
static void test_format_json__reject_truncates_partial_row(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_json_options o;
    mdl_json_options_init(&o);
    o.raw_column = "raw";
    READ_EXPECT("{\"s\":\"keep\",\"n\":1}\n{\"s\":\"drop\",\"n\":\"x\"}\n{\"s\":null,\"n\":3}\n",
                "s string, raw string, n int32", &o,
                "keep|{\"s\":\"keep\",\"n\":1}|1\n"
                "\\N|{\"s\":null,\"n\":3}|3\n",
                NULL);
}

static void test_format_json__small_chunks_identical(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = 60;
    ctx.limits.batch_rows = 4;
    static const char text[] =
        "\xEF\xBB\xBF{\"id\":1,\"p\":{\"q\":\"\\u00e9t\\u00e9\"},\"m\":0.1}\r\n"
        "\n"
        "{\"id\":2,\"p\":{\"q\":\"a\"},\"m\":\"2.5\",\"extra\":[1,{\"z\":null}]}\n"
        "{\"id\":3,\"p\":{\"q\":\"this line is far too long for the sixty byte limit\"}}\n"
        "   \r\n"
        "{\"id\":\"four\"}\n"
        "[5]\n"
        "{\"id\":6,\"m\":1e1}\n"
        "{\"id\":7,\"p\":null}\n"
        "{\"id\":8,\"p\":{\"q\":\"\xE2\x82\xAC\"}}";
    const mdl_json_column_map paths[] = {{"q", "p.q"}};
    char first_dump[2048] = "", first_rejects[2048] = "";
    mdl_read_stats first_stats;
    size_t chunks[] = {1 << 20, 1, 2, 3, 7, 16, 61};
    for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
        mdl_json_options o;
        mdl_json_options_init(&o);
        o.chunk_bytes = chunks[k];
        o.paths = paths;
        o.num_paths = 1;
        o.remainder_column = "rest";
        mdl_test_result res;
        read_json(&ctx, text, sizeof text - 1, "id int64, q string, m decimal(5,2), rest string",
                  &o, &res);
        assert_int_equal(res.rc, MDL_OK);
        if (k == 0) {
            assert_string_equal(mdl_test_result_dump(&res),
                                "1|\xC3\xA9t\xC3\xA9|0.10|{}\n"
                                "2|a|2.50|{\"extra\":[1,{\"z\":null}]}\n"
                                "6|\\N|10.00|{}\n"
                                "7|\\N|\\N|{}\n"
                                "8|\xE2\x82\xAC|\\N|{}\n");
            assert_string_equal(mdl_test_result_rejects(&res),
                                "t.jsonl:4: line is longer than the limit of 60 bytes\n"
                                "t.jsonl:6: column 'id': 'four' is not an integer\n"
                                "t.jsonl:7: expected a JSON object, found array\n");
            snprintf(first_dump, sizeof first_dump, "%s", mdl_test_result_dump(&res));
            snprintf(first_rejects, sizeof first_rejects, "%s", mdl_test_result_rejects(&res));
            first_stats = res.stats;
            assert_int_equal(res.stats.lines, 10);
            assert_int_equal(res.stats.rows_read, 8);
            assert_int_equal(res.stats.rows_rejected, 3);
            assert_int_equal(res.stats.bytes_read, sizeof text - 1);
        } else {
            assert_string_equal(mdl_test_result_dump(&res), first_dump);
            assert_string_equal(mdl_test_result_rejects(&res), first_rejects);
            assert_memory_equal(&res.stats, &first_stats, sizeof first_stats);
        }
        mdl_test_result_free(&res);
    }
}

static void test_format_json__stream_adapter(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.batch_rows = 2;
    mdl_schema *schema;
    assert_int_equal(mdl_schema_parse(&ctx, "a int32", &schema, NULL), MDL_OK);
    static const char text[] = "{\"a\":1}\n{\"a\":2}\n{\"a\":3}\n";
    mdl_input *in;
    assert_int_equal(mdl_input_open_memory(&ctx, text, sizeof text - 1, "t.jsonl", &in, NULL),
                     MDL_OK);
    mdl_json_reader *r;
    assert_int_equal(mdl_json_reader_open(&ctx, in, schema, NULL, &r, NULL), MDL_OK);
    mdl_schema_release(schema);
    mdl_batch_stream *s;
    assert_int_equal(mdl_json_reader_stream(r, &s, NULL), MDL_OK);
    assert_int_equal(s->schema->num_fields, 1);
    assert_string_equal(s->schema->fields[0].name, "a");
    size_t rows = 0, batches = 0;
    mdl_batch *b;
    while (mdl_batch_stream_next(s, &b, NULL) == MDL_OK && b != NULL) {
        rows += b->num_rows;
        batches++;
        mdl_batch_free(b);
    }
    assert_int_equal(rows, 3);
    assert_int_equal(batches, 2);
    mdl_batch_stream_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_json__basic_types),
        cmocka_unit_test(test_format_json__number_text_is_kept_by_json_c),
        cmocka_unit_test(test_format_json__exact_decimals_from_numbers),
        cmocka_unit_test(test_format_json__integers),
        cmocka_unit_test(test_format_json__numbers_as_strings),
        cmocka_unit_test(test_format_json__type_mismatches),
        cmocka_unit_test(test_format_json__timestamps_need_strings),
        cmocka_unit_test(test_format_json__unicode_escapes),
        cmocka_unit_test(test_format_json__nul_escape_kept),
        cmocka_unit_test(test_format_json__duplicate_keys_last_wins),
        cmocka_unit_test(test_format_json__nested_paths),
        cmocka_unit_test(test_format_json__default_name_with_dots_is_one_key),
        cmocka_unit_test(test_format_json__missing_keys_are_null),
        cmocka_unit_test(test_format_json__not_nullable_violation),
        cmocka_unit_test(test_format_json__raw_column),
        cmocka_unit_test(test_format_json__remainder_column),
        cmocka_unit_test(test_format_json__open_errors),
        cmocka_unit_test(test_format_json__file_not_found),
        cmocka_unit_test(test_format_json__open_file),
        cmocka_unit_test(test_format_json__bad_json),
        cmocka_unit_test(test_format_json__stricter_than_json_c),
        cmocka_unit_test(test_format_json__not_an_object),
        cmocka_unit_test(test_format_json__depth_limit),
        cmocka_unit_test(test_format_json__invalid_utf8),
        cmocka_unit_test(test_format_json__reject_carries_value_and_record),
        cmocka_unit_test(test_format_json__long_reason_values_are_shortened),
        cmocka_unit_test(test_format_json__line_over_limit),
        cmocka_unit_test(test_format_json__line_over_limit_without_callback_fails),
        cmocka_unit_test(test_format_json__value_over_field_limit),
        cmocka_unit_test(test_format_json__long_line_is_not_buffered),
        cmocka_unit_test(test_format_json__reject_codes),
        cmocka_unit_test(test_format_json__crlf),
        cmocka_unit_test(test_format_json__blank_lines),
        cmocka_unit_test(test_format_json__bom_and_no_trailing_newline),
        cmocka_unit_test(test_format_json__empty_input),
        cmocka_unit_test(test_format_json__without_callback_first_reject_fails),
        cmocka_unit_test(test_format_json__callback_can_stop),
        cmocka_unit_test(test_format_json__batches_split_at_batch_rows),
        cmocka_unit_test(test_format_json__reject_truncates_partial_row),
        cmocka_unit_test(test_format_json__small_chunks_identical),
        cmocka_unit_test(test_format_json__stream_adapter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
