/*
 * support.c - see test_support.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

char *mdl_test_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        if (n == 0)
            break;
        len += n;
    }
    fclose(f);
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

void mdl_test_rejects_init(mdl_test_rejects *r, mdl_ctx *ctx)
{
    memset(r, 0, sizeof *r);
    mdl_buf_init(&r->text, ctx, 0);
}

void mdl_test_rejects_reset(mdl_test_rejects *r)
{
    mdl_buf_reset(&r->text);
    r->count = 0;
}

int mdl_test_collect_reject(void *payload, const mdl_reject *reject)
{
    mdl_test_rejects *r = payload;
    char line[1024];
    mdl_reject_format(reject, line, sizeof line);
    assert_int_equal(mdl_buf_printf(&r->text, NULL, "%s\n", line), MDL_OK);
    r->count++;
    if (r->stop_after > 0 && r->count >= (size_t)r->stop_after)
        return MDL_ERR_CANCELLED;
    return MDL_OK;
}

void mdl_test_dump_batch(const mdl_batch *b, mdl_buf *out)
{
    char val[4096];
    for (size_t row = 0; row < b->num_rows; row++) {
        for (size_t c = 0; c < b->schema->num_fields; c++) {
            const mdl_column *col = &b->columns[c];
            if (mdl_column_is_null(col, row))
                strcpy(val, "\\N");
            else
                mdl_column_format_value(col, row, val, sizeof val);
            assert_int_equal(mdl_buf_printf(out, NULL, "%s%s", c ? "|" : "", val), MDL_OK);
        }
        assert_int_equal(mdl_buf_append(out, "\n", 1, NULL), MDL_OK);
    }
}

void mdl_test_ctx(mdl_ctx *ctx)
{
    mdl_ctx_init(ctx);
}
