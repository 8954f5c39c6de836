/*
 * test_util_buf.c - growable bounded buffers (growth, the hard maximum, printf, terminate,
 * reset, allocation failure) and the overflow-checked size helpers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static void test_util_buf__init(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf b;
    memset(&b, 0x77, sizeof b);
    mdl_buf_init(&b, &ctx, 100);
    assert_ptr_equal(b.ctx, &ctx);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_int_equal(b.max, 100);
    /* max 0 means unbounded. */
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(b.max, SIZE_MAX);
    mdl_buf_reset(&b);
}

static void test_util_buf__append_grows(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);

    /* 100000 appends of 1..7 bytes; contents must match a reference copy exactly. */
    size_t total = 0;
    char *ref = malloc(100000 * 7);
    assert_non_null(ref);
    size_t growths = 0, last_cap = 0;
    for (size_t i = 0; i < 100000; i++) {
        char piece[7];
        size_t n = i % 7 + 1;
        for (size_t k = 0; k < n; k++)
            piece[k] = (char)((i * 31 + k) & 0xFF);
        assert_int_equal(mdl_buf_append(&b, piece, n, NULL), MDL_OK);
        memcpy(ref + total, piece, n);
        total += n;
        assert_int_equal(b.len, total);
        assert_true(b.cap >= b.len);
        if (b.cap != last_cap) {
            growths++;
            last_cap = b.cap;
        }
    }
    assert_memory_equal(b.data, ref, total);
    /* Geometric growth: ~log2(400000 / 64) reallocations, not one per append. */
    assert_true(growths <= 20);
    assert_int_equal(c.requests, growths);
    free(ref);
    mdl_buf_reset(&b);
    assert_int_equal(c.live, 0);
}

static void test_util_buf__append_str_and_empty(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_buf_append_str(&b, "hello", NULL), MDL_OK);
    assert_int_equal(mdl_buf_append_str(&b, "", NULL), MDL_OK);
    assert_int_equal(mdl_buf_append(&b, NULL, 0, NULL), MDL_OK);
    assert_int_equal(mdl_buf_append_str(&b, ", world", NULL), MDL_OK);
    assert_int_equal(b.len, 12);
    assert_memory_equal(b.data, "hello, world", 12);
    /* Binary data with NULs. */
    assert_int_equal(mdl_buf_append(&b, "\0\1\0", 3, NULL), MDL_OK);
    assert_int_equal(b.len, 15);
    assert_memory_equal(b.data + 12, "\0\1\0", 3);
    mdl_buf_reset(&b);

    /* An empty append to a fresh buffer allocates nothing. */
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_buf_append(&b, NULL, 0, NULL), MDL_OK);
    assert_int_equal(b.len, 0);
    mdl_buf_reset(&b);
}

static void test_util_buf__max_enforced(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 10);
    mdl_error err;
    mdl_error_clear(&err);

    assert_int_equal(mdl_buf_append(&b, "12345678", 8, &err), MDL_OK);
    assert_true(b.cap <= 10);
    char *data_before = b.data;
    size_t cap_before = b.cap;

    /* 8 + 3 > 10: refused, and the buffer is exactly as it was. */
    assert_int_equal(mdl_buf_append(&b, "abc", 3, &err), MDL_ERR_LIMIT);
    assert_int_equal(err.code, MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "10"));
    assert_int_equal(b.len, 8);
    assert_ptr_equal(b.data, data_before);
    assert_int_equal(b.cap, cap_before);
    assert_memory_equal(b.data, "12345678", 8);

    /* Up to the maximum exactly is fine. */
    assert_int_equal(mdl_buf_append(&b, "ab", 2, NULL), MDL_OK);
    assert_int_equal(b.len, 10);
    assert_true(b.cap <= 10);
    assert_memory_equal(b.data, "12345678ab", 10);
    /* Not a byte more, and err may be NULL. */
    assert_int_equal(mdl_buf_append(&b, "x", 1, NULL), MDL_ERR_LIMIT);
    assert_int_equal(mdl_buf_append_str(&b, "y", NULL), MDL_ERR_LIMIT);
    assert_int_equal(mdl_buf_reserve(&b, 1, NULL), MDL_ERR_LIMIT);
    assert_int_equal(mdl_buf_reserve(&b, 0, NULL), MDL_OK);
    assert_int_equal(b.len, 10);
    assert_memory_equal(b.data, "12345678ab", 10);
    mdl_buf_reset(&b);

    /* A single oversized append to an empty buffer allocates nothing. */
    mdl_buf_init(&b, &ctx, 4);
    assert_int_equal(mdl_buf_append(&b, "hello", 5, NULL), MDL_ERR_LIMIT);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    mdl_buf_reset(&b);
}

