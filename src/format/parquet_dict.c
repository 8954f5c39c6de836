/*
 * parquet_dict.c - see parquet_dict.h. Each slot packs a 32-bit hash tag with the entry id,
 * so a probe touches one 8-byte word and compares values only on a tag match; values are
 * compared with fixed-width loads (4, 8, 16 bytes) or length + memcmp for byte arrays.
 * Load factor stays at or below 1/2.
 */
#include <string.h>
#include <xxhash.h>

#include "parquet_dict.h"

void mdl_format__pq_dict_init(pq_dict *d, mdl_ctx *ctx, size_t width)
{
    memset(d, 0, sizeof *d);
    d->ctx = ctx;
    d->width = width;
    mdl_buf_init(&d->plain, ctx, 0);
}

void mdl_format__pq_dict_clear(pq_dict *d)
{
    if (d->slots != NULL)
        memset(d->slots, 0, (d->mask + 1) * sizeof(uint64_t));
    d->count = 0;
    d->plain.len = 0;
    d->has_last = false;
}

void mdl_format__pq_dict_free(pq_dict *d)
{
    mdl_free(d->ctx, d->slots);
    mdl_free(d->ctx, d->offsets);
    mdl_buf_reset(&d->plain);
    d->slots = NULL;
    d->offsets = NULL;
}

static uint64_t hash_value(const pq_dict *d, const void *v, size_t len)
{
    if (d->width == 4 || d->width == 8) {
        uint64_t x = 0;
        memcpy(&x, v, d->width);
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdULL;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53ULL;
        return x ^ (x >> 33);
    }
    return XXH3_64bits(v, d->width ? d->width : len);
}

static bool equal(const pq_dict *d, uint32_t id, const void *v, size_t len)
{
    if (d->width == 8) {
        uint64_t a, b;
        memcpy(&a, d->plain.data + (size_t)id * 8, 8);
        memcpy(&b, v, 8);
        return a == b;
    }
    if (d->width == 4) {
        uint32_t a, b;
        memcpy(&a, d->plain.data + (size_t)id * 4, 4);
        memcpy(&b, v, 4);
        return a == b;
    }
    if (d->width > 0)
        return memcmp(d->plain.data + (size_t)id * d->width, v, d->width) == 0;
    const char *e = d->plain.data + d->offsets[id];
    uint32_t elen;
    memcpy(&elen, e, 4);
    return elen == len && memcmp(e + 4, v, len) == 0;
}

static int grow(pq_dict *d, mdl_error *err)
{
    size_t n = d->slots ? (d->mask + 1) * 2 : 1024;
    uint64_t *ns = mdl_calloc(d->ctx, n, sizeof(uint64_t));
    if (ns == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a dictionary");
    for (size_t i = 0; d->slots != NULL && i <= d->mask; i++) {
        uint64_t s = d->slots[i];
        if (s == 0)
            continue;
        size_t j = (size_t)(s >> 32) & (n - 1);
        while (ns[j] != 0)
            j = (j + 1) & (n - 1);
        ns[j] = s;
    }
    mdl_free(d->ctx, d->slots);
    d->slots = ns;
    d->mask = n - 1;
    return MDL_OK;
}

int mdl_format__pq_dict_find_or_add(pq_dict *d, const void *v, size_t len, size_t limit,
                                    uint32_t *id, bool *full, mdl_error *err)
{
    *full = false;
    if (d->has_last && equal(d, d->last, v, len)) {
        *id = d->last;
        return MDL_OK;
    }
    if (d->slots == NULL || (d->count + 1) * 2 > d->mask + 1) {
        int rc = grow(d, err);
        if (rc != MDL_OK)
            return rc;
    }
    uint32_t tag = (uint32_t)(hash_value(d, v, len) >> 32);
    size_t i = tag & d->mask;
    for (;;) {
        uint64_t s = d->slots[i];
        if (s == 0)
            break;
        if ((uint32_t)(s >> 32) == tag && equal(d, (uint32_t)s - 1, v, len)) {
            *id = (uint32_t)s - 1;
            d->last = *id;
            d->has_last = true;
            return MDL_OK;
        }
        i = (i + 1) & d->mask;
    }
    size_t cost = d->width ? d->width : len + 4;
    if (d->plain.len + cost > limit || d->count >= UINT32_MAX - 1 || len > UINT32_MAX) {
        *full = true;
        return MDL_OK;
    }
    if (d->width == 0) {
        if (d->count == d->offsets_cap) {
            size_t ncap = d->offsets_cap ? d->offsets_cap * 2 : 1024;
            uint32_t *no = mdl_realloc(d->ctx, d->offsets, ncap * sizeof(uint32_t));
            if (no == NULL)
                return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a dictionary");
            d->offsets = no;
            d->offsets_cap = ncap;
        }
        if (d->plain.len > UINT32_MAX - cost)
            return mdl_error_set(err, MDL_ERR_LIMIT, "dictionary larger than 4 GiB");
        d->offsets[d->count] = (uint32_t)d->plain.len;
        uint32_t l32 = (uint32_t)len;
        int rc = mdl_buf_append(&d->plain, &l32, 4, err); /* little-endian hosts only */
        if (rc == MDL_OK)
            rc = mdl_buf_append(&d->plain, v, len, err);
        if (rc != MDL_OK)
            return rc;
    } else {
        int rc = mdl_buf_append(&d->plain, v, d->width, err);
        if (rc != MDL_OK)
            return rc;
    }
    *id = (uint32_t)d->count;
    d->slots[i] = ((uint64_t)tag << 32) | (uint64_t)(d->count + 1);
    d->count++;
    d->last = *id;
    d->has_last = true;
    return MDL_OK;
}
