/*
 * test_util_error.c - mdl_error_set / setv / prefix / clear and mdl_status_str.
 */
#include <stdio.h>
#include <string.h>

#include "test_support.h"

/* A message of exactly MDL_ERROR_MESSAGE_SIZE - 1 characters fills the buffer. */
#define MAX_MSG (MDL_ERROR_MESSAGE_SIZE - 1)

static void fill_pattern(char *dst, size_t n, char first)
{
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)(first + (char)(i % 26));
    dst[n] = '\0';
}

static int set_via_setv(mdl_error *err, int code, const char *fmt, ...) MDL_PRINTF(3, 4);
static int set_via_setv(mdl_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = mdl_error_setv(err, code, fmt, ap);
    va_end(ap);
    return rc;
}

static void test_util_error__set_fills_code_and_message(void **state)
{
    (void)state;
    mdl_error err;
    memset(&err, 0x55, sizeof err);
    int rc = mdl_error_set(&err, MDL_ERR_PARSE, "column '%s' row %d: '%s' is not a date", "ts",
                           1042, "2024-13-01");
    assert_int_equal(rc, MDL_ERR_PARSE);
    assert_int_equal(err.code, MDL_ERR_PARSE);
    assert_string_equal(err.message, "column 'ts' row 1042: '2024-13-01' is not a date");
}

static void test_util_error__set_returns_code_for_every_status(void **state)
{
    (void)state;
    for (int code = MDL_OK; code <= MDL_ERR_QUALITY; code++) {
        mdl_error err;
        assert_int_equal(mdl_error_set(&err, code, "c%d", code), code);
        assert_int_equal(err.code, code);
        char want[16];
        snprintf(want, sizeof want, "c%d", code);
        assert_string_equal(err.message, want);
        assert_int_equal(mdl_error_set(NULL, code, "c%d", code), code);
    }
}

static void test_util_error__set_null_err(void **state)
{
    (void)state;
    assert_int_equal(mdl_error_set(NULL, MDL_ERR_IO, "nothing %s", "here"), MDL_ERR_IO);
    assert_int_equal(set_via_setv(NULL, MDL_ERR_LIMIT, "x%d", 1), MDL_ERR_LIMIT);
    assert_int_equal(mdl_error_prefix(NULL, "p: "), MDL_OK);
    mdl_error_clear(NULL);
}

static void test_util_error__setv(void **state)
{
    (void)state;
    mdl_error err;
    assert_int_equal(set_via_setv(&err, MDL_ERR_RANGE, "%d > %s", 7, "five"), MDL_ERR_RANGE);
    assert_int_equal(err.code, MDL_ERR_RANGE);
    assert_string_equal(err.message, "7 > five");
}

static void test_util_error__set_overwrites_previous(void **state)
{
    (void)state;
    mdl_error err;
    mdl_error_set(&err, MDL_ERR_IO, "a long first message that is longer");
    mdl_error_set(&err, MDL_ERR_NOMEM, "short");
    assert_int_equal(err.code, MDL_ERR_NOMEM);
    assert_string_equal(err.message, "short");
}

static void test_util_error__set_truncates_at_512(void **state)
{
    (void)state;
    char big[1000];
    fill_pattern(big, 700, 'a');
    mdl_error err;
    assert_int_equal(mdl_error_set(&err, MDL_ERR_PARSE, "%s", big), MDL_ERR_PARSE);
    assert_int_equal(strlen(err.message), MAX_MSG);
    assert_memory_equal(err.message, big, MAX_MSG);
    assert_int_equal(err.message[MAX_MSG], '\0');

    /* Exactly 511 characters fit without loss; 512 lose the last one. */
    fill_pattern(big, MAX_MSG, 'A');
    mdl_error_set(&err, MDL_ERR_PARSE, "%s", big);
    assert_string_equal(err.message, big);
    fill_pattern(big, MAX_MSG + 1, 'A');
    mdl_error_set(&err, MDL_ERR_PARSE, "%s", big);
    assert_int_equal(strlen(err.message), MAX_MSG);
    assert_memory_equal(err.message, big, MAX_MSG);
}

static void test_util_error__prefix_prepends(void **state)
{
    (void)state;
    mdl_error err;
    mdl_error_set(&err, MDL_ERR_PARSE, "row %d: bad value", 3);
    assert_int_equal(mdl_error_prefix(&err, "%s: ", "orders.csv"), MDL_ERR_PARSE);
    assert_int_equal(err.code, MDL_ERR_PARSE);
    assert_string_equal(err.message, "orders.csv: row 3: bad value");
    /* Prefixes stack, outermost first. */
    assert_int_equal(mdl_error_prefix(&err, "table '%s': ", "bronze.orders"), MDL_ERR_PARSE);
    assert_string_equal(err.message, "table 'bronze.orders': orders.csv: row 3: bad value");
}

static void test_util_error__prefix_returns_existing_code(void **state)
{
    (void)state;
    mdl_error err;
    mdl_error_set(&err, MDL_ERR_SCHEMA, "x");
    assert_int_equal(mdl_error_prefix(&err, "p "), MDL_ERR_SCHEMA);
    assert_int_equal(err.code, MDL_ERR_SCHEMA);
    assert_string_equal(err.message, "p x");
}

static void test_util_error__prefix_empty_message_and_empty_prefix(void **state)
{
    (void)state;
    mdl_error err;
    mdl_error_set(&err, MDL_ERR_IO, "%s", "");
    mdl_error_prefix(&err, "only prefix");
    assert_string_equal(err.message, "only prefix");
    mdl_error_prefix(&err, "%s", "");
    assert_string_equal(err.message, "only prefix");
}

