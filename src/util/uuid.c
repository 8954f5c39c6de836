/*
 * uuid.c - RFC 9562 UUIDs: version 4 (random) and version 7 (Unix-time ordered).
 * Randomness comes from getrandom(2); the v7 ordering state lives in the mdl_ctx.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include "medallion/util.h"

static int fill_random(void *buf, size_t len, mdl_error *err)
{
    char *p = buf;
    while (len > 0) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return mdl_error_set(err, MDL_ERR_IO, "getrandom failed: %s", strerror(errno));
        }
        p += n;
        len -= (size_t)n;
    }
    return MDL_OK;
}

int mdl_uuid_v4(mdl_uuid *out, mdl_error *err)
{
    int rc = fill_random(out->bytes, sizeof out->bytes, err);
    if (rc != MDL_OK)
        return rc;
    out->bytes[6] = (uint8_t)((out->bytes[6] & 0x0F) | 0x40);
    out->bytes[8] = (uint8_t)((out->bytes[8] & 0x3F) | 0x80);
    return MDL_OK;
}

/*
 * Layout: 48-bit big-endian Unix ms | ver(4)=7 | rand_a(12) | var(2)=10 | rand_b(62).
 * rand_a is used as a counter (RFC 9562 §6.2 method 1): within one millisecond it counts
 * up from a random start below 1024, and if it runs out it carries into the timestamp,
 * so ids from one context are strictly increasing even if the clock steps back.
 */
int mdl_uuid_v7(mdl_ctx *ctx, mdl_uuid *out, mdl_error *err)
{
    uint8_t rnd[10];
    int rc = fill_random(rnd, sizeof rnd, err);
    if (rc != MDL_OK)
        return rc;
    uint64_t now_ms = (uint64_t)(mdl_now_micros() / 1000);
    uint64_t old = atomic_load(&ctx->uuid_v7_state), next;
    do {
        if ((old >> 12) < now_ms)
            next = (now_ms << 12) | (((uint64_t)rnd[8] << 8 | rnd[9]) & 0x3FF);
        else
            next = old + 1;
    } while (!atomic_compare_exchange_weak(&ctx->uuid_v7_state, &old, next));
    uint64_t ms = next >> 12;
    unsigned counter = (unsigned)(next & 0xFFF);
    for (int i = 0; i < 6; i++)
        out->bytes[i] = (uint8_t)(ms >> (40 - 8 * i));
    out->bytes[6] = (uint8_t)(0x70 | (counter >> 8));
    out->bytes[7] = (uint8_t)(counter & 0xFF);
    memcpy(out->bytes + 8, rnd, 8);
    out->bytes[8] = (uint8_t)((out->bytes[8] & 0x3F) | 0x80);
    return MDL_OK;
}

void mdl_uuid_format(const mdl_uuid *uuid, char out[37])
{
    static const char hex[] = "0123456789abcdef";
    size_t o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[uuid->bytes[i] >> 4];
        out[o++] = hex[uuid->bytes[i] & 0x0F];
    }
    out[o] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int mdl_uuid_parse(const char *s, size_t len, mdl_uuid *out)
{
    if (len != 36)
        return MDL_ERR_PARSE;
    mdl_uuid tmp; /* *out is untouched on failure */
    size_t j = 0;
    for (size_t i = 0; i < 36;) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return MDL_ERR_PARSE;
            i++;
            continue;
        }
        int hi = hexval(s[i]), lo = hexval(s[i + 1]);
        if (hi < 0 || lo < 0)
            return MDL_ERR_PARSE;
        tmp.bytes[j++] = (uint8_t)(hi << 4 | lo);
        i += 2;
    }
    *out = tmp;
    return MDL_OK;
}