static void test_util_buf__max_larger_than_growth_step(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf b;
    /* 1000 is not a power of two: growth must clamp to it rather than overshoot. */
    mdl_buf_init(&b, &ctx, 1000);
    char chunk[100];
    memset(chunk, 'z', sizeof chunk);
    for (int i = 0; i < 10; i++)
        assert_int_equal(mdl_buf_append(&b, chunk, sizeof chunk, NULL), MDL_OK);
    assert_int_equal(b.len, 1000);
    assert_int_equal(b.cap, 1000);
    assert_int_equal(mdl_buf_append(&b, chunk, 1, NULL), MDL_ERR_LIMIT);
    assert_int_equal(b.len, 1000);
    mdl_buf_reset(&b);
}

static void test_util_buf__reserve(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_buf_reserve(&b, 1000, NULL), MDL_OK);
    assert_true(b.cap >= 1000);
    assert_int_equal(b.len, 0);
    size_t calls = c.requests;
    /* Appends within the reservation do not allocate. */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(mdl_buf_append(&b, "x", 1, NULL), MDL_OK);
    assert_int_equal(c.requests, calls);

    /* len + extra overflowing size_t is a limit error, not a wrap-around. */
    mdl_error err;
    assert_int_equal(mdl_buf_reserve(&b, SIZE_MAX, &err), MDL_ERR_LIMIT);
    assert_int_equal(err.code, MDL_ERR_LIMIT);
    assert_int_equal(mdl_buf_reserve(&b, SIZE_MAX - 999, NULL), MDL_ERR_LIMIT);
    assert_int_equal(b.len, 1000);
    assert_int_equal(c.requests, calls);
    mdl_buf_reset(&b);
    assert_int_equal(c.live, 0);
}

static void test_util_buf__printf(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_buf_printf(&b, NULL, "%s=%d", "a", 1), MDL_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "a=1", 3);
    /* A NUL is kept after the text but not counted. */
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(mdl_buf_printf(&b, NULL, ", %s=%05.1f", "pi", 3.14159), MDL_OK);
    assert_string_equal(b.data, "a=1, pi=003.1");
    assert_int_equal(b.len, strlen("a=1, pi=003.1"));
    /* Empty output changes nothing but still succeeds. */
    assert_int_equal(mdl_buf_printf(&b, NULL, "%s", ""), MDL_OK);
    assert_int_equal(b.len, strlen("a=1, pi=003.1"));

    /* Long output (forces growth during printf). */
    char big[5000];
    memset(big, 'b', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(mdl_buf_printf(&b, NULL, "[%s]", big), MDL_OK);
    assert_int_equal(b.len, 13 + 2 + 4999);
    assert_int_equal(b.data[13], '[');
    assert_int_equal(b.data[13 + 1 + 4999], ']');
    assert_int_equal(b.data[b.len], '\0');
    mdl_buf_reset(&b);
}

static void test_util_buf__printf_over_max(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 16);
    assert_int_equal(mdl_buf_printf(&b, NULL, "%d", 12345), MDL_OK);
    mdl_error err;
    assert_int_equal(mdl_buf_printf(&b, &err, "%s", "this will not fit at all"), MDL_ERR_LIMIT);
    assert_int_equal(err.code, MDL_ERR_LIMIT);
    assert_int_equal(b.len, 5);
    assert_memory_equal(b.data, "12345", 5);
    /* What fits (with its terminator) still goes in. */
    assert_int_equal(mdl_buf_printf(&b, NULL, "%s", "abcde"), MDL_OK);
    assert_string_equal(b.data, "12345abcde");
    mdl_buf_reset(&b);
}

