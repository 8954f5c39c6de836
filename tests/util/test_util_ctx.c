/*
 * test_util_ctx.c - mdl_ctx_init defaults, allocator hooks (counted), the log hook and its
 * threshold, mdl_alloc / mdl_calloc / mdl_realloc / mdl_free / mdl_strndup / mdl_strdup.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

/* ---- a recording log hook -------------------------------------------------------------- */

typedef struct log_record {
    size_t calls;
    mdl_log_level levels[8];
    char last[2048];
    void *user_seen;
} log_record;

static void record_log(void *user, mdl_log_level level, const char *message)
{
    log_record *r = user;
    if (r->calls < 8)
        r->levels[r->calls] = level;
    r->calls++;
    r->user_seen = user;
    snprintf(r->last, sizeof r->last, "%s", message);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_util_ctx__init_defaults(void **state)
{
    (void)state;
    mdl_ctx ctx;
    memset(&ctx, 0x5A, sizeof ctx);
    mdl_ctx_init(&ctx);
    assert_non_null(ctx.allocator.alloc);
    assert_non_null(ctx.allocator.realloc);
    assert_non_null(ctx.allocator.free);
    assert_null(ctx.allocator.user);
    assert_int_equal(ctx.limits.max_field_bytes, 16u * 1024 * 1024);
    assert_int_equal(ctx.limits.max_record_bytes, 64u * 1024 * 1024);
    assert_int_equal(ctx.limits.max_json_depth, 64);
    assert_int_equal(ctx.limits.batch_rows, 65536);
    assert_int_equal(ctx.limits.batch_rows, MDL_DEFAULT_BATCH_ROWS);
    assert_null(ctx.log);
    assert_null(ctx.log_user);
    /* Informational messages and above pass by default; debug does not. */
    assert_int_equal(ctx.log_level, MDL_LOG_INFO);
    assert_int_equal(atomic_load(&ctx.uuid_v7_state), 0);
}

static void test_util_ctx__default_allocator_works(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char *p = mdl_alloc(&ctx, 100);
    assert_non_null(p);
    memset(p, 'x', 100);
    p = mdl_realloc(&ctx, p, 10000);
    assert_non_null(p);
    assert_int_equal(p[99], 'x');
    mdl_free(&ctx, p);
    unsigned char *z = mdl_calloc(&ctx, 7, 13);
    assert_non_null(z);
    for (size_t i = 0; i < 91; i++)
        assert_int_equal(z[i], 0);
    mdl_free(&ctx, z);
    mdl_free(&ctx, NULL);
}

static void test_util_ctx__allocator_hooks_are_used(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);

    void *a = mdl_alloc(&ctx, 32);
    assert_non_null(a);
    assert_int_equal(c.allocs, 1);
    assert_int_equal(c.last_size, 32);

    a = mdl_realloc(&ctx, a, 64);
    assert_non_null(a);
    assert_int_equal(c.reallocs, 1);
    assert_int_equal(c.last_size, 64);

    void *z = mdl_calloc(&ctx, 4, 8);
    assert_non_null(z);
    assert_int_equal(c.allocs, 2);
    assert_int_equal(c.last_size, 32);

    char *s = mdl_strdup(&ctx, "hello");
    assert_non_null(s);
    assert_int_equal(c.allocs, 3);
    assert_int_equal(c.last_size, 6);

    char *t = mdl_strndup(&ctx, "hello world", 5);
    assert_int_equal(c.allocs, 4);
    assert_int_equal(c.last_size, 6);

    /* realloc(NULL, n) goes through the realloc hook, as the hook contract allows. */
    void *r = mdl_realloc(&ctx, NULL, 16);
    assert_non_null(r);
    assert_int_equal(c.reallocs, 2);

    assert_int_equal(c.live, 5);
    mdl_free(&ctx, a);
    mdl_free(&ctx, z);
    mdl_free(&ctx, s);
    mdl_free(&ctx, t);
    mdl_free(&ctx, r);
    assert_int_equal(c.frees, 5);
    assert_int_equal(c.live, 0);

    /* Freeing NULL never reaches the hook. */
    mdl_free(&ctx, NULL);
    assert_int_equal(c.frees, 5);
}

