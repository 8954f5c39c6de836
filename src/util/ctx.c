/*
 * ctx.c - the explicit context: allocator hooks, limits and the log hook.
 * There are no globals: everything a call needs arrives through its mdl_ctx.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/util.h"

static void *std_alloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *std_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void std_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

void mdl_ctx_init(mdl_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->allocator.alloc = std_alloc;
    ctx->allocator.realloc = std_realloc;
    ctx->allocator.free = std_free;
    ctx->limits.max_field_bytes = (size_t)16 << 20;
    ctx->limits.max_record_bytes = (size_t)64 << 20;
    ctx->limits.max_json_depth = 64;
    ctx->limits.batch_rows = 65536;
    ctx->limits.operator_memory_bytes = (size_t)512 << 20;
    ctx->log_level = MDL_LOG_INFO;
    atomic_init(&ctx->uuid_v7_state, 0);
}

void *mdl_alloc(mdl_ctx *ctx, size_t size)
{
    /* A zero-byte request still returns a unique pointer, like malloc on glibc. */
    return ctx->allocator.alloc(ctx->allocator.user, size ? size : 1);
}

void *mdl_calloc(mdl_ctx *ctx, size_t count, size_t size)
{
    size_t total;
    if (!mdl_size_mul(count, size, &total))
        return NULL;
    void *p = mdl_alloc(ctx, total);
    if (p != NULL)
        memset(p, 0, total);
    return p;
}

void *mdl_realloc(mdl_ctx *ctx, void *ptr, size_t size)
{
    return ctx->allocator.realloc(ctx->allocator.user, ptr, size ? size : 1);
}

void mdl_free(mdl_ctx *ctx, void *ptr)
{
    if (ptr != NULL)
        ctx->allocator.free(ctx->allocator.user, ptr);
}

char *mdl_strndup(mdl_ctx *ctx, const char *s, size_t len)
{
    size_t total;
    if (!mdl_size_add(len, 1, &total))
        return NULL;
    char *p = mdl_alloc(ctx, total);
    if (p != NULL) {
        if (len)
            memcpy(p, s, len);
        p[len] = '\0';
    }
    return p;
}

char *mdl_strdup(mdl_ctx *ctx, const char *s)
{
    return mdl_strndup(ctx, s, strlen(s));
}

void mdl_log(mdl_ctx *ctx, mdl_log_level level, const char *fmt, ...)
{
    if (ctx == NULL || ctx->log == NULL || level < ctx->log_level)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    ctx->log(ctx->log_user, level, line);
}