static void test_util_buf__terminate(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    /* Terminating an empty buffer yields "". */
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    assert_non_null(b.data);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");

    assert_int_equal(mdl_buf_append(&b, "abc", 3, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    /* Appending after terminate overwrites the NUL. */
    assert_int_equal(mdl_buf_append(&b, "de", 2, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    assert_string_equal(b.data, "abcde");
    assert_int_equal(b.len, 5);
    mdl_buf_reset(&b);

    /* The terminator must fit under the maximum too. */
    mdl_buf_init(&b, &ctx, 4);
    assert_int_equal(mdl_buf_append(&b, "abc", 3, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_OK);
    assert_string_equal(b.data, "abc");
    assert_int_equal(mdl_buf_append(&b, "d", 1, NULL), MDL_OK);
    assert_int_equal(mdl_buf_terminate(&b, NULL), MDL_ERR_LIMIT);
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.data, "abcd", 4);
    mdl_buf_reset(&b);
}

static void test_util_buf__reset(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 50);
    /* Reset of a never-used buffer is fine. */
    mdl_buf_reset(&b);
    assert_int_equal(mdl_buf_append(&b, "hello", 5, NULL), MDL_OK);
    assert_int_equal(c.live, 1);
    mdl_buf_reset(&b);
    assert_int_equal(c.live, 0);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    /* The maximum and context survive a reset; the buffer is reusable. */
    assert_int_equal(b.max, 50);
    assert_ptr_equal(b.ctx, &ctx);
    assert_int_equal(mdl_buf_append(&b, "again", 5, NULL), MDL_OK);
    assert_memory_equal(b.data, "again", 5);
    mdl_buf_reset(&b);
    mdl_buf_reset(&b);
    assert_int_equal(c.live, 0);
}

static void test_util_buf__nomem_leaves_buffer_unchanged(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_test_alloc c;
    mdl_test_counting_ctx(&ctx, &c);
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    assert_int_equal(mdl_buf_append(&b, "abc", 3, NULL), MDL_OK);
    char big[200];
    memset(big, 'x', sizeof big);
    c.fail = true;
    mdl_error err;
    assert_int_equal(mdl_buf_append(&b, big, sizeof big, &err), MDL_ERR_NOMEM);
    assert_int_equal(err.code, MDL_ERR_NOMEM);
    assert_int_equal(mdl_buf_printf(&b, NULL, "%s",
                                    "0123456789012345678901234567890123456789"
                                    "0123456789012345678901234567890123456789"),
                     MDL_ERR_NOMEM);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, "abc", 3);
    c.fail = false;
    assert_int_equal(mdl_buf_append(&b, big, sizeof big, NULL), MDL_OK);
    assert_int_equal(b.len, 203);
    mdl_buf_reset(&b);
    assert_int_equal(c.live, 0);
}

static void test_util_buf__size_add(void **state)
{
    (void)state;
    size_t out = 12345;
    assert_true(mdl_size_add(1, 2, &out));
    assert_int_equal(out, 3);
    assert_true(mdl_size_add(SIZE_MAX, 0, &out));
    assert_int_equal(out, SIZE_MAX);
    assert_true(mdl_size_add(SIZE_MAX - 5, 5, &out));
    assert_int_equal(out, SIZE_MAX);
    assert_true(mdl_size_add(0, 0, &out));
    assert_int_equal(out, 0);

    /* On overflow *out is left alone. */
    out = 777;
    assert_false(mdl_size_add(SIZE_MAX, 1, &out));
    assert_int_equal(out, 777);
    assert_false(mdl_size_add(SIZE_MAX - 5, 6, &out));
    assert_false(mdl_size_add(SIZE_MAX, SIZE_MAX, &out));
    assert_false(mdl_size_add(SIZE_MAX / 2 + 1, SIZE_MAX / 2 + 1, &out));
    assert_int_equal(out, 777);
}

static void test_util_buf__size_mul(void **state)
{
    (void)state;
    size_t out = 1;
    assert_true(mdl_size_mul(6, 7, &out));
    assert_int_equal(out, 42);
    assert_true(mdl_size_mul(0, SIZE_MAX, &out));
    assert_int_equal(out, 0);
    assert_true(mdl_size_mul(SIZE_MAX, 1, &out));
    assert_int_equal(out, SIZE_MAX);
    assert_true(mdl_size_mul(SIZE_MAX / 3, 3, &out));
    assert_int_equal(out, SIZE_MAX / 3 * 3);
    size_t half = (size_t)1 << (sizeof(size_t) * 4);
    assert_true(mdl_size_mul(half - 1, half + 1, &out));
    assert_int_equal(out, SIZE_MAX);

    out = 999;
    assert_false(mdl_size_mul(half, half, &out));
    assert_false(mdl_size_mul(SIZE_MAX, 2, &out));
    assert_false(mdl_size_mul(SIZE_MAX / 2 + 1, 2, &out));
    assert_false(mdl_size_mul(SIZE_MAX / 3 + 1, 3, &out));
    assert_false(mdl_size_mul(SIZE_MAX, SIZE_MAX, &out));
    assert_int_equal(out, 999);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_buf__init),
        cmocka_unit_test(test_util_buf__append_grows),
        cmocka_unit_test(test_util_buf__append_str_and_empty),
        cmocka_unit_test(test_util_buf__max_enforced),
        cmocka_unit_test(test_util_buf__max_larger_than_growth_step),
        cmocka_unit_test(test_util_buf__reserve),
        cmocka_unit_test(test_util_buf__printf),
        cmocka_unit_test(test_util_buf__printf_over_max),
        cmocka_unit_test(test_util_buf__terminate),
        cmocka_unit_test(test_util_buf__reset),
        cmocka_unit_test(test_util_buf__nomem_leaves_buffer_unchanged),
        cmocka_unit_test(test_util_buf__size_add),
        cmocka_unit_test(test_util_buf__size_mul),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
