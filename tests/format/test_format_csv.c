/*
 * test_format_csv.c - unit tests of the CSV reader: RFC 4180 tokenising, conversion to a
 * schema, per-row rejects, chunk boundaries, limits and schema inference.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* Reads `text` fully into res; schema_text NULL means infer. Rejects are collected into
 * res->rejects unless opts has its own on_reject or reject_payload is (void *)1. */
static void read_csv(mdl_ctx *ctx, const char *text, size_t len, const char *schema_text,
                     mdl_csv_options *opts, mdl_test_result *res)
{
    mdl_csv_options local;
    if (opts == NULL) {
        mdl_csv_options_init(&local);
        opts = &local;
    }
    if (opts->on_reject == NULL && opts->reject_payload != (void *)1) {
        opts->on_reject = mdl_test_collect_reject;
        opts->reject_payload = &res->rejects;
    }
    mdl_test_read_memory(ctx, &mdl_test_csv_reader, text, len, "t.csv", schema_text, opts, res);
}

#define READ(text, schema, opts, res) read_csv(&ctx, text, strlen(text), schema, opts, res)

/* Reads `text` and checks with mdl_test_expect_rows that it gives `rows` and `rejects`. */
#define READ_EXPECT(text, schema, opts, rows, rejects)                                             \
    do {                                                                                           \
        mdl_test_result res_;                                                                      \
        READ(text, schema, opts, &res_);                                                           \
        mdl_test_expect_rows(&res_, rows, rejects);                                                \
        mdl_test_result_free(&res_);                                                               \
    } while (0)

static void test_format_csv__basic_types(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("b,i,l,d,m,s,dt,ts\n"
         "true,1,-9000000000,1.5,12.34,hi,2024-02-29,2024-01-01T00:00:00Z\n"
         "F,-2147483648,9223372036854775807,-0.25,-0.5,,1970-01-01,2024-06-30 12:00:00.5+02:00\n",
         "b boolean, i int32, l int64, d double, m decimal(5,2), s string, dt date, ts timestamp",
         NULL, &res);
    mdl_test_expect_rows(&res,
                         "true|1|-9000000000|1.5|12.34|hi|2024-02-29|2024-01-01T00:00:00Z\n"
                         "false|-2147483648|9223372036854775807|-0.25|-0.50|\\N|1970-01-01|"
                         "2024-06-30T10:00:00.500Z\n",
                         NULL);
    assert_int_equal(res.stats.rows_read, 2);
    assert_int_equal(res.stats.rows_rejected, 0);
    mdl_test_result_free(&res);
}

static void test_format_csv__quoting_rfc4180(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* A quoted empty field is an empty string, not NULL. */
    READ_EXPECT("a,b\r\n"
                "\"x, y\",\"say \"\"hi\"\"\"\r\n"
                "\"multi\nline\",\"\"\r\n"
                "plain,\"\"\"\"\r\n",
                "a string, b string", NULL, "x, y|say \"hi\"\nmulti\nline|\nplain|\"\n", NULL);
}