static void test_util_ctx__allocator_user_pointer_passed(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    /* The hooks dereference `user` as an mdl_test_alloc*; a wrong pointer would corrupt counts. */
    void *p = mdl_alloc(&ctx, 1);
    p = mdl_realloc(&ctx, p, 2);
    mdl_free(&ctx, p);
    assert_int_equal(c.allocs, 1);
    assert_int_equal(c.reallocs, 1);
    assert_int_equal(c.frees, 1);
    assert_int_equal(c.live, 0);
    assert_ptr_equal(ctx.allocator.user, &c);
}

static void test_util_ctx__zero_size_requests(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    /* Zero-byte requests still return distinct, freeable pointers. */
    void *a = mdl_alloc(&ctx, 0);
    void *b = mdl_alloc(&ctx, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    void *z = mdl_calloc(&ctx, 0, 16);
    assert_non_null(z);
    void *r = mdl_realloc(&ctx, a, 0);
    assert_non_null(r);
    mdl_free(&ctx, r);
    mdl_free(&ctx, b);
    mdl_free(&ctx, z);
    assert_int_equal(c.live, 0);
}

static void test_util_ctx__calloc_zeroes(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    c.junk = 0xFF; /* the hook hands out non-zero memory */
    unsigned char *p = mdl_calloc(&ctx, 100, 3);
    assert_non_null(p);
    for (size_t i = 0; i < 300; i++)
        assert_int_equal(p[i], 0);
    mdl_free(&ctx, p);
    assert_int_equal(c.live, 0);
}

static void test_util_ctx__calloc_overflow_returns_null(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    assert_null(mdl_calloc(&ctx, SIZE_MAX, 2));
    assert_null(mdl_calloc(&ctx, 2, SIZE_MAX));
    assert_null(mdl_calloc(&ctx, SIZE_MAX / 8 + 1, 8));
    assert_null(
        mdl_calloc(&ctx, (size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)));
    /* The overflow is caught before the allocator is asked. */
    assert_int_equal(c.allocs, 0);
    assert_int_equal(c.reallocs, 0);
}

static void test_util_ctx__allocation_failure_propagates(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    c.fail_after = 0;
    assert_null(mdl_alloc(&ctx, 10));
    assert_null(mdl_calloc(&ctx, 2, 5));
    assert_null(mdl_strdup(&ctx, "abc"));
    assert_null(mdl_strndup(&ctx, "abc", 2));
    assert_null(mdl_realloc(&ctx, NULL, 10));
    assert_int_equal(c.live, 0);
}

static void test_util_ctx__strndup(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);

    char *s = mdl_strndup(&ctx, "abcdef", 3);
    assert_non_null(s);
    assert_string_equal(s, "abc");
    mdl_free(&ctx, s);

    /* len 0: an empty string, the source is not read. */
    s = mdl_strndup(&ctx, "xyz", 0);
    assert_non_null(s);
    assert_string_equal(s, "");
    mdl_free(&ctx, s);

    /* Embedded NULs are copied: exactly len bytes plus a terminator. */
    const char src[] = {'a', '\0', 'b', 'c'};
    s = mdl_strndup(&ctx, src, sizeof src);
    assert_non_null(s);
    assert_memory_equal(s, src, sizeof src);
    assert_int_equal(s[4], '\0');
    mdl_free(&ctx, s);

    /* A source that is not NUL-terminated. */
    char raw[5] = {'h', 'e', 'l', 'l', 'o'};
    s = mdl_strndup(&ctx, raw, 5);
    assert_string_equal(s, "hello");
    mdl_free(&ctx, s);

    s = mdl_strdup(&ctx, "");
    assert_string_equal(s, "");
    mdl_free(&ctx, s);

    /* len + 1 overflows: NULL, the allocator is not asked. */
    size_t before = c.allocs;
    assert_null(mdl_strndup(&ctx, "x", SIZE_MAX));
    assert_int_equal(c.allocs, before);
    assert_int_equal(c.live, 0);
}

