/*
 * contract_mask.c - PII masking by the contract's `pii:` tags (docs/models.md "PII masking"):
 * `hash` is a keyed HMAC-SHA-256 in lowercase hex, so equal values still join and nobody
 * without the key can test a guess; `redact` replaces the value; `mask_email` keeps the first
 * character and the domain; `last4` keeps the last four characters. NULL stays NULL.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "medallion/contract.h"

#define REDACTED "REDACTED"

static size_t utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

int mdl_pii_mask_value(mdl_pii how, const void *key, size_t key_len, const char *s, size_t len,
                       mdl_buf *out, mdl_error *err)
{
    switch (how) {
    case MDL_PII_HASH: {
        unsigned char mac[EVP_MAX_MD_SIZE];
        unsigned int mac_len = 0;
        if (key == NULL || key_len == 0)
            return mdl_error_set(err, MDL_ERR_INVALID_ARG, "pii: hash needs a key");
        if (HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)s, len, mac, &mac_len) ==
            NULL)
            return mdl_error_set(err, MDL_ERR_IO, "HMAC-SHA-256 failed (OpenSSL)");
        static const char hex[] = "0123456789abcdef";
        char text[2 * EVP_MAX_MD_SIZE];
        for (unsigned int i = 0; i < mac_len; i++) {
            text[2 * i] = hex[mac[i] >> 4];
            text[2 * i + 1] = hex[mac[i] & 15];
        }
        return mdl_buf_append(out, text, 2 * (size_t)mac_len, err);
    }
    case MDL_PII_REDACT:
        return mdl_buf_append_str(out, REDACTED, err);
    case MDL_PII_MASK_EMAIL: {
        const char *at = memchr(s, '@', len);
        if (at == NULL || at == s)
            return mdl_buf_append_str(out, REDACTED, err);
        size_t first = 1;
        while (first < (size_t)(at - s) && ((unsigned char)s[first] & 0xC0) == 0x80)
            first++;
        int rc = mdl_buf_append(out, s, first, err);
        if (rc == MDL_OK)
            rc = mdl_buf_append_str(out, "***", err);
        return rc == MDL_OK ? mdl_buf_append(out, at, len - (size_t)(at - s), err) : rc;
    }
    case MDL_PII_LAST4: {
        size_t chars = utf8_chars(s, len), masked = chars > 4 ? chars - 4 : chars;
        int rc = MDL_OK;
        size_t i = 0, seen = 0;
        for (; rc == MDL_OK && i < len && seen < masked; i++) {
            if (((unsigned char)s[i] & 0xC0) == 0x80)
                continue;
            seen++;
            rc = mdl_buf_append(out, "*", 1, err);
        }
        while (i < len && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        return rc == MDL_OK ? mdl_buf_append(out, s + i, len - i, err) : rc;
    }
    case MDL_PII_NONE:
    case MDL_PII_KEEP:
        return mdl_buf_append(out, s, len, err);
    }
    return mdl_error_set(err, MDL_ERR_INVALID_ARG, "unknown pii rule %d", (int)how);
}

static bool masks(mdl_pii p)
{
    return p != MDL_PII_NONE && p != MDL_PII_KEEP;
}

int mdl_contract_check_masking(const mdl_contract *c, mdl_error *err)
{
    for (size_t i = 0; i < c->num_columns; i++)
        if (masks(c->columns[i].pii) && c->columns[i].type.id != MDL_TYPE_STRING)
            return mdl_error_set(err, MDL_ERR_SCHEMA,
                                 "%s:%d: column %s is tagged for masking but is %s; only string "
                                 "columns can be masked (CAST it to a string in the model)",
                                 c->file, c->columns[i].line, c->columns[i].name,
                                 mdl_type_name(c->columns[i].type.id));
    return MDL_OK;
}

bool mdl_contract_needs_key(const mdl_contract *c)
{
    for (size_t i = 0; i < c->num_columns; i++)
        if (c->columns[i].pii == MDL_PII_HASH)
            return true;
    return false;
}

/* Rewrites one string column in place: the masked values are built first, then the column is
 * emptied and refilled (its memory belongs to the batch). */
static int mask_column(mdl_ctx *ctx, mdl_pii how, const void *key, size_t key_len, mdl_column *col,
                       size_t rows, mdl_error *err)
{
    mdl_buf text;
    mdl_buf_init(&text, ctx, 0);
    size_t *ends = mdl_calloc(ctx, rows + 1, sizeof *ends);
    int rc = ends ? MDL_OK : mdl_error_set(err, MDL_ERR_NOMEM, "out of memory masking");
    for (size_t r = 0; rc == MDL_OK && r < rows; r++) {
        if (!mdl_column_is_null(col, r)) {
            mdl_strview v = mdl_column_str(col, r);
            rc = mdl_pii_mask_value(how, key, key_len, v.ptr, v.len, &text, err);
        }
        ends[r] = text.len;
    }
    if (rc == MDL_OK) {
        /* remember the nulls before the column is emptied */
        bool *null = mdl_calloc(ctx, rows + 1, sizeof *null);
        if (null == NULL)
            rc = mdl_error_set(err, MDL_ERR_NOMEM, "out of memory masking");
        for (size_t r = 0; rc == MDL_OK && r < rows; r++)
            null[r] = mdl_column_is_null(col, r);
        if (rc == MDL_OK)
            mdl_column_truncate(col, 0);
        size_t start = 0;
        for (size_t r = 0; rc == MDL_OK && r < rows; r++) {
            rc = null[r]
                     ? mdl_column_append_null(ctx, col, err)
                     : mdl_column_append_string(ctx, col, text.data + start, ends[r] - start, err);
            start = ends[r];
        }
        mdl_free(ctx, null);
    }
    mdl_free(ctx, ends);
    mdl_buf_reset(&text);
    return rc;
}

int mdl_pii_mask_batch(const mdl_pii *rules, size_t n, const void *key, size_t key_len,
                       mdl_batch *b, mdl_error *err)
{
    int rc = MDL_OK;
    for (size_t i = 0; rc == MDL_OK && i < n && i < b->schema->num_fields; i++) {
        if (!masks(rules[i]))
            continue;
        if (b->columns[i].type.id != MDL_TYPE_STRING)
            return mdl_error_set(err, MDL_ERR_SCHEMA, "column %s is masked but is not a string",
                                 b->schema->fields[i].name);
        if (rules[i] == MDL_PII_HASH && (key == NULL || key_len == 0))
            return mdl_error_set(err, MDL_ERR_INVALID_ARG,
                                 "column %s is tagged pii: hash and no masking key was given "
                                 "(set MEDALLION_PII_KEY)",
                                 b->schema->fields[i].name);
        rc = mask_column(b->ctx, rules[i], key, key_len, &b->columns[i], b->num_rows, err);
    }
    return rc;
}
