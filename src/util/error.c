/*
 * error.c - status names and the caller-owned mdl_error.
 */
#include <stdio.h>
#include <string.h>

#include "medallion/util.h"

const char *mdl_status_str(int status)
{
    switch (status) {
    case MDL_OK:
        return "ok";
    case MDL_ERR_NOMEM:
        return "out of memory";
    case MDL_ERR_INVALID_ARG:
        return "invalid argument";
    case MDL_ERR_IO:
        return "i/o error";
    case MDL_ERR_PARSE:
        return "parse error";
    case MDL_ERR_RANGE:
        return "out of range";
    case MDL_ERR_LIMIT:
        return "limit exceeded";
    case MDL_ERR_NOT_FOUND:
        return "not found";
    case MDL_ERR_UNSUPPORTED:
        return "unsupported";
    case MDL_ERR_CANCELLED:
        return "cancelled";
    case MDL_ERR_SCHEMA:
        return "schema mismatch";
    case MDL_ERR_CONFLICT:
        return "conflict";
    case MDL_ERR_QUALITY:
        return "quality check failed";
    default:
        return "unknown error";
    }
}

int mdl_error_setv(mdl_error *err, int code, const char *fmt, va_list ap)
{
    if (err != NULL) {
        err->code = code;
        vsnprintf(err->message, sizeof err->message, fmt, ap);
    }
    return code;
}

int mdl_error_set(mdl_error *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mdl_error_setv(err, code, fmt, ap);
    va_end(ap);
    return code;
}

int mdl_error_prefix(mdl_error *err, const char *fmt, ...)
{
    if (err == NULL)
        return MDL_OK;
    char prefix[MDL_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    if (n < 0)
        return err->code;
    /* Shift the old message right by the prefix length (truncating its end), then copy. */
    size_t plen = (size_t)n < sizeof prefix ? (size_t)n : sizeof prefix - 1;
    size_t cap = sizeof err->message;
    if (plen >= cap)
        plen = cap - 1;
    size_t olen = strnlen(err->message, cap - 1);
    if (olen > cap - 1 - plen)
        olen = cap - 1 - plen;
    memmove(err->message + plen, err->message, olen);
    memcpy(err->message, prefix, plen);
    err->message[plen + olen] = '\0';
    return err->code;
}

void mdl_error_clear(mdl_error *err)
{
    if (err != NULL) {
        err->code = MDL_OK;
        err->message[0] = '\0';
    }
}
