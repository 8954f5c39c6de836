/*
 * test_core_schema.c - schemas: construction from definitions, the text form (parsing,
 * errors, formatting and round trips), reference counting and lookup by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void assert_field(const mdl_schema *s, size_t i, const char *name, mdl_type type,
                         bool nullable)
{
    assert_true(i < s->num_fields);
    assert_string_equal(s->fields[i].name, name);
    if (!mdl_type_equal(s->fields[i].type, type))
        fail_msg("field %zu '%s' has type %s", i, name, mdl_type_name(s->fields[i].type.id));
    assert_int_equal(s->fields[i].type.precision, type.precision);
    assert_int_equal(s->fields[i].type.scale, type.scale);
    assert_int_equal(s->fields[i].nullable, nullable);
}

static char *format_schema(const mdl_schema *s, mdl_ctx *ctx, mdl_buf *buf)
{
    mdl_buf_init(buf, ctx, 0);
    assert_int_equal(mdl_schema_format(s, buf, NULL), MDL_OK);
    return buf->data;
}

/* ---- mdl_schema_new --------------------------------------------------------------------- */

static void test_core_schema__new(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    char name0[8];
    strcpy(name0, "id");
    const mdl_field_def defs[] = {
        {name0, {MDL_TYPE_INT64, 0, 0}, false},
        {"price", {MDL_TYPE_DECIMAL, 12, 2}, true},
        {"Price", {MDL_TYPE_STRING, 0, 0}, true}, /* names are case-sensitive */
    };
    mdl_schema *s = NULL;
    assert_int_equal(mdl_schema_new(&ctx, defs, 3, &s, NULL), MDL_OK);
    assert_non_null(s);
    assert_ptr_equal(s->ctx, &ctx);
    assert_int_equal(s->num_fields, 3);
    assert_int_equal(atomic_load(&s->refcount), 1);
    /* Names are copied. */
    strcpy(name0, "zz");
    assert_field(s, 0, "id", mdl_type_make(MDL_TYPE_INT64), false);
    assert_field(s, 1, "price", mdl_type_decimal(12, 2), true);
    assert_field(s, 2, "Price", mdl_type_make(MDL_TYPE_STRING), true);
    assert_ptr_not_equal(s->fields[1].name, defs[1].name);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_schema__new_empty(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s = NULL;
    assert_int_equal(mdl_schema_new(&ctx, NULL, 0, &s, NULL), MDL_OK);
    assert_non_null(s);
    assert_int_equal(s->num_fields, 0);
    assert_int_equal(mdl_schema_find(s, mdl_sv("x")), -1);
    mdl_buf buf;
    assert_string_equal(format_schema(s, &ctx, &buf), "");
    mdl_buf_reset(&buf);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_schema__new_duplicate_names(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    const mdl_field_def defs[] = {
        {"a", {MDL_TYPE_INT64, 0, 0}, true},
        {"b", {MDL_TYPE_INT64, 0, 0}, true},
        {"a", {MDL_TYPE_STRING, 0, 0}, true},
    };
    mdl_schema *s = (mdl_schema *)1;
    mdl_error err;
    assert_int_equal(mdl_schema_new(&ctx, defs, 3, &s, &err), MDL_ERR_SCHEMA);
    assert_null(s);
    assert_int_equal(err.code, MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "duplicate column name 'a'");
    assert_int_equal(c.live, 0);
    /* Adjacent duplicates too, and with err NULL. */
    assert_int_equal(mdl_schema_new(&ctx, defs + 1, 2, &s, NULL), MDL_OK);
    mdl_schema_release(s);
    const mdl_field_def twice[] = {{"x", {MDL_TYPE_DATE, 0, 0}, true},
                                   {"x", {MDL_TYPE_DATE, 0, 0}, true}};
    assert_int_equal(mdl_schema_new(&ctx, twice, 2, &s, NULL), MDL_ERR_SCHEMA);
    assert_null(s);
    assert_int_equal(c.live, 0);
}

static void test_core_schema__new_empty_name(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    const mdl_field_def defs[] = {
        {"a", {MDL_TYPE_INT64, 0, 0}, true},
        {"", {MDL_TYPE_INT64, 0, 0}, true},
    };
    mdl_schema *s = (mdl_schema *)1;
    mdl_error err;
    assert_int_equal(mdl_schema_new(&ctx, defs, 2, &s, &err), MDL_ERR_INVALID_ARG);
    assert_null(s);
    assert_string_equal(err.message, "field 1 has no name");
    const mdl_field_def null_name[] = {{NULL, {MDL_TYPE_INT64, 0, 0}, true}};
    assert_int_equal(mdl_schema_new(&ctx, null_name, 1, &s, &err), MDL_ERR_INVALID_ARG);
    assert_string_equal(err.message, "field 0 has no name");
    assert_null(s);
    assert_int_equal(c.live, 0);
}

static void test_core_schema__new_nomem(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    const mdl_field_def defs[] = {
        {"a", {MDL_TYPE_INT64, 0, 0}, true},
        {"b", {MDL_TYPE_STRING, 0, 0}, false},
        {"c", {MDL_TYPE_DATE, 0, 0}, true},
    };
    /* Fail each allocation in turn: NOMEM, nothing leaked, then success. */
    long k = 0;
    for (;; k++) {
        c.fail_after = k;
        mdl_schema *s = (mdl_schema *)1;
        mdl_error err;
        int rc = mdl_schema_new(&ctx, defs, 3, &s, &err);
        if (rc == MDL_OK) {
            mdl_schema_release(s);
            break;
        }
        assert_int_equal(rc, MDL_ERR_NOMEM);
        assert_int_equal(err.code, MDL_ERR_NOMEM);
        assert_null(s);
        assert_int_equal(c.live, 0);
    }
    assert_int_equal(k, 5); /* struct, field array, three names */
    assert_int_equal(c.live, 0);

    /* The same for parsing. */
    for (k = 0;; k++) {
        c.fail_after = k;
        mdl_schema *s = (mdl_schema *)1;
        int rc = mdl_schema_parse(&ctx, "a int64, b string not null, c date", &s, NULL);
        if (rc == MDL_OK) {
            mdl_schema_release(s);
            break;
        }
        assert_int_equal(rc, MDL_ERR_NOMEM);
        assert_null(s);
        assert_int_equal(c.live, 0);
    }
    assert_true(k > 5);
    assert_int_equal(c.live, 0);
}

/* ---- mdl_schema_parse ------------------------------------------------------------------- */

static void test_core_schema__parse_basic(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, price decimal(12,2)", &s, NULL),
                     MDL_OK);
    assert_int_equal(s->num_fields, 2);
    assert_field(s, 0, "id", mdl_type_make(MDL_TYPE_INT64), false);
    assert_field(s, 1, "price", mdl_type_decimal(12, 2), true);
    assert_int_equal(atomic_load(&s->refcount), 1);
    mdl_schema_release(s);

    assert_int_equal(mdl_schema_parse(&ctx,
                                      "a boolean, b bool, c int32, d int, e integer, f int64, "
                                      "g bigint, h long, i double, j float64, k decimal(5,1), "
                                      "l numeric(38,10), m string, n varchar, o text, p date, "
                                      "q timestamp",
                                      &s, NULL),
                     MDL_OK);
    assert_int_equal(s->num_fields, 17);
    assert_field(s, 0, "a", mdl_type_make(MDL_TYPE_BOOLEAN), true);
    assert_field(s, 1, "b", mdl_type_make(MDL_TYPE_BOOLEAN), true);
    assert_field(s, 2, "c", mdl_type_make(MDL_TYPE_INT32), true);
    assert_field(s, 3, "d", mdl_type_make(MDL_TYPE_INT32), true);
    assert_field(s, 4, "e", mdl_type_make(MDL_TYPE_INT32), true);
    assert_field(s, 5, "f", mdl_type_make(MDL_TYPE_INT64), true);
    assert_field(s, 6, "g", mdl_type_make(MDL_TYPE_INT64), true);
    assert_field(s, 7, "h", mdl_type_make(MDL_TYPE_INT64), true);
    assert_field(s, 8, "i", mdl_type_make(MDL_TYPE_DOUBLE), true);
    assert_field(s, 9, "j", mdl_type_make(MDL_TYPE_DOUBLE), true);
    assert_field(s, 10, "k", mdl_type_decimal(5, 1), true);
    assert_field(s, 11, "l", mdl_type_decimal(38, 10), true);
    assert_field(s, 12, "m", mdl_type_make(MDL_TYPE_STRING), true);
    assert_field(s, 13, "n", mdl_type_make(MDL_TYPE_STRING), true);
    assert_field(s, 14, "o", mdl_type_make(MDL_TYPE_STRING), true);
    assert_field(s, 15, "p", mdl_type_make(MDL_TYPE_DATE), true);
    assert_field(s, 16, "q", mdl_type_make(MDL_TYPE_TIMESTAMP), true);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_schema__parse_not_null_any_case(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    static const char *const texts[] = {
        "a int not null", "a int NOT NULL",     "a int Not Null",  "a int nOt nUlL",
        "a int not NULL", "a int   not null  ", "a INT NOT NULL,", "a\tint not null",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        mdl_schema *s;
        mdl_error err;
        if (mdl_schema_parse(&ctx, texts[i], &s, &err) != MDL_OK)
            fail_msg("'%s': %s", texts[i], err.message);
        assert_int_equal(s->num_fields, 1);
        assert_field(s, 0, "a", mdl_type_make(MDL_TYPE_INT32), false);
        mdl_schema_release(s);
    }
    /* "not null" after a decimal, and on some columns only. */
    mdl_schema *s;
    assert_int_equal(
        mdl_schema_parse(&ctx, "x decimal(12, 2) NOT NULL, y date, z text Not Null", &s, NULL),
        MDL_OK);
    assert_field(s, 0, "x", mdl_type_decimal(12, 2), false);
    assert_field(s, 1, "y", mdl_type_make(MDL_TYPE_DATE), true);
    assert_field(s, 2, "z", mdl_type_make(MDL_TYPE_STRING), false);
    mdl_schema_release(s);
}

static void test_core_schema__parse_decimal_commas(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s;
    /* Commas inside parentheses do not split columns. */
    assert_int_equal(mdl_schema_parse(&ctx,
                                      "a decimal(12,2), b numeric( 5 , 0 ) not null,"
                                      "c decimal(38,38),d int",
                                      &s, NULL),
                     MDL_OK);
    assert_int_equal(s->num_fields, 4);
    assert_field(s, 0, "a", mdl_type_decimal(12, 2), true);
    assert_field(s, 1, "b", mdl_type_decimal(5, 0), false);
    assert_field(s, 2, "c", mdl_type_decimal(38, 38), true);
    assert_field(s, 3, "d", mdl_type_make(MDL_TYPE_INT32), true);
    mdl_schema_release(s);
}

static void test_core_schema__parse_whitespace_and_trailing_comma(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    static const char *const texts[] = {
        "a int64, b string",        "  a int64 ,b string  ", "\ta\tint64,\tb\tstring\t",
        "a int64, b string,",       "a int64, b string, ",   "a   int64,b    string",
        "a int64 , b string ,  \t",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        mdl_schema *s;
        mdl_error err;
        if (mdl_schema_parse(&ctx, texts[i], &s, &err) != MDL_OK)
            fail_msg("'%s': %s", texts[i], err.message);
        assert_int_equal(s->num_fields, 2);
        assert_field(s, 0, "a", mdl_type_make(MDL_TYPE_INT64), true);
        assert_field(s, 1, "b", mdl_type_make(MDL_TYPE_STRING), true);
        mdl_schema_release(s);
    }
}

typedef struct bad_schema {
    const char *text;
    int status;
    const char *message; /* exact message, or NULL to check only the substring */
    const char *contains;
} bad_schema;

static const bad_schema BAD_SCHEMAS[] = {
    {"", MDL_ERR_PARSE, "schema item 1 is empty", NULL},
    {"   ", MDL_ERR_PARSE, "schema item 1 is empty", NULL},
    {",", MDL_ERR_PARSE, "schema item 1 is empty", NULL},
    {", a int", MDL_ERR_PARSE, "schema item 1 is empty", NULL},
    {"a int,,b int", MDL_ERR_PARSE, "schema item 2 is empty", NULL},
    {"a int, ,b int", MDL_ERR_PARSE, "schema item 2 is empty", NULL},
    {"a int,,", MDL_ERR_PARSE, "schema item 2 is empty", NULL},
    {"id", MDL_ERR_PARSE, "schema column 'id' has no type", NULL},
    {"a int, id ", MDL_ERR_PARSE, "schema column 'id' has no type", NULL},
    {"id int64, amount money", MDL_ERR_PARSE, NULL, "schema column 'amount': unknown type 'money'"},
    {"amount varchar2 not null", MDL_ERR_PARSE, NULL,
     "schema column 'amount': unknown type 'varchar2'"},
    {"p decimal(40,2)", MDL_ERR_RANGE, NULL, "schema column 'p': type 'decimal(40,2)'"},
    {"p decimal(5,6) not null", MDL_ERR_RANGE, NULL, "schema column 'p'"},
    {"p decimal(12,2", MDL_ERR_PARSE, NULL, "schema column 'p'"},
    {"p decimal(12)", MDL_ERR_PARSE, NULL, "schema column 'p'"},
    {"x int notnull", MDL_ERR_PARSE, NULL, "schema column 'x'"},
    {"x int null", MDL_ERR_PARSE, NULL, "schema column 'x'"},
    {"x int not null not null", MDL_ERR_PARSE, NULL, "schema column 'x'"},
    {"x not null", MDL_ERR_PARSE, NULL, "schema column 'x'"},
    {"a int, b string, a date", MDL_ERR_SCHEMA, "duplicate column name 'a'", NULL},
    {"dup int, dup int", MDL_ERR_SCHEMA, "duplicate column name 'dup'", NULL},
};

static void test_core_schema__parse_errors(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    for (size_t i = 0; i < sizeof BAD_SCHEMAS / sizeof BAD_SCHEMAS[0]; i++) {
        const bad_schema *b = &BAD_SCHEMAS[i];
        mdl_schema *s = (mdl_schema *)1;
        mdl_error err;
        mdl_error_clear(&err);
        int rc = mdl_schema_parse(&ctx, b->text, &s, &err);
        if (rc != b->status)
            fail_msg("'%s': %s, expected %s (%s)", b->text, mdl_status_str(rc),
                     mdl_status_str(b->status), err.message);
        assert_null(s);
        assert_int_equal(err.code, rc);
        if (b->message != NULL && strcmp(err.message, b->message) != 0)
            fail_msg("'%s': message '%s', expected '%s'", b->text, err.message, b->message);
        if (b->contains != NULL && strstr(err.message, b->contains) == NULL)
            fail_msg("'%s': message '%s' lacks '%s'", b->text, err.message, b->contains);
        /* err may be NULL. */
        assert_int_equal(mdl_schema_parse(&ctx, b->text, &s, NULL), b->status);
        assert_int_equal(c.live, 0);
    }
}

/* ---- formatting and round trips --------------------------------------------------------- */

static void test_core_schema__format(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    const mdl_field_def defs[] = {
        {"a", {MDL_TYPE_BOOLEAN, 0, 0}, true},    {"b", {MDL_TYPE_INT32, 0, 0}, false},
        {"c", {MDL_TYPE_INT64, 0, 0}, true},      {"d", {MDL_TYPE_DOUBLE, 0, 0}, true},
        {"e", {MDL_TYPE_DECIMAL, 12, 2}, true},   {"f", {MDL_TYPE_DECIMAL, 38, 10}, false},
        {"g", {MDL_TYPE_STRING, 0, 0}, true},     {"h", {MDL_TYPE_DATE, 0, 0}, true},
        {"i", {MDL_TYPE_TIMESTAMP, 0, 0}, false},
    };
    mdl_schema *s;
    assert_int_equal(mdl_schema_new(&ctx, defs, 9, &s, NULL), MDL_OK);
    mdl_buf buf;
    char *text = format_schema(s, &ctx, &buf);
    assert_string_equal(text, "a boolean, b int32 not null, c int64, d double, e decimal(12,2), "
                              "f decimal(38,10) not null, g string, h date, i timestamp not null");
    assert_int_equal(buf.len, strlen(text));

    /* Round trip: parse(format(s)) is the same schema, and formats the same again. */
    mdl_schema *back;
    assert_int_equal(mdl_schema_parse(&ctx, text, &back, NULL), MDL_OK);
    assert_int_equal(back->num_fields, s->num_fields);
    for (size_t i = 0; i < s->num_fields; i++)
        assert_field(back, i, s->fields[i].name, s->fields[i].type, s->fields[i].nullable);
    mdl_buf buf2;
    assert_string_equal(format_schema(back, &ctx, &buf2), text);
    mdl_buf_reset(&buf2);
    mdl_schema_release(back);
    mdl_buf_reset(&buf);

    /* Formatting appends to what the buffer already holds. */
    mdl_buf_init(&buf, &ctx, 0);
    assert_int_equal(mdl_buf_append_str(&buf, "schema: ", NULL), MDL_OK);
    assert_int_equal(mdl_schema_format(s, &buf, NULL), MDL_OK);
    assert_memory_equal(buf.data, "schema: a boolean, b int32 not null", 35);
    mdl_buf_reset(&buf);

    /* A bounded buffer that is too small: MDL_ERR_LIMIT. */
    mdl_buf_init(&buf, &ctx, 20);
    mdl_error err;
    assert_int_equal(mdl_schema_format(s, &buf, &err), MDL_ERR_LIMIT);
    assert_int_equal(err.code, MDL_ERR_LIMIT);
    mdl_buf_reset(&buf);
    mdl_schema_release(s);
    assert_int_equal(c.live, 0);
}

static void test_core_schema__format_parse_round_trip_aliases(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s;
    /* Aliases and odd spacing come back in canonical form. */
    assert_int_equal(mdl_schema_parse(&ctx,
                                      "  order_id BIGINT NOT NULL,amount NUMERIC( 12 , 2 ),"
                                      "\tcurrency\tText ,ts TimeStamp not null,ok Bool,",
                                      &s, NULL),
                     MDL_OK);
    mdl_buf buf;
    char *text = format_schema(s, &ctx, &buf);
    assert_string_equal(text, "order_id int64 not null, amount decimal(12,2), currency string, "
                              "ts timestamp not null, ok boolean");
    mdl_schema *back;
    assert_int_equal(mdl_schema_parse(&ctx, text, &back, NULL), MDL_OK);
    mdl_buf buf2;
    assert_string_equal(format_schema(back, &ctx, &buf2), text);
    mdl_buf_reset(&buf2);
    mdl_buf_reset(&buf);
    mdl_schema_release(back);
    mdl_schema_release(s);
}

/* ---- reference counting and lookup ------------------------------------------------------ */

static void test_core_schema__retain_release(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx, "a int, b string", &s, NULL), MDL_OK);
    assert_int_equal(atomic_load(&s->refcount), 1);
    assert_ptr_equal(mdl_schema_retain(s), s);
    assert_int_equal(atomic_load(&s->refcount), 2);
    assert_ptr_equal(mdl_schema_retain(s), s);
    assert_int_equal(atomic_load(&s->refcount), 3);
    mdl_schema_release(s);
    assert_int_equal(atomic_load(&s->refcount), 2);
    mdl_schema_release(s);
    assert_int_equal(atomic_load(&s->refcount), 1);
    assert_true(c.live > 0);
    /* Still fully usable with one reference. */
    assert_int_equal(mdl_schema_find(s, mdl_sv("b")), 1);
    mdl_schema_release(s);
    /* The last release frees everything. */
    assert_int_equal(c.live, 0);
    /* NULL is fine both ways. */
    assert_null(mdl_schema_retain(NULL));
    mdl_schema_release(NULL);
}

