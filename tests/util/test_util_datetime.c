/*
 * test_util_datetime.c - civil <-> days conversions over the whole supported range,
 * ISO-8601 date and timestamp parsing (separators, fractions, offsets, errors) and
 * formatting (no fraction, milliseconds when exact, else microseconds), with exact
 * expected values.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "test_support.h"

static bool ref_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned ref_days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ref_leap(y) ? 29 : dim[m - 1];
}

/* ---- days <-> civil --------------------------------------------------------------------- */

static void test_util_datetime__civil_known_values(void **state)
{
    (void)state;
    static const struct {
        int64_t y;
        unsigned m, d;
        int32_t days;
    } known[] = {
        {1970, 1, 1, 0},      {1970, 1, 2, 1},       {1969, 12, 31, -1},      {2000, 3, 1, 11017},
        {2000, 2, 29, 11016}, {2024, 2, 29, 19782},  {2024, 1, 1, 19723},     {2023, 12, 31, 19722},
        {1900, 3, 1, -25508}, {1, 1, 1, -719162},    {9999, 12, 31, 2932896}, {0, 3, 1, -719468},
        {2038, 1, 19, 24855}, {1600, 1, 1, -135140}, {2400, 2, 29, 157113},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_int_equal(mdl_days_from_civil(known[i].y, known[i].m, known[i].d), known[i].days);
        int64_t y;
        unsigned m, d;
        mdl_civil_from_days(known[i].days, &y, &m, &d);
        assert_int_equal(y, known[i].y);
        assert_int_equal(m, known[i].m);
        assert_int_equal(d, known[i].d);
    }
}

