/*
 * test_core_batch_pool.c - batch recycling: reuse of the spare, batches outliving the pool,
 * frees from another thread, cleared state of recycled batches.
 */
#include <pthread.h>
#include <string.h>

#include "test_support.h"

static mdl_schema *schema_ab(mdl_ctx *ctx)
{
    mdl_schema *s;
    assert_int_equal(mdl_schema_parse(ctx, "a int32, b string", &s, NULL), MDL_OK);
    return s;
}

static void fill(mdl_ctx *ctx, mdl_batch *b, size_t rows)
{
    for (size_t i = 0; i < rows; i++) {
        int32_t v = (int32_t)i;
        if (i % 3 == 0)
            assert_int_equal(mdl_column_append_null(ctx, &b->columns[0], NULL), MDL_OK);
        else
            assert_int_equal(mdl_column_append_value(ctx, &b->columns[0], &v, NULL), MDL_OK);
        assert_int_equal(mdl_column_append_string(ctx, &b->columns[1], "xyz", 3, NULL), MDL_OK);
    }
    b->num_rows = rows;
}

static void test_core_batch_pool__recycles_the_spare(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = schema_ab(&ctx);
    mdl_batch_pool *pool;
    assert_int_equal(mdl_batch_pool_new(&ctx, s, 8, &pool, NULL), MDL_OK);
    mdl_batch *b1;
    assert_int_equal(mdl_batch_pool_get(pool, &b1, NULL), MDL_OK);
    assert_int_equal(b1->capacity, 8);
    fill(&ctx, b1, 8);
    mdl_batch *first = b1;
    mdl_batch_free(b1);
    mdl_batch *b2;
    assert_int_equal(mdl_batch_pool_get(pool, &b2, NULL), MDL_OK);
    assert_ptr_equal(b2, first); /* the same memory came back */
    /* ...and it is empty: no rows, no nulls, no string bytes. */
    assert_int_equal(b2->num_rows, 0);
    assert_int_equal(b2->columns[0].length, 0);
    assert_int_equal(b2->columns[0].null_count, 0);
    assert_int_equal(b2->columns[1].data_len, 0);
    int32_t v = 7;
    assert_int_equal(mdl_column_append_value(&ctx, &b2->columns[0], &v, NULL), MDL_OK);
    assert_int_equal(mdl_column_append_string(&ctx, &b2->columns[1], "q", 1, NULL), MDL_OK);
    b2->num_rows = 1;
    assert_false(mdl_column_is_null(&b2->columns[0], 0));
    assert_int_equal(mdl_batch_validate(b2, NULL), MDL_OK);
    /* A second outstanding batch is a new one. */
    mdl_batch *b3;
    assert_int_equal(mdl_batch_pool_get(pool, &b3, NULL), MDL_OK);
    assert_ptr_not_equal(b3, b2);
    mdl_batch_free(b2);
    mdl_batch_free(b3); /* replaces b2 as the spare; b2 is destroyed */
    mdl_batch_pool_release(pool);
    mdl_schema_release(s);
}

static void test_core_batch_pool__batches_outlive_the_pool(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = schema_ab(&ctx);
    mdl_batch_pool *pool;
    assert_int_equal(mdl_batch_pool_new(&ctx, s, 4, &pool, NULL), MDL_OK);
    mdl_schema_release(s); /* the pool keeps its own reference */
    mdl_batch *b;
    assert_int_equal(mdl_batch_pool_get(pool, &b, NULL), MDL_OK);
    mdl_batch_pool_release(pool);
    fill(&ctx, b, 4);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_batch_free(b); /* last reference: frees batch and pool (LeakSanitizer checks) */
    mdl_batch_pool_release(NULL);
}

typedef struct handoff {
    mdl_batch *batches[64];
} handoff;

static void *free_all(void *arg)
{
    handoff *h = arg;
    for (int i = 0; i < 64; i++)
        mdl_batch_free(h->batches[i]);
    return NULL;
}

static void test_core_batch_pool__free_on_another_thread(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    mdl_schema *s = schema_ab(&ctx);
    mdl_batch_pool *pool;
    assert_int_equal(mdl_batch_pool_new(&ctx, s, 16, &pool, NULL), MDL_OK);
    for (int round = 0; round < 20; round++) {
        handoff h;
        for (int i = 0; i < 64; i++) {
            assert_int_equal(mdl_batch_pool_get(pool, &h.batches[i], NULL), MDL_OK);
            fill(&ctx, h.batches[i], (size_t)(i % 16));
        }
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, free_all, &h), 0);
        mdl_batch *mine;
        for (int i = 0; i < 32; i++) { /* take while the other thread returns */
            assert_int_equal(mdl_batch_pool_get(pool, &mine, NULL), MDL_OK);
            assert_int_equal(mine->num_rows, 0);
            mdl_batch_free(mine);
        }
        pthread_join(t, NULL);
    }
    mdl_batch_pool_release(pool);
    mdl_schema_release(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_core_batch_pool__recycles_the_spare),
        cmocka_unit_test(test_core_batch_pool__batches_outlive_the_pool),
        cmocka_unit_test(test_core_batch_pool__free_on_another_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
