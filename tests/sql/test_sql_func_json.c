/*
 * test_sql_func_json.c - get_json_object(json, path) evaluated over hand-made string columns:
 * members, nested paths, array indexes, quoted names, scalars printed as their JSON text,
 * objects and arrays as compact JSON, NULL for JSON null / missing / malformed JSON / a bad
 * path / NULL input, the RFC 8259 checks json-c leaves to us, the depth limit, argument
 * types, and out-of-memory at every allocation. (Corpus queries over bronze.kafka_events in
 * tests/sql/corpus/ compare it with DuckDB's json_extract_string.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sql/sql_func.h"
#include "test_support.h"

#define S mdl_type_make(MDL_TYPE_STRING)

/* A column of strings; NULL pointers are nulls. */
static void fill(mdl_ctx *ctx, mdl_column *c, const char *const *v, size_t n)
{
    assert_int_equal(mdl_column_init(ctx, c, S, n ? n : 1, NULL), MDL_OK);
    for (size_t i = 0; i < n; i++) {
        if (v[i] == NULL)
            assert_int_equal(mdl_column_append_null(ctx, c, NULL), MDL_OK);
        else
            assert_int_equal(mdl_column_append_string(ctx, c, v[i], strlen(v[i]), NULL), MDL_OK);
    }
}

/* A batch of two string columns (doc, path). */
static mdl_batch *make_batch(mdl_ctx *ctx, const char *const *docs, const char *const *paths,
                             size_t n)
{
    mdl_schema *s = NULL;
    assert_int_equal(mdl_schema_parse(ctx, "doc string, path string", &s, NULL), MDL_OK);
    mdl_batch *b = NULL;
    assert_int_equal(mdl_batch_new(ctx, s, n ? n : 1, &b, NULL), MDL_OK);
    mdl_schema_release(s);
    mdl_column_reset(ctx, &b->columns[0]);
    mdl_column_reset(ctx, &b->columns[1]);
    fill(ctx, &b->columns[0], docs, n);
    fill(ctx, &b->columns[1], paths, n);
    b->num_rows = n;
    return b;
}

/* get_json_object(doc, path) over the batch: rc, and the values as "v|v|NULL" in out. */
static int eval(mdl_ctx *ctx, const mdl_batch *b, char *out, size_t cap, mdl_error *err)
{
    sql_bound *args[2] = {NULL, NULL}, *e = NULL;
    int rc = mdl_sql__bound_column(ctx, 0, S, &args[0], err);
    if (rc == MDL_OK)
        rc = mdl_sql__bound_column(ctx, 1, S, &args[1], err);
    if (rc == MDL_OK) {
        rc = mdl_sql__bound_call(ctx, "get_json_object", args, 2, &e, err);
        args[0] = args[1] = NULL;
    }
    mdl_sql__bound_free(ctx, args[0]);
    mdl_sql__bound_free(ctx, args[1]);
    if (rc != MDL_OK)
        return rc;
    assert_int_equal(e->type.id, MDL_TYPE_STRING);
    mdl_column col;
    rc = mdl_column_init(ctx, &col, e->type, b->num_rows, err);
    if (rc == MDL_OK) {
        rc = mdl_sql__eval(ctx, e, b, &col, err);
        size_t len = 0;
        out[0] = '\0';
        for (size_t r = 0; rc == MDL_OK && r < col.length; r++) {
            mdl_strview v = mdl_column_str(&col, r);
            len += (size_t)snprintf(out + len, cap - len, "%s%.*s", r ? "|" : "",
                                    mdl_column_is_null(&col, r) ? 4 : (int)v.len,
                                    mdl_column_is_null(&col, r) ? "NULL" : v.ptr);
        }
        if (rc == MDL_OK)
            assert_int_equal(col.length, b->num_rows);
        mdl_column_reset(ctx, &col);
    }
    mdl_sql__bound_free(ctx, e);
    return rc;
}

/* Checks get_json_object(docs[i], paths[i]) gives want ("v|v|NULL"). */
static void expect(const char *const *docs, const char *const *paths, size_t n, const char *want)
{
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    mdl_batch *b = make_batch(&ctx, docs, paths, n);
    char got[4096];
    mdl_error err;
    if (eval(&ctx, b, got, sizeof got, &err) != MDL_OK)
        fail_msg("error: %s", err.message);
    if (strcmp(got, want) != 0)
        fail_msg("got '%s', want '%s'", got, want);
    mdl_batch_free(b);
    assert_int_equal(al.live, 0);
}

