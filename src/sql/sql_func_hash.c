/*
 * sql_func_hash.c - hashing for surrogate keys and pseudonyms: md5(s) and sha256(s) as
 * lowercase hex of the UTF-8 bytes (OpenSSL libcrypto), the same strings DuckDB and Spark
 * return.
 */
#include <openssl/evp.h>

#include "sql/sql_func.h"

static int resolve_hash(const sql_func_def *def, const sql_type *args, size_t n, mdl_type *result,
                        mdl_type *cast_to, mdl_error *err)
{
    if (!args[0].null_only && args[0].t.id != MDL_TYPE_STRING)
        return mdl_sql__arg_error(def, args, n, err);
    cast_to[0] = *result = mdl_type_make(MDL_TYPE_STRING);
    return MDL_OK;
}

static int eval_hash(mdl_ctx *ctx, const sql_bound *call, const mdl_column *const *args, size_t n,
                     mdl_column *out, mdl_error *err)
{
    const EVP_MD *md = sql_def(call)->op ? EVP_sha256() : EVP_md5();
    static const char hexd[] = "0123456789abcdef";
    for (size_t r = 0; r < n; r++) {
        mdl_strview s = mdl_column_str(args[0], r);
        unsigned char dig[EVP_MAX_MD_SIZE];
        unsigned int dl = 0;
        if (EVP_Digest(s.ptr, s.len, dig, &dl, md, NULL) != 1)
            return mdl_sql__error(call, err, MDL_ERR_UNSUPPORTED, "%s: libcrypto failed",
                                  call->fn->name);
        char hex[2 * EVP_MAX_MD_SIZE];
        for (unsigned i = 0; i < dl; i++) {
            hex[2 * i] = hexd[dig[i] >> 4];
            hex[2 * i + 1] = hexd[dig[i] & 15];
        }
        int rc = mdl_column_append_string(ctx, out, hex, 2 * (size_t)dl, err);
        if (rc != MDL_OK)
            return rc;
    }
    return MDL_OK;
}

static const sql_func_def defs[] = {
    {{"md5", eval_hash, true}, 1, 1, resolve_hash, 0},
    {{"sha256", eval_hash, true}, 1, 1, resolve_hash, 1},
};

const sql_func_table mdl_sql__funcs_hash = {defs, sizeof defs / sizeof *defs};
