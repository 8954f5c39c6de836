/*
 * hashmap.c - open-addressing hash table (linear probing, tombstones) from byte-string
 * keys to uint64 values. Keys live in one arena buffer addressed by offset, so growing
 * the arena never invalidates an entry.
 */
#include <string.h>
#include <xxhash.h>

#include "medallion/util.h"

enum { SLOT_EMPTY = 0, SLOT_FULL = 1, SLOT_DEAD = 2 };

typedef struct slot {
    uint64_t hash;
    size_t key_off;
    size_t key_len;
    uint64_t value;
    uint8_t state;
} slot;

struct mdl_hashmap {
    mdl_ctx *ctx;
    slot *slots;
    size_t cap; /* power of two */
    size_t count;
    size_t dead;
    mdl_buf keys;
};

uint64_t mdl_hash_bytes(const void *data, size_t len)
{
    return XXH3_64bits(data, len);
}

static size_t cap_for(size_t expected)
{
    size_t cap = 16;
    /* Keep the load factor under 3/4. */
    while (cap < SIZE_MAX / 4 && cap * 3 / 4 <= expected)
        cap *= 2;
    return cap;
}

int mdl_hashmap_new(mdl_ctx *ctx, size_t expected, mdl_hashmap **out, mdl_error *err)
{
    *out = NULL;
    mdl_hashmap *m = mdl_calloc(ctx, 1, sizeof *m);
    if (m == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a hash table");
    m->ctx = ctx;
    m->cap = cap_for(expected);
    m->slots = mdl_calloc(ctx, m->cap, sizeof(slot));
    if (m->slots == NULL) {
        mdl_free(ctx, m);
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a hash table");
    }
    mdl_buf_init(&m->keys, ctx, 0);
    *out = m;
    return MDL_OK;
}

void mdl_hashmap_free(mdl_hashmap *map)
{
    if (map == NULL)
        return;
    mdl_buf_reset(&map->keys);
    mdl_free(map->ctx, map->slots);
    mdl_free(map->ctx, map);
}

size_t mdl_hashmap_count(const mdl_hashmap *map)
{
    return map->count;
}

static bool slot_matches(const mdl_hashmap *m, const slot *s, uint64_t h, mdl_strview key)
{
    return s->hash == h && s->key_len == key.len &&
           (key.len == 0 || memcmp(m->keys.data + s->key_off, key.ptr, key.len) == 0);
}

/* Index of the slot holding `key`, or of the slot where it would go (first dead or empty). */
static size_t probe(const mdl_hashmap *m, uint64_t h, mdl_strview key, bool *found)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    size_t first_dead = SIZE_MAX;
    for (;;) {
        const slot *s = &m->slots[i];
        if (s->state == SLOT_EMPTY) {
            *found = false;
            return first_dead != SIZE_MAX ? first_dead : i;
        }
        if (s->state == SLOT_DEAD) {
            if (first_dead == SIZE_MAX)
                first_dead = i;
        } else if (slot_matches(m, s, h, key)) {
            *found = true;
            return i;
        }
        i = (i + 1) & mask;
    }
}

static int grow(mdl_hashmap *m, mdl_error *err)
{
    size_t ncap = m->cap;
    /* Only tombstones: rehash at the same size. Otherwise double. */
    if ((m->count + 1) * 4 > m->cap * 3 / 2) {
        if (!mdl_size_mul(ncap, 2, &ncap))
            return mdl_error_set(err, MDL_ERR_LIMIT, "hash table too large");
    }
    slot *ns = mdl_calloc(m->ctx, ncap, sizeof(slot));
    if (ns == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a hash table");
    size_t mask = ncap - 1;
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].state != SLOT_FULL)
            continue;
        size_t j = (size_t)m->slots[i].hash & mask;
        while (ns[j].state != SLOT_EMPTY)
            j = (j + 1) & mask;
        ns[j] = m->slots[i];
    }
    mdl_free(m->ctx, m->slots);
    m->slots = ns;
    m->cap = ncap;
    m->dead = 0;
    return MDL_OK;
}

int mdl_hashmap_get_or_put(mdl_hashmap *map, mdl_strview key, uint64_t value, uint64_t *value_out,
                           bool *existing_out, mdl_error *err)
{
    if ((map->count + map->dead + 1) * 4 > map->cap * 3) {
        int rc = grow(map, err);
        if (rc != MDL_OK)
            return rc;
    }
    uint64_t h = mdl_hash_bytes(key.ptr, key.len);
    bool found;
    size_t i = probe(map, h, key, &found);
    slot *s = &map->slots[i];
    if (found) {
        if (value_out)
            *value_out = s->value;
        if (existing_out)
            *existing_out = true;
        return MDL_OK;
    }
    size_t off = map->keys.len;
    int rc = mdl_buf_append(&map->keys, key.ptr, key.len, err);
    if (rc != MDL_OK)
        return rc;
    if (s->state == SLOT_DEAD)
        map->dead--;
    s->hash = h;
    s->key_off = off;
    s->key_len = key.len;
    s->value = value;
    s->state = SLOT_FULL;
    map->count++;
    if (value_out)
        *value_out = value;
    if (existing_out)
        *existing_out = false;
    return MDL_OK;
}

int mdl_hashmap_put(mdl_hashmap *map, mdl_strview key, uint64_t value, mdl_error *err)
{
    bool existing;
    int rc = mdl_hashmap_get_or_put(map, key, value, NULL, &existing, err);
    if (rc == MDL_OK && existing) {
        bool found;
        size_t i = probe(map, mdl_hash_bytes(key.ptr, key.len), key, &found);
        map->slots[i].value = value;
    }
    return rc;
}

bool mdl_hashmap_get(const mdl_hashmap *map, mdl_strview key, uint64_t *value_out)
{
    bool found;
    size_t i = probe(map, mdl_hash_bytes(key.ptr, key.len), key, &found);
    if (found && value_out)
        *value_out = map->slots[i].value;
    return found;
}

bool mdl_hashmap_remove(mdl_hashmap *map, mdl_strview key)
{
    bool found;
    size_t i = probe(map, mdl_hash_bytes(key.ptr, key.len), key, &found);
    if (!found)
        return false;
    /* The key bytes stay in the arena until the table is freed; removal is rare. */
    map->slots[i].state = SLOT_DEAD;
    map->count--;
    map->dead++;
    return true;
}

bool mdl_hashmap_next(const mdl_hashmap *map, size_t *pos, mdl_strview *key_out,
                      uint64_t *value_out)
{
    while (*pos < map->cap) {
        const slot *s = &map->slots[(*pos)++];
        if (s->state != SLOT_FULL)
            continue;
        if (key_out)
            *key_out = s->key_len ? mdl_sv_make(map->keys.data + s->key_off, s->key_len)
                                  : mdl_sv_make("", 0);
        if (value_out)
            *value_out = s->value;
        return true;
    }
    return false;
}
