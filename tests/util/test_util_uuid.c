/*
 * test_util_uuid.c - RFC 9562 UUIDs: v4 and v7 version/variant bits, uniqueness, v7
 * timestamps and strict ordering (one thread and two threads sharing a context), and the
 * canonical text form.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static int cmp_uuid(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(mdl_uuid));
}

static size_t count_duplicates(mdl_uuid *ids, size_t n)
{
    qsort(ids, n, sizeof *ids, cmp_uuid);
    size_t dup = 0;
    for (size_t i = 1; i < n; i++)
        dup += memcmp(&ids[i - 1], &ids[i], sizeof *ids) == 0;
    return dup;
}

static uint64_t v7_millis(const mdl_uuid *u)
{
    uint64_t ms = 0;
    for (int i = 0; i < 6; i++)
        ms = ms << 8 | u->bytes[i];
    return ms;
}

static bool is_canonical(const char *s)
{
    if (strlen(s) != 36)
        return false;
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return false;
        }
    }
    return true;
}

/* ---- v4 --------------------------------------------------------------------------------- */

static void test_util_uuid__v4_version_and_variant(void **state)
{
    (void)state;
    /* Count how often each of the other 122 bits is set, to see they are random. */
    enum { N = 10000 };
    static unsigned ones[128];
    memset(ones, 0, sizeof ones);
    for (int i = 0; i < N; i++) {
        mdl_uuid u;
        memset(&u, 0, sizeof u);
        assert_int_equal(mdl_uuid_v4(&u, NULL), MDL_OK);
        assert_int_equal(u.bytes[6] >> 4, 4);
        assert_int_equal(u.bytes[8] >> 6, 2);
        char text[37];
        mdl_uuid_format(&u, text);
        assert_true(is_canonical(text));
        assert_int_equal(text[14], '4');
        assert_true(strchr("89ab", text[19]) != NULL);
        for (int b = 0; b < 128; b++)
            ones[b] += (u.bytes[b / 8] >> (7 - b % 8)) & 1;
    }
    for (int b = 0; b < 128; b++) {
        bool fixed = (b >= 48 && b < 52) || b == 64 || b == 65;
        if (fixed)
            continue;
        /* Binomial(10000, 1/2): mean 5000, sd 50; 4000..6000 is 20 sd. */
        if (ones[b] < 4000 || ones[b] > 6000)
            fail_msg("bit %d set %u times in %d v4 ids", b, ones[b], N);
    }
}

static void test_util_uuid__v4_unique(void **state)
{
    (void)state;
    enum { N = 10000 };
    mdl_uuid *ids = malloc(N * sizeof *ids);
    assert_non_null(ids);
    for (int i = 0; i < N; i++)
        assert_int_equal(mdl_uuid_v4(&ids[i], NULL), MDL_OK);
    assert_int_equal(count_duplicates(ids, N), 0);
    free(ids);
}

/* ---- v7 --------------------------------------------------------------------------------- */

static void test_util_uuid__v7_version_variant_and_time(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    int64_t before = mdl_now_micros() / 1000;
    mdl_uuid u;
    mdl_error err;
    assert_int_equal(mdl_uuid_v7(&ctx, &u, &err), MDL_OK);
    int64_t after = mdl_now_micros() / 1000;
    assert_int_equal(u.bytes[6] >> 4, 7);
    assert_int_equal(u.bytes[8] >> 6, 2);
    char text[37];
    mdl_uuid_format(&u, text);
    assert_true(is_canonical(text));
    assert_int_equal(text[14], '7');
    /* The embedded time is Unix milliseconds, within 2 s of the clock. */
    int64_t ms = (int64_t)v7_millis(&u);
    assert_true(ms >= before - 2000 && ms <= after + 2000);
    /* The context remembers it. */
    assert_int_equal(atomic_load(&ctx.uuid_v7_state) >> 12, (uint64_t)ms);
    /* A fresh id from a fresh context starts its counter below 1024 (room to count up). */
    unsigned counter = (unsigned)(u.bytes[6] & 0x0F) << 8 | u.bytes[7];
    assert_true(counter < 1024);
}

