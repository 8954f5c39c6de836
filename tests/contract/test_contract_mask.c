/*
 * test_contract_mask.c - PII masking (include/medallion/contract.h, contract_mask.c): the
 * HMAC-SHA-256 of RFC 4231's test vectors, each rule on ASCII and multi-byte text, NULLs kept,
 * a whole batch masked in place by its rules, and the errors (no key, a non-string column).
 */
#include <string.h>

#include "test_support.h"

#include "medallion/contract.h"

static char *masked(mdl_ctx *ctx, mdl_pii how, const char *key, const char *s, char *out,
                    size_t cap)
{
    mdl_buf b;
    mdl_buf_init(&b, ctx, 0);
    mdl_error err = {0};
    int rc = mdl_pii_mask_value(how, key, key ? strlen(key) : 0, s, strlen(s), &b, &err);
    if (rc != MDL_OK)
        fail_msg("%s", err.message);
    assert_true(b.len < cap);
    memcpy(out, b.data ? b.data : "", b.len);
    out[b.len] = '\0';
    mdl_buf_reset(&b);
    return out;
}

static void test_mask__rules(void **state)
{
    (void)state;
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    char out[256];
    /* RFC 4231 test case 2 */
    assert_string_equal(
        masked(&ctx, MDL_PII_HASH, "Jefe", "what do ya want for nothing?", out, sizeof out),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* the key matters: same value, another key, another hash */
    assert_string_not_equal(
        masked(&ctx, MDL_PII_HASH, "Jeff", "what do ya want for nothing?", out, sizeof out),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    assert_string_equal(masked(&ctx, MDL_PII_REDACT, NULL, "Ann Lee", out, sizeof out), "REDACTED");
    assert_string_equal(
        masked(&ctx, MDL_PII_MASK_EMAIL, NULL, "jane.doe@example.com", out, sizeof out),
        "j***@example.com");
    assert_string_equal(masked(&ctx, MDL_PII_MASK_EMAIL, NULL, "élise@example.fr", out, sizeof out),
                        "é***@example.fr");
    assert_string_equal(masked(&ctx, MDL_PII_MASK_EMAIL, NULL, "no-at-sign", out, sizeof out),
                        "REDACTED");
    assert_string_equal(masked(&ctx, MDL_PII_MASK_EMAIL, NULL, "@example.com", out, sizeof out),
                        "REDACTED");
    assert_string_equal(masked(&ctx, MDL_PII_LAST4, NULL, "4155551234", out, sizeof out),
                        "******1234");
    assert_string_equal(masked(&ctx, MDL_PII_LAST4, NULL, "+44 20", out, sizeof out), "**4 20");
    assert_string_equal(masked(&ctx, MDL_PII_LAST4, NULL, "1234", out, sizeof out), "****");
    assert_string_equal(masked(&ctx, MDL_PII_LAST4, NULL, "ñandú12", out, sizeof out), "***dú12");
    assert_string_equal(masked(&ctx, MDL_PII_LAST4, NULL, "", out, sizeof out), "");
    assert_string_equal(masked(&ctx, MDL_PII_KEEP, NULL, "Paris", out, sizeof out), "Paris");
    mdl_buf b;
    mdl_buf_init(&b, &ctx, 0);
    mdl_error err = {0};
    assert_int_equal(mdl_pii_mask_value(MDL_PII_HASH, NULL, 0, "x", 1, &b, &err),
                     MDL_ERR_INVALID_ARG);
    mdl_buf_reset(&b);
}

static void test_mask__batch(void **state)
{
    (void)state;
    mdl_test_alloc a;
    mdl_ctx ctx;
    mdl_test_counting_ctx(&ctx, &a);
    mdl_schema *s = NULL;
    assert_int_equal(
        mdl_schema_parse(&ctx, "id int64, email string, phone string, city string", &s, NULL),
        MDL_OK);
    mdl_batch *b = NULL;
    assert_int_equal(mdl_batch_new(&ctx, s, 4, &b, NULL), MDL_OK);
    const char *emails[] = {"a@x.io", NULL, "b@y.io"};
    const char *phones[] = {"5551234567", "12", NULL};
    for (int r = 0; r < 3; r++) {
        int64_t id = r;
        assert_int_equal(mdl_column_append_value(&ctx, &b->columns[0], &id, NULL), MDL_OK);
        if (emails[r])
            assert_int_equal(
                mdl_column_append_string(&ctx, &b->columns[1], emails[r], strlen(emails[r]), NULL),
                MDL_OK);
        else
            assert_int_equal(mdl_column_append_null(&ctx, &b->columns[1], NULL), MDL_OK);
        if (phones[r])
            assert_int_equal(
                mdl_column_append_string(&ctx, &b->columns[2], phones[r], strlen(phones[r]), NULL),
                MDL_OK);
        else
            assert_int_equal(mdl_column_append_null(&ctx, &b->columns[2], NULL), MDL_OK);
        assert_int_equal(mdl_column_append_string(&ctx, &b->columns[3], "Lyon", 4, NULL), MDL_OK);
        b->num_rows++;
    }
    mdl_pii rules[] = {MDL_PII_NONE, MDL_PII_HASH, MDL_PII_LAST4, MDL_PII_KEEP};
    mdl_error err = {0};
    /* no key for a hash column: refused, nothing changed */
    assert_int_equal(mdl_pii_mask_batch(rules, 4, NULL, 0, b, &err), MDL_ERR_INVALID_ARG);
    assert_non_null(strstr(err.message, "MEDALLION_PII_KEY"));
    assert_int_equal(mdl_pii_mask_batch(rules, 4, "k", 1, b, &err), MDL_OK);
    assert_int_equal(mdl_batch_validate(b, NULL), MDL_OK);
    mdl_strview v = mdl_column_str(&b->columns[1], 0);
    assert_int_equal(v.len, 64);
    assert_true(mdl_column_is_null(&b->columns[1], 1));
    mdl_strview w = mdl_column_str(&b->columns[1], 2);
    assert_int_equal(w.len, 64);
    assert_true(memcmp(v.ptr, w.ptr, 64) != 0);
    v = mdl_column_str(&b->columns[2], 0);
    assert_int_equal(v.len, 10);
    assert_memory_equal(v.ptr, "******4567", 10);
    v = mdl_column_str(&b->columns[2], 1);
    assert_memory_equal(v.ptr, "**", 2);
    assert_true(mdl_column_is_null(&b->columns[2], 2));
    v = mdl_column_str(&b->columns[3], 2);
    assert_memory_equal(v.ptr, "Lyon", 4);
    /* a masked non-string column */
    mdl_pii bad[] = {MDL_PII_REDACT};
    assert_int_equal(mdl_pii_mask_batch(bad, 1, "k", 1, b, &err), MDL_ERR_SCHEMA);
    mdl_batch_free(b);
    mdl_schema_release(s);
    assert_int_equal(a.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask__rules),
        cmocka_unit_test(test_mask__batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