#define N(a) (sizeof(a) / sizeof *(a))

static const char *const PAYLOAD =
    "{\"event_id\":\"EVT-1\",\"amount\":\"54.94\",\"qty\":3,\"price\":1.50,\"ok\":true,"
    "\"gone\":null,\"meta\":{\"session_id\":\"s-1\",\"tags\":[\"a\",{\"k\":-1e3}]},"
    "\"a b\":\"spaced\",\"note\":\"line\\nbreak \\u00e9 \\\"q\\\" x/y\"}";

static void test_sql_func_json__members_and_paths(void **state)
{
    (void)state;
    const char *docs[] = {PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD,
                          PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD};
    const char *paths[] = {
        "$.event_id", "$.amount", "$.meta.session_id", "$.meta.tags[0]", "$.meta.tags[1].k",
        "$.\"a b\"",  "$['a b']", "$['meta'].tags[0]", "$.note",         "$.meta.tags[2]"};
    expect(docs, paths, N(docs),
           "EVT-1|54.94|s-1|a|-1e3|spaced|spaced|a|line\nbreak \xc3\xa9 \"q\" x/y|NULL");
}

static void test_sql_func_json__scalars_objects_arrays(void **state)
{
    (void)state;
    /* numbers as written, booleans, objects and arrays as compact JSON in document order */
    const char *docs[] = {PAYLOAD,
                          PAYLOAD,
                          PAYLOAD,
                          PAYLOAD,
                          PAYLOAD,
                          "{ \"o\" : { \"z\" : 1 , \"a\" : [ 1 , 2.0 , \"t\\tab\\u0001\" ] } }",
                          "[10, 20]",
                          "\"top\"",
                          "  -0.5e+2  ",
                          "{\"big\":18446744073709551615,\"neg\":-9223372036854775808}",
                          "{\"big\":18446744073709551615,\"neg\":-9223372036854775808}"};
    const char *paths[] = {"$.qty", "$.price", "$.ok", "$.meta.tags", "$.meta", "$.o",
                           "$[1]",  "$",       "$",    "$.big",       "$.neg"};
    expect(
        docs, paths, N(docs),
        "3|1.50|true|[\"a\",{\"k\":-1e3}]|{\"session_id\":\"s-1\",\"tags\":[\"a\",{\"k\":-1e3}]}|"
        "{\"z\":1,\"a\":[1,2.0,\"t\\tab\\u0001\"]}|20|top|-0.5e+2|18446744073709551615|"
        "-9223372036854775808");
}

static void test_sql_func_json__nulls(void **state)
{
    (void)state;
    /* JSON null, missing member, index past the end, member of a non-object, index of a
     * non-array, NULL inputs */
    const char *docs[] = {PAYLOAD, PAYLOAD, PAYLOAD,       PAYLOAD,     PAYLOAD,
                          NULL,    PAYLOAD, "{\"a\":[1]}", "{\"a\":{}}"};
    const char *paths[] = {"$.gone", "$.nope", "$.meta.tags[9]", "$.amount.x", "$.meta[0]",
                           "$.a",    NULL,     "$.a[1]",         "$.a.b"};
    expect(docs, paths, N(docs), "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL");
}

static void test_sql_func_json__malformed_json_is_null(void **state)
{
    (void)state;
    const char *docs[] = {
        "",                 /* empty */
        "{\"a\":1",         /* cut short */
        "{\"a\":1} x",      /* trailing text */
        "{'a':1}",          /* single quotes (json-c strict lets them through) */
        "{\"a\":NaN}",      /* not a JSON number */
        "{\"a\":Infinity}", /* idem */
        "{\"a\":01}",       /* leading zero */
        "{\"a\":[1,]}",     /* trailing comma */
        "{\"a\":1,\"b\":123456789012345678901}", /* integer past 64 bits: json-c would clamp */
        "{\"a\":\"\xff\"}",                      /* invalid UTF-8 */
        "not json",
        "{\"a\":1}{\"a\":2}", /* two documents */
    };
    const char *paths[] = {"$.a", "$.a", "$.a", "$.a", "$.a", "$.a",
                           "$.a", "$.a", "$.a", "$.a", "$.a", "$.a"};
    expect(docs, paths, N(docs), "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL");
    /* a number with a fraction or exponent is not an integer: any size is fine */
    const char *wide[] = {"{\"a\":1,\"b\":123456789012345678901.5}"};
    const char *pa[] = {"$.a"};
    expect(wide, pa, 1, "1");
}

