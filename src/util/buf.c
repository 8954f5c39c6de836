/*
 * buf.c - growable byte buffers with a hard maximum, so input can never make one
 * grow without bound.
 */
#include <stdio.h>
#include <string.h>

#include "medallion/util.h"

void mdl_buf_init(mdl_buf *buf, mdl_ctx *ctx, size_t max)
{
    buf->ctx = ctx;
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
    buf->max = max ? max : SIZE_MAX;
}

void mdl_buf_reset(mdl_buf *buf)
{
    if (buf->data != NULL)
        mdl_free(buf->ctx, buf->data);
    buf->data = NULL;
    buf->len = 0;
    buf->cap = 0;
}

int mdl_buf_reserve(mdl_buf *buf, size_t extra, mdl_error *err)
{
    size_t need;
    if (!mdl_size_add(buf->len, extra, &need) || need > buf->max)
        return mdl_error_set(err, MDL_ERR_LIMIT, "buffer would exceed its limit of %zu bytes",
                             buf->max);
    if (need <= buf->cap)
        return MDL_OK;
    size_t cap = buf->cap ? buf->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    if (cap > buf->max)
        cap = buf->max;
    char *p = mdl_realloc(buf->ctx, buf->data, cap);
    if (p == NULL)
        return mdl_error_set(err, MDL_ERR_NOMEM, "out of memory growing a buffer to %zu bytes",
                             cap);
    buf->data = p;
    buf->cap = cap;
    return MDL_OK;
}

int mdl_buf_append(mdl_buf *buf, const void *data, size_t len, mdl_error *err)
{
    int rc = mdl_buf_reserve(buf, len, err);
    if (rc != MDL_OK)
        return rc;
    if (len)
        memcpy(buf->data + buf->len, data, len);
    buf->len += len;
    return MDL_OK;
}

int mdl_buf_append_str(mdl_buf *buf, const char *s, mdl_error *err)
{
    return mdl_buf_append(buf, s, strlen(s), err);
}

int mdl_buf_printf(mdl_buf *buf, mdl_error *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return mdl_error_set(err, MDL_ERR_INVALID_ARG, "bad format string");
    int rc = mdl_buf_reserve(buf, (size_t)n + 1, err);
    if (rc != MDL_OK)
        return rc;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)n;
    return MDL_OK;
}

int mdl_buf_terminate(mdl_buf *buf, mdl_error *err)
{
    int rc = mdl_buf_reserve(buf, 1, err);
    if (rc != MDL_OK)
        return rc;
    buf->data[buf->len] = '\0';
    return MDL_OK;
}
