/*
 * oracle_table_summary.c - what medallion's own reader sees in Delta tables, for
 * tests/oracle/test_oracle_all_tables.sh: for each TABLE_DIR, one JSON line
 *   {"table":DIR,"version":V,"rows":N,"files":[sorted active paths],
 *    "columns":{"col":{"nonnull":N,"sum":"S"},...}}
 * from mdl_table_open (latest) and a full mdl_table_scan. "sum" is there for integer and
 * decimal columns (exact, decimals with their scale: "1234.50") and doubles ("%.17g"); the
 * other columns only count their non-null values. The partition columns are included, as the
 * scan fills them in. delta_table_oracle.mjs computes the same from the log and DuckDB.
 *   oracle_table_summary TABLE_DIR...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "medallion/medallion.h"

static void die(const char *dir, const char *what, const mdl_error *err)
{
    fprintf(stderr, "oracle_table_summary: %s: %s: %s\n", dir, what, err ? err->message : "");
    exit(1);
}

static void json_string(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

/* An integer of up to 128 bits in decimal, with `scale` digits after a point. */
static void print_i128(mdl_i128 v, int scale)
{
    char digits[64];
    int n = 0;
    mdl_i128 u = v; /* digits from the remainders, whose sign follows v's */
    do {
        int d = (int)(u % 10);
        digits[n++] = (char)('0' + (d < 0 ? -d : d));
        u /= 10;
    } while (u != 0 || n <= scale);
    if (v < 0)
        putchar('-');
    for (int i = n - 1; i >= 0; i--) {
        putchar(digits[i]);
        if (i == scale && scale > 0)
            putchar('.');
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void summarize(mdl_ctx *ctx, const char *dir)
{
    mdl_error err;
    mdl_storage *st;
    if (mdl_storage_open_local(ctx, dir, &st, &err) != MDL_OK)
        die(dir, "storage", &err);
    mdl_table *t;
    if (mdl_table_open(ctx, st, -1, &t, &err) != MDL_OK)
        die(dir, "open", &err);
    mdl_schema *s = mdl_table_schema(t);
    size_t nc = s->num_fields;
    int64_t *nonnull = calloc(nc + 1, sizeof *nonnull);
    mdl_i128 *isum = calloc(nc + 1, sizeof *isum);
    double *dsum = calloc(nc + 1, sizeof *dsum);
    if (nonnull == NULL || isum == NULL || dsum == NULL)
        die(dir, "out of memory", NULL);
    mdl_batch_stream *bs;
    if (mdl_table_scan(t, &bs, &err) != MDL_OK)
        die(dir, "scan", &err);
    int64_t rows = 0;
    mdl_batch *b;
    int rc;
    while ((rc = mdl_batch_stream_next(bs, &b, &err)) == MDL_OK && b != NULL) {
        rows += (int64_t)b->num_rows;
        for (size_t c = 0; c < nc; c++) {
            const mdl_column *col = &b->columns[c];
            for (size_t r = 0; r < b->num_rows; r++) {
                if (mdl_column_is_null(col, r))
                    continue;
                nonnull[c]++;
                switch (col->type.id) {
                case MDL_TYPE_INT32:
                    isum[c] += mdl_column_i32(col, r);
                    break;
                case MDL_TYPE_INT64:
                    isum[c] += mdl_column_i64(col, r);
                    break;
                case MDL_TYPE_DECIMAL:
                    isum[c] += mdl_column_decimal(col, r);
                    break;
                case MDL_TYPE_DOUBLE:
                    dsum[c] += mdl_column_f64(col, r);
                    break;
                default:
                    break;
                }
            }
        }
        mdl_batch_free(b);
    }
    if (rc != MDL_OK)
        die(dir, "scan", &err);
    mdl_batch_stream_release(bs);

    size_t nf = mdl_table_num_files(t);
    const char **paths = calloc(nf + 1, sizeof *paths);
    if (paths == NULL)
        die(dir, "out of memory", NULL);
    for (size_t i = 0; i < nf; i++) {
        mdl_table_file f;
        mdl_table_file_at(t, i, &f);
        paths[i] = f.path;
    }
    qsort(paths, nf, sizeof *paths, cmp_str);

    printf("{\"table\":");
    json_string(dir);
    printf(",\"version\":%lld,\"rows\":%lld,\"files\":[", (long long)mdl_table_version(t),
           (long long)rows);
    for (size_t i = 0; i < nf; i++) {
        if (i > 0)
            putchar(',');
        json_string(paths[i]);
    }
    printf("],\"columns\":{");
    for (size_t c = 0; c < nc; c++) {
        if (c > 0)
            putchar(',');
        json_string(s->fields[c].name);
        printf(":{\"nonnull\":%lld", (long long)nonnull[c]);
        mdl_type ty = s->fields[c].type;
        if (ty.id == MDL_TYPE_INT32 || ty.id == MDL_TYPE_INT64 || ty.id == MDL_TYPE_DECIMAL) {
            printf(",\"sum\":\"");
            print_i128(isum[c], ty.id == MDL_TYPE_DECIMAL ? ty.scale : 0);
            putchar('"');
        } else if (ty.id == MDL_TYPE_DOUBLE) {
            printf(",\"sum\":\"%.17g\"", dsum[c]);
        }
        putchar('}');
    }
    printf("}}\n");
    free(paths);
    free(nonnull);
    free(isum);
    free(dsum);
    mdl_table_close(t);
    mdl_storage_release(st);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s TABLE_DIR...\n", argv[0]);
        return 2;
    }
    mdl_ctx ctx;
    mdl_ctx_init(&ctx);
    for (int i = 1; i < argc; i++)
        summarize(&ctx, argv[i]);
    return 0;
}
