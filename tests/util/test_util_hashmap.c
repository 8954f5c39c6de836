/*
 * test_util_hashmap.c - the byte-string -> uint64 hash table: put / get / get_or_put /
 * remove / iteration, growth to 100k keys, tombstone reuse, odd keys (empty, with NULs),
 * key copying, and allocation failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "test_support.h"

static mdl_strview key_of(char *buf, size_t cap, const char *prefix, size_t i)
{
    int n = snprintf(buf, cap, "%s%zu", prefix, i);
    return mdl_sv_make(buf, (size_t)n);
}

static void test_util_hashmap__hash_bytes(void **state)
{
    (void)state;
    /* The documented hash is XXH3 (64-bit, seed 0). */
    assert_int_equal(mdl_hash_bytes("", 0), XXH3_64bits("", 0));
    assert_int_equal(mdl_hash_bytes("", 0), 0x2D06800538D394C2ULL);
    assert_int_equal(mdl_hash_bytes("hello", 5), XXH3_64bits("hello", 5));
    assert_int_equal(mdl_hash_bytes("hello", 5), mdl_hash_bytes("hello world", 5));
    assert_int_not_equal(mdl_hash_bytes("hello", 5), mdl_hash_bytes("hellp", 5));
    assert_int_not_equal(mdl_hash_bytes("a", 1), mdl_hash_bytes("a\0", 2));
}

static void test_util_hashmap__new_and_free(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_hashmap *m = NULL;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    assert_non_null(m);
    assert_int_equal(mdl_hashmap_count(m), 0);
    uint64_t v = 5;
    assert_false(mdl_hashmap_get(m, mdl_sv("x"), &v));
    assert_int_equal(v, 5);
    size_t pos = 0;
    assert_false(mdl_hashmap_next(m, &pos, NULL, NULL));
    assert_false(mdl_hashmap_remove(m, mdl_sv("x")));
    mdl_hashmap_free(m);
    mdl_hashmap_free(NULL);
    assert_int_equal(c.live, 0);
}

static void test_util_hashmap__put_get(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 8, &m, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv("apple"), 1, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv("banana"), 2, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv("cherry"), UINT64_MAX, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_count(m), 3);

    uint64_t v = 0;
    assert_true(mdl_hashmap_get(m, mdl_sv("apple"), &v));
    assert_int_equal(v, 1);
    assert_true(mdl_hashmap_get(m, mdl_sv("banana"), &v));
    assert_int_equal(v, 2);
    assert_true(mdl_hashmap_get(m, mdl_sv("cherry"), &v));
    assert_int_equal(v, UINT64_MAX);
    assert_true(mdl_hashmap_get(m, mdl_sv("apple"), NULL));
    assert_false(mdl_hashmap_get(m, mdl_sv("durian"), &v));
    assert_false(mdl_hashmap_get(m, mdl_sv("Apple"), &v));
    assert_false(mdl_hashmap_get(m, mdl_sv("appl"), &v));
    assert_false(mdl_hashmap_get(m, mdl_sv("apples"), &v));

    /* put replaces without adding. */
    assert_int_equal(mdl_hashmap_put(m, mdl_sv("apple"), 100, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_count(m), 3);
    assert_true(mdl_hashmap_get(m, mdl_sv("apple"), &v));
    assert_int_equal(v, 100);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv("apple"), 0, NULL), MDL_OK);
    assert_true(mdl_hashmap_get(m, mdl_sv("apple"), &v));
    assert_int_equal(v, 0);
    mdl_hashmap_free(m);
}

