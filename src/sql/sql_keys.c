/*
 * sql_keys.c - the key table of the hash operators and the growable columns they gather rows
 * into (layout and semantics in sql_keys.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sql/sql_keys.h"

/* Fixed-width keys live in the slot itself: a probe touches one cache line. */
typedef struct fslot {
    uint64_t key;
    uint64_t idp1; /* id + 1; 0 = empty */
} fslot;

struct sql_keytab {
    mdl_ctx *ctx;
    size_t num_keys;
    mdl_type *types;
    bool nulls_equal;
    bool fixed; /* one key column of width <= 8: keys in fslots instead of the byte arena */
    fslot *fslots;
    uint64_t *slots; /* 0 = empty, else (hash >> 32) << 32 | (id + 1) */
    size_t mask;
    size_t count, cap_ids;
    uint64_t *hashes; /* per id */
    char *arena;      /* bytes: serialised keys */
    size_t arena_len, arena_cap;
    uint64_t *offs; /* bytes: key id spans arena[offs[id], offs[id + 1]) */
    uint32_t null_id;
    /* per-batch scratch */
    size_t scratch_rows;
    uint64_t *h, *v;
    uint8_t *isnull;
    char *sbuf;
    size_t sbuf_cap;
    size_t *soff;
};

static inline uint64_t mix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

static bool fixed_type(mdl_type t)
{
    switch (t.id) {
    case MDL_TYPE_BOOLEAN:
    case MDL_TYPE_INT32:
    case MDL_TYPE_INT64:
    case MDL_TYPE_DOUBLE:
    case MDL_TYPE_DATE:
    case MDL_TYPE_TIMESTAMP:
        return true;
    case MDL_TYPE_DECIMAL:
        return t.precision <= MDL_DECIMAL64_MAX_PRECISION;
    default:
        return false;
    }
}

/* A value of a fixed-width column as 64 bits, equal exactly when the SQL values are equal. */
static inline uint64_t fixed_value(const mdl_column *c, size_t r)
{
    switch (c->type.id) {
    case MDL_TYPE_BOOLEAN:
        return ((const uint8_t *)c->values)[r] != 0;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        return (uint64_t)(int64_t)((const int32_t *)c->values)[r];
    case MDL_TYPE_DOUBLE: {
        double d = ((const double *)c->values)[r];
        uint64_t u;
        if (d == 0)
            return 0; /* -0 = 0 */
        if (isnan(d))
            return 0x7ff8000000000000ULL; /* all NaNs are one value */
        memcpy(&u, &d, 8);
        return u;
    }
    default:
        return (uint64_t)((const int64_t *)c->values)[r];
    }
}

