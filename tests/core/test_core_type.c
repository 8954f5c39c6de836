/*
 * test_core_type.c - the type system: names, parsing of every spelling, formatting,
 * widths and equality.
 */
#include <stdio.h>
#include <string.h>

#include "test_support.h"

typedef struct type_case {
    const char *text;
    int status;
    mdl_type_id id;
    int precision, scale;
} type_case;

static const type_case TYPE_CASES[] = {
    /* every spelling */
    {"boolean", MDL_OK, MDL_TYPE_BOOLEAN, 0, 0},
    {"bool", MDL_OK, MDL_TYPE_BOOLEAN, 0, 0},
    {"int32", MDL_OK, MDL_TYPE_INT32, 0, 0},
    {"int", MDL_OK, MDL_TYPE_INT32, 0, 0},
    {"integer", MDL_OK, MDL_TYPE_INT32, 0, 0},
    {"int64", MDL_OK, MDL_TYPE_INT64, 0, 0},
    {"bigint", MDL_OK, MDL_TYPE_INT64, 0, 0},
    {"long", MDL_OK, MDL_TYPE_INT64, 0, 0},
    {"double", MDL_OK, MDL_TYPE_DOUBLE, 0, 0},
    {"float64", MDL_OK, MDL_TYPE_DOUBLE, 0, 0},
    {"string", MDL_OK, MDL_TYPE_STRING, 0, 0},
    {"varchar", MDL_OK, MDL_TYPE_STRING, 0, 0},
    {"text", MDL_OK, MDL_TYPE_STRING, 0, 0},
    {"date", MDL_OK, MDL_TYPE_DATE, 0, 0},
    {"timestamp", MDL_OK, MDL_TYPE_TIMESTAMP, 0, 0},
    {"decimal(12,2)", MDL_OK, MDL_TYPE_DECIMAL, 12, 2},
    {"numeric(12,2)", MDL_OK, MDL_TYPE_DECIMAL, 12, 2},
    /* case-insensitive */
    {"BOOLEAN", MDL_OK, MDL_TYPE_BOOLEAN, 0, 0},
    {"Bool", MDL_OK, MDL_TYPE_BOOLEAN, 0, 0},
    {"INT32", MDL_OK, MDL_TYPE_INT32, 0, 0},
    {"Int", MDL_OK, MDL_TYPE_INT32, 0, 0},
    {"INTEGER", MDL_OK, MDL_TYPE_INT32, 0, 0},
    {"Int64", MDL_OK, MDL_TYPE_INT64, 0, 0},
    {"BigInt", MDL_OK, MDL_TYPE_INT64, 0, 0},
    {"LONG", MDL_OK, MDL_TYPE_INT64, 0, 0},
    {"DOUBLE", MDL_OK, MDL_TYPE_DOUBLE, 0, 0},
    {"Float64", MDL_OK, MDL_TYPE_DOUBLE, 0, 0},
    {"STRING", MDL_OK, MDL_TYPE_STRING, 0, 0},
    {"VarChar", MDL_OK, MDL_TYPE_STRING, 0, 0},
    {"TEXT", MDL_OK, MDL_TYPE_STRING, 0, 0},
    {"Date", MDL_OK, MDL_TYPE_DATE, 0, 0},
    {"TimeStamp", MDL_OK, MDL_TYPE_TIMESTAMP, 0, 0},
    {"DECIMAL(12,2)", MDL_OK, MDL_TYPE_DECIMAL, 12, 2},
    {"Numeric(5,0)", MDL_OK, MDL_TYPE_DECIMAL, 5, 0},
    /* surrounding and inner blanks */
    {"  int64  ", MDL_OK, MDL_TYPE_INT64, 0, 0},
    {"\tdate\t", MDL_OK, MDL_TYPE_DATE, 0, 0},
    {"decimal( 12 , 2 )", MDL_OK, MDL_TYPE_DECIMAL, 12, 2},
    {"decimal (12,2)", MDL_OK, MDL_TYPE_DECIMAL, 12, 2},
    {"  decimal(12,2)  ", MDL_OK, MDL_TYPE_DECIMAL, 12, 2},
    {"decimal(\t7\t,\t3\t)", MDL_OK, MDL_TYPE_DECIMAL, 7, 3},
    /* decimal bounds */
    {"decimal(1,0)", MDL_OK, MDL_TYPE_DECIMAL, 1, 0},
    {"decimal(1,1)", MDL_OK, MDL_TYPE_DECIMAL, 1, 1},
    {"decimal(18,4)", MDL_OK, MDL_TYPE_DECIMAL, 18, 4},
    {"decimal(19,4)", MDL_OK, MDL_TYPE_DECIMAL, 19, 4},
    {"decimal(38,0)", MDL_OK, MDL_TYPE_DECIMAL, 38, 0},
    {"decimal(38,38)", MDL_OK, MDL_TYPE_DECIMAL, 38, 38},
    {"decimal(5,5)", MDL_OK, MDL_TYPE_DECIMAL, 5, 5},
    {"decimal(007,002)", MDL_OK, MDL_TYPE_DECIMAL, 7, 2},
    {"decimal(0,0)", MDL_ERR_RANGE, 0, 0, 0},
    {"decimal(39,0)", MDL_ERR_RANGE, 0, 0, 0},
    {"decimal(5,6)", MDL_ERR_RANGE, 0, 0, 0},
    {"decimal(38,39)", MDL_ERR_RANGE, 0, 0, 0},
    {"decimal(999,0)", MDL_ERR_RANGE, 0, 0, 0},
    {"numeric(0,0)", MDL_ERR_RANGE, 0, 0, 0},
    /* not types */
    {"decimal(a,b)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(12)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(12,2,1)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal()", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(,)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(12,)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(,2)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(-1,0)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(+5,0)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(1 2,0)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(1000,2)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(0012,2)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(12,2", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal12,2)", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal((12,2))", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal(12,2) x", MDL_ERR_PARSE, 0, 0, 0},
    {"decimal", MDL_ERR_PARSE, 0, 0, 0},
    {"numeric", MDL_ERR_PARSE, 0, 0, 0},
    {"dec(12,2)", MDL_ERR_PARSE, 0, 0, 0},
    {"(12,2)", MDL_ERR_PARSE, 0, 0, 0},
    {"int64(12,2)", MDL_ERR_PARSE, 0, 0, 0},
    {"varchar2", MDL_ERR_PARSE, 0, 0, 0},
    {"varchar(10)", MDL_ERR_PARSE, 0, 0, 0},
    {"int 64", MDL_ERR_PARSE, 0, 0, 0},
    {"int8", MDL_ERR_PARSE, 0, 0, 0},
    {"float", MDL_ERR_PARSE, 0, 0, 0},
    {"timestamptz", MDL_ERR_PARSE, 0, 0, 0},
    {"datetime", MDL_ERR_PARSE, 0, 0, 0},
    {"booleans", MDL_ERR_PARSE, 0, 0, 0},
    {"str", MDL_ERR_PARSE, 0, 0, 0},
    {"int64 not null", MDL_ERR_PARSE, 0, 0, 0},
    {"", MDL_ERR_PARSE, 0, 0, 0},
    {"   ", MDL_ERR_PARSE, 0, 0, 0},
    {"\xC3\xA9", MDL_ERR_PARSE, 0, 0, 0},
};

static void test_core_type__parse_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof TYPE_CASES / sizeof TYPE_CASES[0]; i++) {
        const type_case *c = &TYPE_CASES[i];
        mdl_type t = {MDL_TYPE_BOOLEAN, 99, 99};
        mdl_error err;
        mdl_error_clear(&err);
        int rc = mdl_type_parse(mdl_sv(c->text), &t, &err);
        if (rc != c->status)
            fail_msg("'%s': %s, expected %s (%s)", c->text, mdl_status_str(rc),
                     mdl_status_str(c->status), err.message);
        if (rc == MDL_OK) {
            if (t.id != c->id || t.precision != c->precision || t.scale != c->scale)
                fail_msg("'%s': parsed as %d(%u,%u)", c->text, (int)t.id, t.precision, t.scale);
        } else {
            if (err.code != rc || err.message[0] == '\0')
                fail_msg("'%s': error detail missing", c->text);
            /* The error names the offending text. */
            mdl_strview trimmed = mdl_sv_trim(mdl_sv(c->text));
            char needle[64];
            snprintf(needle, sizeof needle, "'%.*s'", (int)trimmed.len, trimmed.ptr);
            if (strstr(err.message, needle) == NULL)
                fail_msg("'%s': message '%s' does not quote it", c->text, err.message);
        }
        /* err may be NULL. */
        assert_int_equal(mdl_type_parse(mdl_sv(c->text), &t, NULL), c->status);
    }
}