static void test_util_hashmap__get_or_put(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);

    uint64_t out = 999;
    bool existing = true;
    assert_int_equal(mdl_hashmap_get_or_put(m, mdl_sv("EUR"), 0, &out, &existing, NULL), MDL_OK);
    assert_false(existing);
    assert_int_equal(out, 0);
    assert_int_equal(mdl_hashmap_get_or_put(m, mdl_sv("USD"), 1, &out, &existing, NULL), MDL_OK);
    assert_false(existing);
    assert_int_equal(out, 1);
    /* Present: the stored value comes back and the new one is ignored. */
    assert_int_equal(mdl_hashmap_get_or_put(m, mdl_sv("EUR"), 42, &out, &existing, NULL), MDL_OK);
    assert_true(existing);
    assert_int_equal(out, 0);
    uint64_t v;
    assert_true(mdl_hashmap_get(m, mdl_sv("EUR"), &v));
    assert_int_equal(v, 0);
    assert_int_equal(mdl_hashmap_count(m), 2);
    /* Both outputs are optional. */
    assert_int_equal(mdl_hashmap_get_or_put(m, mdl_sv("GBP"), 2, NULL, NULL, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_get_or_put(m, mdl_sv("GBP"), 3, NULL, NULL, NULL), MDL_OK);
    assert_true(mdl_hashmap_get(m, mdl_sv("GBP"), &v));
    assert_int_equal(v, 2);
    assert_int_equal(mdl_hashmap_count(m), 3);

    /* Dictionary encoding: codes are assigned in first-seen order. */
    static const char *const words[] = {"b", "a", "b", "c", "a", "a", "d", "c"};
    static const uint64_t codes[] = {3, 4, 3, 5, 4, 4, 6, 5};
    for (size_t i = 0; i < 8; i++) {
        uint64_t next = mdl_hashmap_count(m);
        assert_int_equal(mdl_hashmap_get_or_put(m, mdl_sv(words[i]), next, &out, &existing, NULL),
                         MDL_OK);
        assert_int_equal(out, codes[i]);
    }
    mdl_hashmap_free(m);
}

static void test_util_hashmap__remove(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    char kb[32];
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "k", i), i, NULL), MDL_OK);
    assert_true(mdl_hashmap_remove(m, mdl_sv("k3")));
    assert_int_equal(mdl_hashmap_count(m), 9);
    assert_false(mdl_hashmap_get(m, mdl_sv("k3"), NULL));
    assert_false(mdl_hashmap_remove(m, mdl_sv("k3")));
    assert_false(mdl_hashmap_remove(m, mdl_sv("nope")));
    assert_int_equal(mdl_hashmap_count(m), 9);
    /* The rest are still found (tombstones do not cut probe chains). */
    for (size_t i = 0; i < 10; i++) {
        uint64_t v;
        bool found = mdl_hashmap_get(m, key_of(kb, sizeof kb, "k", i), &v);
        assert_int_equal(found, i != 3);
        if (found)
            assert_int_equal(v, i);
    }
    /* Re-adding a removed key works and is reported as new. */
    bool existing = true;
    uint64_t out;
    assert_int_equal(mdl_hashmap_get_or_put(m, mdl_sv("k3"), 33, &out, &existing, NULL), MDL_OK);
    assert_false(existing);
    assert_int_equal(out, 33);
    assert_int_equal(mdl_hashmap_count(m), 10);
    /* Remove everything. */
    for (size_t i = 0; i < 10; i++)
        assert_true(mdl_hashmap_remove(m, key_of(kb, sizeof kb, "k", i)));
    assert_int_equal(mdl_hashmap_count(m), 0);
    size_t pos = 0;
    assert_false(mdl_hashmap_next(m, &pos, NULL, NULL));
    mdl_hashmap_free(m);
}

static void test_util_hashmap__iteration(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    enum { N = 1000 };
    char kb[32];
    for (size_t i = 0; i < N; i++)
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "key-", i), i * 7, NULL), MDL_OK);
    for (size_t i = 0; i < N; i += 3)
        assert_true(mdl_hashmap_remove(m, key_of(kb, sizeof kb, "key-", i)));

    /* Every live entry is visited exactly once, with its own value; removed ones never. */
    unsigned char *seen = calloc(N, 1);
    assert_non_null(seen);
    size_t pos = 0, visits = 0;
    mdl_strview k;
    uint64_t v;
    while (mdl_hashmap_next(m, &pos, &k, &v)) {
        assert_true(k.len > 4 && memcmp(k.ptr, "key-", 4) == 0);
        char num[32];
        memcpy(num, k.ptr + 4, k.len - 4);
        num[k.len - 4] = '\0';
        size_t i = (size_t)strtoul(num, NULL, 10);
        assert_true(i < N);
        assert_int_equal(i % 3 != 0, 1);
        assert_int_equal(seen[i], 0);
        seen[i] = 1;
        assert_int_equal(v, i * 7);
        visits++;
    }
    assert_int_equal(visits, mdl_hashmap_count(m));
    assert_int_equal(visits, N - (N + 2) / 3);
    /* Past the end it stays at the end. */
    assert_false(mdl_hashmap_next(m, &pos, &k, &v));
    /* Key and value outputs are optional. */
    pos = 0;
    size_t again = 0;
    while (mdl_hashmap_next(m, &pos, NULL, NULL))
        again++;
    assert_int_equal(again, visits);
    free(seen);
    mdl_hashmap_free(m);
}