static void test_util_ctx__objects_free_everything(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);

    mdl_buf buf;
    mdl_buf_init(&buf, &ctx, 0);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(mdl_buf_printf(&buf, NULL, "%d,", i), MDL_OK);
    mdl_hashmap *map;
    assert_int_equal(mdl_hashmap_new(&ctx, 4, &map, NULL), MDL_OK);
    for (int i = 0; i < 500; i++) {
        char key[16];
        int n = snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(mdl_hashmap_put(map, mdl_sv_make(key, (size_t)n), (uint64_t)i, NULL),
                         MDL_OK);
    }
    mdl_schema *schema;
    assert_int_equal(mdl_schema_parse(&ctx, "id int64 not null, name string", &schema, NULL),
                     MDL_OK);
    mdl_batch *batch;
    assert_int_equal(mdl_batch_new(&ctx, schema, 16, &batch, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &batch->columns[1], "abc", 3, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_null(&ctx, &batch->columns[1], NULL), MDL_OK);

    assert_true(c.allocs + c.reallocs > 10);
    assert_true(c.live > 0);
    mdl_batch_free(batch);
    mdl_schema_release(schema);
    mdl_hashmap_free(map);
    mdl_buf_reset(&buf);
    assert_int_equal(c.live, 0);
}

static void test_util_ctx__log_threshold(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    log_record r;
    memset(&r, 0, sizeof r);
    ctx.log = record_log;
    ctx.log_user = &r;

    /* Default threshold INFO: debug is dropped. */
    mdl_log(&ctx, MDL_LOG_DEBUG, "debug %d", 1);
    assert_int_equal(r.calls, 0);
    mdl_log(&ctx, MDL_LOG_INFO, "info %d", 2);
    assert_int_equal(r.calls, 1);
    assert_int_equal(r.levels[0], MDL_LOG_INFO);
    assert_string_equal(r.last, "info 2");
    assert_ptr_equal(r.user_seen, &r);

    ctx.log_level = MDL_LOG_WARN;
    mdl_log(&ctx, MDL_LOG_DEBUG, "no");
    mdl_log(&ctx, MDL_LOG_INFO, "no");
    assert_int_equal(r.calls, 1);
    mdl_log(&ctx, MDL_LOG_WARN, "warn %s", "w");
    mdl_log(&ctx, MDL_LOG_ERROR, "error %s", "e");
    assert_int_equal(r.calls, 3);
    assert_int_equal(r.levels[1], MDL_LOG_WARN);
    assert_int_equal(r.levels[2], MDL_LOG_ERROR);
    assert_string_equal(r.last, "error e");

    ctx.log_level = MDL_LOG_ERROR;
    mdl_log(&ctx, MDL_LOG_WARN, "no");
    assert_int_equal(r.calls, 3);
    mdl_log(&ctx, MDL_LOG_ERROR, "yes");
    assert_int_equal(r.calls, 4);

    ctx.log_level = MDL_LOG_DEBUG;
    mdl_log(&ctx, MDL_LOG_DEBUG, "dbg");
    assert_int_equal(r.calls, 5);
    assert_int_equal(r.levels[4], MDL_LOG_DEBUG);
    assert_string_equal(r.last, "dbg");
}

static void test_util_ctx__log_without_hook_or_ctx(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    /* No hook: nothing happens (and nothing is printed). */
    mdl_log(&ctx, MDL_LOG_ERROR, "dropped %d", 1);
    mdl_log(NULL, MDL_LOG_ERROR, "dropped %d", 2);
}

static void test_util_ctx__log_long_message_truncated(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    log_record r;
    memset(&r, 0, sizeof r);
    ctx.log = record_log;
    ctx.log_user = &r;
    char big[1500];
    memset(big, 'q', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    mdl_log(&ctx, MDL_LOG_ERROR, "%s", big);
    assert_int_equal(r.calls, 1);
    /* One bounded line: the hook always sees a NUL-terminated prefix of the message. */
    size_t n = strlen(r.last);
    assert_true(n > 0 && n < sizeof big - 1);
    assert_int_equal(n, 1023);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(r.last[i], 'q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_ctx__init_defaults),
        cmocka_unit_test(test_util_ctx__default_allocator_works),
        cmocka_unit_test(test_util_ctx__allocator_hooks_are_used),
        cmocka_unit_test(test_util_ctx__allocator_user_pointer_passed),
        cmocka_unit_test(test_util_ctx__zero_size_requests),
        cmocka_unit_test(test_util_ctx__calloc_zeroes),
        cmocka_unit_test(test_util_ctx__calloc_overflow_returns_null),
        cmocka_unit_test(test_util_ctx__allocation_failure_propagates),
        cmocka_unit_test(test_util_ctx__strndup),
        cmocka_unit_test(test_util_ctx__objects_free_everything),
        cmocka_unit_test(test_util_ctx__log_threshold),
        cmocka_unit_test(test_util_ctx__log_without_hook_or_ctx),
        cmocka_unit_test(test_util_ctx__log_long_message_truncated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
