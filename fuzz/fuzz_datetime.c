/*
 * fuzz_datetime.c - libFuzzer target for ISO-8601 date and timestamp parsing.
 * A parsed timestamp must format to a canonical UTC string that parses to the same value;
 * a parsed date likewise.
 */
#include <stdint.h>
#include <stdlib.h>

#include "medallion/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char buf[64];
    int64_t us, back;
    if (mdl_timestamp_parse(s, size, &us) == MDL_OK) {
        size_t n = mdl_timestamp_format(us, buf, sizeof buf);
        if (mdl_timestamp_parse(buf, n, &back) != MDL_OK || back != us)
            abort();
    }
    int32_t days, dback;
    if (mdl_date_parse(s, size, &days) == MDL_OK) {
        size_t n = mdl_date_format(days, buf, sizeof buf);
        if (mdl_date_parse(buf, n, &dback) != MDL_OK || dback != days)
            abort();
    }
    return 0;
}
