/*
 * fuzz_config.c - libFuzzer target for the project configuration (YAML through libyaml, the
 * merge, ${VAR} interpolation and the checks). The input is loaded twice: as the project file
 * on its own, and as the overlay env/fuzz.yaml over a small valid base. A load must either
 * succeed, and then the shown text must be the same when rendered twice and never hold the
 * value of the secret variable, or fail with a status among PARSE / SCHEMA / LIMIT / NOMEM and
 * a message that starts with "fuzz.yaml:LINE:COLUMN: " or "env/fuzz.yaml:LINE:COLUMN: ".
 * Nothing may leak or read out of bounds.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/medallion.h"
#include "medallion/pipeline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *lookup(void *user, const char *name)
{
    (void)user;
    if (strcmp(name, "API_TOKEN") == 0)
        return "zz-secret-zz";
    if (strcmp(name, "HOOK") == 0)
        return "https://hooks.example.com/x";
    if (strcmp(name, "EMPTY") == 0)
        return "";
    return NULL;
}

static bool contains(const void *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++)
        if (memcmp((const char *)hay + i, needle, n) == 0)
            return true;
    return false;
}

/* The secret may show only where the input itself holds its text. */
static bool literal_secret;

static void check(mdl_ctx *ctx, const char *base, size_t base_len, const char *overlay,
                  size_t overlay_len)
{
    mdl_config *c = NULL;
    mdl_error err = {0};
    int rc = mdl_config_parse(ctx, "fuzz.yaml", base, base_len, "fuzz", overlay, overlay_len,
                              lookup, NULL, &c, &err);
    if (rc != MDL_OK) {
        int line = 0, col = 0;
        if (c != NULL || err.code != rc ||
            (rc != MDL_ERR_PARSE && rc != MDL_ERR_SCHEMA && rc != MDL_ERR_LIMIT &&
             rc != MDL_ERR_NOMEM))
            abort();
        const char *m = err.message;
        if (strncmp(m, "env/", 4) == 0)
            m += 4;
        if (rc != MDL_ERR_NOMEM &&
            (strncmp(m, "fuzz.yaml:", 10) != 0 || sscanf(m + 10, "%d:%d:", &line, &col) != 2 ||
             line < 1 || col < 1))
            abort();
        if (!literal_secret && strstr(err.message, "zz-secret-zz") != NULL)
            abort();
        return;
    }
    mdl_buf a, b;
    mdl_buf_init(&a, ctx, 64u << 20);
    mdl_buf_init(&b, ctx, 64u << 20);
    if (mdl_config_format(c, &a, &err) != MDL_OK || mdl_config_format(c, &b, &err) != MDL_OK ||
        a.len != b.len || memcmp(a.data, b.data, a.len) != 0 ||
        (!literal_secret && contains(a.data, a.len, "zz-secret-zz")))
        abort();
    if (c->parallelism < 1 || c->parallelism > 64 || c->max_attempts < 1 || c->max_attempts > 20 ||
        c->retry_base_ms > c->retry_max_ms || c->project == NULL)
        abort();
    (void)mdl_config_check_env(c, lookup, NULL, &err);
    mdl_buf_reset(&a);
    mdl_buf_reset(&b);
    mdl_config_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    static const char base[] = "project: fuzz\n"
                               "slas: [{target: bronze, deadline: \"03:00\"}]\n"
                               "alerts: [{name: f, type: file, path: a.jsonl}]\n";
    literal_secret = contains(data, size, "zz-secret-zz");
    check(&ctx, (const char *)data, size, NULL, 0);
    check(&ctx, base, sizeof base - 1, (const char *)data, size);
    return 0;
}