static void test_core_schema__find(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(&ctx,
                                      "id int64, price decimal(12,2), price_eur double, "
                                      "\xC3\xA9t\xC3\xA9 date",
                                      &s, NULL),
                     MDL_OK);
    assert_int_equal(mdl_schema_find(s, mdl_sv("id")), 0);
    assert_int_equal(mdl_schema_find(s, mdl_sv("price")), 1);
    assert_int_equal(mdl_schema_find(s, mdl_sv("price_eur")), 2);
    assert_int_equal(mdl_schema_find(s, mdl_sv("\xC3\xA9t\xC3\xA9")), 3);
    /* Exact, case-sensitive, whole-name matches only. */
    assert_int_equal(mdl_schema_find(s, mdl_sv("ID")), -1);
    assert_int_equal(mdl_schema_find(s, mdl_sv("pric")), -1);
    assert_int_equal(mdl_schema_find(s, mdl_sv("price ")), -1);
    assert_int_equal(mdl_schema_find(s, mdl_sv("")), -1);
    assert_int_equal(mdl_schema_find(s, mdl_sv(NULL)), -1);
    assert_int_equal(mdl_schema_find(s, mdl_sv("nope")), -1);
    /* A view into a longer buffer. */
    assert_int_equal(mdl_schema_find(s, mdl_sv_make("price_eur", 5)), 1);
    assert_int_equal(mdl_schema_find(s, mdl_sv_make("identity", 2)), 0);
    mdl_schema_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_schema__new),
        cmocka_unit_test(test_core_schema__new_empty),
        cmocka_unit_test(test_core_schema__new_duplicate_names),
        cmocka_unit_test(test_core_schema__new_empty_name),
        cmocka_unit_test(test_core_schema__new_nomem),
        cmocka_unit_test(test_core_schema__parse_basic),
        cmocka_unit_test(test_core_schema__parse_not_null_any_case),
        cmocka_unit_test(test_core_schema__parse_decimal_commas),
        cmocka_unit_test(test_core_schema__parse_whitespace_and_trailing_comma),
        cmocka_unit_test(test_core_schema__parse_errors),
        cmocka_unit_test(test_core_schema__format),
        cmocka_unit_test(test_core_schema__format_parse_round_trip_aliases),
        cmocka_unit_test(test_core_schema__retain_release),
        cmocka_unit_test(test_core_schema__find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