static void test_util_hashmap__many_keys_with_growth(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_hashmap *m;
    /* Expect nothing: the table must grow many times over. */
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    enum { N = 100000 };
    char kb[32];
    for (size_t i = 0; i < N; i++) {
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "order-", i), i, NULL), MDL_OK);
        if ((i & (i + 1)) == 0) /* at 2^k - 1: everything so far is still there */
            for (size_t j = 0; j <= i; j++) {
                uint64_t v;
                assert_true(mdl_hashmap_get(m, key_of(kb, sizeof kb, "order-", j), &v));
                assert_int_equal(v, j);
            }
    }
    assert_int_equal(mdl_hashmap_count(m), N);
    for (size_t i = 0; i < N; i++) {
        uint64_t v = 0;
        assert_true(mdl_hashmap_get(m, key_of(kb, sizeof kb, "order-", i), &v));
        assert_int_equal(v, i);
    }
    for (size_t i = N; i < N + 1000; i++)
        assert_false(mdl_hashmap_get(m, key_of(kb, sizeof kb, "order-", i), NULL));
    /* Overwrite every other one. */
    for (size_t i = 0; i < N; i += 2)
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "order-", i), i + N, NULL),
                         MDL_OK);
    assert_int_equal(mdl_hashmap_count(m), N);
    for (size_t i = 0; i < N; i++) {
        uint64_t v = 0;
        assert_true(mdl_hashmap_get(m, key_of(kb, sizeof kb, "order-", i), &v));
        assert_int_equal(v, i % 2 ? i : i + N);
    }
    mdl_hashmap_free(m);
    assert_int_equal(c.live, 0);
}

static void test_util_hashmap__expected_size_presizes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 10000, &m, NULL), MDL_OK);
    size_t slots_bytes = c.max_alloc;
    char kb[32];
    for (size_t i = 0; i < 10000; i++)
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "", i), i, NULL), MDL_OK);
    /* Room for `expected` keys was made up front: the slot array never had to grow. */
    assert_int_equal(c.max_alloc, slots_bytes);
    assert_int_equal(mdl_hashmap_count(m), 10000);
    mdl_hashmap_free(m);
    assert_int_equal(c.live, 0);
}

static void test_util_hashmap__tombstone_reuse(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    enum { LIVE = 1000, ROUNDS = 200 };
    char kb[32];
    for (size_t i = 0; i < LIVE; i++)
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "r0-", i), i, NULL), MDL_OK);
    size_t slots_at_live = c.max_alloc;

    /* Churn: each round removes every key and inserts as many new ones. 200k distinct keys
     * pass through a table that never holds more than 1000. */
    for (size_t r = 1; r <= ROUNDS; r++) {
        char prev[16], cur[16];
        snprintf(prev, sizeof prev, "r%zu-", r - 1);
        snprintf(cur, sizeof cur, "r%zu-", r);
        for (size_t i = 0; i < LIVE; i++)
            assert_true(mdl_hashmap_remove(m, key_of(kb, sizeof kb, prev, i)));
        assert_int_equal(mdl_hashmap_count(m), 0);
        for (size_t i = 0; i < LIVE; i++)
            assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, cur, i), r * LIVE + i, NULL),
                             MDL_OK);
        assert_int_equal(mdl_hashmap_count(m), LIVE);
    }
    /* Tombstones are reused or swept: the slot array is no bigger than twice what 1000 live
     * keys needed, instead of growing with every key ever inserted. */
    assert_true(c.max_alloc <= 2 * slots_at_live);
    char last[16];
    snprintf(last, sizeof last, "r%d-", ROUNDS);
    for (size_t i = 0; i < LIVE; i++) {
        uint64_t v;
        assert_true(mdl_hashmap_get(m, key_of(kb, sizeof kb, last, i), &v));
        assert_int_equal(v, (uint64_t)ROUNDS * LIVE + i);
        assert_false(mdl_hashmap_get(m, key_of(kb, sizeof kb, "r0-", i), NULL));
    }
    size_t pos = 0, n = 0;
    while (mdl_hashmap_next(m, &pos, NULL, NULL))
        n++;
    assert_int_equal(n, LIVE);

    /* Remove and re-put the same key many times: count stays exact. */
    for (int i = 0; i < 100000; i++) {
        assert_true(mdl_hashmap_remove(m, mdl_sv("r200-5")));
        assert_int_equal(mdl_hashmap_put(m, mdl_sv("r200-5"), (uint64_t)i, NULL), MDL_OK);
    }
    assert_int_equal(mdl_hashmap_count(m), LIVE);
    uint64_t v;
    assert_true(mdl_hashmap_get(m, mdl_sv("r200-5"), &v));
    assert_int_equal(v, 99999);
    assert_true(c.max_alloc <= 2 * slots_at_live);
    mdl_hashmap_free(m);
    assert_int_equal(c.live, 0);
}