static void test_core_type__parse_errors_detail(void **state)
{
    (void)state;
    mdl_type t;
    mdl_error err;
    assert_int_equal(mdl_type_parse(mdl_sv("decimal(39,0)"), &t, &err), MDL_ERR_RANGE);
    assert_string_equal(err.message,
                        "type 'decimal(39,0)': precision must be 1..38 and scale 0..precision");
    assert_int_equal(mdl_type_parse(mdl_sv("money"), &t, &err), MDL_ERR_PARSE);
    assert_string_equal(err.message, "unknown type 'money' (expected boolean, int32, int64, "
                                     "double, decimal(p,s), string, date or timestamp)");
    /* A very long name is quoted only in part, keeping the message one bounded line. */
    char longname[200];
    memset(longname, 'x', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    assert_int_equal(mdl_type_parse(mdl_sv(longname), &t, &err), MDL_ERR_PARSE);
    assert_non_null(strstr(err.message, "'xxxxxxxx"));
    assert_true(strlen(err.message) < 200);
    /* The view's length is respected: no NUL terminator needed. */
    assert_int_equal(mdl_type_parse(mdl_sv_make("datetime", 4), &t, NULL), MDL_OK);
    assert_int_equal(t.id, MDL_TYPE_DATE);
    assert_int_equal(mdl_type_parse(mdl_sv_make("decimal(12,2)xyz", 13), &t, NULL), MDL_OK);
    assert_int_equal(t.id, MDL_TYPE_DECIMAL);
    assert_int_equal(t.precision, 12);
    assert_int_equal(t.scale, 2);
    /* An empty view, even one with a NULL pointer, is simply not a type. */
    assert_int_equal(mdl_type_parse(mdl_sv(NULL), &t, &err), MDL_ERR_PARSE);
    assert_int_equal(mdl_type_parse(mdl_sv_make("int", 0), &t, &err), MDL_ERR_PARSE);
}

static void test_core_type__name(void **state)
{
    (void)state;
    assert_string_equal(mdl_type_name(MDL_TYPE_BOOLEAN), "boolean");
    assert_string_equal(mdl_type_name(MDL_TYPE_INT32), "int32");
    assert_string_equal(mdl_type_name(MDL_TYPE_INT64), "int64");
    assert_string_equal(mdl_type_name(MDL_TYPE_DOUBLE), "double");
    assert_string_equal(mdl_type_name(MDL_TYPE_DECIMAL), "decimal");
    assert_string_equal(mdl_type_name(MDL_TYPE_STRING), "string");
    assert_string_equal(mdl_type_name(MDL_TYPE_DATE), "date");
    assert_string_equal(mdl_type_name(MDL_TYPE_TIMESTAMP), "timestamp");
    assert_string_equal(mdl_type_name((mdl_type_id)0), "unknown");
    assert_string_equal(mdl_type_name((mdl_type_id)99), "unknown");
}

static void test_core_type__format(void **state)
{
    (void)state;
    static const struct {
        mdl_type type;
        const char *text;
    } cases[] = {
        {{MDL_TYPE_BOOLEAN, 0, 0}, "boolean"},      {{MDL_TYPE_INT32, 0, 0}, "int32"},
        {{MDL_TYPE_INT64, 0, 0}, "int64"},          {{MDL_TYPE_DOUBLE, 0, 0}, "double"},
        {{MDL_TYPE_STRING, 0, 0}, "string"},        {{MDL_TYPE_DATE, 0, 0}, "date"},
        {{MDL_TYPE_TIMESTAMP, 0, 0}, "timestamp"},  {{MDL_TYPE_DECIMAL, 12, 2}, "decimal(12,2)"},
        {{MDL_TYPE_DECIMAL, 1, 0}, "decimal(1,0)"}, {{MDL_TYPE_DECIMAL, 38, 38}, "decimal(38,38)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[32];
        memset(buf, '#', sizeof buf);
        size_t n = mdl_type_format(cases[i].type, buf, sizeof buf);
        assert_string_equal(buf, cases[i].text);
        assert_int_equal(n, strlen(cases[i].text));
        /* The spelling parses back to the same type. */
        mdl_type back;
        assert_int_equal(mdl_type_parse(mdl_sv(buf), &back, NULL), MDL_OK);
        assert_true(mdl_type_equal(back, cases[i].type));
    }
    /* Aliases format under their canonical name. */
    mdl_type t;
    char buf[32];
    assert_int_equal(mdl_type_parse(mdl_sv("NUMERIC( 9 , 3 )"), &t, NULL), MDL_OK);
    mdl_type_format(t, buf, sizeof buf);
    assert_string_equal(buf, "decimal(9,3)");
    assert_int_equal(mdl_type_parse(mdl_sv("BigInt"), &t, NULL), MDL_OK);
    mdl_type_format(t, buf, sizeof buf);
    assert_string_equal(buf, "int64");
    /* A small buffer gets a NUL-terminated prefix. */
    memset(buf, '#', sizeof buf);
    mdl_type_format(mdl_type_decimal(12, 2), buf, 5);
    assert_string_equal(buf, "deci");
    assert_int_equal(buf[5], '#');
    memset(buf, '#', sizeof buf);
    mdl_type_format(mdl_type_make(MDL_TYPE_TIMESTAMP), buf, 4);
    assert_string_equal(buf, "tim");
}

static void test_core_type__width(void **state)
{
    (void)state;
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_BOOLEAN)), 1);
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_INT32)), 4);
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_DATE)), 4);
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_INT64)), 8);
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_DOUBLE)), 8);
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_TIMESTAMP)), 8);
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_STRING)), 8);
    for (int p = 1; p <= 38; p++) {
        size_t want = p <= 18 ? 8 : 16;
        assert_int_equal(mdl_type_width(mdl_type_decimal(p, 0)), want);
        assert_int_equal(mdl_type_width(mdl_type_decimal(p, p)), want);
    }
    assert_int_equal(mdl_type_width(mdl_type_decimal(18, 2)), 8);
    assert_int_equal(mdl_type_width(mdl_type_decimal(19, 2)), 16);
    assert_int_equal(MDL_DECIMAL64_MAX_PRECISION, 18);
    /* Widths match the C types the header names. */
    assert_int_equal(mdl_type_width(mdl_type_make(MDL_TYPE_INT64)), sizeof(int64_t));
    assert_int_equal(mdl_type_width(mdl_type_decimal(38, 0)), sizeof(mdl_i128));
    assert_int_equal(mdl_type_width(mdl_type_make((mdl_type_id)0)), 0);
}