static void test_util_uuid__v7_monotonic_one_context(void **state)
{
    (void)state;
    enum { N = 100000 };
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_uuid *ids = malloc(N * sizeof *ids);
    assert_non_null(ids);
    int64_t start_ms = mdl_now_micros() / 1000;
    for (int i = 0; i < N; i++)
        assert_int_equal(mdl_uuid_v7(&ctx, &ids[i], NULL), MDL_OK);
    int64_t end_ms = mdl_now_micros() / 1000;
    for (int i = 0; i < N; i++) {
        assert_int_equal(ids[i].bytes[6] >> 4, 7);
        assert_int_equal(ids[i].bytes[8] >> 6, 2);
        if (i > 0 && memcmp(&ids[i - 1], &ids[i], sizeof(mdl_uuid)) >= 0)
            fail_msg("v7 id %d does not sort after id %d", i, i - 1);
    }
    /* Counter overflow carries into the timestamp, so the time may run a little ahead of
     * the clock, but never behind the start and never far ahead: at most N / 3072 ms. */
    int64_t first = (int64_t)v7_millis(&ids[0]), last = (int64_t)v7_millis(&ids[N - 1]);
    assert_true(first >= start_ms - 2000);
    assert_true(last <= end_ms + 2000 + N / 3072);
    free(ids);
}

static void test_util_uuid__v7_counter_carries_into_time(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* A state one hour in the future with the counter at its maximum, as after a clock
     * step back: the next id must still sort after it, carrying into the millisecond. */
    uint64_t future_ms = (uint64_t)(mdl_now_micros() / 1000) + 3600 * 1000;
    atomic_store(&ctx.uuid_v7_state, future_ms << 12 | 0xFFF);
    mdl_uuid u;
    assert_int_equal(mdl_uuid_v7(&ctx, &u, NULL), MDL_OK);
    assert_int_equal(v7_millis(&u), future_ms + 1);
    assert_int_equal(u.bytes[6], 0x70);
    assert_int_equal(u.bytes[7], 0x00);
    mdl_uuid v;
    assert_int_equal(mdl_uuid_v7(&ctx, &v, NULL), MDL_OK);
    assert_int_equal(v7_millis(&v), future_ms + 1);
    assert_int_equal(v.bytes[7], 0x01);
    assert_true(memcmp(&u, &v, sizeof u) < 0);
}

typedef struct thread_job {
    mdl_ctx *ctx;
    mdl_uuid *ids;
    size_t n;
    int rc;
} thread_job;

static void *make_ids(void *arg)
{
    thread_job *job = arg;
    job->rc = MDL_OK;
    for (size_t i = 0; i < job->n && job->rc == MDL_OK; i++)
        job->rc = mdl_uuid_v7(job->ctx, &job->ids[i], NULL);
    return NULL;
}

static void test_util_uuid__v7_two_threads_share_a_context(void **state)
{
    (void)state;
    enum { PER_THREAD = 50000 };
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_uuid *all = malloc(2 * PER_THREAD * sizeof *all);
    assert_non_null(all);
    thread_job jobs[2] = {{&ctx, all, PER_THREAD, -1}, {&ctx, all + PER_THREAD, PER_THREAD, -1}};
    pthread_t threads[2];
    for (int t = 0; t < 2; t++)
        assert_int_equal(pthread_create(&threads[t], NULL, make_ids, &jobs[t]), 0);
    for (int t = 0; t < 2; t++)
        assert_int_equal(pthread_join(threads[t], NULL), 0);
    for (int t = 0; t < 2; t++) {
        assert_int_equal(jobs[t].rc, MDL_OK);
        /* Each thread's own ids are strictly increasing. */
        for (size_t i = 1; i < PER_THREAD; i++)
            if (memcmp(&jobs[t].ids[i - 1], &jobs[t].ids[i], sizeof(mdl_uuid)) >= 0)
                fail_msg("thread %d: id %zu does not sort after id %zu", t, i, i - 1);
    }
    /* Together: no id was handed out twice. Because the counter is shared, even the
     * time+counter prefix (the first 8 bytes) is unique. */
    assert_int_equal(count_duplicates(all, 2 * PER_THREAD), 0);
    for (size_t i = 1; i < 2 * PER_THREAD; i++)
        if (memcmp(all[i - 1].bytes, all[i].bytes, 8) == 0)
            fail_msg("two ids share a time+counter prefix");
    free(all);
}

/* ---- text form -------------------------------------------------------------------------- */

static void test_util_uuid__format_known(void **state)
{
    (void)state;
    mdl_uuid u;
    for (int i = 0; i < 16; i++)
        u.bytes[i] = (uint8_t)(i * 0x11);
    char text[37];
    memset(text, '#', sizeof text);
    mdl_uuid_format(&u, text);
    assert_string_equal(text, "00112233-4455-6677-8899-aabbccddeeff");
    memset(&u, 0, sizeof u);
    mdl_uuid_format(&u, text);
    assert_string_equal(text, "00000000-0000-0000-0000-000000000000");
    memset(&u, 0xFF, sizeof u);
    mdl_uuid_format(&u, text);
    assert_string_equal(text, "ffffffff-ffff-ffff-ffff-ffffffffffff");
}

