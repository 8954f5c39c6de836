/*
 * batch_pool.c - recycling of record batches.
 *
 * The pool keeps at most one spare batch in an atomic slot. A pooled batch holds a reference
 * on its pool, so the pool lives until both its owner (mdl_batch_pool_release) and every
 * outstanding batch are gone; the spare itself holds none, or the pool could never die.
 * Returning and taking the spare are single atomic exchanges, so batches may be freed on
 * another thread than the one reading.
 */
#include "batch_pool.h"

struct mdl_batch_pool {
    mdl_ctx *ctx;
    mdl_schema *schema;
    size_t capacity;
    _Atomic long refcount;
    _Atomic(mdl_batch *) spare;
};

int mdl_batch_pool_new(mdl_ctx *ctx, mdl_schema *schema, size_t capacity, mdl_batch_pool **out,
                       mdl_error *err)
{
    *out = NULL;
    mdl_batch_pool *p = mdl_calloc(ctx, 1, sizeof *p);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory creating a batch pool");
    p->ctx = ctx;
    p->schema = mdl_schema_retain(schema);
    p->capacity = capacity;
    atomic_init(&p->refcount, 1);
    atomic_init(&p->spare, NULL);
    *out = p;
    return MDL_OK;
}

static void pool_unref(mdl_batch_pool *p)
{
    if (atomic_fetch_sub(&p->refcount, 1) != 1)
        return;
    mdl_batch *spare = atomic_exchange(&p->spare, NULL);
    if (spare != NULL)
        mdl_core__batch_destroy(spare);
    mdl_schema_release(p->schema);
    mdl_free(p->ctx, p);
}

int mdl_batch_pool_get(mdl_batch_pool *pool, mdl_batch **out, mdl_error *err)
{
    mdl_batch *b = atomic_exchange(&pool->spare, NULL);
    if (b == NULL) {
        int rc = mdl_batch_new(pool->ctx, pool->schema, pool->capacity, &b, err);
        if (rc != MDL_OK) {
            *out = NULL;
            return rc;
        }
    }
    atomic_fetch_add(&pool->refcount, 1);
    b->pool = pool;
    *out = b;
    return MDL_OK;
}

void mdl_core__batch_pool_return(mdl_batch *batch)
{
    mdl_batch_pool *p = batch->pool;
    batch->pool = NULL;
    mdl_batch_clear(batch);
    /* The string buffers may have grown; drop oversized ones so a single huge batch does
     * not pin its memory for the rest of the stream. */
    for (size_t i = 0; i < batch->schema->num_fields; i++) {
        mdl_column *col = &batch->columns[i];
        if (col->data_cap > ((size_t)64 << 20)) {
            char *small = mdl_realloc(batch->ctx, col->data, 256);
            if (small != NULL) {
                col->data = small;
                col->data_cap = 256;
            }
        }
    }
    mdl_batch *old = atomic_exchange(&p->spare, batch);
    if (old != NULL)
        mdl_core__batch_destroy(old);
    pool_unref(p);
}

void mdl_batch_pool_release(mdl_batch_pool *pool)
{
    if (pool != NULL)
        pool_unref(pool);
}