static void test_format_csv__line_numbers_count_quoted_newlines(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("a,n\n"
         "\"one\ntwo\nthree\",1\n"
         "x,notanumber\n",
         "a string, n int32", NULL, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_string_equal(mdl_test_result_rejects(&res),
                        "t.csv:5: column 'n': 'notanumber' is not an integer\n");
    assert_int_equal(res.stats.rows_read, 2);
    assert_int_equal(res.stats.rows_rejected, 1);
    mdl_test_result_free(&res);
}

static void test_format_csv__bom_and_no_trailing_newline(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("\xEF\xBB\xBFid,name\n1,a\n2,b", "id int32, name string", NULL, "1|a\n2|b\n", NULL);
    /* The mark must be recognised even when the first read returns fewer than 3 bytes. */
    for (size_t chunk = 1; chunk <= 4; chunk++) {
        mdl_csv_options o;
        mdl_csv_options_init(&o);
        o.chunk_bytes = chunk;
        READ_EXPECT("\xEF\xBB\xBFid,name\n1,a\n", "id int32, name string", &o, "1|a\n", NULL);
    }
}

static void test_format_csv__header_maps_by_name_and_skips_extra(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("extra,name,id\nz,a,1\nz,b,2\n", "id int32, name string", NULL, "1|a\n2|b\n", NULL);
}

static void test_format_csv__missing_header_column_is_an_error(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("id,nam\n1,a\n", "id int32, name string", NULL, &res);
    assert_int_equal(res.rc, MDL_ERR_SCHEMA);
    assert_non_null(strstr(res.err.message, "column 'name' of the schema is not in the header"));
    mdl_test_result_free(&res);
}

static void test_format_csv__no_header_positional(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    o.header = false;
    o.delimiter = ';';
    o.quote = '\'';
    READ_EXPECT("1;'a;b'\n2;'it''s'\n", "id int32, name string", &o, "1|a;b\n2|it's\n", NULL);
}

static void test_format_csv__null_tokens(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    const char *nulls[] = {"NULL", "N/A"};
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    o.null_tokens = nulls;
    o.num_null_tokens = 2;
    mdl_test_result res;
    /* "" is not a null token here; a quoted "NULL" is the string. */
    READ("a,b\nNULL,\"NULL\"\nN/A,\n", "a int32, b string", &o, &res);
    mdl_test_expect_rows(&res, "\\N|NULL\n\\N|\n", NULL);
    mdl_test_result_free(&res);
}

static void test_format_csv__empty_unquoted_is_null_by_default(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("a,b,c\n,,\n1,\"\",x\n", "a int32, b string, c string", NULL, "\\N|\\N|\\N\n1||x\n",
                NULL);
}

static void test_format_csv__not_nullable_rejects_null(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("id,v\n,1\n2,2\n", "id int32 not null, v int32", NULL, "2|2\n",
                "t.csv:2: column 'id': null value in a column that is not nullable\n");
}

static void test_format_csv__reject_reasons(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("i,d,m,dt,ts,b\n"
         "x,1,1,2024-01-01,2024-01-01,true\n"
         "99999999999,1,1,2024-01-01,2024-01-01,true\n"
         "1,1e999,1,2024-01-01,2024-01-01,true\n"
         "1,1,1000,2024-01-01,2024-01-01,true\n"
         "1,1,1,2024-13-45,2024-01-01,true\n"
         "1,1,1,2024-01-01,2024-01-01T25:00,true\n"
         "1,1,1,2024-01-01,2024-01-01,maybe\n"
         "1,2\n"
         "1,1,1,2024-01-01,2024-01-01,true\n",
         "i int32, d double, m decimal(4,1), dt date, ts timestamp, b boolean", NULL, &res);
    mdl_test_expect_rows(&res, "1|1|1.0|2024-01-01|2024-01-01T00:00:00Z|true\n",
                         "t.csv:2: column 'i': 'x' is not an integer\n"
                         "t.csv:3: column 'i': '99999999999' is out of range for int32\n"
                         "t.csv:4: column 'd': '1e999' is out of range for double\n"
                         "t.csv:5: column 'm': '1000' is out of range for the decimal's "
                         "precision\n"
                         "t.csv:6: column 'dt': '2024-13-45' is not a valid calendar date\n"
                         "t.csv:7: column 'ts': '2024-01-01T25:00' is not a valid calendar time\n"
                         "t.csv:8: column 'b': 'maybe' is not a boolean\n"
                         "t.csv:9: expected 6 fields, found 2\n");
    assert_int_equal(res.stats.rows_read, 9);
    assert_int_equal(res.stats.rows_rejected, 8);
    mdl_test_result_free(&res);
}

static void test_format_csv__reject_carries_raw_value_and_record(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_capture cap;
    memset(&cap, 0, sizeof cap);
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    o.on_reject = mdl_test_capture_reject;
    o.reject_payload = &cap;
    mdl_test_result res;
    READ("a,b\n1,2\n3,\"x\"\"y\"\r\n", "a int32, b int32", &o, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_string_equal(cap.column, "b");
    assert_int_equal(cap.column_index, 1);
    assert_string_equal(cap.value, "x\"y"); /* unescaped value */
    assert_string_equal(cap.record, "3,\"x\"\"y\"");
    assert_int_equal(cap.line, 3);
    assert_int_equal(cap.offset, 8);
    assert_int_equal(cap.code, MDL_ERR_PARSE);
    mdl_test_result_free(&res);
}

static void test_format_csv__invalid_utf8_rejected(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("s\nok\nbad\xC3\x28\nfine\xC3\xA9\n", "s string", NULL, &res);
    mdl_test_expect_rows(&res, "ok\nfine\xC3\xA9\n", NULL);
    assert_int_equal(res.rejects.count, 1);
    assert_non_null(strstr(mdl_test_result_rejects(&res), "t.csv:3: column 's':"));
    assert_non_null(strstr(mdl_test_result_rejects(&res), "is not valid UTF-8"));
    mdl_test_result_free(&res);
}

static void test_format_csv__unterminated_quote(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("a,b\n1,2\n3,\"open\n4,5\n", "a int32, b string", NULL, "1|2\n",
                "t.csv:3: unterminated quoted field (missing closing quote)\n");
}

static void test_format_csv__garbage_after_quote_resyncs_next_line(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("a,b\n1,\"x\"y\n2,z\n", "a int32, b string", NULL, "2|z\n",
                "t.csv:2: unexpected character after a closing quote\n");
}

static void test_format_csv__field_over_limit(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_field_bytes = 4;
    READ_EXPECT("a\nabcd\nabcde\n", "a string", NULL, "abcd\n",
                "t.csv:3: column 'a': field is 5 bytes, over the limit of 4\n");
}

static void test_format_csv__record_over_limit_fails(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.max_record_bytes = 64;
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    o.chunk_bytes = 16;
    char text[400] = "a\n1\n\"";
    memset(text + strlen(text), 'x', 200);
    mdl_test_result res;
    READ(text, "a string", &o, &res);
    assert_int_equal(res.rc, MDL_ERR_LIMIT);
    assert_non_null(strstr(res.err.message, "t.csv:3: record is longer than the limit of 64"));
    mdl_test_result_free(&res);
}

static void test_format_csv__without_callback_first_reject_fails(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    o.reject_payload = (void *)1; /* tells read_csv not to install the collector */
    mdl_test_result res;
    READ("a\n1\nzz\n3\n", "a int32", &o, &res);
    mdl_test_expect_error(&res, MDL_ERR_PARSE, "t.csv:3: column 'a': 'zz' is not an integer");
    mdl_test_result_free(&res);
}

static void test_format_csv__callback_can_stop(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    mdl_test_result res;
    memset(&res, 0, sizeof res);
    /* read_csv installs the collector; make it stop at the second reject. */
    mdl_test_rejects rj;
    mdl_test_rejects_init(&rj, &ctx);
    rj.stop_after = 2;
    o.on_reject = mdl_test_collect_reject;
    o.reject_payload = &rj;
    READ("a\nx\ny\nz\n", "a int32", &o, &res);
    assert_int_equal(res.rc, MDL_ERR_CANCELLED);
    assert_int_equal(rj.count, 2);
    mdl_test_rejects_reset(&rj);
    mdl_test_result_free(&res);
}

static void test_format_csv__blank_lines_skipped_when_multi_column(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("a,b\n\n1,2\n\r\n3,4\n\n", "a int32, b int32", NULL, &res);
    mdl_test_expect_rows(&res, "1|2\n3|4\n", NULL);
    assert_int_equal(res.stats.rows_read, 2);
    mdl_test_result_free(&res);
    /* With one column a blank line is a NULL value, not nothing. */
    READ("a\n1\n\n3\n", "a int32", NULL, &res);
    mdl_test_expect_rows(&res, "1\n\\N\n3\n", NULL);
    mdl_test_result_free(&res);
}

static void test_format_csv__cr_only_line_endings(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("a,b\r1,2\r3,4\r", "a int32, b int32", NULL, "1|2\n3|4\n", NULL);
}

static void test_format_csv__spaces_around_numbers_trimmed(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("a,s\n 12 , x \n", "a int32, s string", NULL, "12| x \n", NULL);
}

static void test_format_csv__empty_file_with_header_is_an_error(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("", "a int32", NULL, &res);
    assert_int_equal(res.rc, MDL_ERR_PARSE);
    assert_non_null(strstr(res.err.message, "the file is empty"));
    mdl_test_result_free(&res);
    READ("a\n", "a int32", NULL, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_int_equal(res.batches, 0);
    mdl_test_result_free(&res);
}

/* Every chunk size must give the same rows and rejects as one big chunk. */
static void test_format_csv__chunk_boundaries(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    const char *text = "id,name,amount,ts\r\n"
                       "1,\"Smith, \"\"J\"\"\",12.50,2024-01-01T10:00:00Z\r\n"
                       "2,\"multi\r\nline\",,2024-01-02 11:00:00+01:00\r\n"
                       "3,plain,x,2024-01-03\r\n"
                       "4,\"\",0.01,2024-01-04T00:00:00.123Z\r\n"
                       "5,\"a\"\"\",7,2024-01-05";
    const char *schema = "id int64, name string, amount decimal(10,2), ts timestamp";
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    mdl_test_result ref;
    READ(text, schema, &o, &ref);
    assert_int_equal(ref.rc, MDL_OK);
    assert_int_equal(ref.rejects.count, 1);
    for (size_t chunk = 1; chunk <= 48; chunk++) {
        mdl_csv_options_init(&o);
        o.chunk_bytes = chunk;
        mdl_test_result res;
        READ(text, schema, &o, &res);
        mdl_test_expect_rows(&res, mdl_test_result_dump(&ref), mdl_test_result_rejects(&ref));
        assert_int_equal(res.stats.bytes_read, strlen(text));
        mdl_test_result_free(&res);
    }
    mdl_test_result_free(&ref);
}

static void test_format_csv__batches_split_at_batch_rows(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    ctx.limits.batch_rows = 3;
    mdl_test_result res;
    READ("a\n1\n2\n3\n4\n5\n6\n7\n", "a int32", NULL, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_int_equal(res.batches, 3);
    assert_string_equal(mdl_test_result_dump(&res), "1\n2\n3\n4\n5\n6\n7\n");
    mdl_test_result_free(&res);
}

static void test_format_csv__decimal128_and_rounding(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    READ_EXPECT("a,b\n12345678901234567890123456.789,1.005\n-0.5,-1.004\n",
                "a decimal(38,3), b decimal(6,2)", NULL,
                "12345678901234567890123456.789|1.01\n-0.500|-1.00\n", NULL);
}

static void test_format_csv__infer_schema(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_test_result res;
    READ("flag,small,big,price,ratio,day,at,code,name,empty\n"
         "true,1,3000000000,12.50,1e3,2024-01-01,2024-01-01T00:00:00Z,007,a,\n"
         "false,-2,4,0.125,2.5,2024-01-02,2024-01-02 10:00,010,b,\n",
         NULL, NULL, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_string_equal(res.schema.data,
                        "flag boolean, small int32, big int64, price decimal(18,3), ratio double, "
                        "day date, at timestamp, code string, name string, empty string");
    assert_string_equal(mdl_test_result_dump(&res),
                        "true|1|3000000000|12.500|1000|2024-01-01|2024-01-01T00:00:00Z|"
                        "007|a|\\N\n"
                        "false|-2|4|0.125|2.5|2024-01-02|2024-01-02T10:00:00Z|010|b|"
                        "\\N\n");
    mdl_test_result_free(&res);
}

static void test_format_csv__infer_without_header(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    o.header = false;
    mdl_test_result res;
    READ("1,x\n2,y\n", NULL, &o, &res);
    assert_int_equal(res.rc, MDL_OK);
    assert_string_equal(res.schema.data, "column_1 int32, column_2 string");
    assert_string_equal(mdl_test_result_dump(&res), "1|x\n2|y\n");
    mdl_test_result_free(&res);
}

static void test_format_csv__bad_options(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_csv_options o;
    mdl_csv_options_init(&o);
    o.quote = ',';
    mdl_test_result res;
    READ("a\n1\n", "a int32", &o, &res);
    assert_int_equal(res.rc, MDL_ERR_INVALID_ARG);
    mdl_test_result_free(&res);
}

static void test_format_csv__file_not_found(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_csv_reader *r;
    mdl_error err;
    assert_int_equal(mdl_csv_reader_open_file(&ctx, "/nonexistent/x.csv", NULL, NULL, &r, &err),
                     MDL_ERR_NOT_FOUND);
    assert_null(r);
    assert_non_null(strstr(err.message, "/nonexistent/x.csv: cannot open"));
}

static void test_format_csv__stream_adapter(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    const char *text = "a\n1\n2\n";
    mdl_input *in;
    assert_int_equal(mdl_input_open_memory(&ctx, text, strlen(text), "s.csv", &in, NULL), MDL_OK);
    mdl_csv_reader *r;
    assert_int_equal(mdl_csv_reader_open(&ctx, in, NULL, NULL, &r, NULL), MDL_OK);
    mdl_batch_stream *s;
    assert_int_equal(mdl_csv_reader_stream(r, &s, NULL), MDL_OK);
    assert_int_equal(s->schema->num_fields, 1);
    mdl_batch *b;
    assert_int_equal(mdl_batch_stream_next(s, &b, NULL), MDL_OK);
    assert_non_null(b);
    assert_int_equal(b->num_rows, 2);
    mdl_batch_free(b);
    assert_int_equal(mdl_batch_stream_next(s, &b, NULL), MDL_OK);
    assert_null(b);
    mdl_batch_stream_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_csv__basic_types),
        cmocka_unit_test(test_format_csv__quoting_rfc4180),
        cmocka_unit_test(test_format_csv__line_numbers_count_quoted_newlines),
        cmocka_unit_test(test_format_csv__bom_and_no_trailing_newline),
        cmocka_unit_test(test_format_csv__header_maps_by_name_and_skips_extra),
        cmocka_unit_test(test_format_csv__missing_header_column_is_an_error),
        cmocka_unit_test(test_format_csv__no_header_positional),
        cmocka_unit_test(test_format_csv__null_tokens),
        cmocka_unit_test(test_format_csv__empty_unquoted_is_null_by_default),
        cmocka_unit_test(test_format_csv__not_nullable_rejects_null),
        cmocka_unit_test(test_format_csv__reject_reasons),
        cmocka_unit_test(test_format_csv__reject_carries_raw_value_and_record),
        cmocka_unit_test(test_format_csv__invalid_utf8_rejected),
        cmocka_unit_test(test_format_csv__unterminated_quote),
        cmocka_unit_test(test_format_csv__garbage_after_quote_resyncs_next_line),
        cmocka_unit_test(test_format_csv__field_over_limit),
        cmocka_unit_test(test_format_csv__record_over_limit_fails),
        cmocka_unit_test(test_format_csv__without_callback_first_reject_fails),
        cmocka_unit_test(test_format_csv__callback_can_stop),
        cmocka_unit_test(test_format_csv__blank_lines_skipped_when_multi_column),
        cmocka_unit_test(test_format_csv__cr_only_line_endings),
        cmocka_unit_test(test_format_csv__spaces_around_numbers_trimmed),
        cmocka_unit_test(test_format_csv__empty_file_with_header_is_an_error),
        cmocka_unit_test(test_format_csv__chunk_boundaries),
        cmocka_unit_test(test_format_csv__batches_split_at_batch_rows),
        cmocka_unit_test(test_format_csv__decimal128_and_rounding),
        cmocka_unit_test(test_format_csv__infer_schema),
        cmocka_unit_test(test_format_csv__infer_without_header),
        cmocka_unit_test(test_format_csv__bad_options),
        cmocka_unit_test(test_format_csv__file_not_found),
        cmocka_unit_test(test_format_csv__stream_adapter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