static void test_util_hashmap__random_ops_match_model(void **state)
{
    (void)state;
    /* Random puts, get_or_puts, removes and gets over a small key space, checked after every
     * operation against a plain array; then a full iteration against the array. */
    enum { KEYS = 3000, OPS = 400000 };
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    static bool present[KEYS];
    static uint64_t model[KEYS];
    memset(present, 0, sizeof present);
    size_t count = 0;
    uint64_t x = 88172645463325252ULL;
    char kb[32];
    for (size_t op = 0; op < OPS; op++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t k = (size_t)(x % KEYS);
        /* Phases bias towards inserting or removing so the table grows and shrinks. */
        unsigned what = (unsigned)((x >> 32) % 8);
        bool removing_phase = (op / 50000) % 2 == 1;
        mdl_strview key = key_of(kb, sizeof kb, k % 7 ? "key" : "", k);
        uint64_t v;
        if (what < 2 || (removing_phase && what < 5)) {
            bool was = mdl_hashmap_remove(m, key);
            assert_int_equal(was, present[k]);
            if (was)
                count--;
            present[k] = false;
        } else if (what < 5) {
            assert_int_equal(mdl_hashmap_put(m, key, op, NULL), MDL_OK);
            if (!present[k])
                count++;
            present[k] = true;
            model[k] = op;
        } else if (what < 7) {
            bool existing;
            assert_int_equal(mdl_hashmap_get_or_put(m, key, op, &v, &existing, NULL), MDL_OK);
            assert_int_equal(existing, present[k]);
            if (!present[k]) {
                present[k] = true;
                model[k] = op;
                count++;
            }
            assert_int_equal(v, model[k]);
        } else {
            bool found = mdl_hashmap_get(m, key, &v);
            assert_int_equal(found, present[k]);
            if (found)
                assert_int_equal(v, model[k]);
        }
        assert_int_equal(mdl_hashmap_count(m), count);
    }
    static bool seen[KEYS];
    memset(seen, 0, sizeof seen);
    size_t pos = 0, visits = 0;
    mdl_strview k;
    uint64_t v;
    while (mdl_hashmap_next(m, &pos, &k, &v)) {
        char num[32];
        size_t skip = k.len > 3 && memcmp(k.ptr, "key", 3) == 0 ? 3 : 0;
        memcpy(num, k.ptr + skip, k.len - skip);
        num[k.len - skip] = '\0';
        size_t i = (size_t)strtoul(num, NULL, 10);
        assert_true(i < KEYS && present[i] && !seen[i]);
        assert_int_equal(v, model[i]);
        seen[i] = true;
        visits++;
    }
    assert_int_equal(visits, count);
    mdl_hashmap_free(m);
    assert_int_equal(c.live, 0);
}