static void test_util_uuid__parse_known(void **state)
{
    (void)state;
    mdl_uuid u;
    const char *s = "00112233-4455-6677-8899-aabbccddeeff";
    assert_int_equal(mdl_uuid_parse(s, 36, &u), MDL_OK);
    for (int i = 0; i < 16; i++)
        assert_int_equal(u.bytes[i], i * 0x11);
    /* Upper case is accepted too. */
    mdl_uuid w;
    assert_int_equal(mdl_uuid_parse("00112233-4455-6677-8899-AABBCCDDEEFF", 36, &w), MDL_OK);
    assert_memory_equal(&u, &w, sizeof u);
    assert_int_equal(mdl_uuid_parse("01890a5D-Ac96-774B-bCce-B302099a8057", 36, &w), MDL_OK);
    static const uint8_t want[16] = {0x01, 0x89, 0x0a, 0x5d, 0xac, 0x96, 0x77, 0x4b,
                                     0xbc, 0xce, 0xb3, 0x02, 0x09, 0x9a, 0x80, 0x57};
    assert_memory_equal(w.bytes, want, 16);
    /* Only len bytes are read. */
    assert_int_equal(mdl_uuid_parse("00112233-4455-6677-8899-aabbccddeeffXYZ", 36, &w), MDL_OK);
    assert_memory_equal(&u, &w, sizeof u);
}

static void test_util_uuid__round_trip(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    for (int i = 0; i < 2000; i++) {
        mdl_uuid u, back;
        if (i % 2)
            assert_int_equal(mdl_uuid_v4(&u, NULL), MDL_OK);
        else
            assert_int_equal(mdl_uuid_v7(&ctx, &u, NULL), MDL_OK);
        char text[37];
        mdl_uuid_format(&u, text);
        assert_true(is_canonical(text));
        assert_int_equal(mdl_uuid_parse(text, strlen(text), &back), MDL_OK);
        assert_memory_equal(&u, &back, sizeof u);
    }
}

static void test_util_uuid__parse_rejects_bad_input(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "00112233-4455-6677-8899-aabbccddeef",   /* 35 */
        "00112233-4455-6677-8899-aabbccddeeff0", /* 37 */
        "00112233445566778899aabbccddeeff",      /* no hyphens */
        "{00112233-4455-6677-8899-aabbccddeef}", /* braces */
        "00112233-4455-6677-8899_aabbccddeeff",  /* wrong separator */
        "0011223-34455-6677-8899-aabbccddeeff",  /* hyphen one early */
        "001122334-455-6677-8899-aabbccddeeff",  /* hyphen one late */
        "00112233-4455-66778-899-aabbccddeeff",  /* hyphen moved */
        "00112233-4455-6677-8899-aabbccddeefg",  /* 'g' */
        "g0112233-4455-6677-8899-aabbccddeeff",  /* 'g' first */
        "00112233-4455-6677-8899-aabbccddee f",  /* space */
        "00112233-4455-6677-8899--abbccddeeff",  /* hyphen in a hex position */
        "-0112233-4455-6677-8899-aabbccddeeff",
        "00112233-+455-6677-8899-aabbccddeeff",
        "00112233-4455-6677-8899-aabbccddeef\xC3",
        "urn:uuid:00112233-4455-6677-8899-aabbccddeeff",
        "------------------------------------",
        "0x112233-4455-6677-8899-aabbccddeeff",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mdl_uuid u;
        if (mdl_uuid_parse(bad[i], strlen(bad[i]), &u) != MDL_ERR_PARSE)
            fail_msg("'%s' accepted", bad[i]);
    }
    mdl_uuid u;
    /* A valid text with the wrong length is rejected. */
    assert_int_equal(mdl_uuid_parse("00112233-4455-6677-8899-aabbccddeeff", 35, &u), MDL_ERR_PARSE);
    assert_int_equal(mdl_uuid_parse(NULL, 0, &u), MDL_ERR_PARSE);
    /* An embedded NUL. */
    assert_int_equal(mdl_uuid_parse("00112233-4455-6677-8899-aabbccdd\0eff", 36, &u),
                     MDL_ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_uuid__v4_version_and_variant),
        cmocka_unit_test(test_util_uuid__v4_unique),
        cmocka_unit_test(test_util_uuid__v7_version_variant_and_time),
        cmocka_unit_test(test_util_uuid__v7_monotonic_one_context),
        cmocka_unit_test(test_util_uuid__v7_counter_carries_into_time),
        cmocka_unit_test(test_util_uuid__v7_two_threads_share_a_context),
        cmocka_unit_test(test_util_uuid__format_known),
        cmocka_unit_test(test_util_uuid__parse_known),
        cmocka_unit_test(test_util_uuid__round_trip),
        cmocka_unit_test(test_util_uuid__parse_rejects_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