int mdl_sql__keytab_new(mdl_ctx *ctx, const mdl_type *types, size_t num_keys, bool nulls_equal,
                        sql_keytab **out, mdl_error *err)
{
    *out = NULL;
    sql_keytab *kt = mdl_calloc(ctx, 1, sizeof *kt);
    if (kt == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a hash table");
    kt->ctx = ctx;
    kt->num_keys = num_keys;
    kt->nulls_equal = nulls_equal;
    kt->null_id = SQL_KEY_NONE;
    kt->types = mdl_calloc(ctx, num_keys ? num_keys : 1, sizeof(mdl_type));
    kt->mask = 1023;
    kt->fixed = num_keys == 1 && fixed_type(types[0]);
    if (kt->fixed)
        kt->fslots = mdl_calloc(ctx, kt->mask + 1, sizeof(fslot));
    else
        kt->slots = mdl_calloc(ctx, kt->mask + 1, sizeof(uint64_t));
    if (kt->types == NULL || (kt->slots == NULL && kt->fslots == NULL)) {
        mdl_sql__keytab_free(kt);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a hash table");
    }
    if (num_keys)
        memcpy(kt->types, types, num_keys * sizeof(mdl_type));
    *out = kt;
    return MDL_OK;
}

void mdl_sql__keytab_free(sql_keytab *kt)
{
    if (kt == NULL)
        return;
    mdl_ctx *ctx = kt->ctx;
    mdl_free(ctx, kt->types);
    mdl_free(ctx, kt->slots);
    mdl_free(ctx, kt->hashes);
    mdl_free(ctx, kt->fslots);
    mdl_free(ctx, kt->arena);
    mdl_free(ctx, kt->offs);
    mdl_free(ctx, kt->h);
    mdl_free(ctx, kt->v);
    mdl_free(ctx, kt->isnull);
    mdl_free(ctx, kt->sbuf);
    mdl_free(ctx, kt->soff);
    mdl_free(ctx, kt);
}

size_t mdl_sql__keytab_count(const sql_keytab *kt)
{
    return kt->count;
}

size_t mdl_sql__keytab_bytes(const sql_keytab *kt)
{
    return (kt->mask + 1) * (kt->fixed ? 16 : 8) + kt->cap_ids * 16 + kt->arena_cap +
           kt->scratch_rows * (8 + 8 + 1 + sizeof(size_t)) + kt->sbuf_cap;
}

static int scratch(sql_keytab *kt, size_t n, mdl_error *err)
{
    if (n <= kt->scratch_rows)
        return MDL_OK;
    mdl_ctx *ctx = kt->ctx;
    mdl_free(ctx, kt->h);
    mdl_free(ctx, kt->v);
    mdl_free(ctx, kt->isnull);
    mdl_free(ctx, kt->soff);
    kt->h = mdl_alloc(ctx, n * 8);
    kt->v = mdl_alloc(ctx, n * 8);
    kt->isnull = mdl_alloc(ctx, n);
    kt->soff = mdl_alloc(ctx, (n + 1) * sizeof(size_t));
    kt->scratch_rows = n;
    if (kt->h == NULL || kt->v == NULL || kt->isnull == NULL || kt->soff == NULL) {
        kt->scratch_rows = 0;
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory hashing keys");
    }
    return MDL_OK;
}

static size_t value_width(mdl_type t)
{
    switch (t.id) {
    case MDL_TYPE_BOOLEAN:
        return 1;
    case MDL_TYPE_INT32:
    case MDL_TYPE_DATE:
        return 4;
    case MDL_TYPE_DECIMAL:
        return t.precision <= MDL_DECIMAL64_MAX_PRECISION ? 8 : 16;
    default:
        return 8;
    }
}

/*
 * Hash of a serialised key. Keys of at most 16 bytes (a date and a currency, a short code) are
 * mixed inline from two 8-byte words (the buffer has 16 bytes of slack after the last key;
 * bytes past the key are masked off) instead of a library call per row; longer ones use XXH3.
 */
static inline uint64_t hash_key(const char *p, size_t len)
{
    if (len > 16)
        return mdl_hash_bytes(p, len);
    uint64_t w0, w1;
    memcpy(&w0, p, 8);
    memcpy(&w1, p + 8, 8);
    if (len < 8) {
        w0 &= (1ULL << (len * 8)) - 1;
        w1 = 0;
    } else if (len < 16) {
        w1 &= (1ULL << ((len - 8) * 8)) - 1;
    }
    return mix64(w0 * 0x9E3779B97F4A7C15ULL ^ mix64(w1 ^ (uint64_t)len << 56));
}

/* Equality of two serialised keys of length len; both buffers have 16 bytes of slack. */
static inline bool key_eq(const char *a, const char *b, size_t len)
{
    if (len > 16)
        return memcmp(a, b, len) == 0;
    uint64_t a0, a1, b0, b1;
    memcpy(&a0, a, 8);
    memcpy(&b0, b, 8);
    memcpy(&a1, a + 8, 8);
    memcpy(&b1, b + 8, 8);
    uint64_t m0 = len >= 8 ? ~0ULL : (1ULL << (len * 8)) - 1;
    uint64_t m1 = len >= 16 ? ~0ULL : len <= 8 ? 0 : (1ULL << ((len - 8) * 8)) - 1;
    return ((a0 ^ b0) & m0) == 0 && ((a1 ^ b1) & m1) == 0;
}

/* Hashes (and for the byte form serialises) rows 0..n-1 into the scratch arrays. */
static int hash_rows(sql_keytab *kt, const mdl_column *const *cols, size_t n, mdl_error *err)
{
    int rc = scratch(kt, n, err);
    if (rc != MDL_OK)
        return rc;
    if (kt->fixed) {
        const mdl_column *c = cols[0];
        for (size_t r = 0; r < n; r++) {
            uint64_t v = fixed_value(c, r);
            kt->v[r] = v;
            kt->h[r] = mix64(v);
        }
        if (c->validity != NULL && c->null_count > 0)
            for (size_t r = 0; r < n; r++)
                kt->isnull[r] = mdl_column_is_null(c, r);
        else
            memset(kt->isnull, 0, n);
        return MDL_OK;
    }
    /* Byte form: size first, then write. */
    size_t total = 0;
    for (size_t k = 0; k < kt->num_keys; k++) {
        const mdl_column *c = cols[k];
        if (c->type.id == MDL_TYPE_STRING) {
            const int64_t *off = c->values;
            total += n * 5 + (size_t)(off[n] - off[0]);
        } else {
            total += n * (1 + value_width(c->type));
        }
    }
    total += 16; /* slack: short keys are hashed as two 8-byte words */
    if (total > kt->sbuf_cap) {
        mdl_free(kt->ctx, kt->sbuf);
        kt->sbuf = mdl_alloc(kt->ctx, total);
        kt->sbuf_cap = kt->sbuf ? total : 0;
        if (kt->sbuf == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory hashing keys");
    }
    memset(kt->isnull, 0, n);
    char *p = kt->sbuf;
    for (size_t r = 0; r < n; r++) {
        kt->soff[r] = (size_t)(p - kt->sbuf);
        for (size_t k = 0; k < kt->num_keys; k++) {
            const mdl_column *c = cols[k];
            if (mdl_column_is_null(c, r)) {
                *p++ = 0;
                kt->isnull[r] = 1;
                continue;
            }
            *p++ = 1;
            switch (c->type.id) {
            case MDL_TYPE_STRING: {
                mdl_strview s = mdl_column_str(c, r);
                uint32_t len = (uint32_t)s.len;
                memcpy(p, &len, 4);
                /* short strings as one word (the buffer has slack; what lands past the
                 * value is overwritten by the next value or ignored) */
                if (s.len <= 8 && (size_t)(s.ptr - c->data) + 8 <= c->data_cap)
                    memcpy(p + 4, s.ptr, 8);
                else
                    memcpy(p + 4, s.ptr, s.len);
                p += 4 + s.len;
                break;
            }
            case MDL_TYPE_DECIMAL:
                if (c->type.precision > MDL_DECIMAL64_MAX_PRECISION) {
                    memcpy(p, (const char *)c->values + r * 16, 16);
                    p += 16;
                    break;
                }
                /* fallthrough */
            default: {
                uint64_t v = fixed_value(c, r);
                size_t w = value_width(c->type);
                memcpy(p, &v, w); /* little-endian: the low bytes carry the value */
                p += w;
                break;
            }
            }
        }
    }
    kt->soff[n] = (size_t)(p - kt->sbuf);
    for (size_t r = 0; r < n; r++)
        kt->h[r] = hash_key(kt->sbuf + kt->soff[r], kt->soff[r + 1] - kt->soff[r]);
    return MDL_OK;
}

static int grow_slots(sql_keytab *kt, mdl_error *err)
{
    size_t cap = (kt->mask + 1) * 2;
    uint64_t *slots = mdl_calloc(kt->ctx, cap, sizeof(uint64_t));
    if (slots == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a hash table");
    size_t mask = cap - 1;
    for (size_t id = 0; id < kt->count; id++) {
        if (id == kt->null_id)
            continue;
        uint64_t h = kt->hashes[id];
        size_t i = h & mask;
        while (slots[i] != 0)
            i = (i + 1) & mask;
        slots[i] = (h >> 32) << 32 | (uint64_t)(id + 1);
    }
    mdl_free(kt->ctx, kt->slots);
    kt->slots = slots;
    kt->mask = mask;
    return MDL_OK;
}

/* Makes room for one more id; returns it. */
static int new_id(sql_keytab *kt, uint32_t *id, mdl_error *err)
{
    if (kt->count >= UINT32_MAX - 2)
        return mdl_error_set(err, MDL_ERR_LIMIT, "more than 4 billion distinct keys");
    if (!kt->fixed && kt->count == kt->cap_ids) {
        size_t cap = kt->cap_ids ? kt->cap_ids * 2 : 1024;
        uint64_t *h = mdl_realloc(kt->ctx, kt->hashes, cap * 8);
        if (h == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a hash table");
        kt->hashes = h;
        uint64_t *k = mdl_realloc(kt->ctx, kt->offs, (cap + 1) * 8);
        if (k == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a hash table");
        if (kt->offs == NULL)
            k[0] = 0;
        kt->offs = k;
        kt->cap_ids = cap;
    }
    *id = (uint32_t)kt->count++;
    return MDL_OK;
}

static int grow_fslots(sql_keytab *kt, mdl_error *err)
{
    size_t cap = (kt->mask + 1) * 2, mask = cap - 1;
    fslot *slots = mdl_calloc(kt->ctx, cap, sizeof(fslot));
    if (slots == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a hash table");
    for (size_t i = 0; i <= kt->mask; i++) {
        if (kt->fslots[i].idp1 == 0)
            continue;
        size_t j = mix64(kt->fslots[i].key) & mask;
        while (slots[j].idp1 != 0)
            j = (j + 1) & mask;
        slots[j] = kt->fslots[i];
    }
    mdl_free(kt->ctx, kt->fslots);
    kt->fslots = slots;
    kt->mask = mask;
    return MDL_OK;
}

#define PREFETCH_AHEAD 16

/* One fixed-width key column: the value is the key, compared in the slot. */
static int lookup_fixed(sql_keytab *kt, size_t n, uint32_t *ids, bool insert, mdl_error *err)
{
    int rc;
    for (size_t r = 0; r < n; r++) {
        if (r + PREFETCH_AHEAD < n)
            __builtin_prefetch(&kt->fslots[kt->h[r + PREFETCH_AHEAD] & kt->mask]);
        if (kt->isnull[r]) {
            if (!kt->nulls_equal) {
                ids[r] = SQL_KEY_NONE;
                continue;
            }
            if (kt->null_id == SQL_KEY_NONE && insert) {
                rc = new_id(kt, &kt->null_id, err);
                if (rc != MDL_OK)
                    return rc;
            }
            ids[r] = kt->null_id;
            continue;
        }
        uint64_t v = kt->v[r];
        size_t i = kt->h[r] & kt->mask;
        for (;;) {
            fslot *s = &kt->fslots[i];
            if (s->idp1 == 0) {
                if (!insert) {
                    ids[r] = SQL_KEY_NONE;
                    break;
                }
                uint32_t id;
                rc = new_id(kt, &id, err);
                if (rc != MDL_OK)
                    return rc;
                s->key = v;
                s->idp1 = (uint64_t)id + 1;
                ids[r] = id;
                if (kt->count * 2 > kt->mask + 1) {
                    rc = grow_fslots(kt, err);
                    if (rc != MDL_OK)
                        return rc;
                }
                break;
            }
            if (s->key == v) {
                ids[r] = (uint32_t)(s->idp1 - 1);
                break;
            }
            i = (i + 1) & kt->mask;
        }
    }
    return MDL_OK;
}

static int lookup(sql_keytab *kt, const mdl_column *const *cols, size_t n, uint32_t *ids,
                  bool insert, mdl_error *err)
{
    int rc = hash_rows(kt, cols, n, err);
    if (rc != MDL_OK)
        return rc;
    if (kt->fixed)
        return lookup_fixed(kt, n, ids, insert, err);
    for (size_t r = 0; r < n; r++) {
        if (r + PREFETCH_AHEAD < n)
            __builtin_prefetch(&kt->slots[kt->h[r + PREFETCH_AHEAD] & kt->mask]);
        if (kt->isnull[r] && !kt->nulls_equal) {
            ids[r] = SQL_KEY_NONE;
            continue;
        }
        uint64_t h = kt->h[r];
        uint64_t tag = h >> 32;
        size_t i = h & kt->mask;
        const char *key = kt->sbuf + kt->soff[r];
        size_t klen = kt->soff[r + 1] - kt->soff[r];
        for (;;) {
            uint64_t s = kt->slots[i];
            if (s == 0) {
                if (!insert) {
                    ids[r] = SQL_KEY_NONE;
                    break;
                }
                uint32_t id;
                rc = new_id(kt, &id, err);
                if (rc != MDL_OK)
                    return rc;
                kt->hashes[id] = h;
                {
                    /* 16 bytes of slack for key_eq's word loads */
                    if (kt->arena_len + klen + 16 > kt->arena_cap) {
                        size_t cap = kt->arena_cap ? kt->arena_cap * 2 : 65536;
                        while (cap < kt->arena_len + klen + 16)
                            cap *= 2;
                        char *a = mdl_realloc(kt->ctx, kt->arena, cap);
                        if (a == NULL)
                            return mdl_error_set(err, MDL_ERR_NOMEM,
                                                 "out of memory growing a hash table");
                        kt->arena = a;
                        kt->arena_cap = cap;
                    }
                    memcpy(kt->arena + kt->arena_len, key, klen);
                    kt->arena_len += klen;
                    kt->offs[id + 1] = kt->arena_len;
                }
                kt->slots[i] = tag << 32 | (uint64_t)(id + 1);
                ids[r] = id;
                if (kt->count * 2 > kt->mask + 1) {
                    rc = grow_slots(kt, err);
                    if (rc != MDL_OK)
                        return rc;
                }
                break;
            }
            if ((s >> 32) == tag) {
                uint32_t id = (uint32_t)s - 1;
                if (kt->offs[id + 1] - kt->offs[id] == klen &&
                    key_eq(kt->arena + kt->offs[id], key, klen)) {
                    ids[r] = id;
                    break;
                }
            }
            i = (i + 1) & kt->mask;
        }
    }
    return MDL_OK;
}

int mdl_sql__keytab_insert(sql_keytab *kt, const mdl_column *const *cols, size_t n, uint32_t *ids,
                           mdl_error *err)
{
    return lookup(kt, cols, n, ids, true, err);
}

int mdl_sql__keytab_find(sql_keytab *kt, const mdl_column *const *cols, size_t n, uint32_t *ids,
                         mdl_error *err)
{
    return lookup(kt, cols, n, ids, false, err);
}

/* ---- growable columns ----------------------------------------------------------------------- */

int mdl_sql__col_init(mdl_ctx *ctx, mdl_column *col, mdl_type type, size_t capacity, mdl_error *err)
{
    memset(col, 0, sizeof *col);
    col->type = type;
    size_t w = mdl_type_width(type), bytes;
    if (capacity == 0)
        capacity = 16;
    if (!mdl_size_mul(capacity + 1, w, &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "column capacity too large");
    col->values = mdl_calloc(ctx, 1, bytes);
    if (col->values == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a column");
    col->capacity = capacity;
    if (type.id == MDL_TYPE_STRING) {
        col->data_cap = 256;
        col->data = mdl_alloc(ctx, col->data_cap);
        if (col->data == NULL) {
            mdl_sql__col_free(ctx, col);
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a column");
        }
    }
    return MDL_OK;
}

void mdl_sql__col_free(mdl_ctx *ctx, mdl_column *col)
{
    if (col == NULL)
        return;
    mdl_free(ctx, col->values);
    mdl_free(ctx, col->validity);
    mdl_free(ctx, col->data);
    memset(col, 0, sizeof *col);
}

int mdl_sql__col_reserve(mdl_ctx *ctx, mdl_column *col, size_t rows, mdl_error *err)
{
    if (rows <= col->capacity)
        return MDL_OK;
    size_t cap = col->capacity * 2 > rows ? col->capacity * 2 : rows;
    size_t w = mdl_type_width(col->type), bytes;
    if (!mdl_size_mul(cap + 1, w, &bytes))
        return mdl_error_set(err, MDL_ERR_LIMIT, "column capacity too large");
    void *v = mdl_realloc(ctx, col->values, bytes);
    if (v == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a column");
    col->values = v;
    if (col->validity != NULL) {
        size_t oldb = col->capacity / 8 + 1, newb = cap / 8 + 1;
        uint8_t *m = mdl_realloc(ctx, col->validity, newb);
        if (m == NULL)
            return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a column");
        memset(m + oldb, 0xFF, newb - oldb);
        col->validity = m;
    }
    col->capacity = cap;
    return MDL_OK;
}

size_t mdl_sql__col_bytes(const mdl_column *col)
{
    return (col->capacity + 1) * mdl_type_width(col->type) +
           (col->validity ? col->capacity / 8 + 1 : 0) + col->data_cap;
}

static int ensure_validity(mdl_ctx *ctx, mdl_column *col, mdl_error *err)
{
    if (col->validity != NULL)
        return MDL_OK;
    size_t bytes = col->capacity / 8 + 1;
    col->validity = mdl_alloc(ctx, bytes);
    if (col->validity == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory allocating a validity bitmap");
    memset(col->validity, 0xFF, bytes);
    return MDL_OK;
}

static int ensure_data(mdl_ctx *ctx, mdl_column *col, size_t extra, mdl_error *err)
{
    size_t need;
    if (!mdl_size_add(col->data_len, extra, &need) || need > (size_t)INT64_MAX)
        return mdl_error_set(err, MDL_ERR_LIMIT, "string column too large");
    if (need <= col->data_cap)
        return MDL_OK;
    size_t cap = col->data_cap ? col->data_cap : 4096;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = mdl_realloc(ctx, col->data, cap);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a string column");
    col->data = p;
    col->data_cap = cap;
    return MDL_OK;
}

int mdl_sql__col_append_nulls(mdl_ctx *ctx, mdl_column *dst, size_t n, mdl_error *err)
{
    if (n == 0)
        return MDL_OK;
    if (dst->length + n > dst->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", dst->capacity);
    int rc = ensure_validity(ctx, dst, err);
    if (rc != MDL_OK)
        return rc;
    size_t w = mdl_type_width(dst->type);
    for (size_t i = dst->length; i < dst->length + n; i++) {
        dst->validity[i >> 3] &= (uint8_t) ~(1u << (i & 7));
        if (dst->type.id == MDL_TYPE_STRING)
            ((int64_t *)dst->values)[i + 1] = (int64_t)dst->data_len;
        else
            memset((char *)dst->values + i * w, 0, w);
    }
    dst->null_count += n;
    dst->length += n;
    return MDL_OK;
}

int mdl_sql__col_append_rows(mdl_ctx *ctx, mdl_column *dst, const mdl_column *src,
                             const uint32_t *rows, size_t first, size_t n, mdl_error *err)
{
    if (n == 0)
        return MDL_OK;
    if (dst->length + n > dst->capacity)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "column is full (%zu rows)", dst->capacity);
    /* a column that is all NULL (one a scan did not read) gives NULLs whatever the rows */
    if (src->validity != NULL && src->length > 0 && src->null_count == src->length)
        return mdl_column_append_nulls(ctx, dst, n, err);
    bool src_nulls = src->validity != NULL && src->null_count > 0;
    bool any_null = src_nulls;
    if (rows != NULL && !any_null)
        for (size_t i = 0; i < n; i++)
            if (rows[i] == SQL_ROW_NULL) {
                any_null = true;
                break;
            }
    if (any_null) {
        int rc = ensure_validity(ctx, dst, err);
        if (rc != MDL_OK)
            return rc;
    }
    size_t base = dst->length;
    if (dst->type.id == MDL_TYPE_STRING) {
        const int64_t *so = src->values;
        size_t bytes = 0;
        if (rows == NULL) {
            bytes = (size_t)(so[first + n] - so[first]);
        } else {
            for (size_t i = 0; i < n; i++)
                if (rows[i] != SQL_ROW_NULL)
                    bytes += (size_t)(so[rows[i] + 1] - so[rows[i]]);
        }
        int rc = ensure_data(ctx, dst, bytes + 8, err); /* + 8: the word copies below */
        if (rc != MDL_OK)
            return rc;
        int64_t *doff = dst->values;
        int64_t pos = (int64_t)dst->data_len;
        if (rows == NULL) {
            memcpy(dst->data + pos, src->data + so[first], bytes);
            for (size_t i = 0; i < n; i++)
                doff[base + i + 1] = pos + (so[first + i + 1] - so[first]);
            pos += (int64_t)bytes;
        } else {
            for (size_t i = 0; i < n; i++) {
                uint32_t s = rows[i];
                if (s != SQL_ROW_NULL) {
                    size_t len = (size_t)(so[s + 1] - so[s]);
                    /* Short strings (codes, currencies, flags) as one word when the source
                     * allocation has 8 readable bytes there: no memcpy call per row. */
                    if (len <= 8 && (size_t)so[s] + 8 <= src->data_cap)
                        memcpy(dst->data + pos, src->data + so[s], 8);
                    else
                        memcpy(dst->data + pos, src->data + so[s], len);
                    pos += (int64_t)len;
                }
                doff[base + i + 1] = pos;
            }
        }
        dst->data_len = (size_t)pos;
    } else {
        size_t w = mdl_type_width(dst->type);
        char *dv = (char *)dst->values + base * w;
        const char *sv = src->values;
        if (rows == NULL) {
            memcpy(dv, sv + first * w, n * w);
        } else if (w == 8) {
            uint64_t *d8 = (uint64_t *)(void *)dv;
            const uint64_t *s8 = (const uint64_t *)(const void *)sv;
            for (size_t i = 0; i < n; i++)
                d8[i] = rows[i] == SQL_ROW_NULL ? 0 : s8[rows[i]];
        } else if (w == 4) {
            uint32_t *d4 = (uint32_t *)(void *)dv;
            const uint32_t *s4 = (const uint32_t *)(const void *)sv;
            for (size_t i = 0; i < n; i++)
                d4[i] = rows[i] == SQL_ROW_NULL ? 0 : s4[rows[i]];
        } else {
            for (size_t i = 0; i < n; i++) {
                if (rows[i] == SQL_ROW_NULL)
                    memset(dv + i * w, 0, w);
                else
                    memcpy(dv + i * w, sv + (size_t)rows[i] * w, w);
            }
        }
    }
    if (any_null) {
        size_t nulls = 0;
        for (size_t i = 0; i < n; i++) {
            size_t s = rows ? rows[i] : first + i;
            bool isnull =
                (rows && rows[i] == SQL_ROW_NULL) || (src_nulls && mdl_column_is_null(src, s));
            if (isnull) {
                size_t d = base + i;
                dst->validity[d >> 3] &= (uint8_t) ~(1u << (d & 7));
                nulls++;
                if (dst->type.id != MDL_TYPE_STRING) {
                    size_t w = mdl_type_width(dst->type);
                    memset((char *)dst->values + d * w, 0, w);
                }
            }
        }
        dst->null_count += nulls;
    }
    dst->length += n;
    return MDL_OK;
}

void mdl_sql__format_bytes(size_t bytes, char *buf, size_t cap)
{
    double b = (double)bytes;
    if (b >= 1024.0 * 1024 * 1024)
        snprintf(buf, cap, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    else if (b >= 1024.0 * 1024)
        snprintf(buf, cap, "%.1f MiB", b / (1024.0 * 1024));
    else if (b >= 1024.0)
        snprintf(buf, cap, "%.1f KiB", b / 1024.0);
    else
        snprintf(buf, cap, "%zu bytes", bytes);
}