static void test_util_hashmap__empty_key(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    uint64_t v = 0;
    assert_false(mdl_hashmap_get(m, mdl_sv(""), &v));
    assert_int_equal(mdl_hashmap_put(m, mdl_sv(""), 17, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_count(m), 1);
    assert_true(mdl_hashmap_get(m, mdl_sv(""), &v));
    assert_int_equal(v, 17);
    /* Any empty view is the same key, NULL pointer included. */
    assert_true(mdl_hashmap_get(m, mdl_sv_make(NULL, 0), &v));
    assert_true(mdl_hashmap_get(m, mdl_sv_make("zzz", 0), &v));
    assert_int_equal(mdl_hashmap_put(m, mdl_sv("a"), 1, NULL), MDL_OK);
    assert_false(mdl_hashmap_get(m, mdl_sv_make("\0", 1), NULL));

    size_t pos = 0, n = 0;
    mdl_strview k;
    bool saw_empty = false;
    while (mdl_hashmap_next(m, &pos, &k, &v)) {
        n++;
        if (k.len == 0) {
            saw_empty = true;
            assert_non_null(k.ptr);
            assert_int_equal(v, 17);
        }
    }
    assert_int_equal(n, 2);
    assert_true(saw_empty);

    assert_true(mdl_hashmap_remove(m, mdl_sv("")));
    assert_false(mdl_hashmap_get(m, mdl_sv(""), NULL));
    assert_int_equal(mdl_hashmap_count(m), 1);
    mdl_hashmap_free(m);
}

static void test_util_hashmap__keys_with_nul_bytes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    static const char k1[] = {'a', '\0', 'b'};
    static const char k2[] = {'a', '\0', 'c'};
    static const char k3[] = {'a', '\0'};
    static const char k4[] = {'\0'};
    static const char k5[] = {'\0', '\0'};
    assert_int_equal(mdl_hashmap_put(m, mdl_sv_make(k1, 3), 1, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv_make(k2, 3), 2, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv_make(k3, 2), 3, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv_make("a", 1), 4, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv_make(k4, 1), 5, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv_make(k5, 2), 6, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_count(m), 6);
    uint64_t v;
    assert_true(mdl_hashmap_get(m, mdl_sv_make(k1, 3), &v));
    assert_int_equal(v, 1);
    assert_true(mdl_hashmap_get(m, mdl_sv_make(k2, 3), &v));
    assert_int_equal(v, 2);
    assert_true(mdl_hashmap_get(m, mdl_sv_make(k3, 2), &v));
    assert_int_equal(v, 3);
    assert_true(mdl_hashmap_get(m, mdl_sv("a"), &v));
    assert_int_equal(v, 4);
    assert_true(mdl_hashmap_get(m, mdl_sv_make(k4, 1), &v));
    assert_int_equal(v, 5);
    assert_true(mdl_hashmap_get(m, mdl_sv_make(k5, 2), &v));
    assert_int_equal(v, 6);
    assert_false(mdl_hashmap_get(m, mdl_sv(""), NULL));

    /* Iteration hands back the full key bytes. */
    size_t pos = 0;
    mdl_strview k;
    bool saw_k1 = false;
    while (mdl_hashmap_next(m, &pos, &k, &v))
        if (v == 1) {
            assert_int_equal(k.len, 3);
            assert_memory_equal(k.ptr, k1, 3);
            saw_k1 = true;
        }
    assert_true(saw_k1);
    mdl_hashmap_free(m);
}

static void test_util_hashmap__key_is_copied(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_hashmap *m;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    char buf[16];
    strcpy(buf, "alpha");
    assert_int_equal(mdl_hashmap_put(m, mdl_sv(buf), 1, NULL), MDL_OK);
    /* The caller reuses its buffer for the next key. */
    strcpy(buf, "bravo");
    assert_int_equal(mdl_hashmap_put(m, mdl_sv(buf), 2, NULL), MDL_OK);
    memset(buf, 'X', sizeof buf);
    uint64_t v;
    assert_true(mdl_hashmap_get(m, mdl_sv("alpha"), &v));
    assert_int_equal(v, 1);
    assert_true(mdl_hashmap_get(m, mdl_sv("bravo"), &v));
    assert_int_equal(v, 2);
    assert_false(mdl_hashmap_get(m, mdl_sv_make(buf, 5), NULL));

    /* A heap key freed right after insertion (ASan would catch a dangling reference). */
    char *heap = malloc(8);
    assert_non_null(heap);
    memcpy(heap, "charlie", 8);
    assert_int_equal(mdl_hashmap_put(m, mdl_sv(heap), 3, NULL), MDL_OK);
    free(heap);
    /* Force growth so any stored pointer would be read again. */
    char kb[32];
    for (size_t i = 0; i < 5000; i++)
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "g", i), i, NULL), MDL_OK);
    assert_true(mdl_hashmap_get(m, mdl_sv("charlie"), &v));
    assert_int_equal(v, 3);
    assert_true(mdl_hashmap_get(m, mdl_sv("alpha"), &v));
    assert_int_equal(v, 1);
    /* Iterated keys are the table's copies, intact after growth of the key arena. */
    size_t pos = 0;
    mdl_strview k;
    size_t found = 0;
    while (mdl_hashmap_next(m, &pos, &k, &v))
        if (v == 3 && mdl_sv_eq_cstr(k, "charlie"))
            found++;
    assert_int_equal(found, 1);
    mdl_hashmap_free(m);
}

