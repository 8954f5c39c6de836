/*
 * test_support.h - helpers shared by the cmocka tests: cmocka includes, file loading,
 * reject collection and a canonical text dump of batches for golden comparisons.
 */
#ifndef MDL_TEST_SUPPORT_H
#define MDL_TEST_SUPPORT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "medallion/medallion.h"

/* Reads a whole file (NUL-terminated); NULL if it does not exist. Free with free(). */
char *mdl_test_read_file(const char *path, size_t *len_out);

/* Rejected rows collected by mdl_test_collect_reject, each as mdl_reject_format's line. */
typedef struct mdl_test_rejects {
    mdl_buf text; /* lines joined with '\n' */
    size_t count;
    int stop_after; /* when > 0, return MDL_ERR_CANCELLED after this many */
} mdl_test_rejects;

void mdl_test_rejects_init(mdl_test_rejects *r, mdl_ctx *ctx);
void mdl_test_rejects_reset(mdl_test_rejects *r);
int mdl_test_collect_reject(void *payload, const mdl_reject *reject);

/* Appends "v1|v2|...\n" per row (NULL as \N) to out. */
void mdl_test_dump_batch(const mdl_batch *b, mdl_buf *out);

/* Context with default limits for tests. */
void mdl_test_ctx(mdl_ctx *ctx);

#endif