static void test_core_type__equal(void **state)
{
    (void)state;
    static const mdl_type_id ids[] = {MDL_TYPE_BOOLEAN,  MDL_TYPE_INT32,  MDL_TYPE_INT64,
                                      MDL_TYPE_DOUBLE,   MDL_TYPE_STRING, MDL_TYPE_DATE,
                                      MDL_TYPE_TIMESTAMP};
    size_t n = sizeof ids / sizeof ids[0];
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++)
            assert_int_equal(mdl_type_equal(mdl_type_make(ids[i]), mdl_type_make(ids[j])), i == j);
    /* Precision and scale matter only for decimals. */
    mdl_type odd = {MDL_TYPE_INT64, 7, 3};
    assert_true(mdl_type_equal(odd, mdl_type_make(MDL_TYPE_INT64)));
    assert_true(mdl_type_equal(mdl_type_decimal(12, 2), mdl_type_decimal(12, 2)));
    assert_false(mdl_type_equal(mdl_type_decimal(12, 2), mdl_type_decimal(12, 3)));
    assert_false(mdl_type_equal(mdl_type_decimal(12, 2), mdl_type_decimal(13, 2)));
    assert_false(mdl_type_equal(mdl_type_decimal(12, 2), mdl_type_make(MDL_TYPE_INT64)));
    assert_false(mdl_type_equal(mdl_type_decimal(18, 0), mdl_type_make(MDL_TYPE_INT64)));
    assert_false(mdl_type_equal(mdl_type_make(MDL_TYPE_DATE), mdl_type_make(MDL_TYPE_INT32)));
    assert_false(mdl_type_equal(mdl_type_make(MDL_TYPE_TIMESTAMP), mdl_type_make(MDL_TYPE_INT64)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_type__parse_table),
        cmocka_unit_test(test_core_type__parse_errors_detail),
        cmocka_unit_test(test_core_type__name),
        cmocka_unit_test(test_core_type__format),
        cmocka_unit_test(test_core_type__width),
        cmocka_unit_test(test_core_type__equal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