static void test_sql_func_json__bad_paths_are_null(void **state)
{
    (void)state;
    const char *docs[] = {PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD,
                          PAYLOAD, PAYLOAD, "[1,2]", "[1,2]", PAYLOAD, PAYLOAD};
    const char *paths[] = {
        "event_id", "",        "$.",  "$..event_id",   "$.meta.tags[*]", "$.meta.tags[-1]",
        "$['a b'",  "$.\"a b", "$[1", "$[1234567890]", "$ .event_id",    "$.event_id]"};
    expect(docs, paths, N(docs), "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL");
}

static void test_sql_func_json__depth_limit(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    ctx.limits.max_json_depth = 4;
    const char *ok[] = {"[[[1]]]"}, *deep[] = {"[[[[[1]]]]]"}, *path[] = {"$[0][0][0]"};
    mdl_batch *b = make_batch(&ctx, ok, path, 1);
    char got[256];
    mdl_error err;
    assert_int_equal(eval(&ctx, b, got, sizeof got, &err), MDL_OK);
    assert_string_equal(got, "1");
    mdl_batch_free(b);
    b = make_batch(&ctx, deep, path, 1);
    assert_int_equal(eval(&ctx, b, got, sizeof got, &err), MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "get_json_object: JSON nested deeper than the limit of 4"));
    mdl_batch_free(b);
}

static void test_sql_func_json__argument_types(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_ctx(&ctx);
    sql_bound *args[2], *e = NULL;
    mdl_error err;
    assert_int_equal(mdl_sql__bound_column(&ctx, 0, mdl_type_make(MDL_TYPE_INT32), &args[0], NULL),
                     MDL_OK);
    assert_int_equal(mdl_sql__bound_column(&ctx, 1, S, &args[1], NULL), MDL_OK);
    assert_int_equal(mdl_sql__bound_call(&ctx, "get_json_object", args, 2, &e, &err),
                     MDL_ERR_SCHEMA);
    assert_non_null(strstr(err.message, "get_json_object"));
    /* a NULL literal argument is accepted and gives NULL */
    assert_int_equal(mdl_sql__bound_column(&ctx, 0, S, &args[0], NULL), MDL_OK);
    assert_int_equal(mdl_sql__bound_null(&ctx, &args[1], NULL), MDL_OK);
    assert_int_equal(mdl_sql__bound_call(&ctx, "get_json_object", args, 2, &e, &err), MDL_OK);
    assert_int_equal(e->type.id, MDL_TYPE_STRING);
    mdl_sql__bound_free(&ctx, e);
    /* one argument is an error */
    assert_int_equal(mdl_sql__bound_column(&ctx, 0, S, &args[0], NULL), MDL_OK);
    assert_int_not_equal(mdl_sql__bound_call(&ctx, "get_json_object", args, 1, &e, &err), MDL_OK);
}

static void test_sql_func_json__out_of_memory(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc al;
    mdl_test_counting_ctx(&ctx, &al);
    const char *docs[] = {PAYLOAD, PAYLOAD, NULL, "{\"a\":[1,{\"b\":\"c\\nd\"}]}"};
    const char *paths[] = {"$.meta", "$.event_id", "$.a", "$.a"};
    mdl_batch *b = make_batch(&ctx, docs, paths, N(docs));
    size_t base = al.live;
    char got[4096];
    long k;
    for (k = 0;; k++) {
        mdl_error err;
        al.fail_after = k;
        int rc = eval(&ctx, b, got, sizeof got, &err);
        al.fail_after = -1;
        assert_int_equal(al.live, base);
        if (rc == MDL_OK)
            break;
        assert_int_equal(rc, MDL_ERR_NOMEM);
    }
    assert_true(k > 3);
    assert_string_equal(got, "{\"session_id\":\"s-1\",\"tags\":[\"a\",{\"k\":-1e3}]}|EVT-1|NULL|"
                             "[1,{\"b\":\"c\\nd\"}]");
    mdl_batch_free(b);
    assert_int_equal(al.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sql_func_json__members_and_paths),
        cmocka_unit_test(test_sql_func_json__scalars_objects_arrays),
        cmocka_unit_test(test_sql_func_json__nulls),
        cmocka_unit_test(test_sql_func_json__malformed_json_is_null),
        cmocka_unit_test(test_sql_func_json__bad_paths_are_null),
        cmocka_unit_test(test_sql_func_json__depth_limit),
        cmocka_unit_test(test_sql_func_json__argument_types),
        cmocka_unit_test(test_sql_func_json__out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
