/*
 * fuzz_decimal.c - libFuzzer target for exact decimal parsing and formatting.
 * Whatever parses must format back to a literal that parses to the same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int precision = 1 + data[0] % 38;
    int scale = (data[0] >> 3) % (precision + 1);
    const char *s = (const char *)data + 1;
    size_t len = size - 1;
    mdl_i128 v;
    if (mdl_decimal_parse(s, len, precision, scale, &v) != MDL_OK)
        return 0;
    if (v >= mdl_decimal_pow10(precision) || v <= -mdl_decimal_pow10(precision))
        abort();
    char buf[64];
    size_t n = mdl_decimal_format(v, scale, buf, sizeof buf);
    if (n == 0 || n >= sizeof buf || strlen(buf) != n)
        abort();
    mdl_i128 back;
    if (mdl_decimal_parse(buf, n, precision, scale, &back) != MDL_OK || back != v)
        abort();
    return 0;
}
