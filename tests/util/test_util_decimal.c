/*
 * test_util_decimal.c - exact decimal parsing (syntax, scaling, rounding half away from
 * zero, precision limits, exponents), formatting and powers of ten.
 */
#include <stdio.h>
#include <string.h>

#include "test_support.h"

__extension__ typedef unsigned __int128 u128;

/* Independent helpers, so expectations do not go through the code under test. */
static mdl_i128 i128_from(const char *digits)
{
    bool neg = digits[0] == '-';
    mdl_i128 v = 0;
    for (const char *p = digits + neg; *p; p++)
        v = v * 10 + (*p - '0');
    return neg ? -v : v;
}

static const char *i128_str(mdl_i128 v, char *buf, size_t cap)
{
    char tmp[48];
    size_t n = 0;
    bool neg = v < 0;
    u128 m = neg ? (u128)0 - (u128)v : (u128)v;
    do {
        tmp[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m != 0);
    size_t o = 0;
    if (neg)
        buf[o++] = '-';
    while (n > 0 && o + 1 < cap)
        buf[o++] = tmp[--n];
    buf[o] = '\0';
    return buf;
}

static mdl_i128 pow10_ref(int n)
{
    mdl_i128 v = 1;
    for (int i = 0; i < n; i++)
        v *= 10;
    return v;
}

#define NINES38 "99999999999999999999999999999999999999"

typedef struct parse_case {
    const char *text;
    int precision, scale;
    int status;
    const char *expect; /* unscaled value as decimal digits, when status is MDL_OK */
} parse_case;

static const parse_case PARSE_CASES[] = {
    /* basics */
    {"0", 10, 2, MDL_OK, "0"},
    {"-0", 10, 2, MDL_OK, "0"},
    {"+0", 10, 2, MDL_OK, "0"},
    {"0.00", 10, 2, MDL_OK, "0"},
    {"-0.000", 10, 2, MDL_OK, "0"},
    {"12.34", 10, 2, MDL_OK, "1234"},
    {"-12.34", 10, 2, MDL_OK, "-1234"},
    {"+12.34", 10, 2, MDL_OK, "1234"},
    {"+1", 10, 2, MDL_OK, "100"},
    {"1", 1, 0, MDL_OK, "1"},
    {"42", 10, 0, MDL_OK, "42"},
    {"0.1", 5, 2, MDL_OK, "10"},
    {"0.2", 5, 2, MDL_OK, "20"},
    {"0.3", 5, 1, MDL_OK, "3"},
    {".5", 5, 2, MDL_OK, "50"},
    {"-.5", 5, 2, MDL_OK, "-50"},
    {"5.", 5, 2, MDL_OK, "500"},
    {"-5.", 5, 2, MDL_OK, "-500"},
    {"12.3", 10, 2, MDL_OK, "1230"},
    {"12", 10, 4, MDL_OK, "120000"},
    /* leading and trailing zeros */
    {"0000012.34", 10, 2, MDL_OK, "1234"},
    {"-000.010", 10, 2, MDL_OK, "-1"},
    {"12.3400000000000000000000000000000000000000000", 4, 2, MDL_OK, "1234"},
    {"00000000000000000000000000000000000000000001", 1, 0, MDL_OK, "1"},
    {"0.00000000000000000000000000000000000000000000", 1, 0, MDL_OK, "0"},
    /* exponents */
    {"1e3", 10, 2, MDL_OK, "100000"},
    {"1E3", 10, 2, MDL_OK, "100000"},
    {"1e+3", 10, 2, MDL_OK, "100000"},
    {"1.5E-1", 5, 2, MDL_OK, "15"},
    {"-1.5e-1", 5, 2, MDL_OK, "-15"},
    {"123e-2", 5, 2, MDL_OK, "123"},
    {"0.0123e2", 5, 2, MDL_OK, "123"},
    {".5e1", 5, 0, MDL_OK, "5"},
    {"5.e1", 5, 0, MDL_OK, "50"},
    {"1e0", 5, 0, MDL_OK, "1"},
    {"1e-0", 5, 0, MDL_OK, "1"},
    {"1e000000000000000000000000000003", 5, 0, MDL_OK, "1000"},
    {"0e100000", 5, 2, MDL_OK, "0"},
    {"0e999999999999999999999999", 5, 2, MDL_OK, "0"},
    {"1e100000", 38, 0, MDL_ERR_RANGE, NULL},
    {"1e999999999999999999999999", 38, 0, MDL_ERR_RANGE, NULL},
    {"-1e100000", 38, 0, MDL_ERR_RANGE, NULL},
    {"1e-100000", 38, 2, MDL_OK, "0"},
    {"-1e-100000", 38, 2, MDL_OK, "0"},
    {"9e-999999999999999999999", 38, 38, MDL_OK, "0"},
    {"1e37", 38, 0, MDL_OK, "10000000000000000000000000000000000000"},
    {"1e38", 38, 0, MDL_ERR_RANGE, NULL},
    {"1e-38", 38, 38, MDL_OK, "1"},
    {"5e-39", 38, 38, MDL_OK, "1"},
    {"4.9e-39", 38, 38, MDL_OK, "0"},
    {"5e-3", 3, 2, MDL_OK, "1"},
    {"5e-4", 3, 2, MDL_OK, "0"},
    /* rounding half away from zero on the first dropped digit */
    {"1.235", 5, 2, MDL_OK, "124"},
    {"-1.235", 5, 2, MDL_OK, "-124"},
    {"1.234", 5, 2, MDL_OK, "123"},
    {"-1.234", 5, 2, MDL_OK, "-123"},
    {"1.2349999", 5, 2, MDL_OK, "123"},
    {"1.2350000", 5, 2, MDL_OK, "124"},
    {"1.2351", 5, 2, MDL_OK, "124"},
    {"1.225", 5, 2, MDL_OK, "123"}, /* not banker's rounding */
    {"1.215", 5, 2, MDL_OK, "122"},
    {"0.005", 3, 2, MDL_OK, "1"},
    {"-0.005", 3, 2, MDL_OK, "-1"},
    {"0.0049", 3, 2, MDL_OK, "0"},
    {"-0.0049", 3, 2, MDL_OK, "0"},
    {"0.00999", 3, 2, MDL_OK, "1"},
    {"0.5", 1, 0, MDL_OK, "1"},
    {"-0.5", 1, 0, MDL_OK, "-1"},
    {"0.4", 1, 0, MDL_OK, "0"},
    {"2.5", 1, 0, MDL_OK, "3"},
    {"9.4", 1, 0, MDL_OK, "9"},
    {"0.9999", 4, 3, MDL_OK, "1000"},
    {"1.99999", 5, 2, MDL_OK, "200"},
    /* precision */
    {"1000", 5, 2, MDL_ERR_RANGE, NULL},
    {"-1000", 5, 2, MDL_ERR_RANGE, NULL},
    {"999.99", 5, 2, MDL_OK, "99999"},
    {"-999.99", 5, 2, MDL_OK, "-99999"},
    {"999.994", 5, 2, MDL_OK, "99999"},
    {"999.995", 5, 2, MDL_ERR_RANGE, NULL},
    {"-999.995", 5, 2, MDL_ERR_RANGE, NULL},
    {"9.5", 1, 0, MDL_ERR_RANGE, NULL},
    {"10", 1, 0, MDL_ERR_RANGE, NULL},
    {"1", 2, 2, MDL_ERR_RANGE, NULL},
    {"0.99", 2, 2, MDL_OK, "99"},
    {"0.995", 2, 2, MDL_ERR_RANGE, NULL},
    {"123456789012345678", 18, 0, MDL_OK, "123456789012345678"},
    {"1234567890123456789", 18, 0, MDL_ERR_RANGE, NULL},
    {"1234567890123456789", 19, 0, MDL_OK, "1234567890123456789"},
    {"9223372036854775807", 19, 0, MDL_OK, "9223372036854775807"},
    {"9223372036854775808", 19, 0, MDL_OK, "9223372036854775808"},
    {"18446744073709551616", 20, 0, MDL_OK, "18446744073709551616"},
    /* 38 digits */
    {NINES38, 38, 0, MDL_OK, NINES38},
    {"-" NINES38, 38, 0, MDL_OK, "-" NINES38},
    {"+" NINES38, 38, 0, MDL_OK, NINES38},
    {NINES38 "9", 38, 0, MDL_ERR_RANGE, NULL},
    {"1" NINES38, 38, 0, MDL_ERR_RANGE, NULL},
    {"100000000000000000000000000000000000000", 38, 0, MDL_ERR_RANGE, NULL},
    {"0000" NINES38, 38, 0, MDL_OK, NINES38},
    {NINES38 ".4", 38, 0, MDL_OK, NINES38},
    {NINES38 ".5", 38, 0, MDL_ERR_RANGE, NULL},
    {"0." NINES38, 38, 38, MDL_OK, NINES38},
    {"-0." NINES38, 38, 38, MDL_OK, "-" NINES38},
    {"0." NINES38 "5", 38, 38, MDL_ERR_RANGE, NULL},
    {"0." NINES38 "4", 38, 38, MDL_OK, NINES38},
    {"999999999999999999999999999999999999.99", 38, 2, MDL_OK, NINES38},
    {"999999999999999999999999999999999999.995", 38, 2, MDL_ERR_RANGE, NULL},
    {"170141183460469231731687303715884105727", 38, 0, MDL_ERR_RANGE, NULL},
    {"1e37", 38, 1, MDL_ERR_RANGE, NULL},
    {"12345678901234567890123456789012345678e-10", 38, 10, MDL_OK,
     "12345678901234567890123456789012345678"},
    {"1234567890123456789012345678901234567.8", 38, 0, MDL_OK,
     "1234567890123456789012345678901234568"},
    /* syntax */
    {"", 10, 2, MDL_ERR_PARSE, NULL},
    {"-", 10, 2, MDL_ERR_PARSE, NULL},
    {"+", 10, 2, MDL_ERR_PARSE, NULL},
    {".", 10, 2, MDL_ERR_PARSE, NULL},
    {"-.", 10, 2, MDL_ERR_PARSE, NULL},
    {"1.2.3", 10, 2, MDL_ERR_PARSE, NULL},
    {"1..2", 10, 2, MDL_ERR_PARSE, NULL},
    {"1e", 10, 2, MDL_ERR_PARSE, NULL},
    {"1e+", 10, 2, MDL_ERR_PARSE, NULL},
    {"1e-", 10, 2, MDL_ERR_PARSE, NULL},
    {"1e1.5", 10, 2, MDL_ERR_PARSE, NULL},
    {"1e1e1", 10, 2, MDL_ERR_PARSE, NULL},
    {"e3", 10, 2, MDL_ERR_PARSE, NULL},
    {".e3", 10, 2, MDL_ERR_PARSE, NULL},
    {"abc", 10, 2, MDL_ERR_PARSE, NULL},
    {" 1", 10, 2, MDL_ERR_PARSE, NULL},
    {"1 ", 10, 2, MDL_ERR_PARSE, NULL},
    {"\t1", 10, 2, MDL_ERR_PARSE, NULL},
    {"1_000", 10, 2, MDL_ERR_PARSE, NULL},
    {"1,000", 10, 2, MDL_ERR_PARSE, NULL},
    {"1,5", 10, 2, MDL_ERR_PARSE, NULL},
    {"0x10", 10, 2, MDL_ERR_PARSE, NULL},
    {"--1", 10, 2, MDL_ERR_PARSE, NULL},
    {"+-1", 10, 2, MDL_ERR_PARSE, NULL},
    {"1-", 10, 2, MDL_ERR_PARSE, NULL},
    {"1+", 10, 2, MDL_ERR_PARSE, NULL},
    {"- 1", 10, 2, MDL_ERR_PARSE, NULL},
    {"inf", 10, 2, MDL_ERR_PARSE, NULL},
    {"NaN", 10, 2, MDL_ERR_PARSE, NULL},
    {"1d3", 10, 2, MDL_ERR_PARSE, NULL},
    {"$1", 10, 2, MDL_ERR_PARSE, NULL},
    {"1%", 10, 2, MDL_ERR_PARSE, NULL},
    {"\xD9\xA1", 10, 2, MDL_ERR_PARSE, NULL}, /* ARABIC-INDIC DIGIT ONE */
    /* a syntax error anywhere wins over a range error */
    {"1e100000x", 38, 0, MDL_ERR_PARSE, NULL},
    {NINES38 "9x", 38, 0, MDL_ERR_PARSE, NULL},
    /* invalid arguments */
    {"1", 0, 0, MDL_ERR_INVALID_ARG, NULL},
    {"1", -1, 0, MDL_ERR_INVALID_ARG, NULL},
    {"1", 39, 0, MDL_ERR_INVALID_ARG, NULL},
    {"1", 5, -1, MDL_ERR_INVALID_ARG, NULL},
    {"1", 5, 6, MDL_ERR_INVALID_ARG, NULL},
    {"abc", 39, 0, MDL_ERR_INVALID_ARG, NULL},
};

static void test_util_decimal__parse_table(void **state)
{
    (void)state;
    size_t failures = 0;
    for (size_t i = 0; i < sizeof PARSE_CASES / sizeof PARSE_CASES[0]; i++) {
        const parse_case *c = &PARSE_CASES[i];
        mdl_i128 got = 12345;
        int rc = mdl_decimal_parse(c->text, strlen(c->text), c->precision, c->scale, &got);
        char g[64], w[64];
        if (rc != c->status) {
            print_error("'%s' @(%d,%d): status %s, expected %s\n", c->text, c->precision, c->scale,
                        mdl_status_str(rc), mdl_status_str(c->status));
            failures++;
        } else if (rc == MDL_OK && got != i128_from(c->expect)) {
            print_error("'%s' @(%d,%d): got %s, expected %s\n", c->text, c->precision, c->scale,
                        i128_str(got, g, sizeof g), c->expect);
            failures++;
        } else if (rc != MDL_OK && got != 12345) {
            print_error("'%s': *out written on failure (%s)\n", c->text,
                        i128_str(got, w, sizeof w));
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_util_decimal__parse_respects_len(void **state)
{
    (void)state;
    mdl_i128 v;
    /* Only `len` bytes are read: no NUL terminator needed, trailing bytes ignored. */
    assert_int_equal(mdl_decimal_parse("12.345678", 5, 10, 2, &v), MDL_OK);
    assert_true(v == 1234);
    assert_int_equal(mdl_decimal_parse("7xyz", 1, 10, 0, &v), MDL_OK);
    assert_true(v == 7);
    char raw[4] = {'1', '.', '5', '0'};
    assert_int_equal(mdl_decimal_parse(raw, 3, 3, 1, &v), MDL_OK);
    assert_true(v == 15);
    assert_int_equal(mdl_decimal_parse("1.5", 0, 3, 1, &v), MDL_ERR_PARSE);
    assert_int_equal(mdl_decimal_parse(NULL, 0, 3, 1, &v), MDL_ERR_PARSE);
    /* An embedded NUL is just a bad byte. */
    assert_int_equal(mdl_decimal_parse("1\0"
                                       "2",
                                       3, 3, 0, &v),
                     MDL_ERR_PARSE);
}

static void test_util_decimal__parse_every_precision_boundary(void **state)
{
    (void)state;
    /* For every precision p and scale s: the largest value 10^p - 1 (as text with s
     * fractional digits) parses, and one unit more is out of range. */
    for (int p = 1; p <= 38; p++) {
        for (int s = 0; s <= p; s++) {
            char text[64];
            size_t n = 0;
            for (int d = 0; d < p; d++) {
                if (d == p - s)
                    text[n++] = '.';
                text[n++] = '9';
            }
            text[n] = '\0';
            mdl_i128 v = 0;
            int rc = mdl_decimal_parse(text, n, p, s, &v);
            if (rc != MDL_OK || v != pow10_ref(p) - 1)
                fail_msg("'%s' @(%d,%d) rejected", text, p, s);
            /* The same digits with a 1 in front need p + 1 digits. */
            char more[66];
            snprintf(more, sizeof more, "1%s", text);
            rc = mdl_decimal_parse(more, strlen(more), p, s, &v);
            if (rc != MDL_ERR_RANGE)
                fail_msg("'%s' @(%d,%d): %s, expected out of range", more, p, s,
                         mdl_status_str(rc));
            /* Negative too. */
            char neg[66];
            snprintf(neg, sizeof neg, "-%s", text);
            rc = mdl_decimal_parse(neg, strlen(neg), p, s, &v);
            if (rc != MDL_OK || v != -(pow10_ref(p) - 1))
                fail_msg("'%s' @(%d,%d) rejected", neg, p, s);
        }
    }
}

static void test_util_decimal__parse_scale_shifts(void **state)
{
    (void)state;
    /* "1" at every scale is 10^scale; "1e-s" at scale s is 1. */
    for (int s = 0; s <= 38; s++) {
        mdl_i128 v;
        assert_int_equal(mdl_decimal_parse("1", 1, 38, s, &v), s < 38 ? MDL_OK : MDL_ERR_RANGE);
        if (s < 38)
            assert_true(v == pow10_ref(s));
        char text[16];
        int n = snprintf(text, sizeof text, "1e-%d", s);
        assert_int_equal(mdl_decimal_parse(text, (size_t)n, 38, s, &v), MDL_OK);
        assert_true(v == 1);
        n = snprintf(text, sizeof text, "1e-%d", s + 1);
        assert_int_equal(mdl_decimal_parse(text, (size_t)n, 38, s, &v), MDL_OK);
        assert_true(v == 0);
        n = snprintf(text, sizeof text, "5e-%d", s + 1);
        assert_int_equal(mdl_decimal_parse(text, (size_t)n, 38, s, &v), MDL_OK);
        assert_true(v == 1);
    }
}

typedef struct format_case {
    const char *unscaled;
    int scale;
    const char *text;
} format_case;

static const format_case FORMAT_CASES[] = {
    {"0", 0, "0"},
    {"0", 2, "0.00"},
    {"0", 38, "0.00000000000000000000000000000000000000"},
    {"7", 0, "7"},
    {"-7", 0, "-7"},
    {"1234", 0, "1234"},
    {"1234", 2, "12.34"},
    {"-1234", 2, "-12.34"},
    {"1234", 4, "0.1234"},
    {"1234", 5, "0.01234"},
    {"-1234", 6, "-0.001234"},
    {"5", 2, "0.05"},
    {"-5", 2, "-0.05"},
    {"50", 2, "0.50"},
    {"100", 2, "1.00"},
    {"-100", 2, "-1.00"},
    {"99999", 2, "999.99"},
    {"1", 38, "0.00000000000000000000000000000000000001"},
    {"-1", 38, "-0.00000000000000000000000000000000000001"},
    {NINES38, 0, NINES38},
    {"-" NINES38, 0, "-" NINES38},
    {NINES38, 2, "999999999999999999999999999999999999.99"},
    {NINES38, 38, "0." NINES38},
    {"-" NINES38, 38, "-0." NINES38},
    {"9223372036854775807", 0, "9223372036854775807"},
    {"-9223372036854775808", 3, "-9223372036854775.808"},
    {"18446744073709551616", 10, "1844674407.3709551616"},
    /* The extremes of the storage type itself never overflow. */
    {"170141183460469231731687303715884105727", 0, "170141183460469231731687303715884105727"},
};

static void test_util_decimal__format_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof FORMAT_CASES / sizeof FORMAT_CASES[0]; i++) {
        const format_case *c = &FORMAT_CASES[i];
        char buf[64];
        memset(buf, '#', sizeof buf);
        size_t n = mdl_decimal_format(i128_from(c->unscaled), c->scale, buf, sizeof buf);
        if (strcmp(buf, c->text) != 0 || n != strlen(c->text))
            fail_msg("format(%s, %d) = '%s' (%zu), expected '%s'", c->unscaled, c->scale, buf, n,
                     c->text);
        assert_true(n < 48);
    }
}

static void test_util_decimal__format_most_negative_i128(void **state)
{
    (void)state;
    mdl_i128 min = (mdl_i128)((u128)1 << 127);
    char buf[64];
    size_t n = mdl_decimal_format(min, 0, buf, sizeof buf);
    assert_string_equal(buf, "-170141183460469231731687303715884105728");
    assert_int_equal(n, 40);
    n = mdl_decimal_format(min, 38, buf, sizeof buf);
    assert_string_equal(buf, "-1.70141183460469231731687303715884105728");
    assert_int_equal(n, 41);
}

static void test_util_decimal__format_round_trip(void **state)
{
    (void)state;
    /* parse(format(v, s), 38, s) == v over many values and scales. */
    static const char *const seeds[] = {"0",
                                        "1",
                                        "-1",
                                        "5",
                                        "10",
                                        "123456789",
                                        "-987654321012345678",
                                        "1000000000000000000",
                                        "99999999999999999999",
                                        "-12345678901234567890123456789012345678",
                                        NINES38,
                                        "-" NINES38};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        mdl_i128 v = i128_from(seeds[i]);
        for (int s = 0; s <= 38; s++) {
            char buf[64];
            size_t n = mdl_decimal_format(v, s, buf, sizeof buf);
            assert_int_equal(n, strlen(buf));
            mdl_i128 back = 0;
            int rc = mdl_decimal_parse(buf, n, 38, s, &back);
            if (rc != MDL_OK || back != v)
                fail_msg("round trip of %s at scale %d via '%s' failed (%s)", seeds[i], s, buf,
                         mdl_status_str(rc));
        }
    }
}

static void test_util_decimal__format_truncates(void **state)
{
    (void)state;
    char buf[8];
    memset(buf, '#', sizeof buf);
    size_t n = mdl_decimal_format(i128_from("-123456789"), 2, buf, 6);
    /* The first cap - 1 characters, NUL-terminated. */
    assert_int_equal(n, 5);
    assert_string_equal(buf, "-1234");
    assert_int_equal(buf[6], '#');
    n = mdl_decimal_format(42, 0, buf, 1);
    assert_int_equal(n, 0);
    assert_string_equal(buf, "");
    buf[0] = '#';
    n = mdl_decimal_format(42, 0, buf, 0);
    assert_int_equal(n, 0);
    assert_int_equal(buf[0], '#');
    n = mdl_decimal_format(42, 0, buf, 3);
    assert_int_equal(n, 2);
    assert_string_equal(buf, "42");
}

static void test_util_decimal__pow10(void **state)
{
    (void)state;
    for (int n = 0; n <= 38; n++) {
        if (mdl_decimal_pow10(n) != pow10_ref(n))
            fail_msg("10^%d wrong", n);
    }
    assert_true(mdl_decimal_pow10(0) == 1);
    assert_true(mdl_decimal_pow10(1) == 10);
    assert_true(mdl_decimal_pow10(18) == (mdl_i128)1000000000000000000LL);
    assert_true(mdl_decimal_pow10(19) == (mdl_i128)10000000000000000000ULL);
    assert_true(mdl_decimal_pow10(38) == i128_from("1"
                                                   "00000000000000000000000000000000000000"));
    assert_true(mdl_decimal_pow10(38) - 1 == i128_from(NINES38));
    /* Outside 0..38: 0. */
    assert_true(mdl_decimal_pow10(-1) == 0);
    assert_true(mdl_decimal_pow10(39) == 0);
    assert_true(mdl_decimal_pow10(1000) == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_decimal__parse_table),
        cmocka_unit_test(test_util_decimal__parse_respects_len),
        cmocka_unit_test(test_util_decimal__parse_every_precision_boundary),
        cmocka_unit_test(test_util_decimal__parse_scale_shifts),
        cmocka_unit_test(test_util_decimal__format_table),
        cmocka_unit_test(test_util_decimal__format_most_negative_i128),
        cmocka_unit_test(test_util_decimal__format_round_trip),
        cmocka_unit_test(test_util_decimal__format_truncates),
        cmocka_unit_test(test_util_decimal__pow10),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
