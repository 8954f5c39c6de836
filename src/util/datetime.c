/*
 * datetime.c - ISO-8601 dates and timestamps <-> days / microseconds since the Unix epoch
 * in the proleptic Gregorian calendar, always UTC. The civil<->days conversions are
 * Howard Hinnant's public-domain algorithms (http://howardhinnant.github.io/date_algorithms.html).
 */
#include <stdio.h>
#include <time.h>

#include "medallion/util.h"

int32_t mdl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int64_t)doe - 719468);
}

void mdl_civil_from_days(int32_t days, int64_t *year, unsigned *month, unsigned *day)
{
    const int64_t z = (int64_t)days + 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t)yoe + era * 400 + (*month <= 2);
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Reads exactly n digits at s; false if any is not a digit. */
static bool digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DD" at the start of s (len >= 10). */
static int parse_ymd(const char *s, int32_t *days)
{
    unsigned y, m, d;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return MDL_ERR_PARSE;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return MDL_ERR_RANGE;
    *days = mdl_days_from_civil(y, m, d);
    return MDL_OK;
}

int mdl_date_parse(const char *s, size_t len, int32_t *days_out)
{
    if (len != 10)
        return MDL_ERR_PARSE;
    return parse_ymd(s, days_out);
}

int mdl_timestamp_parse(const char *s, size_t len, int64_t *micros_out)
{
    if (len < 10)
        return MDL_ERR_PARSE;
    int32_t days;
    int rc = parse_ymd(s, &days);
    if (rc != MDL_OK)
        return rc;
    int64_t secs = 0, frac_us = 0, offset_s = 0;
    size_t i = 10;
    if (i < len && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        unsigned hh, mm, ss = 0;
        if (len - i < 6 || !digits(s + i + 1, 2, &hh) || s[i + 3] != ':' ||
            !digits(s + i + 4, 2, &mm))
            return MDL_ERR_PARSE;
        i += 6;
        if (i < len && s[i] == ':') {
            if (len - i < 3 || !digits(s + i + 1, 2, &ss))
                return MDL_ERR_PARSE;
            i += 3;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                size_t start = i;
                int64_t us = 0;
                while (i < len && s[i] >= '0' && s[i] <= '9') {
                    if (i - start < 6)
                        us = us * 10 + (s[i] - '0');
                    i++;
                }
                size_t nd = i - start;
                if (nd == 0 || nd > 9)
                    return MDL_ERR_PARSE;
                for (size_t k = nd; k < 6; k++)
                    us *= 10;
                frac_us = us;
            }
        }
        if (hh > 23 || mm > 59 || ss > 59)
            return MDL_ERR_RANGE;
        secs = (int64_t)hh * 3600 + mm * 60 + ss;
        if (i < len) {
            if (s[i] == 'Z' || s[i] == 'z') {
                i++;
            } else if (s[i] == '+' || s[i] == '-') {
                int sign = s[i] == '-' ? -1 : 1;
                unsigned oh, om = 0;
                size_t rest = len - i - 1;
                const char *o = s + i + 1;
                if (rest == 2 && digits(o, 2, &oh)) {
                    i += 3;
                } else if (rest == 4 && digits(o, 2, &oh) && digits(o + 2, 2, &om)) {
                    i += 5;
                } else if (rest == 5 && digits(o, 2, &oh) && o[2] == ':' && digits(o + 3, 2, &om)) {
                    i += 6;
                } else {
                    return MDL_ERR_PARSE;
                }
                if (oh > 23 || om > 59)
                    return MDL_ERR_RANGE;
                offset_s = sign * ((int64_t)oh * 3600 + (int64_t)om * 60);
            }
        }
    }
    if (i != len)
        return MDL_ERR_PARSE;
    /* Local time minus its offset is UTC. */
    *micros_out = (((int64_t)days * 86400) + secs - offset_s) * 1000000 + frac_us;
    return MDL_OK;
}

size_t mdl_date_format(int32_t days, char *buf, size_t cap)
{
    int64_t y;
    unsigned m, d;
    mdl_civil_from_days(days, &y, &m, &d);
    int n = snprintf(buf, cap, "%04lld-%02u-%02u", (long long)y, m, d);
    return n < 0 ? 0 : (size_t)n;
}

size_t mdl_timestamp_format(int64_t micros, char *buf, size_t cap)
{
    int64_t secs = micros / 1000000, us = micros % 1000000;
    if (us < 0) {
        us += 1000000;
        secs -= 1;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int64_t y;
    unsigned m, d;
    mdl_civil_from_days((int32_t)days, &y, &m, &d);
    int n;
    /* Milliseconds when that is exact (the common case), microseconds otherwise. */
    if (us != 0 && us % 1000 == 0)
        n = snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)(us / 1000));
    else if (us != 0)
        n = snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02d.%06dZ", (long long)y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)us);
    else
        n = snprintf(buf, cap, "%04lld-%02u-%02uT%02d:%02d:%02dZ", (long long)y, m, d,
                     (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60));
    return n < 0 ? 0 : (size_t)n;
}

int64_t mdl_now_micros(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