static void test_util_hashmap__nomem(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_hashmap *m = NULL;
    mdl_error err;

    /* The table struct itself. */
    c.fail_after = 0;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, &err), MDL_ERR_NOMEM);
    assert_int_equal(err.code, MDL_ERR_NOMEM);
    assert_null(m);
    /* The slot array. */
    c.fail_after = 1;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, &err), MDL_ERR_NOMEM);
    assert_null(m);
    assert_int_equal(c.live, 0);

    /* Insertion failures leave the table as it was. */
    c.fail_after = -1;
    assert_int_equal(mdl_hashmap_new(&ctx, 0, &m, NULL), MDL_OK);
    char kb[32];
    size_t n = 0, failures = 0;
    for (size_t i = 0; i < 200; i++) {
        c.fail_after = (i % 5 == 0) ? 0 : -1;
        int rc = mdl_hashmap_put(m, key_of(kb, sizeof kb, "k", i), i, &err);
        if (rc == MDL_OK) {
            n++;
        } else {
            assert_int_equal(rc, MDL_ERR_NOMEM);
            assert_int_equal(err.code, MDL_ERR_NOMEM);
            assert_false(mdl_hashmap_get(m, key_of(kb, sizeof kb, "k", i), NULL));
            failures++;
        }
        assert_int_equal(mdl_hashmap_count(m), n);
    }
    assert_true(failures > 0);
    c.fail_after = -1;
    for (size_t i = 0; i < 200; i++) {
        uint64_t v;
        if (mdl_hashmap_get(m, key_of(kb, sizeof kb, "k", i), &v))
            assert_int_equal(v, i);
    }
    /* Retrying the failed ones works. */
    for (size_t i = 0; i < 200; i++)
        assert_int_equal(mdl_hashmap_put(m, key_of(kb, sizeof kb, "k", i), i, NULL), MDL_OK);
    assert_int_equal(mdl_hashmap_count(m), 200);
    mdl_hashmap_free(m);
    assert_int_equal(c.live, 0);

    /* An impossible expected size fails cleanly. */
    assert_int_not_equal(mdl_hashmap_new(&ctx, SIZE_MAX, &m, NULL), MDL_OK);
    assert_null(m);
    assert_int_equal(c.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_hashmap__hash_bytes),
        cmocka_unit_test(test_util_hashmap__new_and_free),
        cmocka_unit_test(test_util_hashmap__put_get),
        cmocka_unit_test(test_util_hashmap__get_or_put),
        cmocka_unit_test(test_util_hashmap__remove),
        cmocka_unit_test(test_util_hashmap__iteration),
        cmocka_unit_test(test_util_hashmap__many_keys_with_growth),
        cmocka_unit_test(test_util_hashmap__expected_size_presizes),
        cmocka_unit_test(test_util_hashmap__tombstone_reuse),
        cmocka_unit_test(test_util_hashmap__random_ops_match_model),
        cmocka_unit_test(test_util_hashmap__empty_key),
        cmocka_unit_test(test_util_hashmap__keys_with_nul_bytes),
        cmocka_unit_test(test_util_hashmap__key_is_copied),
        cmocka_unit_test(test_util_hashmap__nomem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