static void test_util_datetime__civil_round_trip_every_day(void **state)
{
    (void)state;
    /* Walk every day of 0001-01-01 .. 9999-12-31 with an independent calendar. */
    int64_t y = 1;
    unsigned m = 1, d = 1;
    int32_t first = mdl_days_from_civil(1, 1, 1);
    int32_t last = mdl_days_from_civil(9999, 12, 31);
    assert_int_equal(first, -719162);
    assert_int_equal(last, 2932896);
    size_t count = 0;
    for (int32_t days = first; days <= last; days++) {
        int64_t cy;
        unsigned cm, cd;
        mdl_civil_from_days(days, &cy, &cm, &cd);
        if (cy != y || cm != m || cd != d)
            fail_msg("day %d: got %lld-%u-%u, expected %lld-%u-%u", (int)days, (long long)cy, cm,
                     cd, (long long)y, m, d);
        if (mdl_days_from_civil(y, m, d) != days)
            fail_msg("days_from_civil(%lld-%u-%u) != %d", (long long)y, m, d, (int)days);
        count++;
        if (++d > ref_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    assert_int_equal(y, 10000);
    /* 9999 years of 365 days plus 2424 leap days. */
    assert_int_equal(count, 9999u * 365 + 2424);
}

static void test_util_datetime__date_parse_format_every_day(void **state)
{
    (void)state;
    /* Text round trip for every day (format, then parse back). */
    for (int32_t days = -719162; days <= 2932896; days++) {
        char buf[16];
        size_t n = mdl_date_format(days, buf, sizeof buf);
        if (n != 10)
            fail_msg("day %d formatted as '%s'", (int)days, buf);
        int32_t back = 0;
        if (mdl_date_parse(buf, n, &back) != MDL_OK || back != days)
            fail_msg("day %d: '%s' did not parse back", (int)days, buf);
    }
}

static void test_util_datetime__civil_round_trip_wide(void **state)
{
    (void)state;
    /* No validation and no range limit in the raw conversions: they round-trip over the
     * whole int32 day range (years about -5.8 million .. +5.8 million). */
    for (int64_t days = INT32_MIN; days <= INT32_MAX; days += 9973) {
        int64_t y;
        unsigned m, d;
        mdl_civil_from_days((int32_t)days, &y, &m, &d);
        assert_true(m >= 1 && m <= 12);
        assert_true(d >= 1 && d <= ref_days_in_month(y < 0 ? -y : y, m));
        if (mdl_days_from_civil(y, m, d) != (int32_t)days)
            fail_msg("day %lld did not round-trip via %lld-%u-%u", (long long)days, (long long)y, m,
                     d);
    }
    int64_t y;
    unsigned m, d;
    mdl_civil_from_days(INT32_MAX, &y, &m, &d);
    assert_int_equal(mdl_days_from_civil(y, m, d), INT32_MAX);
    mdl_civil_from_days(INT32_MIN, &y, &m, &d);
    assert_int_equal(mdl_days_from_civil(y, m, d), INT32_MIN);
    /* Proleptic Gregorian before year 1: 0000 is a leap year, -0001-12-31 precedes it. */
    assert_int_equal(mdl_days_from_civil(0, 2, 29) + 1, mdl_days_from_civil(0, 3, 1));
    assert_int_equal(mdl_days_from_civil(-1, 12, 31) + 1, mdl_days_from_civil(0, 1, 1));
    assert_int_equal(mdl_days_from_civil(0, 1, 1) + 366, mdl_days_from_civil(1, 1, 1));
}

/* ---- date parsing ----------------------------------------------------------------------- */

typedef struct date_case {
    const char *text;
    int status;
    int32_t days;
} date_case;

static const date_case DATE_CASES[] = {
    {"1970-01-01", MDL_OK, 0},
    {"1970-01-02", MDL_OK, 1},
    {"1969-12-31", MDL_OK, -1},
    {"2000-03-01", MDL_OK, 11017},
    {"2000-02-29", MDL_OK, 11016},
    {"2024-02-29", MDL_OK, 19782},
    {"1900-03-01", MDL_OK, -25508},
    {"0001-01-01", MDL_OK, -719162},
    {"9999-12-31", MDL_OK, 2932896},
    {"2024-04-30", MDL_OK, 19843},
    {"2024-12-31", MDL_OK, 20088},
    /* calendar errors */
    {"2023-02-29", MDL_ERR_RANGE, 0},
    {"1900-02-29", MDL_ERR_RANGE, 0},
    {"2100-02-29", MDL_ERR_RANGE, 0},
    {"2024-02-30", MDL_ERR_RANGE, 0},
    {"2024-04-31", MDL_ERR_RANGE, 0},
    {"2024-06-31", MDL_ERR_RANGE, 0},
    {"2024-09-31", MDL_ERR_RANGE, 0},
    {"2024-11-31", MDL_ERR_RANGE, 0},
    {"2024-01-32", MDL_ERR_RANGE, 0},
    {"2024-13-01", MDL_ERR_RANGE, 0},
    {"2024-00-10", MDL_ERR_RANGE, 0},
    {"2024-01-00", MDL_ERR_RANGE, 0},
    {"2024-99-99", MDL_ERR_RANGE, 0},
    {"0000-01-01", MDL_ERR_RANGE, 0},
    {"0000-12-31", MDL_ERR_RANGE, 0},
    /* syntax errors */
    {"2024-1-01", MDL_ERR_PARSE, 0},
    {"2024-01-1", MDL_ERR_PARSE, 0},
    {"2024-01-01 ", MDL_ERR_PARSE, 0},
    {" 2024-01-01", MDL_ERR_PARSE, 0},
    {"2024-01-01T00:00", MDL_ERR_PARSE, 0},
    {"2024/01/01", MDL_ERR_PARSE, 0},
    {"2024.01.01", MDL_ERR_PARSE, 0},
    {"20240101", MDL_ERR_PARSE, 0},
    {"2024-0a-01", MDL_ERR_PARSE, 0},
    {"2024-01-0x", MDL_ERR_PARSE, 0},
    {"+024-01-01", MDL_ERR_PARSE, 0},
    {"-001-01-01", MDL_ERR_PARSE, 0},
    {"02024-01-01", MDL_ERR_PARSE, 0},
    {"24-01-01", MDL_ERR_PARSE, 0},
    {"2024-01--1", MDL_ERR_PARSE, 0},
    {"2024-+1-01", MDL_ERR_PARSE, 0},
    {"", MDL_ERR_PARSE, 0},
    {"2024", MDL_ERR_PARSE, 0},
    {"yyyy-mm-dd", MDL_ERR_PARSE, 0},
};

static void test_util_datetime__date_parse(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof DATE_CASES / sizeof DATE_CASES[0]; i++) {
        const date_case *c = &DATE_CASES[i];
        int32_t days = 424242;
        int rc = mdl_date_parse(c->text, strlen(c->text), &days);
        if (rc != c->status)
            fail_msg("'%s': %s, expected %s", c->text, mdl_status_str(rc),
                     mdl_status_str(c->status));
        if (rc == MDL_OK && days != c->days)
            fail_msg("'%s': %d days, expected %d", c->text, (int)days, (int)c->days);
        if (rc != MDL_OK && days != 424242)
            fail_msg("'%s': output written on failure", c->text);
    }
    /* Only len bytes are read. */
    int32_t days;
    assert_int_equal(mdl_date_parse("2024-02-29T10:00", 10, &days), MDL_OK);
    assert_int_equal(days, 19782);
    assert_int_equal(mdl_date_parse("2024-02-29", 9, &days), MDL_ERR_PARSE);
    assert_int_equal(mdl_date_parse(NULL, 0, &days), MDL_ERR_PARSE);
}

/* ---- timestamp parsing ------------------------------------------------------------------ */

typedef struct ts_case {
    const char *text;
    int status;
    int64_t micros;
} ts_case;

#define T2024   INT64_C(1704067200000000) /* 2024-01-01T00:00:00Z */
#define T123456 INT64_C(1704112496000000) /* 2024-01-01T12:34:56Z */

static const ts_case TS_CASES[] = {
    /* date only: midnight UTC */
    {"2024-01-01", MDL_OK, T2024},
    {"1970-01-01", MDL_OK, 0},
    {"1969-12-31", MDL_OK, INT64_C(-86400000000)},
    /* separators */
    {"2024-01-01T12:34:56", MDL_OK, T123456},
    {"2024-01-01 12:34:56", MDL_OK, T123456},
    {"2024-01-01t12:34:56", MDL_OK, T123456},
    {"2024-01-01T00:00:00", MDL_OK, T2024},
    {"2024-01-01T23:59:59", MDL_OK, T2024 + INT64_C(86399000000)},
    /* no seconds */
    {"2024-01-01T12:34", MDL_OK, INT64_C(1704112440000000)},
    {"2024-01-01 00:00", MDL_OK, T2024},
    {"2024-01-01T12:34Z", MDL_OK, INT64_C(1704112440000000)},
    {"2024-01-01T12:34+05:30", MDL_OK, INT64_C(1704092640000000)},
    /* fractions of 1..9 digits; beyond microseconds truncated, never rounded */
    {"2024-01-01T12:34:56.1", MDL_OK, T123456 + 100000},
    {"2024-01-01T12:34:56.12", MDL_OK, T123456 + 120000},
    {"2024-01-01T12:34:56.123", MDL_OK, T123456 + 123000},
    {"2024-01-01T12:34:56.1234", MDL_OK, T123456 + 123400},
    {"2024-01-01T12:34:56.12345", MDL_OK, T123456 + 123450},
    {"2024-01-01T12:34:56.123456", MDL_OK, T123456 + 123456},
    {"2024-01-01T12:34:56.1234567", MDL_OK, T123456 + 123456},
    {"2024-01-01T12:34:56.12345678", MDL_OK, T123456 + 123456},
    {"2024-01-01T12:34:56.123456789", MDL_OK, T123456 + 123456},
    {"2024-01-01T12:34:56.999999999", MDL_OK, T123456 + 999999},
    {"2024-01-01T12:34:56.000001", MDL_OK, T123456 + 1},
    {"2024-01-01T12:34:56.0000009", MDL_OK, T123456},
    {"2024-01-01T12:34:56.0", MDL_OK, T123456},
    {"2024-01-01T12:34:56.000000000", MDL_OK, T123456},
    {"2024-01-01T12:34:56,5", MDL_OK, T123456 + 500000},
    {"2024-01-01T12:34:56,123456789Z", MDL_OK, T123456 + 123456},
    /* UTC designators and zero offsets */
    {"2024-01-01T12:34:56Z", MDL_OK, T123456},
    {"2024-01-01T12:34:56z", MDL_OK, T123456},
    {"2024-01-01T12:34:56+00:00", MDL_OK, T123456},
    {"2024-01-01T12:34:56-00:00", MDL_OK, T123456},
    {"2024-01-01T12:34:56+0000", MDL_OK, T123456},
    {"2024-01-01T12:34:56+00", MDL_OK, T123456},
    {"2024-01-01T12:34:56.123456Z", MDL_OK, T123456 + 123456},
    /* offsets: local time minus offset is UTC */
    {"2024-01-01T12:34:56+05:30", MDL_OK, T123456 - INT64_C(19800000000)},
    {"2024-01-01T12:34:56+0530", MDL_OK, T123456 - INT64_C(19800000000)},
    {"2024-01-01T12:34:56-0800", MDL_OK, T123456 + INT64_C(28800000000)},
    {"2024-01-01T12:34:56-08:00", MDL_OK, T123456 + INT64_C(28800000000)},
    {"2024-01-01T12:34:56+01", MDL_OK, T123456 - INT64_C(3600000000)},
    {"2024-01-01T12:34:56-01", MDL_OK, T123456 + INT64_C(3600000000)},
    {"2024-01-01T12:34:56.5-08:00", MDL_OK, INT64_C(1704141296500000)},
    {"2024-01-01T00:00:00+23:59", MDL_OK, INT64_C(1703980860000000)},
    {"2024-01-01T00:00:00-23:59", MDL_OK, INT64_C(1704153540000000)},
    /* offsets crossing midnight, month, year and leap-day boundaries */
    {"2024-01-01T01:00:00+05:30", MDL_OK, INT64_C(1704051000000000)}, /* 2023-12-31T19:30Z */
    {"2024-12-31T22:00:00-08:00", MDL_OK, INT64_C(1735711200000000)}, /* 2025-01-01T06:00Z */
    {"2024-03-01T00:30:00+01:00", MDL_OK, INT64_C(1709249400000000)}, /* 2024-02-29T23:30Z */
    {"2024-03-01T00:30:00+01", MDL_OK, INT64_C(1709249400000000)},
    {"2024-02-28T23:30:00-01:00", MDL_OK, INT64_C(1709166600000000)}, /* 2024-02-29T00:30Z */
    {"1970-01-01T00:00:00+01:00", MDL_OK, INT64_C(-3600000000)},
    {"1970-01-01T00:30:00.25+01:00", MDL_OK, INT64_C(-1799750000)},
    /* before the epoch: the fraction still counts forward */
    {"1969-12-31T23:59:59.999999Z", MDL_OK, -1},
    {"1969-12-31T23:59:59.5", MDL_OK, -500000},
    {"1969-12-31T23:59:59", MDL_OK, -1000000},
    {"1969-12-31T00:00:00.000001", MDL_OK, INT64_C(-86399999999)},
    /* the ends of the supported range */
    {"0001-01-01T00:00:00Z", MDL_OK, INT64_C(-62135596800000000)},
    {"9999-12-31T23:59:59.999999Z", MDL_OK, INT64_C(253402300799999999)},
    {"0001-01-01T00:00:00+01:00", MDL_OK, INT64_C(-62135600400000000)},
    {"9999-12-31T23:59:59-01:00", MDL_OK, INT64_C(253402304399000000)},
    /* time-of-day range */
    {"2024-01-01T24:00:00", MDL_ERR_RANGE, 0},
    {"2024-01-01T24:00", MDL_ERR_RANGE, 0},
    {"2024-01-01T12:60", MDL_ERR_RANGE, 0},
    {"2024-01-01T12:60:00", MDL_ERR_RANGE, 0},
    {"2024-01-01T12:00:60", MDL_ERR_RANGE, 0},
    {"2024-01-01T12:00:99Z", MDL_ERR_RANGE, 0},
    {"2024-01-01T99:99:99", MDL_ERR_RANGE, 0},
    {"2024-01-01T12:00:00+24:00", MDL_ERR_RANGE, 0},
    {"2024-01-01T12:00:00+05:60", MDL_ERR_RANGE, 0},
    {"2024-01-01T12:00:00-9999", MDL_ERR_RANGE, 0},
    /* date range */
    {"2024-13-01T00:00:00", MDL_ERR_RANGE, 0},
    {"2023-02-29T00:00:00", MDL_ERR_RANGE, 0},
    {"0000-01-01T00:00:00Z", MDL_ERR_RANGE, 0},
    {"2024-02-30", MDL_ERR_RANGE, 0},
    /* syntax */
    {"", MDL_ERR_PARSE, 0},
    {"2024", MDL_ERR_PARSE, 0},
    {"2024-1-01", MDL_ERR_PARSE, 0},
    {"2024-1-01T00:00:00", MDL_ERR_PARSE, 0},
    {"2024-01-01T", MDL_ERR_PARSE, 0},
    {"2024-01-01 ", MDL_ERR_PARSE, 0},
    {" 2024-01-01", MDL_ERR_PARSE, 0},
    {"2024-01-01T1", MDL_ERR_PARSE, 0},
    {"2024-01-01T12", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:3", MDL_ERR_PARSE, 0},
    {"2024-01-01T1:34", MDL_ERR_PARSE, 0},
    {"2024-01-01T12-34", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:5", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:5Z", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56 ", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56 Z", MDL_ERR_PARSE, 0},
    {"2024-01-01X12:34:56", MDL_ERR_PARSE, 0},
    {"2024-01-01  12:34", MDL_ERR_PARSE, 0},
    {"2024-01-01TT12:34", MDL_ERR_PARSE, 0},
    {"2024-01-01T+1:34", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34.5", MDL_ERR_PARSE, 0},
    /* fraction with no digits */
    {"2024-01-01T12:34:56.", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56.Z", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56,", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56.+01:00", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56.1.2", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56.1a", MDL_ERR_PARSE, 0},
    /* garbage after the zone */
    {"2024-01-01T12:34:56Zx", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56ZZ", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56Z+01", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+05:30Z", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+05:30 ", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+05:30:00", MDL_ERR_PARSE, 0},
    /* malformed offsets */
    {"2024-01-01T12:34:56+5", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+05:3", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+053", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+05300", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+05:300", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+05-30", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56-", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56+ab:cd", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56 +05:30", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56UTC", MDL_ERR_PARSE, 0},
    {"2024-01-01T12:34:56GMT+1", MDL_ERR_PARSE, 0},
};

static void test_util_datetime__timestamp_parse(void **state)
{
    (void)state;
    size_t failures = 0;
    for (size_t i = 0; i < sizeof TS_CASES / sizeof TS_CASES[0]; i++) {
        const ts_case *c = &TS_CASES[i];
        int64_t us = 4242;
        int rc = mdl_timestamp_parse(c->text, strlen(c->text), &us);
        if (rc != c->status) {
            print_error("'%s': %s, expected %s\n", c->text, mdl_status_str(rc),
                        mdl_status_str(c->status));
            failures++;
        } else if (rc == MDL_OK && us != c->micros) {
            print_error("'%s': %lld us, expected %lld\n", c->text, (long long)us,
                        (long long)c->micros);
            failures++;
        } else if (rc != MDL_OK && us != 4242) {
            print_error("'%s': output written on failure\n", c->text);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_util_datetime__timestamp_parse_respects_len(void **state)
{
    (void)state;
    int64_t us;
    /* Only len bytes are read: a prefix of a longer string. */
    const char *s = "2024-01-01T12:34:56.123456Zgarbage";
    assert_int_equal(mdl_timestamp_parse(s, 27, &us), MDL_OK);
    assert_int_equal(us, T123456 + 123456);
    assert_int_equal(mdl_timestamp_parse(s, 19, &us), MDL_OK);
    assert_int_equal(us, T123456);
    assert_int_equal(mdl_timestamp_parse(s, 10, &us), MDL_OK);
    assert_int_equal(us, T2024);
    assert_int_equal(mdl_timestamp_parse(s, 9, &us), MDL_ERR_PARSE);
    assert_int_equal(mdl_timestamp_parse(s, 20, &us), MDL_ERR_PARSE);
    assert_int_equal(mdl_timestamp_parse(NULL, 0, &us), MDL_ERR_PARSE);
    /* A buffer that is not NUL-terminated, ending right after the offset. */
    char raw[22];
    memcpy(raw, "2024-01-01T12:34:56+01", 22);
    assert_int_equal(mdl_timestamp_parse(raw, sizeof raw, &us), MDL_OK);
    assert_int_equal(us, T123456 - INT64_C(3600000000));
}

static void test_util_datetime__timestamp_every_second_of_a_day(void **state)
{
    (void)state;
    /* Every second of 2024-02-29 in both separator styles, against arithmetic. */
    int64_t base = INT64_C(19782) * 86400 * 1000000;
    for (int sod = 0; sod < 86400; sod++) {
        char text[32];
        int n = snprintf(text, sizeof text, "2024-02-29%c%02d:%02d:%02d", sod % 2 ? 'T' : ' ',
                         sod / 3600, sod / 60 % 60, sod % 60);
        int64_t us;
        assert_int_equal(mdl_timestamp_parse(text, (size_t)n, &us), MDL_OK);
        if (us != base + (int64_t)sod * 1000000)
            fail_msg("'%s' -> %lld", text, (long long)us);
    }
}

/* ---- formatting ------------------------------------------------------------------------- */

static void test_util_datetime__date_format(void **state)
{
    (void)state;
    static const struct {
        int32_t days;
        const char *text;
    } cases[] = {
        {0, "1970-01-01"},      {-1, "1969-12-31"},      {11017, "2000-03-01"},
        {19782, "2024-02-29"},  {-719162, "0001-01-01"}, {2932896, "9999-12-31"},
        {-25508, "1900-03-01"}, {24855, "2038-01-19"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[16];
        memset(buf, '#', sizeof buf);
        assert_int_equal(mdl_date_format(cases[i].days, buf, sizeof buf), 10);
        assert_string_equal(buf, cases[i].text);
    }
}

static void test_util_datetime__timestamp_format(void **state)
{
    (void)state;
    static const struct {
        int64_t micros;
        const char *text;
    } cases[] = {
        {0, "1970-01-01T00:00:00Z"},
        {1, "1970-01-01T00:00:00.000001Z"},
        {-1, "1969-12-31T23:59:59.999999Z"},
        {-500000, "1969-12-31T23:59:59.500Z"},
        {-1000, "1969-12-31T23:59:59.999Z"},
        {-999000, "1969-12-31T23:59:59.001Z"},
        {1000, "1970-01-01T00:00:00.001Z"},
        {1001, "1970-01-01T00:00:00.001001Z"},
        {1010, "1970-01-01T00:00:00.001010Z"},
        {100, "1970-01-01T00:00:00.000100Z"},
        {-1000000, "1969-12-31T23:59:59Z"},
        {-1000001, "1969-12-31T23:59:58.999999Z"},
        {INT64_C(-86400000000), "1969-12-31T00:00:00Z"},
        {INT64_C(-86400000001), "1969-12-30T23:59:59.999999Z"},
        {INT64_C(86399999999), "1970-01-01T23:59:59.999999Z"},
        {T2024, "2024-01-01T00:00:00Z"},
        {T123456, "2024-01-01T12:34:56Z"},
        {T123456 + 123456, "2024-01-01T12:34:56.123456Z"},
        {T123456 + 100000, "2024-01-01T12:34:56.100Z"},
        {T123456 + 123000, "2024-01-01T12:34:56.123Z"},
        {T123456 + 120000, "2024-01-01T12:34:56.120Z"},
        {T123456 + 123400, "2024-01-01T12:34:56.123400Z"},
        {INT64_C(1709249400000000), "2024-02-29T23:30:00Z"},
        {INT64_C(-62135596800000000), "0001-01-01T00:00:00Z"},
        {INT64_C(253402300799999999), "9999-12-31T23:59:59.999999Z"},
        {INT64_C(-62135596799999999), "0001-01-01T00:00:00.000001Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[40];
        memset(buf, '#', sizeof buf);
        size_t n = mdl_timestamp_format(cases[i].micros, buf, sizeof buf);
        if (strcmp(buf, cases[i].text) != 0 || n != strlen(cases[i].text))
            fail_msg("format(%lld) = '%s' (%zu), expected '%s'", (long long)cases[i].micros, buf, n,
                     cases[i].text);
        /* And back. */
        int64_t back;
        assert_int_equal(mdl_timestamp_parse(buf, n, &back), MDL_OK);
        assert_int_equal(back, cases[i].micros);
    }
}

static void test_util_datetime__timestamp_round_trip(void **state)
{
    (void)state;
    /* A deterministic walk over the whole 0001..9999 range, with sub-second parts. */
    const int64_t lo = INT64_C(-62135596800000000), hi = INT64_C(253402300799999999);
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int64_t us = lo + (int64_t)(x % (uint64_t)(hi - lo + 1));
        if (i % 3 == 0)
            us -= us % 1000000; /* whole seconds: no fraction */
        else if (i % 3 == 1)
            us -= us % 1000; /* whole milliseconds: three digits */
        char buf[40];
        size_t n = mdl_timestamp_format(us, buf, sizeof buf);
        assert_int_equal(n, us % 1000000 == 0 ? 20 : us % 1000 == 0 ? 24 : 27);
        int64_t back;
        if (mdl_timestamp_parse(buf, n, &back) != MDL_OK || back != us)
            fail_msg("%lld -> '%s' did not round-trip", (long long)us, buf);
    }
}

static void test_util_datetime__now(void **state)
{
    (void)state;
    int64_t now = mdl_now_micros();
    int64_t sys = (int64_t)time(NULL) * 1000000;
    /* The same clock as time(2), in microseconds. */
    assert_true(now > sys - 2000000 && now < sys + 2000000);
    assert_true(now > T2024);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_datetime__civil_known_values),
        cmocka_unit_test(test_util_datetime__civil_round_trip_every_day),
        cmocka_unit_test(test_util_datetime__date_parse_format_every_day),
        cmocka_unit_test(test_util_datetime__civil_round_trip_wide),
        cmocka_unit_test(test_util_datetime__date_parse),
        cmocka_unit_test(test_util_datetime__timestamp_parse),
        cmocka_unit_test(test_util_datetime__timestamp_parse_respects_len),
        cmocka_unit_test(test_util_datetime__timestamp_every_second_of_a_day),
        cmocka_unit_test(test_util_datetime__date_format),
        cmocka_unit_test(test_util_datetime__timestamp_format),
        cmocka_unit_test(test_util_datetime__timestamp_round_trip),
        cmocka_unit_test(test_util_datetime__now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