static void test_util_error__prefix_truncates_old_message_end(void **state)
{
    (void)state;
    char old[MDL_ERROR_MESSAGE_SIZE];
    fill_pattern(old, 500, 'a');
    mdl_error err;
    mdl_error_set(&err, MDL_ERR_PARSE, "%s", old);
    mdl_error_prefix(&err, "%s", "0123456789:");
    assert_int_equal(strlen(err.message), MAX_MSG);
    assert_memory_equal(err.message, "0123456789:", 11);
    /* The old message keeps its start and loses its end. */
    assert_memory_equal(err.message + 11, old, MAX_MSG - 11);

    /* A full-length old message with a one-character prefix. */
    fill_pattern(old, MAX_MSG, 'A');
    mdl_error_set(&err, MDL_ERR_PARSE, "%s", old);
    mdl_error_prefix(&err, "!");
    assert_int_equal(strlen(err.message), MAX_MSG);
    assert_int_equal(err.message[0], '!');
    assert_memory_equal(err.message + 1, old, MAX_MSG - 1);

    /* Fits exactly: 11 + 500 = 511. */
    fill_pattern(old, 500, 'a');
    mdl_error_set(&err, MDL_ERR_PARSE, "%s", old);
    mdl_error_prefix(&err, "%s", "0123456789-");
    assert_int_equal(strlen(err.message), MAX_MSG);
    assert_memory_equal(err.message + 11, old, 500);
}

static void test_util_error__prefix_longer_than_buffer(void **state)
{
    (void)state;
    char pre[800];
    fill_pattern(pre, 700, 'a');
    mdl_error err;
    mdl_error_set(&err, MDL_ERR_LIMIT, "old message");
    assert_int_equal(mdl_error_prefix(&err, "%s", pre), MDL_ERR_LIMIT);
    assert_int_equal(strlen(err.message), MAX_MSG);
    assert_memory_equal(err.message, pre, MAX_MSG);
    assert_null(strstr(err.message, "old message"));

    /* A prefix of exactly 511 characters leaves no room for the old message. */
    fill_pattern(pre, MAX_MSG, 'A');
    mdl_error_set(&err, MDL_ERR_LIMIT, "old");
    mdl_error_prefix(&err, "%s", pre);
    assert_string_equal(err.message, pre);
}

static void test_util_error__clear(void **state)
{
    (void)state;
    mdl_error err;
    mdl_error_set(&err, MDL_ERR_IO, "disk on fire");
    mdl_error_clear(&err);
    assert_int_equal(err.code, MDL_OK);
    assert_string_equal(err.message, "");
}

static void test_util_error__status_str_every_status(void **state)
{
    (void)state;
    static const struct {
        int status;
        const char *name;
    } cases[] = {
        {MDL_OK, "ok"},
        {MDL_ERR_NOMEM, "out of memory"},
        {MDL_ERR_INVALID_ARG, "invalid argument"},
        {MDL_ERR_IO, "i/o error"},
        {MDL_ERR_PARSE, "parse error"},
        {MDL_ERR_RANGE, "out of range"},
        {MDL_ERR_LIMIT, "limit exceeded"},
        {MDL_ERR_NOT_FOUND, "not found"},
        {MDL_ERR_UNSUPPORTED, "unsupported"},
        {MDL_ERR_CANCELLED, "cancelled"},
        {MDL_ERR_SCHEMA, "schema mismatch"},
        {MDL_ERR_CONFLICT, "conflict"},
        {MDL_ERR_QUALITY, "quality check failed"},
    };
    size_t n = sizeof cases / sizeof cases[0];
    /* The enum is closed: the table covers it exactly. */
    assert_int_equal(n, MDL_ERR_QUALITY + 1);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(cases[i].status, (int)i);
        assert_string_equal(mdl_status_str(cases[i].status), cases[i].name);
        /* Names are distinct and lowercase. */
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(mdl_status_str(cases[i].status),
                                    mdl_status_str(cases[j].status));
        for (const char *p = cases[i].name; *p; p++)
            assert_false(*p >= 'A' && *p <= 'Z');
    }
}

static void test_util_error__status_str_unknown(void **state)
{
    (void)state;
    static const int unknown[] = {-1, MDL_ERR_QUALITY + 1, 100, -2147483647 - 1, 2147483647};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *s = mdl_status_str(unknown[i]);
        assert_non_null(s);
        assert_string_equal(s, "unknown error");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_error__set_fills_code_and_message),
        cmocka_unit_test(test_util_error__set_returns_code_for_every_status),
        cmocka_unit_test(test_util_error__set_null_err),
        cmocka_unit_test(test_util_error__setv),
        cmocka_unit_test(test_util_error__set_overwrites_previous),
        cmocka_unit_test(test_util_error__set_truncates_at_512),
        cmocka_unit_test(test_util_error__prefix_prepends),
        cmocka_unit_test(test_util_error__prefix_returns_existing_code),
        cmocka_unit_test(test_util_error__prefix_empty_message_and_empty_prefix),
        cmocka_unit_test(test_util_error__prefix_truncates_old_message_end),
        cmocka_unit_test(test_util_error__prefix_longer_than_buffer),
        cmocka_unit_test(test_util_error__clear),
        cmocka_unit_test(test_util_error__status_str_every_status),
        cmocka_unit_test(test_util_error__status_str_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
