/*
 * decimal.c - exact decimal parsing and formatting on 128-bit unscaled integers.
 * A literal is read digit by digit into an integer; it never passes through a double,
 * so "0.1" at scale 2 is exactly 10.
 */
#include <string.h>

#include "medallion/util.h"

__extension__ typedef unsigned __int128 u128;

static const uint64_t POW10_64[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL,
                                      10000000000000000000ULL};

mdl_i128 mdl_decimal_pow10(int n)
{
    if (n < 0)
        return 0;
    if (n <= 19)
        return (mdl_i128)POW10_64[n];
    if (n > 38)
        return 0;
    return (mdl_i128)POW10_64[19] * (mdl_i128)POW10_64[n - 19];
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Grammar: [+-] digits [. digits] | [+-] . digits, then optionally [eE] [+-] digits.
 * The value is D * 10^(exp - nfrac) where D is the run of all mantissa digits; scaled to
 * `scale` that is D * 10^shift with shift = exp - nfrac + scale. A negative shift drops
 * the last -shift digits of D, rounding half away from zero on the first dropped digit.
 */
int mdl_decimal_parse(const char *s, size_t len, int precision, int scale, mdl_i128 *out)
{
    if (precision < 1 || precision > MDL_DECIMAL_MAX_PRECISION || scale < 0 || scale > precision)
        return MDL_ERR_INVALID_ARG;
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '+' || s[i] == '-')) {
        neg = s[i] == '-';
        i++;
    }
    size_t int_start = i;
    while (i < len && is_digit(s[i]))
        i++;
    size_t nint = i - int_start;
    size_t frac_start = i, nfrac = 0;
    if (i < len && s[i] == '.') {
        i++;
        frac_start = i;
        while (i < len && is_digit(s[i]))
            i++;
        nfrac = i - frac_start;
    }
    if (nint == 0 && nfrac == 0)
        return MDL_ERR_PARSE;
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            eneg = s[i] == '-';
            i++;
        }
        size_t estart = i;
        while (i < len && is_digit(s[i])) {
            /* Cap the magnitude: anything this large is out of range or zero anyway. */
            if (exp < 100000)
                exp = exp * 10 + (s[i] - '0');
            i++;
        }
        if (i == estart)
            return MDL_ERR_PARSE;
        if (eneg)
            exp = -exp;
    }
    if (i != len)
        return MDL_ERR_PARSE;

    size_t nd = nint + nfrac;
    long shift = exp - (long)nfrac + scale;
    long keep = shift < 0 ? (long)nd + shift : (long)nd;
    mdl_i128 acc = 0;
    int sig = 0;
    bool round_up = false;
    for (long k = 0; k < keep && k < (long)nd; k++) {
        char c = (size_t)k < nint ? s[int_start + (size_t)k] : s[frac_start + (size_t)k - nint];
        int d = c - '0';
        if (acc == 0 && d == 0)
            continue;
        if (++sig > precision)
            return MDL_ERR_RANGE;
        acc = acc * 10 + d;
    }
    if (shift < 0 && keep >= 0 && keep < (long)nd) {
        size_t k = (size_t)keep;
        char c = k < nint ? s[int_start + k] : s[frac_start + k - nint];
        round_up = c >= '5';
    }
    if (shift > 0 && acc != 0) {
        if (sig + shift > precision)
            return MDL_ERR_RANGE;
        acc *= mdl_decimal_pow10((int)shift);
    }
    if (round_up)
        acc += 1;
    if (acc >= mdl_decimal_pow10(precision))
        return MDL_ERR_RANGE;
    *out = neg ? -acc : acc;
    return MDL_OK;
}

size_t mdl_decimal_format(mdl_i128 unscaled, int scale, char *buf, size_t cap)
{
    char tmp[48];
    size_t n = 0;
    bool neg = unscaled < 0;
    /* Work on the magnitude as unsigned so the most negative value cannot overflow. */
    u128 mag = neg ? (u128)0 - (u128)unscaled : (u128)unscaled;
    int digits = 0;
    do {
        tmp[n++] = (char)('0' + (int)(mag % 10));
        mag /= 10;
        digits++;
        if (digits == scale && scale > 0)
            tmp[n++] = '.';
    } while (mag != 0 || digits < scale);
    if (scale > 0 && digits == scale)
        tmp[n++] = '0';
    if (neg)
        tmp[n++] = '-';
    size_t out = 0;
    while (n > 0 && out + 1 < cap)
        buf[out++] = tmp[--n];
    if (cap > 0)
        buf[out] = '\0';
    return out;
}
