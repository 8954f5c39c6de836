/*
 * test_format_parquet_meta.c - footer decoding limits: a list element may take one byte in
 * the file but a whole struct in memory, so decoding is held to a memory budget tied to the
 * footer's size.
 */
#include <stdlib.h>
#include <string.h>

#include "format/parquet_meta.h"
#include "test_support.h"

/* FileMetaData { 2: list<SchemaElement> of n empty structs } - each element one 0x00 byte. */
static uint8_t *amplifying_footer(size_t n, size_t *len)
{
    uint8_t *p = malloc(n + 16);
    size_t o = 0;
    p[o++] = 0x29; /* field 2, delta 2, type LIST */
    p[o++] = 0xFC; /* size in a varint, element type STRUCT */
    for (size_t v = n;; v >>= 7) {
        p[o++] = (uint8_t)((v & 0x7F) | (v >= 0x80 ? 0x80 : 0));
        if (v < 0x80)
            break;
    }
    memset(p + o, 0, n); /* n empty structs */
    o += n;
    p[o++] = 0; /* end of FileMetaData */
    *len = o;
    return p;
}

static void test_format_parquet_meta__list_amplification_is_bounded(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    size_t len;
    uint8_t *f = amplifying_footer((size_t)4 << 20, &len); /* 4M elements, 4 MiB on disk */
    pq_arena a;
    mdl_format__pq_arena_init(&a, &ctx);
    pq_file_meta m;
    mdl_error err;
    assert_int_equal(mdl_format__pq_decode_file_meta(f, len, &a, &m, &err), MDL_ERR_LIMIT);
    assert_non_null(strstr(err.message, "more elements than its size can hold"));
    mdl_format__pq_arena_free(&a);
    free(f);
    /* A small list of the same shape still decodes up to the missing required names. */
    f = amplifying_footer(1000, &len);
    mdl_format__pq_arena_init(&a, &ctx);
    assert_int_equal(mdl_format__pq_decode_file_meta(f, len, &a, &m, &err), MDL_ERR_PARSE);
    assert_string_equal(err.message, "Parquet schema element without a name");
    mdl_format__pq_arena_free(&a);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_parquet_meta__list_amplification_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
