/*
 * batch_pool.h - internal hooks between batch.c and batch_pool.c.
 */
#ifndef MDL_CORE_BATCH_POOL_H
#define MDL_CORE_BATCH_POOL_H

#include "medallion/core.h"

/* Frees a batch's memory unconditionally (what mdl_batch_free does for unpooled batches). */
void mdl_core__batch_destroy(mdl_batch *batch);
/* Gives a pooled batch back to its pool (clears it; keeps it as the spare or destroys it). */
void mdl_core__batch_pool_return(mdl_batch *batch);

#endif
